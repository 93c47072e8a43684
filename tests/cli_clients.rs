//! Real clients against `smtp-trainer serve --maildir`: Python's smtplib, swaks, an asyncio
//! load of many sessions with a slow and a vanishing client, and a raw socket that drops
//! mid-DATA. A tool that is truly absent is reported and its test skipped (scripts/setup.sh
//! installs them all).

mod cli_support;

use cli_support::Server;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// A fresh, empty maildir for one test.
fn maildir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "smtp-trainer-cli-clients-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Every stored message under `dir` (a maildir or one mailbox folder in it), as text.
fn stored(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(stored(&path));
        } else if path.extension().is_some_and(|e| e == "eml") {
            out.push(std::fs::read_to_string(&path).unwrap());
        }
    }
    out
}

/// True if a stored message holds `sent` octet for octet, with the IIS SMTP service's
/// X-OriginalArrivalTime header after the client's last header line (Exchange 2003 runs on it).
fn keeps_with_arrival_header(stored: &[u8], sent: &[u8]) -> bool {
    let blank = sent.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 2;
    let head = [&sent[..blank], b"X-OriginalArrivalTime: "].concat();
    stored.windows(head.len()).any(|w| w == head) && stored.ends_with(&sent[blank..])
}

/// True if `tool` runs; otherwise prints why the test is skipped.
fn have(tool: &str, probe: &[&str]) -> bool {
    let ok = Command::new(tool)
        .args(probe)
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("SKIPPED: {tool} is not installed (bash scripts/setup.sh native installs it)");
    }
    ok
}

/// True if `tool` is a program on the PATH (for tools without a harmless probe flag);
/// otherwise prints why the test is skipped.
fn on_path(tool: &str) -> bool {
    let found = std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(tool).is_file()));
    if !found {
        eprintln!("SKIPPED: {tool} is not installed (bash scripts/setup.sh native installs it)");
    }
    found
}

/// Runs one of the Python client scripts under tests/ and fails the test with its output if
/// the script fails.
fn python(script: &str, args: &[&str]) {
    let out = Command::new("python3")
        .arg(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests")
                .join(script),
        )
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{script}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn start(dir: &Path, extra: &[&str]) -> Server {
    let mut args = vec!["serve", "--maildir", dir.to_str().unwrap()];
    args.extend_from_slice(extra);
    Server::start(&args)
}

#[test]
fn python_smtplib_sends_mail_and_is_refused_relay() {
    if !have("python3", &["-c", "import smtplib"]) {
        return;
    }
    let dir = maildir("smtplib");
    let server = start(&dir, &[]);
    let token = format!("tok{}", std::process::id());
    python("server_smtplib.py", &[&server.port.to_string(), &token]);
    let messages = stored(&dir.join("user@contoso.com"));
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].contains(&format!("Subject: smtplib {token}")));
    // Dot-stuffing undone: the line starts with a single dot again.
    assert!(messages[0].contains("\r\n.A line that starts with a dot.\r\n"));
    assert!(!dir.join("someone@elsewhere.example").exists());
}

#[test]
fn python_smtplib_upgrades_with_starttls_then_logs_in_and_relays() {
    if !have("python3", &["-c", "import smtplib, ssl"]) {
        return;
    }
    let dir = maildir("starttls");
    let server = start(&dir, &["--persona", "exchange2016"]);
    let token = format!("tok{}", std::process::id());
    let cert = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/cli/tls/training-cert.pem");
    python(
        "server_starttls.py",
        &[&server.port.to_string(), &token, cert.to_str().unwrap()],
    );
    for mailbox in ["friend@fabrikam.com", "user@contoso.com"] {
        let messages = stored(&dir.join(mailbox));
        assert_eq!(messages.len(), 1, "{mailbox}: {messages:?}");
        assert!(messages[0].contains(&format!("Subject: starttls {token}")));
        // Received inside TLS: Exchange 2016 says so in its trace header.
        assert!(
            messages[0].starts_with("Received: from client.fabrikam.com (127.0.0.1) by ")
                && messages[0].contains(" with Microsoft SMTP Server (version=TLS1_2, "),
            "{}",
            messages[0]
        );
    }
    assert!(server
        .stderr
        .wait_for(" tls", Duration::from_secs(5))
        .is_some_and(|l| l.contains("end=server-closed")));
}

