//! Where `--fix` must not write, end to end (README "Safety"): an edit
//! saved while it runs, read-only files and folders, links out of the
//! content roots, file links, hard links, owners; outputs that are inputs;
//! fixed copies left by an interrupted run; and files whose names would
//! display alike. A fix that is not written keeps the file's findings and
//! is an error (exit 2), never silent.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::time::{Duration, SystemTime};

use copydesk_workspace::discover::Discoverer;
use copydesk_workspace::fs::Hooks;
use copydesk_workspace::process::{process, FixRequest};
use copydesk_workspace::write_guard::WriteGuard;

use crate::support::{self, article, copydesk, replace, write, write_bytes, Run, NOW};

/// An article whose only finding is a non-UTC date, which a safe fix
/// rewrites.
fn fixable(id: &str) -> String {
    replace(
        &article(id, &format!("Story {id}")),
        "publishedAt: '2026-01-31T18:04:41.000Z'",
        "publishedAt: '2026-01-31T20:04:41.000+02:00'",
    )
}

/// [`fixable`] after the fix.
fn fixed(id: &str) -> String {
    article(id, &format!("Story {id}"))
}

fn fix(dir: &Path, paths: &[&str]) -> Run {
    let mut args = vec!["check", "--format", "concise", "--now", NOW, "--fix"];
    args.extend_from_slice(paths);
    copydesk(dir, &args)
}

fn read(path: &Path) -> String {
    String::from_utf8(std::fs::read(path).expect("read")).expect("UTF-8")
}

/// The names in `dir`.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn is_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// A run that is not written: the error names the article, its findings
/// are still shown and it is counted, and the exit code is 2.
#[track_caller]
fn assert_not_written(run: &Run, display: &str, reason: &str) {
    assert_eq!(run.code, 2, "{}", run.both());
    let error = format!("copydesk: error: {display}: {reason}");
    assert!(
        run.stderr.contains(&error),
        "wanted {error:?}:\n{}",
        run.both()
    );
    assert!(
        run.stdout.contains(&format!("{display}:")) && run.stdout.contains("date/not-utc"),
        "its findings are still shown:\n{}",
        run.both()
    );
    assert!(!run.stderr.contains("All clear"), "{}", run.both());
    assert!(!run.stderr.contains(".copydesk-fix-"), "{}", run.both());
}

// Item 2: the concurrent-edit guard.

/// Appends an editor's line to the file, in place.
fn edit_in_place(path: &Path) {
    let mut text = read(path);
    text.push_str("\nAdded by an editor.\n");
    std::fs::write(path, text).expect("edit");
}

/// Saves a new version the way most editors do: a new file renamed over.
fn save_by_rename(path: &Path) {
    let new = path.with_extension("saving");
    std::fs::write(&new, read(path).replace("Story", "Edited story")).expect("save");
    std::fs::rename(&new, path).expect("rename");
}

#[test]
fn an_edit_saved_while_fixing_is_kept_and_reported() {
    let edits = [
        ("in place", edit_in_place as fn(&Path)),
        ("by rename", save_by_rename),
    ];
    for (how, edit) in edits {
        // Before the last check, and between it and the swap (where only
        // checking what was swapped out can see it).
        let hooks = [
            Hooks {
                before_check: Some(edit),
                ..Hooks::default()
            },
            Hooks {
                before_swap: Some(edit),
                ..Hooks::default()
            },
        ];
        for (when, hooks) in hooks.into_iter().enumerate() {
            an_edit_is_kept(&format!("{how}, moment {when}"), edit, hooks);
        }
    }
}

