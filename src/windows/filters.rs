//! The filters a learner pipes output into: `find`, `findstr` and `sort` (and what `more`
//! pages). Pure functions of their arguments, their input and a way to read a file, so each
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

/// The lines of a file or of piped text, line ends (CR LF or LF) removed.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
}

/// `find [/v] [/c] [/n] [/i] "string" [file...]` (C: the switches, the heading per file, the
/// count, `[n]` numbers; exit status 1 when no line was shown or counted, M).
pub fn find(raw: &str, input: &str, read: Read) -> Output {
    let (mut invert, mut count, mut number, mut fold) = (false, false, false, false);
    let mut wanted: Option<String> = None;
    let mut files = Vec::new();
    let mut o = Output::default();
    for (word, quoted) in args(raw) {
        match word.to_ascii_lowercase().as_str() {
            "/?" if !quoted => return help("find"),
            "/v" if !quoted => invert = true,
            "/c" if !quoted => count = true,
            "/n" if !quoted => number = true,
            "/i" if !quoted => fold = true,
            "/off" | "/offline" if !quoted => {}
            _ if wanted.is_none() && quoted => wanted = Some(word),
            _ if wanted.is_some() => files.push(word),
            _ => return format_error(),
        }
    }
    let Some(wanted) = wanted else {
        return format_error();
    };
    let wanted = if fold { wanted.to_lowercase() } else { wanted };
    let mut any = false;
    let mut search = |text: &str, heading: Option<&str>, o: &mut Output| {
        let mut n = 0;
        let mut shown = Vec::new();
        for (i, line) in lines(text).enumerate() {
            let hit = if fold {
                line.to_lowercase().contains(&wanted)
            } else {
                line.contains(&wanted)
            };
            if hit != invert {
                n += 1;
                if !count {
                    shown.push(if number {
                        format!("[{}]{line}", i + 1)
                    } else {
                        line.to_string()
                    });
                }
            }
        }
        any |= n > 0;
        match (heading, count) {
            (Some(h), true) => {
                o.out.push(String::new());
                o.out.push(format!("{}: {n}", text::find_heading(h)));
            }
            (Some(h), false) => {
                o.out.push(String::new());
                o.out.push(text::find_heading(h));
            }
            (None, true) => o.out.push(n.to_string()),
            (None, false) => {}
        }
        o.out.extend(shown);
    };
    if files.is_empty() {
        search(input, None, &mut o);
    }
    for f in &files {
        match read(f) {
            Ok(t) => search(&t, Some(f), &mut o),
            Err(_) => o.err.push(text::find_no_file(f)),
        }
    }
    o.failed = !any;
    o
}

fn format_error() -> Output {
    Output {
        err: vec![text::FIND_FORMAT.to_string()],
        failed: true,
        ..Output::default()
    }
}

fn help(topic: &str) -> Output {
    Output {
        out: super::cmd::help_lines(topic),
        ..Output::default()
    }
}

