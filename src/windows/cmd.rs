//! cmd.exe's own (internal) commands and the little of drive C they see: which names are
//! internal, the current directory and echo state, and what `echo`, `cd` and `dir` print.
//!
//! Nothing here writes to the screen: each command returns its lines and the workstation
//! prints them, so the rules can be tested as plain functions. The folders and files come from
//! [`text::DRIVE_C`], one table for every version.

use super::files::{Files, UserFile};
use super::text::{self, DriveEntry, DRIVE_C, HIDDEN, JUNCTION, SYSTEM, TELNET};
use crate::scenario::WindowsVersion;
use crate::smtp::reply::{civil_from_days, days_from_civil};

/// One of cmd's internal commands (built into cmd.exe, never a file on disk).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Internal {
    Cd,
    Cls,
    Color,
    Copy,
    Date,
    Del,
    Dir,
    Echo,
    Exit,
    Help,
    Path,
    Pause,
    Ren,
    Set,
    Start,
    Time,
    Title,
    Type,
    Ver,
    Vol,
}

/// cmd's internal commands by name: the one list the command-line parser and the workstation
/// both read, so a command cannot be runnable without being internal or the reverse.
pub const INTERNAL: &[(&str, Internal)] = &[
    ("cd", Internal::Cd),
    ("chdir", Internal::Cd),
    ("cls", Internal::Cls),
    ("color", Internal::Color),
    ("copy", Internal::Copy),
    ("date", Internal::Date),
    ("del", Internal::Del),
    ("dir", Internal::Dir),
    ("echo", Internal::Echo),
    ("erase", Internal::Del),
    ("exit", Internal::Exit),
    ("help", Internal::Help),
    ("path", Internal::Path),
    ("pause", Internal::Pause),
    ("ren", Internal::Ren),
    ("rename", Internal::Ren),
    ("set", Internal::Set),
    ("start", Internal::Start),
    ("time", Internal::Time),
    ("title", Internal::Title),
    ("type", Internal::Type),
    ("ver", Internal::Ver),
    ("vol", Internal::Vol),
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
    /// The files the learner made, over the read-only table. They outlive the cmd window
    /// (`exit` keeps them, as the disk would); a new workstation starts without them.
    pub files: Files,
}

