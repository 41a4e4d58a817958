//! Translation links: each article with `ai.translatedFrom`, resolved to
//! the articles that carry that `externalId`, for the three translation
//! rules. Each rule resolves them again: two linear passes over the index
//! (a few milliseconds at 100k articles, none when no shown file is a
//! translation), cheaper to repeat than to keep a cross-rule memo of
//! borrowed entries in the index.

use std::collections::{HashMap, HashSet};

use crate::corpus::{CorpusIndex, IndexEntry, SpannedValue};

/// A reported translation and what its `ai.translatedFrom` resolves to.
pub(crate) struct Link<'a> {
    /// The translation (always `reported`).
    pub entry: &'a IndexEntry,
    /// Its `ai.translatedFrom`.
    pub from: &'a SpannedValue,
    /// What the id resolves to.
    pub target: Target<'a>,
}

/// Where a translation's `ai.translatedFrom` leads.
pub(crate) enum Target<'a> {
    /// An article of the same source in another language: the original.
    Original(&'a IndexEntry),
    /// Articles of the same source with that id, all in the translation's
    /// own language.
    SameLanguage(Vec<&'a IndexEntry>),
    /// Articles with that id, none of the translation's source.
    OtherSources(Vec<&'a IndexEntry>),
    /// No article has that id.
    Nothing,
}

/// Two language tags name the same language (`pt-BR` and `pt-br`).
fn same_lang(a: Option<&SpannedValue>, b: Option<&SpannedValue>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.value.eq_ignore_ascii_case(&b.value),
        (None, None) => true,
        _ => false,
    }
}

/// Every reported translation's link, in path order. Only the ids that
/// translations name are looked up: one pass over the corpus.
pub(crate) fn links(index: &CorpusIndex) -> Vec<Link<'_>> {
    let translations: Vec<(&IndexEntry, &SpannedValue)> = index
        .entries
        .iter()
        .filter(|e| e.reported)
        .filter_map(|e| Some((e, e.facts.translated_from.as_ref()?)))
        .filter(|(_, from)| !from.value.trim().is_empty())
        .collect();
    if translations.is_empty() {
        return Vec::new();
    }
    let wanted: HashSet<&str> = translations.iter().map(|(_, f)| &*f.value).collect();
    let mut by_id: HashMap<&str, Vec<&IndexEntry>> = HashMap::new();
    for e in &index.entries {
        if let Some(id) = e.facts.external_id.as_ref() {
            if wanted.contains(&*id.value) {
                by_id.entry(&id.value).or_default().push(e);
            }
        }
    }
    translations
        .into_iter()
        .map(|(entry, from)| {
            let others: Vec<&IndexEntry> = by_id
                .get(&*from.value)
                .map(|v| v.iter().copied().filter(|o| o.path != entry.path).collect())
                .unwrap_or_default();
            Link {
                entry,
                from,
                target: resolve(entry, others),
            }
        })
        .collect()
}

/// Classifies the articles carrying a translation's `translatedFrom` id.
fn resolve<'a>(entry: &IndexEntry, others: Vec<&'a IndexEntry>) -> Target<'a> {
    if others.is_empty() {
        return Target::Nothing;
    }
    let (same_source, other_sources): (Vec<&IndexEntry>, Vec<&IndexEntry>) = others
        .into_iter()
        .partition(|o| o.facts.source_key == entry.facts.source_key);
    if same_source.is_empty() {
        return Target::OtherSources(other_sources);
    }
    let lang = entry.facts.lang.as_ref();
    let mut originals = same_source
        .iter()
        .copied()
        .filter(|o| !same_lang(o.facts.lang.as_ref(), lang));
    // Prefer an article that is not itself a translation.
    let first = originals
        .clone()
        .find(|o| o.facts.translated_from.is_none());
    match first.or_else(|| originals.next()) {
        Some(original) => Target::Original(original),
        None => Target::SameLanguage(same_source),
    }
}

/// `b.md:3`: where an entry's value of interest is.
pub(crate) fn at(entry: &IndexEntry, value: Option<&SpannedValue>) -> String {
    format!("{}:{}", entry.path, value.map_or(1, |v| v.line))
}
