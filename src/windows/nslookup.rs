//! nslookup.exe: one-shot (`nslookup -type=mx contoso.com`) and interactive (`set type=mx`,
//! `set q=mx`, `set all`, `server`, `ls`, `exit`), with the waits and error texts of a silent or
//! missing server. The options a learner may set (`timeout`, `retry`, `port`, `domain`,
//! `[no]defname`, ...) are kept and shown by `set all`; those that change what a query does in
//! this network (the wait, the number of tries, the port, the suffix added) take effect.
//! `set debug` (`-debug`) shows every reply as a DNS message, with each record's TTL, the rcode
//! and the authority and additional sections; `set d2` (`-d2`) also shows each query as sent
//! ([`super::nsdebug`]). Queries carry ids counted from 1, the startup lookup of the server's
//! name included, as the real one's do.

use super::machine::{Machine, SimEvent};
use super::nsdebug;
use super::script::Script;
use super::text;
use crate::clock::{Millis, SECOND};
use crate::net::{DnsReply, QueryType, Record};
use crate::scenario::parse_ip;
use std::net::Ipv4Addr;

/// The port DNS servers listen on; nslookup asks another only when told to (`set port=`).
const DNS_PORT: u16 = 53;

/// At most this many retries are waited out, whatever `set retry=` says, so a mistyped
/// `set retry=1000` costs seconds, not an hour of the simulated clock.
const MAX_TRIES: u32 = 9;

/// The server nslookup talks to, as it names it.
#[derive(Debug, Clone)]
struct Server {
    address: Option<Ipv4Addr>,
    /// Its name from a reverse lookup, or `UnKnown`.
    name: String,
}

/// The options `set` changes and `set all` lists, with nslookup's defaults.
#[derive(Debug, Clone)]
struct Options {
    /// `None` until the learner sets a type: Vista and later then ask for A and AAAA.
    qtype: Option<QueryType>,
    defname: bool,
    search: bool,
    recurse: bool,
    vc: bool,
    ignoretc: bool,
    msxfr: bool,
    port: u16,
    /// Seconds per try.
    timeout: u32,
    /// Tries after the first: the default 1 is the two "timed out" messages of a dead server.
    retry: u32,
    class: String,
    root: String,
    ixfr_version: u32,
    domain: String,
    srchlist: String,
    /// `set debug`: every reply shown as a DNS message.
    debug: bool,
    /// `set d2`: every query shown as sent too; turns debug on.
    d2: bool,
}

impl Options {
    fn new(domain: Option<&str>) -> Options {
        let domain = domain.unwrap_or_default().to_string();
        Options {
            qtype: None,
            defname: true,
            search: true,
            recurse: true,
            vc: false,
            ignoretc: false,
            msxfr: true,
            port: DNS_PORT,
            timeout: 2,
            retry: 1,
            class: "IN".into(),
            root: "A.ROOT-SERVERS.NET.".into(),
            ixfr_version: 1,
            srchlist: domain.clone(),
            domain,
            debug: false,
            d2: false,
        }
    }

    fn qtype(&self) -> QueryType {
        self.qtype.unwrap_or(QueryType::A)
    }

