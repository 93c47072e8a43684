//! The instructor file: one document holding a world, lessons and challenges, in TOML (or JSON
//! when the text starts with `{`). The built-in lessons and challenges are files of this same
//! format; `docs/scenario-format.md` documents it and `smtp-trainer schema` describes it.
//!
//! Loading reports every problem it can find, each with the path inside the document
//! (`lessons[0].steps[2].check.command`) and the line, rather than stopping at the first: an
//! instructor fixes a file in one pass. A value that does not read is reported, left out or
//! stood in for, and the reading goes on (see `read_past_errors`); the world, each lesson
//! and each challenge are read on their own, and everything that read is checked.

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
        if let Ok(file) = super::tree::from_value::<ScenarioFile>(&value) {
            let errors = file.validate(text, true);
            return if errors.is_empty() {
                Ok(file)
            } else {
                Err(errors)
            };
        }
        // Some value did not read: every part is read on its own past its errors, and what
        // read is checked as a whole file would be, so one round shows every problem.
        let s = salvage(&value);
        let world_read = !s.patched.iter().any(|p| within(p, "world"))
            && (s.file.world.is_some() || value.get("world").is_none());
        let mut errors = s.errors;
        let f = &s.file;
        if f.world.is_some() || !f.lessons.is_empty() || !f.challenges.is_empty() {
            errors.extend(
                f.validate(text, world_read)
                    .into_iter()
                    .filter_map(|mut e| {
                        e.path = reindex(&e.path, "lessons", &s.lesson_at);
                        e.path = reindex(&e.path, "challenges", &s.challenge_at);
                        for (list, kept) in &s.fault_at {
                            e.path = reindex(&e.path, list, kept);
                        }
                        (!about_stand_in(&e, &s.patched)).then_some(e)
                    }),
            );
        }
        // Lines are found last, all from one parse of the text.
        let lines = document::Lines::new(text);
        for e in &mut errors {
            e.line = lines.of(&e.path).or_else(|| locate(text, &e.path));
        }
        // In file order, so an instructor reads them top to bottom; unlocated ones last.
        errors.sort_by_key(|e| e.line.unwrap_or(usize::MAX));
        Err(errors)
    }

    /// What `smtp-trainer check` reports: [`ScenarioFile::parse`], and for a file that reads,
    /// [`ScenarioFile::verify_solutions`]. The browser loads files with `parse` alone, so the
    /// two list the same problems for any file that does not read.
    pub fn check(text: &str) -> Result<ScenarioFile, Vec<ScenarioError>> {
        let file = ScenarioFile::parse(text)?;
        let errors = file.verify_solutions(text);
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

    /// Every semantic problem of a well-typed file. Without `file_world_read` (the file's world
    /// had type errors, already reported) exercises built on it are not checked against it.
    fn validate(&self, text: &str, file_world_read: bool) -> Vec<ScenarioError> {
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
            self.exercise_world(&mut v, &format!("{at}.world"), &l.world, file_world_read);
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
            let world =
                self.exercise_world(&mut v, &format!("{at}.world"), &c.world, file_world_read);
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
    fn exercise_world(
        &self,
        v: &mut Validator<'_>,
        at: &str,
        spec: &WorldSpec,
        file_world_read: bool,
    ) -> Option<World> {
        if !file_world_read && spec.base.as_deref().map(str::trim) == Some("file") {
            return None;
        }
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

/// What a file that did not read as a whole is made of: the world, lessons and challenges read
/// on their own, each one past its type errors (see [`read_past_errors`]), and the places that
/// had to be filled in to get there.
struct Salvaged {
    file: ScenarioFile,
    /// The file's index of each lesson in `file.lessons` (one that could not be read at all is
    /// left out).
    lesson_at: Vec<usize>,
    challenge_at: Vec<usize>,
    /// Each `faults` list that had entries taken out (see `drop_bad_faults`), with the index
    /// in the file of each entry left.
    fault_at: Vec<(String, Vec<usize>)>,
    /// Every type error, at its path (lines are found once all are known).
    errors: Vec<ScenarioError>,
    /// Document paths whose values did not read and were stood in for: checks of what they
    /// hold would be about the stand-in.
    patched: Vec<String>,
}

/// Reads a file with type errors: the top-level keys (title, world) and then every lesson and
/// challenge on its own, each read past its errors, so that one mistake hides neither its
/// siblings nor the other entries.
fn salvage(value: &serde_json::Value) -> Salvaged {
    let mut top = value.clone();
    let mut errors = Vec::new();
    let mut fault_at = Vec::new();
    let mut dropped = Vec::new();
    drop_bad_faults(&mut top, "world", &mut errors, &mut fault_at);
    let mut lists = [Vec::new(), Vec::new()];
    for (key, list) in ["lessons", "challenges"].into_iter().zip(&mut lists) {
        if let Some(entries) = top.get_mut(key).and_then(serde_json::Value::as_array_mut) {
            *list = std::mem::take(entries);
        }
        for (i, entry) in list.iter_mut().enumerate() {
            let (errors_before, lists_before) = (errors.len(), fault_at.len());
            drop_bad_faults(entry, "world", &mut errors, &mut fault_at);
            // The entry was taken out of the file: the paths are made the file's.
            let entry_paths = fault_at[lists_before..]
                .iter_mut()
                .map(|(p, _)| p)
                .chain(errors[errors_before..].iter_mut().map(|e| &mut e.path));
            for path in entry_paths {
                *path = format!("{key}[{i}].{path}");
            }
            // An exercise's answer checked against its world would be checked without them.
            dropped.extend(errors[errors_before..].iter().map(|e| e.path.clone()));
        }
    }
    let [lessons, challenges] = lists;
    let (file, read_errors, mut patched) = read_past_errors::<ScenarioFile>(&top, "");
    errors.extend(read_errors);
    patched.extend(dropped);
    let mut file = file.unwrap_or_default();
    let lesson_at;
    (lesson_at, file.lessons) = read_list("lessons", &lessons, &mut errors, &mut patched);
    let challenge_at;
    (challenge_at, file.challenges) =
        read_list("challenges", &challenges, &mut errors, &mut patched);
    Salvaged {
        file,
        lesson_at,
        challenge_at,
        fault_at,
        errors,
        patched,
    }
}

/// Takes the entries of `value[key].faults` that do not read out of the list, each reported at
/// its own path, so that the faults that do read, and the world around them, are still
/// checked (a stand-in fault would itself be checked against the hosts). Records the list's
/// path with the index in the file of each entry kept.
fn drop_bad_faults(
    value: &mut serde_json::Value,
    key: &str,
    errors: &mut Vec<ScenarioError>,
    fault_at: &mut Vec<(String, Vec<usize>)>,
) {
    let Some(list) = value
        .get_mut(key)
        .and_then(|w| w.get_mut("faults"))
        .and_then(serde_json::Value::as_array_mut)
    else {
        return;
    };
    let mut kept = Vec::new();
    let mut i = 0;
    list.retain(|entry| {
        let problem = crate::scenario::faults_from_values(vec![entry.clone()]).err();
        let read = problem.is_none();
        match problem {
            Some(message) => errors.push(ScenarioError {
                path: format!("{key}.faults[{i}]"),
                line: None,
                message: message
                    .strip_prefix("faults[0]: ")
                    .unwrap_or(&message)
                    .to_string(),
            }),
            None => kept.push(i),
        }
        i += 1;
        read
    });
    if kept.len() < i {
        fault_at.push((format!("{key}.faults"), kept));
    }
}

/// The entries of a list that read, with their indices in the file; errors and stand-ins are
/// added to the file's.
fn read_list<T: DeserializeOwned>(
    key: &str,
    list: &[serde_json::Value],
    errors: &mut Vec<ScenarioError>,
    patched: &mut Vec<String>,
) -> (Vec<usize>, Vec<T>) {
    let mut read = (Vec::new(), Vec::new());
    for (i, entry) in list.iter().enumerate() {
        let (t, e, p) = read_past_errors::<T>(entry, &format!("{key}[{i}]"));
        if let Some(t) = t {
            read.0.push(i);
            read.1.push(t);
        }
        errors.extend(e);
        patched.extend(p);
    }
    read
}

/// Most type errors read past in one value: enough for any file written by hand, few enough
/// that a generated one with thousands cannot stall the browser.
const MAX_TYPE_ERRORS: usize = 200;

/// Reads a `T` from `value`, going on after each type error, as serde cannot: the value that
/// failed is left out (an unknown field, or an optional one) or stood in for by the simplest
/// value its field takes, and the read is tried again. Returns what read (`None` when no stand-in
/// fits), every error at its path under `at` (lines are found later), and the document paths
/// that were stood in for.
fn read_past_errors<T: DeserializeOwned>(
    value: &serde_json::Value,
    at: &str,
) -> (Option<T>, Vec<ScenarioError>, Vec<String>) {
    let mut read = None;
    let (errors, patched) = repair(value, at, &mut |v| {
        super::tree::from_value::<T>(v)
            .map(|t| read = Some(t))
            .err()
    });
    (read, errors, patched)
}

/// Stand-ins for a value that did not read, tried in order after leaving it out: the simplest
/// value of each kind, then the smallest check (the tagged table lessons and challenges hold).
fn stand_in(n: usize) -> Option<serde_json::Value> {
    use serde_json::Value;
    Some(match n {
        0 => Value::String(String::new()),
        1 => Value::from(0),
        2 => Value::Bool(false),
        3 => Value::Array(Vec::new()),
        4 => Value::Object(serde_json::Map::new()),
        5 => serde_json::json!({ "check": "telnet-installed" }),
        _ => return None,
    })
}

/// The loop of [`read_past_errors`], apart from the type so that it is compiled once.
fn repair(
    value: &serde_json::Value,
    at: &str,
    read: &mut dyn FnMut(&serde_json::Value) -> Option<super::tree::Error>,
) -> (Vec<ScenarioError>, Vec<String>) {
    let mut value = value.clone();
    let mut errors = Vec::new();
    // Each place stood in for, and which try it is at: `None` for left out, then stand-ins.
    let mut patched: Vec<(String, Option<usize>)> = Vec::new();
    let full =
        |patched: &[(String, Option<usize>)]| patched.iter().map(|(p, _)| under(at, p)).collect();
    for _ in 0..MAX_TYPE_ERRORS {
        let Some(e) = read(&value) else {
            return (errors, full(&patched));
        };
        let path = e.path().to_string();
        let missing = e
            .message()
            .strip_prefix("missing field `")
            .and_then(|m| m.strip_suffix('`'));
        // An error of a stand-in (or of leaving a required value out): the next try there.
        if let Some((place, tried)) = patched
            .iter_mut()
            .find(|(p, _)| within(&path, p) || missing.is_some_and(|f| *p == under(&path, f)))
        {
            let next = tried.map_or(0, |n| n + 1);
            *tried = Some(next);
            if stand_in(next).is_some_and(|v| put(&mut value, place, Some(v))) {
                continue;
            }
            // No stand-in fits (a check's name, which its table's other keys depend on):
            // the table around it is stood in for instead.
            match place.rsplit_once(['.', '[']) {
                Some((parent, _)) if !parent.is_empty() => {
                    *place = parent.to_string();
                    *tried = None;
                    let parent = place.clone();
                    if put(&mut value, &parent, None) {
                        continue;
                    }
                }
                _ => {}
            }
            return (errors, Vec::new());
        }
        errors.push(ScenarioError {
            path: under(at, &path),
            line: None,
            message: plain_words(e.message()),
        });
        let unknown = e
            .message()
            .strip_prefix("unknown field `")
            .and_then(|m| m.get(..m.find('`')?));
        let fixed = match missing {
            // The field is taken out; a tagged table (a check) reports it at the table's own
            // path, which is kept, else its required fields would be reported missing too.
            _ if unknown.is_some() => match unknown.filter(|f| !path.ends_with(f)) {
                Some(field) => put(&mut value, &under(&path, field), None),
                None => put(&mut value, &path, None),
            },
            Some(field) => {
                let place = under(&path, field);
                let fixed = put(&mut value, &place, stand_in(0));
                patched.push((place, Some(0)));
                fixed
            }
            None => {
                let fixed = put(&mut value, &path, None);
                patched.push((path, None));
                fixed
            }
        };
        if !fixed {
            return (errors, Vec::new());
        }
    }
    (errors, Vec::new())
}

/// Sets the value at a document path inside `value`, or (`None`) takes it out: an object's key
/// is removed, an array's element becomes the first stand-in (removing it would move the
/// others). False when the path leads nowhere.
fn put(value: &mut serde_json::Value, path: &str, new: Option<serde_json::Value>) -> bool {
    let steps = segments(path);
    let Some(((last, last_index), parents)) = steps.split_last() else {
        return false;
    };
    let mut here = value;
    for (key, index) in parents {
        let Some(next) = here.get_mut(key.as_str()) else {
            return false;
        };
        here = match index {
            Some(i) => match next.get_mut(*i) {
                Some(v) => v,
                None => return false,
            },
            None => next,
        };
    }
    let Some(object) = here.as_object_mut() else {
        return false;
    };
    match (last_index, new) {
        (None, None) => object.remove(last.as_str()).is_some(),
        (None, Some(v)) => {
            object.insert(last.clone(), v);
            true
        }
        (Some(i), new) => {
            let slot = object.get_mut(last.as_str()).and_then(|v| v.get_mut(*i));
            match (slot, new.or_else(|| stand_in(0))) {
                (Some(slot), Some(v)) => {
                    *slot = v;
                    true
                }
                _ => false,
            }
        }
    }
}

/// Whether document path `path` is `place` or inside it.
fn within(path: &str, place: &str) -> bool {
    path.strip_prefix(place)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.') || rest.starts_with('['))
}

/// Whether a problem found in a salvaged file is about a stand-in, or follows from one, and so
/// is not the file's: an answer is checked against the options and against the world, a host
/// against its role, and faults against the hosts.
fn about_stand_in(e: &ScenarioError, patched: &[String]) -> bool {
    let answer_of = e.path.strip_suffix(".answer");
    let on = |field: &str| {
        answer_of.is_some_and(|c| patched.iter().any(|p| within(p, &format!("{c}.{field}"))))
    };
    let from_hosts = |p: &String| {
        let host = p.strip_suffix(".role").filter(|h| h.contains("hosts["));
        let world = p
            .split_once("hosts[")
            .map(|(world, _)| format!("{world}faults"));
        host.is_some_and(|h| within(&e.path, h)) || world.is_some_and(|f| within(&e.path, &f))
    };
    patched.iter().any(|p| within(&e.path, p) || from_hosts(p))
        || (on("options") && e.message.contains("not one of the options"))
        || (on("world") && e.message.contains("world has no"))
}

/// `path` with the index after `key` (`lessons[j]...`) replaced by `at[j]`: the place in the
/// file of the `j`th entry that read.
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
        _ if outer.is_empty() => inner.to_string(),
        None | Some('[') => format!("{outer}{inner}"),
        Some(_) => format!("{outer}.{inner}"),
    }
}

/// An error at a document path, with the line the path points at.
fn located(text: &str, path: &str, message: &str) -> ScenarioError {
    ScenarioError {
        line: document::line_of_path(text, path).or_else(|| locate(text, path)),
        message: plain_words(message),
        path: path.to_string(),
    }
}

/// serde's message with the Rust type it expected said in an instructor's words: `expected
/// u16` means nothing to someone writing a lesson, `expected a whole number from 0 to 65535`
/// does.
fn plain_words(message: &str) -> String {
    const WORDS: [(&str, &str); 9] = [
        ("u8", "a whole number from 0 to 255"),
        ("u16", "a whole number from 0 to 65535"),
        ("u32", "a whole number from 0 to 4294967295"),
        ("u64", "a whole number, 0 or more"),
        ("usize", "a whole number, 0 or more"),
        ("i32", "a whole number"),
        ("i64", "a whole number"),
        ("f64", "a number"),
        ("f32", "a number"),
    ];
    if let Some((head, ty)) = message.rsplit_once(", expected ") {
        if let Some((_, words)) = WORDS.iter().find(|(t, _)| *t == ty) {
            return format!("{head}, expected {words}");
        }
    }
    message.to_string()
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
        // A reply code as text or out of range: said in words, not as Rust's `u16`.
        (
            "[[lessons]]\nid = \"a\"\ntitle = \"A\"\nsource = \"KB\"\nsummary = \"s\"\n\n[[lessons.steps]]\ninstruction = \"i\"\nhint = \"h\"\nexplanation = \"e\"\ncheck = { check = \"reply-received\", code = \"250\" }\n",
            "lessons[0].steps[0].check",
            Some(11),
            "invalid type: string \"250\", expected a whole number from 0 to 65535",
        ),
        (
            "[[lessons]]\nid = \"a\"\ntitle = \"A\"\nsource = \"KB\"\nsummary = \"s\"\n\n[[lessons.steps]]\ninstruction = \"i\"\nhint = \"h\"\nexplanation = \"e\"\ncheck = { check = \"reply-received\", code = 70000 }\n",
            "lessons[0].steps[0].check",
            Some(11),
            "invalid value: integer `70000`, expected a whole number from 0 to 65535",
        ),
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
                ("challenges[0].answer", Some(20)),
                ("challenges[0].reveal.check", Some(22)),
            ],
            "{errors:?}"
        );
        assert!(errors[1].message.contains("source"), "{errors:?}");
    }

    /// A check's unknown field is reported at the check (its tagged table), and only that
    /// field is taken out: the check itself is present and is not said to be missing.
    #[test]
    fn a_check_with_a_wrong_field_is_not_reported_missing() {
        let text = "[[lessons]]\nid = \"a\"\ntitle = \"A\"\nsource = \"x\"\nsummary = \"s\"\n\n\
             [[lessons.steps]]\ninstruction = \"i\"\n\
             check = { check = \"ping-finished\", host = \"10.0.0.2\", received = 4 }\n\
             hint = \"h\"\nexplanation = \"e\"\n";
        let errors = ScenarioFile::parse(text).expect_err("two unknown fields");
        assert_eq!(
            found(&errors),
            [
                ("lessons[0].steps[0].check", Some(9)),
                ("lessons[0].steps[0].check", Some(9)),
            ],
            "{errors:?}"
        );
        assert!(
            errors[0].message.contains("unknown field `host`"),
            "{errors:?}"
        );
        assert!(
            errors[1].message.contains("unknown field `received`"),
            "{errors:?}"
        );
        assert!(
            !errors.iter().any(|e| e.message.contains("missing")),
            "{errors:?}"
        );
    }

    #[test]
    fn a_fault_that_does_not_read_hides_neither_the_other_faults_nor_their_checks() {
        let text = "[world]\nfaults = [\"dns-down\", \"bogus\", { fault = \"relay-refused\", host = \"nosuch\" }]\n\n\
             [[challenges]]\nid = \"c\"\ntitle = \"C\"\nbriefing = \"b\"\nfeedback = \"f\"\n\
             world = { faults = [7, { fault = \"message-size-limit\", bytes = \"x\" }, { fault = \"wrong-mask\", mask = \"255.0.255.0\" }] }\n\
             options = [\"message-size-limit\", \"wrong-mask\"]\nanswer = \"message-size-limit\"\n\
             reveal = { check = \"telnet-installed\" }\n";
        let errors = ScenarioFile::parse(text).expect_err("broken faults");
        assert_eq!(
            found(&errors),
            [
                ("world.faults[1]", Some(2)),
                ("world.faults[2].host", Some(2)),
                ("challenges[0].world.faults[0]", Some(9)),
                ("challenges[0].world.faults[1]", Some(9)),
                ("challenges[0].world.faults[2].mask", Some(9)),
            ],
            "{errors:?}"
        );
        assert!(errors[0].message.starts_with("unknown fault `bogus`"));
        assert!(
            errors[2].message.contains("a number is not a fault"),
            "{errors:?}"
        );
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
                ("lessons[0].title", Some(6)),
                ("lessons[0].steps", Some(9)),
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
                ("lessons[2].id", Some(19)),
                ("challenges[0].answer", Some(32)),
                ("challenges[0].answer", Some(32)),
            ],
            "{errors:?}"
        );
        // The third lesson is built on the file's world, which did not read: that is said
        // once, at the world, and the lesson's world is not checked against it (not "this file
        // has none"); the rest of the lesson is.
        assert!(
            !errors.iter().any(|e| e.message.contains("has none")),
            "{errors:?}"
        );
    }

    /// A first draft with many mistakes that do not depend on one another, of every kind: type
    /// errors in the world, in a lesson, a step and a challenge, and semantic ones beside them.
    const EVERY_MISTAKE: &str = r#"title = "Week 3"

