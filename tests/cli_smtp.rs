//! `smtp-trainer smtp`: a session on standard input and output, like `sendmail -bs`.

mod cli_support;

use cli_support::BIN;
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Runs `smtp-trainer smtp <args>` with `input` on stdin; returns (exit code, stdout, stderr).
fn run(args: &[&str], input: &[u8]) -> (Option<i32>, String, String) {
    let mut child = Command::new(BIN)
        .arg("smtp")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // The child may exit before reading everything (that is the point of some tests).
    let _ = stdin.write_all(input);
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Starts `smtp-trainer <args>` with stdin kept open, feeds it `input`, and waits up to ten
/// seconds for it to exit by itself. Returns (success, stdout, time taken).
fn run_open(args: &[&str], input: &[u8]) -> (bool, String, Duration) {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(input).unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{args:?} still running"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    let took = start.elapsed();
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    drop(stdin);
    (status.success(), out, took)
}

#[test]
fn banner_first_and_every_reply_ends_in_crlf() {
    let (code, out, _) = run(&[], b"NOOP\nQUIT\n");
    assert_eq!(code, Some(0));
    assert!(
        out.starts_with("220 mail.contoso.com Microsoft ESMTP MAIL Service"),
        "{out}"
    );
    assert!(out.ends_with("\r\n"), "{out:?}");
    assert_eq!(
        out.matches('\n').count(),
        out.matches("\r\n").count(),
        "{out:?}"
    );
    assert_eq!(out.lines().count(), 3, "{out}");
    assert!(out.lines().last().unwrap().starts_with("221 "), "{out}");
}

#[test]
fn lf_and_crlf_input_give_the_same_session() {
    let (_, lf, _) = run(&[], b"NOOP\nQUIT\n");
    let (_, crlf, _) = run(&[], b"NOOP\r\nQUIT\r\n");
    let strip = |s: &str| s.lines().skip(1).collect::<Vec<_>>().join("\n");
    assert_eq!(strip(&lf), strip(&crlf));
}

#[test]
fn the_program_exits_when_the_server_closes_without_reading_on() {
    // stdin stays open: the program must still exit by itself.
    let (ok, out, _) = run_open(&["smtp"], b"QUIT\n");
    assert!(ok);
    assert!(out.lines().last().unwrap().starts_with("221 "), "{out}");
}

#[test]
fn after_starttls_the_user_is_told_why_the_session_cannot_go_on() {
    let (code, out, err) = run(
        &["--persona", "exchange2016"],
        b"EHLO me\r\nSTARTTLS\r\nQUIT\r\n",
    );
    assert_eq!(code, Some(0));
    assert!(out.ends_with("220 2.0.0 SMTP server ready\r\n"), "{out}");
    assert!(err.contains("waits for a TLS handshake"), "{err}");
}

#[test]
fn end_of_input_waits_for_the_refusals_the_tarpit_holds() {
    let started = std::time::Instant::now();
    let (code, out, _) = run(
        &["--persona", "exchange2016", "--tarpit", "1"],
        b"EHLO x\nMAIL FROM:<a@b.example>\nRCPT TO:<nobody@contoso.com>\nRCPT TO:<x@fabrikam.com>\nRCPT TO:<john@contoso.com>\n",
    );
    assert_eq!(code, Some(0));
    // Two refusals, one interval each, and every reply written before the program ends.
    assert!(started.elapsed() >= std::time::Duration::from_secs(2));
    assert!(
        out.ends_with(
            "250 2.1.0 Sender OK\r\n550 5.1.1 User unknown\r\n550 5.7.1 Unable to relay\r\n250 2.1.5 Recipient OK\r\n"
        ),
        "{out}"
    );
}

#[test]
fn end_of_input_ends_cleanly() {
    let (code, out, err) = run(&[], b"");
    assert_eq!(code, Some(0));
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(err.is_empty(), "{err}");
}

#[test]
fn flags_change_the_server() {
    let (code, out, _) = run(&["--hostname", "mx.fabrikam.com"], b"QUIT\n");
    assert_eq!(code, Some(0));
    assert!(out.starts_with("220 mx.fabrikam.com "), "{out}");
}

#[test]
fn a_domain_or_a_mailbox_on_the_command_line_is_deliverable() {
    // (flags, recipient): Exchange 2016 refuses unknown users at RCPT, so a 250 means the
    // address is a local mailbox.
    let cases: [(&[&str], &str); 3] = [
        (&["--domain", "fabrikam.com"], "john@fabrikam.com"),
        (&["--mailbox", "ann@fabrikam.com"], "ann@fabrikam.com"),
        (&[], "john@contoso.com"),
    ];
    for (flags, rcpt) in cases {
        let mut args = vec!["--persona", "exchange2016"];
        args.extend_from_slice(flags);
        let input = format!("EHLO x\nMAIL FROM:<a@test.example>\nRCPT TO:<{rcpt}>\nQUIT\n");
        let (code, out, _) = run(&args, input.as_bytes());
        assert_eq!(code, Some(0));
        assert!(
            out.contains("\r\n250 2.1.5 Recipient OK\r\n"),
            "{flags:?}: {out}"
        );
    }
}

#[test]
fn bad_flags_exit_2_with_a_clear_message() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["--persona", "exchange1999"],
            "invalid value 'exchange1999'",
        ),
        (
            &["--domain", "a..b"],
            "--domain 'a..b' is not a valid domain name",
        ),
        (
            &["--mailbox", "nobody"],
            "--mailbox 'nobody' is not an address",
        ),
        (&["--frobnicate"], "unexpected argument '--frobnicate'"),
    ];
    for (args, needle) in cases {
        let (code, out, err) = run(args, b"QUIT\n");
        assert_eq!(code, Some(2), "{args:?}");
        assert!(out.is_empty(), "{args:?}: {out}");
        assert!(err.contains(needle), "{args:?}: {err}");
    }
}

