//! `copydesk check`: discover, read, lint in parallel, run the corpus
//! rules, render, and pick the exit code.

use std::io::{IsTerminal, Read};
use std::sync::Arc;

use copydesk_lint::corpus::IndexEntry;
use copydesk_lint::fix::{self, FixMode};
use copydesk_lint::{Diagnostic, FileReport, Settings, Severity};
use rayon::prelude::*;

use copydesk_workspace::cache::Cache;
use copydesk_workspace::discover::{Discovered, Discoverer, Target};
use copydesk_workspace::process::{process, read_and_index, unified_diff, FixRequest};
use copydesk_workspace::report::{record, ContextMeta, Full, Rest};

use crate::baseline;
use crate::cli::CheckArgs;
use crate::config_file;
use crate::online;
use crate::render;

pub use copydesk_workspace::process::read_and_lint;
pub use copydesk_workspace::report::Linted;

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
    let settings = config_file::settings(&loaded, now)?;
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
