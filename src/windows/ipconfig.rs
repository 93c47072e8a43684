//! ipconfig.exe and `ipconfig /all`: the workstation's configuration as the version lays it
//! out, faults included, so a wrong mask or gateway can be spotted. A disabled adapter is not
//! listed at all, as on real Windows.

use super::machine::Machine;
use super::text;
use crate::clock::Millis;
use crate::net::cache::{seconds_left, Answer};

/// Prints `ipconfig ARGS` at `now` (the resolver cache's TTLs count down with it).
pub fn run(m: &mut Machine, args: &[&str], now: Millis) {
    let switch = args.first().map(|a| super::switch(a));
    let all = match switch {
        None => false,
        Some(Some(s)) if s == "all" => true,
        Some(Some(s)) if s == "displaydns" => {
            display_dns(m, now);
            return;
        }
        Some(Some(s)) if ["flushdns", "release", "renew", "registerdns"].contains(&s.as_str()) => {
            let said: &[&str] = match s.as_str() {
                "flushdns" => {
                    m.net.flush_dns(now);
                    &[text::IPCONFIG_FLUSHED]
                }
                "registerdns" => text::IPCONFIG_REGISTERDNS,
                // The workstation's address is static: there is no lease to give back or renew.
                _ => text::IPCONFIG_NOT_DHCP,
            };
            m.lines(&["", text::IPCONFIG_TITLE, ""]);
            m.lines(said);
            return;
        }
        Some(_) => {
            m.lines(text::IPCONFIG_USAGE);
            return;
        }
    };
    let os = m.os;
    let ind = text::ipconfig_indent(os);
    let world = m.net.world();
    let ws = &world.workstation;
    let mut out: Vec<String> = vec![String::new(), text::IPCONFIG_TITLE.into(), String::new()];
    if all {
        out.push(format!("{ind}{}{}", text::IPCONFIG_HOST_NAME, ws.name));
        out.extend(
            text::ipconfig_all_global(m.net.dns_suffix())
                .iter()
                .map(|l| format!("{ind}{l}")),
        );
    }
    if m.net.nic_up() {
        out.push(String::new());
        out.push(text::adapter_name(os).into());
        out.push(String::new());
        out.push(format!("{ind}{}", text::IPCONFIG_SUFFIX));
        if all {
            out.push(format!(
                "{ind}{}{}",
                text::IPCONFIG_DESCRIPTION,
                text::ADAPTER_DESCRIPTION
            ));
            out.push(format!(
                "{ind}{}{}",
                text::IPCONFIG_PHYSICAL,
                text::mac(&text::ADAPTER_MAC, "-").to_ascii_uppercase()
            ));
            out.push(format!("{ind}{}", text::IPCONFIG_DHCP));
        }
        out.push(format!(
            "{ind}{}{}",
            text::ipconfig_address_label(os),
            ws.ip
        ));
        out.push(format!(
            "{ind}{}{}",
            text::IPCONFIG_MASK,
            world.effective_mask()
        ));
        out.push(format!(
            "{ind}{}{}",
            text::IPCONFIG_GATEWAY,
            world.effective_gateway()
        ));
        if all {
            out.push(format!("{ind}{}{}", text::IPCONFIG_DNS, ws.dns));
        }
    }
    m.lines(&out);
}

/// `ipconfig /displaydns`: the hosts file's entries (before Windows 7, whose hosts file has
/// `localhost` commented out, so nothing is preloaded), then every name the
/// resolver cache holds, with the seconds its answer has left. Kept out of line: inlined
/// into the command dispatcher it made the browser app larger.
#[inline(never)]
fn display_dns(m: &mut Machine, now: Millis) {
    let os = m.os;
    let mut out = String::new();
    let cache = m.net.dns_cache();
    if !os.is_vista_or_later() {
        let ttl = seconds_left(cache.hosts_expire(), now);
        let (ptr, a) = ("localhost", "127.0.0.1");
        text::displaydns_entry(&mut out, os, "1.0.0.127.in-addr.arpa", 12, ttl, &ptr);
        text::displaydns_entry(&mut out, os, ptr, 1, ttl, &a);
    }
    for e in cache.live(now) {
        let (kind, data): (u8, &dyn std::fmt::Display) = match &e.answer {
            Answer::Address(a) => (1, a),
            Answer::NoName => (0, &text::DISPLAYDNS_NO_NAME),
            Answer::NoData => (0, &text::DISPLAYDNS_NO_DATA),
        };
        let ttl = seconds_left(e.expires, now);
        text::displaydns_entry(&mut out, os, &e.name, kind, ttl, data);
    }
    drop(cache);
    if out.is_empty() {
        out.push_str(text::DISPLAYDNS_EMPTY);
    }
    m.lines(&["", text::IPCONFIG_TITLE, ""]);
    m.console.write(&out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::SECOND;
    use crate::scenario::World;
    use crate::windows::nslookup::Nslookup;

    fn shown(m: &mut Machine, args: &[&str], now: Millis) -> String {
        let before = m.console.text().len();
        run(m, args, now);
        m.console.text()[before..].to_string()
    }

    #[test]
    fn displaydns_counts_down_and_nslookup_leaves_the_cache_alone() {
        let mut m = Machine::new(World::default(), 1);
        m.net.lookup("mail", 0);
        let out = shown(&mut m, &["/displaydns"], 90 * SECOND);
        assert!(out.contains("         mail.contoso.com\n"), "{out}");
        assert!(out.contains("Time To Live  . . . . : 3510\n"), "{out}");
        assert!(out.contains("Time To Live  . . . . : 604710\n"), "{out}");
        // nslookup asks the server even for a cached name, and caches nothing.
        m.net.forget_neighbour(None);
        let _ = Nslookup::start(&mut m, &["mail.contoso.com"], 91 * SECOND);
        let _ = Nslookup::start(&mut m, &["smarthost.fabrikam.com"], 91 * SECOND);
        assert!(!m.net.neighbours().is_empty());
        let out = shown(&mut m, &["/displaydns"], 91 * SECOND);
        assert!(!out.contains("smarthost"), "{out}");
        shown(&mut m, &["/flushdns"], 92 * SECOND);
        let out = shown(&mut m, &["/displaydns"], 92 * SECOND);
        assert!(!out.contains("mail.contoso.com"), "{out}");
        assert!(out.contains("         localhost\n"), "{out}");
    }

    #[test]
    fn windows_7_preloads_nothing_and_says_so_when_the_cache_is_empty() {
        let mut w = World::default();
        w.workstation.os = crate::scenario::WindowsVersion::Win7;
        let mut m = Machine::new(w, 1);
        m.net.lookup("nosuch", 0);
        let out = shown(&mut m, &["/displaydns"], SECOND);
        assert!(!out.contains("localhost"), "{out}");
        assert!(out.contains("    nosuch\n    ---"), "{out}");
        assert!(out.contains("    Name does not exist.\n"), "{out}");
        shown(&mut m, &["/flushdns"], SECOND);
        let out = shown(&mut m, &["/displaydns"], SECOND);
        assert!(
            out.ends_with("Configuration\n\nCould not display the DNS Resolver Cache.\n"),
            "{out:?}"
        );
    }
}
