//! The markdown body: present, no level-1 heading, no skipped level.
//!
//! The body is parsed with pulldown-cmark (CommonMark) on the text after
//! the closing fence; its offsets are shifted by the body's start so every
//! span is a byte range into the whole file. Body rules only run on files
//! with a well-formed front-matter block: without one, the file is not
//! known to be an article, and `frontmatter/missing` says all there is to say.

pub mod empty_body;
pub mod heading_level_skip;
pub mod language_mismatch;
pub mod level_one_heading;

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag};

use crate::rule::{FileContext, Rule};

/// The rules of this group (the registry sorts them with all the others).
pub(crate) static RULES: &[&dyn Rule] = &[
    &empty_body::EmptyBody,
    &heading_level_skip::HeadingLevelSkip,
    &language_mismatch::LanguageMismatch,
    &level_one_heading::LevelOneHeading,
];

/// A heading of the body (ATX `## x` or setext `x` + `---`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The heading's bytes in the file, without the trailing line ending.
    pub span: Range<usize>,
}

/// The body's headings in document order, with spans into the file; `None`
/// when the file has no well-formed front-matter block.
pub(crate) fn headings<'a>(ctx: &'a FileContext<'_>) -> Option<&'a [Heading]> {
    ctx.memo
        .headings
        .get_or_init(|| parse_headings(ctx))
        .as_deref()
}

fn parse_headings(ctx: &FileContext<'_>) -> Option<Vec<Heading>> {
    let body = ctx.body()?;
    let text = ctx.text().get(body.clone())?;
    let mut out = Vec::new();
    for (event, range) in Parser::new_ext(text, Options::empty()).into_offset_iter() {
        let Event::Start(Tag::Heading { level, .. }) = event else {
            continue;
        };
        // pulldown-cmark's heading range may include the line ending and,
        // for setext headings, both lines; the label should hug the text.
        let raw = text.get(range.clone()).unwrap_or_default();
        let trimmed = raw.trim_end();
        out.push(Heading {
            level: level as u8,
            span: body.start + range.start..body.start + range.start + trimmed.len(),
        });
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Settings;

    pub(crate) fn lint_only(code: &str, text: &str) -> Vec<crate::Diagnostic> {
        let mut config = crate::config::Config::default();
        for meta in crate::registry::metas() {
            if meta.code != code {
                config
                    .rules
                    .insert(meta.code.to_owned(), crate::config::RuleLevel::Off);
            }
        }
        let settings = Settings::new(config, jiff::Timestamp::UNIX_EPOCH).expect("settings");
        crate::lint_text(&settings, "a.md", "a.md", text.to_owned()).diagnostics
    }

    #[test]
    fn heading_spans_are_file_offsets_for_atx_and_setext() {
        let text = "\u{feff}---\r\ntitle: x\r\n---\r\n## Two\r\n\r\nThree\r\n-----\r\n";
        let src = std::sync::Arc::new(crate::SourceFile::new("a.md", text));
        let settings = Settings::with_defaults(jiff::Timestamp::UNIX_EPOCH);
        let split = copydesk_schema::frontmatter::split(text);
        let ctx = FileContext {
            source: &src,
            config_path: "a.md",
            settings: &settings,
            file_problem: None,
            split: Some(split),
            parse: None,
            schema_issues: Vec::new(),
            memo: crate::rule::Memo::default(),
        };
        let hs = headings(&ctx).expect("front matter");
        let shown: Vec<(u8, &str)> = hs
            .iter()
            .map(|h| (h.level, &text[h.span.clone()]))
            .collect();
        assert_eq!(shown, vec![(2, "## Two"), (2, "Three\r\n-----")]);
    }

    #[test]
    fn no_front_matter_means_no_body_findings() {
        for code in [
            "body/empty-body",
            "body/level-one-heading",
            "body/heading-level-skip",
        ] {
            assert!(
                lint_only(code, "# Digest\n\n#### deep\n").is_empty(),
                "{code}"
            );
            assert!(lint_only(code, "").is_empty(), "{code}");
        }
    }
}
