//! The learner's panels beside the terminal. Each is a pure view of data the app hands it;
//! none calls into the simulation itself.

use crate::clock::Millis;
use crate::net::netmon::printable;
use crate::net::TraceSegment;
use crate::smtp::persona::Confidence;
use crate::smtp::{Explanation, LogLevel, MailStore, MessageKind, StoredMessage};
use crate::windows::console::visible;
use crate::windows::EventLogEntry;
use std::rc::Rc;
use yew::prelude::*;

/// Segments the trace panel lists (the newest); a capture can hold tens of thousands.
pub const TRACE_SHOWN: usize = 300;

/// Bytes per row of the raw-bytes view, as in Network Monitor's hex pane.
const HEX_ROW: usize = 16;

/// Most of one message the Mailbox keeps and shows. A learner's test message is a few hundred
/// bytes; a 10 MB paste delivered whole would otherwise be copied into the panel's snapshot and
/// become one 10 MB text node that nobody reads on screen.
pub const MESSAGE_SHOWN: usize = 64 * 1024;

/// The Mailbox panel's copy of the mail store: every message, each cut to its first
/// [`MESSAGE_SHOWN`] bytes (at a character boundary) with a last line saying how much was left
/// out, so the snapshot and the page stay small whatever was delivered.
pub fn mail_snapshot(store: &MailStore) -> MailStore {
    let mut copy = store.clone();
    for m in copy.mailboxes.values_mut().flatten() {
        if m.content.len() > MESSAGE_SHOWN {
            m.content = cut_message(&m.content);
        }
    }
    copy
}

/// `content` as the Mailbox keeps it: whole up to [`MESSAGE_SHOWN`] bytes, else cut there.
fn cut_message(content: &str) -> String {
    if content.len() <= MESSAGE_SHOWN {
        return content.to_string();
    }
    let mut cut = MESSAGE_SHOWN;
    while !content.is_char_boundary(cut) {
        cut -= 1;
    }
    format!(
        "{}\r\n\u{2026} {} more bytes not shown here",
        &content[..cut],
        content.len() - cut
    )
}

/// Shows stored text safely: line ends kept, every other control character as its visible
/// placeholder (a BS typed during DATA shows as U+2408).
pub fn shown(text: &str) -> String {
    text.replace("\r\n", "\n")
        .chars()
        .map(|c| {
            if c == '\n' || c == '\t' {
                c
            } else {
                visible(c)
            }
        })
        .collect()
}

/// A simulated time as the panels show it: minutes, seconds and milliseconds since the page
/// opened.
pub fn clock(t: Millis) -> String {
    let secs = t / 1000;
    format!("{:02}:{:02}.{:03}", secs / 60, secs % 60, t % 1000)
}

/// The raw-bytes view of a payload: offset, hex, and the printable column.
pub fn hex_dump(bytes: &[u8]) -> String {
    let mut out = String::new();
    for (row, chunk) in bytes.chunks(HEX_ROW).enumerate() {
        let hex: Vec<String> = chunk.iter().map(|b| format!("{b:02X}")).collect();
        let text = printable(chunk);
        out.push_str(&format!(
            "{:04X}  {:<width$}  {text}\n",
            row * HEX_ROW,
            hex.join(" "),
            width = HEX_ROW * 3 - 1
        ));
    }
    out
}

/// What each kind of stored message is, in words.
fn kind_text(kind: MessageKind) -> &'static str {
    match kind {
        MessageKind::Mail => "Message",
        MessageKind::Receipt => "Delivery receipt (DSN)",
        MessageKind::Ndr => "Non-delivery report (NDR)",
    }
}

fn level_text(level: LogLevel) -> &'static str {
    match level {
        LogLevel::Information => "Information",
        LogLevel::Warning => "Warning",
        LogLevel::Error => "Error",
    }
}

/// What each confidence mark means, in the learner's words.
pub fn confidence_text(c: Confidence) -> &'static str {
    match c {
        Confidence::C => {
            "C: seen verbatim in a Microsoft article, a real trace or Microsoft's own string table"
        }
        Confidence::M => {
            "M: from one third-party source, or a documentation example that may have been edited"
        }
        Confidence::R => {
            "R: a reconstruction; plausible, but nobody has seen the product print exactly this"
        }
    }
}

/// The Explain panel's input: the line the learner picked, and what the engine says about it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Explained {
    pub line: String,
    /// `None` when the line is not a server reply (it has no reply code).
    pub explanation: Option<Explanation>,
    /// The persona the explanation was made for, by name.
    pub persona: String,
}

