//! `smtp-trainer serve` over real sockets: what a person with telnet and what a misbehaving
//! client see, the limits, and stopping.

mod cli_support;

use cli_support::{Server, BIN};
use std::process::Command;
use std::time::{Duration, Instant};

const IAC: u8 = 255;

#[test]
fn banner_then_quit_then_one_log_line() {
    let server = Server::start(&["serve"]);
    let mut c = server.connect();
    let banner = c.reply();
    assert!(
        banner.starts_with("220 mail.contoso.com Microsoft ESMTP MAIL Service"),
        "{banner}"
    );
    c.send(b"QUIT\r\n");
    assert!(c.reply().starts_with("221 "));
    assert!(c.closed());
    let log = server.first_session_log();
    assert!(log.contains("end=server-closed"), "{log}");
    assert!(log.contains("persona=exchange2003"), "{log}");
    // The start-up line says where mail goes.
    let first = server
        .stderr
        .snapshot()
        .into_iter()
        .next()
        .unwrap_or_default();
    assert!(
        first.contains("; messages printed on standard output (Ctrl+C stops)"),
        "{first}"
    );
}

#[test]
fn characters_typed_one_by_one_make_one_command() {
    let server = Server::start(&["serve", "--hostname", "mx.fabrikam.com"]);
    let mut c = server.connect();
    assert!(c.reply().starts_with("220 mx.fabrikam.com "));
    c.send_slowly(b"QUIT\r\n");
    let reply = c.reply();
    assert!(reply.starts_with("221 2.0.0 mx.fabrikam.com"), "{reply}");
    assert!(c.closed());
}

#[test]
fn telnet_options_are_refused_and_stripped() {
    let server = Server::start(&["serve"]);
    let mut c = server.connect();
    // A negotiating client opens with WILL TERMINAL-TYPE, WILL NAWS, DO ECHO, DO SGA and a
    // subnegotiation, then types QUIT one byte at a time and presses Return as CR NUL.
    c.send(&[IAC, 251, 24, IAC, 251, 31, IAC, 253, 1, IAC, 253, 3]);
    c.send(&[IAC, 250, 31, 0, 80, 0, 24, IAC, 240]);
    // The banner is sent on connect, before anything is read; the refusals follow in order.
    assert!(c.reply().starts_with("220 mail.contoso.com"));
    assert_eq!(
        c.read_exact(12),
        [IAC, 254, 24, IAC, 254, 31, IAC, 252, 1, IAC, 252, 3]
    );
    c.send_slowly(b"QU\xff\xf1IT\r\0");
    let reply = c.reply();
    assert!(reply.starts_with("221 "), "{reply}");
    let log = server.first_session_log();
    assert!(log.ends_with(" telnet"), "{log}");
}

#[test]
fn a_telnet_switched_to_character_mode_mid_session_keeps_working() {
    // Debian's telnet starts in line mode on port 2525; `Ctrl+]`, `mode character` then makes
    // it negotiate and end each line with CR NUL, one key per segment.
    let server = Server::start(&["serve"]);
    let mut c = server.connect();
    assert!(c.reply().starts_with("220 "));
    c.send(b"EHLO test.com\r\n");
    assert!(c.reply().ends_with("250 OK\r\n"));
    c.send(&[IAC, 253, 3, IAC, 251, 24]);
    assert_eq!(c.read_exact(6), [IAC, 252, 3, IAC, 254, 24]);
    c.send_slowly(b"NOOP\r\0");
    assert_eq!(c.reply(), "250 2.0.0 OK\r\n");
    c.send_slowly(b"QUIT\r\0");
    assert!(c.reply().starts_with("221 "));
    let log = server.first_session_log();
    assert!(log.ends_with(" telnet"), "{log}");
}

#[test]
fn events_print_the_servers_event_log_on_stderr() {
    let server = Server::start(&["serve", "--events"]);
    let mut c = server.connect();
    assert!(c.reply().starts_with("220 "));
    c.send(b"HELO x\r\nMAIL FROM:<a@fabrikam.com>\r\nRCPT TO:<b@fabrikam.com>\r\nQUIT\r\n");
    for _ in 0..4 {
        c.reply();
    }
    let line = server
        .stderr
        .wait_for(" event 4001 ", Duration::from_secs(5))
        .expect("the relay refusal in the event log");
    assert!(
        line.contains("session=1 event 4001 warning MSExchangeTransport: Relay from 127.0.0.1 to b@fabrikam.com was refused"),
        "{line}"
    );
}

