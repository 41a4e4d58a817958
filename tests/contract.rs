//! A newsroom's own contract end to end (SPEC §8): `[contract] schema`
//! replacing the built-in one, and TOML/JSON front matter. Every test runs
//! the real binary in a temporary project.

use std::path::Path;
use std::process::{Command, Output};

const NOW: &str = "2026-11-22T00:00:00Z";

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

fn copydesk(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .current_dir(cwd)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run copydesk")
}

/// `check --now NOW --format concise` plus `args`; (exit code, stdout lines, stderr).
fn check(cwd: &Path, args: &[&str]) -> (i32, Vec<String>, String) {
    let mut all = vec!["check", "--now", NOW, "--format", "concise"];
    all.extend_from_slice(args);
    let out = copydesk(cwd, &all);
    (
        out.status.code().expect("exit code"),
        String::from_utf8(out.stdout)
            .expect("utf-8 stdout")
            .lines()
            .map(str::to_owned)
            .collect(),
        String::from_utf8(out.stderr).expect("utf-8 stderr"),
    )
}

#[test]
fn a_zola_post_is_not_missing_front_matter() {
    let dir = tempfile::tempdir().expect("tempdir");
    let post = "+++\ntitle = \"Hello\"\ndate = 2024-05-01\n\n[taxonomies]\ntags = [\"rust\"]\n+++\n## Hi\n\nA Zola post.\n";
    write(dir.path(), "content/hello.md", post);
    let (code, lines, stderr) = check(dir.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        !lines.iter().any(|l| l.contains("frontmatter/missing")),
        "{lines:#?}"
    );
    // Judged against the built-in contract: `date` is not one of its keys,
    // reported where it is written.
    assert!(
        lines
            .iter()
            .any(|l| l.contains("hello.md:3:1: error[schema/unknown-key]")),
        "{lines:#?}"
    );
}

#[test]
fn fix_keeps_toml_and_json_front_matter_valid() {
    let dir = tempfile::tempdir().expect("tempdir");
    let toml = "+++\ntitle = \"Hello\"\nexternalId = 42\n+++\n## Hi\n\nBody.\n";
    let json = "{\n  \"title\": \"Hello\",\n  \"externalId\": 42\n}\n## Hi\n\nBody.\n";
    write(dir.path(), "content/a.md", toml);
    write(dir.path(), "content/b.md", json);
    let out = copydesk(dir.path(), &["check", "--now", NOW, "--fix", "content"]);
    assert!(out.status.code().is_some(), "{out:?}");
    let a = std::fs::read_to_string(dir.path().join("content/a.md")).expect("a");
    let b = std::fs::read_to_string(dir.path().join("content/b.md")).expect("b");
    assert!(a.contains("externalId = \"42\"\n"), "{a}");
    assert!(b.contains("\"externalId\": \"42\"\n"), "{b}");
}
