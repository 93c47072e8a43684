//! The browser app (wasm only): a Yew terminal over the workstation, with the learner's panels.
//!
//! `app` is the reducer over the core; `terminal` renders the console and reads the keyboard;
//! `keys`, `params` and `screen` are the pure parts (key mapping, the address as state, the
//! incremental copy of the console) and are tested as tables; `browser` wraps the few web APIs
//! used, each failing softly.

pub mod app;
pub mod browser;
pub mod keys;
pub mod panels;
pub mod params;
pub mod replies;
pub mod screen;
pub mod storage;
pub mod terminal;
pub mod trainer;

pub use app::{App, AppProps, Msg};

/// The performance mark set when the wasm module starts running (before the first render);
/// the benchmark reports the time from here to the first prompt separately from loading.
pub const STARTED_MARK: &str = "smtp-trainer:started";

/// Mounts the app on the page; called by `main` in the wasm build.
pub fn start() {
    browser::mark(STARTED_MARK);
    app::mount();
}
