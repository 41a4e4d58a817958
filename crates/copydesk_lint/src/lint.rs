//! The per-file pipeline and the corpus pass.
//!
//! read → split → parse with spans → schema → rules, once per file (safe to
//! run on many threads), then the cross-file rules over the index.

use std::sync::Arc;

use copydesk_schema::frontmatter::{self, Format, FrontMatter};

use crate::corpus::{CorpusIndex, IndexEntry};
use crate::diagnostic::{self, Diagnostic};
use crate::registry;
use crate::rule::{FileContext, FileProblem};
use crate::settings::Settings;
use crate::source::SourceFile;
use crate::suppress::{self, Suppression};

/// The result of linting one file.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The file.
    pub source: Arc<SourceFile>,
    /// Its findings, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Its entry for cross-file rules, when it has a parsed front matter.
    pub index: Option<IndexEntry>,
    /// Whether the file is text with a front-matter block that parsed
    /// without a YAML error: only such a file may be rewritten by a fix.
    pub parsed: bool,
    /// Path relative to the configuration root.
    pub config_path: String,
    /// The file's suppression comments, applied by [`finalize`].
    pub suppressions: Vec<Suppression>,
}

/// Lints a file's raw bytes. Bytes that are not UTF-8 text yield one
/// `file/*` finding and nothing else.
pub fn lint_bytes(
    settings: &Settings,
    path: &str,
    config_path: &str,
    bytes: Vec<u8>,
) -> FileReport {
    // UTF-16 is full of NUL bytes but is text: say so rather than "binary".
    if let Some(big_endian) = match bytes.get(..2) {
        Some([0xFF, 0xFE]) => Some(false),
        Some([0xFE, 0xFF]) => Some(true),
        _ => None,
    } {
        let units = bytes[2..].chunks(2).map(|pair| match (pair, big_endian) {
            ([a, b], false) => u16::from_le_bytes([*a, *b]),
            ([a, b], true) => u16::from_be_bytes([*a, *b]),
            _ => 0xFFFD,
        });
        // The two BOM bytes stand as two U+FFFD, as invalid bytes do for
        // `file/not-utf8`; the rest is decoded so the snippet is readable.
        let mut text = String::from("\u{fffd}\u{fffd}");
        let span = 0..text.len();
        text.extend(char::decode_utf16(units).map(|c| c.unwrap_or('\u{fffd}')));
        return run(
            settings,
            path,
            config_path,
            text,
            Some(FileProblem::Utf16 { span }),
        );
    }
    // Every file is searched for a NUL: a vectorised search, not a byte loop.
    if let Some(nul) = memchr::memchr(0, &bytes) {
        let mut text = String::from_utf8_lossy(&bytes[..nul]).into_owned();
        // The NUL stands as U+FFFD so that the finding underlines it.
        let start = text.len();
        text.push('\u{fffd}');
        let span = start..text.len();
        return run(
            settings,
            path,
            config_path,
            text,
            Some(FileProblem::Binary { span }),
        );
    }
    match String::from_utf8(bytes) {
        Ok(text) => lint_text(settings, path, config_path, text),
        Err(e) => {
            let err = e.utf8_error();
            let bytes = e.into_bytes();
            let valid = err.valid_up_to();
            let bad = err.error_len().unwrap_or(bytes.len() - valid);
            // Everything up to the bad byte is kept as is, so the reported
            // line:column is where the bad byte really is.
            let mut text = String::from_utf8_lossy(&bytes[..valid]).into_owned();
            let start = text.len();
            text.push('\u{fffd}');
            text.push_str(&String::from_utf8_lossy(&bytes[valid + bad..]));
            let span = start..start + '\u{fffd}'.len_utf8();
            run(
                settings,
                path,
                config_path,
                text,
                Some(FileProblem::NotUtf8 { span }),
            )
        }
    }
}

/// Reports a file too large to read, without reading it.
pub fn lint_oversized(settings: &Settings, path: &str, config_path: &str, size: u64) -> FileReport {
    let problem = FileProblem::TooLarge {
        size: Some(size),
        limit: settings.max_file_bytes,
    };
    run(settings, path, config_path, String::new(), Some(problem))
}

/// Reports a stream (the standard input) larger than the limit, read only
/// to one byte past it: its size is not known.
pub fn lint_oversized_stream(settings: &Settings, path: &str, config_path: &str) -> FileReport {
    let problem = FileProblem::TooLarge {
        size: None,
        limit: settings.max_file_bytes,
    };
    run(settings, path, config_path, String::new(), Some(problem))
}

