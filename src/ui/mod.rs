//! The browser app (wasm only): a Yew terminal over the workstation, with the learner's panels.

/// Mounts the app on the page. (The browser work fills this in.)
pub fn start() {}
