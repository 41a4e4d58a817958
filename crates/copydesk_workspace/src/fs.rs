//! File-system helpers every front end needs: bounded reads that never
//! block on a FIFO or swallow a huge file, and atomic writes.

use std::io::Read;
use std::path::Path;

/// Opens a file for reading, refusing anything but a regular file. It is
/// opened non-blocking (a FIFO would otherwise wait for a writer) and
/// checked on the open handle: one path lookup per file, not two.
pub fn open_regular(path: &Path) -> std::io::Result<(std::fs::File, std::fs::Metadata)> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if meta.is_dir() {
        return Err(std::io::Error::other("is a directory"));
    }
    if !meta.is_file() {
        // A FIFO or device would block or never end.
        return Err(std::io::Error::other("not a regular file"));
    }
    Ok((file, meta))
}

/// Reads at most `limit + 1` bytes, so a file that grows after `stat` is
/// still caught by the size check without reading all of it. `size` (from
/// `stat`) sizes the buffer: one read for the content, one to see the end.
pub fn read_limited(file: std::fs::File, size: u64, limit: u64) -> std::io::Result<Vec<u8>> {
    let expected = usize::try_from(size.min(limit)).unwrap_or(0);
    let mut bytes = Vec::with_capacity(expected + 64);
    file.take(limit + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// What a bounded read of a regular file came to.
#[derive(Debug)]
pub enum Bounded {
    /// Its content, at most the limit, and its metadata.
    Read(Vec<u8>, std::fs::Metadata),
    /// It is larger than the limit (its size so far): not read.
    TooLarge(u64),
}

/// Opens `path` as a regular file and reads it when it is at most `limit`
/// bytes (see [`open_regular`], [`read_limited`]).
pub fn read_bounded(path: &Path, limit: u64) -> std::io::Result<Bounded> {
    let (file, meta) = open_regular(path)?;
    read_opened(file, meta, limit)
}

/// Reads an opened regular file when it is at most `limit` bytes.
fn read_opened(
    file: std::fs::File,
    meta: std::fs::Metadata,
    limit: u64,
) -> std::io::Result<Bounded> {
    if meta.len() > limit {
        return Ok(Bounded::TooLarge(meta.len()));
    }
    let bytes = read_limited(file, meta.len(), limit)?;
    if bytes.len() as u64 > limit {
        return Ok(Bounded::TooLarge(bytes.len() as u64));
    }
    Ok(Bounded::Read(bytes, meta))
}

/// The content of `path` when it is a regular file of at most `limit`
/// bytes; `None` otherwise (missing, unreadable, too large).
pub fn read_small(path: &Path, limit: u64) -> Option<Vec<u8>> {
    match read_bounded(path, limit) {
        Ok(Bounded::Read(bytes, _)) => Some(bytes),
        _ => None,
    }
}

/// A file's identity, which two names of one file (links, `./`) share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileId(
    #[cfg(unix)] (u64, u64),
    #[cfg(not(unix))] std::path::PathBuf,
);

/// The identity of the file at `path` (links followed), `None` when there
/// is none.
pub fn file_id(path: &Path) -> Option<FileId> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(path).ok()?;
        Some(FileId((meta.dev(), meta.ino())))
    }
    #[cfg(not(unix))]
    {
        std::fs::canonicalize(path).ok().map(FileId)
    }
}

/// The name every fixed copy starts with: `--fix` writes
/// `.copydesk-fix-XXXXXX` beside the article, then renames it over it.
pub const FIX_TEMP_PREFIX: &str = ".copydesk-fix-";

/// Whether `name` is one of `--fix`'s temporary copies: the prefix and six
/// letters or digits, as `tempfile` names them.
pub fn is_fix_temp_name(name: &std::ffi::OsStr) -> bool {
    name.as_encoded_bytes()
        .strip_prefix(FIX_TEMP_PREFIX.as_bytes())
        .is_some_and(|rest| rest.len() == 6 && rest.iter().all(u8::is_ascii_alphanumeric))
}

/// What a fix knows of the file it read. Just before the fixed copy
/// replaces it, the file must still have this stamp (and the same bytes):
/// an editor's save in between, in place or by a rename, changes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    #[cfg(unix)]
    unix: (u64, u64, i64, i64),
}

impl Stamp {
    /// The stamp of a file's metadata.
    pub fn of(meta: &std::fs::Metadata) -> Self {
        #[cfg(unix)]
        use std::os::unix::fs::MetadataExt;
        Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            // The change time moves on any write, even one that puts the
            // modification time back.
            #[cfg(unix)]
            unix: (meta.dev(), meta.ino(), meta.ctime(), meta.ctime_nsec()),
        }
    }
}

