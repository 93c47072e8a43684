//! The engine benchmark compiled to wasm and run under Node: the same workloads as the native
//! criterion benchmark (`benches/workloads`), timed with `performance.now()`, so BENCHMARKS.md
//! can put native and wasm side by side. It prints one `wasm-bench NAME VALUE UNIT` line per
//! measure; `scripts/bench.sh` runs it and collects the lines:
//!
//! `cargo test --profile bench-quick --target wasm32-unknown-unknown --test wasm_engine_bench -- --nocapture`
//!
//! `SMTP_TRAINER_BENCH_MS` (read at build time) sets the time spent on each measure; the tests
//! also check that the workloads do what they claim, in wasm as natively.
#![cfg(target_arch = "wasm32")]

#[path = "../benches/workloads/mod.rs"]
mod workloads;

use wasm_bindgen::JsCast;
use wasm_bindgen_test::{console_log, wasm_bindgen_test};
use workloads::{body, config, greeted, COMMANDS_PER_TRANSACTION, ROUNDS};

/// Milliseconds spent on each measure.
fn budget_ms() -> f64 {
    option_env!("SMTP_TRAINER_BENCH_MS")
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000.0)
}

/// `performance.now()`, Node's and the browser's monotonic clock in milliseconds.
fn now_ms() -> f64 {
    let global = js_sys::global();
    let perf = js_sys::Reflect::get(&global, &"performance".into()).ok();
    let now = perf.as_ref().and_then(|p| {
        let f = js_sys::Reflect::get(p, &"now".into()).ok()?;
        f.dyn_into::<js_sys::Function>()
            .ok()?
            .call0(p)
            .ok()?
            .as_f64()
    });
    now.unwrap_or_else(js_sys::Date::now)
}

/// Runs `setup` then times `work` on it, again and again for the budget; prints `units`
/// divided by the median time of one run, per second.
fn measure<S>(
    name: &str,
    unit: &str,
    units: f64,
    mut setup: impl FnMut() -> S,
    mut work: impl FnMut(&mut S) -> usize,
) {
    let mut times = Vec::new();
    // One untimed run first, so the engine's code is compiled by the JIT's optimising tier.
    let mut sink = work(&mut setup());
    let start = now_ms();
    while times.len() < 5 || (now_ms() - start < budget_ms() && times.len() < 100_000) {
        let mut state = setup();
        let t0 = now_ms();
        sink = sink.wrapping_add(work(&mut state));
        times.push((now_ms() - t0).max(0.001));
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    assert!(sink > 0, "{name}: the workload produced no replies");
    console_log!(
        "wasm-bench {name} {:.0} {unit} (median of {} runs)",
        units / (median / 1000.0),
        times.len()
    );
}

#[wasm_bindgen_test]
fn commands() {
    let config = config();
    // Typed byte by byte or pipelined, the replies are the same bytes.
    let whole = workloads::pipelined(&mut greeted(&config));
    let typed = workloads::one_byte_at_a_time(&mut greeted(&config));
    assert_eq!(whole, typed);
    assert!(whole > ROUNDS * 4 * "250 ".len());
    let n = (COMMANDS_PER_TRANSACTION * ROUNDS as u64) as f64;
    measure(
        "commands/pipelined",
        "commands/s",
        n,
        || greeted(&config),
        workloads::pipelined,
    );
    measure(
        "commands/one_byte_at_a_time",
        "commands/s",
        n,
        || greeted(&config),
        workloads::one_byte_at_a_time,
    );
}

#[wasm_bindgen_test]
fn data() {
    let config = config();
    let message = body(1 << 20);
    let mib = message.len() as f64 / (1024.0 * 1024.0);
    for chunk in [16 * 1024, 1460] {
        let mut check = workloads::in_data(&config);
        assert!(workloads::data(&mut check, &message, chunk) >= "250 ".len());
        measure(
            &format!("data/1MiB_in_{chunk}_byte_reads"),
            "MiB/s",
            mib,
            || workloads::in_data(&config),
            |s| workloads::data(s, &message, chunk),
        );
    }
}

#[wasm_bindgen_test]
fn sessions() {
    let config = config();
    let message = body(1000);
    let mut seed = 0;
    measure(
        "sessions/one_1kB_message_per_session",
        "sessions/s",
        1.0,
        || (),
        |()| {
            seed += 1;
            workloads::whole_session(&config, seed, &message)
        },
    );
}
