//! Every text the workstation prints, per Windows version, in one place.
//!
//! Marks follow `../shared/reference/microsoft-replies.md`: **C** verbatim from a Microsoft
//! article or trace, **M** one third-party source, **R** a reconstruction (plausible, written
//! for the simulator). Each constant or table says which it is.

use crate::scenario::WindowsVersion;
use crate::smtp::reply::{civil_from_days, DAYS};

/// The cmd.exe window's banner and the `ver` line (R: from memory of each release).
pub fn cmd_banner(os: WindowsVersion) -> &'static [&'static str] {
    match os {
        WindowsVersion::Win2000 => &[
            "Microsoft Windows 2000 [Version 5.00.2195]",
            "(C) Copyright 1985-2000 Microsoft Corp.",
        ],
        WindowsVersion::Xp => &[
            "Microsoft Windows XP [Version 5.1.2600]",
            "(C) Copyright 1985-2001 Microsoft Corp.",
        ],
        WindowsVersion::Win2003 => &[
            "Microsoft Windows [Version 5.2.3790]",
            "(C) Copyright 1985-2003 Microsoft Corp.",
        ],
        WindowsVersion::Win7 => &[
            "Microsoft Windows [Version 6.1.7601]",
            "Copyright (c) 2009 Microsoft Corporation.  All rights reserved.",
        ],
        WindowsVersion::Win10 => &[
            "Microsoft Windows [Version 10.0.19045.3570]",
            "(c) Microsoft Corporation. All rights reserved.",
        ],
    }
}

/// The folder a new cmd window starts in (issue 3: `C:\` on 2000, the profile folder
/// elsewhere); `cd` moves from here among [`DRIVE_C`].
pub fn cmd_home(os: WindowsVersion) -> &'static str {
    match os {
        WindowsVersion::Win2000 => "C:\\",
        _ => user_profile(os),
    }
}

/// The Administrator's profile folder (`%USERPROFILE%`).
fn user_profile(os: WindowsVersion) -> &'static str {
    if os.is_vista_or_later() {
        "C:\\Users\\Administrator"
    } else {
        "C:\\Documents and Settings\\Administrator"
    }
}

/// The cmd prompt (`$P$G`): the current folder and `>`; nothing at all after `echo off`.
pub fn cmd_prompt(cwd: &str, echo: bool) -> String {
    if echo {
        format!("{cwd}>")
    } else {
        String::new()
    }
}

/// The not-recognized error, two lines (C).
pub fn not_recognized(name: &str) -> [String; 2] {
    [
        format!("'{name}' is not recognized as an internal or external command,"),
        "operable program or batch file.".to_string(),
    ]
}

/// `help` (R: the format of cmd's list, its one-line descriptions (M), only the commands the
/// simulator runs; each is in all five versions).
pub const CMD_HELP: &[&str] = &[
    "For more information on a specific command, type HELP command-name",
    "CD             Displays the name of or changes the current directory.",
    "CHDIR          Displays the name of or changes the current directory.",
    "CLS            Clears the screen.",
    "COLOR          Sets the default console foreground and background colors.",
    "COPY           Copies one or more files to another location.",
    "DATE           Displays or sets the date.",
    "DEL            Deletes one or more files.",
    "DIR            Displays a list of files and subdirectories in a directory.",
    "ECHO           Displays messages, or turns command echoing on or off.",
    "ERASE          Deletes one or more files.",
    "EXIT           Quits the CMD.EXE program (command interpreter).",
    "HELP           Provides Help information for Windows commands.",
    "PATH           Displays or sets a search path for executable files.",
    "PAUSE          Suspends processing of a batch file and displays a message.",
    "REN            Renames a file or files.",
    "RENAME         Renames a file or files.",
    "SET            Displays, sets, or removes Windows environment variables.",
    "START          Starts a separate window to run a specified program or command.",
    "TIME           Displays or sets the system time.",
    "TITLE          Sets the window title for a CMD.EXE session.",
    "TYPE           Displays the contents of a text file.",
    "VER            Displays the Windows version.",
    "VOL            Displays a disk volume label and serial number.",
    "",
    "Network tools in this window: HOSTNAME, IPCONFIG, NSLOOKUP, PING, TELNET, TRACERT",
    "(type the name followed by /? for its options).",
    "Filters for a command's output (cmd | FIND \"text\"): FIND, FINDSTR, MORE.",
];

/// `help <external command>` (M).
pub fn help_not_supported(name: &str) -> String {
    format!("This command is not supported by the help utility.  Try \"{name} /?\".")
}

/// `set =x`: a name is missing; `type` with no file (C).
pub const SET_SYNTAX: &str = "The syntax of the command is incorrect.";

/// An operator with no command before it: `| more`, `& echo` (M).
pub fn unexpected(op: &str) -> String {
    format!("{op} was unexpected at this time.")
}

/// A redirection to a name Windows forbids (`> a*b`) (C).
pub const BAD_NAME: &str = "The filename, directory name, or volume label syntax is incorrect.";

/// A write past the simulated disk's room (C).
pub const DISK_FULL: &str = "There is not enough space on the disk.";

/// `del` of a name that is not there, with its full path (C).
pub fn could_not_find(path: &str) -> String {
    format!("Could Not Find {path}")
}

/// What `copy` says it did (C: eight blanks, then the count).
pub fn copied(n: usize) -> String {
    format!("        {n} file(s) copied.")
}

/// `copy` of a file onto itself (C).
pub const COPY_ONTO_ITSELF: &str = "The file cannot be copied onto itself.";

/// `ren` to a name that is taken (C).
pub const DUPLICATE: &str = "A duplicate file name exists, or the file cannot be found.";

/// `find` with its string not in double quotes, or none (C).
pub const FIND_FORMAT: &str = "FIND: Parameter format not correct";

/// Reading `con` (`type con`, `copy con FILE`): the simulator's own refusal, not Windows' (it
/// would read the keyboard until Ctrl+Z).
pub const CON_INPUT: &str =
    "Reading from CON (the keyboard) is not simulated here: make a file with echo TEXT > FILE.";

/// `find` with a switch it does not know (C: find.exe's message table, MSG_FIND_INVALID_SWITCH).
pub const FIND_SWITCH: &str = "FIND: Invalid switch";

/// `find` of a file that is not there, the name as `find` upper-cases it (C).
pub fn find_no_file(name: &str) -> String {
    format!("File not found - {}", name.to_ascii_uppercase())
}

/// The heading `find` writes before each file's lines (C), with `: count` under `/c`.
pub fn find_heading(name: &str) -> String {
    format!("---------- {}", name.to_ascii_uppercase())
}

/// `findstr` with nothing to search for (C).
pub const FINDSTR_BAD: &str = "FINDSTR: Bad command line";

/// `findstr` with a search string over its 127 characters (M).
pub const FINDSTR_TOO_LONG: &str = "FINDSTR: Search string too long.";

/// `findstr` of a file that is not there (C).
pub fn findstr_no_file(name: &str) -> String {
    format!("FINDSTR: Cannot open {name}")
}

/// The prompt `more` shows when a screen is full (C).
pub const MORE_PROMPT: &str = "-- More --";

/// `set NAME` when no variable starts with NAME (C).
pub fn env_not_defined(name: &str) -> String {
    format!("Environment variable {name} not defined")
}

/// The environment a new cmd window has, in the order `set` lists it (by name, whatever the
/// case), for a workstation called `computer` (R: the usual variables of each version for a
/// local Administrator; `{profile}`, `{windir}` and `{computer}` are filled in).
pub fn cmd_environment(os: WindowsVersion, computer: &str) -> Vec<(String, String)> {
    const NT5: &[(&str, &str)] = &[
        ("ALLUSERSPROFILE", "C:\\Documents and Settings\\All Users"),
        ("APPDATA", "{profile}\\Application Data"),
        ("CommonProgramFiles", "C:\\Program Files\\Common Files"),
        ("COMPUTERNAME", "{computer}"),
        ("ComSpec", "{windir}\\system32\\cmd.exe"),
        ("HOMEDRIVE", "C:"),
        ("HOMEPATH", "\\Documents and Settings\\Administrator"),
        ("LOGONSERVER", "\\\\{computer}"),
        ("NUMBER_OF_PROCESSORS", "1"),
        ("OS", "Windows_NT"),
        (
            "Path",
            "{windir}\\system32;{windir};{windir}\\System32\\Wbem",
        ),
        (
            "PATHEXT",
            ".COM;.EXE;.BAT;.CMD;.VBS;.VBE;.JS;.JSE;.WSF;.WSH",
        ),
        ("PROCESSOR_ARCHITECTURE", "x86"),
        ("PROMPT", "$P$G"),
        ("SystemDrive", "C:"),
        ("SystemRoot", "{windir}"),
        ("TEMP", "C:\\DOCUME~1\\ADMINI~1\\LOCALS~1\\Temp"),
        ("TMP", "C:\\DOCUME~1\\ADMINI~1\\LOCALS~1\\Temp"),
        ("USERDOMAIN", "{computer}"),
        ("USERNAME", "Administrator"),
        ("USERPROFILE", "{profile}"),
        ("windir", "{windir}"),
    ];
    const NT6: &[(&str, &str)] = &[
        ("ALLUSERSPROFILE", "C:\\ProgramData"),
        ("APPDATA", "{profile}\\AppData\\Roaming"),
        ("CommonProgramFiles", "C:\\Program Files\\Common Files"),
        ("COMPUTERNAME", "{computer}"),
        ("ComSpec", "{windir}\\system32\\cmd.exe"),
        ("HOMEDRIVE", "C:"),
        ("HOMEPATH", "\\Users\\Administrator"),
        ("LOCALAPPDATA", "{profile}\\AppData\\Local"),
        ("LOGONSERVER", "\\\\{computer}"),
        ("NUMBER_OF_PROCESSORS", "2"),
        ("OS", "Windows_NT"),
        (
            "Path",
            "{windir}\\system32;{windir};{windir}\\System32\\Wbem;{windir}\\System32\\WindowsPowerShell\\v1.0\\",
        ),
        ("PATHEXT", ".COM;.EXE;.BAT;.CMD;.VBS;.VBE;.JS;.JSE;.WSF;.WSH;.MSC"),
        ("PROCESSOR_ARCHITECTURE", "x86"),
        ("ProgramData", "C:\\ProgramData"),
        ("PROMPT", "$P$G"),
        ("PUBLIC", "C:\\Users\\Public"),
        ("SystemDrive", "C:"),
        ("SystemRoot", "{windir}"),
        ("TEMP", "C:\\Users\\ADMINI~1\\AppData\\Local\\Temp"),
        ("TMP", "C:\\Users\\ADMINI~1\\AppData\\Local\\Temp"),
        ("USERDOMAIN", "{computer}"),
        ("USERNAME", "Administrator"),
        ("USERPROFILE", "{profile}"),
        ("windir", "{windir}"),
    ];
    let (table, windir) = match os {
        WindowsVersion::Win2000 => (NT5, "C:\\WINNT"),
        WindowsVersion::Xp | WindowsVersion::Win2003 => (NT5, "C:\\WINDOWS"),
        WindowsVersion::Win7 | WindowsVersion::Win10 => (NT6, "C:\\Windows"),
    };
    let profile = user_profile(os);
    table
        .iter()
        .map(|(name, value)| {
            let value = value
                .replace("{windir}", windir)
                .replace("{profile}", profile)
                .replace("{computer}", computer);
            (name.to_string(), value)
        })
        .collect()
}

