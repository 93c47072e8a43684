//! Step checks: predicates over what the simulation did, never over the raw text typed.
//!
//! A learner can reach the same state many ways (abbreviated commands, an IP address instead
//! of a name, a typo corrected with Enter): checking events and state rather than keystrokes
//! accepts every honest way and rejects pretending. Leaf checks match one
//! [`SimEvent`] or look at the workstation's state through [`SimView`]; `all-of` and `any-of`
//! combine them. A leaf that matched once stays matched for the step (a [`Latch`]), so
//! `all-of` can be satisfied by events that happen at different times.

use crate::net::TraceSegment;
use crate::scenario::tagged;
use crate::smtp::{MailStore, MessageKind};
use crate::windows::{SimEvent, Workstation};
use serde::{Deserialize, Serialize};

/// What a step waits for. In a file: a table with the predicate's name under `check`, e.g.
/// `check = { check = "reply-received", command = "MAIL", code = 250 }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
// Written `{ check = "reply-received", ... }` in files: see `scenario::tagged` for why the
// derive is not.
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[cfg_attr(feature = "schema", schemars(tag = "check"))]
pub enum Check {
    /// An SMTP reply arrived in a Telnet session.
    ReplyReceived {
        /// The command it answered: a verb (`EHLO`, `MAIL`, `RCPT`, `DATA`, `QUIT`), `banner`
        /// for the greeting, or `.` for the end of the message. Omitted: any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        command: Option<String>,
        /// The exact reply code. Omitted: any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        code: Option<u16>,
        /// The first digit of the code (2 success, 4 temporary, 5 permanent). Omitted: any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        class: Option<u8>,
        /// Some line of the reply contains this text (any case).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        contains: Option<String>,
        /// No line of the reply contains this text (any case): for spotting what is missing.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lacks: Option<String>,
        /// The command line the server received had a Backspace (BS byte) in it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        backspace: Option<bool>,
        /// The command line this reply answers contains this text (any case): for what a
        /// reply does not echo, such as `NOTIFY=SUCCESS` on an accepted `RCPT TO:`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sent_contains: Option<String>,
        /// The command line this reply answers does not contain this text (any case): for a
        /// mistake such as a recipient accepted without the parameter the step needs.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sent_lacks: Option<String>,
    },
    /// The Telnet client connected.
    TelnetConnected {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        port: Option<u16>,
        /// Host name or address as the learner typed it (any case), or the address a name
        /// resolved to. Omitted: any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        host: Option<String>,
        /// `true`: the learner typed an IP address, not a name (Q142614's "host ID or IP
        /// address"); `false`: a name. Omitted: either.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by_address: Option<bool>,
    },
    /// A Telnet connection attempt failed.
    TelnetFailed {
        /// `refused`, `timed-out` or `unresolved`. Omitted: any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        port: Option<u16>,
    },
    /// A Telnet option was set (`on = true`) or unset: `localecho`, `crlf`, `bsasdel`, ...
    TelnetOption { name: String, on: bool },
    /// `set` or `unset` named an option the client does not have and got `Invalid Command`:
    /// for a lesson's mistakes, such as XP's `localecho` typed on Windows 2000.
    TelnetOptionRefused {
        /// The option as typed (any case; `local_echo` and `localecho` are told apart here).
        /// Omitted: any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
    },
    /// The Telnet connection ended.
    TelnetClosed {
        /// `true`: the server closed it; `false`: the learner did. Omitted: either.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by_server: Option<bool>,
    },
    /// Ctrl+] went to the `Microsoft Telnet>` prompt during a session.
    TelnetEscaped,
    /// A blank Enter at the prompt went back into the session.
    TelnetResumed,
    /// Telnet Client is installed (state: passes at once where it came with Windows).
    TelnetInstalled,
    /// Telnet Client is not installed (state): what `'telnet' is not recognized` means.
    TelnetMissing,
    /// A mailbox holds a message (state), optionally with a subject containing a text.
    MailboxHasMessage {
        mailbox: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        subject_contains: Option<String>,
    },
    /// The learner opened a message of this mailbox in the Mailbox panel, now or earlier in
    /// the lesson: KB 153119's last step, "verify that the recipient received the message",
    /// is done by looking, not by typing. The browser reports it; `smtp-trainer check`
    /// assumes a learner who opens every message delivered.
    MessageOpened {
        mailbox: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        subject_contains: Option<String>,
    },
    /// A mailbox holds a delivery receipt (state).
    DeliveryReceiptIn { mailbox: String },
    /// A mailbox holds a non-delivery report (state).
    NdrIn { mailbox: String },
    /// A ping run ended.
    PingFinished {
        /// The target as typed (any case). Omitted: any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        target: Option<String>,
        /// At least this many echo replies came back.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        received_min: Option<u64>,
        /// At most this many came back (0: the ping failed, which is what a fault shows).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        received_max: Option<u64>,
    },
    /// nslookup answered a query.
    NslookupAnswered {
        /// `A`, `MX`, `PTR` or `ANY` (any case). Omitted: any.
        #[serde(default, skip_serializing_if = "Option::is_none", rename = "type")]
        query_type: Option<String>,
        /// The name asked about (any case, a trailing dot ignored). Omitted: any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        /// `true`: answered with records; `false`: failed. Omitted: either.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        success: Option<bool>,
        /// Some answer line contains this text (any case).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        contains: Option<String>,
    },
    /// The Telnet client sent a complete line to a server (what the server received,
    /// Backspaces included): for steps with no reply of their own, such as the message
    /// headers and body after `DATA`.
    LineSent {
        /// The line contains this text (any case).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        contains: Option<String>,
        /// `true`: an empty line; `false`: a line with something in it. Omitted: either.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        blank: Option<bool>,
        /// Which part of the session the line belongs to: `command`, `header` (message
        /// text after the server's 354, up to the blank line that ends the headers) or `body`
        /// (after that blank line, before the `.`, which is a command). Omitted: any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        part: Option<LinePart>,
    },
    /// A command was run at the cmd prompt.
    CommandRun {
        /// The program, lower case without `.exe` (`ipconfig`, `ping`, `dism`).
        program: String,
        /// The whole line contains this text (any case).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        args_contain: Option<String>,
    },
    /// Every one of these has happened during the step (in any order).
    AllOf {
        #[serde(
            deserialize_with = "tagged::deserialize_vec",
            serialize_with = "tagged::serialize_vec"
        )]
        of: Vec<Check>,
    },
    /// At least one of these has happened.
    AnyOf {
        #[serde(
            deserialize_with = "tagged::deserialize_vec",
            serialize_with = "tagged::serialize_vec"
        )]
        of: Vec<Check>,
    },
}

