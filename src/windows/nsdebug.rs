//! nslookup's debug view of one DNS exchange: the message the simulated server answers with,
//! rebuilt from its [`DnsReply`] (header flags, rcode, the answer, authority and additional
//! sections, each record's TTL), its size on the wire with name compression as a DNS server
//! writes it, and the `Got answer:` block (`set debug`) or `SendRequest()` and `Got answer (N
//! bytes):` blocks (`set d2`) Windows nslookup prints for it. The texts are in [`text`].

use super::text;
use crate::net::{DnsReply, QueryType, Record};
use std::net::Ipv4Addr;

/// `d.c.b.a.in-addr.arpa`, the name a PTR question for `a.b.c.d` asks about.
pub fn arpa_name(ip: Ipv4Addr) -> String {
    let [a, b, c, d] = ip.octets();
    format!("{d}.{c}.{b}.{a}.in-addr.arpa")
}

/// What nslookup sends for one question.
#[derive(Debug, Clone)]
pub struct Query<'a> {
    pub id: u16,
    /// The name in the question section (an address already turned into its arpa name).
    pub name: &'a str,
    pub qtype: QueryType,
    pub class: &'a str,
    /// `set recurse`: the "want recursion" flag, which the server copies into its reply.
    pub recurse: bool,
}

/// The reply as a DNS message: what the debug block lists. The server's records are
/// borrowed from its [`DnsReply`]; the authority section holds at most the zone's SOA.
#[derive(Debug, Clone, Default)]
pub struct Reply<'a> {
    pub nxdomain: bool,
    pub authoritative: bool,
    pub answers: &'a [Record],
    pub authority: Option<Record>,
    pub additional: &'a [Record],
}

impl<'a> Reply<'a> {
    /// The message behind `reply`; `negative_soa` is the SOA the server adds to a negative
    /// answer ([`crate::net::Network::negative_soa`]). `None` for a timeout: nothing came back.
    pub fn from_dns(reply: &'a DnsReply, negative_soa: Option<Record>) -> Option<Reply<'a>> {
        Some(match reply {
            DnsReply::Timeout => return None,
            DnsReply::Answer {
                records,
                additional,
                authoritative,
            } => Reply {
                authoritative: *authoritative,
                answers: records,
                additional,
                ..Reply::default()
            },
            DnsReply::NoData { authoritative } => Reply {
                authoritative: *authoritative,
                authority: negative_soa,
                ..Reply::default()
            },
            // An NXDOMAIN from the zone's own server carries its SOA and is authoritative.
            DnsReply::NxDomain => Reply {
                nxdomain: true,
                authoritative: negative_soa.is_some(),
                authority: negative_soa,
                ..Reply::default()
            },
        })
    }
}

/// A record's owner name, type name and data length counted into `wire`.
fn record_wire(r: &Record, wire: &mut Wire) -> usize {
    wire.name(&owner(r));
    wire.len += 10; // type, class, ttl, data length
    let before = wire.len;
    match r {
        Record::A { .. } => wire.len += 4,
        Record::Mx { exchange, .. } => {
            wire.len += 2;
            wire.name(exchange);
        }
        Record::Ptr { name, .. } => wire.name(name),
        Record::Ns { server, .. } => wire.name(server),
        Record::Soa { zone, primary, .. } => {
            wire.name(primary);
            wire.name(&format!("hostmaster.{zone}"));
            wire.len += 20; // serial, refresh, retry, expire, minimum
        }
    }
    wire.len - before
}

fn owner(r: &Record) -> String {
    match r {
        Record::A { name, .. } | Record::Mx { name, .. } => name.clone(),
        Record::Ptr { address, .. } => arpa_name(*address),
        Record::Ns { zone, .. } | Record::Soa { zone, .. } => zone.clone(),
    }
}

fn type_name(r: &Record) -> &'static str {
    match r {
        Record::A { .. } => QueryType::A.name(),
        Record::Mx { .. } => QueryType::Mx.name(),
        Record::Ptr { .. } => QueryType::Ptr.name(),
        Record::Ns { .. } => QueryType::Ns.name(),
        Record::Soa { .. } => QueryType::Soa.name(),
    }
}

/// A message's size as a DNS server writes it: names compressed (a name, or the rest of one,
/// already written anywhere earlier in the message becomes a two-byte pointer to it).
#[derive(Debug, Default)]
struct Wire {
    len: usize,
    /// Every name suffix written so far, lower case.
    written: Vec<String>,
}

impl Wire {
    fn name(&mut self, name: &str) {
        let name = name.trim_end_matches('.');
        let labels: Vec<&str> = name.split('.').filter(|l| !l.is_empty()).collect();
        for i in 0..labels.len() {
            let suffix = labels[i..].join(".").to_ascii_lowercase();
            if self.written.contains(&suffix) {
                self.len += 2;
                return;
            }
            self.written.push(suffix);
            self.len += 1 + labels[i].len();
        }
        self.len += 1;
    }
}

