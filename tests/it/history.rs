//! `check --changed-since REF` and `--staged`, and the `history/*` rules,
//! in real temporary git repositories made with the `git` executable.

use std::path::Path;
use std::process::Command;

use crate::support::{self, article, replace, Run, NOW};

/// Runs git in `dir`, isolated from the caller's configuration and from
/// any repository the test itself runs in (a hook's `GIT_DIR`).
fn git(dir: &Path, args: &[&str]) -> String {
    let out = isolated(Command::new("git"), dir)
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn isolated(mut cmd: Command, dir: &Path) -> Command {
    cmd.current_dir(dir);
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("GIT_") {
            cmd.env_remove(&key);
        }
    }
    cmd.env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir);
    cmd
}

/// `copydesk ARGS` in `dir` with the same isolation as [`git`].
fn copydesk(dir: &Path, args: &[&str]) -> Run {
    let mut cmd = isolated(support::command(dir), dir);
    cmd.args(args)
        .args(["--now", NOW, "--format", "concise", "--no-cache"]);
    support::run_command(cmd, "")
}

/// A repository with one commit on `main`: three published articles and a
/// draft, and an empty configuration; then a branch `work`.
fn repo() -> tempfile::TempDir {
    let dir = support::tempdir();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    git(d, &["config", "user.name", "Test"]);
    git(d, &["config", "user.email", "test@example.com"]);
    git(d, &["config", "commit.gpgsign", "false"]);
    support::write(d, "copydesk.toml", "");
    support::write(
        d,
        "news/alpha.md",
        &article("1001", "Alpha story about miners"),
    );
    support::write(
        d,
        "news/bravo.md",
        &article("1002", "Bravo story about chips"),
    );
    support::write(
        d,
        "news/charlie.md",
        &article("1003", "Charlie story about rates"),
    );
    let draft = replace(
        &article("1004", "Delta story still in the works"),
        "draft: false",
        "draft: true",
    );
    support::write(d, "news/delta.md", &draft);
    commit(d, "init");
    git(d, &["checkout", "-q", "-b", "work"]);
    dir
}

fn commit(dir: &Path, message: &str) {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", message]);
}

/// Rewrites `rel` in `dir` with `from` replaced by `to` (exactly once).
fn edit(dir: &Path, rel: &str, from: &str, to: &str) {
    let path = dir.join(rel);
    let text = std::fs::read_to_string(&path).expect("read article");
    std::fs::write(&path, replace(&text, from, to)).expect("write article");
}

fn findings(run: &Run) -> Vec<&str> {
    run.stdout
        .lines()
        .filter(|l| l.contains("[history/"))
        .collect()
}

#[test]
fn an_external_id_changed_after_publication_is_reported_on_the_new_value() {
    let dir = repo();
    let d = dir.path();
    edit(
        d,
        "news/alpha.md",
        "externalId: '1001'",
        "externalId: '2001'",
    );
    commit(d, "change id");
    let run = copydesk(d, &["check", "--changed-since", "main"]);
    assert_eq!(run.code, 1, "{}", run.both());
    assert_eq!(
        findings(&run),
        [
            r#"news/alpha.md:7:13: error[history/external-id-changed] `externalId` changed after publication: it was "1001" at main"#
        ],
        "{}",
        run.both()
    );
    // Only the changed file is checked.
    assert!(run.stderr.contains("in 1 file"), "{}", run.both());
}

#[test]
fn a_published_at_changed_is_reported_but_not_the_same_instant_respelled() {
    let dir = repo();
    let d = dir.path();
    let published = "publishedAt: '2026-01-31T18:04:41.000Z'";
    edit(
        d,
        "news/alpha.md",
        published,
        "publishedAt: '2026-01-30T18:04:41.000Z'",
    );
    edit(
        d,
        "news/bravo.md",
        published,
        "publishedAt: '2026-01-31T18:04:41Z'",
    );
    commit(d, "dates");
    let run = copydesk(d, &["check", "--changed-since", "main"]);
    assert_eq!(
        findings(&run),
        [
            r#"news/alpha.md:4:14: error[history/published-at-changed] `publishedAt` changed after publication: it was "2026-01-31T18:04:41.000Z" at main"#
        ],
        "{}",
        run.both()
    );
}

