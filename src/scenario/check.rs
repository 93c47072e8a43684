//! Loading and checking a world file: syntax and types first (with the path and line of the
//! first problem), then every semantic problem at once (bad addresses, unknown personas,
//! records pointing nowhere, faults naming hosts that do not exist).

use super::{parse_cidr, parse_ip, parse_mask, Fault, HostRole, ScenarioError, World};
use std::collections::HashSet;

/// The persona ids of the SMTP engine, for messages and pickers.
pub fn known_personas() -> Vec<&'static str> {
    crate::smtp::persona::ids()
}

/// Whether the engine knows a persona id.
pub fn persona_exists(id: &str) -> bool {
    crate::smtp::persona::get(id).is_some()
}

/// Deserializes TOML or JSON, reporting the path (via [`super::tree`]) and line.
pub(super) fn deserialize(text: &str) -> Result<World, Vec<ScenarioError>> {
    super::file::deserialize_located::<World>(text)
}

/// 1-based line number of a byte offset.
pub(crate) fn line_at(text: &str, offset: usize) -> usize {
    text.as_bytes()
        .iter()
        .take(offset.min(text.len()))
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// The line where a quoted value first appears, to point semantic errors at their place.
fn line_of_value(text: &str, value: &str) -> Option<usize> {
    if value.is_empty() {
        return None;
    }
    let quoted = format!("\"{value}\"");
    text.find(&quoted)
        .or_else(|| text.find(&format!("'{value}'")))
        .map(|i| line_at(text, i))
}

struct Checker<'a> {
    text: &'a str,
    errors: Vec<ScenarioError>,
}

impl Checker<'_> {
    fn error(&mut self, path: String, value: &str, message: String) {
        let line = line_of_value(self.text, value);
        self.errors.push(ScenarioError {
            path,
            line,
            message,
        });
    }

    fn ip(&mut self, path: String, value: &str, allow_empty: bool) {
        if allow_empty && value.trim().is_empty() {
            return;
        }
        if parse_ip(value).is_none() {
            self.error(
                path,
                value,
                format!("`{value}` is not an IPv4 address like 10.0.0.25"),
            );
        }
    }

    fn mask(&mut self, path: String, value: &str) {
        if parse_mask(value).is_none() {
            self.error(
                path,
                value,
                format!("`{value}` is not a subnet mask like 255.255.255.0"),
            );
        }
    }

    /// A record's TTL: at most 2147483647 seconds (RFC 2181); a negative or fractional one
    /// never gets this far, the file's types refuse it.
    fn ttl(&mut self, path: String, ttl: Option<u32>) {
        let Some(t) = ttl.filter(|t| *t > super::MAX_TTL) else {
            return;
        };
        // A number, not a quoted value: found as `ttl = N` (TOML) or `"ttl": N` (JSON).
        let line = [format!("ttl = {t}"), format!("\"ttl\": {t}")]
            .iter()
            .find_map(|k| self.text.find(k.as_str()))
            .map(|i| line_at(self.text, i));
        self.errors.push(ScenarioError {
            path,
            line,
            message: format!(
                "a TTL of {t} seconds is more than a DNS record can carry ({})",
                super::MAX_TTL
            ),
        });
    }
}

