//! Bytes mapped into the SMTP alphabet (verbs, parameters, addresses, line ends, dots), so the
//! fuzzer reaches deep into the grammar: DATA, DSN parameters, AUTH, BDAT, end-of-data look-alikes.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

const TOKENS: &[&[u8]] = &[
    b"EHLO test.com\r\n", b"HELO sub2.\r\n", b"MAIL FROM:<admin@contoso.com>", b"MAIL FROM:",
    b"RCPT TO:<user@contoso.com>", b"RCPT TO:", b" NOTIFY=SUCCESS,FAILURE", b" ORCPT=rfc822;x@y",
    b" SIZE=", b" BODY=8BITMIME", b" RET=HDRS", b" ENVID=abc", b"DATA\r\n", b"BDAT ", b" LAST",
    b"RSET\r\n", b"NOOP\r\n", b"QUIT\r\n", b"VRFY ", b"EXPN ", b"HELP\r\n", b"TURN\r\n",
    b"ATRN\r\n", b"ETRN ", b"AUTH LOGIN\r\n", b"YWRtaW4=\r\n", b"UEBzc3cwcmQ=\r\n",
    b"STARTTLS\r\n", b"\r\n", b"\n", b"\r", b".", b"\r\n.\r\n", b"\n.\n", b"\x00", b"\x08",
    b"<", b">", b"@", b":", b" ", b"Subject: x\r\n", b"fabrikam.com", b"1000000000", b"=",
];

fuzz_target!(|data: &[u8]| {
    let mut stream = Vec::new();
    let mut chunks = Vec::new();
    for &b in data {
        if b & 0x80 != 0 {
            // High bit: a raw byte of its own, delivered as a separate chunk boundary.
            chunks.push(stream.len());
            stream.push(b & 0x7f);
        } else {
            stream.extend_from_slice(TOKENS[b as usize % TOKENS.len()]);
        }
    }
    let mut parts: Vec<&[u8]> = Vec::new();
    let mut start = 0;
    for end in chunks.into_iter().chain(std::iter::once(stream.len())) {
        if end > start {
            parts.push(&stream[start..end]);
            start = end;
        }
    }
    common::drive(&parts);
});
