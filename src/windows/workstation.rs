//! The workstation: a cmd.exe window on a simulated Windows PC. It routes each key to the
//! program that has the focus (the cmd line editor, ping, the Telnet client, nslookup), keeps
//! the programs' timers, and collects what happened for the learner's panels.
//!
//! Methods come in the usual sans-I/O families: getters (`&self`), `handle_*` (inputs, each
//! with `now`), `poll_*` (outputs). Nothing here reads a clock or does I/O.

use super::cmd::{self, Command, Internal, Shell};
use super::cmdline::{self, Join, Pipeline, Simple, Sink};
use super::editor::{Edit, LineEditor};
use super::filters;
use super::machine::{EventLogEntry, Machine, SimEvent};
use super::nslookup::{self, Nslookup};
use super::ping::{self, Ping};
use super::route;
use super::script::Script;
use super::telnet::{self, Telnet};
use super::{ipconfig, text, tracert, Console, InputMode, Key};
use crate::clock::{Millis, SECOND};
use crate::net::TraceSegment;
use crate::scenario::WindowsVersion;
use crate::scenario::{Fault, HostRole, World};
use crate::smtp::{LogLevel, MailStore};
use std::collections::VecDeque;

/// Keys typed while a program is busy, kept until it finishes (the console's type-ahead).
pub const TYPEAHEAD_CAP: usize = 1 << 20;
/// A server timer closer than this is work in progress (a tarpit, a pending reply), not an
/// idle timeout waiting on the learner.
const SOON: Millis = 30 * SECOND;
/// How long installing Telnet Client takes.
const INSTALL_TIME: Millis = 4 * SECOND;

/// What has the focus.
#[derive(Debug)]
enum Program {
    /// The cmd prompt.
    Cmd,
    Ping(Ping),
    Telnet(Box<Telnet>),
    /// Interactive nslookup: its prompt once `script` has printed.
    Nslookup {
        ns: Nslookup,
        editor: LineEditor,
        script: Script,
    },
    /// `date` or `time` waiting for a new value (Enter alone keeps the old), or `pause`
    /// waiting for any key; `prompt` is what the line shows before what is typed.
    Ask {
        what: Internal,
        prompt: &'static str,
        editor: LineEditor,
    },
    /// Lines printed over time, then back to cmd (one-shot nslookup, dism, pkgmgr).
    Script {
        script: Script,
        install: bool,
    },
    /// `more` at its `-- More --` prompt: its lines, the first `shown` of them on screen.
    More {
        lines: Vec<String>,
        shown: usize,
    },
}

/// Where a running command's output (or its error messages) goes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
enum Out {
    #[default]
    Screen,
    /// A learner's file, by its full path (opened before the command ran).
    File(String),
    /// `> nul`.
    Discard,
    /// The next command of the pipeline.
    Pipe,
    /// Error messages sent where the output goes (`2>&1`).
    WithOutput,
}

/// A typed line being run command by command: what is left of it and where the running
/// command's output goes. cmd runs the commands of a pipeline side by side; here each one
/// runs to its end with its output kept, then the next one reads it (so a piped `ping`
/// shows its filtered lines when it finishes, as `find` prints them then too).
#[derive(Debug, Default)]
struct Job {
    /// The pipelines still to run, the next one last.
    rest: Vec<(Join, Pipeline)>,
    /// The current pipeline's commands still to run, the next one last.
    stages: Vec<Simple>,
    /// Whether a command of the line has started and not yet been wound up.
    running: bool,
    out: Out,
    err: Out,
    /// The previous command's output, for the next one of the pipeline.
    piped: Option<String>,
    /// The exit status of the last command that ran was not 0.
    failed: bool,
    /// The last command was `cls`: its prompt comes without the blank line.
    quiet: bool,
    /// Ctrl+C stopped a command: the rest of its pipeline gets what it wrote, then `^C`
    /// shows and the prompt returns.
    interrupted: bool,
}

/// A simulated Windows PC at a command prompt.
#[derive(Debug)]
pub struct Workstation {
    m: Machine,
    cmd: LineEditor,
    /// cmd's own state: the current directory and echo.
    shell: Shell,
    program: Program,
    typeahead: VecDeque<Key>,
    now: Millis,
    /// How far `date` and `time` have moved this PC's clock, in milliseconds: the change
    /// outlives the cmd window, and never reaches the servers, whose clocks are their own.
    clock_shift: i64,
    /// The typed line being run, while it runs.
    job: Option<Job>,
    /// A command of the job ended; the job moves on once the call that ended it returns, so
    /// a line of many commands runs in a loop, not one stack level deeper per command.
    stage_ended: bool,
    /// The job is being moved on (a command started by it must not move it on itself).
    pumping: bool,
    /// The running command's exit status is not 0 (what `&&` and `||` look at).
    failed: bool,
}

impl Default for Workstation {
    fn default() -> Self {
        Self::new(World::default(), 0, 0)
    }
}

impl Workstation {
    /// A workstation in `world` at its cmd prompt. `seed` makes everything random (ports,
    /// round trip times, message ids) repeatable. The world is checked by
    /// [`World::parse`]; one that skipped it still gives a usable workstation.
    pub fn new(world: World, seed: u64, now: Millis) -> Workstation {
        let stopped: Vec<(usize, String)> = world
            .hosts
            .iter()
            .enumerate()
            .filter(|(i, _)| {
                world
                    .faults_for_host(*i)
                    .any(|f| matches!(f, Fault::SmtpServiceStopped { .. }))
            })
            .map(|(i, h)| (i, h.name.clone()))
            .collect();
        let mut ws = Workstation {
            shell: Shell::new(world.workstation.os),
            m: Machine::new(world, seed),
            cmd: LineEditor::new(),
            program: Program::Cmd,
            typeahead: VecDeque::new(),
            now,
            clock_shift: 0,
            job: None,
            stage_ended: false,
            pumping: false,
            failed: false,
        };
        for (i, host) in stopped {
            // Dated by the server's clock, as the server's own entries are.
            let local_secs = ws.m.server_config(i).local_secs_at(now);
            ws.m.log(EventLogEntry {
                time: now,
                local_secs,
                host,
                source: "Service Control Manager".into(),
                event_id: 7036,
                level: LogLevel::Information,
                message:
                    "The Simple Mail Transfer Protocol (SMTP) service entered the stopped state."
                        .into(),
            });
        }
        // The DNS Client reads the hosts file as the workstation starts.
        ws.m.net.start_dns(now);
        ws.open_window();
        ws
    }

