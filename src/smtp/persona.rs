//! Personas: one reply table per Microsoft server version, as data.
//!
//! Each persona is a TOML file under `personas/`, converted to JSON by `build.rs` and embedded
//! in the binary with `include_str!`, so the browser build needs no file access and no TOML
//! parser. A file may `extends` another: the child's tables are
//! merged over the parent's, key by key, so a variant such as `exchange2003-damaged-link` states
//! only what differs. Every chain ends at `rfc5321`, an abstract base holding RFC 5321 wording
//! (all marked R) for any reply a product's own text is not known for, so a lookup never misses.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::OnceLock;

pub use super::config::{Account, LimitOverrides, ServerConfig, ServerOverrides, UnknownPersona};

/// The embedded persona files, base first, as JSON: `build.rs` converts `personas/*.toml` so
/// the browser reads them without a TOML parser. Order here is the listing order of [`all`].
const SOURCES: &[(&str, &str)] = &[
    (
        "rfc5321",
        include_str!(concat!(env!("OUT_DIR"), "/persona-rfc5321.json")),
    ),
    (
        "exchange55",
        include_str!(concat!(env!("OUT_DIR"), "/persona-exchange55.json")),
    ),
    (
        "iis5",
        include_str!(concat!(env!("OUT_DIR"), "/persona-iis5.json")),
    ),
    (
        "iis6",
        include_str!(concat!(env!("OUT_DIR"), "/persona-iis6.json")),
    ),
    (
        "exchange2003",
        include_str!(concat!(env!("OUT_DIR"), "/persona-exchange2003.json")),
    ),
    (
        "exchange2003-damaged-link",
        include_str!(concat!(
            env!("OUT_DIR"),
            "/persona-exchange2003-damaged-link.json"
        )),
    ),
    (
        "exchange2016",
        include_str!(concat!(env!("OUT_DIR"), "/persona-exchange2016.json")),
    ),
    (
        "msmail3",
        include_str!(concat!(env!("OUT_DIR"), "/persona-msmail3.json")),
    ),
];

/// The persona used when nothing says otherwise (KB 153119's Exchange 2003).
pub const DEFAULT_PERSONA: &str = "exchange2003";

/// How sure the reference is that a text is what the product printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Confidence {
    /// Seen verbatim in a Microsoft article, a real trace or Microsoft's string table.
    C,
    /// One third-party source, or a documentation example that may have been edited.
    M,
    /// Reconstruction: plausible, but not seen.
    R,
}

/// One reply as the persona prints it: full lines (code included), `\n` between lines of a
/// multi-line reply, with `{placeholders}` filled in at send time (see [`super::reply`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyText {
    pub text: String,
    pub conf: Confidence,
}

/// Every reply a session can send, by what it answers. One name per situation, so the same
/// situation is worded by the persona in exactly one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplyKey {
    Banner,
    HeloOk,
    EhloGreeting,
    EhloRefused,
    HelloBadDomain,
    HeloNoDomain,
    EhloNoDomain,
    MailOk,
    RcptOk,
    DataStart,
    DataOk,
    Quit,
    RsetOk,
    NoopOk,
    Vrfy,
    Expn,
    Help,
    Turn,
    Atrn,
    AtrnAuthenticated,
    EtrnOk,
    ExchangeVerb,
    UnknownCommand,
    LineTooLong,
    BadArgs,
    UnknownParam,
    BadSender,
    BadRecipient,
    NeedHello,
    NeedMail,
    NeedRcpt,
    SenderAlready,
    RelayDenied,
    UnknownUser,
    AuthRequired,
    TooManyRecipients,
    TooLarge,
    HeadersTooLarge,
    TooManyErrors,
    IdleTimeout,
    /// The session reached the connector's longest allowed duration, busy or not.
    ConnectionTimeout,
    /// Said by the edge (`serve`), never by a session: the connection limit is reached, so a
    /// new client is turned away before any banner.
    TooBusy,
    /// Said by the edge (`serve`, `smtp`), never by a session: the server is stopping, or a
    /// message it accepted could not be stored, so the client must try again later.
    ServiceUnavailable,
    BareLf,
    AuthUsername,
    AuthPassword,
    AuthOk,
    AuthFailed,
    /// `334 NTLM supported`: AUTH NTLM accepted, the client's base64 negotiate blob next.
    AuthNtlm,
    AuthUnknownMechanism,
    AuthAlready,
    AuthInTransaction,
    AuthCancelled,
    AuthBadEncoding,
    StarttlsReady,
    StarttlsUnavailable,
    BdatChunkOk,
    BdatAfterData,
}

