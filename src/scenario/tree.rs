//! Typed reads from a value tree ([`serde_json::Value`]) that know where they failed.
//!
//! Every typed read in the app goes through [`from_value`]: instructor files (via
//! [`super::document`]), the embedded persona, explain and fault tables, saved progress, and
//! the tagged tables of [`super::tagged`]. One deserializer means each `Deserialize` impl is
//! compiled once; in the browser, wrapping serde_json's own value deserializer in
//! `serde_path_to_error` for files (and using it bare elsewhere) compiled most of them twice
//! and made the wrappers a fifth of the deserialization code.
//!
//! The deserializer behaves as serde_json's does for a `Value` (the same calls to the visitor,
//! so the same messages), and records the path of the innermost value a failure passed
//! through, written as `serde_path_to_error` writes it: `lessons[0].steps[2].check`.

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, EnumAccess, Expected, IntoDeserializer, MapAccess,
    SeqAccess, Unexpected, VariantAccess, Visitor,
};
use serde::forward_to_deserialize_any;
use serde_json::Value;
use std::fmt;
use std::marker::PhantomData;

/// A failed read: serde's message, and where in the tree it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    message: String,
    path: Option<String>,
}

impl Error {
    /// Where the read failed: `lessons[0].title`; empty at the top of the tree.
    pub fn path(&self) -> &str {
        self.path.as_deref().unwrap_or_default()
    }

    /// The message without the path (what `Display` writes).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Places the error at `path` unless a deeper value already placed it.
    fn at(mut self, path: &Path<'_>) -> Self {
        if self.path.is_none() {
            self.path = Some(path.to_string());
        }
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Error {
            message: message.to_string(),
            path: None,
        }
    }

    fn invalid_type(unexpected: Unexpected<'_>, expected: &dyn Expected) -> Self {
        de::Error::custom(format_args!(
            "invalid type: {}, expected {expected}",
            AsJson(unexpected)
        ))
    }

    fn invalid_value(unexpected: Unexpected<'_>, expected: &dyn Expected) -> Self {
        de::Error::custom(format_args!(
            "invalid value: {}, expected {expected}",
            AsJson(unexpected)
        ))
    }
}

/// A value of the wrong kind named as serde_json names it (`null`, `floating point `2.5``),
/// so messages read the same as before; floats are written by the formatter serde_json uses,
/// which is much smaller than the standard library's.
struct AsJson<'a>(Unexpected<'a>);

impl fmt::Display for AsJson<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Unexpected::Unit => f.write_str("null"),
            Unexpected::Float(value) => {
                write!(f, "floating point `{}`", zmij::Buffer::new().format(value))
            }
            // serde's own words for the rest, written here: its Display would link the
            // standard library's float formatting for the case above.
            Unexpected::Bool(b) => write!(f, "boolean `{b}`"),
            Unexpected::Unsigned(u) => write!(f, "integer `{u}`"),
            Unexpected::Signed(i) => write!(f, "integer `{i}`"),
            Unexpected::Char(c) => write!(f, "character `{c}`"),
            Unexpected::Str(s) => write!(f, "string {s:?}"),
            Unexpected::Bytes(_) => f.write_str("byte array"),
            Unexpected::Option => f.write_str("Option value"),
            Unexpected::NewtypeStruct => f.write_str("newtype struct"),
            Unexpected::Seq => f.write_str("sequence"),
            Unexpected::Map => f.write_str("map"),
            Unexpected::Enum => f.write_str("enum"),
            Unexpected::UnitVariant => f.write_str("unit variant"),
            Unexpected::NewtypeVariant => f.write_str("newtype variant"),
            Unexpected::TupleVariant => f.write_str("tuple variant"),
            Unexpected::StructVariant => f.write_str("struct variant"),
            Unexpected::Other(other) => f.write_str(other),
        }
    }
}

/// Reads a `T` from a value tree; on failure the error says where.
pub fn from_value<T: DeserializeOwned>(value: &Value) -> Result<T, Error> {
    from_value_seed(value, PhantomData::<T>)
}

/// Reads from a value tree with a seed (a reader with its own way of deserializing).
pub fn from_value_seed<'de, S: DeserializeSeed<'de>>(
    value: &'de Value,
    seed: S,
) -> Result<S::Value, Error> {
    seed.deserialize(Tree {
        value,
        path: &Path::Root,
    })
    .map_err(|e| e.at(&Path::Root))
}

