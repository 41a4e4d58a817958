//! The conventions `copydesk check` shares with ruff, eslint and
//! markdownlint-cli2: `--quiet`, `--color`, the help texts, and the
//! errorformat the README gives Vim, tried in a real (headless) Neovim.

use std::path::Path;
use std::process::Command;

use crate::support::{self, article, write, NOW};
use crate::tools;

/// An article with one `date/not-utc` error, which `--fix` fixes.
fn not_utc() -> String {
    article("1", "An article whose date is not in UTC").replacen(
        "18:04:41.000Z",
        "20:04:41.000+02:00",
        1,
    )
}

/// A project with one error (utc.md) and one warning (two articles sharing
/// a title: a.md, b.md).
fn project() -> tempfile::TempDir {
    let dir = support::defaults_dir();
    write(dir.path(), "utc.md", &not_utc());
    let same = "The same headline on two different stories";
    write(dir.path(), "a.md", &article("3", same));
    write(dir.path(), "b.md", &article("4", same));
    dir
}

fn check(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> support::Run {
    let mut cmd = support::command(dir);
    cmd.args(["check", "--now", NOW]).args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    support::run_command(cmd, "")
}

#[test]
fn quiet_prints_the_findings_and_nothing_else() {
    let dir = project();
    let loud = check(dir.path(), &["--format", "concise"], &[]);
    assert!(
        loud.stderr.contains("Found 1 error and 2 warnings"),
        "{}",
        loud.both()
    );
    assert!(loud.stderr.contains("[*] 1 fixable"), "{}", loud.both());
    for flag in ["--quiet", "-q"] {
        let quiet = check(dir.path(), &["--format", "concise", flag], &[]);
        assert_eq!(quiet.code, 1, "{}", quiet.both());
        assert_eq!(quiet.stdout, loud.stdout);
        assert_eq!(quiet.stderr, "", "{}", quiet.both());
    }
    // Nor the count of fixes, nor a baseline's.
    let silent: [&[&str]; 2] = [
        &["--quiet", "--fix", "utc.md"],
        &["-q", "--write-baseline", "base.json"],
    ];
    for args in silent {
        let out = check(dir.path(), args, &[]);
        assert_eq!(
            (out.code, out.stderr.as_str()),
            (0, ""),
            "{args:?}: {}",
            out.both()
        );
    }
}

#[test]
fn quiet_still_says_what_failed() {
    let dir = project();
    let run = check(
        dir.path(),
        &["-q", "--format", "concise", "a.md", "missing.md"],
        &[],
    );
    assert_eq!(run.code, 2, "{}", run.both());
    assert!(run.stderr.contains("copydesk: error:"), "{}", run.both());
    assert!(run.stderr.contains("missing.md"), "{}", run.both());
    assert!(!run.stderr.contains("Found"), "{}", run.both());
    let run = check(
        dir.path(),
        &["-q", "--max-warnings", "0", "a.md", "b.md"],
        &[],
    );
    assert_eq!(run.code, 1, "{}", run.both());
    assert!(
        run.stderr.contains("more than --max-warnings 0"),
        "{}",
        run.both()
    );
}

const ESC: &str = "\u{1b}[";

#[test]
fn color_follows_the_flag_then_no_color_then_clicolor_force() {
    let dir = project();
    let coloured = |args: &[&str], env: &[(&str, &str)]| {
        let run = check(dir.path(), args, env);
        assert_eq!(run.code, 1, "{}", run.both());
        (run.stdout.contains(ESC), run.stderr.contains(ESC))
    };
    // Not a terminal: no colours by default.
    assert_eq!(coloured(&[], &[]), (false, false));
    assert_eq!(coloured(&["--color", "always"], &[]), (true, true));
    assert_eq!(
        coloured(&["--color=always"], &[("NO_COLOR", "1")]),
        (true, true)
    );
    assert_eq!(coloured(&[], &[("CLICOLOR_FORCE", "1")]), (true, true));
    assert_eq!(
        coloured(&["--color", "auto"], &[("CLICOLOR_FORCE", "yes")]),
        (true, true)
    );
    assert_eq!(coloured(&[], &[("CLICOLOR_FORCE", "0")]), (false, false));
    assert_eq!(coloured(&[], &[("CLICOLOR_FORCE", "")]), (false, false));
    let both = [("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")];
    assert_eq!(coloured(&[], &both), (false, false));
    assert_eq!(
        coloured(&["--color", "never"], &[("CLICOLOR_FORCE", "1")]),
        (false, false)
    );
    // A report written to a file is never coloured.
    let run = check(dir.path(), &["--color", "always", "-o", "report.txt"], &[]);
    let report = std::fs::read_to_string(dir.path().join("report.txt")).expect("report");
    assert!(
        report.contains("date/not-utc") && !report.contains(ESC),
        "{report}"
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn color_rejects_an_unknown_value() {
    let dir = project();
    let run = check(dir.path(), &["--color", "sometimes"], &[]);
    assert_eq!(run.code, 2, "{}", run.both());
    assert!(run.stderr.contains("auto, always, never"), "{}", run.both());
}

#[test]
fn the_help_describes_the_tool_and_check_lists_the_exit_codes() {
    let dir = support::defaults_dir();
    let top = support::copydesk(dir.path(), &["--help"]);
    assert_eq!(top.code, 0, "{}", top.both());
    let first = top.stdout.lines().next().unwrap_or_default();
    assert!(first.starts_with("Lint news articles"), "{}", top.stdout);
    assert!(!top.stdout.contains("stages"), "{}", top.stdout);
    let short = support::copydesk(dir.path(), &["check", "-h"]);
    let long = support::copydesk(dir.path(), &["check", "--help"]);
    for help in [&short.stdout, &long.stdout] {
        assert!(help.contains("Exit codes:"), "{help}");
        for code in [
            "  0  no error",
            "  1  at least one error",
            "  2  copydesk failed",
        ] {
            assert!(help.contains(code), "{code:?} in {help}");
        }
        for flag in [
            "--select",
            "--extend-select",
            "--ignore",
            "--quiet",
            "--color",
        ] {
            assert!(help.contains(flag), "{flag} in {help}");
        }
    }
}

/// The `makeprg` and `errorformat` lines of the README's Vim set-up, as
/// written.
fn readme_vim_lines() -> Vec<String> {
    let readme = std::fs::read_to_string(support::workspace().join("README.md")).expect("README");
    let lines: Vec<String> = readme
        .lines()
        .filter(|l| l.starts_with("setlocal makeprg=") || l.starts_with("setlocal errorformat="))
        .map(str::to_owned)
        .collect();
    assert_eq!(
        lines.len(),
        2,
        "the README sets makeprg and errorformat: {lines:?}"
    );
    lines
}

/// Opens `file` in headless Neovim with the README's set-up, runs `:make`
/// (which reads stderr too, where the summary goes) and returns the
/// quickfix list as JSON.
fn quickfix(dir: &Path, file: &str) -> Vec<serde_json::Value> {
    let nvim = tools::NVIM.require(&support::workspace());
    let out = dir.join("qf.json");
    let mut script = vec![format!("edit {file}")];
    script.extend(readme_vim_lines());
    script.extend([
        "silent make!".to_owned(),
        "call writefile([json_encode(map(getqflist(), {_, e -> extend(e, {'file': bufname(e.bufnr)})}))], $COPYDESK_QF)".to_owned(),
        "qall!".to_owned(),
    ]);
    let bin = Path::new(env!("CARGO_BIN_EXE_copydesk"));
    let path = std::env::join_paths(bin.parent().into_iter().map(Path::to_path_buf).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .expect("PATH");
    let mut cmd = Command::new(&nvim);
    cmd.current_dir(dir)
        .args(["--headless", "-u", "NONE", "-i", "NONE", "-n"])
        .env("PATH", path)
        .env("COPYDESK_QF", &out)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE");
    for line in &script {
        cmd.args(["-c", line]);
    }
    let run = support::output(cmd, None);
    let json = std::fs::read_to_string(&out)
        .unwrap_or_else(|e| panic!("no quickfix list ({e}): {}", support::text(&run)));
    serde_json::from_str(&json).expect("quickfix JSON")
}

#[test]
#[cfg_attr(
    copydesk_no_nvim,
    ignore = "nvim not found on PATH (apt-get install neovim; bash .ci/run installs it)"
)]
fn the_readme_vim_setup_keeps_the_severity_and_drops_the_summary() {
    let dir = support::defaults_dir();
    let same = "The same headline on two different stories";
    let utc = article("1", same).replacen("18:04:41.000Z", "20:04:41.000+02:00", 1);
    write(dir.path(), "utc.md", &utc);
    write(dir.path(), "a.md", &article("3", same));
    let list = quickfix(dir.path(), "utc.md");
    let rows: Vec<String> = list
        .iter()
        .map(|e| {
            format!(
                "{} {}:{}:{} {}",
                e["valid"],
                e["file"].as_str().unwrap_or("?"),
                e["lnum"],
                e["col"],
                e["type"].as_str().unwrap_or("?").to_uppercase()
            )
        })
        .collect();
    // No invalid entry: the summary and the fix count are left out.
    assert_eq!(rows, ["1 utc.md:2:8 W", "1 utc.md:4:14 E"], "{list:#?}");
    let text = list[1]["text"].as_str().unwrap_or_default();
    assert!(text.starts_with("[date/not-utc] `publishedAt`"), "{text}");
}