/// The question's size: the header, the name, its type and class.
fn query_wire(q: &Query) -> Wire {
    let mut wire = Wire {
        len: 12,
        ..Wire::default()
    };
    wire.name(q.name);
    wire.len += 4;
    wire
}

/// The header and question lines shared by the query and the reply blocks.
fn head(q: &Query, rcode: &str, flags: &[&str], counts: [usize; 4]) -> Vec<String> {
    let mut out = text::ns_debug_header(q.id, rcode, flags, counts);
    out.push(text::NS_DEBUG_QUESTIONS.into());
    out.push(text::ns_debug_question(q.name, q.qtype.name(), q.class));
    out
}

/// d2's block for the query as sent, before any answer (C: two captures).
pub fn request_lines(q: &Query) -> Vec<String> {
    let len = query_wire(q).len;
    let mut flags = vec![text::NS_FLAG_QUERY];
    if q.recurse {
        flags.push(text::NS_FLAG_RD);
    }
    let mut out = vec![text::NS_DEBUG_RULE.into(), text::ns_send_request(len)];
    out.extend(head(q, "NOERROR", &flags, [1, 0, 0, 0]));
    out.push(String::new());
    out.push(text::NS_DEBUG_RULE.into());
    out
}

/// The `Got answer:` block for a reply (`Got answer (N bytes):` and each record's type,
/// class and data length in d2 mode), ending with its rule (C).
pub fn reply_lines(q: &Query, r: &Reply, d2: bool) -> Vec<String> {
    let mut wire = query_wire(q);
    let mut flags = vec![text::NS_FLAG_RESPONSE];
    if r.authoritative {
        flags.push(text::NS_FLAG_AUTH);
    }
    if q.recurse {
        flags.push(text::NS_FLAG_RD);
    }
    // The simulated DNS server is a Windows DNS server with recursion on, its default.
    flags.push(text::NS_FLAG_RA);
    let rcode = if r.nxdomain { "NXDOMAIN" } else { "NOERROR" };
    let authority = r.authority.as_slice();
    let counts = [1, r.answers.len(), authority.len(), r.additional.len()];
    let mut body = head(q, rcode, &flags, counts);
    let sections = [
        (text::NS_DEBUG_ANSWERS, r.answers),
        (text::NS_DEBUG_AUTHORITY, authority),
        (text::NS_DEBUG_ADDITIONAL, r.additional),
    ];
    for (title, records) in sections {
        if records.is_empty() {
            continue;
        }
        body.push(title.into());
        for rec in records.iter() {
            let dlen = record_wire(rec, &mut wire);
            body.push(text::ns_debug_owner(&owner(rec)));
            if d2 {
                body.push(text::ns_debug_rr_type(type_name(rec), q.class, dlen));
            }
            body.extend(record_lines(rec));
        }
    }
    let got = if d2 {
        text::ns_got_answer_bytes(wire.len)
    } else {
        text::NS_GOT_ANSWER.into()
    };
    let mut out = vec![text::NS_DEBUG_RULE.into(), got];
    out.extend(body);
    out.push(String::new());
    out.push(text::NS_DEBUG_RULE.into());
    out
}

