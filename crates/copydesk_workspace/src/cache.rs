//! The result cache (like ruff's): a warm run re-reads only changed files
//! and still runs the cross-file rules over the whole corpus.
//!
//! One file, `.copydesk_cache/lint-v6.bin` under the configuration root,
//! holds for every article its stamp (size, modification time, inode and
//! status change time), its content hash, its per-file findings and
//! suppressions, and its corpus index entry. The whole cache is keyed by
//! copydesk's version, its build identity (a hash of the sources, see
//! `build.rs`: another build of the same version number does not reuse
//! its findings) and a hash of the effective configuration; an entry is
//! reused when the file's stamp matches (or, if the stamp moved but not
//! the size, its content hash does). A cache that cannot be read, is
//! corrupt, too large, or was written by another build or configuration
//! is ignored and rebuilt — never trusted.
//!
//! The cache folder and its files are never reached through a symbolic
//! link, read or written: a cache there is refused (the run goes on
//! without it, with a warning the front end shows), and every read is
//! bounded and never blocks.
//!
//! Time matters to the rules whose `RuleMeta::time_dependent` says so
//! (`date/in-future`). An entry is reused only at a "now" no earlier than
//! when it was made, and an entry with a finding of such a rule is never
//! reused, so passing time can only clear it.
//!
//! The file is a sequence of frames (a length, a postcard-encoded value,
//! its xxh3): a header (version, configuration hash, entry count), one
//! frame per file, and a table (each entry's key hash, offset and length,
//! sorted), followed by the table frame's offset. A header or table whose
//! checksum fails discards the whole cache; an entry whose checksum fails
//! is not used (its file is linted again).
//!
//! Memory and time matter at 100k articles: a load reads the header and
//! the table (16 bytes an entry), never the entries; an entry is read back
//! from the open file, checked and decoded only when its file is looked up
//! (once), straight into the run that reuses it, so a warm run does not
//! hold the cache beside what it decoded from it. The cache is written by
//! streaming the run's own results, never by building a second copy of
//! them: 2,048 records at a time are encoded on all cores into buffers
//! reused from group to group, then written.

use std::io::{Read, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::UNIX_EPOCH;

use copydesk_lint::corpus::{Facts, IndexEntry};
use copydesk_lint::suppress::Suppression;
use copydesk_lint::{
    registry, Diagnostic, FileReport, Fix, Related, Settings, Severity, SourceFile,
};
use serde::{Deserialize, Serialize, Serializer};

use crate::discover::Target;
use crate::fs::{self, Bounded, OwnedDir};
use crate::git_index::GitStamps;
use crate::report::Linted;

/// The cache folder's name, under the configuration root.
pub const DIR: &str = ".copydesk_cache";
/// The cache file's name in [`DIR`]; its version goes up when its format changes.
pub const FILE: &str = "lint-v6.bin";

/// The largest cache file read: far beyond a million articles' (~200 MB),
/// and within the `u32` offsets of its index.
pub const MAX_BYTES: u64 = 1 << 30;

/// What a cache is valid for besides the configuration: this version, and
/// this build of it (a hash of the sources computed by `build.rs`).
pub const BUILD: &str = concat!(env!("CARGO_PKG_VERSION"), "+", env!("COPYDESK_BUILD_ID"));

/// What identifies a file's content without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub mtime_ns: u64,
    /// Inode number (0 where the platform has none): a file replaced by
    /// another (a rename over it, a checkout) is another file.
    pub ino: u64,
    /// Status change time, nanoseconds since the epoch (0 where the
    /// platform has none). Unlike the mtime, no one can set it back: a
    /// content change with its old mtime restored (`touch -d`, `cp -p`,
    /// an archive) still moves it.
    pub ctime_ns: u64,
}

impl Stamp {
    /// The stamp of a file's metadata.
    pub fn of(meta: &std::fs::Metadata) -> Self {
        let mtime_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX));
        let (ino, ctime_ns) = inode_and_ctime(meta);
        Stamp {
            size: meta.len(),
            mtime_ns,
            ino,
            ctime_ns,
        }
    }

    /// The latest time the file's stamp says it changed.
    fn changed_ns(&self) -> u64 {
        self.mtime_ns.max(self.ctime_ns)
    }
}

#[cfg(unix)]
fn inode_and_ctime(meta: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    let ctime_ns = u64::try_from(meta.ctime())
        .ok()
        .and_then(|s| s.checked_mul(1_000_000_000))
        .and_then(|ns| ns.checked_add(u64::try_from(meta.ctime_nsec()).ok()?))
        .unwrap_or(0);
    (meta.ino(), ctime_ns)
}

#[cfg(not(unix))]
fn inode_and_ctime(_: &std::fs::Metadata) -> (u64, u64) {
    (0, 0)
}

/// What the cache records about a file the run read: enough to tell next
/// time, without reading it, that it did not change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Meta {
    /// Its size and mtime when read.
    pub stamp: Stamp,
    /// When it was read (wall clock, ns since the epoch).
    pub read_ns: u64,
    /// xxh3 of the content.
    pub hash: u64,
    /// "Now" (seconds since the epoch) of the lint its findings come from.
    pub linted_at: i64,
}

impl Meta {
    /// The record of a file read just now, with `bytes` as its content.
    pub fn read_now(settings: &Settings, meta: &std::fs::Metadata, bytes: &[u8]) -> Self {
        Meta {
            stamp: Stamp::of(meta),
            read_ns: now_ns(),
            hash: content_hash(bytes),
            linted_at: settings.now.as_second(),
        }
    }
}

/// A finding as stored: everything but the file's text.
#[derive(Debug, Deserialize)]
struct StoredDiagnostic {
    code: String,
    severity: Severity,
    span: Range<usize>,
    message: String,
    help: Option<String>,
    related: Vec<(Range<usize>, String)>,
    fix: Option<Fix>,
}

/// A file's per-file lint results.
#[derive(Debug, Deserialize)]
struct StoredLint {
    /// "Now" (seconds since the epoch) when it was linted.
    now: i64,
    parsed: bool,
    diagnostics: Vec<StoredDiagnostic>,
    suppressions: Vec<Suppression>,
}

/// The index entry of the file `t` from its stored facts.
fn stored_entry(facts: Facts, t: &Target, reported: bool) -> IndexEntry {
    IndexEntry {
        path: Arc::clone(&t.display),
        source: None,
        config_path: Arc::clone(&t.config_path),
        facts: Arc::new(facts),
        reported,
    }
}

