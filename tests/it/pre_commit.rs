//! copydesk as a hook of the real pre-commit framework.
//!
//! The test builds a throw-away git repository whose
//! `.pre-commit-config.yaml` points at this checkout, installs the hook and
//! makes commits through it: a good article passes, a bad one is refused
//! with the finding shown, the fixed one passes, and a new article whose
//! `externalId` duplicates an untouched, already committed one is refused
//! even though pre-commit names only the new file.
//!
//! pre-commit comes from `COPYDESK_PRE_COMMIT` (set by `.ci/run`, which
//! installs it from PyPI into `target/ci-venv`), `PATH` or
//! `target/ci-venv/bin` (`tools::PRE_COMMIT`). Without it, or outside a git
//! checkout, the test is `ignored` with the reason (build.rs), so that
//! `cargo test` works on a machine without Python; under CI (`CI=true`) it
//! runs and fails.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::{self, article, replace, text, workspace};
use crate::tools;

/// A command with no inherited git variables (the test may itself run
/// from inside a git hook, where `GIT_DIR` and friends point elsewhere).
fn clean(program: &Path, dir: &Path) -> Command {
    let mut cmd = Command::new(program);
    cmd.current_dir(dir);
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("GIT_") {
            cmd.env_remove(&key);
        }
    }
    cmd.env("GIT_CONFIG_NOSYSTEM", "1");
    cmd
}

struct Repo {
    dir: tempfile::TempDir,
    pre_commit: PathBuf,
    home: PathBuf,
    cargo_target: PathBuf,
}

impl Repo {
    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn cmd(&self, program: &Path, args: &[&str]) -> Output {
        let mut cmd = clean(program, self.path());
        cmd.args(args)
            // pre-commit's `language: rust` runs `cargo install --path .` in
            // its clone of this repository: slow, so its clones live under
            // target/ and are reused between local runs, and the release
            // build goes to a target folder of its own that outlives them.
            .env("PRE_COMMIT_HOME", &self.home)
            .env("CARGO_TARGET_DIR", &self.cargo_target)
            // What is tested is the wiring, not the speed of the binary:
            // an unoptimised build takes a fraction of a release build's
            // time on CI's two cores.
            .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
            .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
            .env("CARGO_PROFILE_RELEASE_LTO", "false")
            .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "256")
            .env("CARGO_PROFILE_RELEASE_INCREMENTAL", "false")
            .env("PRE_COMMIT_COLOR", "never")
            .env("NO_COLOR", "1");
        cmd.output().expect("run command")
    }

    fn git(&self, args: &[&str]) -> Output {
        let out = self.cmd(Path::new("git"), args);
        assert!(out.status.success(), "git {args:?}: {}", text(&out));
        out
    }

    fn write(&self, rel: &str, contents: &str) {
        support::write(self.path(), rel, contents);
        self.git(&["add", rel]);
    }

    /// `git commit` through the installed hook.
    fn commit(&self, message: &str) -> Output {
        self.cmd(Path::new("git"), &["commit", "-q", "-m", message])
    }
}

