//! Guided lessons: a procedure from a KB article as data, and a [`LessonRun`] that watches the
//! simulation and moves through the steps as the learner really does them.
//!
//! A UI drives a run with a few calls: [`LessonRun::new`] when the lesson opens (and
//! [`Lesson::world`] resolved into a [`crate::windows::Workstation`]), [`LessonRun::drive`]
//! after every key or timeout it passes to the workstation, [`LessonRun::hint`] when the
//! learner asks, and the getters to show the current step. Time is passed in, never read.

use super::check::{Check, Latch, LineTap, SentLine, SimView};
use super::world::WorldSpec;
use crate::clock::Millis;
use crate::windows::{SimEvent, Workstation};
use serde::{Deserialize, Serialize};

/// One guided lesson, as written in a `[[lessons]]` table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    /// Stable identifier, used in progress and URLs (`kb153119-basic`).
    pub id: String,
    pub title: String,
    /// The article it teaches, e.g. `KB 153119`.
    pub source: String,
    /// One paragraph shown before the first step: what the learner will do and why.
    pub summary: String,
    /// The world the lesson runs in.
    #[serde(default)]
    pub world: WorldSpec,
    pub steps: Vec<Step>,
    /// Mistakes watched for at every step (each told once per step), such as a command
    /// corrected with Backspace, which any step of a Telnet session can meet.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mistakes: Vec<Mistake>,
    /// Keystrokes that complete every step, in the notation of [`super::keys`]. Tests type
    /// them to prove the lesson can be passed; a "show me" mode can replay them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub solution: Option<String>,
}

/// One step of a lesson.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// What to do, precisely enough to follow without the article.
    pub instruction: String,
    /// What the simulation must show for the step to pass.
    #[serde(
        deserialize_with = "crate::scenario::tagged::deserialize",
        serialize_with = "crate::scenario::tagged::serialize"
    )]
    pub check: Check,
    /// Shown on demand: the exact command to type.
    pub hint: String,
    /// Shown once the step passes: why it worked and what the reply means.
    pub explanation: String,
    /// Common ways a learner goes wrong at this step, each told once when seen, so a lesson
    /// that cannot pass any more (the message already ended without its blank line) says why
    /// and how to get back on track instead of waiting in silence.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mistakes: Vec<Mistake>,
}

/// A mistake a step watches for, as written in a `[[lessons.steps.mistakes]]` table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Mistake {
    /// What the learner did instead, as a check over the simulation (like a step's `check`).
    #[serde(
        deserialize_with = "crate::scenario::tagged::deserialize",
        serialize_with = "crate::scenario::tagged::serialize"
    )]
    pub when: Check,
    /// What to tell them: what happened, and what to do now.
    pub say: String,
}

/// What a run reports as the learner progresses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum RunEvent {
    /// Step `step` (0-based) passed after `took` milliseconds with `hints` hints; `watched`
    /// when "Show me" typed it rather than the learner.
    StepPassed {
        step: usize,
        took: Millis,
        hints: u32,
        explanation: String,
        watched: bool,
    },
    /// The last step passed; `watched` when "Show me" typed any step.
    LessonCompleted {
        took: Millis,
        hints: u32,
        watched: bool,
    },
    /// One of step `step`'s mistakes was seen (each is told once per step).
    MistakeSeen { step: usize, say: String },
}

/// Time and hints of one step.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepRecord {
    /// When the step became current.
    pub started: Millis,
    /// When it passed.
    pub passed: Option<Millis>,
    pub hints: u32,
    /// Passed while "Show me" typed ([`LessonRun::mark_watched`]), so not the learner's own work.
    pub watched: bool,
}

/// A lesson in progress.
#[derive(Debug, Clone)]
pub struct LessonRun {
    lesson: Lesson,
    current: usize,
    latch: Latch,
    records: Vec<StepRecord>,
    started: Millis,
    tap: LineTap,
    /// The current step's mistakes: a latch each, and whether it was told.
    mistakes: Vec<(Latch, bool)>,
    /// Messages the learner opened ([`SimEvent::MessageOpened`]): what was read stays read,
    /// so a message opened before the step that asks for it still counts.
    opened: Vec<SimEvent>,
    /// "Show me" types from now on: the steps passed are watched, not done.
    watching: bool,
}

