//! A learner's progress: steps, lessons and challenges done, with time taken and hints used,
//! and whether "Show me" did them (watched) or the learner did.
//! Pure data with a versioned JSON form; the browser keeps it in localStorage, but nothing
//! here knows that.
//!
//! Loading never fails hard: stored text that is corrupt, too large or from an unknown version
//! gives fresh progress, the bad copy handed back to be kept aside, and a message to show
//! once. Text from an older version is migrated.

use super::lesson::RunEvent;
use crate::clock::Millis;
use crate::scenario::tree::from_value;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The version [`Progress`] is written with.
pub const PROGRESS_VERSION: u32 = 2;
/// Larger stored text is not parsed (it cannot be real progress; it may be a full disk's junk).
pub const MAX_PROGRESS_BYTES: usize = 1 << 20;
/// The storage key the browser keeps progress under (one place, so every edge agrees).
pub const STORAGE_KEY: &str = "smtp-trainer.progress";
/// The storage key for a copy that could not be read.
pub const SET_ASIDE_KEY: &str = "smtp-trainer.progress.unreadable";

/// Time and hints of one finished step.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepProgress {
    /// Milliseconds from the step becoming current to it passing.
    pub took: Millis,
    pub hints: u32,
    /// Typed by "Show me", not the learner. Absent in older data, which is the learner's.
    #[serde(default)]
    pub watched: bool,
}

/// One lesson's progress.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LessonProgress {
    /// Finished steps by index (0-based).
    pub steps: BTreeMap<u32, StepProgress>,
    pub completed: bool,
    /// Best (shortest) whole-lesson time; 0 when unknown (migrated data).
    pub took: Millis,
    /// Hints used in the run that gave `took`.
    pub hints: u32,
    /// That run was (partly) typed by "Show me": the learner watched rather than did it.
    pub watched: bool,
}

/// One challenge's progress.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChallengeProgress {
    pub solved: bool,
    /// Answers given, over all tries.
    pub attempts: u32,
    /// Time of the first solve; 0 when unknown.
    pub took: Millis,
    pub hints: u32,
}

/// Everything the trainer remembers about a learner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Progress {
    pub version: u32,
    pub lessons: BTreeMap<String, LessonProgress>,
    pub challenges: BTreeMap<String, ChallengeProgress>,
}

impl Default for Progress {
    fn default() -> Self {
        Progress {
            version: PROGRESS_VERSION,
            lessons: BTreeMap::new(),
            challenges: BTreeMap::new(),
        }
    }
}

/// Version 1: only the ids of what was completed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ProgressV1 {
    completed_lessons: Vec<String>,
    completed_challenges: Vec<String>,
}

/// What loading found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadOutcome {
    /// The progress to use: what was stored, migrated, or fresh.
    pub progress: Progress,
    /// Stored text that could not be used: keep it aside (under [`SET_ASIDE_KEY`]) so
    /// nothing is lost, and write `progress` in its place.
    pub set_aside: Option<String>,
    /// Tell the learner once.
    pub message: Option<String>,
    /// The version migrated from, if the text was older.
    pub migrated_from: Option<u32>,
}

impl Progress {
    /// Reads stored text, whatever state it is in. Empty text is a first visit.
    pub fn load(text: &str) -> LoadOutcome {
        let fresh = |message: String| LoadOutcome {
            progress: Progress::default(),
            set_aside: Some(text.to_string()),
            message: Some(message),
            migrated_from: None,
        };
        if text.trim().is_empty() {
            return LoadOutcome {
                progress: Progress::default(),
                set_aside: None,
                message: None,
                migrated_from: None,
            };
        }
        match Progress::parse(text) {
            Ok((progress, from)) => LoadOutcome {
                message: from.map(|v| {
                    format!("Your progress was saved by an older version ({v}) and has been updated.")
                }),
                progress,
                set_aside: None,
                migrated_from: from,
            },
            Err(e) => fresh(format!(
                "Your saved progress could not be read ({e}), so the trainer starts afresh. The old copy was kept aside."
            )),
        }
    }

    /// Reads an exported file; unlike [`Progress::load`] it refuses bad data with a reason,
    /// so a learner importing the wrong file is told rather than silently reset.
    pub fn import(text: &str) -> Result<Progress, String> {
        Progress::parse(text).map(|(p, _)| p)
    }

    /// The JSON to store or export.
    pub fn to_json(&self) -> String {
        // Maps of strings and numbers always serialize; the fallback is never used.
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".into())
    }

    /// Forgets everything.
    pub fn reset(&mut self) {
        *self = Progress::default();
    }

