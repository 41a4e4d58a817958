//! What a rule is: metadata taken from its doc comment, and a check over
//! one file's context (or, for cross-file rules, over the corpus index).

use std::ops::Range;
use std::sync::Arc;

use copydesk_schema::frontmatter::{FrontMatter, SplitError};
use copydesk_schema::yaml::{Node, ParseOutcome};
use copydesk_schema::SchemaIssue;

use crate::corpus::CorpusIndex;
use crate::diagnostic::{Diagnostic, Finding, Severity};
pub use crate::fields::Field;
use crate::settings::Settings;
use crate::source::SourceFile;

/// Whether a rule can fix what it finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FixKind {
    /// No automatic fix.
    None,
    /// Fixes are safe (applied by `--fix`).
    Safe,
    /// Fixes are unsafe (need `--unsafe-fixes`).
    Unsafe,
    /// Some findings have a safe fix, some an unsafe one.
    Sometimes,
}

impl FixKind {
    /// How the documentation words it.
    pub fn describe(self) -> &'static str {
        match self {
            FixKind::None => "no automatic fix",
            FixKind::Safe => "safe fix available",
            FixKind::Unsafe => "unsafe fix available (--unsafe-fixes)",
            FixKind::Sometimes => "safe or unsafe fix, depending on the finding",
        }
    }
}

/// A rule's identity and documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleMeta {
    /// `<group>/<rule-name>`, stable forever.
    pub code: &'static str,
    /// Severity when the configuration does not say otherwise.
    pub default_severity: Severity,
    /// Whether it fixes.
    pub fix: FixKind,
    /// Whether it runs when the configuration does not mention it;
    /// opinionated rules are off until a newsroom turns them on.
    pub enabled_by_default: bool,
    /// The rule's doc comment, as written (each line keeps its leading space).
    pub docs: &'static str,
    /// Whether its findings depend on the current time ("now"), so that
    /// time passing can change them without the file changing: the result
    /// cache never reuses such a finding.
    pub time_dependent: bool,
    /// Whether its findings exist only in runs that ask for them
    /// (`--online`, `--changed-since`, `--staged`): a suppression of it
    /// that silences nothing in another run is not "unused".
    pub on_request: bool,
}

/// Where the rules' documentation lives online; a rule's page is
/// `<DOCS_BASE>/<code>.md`.
pub const DOCS_BASE: &str = "https://github.com/copydesk/copydesk/blob/main/docs/rules";

impl RuleMeta {
    /// The first line of the docs.
    pub fn summary(&self) -> &'static str {
        self.docs.lines().next().map_or("", str::trim)
    }

    /// The docs with the doc-comment indentation removed.
    pub fn documentation(&self) -> String {
        let mut out = String::new();
        for line in self.docs.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out
    }

    /// The rule's documentation page in Markdown: its code, default
    /// severity and fix kind, then its docs. `copydesk explain` prints it
    /// and `docs/rules/<code>.md` is generated from it, so the page a
    /// diagnostic links to says what the terminal says.
    pub fn page(&self) -> String {
        let severity = if self.enabled_by_default {
            self.default_severity.to_string()
        } else {
            format!("off by default; {} when turned on", self.default_severity)
        };
        format!(
            "# {} ({}, {})\n\n{}",
            self.code,
            severity,
            self.fix.describe(),
            self.documentation()
        )
    }

    /// Where the rule's documentation lives online.
    pub fn docs_url(&self) -> String {
        format!("{DOCS_BASE}/{}.md", self.code)
    }

    /// The group part of the code (`date` in `date/in-future`).
    pub fn group(&self) -> &'static str {
        self.code.split('/').next().unwrap_or(self.code)
    }
}

/// Everything a per-file rule may look at, computed once per file.
pub struct FileContext<'a> {
    /// The file.
    pub source: &'a Arc<SourceFile>,
    /// The file's path relative to the configuration root, for overrides.
    pub config_path: &'a str,
    /// The resolved configuration.
    pub settings: &'a Settings,
    /// A problem with the file itself (not UTF-8, binary, too large); when
    /// set, no front matter was looked at.
    pub file_problem: Option<FileProblem>,
    /// The split of the file into front matter and body.
    pub split: Option<Result<FrontMatter, SplitError>>,
    /// The YAML parse of the block, when there is one.
    pub parse: Option<ParseOutcome>,
    /// Schema issues of the parsed root (empty when there is no mapping root).
    pub schema_issues: Vec<SchemaIssue>,
    /// Work several rules share, done once per file on first use.
    pub memo: Memo,
}

/// Per-file results that several rules need (parsed cover-image URLs, the
/// body's headings), computed once on first use instead of once per rule.
#[derive(Debug, Default)]
pub struct Memo {
    pub(crate) cover_urls:
        std::sync::OnceLock<Vec<Result<Option<crate::rules::image::parts::ParsedUrl>, String>>>,
    pub(crate) headings: std::sync::OnceLock<Option<Vec<crate::rules::body::Heading>>>,
    pub(crate) text: std::sync::OnceLock<crate::rules::text::Analysis>,
    pub(crate) dates: std::sync::OnceLock<crate::rules::date::Parsed>,
}

