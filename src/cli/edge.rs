//! What the native edges share: the clock they feed the core, and where delivered mail goes.

use crate::clock::Millis;
use crate::smtp::store::DROP_FOLDER;
use crate::smtp::{LogEntry, Output, ServerEvent, Session, StoredMessage};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The edge's clock: monotonic milliseconds since start-up (an `Instant`, so a wall clock
/// that jumps does not move it), plus the wall-clock second at its zero, which the engine
/// takes as `epoch_unix_secs` so the dates in its replies are real dates.
#[derive(Debug, Clone, Copy)]
pub struct EdgeClock {
    origin: Instant,
    epoch_unix_secs: i64,
}

impl EdgeClock {
    /// Starts the clock at zero now.
    pub fn start() -> Self {
        let epoch_unix_secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        EdgeClock {
            origin: Instant::now(),
            epoch_unix_secs,
        }
    }

    /// The wall clock at `now() == 0`, in seconds since 1970.
    pub fn epoch_unix_secs(&self) -> i64 {
        self.epoch_unix_secs
    }

    /// The current time for the core.
    pub fn now(&self) -> Millis {
        u64::try_from(self.origin.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// The `Instant` at which the core's deadline `at` falls, for timers.
    pub fn instant_at(&self, at: Millis) -> Instant {
        self.origin + Duration::from_millis(at)
    }

    /// How long until the core's deadline `at` (zero if it has passed).
    pub fn until(&self, at: Millis) -> Duration {
        Duration::from_millis(at.saturating_sub(self.now()))
    }
}

/// What a plain-text edge tells its user once the server has accepted STARTTLS.
/// Text as Windows editors save it, made plain UTF-8 bytes: a UTF-8 byte order mark (Notepad
/// before 2019, PowerShell 5's `-Encoding utf8`) is dropped, and UTF-16 with its mark
/// (Notepad's "Unicode", PowerShell 5's `>`) is decoded. Other bytes come back as they are;
/// a UTF-16 file that does not decode is refused with what to do.
pub(crate) fn unmarked(bytes: Vec<u8>) -> Result<Vec<u8>, String> {
    let little = match bytes.get(..2) {
        _ if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) => return Ok(bytes[3..].to_vec()),
        Some([0xFF, 0xFE]) => true,
        Some([0xFE, 0xFF]) => false,
        _ => return Ok(bytes),
    };
    let units = bytes[2..].chunks(2).map(|c| match (c, little) {
        ([lo, hi], true) => Ok(u16::from_le_bytes([*lo, *hi])),
        ([hi, lo], false) => Ok(u16::from_be_bytes([*hi, *lo])),
        _ => Err(()),
    });
    let mut text = String::with_capacity(bytes.len() / 2);
    for c in char::decode_utf16(units.map_while(Result::ok)) {
        text.push(c.map_err(|_| BAD_UTF16.to_string())?);
    }
    if !bytes.len().is_multiple_of(2) {
        return Err(BAD_UTF16.into());
    }
    Ok(text.into_bytes())
}

const BAD_UTF16: &str = "marked as UTF-16 but not valid UTF-16 text; save it as UTF-8";

pub const STARTTLS_PLAIN_NOTE: &str = "the server now waits for a TLS handshake, which standard input cannot give: whatever is typed next closes the connection (to go on inside TLS, run `smtp-trainer serve --persona exchange2016` and connect with `openssl s_client -starttls smtp -connect 127.0.0.1:2525`)";

/// Everything a session queued since the edge last looked, sorted by what the edge does with
/// it: deliveries are stored first, then the bytes are sent, so a client never reads a 250 for
/// a message that is not yet stored.
#[derive(Debug, Default)]
pub struct Drained {
    /// Reply bytes, in order, batched into one write.
    pub bytes: Vec<u8>,
    /// Messages to store before `bytes` go out.
    pub delivered: Vec<StoredMessage>,
    /// The server closed the session: send `bytes`, then close.
    pub close: bool,
    /// STARTTLS was accepted: the server now waits for a TLS handshake that a plain-text
    /// client (telnet, a person at stdin) cannot give, so the edge should say so.
    pub awaiting_tls: bool,
    /// The server's application event log entries, kept only when `keep_events` is set.
    pub events: Vec<LogEntry>,
    /// Whether to keep `events` (`serve --events`); otherwise they are dropped at once.
    pub keep_events: bool,
}

impl Drained {
    /// Moves every queued output of `session` into `self` (which the caller has emptied).
    pub fn take_from(&mut self, session: &mut Session) {
        while let Some(output) = session.poll_output() {
            match output {
                Output::Transmit(bytes) => self.bytes.extend_from_slice(&bytes),
                Output::Event(ServerEvent::Delivered(msg)) => self.delivered.push(*msg),
                // Mail for another domain that an authenticated client relayed: the simulator
                // sends nothing onwards, so it is kept like a delivery, under the remote address.
                Output::Event(ServerEvent::RelayQueued { message, .. }) => {
                    self.delivered.push(*message)
                }
                Output::Event(ServerEvent::AwaitingTls) => self.awaiting_tls = true,
                Output::Event(ServerEvent::Log(entry)) if self.keep_events => {
                    self.events.push(entry)
                }
                // Replies and event-log entries are for the browser's panels.
                Output::Event(_) => {}
                Output::Close => self.close = true,
            }
        }
    }

