//! Shared checks for the SMTP fuzz targets: drive a session and verify every reply.

use smtp_trainer::smtp::{Output, ServerConfig, ServerOverrides, Session};
use std::sync::Arc;

/// Feeds `chunks` to a fresh session of each persona that shapes time differently (Exchange
/// 2003: replies at once; Exchange 2016: a tarpit that holds refusals, a connection timeout)
/// and checks every transmitted reply line: three digits, first digit 2 to 5, a space or
/// hyphen, printable ASCII text, at most 512 octets with CRLF.
pub fn drive(chunks: &[&[u8]]) {
    for persona in ["exchange2003", "exchange2016"] {
        drive_persona(persona, chunks);
    }
}

fn drive_persona(persona: &str, chunks: &[&[u8]]) {
    let config = ServerConfig::new(persona, &ServerOverrides::default())
        .unwrap_or_else(|_| ServerConfig::default_world());
    let mut s = Session::new(Arc::new(config), "10.0.0.50", 0, 1);
    let mut now = 0;
    check_outputs(&mut s);
    for chunk in chunks {
        now += 10;
        // As an edge does: the session's timer runs when it is due, between reads.
        if s.poll_timeout().is_some_and(|t| t <= now) {
            s.handle_timeout(now);
            check_outputs(&mut s);
        }
        s.handle_bytes(chunk, now);
        check_outputs(&mut s);
        if s.is_closed() {
            break;
        }
    }
    // Then time runs on: held replies go, then a timeout closes the session, and no timer is
    // left. Each held output is released by one call at most, and the timeout by one more.
    let mut calls = 0;
    while let Some(t) = s.poll_timeout() {
        assert!(t >= now, "{persona}: a timer in the past: {t} < {now}");
        now = now.max(t);
        s.handle_timeout(now);
        check_outputs(&mut s);
        calls += 1;
        assert!(calls <= 100_000, "the session's timer never settles");
    }
    assert!(s.is_closed() && !s.is_tarpitting(), "{persona}: no timer, yet not closed");
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
