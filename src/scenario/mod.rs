//! Scenario files: the serde types of worlds (workstation, hosts, faults), lessons and
//! challenges, with loading and checking. Instructors write these; the built-in ones use the
//! same format.
//!
//! A [`World`] is what the simulated workstation sits in: its own configuration, the hosts on
//! the network (mail servers, a DNS server, a router), and the faults that break it. Every field
//! has a default, so a file names only what differs from the default world of the KB articles:
//!
//! ```toml
//! [workstation]
//! os = "win7"
//!
//! faults = ["dns-down", { fault = "wrong-mask", mask = "255.255.255.240" }]
//! ```

use crate::smtp::ServerOverrides;
use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;
use std::net::Ipv4Addr;
use std::str::FromStr;

mod check;
mod document;
pub mod file;
pub(crate) mod tagged;
pub mod tree;

pub use check::known_personas;

/// The Windows version the workstation runs; it decides prompts, texts and which tools exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum WindowsVersion {
    #[serde(rename = "win2000")]
    Win2000,
    #[default]
    #[serde(rename = "xp")]
    Xp,
    #[serde(rename = "win2003")]
    Win2003,
    #[serde(rename = "win7")]
    Win7,
    #[serde(rename = "win10")]
    Win10,
}

impl WindowsVersion {
    /// Every version, oldest first (for pickers and tests that run per version).
    pub const ALL: [WindowsVersion; 5] = [
        WindowsVersion::Win2000,
        WindowsVersion::Xp,
        WindowsVersion::Win2003,
        WindowsVersion::Win7,
        WindowsVersion::Win10,
    ];

    /// The name used in files, URLs and on the command line.
    pub fn id(self) -> &'static str {
        match self {
            WindowsVersion::Win2000 => "win2000",
            WindowsVersion::Xp => "xp",
            WindowsVersion::Win2003 => "win2003",
            WindowsVersion::Win7 => "win7",
            WindowsVersion::Win10 => "win10",
        }
    }

    /// Vista and later: Telnet Client is an optional feature, off by default, and ping reports
    /// an unreachable neighbour as a reply from the workstation itself.
    pub fn is_vista_or_later(self) -> bool {
        matches!(self, WindowsVersion::Win7 | WindowsVersion::Win10)
    }

    /// Whether Telnet Client is there out of the box on this version.
    pub fn telnet_installed_by_default(self) -> bool {
        !self.is_vista_or_later()
    }
}

impl fmt::Display for WindowsVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for WindowsVersion {
    type Err = String;

    /// Accepts the file names (`win2000`, `xp`, ...) and the obvious spellings people type
    /// (`2000`, `winxp`, `7`, `windows10`), case-insensitively.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase();
        let t = t.strip_prefix("windows").unwrap_or(&t);
        let t = t.strip_prefix("win").unwrap_or(t);
        match t.trim_start_matches([' ', '-', '_']) {
            "2000" | "2k" => Ok(WindowsVersion::Win2000),
            "xp" => Ok(WindowsVersion::Xp),
            "2003" | "2k3" => Ok(WindowsVersion::Win2003),
            "7" => Ok(WindowsVersion::Win7),
            "10" => Ok(WindowsVersion::Win10),
            _ => Err(format!(
                "unknown Windows version `{s}`; expected one of win2000, xp, win2003, win7, win10"
            )),
        }
    }
}

/// The learner's own PC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct WorkstationConfig {
    pub os: WindowsVersion,
    /// Computer name, as `ipconfig /all` shows it.
    pub name: String,
    pub ip: String,
    pub mask: String,
    /// Empty for none.
    pub gateway: String,
    /// The DNS server the resolver asks; empty for none.
    pub dns: String,
    /// The primary DNS suffix (the domain the PC belongs to): `ipconfig /all` shows it, and
    /// the resolver appends it to a name of one label (`telnet mail 25` reaches
    /// `mail.<domain>`). Omitted, it is the domain of the DNS server's own name
    /// (`ns1.contoso.com` gives `contoso.com`); empty, there is none, as on a PC in a
    /// workgroup, and short names are looked up as typed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// `None` follows the Windows version: installed on 2000, XP and 2003, not on 7 and 10.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub telnet_installed: Option<bool>,
}

