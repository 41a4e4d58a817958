//! A corpus session: the configuration in force, the corpus index, and
//! linting some files against it. The language server keeps one for the
//! editor's workspace; `copydesk check` builds the same pieces in bulk.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use copydesk_lint::corpus::{IndexEntry, LiveIndex, SourceLoader};
use copydesk_lint::{Diagnostic, Settings, SourceFile};

use crate::cache::Cache;
use crate::discover::{self, Discovered, Discoverer};
use crate::fs;

/// Where a session's files are, and the settings that apply to them.
#[derive(Debug, Clone)]
pub struct Session {
    /// Display paths are relative to it (the working directory or the
    /// editor's workspace folder).
    pub cwd: PathBuf,
    /// The configuration root: config paths are relative to it.
    pub root: PathBuf,
    /// The resolved configuration.
    pub settings: Arc<Settings>,
}

impl Session {
    /// The display path of `path` (absolute).
    pub fn display(&self, path: &Path) -> String {
        discover::relative(&discover::normalize(path), &self.cwd)
    }

    /// The path of `path` (absolute) relative to the configuration root.
    pub fn config_path(&self, path: &Path) -> String {
        discover::relative(&discover::normalize(path), &self.root)
    }

    /// Indexes every article under the content roots on all cores: from
    /// the result cache `copydesk check` leaves behind when a file is
    /// unchanged, else by reading it (bounded).
    pub fn index_corpus(&self) -> Vec<IndexEntry> {
        use rayon::prelude::*;
        let settings = &*self.settings;
        let discoverer = Discoverer::new(&self.cwd, &self.root, settings);
        let mut found = Discovered::default();
        for dir in &settings.config.content_roots {
            let dir = self.root.join(dir);
            if dir.is_dir() {
                discoverer.walk(&dir, &mut found);
            }
        }
        let cache = Cache::load(&self.root, settings);
        found
            .targets
            .par_iter()
            .filter_map(|t| {
                if let Some(entry) = cache.index(t) {
                    return entry.0;
                }
                let bytes = fs::read_small(&t.path(), settings.max_file_bytes)?;
                IndexEntry::from_bytes(settings, &t.display, &t.config_path, bytes)
            })
            .collect()
    }

    /// Whether a result cache is there to index the corpus from (what
    /// makes indexing fast enough to wait for).
    pub fn has_cache(&self) -> bool {
        self.root
            .join(crate::cache::DIR)
            .join(crate::cache::FILE)
            .is_file()
    }

    /// The index entry of one article on disk (`None` when it is not
    /// selected, unreadable or has no parsed front matter).
    pub fn index_file(&self, path: &Path) -> Option<IndexEntry> {
        let settings = &*self.settings;
        let config_path = self.config_path(path);
        if !settings.is_selected(&config_path) {
            return None;
        }
        let bytes = fs::read_small(path, settings.max_file_bytes)?;
        IndexEntry::from_bytes(settings, &self.display(path), &config_path, bytes)
    }

    /// Lints one file's `text` against `corpus` (the file's own entry in it
    /// is replaced by this text's): its findings, cross-file ones and
    /// suppressions included, and its new index entry. Texts of other
    /// files a finding quotes come from `open` (the editor's buffers) or
    /// disk. The cross-file rules see only the entries this text's
    /// findings can depend on (its groups), so the cost does not grow with
    /// the corpus; the index is read-locked only while they are picked.
    pub fn lint(
        &self,
        display: &str,
        config_path: &str,
        text: &str,
        corpus: &SharedCorpus,
        open: HashMap<String, Arc<str>>,
    ) -> (Vec<Diagnostic>, Option<IndexEntry>) {
        let settings = &self.settings;
        let report = copydesk_lint::lint_text(settings, display, config_path, text.to_owned());
        let entry = report.index.clone();
        let context = match &entry {
            Some(e) => corpus.read().index.neighbours(settings, e, display),
            // Without an entry, no cross-file rule has anything to report.
            None => Vec::new(),
        };
        let loader = loader(self.cwd.clone(), open, settings.max_file_bytes);
        let diagnostics =
            copydesk_lint::lint::finish_with_loader(settings, vec![report], context, Some(loader));
        (diagnostics, entry)
    }
}

/// Reads back the text of a file a cross-file finding quotes: from
/// `overlay` (texts not yet on disk) or `base` joined with its display path.
/// A file on disk is read bounded by `limit` (the configuration's
/// `max-file-bytes`: a file that grew past it since it was linted is not
/// read) and only its front matter kept ([`SourceFile::read_back`]).
pub fn loader(base: PathBuf, overlay: HashMap<String, Arc<str>>, limit: u64) -> Box<SourceLoader> {
    Box::new(move |display: &str| {
        if let Some(t) = overlay.get(display) {
            return Some(Arc::new(SourceFile::new(display, Arc::clone(t))));
        }
        let bytes = fs::read_small(&base.join(display), limit)?;
        let text = String::from_utf8(bytes).ok()?;
        Some(Arc::new(SourceFile::read_back(display, text)))
    })
}

/// The corpus index of a session: every article's cross-file facts, by
/// display path, with the groups cross-file rules form, so that setting one
/// entry and linting one file cost what their groups hold, not the corpus.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    index: LiveIndex,
}

impl Corpus {
    /// The corpus of `entries` (a fresh index of the disk).
    pub fn new(entries: Vec<IndexEntry>) -> Self {
        Corpus {
            index: LiveIndex::new(entries.into_iter().map(shed).collect()),
        }
    }

    /// How many articles it knows.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// Whether it knows no article.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// The facts of one article.
    pub fn get(&self, display: &str) -> Option<&IndexEntry> {
        self.index.get(display)
    }

    /// Sets (or, with `None`, removes) one article's facts; returns whether
    /// the facts cross-file rules compare changed.
    pub fn update(&mut self, display: &str, entry: Option<IndexEntry>) -> bool {
        let old = self.index.set(display, entry.map(shed));
        facts_differ(old.as_ref(), self.index.get(display))
    }
}

/// An entry as the index keeps it: context, without its text.
fn shed(mut e: IndexEntry) -> IndexEntry {
    e.reported = false;
    e.shed_text();
    e
}

/// A session's corpus shared between the thread that updates it and the
/// threads that lint against it. Both hold the lock only for a few map
/// operations (an update, or picking one file's neighbours), never for a
/// lint or a pass over the corpus.
#[derive(Debug, Default)]
pub struct SharedCorpus(RwLock<Corpus>);

impl SharedCorpus {
    /// Shares `corpus`.
    pub fn new(corpus: Corpus) -> Self {
        SharedCorpus(RwLock::new(corpus))
    }

    /// Reads it. A thread that panicked holding the lock left it whole
    /// (every update is a few map operations that do not panic), so a
    /// poisoned lock is read anyway.
    pub fn read(&self) -> RwLockReadGuard<'_, Corpus> {
        self.0.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// Writes it (see [`SharedCorpus::read`] on poisoning).
    pub fn write(&self) -> RwLockWriteGuard<'_, Corpus> {
        self.0.write().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Whether two entries of one file differ in what cross-file rules
/// compare: whether re-linting other files can change anything.
fn facts_differ(old: Option<&IndexEntry>, new: Option<&IndexEntry>) -> bool {
    match (old, new) {
        (Some(a), Some(b)) => !a.facts.same_values(&b.facts),
        (None, None) => false,
        _ => true,
    }
}
