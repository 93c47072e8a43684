//! The simulated network: addresses, routing by mask and gateway, DNS, hosts and their
//! services, faults, and simulated TCP connections carrying bytes to an SMTP session.
//!
//! [`Network`] is built once from a [`World`] and answers questions the tools ask: can a packet
//! reach this address ([`Network::reach`]), what does the resolver make of a name
//! ([`Network::resolve`]), what does a DNS server answer ([`Network::dns_query`]), what happens
//! on a TCP connect ([`Network::connect`]). It answers in topology terms; how each Windows
//! version *prints* an outcome is the workstation's business. [`Connection`] is one TCP
//! connection to a mail server's [`Session`], recording every segment in the trace.

pub mod cache;
mod conn;
pub mod netmon;

pub use conn::{ConnOutput, Connection, TraceSegment, TRACE_CAP};

use crate::clock::{Millis, SECOND};
use crate::scenario::{parse_cidr, parse_ip, parse_mask, Fault, HostRole, World, DEFAULT_TTL};
use crate::smtp::{self, ServerConfig};
use cache::{Answer, ResolverCache};
use std::cell::RefCell;
use std::net::Ipv4Addr;
use std::sync::Arc;

/// How long a refused connection takes to report: Windows retries a reset SYN twice.
pub const REFUSED_AFTER: Millis = SECOND;
/// How long an unanswered connect takes to give up: SYN retransmits at 3, 6 and 12 s.
pub const CONNECT_TIMEOUT: Millis = 21 * SECOND;
/// How long the resolver tries a silent DNS server before giving up on a name.
pub const RESOLVER_TIMEOUT: Millis = 10 * SECOND;
/// Time for a connection to a reachable host to open, per router crossed plus one.
pub const CONNECT_RTT: Millis = 20;

/// The core's one deterministic generator (SplitMix64), shared with the SMTP engine: ephemeral
/// ports, round-trip times and seeds come from it.
pub use crate::smtp::reply::Rng;

/// Where a packet to an address ends up, in topology terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// The loopback range or the workstation's own address.
    Loopback,
    /// A live host answered; `hops` routers were crossed.
    Host { ip: Ipv4Addr, hops: u8 },
    /// On the local subnet (the target or the gateway) nothing answers ARP.
    NoNeighbor,
    /// The target is off the local subnet and there is no usable default gateway.
    NoRoute,
    /// The router has no route to the target and says so (ICMP unreachable from `router`).
    RouterUnreachable { router: Ipv4Addr },
    /// Past the router nothing answers (remote subnet down, or no host at that address).
    Lost,
    /// The network adapter is disabled.
    NicDown,
}

/// NAME with the primary DNS suffix `suffix`, when the resolver would add it: a name of one
/// label that is not an address, not `localhost` and not ended by a dot (which marks it
/// complete). Windows' resolver does this on a domain member, so `telnet mail 25` reaches
/// mail.contoso.com; with no suffix (a workgroup PC) it never does.
pub fn qualify(name: &str, suffix: Option<&str>) -> Option<String> {
    let suffix = suffix?;
    let name = name.trim();
    let single = !name.is_empty()
        && !name.contains('.')
        && !name.eq_ignore_ascii_case("localhost")
        && parse_ip(name).is_none();
    single.then(|| format!("{name}.{suffix}"))
}

/// What the resolver makes of a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    Address(Ipv4Addr),
    /// The DNS server answered that the name does not exist.
    NotFound,
    /// No DNS server could be asked, or it never answered.
    NoServer,
}

/// A DNS record type nslookup can ask for. The simulated zones hold A, MX and PTR records,
/// plus the NS and SOA records of the zone the DNS server serves; the other types a learner
/// may try (`set type=aaaa`) are real questions whose answer is "no such record".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryType {
    A,
    Mx,
    Ptr,
    Any,
    Ns,
    Soa,
    Cname,
    Txt,
    Aaaa,
}

impl QueryType {
    /// Every type with the name nslookup takes and prints for it.
    const NAMES: [(QueryType, &'static str); 9] = [
        (QueryType::A, "A"),
        (QueryType::Mx, "MX"),
        (QueryType::Ptr, "PTR"),
        (QueryType::Any, "ANY"),
        (QueryType::Ns, "NS"),
        (QueryType::Soa, "SOA"),
        (QueryType::Cname, "CNAME"),
        (QueryType::Txt, "TXT"),
        (QueryType::Aaaa, "AAAA"),
    ];

    /// Parses nslookup's `type=` values, case-insensitively.
    pub fn parse(s: &str) -> Option<QueryType> {
        let s = s.trim();
        Self::NAMES
            .iter()
            .find(|(_, n)| n.eq_ignore_ascii_case(s))
            .map(|(q, _)| *q)
    }

    /// The type's name as nslookup prints it (`set all`, debug output).
    pub fn name(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(q, _)| *q == self)
            .map_or("A", |(_, n)| n)
    }
}

/// One record as the DNS server sends it, with its time to live in seconds (the scenario's
/// `ttl`, else [`crate::scenario::DEFAULT_TTL`]): nslookup's debug output prints it and the
/// resolver cache keeps an answer that long.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    A {
        name: String,
        address: Ipv4Addr,
        ttl: u32,
    },
    Mx {
        name: String,
        preference: u16,
        exchange: String,
        ttl: u32,
    },
    Ptr {
        address: Ipv4Addr,
        name: String,
        ttl: u32,
    },
    /// The zone's name server (the DNS server itself).
    Ns {
        zone: String,
        server: String,
        ttl: u32,
    },
    /// The zone's start of authority, whose primary is the DNS server.
    Soa {
        zone: String,
        primary: String,
        ttl: u32,
    },
}