#[test]
fn setting_a_published_article_back_to_draft_is_reported() {
    let dir = repo();
    let d = dir.path();
    edit(d, "news/alpha.md", "draft: false", "draft: true");
    commit(d, "unpublish");
    let run = copydesk(d, &["check", "--changed-since", "main"]);
    let found = findings(&run);
    assert_eq!(found.len(), 1, "{}", run.both());
    assert!(
        found[0].starts_with("news/alpha.md:18:8: warning[history/unpublished]"),
        "{}",
        run.both()
    );
    assert!(found[0].contains("published at main"), "{}", run.both());
}

#[test]
fn a_rename_without_a_redirect_is_reported_and_with_an_alias_is_not() {
    let dir = repo();
    let d = dir.path();
    git(d, &["mv", "news/alpha.md", "news/alpha-renamed.md"]);
    git(d, &["mv", "news/bravo.md", "news/bravo-renamed.md"]);
    edit(
        d,
        "news/bravo-renamed.md",
        "draft: false\n",
        "draft: false\naliases:\n  - /news/bravo/\n",
    );
    commit(d, "rename");
    let run = copydesk(d, &["check", "--changed-since", "main"]);
    assert_eq!(
        findings(&run),
        ["news/alpha-renamed.md:1:1: error[history/article-removed] published article moved from `news/alpha.md` (at main) with no redirect from its old URL"],
        "{}",
        run.both()
    );
}

#[test]
fn a_deletion_is_reported_unless_redirected_in_the_configuration() {
    let dir = repo();
    let d = dir.path();
    git(d, &["rm", "-q", "news/alpha.md", "news/bravo.md"]);
    support::write(
        d,
        "copydesk.toml",
        "[history]\nredirects = { \"news/bravo.md\" = \"news/charlie.md\" }\n",
    );
    commit(d, "delete");
    let run = copydesk(d, &["check", "--changed-since", "main"]);
    let found = findings(&run);
    assert_eq!(found.len(), 1, "{}", run.both());
    assert!(
        found[0].starts_with("news/alpha.md:7:13: error[history/article-removed] published article deleted since main"),
        "{}",
        run.both()
    );
}

/// A site's own `_redirects` file (Netlify, Cloudflare Pages) counts as a
/// redirect source: a deleted or moved article whose old slug is
/// redirected from is not reported; one that is not still is.
#[test]
fn a_redirects_file_of_the_site_counts_as_a_redirect() {
    let dir = repo();
    let d = dir.path();
    git(d, &["rm", "-q", "news/alpha.md", "news/charlie.md"]);
    git(d, &["mv", "news/bravo.md", "news/bravo-renamed.md"]);
    support::write(
        d,
        "static/_redirects",
        "# moved stories\n/news/alpha/    /news/       301\n/news/bravo     /news/bravo-renamed  301\n\n",
    );
    support::write(
        d,
        "copydesk.toml",
        "[history]\nredirects-file = \"static/_redirects\"\n",
    );
    commit(d, "move and delete");
    let run = copydesk(d, &["check", "--changed-since", "main"]);
    let found = findings(&run);
    assert_eq!(found.len(), 1, "{}", run.both());
    assert!(
        found[0].starts_with("news/charlie.md:7:13: error[history/article-removed]"),
        "{}",
        run.both()
    );
    // A redirects file that cannot be read is a configuration error.
    support::write(
        d,
        "copydesk.toml",
        "[history]\nredirects-file = \"static/nope\"\n",
    );
    let run = copydesk(d, &["check", "--changed-since", "main"]);
    assert_eq!(run.code, 2, "{}", run.both());
    assert!(
        run.stderr.contains("redirects file `static/nope`"),
        "{}",
        run.both()
    );
}

#[test]
fn precision_updates_body_edits_new_articles_and_drafts_are_not_history_findings() {
    let dir = repo();
    let d = dir.path();
    edit(
        d,
        "news/alpha.md",
        "updatedAt: '2026-01-31T18:29:36.979Z'",
        "updatedAt: '2026-02-02T10:00:00.000Z'",
    );
    let bravo = std::fs::read_to_string(d.join("news/bravo.md")).expect("read");
    std::fs::write(
        d.join("news/bravo.md"),
        format!("{bravo}\nA corrected last line.\n"),
    )
    .expect("write");
    // A draft may change its id, its date, and move.
    edit(
        d,
        "news/delta.md",
        "externalId: '1004'",
        "externalId: '2004'",
    );
    git(d, &["add", "-A"]);
    git(d, &["mv", "news/delta.md", "news/delta-moved.md"]);
    support::write(
        d,
        "news/echo.md",
        &article("1005", "Echo story created after the base"),
    );
    commit(d, "ordinary work");
    // A new article renamed in a later commit is still new to main.
    git(d, &["mv", "news/echo.md", "news/echo-final.md"]);
    commit(d, "rename the new one");
    let run = copydesk(d, &["check", "--changed-since", "main"]);
    assert_eq!(findings(&run), Vec::<&str>::new(), "{}", run.both());
    assert_eq!(run.code, 0, "{}", run.both());
    assert!(run.stderr.contains("4 files checked"), "{}", run.both());
}