#[test]
fn help_is_there_for_every_subcommand() {
    for sub in [
        &["--help"][..],
        &["smtp", "--help"],
        &["personas", "--help"],
        &["web", "--help"],
    ] {
        let out = Command::new(BIN).args(sub).output().unwrap();
        assert!(out.status.success(), "{sub:?}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("Usage: smtp-trainer"),
            "{sub:?}"
        );
    }
}

#[test]
fn personas_lists_ids_with_descriptions() {
    let out = Command::new(BIN).arg("personas").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.starts_with("exchange2003 "))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(line.contains("Exchange Server 2003"), "{line}");
}

#[test]
fn a_delivered_message_is_reported_on_stderr_and_kept_in_the_maildir() {
    let dir = std::env::temp_dir().join(format!("smtp-trainer-cli-smtp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let session = b"HELO me\nMAIL FROM:<a@fabrikam.com>\nRCPT TO:<john@contoso.com>\nDATA\nSubject: stdio\n\nTyped line\n.\nQUIT\n";
    let (code, out, err) = run(&["--maildir", dir.to_str().unwrap()], session);
    assert_eq!(code, Some(0));
    assert!(out.contains("\r\n354 "), "{out}");
    assert!(out.lines().last().unwrap().starts_with("221 "), "{out}");
    assert!(
        err.contains("delivered a message for john@contoso.com from a@fabrikam.com"),
        "{err}"
    );
    let files: Vec<_> = std::fs::read_dir(dir.join("john@contoso.com"))
        .unwrap()
        .flatten()
        .collect();
    assert_eq!(files.len(), 1);
    let text = std::fs::read_to_string(files[0].path()).unwrap();
    // Lines typed with LF arrive as CRLF, as SMTP requires (the IIS SMTP service under
    // Exchange 2003 adds its arrival header after the last header line).
    assert!(
        text.contains("Subject: stdio\r\nX-OriginalArrivalTime: "),
        "{text:?}"
    );
    assert!(text.ends_with("]\r\n\r\nTyped line\r\n"), "{text:?}");

    // A mailbox that cannot be written: no 250 for the message but a 421, then exit code 1.
    // (Replies due in the same read are not sent either: the client retries it all.)
    std::fs::write(dir.join("user@contoso.com"), b"").unwrap();
    let blocked = b"HELO me\nMAIL FROM:<a@fabrikam.com>\nRCPT TO:<user@contoso.com>\nDATA\nSubject: x\n\nbody\n.\nQUIT\n";
    let (code, out, err) = run(&["--maildir", dir.to_str().unwrap()], blocked);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        out.ends_with("\r\n421 4.3.2 mail.contoso.com Service not available, closing transmission channel\r\n"),
        "{out}"
    );
    assert!(!out.contains("250 2.6.0"), "{out}");
    assert!(
        err.starts_with("smtp-trainer: error: smtp session failed: "),
        "{err}"
    );

    // Exchange 5.5 knew no enhanced status codes, and says so in its words here too.
    let (code, out, _) = run(
        &[
            "--persona",
            "exchange55",
            "--maildir",
            dir.to_str().unwrap(),
        ],
        blocked,
    );
    assert_eq!(code, Some(1));
    assert!(
        out.ends_with(
            "\r\n421 mail.contoso.com Service not available, closing transmission channel\r\n"
        ),
        "{out}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_silent_client_gets_the_personas_timeout_and_the_program_exits() {
    let args = ["smtp", "--persona", "exchange2016", "--idle-timeout", "1"];
    let (ok, out, took) = run_open(&args, b"");
    assert!(ok);
    assert!(took >= Duration::from_millis(900), "{took:?}");
    let last = out.lines().last().unwrap();
    assert_eq!(last, "451 4.7.0 Timeout waiting for client input", "{out}");
}

#[test]
fn the_connection_timeout_ends_a_session_however_recent_its_last_command() {
    let args = [
        "smtp",
        "--persona",
        "exchange2016",
        "--idle-timeout",
        "60",
        "--connection-timeout",
        "1",
    ];
    let (ok, out, took) = run_open(&args, b"EHLO x\nNOOP\n");
    assert!(ok);
    assert!(took >= Duration::from_millis(900), "{took:?}");
    let last = out.lines().last().unwrap();
    assert_eq!(last, "421 4.4.1 Connection timed out", "{out}");
}

#[test]
fn a_reader_that_stops_reading_ends_the_program_quietly() {
    // `smtp-trainer smtp | head -1`: the other commands say nothing when their output is cut
    // off by its reader, and neither does this one.
    let mut child = Command::new(BIN)
        .arg("smtp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut banner = [0u8; 4];
    stdout.read_exact(&mut banner).unwrap();
    assert_eq!(&banner, b"220 ");
    drop(stdout);
    let mut stdin = child.stdin.take().unwrap();
    let _ = stdin.write_all(b"EHLO x\nHELP\n");
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.is_empty(), "{err}");
    // 1 when the next reply finds the pipe closed. Another test of this binary spawning a
    // process at that moment can briefly hold a copy of the pipe's read end (the window
    // between fork and exec), so the replies may still fit in the pipe and the session end
    // normally with 0. Never a panic (101) or a usage error (2).
    assert!(matches!(out.status.code(), Some(0 | 1)), "{:?}", out.status);
}
