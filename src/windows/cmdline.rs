//! How cmd.exe cuts a typed line into commands before it runs any: the separators `&`,
//! `&&` and `||`, pipes `|`, and the redirections `>`, `>>`, `1>`, `2>`, `2>&1` and `<`,
//! all outside double quotes and unless escaped with `^`.
//!
//! Confidence, as in the reference: the operators and their meaning are Microsoft's own
//! documentation (C); that the blank before a `>` stays in the command (`echo hi > a.txt`
//! writes `hi ` and CR LF) and that a digit glued to `>` is a handle (`echo a2>x` redirects
//! handle 2) are widely reported cmd behaviour (M); the messages for a misplaced operator are
//! reasoned from the same reports (R).

use super::text;

/// When a command after a separator runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Join {
    /// `&`, or the line's first command: always.
    Always,
    /// `&&`: only if the command before succeeded (exit status 0).
    IfOk,
    /// `||`: only if it failed.
    IfFail,
}

/// Where a handle goes instead of the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sink {
    /// A file, created or emptied (`>`) or added to (`>>`).
    File { path: String, append: bool },
    /// The other handle: `2>&1` sends errors where output goes, `1>&2` the reverse.
    Other,
}

/// One command of a pipeline with its redirections taken out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Simple {
    /// The command as typed, redirections removed and `^` escapes resolved: the blanks around a
    /// removed redirection stay, as cmd leaves them.
    pub text: String,
    /// Handle 1 (output), when redirected.
    pub out: Option<Sink>,
    /// Handle 2 (error messages), when redirected.
    pub err: Option<Sink>,
    /// `< FILE`: the file read as input.
    pub input: Option<String>,
}

/// Commands joined by `|`: each one's output is the next one's input.
pub type Pipeline = Vec<Simple>;

/// A typed line: pipelines, each with the rule that says whether it runs.
pub type Line = Vec<(Join, Pipeline)>;

/// A line cmd refuses before running any of it, with the message it prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError(pub String);

/// Cuts `line` as cmd does. Quotes stay in the command text (programs see them); `^` outside
/// quotes makes the next character plain and is dropped.
pub fn parse(line: &str) -> Result<Line, SyntaxError> {
    let chars: Vec<char> = line.chars().collect();
    let mut out: Line = Vec::new();
    let mut pipeline: Pipeline = Vec::new();
    let mut cur = Simple::default();
    let mut join = Join::Always;
    let mut quoted = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if quoted {
            quoted = c != '"';
            cur.text.push(c);
            i += 1;
            continue;
        }
        match c {
            '"' => {
                quoted = true;
                cur.text.push(c);
                i += 1;
            }
            '^' => {
                if let Some(&next) = chars.get(i + 1) {
                    cur.text.push(next);
                }
                i += 2;
            }
            '|' | '&' => {
                let double = chars.get(i + 1) == Some(&c);
                let op = match (c, double) {
                    ('|', false) => "|",
                    ('|', true) => "||",
                    (_, false) => "&",
                    _ => "&&",
                };
                i += op.len();
                if cur.text.trim().is_empty() {
                    // Nothing before the operator (redirections alone do not count).
                    return Err(SyntaxError(text::unexpected(op)));
                }
                pipeline.push(std::mem::take(&mut cur));
                if op == "|" {
                    continue;
                }
                out.push((join, std::mem::take(&mut pipeline)));
                join = match op {
                    "&&" => Join::IfOk,
                    "||" => Join::IfFail,
                    _ => Join::Always,
                };
            }
            '<' | '>' => {
                // A single digit glued before `>` names the handle (`2>`, and `a2>x` too).
                let handle = match cur.text.chars().last() {
                    Some(d @ ('1' | '2')) if c == '>' => {
                        cur.text.pop();
                        d
                    }
                    _ => '1',
                };
                let append = c == '>' && chars.get(i + 1) == Some(&'>');
                i += 1 + usize::from(append);
                if c == '>' && chars.get(i) == Some(&'&') {
                    let to = chars.get(i + 1).copied();
                    i += 2;
                    if !matches!(to, Some('1' | '2')) {
                        return Err(SyntaxError(text::SET_SYNTAX.to_string()));
                    }
                    let sink = Some(Sink::Other);
                    if handle == '2' {
                        cur.err = sink;
                    } else {
                        cur.out = sink;
                    }
                    continue;
                }
                let (name, next) = word(&chars, i);
                i = next;
                if name.is_empty() {
                    return Err(SyntaxError(text::SET_SYNTAX.to_string()));
                }
                if c == '<' {
                    cur.input = Some(name);
                } else if handle == '2' {
                    cur.err = Some(Sink::File { path: name, append });
                } else {
                    cur.out = Some(Sink::File { path: name, append });
                }
            }
            _ => {
                cur.text.push(c);
                i += 1;
            }
        }
    }
    let last_empty = cur.text.trim().is_empty();
    if last_empty && !pipeline.is_empty() {
        // `ipconfig |` : a pipe to nothing.
        return Err(SyntaxError(text::SET_SYNTAX.to_string()));
    }
    if last_empty && join != Join::Always {
        return Err(SyntaxError(text::SET_SYNTAX.to_string()));
    }
    if !last_empty || cur.out.is_some() || cur.err.is_some() || cur.input.is_some() {
        pipeline.push(cur);
    }
    if !pipeline.is_empty() {
        out.push((join, pipeline));
    }
    Ok(out)
}