    /// A fresh cmd window: banner, blank line, prompt, in the version's start folder.
    fn open_window(&mut self) {
        let files = std::mem::take(&mut self.shell.files);
        self.shell = Shell::new(self.m.os);
        self.shell.files = files;
        let banner = text::cmd_banner(self.m.os);
        self.m.lines(banner);
        self.m.console.write("\n");
        self.show_prompt();
    }

    fn show_prompt(&mut self) {
        // A line cut short (Ctrl+C, `exit`): what went to a file so far stays there.
        // Ctrl+C echoes `^C` on the console, not into the file or pipe (R).
        if let Some(job) = self.job.take() {
            if let Some(text) = self.m.console.take_capture() {
                if let Out::File(path) = &job.out {
                    let _ = self.shell.files.append(path, &crlf(&text));
                }
                self.m.fresh_line();
                self.m.console.write_line("^C");
            }
        }
        self.stage_ended = false;
        self.program = Program::Cmd;
        self.m.fresh_line();
        self.cmd.render(&mut self.m.console, &self.shell.prompt());
    }

    /// A program finished: cmd prints a blank line, then its prompt; after `echo off`,
    /// neither (the next command is typed on the line after the output).
    fn end_command(&mut self) {
        if self.job.is_some() {
            self.program = Program::Cmd;
            self.stage_ended = true;
            return;
        }
        self.m.fresh_line();
        if self.shell.echo_on() {
            self.m.console.write("\n");
        }
        self.show_prompt();
    }

    // ---- getters -------------------------------------------------------------------------

    /// Where keys go now.
    pub fn input_mode(&self) -> InputMode {
        match &self.program {
            Program::Cmd | Program::Ask { .. } | Program::More { .. } => InputMode::CmdLine,
            Program::Ping(_) | Program::Script { .. } => InputMode::Busy,
            Program::Telnet(t) if t.is_busy() => InputMode::Busy,
            Program::Telnet(t) if t.in_session() => InputMode::TelnetSession,
            Program::Telnet(_) => InputMode::TelnetPrompt,
            Program::Nslookup { script, .. } if !script.is_done() => InputMode::Busy,
            Program::Nslookup { .. } => InputMode::Nslookup,
        }
    }

    /// True when the workstation waits for the learner: nothing is printing or connecting and
    /// no server reply is on its way. A server's idle timeout minutes away does not count.
    /// An endless `ping -t` (or one of more than 100 echoes) counts as waiting once it has
    /// shown its first four echoes, the moment a learner would press Ctrl+C (`replay` relies
    /// on this to stay finite).
    /// Keys in the type-ahead buffer do not change this: they wait for the program, which
    /// only a key (Ctrl+C) or time can move on.
    pub fn is_idle(&self) -> bool {
        match &self.program {
            Program::Cmd | Program::Ask { .. } | Program::More { .. } => true,
            Program::Ping(p) => p.watched_enough(),
            Program::Telnet(t) => !t.is_busy() && t.deadline().is_none_or(|d| d > self.now + SOON),
            Program::Nslookup { script, .. } => script.is_done(),
            Program::Script { script, .. } => script.watched_enough(self.now),
        }
    }

    /// When the workstation next wants [`Workstation::handle_timeout`], if anything is pending.
    pub fn poll_timeout(&self) -> Option<Millis> {
        match &self.program {
            Program::Cmd | Program::Ask { .. } | Program::More { .. } => None,
            Program::Ping(p) => p.deadline(),
            Program::Telnet(t) => t.deadline(),
            Program::Nslookup { script, .. } | Program::Script { script, .. } => script.deadline(),
        }
    }

    /// The screen.
    pub fn console(&self) -> &Console {
        &self.m.console
    }

    /// The screen, for draining its transcript.
    pub fn console_mut(&mut self) -> &mut Console {
        &mut self.m.console
    }

    /// The mailboxes of the simulated world (what servers delivered).
    pub fn mail_store(&self) -> &MailStore {
        &self.m.mail
    }

    /// The servers' application log, oldest first (the Event Viewer panel).
    pub fn event_log(&self) -> &[EventLogEntry] {
        &self.m.event_log
    }

    /// Every TCP segment of Telnet sessions, oldest first (the Network trace panel).
    pub fn trace(&self) -> &[TraceSegment] {
        &self.m.trace
    }

    /// The world the workstation sits in.
    pub fn world(&self) -> &World {
        &self.m.world
    }

    /// The primary DNS suffix the resolver appends to a name of one label (`None` on a PC
    /// without one), as `ipconfig /all` shows it.
    pub fn dns_suffix(&self) -> Option<&str> {
        self.m.net.dns_suffix()
    }

    /// Whether Telnet Client is installed now (it can be installed during a session).
    pub fn telnet_installed(&self) -> bool {
        self.m.telnet_installed
    }

    /// Whether a Telnet client is running with local echo on (`None`: no Telnet running).
    pub fn telnet_local_echo(&self) -> Option<bool> {
        match &self.program {
            Program::Telnet(t) => Some(t.local_echo()),
            _ => None,
        }
    }

    // ---- outputs -------------------------------------------------------------------------

    /// The next thing that happened, oldest first.
    pub fn poll_event(&mut self) -> Option<SimEvent> {
        self.m.events.pop_front()
    }

    // ---- inputs --------------------------------------------------------------------------

