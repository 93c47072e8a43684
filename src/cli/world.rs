//! The server the command line plays: persona and overrides from flags, shared by `smtp` and
//! `serve` so both edges build exactly the same [`ServerConfig`].

use crate::smtp::persona;
use crate::smtp::{LimitOverrides, ServerConfig, ServerOverrides};
use clap::Args;
use std::sync::Arc;

/// The flags that choose and adjust the server persona.
#[derive(Debug, Clone, Args)]
pub struct ServerArgs {
    /// The Microsoft server to play (see `smtp-trainer personas`).
    #[arg(long, default_value = "exchange2003", value_parser = persona_ids(), hide_possible_values = true)]
    pub persona: String,
    /// The server's own name, as in its banner [default: mail.contoso.com].
    #[arg(long, value_name = "H")]
    pub hostname: Option<String>,
    /// A domain the server accepts mail for; repeat for several. Each gets the mailboxes
    /// user@, admin@ and john@ unless --mailbox names others [default: contoso.com, or the
    /// domains of the --mailbox addresses].
    #[arg(long = "domain", value_name = "D")]
    pub domains: Vec<String>,
    /// A local mailbox (full address; its domain becomes local too); repeat for several
    /// [default: user@, admin@ and john@ in each domain].
    #[arg(long = "mailbox", value_name = "A")]
    pub mailboxes: Vec<String>,
    /// Seconds without a byte from the client before the server gives up, with the persona's
    /// own reply [default: the persona's limit, 5 or 10 minutes]. See also
    /// --connection-timeout.
    #[arg(long, allow_negative_numbers = true, value_name = "S", value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub idle_timeout: Option<u64>,
    /// Seconds each refusal (5xx) to a client that has not authenticated is held back, as
    /// Exchange's TarpitInterval does; 0 turns the tarpit off [default: the persona's, 5 on
    /// exchange2016, 0 elsewhere].
    #[arg(long, allow_negative_numbers = true, value_name = "S", value_parser = clap::value_parser!(u64).range(0..=600))]
    pub tarpit: Option<u64>,
    /// Seconds a session may last in all, however busy, before the server closes it with the
    /// persona's reply, as Exchange's ConnectionTimeout does [default: the persona's, 10
    /// minutes on exchange2016, no limit elsewhere].
    #[arg(long, allow_negative_numbers = true, value_name = "S", value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub connection_timeout: Option<u64>,
}

/// Each persona's id and one-line description, in the engine's order.
pub fn personas() -> Vec<(String, String)> {
    persona::all()
        .into_iter()
        .map(|p| (p.id.clone(), p.description.clone()))
        .collect()
}

/// The persona ids as clap's accepted values, so a typo gets clap's own error with the list.
pub(super) fn persona_ids() -> clap::builder::PossibleValuesParser {
    let ids: Vec<clap::builder::PossibleValue> = personas()
        .into_iter()
        .map(|(id, _)| clap::builder::PossibleValue::new(id))
        .collect();
    clap::builder::PossibleValuesParser::new(ids)
}

impl ServerArgs {
    /// Builds the server configuration, or says in plain words which flag is wrong.
    ///
    /// `epoch_unix_secs` is the wall clock at the edge clock's zero, so dates in replies are
    /// real dates.
    pub fn config(&self, epoch_unix_secs: i64) -> Result<Arc<ServerConfig>, String> {
        if let Some(host) = &self.hostname {
            check_name("--hostname", host)?;
        }
        for d in &self.domains {
            check_name("--domain", d)?;
        }
        for m in &self.mailboxes {
            match m.rsplit_once('@') {
                Some((local, domain))
                    if !local.is_empty() && !local.contains(char::is_whitespace) =>
                {
                    check_name("--mailbox", domain)?
                }
                _ => {
                    return Err(format!(
                        "--mailbox '{m}' is not an address like user@domain"
                    ))
                }
            }
        }
        let (domains, mailboxes) = self.world();
        let overrides = ServerOverrides {
            hostname: self.hostname.clone(),
            domains,
            mailboxes,
            limits: (self.idle_timeout.is_some()
                || self.tarpit.is_some()
                || self.connection_timeout.is_some())
            .then(|| LimitOverrides {
                idle_timeout_secs: self.idle_timeout,
                tarpit_secs: self.tarpit,
                connection_timeout_secs: self.connection_timeout,
                ..LimitOverrides::default()
            }),
            epoch_unix_secs: Some(epoch_unix_secs),
            ..ServerOverrides::default()
        };
        ServerConfig::new(&self.persona, &overrides)
            .map(Arc::new)
            .map_err(|e| e.to_string())
    }
}

