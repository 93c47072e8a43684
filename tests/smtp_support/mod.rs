//! The one driver the SMTP integration tests share: feed a session, collect what it did as
//! readable transcript lines.
#![allow(dead_code)]

use smtp_trainer::smtp::{Output, ServerConfig, ServerEvent, ServerOverrides, Session};
use std::sync::Arc;

/// Builds a session for `persona` with `overrides`, from peer 10.0.0.50 at time 0.
pub fn session(persona: &str, overrides: &ServerOverrides, seed: u64) -> Session {
    let config = match ServerConfig::new(persona, overrides) {
        Ok(c) => c,
        Err(e) => panic!("{e}"),
    };
    Session::new(Arc::new(config), "10.0.0.50", 0, seed)
}

/// A delivered message as `M:` lines, one per CRLF-ended line, with the escapes of the golden
/// files' client lines (`\t`, a CR or LF not part of a CRLF, other control bytes as `\xHH`).
fn message_lines(content: &str) -> Vec<String> {
    content
        .split_terminator("\r\n")
        .map(|line| {
            let mut out = String::from("M: ");
            for c in line.chars() {
                match c {
                    '\t' => out.push_str("\\t"),
                    '\r' => out.push_str("\\r"),
                    '\n' => out.push_str("\\n"),
                    '\\' => out.push_str("\\\\"),
                    c if c.is_control() => out.push_str(&format!("\\x{:02X}", c as u32)),
                    c => out.push(c),
                }
            }
            out
        })
        .collect()
}

/// Drains the session's outputs as transcript lines: `S:` reply lines, `E:` events (each
/// delivered message followed by its `M:` lines), `L:` event log entries, `X: closed`.
pub fn drain(s: &mut Session) -> Vec<String> {
    let mut lines = Vec::new();
    while let Some(o) = s.poll_output() {
        match o {
            Output::Transmit(bytes) => {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                assert!(text.ends_with("\r\n"), "a reply must end in CRLF: {text:?}");
                lines.extend(text.split_terminator("\r\n").map(|l| format!("S: {l}")));
            }
            Output::Close => lines.push("X: closed".into()),
            Output::Event(e) => match e {
                ServerEvent::Delivered(m) => {
                    lines.push(format!(
                        "E: delivered {} {:?} subject={}",
                        m.mailbox,
                        m.kind,
                        m.subject()
                    ));
                    lines.extend(message_lines(&m.content));
                }
                ServerEvent::RelayQueued {
                    recipient, message, ..
                } => lines.push(format!(
                    "E: queued {} {:?} subject={}",
                    recipient,
                    message.kind,
                    message.subject()
                )),
                ServerEvent::AwaitingTls => lines.push("E: awaiting tls".into()),
                ServerEvent::Log(l) => lines.push(format!(
                    "L: {:?} {} {} {}",
                    l.level, l.source, l.event_id, l.message
                )),
                ServerEvent::Replied { .. } => {}
            },
        }
    }
    lines
}

/// Lets the clock run until the tarpit has released every reply it holds, as a client that
/// waits for its replies sees them (the idle timeout lies far beyond).
pub fn wait_out_tarpit(s: &mut Session) {
    while let (true, Some(at)) = (s.is_tarpitting(), s.poll_timeout()) {
        s.handle_timeout(at);
    }
}

/// Every reply (raw bytes, one per Transmit) and whether the session closed, once the tarpit
/// has let them go.
pub fn replies(s: &mut Session) -> (Vec<Vec<u8>>, bool) {
    wait_out_tarpit(s);
    let mut out = Vec::new();
    let mut closed = false;
    while let Some(o) = s.poll_output() {
        match o {
            Output::Transmit(b) => out.push(b),
            Output::Close => closed = true,
            Output::Event(_) => {}
        }
    }
    (out, closed)
}
