//! Component tests of the trainer in the browser app, in headless Chromium: mount the app at an
//! address naming a lesson or challenge, type as a learner, let the simulated network's timers
//! run, and read the trainer's column.
//!
//! Run with `cargo test --target wasm32-unknown-unknown --test wasm_trainer`.
#![cfg(target_arch = "wasm32")]

use smtp_trainer::ui::{App, AppProps};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement, KeyboardEvent, KeyboardEventInit};

wasm_bindgen_test_configure!(run_in_browser);

async fn mount(query: &str) -> Element {
    let document = gloo::utils::document();
    let root = document.create_element("div").expect("a div");
    gloo::utils::body().append_child(&root).expect("appended");
    let props = AppProps {
        query: Some(query.to_string()),
        ..AppProps::default()
    };
    yew::Renderer::<App>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    root
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).expect("selector");
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
        .collect()
}

fn find(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("no {selector} in {}", root.inner_html()))
}

fn text(root: &Element, selector: &str) -> String {
    find(root, selector).text_content().unwrap_or_default()
}

fn attr(root: &Element, selector: &str, name: &str) -> String {
    find(root, selector).get_attribute(name).unwrap_or_default()
}

fn press(root: &Element, key: &str) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("event");
    find(root, "textarea.sink")
        .dispatch_event(&event)
        .expect("dispatched");
}

async fn type_line(root: &Element, line: &str) {
    for c in line.chars() {
        press(root, &c.to_string());
    }
    press(root, "Enter");
    yew::scheduler::flush().await;
}

/// Waits `ms` of real time (the simulation's timers run on the page's clock).
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = JsFuture::from(promise).await;
    yew::scheduler::flush().await;
}

/// Waits until `done` holds, up to about five seconds.
async fn until(root: &Element, what: &str, done: impl Fn(&Element) -> bool) {
    for _ in 0..100 {
        if done(root) {
            return;
        }
        sleep(50).await;
    }
    panic!("timed out waiting for {what}: {}", root.inner_html());
}

fn click(root: &Element, selector: &str) {
    find(root, selector)
        .dyn_into::<HtmlElement>()
        .expect("an element")
        .click();
}

#[wasm_bindgen_test]
async fn a_lesson_in_the_address_opens_beside_the_terminal() {
    let root = mount("?lesson=kb153119-basic").await;
    assert_eq!(
        attr(&root, "[data-testid=lesson]", "data-lesson"),
        "kb153119-basic"
    );
    let steps = all(&root, "[data-testid=step]");
    assert!(steps.len() >= 9, "KB 153119's steps: {}", steps.len());
    assert_eq!(
        steps[0].get_attribute("data-status").as_deref(),
        Some("current")
    );
    assert!(steps[1..]
        .iter()
        .all(|s| s.get_attribute("data-status").as_deref() == Some("todo")));
    assert!(text(&root, "[data-testid=step-count]").starts_with("Step 1 of"));
}

#[wasm_bindgen_test]
async fn a_hint_is_shown_on_demand_and_the_step_passes_when_really_done() {
    let root = mount("?scenario=kb153119-basic").await;
    assert!(all(&root, "[data-testid=hint]").is_empty());
    click(&root, "[data-testid=hint-button]");
    yew::scheduler::flush().await;
    assert!(text(&root, "[data-testid=hint]").contains("telnet mail.contoso.com 25"));
    type_line(&root, "telnet mail.contoso.com 25").await;
    until(&root, "the first step to pass", |r| {
        attr(r, "[data-testid=step]", "data-status") == "done"
    })
    .await;
    assert!(text(&root, "[data-testid=explanation]").contains("220"));
    assert!(text(&root, "[data-testid=step-count]").starts_with("Step 2 of"));
}

#[wasm_bindgen_test]
async fn a_challenge_is_answered_wrong_then_right() {
    let root = mount("?challenge=nic-disabled").await;
    assert!(!text(&root, "[data-testid=briefing]").is_empty());
    let wrong = all(&root, "button.answer")
        .into_iter()
        .find(|b| b.get_attribute("data-fault").as_deref() != Some("nic-disabled"))
        .expect("a wrong option");
    wrong.dyn_into::<HtmlElement>().expect("button").click();
    yew::scheduler::flush().await;
    assert_eq!(
        attr(&root, "[data-testid=feedback]", "data-correct"),
        "false"
    );
    click(&root, "button.answer[data-fault=nic-disabled]");
    yew::scheduler::flush().await;
    assert_eq!(
        attr(&root, "[data-testid=feedback]", "data-correct"),
        "true"
    );
    assert!(text(&root, "[data-testid=feedback]").contains("after 2 answers"));
}

#[wasm_bindgen_test]
async fn unknown_names_are_said_plainly_and_the_terminal_still_works() {
    let root = mount("?lesson=no-such-lesson&seed=abc").await;
    assert!(text(&root, "[data-testid=trainer-messages]").contains("no-such-lesson"));
    assert!(text(&root, "[data-testid=notices]").contains("seed"));
    type_line(&root, "ver").await;
    assert!(root
        .text_content()
        .unwrap_or_default()
        .contains("Microsoft Windows"));
}

#[wasm_bindgen_test]
async fn an_embed_without_a_lesson_shows_only_the_terminal() {
    let root = mount("?embed=1").await;
    assert!(all(&root, "[data-testid=trainer]").is_empty());
    let root = mount("?embed=1&lesson=nslookup-mx").await;
    assert!(all(&root, "[data-testid=lesson]").len() == 1);
    assert!(all(&root, "[data-testid=picker]").is_empty());
    assert!(all(&root, "[data-testid=share-button]").is_empty());
    // A lesson that never reads the Mailbox leaves it out; a challenge keeps it, as what was
    // (not) delivered is part of the evidence.
    assert!(all(&root, "[data-testid=mailbox]").is_empty());
    let root = mount("?embed=1&challenge=relay-refused").await;
    assert!(all(&root, "[data-testid=challenge]").len() == 1);
    assert!(all(&root, "[data-testid=mailbox]").len() == 1);
    assert!(all(&root, ".panels").is_empty());
}
