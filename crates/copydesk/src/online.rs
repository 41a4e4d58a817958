//! `copydesk check --online`: do the cover images really load?
//!
//! After linting, each distinct cover image URL of the reported files is
//! requested once and failures become `image/unreachable` diagnostics on
//! the URL's span (merged before suppressions and the baseline apply). The
//! network code lives here, in the CLI, never in the lint library.
//!
//! Politeness and safety:
//! - only URLs whose host is on `editorial.image-hosts` (or `s3-hosts`
//!   for `small_s3`) are requested, and redirects are followed only to
//!   hosts on either list, at most [`MAX_REDIRECTS`] of them;
//! - a host is resolved first and a loopback, private, link-local,
//!   unspecified, multicast or otherwise non-public address is refused
//!   (checked inside the HTTP client's resolver, so the address checked
//!   is the address connected to), unless `online.allow-private-addresses`,
//!   a setting for tests only, says otherwise;
//! - no cookies, no credentials (a URL with `user:password@` is not
//!   requested), no request bodies, no proxy from the environment;
//! - HEAD first, a one-byte GET (`Range: bytes=0-0`) when HEAD is refused,
//!   bounded concurrency overall and per host, retries with backoff on 429
//!   and 5xx honouring `Retry-After` up to [`MAX_RETRY_AFTER`], and a
//!   result cache in `.copydesk_cache/online.json` (not with `--no-cache`)
//!   so that a second run re-checks nothing fresh;
//! - the whole check has a time budget (`online.budget-seconds`): a URL not
//!   checked within it, or whose server asks to wait longer than the cap,
//!   or that is still throttled after the retries, is not checked — not
//!   reported as unreachable, counted once in a warning and the summary,
//!   and requested again next run.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use copydesk_lint::rules::image::unreachable::Unreachable;
use copydesk_lint::{Diagnostic, Finding, Settings};
use copydesk_workspace::cache::WriteError;
use serde::{Deserialize, Serialize};
use url::Url;

/// Redirects followed before giving up.
pub const MAX_REDIRECTS: usize = 5;

/// The longest `Retry-After` honoured: a server asking for more is not
/// waited for (its URL is not checked).
pub const MAX_RETRY_AFTER: std::time::Duration = std::time::Duration::from_secs(5);

/// The largest `online.json` read (an entry is ~150 bytes).
const MAX_CACHE_BYTES: u64 = 64 << 20;

/// The cache folder, under the configuration root.
pub const CACHE_DIR: &str = ".copydesk_cache";

/// The result cache's file name in [`CACHE_DIR`].
pub const CACHE_FILE: &str = "online.json";

/// One file's cover image URLs, collected while linting.
pub use copydesk_workspace::report::OnlineTarget as Target;

/// What requesting one URL came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// It loads (2xx, possibly after allowed redirects).
    Ok,
    /// It does not load; the words say why ("answers HTTP 404 Not Found").
    /// `lasting` outcomes (a 4xx, a refused redirect) are cached; passing
    /// ones (timeouts, 5xx, 429) are requested again next run.
    Problem {
        /// Why, completing "`coverImage.x` does not load: …".
        cause: String,
        /// Whether the answer is worth caching.
        lasting: bool,
    },
    /// The host could not be resolved or connected to: with every URL in
    /// this state the machine is offline, reported once for the run.
    Network(String),
    /// Not checked: no finding, nothing cached, counted in the summary.
    NotChecked(Skip),
}

/// Why a URL was not checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Skip {
    /// The check's time budget ran out before it (or during it).
    Budget,
    /// Its server asked to retry after more than [`MAX_RETRY_AFTER`].
    RetryAfter,
    /// Its server still answered 429 Too Many Requests after the retries.
    Throttled,
}

/// What `--online` found.
#[derive(Debug, Default)]
pub struct Checked {
    /// The `image/unreachable` findings.
    pub diagnostics: Vec<Diagnostic>,
    /// How many distinct URLs were to check (from the cache or not).
    pub urls: usize,
    /// How many of them were not checked.
    pub not_checked: usize,
    /// Lines for the front end to show once as warnings: why URLs were
    /// not checked, a cache that could not be used or written.
    pub warnings: Vec<String>,
}

