//! ping.exe: `-n`, `-t` (until Ctrl+C), `-a`, `-l`, `-w`; each echo's outcome follows from
//! the network ([`crate::net::Network::reach`]) and is printed the way the Windows version did.

use super::machine::{Machine, SimEvent};
use super::text;
use crate::clock::{Millis, SECOND};
use crate::net::{Reach, Resolved, RESOLVER_TIMEOUT};
use crate::scenario::WindowsVersion;
use std::net::Ipv4Addr;

/// Default `-w`: four seconds per echo.
const DEFAULT_WAIT: Millis = 4 * SECOND;
/// Gap between echoes after a reply.
const INTERVAL: Millis = SECOND;
/// How long Vista and later wait for ARP before reporting an unreachable neighbour.
const ARP_WAIT: Millis = 3 * SECOND;
/// Echoes a learner watches before pressing Ctrl+C on `ping -t` (see `is_idle`).
pub const WATCHED_ECHOES: u64 = 4;
/// A `-n` count past which a learner presses Ctrl+C rather than wait for the end.
pub const LONG_RUN: u64 = 100;

/// Parsed command line.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Options {
    target: String,
    count: Option<u64>,
    size: u32,
    resolve: bool,
    wait: Millis,
}

/// What parsing the arguments gave: a run, or lines to print at once.
enum Parsed {
    Run(Options),
    Print(Vec<String>),
}

fn parse(args: &[&str]) -> Parsed {
    let usage = || Parsed::Print(text::PING_USAGE.iter().map(|s| s.to_string()).collect());
    let mut o = Options {
        target: String::new(),
        count: Some(4),
        size: 32,
        resolve: false,
        wait: DEFAULT_WAIT,
    };
    let mut i = 0;
    while i < args.len() {
        let a = args[i];
        let Some(flag) = super::switch(a) else {
            o.target = a.to_string();
            i += 1;
            continue;
        };
        let value = |i: usize| args.get(i + 1).and_then(|v| v.parse::<u64>().ok());
        match flag.as_str() {
            "?" => return usage(),
            "t" => o.count = None,
            "a" => o.resolve = true,
            "f" | "4" => {}
            "n" => match value(i).filter(|n| (1..=u64::from(u32::MAX)).contains(n)) {
                Some(n) => {
                    o.count = Some(n);
                    i += 1;
                }
                None => return Parsed::Print(vec![text::ping_bad_value('n', u64::from(u32::MAX))]),
            },
            "l" => match value(i).filter(|n| *n <= 65500) {
                Some(n) => {
                    o.size = n as u32;
                    i += 1;
                }
                None => return Parsed::Print(vec![text::ping_bad_value('l', 65500)]),
            },
            "w" => match value(i) {
                Some(n) => {
                    o.wait = n;
                    i += 1;
                }
                None => return Parsed::Print(vec![text::ping_bad_value('w', u64::from(u32::MAX))]),
            },
            "i" | "v" | "r" | "s" | "j" | "k" => i += 1,
            _ => {
                let mut out = vec![text::ping_bad_option(a)];
                if let Parsed::Print(u) = usage() {
                    out.extend(u);
                }
                return Parsed::Print(out);
            }
        }
        i += 1;
    }
    if o.target.is_empty() {
        return usage();
    }
    Parsed::Run(o)
}

/// How one echo ends.
#[derive(Debug, Clone)]
struct Echo {
    /// After how long its line appears.
    delay: Millis,
    line: String,
    /// Counted as received in the statistics (Vista+ counts unreachable replies too).
    counted: bool,
    /// A real echo reply with this round trip time.
    rtt: Option<Millis>,
}

/// A running ping.
#[derive(Debug)]
pub struct Ping {
    target: String,
    address: Option<Ipv4Addr>,
    reach: Reach,
    count: Option<u64>,
    size: u32,
    wait: Millis,
    sent: u64,
    received: u64,
    rtts: Vec<Millis>,
    /// The outcome of the echo now in flight, and when it shows.
    next: Option<(Millis, Echo)>,
    /// Set when the name lookup is still waiting on a silent DNS server.
    resolving_until: Option<Millis>,
}