#[test]
fn swaks_with_tls_authenticates_inside_starttls_and_relays() {
    if !have("swaks", &["--version"]) {
        return;
    }
    let dir = maildir("swaks-tls");
    let server = start(&dir, &["--persona", "exchange2016"]);
    let out = Command::new("swaks")
        .args(["--server", "127.0.0.1", "--port", &server.port.to_string()])
        .args(["--tls", "--auth", "LOGIN", "--auth-user", "admin"])
        .args(["--auth-password", "P@ssw0rd"])
        .args(["--from", "admin@contoso.com", "--to", "friend@fabrikam.com"])
        .output()
        .unwrap();
    let transcript = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{transcript}");
    // `<~` marks what swaks read inside TLS.
    assert!(
        transcript.contains("<-  220 2.0.0 SMTP server ready"),
        "{transcript}"
    );
    assert!(
        transcript.contains("<~  235 2.7.0 Authentication successful"),
        "{transcript}"
    );
    assert_eq!(stored(&dir.join("friend@fabrikam.com")).len(), 1);
}

/// The TLS Received header names the suite the handshake really settled on: with the
/// built-in certificate (an EC key) a client's first choice is ECDSA's AES-256, and a client
/// that offers only AES-128 gets that named instead.
#[test]
fn the_tls_received_header_names_the_cipher_suite_negotiated() {
    if !have("swaks", &["--version"]) {
        return;
    }
    let dir = maildir("swaks-cipher");
    let server = start(&dir, &["--persona", "exchange2016"]);
    let cases = [
        (None, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"),
        (
            Some("ECDHE-ECDSA-AES128-GCM-SHA256"),
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        ),
    ];
    for (i, (cipher, named)) in cases.into_iter().enumerate() {
        let mut swaks = Command::new("swaks");
        swaks
            .args(["--server", "127.0.0.1", "--port", &server.port.to_string()])
            .args([
                "--tls",
                "--from",
                "a@fabrikam.com",
                "--to",
                "user@contoso.com",
            ]);
        if let Some(c) = cipher {
            swaks.args(["--tls-cipher", c]);
        }
        let out = swaks.output().unwrap();
        let transcript = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{transcript}");
        let messages = stored(&dir.join("user@contoso.com"));
        assert_eq!(messages.len(), i + 1, "{messages:?}");
        let header = format!("(version=TLS1_2, cipher={named}) id 15.1.1713.5; ");
        assert!(
            messages
                .iter()
                .any(|m| m.lines().next().is_some_and(|l| l.contains(&header))),
            "{named}: {messages:?}"
        );
    }
}

#[test]
fn swaks_sends_mail_with_pipelining() {
    if !have("swaks", &["--version"]) {
        return;
    }
    let dir = maildir("swaks");
    let server = start(&dir, &[]);
    let out = Command::new("swaks")
        .args(["--server", "127.0.0.1", "--port", &server.port.to_string()])
        .args(["--ehlo", "client.fabrikam.com", "--pipeline"])
        .args(["--from", "sender@fabrikam.com", "--to", "john@contoso.com"])
        .args(["--h-Subject", "swaks test", "--body", "Sent by swaks."])
        .output()
        .unwrap();
    let transcript = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{transcript}");
    assert!(transcript.contains("<-  250 2.6.0 "), "{transcript}");
    let messages = stored(&dir.join("john@contoso.com"));
    assert_eq!(messages.len(), 1);
    assert!(messages[0].contains("Subject: swaks test\r\n"));
    assert!(messages[0].contains("Sent by swaks."));
}

#[test]
fn iis_without_exchange_writes_local_mail_into_its_drop_folder() {
    if !have("swaks", &["--version"]) {
        return;
    }
    let dir = maildir("swaks-drop");
    let server = start(&dir, &["--persona", "iis6"]);
    let out = Command::new("swaks")
        .args(["--server", "127.0.0.1", "--port", &server.port.to_string()])
        .args(["--from", "sender@fabrikam.com"])
        .args(["--to", "nobody@contoso.com,john@contoso.com"])
        .args(["--h-Subject", "drop test", "--body", "For the Drop folder."])
        .output()
        .unwrap();
    let transcript = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{transcript}");
    // One file for both recipients, in a folder named as IIS names it.
    let messages = stored(&dir.join("Drop"));
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].starts_with(
        "x-sender: sender@fabrikam.com\r\nx-receiver: nobody@contoso.com\r\nx-receiver: john@contoso.com\r\nReceived: "
    ));
    assert!(messages[0].contains("Subject: drop test\r\n"));
    assert_eq!(stored(&dir).len(), 1, "nothing but the Drop folder");
}

