//! cmd.exe's own (internal) commands and the little of drive C they see: which names are
//! internal, the current directory and echo state, and what `echo`, `cd` and `dir` print.
//!
//! Nothing here writes to the screen: each command returns its lines and the workstation
//! prints them, so the rules can be tested as plain functions. The folders and files come from
//! [`text::DRIVE_C`], one table for every version.

use super::text::{self, DriveEntry, DRIVE_C};
use crate::scenario::WindowsVersion;

/// One of cmd's internal commands (built into cmd.exe, never a file on disk).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Internal {
    Cd,
    Cls,
    Dir,
    Echo,
    Exit,
    Help,
    Set,
    Start,
    Ver,
}

/// cmd's internal commands by name: the one list the command-line parser and the workstation
/// both read, so a command cannot be runnable without being internal or the reverse.
pub const INTERNAL: &[(&str, Internal)] = &[
    ("cd", Internal::Cd),
    ("chdir", Internal::Cd),
    ("cls", Internal::Cls),
    ("dir", Internal::Dir),
    ("echo", Internal::Echo),
    ("exit", Internal::Exit),
    ("help", Internal::Help),
    ("set", Internal::Set),
    ("start", Internal::Start),
    ("ver", Internal::Ver),
];

/// Characters that end an internal command's name even without a blank, as cmd parses them:
/// `cd..`, `cd\`, `echo.`, `dir\windows`.
const GLUE: &[char] = &['.', '\\', ':', '(', '+', '=', ';', ',', '[', ']'];

/// Extensions that make a name a file: `cls.exe` is a program cmd looks for on disk (and does
/// not find), not `cls` with an argument.
const FILE_EXTENSIONS: &[&str] = &[".exe", ".com", ".bat", ".cmd"];

/// What the first word of a cmd line names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command<'a> {
    /// An internal command. `name` is its table name in lower case (`chdir` stays `chdir`);
    /// `glued` is what was typed right after the name without a blank (`..` of `cd..`, `.`
    /// of `echo.`), the start of its arguments.
    Internal {
        cmd: Internal,
        name: &'static str,
        glued: &'a str,
    },
    /// A program, by the name it runs in lower case: a path to it
    /// (`C:\WINDOWS\system32\ping.exe`) runs the same program as its bare name, and `.exe`
    /// may be typed or not. A path or `.exe` to an internal command's name stays whole
    /// (`c:\cls`, `cls.exe`): no such file exists, so it runs nothing.
    Program(String),
}

/// Classifies the first word of a cmd line (as [`super::workstation`] splits it).
pub fn classify(token: &str) -> Command<'_> {
    let lower = token.to_ascii_lowercase();
    for &(name, cmd) in INTERNAL {
        let Some(rest) = lower.strip_prefix(name) else {
            continue;
        };
        let is_file = FILE_EXTENSIONS.contains(&rest);
        if rest.is_empty() || (rest.starts_with(GLUE) && !is_file) {
            return Command::Internal {
                cmd,
                name,
                glued: token.get(name.len()..).unwrap_or(""),
            };
        }
    }
    let bare = lower.strip_suffix(".exe").unwrap_or(&lower);
    let base = bare.rsplit_once(['\\', ':']).map_or(bare, |(_, b)| b);
    if internal(base).is_some() {
        Command::Program(lower)
    } else {
        Command::Program(base.to_string())
    }
}

/// The internal command of this exact name, if there is one.
fn internal(name: &str) -> Option<Internal> {
    INTERNAL.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
}

/// What cmd itself remembers between commands: where it is and whether it echoes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shell {
    os: WindowsVersion,
    /// The current directory, spelled as [`DRIVE_C`] spells it (`C:\` for the root): cmd
    /// turns what `cd` is given into the case of the names on disk.
    cwd: String,
    /// The drive letter as the last `cd` with a drive typed it: that case is the one thing
    /// cmd keeps as typed (`cd c:\windows` shows `c:\WINDOWS>`).
    drive: char,
    /// `echo on` (the default) shows the prompt; `echo off` hides it.
    echo: bool,
    /// The environment, in `set`'s order; made from the version's table the first time it
    /// is read, since it names the computer.
    env: Option<Vec<(String, String)>>,
}

