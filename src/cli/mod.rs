//! The command line: `smtp-trainer smtp|serve|personas|web|...`. A thin edge over the core:
//! each subcommand lives in its own module with its own flags (`XxxArgs`) and `run` function,
//! so adding one is a variant here and a line in [`main`].

pub mod check;
mod edge;
pub mod replay;
pub mod schema;
mod serve;
mod stdio;
mod telnet;
mod tls;
mod web;
mod world;

pub use edge::{EdgeClock, Mailroom};
pub use serve::ServeArgs;
pub use stdio::SmtpArgs;
pub use telnet::TelnetFilter;
pub use web::{policy_for, WebArgs};
pub use world::ServerArgs;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// A simulator and trainer of the telnet-to-port-25 SMTP test against Microsoft mail servers.
#[derive(Debug, Parser)]
#[command(name = "smtp-trainer", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// One SMTP session on standard input and output, like `sendmail -bs`.
    Smtp(SmtpArgs),
    /// A real SMTP server on a TCP port (loopback by default), for telnet and mail clients.
    Serve(ServeArgs),
    /// List the server personas.
    Personas,
    /// Replay keystrokes from stdin on the simulated workstation; the screen goes to stdout.
    Replay(replay::ReplayArgs),
    /// Serve the built browser app, for a room without network.
    Web(WebArgs),
    /// Check scenario files (lessons, challenges, worlds); every problem with its line.
    Check(check::CheckArgs),
    /// Print the JSON Schema of the scenario file format.
    Schema,
}

/// Why a subcommand failed, and the exit code that says so.
#[derive(Debug)]
pub struct Failure {
    message: String,
    code: u8,
}

impl Failure {
    /// The user asked for something that cannot be: exit code 2, like clap's own errors.
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            code: 2,
        }
    }

    /// Something failed while running (a port in use, a folder not writable): exit code 1.
    pub fn runtime(message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            code: 1,
        }
    }

    /// Standard output was closed by its reader (`| head`): exit code 1, and nothing to say,
    /// as a command cut off by its pipe says nothing.
    pub fn output_closed() -> Failure {
        Failure {
            message: String::new(),
            code: 1,
        }
    }

    /// Prints the one-line `smtp-trainer: error: ...` every subcommand uses and gives the exit
    /// code.
    pub fn report(self) -> ExitCode {
        if !self.message.is_empty() {
            edge::say(&format!("smtp-trainer: error: {}", self.message));
        }
        ExitCode::from(self.code)
    }
}

/// Writes `text` to standard output, whole, without the panic `print!` gives when the reader
/// has gone away.
pub fn print_out(text: &str) -> Result<(), Failure> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::BrokenPipe => Failure::output_closed(),
            _ => Failure::runtime(format!("cannot write to standard output: {e}")),
        })
}

/// Parses the arguments and runs the subcommand; the exit code says whether it worked.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e),
    };
    let result = match cli.command {
        Command::Replay(args) => return replay::run(args),
        Command::Check(args) => return check::run(args),
        Command::Schema => return schema::run(),
        Command::Smtp(ref args) => stdio::run(args),
        Command::Serve(ref args) => serve::run(args),
        Command::Personas => list_personas(),
        Command::Web(ref args) => web::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}

/// What clap found wrong with the arguments, said like every other failure (`smtp-trainer:
/// error: ...`, exit code 2), so a script or a trainer reading the output sees one form; help
/// and version requests print as clap prints them.
fn usage_error(e: &clap::Error) -> ExitCode {
    if !e.use_stderr() {
        let _ = e.print();
        return ExitCode::SUCCESS;
    }
    let text = e.render().to_string();
    if text.starts_with("error:") {
        eprint!("smtp-trainer: {text}");
    } else {
        eprint!("{text}");
    }
    ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2))
}

/// Prints each persona id and its description in aligned columns.
fn list_personas() -> Result<(), Failure> {
    let personas = world::personas();
    let width = personas.iter().map(|(id, _)| id.len()).max().unwrap_or(0);
    let text: String = personas
        .into_iter()
        .map(|(id, description)| format!("{id:width$}  {description}\n"))
        .collect();
    print_out(&text)
}
