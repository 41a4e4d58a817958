//! `--fix`, `--unsafe-fixes` and `--diff`, end to end with the real binary:
//! fixes change exactly the bytes they are about (comments, quoting, key
//! order, the body, CRLF endings and a BOM survive), a diff writes nothing,
//! editors get the fixed buffer on stdout, a failed write leaves the
//! original intact, and a file that does not parse is never written. Every
//! fixable rule's fix is shown by a snapshot.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

use crate::support::{self, article, copydesk, copydesk_stdin, replace, write, Run, NOW};
use crate::tools;

/// An article in a hand-edited style: comments, a double-quoted title,
/// `lang` moved to the end, and YAML in the body. Its defects: an unquoted
/// id with a trailing comment, a non-UTC date in double quotes and a
/// repeated tag (safe fixes), `draft: no` and a misspelt `stickyweight`
/// (unsafe fixes).
fn messy() -> String {
    let text = article("8001", "placeholder");
    let text = replace(
        &text,
        "---\ntitle: placeholder\n",
        "---\n# Imported by the RSS bridge; keep the key order.\ntitle: \"Miners turn to AI: a \\\"quiet\\\" shift\"\n",
    );
    let text = replace(&text, "lang: en\n", "");
    let text = replace(
        &text,
        "  version: 1\n",
        "  version: 1\nlang: en   # checked\n",
    );
    let text = replace(
        &text,
        "externalId: '8001'\n",
        "externalId: 8001 # the id at the source\n",
    );
    let text = replace(
        &text,
        "publishedAt: '2026-01-31T18:04:41.000Z'",
        "publishedAt: \"2026-01-31T20:04:41.000+02:00\"",
    );
    let text = replace(
        &text,
        "  - MINING\n",
        "  - MINING\n  - AI # added by hand\n  - MINING\n",
    );
    let text = replace(&text, "stickyWeight: 0\n", "stickyweight: 0\n");
    let text = replace(&text, "draft: false\n", "draft: no\n");
    replace(
        &text,
        "## Overview\n",
        "## Overview\n\n```yaml\ndraft: no\nexternalId: 8001\n  - MINING\n```\n",
    )
}

/// `messy()` after the safe fixes, spelled out edit by edit.
fn messy_safe() -> String {
    let text = replace(
        &messy(),
        "externalId: 8001 # the id",
        "externalId: '8001' # the id",
    );
    let text = replace(
        &text,
        "\"2026-01-31T20:04:41.000+02:00\"",
        "\"2026-01-31T18:04:41.000Z\"",
    );
    replace(&text, "# added by hand\n  - MINING\n", "# added by hand\n")
}

/// `messy()` after the safe and unsafe fixes.
fn messy_unsafe() -> String {
    let text = replace(&messy_safe(), "stickyweight: 0\n", "stickyWeight: 0\n");
    text.replacen("draft: no\n", "draft: false\n", 1)
}

/// CRLF line endings and a BOM.
fn crlf(text: &str) -> String {
    format!("\u{feff}{}", text.replace('\n', "\r\n"))
}

fn fix(dir: &Path, extra: &[&str], file: &str) -> Run {
    let mut args = vec!["check", "--format", "concise", "--now", NOW];
    args.extend_from_slice(extra);
    args.push(file);
    copydesk(dir, &args)
}

/// `assert_eq!` for long texts: shows the first line that differs.
#[track_caller]
fn assert_text(actual: &str, expected: &str, what: &str) {
    if actual == expected {
        return;
    }
    let line = actual
        .split_inclusive('\n')
        .zip(expected.split_inclusive('\n'))
        .position(|(a, e)| a != e)
        .unwrap_or(actual.lines().count().min(expected.lines().count()));
    let show = |t: &str| {
        t.split_inclusive('\n')
            .nth(line)
            .unwrap_or("<end>")
            .to_owned()
    };
    panic!(
        "{what}: line {} differs\n  actual:   {:?}\n  expected: {:?}",
        line + 1,
        show(actual),
        show(expected)
    );
}