/// Fixes a file through [`process`] while `hooks` make `edit` to it.
fn an_edit_is_kept(how: &str, edit: fn(&Path), hooks: Hooks) {
    let dir = support::defaults_dir();
    let path = write(dir.path(), "a.md", &fixable("9001"));
    let settings = copydesk_lint::Settings::with_defaults(NOW.parse().expect("now"));
    let target = Discoverer::new(dir.path(), dir.path(), &settings).target(&path);
    let mut guard = WriteGuard::new(dir.path(), dir.path(), &[".".to_owned()]);
    guard.hooks = hooks;
    let request = FixRequest {
        mode: copydesk_lint::fix::FixMode::Safe,
        write: true,
    };
    let processed =
        process(&settings, &target, Some(request), Some(&guard), None).expect("processed");
    // The same edit on a copy elsewhere: what the file must now hold.
    let scratch = support::tempdir();
    let copy = write(scratch.path(), "a.md", &fixable("9001"));
    edit(&copy);
    assert!(
        read(&path) == read(&copy),
        "{how}: the editor's save is lost"
    );
    let extra = processed.extra.expect("an error is kept");
    assert_eq!(
        extra.error.as_deref(),
        Some("a.md: changed while fixing, not written"),
        "{how}"
    );
    assert_eq!(extra.fixed, 0, "{how}: nothing counts as fixed");
    let codes: Vec<_> = processed
        .linted
        .diagnostics()
        .iter()
        .map(|d| d.code)
        .collect();
    assert_eq!(codes, ["date/not-utc"], "{how}: the findings as read");
    assert_eq!(
        names(dir.path()),
        ["a.md", "copydesk.toml"],
        "{how}: no copy left"
    );
}

#[test]
fn an_unchanged_file_is_still_fixed_through_the_guard() {
    // The guard's re-check must not refuse a file nobody touched (CRLF and
    // a BOM included: the bytes compared are the bytes read).
    let dir = support::defaults_dir();
    let crlf = |s: String| format!("\u{feff}{}", s.replace('\n', "\r\n"));
    let path = write(dir.path(), "a.md", &crlf(fixable("9002")));
    let run = fix(dir.path(), &["a.md"]);
    assert_eq!(run.code, 0, "{}", run.both());
    assert_eq!(read(&path), crlf(fixed("9002")));
}

// Item 3: read-only files and folders.

#[test]
fn a_read_only_file_is_reported_not_fixed() {
    // Decided by the mode bits: root could write it, and must not either.
    let dir = support::defaults_dir();
    let path = write(dir.path(), "a.md", &fixable("9003"));
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let run = fix(dir.path(), &["a.md"]);
    assert_not_written(&run, "a.md", "not fixed: read-only");
    assert!(
        run.stderr
            .contains("in 1 file; 1 fix not written (see above)."),
        "{}",
        run.both()
    );
    assert_eq!(read(&path), fixable("9003"));
    let mode = std::fs::metadata(&path).expect("stat").permissions().mode();
    assert_eq!(mode & 0o777, 0o444);
}

/// Runs `copydesk ARGS` in `dir` as a user for whom permission bits hold:
/// as root, as `nobody` through util-linux's setpriv (the test fails
/// rather than pass without testing when there is none).
fn run_unprivileged(dir: &Path, args: &[&str]) -> Run {
    if !is_root() {
        return copydesk(dir, args);
    }
    let bin = dir.join("copydesk-bin");
    std::fs::copy(env!("CARGO_BIN_EXE_copydesk"), &bin).expect("copy the binary");
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let mut cmd = std::process::Command::new("setpriv");
    cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(&bin)
        .args(args)
        .current_dir(dir);
    let run = support::run_command(cmd, "");
    assert!(!run.stderr.contains("setpriv:"), "setpriv: {}", run.both());
    run
}

#[test]
fn a_read_only_folder_names_the_article_not_a_temporary_file() {
    let dir = support::defaults_dir();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let path = write(dir.path(), "ro/a.md", &fixable("9004"));
    let ro = dir.path().join("ro");
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    let args = [
        "check", "--format", "concise", "--now", NOW, "--fix", "ro/a.md",
    ];
    let run = run_unprivileged(dir.path(), &args);
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    assert_not_written(
        &run,
        "ro/a.md",
        "cannot write the fixed file: cannot create a file in its folder: Permission denied",
    );
    assert_eq!(read(&path), fixable("9004"));
    assert_eq!(names(&ro), ["a.md"]);
}

// Item 15: a write that fails keeps the file in the run.

#[test]
fn a_failed_write_keeps_the_findings_and_the_count() {
    // RLIMIT_FSIZE binds root too: the copy is created, writing it fails.
    let dir = support::defaults_dir();
    let path = write(dir.path(), "a.md", &fixable("9005"));
    write(dir.path(), "b.md", &fixed("9006"));
    let mut cmd = std::process::Command::new("sh");
    cmd.args(["-c", "trap '' XFSZ; ulimit -f 0; exec \"$0\" \"$@\""])
        .arg(env!("CARGO_BIN_EXE_copydesk"))
        .args(["check", "--format", "concise", "--now", NOW, "--fix", "."])
        .current_dir(dir.path());
    let run = support::run_command(cmd, "");
    assert_not_written(&run, "a.md", "cannot write the fixed file: ");
    assert!(
        run.stderr
            .contains("Found 1 error and 0 warnings in 2 files; 1 fix not written (see above)."),
        "{}",
        run.both()
    );
    assert_eq!(read(&path), fixable("9005"));
}

