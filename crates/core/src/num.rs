//! Float formatting without `core::fmt`'s float code (which is large in a
//! wasm bundle): the same text as Rust's `{}` and `{:.4}`, built from the
//! shortest digits serde_json already writes numbers with.

use serde_json::Number;

/// `f` as `format!("{f}")` writes it: the shortest digits that read back as
/// `f`, in plain decimal notation (`1000000000`, `0.0000001`, `-0`, `inf`).
pub fn display_f64(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf" } else { "-inf" }.into();
    }
    let text = Number::from_f64(f)
        .map(|n| n.to_string())
        .unwrap_or_default();
    let (digits, point) = round_ties_up(f, decimal(&text));
    let mut out = String::new();
    if f.is_sign_negative() {
        out.push('-');
    }
    if digits.is_empty() {
        out.push('0');
    } else if point <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-point) as usize));
        out.push_str(&digits);
    } else if (point as usize) < digits.len() {
        out.push_str(&digits[..point as usize]);
        out.push('.');
        out.push_str(&digits[point as usize..]);
    } else {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', point as usize - digits.len()));
    }
    out
}

/// The significant digits of a number written as `-12.5e-3` (sign ignored)
/// and where the decimal point goes: the value is `0.DIGITS * 10^point`.
fn decimal(text: &str) -> (String, i64) {
    let text = text.trim_start_matches('-');
    let (mantissa, exp) = match text.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.trim_start_matches('+').parse::<i64>().unwrap_or(0)),
        None => (text, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mut digits: String = int.chars().chain(frac.chars()).collect();
    let mut point = int.len() as i64 + exp;
    let lead = digits.len() - digits.trim_start_matches('0').len();
    digits.drain(..lead);
    point -= lead as i64;
    let kept = digits.trim_end_matches('0').len();
    digits.truncate(kept);
    (digits, point)
}

/// serde_json's digits break an exact tie between two equally short
/// candidates to even, Rust's `{}` upwards: when `f` is exactly halfway
/// between `digits` and `digits + 1` (in the last place), take the upper.
fn round_ties_up(f: f64, (digits, point): (String, i64)) -> (String, i64) {
    let j = digits.len() as i64 - point; // digits after the decimal point
    let Ok(d) = digits.parse::<u128>() else {
        return (digits, point);
    };
    if !(1..=24).contains(&j) {
        return (digits, point);
    }
    let (mant, e2) = parts(f);
    // f == (2d + 1) / (2 * 10^j)  <=>  mant * 5^j == (2d + 1) * 2^-(e2 + 1 + j)
    let t = e2 + 1 + j;
    let lhs = 5u128
        .checked_pow(j as u32)
        .and_then(|p| p.checked_mul(mant as u128));
    let rhs = (2 * d + 1).checked_shl((-t).clamp(0, 127) as u32);
    let tie = t <= 0 && -t < 70 && lhs.is_some() && lhs == rhs;
    if !tie {
        return (digits, point);
    }
    let up = (d + 1).to_string();
    let point = point + (up.len() as i64 - digits.len() as i64);
    let kept = up.trim_end_matches('0').len();
    (up[..kept].to_owned(), point)
}

/// `f` (finite) as `mant * 2^e2`, sign dropped.
fn parts(f: f64) -> (u64, i64) {
    let bits = f.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64;
    let frac = bits & ((1u64 << 52) - 1);
    if exp == 0 {
        (frac, -1074)
    } else {
        (frac | (1u64 << 52), exp - 1075)
    }
}

/// `f` as `format!("{f:.4}")` writes it: rounded to 4 decimals, ties to
/// even, exactly (from the binary value, not from its shortest digits).
pub fn fixed4(f: f64) -> String {
    if !f.is_finite() {
        return display_f64(f);
    }
    let (mant, e2) = parts(f);
    // |f| * 10^4 = mant * 10^4 * 2^e2, rounded to an integer.
    let scaled = mant as u128 * 10_000;
    let q: u128 = if e2 >= 0 {
        scaled.checked_shl(e2 as u32).unwrap_or(u128::MAX)
    } else if -e2 >= 128 {
        0
    } else {
        let k = (-e2) as u32;
        let q = scaled >> k;
        let rem = scaled & ((1u128 << k) - 1);
        let half = 1u128 << (k - 1);
        if rem > half || (rem == half && q % 2 == 1) {
            q + 1
        } else {
            q
        }
    };
    let mut out = String::new();
    if f.is_sign_negative() {
        out.push('-');
    }
    out.push_str(&(q / 10_000).to_string());
    out.push('.');
    let r = (q % 10_000) as u32;
    for d in [r / 1000, r / 100 % 10, r / 10 % 10, r % 10] {
        out.push(char::from(b'0' + d as u8));
    }
    out
}

