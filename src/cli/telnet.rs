//! Telnet option handling for `serve`, so a person can type at the server with a real `telnet`.
//!
//! Telnet clients that negotiate (PuTTY, and most clients when told to) open the connection with
//! IAC commands such as `IAC WILL NAWS` or `IAC DO ECHO`. An SMTP server has no use for any
//! option, so every request is refused politely (`WILL x` gets `DONT x`, `DO x` gets `WONT x`,
//! each at most once per option so a confused client cannot start a loop), subnegotiations are
//! skipped without being buffered, and `IAC IAC` is the literal byte 0xFF.
//!
//! Mail clients never send IAC, and their data may legitimately contain 0xFF (8-bit text, BDAT
//! chunks of BINARYMIME), so interpreting IAC everywhere would corrupt mail. The filter therefore
//! decides from the first byte of the connection: a connection that begins with IAC is a
//! negotiating telnet client and is filtered throughout; any other connection is passed through
//! untouched. Telnet clients that never negotiate (Microsoft Telnet, `telnet host 25` on Linux)
//! send plain characters, which is exactly what the engine expects.
//!
//! One exception: a person who starts in line mode and then switches their client to character
//! mode (`Ctrl+]`, `mode character` in Debian's telnet, to type like Microsoft Telnet) makes it
//! negotiate mid-session, and then end lines with CR NUL. A read that begins with IAC and a
//! negotiation verb, at the start of a line, while the engine reads commands (not message text
//! or a BDAT chunk), is never SMTP, so the filter switches to telnet mode there.

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
    /// Nothing received yet.
    Undecided,
    /// The first byte was not IAC: bytes pass through untouched.
    Plain,
    /// The first byte was IAC: telnet commands are interpreted and stripped.
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
    /// In plain mode, true when the bytes so far end a line (or there are none yet).
    line_start: bool,
}

impl Default for TelnetFilter {
    fn default() -> Self {
        Self::new()
    }
}

impl TelnetFilter {
    /// A filter for a fresh connection; the mode is decided by the first byte.
    pub fn new() -> Self {
        TelnetFilter {
            mode: Mode::Undecided,
            state: State::Data,
            refused_will: [0; 4],
            refused_do: [0; 4],
            line_start: true,
        }
    }

    /// True once the client has shown itself to be a negotiating telnet client. The edge then
    /// escapes 0xFF in what it sends with [`escape_output`].
    pub fn is_telnet(&self) -> bool {
        self.mode == Mode::Telnet
    }

