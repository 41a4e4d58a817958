//! `file/too-large`.

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{FileContext, FileProblem, Rule, RuleMeta};

declare_rule! {
    /// The file is larger than copydesk reads.
    ///
    /// ## Why is this bad?
    ///
    /// No article is megabytes long; a huge file is a dump, a log or an
    /// embedded blob committed by mistake, and reading it would slow every
    /// run down.
    ///
    /// ## Examples
    ///
    /// Invalid: a 50 MB `export.md`.
    ///
    /// Valid: an article of a few kilobytes.
    ///
    /// ## Fix
    ///
    /// Remove the file or exclude it in `copydesk.toml` (`exclude = ["export.md"]`).
    pub struct TooLarge {
        code: "file/too-large",
        severity: Error,
        fix: None,
    }
}

impl Rule for TooLarge {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        if let Some(FileProblem::TooLarge { size, limit }) = &ctx.file_problem {
            // A stream (the standard input) is read only to one byte past
            // the limit: its size is not known, only that it is larger.
            let size = match size {
                Some(size) => size.to_string(),
                None => format!("more than {limit}"),
            };
            out.push(
                Finding::new(
                    0..0,
                    format!("the file is {size} bytes; copydesk reads files up to {limit} bytes"),
                )
                .help("remove the file or add it to `exclude` in copydesk.toml"),
            );
        }
    }
}
