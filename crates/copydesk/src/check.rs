//! `copydesk check`: discover, read, lint in parallel, run the corpus
//! rules, render, and pick the exit code.

use std::io::{IsTerminal, Read};
use std::path::Path;
use std::sync::Arc;

use copydesk_lint::corpus::IndexEntry;
use copydesk_lint::fix::{self, FixMode};
use copydesk_lint::{Diagnostic, FileReport, Settings, Severity};
use rayon::prelude::*;

use crate::baseline;
use crate::cache::{self, Cache};
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
    // `cwd` is this process's working directory: files are read by their
    // path relative to it.
    let discoverer =
        Discoverer::new(&cwd, &loaded.root, &settings).reading_relative_to_process_cwd();

    let stdin_path = args
        .stdin_filename
        .clone()
        .or_else(|| args.paths.iter().any(|p| p == "-").then(|| "-".to_owned()));
    let explicit = !args.paths.is_empty() || stdin_path.is_some();
    let discover = || {
        let mut named = Discovered::default();
        for arg in args.paths.iter().filter(|p| *p != "-") {
            discoverer.add_arg(arg, &mut named);
        }
        // Cross-file rules see the whole corpus under the content roots even
        // when only some files are named (pre-commit passes just the staged
        // ones).
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
        (named, corpus)
    };
    let (mut named, mut corpus) = discover();
    let cache = (!args.no_cache).then(|| Cache::load(&loaded.root, &settings));
    let (reported, mut tool_errors) = if explicit {
        let errors = std::mem::take(&mut named.errors);
        (named, errors)
    } else {
        let errors = std::mem::take(&mut corpus.errors);
        (std::mem::take(&mut corpus), errors)
    };

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
        .targets
        .iter()
        .filter(|t| {
            stdin_report
                .as_ref()
                .is_none_or(|s| *s.source.path != *t.display)
        })
        .collect();
    let unreported: Vec<&Target> = corpus
        .targets
        .iter()
        .filter(|t| !reported.contains(&t.display))
        .filter(|t| {
            stdin_report
                .as_ref()
                .is_none_or(|s| *s.source.path != *t.display)
        })
        .collect();

    let fix_request = fix_mode.map(|mode| FixRequest {
        mode,
        write: !args.diff,
    });
    // Each file's index entry and the rest of its results are collected
    // apart: the entries become the corpus index without being copied. The
    // larger of the two entry vectors (reported files, context files) gets
    // room for all of them and the standard input's, so that no 100k-entry
    // vector is ever reallocated.
    let all = reported_list.len() + unreported.len() + 1;
    let room = |n: usize, other: usize| if n >= other { all } else { n };
    let mut entries: Vec<Option<IndexEntry>> =
        Vec::with_capacity(room(reported_list.len(), unreported.len()));
    let mut rests: Vec<Rest> = Vec::with_capacity(reported_list.len());
    reported_list
        .par_iter()
        .map(|t| {
            // --online needs every reported file's text (its URLs), which
            // a cached clean report does not carry.
            let cache = if args.online { None } else { cache.as_ref() };
            let mut p = match process(&settings, t, fix_request, cache) {
                Ok(p) => p,
                Err(e) => return (None, Rest::Failed(e)),
            };
            if args.online {
                if let Linted::Full(report) = &p.linted {
                    let online = online_target(&settings, report);
                    if online.is_some() {
                        p.extra.get_or_insert_with(Default::default).online = online;
                    }
                }
            }
            p.split(t)
        })
        .unzip_into_vecs(&mut entries, &mut rests);
    // The rest of the corpus is only context for cross-file rules: parse
    // what the index needs, skip validation and the per-file rules.
    let mut context_entries: Vec<Option<IndexEntry>> =
        Vec::with_capacity(room(unreported.len(), reported_list.len() + 1));
    let mut context_meta: Vec<Option<ContextMeta>> = Vec::with_capacity(unreported.len());
    unreported
        .par_iter()
        .map(|t| match read_and_index(&settings, t, cache.as_ref()) {
            Some(i) => (i.entry, Some((i.meta, i.from_cache))),
            None => (None, None),
        })
        .unzip_into_vecs(&mut context_entries, &mut context_meta);
    if let Some(cache) = cache {
        let linted =
            rests
                .iter()
                .zip(&reported_list)
                .zip(&entries)
                .filter_map(|((rest, t), entry)| {
                    let (meta, lint) = rest.record()?;
                    Some(record(t, entry, meta, Some(lint)))
                });
        let indexed = context_meta
            .iter()
            .zip(&unreported)
            .zip(&context_entries)
            .filter_map(|((m, t), entry)| Some(record(t, entry, (*m)?, None)));
        let records = linted.chain(indexed);
        let fresh = records.clone().all(|(from_cache, _)| from_cache);
        // A run over the configured roots (no paths named) saw the whole
        // corpus: deleted articles may leave the cache.
        cache.save(!explicit, fresh, records.map(|(_, r)| r));
    }
    drop(context_meta);
    let mut reports: Vec<FileReport> = Vec::new();
    let mut checked: Vec<Arc<str>> = Vec::with_capacity(rests.len() + 1);
    let mut online_targets: Vec<online::Target> = Vec::new();
    for (rest, t) in rests.into_iter().zip(&reported_list) {
        match rest {
            Rest::Clean { .. } => checked.push(Arc::clone(&t.display)),
            Rest::Full(full) => {
                let Full { report, extra, .. } = *full;
                fixed += extra.fixed;
                diffs.extend(extra.diff);
                online_targets.extend(extra.online);
                checked.push(Arc::clone(&t.display));
                reports.push(report);
            }
            Rest::Failed(e) => tool_errors.push(e),
        }
    }
    if let Some(r) = stdin_report {
        if args.online {
            online_targets.extend(online_target(&settings, &r));
        }
        checked.push(r.source.path.as_str().into());
        reports.push(r);
    }
    // Into one vector without copying the larger one (a full run has no
    // context; a partial run has almost nothing but context).
    let (mut context, smaller) = if entries.len() >= context_entries.len() {
        (entries, context_entries)
    } else {
        (context_entries, entries)
    };
    context.extend(smaller);
    // `filter_map`, not `flatten`: only the former collects in place.
    #[allow(clippy::filter_map_identity)]
    let context: Vec<IndexEntry> = context.into_iter().filter_map(|e| e).collect();
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
        context,
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

