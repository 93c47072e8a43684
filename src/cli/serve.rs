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
//! sets, the connection timeout, which `--connection-timeout` sets, or the release of a refusal
//! Exchange 2016's tarpit holds, which `--tarpit` sets)
//! becomes a tokio sleep, and the session words the timeout as its persona did. The edge
//! adds only what a session cannot know: the connection limit, a bound on writes to a client
//! that does not read, and shutdown (Ctrl+C or SIGTERM stop accepting, let sessions in flight
//! finish for `--grace` seconds, then tell the rest the server is closing).
//!
//! When the persona offers STARTTLS, its `220` is followed by a real TLS handshake ([`super::tls`])
//! and the session goes on over the encrypted stream, as the real server's would.

use super::edge::{say, utc_stamp, Drained, EdgeClock, Mailroom, StopSignals};
use super::telnet::{escape_output, TelnetFilter};
use super::tls::{self, CertSource};
use super::world::ServerArgs;
use super::Failure;
use crate::smtp::{LogEntry, LogLevel, ReplyKey, ServerConfig, Session};
use clap::Args;
use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant, SystemTime};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::{watch, Notify};
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;

/// Flags of `smtp-trainer serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on (a name such as localhost:2525, or a bare port, works
    /// too); loopback unless you say otherwise. Port 0 picks a free port (the one chosen is
    /// printed on stderr).
    #[arg(long, default_value = "127.0.0.1:2525", value_name = "ADDR:PORT", value_parser = super::edge::parse_listen)]
    pub listen: SocketAddr,
    #[command(flatten)]
    pub server: ServerArgs,
    /// Sessions open at once; one more is answered with 421 and closed.
    #[arg(long, allow_negative_numbers = true, default_value_t = 100, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,
    /// Write delivered messages as .eml files under DIR/<mailbox>/ instead of printing them.
    #[arg(long, value_name = "DIR")]
    pub maildir: Option<PathBuf>,
    /// On Ctrl+C or SIGTERM, seconds sessions in flight may take to finish before they are
    /// told the server is closing.
    #[arg(long, allow_negative_numbers = true, default_value_t = 10, value_name = "S", value_parser = clap::value_parser!(u64).range(0..=3_600))]
    pub grace: u64,
    /// PEM certificate (chain) for STARTTLS, for personas that offer it [default: a built-in
    /// training certificate for mail.contoso.com and localhost, self-signed like a fresh
    /// Exchange server's].
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The PEM private key of --tls-cert.
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Also print the server's application event log on stderr, one line an entry, as the
    /// browser app's Event Viewer shows it: relay refused, a non-delivery report sent, a
    /// failed login, a timeout.
    #[arg(long)]
    pub events: bool,
}

/// What every connection task shares.
struct Shared {
    config: Arc<ServerConfig>,
    mailroom: Arc<Mailroom>,
    clock: EdgeClock,
    /// How long a write may wait for a client that does not read its replies.
    write_limit: Duration,
    grace: Duration,
    /// Connections accepted and not yet done with (turned-away ones included, until their 421
    /// is sent and their log line written), for shutdown to know when all have finished.
    active: AtomicUsize,
    /// Connections holding a place under `--max-connections`: like `active`, but a place is
    /// given back as soon as the connection closes, before its log line is written, so a
    /// client that reads that line and connects again finds the place free.
    placed: AtomicUsize,
    /// Signalled when `active` drops to zero, which shutdown waits for.
    idle: Notify,
    max_connections: usize,
    /// Numbers sessions, for seeds and log lines.
    next_id: AtomicU64,
    /// The TLS side of STARTTLS, when the persona offers it.
    tls: Option<TlsAcceptor>,
    /// `--events`: print the event log entries.
    events: bool,
}

