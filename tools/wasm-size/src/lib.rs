use tulip_core::*;
#[no_mangle]
pub extern "C" fn go(p: *const u8, n: usize, q: *const u8, m: usize) -> usize {
    let a = unsafe { std::slice::from_raw_parts(p, n) };
    let b = unsafe { std::slice::from_raw_parts(q, m) };
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(a) else {
        return 0;
    };
    let Ok(u) = serde_json::from_slice::<serde_json::Value>(b) else {
        return 0;
    };
    let pol = Policy::default();
    let Ok(w) = parse_widget_value(v, &pol) else {
        return 1;
    };
    let Ok(up) = parse_update(&w.body, u) else {
        return 2;
    };
    match apply_update(&w, &up, &pol) {
        Ok(w2) => serde_json::to_string(&w2).map(|s| s.len()).unwrap_or(3),
        Err(_) => 4,
    }
}
