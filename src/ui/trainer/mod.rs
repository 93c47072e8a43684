//! The trainer in the browser: lessons beside the terminal, troubleshooting challenges,
//! progress kept in localStorage, instructor files from a URL or from disk, "watch how it's
//! done" playback, and the share / embed dialog.
//!
//! The app owns one [`TrainerState`] and lends it the workstation at three moments, which is
//! all the wiring it needs:
//! - [`TrainerState::world`] when it boots a workstation (an exercise brings its own world);
//! - [`TrainerState::pump`] in its event pump after every key or timer: the trainer drains the
//!   workstation's events into the running lesson or challenge and hands them on, so the
//!   app's panels see every event too;
//! - [`TrainerState::update`] for the trainer's own messages; a returned [`Reboot`] asks the
//!   app for a fresh workstation (an exercise was opened or restarted).
//!
//! Everything a learner sees comes from the trainer core (`crate::trainer`); this module holds
//! the browser glue and the views.

pub mod offline;
pub mod playback;
pub mod query;
pub mod share;
pub mod source;
mod view;

use self::playback::{Playback, BUSY_RETRY, ENTER_GAP};
use self::query::TrainerQuery;
use super::params::Choice;
use super::storage::ProgressStore;
use crate::clock::Millis;
use crate::scenario::World;
use crate::trainer::{
    builtin, parse_keys, parse_seed, pick_random, Challenge, ChallengeRun, Check, Lesson,
    LessonRun, LineTap, Progress, RunEvent, ScenarioFile, SentLine, Verdict,
};
use crate::windows::{SimEvent, Workstation};
use gloo::timers::callback::Timeout;
use std::collections::BTreeMap;
use std::rc::Rc;
use yew::prelude::*;

/// Name of the exported progress file.
pub const PROGRESS_FILE: &str = "smtp-trainer-progress.json";

/// What the trainer can be asked to do (by its views, its timers and its file reads).
#[derive(Debug, Clone, PartialEq)]
pub enum TrainerMsg {
    /// Open a lesson by id.
    OpenLesson(String),
    /// Open a challenge by id.
    OpenChallenge(String),
    /// Open the random challenge of a seed; `None` draws a new seed.
    RandomChallenge(Option<u64>),
    /// The seed box's text, submitted.
    SeedEntered(String),
    /// Close the exercise and go back to free practice.
    Close,
    /// Start the exercise again on a fresh workstation.
    Restart,
    /// Show the current step's hint (lessons) or the next hint (challenges).
    Hint,
    /// Answer the challenge with a fault name.
    Answer(String),
    /// Type the open lesson's solution ("Show me").
    ShowMe,
    Play,
    Pause,
    Step,
    /// Start the playback again from a fresh workstation.
    Replay,
    /// The playback timer fired.
    PlayTick,
    ExportProgress,
    /// A progress file was read for import (or could not be).
    ImportProgress(Result<String, String>),
    /// First click on "Reset progress" asks; the second does it.
    AskReset(bool),
    ResetProgress,
    /// A scenario file's text arrived: (where from, the text or why not).
    ScenarioText(String, Result<String, String>),
    /// Start reading a file (the name is shown while it loads).
    Loading(String),
    ToggleShare,
    /// The learner opened a message in the Mailbox panel: (mailbox, subject).
    MessageOpened(String, String),
    /// A sentence for the trainer's status line.
    Say(String),
    DismissMessages,
}

/// The app is asked for a fresh workstation; `scenario` is what its address should name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reboot {
    pub scenario: Option<String>,
}

/// The open exercise.
enum Exercise {
    None,
    Lesson(LessonState),
    Challenge(ChallengeState),
}

struct LessonState {
    run: LessonRun,
    /// Hints shown, by step.
    hints: BTreeMap<usize, String>,
    /// Time taken per passed step.
    took: BTreeMap<usize, Millis>,
    /// (time, hints, watched) once complete.
    completed: Option<(Millis, u32, bool)>,
    /// Mistakes seen: (step, what the learner is told).
    mistakes: Vec<(usize, String)>,
}

struct ChallengeState {
    run: ChallengeRun,
    seed: Option<u64>,
    hints: Vec<String>,
    /// The last answer: (fault name, verdict).
    verdict: Option<(String, Verdict)>,
}

/// A scenario file that did not load: where from, and every problem.
#[derive(Debug, Clone, PartialEq)]
struct FileProblem {
    source: String,
    errors: Vec<String>,
}

