//! Turning command-line paths and content roots into the files to lint.
//!
//! Folders are walked like ripgrep does (the `ignore` crate: .gitignore,
//! hidden files), keeping the configured extensions and include/exclude
//! globs. A file named explicitly is always linted.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use copydesk_lint::Settings;

/// One file to lint.
///
/// A run over 100k articles holds one per file, so the strings are shared:
/// `config_path` is the same allocation as `display` when they are equal
/// (the usual case, run from the configuration root), and the index
/// entries and the list of checked files point at them too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// How to show it: relative to the working directory, `/`-separated.
    pub display: Arc<str>,
    /// Relative to the configuration root, for include/exclude and overrides.
    pub config_path: Arc<str>,
    location: Location,
}

/// Where a target is: usually the working directory joined with its
/// display path (a pointer shared by all, not a path per file).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Location {
    Under(Arc<Path>),
    Exact(Box<Path>),
}

impl Target {
    /// The target at `path` (absolute), shown as `display`.
    pub fn new(path: &Path, display: &str, config_path: &str) -> Self {
        let display: Arc<str> = display.into();
        let config_path = if *config_path == *display {
            Arc::clone(&display)
        } else {
            config_path.into()
        };
        Target {
            display,
            config_path,
            location: Location::Exact(path.into()),
        }
    }

    /// Where to read it.
    pub fn path(&self) -> std::borrow::Cow<'_, Path> {
        match &self.location {
            Location::Under(base) => base.join(&*self.display).into(),
            Location::Exact(path) => std::borrow::Cow::Borrowed(path),
        }
    }
}

/// What discovery found.
#[derive(Debug, Default)]
pub struct Discovered {
    /// Files to lint and report on, sorted by display path, each once (a
    /// vector, not a map: 100k of them are held through a run).
    pub targets: Vec<Target>,
    /// Problems reading paths (missing file, walk error, symlink loop).
    pub errors: Vec<String>,
    /// Things skipped that are not articles' problems nor copydesk's (a
    /// symbolic link to nothing met while walking a folder).
    pub warnings: Vec<String>,
}

impl Discovered {
    /// Whether a file with this display path was found.
    pub fn contains(&self, display: &str) -> bool {
        self.targets
            .binary_search_by(|t| (*t.display).cmp(display))
            .is_ok()
    }

    /// Restores the order and uniqueness of `targets` after additions:
    /// one target per file found (display paths are unique to a path, see
    /// [`relative`]; two names alike would still both be kept).
    fn tidy(&mut self) {
        use rayon::slice::ParallelSliceMut;
        // On all cores: 100k paths took ~10 ms on one, before anything
        // else could start.
        self.targets
            .par_sort_unstable_by(|a, b| a.display.cmp(&b.display));
        self.targets.dedup_by(|a, b| a == b);
    }

    /// Its targets that `other` does not have (both are sorted): one walk
    /// of the two lists, not a search of `other` per target.
    pub fn without<'a>(&'a self, other: &'a Discovered) -> impl Iterator<Item = &'a Target> + 'a {
        let mut others = other.targets.iter().map(|t| &*t.display).peekable();
        self.targets.iter().filter(move |t| {
            while others.next_if(|&o| o < &*t.display).is_some() {}
            others.peek() != Some(&&*t.display)
        })
    }
}

/// Whether a walk error is a symbolic link whose target does not exist.
fn is_dangling_link(e: &ignore::Error) -> bool {
    fn path_of(e: &ignore::Error) -> Option<&Path> {
        match e {
            ignore::Error::WithPath { path, .. } => Some(path),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                path_of(err)
            }
            _ => None,
        }
    }
    path_of(e).is_some_and(|p| {
        std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink())
            && std::fs::metadata(p).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
    })
}

/// `path` relative to `base` when it is under it, `/`-separated; otherwise
/// the path as given.
pub fn relative(path: &Path, base: &Path) -> String {
    relative_fast(path, base).map_or_else(|| relative_slow(path, base), str::to_owned)
}