impl Default for WorkstationConfig {
    fn default() -> Self {
        WorkstationConfig {
            os: WindowsVersion::Xp,
            name: "WS01".into(),
            ip: "10.0.0.50".into(),
            mask: "255.255.255.0".into(),
            gateway: "10.0.0.1".into(),
            dns: "10.0.0.2".into(),
            domain: None,
            telnet_installed: None,
        }
    }
}

/// What a host on the network does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum HostRole {
    /// An SMTP server on port 25, played by a persona of the engine.
    Mail,
    /// A DNS server answering A and MX queries from its records.
    Dns,
    /// A router: the default gateway, forwarding to the subnets in `routes`.
    Router,
    /// Any other machine: answers ping, refuses every TCP port.
    #[default]
    Plain,
}

/// An address record: `name` resolves to `address`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ARecord {
    pub name: String,
    pub address: String,
    /// Time to live in seconds, as the DNS server hands it out (nslookup's debug output) and
    /// the workstation's resolver cache keeps the answer (`ipconfig /displaydns`); omitted,
    /// 3600 (one hour). A PTR answer made from this record carries the same TTL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(range(max = 2_147_483_647)))]
    pub ttl: Option<u32>,
}

/// The TTL of a record that names none: one hour, the "Minimum (default) TTL" the Windows
/// Server DNS console gives the SOA of a new zone and so every record in it. The zone's own
/// NS and SOA records carry it too.
pub const DEFAULT_TTL: u32 = 3600;

/// The largest TTL a record may have: RFC 2181 section 8 keeps the top bit clear.
pub const MAX_TTL: u32 = 2_147_483_647;

/// A mail exchanger record: mail for `name` goes to `exchange`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MxRecord {
    pub name: String,
    pub preference: u16,
    pub exchange: String,
    /// Time to live in seconds, as for an address record's `ttl`; omitted, 3600 (one hour).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(range(max = 2_147_483_647)))]
    pub ttl: Option<u32>,
}

/// One machine on the simulated network. Fields that do not apply to its role stay empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Host {
    /// Fully qualified name, e.g. `mail.contoso.com`.
    pub name: String,
    pub ip: String,
    #[serde(default)]
    pub role: HostRole,
    /// Mail servers: the engine persona id (`exchange2003`, `iis5`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persona: Option<String>,
    /// Mail servers: what differs from the persona's defaults (the engine's own type). The
    /// host name defaults to the host's `name`, the mailboxes to `user@`, `admin@` and
    /// `john@` in the first domain.
    #[serde(default, skip_serializing_if = "is_default")]
    #[cfg_attr(feature = "schema", schemars(with = "serde_json::Value"))]
    pub overrides: ServerOverrides,
    /// DNS servers: address records.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub a: Vec<ARecord>,
    /// DNS servers: mail exchanger records.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mx: Vec<MxRecord>,
    /// Routers: the remote subnets behind them, in CIDR form (`192.168.10.0/24`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub routes: Vec<String>,
}

fn is_default<T: Default + PartialEq>(t: &T) -> bool {
    *t == T::default()
}

impl Host {
    fn new(name: &str, ip: &str, role: HostRole) -> Host {
        Host {
            name: name.into(),
            ip: ip.into(),
            role,
            persona: None,
            overrides: ServerOverrides::default(),
            a: Vec::new(),
            mx: Vec::new(),
            routes: Vec::new(),
        }
    }

    fn mail(name: &str, ip: &str, persona: &str, domain: &str) -> Host {
        Host {
            persona: Some(persona.into()),
            overrides: ServerOverrides {
                domains: Some(vec![domain.into()]),
                ..ServerOverrides::default()
            },
            ..Host::new(name, ip, HostRole::Mail)
        }
    }
}