impl tagged::Tagged for Check {
    const TAG: &'static str = "check";
    const NAMES: &'static [&'static str] = &[
        "reply-received",
        "telnet-connected",
        "telnet-failed",
        "telnet-option",
        "telnet-option-refused",
        "telnet-closed",
        "telnet-escaped",
        "telnet-resumed",
        "telnet-installed",
        "telnet-missing",
        "mailbox-has-message",
        "message-opened",
        "delivery-receipt-in",
        "ndr-in",
        "ping-finished",
        "nslookup-answered",
        "line-sent",
        "command-run",
        "all-of",
        "any-of",
    ];
    const EXPECTING: &'static str = "internally tagged enum Check";
}

/// The state a check may look at. [`Workstation`] implements it; tests use small fakes.
pub trait SimView {
    /// The mailboxes of the world.
    fn mail_store(&self) -> &MailStore;
    /// Whether Telnet Client is installed now.
    fn telnet_installed(&self) -> bool;
    /// Every TCP segment of Telnet sessions, oldest first.
    fn trace(&self) -> &[TraceSegment] {
        &[]
    }
    /// The workstation's own address, to tell what it sent from what it received.
    fn own_ip(&self) -> &str {
        ""
    }
    /// The primary DNS suffix the workstation's resolver appends to a name of one label, so
    /// a check naming mail.contoso.com counts `ping mail`.
    fn dns_suffix(&self) -> Option<&str> {
        None
    }
}

impl SimView for Workstation {
    fn mail_store(&self) -> &MailStore {
        Workstation::mail_store(self)
    }
    fn telnet_installed(&self) -> bool {
        Workstation::telnet_installed(self)
    }
    fn trace(&self) -> &[TraceSegment] {
        Workstation::trace(self)
    }
    fn own_ip(&self) -> &str {
        &self.world().workstation.ip
    }
    fn dns_suffix(&self) -> Option<&str> {
        Workstation::dns_suffix(self)
    }
}

/// Longest line kept while it is being typed; the rest of a longer line is dropped.
const LINE_CAP: usize = 4096;

/// Where a line the client sent falls in the SMTP session, as the server reads it: so a body
/// step is passed by a line of body text, not by the `.` or a header or a command.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum LinePart {
    /// A command, or the `.` that ends a message.
    #[default]
    Command,
    /// Message text after the server's 354, up to and with the blank line ending the headers.
    Header,
    /// Message text after that blank line.
    Body,
}

/// A complete line the Telnet client sent, as a [`LineTap`] reads it from the trace.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SentLine {
    /// The line without its CR LF, Backspaces included.
    pub text: String,
    pub part: LinePart,
}

/// Turns the client's side of the trace into complete lines, for `line-sent` checks. It
/// remembers how far it has read, so each line is reported once, and which part of the
/// session the next line is in: a 354 from the server starts the message text (as the Telnet
/// client pairs replies with commands), its first blank line starts the body, `.` ends it.
#[derive(Debug, Clone, Default)]
pub struct LineTap {
    seen: usize,
    partial: Vec<u8>,
    part: LinePart,
    /// The client's `address:port` of the connection read last: a new one starts in commands.
    client: String,
}

impl LineTap {
    /// A tap that starts reading at the current end of the trace: what was sent before the
    /// exercise began does not count.
    pub fn from_now(view: &dyn SimView) -> LineTap {
        LineTap {
            seen: view.trace().len(),
            ..LineTap::default()
        }
    }

