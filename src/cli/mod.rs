//! The command line: `smtp-trainer smtp|serve|replay|personas|...`. A thin edge over the core.

pub mod check;
pub mod replay;
pub mod schema;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// A simulator and trainer of the telnet-to-port-25 SMTP test against Microsoft mail servers.
#[derive(Debug, Parser)]
#[command(name = "smtp-trainer", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the server personas.
    Personas,
    /// Replay keystrokes from stdin on the simulated workstation; the screen goes to stdout.
    Replay(replay::ReplayArgs),
    /// Check scenario files (lessons, challenges, worlds); every problem with its line.
    Check(check::CheckArgs),
    /// Print the JSON Schema of the scenario file format.
    Schema,
}

/// Parses the arguments and runs the subcommand; the exit code says whether it worked.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Personas => {
            println!("exchange2003  Exchange Server 2003 on the IIS 6 SMTP service");
            ExitCode::SUCCESS
        }
        Command::Replay(args) => replay::run(args),
        Command::Check(args) => check::run(args),
        Command::Schema => schema::run(),
    }
}