/// Something broken in the world. In a file each is one line: a bare name
/// (`"dns-down"`) or a table with the name under `fault` and its optional parameters.
/// Host parameters name a host by name or address; omitted, they mean the main mail server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
// Written `{ fault = "wrong-mask", ... }` in files: see `tagged` for why the derive is not.
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[cfg_attr(feature = "schema", schemars(tag = "fault"))]
pub enum Fault {
    /// The network adapter is disabled: nothing works, not even `ping 127.0.0.1` (Q115492 step 1).
    NicDisabled,
    /// The workstation's subnet mask is wrong, so its own subnet looks remote (step 2).
    WrongMask {
        /// The wrong mask; default `255.255.255.240`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        mask: Option<String>,
    },
    /// The workstation points at a default gateway where nothing answers (step 3).
    WrongGateway {
        /// The wrong address; default `10.0.0.254`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        gateway: Option<String>,
    },
    /// The router is down (step 3).
    GatewayDown,
    /// The remote subnets behind the router are down (step 4).
    RemoteSubnetDown,
    /// The DNS server does not answer (step 5).
    DnsDown,
    /// The DNS server lacks records; with no names, it has none but its own.
    DnsMissingRecords {
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        names: Vec<String>,
    },
    /// The workstation's resolver cache holds a stale "Name does not exist" for a name the DNS
    /// server now has (looked up before the record was added): ping and telnet fail by name
    /// while nslookup, which asks the server, finds it, until `ipconfig /flushdns` or the
    /// negative TTL runs out.
    StaleDnsCache {
        /// The name cached as missing; default the main mail server's name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
    },
    /// The SMTP service is stopped: port 25 refuses connections.
    SmtpServiceStopped {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        host: Option<String>,
    },
    /// A firewall drops port 25: connecting times out.
    FirewallBlocksSmtp {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        host: Option<String>,
    },
    /// The server answers a malformed EHLO/HELO with `501 Invalid Address` and closes (KB 240832).
    ClosesOnBadEhlo {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        host: Option<String>,
    },
    /// Exchange's link to the SMTP service is damaged: its EHLO verbs are missing (KB 153119).
    ExchangeLinkDamaged {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        host: Option<String>,
    },
    /// The server does not consider its own domain local, so it refuses mail for it as relay.
    RelayRefused {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        host: Option<String>,
    },
    /// A recipient the learner expects to exist is unknown to the server.
    RecipientUnknown {
        /// Default `user@contoso.com`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        address: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        host: Option<String>,
    },
    /// The server refuses messages larger than `bytes` (default 1024).
    MessageSizeLimit {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        bytes: Option<u64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        host: Option<String>,
    },
    /// Telnet Client is not installed (as on Windows 7 and later out of the box).
    TelnetNotInstalled,
}

impl tagged::Tagged for Fault {
    const TAG: &'static str = "fault";
    const NAMES: &'static [&'static str] = &Fault::NAMES;
    const EXPECTING: &'static str = "internally tagged enum Fault";
}

impl Fault {
    /// The fault's name as written in files.
    pub fn name(&self) -> &'static str {
        match self {
            Fault::NicDisabled => "nic-disabled",
            Fault::WrongMask { .. } => "wrong-mask",
            Fault::WrongGateway { .. } => "wrong-gateway",
            Fault::GatewayDown => "gateway-down",
            Fault::RemoteSubnetDown => "remote-subnet-down",
            Fault::DnsDown => "dns-down",
            Fault::DnsMissingRecords { .. } => "dns-missing-records",
            Fault::StaleDnsCache { .. } => "stale-dns-cache",
            Fault::SmtpServiceStopped { .. } => "smtp-service-stopped",
            Fault::FirewallBlocksSmtp { .. } => "firewall-blocks-smtp",
            Fault::ClosesOnBadEhlo { .. } => "closes-on-bad-ehlo",
            Fault::ExchangeLinkDamaged { .. } => "exchange-link-damaged",
            Fault::RelayRefused { .. } => "relay-refused",
            Fault::RecipientUnknown { .. } => "recipient-unknown",
            Fault::MessageSizeLimit { .. } => "message-size-limit",
            Fault::TelnetNotInstalled => "telnet-not-installed",
        }
    }

    /// The names of every fault, for error messages and pickers.
    pub const NAMES: [&'static str; 16] = [
        "nic-disabled",
        "wrong-mask",
        "wrong-gateway",
        "gateway-down",
        "remote-subnet-down",
        "dns-down",
        "dns-missing-records",
        "stale-dns-cache",
        "smtp-service-stopped",
        "firewall-blocks-smtp",
        "closes-on-bad-ehlo",
        "exchange-link-damaged",
        "relay-refused",
        "recipient-unknown",
        "message-size-limit",
        "telnet-not-installed",
    ];

    /// The host the fault targets, if it names one (`None`: the main mail server).
    pub fn host(&self) -> Option<&str> {
        match self {
            Fault::SmtpServiceStopped { host }
            | Fault::FirewallBlocksSmtp { host }
            | Fault::ClosesOnBadEhlo { host }
            | Fault::ExchangeLinkDamaged { host }
            | Fault::RelayRefused { host }
            | Fault::RecipientUnknown { host, .. }
            | Fault::MessageSizeLimit { host, .. } => host.as_deref(),
            _ => None,
        }
    }

    /// Whether the fault belongs to a mail server (and so names a host).
    pub fn is_server_fault(&self) -> bool {
        matches!(
            self,
            Fault::SmtpServiceStopped { .. }
                | Fault::FirewallBlocksSmtp { .. }
                | Fault::ClosesOnBadEhlo { .. }
                | Fault::ExchangeLinkDamaged { .. }
                | Fault::RelayRefused { .. }
                | Fault::RecipientUnknown { .. }
                | Fault::MessageSizeLimit { .. }
        )
    }
}

