//! Helpers shared by the end-to-end tests: the seed article, variations of
//! it, and running the real `copydesk` binary.

// Each test file uses a different subset of these helpers.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The fixed "now" of every run, so date rules are reproducible.
pub const NOW: &str = "2026-11-22T00:00:00Z";

/// The workspace root (this package's manifest folder).
pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The seed article, which lints clean.
pub fn seed() -> String {
    std::fs::read_to_string(workspace().join("fixtures/seeds/article.md")).expect("seed article")
}

/// The digest sample, which has no front matter.
pub fn digest() -> String {
    std::fs::read_to_string(workspace().join("fixtures/seeds/digest.md")).expect("digest sample")
}

/// The seed with its own `externalId` and `title`, so that two articles
/// made with different arguments never look like duplicates.
pub fn article(external_id: &str, title: &str) -> String {
    let text = replace(
        &seed(),
        "externalId: '57619983'",
        &format!("externalId: '{external_id}'"),
    );
    replace(
        &text,
        "title: CoreWeave shows how crypto-era infrastructure quietly became AI’s backbone",
        &format!("title: {title}"),
    )
}

/// Replaces the one occurrence of `from` in `text`; panics when it is not
/// there exactly once, so a changed seed breaks loudly.
pub fn replace(text: &str, from: &str, to: &str) -> String {
    assert_eq!(
        text.matches(from).count(),
        1,
        "expected exactly one {from:?} in the article"
    );
    text.replacen(from, to, 1)
}

/// Writes `text` to `dir/rel`, creating folders.
pub fn write(dir: &Path, rel: &str, text: &str) -> PathBuf {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create folder");
    }
    std::fs::write(&path, text).expect("write file");
    path
}

/// The outcome of one run of the binary.
#[derive(Debug)]
pub struct Run {
    /// The exit code (`-1` when killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// Both streams, for assertion messages.
    pub fn both(&self) -> String {
        format!(
            "exit {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// A `copydesk` command running in `dir`, isolated from the caller's
/// environment where it matters (colours).
pub fn command(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_copydesk"));
    cmd.current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE");
    cmd
}

/// Runs `cmd` with `stdin` as standard input.
pub fn run_command(mut cmd: Command, stdin: &str) -> Run {
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn copydesk");
    let mut input = child.stdin.take().expect("stdin");
    let bytes = stdin.as_bytes().to_vec();
    // Written from a thread so a large input cannot deadlock against a
    // full stdout pipe.
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&bytes);
    });
    let out = child.wait_with_output().expect("wait for copydesk");
    writer.join().expect("stdin writer");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// Runs `copydesk ARGS` in `dir` with an empty stdin.
pub fn copydesk(dir: &Path, args: &[&str]) -> Run {
    let mut cmd = command(dir);
    cmd.args(args);
    run_command(cmd, "")
}

/// Runs `copydesk ARGS` in `dir` with `stdin` as standard input.
pub fn copydesk_stdin(dir: &Path, args: &[&str], stdin: &str) -> Run {
    let mut cmd = command(dir);
    cmd.args(args);
    run_command(cmd, stdin)
}

/// A fresh temporary folder.
pub fn tempdir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("copydesk-test-")
        .tempdir()
        .expect("temporary folder")
}
