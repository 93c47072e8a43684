//! `smtp-trainer web`: serves the built browser app from the native binary, for a training room
//! with no network. Small on purpose: GET and HEAD of static files over HTTP/1.1 (keep-alive),
//! the MIME types a Trunk build contains, and a Content-Security-Policy on every response.
//!
//! Paths are resolved segment by segment (no `..`, no backslashes, no NUL) and the final file
//! must still lie under the served folder after symbolic links are followed, so nothing outside
//! it is ever read.

use super::edge::{say, StopSignals};
use super::Failure;
use clap::Args;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Flags of `smtp-trainer web`.
#[derive(Debug, Args)]
pub struct WebArgs {
    /// Address and port to listen on (a name such as localhost:8080, or a bare port, works
    /// too); loopback unless you say otherwise. Port 0 picks a free port (the one chosen is
    /// printed on stderr).
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR:PORT", value_parser = super::edge::parse_listen)]
    pub listen: SocketAddr,
    /// The built app (what `trunk build --release` writes); must hold index.html.
    #[arg(long, default_value = "dist", value_name = "DIR")]
    pub dir: PathBuf,
}

/// The page the app is built from. Its `<meta http-equiv="Content-Security-Policy">` is the
/// project's one statement of the policy: the browser reads it from any static server, and this
/// server repeats it as a header (see [`policy_for`]).
const SOURCE_INDEX: &str = include_str!("../../index.html");

/// What is sent if neither the served page nor the source page states a policy (a test keeps
/// the source page's meta element in place, so this is a last resort, not a second policy).
const FALLBACK_POLICY: &str = "default-src 'self'";

/// Longest request head accepted; a browser's is well under this.
const MAX_HEAD: usize = 16 * 1024;
/// How long an idle keep-alive connection is kept.
const IDLE: Duration = Duration::from_secs(30);

/// Serves `--dir` until Ctrl+C or SIGTERM.
pub fn run(args: &WebArgs) -> Result<(), Failure> {
    let root = app_root(&args.dir).map_err(Failure::runtime)?;
    let index = std::fs::read_to_string(root.join("index.html"))
        .map_err(|e| Failure::runtime(format!("cannot read index.html: {e}")))?;
    let csp: Arc<str> = policy_for(&index).into();
    if has_inline_script(&index) {
        say(&format!(
            "smtp-trainer: warning: {} has an inline script, which the Content-Security-Policy refuses; rebuild the app (trunk build --release) so it starts from boot.js",
            root.join("index.html").display()
        ));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::runtime(format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(async move {
        let signals = StopSignals::register();
        let listener = TcpListener::bind(args.listen)
            .await
            .map_err(|e| Failure::runtime(super::edge::listen_failure(args.listen, &e)))?;
        let local = listener
            .local_addr()
            .map_err(|e| Failure::runtime(format!("cannot read the listening address: {e}")))?;
        say(&format!(
            "smtp-trainer: serving {} on http://{local}/ (Ctrl+C stops)",
            root.display()
        ));
        let root = Arc::new(root);
        let csp = Arc::clone(&csp);
        let stop = signals.wait();
        tokio::pin!(stop);
        loop {
            tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok((stream, _)) => {
                        let root = Arc::clone(&root);
                        let csp = Arc::clone(&csp);
                        tokio::spawn(async move { serve_connection(stream, &root, &csp).await });
                    }
                    Err(e) => {
                        say(&format!("smtp-trainer: accept failed: {e}"));
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                },
                _ = &mut stop => return Ok(()),
            }
        }
    })
}

/// The served folder, canonical, after checking it holds the app.
fn app_root(dir: &Path) -> Result<PathBuf, String> {
    let root = dir.canonicalize().map_err(|e| {
        format!(
            "cannot open --dir '{}': {e}; build the app first (trunk build --release) or point --dir at it",
            dir.display()
        )
    })?;
    if !root.join("index.html").is_file() {
        return Err(format!(
            "--dir '{}' has no index.html; build the app first (trunk build --release) or point --dir at it",
            dir.display()
        ));
    }
    Ok(root)
}

/// The policy sent with every response: the Content-Security-Policy meta element of the served
/// `index.html`, so header and meta always say the same (a browser enforces both, so any
/// difference would only confuse). A build without one gets the repository's `index.html` policy.
/// Whitespace runs (the attribute may span lines) become one space, so the header stays one line.
pub fn policy_for(index_html: &str) -> String {
    meta_policy(index_html)
        .or_else(|| meta_policy(SOURCE_INDEX))
        .unwrap_or_else(|| FALLBACK_POLICY.to_string())
}

/// The `content` of the first `<meta http-equiv="Content-Security-Policy">` in `html`, entities
/// decoded and whitespace collapsed; `None` if there is none or it is empty.
fn meta_policy(html: &str) -> Option<String> {
    // Tag names are case-insensitive; ASCII lower-casing keeps every byte offset.
    let lower = html.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = lower[from..].find("<meta") {
        let open = from + found;
        let tag_len = html[open..].find('>')?;
        let tag = &html[open + "<meta".len()..open + tag_len];
        from = open + tag_len;
        let attrs = attributes(tag);
        let is_csp = attrs.iter().any(|(k, v)| {
            k.eq_ignore_ascii_case("http-equiv")
                && v.eq_ignore_ascii_case("content-security-policy")
        });
        if !is_csp {
            continue;
        }
        let content = attrs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content"))
            .map(|(_, v)| decode_entities(v))?;
        let policy = content.split_whitespace().collect::<Vec<_>>().join(" ");
        return (!policy.is_empty()).then_some(policy);
    }
    None
}

/// The `name=value` pairs of a tag's attribute text (quoted with `"` or `'`, or bare).
fn attributes(tag: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut rest = tag.trim_start();
    while !rest.is_empty() {
        let name_end = rest
            .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        let name = &rest[..name_end];
        rest = rest[name_end..].trim_start();
        let value = if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (value, next) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let body = &after[1..];
                    let end = body.find(q).unwrap_or(body.len());
                    (&body[..end], body.get(end + 1..).unwrap_or(""))
                }
                _ => {
                    let end = after.find(char::is_whitespace).unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            rest = next.trim_start();
            value
        } else {
            if name.is_empty() {
                // A stray `/` (as in `<meta ... />`): skip it.
                rest = rest.get(1..).unwrap_or("").trim_start();
                continue;
            }
            ""
        };
        if !name.is_empty() {
            out.push((name, value));
        }
    }
    out
}