/// What the workstation should do after a ping step.
pub enum Step {
    Running,
    /// Finished: back to cmd (with the usual blank line).
    Done,
    /// Stopped with Ctrl+C: back to cmd without the blank line.
    Interrupted,
}

impl Ping {
    /// Starts `ping ARGS`; `None` when the arguments only print something (usage, errors).
    pub fn start(m: &mut Machine, args: &[&str], now: Millis) -> Option<Ping> {
        let o = match parse(args) {
            Parsed::Print(lines) => {
                m.lines(&lines);
                return None;
            }
            Parsed::Run(o) => o,
        };
        let mut p = Ping {
            target: o.target.clone(),
            address: None,
            reach: Reach::NicDown,
            count: o.count,
            size: o.size,
            wait: o.wait,
            sent: 0,
            received: 0,
            rtts: Vec::new(),
            next: None,
            resolving_until: None,
        };
        let (found, resolved) = m.net.lookup(&o.target, now);
        match resolved {
            Resolved::Address(ip) => p.begin(m, &found, ip, o.resolve, now),
            Resolved::NotFound => {
                m.console
                    .write_line(&text::ping_unknown_host(m.os, &o.target));
                p.finish_unresolved(m);
                return None;
            }
            Resolved::NoServer => p.resolving_until = Some(now + RESOLVER_TIMEOUT),
        }
        Some(p)
    }

    /// Starts pinging `ip`, which the resolver found under the name `found` (the target with
    /// the DNS suffix it may have added).
    fn begin(&mut self, m: &mut Machine, found: &str, ip: Ipv4Addr, reverse: bool, now: Millis) {
        self.address = Some(ip);
        self.reach = m.net.reach(ip);
        let is_name = ip.to_string() != self.target.trim();
        let shown_name = if is_name {
            Some(found.to_string())
        } else if reverse {
            m.net.reverse(ip)
        } else {
            None
        };
        m.console.write("\n");
        let ip_text = ip.to_string();
        let header = match &shown_name {
            Some(name) => text::ping_header(name, Some(&ip_text), self.size),
            None => text::ping_header(&ip_text, None, self.size),
        };
        m.lines(&[header, String::new()]);
        self.schedule(m, now);
    }

    fn finish_unresolved(&self, m: &mut Machine) {
        m.emit(SimEvent::PingFinished {
            target: self.target.clone(),
            address: None,
            sent: 0,
            received: 0,
        });
    }

    /// Works out the echo now in flight.
    fn schedule(&mut self, m: &mut Machine, now: Millis) {
        let echo = echo_outcome(m, self.reach, self.address, self.size, self.wait);
        self.next = Some((now + echo.delay, echo));
    }

    /// When the next line appears.
    pub fn deadline(&self) -> Option<Millis> {
        self.resolving_until.or(self.next.as_ref().map(|(t, _)| *t))
    }

    /// Whether a learner would have seen enough to stop an endless (or very long) ping.
    pub fn watched_enough(&self) -> bool {
        self.count.is_none_or(|c| c > LONG_RUN) && self.sent >= WATCHED_ECHOES
    }

    /// Time passes: print what is due.
    pub fn timeout(&mut self, m: &mut Machine, now: Millis) -> Step {
        if let Some(until) = self.resolving_until {
            if now < until {
                return Step::Running;
            }
            self.resolving_until = None;
            m.console
                .write_line(&text::ping_unknown_host(m.os, &self.target));
            self.finish_unresolved(m);
            return Step::Done;
        }
        while let Some((due, _)) = &self.next {
            if *due > now {
                return Step::Running;
            }
            let Some((due, echo)) = self.next.take() else {
                break;
            };
            m.console.write_line(&echo.line);
            self.sent += 1;
            if echo.counted {
                self.received += 1;
            }
            if let Some(rtt) = echo.rtt {
                self.rtts.push(rtt);
            }
            if self.count.is_some_and(|c| self.sent >= c) {
                self.statistics(m);
                return Step::Done;
            }
            // Echoes go out about a second apart; one that waited its full timeout is sent
            // again at once. Every echo takes time, so an endless ping always moves on.
            let gap = if echo.delay >= INTERVAL { 0 } else { INTERVAL };
            self.schedule(m, due + gap);
        }
        Step::Running
    }