    /// One option as `set` or a `-option` on the command line gives it. `false` when
    /// nslookup does not know it (or its value), which it reports as an invalid option.
    fn set(&mut self, opt: &str) -> bool {
        let (k, v) = opt.split_once('=').unwrap_or((opt, ""));
        let k = k.to_ascii_lowercase();
        let number = |v: &str| v.trim().parse::<u32>().ok();
        // As BIND's nslookup, from which Windows' comes: `deb` and longer turn debugging on,
        // `nodeb` and longer turn it off with d2, `d2` turns both on, `nod2` only d2 off (M:
        // BIND 4's SetOption and a vendor's BIND-derived manual give these abbreviations; that
        // `set d2` implies debug and `set nod2` keeps it is in a Windows Server 2003 book; the
        // abbreviations on Windows itself are not confirmed).
        if v.is_empty() {
            let prefix_of = |word: &str, min: usize| k.len() >= min && word.starts_with(&k);
            if prefix_of("debug", 3) {
                self.debug = true;
                return true;
            }
            if prefix_of("nodebug", 5) {
                self.debug = false;
                self.d2 = false;
                return true;
            }
            match k.as_str() {
                "d2" => {
                    self.d2 = true;
                    self.debug = true;
                    return true;
                }
                "nod2" => {
                    self.d2 = false;
                    return true;
                }
                _ => {}
            }
        }
        let (flag, on) = match k.strip_prefix("no") {
            Some(rest) => (rest, false),
            None => (k.as_str(), true),
        };
        let flag_slot = match flag {
            "defname" | "def" => Some(&mut self.defname),
            "search" | "sea" => Some(&mut self.search),
            "recurse" | "rec" => Some(&mut self.recurse),
            "vc" => Some(&mut self.vc),
            "ignoretc" | "ig" => Some(&mut self.ignoretc),
            "msxfr" => Some(&mut self.msxfr),
            _ => None,
        };
        if let Some(slot) = flag_slot.filter(|_| v.is_empty()) {
            *slot = on;
            return true;
        }
        match (k.as_str(), v.is_empty()) {
            ("type" | "ty" | "q" | "querytype", false) => match QueryType::parse(v) {
                Some(q) => self.qtype = Some(q),
                None => return false,
            },
            ("port" | "po", false) => match v.trim().parse::<u16>() {
                Ok(p) => self.port = p,
                Err(_) => return false,
            },
            ("timeout" | "ti", false) => match number(v).filter(|n| *n > 0) {
                Some(n) => self.timeout = n,
                None => return false,
            },
            ("retry" | "ret", false) => match number(v) {
                Some(n) => self.retry = n,
                None => return false,
            },
            ("ixfrver" | "ixfrversion", false) => match number(v) {
                Some(n) => self.ixfr_version = n,
                None => return false,
            },
            ("class" | "cl", false) => self.class = v.to_ascii_uppercase(),
            ("root", false) => self.root = v.to_string(),
            ("domain" | "do", false) => {
                self.domain = v.to_string();
                self.srchlist = v.to_string();
            }
            ("srchlist" | "srchl", false) => {
                self.srchlist = v.to_string();
                if let Some(first) = v.split('/').next() {
                    self.domain = first.to_string();
                }
            }
            _ => return false,
        }
        true
    }

    /// `set all`'s list, one option a line (R: as Windows nslookup lists them).
    fn lines(&self, vista: bool) -> Vec<String> {
        let flag = |on: bool, name: &str| format!("  {}{name}", if on { "" } else { "no" });
        let qtype = match self.qtype {
            Some(q) => q.name(),
            None if vista => "A+AAAA",
            None => "A",
        };
        vec![
            "Set options:".into(),
            flag(self.debug, "debug"),
            flag(self.defname, "defname"),
            flag(self.search, "search"),
            flag(self.recurse, "recurse"),
            flag(self.d2, "d2"),
            flag(self.vc, "vc"),
            flag(self.ignoretc, "ignoretc"),
            format!("  port={}", self.port),
            format!("  type={qtype}"),
            format!("  class={}", self.class),
            format!("  timeout={}", self.timeout),
            format!("  retry={}", self.retry),
            format!("  root={}", self.root),
            format!("  domain={}", self.domain),
            if self.msxfr { "  MSxfr" } else { "  noMSxfr" }.into(),
            format!("  IXFRversion={}", self.ixfr_version),
            format!("  srchlist={}", self.srchlist),
        ]
    }
}

/// nslookup's state: its server, options and the id of the next query.
#[derive(Debug)]
pub struct Nslookup {
    server: Server,
    opts: Options,
    next_id: u16,
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
        let mut ns = Nslookup {
            server: Server {
                address: None,
                name: text::NS_UNKNOWN.into(),
            },
            opts: Options::new(m.net.dns_suffix()),
            next_id: 1,
        };
        let mut positional = Vec::new();
        let mut script = Script::new(now);
        for a in args {
            if let Some(opt) = a.strip_prefix('-').filter(|o| !o.is_empty()) {
                ns.set_option(opt, &mut script);
            } else {
                positional.push(*a);
            }
        }
        // A server that does not resolve is reported and the default server asked instead.
        let named = match positional.get(1) {
            Some(s) => {
                let found = ns.named_server(m, s, &mut script).ok();
                if found.is_none() {
                    script.say(text::ns_cant_find_server_arg(s));
                }
                found
            }
            None => None,
        };
        ns.server = match named {
            Some(server) => server,
            None => ns.default_server(m, &mut script),
        };
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

    /// One option from `set` or the command line, or nslookup's complaint about it.
    fn set_option(&mut self, opt: &str, script: &mut Script) {
        let debugging = self.opts.debug;
        if !self.opts.set(opt) {
            script.say(text::ns_invalid_option(opt));
        } else if debugging && opt.eq_ignore_ascii_case("nod2") {
            script.say(text::NS_D2_OFF);
        }
    }