/// Everything the cache knows about one file.
#[derive(Debug, Deserialize)]
struct Entry {
    stamp: Stamp,
    read_ns: u64,
    hash: u64,
    /// The corpus index facts (also kept for files only read as context).
    index: Option<Facts>,
    /// The lint results, when the file was linted (not only indexed).
    lint: LintState,
}

/// [`StoredLint`] as held in memory: stored as an `Option<StoredLint>`, but
/// a clean file's results (most of 100k) take no allocation of their own.
#[derive(Debug, Deserialize)]
#[serde(from = "Option<StoredLint>")]
enum LintState {
    /// Only indexed, never linted.
    None,
    /// Linted without a finding or a suppression.
    Clean { now: i64, parsed: bool },
    /// Anything else.
    Found(Box<StoredLint>),
}

impl From<Option<StoredLint>> for LintState {
    fn from(lint: Option<StoredLint>) -> Self {
        match lint {
            None => LintState::None,
            Some(l) if l.diagnostics.is_empty() && l.suppressions.is_empty() => LintState::Clean {
                now: l.now,
                parsed: l.parsed,
            },
            Some(l) => LintState::Found(Box::new(l)),
        }
    }
}

impl LintState {
    /// "Now" of the lint the results come from (0 when never linted).
    fn now(&self) -> i64 {
        match self {
            LintState::None => 0,
            LintState::Clean { now, .. } => *now,
            LintState::Found(l) => l.now,
        }
    }
}

/// The first frame of the file: what the entries are valid for.
#[derive(Serialize, Deserialize)]
struct Header<S> {
    version: S,
    config: u64,
    /// How many entry frames follow (a capacity hint, checked on reading).
    files: u64,
}

/// The cache for one run: what was loaded, and whether this run changed it.
#[derive(Debug)]
pub struct Cache {
    path: PathBuf,
    config: u64,
    /// The cache file as opened: its entries are read (and decoded) only
    /// when their file is looked up, so a 100k-article cache is never held
    /// in memory, neither whole beside the entries decoded from it nor as
    /// 100k decoded entries next to the run's own.
    file: Option<std::fs::File>,
    /// This load, told apart from others by the threads' read windows.
    id: u64,
    /// (xxh3 of the key, payload offset, payload length) of each entry,
    /// sorted: a lookup compares integers, then one key.
    lookup: Vec<(u64, u32, u32)>,
    /// Where in `lookup` the hashes with each value of their top
    /// `bucket_bits` bits start (and, last, its length): a lookup goes
    /// straight to a handful of entries instead of searching 100k.
    buckets: Vec<u32>,
    bucket_bits: u32,
    /// Whether each entry (in `lookup` order) was taken by a lookup.
    taken: Vec<AtomicBool>,
    /// Whether an entry was refreshed (same content, new stamp).
    refreshed: AtomicBool,
    /// Why the cache is not used at all (its folder or file is a link),
    /// for the front end to show; such a cache is never written.
    refused: Option<String>,
    /// git's index, in a commit hook: what it vouches for is not stat-ed.
    witness: Option<GitStamps>,
}

/// A hash of everything besides a file's content that decides its
/// findings: the effective configuration (the `now` rule aside, handled
/// per entry).
fn config_key(settings: &Settings) -> u64 {
    let mut material = serde_json::to_vec(&settings.config).unwrap_or_default();
    // `--select`/`--ignore` change levels as much as `[rules]` does.
    material.extend_from_slice(settings.selection_key().as_bytes());
    material
        .extend_from_slice(format!("{:?}{}", settings.limits, settings.max_file_bytes).as_bytes());
    // `[contract] schema` names a file: its content, not its path, decides.
    let contract = settings.contract();
    if !contract.is_builtin() {
        material.extend_from_slice(&serde_json::to_vec(contract.schema()).unwrap_or_default());
    }
    for m in registry::metas() {
        material.extend_from_slice(m.code.as_bytes());
    }
    xxhash_rust::xxh3::xxh3_64(&material)
}

/// How close (ns) a file's mtime may be to when it was read before its
/// stamp stops proving anything.
const RACY_NS: u64 = 2_000_000_000;

fn now_ns() -> u64 {
    std::time::SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
}

/// The file's content hash.
pub fn content_hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// What a run hands back to [`Cache::save`] for one file it looked at.
#[derive(Debug)]
pub struct Record<'a> {
    /// The file.
    pub target: &'a Target,
    /// What was read.
    pub meta: Meta,
    /// Its index entry.
    pub index: Option<&'a IndexEntry>,
    /// Its per-file results; `None` for a file only read as context.
    pub lint: Option<LintRecord<'a>>,
}

/// A linted file's per-file results, as [`Record`] carries them.
#[derive(Debug, Clone, Copy)]
pub struct LintRecord<'a> {
    /// Whether the front matter parsed.
    pub parsed: bool,
    /// Its own findings (no cross-file ones).
    pub diagnostics: &'a [Diagnostic],
    /// Its suppression comments.
    pub suppressions: &'a [Suppression],
}

impl Cache {
    /// Loads the cache under `root`; a missing, unreadable, corrupt or
    /// foreign cache yields an empty one.
    /// A cache whose folder or file is a symbolic link is refused: it is
    /// empty, never written, and [`Cache::refused`] says why.
    pub fn load(root: &Path, settings: &Settings) -> Self {
        let path = root.join(DIR).join(FILE);
        let config = config_key(settings);
        let (file, refused) = match open_file(root, FILE, MAX_BYTES) {
            Ok(file) => (file, None),
            Err(why) => (None, Some(why)),
        };
        let (file, lookup) = file
            .and_then(|(file, size)| {
                let lookup = index_frames(&file, size, config)?;
                Some((Some(file), lookup))
            })
            .unwrap_or_default();
        let taken = lookup.iter().map(|_| AtomicBool::new(false)).collect();
        let (buckets, bucket_bits) = buckets(&lookup, |&(h, ..)| h);
        Cache {
            path,
            config,
            file,
            id: LOADS.fetch_add(1, Ordering::Relaxed),
            lookup,
            buckets,
            bucket_bits,
            taken,
            refreshed: AtomicBool::new(false),
            refused,
            witness: None,
        }
    }

    /// Takes a context file's entry without looking at the file when git's
    /// index records the stamp the entry holds (see [`crate::git_index`]):
    /// for a run inside a commit hook. A file the run names is always
    /// looked at.
    #[must_use]
    pub fn witnessed_by(mut self, stamps: GitStamps) -> Self {
        self.witness = Some(stamps);
        self
    }

    /// Why the cache is not used, when it is refused (its folder or file
    /// is a symbolic link): one line for the front end to show.
    pub fn refused(&self) -> Option<&str> {
        self.refused.as_deref()
    }

