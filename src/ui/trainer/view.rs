//! The trainer's views: the lesson panel, the challenge panel, the picker, progress, the
//! playback controls and the share / embed dialog. Every text shown is the trainer core's or
//! a fixed sentence here; nothing is built as markup from strings, and every text an
//! instructor's file can carry goes through [`shown`], so its control characters (a terminal
//! escape sequence, a BEL) appear as visible placeholders instead of invisible bytes.

use super::super::panels::shown;
use super::share::{iframe_snippet, ShareTarget};
use super::{duration, source, Exercise, TrainerMsg, TrainerState};
use crate::trainer::builtin;
use wasm_bindgen::JsCast;
use yew::prelude::*;

impl TrainerState {
    /// The trainer's column beside the terminal. In an embed: only the open lesson and the
    /// playback controls.
    pub fn view(&self) -> Html {
        let cb = &self.link;
        let messages = (!self.messages.is_empty()).then(|| {
            html! {
                <div class="trainer-messages" role="status" data-testid="trainer-messages">
                    { for self.messages.iter().map(|m| html! { <p>{ shown(m) }</p> }) }
                    <button type="button" onclick={cb.reform(|_| TrainerMsg::DismissMessages)}>{ "OK" }</button>
                </div>
            }
        });
        let show_column = !self.embed
            || !matches!(self.exercise, Exercise::None)
            || self.playback.is_some()
            || self.file_problem.is_some()
            || !self.messages.is_empty();
        if !show_column {
            return Html::default();
        }
        html! {
            <aside class={classes!("trainer", self.embed.then_some("embedded"))} aria-label="Trainer" data-testid="trainer"
                data-idle={self.idle.to_string()}>
                { for messages }
                { self.file_problem_view() }
                { self.player_view() }
                { match &self.exercise {
                    Exercise::Lesson(_) => self.lesson_view(),
                    Exercise::Challenge(_) => self.challenge_view(),
                    Exercise::None => Html::default(),
                } }
                if !self.embed {
                    { self.picker_view() }
                    { self.progress_view() }
                    { self.share_view() }
                }
            </aside>
        }
    }

    fn file_problem_view(&self) -> Html {
        let loading = self.loading.as_ref().map(|from| {
            html! { <p class="loading" role="status">{ format!("Loading {from}\u{2026}") }</p> }
        });
        let problem = self.file_problem.as_ref().map(|p| {
            html! {
                <section class="panel file-errors" role="alert" data-testid="file-errors">
                    <h2>{ format!("The scenario file {} was not loaded", p.source) }</h2>
                    <p>{ format!("{} problem{} to fix:", p.errors.len(), if p.errors.len() == 1 { "" } else { "s" }) }</p>
                    <ul>{ for p.errors.iter().map(|e| html! { <li><code>{ shown(e) }</code></li> }) }</ul>
                </section>
            }
        });
        html! { <>{ for loading }{ for problem }</> }
    }

