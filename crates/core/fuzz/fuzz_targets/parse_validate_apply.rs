//! Widget text, 0xFF, update text, 0xFF, viewer id: parse and validate the
//! widget, parse and apply the update, resolve views and per-viewer updates,
//! and check the invariants in `tulip_core_fuzz::run`. Never panics unless
//! core has a bug.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    tulip_core_fuzz::run(data);
});
