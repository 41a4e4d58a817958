//! What a run keeps of each file, as small as the rest of the run needs it.
//!
//! A run over 100k articles cannot hold 100k texts and reports: the
//! invariant is that **a clean report keeps nothing** but its index entry
//! and what the cache records (a finding, a suppression, a fix or an
//! `--online` target keeps the whole report). Every type that carries a
//! file through a run lives here, so the invariant has one home.

use std::sync::Arc;

use copydesk_lint::corpus::IndexEntry;
use copydesk_lint::rules::image::OnlineUrl;
use copydesk_lint::{Diagnostic, FileReport, SourceFile};

use crate::cache;
use crate::discover::Target;

/// One file's cover image URLs, collected while linting for `--online`.
#[derive(Debug, Clone)]
pub struct OnlineTarget {
    /// The file (its text is kept: a finding needs it).
    pub source: Arc<SourceFile>,
    /// Its path relative to the configuration root, for rule levels.
    pub config_path: String,
    /// Its well-formed cover image URLs.
    pub urls: Vec<OnlineUrl>,
}

/// A linted file, as small as the rest of the run needs it.
// Most files are `Clean`: boxing its entry would cost an allocation per
// file to save space only in the rare `Full` ones.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Linted {
    /// No finding and no suppression comment (most files): only its index
    /// facts matter to the rest of the run.
    Clean {
        /// Its index entry (reported), when its front matter parsed.
        index: Option<IndexEntry>,
        /// Whether its front matter parsed.
        parsed: bool,
    },
    /// Anything else: the whole report.
    Full(Box<FileReport>),
}

impl Linted {
    /// Drops what the rest of a run does not need: a clean report becomes
    /// its index entry (unless `may_drop` is false), sharing the target's
    /// strings; the index entry sheds the file's text (cross-file findings
    /// read it back).
    #[must_use]
    pub fn slim(self, t: &Target, may_drop: bool) -> Self {
        let shared = |mut e: IndexEntry| {
            e.shed_text();
            if *e.path == *t.display {
                e.path = Arc::clone(&t.display);
            }
            if *e.config_path == *t.config_path {
                e.config_path = Arc::clone(&t.config_path);
            }
            e
        };
        match self {
            Linted::Full(report)
                if may_drop && report.diagnostics.is_empty() && report.suppressions.is_empty() =>
            {
                Linted::Clean {
                    index: report.index.map(shared),
                    parsed: report.parsed,
                }
            }
            Linted::Full(mut report) => {
                // Nothing to show, nothing to silence: its text is not needed
                // (a cross-file finding reads it back).
                if report.diagnostics.is_empty() && report.suppressions.is_empty() {
                    let path = report.source.path.clone();
                    report.source = Arc::new(SourceFile::new(path, ""));
                }
                report.index = report.index.take().map(shared);
                Linted::Full(report)
            }
            clean @ Linted::Clean { .. } => clean,
        }
    }

    /// Its own findings (none when clean).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Linted::Clean { .. } => &[],
            Linted::Full(report) => &report.diagnostics,
        }
    }

    /// Its index entry.
    pub fn index(&self) -> Option<&IndexEntry> {
        match self {
            Linted::Clean { index, .. } => index.as_ref(),
            Linted::Full(report) => report.index.as_ref(),
        }
    }
}

/// One file after linting (and fixing).
#[derive(Debug)]
pub struct Processed {
    /// Its lint.
    pub linted: Linted,
    /// What the cache records about what was read (none for a file that
    /// was not read: too large; or rewritten by a fix).
    pub meta: Option<cache::Meta>,
    /// Whether the results came from the cache unchanged.
    pub from_cache: bool,
    /// Fixes and `--online` targets: rare, so boxed.
    pub extra: Option<Box<Extra>>,
}