#[test]
fn changes_are_compared_with_the_merge_base_not_later_commits_on_the_base_branch() {
    let dir = repo();
    let d = dir.path();
    git(d, &["checkout", "-q", "main"]);
    edit(
        d,
        "news/charlie.md",
        "externalId: '1003'",
        "externalId: '3003'",
    );
    commit(d, "main moves on");
    git(d, &["checkout", "-q", "work"]);
    // On `work`, charlie still has its old id: that is no change of ours.
    let run = copydesk(d, &["check", "--changed-since", "main"]);
    assert_eq!(findings(&run), Vec::<&str>::new(), "{}", run.both());
    assert_eq!(run.code, 0, "{}", run.both());
}

#[test]
fn staged_lints_the_index_not_the_work_tree() {
    let dir = repo();
    let d = dir.path();
    edit(
        d,
        "news/alpha.md",
        "externalId: '1001'",
        "externalId: '2001'",
    );
    git(d, &["add", "news/alpha.md"]);
    // Put back in the work tree only: the staged change is what counts.
    edit(
        d,
        "news/alpha.md",
        "externalId: '2001'",
        "externalId: '1001'",
    );
    // Unstaged changes are not checked.
    edit(d, "news/bravo.md", "draft: false", "draft: true");
    let run = copydesk(d, &["check", "--staged"]);
    assert_eq!(run.code, 1, "{}", run.both());
    assert_eq!(
        findings(&run),
        [
            r#"news/alpha.md:7:13: error[history/external-id-changed] `externalId` changed after publication: it was "1001" at HEAD"#
        ],
        "{}",
        run.both()
    );
    assert!(run.stderr.contains("in 1 file"), "{}", run.both());
}

#[test]
fn staged_runs_every_rule_on_the_staged_text_and_sees_the_whole_corpus() {
    let dir = repo();
    let d = dir.path();
    // Staged: a non-UTC spelling of the same instant (no history finding)
    // and a new article reusing a committed, untouched article's id.
    let published = "publishedAt: '2026-01-31T18:04:41.000Z'";
    edit(
        d,
        "news/alpha.md",
        published,
        "publishedAt: '2026-01-31T20:04:41+02:00'",
    );
    support::write(
        d,
        "news/echo.md",
        &article("1003", "Echo story with a reused id"),
    );
    git(d, &["add", "news/alpha.md", "news/echo.md"]);
    // The work tree's alpha is fixed, but not staged.
    edit(
        d,
        "news/alpha.md",
        "publishedAt: '2026-01-31T20:04:41+02:00'",
        published,
    );
    let run = copydesk(d, &["check", "--staged"]);
    assert_eq!(run.code, 1, "{}", run.both());
    assert!(
        run.stdout
            .contains("news/alpha.md:4:14: error[date/not-utc]"),
        "{}",
        run.both()
    );
    assert!(
        run.stdout
            .contains("news/echo.md:7:13: error[corpus/duplicate-external-id]"),
        "{}",
        run.both()
    );
    assert_eq!(findings(&run), Vec::<&str>::new(), "{}", run.both());
    assert!(run.stderr.contains("in 2 files"), "{}", run.both());
}

#[test]
fn a_shallow_clone_without_the_ref_is_a_clear_error() {
    let dir = repo();
    let d = dir.path();
    edit(
        d,
        "news/alpha.md",
        "externalId: '1001'",
        "externalId: '2001'",
    );
    commit(d, "change");
    let clones = support::tempdir();
    let url = format!("file://{}", d.display());
    git(
        clones.path(),
        &[
            "clone", "-q", "--depth", "1", "--branch", "work", &url, "shallow",
        ],
    );
    let run = copydesk(
        &clones.path().join("shallow"),
        &["check", "--changed-since", "main"],
    );
    assert_eq!(run.code, 2, "{}", run.both());
    assert!(
        run.stderr.contains("is not in this shallow clone")
            && run.stderr.contains("fetch-depth: 0"),
        "{}",
        run.both()
    );
}