    /// Sends one question to `server` and returns its reply, printing the query as sent when d2
    /// is on and the reply's block when debug is.
    /// An address asked about (other than for MX) becomes a PTR question for its arpa name,
    /// as [`crate::net::Network::dns_query`] answers it.
    fn ask(
        &mut self,
        m: &Machine,
        server: Ipv4Addr,
        name: &str,
        qtype: QueryType,
        script: &mut Script,
    ) -> DnsReply {
        let id = self.next_id;
        self.next_id = self.next_id.wrapping_add(1).max(1);
        let (qname, qt) = match parse_ip(name.trim().trim_end_matches('.')) {
            Some(ip) if qtype != QueryType::Mx => (nsdebug::arpa_name(ip), QueryType::Ptr),
            _ => (name.trim().to_string(), qtype),
        };
        let q = nsdebug::Query {
            id,
            name: &qname,
            qtype: qt,
            class: &self.opts.class,
            recurse: self.opts.recurse,
        };
        if self.opts.d2 {
            script.say_all(&nsdebug::request_lines(&q));
        }
        let reply = m.net.dns_query(server, name, qtype);
        if self.opts.debug {
            let soa = match reply {
                DnsReply::NxDomain | DnsReply::NoData { .. } => m.net.negative_soa(server, &qname),
                _ => None,
            };
            // A timeout shows no block: nothing came back (R: no Windows capture of one found).
            if let Some(r) = nsdebug::Reply::from_dns(&reply, soa) {
                script.say_all(&nsdebug::reply_lines(&q, &r, self.opts.d2));
            }
        }
        reply
    }

