//! A corpus session: the configuration in force, the corpus index, and
//! linting some files against it. The language server keeps one for the
//! editor's workspace; `copydesk check` builds the same pieces in bulk.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use copydesk_lint::corpus::{IndexEntry, SourceLoader};
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

    /// Indexes every article under the content roots: from the result cache
    /// `copydesk check` leaves behind when a file is unchanged, else by
    /// reading it (bounded).
    pub fn index_corpus(&self) -> Vec<IndexEntry> {
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
            .iter()
            .filter_map(|t| {
                if let Some(entry) = cache.index(t) {
                    return entry.0;
                }
                let bytes = fs::read_small(&t.path(), settings.max_file_bytes)?;
                IndexEntry::from_bytes(settings, &t.display, &t.config_path, bytes)
            })
            .collect()
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
    /// disk.
    pub fn lint(
        &self,
        display: &str,
        config_path: &str,
        text: &str,
        corpus: &Corpus,
        open: HashMap<String, Arc<str>>,
    ) -> (Vec<Diagnostic>, Option<IndexEntry>) {
        let settings = &self.settings;
        let report = copydesk_lint::lint_text(settings, display, config_path, text.to_owned());
        let entry = report.index.clone();
        let loader = loader(self.cwd.clone(), open, settings.max_file_bytes);
        let context = corpus.context_without(display);
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
/// display path. Kept behind an `Arc` and swapped on change, so a lint
/// takes a snapshot without copying it.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    entries: BTreeMap<String, IndexEntry>,
}

impl Corpus {
    /// How many articles it knows.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether it knows no article.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Sets (or, with `None`, removes) one article's facts; returns whether
    /// the facts cross-file rules compare changed.
    pub fn update(&mut self, display: &str, entry: Option<IndexEntry>) -> bool {
        let old = match entry {
            Some(mut e) => {
                e.reported = false;
                e.shed_text();
                self.entries.insert(display.to_owned(), e)
            }
            None => self.entries.remove(display),
        };
        facts_differ(old.as_ref(), self.entries.get(display))
    }

    /// Replaces every entry whose path `keep` refuses with `entries` (a
    /// fresh index of the disk); kept entries win over new ones.
    pub fn replace(&mut self, entries: Vec<IndexEntry>, keep: impl Fn(&str) -> bool) {
        self.entries.retain(|k, _| keep(k));
        for e in entries {
            if !keep(&e.path) {
                self.entries.insert(e.path.to_string(), e);
            }
        }
    }

    /// Every entry but `display`'s, as the context of linting it. An
    /// entry's clone shares its path, text and facts (`Arc`s): a lint job
    /// at 100k articles copies 100k small handles, not the facts.
    pub fn context_without(&self, display: &str) -> Vec<IndexEntry> {
        self.entries
            .iter()
            .filter(|(k, _)| **k != display)
            .map(|(_, e)| e.clone())
            .collect()
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
