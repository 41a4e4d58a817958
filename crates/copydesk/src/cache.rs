//! The result cache (like ruff's): a warm run re-reads only changed files
//! and still runs the cross-file rules over the whole corpus.
//!
//! One file, `.copydesk_cache/lint-v1.bin` under the configuration root,
//! holds for every article its size, modification time and content hash,
//! its per-file findings and suppressions, and its corpus index entry. The
//! whole cache is keyed by copydesk's version and a hash of the effective
//! configuration; an entry is reused when the file's size and mtime match
//! (or, if the mtime moved, its content hash does). A cache that cannot be
//! read, is corrupt, or was written by another version or configuration is
//! ignored and rebuilt — never trusted.
//!
//! Time matters to one rule: `date/in-future`. An entry is reused only at a
//! "now" no earlier than when it was made, and an entry with an
//! in-future finding is never reused, so passing time can only clear it.

use std::collections::HashMap;
use std::io::Read;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::UNIX_EPOCH;

use copydesk_lint::corpus::IndexEntry;
use copydesk_lint::suppress::Suppression;
use copydesk_lint::{
    registry, Diagnostic, FileReport, Fix, Related, Settings, Severity, SourceFile,
};
use serde::{Deserialize, Serialize};

use crate::discover::Target;

/// The cache folder's name, under the configuration root.
pub const DIR: &str = ".copydesk_cache";
const FILE: &str = "lint-v1.bin";

/// What identifies a file's content without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub mtime_ns: u128,
}

impl Stamp {
    /// The stamp of a file's metadata.
    pub fn of(meta: &std::fs::Metadata) -> Self {
        let mtime_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        Stamp {
            size: meta.len(),
            mtime_ns,
        }
    }
}

/// A finding as stored: everything but the file's text.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredDiagnostic {
    code: String,
    severity: Severity,
    span: Range<usize>,
    message: String,
    help: Option<String>,
    related: Vec<(Range<usize>, String)>,
    fix: Option<Fix>,
}

/// A file's per-file lint results.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredLint {
    /// "Now" (seconds since the epoch) when it was linted.
    now: i64,
    parsed: bool,
    diagnostics: Vec<StoredDiagnostic>,
    suppressions: Vec<Suppression>,
}

/// Everything the cache knows about one file.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    stamp: Stamp,
    /// When the file was read (wall clock, ns since the epoch).
    read_ns: u128,
    /// xxh3 of the content.
    hash: u64,
    /// The corpus index entry (also kept for files only read as context).
    index: Option<IndexEntry>,
    /// The lint results, when the file was linted (not only indexed).
    lint: Option<StoredLint>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Stored {
    version: String,
    config: u64,
    files: Vec<(String, Entry)>,
}

/// The cache for one run: what was loaded, and what this run learnt.
#[derive(Debug)]
pub struct Cache {
    path: PathBuf,
    config: u64,
    old: HashMap<String, Entry>,
    /// Entries this run made or changed.
    new: Mutex<HashMap<String, Entry>>,
    /// Loaded entries this run found unchanged (kept without a copy).
    seen: Mutex<Vec<String>>,
    changed: std::sync::atomic::AtomicBool,
}

/// A hash of everything besides a file's content that decides its
/// findings: the effective configuration (the `now` rule aside, handled
/// per entry).
fn config_key(settings: &Settings) -> u64 {
    let mut material = serde_json::to_vec(&settings.config).unwrap_or_default();
    material
        .extend_from_slice(format!("{:?}{}", settings.limits, settings.max_file_bytes).as_bytes());
    for m in registry::metas() {
        material.extend_from_slice(m.code.as_bytes());
    }
    xxhash_rust::xxh3::xxh3_64(&material)
}

/// How close (ns) a file's mtime may be to when it was read before its
/// stamp stops proving anything.
const RACY_NS: u128 = 2_000_000_000;

