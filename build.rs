//! Converts the built-in TOML tables (lessons, challenges, the fault table, the explain table
//! and the personas) to compact JSON in OUT_DIR. The app embeds the JSON, so the browser parses JSON at
//! start-up, which is much cheaper than TOML; the TOML files stay the source of truth and are
//! still what `builtin::source` and `builtin::load_errors` read.

use std::path::Path;

/// (TOML file in the repository, JSON file written to OUT_DIR).
const TABLES: &[(&str, &str)] = &[
    ("lessons/kb153119-basic.toml", "kb153119-basic.json"),
    ("lessons/kb153119-advanced.toml", "kb153119-advanced.json"),
    (
        "lessons/local-echo-backspace.toml",
        "local-echo-backspace.json",
    ),
    ("lessons/q115492-ip-tcp.toml", "q115492-ip-tcp.json"),
    (
        "lessons/q142614-iis-gateway.toml",
        "q142614-iis-gateway.json",
    ),
    ("lessons/kb240832-bad-ehlo.toml", "kb240832-bad-ehlo.json"),
    ("lessons/nslookup-mx.toml", "nslookup-mx.json"),
    ("lessons/ehlo-damaged-link.toml", "ehlo-damaged-link.json"),
    (
        "lessons/personas-side-by-side.toml",
        "personas-side-by-side.json",
    ),
    ("lessons/telnet-client-win7.toml", "telnet-client-win7.json"),
    ("challenges/network.toml", "challenges-network.json"),
    ("challenges/smtp.toml", "challenges-smtp.json"),
    ("src/trainer/faults.toml", "faults.json"),
    ("src/smtp/explain.toml", "explain.json"),
    ("personas/rfc5321.toml", "persona-rfc5321.json"),
    ("personas/exchange55.toml", "persona-exchange55.json"),
    ("personas/iis5.toml", "persona-iis5.json"),
    ("personas/iis6.toml", "persona-iis6.json"),
    ("personas/exchange2003.toml", "persona-exchange2003.json"),
    (
        "personas/exchange2003-damaged-link.toml",
        "persona-exchange2003-damaged-link.json",
    ),
    ("personas/exchange2016.toml", "persona-exchange2016.json"),
    ("personas/msmail3.toml", "persona-msmail3.json"),
];

fn main() {
    let out = match std::env::var("OUT_DIR") {
        Ok(o) => o,
        Err(e) => panic!("cargo sets OUT_DIR for build scripts: {e}"),
    };
    // The browser never reads a challenge's `solution` (it is for `smtp-trainer check` and the
    // tests, which run natively; lessons' solutions are "Show me" and stay), so the app goes
    // without them: about 1 KB of text.
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32");
    for (source, target) in TABLES {
        println!("cargo:rerun-if-changed={source}");
        let text =
            std::fs::read_to_string(source).unwrap_or_else(|e| panic!("cannot read {source}: {e}"));
        // A file that does not parse is written as its TOML text, unchanged: the crate then
        // fails to load it at run time exactly as before, and the tests that check every
        // built-in file (with TOML line numbers) say what is wrong.
        let json = match toml::from_str::<toml::Value>(&text) {
            Ok(mut value) => {
                if wasm {
                    drop_challenge_solutions(&mut value);
                }
                serde_json::to_string(&value)
                    .unwrap_or_else(|e| panic!("{source} does not convert to JSON: {e}"))
            }
            Err(_) => text,
        };
        let path = Path::new(&out).join(target);
        std::fs::write(&path, json)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    }
    println!("cargo:rerun-if-changed=build.rs");
}

/// Removes `solution` from every table of a file's `challenges` list.
fn drop_challenge_solutions(value: &mut toml::Value) {
    if let Some(list) = value.get_mut("challenges").and_then(|c| c.as_array_mut()) {
        for challenge in list.iter_mut().filter_map(|c| c.as_table_mut()) {
            challenge.remove("solution");
        }
    }
}
