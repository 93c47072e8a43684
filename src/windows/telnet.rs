//! The Microsoft Telnet client: its `Microsoft Telnet>` prompt and commands, connecting with
//! `Connecting To HOST...`, and the session where every key goes to the server as typed
//! (local echo off by default, Backspace sent as a BS byte, Ctrl+] back to the prompt).

use super::editor::{Edit, LineEditor};
use super::machine::{Machine, SimEvent};
use super::text;
use super::Key;
use crate::clock::{earliest, Millis};
use crate::net::{ConnOutput, Connect, Connection, Resolved, RESOLVER_TIMEOUT};
use crate::scenario::WindowsVersion;
use crate::smtp::ServerEvent;
use std::collections::VecDeque;
use std::net::Ipv4Addr;

/// Longest partial line the reply tracker keeps (a server or paste without line ends).
const TRACK_LINE_CAP: usize = 64 * 1024;
/// Server bytes kept while the learner is at the prompt.
const HELD_CAP: usize = 1024 * 1024;
/// Commands awaiting a reply that the tracker remembers.
const TRACK_QUEUE_CAP: usize = 1024;

/// Pairs each complete SMTP reply with the command line it answers, for lesson checks.
#[derive(Debug, Default)]
struct Tracker {
    line: Vec<u8>,
    commands: VecDeque<String>,
    in_data: bool,
    greeted: bool,
    partial: Vec<u8>,
    reply: Vec<String>,
}

impl Tracker {
    fn sent(&mut self, bytes: &[u8]) {
        for &b in bytes {
            if b != b'\n' {
                if self.line.len() < TRACK_LINE_CAP {
                    self.line.push(b);
                }
                continue;
            }
            let raw = std::mem::take(&mut self.line);
            let l = String::from_utf8_lossy(raw.strip_suffix(b"\r").unwrap_or(&raw)).into_owned();
            if self.in_data {
                if l == "." {
                    self.in_data = false;
                    self.push(l);
                }
            } else {
                self.push(l);
            }
        }
    }

    fn push(&mut self, l: String) {
        if self.commands.len() >= TRACK_QUEUE_CAP {
            self.commands.pop_front();
        }
        self.commands.push_back(l);
    }

    fn received(&mut self, bytes: &[u8], out: &mut Vec<SimEvent>) {
        for &b in bytes {
            if b != b'\n' {
                if self.partial.len() < TRACK_LINE_CAP {
                    self.partial.push(b);
                }
                continue;
            }
            let raw = std::mem::take(&mut self.partial);
            let l = String::from_utf8_lossy(raw.strip_suffix(b"\r").unwrap_or(&raw)).into_owned();
            let last = l.len() == 3 || l.as_bytes().get(3) == Some(&b' ');
            let code = l.get(..3).and_then(|c| c.parse::<u16>().ok());
            self.reply.push(l);
            if let (true, Some(code)) = (last, code) {
                let command = if self.greeted {
                    self.commands.pop_front()
                } else {
                    self.greeted = true;
                    None
                };
                if code == 354 {
                    self.in_data = true;
                }
                out.push(SimEvent::SmtpReply {
                    command,
                    code,
                    lines: std::mem::take(&mut self.reply),
                    key: None,
                });
            } else if self.reply.len() > TRACK_QUEUE_CAP {
                self.reply.clear();
            }
        }
    }
}

/// Where the client is.
#[derive(Debug)]
enum State {
    /// At `Microsoft Telnet> `.
    Prompt,
    /// `open` without a host: at `( to ) `.
    OpenTo,
    /// `Connecting To HOST...` until `due`.
    Connecting { due: Millis, outcome: Outcome },
    /// Connected: keys go to the server.
    Session,
}

#[derive(Debug, Clone, Copy)]
enum Outcome {
    Open { host: usize, ip: Ipv4Addr },
    Fail { reason: &'static str },
}

/// What the workstation does after a Telnet step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Stay,
    /// Telnet ended: back to cmd.
    Exit,
}

/// The most received text a log file keeps (the learner's drive holds 1 MiB in all).
const LOG_CAP: usize = 1 << 20;

