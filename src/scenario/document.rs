//! A scenario document (TOML, or JSON when it starts with `{`) read into one value tree, and
//! the line a document path points at.
//!
//! Every typed read of a document goes through a [`serde_json::Value`]: the text is parsed
//! once, without knowing the target type, and the typed deserialization then has one input
//! type only. That matters in the browser, where each (type, input format) pair is compiled
//! separately: reading the scenario types from TOML, from JSON text and from a value tree
//! made the deserializers most of the app's size. [`super::tree`] reads the tree and says
//! where a read failed.
//! The cost of the tree is that it knows no lines: when a typed read fails, [`line_of_path`]
//! finds the line of the failing value again from the text, for both formats.

use super::check::line_at;
use super::ScenarioError;
use serde_json::{Map, Number, Value};
use toml::de::{DeTable, DeValue};

/// The key TOML's own serde support gives datetimes: a datetime read into a field of any
/// other type is then refused (as a map) rather than taken for a string.
const TOML_DATETIME_KEY: &str = "$__toml_private_datetime";

/// Whether a document is JSON: the instructor format is TOML unless the text opens an object.
pub fn is_json(text: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{')
}

/// Parses a document into a value tree. A syntax error comes back with its line and no path.
/// A leading byte order mark, which Windows editors write, is not part of the document.
pub fn parse(text: &str) -> Result<Value, Vec<ScenarioError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if is_json(text) {
        serde_json::from_str(text).map_err(|e| {
            let message = e.to_string();
            let message = match message.rfind(" at line ") {
                Some(i) => message[..i].to_string(),
                None => message,
            };
            vec![ScenarioError {
                path: String::new(),
                line: Some(e.line()).filter(|l| *l > 0),
                message,
            }]
        })
    } else {
        let at = |span: Option<std::ops::Range<usize>>| span.map(|s| line_at(text, s.start));
        let table = DeTable::parse(text).map_err(|e| {
            vec![ScenarioError {
                path: String::new(),
                line: at(e.span()),
                message: e.message().trim().to_string(),
            }]
        })?;
        toml_table(table.into_inner()).map_err(|(span, message)| {
            vec![ScenarioError {
                path: String::new(),
                line: at(Some(span)),
                message,
            }]
        })
    }
}

/// A value the tree cannot hold, with where it is.
type Unrepresentable = (std::ops::Range<usize>, String);

fn toml_table(table: DeTable<'_>) -> Result<Value, Unrepresentable> {
    let mut map = Map::new();
    for (key, value) in table {
        let span = value.span();
        map.insert(
            key.into_inner().into_owned(),
            toml_value(value.into_inner(), span)?,
        );
    }
    Ok(Value::Object(map))
}

fn toml_value(value: DeValue<'_>, span: std::ops::Range<usize>) -> Result<Value, Unrepresentable> {
    Ok(match value {
        DeValue::String(s) => Value::String(s.into_owned()),
        DeValue::Boolean(b) => Value::Bool(b),
        DeValue::Integer(i) => {
            let (digits, radix) = (i.as_str(), i.radix());
            match i64::from_str_radix(digits, radix) {
                Ok(n) => Value::from(n),
                Err(_) => match u64::from_str_radix(digits, radix) {
                    Ok(n) => Value::from(n),
                    Err(_) => return Err((span, format!("integer `{i}` is out of range"))),
                },
            }
        }
        DeValue::Float(f) => match f.as_str().parse::<f64>().ok().and_then(Number::from_f64) {
            Some(n) => Value::Number(n),
            None => return Err((span, format!("float `{f}` cannot be used here"))),
        },
        DeValue::Datetime(d) => {
            let mut map = Map::new();
            map.insert(TOML_DATETIME_KEY.into(), Value::String(d.to_string()));
            Value::Object(map)
        }
        DeValue::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|item| {
                    let span = item.span();
                    toml_value(item.into_inner(), span)
                })
                .collect::<Result<_, _>>()?,
        ),
        DeValue::Table(table) => toml_table(table)?,
    })
}

/// One step of a document path as [`super::tree`] writes it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// `lessons[0].steps[2].check` as steps. Unknown steps (`?`) end the path: what comes after
/// them cannot be followed.
fn steps(path: &str) -> Vec<Step<'_>> {
    let mut out = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (key, mut rest) = part.split_once('[').map_or((part, ""), |(k, r)| (k, r));
        if key == "?" {
            break;
        }
        if !key.is_empty() {
            out.push(Step::Key(key));
        }
        while let Some((index, after)) = rest.split_once(']') {
            match index.parse() {
                Ok(i) => out.push(Step::Index(i)),
                Err(_) => return out,
            }
            rest = after.strip_prefix('[').unwrap_or(after);
        }
    }
    out
}

