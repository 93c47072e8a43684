//! Shared driver for the command-line tests: runs the built `smtp-trainer` binary as a child
//! process, finds the port it chose, and talks to it over real sockets.
#![allow(dead_code)] // each test file uses its own part of the driver

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The binary under test, built by cargo for the integration tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_smtp-trainer");

/// Lines a child wrote on one stream, collected by a thread as they arrive.
#[derive(Clone, Default)]
pub struct Lines(Arc<Mutex<Vec<String>>>);

impl Lines {
    fn collect(stream: impl Read + Send + 'static) -> Lines {
        let lines = Lines::default();
        let sink = lines.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                sink.0.lock().unwrap().push(line);
            }
        });
        lines
    }

    /// Everything collected so far.
    pub fn snapshot(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }

    /// Waits up to `limit` for a line containing `needle`, returning it.
    pub fn wait_for(&self, needle: &str, limit: Duration) -> Option<String> {
        self.wait_for_count(needle, 1, limit)
    }

    /// Waits up to `limit` until `count` lines contain `needle`, returning the last of them.
    pub fn wait_for_count(&self, needle: &str, count: usize, limit: Duration) -> Option<String> {
        let deadline = Instant::now() + limit;
        loop {
            let found: Vec<String> = self
                .snapshot()
                .into_iter()
                .filter(|l| l.contains(needle))
                .collect();
            if found.len() >= count {
                return found.into_iter().last();
            }
            if Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// A running `serve` or `web` child on an ephemeral loopback port; killed when dropped.
pub struct Server {
    pub child: Child,
    pub port: u16,
    pub stdout: Lines,
    pub stderr: Lines,
}

impl Server {
    /// The log line `serve` writes on stderr when its first session ends (up to 5 s).
    #[allow(dead_code)] // not every test crate that shares this module reads session logs
    pub fn first_session_log(&self) -> String {
        self.stderr
            .wait_for("session=1 ", Duration::from_secs(5))
            .unwrap_or_else(|| panic!("no log line for session 1 within 5 s"))
    }

    /// Starts `smtp-trainer <args> --listen 127.0.0.1:0` and waits for the line that names
    /// the port it chose.
    pub fn start(args: &[&str]) -> Server {
        Server::start_on(args, "127.0.0.1:0")
    }

    /// Starts `smtp-trainer <args> --listen <listen>` (port 0) and waits for the line that
    /// names the port it chose; clients connect to 127.0.0.1 on it.
    pub fn start_on(args: &[&str], listen: &str) -> Server {
        let host = listen.rsplit_once(':').map_or(listen, |(host, _)| host);
        let needle = format!("{host}:");
        let mut child = Command::new(BIN)
            .args(args)
            .args(["--listen", listen])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start smtp-trainer");
        let stdout = Lines::collect(child.stdout.take().unwrap());
        let stderr = Lines::collect(child.stderr.take().unwrap());
        let line = stderr
            .wait_for(&needle, Duration::from_secs(10))
            .unwrap_or_else(|| panic!("no listening line; stderr: {:?}", stderr.snapshot()));
        let port = line
            .split(needle.as_str())
            .nth(1)
            .and_then(|rest| {
                let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                digits.parse().ok()
            })
            .expect("port in the listening line");
        Server {
            child,
            port,
            stdout,
            stderr,
        }
    }

    /// Opens a client connection.
    pub fn connect(&self) -> Client {
        Client::connect(self.port)
    }

    /// Sends a signal to the child (SIGTERM = 15, SIGINT = 2).
    pub fn signal(&self, signal: i32) {
        let status = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(self.child.id().to_string())
            .status()
            .expect("run kill");
        assert!(status.success());
    }

    /// Waits up to `limit` for the child to exit, returning its exit code.
    pub fn wait_exit(&mut self, limit: Duration) -> Option<i32> {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A raw TCP client that reads complete SMTP replies.
pub struct Client {
    pub stream: TcpStream,
    pending: Vec<u8>,
}

impl Client {
    pub fn connect(port: u16) -> Client {
        let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        Client {
            stream,
            pending: Vec::new(),
        }
    }

    pub fn send(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).expect("send");
    }

    /// Sends one byte per write, pausing between them, as a person's telnet does.
    pub fn send_slowly(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.stream
                .write_all(std::slice::from_ref(b))
                .expect("send");
            self.stream.flush().unwrap();
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    /// Reads exactly `n` bytes (for telnet negotiation answers).
    pub fn read_exact(&mut self, n: usize) -> Vec<u8> {
        while self.pending.len() < n {
            self.fill();
        }
        self.pending.drain(..n).collect()
    }

    /// Reads one complete reply, multi-line replies included, as text with CRLFs.
    pub fn reply(&mut self) -> String {
        let mut text = String::new();
        loop {
            let line = self.line();
            text.push_str(&line);
            if line.as_bytes().get(3) != Some(&b'-') {
                return text;
            }
        }
    }

    /// Reads one line ending in CRLF.
    fn line(&mut self) -> String {
        loop {
            if let Some(i) = self.pending.windows(2).position(|w| w == b"\r\n") {
                let line: Vec<u8> = self.pending.drain(..i + 2).collect();
                return String::from_utf8_lossy(&line).into_owned();
            }
            self.fill();
        }
    }

    fn fill(&mut self) {
        let mut buf = [0u8; 4096];
        let n = self.stream.read(&mut buf).expect("read a reply");
        assert!(
            n > 0,
            "server closed; had {:?}",
            String::from_utf8_lossy(&self.pending)
        );
        self.pending.extend_from_slice(&buf[..n]);
    }

    /// True if the server closes the connection within the read timeout with nothing more
    /// to say.
    pub fn closed(&mut self) -> bool {
        let mut buf = [0u8; 64];
        let end = match self.stream.read(&mut buf) {
            Ok(n) => n == 0,
            Err(e) => e.kind() == std::io::ErrorKind::ConnectionReset,
        };
        self.pending.is_empty() && end
    }
}
