//! Component tests of the browser app in headless Chromium: mount the app, send it the events a
//! learner's browser would, let Yew render, and read the DOM.
//!
//! Run with `cargo test --target wasm32-unknown-unknown --test wasm_ui` (the runner is set in
//! `.cargo/config.toml`; `scripts/test-web.sh` does it for you).
#![cfg(target_arch = "wasm32")]

use smtp_trainer::ui::{App, AppProps};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement, KeyboardEvent, KeyboardEventInit};

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts a fresh app under its own root (the harness page has elements of its own).
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

fn find(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("no {selector} in {}", root.inner_html()))
}

fn text(root: &Element, selector: &str) -> String {
    find(root, selector).text_content().unwrap_or_default()
}

/// Dispatches a keydown on the terminal's input; returns whether the app took it (prevented
/// the browser's default).
fn key(root: &Element, key: &str, code: &str, ctrl: bool) -> bool {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_code(code);
    init.set_ctrl_key(ctrl);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("event");
    find(root, "textarea.sink")
        .dispatch_event(&event)
        .expect("dispatched");
    event.default_prevented()
}

async fn type_text(root: &Element, s: &str) {
    for c in s.chars() {
        key(root, &c.to_string(), "", false);
    }
    yew::scheduler::flush().await;
}

#[wasm_bindgen_test]
async fn first_render_shows_a_prompt_with_a_cursor_and_focuses_the_terminal() {
    let root = mount("").await;
    let line = text(&root, "[data-testid=current-line]");
    assert!(line.contains('>'), "prompt: {line:?}");
    assert!(root.query_selector(".cursor").ok().flatten().is_some());
    let active = gloo::utils::document().active_element().expect("focus");
    assert!(
        active.class_list().contains("sink"),
        "focus is in the terminal"
    );
    assert_eq!(text(&root, "[data-testid=mode]"), "Command Prompt");
}

#[wasm_bindgen_test]
async fn typed_keys_are_echoed_and_enter_commits_the_line() {
    let root = mount("").await;
    type_text(&root, "dir").await;
    assert!(text(&root, "[data-testid=current-line]").contains("dir"));
    assert!(key(&root, "Enter", "Enter", false));
    yew::scheduler::flush().await;
    let lines = find(&root, ".screen").text_content().unwrap_or_default();
    assert!(lines.contains("dir"), "{lines}");
    assert!(
        !text(&root, "[data-testid=current-line]").contains("dir"),
        "a fresh prompt"
    );
    // The screen reader hears the new lines.
    let spoken = text(&root, "[data-testid=announcer]");
    assert!(!spoken.trim().is_empty(), "live region is fed");
}

#[wasm_bindgen_test]
async fn browser_shortcuts_are_left_alone_and_ctrl_bracket_is_taken() {
    let root = mount("").await;
    assert!(
        !key(&root, "v", "KeyV", true),
        "Ctrl+V is the browser's paste"
    );
    assert!(!key(&root, "f", "KeyF", true), "Ctrl+F is find");
    assert!(!key(&root, "Tab", "Tab", false), "Tab leaves the terminal");
    assert!(key(&root, "]", "BracketRight", true), "Ctrl+] is Telnet's");
    assert!(
        key(&root, "c", "KeyC", true),
        "Ctrl+C without a selection interrupts"
    );
}

#[wasm_bindgen_test]
async fn terminal_text_is_text_never_markup() {
    let root = mount("").await;
    type_text(&root, "<b>x</b>&amp;").await;
    let current = find(&root, "[data-testid=current-line]");
    assert!(current.query_selector("b").ok().flatten().is_none());
    assert!(current
        .text_content()
        .unwrap_or_default()
        .contains("<b>x</b>&amp;"));
}

#[wasm_bindgen_test]
async fn bad_url_values_give_a_plain_notice_and_the_app_still_runs() {
    let root = mount("?os=win95&theme=pink").await;
    let notice = text(&root, "[data-testid=notices]");
    assert!(notice.contains("win95"), "{notice}");
    assert!(notice.contains("pink"), "{notice}");
    assert!(find(&root, ".app").class_list().contains("theme-console"));
    assert!(text(&root, "[data-testid=current-line]").contains('>'));
}

