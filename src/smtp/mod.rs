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
//! from the reference, and its limits.

pub mod persona;
pub mod session;
pub mod store;

pub use persona::{Persona, ServerConfig};
pub use session::{Output, ServerEvent, Session};
pub use store::{MailStore, StoredMessage};