/// Reads a fault from a bare name or a table; a bare name is the table with only `fault`.
fn de_faults<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Fault>, D::Error> {
    use serde::de::Error;
    faults_from_values(Vec::<serde_json::Value>::deserialize(d)?).map_err(D::Error::custom)
}

/// Reads a `faults` list, entries as bare names or tables. One function for every place
/// faults are written (worlds, exercises' world specs), so the notation and the messages are
/// the same everywhere, and `Fault`'s deserializer is compiled once.
pub(crate) fn faults_from_values(values: Vec<serde_json::Value>) -> Result<Vec<Fault>, String> {
    values
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            let v = match v {
                serde_json::Value::String(s) => {
                    let name = s.trim().replace('_', "-");
                    if !Fault::NAMES.contains(&name.as_str()) {
                        return Err(format!(
                            "faults[{i}]: unknown fault `{s}`; expected one of {}",
                            Fault::NAMES.join(", ")
                        ));
                    }
                    serde_json::json!({ "fault": name })
                }
                serde_json::Value::Object(table) => serde_json::Value::Object(table),
                other => {
                    let kind = match other {
                        serde_json::Value::Array(_) => "a list",
                        serde_json::Value::Number(_) => "a number",
                        _ => "not a name",
                    };
                    return Err(format!(
                        "faults[{i}]: {kind} is not a fault; write a fault's name, as \"dns-down\", or a table with `fault = NAME` and its options"
                    ));
                }
            };
            tagged::from_value::<Fault>(&v).map_err(|e| format!("faults[{i}]: {e}"))
        })
        .collect()
}

/// The simulated world: the workstation, the network's hosts, and what is broken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct World {
    pub workstation: WorkstationConfig,
    pub hosts: Vec<Host>,
    #[serde(
        deserialize_with = "de_faults",
        serialize_with = "tagged::serialize_vec"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<file::FaultEntry>"))]
    pub faults: Vec<Fault>,
}

/// Name of the main mail server of the default world, the one the KB articles telnet to.
pub const MAIN_MAIL_HOST: &str = "mail.contoso.com";

impl Default for World {
    /// The default world of issue 3: `WS01` on XP at 10.0.0.50/24, gateway 10.0.0.1, DNS
    /// `ns1.contoso.com` at 10.0.0.2, `mail.contoso.com` (exchange2003) at 10.0.0.25, and
    /// `smarthost.fabrikam.com` at 192.168.10.20 on a remote subnet behind the gateway.
    fn default() -> Self {
        let a = |name: &str, address: &str| ARecord {
            name: name.into(),
            address: address.into(),
            ttl: None,
        };
        let mx = |name: &str, exchange: &str| MxRecord {
            name: name.into(),
            preference: 10,
            exchange: exchange.into(),
            ttl: None,
        };
        World {
            workstation: WorkstationConfig::default(),
            hosts: vec![
                Host {
                    routes: vec!["192.168.10.0/24".into()],
                    ..Host::new("router.contoso.com", "10.0.0.1", HostRole::Router)
                },
                Host {
                    a: vec![
                        a("ns1.contoso.com", "10.0.0.2"),
                        a("router.contoso.com", "10.0.0.1"),
                        a("mail.contoso.com", "10.0.0.25"),
                        a("ws01.contoso.com", "10.0.0.50"),
                        a("smarthost.fabrikam.com", "192.168.10.20"),
                    ],
                    mx: vec![
                        mx("contoso.com", "mail.contoso.com"),
                        mx("fabrikam.com", "smarthost.fabrikam.com"),
                    ],
                    ..Host::new("ns1.contoso.com", "10.0.0.2", HostRole::Dns)
                },
                Host::mail(MAIN_MAIL_HOST, "10.0.0.25", "exchange2003", "contoso.com"),
                Host::mail(
                    "smarthost.fabrikam.com",
                    "192.168.10.20",
                    "iis6",
                    "fabrikam.com",
                ),
            ],
            faults: Vec::new(),
        }
    }
}