impl Record {
    /// The record's time to live, in seconds.
    pub fn ttl(&self) -> u32 {
        match self {
            Record::A { ttl, .. }
            | Record::Mx { ttl, .. }
            | Record::Ptr { ttl, .. }
            | Record::Ns { ttl, .. }
            | Record::Soa { ttl, .. } => *ttl,
        }
    }
}

/// What a DNS server answers to one query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DnsReply {
    /// Answers, plus the A records of MX exchangers (the additional section).
    Answer {
        records: Vec<Record>,
        additional: Vec<Record>,
        authoritative: bool,
    },
    /// The name exists but has no record of this type.
    NoData {
        authoritative: bool,
    },
    NxDomain,
    /// Nothing came back (server down, unreachable, or not a DNS server).
    Timeout,
}

/// A TCP connect attempt's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connect {
    /// The mail server at host index accepts, after `after` milliseconds.
    Open { host: usize, after: Millis },
    /// Nothing listens there (or the service is stopped): reset.
    Refused { after: Millis },
    /// Nothing comes back at all.
    TimedOut { after: Millis },
}

#[derive(Debug, Clone)]
struct NetHost {
    ip: Option<Ipv4Addr>,
    role: HostRole,
    up: bool,
    routes: Vec<(Ipv4Addr, Ipv4Addr)>,
}

/// The network as the workstation sees it, faults applied.
#[derive(Debug, Clone)]
pub struct Network {
    own: Ipv4Addr,
    mask: Ipv4Addr,
    gateway: Option<Ipv4Addr>,
    dns: Option<Ipv4Addr>,
    nic_down: bool,
    remote_down: bool,
    hosts: Vec<NetHost>,
    world: World,
    /// The primary DNS suffix ([`World::dns_suffix`]).
    suffix: Option<String>,
    /// The ARP cache: neighbours on the local subnet that answered while the workstation
    /// sent them something (`arp -a`). A cell, because sending is what a query does too
    /// (a DNS lookup ARPs for the DNS server), and queries only read the network.
    arp: RefCell<Vec<Ipv4Addr>>,
    /// The DNS Client's resolver cache (`ipconfig /displaydns`); a cell for the same reason.
    cache: RefCell<ResolverCache>,
}

fn same_subnet(a: Ipv4Addr, b: Ipv4Addr, mask: Ipv4Addr) -> bool {
    u32::from(a) & u32::from(mask) == u32::from(b) & u32::from(mask)
}

/// Domain of a host name: everything after the first label (`mail.contoso.com` → `contoso.com`).
fn domain_of(name: &str) -> &str {
    name.split_once('.').map(|(_, d)| d).unwrap_or(name)
}

impl Network {
    /// Builds the network from a world. Unparsable addresses (a world that skipped
    /// [`World::parse`]) become hosts nobody can reach, never a panic.
    pub fn new(world: &World) -> Network {
        let ws = &world.workstation;
        let own = parse_ip(&ws.ip).unwrap_or(Ipv4Addr::new(169, 254, 0, 1));
        let mask = parse_mask(&world.effective_mask()).unwrap_or(Ipv4Addr::new(255, 255, 0, 0));
        let gateway = parse_ip(&world.effective_gateway());
        let gateway_down = world.has_fault(|f| matches!(f, Fault::GatewayDown));
        let hosts = world
            .hosts
            .iter()
            .map(|h| NetHost {
                ip: parse_ip(&h.ip),
                role: h.role,
                up: !(gateway_down && h.role == HostRole::Router),
                routes: h.routes.iter().filter_map(|r| parse_cidr(r)).collect(),
            })
            .collect();
        Network {
            own,
            mask,
            gateway,
            dns: parse_ip(&ws.dns),
            nic_down: world.has_fault(|f| matches!(f, Fault::NicDisabled)),
            remote_down: world.has_fault(|f| matches!(f, Fault::RemoteSubnetDown)),
            hosts,
            suffix: world.dns_suffix(),
            world: world.clone(),
            arp: RefCell::new(Vec::new()),
            cache: RefCell::default(),
        }
    }

    /// The workstation's subnet mask, faults applied.
    pub fn mask(&self) -> Ipv4Addr {
        self.mask
    }

    /// The neighbours in the ARP cache, in address order (kept so as they are learnt).
    pub fn neighbours(&self) -> Vec<Ipv4Addr> {
        self.arp.borrow().clone()
    }

    /// Empties the ARP cache (`arp -d *`), or drops one entry; whether anything was there.
    pub fn forget_neighbour(&self, ip: Option<Ipv4Addr>) -> bool {
        let mut arp = self.arp.borrow_mut();
        let before = arp.len();
        match ip {
            Some(ip) => arp.retain(|a| *a != ip),
            None => arp.clear(),
        }
        arp.len() != before
    }

    /// Notes a neighbour that answered ARP, in address order.
    fn learn(&self, ip: Ipv4Addr) {
        let mut arp = self.arp.borrow_mut();
        if let Err(at) = arp.binary_search(&ip) {
            arp.insert(at, ip);
        }
    }

    /// The workstation's own address.
    pub fn own_ip(&self) -> Ipv4Addr {
        self.own
    }

    /// Whether the network adapter works.
    pub fn nic_up(&self) -> bool {
        !self.nic_down
    }

    fn host_at(&self, ip: Ipv4Addr) -> Option<usize> {
        self.hosts.iter().position(|h| h.ip == Some(ip))
    }