    /// A key press at `now`. While a program is busy, keys wait in the type-ahead buffer
    /// (Ctrl+C goes through at once, as it does to a console program).
    pub fn handle_key(&mut self, key: Key, now: Millis) {
        self.now = self.now.max(now);
        let busy = self.input_mode() == InputMode::Busy;
        if busy && key != Key::CtrlC {
            if self.typeahead.len() < TYPEAHEAD_CAP {
                self.typeahead.push_back(key);
            }
            return;
        }
        self.dispatch(key);
        self.pump();
        self.drain_typeahead();
    }

    /// Called at or after [`Workstation::poll_timeout`]'s instant.
    pub fn handle_timeout(&mut self, now: Millis) {
        self.now = self.now.max(now);
        self.advance();
        self.pump();
        self.drain_typeahead();
    }

    /// Runs the current program's timers up to `self.now`. A command just started calls this
    /// rather than [`Workstation::handle_timeout`]: its caller (a key, or the type-ahead loop)
    /// drains the type-ahead afterwards, and draining from inside the drain nested one stack
    /// level per queued command until a long paste overflowed the stack (found by the
    /// `workstation_keys` fuzz target).
    fn advance(&mut self) {
        let now = self.now;
        match &mut self.program {
            Program::Cmd | Program::Ask { .. } | Program::More { .. } => {}
            Program::Ping(p) => match p.timeout(&mut self.m, now) {
                ping::Step::Running => {}
                ping::Step::Done => {
                    self.failed = p.no_reply();
                    self.end_command();
                }
                ping::Step::Interrupted => self.show_prompt(),
            },
            Program::Telnet(t) => {
                if t.timeout(&mut self.m, now) == telnet::Step::Exit {
                    self.telnet_exit();
                }
            }
            Program::Nslookup { script, editor, .. } => {
                if !script.is_done() && script.run(&mut self.m, now) {
                    editor.render(&mut self.m.console, text::NS_PROMPT);
                }
            }
            Program::Script { script, install } => {
                if script.run(&mut self.m, now) {
                    if *install {
                        self.install_telnet();
                    }
                    self.end_command();
                }
            }
        }
    }

    fn drain_typeahead(&mut self) {
        while self.input_mode() != InputMode::Busy {
            let Some(k) = self.typeahead.pop_front() else {
                return;
            };
            self.dispatch(k);
            self.pump();
        }
    }

    fn dispatch(&mut self, key: Key) {
        let now = self.now;
        match &mut self.program {
            Program::Cmd => self.cmd_key(key),
            Program::Ask { .. } if key == Key::CtrlC => {
                self.m.console.write_line("^C");
                self.show_prompt();
            }
            Program::Ask {
                what: Internal::Pause,
                ..
            } => self.end_command(),
            Program::Ask {
                what,
                prompt,
                editor,
            } => match editor.key(key) {
                Edit::Unchanged => {}
                Edit::Editing => editor.render(&mut self.m.console, prompt),
                Edit::Submit(line) => {
                    let what = *what;
                    self.m.console.write("\n");
                    self.answer(what, &line);
                }
            },
            Program::Ping(p) => {
                if key == Key::CtrlC {
                    p.interrupt(&mut self.m);
                    match self.job.as_mut() {
                        // Redirected or piped, what ping wrote goes on as if it had ended
                        // (R: the later commands of the line do not run).
                        Some(job) if job.running => {
                            job.rest.clear();
                            job.interrupted = true;
                            self.program = Program::Cmd;
                            self.stage_ended = true;
                        }
                        _ => {
                            self.m.console.write_line("^C");
                            self.show_prompt();
                        }
                    }
                }
            }
            Program::Telnet(t) => {
                if t.key(&mut self.m, key, now) == telnet::Step::Exit {
                    self.telnet_exit();
                }
            }
            Program::Nslookup { ns, editor, script } => {
                if key == Key::CtrlC {
                    self.m.console.write("\n");
                    self.show_prompt();
                    return;
                }
                match editor.key(key) {
                    Edit::Unchanged => {}
                    Edit::Editing => editor.render(&mut self.m.console, text::NS_PROMPT),
                    Edit::Submit(line) => {
                        self.m.console.write("\n");
                        let mut s = Script::new(now);
                        if ns.command(&mut self.m, &line, &mut s) {
                            *script = s;
                            if script.run(&mut self.m, now) {
                                editor.render(&mut self.m.console, text::NS_PROMPT);
                            }
                        } else {
                            self.end_command();
                        }
                    }
                }
            }
            // Ctrl+C stops a program that prints over time (tracert's hops, a long nslookup
            // wait): what it printed stays, `^C` follows, and the prompt comes back.
            Program::Script { .. } => {
                if key == Key::CtrlC {
                    self.m.console.write_line("^C");
                    self.show_prompt();
                }
            }
            Program::More { lines, shown } => {
                let step = match key {
                    Key::Char(' ') => page_rows(self.m.os),
                    Key::Enter => 1,
                    Key::Char('q' | 'Q') | Key::CtrlC => 0,
                    _ => return,
                };
                // The prompt is wiped and the text goes on where it stood (R).
                self.m.console.set_current("", 0);
                let end = lines.len().min(*shown + step);
                self.m.lines(&lines[*shown..end]);
                *shown = end;
                let done = step == 0 || end == lines.len();
                match (key, done) {
                    (Key::CtrlC, _) => {
                        self.m.console.write_line("^C");
                        self.show_prompt();
                    }
                    (_, true) => self.end_command(),
                    (_, false) => self.m.console.write(text::MORE_PROMPT),
                }
            }
        }
    }

    fn cmd_key(&mut self, key: Key) {
        // The prompt is built only when a key redraws the line, not for every key.
        if key == Key::CtrlC {
            let line = format!("{}{}^C", self.shell.prompt(), self.cmd.text());
            let len = line.chars().count();
            self.m.console.set_current(&line, len);
            self.m.console.write("\n");
            self.cmd.clear();
            self.show_prompt();
            return;
        }
        match self.cmd.key(key) {
            Edit::Unchanged => {}
            Edit::Editing => self.cmd.render(&mut self.m.console, &self.shell.prompt()),
            Edit::Submit(line) => {
                self.m.console.write("\n");
                self.run_command(&line);
            }
        }
    }

