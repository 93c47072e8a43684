//! Keystrokes as text, for lesson solutions and challenge investigations: what a learner types,
//! written so a reader can follow it and a test (or a "show me" mode) can replay it.
//!
//! Every character is a key; a line break is Enter. Special keys go in braces: `{enter}`,
//! `{bs}` (Backspace), `{ctrl+]}`, `{ctrl+c}`, `{tab}`, `{esc}`, `{up}`, `{down}`, `{left}`,
//! `{right}`, `{home}`, `{end}`, `{del}`; `{{` is a literal `{`. So the Backspace quirk is
//! `MAIX{bs}L FROM:Admin@test.com` and leaving a session for the Telnet prompt is `{ctrl+]}`.

use crate::clock::Millis;
use crate::windows::drive::run_until_idle;
use crate::windows::{Key, Workstation};

/// Reads keystroke notation. The error says which brace name is unknown or unclosed.
pub fn parse_keys(text: &str) -> Result<Vec<Key>, String> {
    let mut keys = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                // A CRLF in a file is one Enter.
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                keys.push(Key::Enter);
            }
            '\n' => keys.push(Key::Enter),
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                keys.push(Key::Char('{'));
            }
            '{' => {
                let mut name = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(ch) => name.push(ch),
                        None => return Err(format!("`{{{name}` is not closed with `}}`")),
                    }
                }
                keys.push(named_key(&name)?);
            }
            c => keys.push(Key::Char(c)),
        }
    }
    Ok(keys)
}

fn named_key(name: &str) -> Result<Key, String> {
    Ok(match name.trim().to_ascii_lowercase().as_str() {
        "enter" => Key::Enter,
        "bs" | "backspace" => Key::Backspace,
        "ctrl+]" => Key::CtrlBracket,
        "ctrl+c" => Key::CtrlC,
        "tab" => Key::Tab,
        "esc" | "escape" => Key::Escape,
        "up" => Key::Up,
        "down" => Key::Down,
        "left" => Key::Left,
        "right" => Key::Right,
        "home" => Key::Home,
        "end" => Key::End,
        "del" | "delete" => Key::Delete,
        other => {
            return Err(format!(
                "unknown key `{{{other}}}`; expected enter, bs, ctrl+], ctrl+c, tab, esc, up, down, left, right, home, end or del"
            ))
        }
    })
}

/// Types `keys` one at a time, each once the workstation is idle (as `replay` does), calling
/// `after` with the workstation and the time after every key and every wait (a lesson run
/// drains events there). `gap` is the think time between keys. Returns the time reached.
pub fn type_keys(
    ws: &mut Workstation,
    keys: &[Key],
    mut now: Millis,
    gap: Millis,
    mut after: impl FnMut(&mut Workstation, Millis),
) -> Millis {
    for key in keys {
        run_until_idle(ws, &mut now);
        after(ws, now);
        now += gap;
        ws.handle_key(*key, now);
        after(ws, now);
    }
    run_until_idle(ws, &mut now);
    after(ws, now);
    now
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notation_reads_to_keys() {
        let table: &[(&str, &[Key])] = &[
            ("ab\n", &[Key::Char('a'), Key::Char('b'), Key::Enter]),
            ("a\r\nb", &[Key::Char('a'), Key::Enter, Key::Char('b')]),
            (
                "X{bs}{Enter}",
                &[Key::Char('X'), Key::Backspace, Key::Enter],
            ),
            ("{ctrl+]}{ctrl+c}", &[Key::CtrlBracket, Key::CtrlC]),
            ("{{x}", &[Key::Char('{'), Key::Char('x'), Key::Char('}')]),
            ("", &[]),
        ];
        for (text, want) in table {
            assert_eq!(parse_keys(text).as_deref(), Ok(*want), "{text:?}");
        }
    }

    #[test]
    fn bad_notation_says_why() {
        assert!(parse_keys("{f1}").is_err_and(|e| e.contains("f1")));
        assert!(parse_keys("abc{enter").is_err_and(|e| e.contains("not closed")));
    }
}
