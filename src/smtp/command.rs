//! Command lines: which verb, and what its arguments say.
//!
//! Parsing is lenient where Microsoft's servers were (KB 153119 types `MAIL FROM:Admin@test.com`
//! and `RCPT TO: User@Domain.Com` without angle brackets, and `notify=success,failure` in lower
//! case) and strict where they were not. A line with a Backspace byte in it, as Microsoft Telnet
//! sends after a typo, is not cleaned up: the byte stays and the command is wrong.

use serde::{Deserialize, Serialize};

/// The verb of a command line, for events and lesson checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum CommandKind {
    Helo,
    Ehlo,
    Mail,
    Rcpt,
    Data,
    Rset,
    Noop,
    Quit,
    Vrfy,
    Expn,
    Help,
    Turn,
    Atrn,
    Etrn,
    Auth,
    Starttls,
    Bdat,
    /// Exchange's own verbs between its servers (X-EXPS, X-LINK2STATE, XEXCH50).
    ExchangeVerb,
    /// Anything else, including a verb with a Backspace byte in it.
    Unknown,
    /// A line the client sent while the server waited for an AUTH LOGIN answer.
    AuthResponse,
    /// The end of the message text (the `.` line) or the last BDAT chunk.
    EndOfData,
}

impl CommandKind {
    /// The verb as a client types it (`None` for lines that are not commands).
    pub fn verb(self) -> Option<&'static str> {
        Some(match self {
            CommandKind::Helo => "HELO",
            CommandKind::Ehlo => "EHLO",
            CommandKind::Mail => "MAIL",
            CommandKind::Rcpt => "RCPT",
            CommandKind::Data => "DATA",
            CommandKind::Rset => "RSET",
            CommandKind::Noop => "NOOP",
            CommandKind::Quit => "QUIT",
            CommandKind::Vrfy => "VRFY",
            CommandKind::Expn => "EXPN",
            CommandKind::Help => "HELP",
            CommandKind::Turn => "TURN",
            CommandKind::Atrn => "ATRN",
            CommandKind::Etrn => "ETRN",
            CommandKind::Auth => "AUTH",
            CommandKind::Starttls => "STARTTLS",
            CommandKind::Bdat => "BDAT",
            _ => return None,
        })
    }

    const VERBS: [CommandKind; 17] = [
        CommandKind::Helo,
        CommandKind::Ehlo,
        CommandKind::Mail,
        CommandKind::Rcpt,
        CommandKind::Data,
        CommandKind::Rset,
        CommandKind::Noop,
        CommandKind::Quit,
        CommandKind::Vrfy,
        CommandKind::Expn,
        CommandKind::Help,
        CommandKind::Turn,
        CommandKind::Atrn,
        CommandKind::Etrn,
        CommandKind::Auth,
        CommandKind::Starttls,
        CommandKind::Bdat,
    ];
}

/// Exchange's server-to-server verbs.
const EXCHANGE_VERBS: [&str; 3] = ["X-EXPS", "X-LINK2STATE", "XEXCH50"];

/// A command line split into its verb and the rest. `verb_text` is the verb as typed (for
/// checking it against the persona's command list).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandLine<'a> {
    pub kind: CommandKind,
    pub verb_text: &'a str,
    /// Everything after the verb and its separating space, trailing blanks removed.
    pub args: &'a str,
}

/// Splits a command line (without its line end) into verb and arguments.
pub fn split(line: &str) -> CommandLine<'_> {
    let line = line.trim_end_matches([' ', '\t']);
    let (verb, args) = match line.find([' ', '\t']) {
        Some(i) => (&line[..i], line[i + 1..].trim_start_matches([' ', '\t'])),
        None => (line, ""),
    };
    let kind = CommandKind::VERBS
        .iter()
        .copied()
        .find(|k| k.verb().is_some_and(|v| v.eq_ignore_ascii_case(verb)))
        .unwrap_or_else(|| {
            if EXCHANGE_VERBS.iter().any(|v| v.eq_ignore_ascii_case(verb)) {
                CommandKind::ExchangeVerb
            } else {
                CommandKind::Unknown
            }
        });
    CommandLine {
        kind,
        verb_text: verb,
        args,
    }
}