fn read(path: &Path) -> String {
    String::from_utf8(std::fs::read(path).expect("read")).expect("UTF-8")
}

#[test]
fn fix_changes_only_the_fixed_bytes() {
    for (name, transform) in [("lf", None), ("crlf-bom", Some(crlf as fn(&str) -> String))] {
        let t = |s: String| transform.map_or(s.clone(), |f| f(&s));
        let dir = support::tempdir();
        let path = write(dir.path(), "a.md", &t(messy()));

        let run = fix(dir.path(), &["--fix"], "a.md");
        assert_text(
            &read(&path),
            &t(messy_safe()),
            &format!("{name}: safe fixes"),
        );
        assert_eq!(
            run.code,
            1,
            "{name}: unsafe findings remain: {}",
            run.both()
        );
        let lines: Vec<&str> = run.stdout.lines().collect();
        assert_eq!(lines.len(), 2, "{name}: {}", run.stdout);
        assert!(
            lines[0].starts_with("a.md:16:1: error[schema/unknown-key]"),
            "{name}: {}",
            run.stdout
        );
        assert!(
            lines[1].starts_with("a.md:19:8: error[schema/yaml11-boolean]"),
            "{name}: {}",
            run.stdout
        );
        assert!(
            run.stderr.contains("Fixed 3 findings."),
            "{name}: {}",
            run.stderr
        );

        let run = fix(dir.path(), &["--fix", "--unsafe-fixes"], "a.md");
        assert_text(
            &read(&path),
            &t(messy_unsafe()),
            &format!("{name}: unsafe fixes"),
        );
        assert_eq!(run.code, 0, "{name}: {}", run.both());
        assert_eq!(run.stdout, "");
        assert!(
            run.stderr.contains("Fixed 2 findings."),
            "{name}: {}",
            run.stderr
        );

        // All at once gives the same bytes.
        std::fs::write(&path, t(messy())).expect("write");
        let run = fix(dir.path(), &["--fix", "--unsafe-fixes"], "a.md");
        assert_eq!(run.code, 0, "{name}: {}", run.both());
        assert_text(
            &read(&path),
            &t(messy_unsafe()),
            &format!("{name}: in one run"),
        );
        assert!(
            run.stderr.contains("Fixed 5 findings."),
            "{name}: {}",
            run.stderr
        );
    }
}

#[test]
fn unsafe_fixes_alone_change_nothing() {
    let dir = support::tempdir();
    let path = write(dir.path(), "a.md", &messy());
    let run = fix(dir.path(), &["--unsafe-fixes"], "a.md");
    assert_eq!(run.code, 1);
    assert_eq!(read(&path), messy(), "--unsafe-fixes needs --fix or --diff");
}

#[test]
fn the_written_file_keeps_its_permissions_and_clean_files_are_not_rewritten() {
    let dir = support::tempdir();
    let path = write(dir.path(), "a.md", &messy());
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    let clean = write(dir.path(), "clean.md", &article("8002", "Nothing to fix"));
    let before = std::fs::metadata(&clean).expect("stat");
    let run = fix(dir.path(), &["--fix"], ".");
    assert_eq!(run.code, 1, "{}", run.both());
    let mode = std::fs::metadata(&path).expect("stat").permissions().mode();
    assert_eq!(mode & 0o777, 0o640);
    let after = std::fs::metadata(&clean).expect("stat");
    assert_eq!(
        before.ino(),
        after.ino(),
        "an unchanged file is not replaced"
    );
    assert_eq!(before.mtime_nsec(), after.mtime_nsec());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(leftovers.len(), 2, "no temporary file left: {leftovers:?}");
}

