//! Telnet option handling for `serve`, so a person can type at the server with a real `telnet`.
//!
//! Telnet clients that negotiate (PuTTY, and most clients when told to) open the connection with
//! IAC commands such as `IAC WILL NAWS` or `IAC DO ECHO`. An SMTP server has no use for any
//! option, so every request is refused politely (`WILL x` gets `DONT x`, `DO x` gets `WONT x`,
//! each at most once per option so a confused client cannot start a loop), subnegotiations are
//! skipped without being buffered, and `IAC IAC` is the literal byte 0xFF.
//!
//! Mail clients never send IAC, and their message text may legitimately contain 0xFF (8-bit
//! text, BDAT chunks of BINARYMIME), so interpreting IAC everywhere would corrupt mail. A
//! command line, though, is ASCII (or UTF-8, which never holds 0xFF): so a read that starts
//! with IAC while the session expects commands is a telnet client negotiating, whether it does
//! so as the connection opens (PuTTY) or later (Linux `telnet`, switched with Ctrl+] `mode
//! character` after a few lines), and from then on the connection is filtered throughout. Any
//! other connection is passed through untouched. Telnet clients that never negotiate
//! (Microsoft Telnet, `telnet host 25` on Linux) send plain characters, which is exactly what
//! the engine expects.

/// Interpret As Command: starts every telnet command.
const IAC: u8 = 255;
const DONT: u8 = 254;
const DO: u8 = 253;
const WONT: u8 = 252;
const WILL: u8 = 251;
/// Subnegotiation Begin and End.
const SB: u8 = 250;
const SE: u8 = 240;

/// Whether the connection turned out to be a negotiating telnet client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// No telnet command seen: bytes pass through untouched.
    Plain,
    /// A read between commands started with IAC: telnet commands are interpreted and stripped.
    Telnet,
}

/// Where the filter is inside a telnet command, carried across reads (a command may be split
/// between two TCP segments, and a person's client may send one byte per segment).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Data,
    /// After IAC.
    Command,
    /// After IAC WILL/WONT/DO/DONT, waiting for the option byte.
    Option(u8),
    /// Inside IAC SB ... IAC SE; the payload is discarded as it arrives.
    Sub,
    /// After IAC inside a subnegotiation.
    SubCommand,
    /// After a CR in telnet mode: a following NUL is dropped (see [`TelnetFilter::feed`]).
    Cr,
}

/// Strips telnet commands from a client's byte stream and produces the refusals to send back.
#[derive(Debug, Clone)]
pub struct TelnetFilter {
    mode: Mode,
    state: State,
    /// Options already refused, one bit per option and direction, so each is answered once.
    refused_will: [u64; 4],
    refused_do: [u64; 4],
}

impl Default for TelnetFilter {
    fn default() -> Self {
        Self::new()
    }
}

impl TelnetFilter {
    /// A filter for a fresh connection, plain until a telnet command shows up.
    pub fn new() -> Self {
        TelnetFilter {
            mode: Mode::Plain,
            state: State::Data,
            refused_will: [0; 4],
            refused_do: [0; 4],
        }
    }

    /// True once the client has shown itself to be a negotiating telnet client. The edge then
    /// escapes 0xFF in what it sends with [`escape_output`].
    pub fn is_telnet(&self) -> bool {
        self.mode == Mode::Telnet
    }