/// The running client.
#[derive(Debug)]
pub struct Telnet {
    state: State,
    /// Opened as `telnet` alone: a lost connection returns to the prompt, not to cmd.
    from_prompt: bool,
    editor: LineEditor,
    local_echo: bool,
    crlf: bool,
    bsasdel: bool,
    delasbs: bool,
    /// `set escape x`: the key that returns to the prompt instead of Ctrl+].
    escape: Option<char>,
    /// `set term`: the terminal type the client prefers (`display` names it).
    term: &'static str,
    /// `set mode stream`: console or stream (`display` names it).
    stream_mode: bool,
    conn: Option<Connection>,
    host: String,
    port: u16,
    /// The port as typed, for the failure message.
    port_text: String,
    tracker: Tracker,
    /// Server bytes that arrived while the learner was at the prompt, shown on return.
    held: Vec<u8>,
    /// `set logfile NAME` or `telnet -f NAME`: the file the session's received text goes to,
    /// and that text, kept until the client ends (the workstation then writes it to the
    /// learner's drive, where `type` reads it).
    log_file: Option<String>,
    log: String,
    /// `set logging` / `unset logging`: whether received text goes to the log file.
    logging: bool,
}

/// `telnet` with arguments: the host and port after skipping the options.
fn host_and_port(args: &[&str]) -> (Option<String>, Option<String>) {
    let mut rest = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i];
        match a.to_ascii_lowercase().as_str() {
            "-e" | "-f" | "-l" | "-t" => i += 1,
            "-a" => {}
            _ => rest.push(a),
        }
        i += 1;
    }
    (
        rest.first().map(|s| s.to_string()),
        rest.get(1).map(|s| s.to_string()),
    )
}

/// A port as Telnet reads it: a number or a service name.
fn parse_port(s: &str) -> Option<u16> {
    match s.to_ascii_lowercase().as_str() {
        "smtp" => Some(25),
        "telnet" => Some(23),
        "pop3" => Some(110),
        n => n.parse().ok().filter(|p| *p > 0),
    }
}

impl Telnet {
    fn new(from_prompt: bool) -> Telnet {
        Telnet {
            state: State::Prompt,
            from_prompt,
            editor: LineEditor::new(),
            local_echo: false,
            crlf: true,
            bsasdel: false,
            delasbs: false,
            escape: None,
            term: text::TELNET_TERMS[0],
            stream_mode: false,
            conn: None,
            host: String::new(),
            port: 23,
            port_text: "23".into(),
            tracker: Tracker::default(),
            held: Vec::new(),
            log_file: None,
            log: String::new(),
            logging: false,
        }
    }

    /// Runs `telnet ARGS` from cmd; `None` when it only printed its usage.
    pub fn start(m: &mut Machine, args: &[&str], now: Millis) -> Option<Telnet> {
        if args.iter().any(|a| *a == "/?" || *a == "-?") {
            m.lines(text::TELNET_USAGE);
            return None;
        }
        // `-f FILE` logs the session as `set logfile FILE` does (XP and later, as the usage
        // Windows 2000 prints has no -f).
        let log_file = args
            .iter()
            .position(|a| a.eq_ignore_ascii_case("-f"))
            .and_then(|i| args.get(i + 1))
            .filter(|_| m.os != WindowsVersion::Win2000)
            .map(|f| f.to_string());
        let mut t = match host_and_port(args) {
            (None, _) => {
                let mut t = Telnet::new(true);
                t.welcome(m);
                t.show_prompt(m);
                t
            }
            (Some(host), port) => {
                let mut t = Telnet::new(false);
                t.open(m, &host, port.as_deref(), now);
                t
            }
        };
        t.logging = log_file.is_some();
        t.log_file = log_file;
        Some(t)
    }

    /// The log file's name and what was logged, once: the workstation writes it as the client
    /// ends.
    pub fn take_log(&mut self) -> Option<(String, String)> {
        let file = self.log_file.take()?;
        Some((file, std::mem::take(&mut self.log)))
    }

