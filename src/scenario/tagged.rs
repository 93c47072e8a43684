//! Enums that files write as a table with the variant's name under a tag key:
//! `{ check = "reply-received", command = "MAIL" }`, `{ fault = "wrong-mask", mask = "..." }`.
//!
//! serde can derive that form (`#[serde(tag = "...")]`), but its deserializer buffers every
//! table into an intermediate tree and compiles each variant against a second deserializer;
//! in the browser that was about 17 KB gzip for [`crate::trainer::Check`] and
//! [`super::Fault`]. These enums therefore derive serde's default form (`{ reply-received =
//! { command = "MAIL" } }`, or the bare name for a variant without fields) and the fields that
//! hold them convert at the edge, with `serialize_with` and `deserialize_with` pointing here.
//! Files, messages and error paths are those of the derived form: an unknown name is reported
//! at the tag (`steps[0].check.check`), a problem inside the table at the table.

use super::tree;
use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::ser::{Error as _, Serialize, Serializer};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::fmt;
use std::marker::PhantomData;

/// An enum written with its variant's name under [`Tagged::TAG`].
pub trait Tagged: Serialize + DeserializeOwned {
    /// The key that names the variant.
    const TAG: &'static str;
    /// The variants' names, in declaration order (serde lists them so in messages).
    const NAMES: &'static [&'static str];
    /// What a value of the wrong kind is said to miss, as serde's derive says it.
    const EXPECTING: &'static str;
}

/// Reads one tagged table.
pub fn deserialize<'de, D: Deserializer<'de>, T: Tagged>(d: D) -> Result<T, D::Error> {
    let (name, fields) = d.deserialize_map(TableVisitor::<T>(PhantomData))?;
    from_parts::<T>(name, fields).map_err(de::Error::custom)
}

/// Reads a list of tagged tables.
pub fn deserialize_vec<'de, D: Deserializer<'de>, T: Tagged>(d: D) -> Result<Vec<T>, D::Error> {
    Vec::<Value>::deserialize(d)?
        .iter()
        .map(|v| from_value::<T>(v).map_err(de::Error::custom))
        .collect()
}

/// Reads one tagged table from a value tree.
pub fn from_value<T: Tagged>(value: &Value) -> Result<T, tree::Error> {
    tree::from_value_seed(value, TableSeed::<T>(PhantomData))
}

/// [`deserialize`] as a seed, for [`tree::from_value_seed`].
struct TableSeed<T>(PhantomData<T>);

impl<'de, T: Tagged> DeserializeSeed<'de> for TableSeed<T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        deserialize::<D, T>(d)
    }
}

/// Writes one value as a tagged table.
pub fn serialize<S: Serializer, T: Tagged>(value: &T, s: S) -> Result<S::Ok, S::Error> {
    to_table(value).map_err(S::Error::custom)?.serialize(s)
}

/// Writes a list of values as tagged tables.
pub fn serialize_vec<S: Serializer, T: Tagged>(values: &[T], s: S) -> Result<S::Ok, S::Error> {
    values
        .iter()
        .map(to_table)
        .collect::<Result<Vec<_>, _>>()
        .map_err(S::Error::custom)?
        .serialize(s)
}

/// The derived form (a bare name, or a one-entry table of the fields) as a tagged table.
fn to_table<T: Tagged>(value: &T) -> Result<Value, serde_json::Error> {
    let mut table = Map::new();
    match serde_json::to_value(value)? {
        Value::String(name) => {
            table.insert(T::TAG.into(), Value::String(name));
        }
        Value::Object(outer) => {
            for (name, fields) in outer {
                table.insert(T::TAG.into(), Value::String(name));
                if let Value::Object(fields) = fields {
                    table.extend(fields);
                }
            }
        }
        other => return Ok(other),
    }
    Ok(Value::Object(table))
}

/// A variant's name and the rest of its table, in the derived form.
fn from_parts<T: Tagged>(name: String, fields: Map<String, Value>) -> Result<T, tree::Error> {
    if fields.is_empty() {
        // A variant without fields is a bare name; one whose fields all have defaults is not.
        if let Ok(value) = tree::from_value::<T>(&Value::String(name.clone())) {
            return Ok(value);
        }
    }
    let mut outer = Map::new();
    outer.insert(name, Value::Object(fields));
    tree::from_value::<T>(&Value::Object(outer))
}

