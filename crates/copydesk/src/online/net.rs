//! The requests themselves (feature `online`): ureq, blocking, rustls.

use std::collections::{HashMap, VecDeque};
use std::io::IsTerminal;
use std::net::SocketAddr;
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use copydesk_lint::config::{host_allowed, Online};
use copydesk_lint::Settings;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};
use ureq::Agent;
use url::Url;

use super::{is_public, requestable, Outcome, Skip, MAX_REDIRECTS, MAX_RETRY_AFTER};

/// Resolves like ureq's default, then refuses non-public addresses: the
/// check happens on the addresses ureq connects to, so a name cannot
/// resolve to a public address for a check and a private one for the
/// request.
#[derive(Debug)]
struct GuardedResolver {
    inner: DefaultResolver,
    allow_private: bool,
}

/// The resolver's refusal, recognised again in [`classify`].
#[derive(Debug)]
struct PrivateAddress(SocketAddr);

impl std::fmt::Display for PrivateAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "resolves to a non-public address ({})", self.0.ip())
    }
}

impl std::error::Error for PrivateAddress {}

/// A host name that could not be looked up, recognised in [`classify`].
#[derive(Debug)]
struct LookupFailed(String);

impl std::fmt::Display for LookupFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LookupFailed {}

impl Resolver for GuardedResolver {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        // A failed lookup (no DNS server, no such name) comes back from the
        // system resolver as a plain I/O error: marked, so that a machine
        // without DNS is "no network" once, not every image unreachable.
        let addrs = self
            .inner
            .resolve(uri, config, timeout)
            .map_err(|e| match e {
                ureq::Error::Io(io) => ureq::Error::Other(Box::new(LookupFailed(io.to_string()))),
                ureq::Error::Timeout(_) => {
                    ureq::Error::Other(Box::new(LookupFailed("no answer from DNS".into())))
                }
                other => other,
            })?;
        if !self.allow_private {
            if let Some(bad) = addrs.iter().find(|a| !is_public(a.ip())) {
                return Err(ureq::Error::Other(Box::new(PrivateAddress(*bad))));
            }
        }
        Ok(addrs)
    }
}

/// Requests in flight per host, bounded by `online.per-host`.
struct HostSlots {
    limit: usize,
    busy: Mutex<HashMap<String, usize>>,
    freed: Condvar,
}

/// A held slot; dropping it frees it.
struct Slot<'a> {
    slots: &'a HostSlots,
    host: String,
}

impl HostSlots {
    /// A slot of `host`, waiting at most until `deadline` for one.
    fn acquire(&self, host: &str, deadline: Instant) -> Option<Slot<'_>> {
        let mut busy = self.busy.lock().unwrap_or_else(|e| e.into_inner());
        while busy.get(host).copied().unwrap_or(0) >= self.limit {
            let left = deadline.checked_duration_since(Instant::now())?;
            busy = self
                .freed
                .wait_timeout(busy, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        *busy.entry(host.to_owned()).or_default() += 1;
        Some(Slot {
            slots: self,
            host: host.to_owned(),
        })
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        let mut busy = self.slots.busy.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = busy.get_mut(&self.host) {
            *n = n.saturating_sub(1);
        }
        drop(busy);
        self.slots.freed.notify_all();
    }
}

/// Everything a worker needs.
struct Checker<'a> {
    agent: Agent,
    slots: HostSlots,
    online: &'a Online,
    image_hosts: &'a [String],
    s3_hosts: &'a [String],
    /// When the check's budget (`online.budget-seconds`) runs out.
    deadline: Instant,
}

/// Requests every URL once, `online.concurrency` at a time, and returns
/// each one's outcome by URL; those the budget leaves no time for are
/// [`Skip::Budget`].
pub fn check_all(settings: &Settings, urls: &[Url]) -> Result<HashMap<String, Outcome>, String> {
    let mut out = HashMap::new();
    if urls.is_empty() {
        return Ok(out);
    }
    let online = &settings.config.online;
    let budget = Duration::from_secs(online.budget_seconds.max(1));
    let timeout = Duration::from_secs(online.timeout_seconds.max(1));
    let config = Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .user_agent(format!("copydesk/{}", env!("CARGO_PKG_VERSION")))
        .timeout_global(Some(timeout))
        // A proxy from the environment would resolve names itself,
        // around the address check.
        .proxy(None)
        .build();
    let agent = Agent::with_parts(
        config,
        DefaultConnector::default(),
        GuardedResolver {
            inner: DefaultResolver::default(),
            allow_private: online.allow_private_addresses,
        },
    );
    let checker = Checker {
        agent,
        slots: HostSlots {
            limit: online.per_host.max(1),
            busy: Mutex::new(HashMap::new()),
            freed: Condvar::new(),
        },
        online,
        image_hosts: &settings.config.editorial.image_hosts,
        s3_hosts: &settings.config.editorial.s3_hosts,
        deadline: Instant::now() + budget,
    };
    let queue = Mutex::new(interleave_hosts(urls));
    let results = Mutex::new(Vec::with_capacity(urls.len()));
    let progress = progress_bar(urls.len());
    let workers = online.concurrency.max(1).min(urls.len());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let next = queue.lock().unwrap_or_else(|e| e.into_inner()).pop_front();
                let Some(url) = next else { break };
                // Past the budget the rest of the queue is drained at once.
                let outcome = if checker.left().is_some() {
                    checker.check(url)
                } else {
                    Outcome::NotChecked(Skip::Budget)
                };
                if let Some(bar) = &progress {
                    bar.inc(1);
                }
                results
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push((url.as_str().to_owned(), outcome));
            });
        }
    });
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    out.extend(results.into_inner().unwrap_or_else(|e| e.into_inner()));
    Ok(out)
}

