//! The mail store: where accepted mail lands. Kept by the caller (the workstation, `serve`),
//! fed by [`crate::smtp::ServerEvent::Delivered`] events.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One message as it sits in a mailbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredMessage {
    /// The mailbox it was delivered to (lower case address).
    pub mailbox: String,
    /// Envelope sender (`MAIL FROM`), empty for the null sender of a DSN.
    pub from: String,
    /// The whole message as received: headers, blank line, body, CRLF line ends.
    pub content: String,
}

/// Mailboxes by address, each holding its messages in arrival order.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct MailStore {
    pub mailboxes: BTreeMap<String, Vec<StoredMessage>>,
}

impl MailStore {
    /// Files a delivered message into its mailbox.
    pub fn deliver(&mut self, msg: StoredMessage) {
        self.mailboxes
            .entry(msg.mailbox.clone())
            .or_default()
            .push(msg);
    }
}
