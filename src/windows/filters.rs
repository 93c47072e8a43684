//! The filters a learner pipes output into: `find` and `findstr` (and what `more` pages). Pure functions of their arguments, their input and a way to read a file, so each
//! rule is a plain test.

use super::text;

/// What a filter printed, and whether it failed (exit status 1: nothing matched, or an error).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    /// Lines for handle 1.
    pub out: Vec<String>,
    /// Lines for handle 2 (a missing file).
    pub err: Vec<String>,
    pub failed: bool,
}

/// Reads a file as `type` does, or gives cmd's message.
pub type Read<'a> = &'a dyn Fn(&str) -> Result<String, &'static str>;

/// A command's arguments as `find` and `findstr` see them: quoted parts keep their blanks and
/// lose their quotes, and say they were quoted.
fn args(raw: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut chars = raw.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut word = String::new();
        let mut quoted = false;
        let mut inside = false;
        while let Some(&c) = chars.peek() {
            if c == '"' {
                inside = !inside;
                quoted = true;
            } else if c.is_whitespace() && !inside {
                break;
            } else {
                word.push(c);
            }
            chars.next();
        }
        out.push((word, quoted));
    }
    out
}

/// `find`, `findstr` and `more` over `input` (or the files they name): one engine, so the
/// browser build carries one search loop.
///
/// `find [/v] [/c] [/n] [/i] "string" [file...]` (C: the switches, the heading per file, the
/// count, `[n]` numbers; the string must be quoted). `findstr [/b] [/e] [/i] [/n] [/v]
/// [/c:"a b"] [strings] [file...]`: a line matches when any string does (blanks separate
/// strings unless `/c:` gives one), each read as findstr's regular expressions do for `.`,
/// `*`, `^` and `$` (C: the switches, `name:line` and `n:line`). Both fail (exit status 1)
/// when no line was shown or counted (M). `more [file]` gives the lines it will page.
pub fn run(name: &str, raw: &str, input: &str, read: Read) -> Output {
    let find = name == "find";
    let (mut invert, mut count, mut number, mut fold, mut begin, mut end) =
        (false, false, false, false, false, false);
    let mut patterns: Vec<String> = Vec::new();
    let mut given = false;
    let mut files = Vec::new();
    for (word, quoted) in args(raw) {
        let lower = word.to_ascii_lowercase();
        if !quoted && lower == "/?" {
            return Output {
                out: super::cmd::help_lines(name),
                ..Output::default()
            };
        }
        if !find && lower.starts_with("/c:") {
            patterns.push(word[3..].to_string());
            given = true;
        } else if let Some(switches) = lower.strip_prefix('/').filter(|_| !quoted) {
            if find
                && !matches!(switches, "off" | "offline")
                && !switches.chars().all(|c| "vcni".contains(c))
            {
                return fail(text::FIND_SWITCH.to_string());
            }
            for c in switches.chars() {
                match c {
                    'v' => invert = true,
                    'c' => count = find,
                    'n' => number = true,
                    'i' => fold = true,
                    'b' => begin = !find,
                    'e' => end = !find,
                    // find's /OFF and findstr's /R, /L and the rest change nothing here.
                    _ => {}
                }
            }
        } else if name == "more" || given {
            files.push(word);
        } else if find && !quoted {
            return fail(text::FIND_FORMAT.to_string());
        } else {
            if find {
                patterns.push(word);
            } else {
                patterns.extend(word.split_whitespace().map(str::to_string));
            }
            given = true;
        }
    }
    if name == "more" {
        let text = match files.first().map(|f| (f, read(f))) {
            // R: more names the file by its full path; the name as typed is close enough.
            Some((f, Err(_))) => return fail(format!("Cannot access file {f}")),
            Some((_, Ok(t))) => t,
            None => input.to_string(),
        };
        return Output {
            out: text.lines().map(str::to_string).collect(),
            ..Output::default()
        };
    }
    if !find {
        patterns.retain(|p| !p.is_empty());
    }
    // find's `""` matches no line, so `find /v ""` shows them all (M: the known idiom).
    let never = find && patterns.first().is_some_and(String::is_empty);
    if patterns.is_empty() {
        return fail(
            if find {
                text::FIND_FORMAT
            } else {
                text::FINDSTR_BAD
            }
            .to_string(),
        );
    }
    // M: findstr's limit on a search string; it also bounds the matcher's work per line.
    if patterns.iter().any(|p| p.len() > 127) {
        return fail(text::FINDSTR_TOO_LONG.to_string());
    }
    let matchers: Vec<Pattern> = patterns
        .iter()
        .map(|p| Pattern::new(p, fold, begin, end, find))
        .collect();
    let mut o = Output::default();
    let mut sources = Vec::new();
    if files.is_empty() {
        sources.push((None, input.to_string()));
    }
    for f in &files {
        match read(f) {
            Ok(t) => sources.push((Some(f.as_str()), t)),
            Err(_) if find => o.err.push(text::find_no_file(f)),
            Err(_) => o.err.push(text::findstr_no_file(f)),
        }
    }
    let named = files.len() > 1;
    let mut any = false;
    for (file, text) in &sources {
        let mut n = 0;
        let mut shown = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if (!never && matchers.iter().any(|m| m.is_match(line))) == invert {
                continue;
            }
            n += 1;
            let mut s = String::new();
            if let (false, true, Some(f)) = (find, named, file) {
                s.push_str(f);
                s.push(':');
            }
            if number {
                s.push_str(&if find {
                    format!("[{}]", i + 1)
                } else {
                    format!("{}:", i + 1)
                });
            }
            s.push_str(line);
            shown.push(s);
        }
        any |= n > 0;
        if find {
            if let Some(f) = file {
                o.out.push(String::new());
                let heading = text::find_heading(f);
                o.out.push(if count {
                    format!("{heading}: {n}")
                } else {
                    heading
                });
            } else if count {
                o.out.push(n.to_string());
            }
        }
        if !count {
            o.out.extend(shown);
        }
    }
    o.failed = !any;
    o
}