/// The way from the top of the tree to a value, kept on the stack while reading.
enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Key(parent, key) => {
                parent.fmt(f)?;
                if !matches!(parent, Path::Root) {
                    f.write_str(".")?;
                }
                f.write_str(key)
            }
            Path::Index(parent, index) => {
                parent.fmt(f)?;
                write!(f, "[{index}]")
            }
        }
    }
}

/// What serde_json calls a value of the wrong kind, for `invalid type` messages.
fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => Unexpected::Unsigned(u),
            (_, Some(i), _) => Unexpected::Signed(i),
            (_, _, f) => Unexpected::Float(f.unwrap_or(f64::NAN)),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

/// One value of the tree and its path.
struct Tree<'de, 'p> {
    value: &'de Value,
    path: &'p Path<'p>,
}

/// Methods of [`Tree`] that read one kind of value through one of its readers below.
macro_rules! read_as {
    ($reader:ident: $($method:ident)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
                self.$reader(visitor)
            }
        )*
    };
}

// Each method calls only the visitor methods of the kind it asked for (as serde_json's value
// deserializer does) and refuses anything else with the visitor's own `expected`; calling every
// `visit_*` of every visitor, as `deserialize_any` must, would compile them all.
impl<'de> de::Deserializer<'de> for Tree<'de, '_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(_) => self.number(visitor),
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(_) => self.seq(visitor),
            Value::Object(_) => self.map(visitor),
        }
    }

    read_as! { number: deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
    deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_f32 deserialize_f64 }

    read_as! { string: deserialize_char deserialize_str deserialize_string deserialize_identifier }

    read_as! { seq: deserialize_seq }

    read_as! { map: deserialize_map }

    read_as! { unit: deserialize_unit }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Bool(b) => visitor.visit_bool(*b),
            _ => Err(self.refuse(&visitor)),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.unit(visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.seq(visitor)
    }

    /// A struct is a table. (serde_json also takes an array of the fields in order; the file
    /// format and its schema never write one, and accepting it would compile a second reader
    /// for every struct.)
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.map(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.value {
            Value::String(name) => visitor.visit_enum(BorrowedStrDeserializer::new(name)),
            Value::Object(map) => {
                let mut entries = map.iter();
                match (entries.next(), entries.next()) {
                    (Some((name, value)), None) => visitor.visit_enum(Variant {
                        name,
                        value,
                        path: self.path,
                    }),
                    _ => Err(de::Error::invalid_value(
                        Unexpected::Map,
                        &"map with a single key",
                    )),
                }
            }
            other => Err(de::Error::invalid_type(unexpected(other), &"string or map")),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    forward_to_deserialize_any! { i128 u128 bytes byte_buf }
}

impl<'de> Tree<'de, '_> {
    /// The error for a value of the wrong kind.
    fn refuse(&self, expected: &dyn Expected) -> Error {
        de::Error::invalid_type(unexpected(self.value), expected)
    }

    fn number<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let Value::Number(n) = self.value else {
            return Err(self.refuse(&visitor));
        };
        match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => visitor.visit_u64(u),
            (_, Some(i), _) => visitor.visit_i64(i),
            (_, _, Some(f)) => visitor.visit_f64(f),
            _ => Err(de::Error::custom("number out of range")),
        }
    }

    fn string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::String(s) => visitor.visit_borrowed_str(s),
            _ => Err(self.refuse(&visitor)),
        }
    }

    fn unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Null => visitor.visit_unit(),
            _ => Err(self.refuse(&visitor)),
        }
    }

    fn seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let Value::Array(items) = self.value else {
            return Err(self.refuse(&visitor));
        };
        let mut seq = Items {
            items: items.iter(),
            index: 0,
            path: self.path,
        };
        let out = visitor.visit_seq(&mut seq)?;
        finished(seq.items.len(), items.len(), &"fewer elements in array")?;
        Ok(out)
    }

    fn map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let Value::Object(map) = self.value else {
            return Err(self.refuse(&visitor));
        };
        let mut entries = Entries {
            entries: map.iter(),
            pending: None,
            path: self.path,
        };
        let out = visitor.visit_map(&mut entries)?;
        finished(entries.entries.len(), map.len(), &"fewer elements in map")?;
        Ok(out)
    }
}