/// The mistakes watched for at `step`: its own, then the lesson's.
fn watched(lesson: &Lesson, step: usize) -> impl Iterator<Item = &Mistake> {
    let own = lesson.steps.get(step).map(|s| s.mistakes.as_slice());
    let general = if step < lesson.steps.len() {
        lesson.mistakes.as_slice()
    } else {
        &[]
    };
    own.unwrap_or_default().iter().chain(general)
}

/// Fresh latches for the mistakes watched for at `step`.
fn mistake_latches(lesson: &Lesson, step: usize) -> Vec<(Latch, bool)> {
    watched(lesson, step)
        .map(|m| (m.when.latch(), false))
        .collect()
}

impl LessonRun {
    /// Starts `lesson` at its first step at `now`.
    pub fn new(lesson: Lesson, now: Millis) -> LessonRun {
        let latch = lesson
            .steps
            .first()
            .map(|s| s.check.latch())
            .unwrap_or_default();
        let mut records = vec![StepRecord::default(); lesson.steps.len()];
        if let Some(first) = records.first_mut() {
            first.started = now;
        }
        let mistakes = mistake_latches(&lesson, 0);
        LessonRun {
            lesson,
            current: 0,
            latch,
            records,
            started: now,
            tap: LineTap::default(),
            mistakes,
            opened: Vec::new(),
            watching: false,
        }
    }

    /// Takes the hints used in an earlier run of this lesson (its [`LessonRun::records`]):
    /// "Show me" starts over, and a hint seen before it still counts.
    pub fn keep_hints(&mut self, earlier: &[StepRecord]) {
        for (new, old) in self.records.iter_mut().zip(earlier) {
            new.hints = old.hints;
        }
    }

    /// From now on the steps are typed by "Show me", not the learner: they pass as watched,
    /// so progress tells a lesson the learner did from one they saw done.
    pub fn mark_watched(&mut self) {
        self.watching = true;
    }

    /// Whether any step passed as watched.
    pub fn watched(&self) -> bool {
        self.records.iter().any(|r| r.watched)
    }

    // ---- getters -------------------------------------------------------------------------

    /// The lesson being run.
    pub fn lesson(&self) -> &Lesson {
        &self.lesson
    }

    /// Index of the step the learner is on; `None` once every step passed.
    pub fn current_step(&self) -> Option<usize> {
        (self.current < self.lesson.steps.len()).then_some(self.current)
    }

    /// The step the learner is on.
    pub fn step(&self) -> Option<&Step> {
        self.lesson.steps.get(self.current)
    }

    /// Whether every step passed.
    pub fn is_complete(&self) -> bool {
        self.current >= self.lesson.steps.len()
    }

    /// Time and hints per step, in step order.
    pub fn records(&self) -> &[StepRecord] {
        &self.records
    }

    /// Hints used so far over all steps.
    pub fn hints_used(&self) -> u32 {
        self.records.iter().map(|r| r.hints).sum()
    }

    /// Time since the lesson started, or its total once complete.
    pub fn elapsed(&self, now: Millis) -> Millis {
        let end = if self.is_complete() {
            self.records
                .iter()
                .filter_map(|r| r.passed)
                .max()
                .unwrap_or(now)
        } else {
            now
        };
        end.saturating_sub(self.started)
    }

    // ---- inputs --------------------------------------------------------------------------

    /// The current step's hint; counts it as used. `None` once the lesson is complete.
    pub fn hint(&mut self) -> Option<&str> {
        let record = self.records.get_mut(self.current)?;
        record.hints += 1;
        self.lesson.steps.get(self.current).map(|s| s.hint.as_str())
    }

    /// Feeds one thing that happened. Returns what passed because of it (state checks of the
    /// following steps are looked at too, so one event can pass several state steps).
    pub fn observe(&mut self, event: &SimEvent, view: &dyn SimView, now: Millis) -> Vec<RunEvent> {
        let mut out = Vec::new();
        if matches!(event, SimEvent::MessageOpened { .. }) && !self.opened.contains(event) {
            self.opened.push(event.clone());
        }
        if let Some(step) = self.lesson.steps.get(self.current) {
            if step.check.observe(Some(event), view, &mut self.latch) {
                self.pass(now, &mut out);
            } else {
                self.watch(|c, l| c.observe(Some(event), view, l), &mut out);
            }
        }
        self.settle(view, now, &mut out);
        out
    }