/// Why [`replace_if_unchanged`] did not replace a file.
#[derive(Debug)]
pub enum ReplaceError {
    /// The file changed (or was replaced, or removed) since it was read.
    Changed,
    /// No file can be created in its folder (read-only, full, gone).
    Create(std::io::Error),
    /// Writing or renaming the fixed copy failed.
    Write(std::io::Error),
}

impl std::fmt::Display for ReplaceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReplaceError::Changed => f.write_str("changed while fixing, not written"),
            ReplaceError::Create(e) => write!(
                f,
                "cannot write the fixed file: cannot create a file in its folder: {e}"
            ),
            ReplaceError::Write(e) => write!(f, "cannot write the fixed file: {e}"),
        }
    }
}

/// Replaces `path` (a real path: no symbolic link) with `bytes` so that a
/// reader sees either the old or the new file, never half of one, and only
/// when it is still the file that was read (`read`, `expected`): a
/// temporary file in the same folder is written, given the original's
/// owner (best effort: only root can give a file away) and mode, flushed,
/// and renamed over the original right after the original is checked
/// once more. `hooks` stand for a save at the worst moments (tests).
pub fn replace_if_unchanged(
    path: &Path,
    read: &std::fs::Metadata,
    expected: &[u8],
    bytes: &[u8],
    hooks: Hooks,
) -> Result<(), ReplaceError> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(FIX_TEMP_PREFIX)
        .tempfile_in(dir)
        .map_err(|e| ReplaceError::Create(without_path(e)))?;
    let write = |tmp: &mut tempfile::NamedTempFile| -> std::io::Result<()> {
        // Through the `File`: the temporary file's name is not the user's
        // business, and `NamedTempFile` would add it to every error.
        tmp.as_file_mut().write_all(bytes)?;
        keep_owner_and_mode(tmp.as_file(), read)?;
        tmp.as_file().sync_all()
    };
    write(&mut tmp).map_err(ReplaceError::Write)?;
    if let Some(hook) = hooks.before_check {
        hook(path);
    }
    if !still_as_read(path, read, expected) {
        // Dropping the temporary file removes it.
        return Err(ReplaceError::Changed);
    }
    if let Some(hook) = hooks.before_swap {
        hook(path);
    }
    swap_in(tmp.into_temp_path(), path, read)
}

/// Code run at the two moments a concurrent save could slip in, for tests
/// that stand for one.
#[derive(Debug, Clone, Copy, Default)]
pub struct Hooks {
    /// Just before the last check of the file.
    pub before_check: Option<fn(&Path)>,
    /// After that check, just before the fixed copy is swapped in.
    pub before_swap: Option<fn(&Path)>,
}

/// Puts the fixed copy at `tmp` in place of `path`. Where the system can
/// swap two names atomically, it does, and then checks what it swapped
/// out: if a save (or another `--fix`) got in between the last check and
/// the swap, it swaps back, so that their version stays. Elsewhere, a
/// rename right after the last check.
fn swap_in(
    tmp: tempfile::TempPath,
    path: &Path,
    read: &std::fs::Metadata,
) -> Result<(), ReplaceError> {
    #[cfg(any(target_os = "linux", target_os = "macos"))]
    {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        use rustix::io::Errno;
        let exchange = |a: &Path, b: &Path| renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE);
        match exchange(&tmp, path) {
            Ok(()) => {
                // `tmp` now names what was at `path` just before the swap.
                if is_as_read(&tmp, read) {
                    return Ok(()); // Dropping `tmp` removes the original.
                }
                return match exchange(&tmp, path) {
                    Ok(()) => Err(ReplaceError::Changed),
                    Err(e) => {
                        // Theirs cannot be put back: it is kept, not removed.
                        let kept = tmp.keep().map_err(|e| ReplaceError::Write(e.error))?;
                        let e = std::io::Error::from(e);
                        Err(ReplaceError::Write(std::io::Error::other(format!(
                            "it changed while fixing, and that version is at {}: {e}",
                            kept.display()
                        ))))
                    }
                };
            }
            // Removed in the meantime: nothing to replace.
            Err(Errno::NOENT) => return Err(ReplaceError::Changed),
            // A file system that cannot swap: rename below.
            Err(e)
                if [Errno::INVAL, Errno::NOSYS, Errno::OPNOTSUPP, Errno::NOTSUP].contains(&e) => {}
            Err(e) => return Err(ReplaceError::Write(e.into())),
        }
    }
    let _ = read;
    tmp.persist(path)
        .map_err(|e| ReplaceError::Write(without_path(e.error)))
}