/// A progress bar on stderr, only when it is a terminal and the run is
/// long enough to want one.
fn progress_bar(len: usize) -> Option<indicatif::ProgressBar> {
    if len < 10 || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "checking cover images {bar:30} {pos}/{len} ({eta} left)",
    ) {
        bar.set_style(style);
    }
    Some(bar)
}

/// The URLs ordered round-robin by host, so the workers spread over hosts
/// instead of queueing behind one host's slots.
fn interleave_hosts(urls: &[Url]) -> VecDeque<&Url> {
    let mut by_host: Vec<(&str, VecDeque<&Url>)> = Vec::new();
    for u in urls {
        let host = u.host_str().unwrap_or("");
        match by_host.iter_mut().find(|(h, _)| *h == host) {
            Some((_, list)) => list.push_back(u),
            None => by_host.push((host, VecDeque::from([u]))),
        }
    }
    let mut out = VecDeque::with_capacity(urls.len());
    while out.len() < urls.len() {
        for (_, list) in &mut by_host {
            if let Some(u) = list.pop_front() {
                out.push_back(u);
            }
        }
    }
    out
}

/// One answer, reduced to what the check needs.
enum Answer {
    Status {
        code: u16,
        reason: String,
        location: Option<String>,
        retry_after: Option<Duration>,
    },
    Failed(Outcome),
}

