//! The console window: what the screen shows.
//!
//! A console is a scrollback of finished lines plus the line being written, with a cursor
//! column in it. Programs write text to it; the cmd line editor replaces the input part of
//! the current line as the learner edits. The UI renders `lines()` (numbered absolutely, so
//! it can render only what is new) and the current line; `replay` drains [`Console::take_transcript`].
//!
//! Text is stored as it should be *seen*: control characters other than the ones a console
//! acts on (LF, CR, BS, TAB) are turned into visible placeholders at write time, so nothing a
//! server or a learner sends can be interpreted by a terminal or a browser later on.

use std::collections::VecDeque;

/// Lines kept in the scrollback before the oldest are dropped.
pub const DEFAULT_SCROLLBACK: usize = 20_000;

/// The Windows console's width; cmd and telnet wrap their output at it.
pub const COLUMNS: usize = 80;

/// The most transcript a console keeps, in bytes: hours of training fit, and a session that
/// prints without end (a 10 MB paste echoed, `ping -t` left running) cannot grow it without
/// bound; the oldest lines go first.
pub const TRANSCRIPT_CAP: usize = 4 * 1024 * 1024;

/// The most output one redirected command keeps (more than the simulated disk takes, so a
/// full disk is reported as such; an endless `ping -t > x` cannot grow it without bound).
pub const CAPTURE_CAP: usize = 2 * 1024 * 1024;

/// A console screen buffer with scrollback.
#[derive(Debug, Clone)]
pub struct Console {
    lines: VecDeque<String>,
    /// Absolute number of `lines[0]`, counted from the first line ever written.
    first: u64,
    /// The line being written: a prompt and the learner's input, or a partial server reply.
    current: Vec<char>,
    /// Cursor column in `current`; writing overwrites from here, as a real console does.
    cursor: usize,
    clears: u64,
    transcript: String,
    version: u64,
    cap: usize,
    /// Output a command sends to a file or a pipe instead of the screen (see
    /// [`Console::start_capture`]).
    capture: Option<String>,
}

impl Default for Console {
    fn default() -> Self {
        Self::new(DEFAULT_SCROLLBACK)
    }
}

impl Console {
    /// An empty console keeping at most `scrollback` finished lines (at least one).
    pub fn new(scrollback: usize) -> Self {
        Console {
            lines: VecDeque::new(),
            first: 0,
            current: Vec::new(),
            cursor: 0,
            clears: 0,
            transcript: String::new(),
            version: 0,
            cap: scrollback.max(1),
            capture: None,
        }
    }

    /// Writes text at the cursor. `\n` ends the line, `\r` returns to column 0, BS moves the
    /// cursor left without erasing (the console's own behaviour, which is why a Backspace echoed
    /// by Telnet leaves the old character visible), TAB advances to the next multiple of 8.
    /// Every other control character becomes a visible placeholder (U+2400 block).
    pub fn write(&mut self, text: &str) {
        if let Some(buf) = &mut self.capture {
            // Past the cap the text is dropped: the simulated disk holds less anyway.
            if buf.len() + text.len() <= CAPTURE_CAP {
                buf.push_str(text);
            }
            return;
        }
        for c in text.chars() {
            self.write_char(c);
        }
        self.version += 1;
    }

    fn write_char(&mut self, c: char) {
        match c {
            '\n' => self.commit_line(),
            '\r' => self.cursor = 0,
            '\u{8}' => self.cursor = self.cursor.saturating_sub(1),
            '\t' => {
                let next = (self.cursor / 8 + 1) * 8;
                while self.cursor < next {
                    self.put(' ');
                }
            }
            c => self.put(visible(c)),
        }
    }

    fn put(&mut self, c: char) {
        if self.cursor < self.current.len() {
            self.current[self.cursor] = c;
        } else {
            while self.current.len() < self.cursor {
                self.current.push(' ');
            }
            self.current.push(c);
        }
        self.cursor += 1;
    }

    /// From now on, what programs write is kept as text instead of shown: cmd has redirected
    /// the running command's output (`> file`, `| more`). The cmd line editor's
    /// [`Console::set_current`] still draws on the screen.
    pub fn start_capture(&mut self) {
        self.capture = Some(String::new());
    }

    /// Whether output is being captured.
    pub fn capturing(&self) -> bool {
        self.capture.is_some()
    }

    /// Ends a capture, giving what was written (as written: `\n` line ends).
    pub fn take_capture(&mut self) -> Option<String> {
        self.capture.take()
    }

    /// Writes on the screen even during a capture: error messages whose handle was not
    /// redirected (`dir nothere > list.txt` still shows `File Not Found`).
    pub fn write_to_screen(&mut self, text: &str) {
        let capture = self.capture.take();
        self.write(text);
        self.capture = capture;
    }

    /// Writes `text` followed by a line break.
    pub fn write_line(&mut self, text: &str) {
        self.write(text);
        self.write("\n");
    }

