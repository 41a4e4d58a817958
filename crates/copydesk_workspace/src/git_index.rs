//! git's index as a witness, inside a commit hook, that an article the
//! run does not name is unchanged since the result cache saw it — so a
//! pre-commit run over a few staged files does not stat the other 100k.
//!
//! git records, for every tracked file, the stat data (times, inode,
//! size) of the content it staged. When that record equals the stamp the
//! cache holds for the same path, git and the cache saw the same version
//! of the file, and in a commit hook what is committed is the index. The
//! pre-commit framework also sets aside unstaged changes before its hooks
//! run, so there the working tree holds exactly that version; without it,
//! an unstaged edit made since the last run is not seen, which is what the
//! commit will hold. A record that is absent, conflicted, marked
//! assume-unchanged, skip-worktree or intent-to-add, or differs in any
//! field vouches for nothing: the file is stat-ed as usual.
//!
//! Only the file format git documents (`gitformat-index`, versions 2 to 4)
//! is read, bounded, and never trusted beyond its bytes: an index that
//! does not parse, or is split (`link` extension), is not used. A garbled
//! record can only fail to match: a match needs the same path, inode,
//! size and both times to the nanosecond as a settled cache entry.

use std::io::Read;
use std::path::Path;

use crate::cache::Stamp;
use crate::fs;

/// The largest index read: about 2.5 million tracked files.
const MAX_BYTES: u64 = 256 << 20;

/// An index's stat data for one path, as git stores it (each field cut
/// to 32 bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct GitStat {
    ctime_s: u32,
    ctime_ns: u32,
    mtime_s: u32,
    mtime_ns: u32,
    ino: u32,
    size: u32,
}

impl GitStat {
    /// Whether `stamp` is this record, field by field as git cuts them.
    fn is(&self, stamp: &Stamp) -> bool {
        let split = |ns: u64| ((ns / 1_000_000_000) as u32, (ns % 1_000_000_000) as u32);
        // Truncation to 32 bits is git's own.
        (self.mtime_s, self.mtime_ns) == split(stamp.mtime_ns)
            && (self.ctime_s, self.ctime_ns) == split(stamp.ctime_ns)
            && self.ino == stamp.ino as u32
            && self.size == stamp.size as u32
    }
}

/// The stat data git's index holds for the files under a folder, by path
/// relative to it.
#[derive(Debug)]
pub struct GitStamps {
    /// (xxh3 of the path, its record), sorted. Paths are not kept: two
    /// paths with one hash could only mix up records that also agree on
    /// inode, size and both times to the nanosecond, which two files
    /// never do.
    entries: Vec<(u64, GitStat)>,
    /// Where the hashes with each value of their top `bits` start (see
    /// `cache::buckets`): a lookup goes straight to about one entry, not
    /// through a search of 100k.
    buckets: Vec<u32>,
    bits: u32,
}

impl GitStamps {
    /// Reads the index file `index` of the working tree at `top`, keeping
    /// the files under `root` (the configuration root). `None` when it
    /// cannot be read, is too large, or is not an index this reads.
    pub fn load(index: &Path, top: &Path, root: &Path) -> Option<Self> {
        let prefix = root.strip_prefix(top).ok()?;
        let mut under = String::new();
        for part in prefix.components() {
            under.push_str(part.as_os_str().to_str()?);
            under.push('/');
        }
        let (file, meta) = fs::open_regular(index).ok()?;
        if meta.len() > MAX_BYTES {
            return None;
        }
        Self::read(file, meta.len(), &under)
    }

    /// The stamps of an index's bytes, for the paths that start with
    /// `under` (which it strips).
    pub fn parse(bytes: &[u8], under: &str) -> Option<Self> {
        Self::read(bytes, bytes.len() as u64, under)
    }

