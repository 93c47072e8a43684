//! The workstation's public API as the browser app and the lessons use it: events, the mail
//! store, the event log, the trace, input modes, timers, type-ahead. Plus property tests: any
//! keys give no panic, a bounded run to idle, and the same screen for the same seed.

use proptest::prelude::*;
use smtp_trainer::clock::Millis;
use smtp_trainer::scenario::{Fault, World};
use smtp_trainer::smtp::persona::ReplyKey;
use smtp_trainer::windows::{drive, InputMode, Key, SimEvent, Workstation};

fn typed(ws: &mut Workstation, now: &mut Millis, text: &str) {
    for c in text.chars() {
        drive::run_until_idle(ws, now);
        ws.handle_key(if c == '\n' { Key::Enter } else { Key::Char(c) }, *now);
    }
    drive::run_until_idle(ws, now);
}

fn events(ws: &mut Workstation) -> Vec<SimEvent> {
    std::iter::from_fn(|| ws.poll_event()).collect()
}

fn world_with(faults: Vec<Fault>) -> World {
    World {
        faults,
        ..World::default()
    }
}

#[test]
fn cmds_own_commands_are_reported_by_their_name() {
    let mut ws = Workstation::new(World::default(), 7, 0);
    let mut now = 0;
    typed(
        &mut ws,
        &mut now,
        "cd..\nCHDIR \\WINDOWS\necho.\n@echo off\ndir /w\ncls.exe\nC:\\cls\n",
    );
    let programs: Vec<(String, String)> = events(&mut ws)
        .into_iter()
        .filter_map(|e| match e {
            SimEvent::CommandRun { program, line } => Some((program, line)),
            _ => None,
        })
        .collect();
    let want = [
        ("cd", "cd.."),
        ("chdir", "CHDIR \\WINDOWS"),
        ("echo", "echo."),
        ("echo", "echo off"),
        ("dir", "dir /w"),
        ("cls.exe", "cls.exe"),
        ("c:\\cls", "C:\\cls"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(p, l)| (p.to_string(), l.to_string()))
        .collect();
    assert_eq!(programs, want);
    // The screen: cd moved, and echo off took the prompt away.
    assert_eq!(ws.console().current_line(), "");
    assert!(ws.console().text().contains("C:\\WINDOWS>echo."));
}

#[test]
fn the_kb153119_session_delivers_and_reports_each_reply_with_its_command() {
    let mut ws = Workstation::new(World::default(), 7, 0);
    let mut now = 0;
    typed(
        &mut ws,
        &mut now,
        "telnet mail.contoso.com 25\nEHLO test.com\nMAIL FROM:Admin@test.com\nRCPT TO: john@contoso.com\nDATA\nSubject: test message\n\nHello.\n.\nQUIT\n",
    );
    let ev = events(&mut ws);
    assert!(ev.contains(&SimEvent::CommandRun {
        program: "telnet".into(),
        line: "telnet mail.contoso.com 25".into()
    }));
    assert!(ev.contains(&SimEvent::TelnetConnected {
        host: "mail.contoso.com".into(),
        address: "10.0.0.25".into(),
        port: 25
    }));
    let replies: Vec<(Option<String>, u16, Option<ReplyKey>)> = ev
        .iter()
        .filter_map(|e| match e {
            SimEvent::SmtpReply {
                command, code, key, ..
            } => Some((command.clone(), *code, *key)),
            _ => None,
        })
        .collect();
    assert_eq!(
        replies,
        vec![
            (None, 220, Some(ReplyKey::Banner)),
            (
                Some("EHLO test.com".into()),
                250,
                Some(ReplyKey::EhloGreeting)
            ),
            (
                Some("MAIL FROM:Admin@test.com".into()),
                250,
                Some(ReplyKey::MailOk)
            ),
            (
                Some("RCPT TO: john@contoso.com".into()),
                250,
                Some(ReplyKey::RcptOk)
            ),
            (Some("DATA".into()), 354, Some(ReplyKey::DataStart)),
            (Some(".".into()), 250, Some(ReplyKey::DataOk)),
            (Some("QUIT".into()), 221, Some(ReplyKey::Quit)),
        ]
    );
    assert!(ev.iter().any(|e| matches!(e,
        SimEvent::MessageDelivered { mailbox, subject, .. }
            if mailbox == "john@contoso.com" && subject.as_deref() == Some("test message"))));
    assert!(ev.contains(&SimEvent::TelnetClosed {
        host: "mail.contoso.com".into(),
        by_server: true
    }));
    let inbox = ws.mail_store().mailboxes.get("john@contoso.com");
    assert_eq!(inbox.map(|m| m.len()), Some(1));
    assert_eq!(ws.input_mode(), InputMode::CmdLine);
    assert!(!ws.event_log().is_empty(), "the engine logs the delivery");
    // Each entry is dated by the server's clock, as its banner is, to the second.
    let banner = ws.console().text();
    let banner = banner
        .lines()
        .find(|l| l.starts_with("220 "))
        .and_then(|l| l.split_once("ready at  "))
        .map(|(_, date)| date.to_string())
        .unwrap_or_default();
    assert!(banner.starts_with("Tue, 12 Jun 2007 04:30:"), "{banner}");
    for entry in ws.event_log() {
        assert!(
            entry.date_and_time().starts_with("6/12/2007 4:3")
                && entry.date_and_time().ends_with(" AM"),
            "{entry:?}"
        );
    }
}

#[test]
fn the_trace_shows_each_keystroke_and_the_bs_byte() {
    let mut ws = Workstation::new(World::default(), 7, 0);
    let mut now = 0;
    typed(&mut ws, &mut now, "telnet mail.contoso.com 25\nHX");
    ws.handle_key(Key::Backspace, now);
    let trace = ws.trace();
    let banner = &trace[0];
    assert_eq!(banner.from, "10.0.0.25:25");
    assert!(banner.summary[0].starts_with("SMTP: Rsp: Service ready, "));
    assert!(banner.summary[1].starts_with("SMTP: Response = 220 mail.contoso.com"));
    let sent: Vec<&[u8]> = trace[1..].iter().map(|s| s.bytes.as_slice()).collect();
    assert_eq!(sent, vec![&b"H"[..], b"X", b"\x08"]);
    assert_eq!(
        trace[3].summary,
        vec!["SMTP: Data, 1 bytes", "SMTP: Data = ."]
    );
    assert!(trace[3].to.starts_with("10.0.0.25:25"));
}

#[test]
fn local_echo_and_ctrl_bracket_are_events_and_modes() {
    let mut ws = Workstation::new(World::default(), 1, 0);
    let mut now = 0;
    typed(&mut ws, &mut now, "telnet mail.contoso.com 25\n");
    assert_eq!(ws.input_mode(), InputMode::TelnetSession);
    assert_eq!(ws.telnet_local_echo(), Some(false));
    events(&mut ws);
    ws.handle_key(Key::CtrlBracket, now);
    assert_eq!(ws.input_mode(), InputMode::TelnetPrompt);
    // Windows 2000's spelling on XP: refused, and said so as an event a lesson can watch.
    typed(&mut ws, &mut now, "set local_echo\n");
    assert_eq!(ws.telnet_local_echo(), Some(false));
    assert_eq!(
        events(&mut ws),
        vec![
            SimEvent::TelnetEscaped,
            SimEvent::TelnetSettingRefused {
                option: "local_echo".into(),
                on: true
            }
        ]
    );
    typed(&mut ws, &mut now, "set localecho\n\n");
    assert_eq!(ws.input_mode(), InputMode::TelnetSession);
    assert_eq!(ws.telnet_local_echo(), Some(true));
    let ev = events(&mut ws);
    assert!(ev.contains(&SimEvent::TelnetSetting {
        option: "localecho".into(),
        on: true
    }));
    assert!(ev.contains(&SimEvent::TelnetResumed));
    typed(&mut ws, &mut now, "NOOP");
    assert!(
        ws.console().current_line().ends_with("NOOP"),
        "echoed as typed"
    );
}

#[test]
fn ping_waits_are_timers_and_results_are_events() {
    let mut ws = Workstation::new(world_with(vec![Fault::RemoteSubnetDown]), 1, 0);
    for c in "ping -n 2 192.168.10.20".chars() {
        ws.handle_key(Key::Char(c), 0);
    }
    ws.handle_key(Key::Enter, 0);
    assert_eq!(ws.input_mode(), InputMode::Busy);
    assert!(!ws.is_idle());
    assert_eq!(
        ws.poll_timeout(),
        Some(4_000),
        "the first echo times out after -w"
    );
    let mut now = 0;
    assert!(drive::run_until_idle(&mut ws, &mut now));
    assert_eq!(now, 8_000);
    let ev = events(&mut ws);
    assert!(ev.contains(&SimEvent::PingFinished {
        target: "192.168.10.20".into(),
        address: Some("192.168.10.20".into()),
        sent: 2,
        received: 0
    }));
}

#[test]
fn keys_typed_while_busy_wait_and_ctrl_c_stops_at_once() {
    let mut ws = Workstation::new(World::default(), 1, 0);
    for c in "ping -t 10.0.0.25\nver\n".chars() {
        ws.handle_key(if c == '\n' { Key::Enter } else { Key::Char(c) }, 0);
    }
    assert_eq!(ws.input_mode(), InputMode::Busy);
    assert!(!ws.console().text().contains("[Version 5.1.2600]\n\nC:"));
    let mut now = 0;
    while !ws.is_idle() {
        let t = ws.poll_timeout().expect("ping -t has a timer");
        now = t;
        ws.handle_timeout(now);
    }
    ws.handle_key(Key::CtrlC, now);
    drive::run_until_idle(&mut ws, &mut now);
    let text = ws.console().text();
    assert!(text.contains("Control-C\n^C\nC:\\Documents and Settings\\Administrator>ver"));
    assert!(text.ends_with(
        "Microsoft Windows XP [Version 5.1.2600]\n\nC:\\Documents and Settings\\Administrator>"
    ));
}

#[test]
fn a_failed_connect_takes_the_right_time_and_says_why() {
    for (fault, wait, reason) in [
        (Fault::SmtpServiceStopped { host: None }, 1_000, "refused"),
        (
            Fault::FirewallBlocksSmtp { host: None },
            21_000,
            "timed-out",
        ),
    ] {
        let mut ws = Workstation::new(world_with(vec![fault]), 1, 0);
        let mut now = 0;
        typed(&mut ws, &mut now, "telnet mail.contoso.com 25\n");
        assert_eq!(now, wait);
        let ev = events(&mut ws);
        assert!(ev.contains(&SimEvent::TelnetFailed {
            host: "mail.contoso.com".into(),
            port: 25,
            reason: reason.into()
        }));
    }
}

#[test]
fn a_stopped_service_is_in_the_event_log_from_the_start() {
    let ws = Workstation::new(
        world_with(vec![Fault::SmtpServiceStopped { host: None }]),
        1,
        0,
    );
    assert!(ws.event_log()[0].message.contains("stopped"));
    // Dated by the server's clock, as a banner would be.
    // Event Viewer lists it as Windows does, in the server's local time (-0500).
    assert_eq!(ws.event_log()[0].date_and_time(), "6/12/2007 4:30:00 AM");
}

#[test]
fn nslookup_answers_are_events() {
    let mut ws = Workstation::new(World::default(), 1, 0);
    let mut now = 0;
    typed(&mut ws, &mut now, "nslookup -type=mx contoso.com\n");
    let ev = events(&mut ws);
    assert!(ev.iter().any(|e| matches!(e,
        SimEvent::NslookupAnswer { name, query_type, answers, error: None }
            if name == "contoso.com" && query_type == "MX"
                && answers[0].contains("mail exchanger = mail.contoso.com"))));
}

#[test]
fn an_inconsistent_world_still_gives_a_usable_workstation() {
    let mut world = World::default();
    world.workstation.ip = "not an address".into();
    world.workstation.mask = "nonsense".into();
    world.hosts[2].persona = Some("no-such-persona".into());
    let mut ws = Workstation::new(world, 1, 0);
    let mut now = 0;
    typed(
        &mut ws,
        &mut now,
        "ping 10.0.0.25\nipconfig\ntelnet mail.contoso.com 25\nQUIT\n",
    );
    assert!(ws.console().text().contains("ipconfig"));
}

#[test]
fn telnet_installs_on_windows_7_with_dism() {
    let mut world = World::default();
    world.workstation.os = "win7".parse().expect("a version");
    let mut ws = Workstation::new(world, 1, 0);
    assert!(!ws.telnet_installed());
    let mut now = 0;
    typed(
        &mut ws,
        &mut now,
        "dism /online /Enable-Feature /FeatureName:TelnetClient\n",
    );
    assert!(ws.telnet_installed());
    assert!(events(&mut ws).contains(&SimEvent::TelnetInstalled));
}

fn any_key() -> impl Strategy<Value = Key> {
    prop_oneof![
        8 => prop::sample::select(vec!['a', 'E', 'H', 'L', 'O', ' ', '.', ':', '@', '1', '-', 't', 'q', '?']).prop_map(Key::Char),
        1 => any::<char>().prop_map(Key::Char),
        3 => Just(Key::Enter),
        1 => Just(Key::Backspace),
        1 => Just(Key::CtrlC),
        1 => Just(Key::CtrlBracket),
        1 => prop::sample::select(vec![Key::Up, Key::Down, Key::Left, Key::Right, Key::Home, Key::End, Key::Delete, Key::Escape, Key::Tab]),
    ]
}

fn any_prefix() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "",
        "telnet mail.contoso.com 25\n",
        "telnet\n",
        "nslookup\n",
        "ping -t 10.0.0.25\n",
        "ping 10.0.0.99\n",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_keys_leave_a_working_deterministic_workstation(
        prefix in any_prefix(),
        keys in prop::collection::vec(any_key(), 0..120),
        seed in any::<u64>(),
        faults in prop::sample::subsequence(vec![Fault::DnsDown, Fault::GatewayDown, Fault::SmtpServiceStopped { host: None }, Fault::NicDisabled], 0..2),
    ) {
        let world = world_with(faults);
        let mut all = drive::keys_from_bytes(prefix.as_bytes());
        all.extend(keys);
        let run = || {
            let mut ws = Workstation::new(world.clone(), seed, 0);
            let mut now = 0;
            let mut out = String::new();
            drive::replay(&mut ws, &all, &mut now, &mut |s| out.push_str(s));
            let idle = drive::run_until_idle(&mut ws, &mut now);
            (out, idle, ws.input_mode())
        };
        let (first, idle, _) = run();
        prop_assert!(idle, "the simulation always comes back to waiting for keys");
        let (second, ..) = run();
        prop_assert_eq!(first, second);
    }
}