    fn lesson_view(&self) -> Html {
        let Exercise::Lesson(l) = &self.exercise else {
            return Html::default();
        };
        let cb = &self.link;
        let lesson = l.run.lesson();
        let current = l.run.current_step();
        let steps = lesson.steps.iter().enumerate().map(|(i, step)| {
            let (status, word) = match current {
                Some(c) if i == c => ("current", "Now"),
                Some(c) if i > c => ("todo", "To do"),
                _ => ("done", "Done"),
            };
            let hint = l.hints.get(&i).map(|h| html! {
                <p class="hint-text" data-testid="hint"><strong>{ "Hint: " }</strong><code>{ shown(h) }</code></p>
            });
            let took = l.took.get(&i).map(|t| format!(" ({})", duration(*t)));
            let mistakes = l.mistakes.iter().filter(|(s, _)| *s == i && status == "current").map(|(_, m)| html! {
                <p class="mistake" role="alert" data-testid="mistake">{ prose(m) }</p>
            });
            html! {
                <li class={classes!("step", status)} data-testid="step" data-status={status}
                    aria-current={(status == "current").then_some("step")}>
                    <p class="step-status">{ word }{ took.unwrap_or_default() }</p>
                    if status != "todo" {
                        <p class="instruction">{ prose(&step.instruction) }</p>
                    }
                    { for mistakes }
                    { for hint }
                    if status == "done" {
                        <p class="explanation" data-testid="explanation">{ prose(&step.explanation) }</p>
                    }
                </li>
            }
        });
        let done = current.unwrap_or(lesson.steps.len());
        // Steps passed on an earlier visit (kept in progress) but not yet in this run: said, so
        // a reload does not look like lost work. Only steps this lesson has count: an imported
        // file, or an instructor's lesson since shortened, may name others.
        let saved = self
            .store
            .progress()
            .lessons
            .get(&lesson.id)
            .filter(|p| !p.completed)
            .map_or(0, |p| {
                p.steps
                    .keys()
                    .filter(|&&i| (i as usize) < lesson.steps.len())
                    .count()
            });
        let earlier = (saved > done).then(|| html! {
            <p class="saved" data-testid="saved-steps">{ format!(
                "Saved from an earlier visit: {saved} of {} steps done. The network starts afresh, so step 1 again.",
                lesson.steps.len()) }</p>
        });
        let complete = l.completed.map(|(took, hints, watched)| html! {
            <p class="complete" role="status" data-testid="lesson-complete">
                { format!("{} in {} with {} hint{}.", if watched { "Shown by Show me" } else { "Lesson complete" },
                    duration(took), hints, plural(hints)) }
            </p>
        });
        html! {
            <section class="panel lesson" aria-labelledby="lesson-title" data-testid="lesson" data-lesson={lesson.id.clone()}>
                <h2 id="lesson-title">{ prose(&lesson.title) }</h2>
                <p class="source">{ shown(&lesson.source) }</p>
                <p class="summary">{ prose(&lesson.summary) }</p>
                { for earlier }
                <p class="count" data-testid="step-count">{ format!("Step {} of {}", (done + 1).min(lesson.steps.len()), lesson.steps.len()) }</p>
                <ol class="steps">{ for steps }</ol>
                { for complete }
                <div class="actions">
                    <button type="button" data-testid="hint-button" disabled={current.is_none()}
                        onclick={cb.reform(|_| TrainerMsg::Hint)}>{ "Hint" }</button>
                    if lesson.solution.is_some() {
                        <button type="button" onclick={cb.reform(|_| TrainerMsg::ShowMe)}>{ "Show me" }</button>
                    }
                    <button type="button" onclick={cb.reform(|_| TrainerMsg::Restart)}>{ "Start again" }</button>
                    if !self.embed {
                        <button type="button" onclick={cb.reform(|_| TrainerMsg::Close)}>{ "Close lesson" }</button>
                    }
                </div>
            </section>
        }
    }

    fn challenge_view(&self) -> Html {
        let Exercise::Challenge(c) = &self.exercise else {
            return Html::default();
        };
        let cb = &self.link;
        let challenge = c.run.challenge();
        let seed = c.seed.map(|s| html! {
            <p class="seed" data-testid="seed">
                { "Random challenge, seed " }<strong data-testid="seed-value">{ s.to_string() }</strong>
                { ": give this number to others for the same broken network." }
            </p>
        });
        let options = challenge.option_labels().into_iter().map(|(name, label)| {
            let chosen = c.verdict.as_ref().is_some_and(|(n, _)| *n == name);
            let answer = name.clone();
            html! {
                <li>
                    <button type="button" class="answer" data-fault={name} aria-pressed={chosen.to_string()}
                        onclick={cb.reform(move |_| TrainerMsg::Answer(answer.clone()))}>{ label }</button>
                </li>
            }
        });
        let verdict = c.verdict.as_ref().map(|(_, v)| html! {
            <div class={classes!("feedback", if v.correct { "right" } else { "wrong" })} role="status"
                data-testid="feedback" data-correct={v.correct.to_string()}>
                <p><strong>{ if v.correct { "Right." } else { "Not quite." } }</strong></p>
                <p>{ prose(&v.feedback) }</p>
                if v.correct && !c.run.revealed() {
                    <p class="unrevealed" data-testid="unrevealed">{ UNREVEALED }</p>
                }
                if v.correct {
                    <p>{ format!("Solved in {} after {} answer{} and {} hint{}.",
                        duration(c.run.elapsed(0)), c.run.attempts(), plural(c.run.attempts()),
                        c.run.hints_used(), plural(c.run.hints_used())) }</p>
                }
            </div>
        });
        html! {
            <section class="panel challenge" aria-labelledby="challenge-title" data-testid="challenge" data-challenge={challenge.id.clone()}>
                <h2 id="challenge-title">{ prose(&challenge.title) }</h2>
                { for seed }
                <p class="briefing" data-testid="briefing">{ prose(&challenge.briefing) }</p>
                <p class="hint">{ "Investigate with the tools in the terminal (ping, ipconfig, nslookup, telnet), then say what is wrong." }</p>
                { for c.hints.iter().map(|h| html! { <p class="hint-text" data-testid="hint">{ prose(h) }</p> }) }
                <h3 id="answers-title">{ "What is wrong?" }</h3>
                <ul class="answers" aria-labelledby="answers-title" data-testid="answers">{ for options }</ul>
                { for verdict }
                <div class="actions">
                    if !challenge.hints.is_empty() {
                        <button type="button" data-testid="hint-button" onclick={cb.reform(|_| TrainerMsg::Hint)}>{ "Hint" }</button>
                    }
                    <button type="button" onclick={cb.reform(|_| TrainerMsg::Restart)}>{ "Start again" }</button>
                    <button type="button" onclick={cb.reform(|_| TrainerMsg::Close)}>{ "Close challenge" }</button>
                </div>
            </section>
        }
    }

