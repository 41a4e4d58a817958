//! `copydesk check --online`, end to end, against a small HTTP server on
//! 127.0.0.1 started by each test. No request ever leaves the machine: the
//! only hosts allowed are `127.0.0.1` (and `localhost`, which is refused
//! as a non-public address), and every redirect elsewhere is refused
//! before it is followed.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::{self, article, copydesk, write, Run, NOW};

/// What the server saw.
#[derive(Default)]
struct State {
    /// `(method, path, range header)` of every request, in arrival order.
    requests: Mutex<Vec<(String, String, Option<String>)>>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    /// How many times each path was asked, for 429-then-200.
    hits: Mutex<HashMap<String, usize>>,
    /// Headers that must never be sent (cookies, credentials), and the
    /// `User-Agent` of every request.
    forbidden_headers: AtomicUsize,
    user_agents: Mutex<Vec<String>>,
    /// Per-request delay, to make concurrent requests overlap.
    delay_ms: AtomicUsize,
    stop: AtomicBool,
}

/// A tiny HTTP/1.1 server: one thread per connection, one request per
/// connection (`Connection: close`).
struct Server {
    addr: SocketAddr,
    state: Arc<State>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local addr");
        let state = Arc::new(State::default());
        let s = Arc::clone(&state);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if s.stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let s = Arc::clone(&s);
                std::thread::spawn(move || {
                    let _ = serve(stream, &s, addr);
                });
            }
        });
        Server { addr, state }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn requests(&self) -> Vec<(String, String, Option<String>)> {
        self.state.requests.lock().expect("lock").clone()
    }

    fn paths(&self) -> Vec<String> {
        self.requests().into_iter().map(|(_, p, _)| p).collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.state.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees `stop`.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
    }
}

fn serve(stream: TcpStream, state: &State, addr: SocketAddr) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_owned();
    let path = parts.next().unwrap_or("").to_owned();
    let mut range = None;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.eq_ignore_ascii_case("range") {
                range = Some(value.trim().to_owned());
            }
            if name.eq_ignore_ascii_case("user-agent") {
                state
                    .user_agents
                    .lock()
                    .expect("lock")
                    .push(value.trim().to_owned());
            }
            if [
                "cookie",
                "authorization",
                "content-length",
                "transfer-encoding",
            ]
            .iter()
            .any(|h| name.eq_ignore_ascii_case(h))
            {
                state.forbidden_headers.fetch_add(1, Ordering::SeqCst);
            }
        }
    }
    let now = state.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    state.max_in_flight.fetch_max(now, Ordering::SeqCst);
    state
        .requests
        .lock()
        .expect("lock")
        .push((method.clone(), path.clone(), range.clone()));
    let hit = {
        let mut hits = state.hits.lock().expect("lock");
        let n = hits.entry(path.clone()).or_default();
        *n += 1;
        *n
    };
    let delay = state.delay_ms.load(Ordering::SeqCst);
    if delay > 0 {
        std::thread::sleep(Duration::from_millis(delay as u64));
    }
    let (status, extra) = match path.as_str() {
        "/missing" => ("404 Not Found", String::new()),
        "/broken" => ("500 Internal Server Error", "Retry-After: 0\r\n".into()),
        "/redirect-ok" => ("302 Found", format!("Location: http://{addr}/ok\r\n")),
        "/redirect-away" => (
            "302 Found",
            "Location: http://elsewhere.invalid/x\r\n".to_owned(),
        ),
        "/loop" => ("302 Found", "Location: /loop\r\n".to_owned()),
        "/slow" => {
            std::thread::sleep(Duration::from_secs(3));
            ("200 OK", String::new())
        }
        "/throttled" if hit == 1 => ("429 Too Many Requests", "Retry-After: 1\r\n".into()),
        "/head-refused" if method == "HEAD" => ("405 Method Not Allowed", String::new()),
        _ => ("200 OK", String::new()),
    };
    state.in_flight.fetch_sub(1, Ordering::SeqCst);
    let mut stream = stream;
    write!(
        stream,
        "HTTP/1.1 {status}\r\n{extra}Content-Length: 0\r\nConnection: close\r\n\r\n"
    )?;
    stream.flush()
}