impl ReplyKey {
    /// Every key, for completeness checks and the Explain panel's reverse lookup.
    pub const ALL: &'static [ReplyKey] = &[
        ReplyKey::Banner,
        ReplyKey::HeloOk,
        ReplyKey::EhloGreeting,
        ReplyKey::EhloRefused,
        ReplyKey::HelloBadDomain,
        ReplyKey::HeloNoDomain,
        ReplyKey::EhloNoDomain,
        ReplyKey::MailOk,
        ReplyKey::RcptOk,
        ReplyKey::DataStart,
        ReplyKey::DataOk,
        ReplyKey::Quit,
        ReplyKey::RsetOk,
        ReplyKey::NoopOk,
        ReplyKey::Vrfy,
        ReplyKey::Expn,
        ReplyKey::Help,
        ReplyKey::Turn,
        ReplyKey::Atrn,
        ReplyKey::AtrnAuthenticated,
        ReplyKey::EtrnOk,
        ReplyKey::ExchangeVerb,
        ReplyKey::UnknownCommand,
        ReplyKey::LineTooLong,
        ReplyKey::BadArgs,
        ReplyKey::UnknownParam,
        ReplyKey::BadSender,
        ReplyKey::BadRecipient,
        ReplyKey::NeedHello,
        ReplyKey::NeedMail,
        ReplyKey::NeedRcpt,
        ReplyKey::SenderAlready,
        ReplyKey::RelayDenied,
        ReplyKey::UnknownUser,
        ReplyKey::AuthRequired,
        ReplyKey::TooManyRecipients,
        ReplyKey::TooLarge,
        ReplyKey::HeadersTooLarge,
        ReplyKey::TooManyErrors,
        ReplyKey::IdleTimeout,
        ReplyKey::ConnectionTimeout,
        ReplyKey::TooBusy,
        ReplyKey::ServiceUnavailable,
        ReplyKey::BareLf,
        ReplyKey::AuthUsername,
        ReplyKey::AuthPassword,
        ReplyKey::AuthOk,
        ReplyKey::AuthFailed,
        ReplyKey::AuthNtlm,
        ReplyKey::AuthUnknownMechanism,
        ReplyKey::AuthAlready,
        ReplyKey::AuthInTransaction,
        ReplyKey::AuthCancelled,
        ReplyKey::AuthBadEncoding,
        ReplyKey::StarttlsReady,
        ReplyKey::StarttlsUnavailable,
        ReplyKey::BdatChunkOk,
        ReplyKey::BdatAfterData,
    ];

    /// The snake_case name used in the persona files and the explain table.
    pub fn name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }
}

/// Kinds of application event log entries a server writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogKey {
    MessageDelivered,
    RelayRefused,
    RelayQueued,
    UnknownRecipient,
    NdrSent,
    ReceiptSent,
    AuthFailed,
    AuthSucceeded,
    TooManyErrors,
    IdleTimeout,
    ConnectionTimeout,
    MessageTooLarge,
    BadHelloClosed,
    TlsRequested,
    BareLfRefused,
    /// A receipt or NDR for a sender in a local domain who has no mailbox: dropped.
    ReportUndeliverable,
    /// The greeting the server sent (`{reply}`), written only by a version that logs it.
    GreetingSent,
}

/// Severity of an event log entry, as the Windows Event Viewer shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogLevel {
    Information,
    Warning,
    Error,
}

/// One event log entry template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogSpec {
    pub id: u32,
    pub level: LogLevel,
    pub text: String,
}

/// The event source name and the entries it writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct LogTable {
    pub source: String,
    #[serde(default)]
    pub events: BTreeMap<LogKey, LogSpec>,
}

/// Texts of the delivery status notifications the server generates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct DsnTexts {
    pub postmaster: String,
    pub ndr_subject: String,
    pub ndr_text: String,
    pub receipt_subject: String,
    pub receipt_text: String,
}