/// [`relative`] by slicing the string, for the usual case (UTF-8, under
/// `base`, no `.` or empty component, no control character or backslash,
/// which the display escapes): discovery
/// computes two per file, and taking paths apart was a tenth of a warm run.
fn relative_fast<'p>(path: &'p Path, base: &Path) -> Option<&'p str> {
    // Bytes first: 100k paths a run, of which only the part after the
    // base needs to be text.
    let (p, b) = (path.as_os_str().as_encoded_bytes(), base.to_str()?);
    let rest = p.strip_prefix(b.as_bytes())?;
    let rest = if b.ends_with('/') {
        rest
    } else {
        rest.strip_prefix(b"/")?
    };
    let rest = std::str::from_utf8(rest).ok()?;
    let clean = !rest.is_empty() && plain_segments(rest, false) && !has_control_or_backslash(rest);
    clean.then_some(rest)
}

/// Whether no `/`-separated segment of `s` is empty or `.` (nor `..`
/// when `no_parent`): for each of 100k walked paths, twice.
fn plain_segments(s: &str, no_parent: bool) -> bool {
    // Most paths have no segment starting with a dot and no doubled or
    // outer slash: two substring searches say so.
    if !s.is_empty()
        && !s.starts_with(['/', '.'])
        && !s.ends_with('/')
        && !s.contains("//")
        && !s.contains("/.")
    {
        return true;
    }
    let bytes = s.as_bytes();
    let mut start = 0;
    let ends = bytes.iter().enumerate().filter(|&(_, &b)| b == b'/');
    for end in ends.map(|(i, _)| i).chain([bytes.len()]) {
        match bytes.get(start..end) {
            Some(b"" | b".") | None => return false,
            Some(b"..") if no_parent => return false,
            _ => {}
        }
        start = end + 1;
    }
    true
}

/// Whether `s` holds a control character or a `\`; characters are looked
/// at only when a byte could begin a control.
fn has_control_or_backslash(s: &str) -> bool {
    s.contains('\\')
        || (copydesk_lint::diagnostic::may_hold_control(s) && s.chars().any(char::is_control))
}

fn relative_slow(path: &Path, base: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    let mut out = String::new();
    for c in rel.components() {
        match c {
            Component::CurDir => continue,
            Component::RootDir => out.push('/'),
            other => {
                if !out.is_empty() && !out.ends_with('/') {
                    out.push('/');
                }
                push_escaped(&mut out, other.as_os_str());
            }
        }
    }
    if out.is_empty() {
        ".".to_owned()
    } else {
        out
    }
}

/// Appends a file name as it is shown. It is shown, never interpreted:
/// control characters must not reach a terminal or break a line-based
/// format, so they are escaped (`\u{7}`, `\n`), and so are bytes that are
/// not UTF-8 (`\xE9`). A backslash is doubled, so that two names never
/// show alike (`b\u{7}.md` literally is `b\\u{7}.md`): a run keeps one
/// file per display path.
fn push_escaped(out: &mut String, name: &std::ffi::OsStr) {
    for chunk in name.as_encoded_bytes().utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                c if c.is_control() => out.extend(c.escape_default()),
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
}

/// Removes `.` and resolves `..` lexically, so that the same file named two
/// ways gets one display path.
pub fn normalize(path: &Path) -> PathBuf {
    // What the walk yields is already normal: not rebuilt.
    if is_normal(path) {
        return path.to_path_buf();
    }
    normalize_components(path)
}

/// Whether `path` is absolute, UTF-8 and without `.`, `..` or empty
/// components: [`normalize`] would return it unchanged.
fn is_normal(path: &Path) -> bool {
    path.to_str().is_some_and(|s| {
        s.strip_prefix('/')
            .is_some_and(|rest| plain_segments(rest, true))
    })
}

fn normalize_components(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// Finds files under the roots and paths.
pub struct Discoverer<'a> {
    /// The working directory.
    pub cwd: &'a Path,
    /// The configuration root.
    pub root: &'a Path,
    /// The resolved settings.
    pub settings: &'a Settings,
    base: std::sync::OnceLock<Arc<Path>>,
    relative_reads: bool,
}

impl<'a> Discoverer<'a> {
    /// A discoverer relative to the working directory `cwd`.
    pub fn new(cwd: &'a Path, root: &'a Path, settings: &'a Settings) -> Self {
        Discoverer {
            cwd,
            root,
            settings,
            base: std::sync::OnceLock::new(),
            relative_reads: false,
        }
    }

