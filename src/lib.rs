//! smtp-trainer: a simulator and trainer of the classic "telnet to port 25" SMTP test from
//! Microsoft's Knowledge Base (KB 153119, Q115492, Q142614, KB 240832).
//!
//! Everything outside `ui` and `cli` is the pure core: no I/O, no clock, no web or async crates.
//! Time comes in as an argument ([`clock::Millis`]), randomness from a seed, so the same inputs
//! always give the same screen. The core compiles for `wasm32-unknown-unknown` (the browser app)
//! and natively (the `smtp-trainer` command line).
//!
//! No `unsafe` anywhere in the crate: memory safety is the compiler's to prove, which is also why
//! the long fuzz runs can go without AddressSanitizer (see `scripts/fuzz.sh`).
#![forbid(unsafe_code)]

pub mod clock;
pub mod net;
pub mod scenario;
pub mod smtp;
pub mod trainer;
pub mod windows;

/// The browser edge: a Yew app over the core (wasm only).
#[cfg(target_arch = "wasm32")]
pub mod ui;

/// The command-line edge: stdio session, TCP server, replay, checks (native only).
#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
