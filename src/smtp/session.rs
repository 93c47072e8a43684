//! The session state machine: one SMTP connection, server side, sans-I/O.
//!
//! Methods come in three families, in the order an edge calls them: [`Session::handle_bytes`]
//! and [`Session::handle_timeout`] feed input and time; [`Session::poll_output`] and
//! [`Session::poll_timeout`] drain what the server wants done; getters such as
//! [`Session::is_closed`] only look. The edge drains outputs after every input.
//!
//! Input may arrive split anywhere: one byte at a time (Microsoft Telnet sends keystrokes as
//! they are typed), one line at a time, or many pipelined commands at once. The outputs are
//! the same for every split. Every complete command line gets exactly one reply; memory is
//! bounded by the persona's limits (a command line by its maximum length, a message by the
//! maximum message size: anything beyond is counted, not kept).

use super::command::{self, ArgError, CommandKind, MailFrom, Notify};
use super::dsn::{self, DsnRequest, ReportedRecipient};
use super::persona::{
    BareLfPolicy, EhloSupport, LocalDelivery, LogKey, LogLevel, MessageIdStyle, ReplyKey,
    TrailingDot, UnknownUserPolicy,
};
use super::reply::{arrival_stamp, fill, printable, rfc822_date, Reply, Rng};
use super::store::{drop_envelope, header_value, MessageKind, DROP_FOLDER};
use super::{ServerConfig, StoredMessage};
use crate::clock::{earliest, Millis, SECOND};
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::sync::Arc;

/// What the session asks its edge to do or know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// Bytes to send to the client: one complete reply (one or more lines ending in CRLF).
    Transmit(Vec<u8>),
    /// Something the server did, for the panels, the event log and lesson checks.
    Event(ServerEvent),
    /// Close the connection once the transmits before it are sent.
    Close,
}

/// An application event log entry, as the Windows Event Viewer would list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEntry {
    /// When, on the edge's clock.
    pub time: Millis,
    /// When, on the server's local wall clock (seconds since 1970 in its time zone): front
    /// ends date the entry as Windows does, from the same clock as the banner and headers.
    pub local_secs: i64,
    pub level: LogLevel,
    /// The event source (`MSExchangeTransport`, `SMTPSVC`, ...).
    pub source: String,
    pub event_id: u32,
    pub message: String,
}

/// Server-side happenings a learner may want to see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerEvent {
    /// A message was delivered into a local mailbox (mail, delivery receipt or NDR).
    Delivered(Box<StoredMessage>),
    /// A message was accepted for a remote domain and queued for delivery there (an
    /// authenticated relay, or a DSN to a sender in another domain). `message.mailbox` is
    /// the remote address.
    RelayQueued {
        recipient: String,
        domain: String,
        message: Box<StoredMessage>,
    },
    /// A reply was sent. `command` is what it answers (`None` for the banner and for replies
    /// the server sends on its own, such as the idle timeout); `key` is the persona reply it
    /// is, as personas word different situations alike (IIS's `501 5.5.4 Invalid Address`
    /// answers both a bare `HELO` and a bad domain) and only the sender knows which it meant.
    Replied {
        command: Option<CommandKind>,
        key: ReplyKey,
        code: u16,
        enhanced: Option<String>,
        text: String,
    },
    /// An entry for the application event log.
    Log(LogEntry),
    /// STARTTLS was accepted: the server now waits for a TLS handshake, which a plain Telnet
    /// session cannot give; the next plain-text bytes close the connection unanswered.
    AwaitingTls,
}

/// Where a recipient's copy goes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Route {
    /// A local mailbox (lower case).
    Local(String),
    /// A local domain without that mailbox, accepted for an NDR after the data.
    Unknown,
    /// A local domain on a server without mailboxes: its Drop folder (IIS without Exchange).
    Drop,
    /// Another domain (authenticated relay).
    Remote(String),
}

#[derive(Debug, Clone)]
struct Recipient {
    address: String,
    notify: Option<Notify>,
    orcpt: Option<String>,
    route: Route,
}

/// An open mail transaction: MAIL FROM was accepted.
#[derive(Debug, Clone, Default)]
struct Transaction {
    from: MailFrom,
    rcpts: Vec<Recipient>,
    /// The message as received so far (dot-unstuffed), never more than the size limit.
    body: Vec<u8>,
    /// Octets received, including those not kept.
    size: u64,
    bare_lf: bool,
    /// BDAT was used: DATA may not follow.
    chunked: bool,
}

/// Where the scanner of message text stands, for finding CRLF.CRLF and undoing dot-stuffing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DataAt {
    /// Just after CRLF (or at the start of the data).
    LineStart,
    /// A `.` at the start of a line.
    Dot,
    /// `.` then CR at the start of a line: LF now ends the data.
    DotCr,
    /// Inside a line.
    Mid,
    /// Just after a CR inside a line.
    Cr,
}

/// What the session expects next.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Mode {
    /// Command lines.
    Command,
    /// Message text after a 354, until CRLF.CRLF.
    Data(DataAt),
    /// A BDAT chunk of `remaining` octets; `refuse` is the reply for a chunk that is read and
    /// thrown away (a BDAT in the wrong place).
    Chunk {
        remaining: u64,
        last: bool,
        size: u64,
        refuse: Option<ReplyKey>,
    },
    /// AUTH LOGIN's base64 user name.
    AuthUser,
    /// AUTH LOGIN's base64 password.
    AuthPassword(String),
    /// After AUTH NTLM's 334: the client's base64 NTLM negotiate message.
    AuthNtlm,
    /// After STARTTLS's 220: only a TLS ClientHello would be understood.
    AwaitTls,
    Closed,
}

/// One SMTP connection, server side. `Clone` so a front end can keep snapshots; `Send` so a
/// server can move it between threads.
#[derive(Debug, Clone)]
pub struct Session {
    config: Arc<ServerConfig>,
    peer_ip: String,
    /// Every output not yet taken: the first `ready` may go now, the rest wait behind the
    /// tarpit's holds.
    out: VecDeque<Output>,
    ready: usize,
    /// The tarpit's holds, oldest first: the instant each may go and how many outputs of `out`
    /// (a held reply and everything queued after it, so replies keep the order of their
    /// commands) it holds.
    holds: Vec<(Millis, usize)>,
    /// When the last held output is released (the server is silent until then, so the idle
    /// timeout counts from there).
    released_at: Millis,
    line: Vec<u8>,
    line_overflow: bool,
    mode: Mode,
    /// The HELO/EHLO domain once greeted.
    helo: Option<String>,
    txn: Option<Transaction>,
    authenticated: Option<String>,
    /// True once the edge has completed a TLS handshake after STARTTLS.
    tls: bool,
    /// The cipher suite that handshake settled on, when the edge named it.
    tls_cipher: Option<String>,
    errors: u32,
    /// When the connection opened, for the connection timeout.
    opened_at: Millis,
    last_input: Millis,
    /// What the reply being sent answers.
    answering: Option<CommandKind>,
    rng: Rng,
    /// The per-connection part of IIS-style queue ids.
    id_stem: String,
    messages: u64,
    /// The last date formatted, by the second it is for.
    date_cache: (i64, String),
}

impl Session {
    /// Opens a connection from `peer_ip` at `now`; the banner is queued at once. `seed` makes
    /// message ids and GUIDs reproducible.
    pub fn new(config: Arc<ServerConfig>, peer_ip: &str, now: Millis, seed: u64) -> Session {
        let mut rng = Rng::new(seed);
        let id_stem = rng.alnum(12);
        let mut s = Session {
            config,
            peer_ip: peer_ip.to_string(),
            out: VecDeque::new(),
            ready: 0,
            holds: Vec::new(),
            released_at: now,
            line: Vec::new(),
            line_overflow: false,
            mode: Mode::Command,
            helo: None,
            txn: None,
            authenticated: None,
            tls: false,
            tls_cipher: None,
            errors: 0,
            opened_at: now,
            last_input: now,
            answering: None,
            rng,
            id_stem,
            messages: 0,
            date_cache: (0, String::new()),
        };
        let banner = s.config.persona.reply(ReplyKey::Banner).text.clone();
        let sent = s.send_text(ReplyKey::Banner, &banner, now, &[]);
        // Q115492: the MS Mail gateway run with full logging writes the 220 it sent to its
        // log. A persona that does so has a `greeting_sent` entry; the others write none.
        s.log(LogKey::GreetingSent, now, &[("reply", &sent)]);
        s
    }

    // ----- inputs -------------------------------------------------------------------------

    /// Feeds bytes as they arrived from the client.
    pub fn handle_bytes(&mut self, bytes: &[u8], now: Millis) {
        // No bytes is no activity: it must not push the idle deadline back.
        if self.hung_up() || bytes.is_empty() {
            return;
        }
        self.last_input = now;
        let mut i = 0;
        while i < bytes.len() && !self.hung_up() {
            let rest = &bytes[i..];
            i += match self.mode {
                Mode::Data(_) => self.feed_data(rest, now),
                Mode::Chunk { .. } => self.feed_chunk(rest, now),
                Mode::AwaitTls => {
                    // Plain text where a TLS ClientHello belongs: a TLS server gives up here,
                    // and nothing pipelined after STARTTLS is ever executed.
                    self.close();
                    rest.len()
                }
                Mode::Closed => rest.len(),
                _ => self.feed_line(rest, now),
            };
        }
    }

    /// The edge finished the TLS handshake that STARTTLS's 220 invited: from now on the bytes
    /// it feeds are the decrypted stream. As RFC 3207 requires, the server forgets the greeting,
    /// any transaction and any authentication, and sends nothing: the client speaks first,
    /// with a new EHLO, whose list is then the one a version offers inside TLS. Ignored unless
    /// the session is waiting for that handshake. `cipher` is the suite negotiated, by its
    /// IANA name, which the Received header names as Exchange does; without it (no real TLS)
    /// the persona's `tls_cipher` is named.
    pub fn handle_tls_established(&mut self, now: Millis, cipher: Option<&str>) {
        if self.mode != Mode::AwaitTls {
            return;
        }
        self.mode = Mode::Command;
        self.tls = true;
        self.tls_cipher = cipher.map(str::to_owned);
        self.helo = None;
        self.txn = None;
        self.authenticated = None;
        self.last_input = now;
    }

    /// Called at or after [`Session::poll_timeout`]'s instant: releases what the tarpit held
    /// until `now`, then the connection timeout, then the idle timeout.
    pub fn handle_timeout(&mut self, now: Millis) {
        while self.holds.first().is_some_and(|&(at, _)| at <= now) {
            self.ready += self.holds.remove(0).1;
        }
        let limits = self.config.limits;
        let (reply, log, secs) = if self.connection_deadline().is_some_and(|d| now >= d) {
            let secs = limits.connection_timeout_secs.unwrap_or(0);
            (ReplyKey::ConnectionTimeout, LogKey::ConnectionTimeout, secs)
        } else if self.idle_deadline().is_some_and(|d| now >= d) {
            let secs = limits.idle_timeout_secs;
            (ReplyKey::IdleTimeout, LogKey::IdleTimeout, secs)
        } else {
            return;
        };
        self.answering = None;
        self.reply(reply, now, &[]);
        self.log(log, now, &[("secs", &secs.to_string())]);
        self.close();
    }

    // ----- outputs ------------------------------------------------------------------------

    /// The next queued output, in order.
    pub fn poll_output(&mut self) -> Option<Output> {
        self.ready = self.ready.checked_sub(1)?;
        self.out.pop_front()
    }

    /// When the session next wants [`Session::handle_timeout`] (a held reply's release, the
    /// connection timeout or the idle timeout), if ever.
    pub fn poll_timeout(&self) -> Option<Millis> {
        match self.holds.first() {
            Some(&(at, _)) => Some(at),
            None => earliest(self.idle_deadline(), self.connection_deadline()),
        }
    }

