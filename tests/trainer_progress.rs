//! Progress as a learner's browser keeps it: recorded from a real lesson run, stored, then
//! read back whole, corrupted, from an older version, and from a newer one.

use proptest::prelude::*;
use smtp_trainer::trainer::{
    builtin, messages_opened, parse_keys, type_keys, LessonRun, Progress, PROGRESS_VERSION,
};
use smtp_trainer::windows::Workstation;

/// Runs the KB 153119 basic lesson with one hint, the message opened as it arrives, and
/// records it.
fn progress_after_basic_lesson() -> Progress {
    let (lesson, world) = builtin::lesson("kb153119-basic").expect("lesson");
    let keys = parse_keys(lesson.solution.as_deref().unwrap_or("")).expect("keys");
    let mut ws = Workstation::new(world, 3, 0);
    let mut run = LessonRun::new(lesson.clone(), 0);
    run.hint();
    let mut progress = Progress::default();
    type_keys(&mut ws, &keys, 0, 250, |ws, now| {
        let mut out = run.drive(ws, now);
        for opened in messages_opened(ws.mail_store()) {
            out.extend(run.observe(&opened, ws, now));
        }
        for e in out {
            progress.record_lesson_event(&lesson.id, &e);
        }
    });
    progress
}

#[test]
fn a_completed_lesson_survives_storage_with_times_and_hints() {
    let progress = progress_after_basic_lesson();
    let stored = progress.to_json();
    let loaded = Progress::load(&stored);
    assert_eq!(loaded.message, None);
    assert_eq!(loaded.progress, progress);
    let lesson = &loaded.progress.lessons["kb153119-basic"];
    assert!(lesson.completed);
    assert_eq!(lesson.steps.len(), 10);
    assert_eq!(lesson.hints, 1);
    assert_eq!(lesson.steps[&0].hints, 1);
    assert!(lesson.took > 0);
    assert_eq!(Progress::import(&stored), Ok(progress));
}

#[test]
fn corrupt_storage_starts_afresh_keeps_the_bad_copy_and_says_so_once() {
    let stored = progress_after_basic_lesson().to_json();
    // A write cut short (a full disk, a closed tab).
    let cut = &stored[..stored.len() / 2];
    let first = Progress::load(cut);
    assert_eq!(first.progress, Progress::default());
    assert_eq!(first.set_aside.as_deref(), Some(cut));
    assert!(first.message.is_some());
    // The fresh progress is stored in its place: the next load is quiet.
    let second = Progress::load(&first.progress.to_json());
    assert_eq!((second.message, second.set_aside), (None, None));
}

#[test]
fn old_and_future_versions() {
    let old = Progress::load(
        r#"{"version": 1, "completed_lessons": ["kb153119-basic", "q115492-ip-tcp"], "completed_challenges": ["dns-down"]}"#,
    );
    assert_eq!(old.migrated_from, Some(1));
    assert_eq!(old.progress.version, PROGRESS_VERSION);
    assert!(old.progress.lesson_completed("q115492-ip-tcp"));
    assert!(old.progress.challenge_solved("dns-down"));
    assert!(old.set_aside.is_none());

    let future = format!(
        r#"{{"version": {}, "lessons": {{}}}}"#,
        PROGRESS_VERSION + 1
    );
    let out = Progress::load(&future);
    assert_eq!(out.progress, Progress::default());
    assert_eq!(out.set_aside.as_deref(), Some(future.as_str()));
    assert!(out.message.is_some_and(|m| m.contains("newer")));
}

proptest! {
    /// Whatever the storage holds, loading gives usable progress and loses nothing: either
    /// the data was read, or it is handed back to be kept aside.
    #[test]
    fn loading_never_fails_and_never_loses_data(text in any::<String>()) {
        let out = Progress::load(&text);
        prop_assert_eq!(out.progress.version, PROGRESS_VERSION);
        if out.set_aside.is_none() && !text.trim().is_empty() {
            prop_assert!(Progress::import(&text).is_ok());
        }
    }

    /// Recorded progress reads back exactly.
    #[test]
    fn progress_round_trips(
        lessons in proptest::collection::vec(("[a-z0-9-]{1,12}", 0u64..10_000_000, 0u32..20, any::<bool>()), 0..8),
        challenges in proptest::collection::vec(("[a-z0-9-]{1,12}", any::<bool>(), 0u64..10_000_000), 0..8),
    ) {
        let mut p = Progress::default();
        for (id, took, hints, watched) in &lessons {
            p.record_lesson_event(id, &smtp_trainer::trainer::RunEvent::LessonCompleted { took: *took, hints: *hints, watched: *watched });
        }
        for (id, solved, took) in &challenges {
            p.record_challenge(id, *solved, *took, 0);
        }
        let out = Progress::load(&p.to_json());
        prop_assert_eq!(out.progress, p);
        prop_assert!(out.message.is_none());
    }
}
