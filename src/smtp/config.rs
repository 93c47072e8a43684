//! The server a session plays: a persona plus the world around it (host name, domains,
//! mailboxes, accounts) and its effective limits. Scenario files pick a persona and override
//! these with [`ServerOverrides`].

use super::persona::{self, Limits, LocalDelivery, Persona, ReplyKey};
use super::reply::{fill, Reply};
use super::store::DROP_FOLDER;
use crate::clock::{Millis, SECOND};
use serde::{Deserialize, Serialize};

/// A login the server accepts for `AUTH LOGIN` (authenticated clients may relay).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    /// Compared without regard to case, as Windows does.
    pub username: String,
    /// Compared exactly.
    pub password: String,
}

/// Limits a scenario may change; absent fields keep the persona's value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LimitOverrides {
    pub max_message_size: Option<u64>,
    pub max_recipients: Option<u32>,
    pub max_errors: Option<u32>,
    pub idle_timeout_secs: Option<u64>,
    pub max_line_length: Option<usize>,
    /// Exchange's `Set-ReceiveConnector -TarpitInterval`, in seconds (0 turns it off).
    pub tarpit_secs: Option<u64>,
    /// Exchange's `Set-ReceiveConnector -ConnectionTimeout`, in seconds.
    pub connection_timeout_secs: Option<u64>,
}

/// What a scenario (or a command-line flag) changes about a persona's server. Absent fields
/// keep the default world's values.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerOverrides {
    pub hostname: Option<String>,
    pub domains: Option<Vec<String>>,
    /// Full addresses; compared without regard to case.
    pub mailboxes: Option<Vec<String>>,
    pub accounts: Option<Vec<Account>>,
    pub limits: Option<LimitOverrides>,
    /// The simulated wall clock at `now == 0` (seconds since 1970) for dates in replies.
    pub epoch_unix_secs: Option<i64>,
    /// The server's time zone, minutes east of UTC.
    pub tz_offset_minutes: Option<i32>,
}

/// What the Mailbox panel says before any mail has landed: where it would. A server with
/// mailboxes names them; the IIS SMTP service without Exchange has none, only its Drop folder,
/// and a learner looking for `john@contoso.com`'s mailbox there must be told so.
pub fn where_mail_lands(persona: &Persona, mailboxes: &[String]) -> String {
    match persona.behaviour.local_delivery {
        LocalDelivery::Mailbox => format!(
            "Nothing delivered yet. Mailboxes on the mail server: {}",
            mailboxes.join(", ")
        ),
        LocalDelivery::Drop => format!(
            "Nothing delivered yet. {} has no mailboxes: it writes all mail for its own domains \
             into one folder, {DROP_FOLDER}.",
            persona.product
        ),
    }
}

/// The persona asked for does not exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownPersona {
    pub requested: String,
    /// The ids that do exist, for the message.
    pub known: Vec<String>,
}

impl std::fmt::Display for UnknownPersona {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "unknown persona '{}' (known: {})",
            self.requested,
            self.known.join(", ")
        )
    }
}

impl std::error::Error for UnknownPersona {}

/// Everything a session needs to know about the server it plays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerConfig {
    pub persona: Persona,
    /// The server's own name, as in its banner.
    pub hostname: String,
    /// Domains the server accepts mail for (lower case); everything else is relay.
    pub domains: Vec<String>,
    /// Local mailboxes, full addresses, lower case.
    pub mailboxes: Vec<String>,
    pub accounts: Vec<Account>,
    /// The persona's limits with the overrides applied.
    pub limits: Limits,
    pub epoch_unix_secs: i64,
    pub tz_offset_minutes: i32,
}

/// The default world's host name.
pub const DEFAULT_HOSTNAME: &str = "mail.contoso.com";
/// The default world's only local domain.
pub const DEFAULT_DOMAIN: &str = "contoso.com";
/// The default world's mailboxes.
pub const DEFAULT_MAILBOXES: &[&str] =
    &["user@contoso.com", "admin@contoso.com", "john@contoso.com"];
/// The default world's one account: `admin` / `P@ssw0rd` (base64 `YWRtaW4=` / `UEBzc3cwcmQ=`).
pub const DEFAULT_ACCOUNT: (&str, &str) = ("admin", "P@ssw0rd");