#[derive(Properties, PartialEq)]
pub struct ExplainProps {
    pub explained: Option<Explained>,
    /// "Explain the last reply", so the panel works without a mouse.
    pub on_explain_last: Callback<()>,
    /// The name of the world's main mail server, which a lesson or scenario may change, for
    /// the hint on how to get a first reply; `None` in a world without one.
    #[prop_or_default]
    pub server: Option<String>,
}

/// What to do when there is no reply to explain yet: telnet to the world's main mail server.
pub fn no_reply_hint(server: Option<&str>) -> String {
    let how = server.map_or_else(
        || "telnet to a mail server on port 25".to_string(),
        |s| format!("connect with telnet {s} 25"),
    );
    format!("No server reply yet: {how}, then click a reply or use this button again.")
}

/// Explain: what a reply's code and enhanced status code mean, what the persona meant by it,
/// how sure the reference is of its wording, and what to do next.
#[component]
pub fn ExplainPanel(props: &ExplainProps) -> Html {
    let on_last = props.on_explain_last.reform(|_: MouseEvent| ());
    let body = match &props.explained {
        None => html! {
            <p class="hint">{ "Click or select a server reply in the terminal (a line starting with a code such as 250 or 550) to see what it means." }</p>
        },
        // "Explain the last reply" before any reply: nothing was picked, so say how to get one.
        Some(Explained {
            line,
            explanation: None,
            ..
        }) if line.is_empty() => html! {
            <p>{ no_reply_hint(props.server.as_deref()) }</p>
        },
        Some(Explained {
            line,
            explanation: None,
            ..
        }) => html! {
            <>
                <p class="picked"><code>{ line.as_str() }</code></p>
                <p>{ "This line is not a server reply: replies start with a three-digit code." }</p>
            </>
        },
        Some(Explained {
            line,
            explanation: Some(e),
            persona,
        }) => html! {
            <>
                <p class="picked"><code>{ line.as_str() }</code></p>
                <dl>
                    <dt>{ format!("Reply code {}", e.code) }</dt>
                    <dd>{ e.code_meaning.as_str() }</dd>
                    if let (Some(code), Some(meaning)) = (&e.enhanced, &e.enhanced_meaning) {
                        <dt>{ format!("Enhanced status {code}") }</dt>
                        <dd>{ meaning.as_str() }</dd>
                    }
                    if let Some(meaning) = &e.persona_meaning {
                        <dt>{ format!("What {persona} meant") }</dt>
                        <dd>
                            { meaning.as_str() }
                            if let Some(key) = e.persona_reply {
                                <span class="reply-key">{ format!(" (reply \"{}\")", key.name()) }</span>
                            }
                        </dd>
                    }
                    if let Some(c) = e.confidence {
                        <dt>{ "How sure is this wording?" }</dt>
                        <dd>{ confidence_text(c) }</dd>
                    }
                    <dt>{ "What to do next" }</dt>
                    <dd>{ e.next_step.as_str() }</dd>
                </dl>
            </>
        },
    };
    html! {
        <section class="panel explain" aria-labelledby="explain-title" data-testid="explain">
            <h2 id="explain-title">{ "Explain" }</h2>
            <div aria-live="polite">{ body }</div>
            <button type="button" onclick={on_last}>{ "Explain the last reply" }</button>
        </section>
    }
}

#[derive(Properties)]
pub struct MailboxProps {
    pub store: Rc<MailStore>,
    /// Where mail would land on the main mail server (its mailboxes, or IIS's Drop folder), so
    /// an empty panel still says where to look.
    pub landing: Rc<String>,
    /// A message was opened to be read: (mailbox, subject). KB 153119 ends by looking in the
    /// recipient's mailbox, so the trainer hears of it.
    pub on_open: Callback<(String, String)>,
    /// A message to show open, as if clicked: (mailbox, its place there). "Show me" ends
    /// this way when the lesson ends by reading the message; opening it fires the same
    /// `toggle` a click does, so `on_open` reports it as for the learner.
    #[prop_or_default]
    pub open: Option<(String, usize)>,
}

impl PartialEq for MailboxProps {
    /// The app replaces its snapshot when mail arrives, so identity is change. `on_open`
    /// is left out: the app's callbacks all reach the same component.
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.store, &other.store)
            && self.landing == other.landing
            && self.open == other.open
    }
}

