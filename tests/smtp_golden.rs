//! Golden transcripts of SMTP sessions: `tests/golden/smtp/<persona>/<behaviour>.txt`.
//!
//! A file starts with `#` comments and settings (`persona: exchange2003`, `seed: 7`,
//! `override: <TOML line for ServerOverrides>`, `show: messages`), then the session:
//! - `C: text`: what the client sends, then CRLF. Escapes: `\r`, `\n`, `\t`, `\xHH`, `\\`.
//! - `C~ text`: the same without the CRLF.
//! - `T: ms`: the clock moves to `ms` and the session's timer runs if due.
//! - `H: tls`: the client completes a TLS handshake (as `serve` does after STARTTLS's 220).
//! - `S: line`: a reply line the server must send. `{date}` matches an RFC 822 date, `{msgid}`
//!   a message id (`name@host`), `{n}` a number; everything else byte for byte.
//! - `E: ...`: an event (delivered, queued, awaiting tls); `X: closed`: the server hung up.
//! - `M: line`: with `show: messages`, each line of a delivered message as stored, escaped as
//!   client lines are.
//! - `L: ...`: event log entries; compared only in files that contain at least one.
//!
//! Each file is run three ways: one `C:` line per call (the transcript must match the file),
//! all input between clock moves in one call, and one byte per call; the last two must give
//! exactly the same outputs as the first. `BLESS=1 cargo test --test smtp_golden` rewrites the
//! files from what the engine does (review the diff before committing it).

mod smtp_support;

use smtp_support::{drain, session};
use smtp_trainer::smtp::ServerOverrides;
use std::path::{Path, PathBuf};

#[derive(Debug)]
enum Step {
    Send(Vec<u8>, String),
    Time(u64),
    /// The edge completed a TLS handshake (after STARTTLS).
    Handshake,
}

struct Golden {
    header: Vec<String>,
    persona: String,
    seed: u64,
    /// `show: messages`: each delivered message is in the transcript too, as `M:` lines.
    show_messages: bool,
    overrides: ServerOverrides,
    steps: Vec<Step>,
    expected: Vec<String>,
}