/// The seed article (numbered, so no two look like duplicates) with its
/// six cover image URLs replaced.
fn article_with(n: usize, urls: [&str; 6]) -> String {
    let mut text = article(&format!("{}", 9_000_000 + n), &format!("Article {n}"));
    for (variant, url) in ["raw", "full", "regular", "small", "thumb", "small_s3"]
        .iter()
        .zip(urls)
    {
        let prefix = format!("  {variant}: ");
        let start = text.find(&prefix).expect("variant line");
        let end = start + text[start..].find('\n').expect("line end");
        text.replace_range(start..end, &format!("{prefix}'{url}'"));
    }
    text
}

/// A config allowing 127.0.0.1 with the loopback allowance on (the test
/// server lives there), and the offline Unsplash conventions off.
fn config(extra_online: &str, hosts: &str, allow_private: bool) -> String {
    format!(
        "[rules]\n\"image/insecure-url\" = \"off\"\n\"image/photo-id-mismatch\" = \"off\"\n\"image/variant-parameters\" = \"off\"\n\n[editorial]\nimage-hosts = [{hosts}]\ns3-hosts = [{hosts}]\n\n[online]\ntimeout-seconds = 1\nallow-private-addresses = {allow_private}\n{extra_online}"
    )
}

fn check(dir: &Path) -> Run {
    copydesk(
        dir,
        &["check", "--online", "--format", "json", "--now", NOW],
    )
}

/// `(line, message)` of each `image/unreachable` finding, in order.
fn unreachable(run: &Run) -> Vec<(u64, String)> {
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| {
        panic!("JSON output ({e}):\n{}", run.both());
    });
    v.as_array()
        .expect("array")
        .iter()
        .filter(|d| d["code"] == "image/unreachable")
        .map(|d| {
            (
                d["line"].as_u64().expect("line"),
                d["message"].as_str().expect("message").to_owned(),
            )
        })
        .collect()
}

#[test]
fn each_answer_gives_its_outcome() {
    let server = Server::start();
    let dir = support::tempdir();
    write(
        dir.path(),
        "copydesk.toml",
        &config("", "\"127.0.0.1\"", true),
    );
    let u = |p: &str| server.url(p);
    write(
        dir.path(),
        "a.md",
        &article_with(
            1,
            [
                &u("/ok"),
                &u("/missing"),
                &u("/broken"),
                &u("/redirect-ok"),
                &u("/redirect-away"),
                &u("/slow"),
            ],
        ),
    );
    write(
        dir.path(),
        "b.md",
        &article_with(
            2,
            [
                &u("/throttled"),
                &u("/head-refused"),
                &u("/loop"),
                &u("/ok?again"),
                &u("/ok?b"),
                &u("/ok?c"),
            ],
        ),
    );
    let started = std::time::Instant::now();
    let run = check(dir.path());
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{}",
        run.both()
    );
    assert_eq!(run.code, 1, "{}", run.both());
    let found = unreachable(&run);
    let messages: Vec<&str> = found.iter().map(|(_, m)| m.as_str()).collect();
    assert_eq!(
        messages,
        [
            "`coverImage.full` does not load: answers HTTP 404 Not Found",
            "`coverImage.regular` does not load: answers HTTP 500 Internal Server Error",
            "`coverImage.thumb` does not load: redirects to `elsewhere.invalid`, which is not an allowed image host",
            "`coverImage.small_s3` does not load: no answer within 1 s (timed out)",
            "`coverImage.regular` does not load: too many redirects (more than 5)",
        ],
        "{}",
        run.both()
    );
    let paths = server.paths();
    // 500 is retried (twice by default), 429 once after its Retry-After.
    assert_eq!(paths.iter().filter(|p| *p == "/broken").count(), 3);
    assert_eq!(paths.iter().filter(|p| *p == "/throttled").count(), 2);
    // The redirect was followed to the allowed host, the other one not.
    assert_eq!(paths.iter().filter(|p| *p == "/ok").count(), 2);
    assert!(!paths.iter().any(|p| p == "/x"));
    assert_eq!(paths.iter().filter(|p| *p == "/loop").count(), 6);
    // HEAD refused: a one-byte GET instead.
    let head_refused: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|(_, p, _)| p == "/head-refused")
        .map(|(m, _, r)| (m, r))
        .collect();
    assert_eq!(
        head_refused,
        [
            ("HEAD".to_owned(), None),
            ("GET".to_owned(), Some("bytes=0-0".to_owned()))
        ]
    );
    // Every other request is a HEAD.
    assert!(server
        .requests()
        .iter()
        .all(|(m, p, _)| m == "HEAD" || p == "/head-refused"));
    let agents = server.state.user_agents.lock().expect("lock").clone();
    assert_eq!(agents.len(), server.requests().len());
    let expected = format!("copydesk/{}", env!("CARGO_PKG_VERSION"));
    assert!(agents.iter().all(|a| *a == expected), "{agents:?}");
    assert_eq!(server.state.forbidden_headers.load(Ordering::SeqCst), 0);
    let cache = dir.path().join(".copydesk_cache");
    assert_eq!(
        std::fs::read_to_string(cache.join(".gitignore")).expect(".gitignore"),
        "*\n"
    );
    assert!(cache.join("online.json").is_file());
}

