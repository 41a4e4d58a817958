//! `corpus/orphan-translation`.

use super::links::{at, links, Target};
use crate::corpus::CorpusIndex;
use crate::declare_rule;
use crate::diagnostic::{escape_controls, Diagnostic, Finding, Related};
use crate::rule::{Rule, RuleMeta};
use crate::settings::Settings;

declare_rule! {
    /// `ai.translatedFrom` names no article of the same source.
    ///
    /// ## Why is this bad?
    ///
    /// A translation (`slug.uk.md`) names its original with
    /// `ai.translatedFrom: '<externalId of the original>'`; the site links
    /// the two language versions through it. When no article of the same
    /// `source.key` has that `externalId` (the original was deleted,
    /// renamed, or the id was mistyped), the language switcher leads
    /// nowhere and the translation is an orphan.
    ///
    /// The whole corpus under the content roots is searched. When the id
    /// belongs to other sources' articles, the message names them: the link
    /// may be right and the `source.key` wrong.
    ///
    /// ## Examples
    ///
    /// Invalid:
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
    /// Restore the original article, or correct `ai.translatedFrom` (or the
    /// translation's `source.key`). There is no automatic fix.
    pub struct OrphanTranslation {
        code: "corpus/orphan-translation",
        severity: Error,
        fix: None,
    }
}

impl Rule for OrphanTranslation {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn fields(&self) -> &'static [crate::rule::Field] {
        &[crate::rule::Field::Translation, crate::rule::Field::Id]
    }

    fn check_corpus(&self, index: &CorpusIndex, settings: &Settings, out: &mut Vec<Diagnostic>) {
        let tr = settings.field_name(crate::rule::Field::Translation);
        let idn = settings.field_name(crate::rule::Field::Id);
        for link in links(index) {
            let id = escape_controls(&link.from.value).into_owned();
            let source = link.entry.facts.source_key.as_deref().unwrap_or_default();
            let source = escape_controls(source);
            let (message, others) = match &link.target {
                Target::Nothing => (
                    format!("`{tr}` names `{id}`, but no article has that `{idn}`"),
                    Vec::new(),
                ),
                Target::OtherSources(others) => {
                    let named: Vec<String> = others
                        .iter()
                        .take(super::MAX_NAMED)
                        .map(|o| at(o, o.facts.external_id.as_ref()))
                        .collect();
                    (
                        format!(
                            "`{tr}` names `{id}`, but no article of source `{source}` has that `{idn}` (only {} of another source)",
                            super::named_list(named.into_iter(), others.len())
                        ),
                        others.clone(),
                    )
                }
                Target::Original(_) | Target::SameLanguage(_) => continue,
            };
            let Some(severity) = super::level(index, settings, &Self::META, link.entry) else {
                continue;
            };
            let file = index.source(link.entry);
            let finding = Finding::new(link.from.span(), message).help(format!(
                "restore the original article, or correct `{tr}` to the original's `{idn}`"
            ));
            let mut d = Diagnostic::from_finding(Self::META.code, severity, &file, finding);
            d.related = others
                .iter()
                .take(super::MAX_NAMED)
                .filter_map(|o| {
                    let id = o.facts.external_id.as_ref()?;
                    let their = o.facts.source_key.as_deref().unwrap_or("?");
                    Some(Related {
                        source: index.source(o),
                        span: id.span(),
                        message: escape_controls(&format!(
                            "the `{idn}` in {}, of source `{their}`",
                            o.path
                        ))
                        .into_owned(),
                    })
                })
                .collect();
            out.push(d);
        }
    }
}