/// Where a typed path leads.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    Dir(String),
    File(&'static DriveEntry),
}

/// Why a typed path leads nowhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PathError {
    /// A drive other than C:.
    Drive,
    /// A folder on the way, or the last name, is not there.
    Path,
}

const ROOT: &str = "C:\\";

impl Shell {
    /// A fresh cmd window's state: the version's start folder, echo on.
    pub fn new(os: WindowsVersion) -> Shell {
        Shell {
            os,
            cwd: text::cmd_home(os).to_string(),
            drive: 'C',
            echo: true,
            env: None,
        }
    }

    /// The prompt to show now.
    pub fn prompt(&self) -> String {
        text::cmd_prompt(&self.shown(&self.cwd), self.echo)
    }

    /// Whether echo is on (cmd then prints a blank line and its prompt after each command).
    pub fn echo_on(&self) -> bool {
        self.echo
    }

    /// The current directory as cmd shows it.
    #[cfg(test)]
    pub fn cwd(&self) -> String {
        self.shown(&self.cwd)
    }

    /// A path of drive C with the drive letter as the learner last typed it.
    fn shown(&self, path: &str) -> String {
        format!("{}{}", self.drive, path.get(1..).unwrap_or(""))
    }

    /// `echo`: `raw` is everything after the name, the delimiter that ended the name
    /// included (` hi` of `echo hi`, `.` of `echo.`). cmd drops that one delimiter and prints
    /// the rest as typed; with nothing but blanks after the name it reports its state, and
    /// `on` / `off` switch it.
    pub fn echo(&mut self, raw: &str) -> Vec<String> {
        if raw.trim() == "/?" {
            return help_lines("echo");
        }
        let mut chars = raw.chars();
        let Some(delimiter) = chars.next() else {
            return vec![text::echo_state(self.echo).to_string()];
        };
        let message = chars.as_str();
        if delimiter.is_whitespace() {
            let word = message.trim();
            if word.is_empty() {
                return vec![text::echo_state(self.echo).to_string()];
            }
            if word.eq_ignore_ascii_case("on") || word.eq_ignore_ascii_case("off") {
                self.echo = word.eq_ignore_ascii_case("on");
                return Vec::new();
            }
        }
        vec![message.to_string()]
    }

    fn env(&mut self, computer: &str) -> &mut Vec<(String, String)> {
        let os = self.os;
        self.env
            .get_or_insert_with(|| text::cmd_environment(os, computer))
    }

    /// `set`: alone, lists the environment; `set NAME=value` sets (or, with nothing after
    /// `=`, removes) a variable silently; `set NAME` lists the variables whose names start
    /// with NAME, or says none is defined. Names ignore case, as Windows' do.
    pub fn set(&mut self, raw: &str, computer: &str) -> Vec<String> {
        let arg = raw.trim();
        if arg == "/?" {
            return help_lines("set");
        }
        let env = self.env(computer);
        let Some((name, value)) = arg.split_once('=') else {
            let shown: Vec<String> = env
                .iter()
                .filter(|(n, _)| {
                    n.get(..arg.len())
                        .is_some_and(|p| p.eq_ignore_ascii_case(arg))
                })
                .map(|(n, v)| format!("{n}={v}"))
                .collect();
            if shown.is_empty() {
                return vec![text::env_not_defined(arg)];
            }
            return shown;
        };
        if name.is_empty() {
            return vec![text::SET_SYNTAX.to_string()];
        }
        let at = env.iter().position(|(n, _)| n.eq_ignore_ascii_case(name));
        match (at, value.is_empty()) {
            (Some(i), true) => {
                env.remove(i);
            }
            (Some(i), false) => env[i].1 = value.to_string(),
            (None, true) => {}
            (None, false) => {
                // In name order, as `set` lists them, with no sort to run.
                let upper = name.to_ascii_uppercase();
                let i = env
                    .iter()
                    .position(|(n, _)| n.to_ascii_uppercase() > upper)
                    .unwrap_or(env.len());
                env.insert(i, (name.to_string(), value.to_string()));
            }
        }
        Vec::new()
    }