/// What is wrong with a command's arguments; each maps to one persona reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgError {
    /// Not the shape the command takes (`MAIL TO:`, no colon, junk).
    Syntax,
    /// The address itself is malformed.
    Address,
    /// A parameter the server does not know (or does not offer).
    UnknownParam(String),
    /// A known parameter with a bad value (`SIZE=abc`, `NOTIFY=SOMETIMES`).
    BadParamValue(String),
}

/// `NOTIFY=` of RFC 3461.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notify {
    pub success: bool,
    pub failure: bool,
    pub delay: bool,
    /// `NOTIFY=NEVER`.
    pub never: bool,
}

/// The parsed arguments of MAIL FROM.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MailFrom {
    /// The address without brackets; empty for the null sender `<>`.
    pub address: String,
    /// The path exactly as typed (what Microsoft's replies echo).
    pub typed: String,
    pub size: Option<u64>,
    pub body: Option<String>,
    /// `RET=FULL` (true) or `RET=HDRS` (false).
    pub ret_full: Option<bool>,
    pub envid: Option<String>,
}

/// The parsed arguments of RCPT TO.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RcptTo {
    pub address: String,
    pub typed: String,
    pub notify: Option<Notify>,
    pub orcpt: Option<String>,
}

/// The parsed arguments of BDAT.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bdat {
    pub size: u64,
    pub last: bool,
}

/// Longest path RFC 5321 allows (section 4.5.3.1.3).
pub const MAX_PATH: usize = 256;

/// Strips `FROM:` / `TO:` (any case, blanks allowed around the colon) and splits the path
/// from its parameters. Returns (path as typed, inner address, parameters).
fn path_and_params<'a>(
    args: &'a str,
    keyword: &str,
) -> Result<(&'a str, &'a str, Vec<&'a str>), ArgError> {
    let head = args.get(..keyword.len()).ok_or(ArgError::Syntax)?;
    if !head.eq_ignore_ascii_case(keyword) {
        return Err(ArgError::Syntax);
    }
    let rest = args[keyword.len()..].trim_start_matches([' ', '\t']);
    let rest = rest.strip_prefix(':').ok_or(ArgError::Syntax)?;
    let rest = rest.trim_start_matches([' ', '\t']);
    if rest.is_empty() {
        return Err(ArgError::Syntax);
    }
    let (typed, inner, params) = if rest.starts_with('<') {
        let close = rest.find('>').ok_or(ArgError::Address)?;
        (&rest[..=close], &rest[1..close], &rest[close + 1..])
    } else {
        let end = rest.find([' ', '\t']).unwrap_or(rest.len());
        (&rest[..end], &rest[..end], &rest[end..])
    };
    if !params.is_empty() && !params.starts_with([' ', '\t']) {
        return Err(ArgError::Syntax);
    }
    let params = params
        .split([' ', '\t'])
        .filter(|p| !p.is_empty())
        .collect();
    // A source route (`<@a,@b:user@c>`) must be accepted and ignored (RFC 5321 4.1.2).
    let inner = match (inner.starts_with('@'), inner.find(':')) {
        (true, Some(i)) => &inner[i + 1..],
        _ => inner,
    };
    Ok((typed, inner, params))
}

/// Splits `KEY=VALUE` (value optional) and upper-cases the key.
fn param(p: &str) -> (String, Option<&str>) {
    match p.split_once('=') {
        Some((k, v)) => (k.to_ascii_uppercase(), Some(v)),
        None => (p.to_ascii_uppercase(), None),
    }
}

fn allowed(key: &str, offered: &[String]) -> Result<(), ArgError> {
    if offered.iter().any(|o| o.eq_ignore_ascii_case(key)) {
        Ok(())
    } else {
        Err(ArgError::UnknownParam(key.to_string()))
    }
}

/// RFC 3461 xtext: printable ASCII except `+` and `=` unless as `+XX`.
fn is_xtext(v: &str) -> bool {
    let b = v.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => {
                if i + 2 >= b.len() {
                    return false;
                }
                let hex = |c: u8| c.is_ascii_digit() || (b'A'..=b'F').contains(&c);
                if !(hex(b[i + 1]) && hex(b[i + 2])) {
                    return false;
                }
                i += 3;
            }
            b'!'..=b'~' if b[i] != b'=' => i += 1,
            _ => return false,
        }
    }
    !v.is_empty()
}

