//! Replies on the wire: filling a persona's template, splitting it into code, enhanced status
//! and text, and the RFC 822 dates and message ids that go into them.
//!
//! Templates are full reply lines with `{name}` placeholders (`{host}`, `{ip}`, `{date}`,
//! `{addr}`, `{msgid}`, ...). Whatever a client typed that ends up in a reply is cleaned first:
//! control bytes become `?` and every line is capped, so a reply is always printable ASCII
//! and at most 512 octets with its CRLF, whatever came in.

/// RFC 5321's limit on a reply line, CRLF included.
pub const MAX_REPLY_LINE: usize = 512;

/// A reply as sent: its code, its enhanced status code if the first line has one, its text
/// lines (without code), and the exact bytes on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub code: u16,
    pub enhanced: Option<String>,
    /// The text of each line after the code and separator, enhanced code included.
    pub lines: Vec<String>,
}

impl Reply {
    /// Parses a filled template (`\n` between lines). Lines that do not start with a code get
    /// the first line's code, so a bad template still yields a well-formed reply.
    pub fn parse(filled: &str) -> Reply {
        let mut code = 0u16;
        let mut lines = Vec::new();
        for (i, raw) in filled.split('\n').enumerate() {
            let b = raw.as_bytes();
            let has_code = b.len() >= 3 && b[..3].iter().all(u8::is_ascii_digit);
            let (c, rest) = if has_code {
                let c = raw[..3].parse().unwrap_or(0);
                let rest = raw.get(4..).unwrap_or("");
                (c, rest)
            } else {
                (code, raw)
            };
            if i == 0 {
                code = c;
            }
            lines.push(clean(rest));
        }
        if !(200..600).contains(&code) {
            code = 451;
        }
        let enhanced = lines.first().and_then(|l| {
            let tok = l.split(' ').next()?;
            is_enhanced(tok).then(|| tok.to_string())
        });
        Reply {
            code,
            enhanced,
            lines,
        }
    }

    /// The wire form: `250-...` for all but the last line, `250 ...` for the last, CRLF each.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.lines.iter().map(|l| l.len() + 6).sum());
        let n = self.lines.len();
        for (i, line) in self.lines.iter().enumerate() {
            let sep = if i + 1 == n { ' ' } else { '-' };
            let head = if line.is_empty() && i + 1 == n {
                format!("{}", self.code)
            } else {
                format!("{}{}", self.code, sep)
            };
            out.extend_from_slice(head.as_bytes());
            out.extend_from_slice(line.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
        out
    }

    /// The text of all lines without codes, `\n` between them (what the Explain panel shows).
    pub fn text(&self) -> String {
        self.lines.join("\n")
    }
}

/// True for `x.y.z` with x in 2, 4, 5 (RFC 3463).
pub fn is_enhanced(tok: &str) -> bool {
    let parts: Vec<&str> = tok.split('.').collect();
    parts.len() == 3
        && matches!(parts[0], "2" | "4" | "5")
        && parts[1..]
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()))
}

/// Printable ASCII only: control bytes, escape sequences and non-ASCII become `?`, so text a
/// client typed can be shown anywhere (a reply, the event log) without being obeyed.
pub fn printable(s: &str) -> String {
    if s.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        return s.to_owned();
    }
    s.chars()
        .map(|c| if (' '..='~').contains(&c) { c } else { '?' })
        .collect()
}

/// Printable ASCII only, and short enough to fit a reply line with its code and CRLF.
fn clean(s: &str) -> String {
    let mut out = printable(s);
    out.truncate(MAX_REPLY_LINE - 6);
    out
}

/// Fills `{name}` placeholders from `vars`; unknown names are left as they are.
pub fn fill(template: &str, vars: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match vars.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Day names from 1970-01-01, a Thursday: `DAYS[days.rem_euclid(7)]`.
pub(crate) const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Year, month (1-12) and day of a count of days since 1970-01-01 (proleptic Gregorian).
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    // Shift to an era starting on 0000-03-01 so leap days fall at the end of a year.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The inverse of [`civil_from_days`] for a month of 1-12 and a day of 1-31; a day past
/// the month's end runs into the next month, which is how a caller tells it was no date.
pub(crate) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = year - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * i64::from((month + 9) % 12) + 2) / 5 + i64::from(day) - 1;
    era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
}