/// Whether `path` is the file that was read, by identity and content
/// stamp. Not its change time, which a rename sets.
#[cfg(any(target_os = "linux", target_os = "macos"))]
fn is_as_read(path: &Path, read: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::symlink_metadata(path).is_ok_and(|now| {
        now.is_file()
            && (now.dev(), now.ino(), now.len()) == (read.dev(), read.ino(), read.len())
            && now.modified().ok() == read.modified().ok()
    })
}

/// Gives `file` the owner and permissions of `like`. The owner is best
/// effort: only root may give a file away, and anyone may keep its group
/// when they are in it.
fn keep_owner_and_mode(file: &std::fs::File, like: &std::fs::Metadata) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{fchown, MetadataExt};
        if fchown(file, Some(like.uid()), Some(like.gid())).is_err() {
            let _ = fchown(file, None, Some(like.gid()));
        }
    }
    // After the owner: changing it may clear the set-id bits.
    file.set_permissions(like.permissions())
}

/// Whether `path` is still the file that was read: the same stamp (not
/// following a link: a link put in its place is a change) and the same
/// bytes.
fn still_as_read(path: &Path, read: &std::fs::Metadata, expected: &[u8]) -> bool {
    let same_stamp = std::fs::symlink_metadata(path)
        .is_ok_and(|now| now.is_file() && Stamp::of(&now) == Stamp::of(read));
    if !same_stamp {
        return false;
    }
    let limit = expected.len() as u64;
    open_regular(path)
        .and_then(|(file, meta)| read_limited(file, meta.len(), limit))
        .is_ok_and(|bytes| bytes == expected)
}

/// An error that `tempfile` gave, without the temporary file's path it
/// adds (" at path ..."): the article is named instead. `tempfile` keeps
/// the OS error out of reach (its wrapper has no source), so the text is
/// cut.
fn without_path(e: std::io::Error) -> std::io::Error {
    let text = e.to_string();
    match text.rsplit_once(" at path ") {
        Some((message, _)) => std::io::Error::new(e.kind(), message.to_owned()),
        None => e,
    }
}

/// How old a leftover fixed copy must be before a later run removes it:
/// a copy being written by a `--fix` running now is never that old.
pub const STALE_FIX_TEMP: std::time::Duration = std::time::Duration::from_secs(5 * 60);

/// Removes from `dir` the fixed copies an interrupted `--fix` left: named
/// like one ([`is_fix_temp_name`]), a regular file (not followed if it is
/// a link), owned by `owner` (this process's user) and not modified for
/// `older_than`. Returns how many were removed; a folder that cannot be
/// listed has none.
pub fn remove_stale_fix_temps(
    dir: &Path,
    owner: Option<u32>,
    older_than: std::time::Duration,
) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        if !is_fix_temp_name(&entry.file_name()) {
            continue;
        }
        // `DirEntry::metadata` does not follow a link.
        let Ok(meta) = entry.metadata() else {
            continue;
        };
        #[cfg(unix)]
        let owned = {
            use std::os::unix::fs::MetadataExt;
            owner == Some(meta.uid())
        };
        #[cfg(not(unix))]
        let owned = owner.is_none();
        let stale = meta
            .modified()
            .ok()
            .and_then(|m| m.elapsed().ok())
            .is_some_and(|age| age >= older_than);
        if meta.is_file() && owned && stale && std::fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// The user this process creates files as (the owner of a fixed copy it
/// leaves behind); `None` where the platform has no such owner.
pub fn own_user() -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // No `geteuid` without `unsafe`: a file this process creates is
        // owned by it.
        tempfile::tempfile()
            .and_then(|f| f.metadata())
            .ok()
            .map(|m| m.uid())
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// Writes a file the run owns (a cache) atomically: a temporary file named
/// `prefix…` in the same folder, filled by `write` (streamed: the cache of
/// 100k articles is not built in memory first), renamed over the target.
pub fn write_new_file(
    path: &Path,
    prefix: &str,
    write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let mut tmp = tempfile::Builder::new().prefix(prefix).tempfile_in(dir)?;
    write(tmp.as_file_mut())?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// [`open_regular`] that also refuses a symbolic link as the last part of
/// `path` (`O_NOFOLLOW`: the error is "too many levels of symbolic links"),
/// for files the run owns, such as its caches.
pub fn open_regular_nofollow(path: &Path) -> std::io::Result<(std::fs::File, std::fs::Metadata)> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW);
    }
    #[cfg(not(unix))]
    if std::fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Err(refused(path, "a symbolic link"));
    }
    let file = options.open(path).map_err(|e| {
        #[cfg(unix)]
        if e.raw_os_error() == Some(libc::ELOOP) {
            return refused(path, "a symbolic link");
        }
        e
    })?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    Ok((file, meta))
}