    /// Runs one cmd line as typed: its `%NAME%` references expanded, then run.
    fn run_command(&mut self, line: &str) {
        let expanded = self.shell.expand(line, &self.m.world.workstation.name);
        self.run_expanded(&expanded);
    }

    /// Runs a cmd line whose `%NAME%` references are already expanded: cmd expands a line
    /// once, so what came out of that (a value holding `%y%`) reaches the command as it is.
    /// A leading `@` (cmd's "do not echo this line") is accepted and dropped, so `@echo off`
    /// works as learners copy it from batch files. The line is cut at its operators first
    /// (see [`cmdline`]); a line cmd refuses runs nothing.
    fn run_expanded(&mut self, line: &str) {
        let line = line.trim_start().trim_start_matches('@');
        match cmdline::parse(line) {
            Err(e) => {
                self.m.console.write_line(&e.0);
                self.end_command();
            }
            Ok(l) if l.is_empty() => self.show_prompt(),
            Ok(l) => {
                let mut rest = l;
                rest.reverse();
                self.job = Some(Job {
                    rest,
                    ..Job::default()
                });
                self.stage_ended = true;
                self.pump();
            }
        }
    }

    /// Moves the job on while its commands end at once: winds up the one that ended, starts
    /// the next (or prints the prompt when none is left).
    fn pump(&mut self) {
        if self.pumping {
            return;
        }
        self.pumping = true;
        while std::mem::take(&mut self.stage_ended) {
            self.finish_stage();
            self.next_stage();
        }
        self.pumping = false;
    }

    /// The command that ended: its output into its file or the pipe, its status kept.
    fn finish_stage(&mut self) {
        let Some(job) = self.job.as_mut() else {
            return;
        };
        if !std::mem::take(&mut job.running) {
            return;
        }
        job.failed = self.failed;
        let captured = self.m.console.take_capture().unwrap_or_default();
        match std::mem::take(&mut job.out) {
            Out::File(path) if self.shell.files.append(&path, &crlf(&captured)).is_err() => {
                self.m.console.write_line(text::DISK_FULL);
            }
            Out::Pipe => job.piped = Some(captured),
            _ => {}
        }
        if !job.stages.is_empty() && job.piped.is_none() {
            // Its output went elsewhere: the next command reads nothing.
            job.piped = Some(String::new());
        }
    }

    /// Starts the job's next command, skipping those `&&` and `||` rule out.
    fn next_stage(&mut self) {
        loop {
            let Some(job) = self.job.as_mut() else {
                return;
            };
            if let Some(simple) = job.stages.pop() {
                let last = job.stages.is_empty();
                self.start_stage(simple, last);
                return;
            }
            match job.rest.pop() {
                Some((join, pipeline)) => {
                    let runs = match join {
                        Join::Always => true,
                        Join::IfOk => !job.failed,
                        Join::IfFail => job.failed,
                    };
                    if runs {
                        job.stages = pipeline;
                        job.stages.reverse();
                        job.piped = None;
                    }
                }
                None => {
                    let (quiet, interrupted) = (job.quiet, job.interrupted);
                    self.job = None;
                    if interrupted {
                        self.m.fresh_line();
                        self.m.console.write_line("^C");
                        self.show_prompt();
                    } else if quiet {
                        self.show_prompt();
                    } else {
                        self.end_command();
                    }
                    return;
                }
            }
        }
    }

    /// Opens the command's redirections, as cmd does before it runs it (a file that cannot
    /// be opened stops the command with cmd's message), then runs it.
    fn start_stage(&mut self, s: Simple, last: bool) {
        self.failed = false;
        let telnet = self.m.telnet_installed;
        let secs = self.local_ms().div_euclid(1000);
        let piped = self.job.as_mut().and_then(|j| {
            j.running = true;
            j.quiet = false;
            j.piped.take()
        });
        let input = match &s.input {
            Some(name) => match self.shell.read(name, telnet) {
                Ok(t) => Some(t),
                Err(msg) => return self.refuse(msg),
            },
            None => piped,
        };
        let out = match &s.out {
            None if last => Ok(Out::Screen),
            None => Ok(Out::Pipe),
            Some(Sink::Other) => Ok(Out::Screen),
            Some(Sink::File { path, append }) => self.open_sink(path, *append, secs),
        };
        let err = match &s.err {
            None => Ok(Out::Screen),
            Some(Sink::Other) => Ok(Out::WithOutput),
            Some(Sink::File { path, append }) => self.open_sink(path, *append, secs),
        };
        let (out, err) = match (out, err) {
            (Ok(o), Ok(e)) => (o, e),
            (Err(msg), _) | (_, Err(msg)) => return self.refuse(msg),
        };
        // Telnet and interactive nslookup draw on the console whatever cmd does with their
        // output: a learner redirecting them still sees and uses them, and the file stays
        // empty (real telnet.exe writes to the console itself; nslookup's prompt going to a
        // file would leave the learner typing blind, the least useful choice).
        if out != Out::Screen && !interactive(&s.text) {
            self.m.console.start_capture();
        }
        if let Some(job) = self.job.as_mut() {
            job.out = out;
            job.err = err;
        }
        self.run_one(&s.text, input);
    }

    /// A redirection cmd could not open: its message, and the command does not run.
    fn refuse(&mut self, msg: &str) {
        self.m.console.write_line(msg);
        self.failed = true;
        self.stage_ended = true;
    }