/// Limits of a receive connector. Each is accepted at exactly its value and refused above it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Largest message in octets (after dot-unstuffing), checked at `SIZE=` and after data.
    pub max_message_size: u64,
    /// Recipients accepted in one transaction.
    pub max_recipients: u32,
    /// Protocol errors (500-504 replies) tolerated before a 421 and close; none if absent.
    #[serde(default)]
    pub max_errors: Option<u32>,
    /// Seconds without input before the server gives up on the client.
    pub idle_timeout_secs: u64,
    /// Longest command line in octets, CRLF included (RFC 5321 says 512).
    pub max_line_length: usize,
    /// Largest header block in octets (up to the blank line that ends it), checked once the
    /// message is complete; none if absent. Exchange 2007 and later refuse more than 256 KB.
    #[serde(default)]
    pub max_header_size: Option<u64>,
    /// Seconds a 5xx reply to an unauthenticated client is held back before it is sent
    /// (Exchange 2007 and later: the receive connector's TarpitInterval, 5 s), so harvesting
    /// addresses or probing for an open relay costs the sender time. 0: no tarpit.
    #[serde(default)]
    pub tarpit_secs: u64,
    /// Seconds a session may last in all, however busy (Exchange 2007 and later: the receive
    /// connector's ConnectionTimeout, 10 minutes); none if absent.
    #[serde(default)]
    pub connection_timeout_secs: Option<u64>,
}

/// What the server does with EHLO.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum EhloSupport {
    /// Answers with its greeting and extension list.
    #[default]
    Extended,
    /// An RFC 821 server that refuses EHLO and hangs up (MS Mail Gateway 3.0).
    RefuseAndClose,
}

/// Whether `EHLO sub2.` (a trailing dot) counts as a malformed domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum TrailingDot {
    #[default]
    Accept,
    Reject,
}

/// What happens to a recipient in a local domain that has no mailbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum UnknownUserPolicy {
    /// Refused at RCPT TO with the persona's unknown-user reply.
    #[default]
    RefuseAtRcpt,
    /// Accepted at RCPT TO, then bounced with a non-delivery report after the data.
    Ndr,
}

/// Where mail for a local domain goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum LocalDelivery {
    /// Into the mailbox of each recipient; a recipient without one is unknown (see
    /// [`UnknownUserPolicy`]).
    #[default]
    Mailbox,
    /// The IIS SMTP service without Exchange has no mailboxes: it accepts every recipient of a
    /// local domain and writes each message once into its Drop folder
    /// ([`super::store::DROP_FOLDER`]), the envelope in `x-sender:`/`x-receiver:` lines on top.
    Drop,
}

/// What the server does with a line feed not preceded by a carriage return inside DATA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum BareLfPolicy {
    /// Kept in the message as it came.
    #[default]
    Accept,
    /// The whole message is refused after the data (Exchange 2016's 554 5.6.0).
    Reject,
}

/// Behaviour switches that differ between versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Behaviour {
    pub ehlo: EhloSupport,
    /// MAIL before HELO/EHLO gets a 503.
    pub hello_required: bool,
    pub trailing_dot_in_hello: TrailingDot,
    /// KB 240832: a malformed HELO/EHLO argument is answered and then the connection closes.
    pub bad_hello_closes: bool,
    pub unknown_user: UnknownUserPolicy,
    /// Mailboxes, or IIS's one Drop folder for every local recipient.
    #[serde(default)]
    pub local_delivery: LocalDelivery,
    pub bare_lf_in_data: BareLfPolicy,
    /// MAIL FROM needs AUTH first (a connector closed to anonymous senders): the persona's
    /// `auth_required` reply.
    #[serde(default)]
    pub require_auth: bool,
}

/// How the queue id in the end-of-data reply and the Message-ID header look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum MessageIdStyle {
    /// `<HOSTNAMEp7lzvxrMVHFb00000001@host>`: IIS 5/6 and Exchange 2000/2003.
    Iis,
    /// `<guid@host>`: Exchange 2007 and later.
    Guid,
    /// `<counter.random@host>`: older servers whose format is not on record.
    #[default]
    Simple,
}

