//! `schema/yaml11-boolean`.

use copydesk_schema::SchemaIssueKind;

use crate::declare_rule;
use crate::diagnostic::{Applicability, Finding, Fix};
use crate::rule::{FileContext, Rule, RuleMeta};

declare_rule! {
    /// A YAML 1.1 boolean spelling (`yes`, `no`, `on`, `off`, `y`, `n`) where a boolean is wanted.
    ///
    /// ## Why is this bad?
    ///
    /// YAML 1.2 reads `draft: no` as the *string* "no"; older YAML 1.1
    /// loaders read it as `false`. Depending on which tool reads the file,
    /// the article is published or not: the value must be spelt `true` or
    /// `false`.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// draft: no
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// draft: false
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Write `true` or `false`. The fix is unsafe: it assumes the YAML 1.1
    /// meaning was the intended one.
    pub struct Yaml11Boolean {
        code: "schema/yaml11-boolean",
        severity: Error,
        fix: Unsafe,
    }
}

impl Rule for Yaml11Boolean {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        for issue in &ctx.schema_issues {
            let SchemaIssueKind::Yaml11Boolean { raw, meant } = &issue.kind else {
                continue;
            };
            out.push(
                Finding::new(
                    issue.span.clone(),
                    format!(
                        "`{}: {raw}` is a YAML 1.1 boolean: YAML 1.2 reads it as the string \"{raw}\", a YAML 1.1 loader as {meant}",
                        issue.key_path()
                    ),
                )
                .help(format!("write `{meant}`"))
                .fix(Fix::replace(
                    Applicability::Unsafe,
                    format!("Replace `{raw}` with `{meant}`"),
                    issue.span.clone(),
                    meant.to_string(),
                )),
            );
        }
    }
}