    /// The target of `>`/`>>`: a device ([`cmd::device`]) swallows or shows, any other name is a
    /// file.
    fn open_sink(&mut self, path: &str, append: bool, secs: i64) -> Result<Out, &'static str> {
        let telnet = self.m.telnet_installed;
        match cmd::device(path) {
            Some(cmd::Device::Discard) => Ok(Out::Discard),
            Some(cmd::Device::Screen) => Ok(Out::Screen),
            None => self
                .shell
                .open_out(path, append, telnet, secs)
                .map(Out::File),
        }
    }

    /// Error messages (handle 2): on the screen unless redirected, even when the output is.
    fn say_err<S: AsRef<str>>(&mut self, lines: &[S]) {
        let err = self.job.as_ref().map(|j| j.err.clone()).unwrap_or_default();
        for l in lines {
            let l = l.as_ref();
            match &err {
                Out::Screen => self.m.console.write_to_screen(&format!("{l}\n")),
                Out::WithOutput | Out::Pipe => self.m.console.write_line(l),
                Out::Discard => {}
                Out::File(path) => {
                    if self.shell.files.append(path, &format!("{l}\r\n")).is_err() {
                        self.m
                            .console
                            .write_to_screen(&format!("{}\n", text::DISK_FULL));
                    }
                }
            }
        }
    }

    /// Runs one command of a line (no operators left in it); `input` is what it reads, from
    /// a pipe or `<`.
    fn run_one(&mut self, line: &str, input: Option<String>) {
        let now = self.now;
        let Some((first, rest)) = split_command(line) else {
            self.end_command();
            return;
        };
        let first = first.as_str();
        let command = cmd::classify(first);
        let name = match &command {
            Command::Internal { name, .. } => name.to_string(),
            Command::Program(p) => p.clone(),
        };
        self.m.emit(SimEvent::CommandRun {
            program: name.clone(),
            line: line.trim().to_string(),
        });
        if let Command::Internal { cmd, name, glued } = command {
            let raw = format!("{glued}{rest}");
            self.run_internal(cmd, name, &raw);
            return;
        }
        if let "find" | "findstr" | "more" = name.as_str() {
            self.filter(&name, rest, input.unwrap_or_default());
            return;
        }
        let words: Vec<&str> = rest.split_whitespace().collect();
        let args = &words[..];
        let vista = self.m.os.is_vista_or_later();
        match name.as_str() {
            "ping" => match Ping::start(&mut self.m, args, now) {
                Some(p) => {
                    self.program = Program::Ping(p);
                    self.advance();
                }
                None => {
                    self.failed = true;
                    self.end_command();
                }
            },
            "telnet" if self.m.telnet_installed => match Telnet::start(&mut self.m, args, now) {
                Some(t) => {
                    self.program = Program::Telnet(Box::new(t));
                    self.advance();
                }
                None => self.end_command(),
            },
            "nslookup" => match Nslookup::start(&mut self.m, args, now) {
                nslookup::Start::Interactive(ns, mut script) => {
                    let editor = LineEditor::new();
                    if script.run(&mut self.m, now) {
                        editor.render(&mut self.m.console, text::NS_PROMPT);
                    }
                    self.program = Program::Nslookup { ns, editor, script };
                }
                nslookup::Start::OneShot(script) => self.run_script(script, false),
            },
            "ipconfig" => {
                ipconfig::run(&mut self.m, args, now);
                self.end_command();
            }
            "arp" => {
                route::arp(&mut self.m, args);
                self.end_command();
            }
            "route" => {
                route::route(&mut self.m, args);
                self.end_command();
            }
            "tracert" => {
                let script = tracert::start(&mut self.m, args, now);
                self.run_script(script, false);
            }
            "hostname" => {
                let name = self.m.world.workstation.name.clone();
                self.m.console.write_line(&name);
                self.end_command();
            }
            "dism" if vista => self.dism(args),
            "pkgmgr" if vista => self.pkgmgr(args),
            _ => {
                self.failed = true;
                self.say_err(&text::not_recognized(first));
                self.end_command();
            }
        }
    }

    /// `find`, `findstr` and `more` over `input` (or the files they name); `more`
    /// pages what it shows when it writes to the screen.
    fn filter(&mut self, name: &str, raw: &str, input: String) {
        let telnet = self.m.telnet_installed;
        let shell = &self.shell;
        let read = |f: &str| shell.read(f, telnet);
        let o = filters::run(name, raw, &input, &read);
        self.failed = o.failed;
        let rows = page_rows(self.m.os);
        let paged = name == "more" && !self.m.console.capturing() && o.out.len() > rows;
        if paged {
            self.m.lines(&o.out[..rows]);
            self.m.console.write(text::MORE_PROMPT);
            self.program = Program::More {
                lines: o.out,
                shown: rows,
            };
            return;
        }
        self.m.lines(&o.out);
        self.say_err(&o.err);
        self.end_command();
    }

    /// Runs one of cmd's internal commands, `name` as the table names it; `raw` is its
    /// arguments as typed, from the character that ended its name (` /all`, `..` of `cd..`).
    /// `/?` first shows the command's help instead of running it, whatever the command.
    fn run_internal(&mut self, command: Internal, name: &str, raw: &str) {
        let telnet = self.m.telnet_installed;
        let words: Vec<&str> = raw.split_whitespace().collect();
        let help_asked = words.first() == Some(&"/?");
        let computer = &self.m.world.workstation.name;
        let output = match command {
            _ if help_asked => cmd::help_lines(name),
            Internal::Cls => {
                self.m.console.clear();
                match self.job.as_mut() {
                    Some(job) => {
                        job.quiet = true;
                        self.stage_ended = true;
                    }
                    None => self.show_prompt(),
                }
                return;
            }
            Internal::Exit => {
                // The window closes: the rest of the line with it.
                self.job = None;
                self.m.console.take_capture();
                self.m.console.clear();
                self.open_window();
                return;
            }
            Internal::Start if !words.is_empty() => {
                let rest: Vec<&str> = words
                    .iter()
                    .skip_while(|a| a.starts_with('/'))
                    .copied()
                    .collect();
                if !rest.is_empty() {
                    let line = rest.join(" ");
                    // start hands a program the line cmd already expanded; an internal
                    // command it runs through a new `cmd /K`, which expands it once more.
                    let first = split_command(&line).map(|(f, _)| f);
                    let line = match first.as_deref().map(cmd::classify) {
                        Some(Command::Internal { .. }) => {
                            self.shell.expand(&line, &self.m.world.workstation.name)
                        }
                        _ => line,
                    };
                    self.run_one(&line, None);
                    return;
                }
                Vec::new()
            }
            Internal::Start | Internal::Title => Vec::new(),
            Internal::Ver => {
                let v = text::cmd_banner(self.m.os)[0];
                vec![String::new(), v.to_string()]
            }
            Internal::Help => match words.first() {
                None => text::CMD_HELP.iter().map(|l| l.to_string()).collect(),
                Some(topic) => {
                    let lines = cmd::help_lines(&topic.to_ascii_lowercase());
                    if lines.is_empty() {
                        vec![text::help_not_supported(topic)]
                    } else {
                        lines
                    }
                }
            },
            Internal::Echo => self.shell.echo(raw),
            Internal::Set => self.shell.set(raw, computer),
            Internal::Path => self.shell.path(raw, computer),
            Internal::Cd => self.shell.cd(raw, telnet),
            Internal::Dir => self.shell.dir(raw, telnet),
            Internal::Type => self
                .shell
                .type_file(raw, telnet)
                .unwrap_or_else(|m| vec![m.to_string()]),
            Internal::Copy => {
                let secs = self.local_ms().div_euclid(1000);
                self.shell.copy(raw, telnet, secs)
            }
            Internal::Ren => self.shell.ren(raw, telnet),
            Internal::Del => {
                // M: del leaves the exit status at 0 even when it could not find a file.
                if let Err(errors) = self.shell.del(raw, telnet) {
                    self.say_err(&errors);
                }
                Vec::new()
            }
            Internal::Vol => self.shell.vol(raw),
            Internal::Color => cmd::color(raw),
            Internal::Pause => {
                self.ask(command, text::PAUSE);
                return;
            }
            Internal::Date | Internal::Time => {
                let arg = raw.trim();
                let short = arg.eq_ignore_ascii_case("/t");
                let local = self.local_ms();
                let now = match command {
                    Internal::Date => text::cmd_date(local),
                    _ => text::cmd_time(self.m.os, local, short),
                };
                match arg {
                    _ if short => vec![now],
                    "" => {
                        let texts = clock_texts(command);
                        self.m.console.write(texts[0]);
                        self.m.console.write_line(&now);
                        self.ask(command, texts[1]);
                        return;
                    }
                    typed => {
                        self.answer(command, typed);
                        return;
                    }
                }
            }
        };
        let mut output = output;
        // A failing internal command prints its message last, on handle 2.
        match output.pop() {
            Some(last) if is_error(&last) => {
                self.m.lines(&output);
                self.failed = true;
                self.say_err(&[last]);
            }
            Some(last) => {
                self.m.lines(&output);
                self.m.console.write_line(&last);
            }
            None => {}
        }
        self.end_command();
    }

    /// Telnet ended: its log file (`set logfile`, `-f`), if any, is written to the drive, then
    /// cmd goes on. A name that cannot be written is dropped without a word (R), as is a
    /// device: `con` would show again what is already on the screen (R), the rest discard.
    fn telnet_exit(&mut self) {
        let log = match &mut self.program {
            Program::Telnet(t) => t.take_log(),
            _ => None,
        };
        if let Some((name, received)) = log.filter(|(name, _)| cmd::device(name).is_none()) {
            let telnet = self.m.telnet_installed;
            let secs = self.local_ms().div_euclid(1000);
            if let Ok(path) = self.shell.open_out(&name, false, telnet, secs) {
                let _ = self.shell.files.append(&path, &crlf(&received));
            }
        }
        self.end_command();
    }

    /// Waits for what `date`, `time` or `pause` asks for, `prompt` shown.
    fn ask(&mut self, what: Internal, prompt: &'static str) {
        let editor = LineEditor::new();
        // Redirected (`pause > nul`), the question goes with the output and the key is
        // still awaited.
        let prompt = if self.m.console.capturing() {
            self.m.console.write(prompt);
            ""
        } else {
            prompt
        };
        editor.render(&mut self.m.console, prompt);
        self.program = Program::Ask {
            what,
            prompt,
            editor,
        };
    }

    /// A line typed to `date` or `time` (or after its name): nothing keeps the clock, a value
    /// cmd takes moves it, anything else is refused and asked for again. The learner is the
    /// Administrator in a window that may change the system (dism installs Telnet Client from
    /// it without the elevation error), so Vista and later's `A required privilege is not
    /// held by the client.` of a limited window does not apply (R).
    fn answer(&mut self, what: Internal, typed: &str) {
        if typed.trim().is_empty() {
            return self.end_command();
        }
        let local = self.local_ms();
        let set = match what {
            Internal::Date => cmd::typed_date(typed, local),
            _ => cmd::typed_time(typed, local),
        };
        let texts = clock_texts(what);
        match set {
            Some(ms) => {
                self.clock_shift += ms - local;
                self.end_command();
            }
            None => {
                self.m.console.write_line(texts[2]);
                self.ask(what, texts[1]);
            }
        }
    }

    /// This PC's local time in milliseconds since 1970: the clock and time zone of the
    /// world's first mail server (the clock its Received and X-OriginalArrivalTime headers
    /// are stamped from, so the two agree), moved by what `date` and `time` set.
    fn local_ms(&mut self) -> i64 {
        let mail = self
            .m
            .world
            .hosts
            .iter()
            .position(|h| h.role == HostRole::Mail);
        let cfg = self.m.server_config(mail.unwrap_or(usize::MAX));
        let zone_ms = i64::from(cfg.tz_offset_minutes) * 60_000;
        cfg.unix_millis_at(self.now)
            .saturating_add(zone_ms)
            .saturating_add(self.clock_shift)
            // Years 1970 to 9999, whatever a scenario file's epoch.
            .clamp(0, 253_402_300_799_999)
    }

    fn run_script(&mut self, mut script: Script, install: bool) {
        if script.run(&mut self.m, self.now) {
            if install {
                self.install_telnet();
            }
            self.end_command();
        } else {
            self.program = Program::Script { script, install };
        }
    }

    fn dism(&mut self, args: &[&str]) {
        const TELNET_FEATURE: &str = "TelnetClient";
        let lower: Vec<String> = args.iter().map(|a| a.to_ascii_lowercase()).collect();
        let has = |s: &str| lower.iter().any(|a| a == s);
        let feature = args.iter().find_map(|a| {
            let (k, v) = a.split_once(':')?;
            k.eq_ignore_ascii_case("/featurename")
                .then(|| v.trim_matches('"'))
        });
        // Windows 7's DISM matches feature names case-sensitively (`telnetclient` is unknown
        // there); Windows 8's and later ones do not.
        let known = |f: &str| match self.m.os {
            WindowsVersion::Win7 => f == TELNET_FEATURE,
            _ => f.eq_ignore_ascii_case(TELNET_FEATURE),
        };
        let mut script = Script::new(self.now);
        match (has("/online") && has("/enable-feature"), feature) {
            (true, Some(f)) if known(f) => {
                script.say_all(&text::dism_header(self.m.os));
                script.wait(INSTALL_TIME);
                script.say_all(text::DISM_DONE);
                self.run_script(script, true);
            }
            (true, Some(f)) => {
                script.say_all(&text::dism_header(self.m.os)[..6]);
                script.say_all(&text::dism_unknown_feature(f));
                self.run_script(script, false);
            }
            _ => {
                script.say_all(text::DISM_USAGE);
                self.run_script(script, false);
            }
        }
    }

    /// `pkgmgr /iu:"TelnetClient"` prints nothing and takes a while, as it did.
    fn pkgmgr(&mut self, args: &[&str]) {
        let wanted = args.iter().any(|a| {
            a.split_once(':').is_some_and(|(k, v)| {
                k.eq_ignore_ascii_case("/iu")
                    && v.trim_matches('"').eq_ignore_ascii_case("telnetclient")
            })
        });
        let mut script = Script::new(self.now);
        script.wait(INSTALL_TIME);
        self.run_script(script, wanted);
    }

    fn install_telnet(&mut self) {
        if !self.m.telnet_installed {
            self.m.telnet_installed = true;
            self.m.emit(SimEvent::TelnetInstalled);
        }
    }
}