    /// Empties the batch for reuse, keeping its allocation.
    pub fn clear(&mut self) {
        self.bytes.clear();
        self.delivered.clear();
        self.close = false;
        self.awaiting_tls = false;
        self.events.clear();
    }
}

/// Where accepted mail goes: printed on standard output, or written as `.eml` files.
#[derive(Debug)]
pub enum Mailroom {
    /// Each message printed between marker lines, whole, under a lock so sessions never mix.
    Print,
    /// One `.eml` file per delivery under `DIR/<mailbox>/`, written under a temporary name and
    /// renamed, so a reader never sees half a message.
    Maildir(PathBuf),
    /// Nowhere: the `smtp` subcommand reports deliveries on stderr only, since its stdout is
    /// the SMTP channel.
    Discard,
}

/// Makes file names unique within this process.
static SEQUENCE: AtomicU64 = AtomicU64::new(0);

impl Mailroom {
    /// Checks a `--maildir` before the first client arrives: created if missing, and writable.
    pub fn maildir(dir: &Path) -> Result<Mailroom, String> {
        if dir.exists() && !dir.is_dir() {
            return Err(format!(
                "--maildir '{}' is a file; give a folder (it is created if missing)",
                dir.display()
            ));
        }
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create --maildir '{}': {e}", dir.display()))?;
        let probe = dir.join(format!(".probe-{}", std::process::id()));
        std::fs::write(&probe, b"")
            .and_then(|()| std::fs::remove_file(&probe))
            .map_err(|e| format!("cannot write into --maildir '{}': {e}", dir.display()))?;
        Ok(Mailroom::Maildir(dir.to_path_buf()))
    }

    /// Where delivered mail goes, in words, for a server's start-up line: a newcomer learns
    /// there where to look for what a client sent.
    pub fn describe(&self) -> String {
        match self {
            Mailroom::Print => "messages printed on standard output".into(),
            Mailroom::Maildir(dir) => format!("messages written to {}/<mailbox>/", dir.display()),
            Mailroom::Discard => "messages reported on standard error only".into(),
        }
    }

    /// True when storing may wait on the disk (a file write and its sync), so an async edge
    /// must do it off its worker threads. Printing is a short write to stdout and is done in
    /// place: a hand-off per message to another thread costs more than the write itself.
    pub fn may_block(&self) -> bool {
        matches!(self, Mailroom::Maildir(_))
    }

