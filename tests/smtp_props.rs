//! Property tests of the session's invariants over many generated sessions:
//! - every complete command line gets exactly one well-formed reply;
//! - any split of the input gives the same outputs;
//! - a 501 or 503 never changes the state;
//! - every limit accepts exactly N and refuses N+1;
//! - nothing but CRLF.CRLF ends the data, and dot-stuffing is undone exactly.

mod smtp_support;

use proptest::prelude::*;
use smtp_support::{replies, session};
use smtp_trainer::smtp::{
    persona, LimitOverrides, Output, ServerEvent, ServerOverrides, Session, StoredMessage,
};

/// Every product persona, as listed.
fn personas() -> Vec<&'static str> {
    persona::ids()
}

/// Command lines from the SMTP alphabet: real verbs with good and bad arguments, junk, a
/// Backspace byte, non-ASCII. Never STARTTLS or BDAT (their framing is tested elsewhere).
fn command_line() -> impl Strategy<Value = Vec<u8>> {
    let verbs = prop::sample::select(vec![
        "EHLO",
        "HELO",
        "MAIL",
        "RCPT",
        "RSET",
        "NOOP",
        "VRFY",
        "EXPN",
        "HELP",
        "TURN",
        "ATRN",
        "ETRN",
        "AUTH",
        "XEXCH50",
        "ehlo",
        "mail",
        "rcpt",
        "FOO",
        "",
        "DATX\x08A",
    ]);
    let args = prop::sample::select(vec![
        "",
        "test.com",
        "sub2.",
        "bad_name!",
        "FROM:<admin@test.com>",
        "FROM:Admin@test.com",
        "FROM:<>",
        "FROM:<a@b.c> SIZE=100",
        "FROM:<a@b.c> SIZE=99999999999",
        "FROM:<a@b.c> FOO=1",
        "FROM:",
        "TO:<john@contoso.com>",
        "TO: User@contoso.com notify=success,failure",
        "TO:<nobody@contoso.com>",
        "TO:<x@fabrikam.com>",
        "TO:<john@",
        "TO:<john@contoso.com> NOTIFY=BAD",
        "LOGIN",
        "LOGIN YWRtaW4=",
        "PLAIN",
        "contoso.com",
        "adm\x08in",
    ]);
    let junk = prop::collection::vec(any::<u8>(), 0..40)
        .prop_map(|v| v.into_iter().filter(|&b| b != b'\n').collect::<Vec<u8>>());
    prop_oneof![
        4 => (verbs, args).prop_map(|(v, a)| {
            let mut l = v.as_bytes().to_vec();
            if !a.is_empty() {
                l.push(b' ');
                l.extend_from_slice(a.as_bytes());
            }
            l
        }),
        1 => junk,
    ]
}

/// One step of a session: a command, or a whole message after DATA.
#[derive(Debug, Clone)]
enum Op {
    Line(Vec<u8>),
    Message(Vec<Vec<u8>>),
}

fn op() -> impl Strategy<Value = Op> {
    let body_line = prop::collection::vec(
        prop::sample::select(vec![b'a', b'.', b' ', b':', b'\r', b'\x00', b'Z']),
        0..12,
    )
    .prop_map(|v| {
        // A body line may hold a lone CR but never ends in one (CR LF is added).
        let mut v = v;
        while v.last() == Some(&b'\r') {
            v.pop();
        }
        // Dot-stuffed as a client sends it (RFC 5321 4.5.2): a lone `.` would end the data.
        if v.first() == Some(&b'.') {
            v.insert(0, b'.');
        }
        v
    });
    prop_oneof![
        6 => command_line().prop_map(Op::Line),
        1 => prop::collection::vec(body_line, 0..5).prop_map(Op::Message),
    ]
}