[world.workstation]
os = "win98"
ip = "10.0.0.500"
gateway = "10.0.0.1"

[[world.hosts]]
name = "mail.contoso.com"
ip = "10.0.0.25"
persona = "sendmail"

[[world.hosts]]
name = "smtp.contoso.com"
ip = "10.0.0.26"
role = "mail"
persona = "sendmail"
colour = "red"

[[world.hosts]]
name = "relay.contoso.com"
ip = "10.0.0.27"
role = "mial"
persona = "iis6"

[[world.faults]]
fault = "smtp-service-stopped"
host = "relay.contoso.com"

[[lessons]]
id = "my lesson"
title = "Test"
solution = """
telnet mail.contoso.com 25
EHLO test.com
QUIT
"""

[[lessons.steps]]
instruction = "Connect"
explanation="e"
check = { check = "reply-received", code = 999 }

[[lessons.steps]]
instruction = "x"
hint="h"
explanation="e"
check = { check = "no-such-check" }
typo_field = 3

[[lessons]]
id = "second lesson"
title = ""
source = "KB 153119"
summary = "s"
steps = [{ instruction = "i", hint = "h", explanation = "", check = { check = "telnet-installed" } }]

[[challenges]]
id = "c1"
title = "C"

[[challenges]]
id = "c 2"
title = "C2"
briefing = "b"
feedback = "f"
world = { faults = ["dns-down"] }
options = ["dns-down", 7]
answer = "nic-disabled"
reveal = { check = "nslookup-answered", success = false }
"#;

    #[test]
    fn every_independent_mistake_is_reported_in_one_round() {
        let errors = ScenarioFile::parse(EVERY_MISTAKE).expect_err("many mistakes");
        let said: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            found(&errors),
            [
                ("world.workstation.os", Some(4)),
                ("world.workstation.ip", Some(5)),
                ("world.hosts[0].persona", Some(11)),
                ("world.hosts[1].persona", Some(17)),
                ("world.hosts[1].colour", Some(18)),
                ("world.hosts[2].role", Some(23)),
                ("lessons[0]", Some(30)),
                ("lessons[0]", Some(30)),
                ("lessons[0].id", Some(31)),
                ("lessons[0].steps[0]", Some(39)),
                ("lessons[0].steps[0].check.code", Some(42)),
                ("lessons[0].steps[1].check.check", Some(48)),
                ("lessons[0].steps[1].typo_field", Some(49)),
                ("lessons[1].id", Some(52)),
                ("lessons[1].title", Some(53)),
                ("lessons[1].steps[0].explanation", Some(56)),
                ("challenges[0]", Some(58)),
                ("challenges[0]", Some(58)),
                ("challenges[0]", Some(58)),
                ("challenges[0]", Some(58)),
                ("challenges[0]", Some(58)),
                ("challenges[0]", Some(58)),
                ("challenges[1].id", Some(63)),
                ("challenges[1].options[1]", Some(68)),
                ("challenges[1].answer", Some(69)),
            ],
            "{said:#?}"
        );
        for words in [
            "unknown variant `win98`",
            "unknown variant `mial`",
            "`10.0.0.500` is not an IPv4 address",
            "only hosts with role = \"mail\" have a persona",
            "unknown persona `sendmail`",
            "unknown field `colour`",
            "missing field `source`",
            "missing field `summary`",
            "`my lesson` may hold only",
            "missing field `hint`",
            "between 200 and 599",
            "unknown variant `no-such-check`",
            "unknown field `typo_field`",
            "missing field `briefing`",
            "missing field `reveal`",
            "`c 2` may hold only",
            "invalid type: integer `7`",
            "world has no `nic-disabled` fault",
        ] {
            assert!(said.iter().any(|s| s.contains(words)), "{words}: {said:#?}");
        }
        // A stand-in for a value that did not read is not itself reported ("is empty"), nor
        // what follows from it (the answer against options that did not all read, a host's
        // persona and a fault on it against the role that did not read).
        for hidden in [
            "steps[0].hint",
            "not one of the options",
            "hosts[2].persona",
            "not a mail server",
        ] {
            assert!(
                !said.iter().any(|s| s.contains(hidden)),
                "{hidden}: {said:#?}"
            );
        }
    }

    #[test]
    fn the_browser_and_check_report_the_same_problems() {
        // The browser's "Open a scenario file" loads with `parse`; `smtp-trainer check` with
        // `check`. A file with a type error once hid the semantic problems (an unknown persona)
        // from the browser only.
        let text = "[[world.hosts]]\nname = \"mail\"\nip = \"10.0.0.25\"\nrole = \"mail\"\n\
                    persona = \"sendmail\"\n\n[[lessons]]\nid = \"a\"\ntitle = 5\n";
        for text in [text, EVERY_MISTAKE] {
            let browser = ScenarioFile::parse(text).expect_err("broken");
            assert_eq!(Err(browser.clone()), ScenarioFile::check(text), "{text}");
            assert!(
                browser.iter().any(|e| e.path.starts_with("world.hosts[")
                    && e.message.contains("unknown persona `sendmail`")),
                "{browser:?}"
            );
        }
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