fn unescape(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 1 < b.len() {
            match b[i + 1] {
                b'r' => out.push(b'\r'),
                b'n' => out.push(b'\n'),
                b't' => out.push(b'\t'),
                b'\\' => out.push(b'\\'),
                b'x' if i + 3 < b.len() => {
                    let hex = std::str::from_utf8(&b[i + 2..i + 4]).unwrap_or("");
                    match u8::from_str_radix(hex, 16) {
                        Ok(v) => out.push(v),
                        Err(_) => panic!("bad escape in {s:?}"),
                    }
                    i += 4;
                    continue;
                }
                _ => panic!("bad escape in {s:?}"),
            }
            i += 2;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

fn parse(path: &Path) -> Golden {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let mut g = Golden {
        header: Vec::new(),
        persona: String::new(),
        seed: 1,
        show_messages: false,
        overrides: ServerOverrides::default(),
        steps: Vec::new(),
        expected: Vec::new(),
    };
    let mut override_toml = String::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("C: ") {
            let mut bytes = unescape(rest);
            bytes.extend_from_slice(b"\r\n");
            g.steps.push(Step::Send(bytes, line.to_string()));
            g.expected.push(line.to_string());
        } else if let Some(rest) = line.strip_prefix("C~ ") {
            g.steps.push(Step::Send(unescape(rest), line.to_string()));
            g.expected.push(line.to_string());
        } else if line == "H: tls" {
            g.steps.push(Step::Handshake);
            g.expected.push(line.to_string());
        } else if let Some(rest) = line.strip_prefix("T: ") {
            let ms = rest
                .trim()
                .parse()
                .unwrap_or_else(|_| panic!("{path:?}: {line}"));
            g.steps.push(Step::Time(ms));
            g.expected.push(line.to_string());
        } else if ["S:", "E:", "X:", "L:", "M:"]
            .iter()
            .any(|p| line.starts_with(p))
        {
            g.expected.push(line.to_string());
        } else if g.steps.is_empty() && g.expected.is_empty() {
            if let Some(p) = line.strip_prefix("persona: ") {
                g.persona = p.trim().to_string();
            } else if line.trim() == "show: messages" {
                g.show_messages = true;
            } else if let Some(s) = line.strip_prefix("seed: ") {
                g.seed = s.trim().parse().unwrap_or(1);
            } else if let Some(o) = line.strip_prefix("override: ") {
                override_toml.push_str(o);
                override_toml.push('\n');
            }
            g.header.push(line.to_string());
        } else if !line.trim().is_empty() {
            panic!("{path:?}: unexpected line {line:?}");
        }
    }
    g.overrides = toml::from_str(&override_toml).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    if g.persona.is_empty() {
        // The folder names the persona.
        g.persona = path
            .parent()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
    }
    g
}

/// Runs the steps; `split` decides how each segment of input is cut into calls. Returns the
/// transcript (with `C:`/`T:` lines when `echo`).
fn run(g: &Golden, split: Split, echo: bool) -> Vec<String> {
    let mut s = session(&g.persona, &g.overrides, g.seed);
    let mut out = drain(&mut s);
    let mut now = 0;
    let mut pending: Vec<u8> = Vec::new();
    let flush =
        |s: &mut smtp_trainer::smtp::Session, pending: &mut Vec<u8>, now, out: &mut Vec<String>| {
            match split {
                Split::Whole => s.handle_bytes(pending, now),
                Split::Bytes => {
                    for b in pending.iter() {
                        s.handle_bytes(std::slice::from_ref(b), now);
                    }
                }
                Split::Lines => {}
            }
            pending.clear();
            out.extend(drain(s));
        };
    for step in &g.steps {
        match step {
            Step::Send(bytes, line) => {
                if echo {
                    out.push(line.clone());
                }
                if split == Split::Lines {
                    s.handle_bytes(bytes, now);
                    out.extend(drain(&mut s));
                } else {
                    pending.extend_from_slice(bytes);
                }
            }
            Step::Handshake => {
                flush(&mut s, &mut pending, now, &mut out);
                if echo {
                    out.push("H: tls".into());
                }
                s.handle_tls_established(now, None);
                out.extend(drain(&mut s));
            }
            Step::Time(ms) => {
                flush(&mut s, &mut pending, now, &mut out);
                if echo {
                    out.push(format!("T: {ms}"));
                }
                now = *ms;
                if s.poll_timeout().is_some_and(|t| t <= now) {
                    s.handle_timeout(now);
                }
                out.extend(drain(&mut s));
            }
        }
    }
    flush(&mut s, &mut pending, now, &mut out);
    if !g.show_messages {
        out.retain(|l| !l.starts_with("M: "));
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Split {
    Lines,
    Whole,
    Bytes,
}

/// Does `actual` fit `pattern`, where `{date}`, `{msgid}` and `{n}` are wildcards?
fn fits(pattern: &str, actual: &str) -> bool {
    let Some(open) = pattern.find('{') else {
        return pattern == actual;
    };
    let (lit, rest) = pattern.split_at(open);
    let Some(actual) = actual.strip_prefix(lit) else {
        return false;
    };
    let Some(close) = rest.find('}') else {
        return rest == actual;
    };
    let (name, after) = (&rest[1..close], &rest[close + 1..]);
    let accept: fn(char) -> bool = match name {
        "date" => |c| c.is_ascii_alphanumeric() || " ,:+-".contains(c),
        "msgid" => |c| c.is_ascii_alphanumeric() || "@.-".contains(c),
        "n" => |c| c.is_ascii_digit(),
        _ => return pattern == actual,
    };
    // Try every length of the wildcard's run, longest first.
    let run = actual.find(|c: char| !accept(c)).unwrap_or(actual.len());
    (1..=run).rev().any(|n| {
        let taken = &actual[..n];
        let ok = match name {
            "date" => looks_like_date(taken),
            "msgid" => taken.contains('@'),
            _ => true,
        };
        ok && fits(after, &actual[n..])
    })
}

/// `Tue, 12 Jun 2007 04:30:00 -0500`
fn looks_like_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split(' ').collect();
    parts.len() == 6
        && parts[0].len() == 4
        && parts[0].ends_with(',')
        && parts[1].parse::<u8>().is_ok()
        && parts[2].len() == 3
        && parts[3].len() == 4
        && parts[4].len() == 8
        && parts[5].len() == 5
        && parts[5].starts_with(['+', '-'])
}

/// Replaces dates and message ids in an actual line by their patterns (for BLESS).
fn generalise(line: &str) -> String {
    let mut out = line.to_string();
    for day in [
        "Mon, ", "Tue, ", "Wed, ", "Thu, ", "Fri, ", "Sat, ", "Sun, ",
    ] {
        while let Some(i) = out.find(day) {
            let end = (i..=out.len())
                .rev()
                .find(|&e| looks_like_date(&out[i..e]))
                .unwrap_or(i);
            if end == i {
                break;
            }
            out.replace_range(i..end, "{date}");
        }
    }
    if out.starts_with("S: 250 2.6.0 <") {
        if let Some(close) = out.find('>') {
            out.replace_range(14..close, "{msgid}");
        }
    }
    if out.starts_with("L: ") {
        if let Some(i) = out.find(" Message ") {
            let start = i + " Message ".len();
            let end = out[start..].find(' ').map_or(out.len(), |e| start + e);
            if out[start..end].contains('@') {
                out.replace_range(start..end, "{msgid}");
            }
        }
    }
    if let Some(i) = out.find("InternalId=") {
        let start = i + "InternalId=".len();
        let end = out[start..].find(',').map_or(out.len(), |e| start + e);
        out.replace_range(start..end, "{n}");
    }
    out
}

fn golden_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/smtp");
    let mut files = Vec::new();
    let Ok(dirs) = std::fs::read_dir(&root) else {
        panic!("no {root:?}");
    };
    for dir in dirs.flatten() {
        if let Ok(entries) = std::fs::read_dir(dir.path()) {
            for f in entries.flatten() {
                if f.path().extension().is_some_and(|e| e == "txt") {
                    files.push(f.path());
                }
            }
        }
    }
    files.sort();
    files
}

#[test]
fn golden_transcripts() {
    let bless = std::env::var_os("BLESS").is_some();
    let files = golden_files();
    assert!(files.len() >= 20, "only {} golden files", files.len());
    let mut failures = Vec::new();
    for path in &files {
        let g = parse(path);
        let actual = run(&g, Split::Lines, true);
        if bless {
            let mut text = g.header.join("\n");
            text.push('\n');
            for line in &actual {
                text.push_str(&generalise(line));
                text.push('\n');
            }
            std::fs::write(path, text).unwrap_or_else(|e| panic!("{path:?}: {e}"));
            continue;
        }
        let show_log = g.expected.iter().any(|l| l.starts_with("L:"));
        let actual: Vec<&String> = actual
            .iter()
            .filter(|l| show_log || !l.starts_with("L:"))
            .collect();
        let name = path
            .strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .unwrap_or(path);
        let n = actual.len().max(g.expected.len());
        for i in 0..n {
            let (want, got) = (g.expected.get(i), actual.get(i));
            let same = match (want, got) {
                (Some(w), Some(a)) => fits(w, a),
                _ => false,
            };
            if !same {
                failures.push(format!(
                    "{}: line {} of the session\n  want: {:?}\n  got:  {:?}",
                    name.display(),
                    i + 1,
                    want,
                    got
                ));
                break;
            }
        }
        // Any split of the input gives the same outputs.
        let canonical = run(&g, Split::Lines, false);
        for split in [Split::Whole, Split::Bytes] {
            if run(&g, split, false) != canonical {
                failures.push(format!("{}: {split:?} feeding differs", name.display()));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn patterns_match_what_they_say() {
    let table = [
        (
            "S: 220 at  {date}",
            "S: 220 at  Tue, 12 Jun 2007 04:30:00 -0500",
            true,
        ),
        (
            "S: 220 at  {date} x",
            "S: 220 at  Tue, 12 Jun 2007 04:30:00 -0500 x",
            true,
        ),
        ("S: 220 at  {date}", "S: 220 at  yesterday", false),
        (
            "S: 250 2.6.0 <{msgid}> Queued",
            "S: 250 2.6.0 <MAILx00000001@mail.contoso.com> Queued",
            true,
        ),
        (
            "S: 250 2.6.0 <{msgid}> Queued",
            "S: 250 2.6.0 <> Queued",
            false,
        ),
        ("S: [InternalId={n}, H]", "S: [InternalId=123, H]", true),
        ("S: 250 OK", "S: 250 OK ", false),
    ];
    for (p, a, ok) in table {
        assert_eq!(fits(p, a), ok, "{p} / {a}");
    }
    assert_eq!(
        generalise("S: 220 x ready at  Tue, 12 Jun 2007 04:30:00 -0500"),
        "S: 220 x ready at  {date}"
    );
    assert_eq!(unescape("a\\x08b\\r\\\\"), b"a\x08b\r\\".to_vec());
}
