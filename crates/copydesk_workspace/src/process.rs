//! One file through a run: read it (bounded), lint it or take its results
//! from the cache, fix it when asked (written where [`WriteGuard`] allows);
//! or read only its index entry.

use std::sync::Arc;

use copydesk_lint::corpus::IndexEntry;
use copydesk_lint::fix::{self, FixMode};
use copydesk_lint::{FileReport, Settings};

use crate::cache::{self, Cache};
use crate::discover::Target;
use crate::fs::{self, Bounded};
use crate::report::{Extra, Indexed, Linted, Processed};
use crate::write_guard::WriteGuard;

/// What to do with fixes.
#[derive(Debug, Clone, Copy)]
pub struct FixRequest {
    /// Which fixes.
    pub mode: FixMode,
    /// Write the file (`--fix`) or only diff it (`--diff`).
    pub write: bool,
}

/// Lints one file and, when asked, fixes it: written only if it changed
/// and parsed and `guard` allows it (see [`crate::write_guard`]), or shown
/// as a diff. A fix that is not written is an error of the result
/// ([`Extra::error`]), which keeps the file's findings as read.
pub fn process(
    settings: &Settings,
    t: &Target,
    fix: Option<FixRequest>,
    guard: Option<&WriteGuard>,
    cache: Option<&Cache>,
) -> Result<Processed, String> {
    let Some(fix) = fix else {
        return lint_cached(settings, t, cache);
    };
    let guard = guard.filter(|_| fix.write);
    if let Some(guard) = guard {
        guard.sweep_folder_of(&t.path());
    }
    // Fixing needs the text and changes the file: it never uses the cache.
    let (report, read) = read_and_lint_meta(settings, t)?;
    let fixable = report.parsed && report.diagnostics.iter().any(|d| d.fix.is_some());
    if !fixable {
        return Ok(unfixed(report, None));
    }
    let not_written = |report, reason: String| {
        let extra = Extra {
            error: Some(format!("{}: {reason}", t.display)),
            ..Extra::default()
        };
        Ok(unfixed(report, Some(Box::new(extra))))
    };
    let dest = match (fix.write, guard, &read) {
        (false, ..) => None,
        (true, Some(guard), Some(meta)) => match guard.check(&t.path(), meta) {
            Ok(Some(real)) => Some((guard, real, meta)),
            // Fixed under its other name: reported as read.
            Ok(None) => return Ok(unfixed(report, None)),
            Err(reason) => return not_written(report, reason),
        },
        _ => return not_written(report, "not fixed: nothing may be written".to_owned()),
    };
    let original = Arc::clone(&report.source.text);
    // The file's lint is the fixer's first pass: it is not linted twice.
    let out = fix::fix_report(settings, report, fix.mode);
    if *out.text == *original {
        return Ok(unfixed(out.report, None));
    }
    let diff = match dest {
        Some((guard, real, meta)) => {
            let written = guard.replace(&real, meta, original.as_bytes(), out.text.as_bytes());
            if let Err(reason) = written {
                // Nothing was written: its findings are those of the file
                // as read (linted again: only on this rare path).
                let bytes = original.as_bytes().to_vec();
                let report = copydesk_lint::lint_bytes(settings, &t.display, &t.config_path, bytes);
                return not_written(report, reason);
            }
            None
        }
        None => unified_diff(&t.display, &original, &out.text),
    };
    let extra = Extra {
        fixed: out.applied,
        diff,
        ..Extra::default()
    };
    let report = if fix.write {
        out.report
    } else {
        // `--diff` writes nothing: the findings shown are the file's on
        // disk, at its lines, not the fixed text's (linted again: only
        // with `--diff`, and only for a file that has fixes).
        let bytes = original.as_bytes().to_vec();
        copydesk_lint::lint_bytes(settings, &t.display, &t.config_path, bytes)
    };
    Ok(unfixed(report, Some(Box::new(extra))))
}

/// A report as the run keeps it, with its fix or error.
fn unfixed(report: FileReport, extra: Option<Box<Extra>>) -> Processed {
    Processed {
        linted: Linted::Full(Box::new(report)),
        meta: None,
        from_cache: false,
        extra,
    }
}

