//! `schema/number-not-string`.

use copydesk_schema::{Format, SchemaIssueKind};

use crate::declare_rule;
use crate::diagnostic::{Applicability, Finding, Fix};
use crate::rule::{FileContext, Rule, RuleMeta};

declare_rule! {
    /// An unquoted number where the contract wants a string, such as `externalId: 57619983`.
    ///
    /// ## Why is this bad?
    ///
    /// YAML reads unquoted digits as a number: `007` becomes `7`, and an id
    /// longer than 15 digits loses its last digits in JavaScript. The site
    /// then links or deduplicates the wrong article.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// externalId: 0057619983
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// externalId: '0057619983'
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Quote the value. The fix is safe: it keeps the digits exactly as written.
    pub struct NumberNotString {
        code: "schema/number-not-string",
        severity: Error,
        fix: Safe,
    }
}

impl Rule for NumberNotString {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        for issue in &ctx.schema_issues {
            let SchemaIssueKind::NumberNotString { raw } = &issue.kind else {
                continue;
            };
            // JSON has only double quotes; TOML's `"…"` is its usual form.
            let (format, quoted) = match ctx.front_matter().map(|fm| fm.format) {
                Some(f @ (Format::Toml | Format::Json)) => (f, format!("\"{raw}\"")),
                _ => (Format::Yaml, format!("'{raw}'")),
            };
            let mut finding = Finding::new(
                issue.span.clone(),
                format!(
                    "`{}` must be a quoted string; {} reads the unquoted `{raw}` as a number",
                    issue.key_path(),
                    format.name()
                ),
            )
            .help(format!("quote it: `{quoted}`"));
            if ctx.text().get(issue.span.clone()) == Some(raw.as_str()) {
                finding = finding.fix(Fix::replace(
                    Applicability::Safe,
                    "Quote the value",
                    issue.span.clone(),
                    quoted,
                ));
            }
            out.push(finding);
        }
    }
}
