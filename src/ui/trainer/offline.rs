//! Offline use: registers the service worker (`sw.js`, beside `index.html`) that keeps every
//! asset of the build, so after a first visit the trainer opens with no network at all.
//!
//! Reached through `Reflect` rather than typed bindings: a browser without service workers (or
//! a page on plain http, or a sandboxed iframe) simply has no `serviceWorker`, and the app
//! runs as before, online only.

use wasm_bindgen::JsCast;

/// The service worker's script, relative to the page so the app works from any folder.
pub const SCRIPT: &str = "sw.js";

/// Registers the service worker if the browser has them; failures are ignored on purpose
/// (offline use is an extra, never a reason for the app not to start).
pub fn register() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let navigator = window.navigator();
    let Ok(container) = js_sys::Reflect::get(&navigator, &"serviceWorker".into()) else {
        return;
    };
    if container.is_undefined() || container.is_null() {
        return;
    }
    let Ok(register) = js_sys::Reflect::get(&container, &"register".into()) else {
        return;
    };
    if let Ok(register) = register.dyn_into::<js_sys::Function>() {
        if let Ok(promise) = register.call1(&container, &SCRIPT.into()) {
            if let Ok(promise) = promise.dyn_into::<js_sys::Promise>() {
                // Awaited so that a rejection (no https, blocked) is handled here and never
                // reaches the console as an uncaught error.
                wasm_bindgen_futures::spawn_local(async move {
                    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
                });
            }
        }
    }
}