/// A plain decimal number (`12`, `-0.5`, `+.25`, `3.`: a sign, digits, at
/// most one point) without `str::parse::<f64>`, whose tables are ~14 KB of
/// a wasm bundle. The same value as `str::parse` whenever the number has at
/// most 15 significant digits and 22 decimals (any colour argument a person
/// writes); longer ones are within a few units of the last place. `None` for
/// anything else (exponents, `inf`, empty).
pub fn parse_plain(s: &str) -> Option<f64> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let all_digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if int.len() + frac.len() == 0 || !all_digits(int) || !all_digits(frac) {
        return None;
    }
    // mantissa * 10^exp, keeping the first 19 significant digits.
    let (mut mantissa, mut exp, mut kept) = (0u64, 0i32, 0u32);
    for (i, b) in int.bytes().chain(frac.bytes()).enumerate() {
        let in_frac = i >= int.len();
        if kept < 19 {
            mantissa = mantissa * 10 + u64::from(b - b'0');
            if mantissa > 0 {
                kept += 1;
            }
            if in_frac {
                exp -= 1;
            }
        } else if !in_frac {
            exp += 1;
        }
    }
    let pow = |e: i32| (0..e).fold(1.0f64, |p, _| p * 10.0);
    let m = mantissa as f64;
    let v = if exp >= 0 {
        m * pow(exp)
    } else {
        m / pow(-exp)
    };
    Some(if neg { -v } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xorshift(s: &mut u64) -> u64 {
        *s ^= *s << 13;
        *s ^= *s >> 7;
        *s ^= *s << 17;
        *s
    }

    #[test]
    fn display_is_rusts() {
        let mut cases = vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.1,
            1.5,
            1e21,
            1e-7,
            5e-324,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            86_400.0,
            1e6,
            123.456,
            1e300,
            1e-300,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            9007199254740993.0,
            0.3,
            2.0f64.powi(70),
        ];
        let mut s = 0x9E3779B97F4A7C15u64;
        for _ in 0..200_000 {
            cases.push(f64::from_bits(xorshift(&mut s)));
            cases.push((xorshift(&mut s) % 2_000_000) as f64 / 1000.0 - 1000.0);
        }
        for f in cases {
            assert_eq!(display_f64(f), format!("{f}"), "{:e}", f);
        }
    }

    #[test]
    fn fixed4_is_rusts() {
        let mut cases = vec![
            0.0, -0.0, 0.25, 0.125, 0.00005, 0.00015, 0.00025, -0.00005, 1.00005, 2.5, 0.5, 1e6,
            -1e6, 0.3, 1e-300, 5e-324, 123.456789, 0.99995, 0.99994999,
        ];
        let mut s = 0x2545F4914F6CDD1Du64;
        for _ in 0..200_000 {
            let r = xorshift(&mut s);
            cases.push((r % 20_000_000_000) as f64 / 10_000.0 - 1e6);
            cases.push((r % 2_000_000) as f64 / 1e6);
            let f = f64::from_bits(r);
            if f.is_finite() && f.abs() < 1e12 {
                cases.push(f);
            }
        }
        for f in cases {
            assert_eq!(fixed4(f), format!("{f:.4}"), "{f:e}");
        }
    }

    #[test]
    fn parse_plain_is_rusts() {
        for t in [
            "0", "-0", "+5", ".5", "5.", "-.25", "007", "0.1", "0.3", "255", "1e3", "", ".", "-",
            "1.2.3", "inf", " 1", "1_0",
        ] {
            let want = if t.contains(['e', 'i', ' ', '_']) || t.matches('.').count() > 1 {
                None
            } else {
                t.parse::<f64>().ok()
            };
            assert_eq!(
                parse_plain(t).map(f64::to_bits),
                want.map(f64::to_bits),
                "{t:?}"
            );
        }
        let mut s = 0x853C49E6748FEA9Bu64;
        for _ in 0..200_000 {
            let r = xorshift(&mut s);
            let digits = (r % 15 + 1) as usize;
            let n = r >> 8;
            let mut text = format!("{n}");
            text.truncate(digits);
            let digits = text.len();
            let point = (r >> 4) as usize % (digits + 1);
            text.insert(point, '.');
            if r & 1 == 1 {
                text.insert(0, '-');
            }
            assert_eq!(parse_plain(&text), text.parse::<f64>().ok(), "{text}");
        }
        let long = "123456789012345678901234.5678901234567890123";
        let (got, want) = (parse_plain(long).unwrap(), long.parse::<f64>().unwrap());
        assert!(((got - want) / want).abs() < 1e-15, "{got} {want}");
    }
}
