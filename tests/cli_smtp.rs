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
    let mut child = Command::new(BIN)
        .arg("smtp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"QUIT\n").unwrap();
    // stdin stays open: the program must still exit by itself.
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "still running after QUIT");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success());
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    assert!(out.lines().last().unwrap().starts_with("221 "), "{out}");
    drop(stdin);
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
    // Lines typed with LF arrive as CRLF, as SMTP requires.
    assert!(
        text.contains("Subject: stdio\r\n\r\nTyped line\r\n"),
        "{text:?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