/// Runs the server until Ctrl+C or SIGTERM.
pub fn run(args: &ServeArgs) -> Result<(), Failure> {
    let clock = EdgeClock::start();
    let config = args
        .server
        .config(clock.epoch_unix_secs())
        .map_err(Failure::usage)?;
    let mailroom = match &args.maildir {
        Some(dir) => Mailroom::maildir(dir).map_err(Failure::runtime)?,
        None => Mailroom::Print,
    };
    let write_limit = Duration::from_secs(config.limits.idle_timeout_secs.max(1));
    let tls = if config.persona.advertises("STARTTLS") {
        Some(
            tls::acceptor(args.tls_cert.as_deref(), args.tls_key.as_deref())
                .map_err(Failure::runtime)?,
        )
    } else {
        if args.tls_cert.is_some() {
            say(&format!(
                "smtp-trainer: note: --tls-cert is not used: {} does not offer STARTTLS",
                config.persona.id
            ));
        }
        None
    };
    // One worker thread per core this process may use (`taskset` or a container's CPU limit
    // count): tokio's default.
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
        placed: AtomicUsize::new(0),
        idle: Notify::new(),
        max_connections: usize::try_from(args.max_connections).unwrap_or(usize::MAX),
        next_id: AtomicU64::new(1),
        tls: tls.as_ref().map(|(acceptor, _)| acceptor.clone()),
        events: args.events,
    });
    // The accept loop runs on this thread and the sessions on the runtime's workers: measured
    // under smtp-source with one message per connection, keeping accepting apart from the
    // sessions (even on one core) let the load generator send about 4 % more messages a
    // second for the same server CPU than one thread doing both.
    runtime.block_on(serve(args.listen, shared, tls.map(|(_, source)| source)))
}

async fn serve(
    listen: SocketAddr,
    shared: Arc<Shared>,
    tls: Option<CertSource>,
) -> Result<(), Failure> {
    let signals = StopSignals::register();
    let listener =
        bind(listen).map_err(|e| Failure::runtime(super::edge::listen_failure(listen, &e)))?;
    let local = listener
        .local_addr()
        .map_err(|e| Failure::runtime(format!("cannot read the listening address: {e}")))?;
    let starttls = tls.map_or(String::new(), |source| format!("; STARTTLS with {source}"));
    say(&format!(
        "smtp-trainer: serving {} as {} on {local}; {}{starttls} (Ctrl+C stops)",
        shared.config.persona.id,
        shared.config.hostname,
        shared.mailroom.describe()
    ));
    let (stop_tx, stop_rx) = watch::channel(false);
    let stop = signals.wait();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    // Counted here rather than in the task, so shutdown also waits for a task
                    // that has been spawned but has not run yet.
                    let open = Open::count(&shared);
                    let stop_rx = stop_rx.clone();
                    tokio::spawn(admit(stream, peer, open, stop_rx));
                }
                // Out of file descriptors or a connection reset before accept: keep serving,
                // after a pause so a persistent error does not spin.
                Err(e) => {
                    say(&format!("smtp-trainer: accept failed: {e}"));
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            },
            why = &mut stop => {
                say(&format!(
                    "smtp-trainer: {why}: stopping; {} sessions in flight, {} s grace",
                    shared.active.load(Ordering::Relaxed),
                    shared.grace.as_secs()
                ));
                break;
            }
        }
    }
    drop(listener);
    // Every session has its own grace deadline; this bound only covers a stuck write.
    let _ = stop_tx.send(true);
    let bound = shared.grace + Duration::from_secs(5);
    let _ = tokio::time::timeout(bound, all_closed(&shared)).await;
    Ok(())
}

/// Listens on `addr` as `TcpListener::bind` does (address reuse on Unix, the standard
/// backlog), with `TCP_NODELAY` set on the listening socket.
///
/// Replies go out as soon as they are written: a client that pipelines commands in separate
/// segments must not wait for a delayed ACK before its second reply. On Linux an accepted
/// connection inherits `TCP_NODELAY` from its listener, which saves a system call per
/// connection; elsewhere [`admit`] sets it on each connection.
fn bind(addr: SocketAddr) -> io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    #[cfg(unix)]
    socket.set_reuseaddr(true)?;
    socket.set_nodelay(true)?;
    socket.bind(addr)?;
    socket.listen(128)
}

/// Resolves once no connection is open.
async fn all_closed(shared: &Shared) {
    loop {
        // Registered before the count is read, so a close in between is not missed.
        let notified = shared.idle.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        if shared.active.load(Ordering::Acquire) == 0 {
            return;
        }
        notified.await;
    }
}

/// One accepted connection's place in the count of open ones, given back when it is dropped
/// (also if its task is cancelled), so shutdown never waits for a connection that is gone.
struct Open {
    shared: Arc<Shared>,
    /// Connections that held a place when this one arrived.
    before: usize,
    /// True until the place under the connection limit is given back.
    placed: bool,
}

impl Open {
    fn count(shared: &Arc<Shared>) -> Open {
        shared.active.fetch_add(1, Ordering::AcqRel);
        let before = shared.placed.fetch_add(1, Ordering::AcqRel);
        Open {
            shared: Arc::clone(shared),
            before,
            placed: true,
        }
    }

    /// Gives back the place under the connection limit (once); shutdown still waits for this
    /// connection until it is dropped.
    fn leave(&mut self) {
        if std::mem::take(&mut self.placed) {
            self.shared.placed.fetch_sub(1, Ordering::AcqRel);
        }
    }
}

