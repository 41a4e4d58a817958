//! Bounds on what copydesk reads and writes (issue 15): the result cache
//! is keyed by the build and by a stamp no one can set back, it is never
//! read or written through a symbolic link, and every input (configuration,
//! contract schema, baseline, cache, standard input) is bounded and never
//! blocks. `--online`'s own bounds are in `online.rs`.

use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant, SystemTime};

use crate::support::{self, stdout, NOW};

/// A run that outlives this is a hang: the test fails instead of waiting.
const DEADLINE: Duration = Duration::from_secs(30);

fn article(n: u32) -> String {
    support::numbered(&format!("8200{n:04}"), n)
}

/// `copydesk check --format concise ARGS` in `dir`, with a deadline.
fn copydesk(dir: &Path, args: &[&str]) -> Output {
    let mut cmd = support::command(dir);
    cmd.args(["check", "--now", NOW, "--format", "concise"])
        .args(args);
    support::output_within(cmd, None, DEADLINE)
}

fn stderr(out: &Output) -> String {
    support::stderr(out)
}

fn both(out: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}--- stderr\n{}",
        out.status.code(),
        stdout(out),
        stderr(out)
    )
}

/// Sets `path`'s modification time.
fn set_mtime(path: &Path, time: SystemTime) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.set_modified(time))
        .expect("set mtime");
}

/// Five clean articles and one with a finding in `content/`, all written
/// an hour ago as far as their mtime tells.
fn project() -> tempfile::TempDir {
    let dir = support::tempdir();
    support::write(
        dir.path(),
        "copydesk.toml",
        "content-roots = [\"content\"]\n",
    );
    for n in 0..5 {
        let p = support::write(dir.path(), &format!("content/a{n}.md"), &article(n));
        set_mtime(&p, SystemTime::now() - Duration::from_secs(3600));
    }
    let bad = support::write(
        dir.path(),
        "content/bad.md",
        &article(9).replace("lang: en", "lang: EN"),
    );
    set_mtime(&bad, SystemTime::now() - Duration::from_secs(3600));
    dir
}

fn cache_file(dir: &Path) -> std::path::PathBuf {
    dir.join(".copydesk_cache").join(copydesk::cache::FILE)
}

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo");
    assert!(status.success(), "mkfifo {}", path.display());
}

// --- 8: a stale cache ---------------------------------------------------

#[cfg(unix)]
#[test]
fn a_same_size_change_with_its_old_mtime_restored_is_linted_again() {
    let dir = project();
    let first = copydesk(dir.path(), &[]);
    assert_eq!(first.status.code(), Some(1), "{}", both(&first));
    // Let the entries settle: a stamp is trusted only for a file older
    // than the cache's racy window when it was read.
    std::thread::sleep(Duration::from_millis(2100));
    let warm = copydesk(dir.path(), &[]);
    assert_eq!(stdout(&warm), stdout(&first));
    let path = dir.path().join("content/a2.md");
    let text = std::fs::read_to_string(&path).expect("read");
    let changed = text.replace("lang: en", "lang: EN");
    assert_eq!(changed.len(), text.len());
    // `cp -p`, `touch -d`, an unpacked archive: new content, the old
    // size and the very same mtime. Only the inode change time moves.
    let mtime = std::fs::metadata(&path)
        .and_then(|m| m.modified())
        .expect("mtime");
    std::fs::write(&path, changed).expect("write");
    set_mtime(&path, mtime);
    assert_eq!(
        std::fs::metadata(&path).and_then(|m| m.modified()).ok(),
        Some(mtime)
    );
    let out = copydesk(dir.path(), &[]);
    assert!(
        stdout(&out).contains("content/a2.md:6:7"),
        "the cached clean result was reused:\n{}",
        both(&out)
    );
}

#[cfg(unix)]
#[test]
fn a_file_replaced_by_another_with_the_same_stamp_is_linted_again() {
    let dir = project();
    copydesk(dir.path(), &[]);
    std::thread::sleep(Duration::from_millis(2100));
    let path = dir.path().join("content/a3.md");
    let meta = std::fs::metadata(&path).expect("meta");
    let text = std::fs::read_to_string(&path).expect("read");
    // Another file (a checkout, an editor's save by rename) with the old
    // size and mtime moved over the original.
    let other = dir.path().join("a3.tmp");
    std::fs::write(&other, text.replace("lang: en", "lang: EN")).expect("write");
    set_mtime(&other, meta.modified().expect("mtime"));
    std::fs::rename(&other, &path).expect("rename");
    let out = copydesk(dir.path(), &[]);
    assert!(stdout(&out).contains("content/a3.md:6:7"), "{}", both(&out));
}

