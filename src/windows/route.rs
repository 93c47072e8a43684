//! arp.exe and `route print`: the layer under ping. `arp -a` lists the neighbours that
//! answered on the local subnet since the cache was last emptied, so a dead gateway shows as
//! the entry that never appears; `route print` shows the routes the adapter's settings make,
//! faults applied, so a wrong mask or gateway can be read there as well as in ipconfig.

use super::machine::Machine;
use super::text;
use crate::scenario::parse_ip;
use std::net::Ipv4Addr;

/// The MAC address a simulated host answers ARP with: fixed by its address, so the same
/// network shows the same table every time.
fn mac_of(ip: Ipv4Addr) -> [u8; 6] {
    let [_, b, c, d] = ip.octets();
    [0x00, 0x15, 0x5d, b, c, d]
}

/// The broadcast and multicast entries Windows 7 and later list as static for an adapter.
fn static_entries(broadcast: Ipv4Addr) -> Vec<(Ipv4Addr, [u8; 6])> {
    let all = [0xff; 6];
    vec![
        (broadcast, all),
        (
            Ipv4Addr::new(224, 0, 0, 22),
            [0x01, 0x00, 0x5e, 0x00, 0x00, 0x16],
        ),
        (
            Ipv4Addr::new(224, 0, 0, 252),
            [0x01, 0x00, 0x5e, 0x00, 0x00, 0xfc],
        ),
        (
            Ipv4Addr::new(239, 255, 255, 250),
            [0x01, 0x00, 0x5e, 0x7f, 0xff, 0xfa],
        ),
        (Ipv4Addr::BROADCAST, all),
    ]
}

fn broadcast(ip: Ipv4Addr, mask: Ipv4Addr) -> Ipv4Addr {
    Ipv4Addr::from(u32::from(ip) | !u32::from(mask))
}

fn network(ip: Ipv4Addr, mask: Ipv4Addr) -> Ipv4Addr {
    Ipv4Addr::from(u32::from(ip) & u32::from(mask))
}

/// Runs `arp ARGS`: `-a`/`-g` [address] lists, `-d` address or `*` forgets, anything else
/// gets the usage.
pub fn arp(m: &mut Machine, args: &[&str]) {
    let switch = args.first().and_then(|a| super::switch(a));
    let target = args.get(1).copied();
    match switch.as_deref() {
        Some("a" | "g") => {
            let only = match target.filter(|t| !t.starts_with(['-', '/'])) {
                Some(t) => match parse_ip(t) {
                    Some(ip) => Some(ip),
                    None => return m.lines(text::ARP_USAGE),
                },
                None => None,
            };
            let lines = arp_table(m, only);
            m.lines(&lines);
        }
        Some("d") => {
            let forgotten = match target {
                None | Some("*") => {
                    m.net.forget_neighbour(None);
                    true
                }
                Some(t) => match parse_ip(t) {
                    Some(ip) => m.net.forget_neighbour(Some(ip)),
                    None => return m.lines(text::ARP_USAGE),
                },
            };
            if !forgotten {
                m.lines(&[text::ARP_NOT_FOUND]);
            }
        }
        _ => m.lines(text::ARP_USAGE),
    }
}

/// `arp -a`'s lines, for one address or all.
fn arp_table(m: &Machine, only: Option<Ipv4Addr>) -> Vec<String> {
    if !m.net.nic_up() {
        return vec![text::ARP_NONE.into()];
    }
    let own = m.net.own_ip();
    let mut entries: Vec<(Ipv4Addr, [u8; 6], bool)> = m
        .net
        .neighbours()
        .into_iter()
        .map(|ip| (ip, mac_of(ip), true))
        .collect();
    if m.os.is_vista_or_later() {
        entries.extend(
            static_entries(broadcast(own, m.net.mask()))
                .into_iter()
                .map(|(ip, mac)| (ip, mac, false)),
        );
    }
    entries.retain(|(ip, _, _)| only.is_none_or(|o| o == *ip));
    if entries.is_empty() {
        return vec![text::ARP_NONE.into()];
    }
    let mut out = text::arp_interface(m.os, &own.to_string()).to_vec();
    out.extend(entries.iter().map(|(ip, mac, dynamic)| {
        text::arp_entry(&ip.to_string(), &text::mac(mac, "-"), *dynamic)
    }));
    out
}

/// Runs `route ARGS`: `print` (with an optional `-4`/`-6` or pattern, all shown alike);
/// anything else gets the usage.
pub fn route(m: &mut Machine, args: &[&str]) {
    match args.first() {
        Some(c) if c.eq_ignore_ascii_case("print") => {
            let lines = route_print(m);
            m.lines(&lines);
        }
        _ => m.lines(text::ROUTE_USAGE),
    }
}

/// The multicast range, routed on every interface.
const MULTICAST: (Ipv4Addr, Ipv4Addr) = (Ipv4Addr::new(224, 0, 0, 0), Ipv4Addr::new(240, 0, 0, 0));

