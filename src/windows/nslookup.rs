//! nslookup.exe: one-shot (`nslookup -type=mx contoso.com`) and interactive (`set type=mx`,
//! `set q=mx`, `server`, `exit`), with the waits and error texts of a silent or missing server.

use super::machine::{Machine, SimEvent};
use super::script::Script;
use super::text;
use crate::clock::{Millis, SECOND};
use crate::net::{DnsReply, QueryType, Record};
use crate::scenario::parse_ip;
use std::net::Ipv4Addr;

/// nslookup's own timeout per try.
const TRY: Millis = 2 * SECOND;

/// The server nslookup talks to, as it names it.
#[derive(Debug, Clone)]
struct Server {
    address: Option<Ipv4Addr>,
    /// Its name from a reverse lookup, or `UnKnown`.
    name: String,
}

/// nslookup's state: its server and query type.
#[derive(Debug)]
pub struct Nslookup {
    server: Server,
    qtype: QueryType,
}

fn qtype_name(q: QueryType) -> &'static str {
    match q {
        QueryType::A => "A",
        QueryType::Mx => "MX",
        QueryType::Ptr => "PTR",
        QueryType::Any => "ANY",
    }
}

/// What nslookup's command line asked for.
pub enum Start {
    /// Interactive: the prompt comes after the script.
    Interactive(Nslookup, Script),
    /// One query, then back to cmd.
    OneShot(Script),
}

impl Nslookup {
    /// Runs `nslookup ARGS`: options `-type=`/`-q=`/`-querytype=`, then a name (or `-` for
    /// interactive) and an optional server.
    pub fn start(m: &mut Machine, args: &[&str], now: Millis) -> Start {
        let mut qtype = QueryType::A;
        let mut positional = Vec::new();
        let mut script = Script::new(now);
        for a in args {
            if let Some(opt) = a.strip_prefix('-').filter(|o| !o.is_empty()) {
                let (k, v) = opt.split_once('=').unwrap_or((opt, ""));
                match (k.to_ascii_lowercase().as_str(), QueryType::parse(v)) {
                    ("type" | "q" | "querytype", Some(q)) => qtype = q,
                    _ => script.say(text::ns_invalid_option(opt)),
                }
            } else {
                positional.push(*a);
            }
        }
        let server_arg = positional.get(1).copied();
        let server = match server_arg {
            Some(s) => Self::named_server(m, s),
            None => Self::default_server(m, &mut script),
        };
        let mut ns = Nslookup { server, qtype };
        match positional.first() {
            None | Some(&"-") => {
                ns.banner(m, &mut script, true);
                Start::Interactive(ns, script)
            }
            Some(name) => {
                ns.banner(m, &mut script, false);
                ns.query(m, name, &mut script, false);
                Start::OneShot(script)
            }
        }
    }

    /// Finds the default server's name; a silent server costs one timeout and two error lines.
    fn default_server(m: &mut Machine, script: &mut Script) -> Server {
        let Some(address) = m.net.dns_server() else {
            script.say(text::NS_NO_DEFAULT);
            return Server {
                address: None,
                name: text::NS_UNKNOWN.into(),
            };
        };
        let ip = address.to_string();
        match m.net.dns_query(address, &ip, QueryType::Ptr) {
            DnsReply::Answer { records, .. } => {
                let name = records
                    .iter()
                    .find_map(|r| match r {
                        Record::Ptr { name, .. } => Some(name.clone()),
                        _ => None,
                    })
                    .unwrap_or_else(|| text::NS_UNKNOWN.into());
                Server {
                    address: Some(address),
                    name,
                }
            }
            DnsReply::Timeout => {
                script.wait(TRY);
                script.say_all(text::NS_TIMEOUT);
                script.say(text::ns_cant_find_server(&ip, "Timed out"));
                script.say(text::NS_NO_DEFAULT);
                Server {
                    address: Some(address),
                    name: text::NS_UNKNOWN.into(),
                }
            }
            DnsReply::NxDomain | DnsReply::NoData { .. } => {
                script.say(text::ns_cant_find_server(&ip, "Non-existent domain"));
                Server {
                    address: Some(address),
                    name: text::NS_UNKNOWN.into(),
                }
            }
        }
    }

    /// A server named on the command line or with `server NAME`.
    fn named_server(m: &mut Machine, s: &str) -> Server {
        let address = parse_ip(s).or_else(|| match m.net.resolve(s) {
            crate::net::Resolved::Address(a) => Some(a),
            _ => None,
        });
        let name = match (parse_ip(s), address) {
            (Some(a), _) => m.net.reverse(a).unwrap_or_else(|| text::NS_UNKNOWN.into()),
            (None, Some(_)) => s.to_string(),
            (None, None) => text::NS_UNKNOWN.into(),
        };
        Server { address, name }
    }

    fn banner(&self, m: &Machine, script: &mut Script, default: bool) {
        let address = self
            .server
            .address
            .map(|a| a.to_string())
            .unwrap_or_else(|| "127.0.0.1".into());
        let _ = m;
        script.say_all(&text::ns_server_lines(default, &self.server.name, &address));
        script.say("");
    }

