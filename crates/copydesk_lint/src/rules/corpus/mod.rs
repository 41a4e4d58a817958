//! Checks across files: duplicate `externalId`s, titles and stories, and
//! the links between translations and their originals.
//!
//! Both rules group the index's entries with one hash map (no pairwise
//! comparison) and report a duplicate in every file that has it, at its own
//! value, with a related span into each other file. Entries are visited in
//! the index's path order, so the output does not depend on which thread
//! linted which file first.

pub mod duplicate_external_id;
pub mod duplicate_story;
pub mod duplicate_title;
mod links;
pub mod orphan_translation;
pub mod same_language_translation;
pub mod translation_mismatch;

use crate::{Settings, Severity};
use std::hash::{Hash, Hasher};

/// A fixed, fast hash of `k` for grouping (candidates are compared for
/// real, so speed beats hash quality; fixed, so the grouping is the same
/// from run to run).
pub(crate) fn hash_of<K: Hash + ?Sized>(k: &K) -> u64 {
    let mut h = MixHasher(0);
    k.hash(&mut h);
    h.finish()
}

/// One multiply-rotate per 8 bytes (the scheme of rustc's FxHasher).
pub(crate) struct MixHasher(pub(crate) u64);

impl MixHasher {
    /// Mixes one word into the hash.
    pub(crate) fn mix(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for MixHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.mix(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.mix(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 59));
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

use crate::corpus::{CorpusIndex, IndexEntry, SpannedValue};
use crate::diagnostic::{escape_controls, Diagnostic, Finding, Related};
use crate::rule::{Rule, RuleMeta};

/// The rules of this group (the registry sorts them with all the others).
pub(crate) static RULES: &[&dyn Rule] = &[
    &duplicate_external_id::DuplicateExternalId,
    &duplicate_story::DuplicateStory,
    &duplicate_title::DuplicateTitle,
    &orphan_translation::OrphanTranslation,
    &same_language_translation::SameLanguageTranslation,
    &translation_mismatch::TranslationMismatch,
];

/// At most this many other files are named per finding: a value shared by
/// n files would otherwise make n² related spans. The message still gives
/// the total.
pub(crate) const MAX_NAMED: usize = 10;

/// One reported entry whose key is shared with other entries.
pub(crate) struct Duplicate<'a> {
    /// The entry the diagnostic is for (always `reported`).
    pub entry: &'a IndexEntry,
    /// Its value (the span the diagnostic points at).
    pub value: &'a SpannedValue,
    /// The first [`MAX_NAMED`] other entries with the same key, in path
    /// order, and their values.
    pub others: Vec<(&'a IndexEntry, &'a SpannedValue)>,
    /// How many other entries have the same key (named or not).
    pub total: usize,
}

/// Groups the entries by `key` and yields, in path order, every reported
/// entry that shares its key with at least one other entry (reported or
/// not: unreported files are the rest of the corpus, still duplicates),
/// with `value`, the keyed value each finding points at (present whenever
/// the key is).
///
/// A corpus of 100k articles is grouped by `hash`, a 64-bit hash of each
/// entry's key (equal keys must hash alike), in a sorted vector of (hash,
/// entry) pairs — 16 bytes an entry, no map of vectors, no kept keys.
/// Keys are computed, and compared for real, only within a run of equal
/// hashes, so a collision never makes a false duplicate. A group of n
/// files costs O(n): each names at most [`MAX_NAMED`] others.
///
/// The sorted hashes are kept in the index under `memo` (the rule's code),
/// so the passes of a run finished in windows hash the corpus once.
pub(crate) fn duplicates<'a, K, F, V, H>(
    index: &'a CorpusIndex,
    memo: &'static str,
    key: F,
    value: V,
    hash: H,
) -> Vec<Duplicate<'a>>
where
    K: Eq,
    F: Fn(&'a IndexEntry) -> Option<K>,
    V: Fn(&'a IndexEntry) -> Option<&'a SpannedValue> + Sync,
    H: Fn(&'a IndexEntry) -> Option<u64> + Sync,
{
    use rayon::prelude::*;
    // The classes (positions of entries with equal keys, more than one,
    // in path order), found once per index.
    let classes = index.memo(memo, || {
        let mut hashed: Vec<(u64, usize)> = index
            .entries
            .par_iter()
            .enumerate()
            .filter_map(|(i, e)| hash(e).map(|h| (h, i)))
            .collect();
        hashed.par_sort_unstable();
        let mut found: Vec<Vec<usize>> = Vec::new();
        for run in hashed.chunk_by(|a, b| a.0 == b.0).filter(|r| r.len() > 1) {
            // Equal hashes almost always mean equal keys: one class per
            // run, more only on a real collision.
            let mut classes: Vec<(K, Vec<usize>)> = Vec::new();
            for &(_, i) in run {
                let Some(k) = index.entries.get(i).and_then(&key) else {
                    continue;
                };
                match classes.iter_mut().find(|(c, _)| *c == k) {
                    Some((_, members)) => members.push(i),
                    None => classes.push((k, vec![i])),
                }
            }
            found.extend(classes.into_iter().map(|(_, m)| m).filter(|m| m.len() > 1));
        }
        found
    });
    // A class's members have a key: their value is read, not keyed again
    // (a title's key is a normalised copy) for each finding naming them.
    let value = |i: usize| {
        let e = index.entries.get(i)?;
        Some((e, value(e)?))
    };
    // Only this pass's window of files is reported (see
    // `CorpusIndex::builds`): the others are not built at all. A legacy
    // corpus can hold thousands of duplicates a window: built on all cores.
    let shown: Vec<(&[usize], usize)> = classes
        .iter()
        .flat_map(|members| (0..members.len()).map(move |n| (members.as_slice(), n)))
        .filter(|&(members, n)| members.get(n).is_some_and(|&i| index.window_contains(i)))
        .collect();
    let mut out: Vec<Duplicate<'a>> = shown
        .into_par_iter()
        .with_min_len(64)
        .filter_map(|(members, n)| {
            let (entry, value_here) = value(*members.get(n)?).filter(|(e, _)| e.reported)?;
            let others = members
                .iter()
                .enumerate()
                .filter(|(m, _)| *m != n)
                .take(MAX_NAMED)
                .filter_map(|(_, &j)| value(j))
                .collect();
            Some(Duplicate {
                entry,
                value: value_here,
                others,
                total: members.len() - 1,
            })
        })
        .collect();
    // Runs come in hash order; entries (and so their others, taken from
    // runs sorted by index) are reported in path order.
    out.sort_by(|a, b| a.entry.path.cmp(&b.entry.path));
    out
}

/// The severity of `meta`'s findings in `entry`'s file, `None` when they
/// are not shown (a file read only as context for cross-file rules, or the
/// rule off for it) or not built in this pass of `index` (outside its
/// window). Rules ask before building a diagnostic, so it carries its real
/// severity and a finding nobody sees reads no file.
pub(crate) fn level(
    index: &CorpusIndex,
    settings: &Settings,
    meta: &RuleMeta,
    entry: &IndexEntry,
) -> Option<Severity> {
    if !entry.reported {
        return None;
    }
    let severity = settings.level(meta, &entry.config_path)?;
    // Large runs build findings a window of files at a time.
    index.builds(entry).then_some(severity)
}

impl Duplicate<'_> {
    /// `b.md:7, c.md:3 and 4 more`: the other files by path and line.
    pub fn others_named(&self) -> String {
        named_list(
            self.others
                .iter()
                .map(|(e, v)| format!("{}:{}", e.path, v.line)),
            self.total,
        )
    }

    /// The diagnostic in this entry's file, with one related span per
    /// named other file; `related_message` words each from its path.
    /// `None` when it is not shown (see [`level`]).
    pub fn diagnostic(
        &self,
        index: &CorpusIndex,
        settings: &Settings,
        meta: &'static RuleMeta,
        message: String,
        help: &str,
        related_message: impl Fn(&IndexEntry) -> String,
    ) -> Option<Diagnostic> {
        let severity = level(index, settings, meta, self.entry)?;
        let source = index.source(self.entry);
        let finding = Finding::new(self.value.span(), message).help(help);
        let mut d = Diagnostic::from_finding(meta.code, severity, &source, finding);
        d.related = self
            .others
            .iter()
            .take(MAX_NAMED)
            .map(|(e, v)| Related {
                source: index.source(e),
                span: v.span(),
                message: escape_controls(&related_message(e)).into_owned(),
            })
            .collect();
        Some(d)
    }
}

/// The diagnostics `build` makes of `dups`, in their order: on all cores,
/// since a legacy corpus can hold a duplicate in every file.
pub(crate) fn diagnostics<'a>(
    dups: &[Duplicate<'a>],
    build: impl Fn(&Duplicate<'a>) -> Option<Diagnostic> + Sync + Send,
) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    dups.par_iter().with_min_len(64).filter_map(build).collect()
}

/// `a, b and c`, or `a, b and 4 more` when `named` holds fewer than
/// `total` items.
pub(crate) fn named_list(named: impl Iterator<Item = String>, total: usize) -> String {
    let mut named: Vec<String> = named.collect();
    let more = total.saturating_sub(named.len());
    if more > 0 {
        named.push(format!("{more} more"));
    }
    match named.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    #[test]
    fn colliding_hashes_never_make_a_duplicate() {
        let settings = crate::Settings::with_defaults(jiff::Timestamp::UNIX_EPOCH);
        let entries = [("a.md", "X"), ("b.md", "Y"), ("c.md", "X"), ("d.md", "Z")]
            .iter()
            .filter_map(|(path, title)| {
                let text = format!("---\ntitle: {title}\n---\n");
                crate::lint_text(&settings, path, path, text).index
            })
            .collect();
        let index = super::CorpusIndex::new(entries);
        let title = |e: &super::IndexEntry| e.facts.title.as_ref().map(|t| t.value.clone());
        fn value(e: &super::IndexEntry) -> Option<&super::SpannedValue> {
            e.facts.title.as_ref()
        }
        let shown = |dups: Vec<super::Duplicate<'_>>| -> Vec<(String, Vec<String>)> {
            dups.iter()
                .map(|d| {
                    let others = d.others.iter().map(|(e, _)| e.path.to_string());
                    (d.entry.path.to_string(), others.collect())
                })
                .collect()
        };
        let expected = vec![
            ("a.md".to_owned(), vec!["c.md".to_owned()]),
            ("c.md".to_owned(), vec!["a.md".to_owned()]),
        ];
        // Every key hashes alike: only real equality groups them.
        assert_eq!(
            shown(super::duplicates(&index, "all alike", title, value, |_| {
                Some(7)
            })),
            expected
        );
        let hash = |e: &super::IndexEntry| e.facts.title.as_ref().map(|t| super::hash_of(&t.value));
        assert_eq!(
            shown(super::duplicates(&index, "by title", title, value, hash)),
            expected
        );
    }

    use crate::config::{Config, RuleLevel};
    use crate::corpus::CorpusIndex;
    use crate::{Diagnostic, Settings};

    /// Lints `files` (path, text) as one corpus with only `code` enabled;
    /// files whose path starts with `~` are context only (not reported).
    pub(crate) fn corpus_only(
        code: &str,
        mut config: Config,
        files: &[(&str, &str)],
    ) -> Vec<Diagnostic> {
        for meta in crate::registry::metas() {
            if meta.code != code {
                config.rules.insert(meta.code.to_owned(), RuleLevel::Off);
            }
        }
        let settings = Settings::new(config, jiff::Timestamp::UNIX_EPOCH).expect("settings");
        let entries = files
            .iter()
            .filter_map(|(path, text)| {
                let (path, reported) = match path.strip_prefix('~') {
                    Some(p) => (p, false),
                    None => (*path, true),
                };
                let mut e = crate::lint_text(&settings, path, path, (*text).to_owned()).index?;
                e.reported = reported;
                Some(e)
            })
            .collect();
        crate::lint_corpus(&settings, &CorpusIndex::new(entries))
    }

    /// A partial article with these values (in English).
    pub(crate) fn article(id: &str, key: &str, title: &str) -> String {
        format!("---\ntitle: {title}\nexternalId: '{id}'\nsource:\n  key: {key}\nlang: en\n---\nText.\n")
    }
}