#[test]
fn bsasdel_and_delasbs_change_what_the_keys_send() {
    let mut ws = Workstation::new(World::default(), 1, 0);
    let mut now = 0;
    typed(&mut ws, &mut now, "telnet mail.contoso.com 25\n");
    ws.handle_key(Key::Backspace, now);
    ws.handle_key(Key::Delete, now);
    ws.handle_key(Key::CtrlBracket, now);
    typed(&mut ws, &mut now, "set bsasdel\nset delasbs\n\n");
    ws.handle_key(Key::Backspace, now);
    ws.handle_key(Key::Delete, now);
    let sent: Vec<Vec<u8>> = ws
        .trace()
        .iter()
        .filter(|s| s.from.starts_with("10.0.0.50"))
        .map(|s| s.bytes.clone())
        .collect();
    assert_eq!(sent, vec![vec![0x08], vec![0x7f], vec![0x7f], vec![0x08]]);
}

#[test]
fn a_world_without_hosts_still_runs_every_tool() {
    let world = World {
        hosts: Vec::new(),
        ..World::default()
    };
    let mut ws = Workstation::new(world, 1, 0);
    let mut now = 0;
    typed(
        &mut ws,
        &mut now,
        "ping -n 1 10.0.0.1\nnslookup contoso.com\ntelnet mail.contoso.com 25\nipconfig\n",
    );
    assert!(ws.is_idle());
    assert_eq!(ws.input_mode(), InputMode::CmdLine);
}

