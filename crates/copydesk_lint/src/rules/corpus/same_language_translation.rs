//! `corpus/same-language-translation`.

use super::links::{at, links, Target};
use crate::corpus::CorpusIndex;
use crate::declare_rule;
use crate::diagnostic::{escape_controls, Diagnostic, Finding, Related};
use crate::rule::{Rule, RuleMeta};
use crate::settings::Settings;

declare_rule! {
    /// A "translation" is in the same language as the article it names as its original.
    ///
    /// ## Why is this bad?
    ///
    /// `ai.translatedFrom` says the article is a translation of the one
    /// with that `externalId`. When every such article of the same source
    /// has the same `lang` as the translation, either the translation's
    /// `lang` is wrong (a Ukrainian text marked `en`), or the file is the
    /// original imported a second time with a stray `translatedFrom`.
    /// Either way the site shows two versions in one language, and the
    /// language switcher has nowhere to go. Both files are reported: either
    /// one's `lang` may be the wrong one.
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
    /// ai:
    ///   translatedFrom: '57619983'
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
    /// Valid:
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
    /// ```markdown
    /// ---
    /// externalId: '57619983'
    /// lang: en
    /// source:
    ///   key: cointelegraph
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Correct the translation's `lang` (and its file-name suffix), or, if
    /// the file is a second copy of the original, delete it. There is no
    /// automatic fix.
    pub struct SameLanguageTranslation {
        code: "corpus/same-language-translation",
        severity: Error,
        fix: None,
    }
}

impl Rule for SameLanguageTranslation {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn fields(&self) -> &'static [crate::rule::Field] {
        &[
            crate::rule::Field::Translation,
            crate::rule::Field::Id,
            crate::rule::Field::Lang,
        ]
    }

    fn check_corpus(&self, index: &CorpusIndex, settings: &Settings, out: &mut Vec<Diagnostic>) {
        let tr = settings.field_name(crate::rule::Field::Translation);
        let ln = settings.field_name(crate::rule::Field::Lang);
        for link in links(index) {
            let Target::SameLanguage(others) = &link.target else {
                continue;
            };
            let lang = link.entry.facts.lang.as_ref();
            let lang_shown =
                lang.map_or_else(|| format!("no `{ln}`"), |l| format!("`{}`", l.value));
            let named: Vec<String> = others
                .iter()
                .take(super::MAX_NAMED)
                .map(|o| at(o, o.facts.external_id.as_ref()))
                .collect();
            let message = format!(
                "this translation is in {}, like the original it names ({}): a translation is in another language",
                escape_controls(&lang_shown),
                super::named_list(named.into_iter(), others.len())
            );
            let span = lang.map_or_else(|| link.from.span(), |l| l.span());
            let severity = super::level(index, settings, &Self::META, link.entry);
            if let Some(severity) = severity {
                let file = index.source(link.entry);
                let finding = Finding::new(span, message)
                .label(link.from.span(), "names the original here")
                .help(format!("correct this article's `{ln}`, or delete it if it is a second copy of the original"));
                let mut d = Diagnostic::from_finding(Self::META.code, severity, &file, finding);
                d.related = others
                    .iter()
                    .take(super::MAX_NAMED)
                    .filter_map(|o| {
                        let their = o.facts.lang.as_ref()?;
                        Some(Related {
                            source: index.source(o),
                            span: their.span(),
                            message: escape_controls(&format!(
                                "the original's `{ln}` in {}",
                                o.path
                            ))
                            .into_owned(),
                        })
                    })
                    .collect();
                out.push(d);
            }
            // The original may be the file whose `lang` is wrong: it is told too.
            for original in others.iter() {
                let Some(severity) = super::level(index, settings, &Self::META, original) else {
                    continue;
                };
                let Some(their) = original.facts.lang.as_ref() else {
                    continue;
                };
                let file = index.source(original);
                let finding = Finding::new(
                    their.span(),
                    format!(
                        "{} names this article as its original (`{tr}`), but both are in `{}`",
                        super::links::at(link.entry, Some(link.from)),
                        escape_controls(&their.value)
                    ),
                )
                .help(format!(
                    "correct the `{ln}` of the one that is wrong, or delete the second copy"
                ));
                let mut d = Diagnostic::from_finding(Self::META.code, severity, &file, finding);
                d.related = vec![Related {
                    source: index.source(link.entry),
                    span: link.from.span(),
                    message: escape_controls(&format!("`{tr}` in {}", link.entry.path))
                        .into_owned(),
                }];
                out.push(d);
            }
        }
    }
}
