//! `file/binary`.

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{FileContext, FileProblem, Rule, RuleMeta};

declare_rule! {
    /// The file contains NUL bytes: it is binary, not a markdown article.
    ///
    /// ## Why is this bad?
    ///
    /// A binary file with an article's extension is usually a mis-saved
    /// upload or a corrupted checkout. No front matter can be read from it,
    /// so nothing about it can be checked.
    ///
    /// ## Examples
    ///
    /// Invalid: a file holding `PNG\0\0\0` saved as `cover.md`.
    ///
    /// Valid: a UTF-8 text file.
    ///
    /// ## Fix
    ///
    /// Remove the file, or give it an extension copydesk does not lint.
    pub struct BinaryFile {
        code: "file/binary",
        severity: Error,
        fix: None,
    }
}

impl Rule for BinaryFile {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        if let Some(FileProblem::Binary { span }) = &ctx.file_problem {
            out.push(
                Finding::new(
                    span.clone(),
                    "the file contains a NUL byte: it is binary, not a markdown article",
                )
                .help("remove it or rename it to an extension that is not linted"),
            );
        }
    }
}
