//! The DNS Client's resolver cache: what ping, telnet and tracert were told about a name is kept
//! for the record's time to live and served without asking the DNS server again, so a learner
//! can see (`ipconfig /displaydns`) why a fixed DNS record still fails until the cache is
//! emptied (`ipconfig /flushdns`). nslookup never reads or fills it: it always asks the server.
//!
//! The cache has no clock: every call takes `now`, and an entry lives while `now < expires`.

use crate::clock::{Millis, SECOND};
use std::net::Ipv4Addr;

/// The TTL of an A record that names none of its own ([`crate::scenario::DEFAULT_TTL`], one
/// hour); a record with a `ttl` in its scenario is kept that long instead.
pub const A_TTL: Millis = crate::scenario::DEFAULT_TTL as Millis * SECOND;

/// The TTL of the entries preloaded from the hosts file: one week, counting down from when the
/// file was read (at start and at every flush). From memory of XP's `/displaydns`, where
/// `localhost` shows six-digit TTLs just under 604800; no transcript found to confirm it (R).
pub const HOSTS_TTL: Millis = 604_800 * SECOND;

/// How long a negative answer (no such name, no A record) is kept. Windows 2000's
/// `NegativeCacheTime` and XP and 2003's `MaxNegativeCacheTtl` default to 300 s: a Windows
/// 2000 registry reference, the WinGuides registry guide (2000/XP/2003) and ITPro Today (2002)
/// agree (high confidence). Vista and later cap negative answers at 900 s
/// (`MaxNegativeCacheTtl`): one tuning article says so and no Microsoft page was found (medium
/// confidence). The simulated zones' SOA minimum (one hour) is above both caps.
pub fn negative_ttl(vista_or_later: bool) -> Millis {
    if vista_or_later {
        900 * SECOND
    } else {
        300 * SECOND
    }
}

/// Most names kept: far more than a lesson looks up, few enough that a pasted script of
/// lookups cannot grow the cache without end.
pub const MAX_ENTRIES: usize = 1024;

/// What the cache remembers for a name. A server that never answered is not remembered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Address(Ipv4Addr),
    /// The server said the name does not exist (NXDOMAIN).
    NoName,
    /// The name exists but has no A record.
    NoData,
}

/// One name in the cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub answer: Answer,
    pub expires: Millis,
}

/// The resolver cache. Entries are kept in the order they were learnt (no sort, no map: the
/// cache holds a handful of names). An expired entry stays, unseen, until the cache is
/// flushed, so the cache needs no sweeping.
#[derive(Debug, Clone, Default)]
pub struct ResolverCache {
    entries: Vec<Entry>,
    /// When the hosts file was last read (its entries' TTL counts down from there).
    hosts_read: Millis,
}

impl ResolverCache {
    /// The cached answer for `name`, if it has not expired by `now`.
    pub fn get(&self, name: &str, now: Millis) -> Option<Answer> {
        self.live(now)
            .find(|e| e.name.eq_ignore_ascii_case(name))
            .map(|e| e.answer)
    }

    /// Remembers the server's answer for `name` until `now + ttl`. The resolver asks the
    /// server only when no live answer is cached, so the name has no other live entry; an
    /// expired one it may have stays unseen until the next flush.
    pub fn put(&mut self, name: &str, answer: Answer, ttl: Millis, now: Millis) {
        // Bounded however many names a pasted script looks up: expired entries go first,
        // then the oldest.
        if self.entries.len() >= MAX_ENTRIES {
            self.entries.retain(|e| e.expires > now);
            if self.entries.len() >= MAX_ENTRIES {
                self.entries.remove(0);
            }
        }
        self.entries.push(Entry {
            name: name.to_string(),
            answer,
            expires: now + ttl,
        });
    }

    /// `ipconfig /flushdns`: forgets every answer and reads the hosts file again.
    pub fn flush(&mut self, now: Millis) {
        *self = ResolverCache {
            entries: Vec::new(),
            hosts_read: now,
        };
    }

    /// The entries that have not expired by `now`, oldest first.
    pub fn live(&self, now: Millis) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(move |e| e.expires > now)
    }

    /// When the hosts file entries expire.
    pub fn hosts_expire(&self) -> Millis {
        self.hosts_read + HOSTS_TTL
    }
}

/// The whole seconds left of a TTL ending at `expires`, as `/displaydns` counts them down.
pub fn seconds_left(expires: Millis, now: Millis) -> u64 {
    expires.saturating_sub(now).div_ceil(SECOND)
}

#[cfg(test)]
mod tests {
    use super::*;

    const IP: Ipv4Addr = Ipv4Addr::new(10, 0, 0, 25);

    #[test]
    fn an_answer_lives_until_its_ttl_is_over_and_not_a_millisecond_longer() {
        let mut c = ResolverCache::default();
        c.put("mail.contoso.com", Answer::Address(IP), A_TTL, 1_000);
        assert_eq!(
            c.get("MAIL.contoso.com", 1_000 + A_TTL - 1),
            Some(Answer::Address(IP))
        );
        assert_eq!(c.get("mail.contoso.com", 1_000 + A_TTL), None);
        assert_eq!(c.live(1_000 + A_TTL).count(), 0);
    }

    #[test]
    fn a_new_answer_follows_the_expired_one_and_flush_forgets_all() {
        let mut c = ResolverCache::default();
        c.put("nosuch.contoso.com", Answer::NoName, negative_ttl(false), 0);
        let later = negative_ttl(false);
        assert_eq!(c.get("nosuch.contoso.com", later), None);
        c.put(
            "NOSUCH.contoso.com",
            Answer::NoData,
            negative_ttl(true),
            later,
        );
        assert_eq!(c.live(later).count(), 1);
        assert_eq!(c.get("nosuch.contoso.com", later), Some(Answer::NoData));
        c.flush(50);
        assert_eq!(c.get("nosuch.contoso.com", later), None);
        assert_eq!(c.hosts_expire(), 50 + HOSTS_TTL);
    }

    #[test]
    fn the_cache_is_bounded_dropping_expired_entries_then_the_oldest() {
        let mut c = ResolverCache::default();
        c.put("old.contoso.com", Answer::NoName, SECOND, 0);
        for i in 0..MAX_ENTRIES + 10 {
            c.put(
                &format!("h{i}.contoso.com"),
                Answer::Address(IP),
                A_TTL,
                2 * SECOND,
            );
        }
        assert_eq!(c.entries.len(), MAX_ENTRIES);
        assert_eq!(c.get("h0.contoso.com", 2 * SECOND), None);
        let last = format!("h{}.contoso.com", MAX_ENTRIES + 9);
        assert_eq!(c.get(&last, 2 * SECOND), Some(Answer::Address(IP)));
    }

    #[test]
    fn seconds_left_counts_down_whole_seconds() {
        assert_eq!(seconds_left(A_TTL, 0), 3600);
        assert_eq!(seconds_left(A_TTL, 1), 3600);
        assert_eq!(seconds_left(A_TTL, SECOND), 3599);
        assert_eq!(seconds_left(A_TTL, A_TTL + 5), 0);
    }
}
