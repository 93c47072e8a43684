//! What the address asks of the trainer: `?lesson=` (or `?scenario=`, read by the app),
//! `?challenge=`, `?seed=`, `?play=`, `?keys=` and `?scenario_url=`.
//!
//! Pure, so it is tested as a table. Names are only trimmed here; whether a lesson exists is
//! decided later, because a file named by `scenario_url` may bring it.

use crate::trainer::parse_seed;
use crate::ui::params::query_pairs;

/// Longest value taken from the address; longer ones are cut (they cannot be real names).
const MAX_VALUE: usize = 2048;

/// The trainer's parameters, as read from the address.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrainerQuery {
    /// `?lesson=ID`: open this lesson.
    pub lesson: Option<String>,
    /// `?challenge=ID`: open this challenge.
    pub challenge: Option<String>,
    /// `?seed=N`: open the random challenge of this seed (what an instructor hands out).
    pub seed: Option<u64>,
    /// `?play=ID`: type this lesson's solution at a human pace ("watch how it's done").
    pub play: Option<String>,
    /// `?keys=TEXT`: type this transcript (the keystroke notation of lesson solutions, such
    /// as `ipconfig{enter}`) at a human pace, for a documentation page's own example.
    pub keys: Option<String>,
    /// `?scenario_url=URL`: load an instructor's scenario file from this address.
    pub scenario_url: Option<String>,
}

impl TrainerQuery {
    /// Reads a query string; returns the parameters and a plain sentence per bad value.
    pub fn from_query(query: &str) -> (TrainerQuery, Vec<String>) {
        let mut q = TrainerQuery::default();
        let mut problems = Vec::new();
        for (name, value) in query_pairs(query) {
            // Keys are typed as given (a final line break is an Enter); names are trimmed.
            let kept = if name == "keys" { &value } else { value.trim() };
            let value: String = kept.chars().take(MAX_VALUE).collect();
            let slot = match name.as_str() {
                "lesson" => &mut q.lesson,
                "challenge" => &mut q.challenge,
                "play" => &mut q.play,
                "keys" => &mut q.keys,
                "scenario_url" => &mut q.scenario_url,
                "seed" => {
                    match parse_seed(&value) {
                        Some(seed) => q.seed = Some(seed),
                        None => problems.push(format!(
                            "The address asks for the random challenge of seed \"{}\", which is not a number. No challenge was opened.",
                            value.chars().take(40).collect::<String>()
                        )),
                    }
                    continue;
                }
                _ => continue,
            };
            *slot = (!value.is_empty()).then_some(value);
        }
        (q, problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn parameters_are_read_and_bad_seeds_reported() {
        let table: &[(&str, TrainerQuery, usize)] = &[
            ("", TrainerQuery::default(), 0),
            (
                "?lesson=kb153119-basic&embed=1",
                TrainerQuery {
                    lesson: Some("kb153119-basic".into()),
                    ..TrainerQuery::default()
                },
                0,
            ),
            (
                "?play=%20q115492-ip-tcp%20&seed=4711-0815",
                TrainerQuery {
                    play: Some("q115492-ip-tcp".into()),
                    seed: Some(47_110_815),
                    ..TrainerQuery::default()
                },
                0,
            ),
            (
                "?scenario_url=fixtures%2Fbad.toml&challenge=dns&lesson=",
                TrainerQuery {
                    scenario_url: Some("fixtures/bad.toml".into()),
                    challenge: Some("dns".into()),
                    ..TrainerQuery::default()
                },
                0,
            ),
            ("?seed=abc", TrainerQuery::default(), 1),
            (
                "?keys=ping%2010.0.0.1%7Benter%7Dver%0A",
                TrainerQuery {
                    keys: Some("ping 10.0.0.1{enter}ver\n".into()),
                    ..TrainerQuery::default()
                },
                0,
            ),
        ];
        for (query, want, problems) in table {
            let (got, said) = TrainerQuery::from_query(query);
            assert_eq!(&got, want, "{query}");
            assert_eq!(said.len(), *problems, "{query}: {said:?}");
        }
    }
}
