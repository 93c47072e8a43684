//! The learner's progress in the browser's localStorage, failing softly.
//!
//! Storage can be missing (an old or locked-down browser), blocked (cookies off, a sandboxed
//! iframe), full, or hold text that is corrupt or from another version. None of that may break
//! the app: progress then lives in memory, a copy that cannot be read is kept aside under
//! [`SET_ASIDE_KEY`] rather than overwritten, and the learner is told once, in plain words.
//!
//! Several embeds of the app on one page share one storage: every write first re-reads what
//! the others stored, so one iframe does not wipe out another's progress.

use crate::trainer::progress::{SET_ASIDE_KEY, STORAGE_KEY};
use crate::trainer::Progress;

/// Where progress text is kept: localStorage in the page, a map in tests.
pub trait KeyValue {
    /// The text under `key`; `Ok(None)` when there is none, `Err` when storage refused.
    fn get(&self, key: &str) -> Result<Option<String>, String>;
    /// Stores `value` under `key`; `Err` when storage is full or refused.
    fn set(&mut self, key: &str, value: &str) -> Result<(), String>;
}

/// The page's localStorage, looked up on every call (a blocked storage throws on access).
#[derive(Debug, Default, Clone, Copy)]
pub struct LocalStorage;

impl LocalStorage {
    fn storage() -> Result<web_sys::Storage, String> {
        let window = web_sys::window().ok_or("there is no window")?;
        match window.local_storage() {
            Ok(Some(s)) => Ok(s),
            Ok(None) => Err("this browser has no local storage".into()),
            Err(_) => Err("the browser blocks local storage for this page".into()),
        }
    }
}

impl KeyValue for LocalStorage {
    fn get(&self, key: &str) -> Result<Option<String>, String> {
        Self::storage()?
            .get_item(key)
            .map_err(|_| "the browser refused to read local storage".to_string())
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        Self::storage()?
            .set_item(key, value)
            .map_err(|_| "the browser's storage is full or refuses writes".to_string())
    }
}

/// Progress and the storage it is kept in.
pub struct ProgressStore {
    progress: Progress,
    backend: Box<dyn KeyValue>,
    /// The text last read or written, to tell whether another embed changed it since.
    last_text: Option<String>,
    /// Whether a failure to save was already reported (said once, not on every step).
    told_failure: bool,
}

impl ProgressStore {
    /// Opens the page's localStorage.
    pub fn open_local() -> (ProgressStore, Option<String>) {
        ProgressStore::open(Box::new(LocalStorage))
    }

    /// Reads stored progress from `backend`. Returns the store and a message to show once
    /// (storage unavailable, data unreadable and set aside, data migrated), if any.
    pub fn open(backend: Box<dyn KeyValue>) -> (ProgressStore, Option<String>) {
        let mut store = ProgressStore {
            progress: Progress::default(),
            backend,
            last_text: None,
            told_failure: false,
        };
        let text = match store.backend.get(STORAGE_KEY) {
            Ok(text) => text.unwrap_or_default(),
            Err(why) => {
                store.told_failure = true;
                return (store, Some(unavailable(&why)));
            }
        };
        let outcome = Progress::load(&text);
        store.progress = outcome.progress;
        let mut message = outcome.message;
        if let Some(bad) = outcome.set_aside {
            // Keep the unreadable copy before anything overwrites it.
            if let Err(why) = store.backend.set(SET_ASIDE_KEY, &bad) {
                message = Some(format!(
                    "{} (Keeping the old copy aside failed too: {why}.)",
                    message.unwrap_or_default()
                ));
            }
            // A failure here is reported on the next save; the message above comes first.
            let _ = store.write_now();
        } else if outcome.migrated_from.is_some() {
            let _ = store.write_now();
        } else {
            store.last_text = Some(text);
        }
        (store, message)
    }

    /// The current progress.
    pub fn progress(&self) -> &Progress {
        &self.progress
    }

    /// Changes progress with `change` and saves it. Another embed's newer copy is read first,
    /// so both are kept. Returns a message the first time saving fails.
    pub fn update(&mut self, change: impl FnOnce(&mut Progress)) -> Option<String> {
        self.reread();
        change(&mut self.progress);
        self.save()
    }

    /// Replaces progress (an import, a reset) and saves it.
    pub fn replace(&mut self, progress: Progress) -> Option<String> {
        self.progress = progress;
        self.save()
    }

    /// The JSON a learner downloads to keep or move their progress.
    pub fn export_json(&self) -> String {
        self.progress.to_json()
    }

    /// Takes what another embed stored since our last read, when it is readable progress.
    fn reread(&mut self) {
        let Ok(Some(text)) = self.backend.get(STORAGE_KEY) else {
            return;
        };
        if self.last_text.as_deref() == Some(text.as_str()) {
            return;
        }
        if let Ok(theirs) = Progress::import(&text) {
            self.progress = theirs;
            self.last_text = Some(text);
        }
    }