    /// How many files the loaded cache knows.
    pub fn len(&self) -> usize {
        self.lookup.len()
    }

    /// Whether the loaded cache is empty.
    pub fn is_empty(&self) -> bool {
        self.lookup.is_empty()
    }

    /// Decodes the entry at `at` (in `lookup` order; its payload is `len`
    /// bytes at `offset`) when its key is `key`: `None` when it is another
    /// file's, `Some(None)` when it is this file's but was taken already
    /// or does not decode. Marks it taken.
    fn take_payload(&self, at: usize, offset: u32, len: u32, key: &str) -> Option<Option<Entry>> {
        let file = self.file.as_ref()?;
        with_payload(file, self.id, offset, len, |payload| {
            let (stored, rest) = postcard::take_from_bytes::<&str>(payload).ok()?;
            if stored != key {
                return None;
            }
            if self.taken.get(at)?.swap(true, Ordering::Relaxed) {
                return Some(None);
            }
            Some(postcard::from_bytes::<Option<Entry>>(rest).ok().flatten())
        })?
    }

    /// Takes the loaded entry for `t` when the file is unchanged, with the
    /// record to keep for it; reads the file (to compare hashes) only when
    /// its mtime moved but not its size; not at all when `witnessed` and
    /// git's index vouches for it. A file is looked up once per run: the
    /// entry moves out of the cache.
    fn take(&self, t: &Target, witnessed: bool) -> Option<(Entry, Meta)> {
        let hash = content_hash(t.config_path.as_bytes());
        let bucket = bucket_of(hash, self.bucket_bits);
        let (Some(&start), Some(&end)) = (self.buckets.get(bucket), self.buckets.get(bucket + 1))
        else {
            return None;
        };
        let near = self.lookup.get(start as usize..end as usize)?;
        let from = start as usize + near.partition_point(|&(h, ..)| h < hash);
        let entry = self
            .lookup
            .get(from..)?
            .iter()
            .take_while(|&&(h, ..)| h == hash)
            .enumerate()
            .find_map(|(n, &(_, offset, len))| {
                self.take_payload(from + n, offset, len, &t.config_path)
            })??;
        let meta = Meta {
            stamp: entry.stamp,
            read_ns: entry.read_ns,
            hash: entry.hash,
            linted_at: entry.lint.now(),
        };
        // File times tick coarsely: a file modified within a tick of being
        // read can keep its stamp. Like git's "racy" entries, a stamp is
        // trusted only if the file had last changed (mtime and ctime: an
        // mtime set back says nothing) longer ago than that when it was
        // read; otherwise the content hash decides.
        let settled = entry.stamp.changed_ns().saturating_add(RACY_NS) < entry.read_ns;
        let witness = self.witness.as_ref().filter(|_| witnessed && settled);
        if witness.is_some_and(|w| w.vouches_hashed(hash, &entry.stamp)) {
            return Some((entry, meta));
        }
        let fs_meta = std::fs::metadata(t.path()).ok()?;
        let stamp = Stamp::of(&fs_meta);
        if stamp == entry.stamp && settled {
            return Some((entry, meta));
        }
        if stamp.size != entry.stamp.size {
            return None;
        }
        let Ok(Bounded::Read(bytes, _)) = fs::read_bounded(&t.path(), entry.stamp.size) else {
            return None;
        };
        if content_hash(&bytes) != entry.hash {
            return None;
        }
        // Touched (or racy), not changed: remember the new stamp.
        self.refreshed.store(true, Ordering::Relaxed);
        let meta = Meta {
            stamp,
            read_ns: now_ns(),
            ..meta
        };
        Some((entry, meta))
    }

