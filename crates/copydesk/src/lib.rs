//! The `copydesk` command's machinery, as a library so that tests can reuse
//! it: the subcommands, `check`'s stages and the output formats. What the
//! language server shares with it (configuration, discovery, the cache) is
//! in `copydesk_workspace`; `main.rs` only calls [`main`].

pub mod baseline;
pub mod check;
pub mod cli;
pub mod color;
pub mod config_file;
pub mod fuzzing;
mod history;
pub mod init_infer;
pub mod online;
pub mod render;

// Discovery and the result cache live in the workspace crate the language
// server shares; re-exported under their old names.
pub use copydesk_workspace::{cache, discover};

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use copydesk_lint::registry;

use crate::cli::{Cli, Command};

/// Writes `text` to stdout; a closed pipe (`| head`) is not an error.
pub fn print(text: &str) -> Result<u8, String> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(0),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(0),
        Err(e) => Err(format!("cannot write to stdout: {e}")),
    }
}

/// Runs the `copydesk` command with the process's arguments and returns
/// its exit code: 0 clean, 1 findings, 2 copydesk could not do its job.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Rules(args) => rules(&args),
        Command::Explain { code } => explain(&code),
        Command::Schema { config } => print(&if config {
            copydesk_lint::config::config_schema_json()
        } else {
            copydesk_schema::article_schema_json()
        }),
        Command::Init(args) => config_file::init(&args),
        Command::Server { now, stdio: _ } => server(now.as_deref()),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            let _ = writeln!(std::io::stderr(), "copydesk: error: {message}");
            ExitCode::from(2)
        }
    }
}

/// `copydesk server`: the language server on stdio.
fn server(now: Option<&str>) -> Result<u8, String> {
    let now = match now {
        None => None,
        Some(s) => Some(
            s.parse::<jiff::Timestamp>()
                .map_err(|e| format!("--now {s:?} is not an RFC 3339 timestamp: {e}"))?,
        ),
    };
    copydesk_server::run_stdio(copydesk_server::Options { now }, |line| {
        let _ = writeln!(std::io::stderr(), "copydesk server: {line}");
    })
}

/// `copydesk rules`: every rule, as the configuration in force (found as
/// `check` finds it) runs it.
fn rules(args: &cli::RulesArgs) -> Result<u8, String> {
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the working directory: {e}"))?;
    let loaded = config_file::load(args.config.as_deref(), &cwd)?;
    let settings = config_file::settings(&loaded, jiff::Timestamp::now())?;
    let json = args.json || args.format == cli::RulesFormat::Json;
    print(&rules_table(&settings, json))
}

/// The rules as a table (or JSON): code, severity, fix and summary; a rule
/// the configuration turns off says `off`, and one that cannot run with
/// it (a field not mapped, a key the schema lacks) says `inactive`, with
/// the reason listed after the table.
fn rules_table(settings: &copydesk_lint::Settings, json: bool) -> String {
    if json {
        let rows: Vec<serde_json::Value> = registry::metas()
            .map(|m| {
                let reason = settings.inactive_reason(m.code);
                serde_json::json!({
                    "code": m.code,
                    "severity": m.default_severity,
                    "enabled": m.enabled_by_default,
                    // What the configuration in force makes of it.
                    "level": settings.level(m, "").map_or_else(|| "off".to_owned(), |s| s.to_string()),
                    "fix": m.fix,
                    "summary": m.summary(),
                    "active": reason.is_none(),
                    "inactive_reason": reason,
                })
            })
            .collect();
        return serde_json::to_string_pretty(&rows).unwrap_or_default() + "\n";
    }
    let width = registry::metas().map(|m| m.code.len()).max().unwrap_or(4);
    let mut out = format!(
        "{:<width$}  {:<8}  {:<9}  SUMMARY\n",
        "CODE", "SEVERITY", "FIX"
    );
    for m in registry::metas() {
        let fix = match m.fix {
            copydesk_lint::rule::FixKind::None => "-",
            copydesk_lint::rule::FixKind::Safe => "safe",
            copydesk_lint::rule::FixKind::Unsafe => "unsafe",
            copydesk_lint::rule::FixKind::Sometimes => "sometimes",
        };
        // An opinionated rule is off until configured: say so, and which
        // severity it takes when turned on.
        let severity = if !settings.is_active(m.code) {
            "inactive".to_owned()
        } else {
            settings
                .level(m, "")
                .map_or_else(|| "off".to_owned(), |s| s.to_string())
        };
        out.push_str(&format!(
            "{:<width$}  {:<8}  {:<9}  {}\n",
            m.code,
            severity,
            fix,
            m.summary()
        ));
    }
    let inactive: Vec<String> = registry::metas()
        .filter_map(|m| {
            Some(format!(
                "  {}: {}\n",
                m.code,
                settings.inactive_reason(m.code)?
            ))
        })
        .collect();
    if !inactive.is_empty() {
        out.push_str("\nInactive with this configuration:\n");
        out.extend(inactive);
    }
    out
}

fn explain(code: &str) -> Result<u8, String> {
    match registry::find(code) {
        Some(rule) => print(&rule.meta().page()),
        None => {
            let hint = registry::suggest(code)
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_else(|| "; `copydesk rules` lists them".to_owned());
            Err(format!("unknown rule `{code}`{hint}"))
        }
    }
}