/// Where a typed path leads.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    Dir(String),
    File(&'static DriveEntry),
    /// A file the learner made, by its full path.
    User(String),
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
            files: Files::default(),
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

    /// `path`: alone, the search path `set` holds, as `PATH=...` (`No Path` once removed);
    /// with an argument, sets it as `set PATH=` would, `;` alone removing it.
    pub fn path(&mut self, raw: &str, computer: &str) -> Vec<String> {
        let arg = raw.trim_start_matches([' ', '=']).trim();
        if !arg.is_empty() {
            let value = if arg == ";" { "" } else { arg };
            return self.set(&format!("PATH={value}"), computer);
        }
        let path = self
            .env(computer)
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("path"));
        vec![path.map_or(text::NO_PATH.to_string(), |(_, v)| format!("PATH={v}"))]
    }

    /// `type FILE`: a learner's file shows its contents; the drive table records none, so a
    /// file there types as empty (as AUTOEXEC.BAT and CONFIG.SYS are); a folder is denied, and
    /// a missing name or folder gets the message Windows gives for each.
    pub fn type_file(&self, raw: &str, telnet: bool) -> Result<Vec<String>, &'static str> {
        let Some(typed) = words(raw).into_iter().next() else {
            return Err(text::SET_SYNTAX);
        };
        Ok(self
            .read(&typed, telnet)?
            .lines()
            .map(str::to_string)
            .collect())
    }

    /// A file's contents, for `type`, `<` and the filters (`find`, `more`); the message cmd
    /// gives when it cannot be read. `nul` and the other devices that discard read as empty;
    /// `con` (the keyboard) is refused.
    pub fn read(&self, typed: &str, telnet: bool) -> Result<String, &'static str> {
        match device(typed) {
            Some(Device::Screen) => return Err(text::CON_INPUT),
            Some(Device::Discard) => return Ok(String::new()),
            None => {}
        }
        match self.resolve(typed, telnet) {
            Ok(Target::File(_)) => Ok(String::new()),
            Ok(Target::User(path)) => Ok(self
                .files
                .get(&path)
                .map(|f| f.data.clone())
                .unwrap_or_default()),
            Ok(Target::Dir(_)) => Err(text::ACCESS_DENIED),
            Err(e) => Err(self.missing(typed, e, telnet)),
        }
    }

    /// The message for a path that leads nowhere: the file, or the folder on the way.
    fn missing(&self, typed: &str, e: PathError, telnet: bool) -> &'static str {
        match e {
            PathError::Path if self.resolve(split_typed(typed).0, telnet).is_ok() => {
                text::FILE_NOT_SPECIFIED
            }
            _ => text::PATH_NOT_FOUND,
        }
    }

    /// Opens a file for a `>` (emptied) or `>>` (added to) redirection before the command runs,
    /// as cmd does: a new name in an existing folder is created, dated `local_secs`. Returns its
    /// full path, or cmd's message: a folder or a file of the table (read-only here: R) is
    /// denied, a missing folder not found, a name Windows forbids refused.
    pub fn open_out(
        &mut self,
        typed: &str,
        append: bool,
        telnet: bool,
        local_secs: i64,
    ) -> Result<String, &'static str> {
        let (parent, name) = split_typed(typed);
        let name = name.trim_end_matches(['.', ' ']);
        if name.contains(['*', '?', ':', '"', '<', '>', '|', '/'])
            || (name.is_empty() && parent.is_empty())
        {
            return Err(text::BAD_NAME);
        }
        let path = match self.resolve(typed, telnet) {
            Ok(Target::User(path)) => path,
            Ok(_) => return Err(text::ACCESS_DENIED),
            Err(PathError::Drive) => return Err(text::PATH_NOT_FOUND),
            Err(PathError::Path) => match self.resolve(parent, telnet) {
                Ok(Target::Dir(folder)) => format!("{}\\{name}", folder.trim_end_matches('\\')),
                _ => return Err(text::PATH_NOT_FOUND),
            },
        };
        self.files
            .open(&path, append, local_secs)
            .map_err(|_| text::DISK_FULL)?;
        Ok(path)
    }

    /// `copy SOURCE [DESTINATION]`: a file into another name or folder (the current one when
    /// none is given), replacing one of the same name without asking (R: at the prompt cmd
    /// asks first). A file of the drive table is read-only, not unreadable: its copy is a
    /// learner's file, empty as the table records no contents (what `type` shows). Onto a
    /// device ([`device`]) it is shown (`con`) or thrown away, no file made. A copy that fails
    /// leaves no destination and ends with `0 file(s) copied.`, as cmd's does.
    pub fn copy(&mut self, raw: &str, telnet: bool, local_secs: i64) -> Vec<String> {
        let names: Vec<String> = words(raw)
            .into_iter()
            .filter(|w| !w.starts_with('/'))
            .collect();
        let Some(source) = names.first() else {
            return vec![text::SET_SYNTAX.to_string()];
        };
        let failed = |msg: &str| vec![msg.to_string(), text::copied(0)];
        if device(source) == Some(Device::Screen) {
            return failed(text::CON_INPUT);
        }
        let (from, data) = match self.resolve(source, telnet) {
            Ok(Target::User(path)) => {
                let data = self.files.get(&path).map(|f| f.data.clone());
                (path, data.unwrap_or_default())
            }
            Ok(Target::File(e)) => (e.path.to_string(), String::new()),
            Ok(Target::Dir(_)) => return failed(text::ACCESS_DENIED),
            Err(e) => return failed(self.missing(source, e, telnet)),
        };
        let dest = names.get(1).map_or("", String::as_str);
        match device(dest) {
            Some(Device::Screen) => {
                let mut shown: Vec<String> = data.lines().map(String::from).collect();
                shown.push(text::copied(1));
                return shown;
            }
            Some(Device::Discard) => return vec![text::copied(1)],
            None => {}
        }
        let to = match self.resolve(dest, telnet) {
            Ok(Target::Dir(folder)) => {
                format!("{folder}\\{}", split_path(&from).1).replace("\\\\", "\\")
            }
            _ => dest.to_string(),
        };
        match self.resolve(&to, telnet) {
            Ok(Target::User(p)) if p.eq_ignore_ascii_case(&from) => {
                return failed(text::COPY_ONTO_ITSELF)
            }
            Ok(Target::File(e)) if e.path.eq_ignore_ascii_case(&from) => {
                return failed(text::COPY_ONTO_ITSELF)
            }
            _ => {}
        }
        match self.open_out(&to, false, telnet, local_secs) {
            Ok(path) => match self.files.append(&path, &data) {
                Ok(()) => vec![text::copied(1)],
                Err(_) => {
                    self.files.remove(&path);
                    failed(text::DISK_FULL)
                }
            },
            Err(msg) => failed(msg),
        }
    }

    /// `ren` / `rename FILE NEWNAME`: a learner's file gets a new name in its folder; the new
    /// name may not name a folder or be taken (C: the messages; R: the table's files refused).
    pub fn ren(&mut self, raw: &str, telnet: bool) -> Vec<String> {
        let names = words(raw);
        let [source, new] = names.as_slice() else {
            return vec![text::SET_SYNTAX.to_string()];
        };
        if new.contains(['\\', ':', '/']) {
            return vec![text::SET_SYNTAX.to_string()];
        }
        let message = match self.resolve(source, telnet) {
            Ok(Target::User(from)) => {
                let to = format!(
                    "{}\\{}",
                    split_path(&from).0.trim_end_matches('\\'),
                    new.trim_end_matches(['.', ' '])
                );
                if new.contains(['*', '?', '"', '<', '>', '|']) {
                    text::BAD_NAME
                } else if !to.eq_ignore_ascii_case(&from) && self.resolve(&to, telnet).is_ok() {
                    text::DUPLICATE
                } else {
                    self.files.rename(&from, &to);
                    return Vec::new();
                }
            }
            Ok(_) => text::ACCESS_DENIED,
            Err(_) => text::FILE_NOT_SPECIFIED,
        };
        vec![message.to_string()]
    }

    /// `del` / `erase NAME...`: removes the learner's files (a pattern removes every match).
    /// Missing ones are `Could Not Find` with the full path (C); the table's files and folders
    /// are refused with `Access is denied.` (R: Windows would ask before emptying a folder,
    /// and a system file is read-only or hidden).
    pub fn del(&mut self, raw: &str, telnet: bool) -> Result<Vec<String>, Vec<String>> {
        let names: Vec<String> = words(raw)
            .into_iter()
            .filter(|w| !w.starts_with('/'))
            .collect();
        if names.is_empty() {
            return Err(vec![text::SET_SYNTAX.to_string()]);
        }
        let mut errors = Vec::new();
        for typed in names {
            let (parent, last) = split_typed(&typed);
            let folder = match self.resolve(parent, telnet) {
                Ok(Target::Dir(f)) => f,
                _ => {
                    errors.push(text::PATH_NOT_FOUND.to_string());
                    continue;
                }
            };
            let whole = format!("{}\\{last}", self.shown(&folder).trim_end_matches('\\'));
            match self.resolve(&typed, telnet) {
                Ok(Target::User(path)) => {
                    self.files.remove(&path);
                }
                Ok(_) => errors.push(text::ACCESS_DENIED.to_string()),
                Err(_) => {
                    let gone: Vec<String> = self
                        .files
                        .in_folder(&folder)
                        .filter(|f| {
                            last.contains(['*', '?']) && matches(last, split_path(&f.path).1)
                        })
                        .map(|f| f.path.clone())
                        .collect();
                    if gone.is_empty() {
                        errors.push(text::could_not_find(&whole));
                    }
                    for path in gone {
                        self.files.remove(&path);
                    }
                }
            }
        }
        if errors.is_empty() {
            Ok(Vec::new())
        } else {
            Err(errors)
        }
    }

    /// `vol [C:]`: the two volume lines `dir` opens with; any other drive is not there.
    pub fn vol(&self, raw: &str) -> Vec<String> {
        if words(raw)
            .first()
            .is_some_and(|w| !w.get(..2).is_some_and(|d| d.eq_ignore_ascii_case("c:")))
        {
            return vec![text::PATH_NOT_FOUND.to_string()];
        }
        text::dir_volume(self.os)[..2]
            .iter()
            .map(|l| l.to_string())
            .collect()
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
            Ok(Target::File(_) | Target::User(_)) => {
                vec![text::DIRECTORY_NAME_INVALID.to_string()]
            }
            Err(PathError::Drive) => vec![text::DRIVE_NOT_FOUND.to_string()],
            Err(PathError::Path) => vec![text::PATH_NOT_FOUND.to_string()],
        }
    }

    /// `dir [path] [/A[:attributes]] [/B] [/P] [/S] [/W]`: a listing in the version's format.
    /// A path may end in a pattern with `*` and `?` (`dir *.exe`); hidden and system entries
    /// show only with `/a`; `/s` lists the folder and every folder below it.
    pub fn dir(&self, raw: &str, telnet: bool) -> Vec<String> {
        let mut bare = false;
        let mut wide = false;
        let mut recurse = false;
        let mut show = Show::default();
        let mut path = None;
        for word in words(raw) {
            if let Some(switches) = word.strip_prefix('/') {
                for s in switches.split('/') {
                    let lower = s.to_ascii_lowercase();
                    match lower.as_str() {
                        "?" => return help_lines("dir"),
                        "b" => bare = true,
                        "s" => recurse = true,
                        "w" => wide = true,
                        // A listing this short never fills a screen: nothing to pause for.
                        "p" => {}
                        a if a.starts_with('a') => match Show::parse(&a[1..]) {
                            Some(wanted) => show = wanted,
                            None => return vec![text::dir_invalid_switch(s)],
                        },
                        _ => return vec![text::dir_invalid_switch(s)],
                    }
                }
            } else if path.is_none() {
                path = Some(word);
            }
        }
        let typed = path.unwrap_or_default();
        let found = if recurse {
            self.walk_from(&typed, telnet, &show)
        } else {
            self.select(&typed, telnet, &show).map(|found| vec![found])
        };
        let blocks = match found {
            Ok(blocks) => blocks,
            Err(PathError::Drive) => return vec![text::DRIVE_NOT_FOUND.to_string()],
            Err(PathError::Path) => return vec![text::PATH_NOT_FOUND.to_string()],
        };
        if bare {
            let mut names = Vec::new();
            for (folder, entries) in &blocks {
                for e in entries.iter().filter(|e| e.name != "." && e.name != "..") {
                    names.push(if recurse {
                        // `dir /s /b` names each file by its full path.
                        format!("{}\\{}", self.shown(folder).trim_end_matches('\\'), e.name)
                    } else {
                        e.name.clone()
                    });
                }
            }
            if names.is_empty() {
                return vec![text::FILE_NOT_FOUND.to_string()];
            }
            return names;
        }
        let mut out: Vec<String> = text::dir_volume(self.os)
            .iter()
            .map(|s| s.to_string())
            .collect();
        if recurse && blocks.is_empty() {
            // Nothing anywhere below: no folder heading, and no blank line before the message.
            out.pop();
            out.push(text::FILE_NOT_FOUND.to_string());
            return out;
        }
        let (mut files, mut bytes, mut dirs) = (0, 0, 0);
        for (folder, entries) in &blocks {
            out.push(text::dir_of(&self.shown(folder)));
            out.push(String::new());
            if entries.is_empty() {
                out.push(text::FILE_NOT_FOUND.to_string());
                return out;
            }
            if wide {
                out.extend(wide_rows(entries));
            } else {
                out.extend(entries.iter().map(|e| match e.user {
                    Some((size, secs)) => text::dir_file_line(self.os, secs, size, &e.name),
                    None => text::dir_line(self.os, e.entry, &e.name),
                }));
            }
            let (mut here, mut size) = (0, 0);
            for n in entries.iter().filter_map(Listed::size) {
                here += 1;
                size += n;
            }
            files += here;
            bytes += size;
            dirs += entries.len() - here;
            if recurse {
                out.push(text::dir_files(here, size));
                out.push(String::new());
            }
        }
        if recurse {
            out.push(text::DIR_TOTAL.to_string());
        }
        let used = self.files.bytes();
        out.extend(text::dir_summary(self.os, files, bytes, dirs, used));
        out
    }

    /// `dir /s`: the folder the argument names (or the folder of its last part, which is
    /// then the pattern) and every folder below it, each with its entries; folders with none
    /// left out. Hidden and system folders are entered only with `/a`, junctions never.
    fn walk_from(
        &self,
        typed: &str,
        telnet: bool,
        show: &Show,
    ) -> Result<Vec<(String, Vec<Listed>)>, PathError> {
        let (folder, pattern) = match self.resolve(typed, telnet) {
            Ok(Target::Dir(path)) => (path, "*"),
            _ => {
                let (parent, last) = split_typed(typed);
                match self.resolve(parent, telnet)? {
                    Target::Dir(path) => (path, last),
                    _ => return Err(PathError::Path),
                }
            }
        };
        let mut blocks = Vec::new();
        self.walk(&folder, pattern, telnet, show, &mut blocks);
        Ok(blocks)
    }

    /// Adds `folder`'s block (when anything in it matches), then those of the folders in it,
    /// in name order: the drive table is a few levels deep, so the recursion is too.
    fn walk(
        &self,
        folder: &str,
        pattern: &str,
        telnet: bool,
        show: &Show,
        blocks: &mut Vec<(String, Vec<Listed>)>,
    ) {
        let (path, entries) = self.listing(Target::Dir(folder.to_string()), pattern, telnet, show);
        if !entries.is_empty() {
            blocks.push((path, entries));
        }
        for e in self.children(folder, telnet) {
            if e.size.is_none() && e.flags & JUNCTION == 0 && show.enters(e) {
                self.walk(e.path, pattern, telnet, show, blocks);
            }
        }
    }

    /// The folder a `dir` argument lists and its entries in listing order: `.` and `..`
    /// first (not in the root), then the rest by name; only the matches of a pattern.
    fn select(
        &self,
        typed: &str,
        telnet: bool,
        show: &Show,
    ) -> Result<(String, Vec<Listed>), PathError> {
        if typed.is_empty() || is_drive_only(typed) {
            let target = self.resolve(typed, telnet)?;
            return Ok(self.listing(target, "*", telnet, show));
        }
        let (parent, last) = split_typed(typed);
        if last.contains(['*', '?']) {
            let folder = self.resolve(parent, telnet)?;
            return Ok(self.listing(folder, last, telnet, show));
        }
        match self.resolve(typed, telnet) {
            Ok(target) => Ok(self.listing(target, "*", telnet, show)),
            // A missing last name is `File Not Found` under the folder's heading.
            Err(PathError::Path) => {
                let folder = self.resolve(parent, telnet)?;
                let (path, _) = self.listing(folder, "*", telnet, show);
                Ok((path, Vec::new()))
            }
            Err(e) => Err(e),
        }
    }

    /// A folder's entries (or a file named alone) that match `pattern` and the `/a` choice.
    fn listing(
        &self,
        target: Target,
        pattern: &str,
        telnet: bool,
        show: &Show,
    ) -> (String, Vec<Listed>) {
        let (path, mut entries) = match target {
            Target::File(e) => {
                let (parent, name) = split_path(e.path);
                (parent.to_string(), vec![Listed::of(e, name)])
            }
            Target::User(path) => {
                let (parent, _) = split_path(&path);
                let parent = parent.to_string();
                let listed = self.files.get(&path).map(Listed::user);
                (parent, listed.into_iter().collect())
            }
            Target::Dir(path) => {
                let mut entries: Vec<Listed> = Vec::new();
                if path != ROOT {
                    for dots in [".", ".."] {
                        entries.push(Listed::of(&DOTS, dots));
                    }
                }
                // NTFS lists a folder in name order; the table is kept in that order (a test
                // checks it), so there is no sort to ship.
                entries.extend(
                    self.children(&path, telnet)
                        .map(|e| Listed::of(e, split_path(e.path).1)),
                );
                // The learner's files go in name order among the table's (inserted: a sort
                // would add more to the browser build than this).
                for f in self.files.in_folder(&path) {
                    let listed = Listed::user(f);
                    let at = entries.partition_point(|e| {
                        e.name == "." || e.name == ".." || name_order(&e.name, &listed.name).is_lt()
                    });
                    entries.insert(at, listed);
                }
                entries.retain(|e| matches(pattern, &e.name));
                (path, entries)
            }
        };
        entries.retain(|e| show.shows(e.entry));
        (path, entries)
    }

    /// The entries of this version's drive C (telnet.exe only while installed).
    fn entries(&self, telnet: bool) -> impl Iterator<Item = &'static DriveEntry> + '_ {
        DRIVE_C
            .iter()
            .filter(move |e| e.is_on(self.os) && (telnet || e.flags & TELNET == 0))
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
                // cmd does not take a learner through Vista's compatibility junction.
                Some(e) if e.flags & JUNCTION != 0 => return Err(PathError::Path),
                Some(e) if e.size.is_none() => cur = e.path.to_string(),
                Some(e) if i + 1 == parts.len() => return Ok(Target::File(e)),
                None if i + 1 == parts.len() => {
                    let path = format!("{}\\{name}", cur.trim_end_matches('\\'));
                    return match self.files.get(&path) {
                        Some(f) => Ok(Target::User(f.path.clone())),
                        None => Err(PathError::Path),
                    };
                }
                _ => return Err(PathError::Path),
            }
        }
        Ok(Target::Dir(cur))
    }
}