    /// [`GitStamps::parse`] of the `size` bytes `r` gives, read a window
    /// at a time: the index of 100k files is 10 MB, which a commit hook's
    /// run would otherwise read into fresh memory first.
    fn read(r: impl Read, size: u64, under: &str) -> Option<Self> {
        let mut w = Window::new(r.take(size));
        let mut head = Reader {
            bytes: w.ahead(12)?,
            at: 0,
        };
        if head.take(4)? != b"DIRC" {
            return None;
        }
        let version = head.u32()?;
        if !(2..=4).contains(&version) {
            return None;
        }
        let count = head.u32()?;
        w.advance(12);
        let mut entries = Vec::new();
        let mut path = Vec::new();
        for _ in 0..count {
            let mut r = Reader {
                bytes: w.ahead(MAX_ENTRY)?,
                at: 0,
            };
            let (stat, keep) = r.entry(version, &mut path)?;
            let used = r.at;
            w.advance(used);
            if let Some(rest) = path.strip_prefix(under.as_bytes()).filter(|_| keep) {
                entries.push((xxhash_rust::xxh3::xxh3_64(rest), stat));
            }
        }
        // A split index lists only what changed since its shared part.
        if w.extensions_split(size)? {
            return None;
        }
        entries.sort_unstable_by_key(|&(hash, _)| hash);
        let (buckets, bits) = crate::cache::buckets(&entries, |&(hash, _)| hash);
        Some(GitStamps {
            entries,
            buckets,
            bits,
        })
    }

    /// How many files the index vouches for.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether it vouches for none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Whether git's index records `stamp` for the file at `path`
    /// (relative to the root, `/`-separated).
    pub fn vouches(&self, path: &str, stamp: &Stamp) -> bool {
        self.vouches_hashed(xxhash_rust::xxh3::xxh3_64(path.as_bytes()), stamp)
    }

    /// [`GitStamps::vouches`] for the path whose xxh3 is `hash` (the
    /// result cache's key hash, already at hand).
    pub fn vouches_hashed(&self, hash: u64, stamp: &Stamp) -> bool {
        let bucket = crate::cache::bucket_of(hash, self.bits);
        let (Some(&start), Some(&end)) = (self.buckets.get(bucket), self.buckets.get(bucket + 1))
        else {
            return false;
        };
        let near = self.entries.get(start as usize..end as usize);
        near.unwrap_or_default()
            .iter()
            .filter(|&&(h, _)| h == hash)
            .any(|(_, stat)| stat.is(stamp))
    }
}

/// The longest entry read (its path included): far beyond any path a
/// file system takes; an index with a longer one is not used.
const MAX_ENTRY: usize = 64 << 10;

/// A window on an index being read: what is left of the last read, and
/// more read when it runs short.
struct Window<R> {
    r: R,
    buf: Vec<u8>,
    /// The window: `buf[at..len]`.
    at: usize,
    len: usize,
    /// Bytes before `buf[0]`.
    passed: u64,
}

impl<R: Read> Window<R> {
    fn new(r: R) -> Self {
        Window {
            r,
            buf: vec![0; 4 * MAX_ENTRY],
            at: 0,
            len: 0,
            passed: 0,
        }
    }

    /// At least the next `n` bytes (at most `MAX_ENTRY`), or all that
    /// are left; `None` on a read error.
    fn ahead(&mut self, n: usize) -> Option<&[u8]> {
        if self.len - self.at < n {
            self.buf.copy_within(self.at..self.len, 0);
            self.passed += self.at as u64;
            self.len -= self.at;
            self.at = 0;
            while self.len < self.buf.len() {
                match self.r.read(self.buf.get_mut(self.len..)?) {
                    Ok(0) => break,
                    Ok(k) => self.len += k,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(_) => return None,
                }
            }
        }
        self.buf.get(self.at..self.len)
    }

    /// Moves past `n` bytes of the window.
    fn advance(&mut self, n: usize) {
        self.at = (self.at + n).min(self.len);
    }

    /// How many bytes were passed.
    fn position(&self) -> u64 {
        self.passed + self.at as u64
    }

    /// Walks the extensions up to the checksum that ends the `size` bytes:
    /// whether one says the index is split (`link`).
    fn extensions_split(&mut self, size: u64) -> Option<bool> {
        let end = size.checked_sub(CHECKSUM as u64)?;
        let mut split = false;
        while self.position() < end {
            let mut r = Reader {
                bytes: self.ahead(8)?,
                at: 0,
            };
            split |= r.take(4)? == b"link";
            let mut left = u64::from(r.u32()?);
            self.advance(8);
            while left > 0 {
                let have = self
                    .ahead(1)?
                    .len()
                    .min(usize::try_from(left).unwrap_or(usize::MAX));
                if have == 0 {
                    return None;
                }
                self.advance(have);
                left -= have as u64;
            }
        }
        (self.position() == end).then_some(split)
    }
}