/// A server version's behaviour, as data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Persona {
    /// Short id used on the command line and in scenario files, e.g. `exchange2003`.
    pub id: String,
    /// One-line description for `smtp-trainer personas`.
    pub description: String,
    /// The product's name, for the Explain panel.
    pub product: String,
    /// The parent this file was merged over (kept for display only).
    #[serde(default)]
    pub extends: Option<String>,
    /// True for bases that are not products (not listed).
    #[serde(default, rename = "abstract")]
    pub is_abstract: bool,
    /// Simulated wall clock at `now == 0`, in seconds since 1970, for `<date>` texts.
    pub epoch_unix_secs: i64,
    /// The server's time zone, minutes east of UTC.
    pub tz_offset_minutes: i32,
    pub message_id: MessageIdStyle,
    /// Verbs this version answers; anything else gets its unknown-command reply.
    pub commands: Vec<String>,
    /// Parameters accepted after `MAIL FROM:<...>`.
    pub mail_params: Vec<String>,
    /// Parameters accepted after `RCPT TO:<...>`.
    pub rcpt_params: Vec<String>,
    /// EHLO lines after the greeting, verbatim (`{max_size}` is filled in); the last one is
    /// sent with a space after the code.
    pub ehlo: Vec<String>,
    /// EHLO lines once STARTTLS has succeeded, for a version whose list changes inside TLS
    /// beyond losing STARTTLS itself (Exchange 2007 and later offer AUTH LOGIN only there, so
    /// a password never crosses the wire in clear). Absent: `ehlo` without its STARTTLS line.
    #[serde(default)]
    pub ehlo_tls: Option<Vec<String>>,
    /// The trace header put on top of every accepted message (`\r\n\t` folds it).
    pub received: String,
    /// The trace header for a message received inside TLS, for a version that names the
    /// protocol and cipher there (Exchange 2007 and later); empty: `received` either way.
    #[serde(default)]
    pub received_tls: String,
    /// The cipher suite `received_tls` names as `{cipher}` when the edge names none: the one
    /// `serve`'s built-in certificate (an EC key) settles on, for a session with no real TLS.
    #[serde(default)]
    pub tls_cipher: String,
    /// A header added at the end of the client's header block (or in the block the server
    /// adds when the client sent none); empty for a version that adds none. The IIS SMTP
    /// service writes `X-OriginalArrivalTime: {arrival} FILETIME=[{filetime}]`, the arrival
    /// in UTC and as a Windows FILETIME (see [`super::reply::arrival_stamp`]), which outlives
    /// Received headers a relay may rewrite.
    #[serde(default)]
    pub arrival_header: String,
    pub limits: Limits,
    pub behaviour: Behaviour,
    pub replies: BTreeMap<ReplyKey, ReplyText>,
    pub log: LogTable,
    pub dsn: DsnTexts,
}

impl Persona {
    /// The reply text for a key. The base persona defines every key (checked by the tests), so
    /// the fallback is only a guard against a hand-built persona missing one.
    pub fn reply(&self, key: ReplyKey) -> &ReplyText {
        static FALLBACK: ReplyText = ReplyText {
            text: String::new(),
            conf: Confidence::R,
        };
        self.replies.get(&key).unwrap_or(&FALLBACK)
    }

    /// True if this version answers the verb (upper case).
    pub fn knows(&self, verb: &str) -> bool {
        self.commands.iter().any(|c| c.eq_ignore_ascii_case(verb))
    }

    /// True if the EHLO list of a plain-text connection advertises the extension keyword
    /// (`AUTH`, `CHUNKING`, ...).
    pub fn advertises(&self, keyword: &str) -> bool {
        self.advertises_in(keyword, false)
    }

    /// True if the EHLO list advertises the keyword on a connection that is (`tls`) or is not
    /// encrypted.
    pub fn advertises_in(&self, keyword: &str, tls: bool) -> bool {
        self.ehlo_lines(tls)
            .any(|l| ehlo_keyword(l).eq_ignore_ascii_case(keyword))
    }

    /// The EHLO lines after the greeting, on a connection that is (`tls`) or is not encrypted:
    /// inside TLS, `ehlo_tls` if the version has one, and never STARTTLS again (RFC 3207).
    pub fn ehlo_lines(&self, tls: bool) -> impl Iterator<Item = &str> {
        let list = match (&self.ehlo_tls, tls) {
            (Some(inside), true) => inside,
            _ => &self.ehlo,
        };
        list.iter()
            .map(String::as_str)
            .filter(move |l| !(tls && ehlo_keyword(l).eq_ignore_ascii_case("STARTTLS")))
    }

    /// The mechanisms named on the advertised `AUTH` line(s) of a plain-text connection,
    /// upper case.
    pub fn auth_mechanisms(&self) -> Vec<String> {
        self.auth_mechanisms_in(false)
    }

