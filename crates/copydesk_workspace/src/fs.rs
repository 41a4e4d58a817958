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

/// Replaces `path` with `bytes` so that a reader sees either the old or
/// the new file, never half of one: a temporary file in the same folder is
/// written, flushed and renamed over the original, keeping its permissions.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let permissions = std::fs::metadata(path)?.permissions();
    let mut tmp = tempfile::Builder::new()
        .prefix(".copydesk-fix-")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    std::fs::set_permissions(tmp.path(), permissions)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
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
    if meta.len() > limit {
        return Ok(Bounded::TooLarge(meta.len()));
    }
    let bytes = read_limited(file, meta.len(), limit)?;
    if bytes.len() as u64 > limit {
        return Ok(Bounded::TooLarge(bytes.len() as u64));
    }
    Ok(Bounded::Read(bytes, meta))
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
