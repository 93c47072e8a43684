//! What the terminal renders, kept in step with the core's [`Console`] without re-reading it all.
//!
//! Finished console lines never change, so they are grouped into blocks of [`BLOCK_LINES`]
//! lines keyed by their absolute line number. A block that is full is never touched again, and
//! its component is skipped by Yew's diff (its props compare by pointer). Only the last block and
//! the current line change on a keystroke, so typing stays fast with 10,000 lines of scrollback.

use crate::windows::Console;
use std::rc::Rc;

/// Lines per rendered block: small enough that rebuilding the last one is cheap, large enough
/// that 20,000 lines of scrollback are only a few hundred components.
pub const BLOCK_LINES: usize = 64;

/// A run of consecutive finished lines, starting at absolute line `first`.
#[derive(Debug, Clone)]
pub struct Block {
    pub first: u64,
    pub lines: Rc<Vec<Rc<str>>>,
}

impl PartialEq for Block {
    /// Pointer equality: a block whose lines were not replaced has not changed.
    fn eq(&self, other: &Self) -> bool {
        self.first == other.first && Rc::ptr_eq(&self.lines, &other.lines)
    }
}

/// The UI's copy of the console screen.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Screen {
    pub blocks: Vec<Block>,
    /// The line being written (prompt and input, or a partial reply).
    pub current: Rc<str>,
    /// Cursor column in `current`, in characters.
    pub cursor: usize,
    /// Absolute number of the next line to copy from the console.
    next: u64,
    clears: u64,
    version: Option<u64>,
}

impl Screen {
    /// Brings the copy up to date with `console`; returns the lines finished since the last
    /// call (for the screen reader's live region). Does nothing when the console has not changed.
    pub fn sync(&mut self, console: &Console) -> Vec<Rc<str>> {
        if self.version == Some(console.version()) {
            return Vec::new();
        }
        self.version = Some(console.version());
        if console.clears() != self.clears {
            self.clears = console.clears();
            self.blocks.clear();
            self.next = console.first_line_number();
        }
        self.drop_before(console.first_line_number());
        let start = self.next.max(console.first_line_number());
        let skip = (start - console.first_line_number()) as usize;
        let mut fresh = Vec::new();
        for (n, text) in console.lines().skip(skip) {
            let line: Rc<str> = Rc::from(text);
            fresh.push(line.clone());
            self.push(n, line);
        }
        self.next = console.next_line_number();
        let current = console.current_line();
        if *self.current != *current {
            self.current = Rc::from(current.as_str());
        }
        self.cursor = console.cursor_column();
        fresh
    }

    fn push(&mut self, number: u64, line: Rc<str>) {
        match self.blocks.last_mut() {
            Some(b) if b.lines.len() < BLOCK_LINES && b.first + b.lines.len() as u64 == number => {
                Rc::make_mut(&mut b.lines).push(line);
            }
            _ => self.blocks.push(Block {
                first: number,
                lines: Rc::new(vec![line]),
            }),
        }
    }

    /// Forgets lines the console no longer keeps, so the page holds no more than the console.
    fn drop_before(&mut self, first: u64) {
        let whole = self
            .blocks
            .iter()
            .take_while(|b| b.first + b.lines.len() as u64 <= first)
            .count();
        self.blocks.drain(..whole);
        if let Some(b) = self.blocks.first_mut() {
            if b.first < first {
                let cut = (first - b.first) as usize;
                b.lines = Rc::new(b.lines[cut..].to_vec());
                b.first = first;
            }
        }
    }

    /// Number of finished lines held.
    pub fn line_count(&self) -> usize {
        self.blocks.iter().map(|b| b.lines.len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn texts(s: &Screen) -> Vec<(u64, String)> {
        s.blocks
            .iter()
            .flat_map(|b| {
                b.lines
                    .iter()
                    .enumerate()
                    .map(move |(i, l)| (b.first + i as u64, l.to_string()))
            })
            .collect()
    }

    #[wasm_bindgen_test]
    fn sync_copies_only_new_lines_and_reports_them() {
        let mut c = Console::new(1000);
        let mut s = Screen::default();
        c.write("220 ready\r\n250 OK\r\npart");
        let fresh = s.sync(&c);
        assert_eq!(fresh.len(), 2);
        assert_eq!(&*s.current, "part");
        assert_eq!(s.cursor, 4);
        c.write("ial\r\n");
        let fresh: Vec<String> = s.sync(&c).iter().map(|l| l.to_string()).collect();
        assert_eq!(fresh, vec!["partial"]);
        assert_eq!(s.line_count(), 3);
        assert!(s.sync(&c).is_empty(), "an unchanged console gives nothing");
    }

    #[wasm_bindgen_test]
    fn full_blocks_keep_their_identity_so_they_are_not_re_rendered() {
        let mut c = Console::new(10_000);
        let mut s = Screen::default();
        for i in 0..BLOCK_LINES + 3 {
            c.write_line(&i.to_string());
        }
        s.sync(&c);
        let before = s.blocks[0].clone();
        c.write_line("more");
        s.sync(&c);
        assert_eq!(s.blocks.len(), 2);
        assert_eq!(s.blocks[0], before, "the full block was not rebuilt");
        assert_eq!(s.line_count(), BLOCK_LINES + 4);
    }

    #[wasm_bindgen_test]
    fn lines_dropped_from_the_console_leave_the_screen_too() {
        let mut c = Console::new(100);
        let mut s = Screen::default();
        for i in 0..150 {
            c.write_line(&format!("line {i}"));
            if i % 7 == 0 {
                s.sync(&c);
            }
        }
        s.sync(&c);
        let want: Vec<(u64, String)> = c.lines().map(|(n, l)| (n, l.to_string())).collect();
        assert_eq!(texts(&s), want);
    }

    #[wasm_bindgen_test]
    fn a_clear_starts_the_screen_over() {
        let mut c = Console::new(100);
        let mut s = Screen::default();
        c.write_line("old");
        s.sync(&c);
        c.clear();
        c.write_line("220 new");
        s.sync(&c);
        assert_eq!(texts(&s), vec![(1, "220 new".to_string())]);
    }
}
