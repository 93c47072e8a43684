//! Lines a program prints over simulated time: "say this now, wait two seconds, say that".
//! nslookup's timeouts and dism's progress use it; the workstation is busy until it runs out.

use super::machine::Machine;
use crate::clock::Millis;
use std::collections::VecDeque;

/// Lines with the instant each appears.
#[derive(Debug, Clone)]
pub struct Script {
    /// The instant the next `say` is scheduled for.
    at: Millis,
    steps: VecDeque<(Millis, String)>,
    /// Set once every line is printed and the final wait is over.
    finished: bool,
}

impl Script {
    /// An empty script starting at `now`.
    pub fn new(now: Millis) -> Script {
        Script {
            at: now,
            steps: VecDeque::new(),
            finished: false,
        }
    }

    /// A line, at the current point of the script.
    pub fn say(&mut self, line: impl Into<String>) {
        self.steps.push_back((self.at, line.into()));
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

    /// Appends a script built from instant 0, shifted to follow this one.
    pub fn append(&mut self, other: Script) {
        let base = self.at;
        for (t, l) in other.steps {
            self.steps.push_back((base + t, l));
        }
        self.at = base + other.at;
    }

    /// When the next line is due, or the final wait ends.
    pub fn deadline(&self) -> Option<Millis> {
        match self.steps.front() {
            Some((t, _)) => Some(*t),
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
        while let Some((t, _)) = self.steps.front() {
            if *t > now {
                return false;
            }
            if let Some((_, line)) = self.steps.pop_front() {
                m.console.write_line(&line);
            }
        }
        self.finished = now >= self.at;
        self.finished
    }
}
