//! `copydesk check`: discover, read, lint in parallel, run the corpus
//! rules, render, and pick the exit code.

use std::io::{IsTerminal, Read};
use std::path::Path;

use copydesk_lint::corpus::{CorpusIndex, IndexEntry};
use copydesk_lint::{Diagnostic, FileReport, Settings, Severity};
use rayon::prelude::*;

use crate::cli::CheckArgs;
use crate::config_file;
use crate::discover::{Discovered, Discoverer, Target};
use crate::render;

/// Runs the check; returns the exit code.
pub fn run(args: &CheckArgs) -> Result<u8, String> {
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
        (corpus.targets.clone(), std::mem::take(&mut corpus.errors))
    };
    let mut tool_errors = errors;

    let stdin_report = match &stdin_path {
        Some(name) => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|e| format!("cannot read stdin: {e}"))?;
            let t = discoverer_target(&discoverer, name);
            Some(copydesk_lint::lint_bytes(
                &settings,
                &t.display,
                &t.config_path,
                bytes,
            ))
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

    let mut results: Vec<Result<FileReport, String>> = reported_list
        .par_iter()
        .map(|t| read_and_lint(&settings, t))
        .collect();
    // The rest of the corpus is only context for cross-file rules: parse
    // what the index needs, skip validation and the per-file rules.
    let background: Vec<IndexEntry> = unreported
        .par_iter()
        .filter_map(|t| read_and_index(&settings, t))
        .collect();
    if let Some(r) = stdin_report {
        results.push(Ok(r));
    }

    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let mut entries = Vec::new();
    let mut files = 0usize;
    for result in results {
        match result {
            Ok(report) => {
                files += 1;
                diagnostics.extend(report.diagnostics);
                entries.extend(report.index);
            }
            Err(e) => tool_errors.push(e),
        }
    }
    entries.extend(background);
    let index = CorpusIndex::new(entries);
    diagnostics.extend(copydesk_lint::lint_corpus(&settings, &index));
    copydesk_lint::diagnostic::sort(&mut diagnostics);

    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diagnostics.len() - errors;
    let color = std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let width = args.width.unwrap_or(100);
    let output = render::render(args.format, &diagnostics, &render::Options { color, width });
    crate::print(&output)?;
    for e in &tool_errors {
        eprintln!("copydesk: error: {e}");
    }
    if args.format == crate::cli::Format::Full || args.format == crate::cli::Format::Concise {
        eprintln!("{}", summary(errors, warnings, files));
    }

    if !tool_errors.is_empty() {
        return Ok(2);
    }
    let too_many_warnings = args.max_warnings.is_some_and(|max| warnings > max);
    Ok(if errors > 0 || too_many_warnings {
        1
    } else {
        0
    })
}

fn discoverer_target(d: &Discoverer<'_>, name: &str) -> Target {
    let abs = crate::discover::normalize(&d.cwd.join(name));
    Target {
        display: crate::discover::relative(&abs, d.cwd),
        config_path: crate::discover::relative(&abs, d.root),
        path: abs,
    }
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

/// Reads and lints one file; an unreadable file is a tool error.
fn read_and_lint(settings: &Settings, t: &Target) -> Result<FileReport, String> {
    let meta = std::fs::metadata(&t.path).map_err(|e| format!("{}: {e}", t.display))?;
    if meta.is_dir() {
        return Err(format!("{}: is a directory", t.display));
    }
    if meta.len() > settings.max_file_bytes {
        return Ok(copydesk_lint::lint_oversized(
            settings,
            &t.display,
            &t.config_path,
            meta.len(),
        ));
    }
    let bytes = read_limited(&t.path, settings.max_file_bytes)
        .map_err(|e| format!("{}: {e}", t.display))?;
    if bytes.len() as u64 > settings.max_file_bytes {
        return Ok(copydesk_lint::lint_oversized(
            settings,
            &t.display,
            &t.config_path,
            bytes.len() as u64,
        ));
    }
    Ok(copydesk_lint::lint_bytes(
        settings,
        &t.display,
        &t.config_path,
        bytes,
    ))
}

/// The index entry of a file not reported on; a file that cannot be read
/// or is too large is left out (it is not this run's subject).
fn read_and_index(settings: &Settings, t: &Target) -> Option<IndexEntry> {
    let meta = std::fs::metadata(&t.path).ok()?;
    if !meta.is_file() || meta.len() > settings.max_file_bytes {
        return None;
    }
    let bytes = read_limited(&t.path, settings.max_file_bytes).ok()?;
    if bytes.len() as u64 > settings.max_file_bytes {
        return None;
    }
    IndexEntry::from_bytes(settings, &t.display, &t.config_path, bytes)
}

/// Reads at most `limit + 1` bytes, so a file that grows after `stat` is
/// still caught by the size check without reading all of it.
fn read_limited(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}
