//! The page's address as its state: `?os=xp&persona=exchange2003&theme=light&scenario=...`.
//!
//! A link opens exactly the set-up it names, so documentation can point at one. A bad value
//! never blanks the page: it is reported in plain words and the default is used instead. What
//! counts as a valid value comes from the app, which reads each list of [`Choices`] from the
//! core's own tables, so this module holds no list of personas or Windows versions of its own.

/// The colour schemes of the terminal. `Console` is cmd.exe's grey on black.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    #[default]
    Console,
    Light,
    HighContrast,
}

/// Each theme's URL name, CSS class and label, in the order the Settings panel lists them.
pub const THEMES: &[(Theme, &str, &str, &str)] = &[
    (
        Theme::Console,
        "console",
        "theme-console",
        "Console (grey on black)",
    ),
    (Theme::Light, "light", "theme-light", "Light"),
    (
        Theme::HighContrast,
        "contrast",
        "theme-contrast",
        "High contrast",
    ),
];

impl Theme {
    /// The name used in `?theme=`.
    pub fn name(self) -> &'static str {
        THEMES
            .iter()
            .find(|t| t.0 == self)
            .map_or("console", |t| t.1)
    }

    /// The CSS class on the app's root element.
    pub fn class(self) -> &'static str {
        THEMES
            .iter()
            .find(|t| t.0 == self)
            .map_or("theme-console", |t| t.2)
    }

    /// Parses a `?theme=` value (case-insensitive).
    pub fn from_name(name: &str) -> Option<Theme> {
        THEMES
            .iter()
            .find(|t| t.1.eq_ignore_ascii_case(name))
            .map(|t| t.0)
    }
}

/// One choice the app offers: the id used in URLs and files, and a label for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub id: String,
    pub label: String,
}

impl Choice {
    /// A choice from its id and label.
    pub fn new(id: impl Into<String>, label: impl Into<String>) -> Choice {
        Choice {
            id: id.into(),
            label: label.into(),
        }
    }
}

/// The lists of values the URL may name, each taken from the core: asked for one at a time,
/// since reading the personas or the built-in exercises has a cost the others need not pay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choices {
    /// Windows versions (`?os=`).
    Os,
    /// Server personas (`?persona=`).
    Personas,
    /// Built-in lessons and challenges (`?scenario=`).
    Scenarios,
}

/// What the address asked for, after checking. `None` means "the world's default".
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Settings {
    pub os: Option<String>,
    pub persona: Option<String>,
    pub scenario: Option<String>,
    pub theme: Theme,
    /// `?embed=1`: only the terminal, for an iframe in a documentation page.
    pub embed: bool,
}

impl Settings {
    /// Reads a query string (with or without its leading `?`). Returns the settings and one
    /// plain message per value that was rejected or not understood.
    ///
    /// `choices` gives the list a parameter is checked against, and is asked only for the lists
    /// the address names: reading the personas or the built-in exercises takes time, and the
    /// first prompt should not wait for a list the address does not need.
    pub fn from_query<'c>(
        query: &str,
        choices: impl Fn(Choices) -> &'c [Choice],
    ) -> (Settings, Vec<String>) {
        let mut settings = Settings::default();
        let mut problems = Vec::new();
        for (name, value) in query_pairs(query) {
            let value = value.trim();
            match name.as_str() {
                "os" => settings.os = pick("os", value, choices(Choices::Os), &mut problems),
                "persona" => {
                    settings.persona =
                        pick("persona", value, choices(Choices::Personas), &mut problems)
                }
                "scenario" => {
                    settings.scenario = pick(
                        "scenario",
                        value,
                        choices(Choices::Scenarios),
                        &mut problems,
                    )
                }
                "theme" => match Theme::from_name(value) {
                    Some(t) => settings.theme = t,
                    None => {
                        let known: Vec<&str> = THEMES.iter().map(|t| t.1).collect();
                        problems.push(unknown("theme", value, &known));
                    }
                },
                "embed" => settings.embed = matches!(value, "1" | "true" | "yes" | ""),
                // Parameters of other features (lessons, playback) are read where they are used.
                _ => {}
            }
        }
        (settings, problems)
    }

    /// The query string that reopens these settings; defaults are left out so links stay short.
    pub fn to_query(&self) -> String {
        let mut parts = Vec::new();
        for (name, value) in [
            ("scenario", &self.scenario),
            ("os", &self.os),
            ("persona", &self.persona),
        ] {
            if let Some(v) = value {
                parts.push(format!("{name}={}", encode(v)));
            }
        }
        if self.theme != Theme::default() {
            parts.push(format!("theme={}", self.theme.name()));
        }
        if self.embed {
            parts.push("embed=1".into());
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }
}

fn pick(name: &str, value: &str, choices: &[Choice], problems: &mut Vec<String>) -> Option<String> {
    if let Some(c) = choices.iter().find(|c| c.id.eq_ignore_ascii_case(value)) {
        return Some(c.id.clone());
    }
    let known: Vec<&str> = choices.iter().map(|c| c.id.as_str()).collect();
    problems.push(unknown(name, value, &known));
    None
}

