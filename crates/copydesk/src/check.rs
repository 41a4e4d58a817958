//! `copydesk check`: discover, read, lint in parallel, run the corpus
//! rules, render, and pick the exit code.

use std::io::{IsTerminal, Read};
use std::path::Path;

use copydesk_lint::corpus::IndexEntry;
use copydesk_lint::fix::{self, FixMode};
use copydesk_lint::{Diagnostic, FileReport, Settings, Severity};
use rayon::prelude::*;

use crate::baseline;
use crate::cache::{self, Cache, Stamp};
use crate::cli::CheckArgs;
use crate::config_file;
use crate::discover::{Discovered, Discoverer, Target};
use crate::online;
use crate::render;

/// Runs the check; returns the exit code.
pub fn run(args: &CheckArgs) -> Result<u8, String> {
    if args.online && !online::AVAILABLE {
        return Err(online::FEATURE_OFF.to_owned());
    }
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the working directory: {e}"))?;
    let now = match &args.now {
        Some(s) => s
            .parse::<jiff::Timestamp>()
            .map_err(|e| format!("--now {s:?} is not an RFC 3339 timestamp: {e}"))?,
        None => jiff::Timestamp::now(),
    };
    let loaded = config_file::load(args.config.as_deref(), &cwd)?;
    let settings = loaded.settings(now)?;
    let discoverer = Discoverer {
        cwd: &cwd,
        root: &loaded.root,
        settings: &settings,
    };

    let stdin_path = args
        .stdin_filename
        .clone()
        .or_else(|| args.paths.iter().any(|p| p == "-").then(|| "-".to_owned()));
    let mut named = Discovered::default();
    for arg in args.paths.iter().filter(|p| *p != "-") {
        discoverer.add_arg(arg, &mut named);
    }
    let explicit = !args.paths.is_empty() || stdin_path.is_some();
    // Cross-file rules see the whole corpus under the content roots even
    // when only some files are named (pre-commit passes just the staged ones).
    let mut corpus = Discovered::default();
    for root in &settings.config.content_roots {
        let dir = loaded.root.join(root);
        if dir.is_dir() {
            discoverer.walk(&dir, &mut corpus);
        } else if !explicit {
            corpus
                .errors
                .push(format!("content root {}: no such directory", dir.display()));
        }
    }
    let (reported, errors) = if explicit {
        (named.targets, named.errors)
    } else {
        (
            std::mem::take(&mut corpus.targets),
            std::mem::take(&mut corpus.errors),
        )
    };
    let mut tool_errors = errors;

    let fix_mode = (args.fix || args.diff).then_some(if args.unsafe_fixes {
        FixMode::Unsafe
    } else {
        FixMode::Safe
    });
    let mut fixed_text: Option<String> = None;
    let mut diffs: Vec<String> = Vec::new();
    let mut fixed = 0usize;
    let stdin_report = match &stdin_path {
        Some(name) => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|e| format!("cannot read stdin: {e}"))?;
            let t = discoverer.target(std::path::Path::new(name));
            match (fix_mode, String::from_utf8(bytes)) {
                (Some(mode), Ok(text)) => {
                    let out =
                        fix::fix_text(&settings, &t.display, &t.config_path, text.clone(), mode);
                    fixed += out.applied;
                    if args.diff {
                        diffs.extend(unified_diff(&t.display, &text, &out.text));
                    } else {
                        fixed_text = Some(out.text);
                    }
                    Some(out.report)
                }
                (_, Ok(text)) => Some(copydesk_lint::lint_text(
                    &settings,
                    &t.display,
                    &t.config_path,
                    text,
                )),
                (_, Err(e)) => Some(copydesk_lint::lint_bytes(
                    &settings,
                    &t.display,
                    &t.config_path,
                    e.into_bytes(),
                )),
            }
        }
        None => None,
    };

    let reported_list: Vec<&Target> = reported
        .values()
        .filter(|t| {
            stdin_report
                .as_ref()
                .is_none_or(|s| s.source.path != t.display)
        })
        .collect();
    let unreported: Vec<&Target> = corpus
        .targets
        .values()
        .filter(|t| !reported.contains_key(&t.display))
        .filter(|t| {
            stdin_report
                .as_ref()
                .is_none_or(|s| s.source.path != t.display)
        })
        .collect();

    let cache = (!args.no_cache).then(|| Cache::load(&loaded.root, &settings));
    let fix_request = fix_mode.map(|mode| FixRequest {
        mode,
        write: !args.diff,
    });
    let processed: Vec<Result<Processed, String>> = reported_list
        .par_iter()
        .map(|t| {
            // --online needs every reported file's text (its URLs), which
            // a cached clean report does not carry.
            let cache = if args.online { None } else { cache.as_ref() };
            process(&settings, t, fix_request, cache).map(|mut p| {
                if args.online {
                    p.online = online_target(&settings, &p.report);
                }
                // Keep only what later stages need: 100k article texts
                // would not fit in the memory budget.
                p.report.shed_text();
                p
            })
        })
        .collect();
    // The rest of the corpus is only context for cross-file rules: parse
    // what the index needs, skip validation and the per-file rules.
    let background: Vec<IndexEntry> = unreported
        .par_iter()
        .filter_map(|t| read_and_index(&settings, t, cache.as_ref()))
        .collect();
    if let Some(cache) = cache {
        // A run over the configured roots (no paths named) saw the whole
        // corpus: deleted articles may leave the cache.
        cache.save(!explicit);
    }
    let mut results: Vec<Result<FileReport, String>> = Vec::with_capacity(processed.len() + 1);
    let mut online_targets: Vec<online::Target> = Vec::new();
    for p in processed {
        results.push(p.map(|p| {
            fixed += p.fixed;
            diffs.extend(p.diff);
            online_targets.extend(p.online);
            p.report
        }));
    }
    if let Some(r) = stdin_report {
        if args.online {
            online_targets.extend(online_target(&settings, &r));
        }
        results.push(Ok(r));
    }

    let mut reports: Vec<FileReport> = Vec::new();
    for result in results {
        match result {
            Ok(report) => reports.push(report),
            Err(e) => tool_errors.push(e),
        }
    }
    let checked: Vec<String> = reports.iter().map(|r| r.source.path.clone()).collect();
    let root = cwd.clone();
    let loader: Box<copydesk_lint::corpus::SourceLoader> = Box::new(move |display: &str| {
        let text = std::fs::read_to_string(root.join(display)).ok()?;
        Some(std::sync::Arc::new(copydesk_lint::SourceFile::new(
            display, text,
        )))
    });
    let mut online_diagnostics = Vec::new();
    if args.online {
        match online::check(&settings, &loaded.root, &online_targets) {
            Ok(found) => online_diagnostics = found,
            Err(e) => tool_errors.push(e),
        }
    }
    drop(online_targets);
    let mut diagnostics = copydesk_lint::lint::finish_with_extra(
        &settings,
        reports,
        background,
        Some(loader),
        online_diagnostics,
    );
    if let Some(path) = &args.write_baseline {
        let n = baseline::write(path, &diagnostics)?;
        eprintln!(
            "Recorded {n} finding{} in {}.",
            if n == 1 { "" } else { "s" },
            path.display()
        );
        return Ok(if tool_errors.is_empty() { 0 } else { 2 });
    }
    if let Some(path) = &args.baseline {
        baseline::filter(path, &mut diagnostics)?;
    }

    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diagnostics.len() - errors;
    let color = std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let width = args.width.unwrap_or(100);
    let color = color && args.output_file.is_none();
    let mut output = render::render(
        args.format,
        &diagnostics,
        &checked,
        &render::Options { color, width },
    );
    if args.statistics {
        output = statistics(&diagnostics);
    }
    if let Some(path) = &args.output_file {
        std::fs::write(path, &output)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        output.clear();
    }
    if args.diff {
        // The diff is the output; findings that remain go to stderr.
        crate::print(&diffs.concat())?;
        eprint!("{output}");
    } else if let Some(text) = &fixed_text {
        // Editors fixing on save read the fixed buffer from stdout.
        crate::print(text)?;
        eprint!("{output}");
    } else {
        crate::print(&output)?;
    }
    for e in &tool_errors {
        eprintln!("copydesk: error: {e}");
    }
    if args.format == crate::cli::Format::Full || args.format == crate::cli::Format::Concise {
        eprintln!("{}", summary(errors, warnings, checked.len()));
    }
    if fix_mode.is_some() && fixed > 0 {
        let verb = if args.diff { "Would fix" } else { "Fixed" };
        eprintln!(
            "{verb} {fixed} finding{}.",
            if fixed == 1 { "" } else { "s" }
        );
    }

    if !tool_errors.is_empty() {
        return Ok(2);
    }
    let too_many_warnings = args.max_warnings.is_some_and(|max| warnings > max);
    let would_change = args.diff && !diffs.is_empty();
    if args.exit_zero {
        return Ok(0);
    }
    Ok(if errors > 0 || too_many_warnings || would_change {
        1
    } else {
        0
    })
}

