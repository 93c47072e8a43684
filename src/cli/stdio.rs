//! `smtp-trainer smtp`: one SMTP session on standard input and output, like `sendmail -bs`.
//!
//! The banner comes first, then a reply for each command. Lines typed or piped in may end in LF
//! or CRLF: a bare LF becomes CRLF before the engine sees it, because a person at a terminal or
//! a here-document cannot type CRLF and the engine (rightly) treats bare LF as a persona would.
//! Replies end in CRLF. When the server closes the session the program exits at once, without
//! reading what is left; end of input ends the session quietly, once the replies a tarpit
//! holds back (Exchange 2016 delays its refusals) have been written.

use super::edge::{Drained, EdgeClock, Mailroom};
use super::world::ServerArgs;
use super::Failure;
use crate::smtp::{ReplyKey, ServerConfig, Session};
use clap::Args;
use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Arc;

/// Flags of `smtp-trainer smtp`.
#[derive(Debug, Args)]
pub struct SmtpArgs {
    #[command(flatten)]
    pub server: ServerArgs,
    /// Write delivered messages as .eml files under DIR/<mailbox>/ (otherwise each delivery
    /// is only reported on stderr, since stdout carries the session).
    #[arg(long, value_name = "DIR")]
    pub maildir: Option<PathBuf>,
}

/// Runs the subcommand on the process's standard streams.
pub fn run(args: &SmtpArgs) -> Result<(), Failure> {
    let clock = EdgeClock::start();
    let config = args
        .server
        .config(clock.epoch_unix_secs())
        .map_err(Failure::usage)?;
    let mailroom = match &args.maildir {
        Some(dir) => Mailroom::maildir(dir).map_err(Failure::runtime)?,
        None => Mailroom::Discard,
    };
    let stdout = io::stdout();
    session(
        config,
        clock,
        &mailroom,
        io::stdin(),
        stdout.lock(),
        io::stderr(),
    )
    .map_err(|e| match e.kind() {
        // `smtp-trainer smtp | head`: the reader went away, which is no failure to report.
        io::ErrorKind::BrokenPipe => Failure::output_closed(),
        _ => Failure::runtime(format!("smtp session failed: {e}")),
    })
}

