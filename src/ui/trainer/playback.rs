//! "Watch how it's done": a lesson's solution keystrokes typed into the terminal at a human
//! pace, with play, pause, step and restart. Pure: the app's timer asks [`Playback::next_key`]
//! for a key and [`Playback::delay_after`] for how long to wait before the next one.

use crate::clock::Millis;
use crate::windows::Key;

/// Wait after a printable character: a steady typist's rhythm, with a little variation so it
/// does not look mechanical (deterministic, so every viewer sees the same).
const CHAR_GAP: Millis = 70;
const CHAR_JITTER: Millis = 60;
/// Wait after Enter: time to read what the command did.
pub const ENTER_GAP: Millis = 900;
/// Wait after a special key (Ctrl+], Backspace...): slower, so it is noticed.
const SPECIAL_GAP: Millis = 400;
/// How often to look again while the workstation is busy (a ping running).
pub const BUSY_RETRY: Millis = 150;

/// A recorded session being played.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Playback {
    /// The lesson whose solution this is; empty for keys given in the address.
    pub lesson: String,
    keys: Vec<Key>,
    pos: usize,
    playing: bool,
    /// What was done once the keys were typed, said in place of the last line typed (the
    /// message opened in the Mailbox).
    note: Option<String>,
}

impl Playback {
    /// A playback of `keys`, playing from the start when `autoplay`.
    pub fn new(lesson: impl Into<String>, keys: Vec<Key>, autoplay: bool) -> Playback {
        Playback {
            lesson: lesson.into(),
            keys,
            pos: 0,
            playing: autoplay,
            note: None,
        }
    }

    /// Whether it is running (as opposed to paused or finished).
    pub fn is_playing(&self) -> bool {
        self.playing && !self.is_done()
    }

    /// Whether every key was typed.
    pub fn is_done(&self) -> bool {
        self.pos >= self.keys.len()
    }

    /// Keys typed so far, and in all.
    pub fn position(&self) -> (usize, usize) {
        (self.pos, self.keys.len())
    }

    pub fn play(&mut self) {
        self.playing = true;
    }

    pub fn pause(&mut self) {
        self.playing = false;
    }

    /// Back to the first key, paused or playing as before (the caller starts a fresh
    /// workstation, so the session is typed again from a clean screen).
    pub fn restart(&mut self) {
        self.pos = 0;
        self.note = None;
    }

    /// Says what was done after the last key, in place of the line typed.
    pub fn set_note(&mut self, note: String) {
        self.note = Some(note);
    }

    /// What was done after the last key, if anything.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    /// The next key to type, advancing past it; `None` when done.
    pub fn next_key(&mut self) -> Option<Key> {
        let key = *self.keys.get(self.pos)?;
        self.pos += 1;
        Some(key)
    }

    /// One key while paused (the "step" button): the key, and the playback stays paused.
    pub fn step(&mut self) -> Option<Key> {
        self.playing = false;
        self.next_key()
    }

    /// The line being typed, as far as it got, in words a viewer can read: the played
    /// session is typed with local echo off, as in real Telnet, so the screen shows only the
    /// replies, and without this the viewer would never see the commands. Right after Enter it
    /// is the whole line just sent, with `↵` after it; empty before the first key.
    pub fn typing(&self) -> String {
        let done = self.keys.get(..self.pos).unwrap_or_default();
        let (line, sent) = match done.split_last() {
            Some((Key::Enter, before)) => (before, true),
            _ => (done, false),
        };
        let start = line
            .iter()
            .rposition(|k| *k == Key::Enter)
            .map_or(0, |i| i + 1);
        let mut out = String::new();
        for key in line.get(start..).unwrap_or_default() {
            match key {
                Key::Char(c) => out.push(*c),
                Key::Backspace => out.push('\u{232B}'),
                Key::CtrlBracket => out.push_str("[Ctrl+]]"),
                Key::CtrlC => out.push_str("[Ctrl+C]"),
                // Arrows, Tab, Escape: not in any lesson's session; a mark that one was pressed.
                _ => out.push('\u{2022}'),
            }
        }
        if sent {
            out.push_str(" \u{21B5}");
        }
        out
    }

    /// How long to wait after typing `key` before the next one.
    pub fn delay_after(&self, key: Key) -> Millis {
        match key {
            Key::Enter => ENTER_GAP,
            Key::Char(_) => CHAR_GAP + (self.pos as Millis * 37) % CHAR_JITTER,
            _ => SPECIAL_GAP,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn keys() -> Vec<Key> {
        vec![Key::Char('a'), Key::Enter, Key::CtrlBracket]
    }

    #[wasm_bindgen_test]
    fn keys_come_out_in_order_then_it_is_done() {
        let mut p = Playback::new("l", keys(), true);
        assert!(p.is_playing());
        assert_eq!(p.next_key(), Some(Key::Char('a')));
        assert_eq!(p.next_key(), Some(Key::Enter));
        assert_eq!(p.position(), (2, 3));
        assert_eq!(p.next_key(), Some(Key::CtrlBracket));
        assert_eq!(p.next_key(), None);
        assert!(p.is_done() && !p.is_playing());
        p.restart();
        assert_eq!((p.position(), p.is_playing()), ((0, 3), true));
    }

    #[wasm_bindgen_test]
    fn step_types_one_key_and_pauses() {
        let mut p = Playback::new("l", keys(), true);
        assert_eq!(p.step(), Some(Key::Char('a')));
        assert!(!p.is_playing());
        p.play();
        assert!(p.is_playing());
        p.pause();
        assert!(!p.is_playing());
    }

    #[wasm_bindgen_test]
    fn the_line_being_typed_is_shown_as_a_viewer_reads_it() {
        let keys = vec![
            Key::Char('E'),
            Key::Char('H'),
            Key::Enter,
            Key::Char('M'),
            Key::Backspace,
            Key::CtrlBracket,
            Key::Enter,
        ];
        let mut p = Playback::new("l", keys, true);
        let mut seen = vec![p.typing()];
        while p.next_key().is_some() {
            seen.push(p.typing());
        }
        let want = [
            "",
            "E",
            "EH",
            "EH \u{21B5}",
            "M",
            "M\u{232B}",
            "M\u{232B}[Ctrl+]]",
            "M\u{232B}[Ctrl+]] \u{21B5}",
        ];
        assert_eq!(seen, want);
        p.set_note("Opened it".into());
        assert_eq!(p.note(), Some("Opened it"));
        p.restart();
        assert_eq!((p.note(), p.typing().as_str()), (None, ""));
    }

    #[wasm_bindgen_test]
    fn enter_waits_longest_and_characters_vary() {
        let p = Playback::new("l", keys(), false);
        let table = [
            (Key::Enter, ENTER_GAP..=ENTER_GAP),
            (Key::Backspace, SPECIAL_GAP..=SPECIAL_GAP),
            (Key::Char('x'), CHAR_GAP..=CHAR_GAP + CHAR_JITTER),
        ];
        for (key, range) in table {
            assert!(range.contains(&p.delay_after(key)), "{key:?}");
        }
    }
}