#[test]
fn a_thousand_urls_respect_the_limits_and_the_second_run_is_cached() {
    let server = Server::start();
    server.state.delay_ms.store(2, Ordering::SeqCst);
    let dir = support::tempdir();
    write(
        dir.path(),
        "copydesk.toml",
        &config("concurrency = 16\nper-host = 4\n", "\"127.0.0.1\"", true),
    );
    let articles = 167; // 1,002 URLs
    for n in 0..articles {
        let urls: Vec<String> = (0..6)
            .map(|v| server.url(&format!("/img/{n}/{v}")))
            .collect();
        let urls: [&str; 6] = std::array::from_fn(|i| urls[i].as_str());
        write(dir.path(), &format!("a{n}.md"), &article_with(n, urls));
    }
    let run = check(dir.path());
    assert_eq!(unreachable(&run), [], "{}", run.both());
    assert_ne!(run.code, 2, "{}", run.both());
    assert_eq!(server.requests().len(), articles * 6);
    let max = server.state.max_in_flight.load(Ordering::SeqCst);
    assert!(max <= 4, "{max} requests in flight to one host");
    assert!(max >= 2, "the requests never overlapped ({max})");

    let again = check(dir.path());
    assert_eq!(unreachable(&again), [], "{}", again.both());
    assert_eq!(
        server.requests().len(),
        articles * 6,
        "the second run requested again"
    );
}

#[test]
fn the_overall_limit_holds_below_the_per_host_one() {
    let server = Server::start();
    server.state.delay_ms.store(5, Ordering::SeqCst);
    let dir = support::tempdir();
    write(
        dir.path(),
        "copydesk.toml",
        &config("concurrency = 2\nper-host = 8\n", "\"127.0.0.1\"", true),
    );
    for n in 0..10 {
        let urls: Vec<String> = (0..6)
            .map(|v| server.url(&format!("/img/{n}/{v}")))
            .collect();
        let urls: [&str; 6] = std::array::from_fn(|i| urls[i].as_str());
        write(dir.path(), &format!("a{n}.md"), &article_with(n, urls));
    }
    let run = check(dir.path());
    assert_eq!(unreachable(&run), [], "{}", run.both());
    assert_eq!(server.requests().len(), 60);
    let max = server.state.max_in_flight.load(Ordering::SeqCst);
    assert!(max <= 2, "{max} requests in flight with concurrency = 2");
}

