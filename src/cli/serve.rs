//! `smtp-trainer serve`: the engine behind a real TCP socket (tokio), one [`Session`] per
//! connection.
//!
//! Each connection reads into one fixed buffer and hands the bytes straight to its session, so
//! memory per connection stays bounded whatever the client streams (the engine bounds what it
//! keeps of a message). What the session queues is handled in one batch: delivered messages are
//! stored first, then all reply bytes go out in a single write, so a client never reads a 250
//! for mail that is not stored and a pipelining client gets its replies in one segment.
//!
//! Time is the session's: its `poll_timeout` deadline (the idle timeout, which `--idle-timeout`
//! sets) becomes a tokio sleep, and the session words the timeout as its persona did. The edge
//! adds only what a session cannot know: the connection limit, a bound on writes to a client
//! that does not read, and shutdown (Ctrl+C or SIGTERM stop accepting, let sessions in flight
//! finish for `--grace` seconds, then tell the rest the server is closing).

use super::edge::{utc_stamp, Drained, EdgeClock, Mailroom};
use super::telnet::{escape_output, TelnetFilter};
use super::world::{edge_reply, EdgeReply, ServerArgs};
use super::Failure;
use crate::smtp::{LimitOverrides, ServerConfig, Session};
use clap::Args;
use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;

/// Flags of `smtp-trainer serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on; loopback unless you say otherwise. Port 0 picks a free
    /// port (the one chosen is printed on stderr).
    #[arg(long, default_value = "127.0.0.1:2525", value_name = "ADDR:PORT")]
    pub listen: SocketAddr,
    #[command(flatten)]
    pub server: ServerArgs,
    /// Sessions open at once; one more is answered with 421 and closed.
    #[arg(long, default_value_t = 100, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,
    /// Seconds without a byte from the client before the server gives up, with the persona's
    /// own reply [default: the persona's limit, 5 or 10 minutes].
    #[arg(long, value_name = "S", value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub idle_timeout: Option<u64>,
    /// Write delivered messages as .eml files under DIR/<mailbox>/ instead of printing them.
    #[arg(long, value_name = "DIR")]
    pub maildir: Option<PathBuf>,
    /// On Ctrl+C or SIGTERM, seconds sessions in flight may take to finish before they are
    /// told the server is closing.
    #[arg(long, default_value_t = 10, value_name = "S", value_parser = clap::value_parser!(u64).range(0..=3_600))]
    pub grace: u64,
}

/// What every connection task shares.
struct Shared {
    config: Arc<ServerConfig>,
    mailroom: Arc<Mailroom>,
    clock: EdgeClock,
    /// How long a write may wait for a client that does not read its replies.
    write_limit: Duration,
    grace: Duration,
    /// Sessions open now, for the connection limit.
    active: AtomicUsize,
    max_connections: usize,
    /// Numbers sessions, for seeds and log lines.
    next_id: AtomicU64,
}

/// Runs the server until Ctrl+C or SIGTERM.
pub fn run(args: &ServeArgs) -> Result<(), Failure> {
    let clock = EdgeClock::start();
    let limits = args.idle_timeout.map(|secs| LimitOverrides {
        idle_timeout_secs: Some(secs),
        ..LimitOverrides::default()
    });
    let config = args
        .server
        .config(limits, Some(clock.epoch_unix_secs()))
        .map_err(Failure::usage)?;
    let mailroom = match &args.maildir {
        Some(dir) => Mailroom::maildir(dir).map_err(Failure::runtime)?,
        None => Mailroom::Print,
    };
    let write_limit = Duration::from_secs(config.limits.idle_timeout_secs.max(1));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::runtime(format!("cannot start the async runtime: {e}")))?;
    let shared = Arc::new(Shared {
        config,
        mailroom: Arc::new(mailroom),
        clock,
        write_limit,
        grace: Duration::from_secs(args.grace),
        active: AtomicUsize::new(0),
        max_connections: usize::try_from(args.max_connections).unwrap_or(usize::MAX),
        next_id: AtomicU64::new(1),
    });
    runtime.block_on(serve(args.listen, shared))
}