    fn player_view(&self) -> Html {
        let Some(p) = &self.playback else {
            return Html::default();
        };
        let cb = &self.link;
        let (at, total) = p.position();
        let typing = p.typing();
        let lessons = self.lessons();
        let title = lessons
            .iter()
            .find(|l| l.id == p.lesson)
            .map_or("a recorded session", |l| l.title.as_str());
        html! {
            <div class="player" role="group" aria-label="Playback of a recorded session" data-testid="player"
                data-state={if p.is_done() { "done" } else if p.is_playing() { "playing" } else { "paused" }}>
                <p class="player-title">{ "Watch: " }{ prose(title) }</p>
                if p.is_playing() {
                    <button type="button" data-testid="pause" onclick={cb.reform(|_| TrainerMsg::Pause)}>{ "Pause" }</button>
                } else {
                    <button type="button" data-testid="play" disabled={p.is_done()} onclick={cb.reform(|_| TrainerMsg::Play)}>{ "Play" }</button>
                }
                <button type="button" data-testid="step-key" disabled={p.is_done()} onclick={cb.reform(|_| TrainerMsg::Step)}>{ "Step" }</button>
                <button type="button" data-testid="replay" onclick={cb.reform(|_| TrainerMsg::Replay)}>{ "Restart" }</button>
                <span class="position" data-testid="play-position">{ format!("{at} / {total} keys") }</span>
                if let Some(note) = p.note() {
                    <p class="typing" data-testid="typing">{ shown(note) }</p>
                } else if !typing.is_empty() {
                    <p class="typing" data-testid="typing">{ "Typed: " }<code>{ shown(&typing) }</code></p>
                }
            </div>
        }
    }