    /// Whether the client waits for keys (not connecting).
    pub fn is_busy(&self) -> bool {
        matches!(self.state, State::Connecting { .. })
    }

    /// Whether keys go straight to the server.
    pub fn in_session(&self) -> bool {
        matches!(self.state, State::Session)
    }

    /// Whether local echo is on.
    pub fn local_echo(&self) -> bool {
        self.local_echo
    }

    /// The earliest instant the client or its server wants time.
    pub fn deadline(&self) -> Option<Millis> {
        let connecting = match self.state {
            State::Connecting { due, .. } => Some(due),
            _ => None,
        };
        earliest(
            connecting,
            self.conn.as_ref().and_then(|c| c.poll_timeout()),
        )
    }

    fn show_prompt(&mut self, m: &mut Machine) {
        self.state = State::Prompt;
        m.fresh_line();
        self.editor.render(&mut m.console, text::TELNET_PROMPT);
    }

    fn open(&mut self, m: &mut Machine, host: &str, port: Option<&str>, now: Millis) {
        let port_text = port.unwrap_or("23");
        m.console.write(&text::telnet_connecting(host));
        self.host = host.to_string();
        self.port_text = port_text.to_string();
        let Some(port) = parse_port(port_text) else {
            self.port = 0;
            self.state = State::Connecting {
                due: now,
                outcome: Outcome::Fail { reason: "refused" },
            };
            return;
        };
        self.port = port;
        let (due, outcome) = match m.net.lookup(host, now).1 {
            Resolved::Address(ip) => match m.net.connect(ip, port) {
                Connect::Open { host, after } => (now + after, Outcome::Open { host, ip }),
                Connect::Refused { after } => (now + after, Outcome::Fail { reason: "refused" }),
                Connect::TimedOut { after } => (
                    now + after,
                    Outcome::Fail {
                        reason: "timed-out",
                    },
                ),
            },
            Resolved::NotFound => (
                now,
                Outcome::Fail {
                    reason: "unresolved",
                },
            ),
            Resolved::NoServer => (
                now + RESOLVER_TIMEOUT,
                Outcome::Fail {
                    reason: "unresolved",
                },
            ),
        };
        self.state = State::Connecting { due, outcome };
    }

    /// Time passes: finish a connect attempt, let the server's timers run.
    pub fn timeout(&mut self, m: &mut Machine, now: Millis) -> Step {
        if let State::Connecting { due, outcome } = self.state {
            if now < due {
                return Step::Stay;
            }
            return match outcome {
                Outcome::Open { host, ip } => self.connected(m, host, ip, now),
                Outcome::Fail { reason } => {
                    m.console
                        .write_line(&text::telnet_connect_failed(&self.port_text));
                    m.emit(SimEvent::TelnetFailed {
                        host: self.host.clone(),
                        port: self.port,
                        reason: reason.into(),
                    });
                    self.after_connection(m)
                }
            };
        }
        if let Some(c) = self.conn.as_mut() {
            c.handle_timeout(now);
            return self.pump(m, now);
        }
        Step::Stay
    }

    fn connected(&mut self, m: &mut Machine, host: usize, ip: Ipv4Addr, now: Millis) -> Step {
        m.console.clear();
        let cfg = m.server_config(host);
        let local = (m.net.own_ip(), m.ephemeral_port());
        let seed = m.rng.next_u64();
        self.conn = Some(Connection::open(
            cfg,
            host,
            local,
            (ip, self.port),
            now,
            seed,
        ));
        self.tracker = Tracker::default();
        self.state = State::Session;
        m.emit(SimEvent::TelnetConnected {
            host: self.host.clone(),
            address: ip.to_string(),
            port: self.port,
        });
        self.pump(m, now)
    }

    /// Where to go when a connection ends or fails: the prompt if Telnet was opened there.
    fn after_connection(&mut self, m: &mut Machine) -> Step {
        self.conn = None;
        self.held.clear();
        if self.from_prompt {
            self.show_prompt(m);
            Step::Stay
        } else {
            Step::Exit
        }
    }

