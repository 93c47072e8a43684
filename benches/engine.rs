//! Engine throughput, natively: commands per second and DATA megabytes per second through one
//! `Session`, fed the way `serve` feeds it (whole reads) and the way a person's telnet does (one
//! byte at a time). The edge and sockets are measured separately by `scripts/bench.sh`; the same
//! workloads run in wasm under Node in `tests/wasm_engine_bench.rs`.

mod workloads;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use std::hint::black_box;
use workloads::{body, config, greeted, COMMANDS_PER_TRANSACTION, ROUNDS};

fn commands(c: &mut Criterion) {
    let config = config();
    let mut group = c.benchmark_group("commands");
    group.throughput(Throughput::Elements(
        COMMANDS_PER_TRANSACTION * ROUNDS as u64,
    ));
    group.bench_function("pipelined", |b| {
        b.iter_batched_ref(
            || greeted(&config),
            |s| black_box(workloads::pipelined(s)),
            BatchSize::SmallInput,
        )
    });
    group.bench_function("one_byte_at_a_time", |b| {
        b.iter_batched_ref(
            || greeted(&config),
            |s| black_box(workloads::one_byte_at_a_time(s)),
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

fn data(c: &mut Criterion) {
    let config = config();
    let message = body(1 << 20);
    let mut group = c.benchmark_group("data");
    group.throughput(Throughput::Bytes(message.len() as u64));
    group.sample_size(20);
    for chunk in [16 * 1024, 1460] {
        group.bench_function(format!("1MiB_in_{chunk}_byte_reads"), |b| {
            b.iter_batched_ref(
                || workloads::in_data(&config),
                |s| black_box(workloads::data(s, &message, chunk)),
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

fn sessions(c: &mut Criterion) {
    let config = config();
    let message = body(1000);
    let mut group = c.benchmark_group("sessions");
    group.throughput(Throughput::Elements(1));
    group.bench_function("one_1kB_message_per_session", |b| {
        let mut seed = 0;
        b.iter(|| {
            seed += 1;
            black_box(workloads::whole_session(&config, seed, &message))
        })
    });
    group.finish();
}

criterion_group!(benches, commands, data, sessions);
criterion_main!(benches);
