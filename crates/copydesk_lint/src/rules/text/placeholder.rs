//! `text/placeholder`.

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{FileContext, Rule, RuleMeta};

use super::{report, Kind};

declare_rule! {
    /// A placeholder published as text: `undefined`, `null`, `TODO`, `[object Object]`, lorem ipsum, an unfilled `{{title}}`.
    ///
    /// ## Why is this bad?
    ///
    /// A pipeline that failed to fill a field writes what its language prints
    /// for nothing (`undefined`, `null`, `NaN`, `[object Object]`), a writer
    /// leaves `TODO` or `TBD`, a template its field (`{{title}}`): readers see
    /// it as the headline. Whole values are compared with `text.placeholders`
    /// (ignoring case); `lorem ipsum` and template fields are found anywhere,
    /// and a writer's note opening the value (`TODO:`, `TBD:`, `FIXME:`,
    /// `TK:`) is reported on the note.
    /// A word inside a real sentence is not a placeholder: "Court rules
    /// contract null and void" is a headline.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// title: undefined
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// title: Court rules crypto lending contract null and void
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Write the real text. Add or remove placeholders with
    /// `text.placeholders` in copydesk.toml.
    pub struct Placeholder {
        code: "text/placeholder",
        severity: Error,
        fix: None,
    }
}

impl Rule for Placeholder {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        report(ctx, Kind::Placeholder, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::date::testing::*;

    #[test]
    fn examples() {
        check_examples(&Placeholder::META);
    }

    #[test]
    fn fixtures() {
        check_fixtures(Placeholder::META.code);
    }
}
