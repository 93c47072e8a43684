//! Lines a program prints over simulated time: "say this now, wait two seconds, say that".
//! nslookup's timeouts, dism's progress and tracert's hops use it; the workstation is busy until
//! it runs out.

use super::machine::Machine;
use crate::clock::Millis;
use std::collections::VecDeque;

/// Lines with the instant each appears.
#[derive(Debug, Clone)]
pub struct Script {
    /// The instant the next `say` is scheduled for.
    at: Millis,
    /// (when, text, whether a line break follows it).
    steps: VecDeque<(Millis, String, bool)>,
    /// Set once every line is printed and the final wait is over.
    finished: bool,
    /// From when a learner would have seen enough and press Ctrl+C (an endless-looking run,
    /// such as tracert's timed-out hops); `None` for scripts one waits out.
    watched_at: Option<Millis>,
}

impl Script {
    /// An empty script starting at `now`.
    pub fn new(now: Millis) -> Script {
        Script {
            at: now,
            steps: VecDeque::new(),
            finished: false,
            watched_at: None,
        }
    }

    /// A line, at the current point of the script.
    pub fn say(&mut self, line: impl Into<String>) {
        self.steps.push_back((self.at, line.into(), true));
    }

    /// Text without a line break, at the current point: a line that fills in over time, as
    /// tracert's asterisks do.
    pub fn say_part(&mut self, text: impl Into<String>) {
        self.steps.push_back((self.at, text.into(), false));
    }

    /// Several lines at the current point.
    pub fn say_all<S: AsRef<str>>(&mut self, lines: &[S]) {
        for l in lines {
            self.say(l.as_ref());
        }
    }

    /// Moves the point later by `d`.
    pub fn wait(&mut self, d: Millis) {
        self.at += d;
    }

    /// Marks the current point as the moment a learner has seen enough (see
    /// [`Script::watched_enough`]); the first mark counts.
    pub fn mark_watched(&mut self) {
        self.watched_at.get_or_insert(self.at);
    }

    /// Whether, at `now`, a learner watching would have stopped the run with Ctrl+C.
    pub fn watched_enough(&self, now: Millis) -> bool {
        self.watched_at.is_some_and(|t| now >= t)
    }

    /// When the next line is due, or the final wait ends.
    pub fn deadline(&self) -> Option<Millis> {
        match self.steps.front() {
            Some((t, ..)) => Some(*t),
            None if !self.finished => Some(self.at),
            None => None,
        }
    }

    /// Whether everything has been printed and the final wait is over.
    pub fn is_done(&self) -> bool {
        self.finished
    }

    /// Prints every line due by `now`; returns whether the script is finished.
    pub fn run(&mut self, m: &mut Machine, now: Millis) -> bool {
        while let Some((t, ..)) = self.steps.front() {
            if *t > now {
                return false;
            }
            match self.steps.pop_front() {
                Some((_, line, true)) => m.console.write_line(&line),
                Some((_, text, false)) => m.console.write(&text),
                None => {}
            }
        }
        self.finished = now >= self.at;
        self.finished
    }
}
