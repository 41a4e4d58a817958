//! The result cache: reused when nothing changed, invalidated by a content
//! change, a configuration change or another copydesk version, and a
//! corrupt cache is ignored and rebuilt.

use std::path::Path;
use std::process::Output;
use std::time::{Duration, SystemTime};

use copydesk::cache::Cache;
use copydesk::check::Linted;
use copydesk::discover::Target;

use crate::support::{self, stdout, NOW};

fn article(n: u32) -> String {
    support::numbered(&format!("8100{n:04}"), n)
}

fn copydesk(dir: &Path, args: &[&str]) -> Output {
    let mut cmd = support::command(dir);
    cmd.args(["check", "--now", NOW, "--format", "concise"])
        .args(args);
    support::output(cmd, None)
}

/// Makes a file look as if written long ago, so its stamp is trusted
/// (a file modified within the mtime tick of being read is re-hashed).
fn age(path: &Path) {
    let file = std::fs::File::options()
        .write(true)
        .open(path)
        .expect("open");
    file.set_modified(SystemTime::now() - Duration::from_secs(3600))
        .expect("set mtime");
}

/// The settings `project()`'s copydesk.toml resolves to.
fn settings() -> copydesk_lint::Settings {
    let config = copydesk_lint::config::Config {
        content_roots: vec!["content".into()],
        ..Default::default()
    };
    copydesk_lint::Settings::new(config, NOW.parse().expect("now")).expect("settings")
}

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("copydesk.toml"),
        "content-roots = [\"content\"]\n",
    )
    .expect("config");
    std::fs::create_dir_all(dir.path().join("content")).expect("mkdir");
    for n in 0..5 {
        let p = dir.path().join(format!("content/a{n}.md"));
        std::fs::write(&p, article(n)).expect("write");
        age(&p);
    }
    let bad = dir.path().join("content/bad.md");
    std::fs::write(&bad, article(9).replace("lang: en", "lang: EN")).expect("write");
    age(&bad);
    dir
}

#[test]
fn a_warm_run_gives_the_same_findings_and_the_cache_is_ignored_by_git() {
    let dir = project();
    let cold = copydesk(dir.path(), &[]);
    assert_eq!(cold.status.code(), Some(1));
    let cache_dir = dir.path().join(".copydesk_cache");
    assert!(
        cache_dir.join(copydesk::cache::FILE).is_file(),
        "no cache written"
    );
    let ignore = std::fs::read_to_string(cache_dir.join(".gitignore")).expect(".gitignore");
    assert!(ignore.lines().any(|l| l == "*"), "{ignore}");
    let warm = copydesk(dir.path(), &[]);
    assert_eq!(stdout(&warm), stdout(&cold));
    assert_eq!(warm.status.code(), Some(1));
    assert!(
        stdout(&warm).contains("content/bad.md:6:7: error[schema/invalid-value]"),
        "{}",
        stdout(&warm)
    );
}

#[test]
fn the_warm_run_takes_unchanged_files_from_the_cache() {
    let dir = project();
    copydesk(dir.path(), &[]);
    let settings = settings();
    let cache = Cache::load(dir.path(), &settings);
    assert_eq!(cache.len(), 6);
    let target = |name: &str| {
        let display = format!("content/{name}");
        Target::new(&dir.path().join(&display), &display, &display)
    };
    let (clean, _) = cache
        .report(&settings, &target("a1.md"))
        .expect("a cached report");
    // A clean file's text is not even read back: only its index entry.
    match clean {
        Linted::Clean { index, .. } => {
            let index = index.expect("an index entry");
            assert_eq!(&*index.path, "content/a1.md");
            assert!(index.reported);
        }
        Linted::Full(report) => panic!("a clean file came back whole: {report:?}"),
    }
    // A file is taken from the cache once per run.
    assert!(cache.report(&settings, &target("a1.md")).is_none());
    let (bad, _) = cache
        .report(&settings, &target("bad.md"))
        .expect("a cached report");
    assert_eq!(bad.diagnostics().len(), 1);
    assert_eq!(bad.diagnostics()[0].code, "schema/invalid-value");
    // An earlier "now" than the cache's cannot reuse it (a date in its
    // future might be in the past of the cached run).
    let earlier = copydesk_lint::Settings::new(
        settings.config.clone(),
        "2020-01-01T00:00:00Z".parse().expect("now"),
    )
    .expect("settings");
    let cache = Cache::load(dir.path(), &settings);
    assert!(cache.report(&earlier, &target("a1.md")).is_none());
    assert!(cache.report(&settings, &target("a2.md")).is_some());
}

/// CI restores `.copydesk_cache/` into a fresh checkout: every file has a
/// new modification time and inode, but the same content, and its entry
/// is reused (by content hash) rather than linted again.
#[test]
fn a_restored_cache_is_reused_in_a_fresh_checkout() {
    let dir = project();
    copydesk(dir.path(), &[]);
    let checkout = tempfile::tempdir().expect("temp dir");
    let copy = |rel: &str| {
        let to = checkout.path().join(rel);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(dir.path().join(rel), &to).expect("copy");
        to
    };
    copy("copydesk.toml");
    for name in ["a0.md", "a1.md", "a2.md", "a3.md", "a4.md", "bad.md"] {
        let file = copy(&format!("content/{name}"));
        // Written by the checkout at another time than the cached file.
        let f = std::fs::File::options()
            .write(true)
            .open(&file)
            .expect("open");
        f.set_modified(SystemTime::now() - Duration::from_secs(60))
            .expect("set mtime");
    }
    copy(&format!(".copydesk_cache/{}", copydesk::cache::FILE));
    let settings = settings();
    let cache = Cache::load(checkout.path(), &settings);
    let display = "content/a1.md";
    let target = Target::new(&checkout.path().join(display), display, display);
    assert!(
        cache.report(&settings, &target).is_some(),
        "a moved but unchanged file is taken from the restored cache"
    );
    let warm = copydesk(checkout.path(), &[]);
    assert_eq!(stdout(&warm), stdout(&copydesk(dir.path(), &[])));
}