/// Whether the URL may be requested at all: http(s), no credentials.
fn requestable(url: &Url) -> Result<(), String> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("its scheme `{}` is not http(s)", url.scheme()));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("it carries credentials (`user@`)".to_owned());
    }
    Ok(())
}

/// Checks the cover images of `targets` and returns the `image/unreachable`
/// diagnostics and what was not checked; `Err` is one error for the whole
/// run (no network, or the feature is off). `cache_root` is the folder of
/// the result cache; `None` (`--no-cache`) neither reads nor writes it.
pub fn check(
    settings: &Settings,
    cache_root: Option<&Path>,
    targets: &[Target],
) -> Result<Checked, String> {
    let meta = &Unreachable::META;
    // Distinct URLs to check, each with where it is written.
    let mut wanted: BTreeMap<String, Url> = BTreeMap::new();
    for t in targets {
        if settings.level(meta, &t.config_path).is_none() {
            continue;
        }
        for u in &t.urls {
            if u.host_listed && requestable(&u.url).is_ok() {
                wanted
                    .entry(u.url.as_str().to_owned())
                    .or_insert_with(|| u.url.clone());
            }
        }
    }
    if wanted.is_empty() {
        return Ok(Checked::default());
    }
    let mut warnings = Vec::new();
    let urls = wanted.len();
    let now = unix_now();
    let ttl = settings.config.online.cache_ttl_seconds;
    let (mut cache, cache_root) = match cache_root.map(Cache::load) {
        Some(Ok(cache)) => (cache, cache_root),
        Some(Err(why)) => {
            warnings.push(why);
            (Cache::empty(), None)
        }
        None => (Cache::empty(), None),
    };
    let mut outcomes: HashMap<String, Outcome> = HashMap::new();
    let mut to_check: Vec<Url> = Vec::new();
    for (key, url) in wanted {
        match cache.fresh(&key, now, ttl) {
            Some(outcome) => {
                outcomes.insert(key, outcome);
            }
            None => to_check.push(url),
        }
    }
    let checked = net::check_all(settings, &to_check)?;
    let mut skipped: BTreeMap<Skip, usize> = BTreeMap::new();
    for outcome in checked.values() {
        if let Outcome::NotChecked(why) = outcome {
            *skipped.entry(*why).or_default() += 1;
        }
    }
    let not_checked: usize = skipped.values().sum();
    let requested = checked.len() - not_checked;
    let offline: Vec<&String> = checked
        .values()
        .filter_map(|o| match o {
            Outcome::Network(cause) => Some(cause),
            _ => None,
        })
        .collect();
    if requested > 0 && offline.len() == requested {
        return Err(format!(
            "--online: no network: none of the {requested} cover image URL{} could be reached ({}); check the connection, or run without --online",
            if requested == 1 { "" } else { "s" },
            offline[0]
        ));
    }
    for (key, outcome) in &checked {
        cache.record(key, outcome, now);
    }
    if let Some(root) = cache_root.filter(|_| requested > 0) {
        if let Err(e) = cache.save(root, now, ttl) {
            warnings.push(match e {
                WriteError::Refused(why) => why,
                WriteError::Io(e) => format!(
                    "cannot write the --online cache {}: {e}",
                    root.join(CACHE_DIR).join(CACHE_FILE).display()
                ),
            });
        }
    }
    if not_checked > 0 {
        warnings.push(skipped_warning(settings, urls, &skipped));
    }
    outcomes.extend(checked);
    Ok(Checked {
        diagnostics: diagnostics(settings, targets, &outcomes),
        urls,
        not_checked,
        warnings,
    })
}

