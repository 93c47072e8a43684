//! The simulated Windows workstation: console, cmd.exe, the Microsoft Telnet client, ping,
//! nslookup and ipconfig, over the simulated network of [`crate::net`].
//!
//! The way of a keystroke: the edge turns a key press into a [`Key`] and calls
//! [`Workstation::handle_key`]; the workstation routes it to the cmd line editor or, inside a
//! Telnet session, to the Telnet client, which sends the byte over a simulated TCP connection
//! to an SMTP [`crate::smtp::Session`]; replies come back and are written to the [`Console`].

mod cmd;
mod cmdline;
pub mod console;
pub mod drive;
mod editor;
mod files;
mod filters;
mod ipconfig;
mod machine;
mod nsdebug;
mod nslookup;
mod ping;
mod route;
mod script;
mod telnet;
pub mod text;
mod tracert;
mod workstation;

pub use console::Console;
pub use machine::{EventLogEntry, SimEvent};
pub use workstation::Workstation;

/// A key as the learner pressed it. The edge maps its own events (DOM keydown, stdin bytes)
/// to these; the workstation decides what each means where the focus is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key {
    /// A printable character (or any character the edge could not map otherwise).
    Char(char),
    Enter,
    Backspace,
    Tab,
    Escape,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    Delete,
    /// Ctrl+C: stops `ping -t`, cancels a cmd line.
    CtrlC,
    /// Ctrl+]: Telnet's escape character, back to the `Microsoft Telnet>` prompt.
    CtrlBracket,
}

impl Key {
    /// Maps a raw input byte as `smtp-trainer replay` reads it: CR or LF is Enter, 0x08
    /// Backspace, 0x1D Ctrl+], 0x03 Ctrl+C, every other byte a key of its own.
    pub fn from_byte(b: u8) -> Key {
        match b {
            b'\r' | b'\n' => Key::Enter,
            0x08 => Key::Backspace,
            0x1d => Key::CtrlBracket,
            0x03 => Key::CtrlC,
            b'\t' => Key::Tab,
            0x1b => Key::Escape,
            0x7f => Key::Delete,
            b => Key::Char(b as char),
        }
    }
}

/// Where keystrokes go right now; the UI uses it to pick its input behaviour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputMode {
    /// The cmd.exe line editor (Backspace, arrows and history work).
    CmdLine,
    /// The `Microsoft Telnet>` prompt (a line editor too).
    TelnetPrompt,
    /// Inside a Telnet session: every key is sent to the server as it is typed.
    TelnetSession,
    /// The interactive `nslookup` prompt.
    Nslookup,
    /// A program is running (ping, a connect attempt); keys other than Ctrl+C wait.
    Busy,
}

/// The name of a command-line switch (`-n`, `/N` → `n`), lower-cased; `None` for an ordinary
/// argument. Windows tools take `-` and `/` alike.
fn switch(arg: &str) -> Option<String> {
    let is_switch = arg.len() > 1 && (arg.starts_with('-') || arg.starts_with('/'));
    is_switch.then(|| arg[1..].to_ascii_lowercase())
}
