//! Which command each server reply answered, and which server sent it.
//!
//! The Explain panel is handed a line of text. Text alone is ambiguous: IIS answers a bad
//! `EHLO sub2.` and a bad `MAIL FROM:` address with the same `501 5.5.4 Invalid Address`, and in
//! a lesson that talks to Exchange 5.5, 2003 and 2016 in turn, `250 OK` means different things.
//! The app notes every reply as the workstation reports it (the command line the server
//! received, the server the Telnet client is connected to), so a line picked on screen is
//! explained as that server meant it, in answer to that command: the newest reply worded so,
//! which is the one on screen but for the rare reply worded alike twice in one screenful.

use crate::smtp::command::{split, CommandKind};
use crate::smtp::persona::DEFAULT_PERSONA;
use crate::windows::{SimEvent, Workstation};

/// Reply lines remembered; older ones are explained by their text alone.
pub const REPLIES_KEPT: usize = 2048;

/// The context of one reply line, for [`crate::smtp::explain_reply`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyContext {
    /// The command it answered; `None` for a greeting.
    pub command: Option<CommandKind>,
    /// The persona id of the server that sent it.
    pub persona: String,
}

/// The replies seen so far, newest last: each line's text and its context.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReplyLog {
    noted: Vec<(String, ReplyContext)>,
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
    /// Notes one reply: its lines, the command line it answered and the server's persona.
    pub fn note(&mut self, lines: &[String], sent: Option<&str>, persona: &str) {
        let context = ReplyContext {
            command: command_of(sent),
            persona: persona.to_string(),
        };
        for text in lines {
            self.noted.push((text.clone(), context.clone()));
        }
        let excess = self.noted.len().saturating_sub(REPLIES_KEPT);
        self.noted.drain(..excess);
    }

    /// Notes what one workstation event says: a connection names the server, a reply is
    /// noted with the command it answered.
    pub fn observe(&mut self, event: &SimEvent, ws: &Workstation) {
        let world = ws.world();
        match event {
            SimEvent::TelnetConnected { address, .. } => {
                self.peer = world
                    .find_host(address)
                    .and_then(|i| world.hosts[i].persona.clone());
            }
            SimEvent::SmtpReply { command, lines, .. } => {
                let persona = self.peer.clone().unwrap_or_else(|| {
                    world
                        .main_mail_host()
                        .and_then(|i| world.hosts[i].persona.clone())
                        .unwrap_or_else(|| DEFAULT_PERSONA.to_string())
                });
                self.note(lines, command.as_deref(), &persona);
            }
            _ => {}
        }
    }

    /// The context of a line picked on screen: the newest reply worded so.
    pub fn context(&self, text: &str) -> Option<ReplyContext> {
        let text = text.trim_end_matches(['\r', '\n']);
        self.noted
            .iter()
            .rev()
            .find(|(t, _)| t == text)
            .map(|(_, c)| c.clone())
    }
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
    fn a_line_is_read_as_the_newest_reply_worded_so() {
        let mut log = ReplyLog::default();
        let bad = "501 5.5.4 Invalid Address";
        log.note(&s(&[bad]), Some("EHLO sub2."), "iis5");
        assert_eq!(
            log.context(bad).and_then(|c| c.command),
            Some(CommandKind::Ehlo)
        );
        log.note(
            &s(&[bad]),
            Some("MAIL FROM:a@test.c\u{8}om"),
            "exchange2003",
        );
        let newest = log.context(bad);
        assert_eq!(
            newest.as_ref().and_then(|c| c.command),
            Some(CommandKind::Mail)
        );
        assert_eq!(newest.map(|c| c.persona).as_deref(), Some("exchange2003"));
        log.note(&s(&["250-x Hello", "250 OK"]), Some("EHLO a"), "exchange55");
        assert_eq!(
            log.context("250 OK\r\n").map(|c| c.persona).as_deref(),
            Some("exchange55")
        );
        assert_eq!(log.context("221 bye"), None);
    }

    #[wasm_bindgen_test]
    fn the_log_is_bounded() {
        let mut log = ReplyLog::default();
        for _ in 0..(REPLIES_KEPT + 10) {
            log.note(&s(&["250 OK"]), Some("NOOP"), "iis6");
        }
        assert_eq!(log.noted.len(), REPLIES_KEPT);
    }
}