    /// The lines the client completed since the last call.
    pub fn poll(&mut self, view: &dyn SimView) -> Vec<SentLine> {
        let trace = view.trace();
        // The trace drops its oldest half when full: start again from what is there.
        if trace.len() < self.seen {
            self.seen = 0;
        }
        let prefix = format!("{}:", view.own_ip());
        let mut lines = Vec::new();
        for seg in trace.get(self.seen..).unwrap_or(&[]) {
            if !seg.from.starts_with(&prefix) {
                // The server: a 354 invites the message text.
                if seg
                    .bytes
                    .split(|b| *b == b'\n')
                    .any(|l| l.starts_with(b"354"))
                {
                    self.part = LinePart::Header;
                }
                continue;
            }
            if seg.from != self.client {
                self.client.clone_from(&seg.from);
                self.part = LinePart::Command;
                self.partial.clear();
            }
            for &b in &seg.bytes {
                if b == b'\n' {
                    let raw = std::mem::take(&mut self.partial);
                    let raw = raw.strip_suffix(b"\r").unwrap_or(&raw);
                    let text = String::from_utf8_lossy(raw).into_owned();
                    let part = if text == "." {
                        LinePart::Command
                    } else {
                        self.part
                    };
                    self.part = match part {
                        LinePart::Header if text.is_empty() => LinePart::Body,
                        p => p,
                    };
                    lines.push(SentLine { text, part });
                } else if self.partial.len() < LINE_CAP {
                    self.partial.push(b);
                }
            }
        }
        self.seen = trace.len();
        lines
    }
}

/// Which leaves of a check have matched so far, in pre-order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Latch(Vec<bool>);

impl Check {
    /// The leaves (non-combinator checks), counted in pre-order.
    pub fn leaf_count(&self) -> usize {
        match self {
            Check::AllOf { of } | Check::AnyOf { of } => of.iter().map(Check::leaf_count).sum(),
            _ => 1,
        }
    }

    /// Whether the check needs a message opened in the Mailbox panel, so a front end without
    /// panels (an embed) knows to show that one.
    pub fn reads_mailbox(&self) -> bool {
        match self {
            Check::AllOf { of } | Check::AnyOf { of } => of.iter().any(Check::reads_mailbox),
            c => matches!(c, Check::MessageOpened { .. }),
        }
    }

    /// The message a `message-opened` leaf of this check asks for, if it has arrived: its
    /// mailbox (as the store files it) and its place there, the newest that fits. "Show me"
    /// opens it in the Mailbox panel, as the learner would, once the typing is done.
    pub fn message_to_open(&self, store: &MailStore) -> Option<(String, usize)> {
        match self {
            Check::AllOf { of } | Check::AnyOf { of } => {
                of.iter().find_map(|c| c.message_to_open(store))
            }
            Check::MessageOpened {
                mailbox,
                subject_contains,
            } => {
                let fits = |m: &crate::smtp::StoredMessage| {
                    mail_fits(mailbox, subject_contains, &m.mailbox, Some(&m.subject()))
                };
                let messages = store.messages(mailbox);
                let at = messages.iter().rposition(fits)?;
                // The folder's name as the store files it (IIS's Drop folder keeps its case).
                Some((messages.get(at)?.mailbox.clone(), at))
            }
            _ => None,
        }
    }

    /// A fresh latch for this check: nothing matched yet.
    pub fn latch(&self) -> Latch {
        Latch(vec![false; self.leaf_count()])
    }

    /// Feeds one event (or none, to look at state only) and says whether the check holds now.
    /// Leaves that match are remembered in `latch`.
    pub fn observe(&self, event: Option<&SimEvent>, view: &dyn SimView, latch: &mut Latch) -> bool {
        if latch.0.len() != self.leaf_count() {
            *latch = self.latch();
        }
        let mut next = 0;
        let seen = match event {
            Some(e) => Seen::Event(e),
            None => Seen::Nothing,
        };
        self.walk(seen, view, &mut latch.0, &mut next)
    }

    /// Feeds one line the client sent (from a [`LineTap`]); says whether the check holds now.
    pub fn observe_line(&self, line: &SentLine, view: &dyn SimView, latch: &mut Latch) -> bool {
        if latch.0.len() != self.leaf_count() {
            *latch = self.latch();
        }
        let mut next = 0;
        self.walk(Seen::Line(line), view, &mut latch.0, &mut next)
    }

    fn walk(
        &self,
        event: Seen<'_>,
        view: &dyn SimView,
        latch: &mut [bool],
        next: &mut usize,
    ) -> bool {
        match self {
            Check::AllOf { of } => {
                // Every child is walked (no short circuit), so each leaf sees each event.
                let results: Vec<bool> = of
                    .iter()
                    .map(|c| c.walk(event, view, latch, next))
                    .collect();
                results.iter().all(|r| *r)
            }
            Check::AnyOf { of } => {
                let results: Vec<bool> = of
                    .iter()
                    .map(|c| c.walk(event, view, latch, next))
                    .collect();
                results.iter().any(|r| *r)
            }
            leaf => {
                let i = *next;
                *next += 1;
                let Some(slot) = latch.get_mut(i) else {
                    return false;
                };
                if !*slot {
                    *slot = leaf.state_holds(view)
                        || match event {
                            Seen::Event(e) => leaf.matches(e, view.dns_suffix()),
                            Seen::Line(l) => leaf.matches_line(l),
                            Seen::Nothing => false,
                        };
                }
                *slot
            }
        }
    }

    /// Whether a state leaf holds in `view` (event leaves never do).
    fn state_holds(&self, view: &dyn SimView) -> bool {
        let store = view.mail_store();
        match self {
            Check::TelnetInstalled => view.telnet_installed(),
            Check::TelnetMissing => !view.telnet_installed(),
            Check::MailboxHasMessage {
                mailbox,
                subject_contains,
            } => store.messages_for(mailbox).any(|m| {
                m.kind == MessageKind::Mail
                    && subject_contains
                        .as_deref()
                        .is_none_or(|s| contains_ci(&m.subject(), s))
            }),
            Check::DeliveryReceiptIn { mailbox } => store
                .messages_for(mailbox)
                .any(|m| m.kind == MessageKind::Receipt),
            Check::NdrIn { mailbox } => store
                .messages_for(mailbox)
                .any(|m| m.kind == MessageKind::Ndr),
            _ => false,
        }
    }