impl Drop for Open {
    fn drop(&mut self) {
        self.leave();
        if self.shared.active.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.shared.idle.notify_waiters();
        }
    }
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
    /// The TLS handshake after STARTTLS failed (a client that does not speak TLS, or gave up).
    TlsFailed,
    Io(io::ErrorKind),
}

/// Counters for a session's log line.
#[derive(Debug, Default)]
struct Tally {
    bytes_in: u64,
    bytes_out: u64,
    delivered: u64,
    telnet: bool,
    /// The session went on inside TLS after STARTTLS.
    tls: bool,
}

/// Runs one connection within the limit, or turns it away with 421, and logs one line.
async fn admit(
    mut stream: TcpStream,
    peer: SocketAddr,
    mut open: Open,
    stop: watch::Receiver<bool>,
) {
    let shared = Arc::clone(&open.shared);
    let shared = &*shared;
    // On a dual-stack listener (`--listen [::]:2525`) an IPv4 client arrives as
    // `::ffff:127.0.0.1`; the server greets it, logs it and stamps its mail as the IPv4 address
    // it is, as Windows does.
    let peer = SocketAddr::new(peer.ip().to_canonical(), peer.port());
    let started = Instant::now();
    let id = shared.next_id.fetch_add(1, Ordering::Relaxed);
    let mut tally = Tally::default();
    let end = if open.before >= shared.max_connections {
        farewell(&mut stream, &shared.config, ReplyKey::TooBusy, &mut tally).await;
        drop(stream);
        End::Busy
    } else {
        if !cfg!(target_os = "linux") {
            let _ = stream.set_nodelay(true);
        }
        // The connection is closed when this returns, before the count drops, so shutdown
        // never ends with one open.
        connection(stream, peer, id, shared, stop, &mut tally).await
    };
    open.leave();
    // Formatted first and written once: stderr is unbuffered, and `eprintln!` would make a
    // system call for every piece of the line.
    let line = format!(
        "{} session={id} peer={peer} persona={} end={} secs={:.3} in={} out={} delivered={}{}{}\n",
        utc_stamp(SystemTime::now()),
        shared.config.persona.id,
        end.label(),
        started.elapsed().as_secs_f64(),
        tally.bytes_in,
        tally.bytes_out,
        tally.delivered,
        if tally.telnet { " telnet" } else { "" },
        if tally.tls { " tls" } else { "" },
    );
    let _ = io::Write::write_all(&mut io::stderr().lock(), line.as_bytes());
    drop(open);
}

impl End {
    fn label(self) -> String {
        match self {
            End::ServerClosed => "server-closed".into(),
            End::PeerClosed => "client-closed".into(),
            End::Shutdown => "shutdown".into(),
            End::Busy => "busy-421".into(),
            End::StoreFailed => "store-failed".into(),
            End::TlsFailed => "tls-handshake-failed".into(),
            End::Io(kind) => format!("io-error({kind})"),
        }
    }
}

/// Size of the one read buffer per connection.
const READ_BUFFER: usize = 16 * 1024;

