//! Troubleshooting challenges: a broken world, a briefing, and a list of faults to choose from.
//! The learner investigates with the tools and names the fault; the answer is checked and the
//! feedback says which test reveals it.
//!
//! A UI drives one with [`ChallengeRun::new`], [`ChallengeRun::observe`] for each simulation
//! event (so it can tell when the revealing test was run), [`ChallengeRun::hint`] and
//! [`ChallengeRun::answer`]. [`pick_random`] chooses one from a seed the UI shows, so a whole
//! class can be given the same broken network.

use super::check::{Check, Latch, LineTap, SentLine, SimView};
use super::world::WorldSpec;
use crate::clock::Millis;
use crate::net::Rng;
use crate::windows::{SimEvent, Workstation};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// One challenge, as written in a `[[challenges]]` table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Challenge {
    /// Stable identifier, used in progress and URLs.
    pub id: String,
    pub title: String,
    /// What the learner is told: the symptom a user reported, not the cause.
    pub briefing: String,
    /// The broken world; its `faults` hold the fault to find.
    pub world: WorldSpec,
    /// The fault names offered as answers (see `Fault` names in the format documentation).
    #[cfg_attr(feature = "schema", schemars(with = "Vec<super::file::FaultName>"))]
    pub options: Vec<String>,
    /// The right fault name, one of `options`.
    #[cfg_attr(feature = "schema", schemars(with = "super::file::FaultName"))]
    pub answer: String,
    /// Shown after a right answer: which test reveals the fault and why.
    pub feedback: String,
    /// The test that reveals the fault, as a check over the simulation.
    #[serde(
        deserialize_with = "crate::scenario::tagged::deserialize",
        serialize_with = "crate::scenario::tagged::serialize"
    )]
    pub reveal: Check,
    /// Shown one at a time on demand, the first gentle, the last naming the test to run.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hints: Vec<String>,
    /// Keystrokes of an investigation that reveals the fault (tests replay them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub solution: Option<String>,
}

/// How a fault is named in answer lists and how it shows itself, from `src/trainer/faults.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct FaultInfo {
    pub name: String,
    /// The answer as a learner reads it.
    pub label: String,
    /// What the tests show when this fault is present.
    pub sign: String,
}

#[derive(Debug, PartialEq, Deserialize)]
struct FaultTable {
    fault: Vec<FaultInfo>,
}

/// Every fault's label and sign.
pub fn fault_infos() -> &'static [FaultInfo] {
    static TABLE: OnceLock<Vec<FaultInfo>> = OnceLock::new();
    TABLE.get_or_init(|| {
        // Embedded and covered by a test, so a parse failure cannot reach a learner; if it
        // ever did, answers fall back to bare fault names rather than failing.
        // src/trainer/faults.toml, converted to JSON by build.rs, read through a value tree
        // (see `smtp::explain::table`).
        serde_json::from_str::<serde_json::Value>(include_str!(concat!(
            env!("OUT_DIR"),
            "/faults.json"
        )))
        .ok()
        .and_then(|v| crate::scenario::tree::from_value::<FaultTable>(&v).ok())
        .map(|t| t.fault)
        .unwrap_or_default()
    })
}

/// The label and sign of one fault name.
pub fn fault_info(name: &str) -> Option<&'static FaultInfo> {
    fault_infos().iter().find(|f| f.name == name)
}

/// The verdict on an answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    pub correct: bool,
    /// Why, and what to look at.
    pub feedback: String,
}

impl Challenge {
    /// Checks an answer (a fault name, or its label) without keeping any record.
    pub fn judge(&self, choice: &str) -> Verdict {
        let choice = choice.trim();
        let name = fault_infos()
            .iter()
            .find(|f| f.label.eq_ignore_ascii_case(choice))
            .map(|f| f.name.as_str())
            .unwrap_or(choice);
        if name.eq_ignore_ascii_case(&self.answer) {
            return Verdict {
                correct: true,
                feedback: self.feedback.clone(),
            };
        }
        let feedback = match fault_info(name) {
            Some(info) => format!(
                "Not this one. If the problem were \"{}\", {}. Look again at what your tests showed.",
                info.label, info.sign
            ),
            None => format!("`{choice}` is not one of the answers offered."),
        };
        Verdict {
            correct: false,
            feedback,
        }
    }

