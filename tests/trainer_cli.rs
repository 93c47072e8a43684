//! The `check` and `schema` subcommands, run as a user runs them.

use std::path::Path;
use std::process::{Command, Output};

fn smtp_trainer(args: &[&str]) -> Output {
    match Command::new(env!("CARGO_BIN_EXE_smtp-trainer"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
    {
        Ok(out) => out,
        Err(e) => panic!("cannot run smtp-trainer: {e}"),
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs `check` on a file under `tests/golden/trainer/` and compares its output with the
/// `.check.txt` beside it.
fn check_golden(name: &str) {
    let file = format!("tests/golden/trainer/{name}.toml");
    let out = smtp_trainer(&["check", &file]);
    let golden = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("tests/golden/trainer/{name}.check.txt"));
    let want = std::fs::read_to_string(&golden).unwrap_or_default();
    let got = text(&out.stdout);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        if let Err(e) = std::fs::write(&golden, &got) {
            panic!("cannot write {}: {e}", golden.display());
        }
    } else {
        assert_eq!(got, want, "run with UPDATE_GOLDEN=1 to accept");
    }
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn check_reports_every_problem_of_an_invalid_file_with_its_line() {
    check_golden("invalid-scenario");
}

#[test]
fn check_reports_type_errors_and_the_problems_beside_them_in_one_run() {
    check_golden("first-draft");
}

#[test]
fn check_types_each_solution_and_reports_the_ones_that_do_not_get_through() {
    check_golden("unfinished-solution");
}

#[test]
fn check_accepts_every_builtin_file_with_a_summary() {
    // Every file in the two folders, as an instructor's `check lessons/* challenges/*` names
    // them: tables that are not scenario files (the fault names) live elsewhere.
    let mut files: Vec<String> = ["lessons", "challenges"]
        .iter()
        .flat_map(|dir| match std::fs::read_dir(dir) {
            Ok(entries) => entries
                .filter_map(|e| e.ok())
                .map(|e| format!("{dir}/{}", e.file_name().to_string_lossy()))
                .collect::<Vec<_>>(),
            Err(e) => panic!("{dir}: {e}"),
        })
        .collect();
    files.sort();
    assert!(files.len() >= 12, "{files:?}");
    let mut args = vec!["check"];
    args.extend(files.iter().map(String::as_str));
    let out = smtp_trainer(&args);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    for f in &files {
        assert!(stdout.contains(&format!("{f}: ok: ")), "{stdout}");
    }
}

#[test]
fn check_says_plainly_when_a_file_cannot_be_read() {
    let out = smtp_trainer(&["check", "no/such/file.toml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).starts_with("no/such/file.toml: cannot open"));
}

#[test]
fn schema_prints_a_json_schema_of_the_file_format() {
    let out = smtp_trainer(&["schema"]);
    assert_eq!(out.status.code(), Some(0));
    let schema: serde_json::Value = match serde_json::from_slice(&out.stdout) {
        Ok(v) => v,
        Err(e) => panic!("not JSON: {e}"),
    };
    assert_eq!(schema["title"], "ScenarioFile");
    let defs = &schema["definitions"];
    for name in [
        "Lesson",
        "Step",
        "Check",
        "Challenge",
        "WorldSpec",
        "World",
        "Host",
        "Fault",
        "FaultEntry",
        "WindowsVersion",
    ] {
        assert!(defs.get(name).is_some(), "no definition of {name}");
    }
    // An exercise's world sets the DNS suffix as the world file does.
    for key in ["os", "persona", "domain", "telnet_installed", "faults"] {
        assert!(
            defs["WorldSpec"]["properties"].get(key).is_some(),
            "WorldSpec lacks {key}"
        );
    }
    // A DNS record may set its TTL, within what a DNS record can carry.
    for record in ["ARecord", "MxRecord"] {
        let ttl = &defs[record]["properties"]["ttl"];
        assert_eq!(ttl["maximum"], 2_147_483_647.0, "{record}: {ttl}");
    }
    let entry = defs["FaultEntry"].to_string();
    assert!(
        entry.contains("FaultName") && entry.contains("Fault\""),
        "{entry}"
    );
    let checks = defs["Check"].to_string();
    for name in [
        "reply-received",
        "line-sent",
        "all-of",
        "mailbox-has-message",
        "message-opened",
        "LinePart",
    ] {
        assert!(checks.contains(name), "Check lacks {name}");
    }
}

#[test]
fn check_reads_json_and_toml_saved_with_a_byte_order_mark() {
    let dir = std::env::temp_dir().join(format!("smtp-trainer-bom-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let json = dir.join("bom.json");
    let toml = dir.join("bom.toml");
    std::fs::write(
        &json,
        b"\xEF\xBB\xBF{\"world\":{\"faults\":[\"dns-down\"]}}",
    )
    .expect("write");
    std::fs::write(&toml, b"\xEF\xBB\xBF[world]\nfaults = [\"dns-down\"]\n").expect("write");
    for file in [&json, &toml] {
        let out = smtp_trainer(&["check", &file.to_string_lossy()]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
        assert!(
            text(&out.stdout).contains(": ok: "),
            "{}",
            text(&out.stdout)
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
