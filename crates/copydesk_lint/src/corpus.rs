//! The compact per-file facts cross-file rules need.
//!
//! Cross-file rules never look at whole documents: each file contributes
//! one [`IndexEntry`] (its id, source key and title with their spans), so
//! the corpus pass is a few hash-map lookups per file.

use std::ops::Range;
use std::sync::Arc;

use crate::rule::FileContext;
use crate::settings::Settings;
use crate::source::SourceFile;

/// A string value and where it is in its file.
///
/// Kept small (a 100k-article corpus holds two per file): the span is
/// stored as `u32` offsets, files being far below 4 GiB (`file/too-large`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SpannedValue {
    /// The value.
    pub value: Box<str>,
    start: u32,
    end: u32,
    /// The 1-based line of the span's start, so messages can name it
    /// without the file's text.
    pub line: u32,
}

impl SpannedValue {
    /// A value at `span`, starting on 1-based `line`.
    pub fn new(value: &str, span: Range<usize>, line: usize) -> Self {
        let narrow = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        SpannedValue {
            value: value.into(),
            start: narrow(span.start),
            end: narrow(span.end),
            line: narrow(line),
        }
    }

    /// Its byte span in the file.
    pub fn span(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// What one file contributes to the corpus index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexEntry {
    /// The file's display path.
    pub path: Arc<str>,
    /// The file's text, when it is kept in memory. A large run drops it
    /// ([`IndexEntry::shed_text`]) and [`CorpusIndex::source`] reads the
    /// file again only for the few entries a cross-file finding names.
    pub source: Option<Arc<SourceFile>>,
    /// Path relative to the configuration root, for per-path rule levels.
    pub config_path: Arc<str>,
    /// `externalId`, when it is a string.
    pub external_id: Option<SpannedValue>,
    /// `source.key`, when it is a string.
    pub source_key: Option<Box<str>>,
    /// `title`, when it is a string.
    pub title: Option<SpannedValue>,
    /// Whether this file's findings are reported (false for files read only
    /// so that cross-file rules see the whole corpus).
    pub reported: bool,
}

impl IndexEntry {
    /// Extracts the entry from a linted file's context.
    pub fn from_context(ctx: &FileContext<'_>) -> Option<Self> {
        Some(Self::from_root(ctx.source, ctx.config_path, ctx.root()?))
    }

    /// The entry of a file that is only context for cross-file rules (not
    /// reported): the front matter is split and parsed, but neither
    /// validated nor linted, which is most of the cost of a file. Yields
    /// the same entry [`crate::lint_bytes`] would, marked not `reported`.
    pub fn from_bytes(
        settings: &Settings,
        path: &str,
        config_path: &str,
        bytes: Vec<u8>,
    ) -> Option<Self> {
        if bytes.contains(&0) {
            return None;
        }
        let text = String::from_utf8(bytes).ok()?;
        let fm = copydesk_schema::frontmatter::split(&text).ok()?;
        let outcome = copydesk_schema::yaml::parse(&text, fm.yaml.clone(), &settings.limits);
        let root = outcome.root.filter(|r| r.as_mapping().is_some())?;
        let source = Arc::new(SourceFile::new(path, text));
        let mut entry = Self::from_root(&source, config_path, &root);
        entry.reported = false;
        entry.source = None;
        Some(entry)
    }

    fn from_root(
        source: &Arc<SourceFile>,
        config_path: &str,
        root: &copydesk_schema::Node,
    ) -> Self {
        let spanned = |node: Option<&copydesk_schema::Node>| {
            node.and_then(|n| {
                n.as_str().map(|v| {
                    // Counted directly: building the file's line table
                    // for two lines near its top costs more.
                    let before = source.text.get(..n.span.start).unwrap_or_default();
                    let line = 1 + before.bytes().filter(|&b| b == b'\n').count();
                    SpannedValue::new(v, n.span.clone(), line)
                })
            })
        };
        let path: Arc<str> = source.path.as_str().into();
        IndexEntry {
            path: Arc::clone(&path),
            source: Some(Arc::clone(source)),
            config_path: if config_path == &*path {
                path
            } else {
                config_path.into()
            },
            external_id: spanned(root.get("externalId")),
            source_key: root
                .get("source")
                .and_then(|s| s.get("key"))
                .and_then(|k| k.as_str())
                .map(Box::from),
            title: spanned(root.get("title")),
            reported: true,
        }
    }
}

impl IndexEntry {
    /// Drops the file's text, keeping only the facts cross-file rules need.
    pub fn shed_text(&mut self) {
        self.source = None;
    }
}

/// Reads a file's text again by its display path, for entries whose text
/// was dropped.
pub type SourceLoader = dyn Fn(&str) -> Option<Arc<SourceFile>> + Send + Sync;

/// Every file's entry, sorted by path so that cross-file output does not
/// depend on thread scheduling.
#[derive(Default)]
pub struct CorpusIndex {
    /// The entries, sorted by path.
    pub entries: Vec<IndexEntry>,
    loader: Option<Box<SourceLoader>>,
}

impl std::fmt::Debug for CorpusIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CorpusIndex")
            .field("entries", &self.entries)
            .finish_non_exhaustive()
    }
}