/// Parses `FROM:<path> [params]`, accepting only the parameters in `offered`.
pub fn parse_mail(args: &str, offered: &[String]) -> Result<MailFrom, ArgError> {
    let (typed, inner, params) = path_and_params(args, "FROM")?;
    if !inner.is_empty() && !is_mailbox(inner) {
        return Err(ArgError::Address);
    }
    let mut m = MailFrom {
        address: inner.to_string(),
        typed: typed.to_string(),
        ..MailFrom::default()
    };
    for p in params {
        let (key, value) = param(p);
        allowed(&key, offered)?;
        let bad = || ArgError::BadParamValue(key.clone());
        match (key.as_str(), value) {
            ("SIZE", Some(v)) if !v.is_empty() && v.len() <= 20 => {
                m.size = Some(v.parse().map_err(|_| bad())?);
            }
            ("BODY", Some(v)) => {
                let v = v.to_ascii_uppercase();
                if !matches!(v.as_str(), "7BIT" | "8BITMIME" | "BINARYMIME") {
                    return Err(bad());
                }
                m.body = Some(v);
            }
            ("RET", Some(v)) => {
                m.ret_full = Some(match v.to_ascii_uppercase().as_str() {
                    "FULL" => true,
                    "HDRS" => false,
                    _ => return Err(bad()),
                });
            }
            ("ENVID", Some(v)) if is_xtext(v) && v.len() <= 100 => m.envid = Some(v.into()),
            ("AUTH", Some(_)) => {}
            _ => return Err(bad()),
        }
    }
    Ok(m)
}

/// Parses `TO:<path> [params]`, accepting only the parameters in `offered`.
pub fn parse_rcpt(args: &str, offered: &[String]) -> Result<RcptTo, ArgError> {
    let (typed, inner, params) = path_and_params(args, "TO")?;
    if !(is_mailbox(inner) || inner.eq_ignore_ascii_case("postmaster")) {
        return Err(ArgError::Address);
    }
    let mut r = RcptTo {
        address: inner.to_string(),
        typed: typed.to_string(),
        ..RcptTo::default()
    };
    for p in params {
        let (key, value) = param(p);
        allowed(&key, offered)?;
        let bad = || ArgError::BadParamValue(key.clone());
        match (key.as_str(), value) {
            ("NOTIFY", Some(v)) => {
                let mut n = Notify::default();
                for word in v.split(',') {
                    match word.to_ascii_uppercase().as_str() {
                        "SUCCESS" => n.success = true,
                        "FAILURE" => n.failure = true,
                        "DELAY" => n.delay = true,
                        "NEVER" => n.never = true,
                        _ => return Err(bad()),
                    }
                }
                if n.never && (n.success || n.failure || n.delay) {
                    return Err(bad());
                }
                r.notify = Some(n);
            }
            ("ORCPT", Some(v)) => match v.split_once(';') {
                Some((t, x)) if !t.is_empty() && is_xtext(x) && v.len() <= 500 => {
                    r.orcpt = Some(v.to_string());
                }
                _ => return Err(bad()),
            },
            _ => return Err(bad()),
        }
    }
    Ok(r)
}

/// Parses `BDAT <size> [LAST]`.
pub fn parse_bdat(args: &str) -> Result<Bdat, ArgError> {
    let mut words = args.split([' ', '\t']).filter(|w| !w.is_empty());
    let size = words.next().ok_or(ArgError::Syntax)?;
    if size.is_empty() || size.len() > 20 || !size.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ArgError::Syntax);
    }
    let size = size.parse().map_err(|_| ArgError::Syntax)?;
    let last = match words.next() {
        None => false,
        Some(w) if w.eq_ignore_ascii_case("LAST") => true,
        Some(_) => return Err(ArgError::Syntax),
    };
    if words.next().is_some() {
        return Err(ArgError::Syntax);
    }
    Ok(Bdat { size, last })
}

/// RFC 5321 atext.
fn is_atext(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"!#$%&'*+-/=?^_`{|}~".contains(&c)
}

