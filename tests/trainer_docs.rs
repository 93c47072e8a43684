//! The examples of `docs/scenario-format.md` are real: every complete TOML example (one that
//! starts with a world, lesson or challenge table) loads as a scenario file.

use smtp_trainer::trainer::file::ScenarioFile;

#[test]
fn the_documented_examples_load() {
    let doc = include_str!("../docs/scenario-format.md");
    let mut checked = 0;
    for block in doc.split("```toml\n").skip(1) {
        let Some((code, _)) = block.split_once("```") else {
            panic!("an unclosed code block");
        };
        let starts = ["[world", "[[lessons]]", "[[challenges]]"];
        if !starts.iter().any(|s| code.starts_with(s)) {
            continue;
        }
        if let Err(errors) = ScenarioFile::parse(code) {
            panic!("this example does not load: {errors:?}\n{code}");
        }
        checked += 1;
    }
    assert!(checked >= 4, "only {checked} examples found");
}