/// Plays one session between `input` and `output`; deliveries are stored in `mailroom` and
/// reported on `log`. Returns when the server closes, or when the input has ended and every
/// reply owed for it has been written.
pub fn session<R, W, L>(
    config: Arc<ServerConfig>,
    clock: EdgeClock,
    mailroom: &Mailroom,
    input: R,
    mut output: W,
    mut log: L,
) -> io::Result<()>
where
    R: Read + Send + 'static,
    W: Write,
    L: Write,
{
    // Reads happen on their own thread so the session's idle timer can fire while a read
    // blocks. The channel holds few chunks: a fast producer waits for the engine.
    let (tx, rx) = mpsc::sync_channel::<io::Result<Vec<u8>>>(2);
    std::thread::spawn(move || read_chunks(input, &tx));

    let seed = clock.epoch_unix_secs().unsigned_abs() ^ u64::from(std::process::id());
    let mut session = Session::new(config, "127.0.0.1", clock.now(), seed);
    let mut line_ends = LineEnds::default();
    let mut batch = Drained::default();
    let mut normalized = Vec::new();
    loop {
        batch.clear();
        batch.take_from(&mut session);
        for msg in &batch.delivered {
            if let Err(e) = mailroom.deliver(msg) {
                // As `serve` does: the client reads why instead of the 250, then the end.
                let reply = session.config().edge_reply(ReplyKey::ServiceUnavailable);
                let _ = output.write_all(&reply).and_then(|()| output.flush());
                return Err(e);
            }
            let from = if msg.from.is_empty() { "<>" } else { &msg.from };
            writeln!(
                log,
                "smtp-trainer: delivered a message for {} from {} ({} bytes)",
                msg.mailbox,
                from,
                msg.octets().len()
            )?;
        }
        output.write_all(&batch.bytes)?;
        output.flush()?;
        if batch.awaiting_tls {
            writeln!(log, "smtp-trainer: {}", super::edge::STARTTLS_PLAIN_NOTE)?;
        }
        if batch.close || session.is_closed() {
            return Ok(());
        }
        let received = match session.poll_timeout() {
            // As Exchange does, nothing more is read while a refusal is held: what the client
            // sent meanwhile waits in the pipe, so memory stays bounded and the end of input
            // cannot cut off a reply that is owed.
            Some(at) if session.is_tarpitting() => {
                std::thread::sleep(clock.until(at));
                Err(RecvTimeoutError::Timeout)
            }
            Some(at) => rx.recv_timeout(clock.until(at)),
            None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        match received {
            Ok(Ok(chunk)) => {
                normalized.clear();
                line_ends.normalize(&chunk, &mut normalized);
                session.handle_bytes(&normalized, clock.now());
            }
            Ok(Err(e)) => return Err(e),
            Err(RecvTimeoutError::Timeout) => session.handle_timeout(clock.now()),
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        }
    }
}

/// Sends what `input` yields, chunk by chunk, until end of input (the sender is then dropped,
/// which the session loop reads as end of input) or until the session loop has gone.
fn read_chunks<R: Read>(mut input: R, tx: &mpsc::SyncSender<io::Result<Vec<u8>>>) {
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        match input.read(&mut buf) {
            Ok(0) => return,
            Ok(n) => {
                if tx.send(Ok(buf[..n].to_vec())).is_err() {
                    return;
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                let _ = tx.send(Err(e));
                return;
            }
        }
    }
}

/// Turns bare LF into CRLF, remembering across chunks whether the last byte was a CR.
#[derive(Debug, Default)]
struct LineEnds {
    after_cr: bool,
}

impl LineEnds {
    fn normalize(&mut self, chunk: &[u8], out: &mut Vec<u8>) {
        out.reserve(chunk.len() + chunk.len() / 32);
        for &b in chunk {
            if b == b'\n' && !self.after_cr {
                out.push(b'\r');
            }
            out.push(b);
            self.after_cr = b == b'\r';
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_lf_becomes_crlf_in_any_split() {
        let cases: &[(&[&[u8]], &[u8])] = &[
            (&[b"HELO a\n"], b"HELO a\r\n"),
            (&[b"HELO a\r\n"], b"HELO a\r\n"),
            (&[b"HELO a\r", b"\nQUIT\n"], b"HELO a\r\nQUIT\r\n"),
            (&[b"\n\n"], b"\r\n\r\n"),
            (&[b"a\rb\n"], b"a\rb\r\n"),
        ];
        for (chunks, want) in cases {
            let mut ends = LineEnds::default();
            let mut out = Vec::new();
            for c in *chunks {
                ends.normalize(c, &mut out);
            }
            assert_eq!(&out, want, "{chunks:?}");
        }
    }

    #[test]
    fn session_answers_and_stops_at_quit_without_reading_on() {
        let input = io::Cursor::new(b"QUIT\nNOOP\n".to_vec());
        let (mut out, mut log) = (Vec::new(), Vec::new());
        let config = Arc::new(ServerConfig::default_world());
        session(
            config,
            EdgeClock::start(),
            &Mailroom::Discard,
            input,
            &mut out,
            &mut log,
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("220 mail.contoso.com "), "{text}");
        assert!(
            text.ends_with(
                "\r\n221 2.0.0 mail.contoso.com Service closing transmission channel\r\n"
            ),
            "{text}"
        );
        assert_eq!(text.matches("\r\n").count(), 2, "{text}");
    }

    #[test]
    fn end_of_input_ends_the_session_quietly() {
        let input = io::Cursor::new(Vec::new());
        let mut out = Vec::new();
        let config = Arc::new(ServerConfig::default_world());
        session(
            config,
            EdgeClock::start(),
            &Mailroom::Discard,
            input,
            &mut out,
            io::sink(),
        )
        .unwrap();
        assert!(out.starts_with(b"220 "));
    }
}