    /// Filters one read, `input`, appending the SMTP bytes to `data` and any replies to
    /// `reply`. `commands` says the engine is reading command lines (not message text or a
    /// BDAT chunk): only then may a plain connection turn out to be telnet after all.
    ///
    /// In telnet mode a CR followed by NUL is the Return key of a client in character mode
    /// (RFC 854's "bare carriage return"); the NUL is dropped and an LF put in its place so the
    /// line ends as SMTP expects.
    pub fn feed(&mut self, input: &[u8], data: &mut Vec<u8>, reply: &mut Vec<u8>, commands: bool) {
        if self.mode == Mode::Undecided {
            match input.first() {
                None => return,
                Some(&IAC) => self.mode = Mode::Telnet,
                Some(_) => self.mode = Mode::Plain,
            }
        }
        if self.mode == Mode::Plain {
            let negotiates = matches!(input, [IAC, WILL | WONT | DO | DONT | SB, ..]);
            if !(negotiates && commands && self.line_start) {
                data.extend_from_slice(input);
                if let Some(&last) = input.last() {
                    self.line_start = last == b'\n';
                }
                return;
            }
            self.mode = Mode::Telnet;
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

    /// Feeds `input` whole and one byte at a time; both must give the same result.
    fn run(input: &[u8]) -> (Vec<u8>, Vec<u8>) {
        let mut whole = TelnetFilter::new();
        let (mut data, mut reply) = (Vec::new(), Vec::new());
        whole.feed(input, &mut data, &mut reply, true);
        let mut split = TelnetFilter::new();
        let (mut data1, mut reply1) = (Vec::new(), Vec::new());
        for b in input {
            split.feed(std::slice::from_ref(b), &mut data1, &mut reply1, true);
        }
        assert_eq!(
            (&data, &reply),
            (&data1, &reply1),
            "split changed {input:?}"
        );
        (data, reply)
    }

    #[test]
    fn table_of_inputs_and_what_the_engine_and_client_see() {
        let cases: &[(&[u8], &[u8], &[u8])] = &[
            // A mail client: untouched, 0xFF included.
            (b"EHLO a\r\n", b"EHLO a\r\n", b""),
            (b"DATA\xff\xfb\x01\r\n", b"DATA\xff\xfb\x01\r\n", b""),
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
        f.feed(b"", &mut data, &mut reply, true);
        f.feed(b"\xff\xfb\x01", &mut data, &mut reply, true);
        assert!(f.is_telnet());
        assert_eq!(reply, b"\xff\xfe\x01");
    }

    #[test]
    fn a_client_switching_to_character_mode_between_commands_becomes_telnet() {
        // Reads after "EHLO a\r\n" (each with whether the engine reads commands) -> what
        // the engine and the client get, and whether the connection is telnet afterwards.
        type Case<'a> = (&'a [(&'a [u8], bool)], &'a [u8], &'a [u8], bool);
        let cases: &[Case] = &[
            // Debian telnet after `mode character`: negotiation, then CR NUL line ends.
            (
                &[(b"\xff\xfd\x03\xff\xfb\x18", true), (b"NOOP\r\x00", true)],
                b"NOOP\r\n",
                b"\xff\xfc\x03\xff\xfe\x18",
                true,
            ),
            // Inside message text or a BDAT chunk 0xFF is data.
            (&[(b"\xff\xfd\x03", false)], b"\xff\xfd\x03", b"", false),
            // Not at the start of a read, or not at the start of a line: data.
            (
                &[(b"x\r\n\xff\xfd\x03", true)],
                b"x\r\n\xff\xfd\x03",
                b"",
                false,
            ),
            (
                &[(b"x", true), (b"\xff\xfd\x03", true)],
                b"x\xff\xfd\x03",
                b"",
                false,
            ),
            // IAC alone, or before something that is not a negotiation: data.
            (&[(b"\xff", true)], b"\xff", b"", false),
            (&[(b"\xff\xf1", true)], b"\xff\xf1", b"", false),
        ];
        for (reads, want_data, want_reply, telnet) in cases {
            let mut f = TelnetFilter::new();
            let (mut data, mut reply) = (Vec::new(), Vec::new());
            f.feed(b"EHLO a\r\n", &mut data, &mut reply, true);
            data.clear();
            for (bytes, commands) in *reads {
                f.feed(bytes, &mut data, &mut reply, *commands);
            }
            assert_eq!(data, *want_data, "{reads:?}");
            assert_eq!(reply, *want_reply, "{reads:?}");
            assert_eq!(f.is_telnet(), *telnet, "{reads:?}");
        }
    }

    #[test]
    fn output_escaping_doubles_iac_only() {
        assert_eq!(&*escape_output(b"250 OK\r\n"), b"250 OK\r\n");
        assert_eq!(&*escape_output(b"a\xffb"), b"a\xff\xffb");
    }

    proptest::proptest! {
        /// Whatever a client sends, a plain connection reaches the engine unchanged, and a
        /// telnet connection never yields more data than it sent.
        #[test]
        fn plain_streams_pass_through_and_telnet_streams_shrink(
            first in 0u8..255, rest in proptest::collection::vec(proptest::num::u8::ANY, 0..200)
        ) {
            let mut input = vec![first];
            input.extend(&rest);
            let (data, _) = run(&input);
            proptest::prop_assert_eq!(&data, &input);
            let mut telnet = vec![IAC, 241];
            telnet.extend(&rest);
            let (data, reply) = run(&telnet);
            proptest::prop_assert!(data.len() <= rest.len());
            proptest::prop_assert!(reply.len() <= 3 * 512);
        }
    }
}