impl ServerConfig {
    /// The server's wall clock at simulated `now`, in whole seconds since 1970: its epoch plus
    /// the time the simulation has run. One clock for its banner, headers and event log, and
    /// for the workstation's `date` and `time`, so they all agree.
    pub fn unix_secs_at(&self, now: Millis) -> i64 {
        let elapsed = i64::try_from(now / SECOND).unwrap_or(i64::MAX);
        self.epoch_unix_secs.saturating_add(elapsed)
    }

    /// [`ServerConfig::unix_secs_at`] to the millisecond.
    pub fn unix_millis_at(&self, now: Millis) -> i64 {
        let elapsed = i64::try_from(now).unwrap_or(i64::MAX);
        self.epoch_unix_secs
            .saturating_mul(1000)
            .saturating_add(elapsed)
    }

    /// The server's local wall clock at `now`, in seconds since 1970 shifted by its time zone:
    /// what the server's own screens (Event Viewer, `date`) show as the time of day.
    pub fn local_secs_at(&self, now: Millis) -> i64 {
        self.unix_secs_at(now)
            .saturating_add(i64::from(self.tz_offset_minutes) * 60)
    }

    /// The server `persona_id` in the default world, changed by `overrides`.
    pub fn new(
        persona_id: &str,
        overrides: &ServerOverrides,
    ) -> Result<ServerConfig, UnknownPersona> {
        let persona = persona::get(persona_id).ok_or_else(|| UnknownPersona {
            requested: persona_id.to_string(),
            known: persona::ids().into_iter().map(str::to_owned).collect(),
        })?;
        Ok(Self::from_persona(persona.clone(), overrides))
    }

    /// Builds a config around any persona value (e.g. one a scenario file defines itself).
    pub fn from_persona(mut persona: Persona, o: &ServerOverrides) -> ServerConfig {
        let lower = |v: &[String]| v.iter().map(|s| s.trim().to_ascii_lowercase()).collect();
        let mut limits = persona.limits;
        if o.limits
            .as_ref()
            .is_some_and(|l| l.max_message_size.is_some())
        {
            // A bare `SIZE` is Exchange 2000/2003's virtual server with no limit of its own
            // (the global limit is applied later); a limit set on the server is advertised
            // with its number, as IIS advertises it (R).
            for line in persona
                .ehlo
                .iter_mut()
                .chain(persona.ehlo_tls.iter_mut().flatten())
            {
                if line.eq_ignore_ascii_case("SIZE") {
                    *line = "SIZE {max_size}".into();
                }
            }
        }
        if let Some(l) = &o.limits {
            limits.max_message_size = l.max_message_size.unwrap_or(limits.max_message_size);
            limits.max_recipients = l.max_recipients.unwrap_or(limits.max_recipients);
            limits.max_errors = l.max_errors.or(limits.max_errors);
            limits.idle_timeout_secs = l.idle_timeout_secs.unwrap_or(limits.idle_timeout_secs);
            // A line must hold at least a verb and CRLF; below that nothing could be said.
            limits.max_line_length = l.max_line_length.unwrap_or(limits.max_line_length).max(8);
            // Exchange accepts at most 10 minutes.
            limits.tarpit_secs = l.tarpit_secs.unwrap_or(limits.tarpit_secs).min(600);
            limits.connection_timeout_secs =
                l.connection_timeout_secs.or(limits.connection_timeout_secs);
        }
        ServerConfig {
            hostname: o
                .hostname
                .clone()
                .unwrap_or_else(|| DEFAULT_HOSTNAME.to_string()),
            domains: o
                .domains
                .as_deref()
                .map(lower)
                .unwrap_or_else(|| vec![DEFAULT_DOMAIN.to_string()]),
            mailboxes: o
                .mailboxes
                .as_deref()
                .map(lower)
                .unwrap_or_else(|| DEFAULT_MAILBOXES.iter().map(|s| s.to_string()).collect()),
            accounts: o.accounts.clone().unwrap_or_else(|| {
                vec![Account {
                    username: DEFAULT_ACCOUNT.0.to_string(),
                    password: DEFAULT_ACCOUNT.1.to_string(),
                }]
            }),
            limits,
            epoch_unix_secs: o.epoch_unix_secs.unwrap_or(persona.epoch_unix_secs),
            tz_offset_minutes: o.tz_offset_minutes.unwrap_or(persona.tz_offset_minutes),
            persona,
        }
    }

