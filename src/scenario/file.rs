//! The instructor file: one document holding a world, lessons and challenges, in TOML (or JSON
//! when the text starts with `{`). The built-in lessons and challenges are files of this same
//! format; `docs/scenario-format.md` documents it and `smtp-trainer schema` describes it.
//!
//! Loading reports every problem it can find, each with the path inside the document
//! (`lessons[0].steps[2].check.command`) and the line, rather than stopping at the first: an
//! instructor fixes a file in one pass.

use super::document;
use crate::scenario::{ScenarioError, World};
use crate::trainer::keys::parse_keys;
use crate::trainer::{Challenge, Check, Lesson, WorldSpec};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// One entry of a `faults` list as the schema describes it: a bare fault name, or a table with
/// the name under `fault` and its options. (Files are read by the world loader; this type only
/// tells editors what is allowed.)
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[serde(untagged)]
pub enum FaultEntry {
    /// A fault with its default options.
    Name(FaultName),
    /// A fault with options.
    Table(crate::scenario::Fault),
}

/// A fault name, for the schema: a string from `Fault::NAMES`.
#[cfg(feature = "schema")]
pub struct FaultName;

#[cfg(feature = "schema")]
impl schemars::JsonSchema for FaultName {
    fn schema_name() -> String {
        "FaultName".into()
    }

    fn json_schema(_: &mut schemars::gen::SchemaGenerator) -> schemars::schema::Schema {
        use schemars::schema::{InstanceType, Metadata, SchemaObject};
        SchemaObject {
            metadata: Some(Box::new(Metadata {
                description: Some("The name of a fault, as in a world's `faults`.".into()),
                ..Metadata::default()
            })),
            instance_type: Some(InstanceType::String.into()),
            enum_values: Some(
                crate::scenario::Fault::NAMES
                    .iter()
                    .map(|n| serde_json::Value::from(*n))
                    .collect(),
            ),
            ..SchemaObject::default()
        }
        .into()
    }
}

/// Largest file accepted, in bytes: ample for a course, small enough that a URL or a dropped
/// file cannot stall the browser.
pub const MAX_SCENARIO_BYTES: usize = 512 * 1024;

/// A scenario file: a world, lessons and challenges, each optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct ScenarioFile {
    /// What the file is, shown in pickers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// A world of the file's own; exercises use it with `world.base = "file"`, and a file with
    /// only a world is a scenario to explore freely.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub world: Option<World>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lessons: Vec<Lesson>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub challenges: Vec<Challenge>,
}

impl ScenarioFile {
    /// Reads and checks a file. Every problem comes back with its path and, where it can be
    /// found, its line.
    pub fn parse(text: &str) -> Result<ScenarioFile, Vec<ScenarioError>> {
        if text.len() > MAX_SCENARIO_BYTES {
            return Err(vec![ScenarioError {
                path: String::new(),
                line: None,
                message: format!(
                    "the file is {} bytes; the limit is {} bytes",
                    text.len(),
                    MAX_SCENARIO_BYTES
                ),
            }]);
        }
        let value = document::parse(text)?;
        let file: ScenarioFile = match super::tree::from_value(&value) {
            Ok(file) => file,
            Err(first) => return Err(type_errors(text, &value, first)),
        };
        let errors = file.validate(text);
        if errors.is_empty() {
            Ok(file)
        } else {
            Err(errors)
        }
    }

    /// Types every lesson's and challenge's `solution` into its world (see
    /// [`crate::trainer::verify`]) and reports those that do not get through, at the line of
    /// their `solution`. Slower than [`ScenarioFile::parse`]: `check` runs it, a browser
    /// loading a file need not.
    pub fn verify_solutions(&self, text: &str) -> Vec<ScenarioError> {
        let mut errors = Vec::new();
        let mut report = |path: String, message: String| {
            errors.push(ScenarioError {
                line: locate(text, &path),
                path,
                message,
            })
        };
        for (i, l) in self.lessons.iter().enumerate() {
            if let Ok(world) = self.world_for(&l.world) {
                if let Err(e) = crate::trainer::verify_lesson(l, world) {
                    report(format!("lessons[{i}].solution"), e);
                }
            }
        }
        for (i, c) in self.challenges.iter().enumerate() {
            if let Ok(world) = self.world_for(&c.world) {
                if let Err(e) = crate::trainer::verify_challenge(c, world) {
                    report(format!("challenges[{i}].solution"), e);
                }
            }
        }
        errors
    }