    /// When the session will have lasted as long as the persona allows any one connection.
    fn connection_deadline(&self) -> Option<Millis> {
        let limit = self.config.limits.connection_timeout_secs?;
        (!self.hung_up()).then(|| self.opened_at.saturating_add(limit.saturating_mul(SECOND)))
    }

    /// When the client will have been silent too long, counted from its last byte or the
    /// server's last held reply, whichever is later.
    fn idle_deadline(&self) -> Option<Millis> {
        if self.hung_up() {
            return None;
        }
        let idle = self.config.limits.idle_timeout_secs.saturating_mul(SECOND);
        Some(self.last_input.max(self.released_at).saturating_add(idle))
    }

    // ----- getters ------------------------------------------------------------------------

    /// True once the server has closed the connection and has nothing more to send: a close
    /// behind a held reply counts only once the tarpit has let both go.
    pub fn is_closed(&self) -> bool {
        self.hung_up() && self.holds.is_empty()
    }

    /// True while the tarpit holds replies back ([`Session::poll_timeout`] says until when).
    /// Input fed meanwhile is answered in order after them, but an edge reading a socket or a
    /// pipe should stop reading until then, as Exchange does: a flood of refused commands then
    /// waits in the client's buffers instead of piling up held replies here, and the client's
    /// end of input is seen only once every reply it is owed has gone.
    pub fn is_tarpitting(&self) -> bool {
        !self.holds.is_empty()
    }

    /// True once the server has decided to close: input is ignored from then on.
    fn hung_up(&self) -> bool {
        self.mode == Mode::Closed
    }

    /// The server this session plays.
    pub fn config(&self) -> &ServerConfig {
        &self.config
    }

    /// True while the client is sending message text (after 354, before the final dot), so a
    /// client can show that its lines get no reply.
    pub fn in_data(&self) -> bool {
        matches!(self.mode, Mode::Data(_) | Mode::Chunk { .. })
    }

    /// The HELO/EHLO domain the client gave, once accepted.
    pub fn greeted_as(&self) -> Option<&str> {
        self.helo.as_deref()
    }

    /// True once the connection is encrypted ([`Session::handle_tls_established`]).
    pub fn is_tls(&self) -> bool {
        self.tls
    }

    /// The user name the client authenticated as, if it did.
    pub fn authenticated_as(&self) -> Option<&str> {
        self.authenticated.as_deref()
    }

    /// Octets held for the current line and message: bounded by the limits.
    pub fn buffered_bytes(&self) -> usize {
        self.line.capacity() + self.txn.as_ref().map_or(0, |t| t.body.capacity())
    }

    // ----- line assembly ------------------------------------------------------------------

    /// Takes bytes up to and including the next LF into the line buffer; runs the line when
    /// it is complete. Returns how many bytes it consumed.
    fn feed_line(&mut self, rest: &[u8], now: Millis) -> usize {
        let (chunk, complete) = match rest.iter().position(|&b| b == b'\n') {
            Some(p) => (&rest[..p], true),
            None => (rest, false),
        };
        // The limit counts the LF too (RFC 5321: 512 octets with CRLF).
        let room = self.config.limits.max_line_length.saturating_sub(1);
        if self.line.len() + chunk.len() > room {
            self.line_overflow = true;
            let keep = room.saturating_sub(self.line.len());
            self.line.extend_from_slice(&chunk[..keep.min(chunk.len())]);
        } else {
            self.line.extend_from_slice(chunk);
        }
        if complete {
            let mut line = std::mem::take(&mut self.line);
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            if std::mem::take(&mut self.line_overflow) {
                // Name the command by the verb it started with, so the panels can tell.
                self.answering = Some(match self.mode {
                    Mode::AuthUser | Mode::AuthPassword(_) | Mode::AuthNtlm => {
                        CommandKind::AuthResponse
                    }
                    _ => command::split(&String::from_utf8_lossy(&line)).kind,
                });
                self.reply(ReplyKey::LineTooLong, now, &[]);
            } else {
                let text = String::from_utf8_lossy(&line).into_owned();
                self.on_line(&text, now);
            }
            line.clear();
            if line.capacity() <= 1024 {
                self.line = line;
            }
            chunk.len() + 1
        } else {
            chunk.len()
        }
    }

    fn on_line(&mut self, line: &str, now: Millis) {
        match std::mem::replace(&mut self.mode, Mode::Command) {
            Mode::AuthUser => self.auth_user(line, now),
            Mode::AuthPassword(user) => self.auth_password(&user, line, now),
            Mode::AuthNtlm => self.auth_ntlm(line, now),
            _ => self.on_command(line, now),
        }
    }

    // ----- commands -----------------------------------------------------------------------

    fn on_command(&mut self, line: &str, now: Millis) {
        let cmd = command::split(line);
        self.answering = Some(cmd.kind);
        let persona = &self.config.persona;
        if cmd.kind == CommandKind::Ehlo && persona.behaviour.ehlo == EhloSupport::RefuseAndClose {
            self.reply(ReplyKey::EhloRefused, now, &[]);
            self.close();
            return;
        }
        if cmd.kind == CommandKind::Unknown || !persona.knows(cmd.verb_text) {
            self.answering = Some(CommandKind::Unknown);
            self.reply(ReplyKey::UnknownCommand, now, &[]);
            return;
        }
        let args = cmd.args;
        match cmd.kind {
            CommandKind::Helo | CommandKind::Ehlo => self.hello(cmd.kind, args, now),
            CommandKind::Mail => self.mail(args, now),
            CommandKind::Rcpt => self.rcpt(args, now),
            CommandKind::Data => self.data(args, now),
            CommandKind::Bdat => self.bdat(args, now),
            CommandKind::Rset => {
                if !args.is_empty() {
                    return self.reply(ReplyKey::BadArgs, now, &[]);
                }
                self.txn = None;
                self.reply(ReplyKey::RsetOk, now, &[]);
            }
            CommandKind::Noop => self.reply(ReplyKey::NoopOk, now, &[]),
            CommandKind::Quit => {
                self.reply(ReplyKey::Quit, now, &[]);
                self.close();
            }
            CommandKind::Vrfy if args.is_empty() => self.reply(ReplyKey::BadArgs, now, &[]),
            CommandKind::Vrfy => self.reply(ReplyKey::Vrfy, now, &[("addr", args)]),
            CommandKind::Expn => self.reply(ReplyKey::Expn, now, &[]),
            CommandKind::Help => self.reply(ReplyKey::Help, now, &[]),
            CommandKind::Turn => self.reply(ReplyKey::Turn, now, &[]),
            CommandKind::Atrn if self.authenticated.is_some() => {
                self.reply(ReplyKey::AtrnAuthenticated, now, &[])
            }
            CommandKind::Atrn => self.reply(ReplyKey::Atrn, now, &[]),
            CommandKind::Etrn => {
                let node = args.trim_start_matches(['@', '#']);
                if command::is_domain(node) {
                    self.reply(ReplyKey::EtrnOk, now, &[("domain", node)]);
                } else {
                    self.reply(ReplyKey::BadArgs, now, &[]);
                }
            }
            CommandKind::Auth => self.auth(args, now),
            CommandKind::Starttls => self.starttls(args, now),
            CommandKind::ExchangeVerb => self.reply(ReplyKey::ExchangeVerb, now, &[]),
            _ => self.reply(ReplyKey::UnknownCommand, now, &[]),
        }
    }

    fn hello(&mut self, kind: CommandKind, args: &str, now: Millis) {
        let domain = args.split([' ', '\t']).next().unwrap_or("");
        if domain.is_empty() {
            let key = if kind == CommandKind::Helo {
                ReplyKey::HeloNoDomain
            } else {
                ReplyKey::EhloNoDomain
            };
            return self.reply(key, now, &[]);
        }
        let b = &self.config.persona.behaviour;
        let trimmed = match b.trailing_dot_in_hello {
            TrailingDot::Accept => domain.strip_suffix('.').unwrap_or(domain),
            TrailingDot::Reject => domain,
        };
        if !command::is_domain(trimmed) {
            let closes = b.bad_hello_closes;
            self.reply(ReplyKey::HelloBadDomain, now, &[("domain", domain)]);
            if closes {
                self.log(LogKey::BadHelloClosed, now, &[("domain", domain)]);
                self.close();
            }
            return;
        }
        self.helo = Some(domain.to_string());
        self.txn = None;
        if kind == CommandKind::Helo {
            return self.reply(ReplyKey::HeloOk, now, &[]);
        }
        let mut text = self
            .config
            .persona
            .reply(ReplyKey::EhloGreeting)
            .text
            .clone();
        let code = text.get(..3).unwrap_or("250").to_string();
        for kw in self.config.persona.ehlo_lines(self.tls) {
            text.push('\n');
            text.push_str(&code);
            text.push(' ');
            text.push_str(kw);
        }
        self.send_text(ReplyKey::EhloGreeting, &text, now, &[]);
    }

    fn mail(&mut self, args: &str, now: Millis) {
        if self.helo.is_none() && self.config.persona.behaviour.hello_required {
            return self.reply(ReplyKey::NeedHello, now, &[]);
        }
        if self.txn.is_some() {
            return self.reply(ReplyKey::SenderAlready, now, &[]);
        }
        if self.config.persona.behaviour.require_auth && self.authenticated.is_none() {
            return self.reply(ReplyKey::AuthRequired, now, &[]);
        }
        let from = match command::parse_mail(args, &self.config.persona.mail_params) {
            Ok(m) => m,
            Err(e) => return self.arg_error(e, ReplyKey::BadSender, now),
        };
        let max = self.config.limits.max_message_size;
        if from.size.is_some_and(|s| s > max) {
            let (size, limit) = (from.size.unwrap_or(0).to_string(), max.to_string());
            self.reply(ReplyKey::TooLarge, now, &[]);
            let vars = [
                ("from", from.address.as_str()),
                ("size", &size),
                ("limit", &limit),
            ];
            return self.log(LogKey::MessageTooLarge, now, &vars);
        }
        let typed = from.typed.clone();
        self.txn = Some(Transaction {
            from,
            ..Transaction::default()
        });
        self.reply(ReplyKey::MailOk, now, &[("addr", &typed)]);
    }

    fn rcpt(&mut self, args: &str, now: Millis) {
        if self.txn.is_none() {
            let key = if self.helo.is_none() && self.config.persona.behaviour.hello_required {
                ReplyKey::NeedHello
            } else {
                ReplyKey::NeedMail
            };
            return self.reply(key, now, &[]);
        }
        let r = match command::parse_rcpt(args, &self.config.persona.rcpt_params) {
            Ok(r) => r,
            Err(e) => return self.arg_error(e, ReplyKey::BadRecipient, now),
        };
        let count = self.txn.as_ref().map_or(0, |t| t.rcpts.len());
        if count >= self.config.limits.max_recipients as usize {
            return self.reply(ReplyKey::TooManyRecipients, now, &[("addr", &r.typed)]);
        }
        let (address, domain) = if r.address.eq_ignore_ascii_case("postmaster") {
            let d = self.config.domains.first().cloned().unwrap_or_default();
            (format!("postmaster@{d}"), d)
        } else {
            (
                r.address.clone(),
                command::domain_of(&r.address).to_string(),
            )
        };
        let vars = [("addr", r.typed.as_str()), ("to", address.as_str())];
        let route = if self.config.is_local_domain(&domain) {
            if self.config.persona.behaviour.local_delivery == LocalDelivery::Drop {
                Route::Drop
            } else if self.config.is_mailbox(&address) {
                Route::Local(address.to_ascii_lowercase())
            } else {
                self.log(LogKey::UnknownRecipient, now, &vars);
                match self.config.persona.behaviour.unknown_user {
                    UnknownUserPolicy::RefuseAtRcpt => {
                        return self.reply(ReplyKey::UnknownUser, now, &vars)
                    }
                    UnknownUserPolicy::Ndr => Route::Unknown,
                }
            }
        } else if self.authenticated.is_some() {
            Route::Remote(domain.to_ascii_lowercase())
        } else {
            self.reply(ReplyKey::RelayDenied, now, &vars);
            return self.log(LogKey::RelayRefused, now, &vars);
        };
        if let Some(t) = self.txn.as_mut() {
            t.rcpts.push(Recipient {
                address,
                notify: r.notify,
                orcpt: r.orcpt,
                route,
            });
        }
        self.reply(ReplyKey::RcptOk, now, &[("addr", &r.typed)]);
    }

