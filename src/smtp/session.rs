//! The session state machine. (The engine work replaces this first cut.)

use super::{ServerConfig, StoredMessage};
use crate::clock::Millis;
use std::collections::VecDeque;
use std::sync::Arc;

/// What the session asks its edge to do or know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// Bytes to send to the client: one or more complete reply lines ending in CRLF.
    Transmit(Vec<u8>),
    /// Something the server did, for the panels, the event log and lesson checks.
    Event(ServerEvent),
    /// Close the connection once the transmits before it are sent.
    Close,
}

/// Server-side happenings a learner may want to see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerEvent {
    /// A message was delivered into a local mailbox.
    Delivered(Box<StoredMessage>),
}

/// One SMTP connection, server side.
#[derive(Debug)]
pub struct Session {
    config: Arc<ServerConfig>,
    out: VecDeque<Output>,
    line: Vec<u8>,
    closed: bool,
}

impl Session {
    /// Opens a connection from `peer_ip` at `now`; the banner is queued at once.
    pub fn new(config: Arc<ServerConfig>, peer_ip: &str, now: Millis, seed: u64) -> Session {
        let _ = (peer_ip, now, seed);
        let banner = format!(
            "220 {}\r\n",
            config.persona.banner.replace("{host}", &config.hostname)
        );
        let mut out = VecDeque::new();
        out.push_back(Output::Transmit(banner.into_bytes()));
        Session {
            config,
            out,
            line: Vec::new(),
            closed: false,
        }
    }

    /// Feeds bytes as they arrived from the client.
    pub fn handle_bytes(&mut self, bytes: &[u8], now: Millis) {
        let _ = now;
        for &b in bytes {
            if self.closed {
                return;
            }
            if b == b'\n' {
                let cmd = String::from_utf8_lossy(&self.line)
                    .trim()
                    .to_ascii_uppercase();
                self.line.clear();
                if cmd == "QUIT" {
                    let r = format!(
                        "221 2.0.0 {} Service closing transmission channel\r\n",
                        self.config.hostname
                    );
                    self.out.push_back(Output::Transmit(r.into_bytes()));
                    self.out.push_back(Output::Close);
                    self.closed = true;
                } else {
                    self.out.push_back(Output::Transmit(
                        b"500 5.3.3 Unrecognized command\r\n".to_vec(),
                    ));
                }
            } else {
                self.line.push(b);
            }
        }
    }

    /// Called at or after [`Session::poll_timeout`]'s instant.
    pub fn handle_timeout(&mut self, now: Millis) {
        let _ = now;
    }

    /// When the session next wants [`Session::handle_timeout`] (idle timeout), if ever.
    pub fn poll_timeout(&self) -> Option<Millis> {
        None
    }

    /// The next queued output, in order.
    pub fn poll_output(&mut self) -> Option<Output> {
        self.out.pop_front()
    }

    /// True once the server has closed the connection.
    pub fn is_closed(&self) -> bool {
        self.closed
    }
}