    /// Targets under `cwd` are read by their path relative to it, which
    /// must be the process's working directory: the kernel then resolves a
    /// few components per file instead of the whole absolute path (a warm
    /// run stats every article).
    #[must_use]
    pub fn reading_relative_to_process_cwd(mut self) -> Self {
        self.relative_reads = true;
        self
    }
    /// The target for `path` (relative to the working directory or absolute).
    pub fn target(&self, path: &Path) -> Target {
        // The walk yields absolute, normal paths: used as they are, and
        // the display path is sliced off and copied once (100k targets a
        // run).
        let joined = if path.is_absolute() {
            std::borrow::Cow::Borrowed(path)
        } else {
            std::borrow::Cow::Owned(self.cwd.join(path))
        };
        let abs = if is_normal(&joined) {
            joined
        } else {
            std::borrow::Cow::Owned(normalize_components(&joined))
        };
        // A display path sliced off the absolute path names the file
        // faithfully; one built component by component (escaped, lossy,
        // outside the working directory) only when it joins back to it.
        let (display, faithful): (Arc<str>, bool) = match relative_fast(&abs, self.cwd) {
            Some(display) => (display.into(), true),
            None => {
                let display = relative_slow(&abs, self.cwd);
                let faithful = self.cwd.join(&display) == abs;
                (display.into(), faithful)
            }
        };
        let config_path = if self.root == self.cwd {
            Arc::clone(&display)
        } else {
            relative(&abs, self.root).into()
        };
        // Then only the shared working directory is kept, not a path per
        // file.
        let location = if faithful {
            let base = self.base.get_or_init(|| {
                if self.relative_reads {
                    Arc::from(Path::new(""))
                } else {
                    Arc::from(self.cwd)
                }
            });
            Location::Under(Arc::clone(base))
        } else {
            Location::Exact(abs.into_owned().into_boxed_path())
        };
        Target {
            display,
            config_path,
            location,
        }
    }

    /// Adds `arg` (a file, folder or glob) to `found`.
    pub fn add_arg(&self, arg: &str, found: &mut Discovered) {
        self.add_arg_unsorted(arg, found);
        found.tidy();
    }

    fn add_arg_unsorted(&self, arg: &str, found: &mut Discovered) {
        let path = Path::new(arg);
        let abs = self.cwd.join(path);
        if abs.is_dir() {
            self.walk(&abs, found);
        } else if abs.is_file() {
            let t = self.target(&abs);
            found.targets.push(t);
        } else if arg.contains(['*', '?', '[']) {
            let pattern = abs.to_string_lossy().into_owned();
            // Matched files count as named, exactly as if the shell had
            // expanded the glob; so, as in a shell, `*` skips dotfiles.
            let options = glob::MatchOptions {
                require_literal_leading_dot: true,
                ..glob::MatchOptions::new()
            };
            match glob::glob_with(&pattern, options) {
                Ok(paths) => {
                    let mut any = false;
                    for entry in paths {
                        match entry {
                            Ok(p) if p.is_dir() => {
                                any = true;
                                self.walk(&p, found);
                            }
                            Ok(p) => {
                                any = true;
                                // A fixed copy left by an interrupted
                                // `--fix` is not an article.
                                if !p.file_name().is_some_and(crate::fs::is_fix_temp_name) {
                                    let t = self.target(&p);
                                    found.targets.push(t);
                                }
                            }
                            Err(e) => found.errors.push(format!("{arg}: {e}")),
                        }
                    }
                    if !any {
                        found
                            .errors
                            .push(format!("{arg}: no file matches this glob"));
                    }
                }
                Err(e) => found.errors.push(format!("{arg}: invalid glob: {}", e.msg)),
            }
        } else if abs.exists() {
            // A FIFO, socket or device: reading it could block forever.
            found.errors.push(format!("{arg}: not a regular file"));
        } else {
            found
                .errors
                .push(format!("{arg}: no such file or directory"));
        }
    }