#[test]
fn idle_clients_are_closed_on_time() {
    let server = Server::start(&["serve", "--idle-timeout", "1"]);
    let mut c = server.connect();
    let start = Instant::now();
    c.reply();
    let reply = c.reply();
    let waited = start.elapsed();
    assert!(reply.starts_with("421 4.4.1 "), "{reply}");
    assert!(
        waited >= Duration::from_millis(900) && waited < Duration::from_secs(4),
        "{waited:?}"
    );
    assert!(c.closed());
    let log = server.first_session_log();
    assert!(log.contains("end=server-closed"), "{log}");
}

#[test]
fn a_busy_client_is_closed_at_the_connection_timeout() {
    // Exchange's ConnectionTimeout counts from the connection, not from the last command: a
    // client that keeps talking is closed all the same, and `--connection-timeout` sets it so a
    // class need not wait the 10 minutes of exchange2016.
    let server = Server::start(&[
        "serve",
        "--persona",
        "exchange2016",
        "--connection-timeout",
        "2",
    ]);
    let mut c = server.connect();
    let start = Instant::now();
    assert!(c.reply().starts_with("220 "));
    let mut replies = Vec::new();
    while start.elapsed() < Duration::from_secs(6) {
        c.send(b"NOOP\r\n");
        let reply = c.reply();
        let done = reply.starts_with("421");
        replies.push(reply);
        if done {
            break;
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    let waited = start.elapsed();
    assert_eq!(
        replies.last().map(String::as_str),
        Some("421 4.4.1 Connection timed out\r\n"),
        "{replies:?}"
    );
    assert!(replies.len() > 3, "{replies:?}");
    assert!(
        waited >= Duration::from_millis(1900) && waited < Duration::from_secs(4),
        "{waited:?}"
    );
    assert!(c.closed());
    let log = server.first_session_log();
    assert!(log.contains("end=server-closed"), "{log}");
}

#[test]
fn one_connection_over_the_limit_gets_421_and_others_carry_on() {
    let server = Server::start(&["serve", "--max-connections", "2"]);
    let mut first = server.connect();
    let mut second = server.connect();
    assert!(first.reply().starts_with("220 "));
    assert!(second.reply().starts_with("220 "));
    let mut third = server.connect();
    let refused = third.reply();
    assert_eq!(
        refused,
        "421 4.3.2 mail.contoso.com Service not available, closing transmission channel\r\n"
    );
    assert!(third.closed());
    // The open sessions are unaffected, and a place frees up when one ends: by the time a
    // session's log line is out, its place is free (the turned-away one's included).
    first.send(b"QUIT\r\n");
    assert!(first.reply().starts_with("221 "));
    assert!(first.closed());
    for end in ["end=busy-421", "end=server-closed"] {
        assert!(server
            .stderr
            .wait_for(end, Duration::from_secs(5))
            .is_some());
    }
    let mut fourth = server.connect();
    assert!(fourth.reply().starts_with("220 "));
    second.send(b"QUIT\r\n");
    assert!(second.reply().starts_with("221 "));
}

#[test]
fn the_refusals_at_the_edge_are_worded_by_the_persona() {
    // Servers older than enhanced status codes (RFC 3463) never send one, even here; Exchange
    // 2016 says what its receive connector says at its limit.
    let table = [
        (
            "exchange55",
            "421 mail.contoso.com Service not available, closing transmission channel\r\n",
        ),
        (
            "msmail3",
            "421 mail.contoso.com Service not available, closing transmission channel\r\n",
        ),
        (
            "exchange2016",
            "421 4.3.2 The maximum number of concurrent connections has exceeded a limit, \
             closing transmission channel\r\n",
        ),
    ];
    for (persona, want) in table {
        let server = Server::start(&["serve", "--persona", persona, "--max-connections", "1"]);
        let mut held = server.connect();
        assert!(held.reply().starts_with("220 "), "{persona}");
        let mut refused = server.connect();
        assert_eq!(refused.reply(), want, "{persona}");
        assert!(refused.closed(), "{persona}");
    }
}

#[test]
fn a_slow_client_does_not_block_another() {
    let server = Server::start(&["serve"]);
    let mut slow = server.connect();
    slow.reply();
    slow.send(b"QU");
    let mut quick = server.connect();
    quick.reply();
    quick.send(b"QUIT\r\n");
    assert!(quick.reply().starts_with("221 "));
    slow.send(b"IT\r\n");
    assert!(slow.reply().starts_with("221 "));
}

#[test]
fn sigterm_lets_sessions_in_flight_finish_then_exits() {
    let mut server = Server::start(&["serve", "--grace", "5"]);
    let mut c = server.connect();
    c.reply();
    server.signal(15);
    server
        .stderr
        .wait_for(
            "SIGTERM: stopping; 1 sessions in flight",
            Duration::from_secs(5),
        )
        .expect("stopping line");
    // No new connections once stopping.
    std::thread::sleep(Duration::from_millis(100));
    assert!(std::net::TcpStream::connect(("127.0.0.1", server.port)).is_err());
    c.send(b"QUIT\r\n");
    assert!(c.reply().starts_with("221 "));
    assert_eq!(server.wait_exit(Duration::from_secs(5)), Some(0));
}

#[test]
fn sigterm_tells_idle_sessions_after_the_grace_period() {
    let mut server = Server::start(&["serve", "--grace", "1"]);
    let mut c = server.connect();
    c.reply();
    let start = Instant::now();
    server.signal(15);
    let reply = c.reply();
    assert!(reply.starts_with("421 4.3.2 "), "{reply}");
    assert!(start.elapsed() >= Duration::from_millis(900));
    assert!(c.closed());
    assert_eq!(server.wait_exit(Duration::from_secs(5)), Some(0));
}

#[test]
fn sigterm_tells_an_exchange_5_5_session_in_its_own_words() {
    let mut server = Server::start(&["serve", "--persona", "exchange55", "--grace", "1"]);
    let mut c = server.connect();
    c.reply();
    server.signal(15);
    assert_eq!(
        c.reply(),
        "421 mail.contoso.com Service not available, closing transmission channel\r\n"
    );
    assert!(c.closed());
    assert_eq!(server.wait_exit(Duration::from_secs(5)), Some(0));
}

#[test]
fn ctrl_c_stops_an_idle_server_at_once() {
    let mut server = Server::start(&["serve"]);
    server.signal(2);
    assert_eq!(server.wait_exit(Duration::from_secs(5)), Some(0));
    assert!(server
        .stderr
        .wait_for(
            "interrupted: stopping; 0 sessions in flight",
            Duration::from_secs(1)
        )
        .is_some());
}

#[test]
fn an_ipv4_client_of_a_dual_stack_listener_is_greeted_by_its_ipv4_address() {
    if std::net::TcpListener::bind("[::]:0").is_err() {
        eprintln!("SKIPPED: this machine has no IPv6");
        return;
    }
    let server = Server::start_on(&["serve"], "[::]:0");
    let mut c = server.connect();
    c.reply();
    c.send(b"HELO client.fabrikam.com\r\nQUIT\r\n");
    assert_eq!(c.reply(), "250 mail.contoso.com Hello [127.0.0.1]\r\n");
    let log = server.first_session_log();
    assert!(log.contains(" peer=127.0.0.1:"), "{log}");
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let holder = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = holder.local_addr().unwrap().to_string();
    let out = Command::new(BIN)
        .args(["serve", "--listen", &addr])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("cannot listen on {addr}")), "{err}");
}

