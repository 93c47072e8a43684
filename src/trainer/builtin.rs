//! The built-in lessons and challenges: TOML files under `lessons/` and `challenges/`, in the
//! instructor format, embedded at build time so the browser needs no fetch.

use super::file::ScenarioFile;
use super::{Challenge, Lesson};
use crate::scenario::{ScenarioError, World};
use std::sync::OnceLock;

/// (path in the repository, text), in the order lessons are offered.
const FILES: &[(&str, &str)] = &[
    (
        "lessons/kb153119-basic.toml",
        include_str!("../../lessons/kb153119-basic.toml"),
    ),
    (
        "lessons/kb153119-advanced.toml",
        include_str!("../../lessons/kb153119-advanced.toml"),
    ),
    (
        "lessons/local-echo-backspace.toml",
        include_str!("../../lessons/local-echo-backspace.toml"),
    ),
    (
        "lessons/q115492-ip-tcp.toml",
        include_str!("../../lessons/q115492-ip-tcp.toml"),
    ),
    (
        "lessons/q142614-iis-gateway.toml",
        include_str!("../../lessons/q142614-iis-gateway.toml"),
    ),
    (
        "lessons/kb240832-bad-ehlo.toml",
        include_str!("../../lessons/kb240832-bad-ehlo.toml"),
    ),
    (
        "lessons/nslookup-mx.toml",
        include_str!("../../lessons/nslookup-mx.toml"),
    ),
    (
        "lessons/ehlo-damaged-link.toml",
        include_str!("../../lessons/ehlo-damaged-link.toml"),
    ),
    (
        "lessons/personas-side-by-side.toml",
        include_str!("../../lessons/personas-side-by-side.toml"),
    ),
    (
        "lessons/telnet-client-win7.toml",
        include_str!("../../lessons/telnet-client-win7.toml"),
    ),
    (
        "challenges/network.toml",
        include_str!("../../challenges/network.toml"),
    ),
    (
        "challenges/smtp.toml",
        include_str!("../../challenges/smtp.toml"),
    ),
];

/// The same files as [`FILES`] (same order, paths repeated so the app does not link the TOML
/// texts), converted to JSON by `build.rs`. Start-up parses these: JSON is much cheaper to
/// parse than TOML in the browser.
const JSON_FILES: &[(&str, &str)] = &[
    (
        "lessons/kb153119-basic.toml",
        include_str!(concat!(env!("OUT_DIR"), "/kb153119-basic.json")),
    ),
    (
        "lessons/kb153119-advanced.toml",
        include_str!(concat!(env!("OUT_DIR"), "/kb153119-advanced.json")),
    ),
    (
        "lessons/local-echo-backspace.toml",
        include_str!(concat!(env!("OUT_DIR"), "/local-echo-backspace.json")),
    ),
    (
        "lessons/q115492-ip-tcp.toml",
        include_str!(concat!(env!("OUT_DIR"), "/q115492-ip-tcp.json")),
    ),
    (
        "lessons/q142614-iis-gateway.toml",
        include_str!(concat!(env!("OUT_DIR"), "/q142614-iis-gateway.json")),
    ),
    (
        "lessons/kb240832-bad-ehlo.toml",
        include_str!(concat!(env!("OUT_DIR"), "/kb240832-bad-ehlo.json")),
    ),
    (
        "lessons/nslookup-mx.toml",
        include_str!(concat!(env!("OUT_DIR"), "/nslookup-mx.json")),
    ),
    (
        "lessons/ehlo-damaged-link.toml",
        include_str!(concat!(env!("OUT_DIR"), "/ehlo-damaged-link.json")),
    ),
    (
        "lessons/personas-side-by-side.toml",
        include_str!(concat!(env!("OUT_DIR"), "/personas-side-by-side.json")),
    ),
    (
        "lessons/telnet-client-win7.toml",
        include_str!(concat!(env!("OUT_DIR"), "/telnet-client-win7.json")),
    ),
    (
        "challenges/network.toml",
        include_str!(concat!(env!("OUT_DIR"), "/challenges-network.json")),
    ),
    (
        "challenges/smtp.toml",
        include_str!(concat!(env!("OUT_DIR"), "/challenges-smtp.json")),
    ),
];

/// Every built-in file that loads, with its path. A file that does not load is left out
/// (the tests make sure none is); [`load_errors`] says why.
pub fn files() -> &'static [(&'static str, ScenarioFile)] {
    static FILES_LOADED: OnceLock<Vec<(&'static str, ScenarioFile)>> = OnceLock::new();
    FILES_LOADED.get_or_init(|| {
        JSON_FILES
            .iter()
            .filter_map(|(path, json)| ScenarioFile::parse(json).ok().map(|f| (*path, f)))
            .collect()
    })
}

/// The problems of built-in files that do not load (empty when all is well).
pub fn load_errors() -> Vec<(&'static str, Vec<ScenarioError>)> {
    FILES
        .iter()
        .filter_map(|(path, text)| ScenarioFile::parse(text).err().map(|e| (*path, e)))
        .collect()
}

/// The raw text of a built-in file, for "open in the editor" and the documentation.
pub fn source(path: &str) -> Option<&'static str> {
    FILES.iter().find(|(p, _)| *p == path).map(|(_, t)| *t)
}

/// Every built-in lesson, in teaching order.
pub fn lessons() -> Vec<&'static Lesson> {
    files().iter().flat_map(|(_, f)| f.lessons.iter()).collect()
}

/// Every built-in challenge.
pub fn challenges() -> Vec<&'static Challenge> {
    files()
        .iter()
        .flat_map(|(_, f)| f.challenges.iter())
        .collect()
}

/// A lesson by id, with the world it runs in.
pub fn lesson(id: &str) -> Option<(&'static Lesson, World)> {
    files().iter().find_map(|(_, f)| {
        let l = f.lessons.iter().find(|l| l.id == id)?;
        f.world_for(&l.world).ok().map(|w| (l, w))
    })
}

/// A challenge by id, with its broken world.
pub fn challenge(id: &str) -> Option<(&'static Challenge, World)> {
    files().iter().find_map(|(_, f)| {
        let c = f.challenges.iter().find(|c| c.id == id)?;
        f.world_for(&c.world).ok().map(|w| (c, w))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_json_loads_as_the_toml_files() {
        assert_eq!(FILES.len(), JSON_FILES.len());
        assert_eq!(files().len(), FILES.len());
        for ((path, toml), (loaded_path, loaded)) in FILES.iter().zip(files()) {
            assert_eq!(path, loaded_path);
            assert_eq!(ScenarioFile::parse(toml).as_ref(), Ok(loaded), "{path}");
        }
    }
}