    /// The mechanisms on the `AUTH` line(s) advertised on a connection that is (`tls`) or is
    /// not encrypted, upper case.
    pub fn auth_mechanisms_in(&self, tls: bool) -> Vec<String> {
        self.ehlo_lines(tls)
            .filter(|l| ehlo_keyword(l).eq_ignore_ascii_case("AUTH"))
            .flat_map(|l| {
                l[4..]
                    .split([' ', '='])
                    .filter(|m| !m.is_empty())
                    .map(str::to_ascii_uppercase)
            })
            .collect()
    }
}

/// The keyword of an EHLO line: what comes before the first space or `=`.
pub fn ehlo_keyword(line: &str) -> &str {
    line.split([' ', '=']).next().unwrap_or("")
}

/// Why an embedded persona file could not be loaded (a defect caught by the tests).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonaError {
    pub id: String,
    pub message: String,
}

impl std::fmt::Display for PersonaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "persona {}: {}", self.id, self.message)
    }
}

impl std::error::Error for PersonaError {}

/// A persona file's top-level table.
type Table = serde_json::Map<String, Value>;

/// Deep-merges `over` onto `base`: tables merge key by key, anything else is replaced.
fn merge(base: &mut Value, over: Value) {
    match (base, over) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                match b.get_mut(&k) {
                    Some(slot) => merge(slot, v),
                    None => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (slot, v) => *slot = v,
    }
}

/// Drops the string entries of `list` whose keyword is in `remove`.
fn remove_entries(table: &mut Table, list: &str, remove: &[String]) {
    if let Some(Value::Array(items)) = table.get_mut(list) {
        items.retain(|v| {
            v.as_str().is_none_or(|s| {
                !remove
                    .iter()
                    .any(|r| ehlo_keyword(s).eq_ignore_ascii_case(r))
            })
        });
    }
}