/// One line of a listing: the name as shown and what the drive table says of it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Listed {
    name: String,
    entry: &'static DriveEntry,
    /// A learner's file: its size and date, which the table does not know.
    user: Option<(u64, i64)>,
}

impl Listed {
    fn of(entry: &'static DriveEntry, name: &str) -> Listed {
        Listed {
            name: name.to_string(),
            entry,
            user: None,
        }
    }

    fn user(f: &UserFile) -> Listed {
        Listed {
            name: split_path(&f.path).1.to_string(),
            entry: &USER_FILE,
            user: Some((f.data.len() as u64, f.local_secs)),
        }
    }

    /// A file's size; `None` for a folder.
    fn size(&self) -> Option<u64> {
        self.user.map(|(n, _)| n).or(self.entry.size)
    }
}

/// What a learner's file is to the listing's filters: a plain file.
const USER_FILE: DriveEntry = DriveEntry {
    path: "",
    on: 0,
    size: Some(0),
    flags: 0,
};

/// What `.` and `..` are in a listing: plain folders.
const DOTS: DriveEntry = DriveEntry {
    path: "",
    on: 0,
    size: None,
    flags: 0,
};

/// A folder, for `/ad`: the drive table knows a folder by its lack of a size.
const FOLDER: u8 = 16;

