//! The terminal: an 80-column console view with a blinking cursor, and the keyboard sink that
//! turns the learner's typing (physical keys, paste, a phone's on-screen keyboard) into
//! [`Key`]s for the workstation.
//!
//! Keys are read from a transparent `<textarea>` inside the terminal rather than from the view
//! itself: it is what makes a phone open its keyboard, lets input methods compose text, and
//! gives paste events. The view holds only text nodes (never markup built from strings), and
//! full blocks of lines are never re-rendered (see [`super::screen`]).

use super::keys::{map_key, paste_keys, KeyAction, KeyPress};
use super::screen::{Block, Screen, BLOCK_LINES};
use crate::windows::{InputMode, Key};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

/// Keys a phone keyboard lacks, shown as buttons on touch screens: (label, spoken name, key).
pub const KEYBAR: &[(&str, &str, Key)] = &[
    (
        "Ctrl+]",
        "Control plus right bracket, Telnet escape",
        Key::CtrlBracket,
    ),
    ("Ctrl+C", "Control plus C, interrupt", Key::CtrlC),
    ("Esc", "Escape", Key::Escape),
    ("Tab", "Tab", Key::Tab),
    ("\u{2191}", "Up arrow, previous command", Key::Up),
    ("\u{2193}", "Down arrow, next command", Key::Down),
    ("\u{232b}", "Backspace", Key::Backspace),
    ("\u{21b5}", "Enter", Key::Enter),
];

/// How each input mode is described under the terminal, in words (not colour alone).
pub fn mode_label(mode: InputMode) -> &'static str {
    match mode {
        InputMode::CmdLine => "Command Prompt",
        InputMode::TelnetPrompt => "Microsoft Telnet prompt",
        InputMode::TelnetSession => "Telnet session: each key goes straight to the server",
        InputMode::Nslookup => "nslookup prompt",
        InputMode::Busy => "Running: Ctrl+C stops it",
    }
}

/// The terminal's inputs.
#[derive(Properties, PartialEq)]
pub struct TerminalProps {
    pub screen: Screen,
    pub mode: InputMode,
    /// Lines for the screen reader, newest last; each entry is (sequence number, text).
    pub announcements: Rc<Vec<(u64, Rc<str>)>>,
    /// Keys typed or tapped, in order.
    pub on_keys: Callback<Vec<Key>>,
    /// Text pasted into the terminal, to be typed as keystrokes (see [`paste_keys`]).
    pub on_paste: Callback<String>,
    /// A line the learner clicked or selected (its first line), for the Explain panel, with
    /// the console's number of a clicked line (a selection has none).
    #[prop_or_default]
    pub on_line: Callback<(String, Option<u64>)>,
    /// Take the keyboard focus when first shown, so keyboard-only use works from first load.
    #[prop_or(true)]
    pub autofocus: bool,
}