/// An RFC 822 date such as `Sat, 28 Aug 1999 09:32:00 -0400` for a Unix time seen from a
/// time zone `tz_minutes` east of UTC.
pub fn rfc822_date(unix_secs: i64, tz_minutes: i32) -> String {
    // Clamped to years 0..=9999 so any configured epoch or offset still prints a date.
    let local = unix_secs
        .saturating_add(i64::from(tz_minutes) * 60)
        .clamp(-62_167_219_200, 253_402_300_799);
    let days = local.div_euclid(86_400);
    let secs = local.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let wd = DAYS[days.rem_euclid(7) as usize];
    let sign = if tz_minutes < 0 { '-' } else { '+' };
    let tz = tz_minutes.unsigned_abs();
    format!(
        "{wd}, {d} {} {y} {:02}:{:02}:{:02} {sign}{:02}{:02}",
        MONTHS[(m - 1) as usize],
        secs / 3600,
        secs % 3600 / 60,
        secs % 60,
        tz / 60,
        tz % 60
    )
}

/// Milliseconds from 1601-01-01, where Windows' FILETIME counts from, to 1970-01-01 UTC.
const FILETIME_UNIX_EPOCH_MS: i64 = 11_644_473_600_000;

/// The two parts of the `X-OriginalArrivalTime` header the IIS SMTP service adds, for a time in
/// milliseconds since 1970: the UTC time as IIS writes it (`28 Aug 1999 13:32:00.0000 (UTC)`,
/// the day without a leading zero, four digits of the second's fraction), and the same instant
/// as a Windows FILETIME (100 ns intervals since 1601-01-01 UTC) in two upper-case 8-digit hex
/// halves, low DWORD first (`B4C2C800:01BEF159`). Clamped to years 1601..=9999.
pub fn arrival_stamp(unix_millis: i64) -> (String, String) {
    let ms = unix_millis.clamp(-FILETIME_UNIX_EPOCH_MS, 253_402_300_799_999);
    let secs = ms.div_euclid(1000);
    let frac = ms.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let day_secs = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let utc = format!(
        "{d} {} {y} {:02}:{:02}:{:02}.{:04} (UTC)",
        MONTHS[(m - 1) as usize],
        day_secs / 3600,
        day_secs % 3600 / 60,
        day_secs % 60,
        frac * 10
    );
    // Non-negative after the clamp, and below 2^63 up to year 9999.
    let filetime = u64::try_from(ms + FILETIME_UNIX_EPOCH_MS).unwrap_or(0) * 10_000;
    let halves = format!("{:08X}:{:08X}", filetime & 0xFFFF_FFFF, filetime >> 32);
    (utc, halves)
}