#[test]
fn a_server_that_closes_while_the_learner_is_at_the_prompt_is_still_heard() {
    let mut ws = Workstation::new(World::default(), 1, 0);
    let mut now = 0;
    typed(&mut ws, &mut now, "telnet mail.contoso.com 25\n");
    ws.handle_key(Key::CtrlBracket, now);
    assert!(
        ws.is_idle(),
        "an idle timeout minutes away is not work in progress"
    );
    let deadline = ws.poll_timeout().expect("the server's idle timeout");
    assert!(deadline >= 60_000);
    ws.handle_timeout(deadline);
    let text = ws.console().text();
    let prompt_at = text
        .rfind("Microsoft Telnet> ")
        .expect("the prompt was shown");
    let tail = &text[prompt_at..];
    let reply_at = tail
        .find("\n4")
        .expect("the server's timeout reply is shown");
    let lost_at = tail
        .find("Connection to host lost.")
        .expect("then the loss");
    assert!(reply_at < lost_at, "{tail}");
    assert_eq!(ws.input_mode(), InputMode::CmdLine);
}

#[test]
fn a_very_long_ping_waits_for_ctrl_c_in_replay() {
    let mut ws = Workstation::new(World::default(), 1, 0);
    let mut now = 0;
    let keys = drive::keys_from_bytes(b"ping -n 4000000000 10.0.0.25\n\x03ver\n");
    let mut out = String::new();
    drive::replay(&mut ws, &keys, &mut now, &mut |s| out.push_str(s));
    assert!(out.contains("Sent = 4, Received = 4"), "{out}");
    assert!(out.contains("Control-C\n^C\n"));
    assert!(now < 10_000);
}