/// `ren /?` and `rename /?` (M).
const HELP_REN: &str = "Renames a file or files.

RENAME [drive:][path]filename1 filename2.
REN [drive:][path]filename1 filename2.

Note that you cannot specify a new drive or path for your destination file.";

/// `del /?` and `erase /?` (M: the options the simulator takes, in cmd's layout).
const HELP_DEL: &str = "Deletes one or more files.

DEL [/P] [/F] [/S] [/Q] [/A[[:]attributes]] names
ERASE [/P] [/F] [/S] [/Q] [/A[[:]attributes]] names

  names         Specifies a list of one or more files or directories.
                Wildcards may be used to delete multiple files.";

const HELP_CD: &str = "Displays the name of or changes the current directory.

CHDIR [/D] [drive:][path]
CHDIR [..]
CD [/D] [drive:][path]
CD [..]

  ..   Specifies that you want to change to the parent directory.

Type CD drive: to display the current directory in the specified drive.
Type CD without parameters to display the current drive and directory.

Use the /D switch to change current drive in addition to changing current
directory for a drive.

If Command Extensions are enabled CHDIR changes as follows:

The current directory string is converted to use the same case as
the on disk names.  So CD C:\\TEMP would actually set the current
directory to C:\\Temp if that is the case on disk.

CHDIR command does not treat spaces as delimiters, so it is possible to
CD into a subdirectory name that contains a space without surrounding
the name with quotes.  For example:

    cd \\winnt\\profiles\\username\\programs\\start menu

is the same as:

    cd \"\\winnt\\profiles\\username\\programs\\start menu\"

which is what you would have to type if extensions were disabled.";

/// `help cls`, `cd /?` and friends (R: cmd's wording as remembered, `cd`'s extensions
/// paragraph M; `dir` lists only the switches the simulator has). `date`, `time`, `pause`,
/// `path`, `title`, `color`, `type` and `vol` are XP's texts as remembered (M), which later
/// versions kept.
pub const HELP_TOPICS: &[(&str, &str)] = &[
    (
        "set",
        "Displays, sets, or removes cmd.exe environment variables.

SET [variable=[string]]

  variable  Specifies the environment-variable name.
  string    Specifies a series of characters to assign to the variable.

Type SET without parameters to display the current environment variables.

Type SET with a name (SET P) to display every variable whose name starts with it.
SET variable= with nothing after the equal sign removes the variable.",
    ),
    ("cd", HELP_CD),
    ("chdir", HELP_CD),
    ("cls", "Clears the screen.\n\nCLS"),
    (
        "copy",
        "Copies one or more files to another location.

COPY source [destination]

  source       Specifies the file or files to be copied.
  destination  Specifies the directory and/or filename for the new file(s).",
    ),
    ("del", HELP_DEL),
    ("ren", HELP_REN),
    ("rename", HELP_REN),
    ("erase", HELP_DEL),
    (
        "find",
        "Searches for a text string in a file or files.

FIND [/V] [/C] [/N] [/I] \"string\" [[drive:][path]filename[ ...]]

  /V        Displays all lines NOT containing the specified string.
  /C        Displays only the count of lines containing the string.
  /N        Displays line numbers with the displayed lines.
  /I        Ignores the case of characters when searching for the string.
  \"string\"  Specifies the text string to find.
  [drive:][path]filename
            Specifies a file or files to search.

If a path is not specified, FIND searches the text typed at the prompt
or piped from another command.",
    ),
    (
        "findstr",
        "Searches for strings in files.

FINDSTR [/B] [/E] [/I] [/N] [/V] [/C:string] [strings] [[drive:][path]filename[ ...]]

  /B         Matches pattern if at the beginning of a line.
  /E         Matches pattern if at the end of a line.
  /I         Specifies that the search is not to be case-sensitive.
  /N         Prints the line number before each line that matches.
  /V         Prints only lines that do not contain a match.
  /C:string  Uses specified string as a literal search string.
  strings    Text to be searched for.
  [drive:][file][path]filename
             Specifies a file or files to search.

Use spaces to separate multiple search strings unless the argument is prefixed
with /C.  For example, 'FINDSTR \"hello there\" x.y' searches for \"hello\" or
\"there\" in file x.y.  'FINDSTR /C:\"hello there\" x.y' searches for
\"hello there\" in file x.y.

Regular expression quick reference:
  .        Wildcard: any character
  *        Repeat: zero or more occurances of previous character or class
  ^        Line position: beginning of line
  $        Line position: end of line",
    ),
    (
        "more",
        "Displays output one screen at a time.

MORE < [drive:][path]filename
command-name | MORE
MORE [drive:][path]filename

If extended features are enabled, the following commands
are accepted at the -- More -- prompt:

<space>  Display next page
<ret>    Display next line
Q        Quit",
    ),
    (
        "dir",
        "Displays a list of files and subdirectories in a directory.

DIR [drive:][path][filename] [/A[[:]attributes]] [/B] [/P] [/S] [/W]

  [drive:][path][filename]
              Specifies drive, directory, and/or files to list.

  /A          Displays files with specified attributes.
  attributes   D  Directories                H  Hidden files
               S  System files               L  Reparse Points
               -  Prefix meaning not
  /B          Uses bare format (no heading information or summary).
  /P          Pauses after each screenful of information.
  /S          Displays files in specified directory and all subdirectories.
  /W          Uses wide list format.",
    ),
    (
        "echo",
        "Displays messages, or turns command-echoing on or off.

  ECHO [ON | OFF]
  ECHO [message]

Type ECHO without parameters to display the current echo setting.",
    ),
    (
        "exit",
        "Quits the CMD.EXE program (command interpreter) or the current batch\nscript.\n\nEXIT",
    ),
    (
        "start",
        "Starts a separate window to run a specified program or command.

START [\"title\"] [/D path] [/I] [/MIN] [/MAX] [/SEPARATE | /SHARED]
      [/LOW | /NORMAL | /HIGH | /REALTIME | /ABOVENORMAL | /BELOWNORMAL]
      [/WAIT] [/B] [command/program]
      [parameters]",
    ),
    ("ver", "Displays the Windows version.\n\nVER"),
    (
        "date",
        "Displays or sets the date.

DATE [/T | date]

Type DATE without parameters to display the current date setting and
a prompt for a new one.  Press ENTER to keep the same date.

If Command Extensions are enabled the DATE command supports
the /T switch which tells the command to just output the
current date, without prompting for a new date.",
    ),
    (
        "time",
        "Displays or sets the system time.

TIME [/T | time]

Type TIME with no parameters to display the current time setting and a prompt
for a new one.  Press ENTER to keep the same time.

If Command Extensions are enabled the TIME command supports
the /T switch which tells the command to just output the
current time, without prompting for a new time.",
    ),
    (
        "pause",
        "Suspends processing of a batch program and displays the message
    Press any key to continue . . .",
    ),
    (
        "path",
        "Displays or sets a search path for executable files.

PATH [[drive:]path[;...][;%PATH%]
PATH ;

Type PATH ; to clear all search-path settings and direct cmd.exe to search
only in the current directory.
Type PATH without parameters to display the current path.
Including %PATH% in the new path setting causes the old path to be
appended to the new setting.",
    ),
    (
        "title",
        "Sets the window title for the command prompt window.

TITLE [string]

  string       Specifies the title for the command prompt window.",
    ),
    (
        "color",
        "Sets the default console foreground and background colors.

COLOR [attr]

  attr        Specifies color attribute of console output

Color attributes are specified by TWO hex digits -- the first
corresponds to the background; the second the foreground.  Each digit
can be any of the following values:

    0 = Black       8 = Gray
    1 = Blue        9 = Light Blue
    2 = Green       A = Light Green
    3 = Aqua        B = Light Aqua
    4 = Red         C = Light Red
    5 = Purple      D = Light Purple
    6 = Yellow      E = Light Yellow
    7 = White       F = Bright White

If no argument is given, this command restores the color to what it was
when CMD.EXE started.  This value either comes from the current console
window, the /T command line switch or from the DefaultColor registry
value.

The COLOR command sets ERRORLEVEL to 1 if an attempt is made to execute
the COLOR command with a foreground and background color that are the
same.

Example: \"COLOR fc\" produces light red on bright white",
    ),
    (
        "type",
        "Displays the contents of a text file or files.\n\nTYPE [drive:][path]filename",
    ),
    (
        "vol",
        "Displays the disk volume label and serial number, if they exist.\n\nVOL [drive:]",
    ),
    (
        "help",
        "Provides help information for Windows commands.\n\nHELP [command]\n\n    command - displays help information on that command.",
    ),
];

/// `echo` alone (C).
pub fn echo_state(on: bool) -> &'static str {
    if on {
        "ECHO is on."
    } else {
        "ECHO is off."
    }
}

/// `pause` (C), then it waits for one key.
pub const PAUSE: &str = "Press any key to continue . . . ";

/// `date` without `/t`: the label of the current date, the question, and what a line that is
/// no date gets before the question comes again (M: XP's to 10's wording; R on 2000).
pub const DATE_TEXTS: [&str; 3] = [
    "The current date is: ",
    "Enter the new date: (mm-dd-yy) ",
    "The system cannot accept the date entered.",
];

/// `time` without `/t`, as [`DATE_TEXTS`] (M; R on 2000).
pub const TIME_TEXTS: [&str; 3] = [
    "The current time is: ",
    "Enter the new time: ",
    "The system cannot accept the time entered.",
];

/// A day in US English as `date /t` and `date` show it, for a local time in milliseconds
/// since 1970 (M: `Tue 11/24/2026` on every version from 2000 to 10).
pub fn cmd_date(local_ms: i64) -> String {
    let days = local_ms.div_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    format!("{} {m:02}/{d:02}/{y}", DAYS[days.rem_euclid(7) as usize])
}

/// An event's date and time as Event Viewer lists it in US English: month, day and hour
/// without leading zeros, seconds, AM/PM (`6/12/2007 4:30:10 AM`; M: the list's Date and Time
/// columns on 2000 to 2003, one "Date and Time" column from Vista on), for local seconds
/// since 1970.
pub fn event_viewer_date_time(local_secs: i64) -> String {
    let days = local_secs.div_euclid(86_400);
    let secs = local_secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let h = secs / 3600;
    let half = if h >= 12 { "PM" } else { "AM" };
    format!(
        "{m}/{d}/{y} {}:{:02}:{:02} {half}",
        (h + 11) % 12 + 1,
        secs / 60 % 60,
        secs % 60
    )
}

/// The time of day as `time /t` (`short`) and `time` show it. `time /t` is the 12-hour clock
/// without seconds: `03:51 PM` from XP on (M), `03:51p` on 2000 as its `dir` writes times
/// (R). `time` gives the 24-hour `%TIME%` form with hundredths and a blank before a one-digit
/// hour, ` 9:05:12.34` (M).
pub fn cmd_time(os: WindowsVersion, local_ms: i64, short: bool) -> String {
    let ms = local_ms.rem_euclid(86_400_000);
    let (h, m) = (ms / 3_600_000, ms / 60_000 % 60);
    if !short {
        return format!("{h:>2}:{m:02}:{:02}.{:02}", ms / 1000 % 60, ms / 10 % 100);
    }
    let half = match (os, h >= 12) {
        (WindowsVersion::Win2000, false) => "a",
        (WindowsVersion::Win2000, true) => "p",
        (_, false) => " AM",
        (_, true) => " PM",
    };
    format!("{:02}:{m:02}{half}", (h + 11) % 12 + 1)
}

/// `path` after `path ;` removed the search path (M).
pub const NO_PATH: &str = "No Path";
/// `type` of a folder (C).
pub const ACCESS_DENIED: &str = "Access is denied.";
/// `type` of a file that is not there (C).
pub const FILE_NOT_SPECIFIED: &str = "The system cannot find the file specified.";

/// `cd` to a folder that is not there (C).
pub const PATH_NOT_FOUND: &str = "The system cannot find the path specified.";
/// `cd` to another drive letter: the workstation has only C: (C).
pub const DRIVE_NOT_FOUND: &str = "The system cannot find the drive specified.";
/// `cd` to a file (C).
pub const DIRECTORY_NAME_INVALID: &str = "The directory name is invalid.";
/// `dir` of a name that matches nothing (C).
pub const FILE_NOT_FOUND: &str = "File Not Found";

/// `dir` with a switch the simulator lacks (R: cmd's form of the message).
pub fn dir_invalid_switch(switch: &str) -> String {
    format!("Invalid switch - \"{switch}\".")
}

/// The two volume lines that open a `dir` listing, then a blank line (C for the wording; the
/// serial number is R, one per version).
pub fn dir_volume(os: WindowsVersion) -> [&'static str; 3] {
    let serial = match os {
        WindowsVersion::Win2000 => " Volume Serial Number is 3C4E-11A7",
        WindowsVersion::Xp => " Volume Serial Number is 7C1A-2F3B",
        WindowsVersion::Win2003 => " Volume Serial Number is 5E92-A06D",
        WindowsVersion::Win7 => " Volume Serial Number is 9A41-63C8",
        WindowsVersion::Win10 => " Volume Serial Number is B2D7-4E19",
    };
    [" Volume in drive C has no label.", serial, ""]
}

/// The `Directory of` line of a listing (C).
pub fn dir_of(path: &str) -> String {
    format!(" Directory of {path}")
}

/// A listing's line for a file the learner made: its own date (local seconds since 1970) in
/// the version's format, then its size (M: the layout of [`dir_line`]).
pub fn dir_file_line(os: WindowsVersion, local_secs: i64, size: u64, name: &str) -> String {
    let days = local_secs.div_euclid(86_400);
    let mins = local_secs.rem_euclid(86_400) / 60;
    let (y, m, d) = civil_from_days(days);
    let (h, min) = (mins / 60, mins % 60);
    let h12 = (h + 11) % 12 + 1;
    let stamp = match os {
        WindowsVersion::Win2000 => {
            let half = if h < 12 { 'a' } else { 'p' };
            format!("{m:02}/{d:02}/{y}  {h12:02}:{min:02}{half}      ")
        }
        _ => {
            let half = if h < 12 { "AM" } else { "PM" };
            format!("{m:02}/{d:02}/{y}  {h12:02}:{min:02} {half}    ")
        }
    };
    format!("{stamp}{:>14} {name}", thousands(size))
}

/// The date and time every entry of drive C shows (R: the day the image was installed); 2000
/// writes the time as `04:30p`, later versions as `04:30 PM` (M), padded so that `<DIR>` and
/// the sizes start in the same column.
pub fn dir_stamp(os: WindowsVersion) -> &'static str {
    match os {
        WindowsVersion::Win2000 => "03/14/2005  09:12a      ",
        WindowsVersion::Xp | WindowsVersion::Win2003 => "06/12/2007  04:30 AM    ",
        WindowsVersion::Win7 => "02/22/2011  10:05 AM    ",
        WindowsVersion::Win10 => "10/05/2023  08:41 AM    ",
    }
}