/// The trainer's state in the app.
pub struct TrainerState {
    link: Callback<TrainerMsg>,
    embed: bool,
    store: ProgressStore,
    exercise: Exercise,
    tap: LineTap,
    /// The world of the open exercise (or of a world-only file), for the next boot.
    world: Option<World>,
    /// An instructor's file, opened from a URL or disk: its lessons and challenges are offered.
    custom: Option<(String, Rc<ScenarioFile>)>,
    file_problem: Option<FileProblem>,
    loading: Option<String>,
    /// Exercise ids named in the address, opened once the scenario file they may live in is in.
    pending: TrainerQuery,
    playback: Option<Playback>,
    play_timer: Option<Timeout>,
    /// Sentences for the learner (storage trouble, a loaded file), shown until dismissed.
    messages: Vec<String>,
    share_open: bool,
    asking_reset: bool,
    /// Whether the workstation waited for the learner at the last pump (shown as `data-idle`
    /// for tests and playback: a learner types on once the reply is in).
    idle: bool,
    /// The message "Show me" opened in the Mailbox once its keys were typed: (mailbox, its
    /// place there). The panel opens it as a click would, so the step passes the same way.
    demo_opened: Option<(String, usize)>,
    /// The checks of the played lesson's steps that read the Mailbox, kept for a recorded
    /// session played with no lesson open (`?play=ID`), so the Mailbox shows and "Show me"
    /// opens what the lesson would have the learner open.
    demo_checks: Vec<Check>,
}

/// The ids `?scenario=` accepts: every built-in lesson and challenge.
pub fn scenario_choices() -> Vec<Choice> {
    let lessons = builtin::lessons()
        .into_iter()
        .map(|l| Choice::new(l.id.as_str(), l.title.as_str()));
    let challenges = builtin::challenges()
        .into_iter()
        .map(|c| Choice::new(c.id.as_str(), c.title.as_str()));
    lessons.chain(challenges).collect()
}

impl TrainerState {
    /// The trainer for a page opened at `query`. `scenario` is the app's checked `?scenario=`
    /// (a lesson or challenge id). Returns plain sentences about bad parameters.
    pub fn new(
        query: &str,
        scenario: Option<&str>,
        embed: bool,
        link: Callback<TrainerMsg>,
        now: Millis,
    ) -> (TrainerState, Vec<String>) {
        let (mut pending, problems) = TrainerQuery::from_query(query);
        let (store, said) = ProgressStore::open_local();
        if let Some(s) = scenario {
            if builtin::challenge(s).is_some() {
                pending.challenge.get_or_insert_with(|| s.to_string());
            } else {
                pending.lesson.get_or_insert_with(|| s.to_string());
            }
        }
        let url = pending.scenario_url.take();
        let mut state = TrainerState {
            link,
            embed,
            store,
            exercise: Exercise::None,
            tap: LineTap::default(),
            world: None,
            custom: None,
            file_problem: None,
            loading: None,
            pending,
            playback: None,
            play_timer: None,
            messages: said.into_iter().collect(),
            share_open: false,
            asking_reset: false,
            idle: true,
            demo_opened: None,
            demo_checks: Vec::new(),
        };
        match url {
            // The exercises it names may live in the file: open them once it is in.
            Some(url) => state.fetch(url),
            // The app boots with [`TrainerState::world`] next: no reboot needed.
            None => {
                let _ = state.open_pending(now);
            }
        }
        (state, problems)
    }

    // ---- what the app asks ------------------------------------------------------------------

    /// The world a fresh workstation should have, when an exercise (or a file) brings one.
    pub fn world(&self) -> Option<World> {
        self.world.clone()
    }

    /// Whether an exercise or a file sets the world, so the Settings panel's Windows version
    /// and server would change nothing.
    pub fn sets_world(&self) -> bool {
        self.world.is_some()
    }

    /// Drains the workstation's events into the open exercise and returns them, in order, for
    /// the app's own use. Call after every key and timer (the app's event pump).
    pub fn pump(&mut self, ws: &mut Workstation, now: Millis) -> Vec<SimEvent> {
        let lines = self.tap.poll(ws);
        let mut events = Vec::new();
        while let Some(e) = ws.poll_event() {
            events.push(e);
        }
        self.feed(&lines, &events, ws, now);
        self.idle = ws.is_idle();
        events
    }