// Item 4: links, hard links, owner and mode.

#[test]
fn a_folder_link_out_of_the_content_roots_is_not_written() {
    let dir = support::tempdir();
    write(
        dir.path(),
        "copydesk.toml",
        "content-roots = [\"content\"]\n",
    );
    write(dir.path(), "content/home.md", &fixed("9007"));
    let outside = support::tempdir();
    let theirs = write(outside.path(), "a.md", &fixable("9008"));
    std::os::unix::fs::symlink(outside.path(), dir.path().join("content/ext")).expect("link");
    let run = fix(dir.path(), &[]);
    assert_not_written(&run, "content/ext/a.md", "not fixed: it is a link to ");
    assert!(
        run.stderr.contains("outside the content roots"),
        "{}",
        run.both()
    );
    assert_eq!(read(&theirs), fixable("9008"), "nothing written outside");
    assert_eq!(names(outside.path()), ["a.md"]);
    // Named explicitly, through the same link: still not written.
    let run = fix(dir.path(), &["content/ext/a.md"]);
    assert_not_written(&run, "content/ext/a.md", "not fixed: it is a link to ");
    assert_eq!(read(&theirs), fixable("9008"));
    // A content root that is itself a link is inside the roots.
    std::fs::remove_file(dir.path().join("content/ext")).expect("unlink");
    write(
        dir.path(),
        "copydesk.toml",
        "content-roots = [\"content\", \"shared\"]\n",
    );
    std::os::unix::fs::symlink(outside.path(), dir.path().join("shared")).expect("link");
    let run = fix(dir.path(), &["shared/a.md"]);
    assert_eq!(run.code, 0, "{}", run.both());
    assert_eq!(read(&theirs), fixed("9008"));
}

#[test]
fn a_file_link_inside_the_roots_is_fixed_at_its_target_and_kept() {
    let dir = support::defaults_dir();
    // The target is not an article itself (`.txt`): only the link is found.
    let target = write(dir.path(), "store/a.txt", &fixable("9009"));
    std::os::unix::fs::symlink("store/a.txt", dir.path().join("a.md")).expect("link");
    let run = fix(dir.path(), &["."]);
    assert_eq!(run.code, 0, "{}", run.both());
    let link = std::fs::symlink_metadata(dir.path().join("a.md")).expect("lstat");
    assert!(link.file_type().is_symlink(), "the link is kept");
    assert_eq!(read(&target), fixed("9009"), "its target is fixed");
    assert_eq!(names(&dir.path().join("store")), ["a.txt"]);
}

#[test]
fn a_file_link_out_of_the_roots_is_not_written() {
    let dir = support::tempdir();
    write(
        dir.path(),
        "copydesk.toml",
        "content-roots = [\"content\"]\n",
    );
    let outside = support::tempdir();
    let theirs = write(outside.path(), "a.md", &fixable("9010"));
    std::fs::create_dir(dir.path().join("content")).expect("mkdir");
    std::os::unix::fs::symlink(&theirs, dir.path().join("content/a.md")).expect("link");
    let run = fix(dir.path(), &[]);
    assert_not_written(&run, "content/a.md", "not fixed: it is a link to ");
    assert_eq!(read(&theirs), fixable("9010"));
}

#[test]
fn hard_links_are_not_split() {
    let dir = support::defaults_dir();
    let a = write(dir.path(), "a.md", &fixable("9011"));
    let other = dir.path().join("elsewhere.txt");
    std::fs::hard_link(&a, &other).expect("link");
    let run = fix(dir.path(), &["a.md"]);
    assert_not_written(&run, "a.md", "not fixed: it has 2 hard links");
    let (ma, mo) = (
        std::fs::metadata(&a).expect("stat"),
        std::fs::metadata(&other).expect("stat"),
    );
    assert_eq!(ma.ino(), mo.ino(), "still one file");
    assert_eq!(read(&other), fixable("9011"));
}