/// The file name after a redirection: blanks before it skipped, then up to a blank or an
/// operator outside quotes; quotes are dropped and `^` escapes. Returns it and where it ends.
fn word(chars: &[char], mut i: usize) -> (String, usize) {
    while chars.get(i).is_some_and(|c| *c == ' ' || *c == '\t') {
        i += 1;
    }
    let mut name = String::new();
    let mut quoted = false;
    while let Some(&c) = chars.get(i) {
        match c {
            '"' => quoted = !quoted,
            '^' if !quoted => {
                i += 1;
                if let Some(&n) = chars.get(i) {
                    name.push(n);
                }
            }
            ' ' | '\t' | '|' | '&' | '<' | '>' if !quoted => break,
            c => name.push(c),
        }
        i += 1;
    }
    (name, i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, append: bool) -> Option<Sink> {
        Some(Sink::File {
            path: path.to_string(),
            append,
        })
    }

    fn one(line: &str) -> Simple {
        let parsed = parse(line).unwrap_or_default();
        assert_eq!(parsed.len(), 1, "{line}");
        assert_eq!(parsed[0].1.len(), 1, "{line}");
        parsed[0].1[0].clone()
    }

    #[test]
    fn redirections_leave_the_blanks_around_them() {
        let s = one("echo hello > a.txt");
        assert_eq!(s.text, "echo hello ");
        assert_eq!(s.out, file("a.txt", false));
        assert_eq!(one("echo hello>a.txt").text, "echo hello");
        let s = one(">a.txt echo hi");
        assert_eq!((s.text.as_str(), s.out), (" echo hi", file("a.txt", false)));
        let s = one("echo a > f b");
        assert_eq!(s.text, "echo a  b");
        let s = one("nslookup -q=mx contoso.com >> \"my file.txt\"");
        assert_eq!(s.text, "nslookup -q=mx contoso.com ");
        assert_eq!(s.out, file("my file.txt", true));
        let s = one("more < ip.txt");
        assert_eq!((s.text.as_str(), s.input), ("more ", Some("ip.txt".into())));
        let s = one("ping x 1> o.txt 2>&1");
        assert_eq!(s.text, "ping x  ");
        assert_eq!((s.out, s.err), (file("o.txt", false), Some(Sink::Other)));
        let s = one("dir nothere 2>nul");
        assert_eq!(
            (s.text.as_str(), s.err),
            ("dir nothere ", file("nul", false))
        );
        // A handle digit glued to `>` is taken as the handle, as cmd does.
        let s = one("echo a2>x");
        assert_eq!((s.text.as_str(), s.err), ("echo a", file("x", false)));
    }

    #[test]
    fn quotes_and_carets_make_operators_plain() {
        let s = one("find \"a > b | c & d\"");
        assert_eq!((s.text.as_str(), s.out), ("find \"a > b | c & d\"", None));
        let s = one("echo a ^> b ^| c ^& d ^^");
        assert_eq!((s.text.as_str(), s.out), ("echo a > b | c & d ^", None));
        assert_eq!(one("echo x^").text, "echo x");
        // An unclosed quote runs to the end of the line.
        assert_eq!(one("echo \"a | b").text, "echo \"a | b");
    }

    #[test]
    fn pipes_and_separators_split_the_line() {
        let line = parse("ipconfig /all | find \"DNS\" | more & echo x && ver || vol").unwrap();
        let joins: Vec<Join> = line.iter().map(|(j, _)| *j).collect();
        assert_eq!(
            joins,
            vec![Join::Always, Join::Always, Join::IfOk, Join::IfFail]
        );
        let texts: Vec<&str> = line[0].1.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, vec!["ipconfig /all ", " find \"DNS\" ", " more "]);
        assert_eq!(line[3].1[0].text, " vol");
        // A trailing `&` ends the line quietly.
        assert_eq!(parse("echo a &").map(|l| l.len()), Ok(1));
        assert_eq!(parse("   ").map(|l| l.len()), Ok(0));
    }

    #[test]
    fn misplaced_operators_are_refused() {
        let syntax = Err(SyntaxError(text::SET_SYNTAX.to_string()));
        for line in [
            "ipconfig |",
            "ipconfig | ",
            "echo >",
            "echo >> ",
            "type <",
            "echo a &&",
            "echo a ||",
            "echo 2>&x",
            "echo a | >x",
        ] {
            assert_eq!(parse(line), syntax, "{line}");
        }
        for (line, op) in [
            ("| more", "|"),
            ("& echo", "&"),
            ("&& x", "&&"),
            ("a & || b", "||"),
        ] {
            assert_eq!(
                parse(line),
                Err(SyntaxError(text::unexpected(op))),
                "{line}"
            );
        }
    }
}