/// A linted file, as small as the rest of the run needs it.
// Most files are `Clean`: boxing its entry would cost an allocation per
// file to save space only in the rare `Full` ones.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Linted {
    /// No finding and no suppression comment (most files): only its index
    /// facts matter to the rest of the run.
    Clean {
        /// Its index entry (reported), when its front matter parsed.
        index: Option<IndexEntry>,
        /// Whether its front matter parsed.
        parsed: bool,
    },
    /// Anything else: the whole report.
    Full(Box<FileReport>),
}

impl Linted {
    /// Drops what the rest of a run does not need: a clean report becomes
    /// its index entry (unless `may_drop` is false), sharing the target's
    /// strings; the index entry sheds the file's text (cross-file findings
    /// read it back).
    #[must_use]
    pub fn slim(self, t: &Target, may_drop: bool) -> Self {
        let shared = |mut e: IndexEntry| {
            e.shed_text();
            if *e.path == *t.display {
                e.path = Arc::clone(&t.display);
            }
            if *e.config_path == *t.config_path {
                e.config_path = Arc::clone(&t.config_path);
            }
            e
        };
        match self {
            Linted::Full(report)
                if may_drop && report.diagnostics.is_empty() && report.suppressions.is_empty() =>
            {
                Linted::Clean {
                    index: report.index.map(shared),
                    parsed: report.parsed,
                }
            }
            Linted::Full(mut report) => {
                report.shed_text();
                report.index = report.index.take().map(shared);
                Linted::Full(report)
            }
            clean @ Linted::Clean { .. } => clean,
        }
    }