    /// Stores one delivered message; an error means it was not stored and must not be
    /// acknowledged to the client.
    pub fn deliver(&self, msg: &StoredMessage) -> io::Result<()> {
        match self {
            Mailroom::Discard => Ok(()),
            Mailroom::Print => {
                // One buffer, one write: stdout is line-buffered and would otherwise write
                // piece by piece.
                let from = if msg.from.is_empty() { "<>" } else { &msg.from };
                // The octets as received, so an 8-bit body in another charset prints as the
                // terminal shows that charset rather than as replacement characters.
                let octets = msg.octets();
                let mut text = format!(
                    "=== message for {} from {} ({} bytes)\n",
                    msg.mailbox,
                    from,
                    octets.len()
                )
                .into_bytes();
                text.extend_from_slice(octets);
                if !octets.ends_with(b"\n") {
                    text.extend_from_slice(b"\r\n");
                }
                text.extend_from_slice(b"=== end of message\n");
                let mut out = io::stdout().lock();
                out.write_all(&text)?;
                out.flush()
            }
            Mailroom::Maildir(dir) => {
                let folder = dir.join(safe_file_name(&msg.mailbox));
                std::fs::create_dir_all(&folder)?;
                let stamp = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map_or(0, |d| d.as_millis());
                let name = format!(
                    "{stamp}.{}.{}",
                    std::process::id(),
                    SEQUENCE.fetch_add(1, Ordering::Relaxed)
                );
                let tmp = folder.join(format!(".{name}.tmp"));
                let mut file = std::fs::File::create(&tmp)?;
                file.write_all(msg.octets())?;
                file.sync_all()?;
                std::fs::rename(&tmp, folder.join(format!("{name}.eml")))
            }
        }
    }
}

/// A mailbox address as a folder name: lower case letters, digits and `@._+-`, anything else
/// an underscore, and never a name that starts with a dot (no `..`, no hidden folders). IIS's
/// Drop folder is `Drop`, the name it has under `C:\Inetpub\mailroot`.
pub fn safe_file_name(mailbox: &str) -> String {
    if mailbox == DROP_FOLDER {
        return "Drop".to_string();
    }
    let mut name: String = mailbox
        .chars()
        .map(|c| match c {
            'a'..='z' | '0'..='9' | '@' | '.' | '_' | '+' | '-' => c,
            'A'..='Z' => c.to_ascii_lowercase(),
            _ => '_',
        })
        .collect();
    if name.is_empty() || name.starts_with('.') {
        name.insert(0, '_');
    }
    name
}

/// The signals that stop a server (SIGTERM, and Ctrl+C's SIGINT), registered as soon as this
/// is made, before the server says it is listening: a signal sent right after that line then
/// never meets the default "terminate at once", and none is missed between two waits.
pub struct StopSignals {
    #[cfg(unix)]
    unix: Option<(tokio::signal::unix::Signal, tokio::signal::unix::Signal)>,
}

impl StopSignals {
    pub fn register() -> StopSignals {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            let unix = signal(SignalKind::terminate())
                .and_then(|term| Ok((term, signal(SignalKind::interrupt())?)))
                .ok();
            StopSignals { unix }
        }
        #[cfg(not(unix))]
        StopSignals {}
    }

    /// Resolves when the process is asked to stop, naming the signal.
    pub async fn wait(mut self) -> &'static str {
        #[cfg(unix)]
        if let Some((term, int)) = &mut self.unix {
            return tokio::select! {
                _ = term.recv() => "SIGTERM",
                _ = int.recv() => "interrupted",
            };
        }
        let _ = tokio::signal::ctrl_c().await;
        "interrupted"
    }
}

/// Reads a `--listen` value as people type it: `127.0.0.1:2525`, `[::]:2525`, a name such as
/// `localhost:2525` (its first IPv4 address, else its first address), or a bare port `2525`
/// (loopback). Names are looked up once, here, so a typo is a usage error before anything
/// starts.
pub fn parse_listen(text: &str) -> Result<std::net::SocketAddr, String> {
    use std::net::{Ipv4Addr, SocketAddr, ToSocketAddrs};
    if let Ok(addr) = text.parse::<SocketAddr>() {
        return Ok(addr);
    }
    if let Ok(port) = text.parse::<u16>() {
        return Ok(SocketAddr::from((Ipv4Addr::LOCALHOST, port)));
    }
    let usage = || {
        format!(
            "'{text}' is not an address and port such as 127.0.0.1:2525, localhost:2525 or 2525"
        )
    };
    if !text.contains(':') {
        return Err(usage());
    }
    let found: Vec<SocketAddr> = text
        .to_socket_addrs()
        .map_err(|e| format!("{}: {e}", usage()))?
        .collect();
    found
        .iter()
        .find(|a| a.is_ipv4())
        .or(found.first())
        .copied()
        .ok_or_else(usage)
}

/// The words for a listening socket that could not be made, with the usual cure for a port
/// below 1024 (which needs administrator rights).
pub fn listen_failure(addr: std::net::SocketAddr, e: &io::Error) -> String {
    let mut text = format!("cannot listen on {addr}: {e}");
    if e.kind() == io::ErrorKind::PermissionDenied && addr.port() < 1024 {
        text.push_str(&format!(
            "; ports below 1024 need administrator rights: run as root, or choose another port such as {}:2525",
            addr.ip()
        ));
    }
    text
}

/// Writes one line to standard error as one write, ignoring failure: a server's log line must
/// never take the server down (`eprintln!` panics when stderr is a pipe nobody reads any more).
pub fn say(line: &str) {
    let mut text = String::with_capacity(line.len() + 1);
    text.push_str(line);
    text.push('\n');
    let _ = io::stderr().lock().write_all(text.as_bytes());
}