/// The console view and its keyboard sink.
#[component]
pub fn Terminal(props: &TerminalProps) -> Html {
    let sink = use_node_ref();
    let view = use_node_ref();

    {
        let sink = sink.clone();
        let autofocus = props.autofocus;
        use_effect_with((), move |_| {
            if autofocus {
                focus(&sink);
            }
        });
    }
    {
        // Follow the output as a console does: keep the newest line in view after every change.
        let view = view.clone();
        use_effect(move || {
            if let Some(el) = view.cast::<HtmlElement>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }

    let onkeydown = {
        let on_keys = props.on_keys.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.is_composing() {
                return;
            }
            let key = e.key();
            let code = e.code();
            let press = KeyPress {
                key: &key,
                code: &code,
                ctrl: e.ctrl_key(),
                alt: e.alt_key(),
                meta: e.meta_key(),
                has_selection: !super::browser::selection_text().is_empty(),
            };
            if let KeyAction::Send(k) = map_key(&press) {
                e.prevent_default();
                on_keys.emit(vec![k]);
            }
        })
    };
    let onpaste = {
        let on_paste = props.on_paste.clone();
        Callback::from(move |e: Event| {
            let Some(e) = e.dyn_ref::<web_sys::ClipboardEvent>() else {
                return;
            };
            e.prevent_default();
            let text = e
                .clipboard_data()
                .and_then(|d| d.get_data("text").ok())
                .unwrap_or_default();
            if !text.is_empty() {
                on_paste.emit(text);
            }
        })
    };
    // Text that arrives without a keydown we handled: a phone keyboard, an input method, a
    // dead-key accent. Whatever lands in the sink is typed, then the sink is emptied.
    let oninput = {
        let on_keys = props.on_keys.clone();
        let sink = sink.clone();
        Callback::from(move |e: InputEvent| {
            if e.is_composing() {
                return;
            }
            let keys = match e.input_type().as_str() {
                "insertLineBreak" | "insertParagraph" => vec![Key::Enter],
                "deleteContentBackward" => vec![Key::Backspace],
                _ => take_sink_text(&sink),
            };
            clear_sink(&sink);
            if !keys.is_empty() {
                on_keys.emit(keys);
            }
        })
    };
    {
        // Text an input method composed arrives after its last input event, so it is picked up
        // at compositionend. (Yew has no attribute for that event; a listener is attached.)
        let on_keys = props.on_keys.clone();
        let sink = sink.clone();
        use_effect_with((), move |_| {
            let listener = sink.cast::<HtmlElement>().map(|el| {
                let sink = sink.clone();
                gloo::events::EventListener::new(&el, "compositionend", move |_| {
                    let keys = take_sink_text(&sink);
                    clear_sink(&sink);
                    if !keys.is_empty() {
                        on_keys.emit(keys);
                    }
                })
            });
            move || drop(listener)
        });
    }
    // Clicking the terminal gives it the keyboard, unless the click ended a text selection
    // (focusing then would make the learner lose what they meant to copy).
    let onclick = {
        let sink = sink.clone();
        Callback::from(move |_: MouseEvent| {
            if super::browser::selection_text().is_empty() {
                focus(&sink);
            }
        })
    };

    // A click on a line, or the end of a selection, picks that line for the Explain panel.
    let onmouseup = {
        let on_line = props.on_line.clone();
        Callback::from(move |e: MouseEvent| {
            let selected = super::browser::selection_text();
            let (picked, number) = if selected.trim().is_empty() {
                let line = e
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .and_then(|el| el.closest(".line").ok().flatten());
                let number = line
                    .as_ref()
                    .and_then(|l| l.get_attribute("data-line"))
                    .and_then(|n| n.parse::<u64>().ok());
                let text = line.and_then(|l| l.text_content()).unwrap_or_default();
                (text, number)
            } else {
                let first = selected.lines().find(|l| !l.trim().is_empty());
                (first.unwrap_or("").to_string(), None)
            };
            if !picked.trim().is_empty() {
                on_line.emit((picked, number));
            }
        })
    };
    let keybar: Vec<Html> = KEYBAR
        .iter()
        .map(|(label, spoken, key)| {
            let on_keys = props.on_keys.clone();
            let key = *key;
            let sink = sink.clone();
            html! {
                <button type="button" class="key" aria-label={*spoken}
                    // Keep the focus (and a phone's keyboard) in the terminal.
                    onmousedown={Callback::from(|e: MouseEvent| e.prevent_default())}
                    onclick={Callback::from(move |_| { on_keys.emit(vec![key]); focus(&sink); })}>
                    { *label }
                </button>
            }
        })
        .collect();

    let screen = &props.screen;
    html! {
        <div class="terminal" data-testid="terminal" data-mode={format!("{:?}", props.mode)}
            {onclick}>
            <div class="screen" ref={view} role="document" aria-label="Console output" {onmouseup}>
                { for screen.blocks.iter().map(|b| html! { <LineBlock key={b.first} block={b.clone()} /> }) }
                <CurrentLine text={screen.current.clone()} cursor={screen.cursor} />
            </div>
            <textarea class="sink" ref={sink} aria-label="Terminal input: type commands here"
                autocomplete="off" autocapitalize="off" spellcheck="false" rows="1"
                {onkeydown} {onpaste} {oninput} />
            <p class="mode" data-testid="mode">{ mode_label(props.mode) }</p>
            <div class="keybar" role="group" aria-label="Special keys">{ for keybar }</div>
            <div class="sr-only" role="log" aria-live="polite" data-testid="announcer">
                { for props.announcements.iter().map(|(n, t)| html! { <p key={*n}>{ t.as_ref() }</p> }) }
            </div>
        </div>
    }
}

fn focus(sink: &NodeRef) {
    if let Some(el) = sink.cast::<HtmlElement>() {
        let _ = el.focus();
    }
}

fn take_sink_text(sink: &NodeRef) -> Vec<Key> {
    sink.cast::<HtmlTextAreaElement>()
        .map(|t| paste_keys(&t.value()))
        .unwrap_or_default()
}

fn clear_sink(sink: &NodeRef) {
    if let Some(t) = sink.cast::<HtmlTextAreaElement>() {
        t.set_value("");
    }
}

#[derive(Properties, PartialEq)]
struct LineBlockProps {
    block: Block,
}

/// A block of finished lines; skipped by the diff unless its lines were replaced.
#[component]
fn LineBlock(props: &LineBlockProps) -> Html {
    let first = props.block.first;
    // Only a full block has a known height, so only full blocks may be skipped off-screen
    // (see `.block.full` in styles/app.css).
    let class = if props.block.lines.len() == BLOCK_LINES {
        "block full"
    } else {
        "block"
    };
    html! {
        <div {class}>
            { for props.block.lines.iter().enumerate().map(|(i, l)| html! {
                <div class={if looks_like_reply(l) { "line reply" } else { "line" }}
                    data-line={(first + i as u64).to_string()}>{ l.as_ref() }</div>
            }) }
        </div>
    }
}

/// Whether a screen line reads as a server reply (`250 OK`, `250-SIZE`): only those are
/// marked as something to click for the Explain panel, so the hover cue does not promise an
/// explanation of a ping line or the prompt.
fn looks_like_reply(line: &str) -> bool {
    let b = line.as_bytes();
    b.len() >= 3
        && b[..3].iter().all(u8::is_ascii_digit)
        && matches!(b.get(3), None | Some(b' ' | b'-'))
}

#[derive(Properties, PartialEq)]
struct CurrentLineProps {
    text: Rc<str>,
    cursor: usize,
}

/// The line being written, with the cursor drawn over the character under it.
#[component]
fn CurrentLine(props: &CurrentLineProps) -> Html {
    let chars: Vec<char> = props.text.chars().collect();
    let at = props.cursor.min(chars.len());
    let before: String = chars[..at].iter().collect();
    let under: String = chars.get(at).map_or(" ".into(), |c| c.to_string());
    let after: String = chars
        .get(at + 1..)
        .map(|r| r.iter().collect())
        .unwrap_or_default();
    html! {
        <div class="line current" data-testid="current-line">
            { before }<span class="cursor" aria-hidden="true">{ under }</span>{ after }
        </div>
    }
}
