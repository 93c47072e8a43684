//! The workstation: routes keys to the running program. (The workstation work replaces this
//! first cut with cmd, telnet, ping, nslookup and ipconfig.)

use super::{Console, InputMode, Key};
use crate::clock::Millis;

/// A simulated Windows PC at a command prompt.
#[derive(Debug)]
pub struct Workstation {
    console: Console,
    input: String,
    prompt: String,
}

impl Default for Workstation {
    fn default() -> Self {
        Self::new(0)
    }
}

impl Workstation {
    /// A workstation at its cmd prompt.
    pub fn new(now: Millis) -> Workstation {
        let _ = now;
        let mut ws = Workstation {
            console: Console::default(),
            input: String::new(),
            prompt: "C:\\Documents and Settings\\Administrator>".into(),
        };
        ws.show_prompt();
        ws
    }

    fn show_prompt(&mut self) {
        let line = format!("{}{}", self.prompt, self.input);
        let cursor = line.chars().count();
        self.console.set_current(&line, cursor);
    }

    /// A key press at `now`.
    pub fn handle_key(&mut self, key: Key, now: Millis) {
        let _ = now;
        match key {
            Key::Char(c) => self.input.push(c),
            Key::Backspace => {
                self.input.pop();
            }
            Key::Enter => {
                let cmd = std::mem::take(&mut self.input);
                self.console.write("\n");
                let name = cmd.split_whitespace().next().unwrap_or("");
                if !name.is_empty() {
                    self.console.write_line(&format!(
                        "'{name}' is not recognized as an internal or external command,"
                    ));
                    self.console.write_line("operable program or batch file.");
                }
                self.console.write("\n");
            }
            _ => {}
        }
        self.show_prompt();
    }

    /// Called at or after [`Workstation::poll_timeout`]'s instant.
    pub fn handle_timeout(&mut self, now: Millis) {
        let _ = now;
    }

    /// When the workstation next wants [`Workstation::handle_timeout`], if anything is pending.
    pub fn poll_timeout(&self) -> Option<Millis> {
        None
    }

    /// Where keys go now.
    pub fn input_mode(&self) -> InputMode {
        InputMode::CmdLine
    }

    /// The screen.
    pub fn console(&self) -> &Console {
        &self.console
    }

    /// The screen, for draining its transcript.
    pub fn console_mut(&mut self) -> &mut Console {
        &mut self.console
    }
}
