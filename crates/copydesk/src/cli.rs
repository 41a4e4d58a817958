//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Lint news articles: Markdown files whose front matter (YAML, TOML or JSON) must follow a contract.
#[derive(Debug, Parser)]
#[command(
    name = "copydesk",
    version,
    propagate_version = true,
    after_help = "Start with `copydesk check` in the folder holding copydesk.toml (or your articles); `copydesk init` writes a commented configuration."
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint articles (files, folders or globs; the configured content roots by default).
    // Boxed: the check has many more options than the other subcommands.
    #[command(after_help = CHECK_AFTER_HELP)]
    Check(Box<CheckArgs>),
    /// List every rule with its default severity and fix.
    Rules(RulesArgs),
    /// Print a rule's documentation.
    Explain {
        /// The rule's code, e.g. `date/not-utc`.
        code: String,
    },
    /// Print the JSON Schema of the front matter (or of copydesk.toml with --config).
    Schema {
        /// Print the configuration's schema instead.
        #[arg(long)]
        config: bool,
    },
    /// Run the language server on stdin/stdout (for editors).
    Server {
        /// The current time for date rules (RFC 3339), for reproducible runs.
        #[arg(long, value_name = "TIMESTAMP")]
        now: Option<String>,
        /// Accepted for clients that pass it; stdio is the only transport.
        #[arg(long, hide = true)]
        stdio: bool,
    },
    /// Write copydesk.toml in the current directory: the commented defaults, or with --infer a contract learned from the articles.
    Init(InitArgs),
}

/// What `copydesk check --help` ends with: the exit codes.
const CHECK_AFTER_HELP: &str = "Exit codes:
  0  no error-severity finding (warnings alone pass, unless --max-warnings)
  1  at least one error finding, more warnings than --max-warnings, or with --diff something to fix
  2  copydesk failed: bad arguments or configuration, an unreadable file, a fix not written";

/// Arguments of `copydesk init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Overwrite an existing copydesk.toml (and, with --infer, the learned schema).
    #[arg(long)]
    pub force: bool,
    /// Learn the front matter (keys, types, required keys, date formats, small value sets,
    /// [fields], content roots) from the existing articles, and write it as
    /// schemas/front-matter.schema.json referenced from copydesk.toml.
    #[arg(long)]
    pub infer: bool,
    /// With --infer: the share of files a key must be in to be required.
    #[arg(long, value_name = "SHARE", default_value_t = 0.95, value_parser = share, requires = "infer")]
    pub required_share: f64,
    /// With --infer: files or folders to learn from (default: the working directory, where the
    /// content roots are found).
    #[arg(requires = "infer")]
    pub paths: Vec<String>,
}

/// A share between 0 (exclusive) and 1.
fn share(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v <= 1.0 => Ok(v),
        _ => Err(format!(
            "{s:?} is not a share: write a number above 0 and at most 1, such as 0.95"
        )),
    }
}

/// Arguments of `copydesk rules`.
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Print JSON instead of a table (the same as `--format json`).
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// Output format, as `check --format` names them.
    #[arg(long, value_enum, default_value_t = RulesFormat::Table)]
    pub format: RulesFormat,
    /// Use this configuration file instead of searching for copydesk.toml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<std::path::PathBuf>,
}

/// Output formats of `copydesk rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    /// A table: code, level, fix and summary.
    Table,
    /// A JSON array, one object per rule.
    Json,
}

/// Output formats of `copydesk check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Each finding with the lines it points at, labels and help (the default).
    Full,
    /// One line per finding: `path:line:col: severity[code] message`.
    Concise,
    /// A JSON array of findings.
    Json,
    /// SARIF 2.1.0 (GitHub code scanning).
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// JUnit XML.
    Junit,
    /// GitLab Code Quality JSON.
    Gitlab,
}

/// When `copydesk check` uses colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// When writing to a terminal, unless `NO_COLOR` is set (non-empty);
    /// `CLICOLOR_FORCE` (non-empty, not `0`) forces them.
    Auto,
    /// Always, whatever the environment says.
    Always,
    /// Never.
    Never,
}

/// Arguments of `copydesk check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files, folders or globs to lint; `-` reads stdin. Defaults to the configured content roots.
    pub paths: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Full)]
    pub format: Format,
    /// Run only these rules: codes (`date/not-utc`), groups (`date`) or `ALL`, comma-separated;
    /// replaces the rules the configuration turns on. A group or `ALL` leaves rules that are off by
    /// default off: name those by code.
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    pub select: Option<Vec<String>>,
    /// Also run these rules (codes, groups or `ALL`, comma-separated).
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    pub extend_select: Vec<String>,
    /// Do not run these rules (codes, groups or `ALL`, comma-separated). The most specific name
    /// wins: `--ignore corpus --select corpus/duplicate-title` runs that rule.
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Print the findings and nothing else: no summary, fix count or warnings (copydesk's own
    /// errors still go to stderr).
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Use colours: `auto` when writing to a terminal (honouring NO_COLOR and CLICOLOR_FORCE),
    /// `always` or `never`.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// The current time for date rules (RFC 3339), for reproducible runs.
    #[arg(long, value_name = "TIMESTAMP")]
    pub now: Option<String>,
    /// Use this configuration file instead of searching for copydesk.toml.
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Lint stdin as if it were the file at PATH.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<String>,
    /// Fail when there are more than N warnings.
    #[arg(long, value_name = "N")]
    pub max_warnings: Option<usize>,
    /// Write the report to this file instead of stdout.
    #[arg(long, short = 'o', value_name = "PATH")]
    pub output_file: Option<PathBuf>,
    /// Print the number of findings per rule instead of the findings (a table, or JSON with --format json).
    #[arg(long)]
    pub statistics: bool,
    /// Exit 0 even when there are findings (errors of copydesk itself still exit 2).
    #[arg(long)]
    pub exit_zero: bool,
    /// Report only findings not recorded in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings in this baseline file (and exit 0).
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Skip named files that the configuration leaves out (exclude, include, content-roots), as the pre-commit hook does.
    #[arg(long)]
    pub force_exclude: bool,
    /// Lint only the articles changed since REF (compared at its merge base with HEAD; the work tree included) and run the `history/*` rules on them.
    #[arg(long, value_name = "REF", conflicts_with_all = ["paths", "stdin_filename", "staged"])]
    pub changed_since: Option<String>,
    /// Lint only the articles staged in the git index, as staged, and run the `history/*` rules against HEAD.
    #[arg(long, conflicts_with_all = ["paths", "stdin_filename", "fix", "diff"])]
    pub staged: bool,
    /// Neither read nor write the result cache (`.copydesk_cache/`).
    #[arg(long)]
    pub no_cache: bool,
    /// Apply safe fixes in place.
    #[arg(long)]
    pub fix: bool,
    /// Also apply unsafe fixes (with --fix or --diff); alone, count them as fixable in the summary and --statistics.
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print the fixes as a unified diff instead of writing them (exit 1 when there are any, whatever else remains).
    #[arg(long)]
    pub diff: bool,
    /// Also request each distinct cover image URL (allowed hosts only) and report those that do not load.
    #[arg(long)]
    pub online: bool,
    /// Render `full` reports at this width (default: the terminal's, or 100).
    #[arg(long, value_name = "COLUMNS", hide = true)]
    pub width: Option<usize>,
}