/// The frames of a cache file before its table: (payload) each,
/// checksums verified. The table (last frame) and its offset (the last 8
/// bytes) are left out: [`unframes`] writes them again.
fn frames(raw: &[u8]) -> Vec<Vec<u8>> {
    let (raw, at) = raw.split_at(raw.len() - 8);
    let table_at =
        usize::try_from(u64::from_le_bytes(at.try_into().expect("8 bytes"))).expect("an offset");
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < raw.len() {
        let mut len = 0usize;
        let mut shift = 0;
        loop {
            let byte = raw[pos];
            pos += 1;
            len |= usize::from(byte & 0x7f) << shift;
            shift += 7;
            if byte & 0x80 == 0 {
                break;
            }
        }
        let payload = raw[pos..pos + len].to_vec();
        let sum = u64::from_le_bytes(raw[pos + len..pos + len + 8].try_into().expect("8 bytes"));
        assert_eq!(
            sum,
            copydesk::cache::content_hash(&payload),
            "a broken frame"
        );
        out.push(payload);
        pos += len + 8;
        if pos == table_at {
            break;
        }
    }
    out
}

/// A cache file of `frames` (the header, then entries), with their lengths
/// and checksums, then the table of the entries (key hash, payload offset,
/// payload length; sorted) and its offset.
fn unframes(frames: &[Vec<u8>]) -> Vec<u8> {
    fn frame(out: &mut Vec<u8>, payload: &[u8]) -> usize {
        let mut len = payload.len();
        loop {
            let byte = (len & 0x7f) as u8;
            len >>= 7;
            if len == 0 {
                out.push(byte);
                break;
            }
            out.push(byte | 0x80);
        }
        let at = out.len();
        out.extend_from_slice(payload);
        out.extend_from_slice(&copydesk::cache::content_hash(payload).to_le_bytes());
        at
    }
    let mut out = Vec::new();
    let mut table = Vec::new();
    for (i, payload) in frames.iter().enumerate() {
        let at = frame(&mut out, payload);
        if i > 0 {
            // The key: a postcard string (a one-byte length here).
            let key = &payload[1..1 + usize::from(payload[0])];
            let hash = copydesk::cache::content_hash(key);
            table.push((hash, at as u32, payload.len() as u32));
        }
    }
    table.sort_unstable();
    let bytes: Vec<u8> = table
        .iter()
        .flat_map(|(h, o, l)| [&h.to_le_bytes()[..], &o.to_le_bytes(), &l.to_le_bytes()].concat())
        .collect();
    let table_at = out.len() as u64;
    frame(&mut out, &bytes);
    out.extend_from_slice(&table_at.to_le_bytes());
    out
}

#[test]
fn a_cache_written_by_another_build_of_the_same_version_is_not_reused() {
    let dir = project();
    let cold = copydesk(dir.path(), &[]);
    assert!(
        stdout(&cold).contains("content/bad.md:6:7"),
        "{}",
        both(&cold)
    );
    let file = cache_file(dir.path());
    let raw = std::fs::read(&file).expect("cache");
    let good = frames(&raw);
    // What the forged caches below are written with writes this one: they
    // differ from a cache this build reads only where they are forged.
    assert!(unframes(&good) == raw, "the cache format changed");
    // The header starts with the version string (a postcard string: its
    // length, then its bytes, short enough for a one-byte length).
    let header = &good[0];
    let len = usize::from(header[0]);
    assert!(len < 0x80);
    let version = std::str::from_utf8(&header[1..1 + len]).expect("version");
    assert!(
        version.starts_with(env!("CARGO_PKG_VERSION")),
        "{version:?}"
    );
    // Another build's message for the same finding, in the entries it
    // left: a build of other sources words (or finds) things differently.
    let ours = b"must be a BCP 47";
    let theirs = b"MUST BE A BCP 47";
    let entries: Vec<Vec<u8>> = good[1..]
        .iter()
        .map(|payload| {
            let mut p = payload.clone();
            if let Some(at) = p.windows(ours.len()).position(|w| w == ours) {
                p[at..at + ours.len()].copy_from_slice(theirs);
            }
            p
        })
        .collect();
    assert!(entries != good[1..], "no message to change in the cache");
    // The same version number, written by a build that does not say
    // which it is (what every build wrote before) or by another one.
    let others = [
        env!("CARGO_PKG_VERSION").to_owned(),
        format!("{}+0123456789abcdef", env!("CARGO_PKG_VERSION")),
    ];
    for other in others {
        let mut forged_header = vec![u8::try_from(other.len()).expect("short")];
        forged_header.extend_from_slice(other.as_bytes());
        forged_header.extend_from_slice(&header[1 + len..]);
        let mut forged = vec![forged_header];
        forged.extend(entries.iter().cloned());
        std::fs::write(&file, unframes(&forged)).expect("write");
        let out = copydesk(dir.path(), &[]);
        assert!(
            !stdout(&out).contains("MUST BE A BCP 47"),
            "the cache of build {other:?} was reused:\n{}",
            both(&out)
        );
        assert_eq!(stdout(&out), stdout(&cold), "{other:?}");
    }
}

