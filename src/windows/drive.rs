//! Driving a workstation the way `smtp-trainer replay` and the golden transcripts do: each
//! key delivered once the simulation is idle, virtual time jumping straight to the next timer.

use super::{Key, Workstation};
use crate::clock::Millis;

/// Timer steps allowed while waiting for idle before giving up (a guard, never reached by a
/// working simulation: even a 21 s connect timeout is one step).
const MAX_STEPS: usize = 100_000;

/// Advances virtual time until the workstation waits for the learner. Returns `false` if it
/// never got there (no timer pending yet not idle, or the guard tripped).
pub fn run_until_idle(ws: &mut Workstation, now: &mut Millis) -> bool {
    for _ in 0..MAX_STEPS {
        if ws.is_idle() {
            return true;
        }
        match ws.poll_timeout() {
            Some(t) => {
                *now = (*now).max(t);
                ws.handle_timeout(*now);
            }
            None => return false,
        }
    }
    false
}

/// Maps input bytes to keys as `replay` reads them: CR, LF or CR LF is one Enter, 0x08
/// Backspace, 0x1D Ctrl+], 0x03 Ctrl+C; UTF-8 sequences become one character each.
pub fn keys_from_bytes(bytes: &[u8]) -> Vec<Key> {
    let text = String::from_utf8_lossy(bytes);
    let mut keys = Vec::with_capacity(text.len());
    let mut prev_cr = false;
    for c in text.chars() {
        if c == '\n' && prev_cr {
            prev_cr = false;
            continue;
        }
        prev_cr = c == '\r';
        keys.push(if c.is_ascii() {
            Key::from_byte(c as u8)
        } else {
            Key::Char(c)
        });
    }
    keys
}

/// Types `keys` one by one, each when the workstation is idle, handing every finished piece
/// of screen text to `out` as it appears (clears as form feed lines). Ends idle, with the
/// current line (usually a prompt) written last without a line break.
pub fn replay(ws: &mut Workstation, keys: &[Key], now: &mut Millis, out: &mut dyn FnMut(&str)) {
    for &k in keys {
        run_until_idle(ws, now);
        ws.handle_key(k, *now);
        let t = ws.console_mut().take_transcript();
        if !t.is_empty() {
            out(&t);
        }
    }
    run_until_idle(ws, now);
    let t = ws.console_mut().take_transcript();
    out(&t);
    out(&ws.console().current_line());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_map_to_keys_with_crlf_as_one_enter() {
        let keys = keys_from_bytes(b"a\r\nb\n\x08\x1d\x03\r\r");
        assert_eq!(
            keys,
            vec![
                Key::Char('a'),
                Key::Enter,
                Key::Char('b'),
                Key::Enter,
                Key::Backspace,
                Key::CtrlBracket,
                Key::CtrlC,
                Key::Enter,
                Key::Enter,
            ]
        );
    }
}
