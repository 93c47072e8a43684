//! The app: a reducer over the core. It owns the [`Workstation`], turns messages (keys, timer
//! ticks, toolbar and settings actions) into calls on it, and hands the components what to show.
//! Components hold no protocol logic; everything the learner sees comes from the core.

use super::browser;
use super::keys::PendingInput;
use super::panels::{
    mail_snapshot, EventsPanel, ExplainPanel, Explained, MailboxPanel, TracePanel, TRACE_SHOWN,
};
use super::params::{Choice, Choices, Settings, Theme, THEMES};
use super::replies::ReplyLog;
use super::screen::Screen;
use super::terminal::Terminal;
use super::trainer::{scenario_choices, TrainerMsg, TrainerState};
use crate::clock::Millis;
use crate::net::TraceSegment;
use crate::scenario::{Host, WindowsVersion, World};
use crate::smtp::config::{where_mail_lands, DEFAULT_MAILBOXES};
use crate::smtp::{explain, explain_reply, persona, MailStore};
use crate::windows::{EventLogEntry, Key, SimEvent, Workstation};
use gloo::timers::callback::Timeout;
use std::rc::Rc;
use std::sync::OnceLock;
use yew::prelude::*;

/// How many finished lines the screen reader's live region keeps; older ones were read already.
const ANNOUNCE_KEEP: usize = 4;

/// Most keys typed between two checks of the clock while a paste is typed.
const SLICE_KEYS: usize = 4096;
/// How long one slice of a paste may keep the page busy before it paints and reads events: well
/// under a frame, so a 10 MB paste leaves the page responsive while it is typed.
const SLICE_MS: Millis = 12;
/// The same for a hidden page, whose timers the browser runs about once a second: nobody waits
/// for its paint, and short slices would make a long paste take minutes.
const HIDDEN_SLICE_MS: Millis = 500;
/// While a paste is typed, the page is re-rendered at least this often (the screen and the
/// panels catch up), and at once whenever the console changed.
const SLICE_RENDER_MS: Millis = 250;
/// A paste longer than this many bytes is announced while it is typed.
const LONG_PASTE: usize = 64 * 1024;

/// The performance mark set when the first prompt is in the page (the frame that paints it comes
/// next, or came just before when Yew yielded to the browser first); the benchmark reads it.
pub const FIRST_PROMPT_MARK: &str = "smtp-trainer:first-prompt";

/// The performance mark set when the panels and the trainer are in the page too (a frame after
/// the first prompt when the app is [staged](AppProps::staged)); tests wait for it.
pub const PANELS_MARK: &str = "smtp-trainer:panels";

/// How a Settings change's notice and transcript mark begin, so a newer one replaces it.
const SETTINGS_CHANGED: &str = "Settings changed to ";

/// The name the transcript download is saved under.
pub const TRANSCRIPT_FILE: &str = "smtp-trainer-transcript.txt";

/// Windows versions the workstation can play, by their scenario-file names.
/// How the Settings panel names each Windows version (the ids come from the core).
const OS_LABELS: &[(WindowsVersion, &str)] = &[
    (WindowsVersion::Win2000, "Windows 2000"),
    (WindowsVersion::Xp, "Windows XP"),
    (WindowsVersion::Win2003, "Windows Server 2003"),
    (WindowsVersion::Win7, "Windows 7"),
    (WindowsVersion::Win10, "Windows 10"),
];

/// The seed of every workstation the app starts: the same keys give the same session (message
/// ids, ports, round-trip times), so a transcript can be reproduced with `smtp-trainer replay`.
pub const SEED: u64 = 153_119;

/// The values the address and the Settings panel may choose from, read from the core.
///
/// Each list is built once, at first use: the personas and the built-in exercises are parsed
/// only when an address names one or a panel shows them, so a plain first prompt never waits
/// for them, and an address naming one list does not wait for the others.
pub fn choices(list: Choices) -> &'static [Choice] {
    static OS: OnceLock<Vec<Choice>> = OnceLock::new();
    static PERSONAS: OnceLock<Vec<Choice>> = OnceLock::new();
    static SCENARIOS: OnceLock<Vec<Choice>> = OnceLock::new();
    match list {
        Choices::Os => OS.get_or_init(|| {
            WindowsVersion::ALL
                .iter()
                .map(|v| {
                    let label = OS_LABELS
                        .iter()
                        .find(|(o, _)| o == v)
                        .map_or(v.id(), |l| l.1);
                    Choice::new(v.id(), label)
                })
                .collect()
        }),
        Choices::Personas => PERSONAS.get_or_init(|| {
            persona::all()
                .into_iter()
                .map(|p| Choice::new(p.id.as_str(), p.description.as_str()))
                .collect()
        }),
        Choices::Scenarios => SCENARIOS.get_or_init(scenario_choices),
    }
}

