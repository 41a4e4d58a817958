//! Helpers shared by the end-to-end tests: the seed article, variations of
//! it, temporary projects, running the real `copydesk` binary, and where
//! the snapshots live.

// Each test module uses a different subset of these helpers.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The fixed "now" of every run, so date rules are reproducible.
pub const NOW: &str = "2026-11-22T00:00:00Z";

/// A run must finish well within this, or it counts as a hang.
pub const TIMEOUT: Duration = Duration::from_secs(120);

/// The workspace root (this package's manifest folder).
pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The file `name` of `fixtures/seeds/`.
pub fn seed_named(name: &str) -> String {
    let path = workspace().join("fixtures/seeds").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The seed article, which lints clean.
pub fn seed() -> String {
    seed_named("article.md")
}

/// The digest sample, which has no front matter.
pub fn digest() -> String {
    seed_named("digest.md")
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

/// The seed with the id `external_id` and every "CoreWeave" (title, body)
/// renamed "Company `n`": many such articles are never duplicates.
pub fn numbered(external_id: &str, n: u32) -> String {
    replace(&seed(), "57619983", external_id).replace("CoreWeave", &format!("Company {n}"))
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
    write_bytes(dir, rel, text)
}

/// Writes `bytes` to `dir/rel`, creating folders.
pub fn write_bytes(dir: &Path, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create folder");
    }
    std::fs::write(&path, bytes).expect("write file");
    path
}

/// A fresh temporary folder.
pub fn tempdir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("copydesk-test-")
        .tempdir()
        .expect("temporary folder")
}

/// A fresh temporary folder holding an empty `copydesk.toml`, so the
/// configuration is the defaults and the repository's own is never found.
pub fn defaults_dir() -> tempfile::TempDir {
    let dir = tempdir();
    std::fs::write(dir.path().join("copydesk.toml"), "").expect("write copydesk.toml");
    dir
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

/// Runs `cmd` (copydesk, possibly behind a wrapper) with `stdin` as its
/// standard input (none: `/dev/null`), killing it if it outlives
/// [`TIMEOUT`]; asserts that it did not panic.
pub fn output(cmd: Command, stdin: Option<&[u8]>) -> Output {
    output_within(cmd, stdin, TIMEOUT)
}

/// [`output`] with its own deadline.
pub fn output_within(mut cmd: Command, stdin: Option<&[u8]>, timeout: Duration) -> Output {
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("copydesk starts");
    // Fed and drained on threads, so that a large input or output cannot
    // deadlock against a full pipe.
    let writer = stdin.map(|bytes| {
        let mut input = child.stdin.take().expect("stdin");
        let bytes = bytes.to_vec();
        std::thread::spawn(move || {
            let _ = input.write_all(&bytes);
        })
    });
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut buf).map(|_| buf)
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut stderr, &mut buf).map(|_| buf)
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for copydesk") {
            break status;
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            panic!("{cmd:?} did not finish within {timeout:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    if let Some(writer) = writer {
        writer.join().expect("stdin writer");
    }
    let output = Output {
        status,
        stdout: out_reader
            .join()
            .expect("stdout thread")
            .expect("read stdout"),
        stderr: err_reader
            .join()
            .expect("stderr thread")
            .expect("read stderr"),
    };
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{cmd:?} panicked:\n{stderr}");
    output
}

/// The exit code of `out`; panics when a signal ended the run.
pub fn code(out: &Output) -> i32 {
    out.status.code().expect("exited normally, not by a signal")
}

/// The standard output of `out`, which must be UTF-8.
pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

/// The standard error of `out`, invalid UTF-8 replaced.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs `cmd` with `stdin` as standard input.
pub fn run_command(cmd: Command, stdin: &str) -> Run {
    let out = output(cmd, Some(stdin.as_bytes()));
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

/// Insta settings for the snapshots of these tests: they live in
/// `tests/snapshots/` under the names `<module>__<name>.snap` they had when
/// each module was a test binary of its own, so each assertion names its
/// snapshot with that prefix (insta would add `it__<module>__`).
pub fn snapshots() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(workspace().join("tests/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings
}

/// A finished command's exit code and both streams, for assertion messages.
pub fn text(out: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}
