//! Delivery status notifications (RFC 3461/3464): the delivery receipt that `NOTIFY=SUCCESS`
//! asks for (KB 153119's "Advanced Testing") and the non-delivery report for a recipient that
//! does not exist. The human-readable part is the persona's text; the machine-readable part
//! is RFC 3464's, so a mail client shows it as a report.

use super::persona::DsnTexts;
use super::reply::fill;
use super::store::{header_value, split_headers, MessageKind};

/// One recipient the report is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportedRecipient {
    pub address: String,
    /// `ORCPT=` as the client gave it, e.g. `rfc822;john@contoso.com`.
    pub orcpt: Option<String>,
}

/// Everything a report needs.
#[derive(Debug, Clone)]
pub struct DsnRequest<'a> {
    pub kind: MessageKind,
    pub texts: &'a DsnTexts,
    pub host: &'a str,
    /// RFC 822 date of the report (and of the original, which arrived the same second).
    pub date: &'a str,
    /// The report's own Message-ID (without brackets).
    pub message_id: &'a str,
    /// Who the report goes to: the original envelope sender.
    pub to: &'a str,
    pub recipients: &'a [ReportedRecipient],
    pub envid: Option<&'a str>,
    /// `RET=FULL` returns the whole original; otherwise only its headers.
    pub return_full: bool,
    /// The original message as received, as text.
    pub original: &'a str,
    /// The original's exact bytes when they are not UTF-8 (see `StoredMessage::raw`), so a
    /// report that returns the whole message returns it unchanged.
    pub original_raw: Option<&'a [u8]>,
}

