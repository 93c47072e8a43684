//! Golden transcripts of the workstation: `tests/golden/ws/*.txt`, one behaviour each.
//!
//! A file is a description, then sections opened by a line of their own:
//! - `# world` (optional): a scenario in TOML (the default world when absent);
//! - `# input`: what the learner types, one line per Enter. Escapes: `\b` Backspace, `\e`
//!   Escape, `\t` Tab, `\x` Delete, `\U` `\D` `\L` `\R` arrows, `\H` Home, `\E` End, `\\` a
//!   backslash, `^]` Ctrl+], `^C` Ctrl+C. A line that is only `^]` or `^C` presses that key
//!   without Enter; a line ending in a lone `\` has no Enter either.
//! - `# output`: the screen, exactly, as `smtp-trainer replay` writes it (a form feed line for
//!   each screen clear), ending with the line the cursor is on.
//!
//! `UPDATE_GOLDEN=1 cargo test --test ws_golden` rewrites the outputs; review the diff.

use smtp_trainer::scenario::World;
use smtp_trainer::windows::{drive, Key, Workstation};
use std::path::{Path, PathBuf};

struct Golden {
    head: String,
    world: Option<String>,
    input: String,
    output: String,
}

fn parse(text: &str) -> Golden {
    let mut g = Golden {
        head: String::new(),
        world: None,
        input: String::new(),
        output: String::new(),
    };
    let mut section = "head";
    for line in text.split_inclusive('\n') {
        match line.trim_end_matches(['\r', '\n']) {
            "# world" => {
                section = "world";
                g.world = Some(String::new());
                continue;
            }
            "# input" => {
                section = "input";
                continue;
            }
            "# output" => {
                section = "output";
                continue;
            }
            _ => {}
        }
        match section {
            "head" => g.head.push_str(line),
            "world" => g.world.get_or_insert_with(String::new).push_str(line),
            "input" => g.input.push_str(line),
            _ => g.output.push_str(line),
        }
    }
    if g.output.ends_with('\n') {
        g.output.pop();
    }
    g
}

/// Keys of the `# input` section.
pub fn keys(input: &str) -> Vec<Key> {
    let mut keys = Vec::new();
    for line in input.lines() {
        match line {
            "^]" => {
                keys.push(Key::CtrlBracket);
                continue;
            }
            "^C" => {
                keys.push(Key::CtrlC);
                continue;
            }
            _ => {}
        }
        let mut chars = line.chars().peekable();
        let mut enter = true;
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    None => enter = false,
                    Some('b') => keys.push(Key::Backspace),
                    Some('e') => keys.push(Key::Escape),
                    Some('t') => keys.push(Key::Tab),
                    Some('x') => keys.push(Key::Delete),
                    Some('U') => keys.push(Key::Up),
                    Some('D') => keys.push(Key::Down),
                    Some('L') => keys.push(Key::Left),
                    Some('R') => keys.push(Key::Right),
                    Some('H') => keys.push(Key::Home),
                    Some('E') => keys.push(Key::End),
                    Some(other) => keys.push(Key::Char(other)),
                },
                '^' if chars.peek() == Some(&']') => {
                    chars.next();
                    keys.push(Key::CtrlBracket);
                }
                '^' if chars.peek() == Some(&'C') => {
                    chars.next();
                    keys.push(Key::CtrlC);
                }
                c => keys.push(Key::Char(c)),
            }
        }
        if enter {
            keys.push(Key::Enter);
        }
    }
    keys
}

fn run(world: &World, keys: &[Key]) -> String {
    let mut ws = Workstation::new(world.clone(), 1, 0);
    let mut now = 0;
    let mut out = String::new();
    drive::replay(&mut ws, keys, &mut now, &mut |s| out.push_str(s));
    out
}

fn files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/ws");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    v.retain(|p| p.extension().is_some_and(|e| e == "txt"));
    v.sort();
    v
}

fn first_difference(want: &str, got: &str) -> String {
    for (i, (w, g)) in want.lines().zip(got.lines()).enumerate() {
        if w != g {
            return format!("line {}:\n  want: {w:?}\n  got:  {g:?}", i + 1);
        }
    }
    format!(
        "lengths differ: want {} lines, got {} lines\n--- got ---\n{got}",
        want.lines().count(),
        got.lines().count()
    )
}

#[test]
fn golden_transcripts() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let files = files();
    assert!(update || files.len() >= 10, "golden files missing");
    let mut failures = Vec::new();
    for path in files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let g = parse(&text);
        let world = match g.world.as_deref() {
            Some(w) => match World::parse(w) {
                Ok(w) => w,
                Err(e) => {
                    failures.push(format!("{name}: bad world: {e:?}"));
                    continue;
                }
            },
            None => World::default(),
        };
        let got = run(&world, &keys(&g.input));
        if update {
            let mut new = g.head.clone();
            if let Some(w) = &g.world {
                new.push_str("# world\n");
                new.push_str(w);
            }
            new.push_str("# input\n");
            new.push_str(&g.input);
            new.push_str("# output\n");
            new.push_str(&got);
            new.push('\n');
            if new != text {
                std::fs::write(&path, new).unwrap_or_default();
            }
        } else if got != g.output {
            failures.push(format!("{name}: {}", first_difference(&g.output, &got)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn input_escapes_map_to_keys() {
    assert_eq!(
        keys("ab\\b\n^]\n\nx\\\n^C\n"),
        vec![
            Key::Char('a'),
            Key::Char('b'),
            Key::Backspace,
            Key::Enter,
            Key::CtrlBracket,
            Key::Enter,
            Key::Char('x'),
            Key::CtrlC,
        ]
    );
}