/// One line of a listing (M: the column layout): a folder's `<DIR>` or a file's size with
/// thousands separators, right-aligned, then the name; a junction (Vista and later's
/// `Documents and Settings`) says so and where it leads (C).
pub fn dir_line(os: WindowsVersion, entry: &DriveEntry, name: &str) -> String {
    let stamp = dir_stamp(os);
    match entry.size {
        _ if entry.flags & JUNCTION != 0 => format!("{stamp}<JUNCTION>     {name} [C:\\Users]"),
        None => format!("{stamp}<DIR>          {name}"),
        Some(n) => format!("{stamp}{:>14} {name}", thousands(n)),
    }
}

/// The files line that ends a listing, and each folder's block under `dir /s` (M: the widths).
pub fn dir_files(files: usize, bytes: u64) -> String {
    format!("{files:>16} File(s) {:>14} bytes", thousands(bytes))
}

/// The two summary lines of a listing (M: the widths), the free space less the `used` bytes of
/// the learner's files.
pub fn dir_summary(
    os: WindowsVersion,
    files: usize,
    bytes: u64,
    dirs: usize,
    used: u64,
) -> [String; 2] {
    [
        dir_files(files, bytes),
        format!(
            "{dirs:>16} Dir(s) {:>15} bytes free",
            thousands(dir_free_bytes(os).saturating_sub(used))
        ),
    ]
}

/// `dir /s`: the heading of the summary of every folder listed (C).
pub const DIR_TOTAL: &str = "     Total Files Listed:";

/// Free space on drive C (R).
fn dir_free_bytes(os: WindowsVersion) -> u64 {
    match os {
        WindowsVersion::Win2000 => 2_147_061_760,
        WindowsVersion::Xp => 6_203_310_080,
        WindowsVersion::Win2003 => 9_876_279_296,
        WindowsVersion::Win7 => 41_203_965_952,
        WindowsVersion::Win10 => 98_511_634_432,
    }
}

/// A number as `dir` writes it: `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A file or folder on the workstation's drive C, for `cd` and `dir`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DriveEntry {
    /// The full path as Windows spells it; the prompt and `dir` show this case.
    pub path: &'static str,
    /// The versions whose drive has it, one bit each (see [`DriveEntry::is_on`]): a byte
    /// rather than a list keeps the table, which the browser app carries, small.
    pub on: u8,
    /// A file's size in bytes; `None` for a folder.
    pub size: Option<u64>,
    /// What the drive knows of it besides its name and size: [`HIDDEN`], [`SYSTEM`],
    /// [`JUNCTION`] and [`TELNET`], one bit each.
    pub flags: u8,
}

/// Hidden (the H attribute): `dir` lists it only with `/a`.
pub const HIDDEN: u8 = 1;
/// A system file or folder (the S attribute): `dir` lists it only with `/a`.
pub const SYSTEM: u8 = 2;
/// A junction: Vista and later keep `C:\Documents and Settings` as one to `C:\Users` for
/// old programs (the drive's one junction, so [`dir_line`] names that target); cmd does not
/// go through it and `dir /s` does not follow it.
pub const JUNCTION: u8 = 4;
/// Present only while Telnet Client is installed (`telnet.exe`).
pub const TELNET: u8 = 8;

const W2K: &[WindowsVersion] = &[WindowsVersion::Win2000];
const NT5: &[WindowsVersion] = &[
    WindowsVersion::Win2000,
    WindowsVersion::Xp,
    WindowsVersion::Win2003,
];
const XP3: &[WindowsVersion] = &[WindowsVersion::Xp, WindowsVersion::Win2003];
const NT6: &[WindowsVersion] = &[WindowsVersion::Win7, WindowsVersion::Win10];
const W7: &[WindowsVersion] = &[WindowsVersion::Win7];
const W10: &[WindowsVersion] = &[WindowsVersion::Win10];
const ALL: &[WindowsVersion] = &WindowsVersion::ALL;

impl DriveEntry {
    /// Whether `os`'s drive has this entry.
    pub fn is_on(&self, os: WindowsVersion) -> bool {
        self.on & 1 << os as u8 != 0
    }
}

