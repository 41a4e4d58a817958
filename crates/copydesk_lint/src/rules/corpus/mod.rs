//! Checks across files: duplicate `externalId`s and titles.
//!
//! Both rules group the index's entries with one hash map (no pairwise
//! comparison) and report a duplicate in every file that has it, at its own
//! value, with a related span into each other file. Entries are visited in
//! the index's path order, so the output does not depend on which thread
//! linted which file first.

pub mod duplicate_external_id;
pub mod duplicate_title;

use std::collections::HashMap;
use std::hash::Hash;

use crate::corpus::{CorpusIndex, IndexEntry, SpannedValue};
use crate::diagnostic::{escape_controls, Diagnostic, Finding, Related};
use crate::rule::{Rule, RuleMeta};

/// The rules of this group (the registry sorts them with all the others).
pub(crate) static RULES: &[&dyn Rule] = &[
    &duplicate_external_id::DuplicateExternalId,
    &duplicate_title::DuplicateTitle,
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
    /// The other entries with the same key, in path order, and their values.
    pub others: Vec<(&'a IndexEntry, &'a SpannedValue)>,
}

/// Groups the entries by `key` and yields, in path order, every reported
/// entry that shares its key with at least one other entry (reported or
/// not: unreported files are the rest of the corpus, still duplicates).
pub(crate) fn duplicates<'a, K, F>(index: &'a CorpusIndex, key: F) -> Vec<Duplicate<'a>>
where
    K: Hash + Eq,
    F: Fn(&'a IndexEntry) -> Option<(K, &'a SpannedValue)>,
{
    let keyed: Vec<Option<(K, &SpannedValue)>> = index.entries.iter().map(&key).collect();
    let mut groups: HashMap<&K, Vec<usize>> = HashMap::new();
    for (i, k) in keyed.iter().enumerate() {
        if let Some((k, _)) = k {
            groups.entry(k).or_default().push(i);
        }
    }
    let mut out = Vec::new();
    for (i, (entry, k)) in index.entries.iter().zip(&keyed).enumerate() {
        let Some((k, value)) = k else { continue };
        if !entry.reported {
            continue;
        }
        let Some(group) = groups.get(k).filter(|g| g.len() > 1) else {
            continue;
        };
        let others = group
            .iter()
            .filter(|&&j| j != i)
            .filter_map(|&j| {
                let other = index.entries.get(j)?;
                let (_, v) = keyed.get(j)?.as_ref()?;
                Some((other, *v))
            })
            .collect();
        out.push(Duplicate {
            entry,
            value,
            others,
        });
    }
    out
}

impl Duplicate<'_> {
    /// `b.md:7, c.md:3 and 4 more`: the other files by path and line.
    pub fn others_named(&self) -> String {
        let mut named: Vec<String> = self
            .others
            .iter()
            .take(MAX_NAMED)
            .map(|(e, v)| format!("{}:{}", e.path, v.line))
            .collect();
        let more = self.others.len().saturating_sub(MAX_NAMED);
        if more > 0 {
            named.push(format!("{more} more"));
        }
        match named.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
            None => String::new(),
        }
    }

    /// The diagnostic in this entry's file, with one related span per
    /// named other file; `related_message` words each from its path.
    pub fn diagnostic(
        &self,
        index: &CorpusIndex,
        meta: &'static RuleMeta,
        message: String,
        help: &str,
        related_message: impl Fn(&str) -> String,
    ) -> Diagnostic {
        let source = index.source(self.entry);
        let finding = Finding::new(self.value.span(), message).help(help);
        let mut d = Diagnostic::from_finding(meta.code, meta.default_severity, &source, finding);
        d.related = self
            .others
            .iter()
            .take(MAX_NAMED)
            .map(|(e, v)| Related {
                source: index.source(e),
                span: v.span(),
                message: escape_controls(&related_message(&e.path)).into_owned(),
            })
            .collect();
        d
    }
}

#[cfg(test)]
pub(crate) mod tests {
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

    /// A partial article with these values.
    pub(crate) fn article(id: &str, key: &str, title: &str) -> String {
        format!("---\ntitle: {title}\nexternalId: '{id}'\nsource:\n  key: {key}\n---\nText.\n")
    }
}