/// [`read_bounded`] through [`open_regular_nofollow`].
pub fn read_bounded_nofollow(path: &Path, limit: u64) -> std::io::Result<Bounded> {
    let (file, meta) = open_regular_nofollow(path)?;
    read_opened(file, meta, limit)
}

/// Reads a stream (the standard input) up to `limit` bytes: `None` when it
/// holds more. At most `limit + 1` bytes are read and kept, so a huge or
/// endless stream costs neither the memory nor the time to read it all.
pub fn read_stream_bounded(reader: impl Read, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= limit).then_some(bytes))
}

/// A folder the run keeps its own files in (the caches), never reached
/// through a symbolic link: a link there could make the run create or
/// replace files anywhere its user may write.
#[derive(Debug)]
pub struct OwnedDir {
    path: std::path::PathBuf,
    /// Device and inode when opened, to see it swapped for another.
    id: Option<(u64, u64)>,
}

/// Whether `meta` (from `symlink_metadata`) is a symbolic link.
fn is_link(meta: &std::fs::Metadata) -> bool {
    meta.file_type().is_symlink()
}

/// A path the run refuses to read or write through: a link, or not what
/// it should be (see [`is_refused`]).
#[derive(Debug)]
struct Refused(String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refused {}

fn refused(path: &Path, what: &str) -> std::io::Error {
    std::io::Error::other(Refused(format!("{} is {what}", path.display())))
}

/// Whether `e` is a refusal of [`open_regular_nofollow`] or [`OwnedDir`]
/// (a symbolic link where the run keeps its own files), not an I/O error.
pub fn is_refused(e: &std::io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<Refused>())
}

#[cfg(unix)]
fn dir_id(meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn dir_id(_: &std::fs::Metadata) -> Option<(u64, u64)> {
    None
}

impl OwnedDir {
    /// The folder at `path` when it exists and is a folder, not a link
    /// (`Ok(None)` when it does not exist).
    pub fn existing(path: &Path) -> std::io::Result<Option<OwnedDir>> {
        let meta = match std::fs::symlink_metadata(path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        if is_link(&meta) {
            return Err(refused(path, "a symbolic link"));
        }
        if !meta.is_dir() {
            return Err(refused(path, "not a folder"));
        }
        Ok(Some(OwnedDir {
            path: path.to_path_buf(),
            id: dir_id(&meta),
        }))
    }

    /// The folder at `path`, created (not its parents) when missing.
    pub fn create(path: &Path) -> std::io::Result<OwnedDir> {
        if let Some(dir) = Self::existing(path)? {
            return Ok(dir);
        }
        match std::fs::create_dir(path) {
            Ok(()) => {}
            // Another run created it meanwhile: checked again below.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
        Self::existing(path)?.ok_or_else(|| refused(path, "gone"))
    }

    /// The folder's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the path still names the folder opened, not a link put in
    /// its place since.
    fn unchanged(&self) -> std::io::Result<()> {
        match Self::existing(&self.path)? {
            Some(now) if now.id == self.id => Ok(()),
            _ => Err(refused(&self.path, "not the folder it was")),
        }
    }

    /// Creates the file `name` with `bytes` when nothing (not even a
    /// dangling link) has that name; `Ok(false)` when something does and
    /// is a regular file, an error when it is a link or anything else.
    /// `O_EXCL` never follows a link.
    pub fn create_file(&self, name: &str, bytes: &[u8]) -> std::io::Result<bool> {
        use std::io::Write;
        self.unchanged()?;
        let path = self.path.join(name);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut file) => {
                file.write_all(bytes)?;
                Ok(true)
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                let meta = std::fs::symlink_metadata(&path)?;
                if is_link(&meta) {
                    return Err(refused(&path, "a symbolic link"));
                }
                if !meta.is_file() {
                    return Err(refused(&path, "not a regular file"));
                }
                Ok(false)
            }
            Err(e) => Err(e),
        }
    }

    /// Replaces the file `name` atomically (see [`write_new_file`]): a
    /// temporary file created with `O_EXCL` in the folder, renamed over
    /// `name` (a rename replaces a link; it never writes through it). The
    /// folder is checked to be the one opened before each step.
    pub fn replace_file(
        &self,
        name: &str,
        prefix: &str,
        write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        self.unchanged()?;
        let mut tmp = tempfile::Builder::new()
            .prefix(prefix)
            .tempfile_in(&self.path)?;
        write(tmp.as_file_mut())?;
        self.unchanged()?;
        tmp.persist(self.path.join(name)).map_err(|e| e.error)?;
        Ok(())
    }
}