/// The embedded table of persona `id`.
fn source(id: &str) -> Result<Table, PersonaError> {
    let err = |message: String| PersonaError {
        id: id.to_string(),
        message,
    };
    let json = SOURCES
        .iter()
        .find(|(name, _)| *name == id)
        .map(|(_, s)| *s)
        .ok_or_else(|| {
            // From the source list, not the registry: this runs while the registry loads.
            err(format!(
                "no such persona (known: {})",
                SOURCES
                    .iter()
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?;
    // build.rs leaves a file that is not valid TOML as it is, so this names the defect.
    match serde_json::from_str(json) {
        Ok(Value::Object(table)) => Ok(table),
        _ => Err(err(format!("personas/{id}.toml is not valid TOML"))),
    }
}

/// The table of a persona with its whole `extends` chain merged in, base first. `id` names it
/// in errors.
fn resolve(id: &str, mut own: Table, depth: usize) -> Result<Table, PersonaError> {
    let err = |message: String| PersonaError {
        id: id.to_string(),
        message,
    };
    if depth > SOURCES.len() {
        return Err(err("the extends chain loops".into()));
    }
    let parent = match own.get("extends") {
        Some(Value::String(p)) => Some(p.clone()),
        Some(_) => return Err(err("extends must be a string".into())),
        None if id == "rfc5321" => None,
        None => Some("rfc5321".to_string()),
    };
    let removals = |own: &mut Table, key: &str| -> Vec<String> {
        match own.remove(key) {
            Some(Value::Array(a)) => a
                .into_iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        }
    };
    let ehlo_remove = removals(&mut own, "ehlo_remove");
    let commands_remove = removals(&mut own, "commands_remove");
    let mut value = match parent {
        Some(p) => {
            let mut base = resolve(&p, source(&p)?, depth + 1)?;
            // A child's own `abstract` flag is not inherited: products are listed.
            base.remove("abstract");
            Value::Object(base)
        }
        None => Value::Object(Table::new()),
    };
    merge(&mut value, Value::Object(own));
    let Value::Object(mut table) = value else {
        return Err(err("not a table".into()));
    };
    remove_entries(&mut table, "ehlo", &ehlo_remove);
    remove_entries(&mut table, "commands", &commands_remove);
    Ok(table)
}

fn from_table(id: &str, table: Table) -> Result<Persona, PersonaError> {
    crate::scenario::tree::from_value::<Persona>(&Value::Object(table)).map_err(|e| PersonaError {
        id: id.to_string(),
        message: e.to_string(),
    })
}

/// Loads one embedded persona by id, merged over its parents.
pub fn load(id: &str) -> Result<Persona, PersonaError> {
    from_table(id, resolve(id, source(id)?, 0)?)
}

/// Reads a persona written by an instructor, in the same format as the built-in files. It may
/// `extends` a built-in one and change only what differs; errors name what is wrong.
pub fn parse_custom(text: &str) -> Result<Persona, PersonaError> {
    let own = toml::from_str::<Table>(text);
    let id = own
        .as_ref()
        .ok()
        .and_then(|t| t.get("id").and_then(|v| v.as_str().map(str::to_owned)))
        .unwrap_or_else(|| "(custom)".to_string());
    let own = own.map_err(|e| PersonaError {
        id: id.clone(),
        message: e.to_string(),
    })?;
    let mut p = from_table(&id, resolve(&id, own, 0)?)?;
    p.is_abstract = false;
    Ok(p)
}

/// Every embedded persona, loaded once. Files that fail to load are left out here (and make
/// the persona tests fail), so a defect in one never takes the others down.
fn registry() -> &'static Vec<Persona> {
    static REGISTRY: OnceLock<Vec<Persona>> = OnceLock::new();
    REGISTRY.get_or_init(|| SOURCES.iter().filter_map(|(id, _)| load(id).ok()).collect())
}

/// The product personas, in listing order (the abstract base is not among them).
pub fn all() -> Vec<&'static Persona> {
    registry().iter().filter(|p| !p.is_abstract).collect()
}

/// A product persona by id (case-insensitive).
pub fn get(id: &str) -> Option<&'static Persona> {
    registry()
        .iter()
        .find(|p| !p.is_abstract && p.id.eq_ignore_ascii_case(id))
}

/// The ids of every product persona, for error messages and `--help`.
pub fn ids() -> Vec<&'static str> {
    all().into_iter().map(|p| p.id.as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The TOML files themselves, to check that the JSON build.rs embeds says the same.
    const TOML_SOURCES: &[(&str, &str)] = &[
        ("rfc5321", include_str!("../../personas/rfc5321.toml")),
        ("exchange55", include_str!("../../personas/exchange55.toml")),
        ("iis5", include_str!("../../personas/iis5.toml")),
        ("iis6", include_str!("../../personas/iis6.toml")),
        (
            "exchange2003",
            include_str!("../../personas/exchange2003.toml"),
        ),
        (
            "exchange2003-damaged-link",
            include_str!("../../personas/exchange2003-damaged-link.toml"),
        ),
        (
            "exchange2016",
            include_str!("../../personas/exchange2016.toml"),
        ),
        ("msmail3", include_str!("../../personas/msmail3.toml")),
    ];

    #[test]
    fn the_embedded_json_says_what_the_toml_files_say() {
        assert_eq!(TOML_SOURCES.len(), SOURCES.len());
        for ((id, toml_text), (json_id, _)) in TOML_SOURCES.iter().zip(SOURCES) {
            assert_eq!(id, json_id);
            let from_toml: Result<Table, _> = toml::from_str(toml_text);
            assert_eq!(from_toml.ok(), source(id).ok(), "personas/{id}.toml");
        }
    }

    #[test]
    fn every_embedded_file_loads() {
        for (id, _) in SOURCES {
            if let Err(e) = load(id) {
                panic!("{e}");
            }
        }
        assert_eq!(registry().len(), SOURCES.len());
    }

    #[test]
    fn the_products_are_listed_and_the_base_is_not() {
        assert_eq!(
            ids(),
            vec![
                "exchange55",
                "iis5",
                "iis6",
                "exchange2003",
                "exchange2003-damaged-link",
                "exchange2016",
                "msmail3"
            ]
        );
        assert!(get("rfc5321").is_none());
        assert!(get("EXCHANGE2003").is_some());
    }

    #[test]
    fn every_persona_has_every_reply_well_formed() {
        for p in registry() {
            for key in ReplyKey::ALL {
                let r = p.replies.get(key);
                assert!(r.is_some(), "{} lacks {:?}", p.id, key);
                let text = &r.map(|r| r.text.clone()).unwrap_or_default();
                let lines: Vec<&str> = text.split('\n').collect();
                for (i, line) in lines.iter().enumerate() {
                    let b = line.as_bytes();
                    assert!(b.len() >= 3, "{} {:?}: {line:?}", p.id, key);
                    assert!(b[..3].iter().all(u8::is_ascii_digit), "{} {key:?}", p.id);
                    assert!((b'2'..=b'5').contains(&b[0]), "{} {key:?}", p.id);
                    let sep = if i + 1 == lines.len() { b' ' } else { b'-' };
                    assert!(b.len() == 3 || b[3] == sep, "{} {key:?}: {line:?}", p.id);
                    assert_eq!(&b[..3], &lines[0].as_bytes()[..3], "{} {key:?}", p.id);
                }
            }
        }
    }

    #[test]
    fn the_damaged_link_variant_lacks_exchange_verbs_only() {
        let good = get("exchange2003")
            .map(|p| p.ehlo.clone())
            .unwrap_or_default();
        let bad = get("exchange2003-damaged-link")
            .map(|p| p.ehlo.clone())
            .unwrap_or_default();
        let missing: Vec<&String> = good.iter().filter(|l| !bad.contains(l)).collect();
        assert_eq!(
            missing,
            vec![
                "X-EXPS GSSAPI NTLM LOGIN",
                "X-EXPS=LOGIN",
                "AUTH GSSAPI NTLM LOGIN",
                "AUTH=LOGIN",
                "X-LINK2STATE",
                "XEXCH50"
            ]
        );
        assert!(bad.iter().all(|l| good.contains(l)));
    }

    #[test]
    fn keywords_and_mechanisms_come_from_the_ehlo_list() {
        let p = get("exchange2003");
        assert!(p.is_some_and(|p| p.advertises("chunking") && p.advertises("AUTH")));
        assert_eq!(
            p.map(Persona::auth_mechanisms).unwrap_or_default(),
            vec!["GSSAPI", "NTLM", "LOGIN", "LOGIN"]
        );
        assert!(get("exchange55").is_some_and(|p| !p.advertises("AUTH")));
        let table = [
            ("SIZE 2097152", "SIZE"),
            ("AUTH=LOGIN", "AUTH"),
            ("OK", "OK"),
            ("", ""),
        ];
        for (line, kw) in table {
            assert_eq!(ehlo_keyword(line), kw);
        }
    }

    #[test]
    fn exchange55s_clock_starts_at_kb_240832s_trace() {
        let p = get("exchange55");
        let date =
            p.map(|p| crate::smtp::reply::rfc822_date(p.epoch_unix_secs, p.tz_offset_minutes));
        assert_eq!(date.as_deref(), Some("Sat, 28 Aug 1999 09:32:00 -0400"));
    }

    #[test]
    fn every_persona_logs_every_event() {
        // All but the greeting, which only the MS Mail gateway logs (Q115492).
        for p in registry() {
            let greeting = p.log.events.contains_key(&LogKey::GreetingSent);
            assert_eq!(p.log.events.len() - usize::from(greeting), 16, "{}", p.id);
            assert_eq!(greeting, p.id == "msmail3", "{}", p.id);
        }
    }

    #[test]
    fn custom_personas_extend_built_in_ones() {
        let text = "id = \"lab\"\nextends = \"exchange2003\"\ndescription = \"lab\"\n\
                    [limits]\nmax_recipients = 3\n[replies]\nquit = { text = \"221 bye\", conf = \"R\" }\n";
        let p = parse_custom(text);
        let p = p.as_ref().ok();
        assert_eq!(p.map(|p| p.limits.max_recipients), Some(3));
        assert_eq!(
            p.map(|p| p.reply(ReplyKey::Quit).text.as_str()),
            Some("221 bye")
        );
        assert_eq!(
            p.map(|p| p.ehlo.len()),
            get("exchange2003").map(|p| p.ehlo.len())
        );
        let errors = [
            ("id = \"x\"\nextends = \"nope\"\n", "no such persona"),
            ("id = \"x\"\nextends = 3\n", "extends must be a string"),
            ("id = \"x\"\nbogus = 1\n", "bogus"),
            ("not toml", "(custom)"),
        ];
        for (text, want) in errors {
            let e = parse_custom(text)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(e.contains(want), "{text:?}: {e}");
        }
    }

    #[test]
    fn reply_key_names_match_the_files() {
        assert_eq!(ReplyKey::HeloNoDomain.name(), "helo_no_domain");
        assert_eq!(ReplyKey::BdatAfterData.name(), "bdat_after_data");
    }
}
