//! The console's line editor, as cmd.exe (and the Telnet and nslookup prompts) use it:
//! insert at the cursor, Backspace and Delete, Left/Right/Home/End, Escape clears the line,
//! Up/Down walk the command history (doskey's, without duplicates in a row).

use super::{Console, Key};

/// Most characters a cmd line holds (cmd's own limit is 8191).
pub const MAX_LINE: usize = 8191;
/// Commands kept in the history (doskey's default buffer holds about 50).
pub const MAX_HISTORY: usize = 50;

/// What a key did to the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    /// The line changed or the cursor moved; nothing to run.
    Editing,
    /// The key had no effect (a full line, Left at the start, a key the editor ignores):
    /// nothing to redraw, which keeps a long paste into a full line cheap.
    Unchanged,
    /// Enter: the line is finished, shown, and moved to history.
    Submit(String),
}

/// One editable input line after a prompt.
#[derive(Debug, Clone, Default)]
pub struct LineEditor {
    buf: Vec<char>,
    cursor: usize,
    history: Vec<String>,
    /// Position while walking history; `history.len()` means "not walking".
    walk: usize,
}

impl LineEditor {
    /// An empty editor with no history.
    pub fn new() -> LineEditor {
        LineEditor::default()
    }

    /// The text typed so far.
    pub fn text(&self) -> String {
        self.buf.iter().collect()
    }

    /// Draws `prompt` and the line on the console's current line, cursor in place.
    pub fn render(&self, console: &mut Console, prompt: &str) {
        console.set_current_parts(prompt, &self.buf, prompt.chars().count() + self.cursor);
    }

    /// Applies one key. Keys the editor does not use (Ctrl+C, Ctrl+], Tab) leave it alone;
    /// the caller handles them first.
    pub fn key(&mut self, key: Key) -> Edit {
        let before = (self.buf.len(), self.cursor);
        match key {
            Key::Char(c) => {
                if self.buf.len() < MAX_LINE {
                    self.buf.insert(self.cursor, c);
                    self.cursor += 1;
                }
            }
            Key::Backspace => {
                if self.cursor > 0 {
                    self.cursor -= 1;
                    self.buf.remove(self.cursor);
                }
            }
            Key::Delete => {
                if self.cursor < self.buf.len() {
                    self.buf.remove(self.cursor);
                }
            }
            Key::Left => self.cursor = self.cursor.saturating_sub(1),
            Key::Right => self.cursor = (self.cursor + 1).min(self.buf.len()),
            Key::Home => self.cursor = 0,
            Key::End => self.cursor = self.buf.len(),
            Key::Escape => self.clear(),
            // History replaces the text (perhaps with text of the same length): always redrawn.
            Key::Up => {
                if self.walk > 0 {
                    self.walk -= 1;
                    self.load_history();
                    return Edit::Editing;
                }
            }
            Key::Down => {
                if self.walk + 1 < self.history.len() {
                    self.walk += 1;
                    self.load_history();
                } else {
                    self.walk = self.history.len();
                    self.clear();
                }
                return Edit::Editing;
            }
            Key::Enter => {
                let line = self.text();
                if !line.trim().is_empty() && self.history.last() != Some(&line) {
                    if self.history.len() == MAX_HISTORY {
                        self.history.remove(0);
                    }
                    self.history.push(line.clone());
                }
                self.walk = self.history.len();
                self.clear();
                return Edit::Submit(line);
            }
            Key::Tab | Key::CtrlC | Key::CtrlBracket => {}
        }
        // Every other key changes the length or moves the cursor, or does nothing.
        if (self.buf.len(), self.cursor) == before {
            Edit::Unchanged
        } else {
            Edit::Editing
        }
    }

    /// Empties the line (Escape, Ctrl+C, a new prompt).
    pub fn clear(&mut self) {
        self.buf.clear();
        self.cursor = 0;
    }

    fn load_history(&mut self) {
        if let Some(h) = self.history.get(self.walk) {
            self.buf = h.chars().collect();
            self.cursor = self.buf.len();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn type_keys(ed: &mut LineEditor, keys: &[Key]) -> Vec<Edit> {
        keys.iter().map(|k| ed.key(*k)).collect()
    }

    fn chars(s: &str) -> Vec<Key> {
        s.chars().map(Key::Char).collect()
    }

    #[test]
    fn keys_that_change_nothing_ask_for_no_redraw() {
        use Key::*;
        let mut ed = LineEditor::new();
        for key in [Left, Home, Backspace, Delete, Escape, Up, Tab, CtrlC] {
            assert_eq!(ed.key(key), Edit::Unchanged, "{key:?} on an empty line");
        }
        assert_eq!(ed.key(Char('a')), Edit::Editing);
        assert_eq!(ed.key(Right), Edit::Unchanged);
        assert_eq!(ed.key(Left), Edit::Editing);
        // A full line takes no more characters, and says so.
        for _ in 1..MAX_LINE {
            ed.key(Char('x'));
        }
        assert_eq!(ed.text().chars().count(), MAX_LINE);
        assert_eq!(ed.key(Char('y')), Edit::Unchanged);
        // Down always redraws: it leaves history walking with an empty line.
        assert_eq!(ed.key(Down), Edit::Editing);
        assert_eq!(ed.text(), "");
    }

    #[test]
    fn editing_keys_change_the_line_as_cmd_does() {
        use Key::*;
        let table: Vec<(Vec<Key>, &str, usize)> = vec![
            (chars("pign"), "pign", 4),
            (
                [chars("pign"), vec![Backspace, Backspace], chars("ng")].concat(),
                "ping",
                4,
            ),
            (
                [chars("png"), vec![Left, Left], chars("i")].concat(),
                "ping",
                2,
            ),
            (
                [chars("xping"), vec![Home, Delete, End]].concat(),
                "ping",
                4,
            ),
            ([chars("ping"), vec![Escape]].concat(), "", 0),
            (vec![Backspace, Left, Delete], "", 0),
        ];
        for (keys, text, cursor) in table {
            let mut ed = LineEditor::new();
            type_keys(&mut ed, &keys);
            assert_eq!((ed.text().as_str(), ed.cursor), (text, cursor), "{keys:?}");
        }
    }

    #[test]
    fn history_walks_back_and_forth() {
        let mut ed = LineEditor::new();
        for cmd in ["ver", "ipconfig", "ipconfig", "ping 10.0.0.1"] {
            type_keys(&mut ed, &chars(cmd));
            assert_eq!(ed.key(Key::Enter), Edit::Submit(cmd.into()));
        }
        assert_eq!(ed.history, vec!["ver", "ipconfig", "ping 10.0.0.1"]);
        ed.key(Key::Up);
        assert_eq!(ed.text(), "ping 10.0.0.1");
        ed.key(Key::Up);
        ed.key(Key::Up);
        ed.key(Key::Up);
        assert_eq!(ed.text(), "ver");
        ed.key(Key::Down);
        assert_eq!(ed.text(), "ipconfig");
        ed.key(Key::Down);
        ed.key(Key::Down);
        assert_eq!(ed.text(), "");
    }

    #[test]
    fn the_line_is_bounded() {
        let mut ed = LineEditor::new();
        for _ in 0..MAX_LINE + 10 {
            ed.key(Key::Char('a'));
        }
        assert_eq!(ed.text().len(), MAX_LINE);
    }
}
