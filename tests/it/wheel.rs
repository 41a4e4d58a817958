//! copydesk as a Python wheel (`pyproject.toml`: maturin, `bindings =
//! "bin"`), and the pre-commit hook that installs it
//! (`packaging/pre-commit-mirror/`).
//!
//! The wheel is built once per test run with maturin, then:
//! - installed into a fresh virtual environment without network (`pip
//!   install --no-index --find-links`), where its `copydesk` lints the
//!   seeds exactly as the binary built by cargo does;
//! - installed by the real pre-commit framework, through the hook
//!   repository's `pip install .`, from a local wheel index with
//!   `PIP_NO_INDEX`: a source build could not even fetch maturin, so a
//!   passing hook is the wheel's binary.
//!
//! What is tested is the packaging, not the speed of the binary: the wheel
//! is built unoptimised (the release profile with `opt-level = 0`) into
//! `target/pre-commit-cargo`, the folder and settings `tests/it/pre_commit.rs`
//! builds its hook with, so that part of the dependencies is compiled once
//! for both (pre-commit's `cargo install` re-resolves and rebuilds about 80
//! of ~190 crates). Real releases run `maturin build --release` (README
//! "Install").
//!
//! maturin comes from `COPYDESK_MATURIN`, pre-commit from
//! `COPYDESK_PRE_COMMIT`, Python from `COPYDESK_PYTHON`, each else from
//! `PATH` or `target/ci-venv/bin`, where `.ci/run` installs the first two
//! (`tests/it/tools.rs`). A test whose tools are missing is `ignored` with
//! the reason (build.rs), so that `cargo test` works on a machine without
//! Python; under CI (`CI=true`) it runs and fails.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use crate::support::{self, article, replace, text, workspace, NOW};
use crate::tools;

/// A command with no inherited git or pip variables (the test may itself
/// run from a git hook, or under a user's pip configuration).
fn clean(program: &Path, dir: &Path) -> Command {
    let mut cmd = Command::new(program);
    cmd.current_dir(dir);
    for (key, _) in std::env::vars_os() {
        let k = key.to_string_lossy();
        if k.starts_with("GIT_") || k.starts_with("PIP_") || k == "VIRTUAL_ENV" {
            cmd.env_remove(&key);
        }
    }
    cmd.env("GIT_CONFIG_NOSYSTEM", "1")
        .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
        .env("PIP_CONFIG_FILE", "/dev/null")
        .env("NO_COLOR", "1");
    cmd
}

fn run(mut cmd: Command, what: &str) -> Output {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot run: {e}"));
    assert!(out.status.success(), "{what}: {}", text(&out));
    out
}

/// A virtual environment's executable `name`.
fn venv_bin(venv: &Path, name: &str) -> PathBuf {
    if cfg!(windows) {
        venv.join("Scripts").join(format!("{name}.exe"))
    } else {
        venv.join("bin").join(name)
    }
}

/// The folder holding the one `copydesk` wheel, built on first use.
fn wheel_dir() -> PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT
        .get_or_init(|| build_wheel(&tools::MATURIN.require(&workspace())))
        .clone()
}

fn build_wheel(maturin: &Path) -> PathBuf {
    let ws = workspace();
    let out_dir = ws.join("target/wheel-test/wheels");
    // A wheel of an earlier version or platform must not be installed.
    let _ = std::fs::remove_dir_all(&out_dir);
    let mut cmd = clean(maturin, &ws);
    cmd.args(["build", "--release", "--locked", "--out"])
        .arg(&out_dir)
        .env("CARGO_TARGET_DIR", ws.join("target/pre-commit-cargo"))
        // The settings of tests/it/pre_commit.rs, so the two share builds.
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
        .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "256")
        .env("CARGO_PROFILE_RELEASE_INCREMENTAL", "false");
    run(cmd, "maturin build");
    let wheels: Vec<_> = std::fs::read_dir(&out_dir)
        .expect("read the wheels folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "whl"))
        .collect();
    assert_eq!(wheels.len(), 1, "one wheel expected: {wheels:?}");
    let name = wheels[0]
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        name.starts_with(&format!("copydesk-{version}-py3-none-")),
        "the wheel is named after the project and the workspace version, for any Python 3: {name}"
    );
    out_dir
}

