//! The parts of the workstation every program uses: the screen, the network, the clock, the
//! records a learner's panels and lesson checks read (events, event log, trace, mail store).

use super::{text, Console};
use crate::clock::Millis;
use crate::net::{Network, Rng, TraceSegment};
use crate::scenario::{WindowsVersion, World};
use crate::smtp::persona::ReplyKey;
use crate::smtp::{LogLevel, MailStore, ServerConfig, ServerEvent};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::sync::Arc;

/// Events kept for [`super::Workstation::poll_event`] before the oldest are dropped (a
/// front end that never drains them must not grow without bound).
pub const EVENT_CAP: usize = 10_000;
/// Entries kept in the event log.
pub const EVENT_LOG_CAP: usize = 5_000;

/// What happened on the workstation, for lesson checks and panels. Serializable, so lesson
/// files can name them (`event = "telnet-connected"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "kebab-case")]
pub enum SimEvent {
    /// A line was entered at the cmd prompt; `program` is its first word, lower case.
    CommandRun { program: String, line: String },
    /// A ping run ended (all echoes done, or Ctrl+C).
    PingFinished {
        target: String,
        /// The address pinged; `None` when the name did not resolve.
        address: Option<String>,
        sent: u64,
        /// Echo replies from the target itself.
        received: u64,
    },
    /// nslookup answered (or failed to) one query.
    NslookupAnswer {
        name: String,
        /// `A`, `MX`, `PTR` or `ANY`.
        query_type: String,
        /// The records as nslookup printed them.
        answers: Vec<String>,
        /// `non-existent-domain`, `no-response`, `no-data`; `None` on success.
        error: Option<String>,
    },
    /// The Telnet client connected.
    TelnetConnected {
        host: String,
        address: String,
        port: u16,
    },
    /// A connection attempt failed: `refused`, `timed-out` or `unresolved`.
    TelnetFailed {
        host: String,
        port: u16,
        reason: String,
    },
    /// The connection ended; `by_server` when the server closed it.
    TelnetClosed { host: String, by_server: bool },
    /// Ctrl+] went to the `Microsoft Telnet>` prompt during a session.
    TelnetEscaped,
    /// A blank Enter at the prompt went back into the session.
    TelnetResumed,
    /// A Telnet option was set or unset (`localecho`, `crlf`, `bsasdel`, `delasbs`, ...).
    TelnetSetting { option: String, on: bool },
    /// `set` (`on`) or `unset` named an option this version's client does not have, as
    /// typed, lower case: XP's `localecho` on Windows 2000, Windows 2000's `local_echo` on
    /// XP. The client said `Invalid Command`; a lesson may say why.
    TelnetSettingRefused { option: String, on: bool },
    /// A complete SMTP reply arrived; `command` is the line it answered (`None` for the
    /// banner), as the server received it, BS bytes included.
    SmtpReply {
        command: Option<String>,
        code: u16,
        /// All lines of the reply, CRLF removed.
        lines: Vec<String>,
        /// Which persona reply the server sent, for Explain: two replies may read alike.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        key: Option<ReplyKey>,
    },
    /// The server delivered a message into a mailbox.
    MessageDelivered {
        mailbox: String,
        from: String,
        subject: Option<String>,
    },
    /// Telnet Client was installed (dism or pkgmgr).
    TelnetInstalled,
    /// The learner opened a delivered message to read it. The workstation never emits this:
    /// a front end reports it (the browser's Mailbox panel) to the trainer, as reading the
    /// recipient's mailbox is how KB 153119 ends.
    MessageOpened { mailbox: String, subject: String },
}

/// One entry of the mail server's application log (the Event Viewer panel).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventLogEntry {
    pub time: Millis,
    /// When, on the server's own local clock (seconds since 1970 in its time zone), the clock
    /// its banner and headers are dated from, so a learner can match an entry with a reply or
    /// a Received header. [`EventLogEntry::date_and_time`] shows it as Event Viewer does.
    #[serde(default)]
    pub local_secs: i64,
    /// The server it happened on.
    pub host: String,
    /// The event source, e.g. `SMTPSVC` or `MSExchangeTransport`.
    pub source: String,
    /// The Event Viewer's event id (0 for entries the workstation itself writes).
    pub event_id: u32,
    pub level: LogLevel,
    pub message: String,
}