    fn save(&mut self) -> Option<String> {
        match self.write_now() {
            Ok(()) => None,
            Err(why) if !self.told_failure => {
                self.told_failure = true;
                Some(format!(
                    "Your progress could not be saved ({why}). It is kept until this page is closed: use \"Export progress\" to keep a copy."
                ))
            }
            Err(_) => None,
        }
    }

    fn write_now(&mut self) -> Result<(), String> {
        let text = self.progress.to_json();
        self.backend.set(STORAGE_KEY, &text)?;
        self.last_text = Some(text);
        Ok(())
    }
}

fn unavailable(why: &str) -> String {
    format!(
        "Progress cannot be kept in this browser ({why}). It lasts until this page is closed: use \"Export progress\" to keep a copy."
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trainer::RunEvent;
    use std::cell::RefCell;
    use std::collections::HashMap;
    use std::rc::Rc;
    use wasm_bindgen_test::wasm_bindgen_test;

    /// A storage shared between "embeds", able to fail on demand.
    #[derive(Clone, Default)]
    struct Fake {
        map: Rc<RefCell<HashMap<String, String>>>,
        refuse_reads: bool,
        full: bool,
    }

    impl KeyValue for Fake {
        fn get(&self, key: &str) -> Result<Option<String>, String> {
            if self.refuse_reads {
                return Err("blocked".into());
            }
            Ok(self.map.borrow().get(key).cloned())
        }
        fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
            if self.full {
                return Err("full".into());
            }
            self.map.borrow_mut().insert(key.into(), value.into());
            Ok(())
        }
    }

    fn completed(id: &str) -> impl FnOnce(&mut Progress) + '_ {
        move |p: &mut Progress| {
            p.record_lesson_event(
                id,
                &RunEvent::LessonCompleted {
                    took: 10,
                    hints: 0,
                    watched: false,
                },
            )
        }
    }

    #[wasm_bindgen_test]
    fn progress_survives_a_reopen() {
        let fake = Fake::default();
        let (mut store, said) = ProgressStore::open(Box::new(fake.clone()));
        assert_eq!(said, None);
        assert_eq!(store.update(completed("a")), None);
        let (again, said) = ProgressStore::open(Box::new(fake));
        assert_eq!(said, None);
        assert!(again.progress().lesson_completed("a"));
    }

    #[wasm_bindgen_test]
    fn unreadable_text_is_kept_aside_and_said_once() {
        for bad in ["{not json", "{\"version\": 99}", "[]"] {
            let fake = Fake::default();
            fake.map.borrow_mut().insert(STORAGE_KEY.into(), bad.into());
            let (store, said) = ProgressStore::open(Box::new(fake.clone()));
            assert!(said.is_some_and(|s| s.contains("kept aside")), "{bad}");
            assert_eq!(store.progress(), &Progress::default());
            assert_eq!(
                fake.map.borrow().get(SET_ASIDE_KEY).map(String::as_str),
                Some(bad)
            );
            // The fresh copy replaced it: the next visit has nothing to say.
            let (_, said) = ProgressStore::open(Box::new(fake));
            assert_eq!(said, None, "{bad}");
        }
    }

    #[wasm_bindgen_test]
    fn blocked_or_full_storage_keeps_progress_in_memory_and_says_so_once() {
        let blocked = Fake {
            refuse_reads: true,
            full: true,
            ..Fake::default()
        };
        let (mut store, said) = ProgressStore::open(Box::new(blocked));
        assert!(said.is_some_and(|s| s.contains("blocked")));
        assert_eq!(store.update(completed("a")), None);
        assert!(store.progress().lesson_completed("a"));

        let full = Fake {
            full: true,
            ..Fake::default()
        };
        let (mut store, said) = ProgressStore::open(Box::new(full));
        assert_eq!(said, None);
        assert!(store
            .update(completed("a"))
            .is_some_and(|s| s.contains("full")));
        assert_eq!(store.update(completed("b")), None);
        assert!(store.progress().lesson_completed("b"));
    }

    #[wasm_bindgen_test]
    fn two_embeds_on_one_page_keep_each_others_progress() {
        let shared = Fake::default();
        let (mut one, _) = ProgressStore::open(Box::new(shared.clone()));
        let (mut two, _) = ProgressStore::open(Box::new(shared.clone()));
        one.update(completed("a"));
        two.update(completed("b"));
        let (three, _) = ProgressStore::open(Box::new(shared));
        assert!(three.progress().lesson_completed("a"));
        assert!(three.progress().lesson_completed("b"));
    }

    #[wasm_bindgen_test]
    fn older_versions_are_migrated_and_rewritten() {
        let fake = Fake::default();
        fake.map.borrow_mut().insert(
            STORAGE_KEY.into(),
            "{\"version\": 1, \"completed_lessons\": [\"a\"]}".into(),
        );
        let (store, said) = ProgressStore::open(Box::new(fake.clone()));
        assert!(said.is_some());
        assert!(store.progress().lesson_completed("a"));
        let (_, said) = ProgressStore::open(Box::new(fake));
        assert_eq!(said, None);
    }
}