/// `--statistics`: how many findings each rule produced, most first.
fn statistics(diagnostics: &[Diagnostic]) -> String {
    let mut counts: std::collections::BTreeMap<&str, (usize, bool)> = Default::default();
    for d in diagnostics {
        let entry = counts.entry(d.code).or_default();
        entry.0 += 1;
        entry.1 |= d.fix.is_some();
    }
    let mut rows: Vec<_> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
    let width = rows.iter().map(|(c, _)| c.len()).max().unwrap_or(0);
    rows.iter()
        .map(|(code, (n, fixable))| {
            // Codes are padded only when a fixable mark follows them, so no
            // line ends in blanks.
            if *fixable {
                format!("{n:>6}  {code:<width$}  [*] fixable\n")
            } else {
                format!("{n:>6}  {code}\n")
            }
        })
        .collect()
}

fn summary(errors: usize, warnings: usize, files: usize) -> String {
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    if errors + warnings == 0 {
        format!("All clear: {} checked.", plural(files, "file"))
    } else {
        format!(
            "Found {} and {} in {}.",
            plural(errors, "error"),
            plural(warnings, "warning"),
            plural(files, "file")
        )
    }
}

/// What to do with fixes.
#[derive(Debug, Clone, Copy)]
struct FixRequest {
    mode: FixMode,
    /// Write the file (`--fix`) or only diff it (`--diff`).
    write: bool,
}