    /// A cmd line with each `%NAME%` of a defined variable replaced by its value, as cmd
    /// does before it runs a line; an undefined one stays as typed.
    pub fn expand(&mut self, line: &str, computer: &str) -> String {
        if !line.contains('%') {
            return line.to_string();
        }
        let env = self.env(computer);
        let mut out = String::with_capacity(line.len());
        let mut rest = line;
        while let Some(start) = rest.find('%') {
            out.push_str(&rest[..start]);
            let after = &rest[start + 1..];
            let value = after.find('%').and_then(|end| {
                let name = &after[..end];
                env.iter()
                    .find(|(n, _)| !name.is_empty() && n.eq_ignore_ascii_case(name))
                    .map(|(_, v)| (v.clone(), end))
            });
            match value {
                Some((v, end)) => {
                    out.push_str(&v);
                    rest = &after[end + 1..];
                }
                None => {
                    out.push('%');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// `cd` / `chdir`: `raw` as for [`Shell::echo`]. Without a path it prints the current
    /// directory; otherwise it moves there (case-insensitively, blanks in names need no
    /// quotes) or says why not. `telnet` says whether telnet.exe is on the disk now.
    pub fn cd(&mut self, raw: &str, telnet: bool) -> Vec<String> {
        let mut arg = raw.trim();
        if arg == "/?" {
            return help_lines("cd");
        }
        if let Some(rest) = strip_switch(arg, "d") {
            arg = rest;
        }
        let arg = arg.replace('"', "");
        let arg = arg.trim();
        if arg.is_empty() {
            return vec![self.shown(&self.cwd)];
        }
        match self.resolve(arg, telnet) {
            Ok(Target::Dir(path)) => {
                // `cd C:` names a drive, not a folder: it shows that drive's current folder.
                if is_drive_only(arg) {
                    return vec![self.shown(&self.cwd)];
                }
                if is_drive_prefixed(arg) {
                    self.drive = arg.chars().next().unwrap_or('C');
                }
                self.cwd = path;
                Vec::new()
            }
            Ok(Target::File(_)) => vec![text::DIRECTORY_NAME_INVALID.to_string()],
            Err(PathError::Drive) => vec![text::DRIVE_NOT_FOUND.to_string()],
            Err(PathError::Path) => vec![text::PATH_NOT_FOUND.to_string()],
        }
    }

    /// `dir [path] [/B] [/P] [/W]`: a listing in the version's format. A path may end in a
    /// pattern with `*` and `?` (`dir *.exe`).
    pub fn dir(&self, raw: &str, telnet: bool) -> Vec<String> {
        let mut bare = false;
        let mut wide = false;
        let mut path = None;
        for word in words(raw) {
            if let Some(switches) = word.strip_prefix('/') {
                for s in switches.split('/') {
                    match s.to_ascii_lowercase().as_str() {
                        "?" => return help_lines("dir"),
                        "b" => bare = true,
                        "w" => wide = true,
                        // A listing this short never fills a screen: nothing to pause for.
                        "p" => {}
                        _ => return vec![text::dir_invalid_switch(s)],
                    }
                }
            } else if path.is_none() {
                path = Some(word);
            }
        }
        let typed = path.unwrap_or_default();
        let (folder, entries) = match self.select(&typed, telnet) {
            Ok(found) => found,
            Err(PathError::Drive) => return vec![text::DRIVE_NOT_FOUND.to_string()],
            Err(PathError::Path) => return vec![text::PATH_NOT_FOUND.to_string()],
        };
        if bare {
            let names: Vec<String> = entries
                .iter()
                .filter(|e| e.name != "." && e.name != "..")
                .map(|e| e.name.clone())
                .collect();
            if names.is_empty() {
                return vec![text::FILE_NOT_FOUND.to_string()];
            }
            return names;
        }
        let mut out: Vec<String> = text::dir_volume(self.os)
            .iter()
            .map(|s| s.to_string())
            .collect();
        out.push(text::dir_of(&self.shown(&folder)));
        out.push(String::new());
        if entries.is_empty() {
            out.push(text::FILE_NOT_FOUND.to_string());
            return out;
        }
        if wide {
            out.extend(wide_rows(&entries));
        } else {
            out.extend(
                entries
                    .iter()
                    .map(|e| text::dir_line(self.os, &e.name, e.size)),
            );
        }
        let files = entries.iter().filter(|e| e.size.is_some()).count();
        let bytes = entries.iter().filter_map(|e| e.size).sum();
        let dirs = entries.len() - files;
        out.extend(text::dir_summary(self.os, files, bytes, dirs));
        out
    }

    /// The folder a `dir` argument lists and its entries in listing order: `.` and `..`
    /// first (not in the root), then the rest by name; only the matches of a pattern.
    fn select(&self, typed: &str, telnet: bool) -> Result<(String, Vec<Listed>), PathError> {
        if typed.is_empty() || is_drive_only(typed) {
            let target = self.resolve(typed, telnet)?;
            return Ok(self.listing(target, "*", telnet));
        }
        let (parent, last) = match typed.rfind(['\\', '/']) {
            Some(i) => (&typed[..=i], &typed[i + 1..]),
            None if is_drive_prefixed(typed) => typed.split_at(2),
            None => ("", typed),
        };
        if last.contains(['*', '?']) {
            let folder = self.resolve(parent, telnet)?;
            return Ok(self.listing(folder, last, telnet));
        }
        match self.resolve(typed, telnet) {
            Ok(target) => Ok(self.listing(target, "*", telnet)),
            // A missing last name is `File Not Found` under the folder's heading.
            Err(PathError::Path) => {
                let folder = self.resolve(parent, telnet)?;
                let (path, _) = self.listing(folder, "*", telnet);
                Ok((path, Vec::new()))
            }
            Err(e) => Err(e),
        }
    }

    fn listing(&self, target: Target, pattern: &str, telnet: bool) -> (String, Vec<Listed>) {
        match target {
            Target::File(e) => {
                let (parent, name) = split_path(e.path);
                (
                    parent.to_string(),
                    vec![Listed {
                        name: name.to_string(),
                        size: e.size,
                    }],
                )
            }
            Target::Dir(path) => {
                let mut entries: Vec<Listed> = Vec::new();
                if path != ROOT {
                    for dots in [".", ".."] {
                        entries.push(Listed {
                            name: dots.to_string(),
                            size: None,
                        });
                    }
                }
                let children: Vec<Listed> = self
                    .children(&path, telnet)
                    .map(|e| Listed {
                        name: split_path(e.path).1.to_string(),
                        size: e.size,
                    })
                    .collect();
                // NTFS lists a folder in name order; the table is kept in that order (a test
                // checks it), so there is no sort to ship.
                entries.extend(children);
                entries.retain(|e| matches(pattern, &e.name));
                (path, entries)
            }
        }
    }

    /// The entries of this version's drive C (telnet.exe only while installed).
    fn entries(&self, telnet: bool) -> impl Iterator<Item = &'static DriveEntry> + '_ {
        DRIVE_C
            .iter()
            .filter(move |e| e.on.contains(&self.os) && (telnet || !e.telnet))
    }

    fn children<'a>(
        &'a self,
        folder: &'a str,
        telnet: bool,
    ) -> impl Iterator<Item = &'static DriveEntry> + 'a {
        self.entries(telnet)
            .filter(move |e| split_path(e.path).0.eq_ignore_ascii_case(folder))
    }

    /// Follows a typed path from the current directory, as Windows does: `\` starts at the
    /// root, `..` goes up (and stays at the root), `.` stays, names match whatever their case
    /// and ignore trailing dots and blanks.
    fn resolve(&self, typed: &str, telnet: bool) -> Result<Target, PathError> {
        let mut rest = typed.trim();
        if is_drive_prefixed(rest) {
            if !rest.starts_with(['c', 'C']) {
                return Err(PathError::Drive);
            }
            rest = &rest[2..];
        }
        let mut cur = if rest.starts_with(['\\', '/']) {
            ROOT.to_string()
        } else {
            self.cwd.clone()
        };
        let parts: Vec<&str> = rest.split(['\\', '/']).collect();
        for (i, part) in parts.iter().enumerate() {
            if *part == ".." {
                cur = split_path(&cur).0.to_string();
                continue;
            }
            let name = part.trim_end_matches(['.', ' ']);
            if name.is_empty() {
                continue;
            }
            let found = self
                .children(&cur, telnet)
                .find(|e| split_path(e.path).1.eq_ignore_ascii_case(name));
            match found {
                Some(e) if e.size.is_none() => cur = e.path.to_string(),
                Some(e) if i + 1 == parts.len() => return Ok(Target::File(e)),
                _ => return Err(PathError::Path),
            }
        }
        Ok(Target::Dir(cur))
    }
}

/// One line of a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Listed {
    name: String,
    size: Option<u64>,
}

/// A path's folder and last name: `C:\WINDOWS\system32` → (`C:\WINDOWS`, `system32`); the
/// root is its own folder.
fn split_path(path: &str) -> (&str, &str) {
    match path.rfind('\\') {
        Some(2) if path.len() > 3 => (ROOT, &path[3..]),
        Some(i) if i > 2 => (&path[..i], &path[i + 1..]),
        _ => (ROOT, ""),
    }
}

/// `X:` at the start of a typed path.
fn is_drive_prefixed(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':'
}

/// A drive and nothing more (`C:`).
fn is_drive_only(s: &str) -> bool {
    is_drive_prefixed(s) && s.len() == 2
}

/// `arg` without a leading `/switch` (any case), when it starts with one.
fn strip_switch<'a>(arg: &'a str, switch: &str) -> Option<&'a str> {
    let rest = arg.strip_prefix('/')?;
    let head = rest.get(..switch.len())?;
    let tail = &rest[switch.len()..];
    (head.eq_ignore_ascii_case(switch) && (tail.is_empty() || tail.starts_with(' ')))
        .then(|| tail.trim_start())
}

