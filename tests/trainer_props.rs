//! Invariants of the trainer's inputs from outside: instructor files and keystroke notation
//! never panic, and a lesson run never goes backwards or passes a step twice.

use proptest::prelude::*;
use smtp_trainer::trainer::file::ScenarioFile;
use smtp_trainer::trainer::{builtin, parse_keys, LessonRun, RunEvent};
use smtp_trainer::windows::{Key, Workstation};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any text is either a valid file or a list of located problems.
    #[test]
    fn scenario_files_never_panic(text in any::<String>()) {
        if let Err(errors) = ScenarioFile::parse(&text) {
            prop_assert!(!errors.is_empty());
            let lines = text.lines().count().max(1);
            for e in errors {
                prop_assert!(e.line.is_none_or(|l| l >= 1 && l <= lines + 1), "{e}");
            }
        }
    }

    /// Files that look like scenario files (TOML fragments of the format) never panic either.
    #[test]
    fn near_miss_files_never_panic(
        parts in proptest::collection::vec(prop_oneof![
            Just("[[lessons]]\n"), Just("id = \"a\"\n"), Just("[[lessons.steps]]\n"),
            Just("check = { check = \"reply-received\", code = 250 }\n"),
            Just("[[challenges]]\n"), Just("world = { faults = [\"dns-down\"] }\n"),
            Just("options = [\"dns-down\"]\n"), Just("[world]\n"), Just("title = 1\n"),
            Just("solution = \"{bs\"\n"), Just("{\"lessons\": [}\n"),
        ], 0..12),
    ) {
        let text: String = parts.concat();
        let _ = ScenarioFile::parse(&text);
    }

    /// The notation reads every string without panicking, and plain text maps key for key.
    #[test]
    fn keystroke_notation_never_panics(text in any::<String>(), plain in "[a-zA-Z0-9 :.@]{0,40}") {
        let _ = parse_keys(&text);
        let keys = parse_keys(&plain).unwrap_or_default();
        prop_assert_eq!(keys.len(), plain.chars().count());
    }

    /// Random typing never makes a lesson pass a step twice or out of order.
    #[test]
    fn lesson_runs_only_move_forward(
        keys in proptest::collection::vec(prop_oneof![
            Just(Key::Enter), Just(Key::Backspace), Just(Key::CtrlBracket),
            "[a-zA-Z0-9 .:@]".prop_map(|s| Key::Char(s.chars().next().unwrap_or('x'))),
        ], 0..80),
        which in 0usize..10,
    ) {
        let lessons = builtin::lessons();
        let lesson = lessons[which % lessons.len()];
        let (_, world) = builtin::lesson(&lesson.id).expect("built-in");
        let mut ws = Workstation::new(world, 1, 0);
        let mut run = LessonRun::new(lesson.clone(), 0);
        let mut now = 0;
        let mut passed = Vec::new();
        for key in keys {
            now += 100;
            ws.handle_key(key, now);
            if let Some(t) = ws.poll_timeout() {
                now = now.max(t);
                ws.handle_timeout(now);
            }
            for e in run.drive(&mut ws, now) {
                if let RunEvent::StepPassed { step, .. } = e {
                    passed.push(step);
                }
            }
        }
        let want: Vec<usize> = (0..passed.len()).collect();
        prop_assert_eq!(passed, want);
    }
}
