//! Which files `copydesk check` lints: folder walking (.gitignore, hidden
//! files, extensions, include/exclude), explicit files and globs, and the
//! corpus the cross-file rules see when only some files are named.

use std::path::Path;
use std::process::Output;

use crate::support::{self, article, write, NOW};

/// An article whose only finding is the warning `body/empty-body`, so that
/// every linted file shows up once in the output.
fn marked(id: &str) -> String {
    let text = article(id, &format!("Article {id}"));
    let body = text.find("\n---\n").expect("closing fence") + "\n---\n".len();
    text[..body].to_owned()
}

fn run(cwd: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = support::command(cwd);
    cmd.args(args).env("NO_COLOR", "1");
    support::output(cmd, Some(stdin.unwrap_or_default().as_bytes()))
}

/// `check --now NOW --format concise` plus `args`: (exit code, the paths
/// with findings in output order, stderr).
fn linted(cwd: &Path, args: &[&str]) -> (i32, Vec<String>, String) {
    let mut all = vec!["check", "--now", NOW, "--format", "concise"];
    all.extend_from_slice(args);
    let out = run(cwd, &all, None);
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    let paths = stdout
        .lines()
        .map(|l| l.split_once(':').expect("path:").0.to_owned())
        .collect();
    (
        out.status.code().expect("exit code"),
        paths,
        String::from_utf8(out.stderr).expect("utf-8"),
    )
}

fn json(cwd: &Path, args: &[&str], stdin: Option<&str>) -> (i32, serde_json::Value) {
    let mut all = vec!["check", "--now", NOW, "--format", "json"];
    all.extend_from_slice(args);
    let out = run(cwd, &all, stdin);
    let value = serde_json::from_slice(&out.stdout).expect("json output");
    (out.status.code().expect("exit code"), value)
}

#[test]
fn gitignored_and_hidden_files_are_skipped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(d, "a.md", &marked("1"));
    write(d, "news/b.md", &marked("2"));
    write(d, ".gitignore", "drafts/\n*.tmp.md\n");
    write(d, "drafts/c.md", &marked("3"));
    write(d, "news/d.tmp.md", &marked("4"));
    write(d, "news/.e.md", &marked("5"));
    write(d, ".private/f.md", &marked("6"));
    // A .gitignore further down applies to its own folder.
    write(d, "news/.gitignore", "local.md\n");
    write(d, "news/local.md", &marked("7"));
    let (code, paths, _) = linted(d, &[]);
    assert_eq!(code, 0);
    assert_eq!(paths, ["a.md", "news/b.md"]);
    // The same holds when the folder is named.
    let (_, paths, _) = linted(d, &["news"]);
    assert_eq!(paths, ["news/b.md"]);
}

#[test]
fn a_parent_gitignore_applies_to_a_content_root() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(d, "copydesk.toml", "content-roots = [\"content\"]\n");
    write(d, ".gitignore", "content/generated/\n");
    write(d, "content/a.md", &marked("1"));
    write(d, "content/generated/b.md", &marked("2"));
    let (_, paths, _) = linted(d, &[]);
    assert_eq!(paths, ["content/a.md"]);
}

#[test]
fn only_configured_extensions_are_linted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(d, "a.md", &marked("1"));
    write(d, "b.markdown", &marked("2"));
    write(d, "c.MD", &marked("3"));
    write(d, "d.txt", &marked("4"));
    write(d, "e", &marked("5"));
    let (_, paths, _) = linted(d, &[]);
    assert_eq!(paths, ["a.md", "b.markdown", "c.MD"]);

    write(d, "copydesk.toml", "extensions = [\"md\", \"txt\"]\n");
    let (_, paths, _) = linted(d, &[]);
    assert_eq!(paths, ["a.md", "c.MD", "d.txt"]);
}

#[test]
fn include_and_exclude_globs_apply_to_walked_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(d, "news/a.md", &marked("1"));
    write(d, "news/drafts/b.md", &marked("2"));
    write(d, "news/2026/c.md", &marked("3"));
    write(d, "README.md", "# Not an article\n");
    write(
        d,
        "copydesk.toml",
        "include = [\"news/**\"]\nexclude = [\"**/drafts/**\"]\n",
    );
    let (code, paths, _) = linted(d, &[]);
    assert_eq!(code, 0);
    assert_eq!(paths, ["news/2026/c.md", "news/a.md"]);
    // Globs are relative to the config file wherever copydesk runs from.
    let (_, paths, _) = linted(&d.join("news"), &["."]);
    assert_eq!(paths, ["2026/c.md", "a.md"]);
}

