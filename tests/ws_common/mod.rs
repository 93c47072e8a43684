//! The golden transcript format shared by the workstation tests (see `ws_golden.rs`).

#![allow(dead_code)]

use smtp_trainer::windows::Key;
use std::path::{Path, PathBuf};

pub struct Golden {
    pub head: String,
    pub world: Option<String>,
    pub input: String,
    pub output: String,
}

pub fn parse(text: &str) -> Golden {
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

/// Every golden file, sorted.
pub fn files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/ws");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    v.retain(|p| p.extension().is_some_and(|e| e == "txt"));
    v.sort();
    v
}

/// The bytes `smtp-trainer replay` reads for these keys, when every key has one.
pub fn key_bytes(keys: &[Key]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    for k in keys {
        match k {
            Key::Char(c) => out.extend(c.to_string().bytes()),
            Key::Enter => out.push(b'\n'),
            Key::Backspace => out.push(0x08),
            Key::CtrlBracket => out.push(0x1d),
            Key::CtrlC => out.push(0x03),
            Key::Tab => out.push(b'\t'),
            Key::Escape => out.push(0x1b),
            Key::Delete => out.push(0x7f),
            _ => return None,
        }
    }
    Some(out)
}