/// Whether a message an internal command printed is an error (handle 2, exit status 1).
fn is_error(line: &str) -> bool {
    [
        text::ACCESS_DENIED,
        text::FILE_NOT_SPECIFIED,
        text::PATH_NOT_FOUND,
        text::DRIVE_NOT_FOUND,
        text::DIRECTORY_NAME_INVALID,
        text::FILE_NOT_FOUND,
        text::SET_SYNTAX,
        text::DUPLICATE,
        text::BAD_NAME,
        text::DISK_FULL,
    ]
    .contains(&line)
        || line.starts_with("Environment variable ")
        || line.starts_with("Invalid switch")
}

/// Text as cmd writes it to a file: every line ending in CR LF.
fn crlf(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\n', "\r\n")
}

/// Lines `more` shows before it asks for more: the window's height less its prompt line
/// (R: 25-line windows up to Windows 7, 30 on Windows 10).
fn page_rows(os: WindowsVersion) -> usize {
    match os {
        WindowsVersion::Win10 => 29,
        _ => 24,
    }
}

/// Whether a command takes the console for itself: Telnet, and nslookup with no name to
/// look up (its prompt).
fn interactive(line: &str) -> bool {
    let Some((first, rest)) = split_command(line) else {
        return false;
    };
    match cmd::classify(&first) {
        Command::Program(p) if p == "telnet" => true,
        Command::Program(p) if p == "nslookup" => {
            rest.split_whitespace().all(|w| w.starts_with('-'))
        }
        _ => false,
    }
}

