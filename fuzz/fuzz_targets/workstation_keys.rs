//! Keystrokes into the simulated workstation: cmd, telnet (with its prompt, options and a live
//! SMTP session), ping, nslookup. Bytes map to keys as `replay` maps them, plus the editing keys;
//! the first byte picks the Windows version and the faults. Invariants: no panic, the
//! simulation always becomes idle within a bounded number of timer steps, and the console's
//! scrollback and line lengths stay within their caps.
#![no_main]
use libfuzzer_sys::fuzz_target;
use smtp_trainer::scenario::{Fault, WindowsVersion, World};
use smtp_trainer::windows::{Key, Workstation};

const OSES: [WindowsVersion; 5] = [
    WindowsVersion::Win2000,
    WindowsVersion::Xp,
    WindowsVersion::Win2003,
    WindowsVersion::Win7,
    WindowsVersion::Win10,
];

const WORDS: &[&str] = &[
    "telnet mail.contoso.com 25\r", "telnet\r", "open 10.0.0.25 25\r", "set localecho\r",
    "set local_echo\r", "ping 10.0.0.25\r", "ping -t 10.0.0.1\r", "nslookup\r",
    "set type=mx\r", "contoso.com\r", "ipconfig /all\r", "EHLO test.com\r",
    "MAIL FROM:<admin@contoso.com>\r", "RCPT TO:<john@contoso.com> NOTIFY=SUCCESS\r", "DATA\r",
    "Subject: x\r\r", ".\r", "QUIT\r", "exit\r", "cls\r", "dism /online /Enable-Feature /FeatureName:TelnetClient\r",
    "cd ..\r", "cd\\\r", "cd /d c:\\windows\\system32\r", "cd \"Program Files\"\r", "dir\r",
    "dir /w /b *.exe\r", "dir C:\\\r", "echo off\r", "echo on\r", "echo.\r", "@echo hi\r", "chdir \\Users\r",
    "set all\r", "set retry=9\r", "set timeout=30\r", "set nodefname\r", "set q=soa\r", "ls contoso.com\r",
    "arp -a\r", "arp -d *\r", "route print\r",
    "set debug\r", "set deb\r", "set d2\r", "set nod2\r", "set nodeb\r", "nslookup -debug\r",
    "nslookup -d2 mail\r", "nslookup -debug -type=mx contoso.com\r", "nosuch.contoso.com\r",
    // cmd's operators and the filters, whole and in pieces.
    "ipconfig /all | more\r", "ipconfig > ip.txt\r", "type ip.txt\r", "ipconfig /all | find \"DNS\"\r",
    "ping -n 1 10.0.0.25 | more\r", "echo hi >> a.txt & del a.txt\r", "more < ip.txt\r",
    "nslookup -q=mx contoso.com > mx.txt\r", "ping -t 10.0.0.1 | find \"Reply\"\r",
    " | ", " > ", " >> ", " & ", " && ", " || ", " 2>&1", " < ip.txt", "find ", "find /i /c \"dns\" ",
    "findstr /n /c:\"a b\" ", "more", "type ", "del ", "findstr /v x", "^", "\"", "pause > nul\r",
    "telnet mail 25 > t.txt\r", "nslookup | find \"x\"\r",
];

fn key(b: u8) -> Key {
    match b {
        0xf0 => Key::Up,
        0xf1 => Key::Down,
        0xf2 => Key::Left,
        0xf3 => Key::Right,
        0xf4 => Key::Home,
        0xf5 => Key::End,
        0xf6 => Key::Delete,
        b => Key::from_byte(b),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&head, rest)) = data.split_first() else { return };
    let mut world = World::default();
    world.workstation.os = OSES[(head % 5) as usize];
    let faults = [
        Fault::NicDisabled,
        Fault::WrongMask { mask: None },
        Fault::DnsDown,
        Fault::SmtpServiceStopped { host: None },
        Fault::FirewallBlocksSmtp { host: None },
        Fault::TelnetNotInstalled,
    ];
    if head & 0x80 != 0 {
        world.faults.push(faults[(head as usize >> 3) % faults.len()].clone());
    }
    let mut ws = Workstation::new(world, u64::from(head), 0);
    let mut now = 0;
    // 0xf7 turns to the next sixteen words, so every word of the list can be reached.
    let mut bank = 0;
    for &b in rest {
        if b == 0xf7 {
            bank = (bank + 16) % WORDS.len();
            continue;
        }
        let keys: Vec<Key> = if b & 0xe0 == 0xe0 && b < 0xf0 {
            WORDS[(bank + (b & 0x0f) as usize) % WORDS.len()].bytes().map(Key::from_byte).collect()
        } else {
            vec![key(b)]
        };
        for k in keys {
            ws.handle_key(k, now);
            let mut steps = 0;
            while let Some(t) = ws.poll_timeout() {
                if ws.is_idle() || steps > 200 {
                    break;
                }
                now = now.max(t);
                ws.handle_timeout(now);
                steps += 1;
            }
            while ws.poll_event().is_some() {}
        }
        now += 50;
    }
    let console = ws.console();
    assert!(console.lines().len() <= smtp_trainer::windows::console::DEFAULT_SCROLLBACK);
});
