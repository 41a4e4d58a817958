//! `corpus/translation-mismatch`.

use super::links::{links, Target};
use crate::corpus::{CorpusIndex, IndexEntry, SpannedValue};
use crate::declare_rule;
use crate::diagnostic::{escape_controls, Diagnostic, Finding, Related};
use crate::rule::{Rule, RuleMeta};
use crate::rules::date::value::instant;
use crate::settings::Settings;
use crate::Severity;

declare_rule! {
    /// A translation and its original disagree on what a translation keeps: publication time or cover photo.
    ///
    /// ## Why is this bad?
    ///
    /// A translation is the same story in another language: the pipeline
    /// copies the original's `publishedAt` and cover photo. When they
    /// differ, one of the two files was edited alone (a date corrected
    /// only in English, a cover swapped only in Ukrainian), or
    /// `ai.translatedFrom` names the wrong original. Listings then sort
    /// the two versions apart, or show two pictures for one story.
    ///
    /// The original is the article of the same `source.key` in another
    /// language whose `externalId` is the translation's `ai.translatedFrom`.
    /// Times are compared as instants (`…41.000Z` equals `…41Z`); cover
    /// photos by the Unsplash photo id of `coverImage.raw`. Both files are
    /// reported, each at its own value with the other's as a related span:
    /// either may be the one edited by mistake.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// externalId: '57619983'
    /// lang: uk
    /// publishedAt: '2026-01-31T19:00:00.000Z'
    /// source:
    ///   key: cointelegraph
    /// ai:
    ///   translatedFrom: '57619983'
    /// ---
    /// ```
    ///
    /// ```markdown
    /// ---
    /// externalId: '57619983'
    /// lang: en
    /// publishedAt: '2026-01-31T18:04:41.000Z'
    /// source:
    ///   key: cointelegraph
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// externalId: '57619983'
    /// lang: uk
    /// publishedAt: '2026-01-31T18:04:41Z'
    /// source:
    ///   key: cointelegraph
    /// ai:
    ///   translatedFrom: '57619983'
    /// ---
    /// ```
    ///
    /// ```markdown
    /// ---
    /// externalId: '57619983'
    /// lang: en
    /// publishedAt: '2026-01-31T18:04:41.000Z'
    /// source:
    ///   key: cointelegraph
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Copy the original's value into the translation (or correct the
    /// original, if it is the one that was edited by mistake). There is no
    /// automatic fix: only an editor knows which of the two is right.
    pub struct TranslationMismatch {
        code: "corpus/translation-mismatch",
        severity: Error,
        fix: None,
    }
}

/// A value a translation keeps from its original.
struct Kept {
    /// How messages name it.
    key: fn(&Settings) -> &str,
    /// The value in an article.
    value: fn(&IndexEntry) -> Option<&SpannedValue>,
    /// Whether two values agree.
    agree: fn(&Settings, &str, &str) -> bool,
}

const KEPT: [Kept; 2] = [
    Kept {
        key: |s| s.field_name(crate::rule::Field::Published),
        value: |e| e.facts.published_at.as_ref(),
        agree: |s, a, b| match (instant(s, a), instant(s, b)) {
            (Some(a), Some(b)) => a == b,
            // A value that is not a timestamp is the date rules' to report.
            _ => true,
        },
    },
    Kept {
        key: |_| "coverImage.raw",
        value: |e| e.facts.cover_photo.as_ref(),
        agree: |_, a, b| a == b,
    },
];

impl Rule for TranslationMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn fields(&self) -> &'static [crate::rule::Field] {
        &[crate::rule::Field::Translation, crate::rule::Field::Id]
    }

    fn check_corpus(&self, index: &CorpusIndex, settings: &Settings, out: &mut Vec<Diagnostic>) {
        for link in links(index) {
            let Target::Original(original) = link.target else {
                continue;
            };
            for kept in &KEPT {
                let (Some(mine), Some(theirs)) = ((kept.value)(link.entry), (kept.value)(original))
                else {
                    continue;
                };
                if (kept.agree)(settings, &mine.value, &theirs.value) {
                    continue;
                }
                let key = (kept.key)(settings);
                if let Some(severity) = super::level(index, settings, &Self::META, link.entry) {
                    out.push(diagnostic(
                        index,
                        (link.entry, severity),
                        original,
                        key,
                        mine,
                        theirs,
                    ));
                }
                // Either file may be the one edited by mistake: both are told.
                if let Some(severity) = super::level(index, settings, &Self::META, original) {
                    out.push(diagnostic(
                        index,
                        (original, severity),
                        link.entry,
                        key,
                        theirs,
                        mine,
                    ));
                }
            }
        }
    }
}

/// The finding in `this` file, whose `key` (`mine`) differs from that of
/// `other` (`theirs`), the other side of the translation link.
fn diagnostic(
    index: &CorpusIndex,
    (this, severity): (&IndexEntry, Severity),
    other: &IndexEntry,
    key: &str,
    mine: &SpannedValue,
    theirs: &SpannedValue,
) -> Diagnostic {
    let what = if key == "coverImage.raw" {
        format!("the cover photo `{}`", theirs.value)
    } else {
        format!("`{}`", theirs.value)
    };
    let (me, them) = if this.facts.translated_from.is_some() {
        ("this translation's", "its original's")
    } else {
        ("this original's", "its translation's")
    };
    let message = format!(
        "{me} `{key}` differs from {them} ({}:{} has {})",
        other.path,
        theirs.line,
        escape_controls(&what)
    );
    let file = index.source(this);
    let finding = Finding::new(mine.span(), message).help(format!(
        "a translation keeps its original's `{key}`: copy it over, or correct the one that was edited by mistake"
    ));
    let mut d = Diagnostic::from_finding(TranslationMismatch::META.code, severity, &file, finding);
    d.related = vec![Related {
        source: index.source(other),
        span: theirs.span(),
        message: escape_controls(&format!("the other version's `{key}` in {}", other.path))
            .into_owned(),
    }];
    d
}
