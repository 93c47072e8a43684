//! From browser keyboard events to the workstation's [`Key`]s.
//!
//! The mapping is a pure function of the event's fields so it can be tested as a table. The rule
//! that shapes it: the simulation gets what a Windows console would get, and the browser keeps
//! every shortcut the learner relies on (copy with a selection, paste, zoom, find, tab out of the
//! terminal). When the two collide, the browser wins except for Ctrl+] and Ctrl+C without a
//! selection, which the simulation needs (Telnet's escape, stopping `ping -t`).

use crate::windows::Key;

/// What the terminal does with one keydown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyAction {
    /// Send this key to the workstation and stop the browser's default action.
    Send(Key),
    /// Leave the event to the browser (shortcuts, focus moves, IME composition).
    Browser,
}

/// The fields of a DOM `KeyboardEvent` the mapping looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct KeyPress<'a> {
    /// `KeyboardEvent.key`: the character or the key's name (`"Enter"`, `"a"`, `"]"`).
    pub key: &'a str,
    /// `KeyboardEvent.code`: the physical key (`"BracketRight"`), for layouts where Ctrl+]
    /// reports another character.
    pub code: &'a str,
    pub ctrl: bool,
    pub alt: bool,
    pub meta: bool,
    /// Whether the page has a text selection (then Ctrl+C copies instead of interrupting).
    pub has_selection: bool,
}

/// Named keys the console understands. Tab is deliberately absent: it moves the focus out of
/// the terminal, so a keyboard-only learner is never trapped in it.
const NAMED_KEYS: &[(&str, Key)] = &[
    ("Enter", Key::Enter),
    ("Backspace", Key::Backspace),
    ("Escape", Key::Escape),
    ("ArrowUp", Key::Up),
    ("ArrowDown", Key::Down),
    ("ArrowLeft", Key::Left),
    ("ArrowRight", Key::Right),
    ("Home", Key::Home),
    ("End", Key::End),
    ("Delete", Key::Delete),
];

/// Decides what one keydown means.
pub fn map_key(press: &KeyPress<'_>) -> KeyAction {
    // The Command key on a Mac is always the browser's (copy, paste, zoom, find, reload).
    if press.meta {
        return KeyAction::Browser;
    }
    // AltGr arrives as Ctrl+Alt on Windows; it types characters such as ] or @ on many layouts.
    let alt_gr = press.ctrl && press.alt;
    if press.ctrl && !alt_gr {
        return map_ctrl(press);
    }
    if press.alt && !alt_gr {
        return KeyAction::Browser;
    }
    if let Some((_, key)) = NAMED_KEYS.iter().find(|(name, _)| *name == press.key) {
        return KeyAction::Send(*key);
    }
    let mut chars = press.key.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if (c as u32) < 0x20 && c.is_ascii() => {
            KeyAction::Send(Key::from_byte(c as u8))
        }
        (Some(c), None) => KeyAction::Send(Key::Char(c)),
        // "Tab", "F5", "Dead", "Process", "Unidentified" and the like: the browser's, or an
        // input method's, whose text arrives through the input event instead.
        _ => KeyAction::Browser,
    }
}

fn map_ctrl(press: &KeyPress<'_>) -> KeyAction {
    let bracket = press.key == "]" || press.key == "\u{1d}" || press.code == "BracketRight";
    if bracket {
        return KeyAction::Send(Key::CtrlBracket);
    }
    let is_c = press.key.eq_ignore_ascii_case("c") || press.code == "KeyC";
    if is_c && !press.has_selection {
        return KeyAction::Send(Key::CtrlC);
    }
    KeyAction::Browser
}

/// Turns pasted text into the keystrokes a real terminal would type: each character is a key,
/// any line break (CRLF, LF or CR) is one Enter, other control characters map as raw bytes do.
/// Pasting several SMTP commands at once therefore pipelines them, as it does with Telnet.
pub fn paste_keys(text: &str) -> Vec<Key> {
    let mut keys = Vec::with_capacity(text.len());
    let mut at = 0;
    while let Some((key, next)) = key_at(text, at) {
        keys.push(key);
        at = next;
    }
    keys
}