    /// Feeds what was sent and what happened to the open exercise, lines first: what was sent
    /// precedes its replies.
    fn feed(&mut self, lines: &[SentLine], events: &[SimEvent], ws: &Workstation, now: Millis) {
        let mut passed = Vec::new();
        match &mut self.exercise {
            Exercise::Lesson(l) => {
                // A playback types: what passes now is watched, not the learner's work.
                if self.playback.is_some() {
                    l.run.mark_watched();
                }
                for line in lines {
                    passed.extend(l.run.observe_line(line, ws, now));
                }
                for e in events {
                    passed.extend(l.run.observe(e, ws, now));
                }
                passed.extend(l.run.sync(ws, now));
            }
            Exercise::Challenge(c) => {
                for line in lines {
                    c.run.observe_line(line, ws);
                }
                for e in events {
                    c.run.observe(e, ws);
                }
            }
            Exercise::None => {}
        }
        if !passed.is_empty() {
            self.record(passed);
        }
    }

    /// The message a "Show me" has the Mailbox open: (mailbox, its place there).
    pub fn demo_opened(&self) -> Option<(String, usize)> {
        self.demo_opened.clone()
    }

    /// Whether an embed, which has no panels, still shows the Mailbox: the open lesson asks
    /// the learner to open a message, or a challenge is open, where what was delivered,
    /// bounced or never arrived (a relay refused, an unknown recipient, a size limit) is
    /// evidence to read.
    pub fn wants_mailbox(&self) -> bool {
        match &self.exercise {
            Exercise::Lesson(l) => l.run.lesson().steps.iter().any(|s| s.check.reads_mailbox()),
            Exercise::Challenge(_) => true,
            // A recorded session played on its own (`?play=ID` with no lesson open): the
            // Mailbox its lesson would have the learner open.
            Exercise::None => !self.demo_checks.is_empty(),
        }
    }

    /// Handles one of the trainer's messages. `ws` is the app's workstation (keys of a
    /// playback are typed into it). A [`Reboot`] asks the app for a fresh workstation.
    pub fn update(&mut self, msg: TrainerMsg, ws: &mut Workstation, now: Millis) -> Option<Reboot> {
        match msg {
            TrainerMsg::OpenLesson(id) => {
                self.stop_playback();
                return self.open_lesson(&id, now);
            }
            TrainerMsg::OpenChallenge(id) => {
                self.stop_playback();
                return self.open_challenge(&id, None, now);
            }
            TrainerMsg::RandomChallenge(seed) => {
                self.stop_playback();
                let seed = seed.unwrap_or_else(new_seed);
                return self.open_random(seed, now);
            }
            TrainerMsg::SeedEntered(text) => match parse_seed(&text) {
                Some(seed) => {
                    self.stop_playback();
                    return self.open_random(seed, now);
                }
                None => self.say(format!(
                    "\"{}\" is not a seed: type the number your instructor gave you.",
                    text.trim().chars().take(40).collect::<String>()
                )),
            },
            TrainerMsg::Close => {
                self.stop_playback();
                self.exercise = Exercise::None;
                self.world = self.custom_world();
                return Some(Reboot { scenario: None });
            }
            TrainerMsg::Restart => {
                self.stop_playback();
                return self.restart(now);
            }
            TrainerMsg::Hint => match &mut self.exercise {
                Exercise::Lesson(l) => {
                    let step = l.run.current_step();
                    if let (Some(step), Some(hint)) = (step, l.run.hint()) {
                        l.hints.insert(step, hint.to_string());
                    }
                }
                Exercise::Challenge(c) => {
                    if let Some(hint) = c.run.hint() {
                        let hint = hint.to_string();
                        if c.hints.last() != Some(&hint) {
                            c.hints.push(hint);
                        }
                    }
                }
                Exercise::None => {}
            },
            TrainerMsg::Answer(choice) => self.answer(choice, now),
            TrainerMsg::ShowMe => {
                let Exercise::Lesson(l) = &self.exercise else {
                    return None;
                };
                let id = l.run.lesson().id.clone();
                let reboot = self.restart_keeping_hints(now);
                self.start_playback(&id, true);
                return reboot;
            }
            TrainerMsg::Play => {
                if let Some(p) = &mut self.playback {
                    p.play();
                }
                self.schedule(0);
            }
            TrainerMsg::Pause => {
                if let Some(p) = &mut self.playback {
                    p.pause();
                }
                self.play_timer = None;
            }
            TrainerMsg::Step => {
                self.play_timer = None;
                if ws.is_idle() {
                    if let Some(key) = self.playback.as_mut().and_then(Playback::step) {
                        ws.handle_key(key, now);
                        if self.playback.as_ref().is_some_and(Playback::is_done) {
                            // The last key: what is left is reading the Mailbox.
                            self.schedule(ENTER_GAP);
                        }
                    }
                }
            }
            TrainerMsg::Replay => {
                let reboot = self.restart_keeping_hints(now);
                if let Some(p) = &mut self.playback {
                    p.restart();
                    p.play();
                }
                self.schedule(playback_start_delay());
                return reboot;
            }
            TrainerMsg::PlayTick => self.play_tick(ws, now),
            TrainerMsg::ExportProgress => {
                let said =
                    match super::browser::download_text(PROGRESS_FILE, &self.store.export_json()) {
                        Ok(()) => format!("Progress saved as {PROGRESS_FILE}."),
                        Err(e) => e,
                    };
                self.say(said);
            }
            TrainerMsg::ImportProgress(read) => {
                let said = match read.and_then(|text| Progress::import(&text)) {
                    Ok(progress) => {
                        let failed = self.store.replace(progress);
                        failed.unwrap_or_else(|| "Progress imported.".into())
                    }
                    Err(e) => {
                        format!("That file was not imported: {e}. Your progress is unchanged.")
                    }
                };
                self.say(said);
            }
            TrainerMsg::AskReset(ask) => self.asking_reset = ask,
            TrainerMsg::ResetProgress => {
                self.asking_reset = false;
                let failed = self.store.replace(Progress::default());
                self.say(failed.unwrap_or_else(|| "Progress was reset.".into()));
            }
            TrainerMsg::ScenarioText(from, read) => return self.scenario_text(from, read, now),
            TrainerMsg::Loading(name) => self.loading = Some(name),
            TrainerMsg::ToggleShare => self.share_open = !self.share_open,
            TrainerMsg::MessageOpened(mailbox, subject) => {
                let opened = SimEvent::MessageOpened { mailbox, subject };
                self.feed(&[], &[opened], ws, now);
            }
            TrainerMsg::Say(s) => self.say(s),
            TrainerMsg::DismissMessages => self.messages.clear(),
        }
        None
    }