/// One file after linting (and fixing).
struct Processed {
    report: FileReport,
    fixed: usize,
    diff: Option<String>,
    /// Its cover image URLs, with `--online`.
    online: Option<online::Target>,
}

/// A file's cover image URLs for `--online`, `None` without any. The
/// target keeps the file's text (a finding on it needs the snippet) even
/// after the report sheds it.
fn online_target(settings: &Settings, report: &FileReport) -> Option<online::Target> {
    let urls = copydesk_lint::rules::image::online_urls(settings, &report.source.text);
    (!urls.is_empty()).then(|| online::Target {
        source: std::sync::Arc::clone(&report.source),
        config_path: report.config_path.clone(),
        urls,
    })
}

/// Lints one file and, when asked, fixes it: written atomically, only if
/// it changed and parsed, or shown as a diff.
fn process(
    settings: &Settings,
    t: &Target,
    fix: Option<FixRequest>,
    cache: Option<&Cache>,
) -> Result<Processed, String> {
    // Fixing needs the text and changes the file: it never uses the cache.
    let report = if fix.is_some() {
        read_and_lint(settings, t)?
    } else {
        lint_cached(settings, t, cache)?
    };
    let Some(fix) = fix else {
        return Ok(Processed {
            report,
            fixed: 0,
            diff: None,
            online: None,
        });
    };
    let fixable = report.parsed && report.diagnostics.iter().any(|d| d.fix.is_some());
    if !fixable {
        return Ok(Processed {
            report,
            fixed: 0,
            diff: None,
            online: None,
        });
    }
    let original = report.source.text.to_string();
    let out = fix::fix_text(
        settings,
        &t.display,
        &t.config_path,
        original.clone(),
        fix.mode,
    );
    if out.text == original {
        return Ok(Processed {
            report: out.report,
            fixed: 0,
            diff: None,
            online: None,
        });
    }
    if fix.write {
        write_atomically(&t.path, out.text.as_bytes())
            .map_err(|e| format!("{}: cannot write the fixed file: {e}", t.display))?;
        Ok(Processed {
            report: out.report,
            fixed: out.applied,
            diff: None,
            online: None,
        })
    } else {
        let diff = unified_diff(&t.display, &original, &out.text);
        Ok(Processed {
            report: out.report,
            fixed: out.applied,
            diff,
            online: None,
        })
    }
}

