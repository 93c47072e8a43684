//! Network Monitor style summaries of SMTP segments, as in the KB 240832 trace:
//! `SMTP: Rsp: Service ready, 133 bytes` / `SMTP: Response = 220-...` / `SMTP: Data = ...` for
//! the server, `SMTP: Cmd: Quit, losing connection, 6 bytes` / `SMTP: Command = QUIT` for a
//! whole command line, and `SMTP: Data, 1 bytes` / `SMTP: Data = E` for the keystrokes Telnet
//! sends one at a time. The KB trace gives `Service ready`, `Command syntax error in parameters
//! or arguments` and `Quit, losing connection` verbatim (C); the other phrases follow RFC 5321's
//! reply meanings and Network Monitor's style (R).

/// Reply meanings by code, for `SMTP: Rsp:` lines.
const REPLY_MEANINGS: &[(&str, &str)] = &[
    ("211", "System status"),
    ("214", "Help message"),
    ("220", "Service ready"),
    ("221", "Service closing transmission channel"),
    ("235", "Authentication successful"),
    ("250", "Requested mail action okay, completed"),
    ("251", "User not local; will forward"),
    ("252", "Cannot verify user, will attempt delivery"),
    ("334", "Server challenge"),
    ("354", "Start mail input"),
    ("421", "Service not available, closing transmission channel"),
    (
        "450",
        "Requested mail action not taken: mailbox unavailable",
    ),
    ("451", "Requested action aborted: local error in processing"),
    (
        "452",
        "Requested action not taken: insufficient system storage",
    ),
    ("500", "Syntax error, command unrecognized"),
    ("501", "Command syntax error in parameters or arguments"),
    ("502", "Command not implemented"),
    ("503", "Bad sequence of commands"),
    ("504", "Command parameter not implemented"),
    ("530", "Authentication required"),
    ("535", "Authentication credentials invalid"),
    ("550", "Requested action not taken: mailbox unavailable"),
    ("551", "User not local"),
    (
        "552",
        "Requested mail action aborted: exceeded storage allocation",
    ),
    (
        "553",
        "Requested action not taken: mailbox name not allowed",
    ),
    ("554", "Transaction failed"),
];

/// Command names by verb, for `SMTP: Cmd:` lines.
const COMMAND_NAMES: &[(&str, &str)] = &[
    ("HELO", "Hello"),
    ("EHLO", "Extended Hello"),
    ("MAIL", "Mail"),
    ("RCPT", "Recipient"),
    ("DATA", "Data"),
    ("RSET", "Reset"),
    ("NOOP", "No operation"),
    ("QUIT", "Quit, losing connection"),
    ("VRFY", "Verify"),
    ("EXPN", "Expand"),
    ("HELP", "Help"),
    ("TURN", "Turn"),
    ("ETRN", "Extended Turn"),
    ("AUTH", "Authenticate"),
    ("STARTTLS", "Start TLS"),
    ("BDAT", "Binary data"),
];

/// Shows bytes the way a capture's text column does: printable ASCII as is, the rest as `.`.
pub fn printable(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| {
            if (0x20..0x7f).contains(&b) {
                b as char
            } else {
                '.'
            }
        })
        .collect()
}

fn lines(bytes: &[u8]) -> Vec<String> {
    let mut out: Vec<String> = bytes
        .split(|&b| b == b'\n')
        .map(|l| printable(l.strip_suffix(b"\r").unwrap_or(l)))
        .collect();
    if out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out
}

/// Summary lines of a segment the server sent.
pub fn server_summary(bytes: &[u8]) -> Vec<String> {
    let lines = lines(bytes);
    let Some(first) = lines.first() else {
        return vec![format!("SMTP: Data, {} bytes", bytes.len())];
    };
    let meaning = first
        .get(..3)
        .and_then(|code| REPLY_MEANINGS.iter().find(|(c, _)| *c == code))
        .map(|(_, m)| *m);
    let mut out = match meaning {
        Some(m) => vec![
            format!("SMTP: Rsp: {m}, {} bytes", bytes.len()),
            format!("SMTP: Response = {first}"),
        ],
        None => vec![
            format!("SMTP: Data, {} bytes", bytes.len()),
            format!("SMTP: Data = {first}"),
        ],
    };
    out.extend(lines.iter().skip(1).map(|l| format!("SMTP: Data = {l}")));
    out
}

/// Summary lines of a segment the client sent.
pub fn client_summary(bytes: &[u8]) -> Vec<String> {
    let lines = lines(bytes);
    let whole_line = bytes.ends_with(b"\n") && lines.len() == 1;
    let verb = lines
        .first()
        .map(|l| {
            l.split([' ', ':'])
                .next()
                .unwrap_or("")
                .to_ascii_uppercase()
        })
        .unwrap_or_default();
    match COMMAND_NAMES.iter().find(|(v, _)| *v == verb) {
        Some((_, name)) if whole_line => vec![
            format!("SMTP: Cmd: {name}, {} bytes", bytes.len()),
            format!("SMTP: Command = {}", lines[0]),
        ],
        _ => {
            let mut out = vec![format!("SMTP: Data, {} bytes", bytes.len())];
            out.extend(lines.iter().map(|l| format!("SMTP: Data = {l}")));
            if lines.is_empty() || !bytes.ends_with(b"\n") && bytes.contains(&b'\n') {
                // A lone CR or a tail after the last line still shows what was sent.
                out.push(format!("SMTP: Data = {}", printable(bytes)));
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_segments_summarize_like_kb_240832() {
        let banner =
            b"220-mail.your-domain.com Microsoft SMTP MAIL ready\r\n220 ESMTP spoken here\r\n";
        assert_eq!(
            server_summary(banner),
            vec![
                format!("SMTP: Rsp: Service ready, {} bytes", banner.len()),
                "SMTP: Response = 220-mail.your-domain.com Microsoft SMTP MAIL ready".into(),
                "SMTP: Data = 220 ESMTP spoken here".to_string(),
            ]
        );
        assert_eq!(
            server_summary(b"501 Invalid Address\r\n")[0],
            "SMTP: Rsp: Command syntax error in parameters or arguments, 21 bytes"
        );
    }

    #[test]
    fn client_segments_summarize_commands_and_keystrokes() {
        let table: &[(&[u8], &[&str])] = &[
            (
                b"QUIT\r\n",
                &[
                    "SMTP: Cmd: Quit, losing connection, 6 bytes",
                    "SMTP: Command = QUIT",
                ],
            ),
            (b"E", &["SMTP: Data, 1 bytes", "SMTP: Data = E"]),
            (b"\x08", &["SMTP: Data, 1 bytes", "SMTP: Data = ."]),
            (b"\r\n", &["SMTP: Data, 2 bytes", "SMTP: Data = "]),
            (b"\r", &["SMTP: Data, 1 bytes", "SMTP: Data = ."]),
        ];
        for (bytes, want) in table {
            assert_eq!(client_summary(bytes), *want, "{bytes:?}");
        }
    }
}