    /// The reply for a command whose arguments did not parse.
    fn arg_error(&mut self, e: ArgError, bad_address: ReplyKey, now: Millis) {
        let key = match e {
            ArgError::Syntax | ArgError::BadParamValue(_) => ReplyKey::BadArgs,
            ArgError::Address => bad_address,
            ArgError::UnknownParam(_) => ReplyKey::UnknownParam,
        };
        self.reply(key, now, &[]);
    }

    /// Checks that a transaction can take message text; the refusal if not.
    fn data_refusal(&self) -> Option<ReplyKey> {
        match &self.txn {
            None if self.helo.is_none() && self.config.persona.behaviour.hello_required => {
                Some(ReplyKey::NeedHello)
            }
            None => Some(ReplyKey::NeedMail),
            Some(t) if t.rcpts.is_empty() => Some(ReplyKey::NeedRcpt),
            Some(_) => None,
        }
    }

    fn data(&mut self, args: &str, now: Millis) {
        if let Some(key) = self.data_refusal() {
            return self.reply(key, now, &[]);
        }
        if self.txn.as_ref().is_some_and(|t| t.chunked) {
            return self.reply(ReplyKey::BdatAfterData, now, &[]);
        }
        if !args.is_empty() {
            return self.reply(ReplyKey::BadArgs, now, &[]);
        }
        self.reply(ReplyKey::DataStart, now, &[]);
        self.mode = Mode::Data(DataAt::LineStart);
    }

    fn bdat(&mut self, args: &str, now: Millis) {
        if !self.config.persona.advertises_in("CHUNKING", self.tls) {
            return self.reply(ReplyKey::UnknownCommand, now, &[]);
        }
        let b = match command::parse_bdat(args) {
            Ok(b) => b,
            Err(_) => return self.reply(ReplyKey::BadArgs, now, &[]),
        };
        let refuse = self.data_refusal();
        if refuse.is_none() {
            if let Some(t) = self.txn.as_mut() {
                t.chunked = true;
            }
        }
        self.mode = Mode::Chunk {
            remaining: b.size,
            last: b.last,
            size: b.size,
            refuse,
        };
        if b.size == 0 {
            self.end_chunk(now);
        }
    }

    fn auth(&mut self, args: &str, now: Millis) {
        let mechanisms = self.config.persona.auth_mechanisms_in(self.tls);
        if self.helo.is_none() {
            return self.reply(ReplyKey::NeedHello, now, &[]);
        }
        if self.authenticated.is_some() {
            return self.reply(ReplyKey::AuthAlready, now, &[]);
        }
        if self.txn.is_some() {
            return self.reply(ReplyKey::AuthInTransaction, now, &[]);
        }
        let mut words = args.split([' ', '\t']).filter(|w| !w.is_empty());
        let Some(mechanism) = words.next() else {
            return self.reply(ReplyKey::BadArgs, now, &[]);
        };
        let mechanism = mechanism.to_ascii_uppercase();
        if !mechanisms.contains(&mechanism) {
            return self.reply(ReplyKey::AuthUnknownMechanism, now, &[]);
        }
        match (mechanism.as_str(), words.next()) {
            ("LOGIN", Some(initial)) => self.auth_user(initial, now),
            ("LOGIN", None) => {
                self.reply(ReplyKey::AuthUsername, now, &[]);
                self.mode = Mode::AuthUser;
            }
            ("NTLM", Some(initial)) => self.auth_ntlm(initial, now),
            ("NTLM", None) => {
                self.reply(ReplyKey::AuthNtlm, now, &[]);
                self.mode = Mode::AuthNtlm;
            }
            // GSSAPI (Kerberos) needs a ticket no typed line can hold.
            _ => self.reply(ReplyKey::AuthUnknownMechanism, now, &[]),
        }
    }

    /// The client's NTLM negotiate message. A real server answers it with a challenge that
    /// only Windows' own security package can meet; no one types that in Telnet, so the
    /// simulated server refuses any well-formed blob with the persona's failure reply (and
    /// logs it, as a failed logon is logged), and treats `*` and bad base64 as AUTH LOGIN does.
    fn auth_ntlm(&mut self, line: &str, now: Millis) {
        self.answering = Some(CommandKind::AuthResponse);
        let line = line.trim();
        if line == "*" {
            return self.reply(ReplyKey::AuthCancelled, now, &[]);
        }
        // NTLM messages are binary: only the base64 itself must be sound.
        if base64::engine::general_purpose::STANDARD
            .decode(line)
            .is_err()
        {
            return self.reply(ReplyKey::AuthBadEncoding, now, &[]);
        }
        self.reply(ReplyKey::AuthFailed, now, &[]);
        let ip = self.peer_ip.clone();
        self.log(
            LogKey::AuthFailed,
            now,
            &[("user", "(NTLM)"), ("ip", ip.as_str())],
        );
    }

    /// Decodes one AUTH LOGIN answer; `None` after sending the refusal.
    fn auth_answer(&mut self, line: &str, now: Millis) -> Option<String> {
        self.answering = Some(CommandKind::AuthResponse);
        if line.trim() == "*" {
            self.reply(ReplyKey::AuthCancelled, now, &[]);
            return None;
        }
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(line.trim())
            .ok()
            .and_then(|b| String::from_utf8(b).ok());
        if decoded.is_none() {
            self.reply(ReplyKey::AuthBadEncoding, now, &[]);
        }
        decoded
    }

    fn auth_user(&mut self, line: &str, now: Millis) {
        if let Some(user) = self.auth_answer(line, now) {
            self.reply(ReplyKey::AuthPassword, now, &[]);
            self.mode = Mode::AuthPassword(user);
        }
    }

    fn auth_password(&mut self, user: &str, line: &str, now: Millis) {
        let Some(password) = self.auth_answer(line, now) else {
            return;
        };
        let ip = self.peer_ip.clone();
        let vars = [("user", user), ("ip", ip.as_str())];
        if self.config.check_login(user, &password) {
            self.authenticated = Some(user.to_string());
            self.reply(ReplyKey::AuthOk, now, &[]);
            self.log(LogKey::AuthSucceeded, now, &vars);
        } else {
            self.reply(ReplyKey::AuthFailed, now, &[]);
            self.log(LogKey::AuthFailed, now, &vars);
        }
    }

    fn starttls(&mut self, args: &str, now: Millis) {
        if self.helo.is_none() && self.config.persona.behaviour.hello_required {
            return self.reply(ReplyKey::NeedHello, now, &[]);
        }
        if !self.config.persona.advertises_in("STARTTLS", self.tls) {
            return self.reply(ReplyKey::StarttlsUnavailable, now, &[]);
        }
        if !args.is_empty() {
            return self.reply(ReplyKey::BadArgs, now, &[]);
        }
        self.reply(ReplyKey::StarttlsReady, now, &[]);
        self.event(ServerEvent::AwaitingTls);
        self.log(LogKey::TlsRequested, now, &[]);
        self.mode = Mode::AwaitTls;
    }

    // ----- message text -------------------------------------------------------------------

    /// Appends message text, keeping no more than the size limit (and no more capacity).
    fn keep(&mut self, bytes: &[u8]) {
        let max = self.config.limits.max_message_size;
        if let Some(t) = self.txn.as_mut() {
            t.size = t.size.saturating_add(bytes.len() as u64);
            let room = max.saturating_sub(t.body.len() as u64) as usize;
            let take = room.min(bytes.len());
            let want = t.body.len() + take;
            if want > t.body.capacity() {
                // Grow by doubling as usual, but never past the size limit.
                let cap = usize::try_from(max).unwrap_or(usize::MAX);
                let target = (t.body.capacity() * 2).min(cap).max(want);
                t.body.reserve_exact(target - t.body.len());
            }
            t.body.extend_from_slice(&bytes[..take]);
        }
    }

    /// Scans message text for CRLF.CRLF, undoing dot-stuffing. Returns the bytes consumed
    /// (up to and including the end of data, after which commands resume).
    fn feed_data(&mut self, rest: &[u8], now: Millis) -> usize {
        let Mode::Data(mut at) = self.mode else {
            return 0;
        };
        let mut i = 0;
        while i < rest.len() {
            let b = rest[i];
            i += 1;
            at = match (at, b) {
                (DataAt::LineStart, b'.') => DataAt::Dot,
                (DataAt::Dot, b'\r') => DataAt::DotCr,
                (DataAt::DotCr, b'\n') => {
                    self.mode = Mode::Command;
                    self.end_message(now);
                    return i;
                }
                // `.` CR then anything else: the dot was stuffing; the CR is text.
                (DataAt::DotCr, _) => {
                    self.keep(b"\r");
                    self.text_byte(DataAt::Cr, b)
                }
                // A leading dot followed by text is dot-stuffing: drop it.
                (DataAt::Dot, _) => self.text_byte(DataAt::Mid, b),
                (DataAt::LineStart | DataAt::Mid, c) if c != b'\r' && c != b'\n' => {
                    // Fast path: copy up to the next CR or LF in one go, with the CRLF that
                    // ends the line when it is there.
                    let start = i - 1;
                    let mut end = rest[start..]
                        .iter()
                        .position(|&c| c == b'\r' || c == b'\n')
                        .map_or(rest.len(), |p| start + p);
                    let mut next = DataAt::Mid;
                    if rest.get(end..end + 2) == Some(b"\r\n") {
                        end += 2;
                        next = DataAt::LineStart;
                    }
                    self.keep(&rest[start..end]);
                    i = end;
                    next
                }
                (state, _) => self.text_byte(state, b),
            };
        }
        self.mode = Mode::Data(at);
        i
    }

    /// One octet of text in state `at` (never a line-start dot); returns the next state.
    fn text_byte(&mut self, at: DataAt, b: u8) -> DataAt {
        self.keep(&[b]);
        match (at, b) {
            (DataAt::Cr, b'\n') => DataAt::LineStart,
            (_, b'\r') => DataAt::Cr,
            (_, b'\n') => {
                if let Some(t) = self.txn.as_mut() {
                    t.bare_lf = true;
                }
                DataAt::Mid
            }
            _ => DataAt::Mid,
        }
    }

    /// Reads (part of) a BDAT chunk.
    fn feed_chunk(&mut self, rest: &[u8], now: Millis) -> usize {
        let Mode::Chunk {
            remaining, refuse, ..
        } = &mut self.mode
        else {
            return 0;
        };
        let take = (*remaining).min(rest.len() as u64) as usize;
        *remaining -= take as u64;
        let done = *remaining == 0;
        if refuse.is_none() {
            self.keep(&rest[..take]);
        }
        if done {
            self.end_chunk(now);
        }
        take
    }

    fn end_chunk(&mut self, now: Millis) {
        let Mode::Chunk {
            last, size, refuse, ..
        } = std::mem::replace(&mut self.mode, Mode::Command)
        else {
            return;
        };
        self.answering = Some(CommandKind::Bdat);
        if let Some(key) = refuse {
            return self.reply(key, now, &[]);
        }
        if last {
            self.end_message(now);
        } else {
            let size = size.to_string();
            self.reply(ReplyKey::BdatChunkOk, now, &[("size", &size)]);
        }
    }

