//! The mail store: where accepted mail lands. Kept by the caller (the workstation, `serve`),
//! fed by [`crate::smtp::ServerEvent::Delivered`] events, so the engine itself holds no mail
//! beyond the message it is receiving.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What kind of message sits in a mailbox: lessons look for a delivery receipt or an NDR.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// A message a client sent.
    #[default]
    Mail,
    /// A delivery receipt (DSN, action delivered) for `NOTIFY=SUCCESS`.
    Receipt,
    /// A non-delivery report (DSN, action failed).
    Ndr,
}

/// One message as it sits in a mailbox.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredMessage {
    /// The mailbox it was delivered to (lower case address).
    pub mailbox: String,
    /// Envelope sender (`MAIL FROM`), empty for the null sender of a DSN.
    pub from: String,
    /// The whole message as stored: the server's Received header, then what the client sent
    /// (with Message-ID and Date added if it had none), CRLF line ends kept as received.
    pub content: String,
    /// The Message-ID header's value.
    #[serde(default)]
    pub message_id: String,
    #[serde(default)]
    pub kind: MessageKind,
    /// The same message as octets, kept only when the client sent bytes that are not UTF-8
    /// (an 8BITMIME body in ISO-8859-1, say): `content` shows each such byte as U+FFFD, which
    /// is right for a screen but would corrupt the mail an edge writes to disk. `None` when
    /// `content` already holds every octet. Not persisted: a browser mailbox shows `content`.
    #[serde(skip)]
    pub raw: Option<Vec<u8>>,
}

impl StoredMessage {
    /// The message exactly as stored, octet for octet: what an edge writes to a file.
    pub fn octets(&self) -> &[u8] {
        self.raw.as_deref().unwrap_or(self.content.as_bytes())
    }

    /// The value of the first header called `name` (any case), unfolded, if present.
    pub fn header(&self, name: &str) -> Option<String> {
        header_value(&self.content, name)
    }

    /// The addresses of the `x-receiver:` lines on top of a message in IIS's Drop folder (see
    /// [`drop_envelope`]), in order; none for a message in a mailbox.
    pub fn drop_receivers(&self) -> impl Iterator<Item = &str> {
        self.content
            .split('\n')
            .map(|l| l.trim_end_matches('\r'))
            .take_while(|l| !l.is_empty())
            .filter_map(|l| {
                let (name, value) = l.split_once(':')?;
                name.eq_ignore_ascii_case("x-receiver")
                    .then(|| value.trim())
            })
    }

    /// The Subject header, or `""`.
    pub fn subject(&self) -> String {
        self.header("Subject").unwrap_or_default()
    }

    /// Everything after the blank line that ends the headers.
    pub fn body(&self) -> &str {
        split_headers(&self.content).1
    }
}

/// The one folder the IIS SMTP service without Exchange writes mail for its local domains into,
/// by the name the mail store and the Mailbox panel give it: IIS has no mailboxes, so every
/// recipient's mail lands here, each message once.
pub const DROP_FOLDER: &str = "Drop (C:\\Inetpub\\mailroot\\Drop)";

/// The envelope lines IIS writes on top of a message in its Drop folder, so a program reading
/// the folder knows who it is for: `x-sender:` then one `x-receiver:` per local recipient, the
/// names in lower case as IIS writes them. The null sender of a report is written `<>` (R).
pub fn drop_envelope(sender: &str, receivers: &[&str]) -> String {
    let sender = if sender.is_empty() { "<>" } else { sender };
    let mut out = format!("x-sender: {sender}\r\n");
    for r in receivers {
        out.push_str(&format!("x-receiver: {r}\r\n"));
    }
    out
}

/// Splits a message at the first empty line: (headers, body). A message without one is all
/// header if it starts like a header block, else all body.
pub fn split_headers(content: &str) -> (&str, &str) {
    for sep in ["\r\n\r\n", "\n\n"] {
        if let Some(i) = content.find(sep) {
            return (&content[..i + sep.len() / 2], &content[i + sep.len()..]);
        }
    }
    (content, "")
}

