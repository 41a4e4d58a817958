//! The compact per-file facts cross-file rules need.
//!
//! Cross-file rules never look at whole documents: each file contributes
//! one [`IndexEntry`] (its id, source key and title with their spans), so
//! the corpus pass is a few hash-map lookups per file.

use std::ops::Range;
use std::sync::Arc;

use crate::rule::FileContext;
use crate::source::SourceFile;

/// A string value and where it is in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpannedValue {
    /// The value.
    pub value: String,
    /// Its byte span.
    pub span: Range<usize>,
}

/// What one file contributes to the corpus index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexEntry {
    /// The file.
    pub source: Arc<SourceFile>,
    /// Path relative to the configuration root, for per-path rule levels.
    pub config_path: String,
    /// `externalId`, when it is a string.
    pub external_id: Option<SpannedValue>,
    /// `source.key`, when it is a string.
    pub source_key: Option<String>,
    /// `title`, when it is a string.
    pub title: Option<SpannedValue>,
    /// Whether this file's findings are reported (false for files read only
    /// so that cross-file rules see the whole corpus).
    pub reported: bool,
}

impl IndexEntry {
    /// Extracts the entry from a linted file's context.
    pub fn from_context(ctx: &FileContext<'_>) -> Option<Self> {
        let root = ctx.root()?;
        let spanned = |node: Option<&copydesk_schema::Node>| {
            node.and_then(|n| {
                n.as_str().map(|v| SpannedValue {
                    value: v.to_owned(),
                    span: n.span.clone(),
                })
            })
        };
        Some(IndexEntry {
            source: Arc::clone(ctx.source),
            config_path: ctx.config_path.to_owned(),
            external_id: spanned(root.get("externalId")),
            source_key: root
                .get("source")
                .and_then(|s| s.get("key"))
                .and_then(|k| k.as_str())
                .map(str::to_owned),
            title: spanned(root.get("title")),
            reported: true,
        })
    }
}

/// Every file's entry, sorted by path so that cross-file output does not
/// depend on thread scheduling.
#[derive(Debug, Clone, Default)]
pub struct CorpusIndex {
    /// The entries, sorted by path.
    pub entries: Vec<IndexEntry>,
}

impl CorpusIndex {
    /// Builds the index, sorting by path.
    pub fn new(mut entries: Vec<IndexEntry>) -> Self {
        entries.sort_by(|a, b| a.source.path.cmp(&b.source.path));
        entries.dedup_by(|a, b| a.source.path == b.source.path);
        CorpusIndex { entries }
    }
}