    /// The answers as (fault name, label) pairs, for a picker, shuffled in an order fixed by
    /// the challenge's id: the same on every visit and for every learner in a class, but not
    /// the file's order, where authors tend to put the right answer first, so that its place
    /// gives it away.
    pub fn option_labels(&self) -> Vec<(String, String)> {
        let mut labels: Vec<(String, String)> = self
            .options
            .iter()
            .map(|o| {
                let label = fault_info(o).map_or_else(|| o.clone(), |f| f.label.clone());
                (o.clone(), label)
            })
            .collect();
        // FNV-1a of the id seeds a Fisher-Yates shuffle.
        let seed = self.id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        let mut rng = Rng::new(seed);
        for i in (1..labels.len()).rev() {
            let j = rng.range(0, i as u64) as usize;
            labels.swap(i, j);
        }
        labels
    }
}

/// A challenge in progress: time, hints, attempts, and whether the revealing test was run.
#[derive(Debug, Clone)]
pub struct ChallengeRun {
    challenge: Challenge,
    started: Millis,
    latch: Latch,
    revealed: bool,
    hints: u32,
    attempts: u32,
    solved_at: Option<Millis>,
    tap: LineTap,
}

impl ChallengeRun {
    /// Starts `challenge` at `now`.
    pub fn new(challenge: Challenge, now: Millis) -> ChallengeRun {
        ChallengeRun {
            latch: challenge.reveal.latch(),
            challenge,
            started: now,
            revealed: false,
            hints: 0,
            attempts: 0,
            solved_at: None,
            tap: LineTap::default(),
        }
    }

    /// The challenge.
    pub fn challenge(&self) -> &Challenge {
        &self.challenge
    }

    /// Whether the learner has run the test that reveals the fault.
    pub fn revealed(&self) -> bool {
        self.revealed
    }

    /// Hints shown so far.
    pub fn hints_used(&self) -> u32 {
        self.hints
    }

    /// Answers given so far.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Whether a right answer was given.
    pub fn is_solved(&self) -> bool {
        self.solved_at.is_some()
    }

    /// Time taken: until the right answer, or until `now`.
    pub fn elapsed(&self, now: Millis) -> Millis {
        self.solved_at.unwrap_or(now).saturating_sub(self.started)
    }

    /// Feeds a simulation event; returns true the first time the revealing test is seen.
    pub fn observe(&mut self, event: &SimEvent, view: &dyn SimView) -> bool {
        if self.revealed {
            return false;
        }
        self.revealed = self
            .challenge
            .reveal
            .observe(Some(event), view, &mut self.latch);
        self.revealed
    }

    /// Feeds one line the Telnet client sent (for `line-sent` checks); true the first time
    /// the revealing test is seen.
    pub fn observe_line(&mut self, line: &SentLine, view: &dyn SimView) -> bool {
        if self.revealed {
            return false;
        }
        self.revealed = self
            .challenge
            .reveal
            .observe_line(line, view, &mut self.latch);
        self.revealed
    }

    /// Drains the workstation's events and sent lines into the run (call after each key or
    /// timeout); true when the revealing test has been run.
    pub fn drive(&mut self, ws: &mut Workstation) -> bool {
        for line in self.tap.poll(ws) {
            self.observe_line(&line, ws);
        }
        while let Some(event) = ws.poll_event() {
            self.observe(&event, ws);
        }
        self.revealed
    }

    /// The next hint (the last one repeats once all are shown); counts it.
    pub fn hint(&mut self) -> Option<&str> {
        let hints = &self.challenge.hints;
        if hints.is_empty() {
            return None;
        }
        let i = (self.hints as usize).min(hints.len() - 1);
        self.hints += 1;
        hints.get(i).map(String::as_str)
    }

    /// Checks an answer and records the attempt.
    pub fn answer(&mut self, choice: &str, now: Millis) -> Verdict {
        self.attempts += 1;
        let verdict = self.challenge.judge(choice);
        if verdict.correct && self.solved_at.is_none() {
            self.solved_at = Some(now);
        }
        verdict
    }
}