/// What can happen to the app.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    /// Keys typed or tapped.
    Keys(Vec<Key>),
    /// Text pasted into the terminal: typed as keystrokes, a slice per task.
    Paste(String),
    /// Type the next slice of queued input.
    TypeSlice,
    /// The workstation's timer fired (a ping's next echo, a connect timeout...).
    Tick,
    /// Clear the screen, keeping the line being typed.
    Clear,
    CopyTranscript,
    DownloadTranscript,
    /// A short message in the status area (copy succeeded, download refused...).
    Status(String),
    DismissNotices,
    SetTheme(Theme),
    SetOs(Option<String>),
    SetPersona(Option<String>),
    /// Explain this line (clicked or selected in the terminal), with its console line number
    /// when it was clicked.
    ExplainLine(String, Option<u64>),
    /// Explain the newest server reply on the screen.
    ExplainLast,
    /// The trainer's own messages (lessons, challenges, progress, playback).
    Trainer(TrainerMsg),
    /// The first prompt is painted: build the panels and the trainer.
    ShowPanels,
}

/// The app's properties: the query string it starts from, so tests can mount it with any.
#[derive(Properties, PartialEq, Clone, Default)]
pub struct AppProps {
    /// `None` reads the page's own address.
    #[prop_or_default]
    pub query: Option<String>,
    /// Paint the terminal and its prompt first, and build the panels and the trainer (and
    /// register the service worker) only once that frame is on screen: the learner sees the
    /// prompt sooner. The page is staged; component tests mount the app whole, so one
    /// `flush` shows everything.
    #[prop_or_default]
    pub staged: bool,
}

/// How much of the app is built (see [`AppProps::staged`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// Only the terminal and the toolbar: waiting for the first prompt to be painted.
    Prompt,
    /// The panels were asked for and are rendered next; their mark is still to be set.
    Panels,
    /// Everything is shown.
    Whole,
}

/// The root component.
pub struct App {
    ws: Workstation,
    screen: Screen,
    settings: Settings,
    /// Plain messages about the address or the set-up, shown until dismissed.
    notices: Vec<String>,
    status: String,
    announcements: Rc<Vec<(u64, Rc<str>)>>,
    announced: u64,
    timer: Option<Timeout>,
    /// Pasted text and keys waiting to be typed, and the timer of the next slice.
    input: PendingInput,
    slice_timer: Option<Timeout>,
    /// When the page was last re-rendered for a paste being typed.
    slice_rendered: Millis,
    explained: Option<Explained>,
    /// What each reply on the screen answered and which server sent it, for Explain.
    replies: ReplyLog,
    /// Snapshots for the panels, replaced only when the workstation's data changed, so panels
    /// are not re-rendered on every keystroke.
    mail: Rc<MailStore>,
    /// Where mail would land on the main mail server, for the empty Mailbox panel.
    mail_landing: Rc<String>,
    events: Rc<Vec<EventLogEntry>>,
    trace: Rc<Vec<Rc<TraceSegment>>>,
    trace_total: usize,
    trainer: TrainerState,
    stage: Stage,
}

impl App {
    /// A fresh workstation for the current settings.
    /// Problems (an unknown persona) are returned as plain sentences for the notice area.
    fn boot(settings: &Settings, base: Option<World>, now: Millis) -> (Workstation, Vec<String>) {
        // An open lesson or challenge brings its own world, which the settings do not change.
        if let Some(world) = base {
            return (Workstation::new(world, SEED, now), Vec::new());
        }
        let mut world = World::default();
        let mut problems = Vec::new();
        if let Some(os) = &settings.os {
            match os.parse::<WindowsVersion>() {
                Ok(v) => world.workstation.os = v,
                Err(e) => problems.push(e),
            }
        }
        if let Some(p) = &settings.persona {
            if let Err(e) = world.set_mail_persona(p) {
                problems.push(e);
            }
        }
        (Workstation::new(world, SEED, now), problems)
    }