#[wasm_bindgen_test]
async fn theme_and_embed_come_from_the_address() {
    let root = mount("?theme=light&embed=1").await;
    let app = find(&root, ".app");
    assert!(app.class_list().contains("theme-light"));
    assert!(app.class_list().contains("embed"));
    assert!(root.query_selector(".panels").ok().flatten().is_none());
}

#[wasm_bindgen_test]
async fn clear_button_empties_the_scrollback_but_keeps_the_prompt() {
    let root = mount("").await;
    type_text(&root, "x").await;
    key(&root, "Enter", "Enter", false);
    yew::scheduler::flush().await;
    assert!(root.query_selector(".block .line").ok().flatten().is_some());
    let clear = root
        .query_selector(".toolbar button")
        .ok()
        .flatten()
        .and_then(|b| b.dyn_into::<HtmlElement>().ok())
        .expect("clear button");
    clear.click();
    yew::scheduler::flush().await;
    assert!(root.query_selector(".block .line").ok().flatten().is_none());
    assert!(text(&root, "[data-testid=current-line]").contains('>'));
}

#[wasm_bindgen_test]
async fn explain_panel_says_what_a_relay_refusal_means() {
    use smtp_trainer::smtp::{explain, persona};
    use smtp_trainer::ui::panels::{ExplainPanel, ExplainProps, Explained};
    let line = "550 5.7.1 Unable to relay for someone@example.net";
    let p = persona::get("exchange2003");
    let props = ExplainProps {
        explained: Some(Explained {
            line: line.into(),
            explanation: explain(line, p),
            persona: "Exchange Server 2003".into(),
        }),
        on_explain_last: yew::Callback::noop(),
        server: None,
    };
    let root = mount_with::<ExplainPanel>(props).await;
    let shown = root.text_content().unwrap_or_default();
    assert!(shown.contains("Reply code 550"), "{shown}");
    assert!(shown.contains("Enhanced status 5.7.1"), "{shown}");
    assert!(shown.contains("What to do next"), "{shown}");
}

#[wasm_bindgen_test]
async fn explain_panel_says_when_a_line_is_not_a_reply() {
    use smtp_trainer::ui::panels::{ExplainPanel, ExplainProps, Explained};
    let props = ExplainProps {
        explained: Some(Explained {
            line: "Connecting To mail.contoso.com...".into(),
            explanation: None,
            persona: String::new(),
        }),
        on_explain_last: yew::Callback::noop(),
        server: None,
    };
    let root = mount_with::<ExplainPanel>(props).await;
    let shown = root.text_content().unwrap_or_default();
    assert!(shown.contains("not a server reply"), "{shown}");
}

/// Waits for the browser's next task (events the browser queues, such as a details toggle).
async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback(&resolve);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Mounts a component with `props` under a fresh root.
async fn mount_with<C>(props: C::Properties) -> Element
where
    C: yew::BaseComponent,
{
    let root = gloo::utils::document().create_element("div").expect("div");
    gloo::utils::body().append_child(&root).expect("appended");
    yew::Renderer::<C>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    root
}

/// Waits `ms` milliseconds of the browser's time.
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// A task put off until after the next paint runs once, whether the frame or the timer that
/// stands in for a paused frame comes first.
#[wasm_bindgen_test]
async fn a_task_after_the_next_paint_runs_exactly_once() {
    use std::cell::Cell;
    use std::rc::Rc;
    let runs = Rc::new(Cell::new(0));
    let counted = runs.clone();
    smtp_trainer::ui::browser::after_next_paint(move || counted.set(counted.get() + 1));
    assert_eq!(runs.get(), 0, "not before the frame");
    sleep(400).await;
    assert_eq!(runs.get(), 1);
}