    /// Whether a `line-sent` leaf matches a line the client sent.
    fn matches_line(&self, line: &SentLine) -> bool {
        match self {
            Check::LineSent {
                contains,
                blank,
                part,
            } => {
                contains
                    .as_deref()
                    .is_none_or(|t| contains_ci(&line.text, t))
                    && blank.is_none_or(|b| b == line.text.trim().is_empty())
                    && part.is_none_or(|p| p == line.part)
            }
            _ => false,
        }
    }

    /// Whether an event leaf matches one event; `suffix` is the workstation's primary DNS
    /// suffix, for names of one label.
    fn matches(&self, event: &SimEvent, suffix: Option<&str>) -> bool {
        match (self, event) {
            (
                Check::ReplyReceived {
                    command,
                    code: want_code,
                    class,
                    contains,
                    lacks,
                    backspace,
                    sent_contains,
                    sent_lacks,
                },
                SimEvent::SmtpReply {
                    command: got,
                    code,
                    lines,
                    ..
                },
            ) => {
                command
                    .as_deref()
                    .is_none_or(|c| command_matches(c, got.as_deref()))
                    && want_code.is_none_or(|w| w == *code)
                    && class.is_none_or(|k| u16::from(k) == code / 100)
                    && contains
                        .as_deref()
                        .is_none_or(|t| lines.iter().any(|l| contains_ci(l, t)))
                    && lacks
                        .as_deref()
                        .is_none_or(|t| !lines.iter().any(|l| contains_ci(l, t)))
                    && backspace
                        .is_none_or(|b| b == got.as_deref().is_some_and(|l| l.contains('\u{8}')))
                    && sent_contains
                        .as_deref()
                        .is_none_or(|t| got.as_deref().is_some_and(|l| contains_ci(l, t)))
                    && sent_lacks
                        .as_deref()
                        .is_none_or(|t| !got.as_deref().is_some_and(|l| contains_ci(l, t)))
            }
            (
                Check::TelnetConnected {
                    port,
                    host,
                    by_address,
                },
                SimEvent::TelnetConnected {
                    host: h,
                    address,
                    port: p,
                },
            ) => {
                port.is_none_or(|w| w == *p)
                    && by_address.is_none_or(|w| w == h.parse::<std::net::Ipv4Addr>().is_ok())
                    && host
                        .as_deref()
                        .is_none_or(|w| w.eq_ignore_ascii_case(h) || w == address)
            }
            (
                Check::TelnetFailed { reason, port },
                SimEvent::TelnetFailed {
                    reason: r, port: p, ..
                },
            ) => reason.as_deref().is_none_or(|w| w == r) && port.is_none_or(|w| w == *p),
            (Check::TelnetOption { name, on }, SimEvent::TelnetSetting { option, on: o }) => {
                option_name(name) == option_name(option) && on == o
            }
            (
                Check::TelnetOptionRefused { name },
                SimEvent::TelnetSettingRefused { option, .. },
            ) => name
                .as_deref()
                .is_none_or(|w| w.eq_ignore_ascii_case(option)),
            (Check::TelnetClosed { by_server }, SimEvent::TelnetClosed { by_server: b, .. }) => {
                by_server.is_none_or(|w| w == *b)
            }
            (Check::TelnetEscaped, SimEvent::TelnetEscaped)
            | (Check::TelnetResumed, SimEvent::TelnetResumed)
            | (Check::TelnetInstalled, SimEvent::TelnetInstalled) => true,
            (
                Check::MailboxHasMessage {
                    mailbox,
                    subject_contains,
                },
                SimEvent::MessageDelivered {
                    mailbox: m,
                    subject,
                    ..
                },
            ) => mail_fits(mailbox, subject_contains, m, subject.as_deref()),
            (
                Check::MessageOpened {
                    mailbox,
                    subject_contains,
                },
                SimEvent::MessageOpened {
                    mailbox: m,
                    subject,
                },
            ) => mail_fits(mailbox, subject_contains, m, Some(subject)),
            (
                Check::PingFinished {
                    target,
                    received_min,
                    received_max,
                },
                SimEvent::PingFinished {
                    target: t,
                    address,
                    received,
                    ..
                },
            ) => {
                target
                    .as_deref()
                    .is_none_or(|w| same_host(w, t, suffix) || address.as_deref() == Some(w))
                    && received_min.is_none_or(|m| *received >= m)
                    && received_max.is_none_or(|m| *received <= m)
            }
            (
                Check::NslookupAnswered {
                    query_type,
                    name,
                    success,
                    contains,
                },
                SimEvent::NslookupAnswer {
                    name: n,
                    query_type: q,
                    answers,
                    error,
                },
            ) => {
                query_type
                    .as_deref()
                    .is_none_or(|w| w.eq_ignore_ascii_case(q))
                    && name.as_deref().is_none_or(|w| same_host(w, n, suffix))
                    && success.is_none_or(|w| w == (error.is_none() && !answers.is_empty()))
                    && contains
                        .as_deref()
                        .is_none_or(|t| answers.iter().any(|a| contains_ci(a, t)))
            }
            (
                Check::CommandRun {
                    program,
                    args_contain,
                },
                SimEvent::CommandRun { program: p, line },
            ) => {
                program.eq_ignore_ascii_case(p)
                    && args_contain.as_deref().is_none_or(|t| contains_ci(line, t))
            }
            _ => false,
        }
    }