#[test]
fn the_owner_and_mode_are_kept() {
    let dir = support::defaults_dir();
    let path = write(dir.path(), "a.md", &fixable("9012"));
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o664)).expect("chmod");
    let owner = if is_root() {
        // Another user's file, which root fixes for them.
        std::os::unix::fs::chown(&path, Some(65534), Some(65534)).expect("chown");
        (65534, 65534)
    } else {
        // Only root can give a file away: the runner's own file stays theirs.
        let m = std::fs::metadata(&path).expect("stat");
        (m.uid(), m.gid())
    };
    let before = std::fs::metadata(&path).expect("stat").ino();
    let run = fix(dir.path(), &["a.md"]);
    assert_eq!(run.code, 0, "{}", run.both());
    let m = std::fs::metadata(&path).expect("stat");
    assert_ne!(m.ino(), before, "replaced");
    assert_eq!(read(&path), fixed("9012"));
    assert_eq!((m.uid(), m.gid()), owner, "owner kept");
    assert_eq!(m.permissions().mode() & 0o7777, 0o664, "mode kept");
}

// Item 5: names that would display alike.

#[test]
fn files_whose_names_would_display_alike_are_both_checked() {
    use std::os::unix::ffi::OsStrExt;
    let dir = support::defaults_dir();
    // `b\u{7}.md` literally, and b, BEL, .md, which used to display as it;
    // likewise two names whose invalid bytes were both replaced by U+FFFD.
    let bad = |id: &str| fixed(id).replace("lang: en", "lang: EN");
    write(dir.path(), "b\\u{7}.md", &bad("9013"));
    write(dir.path(), "b\u{7}.md", &bad("9014"));
    write_bytes(dir.path(), "c\u{fffd}.md", bad("9015"));
    let raw = |name: &[u8]| dir.path().join(std::ffi::OsStr::from_bytes(name));
    std::fs::write(raw(b"c\xe9.md"), bad("9016")).expect("write");
    std::fs::write(raw(b"c\xe8.md"), bad("9017")).expect("write");
    let run = copydesk(
        dir.path(),
        &["check", "--format", "json", "--now", NOW, "."],
    );
    assert_eq!(run.code, 1, "{}", run.both());
    let all: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).expect("JSON");
    let mut all_paths: Vec<&str> = all.iter().filter_map(|d| d["path"].as_str()).collect();
    all_paths.sort();
    all_paths.dedup();
    assert_eq!(
        all_paths,
        [
            "b\\\\u{7}.md",
            "b\\u{7}.md",
            "c\\xE8.md",
            "c\\xE9.md",
            "c\u{fffd}.md"
        ],
        "five files, five names: {}",
        run.both()
    );
    let concise = copydesk(
        dir.path(),
        &["check", "--format", "concise", "--now", NOW, "."],
    );
    assert!(concise.stderr.contains("in 5 files."), "{}", concise.both());
}

// Item 13: outputs that are inputs.

#[test]
fn an_output_that_is_an_input_is_refused() {
    let dir = support::tempdir();
    write(
        dir.path(),
        "copydesk.toml",
        "content-roots = [\"content\"]\n",
    );
    let article = write(dir.path(), "content/article.md", &fixable("9018"));
    let baseline = dir.path().join("baseline.json");
    let made = copydesk(
        dir.path(),
        &["check", "--now", NOW, "--write-baseline", "baseline.json"],
    );
    assert_eq!(made.code, 0, "{}", made.both());
    let recorded = read(&baseline);
    let cases: [(&[&str], &str); 5] = [
        (
            &["-o", "content/article.md"],
            "the article content/article.md",
        ),
        (
            &["-o", "./content/../content/article.md", "content"],
            "the article content/article.md",
        ),
        (
            &["--output-file", "copydesk.toml"],
            "the configuration file",
        ),
        (
            &["--write-baseline", "content/article.md"],
            "the article content/article.md",
        ),
        (
            &["--baseline", "baseline.json", "-o", "baseline.json"],
            "the baseline being read",
        ),
    ];
    for (extra, what) in cases {
        let mut args = vec!["check", "--now", NOW, "--fix"];
        args.extend_from_slice(extra);
        let run = copydesk(dir.path(), &args);
        assert_eq!(run.code, 2, "{extra:?}: {}", run.both());
        assert!(
            run.stderr.contains(what) && run.stderr.contains("refusing to overwrite it"),
            "{extra:?}: {}",
            run.both()
        );
        // Refused before anything was fixed or written.
        assert_eq!(read(&article), fixable("9018"), "{extra:?}");
        assert_eq!(
            read(&dir.path().join("copydesk.toml")),
            "content-roots = [\"content\"]\n"
        );
        assert_eq!(read(&baseline), recorded, "{extra:?}");
    }
    // A new file, or the baseline rewritten by --write-baseline, is fine.
    let run = copydesk(dir.path(), &["check", "--now", NOW, "-o", "report.txt"]);
    assert_eq!(run.code, 1, "{}", run.both());
    assert!(read(&dir.path().join("report.txt")).contains("date/not-utc"));
}