/// The page mounts the app staged: its first frame holds the terminal with its prompt and
/// nothing that can wait; the panels and the trainer are built once that frame is painted.
#[wasm_bindgen_test]
async fn a_staged_app_paints_the_prompt_before_building_the_panels() {
    let props = AppProps {
        query: Some(String::new()),
        staged: true,
    };
    let root = mount_with::<App>(props).await;
    assert!(text(&root, "[data-testid=current-line]").contains('>'));
    let has = |selector: &str| root.query_selector(selector).ok().flatten().is_some();
    const LATER: [&str; 3] = [
        "[data-testid=settings]",
        "[data-testid=mailbox]",
        ".trainer",
    ];
    for later in LATER {
        assert!(!has(later), "{later} waits for the first paint");
    }
    // A frame is painted, then the task queued from it builds the rest.
    for _ in 0..100 {
        if has(".trainer") {
            break;
        }
        next_task().await;
        yew::scheduler::flush().await;
    }
    for later in LATER {
        assert!(has(later), "{later} is shown after the first paint");
    }
    assert!(text(&root, "[data-testid=current-line]").contains('>'));
}

#[wasm_bindgen_test]
async fn mailbox_lists_messages_with_control_characters_made_visible() {
    use smtp_trainer::smtp::{MailStore, MessageKind, StoredMessage};
    use smtp_trainer::ui::panels::{MailboxPanel, MailboxProps};
    use std::rc::Rc;
    let mut store = MailStore::default();
    store.deliver(StoredMessage {
        mailbox: "user@contoso.com".into(),
        from: "admin@test.com".into(),
        content: "Subject: test message\r\n\r\nHELP\u{8}O <b>x</b>\r\n".into(),
        ..StoredMessage::default()
    });
    store.deliver(StoredMessage {
        mailbox: "admin@test.com".into(),
        from: String::new(),
        content: "Subject: Delivered\r\n\r\nreport\r\n".into(),
        kind: MessageKind::Receipt,
        ..StoredMessage::default()
    });
    let opened = Rc::new(std::cell::RefCell::new(Vec::new()));
    let on_open = {
        let opened = opened.clone();
        yew::Callback::from(move |m: (String, String)| opened.borrow_mut().push(m))
    };
    let store = Rc::new(store);
    let root = mount_with::<MailboxPanel>(MailboxProps {
        store: store.clone(),
        landing: Rc::new(
            "Nothing delivered yet. Mailboxes on the mail server: user@contoso.com".into(),
        ),
        on_open: on_open.clone(),
        open: None,
    })
    .await;
    let shown = root.text_content().unwrap_or_default();
    assert!(shown.contains("Mailbox (2)"), "{shown}");
    assert!(shown.contains("Delivery receipt (DSN)"), "{shown}");
    assert!(shown.contains("<> (null sender)"), "{shown}");
    assert!(shown.contains("HELP\u{2408}O <b>x</b>"), "{shown}");
    assert!(root.query_selector("pre b").ok().flatten().is_none());
    // Opening a message to read it is reported (KB 153119's last step); closing it is not.
    let message = root
        .query_selector("[data-kind=Mail] details")
        .ok()
        .flatten()
        .and_then(|d| d.dyn_into::<web_sys::HtmlDetailsElement>().ok())
        .expect("the message's details");
    message.set_open(true);
    sleep(50).await;
    message.set_open(false);
    sleep(50).await;
    let want = vec![("user@contoso.com".to_string(), "test message".to_string())];
    assert_eq!(*opened.borrow(), want);

    // "Show me" names a message to show open: it opens as if clicked, and is reported alike.
    let root = mount_with::<MailboxPanel>(MailboxProps {
        store,
        landing: Rc::new(
            "Nothing delivered yet. Mailboxes on the mail server: user@contoso.com".into(),
        ),
        on_open,
        open: Some(("admin@test.com".into(), 0)),
    })
    .await;
    sleep(50).await;
    let open: Vec<_> = (0..2)
        .filter_map(|i| {
            root.query_selector_all("li.message details")
                .ok()
                .and_then(|l| l.item(i))
                .and_then(|d| d.dyn_into::<web_sys::HtmlDetailsElement>().ok())
                .map(|d| d.open())
        })
        .collect();
    assert_eq!(open, vec![true, false], "the receipt, not the message");
    // Nothing yet: the panel says where mail would land, in the words it is given (IIS
    // without Exchange has only its Drop folder).
    let iis6 = smtp_trainer::smtp::persona::get("iis6")
        .cloned()
        .unwrap_or_default();
    let landing = smtp_trainer::smtp::config::where_mail_lands(&iis6, &[]);
    let root = mount_with::<MailboxPanel>(MailboxProps {
        store: Rc::new(MailStore::default()),
        landing: Rc::new(landing),
        on_open: yew::Callback::noop(),
        open: None,
    })
    .await;
    let shown = root.text_content().unwrap_or_default();
    assert!(shown.contains("Mailbox (0)"), "{shown}");
    assert!(shown.contains("no mailboxes"), "{shown}");
    assert!(shown.contains("C:\\Inetpub\\mailroot\\Drop"), "{shown}");
    let mut want = want;
    want.push(("admin@test.com".to_string(), "Delivered".to_string()));
    assert_eq!(*opened.borrow(), want);
}