impl EventLogEntry {
    /// The entry's date and time as Event Viewer's list shows them in US English,
    /// `11/24/2026 3:52:10 AM`.
    pub fn date_and_time(&self) -> String {
        text::event_viewer_date_time(self.local_secs)
    }
}

/// Everything but the running program.
#[derive(Debug)]
pub struct Machine {
    pub os: WindowsVersion,
    pub world: World,
    pub net: Network,
    pub console: Console,
    pub events: VecDeque<SimEvent>,
    pub event_log: Vec<EventLogEntry>,
    pub trace: Vec<TraceSegment>,
    pub mail: MailStore,
    pub rng: Rng,
    pub telnet_installed: bool,
    servers: Vec<Option<Arc<ServerConfig>>>,
    next_port: u16,
}

impl Machine {
    pub fn new(world: World, seed: u64) -> Machine {
        let net = Network::new(&world);
        let mut rng = Rng::new(seed);
        let os = world.workstation.os;
        let first_port = if os.is_vista_or_later() {
            49152 + rng.range(0, 2000) as u16
        } else {
            1025 + rng.range(0, 2000) as u16
        };
        Machine {
            os,
            telnet_installed: world.telnet_installed(),
            servers: vec![None; world.hosts.len()],
            net,
            world,
            console: Console::default(),
            events: VecDeque::new(),
            event_log: Vec::new(),
            trace: Vec::new(),
            mail: MailStore::default(),
            rng,
            next_port: first_port,
        }
    }

    /// Records an event for lesson checks.
    pub fn emit(&mut self, e: SimEvent) {
        if self.events.len() >= EVENT_CAP {
            self.events.pop_front();
        }
        self.events.push_back(e);
    }

    /// Adds an entry to the server's application log.
    pub fn log(&mut self, entry: EventLogEntry) {
        if self.event_log.len() >= EVENT_LOG_CAP {
            self.event_log.drain(..EVENT_LOG_CAP / 2);
        }
        self.event_log.push(entry);
    }

    /// Writes lines, each ending in a line break.
    pub fn lines<S: AsRef<str>>(&mut self, lines: &[S]) {
        for l in lines {
            self.console.write_line(l.as_ref());
        }
    }

    /// Starts a fresh line if the cursor is not at the start of an empty one.
    pub fn fresh_line(&mut self) {
        if !self.console.current_line().is_empty() {
            self.console.write("\n");
        }
    }

    /// The next ephemeral client port, as the version allocates them.
    pub fn ephemeral_port(&mut self) -> u16 {
        let p = self.next_port;
        let (lo, hi) = if self.os.is_vista_or_later() {
            (49152, 65535)
        } else {
            (1025, 5000)
        };
        self.next_port = if p >= hi { lo } else { p + 1 };
        p
    }

    /// The engine configuration of mail host `index`, built once.
    pub fn server_config(&mut self, index: usize) -> Arc<ServerConfig> {
        if let Some(Some(cfg)) = self.servers.get(index) {
            return cfg.clone();
        }
        let cfg = self.net.server_config(index);
        if let Some(slot) = self.servers.get_mut(index) {
            *slot = Some(cfg.clone());
        }
        cfg
    }

    /// Files what a server reported: deliveries into the mail store, log entries.
    pub fn server_event(&mut self, host: usize, e: ServerEvent) {
        let host_name = self
            .world
            .hosts
            .get(host)
            .map(|h| h.name.clone())
            .unwrap_or_default();
        match e {
            ServerEvent::Delivered(msg) => {
                let subject = crate::smtp::store::header_value(&msg.content, "subject");
                self.emit(SimEvent::MessageDelivered {
                    mailbox: msg.mailbox.clone(),
                    from: msg.from.clone(),
                    subject,
                });
                self.mail.deliver(*msg);
            }
            ServerEvent::Log(entry) => self.log(EventLogEntry {
                time: entry.time,
                local_secs: entry.local_secs,
                host: host_name,
                source: entry.source,
                event_id: entry.event_id,
                level: entry.level,
                message: entry.message,
            }),
            // Relayed mail leaves the simulated world; replies are paired with their command
            // lines by the Telnet client itself, which also sees the BS bytes a learner sent.
            ServerEvent::RelayQueued { .. }
            | ServerEvent::Replied { .. }
            | ServerEvent::AwaitingTls => {}
        }
    }
}