    /// The main mail server of the world in use, the one the KB articles telnet to.
    fn main_mail(&self) -> Option<&Host> {
        let world = self.ws.world();
        world.main_mail_host().map(|i| &world.hosts[i])
    }

    /// The persona id of the main mail server.
    fn mail_persona(&self) -> String {
        self.main_mail()
            .and_then(|h| h.persona.clone())
            .unwrap_or_else(|| persona::DEFAULT_PERSONA.to_string())
    }

    /// Refreshes the panels' snapshots whose source changed since the last call.
    fn refresh_panels(&mut self) {
        let delivered: usize = self.ws.mail_store().mailboxes.values().map(Vec::len).sum();
        let held: usize = self.mail.mailboxes.values().map(Vec::len).sum();
        if delivered != held {
            self.mail = Rc::new(mail_snapshot(self.ws.mail_store()));
        }
        if self.ws.event_log().len() != self.events.len() {
            self.events = Rc::new(self.ws.event_log().to_vec());
        }
        self.refresh_trace();
    }

    /// What the empty Mailbox panel says, for the world now running. Only the world changes
    /// it, so it is worked out when the panels are first shown and after each restart, never
    /// per keystroke; and not before the panels: it reads the persona tables, which the
    /// first frame (the prompt) must not pay for.
    fn refresh_landing(&mut self) {
        if self.stage == Stage::Prompt {
            return;
        }
        let known = self
            .main_mail()
            .and_then(|h| h.overrides.mailboxes.clone())
            .unwrap_or_else(|| DEFAULT_MAILBOXES.iter().map(|m| m.to_string()).collect());
        let landing = persona::get(&self.mail_persona())
            .map(|p| where_mail_lands(p, &known))
            .unwrap_or_default();
        if *self.mail_landing != landing {
            self.mail_landing = Rc::new(landing);
        }
    }

    /// Copies the segments captured since the last call (the capture only grows, except when
    /// it drops its oldest half at its cap; then the copy starts over).
    fn refresh_trace(&mut self) {
        let trace = self.ws.trace();
        if trace.len() == self.trace_total {
            return;
        }
        let list = Rc::make_mut(&mut self.trace);
        let from = if trace.len() > self.trace_total {
            self.trace_total
        } else {
            list.clear();
            0
        };
        let from = from.max(trace.len().saturating_sub(TRACE_SHOWN));
        list.extend(trace[from..].iter().cloned().map(Rc::new));
        let excess = list.len().saturating_sub(TRACE_SHOWN);
        list.drain(..excess);
        self.trace_total = trace.len();
    }

    /// Reads what the workstation reports; deliveries are said aloud and in the status line.
    fn drain_events(&mut self) {
        for event in self.trainer.pump(&mut self.ws, browser::now()) {
            self.replies.observe(&event, &self.ws);
            if let SimEvent::MessageDelivered { mailbox, .. } = event {
                let said = format!("A message was delivered to {mailbox}: see the Mailbox panel.");
                self.announce(Rc::from(said.as_str()));
                self.status = said;
            }
        }
    }

    /// Types keys into the workstation. Events are read after each Enter, so a pasted session
    /// reaches the trainer in its real order (a line sent, then its reply, then the next
    /// line): read once for the whole paste, the lines after DATA would come before the 354
    /// that makes them the message, and a lesson would miss them.
    fn type_keys(&mut self, keys: Vec<Key>, now: Millis) {
        for key in keys {
            self.ws.handle_key(key, now);
            if key == Key::Enter {
                self.drain_events();
            }
        }
    }

    fn announce(&mut self, line: Rc<str>) {
        let list = Rc::make_mut(&mut self.announcements);
        self.announced += 1;
        list.push((self.announced, line));
        let excess = list.len().saturating_sub(ANNOUNCE_KEEP);
        list.drain(..excess);
    }

