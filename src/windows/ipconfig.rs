//! ipconfig.exe and `ipconfig /all`: the workstation's configuration as the version lays it
//! out, faults included, so a wrong mask or gateway can be spotted. A disabled adapter is not
//! listed at all, as on real Windows.

use super::machine::Machine;
use super::text;

/// Prints `ipconfig ARGS`.
pub fn run(m: &mut Machine, args: &[&str]) {
    let switch = args.first().map(|a| super::switch(a));
    let all = match switch {
        None => false,
        Some(Some(s)) if s == "all" => true,
        Some(Some(s)) if ["flushdns", "release", "renew", "registerdns"].contains(&s.as_str()) => {
            let said: &[&str] = match s.as_str() {
                // The resolver of the simulation keeps no cache: every lookup asks the server,
                // so flushing changes nothing, as it changes nothing for a fault on the server.
                "flushdns" => &[text::IPCONFIG_FLUSHED],
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