    /// The cached results of a file to lint, when it is unchanged and they
    /// are still valid at `settings.now`. A clean file's text is not read.
    pub fn report(&self, settings: &Settings, t: &Target) -> Option<(Linted, Meta)> {
        let (entry, meta) = self.take(t, false)?;
        let Entry { index, lint, .. } = entry;
        if settings.now.as_second() < lint.now() {
            return None;
        }
        let index = index.map(|i| stored_entry(i, t, true));
        let lint = match lint {
            LintState::None => return None,
            LintState::Clean { parsed, .. } => {
                let linted = Linted::Clean { index, parsed };
                return Some((linted, meta));
            }
            LintState::Found(lint) => *lint,
        };
        // A finding of a rule that reads the clock may go as time passes.
        let time_dependent =
            |code: &str| registry::find(code).is_none_or(|rule| rule.meta().time_dependent);
        if lint.diagnostics.iter().any(|d| time_dependent(&d.code)) {
            return None;
        }
        let Ok(Bounded::Read(bytes, _)) = fs::read_bounded(&t.path(), settings.max_file_bytes)
        else {
            return None;
        };
        if content_hash(&bytes) != meta.hash {
            return None;
        }
        let text = String::from_utf8(bytes).ok()?;
        let source = Arc::new(SourceFile::new(t.display.to_string(), text));
        let diagnostics = lint
            .diagnostics
            .into_iter()
            .map(|d| {
                Some(Diagnostic {
                    code: registry::find(&d.code)?.meta().code,
                    severity: d.severity,
                    source: Arc::clone(&source),
                    span: d.span,
                    message: d.message,
                    help: d.help,
                    related: d
                        .related
                        .into_iter()
                        .map(|(span, message)| Related {
                            source: Arc::clone(&source),
                            span,
                            message,
                        })
                        .collect(),
                    fix: d.fix,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        let report = FileReport {
            source,
            diagnostics,
            index,
            parsed: lint.parsed,
            config_path: t.config_path.to_string(),
            suppressions: lint.suppressions,
        };
        Some((Linted::Full(Box::new(report)), meta))
    }

    /// The cached index entry of a context file, when it is unchanged.
    pub fn index(&self, t: &Target) -> Option<(Option<IndexEntry>, Meta)> {
        let (entry, meta) = self.take(t, true)?;
        let index = entry.index.map(|i| stored_entry(i, t, false));
        Some((index, meta))
    }

    /// Writes the cache from the run's `records` when it changed anything.
    /// After a run over the whole corpus (`complete`) it holds exactly the
    /// files recorded, so deleted articles leave it; after a partial run,
    /// loaded entries it did not look at are kept. `fresh` tells whether
    /// every record came from the cache unchanged. The records are
    /// streamed to the file (walked twice: to count, then to write), in no
    /// particular order: [`Cache::load`] sorts. Written atomically; a
    /// failure to write only costs the next run its head start. A refused
    /// cache is not written; one found to be a link only now is not either,
    /// and the returned line says why.
    #[must_use]
    pub fn save<'a, I>(mut self, complete: bool, fresh: bool, records: I) -> Option<String>
    where
        I: Iterator<Item = Record<'a>> + Clone,
    {
        if self.refused.is_some() {
            return None;
        }
        // Every file a run records was looked up first, which took its
        // loaded entry: what is left was not looked at.
        let mut left = self
            .lookup
            .iter()
            .zip(&self.taken)
            .filter(|(_, taken)| !taken.load(Ordering::Relaxed))
            .map(|(&(_, offset, len), _)| (offset, len))
            .peekable();
        // Untaken entries are deleted articles after a complete run.
        let deleted = complete && left.peek().is_some();
        let changed = !fresh || self.refreshed.load(Ordering::Relaxed) || deleted;
        if !changed {
            return None;
        }
        // After a partial run they are kept as they were read, read before
        // the file is replaced (and closed: Windows replaces no open file).
        let file = self.file.take();
        let kept: Vec<Vec<u8>> = match (complete, &file) {
            (false, Some(file)) => left
                .filter_map(|(offset, len)| {
                    with_payload(file, self.id, offset, len, <[u8]>::to_vec)
                })
                .collect(),
            _ => Vec::new(),
        };
        drop(file);
        let root = self.path.parent()?.parent()?;
        let header = Header {
            version: BUILD,
            config: self.config,
            files: (records.clone().count() + kept.len()) as u64,
        };
        let ignore = "# Created by copydesk: the result cache, never committed.\n*\n";
        let written = write_file(root, FILE, ".copydesk-", ignore, |w| {
            let entries = usize::try_from(header.files).unwrap_or(0);
            let mut w = Frames::new(std::io::BufWriter::with_capacity(1 << 16, w), entries);
            let mut buf = Vec::new();
            w.header(&mut buf, &header)?;
            write_records(&mut w, records)?;
            // Kept entries are copied as they were read.
            for payload in &kept {
                w.entry(payload)?;
            }
            w.finish()
        });
        match written {
            Err(WriteError::Refused(why)) => Some(why),
            Ok(()) | Err(WriteError::Io(_)) => None,
        }
    }
}

/// Records encoded per group on all cores, then written in order: at the
/// end of a cold run at 100k articles this was a stretch on one thread.
/// Each chunk of a group is encoded into a buffer kept from group to
/// group: buffers freed on another thread than the one that grew them
/// would linger in the allocator (16 MB at 20k articles).
fn write_records<'a, W: Write>(
    w: &mut Frames<W>,
    mut records: impl Iterator<Item = Record<'a>>,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    const GROUP: usize = 2048;
    const CHUNK: usize = 128;
    let mut buffers: Vec<Chunk> = vec![Chunk::default(); GROUP / CHUNK];
    loop {
        let group: Vec<Record<'a>> = records.by_ref().take(GROUP).collect();
        if group.is_empty() {
            return Ok(());
        }
        let chunks = group.chunks(CHUNK).len();
        buffers
            .par_iter_mut()
            .zip(group.par_chunks(CHUNK))
            .try_for_each(|(out, chunk)| {
                out.bytes.clear();
                out.entries.clear();
                for r in chunk {
                    let at = out.bytes.len();
                    let head =
                        write_frame(&mut out.bytes, &mut out.buf, &(r.key(), Some(EntryOut(r))))?;
                    let len = u32::try_from(out.buf.len()).map_err(std::io::Error::other)?;
                    out.entries
                        .push((content_hash(r.key().as_bytes()), at + head, len));
                }
                Ok::<(), std::io::Error>(())
            })?;
        for chunk in &buffers[..chunks] {
            w.chunk(chunk)?;
        }
    }
}

/// Frames encoded together (see [`write_records`]): their bytes, and each
/// entry's key hash, payload offset in `bytes` and payload length.
#[derive(Debug, Clone, Default)]
struct Chunk {
    bytes: Vec<u8>,
    entries: Vec<(u64, usize, u32)>,
    /// Where each frame's payload is encoded.
    buf: Vec<u8>,
}

/// Writes a cache file: the header frame, entry frames, then the table of
/// entries (see [`index_frames`]) and where it starts.
struct Frames<W: Write> {
    w: W,
    /// Bytes written so far.
    pos: u64,
    /// (xxh3 of the key, payload offset, payload length) of each entry.
    table: Vec<(u64, u32, u32)>,
}

impl<W: Write> Frames<W> {
    /// A writer for a file of about `entries` entries.
    fn new(w: W, entries: usize) -> Self {
        Frames {
            w,
            pos: 0,
            table: Vec::with_capacity(entries),
        }
    }

    fn write(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.w.write_all(bytes)?;
        self.pos += bytes.len() as u64;
        Ok(())
    }

    /// The offset `at` bytes from here, as the table stores it.
    fn offset(&self, at: usize) -> std::io::Result<u32> {
        u32::try_from(self.pos + at as u64).map_err(std::io::Error::other)
    }

    fn header(&mut self, buf: &mut Vec<u8>, header: &Header<&str>) -> std::io::Result<()> {
        let mut frame = Vec::new();
        write_frame(&mut frame, buf, header)?;
        self.write(&frame)
    }

    /// One entry frame of an encoded `(key, entry)` payload.
    fn entry(&mut self, payload: &[u8]) -> std::io::Result<()> {
        let (key, _) = postcard::take_from_bytes::<&str>(payload).map_err(std::io::Error::other)?;
        let mut frame = Vec::with_capacity(payload.len() + 18);
        let head = write_payload(&mut frame, payload)?;
        let len = u32::try_from(payload.len()).map_err(std::io::Error::other)?;
        let entry = (content_hash(key.as_bytes()), self.offset(head)?, len);
        self.write(&frame)?;
        self.table.push(entry);
        Ok(())
    }

    fn chunk(&mut self, chunk: &Chunk) -> std::io::Result<()> {
        for &(hash, at, len) in &chunk.entries {
            let entry = (hash, self.offset(at)?, len);
            self.table.push(entry);
        }
        self.write(&chunk.bytes)
    }

    /// Writes the table, sorted, as one frame of 16 bytes an entry, then
    /// the table frame's offset (8 bytes): the last bytes of the file. The
    /// frame is hashed as it is written, a few hundred entries at a time,
    /// never copied whole (1.6 MB at 100k articles, twice).
    fn finish(mut self) -> std::io::Result<()> {
        const AT_ONCE: usize = 256;
        let mut table = std::mem::take(&mut self.table);
        table.sort_unstable();
        let at = self.pos;
        let mut head = Vec::with_capacity(10);
        write_length(&mut head, (table.len() * TABLE_ENTRY) as u64)?;
        self.write(&head)?;
        let mut sum = xxhash_rust::xxh3::Xxh3Default::new();
        let mut bytes = Vec::with_capacity(AT_ONCE * TABLE_ENTRY);
        for some in table.chunks(AT_ONCE) {
            bytes.clear();
            for &(hash, offset, len) in some {
                bytes.extend_from_slice(&hash.to_le_bytes());
                bytes.extend_from_slice(&offset.to_le_bytes());
                bytes.extend_from_slice(&len.to_le_bytes());
            }
            sum.update(&bytes);
            self.write(&bytes)?;
        }
        self.write(&sum.digest().to_le_bytes())?;
        self.write(&at.to_le_bytes())?;
        self.w.flush()
    }
}

/// The bytes of one entry of the table: key hash, offset, length.
const TABLE_ENTRY: usize = 16;

/// Reads the file `name` of the cache folder under `root`: at most `limit`
/// bytes, never through a symbolic link, never blocking (a FIFO or a
/// device is not read). `Ok(None)` when there is nothing usable to read
/// (missing, unreadable, too large, not a regular file: rebuilt); `Err`,
/// with the line to show, when the folder or the file is a link (or the
/// folder is not a folder): that cache must not be used at all.
pub fn read_file(root: &Path, name: &str, limit: u64) -> Result<Option<Vec<u8>>, String> {
    let Some((file, size)) = open_file(root, name, limit)? else {
        return Ok(None);
    };
    // A file that grew past the limit since it was opened is not used.
    Ok(fs::read_limited(file, size, limit)
        .ok()
        .filter(|bytes| bytes.len() as u64 <= limit))
}

/// Opens the file `name` of the cache folder under `root` as
/// [`read_file`] reads it, with its size: `Ok(None)` when it is missing,
/// not a regular file or larger than `limit` bytes.
fn open_file(root: &Path, name: &str, limit: u64) -> Result<Option<(std::fs::File, u64)>, String> {
    let dir = root.join(DIR);
    match OwnedDir::existing(&dir) {
        Ok(Some(_)) => {}
        Ok(None) => return Ok(None),
        Err(e) if fs::is_refused(&e) => return Err(refusal(&e)),
        Err(_) => return Ok(None),
    }
    match fs::open_regular_nofollow(&dir.join(name)) {
        Ok((file, meta)) => Ok((meta.len() <= limit).then_some((file, meta.len()))),
        Err(e) if fs::is_refused(&e) => Err(refusal(&e)),
        Err(_) => Ok(None),
    }
}

/// Why [`write_file`] wrote nothing.
#[derive(Debug)]
pub enum WriteError {
    /// The folder or a file in it is a symbolic link (or not what it
    /// should be): the line to show.
    Refused(String),
    /// Anything else.
    Io(std::io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Refused(why) => f.write_str(why),
            WriteError::Io(e) => write!(f, "{e}"),
        }
    }
}

/// Replaces the file `name` of the cache folder under `root` atomically
/// with what `write` writes (a temporary file named `prefix…`), creating
/// the folder and its `.gitignore` (`ignore`) when missing. Nothing is
/// created or written through a symbolic link (see [`OwnedDir`]).
pub fn write_file(
    root: &Path,
    name: &str,
    prefix: &str,
    ignore: &str,
    write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> Result<(), WriteError> {
    let classify = |e: std::io::Error| {
        if fs::is_refused(&e) {
            WriteError::Refused(refusal(&e))
        } else {
            WriteError::Io(e)
        }
    };
    let dir = OwnedDir::create(&root.join(DIR)).map_err(classify)?;
    dir.create_file(".gitignore", ignore.as_bytes())
        .map_err(classify)?;
    dir.replace_file(name, prefix, write).map_err(classify)
}

/// The line a front end shows for a refused cache.
fn refusal(e: &std::io::Error) -> String {
    format!("{e}: not followed, running without the cache")
}

/// The bucket of `hash` among `1 << bits` (see [`Cache::buckets`]).
pub(crate) fn bucket_of(hash: u64, bits: u32) -> usize {
    hash.checked_shr(64 - bits).unwrap_or(0) as usize
}

/// [`Cache::buckets`] of a table sorted by `hash`: where the hashes with
/// each value of their top bits start (and, last, the table's length),
/// about one entry a bucket; and how many bits.
pub(crate) fn buckets<T>(lookup: &[T], hash: impl Fn(&T) -> u64) -> (Vec<u32>, u32) {
    let bits = (usize::BITS - lookup.len().leading_zeros()).min(24);
    let count = 1usize << bits;
    let mut starts = Vec::with_capacity(count + 1);
    let mut at = 0usize;
    for bucket in 0..count {
        while lookup
            .get(at)
            .is_some_and(|e| bucket_of(hash(e), bits) < bucket)
        {
            at += 1;
        }
        starts.push(u32::try_from(at).unwrap_or(u32::MAX));
    }
    starts.push(u32::try_from(lookup.len()).unwrap_or(u32::MAX));
    (starts, bits)
}

/// The entries of a cache file (`size` bytes when opened) when it was
/// written by this version for configuration `config`: (xxh3 of the key,
/// payload offset, payload length) of each, sorted; `None` for anything
/// else (foreign, truncated, corrupt). Only the header and the table at
/// the end are read (a few bytes an entry): each entry's own frame is
/// checked when it is read ([`with_payload`]), and one that fails is not
/// used.
fn index_frames(file: &std::fs::File, size: u64, config: u64) -> Option<Vec<(u64, u32, u32)>> {
    // Offsets are u32: a larger cache is refused (rebuilt, never misread).
    let size = u32::try_from(size).ok()?;
    let mut reader = std::io::BufReader::with_capacity(1 << 12, file.take(u64::from(size)));
    let mut payload = Vec::new();
    let mut first = 0u32;
    read_frame(&mut reader, &mut first, &mut payload)??;
    let header: Header<&str> = postcard::from_bytes(&payload).ok()?;
    if header.version != BUILD || header.config != config {
        return None;
    }
    let entries = usize::try_from(header.files).ok()?;
    // The last 8 bytes say where the table's frame starts; it ends there.
    let end = size.checked_sub(8)?;
    let mut at = [0u8; 8];
    (read_at(file, &mut at, u64::from(end)).ok()? == at.len()).then_some(())?;
    let table_at = u32::try_from(u64::from_le_bytes(at)).ok()?;
    if table_at < first || table_at > end {
        return None;
    }
    let mut frame = vec![0u8; (end - table_at) as usize];
    (read_at(file, &mut frame, u64::from(table_at)).ok()? == frame.len()).then_some(())?;
    // The frame, checked where it was read (not copied out).
    let head = frame.iter().position(|&b| b & 0x80 == 0)? + 1;
    let len = usize::try_from(leb128(frame.get(..head)?)?).ok()?;
    let table = frame.get(head..head.checked_add(len)?)?;
    let sum = frame.get(head + len..)?;
    if sum != content_hash(table).to_le_bytes() || Some(len) != entries.checked_mul(TABLE_ENTRY) {
        return None;
    }
    let mut out = Vec::with_capacity(entries);
    for entry in table.chunks_exact(TABLE_ENTRY) {
        let (hash, rest) = entry.split_at(8);
        let (offset, len) = rest.split_at(4);
        let hash = u64::from_le_bytes(hash.try_into().ok()?);
        let offset = u32::from_le_bytes(offset.try_into().ok()?);
        let len = u32::from_le_bytes(len.try_into().ok()?);
        // Every payload and its checksum lie between the header and the
        // table.
        if offset < first || offset.checked_add(len)?.checked_add(8)? > table_at {
            return None;
        }
        out.push((hash, offset, len));
    }
    // Written sorted: this sort is one pass over it.
    out.sort_unstable();
    Some(out)
}

/// Reads the frame at `*pos` of `reader` (a LEB128 length, that many
/// bytes, and their xxh3) into `payload`, moving `*pos` past it: its
/// payload's offset, `Some(None)` at the end, `None` for a broken frame
/// (truncated, or bytes that changed since they were written: a flipped
/// bit could otherwise decode to a plausible, wrong entry).
fn read_frame(
    reader: &mut impl std::io::BufRead,
    pos: &mut u32,
    payload: &mut Vec<u8>,
) -> Option<Option<u32>> {
    if reader.fill_buf().ok()?.is_empty() {
        return Some(None);
    }
    let mut head = [0u8; 10];
    let mut n = 0;
    let len = loop {
        reader.read_exact(head.get_mut(n..=n)?).ok()?;
        n += 1;
        if head.get(n - 1)? & 0x80 == 0 {
            break leb128(head.get(..n)?)?;
        }
    };
    let start = pos.checked_add(u32::try_from(n).ok()?)?;
    let len = u32::try_from(len).ok()?;
    payload.clear();
    reader
        .by_ref()
        .take(u64::from(len))
        .read_to_end(payload)
        .ok()?;
    let mut sum = [0u8; 8];
    reader.read_exact(&mut sum).ok()?;
    if payload.len() != len as usize || u64::from_le_bytes(sum) != content_hash(payload) {
        return None;
    }
    *pos = start.checked_add(len)?.checked_add(8)?;
    Some(Some(start))
}

/// The value of a complete LEB128 number.
fn leb128(bytes: &[u8]) -> Option<u64> {
    let mut value: u64 = 0;
    for (i, byte) in bytes.iter().enumerate() {
        let shift = u32::try_from(i * 7).ok().filter(|&s| s < 64)?;
        value |= u64::from(byte & 0x7f).checked_shl(shift)?;
    }
    Some(value)
}

/// How many entries' worth of a cache file a thread reads at once.
const WINDOW_BYTES: usize = 64 << 10;

/// Tells one [`Cache::load`] from another (see [`WINDOW`]).
static LOADS: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// The part of a cache file this thread read last: (the load, its
    /// offset, its bytes). A run looks entries up in about the order it
    /// wrote them, so one read serves the next lookups, and each thread's
    /// window is its own (freed and reused where it was allocated).
    static WINDOW: std::cell::RefCell<(u64, u32, Vec<u8>)> =
        const { std::cell::RefCell::new((u64::MAX, 0, Vec::new())) };
}

/// Calls `f` with the `len` bytes of payload at `offset` of cache `file`
/// (load `id`), once their checksum is verified; `None` when they cannot be
/// read or do not match it.
fn with_payload<R>(
    file: &std::fs::File,
    id: u64,
    offset: u32,
    len: u32,
    f: impl FnOnce(&[u8]) -> R,
) -> Option<R> {
    WINDOW.with_borrow_mut(|(loaded, at, bytes)| {
        let need = len.checked_add(8)?;
        let end = offset.checked_add(need)?;
        if *loaded != id || offset < *at || end - *at > bytes.len() as u32 {
            let want = WINDOW_BYTES.max(need as usize);
            bytes.resize(want, 0);
            let got = read_at(file, bytes, u64::from(offset)).ok()?;
            bytes.truncate(got);
            (*loaded, *at) = (id, offset);
            if got < need as usize {
                *loaded = u64::MAX;
                return None;
            }
        }
        let from = (offset - *at) as usize;
        let payload = bytes.get(from..from + len as usize)?;
        let sum = bytes.get(from + len as usize..from + need as usize)?;
        let found =
            (u64::from_le_bytes(sum.try_into().ok()?) == content_hash(payload)).then(|| f(payload));
        // A frame larger than a window (a file with many findings) is not
        // kept for the thread's life (a server's threads live long).
        if bytes.capacity() > WINDOW_BYTES {
            *bytes = Vec::new();
            *loaded = u64::MAX;
        }
        found
    })
}

/// Reads from `offset` of `file` until `buf` is full or the file ends: how
/// many bytes were read. The file's own position is not used, so threads
/// read one file at once.
fn read_at(file: &std::fs::File, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        let Some(rest) = buf.get_mut(got..) else {
            break;
        };
        let at = offset + got as u64;
        #[cfg(unix)]
        let n = std::os::unix::fs::FileExt::read_at(file, rest, at);
        #[cfg(windows)]
        let n = std::os::windows::fs::FileExt::seek_read(file, rest, at);
        #[cfg(not(any(unix, windows)))]
        let n: std::io::Result<usize> = Err(std::io::ErrorKind::Unsupported.into());
        match n {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

/// Writes `value` as one frame (see [`read_frame`]), encoded in `buf`.
/// How many bytes the frame's length took (the payload's offset in it).
fn write_frame(
    w: &mut impl Write,
    buf: &mut Vec<u8>,
    value: &impl Serialize,
) -> std::io::Result<usize> {
    buf.clear();
    *buf = postcard::to_extend(value, std::mem::take(buf)).map_err(std::io::Error::other)?;
    write_payload(w, buf)
}

/// Writes an encoded `payload` as one frame: how many bytes its length
/// took.
fn write_payload(w: &mut impl Write, payload: &[u8]) -> std::io::Result<usize> {
    let head = write_length(w, payload.len() as u64)?;
    w.write_all(payload)?;
    w.write_all(&content_hash(payload).to_le_bytes())?;
    Ok(head)
}

/// Writes a frame's length (LEB128): how many bytes it took.
fn write_length(w: &mut impl Write, mut len: u64) -> std::io::Result<usize> {
    let mut head = 0;
    loop {
        let byte = (len & 0x7f) as u8;
        len >>= 7;
        head += 1;
        if len == 0 {
            w.write_all(&[byte])?;
            return Ok(head);
        }
        w.write_all(&[byte | 0x80])?;
    }
}

// The types below serialize exactly as `Stored`, `Entry`, `StoredLint` and
// `StoredDiagnostic` deserialize (postcard encodes structure, not names),
// but borrow from the run instead of copying it.

impl Record<'_> {
    fn key(&self) -> &str {
        &self.target.config_path
    }
}

/// A record as written: serializes exactly as [`Entry`] deserializes
/// (postcard encodes structure, not names), borrowing from the run.
struct EntryOut<'a>(&'a Record<'a>);

impl Serialize for EntryOut<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Out<'a> {
            stamp: Stamp,
            read_ns: u64,
            hash: u64,
            index: Option<&'a Facts>,
            lint: Option<LintOut<'a>>,
        }
        let r = self.0;
        Out {
            stamp: r.meta.stamp,
            read_ns: r.meta.read_ns,
            hash: r.meta.hash,
            index: r.index.map(|e| &*e.facts),
            lint: r.lint.map(|l| LintOut {
                now: r.meta.linted_at,
                parsed: l.parsed,
                diagnostics: DiagnosticsOut(l.diagnostics),
                suppressions: l.suppressions,
            }),
        }
        .serialize(serializer)
    }
}

