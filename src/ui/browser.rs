//! The few browser services the app uses, each fallible and each failing softly: a page where
//! the clipboard is blocked or `history` is missing still runs the simulation and says what did
//! not work, instead of panicking.

use crate::clock::Millis;
use wasm_bindgen::JsCast;

/// Milliseconds since the page loaded (`performance.now()`), the app's simulated-time origin.
/// Monotonic, unlike the wall clock, so timers never run backwards.
pub fn now() -> Millis {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0, |p| p.now().max(0.0) as Millis)
}

/// Whether the page is hidden (another tab in front, the window minimised). Browsers then run a
/// page's timers at most about once a second, so work cut into slices takes longer slices.
pub fn page_hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.hidden())
}

/// Sets a named performance mark (visible to benchmarks and the browser's profiler).
pub fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}

/// How long [`after_next_paint`] waits for a frame before it runs its task anyway: browsers
/// pause the animation frames of hidden pages and may of iframes scrolled out of view.
const FRAME_WAIT_MS: u32 = 250;

/// Runs `f` once the browser has painted what is in the DOM now: a task queued from the next
/// animation frame runs after that frame is on screen. Work the first frame does not need
/// waits here, so the learner sees the prompt before the rest is built. A page that paints no
/// frames (hidden, or an iframe out of view) gets `f` from a timer instead, whichever is first.
pub fn after_next_paint(f: impl FnOnce() + 'static) {
    let task = std::rc::Rc::new(std::cell::Cell::new(Some(f)));
    let run = move || {
        if let Some(f) = task.take() {
            f();
        }
    };
    let wait = if page_hidden() { 0 } else { FRAME_WAIT_MS };
    gloo::timers::callback::Timeout::new(wait, run.clone()).forget();
    if let Some(window) = web_sys::window() {
        let later = move || gloo::timers::callback::Timeout::new(0, run).forget();
        let frame = wasm_bindgen::closure::Closure::once_into_js(later);
        let _ = window.request_animation_frame(frame.unchecked_ref());
    }
}

/// The page's query string, including its `?`, or empty.
pub fn query() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

/// Rewrites the address bar to `query` without reloading, so the current set-up can be shared
/// as a link. Failure (sandboxed iframes forbid it) only means the link is not updated.
pub fn replace_query(query: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(history) = window.history() else {
        return;
    };
    let path = window.location().pathname().unwrap_or_default();
    let url = format!("{path}{query}");
    let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
}

/// Gives the terminal the keyboard: an exercise opened from a button starts on a fresh
/// workstation, and the learner's next keys are for it, not for the button (whose Enter would
/// open the exercise again).
pub fn focus_terminal() {
    let sink = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("textarea.sink").ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(sink) = sink {
        let _ = sink.focus();
    }
}

/// Brings the terminal's first line into view when it is scrolled off the top, and the whole
/// terminal fits: focusing the keyboard sink only brings the terminal's bottom edge into view,
/// so on a phone, where the lesson sits under the terminal, "Show me" typed into a terminal
/// whose replies were above the screen.
pub fn reveal_terminal() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let terminal = window
        .document()
        .and_then(|d| d.query_selector("[data-testid=terminal]").ok().flatten());
    let height = window.inner_height().ok().and_then(|h| h.as_f64());
    if let (Some(terminal), Some(height)) = (terminal, height) {
        let rect = terminal.get_bounding_client_rect();
        if rect.top() < 0.0 && rect.height() <= height {
            terminal.scroll_into_view_with_bool(true);
        }
    }
}

/// The text the learner has selected on the page, if any.
pub fn selection_text() -> String {
    web_sys::window()
        .and_then(|w| w.get_selection().ok().flatten())
        .and_then(|s| s.to_string().as_string())
        .unwrap_or_default()
}

/// Puts `text` on the clipboard; resolves to a sentence for the learner either way. The
/// clipboard API is missing on plain-http pages and may be refused by policy, so both are
/// checked before calling it (a call on `undefined` would throw through the app).
pub async fn copy_to_clipboard(text: String) -> Result<(), String> {
    let refused = "The browser did not allow copying; use \"Download transcript\" instead.";
    let window = web_sys::window().ok_or(refused)?;
    let navigator = window.navigator();
    let has_clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into())
        .map(|v| !v.is_undefined() && !v.is_null())
        .unwrap_or(false);
    if !has_clipboard {
        return Err(refused.into());
    }
    let promise = navigator.clipboard().write_text(&text);
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|_| refused.to_string())
}

/// Offers `text` as a file download named `name`.
pub fn download_text(name: &str, text: &str) -> Result<(), String> {
    let fail = |what: &str| format!("Could not prepare the download ({what}).");
    let window = web_sys::window().ok_or_else(|| fail("no window"))?;
    let document = window.document().ok_or_else(|| fail("no document"))?;
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/plain;charset=utf-8");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| fail("blob"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| fail("object URL"))?;
    let anchor = document
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        .ok_or_else(|| fail("link"))?;
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}
