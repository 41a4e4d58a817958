//! `yaml/duplicate-key`.

use copydesk_schema::YamlIssue;

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{FileContext, Rule, RuleMeta};

declare_rule! {
    /// A key appears twice in the same mapping.
    ///
    /// ## Why is this bad?
    ///
    /// YAML forbids duplicate keys, and the tools that accept them disagree
    /// on which value wins: the site may show a different title or date
    /// from the one the editor checked. copydesk checks the first one.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// title: Miners pivot to AI
    /// title: Bitcoin miners pivot to AI
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// title: Bitcoin miners pivot to AI
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Keep one of the two and delete the other.
    pub struct DuplicateKey {
        code: "yaml/duplicate-key",
        severity: Error,
        fix: None,
    }
}

impl Rule for DuplicateKey {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        let Some(parse) = &ctx.parse else { return };
        for issue in &parse.issues {
            if let YamlIssue::DuplicateKey { key, first, second } = issue {
                out.push(
                    Finding::new(second.clone(), format!("duplicate key `{key}`"))
                        .label(first.clone(), "first defined here")
                        .help("keep one of them: YAML loaders disagree on which value wins"),
                );
            }
        }
    }
}
