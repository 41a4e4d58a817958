//! Fault tests (SPEC §6): hostile files, paths and pipes. Each yields a
//! clear message naming the file, the run goes on with the other files, and
//! the exit code follows SPEC §4. The bad inputs of the parse layer (alias
//! bomb, deep nesting, tabs, …) are in `cli.rs`; these are the rest.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::support::{self, seed, write_bytes, NOW};

/// A seed article made unique, so no two files are duplicates.
fn article(n: u32) -> String {
    support::numbered(&format!("7000{n:04}"), n)
}

fn workspace() -> tempfile::TempDir {
    support::defaults_dir()
}

/// Runs `copydesk check` in `dir` with a deadline: a hang fails the test.
fn copydesk(dir: &Path, args: &[&str]) -> Output {
    let mut cmd = support::command(dir);
    cmd.args(["check", "--now", NOW]).args(args);
    support::output_within(cmd, None, Duration::from_secs(60))
}

fn json(out: &Output) -> Vec<Value> {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn codes_for<'a>(all: &'a [Value], path: &str) -> Vec<&'a str> {
    all.iter()
        .filter(|f| f["path"] == path)
        .filter_map(|f| f["code"].as_str())
        .collect()
}

#[test]
fn a_50_mb_file_is_a_size_finding_and_not_read() {
    let dir = workspace();
    let big = std::fs::File::create(dir.path().join("big.md")).expect("create");
    // Sparse: the test does not write 50 MB, and copydesk must not read it.
    big.set_len(50 << 20).expect("set_len");
    write_bytes(dir.path(), "ok.md", article(1));
    let out = copydesk(dir.path(), &["--format", "json", "."]);
    assert_eq!(out.status.code(), Some(1));
    let all = json(&out);
    assert_eq!(codes_for(&all, "big.md"), ["file/too-large"]);
    let message = all[0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("52428800 bytes"), "{message}");
    assert!(codes_for(&all, "ok.md").is_empty());
}

#[test]
fn non_utf8_in_the_block_and_in_the_body_point_at_the_byte() {
    let dir = workspace();
    let mut in_block = article(2).into_bytes();
    let at = in_block
        .windows(4)
        .position(|w| w == b"lang")
        .expect("lang");
    in_block[at + 6] = 0xE9; // "lang: \xE9n"
    write_bytes(dir.path(), "block.md", &in_block);
    let mut in_body = article(3).into_bytes();
    in_body.extend_from_slice(b"\nCaf\xE9 au lait.\n");
    write_bytes(dir.path(), "body.md", &in_body);
    let out = copydesk(dir.path(), &["--format", "json", "."]);
    assert_eq!(out.status.code(), Some(1));
    let all = json(&out);
    let block = all
        .iter()
        .find(|f| f["path"] == "block.md")
        .expect("block finding");
    assert_eq!(block["code"], "file/not-utf8");
    assert_eq!(
        (block["line"].as_u64(), block["column"].as_u64()),
        (Some(6), Some(7))
    );
    let body = all
        .iter()
        .find(|f| f["path"] == "body.md")
        .expect("body finding");
    assert_eq!(body["code"], "file/not-utf8");
    let lines = in_body.split(|&b| b == b'\n').count() as u64;
    assert_eq!(
        (body["line"].as_u64(), body["column"].as_u64()),
        (Some(lines - 1), Some(4))
    );
}

