//! `frontmatter/missing`.

use copydesk_schema::SplitError;

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{FileContext, Rule, RuleMeta};

declare_rule! {
    /// The file does not start with a front-matter block.
    ///
    /// ## Why is this bad?
    ///
    /// Without front matter an article has no title, dates, language or
    /// source: the site cannot list it, and none of its metadata can be
    /// checked. The block must start on the very first line of the file.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// AI Funding Pulse
    ///
    /// Bitcoin miners pivot to AI data centers.
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// title: AI Funding Pulse
    /// ---
    /// Bitcoin miners pivot to AI data centers.
    /// ```
    ///
    /// ## Fix
    ///
    /// Add a block at the top of the file: a line `---`, the article's keys
    /// (`title`, `description`, `publishedAt`, …), and a closing `---`.
    pub struct MissingFrontMatter {
        code: "frontmatter/missing",
        severity: Error,
        fix: None,
    }
}

impl Rule for MissingFrontMatter {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        let Some(Err(SplitError::Missing {
            first_line,
            late_fence,
        })) = &ctx.split
        else {
            return;
        };
        let finding = match late_fence {
            Some(fence) => Finding::new(
                fence.clone(),
                "the front matter does not start on the first line of the file",
            )
            .help("remove the blank lines before this `---`: the block must open at the very top"),
            None => {
                let contract = ctx.settings.contract();
                let keys = if contract.is_builtin() {
                    "title, description, publishedAt, updatedAt, lang, externalId, source, \
                     category, tags, draft, coverImage"
                        .to_owned()
                } else {
                    // The newsroom's own schema: name the keys it requires.
                    contract
                        .schema()
                        .get("required")
                        .and_then(|r| r.as_array())
                        .map(|r| {
                            r.iter()
                                .filter_map(|k| k.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        })
                        .filter(|k| !k.is_empty())
                        .unwrap_or_else(|| "those of your contract".to_owned())
                };
                Finding::new(first_line.clone(), "the file has no front matter").help(format!(
                    "add a block at the top of the file: a line `---`, the article's keys \
                     ({keys}), and a closing `---`"
                ))
            }
        };
        out.push(finding);
    }
}
