//! `schema/invalid-value`.

use copydesk_schema::SchemaIssueKind;

use copydesk_schema::SchemaIssue;

use crate::declare_rule;
use crate::diagnostic::{Applicability, Finding, Fix};
use crate::rule::{FileContext, Rule, RuleMeta};
use crate::rules::editorial::{claimed_by_list_rule, rewrite_scalar};

declare_rule! {
    /// A value of the right type breaks the contract's constraints (pattern, length, range or allowed values).
    ///
    /// ## Why is this bad?
    ///
    /// A lowercase category, an empty title, a negative sticky weight or an
    /// unknown sentiment is accepted by YAML but not by the site: listings
    /// filter it out or sort it wrongly.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// sentiment: HAPPY
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// sentiment: POSITIVE
    /// ---
    /// ```
    ///
    /// A `category`, `lang` or `source.type` that is not on its configured
    /// (non-empty) list is reported by the `editorial/unknown-*` rule for
    /// that key while it is on, and not also here for its pattern, so that
    /// one value gets one finding.
    ///
    /// ## Fix
    ///
    /// Change the value as the message says; `copydesk schema` shows every
    /// constraint. A `source.type` or `sentiment` written in lowercase is
    /// uppercased by a safe fix when the uppercase form is allowed, keeping
    /// the value's quoting.
    pub struct InvalidValue {
        code: "schema/invalid-value",
        severity: Error,
        fix: Safe,
    }
}

impl Rule for InvalidValue {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        for issue in &ctx.schema_issues {
            let SchemaIssueKind::InvalidValue { message } = &issue.kind else {
                continue;
            };
            if claimed_by_list_rule(ctx, &issue.path)
                || crate::rules::text::claims(ctx, &issue.path)
            {
                continue;
            }
            let mut finding = Finding::new(
                issue.span.clone(),
                format!("`{}` {message}", issue.key_path()),
            );
            if let Some((upper, fix)) = uppercase_fix(ctx, issue) {
                finding = finding
                    .help(format!("write it in uppercase: `{upper}`"))
                    .fix(fix);
            } else if let Some(fix) = trim_title_fix(ctx, issue) {
                finding = finding
                    .help("remove the whitespace around the title")
                    .fix(fix);
            }
            out.push(finding);
        }
    }
}

/// Whether `s` is an uppercase token (`[A-Z][A-Z0-9_]*`).
fn is_upper_token(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_uppercase())
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// The safe fix for an uppercase-token key written in another case, when
/// the uppercase form is allowed: `source.type` by its pattern,
/// `sentiment` by its values. (Tags and `category` have formats of their
/// own: `editorial/invalid-tag`, `editorial/invalid-category`.)
fn uppercase_fix(ctx: &FileContext<'_>, issue: &SchemaIssue) -> Option<(String, Fix)> {
    let path: Vec<&str> = issue.path.iter().map(String::as_str).collect();
    let root = ctx.root()?;
    let node = root.pointer(path.iter().copied())?;
    let value = node.as_str()?;
    let upper = value.to_ascii_uppercase();
    if upper == value {
        return None;
    }
    let allowed = match path.as_slice() {
        ["source", "type"] => is_upper_token(&upper),
        ["sentiment"] => ["POSITIVE", "NEGATIVE", "NEUTRAL"].contains(&upper.as_str()),
        _ => false,
    };
    if !allowed {
        return None;
    }
    let new = rewrite_scalar(ctx.text(), node, &upper)?;
    let fix = Fix::replace(
        Applicability::Safe,
        format!("Write `{upper}`"),
        node.span.clone(),
        new,
    );
    Some((upper, fix))
}

