//! `yaml/syntax-error`.

use copydesk_schema::{SyntaxKind, YamlIssue};

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{FileContext, Rule, RuleMeta};

declare_rule! {
    /// The front matter is not well-formed YAML.
    ///
    /// ## Why is this bad?
    ///
    /// A block that does not parse cannot be checked at all, and the site
    /// generator will fail on it (or, worse, read something else than what
    /// the editor meant). Tabs used for indentation, an unclosed quote and a
    /// `:` inside an unquoted title are the usual causes.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// title: 'AI Funding Pulse
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// title: 'AI Funding Pulse'
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Correct the YAML at the reported position; quote values that contain
    /// `: ` or start with a special character, and indent with spaces.
    pub struct SyntaxError {
        code: "yaml/syntax-error",
        severity: Error,
        fix: None,
    }
}

const TAB_HELP: &str = "indent with spaces: YAML does not allow tabs for indentation";

impl Rule for SyntaxError {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        let Some(parse) = &ctx.parse else { return };
        // A merge conflict is named by its own rule; TOML and JSON syntax
        // is `frontmatter/syntax-error`'s.
        if super::merge_conflict::reported(ctx)
            || ctx
                .front_matter()
                .is_some_and(|fm| fm.format != copydesk_schema::Format::Yaml)
        {
            return;
        }
        for issue in &parse.issues {
            let finding = match issue {
                YamlIssue::Syntax {
                    span,
                    kind,
                    message,
                } => {
                    let tab = ctx.text().get(span.clone()) == Some("\t");
                    let f = Finding::new(span.clone(), format!("invalid YAML: {message}"));
                    f.help(match kind {
                        _ if tab => TAB_HELP,
                        SyntaxKind::Tab => TAB_HELP,
                        SyntaxKind::UnclosedQuote => "close the quote on this line; a quoted value that goes on to the next line must indent it",
                        SyntaxKind::Escape => "in double quotes `\\` starts an escape: write `\\\\` for a backslash, or use single quotes",
                        SyntaxKind::UnknownAnchor => "define the anchor (`&name`) before this alias, or quote the value if the `*` is text",
                        SyntaxKind::NoColon => "write each field as `key: value`, with a space after the colon",
                        SyntaxKind::Other => "quote values that contain `: `, `#` or start with a special character",
                    })
                }
                YamlIssue::ComplexKey { span } => {
                    Finding::new(span.clone(), "a mapping key must be a plain string")
                        .help("write the key as a simple word, like `title`")
                }
                YamlIssue::MultipleDocuments { span } => Finding::new(
                    span.clone(),
                    "the front matter holds more than one YAML document",
                )
                .help("remove this document marker; front matter is one mapping"),
                _ => continue,
            };
            out.push(finding);
        }
    }
}