/// Which entries a listing shows: without `/a`, none that is hidden or system; with `/a`,
/// all, or those its attributes name (`d` folders, `h` hidden, `s` system, `l` junctions,
/// each may be preceded by `-` for "not"), as `dir /ad` or `dir /a:-d`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Show {
    all: bool,
    set: u8,
    clear: u8,
}

impl Show {
    /// What follows `/a` (in lower case); `None` for an attribute the drive does not know.
    fn parse(spec: &str) -> Option<Show> {
        let spec = spec.strip_prefix(':').unwrap_or(spec);
        let mut show = Show {
            all: true,
            ..Show::default()
        };
        let mut not = false;
        for b in spec.bytes() {
            let bit = match b {
                b'-' if !not => {
                    not = true;
                    continue;
                }
                b'd' => FOLDER,
                b'h' => HIDDEN,
                b's' => SYSTEM,
                b'l' => JUNCTION,
                _ => return None,
            };
            *(if not { &mut show.clear } else { &mut show.set }) |= bit;
            not = false;
        }
        (!not).then_some(show)
    }

    fn shows(&self, e: &DriveEntry) -> bool {
        let has = e.flags | if e.size.is_none() { FOLDER } else { 0 };
        has & self.set == self.set && has & self.clear == 0 && self.enters(e)
    }