fn now_ns() -> u128 {
    std::time::SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

/// The file's content hash.
pub fn content_hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

impl Cache {
    /// Loads the cache under `root`; a missing, unreadable, corrupt or
    /// foreign cache yields an empty one.
    pub fn load(root: &Path, settings: &Settings) -> Self {
        let path = root.join(DIR).join(FILE);
        let config = config_key(settings);
        let old = std::fs::read(&path)
            .ok()
            .and_then(|bytes| postcard::from_bytes::<Stored>(&bytes).ok())
            .filter(|s| s.version == env!("CARGO_PKG_VERSION") && s.config == config)
            .map(|s| s.files.into_iter().collect())
            .unwrap_or_default();
        Cache {
            path,
            config,
            old,
            new: Mutex::new(HashMap::new()),
            seen: Mutex::new(Vec::new()),
            changed: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// How many files the loaded cache knows.
    pub fn len(&self) -> usize {
        self.old.len()
    }

    /// Whether the loaded cache is empty.
    pub fn is_empty(&self) -> bool {
        self.old.is_empty()
    }

    fn keep(&self, key: &str, entry: Entry) {
        if let Ok(mut new) = self.new.lock() {
            new.insert(key.to_owned(), entry);
        }
    }

    /// Keeps a loaded entry: unchanged ones are only marked as seen.
    fn keep_fresh(&self, key: &str, entry: std::borrow::Cow<'_, Entry>) {
        match entry {
            std::borrow::Cow::Borrowed(_) => {
                if let Ok(mut seen) = self.seen.lock() {
                    seen.push(key.to_owned());
                }
            }
            std::borrow::Cow::Owned(e) => self.keep(key, e),
        }
    }

    /// The cached entry for `t` when the file is unchanged; reading the
    /// file (to compare hashes) only when its mtime moved but not its size.
    fn fresh(&self, t: &Target) -> Option<std::borrow::Cow<'_, Entry>> {
        let entry = self.old.get(&t.config_path)?;
        let meta = std::fs::metadata(&t.path).ok()?;
        let stamp = Stamp::of(&meta);
        // File times tick coarsely: a file modified within a tick of being
        // read can keep its mtime and size. Like git's "racy" entries, a
        // stamp is trusted only if the file was already older than that
        // when it was read; otherwise the content hash decides.
        let settled = entry.stamp.mtime_ns + RACY_NS < entry.read_ns;
        if stamp == entry.stamp && settled {
            return Some(std::borrow::Cow::Borrowed(entry));
        }
        if stamp.size != entry.stamp.size {
            return None;
        }
        let bytes = std::fs::read(&t.path).ok()?;
        if content_hash(&bytes) != entry.hash {
            return None;
        }
        // Touched (or racy), not changed: remember the new stamp.
        self.changed
            .store(true, std::sync::atomic::Ordering::Relaxed);
        Some(std::borrow::Cow::Owned(Entry {
            stamp,
            read_ns: now_ns(),
            ..entry.clone()
        }))
    }

    /// The cached report for a file to lint, when it is still valid at
    /// `settings.now`.
    pub fn report(&self, settings: &Settings, t: &Target) -> Option<FileReport> {
        let entry = self.fresh(t)?;
        let lint = entry.lint.as_ref()?;
        if settings.now.as_second() < lint.now
            || lint.diagnostics.iter().any(|d| d.code == "date/in-future")
        {
            return None;
        }
        let needs_text = !lint.diagnostics.is_empty() || !lint.suppressions.is_empty();
        let text = if needs_text {
            let mut s = String::new();
            std::fs::File::open(&t.path)
                .ok()?
                .read_to_string(&mut s)
                .ok()?;
            if content_hash(s.as_bytes()) != entry.hash {
                return None;
            }
            s
        } else {
            String::new()
        };
        let source = Arc::new(SourceFile::new(t.display.clone(), text));
        let diagnostics = lint
            .diagnostics
            .iter()
            .map(|d| {
                Some(Diagnostic {
                    code: registry::find(&d.code)?.meta().code,
                    severity: d.severity,
                    source: Arc::clone(&source),
                    span: d.span.clone(),
                    message: d.message.clone(),
                    help: d.help.clone(),
                    related: d
                        .related
                        .iter()
                        .map(|(span, message)| Related {
                            source: Arc::clone(&source),
                            span: span.clone(),
                            message: message.clone(),
                        })
                        .collect(),
                    fix: d.fix.clone(),
                })
            })
            .collect::<Option<Vec<_>>>()?;
        let index = entry.index.clone().map(|mut e| {
            e.path = t.display.clone();
            e.reported = true;
            e
        });
        let report = FileReport {
            source,
            diagnostics,
            index,
            parsed: lint.parsed,
            config_path: t.config_path.clone(),
            suppressions: lint.suppressions.clone(),
        };
        self.keep_fresh(&t.config_path, entry);
        Some(report)
    }

    /// The cached index entry of a context file, when it is unchanged.
    pub fn index(&self, t: &Target) -> Option<Option<IndexEntry>> {
        let entry = self.fresh(t)?;
        let index = entry.index.clone().map(|mut e| {
            e.path = t.display.clone();
            e.reported = false;
            e
        });
        self.keep_fresh(&t.config_path, entry);
        Some(index)
    }

    /// Records a freshly linted file (call before its text is shed).
    pub fn store_report(
        &self,
        settings: &Settings,
        t: &Target,
        stamp: Stamp,
        hash: u64,
        report: &FileReport,
    ) {
        // A finding quoting another file is never stored: the per-file
        // findings of a report only point into the file itself.
        let diagnostics = report
            .diagnostics
            .iter()
            .map(|d| StoredDiagnostic {
                code: d.code.to_owned(),
                severity: d.severity,
                span: d.span.clone(),
                message: d.message.clone(),
                help: d.help.clone(),
                related: d
                    .related
                    .iter()
                    .map(|r| (r.span.clone(), r.message.clone()))
                    .collect(),
                fix: d.fix.clone(),
            })
            .collect();
        let lint = StoredLint {
            now: settings.now.as_second(),
            parsed: report.parsed,
            diagnostics,
            suppressions: report.suppressions.clone(),
        };
        self.record(t, stamp, hash, report.index.as_ref(), Some(lint));
    }

    /// Records a context file's index entry.
    pub fn store_index(&self, t: &Target, stamp: Stamp, hash: u64, index: Option<&IndexEntry>) {
        self.record(t, stamp, hash, index, None);
    }

    /// Records what this run learnt about a file it read.
    fn record(
        &self,
        t: &Target,
        stamp: Stamp,
        hash: u64,
        index: Option<&IndexEntry>,
        lint: Option<StoredLint>,
    ) {
        self.changed
            .store(true, std::sync::atomic::Ordering::Relaxed);
        let index = index.cloned().map(|mut e| {
            e.shed_text();
            e
        });
        let entry = Entry {
            stamp,
            read_ns: now_ns(),
            hash,
            index,
            lint,
        };
        self.keep(&t.config_path, entry);
    }

    /// Writes the cache when this run changed it. After a run over the
    /// whole corpus (`complete`) it holds exactly the files seen, so deleted
    /// articles leave it; after a partial run, loaded entries it did not
    /// look at are kept. Written atomically; a failure to write only costs
    /// the next run its head start.
    pub fn save(self, complete: bool) {
        let mut new = self.new.into_inner().unwrap_or_default();
        let seen = self.seen.into_inner().unwrap_or_default();
        let mut old = self.old;
        let mut changed = self.changed.into_inner();
        if complete {
            // Loaded entries neither seen nor replaced are deleted articles.
            let replaced = new.keys().filter(|k| old.contains_key(*k)).count();
            changed |= seen.len() + replaced < old.len();
        }
        // Decided before any merging: an unchanged warm run costs nothing here.
        if !changed {
            return;
        }
        for key in seen {
            if let Some(v) = old.remove(&key) {
                new.entry(key).or_insert(v);
            }
        }
        if !complete {
            for (k, v) in old {
                new.entry(k).or_insert(v);
            }
        }
        let mut files: Vec<(String, Entry)> = new.into_iter().collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let stored = Stored {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            config: self.config,
            files,
        };
        let Ok(bytes) = postcard::to_stdvec(&stored) else {
            return;
        };
        let Some(dir) = self.path.parent() else {
            return;
        };
        if std::fs::create_dir_all(dir).is_err() {
            return;
        }
        let ignore = dir.join(".gitignore");
        if !ignore.exists() {
            let _ = std::fs::write(
                &ignore,
                "# Created by copydesk: the result cache, never committed.\n*\n",
            );
        }
        let _ = crate::check::write_new_file(&self.path, &bytes);
    }
}
