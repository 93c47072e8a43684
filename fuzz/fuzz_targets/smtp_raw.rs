//! Raw bytes into an SMTP session, split at every 7th byte to exercise partial lines.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let chunks: Vec<&[u8]> = data.chunks(7).collect();
    common::drive(&chunks);
});