/// A small project for `--diff`: two fixable files and a clean one.
fn diff_project() -> tempfile::TempDir {
    let dir = support::tempdir();
    write(dir.path(), "articles/a.md", &messy());
    let b = article("8003", "A date in local time");
    let b = replace(
        &b,
        "updatedAt: '2026-01-31T18:29:36.979Z'",
        "updatedAt: 2026-01-31T19:29:36+01:00",
    );
    write(dir.path(), "articles/b.md", &b);
    write(dir.path(), "articles/c.md", &article("8004", "Clean"));
    dir
}

fn snapshot_of(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("list") {
        let path = entry.expect("entry").path();
        files.push((
            path.display().to_string(),
            std::fs::read(&path).expect("read"),
        ));
    }
    files.sort();
    files
}

/// `--diff` writes nothing, so the findings it shows (on stderr) are at
/// the lines of the file on disk, not of the fixed text: here the fix
/// removes a repeated tag line above the duplicate key.
#[test]
fn diff_reports_findings_at_the_lines_on_disk() {
    let dir = support::tempdir();
    let text = article("8101", "Lines stay put");
    let text = replace(
        &text,
        "tags:\n  - MINING\n",
        "tags:\n  - MINING\n  - MINING\n",
    );
    let text = replace(
        &text,
        "category: MINING\n",
        "category: MINING\ncategory: AI\n",
    );
    write(dir.path(), "a.md", &text);
    let line = text
        .lines()
        .position(|l| l == "category: AI")
        .expect("the duplicate key")
        + 1;
    let want = format!("a.md:{line}:1: error[yaml/duplicate-key]");
    let run = fix(dir.path(), &["--diff"], "a.md");
    assert_eq!(run.code, 1, "{}", run.both());
    assert!(run.stderr.contains(&want), "{want} in\n{}", run.stderr);
    let run = copydesk_stdin(
        dir.path(),
        &[
            "check",
            "--format",
            "concise",
            "--now",
            NOW,
            "--diff",
            "--stdin-filename",
            "a.md",
        ],
        &text,
    );
    assert!(run.stderr.contains(&want), "{want} in\n{}", run.stderr);
}

#[test]
fn diff_prints_the_fixes_and_writes_nothing() {
    let dir = diff_project();
    let before = snapshot_of(&dir.path().join("articles"));

    let run = fix(dir.path(), &["--diff"], "articles");
    assert_eq!(run.code, 1, "there would be changes: {}", run.both());
    assert_eq!(
        snapshot_of(&dir.path().join("articles")),
        before,
        "nothing written"
    );
    assert!(
        run.stderr.contains("Would fix 4 findings."),
        "{}",
        run.stderr
    );
    support::snapshots().bind(|| insta::assert_snapshot!("fix__diff_safe", run.stdout));

    let run = fix(dir.path(), &["--diff", "--unsafe-fixes"], "articles");
    assert_eq!(run.code, 1, "{}", run.both());
    assert_eq!(
        snapshot_of(&dir.path().join("articles")),
        before,
        "nothing written"
    );
    support::snapshots().bind(|| insta::assert_snapshot!("fix__diff_unsafe", run.stdout));

    // Nothing to fix: no diff, exit 0.
    let run = fix(dir.path(), &["--diff", "--unsafe-fixes"], "articles/c.md");
    assert_eq!(run.code, 0, "{}", run.both());
    assert_eq!(run.stdout, "");

    // Errors no fix can mend do not count: `--diff` answers "is everything
    // fixed?" (0), the findings still go to stderr.
    let unfixable = replace(&article("8005", "No fix"), "lang: en\n", "");
    write(dir.path(), "articles/d.md", &unfixable);
    let run = fix(dir.path(), &["--diff"], "articles/d.md");
    assert_eq!(run.code, 0, "{}", run.both());
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("schema/missing-key"), "{}", run.stderr);
    std::fs::remove_file(dir.path().join("articles/d.md")).expect("remove");
}

