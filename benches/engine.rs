//! Engine throughput, natively: commands per second and DATA megabytes per second through one
//! `Session`, fed the way `serve` feeds it (whole reads) and the way a person's telnet does (one
//! byte at a time). The edge and sockets are measured separately by `scripts/bench.sh`.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use smtp_trainer::smtp::{ServerConfig, Session};
use std::hint::black_box;
use std::sync::Arc;

/// One transaction's commands without DATA: what a pipelining client sends per message.
const TRANSACTION: &[u8] =
    b"MAIL FROM:<sender@fabrikam.com>\r\nRCPT TO:<user@contoso.com>\r\nRSET\r\nNOOP\r\n";
const COMMANDS_PER_TRANSACTION: u64 = 4;
/// Transactions per measured batch.
const ROUNDS: usize = 250;

/// Opens a session past its greeting.
fn greeted(config: &Arc<ServerConfig>) -> Session {
    let mut s = Session::new(Arc::clone(config), "192.0.2.10", 0, 7);
    s.handle_bytes(b"EHLO client.fabrikam.com\r\n", 1);
    drain(&mut s);
    s
}

/// Takes every queued output, counting reply bytes so nothing is optimised away.
fn drain(s: &mut Session) -> usize {
    let mut n = 0;
    while let Some(out) = s.poll_output() {
        if let smtp_trainer::smtp::Output::Transmit(bytes) = out {
            n += bytes.len();
        }
    }
    n
}

fn commands(c: &mut Criterion) {
    let config = Arc::new(ServerConfig::default_world());
    let mut group = c.benchmark_group("commands");
    group.throughput(Throughput::Elements(
        COMMANDS_PER_TRANSACTION * ROUNDS as u64,
    ));
    group.bench_function("pipelined", |b| {
        b.iter_batched_ref(
            || greeted(&config),
            |s| {
                for i in 0..ROUNDS {
                    s.handle_bytes(TRANSACTION, 2 + i as u64);
                    black_box(drain(s));
                }
            },
            BatchSize::SmallInput,
        )
    });
    group.bench_function("one_byte_at_a_time", |b| {
        b.iter_batched_ref(
            || greeted(&config),
            |s| {
                for i in 0..ROUNDS {
                    for byte in TRANSACTION {
                        s.handle_bytes(std::slice::from_ref(byte), 2 + i as u64);
                        black_box(drain(s));
                    }
                }
            },
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

/// A message body of about `size` bytes: 76-character text lines, some starting with a dot.
fn body(size: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(size + 100);
    out.extend_from_slice(
        b"From: sender@fabrikam.com\r\nTo: user@contoso.com\r\nSubject: bench\r\n\r\n",
    );
    let mut i = 0u32;
    while out.len() < size {
        if i.is_multiple_of(50) {
            out.extend_from_slice(b"..a line that starts with a dot, stuffed\r\n");
        }
        out.extend_from_slice(
            format!("{i:08} the quick brown fox jumps over the lazy dog again and again\r\n")
                .as_bytes(),
        );
        i += 1;
    }
    out
}

fn data(c: &mut Criterion) {
    let config = Arc::new(ServerConfig::default_world());
    let message = body(1 << 20);
    let mut group = c.benchmark_group("data");
    group.throughput(Throughput::Bytes(message.len() as u64));
    group.sample_size(20);
    for chunk in [16 * 1024, 1460] {
        group.bench_function(format!("1MiB_in_{chunk}_byte_reads"), |b| {
            b.iter_batched_ref(
                || {
                    let mut s = greeted(&config);
                    s.handle_bytes(b"MAIL FROM:<sender@fabrikam.com>\r\nRCPT TO:<user@contoso.com>\r\nDATA\r\n", 2);
                    drain(&mut s);
                    s
                },
                |s| {
                    for part in message.chunks(chunk) {
                        s.handle_bytes(part, 3);
                        black_box(drain(s));
                    }
                    s.handle_bytes(b".\r\n", 4);
                    black_box(drain(s));
                },
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

/// Whole sessions as `smtp-source` runs them: connect, HELO, one small message, QUIT. This is
/// the engine's share of the server's one-message-per-connection load.
fn sessions(c: &mut Criterion) {
    let config = Arc::new(ServerConfig::default_world());
    let script: &[u8] = b"HELO client.fabrikam.com\r\nMAIL FROM:<sender@fabrikam.com>\r\nRCPT TO:<user@contoso.com>\r\nDATA\r\n";
    let message = body(1000);
    let mut group = c.benchmark_group("sessions");
    group.throughput(Throughput::Elements(1));
    group.bench_function("one_1kB_message_per_session", |b| {
        let mut seed = 0;
        b.iter(|| {
            seed += 1;
            let mut s = Session::new(Arc::clone(&config), "192.0.2.10", 0, seed);
            s.handle_bytes(script, 1);
            s.handle_bytes(&message, 2);
            s.handle_bytes(b".\r\nQUIT\r\n", 3);
            black_box(drain(&mut s))
        })
    });
    group.finish();
}

criterion_group!(benches, commands, data, sessions);
criterion_main!(benches);