    /// Its own findings (none when clean).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Linted::Clean { .. } => &[],
            Linted::Full(report) => &report.diagnostics,
        }
    }

    /// Its index entry.
    pub fn index(&self) -> Option<&IndexEntry> {
        match self {
            Linted::Clean { index, .. } => index.as_ref(),
            Linted::Full(report) => report.index.as_ref(),
        }
    }
}

/// One file after linting (and fixing).
struct Processed {
    linted: Linted,
    /// What the cache records about what was read (none for a file that
    /// was not read: too large; or rewritten by a fix).
    meta: Option<cache::Meta>,
    /// Whether the results came from the cache unchanged.
    from_cache: bool,
    /// Fixes and `--online` targets: rare, so boxed.
    extra: Option<Box<Extra>>,
}

impl Processed {
    /// Splits off the index entry (sharing the target's strings, without
    /// the file's text) from the rest, keeping of a clean file only what
    /// the cache records about it: 100k article texts and reports would
    /// not fit in the memory budget.
    fn split(self, t: &Target) -> (Option<IndexEntry>, Rest) {
        // A fixed file's count and diff, or its --online URLs, still count.
        match self.linted.slim(t, self.extra.is_none()) {
            Linted::Clean { index, parsed, .. } => (
                index,
                Rest::Clean {
                    meta: self.meta,
                    parsed,
                    from_cache: self.from_cache,
                },
            ),
            Linted::Full(mut report) => {
                let index = report.index.take();
                let full = Full {
                    report: *report,
                    meta: self.meta,
                    from_cache: self.from_cache,
                    extra: self.extra.map(|e| *e).unwrap_or_default(),
                };
                (index, Rest::Full(Box::new(full)))
            }
        }
    }
}

impl Rest {
    /// What the cache records about the file (none when it was not read,
    /// or could not be): the meta, whether it came from the cache
    /// unchanged, and its per-file results.
    fn record(&self) -> Option<(ContextMeta, cache::LintRecord<'_>)> {
        match self {
            Rest::Clean {
                meta,
                parsed,
                from_cache,
            } => Some((
                ((*meta)?, *from_cache),
                cache::LintRecord {
                    parsed: *parsed,
                    diagnostics: &[],
                    suppressions: &[],
                },
            )),
            Rest::Full(full) => Some((
                (full.meta?, full.from_cache),
                cache::LintRecord {
                    parsed: full.report.parsed,
                    diagnostics: &full.report.diagnostics,
                    suppressions: &full.report.suppressions,
                },
            )),
            Rest::Failed(_) => None,
        }
    }
}

/// A file's cache record, and whether it came from the cache unchanged.
fn record<'a>(
    target: &'a Target,
    entry: &'a Option<IndexEntry>,
    (meta, from_cache): ContextMeta,
    lint: Option<cache::LintRecord<'a>>,
) -> (bool, cache::Record<'a>) {
    let index = entry.as_ref();
    let record = cache::Record {
        target,
        meta,
        index,
        lint,
    };
    (from_cache, record)
}

/// What a run keeps of a reported file besides its index entry.
enum Rest {
    /// No finding, no suppression: only what the cache records.
    Clean {
        meta: Option<cache::Meta>,
        parsed: bool,
        from_cache: bool,
    },
    /// The whole report (its index entry split off).
    Full(Box<Full>),
    /// The file could not be read.
    Failed(String),
}

struct Full {
    report: FileReport,
    meta: Option<cache::Meta>,
    from_cache: bool,
    extra: Extra,
}

#[derive(Default)]
struct Extra {
    fixed: usize,
    diff: Option<String>,
    /// Its cover image URLs, with `--online`.
    online: Option<online::Target>,
}

/// What the cache records about a file, and whether it came from the cache
/// unchanged.
type ContextMeta = (cache::Meta, bool);