    /// Looks for the current step's mistakes with `seen` (one check against its latch) and
    /// reports each the first time it holds.
    fn watch(&mut self, seen: impl Fn(&Check, &mut Latch) -> bool, out: &mut Vec<RunEvent>) {
        for (mistake, (latch, told)) in
            watched(&self.lesson, self.current).zip(self.mistakes.iter_mut())
        {
            if !*told && seen(&mistake.when, latch) {
                *told = true;
                out.push(RunEvent::MistakeSeen {
                    step: self.current,
                    say: mistake.say.clone(),
                });
            }
        }
    }

    /// Feeds one line the Telnet client sent (for `line-sent` checks).
    pub fn observe_line(
        &mut self,
        line: &SentLine,
        view: &dyn SimView,
        now: Millis,
    ) -> Vec<RunEvent> {
        let mut out = Vec::new();
        if let Some(step) = self.lesson.steps.get(self.current) {
            if step.check.observe_line(line, view, &mut self.latch) {
                self.pass(now, &mut out);
            } else {
                self.watch(|c, l| c.observe_line(line, view, l), &mut out);
            }
        }
        self.settle(view, now, &mut out);
        out
    }

    /// Looks at state only (a mailbox, Telnet installed): for a UI that polls.
    pub fn sync(&mut self, view: &dyn SimView, now: Millis) -> Vec<RunEvent> {
        let mut out = Vec::new();
        self.settle(view, now, &mut out);
        out
    }

    /// Drains the workstation's events (and the lines its Telnet client sent) into the run,
    /// then looks at its state. Call it after each `handle_key` / `handle_timeout`, so events
    /// are seen in order. A UI that shows the events itself calls [`LessonRun::observe`] per
    /// event and [`LessonRun::observe_line`] per line of a [`LineTap`] instead.
    pub fn drive(&mut self, ws: &mut Workstation, now: Millis) -> Vec<RunEvent> {
        let mut out = Vec::new();
        // Lines first: what the client sent comes before the replies it caused.
        for line in self.tap.poll(ws) {
            out.extend(self.observe_line(&line, ws, now));
        }
        while let Some(event) = ws.poll_event() {
            out.extend(self.observe(&event, ws, now));
        }
        out.extend(self.sync(ws, now));
        out
    }

    /// Passes state steps for as long as the current one holds.
    fn settle(&mut self, view: &dyn SimView, now: Millis, out: &mut Vec<RunEvent>) {
        while let Some(step) = self.lesson.steps.get(self.current) {
            let mut holds = step.check.observe(None, view, &mut self.latch);
            for e in &self.opened {
                holds = step.check.observe(Some(e), view, &mut self.latch);
            }
            if !holds {
                break;
            }
            self.pass(now, out);
        }
    }