    fn commit_line(&mut self) {
        let line: String = self.current.drain(..).collect();
        self.cursor = 0;
        self.record(&line);
        self.lines.push_back(line);
        while self.lines.len() > self.cap {
            self.lines.pop_front();
            self.first += 1;
        }
    }

    /// Replaces the current line with `text` and puts the cursor at char index `cursor`;
    /// the cmd line editor calls this after every edit (prompt plus input).
    pub fn set_current(&mut self, text: &str, cursor: usize) {
        self.current = text.chars().map(visible).collect();
        self.cursor = cursor.min(self.current.len());
        self.version += 1;
    }

    /// [`Console::set_current`] for a prompt followed by the editor's characters, reusing the
    /// line's storage: the line editor redraws on every key, so this must not allocate.
    pub fn set_current_parts(&mut self, prompt: &str, text: &[char], cursor: usize) {
        self.current.clear();
        self.current.extend(prompt.chars().map(visible));
        self.current.extend(text.iter().copied().map(visible));
        self.cursor = cursor.min(self.current.len());
        self.version += 1;
    }

    /// Clears the screen (`cls`, or Telnet on a successful connect). The transcript records it
    /// as a form feed on a line of its own, after whatever was still on the current line.
    pub fn clear(&mut self) {
        if !self.current.is_empty() {
            let line: String = self.current.drain(..).collect();
            self.record(&line);
        }
        self.record("\u{c}");
        self.first += self.lines.len() as u64;
        self.lines.clear();
        self.cursor = 0;
        self.clears += 1;
        self.version += 1;
    }

    /// The finished lines still in the scrollback, each with its absolute line number.
    pub fn lines(&self) -> impl DoubleEndedIterator<Item = (u64, &str)> + ExactSizeIterator {
        let first = self.first;
        self.lines
            .iter()
            .enumerate()
            .map(move |(i, l)| (first + i as u64, l.as_str()))
    }

    /// Absolute number of the oldest line still kept.
    pub fn first_line_number(&self) -> u64 {
        self.first
    }

    /// Absolute number the next finished line will get.
    pub fn next_line_number(&self) -> u64 {
        self.first + self.lines.len() as u64
    }

    /// The line being written, as shown.
    pub fn current_line(&self) -> String {
        self.current.iter().collect()
    }

    /// The cursor's column in the current line.
    pub fn cursor_column(&self) -> usize {
        self.cursor
    }

    /// How many times the screen was cleared; a renderer that sees it change starts over.
    pub fn clears(&self) -> u64 {
        self.clears
    }

    /// Changes on every write, so a renderer can skip frames where nothing happened.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// Adds a finished line to the transcript, dropping its oldest lines past the cap (a
    /// quarter at a time, so the cost of moving the rest is spread over many lines).
    fn record(&mut self, line: &str) {
        self.transcript.push_str(line);
        self.transcript.push('\n');
        self.cap_transcript();
    }

    fn cap_transcript(&mut self) {
        if self.transcript.len() > TRANSCRIPT_CAP {
            let over = self.transcript.len() - TRANSCRIPT_CAP * 3 / 4;
            // Cut after a line end, looked for byte-wise: `over` itself may fall inside a
            // character, but the byte after a `\n` always starts one.
            let cut = self.transcript.as_bytes()[over..]
                .iter()
                .position(|b| *b == b'\n')
                .map_or(self.transcript.len(), |i| over + i + 1);
            self.transcript.drain(..cut);
        }
    }

    /// Everything finished since the last call, in order, as plain text (clears as form feeds).
    pub fn take_transcript(&mut self) -> String {
        std::mem::take(&mut self.transcript)
    }

    /// The session as a learner saves it ("copy transcript"): every line since the console
    /// was opened or [`Console::forget_transcript`] (up to [`TRANSCRIPT_CAP`]), across the
    /// screen clears of `cls` and of Telnet connecting, each clear as an empty line, then the
    /// current line.
    pub fn transcript(&self) -> String {
        let mut out = self.transcript.replace('\u{c}', "");
        out.push_str(&self.current_line());
        out
    }

    /// Puts `earlier` (a finished transcript, ending in a line break) in front of this
    /// console's: a workstation that replaces another (Settings changed the Windows version or
    /// the server) keeps the session before it for "copy" and "download transcript".
    pub fn carry_transcript(&mut self, earlier: &str) {
        self.transcript.insert_str(0, earlier);
        self.cap_transcript();
    }

    /// Starts the transcript afresh (the page's Clear button: the learner asked for a clean
    /// slate, not only a clean screen).
    pub fn forget_transcript(&mut self) {
        self.transcript.clear();
    }

    /// The whole visible text, scrollback and current line, for "copy transcript".
    pub fn text(&self) -> String {
        let mut out = String::new();
        for (_, l) in self.lines() {
            out.push_str(l);
            out.push('\n');
        }
        out.push_str(&self.current_line());
        out
    }
}