/// Lints a file's text.
pub fn lint_text(settings: &Settings, path: &str, config_path: &str, text: String) -> FileReport {
    run(settings, path, config_path, text, None)
}

fn run(
    settings: &Settings,
    path: &str,
    config_path: &str,
    text: String,
    file_problem: Option<FileProblem>,
) -> FileReport {
    let source = Arc::new(SourceFile::new(path, text));
    let mut ctx = FileContext {
        source: &source,
        config_path,
        settings,
        file_problem,
        split: None,
        parse: None,
        schema_issues: Vec::new(),
        memo: crate::rule::Memo::default(),
    };
    if ctx.file_problem.is_none() {
        let split = frontmatter::split(&source.text);
        if let Ok(fm) = &split {
            let outcome = frontmatter::parse(&source.text, fm, &settings.limits);
            if let Some(root) = outcome.root.as_ref().filter(|r| r.as_mapping().is_some()) {
                ctx.schema_issues = settings.contract().validate(root, fm.open_fence.clone());
            }
            ctx.parse = Some(outcome);
        }
        ctx.split = Some(split);
    }
    let mut diagnostics = Vec::new();
    let mut findings = Vec::new();
    let levels = settings.rule_levels(config_path);
    for (rule, level) in registry::all().iter().zip(levels.iter()) {
        let meta = rule.meta();
        let Some(severity) = *level else {
            continue;
        };
        rule.check(&ctx, &mut findings);
        diagnostics.extend(
            findings
                .drain(..)
                .map(|f| Diagnostic::from_finding(meta.code, severity, &source, f)),
        );
    }
    if let Some(fm) = ctx.front_matter().filter(|fm| fm.format != Format::Yaml) {
        drop_unparsable_fixes(&source.text, fm, settings, &mut diagnostics);
    }
    diagnostic::sort(&mut diagnostics);
    let index = IndexEntry::from_context(&ctx);
    let parsed = ctx.file_problem.is_none()
        && ctx.front_matter().is_some()
        && ctx.parse.as_ref().is_some_and(|p| {
            !p.issues
                .iter()
                .any(|i| !matches!(i, copydesk_schema::YamlIssue::DuplicateKey { .. }))
        });
    // JSON has no comments, so no suppression comments either.
    let suppressions = match (ctx.front_matter(), &ctx.parse) {
        (Some(fm), Some(p)) if fm.format != Format::Json => {
            suppress::parse(&source.text, fm, p.root.as_ref())
        }
        _ => Vec::new(),
    };
    FileReport {
        source,
        diagnostics,
        index,
        parsed,
        config_path: config_path.to_owned(),
        suppressions,
    }
}

/// Drops the fixes whose result would not parse as the block's format.
/// Rules write their edits with YAML in mind (quoting, renaming a key,
/// removing a list item's line); most also suit TOML and JSON, and the
/// few that do not (a YAML single-quoted string in JSON) must never be
/// offered, to `--fix` or to an editor.
fn drop_unparsable_fixes(
    text: &str,
    fm: &FrontMatter,
    settings: &Settings,
    diagnostics: &mut [Diagnostic],
) {
    for d in diagnostics.iter_mut() {
        let Some(fix) = &d.fix else { continue };
        let mut fixed = text.to_owned();
        let mut ok = true;
        // Edits are sorted and disjoint: apply them from the last.
        for edit in fix.edits.iter().rev() {
            if fixed.get(edit.range.clone()).is_none() {
                ok = false;
                break;
            }
            fixed.replace_range(edit.range.clone(), &edit.replacement);
        }
        ok = ok
            && frontmatter::split(&fixed).is_ok_and(|new_fm| {
                new_fm.format == fm.format
                    && frontmatter::parse(&fixed, &new_fm, &settings.limits)
                        .issues
                        .is_empty()
            });
        if !ok {
            d.fix = None;
        }
    }
}