/// Decodes the character references an attribute value may use for quotes and markup.
fn decode_entities(value: &str) -> String {
    [
        ("&quot;", "\""),
        ("&#39;", "'"),
        ("&apos;", "'"),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&amp;", "&"),
    ]
    .iter()
    .fold(value.to_string(), |v, (entity, ch)| v.replace(entity, ch))
}

/// Whether `html` holds an inline script (a `<script>` without `src`), which the policy refuses:
/// a page built before the app started from `boot.js` would stay blank.
fn has_inline_script(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    lower.match_indices("<script").any(|(at, _)| {
        let tag = &html[at..];
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        !attributes(&tag["<script".len()..])
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("src"))
    })
}

/// Answers requests on one connection until the client closes, asks to close, or idles.
async fn serve_connection(mut stream: TcpStream, root: &Path, csp: &str) {
    let mut buf = Vec::with_capacity(4096);
    loop {
        let head_len = loop {
            if let Some(end) = find_head_end(&buf) {
                break end;
            }
            if buf.len() >= MAX_HEAD {
                let _ = respond(
                    &mut stream,
                    &Response::error(431, "Request Header Fields Too Large"),
                    false,
                    csp,
                )
                .await;
                return;
            }
            let mut chunk = [0u8; 4096];
            match tokio::time::timeout(IDLE, stream.read(&mut chunk)).await {
                Ok(Ok(0)) | Ok(Err(_)) | Err(_) => return,
                Ok(Ok(n)) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        let (response, keep_alive) = answer(&buf[..head_len], root).await;
        buf.drain(..head_len);
        if respond(&mut stream, &response, keep_alive, csp)
            .await
            .is_err()
            || !keep_alive
        {
            let _ = stream.shutdown().await;
            return;
        }
    }
}

/// The index just past the blank line that ends a request head.
fn find_head_end(buf: &[u8]) -> Option<usize> {
    buf.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4)
}

/// A response ready to send: status, content type and body (`head_only` for HEAD).
#[derive(Debug)]
struct Response {
    status: u16,
    reason: &'static str,
    content_type: &'static str,
    body: Vec<u8>,
    head_only: bool,
}

impl Response {
    fn error(status: u16, reason: &'static str) -> Response {
        Response {
            status,
            reason,
            content_type: "text/plain; charset=utf-8",
            body: format!("{status} {reason}\n").into_bytes(),
            head_only: false,
        }
    }
}

/// Parses one request head and builds its response; the flag says whether to keep the
/// connection open afterwards.
async fn answer(head: &[u8], root: &Path) -> (Response, bool) {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut req = httparse::Request::new(&mut headers);
    let (method, target, version) = match req.parse(head) {
        Ok(httparse::Status::Complete(_)) => match (req.method, req.path, req.version) {
            (Some(m), Some(p), Some(v)) => (m, p, v),
            _ => return (Response::error(400, "Bad Request"), false),
        },
        _ => return (Response::error(400, "Bad Request"), false),
    };
    let wants_close = req.headers.iter().any(|h| {
        h.name.eq_ignore_ascii_case("connection")
            && std::str::from_utf8(h.value).is_ok_and(|v| v.eq_ignore_ascii_case("close"))
    });
    // A request with a body is not one this server answers; closing skips reading it.
    let has_body = req.headers.iter().any(|h| {
        (h.name.eq_ignore_ascii_case("content-length") && h.value != b"0")
            || h.name.eq_ignore_ascii_case("transfer-encoding")
    });
    let keep_alive = version == 1 && !wants_close && !has_body;
    let head_only = match method {
        "GET" => false,
        "HEAD" => true,
        _ => return (Response::error(405, "Method Not Allowed"), keep_alive),
    };
    let mut response = match resolve(root, target) {
        Err(status) => Response::error(status, reason(status)),
        Ok(path) => match tokio::fs::read(&path).await {
            Ok(body) => Response {
                status: 200,
                reason: "OK",
                content_type: mime_type(&path),
                body,
                head_only,
            },
            Err(_) => Response::error(404, "Not Found"),
        },
    };
    response.head_only = head_only;
    (response, keep_alive)
}

fn reason(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        403 => "Forbidden",
        _ => "Not Found",
    }
}