/// Refuses a list or table the visitor did not read to the end, as serde_json does.
fn finished(left: usize, len: usize, expected: &dyn Expected) -> Result<(), Error> {
    if left == 0 {
        Ok(())
    } else {
        Err(de::Error::invalid_length(len, expected))
    }
}

/// The elements of an array.
struct Items<'de, 'p> {
    items: std::slice::Iter<'de, Value>,
    index: usize,
    path: &'p Path<'p>,
}

impl<'de> SeqAccess<'de> for Items<'de, '_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        let Some(value) = self.items.next() else {
            return Ok(None);
        };
        let path = Path::Index(self.path, self.index);
        self.index += 1;
        seed.deserialize(Tree { value, path: &path })
            .map(Some)
            .map_err(|e| e.at(&path))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// The entries of a table.
struct Entries<'de, 'p> {
    entries: serde_json::map::Iter<'de>,
    /// The entry whose key was read and whose value is next.
    pending: Option<(&'de str, &'de Value)>,
    path: &'p Path<'p>,
}

impl<'de> MapAccess<'de> for Entries<'de, '_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.pending = Some((key, value));
        seed.deserialize(Key(key))
            .map(Some)
            .map_err(|e| e.at(&Path::Key(self.path, key)))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let Some((key, value)) = self.pending.take() else {
            return Err(de::Error::custom("a value was read before its key"));
        };
        let path = Path::Key(self.path, key);
        seed.deserialize(Tree { value, path: &path })
            .map_err(|e| e.at(&path))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// A table's key: a string, or a number written as one (`{"0": ...}` for a map of `u32`),
/// or the name of a unit variant.
struct Key<'de>(&'de str);

impl Key<'_> {
    fn number<'de, V: Visitor<'de>>(&self, visitor: V) -> Result<V::Value, Error> {
        if let Ok(u) = self.0.parse::<u64>() {
            visitor.visit_u64(u)
        } else if let Ok(i) = self.0.parse::<i64>() {
            visitor.visit_i64(i)
        } else {
            Err(de::Error::custom(
                "invalid value: expected key to be a number in quotes",
            ))
        }
    }
}

/// Methods of [`Key`] that read the key as a number.
macro_rules! numeric_keys {
    ($($method:ident)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
                self.number(visitor)
            }
        )*
    };
}

impl<'de> de::Deserializer<'de> for Key<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_borrowed_str(self.0)
    }

    numeric_keys! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_enum(BorrowedStrDeserializer::new(self.0))
    }

    forward_to_deserialize_any! {
        bool i128 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct identifier
        ignored_any
    }
}

/// The variant of an enum written as a one-entry table: `{ name = value }`.
struct Variant<'de, 'p> {
    name: &'de str,
    value: &'de Value,
    path: &'p Path<'p>,
}

impl<'de, 'p> EnumAccess<'de> for Variant<'de, 'p> {
    type Error = Error;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), Error> {
        let name = seed.deserialize(self.name.into_deserializer())?;
        Ok((name, self))
    }
}

impl<'de> VariantAccess<'de> for Variant<'de, '_> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self.value {
            Value::Null => Ok(()),
            other => {
                let e: Error = de::Error::invalid_type(unexpected(other), &"unit");
                Err(e.at(&Path::Key(self.path, self.name)))
            }
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        let path = Path::Key(self.path, self.name);
        seed.deserialize(Tree {
            value: self.value,
            path: &path,
        })
        .map_err(|e| e.at(&path))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.content(visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.content(visitor)
    }
}