const fn entry(
    path: &'static str,
    on: &'static [WindowsVersion],
    size: Option<u64>,
    flags: u8,
) -> DriveEntry {
    let mut bits = 0;
    let mut i = 0;
    while i < on.len() {
        bits |= 1 << on[i] as u8;
        i += 1;
    }
    DriveEntry {
        path,
        on: bits,
        size,
        flags,
    }
}

const fn dir(path: &'static str, on: &'static [WindowsVersion]) -> DriveEntry {
    entry(path, on, None, 0)
}

const fn file(path: &'static str, on: &'static [WindowsVersion], size: u64) -> DriveEntry {
    entry(path, on, Some(size), 0)
}

const fn telnet_exe(path: &'static str, on: &'static [WindowsVersion], size: u64) -> DriveEntry {
    entry(path, on, Some(size), TELNET)
}

/// A hidden system file or folder of the root (`ntldr`, `pagefile.sys`, `RECYCLER`).
const fn system(
    path: &'static str,
    on: &'static [WindowsVersion],
    size: Option<u64>,
) -> DriveEntry {
    entry(path, on, size, HIDDEN | SYSTEM)
}

/// Drive C of each version (R: a small, plausible tree: the root, the profile folders, the
/// Windows folder and the tools the simulator runs in system32; the hidden and system entries
/// of the root that `dir /a` shows, M for the names, R for the sizes). `C:\` itself is
/// implicit.
pub const DRIVE_C: &[DriveEntry] = &[
    system("C:\\$Recycle.Bin", NT6, None),
    file("C:\\AUTOEXEC.BAT", NT5, 0),
    system("C:\\boot.ini", NT5, Some(211)),
    file("C:\\CONFIG.SYS", NT5, 0),
    entry(
        "C:\\Documents and Settings",
        NT6,
        None,
        HIDDEN | SYSTEM | JUNCTION,
    ),
    dir("C:\\Documents and Settings", NT5),
    dir("C:\\Documents and Settings\\Administrator", NT5),
    dir("C:\\Documents and Settings\\Administrator\\Desktop", NT5),
    dir("C:\\Documents and Settings\\Administrator\\Favorites", NT5),
    dir(
        "C:\\Documents and Settings\\Administrator\\My Documents",
        NT5,
    ),
    dir("C:\\Documents and Settings\\Administrator\\Start Menu", NT5),
    dir("C:\\Documents and Settings\\All Users", NT5),
    system("C:\\hiberfil.sys", NT6, Some(3_219_730_432)),
    system("C:\\NTDETECT.COM", W2K, Some(34_468)),
    system("C:\\NTDETECT.COM", XP3, Some(47_564)),
    system("C:\\ntldr", W2K, Some(214_416)),
    system("C:\\ntldr", XP3, Some(250_032)),
    system("C:\\pagefile.sys", NT5, Some(402_653_184)),
    system("C:\\pagefile.sys", NT6, Some(4_293_386_240)),
    dir("C:\\PerfLogs", NT6),
    dir("C:\\Program Files", ALL),
    dir("C:\\Program Files\\Common Files", ALL),
    dir("C:\\Program Files\\Internet Explorer", ALL),
    dir("C:\\Program Files (x86)", W10),
    entry("C:\\ProgramData", NT6, None, HIDDEN),
    system("C:\\RECYCLER", NT5, None),
    system("C:\\System Volume Information", ALL, None),
    dir("C:\\Users", NT6),
    dir("C:\\Users\\Administrator", NT6),
    dir("C:\\Users\\Administrator\\Desktop", NT6),
    dir("C:\\Users\\Administrator\\Documents", NT6),
    dir("C:\\Users\\Administrator\\Downloads", NT6),
    dir("C:\\Users\\Administrator\\Favorites", NT6),
    dir("C:\\Users\\Administrator\\Music", NT6),
    dir("C:\\Users\\Administrator\\Pictures", NT6),
    dir("C:\\Users\\Administrator\\Videos", NT6),
    dir("C:\\Users\\Public", NT6),
    dir("C:\\WINNT", W2K),
    dir("C:\\WINNT\\system32", W2K),
    file("C:\\WINNT\\system32\\cmd.exe", W2K, 236_304),
    file("C:\\WINNT\\system32\\hostname.exe", W2K, 6_928),
    file("C:\\WINNT\\system32\\ipconfig.exe", W2K, 24_336),
    file("C:\\WINNT\\system32\\nslookup.exe", W2K, 69_904),
    file("C:\\WINNT\\system32\\ping.exe", W2K, 16_144),
    telnet_exe("C:\\WINNT\\system32\\telnet.exe", W2K, 76_048),
    file("C:\\WINNT\\system32\\tracert.exe", W2K, 10_000),
    dir("C:\\WINDOWS", XP3),
    dir("C:\\WINDOWS\\system32", XP3),
    file("C:\\WINDOWS\\system32\\cmd.exe", XP3, 388_608),
    file("C:\\WINDOWS\\system32\\hostname.exe", XP3, 8_704),
    file("C:\\WINDOWS\\system32\\ipconfig.exe", XP3, 58_880),
    file("C:\\WINDOWS\\system32\\nslookup.exe", XP3, 75_264),
    file("C:\\WINDOWS\\system32\\ping.exe", XP3, 24_064),
    telnet_exe("C:\\WINDOWS\\system32\\telnet.exe", XP3, 76_288),
    file("C:\\WINDOWS\\system32\\tracert.exe", XP3, 12_288),
    dir("C:\\Windows", NT6),
    dir("C:\\Windows\\System32", NT6),
    file("C:\\Windows\\System32\\cmd.exe", W7, 302_592),
    file("C:\\Windows\\System32\\Dism.exe", W7, 215_552),
    file("C:\\Windows\\System32\\HOSTNAME.EXE", W7, 9_728),
    file("C:\\Windows\\System32\\ipconfig.exe", W7, 59_392),
    file("C:\\Windows\\System32\\nslookup.exe", W7, 84_480),
    file("C:\\Windows\\System32\\PING.EXE", W7, 16_896),
    file("C:\\Windows\\System32\\PkgMgr.exe", W7, 199_680),
    telnet_exe("C:\\Windows\\System32\\telnet.exe", W7, 92_160),
    file("C:\\Windows\\System32\\TRACERT.EXE", W7, 11_776),
    file("C:\\Windows\\System32\\cmd.exe", W10, 289_792),
    file("C:\\Windows\\System32\\Dism.exe", W10, 330_752),
    file("C:\\Windows\\System32\\HOSTNAME.EXE", W10, 18_944),
    file("C:\\Windows\\System32\\ipconfig.exe", W10, 36_352),
    file("C:\\Windows\\System32\\nslookup.exe", W10, 98_304),
    file("C:\\Windows\\System32\\PING.EXE", W10, 21_504),
    file("C:\\Windows\\System32\\PkgMgr.exe", W10, 220_672),
    telnet_exe("C:\\Windows\\System32\\telnet.exe", W10, 86_528),
    file("C:\\Windows\\System32\\TRACERT.EXE", W10, 16_896),
];

// ---------------------------------------------------------------------------------------------
// Telnet client
// ---------------------------------------------------------------------------------------------

/// The client's prompt (C).
pub const TELNET_PROMPT: &str = "Microsoft Telnet> ";

/// What `telnet` alone prints before its prompt (C for XP and later, M for 2000).
pub fn telnet_welcome(os: WindowsVersion) -> &'static [&'static str] {
    match os {
        WindowsVersion::Win2000 => &[
            "Microsoft (R) Windows 2000 (TM) Version 5.00 (Build 2195)",
            "Welcome to Microsoft Telnet Client",
            "Telnet Client Build 5.00.99206.1",
            "",
            "Escape Character is 'CTRL+]'",
            "",
        ],
        _ => &[
            "Welcome to Microsoft Telnet Client",
            "",
            "Escape Character is 'CTRL+]'",
            "",
        ],
    }
}

/// `?` at the prompt (C for XP and later; R for 2000's long names without `send`).
pub fn telnet_help(os: WindowsVersion) -> &'static [&'static str] {
    match os {
        WindowsVersion::Win2000 => &[
            "Commands may be abbreviated. Supported commands are:",
            "",
            "close           close current connection",
            "display         display operating parameters",
            "open            connect to a site",
            "quit            exit telnet",
            "set             set options (type 'set ?' for a list)",
            "status          print status information",
            "unset           unset options (type 'unset ?' for a list)",
            "?/help          print help information",
        ],
        _ => &[
            "Commands may be abbreviated. Supported commands are:",
            "",
            "c    - close                    close current connection",
            "d    - display                  display operating parameters",
            "o    - open hostname [port]     connect to hostname (default port 23).",
            "q    - quit                     exit telnet",
            "set  - set                      set options (type 'set ?' for a list)",
            "sen  - send                     send strings to server",
            "st   - status                   print status information",
            "u    - unset                    unset options (type 'unset ?' for a list)",
            "?/h  - help                     print help information",
        ],
    }
}

/// `set ?` (M for XP and later, with Microsoft's "charater"; R for 2000).
pub fn telnet_set_help(os: WindowsVersion) -> &'static [&'static str] {
    match os {
        WindowsVersion::Win2000 => &[
            "NTLM            Turn ON NTLM Authentication.",
            "LOCAL_ECHO      Turn ON LOCAL_ECHO.",
            "TERM x          (where x is ANSI, VT100, VT52, or VTNT)",
            "CRLF            Send both CR and LF",
        ],
        _ => &[
            "bsasdel         Backspace will be sent as delete",
            "crlf            New line mode - Causes return key to send CR & LF",
            "delasbs         Delete will be sent as backspace",
            "escape x        x is an escape charater to enter telnet client prompt",
            "localecho       Turn on localecho.",
            "logfile x       x is current client log file",
            "logging         Turn on logging",
            "mode x          x is console or stream",
            "ntlm            Turn on NTLM Authentication.",
            "term x          x is ansi(vt100), vt52, vtnt",
        ],
    }
}