    /// After any change to the workstation: copy the screen, feed the live region, re-arm the
    /// timer for the workstation's next deadline.
    fn after_change(&mut self, ctx: &Context<Self>) {
        let fresh = self.screen.sync(self.ws.console());
        for line in fresh.into_iter().filter(|l| !l.trim().is_empty()) {
            self.announce(line);
        }
        self.drain_events();
        self.refresh_panels();
        self.arm_timer(ctx);
    }

    fn arm_timer(&mut self, ctx: &Context<Self>) {
        self.timer = self.ws.poll_timeout().map(|at| {
            let wait = at.saturating_sub(browser::now()).min(u32::MAX as u64) as u32;
            let link = ctx.link().clone();
            Timeout::new(wait, move || link.send_message(Msg::Tick))
        });
    }

    /// The engine's explanation of `line` (console line `number` when it was clicked), as the
    /// server that sent it meant it, in answer to the command it answered; a line the app did
    /// not see arrive is read as the main mail server's.
    fn explain(&self, line: &str, number: Option<u64>) -> Explained {
        let context = self.replies.context(line, number);
        let id = context
            .as_ref()
            .map_or_else(|| self.mail_persona(), |c| c.persona.clone());
        let p = persona::get(&id);
        Explained {
            line: line.to_string(),
            explanation: explain_reply(
                line,
                p,
                context.as_ref().and_then(|c| c.command),
                context.as_ref().and_then(|c| c.key),
            ),
            persona: p.map_or(id, |p| p.product.clone()),
        }
    }

    /// Types queued input for about [`SLICE_MS`], then leaves the browser a task to paint and
    /// read events before the next slice. Returns whether the page should be re-rendered now
    /// (the console changed, the paste is done, or [`SLICE_RENDER_MS`] passed): a DATA body
    /// typed with local echo off changes nothing on screen, and re-rendering the panels after
    /// every slice would take more time than typing it. The caller still runs `after_change`
    /// each slice, so events are read and timers armed as usual.
    fn type_slice(&mut self, ctx: &Context<Self>) -> bool {
        self.slice_timer = None;
        let version = self.ws.console().version();
        let budget = if browser::page_hidden() {
            HIDDEN_SLICE_MS
        } else {
            SLICE_MS
        };
        let start = browser::now();
        loop {
            let keys = self.input.take(SLICE_KEYS);
            if keys.is_empty() {
                break;
            }
            self.type_keys(keys, browser::now());
            if browser::now().saturating_sub(start) >= budget {
                break;
            }
        }
        let now = browser::now();
        if self.input.is_empty() {
            if self.status.starts_with("Typing the pasted text") {
                self.status.clear();
            }
        } else {
            let link = ctx.link().clone();
            self.slice_timer = Some(Timeout::new(0, move || link.send_message(Msg::TypeSlice)));
            let quiet = self.ws.console().version() == version;
            if quiet && now.saturating_sub(self.slice_rendered) < SLICE_RENDER_MS {
                return false;
            }
        }
        self.slice_rendered = now;
        true
    }

    /// What starts with the panels: offline use (the service worker fetches every asset of the
    /// build once more, which must not compete with the first prompt).
    fn panels_shown(&self) {
        if !self.settings.embed {
            super::trainer::offline::register();
        }
    }

    /// A Settings change: a fresh workstation, as the Settings panel says, but the session
    /// before it stays in the transcript a trainer copies or downloads, marked where the new
    /// one starts, and a notice says what was reset.
    fn restart_from_settings(&mut self, ctx: &Context<Self>, list: Choices, id: Option<&str>) {
        let label = choices(list)
            .iter()
            .find(|c| Some(c.id.as_str()) == id)
            .map_or("the default", |c| c.label.as_str());
        let mut earlier = self.ws.console().transcript();
        earlier.push_str(&format!(
            "\n---- {SETTINGS_CHANGED}{label}: a fresh workstation starts here ----\n"
        ));
        self.restart(ctx);
        self.ws.console_mut().carry_transcript(&earlier);
        self.notices.retain(|n| !n.starts_with(SETTINGS_CHANGED));
        self.notices.push(format!("{SETTINGS_CHANGED}{label}: a fresh workstation started, with an empty Mailbox, Event Viewer and Network trace, and without the files made at its prompt. Copy and Download transcript still hold the session before it."));
    }