/// `date`'s texts or `time`'s.
fn clock_texts(what: Internal) -> &'static [&'static str; 3] {
    match what {
        Internal::Date => &text::DATE_TEXTS,
        _ => &text::TIME_TEXTS,
    }
}

/// Splits a cmd line into the command name and the rest, as cmd.exe does: the name ends at a
/// blank or at a `/` (`ipconfig/all` runs `ipconfig /all`), and a quoted name loses its quotes
/// (`"telnet" mail.contoso.com 25`). `None` for a blank line.
fn split_command(line: &str) -> Option<(String, &str)> {
    let line = line.trim_start();
    if line.is_empty() {
        return None;
    }
    if let Some(quoted) = line.strip_prefix('"') {
        let (name, rest) = quoted.split_once('"').unwrap_or((quoted, ""));
        // What follows the closing quote up to a blank still belongs to the name (`"ping".exe`).
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        return Some((format!("{name}{}", &rest[..end]), &rest[end..]));
    }
    let end = line
        .find(|c: char| c.is_whitespace() || c == '/')
        .unwrap_or(line.len());
    Some((line[..end].to_string(), &line[end..]))
}

#[cfg(test)]
mod command_line_tests {
    use super::split_command;

    #[test]
    fn the_name_ends_at_a_blank_or_a_slash() {
        assert_eq!(split_command("   "), None);
        let cases = [
            ("ipconfig /all", "ipconfig", " /all"),
            ("ipconfig/all", "ipconfig", "/all"),
            ("ping/?", "ping", "/?"),
            (
                "  TELNET  mail.contoso.com   25",
                "TELNET",
                "  mail.contoso.com   25",
            ),
            (
                "\"telnet\" mail.contoso.com 25",
                "telnet",
                " mail.contoso.com 25",
            ),
            ("\"ping\".exe -n 1 x", "ping.exe", " -n 1 x"),
            ("\"unclosed", "unclosed", ""),
            (
                "C:\\WINDOWS\\system32\\ping.exe -n 1 x",
                "C:\\WINDOWS\\system32\\ping.exe",
                " -n 1 x",
            ),
        ];
        for (line, name, rest) in cases {
            assert_eq!(
                split_command(line),
                Some((name.to_string(), rest)),
                "{line}"
            );
        }
    }
}

