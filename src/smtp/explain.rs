//! Explain: what a reply line means, for the Explain panel and for learners reading a
//! transcript. Everything it says comes from one data table (`explain.toml`): the reply code,
//! the enhanced status code, and, when a persona is given, which of that persona's replies the
//! line is, how sure the reference is of that text, and what to do next.

use super::command::CommandKind;
use super::persona::{ehlo_keyword, Confidence, Persona, ReplyKey};
use super::reply::is_enhanced;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// What a reply line means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    pub code: u16,
    /// What the three-digit code means (RFC 5321).
    pub code_meaning: String,
    /// The enhanced status code on the line, if any (`5.7.1`).
    pub enhanced: Option<String>,
    /// What it means (RFC 3463).
    pub enhanced_meaning: Option<String>,
    /// Which of the persona's replies this line is, if one matched.
    pub persona_reply: Option<ReplyKey>,
    /// What the persona meant by it.
    pub persona_meaning: Option<String>,
    /// How sure the reference is that the product printed this text.
    pub confidence: Option<Confidence>,
    /// What to do next.
    pub next_step: String,
}

#[derive(Debug, Default, PartialEq, Deserialize)]
struct KeyText {
    meaning: String,
    next: String,
}

#[derive(Debug, Default, PartialEq, Deserialize)]
struct Table {
    codes: BTreeMap<String, String>,
    classes: BTreeMap<String, String>,
    enhanced: BTreeMap<String, String>,
    replies: BTreeMap<ReplyKey, KeyText>,
    ehlo: BTreeMap<String, String>,
    answers: BTreeMap<CommandKind, Vec<ReplyKey>>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    // explain.toml, converted to JSON by build.rs (JSON parses much faster in the browser).
    // Read through a value tree, like every embedded table: the app then compiles one JSON
    // text parser (for `Value`) rather than one per table type.
    TABLE.get_or_init(|| {
        serde_json::from_str::<serde_json::Value>(include_str!(concat!(
            env!("OUT_DIR"),
            "/explain.json"
        )))
        .ok()
        .and_then(|v| crate::scenario::tree::from_value::<Table>(&v).ok())
        .unwrap_or_default()
    })
}

/// True if `text` fits `template`, where each `{name}` stands for any run of characters.
fn fits(template: &str, text: &str) -> bool {
    let mut parts = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        match rest[open..].find('}') {
            Some(close) => {
                parts.push(&rest[..open]);
                rest = &rest[open + close + 1..];
            }
            None => break,
        }
    }
    parts.push(rest);
    let Some((first, tail)) = parts.split_first() else {
        return false;
    };
    let Some(mut remaining) = text.strip_prefix(first) else {
        return false;
    };
    if tail.is_empty() {
        return remaining.is_empty();
    }
    for (i, part) in tail.iter().enumerate() {
        if i + 1 == tail.len() {
            return remaining.ends_with(part);
        }
        match remaining.find(part) {
            Some(p) => remaining = &remaining[p + part.len()..],
            None => return false,
        }
    }
    true
}

/// A reply line with the space or hyphen after its code read alike, as templates are
/// written with a space.
fn normal(s: &str) -> String {
    format!("{} {}", s.get(..3).unwrap_or(""), s.get(4..).unwrap_or(""))
}

/// True if one of the lines of `persona`'s reply `key` fits `line`.
fn is_reply(persona: &Persona, key: ReplyKey, line: &str) -> bool {
    persona
        .replies
        .get(&key)
        .is_some_and(|r| r.text.split('\n').any(|t| fits(&normal(t), &normal(line))))
}

/// The persona reply whose template (any of its lines) fits `line` best: first one that answers
/// `command` (when known), then the one with the most literal characters, so
/// `250 OK - Recipient {addr}` beats `250 {host}`.
fn match_reply(persona: &Persona, line: &str, command: Option<CommandKind>) -> Option<ReplyKey> {
    let answers = command.and_then(|c| table().answers.get(&c));
    let mut best: Option<((bool, usize), ReplyKey)> = None;
    for (key, reply) in &persona.replies {
        for tline in reply.text.split('\n') {
            if fits(&normal(tline), &normal(line)) {
                let answers_it = answers.is_some_and(|a| a.contains(key));
                let score = (answers_it, tline.len() - tline.matches('{').count() * 4);
                if best.is_none_or(|(n, _)| score > n) {
                    best = Some((score, *key));
                }
            }
        }
    }
    best.map(|(_, k)| k)
}

/// Explains one reply line (`250 2.1.5 john@contoso.com`, `250-PIPELINING`). `None` if the
/// line does not start with a reply code.
pub fn explain(line: &str, persona: Option<&Persona>) -> Option<Explanation> {
    explain_reply(line, persona, None, None)
}