/// Maps a request target to a file under `root`, or the status to answer instead.
fn resolve(root: &Path, target: &str) -> Result<PathBuf, u16> {
    let path = target.split(['?', '#']).next().unwrap_or("");
    if !path.starts_with('/') {
        return Err(400);
    }
    let decoded = percent_decode(path).ok_or(400u16)?;
    let mut file = root.to_path_buf();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return Err(403),
            s if s.contains(['\\', '\0']) || s.starts_with('.') => return Err(403),
            s => file.push(s),
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    let real = file.canonicalize().map_err(|_| 404u16)?;
    if !real.starts_with(root) {
        return Err(403);
    }
    if !real.is_file() {
        return Err(404);
    }
    Ok(real)
}

/// Decodes `%XX` escapes; `None` for a malformed escape or a result that is not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The content type for a file of the built app, by extension.
fn mime_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("webmanifest") => "application/manifest+json",
        Some("json" | "map") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("txt") => "text/plain; charset=utf-8",
        Some("toml") => "application/toml",
        _ => "application/octet-stream",
    }
}

/// Writes a response with the security headers every response carries.
async fn respond(
    stream: &mut TcpStream,
    r: &Response,
    keep_alive: bool,
    csp: &str,
) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nContent-Security-Policy: {}\r\nX-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\nCache-Control: no-cache\r\nConnection: {}\r\n\r\n",
        r.status,
        r.reason,
        r.content_type,
        r.body.len(),
        csp,
        if keep_alive { "keep-alive" } else { "close" },
    );
    stream.write_all(head.as_bytes()).await?;
    if !r.head_only {
        stream.write_all(&r.body).await?;
    }
    stream.flush().await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("smtp-trainer-web-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("assets")).unwrap();
        std::fs::write(dir.join("index.html"), "<!doctype html>").unwrap();
        std::fs::write(dir.join("assets/app.wasm"), b"\0asm").unwrap();
        dir.canonicalize().unwrap()
    }

    #[test]
    fn targets_resolve_inside_the_root_or_are_refused() {
        let root = fixture();
        let cases: &[(&str, Result<&str, u16>)] = &[
            ("/", Ok("index.html")),
            ("/index.html?x=1#top", Ok("index.html")),
            ("/assets/app.wasm", Ok("assets/app.wasm")),
            ("/assets/", Err(404)),
            ("/assets/%61pp.wasm", Ok("assets/app.wasm")),
            ("/../etc/passwd", Err(403)),
            ("/assets/../../x", Err(403)),
            ("/%2e%2e/etc/passwd", Err(403)),
            ("/..%2fetc%2fpasswd", Err(403)),
            ("/a%5c..%5cb", Err(403)),
            ("/.git/config", Err(403)),
            ("/%zz", Err(400)),
            ("/%ff", Err(400)),
            ("http://x/", Err(400)),
            ("/missing.js", Err(404)),
        ];
        for (target, want) in cases {
            let got = resolve(&root, target);
            match want {
                Ok(rel) => assert_eq!(got, Ok(root.join(rel)), "{target}"),
                Err(status) => assert_eq!(got, Err(*status), "{target}"),
            }
        }
    }

    #[test]
    fn the_policy_is_the_served_pages_meta_element() {
        let cases: &[(&str, &str)] = &[
            (
                r#"<meta http-equiv="Content-Security-Policy" content="default-src 'none'">"#,
                "default-src 'none'",
            ),
            (
                "<META HTTP-EQUIV=content-security-policy CONTENT=\"img-src\n   'self'\" />",
                "img-src 'self'",
            ),
            (
                r#"<meta name="x" content="a"><meta content='script-src &#39;self&#39;' http-equiv='Content-Security-Policy'/>"#,
                "script-src 'self'",
            ),
        ];
        for (page, want) in cases {
            assert_eq!(policy_for(page), *want, "{page}");
        }
    }

    #[test]
    fn a_page_without_a_policy_gets_the_repositorys_policy() {
        let source =
            meta_policy(SOURCE_INDEX).expect("index.html states the policy in a meta element");
        for page in [
            "<html></html>",
            r#"<meta http-equiv="refresh" content="5">"#,
        ] {
            assert_eq!(policy_for(page), source, "{page}");
        }
    }

    #[test]
    fn the_repositorys_policy_keeps_scripts_to_the_site_and_allows_embedding() {
        let csp = policy_for(SOURCE_INDEX);
        let directive = |name: &str| {
            csp.split(';')
                .map(str::trim)
                .find(|d| d.split(' ').next() == Some(name))
                .map(str::to_string)
        };
        assert_eq!(
            directive("script-src").as_deref(),
            Some("script-src 'self' 'wasm-unsafe-eval'"),
            "{csp}"
        );
        assert!(!csp.contains("'unsafe-eval'"), "{csp}");
        assert!(
            directive("object-src").is_some_and(|d| d.ends_with("'none'")),
            "{csp}"
        );
        // Documentation sites on other origins embed the app; a meta element cannot carry
        // frame-ancestors anyway (the browser ignores it there, with a console error).
        assert_eq!(directive("frame-ancestors"), None, "{csp}");
        assert!(
            !SOURCE_INDEX.contains("<script>"),
            "no inline script in index.html"
        );
    }

    #[test]
    fn inline_scripts_are_noticed_and_external_ones_are_not() {
        let cases = [
            (
                "<script type=\"module\">import init from './a.js';</script>",
                true,
            ),
            ("<script>alert(1)</script>", true),
            ("<script src=\"./boot.js\" type=\"module\"></script>", false),
            ("<script type=module src=boot.js></script>", false),
            ("<html><body>no scripts</body></html>", false),
        ];
        for (page, want) in cases {
            assert_eq!(has_inline_script(page), want, "{page}");
        }
    }

    #[test]
    fn mime_types_for_the_built_app() {
        let cases = [
            ("a.wasm", "application/wasm"),
            ("a.JS", "text/javascript; charset=utf-8"),
            ("a.css", "text/css; charset=utf-8"),
            ("index.html", "text/html; charset=utf-8"),
            ("manifest.webmanifest", "application/manifest+json"),
            ("noext", "application/octet-stream"),
        ];
        for (name, want) in cases {
            assert_eq!(mime_type(Path::new(name)), want, "{name}");
        }
    }

    #[test]
    fn a_folder_without_index_html_is_refused_clearly() {
        let empty = std::env::temp_dir().join(format!("smtp-trainer-empty-{}", std::process::id()));
        std::fs::create_dir_all(&empty).unwrap();
        let err = app_root(&empty).unwrap_err();
        assert!(err.contains("has no index.html"), "{err}");
        assert!(app_root(&empty.join("nope"))
            .unwrap_err()
            .contains("cannot open"));
        assert!(app_root(&fixture()).is_ok());
    }
}