#[test]
fn exchange_2016_s_tarpit_is_a_wait_on_the_workstation_clock() {
    let mut world = World::default();
    world.set_mail_persona("exchange2016").unwrap();
    let mut ws = Workstation::new(world, 1, 0);
    let mut now = 0;
    typed(
        &mut ws,
        &mut now,
        "telnet mail.contoso.com 25\nEHLO test.com\nMAIL FROM:a@test.com\n",
    );
    let _ = events(&mut ws);
    for c in "RCPT TO:nobody@contoso.com".chars() {
        ws.handle_key(Key::Char(c), now);
    }
    ws.handle_key(Key::Enter, now);
    let refused = |ws: &Workstation| ws.console().text().contains("550 5.1.1 User unknown");
    assert!(!refused(&ws), "the refusal is held");
    assert!(
        !ws.is_idle(),
        "a held reply is work in progress, not the learner's turn"
    );
    assert_eq!(ws.poll_timeout(), Some(now + 5_000));
    ws.handle_timeout(now + 4_999);
    assert!(!refused(&ws));
    ws.handle_timeout(now + 5_000);
    assert!(refused(&ws));
    assert!(events(&mut ws).iter().any(|e| matches!(e,
        SimEvent::SmtpReply { command: Some(c), code: 550, .. } if c == "RCPT TO:nobody@contoso.com")));
    assert!(ws.is_idle());
}