    /// The message is complete: check it, deliver it, answer.
    fn end_message(&mut self, now: Millis) {
        self.answering = Some(CommandKind::EndOfData);
        let Some(t) = self.txn.take() else {
            return self.reply(ReplyKey::NeedMail, now, &[]);
        };
        let max = self.config.limits.max_message_size;
        if t.size > max {
            let (size, limit) = (t.size.to_string(), max.to_string());
            self.reply(ReplyKey::TooLarge, now, &[]);
            let vars = [
                ("from", t.from.address.as_str()),
                ("size", &size),
                ("limit", &limit),
            ];
            return self.log(LogKey::MessageTooLarge, now, &vars);
        }
        if let Some(max) = self.config.limits.max_header_size {
            // The header block runs to the blank line (all of a message that has none).
            let headers = t
                .body
                .windows(4)
                .position(|w| w == b"\r\n\r\n")
                .map_or(t.body.len(), |i| i + 2);
            if headers as u64 > max {
                return self.reply(ReplyKey::HeadersTooLarge, now, &[]);
            }
        }
        if t.bare_lf && self.config.persona.behaviour.bare_lf_in_data == BareLfPolicy::Reject {
            self.reply(ReplyKey::BareLf, now, &[]);
            return self.log(LogKey::BareLfRefused, now, &[("from", &t.from.address)]);
        }
        let (msgid, internal_id) = self.next_message_id();
        self.deliver(&t, &msgid, now);
        self.reply(
            ReplyKey::DataOk,
            now,
            &[("msgid", &msgid), ("internal_id", &internal_id)],
        );
    }

    /// A new queue id (without brackets) and, for Exchange 2007+, an internal id.
    fn next_message_id(&mut self) -> (String, String) {
        self.messages += 1;
        let host = &self.config.hostname;
        let internal = (self.rng.next_u64() % 9_000_000_000_000 + 1_000_000_000_000).to_string();
        let id = match self.config.persona.message_id {
            MessageIdStyle::Iis => {
                let label = host.split('.').next().unwrap_or("").to_ascii_uppercase();
                format!("{label}{}{:08x}@{host}", self.id_stem, self.messages)
            }
            MessageIdStyle::Guid => format!("{}@{host}", self.rng.guid()),
            MessageIdStyle::Simple => {
                format!("{}.{}@{host}", self.messages, self.rng.alnum(8))
            }
        };
        (id, internal)
    }

    /// Files the message for each recipient, with receipts and NDRs as asked.
    fn deliver(&mut self, t: &Transaction, msgid: &str, now: Millis) {
        let date = self.date(now);
        let (content, raw) = self.stamp(&t.body, msgid, &date, now);
        let from = t.from.address.clone();
        let stored = |mailbox: &str, kind, content: String, id: &str| StoredMessage {
            mailbox: mailbox.to_string(),
            from: from.clone(),
            content,
            message_id: id.to_string(),
            kind,
            raw: raw.clone(),
        };
        let mut delivered = Vec::new();
        let mut failed = Vec::new();
        let mut dropped: Vec<&str> = Vec::new();
        // A mailbox named twice on the envelope gets one copy (each RCPT still counted against
        // the recipient limit when it was given): delivery is per mailbox, not per line.
        let mut seen: Vec<&str> = Vec::new();
        for r in &t.rcpts {
            if seen.iter().any(|a| a.eq_ignore_ascii_case(&r.address)) {
                continue;
            }
            seen.push(&r.address);
            let vars = [
                ("msgid", msgid),
                ("from", from.as_str()),
                ("to", r.address.as_str()),
            ];
            match &r.route {
                Route::Local(mailbox) => {
                    let m = stored(mailbox, MessageKind::Mail, content.clone(), msgid);
                    self.event(ServerEvent::Delivered(Box::new(m)));
                    self.log(LogKey::MessageDelivered, now, &vars);
                    if r.notify.is_some_and(|n| n.success) {
                        delivered.push(r.clone());
                    }
                }
                Route::Remote(domain) => {
                    let m = stored(&r.address, MessageKind::Mail, content.clone(), msgid);
                    self.event(ServerEvent::RelayQueued {
                        recipient: r.address.clone(),
                        domain: domain.clone(),
                        message: Box::new(m),
                    });
                    let vars = [vars[0], vars[1], vars[2], ("domain", domain.as_str())];
                    self.log(LogKey::RelayQueued, now, &vars);
                }
                Route::Unknown => {
                    if !r.notify.is_some_and(|n| n.never) {
                        failed.push(r.clone());
                    }
                }
                Route::Drop => {
                    dropped.push(&r.address);
                    if r.notify.is_some_and(|n| n.success) {
                        delivered.push(r.clone());
                    }
                }
            }
        }
        if !dropped.is_empty() {
            // One file for all the local recipients, as IIS writes it.
            let m = self.dropped(
                &from,
                &dropped,
                MessageKind::Mail,
                &content,
                raw.as_deref(),
                msgid,
            );
            self.event(ServerEvent::Delivered(Box::new(m)));
            for to in dropped {
                let vars = [("msgid", msgid), ("from", from.as_str()), ("to", to)];
                self.log(LogKey::MessageDelivered, now, &vars);
            }
        }
        if from.is_empty() {
            // The null sender gets no reports (RFC 3461), so reports never loop.
            return;
        }
        for (kind, list) in [
            (MessageKind::Receipt, delivered),
            (MessageKind::Ndr, failed),
        ] {
            if !list.is_empty() {
                self.report(kind, t, &list, &content, raw.as_deref(), now);
            }
        }
    }