    /// Finds the default server's name; a silent server costs one timeout and two error lines.
    fn default_server(&mut self, m: &Machine, script: &mut Script) -> Server {
        let Some(address) = m.net.dns_server() else {
            script.say(text::NS_NO_DEFAULT);
            return Server {
                address: None,
                name: text::NS_UNKNOWN.into(),
            };
        };
        let ip = address.to_string();
        match self.ask(m, address, &ip, QueryType::Ptr, script) {
            reply @ DnsReply::Answer { .. } => Server {
                address: Some(address),
                name: ptr_name(reply),
            },
            DnsReply::Timeout => {
                script.wait(2 * SECOND);
                script.say_all(&text::ns_timeout(2));
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

    /// A server named on the command line or with `server NAME`; nslookup's reason when the
    /// name does not resolve (it never falls back to a server it cannot name). An address is
    /// named by a PTR question to the configured DNS server, a query of its own (its block in
    /// debug mode, an id used); no answer leaves it `UnKnown`, with no wait shown (R).
    fn named_server(
        &mut self,
        m: &Machine,
        s: &str,
        script: &mut Script,
    ) -> Result<Server, &'static str> {
        if let Some(a) = parse_ip(s) {
            let reply = match m.net.dns_server() {
                Some(dns) => self.ask(m, dns, &a.to_string(), QueryType::Ptr, script),
                None => DnsReply::Timeout,
            };
            return Ok(Server {
                address: Some(a),
                name: ptr_name(reply),
            });
        }
        match m.net.resolve(s) {
            crate::net::Resolved::Address(a) => Ok(Server {
                address: Some(a),
                name: s.to_string(),
            }),
            crate::net::Resolved::NotFound => Err("Non-existent domain"),
            crate::net::Resolved::NoServer => Err("No response from server"),
        }
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
        // Like the resolver, nslookup asks first for a one-label name with its domain
        // (`nslookup mail` answers for mail.contoso.com), then for the name as typed.
        let qtype = self.opts.qtype();
        let suffix = (self.opts.defname && !self.opts.domain.is_empty())
            .then_some(self.opts.domain.as_str());
        let address = self.server.address.filter(|_| self.opts.port == DNS_PORT);
        let full = crate::net::qualify(name, suffix);
        let (name, reply) = match (address, full) {
            (Some(a), Some(full)) => match self.ask(m, a, &full, qtype, script) {
                DnsReply::NxDomain => (name.to_string(), self.ask(m, a, name, qtype, script)),
                reply => (full, reply),
            },
            (Some(a), None) => (name.to_string(), self.ask(m, a, name, qtype, script)),
            (None, _) => (name.to_string(), DnsReply::Timeout),
        };
        let name = name.as_str();
        // Vista and later ask for A then AAAA when no type is set (an address gets its one
        // PTR question); the AAAA reply shows only in debug mode, after the "Non-authoritative
        // answer:" line the A reply earned (C: two Windows 10 captures; one 2012-era capture
        // from a Vista-or-later machine shows no AAAA block, perhaps from a build that asked A
        // alone). After a failed A question none is sent (R).
        let both = self.opts.qtype.is_none()
            && m.os.is_vista_or_later()
            && parse_ip(name.trim_end_matches('.')).is_none();
        let aaaa = |ns: &mut Self, m: &Machine, script: &mut Script| {
            if let Some(a) = address.filter(|_| both) {
                ns.ask(m, a, name, QueryType::Aaaa, script);
            }
        };
        let debug = self.opts.debug;
        let (answers, error) = match reply {
            DnsReply::Timeout => {
                for _ in 0..=self.opts.retry.min(MAX_TRIES) {
                    script.wait(Millis::from(self.opts.timeout) * SECOND);
                    script.say_all(&text::ns_timeout(self.opts.timeout));
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
                aaaa(self, m, script);
                let zone = name.split_once('.').map(|(_, d)| d).unwrap_or(name);
                let zone = if zone.contains('.') { zone } else { name };
                let soa = Record::Soa {
                    zone: zone.to_string(),
                    primary: self.server.name.clone(),
                    ttl: crate::scenario::DEFAULT_TTL,
                };
                script.say_all(&answer_lines(&[soa], &[], debug));
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
                aaaa(self, m, script);
                script.say_all(&answer_lines(&records, &additional, debug));
                (answer_lines(&records, &additional, false), None)
            }
        };
        m.emit(SimEvent::NslookupAnswer {
            name: name.to_string(),
            query_type: qtype.name().into(),
            answers: answers.into_iter().filter(|l| !l.is_empty()).collect(),
            error: error.map(str::to_string),
        });
    }

    /// `ls [-a|-d|-t TYPE] DOMAIN`: a zone transfer, which the DNS server refuses as Windows
    /// DNS servers do by default to a workstation; a silent server never answers it.
    fn list(&self, m: &Machine, args: &[&str], script: &mut Script) {
        let mut rest = args.iter().copied();
        let mut domain = None;
        while let Some(a) = rest.next() {
            match a.to_ascii_lowercase().as_str() {
                "-a" | "-d" | "-h" | "-s" => {}
                "-t" => {
                    rest.next();
                }
                _ if a.starts_with('>') => break,
                _ => {
                    domain = Some(a);
                    break;
                }
            }
        }
        let Some(domain) = domain else {
            return script.say(text::NS_LS_USAGE);
        };
        let domain = domain.trim_end_matches('.');
        script.say(format!("[{}]", self.server.name));
        let answers = |a| {
            !matches!(
                m.net.dns_query(a, domain, QueryType::Soa),
                DnsReply::Timeout
            )
        };
        match self.server.address.filter(|_| self.opts.port == DNS_PORT) {
            Some(a) if answers(a) => script.say_all(&text::ns_ls_refused(domain, &a.to_string())),
            _ => script.say(text::ns_ls_failed(domain)),
        }
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
                if opt.eq_ignore_ascii_case("all") {
                    self.banner(m, script, true);
                    script.say_all(&self.opts.lines(m.os.is_vista_or_later()));
                } else {
                    self.set_option(opt, script);
                }
            }
            "ls" => self.list(m, &words[1..], script),
            // A server that does not resolve leaves the current one in place.
            "server" | "lserver" => {
                match words.get(1).map(|s| (s, self.named_server(m, s, script))) {
                    Some((_, Ok(server))) => {
                        self.server = server;
                        self.banner(m, script, true);
                    }
                    Some((s, Err(reason))) => script.say(text::ns_cant_find_address(s, reason)),
                    None => script.say(text::ns_invalid_option(first)),
                }
            }
            _ => {
                let name = words[0];
                match words.get(1).map(|s| (s, self.named_server(m, s, script))) {
                    Some((_, Ok(server))) => {
                        let saved = std::mem::replace(&mut self.server, server);
                        self.query(m, name, script, true);
                        self.server = saved;
                    }
                    Some((s, Err(reason))) => script.say(text::ns_cant_find_address(s, reason)),
                    None => self.query(m, name, script, true),
                }
            }
        }
        true
    }
}

/// The name a PTR reply gives, or `UnKnown`, as nslookup names a server.
fn ptr_name(reply: DnsReply) -> String {
    let name = match reply {
        DnsReply::Answer { records, .. } => records.into_iter().find_map(|r| match r {
            Record::Ptr { name, .. } => Some(name),
            _ => None,
        }),
        _ => None,
    };
    name.unwrap_or_else(|| text::NS_UNKNOWN.into())
}

/// Answer records as nslookup prints them: A answers as `Name:`/`Address:` with a blank line
/// after, MX answers one line each plus the exchangers' addresses. In debug mode each line
/// other than an address answer's is followed by its record's ttl (M: one capture, Windows
/// Server 2003, of an MX answer and its additional address).
fn answer_lines(records: &[Record], additional: &[Record], debug: bool) -> Vec<String> {
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
    let ttl = |out: &mut Vec<String>, r: &Record| {
        if debug {
            out.push(text::ns_ttl(r.ttl()));
        }
    };
    for r in records {
        match r {
            Record::Mx {
                name,
                preference,
                exchange,
                ..
            } => {
                out.push(text::ns_mx(name, *preference, exchange));
                ttl(&mut out, r);
            }
            Record::Ptr { address, name, .. } => {
                out.extend(text::ns_name_address(name, &[address.to_string()]));
                out.push(String::new());
            }
            Record::Ns { zone, server, .. } => {
                out.push(text::ns_nameserver(zone, server));
                ttl(&mut out, r);
            }
            Record::Soa { zone, primary, .. } => {
                let mut soa = text::ns_soa(zone, primary);
                if debug {
                    soa.insert(1, text::ns_ttl(r.ttl()));
                }
                out.extend(soa);
            }
            Record::A { .. } => {}
        }
    }
    for r in additional {
        if let Record::A { name, address, .. } = r {
            out.push(text::ns_internet_address(name, &address.to_string()));
            ttl(&mut out, r);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_takes_nslookups_options_and_refuses_the_rest() {
        let mut o = Options::new(Some("contoso.com"));
        for ok in [
            "q=MX",
            "nodefname",
            "norecurse",
            "vc",
            "timeout=5",
            "retry=0",
            "port=5353",
            "domain=fabrikam.com",
            "class=in",
        ] {
            assert!(o.set(ok), "{ok}");
        }
        assert_eq!(o.qtype(), QueryType::Mx);
        assert!(!o.defname && !o.recurse && o.vc);
        assert_eq!((o.timeout, o.retry, o.port), (5, 0, 5353));
        assert_eq!(
            (o.domain.as_str(), o.srchlist.as_str()),
            ("fabrikam.com", "fabrikam.com")
        );
        assert_eq!(o.class, "IN");
        for bad in [
            "bogus",
            "type=bogus",
            "timeout=0",
            "timeout=x",
            "port=70000",
            "retry=",
            "nodefname=1",
            "all=1",
        ] {
            assert!(!o.set(bad), "{bad}");
        }
        // A refused option changes nothing.
        assert_eq!((o.timeout, o.port), (5, 5353));
    }

    #[test]
    fn set_all_names_the_default_type_as_each_version_asks() {
        let o = Options::new(None);
        let xp = o.lines(false);
        assert!(xp.contains(&"  type=A".to_string()));
        assert!(xp.contains(&"  domain=".to_string()));
        assert!(o.lines(true).contains(&"  type=A+AAAA".to_string()));
        let mut o = o;
        assert!(o.set("type=mx"));
        assert!(o.lines(true).contains(&"  type=MX".to_string()));
    }

    #[test]
    fn debug_and_d2_switch_as_bind_derived_nslookup_does() {
        let mut o = Options::new(None);
        let shown = |o: &Options| {
            let l = o.lines(false);
            (l[1].clone(), l[5].clone())
        };
        assert_eq!(shown(&o), ("  nodebug".into(), "  nod2".into()));
        // `deb` and longer turn debug on; shorter is not debug.
        for on in ["deb", "debu", "debug", "DEBUG"] {
            let mut o = Options::new(None);
            assert!(o.set(on), "{on}");
            assert!(o.debug && !o.d2, "{on}");
        }
        assert!(!o.set("de") && !o.set("debugx") && !o.set("debug=1"));
        // d2 brings debug with it; nod2 leaves debug on; nodebug clears both.
        assert!(o.set("d2"));
        assert_eq!(shown(&o), ("  debug".into(), "  d2".into()));
        assert!(o.set("nod2"));
        assert_eq!(shown(&o), ("  debug".into(), "  nod2".into()));
        assert!(o.set("d2") && o.set("nodeb"));
        assert!(!o.debug && !o.d2);
        assert!(o.set("debug") && o.set("nodebug") && !o.debug);
        assert!(!o.set("nodeb=1") && !o.set("node"));
    }

    #[test]
    fn srchlist_sets_the_domain_to_its_first_entry() {
        let mut o = Options::new(Some("contoso.com"));
        assert!(o.set("srchlist=fabrikam.com/contoso.com"));
        assert_eq!(o.domain, "fabrikam.com");
        assert_eq!(o.srchlist, "fabrikam.com/contoso.com");
    }
}