/// The 1-based line of the value a document path points at, or of the deepest part of the
/// path that exists in the text; `None` for an empty path or an unreadable text.
pub fn line_of_path(text: &str, path: &str) -> Option<usize> {
    Lines::new(text).of(path)
}

/// Finds the lines of many paths in one text, parsing it once (a file with hundreds of problems
/// would otherwise be parsed again for each).
pub struct Lines<'a> {
    text: &'a str,
    toml: Option<toml::Spanned<DeTable<'a>>>,
}

impl<'a> Lines<'a> {
    /// Reads `text` (TOML is parsed here; JSON is scanned for each path).
    pub fn new(text: &'a str) -> Self {
        let toml = if is_json(text) {
            None
        } else {
            DeTable::parse(text).ok()
        };
        Lines { text, toml }
    }

    /// The line of `path`, as [`line_of_path`] finds it.
    pub fn of(&self, path: &str) -> Option<usize> {
        let steps = steps(path);
        if steps.is_empty() {
            return None;
        }
        let offset = match &self.toml {
            _ if is_json(self.text) => json_offset(self.text, &steps),
            Some(root) => toml_offset(root, &steps),
            None => None,
        };
        offset.map(|o| line_at(self.text, o))
    }
}

fn toml_offset(root: &toml::Spanned<DeTable<'_>>, steps: &[Step<'_>]) -> Option<usize> {
    let mut table = Some(root.get_ref());
    let mut array: Option<&toml::de::DeArray<'_>> = None;
    let mut found = None;
    for step in steps {
        let item = match (*step, table, array) {
            (Step::Key(k), Some(t), _) => {
                t.iter().find(|(key, _)| key.get_ref() == k).map(|(_, v)| v)
            }
            (Step::Index(i), _, Some(a)) => a.get(i),
            _ => None,
        };
        let Some(item) = item else { break };
        found = Some(item.span().start);
        table = item.get_ref().as_table();
        array = item.get_ref().as_array();
    }
    found
}