    /// Filters `input`, one read from the client, appending the SMTP bytes to `data` and any
    /// replies to `reply`. `in_message` says the session is receiving message text (after
    /// 354, inside a BDAT chunk), where a plain connection's 0xFF is mail, not a command.
    ///
    /// In telnet mode a CR followed by NUL is the Return key of a client in character mode
    /// (RFC 854's "bare carriage return"); the NUL is dropped and an LF put in its place so the
    /// line ends as SMTP expects.
    pub fn feed(
        &mut self,
        input: &[u8],
        in_message: bool,
        data: &mut Vec<u8>,
        reply: &mut Vec<u8>,
    ) {
        if self.mode == Mode::Plain && !in_message && input.first() == Some(&IAC) {
            self.mode = Mode::Telnet;
        }
        if self.mode == Mode::Plain {
            data.extend_from_slice(input);
            return;
        }
        for &b in input {
            self.state = match (self.state, b) {
                (State::Data | State::Cr, IAC) => State::Command,
                (State::Cr, 0) => {
                    data.push(b'\n');
                    State::Data
                }
                (State::Data | State::Cr, b'\r') => {
                    data.push(b);
                    State::Cr
                }
                (State::Data | State::Cr, _) => {
                    data.push(b);
                    State::Data
                }
                (State::Command, IAC) => {
                    data.push(IAC);
                    State::Data
                }
                (State::Command, WILL | WONT | DO | DONT) => State::Option(b),
                (State::Command, SB) => State::Sub,
                // NOP, Data Mark, Break, Interrupt, Abort Output, Are You There, Erase
                // Character, Erase Line, Go Ahead, a stray SE: nothing an SMTP session can use.
                (State::Command, _) => State::Data,
                (State::Option(verb), option) => {
                    self.refuse(verb, option, reply);
                    State::Data
                }
                (State::Sub, IAC) => State::SubCommand,
                (State::Sub, _) => State::Sub,
                (State::SubCommand, SE) => State::Data,
                (State::SubCommand, _) => State::Sub,
            };
        }
    }

    /// Answers a WILL with DONT and a DO with WONT, once per option; WONT and DONT need no
    /// answer because every option is already off.
    fn refuse(&mut self, verb: u8, option: u8, reply: &mut Vec<u8>) {
        let (seen, answer) = match verb {
            WILL => (&mut self.refused_will, DONT),
            DO => (&mut self.refused_do, WONT),
            _ => return,
        };
        let (word, bit) = (usize::from(option / 64), option % 64);
        if seen[word] & (1 << bit) == 0 {
            seen[word] |= 1 << bit;
            reply.extend_from_slice(&[IAC, answer, option]);
        }
    }
}