/// A local part: a dot-atom or a quoted string of printable characters.
fn is_local_part(s: &str) -> bool {
    if s.len() >= 2 && s.starts_with('"') && s.ends_with('"') {
        let inner = &s.as_bytes()[1..s.len() - 1];
        return inner.iter().all(|&c| (b' '..=b'~').contains(&c));
    }
    !s.is_empty()
        && s.split('.')
            .all(|atom| !atom.is_empty() && atom.bytes().all(is_atext))
}

/// A domain name (letters, digits, hyphens; dot-separated labels) or an address literal such
/// as `[10.0.0.50]`. A trailing dot is not part of a valid name here.
pub fn is_domain(s: &str) -> bool {
    if let Some(lit) = s.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        return !lit.is_empty()
            && lit
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || b".:-".contains(&c));
    }
    !s.is_empty()
        && s.len() <= 255
        && s.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || c == b'-')
        })
}

/// `local@domain`, at most [`MAX_PATH`] octets.
pub fn is_mailbox(s: &str) -> bool {
    s.len() <= MAX_PATH
        && s.rsplit_once('@')
            .is_some_and(|(l, d)| l.len() <= 64 && is_local_part(l) && is_domain(d))
}

/// The domain of an address (after the last `@`), or `""`.
pub fn domain_of(address: &str) -> &str {
    address.rsplit_once('@').map(|(_, d)| d).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offered(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn verbs_are_found_in_any_case() {
        let table = [
            ("EHLO test.com", CommandKind::Ehlo, "test.com"),
            ("ehlo   test.com  ", CommandKind::Ehlo, "test.com"),
            (
                "MAIL FROM:Admin@test.com",
                CommandKind::Mail,
                "FROM:Admin@test.com",
            ),
            ("data", CommandKind::Data, ""),
            ("QUIT", CommandKind::Quit, ""),
            ("StartTLS", CommandKind::Starttls, ""),
            ("xexch50 1 2", CommandKind::ExchangeVerb, "1 2"),
            ("DATX\x08A", CommandKind::Unknown, ""),
            ("DAT\x08TA", CommandKind::Unknown, ""),
            ("", CommandKind::Unknown, ""),
            ("MAILFROM:a@b", CommandKind::Unknown, ""),
        ];
        for (line, kind, args) in table {
            let c = split(line);
            assert_eq!((c.kind, c.args), (kind, args), "{line:?}");
        }
    }

    #[test]
    fn mail_from_takes_the_kb_forms() {
        let all = offered(&["SIZE", "BODY", "RET", "ENVID", "AUTH"]);
        type Want<'a> = Result<(&'a str, &'a str), ArgError>;
        let table: [(&str, Want); 12] = [
            (
                "FROM:Admin@test.com",
                Ok(("Admin@test.com", "Admin@test.com")),
            ),
            (
                "FROM:<Admin@test.com>",
                Ok(("Admin@test.com", "<Admin@test.com>")),
            ),
            ("from: <a@b.c> SIZE=100", Ok(("a@b.c", "<a@b.c>"))),
            ("FROM:<>", Ok(("", "<>"))),
            (
                "FROM:<@relay.net:a@b.c>",
                Ok(("a@b.c", "<@relay.net:a@b.c>")),
            ),
            ("FROM:", Err(ArgError::Syntax)),
            ("TO:<a@b.c>", Err(ArgError::Syntax)),
            ("FROM <a@b.c>", Err(ArgError::Syntax)),
            ("FROM:<a@b.c", Err(ArgError::Address)),
            ("FROM:adm\x08in@test.com", Err(ArgError::Address)),
            (
                "FROM:<a@b.c> XYZ=1",
                Err(ArgError::UnknownParam("XYZ".into())),
            ),
            (
                "FROM:<a@b.c> SIZE=ten",
                Err(ArgError::BadParamValue("SIZE".into())),
            ),
        ];
        for (args, want) in table {
            let got = parse_mail(args, &all).map(|m| (m.address, m.typed));
            let want = want.map(|(a, t)| (a.to_string(), t.to_string()));
            assert_eq!(got, want, "{args:?}");
        }
    }

    #[test]
    fn mail_parameters_are_read() {
        let all = offered(&["SIZE", "BODY", "RET", "ENVID"]);
        let m = parse_mail(
            "FROM:<a@b.c> size=42 body=8bitmime RET=HDRS ENVID=QQ+2B1",
            &all,
        );
        let m = m.unwrap_or_default();
        assert_eq!(m.size, Some(42));
        assert_eq!(m.body.as_deref(), Some("8BITMIME"));
        assert_eq!(m.ret_full, Some(false));
        assert_eq!(m.envid.as_deref(), Some("QQ+2B1"));
        // Parameters the persona does not offer are unknown there.
        assert_eq!(
            parse_mail("FROM:<a@b.c> SIZE=1", &[]),
            Err(ArgError::UnknownParam("SIZE".into()))
        );
    }

    #[test]
    fn rcpt_to_takes_notify_and_orcpt() {
        let all = offered(&["NOTIFY", "ORCPT"]);
        let r = parse_rcpt("TO:User@Site.Domain.Com notify=success,failure", &all);
        let r = r.unwrap_or_default();
        assert_eq!(r.address, "User@Site.Domain.Com");
        assert_eq!(
            r.notify,
            Some(Notify {
                success: true,
                failure: true,
                ..Notify::default()
            })
        );
        let table: [(&str, bool); 9] = [
            ("TO: User@Domain.Com", true),
            ("TO:<postmaster>", true),
            ("TO:<>", false),
            ("TO:<a@b.c> NOTIFY=NEVER", true),
            ("TO:<a@b.c> NOTIFY=NEVER,SUCCESS", false),
            ("TO:<a@b.c> NOTIFY=SOMETIMES", false),
            ("TO:<a@b.c> ORCPT=rfc822;a@b.c", true),
            ("TO:<a@b.c> ORCPT=rfc822", false),
            ("TO:<a@b..c>", false),
        ];
        for (args, ok) in table {
            assert_eq!(parse_rcpt(args, &all).is_ok(), ok, "{args:?}");
        }
    }

    #[test]
    fn bdat_sizes_and_last() {
        let table = [
            (
                "100",
                Ok(Bdat {
                    size: 100,
                    last: false,
                }),
            ),
            (
                "0 LAST",
                Ok(Bdat {
                    size: 0,
                    last: true,
                }),
            ),
            (
                "7 last",
                Ok(Bdat {
                    size: 7,
                    last: true,
                }),
            ),
            ("", Err(ArgError::Syntax)),
            ("-1", Err(ArgError::Syntax)),
            ("10 FIRST", Err(ArgError::Syntax)),
            ("10 LAST x", Err(ArgError::Syntax)),
            ("99999999999999999999999", Err(ArgError::Syntax)),
        ];
        for (args, want) in table {
            assert_eq!(parse_bdat(args), want, "{args:?}");
        }
    }

    #[test]
    fn domains_and_mailboxes() {
        let domains = [
            ("test.com", true),
            ("sub2", true),
            ("sub2.", false),
            ("sub2.your-domain.com", true),
            ("-bad.com", false),
            ("a..b", false),
            ("[10.0.0.50]", true),
            ("[]", false),
            ("bad_name.com", false),
            ("", false),
        ];
        for (d, ok) in domains {
            assert_eq!(is_domain(d), ok, "{d:?}");
        }
        let boxes = [
            ("user@contoso.com", true),
            ("first.last@contoso.com", true),
            ("\"odd name\"@contoso.com", true),
            ("user", false),
            ("@contoso.com", false),
            ("user@", false),
            (".user@contoso.com", false),
        ];
        for (m, ok) in boxes {
            assert_eq!(is_mailbox(m), ok, "{m:?}");
        }
        assert!(!is_mailbox(&format!("{}@b.c", "a".repeat(300))));
        assert_eq!(domain_of("a@b.c"), "b.c");
    }

    #[test]
    fn xtext_needs_valid_escapes() {
        for (v, ok) in [
            ("abc", true),
            ("a+2B", true),
            ("a+2", false),
            ("a=b", false),
            ("", false),
        ] {
            assert_eq!(is_xtext(v), ok, "{v:?}");
        }
    }
}