    // ---- exercises -----------------------------------------------------------------------------

    /// Opens what the address named, once any scenario file is in.
    fn open_pending(&mut self, now: Millis) -> Option<Reboot> {
        let q = std::mem::take(&mut self.pending);
        let mut reboot = None;
        // One exercise opens: seed, then challenge, then lesson. A link naming more must say
        // which, or a class handed it works on another exercise than the trainer meant.
        let named: Vec<String> = [
            q.seed.map(|s| format!("seed={s}")),
            q.challenge
                .as_deref()
                .map(|c| format!("challenge={}", short(c))),
            q.lesson.as_deref().map(|l| format!("lesson={}", short(l))),
        ]
        .into_iter()
        .flatten()
        .collect();
        if let [first, rest @ ..] = named.as_slice() {
            if !rest.is_empty() {
                self.say(format!(
                    "The address names more than one exercise: {first} opens, {} left out.",
                    rest.join(" and ")
                ));
            }
        }
        if let Some(seed) = q.seed {
            reboot = self.open_random(seed, now);
        } else if let Some(id) = &q.challenge {
            reboot = self.open_challenge(id, None, now);
        } else if let Some(id) = &q.lesson {
            reboot = self.open_lesson(id, now);
        }
        if let Some(id) = &q.play {
            match self.find_lesson(id) {
                Some((_, world)) => {
                    if q.lesson.is_none() && q.challenge.is_none() && q.seed.is_none() {
                        self.world = Some(world);
                        reboot = Some(Reboot { scenario: None });
                    }
                    self.start_playback(id, true);
                }
                None => self.say(format!(
                    "The address asks to play \"{}\", which is not a lesson here.",
                    short(id)
                )),
            }
        } else if let Some(text) = &q.keys {
            match parse_keys(text) {
                Ok(keys) => {
                    self.playback = Some(Playback::new("", keys, true));
                    self.schedule(playback_start_delay());
                }
                Err(e) => self.say(format!("The keys in the address cannot be typed: {e}.")),
            }
        }
        reboot
    }