/// Reads a table into its tag and the other entries.
struct TableVisitor<T>(PhantomData<T>);

impl<'de, T: Tagged> Visitor<'de> for TableVisitor<T> {
    type Value = (String, Map<String, Value>);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut name = None;
        let mut fields = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if key == T::TAG {
                if name.is_some() {
                    return Err(de::Error::duplicate_field(T::TAG));
                }
                // Read through the map, so an unknown name is located at the tag itself.
                name = Some(map.next_value_seed(NameSeed::<T>(PhantomData))?);
            } else {
                let value = map.next_value::<Value>()?;
                fields.insert(key, value);
            }
        }
        match name {
            Some(name) => Ok((name, fields)),
            None => Err(de::Error::missing_field(T::TAG)),
        }
    }
}

/// Reads the tag's value: one of [`Tagged::NAMES`].
struct NameSeed<T>(PhantomData<T>);

impl<'de, T: Tagged> DeserializeSeed<'de> for NameSeed<T> {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl<'de, T: Tagged> Visitor<'de> for NameSeed<T> {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("variant identifier")
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<String, E> {
        if T::NAMES.contains(&name) {
            Ok(name.to_string())
        } else {
            Err(E::unknown_variant(name, T::NAMES))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Fault;
    use crate::trainer::Check;
    use serde_json::json;

    /// Every name in `NAMES` is a variant, in declaration order: the message for an unknown
    /// name is then word for word serde's own.
    fn names_match_the_enum<T: Tagged + fmt::Debug>() {
        for name in T::NAMES {
            // A known name may still lack fields, but it is never an unknown variant.
            let bare = tree::from_value::<T>(&Value::String((*name).into())).err();
            let message = bare.map(|e| e.to_string()).unwrap_or_default();
            assert!(!message.contains("unknown variant"), "{name}: {message}");
        }
        let derived = tree::from_value::<T>(&Value::String("nope".into()))
            .err()
            .map(|e| e.to_string());
        let ours = <de::value::Error as de::Error>::unknown_variant("nope", T::NAMES).to_string();
        assert_eq!(derived.as_deref(), Some(ours.as_str()));
    }

    #[test]
    fn the_name_lists_match_the_enums() {
        names_match_the_enum::<Check>();
        names_match_the_enum::<Fault>();
    }

    #[test]
    fn tables_round_trip_through_the_tagged_form() {
        let table = [
            json!({"check": "telnet-escaped"}),
            json!({"check": "telnet-closed"}),
            json!({"check": "reply-received", "command": "MAIL", "code": 250}),
            json!({"check": "any-of", "of": [{"check": "telnet-escaped"}, {"check": "ndr-in", "mailbox": "a@b"}]}),
        ];
        for tagged in table {
            let check: Check = from_value(&tagged).expect("reads");
            assert_eq!(to_table(&check).ok(), Some(tagged.clone()), "{tagged}");
        }
        let fault: Fault =
            from_value(&json!({"fault": "wrong-mask", "mask": "255.0.0.0"})).expect("reads");
        assert_eq!(
            to_table(&fault).ok(),
            Some(json!({"fault": "wrong-mask", "mask": "255.0.0.0"}))
        );
    }

    #[test]
    fn problems_name_the_tag_or_the_table() {
        // (table, a word of the message)
        let table = [
            (json!({"check": "pinged"}), "unknown variant `pinged`"),
            (json!({"command": "MAIL"}), "missing field `check`"),
            (json!({"check": 5}), "expected variant identifier"),
            (json!(5), "expected internally tagged enum Check"),
            (json!({"check": "ndr-in"}), "missing field `mailbox`"),
            (
                json!({"check": "ndr-in", "mailbox": "a", "box": 1}),
                "unknown field `box`",
            ),
        ];
        for (value, word) in table {
            match from_value::<Check>(&value) {
                Ok(_) => assert_eq!(word, "ok", "{value}"),
                Err(e) => assert!(e.to_string().contains(word), "{value}: {e}"),
            }
        }
    }
}