/// Maps a character to what a safe screen shows: control characters become the matching
/// Control Pictures symbol (U+2400..U+241F, DEL as U+2421); everything else is itself.
pub fn visible(c: char) -> char {
    match c as u32 {
        n @ 0..=0x1f => char::from_u32(0x2400 + n).unwrap_or('?'),
        0x7f => '\u{2421}',
        0x80..=0x9f => '\u{fffd}',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_transcript_spans_screen_clears_and_the_clear_button_forgets_it() {
        let mut c = Console::new(10);
        c.write_line("C:\\>ping 10.0.0.1");
        c.write_line("Reply from 10.0.0.1");
        c.write("Connecting To mail.contoso.com...");
        c.clear();
        c.write_line("220 ready");
        c.write("EHLO x");
        assert_eq!(c.text(), "220 ready\nEHLO x");
        assert_eq!(
            c.transcript(),
            "C:\\>ping 10.0.0.1\nReply from 10.0.0.1\nConnecting To mail.contoso.com...\n\n220 ready\nEHLO x"
        );
        c.forget_transcript();
        assert_eq!(c.transcript(), "EHLO x");
    }

    #[test]
    fn a_carried_transcript_comes_first_and_stays_under_the_cap() {
        let mut c = Console::new(10);
        c.write("C:\\>");
        c.carry_transcript("220 ready\nEHLO x\n");
        assert_eq!(c.transcript(), "220 ready\nEHLO x\nC:\\>");
        let mut c = Console::new(10);
        c.write_line("new");
        c.carry_transcript(&"old line\n".repeat(TRANSCRIPT_CAP / 4));
        let t = c.transcript();
        assert!(
            t.len() <= TRANSCRIPT_CAP && t.ends_with("old line\nnew\n"),
            "{}",
            t.len()
        );
    }

    #[test]
    fn the_transcript_is_cut_at_a_line_end_whatever_characters_it_holds() {
        // Control characters are shown as three-byte placeholders: wherever the cap falls, the
        // cut must land between characters (a fuzzer found the first version slicing inside one).
        for width in [300, 301, 302, 333, 997, 998, 999, 1000] {
            let mut c = Console::new(10);
            let line = "a".to_string() + &"\u{0}".repeat(width);
            for _ in 0..(TRANSCRIPT_CAP / line.len() * 3 / 2) {
                c.write_line(&line);
            }
            let t = c.transcript();
            assert!(t.len() <= TRANSCRIPT_CAP, "{width}");
            assert!(t.starts_with('a'), "{width}");
        }
    }

    #[test]
    fn the_transcript_keeps_the_newest_lines_under_its_cap() {
        let mut c = Console::new(10);
        let line = "x".repeat(999);
        for i in 0..(TRANSCRIPT_CAP / 1000 * 2) {
            c.write_line(&format!("{i} {line}"));
        }
        let t = c.transcript();
        assert!(t.len() <= TRANSCRIPT_CAP, "{}", t.len());
        assert!(t.len() > TRANSCRIPT_CAP / 2, "{}", t.len());
        // Whole lines only, the last one written kept.
        assert!(t
            .split('\n')
            .filter(|l| !l.is_empty())
            .all(|l| l.ends_with(&line)));
        assert!(t.ends_with(&format!("{} {line}\n", TRANSCRIPT_CAP / 1000 * 2 - 1)));
    }

    #[test]
    fn lines_are_committed_and_numbered() {
        let mut c = Console::new(100);
        c.write("220 ready\r\n250 OK\npartial");
        let lines: Vec<_> = c.lines().collect();
        assert_eq!(lines, vec![(0, "220 ready"), (1, "250 OK")]);
        assert_eq!(c.current_line(), "partial");
        assert_eq!(c.take_transcript(), "220 ready\n250 OK\n");
    }

    #[test]
    fn backspace_moves_left_and_next_char_overwrites() {
        let mut c = Console::new(100);
        c.write("HELP\u{8}O");
        assert_eq!(c.current_line(), "HELO");
    }

    #[test]
    fn control_characters_become_placeholders() {
        let mut c = Console::new(100);
        c.write("a\u{1b}[2Jb\u{0}");
        assert_eq!(c.current_line(), "a\u{241b}[2Jb\u{2400}");
    }

    #[test]
    fn scrollback_drops_oldest_lines_past_the_cap() {
        let mut c = Console::new(3);
        for i in 0..5 {
            c.write_line(&i.to_string());
        }
        let lines: Vec<_> = c.lines().collect();
        assert_eq!(lines, vec![(2, "2"), (3, "3"), (4, "4")]);
        assert_eq!(c.first_line_number(), 2);
    }

    #[test]
    fn clear_is_a_form_feed_line_in_the_transcript() {
        let mut c = Console::new(10);
        c.write("Connecting To mail.contoso.com...");
        c.clear();
        c.write_line("220 hi");
        assert_eq!(
            c.take_transcript(),
            "Connecting To mail.contoso.com...\n\u{c}\n220 hi\n"
        );
        assert_eq!(c.lines().count(), 1);
        assert_eq!(c.clears(), 1);
    }

    #[test]
    fn tab_advances_to_the_next_stop() {
        let mut c = Console::new(10);
        c.write("ab\tc");
        assert_eq!(c.current_line(), "ab      c");
    }
}