    /// The world a lesson or challenge of this file runs in.
    pub fn world_for(&self, spec: &WorldSpec) -> Result<World, String> {
        spec.resolve(self.world.as_ref())
            .map_err(|(field, msg)| format!("{field}: {msg}"))
    }

    /// A one-line description: what the file holds.
    pub fn summary(&self) -> String {
        let steps: usize = self.lessons.iter().map(|l| l.steps.len()).sum();
        let mut parts = Vec::new();
        if self.world.is_some() {
            parts.push("1 world".to_string());
        }
        parts.push(format!(
            "{} lesson{} ({} step{})",
            self.lessons.len(),
            plural(self.lessons.len()),
            steps,
            plural(steps)
        ));
        parts.push(format!(
            "{} challenge{}",
            self.challenges.len(),
            plural(self.challenges.len())
        ));
        parts.join(", ")
    }

    /// Every semantic problem of a well-typed file.
    fn validate(&self, text: &str) -> Vec<ScenarioError> {
        let mut v = Validator {
            text,
            errors: Vec::new(),
        };
        if self.world.is_none() && self.lessons.is_empty() && self.challenges.is_empty() {
            v.error("", "the file holds no world, lessons or challenges".into());
        }
        if let Some(world) = &self.world {
            v.world("world", world);
        }
        let mut ids = HashSet::new();
        for (i, l) in self.lessons.iter().enumerate() {
            let at = format!("lessons[{i}]");
            v.id(&at, &l.id, &mut ids);
            for (field, value) in [
                ("title", &l.title),
                ("source", &l.source),
                ("summary", &l.summary),
            ] {
                v.not_blank(&format!("{at}.{field}"), value);
            }
            self.exercise_world(&mut v, &format!("{at}.world"), &l.world);
            if l.steps.is_empty() {
                v.error(
                    &format!("{at}.steps"),
                    "a lesson needs at least one step".into(),
                );
            }
            for (j, s) in l.steps.iter().enumerate() {
                let sat = format!("{at}.steps[{j}]");
                for (field, value) in [
                    ("instruction", &s.instruction),
                    ("hint", &s.hint),
                    ("explanation", &s.explanation),
                ] {
                    v.not_blank(&format!("{sat}.{field}"), value);
                }
                v.check(&format!("{sat}.check"), &s.check);
                for (k, m) in s.mistakes.iter().enumerate() {
                    v.check(&format!("{sat}.mistakes[{k}].when"), &m.when);
                    v.not_blank(&format!("{sat}.mistakes[{k}].say"), &m.say);
                }
            }
            for (k, m) in l.mistakes.iter().enumerate() {
                v.check(&format!("{at}.mistakes[{k}].when"), &m.when);
                v.not_blank(&format!("{at}.mistakes[{k}].say"), &m.say);
            }
            v.keys(&format!("{at}.solution"), l.solution.as_deref());
        }
        let mut ids = HashSet::new();
        for (i, c) in self.challenges.iter().enumerate() {
            let at = format!("challenges[{i}]");
            v.id(&at, &c.id, &mut ids);
            for (field, value) in [
                ("title", &c.title),
                ("briefing", &c.briefing),
                ("feedback", &c.feedback),
            ] {
                v.not_blank(&format!("{at}.{field}"), value);
            }
            let world = self.exercise_world(&mut v, &format!("{at}.world"), &c.world);
            let mut seen = HashSet::new();
            for (j, o) in c.options.iter().enumerate() {
                if !crate::scenario::Fault::NAMES.contains(&o.as_str()) {
                    v.error(
                        &format!("{at}.options[{j}]"),
                        format!(
                            "unknown fault `{o}`; expected one of {}",
                            crate::scenario::Fault::NAMES.join(", ")
                        ),
                    );
                } else if !seen.insert(o.as_str()) {
                    v.error(
                        &format!("{at}.options[{j}]"),
                        format!("`{o}` is offered twice"),
                    );
                }
            }
            if c.options.len() < 2 {
                v.error(
                    &format!("{at}.options"),
                    "offer at least two faults to choose from".into(),
                );
            }
            if !c.options.contains(&c.answer) {
                v.error(
                    &format!("{at}.answer"),
                    format!("`{}` is not one of the options", c.answer),
                );
            }
            if let Some(world) = world {
                if !world.faults.iter().any(|f| f.name() == c.answer) {
                    v.error(
                        &format!("{at}.answer"),
                        format!(
                            "the challenge's world has no `{}` fault, so the answer cannot be found by testing",
                            c.answer
                        ),
                    );
                }
            }
            v.check(&format!("{at}.reveal"), &c.reveal);
            v.keys(&format!("{at}.solution"), c.solution.as_deref());
        }
        // In file order, so an instructor reads them top to bottom; unlocated ones last.
        v.errors.sort_by_key(|e| e.line.unwrap_or(usize::MAX));
        v.errors
    }

