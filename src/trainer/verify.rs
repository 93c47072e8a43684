//! Proving exercises can be done: type a lesson's `solution` into its world and see every step
//! pass; type a challenge's investigation and see its `reveal` check hold. `smtp-trainer check`
//! runs this on instructor files, so a step whose check can never pass is caught before class.

use super::keys::{parse_keys, type_keys};
use super::{Challenge, ChallengeRun, Lesson, LessonRun};
use crate::clock::Millis;
use crate::scenario::World;
use crate::smtp::MailStore;
use crate::windows::{SimEvent, Workstation};

/// Think time between keys while verifying (a brisk learner).
const GAP: Millis = 150;
/// Seed of the verifying workstation: fixed, so a verdict is the same on every run.
const SEED: u64 = 0;

/// What a learner who reads every message in the Mailbox panel reports: a
/// [`SimEvent::MessageOpened`] per message delivered so far. The keystrokes of a solution
/// cannot open a panel, so verifying assumes this learner.
pub fn messages_opened(store: &MailStore) -> Vec<SimEvent> {
    let all = store.mailboxes.iter();
    all.flat_map(|(mailbox, msgs)| {
        msgs.iter().map(|m| SimEvent::MessageOpened {
            mailbox: mailbox.clone(),
            subject: m.subject(),
        })
    })
    .collect()
}

/// Types the lesson's solution; `Ok` when every step passed, else which step it stopped at.
/// A lesson without a solution is not verified (`Ok`). Every message delivered is opened as
/// it arrives ([`messages_opened`]).
pub fn verify_lesson(lesson: &Lesson, world: World) -> Result<(), String> {
    let Some(solution) = lesson.solution.as_deref() else {
        return Ok(());
    };
    let keys = parse_keys(solution)?;
    let mut ws = Workstation::new(world, SEED, 0);
    let mut run = LessonRun::new(lesson.clone(), 0);
    type_keys(&mut ws, &keys, 0, GAP, |ws, now| {
        run.drive(ws, now);
        for e in messages_opened(ws.mail_store()) {
            run.observe(&e, ws, now);
        }
    });
    match run.current_step() {
        None => Ok(()),
        Some(i) => Err(format!(
            "typing the solution stops at step {} of {} ({}): its check never passed",
            i + 1,
            lesson.steps.len(),
            lesson
                .steps
                .get(i)
                .map(|s| s.instruction.chars().take(60).collect::<String>())
                .unwrap_or_default()
        )),
    }
}

/// Types the challenge's investigation; `Ok` when it reveals the fault. A challenge without a
/// solution is not verified (`Ok`).
pub fn verify_challenge(challenge: &Challenge, world: World) -> Result<(), String> {
    let Some(solution) = challenge.solution.as_deref() else {
        return Ok(());
    };
    let keys = parse_keys(solution)?;
    let mut ws = Workstation::new(world, SEED, 0);
    let mut run = ChallengeRun::new(challenge.clone(), 0);
    type_keys(&mut ws, &keys, 0, GAP, |ws, _| {
        run.drive(ws);
        for e in messages_opened(ws.mail_store()) {
            run.observe(&e, ws);
        }
    });
    if run.revealed() {
        Ok(())
    } else {
        Err("typing the solution never makes the `reveal` check hold".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trainer::builtin;

    #[test]
    fn a_solution_that_stops_short_is_reported_with_its_step() {
        let (lesson, world) = builtin::lesson("kb153119-basic").expect("built-in");
        let mut short = lesson.clone();
        short.solution = Some("telnet mail.contoso.com 25\nEHLO test.com\n".into());
        let err = verify_lesson(&short, world.clone()).expect_err("stops at MAIL FROM");
        assert!(err.contains("step 3 of 10"), "{err}");
        assert_eq!(verify_lesson(lesson, world), Ok(()));
    }

    #[test]
    fn an_investigation_that_misses_the_fault_is_reported() {
        let (challenge, world) = builtin::challenge("dns-down").expect("built-in");
        let mut blind = challenge.clone();
        blind.solution = Some("ipconfig\n".into());
        assert!(verify_challenge(&blind, world.clone()).is_err());
        assert_eq!(verify_challenge(challenge, world), Ok(()));
    }
}