#[test]
fn swaks_authenticates_with_auth_login_and_may_relay() {
    if !have("swaks", &["--version"]) {
        return;
    }
    let dir = maildir("swaks-auth");
    let server = start(&dir, &[]);
    let run = |auth: bool| {
        let mut cmd = Command::new("swaks");
        cmd.args(["--server", "127.0.0.1", "--port", &server.port.to_string()])
            .args(["--from", "admin@contoso.com", "--to", "friend@fabrikam.com"]);
        if auth {
            cmd.args(["--auth", "LOGIN", "--auth-user", "admin"])
                .args(["--auth-password", "P@ssw0rd"]);
        }
        cmd.output().unwrap()
    };
    let refused = run(false);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stdout).contains("<** 550 5.7.1 Unable to relay"));
    let relayed = run(true);
    let transcript = String::from_utf8_lossy(&relayed.stdout);
    assert!(relayed.status.success(), "{transcript}");
    assert!(transcript.contains("<-  235 "), "{transcript}");
    assert_eq!(stored(&dir.join("friend@fabrikam.com")).len(), 1);
}

/// A raw client from `who`@fabrikam.com that has greeted, named user@contoso.com and had
/// DATA's 354: what it sends next is message text.
fn to_message_text(server: &Server, who: &str) -> cli_support::Client {
    let mut c = server.connect();
    c.reply();
    c.send(
        format!("HELO {who}.fabrikam.com\r\nMAIL FROM:<{who}@fabrikam.com>\r\nRCPT TO:<user@contoso.com>\r\nDATA\r\n")
            .as_bytes(),
    );
    for _ in 0..4 {
        c.reply();
    }
    c
}

#[test]
fn an_8bit_body_in_latin1_is_stored_octet_for_octet() {
    let dir = maildir("latin1");
    let server = start(&dir, &[]);
    let mut c = server.connect();
    c.reply();
    c.send(b"EHLO a.fabrikam.com\r\nMAIL FROM:<a@fabrikam.com> BODY=8BITMIME\r\n");
    c.send(b"RCPT TO:<user@contoso.com>\r\nDATA\r\n");
    for _ in 0..4 {
        c.reply();
    }
    let body =
        b"Subject: caf\xe9\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\nna\xefve\r\n";
    c.send(body);
    c.send(b".\r\nQUIT\r\n");
    assert!(c.reply().starts_with("250 "));
    assert!(c.reply().starts_with("221 "));
    let folder = dir.join("user@contoso.com");
    let files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect();
    assert_eq!(files.len(), 1);
    let octets = std::fs::read(&files[0]).unwrap();
    assert!(
        keeps_with_arrival_header(&octets, body),
        "{}",
        String::from_utf8_lossy(&octets)
    );
}