/// One problem found in a scenario file, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioError {
    /// Where in the document, e.g. `hosts[1].persona`; empty for the document as a whole.
    pub path: String,
    /// 1-based line in the file, when known.
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.path.is_empty(), self.line) {
            (true, None) => write!(f, "{}", self.message),
            (true, Some(l)) => write!(f, "line {l}: {}", self.message),
            (false, None) => write!(f, "{}: {}", self.path, self.message),
            (false, Some(l)) => write!(f, "{} (line {l}): {}", self.path, self.message),
        }
    }
}

impl World {
    /// Reads a world from TOML or JSON (JSON when the text starts with `{`) and checks it:
    /// addresses, masks, personas, record names, fault targets. Returns every problem found,
    /// each with its location, rather than stopping at the first.
    pub fn parse(text: &str) -> Result<World, Vec<ScenarioError>> {
        let world = check::deserialize(text)?;
        let errors = check::validate(&world, text);
        if errors.is_empty() {
            Ok(world)
        } else {
            Err(errors)
        }
    }

    /// The world as TOML, for saving or showing an instructor what a file would hold.
    pub fn to_toml(&self) -> Result<String, String> {
        toml::to_string(self).map_err(|e| e.to_string())
    }

    /// Index of the main mail server: `mail.contoso.com` if present, else the first mail host.
    pub fn main_mail_host(&self) -> Option<usize> {
        self.hosts
            .iter()
            .position(|h| h.role == HostRole::Mail && h.name.eq_ignore_ascii_case(MAIN_MAIL_HOST))
            .or_else(|| self.hosts.iter().position(|h| h.role == HostRole::Mail))
    }

    /// Index of the host a fault or a tool names, by name or address (case-insensitive).
    pub fn find_host(&self, name_or_ip: &str) -> Option<usize> {
        let key = name_or_ip.trim();
        self.hosts
            .iter()
            .position(|h| h.name.eq_ignore_ascii_case(key) || h.ip == key)
    }

    /// Why `fault` would change nothing in this world, if it would not: an exercise built on
    /// it could never be solved.
    pub fn fault_without_effect(&self, fault: &Fault) -> Option<String> {
        match fault {
            Fault::RecipientUnknown { .. } => self.recipient_without_effect(fault),
            Fault::StaleDnsCache { .. } => self.stale_cache_without_effect(fault),
            _ => None,
        }
    }

    /// The name a `stale-dns-cache` fault holds as missing, as the resolver would have asked
    /// for it: its `name`, else the main mail server's (`mail.contoso.com` in a world with
    /// none), a single label with the primary DNS suffix added. `None` for other faults.
    pub fn stale_cache_name(&self, fault: &Fault) -> Option<String> {
        let Fault::StaleDnsCache { name } = fault else {
            return None;
        };
        let main = self.main_mail_host().map(|i| self.hosts[i].name.as_str());
        let name = name.as_deref().or(main).unwrap_or(MAIN_MAIL_HOST);
        let name = name.trim().trim_end_matches('.').to_string();
        Some(crate::net::qualify(&name, self.dns_suffix().as_deref()).unwrap_or(name))
    }

    /// A stale negative entry shows only when the DNS server would give the name's address:
    /// a name it lacks, or a DNS server the workstation cannot get answers from, fails the
    /// same with or without it, and `ipconfig /flushdns` would not fix it.
    fn stale_cache_without_effect(&self, fault: &Fault) -> Option<String> {
        let name = self.stale_cache_name(fault)?;
        match crate::net::Network::new(self).resolve(&name) {
            crate::net::Resolved::Address(_) => None,
            _ => Some(format!(
                "`stale-dns-cache` needs a name DNS resolves; `{name}` gets no address"
            )),
        }
    }

