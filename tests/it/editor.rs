//! Editors: the buffer comes on stdin, named by `--stdin-filename` (or
//! `-`), and is linted as if it were that file — the configuration's
//! per-path overrides apply to it, and cross-file rules compare it with
//! the files on disk (whose old copy of the same file it replaces).

use crate::support::{self, article, copydesk_stdin, replace, write, NOW};

/// An article whose `externalId` is an unquoted number: one finding.
fn unquoted(id: &str, title: &str) -> String {
    replace(
        &article(id, title),
        &format!("externalId: '{id}'"),
        &format!("externalId: {id}"),
    )
}

const CONFIG: &str = r#"
content-roots = ["news", "archive"]

# Legacy imports keep their unquoted ids.
[[overrides]]
files = ["archive/**"]
rules = { "schema/number-not-string" = "off" }
"#;

fn project() -> tempfile::TempDir {
    let dir = support::tempdir();
    write(dir.path(), "copydesk.toml", CONFIG);
    write(
        dir.path(),
        "news/old.md",
        &article("4001", "An article already on disk"),
    );
    std::fs::create_dir(dir.path().join("archive")).expect("archive folder");
    dir
}

fn check_stdin(dir: &std::path::Path, name: &str, stdin: &str) -> support::Run {
    copydesk_stdin(
        dir,
        &[
            "check",
            "--format",
            "concise",
            "--now",
            NOW,
            "--stdin-filename",
            name,
        ],
        stdin,
    )
}

#[test]
fn the_buffer_is_reported_under_the_given_path() {
    let dir = project();
    let run = check_stdin(dir.path(), "news/draft.md", &unquoted("4002", "A draft"));
    assert_eq!(run.code, 1, "{}", run.both());
    assert_eq!(
        run.stdout,
        "news/draft.md:7:13: error[schema/number-not-string] `externalId` must be a quoted string; \
         YAML reads the unquoted `4002` as a number\n"
    );
    // The file does not need to exist, and nothing is written.
    assert!(!dir.path().join("news/draft.md").exists());

    let run = check_stdin(dir.path(), "news/draft.md", &article("4002", "A draft"));
    assert_eq!(run.code, 0, "{}", run.both());
    assert_eq!(run.stdout, "");
}

#[test]
fn the_configuration_for_that_path_applies() {
    let dir = project();
    let text = unquoted("4003", "An imported article");
    // The override turns the rule off under archive/.
    let run = check_stdin(dir.path(), "archive/imported.md", &text);
    assert_eq!(run.code, 0, "{}", run.both());
    assert_eq!(run.stdout, "");
    let run = check_stdin(dir.path(), "news/imported.md", &text);
    assert_eq!(run.code, 1, "{}", run.both());

    // From a subfolder (an editor's working directory may be the file's
    // own folder) the configuration is still found by walking up, and the
    // override still matches: the path is taken relative to the config.
    let run = check_stdin(&dir.path().join("archive"), "imported.md", &text);
    assert_eq!(run.code, 0, "{}", run.both());
    let run = check_stdin(&dir.path().join("news"), "imported.md", &text);
    assert_eq!(run.code, 1, "{}", run.both());
    assert!(
        run.stdout
            .starts_with("imported.md:7:13: error[schema/number-not-string]"),
        "shown relative to the working directory: {}",
        run.stdout
    );
}

#[test]
fn the_buffer_replaces_the_file_on_disk() {
    let dir = project();
    // On disk the file is broken; the editor's buffer has fixed it.
    write(
        dir.path(),
        "news/old.md",
        &unquoted("4001", "An article already on disk"),
    );
    let run = check_stdin(
        dir.path(),
        "news/old.md",
        &article("4001", "An article already on disk"),
    );
    assert_eq!(
        run.code,
        0,
        "the buffer is linted, not the disk: {}",
        run.both()
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn cross_file_rules_see_the_corpus_on_disk() {
    let rule = "corpus/duplicate-external-id";
    let dir = project();
    let run = check_stdin(
        dir.path(),
        "news/copy.md",
        &article("4001", "The same story, imported again"),
    );
    assert_eq!(run.code, 1, "{}", run.both());
    assert!(
        run.stdout
            .starts_with(&format!("news/copy.md:7:13: error[{rule}]")),
        "{}",
        run.both()
    );
    assert!(
        run.stdout.contains("news/old.md"),
        "names the other file: {}",
        run.stdout
    );
    assert!(
        run.stdout.lines().all(|l| l.starts_with("news/copy.md:")),
        "only the buffer is reported on: {}",
        run.stdout
    );

    // The buffer of the file itself is not a duplicate of its disk copy.
    let run = check_stdin(
        dir.path(),
        "news/old.md",
        &article("4001", "An article already on disk"),
    );
    assert_eq!(run.code, 0, "{}", run.both());
}

#[test]
fn a_dash_reads_stdin_too() {
    let dir = project();
    let run = copydesk_stdin(
        dir.path(),
        &["check", "--format", "concise", "--now", NOW, "-"],
        &unquoted("4004", "Piped in"),
    );
    assert_eq!(run.code, 1, "{}", run.both());
    assert_eq!(
        run.stdout,
        "-:7:13: error[schema/number-not-string] `externalId` must be a quoted string; \
         YAML reads the unquoted `4004` as a number\n"
    );
    let run = copydesk_stdin(
        dir.path(),
        &["check", "--format", "json", "--now", NOW, "-"],
        &article("4004", "Piped in"),
    );
    assert_eq!(run.code, 0, "{}", run.both());
    assert_eq!(run.stdout.trim(), "[]");
}

/// An editor piping a saved article through `-` (older Helix): copydesk
/// cannot tell which file the buffer is, so comparing it with the corpus
/// would find the saved file itself a duplicate of every buffer.
#[test]
fn an_unnamed_buffer_is_not_compared_with_the_file_it_came_from() {
    let dir = project();
    let saved = std::fs::read_to_string(dir.path().join("news/old.md")).expect("saved");
    let run = copydesk_stdin(
        dir.path(),
        &["check", "--format", "concise", "--now", NOW, "-"],
        &saved,
    );
    assert_eq!(run.code, 0, "{}", run.both());
    assert_eq!(run.stdout, "");
}

#[test]
fn full_reports_name_the_buffer_by_its_path() {
    let dir = project();
    let run = copydesk_stdin(
        dir.path(),
        &["check", "--now", NOW, "--stdin-filename", "news/draft.md"],
        &unquoted("4005", "A draft"),
    );
    assert_eq!(run.code, 1, "{}", run.both());
    assert!(
        run.stdout.contains("[news/draft.md:7:13]"),
        "{}",
        run.stdout
    );
}