/// The seeds in a folder of their own with the default configuration.
fn seeds_project() -> tempfile::TempDir {
    let dir = support::defaults_dir();
    support::write(dir.path(), "seeds/article.md", &support::seed());
    support::write(dir.path(), "seeds/digest.md", &support::digest());
    dir
}

#[test]
#[cfg_attr(
    copydesk_no_maturin,
    ignore = "maturin not found: set COPYDESK_MATURIN or put it on PATH (bash .ci/run installs it)"
)]
#[cfg_attr(
    all(copydesk_no_python, not(copydesk_no_maturin)),
    ignore = "python3 not found: set COPYDESK_PYTHON or put it on PATH"
)]
fn the_wheel_installs_offline_and_lints_the_seeds() {
    let python = tools::PYTHON.require(&workspace());
    let wheels = wheel_dir();
    let tmp = support::tempdir();
    let venv = tmp.path().join("venv");
    let mut cmd = clean(&python, tmp.path());
    cmd.args(["-m", "venv"]).arg(&venv);
    run(cmd, "python3 -m venv");
    let mut cmd = clean(&venv_bin(&venv, "pip"), tmp.path());
    cmd.args(["install", "--no-index", "--find-links"])
        .arg(&wheels)
        .arg("copydesk");
    run(cmd, "pip install --no-index copydesk");

    let installed = venv_bin(&venv, "copydesk");
    assert!(
        installed.is_file(),
        "the wheel installs `copydesk` into the environment's scripts"
    );

    let project = seeds_project();
    let args = ["check", "--format", "concise", "--now", NOW, "seeds"];
    let out = clean(&installed, project.path())
        .args(args)
        .output()
        .expect("run the installed copydesk");
    let shown = text(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the digest has an error: {shown}"
    );
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("seeds/digest.md:1:1: error[frontmatter/missing]"),
        "the finding is shown: {shown}"
    );
    // The same program as the binary cargo built for these tests.
    let reference = support::copydesk(project.path(), &args);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        reference.stdout,
        "the wheel's copydesk and cargo's agree"
    );
}

/// The setuptools wheels virtualenv ships to seed environments (pre-commit
/// depends on virtualenv): the hook repository's build backend, offline.
fn setuptools_wheels(pre_commit: &Path) -> Vec<PathBuf> {
    let script = std::fs::read_to_string(pre_commit).unwrap_or_default();
    let python = script
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("#!"))
        .map(|l| PathBuf::from(l.trim()))
        .expect("pre-commit is a Python script with a #! line");
    let out = run(
        {
            let mut cmd = clean(&python, Path::new("/"));
            cmd.args([
                "-c",
                "import os, virtualenv.seed.wheels.embed as e; print(os.path.dirname(e.__file__))",
            ]);
            cmd
        },
        "find virtualenv's seed wheels",
    );
    let embed = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    std::fs::read_dir(&embed)
        .unwrap_or_else(|e| panic!("{}: {e}", embed.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("setuptools-"))
        })
        .collect()
}

fn git(dir: &Path, args: &[&str]) -> Output {
    let mut cmd = clean(Path::new("git"), dir);
    cmd.args(args);
    run(cmd, &format!("git {args:?}"))
}

/// A git repository holding `packaging/pre-commit-mirror/`, what the
/// release publishes as the hook repository; returns its commit.
fn hook_repository(dir: &Path) -> String {
    let mirror = workspace().join("packaging/pre-commit-mirror");
    for name in [".pre-commit-hooks.yaml", "pyproject.toml", "README.md"] {
        std::fs::copy(mirror.join(name), dir.join(name))
            .unwrap_or_else(|e| panic!("copy {name}: {e}"));
    }
    git(dir, &["init", "-q"]);
    git(dir, &["add", "-A"]);
    git(
        dir,
        &[
            "-c",
            "user.name=copydesk test",
            "-c",
            "user.email=test@copydesk.invalid",
            "-c",
            "commit.gpgsign=false",
            "commit",
            "-q",
            "-m",
            "hook",
        ],
    );
    String::from_utf8_lossy(&git(dir, &["rev-parse", "HEAD"]).stdout)
        .trim()
        .to_owned()
}