/// Mailbox: what the servers delivered in this session (KB 153119 step 10, "verify that the
/// recipient received the message"), delivery receipts and non-delivery reports included.
#[component]
pub fn MailboxPanel(props: &MailboxProps) -> Html {
    let count: usize = props.store.mailboxes.values().map(Vec::len).sum();
    html! {
        <details class="panel mailbox" data-testid="mailbox" open={count > 0}>
            <summary><h2>{ format!("Mailbox ({count})") }</h2></summary>
            if count == 0 {
                <p class="hint">{ props.landing.as_str() }</p>
            }
            // Keyed, so a message the learner opened stays the one open as more mail arrives.
            { for props.store.mailboxes.iter().filter(|(_, m)| !m.is_empty()).map(|(name, msgs)| html! {
                <section class="mailbox-folder" key={name.as_str()}>
                    <h3>{ format!("{name} ({})", msgs.len()) }</h3>
                    <ol>{ for msgs.iter().enumerate().map(|(i, m)| {
                        let open = props.open.as_ref().is_some_and(|(b, at)| b == name && *at == i);
                        message(i, m, open, &props.on_open)
                    }) }</ol>
                </section>
            }) }
        </details>
    }
}

/// Whether the `<details>` an event came from is open now.
pub fn details_open(e: &Event) -> bool {
    use wasm_bindgen::JsCast;
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlDetailsElement>().ok())
        .is_some_and(|d| d.open())
}

fn message(i: usize, m: &StoredMessage, open: bool, on_open: &Callback<(String, String)>) -> Html {
    let subject = m.subject();
    let opened = (m.mailbox.clone(), subject.clone());
    let on_open = on_open.clone();
    let ontoggle = Callback::from(move |e: Event| {
        if details_open(&e) {
            on_open.emit(opened.clone());
        }
    });
    let from = if m.from.is_empty() {
        "<> (null sender)".to_string()
    } else {
        m.from.clone()
    };
    let subject = if subject.is_empty() {
        "(no subject)".to_string()
    } else {
        shown(&subject)
    };
    html! {
        <li class="message" key={i} data-kind={format!("{:?}", m.kind)}>
            <p><strong>{ kind_text(m.kind) }</strong>{ ": " }{ subject }</p>
            <p class="meta">{ format!("From {} to {}", shown(&from), m.mailbox) }</p>
            <details {ontoggle} {open}>
                <summary>{ "Headers and body" }</summary>
                <pre>{ shown(&m.content) }</pre>
            </details>
        </li>
    }
}

#[derive(Properties, PartialEq)]
pub struct EventsProps {
    pub entries: Rc<Vec<EventLogEntry>>,
}

/// Event Viewer: the servers' application log, newest first, as Windows lists it.
#[component]
pub fn EventsPanel(props: &EventsProps) -> Html {
    let n = props.entries.len();
    html! {
        <details class="panel events" data-testid="events">
            <summary><h2>{ format!("Event Viewer ({n})") }</h2></summary>
            if n == 0 {
                <p class="hint">{ "No events logged yet." }</p>
            } else {
                <table>
                    <thead><tr>
                        <th scope="col">{ "Type" }</th><th scope="col">{ "Date and Time" }</th>
                        <th scope="col">{ "Source" }</th><th scope="col">{ "Event" }</th>
                        <th scope="col">{ "Computer" }</th><th scope="col">{ "Description" }</th>
                    </tr></thead>
                    <tbody>
                        { for props.entries.iter().rev().map(|e| html! {
                            <tr>
                                <td>{ level_text(e.level) }</td>
                                <td>{ e.date_and_time() }</td>
                                <td>{ e.source.as_str() }</td>
                                <td>{ e.event_id }</td>
                                <td>{ e.host.as_str() }</td>
                                <td>{ shown(&e.message) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            }
        </details>
    }
}

#[derive(Properties, PartialEq)]
pub struct TraceProps {
    /// The newest segments, at most [`TRACE_SHOWN`]; each is shared with the app's snapshot so
    /// a frame already shown is never rebuilt.
    pub segments: Rc<Vec<Rc<TraceSegment>>>,
    /// How many segments the capture holds in all.
    pub total: usize,
}

/// Network trace: every segment of the session in the style of a Network Monitor capture (as in
/// KB 240832), with the raw bytes on demand, so the learner can see the 0x08 a Backspace sent.
/// Frames are only rendered while the panel is open: a session adds one per keystroke.
#[component]
pub fn TracePanel(props: &TraceProps) -> Html {
    let raw = use_state(|| false);
    let open = use_state(|| false);
    let toggle_raw = {
        let raw = raw.clone();
        Callback::from(move |_: Event| raw.set(!*raw))
    };
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |e: Event| open.set(details_open(&e)))
    };
    let earlier = props.total.saturating_sub(props.segments.len());
    html! {
        <details class="panel trace" data-testid="trace" {ontoggle}>
            <summary><h2>{ format!("Network trace ({})", props.total) }</h2></summary>
            <label class="inline">
                <input type="checkbox" checked={*raw} onchange={toggle_raw} data-testid="raw-bytes" />
                { " Show raw bytes" }
            </label>
            if props.total == 0 {
                <p class="hint">{ "No traffic yet: connect with telnet to see the SMTP segments." }</p>
            }
            if earlier > 0 {
                <p class="hint">{ format!("Showing the last {} of {} segments.", props.segments.len(), props.total) }</p>
            }
            if *open {
                <ol class="frames" start={(earlier + 1).to_string()}>
                    { for props.segments.iter().enumerate().map(|(i, seg)| html! {
                        <TraceFrame key={earlier + i} segment={seg.clone()} raw={*raw} />
                    }) }
                </ol>
            }
        </details>
    }
}

#[derive(Properties)]
struct TraceFrameProps {
    segment: Rc<TraceSegment>,
    raw: bool,
}

impl PartialEq for TraceFrameProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.segment, &other.segment) && self.raw == other.raw
    }
}