fn committed_head(workspace: &Path) -> Option<String> {
    let out = clean(Path::new("git"), workspace)
        .args(["rev-parse", "HEAD"])
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

#[test]
#[cfg_attr(
    copydesk_no_pre_commit,
    ignore = "pre-commit not found: set COPYDESK_PRE_COMMIT or put it on PATH (bash .ci/run installs it)"
)]
#[cfg_attr(
    all(copydesk_no_git_checkout, not(copydesk_no_pre_commit)),
    ignore = "not a git checkout: the hook is installed from the commit HEAD points at"
)]
fn the_hook_checks_commits_through_the_real_pre_commit() {
    let ws = workspace();
    let pre_commit = tools::PRE_COMMIT.require(&ws);
    // The hook is installed from the commit HEAD points at, the way users
    // pin a `rev:`: this test exercises committed code, not the working
    // tree. Commit before trusting its result for local changes.
    let head = committed_head(&ws).expect("the workspace is a git checkout with a commit");
    let repo = Repo {
        dir: support::tempdir(),
        pre_commit,
        home: ws.join("target/pre-commit-home"),
        cargo_target: ws.join("target/pre-commit-cargo"),
    };
    repo.git(&["init", "-q"]);
    repo.git(&["config", "user.name", "copydesk test"]);
    repo.git(&["config", "user.email", "test@copydesk.invalid"]);
    repo.git(&["config", "commit.gpgsign", "false"]);
    repo.write(
        ".pre-commit-config.yaml",
        &format!(
            "repos:\n  - repo: {}\n    rev: {head}\n    hooks:\n      - id: copydesk\n",
            ws.display()
        ),
    );
    let out = repo.cmd(&repo.pre_commit, &["install"]);
    assert!(out.status.success(), "pre-commit install: {}", text(&out));

    // A good article passes (the first commit also builds the hook).
    repo.write("news/good.md", &article("3001", "A good article"));
    let out = repo.commit("good article");
    assert!(out.status.success(), "the good article: {}", text(&out));

    // A bad one is refused, and the output shows the finding.
    let good_bad = article("3002", "An article with an unquoted id");
    let bad = replace(&good_bad, "externalId: '3002'", "externalId: 3002");
    repo.write("news/bad.md", &bad);
    let out = repo.commit("bad article");
    let shown = text(&out);
    assert!(
        !out.status.success(),
        "the bad article was committed: {shown}"
    );
    assert!(
        shown.contains("news/bad.md:7:13: error[schema/number-not-string]"),
        "the finding is shown: {shown}"
    );

    // Fixed, it passes.
    repo.write("news/bad.md", &good_bad);
    let out = repo.commit("fixed article");
    assert!(out.status.success(), "the fixed article: {}", text(&out));

    // Cross-file checks in a partial run: pre-commit names only the new,
    // staged file, yet its duplicate in an untouched committed file is
    // found.
    let rule = "corpus/duplicate-external-id";
    repo.write(
        "news/again.md",
        &article("3001", "The good article, imported twice"),
    );
    let out = repo.commit("duplicate article");
    let shown = text(&out);
    assert!(
        !out.status.success(),
        "the duplicate was committed: {shown}"
    );
    assert!(
        shown.contains(&format!("news/again.md:7:13: error[{rule}]")),
        "the duplicate is reported in the new file: {shown}"
    );
    assert!(
        !shown.lines().any(|l| l.starts_with("news/good.md:")),
        "the untouched file is not reported on: {shown}"
    );
    repo.git(&["rm", "-q", "--cached", "news/again.md"]);
    std::fs::remove_file(repo.path().join("news/again.md")).expect("remove");

    // A staged file the configuration leaves out (the repository's README,
    // no front matter) does not block the commit: the hook passes
    // --force-exclude.
    repo.write("copydesk.toml", "content-roots = [\"news\"]\n");
    repo.write("README.md", "# The newsroom's articles\n");
    let out = repo.commit("readme");
    assert!(
        out.status.success(),
        "the README blocked the commit: {}",
        text(&out)
    );

    // The history hook, in staged mode: a published article's id rewritten
    // is refused, with the old value named.
    repo.write(
        ".pre-commit-config.yaml",
        &format!(
            "repos:\n  - repo: {}\n    rev: {head}\n    hooks:\n      - id: copydesk\n      - id: copydesk-history\n",
            ws.display()
        ),
    );
    let out = repo.commit("history hook");
    assert!(
        out.status.success(),
        "adding the history hook: {}",
        text(&out)
    );
    repo.write(
        "news/good.md",
        &replace(
            &article("3001", "A good article"),
            "externalId: '3001'",
            "externalId: '3999'",
        ),
    );
    let out = repo.commit("rewrite the id");
    let shown = text(&out);
    assert!(
        !out.status.success(),
        "the id change was committed: {shown}"
    );
    assert!(
        shown.contains("error[history/external-id-changed]") && shown.contains("3001"),
        "the history finding is shown: {shown}"
    );
}