    /// The IIS SMTP service without Exchange has no mailboxes, so it accepts every recipient
    /// of its domains and no address is unknown there.
    fn recipient_without_effect(&self, fault: &Fault) -> Option<String> {
        let ix = match fault.host() {
            Some(h) => self.find_host(h)?,
            None => self.main_mail_host()?,
        };
        let id = self.hosts.get(ix)?.persona.as_deref();
        let id = id.unwrap_or(crate::smtp::persona::DEFAULT_PERSONA);
        let persona = crate::smtp::persona::get(id)?;
        (persona.behaviour.local_delivery == crate::smtp::persona::LocalDelivery::Drop).then(|| {
            format!(
                "`recipient-unknown` changes nothing on `{id}`: the IIS SMTP service without \
                 Exchange has no mailboxes and accepts every recipient of its domains; use a \
                 version with mailboxes (exchange2003, exchange2016, ...)"
            )
        })
    }

    /// Changes the persona of the main mail server (the Settings panel, `--persona`).
    pub fn set_mail_persona(&mut self, id: &str) -> Result<(), String> {
        let id = id.trim();
        if !check::persona_exists(id) {
            return Err(format!(
                "unknown persona `{id}`; expected one of {}",
                known_personas().join(", ")
            ));
        }
        let i = self
            .main_mail_host()
            .ok_or_else(|| "this world has no mail server".to_string())?;
        let before = self.hosts[i].persona.replace(id.to_string());
        // A fault of the world that the new version would ignore: the world stays as it was.
        if let Some(why) = self
            .faults
            .iter()
            .find_map(|f| self.fault_without_effect(f))
        {
            self.hosts[i].persona = before;
            return Err(why);
        }
        Ok(())
    }

    /// Sets the workstation's primary DNS suffix (an exercise's `domain`), refusing what is
    /// not a DNS name as the world file's `workstation.domain` is refused; `""` means none.
    pub fn set_domain(&mut self, domain: &str) -> Result<(), String> {
        if let Some(problem) = check::domain_problem(domain) {
            return Err(problem);
        }
        self.workstation.domain = Some(domain.to_string());
        Ok(())
    }

    /// Whether Telnet Client is installed, from the workstation setting, the OS default and faults.
    pub fn telnet_installed(&self) -> bool {
        if self.has_fault(|f| matches!(f, Fault::TelnetNotInstalled)) {
            return false;
        }
        self.workstation
            .telnet_installed
            .unwrap_or_else(|| self.workstation.os.telnet_installed_by_default())
    }

    /// The workstation's primary DNS suffix: its `domain`, or the domain of the name of the
    /// DNS server it asks (the first DNS server when none is at its address); `None` when it
    /// has none. One place decides it, so the resolver and `ipconfig /all` cannot disagree.
    pub fn dns_suffix(&self) -> Option<String> {
        let suffix = match &self.workstation.domain {
            Some(d) => d.trim().trim_matches('.').to_string(),
            None => {
                let dns_hosts = || self.hosts.iter().filter(|h| h.role == HostRole::Dns);
                let server = dns_hosts()
                    .find(|h| h.ip.trim() == self.workstation.dns.trim())
                    .or_else(|| dns_hosts().next())?;
                let name = server.name.trim().trim_end_matches('.');
                name.split_once('.').map(|(_, d)| d.to_string())?
            }
        };
        (!suffix.is_empty()).then_some(suffix)
    }

    /// Whether any fault matches.
    pub fn has_fault(&self, pred: impl Fn(&Fault) -> bool) -> bool {
        self.faults.iter().any(pred)
    }

    /// The server faults that apply to host `index`.
    pub fn faults_for_host(&self, index: usize) -> impl Iterator<Item = &Fault> {
        let main = self.main_mail_host();
        self.faults.iter().filter(move |f| {
            f.is_server_fault()
                && match f.host() {
                    None => main == Some(index),
                    Some(h) => self.find_host(h) == Some(index),
                }
        })
    }

    /// The workstation's mask after faults, as text.
    pub fn effective_mask(&self) -> String {
        for f in &self.faults {
            if let Fault::WrongMask { mask } = f {
                return mask.clone().unwrap_or_else(|| "255.255.255.240".into());
            }
        }
        self.workstation.mask.clone()
    }

    /// The workstation's default gateway after faults, as text (empty for none).
    pub fn effective_gateway(&self) -> String {
        for f in &self.faults {
            if let Fault::WrongGateway { gateway } = f {
                return gateway.clone().unwrap_or_else(|| "10.0.0.254".into());
            }
        }
        self.workstation.gateway.clone()
    }
}

/// Parses a dotted IPv4 address, allowing surrounding blanks.
pub fn parse_ip(s: &str) -> Option<Ipv4Addr> {
    s.trim().parse().ok()
}