    fn pass(&mut self, now: Millis, out: &mut Vec<RunEvent>) {
        let i = self.current;
        let Some(record) = self.records.get_mut(i) else {
            return;
        };
        record.passed = Some(now);
        record.watched = self.watching;
        let took = now.saturating_sub(record.started);
        let (hints, watched) = (record.hints, record.watched);
        let explanation = self
            .lesson
            .steps
            .get(i)
            .map(|s| s.explanation.clone())
            .unwrap_or_default();
        out.push(RunEvent::StepPassed {
            step: i,
            took,
            hints,
            explanation,
            watched,
        });
        self.current += 1;
        match self.lesson.steps.get(self.current) {
            Some(next) => {
                self.latch = next.check.latch();
                self.mistakes = mistake_latches(&self.lesson, self.current);
                if let Some(r) = self.records.get_mut(self.current) {
                    r.started = now;
                }
            }
            None => out.push(RunEvent::LessonCompleted {
                took: now.saturating_sub(self.started),
                hints: self.hints_used(),
                watched: self.watched(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::smtp::{MailStore, StoredMessage};

    #[derive(Default)]
    struct Fake(MailStore);

    impl SimView for Fake {
        fn mail_store(&self) -> &MailStore {
            &self.0
        }
        fn telnet_installed(&self) -> bool {
            true
        }
    }

    /// The last step of the test lessons.
    const QUIT_STEP: &str = r#"
[[steps]]
instruction = "quit"
check = { check = "telnet-closed" }
hint = "QUIT"
explanation = "closed"
"#;

    fn parse(text: &str) -> Lesson {
        match toml::from_str(text) {
            Ok(l) => l,
            Err(e) => panic!("{e}"),
        }
    }

    fn lesson() -> Lesson {
        let text = r#"
id = "t"
title = "T"
source = "KB 153119"
summary = "s"

[[steps]]
instruction = "connect"
check = { check = "telnet-connected", port = 25 }
hint = "telnet mail.contoso.com 25"
explanation = "connected"

[[steps]]
instruction = "send"
check = { check = "mailbox-has-message", mailbox = "user@contoso.com" }
hint = "DATA"
explanation = "delivered"
"#;
        parse(&[text, QUIT_STEP].concat())
    }

    fn connected() -> SimEvent {
        SimEvent::TelnetConnected {
            host: "mail.contoso.com".into(),
            address: "10.0.0.25".into(),
            port: 25,
        }
    }

    #[test]
    fn steps_pass_in_order_with_time_and_hints() {
        let mut view = Fake::default();
        let mut run = LessonRun::new(lesson(), 1_000);
        assert_eq!(run.hint(), Some("telnet mail.contoso.com 25"));
        let closed = SimEvent::TelnetClosed {
            host: "mail".into(),
            by_server: false,
        };
        // An event for a later step does not pass the current one.
        assert!(run.observe(&closed, &view, 1_500).is_empty());
        let out = run.observe(&connected(), &view, 3_000);
        assert_eq!(
            out,
            [RunEvent::StepPassed {
                step: 0,
                took: 2_000,
                hints: 1,
                explanation: "connected".into(),
                watched: false,
            }]
        );
        assert_eq!(run.current_step(), Some(1));
        view.0.deliver(StoredMessage {
            mailbox: "user@contoso.com".into(),
            ..StoredMessage::default()
        });
        let out = run.sync(&view, 5_000);
        assert!(matches!(
            out[..],
            [RunEvent::StepPassed {
                step: 1,
                took: 2_000,
                ..
            }]
        ));
        let out = run.observe(&closed, &view, 6_000);
        assert_eq!(out.len(), 2);
        assert_eq!(
            out[1],
            RunEvent::LessonCompleted {
                took: 5_000,
                hints: 1,
                watched: false,
            }
        );
        assert!(run.is_complete());
        assert_eq!(run.hint(), None);
        assert_eq!(run.elapsed(99_000), 5_000);
    }

    #[test]
    fn show_me_keeps_the_hints_used_and_passes_steps_as_watched() {
        let mut view = Fake::default();
        let mut run = LessonRun::new(lesson(), 0);
        run.hint();
        run.hint();
        // "Show me" starts over: the hints stay, the steps it types are watched.
        let mut shown = LessonRun::new(lesson(), 1_000);
        shown.keep_hints(run.records());
        assert_eq!((shown.hints_used(), shown.watched()), (2, false));
        shown.mark_watched();
        let out = shown.observe(&connected(), &view, 2_000);
        assert!(matches!(
            out[..],
            [RunEvent::StepPassed {
                step: 0,
                hints: 2,
                watched: true,
                ..
            }]
        ));
        view.0.deliver(StoredMessage {
            mailbox: "user@contoso.com".into(),
            ..StoredMessage::default()
        });
        shown.sync(&view, 3_000);
        let closed = SimEvent::TelnetClosed {
            host: "mail".into(),
            by_server: false,
        };
        let out = shown.observe(&closed, &view, 4_000);
        assert_eq!(
            out.last(),
            Some(&RunEvent::LessonCompleted {
                took: 3_000,
                hints: 2,
                watched: true,
            })
        );
        // Starting again by hand is the learner's own run.
        assert!(!LessonRun::new(lesson(), 5_000).watched());
    }

    #[test]
    fn one_event_can_pass_a_step_and_the_state_steps_after_it() {
        let mut view = Fake::default();
        view.0.deliver(StoredMessage {
            mailbox: "user@contoso.com".into(),
            ..StoredMessage::default()
        });
        let mut run = LessonRun::new(lesson(), 0);
        let out = run.observe(&connected(), &view, 10);
        assert_eq!(out.len(), 2);
        assert_eq!(run.current_step(), Some(2));
    }

    fn headers_lesson() -> Lesson {
        let text = r#"
id = "h"
title = "H"
source = "KB 153119"
summary = "s"

[[mistakes]]
when = { check = "reply-received", backspace = true }
say = "Backspace was sent."

[[steps]]
instruction = "Subject, then a blank line"
check = { check = "all-of", of = [{ check = "line-sent", contains = "Subject:" }, { check = "line-sent", blank = true }] }
hint = "Subject: test"
explanation = "headers end"

[[steps.mistakes]]
when = { check = "reply-received", command = ".", code = 250 }
say = "The message ended before its blank line."
"#;
        parse(&[text, QUIT_STEP].concat())
    }

    /// A line of message text, as the tap reports it.
    fn sent(text: &str) -> SentLine {
        SentLine {
            text: text.into(),
            part: super::super::check::LinePart::Header,
        }
    }

    fn queued() -> SimEvent {
        SimEvent::SmtpReply {
            command: Some(".".into()),
            code: 250,
            lines: vec!["250 OK".into()],
            key: None,
        }
    }

    #[test]
    fn a_mistake_is_told_once_and_the_step_can_still_pass() {
        let view = Fake::default();
        let mut run = LessonRun::new(headers_lesson(), 0);
        // Subject, then the body at once: the blank line was forgotten; the message ends.
        let mut out = run.observe_line(&sent("Subject: test"), &view, 1);
        out.extend(run.observe_line(&sent("body"), &view, 2));
        assert!(out.is_empty(), "nothing passed, nothing wrong yet: {out:?}");
        let said = run.observe(&queued(), &view, 3);
        assert_eq!(
            said,
            vec![RunEvent::MistakeSeen {
                step: 0,
                say: "The message ended before its blank line.".into()
            }]
        );
        assert_eq!(run.observe(&queued(), &view, 4), vec![], "told once");
        assert_eq!(run.current_step(), Some(0));
        // Sent again, right this time.
        run.observe_line(&sent("Subject: test"), &view, 5);
        let out = run.observe_line(&sent(""), &view, 6);
        assert!(matches!(
            out.as_slice(),
            [RunEvent::StepPassed { step: 0, .. }]
        ));
        // The next step has no mistakes: the same reply says nothing there.
        assert_eq!(run.observe(&queued(), &view, 7), vec![]);
    }

    #[test]
    fn a_step_done_right_never_reports_its_mistake() {
        let view = Fake::default();
        let mut run = LessonRun::new(headers_lesson(), 0);
        run.observe_line(&sent("Subject: test"), &view, 1);
        run.observe_line(&sent(""), &view, 2);
        run.observe_line(&sent("body"), &view, 3);
        let out = run.observe(&queued(), &view, 4);
        assert!(
            !out.iter()
                .any(|e| matches!(e, RunEvent::MistakeSeen { .. })),
            "{out:?}"
        );
    }

    #[test]
    fn a_lesson_wide_mistake_is_told_once_at_each_step() {
        let view = Fake::default();
        let mut run = LessonRun::new(headers_lesson(), 0);
        let bs = SimEvent::SmtpReply {
            command: Some("EH\u{8}HLO x".into()),
            code: 500,
            lines: vec!["500 5.3.3 Unrecognized command".into()],
            key: None,
        };
        let told = |out: Vec<RunEvent>| {
            out.iter()
                .filter_map(|e| match e {
                    RunEvent::MistakeSeen { step, say } => Some((*step, say.clone())),
                    _ => None,
                })
                .collect::<Vec<_>>()
        };
        let said = (0, "Backspace was sent.".to_string());
        assert_eq!(told(run.observe(&bs, &view, 1)), vec![said]);
        assert_eq!(told(run.observe(&bs, &view, 2)), vec![]);
        run.observe_line(&sent("Subject: x"), &view, 3);
        run.observe_line(&sent(""), &view, 4);
        assert_eq!(run.current_step(), Some(1));
        let said = (1, "Backspace was sent.".to_string());
        assert_eq!(told(run.observe(&bs, &view, 5)), vec![said]);
    }
}
