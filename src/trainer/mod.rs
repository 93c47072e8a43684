//! The trainer: guided lessons, step checks that watch the simulation, troubleshooting
//! challenges and progress, as pure data and logic (no I/O, no clock: time is passed in).
//!
//! How a front end uses it:
//! - list [`builtin::lessons`] / [`builtin::challenges`] (or a [`file::ScenarioFile`] an
//!   instructor opened), get an exercise and its world with [`builtin::lesson`] /
//!   [`builtin::challenge`], and build a [`crate::windows::Workstation`] in that world;
//! - lessons: [`LessonRun::new`], then [`LessonRun::drive`] after every key or timeout,
//!   [`LessonRun::hint`] on demand; each [`RunEvent`] goes to [`Progress::record_lesson_event`];
//! - challenges: [`ChallengeRun::new`], [`ChallengeRun::observe`] per event,
//!   [`ChallengeRun::answer`], then [`Progress::record_challenge`]; [`pick_random`] from a seed
//!   shown to the class;
//! - progress: [`Progress::load`] the stored text, store [`Progress::to_json`], keep
//!   [`LoadOutcome::set_aside`] and show [`LoadOutcome::message`] once.

pub mod builtin;
pub mod challenge;
pub mod check;
/// The instructor file format (lives with the scenario types it builds on).
pub use crate::scenario::file;
pub mod keys;
pub mod lesson;
pub mod progress;
pub mod verify;
pub mod world;

pub use challenge::{
    fault_info, fault_infos, parse_seed, pick_random, Challenge, ChallengeRun, FaultInfo, Verdict,
};
pub use check::{Check, Latch, LinePart, LineTap, SentLine, SimView};
pub use file::{ScenarioFile, MAX_SCENARIO_BYTES};
pub use keys::{parse_keys, type_keys};
pub use lesson::{Lesson, LessonRun, Mistake, RunEvent, Step, StepRecord};
pub use progress::{
    ChallengeProgress, LessonProgress, LoadOutcome, Progress, StepProgress, PROGRESS_VERSION,
};
pub use verify::{messages_opened, verify_challenge, verify_lesson};
pub use world::WorldSpec;