/// The diff applies with `patch` and gives what `--fix` writes.
#[test]
#[cfg_attr(copydesk_no_patch, ignore = "patch not found on PATH")]
fn diff_applies_with_patch_and_gives_what_fix_writes() {
    let patch = tools::PATCH.require(&support::workspace());
    let dir = diff_project();
    let run = fix(dir.path(), &["--diff", "--unsafe-fixes"], "articles");
    assert_eq!(run.code, 1, "{}", run.both());
    let patched = support::tempdir();
    copy_dir(
        &dir.path().join("articles"),
        &patched.path().join("articles"),
    );
    let fixed = support::tempdir();
    copy_dir(&dir.path().join("articles"), &fixed.path().join("articles"));
    let mut child = std::process::Command::new(patch)
        .args(["-p1", "--quiet"])
        .current_dir(patched.path())
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("run patch");
    {
        use std::io::Write;
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(run.stdout.as_bytes())
            .expect("write the diff to patch");
    }
    let status = child.wait().expect("wait for patch");
    assert!(status.success(), "patch failed on:\n{}", run.stdout);
    fix(fixed.path(), &["--fix", "--unsafe-fixes"], "articles");
    let strip = |files: Vec<(String, Vec<u8>)>, root: &Path| {
        files
            .into_iter()
            .map(|(p, b)| (p.replace(&*root.to_string_lossy(), ""), b))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        strip(
            snapshot_of(&patched.path().join("articles")),
            patched.path()
        ),
        strip(snapshot_of(&fixed.path().join("articles")), fixed.path())
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("list") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, to.join(path.file_name().expect("name"))).expect("copy");
    }
}