impl<'de> Variant<'de, '_> {
    /// A tuple or struct variant's fields, read like any list or table.
    fn content<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let path = Path::Key(self.path, self.name);
        de::Deserializer::deserialize_any(
            Tree {
                value: self.value,
                path: &path,
            },
            visitor,
        )
        .map_err(|e| e.at(&path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;
    use std::collections::BTreeMap;

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Doc {
        title: String,
        #[serde(default)]
        port: u16,
        #[serde(default)]
        lessons: Vec<Lesson>,
        #[serde(default)]
        steps: BTreeMap<u32, bool>,
        #[serde(default)]
        kind: Option<Kind>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Lesson {
        id: String,
        #[serde(default)]
        pair: Option<(u8, u8)>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "kebab-case")]
    enum Kind {
        Plain,
        Sized(u32),
        Wide { columns: u16 },
    }

    /// (input, path of the failure, or "ok")
    fn table() -> Vec<(Value, &'static str)> {
        vec![
            (json!({"title": "t"}), "ok"),
            (
                json!({"title": "t", "port": 25, "steps": {"0": true, "7": false}}),
                "ok",
            ),
            (json!({"title": "t", "kind": "plain"}), "ok"),
            (json!({"title": "t", "kind": {"sized": 5}}), "ok"),
            (
                json!({"title": "t", "kind": {"wide": {"columns": 80}}}),
                "ok",
            ),
            (
                json!({"title": "t", "lessons": [{"id": "a", "pair": [1, 2]}]}),
                "ok",
            ),
            (json!({}), ""),
            (json!("doc"), ""),
            (json!({"titel": "t"}), "titel"),
            (json!({"title": 5}), "title"),
            (json!({"title": "t", "port": 70000}), "port"),
            (json!({"title": "t", "port": -1}), "port"),
            (json!({"title": "t", "port": 2.5}), "port"),
            (json!({"title": "t", "port": null}), "port"),
            (
                json!({"title": "t", "lessons": [{"id": "a"}, {"id": 1}]}),
                "lessons[1].id",
            ),
            (
                json!({"title": "t", "lessons": [{"id": "a"}, {}]}),
                "lessons[1]",
            ),
            (
                json!({"title": "t", "lessons": [{"id": "a", "x": 1}]}),
                "lessons[0].x",
            ),
            (
                json!({"title": "t", "lessons": [{"id": "a", "pair": [1, 2, 3]}]}),
                "lessons[0].pair",
            ),
            (
                json!({"title": "t", "lessons": [{"id": "a", "pair": [1, 300]}]}),
                "lessons[0].pair[1]",
            ),
            (json!({"title": "t", "lessons": {"id": "a"}}), "lessons"),
            (json!({"title": "t", "steps": {"x": true}}), "steps.x"),
            (json!({"title": "t", "steps": {"1": 1}}), "steps.1"),
            (json!({"title": "t", "kind": "round"}), "kind"),
            (json!({"title": "t", "kind": 3}), "kind"),
            (json!({"title": "t", "kind": {"plain": 1}}), "kind.plain"),
            (json!({"title": "t", "kind": {"sized": "5"}}), "kind.sized"),
            (
                json!({"title": "t", "kind": {"wide": {"rows": 1}}}),
                "kind.wide",
            ),
            (
                json!({"title": "t", "kind": {"wide": {}, "sized": 1}}),
                "kind",
            ),
        ]
    }

    #[test]
    fn failures_are_placed_at_the_innermost_value() {
        for (value, want) in table() {
            match from_value::<Doc>(&value) {
                Ok(_) => assert_eq!(want, "ok", "{value}"),
                Err(e) => assert_eq!(e.path(), want, "{value}: {e}"),
            }
        }
    }

    #[test]
    fn messages_and_results_are_serde_json_s_own() {
        for (value, _) in table() {
            let ours = from_value::<Doc>(&value).map_err(|e| e.to_string());
            let theirs = serde_json::from_value::<Doc>(value.clone()).map_err(|e| e.to_string());
            assert_eq!(ours, theirs, "{value}");
        }
    }

    #[test]
    fn structs_are_tables_only() {
        // serde_json would take the fields in order from an array; files never write one.
        let e = from_value::<Doc>(&json!(["t", 25])).expect_err("an array");
        assert_eq!(e.message(), "invalid type: sequence, expected struct Doc");
        let e = from_value::<Doc>(&json!({"title": "t", "lessons": [["a"]]})).expect_err("array");
        assert_eq!(e.path(), "lessons[0]");
    }

    #[test]
    fn paths_are_written_as_documents_write_them() {
        let root = Path::Root;
        let lessons = Path::Key(&root, "lessons");
        let first = Path::Index(&lessons, 0);
        let steps = Path::Key(&first, "steps");
        let nested = Path::Index(&Path::Index(&steps, 2), 1);
        let table: [(&Path<'_>, &str); 5] = [
            (&root, ""),
            (&lessons, "lessons"),
            (&first, "lessons[0]"),
            (&steps, "lessons[0].steps"),
            (&nested, "lessons[0].steps[2][1]"),
        ];
        for (path, want) in table {
            assert_eq!(path.to_string(), want);
        }
    }
}
