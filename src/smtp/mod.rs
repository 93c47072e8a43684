//! The SMTP server: one sans-I/O state machine that answers as Microsoft's servers did,
//! version by version.
//!
//! A [`Session`] takes bytes as they arrive (one at a time, as Microsoft Telnet sends them, or
//! many pipelined lines at once) and the current time, and queues [`Output`]s: reply bytes,
//! events (a delivered message, an event-log entry, a reply for the Explain panel), and a
//! close. The caller drains them with [`Session::poll_output`]. Nothing here does I/O or reads a
//! clock; the same inputs always give the same outputs.
//!
//! What a server says is data: each persona is one table ([`persona`]), checked in under
//! `personas/`, holding its banner, EHLO list, every reply string with its confidence mark
//! from the reference, and its limits. [`explain()`] says what a reply means and what to do next.

pub mod command;
pub mod config;
pub mod dsn;
pub mod explain;
pub mod persona;
pub mod reply;
pub mod session;
pub mod store;

pub use command::CommandKind;
pub use config::{Account, LimitOverrides, ServerConfig, ServerOverrides, UnknownPersona};
pub use explain::{explain, explain_reply, Explanation};
pub use persona::{Confidence, LogLevel, Persona, ReplyKey};
pub use session::{LogEntry, Output, ServerEvent, Session};
pub use store::{MailStore, MessageKind, StoredMessage};