    /// Moves what the server produced onto the screen and into the records.
    fn pump(&mut self, m: &mut Machine, now: Millis) -> Step {
        let mut events = Vec::new();
        loop {
            let Some(conn) = self.conn.as_mut() else {
                return Step::Stay;
            };
            let host = conn.host;
            let Some(out) = conn.poll(now, &mut m.trace) else {
                break;
            };
            match out {
                ConnOutput::Data(bytes) => {
                    let text = String::from_utf8_lossy(&bytes);
                    if self.logging && self.log.len() + text.len() <= LOG_CAP {
                        self.log.push_str(&text);
                    }
                    if matches!(self.state, State::Session) {
                        m.console.write(&text);
                    } else if self.held.len() < HELD_CAP {
                        self.held.extend_from_slice(&bytes);
                    }
                    self.tracker.received(&bytes, &mut events);
                }
                // The server reports each reply's key right after its bytes: it names the
                // reply those bytes just completed.
                ConnOutput::Event(ServerEvent::Replied { key, .. }) => {
                    if let Some(SimEvent::SmtpReply { key: k @ None, .. }) = events.last_mut() {
                        *k = Some(key);
                    }
                }
                ConnOutput::Event(e) => m.server_event(host, e),
                ConnOutput::Closed => {
                    for e in events.drain(..) {
                        m.emit(e);
                    }
                    return self.lost(m);
                }
            }
        }
        for e in events {
            m.emit(e);
        }
        Step::Stay
    }

    fn lost(&mut self, m: &mut Machine) -> Step {
        if !self.held.is_empty() {
            // The server's last words arrived while the learner was at the prompt.
            m.fresh_line();
            let held = std::mem::take(&mut self.held);
            m.console.write(&String::from_utf8_lossy(&held));
        }
        m.fresh_line();
        m.console.write("\n\n");
        m.console.write_line(text::TELNET_LOST);
        m.emit(SimEvent::TelnetClosed {
            host: self.host.clone(),
            by_server: true,
        });
        self.after_connection(m)
    }

    fn close(&mut self, m: &mut Machine) {
        if let Some(mut c) = self.conn.take() {
            c.close();
            m.emit(SimEvent::TelnetClosed {
                host: self.host.clone(),
                by_server: false,
            });
        }
    }

    /// A key press.
    pub fn key(&mut self, m: &mut Machine, key: Key, now: Millis) -> Step {
        match self.state {
            State::Connecting { .. } => Step::Stay,
            State::Session => self.session_key(m, key, now),
            State::Prompt | State::OpenTo => self.prompt_key(m, key, now),
        }
    }

    fn session_key(&mut self, m: &mut Machine, key: Key, now: Millis) -> Step {
        let (bytes, echo): (Vec<u8>, String) = match key {
            Key::CtrlBracket if self.escape.is_some() => (vec![0x1d], String::new()),
            Key::Char(c) if self.escape == Some(c) => return self.escape_to_prompt(m),
            Key::CtrlBracket => return self.escape_to_prompt(m),
            Key::Char(c) => (c.to_string().into_bytes(), c.to_string()),
            Key::Enter if self.crlf => (b"\r\n".to_vec(), "\r\n".into()),
            Key::Enter => (b"\r".to_vec(), "\r".into()),
            Key::Backspace if self.bsasdel => (vec![0x7f], String::new()),
            Key::Backspace => (vec![0x08], "\u{8}".into()),
            Key::Delete if self.delasbs => (vec![0x08], "\u{8}".into()),
            Key::Delete => (vec![0x7f], String::new()),
            Key::Tab => (vec![b'\t'], "\t".into()),
            Key::Escape => (vec![0x1b], String::new()),
            Key::CtrlC => (vec![0x03], String::new()),
            Key::Up => (b"\x1b[A".to_vec(), String::new()),
            Key::Down => (b"\x1b[B".to_vec(), String::new()),
            Key::Right => (b"\x1b[C".to_vec(), String::new()),
            Key::Left => (b"\x1b[D".to_vec(), String::new()),
            Key::Home => (b"\x1b[1~".to_vec(), String::new()),
            Key::End => (b"\x1b[4~".to_vec(), String::new()),
        };
        self.send(m, &bytes, &echo, now)
    }

