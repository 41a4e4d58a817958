//! `text/near-duplicate-tag`.

use std::borrow::Cow;

use copydesk_schema::yaml::Node;

use crate::declare_rule;
use crate::diagnostic::{Applicability, Finding, Fix};
use crate::rule::{FileContext, Rule, RuleMeta};

use super::{group_by, report, Field, Kind};

declare_rule! {
    /// A tag that differs from another tag of the article only in letter case or spacing (`Bitcoin  News` next to `BITCOIN NEWS`).
    ///
    /// ## Why is this bad?
    ///
    /// The site lists both as one topic or, worse, as two: the article shows
    /// the same tag twice. Exact repeats are `schema/duplicate-item`'s; this
    /// rule reports the variants, and while it is on `schema/invalid-value`
    /// does not report a variant's case again. The tag written in the
    /// contract's form (uppercase, single spaces) is the one kept.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// tags:
    ///   - BITCOIN NEWS
    ///   - Bitcoin  News
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// tags:
    ///   - BITCOIN NEWS
    ///   - BITCOIN
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Safe when the variant stands on a line of its own: the line is
    /// removed (the other spelling stays).
    pub struct NearDuplicateTag {
        code: "text/near-duplicate-tag",
        severity: Error,
        fix: Safe,
    }
}

impl Rule for NearDuplicateTag {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        report(ctx, Kind::NearDuplicateTag, out);
    }
}

/// `tag` uppercased, with whitespace runs as one space and edges trimmed;
/// borrowed when the tag is already written so (the usual case).
fn key(tag: &str) -> Cow<'_, str> {
    let canonical = !tag.starts_with(' ')
        && !tag.ends_with(' ')
        && !tag.contains("  ")
        && tag
            .chars()
            .all(|c| !c.is_lowercase() && (c == ' ' || !c.is_whitespace()));
    if canonical {
        return Cow::Borrowed(tag);
    }
    Cow::Owned(
        tag.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_uppercase(),
    )
}

/// The bytes of the whole line holding `span` when that line is just
/// `- item`, newline included.
fn own_line(text: &str, span: &std::ops::Range<usize>) -> Option<std::ops::Range<usize>> {
    let start = text.get(..span.start)?.rfind('\n').map_or(0, |i| i + 1);
    let end = text
        .get(span.end..)?
        .find('\n')
        .map_or(text.len(), |i| span.end + i + 1);
    let before = text.get(start..span.start)?.trim();
    let after = text.get(span.end..end)?.trim();
    (before == "-" && after.is_empty()).then_some(start..end)
}

/// The tags that are variants of another, each with its finding.
pub(super) fn variants(
    ctx: &FileContext<'_>,
    fields: &[(Field, &Node, &str)],
) -> Vec<(Field, Finding)> {
    let tags: Vec<(usize, &Node, &str)> = fields
        .iter()
        .filter_map(|&(f, node, value)| match f {
            Field::Tag(i) => Some((i, node, value)),
            _ => None,
        })
        .collect();
    if tags.len() < 2 {
        return Vec::new();
    }
    let groups = group_by(
        tags.iter()
            .enumerate()
            .map(|(pos, (_, _, value))| (pos, key(value))),
    );
    let mut out = Vec::new();
    for group in groups.iter().filter(|g| g.len() > 1) {
        // Keep the tag already in the contract's form, else the first.
        let kept = group
            .iter()
            .copied()
            .find(|&p| key(tags[p].2) == tags[p].2)
            .unwrap_or(group[0]);
        let (_, kept_node, kept_value) = tags[kept];
        for (n, &p) in group.iter().enumerate() {
            let (i, node, value) = tags[p];
            // An exact repeat is schema/duplicate-item's finding.
            if p == kept || value == kept_value || group[..n].iter().any(|&q| tags[q].2 == value) {
                continue;
            }
            let mut finding = Finding::new(
                node.span.clone(),
                format!("tag `{value}` repeats `{kept_value}` in another case or spacing"),
            )
            .label(
                kept_node.span.clone(),
                format!("`{kept_value}` is listed here"),
            )
            .help(format!("remove it and keep `{kept_value}`"));
            if let Some(line) = own_line(ctx.text(), &node.span) {
                finding = finding.fix(Fix::replace(
                    Applicability::Safe,
                    format!("Remove the tag `{value}`"),
                    line,
                    "",
                ));
            }
            out.push((Field::Tag(i), finding));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::rules::date::testing::*;

    #[test]
    fn examples() {
        check_examples(&NearDuplicateTag::META);
    }

    #[test]
    fn fixtures() {
        check_fixtures(NearDuplicateTag::META.code);
    }

    #[test]
    fn the_contract_form_is_kept_and_one_problem_is_one_finding() {
        let text = "---\ntags:\n  - Bitcoin  News\n  - BITCOIN NEWS\n  - MINING\n---\n";
        let found: Vec<_> = lint_with(Config::default(), text)
            .into_iter()
            // The contract of the day may or may not allow `BITCOIN NEWS`;
            // what matters is that the variant has one finding.
            .filter(|d| d.code.starts_with("text/") || span_text(d) == "Bitcoin  News")
            .collect();
        let got: Vec<_> = found.iter().map(|d| (d.code, span_text(d))).collect();
        assert_eq!(got, [("text/near-duplicate-tag", "Bitcoin  News")]);
        let fixed = apply(text, found[0].fix.as_ref().expect("fix"));
        assert_eq!(fixed, "---\ntags:\n  - BITCOIN NEWS\n  - MINING\n---\n");
    }
}