    /// Whether `dir /s` goes into this folder: a hidden or system one only with `/a`.
    fn enters(&self, e: &DriveEntry) -> bool {
        self.all || e.flags & (HIDDEN | SYSTEM) == 0
    }
}

/// Names in the order NTFS lists them: by character, any case.
fn name_order(a: &str, b: &str) -> std::cmp::Ordering {
    let fold = |s: &str| {
        s.chars()
            .map(|c| c.to_ascii_uppercase())
            .collect::<Vec<char>>()
    };
    fold(a).cmp(&fold(b))
}

/// A typed `dir` path's folder part (with its `\`) and last name: `\windows\*.exe` →
/// (`\windows\`, `*.exe`), `c:x` → (`c:`, `x`).
fn split_typed(typed: &str) -> (&str, &str) {
    match typed.rfind(['\\', '/']) {
        Some(i) => (&typed[..=i], &typed[i + 1..]),
        None if is_drive_prefixed(typed) => typed.split_at(2),
        None => ("", typed),
    }
}

/// A device Windows reserves in every folder, whatever the extension or case (`nul.txt`,
/// `C:\WINDOWS\Con`): it never becomes a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Device {
    /// `CON`: the screen.
    Screen,
    /// `NUL` throws what is written away; `PRN`, `AUX`, `COM1`-`COM9`, `LPT1`-`LPT9` do too
    /// here, as with nothing attached to the port (R: Windows may instead wait, then fail).
    Discard,
}