/// Picks a challenge from `seed`, the same one for the same seed and list.
pub fn pick_random(challenges: &[Challenge], seed: u64) -> Option<&Challenge> {
    let last = challenges.len().checked_sub(1)?;
    let i = Rng::new(seed).range(0, last as u64) as usize;
    challenges.get(i)
}

/// Reads a seed as a learner types it from the board: digits, with blanks and dashes between
/// groups ignored. A dash before or after the digits is no separator (`-5` is not the seed 5:
/// a mistyped seed would give the learner another network than the class).
pub fn parse_seed(text: &str) -> Option<u64> {
    let text = text.trim();
    if text.starts_with('-') || text.ends_with('-') || text.contains("--") {
        return None;
    }
    let digits: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if digits.is_empty() {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Fault;

    #[test]
    fn the_embedded_fault_json_is_the_toml_table() {
        let from_toml: FaultTable = toml::from_str(include_str!("faults.toml")).unwrap();
        assert!(!from_toml.fault.is_empty());
        assert_eq!(fault_infos(), from_toml.fault.as_slice());
    }

    fn challenge() -> Challenge {
        Challenge {
            id: "c".into(),
            title: "C".into(),
            briefing: "b".into(),
            world: WorldSpec::default(),
            options: vec!["dns-down".into(), "nic-disabled".into()],
            answer: "dns-down".into(),
            feedback: "nslookup timed out".into(),
            reveal: Check::PingFinished {
                target: None,
                received_min: None,
                received_max: Some(0),
            },
            hints: vec!["one".into(), "two".into()],
            solution: None,
        }
    }

    #[test]
    fn the_fault_table_covers_every_fault() {
        for name in Fault::NAMES {
            assert!(fault_info(name).is_some(), "{name} has no label");
        }
        assert_eq!(fault_infos().len(), Fault::NAMES.len());
    }

    #[test]
    fn answers_are_judged_by_name_or_label() {
        let c = challenge();
        let table = [
            ("dns-down", true),
            (" DNS-DOWN ", true),
            ("The DNS server does not answer", true),
            ("nic-disabled", false),
            ("cable-cut", false),
        ];
        for (choice, want) in table {
            assert_eq!(c.judge(choice).correct, want, "{choice}");
        }
        assert!(c.judge("nic-disabled").feedback.contains("ping 127.0.0.1"));
        assert!(c.judge("cable-cut").feedback.contains("not one of"));
    }

    #[test]
    fn a_run_counts_attempts_hints_and_time() {
        let mut run = ChallengeRun::new(challenge(), 100);
        assert_eq!(run.hint(), Some("one"));
        assert_eq!(run.hint(), Some("two"));
        assert_eq!(run.hint(), Some("two"));
        assert!(!run.answer("nic-disabled", 200).correct);
        assert!(!run.is_solved());
        assert!(run.answer("dns-down", 900).correct);
        assert_eq!(
            (run.attempts(), run.hints_used(), run.elapsed(5_000)),
            (2, 3, 800)
        );
    }

    #[test]
    fn the_same_seed_picks_the_same_challenge() {
        let mut list = Vec::new();
        for i in 0..12 {
            list.push(Challenge {
                id: format!("c{i}"),
                ..challenge()
            });
        }
        for seed in [0, 1, 42, u64::MAX] {
            let a = pick_random(&list, seed).map(|c| c.id.clone());
            assert_eq!(a, pick_random(&list, seed).map(|c| c.id.clone()));
            assert!(a.is_some());
        }
        let ids: std::collections::HashSet<_> = (0..200)
            .filter_map(|s| pick_random(&list, s))
            .map(|c| &c.id)
            .collect();
        assert!(ids.len() > 6, "seeds spread over the list: {ids:?}");
        assert!(pick_random(&[], 7).is_none());
        assert_eq!(parse_seed(" 4711-0815 "), Some(47_110_815));
        assert_eq!(parse_seed("abc"), None);
        for bad in ["-5", "5-", "4711--0815", " -1 "] {
            assert_eq!(parse_seed(bad), None, "{bad}");
        }
    }
}