/// The safe fix for a one-line `title` with whitespace around it: the
/// same words without the blanks, in the value's own quoting.
fn trim_title_fix(ctx: &FileContext<'_>, issue: &SchemaIssue) -> Option<Fix> {
    if issue.path.len() != 1 || issue.path[0] != "title" {
        return None;
    }
    let node = ctx.root()?.get("title")?;
    let value = node.as_str()?;
    let trimmed = value.trim();
    if trimmed == value || trimmed.is_empty() || trimmed.contains(['\n', '\r']) {
        return None;
    }
    let new = rewrite_scalar(ctx.text(), node, trimmed)?;
    Some(Fix::replace(
        Applicability::Safe,
        "Trim the title",
        node.span.clone(),
        new,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::rules::date::testing::*;

    const CODE: &str = InvalidValue::META.code;

    #[test]
    fn a_title_with_blanks_around_it_is_trimmed_in_its_quoting() {
        let text = "---\ntitle: '  Miners pivot  '\n---\n";
        let found = lint_only(CODE, text);
        assert_eq!(found.len(), 1);
        let fix = found[0].fix.as_ref().expect("a fix");
        assert_eq!(fix.applicability, Applicability::Safe);
        assert_eq!(fix.edits[0].replacement, "'Miners pivot'");
        assert_eq!(&text[fix.edits[0].range.clone()], "'  Miners pivot  '");
    }

    fn fixed(text: &str) -> Vec<(String, Option<String>)> {
        lint_only(CODE, text)
            .iter()
            .map(|d| {
                let fix = d.fix.as_ref().map(|f| {
                    assert_eq!(f.applicability, Applicability::Safe);
                    assert_eq!(f.edits.len(), 1);
                    assert_eq!(f.edits[0].range, d.span);
                    format!("{} -> {}", span_text(d), f.edits[0].replacement)
                });
                (d.message.clone(), fix)
            })
            .collect()
    }

    #[test]
    fn examples() {
        check_examples(&InvalidValue::META);
    }

    #[test]
    fn lowercase_tokens_are_uppercased() {
        // Tags and `category` are the editorial format rules' (off here).
        let text = "---\ncategory: mining\nsource:\n  type: \"api\"\ntags:\n  - Bitcoin\n  - 'defi'\nsentiment: positive\n---\n";
        let mut config = only(CODE, Config::default());
        config.editorial.source_types.clear();
        let found = lint_with(config, text);
        let got: Vec<_> = found
            .iter()
            .map(|d| {
                let f = d.fix.as_ref().expect("a fix");
                (
                    span_text(d),
                    f.edits[0].replacement.as_str(),
                    d.help.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("\"api\"", "\"API\"", Some("write it in uppercase: `API`")),
                (
                    "positive",
                    "POSITIVE",
                    Some("write it in uppercase: `POSITIVE`")
                ),
            ]
        );
        let mut text = text.to_owned();
        for d in found.iter().rev() {
            text = apply(&text, d.fix.as_ref().expect("fix"));
        }
        assert!(lint_only(CODE, &text).is_empty(), "{text}");
    }

    #[test]
    fn no_fix_when_the_uppercase_form_is_not_allowed() {
        let text = "---\nsentiment: happy\nsource:\n  type: 'a b'\n---\n";
        let got = fixed(text);
        assert_eq!(got.len(), 2, "{got:#?}");
        assert!(got.iter().all(|(_, fix)| fix.is_none()), "{got:#?}");
    }

    #[test]
    fn lists_own_unlisted_values() {
        let text = "---\nsource:\n  type: rss\n---\n";
        // With editorial/unknown-source-type off (as here), this rule reports
        // the pattern and uppercases the value.
        assert_eq!(
            fixed(text),
            [(
                "`source.type` must be an uppercase token like `RSS` (`A-Z`, digits and `_`)"
                    .to_owned(),
                Some("rss -> RSS".to_owned())
            )]
        );
        // With it on, the default list's rule owns the value, and this one is silent.
        let mut config = only(CODE, Config::default());
        config.rules.remove("editorial/unknown-source-type");
        let found = lint_with(config, text);
        let codes: Vec<_> = found.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["editorial/unknown-source-type"]);
    }
}