/// The keystroke that starts at byte `at` of pasted `text`, and where the next one starts
/// (the one rule [`paste_keys`] and [`PendingInput`] share).
fn key_at(text: &str, at: usize) -> Option<(Key, usize)> {
    let c = text.get(at..)?.chars().next()?;
    let next = at + c.len_utf8();
    Some(match c {
        '\r' if text.as_bytes().get(next) == Some(&b'\n') => (Key::Enter, next + 1),
        '\r' => (Key::Enter, next),
        c if c.is_ascii_control() => (Key::from_byte(c as u8), next),
        c => (Key::Char(c), next),
    })
}

/// Input waiting to be typed into the workstation, in arrival order. A paste is kept as its text
/// and turned into keys a slice at a time, so a 10 MB paste neither freezes the page (the app
/// types one slice per task and paints in between) nor holds ten million keys at once; keys
/// typed meanwhile queue behind it, as they would behind a paste in a real terminal.
#[derive(Debug, Default)]
pub struct PendingInput {
    queue: std::collections::VecDeque<Pending>,
    /// Bytes of pasted text not yet typed, for the progress shown to the learner.
    text_left: usize,
}

#[derive(Debug)]
enum Pending {
    Text { text: String, at: usize },
    Keys(std::collections::VecDeque<Key>),
}

impl PendingInput {
    /// Queues pasted text.
    pub fn push_text(&mut self, text: String) {
        if !text.is_empty() {
            self.text_left += text.len();
            self.queue.push_back(Pending::Text { text, at: 0 });
        }
    }

    /// Queues keys typed or tapped.
    pub fn push_keys(&mut self, keys: Vec<Key>) {
        if let Some(Pending::Keys(last)) = self.queue.back_mut() {
            last.extend(keys);
        } else if !keys.is_empty() {
            self.queue.push_back(Pending::Keys(keys.into()));
        }
    }