    /// Answers one name; `interactive` prints the Server lines first as nslookup does there.
    fn query(&mut self, m: &mut Machine, name: &str, script: &mut Script, interactive: bool) {
        if interactive {
            self.banner(m, script, false);
        }
        // Like the resolver, nslookup asks first for a one-label name with the DNS suffix
        // (`nslookup mail` answers for mail.contoso.com), then for the name as typed.
        let (name, reply) = match self.server.address {
            Some(a) => m
                .net
                .qualify(name)
                .map(|full| {
                    let reply = m.net.dns_query(a, &full, self.qtype);
                    (full, reply)
                })
                .filter(|(_, r)| !matches!(r, DnsReply::NxDomain))
                .unwrap_or_else(|| (name.to_string(), m.net.dns_query(a, name, self.qtype))),
            None => (name.to_string(), DnsReply::Timeout),
        };
        let name = name.as_str();
        let (answers, error) = match reply {
            DnsReply::Timeout => {
                for _ in 0..2 {
                    script.wait(TRY);
                    script.say_all(text::NS_TIMEOUT);
                }
                script.say(text::ns_no_response(&self.server.name, name));
                (Vec::new(), Some("no-response"))
            }
            DnsReply::NxDomain => {
                script.say(text::ns_nxdomain(&self.server.name, name));
                (Vec::new(), Some("non-existent-domain"))
            }
            DnsReply::NoData { authoritative } => {
                if !authoritative {
                    script.say(text::NS_NON_AUTHORITATIVE);
                }
                let zone = name.split_once('.').map(|(_, d)| d).unwrap_or(name);
                let zone = if zone.contains('.') { zone } else { name };
                script.say_all(&text::ns_soa(zone, &self.server.name));
                script.say("");
                (Vec::new(), Some("no-data"))
            }
            DnsReply::Answer {
                records,
                additional,
                authoritative,
            } => {
                if !authoritative {
                    script.say(text::NS_NON_AUTHORITATIVE);
                }
                let lines = answer_lines(&records, &additional);
                script.say_all(&lines);
                (lines, None)
            }
        };
        m.emit(SimEvent::NslookupAnswer {
            name: name.to_string(),
            query_type: qtype_name(self.qtype).into(),
            answers: answers.into_iter().filter(|l| !l.is_empty()).collect(),
            error: error.map(str::to_string),
        });
    }

    /// One line at the `> ` prompt. Returns `false` on `exit`.
    pub fn command(&mut self, m: &mut Machine, line: &str, script: &mut Script) -> bool {
        let words: Vec<&str> = line.split_whitespace().collect();
        let Some(first) = words.first() else {
            return true;
        };
        match first.to_ascii_lowercase().as_str() {
            "exit" => return false,
            "help" | "?" => script.say_all(text::NS_HELP),
            "set" => {
                let opt = words.get(1).copied().unwrap_or("");
                let (k, v) = opt.split_once('=').unwrap_or((opt, ""));
                match (k.to_ascii_lowercase().as_str(), QueryType::parse(v)) {
                    ("type" | "q" | "querytype", Some(q)) => self.qtype = q,
                    _ => script.say(text::ns_invalid_option(opt)),
                }
            }
            "server" | "lserver" => match words.get(1) {
                Some(s) => {
                    self.server = Self::named_server(m, s);
                    let mut banner = Script::new(0);
                    self.banner(m, &mut banner, true);
                    script.append(banner);
                }
                None => script.say(text::ns_invalid_option(first)),
            },
            _ => {
                let name = words[0];
                if let Some(s) = words.get(1) {
                    let saved = std::mem::replace(&mut self.server, Self::named_server(m, s));
                    self.query(m, name, script, true);
                    self.server = saved;
                } else {
                    self.query(m, name, script, true);
                }
            }
        }
        true
    }
}

/// Answer records as nslookup prints them: A answers as `Name:`/`Address:` with a blank line
/// after, MX answers one line each plus the exchangers' addresses.
fn answer_lines(records: &[Record], additional: &[Record]) -> Vec<String> {
    let mut out = Vec::new();
    let addresses: Vec<String> = records
        .iter()
        .filter_map(|r| match r {
            Record::A { address, .. } => Some(address.to_string()),
            _ => None,
        })
        .collect();
    if let Some(Record::A { name, .. }) = records.iter().find(|r| matches!(r, Record::A { .. })) {
        out.extend(text::ns_name_address(name, &addresses));
        out.push(String::new());
    }
    for r in records {
        match r {
            Record::Mx {
                name,
                preference,
                exchange,
            } => out.push(text::ns_mx(name, *preference, exchange)),
            Record::Ptr { address, name } => {
                out.extend(text::ns_name_address(name, &[address.to_string()]));
                out.push(String::new());
            }
            Record::A { .. } => {}
        }
    }
    for r in additional {
        if let Record::A { name, address } = r {
            out.push(text::ns_internet_address(name, &address.to_string()));
        }
    }
    out
}
