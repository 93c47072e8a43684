//! The `smtp-trainer` binary: the browser app when built for wasm, the command line natively.

#[cfg(target_arch = "wasm32")]
fn main() {
    smtp_trainer::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    smtp_trainer::cli::main()
}
