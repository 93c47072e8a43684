//! Instructor scenario files in the browser: from a URL (`?scenario_url=`) or from disk.
//!
//! Both are size-limited before they are read where the browser allows it (the
//! `Content-Length` of a response, the size of a file) and after, then checked with the trainer
//! core's loader. Every problem comes back as a plain sentence with its place in the file.

use crate::trainer::{ScenarioFile, MAX_SCENARIO_BYTES};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Checks a file's text; the errors are sentences, each with the path and line it is about.
pub fn check(text: &str) -> Result<ScenarioFile, Vec<String>> {
    ScenarioFile::parse(text).map_err(|errors| errors.iter().map(|e| e.to_string()).collect())
}

fn too_large(bytes: f64) -> String {
    format!(
        "the file is {} bytes; the limit is {} bytes",
        bytes as u64, MAX_SCENARIO_BYTES
    )
}

/// Fetches `url` as text, refusing anything larger than [`MAX_SCENARIO_BYTES`].
pub async fn fetch_text(url: &str) -> Result<String, String> {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("javascript:") || lower.starts_with("data:") {
        return Err("only http and https addresses (or a path on this site) can be loaded".into());
    }
    let window = web_sys::window().ok_or("there is no window")?;
    let response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|_| "the address could not be reached (offline, or the server does not allow this site to read it)".to_string())?;
    let response: web_sys::Response = response
        .dyn_into()
        .map_err(|_| "the browser gave no response".to_string())?;
    if !response.ok() {
        return Err(format!(
            "the server answered {} {}",
            response.status(),
            response.status_text()
        ));
    }
    if let Ok(Some(length)) = response.headers().get("content-length") {
        if let Ok(n) = length.trim().parse::<f64>() {
            if n > MAX_SCENARIO_BYTES as f64 {
                return Err(too_large(n));
            }
        }
    }
    let promise = response
        .text()
        .map_err(|_| "the response could not be read".to_string())?;
    let text = JsFuture::from(promise)
        .await
        .map_err(|_| "the response could not be read".to_string())?
        .as_string()
        .ok_or("the response is not text")?;
    if text.len() > MAX_SCENARIO_BYTES {
        return Err(too_large(text.len() as f64));
    }
    Ok(text)
}

/// Reads a file the learner picked, refusing one larger than [`MAX_SCENARIO_BYTES`] unread.
pub async fn read_file(file: web_sys::File) -> Result<String, String> {
    if file.size() > MAX_SCENARIO_BYTES as f64 {
        return Err(too_large(file.size()));
    }
    JsFuture::from(file.text())
        .await
        .map_err(|_| "the file could not be read".to_string())?
        .as_string()
        .ok_or_else(|| "the file is not text".to_string())
}

/// The first file of an `<input type="file">`'s change event.
pub fn picked_file(e: &yew::Event) -> Option<web_sys::File> {
    let input: web_sys::HtmlInputElement = e.target()?.dyn_into().ok()?;
    let file = input.files()?.get(0);
    // Clear it, so picking the same file again (after fixing it) fires a change again.
    input.set_value("");
    file
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn a_bad_file_gives_located_sentences() {
        let errors = check("[[lessons]]\nid = \"x\"\ntitle = 3\n")
            .err()
            .unwrap_or_default();
        assert!(!errors.is_empty());
        assert!(errors.iter().any(|e| e.contains("lessons")), "{errors:?}");
        let errors = check(&"#".repeat(MAX_SCENARIO_BYTES + 1))
            .err()
            .unwrap_or_default();
        assert!(errors.iter().any(|e| e.contains("limit")), "{errors:?}");
        assert!(check("").is_err());
    }
}