    /// Problems with the check's own values, as (path below the check, message), for
    /// instructor files: an unknown command name, an impossible range, an empty combinator.
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        self.collect_problems("", &mut out);
        out
    }

    fn collect_problems(&self, at: &str, out: &mut Vec<(String, String)>) {
        let mut say = |field: &str, msg: String| {
            let path = if at.is_empty() {
                field.to_string()
            } else if field.is_empty() {
                at.to_string()
            } else {
                format!("{at}.{field}")
            };
            out.push((path, msg));
        };
        match self {
            Check::AllOf { of } | Check::AnyOf { of } => {
                if of.is_empty() {
                    say(
                        "of",
                        "lists no checks, so it can never pass or always passes".into(),
                    );
                }
                for (i, c) in of.iter().enumerate() {
                    let sub = if at.is_empty() {
                        format!("of[{i}]")
                    } else {
                        format!("{at}.of[{i}]")
                    };
                    c.collect_problems(&sub, out);
                }
            }
            Check::ReplyReceived {
                command,
                code,
                class,
                sent_contains,
                ..
            } => {
                if sent_contains.is_some()
                    && command
                        .as_deref()
                        .is_some_and(|c| c.eq_ignore_ascii_case("banner"))
                {
                    say(
                        "sent_contains",
                        "the banner answers no line the learner sent, so this never holds".into(),
                    );
                }
                if let Some(c) = command {
                    if !KNOWN_COMMANDS.iter().any(|k| k.eq_ignore_ascii_case(c)) {
                        say(
                            "command",
                            format!(
                                "unknown SMTP command `{c}`; expected one of {}",
                                KNOWN_COMMANDS.join(", ")
                            ),
                        );
                    }
                }
                if code.is_some_and(|c| !(200..600).contains(&c)) {
                    say("code", "an SMTP reply code is between 200 and 599".into());
                }
                if class.is_some_and(|c| !(2..=5).contains(&c)) {
                    say("class", "a reply class is 2, 3, 4 or 5".into());
                }
            }
            Check::PingFinished {
                received_min: Some(lo),
                received_max: Some(hi),
                ..
            } if lo > hi => say("received_min", "is larger than received_max".into()),
            Check::TelnetFailed {
                reason: Some(r), ..
            } if !["refused", "timed-out", "unresolved"].contains(&r.as_str()) => say(
                "reason",
                format!("unknown reason `{r}`; expected refused, timed-out or unresolved"),
            ),
            Check::TelnetOption { name, .. } if !TELNET_OPTIONS.contains(&option_name(name)) => {
                say(
                    "name",
                    format!(
                        "unknown Telnet option `{name}`; expected one of {}",
                        TELNET_OPTIONS.join(", ")
                    ),
                )
            }
            Check::NslookupAnswered {
                query_type: Some(q),
                ..
            } if !["A", "MX", "PTR", "ANY"]
                .iter()
                .any(|k| k.eq_ignore_ascii_case(q)) =>
            {
                say(
                    "type",
                    format!("unknown query type `{q}`; expected A, MX, PTR or ANY"),
                )
            }
            Check::CommandRun { program, .. } if program.trim().is_empty() => {
                say("program", "is empty".into())
            }
            _ => {}
        }
    }
}