    fn find_lesson(&self, id: &str) -> Option<(Lesson, World)> {
        if let Some((_, file)) = &self.custom {
            if let Some(l) = file.lessons.iter().find(|l| l.id == id) {
                return file.world_for(&l.world).ok().map(|w| (l.clone(), w));
            }
        }
        builtin::lesson(id).map(|(l, w)| (l.clone(), w))
    }

    fn find_challenge(&self, id: &str) -> Option<(Challenge, World)> {
        if let Some((_, file)) = &self.custom {
            if let Some(c) = file.challenges.iter().find(|c| c.id == id) {
                return file.world_for(&c.world).ok().map(|w| (c.clone(), w));
            }
        }
        builtin::challenge(id).map(|(c, w)| (c.clone(), w))
    }

    /// Every lesson offered: the file's, then the built-in ones.
    fn lessons(&self) -> Vec<&Lesson> {
        let mine = self.custom.iter().flat_map(|(_, f)| f.lessons.iter());
        mine.chain(builtin::lessons()).collect()
    }

    /// Every challenge offered: the file's, then the built-in ones.
    fn challenges(&self) -> Vec<&Challenge> {
        let mine = self.custom.iter().flat_map(|(_, f)| f.challenges.iter());
        mine.chain(builtin::challenges()).collect()
    }

    fn custom_world(&self) -> Option<World> {
        self.custom.as_ref().and_then(|(_, f)| f.world.clone())
    }

    /// The address to show for an exercise: only built-in ids (a file's ids mean nothing
    /// without the file).
    fn scenario_for(id: &str) -> Option<String> {
        (builtin::lesson(id).is_some() || builtin::challenge(id).is_some()).then(|| id.to_string())
    }

    fn open_lesson(&mut self, id: &str, now: Millis) -> Option<Reboot> {
        let Some((lesson, world)) = self.find_lesson(id) else {
            self.say(format!("There is no lesson \"{}\".", short(id)));
            return None;
        };
        self.demo_opened = None;
        self.exercise = Exercise::Lesson(LessonState {
            run: LessonRun::new(lesson, now),
            hints: BTreeMap::new(),
            took: BTreeMap::new(),
            completed: None,
            mistakes: Vec::new(),
        });
        self.world = Some(world);
        self.tap = LineTap::default();
        Some(Reboot {
            scenario: Self::scenario_for(id),
        })
    }

    fn open_challenge(&mut self, id: &str, seed: Option<u64>, now: Millis) -> Option<Reboot> {
        let Some((challenge, world)) = self.find_challenge(id) else {
            self.say(format!("There is no challenge \"{}\".", short(id)));
            return None;
        };
        self.exercise = Exercise::Challenge(ChallengeState {
            run: ChallengeRun::new(challenge, now),
            seed,
            hints: Vec::new(),
            verdict: None,
        });
        self.world = Some(world);
        self.tap = LineTap::default();
        Some(Reboot {
            scenario: if seed.is_some() {
                None
            } else {
                Self::scenario_for(id)
            },
        })
    }

    fn open_random(&mut self, seed: u64, now: Millis) -> Option<Reboot> {
        let all: Vec<Challenge> = self.challenges().into_iter().cloned().collect();
        match pick_random(&all, seed) {
            Some(c) => {
                let id = c.id.clone();
                self.open_challenge(&id, Some(seed), now)
            }
            None => {
                self.say("There are no challenges to choose from yet.".into());
                None
            }
        }
    }

    /// The open exercise from its first step, on a fresh workstation.
    fn restart(&mut self, now: Millis) -> Option<Reboot> {
        match &self.exercise {
            Exercise::Lesson(l) => {
                let id = l.run.lesson().id.clone();
                self.open_lesson(&id, now)
            }
            Exercise::Challenge(c) => {
                let (id, seed) = (c.run.challenge().id.clone(), c.seed);
                self.open_challenge(&id, seed, now)
            }
            Exercise::None => Some(Reboot { scenario: None }),
        }
    }

    /// [`TrainerState::restart`], but an open lesson keeps the hints already used and shown:
    /// "Show me" and the player's Restart start over, and a hint seen still counts.
    fn restart_keeping_hints(&mut self, now: Millis) -> Option<Reboot> {
        let kept = match &mut self.exercise {
            Exercise::Lesson(l) => Some((l.run.records().to_vec(), std::mem::take(&mut l.hints))),
            _ => None,
        };
        let reboot = self.restart(now);
        if let (Some((records, hints)), Exercise::Lesson(l)) = (kept, &mut self.exercise) {
            l.run.keep_hints(&records);
            l.hints = hints;
        }
        reboot
    }