    fn restart(&mut self, ctx: &Context<Self>) {
        let (ws, problems) = Self::boot(&self.settings, self.trainer.world(), browser::now());
        self.ws = ws;
        // Input queued for the old workstation is not typed into the new one.
        self.input = PendingInput::default();
        self.slice_timer = None;
        self.notices.extend(problems);
        self.screen = Screen::default();
        self.explained = None;
        self.replies = ReplyLog::default();
        self.refresh_landing();
        self.after_change(ctx);
        browser::replace_query(&self.settings.to_query());
    }
}

impl Component for App {
    type Message = Msg;
    type Properties = AppProps;

    fn create(ctx: &Context<Self>) -> Self {
        let query = ctx.props().query.clone().unwrap_or_else(browser::query);
        let (settings, mut notices) = Settings::from_query(&query, choices);
        let (trainer, problems) = TrainerState::new(
            &query,
            settings.scenario.as_deref(),
            settings.embed,
            ctx.link().callback(Msg::Trainer),
            browser::now(),
        );
        notices.extend(problems);
        if trainer.sets_world() && (settings.os.is_some() || settings.persona.is_some()) {
            // A shared link asking for Windows 2000 must not quietly show Windows XP.
            notices.push("The exercise the address opens sets its own workstation and servers: os= and persona= apply once it is closed.".into());
        }
        let (ws, problems) = Self::boot(&settings, trainer.world(), browser::now());
        notices.extend(problems);
        let mut app = App {
            ws,
            screen: Screen::default(),
            settings,
            notices,
            status: String::new(),
            announcements: Rc::default(),
            announced: 0,
            timer: None,
            input: PendingInput::default(),
            slice_timer: None,
            slice_rendered: 0,
            explained: None,
            replies: ReplyLog::default(),
            mail: Rc::default(),
            mail_landing: Rc::default(),
            events: Rc::default(),
            trace: Rc::default(),
            trace_total: 0,
            trainer,
            stage: if ctx.props().staged {
                Stage::Prompt
            } else {
                Stage::Panels
            },
        };
        if app.stage == Stage::Panels {
            app.refresh_landing();
            app.panels_shown();
        }
        app.after_change(ctx);
        app
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        if matches!(msg, Msg::Keys(_) | Msg::Paste(_)) {
            // The learner takes the keyboard: a playback typing on would mix its keys into
            // theirs (its commands landing at the cmd prompt once they QUIT). Play resumes.
            self.trainer
                .update(TrainerMsg::Pause, &mut self.ws, browser::now());
        }
        match msg {
            Msg::Keys(keys) if self.input.is_empty() => {
                self.type_keys(keys, browser::now());
                self.status.clear();
            }
            Msg::Keys(keys) => {
                // A paste is still being typed: these keys come after it.
                self.input.push_keys(keys);
                return false;
            }
            Msg::Paste(text) => {
                if text.len() > LONG_PASTE {
                    self.status = format!(
                        "Typing the pasted text ({} KB)\u{2026}",
                        text.len().div_ceil(1024)
                    );
                }
                self.input.push_text(text);
                let render = self.type_slice(ctx);
                self.after_change(ctx);
                return render;
            }
            Msg::TypeSlice => {
                let render = self.type_slice(ctx);
                self.after_change(ctx);
                return render;
            }
            Msg::Tick => {
                self.ws.handle_timeout(browser::now());
            }
            Msg::Clear => {
                let console = self.ws.console_mut();
                let (line, cursor) = (console.current_line(), console.cursor_column());
                console.clear();
                console.forget_transcript();
                console.set_current(&line, cursor);
                // The toolbar's buttons hand the keyboard back: the next keys are the learner's
                // next command, not another press of the button.
                browser::focus_terminal();
            }
            Msg::CopyTranscript => {
                browser::focus_terminal();
                let text = self.ws.console().transcript();
                let link = ctx.link().clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let said = match browser::copy_to_clipboard(text).await {
                        Ok(()) => "Transcript copied to the clipboard.".to_string(),
                        Err(e) => e,
                    };
                    link.send_message(Msg::Status(said));
                });
                return false;
            }
            Msg::DownloadTranscript => {
                browser::focus_terminal();
                let text = self.ws.console().transcript();
                self.status = match browser::download_text(TRANSCRIPT_FILE, &text) {
                    Ok(()) => format!("Transcript saved as {TRANSCRIPT_FILE}."),
                    Err(e) => e,
                };
                return true;
            }
            Msg::Status(s) => {
                self.status = s;
                return true;
            }
            Msg::DismissNotices => {
                self.notices.clear();
                return true;
            }
            Msg::SetTheme(theme) => {
                self.settings.theme = theme;
                browser::replace_query(&self.settings.to_query());
                return true;
            }
            Msg::SetOs(os) => {
                self.settings.os.clone_from(&os);
                self.restart_from_settings(ctx, Choices::Os, os.as_deref());
                return true;
            }
            Msg::SetPersona(p) => {
                self.settings.persona.clone_from(&p);
                self.restart_from_settings(ctx, Choices::Personas, p.as_deref());
                return true;
            }
            Msg::ExplainLine(line, number) => {
                self.explained = Some(self.explain(&line, number));
                return true;
            }
            Msg::ExplainLast => {
                let console = self.ws.console();
                let current = console.current_line();
                let last = std::iter::once((None, current.as_str()))
                    .chain(console.lines().rev().map(|(n, l)| (Some(n), l)))
                    .find(|(_, l)| explain(l, None).is_some())
                    .map(|(n, l)| (n, l.to_owned()));
                self.explained = Some(match last {
                    Some((number, line)) => self.explain(&line, number),
                    None => Explained {
                        line: String::new(),
                        explanation: None,
                        persona: String::new(),
                    },
                });
                return true;
            }
            Msg::ShowPanels => {
                if self.stage != Stage::Prompt {
                    return false;
                }
                self.stage = Stage::Panels;
                self.refresh_landing();
                self.panels_shown();
                return true;
            }
            Msg::Trainer(m) => {
                if let Some(reboot) = self.trainer.update(m, &mut self.ws, browser::now()) {
                    self.settings.scenario = reboot.scenario;
                    self.restart(ctx);
                    browser::focus_terminal();
                    browser::reveal_terminal();
                    return true;
                }
            }
        }
        self.after_change(ctx);
        true
    }

    fn rendered(&mut self, ctx: &Context<Self>, first_render: bool) {
        if first_render {
            browser::mark(FIRST_PROMPT_MARK);
            if self.stage == Stage::Prompt {
                let link = ctx.link().clone();
                browser::after_next_paint(move || link.send_message(Msg::ShowPanels));
            }
        }
        if self.stage == Stage::Panels {
            self.stage = Stage::Whole;
            browser::mark(PANELS_MARK);
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let embed = self.settings.embed;
        let on_open = link.callback(|(m, s)| Msg::Trainer(TrainerMsg::MessageOpened(m, s)));
        let mailbox = html! {
            <MailboxPanel store={self.mail.clone()} landing={self.mail_landing.clone()} {on_open}
                open={self.trainer.demo_opened()} />
        };
        let root = classes!("app", self.settings.theme.class(), embed.then_some("embed"));
        let notices = (!self.notices.is_empty()).then(|| {
            html! {
                <div class="notices" role="alert" data-testid="notices">
                    { for self.notices.iter().map(|n| html! { <p>{ n.as_str() }</p> }) }
                    <button type="button" onclick={link.callback(|_| Msg::DismissNotices)}>
                        { "Dismiss" }
                    </button>
                </div>
            }
        });
        html! {
            <div class={root}>
                if !embed {
                    <header class="banner">
                        <h1>{ "smtp-trainer" }</h1>
                        <p>{ "Practise \"telnet mail.contoso.com 25\" against simulated Microsoft mail servers." }</p>
                    </header>
                }
                { for notices }
                <main class="layout">
                    // The terminal with its panels under it, so the Mailbox and the trace sit
                    // next to the session; the trainer beside them.
                    <div class="main-col">
                    <section class="terminal-pane" aria-label="Command Prompt window">
                        if !embed {
                            <div class="toolbar" role="toolbar" aria-label="Transcript">
                                <button type="button" onclick={link.callback(|_| Msg::Clear)}>{ "Clear" }</button>
                                <button type="button" onclick={link.callback(|_| Msg::CopyTranscript)}>{ "Copy transcript" }</button>
                                <button type="button" onclick={link.callback(|_| Msg::DownloadTranscript)}>{ "Download transcript" }</button>
                            </div>
                        }
                        <Terminal screen={self.screen.clone()} mode={self.ws.input_mode()}
                            announcements={self.announcements.clone()}
                            on_keys={link.callback(Msg::Keys)}
                            on_paste={link.callback(Msg::Paste)}
                            on_line={link.callback(|(line, number)| Msg::ExplainLine(line, number))} />
                        <p class="status" role="status" data-testid="status">{ self.status.as_str() }</p>
                    </section>
                    if embed && self.trainer.wants_mailbox() {
                        { mailbox }
                    } else if !embed && self.stage != Stage::Prompt {
                        <aside class="panels" aria-label="Panels">
                            { mailbox }
                            <EventsPanel entries={self.events.clone()} />
                            <TracePanel segments={self.trace.clone()} total={self.trace_total} />
                            <ExplainPanel explained={self.explained.clone()}
                                server={self.main_mail().map(|h| h.name.clone())}
                                on_explain_last={link.callback(|_| Msg::ExplainLast)} />
                            { self.settings_panel(ctx) }
                        </aside>
                    }
                    </div>
                    if self.stage != Stage::Prompt {
                        { self.trainer.view() }
                    }
                </main>
            </div>
        }
    }
}