#[test]
fn fix_on_stdin_prints_the_fixed_buffer() {
    let dir = support::tempdir();
    let args = |extra: &[&'static str]| {
        let mut a = vec!["check", "--format", "concise", "--now", NOW];
        a.extend_from_slice(extra);
        a.extend_from_slice(&["--stdin-filename", "news/a.md"]);
        a
    };
    let run = copydesk_stdin(dir.path(), &args(&["--fix"]), &messy());
    assert_text(&run.stdout, &messy_safe(), "stdout is the fixed buffer");
    assert_eq!(run.code, 1, "unsafe findings remain: {}", run.both());
    assert!(
        run.stderr
            .contains("news/a.md:16:1: error[schema/unknown-key]"),
        "findings go to stderr: {}",
        run.stderr
    );
    assert!(!dir.path().join("news/a.md").exists(), "nothing is written");

    let run = copydesk_stdin(
        dir.path(),
        &args(&["--fix", "--unsafe-fixes"]),
        &crlf(&messy()),
    );
    assert_text(&run.stdout, &crlf(&messy_unsafe()), "stdout, CRLF");
    assert_eq!(run.code, 0, "{}", run.both());

    // A clean buffer comes back unchanged, so an editor can always take it.
    let clean = article("8005", "Clean buffer");
    let run = copydesk_stdin(dir.path(), &args(&["--fix"]), &clean);
    assert_eq!(run.stdout, clean);
    assert_eq!(run.code, 0);

    // The README's Helix formatter: exit 0 so the editor takes the buffer,
    // with the path or with `-`.
    for name in ["news/a.md", "-"] {
        let run = copydesk_stdin(
            dir.path(),
            &["check", "--fix", "--exit-zero", "--stdin-filename", name],
            &messy(),
        );
        assert_eq!(run.code, 0, "{name}: {}", run.both());
        assert_text(&run.stdout, &messy_safe(), name);
    }
    let run = copydesk_stdin(
        dir.path(),
        &["check", "--fix", "--exit-zero", "-"],
        &messy(),
    );
    assert_eq!(run.code, 0, "{}", run.both());
    assert_text(&run.stdout, &messy_safe(), "-");

    // --diff on stdin prints the diff instead.
    let run = copydesk_stdin(dir.path(), &args(&["--diff"]), &messy());
    assert_eq!(run.code, 1, "{}", run.both());
    assert!(
        run.stdout.starts_with("--- a/news/a.md\n+++ b/news/a.md\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_file_that_does_not_parse_is_never_written() {
    let dir = support::tempdir();
    let cases = [
        // A YAML syntax error, with a fixable finding's text around it.
        replace(&messy(), "sentiment: POSITIVE\n", "sentiment: [POSITIVE\n"),
        // An unterminated block.
        messy().replacen("---\n## Overview", "## Overview", 1),
        // Not UTF-8 would not even be read as text; a NUL byte makes it binary.
        messy().replacen("score: 0", "score: \u{0}", 1),
    ];
    for (i, text) in cases.iter().enumerate() {
        let name = format!("case{i}.md");
        let path = write(dir.path(), &name, text);
        let before = std::fs::metadata(&path).expect("stat").ino();
        let run = fix(dir.path(), &["--fix", "--unsafe-fixes"], &name);
        assert_eq!(run.code, 1, "case {i}: {}", run.both());
        assert_eq!(&read(&path), text, "case {i} was rewritten: {}", run.both());
        assert_eq!(std::fs::metadata(&path).expect("stat").ino(), before);
        let run = fix(dir.path(), &["--diff", "--unsafe-fixes"], &name);
        assert_eq!(run.stdout, "", "case {i}: no diff for an unparsed file");
    }
}

/// The reason a write fails, as the kernel words it.
fn is_write_error(stderr: &str, display: &str) -> bool {
    stderr.contains(&format!(
        "copydesk: error: {display}: cannot write the fixed file: "
    ))
}

/// Whether this process can create files in `dir` despite its mode
/// (root, or a capability that overrides permissions).
fn can_write_anyway(dir: &Path) -> bool {
    let probe = dir.join(".probe");
    let created = std::fs::write(&probe, b"").is_ok();
    let _ = std::fs::remove_file(&probe);
    created
}

#[test]
fn a_read_only_directory_makes_the_write_fail_cleanly() {
    let dir = support::tempdir();
    // Other users must reach the folder for the root case below.
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let ro = dir.path().join("ro");
    let path = write(dir.path(), "ro/a.md", &messy());
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).expect("chmod");

    let run = if can_write_anyway(&ro) {
        // Running as root: permission bits do not stop root, so the
        // read-only folder would be written to. Run copydesk as `nobody`
        // (uid 65534, via util-linux's setpriv) instead, for whom the mode
        // is enforced. Without setpriv the test fails rather than pass
        // without testing anything.
        let bin = dir.path().join("copydesk");
        std::fs::copy(env!("CARGO_BIN_EXE_copydesk"), &bin).expect("copy the binary");
        std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let mut cmd = std::process::Command::new("setpriv");
        cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&bin)
            .args([
                "check", "--format", "concise", "--now", NOW, "--fix", "ro/a.md",
            ])
            .current_dir(dir.path());
        let run = support::run_command(cmd, "");
        assert!(
            !run.stderr.contains("setpriv:"),
            "running as root needs setpriv to drop privileges: {}",
            run.both()
        );
        run
    } else {
        fix(dir.path(), &["--fix"], "ro/a.md")
    };
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).expect("chmod");

    assert_eq!(run.code, 2, "{}", run.both());
    assert!(is_write_error(&run.stderr, "ro/a.md"), "{}", run.stderr);
    assert!(run.stderr.contains("Permission denied"), "{}", run.stderr);
    assert_text(&read(&path), &messy(), "the original is intact");
    let entries: Vec<_> = std::fs::read_dir(&ro).expect("list").collect();
    assert_eq!(entries.len(), 1, "no temporary file left behind");
}

