//! tracert.exe: the route to a host, hop by hop, as the simulated network has it. A healthy
//! trace shows the gateway and then the target; a dead gateway, a router without a route and
//! a remote subnet that is down each show at the hop where they break, which is what a
//! technician runs tracert for. Options: `-d`, `-h`, `-w` (and `-j`, read and ignored).

use super::machine::Machine;
use super::script::Script;
use super::text;
use crate::clock::{Millis, SECOND};
use crate::net::{Reach, Resolved, RESOLVER_TIMEOUT};
use std::net::Ipv4Addr;

/// Default `-w`: four seconds per probe.
const DEFAULT_WAIT: Millis = 4 * SECOND;
/// Default `-h`.
const DEFAULT_HOPS: u32 = 30;
/// Probes per hop.
const PROBES: usize = 3;
/// How long Vista and later wait for ARP before a hop reports the host unreachable.
const ARP_WAIT: Millis = 3 * SECOND;
/// Timed-out hops a learner watches before pressing Ctrl+C (see `Script::watched_enough`).
const WATCHED_HOPS: u32 = 4;
/// Time between the lines of hops that answer (probes and the reverse lookup).
const HOP_TIME: Millis = 40;

/// Parsed command line.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Options {
    target: String,
    resolve: bool,
    max_hops: u32,
    wait: Millis,
}

/// The arguments as tracert reads them; `Err` holds what to print instead of tracing.
fn parse(args: &[&str]) -> Result<Options, Vec<String>> {
    let usage = || text::TRACERT_USAGE.iter().map(|s| s.to_string()).collect();
    let mut o = Options {
        target: String::new(),
        resolve: true,
        max_hops: DEFAULT_HOPS,
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
        let value = args.get(i + 1).and_then(|v| v.parse::<u64>().ok());
        match flag.as_str() {
            "d" => o.resolve = false,
            "h" => match value.filter(|n| (1..=255).contains(n)) {
                Some(n) => {
                    o.max_hops = n as u32;
                    i += 1;
                }
                None => return Err(vec![text::TRACERT_BAD_HOPS.to_string()]),
            },
            "w" => match value {
                Some(n) => {
                    o.wait = n;
                    i += 1;
                }
                None => return Err(usage()),
            },
            "j" => i += 1,
            "4" => {}
            _ => return Err(usage()),
        }
        i += 1;
    }
    if o.target.is_empty() {
        return Err(usage());
    }
    Ok(o)
}

/// Starts `tracert ARGS`: what it prints, over simulated time.
pub fn start(m: &mut Machine, args: &[&str], now: Millis) -> Script {
    let mut s = Script::new(now);
    let o = match parse(args) {
        Ok(o) => o,
        Err(lines) => {
            s.say_all(&lines);
            return s;
        }
    };
    let (found, resolved) = m.net.lookup(&o.target, now);
    match resolved {
        Resolved::Address(ip) => trace(m, &o, &found, ip, &mut s),
        Resolved::NotFound => s.say(text::tracert_unknown_host(&o.target)),
        Resolved::NoServer => {
            s.wait(RESOLVER_TIMEOUT);
            s.say(text::tracert_unknown_host(&o.target));
        }
    }
    s
}