#[wasm_bindgen_test]
async fn trace_shows_summaries_and_raw_bytes_on_demand() {
    use smtp_trainer::net::TraceSegment;
    use smtp_trainer::ui::panels::{TracePanel, TraceProps};
    use std::rc::Rc;
    let seg = TraceSegment {
        time: 1_500,
        from: "10.0.0.50:1030".into(),
        to: "10.0.0.25:25".into(),
        bytes: vec![0x08],
        summary: vec!["SMTP: Data, 1 bytes".into(), "SMTP: Data = .".into()],
    };
    let root = mount_with::<TracePanel>(TraceProps {
        segments: Rc::new(vec![Rc::new(seg)]),
        total: 1,
    })
    .await;
    let shown = root.text_content().unwrap_or_default();
    assert!(shown.contains("Network trace (1)"), "{shown}");
    assert!(
        !shown.contains("SMTP: Data, 1 bytes"),
        "frames wait until the panel is opened"
    );
    find(&root, "summary")
        .dyn_into::<HtmlElement>()
        .expect("summary")
        .click();
    // The details element reports its toggle in a task of its own.
    next_task().await;
    yew::scheduler::flush().await;
    let shown = root.text_content().unwrap_or_default();
    assert!(shown.contains("SMTP: Data, 1 bytes"), "{shown}");
    assert!(root.query_selector("pre.hex").ok().flatten().is_none());
    let checkbox = find(&root, "[data-testid=raw-bytes]")
        .dyn_into::<HtmlElement>()
        .expect("checkbox");
    checkbox.click();
    yew::scheduler::flush().await;
    assert!(text(&root, "pre.hex").starts_with("0000  08 "));
}

/// Polls the screen until it shows `needle` or `limit_ms` of the browser's time have passed.
async fn screen_shows_within(root: &Element, needle: &str, limit_ms: i32) -> bool {
    for _ in 0..limit_ms / 100 {
        yew::scheduler::flush().await;
        if text(root, ".screen").contains(needle) {
            return true;
        }
        sleep(100).await;
    }
    false
}

/// The browser's own clock drives the engine's timers: Exchange 2016's tarpit holds a refusal
/// for 5 s of real time, then the app's timer tick shows it.
#[wasm_bindgen_test]
async fn a_refusal_held_by_exchange_2016_s_tarpit_appears_five_seconds_later() {
    let root = mount("?persona=exchange2016").await;
    type_text(&root, "telnet mail.contoso.com 25").await;
    key(&root, "Enter", "Enter", false);
    assert!(screen_shows_within(&root, "ESMTP MAIL Service ready", 5_000).await);
    for line in ["EHLO test.com", "MAIL FROM:a@test.com"] {
        type_text(&root, line).await;
        key(&root, "Enter", "Enter", false);
    }
    assert!(screen_shows_within(&root, "250 2.1.0 Sender OK", 2_000).await);
    type_text(&root, "RCPT TO:nobody@contoso.com").await;
    key(&root, "Enter", "Enter", false);
    let sent = js_sys::Date::now();
    assert!(!screen_shows_within(&root, "550 5.1.1 User unknown", 3_000).await);
    assert!(screen_shows_within(&root, "550 5.1.1 User unknown", 4_000).await);
    let waited = js_sys::Date::now() - sent;
    assert!(waited >= 4_900.0, "{waited} ms");
}