/// Every semantic problem of an already well-typed world.
pub(super) fn validate(world: &World, text: &str) -> Vec<ScenarioError> {
    let mut c = Checker {
        text,
        errors: Vec::new(),
    };
    let ws = &world.workstation;
    c.ip("workstation.ip".into(), &ws.ip, false);
    c.mask("workstation.mask".into(), &ws.mask);
    c.ip("workstation.gateway".into(), &ws.gateway, true);
    c.ip("workstation.dns".into(), &ws.dns, true);
    if let Some(problem) = ws.domain.as_deref().and_then(domain_problem) {
        c.error(
            "workstation.domain".into(),
            ws.domain.as_deref().unwrap_or_default(),
            problem,
        );
    }
    if ws.name.trim().is_empty() {
        c.error(
            "workstation.name".into(),
            "",
            "the computer name is empty".into(),
        );
    }

    let mut names = HashSet::new();
    let mut ips = HashSet::new();
    for (i, h) in world.hosts.iter().enumerate() {
        let p = |field: &str| format!("hosts[{i}].{field}");
        if h.name.trim().is_empty() {
            c.error(p("name"), "", "the host name is empty".into());
        } else if !names.insert(h.name.to_ascii_lowercase()) {
            c.error(p("name"), &h.name, format!("`{}` is named twice", h.name));
        }
        c.ip(p("ip"), &h.ip, false);
        if parse_ip(&h.ip).is_some() && !ips.insert(h.ip.trim().to_string()) {
            c.error(p("ip"), &h.ip, format!("`{}` is used twice", h.ip));
        }
        if h.ip.trim() == ws.ip.trim() {
            c.error(
                p("ip"),
                &h.ip,
                "a host cannot have the workstation's own address".into(),
            );
        }
        match (h.role, &h.persona) {
            (HostRole::Mail, None) => c.error(
                p("persona"),
                "",
                format!(
                    "a mail server needs a persona: one of {}",
                    known_personas().join(", ")
                ),
            ),
            (HostRole::Mail, Some(id)) if !persona_exists(id) => c.error(
                p("persona"),
                id,
                format!(
                    "unknown persona `{id}`; expected one of {}",
                    known_personas().join(", ")
                ),
            ),
            (HostRole::Mail, Some(_)) => {}
            (_, Some(id)) => c.error(
                p("persona"),
                id,
                "only hosts with role = \"mail\" have a persona".into(),
            ),
            (_, None) => {}
        }
        if h.role != HostRole::Dns && !(h.a.is_empty() && h.mx.is_empty()) {
            c.error(
                p("role"),
                "",
                "only hosts with role = \"dns\" hold A and MX records".into(),
            );
        }
        if h.role != HostRole::Router && !h.routes.is_empty() {
            c.error(
                p("routes"),
                "",
                "only hosts with role = \"router\" have routes".into(),
            );
        }
        for (j, r) in h.a.iter().enumerate() {
            c.ip(format!("hosts[{i}].a[{j}].address"), &r.address, false);
            if r.name.trim().is_empty() {
                c.error(format!("hosts[{i}].a[{j}].name"), "", "empty name".into());
            }
            c.ttl(format!("hosts[{i}].a[{j}].ttl"), r.ttl);
        }
        for (j, r) in h.mx.iter().enumerate() {
            c.ttl(format!("hosts[{i}].mx[{j}].ttl"), r.ttl);
            if !h.a.iter().any(|a| a.name.eq_ignore_ascii_case(&r.exchange)) {
                c.error(
                    format!("hosts[{i}].mx[{j}].exchange"),
                    &r.exchange,
                    format!(
                        "`{}` has no A record on this server, so the MX leads nowhere",
                        r.exchange
                    ),
                );
            }
        }
        for (j, r) in h.routes.iter().enumerate() {
            if parse_cidr(r).is_none() {
                c.error(
                    format!("hosts[{i}].routes[{j}]"),
                    r,
                    format!("`{r}` is not a subnet like 192.168.10.0/24"),
                );
            }
        }
    }

    for (i, f) in world.faults.iter().enumerate() {
        let p = |field: &str| format!("faults[{i}].{field}");
        match f {
            Fault::WrongMask { mask: Some(m) } => c.mask(p("mask"), m),
            Fault::WrongGateway { gateway: Some(g) } => c.ip(p("gateway"), g, false),
            _ => {}
        }
        if let Some(h) = f.host() {
            match world.find_host(h) {
                None => c.error(p("host"), h, format!("no host is named `{h}`")),
                Some(ix) if world.hosts[ix].role != HostRole::Mail => {
                    c.error(p("host"), h, format!("`{h}` is not a mail server"))
                }
                Some(_) => {}
            }
        } else if f.is_server_fault() && world.main_mail_host().is_none() {
            c.error(
                format!("faults[{i}]"),
                f.name(),
                format!("`{}` needs a mail server and this world has none", f.name()),
            );
        }
        if let Some(why) = world.fault_without_effect(f) {
            c.error(format!("faults[{i}]"), f.name(), why);
        }
    }
    c.errors
}