/// `unset ?` (M for XP and later; R for 2000).
pub fn telnet_unset_help(os: WindowsVersion) -> &'static [&'static str] {
    match os {
        WindowsVersion::Win2000 => &[
            "NTLM            Turn OFF NTLM Authentication.",
            "LOCAL_ECHO      Turn OFF LOCAL_ECHO.",
            "CRLF            Send only CR (no LF is sent)",
        ],
        _ => &[
            "bsasdel         Backspace will be sent as backspace",
            "crlf            Line feed mode - Causes return key to send CR",
            "delasbs         Delete will be sent as delete",
            "escape          Escape character is set to 'CTRL+]'",
            "localecho       Turn off localecho",
            "logging         Turn off logging",
            "ntlm            Turn off NTLM Authentication.",
        ],
    }
}

/// `sen ?` (R).
pub const TELNET_SEND_HELP: &[&str] = &[
    "ao              Send Abort Output",
    "ayt             Send Are You There",
    "esc             Send the current escape character",
    "ip              Send Interrupt Process",
    "synch           Perform Telnet Synch operation",
    "brk             Send break signal",
    "?               Display send help",
    "string          Send the string to the server",
];

/// Invalid input at the prompt (C).
pub const TELNET_INVALID: &str = "Invalid Command. type ?/help for help";

/// The escape character line, in the welcome text and `display` (C).
pub const TELNET_ESCAPE: &str = "Escape Character is 'CTRL+]'";

/// The confirmation of a toggled option (empty for options without one).
fn toggle_text(option: &str, on: bool) -> &'static str {
    TELNET_TOGGLES
        .iter()
        .find(|(n, ..)| *n == option)
        .map(|(_, t, f)| if on { *t } else { *f })
        .unwrap_or("")
}

/// The escape line for an escape character set with `set escape` (`None`: Ctrl+], C).
pub fn telnet_escape_line(escape: Option<char>) -> String {
    match escape {
        None => TELNET_ESCAPE.to_string(),
        Some(c) => format!("Escape Character is '{c}'"),
    }
}

/// The terminal types `set term` takes, the default first (C: the `set ?` list).
pub const TELNET_TERMS: &[&str] = &["ANSI", "VT100", "VT52", "VTNT"];

/// The settings `display` shows.
pub struct TelnetShown {
    pub escape: Option<char>,
    pub local_echo: bool,
    pub crlf: bool,
    pub stream_mode: bool,
    pub term: &'static str,
}

/// `display` lines (R except the escape and term lines, C).
pub fn telnet_display(s: &TelnetShown) -> Vec<String> {
    vec![
        telnet_escape_line(s.escape),
        "Will auth(NTLM Authentication)".into(),
        toggle_text("localecho", s.local_echo).into(),
        toggle_text("crlf", s.crlf).into(),
        format!(
            "Current mode: {}",
            if s.stream_mode { "Stream" } else { "Console" }
        ),
        "Will term type".into(),
        format!("Preferred term type is {}", s.term),
    ]
}

/// What `set`/`unset` answer for the options that toggle, by option (R: the wording of the
/// client's confirmations; the crlf lines are its own `display` lines).
pub const TELNET_TOGGLES: &[(&str, &str, &str)] = &[
    ("localecho", "Local echo on", "Local echo off"),
    (
        "crlf",
        "New line mode - Causes return key to send CR & LF",
        "Line feed mode - Causes return key to send CR",
    ),
    (
        "bsasdel",
        "Backspace will be sent as delete",
        "Backspace will be sent as backspace",
    ),
    (
        "delasbs",
        "Delete will be sent as backspace",
        "Delete will be sent as delete",
    ),
];
/// (R) `set` with an option this client lacks.
pub const TELNET_BAD_OPTION: &str = "Invalid Command. type ?/help for help";

/// `status` (R).
pub fn telnet_status(connected_to: Option<&str>) -> Vec<String> {
    match connected_to {
        Some(h) => vec![
            format!("Connected to {h}"),
            "Negotiated term type is ANSI".to_string(),
        ],
        None => vec!["Not connected".to_string()],
    }
}

/// `open` while connected (R).
pub fn telnet_already_connected(host: &str) -> String {
    format!("Connected to {host}")
}

/// `send` or `close` without a connection (R).
pub const TELNET_NOT_CONNECTED: &str = "Not connected";

/// `o` without a host asks for one (R).
pub const TELNET_OPEN_TO: &str = "( to ) ";

/// Connecting (C): printed, and the failure text follows on the same line.
pub fn telnet_connecting(host: &str) -> String {
    format!("Connecting To {host}...")
}

/// The connect failure (C).
pub fn telnet_connect_failed(port: &str) -> String {
    format!("Could not open connection to the host, on port {port}: Connect failed")
}

/// The server closed the session (C).
pub const TELNET_LOST: &str = "Connection to host lost.";

/// `telnet /?` (M: the XP text).
pub const TELNET_USAGE: &[&str] = &[
    "",
    "telnet [-a][-e escape char][-f log file][-l user][-t term][host [port]]",
    " -a     Attempt automatic logon. Same as -l option except uses",
    "        the currently logged on user's name.",
    " -e     Escape character to enter telnet client prompt.",
    " -f     File name for client side logging",
    " -l     Specifies the user name to log in with on the remote system.",
    "        Requires that the remote system support the TELNET ENVIRON option.",
    " -t     Specifies terminal type.",
    "        Supported term types are vt100, vt52, ansi and vtnt only.",
    " host   Specifies the hostname or IP address of the remote computer",
    "        to connect to.",
    " port   Specifies a port number or service name.",
];

// ---------------------------------------------------------------------------------------------
// Installing Telnet Client on 7 and 10
// ---------------------------------------------------------------------------------------------

/// `dism /online /Enable-Feature /FeatureName:TelnetClient`, before the progress bar (M).
pub fn dism_header(os: WindowsVersion) -> Vec<&'static str> {
    let version = match os {
        WindowsVersion::Win10 => "Version: 10.0.19041.844",
        _ => "Version: 6.1.7600.16385",
    };
    let image = match os {
        WindowsVersion::Win10 => "Image Version: 10.0.19045.3570",
        _ => "Image Version: 6.1.7601.17514",
    };
    vec![
        "",
        "Deployment Image Servicing and Management tool",
        version,
        "",
        image,
        "",
        "Enabling feature(s)",
    ]
}

/// The finished progress bar and the success line (M).
pub const DISM_DONE: &[&str] = &[
    "[==========================100.0%==========================]",
    "The operation completed successfully.",
];

/// A feature name dism does not know (M).
pub fn dism_unknown_feature(name: &str) -> Vec<String> {
    vec![
        String::new(),
        "Error: 0x800f080c".into(),
        String::new(),
        format!("Feature name {name} is unknown."),
        "A Windows feature name was not recognized.".into(),
        "Use the /Get-Features option to find the name of the feature in the image and try the command again.".into(),
        String::new(),
        "The DISM log file can be found at C:\\Windows\\Logs\\DISM\\dism.log".into(),
    ]
}

/// dism without the options the simulator knows (R).
pub const DISM_USAGE: &[&str] = &[
    "",
    "Deployment Image Servicing and Management tool",
    "",
    "Error: 87",
    "",
    "The option is unknown or incomplete. To enable Telnet Client, type:",
    "    dism /online /Enable-Feature /FeatureName:TelnetClient",
    "",
    "The DISM log file can be found at C:\\Windows\\Logs\\DISM\\dism.log",
];

// ---------------------------------------------------------------------------------------------
// ping
// ---------------------------------------------------------------------------------------------

/// `Pinging ...` (C).
pub fn ping_header(target: &str, resolved: Option<&str>, size: u32) -> String {
    match resolved {
        Some(ip) => format!("Pinging {target} [{ip}] with {size} bytes of data:"),
        None => format!("Pinging {target} with {size} bytes of data:"),
    }
}

/// A reply line (C); Windows 2000 rounds to `time<10ms` (M).
pub fn ping_reply(os: WindowsVersion, from: &str, size: u32, time_ms: u64, ttl: u8) -> String {
    let time = match (os, time_ms) {
        (WindowsVersion::Win2000, t) if t < 10 => "time<10ms".to_string(),
        (_, 0) => "time<1ms".to_string(),
        (_, t) => format!("time={t}ms"),
    };
    format!("Reply from {from}: bytes={size} {time} TTL={ttl}")
}

/// (C)
pub const PING_TIMED_OUT: &str = "Request timed out.";
/// (C)
pub const PING_UNREACHABLE: &str = "Destination host unreachable.";
/// Vista and later when nothing can be sent (M).
pub const PING_GENERAL_FAILURE: &str = "PING: transmit failed. General failure.";

/// An unreachable reported by a host (C).
pub fn ping_unreachable_from(from: &str) -> String {
    format!("Reply from {from}: Destination host unreachable.")
}

/// The name did not resolve (C; `Unknown host` on 2000, M).
pub fn ping_unknown_host(os: WindowsVersion, name: &str) -> String {
    match os {
        WindowsVersion::Win2000 => format!("Unknown host {name}."),
        _ => {
            format!("Ping request could not find host {name}. Please check the name and try again.")
        }
    }
}

/// The statistics block (C); Windows 2000 pads the maximum and average (M).
pub fn ping_statistics(
    os: WindowsVersion,
    target: &str,
    sent: u64,
    received: u64,
    times: Option<(u64, u64, u64)>,
) -> Vec<String> {
    let lost = sent.saturating_sub(received);
    let pct = (lost * 100).checked_div(sent).unwrap_or(0);
    let mut out = vec![
        String::new(),
        format!("Ping statistics for {target}:"),
        format!("    Packets: Sent = {sent}, Received = {received}, Lost = {lost} ({pct}% loss),"),
    ];
    if let Some((min, max, avg)) = times {
        out.push("Approximate round trip times in milli-seconds:".into());
        out.push(match os {
            WindowsVersion::Win2000 => {
                format!("    Minimum = {min}ms, Maximum = {max:>2}ms, Average = {avg:>2}ms")
            }
            _ => format!("    Minimum = {min}ms, Maximum = {max}ms, Average = {avg}ms"),
        });
    }
    out
}

/// What ping adds after the statistics on Ctrl+C (M); the console's `^C` echo follows on the
/// screen, never in a file or pipe.
pub const PING_CONTROL_C: &str = "Control-C";

/// A bad `-n` or `-l` value (M).
pub fn ping_bad_value(option: char, max: u64) -> String {
    let min = if option == 'l' { 0 } else { 1 };
    format!("Bad value for option -{option}, valid range is from {min} to {max}.")
}

