//! `frontmatter/syntax-error`.

use copydesk_schema::{Format, YamlIssue};

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{FileContext, Rule, RuleMeta};

declare_rule! {
    /// The TOML (`+++`) or JSON front matter is not well-formed.
    ///
    /// ## Why is this bad?
    ///
    /// A block that does not parse cannot be checked at all, and Hugo or
    /// Zola will refuse to build the page. An unquoted string, a repeated
    /// key and a trailing comma in JSON are the usual causes. (YAML blocks
    /// have their own code, `yaml/syntax-error`, kept for stability.)
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// +++
    /// title = Bitcoin miners pivot to AI
    /// +++
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// +++
    /// title = "Bitcoin miners pivot to AI"
    /// +++
    /// ```
    ///
    /// ## Fix
    ///
    /// Correct the syntax at the reported position; strings need quotes in
    /// both TOML and JSON.
    pub struct FrontMatterSyntaxError {
        code: "frontmatter/syntax-error",
        severity: Error,
        fix: None,
    }
}

impl Rule for FrontMatterSyntaxError {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        let (Some(fm), Some(parse)) = (ctx.front_matter(), &ctx.parse) else {
            return;
        };
        let help = match fm.format {
            Format::Yaml => return,
            Format::Toml => {
                "strings need quotes (`title = \"…\"`), each key appears once per table, \
                 and dates are written like `2026-01-31T09:00:00Z`"
            }
            Format::Json => {
                "keys and strings need double quotes, items are separated by commas \
                 with none after the last one"
            }
        };
        for issue in &parse.issues {
            if let YamlIssue::Syntax { span, message, .. } = issue {
                out.push(
                    Finding::new(
                        span.clone(),
                        format!("invalid {}: {message}", fm.format.name()),
                    )
                    .help(help),
                );
            }
        }
    }
}