    fn picker_view(&self) -> Html {
        let cb = &self.link;
        let progress = self.store.progress();
        let lessons = self.lessons();
        let lesson_items = lessons.iter().map(|l| {
            let id = l.id.clone();
            let done = progress.lesson_completed(&l.id);
            let mark = if progress.lesson_watched(&l.id) { " \u{2713} watched" } else { " \u{2713} done" };
            html! {
                <li>
                    <button type="button" class="pick" data-lesson={l.id.clone()}
                        onclick={cb.reform(move |_| TrainerMsg::OpenLesson(id.clone()))}>
                        { prose(&l.title) }<span class="source">{ format!(" \u{2014} {}", shown(&l.source)) }</span>
                    </button>
                    if done { <span class="done-mark" data-testid="done">{ mark }</span> }
                </li>
            }
        });
        let challenges = self.challenges();
        let challenge_items = challenges.iter().map(|c| {
            let id = c.id.clone();
            let done = progress.challenge_solved(&c.id);
            html! {
                <li>
                    <button type="button" class="pick" data-challenge={c.id.clone()}
                        onclick={cb.reform(move |_| TrainerMsg::OpenChallenge(id.clone()))}>{ prose(&c.title) }</button>
                    if done { <span class="done-mark" data-testid="done">{ " \u{2713} solved" }</span> }
                </li>
            }
        });
        let seed_submit = cb.reform(|e: SubmitEvent| {
            e.prevent_default();
            let text = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id("seed-input"))
                .and_then(|i| i.dyn_into::<web_sys::HtmlInputElement>().ok())
                .map(|i| i.value())
                .unwrap_or_default();
            TrainerMsg::SeedEntered(text)
        });
        let link = cb.clone();
        let open_file = Callback::from(move |e: Event| {
            if let Some(file) = source::picked_file(&e) {
                TrainerState::read_file(link.clone(), file);
            }
        });
        // Closed until asked for: the terminal stays the first thing on the page, and the list's
        // button names do not crowd the special keys for a screen reader.
        html! {
            <details class="panel picker" data-testid="picker">
                <summary><h2>{ "Lessons and challenges" }</h2></summary>
                <h3>{ "Lessons" }</h3>
                <ul class="pick-list" data-testid="lessons">{ for lesson_items }</ul>
                <h3>{ "Troubleshooting challenges" }</h3>
                if challenges.is_empty() {
                    <p class="hint">{ "No challenges are available yet." }</p>
                } else {
                    <ul class="pick-list" data-testid="challenges">{ for challenge_items }</ul>
                    <button type="button" data-testid="random-challenge" onclick={cb.reform(|_| TrainerMsg::RandomChallenge(None))}>{ "Random challenge" }</button>
                    <form class="seed-form" onsubmit={seed_submit}>
                        <label for="seed-input">{ "Seed from your instructor" }</label>
                        <input id="seed-input" name="seed" inputmode="numeric" autocomplete="off" data-testid="seed-input" />
                        <button type="submit">{ "Open" }</button>
                    </form>
                }
                <h3>{ "Your own scenario file" }</h3>
                <label class="file" for="scenario-file">{ "Open a scenario file (.toml or .json) from disk" }</label>
                <input id="scenario-file" type="file" accept=".toml,.json,text/plain,application/json"
                    data-testid="scenario-file" onchange={open_file} />
                if let Some((name, file)) = &self.custom {
                    <p class="hint" data-testid="custom-file">{ shown(&format!("Loaded {name}: {}", file.summary())) }</p>
                }
            </details>
        }
    }

    fn progress_view(&self) -> Html {
        let cb = &self.link;
        let p = self.store.progress();
        let lessons_done = builtin::lessons()
            .iter()
            .filter(|l| p.lesson_completed(&l.id) && !p.lesson_watched(&l.id))
            .count();
        let challenges_done = builtin::challenges()
            .iter()
            .filter(|c| p.challenge_solved(&c.id))
            .count();
        let link = cb.clone();
        let import = Callback::from(move |e: Event| {
            if let Some(file) = source::picked_file(&e) {
                let link = link.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    link.emit(TrainerMsg::ImportProgress(source::read_file(file).await));
                });
            }
        });
        html! {
            <details class="panel progress" data-testid="progress">
                <summary><h2>{ "Your progress" }</h2></summary>
                <p data-testid="progress-summary">{ format!(
                    "{lessons_done} of {} lessons completed, {challenges_done} of {} challenges solved.",
                    builtin::lessons().len(), builtin::challenges().len()) }</p>
                <p class="hint">{ "Kept in this browser only. Export it to move it to another browser or keep a copy." }</p>
                <div class="actions">
                    <button type="button" data-testid="export" onclick={cb.reform(|_| TrainerMsg::ExportProgress)}>{ "Export progress" }</button>
                    <label class="file" for="import-progress">{ "Import progress" }</label>
                    <input id="import-progress" type="file" accept=".json,application/json" data-testid="import" onchange={import} />
                    if self.asking_reset {
                        <span role="alert">{ "Forget all progress?" }</span>
                        <button type="button" data-testid="reset-confirm" onclick={cb.reform(|_| TrainerMsg::ResetProgress)}>{ "Yes, reset" }</button>
                        <button type="button" onclick={cb.reform(|_| TrainerMsg::AskReset(false))}>{ "Keep it" }</button>
                    } else {
                        <button type="button" data-testid="reset" onclick={cb.reform(|_| TrainerMsg::AskReset(true))}>{ "Reset progress" }</button>
                    }
                </div>
            </details>
        }
    }

    /// What a link should open now.
    fn share_target(&self) -> ShareTarget {
        let mut t = ShareTarget::default();
        match &self.exercise {
            Exercise::Lesson(l) => t.lesson = Some(l.run.lesson().id.clone()),
            Exercise::Challenge(c) => {
                t.challenge = Some(c.run.challenge().id.clone());
                t.seed = c.seed;
            }
            Exercise::None => {}
        }
        t.play = self
            .playback
            .as_ref()
            .filter(|p| !p.lesson.is_empty())
            .map(|p| p.lesson.clone());
        t
    }

    fn share_view(&self) -> Html {
        let cb = &self.link;
        if !self.share_open {
            return html! {
                <button type="button" class="share-open" data-testid="share-button"
                    onclick={cb.reform(|_| TrainerMsg::ToggleShare)}>{ "Share / embed" }</button>
            };
        }
        let page = page_address();
        let target = self.share_target();
        let link = target.link(&page, false);
        let embed = target.link(&page, true);
        let title = match &self.exercise {
            Exercise::Lesson(l) => plain(&l.run.lesson().title),
            Exercise::Challenge(c) => plain(&c.run.challenge().title),
            Exercise::None => "smtp-trainer: telnet to port 25".into(),
        };
        let snippet = iframe_snippet(&embed, &title);
        let copy = |text: String| {
            let link = cb.clone();
            Callback::from(move |_| {
                let text = text.clone();
                let link = link.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let said = match super::super::browser::copy_to_clipboard(text).await {
                        Ok(()) => "Copied.".to_string(),
                        Err(e) => e,
                    };
                    link.emit(TrainerMsg::Say(said));
                });
            })
        };
        html! {
            <section class="panel share" role="dialog" aria-labelledby="share-title" data-testid="share">
                <h2 id="share-title">{ "Share / embed" }</h2>
                <label for="share-link">{ "Link to what is open now" }</label>
                <input id="share-link" readonly=true value={link.clone()} data-testid="share-link" />
                <button type="button" onclick={copy(link)}>{ "Copy link" }</button>
                <label for="share-snippet">{ "Embed in a documentation page" }</label>
                <textarea id="share-snippet" readonly=true rows="4" value={snippet.clone()} data-testid="share-snippet" />
                <button type="button" onclick={copy(snippet)}>{ "Copy snippet" }</button>
                <button type="button" onclick={cb.reform(|_| TrainerMsg::ToggleShare)}>{ "Close" }</button>
            </section>
        }
    }
}