/// Parses a subnet mask and checks that its one bits are contiguous.
pub fn parse_mask(s: &str) -> Option<Ipv4Addr> {
    let m = parse_ip(s)?;
    let bits = u32::from(m);
    if bits.leading_ones() + bits.trailing_zeros() == 32 {
        Some(m)
    } else {
        None
    }
}

/// Parses `a.b.c.d/len` into the network address and its mask.
pub fn parse_cidr(s: &str) -> Option<(Ipv4Addr, Ipv4Addr)> {
    let (ip, len) = s.trim().split_once('/')?;
    let len: u32 = len.trim().parse().ok().filter(|l| *l <= 32)?;
    let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
    let ip = parse_ip(ip)?;
    Some((Ipv4Addr::from(u32::from(ip) & mask), Ipv4Addr::from(mask)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_versions_parse_and_print() {
        let table = [
            ("win2000", WindowsVersion::Win2000),
            ("2000", WindowsVersion::Win2000),
            ("XP", WindowsVersion::Xp),
            ("winxp", WindowsVersion::Xp),
            ("win2003", WindowsVersion::Win2003),
            ("Windows 7", WindowsVersion::Win7),
            ("win10", WindowsVersion::Win10),
        ];
        for (text, v) in table {
            assert_eq!(text.parse::<WindowsVersion>(), Ok(v), "{text}");
        }
        for v in WindowsVersion::ALL {
            assert_eq!(v.to_string().parse::<WindowsVersion>(), Ok(v));
        }
        assert!("vista".parse::<WindowsVersion>().is_err());
    }

    #[test]
    fn worlds_round_trip_through_toml_and_json() {
        let broken = World {
            faults: vec![
                Fault::DnsDown,
                Fault::WrongMask {
                    mask: Some("255.255.0.0".into()),
                },
            ],
            ..World::default()
        };
        for w in [World::default(), broken] {
            let toml = w.to_toml().expect("serializes");
            assert_eq!(World::parse(&toml), Ok(w.clone()), "{toml}");
            let json = serde_json::to_string(&w).expect("serializes");
            assert_eq!(World::parse(&json), Ok(w), "{json}");
        }
    }

    #[test]
    fn an_empty_file_is_the_default_world() {
        assert_eq!(World::parse(""), Ok(World::default()));
        assert_eq!(World::parse("{}"), Ok(World::default()));
    }

    #[test]
    fn the_dns_suffix_is_the_domain_or_the_dns_servers() {
        let suffix = |toml: &str| World::parse(toml).expect(toml).dns_suffix();
        assert_eq!(suffix(""), Some("contoso.com".into()));
        assert_eq!(
            suffix("[workstation]\ndomain = \"Fabrikam.com.\""),
            Some("Fabrikam.com".into())
        );
        assert_eq!(suffix("[workstation]\ndomain = \"\""), None);
        let world = |dns: &str| {
            format!(
                "[workstation]\ndns = \"{dns}\"\n\
                 [[hosts]]\nname = \"ns1.northwind.local\"\nip = \"10.0.0.2\"\nrole = \"dns\"\n\
                 [[hosts]]\nname = \"dc.corp.example\"\nip = \"10.0.0.3\"\nrole = \"dns\"\n"
            )
        };
        assert_eq!(suffix(&world("10.0.0.3")), Some("corp.example".into()));
        assert_eq!(suffix(&world("")), Some("northwind.local".into()));
        let bad = World::parse("[workstation]\ndomain = \"contoso com\"").unwrap_err();
        assert_eq!(bad[0].path, "workstation.domain");
    }

    #[test]
    fn faults_read_as_bare_names_or_tables() {
        let w = World::parse(
            "faults = [\"dns-down\", \"nic_disabled\", { fault = \"wrong-mask\", mask = \"255.255.0.0\" }]",
        )
        .expect("valid");
        assert_eq!(
            w.faults,
            vec![
                Fault::DnsDown,
                Fault::NicDisabled,
                Fault::WrongMask {
                    mask: Some("255.255.0.0".into())
                }
            ]
        );
        assert_eq!(w.effective_mask(), "255.255.0.0");
    }

    #[test]
    fn every_fault_name_parses() {
        for name in Fault::NAMES {
            let w = World::parse(&format!("faults = [\"{name}\"]")).expect(name);
            assert_eq!(w.faults[0].name(), name);
        }
    }

    #[test]
    fn a_stale_dns_cache_names_a_host_the_dns_server_gives() {
        let w = World::parse(
            "faults = [{ fault = \"stale-dns-cache\", name = \"smarthost.fabrikam.com.\" }]",
        )
        .expect("valid");
        assert_eq!(
            w.stale_cache_name(&w.faults[0]).as_deref(),
            Some("smarthost.fabrikam.com")
        );
        // By default the main mail server; a single label gets the primary DNS suffix.
        let w = World::parse("faults = [\"stale-dns-cache\"]").expect("valid");
        assert_eq!(w.faults, vec![Fault::StaleDnsCache { name: None }]);
        assert_eq!(
            w.stale_cache_name(&w.faults[0]).as_deref(),
            Some("mail.contoso.com")
        );
        let short = Fault::StaleDnsCache {
            name: Some("MAIL".into()),
        };
        assert_eq!(
            w.stale_cache_name(&short).as_deref(),
            Some("MAIL.contoso.com")
        );
        assert_eq!(w.fault_without_effect(&short), None);
        assert_eq!(w.stale_cache_name(&Fault::DnsDown), None);

        for (text, word) in [
            ("faults = [{ fault = \"stale-dns-cache\", name = \"www.contoso.com\" }]", "needs a name DNS resolves; `www.contoso.com` gets no address"),
            ("faults = [\"dns-down\", \"stale-dns-cache\"]", "`mail.contoso.com` gets no address"),
            ("faults = [{ fault = \"dns-missing-records\", names = [\"mail.contoso.com\"] }, \"stale-dns-cache\"]", "gets no address"),
            ("faults = [\"stale-dns-cache\", \"nic-disabled\"]", "gets no address"),
            ("faults = [{ fault = \"stale-dns-cache\", name = 7 }]", "string"),
            ("faults = [{ fault = \"stale-dns-cache\", host = \"mail\" }]", "host"),
        ] {
            let errors = World::parse(text).expect_err(text);
            assert!(
                errors.iter().any(|e| e.message.contains(word)),
                "{text}: {errors:?}"
            );
        }
        let mut no_mail = World::default();
        no_mail.hosts.retain(|h| h.role != HostRole::Mail);
        // With no mail server the default is still mail.contoso.com, which DNS still gives.
        assert_eq!(
            no_mail.fault_without_effect(&Fault::StaleDnsCache { name: None }),
            None
        );
    }

    #[test]
    fn set_mail_persona_changes_the_main_server() {
        let mut w = World::default();
        assert_eq!(w.set_mail_persona("exchange55"), Ok(()));
        assert_eq!(w.hosts[2].persona.as_deref(), Some("exchange55"));
        assert!(w.set_mail_persona("sendmail").is_err());
        // IIS without Exchange has no mailboxes: a recipient-unknown world keeps its version.
        w.faults.push(Fault::RecipientUnknown {
            address: None,
            host: None,
        });
        let e = w.set_mail_persona("iis6").err().unwrap_or_default();
        assert!(e.contains("no mailboxes"), "{e}");
        assert_eq!(w.set_mail_persona("exchange2016"), Ok(()));
        assert!(w.set_mail_persona("iis5").is_err());
        let main = w.main_mail_host().unwrap_or_default();
        assert_eq!(w.hosts[main].persona.as_deref(), Some("exchange2016"));
    }

    #[test]
    fn telnet_is_installed_by_version_unless_said_otherwise() {
        let mut w = World::default();
        assert!(w.telnet_installed());
        w.workstation.os = WindowsVersion::Win7;
        assert!(!w.telnet_installed());
        w.workstation.telnet_installed = Some(true);
        assert!(w.telnet_installed());
        w.faults.push(Fault::TelnetNotInstalled);
        assert!(!w.telnet_installed());
    }

    #[test]
    fn masks_and_cidrs_parse() {
        assert!(parse_mask("255.255.255.0").is_some());
        assert!(parse_mask("255.0.255.0").is_none());
        assert!(parse_mask("0.0.0.0").is_some());
        assert_eq!(
            parse_cidr("192.168.10.7/24"),
            Some((
                Ipv4Addr::new(192, 168, 10, 0),
                Ipv4Addr::new(255, 255, 255, 0)
            ))
        );
        assert_eq!(parse_cidr("192.168.10.0/33"), None);
    }
}