#[test]
fn files_that_cannot_serve_are_runtime_errors() {
    let file = std::env::temp_dir().join(format!("smtp-trainer-serve-file-{}", std::process::id()));
    std::fs::write(&file, b"not a folder, not a certificate\n").unwrap();
    let file = file.to_str().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (&["--maildir", file], "is a file; give a folder"),
        (
            &[
                "--persona",
                "exchange2016",
                "--tls-cert",
                "/nonexistent/c.pem",
                "--tls-key",
                file,
            ],
            "cannot read --tls-cert '/nonexistent/c.pem'",
        ),
        (
            &[
                "--persona",
                "exchange2016",
                "--tls-cert",
                file,
                "--tls-key",
                file,
            ],
            "no certificate in it",
        ),
    ];
    for (args, needle) in cases {
        let out = Command::new(BIN)
            .arg("serve")
            .args(*args)
            .args(["--listen", "127.0.0.1:0"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.starts_with("smtp-trainer: error: "), "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
    }
    let _ = std::fs::remove_file(file);
}

#[test]
fn exchange_2016_s_tarpit_holds_a_refusal_five_seconds_on_the_wire() {
    let server = Server::start(&["serve", "--persona", "exchange2016"]);
    let mut c = server.connect();
    assert!(c.reply().starts_with("220 "));
    c.send(b"EHLO telnet.example\r\nMAIL FROM:<a@b.example>\r\n");
    assert!(c.reply().ends_with("250 XRDST\r\n"));
    assert_eq!(c.reply(), "250 2.1.0 Sender OK\r\n");
    let sent = Instant::now();
    c.send(b"RCPT TO:<nobody@contoso.com>\r\nRCPT TO:<john@contoso.com>\r\n");
    assert_eq!(c.reply(), "550 5.1.1 User unknown\r\n");
    let waited = sent.elapsed();
    // At least the tarpit; the upper bounds leave room for a machine busy with the other
    // tests (the wait is the server's timer, not the load).
    assert!(
        waited >= Duration::from_secs(5) && waited < Duration::from_secs(12),
        "{waited:?}"
    );
    // The command behind the refusal is answered right after it (no second tarpit), in order.
    assert_eq!(c.reply(), "250 2.1.5 Recipient OK\r\n");
    assert!(sent.elapsed() < waited + Duration::from_secs(4));
    c.send(b"QUIT\r\n");
    assert!(c.reply().starts_with("221 "));
    assert!(c.closed());
}

#[test]
fn replies_the_tarpit_holds_still_reach_a_client_that_stopped_sending() {
    let server = Server::start(&["serve", "--persona", "exchange2016", "--tarpit", "1"]);
    let mut c = server.connect();
    assert!(c.reply().starts_with("220 "));
    let sent = Instant::now();
    c.send(b"EHLO x\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<x@fabrikam.com>\r\nQUIT\r\n");
    // Like `printf ... | nc`: the client's side is shut as soon as it has sent.
    c.stream.shutdown(std::net::Shutdown::Write).unwrap();
    assert!(c.reply().ends_with("250 XRDST\r\n"));
    assert_eq!(c.reply(), "250 2.1.0 Sender OK\r\n");
    assert_eq!(c.reply(), "550 5.7.1 Unable to relay\r\n");
    assert!(
        sent.elapsed() >= Duration::from_secs(1),
        "{:?}",
        sent.elapsed()
    );
    assert!(c.reply().starts_with("221 "));
    assert!(c.closed());
    let log = server.first_session_log();
    assert!(log.contains("end=server-closed"), "{log}");
}

#[test]
fn plain_text_after_starttls_ends_the_session_as_a_failed_handshake() {
    let server = Server::start(&["serve", "--persona", "exchange2016"]);
    let mut c = server.connect();
    assert!(c.reply().starts_with("220 "));
    c.send(b"EHLO telnet.example\r\n");
    assert!(c.reply().contains("250-STARTTLS"));
    c.send(b"STARTTLS\r\n");
    assert_eq!(c.reply(), "220 2.0.0 SMTP server ready\r\n");
    // A person in telnet types on: the server's TLS side gives up and closes.
    c.send(b"MAIL FROM:<a@b.example>\r\n");
    // What comes back is a TLS alert at most, then the end of the connection.
    assert!((0..3).any(|_| c.closed()));
    let log = server.first_session_log();
    assert!(log.contains("end=tls-handshake-failed"), "{log}");
}

#[test]
fn commands_pipelined_behind_starttls_are_never_run() {
    // CVE-2011-0411: plain text buffered with STARTTLS must not be executed after the
    // handshake. The server closes instead of upgrading.
    let server = Server::start(&["serve", "--persona", "exchange2016"]);
    let mut c = server.connect();
    assert!(c.reply().starts_with("220 "));
    c.send(b"EHLO x\r\n");
    assert!(c.reply().contains("250-STARTTLS"));
    c.send(b"STARTTLS\r\nRSET\r\n");
    assert_eq!(c.reply(), "220 2.0.0 SMTP server ready\r\n");
    assert!(c.closed());
    let log = server.first_session_log();
    assert!(
        log.contains("end=server-closed") && !log.contains(" tls"),
        "{log}"
    );
}

#[test]
fn bad_flags_exit_with_usage_errors() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["serve", "--persona", "exchange1999"],
            "invalid value 'exchange1999'",
        ),
        (&["serve", "--max-connections", "0"], "--max-connections"),
        (&["serve", "--listen", "nowhere"], "--listen"),
        (
            &["serve", "--hostname", "bad host"],
            "--hostname 'bad host'",
        ),
        (&["serve", "--idle-timeout", "0"], "--idle-timeout"),
        (&["serve", "--tls-cert", "cert.pem"], "--tls-key"),
        (&["serve", "--tls-key", "key.pem"], "--tls-cert"),
        // A negative number is a bad value, not a mysterious extra argument.
        (&["serve", "--idle-timeout", "-1"], "invalid value '-1'"),
        (&["serve", "--grace", "-5"], "invalid value '-5'"),
        (&["serve", "--tarpit", "-1"], "invalid value '-1'"),
        (&["serve", "--tarpit", "601"], "601 is not in 0..=600"),
        (
            &["serve", "--connection-timeout", "0"],
            "--connection-timeout",
        ),
        (
            &["serve", "--connection-timeout", "-1"],
            "invalid value '-1'",
        ),
    ];
    for (args, needle) in cases {
        let out = Command::new(BIN).args(*args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(err.starts_with("smtp-trainer: error: "), "{args:?}: {err}");
    }
}

