//! `smtp-trainer check FILE...`: validates instructor scenario files and prints every problem
//! as `FILE:LINE: path: message`, the form editors and CI logs turn into links. A file that
//! reads well is then exercised: each `solution` is typed into the simulator and must pass
//! its lesson or reveal its challenge's fault.

use crate::scenario::ScenarioError;
use crate::trainer::file::{ScenarioFile, MAX_SCENARIO_BYTES};
use clap::Args;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Check scenario files (TOML, or JSON): every problem with its line, exit code 1 if any.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The files to check.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

/// Checks each file and prints the report; exit code 1 if any file has a problem.
pub fn run(args: CheckArgs) -> ExitCode {
    let mut ok = true;
    for path in &args.files {
        let name = path.display().to_string();
        let (text, fine) = match read_limited(path) {
            Ok(content) => report(&name, &content),
            Err(e) => (format!("{name}: {e}\n"), false),
        };
        if let Err(failure) = super::print_out(&text) {
            return failure.report();
        }
        ok &= fine;
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Reads a scenario file, refusing one over the size limit before reading it all (so
/// `/dev/zero` or a disk image is refused at once), and one that is not UTF-8 text.
pub(crate) fn read_limited(path: &Path) -> Result<String, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot open: {e}"))?;
    let mut bytes = Vec::new();
    file.take(MAX_SCENARIO_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() > MAX_SCENARIO_BYTES {
        return Err(format!(
            "larger than the limit of {MAX_SCENARIO_BYTES} bytes"
        ));
    }
    let bytes = super::edge::unmarked(bytes)?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "not UTF-8 text (byte {} is not valid); save it as UTF-8",
            e.utf8_error().valid_up_to()
        )
    })
}

/// The report for one file's text: one line per problem, or a summary line; and whether the
/// file is fine.
pub fn report(name: &str, text: &str) -> (String, bool) {
    match ScenarioFile::check(text) {
        Ok(file) => (format!("{name}: ok: {}\n", file.summary()), true),
        Err(errors) => {
            let mut out = String::new();
            for e in &errors {
                out.push_str(&problem_line(name, e));
                out.push('\n');
            }
            let n = errors.len();
            out.push_str(&format!(
                "{name}: {n} problem{}\n",
                if n == 1 { "" } else { "s" }
            ));
            (out, false)
        }
    }
}

/// `FILE:LINE: path: message`, leaving out what is unknown.
fn problem_line(name: &str, e: &ScenarioError) -> String {
    let place = match e.line {
        Some(l) => format!("{name}:{l}"),
        None => name.to_string(),
    };
    if e.path.is_empty() {
        format!("{place}: {}", e.message)
    } else {
        format!("{place}: {}: {}", e.path, e.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_say_where_and_what() {
        let table = [
            ("title = \"x\"\nworld = {}\n", true, "f.toml: ok: 1 world, 0 lessons (0 steps), 0 challenges\n"),
            ("", false, "f.toml: the file holds no world, lessons or challenges\nf.toml: 1 problem\n"),
            ("titel = 1\n", false, "f.toml:1: titel: unknown field `titel`, expected one of `title`, `world`, `lessons`, `challenges`\nf.toml: 1 problem\n"),
        ];
        for (text, fine, want) in table {
            assert_eq!(report("f.toml", text), (want.to_string(), fine), "{text:?}");
        }
    }
}
