//! `copydesk.toml` end to end: where it is found, what it changes, how a bad
//! one is reported, and what `copydesk init` writes. Every test runs the
//! real binary in a temporary project.

use std::path::Path;
use std::process::Output;

use copydesk_lint::config::Config;

use crate::support::{self, article, write, NOW};

/// An article whose only finding is `date/not-utc` (an error).
fn not_utc(id: &str, title: &str) -> String {
    article(id, title).replacen("18:04:41.000Z", "20:04:41.000+02:00", 1)
}

/// An article whose only finding is `schema/unknown-key` (an error).
fn unknown_key(id: &str, title: &str) -> String {
    article(id, title).replacen("\nlang: en\n", "\nlang: en\nwordCount: 3\n", 1)
}

fn copydesk(cwd: &Path, args: &[&str]) -> Output {
    let mut cmd = support::command(cwd);
    cmd.args(args).env("NO_COLOR", "1");
    support::output(cmd, None)
}

/// `check --now NOW --format concise` plus `args`; (exit code, stdout lines, stderr).
fn check(cwd: &Path, args: &[&str]) -> (i32, Vec<String>, String) {
    let mut all = vec!["check", "--now", NOW, "--format", "concise"];
    all.extend_from_slice(args);
    let out = copydesk(cwd, &all);
    let stdout = String::from_utf8(out.stdout).expect("utf-8 stdout");
    (
        out.status.code().expect("exit code"),
        stdout.lines().map(str::to_owned).collect(),
        String::from_utf8(out.stderr).expect("utf-8 stderr"),
    )
}

/// `path severity[code]` of each concise line, for compact assertions.
fn findings(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .map(|l| {
            let (path, rest) = l.split_once(':').expect("path:");
            let sev = rest.split_whitespace().nth(1).expect("severity[code]");
            format!("{path} {sev}")
        })
        .collect()
}

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "content/utc.md", &not_utc("1", "Not UTC"));
    write(
        dir.path(),
        "content/key.md",
        &unknown_key("2", "Unknown key"),
    );
    dir
}

#[test]
fn without_a_config_the_defaults_apply() {
    let dir = project();
    let (code, lines, _) = check(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&lines),
        [
            "content/key.md error[schema/unknown-key]",
            "content/utc.md error[date/not-utc]"
        ]
    );
}

/// Without a `copydesk.toml`, the corpus is the repository: a duplicate
/// elsewhere in it is caught when copydesk runs from a subfolder (as
/// pre-commit hooks and editors often do), and outside a repository the
/// working directory stays the root.
#[test]
fn without_a_config_the_repository_root_is_the_content_root() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::create_dir(root.join(".git")).expect(".git");
    write(root, "news/a.md", &article("77", "First telling"));
    write(root, "archive/b.md", &article("77", "Second telling"));
    let (code, lines, stderr) = check(&root.join("news"), &["a.md"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        findings(&lines),
        ["a.md error[corpus/duplicate-external-id]"],
        "{lines:?}"
    );
    std::fs::remove_dir(root.join(".git")).expect("no .git");
    let (code, lines, stderr) = check(&root.join("news"), &["a.md"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(lines.is_empty(), "{lines:?}");
}

#[test]
fn config_is_found_walking_up_from_a_subfolder() {
    let dir = project();
    write(
        dir.path(),
        "copydesk.toml",
        "content-roots = [\"content\"]\n[rules]\n\"date/not-utc\" = \"off\"\n",
    );
    std::fs::create_dir_all(dir.path().join("content/deep/er")).expect("mkdir");
    let (code, lines, _) = check(&dir.path().join("content/deep/er"), &[]);
    assert_eq!(code, 1);
    // The config's content roots are linted and its rule levels apply; files
    // outside the working directory are shown by their full path.
    let found = findings(&lines);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].ends_with("/content/key.md error[schema/unknown-key]"),
        "{found:?}"
    );
}

#[test]
fn explicit_config_path_is_used_and_roots_are_relative_to_it() {
    let dir = project();
    // A copydesk.toml that would be found by walking up, and must be ignored.
    write(
        dir.path(),
        "copydesk.toml",
        "[rules]\n\"schema/unknown-key\" = \"off\"\n",
    );
    write(
        dir.path(),
        "settings/lint.toml",
        "content-roots = [\"../content\"]\n[rules]\n\"date/not-utc\" = \"off\"\n",
    );
    let (code, lines, _) = check(dir.path(), &["--config", "settings/lint.toml"]);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&lines),
        ["content/key.md error[schema/unknown-key]"]
    );

    let (code, _, stderr) = check(dir.path(), &["--config", "settings/missing.toml"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("missing.toml"), "{stderr}");
}

