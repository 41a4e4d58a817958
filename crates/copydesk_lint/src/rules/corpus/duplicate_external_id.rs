//! `corpus/duplicate-external-id`.

use crate::corpus::{CorpusIndex, IndexEntry};
use crate::declare_rule;
use crate::diagnostic::{escape_controls, Diagnostic};
use crate::rule::{Rule, RuleMeta};
use crate::settings::Settings;

declare_rule! {
    /// Two articles of the same source and language have the same `externalId`.
    ///
    /// ## Why is this bad?
    ///
    /// `externalId` is the article's id at its source: two files with the
    /// same id, `source.key` and `lang` are the same story imported twice.
    /// The site shows it twice, or one copy silently replaces the other,
    /// and later corrections reach only one of them.
    ///
    /// By default the id must be unique per `source.key` and `lang`: two
    /// feeds number their stories independently, and a translation
    /// (`slug.uk.md` beside `slug.en.md`) keeps its original's id; two
    /// Ukrainian copies of one story are still duplicates. `[fields]
    /// id-scope` (formerly `[corpus] duplicate-scope`) changes the scope: a list of key paths
    /// (`["source.key"]`), or `"global"` for unique across the whole
    /// corpus. Whatever the scope, a file whose `ai.translatedFrom` names
    /// its own `externalId` is a translation, only ever a duplicate of
    /// another translation into the same language: the
    /// `corpus/*-translation` rules check its link to the original. Files where a scope value is not a
    /// string are not compared (`schema/missing-key` or `schema/wrong-type`
    /// reports them first).
    ///
    /// Every file that has the id is reported, each at its own
    /// `externalId`, naming the other files. The whole corpus under the
    /// configured content roots is compared even when only some files are
    /// named on the command line.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// externalId: '57619983'
    /// lang: en
    /// source:
    ///   key: cointelegraph
    /// ---
    /// ```
    ///
    /// ```markdown
    /// ---
    /// externalId: '57619983'
    /// lang: en
    /// source:
    ///   key: cointelegraph
    /// ---
    /// ```
    ///
    /// Another source, and a translation, are not duplicates.
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// externalId: '57619983'
    /// lang: en
    /// source:
    ///   key: cointelegraph
    /// ---
    /// ```
    ///
    /// ```markdown
    /// ---
    /// externalId: '57619983'
    /// lang: en
    /// source:
    ///   key: coindesk
    /// ---
    /// ```
    ///
    /// ```markdown
    /// ---
    /// externalId: '57619983'
    /// lang: uk
    /// source:
    ///   key: cointelegraph
    /// ai:
    ///   translatedFrom: '57619983'
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Delete the duplicate import, or correct the `externalId` (or
    /// `source.key`) of the article that has the wrong one. There is no
    /// automatic fix: only a reader can tell which copy to keep.
    pub struct DuplicateExternalId {
        code: "corpus/duplicate-external-id",
        severity: Error,
        fix: None,
    }
}

/// What makes two ids the same: the id, with the values of the configured
/// scope. A translation (`ai.translatedFrom` naming its own id) adds its
/// `lang`: it legitimately shares its original's id, and is a duplicate
/// only of another translation into the same language. (A "translation"
/// in its original's language is `corpus/same-language-translation`'s.)
#[allow(clippy::type_complexity)]
fn key(e: &IndexEntry) -> Option<(&str, &str, Option<&str>)> {
    let facts = &e.facts;
    let id = facts.external_id.as_ref()?;
    let translation = facts
        .translated_from
        .as_ref()
        .is_some_and(|t| t.value == id.value);
    let lang = translation.then(|| facts.lang.as_ref().map_or("", |l| &*l.value));
    Some((facts.scope.as_deref()?, &*id.value, lang))
}

/// ` (source.key `feed`, lang `en`)`: the scope's values as messages show them.
fn scope_shown(settings: &Settings, scope: &str) -> String {
    let paths = settings.duplicate_scope();
    if paths.is_empty() {
        return String::new();
    }
    let shown: Vec<String> = paths
        .iter()
        .zip(scope.split('\0'))
        .map(|(path, value)| format!("{} `{}`", path.join("."), escape_controls(value)))
        .collect();
    format!(" ({})", shown.join(", "))
}

impl Rule for DuplicateExternalId {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn fields(&self) -> &'static [crate::rule::Field] {
        &[crate::rule::Field::Id]
    }

    // A scope key the newsroom's schema does not have would leave every
    // file uncompared: say so rather than run silently.
    fn inactive_reason(&self, settings: &Settings) -> Option<String> {
        settings.unmet(self.keys(), self.fields()).or_else(|| {
            settings.duplicate_scope().iter().find_map(|path| {
                let dotted = path.join(".");
                (!settings.defines(&dotted)).then(|| {
                    format!(
                        "the schema does not define `{dotted}` ({})",
                        settings.fields().id_scope_key()
                    )
                })
            })
        })
    }

    fn check_corpus(&self, index: &CorpusIndex, settings: &Settings, out: &mut Vec<Diagnostic>) {
        let dups = super::duplicates(
            index,
            Self::META.code,
            key,
            |e| e.facts.external_id.as_ref(),
            |e| key(e).map(|k| super::hash_of(&k)),
        );
        let name = settings.field_name(crate::rule::Field::Id);
        let help = format!(
            "keep one copy of the article, or correct the `{name}` of the one that is wrong"
        );
        out.extend(super::diagnostics(&dups, |dup| {
            let id = &dup.value.value;
            let scope = dup.entry.facts.scope.as_deref().unwrap_or_default();
            let message = format!(
                "`{name}` `{id}`{} is also used by {}",
                scope_shown(settings, scope),
                dup.others_named()
            );
            dup.diagnostic(index, settings, &Self::META, message, &help, |e| {
                format!("the same `{name}` in {}", e.path)
            })
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{article, corpus_only};
    use crate::config::{Config, DuplicateScope, ScopeName};

    const CODE: &str = "corpus/duplicate-external-id";

    #[test]
    fn every_copy_is_reported_with_the_others_related() {
        let a = article("1", "feed", "A");
        let b = article("1", "feed", "B");
        let c = article("1", "feed", "C");
        let found = corpus_only(
            CODE,
            Config::default(),
            &[("c.md", &c), ("a.md", &a), ("b.md", &b)],
        );
        let shown: Vec<(&str, &str, Vec<&str>)> = found
            .iter()
            .map(|d| {
                (
                    d.source.path.as_str(),
                    &d.source.text[d.span.clone()],
                    d.related.iter().map(|r| r.source.path.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(
            shown,
            vec![
                ("a.md", "'1'", vec!["b.md", "c.md"]),
                ("b.md", "'1'", vec!["a.md", "c.md"]),
                ("c.md", "'1'", vec!["a.md", "b.md"]),
            ]
        );
        assert_eq!(
            found[0].message,
            "`externalId` `1` (source.key `feed`, lang `en`) is also used by b.md:3 and c.md:3"
        );
        assert_eq!(found[0].related[0].message, "the same `externalId` in b.md");
        assert_eq!(&b[found[0].related[0].span.clone()], "'1'");
    }

    #[test]
    fn scope_source_and_global() {
        let a = article("1", "feed", "A");
        let b = article("1", "other", "B");
        assert!(corpus_only(CODE, Config::default(), &[("a.md", &a), ("b.md", &b)]).is_empty());
        let mut global = Config::default();
        global.fields.id_scope = Some(DuplicateScope::Named(ScopeName::Global));
        let found = corpus_only(CODE, global, &[("a.md", &a), ("b.md", &b)]);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].message, "`externalId` `1` is also used by b.md:3");
    }

    #[test]
    fn unreported_files_count_but_are_not_reported() {
        let a = article("1", "feed", "A");
        let b = article("1", "feed", "B");
        let found = corpus_only(CODE, Config::default(), &[("a.md", &a), ("~b.md", &b)]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].source.path, "a.md");
        assert_eq!(found[0].related[0].source.path, "b.md");
    }

    #[test]
    fn many_copies_name_at_most_a_few() {
        let texts: Vec<(String, String)> = (0..25)
            .map(|i| {
                (
                    format!("f{i:02}.md"),
                    article("7", "feed", &format!("T{i}")),
                )
            })
            .collect();
        let files: Vec<(&str, &str)> = texts
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        let found = corpus_only(CODE, Config::default(), &files);
        assert_eq!(found.len(), 25);
        assert_eq!(found[0].related.len(), super::super::MAX_NAMED);
        assert!(
            found[0].message.ends_with("and 14 more"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn translations_are_duplicates_only_of_translations_into_their_language() {
        let en = article("1", "feed", "A");
        let uk = |title: &str| {
            article("1", "feed", title)
                .replace("lang: en", "lang: uk")
                .replace("---\nText", "ai:\n  translatedFrom: '1'\n---\nText")
        };
        let (uk1, uk2) = (uk("Б"), uk("В"));
        for scope in [
            DuplicateScope::default(),
            DuplicateScope::Named(ScopeName::Source),
            DuplicateScope::Named(ScopeName::Global),
        ] {
            let mut config = Config::default();
            config.fields.id_scope = Some(scope.clone());
            let pair = corpus_only(CODE, config.clone(), &[("a.en.md", &en), ("a.uk.md", &uk1)]);
            assert!(pair.is_empty(), "{scope:?}: {pair:#?}");
            let twice = corpus_only(
                CODE,
                config,
                &[("a.en.md", &en), ("a.uk.md", &uk1), ("b.uk.md", &uk2)],
            );
            let paths: Vec<&str> = twice.iter().map(|d| d.source.path.as_str()).collect();
            assert_eq!(paths, ["a.uk.md", "b.uk.md"], "{scope:?}");
        }
    }

    #[test]
    fn files_without_a_source_key_are_not_compared_per_source() {
        let a = "---\nexternalId: '1'\n---\n";
        assert!(corpus_only(CODE, Config::default(), &[("a.md", a), ("b.md", a)]).is_empty());
    }
}
