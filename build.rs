//! Marks the end-to-end tests whose outside tool (pre-commit, maturin,
//! Python, Neovim, `patch`, `setpriv` as root) is missing as ignored, so
//! that `cargo test` lists them as `ignored, <reason>` instead of passing
//! them. With `CI=true` nothing is marked: they run, and fail without
//! their tool. `tests/it/tools.rs`, included below, says where each tool
//! is looked for; the tests look in the same places.
//!
//! The probe runs when this script runs, not when the tests run. Cargo
//! reruns it when `CI`, `PATH` or a tool's variable changes, when a tool it
//! found changes or goes away, and, on Unix, when a folder a missing tool
//! would be installed into changes (each absolute `PATH` folder and
//! `target/ci-venv/bin`). Each rerun rebuilds this package's binary and
//! test binary. An install it cannot see (Windows, or a folder added to
//! `PATH` by no environment change) needs `touch build.rs`.
//!
//! The release binary does not depend on anything here: only `#[ignore]`
//! attributes of `tests/it` read these `cfg`s.

#[path = "tests/it/tools.rs"]
mod tools;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=tests/it/tools.rs");
    println!("cargo::rerun-if-env-changed=CI");
    println!("cargo::rerun-if-env-changed=PATH");
    for tool in tools::ALL {
        println!("cargo::rustc-check-cfg=cfg({})", tool.cfg);
        if let Some(var) = tool.var {
            println!("cargo::rerun-if-env-changed={var}");
        }
    }
    println!("cargo::rustc-check-cfg=cfg({})", tools::NO_GIT_CHECKOUT);
    if tools::in_ci() {
        // Every test runs; one whose tool is missing fails.
        return;
    }
    let workspace = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let root = is_root();
    let mut missing = false;
    for tool in tools::ALL {
        if tool.only_as_root && !root {
            continue;
        }
        match tool.find(&workspace) {
            // Watched so that its removal is noticed. A variable naming no
            // file is not watched (a missing path would rerun this script
            // on every build); the test runs and fails saying so.
            Some(path) if path.is_file() => {
                println!("cargo::rerun-if-changed={}", path.display());
            }
            Some(_) => {}
            None => {
                println!("cargo::rustc-cfg={}", tool.cfg);
                missing = true;
            }
        }
    }
    if missing && cfg!(unix) {
        for dir in install_dirs(&workspace) {
            println!("cargo::rerun-if-changed={}", dir.display());
        }
    }
    // Not watched: `.git` changes with every commit, and a source tree
    // rarely becomes a checkout.
    if !workspace.join(".git").exists() {
        println!("cargo::rustc-cfg={}", tools::NO_GIT_CHECKOUT);
    }
}

/// The folders where installing a missing tool adds a file: the absolute
/// `PATH` folders that exist and `target/ci-venv/bin`. Cargo scans a
/// watched folder recursively, so a folder holding the workspace or this
/// build's output (`target/debug` on `PATH`), which change on every build,
/// is left out, and so are folders that do not exist (a missing path
/// reruns the script on every build).
fn install_dirs(workspace: &Path) -> BTreeSet<PathBuf> {
    // Resolved, so that `/bin` and `/usr/bin` are one folder where one
    // links to the other.
    let real = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let out = real(&PathBuf::from(
        std::env::var_os("OUT_DIR").unwrap_or_default(),
    ));
    let workspace = real(workspace);
    tools::search_dirs(&workspace)
        .into_iter()
        .filter(|dir| dir.is_absolute() && dir.is_dir())
        .map(|dir| real(&dir))
        .filter(|dir| !workspace.starts_with(dir) && !out.starts_with(dir))
        .collect()
}

/// Whether this runs as root, where file permissions do not bind and
/// `tests/it/cli.rs` needs `setpriv` to run copydesk as `nobody`.
fn is_root() -> bool {
    cfg!(unix)
        && Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|out| out.stdout.trim_ascii() == b"0")
}