#[test]
fn a_write_failing_midway_leaves_the_original_and_no_temporary_file() {
    // RLIMIT_FSIZE binds root too: with a limit of 0 blocks the temporary
    // file is created but writing to it fails (EFBIG, since SIGXFSZ is
    // ignored and that disposition survives exec).
    let dir = support::tempdir();
    let path = write(dir.path(), "a.md", &messy());
    let mut cmd = std::process::Command::new("sh");
    cmd.args(["-c", "trap '' XFSZ; ulimit -f 0; exec \"$0\" \"$@\""])
        .arg(env!("CARGO_BIN_EXE_copydesk"))
        .args([
            "check", "--format", "concise", "--now", NOW, "--fix", "a.md",
        ])
        .current_dir(dir.path());
    let run = support::run_command(cmd, "");
    assert_eq!(run.code, 2, "{}", run.both());
    assert!(is_write_error(&run.stderr, "a.md"), "{}", run.stderr);
    assert_text(&read(&path), &messy(), "the original is intact");
    let entries: Vec<_> = std::fs::read_dir(dir.path()).expect("list").collect();
    assert_eq!(entries.len(), 1, "no temporary file left behind");
}

/// Every rule that has a fix shows it: `--diff --unsafe-fixes` on each of
/// its `invalid` fixtures under `fixtures/rules/<group>/<rule>/` (with the
/// rule folder's `copydesk.toml` when it has one) and on
/// `tests/data/fix/<group>/<rule>.md`, one snapshot per case; at least one
/// case per rule must produce a diff.
#[test]
fn every_fixable_rule_has_a_fixture_whose_snapshot_shows_the_fix() {
    let ws = support::workspace();
    let run = copydesk(&ws, &["rules", "--json"]);
    let rules: serde_json::Value = serde_json::from_str(&run.stdout).expect("rules JSON");
    let mut missing = Vec::new();
    for rule in rules.as_array().expect("array") {
        if rule["fix"] == "none" {
            continue;
        }
        let code = rule["code"].as_str().expect("code");
        let (group, name) = code.split_once('/').expect("group/name");
        let mut cases: Vec<String> = Vec::new();
        let invalid = ws
            .join("fixtures/rules")
            .join(group)
            .join(name)
            .join("invalid");
        if let Ok(entries) = std::fs::read_dir(&invalid) {
            for e in entries {
                let p = e.expect("entry").path();
                if p.extension().is_some_and(|x| x == "md") {
                    cases.push(format!(
                        "fixtures/rules/{group}/{name}/invalid/{}",
                        file_name(&p)
                    ));
                }
            }
        }
        let data = format!("tests/data/fix/{group}/{name}.md");
        if ws.join(&data).is_file() {
            cases.push(data);
        }
        cases.sort();
        // Rules that act on a configured list keep that list next to their
        // fixtures, as the fixture harness reads it.
        let rule_config = format!("fixtures/rules/{group}/{name}/copydesk.toml");
        let mut shown = false;
        for case in &cases {
            let mut args = vec![
                "check",
                "--format",
                "concise",
                "--now",
                NOW,
                "--diff",
                "--unsafe-fixes",
            ];
            if case.starts_with("fixtures/") && ws.join(&rule_config).is_file() {
                args.extend(["--config", rule_config.as_str()]);
            }
            args.push(case);
            let run = copydesk(&ws, &args);
            assert_ne!(run.code, 2, "{case}: {}", run.both());
            shown |= !run.stdout.is_empty();
            let snap = case
                .trim_end_matches(".md")
                .replace(['/', '.'], "_")
                .replace("fixtures_rules_", "fixture_")
                .replace("tests_data_fix_", "data_");
            support::snapshots()
                .bind(|| insta::assert_snapshot!(format!("fix__rule_fix__{snap}"), run.stdout));
        }
        if !shown {
            missing.push(code.to_owned());
        }
    }
    assert!(
        missing.is_empty(),
        "fixable rules without a fixture whose fix shows: {missing:?}"
    );
}

fn file_name(p: &Path) -> String {
    p.file_name().expect("name").to_string_lossy().into_owned()
}