async fn serve(listen: SocketAddr, shared: Arc<Shared>) -> Result<(), Failure> {
    let listener = TcpListener::bind(listen)
        .await
        .map_err(|e| Failure::runtime(format!("cannot listen on {listen}: {e}")))?;
    let local = listener
        .local_addr()
        .map_err(|e| Failure::runtime(format!("cannot read the listening address: {e}")))?;
    eprintln!(
        "smtp-trainer: serving {} as {} on {local} (Ctrl+C stops)",
        shared.config.persona.id, shared.config.hostname
    );
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut tasks = JoinSet::new();
    let stop = stop_signal();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    let shared = Arc::clone(&shared);
                    let stop_rx = stop_rx.clone();
                    tasks.spawn(async move { admit(stream, peer, shared, stop_rx).await });
                }
                // Out of file descriptors or a connection reset before accept: keep serving,
                // after a pause so a persistent error does not spin.
                Err(e) => {
                    eprintln!("smtp-trainer: accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            },
            // Reap finished tasks as we go so the set does not grow with every connection.
            Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
            why = &mut stop => {
                eprintln!(
                    "smtp-trainer: {why}: stopping; {} sessions in flight, {} s grace",
                    shared.active.load(Ordering::Relaxed),
                    shared.grace.as_secs()
                );
                break;
            }
        }
    }
    drop(listener);
    // Every session has its own grace deadline; this bound only covers a stuck write.
    let _ = stop_tx.send(true);
    let bound = shared.grace + Duration::from_secs(5);
    let _ = tokio::time::timeout(bound, async { while tasks.join_next().await.is_some() {} }).await;
    Ok(())
}

/// Resolves when the process is asked to stop, naming the signal.
async fn stop_signal() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            return tokio::select! {
                _ = term.recv() => "SIGTERM",
                _ = tokio::signal::ctrl_c() => "interrupted",
            };
        }
    }
    let _ = tokio::signal::ctrl_c().await;
    "interrupted"
}

/// How a session ended, for its log line.
#[derive(Debug, Clone, Copy)]
enum End {
    /// The server closed it (QUIT, or an error that closes).
    ServerClosed,
    /// The client went away.
    PeerClosed,
    Shutdown,
    /// Over `--max-connections`.
    Busy,
    /// A delivery could not be stored; the client was not told 250 and will retry.
    StoreFailed,
    Io(io::ErrorKind),
}

/// Counters for a session's log line.
#[derive(Debug, Default)]
struct Tally {
    bytes_in: u64,
    bytes_out: u64,
    delivered: u64,
    telnet: bool,
}

/// Runs one connection within the limit, or turns it away with 421, and logs one line.
async fn admit(
    mut stream: TcpStream,
    peer: SocketAddr,
    shared: Arc<Shared>,
    stop: watch::Receiver<bool>,
) {
    let started = Instant::now();
    let id = shared.next_id.fetch_add(1, Ordering::Relaxed);
    let mut tally = Tally::default();
    let open = shared.active.fetch_add(1, Ordering::AcqRel);
    let end = if open >= shared.max_connections {
        farewell(&mut stream, &shared.config, EdgeReply::Busy, &mut tally).await;
        End::Busy
    } else {
        let _ = stream.set_nodelay(true);
        connection(&mut stream, peer, id, &shared, stop, &mut tally).await
    };
    shared.active.fetch_sub(1, Ordering::AcqRel);
    // Formatted first and written once: stderr is unbuffered, and `eprintln!` would make a
    // system call for every piece of the line.
    let line = format!(
        "{} session={id} peer={peer} persona={} end={} secs={:.3} in={} out={} delivered={}{}\n",
        utc_stamp(SystemTime::now()),
        shared.config.persona.id,
        end.label(),
        started.elapsed().as_secs_f64(),
        tally.bytes_in,
        tally.bytes_out,
        tally.delivered,
        if tally.telnet { " telnet" } else { "" },
    );
    let _ = io::Write::write_all(&mut io::stderr().lock(), line.as_bytes());
}

impl End {
    fn label(self) -> String {
        match self {
            End::ServerClosed => "server-closed".into(),
            End::PeerClosed => "client-closed".into(),
            End::Shutdown => "shutdown".into(),
            End::Busy => "busy-421".into(),
            End::StoreFailed => "store-failed".into(),
            End::Io(kind) => format!("io-error({kind})"),
        }
    }
}

/// Size of the one read buffer per connection.
const READ_BUFFER: usize = 16 * 1024;