// --- 11: unbounded reads ----------------------------------------------

#[cfg(unix)]
#[test]
fn a_cache_file_that_is_a_fifo_is_not_read() {
    let dir = project();
    std::fs::create_dir_all(dir.path().join(".copydesk_cache")).expect("mkdir");
    let file = cache_file(dir.path());
    mkfifo(&file);
    let started = Instant::now();
    let out = copydesk(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1), "{}", both(&out));
    assert!(started.elapsed() < DEADLINE);
    // Like a corrupt cache: rebuilt in its place.
    let meta = std::fs::symlink_metadata(&file).expect("cache");
    assert!(meta.is_file(), "{meta:?}");
}

#[cfg(unix)]
#[test]
fn a_cache_file_linked_to_dev_zero_is_refused_not_read() {
    let dir = project();
    std::fs::create_dir_all(dir.path().join(".copydesk_cache")).expect("mkdir");
    let file = cache_file(dir.path());
    std::os::unix::fs::symlink("/dev/zero", &file).expect("symlink");
    let out = copydesk(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1), "{}", both(&out));
    assert!(
        stdout(&out).contains("content/bad.md:6:7"),
        "{}",
        both(&out)
    );
    let err = stderr(&out);
    let warnings: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("copydesk: warning:"))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", both(&out));
    assert!(
        warnings[0].contains("is a symbolic link") && warnings[0].contains("without the cache"),
        "{}",
        warnings[0]
    );
    // Left as it is: neither read nor replaced.
    assert_eq!(
        std::fs::read_link(&file).expect("still a link"),
        Path::new("/dev/zero")
    );
}

#[cfg(unix)]
#[test]
fn a_config_or_baseline_that_is_a_fifo_or_a_device_is_an_error_not_a_hang() {
    let dir = project();
    mkfifo(&dir.path().join("pipe"));
    for (flag, path, why) in [
        ("--config", "pipe", "not a regular file"),
        ("--config", "/dev/zero", "not a regular file"),
        ("--baseline", "pipe", "not a regular file"),
        ("--baseline", "/dev/zero", "not a regular file"),
    ] {
        let started = Instant::now();
        let out = copydesk(dir.path(), &[flag, path]);
        assert_eq!(out.status.code(), Some(2), "{flag} {path}: {}", both(&out));
        assert!(stderr(&out).contains(why), "{flag} {path}: {}", both(&out));
        assert!(started.elapsed() < DEADLINE);
    }
}

#[cfg(unix)]
#[test]
fn a_contract_schema_that_is_a_fifo_is_an_error_not_a_hang() {
    let dir = project();
    mkfifo(&dir.path().join("schema.json"));
    support::write(
        dir.path(),
        "copydesk.toml",
        "content-roots = [\"content\"]\n[contract]\nschema = \"schema.json\"\n",
    );
    let out = copydesk(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(2), "{}", both(&out));
    assert!(
        stderr(&out).contains("cannot read the schema `schema.json`: not a regular file"),
        "{}",
        both(&out)
    );
}

#[test]
fn a_config_or_baseline_larger_than_the_limit_is_refused() {
    let dir = project();
    let big = std::fs::File::create(dir.path().join("big.toml")).expect("create");
    // Sparse: nothing to write, and copydesk must not read it.
    // Past the 1 MiB a configuration may take.
    big.set_len((1 << 20) + 1).expect("set_len");
    let out = copydesk(dir.path(), &["--config", "big.toml"]);
    assert_eq!(out.status.code(), Some(2), "{}", both(&out));
    assert!(stderr(&out).contains("larger than"), "{}", both(&out));
    let big = std::fs::File::create(dir.path().join("big.json")).expect("create");
    big.set_len(copydesk::baseline::MAX_BYTES + 1)
        .expect("set_len");
    let out = copydesk(dir.path(), &["--baseline", "big.json"]);
    assert_eq!(out.status.code(), Some(2), "{}", both(&out));
    assert!(stderr(&out).contains("larger than"), "{}", both(&out));
}

