//! Scenario files from anywhere: arbitrary text into the TOML/JSON loader. Invariants: no panic;
//! a rejected file always comes with at least one located, non-empty message; an accepted world
//! can start a workstation.
#![no_main]
use libfuzzer_sys::fuzz_target;
use smtp_trainer::scenario::World;
use smtp_trainer::windows::Workstation;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match World::parse(text) {
        Ok(world) => {
            let _ = Workstation::new(world, 1, 0);
        }
        Err(errors) => {
            assert!(!errors.is_empty(), "rejected without a reason");
            for e in &errors {
                assert!(!e.to_string().is_empty(), "empty error message");
            }
        }
    }
});