/// The device a typed name names, if any.
pub fn device(typed: &str) -> Option<Device> {
    let name = split_typed(typed).1;
    let stem = name.split('.').next().unwrap_or(name).trim_end();
    match stem.to_ascii_lowercase().as_str() {
        "con" => Some(Device::Screen),
        "nul" | "prn" | "aux" => Some(Device::Discard),
        s if s.len() == 4
            && (s.starts_with("com") || s.starts_with("lpt"))
            && matches!(s.as_bytes()[3], b'1'..=b'9') =>
        {
            Some(Device::Discard)
        }
        _ => None,
    }
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
        .map(|e| match e.size() {
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

/// `color [attr]`: one or two hex digits, or nothing, are taken without a word (the window
/// keeps its colours; the same digit twice would only set ERRORLEVEL); anything else prints
/// the help, as cmd does.
pub fn color(raw: &str) -> Vec<String> {
    let arg = raw.trim();
    if arg.len() <= 2 && arg.bytes().all(|b| b.is_ascii_hexdigit()) {
        Vec::new()
    } else {
        help_lines("color")
    }
}

const DAY_MS: i64 = 86_400_000;

/// The local clock, in milliseconds since 1970, after a line typed to `date` (US English
/// `mm-dd-yy`: `-`, `/` or `.` between; a two-digit year is 1980-2079, R) at `local_ms`:
/// the same time of day on that date. `None` for anything cmd would not take as a date, a
/// day past its month's end included.
pub fn typed_date(typed: &str, local_ms: i64) -> Option<i64> {
    let ([m, d, y, _], 3) = numbers(typed, &['-', '/', '.'])? else {
        return None;
    };
    let year = i64::from(match y {
        0..=79 => y + 2000,
        80..=99 => y + 1900,
        _ => y,
    });
    let in_range = (1980..=2099).contains(&year) && (1..=12).contains(&m) && (1..=31).contains(&d);
    if !in_range {
        return None;
    }
    let days = days_from_civil(year, m, d);
    (civil_from_days(days) == (year, m, d)).then(|| days * DAY_MS + local_ms.rem_euclid(DAY_MS))
}

/// Up to four numbers with one of `separators` between each two, the ones not typed 0, and
/// how many were typed; `None` when a part is no number or there are more.
fn numbers(typed: &str, separators: &[char]) -> Option<([u32; 4], usize)> {
    let mut n = [0; 4];
    let mut count = 0;
    for part in typed.split(separators) {
        *n.get_mut(count)? = part.trim().parse().ok()?;
        count += 1;
    }
    Some((n, count))
}

/// The local clock after a line typed to `time` at `local_ms`: `h[:mm[:ss[.cc]]]` on the
/// 24-hour clock, or the 12-hour one with `a`, `p`, `am` or `pm` after it; the parts left
/// out are 0. `None` for anything cmd would not take as a time.
pub fn typed_time(typed: &str, local_ms: i64) -> Option<i64> {
    let lower = typed.trim().to_ascii_lowercase();
    let mut body = lower.as_str();
    let mut half = None;
    for (suffix, add) in [("am", 0), ("pm", 12), ("a", 0), ("p", 12)] {
        if let Some(rest) = body.strip_suffix(suffix) {
            body = rest.trim_end();
            half = Some(add);
            break;
        }
    }
    let ([mut h, m, sec, cs], _) = numbers(body, &[':', '.'])?;
    if let Some(add) = half {
        if !(1..=12).contains(&h) {
            return None;
        }
        h = h % 12 + add;
    }
    (h < 24 && m < 60 && sec < 60 && cs < 100).then(|| {
        let ms = ((h * 60 + m) * 60 + sec) * 1000 + cs * 10;
        local_ms.div_euclid(DAY_MS) * DAY_MS + i64::from(ms)
    })
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
    fn a_failed_copy_leaves_no_file_and_says_none_was_copied() {
        use super::super::files::MAX_BYTES;
        let mut sh = Shell::new(WindowsVersion::Xp);
        assert_eq!(sh.files.open("C:\\big.txt", false, 0), Ok(()));
        let big = "x".repeat(MAX_BYTES / 2 + 1);
        assert_eq!(sh.files.append("C:\\big.txt", &big), Ok(()));
        let out = sh.copy("\\big.txt \\two.txt", true, 0);
        assert_eq!(out, [text::DISK_FULL.to_string(), text::copied(0)]);
        assert!(sh.files.get("C:\\two.txt").is_none());
        // The free space `dir` shows goes down by what the learner's files hold.
        let free = sh.dir("\\big.txt", true).pop();
        let want = text::thousands(6_203_310_080 - big.len() as u64);
        assert!(free.is_some_and(|l| l.ends_with(&format!(" {want} bytes free"))));
        // A read-only file of the drive table copies, empty as `type` shows it.
        assert_eq!(sh.copy("\\boot.ini b.txt", true, 0), [text::copied(1)]);
        let copied = sh
            .files
            .get("C:\\Documents and Settings\\Administrator\\b.txt");
        assert_eq!(copied.map(|f| f.data.as_str()), Some(""));
    }

    #[test]
    fn device_names_are_devices_in_any_folder_case_or_extension() {
        for name in ["con", "C:\\WINDOWS\\Con.txt", "CON "] {
            assert_eq!(device(name), Some(Device::Screen), "{name}");
        }
        for name in [
            "nul", "NUL.txt", "x\\prn", "aux.log", "COM1", "lpt9.txt", "C:nul",
        ] {
            assert_eq!(device(name), Some(Device::Discard), "{name}");
        }
        for name in ["com10", "com0", "lpt", "null", "a.con", "nul\\x.txt", ""] {
            assert_eq!(device(name), None, "{name}");
        }
    }

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
    fn date_takes_us_dates_and_keeps_the_time_of_day() {
        // 2007-06-12 04:30:00.00 local.
        let now = 1_181_622_600_000;
        let day = |y, m, d| days_from_civil(y, m, d) * DAY_MS + 4 * 3_600_000 + 30 * 60_000;
        assert_eq!(typed_date("11-24-2026", now), Some(day(2026, 11, 24)));
        assert_eq!(typed_date(" 2/29/2028 ", now), Some(day(2028, 2, 29)));
        assert_eq!(typed_date("1.2.99", now), Some(day(1999, 1, 2)));
        assert_eq!(typed_date("12-31-79", now), Some(day(2079, 12, 31)));
        for bad in [
            "",
            "x",
            "2/29/2027",
            "13-1-2026",
            "0-1-2026",
            "4-31-2026",
            "1-0-2026",
            "1-1-1979",
            "1-1-2100",
            "1-1",
            "1-1-2026-1",
            "1-1-x",
            "4294967295-1-2026",
        ] {
            assert_eq!(typed_date(bad, now), None, "{bad}");
        }
    }

    #[test]
    fn time_takes_24_and_12_hour_times_and_keeps_the_day() {
        let midnight = 1_181_606_400_000;
        let at = |h: i64, m: i64, s: i64, cs: i64| {
            Some(midnight + ((h * 60 + m) * 60 + s) * 1000 + cs * 10)
        };
        let now = midnight + 4_000;
        assert_eq!(typed_time("13:05", now), at(13, 5, 0, 0));
        assert_eq!(typed_time("7", now), at(7, 0, 0, 0));
        assert_eq!(typed_time("23:59:59.99", now), at(23, 59, 59, 99));
        assert_eq!(typed_time("3:51p", now), at(15, 51, 0, 0));
        assert_eq!(typed_time("3:51 PM", now), at(15, 51, 0, 0));
        assert_eq!(typed_time("12:10am", now), at(0, 10, 0, 0));
        assert_eq!(typed_time("12:10 p", now), at(12, 10, 0, 0));
        for bad in [
            "",
            "pm",
            "24",
            "1:60",
            "1:1:60",
            "1:1:1.100",
            "1:2:3.4.5",
            "13pm",
            "0a",
            "x",
            "1:x",
        ] {
            assert_eq!(typed_time(bad, now), None, "{bad}");
        }
    }

    #[test]
    fn path_type_vol_and_color_answer_as_cmd_does() {
        let mut sh = Shell::new(WindowsVersion::Win10);
        assert_eq!(
            sh.path("", "PC"),
            ["PATH=C:\\Windows\\system32;C:\\Windows;C:\\Windows\\System32\\Wbem;C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\"]
        );
        // `path` shows what `set` holds, and setting either is seen by the other.
        assert!(sh.path("=C:\\tools", "PC").is_empty());
        assert_eq!(sh.set("path", "PC")[0], "Path=C:\\tools");
        assert!(sh.path(" ;", "PC").is_empty());
        assert_eq!(sh.path("", "PC"), [text::NO_PATH]);
        assert!(sh.set("pAtH=x", "PC").is_empty());
        assert_eq!(sh.path("", "PC"), ["PATH=x"]);

        sh.cd("\\", true);
        assert_eq!(
            sh.type_file("nosuch.txt", true),
            Err(text::FILE_NOT_SPECIFIED)
        );
        assert_eq!(sh.type_file("\\nosuch\\x", true), Err(text::PATH_NOT_FOUND));
        assert_eq!(sh.type_file("q:\\x", true), Err(text::PATH_NOT_FOUND));
        assert_eq!(
            sh.type_file("\"Program Files\"", true),
            Err(text::ACCESS_DENIED)
        );
        assert_eq!(
            sh.type_file("windows\\system32\\ping.exe", true),
            Ok(vec![])
        );
        assert_eq!(sh.type_file("", true), Err(text::SET_SYNTAX));

        assert_eq!(
            sh.vol(""),
            [
                " Volume in drive C has no label.",
                " Volume Serial Number is B2D7-4E19"
            ]
        );
        assert_eq!(sh.vol(" C:"), sh.vol(""));
        assert_eq!(sh.vol(" d:"), [text::PATH_NOT_FOUND]);

        for ok in ["", " 1f", " A", "07"] {
            assert!(color(ok).is_empty(), "{ok}");
        }
        for bad in [" zz", " 123", " 1g"] {
            assert_eq!(color(bad), help_lines("color"), "{bad}");
        }
        assert!(!help_lines("color").is_empty());
    }

    #[test]
    fn every_internal_command_has_help_and_a_help_line() {
        for (name, _) in INTERNAL {
            assert!(!help_lines(name).is_empty(), "{name} /?");
            let upper = name.to_ascii_uppercase();
            assert!(
                text::CMD_HELP
                    .iter()
                    .any(|l| l.split(' ').next() == Some(&upper)),
                "help lists {upper}"
            );
        }
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

    #[test]
    fn hidden_and_system_entries_show_only_with_a() {
        let names = |os, args: &str| {
            let mut sh = Shell::new(os);
            sh.cd("\\", true);
            sh.dir(args, true)
        };
        for os in WindowsVersion::ALL {
            let plain = names(os, "/b");
            let all = names(os, "/a /b");
            assert!(
                !plain.iter().any(|n| n == "System Volume Information"),
                "{os}"
            );
            assert!(all.iter().any(|n| n == "System Volume Information"), "{os}");
            assert!(all.iter().any(|n| n == "pagefile.sys"), "{os}");
            // Everything /b shows, /a shows too, in the same order.
            let kept: Vec<&String> = all.iter().filter(|n| plain.contains(n)).collect();
            assert_eq!(kept, plain.iter().collect::<Vec<_>>(), "{os}");
        }
        let xp_hidden = names(WindowsVersion::Xp, "/ah /b");
        assert_eq!(
            xp_hidden,
            [
                "boot.ini",
                "NTDETECT.COM",
                "ntldr",
                "pagefile.sys",
                "RECYCLER",
                "System Volume Information"
            ]
        );
        assert_eq!(
            names(WindowsVersion::Win10, "/a:-d /b"),
            ["hiberfil.sys", "pagefile.sys"]
        );
        assert_eq!(
            names(WindowsVersion::Win7, "/ad-h /b"),
            ["PerfLogs", "Program Files", "Users", "Windows"]
        );
        assert_eq!(names(WindowsVersion::Win7, "/ah-s /b"), ["ProgramData"]);
        let junction = names(WindowsVersion::Win7, "/al");
        assert_eq!(
            junction[5],
            "02/22/2011  10:05 AM    <JUNCTION>     Documents and Settings [C:\\Users]"
        );
        // A hidden file named alone is not listed without /a, as on Windows.
        assert_eq!(names(WindowsVersion::Xp, "ntldr")[5], text::FILE_NOT_FOUND);
        assert!(names(WindowsVersion::Xp, "ntldr /a")[5].ends_with(" 250,032 ntldr"));
        for bad in ["/ax", "/a:r", "/a-", "/a--d"] {
            let switch = bad.trim_start_matches('/');
            assert_eq!(
                names(WindowsVersion::Xp, bad),
                [format!("Invalid switch - \"{switch}\".")],
                "{bad}"
            );
        }
    }

    #[test]
    fn dir_s_lists_every_folder_below_and_totals_them() {
        let mut sh = Shell::new(WindowsVersion::Win2000);
        sh.cd("\\", true);
        let out = sh.dir("/s ping.exe", true);
        assert_eq!(out[3], " Directory of C:\\WINNT\\system32");
        assert_eq!(out[5], "03/14/2005  09:12a              16,144 ping.exe");
        assert_eq!(out[6], "               1 File(s)         16,144 bytes");
        assert_eq!(out[7], "");
        assert_eq!(out[8], text::DIR_TOTAL);
        assert_eq!(
            out[10],
            "               0 Dir(s)   2,147,061,760 bytes free"
        );
        assert_eq!(out.len(), 11);
        // Every folder of the drive below the root, each once, folders before what is in them.
        let all = sh.dir("/s", true);
        let headings: Vec<&String> = all
            .iter()
            .filter(|l| l.starts_with(" Directory of"))
            .collect();
        let visible = sh
            .entries(true)
            .filter(|e| e.size.is_none() && e.flags & HIDDEN == 0)
            .count();
        assert_eq!(headings.len(), visible + 1);
        assert_eq!(headings[1], " Directory of C:\\Documents and Settings");
        assert_eq!(
            headings[2],
            " Directory of C:\\Documents and Settings\\Administrator"
        );
        // Only /a goes into hidden folders; nothing goes through a junction.
        assert!(!all.iter().any(|l| l.contains("RECYCLER")));
        assert!(sh
            .dir("/s /a", true)
            .contains(&" Directory of C:\\RECYCLER".to_string()));
        let mut sh = Shell::new(WindowsVersion::Win10);
        sh.cd("\\", true);
        let deep = sh.dir("/s /a /b", true);
        assert!(deep.contains(&"C:\\Users\\Public".to_string()));
        assert!(!deep
            .iter()
            .any(|l| l.starts_with("C:\\Documents and Settings\\")));
        // A path and pattern below the current folder, and nothing found anywhere.
        assert_eq!(
            sh.dir("/s /b \\windows\\t*.exe", false),
            ["C:\\Windows\\System32\\TRACERT.EXE"]
        );
        assert_eq!(
            sh.dir("/s nosuch", true)[2..],
            [text::FILE_NOT_FOUND.to_string()]
        );
        assert_eq!(sh.dir("/s /b nosuch", true), [text::FILE_NOT_FOUND]);
        assert_eq!(sh.dir("/s \\nosuch\\x", true), [text::PATH_NOT_FOUND]);
        assert_eq!(sh.dir("/s d:\\", true), [text::DRIVE_NOT_FOUND]);
    }

    #[test]
    fn redirected_files_are_made_typed_listed_and_deleted() {
        let mut sh = Shell::new(WindowsVersion::Xp);
        let open = |sh: &mut Shell, p: &str| sh.open_out(p, false, true, 86_400);
        assert_eq!(
            open(&mut sh, "ip.txt"),
            Ok("C:\\Documents and Settings\\Administrator\\ip.txt".into())
        );
        assert_eq!(
            open(&mut sh, "c:\\Windows\\x.txt."),
            Ok("C:\\WINDOWS\\x.txt".into())
        );
        assert_eq!(open(&mut sh, "\\WINDOWS"), Err(text::ACCESS_DENIED));
        assert_eq!(open(&mut sh, "\\boot.ini"), Err(text::ACCESS_DENIED));
        assert_eq!(open(&mut sh, "\\nope\\x.txt"), Err(text::PATH_NOT_FOUND));
        assert_eq!(open(&mut sh, "d:\\x.txt"), Err(text::PATH_NOT_FOUND));
        assert_eq!(open(&mut sh, "a*b"), Err(text::BAD_NAME));
        assert_eq!(
            sh.files.append("C:\\WINDOWS\\x.txt", "one\r\ntwo\r\n"),
            Ok(())
        );
        assert_eq!(
            sh.type_file("\\windows\\X.TXT", true),
            Ok(vec!["one".into(), "two".into()])
        );
        assert_eq!(sh.read("\\windows\\x.txt", true).map(|t| t.len()), Ok(10));
        let listing = sh.dir("\\windows\\*.txt", true);
        assert!(
            listing.contains(&"01/02/1970  12:00 AM                10 x.txt".to_string()),
            "{listing:?}"
        );
        assert!(listing.contains(&"               1 File(s)             10 bytes".to_string()));
        assert_eq!(
            sh.cd("\\windows\\x.txt", true),
            [text::DIRECTORY_NAME_INVALID]
        );
        assert_eq!(sh.del("\\windows\\*.txt ip.txt", true), Ok(vec![]));
        assert_eq!(
            sh.del("ip.txt \\boot.ini", true),
            Err(vec![
                "Could Not Find C:\\Documents and Settings\\Administrator\\ip.txt".to_string(),
                text::ACCESS_DENIED.to_string()
            ])
        );
        assert_eq!(sh.del("", true), Err(vec![text::SET_SYNTAX.to_string()]));
        assert_eq!(
            text::dir_file_line(WindowsVersion::Win2000, 13 * 3600, 5, "a"),
            "01/01/1970  01:00p                   5 a"
        );
    }
}