    /// The default world of the KB articles: Exchange 2003 as `mail.contoso.com` for
    /// `contoso.com`, mailboxes user@, admin@ and john@contoso.com, account `admin`/`P@ssw0rd`.
    pub fn default_world() -> ServerConfig {
        match Self::new(persona::DEFAULT_PERSONA, &ServerOverrides::default()) {
            Ok(c) => c,
            // Only reachable if the embedded default persona failed to load, which the
            // persona tests rule out; fall back to the RFC base rather than panic.
            Err(_) => Self::from_persona(
                persona::load("rfc5321").unwrap_or_default(),
                &ServerOverrides::default(),
            ),
        }
    }

    /// True if `domain` (any case) is one of the server's own.
    pub fn is_local_domain(&self, domain: &str) -> bool {
        self.domains.iter().any(|d| d.eq_ignore_ascii_case(domain))
    }

    /// True if `address` (any case) is a local mailbox. `postmaster@` each local domain is one
    /// whatever the mailbox list says: RFC 5321 section 4.5.1 requires every server to accept
    /// mail for its postmaster, so no version refuses it or bounces it.
    pub fn is_mailbox(&self, address: &str) -> bool {
        let postmaster = address.rsplit_once('@').is_some_and(|(local, domain)| {
            local.eq_ignore_ascii_case("postmaster") && self.is_local_domain(domain)
        });
        postmaster
            || self
                .mailboxes
                .iter()
                .any(|m| m.eq_ignore_ascii_case(address))
    }

    /// Checks a login: user name without regard to case, password exactly.
    pub fn check_login(&self, username: &str, password: &str) -> bool {
        self.accounts
            .iter()
            .any(|a| a.username.eq_ignore_ascii_case(username) && a.password == password)
    }