    fn answer(&mut self, choice: String, now: Millis) {
        let Exercise::Challenge(c) = &mut self.exercise else {
            return;
        };
        let was_solved = c.run.is_solved();
        let verdict = c.run.answer(&choice, now);
        let (id, took, hints) = (
            c.run.challenge().id.clone(),
            c.run.elapsed(now),
            c.run.hints_used(),
        );
        let correct = verdict.correct;
        c.verdict = Some((choice, verdict));
        if !was_solved {
            let failed = self
                .store
                .update(|p| p.record_challenge(&id, correct, took, hints));
            if let Some(f) = failed {
                self.say(f);
            }
        }
    }

    /// Notes what a lesson run reported and saves it.
    fn record(&mut self, passed: Vec<RunEvent>) {
        let Exercise::Lesson(l) = &mut self.exercise else {
            return;
        };
        let id = l.run.lesson().id.clone();
        for e in &passed {
            match e {
                RunEvent::StepPassed { step, took, .. } => {
                    l.took.insert(*step, *took);
                }
                RunEvent::LessonCompleted {
                    took,
                    hints,
                    watched,
                } => l.completed = Some((*took, *hints, *watched)),
                RunEvent::MistakeSeen { step, say } => l.mistakes.push((*step, say.clone())),
            }
        }
        let failed = self.store.update(|p| {
            for e in &passed {
                p.record_lesson_event(&id, e);
            }
        });
        if let Some(f) = failed {
            self.say(f);
        }
    }

    // ---- playback ------------------------------------------------------------------------------

    fn start_playback(&mut self, id: &str, autoplay: bool) {
        let Some((lesson, _)) = self.find_lesson(id) else {
            return;
        };
        let keys = match lesson.solution.as_deref().map(parse_keys) {
            Some(Ok(keys)) => keys,
            Some(Err(e)) => {
                self.say(format!(
                    "The recorded session of \"{}\" cannot be played: {e}.",
                    short(id)
                ));
                return;
            }
            None => {
                self.say(format!(
                    "The lesson \"{}\" has no recorded session to play.",
                    short(id)
                ));
                return;
            }
        };
        self.demo_checks = lesson
            .steps
            .into_iter()
            .map(|s| s.check)
            .filter(Check::reads_mailbox)
            .collect();
        self.playback = Some(Playback::new(id, keys, autoplay));
        if autoplay {
            self.schedule(playback_start_delay());
        }
    }

    fn stop_playback(&mut self) {
        self.playback = None;
        self.play_timer = None;
        self.demo_opened = None;
        self.demo_checks.clear();
    }

    fn schedule(&mut self, after: Millis) {
        let link = self.link.clone();
        let wait = u32::try_from(after).unwrap_or(u32::MAX);
        self.play_timer = Some(Timeout::new(wait, move || link.emit(TrainerMsg::PlayTick)));
    }

    fn play_tick(&mut self, ws: &mut Workstation, now: Millis) {
        self.play_timer = None;
        let Some(p) = &mut self.playback else {
            return;
        };
        if p.is_done() {
            self.open_for_demo(ws);
            return;
        }
        if !p.is_playing() {
            return;
        }
        if !ws.is_idle() {
            self.schedule(BUSY_RETRY);
            return;
        }
        if let Some(key) = p.next_key() {
            ws.handle_key(key, now);
            // After the last key too: the lesson may end by reading the Mailbox.
            let wait = p.delay_after(key);
            self.schedule(wait);
        }
    }