    /// The escape key in a session: the welcome text again, then the prompt.
    fn escape_to_prompt(&mut self, m: &mut Machine) -> Step {
        m.fresh_line();
        self.welcome(m);
        m.emit(SimEvent::TelnetEscaped);
        self.show_prompt(m);
        Step::Stay
    }

    /// The welcome text, naming the escape character in use.
    fn welcome(&self, m: &mut Machine) {
        let escape = text::telnet_escape_line(self.escape);
        for line in text::telnet_welcome(m.os) {
            let line = if *line == text::TELNET_ESCAPE {
                escape.as_str()
            } else {
                line
            };
            m.console.write_line(line);
        }
    }

    fn send(&mut self, m: &mut Machine, bytes: &[u8], echo: &str, now: Millis) -> Step {
        let Some(conn) = self.conn.as_mut() else {
            return Step::Stay;
        };
        conn.send(bytes, now, &mut m.trace);
        self.tracker.sent(bytes);
        if self.local_echo && !echo.is_empty() {
            m.console.write(echo);
        }
        self.pump(m, now)
    }

    fn prompt_key(&mut self, m: &mut Machine, key: Key, now: Millis) -> Step {
        let prompt = match self.state {
            State::OpenTo => text::TELNET_OPEN_TO,
            _ => text::TELNET_PROMPT,
        };
        match self.editor.key(key) {
            Edit::Unchanged => Step::Stay,
            Edit::Editing => {
                self.editor.render(&mut m.console, prompt);
                Step::Stay
            }
            Edit::Submit(line) => {
                m.console.write("\n");
                if matches!(self.state, State::OpenTo) {
                    let words: Vec<&str> = line.split_whitespace().collect();
                    return match words.first() {
                        Some(host) => {
                            self.open(m, host, words.get(1).copied(), now);
                            Step::Stay
                        }
                        None => {
                            self.show_prompt(m);
                            Step::Stay
                        }
                    };
                }
                self.command(m, &line, now)
            }
        }
    }

    /// One line at the `Microsoft Telnet>` prompt.
    fn command(&mut self, m: &mut Machine, line: &str, now: Millis) -> Step {
        let words: Vec<&str> = line.split_whitespace().collect();
        let Some(first) = words.first() else {
            if self.conn.is_some() {
                self.state = State::Session;
                let held = std::mem::take(&mut self.held);
                m.console.write(&String::from_utf8_lossy(&held));
                m.emit(SimEvent::TelnetResumed);
            } else {
                self.show_prompt(m);
            }
            return Step::Stay;
        };
        let args = &words[1..];
        match prompt_command(m.os, first) {
            Some("?") | Some("help") => m.lines(text::telnet_help(m.os)),
            Some("open") => {
                if self.conn.is_some() {
                    m.console
                        .write_line(&text::telnet_already_connected(&self.host));
                } else if let Some(host) = args.first() {
                    self.open(m, host, args.get(1).copied(), now);
                    return Step::Stay;
                } else {
                    self.state = State::OpenTo;
                    self.editor.render(&mut m.console, text::TELNET_OPEN_TO);
                    return Step::Stay;
                }
            }
            Some("close") => self.close(m),
            Some("display") => m.lines(&text::telnet_display(&text::TelnetShown {
                escape: self.escape,
                local_echo: self.local_echo,
                crlf: self.crlf,
                stream_mode: self.stream_mode,
                term: self.term,
            })),
            Some("quit") => {
                self.close(m);
                return Step::Exit;
            }
            Some("set") => self.set(m, args, true),
            Some("unset") => self.set(m, args, false),
            Some("status") => {
                let host = self.conn.as_ref().map(|_| self.host.as_str());
                m.lines(&text::telnet_status(host));
            }
            Some("send") => {
                if args.first() == Some(&"?") {
                    m.lines(text::TELNET_SEND_HELP);
                } else if self.conn.is_none() {
                    m.console.write_line(text::TELNET_NOT_CONNECTED);
                } else {
                    let bytes = send_bytes(args);
                    if let Some(c) = self.conn.as_mut() {
                        c.send(&bytes, now, &mut m.trace);
                        self.tracker.sent(&bytes);
                    }
                    if self.pump(m, now) == Step::Exit {
                        return Step::Exit;
                    }
                    if !self.from_prompt && self.conn.is_none() {
                        return Step::Exit;
                    }
                }
            }
            _ => m.console.write_line(text::TELNET_INVALID),
        }
        if !matches!(self.state, State::Connecting { .. }) {
            self.show_prompt(m);
        }
        Step::Stay
    }