/// Why a workstation's `domain` (its primary DNS suffix) is not one, if it is not: a DNS name
/// such as `contoso.com`, a trailing dot allowed, or empty for none. The world file and an
/// exercise's `world` table share this rule and its message.
pub fn domain_problem(domain: &str) -> Option<String> {
    let d = domain.trim().trim_matches('.');
    let is_name = crate::smtp::command::is_domain(d) && !d.starts_with('[');
    (!d.is_empty() && !is_name).then(|| format!("`{domain}` is not a DNS domain like contoso.com"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (file, expected path, expected line, a word the message must contain)
    const BAD: &[(&str, &str, Option<usize>, &str)] = &[
        ("[workstation]\nos = \"xp\n", "", Some(2), "string"),
        (
            "[workstation]\nos = \"vista\"\n",
            "workstation.os",
            Some(2),
            "vista",
        ),
        (
            "[workstation]\nip = \"10.0.0.300\"\n",
            "workstation.ip",
            Some(2),
            "IPv4",
        ),
        (
            "[workstation]\nmask = \"255.0.255.0\"\n",
            "workstation.mask",
            Some(2),
            "mask",
        ),
        (
            "[[hosts]]\nname = \"a\"\nip = \"10.0.0.9\"\nrole = \"mail\"\npersona = \"iis5\"\n\n[[hosts]]\nname = \"b\"\nip = \"10.0.0.8\"\nrole = \"mail\"\npersona = \"sendmail\"\n",
            "hosts[1].persona",
            Some(11),
            "sendmail",
        ),
        (
            "faults = [\"dns-down\", \"cable-cut\"]\n",
            "faults",
            Some(1),
            "cable-cut",
        ),
        (
            "[[hosts]]\nname = \"mail\"\nip = \"10.0.0.25\"\nrole = \"mail\"\npersona = \"iis6\"\n\n[[faults]]\nfault = \"recipient-unknown\"\n",
            "faults[0]",
            Some(8),
            "no mailboxes",
        ),
        (
            "faults = [{ fault = \"smtp-service-stopped\", host = \"nowhere\" }]\n",
            "faults[0].host",
            Some(1),
            "nowhere",
        ),
        (
            "[[faults]]\nfault = \"dns-down\"\n\n[[faults]]\nfault = \"stale-dns-cache\"\nname = \"ns1.contoso.com\"\n",
            "faults[1]",
            Some(5),
            "gets no address",
        ),
        ("[workstaton]\nos = \"xp\"\n", "workstaton", Some(1), "workstaton"),
        (
            "{\"workstation\": {\"os\": \"dos\"}}",
            "workstation.os",
            Some(1),
            "dos",
        ),
        (
            "[[hosts]]\nname = \"r\"\nip = \"10.0.0.1\"\nrole = \"router\"\nroutes = [\"192.168.10.0/40\"]\n",
            "hosts[0].routes[0]",
            Some(5),
            "subnet",
        ),
        (
            "[[hosts]]\nname = \"ns\"\nip = \"10.0.0.2\"\nrole = \"dns\"\na = [{ name = \"m\", address = \"10.0.0.25\", ttl = 4000000000 }]\n",
            "hosts[0].a[0].ttl",
            Some(5),
            "2147483647",
        ),
        (
            "[[hosts]]\nname = \"ns\"\nip = \"10.0.0.2\"\nrole = \"dns\"\na = [{ name = \"m\", address = \"10.0.0.25\", ttl = -5 }]\n",
            "hosts[0].a[0].ttl",
            Some(5),
            "integer",
        ),
    ];

    #[test]
    fn bad_files_report_where_and_what() {
        for (text, path, line, word) in BAD {
            let errors = World::parse(text).expect_err(text);
            let e = &errors[0];
            assert_eq!(&e.path, path, "{text}: {e}");
            assert_eq!(e.line, *line, "{text}: {e}");
            assert!(e.message.contains(word), "{text}: {e}");
        }
    }

    #[test]
    fn every_semantic_problem_is_reported_at_once() {
        let text = "[workstation]\nip = \"1.2.3\"\nmask = \"1.1.1.1\"\ngateway = \"x\"\n";
        let errors = World::parse(text).expect_err("invalid");
        let paths: Vec<_> = errors.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(
            paths,
            ["workstation.ip", "workstation.mask", "workstation.gateway"]
        );
    }
}