    /// Resolves and checks an exercise's world; `None` when it cannot be built.
    fn exercise_world(&self, v: &mut Validator<'_>, at: &str, spec: &WorldSpec) -> Option<World> {
        match spec.resolve(self.world.as_ref()) {
            Ok(world) => {
                v.world(at, &world);
                Some(world)
            }
            Err((field, message)) => {
                v.error(&format!("{at}.{field}"), message);
                None
            }
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

struct Validator<'a> {
    text: &'a str,
    errors: Vec<ScenarioError>,
}

impl Validator<'_> {
    fn error(&mut self, path: &str, message: String) {
        self.errors.push(ScenarioError {
            path: path.to_string(),
            line: locate(self.text, path),
            message,
        });
    }

    fn not_blank(&mut self, path: &str, value: &str) {
        if value.trim().is_empty() {
            self.error(path, "is empty".into());
        }
    }

    fn id(&mut self, at: &str, id: &str, seen: &mut HashSet<String>) {
        let path = format!("{at}.id");
        if id.trim().is_empty() {
            self.error(&path, "is empty".into());
        } else if !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            self.error(
                &path,
                format!("`{id}` may hold only letters, digits, `-` and `_` (it goes in URLs)"),
            );
        } else if !seen.insert(id.to_string()) {
            self.error(&path, format!("`{id}` is used twice"));
        }
    }

    fn check(&mut self, at: &str, check: &Check) {
        for (sub, message) in check.problems() {
            self.error(&format!("{at}.{sub}"), message);
        }
    }

    fn keys(&mut self, path: &str, keys: Option<&str>) {
        if let Some(Err(e)) = keys.map(parse_keys) {
            self.error(path, e);
        }
    }

    /// A world's own checks (addresses, personas, fault targets), with the world loader's rules
    /// ([`World::parse`] runs the same checks on a world file); paths are put under `at`.
    fn world(&mut self, at: &str, world: &World) {
        // The world is already typed, so only the semantic checks run; lines are found in this
        // file's text by path (`self.error`), not in the world's own.
        for e in super::check::validate(world, "") {
            let path = if e.path.is_empty() {
                at.to_string()
            } else {
                format!("{at}.{}", e.path)
            };
            self.error(&path, e.message);
        }
    }
}

/// The type errors of a file that did not read: the first one, and then those of the world and
/// of every other lesson and challenge read on its own, so that one broken entry does not hide
/// the mistakes in the others (each entry still stops at its own first error: serde cannot
/// read past it).
fn type_errors(
    text: &str,
    value: &serde_json::Value,
    first: super::tree::Error,
) -> Vec<ScenarioError> {
    let mut errors = Vec::new();
    let mut first_shown = false;
    if let Some(e) = value
        .get("world")
        .and_then(|w| super::tree::from_value::<World>(w).err())
    {
        let path = under("world", e.path());
        first_shown |= path == first.path();
        errors.push(located(text, &path, e.message()));
    }
    let mut entries =
        |key: &str, read: &dyn Fn(&serde_json::Value) -> Option<super::tree::Error>| {
            let list = value.get(key).and_then(serde_json::Value::as_array);
            for (i, entry) in list.into_iter().flatten().enumerate() {
                let Some(e) = read(entry) else { continue };
                let path = under(&format!("{key}[{i}]"), e.path());
                first_shown |= path == first.path();
                errors.push(located(text, &path, e.message()));
            }
        };
    entries("lessons", &|v| super::tree::from_value::<Lesson>(v).err());
    entries("challenges", &|v| {
        super::tree::from_value::<Challenge>(v).err()
    });
    // The first error lies outside the world, the lessons and the challenges (a top-level key).
    if !first_shown {
        errors.insert(0, located(text, first.path(), first.message()));
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        errors.extend(check_what_read(text, value));
        errors.sort_by_key(|e| e.line.unwrap_or(usize::MAX));
    }
    errors
}