/// A cursor over an index's bytes; every read is bounds-checked.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

/// Flags of an entry git's stat data says nothing about.
const ASSUME_VALID: u16 = 0x8000;
const EXTENDED: u16 = 0x4000;
const STAGE: u16 = 0x3000;
const NAME_LEN: u16 = 0x0fff;
const SKIP_WORKTREE: u16 = 0x4000;
const INTENT_TO_ADD: u16 = 0x2000;
/// The trailing checksum.
const CHECKSUM: usize = 20;

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let end = self.at.checked_add(n)?;
        let out = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(out)
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_be_bytes(self.take(4)?.try_into().ok()?))
    }

    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_be_bytes(self.take(2)?.try_into().ok()?))
    }

    /// One entry: its stat data and whether it vouches for its file; its
    /// path replaces `path` (version 4 paths build on the previous one).
    fn entry(&mut self, version: u32, path: &mut Vec<u8>) -> Option<(GitStat, bool)> {
        let start = self.at;
        let mut word = [0; 10];
        for w in &mut word {
            *w = self.u32()?;
        }
        let [ctime_s, ctime_ns, mtime_s, mtime_ns, _dev, ino, mode, _uid, _gid, size] = word;
        self.take(20)?;
        let flags = self.u16()?;
        let extended = if flags & EXTENDED != 0 {
            if version < 3 {
                return None;
            }
            self.u16()?
        } else {
            0
        };
        self.path(version, flags & NAME_LEN, path, start)?;
        let stat = GitStat {
            ctime_s,
            ctime_ns,
            mtime_s,
            mtime_ns,
            ino,
            size,
        };
        let regular = matches!(mode, 0o100644 | 0o100755);
        let vouches = regular
            && flags & (ASSUME_VALID | STAGE) == 0
            && extended & (SKIP_WORKTREE | INTENT_TO_ADD) == 0;
        Some((stat, vouches))
    }

    /// An entry's path, and (before version 4) the padding after it.
    fn path(&mut self, version: u32, len: u16, path: &mut Vec<u8>, start: usize) -> Option<()> {
        let name_at = self.at - start;
        if version == 4 {
            let strip = self.varint()?;
            let keep = path.len().checked_sub(usize::try_from(strip).ok()?)?;
            path.truncate(keep);
        } else {
            path.clear();
        }
        let rest = self.bytes.get(self.at..)?;
        let end = rest.iter().position(|&b| b == 0)?;
        path.extend_from_slice(rest.get(..end)?);
        self.take(end + 1)?;
        if len != NAME_LEN && usize::from(len) != path.len() {
            return None;
        }
        if version < 4 {
            // NULs up to a multiple of eight bytes from the entry's start:
            // one at least (taken above), eight at most.
            let total = (name_at + end + 8) & !7;
            let fill = (start + total).checked_sub(self.at)?;
            if self.take(fill)?.iter().any(|&b| b != 0) {
                return None;
            }
        }
        Some(())
    }

    /// git's offset varint (as in `varint.c`).
    fn varint(&mut self) -> Option<u64> {
        let mut byte = *self.take(1)?.first()?;
        let mut value = u64::from(byte & 0x7f);
        while byte & 0x80 != 0 {
            value = value.checked_add(1)?.checked_mul(128)?;
            byte = *self.take(1)?.first()?;
            value |= u64::from(byte & 0x7f);
        }
        Some(value)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::process::Command;

    /// Runs git in `dir`, which must succeed.
    pub(crate) fn git(dir: &Path, args: &[&str]) {
        let status = Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", dir)
            .status()
            .expect("git runs (these tests need it)");
        assert!(status.success(), "git {args:?}");
    }

    fn stamp(path: &Path) -> Stamp {
        Stamp::of(&std::fs::metadata(path).expect("stat it"))
    }

    /// A repository with tracked articles under `content/` (one of them in
    /// a folder with a space and a non-Latin name, one with a long name),
    /// and one outside it; the paths under `content/`.
    fn repo() -> (tempfile::TempDir, Vec<&'static str>) {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let names = vec![
            "a.md",
            "news/2026/Выборы итоги.md",
            "news/long-slug-that-goes-on-and-on-and-on-and-on-and-on-and-on.md",
            "z.md",
        ];
        for name in names
            .iter()
            .map(|n| format!("content/{n}"))
            .chain(["other/x.md".into()])
        {
            let path = dir.path().join(&name);
            std::fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
            std::fs::write(&path, format!("---\ntitle: {name}\n---\n")).expect("write");
        }
        git(dir.path(), &["init", "-q"]);
        git(dir.path(), &["add", "."]);
        (dir, names)
    }

    fn stamps(dir: &Path) -> GitStamps {
        let index = dir.join(".git/index");
        GitStamps::load(&index, dir, &dir.join("content")).expect("the index reads")
    }

    #[test]
    fn every_index_version_vouches_for_the_stamps_of_its_files() {
        for version in ["2", "3", "4"] {
            let (dir, names) = repo();
            git(dir.path(), &["update-index", "--index-version", version]);
            let stamps = stamps(dir.path());
            assert_eq!(stamps.len(), names.len(), "version {version}");
            for name in &names {
                let real = stamp(&dir.path().join("content").join(name));
                assert!(stamps.vouches(name, &real), "version {version}: {name}");
                // Any field off, and it vouches for nothing.
                for other in [
                    Stamp {
                        size: real.size + 1,
                        ..real
                    },
                    Stamp {
                        mtime_ns: real.mtime_ns + 1,
                        ..real
                    },
                    Stamp {
                        ctime_ns: real.ctime_ns + 1,
                        ..real
                    },
                    Stamp {
                        ino: real.ino + 1,
                        ..real
                    },
                ] {
                    assert!(!stamps.vouches(name, &other), "version {version}: {name}");
                }
            }
            // Outside the root, or another path: nothing.
            let outside = stamp(&dir.path().join("other/x.md"));
            assert!(!stamps.vouches("../other/x.md", &outside));
            assert!(!stamps.vouches("other/x.md", &outside));
        }
    }

    /// An index larger than the read window (and one ending in an
    /// extension longer than it) is read a window at a time, in every
    /// version: entries that straddle two windows are read whole.
    #[test]
    fn a_large_index_is_read_a_window_at_a_time() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let root = dir.path();
        let names: Vec<String> = (0..2500)
            .map(|i| format!("news/{i:04}-{}.md", "a-long-slug-".repeat(i % 13 + 1)))
            .collect();
        std::fs::create_dir_all(root.join("content/news")).expect("mkdir");
        for name in &names {
            std::fs::write(root.join("content").join(name), name).expect("write");
        }
        git(root, &["init", "-q"]);
        git(root, &["add", "."]);
        for version in ["2", "4"] {
            git(root, &["update-index", "--index-version", version]);
            let index = std::fs::read(root.join(".git/index")).expect("the index");
            if version == "2" {
                assert!(index.len() > 4 * MAX_ENTRY, "{} bytes", index.len());
            }
            let stamps = stamps(root);
            assert_eq!(stamps.len(), names.len(), "version {version}");
            for name in &names {
                let real = stamp(&root.join("content").join(name));
                assert!(stamps.vouches(name, &real), "version {version}: {name}");
            }
            // An unknown extension longer than a window before the
            // checksum is walked over; one cut short is not.
            let (entries, checksum) = index.split_at(index.len() - CHECKSUM);
            let mut long = entries.to_vec();
            long.extend_from_slice(b"ZZZZ");
            long.extend_from_slice(&(5 * MAX_ENTRY as u32).to_be_bytes());
            long.extend(std::iter::repeat_n(7u8, 5 * MAX_ENTRY));
            long.extend_from_slice(checksum);
            let parsed = GitStamps::parse(&long, "content/").expect("it parses");
            assert_eq!(parsed.len(), names.len());
            assert!(GitStamps::parse(&long[..long.len() - CHECKSUM - 1], "content/").is_none());
        }
    }

    #[test]
    fn flagged_and_conflicted_entries_vouch_for_nothing() {
        let (dir, _) = repo();
        let path = |n: &str| dir.path().join("content").join(n);
        git(
            dir.path(),
            &["update-index", "--skip-worktree", "content/a.md"],
        );
        git(
            dir.path(),
            &["update-index", "--assume-unchanged", "content/z.md"],
        );
        std::fs::write(path("new.md"), "---\ntitle: New\n---\n").expect("write");
        git(dir.path(), &["add", "--intent-to-add", "content/new.md"]);
        let stamps = stamps(dir.path());
        for name in ["a.md", "z.md", "new.md"] {
            assert!(!stamps.vouches(name, &stamp(&path(name))), "{name}");
        }
        assert!(stamps.vouches(
            "news/2026/Выборы итоги.md",
            &stamp(&path("news/2026/Выборы итоги.md"))
        ));

        // A merge conflict leaves stages 1 to 3 and no stage 0.
        let (dir, _) = repo();
        let git = |args: &[&str]| {
            let mut all = vec!["-c", "user.name=t", "-c", "user.email=t@t"];
            all.extend_from_slice(args);
            git(dir.path(), &all);
        };
        let a = dir.path().join("content/a.md");
        git(&["commit", "-qm", "base"]);
        git(&["checkout", "-qb", "side"]);
        std::fs::write(&a, "---\ntitle: Side\n---\n").expect("write");
        git(&["commit", "-qam", "side"]);
        git(&["checkout", "-q", "-"]);
        std::fs::write(&a, "---\ntitle: Main\n---\n").expect("write");
        git(&["commit", "-qam", "main"]);
        let merged = Command::new("git")
            .args([
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@t",
                "merge",
                "-q",
                "side",
            ])
            .current_dir(dir.path())
            .env("HOME", dir.path())
            .output()
            .expect("git runs");
        let said = String::from_utf8_lossy(&merged.stdout);
        assert!(said.contains("CONFLICT"), "the merge conflicts: {said}");
        let stamps = self::stamps(dir.path());
        assert!(!stamps.vouches("a.md", &stamp(&a)));
        assert!(stamps.vouches("z.md", &stamp(&dir.path().join("content/z.md"))));
    }

    #[test]
    fn an_index_changed_anywhere_never_vouches_for_more() {
        let (dir, names) = repo();
        let good = std::fs::read(dir.path().join(".git/index")).expect("the index");
        let real: Vec<(&str, Stamp)> = names
            .iter()
            .map(|n| (*n, stamp(&dir.path().join("content").join(n))))
            .collect();
        let check = |bytes: &[u8], what: &str| {
            let Some(stamps) = GitStamps::parse(bytes, "content/") else {
                return;
            };
            // A stamp of another file, or changed, never matches.
            for (name, s) in &real {
                for (other, t) in &real {
                    if name != other {
                        assert!(!stamps.vouches(name, t), "{what}: {name} as {other}");
                    }
                }
                // Three nanoseconds apart: no one bit flipped.
                let moved = Stamp {
                    mtime_ns: s.mtime_ns + 3,
                    ..*s
                };
                assert!(!stamps.vouches(name, &moved), "{what}: {name}");
            }
        };
        for at in 0..good.len() {
            for bit in 0..8 {
                let mut bad = good.clone();
                bad[at] ^= 1 << bit;
                check(&bad, &format!("byte {at} bit {bit}"));
            }
        }
        for len in 0..good.len() {
            let cut = &good[..len];
            assert!(GitStamps::parse(cut, "content/").is_none(), "{len} bytes");
        }
        assert!(GitStamps::parse(&good, "content/").is_some());
    }

    #[test]
    fn a_split_index_is_not_used() {
        let (dir, _) = repo();
        git(dir.path(), &["update-index", "--split-index"]);
        let index = dir.path().join(".git/index");
        assert!(GitStamps::load(&index, dir.path(), &dir.path().join("content")).is_none());
    }
}