/// Runs the cross-file rules over `index`, returning diagnostics for the
/// entries marked `reported`, sorted.
pub fn lint_corpus(settings: &Settings, index: &CorpusIndex) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    // The rules run side by side (each also uses all cores where it can):
    // one after another they were a stretch on one thread at the end of
    // every run. Their findings are joined in registry order, as before.
    let per_rule: Vec<Vec<Diagnostic>> = registry::all()
        .par_iter()
        .filter(|rule| settings.is_active(rule.meta().code))
        .map(|rule| {
            let meta = rule.meta();
            let mut found = Vec::new();
            rule.check_corpus(index, settings, &mut found);
            // Rules build only what is shown, at its level
            // (`corpus::level`); this keeps a rule that forgot to ask from
            // reporting context files.
            found.retain(|d| {
                index.in_window(&d.source.path)
                    && index.entry(&d.source.path).is_some_and(|e| {
                        e.reported && settings.level(meta, &e.config_path).is_some()
                    })
            });
            found
        })
        .collect();
    let mut out: Vec<Diagnostic> = per_rule.into_iter().flatten().collect();
    diagnostic::sort(&mut out);
    out
}

/// Applies one file's suppressions to all of its diagnostics (its own and
/// cross-file ones) and adds `suppression/unused` findings for those that
/// silenced nothing. `diagnostics` must all belong to `report`'s file.
pub fn finalize(settings: &Settings, report: &FileReport, diagnostics: &mut Vec<Diagnostic>) {
    if report.suppressions.is_empty() {
        return;
    }
    let unused = suppress::apply(&report.suppressions, diagnostics);
    let meta = &crate::rules::suppression::unused::UnusedSuppression::META;
    if let Some(severity) = settings.level(meta, &report.config_path) {
        diagnostics.extend(
            unused
                .into_iter()
                .map(|f| Diagnostic::from_finding(meta.code, severity, &report.source, f)),
        );
    }
    diagnostic::sort(diagnostics);
}

/// Completes a run: builds the corpus index from the linted `reports`
/// (their findings are reported) and `context` entries (files read only so
/// that cross-file rules see the whole corpus), runs the cross-file rules,
/// applies each file's suppressions, and returns every diagnostic sorted.
pub fn finish(
    settings: &Settings,
    reports: Vec<FileReport>,
    context: Vec<IndexEntry>,
) -> Vec<Diagnostic> {
    finish_with_loader(settings, reports, context, None)
}

/// [`finish`], reading back with `loader` the text of files whose text was
/// shed (a large run drops clean files' texts to save memory) when a
/// cross-file finding names them.
pub fn finish_with_loader(
    settings: &Settings,
    reports: Vec<FileReport>,
    context: Vec<IndexEntry>,
    loader: Option<Box<crate::corpus::SourceLoader>>,
) -> Vec<Diagnostic> {
    finish_with_extra(settings, reports, context, loader, Vec::new())
}

/// [`finish_with_loader`], adding `extra` diagnostics found outside the
/// rules (the CLI's `--online` pass) to their files before suppressions
/// apply, so they are silenced, and count as used, like any other.
pub fn finish_with_extra(
    settings: &Settings,
    reports: Vec<FileReport>,
    context: Vec<IndexEntry>,
    loader: Option<Box<crate::corpus::SourceLoader>>,
    extra: Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let input = Finish {
        reports,
        context,
        loader,
        extra,
        detached: Vec::new(),
    };
    finish_streaming(settings, input, &mut |window| out.extend(window));
    out
}

/// The most cross-file findings one pass of the corpus rules builds: past
/// that, a run is finished a window of files at a time. One window is
/// written while the next is built, so two are alive: half of what one
/// window of 4,096 held before, as fast (20k and 100k findings, measured).
pub const WINDOW_FINDINGS: usize = 2048;

/// What [`finish_streaming`] completes.
pub struct Finish {
    /// The linted files with something to report (findings or
    /// suppressions); their findings are reported.
    pub reports: Vec<FileReport>,
    /// The index entries of every other file. Those marked `reported` are
    /// files linted clean (no finding, no suppression) whose reports were
    /// dropped to save memory: their cross-file findings are reported too.
    pub context: Vec<IndexEntry>,
    /// Reads back the text of files whose text was shed, when a
    /// cross-file finding shows them.
    pub loader: Option<Box<crate::corpus::SourceLoader>>,
    /// Findings made outside the rules (`--online`, `history/*`), added to
    /// their files before suppressions apply.
    pub extra: Vec<Diagnostic>,
    /// Findings in files that are not part of the run (a deleted article's
    /// `history/article-removed`), reported as they are.
    pub detached: Vec<Diagnostic>,
}