/// A record's data and ttl lines under its owner.
fn record_lines(r: &Record) -> Vec<String> {
    let data = match r {
        Record::A { address, .. } => text::ns_debug_a(&address.to_string()),
        Record::Mx {
            preference,
            exchange,
            ..
        } => text::ns_debug_mx(*preference, exchange),
        Record::Ptr { name, .. } => text::ns_debug_ptr(name),
        Record::Ns { server, .. } => text::ns_debug_ns(server),
        Record::Soa {
            zone, primary, ttl, ..
        } => return text::ns_debug_soa(zone, primary, *ttl),
    };
    vec![data, text::ns_ttl(r.ttl())]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(name: &str, ip: [u8; 4], ttl: u32) -> Record {
        Record::A {
            name: name.into(),
            address: ip.into(),
            ttl,
        }
    }

    fn ns(server: &str) -> Record {
        Record::Ns {
            zone: "aurghyadip.me".into(),
            server: server.into(),
            ttl: 85_125,
        }
    }

    /// The sizes of a published Windows 10 `set d2` capture: a 31-byte query, NS data lengths
    /// 22 then 6 (the rest of the name compressed), 249 bytes in all with three AAAA records
    /// of 28 bytes each that the simulated zones cannot hold (249 - 84 = 165).
    #[test]
    fn sizes_follow_a_real_servers_name_compression() {
        let q = Query {
            id: 2,
            name: "aurghyadip.me",
            qtype: QueryType::A,
            class: "IN",
            recurse: true,
        };
        let req = request_lines(&q);
        assert_eq!(req[1], "SendRequest(), len 31");
        let r = Reply {
            answers: &[
                a("aurghyadip.me", [139, 59, 39, 34], 2243),
                ns("ns3.digitalocean.com"),
                ns("ns1.digitalocean.com"),
                ns("ns2.digitalocean.com"),
            ],
            additional: &[
                a("ns1.digitalocean.com", [173, 245, 58, 51], 66_032),
                a("ns2.digitalocean.com", [173, 245, 59, 41], 66_032),
                a("ns3.digitalocean.com", [198, 41, 222, 173], 66_032),
            ],
            ..Reply::default()
        };
        let lines = reply_lines(&q, &r, true);
        assert_eq!(lines[1], "Got answer (165 bytes):");
        let dlens: Vec<_> = lines
            .iter()
            .filter(|l| l.contains("dlen = "))
            .map(|l| l.rsplit(' ').next().unwrap_or_default().to_string())
            .collect();
        assert_eq!(dlens, ["4", "22", "6", "6", "4", "4", "4"]);
        // The O'Reilly capture's MX question for `oreilly.com.`: 29 bytes.
        let mx = Query {
            name: "oreilly.com.",
            qtype: QueryType::Mx,
            ..q
        };
        assert_eq!(request_lines(&mx)[1], "SendRequest(), len 29");
    }

    #[test]
    fn a_debug_block_reads_as_windows_prints_it() {
        let q = Query {
            id: 1,
            name: "2.0.0.10.in-addr.arpa",
            qtype: QueryType::Ptr,
            class: "IN",
            recurse: true,
        };
        let r = Reply {
            authoritative: true,
            answers: &[Record::Ptr {
                address: [10, 0, 0, 2].into(),
                name: "ns1.contoso.com".into(),
                ttl: 3600,
            }],
            ..Reply::default()
        };
        let want = [
            "------------",
            "Got answer:",
            "    HEADER:",
            "        opcode = QUERY, id = 1, rcode = NOERROR",
            "        header flags:  response, auth. answer, want recursion, recursion avail.",
            "        questions = 1,  answers = 1,  authority records = 0,  additional = 0",
            "",
            "    QUESTIONS:",
            "        2.0.0.10.in-addr.arpa, type = PTR, class = IN",
            "    ANSWERS:",
            "    ->  2.0.0.10.in-addr.arpa",
            "        name = ns1.contoso.com",
            "        ttl = 3600 (1 hour)",
            "",
            "------------",
        ];
        assert_eq!(reply_lines(&q, &r, false), want);
    }

    #[test]
    fn a_negative_answer_names_its_rcode_and_the_zones_soa_ttl_first() {
        let soa = Record::Soa {
            zone: "contoso.com".into(),
            primary: "ns1.contoso.com".into(),
            ttl: 3600,
        };
        let r = Reply::from_dns(&DnsReply::NxDomain, Some(soa)).expect("a reply");
        let q = Query {
            id: 2,
            name: "nosuch.contoso.com",
            qtype: QueryType::A,
            class: "IN",
            recurse: false,
        };
        let lines = reply_lines(&q, &r, false);
        assert!(lines.contains(&"        opcode = QUERY, id = 2, rcode = NXDOMAIN".to_string()));
        assert!(lines.contains(
            &"        header flags:  response, auth. answer, recursion avail.".to_string()
        ));
        let at = lines
            .iter()
            .position(|l| l == "    AUTHORITY RECORDS:")
            .expect("an authority section");
        assert_eq!(lines[at + 1], "    ->  contoso.com");
        assert_eq!(lines[at + 2], "        ttl = 3600 (1 hour)");
        assert_eq!(
            lines[at + 3],
            "        primary name server = ns1.contoso.com"
        );
        assert!(Reply::from_dns(&DnsReply::Timeout, None).is_none());
        // Outside the server's zone: no SOA, not authoritative.
        let r = Reply::from_dns(&DnsReply::NxDomain, None).expect("a reply");
        assert!(!r.authoritative && r.authority.is_none());
    }

    #[test]
    fn ttls_read_as_nslookup_spells_them() {
        for (secs, want) in [
            (3600, "3600 (1 hour)"),
            (67, "67 (1 min 7 secs)"),
            (85_125, "85125 (23 hours 38 mins 45 secs)"),
            (604_800, "604800 (7 days)"),
            (86_401, "86401 (1 day 1 sec)"),
            (0, "0 (0 secs)"),
        ] {
            assert_eq!(text::ns_seconds(secs), want);
        }
    }
}
