//! One simulated TCP connection from the workstation to a mail server's SMTP [`Session`], and
//! the capture of every segment it carries.

use super::netmon;
use crate::clock::Millis;
use crate::smtp::{Output, ServerConfig, ServerEvent, Session};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Segments kept in the trace; past it the oldest half is dropped, so a 10 MB paste cannot
/// grow the capture without bound.
pub const TRACE_CAP: usize = 50_000;

/// One captured TCP segment, as a Network Monitor line shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceSegment {
    /// When it crossed the wire.
    pub time: Millis,
    /// `address:port` of the sender.
    pub from: String,
    /// `address:port` of the receiver.
    pub to: String,
    /// The payload, exactly (a Backspace shows here as 0x08).
    pub bytes: Vec<u8>,
    /// Network Monitor style description, first line first.
    pub summary: Vec<String>,
}

/// Appends a segment, keeping the capture under [`TRACE_CAP`].
pub(crate) fn record(trace: &mut Vec<TraceSegment>, seg: TraceSegment) {
    if trace.len() >= TRACE_CAP {
        trace.drain(..TRACE_CAP / 2);
    }
    trace.push(seg);
}

/// What comes out of a connection for the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnOutput {
    /// Bytes from the server.
    Data(Vec<u8>),
    /// Something the server did (delivery, log entry, reply explained).
    Event(ServerEvent),
    /// The server closed the connection.
    Closed,
}

/// A TCP connection carrying bytes between the Telnet client and an SMTP session.
#[derive(Debug)]
pub struct Connection {
    /// Index of the mail host in the world.
    pub host: usize,
    session: Session,
    local: String,
    remote: String,
    closed: bool,
}

impl Connection {
    /// Opens the connection at `now`; the server's banner is waiting in [`Connection::poll`].
    pub fn open(
        config: Arc<ServerConfig>,
        host: usize,
        local: (std::net::Ipv4Addr, u16),
        remote: (std::net::Ipv4Addr, u16),
        now: Millis,
        seed: u64,
    ) -> Connection {
        Connection {
            host,
            session: Session::new(config, &local.0.to_string(), now, seed),
            local: format!("{}:{}", local.0, local.1),
            remote: format!("{}:{}", remote.0, remote.1),
            closed: false,
        }
    }

    /// Sends bytes from the client (one keystroke's worth, as Telnet does).
    pub fn send(&mut self, bytes: &[u8], now: Millis, trace: &mut Vec<TraceSegment>) {
        if self.closed || bytes.is_empty() {
            return;
        }
        record(
            trace,
            TraceSegment {
                time: now,
                from: self.local.clone(),
                to: self.remote.clone(),
                bytes: bytes.to_vec(),
                summary: netmon::client_summary(bytes),
            },
        );
        self.session.handle_bytes(bytes, now);
    }

    /// The client closes its end (Telnet's `close` or `quit`).
    pub fn close(&mut self) {
        self.closed = true;
    }

    /// Passes time to the server (idle timeouts, tarpits).
    pub fn handle_timeout(&mut self, now: Millis) {
        if !self.closed {
            self.session.handle_timeout(now);
        }
    }

    /// When the server next wants time.
    pub fn poll_timeout(&self) -> Option<Millis> {
        if self.closed {
            None
        } else {
            self.session.poll_timeout()
        }
    }

    /// Whether either end has closed.
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// The next thing the server produced, with server segments recorded in the trace.
    pub fn poll(&mut self, now: Millis, trace: &mut Vec<TraceSegment>) -> Option<ConnOutput> {
        if self.closed {
            return None;
        }
        match self.session.poll_output()? {
            Output::Transmit(bytes) => {
                record(
                    trace,
                    TraceSegment {
                        time: now,
                        from: self.remote.clone(),
                        to: self.local.clone(),
                        summary: netmon::server_summary(&bytes),
                        bytes: bytes.clone(),
                    },
                );
                Some(ConnOutput::Data(bytes))
            }
            Output::Event(e) => Some(ConnOutput::Event(e)),
            Output::Close => {
                self.closed = true;
                record(
                    trace,
                    TraceSegment {
                        time: now,
                        from: self.remote.clone(),
                        to: self.local.clone(),
                        bytes: Vec::new(),
                        summary: vec![format!("TCP: Flags=...A...F, closed by {}", self.remote)],
                    },
                );
                Some(ConnOutput::Closed)
            }
        }
    }
}