/// A filter that printed only its error.
fn fail(message: String) -> Output {
    Output {
        err: vec![message],
        failed: true,
        ..Output::default()
    }
}

/// One findstr expression: characters or `.` (any), each possibly repeated by `*`, with `^`
/// and `$` anchors; `\` makes the next character plain.
struct Pattern {
    atoms: Vec<(Option<char>, bool)>,
    start: bool,
    end: bool,
    fold: bool,
}

impl Pattern {
    /// `literal`: every character stands for itself (find's string).
    fn new(p: &str, fold: bool, begin: bool, end: bool, literal: bool) -> Pattern {
        let mut chars: Vec<char> = if fold {
            p.to_ascii_lowercase().chars().collect()
        } else {
            p.chars().collect()
        };
        if literal {
            return Pattern {
                atoms: chars.into_iter().map(|c| (Some(c), false)).collect(),
                start: false,
                end: false,
                fold,
            };
        }
        let start = begin || chars.first() == Some(&'^');
        if chars.first() == Some(&'^') {
            chars.remove(0);
        }
        let anchored_end =
            chars.last() == Some(&'$') && chars.len() >= 2 && chars[chars.len() - 2] != '\\';
        if anchored_end || chars == ['$'] {
            chars.pop();
        }
        let mut atoms: Vec<(Option<char>, bool)> = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let atom = match chars[i] {
                '\\' if i + 1 < chars.len() => {
                    i += 1;
                    Some(chars[i])
                }
                '.' => None,
                '*' if !atoms.is_empty() => {
                    if let Some(last) = atoms.last_mut() {
                        last.1 = true;
                    }
                    i += 1;
                    continue;
                }
                c => Some(c),
            };
            atoms.push((atom, false));
            i += 1;
        }
        Pattern {
            atoms,
            start,
            end: end || anchored_end,
            fold,
        }
    }

    /// Runs the expression as a set of states over the line: linear in the line's length for
    /// each atom, however many `*` a learner types.
    fn is_match(&self, line: &str) -> bool {
        let line: Vec<char> = if self.fold {
            line.to_ascii_lowercase().chars().collect()
        } else {
            line.chars().collect()
        };
        let k = self.atoms.len();
        let mut states = vec![false; k + 1];
        let close = |states: &mut Vec<bool>| {
            for i in 0..k {
                if states[i] && self.atoms[i].1 {
                    states[i + 1] = true;
                }
            }
        };
        states[0] = true;
        close(&mut states);
        for c in &line {
            if states[k] && !self.end {
                return true;
            }
            let mut next = vec![false; k + 1];
            for i in 0..k {
                let (atom, star) = self.atoms[i];
                if states[i] && atom.is_none_or(|a| a == *c) {
                    next[if star { i } else { i + 1 }] = true;
                }
            }
            if !self.start {
                next[0] = true;
            }
            close(&mut next);
            states = next;
        }
        states[k]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const IP: &str = "Windows IP Configuration\r\n\r\n   Host Name . . : WS01\r\n   DNS Servers . : 10.0.0.2\r\n   dns suffix . : contoso.com\r\n";

    fn read(name: &str) -> Result<String, &'static str> {
        match name.to_ascii_lowercase().as_str() {
            "ip.txt" => Ok(IP.to_string()),
            _ => Err(text::FILE_NOT_SPECIFIED),
        }
    }

    fn out(o: &Output) -> Vec<&str> {
        o.out.iter().map(String::as_str).collect()
    }

    #[test]
    fn find_matches_counts_numbers_and_inverts() {
        let o = run("find", " \"DNS\"", IP, &read);
        assert_eq!(
            (out(&o), o.failed),
            (vec!["   DNS Servers . : 10.0.0.2"], false)
        );
        let o = run("find", "/i /c \"dns\"", IP, &read);
        assert_eq!(out(&o), vec!["2"]);
        assert_eq!(
            run("find", "/v /n \"\"", "a\nb", &read).out,
            vec!["[1]a", "[2]b"]
        );
        assert_eq!(run("find", "\"\"", "a\nb", &read).out, Vec::<String>::new());
        let o = run("find", "/N /v \"s\"", IP, &read);
        assert_eq!(out(&o), vec!["[2]"]);
        let o = run("find", "\"nothing\"", IP, &read);
        assert_eq!((out(&o), o.failed), (vec![], true));
        let o = run("find", "\"DNS\" ip.txt none.txt", "", &read);
        assert_eq!(
            out(&o),
            vec!["", "---------- IP.TXT", "   DNS Servers . : 10.0.0.2"]
        );
        assert_eq!(o.err, vec!["File not found - NONE.TXT"]);
        let o = run("find", "/c \"DNS\" ip.txt", "", &read);
        assert_eq!(out(&o), vec!["", "---------- IP.TXT: 1"]);
        // A switch find does not know is refused before any search; /OFF is one it knows.
        for bad in ["/x \"a\"", "\"a\" /b", "/vx \"a\""] {
            assert_eq!(
                run("find", bad, IP, &read),
                fail(text::FIND_SWITCH.into()),
                "{bad}"
            );
        }
        assert_eq!(run("find", "/off \"DNS\"", IP, &read).out.len(), 1);
        // The string must be quoted, and there must be one.
        for bad in ["DNS", "", "/i"] {
            assert_eq!(
                run("find", bad, IP, &read),
                fail(text::FIND_FORMAT.into()),
                "{bad}"
            );
        }
        assert!(run("find", "/?", "", &read).out[0].starts_with("Searches"));
    }

    #[test]
    fn findstr_takes_words_literals_switches_and_simple_expressions() {
        let lines = |args: &str| run("findstr", args, IP, &read).out;
        assert_eq!(
            lines("\"DNS Host\""),
            vec!["   Host Name . . : WS01", "   DNS Servers . : 10.0.0.2"]
        );
        assert_eq!(
            lines("/i /c:\"dns s\""),
            vec![
                "   DNS Servers . : 10.0.0.2",
                "   dns suffix . : contoso.com"
            ]
        );
        assert_eq!(lines("/n WS01"), vec!["3:   Host Name . . : WS01"]);
        assert_eq!(lines("/b Windows"), vec!["Windows IP Configuration"]);
        assert_eq!(lines("/b DNS"), Vec::<String>::new());
        assert_eq!(lines("com$"), vec!["   dns suffix . : contoso.com"]);
        assert_eq!(lines("/e .2"), vec!["   DNS Servers . : 10.0.0.2"]);
        assert_eq!(lines("^W.*n$"), vec!["Windows IP Configuration"]);
        assert_eq!(lines("10\\.0.*2"), vec!["   DNS Servers . : 10.0.0.2"]);
        assert_eq!(lines("/v /r ."), vec![""]);
        assert_eq!(
            run("findstr", "zzz ip.txt", "", &read).out,
            Vec::<String>::new()
        );
        let o = run("findstr", "WS01 ip.txt ip.txt nope", "", &read);
        assert_eq!(o.out, vec!["ip.txt:   Host Name . . : WS01"; 2]);
        assert_eq!(o.err, vec!["FINDSTR: Cannot open nope"]);
        assert!(run("findstr", "", IP, &read).failed);
        // Many stars cost no more than one.
        let p = Pattern::new(&"a*".repeat(200), false, false, true, false);
        assert!(p.is_match(&"a".repeat(500)));
        assert_eq!(
            run("findstr", &"x".repeat(128), IP, &read).err,
            vec![text::FINDSTR_TOO_LONG]
        );
    }

    #[test]
    fn more_reads_its_file_or_its_input() {
        assert_eq!(run("more", "ip.txt", "", &read).out.len(), 5);
        assert_eq!(run("more", "", "a\nb", &read).out, vec!["a", "b"]);
        assert_eq!(
            run("more", "nope", "", &read).err,
            vec!["Cannot access file nope"]
        );
        assert!(run("more", "/?", "", &read).out[0].starts_with("Displays"));
    }
}