fn unknown(name: &str, value: &str, known: &[&str]) -> String {
    let shown: String = value.chars().take(40).collect();
    if known.is_empty() {
        format!("The address asks for {name} \"{shown}\", but none is available yet. Using the default.")
    } else {
        format!(
            "The address asks for {name} \"{shown}\", which is not one of: {}. Using the default.",
            known.join(", ")
        )
    }
}

/// Splits a query string into decoded `(name, value)` pairs; names are lower-cased.
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (n, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(n).to_ascii_lowercase(), decode(v))
        })
        .collect()
}

/// Percent-decoding as forms do it (`+` is a space); malformed escapes are kept as typed and
/// invalid UTF-8 becomes U+FFFD, so no address can make parsing fail.
pub fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// Percent-encodes everything but unreserved characters.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    /// The lists the tests check against, as the app's would be.
    struct Known {
        os: Vec<Choice>,
        personas: Vec<Choice>,
        scenarios: Vec<Choice>,
    }

    impl Known {
        fn new() -> Known {
            Known {
                os: vec![Choice::new("xp", "Windows XP"), Choice::new("win10", "10")],
                personas: vec![Choice::new("exchange2003", "Exchange 2003")],
                scenarios: vec![Choice::new("kb153119", "Basic test")],
            }
        }

        fn get(&self, list: Choices) -> &[Choice] {
            match list {
                Choices::Os => &self.os,
                Choices::Personas => &self.personas,
                Choices::Scenarios => &self.scenarios,
            }
        }
    }

    #[wasm_bindgen_test]
    fn good_values_are_taken_and_bad_ones_reported() {
        let table: &[(&str, Settings, usize)] = &[
            ("", Settings::default(), 0),
            ("?", Settings::default(), 0),
            (
                "?os=xp&persona=Exchange2003&theme=light",
                Settings {
                    os: Some("xp".into()),
                    persona: Some("exchange2003".into()),
                    theme: Theme::Light,
                    ..Settings::default()
                },
                0,
            ),
            (
                "scenario=kb153119&theme=contrast&embed=1",
                Settings {
                    scenario: Some("kb153119".into()),
                    theme: Theme::HighContrast,
                    embed: true,
                    ..Settings::default()
                },
                0,
            ),
            ("?os=win95", Settings::default(), 1),
            (
                "?os=win95&persona=sendmail&theme=pink&scenario=x",
                Settings::default(),
                4,
            ),
            // Unknown parameters belong to other features and are not errors here.
            ("?lesson=1&play=kb", Settings::default(), 0),
            (
                "?OS=%77in10",
                Settings {
                    os: Some("win10".into()),
                    ..Settings::default()
                },
                0,
            ),
        ];
        let known = Known::new();
        for (query, want, problems) in table {
            let (got, said) = Settings::from_query(query, |l| known.get(l));
            assert_eq!(&got, want, "{query}");
            assert_eq!(said.len(), *problems, "{query}: {said:?}");
        }
    }

    #[wasm_bindgen_test]
    fn only_the_lists_the_address_names_are_asked_for() {
        use Choices::*;
        let table: &[(&str, &[Choices])] = &[
            ("", &[]),
            ("?theme=light&embed=1", &[]),
            ("?lesson=kb153119-basic&play=kb153119-basic", &[]),
            ("?os=xp", &[Os]),
            ("?theme=light&persona=iis6", &[Personas]),
            ("?scenario=kb153119", &[Scenarios]),
            ("?persona=x&os=y", &[Personas, Os]),
        ];
        let known = Known::new();
        for (query, wanted) in table {
            let asked = std::cell::RefCell::new(Vec::new());
            Settings::from_query(query, |list| {
                asked.borrow_mut().push(list);
                known.get(list)
            });
            assert_eq!(asked.into_inner(), *wanted, "{query}");
        }
    }

    #[wasm_bindgen_test]
    fn a_rejected_value_is_named_with_the_alternatives() {
        let known = Known::new();
        let (_, said) = Settings::from_query("?os=win95", |l| known.get(l));
        assert_eq!(
            said,
            vec![
                "The address asks for os \"win95\", which is not one of: xp, win10. Using the default."
                    .to_string()
            ]
        );
    }

    #[wasm_bindgen_test]
    fn settings_survive_a_round_trip_through_the_address() {
        let s = Settings {
            os: Some("win10".into()),
            persona: Some("exchange2003".into()),
            scenario: Some("kb153119".into()),
            theme: Theme::HighContrast,
            embed: true,
        };
        let known = Known::new();
        let (back, said) = Settings::from_query(&s.to_query(), |l| known.get(l));
        assert_eq!(back, s);
        assert!(said.is_empty());
        assert_eq!(Settings::default().to_query(), "");
    }

    #[wasm_bindgen_test]
    fn decoding_never_fails() {
        let table = [
            ("a+b", "a b"),
            ("%41%42", "AB"),
            ("%", "%"),
            ("%4", "%4"),
            ("%zz", "%zz"),
            ("%ff", "\u{fffd}"),
            ("%C3%BC", "ü"),
        ];
        for (raw, want) in table {
            assert_eq!(decode(raw), want, "{raw}");
        }
        assert_eq!(encode("a b&c"), "a%20b%26c");
    }
}
