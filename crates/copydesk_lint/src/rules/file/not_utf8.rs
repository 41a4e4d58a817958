//! `file/not-utf8`.

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{FileContext, FileProblem, Rule, RuleMeta};

declare_rule! {
    /// The file is not valid UTF-8.
    ///
    /// ## Why is this bad?
    ///
    /// Articles are UTF-8. A file in Latin-1 or Windows-1252 shows as
    /// mojibake (`CafÃ©`) on the site, and its front matter cannot be
    /// trusted to say what it seems to say.
    ///
    /// ## Examples
    ///
    /// Invalid: a title containing the byte `0xE9` (Latin-1 `é`), or a file
    /// saved as UTF-16 (it starts with the bytes `0xFF 0xFE`).
    ///
    /// Valid: the same title saved as UTF-8 (`0xC3 0xA9`).
    ///
    /// ## Fix
    ///
    /// Re-save the file as UTF-8, e.g. `iconv -f WINDOWS-1252 -t UTF-8`.
    pub struct NotUtf8 {
        code: "file/not-utf8",
        severity: Error,
        fix: None,
    }
}

impl Rule for NotUtf8 {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        match &ctx.file_problem {
            Some(FileProblem::NotUtf8 { span }) => out.push(
                Finding::new(
                    span.clone(),
                    "the file is not valid UTF-8: this byte is not a character",
                )
                .help("re-save the file as UTF-8 (e.g. `iconv -f WINDOWS-1252 -t UTF-8`)"),
            ),
            Some(FileProblem::Utf16 { span }) => out.push(
                Finding::new(
                    span.clone(),
                    "the file is UTF-16, not UTF-8: it starts with a UTF-16 byte-order mark",
                )
                .help("re-save the file as UTF-8 (e.g. `iconv -f UTF-16 -t UTF-8`)"),
            ),
            _ => {}
        }
    }
}
