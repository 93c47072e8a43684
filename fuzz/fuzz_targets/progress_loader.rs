//! Stored progress from a browser's localStorage or an imported file: arbitrary text into the
//! loader. Invariants: no panic; unusable text is always set aside with a message (never lost
//! silently); whatever is loaded saves and loads back to the same progress.
#![no_main]
use libfuzzer_sys::fuzz_target;
use smtp_trainer::trainer::progress::Progress;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let outcome = Progress::load(text);
    if outcome.set_aside.is_some() {
        assert!(outcome.message.is_some(), "bad data set aside without telling the learner");
    }
    let saved = outcome.progress.to_json();
    let again = Progress::load(&saved);
    assert!(again.set_aside.is_none(), "saved progress did not load back: {saved}");
    assert_eq!(again.progress.to_json(), saved, "progress changed in a save/load round trip");
    let _ = Progress::import(text);
});