/// The session loop of one admitted connection.
async fn connection(
    stream: TcpStream,
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
    let mut link = Link::Plain(stream);
    let mut filter = TelnetFilter::new();
    // Filled by `read_buf` from its spare capacity, so it is never zeroed.
    let mut buf = Vec::with_capacity(READ_BUFFER);
    let (mut data, mut negotiation) = (Vec::new(), Vec::new());
    let mut batch = Drained {
        keep_events: shared.events,
        ..Drained::default()
    };
    // The engine's deadline (the idle timeout) as one timer for the whole connection, moved
    // rather than rebuilt when the deadline changes: moving it later, which every command
    // does, is an atomic store instead of a trip through the runtime's timer wheel.
    let engine_timer = tokio::time::sleep_until(tokio::time::Instant::now());
    tokio::pin!(engine_timer);
    // Likewise one wait for the stop signal, polled until it fires and never after.
    let stopping = stop.changed();
    tokio::pin!(stopping);
    // Set once the server is stopping: the instant the grace period ends.
    let mut grace_deadline: Option<Instant> = None;
    // A client that does not read its replies must not hold a session forever.
    let write_limit = shared.write_limit;
    loop {
        batch.clear();
        batch.take_from(&mut session);
        if !batch.events.is_empty() {
            print_events(id, &batch.events);
        }
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
            let failure = match stored {
                Ok(Ok(())) => None,
                Ok(Err(e)) => Some(format!("cannot store a message: {e}")),
                Err(e) => Some(format!("storing a message failed: {e}")),
            };
            if let Some(why) = failure {
                say(&format!("smtp-trainer: session={id}: {why}"));
                farewell(
                    &mut link,
                    &shared.config,
                    ReplyKey::ServiceUnavailable,
                    tally,
                )
                .await;
                return End::StoreFailed;
            }
            tally.delivered += count;
        }
        let out = if filter.is_telnet() {
            escape_output(&batch.bytes)
        } else {
            std::borrow::Cow::Borrowed(&batch.bytes[..])
        };
        // Telnet refusals go first, in the same write as the replies.
        let pending: &[u8] = if negotiation.is_empty() {
            &out
        } else {
            negotiation.extend_from_slice(&out);
            &negotiation
        };
        if !pending.is_empty() {
            if let Err(kind) = send(&mut link, pending, write_limit).await {
                return End::Io(kind);
            }
            tally.bytes_out += pending.len() as u64;
        }
        negotiation.clear();
        if batch.close || session.is_closed() {
            let _ = tokio::time::timeout(Duration::from_secs(5), link.shutdown()).await;
            return End::ServerClosed;
        }
        if batch.awaiting_tls {
            // The 220 has gone out in clear; the client's ClientHello comes next.
            let Some(acceptor) = &shared.tls else {
                return End::TlsFailed;
            };
            link = match link.upgrade(acceptor, write_limit).await {
                Ok(upgraded) => upgraded,
                Err(()) => return End::TlsFailed,
            };
            session.handle_tls_established(clock.now(), link.cipher_suite());
            tally.tls = true;
            continue;
        }
        let engine_deadline = session.poll_timeout().map(|at| clock.instant_at(at).into());
        if let Some(at) = engine_deadline {
            if engine_timer.deadline() != at {
                engine_timer.as_mut().reset(at);
            }
        }
        buf.clear();
        tokio::select! {
            // As Exchange does, nothing more is read while the tarpit holds a refusal: what
            // the client sends meanwhile waits in the socket (so a flood of refused commands
            // cannot pile up held replies), and its end of input is seen only once every reply
            // it is owed has gone.
            read = link.read_buf(&mut buf), if !session.is_tarpitting() => match read {
                Ok(0) => return End::PeerClosed,
                Ok(n) => {
                    tally.bytes_in += n as u64;
                    data.clear();
                    filter.feed(&buf, &mut data, &mut negotiation, !session.in_data());
                    tally.telnet = filter.is_telnet();
                    if !data.is_empty() {
                        session.handle_bytes(&data, clock.now());
                    }
                }
                Err(e) => return End::Io(e.kind()),
            },
            () = &mut engine_timer, if engine_deadline.is_some() => {
                session.handle_timeout(clock.now());
            }
            changed = &mut stopping, if grace_deadline.is_none() => {
                // A dropped sender also means stop.
                let _ = changed;
                grace_deadline = Some(Instant::now() + shared.grace);
            }
            () = sleep_until(grace_deadline), if grace_deadline.is_some() => {
                farewell(&mut link, &shared.config, ReplyKey::ServiceUnavailable, tally).await;
                return End::Shutdown;
            }
        }
    }
}

/// A connection's byte stream: the TCP socket, then, after STARTTLS, TLS over it.
enum Link {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

impl Link {
    /// Runs the server side of the TLS handshake over a plain link, within `limit`; a link
    /// already inside TLS cannot upgrade again. `Err` means the connection is unusable.
    async fn upgrade(self, acceptor: &TlsAcceptor, limit: Duration) -> Result<Link, ()> {
        let Link::Plain(tcp) = self else {
            return Err(());
        };
        match tokio::time::timeout(limit, acceptor.accept(tcp)).await {
            Ok(Ok(tls)) => Ok(Link::Tls(Box::new(tls))),
            _ => Err(()),
        }
    }

    /// The IANA name of the cipher suite a TLS link negotiated (what Exchange's Received
    /// header names); `None` on a plain link.
    fn cipher_suite(&self) -> Option<&'static str> {
        match self {
            Link::Plain(_) => None,
            Link::Tls(tls) => tls
                .get_ref()
                .1
                .negotiated_cipher_suite()
                .and_then(|s| s.suite().as_str()),
        }
    }

    /// Writes what fits at once without waiting: on a plain socket, the system call; inside
    /// TLS nothing, as records go through the awaited path.
    fn try_write(&self, bytes: &[u8]) -> io::Result<usize> {
        match self {
            Link::Plain(tcp) => tcp.try_write(bytes),
            Link::Tls(_) => Ok(0),
        }
    }
}