// Item 14: fixed copies an interrupted run left.

/// Makes `path`'s modification time an hour old.
fn age(path: &Path) {
    let file = std::fs::File::options()
        .write(true)
        .open(path)
        .expect("open");
    file.set_modified(SystemTime::now() - Duration::from_secs(3600))
        .expect("set mtime");
}

#[test]
fn stale_fixed_copies_are_removed_and_never_linted() {
    let dir = support::defaults_dir();
    let content = dir.path().join("content");
    write(dir.path(), "content/a.md", &fixed("9019"));
    let stale = write(dir.path(), "content/.copydesk-fix-AbC123", &fixable("9019"));
    age(&stale);
    // A copy a --fix running now is writing: too young to touch.
    write(dir.path(), "content/.copydesk-fix-XyZ789", &fixable("9019"));
    // Not one of ours by name, or not a regular file: kept.
    let other = write(dir.path(), "content/.copydesk-fix-notes", "mine");
    age(&other);
    let old = write(dir.path(), "old.txt", "not a copy");
    age(&old);
    std::os::unix::fs::symlink(&old, content.join(".copydesk-fix-LnK123")).expect("link");

    // Named by a glob that matches them: they are not articles.
    let run = copydesk(
        dir.path(),
        &[
            "check",
            "--format",
            "concise",
            "--now",
            NOW,
            "content/.copydesk-fix-*",
        ],
    );
    assert!(!run.stdout.contains(".copydesk-fix-"), "{}", run.both());
    assert!(run.stderr.contains("0 files"), "{}", run.both());

    // A --fix run over the folder (nothing to fix there) sweeps it.
    let run = fix(dir.path(), &["content"]);
    assert_eq!(run.code, 0, "{}", run.both());
    assert!(run.stderr.contains("1 file checked"), "{}", run.both());
    assert_eq!(
        names(&content),
        [
            ".copydesk-fix-LnK123",
            ".copydesk-fix-XyZ789",
            ".copydesk-fix-notes",
            "a.md"
        ]
    );
    assert_eq!(read(&old), "not a copy");
}

/// How many fixes a run reports having written.
fn fixed_count(run: &Run) -> usize {
    run.stderr
        .lines()
        .find_map(|l| l.strip_prefix("Fixed ")?.split(' ').next()?.parse().ok())
        .unwrap_or(0)
}

#[test]
fn two_fix_runs_at_once_write_each_file_once() {
    const N: usize = 150;
    let dir = support::defaults_dir();
    for i in 0..N {
        write(
            dir.path(),
            &format!("content/a{i:03}.md"),
            &fixable(&format!("7{i:03}")),
        );
    }
    let runs: Vec<Run> = std::thread::scope(|s| {
        let both = [(); 2].map(|()| s.spawn(|| fix(dir.path(), &["content"])));
        both.map(|h| h.join().expect("run")).into()
    });
    for run in &runs {
        // 2 when the other run fixed a file this one had read.
        assert!(run.code == 0 || run.code == 2, "{}", run.both());
        for line in run
            .stderr
            .lines()
            .filter(|l| l.starts_with("copydesk: error:"))
        {
            assert!(
                line.ends_with(": changed while fixing, not written"),
                "{line}"
            );
        }
    }
    assert_eq!(
        fixed_count(&runs[0]) + fixed_count(&runs[1]),
        N,
        "each file written exactly once:\n{}\n{}",
        runs[0].both(),
        runs[1].both()
    );
    for i in 0..N {
        let path = dir.path().join(format!("content/a{i:03}.md"));
        assert_eq!(
            read(&path),
            fixed(&format!("7{i:03}")),
            "{}",
            path.display()
        );
    }
    assert_eq!(names(&dir.path().join("content")).len(), N, "no copy left");
}