    /// The wire bytes of a reply said outside any session ([`ReplyKey::TooBusy`] before one
    /// exists, [`ReplyKey::ServiceUnavailable`] when the edge must end one), in the persona's
    /// own words like every other reply: an Exchange 5.5 never sends an enhanced code it did not
    /// know. Only `{host}` is filled in; no session means no client greeting or clock to quote.
    pub fn edge_reply(&self, key: ReplyKey) -> Vec<u8> {
        let template = &self.persona.reply(key).text;
        Reply::parse(&fill(template, &[("host", self.hostname.as_str())])).to_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_world_is_kb_153119s() {
        let c = ServerConfig::default_world();
        assert_eq!(c.persona.id, "exchange2003");
        assert_eq!(c.hostname, "mail.contoso.com");
        assert_eq!(c.domains, vec!["contoso.com"]);
        assert!(c.is_mailbox("John@Contoso.com"));
        assert!(!c.is_mailbox("jane@contoso.com"));
        assert!(c.check_login("ADMIN", "P@ssw0rd"));
        assert!(!c.check_login("admin", "p@ssw0rd"));
    }

    #[test]
    fn overrides_replace_only_what_they_name() {
        let o: ServerOverrides = toml::from_str(
            "hostname = \"smtp.fabrikam.com\"\ndomains = [\"Fabrikam.com\"]\n[limits]\nmax_recipients = 3\n",
        )
        .unwrap_or_default();
        let c = ServerConfig::new("iis6", &o);
        let c = c.as_ref().ok();
        assert_eq!(c.map(|c| c.hostname.as_str()), Some("smtp.fabrikam.com"));
        assert_eq!(
            c.map(|c| c.domains.clone()),
            Some(vec!["fabrikam.com".to_string()])
        );
        assert_eq!(c.map(|c| c.limits.max_recipients), Some(3));
        assert_eq!(c.map(|c| c.limits.max_message_size), Some(2097152));
    }

    #[test]
    fn a_size_limit_set_on_the_server_is_advertised_with_its_number() {
        let sizes = |id: &str, o: &ServerOverrides| {
            ServerConfig::new(id, o).map_or(Vec::new(), |c| {
                (c.persona.ehlo.iter())
                    .filter(|l| l.to_ascii_uppercase().starts_with("SIZE"))
                    .cloned()
                    .collect::<Vec<_>>()
            })
        };
        // Exchange 2003 with no limit of its own on the virtual server: a bare SIZE (C).
        assert_eq!(sizes("exchange2003", &ServerOverrides::default()), ["SIZE"]);
        let limited: ServerOverrides =
            toml::from_str("[limits]\nmax_message_size = 1024\n").unwrap_or_default();
        for id in ["exchange2003", "iis6", "iis5"] {
            assert_eq!(sizes(id, &limited), ["SIZE {max_size}"], "{id}");
        }
    }

    #[test]
    fn an_unknown_persona_names_the_known_ones() {
        let e = ServerConfig::new("exchange2099", &ServerOverrides::default());
        let msg = e.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(
            msg.contains("exchange2099") && msg.contains("exchange2016"),
            "{msg}"
        );
    }

    #[test]
    fn edge_replies_are_worded_by_each_persona() {
        let line = |id: &str, key| {
            let c = ServerConfig::new(id, &ServerOverrides::default());
            String::from_utf8(c.map(|c| c.edge_reply(key)).unwrap_or_default()).unwrap_or_default()
        };
        let busy = ReplyKey::TooBusy;
        let down = ReplyKey::ServiceUnavailable;
        let rfc = "421 mail.contoso.com Service not available, closing transmission channel\r\n";
        let iis =
            "421 4.3.2 mail.contoso.com Service not available, closing transmission channel\r\n";
        let table = [
            ("exchange55", busy, rfc),
            ("exchange55", down, rfc),
            ("msmail3", busy, rfc),
            ("msmail3", down, rfc),
            ("iis5", busy, iis),
            ("iis6", down, iis),
            ("exchange2003", busy, iis),
            ("exchange2003-damaged-link", down, iis),
            (
                "exchange2016",
                busy,
                "421 4.3.2 The maximum number of concurrent connections has exceeded a limit, \
                 closing transmission channel\r\n",
            ),
            (
                "exchange2016",
                down,
                "421 4.3.2 Service not available, closing transmission channel\r\n",
            ),
        ];
        for (id, key, want) in table {
            assert_eq!(line(id, key), want, "{id} {key:?}");
        }
    }

    #[test]
    fn a_persona_without_enhanced_codes_never_gets_one_at_the_edge() {
        for p in persona::all() {
            let c = ServerConfig::from_persona(p.clone(), &ServerOverrides::default());
            let enhanced = p.advertises("ENHANCEDSTATUSCODES");
            for key in [ReplyKey::TooBusy, ReplyKey::ServiceUnavailable] {
                let reply = Reply::parse(&String::from_utf8_lossy(&c.edge_reply(key)));
                assert_eq!(reply.code, 421, "{} {key:?}", p.id);
                assert_eq!(reply.enhanced.is_some(), enhanced, "{} {key:?}", p.id);
            }
        }
    }

    #[test]
    fn postmaster_of_each_local_domain_is_always_a_mailbox() {
        let o = ServerOverrides {
            domains: Some(vec!["contoso.com".into(), "Fabrikam.com".into()]),
            mailboxes: Some(vec!["john@contoso.com".into()]),
            ..ServerOverrides::default()
        };
        for p in persona::all() {
            let c = ServerConfig::from_persona(p.clone(), &o);
            for a in ["postmaster@contoso.com", "PostMaster@FABRIKAM.COM"] {
                assert!(c.is_mailbox(a), "{} {a}", p.id);
            }
            for a in [
                "postmaster@tailspin.com",
                "postmaster",
                "postmaster@",
                "xpostmaster@contoso.com",
            ] {
                assert!(!c.is_mailbox(a), "{} {a}", p.id);
            }
        }
    }

    #[test]
    fn the_mailbox_panel_says_where_mail_lands_for_each_version() {
        let boxes = vec![
            "user@contoso.com".to_string(),
            "john@contoso.com".to_string(),
        ];
        for p in persona::all() {
            let hint = where_mail_lands(p, &boxes);
            let drop = matches!(p.id.as_str(), "iis5" | "iis6");
            assert_eq!(hint.contains("Drop"), drop, "{}: {hint}", p.id);
            assert_eq!(hint.contains("john@contoso.com"), !drop, "{}: {hint}", p.id);
        }
        let iis6 = persona::get("iis6").cloned().unwrap_or_default();
        assert_eq!(
            where_mail_lands(&iis6, &boxes),
            "Nothing delivered yet. Microsoft Windows Server 2003 IIS 6.0 SMTP service has no \
             mailboxes: it writes all mail for its own domains into one folder, \
             Drop (C:\\Inetpub\\mailroot\\Drop)."
        );
    }

    #[test]
    fn overrides_reject_unknown_fields() {
        let r: Result<ServerOverrides, _> = toml::from_str("hostnme = \"x\"\n");
        assert!(r.is_err());
    }
}