#[test]
fn a_content_change_of_the_same_size_invalidates_the_entry() {
    let dir = project();
    copydesk(dir.path(), &[]);
    let path = dir.path().join("content/a2.md");
    let text = std::fs::read_to_string(&path).expect("read");
    // Same length, so only the hash can tell; mtime set back to the old one.
    let changed = text.replace("lang: en", "lang: EN");
    assert_eq!(changed.len(), text.len());
    let mtime = std::fs::metadata(&path)
        .and_then(|m| m.modified())
        .expect("mtime");
    std::fs::write(&path, changed).expect("write");
    std::fs::File::options()
        .write(true)
        .open(&path)
        .and_then(|f| f.set_modified(mtime + Duration::from_secs(1)))
        .expect("set mtime");
    let out = copydesk(dir.path(), &[]);
    assert!(
        stdout(&out).contains("content/a2.md:6:7"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_configuration_change_invalidates_the_cache() {
    let dir = project();
    assert!(stdout(&copydesk(dir.path(), &[])).contains("schema/invalid-value"));
    std::fs::write(
        dir.path().join("copydesk.toml"),
        "content-roots = [\"content\"]\n[rules]\n\"schema/invalid-value\" = \"off\"\n",
    )
    .expect("config");
    let out = copydesk(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    std::fs::write(
        dir.path().join("copydesk.toml"),
        "content-roots = [\"content\"]\n",
    )
    .expect("config");
    assert!(stdout(&copydesk(dir.path(), &[])).contains("schema/invalid-value"));
}

#[test]
fn a_corrupt_or_foreign_cache_is_ignored_and_rebuilt() {
    let dir = project();
    let cold = copydesk(dir.path(), &[]);
    let file = dir
        .path()
        .join(".copydesk_cache")
        .join(copydesk::cache::FILE);
    let good = std::fs::read(&file).expect("cache");
    // Bytes flipped inside an entry decode to garbage or to another entry,
    // whose stamp and hash no longer match: never trusted either way.
    let mut flipped = good.clone();
    for b in flipped.iter_mut().skip(good.len() / 2).take(8) {
        *b ^= 0x5a;
    }
    for garbage in [
        b"not a cache at all".to_vec(),
        good[..good.len() / 2].to_vec(),
        vec![0xff; 4096],
        // A frame whose length runs past the end of the file.
        [good.clone(), vec![0xff; 9]].concat(),
        flipped,
    ] {
        std::fs::write(&file, &garbage).expect("corrupt");
        let out = copydesk(dir.path(), &[]);
        assert_eq!(stdout(&out), stdout(&cold));
        assert_ne!(
            std::fs::read(&file).expect("rebuilt"),
            garbage,
            "the cache was not rebuilt"
        );
    }
    // A cache from another version: the version string is the first field.
    let mut other = good.clone();
    let version = env!("CARGO_PKG_VERSION").as_bytes();
    let at = other
        .windows(version.len())
        .position(|w| w == version)
        .expect("version in cache");
    other[at] = b'9';
    std::fs::write(&file, &other).expect("write");
    let settings = settings();
    assert!(
        Cache::load(dir.path(), &settings).is_empty(),
        "another version's cache was trusted"
    );
    assert_eq!(stdout(&copydesk(dir.path(), &[])), stdout(&cold));
}

#[test]
fn no_cache_neither_reads_nor_writes() {
    let dir = project();
    copydesk(dir.path(), &["--no-cache"]);
    assert!(!dir.path().join(".copydesk_cache").exists());
}

#[test]
fn a_partial_warm_run_still_sees_duplicates_across_the_corpus() {
    let dir = project();
    copydesk(dir.path(), &[]);
    std::fs::write(
        dir.path().join("content/new.md"),
        article(3).replace("Company 3", "Another company"),
    )
    .expect("write");
    let out = copydesk(dir.path(), &["content/new.md"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("content/new.md:7:13: error[corpus/duplicate-external-id]"),
        "{text}"
    );
    assert!(text.contains("content/a3.md:7"), "{text}");
}

#[test]
fn a_deleted_article_leaves_the_cache_after_a_full_run_only() {
    let dir = project();
    copydesk(dir.path(), &[]);
    let settings = settings();
    assert_eq!(Cache::load(dir.path(), &settings).len(), 6);
    std::fs::remove_file(dir.path().join("content/a4.md")).expect("remove");
    // A partial run keeps what it did not look at.
    copydesk(dir.path(), &["content/a0.md"]);
    assert_eq!(Cache::load(dir.path(), &settings).len(), 6);
    copydesk(dir.path(), &[]);
    assert_eq!(Cache::load(dir.path(), &settings).len(), 5);
}