/// A small deterministic generator (SplitMix64): message ids and GUIDs come from the session's
/// seed; the simulated network uses it too (`net::Rng`).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            return lo;
        }
        lo + self.next_u64() % (hi - lo + 1)
    }

    /// `n` characters from `[A-Za-z0-9]`.
    pub fn alnum(&mut self, n: usize) -> String {
        const SET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        (0..n)
            .map(|_| SET[(self.next_u64() % SET.len() as u64) as usize] as char)
            .collect()
    }

    /// A version-4 style GUID in Microsoft's lower-case dashed form.
    pub fn guid(&mut self) -> String {
        let a = self.next_u64();
        let b = self.next_u64();
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            ((b >> 48) & 0x3fff) | 0x8000,
            b & 0xffff_ffff_ffff
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_rfc822() {
        let table = [
            (935_847_120, -240, "Sat, 28 Aug 1999 09:32:00 -0400"),
            (0, 0, "Thu, 1 Jan 1970 00:00:00 +0000"),
            (951_782_400, 0, "Tue, 29 Feb 2000 00:00:00 +0000"),
            (1_181_640_600, -300, "Tue, 12 Jun 2007 04:30:00 -0500"),
            (1_560_331_800, 330, "Wed, 12 Jun 2019 15:00:00 +0530"),
            (i64::MAX, 0, "Fri, 31 Dec 9999 23:59:59 +0000"),
        ];
        for (secs, tz, want) in table {
            assert_eq!(rfc822_date(secs, tz), want);
        }
    }

    #[test]
    fn days_from_civil_undoes_civil_from_days() {
        for days in [-719_468, -1, 0, 10_957, 11_016, 20_781, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days, "{y}-{m}-{d}");
        }
        // 2027-02-29 is no date: it lands on March 1st.
        assert_eq!(civil_from_days(days_from_civil(2027, 2, 29)), (2027, 3, 1));
    }

    #[test]
    fn arrival_stamps_are_iis_utc_times_and_windows_filetimes() {
        // FILETIME values worked out independently: 0x019DB1DED53E8000 is the Unix epoch.
        let table = [
            (0, "1 Jan 1970 00:00:00.0000 (UTC)", "D53E8000:019DB1DE"),
            (
                935_847_120_000,
                "28 Aug 1999 13:32:00.0000 (UTC)",
                "B4C2C800:01BEF159",
            ),
            (
                1_101_247_579_078,
                "23 Nov 2004 22:06:19.0780 (UTC)",
                "A8D9E660:01C4D1A8",
            ),
            (
                -FILETIME_UNIX_EPOCH_MS,
                "1 Jan 1601 00:00:00.0000 (UTC)",
                "00000000:00000000",
            ),
            (
                i64::MIN,
                "1 Jan 1601 00:00:00.0000 (UTC)",
                "00000000:00000000",
            ),
            (
                i64::MAX,
                "31 Dec 9999 23:59:59.9990 (UTC)",
                "D1C018F0:24C85A5E",
            ),
        ];
        for (ms, utc, filetime) in table {
            assert_eq!(
                arrival_stamp(ms),
                (utc.to_string(), filetime.to_string()),
                "{ms}"
            );
        }
    }

    #[test]
    fn templates_fill_known_names_only() {
        let table = [
            ("250 {host} Hello [{ip}]", "250 mail Hello [10.0.0.50]"),
            ("250 {nope}", "250 {nope}"),
            ("250 {host", "250 {host"),
            ("", ""),
        ];
        for (t, want) in table {
            assert_eq!(fill(t, &[("host", "mail"), ("ip", "10.0.0.50")]), want);
        }
    }

    #[test]
    fn replies_parse_and_serialise() {
        let table: [(&str, u16, Option<&str>, &[u8]); 5] = [
            ("250 OK", 250, None, b"250 OK\r\n"),
            (
                "550 5.7.1 Unable to relay",
                550,
                Some("5.7.1"),
                b"550 5.7.1 Unable to relay\r\n",
            ),
            ("214-a\n214 b", 214, None, b"214-a\r\n214 b\r\n"),
            ("250 bad\x08byte", 250, None, b"250 bad?byte\r\n"),
            ("garbage", 451, None, b"451 garbage\r\n"),
        ];
        for (t, code, enh, wire) in table {
            let r = Reply::parse(t);
            assert_eq!(r.code, code, "{t}");
            assert_eq!(r.enhanced.as_deref(), enh, "{t}");
            assert_eq!(r.to_bytes(), wire.to_vec(), "{t}");
        }
    }

    #[test]
    fn long_echoes_are_capped() {
        let long = format!("250 {}", "x".repeat(2000));
        let bytes = Reply::parse(&long).to_bytes();
        assert!(bytes.len() <= MAX_REPLY_LINE);
    }

    #[test]
    fn enhanced_codes_are_recognised() {
        for (t, want) in [
            ("5.7.1", true),
            ("2.0.0", true),
            ("3.1.1", false),
            ("5.7", false),
        ] {
            assert_eq!(is_enhanced(t), want, "{t}");
        }
    }

    #[test]
    fn the_generator_is_deterministic() {
        assert_eq!(Rng::new(7).alnum(12), Rng::new(7).alnum(12));
        assert_ne!(Rng::new(7).alnum(12), Rng::new(8).alnum(12));
        assert_eq!(Rng::new(1).guid().len(), 36);
    }
}