#[test]
fn rules_can_be_turned_off_and_demoted_to_warnings() {
    let dir = project();
    write(
        dir.path(),
        "copydesk.toml",
        "[rules]\n\"date/not-utc\" = \"off\"\n\"schema/unknown-key\" = \"warning\"\n",
    );
    let (code, lines, stderr) = check(dir.path(), &["content"]);
    assert_eq!(code, 0, "only warnings: {lines:?}");
    assert_eq!(
        findings(&lines),
        ["content/key.md warning[schema/unknown-key]"]
    );
    assert!(
        stderr.contains("0 errors and 1 warning in 2 files"),
        "{stderr}"
    );
    // Warnings fail the run only past --max-warnings.
    let (code, _, _) = check(dir.path(), &["content", "--max-warnings", "0"]);
    assert_eq!(code, 1);
}

#[test]
fn a_warning_rule_can_be_made_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = article("3", "Headline twice").replacen("## Overview", "# Overview", 1);
    write(dir.path(), "a.md", &text);
    let (code, lines, _) = check(dir.path(), &[]);
    assert_eq!(code, 0);
    assert_eq!(findings(&lines), ["a.md warning[body/level-one-heading]"]);
    write(
        dir.path(),
        "copydesk.toml",
        "[rules]\n\"body/level-one-heading\" = \"error\"\n",
    );
    let (code, lines, _) = check(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(findings(&lines), ["a.md error[body/level-one-heading]"]);
}

/// Cross-file findings take each file's own level: a duplicate id is an
/// error in the news, a warning in the archive, and nothing where the rule
/// is off, while the other copy is still told.
#[test]
fn overrides_set_the_level_of_cross_file_findings_per_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "news/a.md", &article("9", "One telling"));
    write(dir.path(), "archive/b.md", &article("9", "Another telling"));
    write(
        dir.path(),
        "imported/c.md",
        &article("9", "A third telling"),
    );
    write(
        dir.path(),
        "copydesk.toml",
        "[[overrides]]\nfiles = [\"archive/**\"]\nrules = { \"corpus/duplicate-external-id\" = \"warning\" }\n\n[[overrides]]\nfiles = [\"imported/**\"]\nrules = { \"corpus/duplicate-external-id\" = \"off\" }\n",
    );
    let (code, lines, _) = check(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&lines),
        [
            "archive/b.md warning[corpus/duplicate-external-id]",
            "news/a.md error[corpus/duplicate-external-id]",
        ]
    );
}

#[test]
fn overrides_change_a_level_only_for_matching_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "news/new.md", &not_utc("4", "New"));
    write(dir.path(), "archive/2019/old.md", &not_utc("5", "Old"));
    write(dir.path(), "archive/older.md", &not_utc("6", "Older"));
    write(
        dir.path(),
        "copydesk.toml",
        "[[overrides]]\nfiles = [\"archive/**\"]\nrules = { \"date/not-utc\" = \"warning\" }\n",
    );
    let (code, lines, _) = check(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&lines),
        [
            "archive/2019/old.md warning[date/not-utc]",
            "archive/older.md warning[date/not-utc]",
            "news/new.md error[date/not-utc]",
        ]
    );
    // Override globs are relative to the config file, not to the working
    // directory: the same run from inside archive/ gives the same levels.
    let (_, lines, _) = check(&dir.path().join("archive"), &["."]);
    assert_eq!(
        findings(&lines),
        [
            "2019/old.md warning[date/not-utc]",
            "older.md warning[date/not-utc]"
        ]
    );
    // A later override wins over an earlier one.
    write(
        dir.path(),
        "copydesk.toml",
        "[[overrides]]\nfiles = [\"archive/**\"]\nrules = { \"date/not-utc\" = \"warning\" }\n\n\
         [[overrides]]\nfiles = [\"archive/2019/*.md\"]\nrules = { \"date/not-utc\" = \"off\" }\n",
    );
    let (_, lines, _) = check(dir.path(), &[]);
    assert_eq!(
        findings(&lines),
        [
            "archive/older.md warning[date/not-utc]",
            "news/new.md error[date/not-utc]",
        ]
    );
}

/// Runs `check` on a project whose config is `toml`, expecting exit 2 and a
/// report pointing at `line:column` of the TOML that shows `snippet`.
fn assert_bad_config(toml: &str, line_col: &str, snippet: &str, message: &str) {
    let dir = project();
    write(dir.path(), "copydesk.toml", toml);
    let (code, lines, stderr) = check(dir.path(), &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        lines.is_empty(),
        "no lint output with a bad config: {lines:?}"
    );
    assert!(
        stderr.contains(&format!("copydesk.toml:{line_col}]")),
        "expected copydesk.toml:{line_col} in:\n{stderr}"
    );
    let line: usize = line_col
        .split(':')
        .next()
        .and_then(|l| l.parse().ok())
        .expect("line");
    assert!(
        stderr.contains(&format!(" {line} │ {snippet}")),
        "expected line {line} `{snippet}` in the snippet:\n{stderr}"
    );
    assert!(
        stderr.contains(message),
        "expected {message:?} in:\n{stderr}"
    );
}