#[test]
#[cfg_attr(
    copydesk_no_pre_commit,
    ignore = "pre-commit not found: set COPYDESK_PRE_COMMIT or put it on PATH (bash .ci/run installs it)"
)]
#[cfg_attr(
    all(copydesk_no_maturin, not(copydesk_no_pre_commit)),
    ignore = "maturin not found: set COPYDESK_MATURIN or put it on PATH (bash .ci/run installs it)"
)]
fn the_wheel_hook_installs_offline_through_the_real_pre_commit() {
    let pre_commit = tools::PRE_COMMIT.require(&workspace());
    let wheels = wheel_dir();
    // The hook repository pins the wheel of this version (bumped together).
    let pin = format!("\"copydesk=={}\"", env!("CARGO_PKG_VERSION"));
    let manifest =
        std::fs::read_to_string(workspace().join("packaging/pre-commit-mirror/pyproject.toml"))
            .expect("read the hook repository's pyproject.toml");
    assert!(manifest.contains(&pin), "the hook repository pins {pin}");
    let tmp = support::tempdir();
    // The local index: the copydesk wheel and the hook package's backend.
    let index = tmp.path().join("index");
    std::fs::create_dir_all(&index).expect("create the index");
    let found: Vec<PathBuf> = std::fs::read_dir(&wheels)
        .expect("read the wheels")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .chain(setuptools_wheels(&pre_commit))
        .collect();
    for wheel in &found {
        let name = wheel.file_name().expect("a wheel's name");
        std::fs::copy(wheel, index.join(name)).expect("copy a wheel");
    }

    let hooks = tmp.path().join("hooks");
    std::fs::create_dir_all(&hooks).expect("create the hook repository");
    let rev = hook_repository(&hooks);

    let repo = tmp.path().join("articles");
    std::fs::create_dir_all(&repo).expect("create the articles repository");
    let home = tmp.path().join("pre-commit-home");
    let cmd = |program: &Path, args: &[&str]| -> Output {
        let mut cmd = clean(program, &repo);
        cmd.args(args)
            // A fresh home: the hook's environment is installed by this run.
            .env("PRE_COMMIT_HOME", &home)
            .env("PRE_COMMIT_COLOR", "never")
            .env("PIP_NO_INDEX", "1")
            .env("PIP_FIND_LINKS", &index)
            .env("VIRTUALENV_NO_PERIODIC_UPDATE", "1");
        cmd.output().expect("run command")
    };
    let git_ok = |args: &[&str]| {
        let out = cmd(Path::new("git"), args);
        assert!(out.status.success(), "git {args:?}: {}", text(&out));
    };
    git_ok(&["init", "-q"]);
    git_ok(&["config", "user.name", "copydesk test"]);
    git_ok(&["config", "user.email", "test@copydesk.invalid"]);
    git_ok(&["config", "commit.gpgsign", "false"]);
    let stage = |rel: &str, contents: &str| {
        support::write(&repo, rel, contents);
        git_ok(&["add", rel]);
    };
    stage(
        ".pre-commit-config.yaml",
        &format!(
            "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: copydesk\n",
            hooks.display()
        ),
    );
    let out = cmd(&pre_commit, &["install"]);
    assert!(out.status.success(), "pre-commit install: {}", text(&out));

    // The first commit installs the hook from the local index.
    stage("news/good.md", &article("4001", "A good article"));
    let start = std::time::Instant::now();
    let out = cmd(Path::new("git"), &["commit", "-q", "-m", "good article"]);
    assert!(out.status.success(), "the good article: {}", text(&out));
    eprintln!(
        "wheel hook: the first commit (installing the hook) took {:.1} s",
        start.elapsed().as_secs_f64()
    );

    let good_bad = article("4002", "An article with an unquoted id");
    let bad = replace(&good_bad, "externalId: '4002'", "externalId: 4002");
    stage("news/bad.md", &bad);
    let out = cmd(Path::new("git"), &["commit", "-q", "-m", "bad article"]);
    let shown = text(&out);
    assert!(
        !out.status.success(),
        "the bad article was committed: {shown}"
    );
    assert!(
        shown.contains("news/bad.md:7:13: error[schema/number-not-string]"),
        "the finding is shown: {shown}"
    );

    stage("news/bad.md", &good_bad);
    let out = cmd(Path::new("git"), &["commit", "-q", "-m", "fixed article"]);
    assert!(out.status.success(), "the fixed article: {}", text(&out));
}
