//! Applying fixes: text edits on the original bytes, repeated until no
//! fix applies.
//!
//! Fixes never re-serialise the YAML, so comments, quoting, key order and
//! the body are untouched outside each edit. Overlapping fixes are left for
//! the next pass, which re-lints the edited text; the number of passes is
//! bounded so that two fixes undoing each other cannot loop forever.

use crate::diagnostic::{Applicability, Diagnostic, Edit};
use crate::lint::{lint_text, FileReport};
use crate::settings::Settings;

/// How many lint-and-fix passes are made at most.
pub const MAX_PASSES: usize = 10;

/// Which fixes to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixMode {
    /// Only safe fixes (`--fix`).
    Safe,
    /// Safe and unsafe fixes (`--fix --unsafe-fixes`).
    Unsafe,
}

impl FixMode {
    /// Whether a fix of this applicability is applied in this mode.
    pub fn allows(self, a: Applicability) -> bool {
        match self {
            FixMode::Safe => a == Applicability::Safe,
            FixMode::Unsafe => true,
        }
    }
}

/// Whether two edits cannot both be applied: they share a byte, or touch
/// the same point, where they would apply in an arbitrary order (a pure
/// insert strictly before another edit is fine).
fn conflict(e: &Edit, a: &Edit) -> bool {
    e.range.start < a.range.end && a.range.start < e.range.end
        || e.range.start == a.range.start
        || (e.range.is_empty() && e.range.start == a.range.end)
        || (a.range.is_empty() && a.range.start == e.range.end)
}

/// Applies the allowed, non-overlapping fixes of `diagnostics` to `text`
/// in one pass; returns the new text and how many fixes were applied.
pub fn apply_once(text: &str, diagnostics: &[Diagnostic], mode: FixMode) -> (String, usize) {
    let mut fixes: Vec<&[Edit]> = diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| mode.allows(f.applicability) && !f.edits.is_empty())
        .map(|f| f.edits.as_slice())
        .collect();
    fixes.sort_by_key(|edits| edits.iter().map(|e| e.range.start).min().unwrap_or(0));
    let mut accepted: Vec<&Edit> = Vec::new();
    let mut applied = 0;
    for edits in fixes {
        let valid = edits.iter().all(|e| {
            e.range.start <= e.range.end
                && e.range.end <= text.len()
                && text.is_char_boundary(e.range.start)
                && text.is_char_boundary(e.range.end)
        });
        // A fix whose own edits conflict is broken: applying it would
        // mangle the text (or panic on a backwards slice), so it is skipped.
        let consistent = edits
            .iter()
            .enumerate()
            .all(|(i, e)| edits[i + 1..].iter().all(|o| !conflict(e, o)));
        let overlaps = edits
            .iter()
            .any(|e| accepted.iter().any(|a| conflict(e, a)));
        if valid && consistent && !overlaps {
            accepted.extend(edits.iter());
            applied += 1;
        }
    }
    accepted.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for e in accepted {
        out.push_str(&text[pos..e.range.start]);
        out.push_str(&e.replacement);
        pos = e.range.end;
    }
    out.push_str(&text[pos..]);
    (out, applied)
}

/// The result of fixing one file.
#[derive(Debug, Clone)]
pub struct FixOutcome {
    /// The fixed text (equal to the input when nothing applied).
    pub text: String,
    /// How many fixes were applied over all passes.
    pub applied: usize,
    /// The lint report of the final text.
    pub report: FileReport,
}

/// Lints `text` and applies fixes until none applies (at most
/// [`MAX_PASSES`] passes). A pass whose result no longer parses is
/// discarded, so fixing never turns a readable file unreadable.
pub fn fix_text(
    settings: &Settings,
    path: &str,
    config_path: &str,
    text: String,
    mode: FixMode,
) -> FixOutcome {
    let report = lint_text(settings, path, config_path, text);
    fix_report(settings, report, mode)
}