    /// `set`/`unset` with the option names of the Windows version.
    fn set(&mut self, m: &mut Machine, args: &[&str], on: bool) {
        let Some(opt) = args.first().map(|o| o.to_ascii_lowercase()) else {
            m.console.write_line(text::TELNET_BAD_OPTION);
            return;
        };
        let win2000 = m.os == WindowsVersion::Win2000;
        // The option as this version spells it, mapped to one name for all versions.
        let name = match (opt.as_str(), win2000) {
            ("?", _) => {
                let help = if on {
                    text::telnet_set_help(m.os)
                } else {
                    text::telnet_unset_help(m.os)
                };
                m.lines(help);
                return;
            }
            ("local_echo", true) | ("localecho", false) => "localecho",
            ("crlf", _) => "crlf",
            ("bsasdel", false) => "bsasdel",
            ("delasbs", false) => "delasbs",
            ("ntlm", _) => "ntlm",
            ("logging", false) => "logging",
            ("term", _) if on => {
                let wanted = args.get(1).copied().unwrap_or("");
                match text::TELNET_TERMS
                    .iter()
                    .find(|t| t.eq_ignore_ascii_case(wanted))
                {
                    Some(t) => self.term = t,
                    None => m.console.write_line(text::TELNET_BAD_OPTION),
                }
                return;
            }
            ("mode", false) if on => {
                match args.get(1).map(|a| a.to_ascii_lowercase()).as_deref() {
                    Some("console") => self.stream_mode = false,
                    Some("stream") => self.stream_mode = true,
                    _ => m.console.write_line(text::TELNET_BAD_OPTION),
                }
                return;
            }
            ("escape", false) => {
                // `set escape x` takes the first character of x; `unset escape` goes back
                // to Ctrl+]. Either way the client says which character it is now.
                self.escape = if on {
                    args.get(1).and_then(|a| a.chars().next())
                } else {
                    None
                };
                m.console.write_line(&text::telnet_escape_line(self.escape));
                return;
            }
            // R: what the client says on `set logfile` is not known; it says nothing here.
            ("logfile", false) if on => {
                match args.get(1) {
                    Some(f) => {
                        self.log_file = Some(f.to_string());
                        self.logging = true;
                    }
                    None => m.console.write_line(text::TELNET_BAD_OPTION),
                }
                return;
            }
            _ => {
                m.console.write_line(text::TELNET_BAD_OPTION);
                m.emit(SimEvent::TelnetSettingRefused { option: opt, on });
                return;
            }
        };
        let flag = match name {
            "localecho" => Some(&mut self.local_echo),
            "logging" => Some(&mut self.logging),
            "crlf" => Some(&mut self.crlf),
            "bsasdel" => Some(&mut self.bsasdel),
            "delasbs" => Some(&mut self.delasbs),
            _ => None,
        };
        if let Some(flag) = flag {
            *flag = on;
        }
        if let Some((_, on_text, off_text)) = text::TELNET_TOGGLES.iter().find(|(n, ..)| *n == name)
        {
            m.console.write_line(if on { on_text } else { off_text });
        }
        m.emit(SimEvent::TelnetSetting {
            option: name.into(),
            on,
        });
    }
}

