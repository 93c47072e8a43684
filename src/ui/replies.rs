//! Which command each server reply on the screen answered, and which server sent it.
//!
//! The Explain panel is handed a line of text. Text alone is ambiguous: IIS answers a bad
//! `EHLO sub2.` and a bad `MAIL FROM:` address with the same `501 5.5.4 Invalid Address`, and in
//! a lesson that talks to Exchange 5.5, 2003 and 2016 in turn, `250 OK` means different things.
//! The app notes every reply as the workstation reports it (the command line the server
//! received, the server the Telnet client is connected to) against the console lines that show
//! it, so a click on a line is explained as that server meant it, in answer to that command.

use crate::smtp::command::{split, CommandKind};
use crate::smtp::persona::{ReplyKey, DEFAULT_PERSONA};
use crate::windows::{SimEvent, Workstation};

/// Replies remembered; older ones are explained by their text alone.
pub const REPLIES_KEPT: usize = 2048;

/// One reply line on the screen and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Noted {
    /// The console's absolute line number, when the line was found on screen.
    line_no: Option<u64>,
    text: String,
    command: Option<CommandKind>,
    key: Option<ReplyKey>,
    persona: String,
}

/// The context of one reply line, for [`crate::smtp::explain_reply`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyContext {
    /// The command it answered; `None` for a greeting.
    pub command: Option<CommandKind>,
    /// The persona reply the server sent, when it said: replies worded alike are told apart.
    pub key: Option<ReplyKey>,
    /// The persona id of the server that sent it.
    pub persona: String,
}

/// The replies seen so far, newest last.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReplyLog {
    noted: Vec<Noted>,
    /// The persona of the server the Telnet client is connected to now (or was, last).
    peer: Option<String>,
}

/// What a command line, as the server received it, is: `.` ends the message text.
pub fn command_of(sent: Option<&str>) -> Option<CommandKind> {
    sent.map(|line| {
        if line == "." {
            CommandKind::EndOfData
        } else {
            split(line).kind
        }
    })
}

impl ReplyLog {
    /// Notes one reply: its lines, the console lines they are on (`first_line` is the absolute
    /// number of the first, when found), the command line it answered, the persona reply the
    /// server said it is and the server's persona.
    pub fn note(
        &mut self,
        lines: &[String],
        first_line: Option<u64>,
        sent: Option<&str>,
        key: Option<ReplyKey>,
        persona: &str,
    ) {
        let command = command_of(sent);
        for (i, text) in lines.iter().enumerate() {
            self.noted.push(Noted {
                line_no: first_line.map(|f| f + i as u64),
                text: text.clone(),
                command,
                key,
                persona: persona.to_string(),
            });
        }
        let excess = self.noted.len().saturating_sub(REPLIES_KEPT);
        self.noted.drain(..excess);
    }

    /// The context of a line picked on screen: by its line number when known, else the newest
    /// reply with the same text.
    pub fn context(&self, text: &str, line_no: Option<u64>) -> Option<ReplyContext> {
        let text = text.trim_end_matches(['\r', '\n']);
        let by_number = line_no.and_then(|n| {
            self.noted
                .iter()
                .rev()
                .find(|r| r.line_no == Some(n) && r.text == text)
        });
        by_number
            .or_else(|| self.noted.iter().rev().find(|r| r.text == text))
            .map(|r| ReplyContext {
                command: r.command,
                key: r.key,
                persona: r.persona.clone(),
            })
    }

    /// Notes what one workstation event says: a connection names the server, a reply is
    /// noted against the console lines that show it (call after the event, the screen as it is).
    pub fn observe(&mut self, event: &SimEvent, ws: &Workstation) {
        let world = ws.world();
        match event {
            SimEvent::TelnetConnected { address, .. } => {
                self.peer = world
                    .find_host(address)
                    .and_then(|i| world.hosts[i].persona.clone());
            }
            SimEvent::SmtpReply {
                command,
                lines,
                key,
                ..
            } => {
                let persona = self.peer.clone().unwrap_or_else(|| {
                    world
                        .main_mail_host()
                        .and_then(|i| world.hosts[i].persona.clone())
                        .unwrap_or_else(|| DEFAULT_PERSONA.to_string())
                });
                let first = locate(ws.console().lines(), lines);
                self.note(lines, first, command.as_deref(), *key, &persona);
            }
            _ => {}
        }
    }
}

