//! The app: a reducer over the core. It owns the [`Workstation`], turns messages (keys, timer
//! ticks, toolbar and settings actions) into calls on it, and hands the components what to show.
//! Components hold no protocol logic; everything the learner sees comes from the core.

use super::browser;
use super::panels::{ExplainPanel, Explained};
use super::params::{Catalog, Choice, Settings, Theme, THEMES};
use super::screen::Screen;
use super::terminal::Terminal;
use crate::clock::Millis;
use crate::smtp::{explain, persona};
use crate::windows::{Key, Workstation};
use gloo::timers::callback::Timeout;
use std::rc::Rc;
use yew::prelude::*;

/// How many finished lines the screen reader's live region keeps; older ones were read already.
const ANNOUNCE_KEEP: usize = 4;

/// The performance mark set when the first prompt is on screen; the browser benchmark reads it.
pub const FIRST_PROMPT_MARK: &str = "smtp-trainer:first-prompt";

/// The name the transcript download is saved under.
pub const TRANSCRIPT_FILE: &str = "smtp-trainer-transcript.txt";

/// Windows versions the workstation can play, by their scenario-file names.
const OS_CHOICES: &[(&str, &str)] = &[
    ("win2000", "Windows 2000"),
    ("xp", "Windows XP"),
    ("win2003", "Windows Server 2003"),
    ("win7", "Windows 7"),
    ("win10", "Windows 10"),
];

/// The values the address and the Settings panel may choose from, read from the core.
pub fn catalog() -> Catalog {
    Catalog {
        os: OS_CHOICES
            .iter()
            .map(|(id, l)| Choice::new(*id, *l))
            .collect(),
        personas: persona::all()
            .into_iter()
            .map(|p| Choice::new(p.id.as_str(), p.description.as_str()))
            .collect(),
        scenarios: Vec::new(),
    }
}

/// What can happen to the app.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    /// Keys typed, pasted or tapped.
    Keys(Vec<Key>),
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
    /// Explain this line (clicked or selected in the terminal).
    ExplainLine(String),
    /// Explain the newest server reply on the screen.
    ExplainLast,
}

/// The app's properties: the query string it starts from, so tests can mount it with any.
#[derive(Properties, PartialEq, Clone, Default)]
pub struct AppProps {
    /// `None` reads the page's own address.
    #[prop_or_default]
    pub query: Option<String>,
}

/// The root component.
pub struct App {
    ws: Workstation,
    screen: Screen,
    settings: Settings,
    catalog: Catalog,
    /// Plain messages about the address or the set-up, shown until dismissed.
    notices: Vec<String>,
    status: String,
    announcements: Rc<Vec<(u64, Rc<str>)>>,
    announced: u64,
    timer: Option<Timeout>,
    explained: Option<Explained>,
}

impl App {
    /// A fresh workstation for the current settings.
    fn boot(settings: &Settings, now: Millis) -> Workstation {
        let _ = settings;
        Workstation::new(now)
    }

    /// After any change to the workstation: copy the screen, feed the live region, re-arm the
    /// timer for the workstation's next deadline.
    fn after_change(&mut self, ctx: &Context<Self>) {
        let fresh = self.screen.sync(self.ws.console());
        if !fresh.is_empty() {
            let list = Rc::make_mut(&mut self.announcements);
            for line in fresh.into_iter().filter(|l| !l.trim().is_empty()) {
                self.announced += 1;
                list.push((self.announced, line));
            }
            let excess = list.len().saturating_sub(ANNOUNCE_KEEP);
            list.drain(..excess);
        }
        self.arm_timer(ctx);
    }

    fn arm_timer(&mut self, ctx: &Context<Self>) {
        self.timer = self.ws.poll_timeout().map(|at| {
            let wait = at.saturating_sub(browser::now()).min(u32::MAX as u64) as u32;
            let link = ctx.link().clone();
            Timeout::new(wait, move || link.send_message(Msg::Tick))
        });
    }