impl App {
    fn settings_panel(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let theme_change = link.callback(|e: Event| {
            let v = select_value(&e);
            Msg::SetTheme(Theme::from_name(&v).unwrap_or_default())
        });
        let os_change = link.callback(|e: Event| Msg::SetOs(non_empty(select_value(&e))));
        let persona_change = link.callback(|e: Event| Msg::SetPersona(non_empty(select_value(&e))));
        let theme = self.settings.theme;
        // An open exercise brings its own world: the choices would change nothing, and
        // choosing would still wipe the session. Say what the workstation is instead.
        let fixed = self.trainer.sets_world();
        let os = self.ws.world().workstation.os;
        let os_label = OS_LABELS
            .iter()
            .find(|(v, _)| *v == os)
            .map_or(os.id(), |l| l.1);
        let hint = if fixed {
            format!("The open exercise sets its own workstation ({os_label}) and servers: close it to choose others.")
        } else {
            "Changing the Windows version or the server starts a fresh workstation.".to_string()
        };
        html! {
            <section class="panel settings" aria-labelledby="settings-title" data-testid="settings">
                <h2 id="settings-title">{ "Settings" }</h2>
                <p class="hint" data-testid="settings-hint">{ hint }</p>
                <label for="set-os">{ "Windows version" }</label>
                <select id="set-os" onchange={os_change} disabled={fixed}>
                    { options(choices(Choices::Os), self.settings.os.as_deref()) }
                </select>
                <label for="set-persona">{ "Mail server" }</label>
                <select id="set-persona" onchange={persona_change} disabled={fixed}>
                    { options(choices(Choices::Personas), self.settings.persona.as_deref()) }
                </select>
                <label for="set-theme">{ "Theme" }</label>
                <select id="set-theme" onchange={theme_change}>
                    { for THEMES.iter().map(|(t, name, _, label)| html! {
                        <option value={*name} selected={*t == theme}>{ *label }</option>
                    }) }
                </select>
            </section>
        }
    }
}

/// `<option>`s for a choice list, with a first "default" entry meaning "whatever the world says".
fn options(choices: &[Choice], selected: Option<&str>) -> Html {
    html! {
        <>
            <option value="" selected={selected.is_none()}>{ "Default" }</option>
            { for choices.iter().map(|c| html! {
                <option value={c.id.clone()} selected={selected == Some(c.id.as_str())}>
                    { c.label.as_str() }
                </option>
            }) }
        </>
    }
}

fn select_value(e: &Event) -> String {
    use wasm_bindgen::JsCast;
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
        .map(|s| s.value())
        .unwrap_or_default()
}

fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

/// Mounts the app on the page's body, staged: the prompt first, the panels a frame later.
pub fn mount() {
    let props = AppProps {
        query: None,
        staged: true,
    };
    yew::Renderer::<App>::with_props(props).render();
}