/// An unknown option (M).
pub fn ping_bad_option(option: &str) -> String {
    format!("Bad option {option}.")
}

/// `ping` with no target or with `/?` (M: XP's usage).
pub const PING_USAGE: &[&str] = &[
    "",
    "Usage: ping [-t] [-a] [-n count] [-l size] [-f] [-i TTL] [-v TOS]",
    "            [-r count] [-s count] [[-j host-list] | [-k host-list]]",
    "            [-w timeout] target_name",
    "",
    "Options:",
    "    -t             Ping the specified host until stopped.",
    "                   To see statistics and continue - type Control-Break;",
    "                   To stop - type Control-C.",
    "    -a             Resolve addresses to hostnames.",
    "    -n count       Number of echo requests to send.",
    "    -l size        Send buffer size.",
    "    -f             Set Don't Fragment flag in packet.",
    "    -i TTL         Time To Live.",
    "    -v TOS         Type Of Service.",
    "    -r count       Record route for count hops.",
    "    -s count       Timestamp for count hops.",
    "    -j host-list   Loose source route along host-list.",
    "    -k host-list   Strict source route along host-list.",
    "    -w timeout     Timeout in milliseconds to wait for each reply.",
];

// ---------------------------------------------------------------------------------------------
// tracert (R: the layout of tracert.exe's lines as XP to 10 print them)

/// The header when the target has a name: two lines, then a blank one.
pub fn tracert_header_named(name: &str, ip: &str, max_hops: u32) -> [String; 2] {
    [
        format!("Tracing route to {name} [{ip}]"),
        format!("over a maximum of {max_hops} hops:"),
    ]
}

/// The header when the target is an address nobody has a name for: one line.
pub fn tracert_header_address(ip: &str, max_hops: u32) -> String {
    format!("Tracing route to {ip} over a maximum of {max_hops} hops")
}

/// The hop number that starts each hop line.
pub fn tracert_hop(hop: u32) -> String {
    format!("{hop:>3}")
}

/// One probe's column: its round trip time, or a star when it timed out.
pub fn tracert_probe(rtt: Option<u64>) -> String {
    match rtt {
        None => "     *   ".to_string(),
        Some(0) => "    <1 ms".to_string(),
        Some(ms) => format!("  {ms:>4} ms"),
    }
}

/// The end of a hop line that answered: the hop's name and address, or its address alone.
pub fn tracert_hop_host(name: Option<&str>, ip: &str) -> String {
    match name {
        Some(n) => format!("  {n} [{ip}]"),
        None => format!("  {ip}"),
    }
}

/// The end of a hop line whose three probes all timed out.
pub const TRACERT_TIMED_OUT: &str = "  Request timed out.";

/// A hop line where a host reported the destination unreachable instead of answering.
pub fn tracert_unreachable(hop: u32, from: &str, what: &str) -> String {
    format!("{hop:>3}  {from}  reports: Destination {what} unreachable.")
}

/// The last line of a trace that ran to its end.
pub const TRACERT_COMPLETE: &str = "Trace complete.";

/// The name did not resolve.
pub fn tracert_unknown_host(name: &str) -> String {
    format!("Unable to resolve target system name {name}.")
}

/// The adapter is disabled: no probe can leave.
pub const TRACERT_GENERAL_FAILURE: &str = "Unable to contact IP driver. General failure.";

/// `tracert` without a target, or with `/?` (XP's usage).
pub const TRACERT_USAGE: &[&str] = &[
    "",
    "Usage: tracert [-d] [-h maximum_hops] [-j host-list] [-w timeout] target_name",
    "",
    "Options:",
    "    -d                 Do not resolve addresses to hostnames.",
    "    -h maximum_hops    Maximum number of hops to search for target.",
    "    -j host-list       Loose source route along host-list.",
    "    -w timeout         Wait timeout milliseconds for each reply.",
];

/// A bad `-h` value.
pub const TRACERT_BAD_HOPS: &str = "Bad value for option -h, valid range is from 1 to 255.";

// ---------------------------------------------------------------------------------------------
// ipconfig
// ---------------------------------------------------------------------------------------------

/// The adapter's name (R for 10's `Ethernet`).
pub fn adapter_name(os: WindowsVersion) -> &'static str {
    match os {
        WindowsVersion::Win10 => "Ethernet adapter Ethernet:",
        _ => "Ethernet adapter Local Area Connection:",
    }
}

/// The indent of ipconfig's fields: eight spaces before Vista, three after (M).
pub fn ipconfig_indent(os: WindowsVersion) -> &'static str {
    if os.is_vista_or_later() {
        "   "
    } else {
        "        "
    }
}

/// The label of the address line (M).
pub fn ipconfig_address_label(os: WindowsVersion) -> &'static str {
    if os.is_vista_or_later() {
        "IPv4 Address. . . . . . . . . . . : "
    } else {
        "IP Address. . . . . . . . . . . . : "
    }
}

/// (M)
pub const IPCONFIG_TITLE: &str = "Windows IP Configuration";
/// (M)
pub const IPCONFIG_SUFFIX: &str = "Connection-specific DNS Suffix  . : ";
/// (M)
pub const IPCONFIG_MASK: &str = "Subnet Mask . . . . . . . . . . . : ";
/// (M)
pub const IPCONFIG_GATEWAY: &str = "Default Gateway . . . . . . . . . : ";
/// (M)
pub const IPCONFIG_MEDIA: &str = "Media State . . . . . . . . . . . : Media disconnected";
/// `ipconfig /all` extra lines, before and in the adapter section (M, values R).
pub const IPCONFIG_HOST_NAME: &str = "Host Name . . . . . . . . . . . . : ";
/// The lines of `ipconfig /all` before the adapters, for a PC whose primary DNS suffix is
/// `suffix` (the one the resolver appends to a name of one label); without one, the suffix
/// line is blank and there is no search list (M).
pub fn ipconfig_all_global(suffix: Option<&str>) -> Vec<String> {
    let mut lines = vec![
        format!(
            "Primary Dns Suffix  . . . . . . . : {}",
            suffix.unwrap_or("")
        ),
        "Node Type . . . . . . . . . . . . : Hybrid".into(),
        "IP Routing Enabled. . . . . . . . : No".into(),
        "WINS Proxy Enabled. . . . . . . . : No".into(),
    ];
    if let Some(s) = suffix {
        lines.push(format!("DNS Suffix Search List. . . . . . : {s}"));
    }
    lines
}
/// The workstation's network adapter, as ipconfig /all and route print name it (R).
pub const ADAPTER_DESCRIPTION: &str = "Intel(R) PRO/1000 MT Network Connection";
/// The adapter's MAC address (R).
pub const ADAPTER_MAC: [u8; 6] = [0x00, 0x0c, 0x29, 0x4f, 0x8e, 0x35];
pub const IPCONFIG_DESCRIPTION: &str = "Description . . . . . . . . . . . : ";
pub const IPCONFIG_PHYSICAL: &str = "Physical Address. . . . . . . . . : ";
pub const IPCONFIG_DHCP: &str = "Dhcp Enabled. . . . . . . . . . . : No";
pub const IPCONFIG_DNS: &str = "DNS Servers . . . . . . . . . . . : ";
/// `ipconfig` with an option it lacks (R, shortened).
pub const IPCONFIG_USAGE: &[&str] = &[
    "",
    "USAGE:",
    "    ipconfig [/? | /all | /renew | /release | /flushdns | /displaydns | /registerdns]",
    "",
    "where",
    "    Options:",
    "       /?           Display this help message",
    "       /all         Display full configuration information.",
    "       /release     Release the IP address for the specified adapter.",
    "       /renew       Renew the IP address for the specified adapter.",
    "       /flushdns    Purges the DNS Resolver cache.",
    "       /registerdns Refreshes all DHCP leases and re-registers DNS names",
    "       /displaydns  Display the contents of the DNS Resolver Cache.",
];

/// `ipconfig /flushdns` (R).
pub const IPCONFIG_FLUSHED: &str = "Successfully flushed the DNS Resolver Cache.";

/// One name in `ipconfig /displaydns`, added to `out` as one block of lines: the name, a
/// dashed line, then the record of type `kind` (1 for A, 12 for PTR) with its TTL in seconds
/// and its data, or for `kind` 0 the reason (`data`) the name has none, and two blank lines.
/// The record block, its nine-space indent and `A (Host) Record . . . :` are XP's in a
/// published transcript (M); the four-space indent of Windows 7 and 10, the PTR line and the
/// negative lines are reconstructed (R).
pub fn displaydns_entry(
    out: &mut String,
    os: WindowsVersion,
    name: &str,
    kind: u8,
    ttl: u64,
    data: &dyn std::fmt::Display,
) {
    use std::fmt::Write;
    // One space deeper than ipconfig's other fields.
    let i = ipconfig_indent(os);
    let _ = write!(
        out,
        "{i} {name}\n{i} ----------------------------------------\n{i} "
    );
    let _ = if kind == 0 {
        write!(out, "{data}\n\n\n")
    } else {
        write!(
            out,
            "Record Name . . . . . : {name}\n\
             {i} Record Type . . . . . : {kind}\n\
             {i} Time To Live  . . . . : {ttl}\n\
             {i} Data Length . . . . . : 4\n\
             {i} Section . . . . . . . : Answer\n\
             {i} {} : {data}\n\n\n",
            if kind == 12 {
                "PTR Record  . . . . ."
            } else {
                "A (Host) Record . . ."
            }
        )
    };
}
/// A negative entry for a name the DNS server does not know (R).
pub const DISPLAYDNS_NO_NAME: &str = "Name does not exist.";
/// A negative entry for a name with no A record (R).
pub const DISPLAYDNS_NO_DATA: &str = "No records of type A";
/// `ipconfig /displaydns` with nothing cached, as on Windows 7 and 10 after a flush, whose
/// hosts file preloads nothing (R).
pub const DISPLAYDNS_EMPTY: &str = "Could not display the DNS Resolver Cache.\n";

/// `ipconfig /release` or `/renew` on an adapter with a static address, as the workstation
/// has (R).
pub const IPCONFIG_NOT_DHCP: &[&str] = &[
    "The operation failed as no adapter is in the state permissible for",
    "this operation.",
];