    /// Sends a delivery receipt or an NDR about `list` back to the envelope sender.
    fn report(
        &mut self,
        kind: MessageKind,
        t: &Transaction,
        list: &[Recipient],
        original: &str,
        original_raw: Option<&[u8]>,
        now: Millis,
    ) {
        let (id, _) = self.next_message_id();
        let date = self.date(now);
        let recipients: Vec<ReportedRecipient> = list
            .iter()
            .map(|r| ReportedRecipient {
                address: r.address.clone(),
                orcpt: r.orcpt.clone(),
            })
            .collect();
        let (report, report_raw) = dsn::build(&DsnRequest {
            kind,
            texts: &self.config.persona.dsn,
            host: &self.config.hostname,
            date: &date,
            message_id: &id,
            to: &t.from.address,
            recipients: &recipients,
            envid: t.from.envid.as_deref(),
            return_full: t.from.ret_full.unwrap_or(false),
            original,
            original_raw,
        });
        let sender = t.from.address.to_ascii_lowercase();
        let domain = command::domain_of(&sender).to_string();
        let drop = self.config.persona.behaviour.local_delivery == LocalDelivery::Drop
            && self.config.is_local_domain(&domain);
        let message = Box::new(if drop {
            self.dropped("", &[&sender], kind, &report, report_raw.as_deref(), &id)
        } else {
            StoredMessage {
                mailbox: sender.clone(),
                from: String::new(),
                content: report,
                raw: report_raw,
                message_id: id.clone(),
                kind,
            }
        });
        let to = recipients
            .iter()
            .map(|r| r.address.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let mut key = if kind == MessageKind::Ndr {
            LogKey::NdrSent
        } else {
            LogKey::ReceiptSent
        };
        if drop || self.config.is_mailbox(&sender) {
            self.event(ServerEvent::Delivered(message));
        } else if self.config.is_local_domain(&domain) {
            // A local sender without a mailbox: the report has nowhere to go, which the log
            // says, so a learner who looks for it finds why it never arrived.
            key = LogKey::ReportUndeliverable;
        } else {
            self.event(ServerEvent::RelayQueued {
                recipient: sender.clone(),
                domain: domain.clone(),
                message,
            });
        }
        self.log(key, now, &[("to", &to), ("from", &sender), ("msgid", &id)]);
    }

    /// A message as IIS writes it into its Drop folder: the envelope lines, then the message.
    fn dropped(
        &self,
        from: &str,
        receivers: &[&str],
        kind: MessageKind,
        content: &str,
        raw: Option<&[u8]>,
        id: &str,
    ) -> StoredMessage {
        let envelope = drop_envelope(from, receivers);
        StoredMessage {
            mailbox: DROP_FOLDER.to_string(),
            from: from.to_string(),
            content: format!("{envelope}{content}"),
            raw: raw.map(|r| [envelope.as_bytes(), r].concat()),
            message_id: id.to_string(),
            kind,
        }
    }

    /// The stored form: the server's Received header on top, Message-ID and Date added to the
    /// client's headers if it gave none, the persona's arrival header at the end of the
    /// client's header block. As text, and as octets too when the body is not UTF-8 (see
    /// [`StoredMessage::raw`]).
    fn stamp(
        &self,
        body: &[u8],
        msgid: &str,
        date: &str,
        now: Millis,
    ) -> (String, Option<Vec<u8>>) {
        let text = String::from_utf8_lossy(body);
        let helo = self.helo.as_deref().unwrap_or("unknown");
        let persona = &self.config.persona;
        let template = if self.tls && !persona.received_tls.is_empty() {
            &persona.received_tls
        } else {
            &persona.received
        };
        let received = fill(
            template,
            &[
                ("helo", helo),
                ("ip", &self.peer_ip),
                ("host", &self.config.hostname),
                ("date", date),
                (
                    "cipher",
                    self.tls_cipher.as_deref().unwrap_or(&persona.tls_cipher),
                ),
            ],
        );
        let mut out = String::with_capacity(text.len() + received.len() + 128);
        out.push_str(&received);
        out.push_str("\r\n");
        // Headers exist only if the text starts with a header line.
        let first = text.split('\n').next().unwrap_or("");
        let has_headers = first
            .split_once(':')
            .is_some_and(|(k, _)| !k.is_empty() && !k.contains([' ', '\t']));
        let missing = |name: &str| !has_headers || header_value(&text, name).is_none();
        if missing("Message-ID") {
            out.push_str(&format!("Message-ID: <{msgid}>\r\n"));
        }
        if missing("Date") {
            out.push_str(&format!("Date: {date}\r\n"));
        }
        let arrival = self.arrival_header(now);
        if !has_headers {
            if let Some(line) = &arrival {
                out.push_str(line);
            }
            out.push_str("\r\n");
        }
        // In the client's own header block, after its last line.
        let add = arrival.filter(|_| has_headers).unwrap_or_default();
        let raw = matches!(text, std::borrow::Cow::Owned(_)).then(|| {
            let mut raw = Vec::with_capacity(out.len() + body.len() + add.len());
            raw.extend_from_slice(out.as_bytes());
            raw.extend_from_slice(&with_header_line(body, &add));
            raw
        });
        if add.is_empty() {
            out.push_str(&text);
        } else {
            // A line added at a line boundary keeps the text valid UTF-8.
            out.push_str(&String::from_utf8_lossy(&with_header_line(
                text.as_bytes(),
                &add,
            )));
        }
        (out, raw)
    }

    /// The persona's arrival header for a message complete at `now`, CRLF included; `None`
    /// for a version that adds none.
    fn arrival_header(&self, now: Millis) -> Option<String> {
        let template = &self.config.persona.arrival_header;
        if template.is_empty() {
            return None;
        }
        let (arrival, filetime) = arrival_stamp(self.config.unix_millis_at(now));
        let line = fill(template, &[("arrival", &arrival), ("filetime", &filetime)]);
        Some(format!("{line}\r\n"))
    }

    // ----- replies, events, closing --------------------------------------------------------

    /// The server's RFC 822 date at `now`.
    fn date(&mut self, now: Millis) -> String {
        let secs = self.config.unix_secs_at(now);
        // Formatting a date is the dearest part of a reply: once per simulated second will do.
        if self.date_cache.0 != secs || self.date_cache.1.is_empty() {
            self.date_cache = (secs, rfc822_date(secs, self.config.tz_offset_minutes));
        }
        self.date_cache.1.clone()
    }

    fn event(&mut self, e: ServerEvent) {
        self.emit(Output::Event(e));
    }

    /// Queues an output behind anything the tarpit holds, or for the edge at once.
    fn emit(&mut self, o: Output) {
        self.out.push_back(o);
        match self.holds.last_mut() {
            Some((_, held)) => *held += 1,
            None => self.ready += 1,
        }
    }

    /// Sends the persona's reply for `key`, counting protocol errors.
    fn reply(&mut self, key: ReplyKey, now: Millis, vars: &[(&str, &str)]) {
        let text = self.config.persona.reply(key).text.clone();
        self.send_text(key, &text, now, vars);
    }

    /// Fills and sends a reply template. A 500-504 reply counts as a protocol error; the one
    /// past the persona's limit is replaced by its 421 and the connection closes. Returns the
    /// filled template, for a log entry that quotes it. `key` is the persona reply it is.
    fn send_text(
        &mut self,
        key: ReplyKey,
        template: &str,
        now: Millis,
        vars: &[(&str, &str)],
    ) -> String {
        let date = self.date(now);
        let max_size = self.config.limits.max_message_size.to_string();
        let mut all: Vec<(&str, &str)> = vec![
            ("host", self.config.hostname.as_str()),
            ("ip", self.peer_ip.as_str()),
            ("date", date.as_str()),
            ("max_size", max_size.as_str()),
        ];
        all.extend_from_slice(vars);
        let filled = fill(template, &all);
        let reply = Reply::parse(&filled);
        if (500..=504).contains(&reply.code) {
            self.errors += 1;
            if self
                .config
                .limits
                .max_errors
                .is_some_and(|max| self.errors > max)
            {
                let text = self
                    .config
                    .persona
                    .reply(ReplyKey::TooManyErrors)
                    .text
                    .clone();
                let reply = Reply::parse(&fill(&text, &all));
                self.transmit(ReplyKey::TooManyErrors, reply, now);
                self.log(LogKey::TooManyErrors, now, &[]);
                self.close();
                return filled;
            }
        }
        self.transmit(key, reply, now);
        filled
    }

    /// Queues a reply. A 5xx to a client that has not authenticated waits out the tarpit,
    /// counted from when the reply before it goes: Exchange makes each refusal cost the
    /// sender time, and a refusal behind a refusal costs it again.
    fn transmit(&mut self, key: ReplyKey, reply: Reply, now: Millis) {
        let tarpit = self.config.limits.tarpit_secs.saturating_mul(SECOND);
        if tarpit > 0 && reply.code >= 500 && self.authenticated.is_none() {
            let from = self.holds.last().map_or(now, |&(at, _)| at.max(now));
            self.released_at = from.saturating_add(tarpit);
            self.holds.push((self.released_at, 0));
        }
        self.emit(Output::Transmit(reply.to_bytes()));
        let text = reply.text();
        self.event(ServerEvent::Replied {
            command: self.answering,
            key,
            code: reply.code,
            enhanced: reply.enhanced,
            text,
        });
    }

    fn log(&mut self, key: LogKey, now: Millis, vars: &[(&str, &str)]) {
        let Some(spec) = self.config.persona.log.events.get(&key) else {
            return;
        };
        // What the client typed is shown, never obeyed: no control bytes in the log.
        let cleaned: Vec<(&str, String)> = vars.iter().map(|(k, v)| (*k, printable(v))).collect();
        let mut all: Vec<(&str, &str)> = vec![
            ("host", self.config.hostname.as_str()),
            ("ip", self.peer_ip.as_str()),
        ];
        all.extend(cleaned.iter().map(|(k, v)| (*k, v.as_str())));
        let entry = LogEntry {
            time: now,
            local_secs: self.config.local_secs_at(now),
            level: spec.level,
            source: self.config.persona.log.source.clone(),
            event_id: spec.id,
            message: fill(&spec.text, &all),
        };
        self.event(ServerEvent::Log(entry));
    }

    fn close(&mut self) {
        if self.mode != Mode::Closed {
            self.mode = Mode::Closed;
            self.txn = None;
            self.line = Vec::new();
            self.emit(Output::Close);
        }
    }
}

/// `message` with `line` (CRLF included; nothing if empty) added at the end of its header
/// block: before the empty line that ends it, or at the end of a message that is all header
/// (after a CRLF if its last line has none).
fn with_header_line(message: &[u8], line: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(message.len() + line.len() + 2);
    if line.is_empty() {
        out.extend_from_slice(message);
        return out;
    }
    let mut at = 0;
    let end = loop {
        match message[at..].iter().position(|&b| b == b'\n') {
            Some(i) => {
                let l = &message[at..=at + i];
                if l == b"\n" || l == b"\r\n" {
                    break at;
                }
                at += i + 1;
            }
            None => break message.len(),
        }
    };
    out.extend_from_slice(&message[..end]);
    if end == message.len() && !message.is_empty() && !message.ends_with(b"\n") {
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(line.as_bytes());
    out.extend_from_slice(&message[end..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::smtp::ServerOverrides;

    fn session(persona: &str) -> Session {
        let config = ServerConfig::new(persona, &ServerOverrides::default())
            .unwrap_or_else(|_| ServerConfig::default_world());
        Session::new(Arc::new(config), "10.0.0.50", 0, 1)
    }

    /// Feeds `input` and returns the reply lines (without CRLF) and whether it closed, once
    /// the tarpit has let them all go, as a learner waits for them.
    fn run(s: &mut Session, input: &[u8]) -> (Vec<String>, bool) {
        s.handle_bytes(input, 1000);
        while let (true, Some(at)) = (s.is_tarpitting(), s.poll_timeout()) {
            s.handle_timeout(at);
        }
        let mut lines = Vec::new();
        let mut closed = false;
        while let Some(o) = s.poll_output() {
            match o {
                Output::Transmit(b) => {
                    let t = String::from_utf8_lossy(&b).into_owned();
                    lines.extend(t.split_terminator("\r\n").map(str::to_owned));
                }
                Output::Close => closed = true,
                Output::Event(_) => {}
            }
        }
        (lines, closed)
    }

    fn codes(lines: &[String]) -> Vec<&str> {
        lines.iter().map(|l| &l[..3]).collect()
    }

    #[test]
    fn replies_by_state_for_exchange2003() {
        // (input after the banner, reply codes)
        let table: [(&[u8], &[&str]); 12] = [
            (b"MAIL FROM:<a@b.c>\r\n", &["220", "503"]),
            (b"RCPT TO:<a@b.c>\r\n", &["220", "503"]),
            (b"DATA\r\n", &["220", "503"]),
            (b"NOOP\r\n", &["220", "250"]),
            (b"HELO\r\n", &["220", "501"]),
            (b"HELO test.com\r\nRSET x\r\n", &["220", "250", "501"]),
            (b"FOO\r\n", &["220", "500"]),
            (
                b"HELO x\r\nMAIL FROM:<>\r\nMAIL FROM:<>\r\n",
                &["220", "250", "250", "503"],
            ),
            (
                b"HELO x\r\nMAIL FROM:<a@b.c> SIZE=10485761\r\n",
                &["220", "250", "552"],
            ),
            (
                b"HELO x\r\nMAIL FROM:<a@b.c> SIZE=10485760\r\n",
                &["220", "250", "250"],
            ),
            (
                b"HELO x\r\nMAIL FROM:<a@b.c>\r\nDATA\r\n",
                &["220", "250", "250", "503"],
            ),
            (
                b"HELO x\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<x@fabrikam.com>\r\n",
                &["220", "250", "250", "550"],
            ),
        ];
        for (input, want) in table {
            let mut s = session("exchange2003");
            let (lines, _) = run(&mut s, input);
            assert_eq!(codes(&lines), want, "{:?}", String::from_utf8_lossy(input));
        }
    }

    #[test]
    fn data_ends_only_at_crlf_dot_crlf() {
        let looks_alike: [&[u8]; 8] = [
            b"\n.\n",
            b"\n.\r",
            b"\r.\n",
            b"\r.\r",
            b"\n.\r\n",
            b"\r.\r\n",
            b"\r\n\x00.\r\n",
            b"\r\n.\r\r\n",
        ];
        for la in looks_alike {
            let mut s = session("exchange2003");
            let mut input =
                b"HELO x\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<john@contoso.com>\r\nDATA\r\nx".to_vec();
            input.extend_from_slice(la);
            input.extend_from_slice(b"MAIL FROM:<evil@b.c>\r\n");
            let (lines, _) = run(&mut s, &input);
            assert_eq!(codes(&lines), ["220", "250", "250", "250", "354"], "{la:?}");
            assert!(s.in_data());
            let (lines, _) = run(&mut s, b"\r\n.\r\n");
            assert_eq!(codes(&lines), ["250"], "{la:?}");
        }
    }

    #[test]
    fn a_mailbox_named_twice_gets_one_copy() {
        let mut s = session("exchange2003");
        let input = b"HELO test.com\r\nMAIL FROM:<admin@contoso.com>\r\nRCPT TO:<john@contoso.com>\r\nRCPT TO:<John@Contoso.com>\r\nRCPT TO:<user@contoso.com>\r\nDATA\r\nSubject: hi\r\n\r\nx\r\n.\r\n";
        s.handle_bytes(input, 0);
        let mut codes = Vec::new();
        let mut mailboxes = Vec::new();
        while let Some(o) = s.poll_output() {
            match o {
                Output::Transmit(b) => codes.push(String::from_utf8_lossy(&b[..3]).into_owned()),
                Output::Event(ServerEvent::Delivered(m)) => mailboxes.push(m.mailbox.clone()),
                _ => {}
            }
        }
        assert_eq!(
            codes,
            ["220", "250", "250", "250", "250", "250", "354", "250"]
        );
        assert_eq!(mailboxes, ["john@contoso.com", "user@contoso.com"]);
    }

    /// Feeds `input` at `now` and returns the first three octets of each reply and the
    /// messages delivered into local mailboxes, in order.
    fn deliveries(s: &mut Session, input: &[u8], now: Millis) -> (Vec<String>, Vec<StoredMessage>) {
        s.handle_bytes(input, now);
        let mut codes = Vec::new();
        let mut delivered = Vec::new();
        while let Some(o) = s.poll_output() {
            match o {
                Output::Transmit(b) => codes.push(String::from_utf8_lossy(&b[..3]).into_owned()),
                Output::Event(ServerEvent::Delivered(m)) => delivered.push(*m),
                _ => {}
            }
        }
        (codes, delivered)
    }

    /// Where each delivered message was filed, and as what.
    fn filed(delivered: &[StoredMessage]) -> Vec<(&str, MessageKind)> {
        delivered
            .iter()
            .map(|m| (m.mailbox.as_str(), m.kind))
            .collect()
    }

    #[test]
    fn every_version_delivers_to_its_postmaster() {
        // RFC 5321 section 4.5.1: postmaster@ the domain and bare <postmaster>, for versions
        // that refuse unknown users at RCPT (Exchange 2016, MS Mail) and those that bounce them.
        for p in crate::smtp::persona::all() {
            let hello = if p.behaviour.ehlo == EhloSupport::Extended {
                "EHLO"
            } else {
                "HELO"
            };
            for rcpt in [
                "<postmaster@contoso.com>",
                "<PostMaster@Contoso.COM>",
                "<postmaster>",
            ] {
                let mut s = session(&p.id);
                let input = format!(
                    "{hello} test.com\r\nMAIL FROM:<admin@test.com>\r\nRCPT TO:{rcpt}\r\nDATA\r\nSubject: hi\r\n\r\nx\r\n.\r\n"
                );
                let (codes, delivered) = deliveries(&mut s, input.as_bytes(), 0);
                assert_eq!(codes[2..], ["250", "250", "354", "250"], "{} {rcpt}", p.id);
                let boxes: Vec<&str> = delivered.iter().map(|m| m.mailbox.as_str()).collect();
                if p.behaviour.local_delivery == LocalDelivery::Drop {
                    // IIS without Exchange drops it like all local mail, for the postmaster.
                    assert_eq!(boxes, [DROP_FOLDER], "{} {rcpt}", p.id);
                    let receiver = delivered[0].header("x-receiver").unwrap_or_default();
                    assert!(
                        receiver.eq_ignore_ascii_case("postmaster@contoso.com"),
                        "{}",
                        p.id
                    );
                } else {
                    assert_eq!(boxes, ["postmaster@contoso.com"], "{} {rcpt}", p.id);
                }
            }
        }
    }

    #[test]
    fn iis_without_exchange_drops_each_message_once_for_every_local_recipient() {
        let input = b"EHLO test.com\r\nMAIL FROM:<Admin@Test.com>\r\nRCPT TO:<John@contoso.com>\r\nRCPT TO:<nobody@contoso.com>\r\nRCPT TO:<john@contoso.com>\r\nDATA\r\nSubject: hi\r\n\r\nx\r\n.\r\n";
        for id in ["iis5", "iis6"] {
            let mut s = session(id);
            let (codes, delivered) = deliveries(&mut s, input, 0);
            // Every local recipient is accepted: IIS has no mailbox list to refuse one by.
            assert_eq!(
                codes[2..],
                ["250", "250", "250", "250", "354", "250"],
                "{id}"
            );
            assert_eq!(delivered.len(), 1, "{id}: one file, no NDR");
            let m = &delivered[0];
            assert_eq!(m.mailbox, DROP_FOLDER);
            assert_eq!(m.kind, MessageKind::Mail);
            assert_eq!(m.from, "Admin@Test.com");
            let head = "x-sender: Admin@Test.com\r\nx-receiver: John@contoso.com\r\nx-receiver: nobody@contoso.com\r\nReceived: from test.com ([10.0.0.50]) by mail.contoso.com with Microsoft SMTPSVC(";
            assert!(m.content.starts_with(head), "{id}: {}", m.content);
            assert_eq!(m.subject(), "hi");
        }
        // Exchange 2003 runs on IIS 6 but delivers to mailboxes: the unknown user is bounced.
        for id in ["exchange2003", "exchange2003-damaged-link"] {
            let mut s = session(id);
            let input = b"EHLO test.com\r\nMAIL FROM:<admin@contoso.com>\r\nRCPT TO:<john@contoso.com>\r\nRCPT TO:<nobody@contoso.com>\r\nDATA\r\nSubject: hi\r\n\r\nx\r\n.\r\n";
            let (_, delivered) = deliveries(&mut s, input, 0);
            assert_eq!(
                filed(&delivered),
                [
                    ("john@contoso.com", MessageKind::Mail),
                    ("admin@contoso.com", MessageKind::Ndr)
                ],
                "{id}"
            );
        }
    }

    #[test]
    fn a_receipt_from_a_drop_server_is_dropped_for_a_local_sender_and_queued_for_others() {
        let mut s = session("iis6");
        let input = b"EHLO test.com\r\nMAIL FROM:<admin@contoso.com>\r\nRCPT TO:<nobody@contoso.com> NOTIFY=SUCCESS\r\nDATA\r\nSubject: hi\r\n\r\nx\r\n.\r\n";
        let (_, delivered) = deliveries(&mut s, input, 0);
        assert_eq!(
            filed(&delivered),
            [
                (DROP_FOLDER, MessageKind::Mail),
                (DROP_FOLDER, MessageKind::Receipt)
            ]
        );
        assert!(delivered[1]
            .content
            .starts_with("x-sender: <>\r\nx-receiver: admin@contoso.com\r\n"));
        assert_eq!(delivered[1].from, "");
        // A sender in another domain: the receipt leaves for it.
        let mut s = session("iis6");
        let input = b"EHLO test.com\r\nMAIL FROM:<admin@test.com>\r\nRCPT TO:<nobody@contoso.com> NOTIFY=SUCCESS\r\nDATA\r\n\r\nx\r\n.\r\n";
        s.handle_bytes(input, 0);
        let mut queued = Vec::new();
        while let Some(o) = s.poll_output() {
            if let Output::Event(ServerEvent::RelayQueued {
                recipient, message, ..
            }) = o
            {
                queued.push((recipient, message.kind));
            }
        }
        assert_eq!(
            queued,
            [("admin@test.com".to_string(), MessageKind::Receipt)]
        );
    }

    #[test]
    fn a_header_line_goes_at_the_end_of_the_header_block() {
        let line = "X-A: 1\r\n";
        let table: [(&[u8], &[u8]); 7] = [
            (
                b"Subject: hi\r\n\r\nbody\r\n",
                b"Subject: hi\r\nX-A: 1\r\n\r\nbody\r\n",
            ),
            (
                b"To: a\r\n\tb\r\n\r\n\r\n",
                b"To: a\r\n\tb\r\nX-A: 1\r\n\r\n\r\n",
            ),
            // A bare LF ends the block too.
            (b"Subject: hi\n\nbody\n", b"Subject: hi\nX-A: 1\r\n\nbody\n"),
            // All header: at the end, after a line end if the last line has none.
            (b"Subject: hi\r\n", b"Subject: hi\r\nX-A: 1\r\n"),
            (b"Subject: hi", b"Subject: hi\r\nX-A: 1\r\n"),
            (b"", b"X-A: 1\r\n"),
            (b"\r\nbody\r\n", b"X-A: 1\r\n\r\nbody\r\n"),
        ];
        for (message, want) in table {
            assert_eq!(
                String::from_utf8_lossy(&with_header_line(message, line)),
                String::from_utf8_lossy(want)
            );
            assert_eq!(with_header_line(message, ""), message);
        }
    }

    /// The first message a new session of persona `id` stores for `input` fed at `now`.
    fn first_stored(id: &str, input: &[u8], now: Millis) -> String {
        let (_, delivered) = deliveries(&mut session(id), input, now);
        delivered
            .first()
            .map(|m| m.content.clone())
            .unwrap_or_default()
    }

    #[test]
    fn iis_stamps_the_arrival_time_after_the_clients_headers() {
        // 61.5 s into an IIS 6 session whose clock starts at Tue, 12 Jun 2007 09:30:00 UTC.
        let now = 61_500;
        let iis6 = "X-OriginalArrivalTime: 12 Jun 2007 09:31:01.5000 (UTC) FILETIME=[640D83C0:01C7ACD4]\r\n";
        // IIS 5's clock starts at Fri, 01 Mar 2002 09:30:00 UTC.
        let iis5 = "X-OriginalArrivalTime: 1 Mar 2002 09:31:01.5000 (UTC) FILETIME=[CD35C3C0:01C1C103]\r\n";
        let with_headers = b"EHLO x\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<user@contoso.com>\r\nDATA\r\nSubject: hi\r\nX-Mailer: telnet\r\n\r\nbody\r\n.\r\n";
        let bare = b"EHLO x\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<user@contoso.com>\r\nDATA\r\nbody\r\n.\r\n";
        for id in ["iis5", "iis6", "exchange2003", "exchange2003-damaged-link"] {
            let arrival = if id == "iis5" { iis5 } else { iis6 };
            let content = first_stored(id, with_headers, now);
            let want = format!("\r\nSubject: hi\r\nX-Mailer: telnet\r\n{arrival}\r\nbody\r\n");
            assert!(content.ends_with(&want), "{id}: {content}");
            // No headers from the client: in the block the server adds, before the blank line.
            let content = first_stored(id, bare, now);
            assert!(content.contains("\r\nDate: "), "{id}: {content}");
            assert!(
                content.ends_with(&format!("\r\n{arrival}\r\nbody\r\n")),
                "{id}: {content}"
            );
        }
        for id in ["exchange55", "exchange2016", "msmail3"] {
            let hello = if id == "msmail3" { b"HELO" } else { b"EHLO" };
            let input = [hello.as_slice(), &with_headers[4..]].concat();
            let content = first_stored(id, &input, now);
            assert!(
                content.ends_with("\r\nSubject: hi\r\nX-Mailer: telnet\r\n\r\nbody\r\n"),
                "{id}: {content}"
            );
            assert!(!content.contains("X-OriginalArrivalTime"), "{id}");
        }
    }

    #[test]
    fn dot_stuffing_is_undone_and_headers_added() {
        let mut s = session("exchange2003");
        let input = b"HELO test.com\r\nMAIL FROM:<admin@contoso.com>\r\nRCPT TO:<john@contoso.com>\r\nDATA\r\nSubject: hi\r\n\r\n..dot\r\n.\r\n";
        s.handle_bytes(input, 0);
        let delivered: Vec<StoredMessage> = std::iter::from_fn(|| s.poll_output())
            .filter_map(|o| match o {
                Output::Event(ServerEvent::Delivered(m)) => Some(*m),
                _ => None,
            })
            .collect();
        assert_eq!(delivered.len(), 1);
        let m = &delivered[0];
        assert_eq!(m.mailbox, "john@contoso.com");
        assert!(m
            .content
            .starts_with("Received: from test.com ([10.0.0.50]) by mail.contoso.com"));
        let tail = "Subject: hi\r\nX-OriginalArrivalTime: 12 Jun 2007 09:30:00.0000 (UTC) \
                    FILETIME=[3F655C00:01C7ACD4]\r\n\r\n.dot\r\n";
        assert!(m.content.ends_with(tail), "{}", m.content);
        assert!(m.header("Message-ID").is_some() && m.header("Date").is_some());
        assert_eq!(m.subject(), "hi");
    }

    #[test]
    fn exchange_2016_refuses_a_header_block_over_256_kb() {
        // A header block of exactly `n` octets, its last CRLF included.
        let headers = |n: usize| {
            let line = format!("X-Filler: {}\r\n", "x".repeat(988));
            let mut h = line.repeat(n / 1000 - 1);
            let rest = n - h.len();
            h.push_str(&format!("X: {}\r\n", "x".repeat(rest - 5)));
            assert_eq!(h.len(), n);
            h
        };
        let limit = 262_144;
        let big_body = ("y".repeat(998) + "\r\n").repeat(300);
        // (persona, headers, body) -> the reply to the end of data
        let cases = [
            (
                "exchange2016",
                headers(limit + 1),
                "hi\r\n",
                "552 5.3.4 Header size exceeds fixed maximum size",
            ),
            ("exchange2016", headers(limit), "hi\r\n", "250 2.6.0 "),
            (
                "exchange2016",
                "Subject: s\r\n".to_string(),
                big_body.as_str(),
                "250 2.6.0 ",
            ),
            ("exchange2003", headers(limit + 1), "hi\r\n", "250 2.6.0 "),
        ];
        for (persona, headers, body, want) in cases {
            let mut s = session(persona);
            let mut input =
                b"EHLO x\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<john@contoso.com>\r\nDATA\r\n".to_vec();
            input.extend_from_slice(format!("{headers}\r\n{body}.\r\n").as_bytes());
            let (lines, closed) = run(&mut s, &input);
            let last = lines.last().map(String::as_str).unwrap_or("");
            assert!(
                last.starts_with(want),
                "{persona} {}: {last}",
                headers.len()
            );
            assert!(!closed && !s.in_data(), "{persona}: the session goes on");
        }
    }

    #[test]
    fn an_ndr_that_returns_8_bit_mail_returns_its_octets() {
        let mut s = session("exchange2003");
        let body = b"Subject: caf\xe9\r\n\r\nna\xefve \xff\x80\r\n";
        let mut input = b"EHLO x\r\nMAIL FROM:<admin@contoso.com> BODY=8BITMIME RET=FULL\r\nRCPT TO:<john@contoso.com>\r\nRCPT TO:<nobody@contoso.com>\r\nDATA\r\n".to_vec();
        input.extend_from_slice(body);
        input.extend_from_slice(b".\r\n");
        s.handle_bytes(&input, 0);
        let ndrs: Vec<StoredMessage> = std::iter::from_fn(|| s.poll_output())
            .filter_map(|o| match o {
                Output::Event(ServerEvent::Delivered(m)) if m.kind == MessageKind::Ndr => Some(*m),
                _ => None,
            })
            .collect();
        assert_eq!(ndrs.len(), 1);
        // The original's octets on either side of the arrival header IIS added to it.
        let octets = ndrs[0].octets();
        for part in [&body[..15], &body[15..]] {
            assert!(
                octets.windows(part.len()).any(|w| w == part),
                "{:?}",
                String::from_utf8_lossy(octets)
            );
        }
    }

    #[test]
    fn a_long_line_is_refused_and_not_kept() {
        let mut s = session("exchange2016");
        let mut input = vec![b'X'; 100_000];
        input.extend_from_slice(b"\r\nNOOP\r\n");
        let (lines, _) = run(&mut s, &input);
        assert_eq!(codes(&lines), ["220", "500", "250"]);
        assert!(s.buffered_bytes() <= 1024);
    }

    #[test]
    fn the_line_limit_is_exact() {
        for (len, want) in [(512, "250"), (513, "500")] {
            let mut s = session("exchange2016");
            let mut line = b"NOOP ".to_vec();
            line.resize(len - 2, b'x');
            line.extend_from_slice(b"\r\n");
            let (lines, _) = run(&mut s, &line);
            assert_eq!(codes(&lines), ["220", want], "{len}");
        }
    }

    #[test]
    fn inside_tls_the_session_starts_over_with_the_tls_ehlo_list() {
        let mut s = session("exchange2016");
        let (before, _) = run(&mut s, b"EHLO x\r\nSTARTTLS\r\n");
        assert!(before.iter().any(|l| l == "250-STARTTLS"));
        assert!(before.iter().any(|l| l == "250-AUTH NTLM"));
        s.handle_tls_established(2000, None);
        assert!(s.is_tls() && !s.is_closed());
        // RFC 3207: the greeting is forgotten, and the client speaks first.
        assert!(s.poll_output().is_none());
        assert_eq!(s.greeted_as(), None);
        let cases: [(&[u8], &[&str]); 5] = [
            (b"MAIL FROM:<a@b.c>\r\n", &["503 5.5.2 Send hello first"]),
            (b"STARTTLS\r\n", &["503 5.5.2 Send hello first"]),
            (
                b"EHLO x\r\n",
                &[
                    "250-mail.contoso.com Hello [10.0.0.50]",
                    "250-SIZE 37748736",
                    "250-PIPELINING",
                    "250-DSN",
                    "250-ENHANCEDSTATUSCODES",
                    "250-AUTH NTLM LOGIN",
                    "250-X-EXPS GSSAPI NTLM",
                    "250-8BITMIME",
                    "250-BINARYMIME",
                    "250-CHUNKING",
                    "250 XRDST",
                ],
            ),
            (
                b"AUTH LOGIN\r\nYWRtaW4=\r\nUEBzc3cwcmQ=\r\n",
                &[
                    "334 VXNlcm5hbWU6",
                    "334 UGFzc3dvcmQ6",
                    "235 2.7.0 Authentication successful",
                ],
            ),
            (
                b"STARTTLS\r\n",
                &["454 TLS not available due to temporary reason"],
            ),
        ];
        for (input, want) in cases {
            let (lines, closed) = run(&mut s, input);
            assert_eq!(lines, *want, "{}", String::from_utf8_lossy(input));
            assert!(!closed);
        }
        assert_eq!(s.authenticated_as(), Some("admin"));
    }

    #[test]
    fn exchange_2016_names_tls_in_its_received_header_inside_tls_only() {
        let mail = b"EHLO x\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<user@contoso.com>\r\nDATA\r\nSubject: hi\r\n\r\nx\r\n.\r\n";
        let plain = "Received: from x (10.0.0.50) by mail.contoso.com with Microsoft SMTP Server id 15.1.1713.5; ";
        let tls = "Received: from x (10.0.0.50) by mail.contoso.com with Microsoft SMTP Server \
                   (version=TLS1_2, cipher=TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384) id 15.1.1713.5; ";
        assert!(first_stored("exchange2016", mail, 0).starts_with(plain));
        let mut s = session("exchange2016");
        let _ = deliveries(&mut s, b"EHLO x\r\nSTARTTLS\r\n", 0);
        s.handle_tls_established(0, None);
        assert!(s.is_tls());
        let (_, delivered) = deliveries(&mut s, mail, 0);
        let content = delivered.first().map(|m| m.content.as_str()).unwrap_or("");
        assert!(content.starts_with(tls), "{content}");
        // A version without a TLS template keeps its one Received header.
        for id in ["exchange2003", "iis6", "exchange55", "msmail3"] {
            let p = crate::smtp::persona::get(id);
            assert!(p.is_some_and(|p| p.received_tls.is_empty()), "{id}");
        }
        let mut config = ServerConfig::new("iis6", &ServerOverrides::default())
            .unwrap_or_else(|_| ServerConfig::default_world());
        config.persona.ehlo.push("STARTTLS".into());
        let mut s = Session::new(Arc::new(config), "10.0.0.50", 0, 1);
        let _ = deliveries(&mut s, b"EHLO x\r\nSTARTTLS\r\n", 0);
        s.handle_tls_established(0, None);
        assert!(s.is_tls());
        let (_, delivered) = deliveries(&mut s, mail, 0);
        let content = delivered.first().map(|m| m.content.as_str()).unwrap_or("");
        assert!(content.contains("\r\nReceived: from x ([10.0.0.50]) by mail.contoso.com with Microsoft SMTPSVC(6.0.3790.3959);"), "{content}");
    }

    #[test]
    fn stored_mail_keeps_octets_that_are_not_utf8() {
        // (body sent, raw kept): UTF-8 needs no second copy; Latin-1 keeps its octets.
        let cases: [(&[u8], bool); 3] = [
            (b"Subject: a\r\n\r\nplain\r\n", false),
            (
                "Subject: \u{17c}\r\n\r\nz\u{f3}\u{142}\u{107}\r\n".as_bytes(),
                false,
            ),
            (b"Subject: caf\xe9\r\n\r\nna\xefve\r\n", true),
        ];
        for (body, kept) in cases {
            let mut s = session("exchange2003");
            let mut input = b"EHLO x\r\nMAIL FROM:<a@b.example> BODY=8BITMIME\r\n".to_vec();
            input.extend_from_slice(b"RCPT TO:<user@contoso.com>\r\nDATA\r\n");
            input.extend_from_slice(body);
            input.extend_from_slice(b".\r\n");
            s.handle_bytes(&input, 1000);
            let mut stored = None;
            while let Some(o) = s.poll_output() {
                if let Output::Event(ServerEvent::Delivered(m)) = o {
                    stored = Some(m);
                }
            }
            let m = stored.expect("delivered");
            assert_eq!(m.raw.is_some(), kept, "{body:?}");
            // The client's headers, IIS's arrival header after them, then the rest as sent.
            let blank = body.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or(0) + 2;
            let mut head = body[..blank].to_vec();
            head.extend_from_slice(
                b"X-OriginalArrivalTime: 12 Jun 2007 09:30:01.0000 (UTC) FILETIME=",
            );
            let octets = m.octets();
            assert!(octets.windows(head.len()).any(|w| w == head), "{body:?}");
            assert!(octets.ends_with(&body[blank..]), "{body:?}");
            assert!(m.content.starts_with("Received: "));
        }
    }

    #[test]
    fn a_report_with_nowhere_to_go_is_logged_not_lost_silently() {
        // (sender, what the log says about the NDR for ghost@contoso.com)
        let cases = [
            ("admin@contoso.com", 4004),
            ("nobody@contoso.com", 4014),
            ("a@fabrikam.com", 4004),
        ];
        for (sender, want) in cases {
            let mut s = session("exchange2003");
            let input = format!(
                "EHLO x\r\nMAIL FROM:<{sender}>\r\nRCPT TO:<ghost@contoso.com>\r\nDATA\r\n.\r\n"
            );
            s.handle_bytes(input.as_bytes(), 1000);
            let mut ids = Vec::new();
            while let Some(o) = s.poll_output() {
                if let Output::Event(ServerEvent::Log(e)) = o {
                    ids.push(e.event_id);
                }
            }
            assert!(ids.contains(&want), "{sender}: {ids:?}");
        }
    }

    #[test]
    fn a_handshake_outside_starttls_changes_nothing() {
        let mut s = session("exchange2016");
        let _ = run(&mut s, b"EHLO x\r\n");
        s.handle_tls_established(2000, None);
        assert!(!s.is_tls());
        assert_eq!(s.greeted_as(), Some("x"));
    }

    #[test]
    fn starttls_never_runs_pipelined_commands() {
        let mut s = session("exchange2016");
        let (lines, closed) = run(&mut s, b"EHLO x\r\nSTARTTLS\r\nMAIL FROM:<a@b.c>\r\n");
        assert_eq!(
            lines.last().map(String::as_str),
            Some("220 2.0.0 SMTP server ready")
        );
        assert!(closed && s.is_closed());
    }

    #[test]
    fn the_idle_timeout_fires_once() {
        let mut s = session("exchange2016");
        let _ = run(&mut s, b"EHLO x\r\n");
        assert_eq!(s.poll_timeout(), Some(1000 + 300_000));
        s.handle_timeout(300_000);
        assert!(!s.is_closed());
        s.handle_timeout(301_000);
        let (lines, _) = run(&mut s, b"");
        assert_eq!(lines, ["451 4.7.0 Timeout waiting for client input"]);
        assert!(s.is_closed() && s.poll_timeout().is_none());
    }

    #[test]
    fn every_reply_is_reported_with_what_it_answers() {
        let mut s = session("exchange2003");
        s.handle_bytes(b"EHLO x\r\nFOO\r\nMAIL FROM:<a@b.c>\r\n", 0);
        let replied: Vec<(Option<CommandKind>, u16, Option<String>)> =
            std::iter::from_fn(|| s.poll_output())
                .filter_map(|o| match o {
                    Output::Event(ServerEvent::Replied {
                        command,
                        code,
                        enhanced,
                        ..
                    }) => Some((command, code, enhanced)),
                    _ => None,
                })
                .collect();
        assert_eq!(
            replied,
            vec![
                (None, 220, None),
                (Some(CommandKind::Ehlo), 250, None),
                (Some(CommandKind::Unknown), 500, Some("5.3.3".into())),
                (Some(CommandKind::Mail), 250, Some("2.1.0".into())),
            ]
        );
    }

    /// IIS and Exchange 5.5 word a bare HELO and a bad domain alike; the event names which.
    #[test]
    fn every_reply_is_reported_with_the_key_it_is() {
        for id in ["iis5", "iis6", "exchange2003", "exchange55"] {
            let mut s = session(id);
            s.handle_bytes(b"HELO\r\n", 0);
            let keys: Vec<ReplyKey> = std::iter::from_fn(|| s.poll_output())
                .filter_map(|o| match o {
                    Output::Event(ServerEvent::Replied { key, .. }) => Some(key),
                    _ => None,
                })
                .collect();
            assert_eq!(keys, [ReplyKey::Banner, ReplyKey::HeloNoDomain], "{id}");
        }
    }

    #[test]
    fn relay_refusals_are_logged() {
        let mut s = session("exchange2003");
        s.handle_bytes(
            b"EHLO x\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<x@fabrikam.com>\r\n",
            7_000,
        );
        let logs: Vec<LogEntry> = std::iter::from_fn(|| s.poll_output())
            .filter_map(|o| match o {
                Output::Event(ServerEvent::Log(l)) => Some(l),
                _ => None,
            })
            .collect();
        assert_eq!(logs.len(), 1);
        assert_eq!(logs[0].source, "MSExchangeTransport");
        assert_eq!(logs[0].level, LogLevel::Warning);
        assert_eq!(logs[0].time, 7_000);
        assert!(
            logs[0].message.contains("x@fabrikam.com"),
            "{}",
            logs[0].message
        );
    }

    #[test]
    fn typed_control_bytes_never_reach_the_log() {
        let mut s = session("iis5");
        s.handle_bytes(b"EHLO bad\x1b[2Jname.\r\n", 0);
        let logs: Vec<String> = std::iter::from_fn(|| s.poll_output())
            .filter_map(|o| match o {
                Output::Event(ServerEvent::Log(l)) => Some(l.message),
                _ => None,
            })
            .collect();
        assert_eq!(logs.len(), 1);
        assert!(logs[0].contains("bad?[2Jname.") && !logs[0].contains('\x1b'));
    }

    #[test]
    fn sessions_can_move_between_threads() {
        fn is_send<T: Send + Sync>() {}
        is_send::<Session>();
    }

    #[test]
    fn a_closed_connector_wants_auth_before_mail() {
        let mut config = ServerConfig::default_world();
        config.persona.behaviour.require_auth = true;
        let mut s = Session::new(Arc::new(config), "10.0.0.50", 0, 1);
        let (lines, _) = run(&mut s, b"EHLO x\r\nMAIL FROM:<a@b.c>\r\n");
        assert_eq!(
            lines.last().map(String::as_str),
            Some("530 5.7.3 Client was not authenticated")
        );
        let (lines, _) = run(
            &mut s,
            b"AUTH LOGIN YWRtaW4=\r\nUEBzc3cwcmQ=\r\nMAIL FROM:<a@b.c>\r\n",
        );
        assert_eq!(codes(&lines), ["334", "235", "250"]);
    }

    #[test]
    fn auth_ntlm_is_answered_where_it_is_advertised() {
        // (persona, the reply to a bare AUTH NTLM)
        let table = [
            ("exchange2016", "334 NTLM supported"),
            ("exchange2003", "334 NTLM supported"),
            // The damaged link drops AUTH from the list, not from the IIS service's verbs.
            (
                "exchange2003-damaged-link",
                "504 5.7.4 Unrecognized authentication type.",
            ),
            ("iis6", "504 5.7.4 Unrecognized authentication type."),
        ];
        for (persona, want) in table {
            let mut s = session(persona);
            let (lines, _) = run(&mut s, b"EHLO x\r\nAUTH NTLM\r\n");
            assert_eq!(lines.last().map(String::as_str), Some(want), "{persona}");
        }
        // GSSAPI stays refused even where it is listed.
        let mut s = session("exchange2003");
        let (lines, _) = run(&mut s, b"EHLO x\r\nAUTH GSSAPI\r\n");
        assert_eq!(codes(&lines).last(), Some(&"504"));
    }

    #[test]
    fn the_ntlm_blob_is_refused_cancelled_or_found_malformed() {
        // The start of a real NTLM negotiate message (binary, so not UTF-8 once decoded).
        let blob = "TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAKAGFKAAAADw==";
        // (input after EHLO, what the last reply says)
        let table: [(String, &str); 5] = [
            (
                format!("AUTH NTLM\r\n{blob}\r\n"),
                "535 5.7.3 Authentication unsuccessful",
            ),
            (
                format!("AUTH ntlm {blob}\r\n"),
                "535 5.7.3 Authentication unsuccessful",
            ),
            (
                "AUTH NTLM\r\n*\r\n".into(),
                "501 5.7.0 Authentication cancelled",
            ),
            (
                "AUTH NTLM\r\n!!notbase64\r\n".into(),
                "501 5.5.4 Invalid arguments",
            ),
            (
                "AUTH NTLM\r\n*\r\nAUTH LOGIN\r\n".into(),
                "504 5.7.4 Unrecognized authentication type",
            ),
        ];
        for (input, want) in table {
            let mut s = session("exchange2016");
            let _ = run(&mut s, b"EHLO x\r\n");
            s.handle_bytes(input.as_bytes(), 1000);
            // Release whatever the tarpit holds.
            s.handle_timeout(60_000);
            let mut lines = Vec::new();
            let mut failures = 0;
            while let Some(o) = s.poll_output() {
                match o {
                    Output::Transmit(b) => lines.push(String::from_utf8_lossy(&b).into_owned()),
                    Output::Event(ServerEvent::Log(l)) if l.event_id == 4006 => failures += 1,
                    _ => {}
                }
            }
            let last = lines.last().map(|l| l.trim_end().to_string());
            assert_eq!(last.as_deref(), Some(want), "{input:?}");
            assert_eq!(failures, usize::from(want.starts_with("535")), "{input:?}");
            assert_eq!(s.authenticated_as(), None);
            // Back to commands either way.
            let (lines, _) = run(&mut s, b"NOOP\r\n");
            assert_eq!(lines, ["250 2.0.0 OK"], "{input:?}");
        }
    }

    /// Reply lines (without CRLF) waiting for the edge now, and whether a close came.
    fn ready(s: &mut Session) -> (Vec<String>, bool) {
        let mut lines = Vec::new();
        let mut closed = false;
        while let Some(o) = s.poll_output() {
            match o {
                Output::Transmit(b) => lines.push(String::from_utf8_lossy(&b).trim_end().into()),
                Output::Close => closed = true,
                Output::Event(_) => {}
            }
        }
        (lines, closed)
    }

    fn with_tarpit(persona: &str, secs: Option<u64>) -> Session {
        let o = ServerOverrides {
            limits: Some(crate::smtp::LimitOverrides {
                tarpit_secs: secs,
                ..Default::default()
            }),
            ..Default::default()
        };
        let config =
            ServerConfig::new(persona, &o).unwrap_or_else(|_| ServerConfig::default_world());
        Session::new(Arc::new(config), "10.0.0.50", 0, 1)
    }

    #[test]
    fn exchange_2016_holds_a_refusal_for_its_tarpit_interval() {
        let mut s = session("exchange2016");
        let _ = run(&mut s, b"EHLO x\r\nMAIL FROM:<a@b.c>\r\n");
        s.handle_bytes(b"RCPT TO:<nobody@contoso.com>\r\n", 10_000);
        assert_eq!(ready(&mut s), (vec![], false));
        assert!(s.is_tarpitting());
        assert_eq!(s.poll_timeout(), Some(15_000));
        s.handle_timeout(14_999);
        assert_eq!(ready(&mut s).0, Vec::<String>::new());
        s.handle_timeout(15_000);
        assert_eq!(ready(&mut s).0, ["550 5.1.1 User unknown"]);
        assert!(!s.is_tarpitting());
        // The idle timeout counts from the refusal, when the server last spoke.
        assert_eq!(s.poll_timeout(), Some(15_000 + 300_000));
        // A reply that is not a refusal goes at once.
        s.handle_bytes(b"RCPT TO:<john@contoso.com>\r\n", 16_000);
        assert_eq!(ready(&mut s).0, ["250 2.1.5 Recipient OK"]);
    }

    #[test]
    fn commands_behind_a_held_refusal_are_answered_in_order_after_it() {
        let mut s = session("exchange2016");
        let _ = run(&mut s, b"EHLO x\r\nMAIL FROM:<a@b.c>\r\n");
        s.handle_bytes(
            b"RCPT TO:<nobody@contoso.com>\r\nRCPT TO:<john@contoso.com>\r\nRCPT TO:<x@fabrikam.com>\r\nQUIT\r\n",
            1_000,
        );
        // QUIT was read, but the connection is not over while replies are owed.
        assert!(!s.is_closed());
        assert_eq!(ready(&mut s), (vec![], false));
        s.handle_timeout(6_000);
        assert_eq!(
            ready(&mut s),
            (
                vec![
                    "550 5.1.1 User unknown".to_string(),
                    "250 2.1.5 Recipient OK".to_string()
                ],
                false
            )
        );
        // The second refusal waits its own interval after the first.
        assert_eq!(s.poll_timeout(), Some(11_000));
        s.handle_bytes(b"NOOP\r\n", 7_000);
        assert_eq!(
            ready(&mut s),
            (vec![], false),
            "input after QUIT is ignored"
        );
        s.handle_timeout(11_000);
        assert_eq!(
            ready(&mut s),
            (
                vec![
                    "550 5.7.1 Unable to relay".to_string(),
                    "221 2.0.0 Service closing transmission channel".to_string()
                ],
                true
            )
        );
        assert!(s.is_closed() && s.poll_timeout().is_none());
    }

    #[test]
    fn the_tarpit_spares_authenticated_clients_and_other_servers() {
        // Exchange 2016 offers AUTH LOGIN inside TLS; once logged on, refusals go at once.
        let mut s = session("exchange2016");
        let _ = run(&mut s, b"EHLO x\r\nSTARTTLS\r\n");
        s.handle_tls_established(2_000, None);
        let _ = run(&mut s, b"EHLO x\r\nAUTH LOGIN YWRtaW4=\r\nUEBzc3cwcmQ=\r\n");
        assert_eq!(s.authenticated_as(), Some("admin"));
        s.handle_bytes(
            b"MAIL FROM:<a@b.c>\r\nRCPT TO:<nobody@contoso.com>\r\n",
            3_000,
        );
        assert_eq!(
            ready(&mut s).0.last().map(String::as_str),
            Some("550 5.1.1 User unknown")
        );
        // (persona, tarpit override, when the refusal goes after input at 1000)
        let table = [
            ("exchange2003", None, 1_000),
            ("exchange2016", Some(0), 1_000),
            ("exchange2016", Some(2), 3_000),
            ("exchange2016", None, 6_000),
        ];
        for (persona, secs, at) in table {
            let mut s = with_tarpit(persona, secs);
            let _ = ready(&mut s);
            s.handle_bytes(b"FOO\r\n", 1_000);
            if at > 1_000 {
                assert_eq!(s.poll_timeout(), Some(at), "{persona} {secs:?}");
                s.handle_timeout(at - 1);
                assert!(ready(&mut s).0.is_empty(), "{persona} {secs:?}");
                s.handle_timeout(at);
            }
            let (lines, _) = ready(&mut s);
            assert_eq!(lines.len(), 1, "{persona} {secs:?}");
            assert!(lines[0].starts_with("500"), "{persona} {secs:?}");
        }
        // Exchange takes at most 10 minutes.
        let s = with_tarpit("exchange2016", Some(100_000));
        assert_eq!(s.config().limits.tarpit_secs, 600);
    }

    #[test]
    fn exchange_2016_ends_a_session_after_ten_minutes_however_busy() {
        let mut s = session("exchange2016");
        let _ = run(
            &mut s,
            b"EHLO x\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<john@contoso.com>\r\nDATA\r\n",
        );
        // A line every four minutes keeps the idle timeout away, not the connection timeout.
        for (t, next) in [(240_000, 540_000), (480_000, 600_000)] {
            s.handle_bytes(b"still typing\r\n", t);
            assert_eq!(s.poll_timeout(), Some(next), "{t}");
        }
        s.handle_timeout(599_999);
        assert_eq!(ready(&mut s), (vec![], false));
        s.handle_timeout(600_000);
        assert_eq!(
            ready(&mut s),
            (vec!["421 4.4.1 Connection timed out".to_string()], true)
        );
        assert!(s.is_closed() && s.poll_timeout().is_none());
        // Other versions have no such limit: only the idle timeout.
        let mut s = session("exchange2003");
        s.handle_bytes(b"NOOP\r\n", 500_000);
        assert_eq!(s.poll_timeout(), Some(500_000 + 600_000));
    }

    #[test]
    fn auth_login_checks_the_accounts() {
        let table: [(&[u8], &str); 4] = [
            (b"YWRtaW4=\r\nUEBzc3cwcmQ=\r\n", "235"),
            (b"YWRtaW4=\r\nd3Jvbmc=\r\n", "535"),
            (b"*\r\n", "501"),
            (b"!!!\r\n", "501"),
        ];
        for (answers, want) in table {
            let mut s = session("exchange2003");
            let _ = run(&mut s, b"EHLO x\r\nAUTH LOGIN\r\n");
            let (lines, _) = run(&mut s, answers);
            assert_eq!(lines.last().map(|l| &l[..3]), Some(want));
        }
    }
}
