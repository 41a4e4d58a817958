//! `corpus/duplicate-title`.

use crate::corpus::{CorpusIndex, IndexEntry};
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rule::{Rule, RuleMeta};
use crate::settings::Settings;

declare_rule! {
    /// Two articles in the same language have the same title.
    ///
    /// ## Why is this bad?
    ///
    /// Two stories under one headline confuse readers and search engines,
    /// and usually mean the same story was imported twice under different
    /// ids, or a rewrite kept its template's title. When the two come from
    /// the same source and were published within
    /// `corpus.reimport-window-seconds` of each other, the finding says it
    /// is probably one story imported twice.
    ///
    /// Only articles with the same `lang` are compared: a translation may
    /// keep a headline that reads the same in both languages (a name, a
    /// ticker).
    ///
    /// Titles are compared after trimming, with runs of whitespace read as
    /// one space, ignoring letter case: `Miners pivot to AI` and
    /// `miners  pivot to AI ` are the same title. Punctuation counts.
    /// Every file with the title is reported, naming the others; the whole
    /// corpus under the content roots is compared.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// title: Miners pivot to AI compute
    /// ---
    /// ```
    ///
    /// ```markdown
    /// ---
    /// title: Miners Pivot to AI Compute
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// title: Miners pivot to AI compute
    /// ---
    /// ```
    ///
    /// ```markdown
    /// ---
    /// title: Miners pivot to AI compute, again
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Delete the duplicate article, or give one of them a headline of its
    /// own. There is no automatic fix.
    pub struct DuplicateTitle {
        code: "corpus/duplicate-title",
        severity: Warning,
        fix: None,
    }
}

/// The title as compared: trimmed, whitespace runs as one space, lowercase.
pub(crate) fn normalize(title: &str) -> String {
    title
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A hash of the title as [`normalize`] compares it, without building the
/// normalised string (100k titles per run), one multiply per character
/// (candidates are compared for real, so speed beats hash quality here).
/// Equal normalised titles hash alike: lowercasing char by char differs
/// from `str::to_lowercase` only in the final sigma, so both sigmas hash
/// as one.
pub(crate) fn hash_normalized(title: &str) -> Option<u64> {
    let mut h = super::MixHasher(0);
    let mut mix = |c: char| h.mix(u64::from(u32::from(c)));
    let mut words = 0usize;
    for word in title.split_whitespace() {
        if words > 0 {
            mix(' ');
        }
        words += 1;
        for c in word.chars() {
            if c.is_ascii() {
                mix(c.to_ascii_lowercase());
            } else {
                for c in c.to_lowercase() {
                    mix(if c == 'ς' { 'σ' } else { c });
                }
            }
        }
    }
    (words > 0).then_some(h.0)
}

impl Rule for DuplicateTitle {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn fields(&self) -> &'static [crate::rule::Field] {
        &[crate::rule::Field::Title]
    }

    fn check_corpus(&self, index: &CorpusIndex, settings: &Settings, out: &mut Vec<Diagnostic>) {
        fn lang(e: &IndexEntry) -> &str {
            e.facts.lang.as_ref().map_or("", |l| &l.value)
        }
        let dups = super::duplicates(
            index,
            Self::META.code,
            |e| {
                let key = normalize(&e.facts.title.as_ref()?.value);
                (!key.is_empty()).then_some((lang(e), key))
            },
            |e| e.facts.title.as_ref(),
            |e| Some(super::hash_of(&(lang(e), e.facts.title_key?))),
        );
        let name = settings.field_name(crate::rule::Field::Title);
        out.extend(super::diagnostics(&dups, |dup| {
            let message = format!(
                "another article has the same `{name}`: {}",
                dup.others_named()
            );
            dup.diagnostic(
                index,
                settings,
                &Self::META,
                message,
                "give each article its own headline, or delete the duplicate article",
                |other| {
                    let same_story = super::duplicate_story::same_source_and_time(
                        settings,
                        dup.entry,
                        other,
                    );
                    if same_story {
                        format!(
                            "the same `{name}` in {}, from the same source and published within minutes: probably one story imported twice",
                            other.path
                        )
                    } else {
                        format!("the same `{name}` in {}", other.path)
                    }
                },
            )
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{article, corpus_only};
    use crate::config::Config;

    const CODE: &str = "corpus/duplicate-title";

    #[test]
    fn titles_that_normalise_alike_hash_alike() {
        // Pairs that normalise alike, including the final sigma (`ΟΔΟΣ`
        // lowercases to `οδος`, `ς` at a word's end) and a capital that
        // lowercases to two characters.
        let same = [
            ("Miners pivot to AI", "  miners   PIVOT to ai "),
            ("ΟΔΟΣ", "οδος"),
            ("ΟΔΟΣ ΝΕΑ", "οδος νεα"),
            ("İstanbul", "i̇stanbul"),
        ];
        for (a, b) in same {
            assert_eq!(super::normalize(a), super::normalize(b), "{a} / {b}");
            assert_eq!(
                super::hash_normalized(a),
                super::hash_normalized(b),
                "{a} / {b}"
            );
        }
        assert_eq!(super::hash_normalized("  "), None);
        assert_ne!(super::hash_normalized("a b"), super::hash_normalized("ab"));
    }

    #[test]
    fn same_title_modulo_case_and_spacing() {
        let a = article("1", "feed", "Miners pivot to AI");
        let b = article("2", "other", "'  miners  PIVOT to ai '");
        let c = article("3", "other", "Miners pivot to AI!");
        let found = corpus_only(
            CODE,
            Config::default(),
            &[("a.md", &a), ("b.md", &b), ("c.md", &c)],
        );
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(
            found[0].message,
            "another article has the same `title`: b.md:2"
        );
        assert_eq!(&a[found[0].span.clone()], "Miners pivot to AI");
        assert_eq!(found[1].related[0].message, "the same `title` in a.md");
    }

    #[test]
    fn blank_titles_are_not_duplicates() {
        let a = article("1", "feed", "' '");
        assert!(corpus_only(CODE, Config::default(), &[("a.md", &a), ("b.md", &a)]).is_empty());
    }
}
