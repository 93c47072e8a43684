//! The `smtp-trainer replay` binary on golden transcripts: the same screen as the library
//! driver, byte for byte, and the same on every run.

mod ws_common;

use std::io::Write;
use std::process::{Command, Stdio};
use ws_common::{files, key_bytes, keys, parse};

fn replay(input: &[u8], extra: &[&str]) -> (String, i32) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_smtp-trainer"))
        .arg("replay")
        .args(["--seed", "1"])
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    // A run that rejects its scenario exits before reading: a broken pipe is expected then.
    let _ = child.stdin.take().expect("stdin is piped").write_all(input);
    let out = child.wait_with_output().expect("the binary finishes");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn replay_prints_what_the_golden_shows() {
    for name in [
        "kb153119-local-echo-on.txt",
        "telnet-backspace-sends-bs-echo-off.txt",
        "q115492-ladder-healthy.txt",
    ] {
        let path = files()
            .into_iter()
            .find(|p| p.ends_with(name))
            .expect("golden present");
        let g = parse(&std::fs::read_to_string(&path).expect("readable"));
        assert!(g.world.is_none(), "{name} uses the default world");
        let input = key_bytes(&keys(&g.input)).expect("keys replay can read");
        let (first, code) = replay(&input, &[]);
        assert_eq!(code, 0, "{name}");
        assert_eq!(first, g.output, "{name}");
        let (second, _) = replay(&input, &[]);
        assert_eq!(first, second, "{name}: same output on every run");
    }
}

#[test]
fn replay_takes_os_and_scenario_and_rejects_bad_files() {
    let (out, code) = replay(b"ver\n", &["--os", "win2000"]);
    assert_eq!(code, 0);
    assert!(out.contains("C:\\>ver"), "{out}");

    let dir = std::env::temp_dir().join(format!("ws-replay-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let good = dir.join("good.toml");
    std::fs::write(&good, "faults = [\"smtp-service-stopped\"]\n").expect("written");
    let (out, code) = replay(
        b"telnet mail.contoso.com 25\n",
        &["--scenario", good.to_str().unwrap_or_default()],
    );
    assert_eq!(code, 0);
    assert!(out.contains("Connect failed"), "{out}");

    // The documented scenario format: the world is the file's `[world]` table.
    let course = dir.join("course.toml");
    std::fs::write(
        &course,
        "title = \"Week 3\"\n[world]\nfaults = [\"remote-subnet-down\"]\n[world.workstation]\nos = \"win7\"\ntelnet_installed = true\n",
    )
    .expect("written");
    let (out, code) = replay(
        b"tracert -d 192.168.10.20\n\x03",
        &["--scenario", course.to_str().unwrap_or_default()],
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("C:\\Users\\Administrator>tracert"), "{out}");
    assert!(
        out.contains("  1    <1 ms    <1 ms    <1 ms  10.0.0.1\n  2     *"),
        "{out}"
    );

    // A scenario file without a world has nothing for replay to run in.
    let lessons_only = dir.join("lessons-only.toml");
    std::fs::write(&lessons_only, "title = \"x\"\n").expect("written");
    let (out, code) = replay(
        b"ver\n",
        &["--scenario", lessons_only.to_str().unwrap_or_default()],
    );
    assert_eq!((code, out.as_str()), (2, ""));

    // Nor does an empty file, or one of comments only: refused as `check` refuses it, rather
    // than run silently in the default world.
    for (name, text) in [("empty.toml", ""), ("comments.toml", "# to do\n\n")] {
        let path = dir.join(name);
        std::fs::write(&path, text).expect("written");
        let output = Command::new(env!("CARGO_BIN_EXE_smtp-trainer"))
            .args(["replay", "--scenario", path.to_str().unwrap_or_default()])
            .stdin(Stdio::null())
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(2), "{name}");
        let err = String::from_utf8_lossy(&output.stderr);
        assert!(
            err.contains("the file holds no world, lessons or challenges"),
            "{name}: {err}"
        );
    }

    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "[workstation]\nos = \"vista\"\n").expect("written");
    let (out, code) = replay(b"ver\n", &["--scenario", bad.to_str().unwrap_or_default()]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn scenario_files_that_are_not_files_are_refused_at_once() {
    let cases = [
        ("/nonexistent/world.toml", "cannot open"),
        ("/tmp", "cannot read"),
        // Endless: refused at the size limit, not read until memory runs out.
        ("/dev/zero", "larger than the limit"),
    ];
    for (path, needle) in cases {
        let started = std::time::Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_smtp-trainer"))
            .args(["replay", "--scenario", path])
            .stdin(Stdio::null())
            .output()
            .expect("run replay");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{path}: {err}");
        assert!(
            err.starts_with(&format!("smtp-trainer: error: --scenario '{path}': ")),
            "{path}: {err}"
        );
        assert!(err.contains(needle), "{path}: {err}");
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "{path}"
        );
    }
}

#[test]
fn crlf_input_is_one_enter_per_line() {
    let (lf, _) = replay(b"ver\nver\n", &[]);
    let (crlf, _) = replay(b"ver\r\nver\r\n", &[]);
    assert_eq!(lf, crlf);
}

#[test]
fn files_saved_by_windows_editors_replay_as_their_text() {
    // Notepad's UTF-8 with a byte order mark, and PowerShell 5's `>` (UTF-16LE with a mark).
    let (plain, _) = replay(b"ver\r\n", &[]);
    let (bom, _) = replay(b"\xEF\xBB\xBFver\r\n", &[]);
    assert_eq!(bom, plain);
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("ver\r\n".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let (wide, code) = replay(&utf16, &[]);
    assert_eq!((wide, code), (plain, 0));
    // A file marked UTF-16 that is not: refused with what to do, nothing typed.
    let (out, code) = replay(b"\xFF\xFEv\x00e", &[]);
    assert_eq!((out.as_str(), code), ("", 2));
}