/// The page's address without query or fragment.
fn page_address() -> String {
    web_sys::window()
        .and_then(|w| {
            let l = w.location();
            Some(format!("{}{}", l.origin().ok()?, l.pathname().ok()?))
        })
        .unwrap_or_default()
}

/// Said beside a right answer given before the test that shows the fault was run: a guess
/// teaches nothing until the learner has seen the evidence.
const UNREVEALED: &str = "A guess: you have not run the test that shows it. Run it now and see.";

/// Splits trainer prose at its backticks: `(true, text)` for a command to type, shown as code,
/// `(false, text)` for the words around it. A backtick without its pair is kept as written.
pub fn code_spans(text: &str) -> Vec<(bool, String)> {
    let parts: Vec<&str> = text.split('`').collect();
    // An even number of parts means one backtick is unpaired: the last one stays literal.
    let paired = if parts.len().is_multiple_of(2) {
        parts.len() - 1
    } else {
        parts.len()
    };
    let mut out: Vec<(bool, String)> = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        if i >= paired {
            if let Some(last) = out.last_mut().filter(|(code, _)| !code) {
                last.1.push('`');
                last.1.push_str(part);
            } else {
                out.push((false, format!("`{part}")));
            }
        } else if !part.is_empty() {
            out.push((i % 2 == 1, part.to_string()));
        }
    }
    out
}

/// Trainer prose (an instruction, an explanation, feedback) with its `commands` set as code,
/// so a learner sees exactly what to type without the quoting marks; every text goes through
/// [`shown`].
pub fn prose(text: &str) -> Html {
    html! {
        <>{ for code_spans(text).into_iter().map(|(code, t)| if code {
            html! { <code>{ shown(&t) }</code> }
        } else {
            html! { { shown(&t) } }
        }) }</>
    }
}

/// Trainer prose as plain text, for where no markup goes (an iframe's title): the backticks
/// that mark commands left out.
pub fn plain(text: &str) -> String {
    code_spans(text).into_iter().map(|(_, t)| t).collect()
}

fn plural(n: u32) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use super::{code_spans, plain};
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn backticks_mark_what_to_type() {
        let c = |t: &str| (true, t.to_string());
        let w = |t: &str| (false, t.to_string());
        let table: &[(&str, Vec<(bool, String)>)] = &[
            ("", vec![]),
            ("no code here", vec![w("no code here")]),
            (
                "type `EHLO test.com` now",
                vec![w("type "), c("EHLO test.com"), w(" now")],
            ),
            ("`QUIT`", vec![c("QUIT")]),
            ("`a` and `b`", vec![c("a"), w(" and "), c("b")]),
            ("an odd ` stays", vec![w("an odd ` stays")]),
            ("`a` then ` alone", vec![c("a"), w(" then ` alone")]),
            ("``", vec![]),
        ];
        for (text, want) in table {
            assert_eq!(&code_spans(text), want, "{text:?}");
        }
        assert_eq!(
            plain("A relay that fails on `EHLO sub2.`, and the fix"),
            "A relay that fails on EHLO sub2., and the fix"
        );
        assert_eq!(plain("an odd ` stays"), "an odd ` stays");
    }
}