/// Doubles 0xFF bytes so a telnet client shows them as data rather than reading a command.
/// Borrowed when there is nothing to escape, which is every reply a persona sends.
pub fn escape_output(bytes: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    if !bytes.contains(&IAC) {
        return std::borrow::Cow::Borrowed(bytes);
    }
    let mut out = Vec::with_capacity(bytes.len() + 8);
    for &b in bytes {
        out.push(b);
        if b == IAC {
            out.push(IAC);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds `input` whole and one byte at a time, between commands or (`in_message`) as
    /// message text; both must give the same result.
    fn feed_both_ways(input: &[u8], in_message: bool) -> (Vec<u8>, Vec<u8>) {
        let mut whole = TelnetFilter::new();
        let (mut data, mut reply) = (Vec::new(), Vec::new());
        whole.feed(input, in_message, &mut data, &mut reply);
        let mut split = TelnetFilter::new();
        let (mut data1, mut reply1) = (Vec::new(), Vec::new());
        for b in input {
            split.feed(std::slice::from_ref(b), in_message, &mut data1, &mut reply1);
        }
        assert_eq!(
            (&data, &reply),
            (&data1, &reply1),
            "split changed {input:?}"
        );
        (data, reply)
    }

    fn run(input: &[u8]) -> (Vec<u8>, Vec<u8>) {
        feed_both_ways(input, false)
    }

    #[test]
    fn table_of_inputs_and_what_the_engine_and_client_see() {
        let cases: &[(&[u8], &[u8], &[u8])] = &[
            // A mail client: untouched.
            (b"EHLO a\r\n", b"EHLO a\r\n", b""),
            // A negotiating client: WILL refused with DONT, DO with WONT.
            (b"\xff\xfb\x1fHELO x\r\n", b"HELO x\r\n", b"\xff\xfe\x1f"),
            (
                b"\xff\xfd\x01\xff\xfd\x03",
                b"",
                b"\xff\xfc\x01\xff\xfc\x03",
            ),
            // WONT and DONT are not answered.
            (b"\xff\xfc\x01\xff\xfe\x01ok", b"ok", b""),
            // Each option is refused once, however often it is asked.
            (b"\xff\xfb\x18\xff\xfb\x18", b"", b"\xff\xfe\x18"),
            // Subnegotiation skipped, including an escaped IAC inside it.
            (
                b"\xff\xfa\x18\x00AN\xff\xffSI\xff\xf0NOOP\r\n",
                b"NOOP\r\n",
                b"",
            ),
            // IAC IAC is a data byte; two-byte commands vanish.
            (b"\xff\xf1a\xff\xffb\xff\xf4c", b"a\xffbc", b""),
            // CR NUL is the Return key.
            (b"\xff\xf1QUIT\r\x00", b"QUIT\r\n", b""),
            (b"\xff\xf1QUIT\r\n", b"QUIT\r\n", b""),
        ];
        for (input, data, reply) in cases {
            let (got_data, got_reply) = run(input);
            assert_eq!(got_data, *data, "data for {input:?}");
            assert_eq!(got_reply, *reply, "reply for {input:?}");
        }
    }

    #[test]
    fn an_empty_read_does_not_decide_the_mode() {
        let mut f = TelnetFilter::new();
        let (mut data, mut reply) = (Vec::new(), Vec::new());
        f.feed(b"", false, &mut data, &mut reply);
        f.feed(b"\xff\xfb\x01", false, &mut data, &mut reply);
        assert!(f.is_telnet());
        assert_eq!(reply, b"\xff\xfe\x01");
    }

    #[test]
    fn a_client_that_starts_negotiating_after_some_lines_is_telnet_from_then_on() {
        // Linux telnet: HELO typed in line mode, then Ctrl+] `mode character`, then NOOP and
        // Return, which that mode sends as CR NUL.
        let mut f = TelnetFilter::new();
        let (mut data, mut reply) = (Vec::new(), Vec::new());
        f.feed(b"HELO x\r\n", false, &mut data, &mut reply);
        assert!(!f.is_telnet());
        f.feed(b"\xff\xfd\x03\xff\xfb\x18", false, &mut data, &mut reply);
        for b in b"NOOP\r\x00" {
            f.feed(std::slice::from_ref(b), false, &mut data, &mut reply);
        }
        assert!(f.is_telnet());
        assert_eq!(data, b"HELO x\r\nNOOP\r\n");
        assert_eq!(reply, b"\xff\xfc\x03\xff\xfe\x18");
    }

    #[test]
    fn message_text_of_a_plain_connection_is_never_touched() {
        // 8-bit text or a BINARYMIME chunk whose read starts with 0xFF is mail.
        for input in [
            &b"\xff\xfb\x01 caf\xe9\r\n"[..],
            b"\xff\xff\xff",
            b"\xff\xf4",
        ] {
            assert_eq!(feed_both_ways(input, true), (input.to_vec(), Vec::new()));
        }
        // 0xFF after the start of a read between commands is not a negotiation either: it is
        // BDAT's chunk sent in the same segment as its command.
        let bdat = b"BDAT 3 LAST\r\n\xff\xfb\x01";
        let mut f = TelnetFilter::new();
        let (mut data, mut reply) = (Vec::new(), Vec::new());
        f.feed(bdat, false, &mut data, &mut reply);
        assert_eq!((data.as_slice(), reply.as_slice()), (&bdat[..], &b""[..]));
    }

    #[test]
    fn output_escaping_doubles_iac_only() {
        assert_eq!(&*escape_output(b"250 OK\r\n"), b"250 OK\r\n");
        assert_eq!(&*escape_output(b"a\xffb"), b"a\xff\xffb");
    }

    proptest::proptest! {
        /// Whatever message text a plain connection sends reaches the engine unchanged, so do
        /// commands without IAC, and a telnet connection never yields more data than it sent.
        #[test]
        fn plain_streams_pass_through_and_telnet_streams_shrink(
            first in 0u8..255, rest in proptest::collection::vec(proptest::num::u8::ANY, 0..200)
        ) {
            let mut input = vec![first];
            input.extend(&rest);
            let (data, _) = feed_both_ways(&input, true);
            proptest::prop_assert_eq!(&data, &input);
            let commands: Vec<u8> = input.iter().copied().filter(|&b| b != IAC).collect();
            let (data, _) = run(&commands);
            proptest::prop_assert_eq!(&data, &commands);
            let mut telnet = vec![IAC, 241];
            telnet.extend(&rest);
            let (data, reply) = run(&telnet);
            proptest::prop_assert!(data.len() <= rest.len());
            proptest::prop_assert!(reply.len() <= 3 * 512);
        }
    }
}