/// Resolves an abbreviated prompt command to its full name (`o` → `open`, `st` → `status`).
fn prompt_command(os: WindowsVersion, word: &str) -> Option<&'static str> {
    let w = word.to_ascii_lowercase();
    if w == "?" || w == "h" || w == "help" {
        return Some("help");
    }
    // (name, shortest abbreviation)
    let table: &[(&str, usize)] = if os == WindowsVersion::Win2000 {
        &[
            ("close", 1),
            ("display", 1),
            ("open", 1),
            ("quit", 1),
            ("set", 3),
            ("status", 2),
            ("unset", 1),
        ]
    } else {
        &[
            ("close", 1),
            ("display", 1),
            ("open", 1),
            ("quit", 1),
            ("set", 3),
            ("send", 3),
            ("status", 2),
            ("unset", 1),
        ]
    };
    table
        .iter()
        .find(|(name, min)| w.len() >= *min && name.starts_with(w.as_str()))
        .map(|(name, _)| *name)
}

/// What `send` puts on the wire: Telnet commands by name, anything else as text. The text
/// goes as typed, with no CR LF after it: Microsoft's reference for `sen` says only that it
/// "sends whatever string you type to the telnet server", and no public trace shows a line
/// ending added, so a learner who sends a command this way still needs Enter in the session.
fn send_bytes(args: &[&str]) -> Vec<u8> {
    const IAC: u8 = 255;
    match args.first().map(|a| a.to_ascii_lowercase()).as_deref() {
        Some("ao") => vec![IAC, 245],
        Some("ayt") => vec![IAC, 246],
        Some("brk") => vec![IAC, 243],
        Some("ip") => vec![IAC, 244],
        Some("synch") => vec![IAC, 242],
        Some("esc") => vec![0x1d],
        _ => args.join(" ").into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn send_puts_text_on_the_wire_as_typed_and_commands_as_iac() {
        assert_eq!(send_bytes(&["EHLO", "test.com"]), b"EHLO test.com".to_vec());
        assert_eq!(send_bytes(&["AYT"]), vec![255, 246]);
        assert_eq!(send_bytes(&["esc"]), vec![0x1d]);
    }

    #[test]
    fn prompt_commands_abbreviate_as_the_client_does() {
        let table = [
            (WindowsVersion::Xp, "o", Some("open")),
            (WindowsVersion::Xp, "OPEN", Some("open")),
            (WindowsVersion::Xp, "st", Some("status")),
            (WindowsVersion::Xp, "s", None),
            (WindowsVersion::Xp, "se", None),
            (WindowsVersion::Xp, "sen", Some("send")),
            (WindowsVersion::Xp, "set", Some("set")),
            (WindowsVersion::Xp, "?", Some("help")),
            (WindowsVersion::Win2000, "sen", None),
            (WindowsVersion::Xp, "quitx", None),
        ];
        for (os, word, want) in table {
            assert_eq!(prompt_command(os, word), want, "{os} {word}");
        }
    }

    #[test]
    fn the_tracker_pairs_replies_with_commands() {
        let mut t = Tracker::default();
        let mut ev = Vec::new();
        t.received(b"220 ready\r\n", &mut ev);
        t.sent(b"EHLO x\r\n");
        t.received(b"250-a\r\n250 OK\r\n", &mut ev);
        t.sent(b"DATA\r\n");
        t.received(b"354 go\r\n", &mut ev);
        t.sent(b"Subject: x\r\n\r\nbody\r\n.\r\n");
        t.received(b"250 queued\r\n", &mut ev);
        let got: Vec<_> = ev
            .iter()
            .map(|e| match e {
                SimEvent::SmtpReply {
                    command,
                    code,
                    lines,
                    ..
                } => (command.clone(), *code, lines.len()),
                _ => (None, 0, 0),
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (None, 220, 1),
                (Some("EHLO x".into()), 250, 2),
                (Some("DATA".into()), 354, 1),
                (Some(".".into()), 250, 1),
            ]
        );
    }

    #[test]
    fn ports_read_numbers_and_service_names() {
        assert_eq!(parse_port("25"), Some(25));
        assert_eq!(parse_port("SMTP"), Some(25));
        assert_eq!(parse_port("0"), None);
        assert_eq!(parse_port("x"), None);
    }
}
