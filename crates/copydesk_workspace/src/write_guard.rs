//! Where and whether `--fix` may replace a file.
//!
//! A fix is written only to a file that is where the user pointed: inside
//! the content roots once every link is resolved, or reached without any
//! link (a file or folder named outside the roots). A link is fixed at its
//! target, so the link stays. A read-only file (by its mode bits, not by
//! what root may do anyway) and a file with several hard links (a rename
//! would split them) are reported, not written. The file is checked once
//! more just before it is replaced ([`fs::replace_if_unchanged`]). The
//! fixed copies an interrupted run left in a folder are removed.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::discover;
use crate::fs;

/// The content roots a run may write under, and the folders it has swept.
#[derive(Debug)]
pub struct WriteGuard {
    /// The working directory, every link resolved.
    cwd: PathBuf,
    /// The content roots, every link resolved.
    roots: Vec<PathBuf>,
    /// The folders already swept of stale fixed copies.
    swept: Mutex<HashSet<PathBuf>>,
    /// The real paths a fix has been written to (or is being): a file
    /// found under two names (a link and its target) is fixed once.
    claimed: Mutex<HashSet<PathBuf>>,
    /// This process's user.
    owner: Option<u32>,
    /// Code run where a concurrent save could slip in (tests change the
    /// file there, to stand for an editor saving at that moment).
    #[doc(hidden)]
    pub hooks: fs::Hooks,
}

impl WriteGuard {
    /// A guard for a run in `cwd` whose content roots are `content_roots`,
    /// relative to the configuration root `root`.
    pub fn new(cwd: &Path, root: &Path, content_roots: &[String]) -> Self {
        let roots = content_roots
            .iter()
            .filter_map(|r| std::fs::canonicalize(root.join(r)).ok())
            .collect();
        WriteGuard {
            cwd: std::fs::canonicalize(cwd).unwrap_or_else(|_| cwd.to_path_buf()),
            roots,
            swept: Mutex::new(HashSet::new()),
            claimed: Mutex::new(HashSet::new()),
            owner: fs::own_user(),
            hooks: fs::Hooks::default(),
        }
    }

    /// Whether `path` (as found, relative to the working directory or
    /// absolute), whose real path is `real`, may be written: `real` is
    /// inside a content root, or `path` leads there without any link.
    fn allows(&self, path: &Path, real: &Path) -> bool {
        self.roots.iter().any(|r| real.starts_with(r))
            || discover::normalize(&self.cwd.join(path)) == real
    }

    /// The real path to write `path`'s fix to, or why it is not written;
    /// `None` when the same file, found under another name, is fixed by
    /// this run already. `meta` is what was read (links followed).
    pub fn check(&self, path: &Path, meta: &std::fs::Metadata) -> Result<Option<PathBuf>, String> {
        let real = std::fs::canonicalize(path).map_err(|e| format!("not fixed: {e}"))?;
        if !self.allows(path, &real) {
            return Err(format!(
                "not fixed: it is a link to {}, outside the content roots",
                real.display()
            ));
        }
        if is_read_only(meta) {
            return Err("not fixed: read-only".to_owned());
        }
        let links = hard_links(meta);
        if links > 1 {
            return Err(format!(
                "not fixed: it has {links} hard links, which replacing it would split"
            ));
        }
        let first = self
            .claimed
            .lock()
            .is_ok_and(|mut claimed| claimed.insert(real.clone()));
        Ok(first.then_some(real))
    }

    /// Replaces `real` (from [`WriteGuard::check`]) with `bytes` when it is
    /// still what was read (`meta`, `expected`).
    pub fn replace(
        &self,
        real: &Path,
        meta: &std::fs::Metadata,
        expected: &[u8],
        bytes: &[u8],
    ) -> Result<(), String> {
        fs::replace_if_unchanged(real, meta, expected, bytes, self.hooks).map_err(|e| e.to_string())
    }

    /// Removes the stale fixed copies in the folder of `path` (once per
    /// folder and run), when the run may write there.
    pub fn sweep_folder_of(&self, path: &Path) {
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        // Looked up before anything is allocated: called for every file.
        let first = self
            .swept
            .lock()
            .is_ok_and(|mut swept| !swept.contains(dir) && swept.insert(dir.to_path_buf()));
        if !first {
            return;
        }
        let Ok(real) = std::fs::canonicalize(dir) else {
            return;
        };
        if self.allows(dir, &real) {
            fs::remove_stale_fix_temps(&real, self.owner, fs::STALE_FIX_TEMP);
        }
    }
}

/// Whether no one may write the file by its mode bits. Root may write it
/// anyway; the owner's choice is still respected.
fn is_read_only(meta: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.permissions().mode() & 0o222 == 0
    }
    #[cfg(not(unix))]
    {
        meta.permissions().readonly()
    }
}

/// How many names the file has.
fn hard_links(meta: &std::fs::Metadata) -> u64 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        meta.nlink()
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        1
    }
}