    /// Whether nothing is waiting.
    pub fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }

    /// Bytes of pasted text still to be typed.
    pub fn text_left(&self) -> usize {
        self.text_left
    }

    /// Up to `max` keys from the front of the queue, in order.
    pub fn take(&mut self, max: usize) -> Vec<Key> {
        let mut out = Vec::with_capacity(max.min(4096));
        while out.len() < max {
            let Some(front) = self.queue.front_mut() else {
                break;
            };
            let finished = match front {
                Pending::Keys(keys) => {
                    let n = keys.len().min(max - out.len());
                    out.extend(keys.drain(..n));
                    keys.is_empty()
                }
                Pending::Text { text, at } => {
                    let start = *at;
                    while out.len() < max {
                        let Some((key, next)) = key_at(text, *at) else {
                            break;
                        };
                        out.push(key);
                        *at = next;
                    }
                    self.text_left -= *at - start;
                    *at >= text.len()
                }
            };
            if finished {
                self.queue.pop_front();
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn press(key: &str) -> KeyPress<'_> {
        KeyPress {
            key,
            ..KeyPress::default()
        }
    }

    #[wasm_bindgen_test]
    fn keydowns_map_as_a_console_expects() {
        let ctrl = |key, code| KeyPress {
            key,
            code,
            ctrl: true,
            ..KeyPress::default()
        };
        let table: &[(KeyPress, KeyAction)] = &[
            (press("a"), KeyAction::Send(Key::Char('a'))),
            (press("A"), KeyAction::Send(Key::Char('A'))),
            (press(" "), KeyAction::Send(Key::Char(' '))),
            (press(":"), KeyAction::Send(Key::Char(':'))),
            (press("é"), KeyAction::Send(Key::Char('é'))),
            (press("Enter"), KeyAction::Send(Key::Enter)),
            (press("Backspace"), KeyAction::Send(Key::Backspace)),
            (press("ArrowUp"), KeyAction::Send(Key::Up)),
            (press("ArrowLeft"), KeyAction::Send(Key::Left)),
            (press("Escape"), KeyAction::Send(Key::Escape)),
            (press("Delete"), KeyAction::Send(Key::Delete)),
            // Tab leaves the terminal: no keyboard trap.
            (press("Tab"), KeyAction::Browser),
            (press("F5"), KeyAction::Browser),
            (press("Shift"), KeyAction::Browser),
            (press("Dead"), KeyAction::Browser),
            (press("Unidentified"), KeyAction::Browser),
            (ctrl("]", "BracketRight"), KeyAction::Send(Key::CtrlBracket)),
            // A layout where the key right of P is not "]" still gives Telnet's escape.
            (ctrl("+", "BracketRight"), KeyAction::Send(Key::CtrlBracket)),
            (ctrl("c", "KeyC"), KeyAction::Send(Key::CtrlC)),
            (ctrl("C", "KeyC"), KeyAction::Send(Key::CtrlC)),
            (ctrl("v", "KeyV"), KeyAction::Browser),
            (ctrl("f", "KeyF"), KeyAction::Browser),
            (ctrl("+", "Equal"), KeyAction::Browser),
            (ctrl("0", "Digit0"), KeyAction::Browser),
        ];
        for (p, want) in table {
            assert_eq!(map_key(p), *want, "{p:?}");
        }
    }

    #[wasm_bindgen_test]
    fn browser_keeps_copy_alt_and_command_shortcuts() {
        let copy = KeyPress {
            key: "c",
            code: "KeyC",
            ctrl: true,
            has_selection: true,
            ..KeyPress::default()
        };
        assert_eq!(map_key(&copy), KeyAction::Browser);
        let meta = KeyPress {
            key: "c",
            meta: true,
            ..KeyPress::default()
        };
        assert_eq!(map_key(&meta), KeyAction::Browser);
        let alt = KeyPress {
            key: "ArrowLeft",
            alt: true,
            ..KeyPress::default()
        };
        assert_eq!(map_key(&alt), KeyAction::Browser);
        // AltGr (Ctrl+Alt on Windows) types characters such as @ on a German keyboard.
        let alt_gr = KeyPress {
            key: "@",
            code: "KeyQ",
            ctrl: true,
            alt: true,
            ..KeyPress::default()
        };
        assert_eq!(map_key(&alt_gr), KeyAction::Send(Key::Char('@')));
    }

    #[wasm_bindgen_test]
    fn pasted_text_becomes_keystrokes_with_one_enter_per_line_break() {
        let c = Key::Char;
        let table: &[(&str, Vec<Key>)] = &[
            ("", vec![]),
            ("HELO", vec![c('H'), c('E'), c('L'), c('O')]),
            ("a\r\nb", vec![c('a'), Key::Enter, c('b')]),
            ("a\nb\n", vec![c('a'), Key::Enter, c('b'), Key::Enter]),
            ("a\rb", vec![c('a'), Key::Enter, c('b')]),
            ("\r\n\r\n", vec![Key::Enter, Key::Enter]),
            ("x\ty", vec![c('x'), Key::Tab, c('y')]),
            ("\u{8}\u{1d}", vec![Key::Backspace, Key::CtrlBracket]),
            ("ü", vec![c('ü')]),
        ];
        for (text, want) in table {
            assert_eq!(&paste_keys(text), want, "{text:?}");
        }
    }

    #[wasm_bindgen_test]
    fn pending_input_types_a_paste_in_slices_with_the_same_keys_in_order() {
        let texts = [
            "",
            "a\r\nb",
            "ab\r",
            "\r\nü\u{1d}x\r\r\n",
            "EHLO x\r\nMAIL FROM:a@b\r\n",
        ];
        for text in texts {
            for max in [1, 2, 3, 1000] {
                let mut pending = PendingInput::default();
                pending.push_text(text.to_string());
                assert_eq!(pending.text_left(), text.len());
                let mut got = Vec::new();
                while !pending.is_empty() {
                    let slice = pending.take(max);
                    assert!(!slice.is_empty() && slice.len() <= max, "{text:?} {max}");
                    got.extend(slice);
                }
                assert_eq!(got, paste_keys(text), "{text:?} in slices of {max}");
                assert_eq!(pending.text_left(), 0);
            }
        }
    }

    #[wasm_bindgen_test]
    fn keys_typed_during_a_paste_come_after_it() {
        let c = Key::Char;
        let mut pending = PendingInput::default();
        pending.push_keys(vec![c('1')]);
        pending.push_text("ab\n".into());
        pending.push_keys(vec![c('2')]);
        pending.push_keys(vec![c('3')]);
        pending.push_text("z".into());
        assert_eq!(pending.take(2), vec![c('1'), c('a')]);
        assert_eq!(pending.text_left(), 3);
        assert_eq!(
            pending.take(10),
            vec![c('b'), Key::Enter, c('2'), c('3'), c('z')]
        );
        assert!(pending.is_empty());
        assert!(pending.take(5).is_empty());
    }
}
