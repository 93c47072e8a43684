//! The engine workloads, shared by the native criterion benchmark (`benches/engine.rs`) and the
//! same measurements compiled to wasm and run in Node (`tests/wasm_engine_bench.rs`), so the
//! two columns of BENCHMARKS.md measure exactly the same work.

use smtp_trainer::smtp::{Output, ServerConfig, Session};
use std::sync::Arc;

/// One transaction's commands without DATA: what a pipelining client sends per message.
pub const TRANSACTION: &[u8] =
    b"MAIL FROM:<sender@fabrikam.com>\r\nRCPT TO:<user@contoso.com>\r\nRSET\r\nNOOP\r\n";
/// Commands in [`TRANSACTION`].
pub const COMMANDS_PER_TRANSACTION: u64 = 4;
/// Transactions per measured batch.
pub const ROUNDS: usize = 250;
/// The envelope of [`whole_session`], up to the start of the message.
pub const ENVELOPE: &[u8] =
    b"HELO client.fabrikam.com\r\nMAIL FROM:<sender@fabrikam.com>\r\nRCPT TO:<user@contoso.com>\r\nDATA\r\n";

/// The default world's server, as `serve` and the browser run it.
pub fn config() -> Arc<ServerConfig> {
    Arc::new(ServerConfig::default_world())
}

/// Opens a session past its greeting.
pub fn greeted(config: &Arc<ServerConfig>) -> Session {
    let mut s = Session::new(Arc::clone(config), "192.0.2.10", 0, 7);
    s.handle_bytes(b"EHLO client.fabrikam.com\r\n", 1);
    drain(&mut s);
    s
}

/// Takes every queued output, counting reply bytes so nothing is optimised away.
pub fn drain(s: &mut Session) -> usize {
    let mut n = 0;
    while let Some(out) = s.poll_output() {
        if let Output::Transmit(bytes) = out {
            n += bytes.len();
        }
    }
    n
}

/// [`ROUNDS`] transactions, each arriving as one read (a pipelining client).
pub fn pipelined(s: &mut Session) -> usize {
    let mut n = 0;
    for i in 0..ROUNDS {
        s.handle_bytes(TRANSACTION, 2 + i as u64);
        n += drain(s);
    }
    n
}

/// [`ROUNDS`] transactions typed one byte at a time (Microsoft Telnet).
pub fn one_byte_at_a_time(s: &mut Session) -> usize {
    let mut n = 0;
    for i in 0..ROUNDS {
        for byte in TRANSACTION {
            s.handle_bytes(std::slice::from_ref(byte), 2 + i as u64);
            n += drain(s);
        }
    }
    n
}

/// A message body of about `size` bytes: 76-character text lines, some starting with a dot.
pub fn body(size: usize) -> Vec<u8> {
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

/// A session inside DATA, ready for a message body.
pub fn in_data(config: &Arc<ServerConfig>) -> Session {
    let mut s = greeted(config);
    s.handle_bytes(
        b"MAIL FROM:<sender@fabrikam.com>\r\nRCPT TO:<user@contoso.com>\r\nDATA\r\n",
        2,
    );
    drain(&mut s);
    s
}

/// Feeds `message` in reads of `chunk` bytes, then the end of data.
pub fn data(s: &mut Session, message: &[u8], chunk: usize) -> usize {
    let mut n = 0;
    for part in message.chunks(chunk) {
        s.handle_bytes(part, 3);
        n += drain(s);
    }
    s.handle_bytes(b".\r\n", 4);
    n + drain(s)
}

/// A whole session as `smtp-source` runs it: connect, HELO, one small message, QUIT. This is
/// the engine's share of the server's one-message-per-connection load.
pub fn whole_session(config: &Arc<ServerConfig>, seed: u64, message: &[u8]) -> usize {
    let mut s = Session::new(Arc::clone(config), "192.0.2.10", 0, seed);
    s.handle_bytes(ENVELOPE, 1);
    s.handle_bytes(message, 2);
    s.handle_bytes(b".\r\nQUIT\r\n", 3);
    drain(&mut s)
}