#[cfg(test)]
mod clock_tests {
    use super::*;

    /// The default world with its mail server's clock at 2026-11-24 15:51:23 UTC, one hour
    /// east of UTC.
    fn workstation(os: WindowsVersion) -> Workstation {
        let mut world = World::default();
        world.workstation.os = os;
        for h in world.hosts.iter_mut().filter(|h| h.role == HostRole::Mail) {
            h.overrides.epoch_unix_secs = Some(1_795_535_483);
            h.overrides.tz_offset_minutes = Some(60);
        }
        Workstation::new(world, 1, 0)
    }

    fn type_line(ws: &mut Workstation, line: &str, now: Millis) {
        for c in line.chars() {
            ws.handle_key(Key::Char(c), now);
        }
        ws.handle_key(Key::Enter, now);
    }

    /// The screen from the last prompt that shows `command` on.
    fn after(ws: &Workstation, command: &str) -> String {
        let text = ws.console().text();
        let at = text.rfind(&format!(">{command}\n")).unwrap_or(0);
        text[at..].to_string()
    }

    #[test]
    fn the_clock_is_the_mail_servers_and_runs_with_the_simulation() {
        let mut ws = workstation(WindowsVersion::Xp);
        type_line(&mut ws, "date /t", 0);
        assert!(after(&ws, "date /t").contains(">date /t\nTue 11/24/2026\n"));
        type_line(&mut ws, "time /t", 9 * 60 * SECOND);
        assert!(after(&ws, "time /t").contains(">time /t\n05:00 PM\n"));
        let mut ws = workstation(WindowsVersion::Win2000);
        type_line(&mut ws, "TIME /T", 0);
        assert!(after(&ws, "TIME /T").contains("\n04:51p\n"));
    }

    #[test]
    fn date_asks_keeps_on_enter_refuses_a_bad_date_and_sets_a_good_one() {
        let mut ws = workstation(WindowsVersion::Win10);
        type_line(&mut ws, "date", 0);
        let screen = after(&ws, "date");
        assert!(screen.contains("The current date is: Tue 11/24/2026\n"));
        assert!(screen.ends_with("Enter the new date: (mm-dd-yy) "));
        assert_eq!(ws.input_mode(), InputMode::CmdLine);
        assert!(ws.is_idle());
        ws.handle_key(Key::Enter, 0);
        assert!(ws
            .console()
            .text()
            .ends_with("(mm-dd-yy) \n\nC:\\Users\\Administrator>"));
        type_line(&mut ws, "date", 0);
        type_line(&mut ws, "2/30/2027", 0);
        type_line(&mut ws, "12-25-27", 0);
        let screen = after(&ws, "date");
        assert!(screen.contains(
            "2/30/2027\nThe system cannot accept the date entered.\nEnter the new date: (mm-dd-yy) 12-25-27\n\n"
        ));
        // The change outlives the window and leaves the time of day as it was.
        type_line(&mut ws, "exit", 0);
        type_line(&mut ws, "date /t", 0);
        assert!(after(&ws, "date /t").contains("\nSat 12/25/2027\n"));
        type_line(&mut ws, "time 8:15p", 0);
        type_line(&mut ws, "time /t", 0);
        assert!(after(&ws, "time /t").contains("\n08:15 PM\n"));
        type_line(&mut ws, "date /t", 0);
        assert!(after(&ws, "date /t").contains("\nSat 12/25/2027\n"));
        // The server's clock is its own.
        let mail =
            ws.m.world
                .hosts
                .iter()
                .position(|h| h.role == HostRole::Mail);
        let cfg = ws.m.server_config(mail.unwrap_or(0));
        assert_eq!(cfg.epoch_unix_secs, 1_795_535_483);
    }

    #[test]
    fn time_asks_and_ctrl_c_leaves_the_question() {
        let mut ws = workstation(WindowsVersion::Xp);
        type_line(&mut ws, "time", 1_234);
        assert!(
            after(&ws, "time").contains("The current time is: 16:51:24.23\nEnter the new time: ")
        );
        type_line(&mut ws, "25:00", 1_234);
        assert!(after(&ws, "time").contains("\nThe system cannot accept the time entered.\n"));
        for c in "12".chars() {
            ws.handle_key(Key::Char(c), 1_234);
        }
        ws.handle_key(Key::CtrlC, 1_234);
        assert!(ws
            .console()
            .text()
            .ends_with("Enter the new time: 12^C\nC:\\Documents and Settings\\Administrator>"));
        type_line(&mut ws, "time /t", 1_234);
        assert!(after(&ws, "time /t").contains("\n04:51 PM\n"));
    }

    #[test]
    fn pause_waits_for_one_key() {
        let mut ws = workstation(WindowsVersion::Win7);
        type_line(&mut ws, "pause", 0);
        assert!(ws
            .console()
            .text()
            .ends_with(">pause\nPress any key to continue . . . "));
        ws.handle_key(Key::Char('q'), 0);
        assert!(ws
            .console()
            .text()
            .ends_with("continue . . . \n\nC:\\Users\\Administrator>"));
        // Ctrl+C leaves it too; help shows instead of pausing.
        type_line(&mut ws, "pause", 0);
        ws.handle_key(Key::CtrlC, 0);
        assert!(ws
            .console()
            .text()
            .ends_with(". . . ^C\nC:\\Users\\Administrator>"));
        type_line(&mut ws, "pause /?", 0);
        assert!(after(&ws, "pause /?").contains("Suspends processing of a batch program"));
    }
}