/// One route: destination, mask, gateway (`None` for on-link), interface, metric.
type Route = (Ipv4Addr, Ipv4Addr, Option<Ipv4Addr>, Ipv4Addr, u32);

/// The IPv4 routes the adapter's settings make, in the order route print lists them.
fn routes(m: &Machine) -> Vec<Route> {
    let vista = m.os.is_vista_or_later();
    let lo = Ipv4Addr::LOCALHOST;
    let host = Ipv4Addr::BROADCAST;
    let (adapter_metric, lo_metric) = if vista { (266, 306) } else { (20, 1) };
    // Before Vista the loopback routes name the loopback address as their gateway.
    let lo_gateway = (!vista).then_some(lo);
    let mut v: Vec<Route> = vec![(
        Ipv4Addr::new(127, 0, 0, 0),
        Ipv4Addr::new(255, 0, 0, 0),
        lo_gateway,
        lo,
        lo_metric,
    )];
    if vista {
        v.push((lo, host, None, lo, lo_metric));
        v.push((Ipv4Addr::new(127, 255, 255, 255), host, None, lo, lo_metric));
        v.push((MULTICAST.0, MULTICAST.1, None, lo, lo_metric));
        v.push((host, host, None, lo, lo_metric));
    }
    if m.net.nic_up() {
        let (own, mask) = (m.net.own_ip(), m.net.mask());
        // Before Vista, routes through the adapter name its own address as the gateway and
        // the route to itself goes through the loopback.
        let via_self = (!vista).then_some(own);
        if let Some(gw) = m.net.gateway() {
            v.push((
                Ipv4Addr::UNSPECIFIED,
                Ipv4Addr::UNSPECIFIED,
                Some(gw),
                own,
                adapter_metric,
            ));
        }
        v.push((network(own, mask), mask, via_self, own, adapter_metric));
        if vista {
            v.push((own, host, None, own, adapter_metric));
        } else {
            v.push((own, host, Some(lo), lo, adapter_metric));
        }
        v.push((broadcast(own, mask), host, via_self, own, adapter_metric));
        v.push((MULTICAST.0, MULTICAST.1, via_self, own, adapter_metric));
        v.push((
            host,
            host,
            via_self,
            own,
            if vista { adapter_metric } else { 1 },
        ));
    }
    // Listed by destination, then mask, then the loopback before the adapter. Placed one by
    // one rather than sorted: a dozen rows, and the browser build stays free of another
    // instance of the slice sort.
    let key = |r: &Route| (u32::from(r.0), u32::from(r.1), r.3 != lo);
    let mut sorted: Vec<Route> = Vec::with_capacity(v.len());
    for r in v {
        let at = sorted.partition_point(|s| key(s) <= key(&r));
        sorted.insert(at, r);
    }
    sorted
}

fn route_print(m: &Machine) -> Vec<String> {
    let os = m.os;
    let vista = os.is_vista_or_later();
    let mut out = text::route_interfaces(os, m.net.nic_up());
    if vista {
        out.push(String::new());
        out.push("IPv4 Route Table".into());
    }
    out.push(text::ROUTE_RULE.into());
    out.push("Active Routes:".into());
    out.push(text::ROUTE_HEADER.into());
    for (dest, mask, gateway, interface, metric) in routes(m) {
        let gateway = gateway.map_or_else(|| "On-link".to_string(), |g| g.to_string());
        let cells = [
            dest.to_string(),
            mask.to_string(),
            gateway,
            interface.to_string(),
        ];
        out.push(text::route_row(
            os,
            [&cells[0], &cells[1], &cells[2], &cells[3]],
            metric,
        ));
    }
    if !vista {
        if let Some(gw) = m.net.gateway().filter(|_| m.net.nic_up()) {
            out.push(text::route_default_gateway(&gw.to_string()));
        }
    }
    out.push(text::ROUTE_RULE.into());
    out.extend(text::ROUTE_PERSISTENT.iter().map(|l| l.to_string()));
    if vista {
        out.extend(text::ROUTE_IPV6.iter().map(|l| l.to_string()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broadcast_and_network_follow_the_mask() {
        let ip = Ipv4Addr::new(10, 0, 0, 50);
        let mask = Ipv4Addr::new(255, 255, 255, 240);
        assert_eq!(network(ip, mask), Ipv4Addr::new(10, 0, 0, 48));
        assert_eq!(broadcast(ip, mask), Ipv4Addr::new(10, 0, 0, 63));
        let mask = Ipv4Addr::new(255, 255, 255, 0);
        assert_eq!(broadcast(ip, mask), Ipv4Addr::new(10, 0, 0, 255));
    }

    #[test]
    fn a_hosts_mac_is_fixed_by_its_address() {
        assert_eq!(
            text::mac(&mac_of(Ipv4Addr::new(10, 0, 0, 1)), "-"),
            "00-15-5d-00-00-01"
        );
        assert_ne!(
            mac_of(Ipv4Addr::new(10, 0, 0, 1)),
            mac_of(Ipv4Addr::new(10, 0, 0, 25))
        );
    }
}
