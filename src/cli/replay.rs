//! `smtp-trainer replay`: keystrokes from standard input through the simulated workstation,
//! the screen to standard output. Deterministic: the same input, scenario and seed always give
//! the same bytes out, however fast the machine.

use crate::scenario::{ScenarioError, WindowsVersion, World};
use crate::trainer::file::ScenarioFile;
use crate::windows::{drive, Workstation};
use clap::Args;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Largest input read from stdin; a learner's session is a few kilobytes.
const MAX_INPUT: u64 = 64 * 1024 * 1024;

/// Replay keystrokes (CR or LF is Enter, 0x08 Backspace, 0x1D Ctrl+], 0x03 Ctrl+C) from
/// standard input on the simulated workstation, printing everything the console shows; a
/// screen clear is a form feed on a line of its own. Each key is typed once the simulation
/// is idle; simulated time jumps over waits.
#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// A scenario file (TOML or JSON, see docs/scenario-format.md) whose `[world]` to run in;
    /// the default world without it.
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
    /// The Windows version of the workstation (overrides the scenario's).
    #[arg(long, value_name = "win2000|xp|win2003|win7|win10")]
    pub os: Option<WindowsVersion>,
    /// The persona of the main mail server (overrides the scenario's; see `smtp-trainer
    /// personas`).
    #[arg(long, value_name = "ID", value_parser = super::world::persona_ids(), hide_possible_values = true)]
    pub persona: Option<String>,
    /// Seed for everything random (ports, round trip times, message ids).
    #[arg(long, default_value_t = 0, allow_negative_numbers = true)]
    pub seed: u64,
}

/// The world of a scenario file (its `[world]` table, as `docs/scenario-format.md` describes
/// the format), or of a file that holds a bare world (`[workstation]`, `[[hosts]]`, `faults`).
/// Problems are those of the documented format when the text is neither.
fn world_of(text: &str) -> Result<World, Vec<ScenarioError>> {
    match ScenarioFile::parse(text) {
        Ok(ScenarioFile {
            world: Some(world), ..
        }) => Ok(world),
        Ok(_) => Err(vec![ScenarioError {
            path: "world".into(),
            line: None,
            message: "the file has no [world] table for replay to run in (its lessons and \
                      challenges run in the browser)"
                .into(),
        }]),
        // A bare world may leave everything at its default, but a file with nothing in it
        // (empty, or comments only) is more likely a mistake than a request for the default
        // world: it is refused with `check`'s message.
        Err(errors) if holds_nothing(text) => Err(errors),
        Err(errors) => World::parse(text).map_err(|_| errors),
    }
}

/// True when a TOML text has no key, table or value: only blank lines and comments.
fn holds_nothing(text: &str) -> bool {
    text.lines().all(|line| {
        let line = line.trim();
        line.is_empty() || line.starts_with('#')
    })
}

fn load_world(args: &ReplayArgs) -> Result<World, String> {
    let mut world = match &args.scenario {
        None => World::default(),
        Some(path) => {
            let text = super::check::read_limited(path)
                .map_err(|e| format!("--scenario '{}': {e}", path.display()))?;
            world_of(&text).map_err(|errors| {
                let lines: Vec<String> = errors
                    .iter()
                    .map(|e| format!("{}: {e}", path.display()))
                    .collect();
                lines.join("\n")
            })?
        }
    };
    if let Some(os) = args.os {
        world.workstation.os = os;
    }
    if let Some(p) = &args.persona {
        world.set_mail_persona(p)?;
    }
    Ok(world)
}

/// Runs the replay; exit code 0 on success, 2 on a bad scenario or unreadable input.
pub fn run(args: ReplayArgs) -> ExitCode {
    let world = match load_world(&args) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("smtp-trainer: error: {e}");
            return ExitCode::from(2);
        }
    };
    if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        // Typed at a terminal, nothing shows until the input ends: say so, or it looks hung.
        super::edge::say(
            "smtp-trainer: type the keystrokes, then Ctrl+D on a line of its own: the screen is replayed after the end of input (pipe a file in to replay it directly)",
        );
    }
    let mut input = Vec::new();
    // One byte over the limit is read, so a longer input is refused rather than cut short.
    if let Err(e) = std::io::stdin().take(MAX_INPUT + 1).read_to_end(&mut input) {
        eprintln!("smtp-trainer: error: cannot read standard input: {e}");
        return ExitCode::from(2);
    }
    if input.len() as u64 > MAX_INPUT {
        eprintln!(
            "smtp-trainer: error: standard input is over {} MB of keystrokes; replay a shorter session",
            MAX_INPUT / (1024 * 1024)
        );
        return ExitCode::from(2);
    }
    let input = match super::edge::unmarked(input) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("smtp-trainer: error: standard input is {e}");
            return ExitCode::from(2);
        }
    };
    let keys = drive::keys_from_bytes(&input);
    let mut ws = Workstation::new(world, args.seed, 0);
    let mut now = 0;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed = false;
    drive::replay(&mut ws, &keys, &mut now, &mut |s| {
        if !failed && out.write_all(s.as_bytes()).is_err() {
            failed = true;
        }
    });
    if failed || out.flush().is_err() {
        // A closed pipe (`| head`) is not an error worth a message.
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