    /// Adds every article under `dir`.
    pub fn walk(&self, dir: &Path, found: &mut Discovered) {
        // Walked on all cores: at 100k articles the walk is a large part of
        // a warm run. Order comes from sorting, not the walk.
        let walker = ignore::WalkBuilder::new(dir)
            .hidden(true)
            .git_ignore(true)
            .require_git(false)
            .follow_links(true)
            .build_parallel();
        // Each walker thread keeps its own targets; they are moved once,
        // into `found`, at the end (100k targets are not appended twice).
        type Batch = (Vec<Target>, Vec<String>, Vec<String>);
        let batches: std::sync::Mutex<Vec<Batch>> = std::sync::Mutex::new(Vec::new());
        walker.run(|| {
            // Handed over when the thread's visitor is dropped.
            struct Flush<'a> {
                batch: Batch,
                into: &'a std::sync::Mutex<Vec<Batch>>,
            }
            impl Drop for Flush<'_> {
                fn drop(&mut self) {
                    if let Ok(mut all) = self.into.lock() {
                        all.push(std::mem::take(&mut self.batch));
                    }
                }
            }
            let mut flush = Flush {
                batch: (Vec::with_capacity(256), Vec::new(), Vec::new()),
                into: &batches,
            };
            Box::new(move |entry| {
                match entry {
                    Ok(e) => {
                        let p = e.path();
                        if e.file_type().is_some_and(|t| t.is_file())
                            && self.settings.has_article_extension(p)
                            && !crate::fs::is_fix_temp_name(e.file_name())
                        {
                            let t = self.target(p);
                            if self.settings.is_selected(&t.config_path) {
                                flush.batch.0.push(t);
                            }
                        }
                    }
                    // A link to nothing is not an article: a folder holding
                    // one is still linted (a named one is still an error).
                    Err(e) if is_dangling_link(&e) => {
                        flush
                            .batch
                            .2
                            .push(format!("skipped a link to nothing: {e}"));
                    }
                    Err(e) => flush.batch.1.push(e.to_string()),
                }
                ignore::WalkState::Continue
            })
        });
        let batches = batches.into_inner().unwrap_or_default();
        found
            .targets
            .reserve(batches.iter().map(|(t, _, _)| t.len()).sum());
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        for (targets, errs, warns) in batches {
            found.targets.extend(targets);
            errors.extend(errs);
            warnings.extend(warns);
        }
        warnings.sort();
        found.warnings.extend(warnings);
        // Errors in a stable order, whatever the thread schedule.
        errors.sort();
        found.errors.extend(errors);
        found.tidy();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_segments_are_what_splitting_finds() {
        let reference = |s: &str, no_parent: bool| {
            s.split('/')
                .all(|seg| !seg.is_empty() && seg != "." && !(no_parent && seg == ".."))
        };
        let parts = ["", ".", "..", "a", "é", "...", ".a", "a.", "b/", "/"];
        for a in parts {
            for b in parts {
                for c in parts {
                    let s = format!("{a}{b}/{c}");
                    for no_parent in [false, true] {
                        let want = reference(&s, no_parent);
                        assert_eq!(plain_segments(&s, no_parent), want, "{s:?}");
                    }
                    let abs = format!("/{s}");
                    assert_eq!(is_normal(Path::new(&abs)), reference(&s, true), "{abs:?}");
                }
            }
        }
    }

    #[test]
    fn without_is_every_target_the_other_does_not_contain() {
        let found = |names: &[&str]| {
            let mut d = Discovered {
                targets: names
                    .iter()
                    .map(|n| Target::new(&Path::new("/srv").join(n), n, n))
                    .collect(),
                ..Discovered::default()
            };
            d.tidy();
            d
        };
        let names = [
            "a.md", "a/b.md", "a/b/c.md", "a-b.md", "b.md", "é.md", "z/z.md", "zz.md",
        ];
        // Every subset of the names against every other.
        for mask in 0u32..1 << names.len() {
            let mine: Vec<&str> = (0..names.len())
                .filter(|i| mask & 1 << i != 0)
                .map(|i| names[i])
                .collect();
            for other_mask in [0, mask, !mask, 0b1010_1010, 0b0101_0101, 0b1100_0011] {
                let theirs: Vec<&str> = (0..names.len())
                    .filter(|i| other_mask & 1 << i != 0)
                    .map(|i| names[i])
                    .collect();
                let (mine, theirs) = (found(&mine), found(&theirs));
                let got: Vec<&str> = mine.without(&theirs).map(|t| &*t.display).collect();
                let want: Vec<&str> = mine
                    .targets
                    .iter()
                    .filter(|t| !theirs.contains(&t.display))
                    .map(|t| &*t.display)
                    .collect();
                assert_eq!(got, want, "{mask:b} without {other_mask:b}");
            }
        }
    }

    #[test]
    fn a_control_character_or_backslash_is_found_as_chars_find_it() {
        for c in (0..0x3000)
            .chain([0xfeff, 0x1f600])
            .filter_map(char::from_u32)
        {
            for s in [format!("{c}"), format!("a/{c}é.md"), format!("£{c}")] {
                let want = s.chars().any(|c| c.is_control() || c == '\\');
                assert_eq!(has_control_or_backslash(&s), want, "{:x}", u32::from(c));
            }
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_relative_path_is_sliced_only_when_it_is_plain_text() {
        use std::os::unix::ffi::OsStrExt;
        let base = Path::new("/srv/site");
        let at = |p: &[u8]| {
            relative_fast(Path::new(std::ffi::OsStr::from_bytes(p)), base).map(str::to_owned)
        };
        assert_eq!(at(b"/srv/site/a/b.md").as_deref(), Some("a/b.md"));
        assert_eq!(at(b"/srv/site/\xc3\xa9.md").as_deref(), Some("é.md"));
        assert_eq!(at(b"/srv/site/\xff.md"), None);
        assert_eq!(at(b"/srv/site/a/./b.md"), None);
        assert_eq!(at(b"/srv/site//b.md"), None);
        assert_eq!(at(b"/srv/site/a\\b.md"), None);
        assert_eq!(at(b"/srv/site/a\x07.md"), None);
        assert_eq!(at(b"/srv/siteb/a.md"), None);
        assert_eq!(at(b"/srv/site"), None);
    }

    #[test]
    fn a_target_reads_the_file_it_was_found_at() {
        let settings = Settings::with_defaults(jiff::Timestamp::UNIX_EPOCH);
        let cwd = Path::new("/work/site");
        let d = Discoverer::new(cwd, cwd, &settings);
        // Shown as found: kept as the shared working directory + display.
        let plain = d.target(Path::new("content/./a.md"));
        assert_eq!(&*plain.display, "content/a.md");
        assert!(matches!(plain.location, Location::Under(_)));
        assert_eq!(plain.path(), Path::new("/work/site/content/a.md"));
        // A control character is escaped in the display path: the real
        // path is kept.
        let odd = d.target(Path::new("content/a\u{7}.md"));
        assert_ne!(&*odd.display, "content/a\u{7}.md");
        assert!(matches!(odd.location, Location::Exact(_)));
        assert_eq!(odd.path(), Path::new("/work/site/content/a\u{7}.md"));
        // Outside the working directory: shown (and found) as is.
        let outside = d.target(Path::new("../other/b.md"));
        assert_eq!(outside.path(), Path::new("/work/other/b.md"));
        let relative = Discoverer::new(cwd, cwd, &settings).reading_relative_to_process_cwd();
        let near = relative.target(Path::new("content/a.md"));
        assert_eq!(near.path(), Path::new("content/a.md"));
        let far = relative.target(Path::new("../other/b.md"));
        assert_eq!(far.path(), Path::new("/work/other/b.md"));
    }

    #[test]
    fn relative_paths_by_slicing_match_taking_them_apart() {
        let cases = [
            ("/w/site/content/a.md", "/w/site"),
            ("/w/site/content/a.md", "/w/site/"),
            ("/w/site/content/a.md", "/"),
            ("/w/site", "/w/site"),
            ("/w/sitex/a.md", "/w/site"),
            ("/w/site/./a.md", "/w/site"),
            ("/w/site//a.md", "/w/site"),
            ("/w/site/a/", "/w/site"),
            ("/w/site/../a.md", "/w/site"),
            ("/w/site/a\u{7}b.md", "/w/site"),
            ("/w/site/a\\u{7}b.md", "/w/site"),
            ("/w/site/a\nb.md", "/w/site"),
            ("/w/site/caf\u{e9}/\u{1f600}.md", "/w/site"),
            ("/elsewhere/a.md", "/w/site"),
            ("relative/a.md", "relative"),
        ];
        for (path, base) in cases {
            let (path, base) = (Path::new(path), Path::new(base));
            if let Some(fast) = relative_fast(path, base) {
                assert_eq!(fast, relative_slow(path, base), "{path:?} under {base:?}");
            }
            assert_eq!(relative(path, base), relative_slow(path, base));
        }
        assert!(relative_fast(Path::new("/w/site/content/a.md"), Path::new("/w/site")).is_some());
        for path in [
            "/w/a.md",
            "/w/./a.md",
            "/w/../a.md",
            "/w//a.md",
            "w/a.md",
            "/w/a/",
        ] {
            let slow = normalize_components(Path::new(path));
            assert_eq!(normalize(Path::new(path)), slow, "{path}");
        }
    }
}