/// A unified diff of a file's fix, `None` when nothing changes.
fn unified_diff(path: &str, old: &str, new: &str) -> Option<String> {
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

/// Replaces `path` with `bytes` so that a reader sees either the old or
/// the new file, never half of one: a temporary file in the same folder is
/// written, flushed and renamed over the original, keeping its permissions.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
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

/// Reads and lints one file; an unreadable file (missing, vanished,
/// no permission, not a regular file) is a tool error naming it.
pub fn read_and_lint(settings: &Settings, t: &Target) -> Result<FileReport, String> {
    read_and_lint_stamped(settings, t).map(|(report, _)| report)
}

/// [`read_and_lint`], also returning the stamp and content hash of what
/// was read (none for a file too large to read), for the cache.
fn read_and_lint_stamped(
    settings: &Settings,
    t: &Target,
) -> Result<(FileReport, Option<(Stamp, u64)>), String> {
    let meta = std::fs::metadata(&t.path).map_err(|e| format!("{}: {e}", t.display))?;
    if meta.is_dir() {
        return Err(format!("{}: is a directory", t.display));
    }
    if !meta.is_file() {
        // A FIFO or device would block or never end.
        return Err(format!("{}: not a regular file", t.display));
    }
    let oversized = |size| {
        let report = copydesk_lint::lint_oversized(settings, &t.display, &t.config_path, size);
        Ok((report, None))
    };
    if meta.len() > settings.max_file_bytes {
        return oversized(meta.len());
    }
    let bytes = read_limited(&t.path, settings.max_file_bytes)
        .map_err(|e| format!("{}: {e}", t.display))?;
    if bytes.len() as u64 > settings.max_file_bytes {
        return oversized(bytes.len() as u64);
    }
    let stamp = (Stamp::of(&meta), cache::content_hash(&bytes));
    let report = copydesk_lint::lint_bytes(settings, &t.display, &t.config_path, bytes);
    Ok((report, Some(stamp)))
}

/// Lints a file, or takes its findings from the cache when it is unchanged.
fn lint_cached(
    settings: &Settings,
    t: &Target,
    cache: Option<&Cache>,
) -> Result<FileReport, String> {
    let Some(cache) = cache else {
        return read_and_lint(settings, t);
    };
    if let Some(report) = cache.report(settings, t) {
        return Ok(report);
    }
    let (report, stamp) = read_and_lint_stamped(settings, t)?;
    if let Some((stamp, hash)) = stamp {
        cache.store_report(settings, t, stamp, hash, &report);
    }
    Ok(report)
}

/// Reads only what the corpus index needs from a file that is context for
/// cross-file rules (from the cache when unchanged); unreadable or
/// unparsable context is skipped: its own run reports it.
fn read_and_index(settings: &Settings, t: &Target, cache: Option<&Cache>) -> Option<IndexEntry> {
    if let Some(entry) = cache.and_then(|c| c.index(t)) {
        return entry;
    }
    let meta = std::fs::metadata(&t.path).ok()?;
    if !meta.is_file() || meta.len() > settings.max_file_bytes {
        return None;
    }
    let bytes = read_limited(&t.path, settings.max_file_bytes).ok()?;
    if bytes.len() as u64 > settings.max_file_bytes {
        return None;
    }
    let hash = cache::content_hash(&bytes);
    let entry = IndexEntry::from_bytes(settings, &t.display, &t.config_path, bytes);
    if let Some(cache) = cache {
        cache.store_index(t, Stamp::of(&meta), hash, entry.as_ref());
    }
    entry
}

/// Writes a file the run owns (the cache) atomically: a temporary file in
/// the same folder renamed over the target.
pub fn write_new_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".copydesk-")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Reads at most `limit + 1` bytes, so a file that grows after `stat` is
/// still caught by the size check without reading all of it.
fn read_limited(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}