#[test]
fn hosts_not_allowed_and_private_addresses_are_never_requested() {
    let server = Server::start();
    let port = server.addr.port();
    let dir = support::tempdir();
    // 127.0.0.1 is not listed: nothing to request.
    write(
        dir.path(),
        "copydesk.toml",
        &config("", "\"img.example\"", true),
    );
    let u = server.url("/not-listed");
    write(
        dir.path(),
        "a.md",
        &article_with(1, [&u, &u, &u, &u, &u, &u]),
    );
    let run = check(dir.path());
    assert_eq!(unreachable(&run), [], "{}", run.both());
    assert_eq!(server.requests().len(), 0);

    // Listed, but loopback without the allowance: refused after resolving,
    // both as an address and as a name.
    let dir = support::tempdir();
    write(
        dir.path(),
        "copydesk.toml",
        &config("", "\"127.0.0.1\", \"localhost\"", false),
    );
    let ip = server.url("/private");
    let name = format!("http://localhost:{port}/private-name");
    write(
        dir.path(),
        "a.md",
        &article_with(1, [&ip, &name, &ip, &ip, &ip, &ip]),
    );
    let run = check(dir.path());
    let found = unreachable(&run);
    assert_eq!(found.len(), 6, "{}", run.both());
    assert!(
        found[0]
            .1
            .contains("`127.0.0.1` resolves to a non-public address (127.0.0.1)"),
        "{}",
        found[0].1
    );
    assert!(
        found[1]
            .1
            .contains("`localhost` resolves to a non-public address"),
        "{}",
        found[1].1
    );
    assert_eq!(run.code, 1, "{}", run.both());
    assert_eq!(server.requests().len(), 0);

    // Credentials in the URL: never requested.
    let dir = support::tempdir();
    write(
        dir.path(),
        "copydesk.toml",
        &config("", "\"127.0.0.1\"", true),
    );
    let creds = format!("http://user:secret@127.0.0.1:{port}/creds");
    write(
        dir.path(),
        "a.md",
        &article_with(1, [&creds, &creds, &creds, &creds, &creds, &creds]),
    );
    let run = check(dir.path());
    assert_eq!(unreachable(&run), [], "{}", run.both());
    assert_eq!(server.requests().len(), 0);
}

#[test]
fn without_network_the_run_has_one_error() {
    // A port nobody listens on: every connection is refused.
    let port = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let dir = support::tempdir();
    write(
        dir.path(),
        "copydesk.toml",
        &config("", "\"127.0.0.1\"", true),
    );
    for n in 0..3 {
        let urls: Vec<String> = (0..6)
            .map(|v| format!("http://127.0.0.1:{port}/img/{n}/{v}"))
            .collect();
        let urls: [&str; 6] = std::array::from_fn(|i| urls[i].as_str());
        write(dir.path(), &format!("a{n}.md"), &article_with(n, urls));
    }
    let run = check(dir.path());
    assert_eq!(run.code, 2, "{}", run.both());
    assert_eq!(unreachable(&run), []);
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("copydesk: error:"))
        .collect();
    assert_eq!(errors.len(), 1, "{}", run.both());
    assert!(
        errors[0].contains("no network: none of the 18 cover image URLs could be reached"),
        "{}",
        errors[0]
    );
}

#[test]
fn findings_go_through_suppressions_and_rule_levels() {
    let server = Server::start();
    let dir = support::tempdir();
    let missing = server.url("/missing");
    let ok = server.url("/ok");
    let text = article_with(1, [&ok, &missing, &ok, &ok, &ok, &ok]).replacen(
        &format!("  full: '{missing}'"),
        &format!("  full: '{missing}' # copydesk: ignore[image/unreachable]"),
        1,
    );
    write(dir.path(), "a.md", &text);
    write(
        dir.path(),
        "copydesk.toml",
        &config("", "\"127.0.0.1\"", true),
    );
    let run = check(dir.path());
    assert_eq!(unreachable(&run), [], "{}", run.both());
    assert!(!run.stdout.contains("suppression/unused"), "{}", run.both());

    // Off: nothing is requested at all.
    let dir = support::tempdir();
    let before = server.requests().len();
    write(
        dir.path(),
        "copydesk.toml",
        &config("", "\"127.0.0.1\"", true).replacen(
            "[rules]\n",
            "[rules]\n\"image/unreachable\" = \"off\"\n",
            1,
        ),
    );
    write(
        dir.path(),
        "a.md",
        &article_with(1, [&ok, &missing, &ok, &ok, &ok, &ok]),
    );
    let run = check(dir.path());
    assert_eq!(unreachable(&run), [], "{}", run.both());
    assert_eq!(server.requests().len(), before);
}