/// The semantic problems of the world, lessons and challenges that did read in a file with type
/// errors elsewhere, checked as a file of their own would be and reported at their places in
/// this one, so an instructor sees them in the same round rather than after fixing every typo.
/// `smtp-trainer check`, the tool for checking a file, does this; the browser app, whose size
/// budget it would overrun by about 1 KB, lists the type errors only.
#[cfg(not(target_arch = "wasm32"))]
fn check_what_read(text: &str, value: &serde_json::Value) -> Vec<ScenarioError> {
    let world = value.get("world").map(super::tree::from_value::<World>);
    let world_broken = matches!(world, Some(Err(_)));
    // An exercise built on a world that did not read cannot be checked further.
    let usable =
        |spec: &WorldSpec| !world_broken || spec.base.as_deref().map(str::trim) != Some("file");
    fn entries<T: DeserializeOwned>(value: &serde_json::Value, key: &str) -> Vec<(usize, T)> {
        let list = value.get(key).and_then(serde_json::Value::as_array);
        list.into_iter()
            .flatten()
            .enumerate()
            .filter_map(|(i, v)| Some((i, super::tree::from_value::<T>(v).ok()?)))
            .collect()
    }
    let (lesson_at, lessons): (Vec<usize>, Vec<Lesson>) = entries::<Lesson>(value, "lessons")
        .into_iter()
        .filter(|(_, l)| usable(&l.world))
        .unzip();
    let (challenge_at, challenges): (Vec<usize>, Vec<Challenge>) =
        entries::<Challenge>(value, "challenges")
            .into_iter()
            .filter(|(_, c)| usable(&c.world))
            .unzip();
    let file = ScenarioFile {
        title: None,
        world: world.and_then(Result::ok),
        lessons,
        challenges,
    };
    if file.world.is_none() && file.lessons.is_empty() && file.challenges.is_empty() {
        return Vec::new();
    }
    file.validate(text)
        .into_iter()
        .map(|e| {
            let path = reindex(&e.path, "lessons", &lesson_at);
            let path = reindex(&path, "challenges", &challenge_at);
            located(text, &path, &e.message)
        })
        .collect()
}

/// `path` with the index after `key` (`lessons[j]...`) replaced by `at[j]`: the place in the
/// file of the `j`th entry that read.
#[cfg(not(target_arch = "wasm32"))]
fn reindex(path: &str, key: &str, at: &[usize]) -> String {
    let place = path
        .strip_prefix(key)
        .and_then(|rest| rest.strip_prefix('['))
        .and_then(|rest| rest.split_once(']'))
        .and_then(|(j, rest)| Some((at.get(j.parse::<usize>().ok()?)?, rest)));
    match place {
        Some((i, rest)) => format!("{key}[{i}]{rest}"),
        None => path.to_string(),
    }
}

/// The document path of `inner`, a path inside the value at `outer`.
fn under(outer: &str, inner: &str) -> String {
    match inner.chars().next() {
        None | Some('[') => format!("{outer}{inner}"),
        Some(_) => format!("{outer}.{inner}"),
    }
}

/// An error at a document path, with the line the path points at.
fn located(text: &str, path: &str, message: &str) -> ScenarioError {
    ScenarioError {
        line: document::line_of_path(text, path).or_else(|| locate(text, path)),
        message: message.to_string(),
        path: path.to_string(),
    }
}