/// The header and the hops to `ip`, which the resolver found under the name `found`.
fn trace(m: &mut Machine, o: &Options, found: &str, ip: Ipv4Addr, s: &mut Script) {
    let ip_text = ip.to_string();
    let typed_address = ip_text == o.target.trim();
    let name = if !typed_address {
        Some(found.to_string())
    } else if o.resolve {
        m.net.reverse(ip)
    } else {
        None
    };
    s.say("");
    match name {
        Some(name) => s.say_all(&text::tracert_header_named(&name, &ip_text, o.max_hops)),
        None => s.say(text::tracert_header_address(&ip_text, o.max_hops)),
    }
    s.say("");
    let vista = m.os.is_vista_or_later();
    let own = m.net.own_ip();
    let gateway = m.net.gateway();
    let reach = m.net.reach(ip);
    // Hops that answer, then how the trace ends.
    let (answering, end): (Vec<(Ipv4Addr, bool)>, End) = match reach {
        Reach::Loopback => (vec![(ip, false)], End::Complete),
        Reach::Host { ip, hops: 0 } => (vec![(ip, false)], End::Complete),
        Reach::Host { ip, .. } => (
            gateway
                .map(|g| (g, false))
                .into_iter()
                .chain([(ip, true)])
                .collect(),
            End::Complete,
        ),
        Reach::NoNeighbor if vista => (Vec::new(), End::Unreachable(own, "host")),
        Reach::NoNeighbor => (Vec::new(), End::Silence),
        Reach::NoRoute | Reach::NicDown => (Vec::new(), End::GeneralFailure),
        Reach::RouterUnreachable { router } => {
            (vec![(router, false)], End::Unreachable(router, "net"))
        }
        Reach::Lost => (
            gateway.map(|g| (g, false)).into_iter().collect(),
            End::Silence,
        ),
    };
    let mut hop = 0;
    for (address, beyond_router) in answering.into_iter().take(o.max_hops as usize) {
        hop += 1;
        s.wait(HOP_TIME);
        let mut line = text::tracert_hop(hop);
        for _ in 0..PROBES {
            let rtt = if beyond_router { m.rng.range(1, 3) } else { 0 };
            line.push_str(&text::tracert_probe(Some(rtt)));
        }
        let shown = o.resolve.then(|| m.net.reverse(address)).flatten();
        line.push_str(&text::tracert_hop_host(
            shown.as_deref(),
            &address.to_string(),
        ));
        s.say(line);
    }
    match end {
        End::Complete => {}
        End::GeneralFailure => {
            s.say(text::TRACERT_GENERAL_FAILURE);
            return;
        }
        End::Unreachable(from, what) => {
            hop += 1;
            // Vista and later report ARP failures after waiting for ARP on each probe.
            if from == own {
                s.wait(ARP_WAIT * PROBES as Millis);
            }
            s.say(text::tracert_unreachable(hop, &from.to_string(), what));
        }
        End::Silence => {
            let first_silent = hop + 1;
            while hop < o.max_hops {
                hop += 1;
                // Four hops of stars are as many as a technician waits for.
                if hop == first_silent + WATCHED_HOPS {
                    s.mark_watched();
                }
                s.say_part(text::tracert_hop(hop));
                for _ in 0..PROBES {
                    s.wait(o.wait);
                    s.say_part(text::tracert_probe(None));
                }
                s.say(text::TRACERT_TIMED_OUT);
            }
        }
    }
    s.say("");
    s.say(text::TRACERT_COMPLETE);
}

/// How a trace ends after the hops that answered.
enum End {
    /// The last hop was the target.
    Complete,
    /// A host (the workstation itself, or a router) reported the destination unreachable.
    Unreachable(Ipv4Addr, &'static str),
    /// Nothing more answers: every remaining hop times out.
    Silence,
    /// No probe can be sent at all.
    GeneralFailure,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_parse_like_tracert_exe() {
        let run = |args: &[&str]| {
            parse(args)
                .ok()
                .map(|o| (o.target, o.resolve, o.max_hops, o.wait))
        };
        type Want = Option<(String, bool, u32, Millis)>;
        let table: Vec<(&[&str], Want)> = vec![
            (&["10.0.0.25"], Some(("10.0.0.25".into(), true, 30, 4000))),
            (&["-d", "x"], Some(("x".into(), false, 30, 4000))),
            (
                &["/h", "5", "-w", "500", "x"],
                Some(("x".into(), true, 5, 500)),
            ),
            (&["-j", "10.0.0.1", "x"], Some(("x".into(), true, 30, 4000))),
            (&[], None),
            (&["/?"], None),
            (&["-h", "0", "x"], None),
            (&["-h", "256", "x"], None),
            (&["-q", "x"], None),
        ];
        for (args, want) in table {
            assert_eq!(run(args), want, "{args:?}");
        }
    }

    #[test]
    fn probe_columns_line_up_as_tracert_prints_them() {
        let line = |probes: [Option<u64>; 3], end: &str| {
            let mut l = text::tracert_hop(1);
            for p in probes {
                l.push_str(&text::tracert_probe(p));
            }
            l + end
        };
        assert_eq!(
            line(
                [Some(0); 3],
                &text::tracert_hop_host(Some("router.contoso.com"), "10.0.0.1")
            ),
            "  1    <1 ms    <1 ms    <1 ms  router.contoso.com [10.0.0.1]"
        );
        assert_eq!(
            line(
                [Some(1), Some(12), Some(3)],
                &text::tracert_hop_host(None, "192.168.10.20")
            ),
            "  1     1 ms    12 ms     3 ms  192.168.10.20"
        );
        assert_eq!(
            line([None; 3], text::TRACERT_TIMED_OUT),
            "  1     *        *        *     Request timed out."
        );
    }
}
