//! Simulated time.
//!
//! Nothing in the core reads a clock. Every input carries `now`, a count of milliseconds since
//! an arbitrary origin chosen by the edge (the browser's `performance.now()`, tokio's `Instant`,
//! or replay's virtual clock). When a component has something pending (a ping's next echo, a
//! connect timeout, an idle timeout) it reports the instant it next wants to be called through a
//! `poll_timeout` method, and the edge calls its `handle_timeout(now)` at or after that instant.

/// Milliseconds since the edge's chosen origin.
pub type Millis = u64;

/// One second in [`Millis`], for readable timer arithmetic.
pub const SECOND: Millis = 1_000;

/// Returns the earlier of two optional deadlines, so components can merge their timers.
pub fn earliest(a: Option<Millis>, b: Option<Millis>) -> Option<Millis> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earliest_picks_the_smaller_deadline() {
        assert_eq!(earliest(Some(5), Some(3)), Some(3));
        assert_eq!(earliest(None, Some(3)), Some(3));
        assert_eq!(earliest(Some(5), None), Some(5));
        assert_eq!(earliest(None, None), None);
    }
}