/// The `image/unreachable` findings of `outcomes` where `targets` use
/// the URLs (none for a URL that loads or was not checked).
fn diagnostics(
    settings: &Settings,
    targets: &[Target],
    outcomes: &HashMap<String, Outcome>,
) -> Vec<Diagnostic> {
    let meta = &Unreachable::META;
    let mut out = Vec::new();
    for t in targets {
        let Some(severity) = settings.level(meta, &t.config_path) else {
            continue;
        };
        for u in &t.urls {
            let cause = match outcomes.get(u.url.as_str()) {
                Some(Outcome::Problem { cause, .. }) | Some(Outcome::Network(cause)) => cause,
                _ => continue,
            };
            let finding = Finding::new(
                u.span.clone(),
                format!("`coverImage.{}` does not load: {cause}", u.variant),
            )
            .help("point it at an image that exists, or allow the host it redirects to");
            out.push(Diagnostic::from_finding(
                meta.code, severity, &t.source, finding,
            ));
        }
    }
    out
}

/// The one line saying how many URLs were not checked, and why.
fn skipped_warning(settings: &Settings, urls: usize, skipped: &BTreeMap<Skip, usize>) -> String {
    let budget = settings.config.online.budget_seconds;
    let max_wait = MAX_RETRY_AFTER.as_secs();
    let reasons: Vec<String> = skipped
        .iter()
        .map(|(why, n)| match why {
            Skip::Budget => {
                format!("{n} when the {budget} s budget ran out (`online.budget-seconds`)")
            }
            Skip::RetryAfter => {
                format!("{n} whose server asked to retry after more than {max_wait} s")
            }
            Skip::Throttled => format!("{n} still throttled (HTTP 429) after the retries"),
        })
        .collect();
    let n: usize = skipped.values().sum();
    format!(
        "--online: {n} of {urls} cover image URL{} not checked ({}); not reported as unreachable, requested again next run",
        if urls == 1 { "" } else { "s" },
        reasons.join(", ")
    )
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// The result cache: `.copydesk_cache/online.json`.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Cache {
    version: u32,
    entries: BTreeMap<String, CacheEntry>,
}

#[derive(Debug, Serialize, Deserialize)]
struct CacheEntry {
    /// When it was requested, in Unix seconds.
    checked_at: i64,
    /// Why it does not load; absent when it loads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    problem: Option<String>,
}

const CACHE_VERSION: u32 = 1;

impl Cache {
    fn empty() -> Cache {
        Cache {
            version: CACHE_VERSION,
            entries: BTreeMap::new(),
        }
    }

    /// The cache under `root`, or an empty one when the file is missing,
    /// unreadable, too large or from another version: a cache is never a
    /// reason to fail. `Err` (the line to show) when its folder or file is
    /// a symbolic link: it is then neither read nor written.
    fn load(root: &Path) -> Result<Cache, String> {
        let bytes = copydesk_workspace::cache::read_file(root, CACHE_FILE, MAX_CACHE_BYTES)?;
        Ok(bytes
            .and_then(|bytes| serde_json::from_slice::<Cache>(&bytes).ok())
            .filter(|c| c.version == CACHE_VERSION)
            .unwrap_or_else(Cache::empty))
    }

    fn is_fresh(entry: &CacheEntry, now: i64, ttl: u64) -> bool {
        // An entry from the future (a clock set back) is not trusted.
        entry.checked_at <= now && u64::try_from(now - entry.checked_at).is_ok_and(|age| age < ttl)
    }

    fn fresh(&self, key: &str, now: i64, ttl: u64) -> Option<Outcome> {
        let entry = self.entries.get(key)?;
        Self::is_fresh(entry, now, ttl).then(|| match &entry.problem {
            None => Outcome::Ok,
            Some(cause) => Outcome::Problem {
                cause: cause.clone(),
                lasting: true,
            },
        })
    }

    fn record(&mut self, key: &str, outcome: &Outcome, now: i64) {
        let problem = match outcome {
            Outcome::Ok => None,
            Outcome::Problem {
                cause,
                lasting: true,
            } => Some(cause.clone()),
            _ => {
                self.entries.remove(key);
                return;
            }
        };
        self.entries.insert(
            key.to_owned(),
            CacheEntry {
                checked_at: now,
                problem,
            },
        );
    }