impl AsyncRead for Link {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Link::Plain(tcp) => Pin::new(tcp).poll_read(cx, buf),
            Link::Tls(tls) => Pin::new(tls.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Link {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Link::Plain(tcp) => Pin::new(tcp).poll_write(cx, buf),
            Link::Tls(tls) => Pin::new(tls.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Link::Plain(tcp) => Pin::new(tcp).poll_flush(cx),
            Link::Tls(tls) => Pin::new(tls.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Link::Plain(tcp) => Pin::new(tcp).poll_shutdown(cx),
            Link::Tls(tls) => Pin::new(tls.as_mut()).poll_shutdown(cx),
        }
    }
}

/// Prints event log entries on stderr, in one write so sessions never mix their lines:
/// `<utc> session=N event <id> <level> <source>: <text>`.
fn print_events(id: u64, events: &[LogEntry]) {
    let stamp = utc_stamp(SystemTime::now());
    let text: String = events
        .iter()
        .map(|e| {
            let level = match e.level {
                LogLevel::Information => "information",
                LogLevel::Warning => "warning",
                LogLevel::Error => "error",
            };
            format!(
                "{stamp} session={id} event {} {level} {}: {}\n",
                e.event_id, e.source, e.message
            )
        })
        .collect();
    let _ = io::Write::write_all(&mut io::stderr().lock(), text.as_bytes());
}

/// Writes all of `bytes`, giving up after `limit` on a client that does not read.
///
/// A reply almost always fits in the socket's send buffer, so one direct attempt comes first;
/// only what it leaves goes through the awaited write and its timer, which would otherwise
/// read the clock and build a timeout for every reply. Inside TLS the awaited write also
/// flushes, so each reply's record leaves at once.
async fn send(link: &mut Link, bytes: &[u8], limit: Duration) -> Result<(), io::ErrorKind> {
    let sent = match link.try_write(bytes) {
        Ok(n) => n,
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted
            ) =>
        {
            0
        }
        Err(e) => return Err(e.kind()),
    };
    if sent == bytes.len() {
        return Ok(());
    }
    let write = async {
        link.write_all(&bytes[sent..]).await?;
        link.flush().await
    };
    match tokio::time::timeout(limit, write).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(e.kind()),
        Err(_) => Err(io::ErrorKind::TimedOut),
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
async fn farewell<S: AsyncWrite + Unpin>(
    stream: &mut S,
    config: &ServerConfig,
    why: ReplyKey,
    tally: &mut Tally,
) {
    let reply = config.edge_reply(why);
    let sent = tokio::time::timeout(Duration::from_secs(5), async {
        stream.write_all(&reply).await?;
        stream.shutdown().await
    })
    .await;
    if matches!(sent, Ok(Ok(()))) {
        tally.bytes_out += reply.len() as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    }

    /// A listener and one accepted connection, with the client's end as a blocking socket.
    async fn pair() -> (TcpStream, std::net::TcpStream) {
        let listener = bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let addr = listener.local_addr().unwrap();
        let client = std::net::TcpStream::connect(addr).unwrap();
        let (server, _) = listener.accept().await.unwrap();
        (server, client)
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn accepted_connections_inherit_nodelay_from_the_listener() {
        runtime().block_on(async {
            let (server, _client) = pair().await;
            assert!(server.nodelay().unwrap());
        });
    }

    #[test]
    fn send_delivers_every_byte_beyond_what_the_socket_buffers() {
        // Far more than a loopback socket buffers, so the awaited write must finish it.
        let bytes: Vec<u8> = (0..8 * 1024 * 1024).map(|i| (i % 251) as u8).collect();
        let got = runtime().block_on(async {
            let (server, mut client) = pair().await;
            let reader = std::thread::spawn(move || {
                let mut got = Vec::new();
                client.read_to_end(&mut got).map(|_| got)
            });
            let mut link = Link::Plain(server);
            let sent = send(&mut link, &bytes, Duration::from_secs(30)).await;
            drop(link);
            (sent, reader.join().unwrap().unwrap())
        });
        assert_eq!(got.0, Ok(()));
        assert!(got.1 == bytes, "the bytes read differ from the bytes sent");
    }

    #[test]
    fn send_gives_up_on_a_client_that_does_not_read() {
        let bytes = vec![b'x'; 64 * 1024 * 1024];
        let result = runtime().block_on(async {
            let (server, _client) = pair().await;
            send(&mut Link::Plain(server), &bytes, Duration::from_millis(200)).await
        });
        assert_eq!(result, Err(io::ErrorKind::TimedOut));
    }
}