/// A unified diff of a file's fix, `None` when nothing changes.
pub fn unified_diff(path: &str, old: &str, new: &str) -> Option<String> {
    if old == new {
        return None;
    }
    let diff = similar::TextDiff::from_lines(old, new);
    Some(
        diff.unified_diff()
            .context_radius(3)
            .header(&format!("a/{path}"), &format!("b/{path}"))
            .to_string(),
    )
}

/// Reads and lints one file; an unreadable file (missing, vanished,
/// no permission, not a regular file) is a tool error naming it.
pub fn read_and_lint(settings: &Settings, t: &Target) -> Result<FileReport, String> {
    read_and_lint_stamped(settings, t, false).map(|(report, _)| report)
}

/// [`read_and_lint`], also returning what was read of the file (nothing
/// for a file too large to read).
fn read_and_lint_meta(
    settings: &Settings,
    t: &Target,
) -> Result<(FileReport, Option<std::fs::Metadata>), String> {
    let read = fs::read_bounded(&t.path(), settings.max_file_bytes)
        .map_err(|e| format!("{}: {e}", t.display))?;
    Ok(match read {
        Bounded::TooLarge(size) => (
            copydesk_lint::lint_oversized(settings, &t.display, &t.config_path, size),
            None,
        ),
        Bounded::Read(bytes, meta) => (
            copydesk_lint::lint_bytes(settings, &t.display, &t.config_path, bytes),
            Some(meta),
        ),
    })
}

/// [`read_and_lint`], also returning (with `stamp`) what the cache records
/// about what was read (nothing for a file too large to read).
fn read_and_lint_stamped(
    settings: &Settings,
    t: &Target,
    stamp: bool,
) -> Result<(FileReport, Option<cache::Meta>), String> {
    let read = fs::read_bounded(&t.path(), settings.max_file_bytes)
        .map_err(|e| format!("{}: {e}", t.display))?;
    match read {
        Bounded::TooLarge(size) => {
            let report = copydesk_lint::lint_oversized(settings, &t.display, &t.config_path, size);
            Ok((report, None))
        }
        Bounded::Read(bytes, meta) => {
            let record = stamp.then(|| cache::Meta::read_now(settings, &meta, &bytes));
            let report = copydesk_lint::lint_bytes(settings, &t.display, &t.config_path, bytes);
            Ok((report, record))
        }
    }
}

/// Lints a file, or takes its findings from the cache when it is unchanged.
fn lint_cached(
    settings: &Settings,
    t: &Target,
    cache: Option<&Cache>,
) -> Result<Processed, String> {
    if let Some((linted, meta)) = cache.and_then(|c| c.report(settings, t)) {
        return Ok(Processed {
            linted,
            meta: Some(meta),
            from_cache: true,
            extra: None,
        });
    }
    let (report, meta) = read_and_lint_stamped(settings, t, cache.is_some())?;
    Ok(Processed {
        linted: Linted::Full(Box::new(report)),
        meta,
        from_cache: false,
        extra: None,
    })
}

/// Reads only what the corpus index needs from a file that is context for
/// cross-file rules (from the cache when unchanged); unreadable or
/// unparsable context has no entry: its own run reports it.
pub fn read_and_index(settings: &Settings, t: &Target, cache: Option<&Cache>) -> Option<Indexed> {
    if let Some((entry, meta)) = cache.and_then(|c| c.index(t)) {
        return Some(Indexed {
            entry,
            meta,
            from_cache: true,
        });
    }
    let Ok(Bounded::Read(bytes, fs_meta)) = fs::read_bounded(&t.path(), settings.max_file_bytes)
    else {
        return None;
    };
    let meta = cache::Meta::read_now(settings, &fs_meta, &bytes);
    let entry = IndexEntry::from_bytes(settings, &t.display, &t.config_path, bytes).map(|mut e| {
        e.path = Arc::clone(&t.display);
        e.config_path = Arc::clone(&t.config_path);
        e
    });
    Some(Indexed {
        entry,
        meta,
        from_cache: false,
    })
}