#[test]
fn a_client_that_vanishes_mid_data_leaves_no_delivery() {
    let dir = maildir("vanish");
    let server = start(&dir, &[]);
    let mut gone = to_message_text(&server, "a");
    gone.send(b"Subject: cut off\r\n\r\nhalf a mess");
    drop(gone);
    // A complete message afterwards is stored: the folder is being written to.
    let mut ok = to_message_text(&server, "b");
    ok.send(b"Subject: whole\r\n\r\nall of it\r\n.\r\nQUIT\r\n");
    assert!(ok.reply().starts_with("250 "));
    assert!(ok.reply().starts_with("221 "));
    server
        .stderr
        .wait_for("end=client-closed", Duration::from_secs(5))
        .expect("the vanished session's log line");
    let messages = stored(&dir);
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].contains("Subject: whole"));
}

#[test]
fn a_message_that_cannot_be_stored_gets_421_not_250() {
    let dir = maildir("unwritable");
    let server = start(&dir, &[]);
    // The mailbox's folder cannot be made: a file sits where it belongs.
    std::fs::write(dir.join("user@contoso.com"), b"").unwrap();
    let mut c = to_message_text(&server, "c");
    c.send(b"Subject: nowhere to go\r\n\r\nbody\r\n.\r\n");
    assert_eq!(
        c.reply(),
        "421 4.3.2 mail.contoso.com Service not available, closing transmission channel\r\n"
    );
    assert!(c.closed());
    server
        .stderr
        .wait_for("end=store-failed", Duration::from_secs(5))
        .expect("the session's log line");
}

#[test]
fn concurrent_load_loses_and_duplicates_nothing() {
    if !have("python3", &["-c", "import asyncio"]) {
        return;
    }
    let dir = maildir("load");
    let server = start(&dir, &[]);
    let port = server.port.to_string();
    python(
        "server_load.py",
        &[&port, dir.to_str().unwrap(), "20", "10"],
    );
    assert_eq!(stored(&dir.join("user@contoso.com")).len(), 200);
}

/// Postfix's load generator, where Debian puts it (not on a normal user's PATH).
fn smtp_source() -> Option<PathBuf> {
    let found = ["/usr/sbin/smtp-source", "/usr/bin/smtp-source"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.exists());
    if found.is_none() {
        eprintln!(
            "SKIPPED: Postfix smtp-source is not installed (bash scripts/setup.sh installs it)"
        );
    }
    found
}

/// Runs smtp-source against `port` with `args` (sessions, messages, ...).
fn run_smtp_source(source: &Path, port: u16, args: &[&str]) -> std::process::Output {
    Command::new(source)
        .args(args)
        .args(["-f", "sender@fabrikam.com", "-t", "user@contoso.com"])
        .arg(format!("127.0.0.1:{port}"))
        .output()
        .unwrap()
}