impl Checker<'_> {
    /// The time left in the budget, `None` once it ran out.
    fn left(&self) -> Option<Duration> {
        self.deadline
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())
    }

    /// Follows one URL to its image (or its failure).
    fn check(&self, start: &Url) -> Outcome {
        let mut current = start.clone();
        let mut redirects = 0;
        loop {
            let (code, reason, location) = match self.request_with_retries(&current) {
                Ok(status) => status,
                Err(outcome) => return outcome,
            };
            if (200..300).contains(&code) {
                return Outcome::Ok;
            }
            if (300..400).contains(&code) && code != 304 {
                let Some(location) = location else {
                    return lasting(format!("answers HTTP {code} {reason} without a `Location`"));
                };
                let next = match current.join(&location) {
                    Ok(u) => u,
                    Err(e) => {
                        return lasting(format!("redirects to an invalid URL ({e})"));
                    }
                };
                if redirects == MAX_REDIRECTS {
                    return lasting(format!("too many redirects (more than {MAX_REDIRECTS})"));
                }
                redirects += 1;
                if let Err(why) = requestable(&next) {
                    return lasting(format!("redirects to a URL not requested: {why}"));
                }
                let host = next.host_str().unwrap_or("");
                if !(host_allowed(host, self.image_hosts) || host_allowed(host, self.s3_hosts)) {
                    return lasting(format!(
                        "redirects to `{host}`, which is not an allowed image host"
                    ));
                }
                current = next;
                continue;
            }
            let cause = format!("answers HTTP {code} {reason}")
                .trim_end()
                .to_owned();
            // A client error is the URL's; a server error or throttling
            // may pass, so it is asked again next run.
            let passing = code >= 500 || code == 429 || code == 408;
            return Outcome::Problem {
                cause,
                lasting: !passing,
            };
        }
    }

    /// One URL's answer, retried on 429 and 5xx with backoff.
    fn request_with_retries(&self, url: &Url) -> Result<(u16, String, Option<String>), Outcome> {
        let mut use_get = false;
        let mut attempt = 0u32;
        loop {
            let mut answer = self.request(url, use_get);
            if !use_get {
                if let Answer::Status { code, .. } = answer {
                    // Some servers refuse HEAD; a one-byte GET asks the same.
                    if matches!(code, 403 | 405 | 501) {
                        use_get = true;
                        answer = self.request(url, true);
                    }
                }
            }
            let (code, reason, location, retry_after) = match answer {
                Answer::Status {
                    code,
                    reason,
                    location,
                    retry_after,
                } => (code, reason, location, retry_after),
                Answer::Failed(outcome) => return Err(outcome),
            };
            let retryable = code == 429 || (500..600).contains(&code);
            if !retryable || attempt >= self.online.retries {
                // Throttled to the end: the image was never looked at.
                if code == 429 {
                    return Err(Outcome::NotChecked(Skip::Throttled));
                }
                return Ok((code, reason, location));
            }
            let backoff = Duration::from_millis(500 * (1u64 << attempt.min(4)));
            let wait = match retry_after {
                Some(d) if d > MAX_RETRY_AFTER => {
                    return Err(Outcome::NotChecked(Skip::RetryAfter))
                }
                Some(d) => d,
                None => backoff,
            };
            // A wait past the budget would only end in "not checked".
            if self.left().is_none_or(|left| wait >= left) {
                return Err(Outcome::NotChecked(Skip::Budget));
            }
            std::thread::sleep(wait);
            attempt += 1;
        }
    }

    /// One request, holding a slot of its host while it runs, within what
    /// is left of the budget.
    fn request(&self, url: &Url, get: bool) -> Answer {
        let host = url.host_str().unwrap_or("").to_ascii_lowercase();
        let not_checked = Answer::Failed(Outcome::NotChecked(Skip::Budget));
        let Some(_slot) = self.slots.acquire(&host, self.deadline) else {
            return not_checked;
        };
        let Some(left) = self.left() else {
            return not_checked;
        };
        let timeout = Duration::from_secs(self.online.timeout_seconds.max(1));
        // Cut short by the budget, a request that times out was not given
        // its full time: not checked, rather than "no answer".
        let cut = left < timeout;
        let timeout = Some(timeout.min(left));
        let result = if get {
            self.agent
                .get(url.as_str())
                .header("Range", "bytes=0-0")
                .config()
                .timeout_global(timeout)
                .build()
                .call()
        } else {
            self.agent
                .head(url.as_str())
                .config()
                .timeout_global(timeout)
                .build()
                .call()
        };
        match result {
            // The body is never read: dropping the answer closes it.
            Ok(response) => {
                let status = response.status();
                let header = |name: &str| {
                    response
                        .headers()
                        .get(name)
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_owned)
                };
                Answer::Status {
                    code: status.as_u16(),
                    reason: status.canonical_reason().unwrap_or("").to_owned(),
                    location: header("location"),
                    retry_after: header("retry-after")
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .map(Duration::from_secs),
                }
            }
            Err(e) => match classify(e, url, self.online.timeout_seconds) {
                Outcome::Problem { lasting: false, .. } if cut && self.left().is_none() => {
                    not_checked
                }
                outcome => Answer::Failed(outcome),
            },
        }
    }
}

fn lasting(cause: String) -> Outcome {
    Outcome::Problem {
        cause,
        lasting: true,
    }
}

/// Turns a client error into an outcome with words a newsroom reads.
fn classify(e: ureq::Error, url: &Url, timeout: u64) -> Outcome {
    let host = url.host_str().unwrap_or("");
    let passing = |cause: String| Outcome::Problem {
        cause,
        lasting: false,
    };
    match e {
        ureq::Error::Timeout(_) => passing(format!("no answer within {timeout} s (timed out)")),
        ureq::Error::HostNotFound => Outcome::Network(format!("cannot resolve `{host}`")),
        ureq::Error::ConnectionFailed => Outcome::Network(format!("cannot connect to `{host}`")),
        ureq::Error::Io(io) => match io.kind() {
            std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => {
                passing(format!("no answer within {timeout} s (timed out)"))
            }
            std::io::ErrorKind::ConnectionRefused
            | std::io::ErrorKind::NotFound
            | std::io::ErrorKind::HostUnreachable
            | std::io::ErrorKind::NetworkUnreachable
            | std::io::ErrorKind::AddrNotAvailable => {
                Outcome::Network(format!("cannot connect to `{host}`: {io}"))
            }
            _ => passing(format!("the connection to `{host}` failed: {io}")),
        },
        ureq::Error::Other(inner) => match inner.downcast::<PrivateAddress>() {
            Ok(private) => passing(format!("`{host}` {private}; not requested")),
            Err(other) => match other.downcast::<LookupFailed>() {
                Ok(lookup) => Outcome::Network(format!("cannot resolve `{host}`: {lookup}")),
                Err(other) => passing(format!("the request failed: {other}")),
            },
        },
        other => passing(format!("the request failed: {other}")),
    }
}