/// One captured segment: time, endpoints, Network Monitor's description, raw bytes if asked.
#[component]
fn TraceFrame(props: &TraceFrameProps) -> Html {
    let seg = &props.segment;
    html! {
        <li class="frame">
            <p class="meta">{ format!("{}  {} \u{2192} {}  {} bytes", clock(seg.time), seg.from, seg.to, seg.bytes.len()) }</p>
            { for seg.summary.iter().map(|l| html! { <p class="summary">{ shown(l) }</p> }) }
            if props.raw {
                <pre class="hex">{ hex_dump(&seg.bytes) }</pre>
            }
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn the_no_reply_hint_names_the_world_s_mail_server() {
        assert_eq!(
            no_reply_hint(Some("mail.fabrikam.com")),
            "No server reply yet: connect with telnet mail.fabrikam.com 25, then click a reply or use this button again."
        );
        assert!(no_reply_hint(None).contains("telnet to a mail server on port 25,"));
    }

    #[wasm_bindgen_test]
    fn raw_bytes_show_a_backspace_as_08() {
        // Offset, 16 columns of hex (47 characters), two spaces, the printable column.
        let row = format!("0000  {:<47}  HELP.O..\n", "48 45 4C 50 08 4F 0D 0A");
        assert_eq!(hex_dump(b"HELP\x08O\r\n"), row);
        assert_eq!(hex_dump(b""), "");
        let two_rows = hex_dump(&[b'a'; 17]);
        assert!(two_rows.starts_with("0000  61 61"), "{two_rows}");
        assert!(two_rows.contains("\n0010  61"), "{two_rows}");
    }

    #[wasm_bindgen_test]
    fn stored_text_is_shown_with_placeholders_and_plain_line_ends() {
        let table = [
            ("Subject: a\r\n\r\nbody\r\n", "Subject: a\n\nbody\n"),
            ("HELP\u{8}O", "HELP\u{2408}O"),
            ("tab\there", "tab\there"),
            ("esc\u{1b}[2J", "esc\u{241b}[2J"),
        ];
        for (raw, want) in table {
            assert_eq!(shown(raw), want, "{raw:?}");
        }
    }

    #[wasm_bindgen_test]
    fn a_huge_message_is_kept_cut_with_what_was_left_out() {
        let small = "Subject: a\r\n\r\nbody\r\n";
        assert_eq!(cut_message(small), small);
        let exact = "x".repeat(MESSAGE_SHOWN);
        assert_eq!(cut_message(&exact), exact);
        let big = format!("{}é{}", "x".repeat(MESSAGE_SHOWN - 1), "y".repeat(1000));
        let out = cut_message(&big);
        assert!(
            out.starts_with(&format!("{}\r\n", "x".repeat(MESSAGE_SHOWN - 1))),
            "cut before the two-byte é"
        );
        assert!(out.ends_with("\u{2026} 1002 more bytes not shown here"));

        let mut store = MailStore::default();
        for content in [small.to_string(), big.clone()] {
            store.deliver(StoredMessage {
                mailbox: "user@contoso.com".into(),
                content,
                ..StoredMessage::default()
            });
        }
        let snapshot = mail_snapshot(&store);
        let kept: Vec<&str> = snapshot.mailboxes["user@contoso.com"]
            .iter()
            .map(|m| m.content.as_str())
            .collect();
        assert_eq!(kept, vec![small, out.as_str()]);
    }

    #[wasm_bindgen_test]
    fn times_read_as_minutes_seconds_milliseconds() {
        assert_eq!(clock(0), "00:00.000");
        assert_eq!(clock(61_005), "01:01.005");
    }
}