/// `ipconfig /registerdns` (R).
pub const IPCONFIG_REGISTERDNS: &[&str] = &[
    "Registration of the DNS resource records for all adapters of this computer has been initiated. Any errors will be reported in the Event Viewer in 15 minutes.",
];

// ---------------------------------------------------------------------------------------------
// nslookup
// ---------------------------------------------------------------------------------------------

/// (C) two spaces after the colon.
pub fn ns_server_lines(default: bool, name: &str, address: &str) -> [String; 2] {
    let label = if default { "Default Server" } else { "Server" };
    [format!("{label}:  {name}"), format!("Address:  {address}")]
}

/// (C)
pub const NS_UNKNOWN: &str = "UnKnown";
/// (C)
pub const NS_NON_AUTHORITATIVE: &str = "Non-authoritative answer:";
/// One try that got no answer (C for the default two seconds; `set timeout=` changes the
/// number).
pub fn ns_timeout(seconds: u32) -> [String; 2] {
    [
        "DNS request timed out.".into(),
        format!("    timeout was {seconds} seconds."),
    ]
}
/// (C)
pub fn ns_cant_find_server(address: &str, reason: &str) -> String {
    format!("*** Can't find server name for address {address}: {reason}")
}
/// `server NAME`, or `NAME SERVER`, at the `>` prompt when SERVER does not resolve; the
/// server in use stays (M: BIND 4's nslookup, from which Windows' is derived, prints this in
/// SetDefaultServer and LookupHostWithServer and changes nothing).
pub fn ns_cant_find_address(server: &str, reason: &str) -> String {
    format!("*** Can't find address for server {server}: {reason}")
}
/// `nslookup NAME SERVER` when SERVER does not resolve: the default server answers instead,
/// its Server lines after this one (R: one Windows 10 transcript; BIND follows the colon with
/// herror's text, Windows with nothing).
pub fn ns_cant_find_server_arg(server: &str) -> String {
    format!("*** Can't find server address for '{server}':")
}
/// (C)
pub const NS_NO_DEFAULT: &str = "*** Default servers are not available";
/// (C)
pub fn ns_no_response(server: &str, name: &str) -> String {
    format!("*** {server} can't find {name}: No response from server")
}
/// (C)
pub fn ns_nxdomain(server: &str, name: &str) -> String {
    format!("*** {server} can't find {name}: Non-existent domain")
}
/// The MX answer line (C, with its tab-like spacing).
pub fn ns_mx(name: &str, preference: u16, exchange: &str) -> String {
    format!("{name}\tMX preference = {preference}, mail exchanger = {exchange}")
}
/// The additional A line (C).
pub fn ns_internet_address(name: &str, address: &str) -> String {
    format!("{name}\tinternet address = {address}")
}
/// An A answer (C).
pub fn ns_name_address(name: &str, addresses: &[String]) -> Vec<String> {
    let mut out = vec![format!("Name:    {name}")];
    match addresses {
        [one] => out.push(format!("Address:  {one}")),
        many => {
            out.push(format!("Addresses:  {}", many.join("\n          ")));
        }
    }
    out
}
/// A name with no record of the asked type: its SOA (R: values invented, layout as nslookup).
pub fn ns_soa(zone: &str, ns: &str) -> Vec<String> {
    let mut out = vec![zone.to_string()];
    out.extend(ns_soa_fields(zone, ns));
    out
}
/// The SOA's detail lines, below its owner's line (R: values invented, layout as nslookup).
fn ns_soa_fields(zone: &str, ns: &str) -> Vec<String> {
    vec![
        format!("        primary name server = {ns}"),
        format!("        responsible mail addr = hostmaster.{zone}"),
        "        serial  = 2024".into(),
        "        refresh = 900 (15 mins)".into(),
        "        retry   = 600 (10 mins)".into(),
        "        expire  = 86400 (1 day)".into(),
        "        default TTL = 3600 (1 hour)".into(),
    ]
}

// nslookup's debug output (`set debug`, `set d2`, `-debug`, `-d2`). The layout is that of
// Windows nslookup in published captures: Windows 10 and Server 2012-era transcripts (the
// `-debug` PTR, A, AAAA and NXDOMAIN blocks, `set d2`'s SendRequest and `Got answer (N bytes)`
// with `type = A, class = IN, dlen = 4`), an Azure NetApp Files article (NXDOMAIN with the SOA
// in the authority section, its ttl first) and "DNS on Windows Server 2003" (O'Reilly, 2003:
// `set debug` and `set d2` on an MX query, whose final answer lines then carry their ttl).
// The block is the same in both eras (C: several captures), the ttl lines under the final MX
// answer one capture (M).

/// The rule around each debug block (C).
pub const NS_DEBUG_RULE: &str = "------------";
/// A reply received, in debug mode (C).
pub const NS_GOT_ANSWER: &str = "Got answer:";
/// A reply received, in d2 mode, with its size (C: two captures).
pub fn ns_got_answer_bytes(len: usize) -> String {
    format!("Got answer ({len} bytes):")
}
/// The query sent, in d2 mode, with its size (C: two captures).
pub fn ns_send_request(len: usize) -> String {
    format!("SendRequest(), len {len}")
}
/// Header flag words, in the order nslookup prints them (C).
pub const NS_FLAG_RESPONSE: &str = "response";
/// (C)
pub const NS_FLAG_QUERY: &str = "query";
/// (C)
pub const NS_FLAG_AUTH: &str = "auth. answer";
/// (C)
pub const NS_FLAG_RD: &str = "want recursion";
/// (C)
pub const NS_FLAG_RA: &str = "recursion avail.";
/// A debug block's HEADER part and the blank line after it (C).
pub fn ns_debug_header(id: u16, rcode: &str, flags: &[&str], counts: [usize; 4]) -> Vec<String> {
    let [q, an, ns, ar] = counts;
    vec![
        "    HEADER:".into(),
        format!("        opcode = QUERY, id = {id}, rcode = {rcode}"),
        format!("        header flags:  {}", flags.join(", ")),
        format!(
            "        questions = {q},  answers = {an},  authority records = {ns},  additional = {ar}"
        ),
        String::new(),
    ]
}
/// Section titles of a debug block (C).
pub const NS_DEBUG_QUESTIONS: &str = "    QUESTIONS:";
/// (C)
pub const NS_DEBUG_ANSWERS: &str = "    ANSWERS:";
/// (C)
pub const NS_DEBUG_AUTHORITY: &str = "    AUTHORITY RECORDS:";
/// (C)
pub const NS_DEBUG_ADDITIONAL: &str = "    ADDITIONAL RECORDS:";
/// The question line (C).
pub fn ns_debug_question(name: &str, qtype: &str, class: &str) -> String {
    format!("        {name}, type = {qtype}, class = {class}")
}
/// A record's owner line (C).
pub fn ns_debug_owner(name: &str) -> String {
    format!("    ->  {name}")
}
/// d2's line under the owner: the record's type, class and data length (C: two captures).
pub fn ns_debug_rr_type(rtype: &str, class: &str, dlen: usize) -> String {
    format!("        type = {rtype}, class = {class}, dlen = {dlen}")
}
/// A records' data line in a debug block (C).
pub fn ns_debug_a(address: &str) -> String {
    format!("        internet address = {address}")
}
/// (C)
pub fn ns_debug_mx(preference: u16, exchange: &str) -> String {
    format!("        MX preference = {preference}, mail exchanger = {exchange}")
}
/// (C)
pub fn ns_debug_ptr(name: &str) -> String {
    format!("        name = {name}")
}
/// (C)
pub fn ns_debug_ns(server: &str) -> String {
    format!("        nameserver = {server}")
}
/// An SOA's lines under its owner in a debug block: the ttl first, then its fields (C).
pub fn ns_debug_soa(zone: &str, primary: &str, ttl: u32) -> Vec<String> {
    let mut out = vec![ns_ttl(ttl)];
    out.extend(ns_soa_fields(zone, primary));
    out
}
/// A TTL line, under a record in a debug block or, in debug mode, under a final answer line
/// (C).
pub fn ns_ttl(ttl: u32) -> String {
    format!("        ttl = {}", ns_seconds(ttl))
}
/// Seconds as nslookup shows a TTL or an SOA timer: the number, then days, hours, minutes and
/// seconds, each left out when nought and singular when one (C: `3600 (1 hour)`, `67 (1 min 7
/// secs)`, `85125 (23 hours 38 mins 45 secs)`, `604800 (7 days)`; `0 (0 secs)` R, from BIND's
/// p_time, which Windows nslookup's follows).
pub fn ns_seconds(secs: u32) -> String {
    let units = [(86_400, "day"), (3_600, "hour"), (60, "min"), (1, "sec")];
    let mut left = secs;
    let mut parts = Vec::new();
    for (size, unit) in units {
        let n = left / size;
        left %= size;
        if n > 0 {
            parts.push(format!("{n} {unit}{}", if n == 1 { "" } else { "s" }));
        }
    }
    if parts.is_empty() {
        parts.push("0 secs".into());
    }
    format!("{secs} ({})", parts.join(" "))
}
/// `set nod2` while debugging: debug mode stays on (M: BIND 4.9's nslookup, from which
/// Windows' is derived, and ReactOS's clone of Windows', which prints it only in debug mode).
pub const NS_D2_OFF: &str = "d2 mode disabled; still in debug mode";