#[derive(Serialize)]
struct LintOut<'a> {
    now: i64,
    parsed: bool,
    diagnostics: DiagnosticsOut<'a>,
    suppressions: &'a [Suppression],
}

struct DiagnosticsOut<'a>(&'a [Diagnostic]);

impl Serialize for DiagnosticsOut<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Out<'a> {
            code: &'a str,
            severity: Severity,
            span: Range<usize>,
            message: &'a str,
            help: Option<&'a str>,
            related: Vec<(Range<usize>, &'a str)>,
            fix: Option<&'a Fix>,
        }
        // A finding quoting another file is never stored: the per-file
        // findings of a report only point into the file itself.
        serializer.collect_seq(self.0.iter().map(|d| {
            Out {
                code: d.code,
                severity: d.severity,
                span: d.span.clone(),
                message: &d.message,
                help: d.help.as_deref(),
                related: d
                    .related
                    .iter()
                    .map(|r| (r.span.clone(), r.message.as_str()))
                    .collect(),
                fix: d.fix.as_ref(),
            }
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use copydesk_lint::config::Config;

    /// A folder with `n` articles and a cache written for them, the
    /// settings it was written with, and the articles.
    fn cached(n: usize) -> (tempfile::TempDir, Settings, Vec<Target>) {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let settings =
            Settings::new(Config::default(), jiff::Timestamp::now()).expect("default settings");
        let targets = cached_corpus(dir.path(), &settings, n);
        (dir, settings, targets)
    }

    /// `n` articles under `root`, with long names so that their entries
    /// span several read windows, and a cache written for them.
    fn cached_corpus(root: &Path, settings: &Settings, n: usize) -> Vec<Target> {
        let targets: Vec<Target> = (0..n)
            .map(|i| {
                let name = format!("{i:05}-{}.md", "a-long-article-slug-".repeat(8));
                let path = root.join(&name);
                std::fs::write(&path, format!("---\ntitle: Story {i}\n---\nBody.\n"))
                    .expect("write an article");
                Target::new(&path, &name, &name)
            })
            .collect();
        let metas: Vec<Meta> = targets.iter().map(|t| read_now(settings, t)).collect();
        save(root, settings, &targets, &metas);
        targets
    }

    /// What a run records of `t` reading it now.
    fn read_now(settings: &Settings, t: &Target) -> Meta {
        let bytes = std::fs::read(t.path()).expect("read it back");
        let meta = std::fs::metadata(t.path()).expect("stat it");
        Meta::read_now(settings, &meta, &bytes)
    }

    /// Writes a cache under `root` holding `targets` as read (`metas`).
    fn save(root: &Path, settings: &Settings, targets: &[Target], metas: &[Meta]) {
        let records = targets.iter().zip(metas).map(|(target, &meta)| Record {
            target,
            meta,
            index: None,
            lint: None,
        });
        assert_eq!(Cache::load(root, settings).save(true, false, records), None);
    }

    /// Frames encoded in groups on all cores are the frames one after
    /// another, across group and chunk boundaries.
    #[test]
    fn records_are_written_in_order_whatever_the_groups() {
        let (dir, settings, targets) = cached(1);
        let meta = read_now(&settings, &targets[0]);
        let many: Vec<Target> = (0..2 * 2048 + 5)
            .map(|i| {
                let name = format!("{i:05}.md");
                Target::new(&dir.path().join(&name), &name, &name)
            })
            .collect();
        let records = || {
            many.iter().map(|target| Record {
                target,
                meta,
                index: None,
                lint: None,
            })
        };
        let mut serial = Vec::new();
        let mut table = Vec::new();
        let mut buf = Vec::new();
        for r in records() {
            let at = serial.len();
            let head = write_frame(&mut serial, &mut buf, &(r.key(), Some(EntryOut(&r))))
                .expect("encoded");
            let hash = content_hash(r.key().as_bytes());
            table.push((hash, (at + head) as u32, buf.len() as u32));
        }
        let mut grouped = Frames::new(Vec::new(), 0);
        write_records(&mut grouped, records()).expect("encoded");
        assert!(
            grouped.w == serial,
            "{} and {} bytes",
            grouped.w.len(),
            serial.len()
        );
        // And the table says where each payload is.
        assert_eq!(grouped.table, table);
        for &(_, offset, len) in &table {
            let payload = &serial[offset as usize..(offset + len) as usize];
            let (key, _) = postcard::take_from_bytes::<&str>(payload).expect("a key");
            assert!(many.iter().any(|t| *t.config_path == *key), "{key}");
        }
    }

    #[test]
    fn entries_are_read_in_any_order_and_a_partial_run_keeps_the_rest() {
        let (dir, settings, targets) = cached(3000);
        let cache = Cache::load(dir.path(), &settings);
        assert_eq!(cache.len(), 3000);
        // Backwards, every other one: each lookup misses the last window.
        for t in targets[..1500].iter().rev().step_by(2) {
            assert!(cache.index(t).is_some(), "{}", t.display);
        }
        for t in targets[..1500].iter().step_by(2) {
            assert!(cache.index(t).is_some(), "{}", t.display);
        }
        // Taken once: a second lookup finds nothing.
        assert!(cache.index(&targets[0]).is_none());

        // A partial run keeps what it did not look at, as it was.
        assert_eq!(cache.save(false, false, std::iter::empty()), None);
        let cache = Cache::load(dir.path(), &settings);
        assert_eq!(cache.len(), 1500);
        for t in &targets[1500..] {
            assert!(cache.index(t).is_some(), "{}", t.display);
        }
        for t in &targets[..1500] {
            assert!(cache.index(t).is_none(), "{}", t.display);
        }
    }

    #[test]
    fn a_context_file_gits_index_vouches_for_is_not_looked_at() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let root = dir.path();
        let settings =
            Settings::new(Config::default(), jiff::Timestamp::now()).expect("default settings");
        let names = ["gone.md", "edited.md", "staged.md", "named.md", "racy.md"];
        let targets: Vec<Target> = names
            .iter()
            .map(|name| {
                let path = root.join(name);
                std::fs::write(&path, format!("---\ntitle: {name}\n---\n")).expect("write");
                Target::new(&path, name, name)
            })
            .collect();
        crate::git_index::tests::git(root, &["init", "-q"]);
        crate::git_index::tests::git(root, &["add", "."]);
        // As a run records them when it read the files seconds after they
        // last changed: settled.
        let metas: Vec<Meta> = targets
            .iter()
            .map(|t| {
                let read = read_now(&settings, t);
                if *t.display == *"racy.md" {
                    return read;
                }
                let read_ns = read.stamp.changed_ns() + RACY_NS + 1;
                Meta { read_ns, ..read }
            })
            .collect();
        save(root, &settings, &targets, &metas);

        let [gone, edited, staged, named, racy] = &targets[..] else {
            unreachable!("five articles")
        };
        std::fs::remove_file(gone.path()).expect("remove it");
        std::fs::write(edited.path(), "---\ntitle: Changed, not staged\n---\n").expect("edit");
        std::fs::write(staged.path(), "---\ntitle: Changed and staged\n---\n").expect("edit");
        crate::git_index::tests::git(root, &["add", "staged.md"]);
        std::fs::remove_file(named.path()).expect("remove it");
        std::fs::remove_file(racy.path()).expect("remove it");
        let witnessed = || {
            let index = root.join(".git/index");
            let stamps = GitStamps::load(&index, root, root).expect("the index reads");
            Cache::load(root, &settings).witnessed_by(stamps)
        };

        let cache = witnessed();
        // Not stat-ed: found though it is gone.
        assert!(cache.index(gone).is_some());
        // What the commit holds, not the unstaged edit.
        assert_eq!(
            cache.index(edited).map(|(_, m)| m.hash),
            Some(metas[1].hash)
        );
        // Staged since: git's stamp is not the cache's, the file is read.
        assert!(cache.index(staged).is_none());
        // A file the run names is always looked at.
        assert!(cache.report(&settings, named).is_none());
        // An entry recorded within a tick of its file's change proves
        // nothing: looked at.
        assert!(cache.index(racy).is_none());

        // Without git's index, every file is looked at.
        let cache = Cache::load(root, &settings);
        assert!(cache.index(gone).is_none());
        assert!(cache.index(edited).is_none());
    }

    #[test]
    fn a_cache_changed_anywhere_never_gives_an_entry_it_did_not_hold() {
        let (dir, settings, targets) = cached(12);
        let path = dir.path().join(DIR).join(FILE);
        let good = std::fs::read(&path).expect("the cache");
        let stored = |cache: &Cache, t: &Target| cache.index(t).map(|(_, m)| (m.stamp, m.hash));
        let cache = Cache::load(dir.path(), &settings);
        let expected: Vec<_> = targets.iter().map(|t| stored(&cache, t)).collect();
        assert!(expected.iter().all(Option::is_some));
        for at in 0..good.len() {
            let mut bad = good.clone();
            bad[at] ^= 1 << (at % 8);
            std::fs::write(&path, &bad).expect("write it changed");
            let cache = Cache::load(dir.path(), &settings);
            for (t, want) in targets.iter().zip(&expected) {
                let got = stored(&cache, t);
                assert!(got.is_none() || got == *want, "byte {at}: {}", t.display);
            }
        }
        // Cut short anywhere: the same.
        for len in 0..good.len() {
            std::fs::write(&path, &good[..len]).expect("write it cut");
            let cache = Cache::load(dir.path(), &settings);
            for (t, want) in targets.iter().zip(&expected) {
                let got = stored(&cache, t);
                assert!(got.is_none() || got == *want, "{len} bytes: {}", t.display);
            }
        }
    }

    #[test]
    fn a_payload_is_read_whole_and_checked_wherever_it_is() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("frames");
        // Small frames around one larger than a window.
        let payloads: Vec<Vec<u8>> = (0..300u32)
            .map(|i| {
                let n = if i == 150 {
                    WINDOW_BYTES * 2
                } else {
                    300 + i as usize
                };
                (0..n).map(|b| (b as u32 ^ i) as u8).collect()
            })
            .collect();
        let mut raw = Vec::new();
        let mut at = Vec::new();
        for p in &payloads {
            write_payload(&mut raw, p).expect("write to memory");
            at.push((raw.len() - p.len() - 8) as u32);
        }
        std::fs::write(&path, &raw).expect("write the frames");
        let file = std::fs::File::open(&path).expect("open the frames");
        let id = LOADS.fetch_add(1, Ordering::Relaxed);
        let read = |i: usize| {
            let len = payloads[i].len() as u32;
            with_payload(&file, id, at[i], len, <[u8]>::to_vec)
        };
        for i in (0..300).chain((0..300).rev()) {
            assert_eq!(read(i).as_ref(), Some(&payloads[i]), "payload {i}");
        }
        // A byte changed on disk after the window moved on: not trusted.
        raw[at[7] as usize + 3] ^= 1;
        std::fs::write(&path, &raw).expect("write the frames");
        assert_eq!(read(299).as_ref(), Some(&payloads[299]));
        assert_eq!(read(7), None);
        // Past the end of the file: nothing.
        assert_eq!(
            with_payload(&file, id, raw.len() as u32 - 4, 10, |_| ()),
            None
        );
    }
}