#[test]
fn an_explicitly_named_file_is_always_linted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(d, ".gitignore", "drafts/\n");
    write(d, "copydesk.toml", "exclude = [\"old/**\"]\n");
    write(d, "drafts/a.md", &marked("1"));
    write(d, ".hidden.md", &marked("2"));
    write(d, "old/c.md", &marked("3"));
    write(d, "notes.txt", &marked("4"));
    let (code, paths, _) = linted(d, &[]);
    assert_eq!((code, paths.len()), (0, 0), "{paths:?}");
    let (code, paths, _) = linted(
        d,
        &[
            "drafts/a.md",
            ".hidden.md",
            "old/c.md",
            "notes.txt",
            "./notes.txt",
        ],
    );
    assert_eq!(code, 0);
    assert_eq!(
        paths,
        [".hidden.md", "drafts/a.md", "notes.txt", "old/c.md"]
    );
}

/// pre-commit names every staged markdown file (a README too): with
/// `--force-exclude`, as the hook runs, named files the configuration
/// leaves out (exclude, include, outside the content roots) are skipped.
#[test]
fn force_exclude_applies_the_configuration_to_named_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(
        d,
        "copydesk.toml",
        "content-roots = [\"content\"]\nexclude = [\"content/drafts/**\"]\n",
    );
    write(d, "README.md", "# The newsroom's repository\n");
    write(d, "content/drafts/x.md", "no front matter\n");
    write(d, "content/a.md", &marked("1"));
    let named = ["README.md", "content/drafts/x.md", "content/a.md"];
    let (code, paths, stderr) = linted(d, &named);
    assert_eq!(code, 1, "named files are linted by default: {stderr}");
    assert!(paths.contains(&"README.md".to_owned()), "{paths:?}");
    let mut args = vec!["--force-exclude"];
    args.extend(named);
    let (code, paths, stderr) = linted(d, &args);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(paths, ["content/a.md"]);
    // Only left-out files staged: nothing to say, nothing to fail.
    let (code, paths, stderr) = linted(d, &["--force-exclude", "README.md"]);
    assert_eq!((code, paths.len()), (0, 0), "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    let hooks = std::fs::read_to_string(support::workspace().join(".pre-commit-hooks.yaml"))
        .expect("hooks file");
    assert!(hooks.contains("--force-exclude"), "{hooks}");
}

#[test]
fn a_missing_file_is_a_tool_error_and_the_others_are_still_linted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(d, "a.md", &marked("1"));
    let (code, paths, stderr) = linted(d, &["a.md", "nope.md"]);
    assert_eq!(code, 2);
    assert_eq!(paths, ["a.md"]);
    assert!(stderr.contains("nope.md: no such file"), "{stderr}");
    // Never "All clear" when something could not be checked.
    let (code, paths, stderr) = linted(d, &["nope.md"]);
    assert_eq!((code, paths.len()), (2, 0), "{stderr}");
    assert!(!stderr.contains("All clear"), "{stderr}");
    assert!(stderr.contains("1 error of copydesk's own"), "{stderr}");
}

/// A link to nothing inside a content folder is not an article and not a
/// failure: the folder is linted, the link named in a warning.
#[test]
fn a_dangling_link_in_a_folder_is_skipped_with_a_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(d, "content/a.md", &marked("1"));
    std::os::unix::fs::symlink(d.join("gone.md"), d.join("content/link.md")).expect("symlink");
    let (code, paths, stderr) = linted(d, &["content"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(paths, ["content/a.md"]);
    assert!(
        stderr.contains("warning: skipped a link to nothing"),
        "{stderr}"
    );
}

/// A run that checks nothing (a folder without markdown, a typo in
/// `extensions`) says so rather than passing as "All clear".
#[test]
fn a_folder_without_articles_is_a_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(d, "notes/readme.txt", "plain text\n");
    let (code, paths, stderr) = linted(d, &["notes"]);
    assert_eq!((code, paths.len()), (0, 0), "{stderr}");
    assert!(
        stderr.contains(
            "warning: no article (a file ending in one of `extensions`) under the given paths"
        ),
        "{stderr}"
    );
}

#[test]
fn glob_arguments_are_expanded_like_a_shell_would() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(d, "news/a.md", &marked("1"));
    write(d, "news/b.md", &marked("2"));
    write(d, "news/.c.md", &marked("3"));
    write(d, "news/2026/d.md", &marked("4"));
    write(d, "archive/e.md", &marked("5"));
    let (code, paths, _) = linted(d, &["news/*.md"]);
    assert_eq!(code, 0);
    // `*` does not match a leading dot, as in a shell.
    assert_eq!(paths, ["news/a.md", "news/b.md"]);
    let (_, paths, _) = linted(d, &["news/**/*.md"]);
    assert_eq!(paths, ["news/2026/d.md", "news/a.md", "news/b.md"]);
    // A glob matching folders walks them.
    let (_, paths, _) = linted(d, &["*s"]);
    assert_eq!(paths, ["news/2026/d.md", "news/a.md", "news/b.md"]);

    let (code, paths, stderr) = linted(d, &["missing/*.md"]);
    assert_eq!((code, paths.len()), (2, 0));
    assert!(stderr.contains("no file matches"), "{stderr}");
}