/// Completes a run: builds the corpus index, runs the cross-file rules,
/// applies each file's suppressions, and hands `emit` every diagnostic,
/// sorted, in one or more calls (each file's in one call, files in path
/// order). Diagnostics of files neither among `reports` nor reported in
/// `context` are dropped.
///
/// Memory does not grow with the findings: a first pass counts the
/// findings the rules would build; past [`WINDOW_FINDINGS`], the rules run
/// again for consecutive windows of files, each building only its files'
/// findings, which are handed over and dropped before the next window.
pub fn finish_streaming(settings: &Settings, input: Finish, emit: &mut dyn FnMut(Vec<Diagnostic>)) {
    finish_in_windows(settings, input, WINDOW_FINDINGS, emit);
}

/// [`finish_streaming`] with windows of about `per_window` findings.
fn finish_in_windows(
    settings: &Settings,
    input: Finish,
    per_window: usize,
    emit: &mut dyn FnMut(Vec<Diagnostic>),
) {
    let Finish {
        mut reports,
        context,
        loader,
        extra,
        detached,
    } = input;
    // The context is most of a large corpus: extended in place, not copied.
    let mut entries = context;
    entries.extend(reports.iter_mut().filter_map(|r| r.index.take()));
    let mut index = CorpusIndex::new(entries);
    if let Some(loader) = loader {
        index = index.with_loader(loader);
    }
    reports.sort_by(|a, b| a.source.path.cmp(&b.source.path));
    emit_windows(
        settings, &mut index, reports, extra, detached, per_window, emit,
    );
    drop_in_background(index);
}

/// Drops `value` on the thread pool: freeing a corpus (100k entries, each
/// a few allocations) took ~7% of a warm run at 100k on the calling
/// thread, after the last finding was handed over. A process that exits
/// first leaves it to the operating system; a long-lived caller still
/// gets the memory back.
pub fn drop_in_background<T: Send + 'static>(value: T) {
    rayon::spawn(move || drop(value));
}

/// The passes of [`finish_in_windows`] over a built index.
fn emit_windows(
    settings: &Settings,
    index: &mut CorpusIndex,
    reports: Vec<FileReport>,
    mut extra: Vec<Diagnostic>,
    mut detached: Vec<Diagnostic>,
    per_window: usize,
    emit: &mut dyn FnMut(Vec<Diagnostic>),
) {
    diagnostic::sort(&mut extra);
    diagnostic::sort(&mut detached);
    let mut pending = Pending {
        reports: reports.into_iter().peekable(),
        extra: extra.into_iter().peekable(),
        detached: detached.into_iter().peekable(),
    };
    // A few reported files (pre-commit's, an editor's) cannot fill a
    // window: one pass. Otherwise a first pass builds nothing and counts
    // what each file would get (the rules' groupings are kept for the next
    // passes, see `CorpusIndex::memo`).
    let reported = index.entries.iter().filter(|e| e.reported).count();
    let few = reported.saturating_mul(crate::rules::corpus::RULES.len()) <= per_window;
    if !few {
        index.start_counting_pass();
        drop(lint_corpus(settings, index));
    }
    if few || index.wanted() <= per_window {
        index.start_window(None);
        let cross_file = lint_corpus(settings, index);
        emit(pending.window(settings, index, cross_file, None));
        return;
    }
    // Each window is built while the last one is handed over (written, in
    // the CLI, which needs its own thread's stdout lock): the rules run on
    // all cores, and the output of thousands of findings overlaps them.
    let starts = index.windows(per_window);
    let mut ready: Option<Vec<Diagnostic>> = None;
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(index.entries.len());
        let until = index.entries.get(end).map(|e| Arc::clone(&e.path));
        let built = std::thread::scope(|s| {
            let build = s.spawn(|| {
                index.start_window(Some(start..end));
                let cross_file = lint_corpus(settings, index);
                pending.window(settings, index, cross_file, until.as_deref())
            });
            if let Some(last) = ready.take() {
                emit(last);
            }
            build.join()
        });
        ready = Some(built.unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
    }
    if let Some(last) = ready {
        emit(last);
    }
}

/// The reports and findings not yet handed over, each sorted by path.
struct Pending {
    reports: std::iter::Peekable<std::vec::IntoIter<FileReport>>,
    extra: std::iter::Peekable<std::vec::IntoIter<Diagnostic>>,
    detached: std::iter::Peekable<std::vec::IntoIter<Diagnostic>>,
}