    /// Parses any known version; returns the progress and the version migrated from.
    fn parse(text: &str) -> Result<(Progress, Option<u32>), String> {
        if text.len() > MAX_PROGRESS_BYTES {
            return Err(format!("larger than {} bytes", MAX_PROGRESS_BYTES));
        }
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
        let version = value
            .get("version")
            .ok_or("no version field")?
            .as_u64()
            .ok_or("the version is not a number")?;
        match version {
            1 => {
                let old: ProgressV1 =
                    from_value(&value).map_err(|e| format!("version 1 data is damaged: {e}"))?;
                Ok((Progress::from_v1(old), Some(1)))
            }
            2 => from_value(&value)
                .map(|p| (p, None))
                .map_err(|e| format!("damaged: {e}")),
            v => Err(format!(
                "saved by a newer version ({v}) than this one understands ({PROGRESS_VERSION})"
            )),
        }
    }

    fn from_v1(old: ProgressV1) -> Progress {
        let mut p = Progress::default();
        for id in old.completed_lessons {
            p.lessons.entry(id).or_default().completed = true;
        }
        for id in old.completed_challenges {
            p.challenges.entry(id).or_default().solved = true;
        }
        p
    }

    // ---- recording -----------------------------------------------------------------------

    /// Records what a lesson run reported.
    pub fn record_lesson_event(&mut self, lesson_id: &str, event: &RunEvent) {
        let lesson = self.lessons.entry(lesson_id.to_string()).or_default();
        match event {
            // The learner's own run beats a watched one whatever the time; then the shorter
            // time wins (`false < true` in the tuples).
            RunEvent::StepPassed {
                step,
                took,
                hints,
                watched,
                ..
            } => {
                let step = u32::try_from(*step).unwrap_or(u32::MAX);
                let better = lesson
                    .steps
                    .get(&step)
                    .is_none_or(|s| (*watched, *took) < (s.watched, s.took));
                if better {
                    lesson.steps.insert(
                        step,
                        StepProgress {
                            took: *took,
                            hints: *hints,
                            watched: *watched,
                        },
                    );
                }
            }
            RunEvent::LessonCompleted {
                took,
                hints,
                watched,
            } => {
                // A time of 0 is unknown (migrated data): any run of the same kind replaces it.
                if !lesson.completed
                    || (lesson.took == 0 && lesson.watched == *watched)
                    || (*watched, *took) < (lesson.watched, lesson.took)
                {
                    lesson.took = *took;
                    lesson.hints = *hints;
                    lesson.watched = *watched;
                }
                lesson.completed = true;
            }
            // Told to the learner at the time; progress keeps what was achieved.
            RunEvent::MistakeSeen { .. } => {}
        }
    }

    /// Records an answer to a challenge.
    pub fn record_challenge(&mut self, id: &str, solved: bool, took: Millis, hints: u32) {
        let c = self.challenges.entry(id.to_string()).or_default();
        c.attempts = c.attempts.saturating_add(1);
        if solved && !c.solved {
            c.solved = true;
            c.took = took;
            c.hints = hints;
        }
    }

    /// Whether a lesson was completed.
    pub fn lesson_completed(&self, id: &str) -> bool {
        self.lessons.get(id).is_some_and(|l| l.completed)
    }

    /// Whether a lesson was completed only by watching "Show me".
    pub fn lesson_watched(&self, id: &str) -> bool {
        self.lessons
            .get(id)
            .is_some_and(|l| l.completed && l.watched)
    }

