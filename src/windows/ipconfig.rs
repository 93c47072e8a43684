//! ipconfig.exe and `ipconfig /all`: the workstation's configuration as the version lays it
//! out, faults included, so a wrong mask or gateway can be spotted. A disabled adapter is not
//! listed at all, as on real Windows.

use super::machine::Machine;
use super::text;

/// Prints `ipconfig ARGS`.
pub fn run(m: &mut Machine, args: &[&str]) {
    let all = match args.first().map(|a| a.to_ascii_lowercase()) {
        None => false,
        Some(a) if a == "/all" || a == "-all" => true,
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
            text::IPCONFIG_ALL_GLOBAL
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
            out.push(format!("{ind}{}", text::IPCONFIG_DESCRIPTION));
            out.push(format!("{ind}{}", text::IPCONFIG_PHYSICAL));
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