/// The interactive prompt (C).
pub const NS_PROMPT: &str = "> ";
/// (M)
pub fn ns_invalid_option(option: &str) -> String {
    format!("*** Invalid option: {option}")
}
/// `ls` with no domain (R).
pub const NS_LS_USAGE: &str = "Usage: ls [-a | -d | -t type] domain [> filename]";
/// `ls DOMAIN` refused by the server, as Windows DNS refuses a zone transfer to a
/// workstation by default (R).
pub fn ns_ls_refused(domain: &str, server_address: &str) -> Vec<String> {
    vec![
        format!("*** Can't list domain {domain}: Query refused"),
        format!("The DNS server refused to transfer the zone {domain} to your computer. If this"),
        format!("is incorrect, check the zone transfer security settings for {domain} on the DNS"),
        format!("server at IP address {server_address}."),
        String::new(),
    ]
}
/// `ls DOMAIN` when no server answers (R).
pub fn ns_ls_failed(domain: &str) -> String {
    format!("*** Can't list domain {domain}: Server failed")
}
/// An NS answer line (R, the layout of the MX line).
pub fn ns_nameserver(zone: &str, server: &str) -> String {
    format!("{zone}\tnameserver = {server}")
}
/// `help` inside nslookup (R, shortened).
pub const NS_HELP: &[&str] = &[
    "Commands:   (identifiers are shown in uppercase, [] means optional)",
    "NAME            - print info about the host/domain NAME using default server",
    "NAME1 NAME2     - as above, but use NAME2 as server",
    "help or ?       - print info on common commands",
    "set OPTION      - set an option",
    "    all         - print options, current server and host",
    "    [no]debug   - print debugging information",
    "    [no]d2      - print exhaustive debugging information",
    "    [no]defname - append domain name to each query",
    "    [no]recurse - ask for recursive answer to query",
    "    [no]search  - use domain search list",
    "    [no]vc      - always use a virtual circuit",
    "    domain=NAME - set default domain name to NAME",
    "    srchlist=N1[/N2/.../N6] - set domain to N1 and search list to N1,N2, etc.",
    "    root=NAME   - set root server to NAME",
    "    retry=X     - set number of retries to X",
    "    timeout=X   - set initial time-out interval to X seconds",
    "    type=X      - set query type (ex. A,AAAA,ANY,CNAME,MX,NS,PTR,SOA,TXT)",
    "    querytype=X - same as type",
    "server NAME     - set default server to NAME, using current default server",
    "lserver NAME    - set default server to NAME, using initial server",
    "ls [opt] DOMAIN [> FILE] - list addresses in DOMAIN (optional: output to FILE)",
    "exit            - exit the program",
];

// ---------------------------------------------------------------------------------------------
// arp and route (R: the layouts as XP and 7/10 print them)
// ---------------------------------------------------------------------------------------------

/// A MAC address the way `sep` joins its bytes, in lower case as arp and route print it.
pub fn mac(bytes: &[u8; 6], sep: &str) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(sep)
}

/// The first lines of `arp -a`'s table for the interface at `ip`.
pub fn arp_interface(os: WindowsVersion, ip: &str) -> [String; 3] {
    let index = if os.is_vista_or_later() { "0xb" } else { "0x2" };
    [
        String::new(),
        format!("Interface: {ip} --- {index}"),
        "  Internet Address      Physical Address      Type".into(),
    ]
}

/// One `arp -a` entry.
pub fn arp_entry(ip: &str, mac: &str, dynamic: bool) -> String {
    let kind = if dynamic { "dynamic" } else { "static" };
    format!("  {ip:<22}{mac:<22}{kind}")
}

/// `arp -a` with nothing to show.
pub const ARP_NONE: &str = "No ARP Entries Found.";
/// `arp -d ADDRESS` for an address not in the cache.
pub const ARP_NOT_FOUND: &str = "The specified entry was not found.";

/// `arp` with no or unknown options (shortened).
pub const ARP_USAGE: &[&str] = &[
    "",
    "Displays and modifies the IP-to-Physical address translation tables used by",
    "address resolution protocol (ARP).",
    "",
    "ARP -s inet_addr eth_addr [if_addr]",
    "ARP -d inet_addr [if_addr]",
    "ARP -a [inet_addr] [-N if_addr] [-v]",
    "",
    "  -a            Displays current ARP entries by interrogating the current",
    "                protocol data.  If inet_addr is specified, the IP and Physical",
    "                addresses for only the specified computer are displayed.",
    "  -g            Same as -a.",
    "  -d            Deletes the host specified by inet_addr. inet_addr may be",
    "                wildcarded with * to delete all hosts.",
    "  -s            Adds the host and associates the Internet address inet_addr",
    "                with the Physical address eth_addr.",
    "Example:",
    "  > arp -a                                    .... Displays the arp table.",
];

/// `route` with no or unknown command (shortened).
pub const ROUTE_USAGE: &[&str] = &[
    "",
    "Manipulates network routing tables.",
    "",
    "ROUTE [-f] [-p] [command [destination]",
    "                  [MASK netmask]  [gateway] [METRIC metric]  [IF interface]",
    "",
    "  command      One of these:",
    "                 PRINT     Prints  a route",
    "                 ADD       Adds    a route",
    "                 DELETE    Deletes a route",
    "                 CHANGE    Modifies an existing route",
];

/// The `=====` rule of route print.
pub const ROUTE_RULE: &str =
    "===========================================================================";

/// route print's interface list, loopback and (when enabled) the adapter.
pub fn route_interfaces(os: WindowsVersion, adapter_up: bool) -> Vec<String> {
    let mac = mac(&ADAPTER_MAC, " ");
    let mut out = vec![ROUTE_RULE.to_string(), "Interface List".to_string()];
    if os.is_vista_or_later() {
        if adapter_up {
            out.push(format!(" 11...{mac} ......{ADAPTER_DESCRIPTION}"));
        }
        out.push("  1...........................Software Loopback Interface 1".into());
    } else {
        out.push("0x1 ........................... MS TCP Loopback interface".into());
        if adapter_up {
            out.push(format!(
                "0x2 ...{mac} ...... {ADAPTER_DESCRIPTION} - Packet Scheduler Miniport"
            ));
        }
    }
    out.push(ROUTE_RULE.into());
    out
}

/// The column header of route print's IPv4 table.
pub const ROUTE_HEADER: &str =
    "Network Destination        Netmask          Gateway       Interface  Metric";

/// One row of route print's IPv4 table.
pub fn route_row(os: WindowsVersion, row: [&str; 4], metric: u32) -> String {
    let [dest, mask, gateway, interface] = row;
    if os.is_vista_or_later() {
        format!("{dest:>17}{mask:>17}{gateway:>17}{interface:>17}{metric:>7}")
    } else {
        format!("{dest:>17}{mask:>17}{gateway:>17}{interface:>16}{metric:>9}")
    }
}

/// XP's line after the routes.
pub fn route_default_gateway(gateway: &str) -> String {
    format!("Default Gateway:{gateway:>19}")
}

/// The persistent routes block, none here.
pub const ROUTE_PERSISTENT: &[&str] = &["Persistent Routes:", "  None"];

/// Windows 7/10's IPv6 table: IPv6 is not bound to the adapter in this network (ipconfig
/// shows no IPv6 address), so only the loopback interface's routes are there.
pub const ROUTE_IPV6: &[&str] = &[
    "",
    "IPv6 Route Table",
    ROUTE_RULE,
    "Active Routes:",
    " If Metric Network Destination      Gateway",
    "  1    306 ::1/128                  On-link",
    "  1    306 ff00::/8                 On-link",
    ROUTE_RULE,
    "Persistent Routes:",
    "  None",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_texts_are_us_english_per_version() {
        // 2026-11-24 15:51:23.456, a Tuesday, and 09:05 the next morning.
        let afternoon = 1_795_535_483_456;
        let morning = afternoon + 17 * 3_600_000 + 14 * 60_000;
        assert_eq!(cmd_date(afternoon), "Tue 11/24/2026");
        assert_eq!(cmd_date(morning), "Wed 11/25/2026");
        assert_eq!(cmd_time(WindowsVersion::Xp, afternoon, true), "03:51 PM");
        assert_eq!(cmd_time(WindowsVersion::Win10, morning, true), "09:05 AM");
        assert_eq!(cmd_time(WindowsVersion::Win2000, afternoon, true), "03:51p");
        assert_eq!(cmd_time(WindowsVersion::Win2000, morning, true), "09:05a");
        assert_eq!(
            cmd_time(WindowsVersion::Win7, afternoon, false),
            "15:51:23.45"
        );
        assert_eq!(
            cmd_time(WindowsVersion::Win7, morning, false),
            " 9:05:23.45"
        );
        // Midnight and noon on the 12-hour clock.
        assert_eq!(cmd_time(WindowsVersion::Xp, 0, true), "12:00 AM");
        assert_eq!(cmd_time(WindowsVersion::Xp, 43_200_000, true), "12:00 PM");
    }

    #[test]
    fn event_viewer_dates_drop_leading_zeros_and_count_twelve_hours() {
        // 2007-06-12 04:30:10, 1999-12-31 23:59:59, 2026-11-24 00:00:00 and noon.
        assert_eq!(
            event_viewer_date_time(1_181_622_610),
            "6/12/2007 4:30:10 AM"
        );
        assert_eq!(
            event_viewer_date_time(946_684_799),
            "12/31/1999 11:59:59 PM"
        );
        assert_eq!(
            event_viewer_date_time(1_795_478_400),
            "11/24/2026 12:00:00 AM"
        );
        assert_eq!(
            event_viewer_date_time(1_795_478_400 + 43_200),
            "11/24/2026 12:00:00 PM"
        );
    }

    #[test]
    fn ping_statistics_match_the_reference() {
        assert_eq!(
            ping_statistics(WindowsVersion::Xp, "10.0.0.25", 4, 4, Some((0, 0, 0))),
            vec![
                "",
                "Ping statistics for 10.0.0.25:",
                "    Packets: Sent = 4, Received = 4, Lost = 0 (0% loss),",
                "Approximate round trip times in milli-seconds:",
                "    Minimum = 0ms, Maximum = 0ms, Average = 0ms",
            ]
        );
        assert_eq!(
            ping_statistics(WindowsVersion::Xp, "x", 4, 0, None)[2],
            "    Packets: Sent = 4, Received = 0, Lost = 4 (100% loss),"
        );
        assert_eq!(
            ping_statistics(WindowsVersion::Xp, "x", 0, 0, None)[2],
            "    Packets: Sent = 0, Received = 0, Lost = 0 (0% loss),"
        );
    }

    #[test]
    fn reply_times_round_as_each_version_did() {
        let table = [
            (WindowsVersion::Xp, 0, "time<1ms"),
            (WindowsVersion::Xp, 3, "time=3ms"),
            (WindowsVersion::Win2000, 3, "time<10ms"),
            (WindowsVersion::Win2000, 12, "time=12ms"),
        ];
        for (os, t, want) in table {
            assert!(
                ping_reply(os, "1.2.3.4", 32, t, 128).contains(want),
                "{os} {t}"
            );
        }
    }
}