#[test]
fn nul_bytes_make_a_binary_finding_and_the_run_goes_on() {
    let dir = workspace();
    let mut bytes = article(4).into_bytes();
    bytes.extend_from_slice(b"\0\0\0");
    write_bytes(dir.path(), "nul.md", &bytes);
    write_bytes(dir.path(), "ok.md", article(5));
    let out = copydesk(dir.path(), &["--format", "json", "."]);
    let all = json(&out);
    assert_eq!(codes_for(&all, "nul.md"), ["file/binary"]);
    assert!(codes_for(&all, "ok.md").is_empty());
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_directory_named_like_an_article_is_walked_not_read() {
    let dir = workspace();
    write_bytes(dir.path(), "x.md/inner.md", article(6));
    write_bytes(dir.path(), "ok.md", article(7));
    let out = copydesk(dir.path(), &["--format", "json", "."]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(json(&out).is_empty());
    // Named explicitly, it is a folder to walk, not a file that failed.
    let out = copydesk(dir.path(), &["--format", "json", "x.md"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[cfg(unix)]
#[test]
fn a_path_with_non_utf8_bytes_is_linted_and_shown() {
    use std::os::unix::ffi::OsStrExt;
    let dir = workspace();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.md");
    let bad = seed().replace("lang: en", "lang: EN");
    std::fs::write(dir.path().join(name), bad).expect("write");
    let out = copydesk(dir.path(), &["--format", "json", "."]);
    assert_eq!(out.status.code(), Some(1));
    let all = json(&out);
    assert_eq!(all.len(), 1, "{all:?}");
    // Escaped, not replaced: two names that differ only there stay apart.
    assert_eq!(all[0]["path"], "caf\\xE9.md");
}

#[test]
fn a_file_that_disappears_before_it_is_read_is_a_clear_error() {
    let dir = workspace();
    let path = write_bytes(dir.path(), "gone.md", article(8));
    let target = copydesk::discover::Target::new(&path, "gone.md", "gone.md");
    std::fs::remove_file(&path).expect("remove");
    let settings = copydesk_lint::Settings::with_defaults(NOW.parse().expect("now"));
    let err = copydesk::check::read_and_lint(&settings, &target).expect_err("the file is gone");
    assert!(err.starts_with("gone.md: "), "{err}");
}

#[cfg(unix)]
#[test]
fn a_fifo_named_on_the_command_line_is_refused_not_read() {
    let dir = workspace();
    let fifo = dir.path().join("pipe.md");
    let status = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(status.success());
    write_bytes(dir.path(), "ok.md", article(9));
    // Reading a FIFO with no writer would block forever; the deadline in
    // `copydesk()` turns a hang into a failure.
    let out = copydesk(dir.path(), &["--format", "json", "pipe.md", "ok.md"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("pipe.md: not a regular file"));
    // Walked, it is skipped: only regular files are articles.
    let out = copydesk(dir.path(), &["--format", "json", "."]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let dir = workspace();
    for n in 0..50 {
        write_bytes(
            dir.path(),
            &format!("a{n:02}.md"),
            seed().replace("lang: en", "lang: EN"),
        );
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .current_dir(dir.path())
        .args(["check", "--now", NOW, "--format", "concise", "."])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    // Read one line, then close our end: `copydesk check | head -1`.
    let mut stdout = child.stdout.take().expect("stdout");
    let mut first = [0u8; 16];
    std::io::Read::read_exact(&mut stdout, &mut first).expect("some output");
    drop(stdout);
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.to_lowercase().contains("broken pipe"), "{stderr}");
    assert_ne!(out.status.code(), Some(101), "{stderr}");
    assert!(out.status.code().is_some(), "killed by a signal: {stderr}");
}

#[test]
fn a_huge_value_is_truncated_in_messages() {
    let dir = workspace();
    let digits = "9".repeat(200_000);
    write_bytes(
        dir.path(),
        "huge.md",
        article(10).replace("externalId: '70000010'", &format!("externalId: {digits}")),
    );
    let out = copydesk(dir.path(), &["--format", "json", "."]);
    let all = json(&out);
    let f = all
        .iter()
        .find(|f| f["code"] == "schema/number-not-string")
        .expect("finding");
    let message = f["message"].as_str().unwrap_or_default();
    assert!(
        message.chars().count() <= 401,
        "{} chars",
        message.chars().count()
    );
    assert!(message.ends_with('…'), "{message}");
    let full = copydesk(dir.path(), &["--format", "full", "."]);
    assert!(
        full.stdout.len() < 20_000,
        "full output is {} bytes",
        full.stdout.len()
    );
}

#[test]
fn control_characters_are_escaped_in_every_format() {
    let dir = workspace();
    write_bytes(
        dir.path(),
        "esc.md",
        article(11).replace("lang: en", "lang: \"e\\e[31mn\\u0007\"\nsubtitle\u{7f}: x"),
    );
    for format in [
        "full", "concise", "json", "sarif", "github", "junit", "gitlab",
    ] {
        let out = copydesk(dir.path(), &["--format", format, "."]);
        assert_eq!(out.status.code(), Some(1), "{format}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(!text.is_empty(), "{format}: no output");
        let bad: Vec<char> = text
            .chars()
            .filter(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
            .collect();
        assert!(bad.is_empty(), "{format} output carries {bad:?}:\n{text}");
    }
    let mut stdin_run = Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .current_dir(dir.path())
        .args([
            "check",
            "--now",
            NOW,
            "--format",
            "concise",
            "--stdin-filename",
            "s.md",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    stdin_run
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"---\ntitle: \x1b]0;pwned\x07\n---\n")
        .expect("write stdin");
    let out = stdin_run.wait_with_output().expect("wait");
    assert!(
        !out.stdout.contains(&0x1b),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