#[test]
fn a_typo_in_a_top_level_key_points_at_its_line() {
    assert_bad_config(
        "content-roots = [\"content\"]\n\n# the articles\ncontnet-roots = [\"x\"]\n",
        "4:1",
        "contnet-roots",
        "unknown field `contnet-roots`",
    );
}

#[test]
fn a_typo_in_a_nested_key_points_at_its_line() {
    assert_bad_config(
        "[corpus]\nduplicate-scope = \"global\"\n\n[dates]\nfuture-tolerance = 60\n",
        "5:1",
        "future-tolerance",
        "unknown field `future-tolerance`",
    );
}

#[test]
fn a_bad_value_points_at_the_value() {
    assert_bad_config(
        "[rules]\n\"date/not-utc\" = \"of\"\n",
        "2:18",
        "\"date/not-utc\"",
        "unknown variant `of`",
    );
}

#[test]
fn a_typo_in_a_rule_code_points_at_its_line_and_suggests() {
    assert_bad_config(
        "[rules]\n\"body/empty-body\" = \"off\"\n\"date/not-utcc\" = \"off\"\n",
        "3:1",
        "\"date/not-utcc\"",
        "unknown rule `date/not-utcc`; did you mean `date/not-utc`?",
    );
}

#[test]
fn a_typo_in_an_override_rule_code_points_at_its_line() {
    assert_bad_config(
        "[[overrides]]\nfiles = [\"archive/**\"]\n\n[[overrides]]\nfiles = [\"old/**\"]\n\
         rules = { \"body/heading-skip\" = \"off\" }\n",
        "6:11",
        "rules =",
        "unknown rule `body/heading-skip`",
    );
}

#[test]
fn a_bad_glob_points_at_the_glob() {
    assert_bad_config(
        "exclude = [\n  \"drafts/**\",\n  \"a/[b\",\n]\n",
        "3:3",
        "  \"a/[b\",",
        "bad glob \"a/[b\"",
    );
    assert_bad_config(
        "[[overrides]]\nfiles = [\"archive/**\", \"{old\"]\nrules = { \"date/not-utc\" = \"off\" }\n",
        "2:24",
        "files =",
        "bad glob \"{old\"",
    );
}

#[test]
fn a_bad_external_id_pattern_points_at_its_line() {
    assert_bad_config(
        "[editorial]\nexternal-id-pattern = \"^[0-9+$\"\n",
        "2:1",
        "external-id-pattern",
        "not a regular expression",
    );
}

#[test]
fn toml_syntax_errors_exit_2_with_the_line() {
    assert_bad_config(
        "content-roots = [\"content\"]\n[rules\n",
        "2:7",
        "[rules",
        "invalid configuration",
    );
}

#[test]
fn init_writes_the_defaults_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = copydesk(dir.path(), &["init"]);
    assert_eq!(out.status.code(), Some(0));
    let path = dir.path().join("copydesk.toml");
    let written = std::fs::read_to_string(&path).expect("copydesk.toml written");
    assert!(written.starts_with('#'), "a commented config");
    let parsed: Config = toml::from_str(&written).expect("init's config parses");
    assert_eq!(parsed, Config::default());
    // It loads: an article in the project is linted with it.
    write(dir.path(), "a.md", &article("7", "Init"));
    let (code, lines, stderr) = check(dir.path(), &[]);
    assert_eq!((code, lines.len()), (0, 0), "{stderr}");
    assert!(stderr.contains("1 file checked"), "{stderr}");

    std::fs::write(&path, "# mine\n").expect("write");
    let out = copydesk(dir.path(), &["init"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    assert_eq!(std::fs::read_to_string(&path).expect("read"), "# mine\n");

    let out = copydesk(dir.path(), &["init", "--force"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&path).expect("read"), written);
}

#[test]
fn init_writes_in_the_working_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("sub")).expect("mkdir");
    write(dir.path(), "copydesk.toml", "# parent\n");
    let out = copydesk(&dir.path().join("sub"), &["init"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(dir.path().join("sub/copydesk.toml").is_file());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("copydesk.toml")).expect("read"),
        "# parent\n"
    );
}

#[test]
fn duplicate_scope_is_read_from_the_config() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = article("99", "From one feed");
    let b = article("99", "From another feed").replacen("key: cointelegraph", "key: coindesk", 1);
    write(dir.path(), "a.md", &a);
    write(dir.path(), "b.md", &b);
    let (code, lines, _) = check(dir.path(), &[]);
    assert_eq!((code, lines.len()), (0, 0), "{lines:?}");
    write(
        dir.path(),
        "copydesk.toml",
        "[corpus]\nduplicate-scope = \"global\"\n",
    );
    let (code, lines, _) = check(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&lines),
        [
            "a.md error[corpus/duplicate-external-id]",
            "b.md error[corpus/duplicate-external-id]"
        ]
    );
}