    /// Whether no echo came back (ping's exit status 1; M: Vista and later count a
    /// "Destination host unreachable" answer as received, and exit 0 then).
    pub fn no_reply(&self) -> bool {
        self.received == 0
    }

    /// Ctrl+C: the statistics so far, then `Control-C` (the console echoes `^C` after it).
    pub fn interrupt(&mut self, m: &mut Machine) -> Step {
        if self.resolving_until.is_some() {
            self.finish_unresolved(m);
            return Step::Interrupted;
        }
        self.statistics(m);
        m.console.write_line(text::PING_CONTROL_C);
        Step::Interrupted
    }

    fn statistics(&self, m: &mut Machine) {
        let ip = self.address.map(|a| a.to_string()).unwrap_or_default();
        let times = if self.rtts.is_empty() {
            None
        } else {
            let min = self.rtts.iter().copied().min().unwrap_or(0);
            let max = self.rtts.iter().copied().max().unwrap_or(0);
            let avg = self.rtts.iter().sum::<Millis>() / self.rtts.len() as Millis;
            Some((min, max, avg))
        };
        let lines = text::ping_statistics(m.os, &ip, self.sent, self.received, times);
        m.lines(&lines);
        m.emit(SimEvent::PingFinished {
            target: self.target.clone(),
            address: self.address.map(|a| a.to_string()),
            sent: self.sent,
            received: self.rtts.len() as u64,
        });
    }
}

/// One echo's line, as each Windows version printed the outcome.
fn echo_outcome(
    m: &mut Machine,
    reach: Reach,
    address: Option<Ipv4Addr>,
    size: u32,
    wait: Millis,
) -> Echo {
    let os = m.os;
    let vista = os.is_vista_or_later();
    let own = m.net.own_ip().to_string();
    let target = address.map(|a| a.to_string()).unwrap_or_default();
    let timed_out = Echo {
        delay: wait,
        line: text::PING_TIMED_OUT.into(),
        counted: false,
        rtt: None,
    };
    let failure = |line: String, delay: Millis, counted: bool| Echo {
        delay,
        line,
        counted,
        rtt: None,
    };
    match reach {
        Reach::Loopback => reply(os, &target, size, 0, 128),
        Reach::Host { ip, hops } => {
            let rtt = if hops == 0 { 0 } else { m.rng.range(1, 3) };
            reply(os, &ip.to_string(), size, rtt, 128 - hops)
        }
        Reach::NoNeighbor if vista => failure(text::ping_unreachable_from(&own), ARP_WAIT, true),
        Reach::NoNeighbor | Reach::Lost => timed_out,
        Reach::NoRoute | Reach::NicDown if vista => {
            failure(text::PING_GENERAL_FAILURE.into(), 0, false)
        }
        Reach::NoRoute | Reach::NicDown => failure(text::PING_UNREACHABLE.into(), 0, false),
        Reach::RouterUnreachable { router } => {
            failure(text::ping_unreachable_from(&router.to_string()), 0, vista)
        }
    }
}

fn reply(os: WindowsVersion, from: &str, size: u32, rtt: Millis, ttl: u8) -> Echo {
    Echo {
        delay: rtt,
        line: text::ping_reply(os, from, size, rtt, ttl),
        counted: true,
        rtt: Some(rtt),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_parse_like_ping_exe() {
        let run = |args: &[&str]| match parse(args) {
            Parsed::Run(o) => Some((o.target, o.count, o.size, o.resolve)),
            Parsed::Print(_) => None,
        };
        type Want = Option<(String, Option<u64>, u32, bool)>;
        let table: Vec<(&[&str], Want)> = vec![
            (
                &["10.0.0.25"],
                Some(("10.0.0.25".into(), Some(4), 32, false)),
            ),
            (&["-n", "2", "x"], Some(("x".into(), Some(2), 32, false))),
            (&["-t", "x"], Some(("x".into(), None, 32, false))),
            (
                &["/a", "-l", "1000", "x"],
                Some(("x".into(), Some(4), 1000, true)),
            ),
            (&["-n", "0", "x"], None),
            (&["-l", "70000", "x"], None),
            (&["-z", "x"], None),
            (&[], None),
            (&["/?"], None),
        ];
        for (args, want) in table {
            assert_eq!(run(args), want, "{args:?}");
        }
    }
}