/// What a check is shown: an event, a line the client sent, or nothing (state only).
#[derive(Clone, Copy)]
enum Seen<'a> {
    Event(&'a SimEvent),
    Line(&'a SentLine),
    Nothing,
}

/// The command names `reply-received` accepts.
pub const KNOWN_COMMANDS: [&str; 17] = [
    "banner", ".", "HELO", "EHLO", "MAIL", "RCPT", "DATA", "RSET", "NOOP", "QUIT", "VRFY", "EXPN",
    "HELP", "AUTH", "STARTTLS", "TURN", "ETRN",
];

/// The Telnet options a `telnet-option` check may name (Windows 2000's `local_echo` is the
/// same option as `localecho`).
pub const TELNET_OPTIONS: [&str; 6] =
    ["localecho", "crlf", "bsasdel", "delasbs", "ntlm", "logging"];

fn option_name(name: &str) -> &str {
    if name.eq_ignore_ascii_case("local_echo") {
        "localecho"
    } else {
        name
    }
}

/// Whether the check's command name fits the line the server answered (`None`: the banner).
fn command_matches(want: &str, got: Option<&str>) -> bool {
    match got {
        None => want.eq_ignore_ascii_case("banner"),
        Some(line) if want == "." => line == ".",
        Some(line) => {
            let verb = line.split([' ', ':']).next().unwrap_or("");
            verb.eq_ignore_ascii_case(want)
        }
    }
}

/// Whether a message of mailbox `m` with `subject` is the one a mailbox check names.
fn mail_fits(
    mailbox: &str,
    subject_contains: &Option<String>,
    m: &str,
    subject: Option<&str>,
) -> bool {
    mailbox.eq_ignore_ascii_case(m)
        && subject_contains
            .as_deref()
            .is_none_or(|w| subject.is_some_and(|s| contains_ci(s, w)))
}

fn contains_ci(haystack: &str, needle: &str) -> bool {
    haystack
        .to_ascii_lowercase()
        .contains(&needle.to_ascii_lowercase())
}

/// Whether the name a check wants is the one the learner typed: in any case, with or without
/// the final dot, or with the DNS suffix the resolver adds to one label (`ping mail` and
/// `nslookup mail` ask for mail.contoso.com when the suffix is contoso.com).
fn same_host(wanted: &str, typed: &str, suffix: Option<&str>) -> bool {
    let wanted = wanted.trim_end_matches('.');
    wanted.eq_ignore_ascii_case(typed.trim_end_matches('.'))
        || crate::net::qualify(typed, suffix).is_some_and(|q| wanted.eq_ignore_ascii_case(&q))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::smtp::StoredMessage;

    #[derive(Default)]
    struct Fake {
        store: MailStore,
        telnet: bool,
    }

    impl SimView for Fake {
        fn mail_store(&self) -> &MailStore {
            &self.store
        }
        fn telnet_installed(&self) -> bool {
            self.telnet
        }
        /// The default world's suffix.
        fn dns_suffix(&self) -> Option<&str> {
            Some("contoso.com")
        }
    }

    fn reply(command: Option<&str>, code: u16, lines: &[&str]) -> SimEvent {
        SimEvent::SmtpReply {
            command: command.map(str::to_string),
            code,
            lines: lines.iter().map(|l| l.to_string()).collect(),
            key: None,
        }
    }

    fn parse(text: &str) -> Check {
        #[derive(Deserialize)]
        struct W {
            #[serde(deserialize_with = "tagged::deserialize")]
            check: Check,
        }
        match toml::from_str::<W>(text) {
            Ok(w) => w.check,
            Err(e) => panic!("{text}: {e}"),
        }
    }

    /// Makes the event of a table row.
    type MakeEvent = fn() -> SimEvent;

    /// (check in TOML, event, expected)
    const TABLE: &[(&str, MakeEvent, bool)] = &[
        (
            "check = { check = \"reply-received\", command = \"MAIL\", code = 250 }",
            || reply(Some("MAIL FROM:Admin@test.com"), 250, &["250 OK"]),
            true,
        ),
        (
            "check = { check = \"reply-received\", command = \"mail\", code = 250 }",
            || reply(Some("MAIL FROM:Admin@test.com"), 501, &["501 bad"]),
            false,
        ),
        (
            "check = { check = \"reply-received\", command = \"banner\", code = 220 }",
            || reply(None, 220, &["220 mail ready"]),
            true,
        ),
        (
            "check = { check = \"reply-received\", command = \".\", class = 2 }",
            || reply(Some("."), 250, &["250 OK"]),
            true,
        ),
        (
            "check = { check = \"reply-received\", command = \"EHLO\", lacks = \"X-LINK2STATE\" }",
            || reply(Some("EHLO test.com"), 250, &["250-mail Hello", "250 OK"]),
            true,
        ),
        (
            "check = { check = \"reply-received\", command = \"EHLO\", lacks = \"x-link2state\" }",
            || reply(Some("EHLO test.com"), 250, &["250-X-LINK2STATE", "250 OK"]),
            false,
        ),
        (
            "check = { check = \"reply-received\", class = 5, backspace = true }",
            || reply(Some("MAIX\u{8}L FROM:a@b"), 500, &["500 x"]),
            true,
        ),
        (
            "check = { check = \"reply-received\", command = \"RCPT\", sent_contains = \"notify=success\" }",
            || reply(Some("RCPT TO:u@c NOTIFY=SUCCESS,FAILURE"), 250, &["250 2.1.5 u@c"]),
            true,
        ),
        (
            "check = { check = \"reply-received\", command = \"RCPT\", sent_contains = \"NOTIFY=SUCCESS\" }",
            || reply(Some("RCPT TO:u@c"), 250, &["250 2.1.5 u@c"]),
            false,
        ),
        (
            "check = { check = \"reply-received\", command = \"RCPT\", sent_lacks = \"SUCCESS\" }",
            || reply(Some("RCPT TO:u@c NOTIFY=FAILURE"), 250, &["250 2.1.5 u@c"]),
            true,
        ),
        (
            "check = { check = \"reply-received\", command = \"RCPT\", sent_lacks = \"SUCCESS\" }",
            || reply(Some("rcpt to:u@c notify=success"), 250, &["250 2.1.5 u@c"]),
            false,
        ),
        (
            "check = { check = \"telnet-connected\", port = 25 }",
            || SimEvent::TelnetConnected {
                host: "mail.contoso.com".into(),
                address: "10.0.0.25".into(),
                port: 25,
            },
            true,
        ),
        (
            "check = { check = \"telnet-connected\", host = \"10.0.0.25\" }",
            || SimEvent::TelnetConnected {
                host: "mail.contoso.com".into(),
                address: "10.0.0.25".into(),
                port: 25,
            },
            true,
        ),
        (
            "check = { check = \"telnet-connected\", host = \"10.0.0.25\", by_address = true }",
            || SimEvent::TelnetConnected {
                host: "mail.contoso.com".into(),
                address: "10.0.0.25".into(),
                port: 25,
            },
            false,
        ),
        (
            "check = { check = \"telnet-connected\", host = \"10.0.0.25\", by_address = true }",
            || SimEvent::TelnetConnected {
                host: "10.0.0.25".into(),
                address: "10.0.0.25".into(),
                port: 25,
            },
            true,
        ),
        (
            "check = { check = \"telnet-connected\", by_address = false }",
            || SimEvent::TelnetConnected {
                host: "10.0.0.25".into(),
                address: "10.0.0.25".into(),
                port: 25,
            },
            false,
        ),
        (
            "check = { check = \"telnet-option\", name = \"local_echo\", on = true }",
            || SimEvent::TelnetSetting {
                option: "localecho".into(),
                on: true,
            },
            true,
        ),
        (
            "check = { check = \"telnet-option-refused\", name = \"LocalEcho\" }",
            || SimEvent::TelnetSettingRefused {
                option: "localecho".into(),
                on: true,
            },
            true,
        ),
        (
            // The two spellings are the same option once set, but not as a slip.
            "check = { check = \"telnet-option-refused\", name = \"local_echo\" }",
            || SimEvent::TelnetSettingRefused {
                option: "localecho".into(),
                on: true,
            },
            false,
        ),
        (
            "check = { check = \"telnet-option-refused\" }",
            || SimEvent::TelnetSetting {
                option: "localecho".into(),
                on: true,
            },
            false,
        ),
        (
            "check = { check = \"ping-finished\", target = \"127.0.0.1\", received_min = 4 }",
            || SimEvent::PingFinished {
                target: "127.0.0.1".into(),
                address: Some("127.0.0.1".into()),
                sent: 4,
                received: 3,
            },
            false,
        ),
        (
            "check = { check = \"ping-finished\", target = \"mail.contoso.com\", received_max = 0 }",
            || SimEvent::PingFinished {
                target: "MAIL".into(),
                address: None,
                sent: 0,
                received: 0,
            },
            true,
        ),
        (
            "check = { check = \"ping-finished\", received_max = 0 }",
            || SimEvent::PingFinished {
                target: "10.0.0.1".into(),
                address: Some("10.0.0.1".into()),
                sent: 4,
                received: 0,
            },
            true,
        ),
        (
            "check = { check = \"nslookup-answered\", name = \"mail.contoso.com\", success = false }",
            || SimEvent::NslookupAnswer {
                name: "mail".into(),
                query_type: "A".into(),
                answers: vec![],
                error: Some("non-existent-domain".into()),
            },
            true,
        ),
        (
            "check = { check = \"nslookup-answered\", name = \"mail.contoso.com\" }",
            || SimEvent::NslookupAnswer {
                name: "mail.fabrikam.com".into(),
                query_type: "A".into(),
                answers: vec![],
                error: Some("non-existent-domain".into()),
            },
            false,
        ),
        (
            "check = { check = \"nslookup-answered\", type = \"mx\", name = \"contoso.com.\", success = true }",
            || SimEvent::NslookupAnswer {
                name: "contoso.com".into(),
                query_type: "MX".into(),
                answers: vec!["contoso.com MX preference = 10".into()],
                error: None,
            },
            true,
        ),
        (
            "check = { check = \"command-run\", program = \"ipconfig\", args_contain = \"/ALL\" }",
            || SimEvent::CommandRun {
                program: "ipconfig".into(),
                line: "ipconfig /all".into(),
            },
            true,
        ),
        (
            "check = { check = \"telnet-closed\", by_server = true }",
            || SimEvent::TelnetClosed {
                host: "mail".into(),
                by_server: false,
            },
            false,
        ),
    ];

    #[test]
    fn a_short_name_counts_only_with_the_workstations_suffix() {
        let ping = |target: &str| SimEvent::PingFinished {
            target: target.into(),
            address: Some("10.0.0.25".into()),
            sent: 4,
            received: 4,
        };
        let check = parse("check = { check = \"ping-finished\", target = \"mail.fabrikam.com\" }");
        for (suffix, typed, want) in [
            (Some("fabrikam.com"), "mail", true),
            (Some("contoso.com"), "mail", false),
            (None, "mail", false),
            (None, "mail.fabrikam.com", true),
        ] {
            assert_eq!(
                check.matches(&ping(typed), suffix),
                want,
                "{suffix:?} {typed}"
            );
        }
    }

    #[test]
    fn leaves_match_their_events() {
        let view = Fake::default();
        for (text, event, want) in TABLE {
            let check = parse(text);
            let mut latch = check.latch();
            assert_eq!(
                check.observe(Some(&event()), &view, &mut latch),
                *want,
                "{text}"
            );
        }
    }

    #[test]
    fn all_of_latches_leaves_across_events() {
        let check = parse(
            "check = { check = \"all-of\", of = [{ check = \"telnet-option\", name = \"localecho\", on = true }, { check = \"reply-received\", command = \"EHLO\", code = 250 }] }",
        );
        let view = Fake::default();
        let mut latch = check.latch();
        let set = SimEvent::TelnetSetting {
            option: "localecho".into(),
            on: true,
        };
        assert!(!check.observe(Some(&set), &view, &mut latch));
        assert!(check.observe(
            Some(&reply(Some("EHLO x"), 250, &["250 OK"])),
            &view,
            &mut latch
        ));
    }

    #[test]
    fn state_checks_look_at_the_mail_store() {
        let check = parse(
            "check = { check = \"any-of\", of = [{ check = \"delivery-receipt-in\", mailbox = \"admin@contoso.com\" }, { check = \"telnet-installed\" }] }",
        );
        let mut view = Fake::default();
        let mut latch = check.latch();
        assert!(!check.observe(None, &view, &mut latch));
        view.store.deliver(StoredMessage {
            mailbox: "admin@contoso.com".into(),
            kind: MessageKind::Receipt,
            ..StoredMessage::default()
        });
        assert!(check.observe(None, &view, &mut latch));
        let subject = parse(
            "check = { check = \"mailbox-has-message\", mailbox = \"Admin@Contoso.com\", subject_contains = \"TEST\" }",
        );
        assert!(!subject.observe(None, &view, &mut subject.latch()));
        // IIS without Exchange: the message for admin@ sits in the Drop folder, addressed to it.
        view.store.deliver(StoredMessage {
            mailbox: crate::smtp::store::DROP_FOLDER.into(),
            content: "x-sender: a@b.c\r\nx-receiver: admin@contoso.com\r\nSubject: a test\r\n\r\n"
                .into(),
            ..StoredMessage::default()
        });
        assert!(subject.observe(None, &view, &mut subject.latch()));
    }

    #[test]
    fn the_message_to_open_is_named_by_its_folder_as_filed() {
        let mut store = MailStore::default();
        for (mailbox, subject) in [
            ("john@contoso.com", "one"),
            (crate::smtp::store::DROP_FOLDER, "two"),
            ("john@contoso.com", "three"),
        ] {
            store.deliver(StoredMessage {
                mailbox: mailbox.into(),
                content: format!("Subject: {subject}\r\n\r\n"),
                ..StoredMessage::default()
            });
        }
        let table = [
            ("John@Contoso.com", "", Some(("john@contoso.com", 1))),
            ("john@contoso.com", "one", Some(("john@contoso.com", 0))),
            (
                "drop (c:\\inetpub\\mailroot\\drop)",
                "",
                Some((crate::smtp::store::DROP_FOLDER, 0)),
            ),
            (
                crate::smtp::store::DROP_FOLDER,
                "two",
                Some((crate::smtp::store::DROP_FOLDER, 0)),
            ),
            ("user@contoso.com", "", None),
        ];
        for (mailbox, subject, want) in table {
            let check = Check::MessageOpened {
                mailbox: mailbox.into(),
                subject_contains: (!subject.is_empty()).then(|| subject.to_string()),
            };
            let got = check.message_to_open(&store);
            let want = want.map(|(m, at)| (m.to_string(), at));
            assert_eq!(got, want, "{mailbox} {subject}");
        }
    }

    /// A view with only a trace: the client is 10.0.0.5.
    #[derive(Default)]
    struct Wire {
        store: MailStore,
        trace: Vec<TraceSegment>,
    }

    impl SimView for Wire {
        fn mail_store(&self) -> &MailStore {
            &self.store
        }
        fn telnet_installed(&self) -> bool {
            true
        }
        fn trace(&self) -> &[TraceSegment] {
            &self.trace
        }
        fn own_ip(&self) -> &str {
            "10.0.0.5"
        }
    }

    impl Wire {
        fn seg(&mut self, from: &str, bytes: &[u8]) {
            self.trace.push(TraceSegment {
                time: 0,
                from: from.into(),
                to: String::new(),
                bytes: bytes.to_vec(),
                summary: Vec::new(),
            });
        }
    }

    #[test]
    fn the_tap_tells_commands_headers_and_body_apart() {
        use LinePart::{Body, Command, Header};
        let (me, server) = ("10.0.0.5:1029", "10.0.0.25:25");
        let mut w = Wire::default();
        let mut tap = LineTap::default();
        w.seg(server, b"220 ready\r\n");
        w.seg(me, b"DATA\r\n");
        w.seg(server, b"354 Start mail input\r\n");
        // Split across segments as keys are typed; `..` is dot-stuffed text, not the end.
        w.seg(me, b"Subject: t\r\n\r");
        w.seg(me, b"\nbody\r\n..\r\n.\r\nQUIT\r\n");
        let got: Vec<(String, LinePart)> =
            tap.poll(&w).into_iter().map(|l| (l.text, l.part)).collect();
        let want = [
            ("DATA", Command),
            ("Subject: t", Header),
            ("", Header),
            ("body", Body),
            ("..", Body),
            (".", Command),
            ("QUIT", Command),
        ];
        let want: Vec<(String, LinePart)> = want.iter().map(|(t, p)| (t.to_string(), *p)).collect();
        assert_eq!(got, want);
        // A session cut during DATA: the next connection starts with commands.
        w.seg(me, b"DATA\r\n");
        w.seg(server, b"354 go\r\n");
        w.seg("10.0.0.5:1030", b"EHLO x\r\n");
        let parts: Vec<LinePart> = tap.poll(&w).into_iter().map(|l| l.part).collect();
        assert_eq!(parts, [Command, Command]);
        let body = parse("check = { check = \"line-sent\", blank = false, part = \"body\" }");
        let dot = SentLine {
            text: ".".into(),
            part: Command,
        };
        assert!(!body.observe_line(&dot, &w, &mut body.latch()));
    }

    #[test]
    fn problems_are_found_with_their_paths() {
        let check = parse(
            "check = { check = \"all-of\", of = [{ check = \"reply-received\", command = \"MALE\" }, { check = \"any-of\", of = [] }] }",
        );
        let paths: Vec<String> = check.problems().into_iter().map(|(p, _)| p).collect();
        assert_eq!(paths, ["of[0].command", "of[1].of"]);
        let banner = parse(
            "check = { check = \"reply-received\", command = \"banner\", sent_contains = \"x\" }",
        );
        let paths: Vec<String> = banner.problems().into_iter().map(|(p, _)| p).collect();
        assert_eq!(paths, ["sent_contains"]);
    }
}