/// [`fix_text`] for a file already linted: `report` is the lint of its
/// text, which is not linted again.
pub fn fix_report(settings: &Settings, mut report: FileReport, mode: FixMode) -> FixOutcome {
    let mut current = report.source.text.to_string();
    let path = report.source.path.clone();
    let config_path = report.config_path.clone();
    let (path, config_path) = (path.as_str(), config_path.as_str());
    let mut applied = 0;
    if !report.parsed {
        return FixOutcome {
            text: current,
            applied,
            report,
        };
    }
    for _ in 0..MAX_PASSES {
        // A suppressed finding is accepted as it is: never fix it.
        let wanted: Vec<Diagnostic> = report
            .diagnostics
            .iter()
            .filter(|d| !crate::suppress::silenced(&report.suppressions, d))
            .cloned()
            .collect();
        let (next, n) = apply_once(&current, &wanted, mode);
        if n == 0 || next == current {
            break;
        }
        let next_report = lint_text(settings, path, config_path, next.clone());
        if !next_report.parsed {
            break;
        }
        applied += n;
        current = next;
        report = next_report;
    }
    FixOutcome {
        text: current,
        applied,
        report,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn settings() -> Settings {
        let now = "2026-11-22T00:00:00Z".parse().expect("timestamp");
        Settings::new(Config::default(), now).expect("defaults")
    }

    #[test]
    fn quotes_an_unquoted_id_and_keeps_everything_else() {
        let text =
            "---\n# a comment\nexternalId: 0042 # trailing\ndraft: no\n---\nBody\n".to_owned();
        let out = fix_text(&settings(), "a.md", "a.md", text.clone(), FixMode::Safe);
        assert_eq!(
            out.text,
            "---\n# a comment\nexternalId: '0042' # trailing\ndraft: no\n---\nBody\n"
        );
        let out = fix_text(&settings(), "a.md", "a.md", text, FixMode::Unsafe);
        assert!(out.text.contains("draft: false\n"), "{}", out.text);
    }

    #[test]
    fn overlapping_edits_wait_for_the_next_pass() {
        use crate::diagnostic::{Finding, Fix, Severity};
        use crate::source::SourceFile;
        use std::sync::Arc;
        let source = Arc::new(SourceFile::new("a.md", "abcdef"));
        let diag = |range: std::ops::Range<usize>, with: &str, a: Applicability| {
            let f = Finding::new(range.clone(), "m").fix(Fix::replace(a, "f", range, with));
            Diagnostic::from_finding("x/y", Severity::Error, &source, f)
        };
        let diags = [
            diag(1..3, "X", Applicability::Safe),
            diag(2..4, "Y", Applicability::Safe),
            diag(4..5, "Z", Applicability::Safe),
            diag(5..6, "U", Applicability::Unsafe),
        ];
        assert_eq!(
            apply_once("abcdef", &diags, FixMode::Safe),
            ("aXdZf".to_owned(), 2)
        );
        assert_eq!(
            apply_once("abcdef", &diags, FixMode::Unsafe),
            ("aXdZU".to_owned(), 3)
        );
    }

    #[test]
    fn a_fix_whose_own_edits_overlap_is_skipped() {
        use crate::diagnostic::{Finding, Fix, Severity};
        use crate::source::SourceFile;
        use std::sync::Arc;
        let source = Arc::new(SourceFile::new("a.md", "abcdef"));
        let edit = |range: std::ops::Range<usize>, with: &str| Edit {
            range,
            replacement: with.to_owned(),
        };
        let fix = Fix {
            applicability: Applicability::Safe,
            message: "f".into(),
            edits: vec![edit(3..5, "X"), edit(1..4, "Y")],
        };
        let d = Diagnostic::from_finding(
            "x/y",
            Severity::Error,
            &source,
            Finding::new(0..0, "m").fix(fix),
        );
        assert_eq!(
            apply_once("abcdef", &[d], FixMode::Safe),
            ("abcdef".to_owned(), 0)
        );
    }
}