/// The complete report message, CRLF line ends, as text; and its exact bytes when it returns
/// (`RET=FULL`) an original that is not UTF-8, which the text can only approximate.
pub fn build(req: &DsnRequest<'_>) -> (String, Option<Vec<u8>>) {
    let subject = header_value(req.original, "Subject").unwrap_or_default();
    let list = req
        .recipients
        .iter()
        .map(|r| r.address.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let vars = [
        ("host", req.host),
        ("subject", subject.as_str()),
        ("date", req.date),
        ("to", list.as_str()),
    ];
    let (subject_t, text_t, action, status) = match req.kind {
        MessageKind::Ndr => (
            &req.texts.ndr_subject,
            &req.texts.ndr_text,
            "failed",
            "5.1.1",
        ),
        _ => (
            &req.texts.receipt_subject,
            &req.texts.receipt_text,
            "delivered",
            "2.0.0",
        ),
    };
    let postmaster = fill(&req.texts.postmaster, &vars);
    let boundary = format!(
        "----=_DSN_{}",
        req.message_id.split('@').next().unwrap_or("0")
    );
    let mut m = String::with_capacity(req.original.len() + 2048);
    let mut line = |s: &str| {
        m.push_str(s);
        m.push_str("\r\n");
    };
    line(&format!("From: {postmaster}"));
    line(&format!("To: {}", req.to));
    line(&format!("Date: {}", req.date));
    line(&format!("Subject: {}", fill(subject_t, &vars)));
    line(&format!("Message-ID: <{}>", req.message_id));
    line("MIME-Version: 1.0");
    line(&format!(
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"{boundary}\""
    ));
    line("");
    line(&format!("--{boundary}"));
    line("Content-Type: text/plain; charset=us-ascii");
    line("");
    m.push_str(&fill(text_t, &vars));
    let mut line = |s: &str| {
        m.push_str(s);
        m.push_str("\r\n");
    };
    line("");
    line(&format!("--{boundary}"));
    line("Content-Type: message/delivery-status");
    line("");
    line(&format!("Reporting-MTA: dns;{}", req.host));
    if let Some(envid) = req.envid {
        line(&format!("Original-Envelope-Id: {envid}"));
    }
    line(&format!("Arrival-Date: {}", req.date));
    for r in req.recipients {
        line("");
        if let Some(o) = &r.orcpt {
            line(&format!("Original-Recipient: {o}"));
        }
        line(&format!("Final-Recipient: rfc822;{}", r.address));
        line(&format!("Action: {action}"));
        line(&format!("Status: {status}"));
        if req.kind == MessageKind::Ndr {
            line(&format!("Diagnostic-Code: smtp;550 {status} User unknown"));
        }
    }
    line("");
    line(&format!("--{boundary}"));
    // Where the returned original starts in `m`, if the whole of it is returned.
    let mut returned_at = None;
    if req.return_full {
        line("Content-Type: message/rfc822");
        line("");
        returned_at = Some(m.len());
        m.push_str(req.original);
    } else {
        line("Content-Type: text/rfc822-headers");
        line("");
        m.push_str(split_headers(req.original).0);
        // The blank line that ends a header block, so the part holds whole header lines.
        m.push_str("\r\n");
    }
    if !m.ends_with("\r\n") {
        m.push_str("\r\n");
    }
    m.push_str(&format!("--{boundary}--\r\n"));
    let raw = returned_at.zip(req.original_raw).map(|(at, original)| {
        let rest = &m.as_bytes()[at + req.original.len()..];
        let mut raw = Vec::with_capacity(m.len() + original.len());
        raw.extend_from_slice(&m.as_bytes()[..at]);
        raw.extend_from_slice(original);
        raw.extend_from_slice(rest);
        raw
    });
    (m, raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts() -> DsnTexts {
        DsnTexts {
            postmaster: "postmaster@{host}".into(),
            ndr_subject: "Undeliverable: {subject}".into(),
            ndr_text: "Could not deliver to {to}.\r\n".into(),
            receipt_subject: "Delivered: {subject}".into(),
            receipt_text: "Delivered to {to}.\r\n".into(),
        }
    }

    fn report(kind: MessageKind, full: bool) -> String {
        let t = texts();
        let rcpts = [ReportedRecipient {
            address: "john@contoso.com".into(),
            orcpt: Some("rfc822;john@contoso.com".into()),
        }];
        build(&DsnRequest {
            kind,
            texts: &t,
            host: "mail.contoso.com",
            date: "Tue, 12 Jun 2007 04:30:00 -0500",
            message_id: "ID1@mail.contoso.com",
            to: "admin@contoso.com",
            recipients: &rcpts,
            envid: Some("QQ"),
            return_full: full,
            original: "Subject: test message\r\n\r\nsecret body\r\n",
            original_raw: None,
        })
        .0
    }

    #[test]
    fn a_receipt_says_delivered() {
        let r = report(MessageKind::Receipt, false);
        for want in [
            "From: postmaster@mail.contoso.com\r\n",
            "To: admin@contoso.com\r\n",
            "Subject: Delivered: test message\r\n",
            "Delivered to john@contoso.com.\r\n",
            "Original-Envelope-Id: QQ\r\n",
            "Original-Recipient: rfc822;john@contoso.com\r\n",
            "Action: delivered\r\nStatus: 2.0.0\r\n",
            "Content-Type: text/rfc822-headers\r\n\r\nSubject: test message\r\n\r\n--",
        ] {
            assert!(r.contains(want), "{want:?} not in {r}");
        }
        assert!(!r.contains("secret body"));
        assert!(r.ends_with("--\r\n"));
    }

    #[test]
    fn an_ndr_says_failed_and_can_return_the_message() {
        let r = report(MessageKind::Ndr, true);
        assert!(r.contains("Subject: Undeliverable: test message\r\n"));
        assert!(r.contains("Action: failed\r\nStatus: 5.1.1\r\n"));
        assert!(r.contains("secret body"));
        assert_eq!(
            header_value(&r, "subject").as_deref(),
            Some("Undeliverable: test message")
        );
    }

    #[test]
    fn a_returned_original_that_is_not_utf8_comes_back_byte_for_byte() {
        let t = texts();
        let raw: &[u8] = b"Subject: caf\xe9\r\n\r\nna\xefve\r\n";
        let text = String::from_utf8_lossy(raw).into_owned();
        for full in [true, false] {
            let (report, bytes) = build(&DsnRequest {
                kind: MessageKind::Ndr,
                texts: &t,
                host: "mail.contoso.com",
                date: "Tue, 12 Jun 2007 04:30:00 -0500",
                message_id: "ID1@mail.contoso.com",
                to: "admin@contoso.com",
                recipients: &[],
                envid: None,
                return_full: full,
                original: &text,
                original_raw: Some(raw),
            });
            if !full {
                assert_eq!(bytes, None, "headers only: the text is the report");
                continue;
            }
            let Some(bytes) = bytes else {
                panic!("RET=FULL of 8-bit mail needs its bytes")
            };
            let at = report.find(&text).unwrap_or(0);
            assert_eq!(&bytes[..at], &report.as_bytes()[..at]);
            assert_eq!(&bytes[at..at + raw.len()], raw);
            assert!(bytes.ends_with(b"--\r\n"));
        }
    }
}