/// The unfolded value of header `name` in `content`'s header block. Reads only up to the blank
/// line that ends the headers, however long the body.
pub fn header_value(content: &str, name: &str) -> Option<String> {
    let mut lines = content
        .split('\n')
        .map(|l| l.trim_end_matches('\r'))
        .take_while(|l| !l.is_empty())
        .peekable();
    while let Some(line) = lines.next() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        if !key.eq_ignore_ascii_case(name) {
            continue;
        }
        let mut v = value.trim().to_string();
        while let Some(next) = lines.peek() {
            if next.starts_with([' ', '\t']) {
                v.push(' ');
                v.push_str(next.trim());
                lines.next();
            } else {
                break;
            }
        }
        return Some(v);
    }
    None
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

    /// The messages for `address` (any case): those in its mailbox, then those IIS dropped
    /// for it into the Drop folder (an `x-receiver:` line names it), each oldest first. What a
    /// lesson means by "the mailbox holds a message" on a server without mailboxes.
    pub fn messages_for<'a>(&'a self, address: &'a str) -> impl Iterator<Item = &'a StoredMessage> {
        let dropped = self
            .messages(DROP_FOLDER)
            .iter()
            .filter(move |m| m.drop_receivers().any(|r| r.eq_ignore_ascii_case(address)));
        self.messages(address).iter().chain(dropped)
    }

    /// The messages in `mailbox` (an address in any case, or a folder such as
    /// [`DROP_FOLDER`] by its name), oldest first.
    pub fn messages(&self, mailbox: &str) -> &[StoredMessage] {
        self.mailboxes
            .get(mailbox)
            .or_else(|| self.mailboxes.get(&mailbox.to_ascii_lowercase()))
            .or_else(|| {
                let mut all = self.mailboxes.iter();
                all.find(|(name, _)| name.eq_ignore_ascii_case(mailbox))
                    .map(|(_, m)| m)
            })
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_found_and_unfolded() {
        let m = StoredMessage {
            content:
                "Received: from x\r\n\tby y\r\nSubject: test message\r\n\r\nbody\r\nSubject: no\r\n"
                    .into(),
            ..StoredMessage::default()
        };
        let table = [
            ("subject", Some("test message")),
            ("Received", Some("from x by y")),
            ("Date", None),
        ];
        for (name, want) in table {
            assert_eq!(m.header(name).as_deref(), want, "{name}");
        }
        assert_eq!(m.body(), "body\r\nSubject: no\r\n");
    }

    #[test]
    fn a_drop_envelope_names_the_sender_and_every_receiver() {
        assert_eq!(
            drop_envelope("admin@test.com", &["john@contoso.com", "nobody@contoso.com"]),
            "x-sender: admin@test.com\r\nx-receiver: john@contoso.com\r\nx-receiver: nobody@contoso.com\r\n"
        );
        assert_eq!(
            drop_envelope("", &["admin@contoso.com"]),
            "x-sender: <>\r\nx-receiver: admin@contoso.com\r\n"
        );
        // The envelope reads as headers, so the message's own headers are still found.
        let m = StoredMessage {
            content: format!(
                "{}Subject: hi\r\n\r\nbody\r\n",
                drop_envelope("a@b.c", &["d@e.f"])
            ),
            ..StoredMessage::default()
        };
        assert_eq!(m.subject(), "hi");
        assert_eq!(m.header("x-receiver").as_deref(), Some("d@e.f"));
    }

    #[test]
    fn messages_for_an_address_include_those_dropped_for_it() {
        let mut s = MailStore::default();
        let dropped = |receivers: &[&str], kind| StoredMessage {
            mailbox: DROP_FOLDER.into(),
            content: format!(
                "{}Subject: x\r\n\r\nx-receiver: body@contoso.com\r\n",
                drop_envelope("a@b.c", receivers)
            ),
            kind,
            ..StoredMessage::default()
        };
        s.deliver(dropped(
            &["John@contoso.com", "user@contoso.com"],
            MessageKind::Mail,
        ));
        s.deliver(dropped(&["admin@contoso.com"], MessageKind::Receipt));
        s.deliver(StoredMessage {
            mailbox: "john@contoso.com".into(),
            kind: MessageKind::Ndr,
            ..StoredMessage::default()
        });
        let kinds = |a: &str| s.messages_for(a).map(|m| m.kind).collect::<Vec<_>>();
        assert_eq!(
            kinds("JOHN@contoso.com"),
            [MessageKind::Ndr, MessageKind::Mail]
        );
        assert_eq!(kinds("user@contoso.com"), [MessageKind::Mail]);
        assert_eq!(kinds("admin@contoso.com"), [MessageKind::Receipt]);
        // Only the envelope lines count, never the body.
        assert!(kinds("body@contoso.com").is_empty());
        assert_eq!(s.messages(DROP_FOLDER).len(), 2);
        assert_eq!(s.messages(&DROP_FOLDER.to_ascii_uppercase()).len(), 2);
    }

    #[test]
    fn the_store_files_by_mailbox() {
        let mut s = MailStore::default();
        s.deliver(StoredMessage {
            mailbox: "john@contoso.com".into(),
            ..StoredMessage::default()
        });
        assert_eq!(s.messages("John@Contoso.com").len(), 1);
        assert!(s.messages("user@contoso.com").is_empty());
    }
}
