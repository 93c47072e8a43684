//! Personas: one reply table per Microsoft server version.

use serde::{Deserialize, Serialize};

/// A server version's behaviour, as data. (Filled in by the engine work.)
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Persona {
    /// Short id used on the command line and in scenario files, e.g. `exchange2003`.
    pub id: String,
    /// One-line description for `smtp-trainer personas`.
    pub description: String,
    /// Banner text after `220 `; `{host}` is replaced by the server's name.
    pub banner: String,
}

/// Everything a session needs to know about the server it plays.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub persona: Persona,
    /// The server's own name, as in its banner.
    pub hostname: String,
    /// Domains the server accepts mail for; everything else is relay.
    pub domains: Vec<String>,
    /// Local mailboxes, full addresses, lower case.
    pub mailboxes: Vec<String>,
}

impl ServerConfig {
    /// The default world of the KB articles: `mail.contoso.com` for `contoso.com`.
    pub fn default_world() -> Self {
        ServerConfig {
            persona: Persona {
                id: "exchange2003".into(),
                description: "Exchange Server 2003 on the IIS 6 SMTP service".into(),
                banner:
                    "{host} Microsoft ESMTP MAIL Service, Version: 6.0.3790.3959 ready at  {date}"
                        .into(),
            },
            hostname: "mail.contoso.com".into(),
            domains: vec!["contoso.com".into()],
            mailboxes: vec![
                "user@contoso.com".into(),
                "admin@contoso.com".into(),
                "john@contoso.com".into(),
            ],
        }
    }
}