/// A context file's index entry and what the cache records about it.
struct Indexed {
    entry: Option<IndexEntry>,
    meta: cache::Meta,
    from_cache: bool,
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
    let Some(fix) = fix else {
        return lint_cached(settings, t, cache);
    };
    // Fixing needs the text and changes the file: it never uses the cache.
    let report = read_and_lint(settings, t)?;
    let unfixed = |report: FileReport, extra: Option<Box<Extra>>| Processed {
        linted: Linted::Full(Box::new(report)),
        meta: None,
        from_cache: false,
        extra,
    };
    let fixable = report.parsed && report.diagnostics.iter().any(|d| d.fix.is_some());
    if !fixable {
        return Ok(unfixed(report, None));
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
        return Ok(unfixed(out.report, None));
    }
    let diff = if fix.write {
        write_atomically(&t.path(), out.text.as_bytes())
            .map_err(|e| format!("{}: cannot write the fixed file: {e}", t.display))?;
        None
    } else {
        unified_diff(&t.display, &original, &out.text)
    };
    let extra = Extra {
        fixed: out.applied,
        diff,
        online: None,
    };
    Ok(unfixed(out.report, Some(Box::new(extra))))
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
    read_and_lint_stamped(settings, t, false).map(|(report, _)| report)
}

/// [`read_and_lint`], also returning (with `stamp`) what the cache records
/// about what was read (nothing for a file too large to read).
fn read_and_lint_stamped(
    settings: &Settings,
    t: &Target,
    stamp: bool,
) -> Result<(FileReport, Option<cache::Meta>), String> {
    let (file, meta) = open_regular(&t.path()).map_err(|e| format!("{}: {e}", t.display))?;
    let oversized = |size| {
        let report = copydesk_lint::lint_oversized(settings, &t.display, &t.config_path, size);
        Ok((report, None))
    };
    if meta.len() > settings.max_file_bytes {
        return oversized(meta.len());
    }
    let bytes = read_limited(file, meta.len(), settings.max_file_bytes)
        .map_err(|e| format!("{}: {e}", t.display))?;
    if bytes.len() as u64 > settings.max_file_bytes {
        return oversized(bytes.len() as u64);
    }
    let record = stamp.then(|| cache::Meta::read_now(settings, &meta, &bytes));
    let report = copydesk_lint::lint_bytes(settings, &t.display, &t.config_path, bytes);
    Ok((report, record))
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
fn read_and_index(settings: &Settings, t: &Target, cache: Option<&Cache>) -> Option<Indexed> {
    if let Some((entry, meta)) = cache.and_then(|c| c.index(t)) {
        return Some(Indexed {
            entry,
            meta,
            from_cache: true,
        });
    }
    let (file, fs_meta) = open_regular(&t.path()).ok()?;
    if fs_meta.len() > settings.max_file_bytes {
        return None;
    }
    let bytes = read_limited(file, fs_meta.len(), settings.max_file_bytes).ok()?;
    if bytes.len() as u64 > settings.max_file_bytes {
        return None;
    }
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

/// Writes a file the run owns (the cache) atomically: a temporary file in
/// the same folder, filled by `write` (streamed: the cache of 100k
/// articles is not built in memory first), renamed over the target.
pub fn write_new_file(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".copydesk-")
        .tempfile_in(dir)?;
    write(tmp.as_file_mut())?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Opens a file for reading, refusing anything but a regular file. It is
/// opened non-blocking (a FIFO would otherwise wait for a writer) and
/// checked on the open handle: one path lookup per file, not two.
fn open_regular(path: &Path) -> std::io::Result<(std::fs::File, std::fs::Metadata)> {
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
fn read_limited(file: std::fs::File, size: u64, limit: u64) -> std::io::Result<Vec<u8>> {
    let expected = usize::try_from(size.min(limit)).unwrap_or(0);
    let mut bytes = Vec::with_capacity(expected + 64);
    file.take(limit + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}