    /// Follows a packet from the workstation to `dst`.
    pub fn reach(&self, dst: Ipv4Addr) -> Reach {
        if self.nic_down {
            return Reach::NicDown;
        }
        if dst.is_loopback() || dst == self.own {
            return Reach::Loopback;
        }
        if same_subnet(dst, self.own, self.mask) {
            return match self.host_at(dst) {
                Some(i) if self.hosts[i].up && same_subnet(dst, self.own, self.real_mask()) => {
                    self.learn(dst);
                    Reach::Host { ip: dst, hops: 0 }
                }
                _ => Reach::NoNeighbor,
            };
        }
        let Some(gw) = self.gateway else {
            return Reach::NoRoute;
        };
        if !same_subnet(gw, self.own, self.mask) {
            return Reach::NoRoute;
        }
        let router = match self.host_at(gw) {
            Some(i)
                if self.hosts[i].up
                    && self.hosts[i].role == HostRole::Router
                    && same_subnet(gw, self.own, self.real_mask()) =>
            {
                &self.hosts[i]
            }
            _ => return Reach::NoNeighbor,
        };
        self.learn(gw);
        // The router forwards back to its own subnet too (a wrong mask on the workstation
        // sends local traffic through it); a host there answers with one hop.
        if same_subnet(dst, self.own, self.real_mask()) {
            return match self.host_at(dst) {
                Some(i) if self.hosts[i].up => Reach::Host { ip: dst, hops: 1 },
                _ => Reach::Lost,
            };
        }
        if !router
            .routes
            .iter()
            .any(|(net, m)| same_subnet(dst, *net, *m))
        {
            return Reach::RouterUnreachable { router: gw };
        }
        if self.remote_down {
            return Reach::Lost;
        }
        match self.host_at(dst) {
            Some(i) if self.hosts[i].up => Reach::Host { ip: dst, hops: 1 },
            _ => Reach::Lost,
        }
    }

    /// The mask the subnet really has (the configured one, before a wrong-mask fault): the
    /// hosts on the wire answer only within it.
    fn real_mask(&self) -> Ipv4Addr {
        parse_mask(&self.world.workstation.mask).unwrap_or(self.mask)
    }

    /// The index of the DNS server the workstation would ask, if it is a live, reachable DNS
    /// server that is not faulted down.
    fn working_dns(&self, server: Ipv4Addr) -> Option<usize> {
        let i = self.host_at(server)?;
        let dns_down = self.world.has_fault(|f| matches!(f, Fault::DnsDown));
        let reachable = matches!(self.reach(server), Reach::Host { .. });
        (self.hosts[i].role == HostRole::Dns && !dns_down && reachable).then_some(i)
    }

    /// The workstation's default gateway, if it has one (tracert's first hop).
    pub fn gateway(&self) -> Option<Ipv4Addr> {
        self.gateway
    }

    /// The configured DNS server's address, if any.
    pub fn dns_server(&self) -> Option<Ipv4Addr> {
        self.dns
    }

    /// Whether a name is missing from DNS because of a `dns-missing-records` fault.
    fn record_missing(&self, dns_host: usize, name: &str) -> bool {
        self.world.faults.iter().any(|f| match f {
            Fault::DnsMissingRecords { names } if names.is_empty() => {
                !name.eq_ignore_ascii_case(&self.world.hosts[dns_host].name)
            }
            Fault::DnsMissingRecords { names } => {
                names.iter().any(|n| n.eq_ignore_ascii_case(name))
            }
            _ => false,
        })
    }

    /// What a DNS server at `server` answers for `name` and `qtype`.
    pub fn dns_query(&self, server: Ipv4Addr, name: &str, qtype: QueryType) -> DnsReply {
        let Some(i) = self.working_dns(server) else {
            return DnsReply::Timeout;
        };
        let host = &self.world.hosts[i];
        let name = name.trim().trim_end_matches('.');
        let authoritative = domain_of(&host.name).eq_ignore_ascii_case(domain_of(name))
            || domain_of(&host.name).eq_ignore_ascii_case(name);
        let a_of = |n: &str| -> Vec<Record> {
            if self.record_missing(i, n) {
                return Vec::new();
            }
            host.a
                .iter()
                .filter(|r| r.name.eq_ignore_ascii_case(n))
                .filter_map(|r| {
                    Some(Record::A {
                        name: r.name.clone(),
                        address: parse_ip(&r.address)?,
                        ttl: r.ttl.unwrap_or(DEFAULT_TTL),
                    })
                })
                .collect()
        };
        let mx_of = |n: &str| -> Vec<Record> {
            if self.record_missing(i, n) {
                return Vec::new();
            }
            let mut v: Vec<_> = host
                .mx
                .iter()
                .filter(|r| r.name.eq_ignore_ascii_case(n))
                .collect();
            v.sort_by_key(|r| r.preference);
            v.into_iter()
                .map(|r| Record::Mx {
                    name: r.name.clone(),
                    preference: r.preference,
                    exchange: r.exchange.clone(),
                    ttl: r.ttl.unwrap_or(DEFAULT_TTL),
                })
                .collect()
        };
        if qtype == QueryType::Ptr || (qtype != QueryType::Mx && parse_ip(name).is_some()) {
            let Some(ip) = parse_ip(name) else {
                return DnsReply::NxDomain;
            };
            return match self.reverse_record(i, ip) {
                Some((n, ttl)) => DnsReply::Answer {
                    records: vec![Record::Ptr {
                        address: ip,
                        name: n,
                        ttl,
                    }],
                    additional: Vec::new(),
                    authoritative,
                },
                None => DnsReply::NxDomain,
            };
        }
        // The server's own zone: the domain of its name (ns1.contoso.com serves contoso.com).
        let zone = domain_of(&host.name);
        let apex = zone.eq_ignore_ascii_case(name);
        let (ns, soa) = if apex {
            (
                vec![Record::Ns {
                    zone: zone.to_string(),
                    server: host.name.clone(),
                    ttl: DEFAULT_TTL,
                }],
                vec![Record::Soa {
                    zone: zone.to_string(),
                    primary: host.name.clone(),
                    ttl: DEFAULT_TTL,
                }],
            )
        } else {
            (Vec::new(), Vec::new())
        };
        let (a, mx) = (a_of(name), mx_of(name));
        let exists = apex || !a.is_empty() || !mx.is_empty();
        let records = match qtype {
            QueryType::A => a,
            QueryType::Mx => mx,
            QueryType::Ns => ns,
            QueryType::Soa => soa,
            QueryType::Cname | QueryType::Txt | QueryType::Aaaa => Vec::new(),
            QueryType::Ptr | QueryType::Any => {
                a.into_iter().chain(mx).chain(ns).chain(soa).collect()
            }
        };
        if records.is_empty() {
            return if exists {
                DnsReply::NoData { authoritative }
            } else {
                DnsReply::NxDomain
            };
        }
        let additional = records
            .iter()
            .filter_map(|r| match r {
                Record::Mx { exchange, .. } => Some(a_of(exchange)),
                Record::Ns { server, .. } => Some(a_of(server)),
                _ => None,
            })
            .flatten()
            .collect();
        DnsReply::Answer {
            records,
            additional,
            authoritative,
        }
    }