/// `findstr [/b] [/e] [/i] [/n] [/v] [/c:"a b"] [strings] [file...]`: a line matches when any
/// string does (blanks separate strings unless `/c:` gives one), each read as findstr's
/// regular expressions do for `.`, `*`, `^` and `$` (C: the switches and the `name:line` and
/// `n:line` forms; M: exit status 1 when nothing matched).
pub fn findstr(raw: &str, input: &str, read: Read) -> Output {
    let (mut begin, mut end, mut fold, mut number, mut invert) =
        (false, false, false, false, false);
    let mut patterns: Vec<String> = Vec::new();
    let mut given = false;
    let mut files = Vec::new();
    for (word, quoted) in args(raw) {
        let lower = word.to_ascii_lowercase();
        if !quoted && lower == "/?" {
            return help("findstr");
        }
        if lower.starts_with("/c:") {
            patterns.push(word[3..].to_string());
            given = true;
        } else if let Some(flags) = lower.strip_prefix('/').filter(|_| !quoted) {
            for f in flags.chars() {
                match f {
                    'b' => begin = true,
                    'e' => end = true,
                    'i' => fold = true,
                    'n' => number = true,
                    'v' => invert = true,
                    // /R, /L and the rest change nothing the simulator needs.
                    _ => {}
                }
            }
        } else if !given {
            patterns.extend(word.split_whitespace().map(str::to_string));
            given = true;
        } else {
            files.push(word);
        }
    }
    patterns.retain(|p| !p.is_empty());
    if patterns.is_empty() {
        return Output {
            err: vec![text::FINDSTR_BAD.to_string()],
            failed: true,
            ..Output::default()
        };
    }
    // M: findstr's limit on a search string; it also bounds the matcher's work per line.
    if patterns.iter().any(|p| p.len() > 127) {
        return Output {
            err: vec![text::FINDSTR_TOO_LONG.to_string()],
            failed: true,
            ..Output::default()
        };
    }
    let compiled: Vec<Pattern> = patterns
        .iter()
        .map(|p| Pattern::new(p, fold, begin, end))
        .collect();
    let mut o = Output::default();
    let mut any = false;
    let named = files.len() > 1;
    let mut search = |name: &str, text: &str, o: &mut Output| {
        for (i, line) in lines(text).enumerate() {
            let hit = compiled.iter().any(|p| p.is_match(line));
            if hit != invert {
                any = true;
                let mut shown = String::new();
                if named {
                    shown.push_str(name);
                    shown.push(':');
                }
                if number {
                    shown.push_str(&format!("{}:", i + 1));
                }
                shown.push_str(line);
                o.out.push(shown);
            }
        }
    };
    if files.is_empty() {
        search("", input, &mut o);
    }
    for f in &files {
        match read(f) {
            Ok(t) => search(f, &t, &mut o),
            Err(_) => o.err.push(text::findstr_no_file(f)),
        }
    }
    o.failed = !any;
    o
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
    fn new(p: &str, fold: bool, begin: bool, end: bool) -> Pattern {
        let mut chars: Vec<char> = if fold {
            p.to_lowercase().chars().collect()
        } else {
            p.chars().collect()
        };
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
            line.to_lowercase().chars().collect()
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

/// `sort [/r] [file]`: lines in order regardless of case (C: the switch; R: ties keep their
/// order).
pub fn sort(raw: &str, input: &str, read: Read) -> Output {
    let mut reverse = false;
    let mut file = None;
    for (word, quoted) in args(raw) {
        match word.to_ascii_lowercase().as_str() {
            "/?" if !quoted => return help("sort"),
            "/r" if !quoted => reverse = true,
            _ => file = Some(word),
        }
    }
    let text = match file.map(|f| read(&f)) {
        Some(Err(msg)) => {
            return Output {
                err: vec![msg.to_string()],
                failed: true,
                ..Output::default()
            }
        }
        Some(Ok(t)) => t,
        None => input.to_string(),
    };
    let mut out: Vec<String> = lines(&text).map(str::to_string).collect();
    out.sort_by_key(|l| l.to_lowercase());
    if reverse {
        out.reverse();
    }
    Output {
        out,
        ..Output::default()
    }
}

/// What `more [file]` pages: the file's lines, or the piped input's; `/?` its help.
pub fn more(raw: &str, input: &str, read: Read) -> Output {
    let words = args(raw);
    match words.first() {
        Some((w, false)) if w == "/?" => help("more"),
        Some((f, _)) => match read(f) {
            Ok(t) => Output {
                out: lines(&t).map(str::to_string).collect(),
                ..Output::default()
            },
            // R: more names the file by its full path; the name as typed is close enough.
            Err(_) => Output {
                err: vec![format!("Cannot access file {f}")],
                failed: true,
                ..Output::default()
            },
        },
        None => Output {
            out: lines(input).map(str::to_string).collect(),
            ..Output::default()
        },
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
        let o = find(" \"DNS\"", IP, &read);
        assert_eq!(
            (out(&o), o.failed),
            (vec!["   DNS Servers . : 10.0.0.2"], false)
        );
        let o = find("/i /c \"dns\"", IP, &read);
        assert_eq!(out(&o), vec!["2"]);
        let o = find("/N /v \"s\"", IP, &read);
        assert_eq!(out(&o), vec!["[2]"]);
        let o = find("\"nothing\"", IP, &read);
        assert_eq!((out(&o), o.failed), (vec![], true));
        let o = find("\"DNS\" ip.txt none.txt", "", &read);
        assert_eq!(
            out(&o),
            vec!["", "---------- IP.TXT", "   DNS Servers . : 10.0.0.2"]
        );
        assert_eq!(o.err, vec!["File not found - NONE.TXT"]);
        let o = find("/c \"DNS\" ip.txt", "", &read);
        assert_eq!(out(&o), vec!["", "---------- IP.TXT: 1"]);
        // The string must be quoted, and there must be one.
        for bad in ["DNS", "", "/i"] {
            assert_eq!(find(bad, IP, &read), format_error(), "{bad}");
        }
        assert!(find("/?", "", &read).out[0].starts_with("Searches"));
    }

    #[test]
    fn findstr_takes_words_literals_switches_and_simple_expressions() {
        let lines = |args: &str| findstr(args, IP, &read).out;
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
        assert_eq!(findstr("zzz ip.txt", "", &read).out, Vec::<String>::new());
        let o = findstr("WS01 ip.txt ip.txt nope", "", &read);
        assert_eq!(o.out, vec!["ip.txt:   Host Name . . : WS01"; 2]);
        assert_eq!(o.err, vec!["FINDSTR: Cannot open nope"]);
        assert!(findstr("", IP, &read).failed);
        // Many stars cost no more than one.
        let p = Pattern::new(&"a*".repeat(200), false, false, true);
        assert!(p.is_match(&"a".repeat(500)));
        assert_eq!(
            findstr(&"x".repeat(128), IP, &read).err,
            vec![text::FINDSTR_TOO_LONG]
        );
    }

    #[test]
    fn sort_and_more_read_their_input() {
        assert_eq!(sort("", "b\r\nA\r\nc\r\n", &read).out, vec!["A", "b", "c"]);
        assert_eq!(sort("/R", "b\nA\nc\n", &read).out, vec!["c", "b", "A"]);
        assert_eq!(sort("nope", "", &read).err, vec![text::FILE_NOT_SPECIFIED]);
        assert_eq!(more("ip.txt", "", &read).out.len(), 5);
        assert_eq!(more("", "a\nb", &read).out, vec!["a", "b"]);
    }
}
