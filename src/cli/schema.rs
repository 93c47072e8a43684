//! `smtp-trainer schema`: the JSON Schema of the scenario file format, for editors that
//! complete and check TOML or JSON as it is typed (with a schema-aware TOML extension).

use super::{print_out, Failure};
use std::process::ExitCode;

/// The schema as pretty JSON.
#[cfg(feature = "schema")]
pub fn schema_json() -> Result<String, String> {
    let schema = schemars::schema_for!(crate::trainer::file::ScenarioFile);
    serde_json::to_string_pretty(&schema).map_err(|e| e.to_string())
}

/// Without the `schema` feature there is nothing to print.
#[cfg(not(feature = "schema"))]
pub fn schema_json() -> Result<String, String> {
    Err("this build has no schema support: build with the `schema` feature".into())
}

/// Prints the schema to standard output.
pub fn run() -> ExitCode {
    let printed = schema_json()
        .map_err(Failure::runtime)
        .and_then(|json| print_out(&format!("{json}\n")));
    match printed {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}