/// The words of a command's arguments: blanks separate them except inside quotes, which are
/// dropped (`dir "Program Files" /w`).
fn words(raw: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in raw.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            c if c.is_whitespace() && !quoted => {
                if any {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            c => {
                cur.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(cur);
    }
    out
}

/// Whether a name matches a `dir` pattern: `*` any run, `?` one character, any case; as on
/// Windows, `*.*` (or any pattern ending in `.*`) also matches a name without a dot.
fn matches(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.to_ascii_lowercase().chars().collect();
    let n: Vec<char> = name.to_ascii_lowercase().chars().collect();
    glob(&p, &n) || (p.ends_with(&['.', '*']) && glob(&p[..p.len() - 2], &n))
}

fn glob(p: &[char], n: &[char]) -> bool {
    // Iterative matching with one backtrack point: linear in practice, no recursion on a
    // learner's long pattern.
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ni));
            pi += 1;
        } else if let Some((sp, sn)) = star {
            pi = sp + 1;
            ni = sn + 1;
            star = Some((sp, sn + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// `dir /w`: folders in brackets, in columns as wide as the longest name and two blanks,
/// as many as fit in 80 columns, filled row by row.
fn wide_rows(entries: &[Listed]) -> Vec<String> {
    let cells: Vec<String> = entries
        .iter()
        .map(|e| match e.size {
            None => format!("[{}]", e.name),
            Some(_) => e.name.clone(),
        })
        .collect();
    let width = cells.iter().map(|c| c.chars().count()).max().unwrap_or(0) + 2;
    let columns = (80 / width).max(1);
    cells
        .chunks(columns)
        .map(|row| {
            let line: String = row.iter().map(|c| format!("{c:<width$}")).collect();
            line.trim_end().to_string()
        })
        .collect()
}

/// A help topic's lines (`help cd`, `cd /?`).
pub fn help_lines(topic: &str) -> Vec<String> {
    text::HELP_TOPICS
        .iter()
        .find(|(n, _)| *n == topic)
        .map(|(_, body)| body.lines().map(str::to_string).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_expand_as_cmd_expands_them_at_the_prompt() {
        let mut sh = Shell::new(WindowsVersion::Xp);
        let cases = [
            ("echo %USERNAME%", "echo Administrator"),
            ("%username%%COMPUTERNAME%", "AdministratorPC"),
            ("50% off", "50% off"),
            ("%%", "%%"),
            ("%NOSUCH%%USERNAME%", "%NOSUCH%Administrator"),
            ("a%USERNAME", "a%USERNAME"),
            ("é%windir%é", "éC:\\WINDOWSé"),
        ];
        for (line, want) in cases {
            assert_eq!(sh.expand(line, "PC"), want, "{line}");
        }
        assert!(sh.set("added=1", "PC").is_empty());
        assert_eq!(sh.set("ADD", "PC"), vec!["added=1"]);
        assert!(sh.set("added=", "PC").is_empty());
        assert_eq!(
            sh.set("added", "PC"),
            vec!["Environment variable added not defined"]
        );
    }

    #[test]
    fn every_folder_of_the_drive_table_is_in_name_order() {
        // `dir` lists the table's order as it stands (NTFS's order: by name, whatever the case).
        for os in crate::scenario::WindowsVersion::ALL {
            let shell = Shell::new(os);
            for folder in shell.entries(true).filter(|e| e.size.is_none()) {
                let names: Vec<String> = shell
                    .children(folder.path, true)
                    .map(|e| split_path(e.path).1.to_ascii_uppercase())
                    .collect();
                let mut sorted = names.clone();
                sorted.sort();
                assert_eq!(names, sorted, "{os:?} {}", folder.path);
            }
            let root: Vec<String> = shell
                .children(ROOT, true)
                .map(|e| split_path(e.path).1.to_ascii_uppercase())
                .collect();
            let mut sorted = root.clone();
            sorted.sort();
            assert_eq!(root, sorted, "{os:?} root");
        }
    }

    fn program(s: &str) -> Command<'_> {
        Command::Program(s.to_string())
    }

    #[test]
    fn internal_commands_come_from_one_table() {
        let cases = [
            ("CLS", Internal::Cls, "cls", ""),
            ("cd..", Internal::Cd, "cd", ".."),
            ("cd\\", Internal::Cd, "cd", "\\"),
            ("CHDIR\\WINDOWS", Internal::Cd, "chdir", "\\WINDOWS"),
            ("echo.", Internal::Echo, "echo", "."),
            ("dir", Internal::Dir, "dir", ""),
        ];
        for (token, cmd, name, glued) in cases {
            assert_eq!(
                classify(token),
                Command::Internal { cmd, name, glued },
                "{token}"
            );
        }
        for (name, _) in INTERNAL {
            assert!(matches!(classify(name), Command::Internal { .. }), "{name}");
        }
    }

    #[test]
    fn a_path_or_exe_names_a_program_never_an_internal_command() {
        assert_eq!(classify("PING"), program("ping"));
        assert_eq!(classify("ping.EXE"), program("ping"));
        assert_eq!(classify("C:\\WINDOWS\\system32\\ping.exe"), program("ping"));
        assert_eq!(classify("c:telnet"), program("telnet"));
        assert_eq!(classify("C:\\cls"), program("c:\\cls"));
        assert_eq!(classify("cls.exe"), program("cls.exe"));
        assert_eq!(
            classify("C:\\WINDOWS\\system32\\cd.exe"),
            program("c:\\windows\\system32\\cd.exe")
        );
        assert_eq!(classify("echohello"), program("echohello"));
        assert_eq!(classify("directory"), program("directory"));
    }

    #[test]
    fn echo_prints_after_one_delimiter_and_switches_the_prompt() {
        let mut sh = Shell::new(WindowsVersion::Xp);
        assert_eq!(sh.echo(""), ["ECHO is on."]);
        assert_eq!(sh.echo("   "), ["ECHO is on."]);
        assert_eq!(sh.echo(" hello  world "), ["hello  world "]);
        assert_eq!(sh.echo("."), [""]);
        assert_eq!(sh.echo(".off"), ["off"]);
        assert!(sh.echo(" OFF ").is_empty());
        assert!(!sh.echo_on());
        assert_eq!(sh.prompt(), "");
        assert_eq!(sh.echo(""), ["ECHO is off."]);
        assert!(sh.echo(" on").is_empty());
        assert_eq!(sh.prompt(), "C:\\Documents and Settings\\Administrator>");
        assert_eq!(
            sh.echo(" /?")[0],
            "Displays messages, or turns command-echoing on or off."
        );
    }

    #[test]
    fn cd_walks_the_tree_of_each_version() {
        let table = [
            (
                WindowsVersion::Win2000,
                "\\winnt\\SYSTEM32",
                "C:\\WINNT\\system32",
            ),
            (
                WindowsVersion::Xp,
                "\\windows\\system32",
                "C:\\WINDOWS\\system32",
            ),
            (WindowsVersion::Win2003, "..", "C:\\Documents and Settings"),
            (
                WindowsVersion::Win7,
                "\\windows\\system32",
                "C:\\Windows\\System32",
            ),
            (
                WindowsVersion::Win10,
                "c:\\program files (x86)",
                "c:\\Program Files (x86)",
            ),
            (
                WindowsVersion::Xp,
                "\"\\Program Files\"",
                "C:\\Program Files",
            ),
            (WindowsVersion::Xp, "\\program files\\", "C:\\Program Files"),
            (WindowsVersion::Win7, "..\\..\\..\\..", "C:\\"),
            (
                WindowsVersion::Win7,
                "Desktop.",
                "C:\\Users\\Administrator\\Desktop",
            ),
            (WindowsVersion::Win7, "/d C:\\Users", "C:\\Users"),
            (WindowsVersion::Win7, "/D \\", "C:\\"),
        ];
        for (os, arg, want) in table {
            let mut sh = Shell::new(os);
            assert_eq!(sh.cd(arg, true), Vec::<String>::new(), "{os} {arg}");
            assert_eq!(sh.cwd(), want, "{os} {arg}");
            assert_eq!(sh.prompt(), format!("{want}>"));
        }
        // The names take the case on disk, the drive letter keeps the case typed.
        let mut sh = Shell::new(WindowsVersion::Xp);
        for (arg, want) in [
            ("c:\\windows", "c:\\WINDOWS>"),
            ("\\program files", "c:\\Program Files>"),
            ("C:\\", "C:\\>"),
        ] {
            assert!(sh.cd(arg, true).is_empty(), "{arg}");
            assert_eq!(sh.prompt(), want);
        }
    }

    #[test]
    fn cd_reports_what_it_cannot_do_and_stays() {
        let table = [
            (
                WindowsVersion::Xp,
                "\\Windows\\nosuch",
                text::PATH_NOT_FOUND,
            ),
            (WindowsVersion::Xp, "\\WINNT", text::PATH_NOT_FOUND),
            (WindowsVersion::Win2000, "\\WINDOWS", text::PATH_NOT_FOUND),
            (WindowsVersion::Xp, "\\Users", text::PATH_NOT_FOUND),
            (
                WindowsVersion::Win7,
                "\\Documents and Settings",
                text::PATH_NOT_FOUND,
            ),
            (WindowsVersion::Xp, "D:\\", text::DRIVE_NOT_FOUND),
            (
                WindowsVersion::Xp,
                "\\CONFIG.SYS",
                text::DIRECTORY_NAME_INVALID,
            ),
            (WindowsVersion::Xp, "\\CONFIG.SYS\\x", text::PATH_NOT_FOUND),
        ];
        for (os, arg, want) in table {
            let mut sh = Shell::new(os);
            assert_eq!(sh.cd(arg, true), [want], "{os} {arg}");
            assert_eq!(sh.cwd(), text::cmd_home(os), "{os} {arg}");
        }
        let mut sh = Shell::new(WindowsVersion::Win7);
        assert_eq!(sh.cd("", true), ["C:\\Users\\Administrator"]);
        assert_eq!(sh.cd("  c:", true), ["C:\\Users\\Administrator"]);
        assert_eq!(
            sh.cd("/?", true)[0],
            "Displays the name of or changes the current directory."
        );
    }

    #[test]
    fn dir_lists_in_the_version_format() {
        let sh = Shell::new(WindowsVersion::Xp);
        let out = sh.dir("\\", true);
        assert_eq!(out[0], " Volume in drive C has no label.");
        assert_eq!(out[3], " Directory of C:\\");
        assert_eq!(
            out[5],
            "06/12/2007  04:30 AM                 0 AUTOEXEC.BAT"
        );
        assert_eq!(
            out[7],
            "06/12/2007  04:30 AM    <DIR>          Documents and Settings"
        );
        assert_eq!(out[10], "               2 File(s)              0 bytes");
        assert_eq!(
            out[11],
            "               3 Dir(s)   6,203,310,080 bytes free"
        );
        let sh = Shell::new(WindowsVersion::Win2000);
        assert_eq!(
            sh.dir("", true)[7],
            "03/14/2005  09:12a      <DIR>          Documents and Settings"
        );
    }

    #[test]
    fn telnet_exe_is_on_disk_only_while_installed() {
        let mut sh = Shell::new(WindowsVersion::Win7);
        sh.cd("\\windows\\system32", false);
        assert!(!sh.dir("/b", false).contains(&"telnet.exe".to_string()));
        assert!(sh.dir("/b", true).contains(&"telnet.exe".to_string()));
        assert_eq!(sh.dir("t*.exe /b", true), ["telnet.exe", "TRACERT.EXE"]);
        assert_eq!(sh.dir("t*.exe /b", false), ["TRACERT.EXE"]);
    }

    #[test]
    fn dir_takes_patterns_files_and_missing_names() {
        let sh = Shell::new(WindowsVersion::Xp);
        let listing = sh.dir("\\windows\\system32\\*.exe", true);
        assert_eq!(listing[3], " Directory of C:\\WINDOWS\\system32");
        assert!(listing[5].ends_with(" cmd.exe"));
        let one = sh.dir("C:\\WINDOWS\\system32\\PING.EXE", true);
        assert!(one[5].ends_with("24,064 ping.exe"));
        assert_eq!(one[6], "               1 File(s)         24,064 bytes");
        let missing = sh.dir("nosuch", true);
        assert_eq!(
            missing[3],
            " Directory of C:\\Documents and Settings\\Administrator"
        );
        assert_eq!(missing[5], text::FILE_NOT_FOUND);
        assert_eq!(sh.dir("\\nosuch\\x", true), [text::PATH_NOT_FOUND]);
        assert_eq!(sh.dir("q:", true), [text::DRIVE_NOT_FOUND]);
        assert_eq!(sh.dir("/z", true), ["Invalid switch - \"z\"."]);
        assert_eq!(sh.dir("*.* /b", true).len(), 4);
        assert!(matches("*.*", "Desktop"));
        assert!(matches("p?ng.EXE", "ping.exe"));
        assert!(!matches("*.exe", "."));
    }

    #[test]
    fn dir_wide_puts_folders_in_brackets() {
        let sh = Shell::new(WindowsVersion::Xp);
        let out = sh.dir("\\ /w", true);
        assert_eq!(
            out[5],
            "AUTOEXEC.BAT              CONFIG.SYS                [Documents and Settings]"
        );
        assert_eq!(out[6], "[Program Files]           [WINDOWS]");
    }
}