/// Where the lines of a reply are on the console: the absolute number of the first, found by
/// looking back from the newest finished line for the reply's last line (a reply is written
/// whole, so its other lines are just above it). `console` is the console's finished lines,
/// oldest first, with their numbers.
pub fn locate<'a>(
    mut console: impl DoubleEndedIterator<Item = (u64, &'a str)>,
    reply: &[String],
) -> Option<u64> {
    let last = reply.last()?;
    let (no, _) = console.rfind(|(_, shown)| *shown == last.as_str())?;
    no.checked_sub(reply.len() as u64 - 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|l| l.to_string()).collect()
    }

    #[wasm_bindgen_test]
    fn command_lines_are_classified_as_the_server_reads_them() {
        let table = [
            (None, None),
            (Some("."), Some(CommandKind::EndOfData)),
            (Some("EHLO sub2."), Some(CommandKind::Ehlo)),
            (Some("mail from:a@b.c"), Some(CommandKind::Mail)),
            (Some("MAIL FROM:a@test.c\u{8}om"), Some(CommandKind::Mail)),
            (Some("EH\u{8}HLO x"), Some(CommandKind::Unknown)),
        ];
        for (sent, want) in table {
            assert_eq!(command_of(sent), want, "{sent:?}");
        }
    }

    #[wasm_bindgen_test]
    fn the_same_text_is_told_apart_by_its_line() {
        let mut log = ReplyLog::default();
        log.note(
            &s(&["501 5.5.4 Invalid Address"]),
            Some(7),
            Some("EHLO sub2."),
            Some(ReplyKey::HelloBadDomain),
            "iis5",
        );
        log.note(
            &s(&["501 5.5.4 Invalid Address"]),
            Some(12),
            Some("MAIL FROM:a@test.c\u{8}om"),
            None,
            "exchange2003",
        );
        let at = |n| log.context("501 5.5.4 Invalid Address", Some(n));
        assert_eq!(at(7).and_then(|c| c.command), Some(CommandKind::Ehlo));
        assert_eq!(at(7).map(|c| c.persona).as_deref(), Some("iis5"));
        assert_eq!(at(7).and_then(|c| c.key), Some(ReplyKey::HelloBadDomain));
        assert_eq!(at(12).and_then(|c| c.key), None);
        assert_eq!(at(12).and_then(|c| c.command), Some(CommandKind::Mail));
        // A selection has no line number: the newest reply with that text.
        let newest = log.context("501 5.5.4 Invalid Address", None);
        assert_eq!(newest.and_then(|c| c.command), Some(CommandKind::Mail));
        assert_eq!(log.context("250 OK", None), None);
    }

    #[wasm_bindgen_test]
    fn a_reply_is_found_on_screen_with_all_its_lines() {
        let console = [
            (40, "250 OK"),
            (41, "250-mail Hello"),
            (42, "250 OK"),
            (43, "Connection to host lost."),
        ];
        let it = || console.iter().map(|(n, l)| (*n as u64, *l));
        assert_eq!(locate(it(), &s(&["250-mail Hello", "250 OK"])), Some(41));
        assert_eq!(locate(it(), &s(&["250 OK"])), Some(42));
        assert_eq!(locate(it(), &s(&["354 Go ahead"])), None);
        assert_eq!(locate(it(), &[]), None);
    }

    #[wasm_bindgen_test]
    fn the_log_is_bounded() {
        let mut log = ReplyLog::default();
        for i in 0..(REPLIES_KEPT as u64 + 10) {
            log.note(&s(&["250 OK"]), Some(i), Some("NOOP"), None, "iis6");
        }
        assert_eq!(log.noted.len(), REPLIES_KEPT);
        assert!(
            log.context("250 OK", Some(3)).is_some(),
            "falls back to the text"
        );
        log = ReplyLog::default();
        assert_eq!(log.context("250 OK", None), None);
    }
}
