//! `smtp-trainer web`: the built app served with the right types and headers, and nothing
//! outside its folder.

mod cli_support;

use cli_support::{Server, BIN};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

/// A folder that looks like a Trunk build, unique per test.
fn dist(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "smtp-trainer-cli-web-{}-{name}",
        std::process::id()
    ));
    std::fs::create_dir_all(dir.join("assets")).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html><title>t</title>").unwrap();
    std::fs::write(dir.join("app_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(dir.join("app.js"), "export {}").unwrap();
    std::fs::write(dir.join("assets/site.webmanifest"), "{}").unwrap();
    // A file next to the folder that traversal would reach.
    std::fs::write(dir.with_extension("secret"), "secret").unwrap();
    dir
}

/// Sends one raw request and returns (status line, headers lower-cased, body).
fn get(port: u16, request: &str) -> (String, Vec<(String, String)>, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let body = raw[split + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap().to_string();
    let headers = lines
        .filter_map(|l| l.split_once(": "))
        .map(|(k, v)| (k.to_ascii_lowercase(), v.to_string()))
        .collect();
    (status, headers, body)
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no {name} in {headers:?}"))
}

fn start(name: &str) -> Server {
    let dir = dist(name);
    Server::start(&["web", "--dir", dir.to_str().unwrap()])
}

#[test]
fn index_is_served_with_the_content_security_policy() {
    let server = start("index");
    let (status, headers, body) = get(
        server.port,
        "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert_eq!(header(&headers, "content-type"), "text/html; charset=utf-8");
    let csp = header(&headers, "content-security-policy");
    assert!(csp.contains("default-src 'self'"), "{csp}");
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
        "{csp}"
    );
    assert!(!csp.contains("'unsafe-eval'"), "{csp}");
    assert_eq!(header(&headers, "x-content-type-options"), "nosniff");
    assert_eq!(body, b"<!doctype html><title>t</title>");
}

#[test]
fn the_header_repeats_the_pages_own_policy_word_for_word() {
    // The repository's index.html, as Trunk copies it into the build.
    let dir = dist("meta");
    let page = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/index.html")).unwrap();
    std::fs::write(dir.join("index.html"), &page).unwrap();
    let server = Server::start(&["web", "--dir", dir.to_str().unwrap()]);
    let (_, headers, _) = get(
        server.port,
        "GET /index.html HTTP/1.1\r\nConnection: close\r\n\r\n",
    );
    let meta = page
        .split("http-equiv=\"Content-Security-Policy\" content=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("index.html states its policy in a meta element");
    assert_eq!(header(&headers, "content-security-policy"), meta);
}

#[test]
fn each_asset_gets_its_mime_type() {
    let server = start("mime");
    let cases = [
        ("/app_bg.wasm", "application/wasm"),
        ("/app.js", "text/javascript; charset=utf-8"),
        ("/assets/site.webmanifest", "application/manifest+json"),
        ("/index.html", "text/html; charset=utf-8"),
    ];
    for (path, mime) in cases {
        let (status, headers, _) = get(
            server.port,
            &format!("GET {path} HTTP/1.1\r\nConnection: close\r\n\r\n"),
        );
        assert_eq!(status, "HTTP/1.1 200 OK", "{path}");
        assert_eq!(header(&headers, "content-type"), mime, "{path}");
    }
}

#[test]
fn traversal_and_odd_requests_are_refused() {
    let server = start("traversal");
    let name = format!(
        "smtp-trainer-cli-web-{}-traversal.secret",
        std::process::id()
    );
    let cases = [
        (
            format!("GET /../{name} HTTP/1.1\r\nConnection: close\r\n\r\n"),
            "403",
        ),
        (
            format!("GET /%2e%2e/{name} HTTP/1.1\r\nConnection: close\r\n\r\n"),
            "403",
        ),
        (
            format!("GET /assets/..%2f..%2f{name} HTTP/1.1\r\nConnection: close\r\n\r\n"),
            "403",
        ),
        (
            "GET /nothing.js HTTP/1.1\r\nConnection: close\r\n\r\n".to_string(),
            "404",
        ),
        (
            "POST / HTTP/1.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_string(),
            "405",
        ),
        ("BLAH\r\n\r\n".to_string(), "400"),
    ];
    for (request, code) in cases {
        let (status, headers, body) = get(server.port, &request);
        assert!(
            status.starts_with(&format!("HTTP/1.1 {code} ")),
            "{request:?}: {status}"
        );
        assert!(
            !String::from_utf8_lossy(&body).contains("secret"),
            "{request:?}"
        );
        header(&headers, "content-security-policy");
    }
}

#[test]
fn keep_alive_serves_several_requests_and_head_has_no_body() {
    let server = start("keepalive");
    let (status, headers, body) = get(
        server.port,
        "HEAD /app.js HTTP/1.1\r\n\r\nGET /app.js HTTP/1.1\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert_eq!(header(&headers, "content-length"), "9");
    // The HEAD answer carries no body, so what follows its head is the GET's whole response.
    let rest = String::from_utf8_lossy(&body);
    assert!(rest.starts_with("HTTP/1.1 200 OK\r\n"), "{rest}");
    assert!(rest.ends_with("\r\n\r\nexport {}"), "{rest}");
}

#[test]
fn a_folder_without_the_app_is_a_clear_error() {
    let empty =
        std::env::temp_dir().join(format!("smtp-trainer-cli-web-{}-empty", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    let out = Command::new(BIN)
        .args([
            "web",
            "--listen",
            "127.0.0.1:0",
            "--dir",
            empty.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("has no index.html"), "{err}");
}

#[test]
fn sigterm_and_ctrl_c_stop_the_web_server() {
    for signal in [15, 2] {
        let mut server = start(&format!("signal{signal}"));
        server.signal(signal);
        assert_eq!(
            server.wait_exit(Duration::from_secs(5)),
            Some(0),
            "signal {signal}"
        );
    }
}