/// A project whose content root holds an untouched article and a new one
/// importing the same story (same `externalId` and source).
fn duplicate_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(d, "copydesk.toml", "content-roots = [\"content\"]\n");
    write(
        d,
        "content/2026/01/old.md",
        &article("57619983", "Old import"),
    );
    write(
        d,
        "content/2026/02/new.md",
        &article("57619983", "New import"),
    );
    write(d, "content/other.md", &article("1", "Unrelated"));
    dir
}

#[test]
fn a_named_file_is_checked_against_the_whole_corpus() {
    let dir = duplicate_project();
    let d = dir.path();
    let (code, out) = json(d, &["content/2026/02/new.md"], None);
    assert_eq!(code, 1);
    let all = out.as_array().expect("array");
    assert_eq!(all.len(), 1, "only the named file is reported: {out:#}");
    let f = &all[0];
    assert_eq!(f["code"], "corpus/duplicate-external-id");
    assert_eq!(f["path"], "content/2026/02/new.md");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(7), Some(13))
    );
    assert!(
        f["message"]
            .as_str()
            .expect("message")
            .contains("content/2026/01/old.md:7"),
        "{f:#}"
    );
    let related = f["related"].as_array().expect("related");
    assert_eq!(related.len(), 1);
    assert_eq!(related[0]["path"], "content/2026/01/old.md");
    assert_eq!(
        (related[0]["line"].as_u64(), related[0]["column"].as_u64()),
        (Some(7), Some(13))
    );

    // Named from a subfolder, with paths relative to it, the same holds.
    let (code, out) = json(&d.join("content/2026"), &["02/new.md"], None);
    assert_eq!(code, 1);
    assert_eq!(out[0]["path"], "02/new.md");
    assert_eq!(out[0]["related"][0]["path"], "01/old.md");
    assert_eq!(out.as_array().map(Vec::len), Some(1));

    // Naming the unrelated file reports nothing, though the corpus has a duplicate.
    let (code, out) = json(d, &["content/other.md"], None);
    assert_eq!((code, out), (0, serde_json::json!([])));
}

/// Outside a git repository (the temporary folder is not one).
#[test]
fn without_a_config_the_working_directory_is_the_corpus() {
    let dir = duplicate_project();
    let d = dir.path();
    std::fs::remove_file(d.join("copydesk.toml")).expect("rm");
    let (code, out) = json(&d.join("content"), &["2026/02/new.md"], None);
    assert_eq!(code, 1);
    assert_eq!(out.as_array().map(Vec::len), Some(1));
    assert_eq!(out[0]["related"][0]["path"], "2026/01/old.md");
}

#[test]
fn stdin_is_checked_against_the_corpus_under_its_name() {
    let dir = duplicate_project();
    let d = dir.path();
    let text = article("57619983", "Being edited");
    let (code, out) = json(
        d,
        &["--stdin-filename", "content/2026/02/new.md", "-"],
        Some(&text),
    );
    assert_eq!(code, 1);
    assert_eq!(out.as_array().map(Vec::len), Some(1), "{out:#}");
    assert_eq!(out[0]["path"], "content/2026/02/new.md");
    assert_eq!(out[0]["related"][0]["path"], "content/2026/01/old.md");
}

#[test]
fn a_full_run_reports_every_copy_and_full_output_shows_both_snippets() {
    let dir = duplicate_project();
    let d = dir.path();
    let (code, out) = json(d, &[], None);
    assert_eq!(code, 1);
    let paths: Vec<&str> = out
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|f| f["path"].as_str())
        .collect();
    assert_eq!(paths, ["content/2026/01/old.md", "content/2026/02/new.md"]);

    let full = run(
        d,
        &["check", "--now", NOW, "--format", "full", "--width", "100"],
        None,
    );
    let text = String::from_utf8(full.stdout).expect("utf-8");
    // Each report shows its own file's line and, as related, the other's.
    let first = text
        .split("corpus/duplicate-external-id")
        .nth(1)
        .expect("a report");
    let own = first
        .find("╭─[content/2026/01/old.md:7:13]")
        .expect("own snippet");
    let other = first
        .find("╭─[content/2026/02/new.md:7:13]")
        .expect("other file's snippet");
    assert!(own < other, "{text}");
    assert!(
        first.contains("the same `externalId` in content/2026/02/new.md"),
        "{text}"
    );
    assert!(first.contains(" 7 │ externalId: '57619983'"), "{text}");
}

#[test]
fn a_file_named_twice_is_reported_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(d, "news/a.md", &marked("1"));
    let (_, paths, _) = linted(
        d,
        &["news/a.md", "./news/a.md", "news", "news/../news/a.md"],
    );
    assert_eq!(paths, ["news/a.md"]);
}