/// A UTC time stamp like `2026-11-22T23:05:09Z` for log lines (no date crate needed for this).
pub fn utc_stamp(at: SystemTime) -> String {
    let secs = at.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Howard Hinnant's civil-from-days, for days since 1970-01-01.
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_are_utc_calendar_dates() {
        let cases = [
            (0, "1970-01-01T00:00:00Z"),
            (951_782_400, "2000-02-29T00:00:00Z"),
            (1_795_388_709, "2026-11-22T23:05:09Z"),
        ];
        for (secs, want) in cases {
            assert_eq!(utc_stamp(UNIX_EPOCH + Duration::from_secs(secs)), want);
        }
    }

    #[test]
    fn mailbox_folder_names_stay_inside_the_maildir() {
        let cases = [
            ("User@Contoso.com", "user@contoso.com"),
            ("../../etc@x", "_.._.._etc@x"),
            ("a/b\\c@d", "a_b_c@d"),
            ("", "_"),
            (".hidden@x", "_.hidden@x"),
            (DROP_FOLDER, "Drop"),
            ("Drop (C:/..)", "drop__c__.._"),
        ];
        for (mailbox, want) in cases {
            assert_eq!(safe_file_name(mailbox), want);
        }
    }

    #[test]
    fn maildir_delivery_writes_one_whole_file_octet_for_octet() {
        // (what the client sent, whether the engine kept octets beside the text)
        let latin1 = b"Subject: caf\xe9\r\n\r\nna\xefve\r\n".to_vec();
        let cases = [
            (b"Subject: hi\r\n\r\nbody\r\n".to_vec(), false),
            (latin1, true),
        ];
        for (i, (octets, raw)) in cases.into_iter().enumerate() {
            let dir =
                std::env::temp_dir().join(format!("smtp-trainer-edge-{}-{i}", std::process::id()));
            let room = Mailroom::maildir(&dir).unwrap();
            let msg = StoredMessage {
                mailbox: "user@contoso.com".into(),
                from: "a@b.example".into(),
                content: String::from_utf8_lossy(&octets).into_owned(),
                raw: raw.then(|| octets.clone()),
                ..StoredMessage::default()
            };
            room.deliver(&msg).unwrap();
            let files: Vec<_> = std::fs::read_dir(dir.join("user@contoso.com"))
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            assert_eq!(files.len(), 1);
            assert_eq!(files[0].extension().unwrap(), "eml");
            assert_eq!(std::fs::read(&files[0]).unwrap(), octets);
            std::fs::remove_dir_all(&dir).unwrap();
        }
    }

    #[test]
    fn a_maildir_that_is_a_file_is_refused_in_plain_words() {
        let file =
            std::env::temp_dir().join(format!("smtp-trainer-edge-file-{}", std::process::id()));
        std::fs::write(&file, b"").unwrap();
        let err = Mailroom::maildir(&file).unwrap_err();
        assert!(err.contains("is a file; give a folder"), "{err}");
        std::fs::remove_file(&file).unwrap();
    }

    #[test]
    fn listen_addresses_are_read_as_people_type_them() {
        let ok = [
            ("127.0.0.1:2525", "127.0.0.1:2525"),
            ("[::]:25", "[::]:25"),
            ("2525", "127.0.0.1:2525"),
            ("localhost:2526", "127.0.0.1:2526"),
        ];
        for (text, want) in ok {
            assert_eq!(
                parse_listen(text).map(|a| a.to_string()),
                Ok(want.into()),
                "{text}"
            );
        }
        for text in ["", "foo", "127.0.0.1:99999", "localhost"] {
            let err = parse_listen(text).unwrap_err();
            assert!(err.contains("such as 127.0.0.1:2525"), "{text}: {err}");
        }
        let denied = io::Error::from(io::ErrorKind::PermissionDenied);
        let low = listen_failure("127.0.0.1:25".parse().unwrap(), &denied);
        assert!(
            low.contains("administrator rights") && low.contains("127.0.0.1:2525"),
            "{low}"
        );
        let high = listen_failure("127.0.0.1:2525".parse().unwrap(), &denied);
        assert!(!high.contains("administrator"), "{high}");
    }

    #[test]
    fn clock_counts_from_the_epoch_and_maps_back_to_instants() {
        let c = EdgeClock::start();
        assert!(c.epoch_unix_secs() > 1_700_000_000);
        let now = c.now();
        assert!(now < 1000);
        assert!(c.instant_at(now + 1000) > Instant::now());
        assert_eq!(c.until(0), Duration::ZERO);
    }
}