    /// Once every key of a "Show me" is typed: if the step asks for a delivered message to be
    /// opened in the Mailbox, opens it there as a learner's click does (the panel reports it,
    /// and the step passes on that report), and says so in the player.
    fn open_for_demo(&mut self, ws: &Workstation) {
        if !ws.is_idle() {
            self.schedule(BUSY_RETRY);
            return;
        }
        let store = ws.mail_store();
        let next = match &self.exercise {
            Exercise::Lesson(l) => l
                .run
                .step()
                .and_then(|step| step.check.message_to_open(store)),
            // No lesson run moves on when a message is opened: walk the lesson's own steps,
            // opening each message they ask for in turn (the message, then its receipt).
            Exercise::None => {
                let mut targets = self
                    .demo_checks
                    .iter()
                    .filter_map(|c| c.message_to_open(store));
                match &self.demo_opened {
                    None => targets.next(),
                    Some(open) => targets.skip_while(|t| t != open).find(|t| t != open),
                }
            }
            Exercise::Challenge(_) => None,
        };
        let Some((mailbox, at)) = next else {
            return;
        };
        let target = Some((mailbox.clone(), at));
        if self.demo_opened == target {
            return;
        }
        let subject = ws
            .mail_store()
            .messages(&mailbox)
            .get(at)
            .map(|m| m.subject())
            .unwrap_or_default();
        if let Some(p) = &mut self.playback {
            p.set_note(format!(
                "Then, in the Mailbox: opened \"{}\" in {mailbox} (Headers and body).",
                subject.chars().take(60).collect::<String>()
            ));
        }
        self.demo_opened = target;
        // A next step may ask for another message (a receipt after the message).
        self.schedule(ENTER_GAP);
    }

    // ---- files ---------------------------------------------------------------------------------

    fn fetch(&mut self, url: String) {
        self.loading = Some(url.clone());
        let link = self.link.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let read = source::fetch_text(&url).await;
            link.emit(TrainerMsg::ScenarioText(url, read));
        });
    }

    /// Reads a file picked from disk; the text comes back as a message.
    pub fn read_file(link: Callback<TrainerMsg>, file: web_sys::File) {
        let name = file.name();
        link.emit(TrainerMsg::Loading(name.clone()));
        wasm_bindgen_futures::spawn_local(async move {
            let read = source::read_file(file).await;
            link.emit(TrainerMsg::ScenarioText(name, read));
        });
    }

    fn scenario_text(
        &mut self,
        from: String,
        read: Result<String, String>,
        now: Millis,
    ) -> Option<Reboot> {
        self.loading = None;
        let checked = read
            .map_err(|e| vec![e])
            .and_then(|text| source::check(&text));
        match checked {
            Ok(file) => {
                self.file_problem = None;
                self.say(format!("Loaded {}: {}.", short(&from), file.summary()));
                let only_world = file.lessons.is_empty() && file.challenges.is_empty();
                self.custom = Some((from, Rc::new(file)));
                let opened = self.open_pending(now);
                if opened.is_some() {
                    return opened;
                }
                if only_world {
                    // A world to explore freely: start it now.
                    self.exercise = Exercise::None;
                    self.world = self.custom_world();
                    return Some(Reboot { scenario: None });
                }
                None
            }
            Err(errors) => {
                self.file_problem = Some(FileProblem {
                    source: from,
                    errors,
                });
                // Whatever the address named may still be built in.
                self.open_pending(now)
            }
        }
    }

    fn say(&mut self, message: String) {
        if !self.messages.contains(&message) {
            self.messages.push(message);
        }
    }
}

/// A fresh seed for a random challenge: six digits, easy to write on a board.
fn new_seed() -> u64 {
    (js_sys::Math::random() * 900_000.0) as u64 + 100_000
}

/// A pause before a playback starts, so the viewer sees the prompt first.
fn playback_start_delay() -> Millis {
    600
}

fn short(s: &str) -> String {
    s.chars().take(60).collect()
}

/// Minutes and seconds, as a learner reads a time taken.
pub fn duration(ms: Millis) -> String {
    let s = ms / 1000;
    match (s / 60, s % 60) {
        (0, s) => format!("{s} s"),
        (m, s) => format!("{m} min {s} s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn durations_read_as_minutes_and_seconds() {
        let table = [
            (0, "0 s"),
            (59_999, "59 s"),
            (60_000, "1 min 0 s"),
            (754_000, "12 min 34 s"),
        ];
        for (ms, want) in table {
            assert_eq!(duration(ms), want);
        }
    }

    #[wasm_bindgen_test]
    fn every_builtin_lesson_and_challenge_can_be_named_in_the_address() {
        let ids: Vec<String> = scenario_choices().into_iter().map(|c| c.id).collect();
        for l in builtin::lessons() {
            assert!(ids.contains(&l.id), "{}", l.id);
        }
        for c in builtin::challenges() {
            assert!(ids.contains(&c.id), "{}", c.id);
        }
    }
}