/// Like [`explain`], knowing which command the reply answers and which persona reply the
/// server said it sent (both from [`super::ServerEvent::Replied`]), so replies worded alike
/// are told apart: the key decides when the line is that reply, else the command helps.
pub fn explain_reply(
    line: &str,
    persona: Option<&Persona>,
    command: Option<CommandKind>,
    sent: Option<ReplyKey>,
) -> Option<Explanation> {
    let line = line.trim_end_matches(['\r', '\n']);
    let code_text = line.get(..3)?;
    if !code_text.bytes().all(|b| b.is_ascii_digit())
        || !matches!(line.as_bytes().get(3), None | Some(b' ') | Some(b'-'))
    {
        return None;
    }
    let code: u16 = code_text.parse().ok()?;
    let t = table();
    let class = t.classes.get(&code_text[..1]).cloned().unwrap_or_default();
    let code_meaning = t
        .codes
        .get(code_text)
        .cloned()
        .unwrap_or_else(|| format!("{class}."));
    let rest = line.get(4..).unwrap_or("");
    let enhanced = rest
        .split(' ')
        .next()
        .filter(|e| is_enhanced(e))
        .map(str::to_owned);
    let enhanced_meaning = enhanced.as_ref().map(|e| {
        let (cls, sub) = e.split_once('.').unwrap_or(("", ""));
        let class = t.classes.get(cls).cloned().unwrap_or_default();
        match t.enhanced.get(sub) {
            Some(m) => format!("{class}: {m}"),
            None => format!("{class}."),
        }
    });
    let mut e = Explanation {
        code,
        code_meaning,
        enhanced,
        enhanced_meaning,
        persona_reply: None,
        persona_meaning: None,
        confidence: None,
        next_step: String::new(),
    };
    if let Some(p) = persona {
        // An EHLO extension line names a keyword of the persona's list.
        let keyword = ehlo_keyword(rest).to_ascii_uppercase();
        if code == 250 && p.ehlo.iter().any(|l| fits(l, rest)) {
            e.persona_reply = Some(ReplyKey::EhloGreeting);
            e.persona_meaning = t.ehlo.get(&keyword).cloned();
            e.confidence = p.replies.get(&ReplyKey::EhloGreeting).map(|r| r.conf);
        } else if let Some(key) = sent
            .filter(|&k| is_reply(p, k, line))
            .or_else(|| match_reply(p, line, command))
        {
            e.persona_reply = Some(key);
            e.confidence = p.replies.get(&key).map(|r| r.conf);
            if let Some(k) = t.replies.get(&key) {
                e.persona_meaning = Some(k.meaning.clone());
                e.next_step = k.next.clone();
            }
        }
    }
    if e.next_step.is_empty() {
        e.next_step = match code / 100 {
            2 | 3 => "Carry on with the next step.".into(),
            4 => "Try again later; if it persists, check the server.".into(),
            _ => "Read the reply, correct the command and type it again.".into(),
        };
    }
    Some(e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::smtp::persona;

    #[test]
    fn the_embedded_json_is_the_toml_table() {
        let from_toml: Table = toml::from_str(include_str!("explain.toml")).unwrap();
        assert_eq!(table(), &from_toml);
    }

    #[test]
    fn the_table_covers_every_reply_key() {
        let t = table();
        assert!(!t.codes.is_empty());
        for key in ReplyKey::ALL {
            assert!(t.replies.contains_key(key), "explain.toml lacks {key:?}");
        }
    }

    #[test]
    fn lines_are_matched_to_persona_replies() {
        let p = persona::get("exchange2003");
        let table = [
            (
                "550 5.7.1 Unable to relay for x@fabrikam.com",
                Some(ReplyKey::RelayDenied),
                Some("5.7.1"),
            ),
            (
                "250 2.1.0 admin@test.com....Sender OK",
                Some(ReplyKey::MailOk),
                Some("2.1.0"),
            ),
            ("250-PIPELINING", Some(ReplyKey::EhloGreeting), None),
            ("250-SIZE", Some(ReplyKey::EhloGreeting), None),
            (
                "500 5.3.3 Unrecognized command",
                Some(ReplyKey::UnknownCommand),
                Some("5.3.3"),
            ),
            (
                "354 Start mail input; end with <CRLF>.<CRLF>",
                Some(ReplyKey::DataStart),
                None,
            ),
        ];
        for (line, key, enh) in table {
            let e = explain(line, p);
            assert_eq!(e.as_ref().and_then(|e| e.persona_reply), key, "{line}");
            assert_eq!(
                e.as_ref().and_then(|e| e.enhanced.clone()).as_deref(),
                enh,
                "{line}"
            );
            assert!(e.is_some_and(|e| !e.next_step.is_empty() && !e.code_meaning.is_empty()));
        }
    }

    #[test]
    fn ntlm_s_334_says_why_telnet_stops_there() {
        for id in ["exchange2003", "exchange2016"] {
            let e = explain("334 NTLM supported", persona::get(id));
            assert_eq!(
                e.as_ref().and_then(|e| e.persona_reply),
                Some(ReplyKey::AuthNtlm),
                "{id}"
            );
            let e = e.unwrap_or_else(|| panic!("{id}: not explained"));
            assert!(e.persona_meaning.unwrap_or_default().contains("Telnet"));
            assert!(e.next_step.contains("AUTH LOGIN"), "{}", e.next_step);
        }
    }

    #[test]
    fn an_unknown_command_is_not_blamed_on_backspace_alone() {
        // "FOO" or a Subject line typed before DATA gets the same 500 as a line with a BS byte.
        for id in ["exchange2003", "exchange2016"] {
            let e = explain("500 5.3.3 Unrecognized command", persona::get(id))
                .unwrap_or_else(|| panic!("{id}: not explained"));
            let meaning = e.persona_meaning.unwrap_or_default();
            for cause in ["misspelt", "before DATA", "Backspace"] {
                assert!(meaning.contains(cause), "{id}: {meaning}");
            }
            assert!(e.next_step.contains("spelt right"), "{id}: {}", e.next_step);
        }
    }

    #[test]
    fn ehlo_keywords_are_explained() {
        let e = explain("250-SIZE 2097152", persona::get("iis6"));
        assert!(e.is_some_and(|e| e.persona_meaning.unwrap_or_default().contains("largest")));
        let e = explain("250-XEXCH50", persona::get("exchange2003"));
        assert!(e.is_some_and(|e| e.persona_meaning.unwrap_or_default().contains("damaged")));
    }

    #[test]
    fn kb_240832s_reply_is_explained_for_exchange55() {
        let e = explain("501 Invalid Address", persona::get("exchange55"));
        assert_eq!(
            e.as_ref().and_then(|e| e.persona_reply),
            Some(ReplyKey::HelloBadDomain)
        );
        assert!(e.is_some_and(|e| e.persona_meaning.unwrap_or_default().contains("KB 240832")));
    }

    #[test]
    fn the_command_tells_alike_replies_apart() {
        let p = persona::get("exchange55");
        let table = [
            (Some(CommandKind::EndOfData), ReplyKey::DataOk),
            (Some(CommandKind::Noop), ReplyKey::NoopOk),
            (Some(CommandKind::Ehlo), ReplyKey::EhloGreeting),
        ];
        for (command, want) in table {
            let e = explain_reply("250 OK", p, command, None);
            assert_eq!(e.and_then(|e| e.persona_reply), Some(want), "{command:?}");
        }
        assert!(!super::table().answers.is_empty());
        // Exchange 2016 fails X-EXPS in its words for a failed AUTH.
        let p = persona::get("exchange2016");
        let line = "535 5.7.3 Authentication unsuccessful";
        let table = [
            (CommandKind::ExchangeVerb, ReplyKey::ExchangeVerb),
            (CommandKind::AuthResponse, ReplyKey::AuthFailed),
        ];
        for (command, want) in table {
            let e = explain_reply(line, p, Some(command), None);
            assert_eq!(e.and_then(|e| e.persona_reply), Some(want), "{command:?}");
        }
    }

    /// Personas word different situations alike (IIS and Exchange 5.5 answer a bare `HELO`
    /// and a bad domain with one `501 Invalid Address`); the command cannot tell them apart
    /// (both answer HELO), the key the server sent can. For every persona, each key of every
    /// pair with the same text is explained as itself, with its own confidence, even given a
    /// command the other key answers.
    #[test]
    fn the_key_sent_decides_between_replies_worded_alike() {
        let mut pairs = 0;
        for p in persona::all() {
            for (a, ra) in &p.replies {
                for (b, rb) in &p.replies {
                    if a == b || ra.text != rb.text {
                        continue;
                    }
                    pairs += 1;
                    let line = ra.text.split('\n').next().unwrap_or_default();
                    let commands = super::table()
                        .answers
                        .iter()
                        .filter(|(_, keys)| keys.contains(b))
                        .map(|(c, _)| Some(*c));
                    for command in std::iter::once(None).chain(commands) {
                        let e = explain_reply(line, Some(p), command, Some(*a));
                        let what = format!("{} {a:?} (not {b:?}) after {command:?}", p.id);
                        assert_eq!(e.as_ref().and_then(|e| e.persona_reply), Some(*a), "{what}");
                        assert_eq!(e.and_then(|e| e.confidence), Some(ra.conf), "{what}");
                    }
                }
            }
        }
        assert!(pairs > 0, "some persona words two replies alike");
        // The case found in use: Exchange 5.5's bare HELO is not KB 240832's bad domain.
        let p = persona::get("exchange55");
        let e = explain_reply(
            "501 Invalid Address",
            p,
            Some(CommandKind::Helo),
            Some(ReplyKey::HeloNoDomain),
        );
        assert_eq!(e.as_ref().and_then(|e| e.confidence), Some(Confidence::R));
        let meaning = e.and_then(|e| e.persona_meaning).unwrap_or_default();
        assert!(meaning.contains("HELO needs your domain"), "{meaning}");
    }

    /// The enhanced codes the personas send, each with words its RFC 3463 entry gives and
    /// words it must not say: 2.6.0 is Microsoft's "Queued mail for delivery", not a refusal;
    /// X.7.3 is "security conversion required but not possible", not X.7.4's "security
    /// features not supported"; X.5.2 is a syntax error (`500 5.5.2 Command too long`), not
    /// only a command out of sequence.
    #[test]
    fn enhanced_codes_say_what_rfc_3463_says() {
        let table = [
            (
                "exchange2016",
                "250 2.6.0 <a@b> [InternalId=1, Hostname=h] Queued mail for delivery",
                "media",
                "refused",
            ),
            (
                "iis6",
                "250 2.6.0 <a@b> Queued mail for delivery",
                "media",
                "refused",
            ),
            (
                "exchange2016",
                "554 5.6.0 Invalid message content, contains bare linefeeds",
                "cannot take that content",
                "Success",
            ),
            (
                "iis6",
                "530 5.7.3 Client was not authenticated",
                "Security conversion required but not possible",
                "Security features not supported",
            ),
            (
                "exchange2016",
                "535 5.7.3 Authentication unsuccessful",
                "Security conversion required but not possible",
                "Security features not supported",
            ),
            (
                "exchange2016",
                "500 5.5.2 Command too long",
                "Syntax error: the command could not be interpreted",
                "(a command in the wrong order)",
            ),
        ];
        for (id, line, says, never) in table {
            let meaning = explain(line, persona::get(id))
                .and_then(|e| e.enhanced_meaning)
                .unwrap_or_default();
            assert!(meaning.contains(says), "{line}: {meaning}");
            assert!(!meaning.contains(never), "{line}: {meaning}");
        }
    }

    /// A meaning must hold for every version that sends the reply: Exchange 5.5 answers EHLO
    /// with a bare `250 OK` (no list), Exchange 2016 accepts `EHLO sub2.` (so a trailing dot is
    /// not why it says 501 5.5.4), and a 500 is not always a Backspace's doing.
    #[test]
    fn reply_meanings_hold_for_every_version_that_sends_them() {
        let table = [
            (
                "exchange55",
                "250 OK",
                Some(CommandKind::Ehlo),
                ReplyKey::EhloGreeting,
                "Exchange 5.5 answers a bare 250 OK",
            ),
            (
                "exchange2016",
                "501 5.5.4 Invalid domain name",
                Some(CommandKind::Ehlo),
                ReplyKey::HelloBadDomain,
                "later versions accept that dot",
            ),
            (
                "iis6",
                "500 5.3.3 Unrecognized command",
                None,
                ReplyKey::UnknownCommand,
                "or a command corrected with Backspace",
            ),
        ];
        for (id, line, command, key, says) in table {
            let e = explain_reply(line, persona::get(id), command, None);
            assert_eq!(
                e.as_ref().and_then(|e| e.persona_reply),
                Some(key),
                "{line}"
            );
            let meaning = e.and_then(|e| e.persona_meaning).unwrap_or_default();
            assert!(meaning.contains(says), "{id} {line}: {meaning}");
        }
    }

    #[test]
    fn non_replies_are_not_explained() {
        for line in ["", "hello", "25", "2500 x", "Connection to host lost."] {
            assert!(explain(line, None).is_none(), "{line}");
        }
        assert_eq!(
            explain("299 odd", None).map(|e| e.code_meaning),
            Some("Success.".into())
        );
    }

    #[test]
    fn templates_fit_with_wildcards() {
        let table = [
            (
                "250 OK - Recipient {addr}",
                "250 OK - Recipient a@b.c",
                true,
            ),
            ("250 OK", "250 OK - Recipient a@b.c", false),
            ("250 {host} Hello [{ip}]", "250 mail Hello [1.2.3.4]", true),
            ("250 {host} Hello [{ip}]", "250 mail Hello 1.2.3.4", false),
        ];
        for (t, line, ok) in table {
            assert_eq!(fits(t, line), ok, "{t} / {line}");
        }
    }
}