/// Checks one reply's wire form: 3 digits, first 2-5, the same code on every line, `-` on all
/// but the last, printable ASCII, at most 512 octets with CRLF per line.
fn well_formed(reply: &[u8]) -> Result<(), String> {
    let text = std::str::from_utf8(reply).map_err(|e| e.to_string())?;
    if !text.ends_with("\r\n") {
        return Err(format!("no CRLF: {text:?}"));
    }
    let lines: Vec<&str> = text.split_terminator("\r\n").collect();
    for (i, l) in lines.iter().enumerate() {
        let b = l.as_bytes();
        let last = i + 1 == lines.len();
        let ok = b.len() >= 3
            && b[..3].iter().all(u8::is_ascii_digit)
            && (b'2'..=b'5').contains(&b[0])
            && b[..3] == lines[0].as_bytes()[..3]
            && (b.len() == 3 || b[3] == if last { b' ' } else { b'-' })
            && b.iter().all(|c| (b' '..=b'~').contains(c))
            && b.len() + 2 <= 512;
        if !ok {
            return Err(format!("bad reply line {l:?}"));
        }
    }
    Ok(())
}

fn code(reply: &[u8]) -> u16 {
    std::str::from_utf8(&reply[..3.min(reply.len())])
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

fn line_bytes(l: &[u8]) -> Vec<u8> {
    let mut v = l.to_vec();
    v.extend_from_slice(b"\r\n");
    v
}

fn all_outputs(s: &mut Session) -> Vec<Output> {
    smtp_support::wait_out_tarpit(s);
    std::iter::from_fn(|| s.poll_output()).collect()
}

/// The input bytes of a list of ops.
fn input(ops: &[Op]) -> Vec<u8> {
    let mut v = Vec::new();
    for op in ops {
        match op {
            Op::Line(l) => v.extend(line_bytes(l)),
            Op::Message(lines) => {
                v.extend_from_slice(b"DATA\r\n");
                for l in lines {
                    v.extend(line_bytes(l));
                }
                v.extend_from_slice(b".\r\n");
            }
        }
    }
    v
}

fn overrides_with(limits: LimitOverrides) -> ServerOverrides {
    ServerOverrides {
        limits: Some(limits),
        ..ServerOverrides::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn every_complete_command_gets_exactly_one_well_formed_reply(
        p in prop::sample::select(personas()),
        ops in prop::collection::vec(op(), 0..30),
    ) {
        let mut s = session(p, &ServerOverrides::default(), 3);
        let (banner, _) = replies(&mut s);
        prop_assert_eq!(banner.len(), 1);
        prop_assert!(well_formed(&banner[0]).is_ok());
        for op in &ops {
            if s.is_closed() {
                break;
            }
            let lines: Vec<Vec<u8>> = match op {
                Op::Line(l) => vec![line_bytes(l)],
                Op::Message(_) => vec![b"DATA\r\n".to_vec()],
            };
            for l in lines {
                s.handle_bytes(&l, 0);
                let (got, _) = replies(&mut s);
                prop_assert_eq!(got.len(), 1, "{:?} got {:?}", String::from_utf8_lossy(&l), got);
                if let Err(e) = well_formed(&got[0]) {
                    prop_assert!(false, "{}", e);
                }
                if let (Op::Message(body), 354) = (op, code(&got[0])) {
                    for bl in body {
                        s.handle_bytes(&line_bytes(bl), 0);
                        let (none, _) = replies(&mut s);
                        prop_assert!(none.is_empty());
                    }
                    s.handle_bytes(b".\r\n", 0);
                    let (end, _) = replies(&mut s);
                    prop_assert_eq!(end.len(), 1);
                    prop_assert!(well_formed(&end[0]).is_ok());
                }
            }
        }
    }

    #[test]
    fn any_split_of_the_input_gives_the_same_outputs(
        p in prop::sample::select(personas()),
        ops in prop::collection::vec(op(), 0..20),
        extra in prop::sample::select(vec![
            &b""[..], b"STARTTLS\r\nNOOP\r\n", b"BDAT 5\r\nab\r\ncBDAT 0 LAST\r\n",
            b"AUTH LOGIN\r\nYWRtaW4=\r\nUEBzc3cwcmQ=\r\n", b"\r\n.\r\n",
        ]),
        cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..30),
    ) {
        let mut bytes = b"EHLO test.com\r\nMAIL FROM:<admin@contoso.com>\r\nRCPT TO:<john@contoso.com>\r\n".to_vec();
        bytes.extend(input(&ops));
        bytes.extend_from_slice(extra);
        let mut whole = session(p, &ServerOverrides::default(), 9);
        whole.handle_bytes(&bytes, 5);
        let want = all_outputs(&mut whole);

        let mut points: Vec<usize> = cuts.iter().map(|i| i.index(bytes.len() + 1)).collect();
        points.push(0);
        points.push(bytes.len());
        points.sort_unstable();
        let mut split = session(p, &ServerOverrides::default(), 9);
        let mut got = Vec::new();
        for w in points.windows(2) {
            split.handle_bytes(&bytes[w[0]..w[1]], 5);
            got.extend(all_outputs(&mut split));
        }
        prop_assert_eq!(got, want);
    }

    #[test]
    fn a_501_or_503_never_changes_the_state(
        prefix in prop::collection::vec(op(), 0..12),
        probe in command_line(),
        suffix in prop::collection::vec(op(), 1..12),
    ) {
        // Inside an AUTH LOGIN exchange a 501 (cancel, bad base64) rightly ends the exchange.
        let text = String::from_utf8_lossy(&input(&prefix)).to_ascii_uppercase();
        prop_assume!(!text.contains("AUTH"));
        // Exchange 2003 has no error limit, so an extra error cannot close the session early.
        let run = |with_probe: bool| {
            let mut s = session("exchange2003", &ServerOverrides::default(), 4);
            s.handle_bytes(&input(&prefix), 0);
            let _ = replies(&mut s);
            let mut probe_code = None;
            if with_probe {
                s.handle_bytes(&line_bytes(&probe), 0);
                probe_code = replies(&mut s).0.first().map(|r| code(r));
            }
            s.handle_bytes(&input(&suffix), 0);
            (probe_code, replies(&mut s))
        };
        let (code, with) = run(true);
        if matches!(code, Some(501) | Some(503)) {
            prop_assert_eq!(with, run(false).1);
        }
    }

    #[test]
    fn the_recipient_limit_is_exact(n in 1u32..60) {
        let o = overrides_with(LimitOverrides { max_recipients: Some(n), ..Default::default() });
        let mut s = session("exchange2003", &o, 1);
        let mut input = b"EHLO t\r\nMAIL FROM:<a@t.com>\r\n".to_vec();
        for _ in 0..=n {
            input.extend_from_slice(b"RCPT TO:<john@contoso.com>\r\n");
        }
        s.handle_bytes(&input, 0);
        let codes: Vec<u16> = replies(&mut s).0.iter().map(|r| code(r)).collect();
        prop_assert_eq!(codes.len() as u32, n + 4);
        prop_assert!(codes[3..3 + n as usize].iter().all(|&c| c == 250));
        prop_assert_eq!(codes[3 + n as usize], 452);
    }

    #[test]
    fn the_size_limit_is_exact(n in 3u64..4000, persona in prop::sample::select(personas())) {
        prop_assume!(persona != "msmail3");
        let o = overrides_with(LimitOverrides { max_message_size: Some(n), ..Default::default() });
        for (size, want) in [(n, 250), (n + 1, 552)] {
            let mut s = session(persona, &o, 1);
            // `size` octets of text: one line of x's and its CRLF.
            let mut input = b"EHLO t\r\nMAIL FROM:<a@t.com>\r\nRCPT TO:<john@contoso.com>\r\nDATA\r\n".to_vec();
            input.extend(std::iter::repeat_n(b'x', size as usize - 2));
            input.extend_from_slice(b"\r\n.\r\n");
            s.handle_bytes(&input, 0);
            let codes: Vec<u16> = replies(&mut s).0.iter().map(|r| code(r)).collect();
            prop_assert_eq!(codes.last().copied(), Some(want), "size {} limit {}", size, n);
            // The SIZE= pre-check draws the same line.
            let mut s = session(persona, &o, 1);
            let mail = format!("EHLO t\r\nMAIL FROM:<a@t.com> SIZE={size}\r\n");
            s.handle_bytes(mail.as_bytes(), 0);
            let codes: Vec<u16> = replies(&mut s).0.iter().map(|r| code(r)).collect();
            prop_assert_eq!(codes.last().copied(), Some(if size > n { 552 } else { 250 }));
        }
    }

    #[test]
    fn the_line_limit_is_exact(n in 16usize..3000) {
        let o = overrides_with(LimitOverrides { max_line_length: Some(n), ..Default::default() });
        for (len, want) in [(n, 250), (n + 1, 500)] {
            let mut s = session("exchange2016", &o, 1);
            let mut line = b"NOOP ".to_vec();
            line.resize(len - 2, b'x');
            line.extend_from_slice(b"\r\n");
            s.handle_bytes(&line, 0);
            let codes: Vec<u16> = replies(&mut s).0.iter().map(|r| code(r)).collect();
            prop_assert_eq!(codes, vec![220, want]);
            prop_assert!(s.buffered_bytes() <= n.max(1024));
        }
    }

    #[test]
    fn the_error_limit_is_exact(n in 1u32..20) {
        let o = overrides_with(LimitOverrides { max_errors: Some(n), ..Default::default() });
        let mut s = session("exchange2016", &o, 1);
        let _ = replies(&mut s);
        for i in 0..=n {
            s.handle_bytes(b"FOO\r\n", 0);
            let (got, closed) = replies(&mut s);
            let want = if i < n { 500 } else { 421 };
            prop_assert_eq!(got.iter().map(|r| code(r)).collect::<Vec<_>>(), vec![want]);
            prop_assert_eq!(closed, i == n);
        }
    }

    #[test]
    fn only_crlf_dot_crlf_ends_the_data(
        pieces in prop::collection::vec(prop::sample::select(vec![
            &b"\n.\n"[..], b"\n.\r", b"\r.\n", b"\r.\r", b"\n.\r\n", b"\r.\r\n",
            b"\r\n\x00.\r\n", b"\r\n.\r\r\n", b"\r\n..\r\n", b"\r\n.x", b"text", b"\r\n",
            b".", b"\r", b"\n", b"MAIL FROM:<x@y.z>\r\n",
        ]), 0..25),
    ) {
        let mut body: Vec<u8> = pieces.concat();
        // The generated text must not contain the real terminator (at the start, a bare
        // `.` CRLF counts as one too).
        let terminates = |b: &[u8]| {
            b.windows(5).any(|w| w == b"\r\n.\r\n") || b.starts_with(b".\r\n")
        };
        prop_assume!(!terminates(&body));
        if !body.ends_with(b"\r\n") {
            body.extend_from_slice(b"\r\n");
        }
        prop_assume!(!terminates(&body));
        let mut s = session("exchange2003", &ServerOverrides::default(), 2);
        let mut input = b"EHLO t\r\nMAIL FROM:<a@t.com>\r\nRCPT TO:<john@contoso.com>\r\nDATA\r\n".to_vec();
        input.extend(&body);
        input.extend_from_slice(b".\r\nQUIT\r\n");
        s.handle_bytes(&input, 0);
        let outs = all_outputs(&mut s);
        let delivered: Vec<&StoredMessage> = outs.iter().filter_map(|o| match o {
            Output::Event(ServerEvent::Delivered(m)) => Some(&**m),
            _ => None,
        }).collect();
        prop_assert_eq!(delivered.len(), 1);
        // Undo dot-stuffing: a dot at the start of a line (after CRLF) is dropped.
        let mut want = Vec::new();
        let mut line_start = true;
        for (i, &b) in body.iter().enumerate() {
            if !(line_start && b == b'.') {
                want.push(b);
            }
            line_start = b == b'\n' && i > 0 && body[i - 1] == b'\r';
        }
        let want = String::from_utf8_lossy(&want).into_owned();
        prop_assert!(delivered[0].content.ends_with(&want), "{:?} !~ {:?}", delivered[0].content, want);
        let codes: Vec<u16> = outs.iter().filter_map(|o| match o {
            Output::Transmit(b) => Some(code(b)),
            _ => None,
        }).collect();
        prop_assert_eq!(codes, vec![220, 250, 250, 250, 354, 250, 221]);
    }
}

#[test]
fn there_are_personas_to_exercise() {
    assert!(personas().len() >= 7);
}

#[test]
fn a_huge_message_is_counted_not_kept() {
    let mut s = session("exchange2003", &ServerOverrides::default(), 1);
    s.handle_bytes(
        b"EHLO t\r\nMAIL FROM:<a@t.com>\r\nRCPT TO:<john@contoso.com>\r\nDATA\r\n",
        0,
    );
    let chunk = vec![b'x'; 1 << 20];
    for _ in 0..30 {
        s.handle_bytes(&chunk, 0);
        assert!(s.buffered_bytes() <= (10 << 20) + 4096);
    }
    s.handle_bytes(b"\r\n.\r\n", 0);
    let codes: Vec<u16> = replies(&mut s).0.iter().map(|r| code(r)).collect();
    assert_eq!(codes.last(), Some(&552));
}

#[test]
fn a_hundred_thousand_recipients_stay_bounded() {
    let mut s = session("exchange2016", &ServerOverrides::default(), 1);
    s.handle_bytes(b"EHLO t\r\nMAIL FROM:<a@t.com>\r\n", 0);
    let mut input = Vec::new();
    for _ in 0..100_000 {
        input.extend_from_slice(b"RCPT TO:<john@contoso.com>\r\n");
    }
    s.handle_bytes(&input, 0);
    let codes: Vec<u16> = replies(&mut s).0.iter().map(|r| code(r)).collect();
    assert_eq!(codes.len(), 100_003);
    assert_eq!(codes.iter().filter(|&&c| c == 250).count(), 2 + 200);
    assert_eq!(codes.iter().filter(|&&c| c == 452).count(), 100_000 - 200);
}

/// Every persona's own limits, unchanged: exactly N passes, N+1 gets the persona's refusal.
#[test]
fn every_persona_limit_is_exact_at_its_own_value() {
    for p in persona::all() {
        let l = p.limits;
        let o = ServerOverrides::default();
        let hello: &[u8] = if p.id == "msmail3" {
            b"HELO t\r\n"
        } else {
            b"EHLO t\r\n"
        };
        // Recipients.
        let mut s = session(&p.id, &o, 1);
        let mut input = hello.to_vec();
        input.extend_from_slice(b"MAIL FROM:<a@t.com>\r\n");
        for _ in 0..=l.max_recipients {
            input.extend_from_slice(b"RCPT TO:<john@contoso.com>\r\n");
        }
        s.handle_bytes(&input, 0);
        let codes: Vec<u16> = replies(&mut s).0.iter().map(|r| code(r)).collect();
        let n = l.max_recipients as usize;
        assert!(codes[3..3 + n].iter().all(|&c| c == 250), "{}", p.id);
        assert_eq!(codes[3 + n], 452, "{}", p.id);
        // Command line length.
        for (len, ok) in [(l.max_line_length, true), (l.max_line_length + 1, false)] {
            let mut s = session(&p.id, &o, 1);
            let mut line = b"NOOP ".to_vec();
            line.resize(len - 2, b'x');
            line.extend_from_slice(b"\r\n");
            s.handle_bytes(&line, 0);
            let last = replies(&mut s).0.last().map(|r| code(r));
            assert_eq!(last == Some(250), ok, "{} line of {len}", p.id);
        }
        // Protocol errors, where the persona has a limit.
        if let Some(max) = l.max_errors {
            let mut s = session(&p.id, &o, 1);
            s.handle_bytes(&b"FOO\r\n".repeat(max as usize + 1), 0);
            let (got, closed) = replies(&mut s);
            let codes: Vec<u16> = got.iter().map(|r| code(r)).collect();
            assert_eq!(
                codes.iter().filter(|&&c| c == 500).count(),
                max as usize,
                "{}",
                p.id
            );
            assert_eq!(codes.last(), Some(&421), "{}", p.id);
            assert!(closed);
        }
        // Idle timeout: nothing at the deadline minus one, the close at the deadline.
        let mut s = session(&p.id, &o, 1);
        let _ = replies(&mut s);
        let deadline = l.idle_timeout_secs * 1000;
        assert_eq!(s.poll_timeout(), Some(deadline), "{}", p.id);
        s.handle_timeout(deadline - 1);
        assert!(replies(&mut s).0.is_empty());
        s.handle_timeout(deadline);
        assert!(replies(&mut s).1, "{}", p.id);
    }
}