    /// The name a DNS server gives an address, with the TTL of the A record it comes from.
    fn reverse_record(&self, dns_host: usize, ip: Ipv4Addr) -> Option<(String, u32)> {
        self.world.hosts[dns_host]
            .a
            .iter()
            .find(|r| parse_ip(&r.address) == Some(ip) && !self.record_missing(dns_host, &r.name))
            .map(|r| (r.name.clone(), r.ttl.unwrap_or(DEFAULT_TTL)))
    }

    fn reverse_on(&self, dns_host: usize, ip: Ipv4Addr) -> Option<String> {
        self.reverse_record(dns_host, ip).map(|(name, _)| name)
    }

    /// The SOA record a DNS server at `server` puts in the authority section of a negative
    /// answer (no such name, or no record of the type) for `name`: its own zone's, when the
    /// name lies in that zone. A name elsewhere gets none here, though a real server would
    /// pass on the other zone's (R: the simulated network holds no other zone).
    pub fn negative_soa(&self, server: Ipv4Addr, name: &str) -> Option<Record> {
        let i = self.working_dns(server)?;
        let host = &self.world.hosts[i];
        let zone = domain_of(&host.name);
        let name = name.trim().trim_end_matches('.').to_ascii_lowercase();
        let zone_lc = zone.to_ascii_lowercase();
        let inside = name == zone_lc || name.ends_with(&format!(".{zone_lc}"));
        inside.then(|| Record::Soa {
            zone: zone.to_string(),
            primary: host.name.clone(),
            ttl: DEFAULT_TTL,
        })
    }

    /// The name the configured DNS server gives an address (ping -a, nslookup's banner).
    pub fn reverse(&self, ip: Ipv4Addr) -> Option<String> {
        let server = self.dns?;
        let i = self.working_dns(server)?;
        self.reverse_on(i, ip)
    }

    /// What a name resolves to without the resolver cache, as nslookup resolves the name of a
    /// server it is told to use: an address literal, `localhost`, the computer's own name, or a
    /// DNS A lookup on the configured server.
    pub fn resolve(&self, name: &str) -> Resolved {
        self.lookup_with(name, None).1
    }

    /// The workstation's primary DNS suffix, if it has one.
    pub fn dns_suffix(&self) -> Option<&str> {
        self.suffix.as_deref()
    }

    /// NAME with this workstation's primary DNS suffix, when the resolver adds it ([`qualify`]).
    pub fn qualify(&self, name: &str) -> Option<String> {
        qualify(name, self.dns_suffix())
    }

    /// What the DNS Client makes of a name at `now`, as ping, telnet and tracert ask it: the
    /// name it found (a single-label name with the primary DNS suffix added, as `ping mail`
    /// shows `Pinging mail.contoso.com [10.0.0.25]`) and the answer, from the resolver cache
    /// while it holds one, else from the DNS server (and then cached).
    pub fn lookup(&self, name: &str, now: Millis) -> (String, Resolved) {
        self.lookup_with(name, Some(now))
    }

    fn lookup_with(&self, name: &str, now: Option<Millis>) -> (String, Resolved) {
        let own = name
            .trim()
            .trim_end_matches('.')
            .eq_ignore_ascii_case(&self.world.workstation.name);
        if let Some(full) = self.qualify(name).filter(|_| !own) {
            let found = self.resolve_exact(&full, now);
            if found != Resolved::NotFound {
                return (full, found);
            }
        }
        (name.trim().to_string(), self.resolve_exact(name, now))
    }

    /// One name, through the cache when `now` is given.
    fn resolve_exact(&self, name: &str, now: Option<Millis>) -> Resolved {
        let name = name.trim().trim_end_matches('.');
        if let Some(ip) = parse_ip(name) {
            return Resolved::Address(ip);
        }
        if name.eq_ignore_ascii_case("localhost") {
            return Resolved::Address(Ipv4Addr::LOCALHOST);
        }
        if name.eq_ignore_ascii_case(&self.world.workstation.name) {
            return Resolved::Address(self.own);
        }
        let cached = now.and_then(|now| self.cache.borrow().get(name, now));
        let answer = match cached {
            Some(a) => a,
            None => {
                let Some(server) = self.dns.filter(|_| !self.nic_down) else {
                    return Resolved::NoServer;
                };
                let (answer, ttl) = match self.dns_query(server, name, QueryType::A) {
                    DnsReply::Answer { records, .. } => records
                        .iter()
                        .find_map(|r| match r {
                            Record::A { address, ttl, .. } => {
                                Some((Answer::Address(*address), Millis::from(*ttl) * SECOND))
                            }
                            _ => None,
                        })
                        .unwrap_or((Answer::NoData, self.negative_ttl())),
                    DnsReply::NoData { .. } => (Answer::NoData, self.negative_ttl()),
                    DnsReply::NxDomain => (Answer::NoName, self.negative_ttl()),
                    DnsReply::Timeout => return Resolved::NoServer,
                };
                if let Some(now) = now {
                    self.cache.borrow_mut().put(name, answer, ttl, now);
                }
                answer
            }
        };
        match answer {
            Answer::Address(a) => Resolved::Address(a),
            Answer::NoName | Answer::NoData => Resolved::NotFound,
        }
    }