impl CorpusIndex {
    /// Builds the index, sorting by path.
    pub fn new(mut entries: Vec<IndexEntry>) -> Self {
        // Runs hand over entries in path order, with at most a few named
        // files after them (a pre-commit run): those are inserted in place
        // rather than sorting 100k long paths again.
        let sorted = entries
            .windows(2)
            .position(|w| w[0].path > w[1].path)
            .map_or(entries.len(), |i| i + 1);
        if entries.len() - sorted <= 64 {
            for e in entries.split_off(sorted) {
                let at = entries.partition_point(|x| x.path <= e.path);
                entries.insert(at, e);
            }
        } else {
            entries.sort_unstable_by(|a, b| a.path.cmp(&b.path));
        }
        entries.dedup_by(|a, b| a.path == b.path);
        CorpusIndex {
            entries,
            loader: None,
        }
    }

    /// The entry of the file with display path `path`.
    pub fn entry(&self, path: &str) -> Option<&IndexEntry> {
        let i = self
            .entries
            .binary_search_by(|e| (*e.path).cmp(path))
            .ok()?;
        self.entries.get(i)
    }

    /// Sets how to read back the text of entries that dropped it.
    #[must_use]
    pub fn with_loader(mut self, loader: Box<SourceLoader>) -> Self {
        self.loader = Some(loader);
        self
    }

    /// The entry's file: its kept text, or the file read again, or (when
    /// it cannot be read any more) an empty text, so a finding still names
    /// the file and spans clamp to its start.
    pub fn source(&self, entry: &IndexEntry) -> Arc<SourceFile> {
        entry
            .source
            .clone()
            .or_else(|| self.loader.as_ref().and_then(|load| load(&entry.path)))
            .unwrap_or_else(|| Arc::new(SourceFile::new(entry.path.to_string(), "")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_come_out_sorted_and_unique_however_they_came_in() {
        let settings = Settings::with_defaults(jiff::Timestamp::UNIX_EPOCH);
        let entry = |path: &str| {
            let text = format!("---\ntitle: {path}\n---\n");
            crate::lint_text(&settings, path, path, text)
                .index
                .expect("an entry")
        };
        let paths = |index: &CorpusIndex| -> Vec<String> {
            index.entries.iter().map(|e| e.path.to_string()).collect()
        };
        let sorted: Vec<String> = (0..100).map(|i| format!("a/{i:03}.md")).collect();
        // Sorted, with a few stragglers after (and one duplicate).
        let mut input: Vec<IndexEntry> = sorted.iter().map(|p| entry(p)).collect();
        for p in ["a/050.md", "a/000.md", "0.md", "z.md"] {
            input.push(entry(p));
        }
        let mut expected = sorted.clone();
        expected.extend(["0.md".to_owned(), "z.md".to_owned()]);
        expected.sort();
        assert_eq!(paths(&CorpusIndex::new(input)), expected);
        // Shuffled: sorted in full.
        let mut input: Vec<IndexEntry> = sorted.iter().map(|p| entry(p)).collect();
        input.reverse();
        assert_eq!(paths(&CorpusIndex::new(input)), sorted);
    }

    #[test]
    fn index_only_read_matches_the_full_lint() {
        let settings = Settings::with_defaults(jiff::Timestamp::UNIX_EPOCH);
        let seed = "---\ntitle: 'T'\nexternalId: '42'\nsource:\n  key: feed\n---\nBody\n";
        let inputs: Vec<Vec<u8>> = vec![
            seed.into(),
            format!("\u{feff}{}", seed.replace('\n', "\r\n")).into(),
            "---\ntitle: [unclosed\n---\n".into(),
            "---\n- a list\n---\n".into(),
            "no front matter\n".into(),
            "---\ntitle: x\n".into(),
            b"---\ntitle: \xff\n---\n".to_vec(),
            b"---\ntitle: x\0\n---\n".to_vec(),
            "---\nexternalId: 42\ntitle: x\n---\n".into(),
        ];
        for bytes in inputs {
            let full = crate::lint_bytes(&settings, "a.md", "a.md", bytes.clone())
                .index
                .map(|mut e| {
                    e.reported = false;
                    e.shed_text();
                    e
                });
            let quick = IndexEntry::from_bytes(&settings, "a.md", "a.md", bytes.clone());
            assert_eq!(quick, full, "{:?}", String::from_utf8_lossy(&bytes));
        }
    }
}