    /// The engine's explanation of `line`, for the persona the learner is talking to.
    fn explain(&self, line: &str) -> Explained {
        let id = self
            .settings
            .persona
            .as_deref()
            .unwrap_or(persona::DEFAULT_PERSONA);
        let p = persona::get(id);
        Explained {
            line: line.to_string(),
            explanation: explain(line, p),
            persona: p.map_or_else(|| id.to_string(), |p| p.product.clone()),
        }
    }

    fn restart(&mut self, ctx: &Context<Self>) {
        self.ws = Self::boot(&self.settings, browser::now());
        self.screen = Screen::default();
        self.after_change(ctx);
        browser::replace_query(&self.settings.to_query());
    }
}

impl Component for App {
    type Message = Msg;
    type Properties = AppProps;

    fn create(ctx: &Context<Self>) -> Self {
        let catalog = catalog();
        let query = ctx.props().query.clone().unwrap_or_else(browser::query);
        let (settings, notices) = Settings::from_query(&query, &catalog);
        let ws = Self::boot(&settings, browser::now());
        let mut app = App {
            ws,
            screen: Screen::default(),
            settings,
            catalog,
            notices,
            status: String::new(),
            announcements: Rc::default(),
            announced: 0,
            timer: None,
            explained: None,
        };
        app.after_change(ctx);
        app
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Keys(keys) => {
                let now = browser::now();
                for key in keys {
                    self.ws.handle_key(key, now);
                }
                self.status.clear();
            }
            Msg::Tick => {
                self.ws.handle_timeout(browser::now());
            }
            Msg::Clear => {
                let console = self.ws.console_mut();
                let (line, cursor) = (console.current_line(), console.cursor_column());
                console.clear();
                console.set_current(&line, cursor);
            }
            Msg::CopyTranscript => {
                let text = self.ws.console().text();
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
                let text = self.ws.console().text();
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
                self.settings.os = os;
                self.restart(ctx);
                return true;
            }
            Msg::SetPersona(p) => {
                self.settings.persona = p;
                self.restart(ctx);
                return true;
            }
            Msg::ExplainLine(line) => {
                self.explained = Some(self.explain(&line));
                return true;
            }
            Msg::ExplainLast => {
                let console = self.ws.console();
                let current = console.current_line();
                let last = std::iter::once(current.as_str())
                    .chain(console.lines().rev().map(|(_, l)| l))
                    .find(|l| explain(l, None).is_some())
                    .map(str::to_owned);
                self.explained = Some(match last {
                    Some(line) => self.explain(&line),
                    None => Explained {
                        line: String::new(),
                        explanation: None,
                        persona: String::new(),
                    },
                });
                return true;
            }
        }
        self.after_change(ctx);
        true
    }

    fn rendered(&mut self, _ctx: &Context<Self>, first_render: bool) {
        if first_render {
            browser::mark(FIRST_PROMPT_MARK);
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let embed = self.settings.embed;
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
                            on_line={link.callback(Msg::ExplainLine)} />
                        <p class="status" role="status" data-testid="status">{ self.status.as_str() }</p>
                    </section>
                    if !embed {
                        <aside class="panels" aria-label="Panels">
                            <ExplainPanel explained={self.explained.clone()}
                                on_explain_last={link.callback(|_| Msg::ExplainLast)} />
                            { self.settings_panel(ctx) }
                        </aside>
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
        html! {
            <section class="panel settings" aria-labelledby="settings-title" data-testid="settings">
                <h2 id="settings-title">{ "Settings" }</h2>
                <p class="hint">{ "Changing the Windows version or the server starts a fresh workstation." }</p>
                <label for="set-os">{ "Windows version" }</label>
                <select id="set-os" onchange={os_change}>
                    { options(&self.catalog.os, self.settings.os.as_deref()) }
                </select>
                <label for="set-persona">{ "Mail server" }</label>
                <select id="set-persona" onchange={persona_change}>
                    { options(&self.catalog.personas, self.settings.persona.as_deref()) }
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

/// Mounts the app on the page's body.
pub fn mount() {
    yew::Renderer::<App>::new().render();
}