impl Processed {
    /// Splits off the index entry (sharing the target's strings, without
    /// the file's text) from the rest, keeping of a clean file only what
    /// the cache records about it: 100k article texts and reports would
    /// not fit in the memory budget.
    pub fn split(self, t: &Target) -> (Option<IndexEntry>, Rest) {
        // A fixed file's count and diff, or its --online URLs, still count.
        match self.linted.slim(t, self.extra.is_none()) {
            Linted::Clean { index, parsed, .. } => (
                index,
                Rest::Clean {
                    meta: self.meta,
                    parsed,
                    from_cache: self.from_cache,
                },
            ),
            Linted::Full(mut report) => {
                let index = report.index.take();
                let full = Full {
                    report: *report,
                    meta: self.meta,
                    from_cache: self.from_cache,
                    extra: self.extra.map(|e| *e).unwrap_or_default(),
                };
                (index, Rest::Full(Box::new(full)))
            }
        }
    }
}

/// What a run keeps of a reported file besides its index entry.
#[derive(Debug)]
pub enum Rest {
    /// No finding, no suppression: only what the cache records.
    Clean {
        /// What was read.
        meta: Option<cache::Meta>,
        /// Whether its front matter parsed.
        parsed: bool,
        /// Whether the results came from the cache unchanged.
        from_cache: bool,
    },
    /// The whole report (its index entry split off).
    Full(Box<Full>),
    /// The file could not be read.
    Failed(String),
}

impl Rest {
    /// What the cache records about the file (none when it was not read,
    /// or could not be): the meta, whether it came from the cache
    /// unchanged, and its per-file results.
    pub fn record(&self) -> Option<(ContextMeta, cache::LintRecord<'_>)> {
        match self {
            Rest::Clean {
                meta,
                parsed,
                from_cache,
            } => Some((
                ((*meta)?, *from_cache),
                cache::LintRecord {
                    parsed: *parsed,
                    diagnostics: &[],
                    suppressions: &[],
                },
            )),
            Rest::Full(full) => Some((
                (full.meta?, full.from_cache),
                cache::LintRecord {
                    parsed: full.report.parsed,
                    diagnostics: &full.report.diagnostics,
                    suppressions: &full.report.suppressions,
                },
            )),
            Rest::Failed(_) => None,
        }
    }
}

/// A reported file with something to report: its whole report.
#[derive(Debug)]
pub struct Full {
    /// The report (its index entry split off).
    pub report: FileReport,
    /// What was read.
    pub meta: Option<cache::Meta>,
    /// Whether the results came from the cache unchanged.
    pub from_cache: bool,
    /// Its fix and `--online` targets.
    pub extra: Extra,
}

/// A file's fix and `--online` targets.
#[derive(Debug, Default)]
pub struct Extra {
    /// How many fixes were applied.
    pub fixed: usize,
    /// The fix as a diff, with `--diff`.
    pub diff: Option<String>,
    /// Its cover image URLs, with `--online`.
    pub online: Option<OnlineTarget>,
    /// Why its fix was not written (the file is reported as it was read).
    pub error: Option<String>,
}

/// What the cache records about a file, and whether it came from the cache
/// unchanged.
pub type ContextMeta = (cache::Meta, bool);

/// A context file's index entry and what the cache records about it.
#[derive(Debug)]
pub struct Indexed {
    /// Its entry, when its front matter parsed.
    pub entry: Option<IndexEntry>,
    /// What was read.
    pub meta: cache::Meta,
    /// Whether it came from the cache unchanged.
    pub from_cache: bool,
}

/// A file's cache record, and whether it came from the cache unchanged.
pub fn record<'a>(
    target: &'a Target,
    entry: &'a Option<IndexEntry>,
    (meta, from_cache): ContextMeta,
    lint: Option<cache::LintRecord<'a>>,
) -> (bool, cache::Record<'a>) {
    let record = cache::Record {
        target,
        meta,
        index: entry.as_ref(),
        lint,
    };
    (from_cache, record)
}