/// The session loop of one admitted connection.
async fn connection(
    stream: &mut TcpStream,
    peer: SocketAddr,
    id: u64,
    shared: &Shared,
    mut stop: watch::Receiver<bool>,
    tally: &mut Tally,
) -> End {
    let clock = shared.clock;
    let seed = clock.epoch_unix_secs().unsigned_abs().rotate_left(20) ^ clock.now() ^ id;
    let mut session = Session::new(
        Arc::clone(&shared.config),
        &peer.ip().to_string(),
        clock.now(),
        seed,
    );
    let mut filter = TelnetFilter::new();
    let mut buf = vec![0u8; READ_BUFFER];
    let (mut data, mut negotiation) = (Vec::new(), Vec::new());
    let mut batch = Drained::default();
    // Set once the server is stopping: the instant the grace period ends.
    let mut grace_deadline: Option<Instant> = None;
    // A client that does not read its replies must not hold a session forever.
    let write_limit = shared.write_limit;
    loop {
        batch.clear();
        batch.take_from(&mut session);
        if !batch.delivered.is_empty() {
            let messages = std::mem::take(&mut batch.delivered);
            let count = messages.len() as u64;
            let stored = if shared.mailroom.may_block() {
                let room = Arc::clone(&shared.mailroom);
                tokio::task::spawn_blocking(move || {
                    messages.iter().try_for_each(|m| room.deliver(m))
                })
                .await
            } else {
                Ok(messages.iter().try_for_each(|m| shared.mailroom.deliver(m)))
            };
            match stored {
                Ok(Ok(())) => tally.delivered += count,
                Ok(Err(e)) => {
                    eprintln!("smtp-trainer: session={id}: cannot store a message: {e}");
                    return End::StoreFailed;
                }
                Err(e) => {
                    eprintln!("smtp-trainer: session={id}: storing a message failed: {e}");
                    return End::StoreFailed;
                }
            }
        }
        let out = if filter.is_telnet() {
            escape_output(&batch.bytes)
        } else {
            std::borrow::Cow::Borrowed(&batch.bytes[..])
        };
        if !negotiation.is_empty() || !out.is_empty() {
            let write = async {
                stream.write_all(&negotiation).await?;
                stream.write_all(&out).await
            };
            match tokio::time::timeout(write_limit, write).await {
                Ok(Ok(())) => tally.bytes_out += (negotiation.len() + out.len()) as u64,
                Ok(Err(e)) => return End::Io(e.kind()),
                Err(_) => return End::Io(io::ErrorKind::TimedOut),
            }
            negotiation.clear();
        }
        if batch.close || session.is_closed() {
            let _ = tokio::time::timeout(Duration::from_secs(5), stream.shutdown()).await;
            return End::ServerClosed;
        }
        let engine_deadline = session.poll_timeout().map(|at| clock.instant_at(at));
        tokio::select! {
            read = stream.read(&mut buf) => match read {
                Ok(0) => return End::PeerClosed,
                Ok(n) => {
                    tally.bytes_in += n as u64;
                    data.clear();
                    filter.feed(&buf[..n], &mut data, &mut negotiation);
                    tally.telnet = filter.is_telnet();
                    if !data.is_empty() {
                        session.handle_bytes(&data, clock.now());
                    }
                }
                Err(e) => return End::Io(e.kind()),
            },
            () = sleep_until(engine_deadline) => session.handle_timeout(clock.now()),
            changed = stop.changed(), if grace_deadline.is_none() => {
                // A dropped sender also means stop.
                let _ = changed;
                grace_deadline = Some(Instant::now() + shared.grace);
            }
            () = sleep_until(grace_deadline), if grace_deadline.is_some() => {
                farewell(stream, &shared.config, EdgeReply::ShuttingDown, tally).await;
                return End::Shutdown;
            }
        }
    }
}

/// Sleeps until `at`, or forever when there is no deadline.
async fn sleep_until(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at.into()).await,
        None => std::future::pending().await,
    }
}

/// Sends the edge's closing reply and closes, without waiting long for a client that does
/// not read.
async fn farewell(
    stream: &mut TcpStream,
    config: &ServerConfig,
    why: EdgeReply,
    tally: &mut Tally,
) {
    let reply = edge_reply(config, why);
    let sent = tokio::time::timeout(Duration::from_secs(5), async {
        stream.write_all(reply.as_bytes()).await?;
        stream.shutdown().await
    })
    .await;
    if matches!(sent, Ok(Ok(()))) {
        tally.bytes_out += reply.len() as u64;
    }
}
