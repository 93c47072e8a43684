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

mod ws_common;

use smtp_trainer::scenario::World;
use smtp_trainer::windows::{drive, Key, Workstation};
use ws_common::{files, keys, parse};

fn run(world: &World, keys: &[Key]) -> String {
    let mut ws = Workstation::new(world.clone(), 1, 0);
    let mut now = 0;
    let mut out = String::new();
    drive::replay(&mut ws, keys, &mut now, &mut |s| out.push_str(s));
    out
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