#[test]
fn a_user_s_mistakes_get_one_plain_line_and_the_documented_exit_code() {
    let dir = std::env::temp_dir().join(format!("smtp-trainer-mistakes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("not-a-folder");
    std::fs::write(&file, b"").unwrap();
    let (dir_s, file_s) = (dir.to_str().unwrap(), file.to_str().unwrap());
    let cases: &[(&[&str], i32, &str)] = &[
        // A device read by mistake is refused at the size limit, not read until memory ends.
        (
            &["replay", "--scenario", "/dev/zero"],
            2,
            "smtp-trainer: error: --scenario '/dev/zero': larger than the limit",
        ),
        (
            &["replay", "--scenario", dir_s],
            2,
            "smtp-trainer: error: --scenario '",
        ),
        (
            &["replay", "--persona", "exchange1999"],
            2,
            "invalid value 'exchange1999'",
        ),
        (
            &["serve", "--listen", "127.0.0.1:0", "--maildir", file_s],
            1,
            "is a file; give a folder",
        ),
        (
            &["smtp", "--maildir", file_s],
            1,
            "smtp-trainer: error: --maildir '",
        ),
    ];
    for (args, code, needle) in cases {
        let out = Command::new(BIN)
            .args(*args)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(*code), "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_reader_that_goes_away_never_makes_a_command_panic() {
    let lessons = concat!(env!("CARGO_MANIFEST_DIR"), "/lessons/kb153119-basic.toml");
    for args in [&["schema"][..], &["personas"], &["check", lessons]] {
        let mut child = Command::new(BIN)
            .args(args)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // `| head -0`: the reader closes before the command writes.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(matches!(out.status.code(), Some(0 | 1)), "{args:?}: {err}");
    }
}

#[test]
fn help_describes_every_flag() {
    let out = Command::new(BIN)
        .args(["serve", "--help"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for flag in [
        "--listen",
        "--persona",
        "--hostname",
        "--domain",
        "--mailbox",
        "--max-connections",
        "--idle-timeout",
        "--maildir",
        "--grace",
        "--tls-cert",
        "--tls-key",
        "--events",
    ] {
        assert!(help.contains(flag), "{flag} missing from {help}");
    }
}

/// Peak resident memory of a process, in KiB (Linux).
fn peak_rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap()
}

/// Sends at least `total` bytes made of whole `piece`s repeated, in large writes.
fn stream(c: &mut cli_support::Client, piece: &[u8], total: usize) {
    let chunk = piece.repeat(256 * 1024 / piece.len());
    let mut sent = 0;
    while sent < total {
        c.send(&chunk);
        sent += chunk.len();
    }
}

#[test]
fn a_huge_message_is_refused_at_the_end_without_being_buffered() {
    let server = Server::start(&["serve"]);
    let mut c = server.connect();
    c.reply();
    c.send(b"EHLO big.fabrikam.com\r\nMAIL FROM:<a@fabrikam.com>\r\nRCPT TO:<user@contoso.com>\r\nDATA\r\n");
    for _ in 0..3 {
        c.reply();
    }
    assert!(c.reply().starts_with("354 "));
    stream(
        &mut c,
        b"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\r\n",
        64 << 20,
    );
    c.send(b".\r\nQUIT\r\n");
    let start = Instant::now();
    // A generous limit: the machine running the tests may be busy with other work.
    c.stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .unwrap();
    let reply = c.reply();
    eprintln!(
        "the 64 MiB message was answered {:?} after it was sent",
        start.elapsed()
    );
    assert!(reply.starts_with("552 5.3.4 "), "{reply}");
    assert!(c.reply().starts_with("221 "));
    let peak = peak_rss_kib(server.child.id());
    assert!(
        peak < 48 * 1024,
        "peak RSS {peak} KiB after a 64 MiB message"
    );
}

#[test]
fn an_endless_line_is_answered_and_not_buffered() {
    let server = Server::start(&["serve"]);
    let mut c = server.connect();
    c.reply();
    stream(&mut c, b"NOOP ", 32 << 20);
    c.send(b"\r\nQUIT\r\n");
    let reply = c.reply();
    assert!(reply.starts_with("500 "), "{reply}");
    let mut last = c.reply();
    while !last.starts_with("221 ") {
        last = c.reply();
    }
    let peak = peak_rss_kib(server.child.id());
    assert!(peak < 48 * 1024, "peak RSS {peak} KiB after a 32 MiB line");
}
