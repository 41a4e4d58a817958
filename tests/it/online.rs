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
        // Always throttled: asking for longer than copydesk waits, or not.
        p if p.starts_with("/throttled-long") => {
            ("429 Too Many Requests", "Retry-After: 30\r\n".into())
        }
        p if p.starts_with("/throttled-always") => {
            ("429 Too Many Requests", "Retry-After: 0\r\n".into())
        }
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

/// Without DNS (or for names that do not exist) the system resolver's
/// failure is a lookup failure, not each image "unreachable": `.invalid`
/// never resolves (RFC 6761), with or without a DNS server.
#[test]
fn without_dns_the_run_has_one_error() {
    let dir = support::tempdir();
    write(
        dir.path(),
        "copydesk.toml",
        &config("", "\"copydesk-test.invalid\"", false),
    );
    let urls: Vec<String> = (0..6)
        .map(|v| format!("https://copydesk-test.invalid/img/{v}"))
        .collect();
    let urls: [&str; 6] = std::array::from_fn(|i| urls[i].as_str());
    write(dir.path(), "a.md", &article_with(0, urls));
    let run = check_within(dir.path(), &["--format", "json"], Duration::from_secs(60));
    assert_eq!(run.code, 2, "{}", run.both());
    assert_eq!(unreachable(&run), []);
    assert!(
        run.stderr
            .contains("no network: none of the 6 cover image URLs could be reached")
            && run
                .stderr
                .contains("cannot resolve `copydesk-test.invalid`"),
        "{}",
        run.both()
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

/// [`check`] with its own deadline (and more flags): a run that outlives
/// it fails the test instead of holding up the suite.
fn check_within(dir: &Path, extra: &[&str], deadline: Duration) -> Run {
    let mut cmd = support::command(dir);
    cmd.args(["check", "--online", "--now", NOW]).args(extra);
    let out = support::output_within(cmd, None, deadline);
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// The `copydesk: warning:` lines of a run.
fn warnings(run: &Run) -> Vec<&str> {
    run.stderr
        .lines()
        .filter(|l| l.starts_with("copydesk: warning:"))
        .collect()
}

#[test]
fn long_retry_after_and_lasting_throttling_are_not_checked_rather_than_waited_for() {
    let server = Server::start();
    let dir = support::tempdir();
    write(
        dir.path(),
        "copydesk.toml",
        &config("", "\"127.0.0.1\"", true),
    );
    // 18 URLs: 12 asking to wait 30 s, 6 throttled however often retried.
    for n in 0..3 {
        let urls: Vec<String> = (0..6)
            .map(|v| {
                let kind = if v < 4 { "long" } else { "always" };
                server.url(&format!("/throttled-{kind}?{n}-{v}"))
            })
            .collect();
        let urls: [&str; 6] = std::array::from_fn(|i| urls[i].as_str());
        write(dir.path(), &format!("a{n}.md"), &article_with(n, urls));
    }
    let started = std::time::Instant::now();
    let run = check_within(dir.path(), &["--format", "json"], Duration::from_secs(40));
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    // Not checked is not broken: no finding, and no failure of copydesk.
    assert_eq!(unreachable(&run), [], "{}", run.both());
    assert_eq!(run.code, 0, "{}", run.both());
    let paths = server.paths();
    // A server asking for longer than the cap is not asked again.
    assert_eq!(
        paths
            .iter()
            .filter(|p| p.starts_with("/throttled-long"))
            .count(),
        12
    );
    // A short Retry-After is honoured, the retries (2) used up.
    assert_eq!(
        paths
            .iter()
            .filter(|p| p.starts_with("/throttled-always"))
            .count(),
        18
    );
    // Said once, with the reasons.
    let said = warnings(&run);
    assert_eq!(said.len(), 1, "{}", run.both());
    assert!(
        said[0].contains("18 of 18 cover image URLs not checked")
            && said[0].contains("12 whose server asked to retry after more than 5 s")
            && said[0].contains("6 still throttled (HTTP 429) after the retries"),
        "{}",
        said[0]
    );
    // Nothing to remember about URLs that were not checked.
    assert!(!dir.path().join(".copydesk_cache/online.json").exists());
    // The summary says so too.
    let run = check_within(
        dir.path(),
        &["--format", "concise"],
        Duration::from_secs(40),
    );
    assert!(
        run.stderr
            .contains("All clear: 3 files checked; 18 of 18 cover image URLs not checked online."),
        "{}",
        run.both()
    );
}

#[test]
fn the_whole_check_stops_at_its_budget_and_says_what_it_did_not_check() {
    let server = Server::start();
    // One request at a time, each 800 ms (within the 1 s timeout): 12
    // URLs need 9.6 s.
    server.state.delay_ms.store(800, Ordering::SeqCst);
    let dir = support::tempdir();
    write(
        dir.path(),
        "copydesk.toml",
        &config(
            "concurrency = 1\nper-host = 1\nbudget-seconds = 2\n",
            "\"127.0.0.1\"",
            true,
        ),
    );
    for n in 0..2 {
        let urls: Vec<String> = (0..6)
            .map(|v| server.url(&format!("/img/{n}/{v}")))
            .collect();
        let urls: [&str; 6] = std::array::from_fn(|i| urls[i].as_str());
        write(dir.path(), &format!("a{n}.md"), &article_with(n, urls));
    }
    let started = std::time::Instant::now();
    let run = check_within(
        dir.path(),
        &["--format", "concise"],
        Duration::from_secs(40),
    );
    let took = started.elapsed();
    // The 2 s budget, and room for a loaded machine.
    assert!(took < Duration::from_secs(6), "{took:?}\n{}", run.both());
    assert_eq!(run.code, 0, "{}", run.both());
    assert!(!run.stdout.contains("image/unreachable"), "{}", run.both());
    let requested = server.requests().len();
    assert!((1..=3).contains(&requested), "{requested} requests");
    let said = warnings(&run);
    assert_eq!(said.len(), 1, "{}", run.both());
    assert!(
        said[0].contains("of 12 cover image URLs not checked")
            && said[0].contains("when the 2 s budget ran out (`online.budget-seconds`)"),
        "{}",
        said[0]
    );
    assert!(
        run.stderr.contains("cover image URLs not checked online."),
        "{}",
        run.both()
    );
    // What was checked is cached; the rest is requested next run.
    let again = check_within(
        dir.path(),
        &["--format", "concise"],
        Duration::from_secs(40),
    );
    assert_eq!(again.code, 0, "{}", again.both());
    assert!(server.requests().len() > requested);
}

#[test]
fn a_budget_of_zero_is_a_configuration_error() {
    let dir = support::tempdir();
    write(
        dir.path(),
        "copydesk.toml",
        &config("budget-seconds = 0\n", "\"127.0.0.1\"", true),
    );
    write(dir.path(), "a.md", &article("1", "One"));
    let run = check(dir.path());
    assert_eq!(run.code, 2, "{}", run.both());
    assert!(run.stderr.contains("must be at least 1"), "{}", run.both());
}

#[test]
fn no_cache_neither_reads_nor_writes_the_online_cache() {
    let server = Server::start();
    let dir = support::tempdir();
    write(
        dir.path(),
        "copydesk.toml",
        &config("", "\"127.0.0.1\"", true),
    );
    let ok = server.url("/ok");
    write(
        dir.path(),
        "a.md",
        &article_with(1, [&ok, &ok, &ok, &ok, &ok, &ok]),
    );
    // Without --no-cache, a fresh cached answer would be believed.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    let forged = format!(
        "{{\"version\": 1, \"entries\": {{\"{ok}\": {{\"checked_at\": {now}, \"problem\": \"a cached answer\"}}}}}}\n"
    );
    let cache = write(dir.path(), ".copydesk_cache/online.json", &forged);
    let run = check_within(
        dir.path(),
        &["--no-cache", "--format", "json"],
        support::TIMEOUT,
    );
    assert_eq!(unreachable(&run), [], "the cache was read:\n{}", run.both());
    assert_eq!(server.paths(), ["/ok"], "{}", run.both());
    assert_eq!(
        std::fs::read_to_string(&cache).expect("cache"),
        forged,
        "the cache was written"
    );
    // Without it, the (forged) cached answer is taken, for each variant.
    let run = check(dir.path());
    assert_eq!(unreachable(&run).len(), 6, "{}", run.both());

    let dir = support::tempdir();
    write(
        dir.path(),
        "copydesk.toml",
        &config("", "\"127.0.0.1\"", true),
    );
    write(
        dir.path(),
        "a.md",
        &article_with(1, [&ok, &ok, &ok, &ok, &ok, &ok]),
    );
    let run = check_within(
        dir.path(),
        &["--no-cache", "--format", "json"],
        support::TIMEOUT,
    );
    assert_eq!(run.code, 0, "{}", run.both());
    assert!(
        !dir.path().join(".copydesk_cache").exists(),
        "a cache folder was made"
    );
}

#[cfg(unix)]
#[test]
fn the_online_cache_is_never_read_from_a_fifo_or_a_device_nor_through_a_link() {
    let server = Server::start();
    let ok = server.url("/ok");
    let project = || {
        let dir = support::tempdir();
        write(
            dir.path(),
            "copydesk.toml",
            &config("", "\"127.0.0.1\"", true),
        );
        write(
            dir.path(),
            "a.md",
            &article_with(1, [&ok, &ok, &ok, &ok, &ok, &ok]),
        );
        std::fs::create_dir(dir.path().join(".copydesk_cache")).expect("mkdir");
        dir
    };
    // A FIFO: not read (it would block), replaced by the new cache.
    let dir = project();
    let file = dir.path().join(".copydesk_cache/online.json");
    let status = std::process::Command::new("mkfifo")
        .arg(&file)
        .status()
        .expect("mkfifo");
    assert!(status.success());
    let run = check_within(dir.path(), &["--format", "json"], Duration::from_secs(30));
    assert_eq!(run.code, 0, "{}", run.both());
    assert!(std::fs::symlink_metadata(&file).expect("meta").is_file());
    // A link to /dev/zero: refused, neither read nor replaced.
    let dir = project();
    let file = dir.path().join(".copydesk_cache/online.json");
    std::os::unix::fs::symlink("/dev/zero", &file).expect("symlink");
    let run = check_within(dir.path(), &["--format", "json"], Duration::from_secs(30));
    assert_eq!(run.code, 0, "{}", run.both());
    let said = warnings(&run);
    assert_eq!(said.len(), 1, "{}", run.both());
    assert!(
        said[0].contains("online.json is a symbolic link"),
        "{}",
        said[0]
    );
    assert!(std::fs::symlink_metadata(&file)
        .expect("meta")
        .file_type()
        .is_symlink());
    // A linked cache folder: nothing is written through it.
    let dir = project();
    let elsewhere = support::tempdir();
    std::fs::remove_dir(dir.path().join(".copydesk_cache")).expect("rmdir");
    std::os::unix::fs::symlink(elsewhere.path(), dir.path().join(".copydesk_cache"))
        .expect("symlink");
    let run = check_within(dir.path(), &["--format", "json"], Duration::from_secs(30));
    assert_eq!(run.code, 0, "{}", run.both());
    assert_eq!(
        std::fs::read_dir(elsewhere.path()).expect("dir").count(),
        0,
        "written through the link"
    );
    assert_eq!(warnings(&run).len(), 1, "{}", run.both());
}