/// Finds the offset of the value at `steps` in JSON text with a small scanner (the text has
/// already parsed, so it is well formed); the deepest value found when the path goes further.
fn json_offset(text: &str, steps: &[Step<'_>]) -> Option<usize> {
    let mut scan = JsonScan {
        bytes: text.as_bytes(),
        text,
        at: 0,
    };
    let mut found = None;
    for step in steps {
        scan.skip_ws();
        let entered = match *step {
            Step::Key(k) => scan.enter_key(k),
            Step::Index(i) => scan.enter_index(i),
        };
        if !entered {
            break;
        }
        scan.skip_ws();
        found = Some(scan.at);
    }
    found
}

struct JsonScan<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl JsonScan<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.at += 1;
        }
    }

    /// Skips `b` (after whitespace) if it is next.
    fn eat(&mut self, b: u8) -> bool {
        self.skip_ws();
        if self.peek() == Some(b) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    /// Reads a string at the cursor, escapes decoded.
    fn string(&mut self) -> Option<String> {
        let start = self.at;
        if self.peek() != Some(b'"') {
            return None;
        }
        self.at += 1;
        while let Some(b) = self.peek() {
            self.at += 1;
            match b {
                b'\\' => self.at += 1,
                b'"' => return serde_json::from_str(self.text.get(start..self.at)?).ok(),
                _ => {}
            }
        }
        None
    }

    /// Skips the value at the cursor.
    fn skip_value(&mut self) -> Option<()> {
        self.skip_ws();
        match self.peek()? {
            b'"' => self.string().map(drop),
            open @ (b'{' | b'[') => {
                let close = if open == b'{' { b'}' } else { b']' };
                self.at += 1;
                if self.eat(close) {
                    return Some(());
                }
                loop {
                    if open == b'{' {
                        self.skip_ws();
                        self.string()?;
                        if !self.eat(b':') {
                            return None;
                        }
                    }
                    self.skip_value()?;
                    if self.eat(close) {
                        return Some(());
                    }
                    if !self.eat(b',') {
                        return None;
                    }
                }
            }
            _ => {
                while self
                    .peek()
                    .is_some_and(|b| !matches!(b, b',' | b'}' | b']') && !b.is_ascii_whitespace())
                {
                    self.at += 1;
                }
                Some(())
            }
        }
    }

    /// Moves into the object at the cursor, onto the value of `key`.
    fn enter_key(&mut self, key: &str) -> bool {
        let start = self.at;
        if !self.eat(b'{') {
            self.at = start;
            return false;
        }
        loop {
            self.skip_ws();
            let Some(name) = self.string() else {
                self.at = start;
                return false;
            };
            if !self.eat(b':') {
                self.at = start;
                return false;
            }
            if name == key {
                return true;
            }
            if self.skip_value().is_none() || !self.eat(b',') {
                self.at = start;
                return false;
            }
        }
    }

    /// Moves into the array at the cursor, onto its element `index`.
    fn enter_index(&mut self, index: usize) -> bool {
        let start = self.at;
        if !self.eat(b'[') {
            self.at = start;
            return false;
        }
        for _ in 0..index {
            if self.skip_value().is_none() || !self.eat(b',') {
                self.at = start;
                return false;
            }
        }
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.at = start;
            return false;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_split_into_steps() {
        let table: &[(&str, Vec<Step<'_>>)] = &[
            ("", vec![]),
            ("title", vec![Step::Key("title")]),
            (
                "lessons[0].steps[2].check",
                vec![
                    Step::Key("lessons"),
                    Step::Index(0),
                    Step::Key("steps"),
                    Step::Index(2),
                    Step::Key("check"),
                ],
            ),
            (
                "a[1][2]",
                vec![Step::Key("a"), Step::Index(1), Step::Index(2)],
            ),
            ("world.?.x", vec![Step::Key("world")]),
        ];
        for (path, want) in table {
            assert_eq!(&steps(path), want, "{path}");
        }
    }

    const TOML: &str = "title = \"t\"\n\n[[lessons]]\nid = \"a\"\n\n[[lessons]]\nid = \"b\"\n\
                        steps = [\n  { hint = \"h\" },\n  { hint = 5 },\n]\n\n[world.workstation]\nos = \"xp\"\n";

    const JSON: &str = "{\n  \"title\": \"t\",\n  \"lessons\": [\n    { \"id\": \"a\" },\n    {\n      \"id\": \"b\\\"\",\n      \"steps\": [{ \"hint\": [1, {\"x\": \"]\"}] }, { \"hint\": 5 }]\n    }\n  ],\n  \"world\": { \"workstation\": { \"os\": \"xp\" } }\n}\n";

    #[test]
    fn paths_are_found_in_toml_and_json() {
        // (path, line in TOML, line in JSON)
        let table = [
            ("title", Some(1), Some(2)),
            ("lessons[0].id", Some(4), Some(4)),
            ("lessons[1].id", Some(7), Some(6)),
            ("lessons[1].steps[1].hint", Some(10), Some(7)),
            ("lessons[1].steps[1].nothing", Some(10), Some(7)),
            ("lessons[5]", Some(3), Some(3)),
            ("world.workstation.os", Some(14), Some(10)),
            ("", None, None),
        ];
        for (path, toml, json) in table {
            assert_eq!(line_of_path(TOML, path), toml, "TOML {path}");
            assert_eq!(line_of_path(JSON, path), json, "JSON {path}");
        }
    }

    #[test]
    fn toml_and_json_read_into_the_same_tree() {
        let toml = parse("a = 1\nb = [true, 2.5, \"s\"]\n[c]\nd = 0x10\n").expect("toml");
        let json =
            parse("{\"a\": 1, \"b\": [true, 2.5, \"s\"], \"c\": {\"d\": 16}}").expect("json");
        assert_eq!(toml, json);
    }

    #[test]
    fn syntax_errors_and_unrepresentable_values_have_lines() {
        // (text, line, a word of the message)
        let table = [
            ("a = 1\nb = \n", Some(2), ""),
            ("{\"a\": 1,\n\"b\" 2}", Some(2), "expected"),
            ("a = 1\nb = nan\n", Some(2), "nan"),
            (
                "a = 1\n\nb = 99999999999999999999\n",
                Some(3),
                "out of range",
            ),
        ];
        for (text, line, word) in table {
            let e = parse(text).expect_err(text);
            assert_eq!(e[0].line, line, "{text}: {e:?}");
            assert!(e[0].message.contains(word), "{text}: {e:?}");
            assert!(e[0].path.is_empty());
        }
    }

    #[test]
    fn datetimes_do_not_pass_for_strings() {
        let v = parse("when = 1979-05-27T07:32:00Z\n").expect("parses");
        assert!(!v["when"].is_string());
    }
}