#[test]
fn standard_input_past_the_size_limit_is_too_large_and_not_read_whole() {
    let dir = support::defaults_dir();
    // A valid article padded past the 10 MiB limit.
    let mut text = article(1);
    let pad = "More words for the body of this article. ".repeat(300_000);
    text.push_str(&pad);
    assert!(text.len() > 10 << 20);
    let mut cmd = support::command(dir.path());
    cmd.args(["check", "--now", NOW, "--format", "json", "-"]);
    let out = support::output_within(cmd, Some(text.as_bytes()), DEADLINE);
    assert_eq!(out.status.code(), Some(1), "{}", both(&out));
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let codes: Vec<&str> = found
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert_eq!(codes, ["file/too-large"], "{}", both(&out));
    let message = found[0]["message"].as_str().unwrap_or_default();
    assert_eq!(
        message,
        "the file is more than 10485760 bytes; copydesk reads files up to 10485760 bytes"
    );
    // At the limit exactly, it is read and linted.
    let at_limit = format!(
        "{}{}",
        article(1),
        "x".repeat((10 << 20) - article(1).len())
    );
    let mut cmd = support::command(dir.path());
    cmd.args(["check", "--now", NOW, "--format", "json", "-"]);
    let out = support::output_within(cmd, Some(at_limit.as_bytes()), DEADLINE);
    assert!(!stdout(&out).contains("file/too-large"), "{}", stdout(&out));
}

// --- 12: the cache writer and symbolic links ---------------------------

#[cfg(unix)]
#[test]
fn a_symlinked_cache_folder_is_not_written_through() {
    let dir = project();
    let elsewhere = support::tempdir();
    std::os::unix::fs::symlink(elsewhere.path(), dir.path().join(".copydesk_cache"))
        .expect("symlink");
    let out = copydesk(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1), "{}", both(&out));
    let left: Vec<_> = std::fs::read_dir(elsewhere.path())
        .expect("read dir")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(
        left,
        Vec::<std::ffi::OsString>::new(),
        "written through the link"
    );
    let err = stderr(&out);
    let warnings: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("copydesk: warning:"))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", both(&out));
    assert!(
        warnings[0].contains(".copydesk_cache is a symbolic link"),
        "{}",
        warnings[0]
    );
    // The findings are the same as without a cache.
    let plain = copydesk(dir.path(), &["--no-cache"]);
    assert_eq!(stdout(&out), stdout(&plain));
}

#[cfg(unix)]
#[test]
fn a_symlinked_gitignore_in_the_cache_folder_creates_nothing_elsewhere() {
    let dir = project();
    let elsewhere = support::tempdir();
    let target = elsewhere.path().join("created-through-a-link");
    let cache = dir.path().join(".copydesk_cache");
    std::fs::create_dir(&cache).expect("mkdir");
    // A dangling link: following it would create its target.
    std::os::unix::fs::symlink(&target, cache.join(".gitignore")).expect("symlink");
    let out = copydesk(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1), "{}", both(&out));
    assert!(!target.exists(), "created through the link");
    assert!(
        stderr(&out).contains(".gitignore is a symbolic link"),
        "{}",
        both(&out)
    );
    assert!(!cache_file(dir.path()).exists(), "the cache was written");
}

#[cfg(unix)]
#[test]
fn a_cache_file_linked_elsewhere_is_not_replaced_or_written_through() {
    let dir = project();
    let elsewhere = support::tempdir();
    let target = elsewhere.path().join("their-file");
    std::fs::write(&target, "theirs\n").expect("write");
    std::fs::create_dir(dir.path().join(".copydesk_cache")).expect("mkdir");
    std::os::unix::fs::symlink(&target, cache_file(dir.path())).expect("symlink");
    let out = copydesk(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1), "{}", both(&out));
    assert_eq!(std::fs::read_to_string(&target).expect("read"), "theirs\n");
    assert!(std::fs::symlink_metadata(cache_file(dir.path()))
        .expect("meta")
        .file_type()
        .is_symlink());
    assert!(
        stderr(&out).contains("is a symbolic link"),
        "{}",
        both(&out)
    );
}
