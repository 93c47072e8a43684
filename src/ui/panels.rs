//! The learner's panels beside the terminal. Each is a pure view of data the app hands it;
//! none calls into the simulation itself.

use crate::smtp::persona::Confidence;
use crate::smtp::Explanation;
use yew::prelude::*;

/// What each confidence mark means, in the learner's words.
pub fn confidence_text(c: Confidence) -> &'static str {
    match c {
        Confidence::C => {
            "C: seen verbatim in a Microsoft article, a real trace or Microsoft's own string table"
        }
        Confidence::M => {
            "M: from one third-party source, or a documentation example that may have been edited"
        }
        Confidence::R => {
            "R: a reconstruction; plausible, but nobody has seen the product print exactly this"
        }
    }
}

/// The Explain panel's input: the line the learner picked, and what the engine says about it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Explained {
    pub line: String,
    /// `None` when the line is not a server reply (it has no reply code).
    pub explanation: Option<Explanation>,
    /// The persona the explanation was made for, by name.
    pub persona: String,
}

#[derive(Properties, PartialEq)]
pub struct ExplainProps {
    pub explained: Option<Explained>,
    /// "Explain the last reply", so the panel works without a mouse.
    pub on_explain_last: Callback<()>,
}

/// Explain: what a reply's code and enhanced status code mean, what the persona meant by it,
/// how sure the reference is of its wording, and what to do next.
#[component]
pub fn ExplainPanel(props: &ExplainProps) -> Html {
    let on_last = props.on_explain_last.reform(|_: MouseEvent| ());
    let body = match &props.explained {
        None => html! {
            <p class="hint">{ "Click or select a server reply in the terminal (a line starting with a code such as 250 or 550) to see what it means." }</p>
        },
        Some(Explained {
            line,
            explanation: None,
            ..
        }) => html! {
            <>
                <p class="picked"><code>{ line.as_str() }</code></p>
                <p>{ "This line is not a server reply: replies start with a three-digit code." }</p>
            </>
        },
        Some(Explained {
            line,
            explanation: Some(e),
            persona,
        }) => html! {
            <>
                <p class="picked"><code>{ line.as_str() }</code></p>
                <dl>
                    <dt>{ format!("Reply code {}", e.code) }</dt>
                    <dd>{ e.code_meaning.as_str() }</dd>
                    if let (Some(code), Some(meaning)) = (&e.enhanced, &e.enhanced_meaning) {
                        <dt>{ format!("Enhanced status {code}") }</dt>
                        <dd>{ meaning.as_str() }</dd>
                    }
                    if let Some(meaning) = &e.persona_meaning {
                        <dt>{ format!("What {persona} meant") }</dt>
                        <dd>
                            { meaning.as_str() }
                            if let Some(key) = e.persona_reply {
                                <span class="reply-key">{ format!(" (reply \"{}\")", key.name()) }</span>
                            }
                        </dd>
                    }
                    if let Some(c) = e.confidence {
                        <dt>{ "How sure is this wording?" }</dt>
                        <dd>{ confidence_text(c) }</dd>
                    }
                    <dt>{ "What to do next" }</dt>
                    <dd>{ e.next_step.as_str() }</dd>
                </dl>
            </>
        },
    };
    html! {
        <section class="panel explain" aria-labelledby="explain-title" data-testid="explain">
            <h2 id="explain-title">{ "Explain" }</h2>
            <div aria-live="polite">{ body }</div>
            <button type="button" onclick={on_last}>{ "Explain the last reply" }</button>
        </section>
    }
}