    /// Writes the fresh entries atomically under `root`, creating the
    /// cache folder with a `.gitignore` so that it is never committed;
    /// never through a symbolic link.
    fn save(&mut self, root: &Path, now: i64, ttl: u64) -> Result<(), WriteError> {
        use std::io::Write;
        self.entries.retain(|_, e| Self::is_fresh(e, now, ttl));
        let text = serde_json::to_string_pretty(self)
            .map_err(|e| WriteError::Io(std::io::Error::other(e)))?;
        copydesk_workspace::cache::write_file(root, CACHE_FILE, ".online-", "*\n", |f| {
            f.write_all(text.as_bytes())?;
            f.write_all(b"\n")
        })
    }
}

/// Whether an address is one the internet can reach. Loopback, private
/// (RFC 1918, unique local), link-local, shared (CGNAT), unspecified,
/// multicast, broadcast, documentation and benchmarking ranges are not.
pub fn is_public(ip: std::net::IpAddr) -> bool {
    use std::net::IpAddr;
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_multicast()
                || v4.is_broadcast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 192 && b == 0 && c == 0)
                || (a == 198 && (b == 18 || b == 19))
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || first == 0x2001 && v6.segments()[1] == 0x0db8)
        }
    }
}

#[cfg(not(feature = "online"))]
mod net {
    use super::Outcome;
    use copydesk_lint::Settings;
    use std::collections::HashMap;
    use url::Url;

    pub fn check_all(_: &Settings, urls: &[Url]) -> Result<HashMap<String, Outcome>, String> {
        if urls.is_empty() {
            return Ok(HashMap::new());
        }
        Err(super::FEATURE_OFF.to_owned())
    }
}

/// The error of `--online` in a build without the `online` feature.
pub const FEATURE_OFF: &str =
    "--online is not available: this copydesk was built without the `online` feature";

/// Whether this build can check online.
pub const AVAILABLE: bool = cfg!(feature = "online");

#[cfg(feature = "online")]
mod net;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_addresses() {
        for ip in ["93.184.216.34", "151.101.2.132", "2606:4700::1111"] {
            assert!(is_public(ip.parse().expect("ip")), "{ip}");
        }
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fe80::1",
            "fd00::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
        ] {
            assert!(!is_public(ip.parse().expect("ip")), "{ip}");
        }
    }

    #[test]
    fn only_plain_http_urls_are_requested() {
        let ok = Url::parse("https://images.unsplash.com/photo-1").expect("url");
        assert!(requestable(&ok).is_ok());
        for bad in [
            "https://user:pw@images.unsplash.com/x",
            "https://user@images.unsplash.com/x",
            "ftp://images.unsplash.com/x",
        ] {
            assert!(
                requestable(&Url::parse(bad).expect("url")).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_cache_keeps_fresh_lasting_outcomes_only() {
        let mut cache = Cache::default();
        cache.record("a", &Outcome::Ok, 1_000);
        let missing = Outcome::Problem {
            cause: "answers HTTP 404 Not Found".into(),
            lasting: true,
        };
        cache.record("b", &missing, 1_000);
        let passing = Outcome::Problem {
            cause: "no answer".into(),
            lasting: false,
        };
        cache.record("c", &passing, 1_000);
        cache.record("d", &Outcome::Network("offline".into()), 1_000);
        assert_eq!(cache.fresh("a", 1_050, 100), Some(Outcome::Ok));
        assert_eq!(cache.fresh("b", 1_050, 100), Some(missing));
        assert_eq!(cache.fresh("c", 1_050, 100), None);
        assert_eq!(cache.fresh("d", 1_050, 100), None);
        assert_eq!(cache.fresh("a", 1_100, 100), None, "expired");
        assert_eq!(cache.fresh("a", 999, 100), None, "from the future");
    }
}