    /// The DNS Client starting at `now`: it reads the hosts file and, as if looked up before,
    /// holds each `stale-dns-cache` fault's name as missing for the version's whole negative
    /// TTL, so the fault fixes itself as Windows would, or at the first flush.
    pub fn start_dns(&self, now: Millis) {
        let mut cache = self.cache.borrow_mut();
        cache.flush(now);
        let ttl = self.negative_ttl();
        for f in &self.world.faults {
            if let Some(name) = self.world.stale_cache_name(f) {
                cache.put(&name, Answer::NoName, ttl, now);
            }
        }
    }

    /// How long this version's DNS Client keeps a negative answer.
    fn negative_ttl(&self) -> Millis {
        cache::negative_ttl(self.world.workstation.os.is_vista_or_later())
    }

    /// `ipconfig /flushdns`: empties the resolver cache (the hosts file is read again).
    pub fn flush_dns(&self, now: Millis) {
        self.cache.borrow_mut().flush(now);
    }

    /// The resolver cache (`ipconfig /displaydns`).
    pub fn dns_cache(&self) -> std::cell::Ref<'_, ResolverCache> {
        self.cache.borrow()
    }

    /// A TCP connect from the workstation to `ip:port`.
    pub fn connect(&self, ip: Ipv4Addr, port: u16) -> Connect {
        match self.reach(ip) {
            Reach::Host { ip, hops } => {
                let Some(i) = self.host_at(ip) else {
                    return Connect::Refused {
                        after: REFUSED_AFTER,
                    };
                };
                let faults: Vec<_> = self.world.faults_for_host(i).collect();
                let listening = self.hosts[i].role == HostRole::Mail && port == 25;
                if listening
                    && faults
                        .iter()
                        .any(|f| matches!(f, Fault::FirewallBlocksSmtp { .. }))
                {
                    Connect::TimedOut {
                        after: CONNECT_TIMEOUT,
                    }
                } else if listening
                    && !faults
                        .iter()
                        .any(|f| matches!(f, Fault::SmtpServiceStopped { .. }))
                {
                    Connect::Open {
                        host: i,
                        after: CONNECT_RTT * (Millis::from(hops) + 1),
                    }
                } else {
                    Connect::Refused {
                        after: REFUSED_AFTER,
                    }
                }
            }
            Reach::Loopback | Reach::RouterUnreachable { .. } => Connect::Refused {
                after: REFUSED_AFTER,
            },
            Reach::NoRoute | Reach::NicDown => Connect::Refused { after: 0 },
            Reach::NoNeighbor | Reach::Lost => Connect::TimedOut {
                after: CONNECT_TIMEOUT,
            },
        }
    }

    /// The engine configuration of mail host `index`, with the world's overrides and its
    /// server faults applied. The one place that turns scenario data into engine data.
    pub fn server_config(&self, index: usize) -> Arc<ServerConfig> {
        let Some(host) = self.world.hosts.get(index) else {
            return Arc::new(ServerConfig::default_world());
        };
        let mut o = host.overrides.clone();
        o.hostname.get_or_insert_with(|| host.name.clone());
        if o.mailboxes.is_none() {
            // The persona's default mailboxes, moved into this server's first domain.
            let domain = o
                .domains
                .as_ref()
                .and_then(|d| d.first().cloned())
                .unwrap_or_else(|| smtp::config::DEFAULT_DOMAIN.to_string());
            o.mailboxes = Some(
                smtp::config::DEFAULT_MAILBOXES
                    .iter()
                    .filter_map(|m| m.split_once('@'))
                    .map(|(user, _)| format!("{user}@{domain}"))
                    .collect(),
            );
        }
        let persona_id = host
            .persona
            .as_deref()
            .unwrap_or(smtp::persona::DEFAULT_PERSONA);
        let faults: Vec<&Fault> = self.world.faults_for_host(index).collect();
        let damaged = faults
            .iter()
            .any(|f| matches!(f, Fault::ExchangeLinkDamaged { .. }));
        let base = match (damaged, persona_id) {
            (true, "exchange2003") => smtp::persona::get("exchange2003-damaged-link"),
            _ => smtp::persona::get(persona_id),
        };
        let mut persona = base
            .or_else(|| smtp::persona::get(smtp::persona::DEFAULT_PERSONA))
            .cloned()
            .unwrap_or_default();
        for f in faults {
            match f {
                Fault::ExchangeLinkDamaged { .. } => {
                    // KB 153119's symptom: Exchange's own verbs vanish from the EHLO list.
                    const EXCHANGE_VERBS: [&str; 4] = ["X-EXPS", "AUTH", "X-LINK2STATE", "XEXCH50"];
                    let kept = |l: &String| {
                        let k = smtp::persona::ehlo_keyword(l);
                        !EXCHANGE_VERBS.iter().any(|v| v.eq_ignore_ascii_case(k))
                    };
                    persona.ehlo.retain(kept);
                    if let Some(inside) = &mut persona.ehlo_tls {
                        inside.retain(kept);
                    }
                }
                Fault::ClosesOnBadEhlo { .. } => {
                    // The IIS 4/5 behaviour of KB 240832: `EHLO sub2.` is malformed, answered,
                    // and the connection closes.
                    persona.behaviour.trailing_dot_in_hello = smtp::persona::TrailingDot::Reject;
                    persona.behaviour.bad_hello_closes = true;
                }
                Fault::RelayRefused { .. } => o.domains = Some(Vec::new()),
                Fault::RecipientUnknown { address, .. } => {
                    let gone = address.as_deref().unwrap_or("user@contoso.com");
                    if let Some(m) = o.mailboxes.as_mut() {
                        m.retain(|b| !b.eq_ignore_ascii_case(gone));
                    }
                }
                Fault::MessageSizeLimit { bytes, .. } => {
                    o.limits
                        .get_or_insert_with(Default::default)
                        .max_message_size = Some(bytes.unwrap_or(1024));
                }
                _ => {}
            }
        }
        Arc::new(ServerConfig::from_persona(persona, &o))
    }

    /// The world this network was built from.
    pub fn world(&self) -> &World {
        &self.world
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> Ipv4Addr {
        s.parse().expect("test address")
    }

    fn net(faults: &[Fault]) -> Network {
        let w = World {
            faults: faults.to_vec(),
            ..World::default()
        };
        Network::new(&w)
    }

    #[test]
    fn reach_follows_mask_gateway_and_faults() {
        use Reach::*;
        let table: Vec<(Vec<Fault>, &str, Reach)> = vec![
            (vec![], "127.0.0.1", Loopback),
            (vec![], "10.0.0.50", Loopback),
            (
                vec![],
                "10.0.0.25",
                Host {
                    ip: ip("10.0.0.25"),
                    hops: 0,
                },
            ),
            (vec![], "10.0.0.99", NoNeighbor),
            (
                vec![],
                "192.168.10.20",
                Host {
                    ip: ip("192.168.10.20"),
                    hops: 1,
                },
            ),
            (vec![], "192.168.10.99", Lost),
            (
                vec![],
                "172.16.0.1",
                RouterUnreachable {
                    router: ip("10.0.0.1"),
                },
            ),
            (vec![Fault::NicDisabled], "127.0.0.1", NicDown),
            (vec![Fault::WrongMask { mask: None }], "10.0.0.25", NoRoute),
            (
                vec![Fault::WrongMask { mask: None }],
                "192.168.10.20",
                NoRoute,
            ),
            (
                vec![Fault::WrongGateway { gateway: None }],
                "10.0.0.25",
                Host {
                    ip: ip("10.0.0.25"),
                    hops: 0,
                },
            ),
            (
                vec![Fault::WrongGateway { gateway: None }],
                "192.168.10.20",
                NoNeighbor,
            ),
            (vec![Fault::GatewayDown], "10.0.0.1", NoNeighbor),
            (
                vec![Fault::RemoteSubnetDown],
                "10.0.0.1",
                Host {
                    ip: ip("10.0.0.1"),
                    hops: 0,
                },
            ),
            (vec![Fault::RemoteSubnetDown], "192.168.10.20", Lost),
        ];
        for (faults, dst, want) in table {
            assert_eq!(net(&faults).reach(ip(dst)), want, "{faults:?} {dst}");
        }
    }

    #[test]
    fn resolve_uses_dns_and_its_faults() {
        let table: Vec<(Vec<Fault>, &str, Resolved)> = vec![
            (
                vec![],
                "mail.contoso.com",
                Resolved::Address(ip("10.0.0.25")),
            ),
            (
                vec![],
                "SMARTHOST.fabrikam.com.",
                Resolved::Address(ip("192.168.10.20")),
            ),
            (vec![], "localhost", Resolved::Address(Ipv4Addr::LOCALHOST)),
            (vec![], "ws01", Resolved::Address(ip("10.0.0.50"))),
            (vec![], "nosuch.example", Resolved::NotFound),
            (vec![Fault::DnsDown], "mail.contoso.com", Resolved::NoServer),
            (
                vec![Fault::DnsDown],
                "WS01",
                Resolved::Address(ip("10.0.0.50")),
            ),
            (vec![], "mail", Resolved::Address(ip("10.0.0.25"))),
            (vec![], "mail.", Resolved::NotFound),
            (vec![], "smarthost", Resolved::NotFound),
            (vec![Fault::DnsDown], "mail", Resolved::NoServer),
            (
                vec![Fault::NicDisabled],
                "mail.contoso.com",
                Resolved::NoServer,
            ),
            (
                vec![Fault::DnsMissingRecords { names: vec![] }],
                "smarthost.fabrikam.com",
                Resolved::NotFound,
            ),
            (
                vec![Fault::DnsMissingRecords {
                    names: vec!["mail.contoso.com".into()],
                }],
                "smarthost.fabrikam.com",
                Resolved::Address(ip("192.168.10.20")),
            ),
        ];
        for (faults, name, want) in table {
            assert_eq!(net(&faults).resolve(name), want, "{faults:?} {name}");
        }
    }

    #[test]
    fn a_name_of_one_label_gets_the_dns_suffix() {
        let n = net(&[]);
        assert_eq!(n.lookup("mail", 0).0, "mail.contoso.com");
        assert_eq!(n.lookup("mail.contoso.com", 0).0, "mail.contoso.com");
        assert_eq!(n.lookup("nosuch", 0).0, "nosuch");
        assert_eq!(n.lookup("ws01", 0).0, "ws01");
        let c = Some("contoso.com");
        assert_eq!(qualify("10.0.0.25", c), None);
        assert_eq!(qualify("localhost", c), None);
        assert_eq!(qualify("mail.", c), None);
        assert_eq!(qualify(" Mail ", c), Some("Mail.contoso.com".into()));
        assert_eq!(qualify("mail", None), None);
    }

    #[test]
    fn the_resolver_cache_answers_until_the_ttl_is_over() {
        let n = net(&[]);
        let dns = ip("10.0.0.2");
        let mail = Resolved::Address(ip("10.0.0.25"));
        assert_eq!(n.lookup("mail.contoso.com", 5).1, mail);
        assert_eq!(n.neighbours(), vec![dns]);
        // Served from the cache, nothing is sent: the DNS server is not even ARPed for.
        n.forget_neighbour(None);
        assert_eq!(n.lookup("MAIL.contoso.com", 5 + cache::A_TTL - 1).1, mail);
        assert!(n.neighbours().is_empty());
        // At the TTL the entry has expired and the server is asked again.
        assert_eq!(n.dns_cache().live(5 + cache::A_TTL).count(), 0);
        assert_eq!(n.lookup("mail.contoso.com", 5 + cache::A_TTL).1, mail);
        assert_eq!(n.neighbours(), vec![dns]);
        // The uncached resolution (nslookup's) neither reads nor fills the cache.
        assert_eq!(
            n.resolve("smarthost.fabrikam.com"),
            Resolved::Address(ip("192.168.10.20"))
        );
        let c = n.dns_cache();
        let names: Vec<_> = c.live(5 + cache::A_TTL).collect();
        assert_eq!(names.len(), 1);
        assert_eq!(names[0].name, "mail.contoso.com");
    }

    #[test]
    fn a_records_ttl_is_what_the_server_hands_out_and_the_cache_keeps() {
        let mut w = World::default();
        let dns = w
            .hosts
            .iter_mut()
            .find(|h| h.role == HostRole::Dns)
            .expect("a DNS server");
        for r in dns.a.iter_mut().filter(|r| r.name == "mail.contoso.com") {
            r.ttl = Some(120);
        }
        for r in dns.mx.iter_mut() {
            r.ttl = Some(60);
        }
        let n = Network::new(&w);
        let server = ip("10.0.0.2");
        let ttls = |name: &str, q| match n.dns_query(server, name, q) {
            DnsReply::Answer {
                records,
                additional,
                ..
            } => records
                .iter()
                .chain(&additional)
                .map(Record::ttl)
                .collect::<Vec<_>>(),
            other => panic!("{name}: {other:?}"),
        };
        assert_eq!(ttls("mail.contoso.com", QueryType::A), [120]);
        assert_eq!(ttls("10.0.0.25", QueryType::Ptr), [120]);
        assert_eq!(ttls("contoso.com", QueryType::Mx), [60, 120]);
        assert_eq!(ttls("ns1.contoso.com", QueryType::A), [DEFAULT_TTL]);
        assert_eq!(
            ttls("contoso.com", QueryType::Ns),
            [DEFAULT_TTL, DEFAULT_TTL]
        );
        // The resolver cache keeps the answer for the record's TTL, not the default hour.
        let mail = Resolved::Address(ip("10.0.0.25"));
        assert_eq!(n.lookup("mail.contoso.com", 0).1, mail);
        let expires: Vec<_> = n.dns_cache().live(0).map(|e| e.expires).collect();
        assert_eq!(expires, [120 * SECOND]);
        assert_eq!(n.dns_cache().live(120 * SECOND).count(), 0);
        // A negative answer carries the zone's SOA only when the name is in the zone.
        assert!(matches!(
            n.negative_soa(server, "nosuch.deep.contoso.com"),
            Some(Record::Soa { ref zone, .. }) if zone == "contoso.com"
        ));
        assert_eq!(n.negative_soa(server, "nosuch.example"), None);
        assert_eq!(n.negative_soa(ip("10.0.0.25"), "nosuch.contoso.com"), None);
    }

    #[test]
    fn negative_answers_are_cached_for_the_versions_negative_time_and_timeouts_not_at_all() {
        for (os, negative) in [
            (crate::scenario::WindowsVersion::Xp, 300 * SECOND),
            (crate::scenario::WindowsVersion::Win2000, 300 * SECOND),
            (crate::scenario::WindowsVersion::Win10, 900 * SECOND),
        ] {
            let mut w = World::default();
            w.workstation.os = os;
            let n = Network::new(&w);
            assert_eq!(n.lookup("nosuch.contoso.com", 0).1, Resolved::NotFound);
            assert_eq!(n.lookup("contoso.com", 0).1, Resolved::NotFound);
            let got: Vec<_> = n
                .dns_cache()
                .live(negative - 1)
                .map(|e| (e.name.clone(), e.answer))
                .collect();
            assert_eq!(
                got,
                vec![
                    ("nosuch.contoso.com".to_string(), Answer::NoName),
                    ("contoso.com".to_string(), Answer::NoData)
                ],
                "{os:?}"
            );
            n.forget_neighbour(None);
            assert_eq!(
                n.lookup("nosuch.contoso.com", negative - 1).1,
                Resolved::NotFound
            );
            assert!(n.neighbours().is_empty(), "{os:?}");
            assert_eq!(n.dns_cache().live(negative).count(), 0, "{os:?}");
        }
        let down = net(&[Fault::DnsDown]);
        assert_eq!(down.lookup("mail.contoso.com", 0).1, Resolved::NoServer);
        assert_eq!(down.dns_cache().live(0).count(), 0);
    }

    #[test]
    fn a_flush_empties_the_cache_and_reads_the_hosts_file_again() {
        let n = net(&[]);
        n.lookup("mail", 0);
        assert_eq!(n.dns_cache().live(0).count(), 1);
        assert_eq!(n.dns_cache().hosts_expire(), cache::HOSTS_TTL);
        n.flush_dns(7);
        assert_eq!(n.dns_cache().live(7).count(), 0);
        assert_eq!(n.dns_cache().hosts_expire(), 7 + cache::HOSTS_TTL);
    }

    #[test]
    fn a_stale_negative_entry_hides_a_name_from_the_resolver_but_not_from_nslookup() {
        for (os, negative) in [
            (crate::scenario::WindowsVersion::Xp, 300 * SECOND),
            (crate::scenario::WindowsVersion::Win7, 900 * SECOND),
        ] {
            let mut w = World::default();
            w.workstation.os = os;
            w.faults = vec![Fault::StaleDnsCache { name: None }];
            let n = Network::new(&w);
            n.start_dns(1_000);
            let entries: Vec<_> = n.dns_cache().live(1_000).cloned().collect();
            assert_eq!(
                entries,
                vec![cache::Entry {
                    name: "mail.contoso.com".into(),
                    answer: Answer::NoName,
                    expires: 1_000 + negative,
                }],
                "{os:?}"
            );
            let mail = Resolved::Address(ip("10.0.0.25"));
            // ping and telnet, through the cache, by full name or short: not found.
            assert_eq!(n.lookup("MAIL.contoso.com", 1_000).1, Resolved::NotFound);
            assert_eq!(n.lookup("mail", 2_000).1, Resolved::NotFound);
            // nslookup asks the server, which has the record.
            assert_eq!(n.resolve("mail.contoso.com"), mail);
            assert!(matches!(
                n.dns_query(ip("10.0.0.2"), "mail.contoso.com", QueryType::A),
                DnsReply::Answer { .. }
            ));
            // Until the negative TTL runs out, then the server is asked and answers.
            let end = 1_000 + negative;
            assert_eq!(n.lookup("mail.contoso.com", end - 1).1, Resolved::NotFound);
            assert_eq!(n.lookup("mail.contoso.com", end).1, mail, "{os:?}");

            // Or until the cache is flushed.
            let n = Network::new(&w);
            n.start_dns(0);
            assert_eq!(n.lookup("mail.contoso.com", 10).1, Resolved::NotFound);
            n.flush_dns(20);
            assert_eq!(n.lookup("mail.contoso.com", 30).1, mail);
        }
    }

    #[test]
    fn mx_queries_carry_the_exchanger_address() {
        let n = net(&[]);
        let reply = n.dns_query(ip("10.0.0.2"), "contoso.com", QueryType::Mx);
        let DnsReply::Answer {
            records,
            additional,
            authoritative,
        } = reply
        else {
            panic!("expected an answer, got {reply:?}");
        };
        assert!(authoritative);
        assert_eq!(records.len(), 1);
        assert_eq!(
            additional,
            vec![Record::A {
                name: "mail.contoso.com".into(),
                address: ip("10.0.0.25"),
                ttl: DEFAULT_TTL,
            }]
        );
        assert_eq!(
            n.dns_query(ip("10.0.0.2"), "mail.contoso.com", QueryType::Mx),
            DnsReply::NoData {
                authoritative: true
            }
        );
        assert_eq!(
            n.dns_query(ip("10.0.0.25"), "contoso.com", QueryType::Mx),
            DnsReply::Timeout
        );
    }

    #[test]
    fn connect_outcomes_follow_services_and_faults() {
        type Case = (Vec<Fault>, &'static str, u16, fn(Connect) -> bool);
        let table: Vec<Case> = vec![
            (vec![], "10.0.0.25", 25, |c| {
                matches!(c, Connect::Open { host: 2, .. })
            }),
            (vec![], "10.0.0.25", 23, |c| {
                matches!(c, Connect::Refused { .. })
            }),
            (vec![], "10.0.0.2", 25, |c| {
                matches!(c, Connect::Refused { .. })
            }),
            (vec![], "10.0.0.99", 25, |c| {
                matches!(c, Connect::TimedOut { .. })
            }),
            (
                vec![Fault::SmtpServiceStopped { host: None }],
                "10.0.0.25",
                25,
                |c| matches!(c, Connect::Refused { .. }),
            ),
            (
                vec![Fault::FirewallBlocksSmtp { host: None }],
                "10.0.0.25",
                25,
                |c| {
                    matches!(
                        c,
                        Connect::TimedOut {
                            after: CONNECT_TIMEOUT
                        }
                    )
                },
            ),
            (
                vec![Fault::SmtpServiceStopped { host: None }],
                "192.168.10.20",
                25,
                |c| matches!(c, Connect::Open { host: 3, .. }),
            ),
        ];
        for (faults, dst, port, ok) in table {
            let c = net(&faults).connect(ip(dst), port);
            assert!(ok(c), "{faults:?} {dst}:{port} gave {c:?}");
        }
    }

    #[test]
    fn server_config_applies_overrides_and_faults() {
        let n = net(&[Fault::RecipientUnknown {
            address: None,
            host: None,
        }]);
        let cfg = n.server_config(2);
        assert_eq!(cfg.hostname, "mail.contoso.com");
        assert!(!cfg.mailboxes.contains(&"user@contoso.com".to_string()));
        let smarthost = n.server_config(3);
        assert_eq!(smarthost.domains, vec!["fabrikam.com".to_string()]);
        assert!(smarthost
            .mailboxes
            .contains(&"user@fabrikam.com".to_string()));
    }

    #[test]
    fn rng_is_deterministic_and_in_range() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        for _ in 0..100 {
            let x = a.range(3, 9);
            assert_eq!(x, b.range(3, 9));
            assert!((3..=9).contains(&x));
        }
    }
}