#[test]
fn no_repository_no_commits_and_an_unknown_ref_are_clear_errors() {
    let plain = support::defaults_dir();
    let run = copydesk(plain.path(), &["check", "--staged"]);
    assert_eq!(run.code, 2, "{}", run.both());
    assert!(
        run.stderr.contains("not inside a git repository"),
        "{}",
        run.both()
    );

    let empty = support::defaults_dir();
    git(empty.path(), &["init", "-q"]);
    let run = copydesk(empty.path(), &["check", "--changed-since", "main"]);
    assert_eq!(run.code, 2, "{}", run.both());
    assert!(run.stderr.contains("no commit yet"), "{}", run.both());

    let dir = repo();
    let run = copydesk(dir.path(), &["check", "--changed-since", "no-such-branch"]);
    assert_eq!(run.code, 2, "{}", run.both());
    assert!(
        run.stderr.contains("unknown revision \"no-such-branch\""),
        "{}",
        run.both()
    );
}

#[test]
fn a_detached_head_is_fine() {
    // CI checks out a detached HEAD: the merge base is still found.
    let dir = repo();
    let d = dir.path();
    edit(d, "news/alpha.md", "draft: false", "draft: true");
    commit(d, "unpublish");
    git(d, &["checkout", "-q", "--detach"]);
    let run = copydesk(d, &["check", "--changed-since", "main"]);
    assert_eq!(findings(&run).len(), 1, "{}", run.both());
}

#[test]
fn without_the_flags_there_is_no_history_check() {
    let dir = repo();
    let d = dir.path();
    edit(
        d,
        "news/alpha.md",
        "externalId: '1001'",
        "externalId: '2001'",
    );
    commit(d, "change id");
    let run = copydesk(d, &["check"]);
    assert_eq!(findings(&run), Vec::<&str>::new(), "{}", run.both());
    assert_eq!(run.code, 0, "{}", run.both());
}

#[test]
fn excluded_files_are_not_in_scope() {
    let dir = repo();
    let d = dir.path();
    support::write(d, "copydesk.toml", "exclude = [\"news/alpha.md\"]\n");
    edit(
        d,
        "news/alpha.md",
        "externalId: '1001'",
        "externalId: '2001'",
    );
    commit(d, "change id");
    let run = copydesk(d, &["check", "--changed-since", "main"]);
    assert_eq!(findings(&run), Vec::<&str>::new(), "{}", run.both());
    assert_eq!(run.code, 0, "{}", run.both());
}

#[test]
fn a_history_finding_can_be_suppressed_in_the_file() {
    let dir = repo();
    let d = dir.path();
    edit(
        d,
        "news/alpha.md",
        "draft: false",
        "draft: true # copydesk: ignore[history/unpublished] legal takedown",
    );
    commit(d, "take down");
    let run = copydesk(d, &["check", "--changed-since", "main"]);
    assert_eq!(run.stdout, "", "{}", run.both());
    assert_eq!(run.code, 0, "{}", run.both());
    // Without the flags (or once merged) it silences nothing, and is not
    // reported as unused for that.
    let run = copydesk(d, &["check"]);
    assert_eq!(run.stdout, "", "{}", run.both());
    assert_eq!(run.code, 0, "{}", run.both());
}

#[test]
fn as_a_git_pre_commit_hook_it_refuses_the_commit_even_with_commit_a() {
    let dir = repo();
    let d = dir.path();
    let hook = d.join(".git/hooks/pre-commit");
    let binary = env!("CARGO_BIN_EXE_copydesk");
    std::fs::write(
        &hook,
        format!("#!/bin/sh\nexec '{binary}' check --staged --format concise --now {NOW}\n"),
    )
    .expect("write hook");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    // `commit -a` stages into a temporary index (GIT_INDEX_FILE), which the
    // hook's git calls must read: nothing is staged in the usual one.
    edit(
        d,
        "news/alpha.md",
        "externalId: '1001'",
        "externalId: '2001'",
    );
    let out = isolated(Command::new("git"), d)
        .args(["commit", "-q", "-a", "-m", "change id"])
        .output()
        .expect("git runs");
    // Git sends a hook's output to stderr.
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "the commit went through: {said}");
    assert!(
        said.contains("news/alpha.md:7:13: error[history/external-id-changed]"),
        "{said}"
    );
    // An ordinary change passes.
    edit(
        d,
        "news/alpha.md",
        "externalId: '2001'",
        "externalId: '1001'",
    );
    edit(
        d,
        "news/bravo.md",
        "updatedAt: '2026-01-31T18:29:36.979Z'",
        "updatedAt: '2026-02-02T10:00:00.000Z'",
    );
    let out = isolated(Command::new("git"), d)
        .args(["commit", "-q", "-a", "-m", "update"])
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn paths_are_shown_from_a_subfolder_and_may_hold_any_character() {
    let dir = repo();
    let d = dir.path();
    git(d, &["mv", "news/alpha.md", "news/été à.md"]);
    edit(
        d,
        "news/été à.md",
        "externalId: '1001'",
        "externalId: '2001'",
    );
    commit(d, "rename and change id");
    // A user's `diff.relative` must not make paths relative to the folder.
    git(d, &["config", "diff.relative", "true"]);
    let run = copydesk(&d.join("news"), &["check", "--changed-since", "main"]);
    let found = findings(&run);
    assert_eq!(found.len(), 2, "{}", run.both());
    assert!(
        found[0].starts_with("été à.md:1:1: error[history/article-removed]"),
        "{}",
        run.both()
    );
    assert!(
        found[1].starts_with("été à.md:7:13: error[history/external-id-changed]"),
        "{}",
        run.both()
    );
}