/// A problem with the file's bytes that stops any further reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileProblem {
    /// Invalid UTF-8 at this span.
    NotUtf8 {
        /// The first invalid bytes.
        span: Range<usize>,
    },
    /// A UTF-16 byte-order mark: text, but not in UTF-8.
    Utf16 {
        /// The byte-order mark (shown as two U+FFFD in the text).
        span: Range<usize>,
    },
    /// A NUL byte: a binary file.
    Binary {
        /// The first NUL.
        span: Range<usize>,
    },
    /// Larger than the limit.
    TooLarge {
        /// The file's size in bytes; `None` for a stream (the standard
        /// input), read only to one byte past the limit.
        size: Option<u64>,
        /// The limit.
        limit: u64,
    },
}

impl FileContext<'_> {
    /// The file's text.
    pub fn text(&self) -> &str {
        &self.source.text
    }

    /// The front matter, when the file has a well-formed block.
    pub fn front_matter(&self) -> Option<&FrontMatter> {
        self.split.as_ref()?.as_ref().ok()
    }

    /// The parsed root when it is a mapping (the only useful shape).
    pub fn root(&self) -> Option<&Node> {
        self.parse
            .as_ref()?
            .root
            .as_ref()
            .filter(|r| r.as_mapping().is_some())
    }

    /// The body's byte range, when the file has front matter.
    pub fn body(&self) -> Option<std::ops::Range<usize>> {
        self.front_matter().map(|fm| fm.body.clone())
    }

    /// The span of the opening fence (or the file start), where findings
    /// about the block as a whole point.
    pub fn block_anchor(&self) -> std::ops::Range<usize> {
        self.front_matter().map_or(0..0, |fm| fm.open_fence.clone())
    }
}

/// A rule. Per-file rules implement [`Rule::check`]; cross-file rules
/// implement [`Rule::check_corpus`].
pub trait Rule: Send + Sync {
    /// Identity and docs.
    fn meta(&self) -> &'static RuleMeta;

    /// The front-matter keys (dotted paths) the rule reads besides its
    /// [`Rule::fields`]. With a newsroom's own schema (`[contract]
    /// schema`), a rule is not run unless the schema defines every one of
    /// them: a rule about a key the newsroom does not have would only be
    /// noise. Empty: always run.
    fn keys(&self) -> &'static [&'static str] {
        &[]
    }

    /// The `[fields]` the rule needs: it is not run unless each is mapped
    /// (not `""`) and, with a newsroom's own schema, the schema defines
    /// the mapped key.
    fn fields(&self) -> &'static [Field] {
        &[]
    }

    /// Why the rule does not run with these settings (`"[fields] published
    /// is not mapped"`), or `None` when it runs: by default, when the
    /// contract defines all of its [`Rule::keys`] and its [`Rule::fields`]
    /// are mapped and defined. A rule that checks one of the built-in
    /// contract's own conventions also asks that the contract be the
    /// built-in one, or that the newsroom configured the convention.
    fn inactive_reason(&self, settings: &Settings) -> Option<String> {
        settings.unmet(self.keys(), self.fields())
    }

    /// Whether the rule runs with these settings (worked out once per
    /// configuration: [`Settings::is_active`]).
    fn active(&self, settings: &Settings) -> bool {
        self.inactive_reason(settings).is_none()
    }

    /// Reports findings in one file.
    fn check(&self, _ctx: &FileContext<'_>, _out: &mut Vec<Finding>) {}

    /// Reports findings across files; each diagnostic is in the file it
    /// concerns, with `related` spans into the others, at the severity the
    /// configuration gives that file, and only for files whose findings
    /// are shown (`rules::corpus::level` says both).
    fn check_corpus(&self, _index: &CorpusIndex, _settings: &Settings, _out: &mut Vec<Diagnostic>) {
    }
}

/// Declares a rule type whose doc comment is its documentation.
///
/// ```ignore
/// declare_rule! {
///     /// One-line summary.
///     ///
///     /// ## Why is this bad?
///     /// ...
///     pub struct MissingFrontMatter {
///         code: "frontmatter/missing",
///         severity: Error,
///         fix: None,
///     }
/// }
/// ```
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])+
        $vis:vis struct $name:ident {
            code: $code:literal,
            severity: $sev:ident,
            fix: $fix:ident
            $(, enabled: $enabled:literal)?
            $(, time_dependent: $time:literal)?
            $(, on_request: $req:literal)? $(,)?
        }
    ) => {
        $(#[doc = $doc])+
        #[derive(Debug, Clone, Copy, Default)]
        $vis struct $name;

        impl $name {
            /// This rule's identity and documentation.
            pub const META: $crate::rule::RuleMeta = $crate::rule::RuleMeta {
                code: $code,
                default_severity: $crate::diagnostic::Severity::$sev,
                fix: $crate::rule::FixKind::$fix,
                enabled_by_default: true $(&& $enabled)?,
                docs: concat!($($doc, "\n"),+),
                time_dependent: false $(|| $time)?,
                on_request: false $(|| $req)?,
            };
        }
    };
}