impl ServerArgs {
    /// The local domains and mailboxes the flags ask for, so that they always agree: a
    /// `--domain` alone gets the default world's three mailboxes in it (rather than none, which
    /// would refuse or bounce every address in it), and a `--mailbox` makes its domain local
    /// (rather than being unreachable behind "relay denied"). `None` keeps the default world's.
    fn world(&self) -> (Option<Vec<String>>, Option<Vec<String>>) {
        if self.domains.is_empty() && self.mailboxes.is_empty() {
            return (None, None);
        }
        let mut domains: Vec<String> = Vec::new();
        let mut add = |d: &str| {
            let d = d.to_ascii_lowercase();
            if !domains.contains(&d) {
                domains.push(d);
            }
        };
        self.domains.iter().for_each(|d| add(d));
        self.mailboxes
            .iter()
            .filter_map(|m| m.rsplit_once('@'))
            .for_each(|(_, d)| add(d));
        let mailboxes = if self.mailboxes.is_empty() {
            domains
                .iter()
                .flat_map(|d| DEFAULT_LOCAL_PARTS.iter().map(move |l| format!("{l}@{d}")))
                .collect()
        } else {
            self.mailboxes.clone()
        };
        (Some(domains), Some(mailboxes))
    }
}

/// The local parts of the default world's mailboxes, given to each `--domain`.
const DEFAULT_LOCAL_PARTS: [&str; 3] = ["user", "admin", "john"];

/// A host or domain name as the flags accept it: letters, digits, hyphens and dots.
fn check_name(flag: &str, name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
    if ok {
        Ok(())
    } else {
        Err(format!("{flag} '{name}' is not a valid domain name"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(hostname: Option<&str>, domains: &[&str], mailboxes: &[&str]) -> ServerArgs {
        ServerArgs {
            persona: "exchange2003".into(),
            hostname: hostname.map(String::from),
            domains: domains.iter().map(|s| s.to_string()).collect(),
            mailboxes: mailboxes.iter().map(|s| s.to_string()).collect(),
            idle_timeout: None,
            tarpit: None,
            connection_timeout: None,
        }
    }

    #[test]
    fn flags_override_the_default_world() {
        let c = args(
            Some("mx.fabrikam.com"),
            &["Fabrikam.com"],
            &["Ann@Fabrikam.com"],
        )
        .config(0)
        .unwrap();
        assert_eq!(c.hostname, "mx.fabrikam.com");
        assert_eq!(c.domains, ["fabrikam.com"]);
        assert_eq!(c.mailboxes, ["ann@fabrikam.com"]);
        let mut a = args(None, &[], &[]);
        a.idle_timeout = Some(7);
        let d = a.config(86_400).unwrap();
        assert_eq!(d.hostname, "mail.contoso.com");
        assert_eq!(d.limits.idle_timeout_secs, 7);
        assert_eq!(d.epoch_unix_secs, 86_400);
        assert_eq!(d.limits.tarpit_secs, 0, "Exchange 2003 has no tarpit");
        // The tarpit is the persona's unless --tarpit says otherwise; the idle timeout stays.
        a.persona = "exchange2016".into();
        assert_eq!(a.config(0).unwrap().limits.tarpit_secs, 5);
        a.tarpit = Some(0);
        let e = a.config(0).unwrap();
        assert_eq!((e.limits.tarpit_secs, e.limits.idle_timeout_secs), (0, 7));
    }

    #[test]
    fn bad_flags_are_named_in_the_error() {
        let cases: &[(ServerArgs, &str)] = &[
            (args(Some("bad host"), &[], &[]), "--hostname"),
            (args(None, &["a..b"], &[]), "--domain"),
            (args(None, &[], &["nobody"]), "--mailbox"),
            (args(None, &[], &["@contoso.com"]), "--mailbox"),
            (args(None, &[], &["a@b c"]), "--mailbox"),
        ];
        for (a, flag) in cases {
            let err = a.config(0).unwrap_err();
            assert!(err.starts_with(flag), "{err}");
        }
    }

    #[test]
    fn domains_and_mailboxes_always_agree() {
        // (--domain, --mailbox) -> (local domains, mailboxes)
        type Case<'a> = (&'a [&'a str], &'a [&'a str], &'a [&'a str], &'a [&'a str]);
        let cases: &[Case] = &[
            (
                &[],
                &[],
                &["contoso.com"],
                &["user@contoso.com", "admin@contoso.com", "john@contoso.com"],
            ),
            (
                &["Example.org"],
                &[],
                &["example.org"],
                &["user@example.org", "admin@example.org", "john@example.org"],
            ),
            (
                &[],
                &["me@example.org"],
                &["example.org"],
                &["me@example.org"],
            ),
            (
                &["contoso.com"],
                &["me@example.org"],
                &["contoso.com", "example.org"],
                &["me@example.org"],
            ),
        ];
        for (domains, mailboxes, want_domains, want_mailboxes) in cases {
            let c = args(None, domains, mailboxes).config(0).unwrap();
            assert_eq!(c.domains, *want_domains, "{domains:?} {mailboxes:?}");
            assert_eq!(c.mailboxes, *want_mailboxes, "{domains:?} {mailboxes:?}");
        }
    }
}