impl Pending {
    /// Every diagnostic of the files before `until` (all, with `None`):
    /// their own findings, the window's cross-file ones and the extra ones,
    /// with suppressions applied; sorted.
    fn window(
        &mut self,
        settings: &Settings,
        index: &CorpusIndex,
        cross_file: Vec<Diagnostic>,
        until: Option<&str>,
    ) -> Vec<Diagnostic> {
        let before = |path: &str| until.is_none_or(|u| path < u);
        let mut by_file: std::collections::HashMap<String, Vec<Diagnostic>> =
            std::collections::HashMap::new();
        let extra = std::iter::from_fn(|| self.extra.next_if(|d| before(&d.source.path)));
        for d in cross_file.into_iter().chain(extra) {
            by_file.entry(d.source.path.clone()).or_default().push(d);
        }
        let mut out = Vec::new();
        while let Some(mut report) = self.reports.next_if(|r| before(&r.source.path)) {
            let mut file_diagnostics = std::mem::take(&mut report.diagnostics);
            file_diagnostics.extend(by_file.remove(&report.source.path).unwrap_or_default());
            finalize(settings, &report, &mut file_diagnostics);
            out.extend(file_diagnostics);
        }
        // The rest belong to clean files: without suppressions, nothing to apply.
        for (path, diagnostics) in by_file {
            if index.entry(&path).is_some_and(|e| e.reported) {
                out.extend(diagnostics);
            }
        }
        out.extend(std::iter::from_fn(|| {
            self.detached.next_if(|d| before(&d.source.path))
        }));
        diagnostic::sort(&mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Files sharing a title (one with a suppression), and an extra and a
    /// detached finding: the run as one window and as many.
    fn run(per_window: usize) -> Vec<Vec<Diagnostic>> {
        let settings = Settings::with_defaults(jiff::Timestamp::UNIX_EPOCH);
        let mut reports = Vec::new();
        let mut context = Vec::new();
        let mut texts = std::collections::HashMap::new();
        for i in 0..12 {
            let path = format!("{i:02}.md");
            let ignore = if i == 5 {
                "  # copydesk: ignore[corpus/duplicate-title]"
            } else {
                ""
            };
            let text = format!("---\ntitle: Daily update{ignore}\nlang: xx\n---\nBody.\n");
            texts.insert(path.clone(), text.clone());
            let mut report = crate::lint_text(&settings, &path, &path, text);
            if report.diagnostics.is_empty() && report.suppressions.is_empty() {
                // A clean file leaves only its entry (as `copydesk check` keeps it).
                let mut entry = report.index.take().expect("an entry");
                entry.shed_text();
                context.push(entry);
            } else {
                reports.push(report);
            }
        }
        let deleted = Arc::new(SourceFile::new("03b.md", ""));
        let detached = Diagnostic::from_finding(
            "history/article-removed",
            crate::Severity::Error,
            &deleted,
            crate::Finding::new(0..0, "removed"),
        );
        let loader: Box<crate::corpus::SourceLoader> = Box::new(move |path: &str| {
            Some(Arc::new(SourceFile::read_back(
                path,
                texts.get(path)?.clone(),
            )))
        });
        let input = Finish {
            reports,
            context,
            loader: Some(loader),
            extra: Vec::new(),
            detached: vec![detached],
        };
        let mut calls = Vec::new();
        finish_in_windows(&settings, input, per_window, &mut |w| calls.push(w));
        calls
    }

    fn shown(calls: &[Vec<Diagnostic>]) -> Vec<(String, &'static str, String)> {
        calls
            .iter()
            .flatten()
            .map(|d| (d.source.path.clone(), d.code, d.message.clone()))
            .collect()
    }

    /// Windows of 3 findings hand over the same findings, in the same
    /// order, as one window: suppressions applied, the detached finding in
    /// its place, each file's findings in one call.
    #[test]
    fn a_run_finished_in_windows_reports_what_one_window_does() {
        let whole = run(usize::MAX);
        assert_eq!(whole.len(), 1);
        let windows = run(3);
        assert!(windows.len() >= 4, "{} windows", windows.len());
        assert_eq!(shown(&windows), shown(&whole));
        let titles = shown(&whole)
            .iter()
            .filter(|(_, code, _)| *code == "corpus/duplicate-title")
            .count();
        // 12 files, one suppressed.
        assert_eq!(titles, 11);
        assert!(shown(&whole).iter().any(|(p, _, _)| p == "03b.md"));
        let mut seen = std::collections::HashSet::new();
        for call in &windows {
            let paths: std::collections::HashSet<&str> =
                call.iter().map(|d| d.source.path.as_str()).collect();
            for p in paths {
                assert!(seen.insert(p.to_owned()), "{p} split between windows");
            }
        }
    }
}