/// Deserializes TOML or JSON into `T`, reporting the path and line of the first type error.
/// The text is read into a value tree first (see [`super::document`]), so `T` is compiled
/// against one input type whichever format the file is in.
pub fn deserialize_located<T: DeserializeOwned>(text: &str) -> Result<T, Vec<ScenarioError>> {
    let value = document::parse(text)?;
    super::tree::from_value::<T>(&value).map_err(|e| vec![located(text, e.path(), e.message())])
}

/// One step of a document path: a key, and an index if the key holds an array.
fn segments(path: &str) -> Vec<(String, Option<usize>)> {
    path.split('.')
        .filter(|s| !s.is_empty())
        .map(|s| match s.split_once('[') {
            Some((name, rest)) => (
                name.to_string(),
                rest.trim_end_matches(']').parse::<usize>().ok(),
            ),
            None => (s.to_string(), None),
        })
        .collect()
}

/// Finds the line a document path points at, following TOML table headers (`[[lessons]]`,
/// `[[lessons.steps]]`, `[world.workstation]`) and then keys (`name =` or `"name":`). The best
/// line found so far is returned when the path goes deeper than the text can be followed.
pub fn locate(text: &str, path: &str) -> Option<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let mut lo = 0;
    let mut hi = lines.len();
    let mut table = String::new();
    let mut found = None;
    for (name, index) in segments(path) {
        let full = if table.is_empty() {
            name.clone()
        } else {
            format!("{table}.{name}")
        };
        let header = |l: &str| {
            let t = l.trim();
            let t = t
                .strip_prefix("[[")
                .and_then(|t| t.strip_suffix("]]"))
                .or_else(|| t.strip_prefix('[').and_then(|t| t.strip_suffix(']')));
            t.map(|h| h.trim().to_string())
        };
        let headers: Vec<usize> = (lo..hi)
            .filter(|&i| header(lines[i]).as_deref() == Some(full.as_str()))
            .collect();
        let pick = match index {
            Some(k) => headers.get(k).copied(),
            None => headers.first().copied(),
        };
        if let Some(start) = pick {
            let end = (start + 1..hi)
                .find(|&i| header(lines[i]).is_some_and(|h| !h.starts_with(&format!("{full}."))))
                .unwrap_or(hi);
            lo = start;
            hi = end;
            table = full;
            found = Some(start + 1);
            continue;
        }
        // A key inside the current table (or an inline array, or JSON).
        let key = |l: &str| {
            let t = l.trim_start();
            let rest = t
                .strip_prefix(&format!("\"{name}\""))
                .or_else(|| t.strip_prefix(name.as_str()));
            rest.is_some_and(|r| {
                let r = r.trim_start();
                r.starts_with('=') || r.starts_with(':')
            })
        };
        match (lo..hi).find(|&i| key(lines[i])) {
            Some(i) => {
                found = Some(i + 1);
                lo = i;
                // Inline content cannot be followed by header; later segments look below.
                table = full;
            }
            None => break,
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
title = "Test course"

[[lessons]]
id = "one"
title = "One"
source = "KB 153119"
summary = "Connect."
solution = "telnet mail.contoso.com 25\n"

[[lessons.steps]]
instruction = "Connect"
check = { check = "telnet-connected", port = 25 }
hint = "telnet mail.contoso.com 25"
explanation = "The 220 reply shows SMTP is running."

[[challenges]]
id = "dns"
title = "DNS"
briefing = "Names fail."
world = { faults = ["dns-down"] }
options = ["dns-down", "nic-disabled"]
answer = "dns-down"
feedback = "nslookup timed out."
reveal = { check = "nslookup-answered", success = false }
"#;

    #[test]
    fn a_good_file_loads() {
        let f = ScenarioFile::parse(GOOD).expect("valid");
        assert_eq!(f.lessons.len(), 1);
        assert_eq!(f.summary(), "1 lesson (1 step), 1 challenge");
        let json = serde_json::to_string(&f).expect("json");
        assert_eq!(ScenarioFile::parse(&json), Ok(f));
    }

    /// (file, expected path, expected line, a word of the message)
    const BAD: &[(&str, &str, Option<usize>, &str)] = &[
        ("", "", None, "no world"),
        ("titel = \"x\"\n", "titel", Some(1), "titel"),
        ("title = \"x\"\n\n[[lessons]\n", "", Some(3), "]"),
        (
            "[[lessons]]\nid = \"a\"\ntitle = \"A\"\nsource = \"KB\"\nsummary = \"s\"\n\n[[lessons.steps]]\ninstruction = \"i\"\nhint = \"h\"\nexplanation = \"e\"\ncheck = { check = \"reply-received\", command = \"MALE\" }\n",
            "lessons[0].steps[0].check.command",
            Some(11),
            "MALE",
        ),
        (
            "[[lessons]]\nid = \"a\"\ntitle = \"A\"\nsource = \"KB\"\nsummary = \"s\"\nsteps = []\n\n[lessons.world]\npersona = \"sendmail\"\n",
            "lessons[0].world.persona",
            Some(9),
            "sendmail",
        ),
        (
            "[[challenges]]\nid = \"c\"\ntitle = \"C\"\nbriefing = \"b\"\nfeedback = \"f\"\n\nworld = { faults = [\"dns-down\"], domain = \"contoso com\" }\noptions = [\"dns-down\", \"nic-disabled\"]\nanswer = \"dns-down\"\nreveal = { check = \"telnet-installed\" }\n",
            "challenges[0].world.domain",
            Some(7),
            "not a DNS domain",
        ),
        (
            "[[lessons]]\nid = \"a b\"\ntitle = \"A\"\nsource = \"KB\"\nsummary = \"s\"\nsteps = []\n",
            "lessons[0].id",
            Some(2),
            "letters",
        ),
        (
            "[[challenges]]\nid = \"c\"\ntitle = \"C\"\nbriefing = \"b\"\nfeedback = \"f\"\nworld = { faults = [\"dns-down\"] }\noptions = [\"dns-down\", \"nic-disabled\"]\nanswer = \"wrong-mask\"\nreveal = { check = \"telnet-installed\" }\n",
            "challenges[0].answer",
            Some(8),
            "not one of the options",
        ),
        (
            "[[challenges]]\nid = \"c\"\ntitle = \"C\"\nbriefing = \"b\"\nfeedback = \"f\"\nworld = { faults = [\"dns-down\"] }\noptions = [\"dns-down\", \"nic-disabled\"]\nanswer = \"dns-down\"\nreveal = { check = \"telnet-installed\" }\nsolution = \"{f9}\"\n",
            "challenges[0].solution",
            Some(10),
            "f9",
        ),
        (
            "[[challenges]]\nid = \"c\"\ntitle = \"C\"\nbriefing = \"b\"\nfeedback = \"f\"\nworld = { faults = [\"dns-down\"] }\noptions = [\"dns-down\", \"nic-disabled\"]\nanswer = \"dns-down\"\nreveal = { check = \"pinged\" }\n",
            "challenges[0].reveal.check",
            Some(9),
            "pinged",
        ),
        (
            "{\"lessons\": [{\"id\": \"a\", \"title\": 5}]}",
            "lessons[0].title",
            Some(1),
            "string",
        ),
    ];

    #[test]
    fn bad_files_report_path_line_and_reason() {
        for (text, path, line, word) in BAD {
            let errors = ScenarioFile::parse(text).expect_err(text);
            let Some(e) = errors.iter().find(|e| e.path == *path) else {
                panic!("{text}: no problem at `{path}` in {errors:?}");
            };
            assert_eq!(&e.path, path, "{text}: {e}");
            assert_eq!(e.line, *line, "{text}: {e}");
            assert!(e.message.contains(word), "{text}: {e}");
        }
    }

    /// Each error's path and line, for comparing with what a test expects.
    fn found(errors: &[ScenarioError]) -> Vec<(&str, Option<usize>)> {
        errors.iter().map(|e| (e.path.as_str(), e.line)).collect()
    }

    #[test]
    fn a_broken_entry_does_not_hide_the_mistakes_of_the_others() {
        let step = "steps = [{ instruction = \"i\", check = { check = \"telnet-escaped\" }, hint = \"h\", explanation = \"e\" }]";
        let text = format!(
            "[[lessons]]\nid = \"a\"\ntitle = 5\nsource = \"x\"\nsummary = \"s\"\n{step}\n\n\
             [[lessons]]\nid = \"b\"\ntitle = \"B\"\nsummary = \"s\"\n{step}\n\n\
             [[challenges]]\nid = \"c\"\ntitle = \"C\"\nbriefing = \"b\"\nworld = {{}}\n\
             options = [\"dns-down\", \"nic-disabled\"]\nanswer = \"dns-down\"\nfeedback = \"f\"\n\
             reveal = {{ check = \"pinged\" }}\n"
        );
        let errors = ScenarioFile::parse(&text).expect_err("three broken entries");
        assert_eq!(
            found(&errors),
            [
                ("lessons[0].title", Some(3)),
                ("lessons[1]", Some(8)),
                ("challenges[0].reveal.check", Some(22)),
            ],
            "{errors:?}"
        );
        assert!(errors[1].message.contains("source"), "{errors:?}");
    }

    #[test]
    fn a_broken_world_is_reported_beside_broken_entries() {
        let text = "[world.workstation]\nos = \"win98\"\n\n\
             [[lessons]]\nid = \"a\"\ntitle = 5\nsource = \"x\"\nsummary = \"s\"\nsteps = []\n";
        let errors = ScenarioFile::parse(text).expect_err("a broken world and lesson");
        assert_eq!(
            found(&errors),
            [
                ("world.workstation.os", Some(2)),
                ("lessons[0].title", Some(6))
            ],
            "{errors:?}"
        );
        assert!(errors[0].message.contains("win98"), "{errors:?}");
    }

    #[test]
    fn the_entries_that_read_are_checked_in_the_same_round() {
        let step = "steps = [{ instruction = \"i\", check = { check = \"telnet-escaped\" }, hint = \"h\", explanation = \"e\" }]";
        let text = format!(
            "[world.workstation]\nos = \"win98\"\n\n\
             [[lessons]]\nid = \"a\"\ntitle = 5\nsource = \"x\"\nsummary = \"s\"\n{step}\n\n\
             [[lessons]]\nid = \"week 3\"\ntitle = \"B\"\nsource = \"x\"\nsummary = \"s\"\n{step}\n\n\
             [[lessons]]\nid = \"on file\"\ntitle = \"D\"\nsource = \"x\"\nsummary = \"s\"\n\
             world = {{ base = \"file\" }}\n{step}\n\n\
             [[challenges]]\nid = \"c\"\ntitle = \"C\"\nbriefing = \"b\"\nworld = {{ faults = [\"dns-down\"] }}\n\
             options = [\"dns-down\", \"nic-disabled\"]\nanswer = \"wrong-mask\"\nfeedback = \"f\"\n\
             reveal = {{ check = \"telnet-installed\" }}\n"
        );
        let errors = ScenarioFile::parse(&text).expect_err("type and semantic errors");
        assert_eq!(
            found(&errors),
            [
                ("world.workstation.os", Some(2)),
                ("lessons[0].title", Some(6)),
                ("lessons[1].id", Some(12)),
                ("challenges[0].answer", Some(32)),
                ("challenges[0].answer", Some(32)),
            ],
            "{errors:?}"
        );
        // The third lesson is built on the file's world, which did not read: that is said
        // once, at the world, and the lesson is not checked further (not "this file has none").
        assert!(
            !errors.iter().any(|e| e.message.contains("has none")),
            "{errors:?}"
        );
    }

    #[test]
    fn oversized_files_are_refused_before_parsing() {
        let big = "#".repeat(MAX_SCENARIO_BYTES + 1);
        let errors = ScenarioFile::parse(&big).expect_err("too big");
        assert!(errors[0].message.contains("limit"));
    }

    #[test]
    fn paths_are_located_through_headers_and_keys() {
        let text = "[[lessons]]\nid = \"a\"\n[[lessons.steps]]\nhint = \"x\"\n[[lessons.steps]]\nhint = \"y\"\n[[lessons]]\nid = \"b\"\n";
        let table = [
            ("lessons[1].id", Some(8)),
            ("lessons[0].steps[1].hint", Some(6)),
            ("lessons[0].steps[0]", Some(3)),
            ("lessons[0].nothing", Some(1)),
            ("world", None),
        ];
        for (path, want) in table {
            assert_eq!(locate(text, path), want, "{path}");
        }
    }
}