#[test]
fn smtp_source_over_the_connection_limit_gets_421_and_loses_nothing() {
    let Some(source) = smtp_source() else {
        return;
    };
    let dir = maildir("limit");
    let server = start(&dir, &["--max-connections", "3"]);
    let inbox = dir.join("user@contoso.com");
    // Three idle sessions hold every place.
    let mut held: Vec<_> = (0..3).map(|_| server.connect()).collect();
    for c in &mut held {
        assert!(c.reply().starts_with("220 "));
    }

    let refused = run_smtp_source(&source, server.port, &["-s", "1", "-m", "5"]);
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success(), "{said}");
    assert!(
        said.contains(
            "rejected at server banner: 421 4.3.2 mail.contoso.com Service not available"
        ),
        "{said}"
    );
    server
        .stderr
        .wait_for("end=busy-421", Duration::from_secs(5))
        .expect("the refused session's log line");
    assert!(stored(&inbox).is_empty());

    // Two places freed: a hundred messages, a connection each, all arrive exactly once. (Two,
    // because smtp-source reconnects the moment it reads 221, while the server may still be
    // closing the previous connection, which holds its place until it is gone.)
    for mut c in held.drain(..2) {
        c.send(b"QUIT\r\n");
        assert!(c.reply().starts_with("221 "));
    }
    server
        .stderr
        .wait_for_count("end=server-closed", 2, Duration::from_secs(5))
        .expect("both freed sessions' log lines");
    let one = run_smtp_source(&source, server.port, &["-s", "1", "-m", "100"]);
    assert!(
        one.status.success(),
        "{}",
        String::from_utf8_lossy(&one.stderr)
    );
    assert_eq!(stored(&inbox).len(), 100);

    // Every place free: two parallel sessions, many messages per connection.
    drop(held);
    server
        .stderr
        .wait_for("end=client-closed", Duration::from_secs(5))
        .expect("the second session's log line");
    let two = run_smtp_source(&source, server.port, &["-s", "2", "-m", "200", "-d"]);
    assert!(
        two.status.success(),
        "{}",
        String::from_utf8_lossy(&two.stderr)
    );
    let messages = stored(&inbox);
    assert_eq!(messages.len(), 300);
    let mut names: Vec<_> = std::fs::read_dir(&inbox)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    names.dedup();
    assert_eq!(names.len(), 300, "every message stored under its own name");
}

#[test]
fn curl_sends_latin1_mail_that_is_stored_byte_for_byte() {
    if !have("curl", &["--version"]) {
        return;
    }
    let dir = maildir("curl-latin1");
    let server = start(&dir, &[]);
    // 8-bit text in ISO-8859-1, as an old mail client sends it: not UTF-8.
    let body: &[u8] = b"Subject: caf\xe9\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\nGr\xfc\xdfe aus K\xf6ln\r\n";
    let file = dir.with_extension("txt");
    std::fs::write(&file, body).unwrap();
    let out = Command::new("curl")
        .args(["-sS", &format!("smtp://127.0.0.1:{}", server.port)])
        .args(["--mail-from", "sender@fabrikam.com"])
        .args([
            "--mail-rcpt",
            "john@contoso.com",
            "--mail-rcpt",
            "user@contoso.com",
        ])
        .arg("-T")
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for mailbox in ["john@contoso.com", "user@contoso.com"] {
        let files: Vec<_> = std::fs::read_dir(dir.join(mailbox))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        assert_eq!(files.len(), 1, "{mailbox}");
        let stored = std::fs::read(&files[0]).unwrap();
        assert!(stored.starts_with(b"Received: from "), "{mailbox}");
        assert!(
            keeps_with_arrival_header(&stored, body),
            "{mailbox}: {stored:?}"
        );
    }
    let _ = std::fs::remove_file(file);
}

#[test]
fn linux_telnet_switched_to_character_mode_mid_session_is_still_answered() {
    if !on_path("telnet") {
        return;
    }
    let dir = maildir("telnet-mode");
    let server = start(&dir, &["--persona", "exchange55"]);
    // A line in line mode, then Ctrl+] `mode character` (the client starts negotiating and
    // sends Return as CR NUL), then a message typed a character at a time.
    python(
        "client_telnet.py",
        &[
            &server.port.to_string(),
            "HELO test.com\\r",
            "250 OK",
            "\\x1dmode character\\r",
            "telnet>",
            "MAIL FROM:Admin@test.com\\r",
            "250 OK - mail from Admin@test.com",
            "RCPT TO: john@contoso.com\\rDATA\\r",
            "354 Send data.  End with CRLF.CRLF",
            "Subject: typed\\r\\rone key at a time\\r.\\r",
            "250 OK\r\n",
            "QUIT\\r",
            "221 closing connection",
        ],
    );
    let messages = stored(&dir.join("john@contoso.com"));
    assert_eq!(messages.len(), 1);
    assert!(messages[0].contains("Subject: typed\r\n\r\none key at a time\r\n"));
    let log = server.first_session_log();
    assert!(log.ends_with(" telnet"), "{log}");
}
