//! The outside programs some end-to-end tests drive, and where they are
//! looked for.
//!
//! `build.rs` includes this file too: it looks for each tool in the same
//! places as the tests and, when one is missing and `CI` is not `true`,
//! sets the tool's `cfg`, which marks the tests that need it `ignored` with
//! the reason. A test whose tool is missing when it runs fails: under CI
//! always (the `cfg` is never set there), elsewhere only when the tool
//! went missing after the tests were built.

// Each side uses a part: the tests `require`, build.rs the rest.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// An outside program a test needs.
pub struct Tool {
    /// The executable's file name.
    pub name: &'static str,
    /// The environment variable naming the executable; it wins over `PATH`.
    pub var: Option<&'static str>,
    /// The `cfg` build.rs sets when the tool is missing outside CI.
    pub cfg: &'static str,
    /// Needed only when the tests run as root (uid 0).
    pub only_as_root: bool,
    /// How to get it.
    pub install: &'static str,
}

/// The pre-commit framework (`tests/it/pre_commit.rs`, `tests/it/wheel.rs`).
pub const PRE_COMMIT: Tool = Tool {
    name: "pre-commit",
    var: Some("COPYDESK_PRE_COMMIT"),
    cfg: "copydesk_no_pre_commit",
    only_as_root: false,
    install: "`bash .ci/run` installs it into target/ci-venv",
};

/// maturin, which builds the wheel (`tests/it/wheel.rs`).
pub const MATURIN: Tool = Tool {
    name: "maturin",
    var: Some("COPYDESK_MATURIN"),
    cfg: "copydesk_no_maturin",
    only_as_root: false,
    install: "`bash .ci/run` installs it into target/ci-venv",
};

/// Python, for the wheel's virtual environment (`tests/it/wheel.rs`).
pub const PYTHON: Tool = Tool {
    name: "python3",
    var: Some("COPYDESK_PYTHON"),
    cfg: "copydesk_no_python",
    only_as_root: false,
    install: "install Python 3",
};

/// Neovim, the editor client of `tests/it/neovim.rs`.
pub const NVIM: Tool = Tool {
    name: "nvim",
    var: None,
    cfg: "copydesk_no_nvim",
    only_as_root: false,
    install: "`apt-get install neovim`, as `bash .ci/run` does",
};

/// `patch`, which applies the output of `--diff` (`tests/it/fix.rs`).
pub const PATCH: Tool = Tool {
    name: "patch",
    var: None,
    cfg: "copydesk_no_patch",
    only_as_root: false,
    install: "`apt-get install patch`",
};

/// `setpriv`, which runs copydesk as `nobody` where root ignores file
/// permissions (`tests/it/cli.rs`).
pub const SETPRIV: Tool = Tool {
    name: "setpriv",
    var: None,
    cfg: "copydesk_no_setpriv",
    only_as_root: true,
    install: "it comes with util-linux",
};

/// Every tool, for build.rs.
pub const ALL: [&Tool; 6] = [&PRE_COMMIT, &MATURIN, &PYTHON, &NVIM, &PATCH, &SETPRIV];

/// The `cfg` build.rs sets when the workspace is not a git checkout (the
/// pre-commit hook is installed from the commit `HEAD` points at).
pub const NO_GIT_CHECKOUT: &str = "copydesk_no_git_checkout";

/// Whether `CI` is `true`: a test whose tool is missing fails there
/// rather than being ignored.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// The folders a tool named by no variable is looked for in: `PATH`, then
/// the virtual environment `.ci/run` installs pre-commit and maturin into.
pub fn search_dirs(workspace: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    dirs.push(workspace.join("target/ci-venv/bin"));
    dirs
}

impl Tool {
    /// Where the tool is: the variable's value when it is set (even if no
    /// file is there, so that the test fails saying so rather than being
    /// ignored), else the first file `name` in `search_dirs`.
    pub fn find(&self, workspace: &Path) -> Option<PathBuf> {
        if let Some(value) = self
            .var
            .and_then(std::env::var_os)
            .filter(|v| !v.is_empty())
        {
            return Some(PathBuf::from(value));
        }
        search_dirs(workspace)
            .into_iter()
            .map(|dir| dir.join(self.name))
            .find(|p| p.is_file())
    }

    /// The tool, for a test that needs it; panics when it is missing or the
    /// variable names no file.
    pub fn require(&self, workspace: &Path) -> PathBuf {
        let set = self.var.map_or(String::new(), |v| format!("set {v} or "));
        let Some(path) = self.find(workspace) else {
            let why = if in_ci() {
                "CI=true: a test that needs a tool fails without it"
            } else {
                "it was there when this test binary was built (build.rs marks the \
                 test ignored when it is not)"
            };
            panic!(
                "{name} not found ({set}put it on PATH; {install}): {why}",
                name = self.name,
                install = self.install,
            );
        };
        assert!(
            path.is_file(),
            "{}={} is not a file",
            self.var.unwrap_or(self.name),
            path.display()
        );
        path
    }
}