#[test]
fn an_unmapped_field_is_not_compared() {
    let dir = repo();
    let d = dir.path();
    support::write(d, "copydesk.toml", "[fields]\nid = \"\"\n");
    edit(
        d,
        "news/alpha.md",
        "externalId: '1001'",
        "externalId: '2001'",
    );
    edit(d, "news/bravo.md", "draft: false", "draft: true");
    commit(d, "change id");
    let run = copydesk(d, &["check", "--changed-since", "main"]);
    let found = findings(&run);
    assert_eq!(found.len(), 1, "{}", run.both());
    assert!(found[0].contains("[history/unpublished]"), "{}", run.both());
}

#[test]
fn an_article_moved_in_from_an_excluded_folder_is_new() {
    let dir = repo();
    let d = dir.path();
    support::write(d, "copydesk.toml", "exclude = [\"drafts/**\"]\n");
    support::write(
        d,
        "drafts/foxtrot.md",
        &article("1006", "Foxtrot story written in drafts"),
    );
    git(d, &["checkout", "-q", "main"]);
    commit(d, "a draft folder");
    git(d, &["checkout", "-q", "-B", "work"]);
    git(d, &["mv", "drafts/foxtrot.md", "news/foxtrot.md"]);
    commit(d, "publish");
    let run = copydesk(d, &["check", "--changed-since", "main"]);
    assert_eq!(findings(&run), Vec::<&str>::new(), "{}", run.both());
    assert!(run.stderr.contains("1 file checked"), "{}", run.both());
}

/// In a commit hook, the articles not named are taken as git's index has
/// them (what the commit holds) when the index and the cache agree, and
/// not stat-ed: an unstaged edit of another article neither hides nor
/// invents a duplicate of what is committed.
#[cfg(unix)]
#[test]
fn a_commit_hook_checks_the_staged_articles_against_what_the_commit_holds() {
    use std::os::unix::fs::PermissionsExt;
    let dir = repo();
    let d = dir.path();
    let bravo = "Bravo story about chips";
    // The cache trusts a stamp only from a file read seconds after it
    // last changed, as a corpus committed earlier is.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let warm = isolated(support::command(d), d)
        .args(["check", "--now", NOW])
        .output()
        .expect("copydesk runs");
    assert_eq!(support::code(&warm), 0, "{}", support::text(&warm));
    let hook = d.join(".git/hooks/pre-commit");
    let script = format!(
        "#!/bin/sh\nexec '{}' check --now {NOW} --format concise --max-warnings 0 $(git diff --cached --name-only)\n",
        env!("CARGO_BIN_EXE_copydesk")
    );
    std::fs::write(&hook, script).expect("write the hook");
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).expect("chmod");

    // Staged: alpha now has bravo's title. Not staged: bravo renamed.
    edit(d, "news/alpha.md", "Alpha story about miners", bravo);
    git(d, &["add", "news/alpha.md"]);
    edit(d, "news/bravo.md", bravo, "Bravo story renamed, not staged");
    let commit = isolated(Command::new("git"), d)
        .args(["commit", "-q", "-m", "same title"])
        .output()
        .expect("git runs");
    let said = support::text(&commit);
    assert!(!commit.status.success(), "the commit went through:\n{said}");
    assert!(
        said.contains("news/alpha.md") && said.contains("corpus/duplicate-title"),
        "{said}"
    );
    // Outside the hook, the working tree's bravo is what counts.
    let run = copydesk(d, &["check", "news/alpha.md"]);
    assert!(!run.stdout.contains("duplicate-title"), "{}", run.both());
}
