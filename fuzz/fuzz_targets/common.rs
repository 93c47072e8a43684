//! Shared checks for the SMTP fuzz targets: drive a session and verify every reply.

use smtp_trainer::smtp::{Output, ServerConfig, Session};
use std::sync::Arc;

/// Feeds `chunks` to a fresh session and checks every transmitted reply line: three digits,
/// first digit 2 to 5, a space or hyphen, printable ASCII text, at most 512 octets with CRLF.
pub fn drive(chunks: &[&[u8]]) {
    let config = Arc::new(ServerConfig::default_world());
    let mut s = Session::new(config, "10.0.0.50", 0, 1);
    let mut now = 0;
    check_outputs(&mut s);
    for chunk in chunks {
        now += 10;
        s.handle_bytes(chunk, now);
        check_outputs(&mut s);
        if s.is_closed() {
            break;
        }
    }
    if let Some(t) = s.poll_timeout() {
        s.handle_timeout(t);
        check_outputs(&mut s);
    }
}

fn check_outputs(s: &mut Session) {
    while let Some(out) = s.poll_output() {
        if let Output::Transmit(bytes) = out {
            check_reply_bytes(&bytes);
        }
    }
}

fn check_reply_bytes(bytes: &[u8]) {
    assert!(bytes.ends_with(b"\r\n"), "reply does not end in CRLF: {bytes:?}");
    for line in bytes[..bytes.len() - 2].split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        assert!(line.len() + 2 <= 512, "reply line longer than 512 octets");
        assert!(line.len() >= 3, "reply line too short: {line:?}");
        assert!(line[..3].iter().all(u8::is_ascii_digit), "no reply code: {line:?}");
        assert!((b'2'..=b'5').contains(&line[0]), "bad first digit: {line:?}");
        if line.len() > 3 {
            assert!(line[3] == b' ' || line[3] == b'-', "bad separator: {line:?}");
        }
        assert!(
            line.iter().all(|&b| (0x20..0x7f).contains(&b)),
            "non-printable byte in reply: {line:?}"
        );
    }
}