#[test]
fn a_long_type_ahead_of_commands_that_finish_at_once_runs_without_nesting() {
    // Typed while a ping is busy, every `telnet` (to its prompt) and `q` wait in the type-ahead;
    // when the ping ends they run one after the other. Each `telnet` finishes its start at
    // once, which used to drain the type-ahead again from inside the drain, one stack level
    // per command, until the stack overflowed.
    let mut ws = Workstation::new(World::default(), 7, 0);
    let mut now = 0;
    typed(&mut ws, &mut now, "ping 10.0.0.25");
    ws.handle_key(Key::Enter, now);
    let rounds = 8_000; // under the event log's cap of 10,000
    for _ in 0..rounds {
        for c in "telnet\nq\n".chars() {
            ws.handle_key(if c == '\n' { Key::Enter } else { Key::Char(c) }, now);
        }
    }
    assert_eq!(
        ws.input_mode(),
        InputMode::Busy,
        "the keys wait behind the ping"
    );
    assert!(drive::run_until_idle(&mut ws, &mut now));
    assert_eq!(ws.input_mode(), InputMode::CmdLine);
    let runs = events(&mut ws)
        .iter()
        .filter(|e| matches!(e, SimEvent::CommandRun { program, .. } if program == "telnet"))
        .count();
    assert_eq!(runs, rounds);
}

#[test]
fn start_hands_a_program_the_line_cmd_expanded_once() {
    // `set x=%y%` with y undefined keeps `%y%` in x; once y is defined, `start ping %x%`
    // must still hand ping `%y%` (cmd expands a line once), while `start echo` runs
    // through a new cmd /K, which expands what it is given again.
    let mut ws = Workstation::new(World::default(), 7, 0);
    let mut now = 0;
    typed(
        &mut ws,
        &mut now,
        "set x=%y%\nset y=Z\nstart ping -n 1 %x%\nstart echo %x%\n",
    );
    let screen = ws.console().text();
    assert!(
        screen.contains("Ping request could not find host %y%."),
        "{screen}"
    );
    assert!(!screen.contains("could not find host Z."), "{screen}");
    assert!(screen.contains("start echo %x%\nZ\n"), "{screen}");
}
