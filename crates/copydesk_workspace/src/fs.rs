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