    /// Whether a challenge was solved.
    pub fn challenge_solved(&self, id: &str) -> bool {
        self.challenges.get(id).is_some_and(|c| c.solved)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Progress {
        let mut p = Progress::default();
        p.record_lesson_event(
            "kb153119-basic",
            &RunEvent::StepPassed {
                step: 0,
                took: 1_500,
                hints: 1,
                explanation: String::new(),
                watched: false,
            },
        );
        p.record_lesson_event(
            "kb153119-basic",
            &RunEvent::LessonCompleted {
                took: 60_000,
                hints: 1,
                watched: false,
            },
        );
        p.record_challenge("dns-down", false, 0, 0);
        p.record_challenge("dns-down", true, 30_000, 2);
        p
    }

    #[test]
    fn progress_round_trips_through_json() {
        let p = sample();
        let out = Progress::load(&p.to_json());
        assert_eq!(out.progress, p);
        assert_eq!(
            (out.set_aside, out.message, out.migrated_from),
            (None, None, None)
        );
        assert_eq!(Progress::import(&p.to_json()), Ok(p.clone()));
        let c = &p.challenges["dns-down"];
        assert_eq!(
            (c.solved, c.attempts, c.took, c.hints),
            (true, 2, 30_000, 2)
        );
        assert!(p.lesson_completed("kb153119-basic"));
    }

    #[test]
    fn bad_stored_text_falls_back_and_is_kept_aside() {
        let table = [
            "{\"version\": 2, \"lessons\": ",
            "not json at all",
            "{\"lessons\": {}}",
            "{\"version\": \"two\"}",
            "{\"version\": 99}",
            "{\"version\": 2, \"lessons\": {\"x\": {\"took\": -5}}}",
            "[1, 2, 3]",
        ];
        for text in table {
            let out = Progress::load(text);
            assert_eq!(out.progress, Progress::default(), "{text}");
            assert_eq!(out.set_aside.as_deref(), Some(text), "{text}");
            assert!(out.message.is_some(), "{text}");
            assert!(Progress::import(text).is_err(), "{text}");
        }
        let huge = format!(
            "{{\"version\": 2, \"pad\": \"{}\"}}",
            "x".repeat(MAX_PROGRESS_BYTES)
        );
        assert!(Progress::load(&huge).set_aside.is_some());
    }

    #[test]
    fn empty_storage_is_a_first_visit_with_nothing_to_say() {
        for text in ["", "  \n"] {
            let out = Progress::load(text);
            assert_eq!(out.progress, Progress::default());
            assert_eq!((out.set_aside, out.message), (None, None));
        }
    }

    #[test]
    fn version_one_is_migrated() {
        let out = Progress::load(
            "{\"version\": 1, \"completed_lessons\": [\"q115492\"], \"completed_challenges\": [\"dns-down\"]}",
        );
        assert_eq!(out.migrated_from, Some(1));
        assert!(out.message.is_some());
        assert!(out.set_aside.is_none());
        assert!(out.progress.lesson_completed("q115492"));
        assert!(out.progress.challenge_solved("dns-down"));
        assert_eq!(out.progress.version, PROGRESS_VERSION);
    }

    #[test]
    fn best_times_are_kept_and_reset_forgets() {
        let mut p = sample();
        p.record_lesson_event(
            "kb153119-basic",
            &RunEvent::LessonCompleted {
                took: 90_000,
                hints: 0,
                watched: false,
            },
        );
        assert_eq!(p.lessons["kb153119-basic"].took, 60_000);
        p.record_lesson_event(
            "kb153119-basic",
            &RunEvent::LessonCompleted {
                took: 40_000,
                hints: 0,
                watched: false,
            },
        );
        assert_eq!(p.lessons["kb153119-basic"].took, 40_000);
        p.reset();
        assert_eq!(p, Progress::default());
    }

    fn completed(took: Millis, hints: u32, watched: bool) -> RunEvent {
        RunEvent::LessonCompleted {
            took,
            hints,
            watched,
        }
    }

    fn step0(took: Millis, watched: bool) -> RunEvent {
        RunEvent::StepPassed {
            step: 0,
            took,
            hints: 1,
            explanation: String::new(),
            watched,
        }
    }

    #[test]
    fn a_watched_run_is_told_apart_and_never_replaces_the_learners_own() {
        let mut p = Progress::default();
        p.record_lesson_event("a", &step0(9_000, true));
        p.record_lesson_event("a", &completed(9_000, 1, true));
        let a = &p.lessons["a"];
        assert_eq!((a.completed, a.watched, a.hints), (true, true, 1));
        assert!(a.steps[&0].watched);
        assert!(p.lesson_watched("a") && p.lesson_completed("a"));
        // The learner's own run replaces it, slower or not, and a faster watch does not undo it.
        p.record_lesson_event("a", &step0(20_000, false));
        p.record_lesson_event("a", &completed(20_000, 0, false));
        p.record_lesson_event("a", &step0(1_000, true));
        p.record_lesson_event("a", &completed(1_000, 0, true));
        let a = &p.lessons["a"];
        assert_eq!((a.took, a.hints, a.watched), (20_000, 0, false));
        assert_eq!(
            a.steps[&0],
            StepProgress {
                took: 20_000,
                hints: 1,
                watched: false
            }
        );
        assert!(!p.lesson_watched("a"));
        // Migrated completions (time unknown) are the learner's: a watch does not replace them.
        let mut old = Progress::load("{\"version\": 1, \"completed_lessons\": [\"b\"]}").progress;
        old.record_lesson_event("b", &completed(5_000, 0, true));
        assert!(!old.lesson_watched("b"));
        // The mark is exported and read back.
        assert_eq!(Progress::import(&p.to_json()), Ok(p.clone()));
        assert!(p.to_json().contains("\"watched\": false"));
    }

    #[test]
    fn progress_saved_before_watched_existed_still_loads() {
        let text = r#"{"version": 2, "lessons": {"a": {"steps": {"0": {"took": 5, "hints": 2}},
            "completed": true, "took": 5, "hints": 2}}, "challenges": {}}"#;
        let out = Progress::load(text);
        assert_eq!((out.set_aside, out.message), (None, None));
        let a = &out.progress.lessons["a"];
        assert_eq!(
            (a.watched, a.steps[&0].watched, a.steps[&0].hints),
            (false, false, 2)
        );
        assert!(Progress::import(text).is_ok());
    }
}
