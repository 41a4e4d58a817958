//! `copydesk check`, as stages that read top to bottom (see [`run`]):
//! discover, load the cache, lint the named files and index the rest, run
//! the corpus rules and suppressions, apply the baseline, write out the
//! fixes, render, and pick the exit code.
//!
//! What a run keeps of each file, and the rule that a clean report keeps
//! nothing, is in `copydesk_workspace::report`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use copydesk_lint::corpus::IndexEntry;
use copydesk_lint::fix::{self, FixMode};
use copydesk_lint::lint::Finish;
use copydesk_lint::{Diagnostic, FileReport, Settings, Severity};
use copydesk_workspace::cache::Cache;
use copydesk_workspace::config::Loaded;
use copydesk_workspace::discover::{Discovered, Discoverer, Target};
use copydesk_workspace::fs;
use copydesk_workspace::git_index::GitStamps;
use copydesk_workspace::process::{process, read_and_index, unified_diff, FixRequest};
use copydesk_workspace::report::{record, ContextMeta, Full, Rest};
use copydesk_workspace::write_guard::WriteGuard;
use rayon::prelude::*;

use crate::baseline;
use crate::cli::{CheckArgs, Format};
use crate::color;
use crate::config_file;
use crate::history::Scope;
use crate::online;
use crate::render;

pub use copydesk_workspace::process::read_and_lint;
pub use copydesk_workspace::report::Linted;

/// Runs the check; returns the exit code.
pub fn run(args: &CheckArgs) -> Result<u8, String> {
    let mut check = Check::new(args)?;
    let found = check.discover();
    check.refuse_outputs_that_are_inputs(&found)?;
    let cache = check.load_cache();
    let stdin = check.lint_stdin()?;
    let files = found.files(stdin.report.as_ref());
    let linted = check.lint_and_index(&files, cache.as_ref());
    check.save_cache(cache, &files, &linted);
    let mut outcome = check.collect(&files, linted, stdin);
    let (history, deleted) = check.history(&found);
    drop(files);
    copydesk_lint::lint::drop_in_background(found);
    let input = check.finish_input(&mut outcome, history, deleted);
    if let Some(path) = &args.write_baseline {
        return check.write_baseline(path, input);
    }
    check.write_fixes(&outcome.fixes)?;
    let tally = check.finish_and_write(input, &outcome.checked, &outcome.fixes)?;
    check.summarize(&tally, &outcome);
    Ok(check.exit_code(&tally, &outcome.fixes))
}

/// A run's options and settings, and the tool errors met so far.
struct Check<'a> {
    args: &'a CheckArgs,
    /// The working directory: display paths are relative to it.
    cwd: PathBuf,
    loaded: Loaded,
    settings: Settings,
    /// The standard input's display name, when it is linted.
    stdin_path: Option<String>,
    /// Whether files were named (else the content roots are linted).
    explicit: bool,
    fix: Option<FixRequest>,
    /// Where `--fix` may write (none with `--diff` or without a fix).
    guard: Option<WriteGuard>,
    /// Problems that are copydesk's, not the articles' (exit code 2).
    tool_errors: Vec<String>,
    /// Fixes `--fix` did not write, and why (exit code 2): the files were
    /// checked and are reported as they were read.
    not_written: Vec<String>,
    /// What the user should know but is no failure (said on stderr, once
    /// each): nothing found, a refused cache, URLs `--online` did not check.
    warnings: Vec<String>,
    /// `--online`: how many cover image URLs were not checked, of how many.
    not_checked_online: (usize, usize),
    /// `--changed-since` / `--staged`: the changed files and git.
    scope: Option<Scope>,
}

/// What discovery found: the files named and the whole corpus under the
/// content roots (the named files' context for cross-file rules).
struct Found {
    reported: Discovered,
    corpus: Discovered,
}

/// The files of a run, by role.
struct Files<'f> {
    /// Linted and reported (the standard input's file aside).
    reported: Vec<&'f Target>,
    /// Only indexed: context for the cross-file rules.
    context: Vec<&'f Target>,
}

/// The standard input's lint, and its fix.
#[derive(Default)]
struct Stdin {
    report: Option<FileReport>,
    fixes: Fixes,
}

/// What the lint stage keeps: each file's index entry apart from the rest
/// of its results, so the entries become the corpus index uncopied.
struct LintedFiles {
    /// Index entries of the reported files.
    entries: Vec<Option<IndexEntry>>,
    /// The rest of each reported file's results.
    rests: Vec<Rest>,
    /// Index entries of the context files.
    context_entries: Vec<Option<IndexEntry>>,
    /// What the cache records about each context file.
    context_meta: Vec<Option<ContextMeta>>,
}

/// The fixes of a run.
#[derive(Default)]
struct Fixes {
    /// How many were applied (or would be, with `--diff`).
    applied: usize,
    /// With `--diff`: one per changed file.
    diffs: Vec<String>,
    /// The fixed standard input, written to stdout.
    text: Option<String>,
}

/// What the corpus pass and the output need of the lint stage.
struct Outcome {
    /// Reports of the files with something to report.
    reports: Vec<FileReport>,
    /// The index entries of every other file.
    context: Vec<IndexEntry>,
    /// Every reported file's display path.
    checked: Vec<Arc<str>>,
    online: Vec<online::Target>,
    fixes: Fixes,
}

impl Found {
    /// The reported and context files, without the standard input's.
    fn files(&self, stdin: Option<&FileReport>) -> Files<'_> {
        let not_stdin = |t: &&Target| stdin.is_none_or(|s| *s.source.path != *t.display);
        let reported = self.reported.targets.iter().filter(not_stdin).collect();
        let context = self
            .corpus
            .without(&self.reported)
            .filter(not_stdin)
            .collect();
        Files { reported, context }
    }
}

impl<'a> Check<'a> {
    /// Reads the options and loads the configuration.
    fn new(args: &'a CheckArgs) -> Result<Self, String> {
        if args.online && !online::AVAILABLE {
            return Err(online::FEATURE_OFF.to_owned());
        }
        let cwd = std::env::current_dir()
            .map_err(|e| format!("cannot read the working directory: {e}"))?;
        let now = match &args.now {
            Some(s) => s
                .parse::<jiff::Timestamp>()
                .map_err(|e| format!("--now {s:?} is not an RFC 3339 timestamp: {e}"))?,
            None => jiff::Timestamp::now(),
        };
        let loaded = config_file::load(args.config.as_deref(), &cwd)?;
        let settings = config_file::settings(&loaded, now)?
            .with_selection(&copydesk_lint::RuleSelection {
                select: args.select.clone(),
                extend_select: args.extend_select.clone(),
                ignore: args.ignore.clone(),
            })
            .map_err(|e| e.to_string())?;
        let stdin_path = args
            .stdin_filename
            .clone()
            .or_else(|| args.paths.iter().any(|p| p == "-").then(|| "-".to_owned()));
        let scope = Scope::open(args, &cwd)?;
        let explicit = !args.paths.is_empty() || stdin_path.is_some() || scope.is_some();
        let fix = (args.fix || args.diff).then_some(FixRequest {
            mode: if args.unsafe_fixes {
                FixMode::Unsafe
            } else {
                FixMode::Safe
            },
            write: !args.diff,
        });
        let guard = fix.is_some_and(|f| f.write).then(|| {
            let roots = &settings.config.content_roots;
            WriteGuard::new(&cwd, &loaded.root, roots)
        });
        Ok(Check {
            args,
            cwd,
            loaded,
            settings,
            stdin_path,
            explicit,
            fix,
            guard,
            tool_errors: Vec::new(),
            not_written: Vec::new(),
            warnings: Vec::new(),
            not_checked_online: (0, 0),
            scope,
        })
    }

    /// Finds files relative to the working directory.
    fn discoverer(&self) -> Discoverer<'_> {
        // `cwd` is this process's working directory: files are read by
        // their path relative to it.
        Discoverer::new(&self.cwd, &self.loaded.root, &self.settings)
            .reading_relative_to_process_cwd()
    }

    /// Stage 1: the files named and the corpus under the content roots.
    fn discover(&mut self) -> Found {
        let mut scope = self.scope.take();
        let discoverer = self.discoverer();
        let mut named = Discovered::default();
        for arg in self.args.paths.iter().filter(|p| *p != "-") {
            discoverer.add_arg(arg, &mut named);
        }
        if let Some(scope) = &mut scope {
            // Like `--force-exclude`: only what the configuration lints.
            named = scope.targets(&discoverer, &self.settings, |t| {
                self.in_corpus(&t.config_path)
            });
        }
        if self.args.force_exclude {
            named.targets.retain(|t| self.in_corpus(&t.config_path));
        }
        // Cross-file rules see the whole corpus under the content roots even
        // when only some files are named (pre-commit passes just the staged
        // ones).
        let mut corpus = Discovered::default();
        for root in &self.settings.config.content_roots {
            let dir = self.loaded.root.join(root);
            if dir.is_dir() {
                discoverer.walk(&dir, &mut corpus);
            } else if !self.explicit {
                corpus
                    .errors
                    .push(format!("content root {}: no such directory", dir.display()));
            }
        }
        drop(discoverer);
        self.scope = scope;
        self.warnings.append(&mut named.warnings);
        self.warnings.append(&mut corpus.warnings);
        self.warnings.sort();
        self.warnings.dedup();
        let (reported, errors) = if self.explicit {
            let errors = std::mem::take(&mut named.errors);
            (named, errors)
        } else {
            let errors = std::mem::take(&mut corpus.errors);
            (std::mem::take(&mut corpus), errors)
        };
        self.tool_errors.extend(errors);
        self.warn_when_nothing_found(&reported);
        Found { reported, corpus }
    }

    /// A run that checks nothing says so: a typo in a folder name or a
    /// wrong `extensions` must not pass as "All clear".
    fn warn_when_nothing_found(&mut self, reported: &Discovered) {
        let quiet = !reported.targets.is_empty()
            || !self.tool_errors.is_empty()
            || self.stdin_path.is_some()
            // pre-commit naming only files the configuration leaves out.
            || self.args.force_exclude
            // No article changed: nothing to say.
            || self.scope.is_some();
        if quiet {
            return;
        }
        let place = if self.explicit {
            "the given paths"
        } else {
            "the content roots"
        };
        self.warnings.push(format!(
            "no article (a file ending in one of `extensions`) under {place}"
        ));
    }

    /// Whether a file (its path relative to the configuration root) is
    /// one the configuration lints: selected by `include`/`exclude` and
    /// under a content root.
    fn in_corpus(&self, config_path: &str) -> bool {
        let path = config_path.trim_start_matches("./");
        self.settings.is_selected(path)
            && self.settings.config.content_roots.iter().any(|root| {
                let root = root.trim_start_matches("./").trim_end_matches('/');
                root.is_empty()
                    || root == "."
                    || path
                        .strip_prefix(root)
                        .is_some_and(|rest| rest.starts_with('/'))
            })
    }

    /// Refuses (before anything is linted or fixed) an `--output-file` or
    /// `--write-baseline` that is the same file as an input: an article
    /// found, the configuration, or (for `--output-file`) the baseline read.
    fn refuse_outputs_that_are_inputs(&self, found: &Found) -> Result<(), String> {
        let outputs = [
            ("--output-file", self.args.output_file.as_deref()),
            ("--write-baseline", self.args.write_baseline.as_deref()),
        ];
        for (flag, path) in outputs {
            // A file that does not exist yet overwrites nothing.
            let Some((path, id)) = path.and_then(|p| Some((p, fs::file_id(p)?))) else {
                continue;
            };
            let refuse = |what: String| {
                Err(format!(
                    "{flag} {} is {what}: refusing to overwrite it",
                    path.display()
                ))
            };
            if let Some(config) = &self.loaded.path {
                if fs::file_id(config).as_ref() == Some(&id) {
                    return refuse("the configuration file".to_owned());
                }
            }
            let baseline = self
                .args
                .baseline
                .as_deref()
                .filter(|_| flag == "--output-file");
            if baseline.is_some_and(|b| fs::file_id(b).as_ref() == Some(&id)) {
                return refuse("the baseline being read".to_owned());
            }
            let inputs = found.reported.targets.par_iter();
            let input = inputs
                .chain(found.corpus.targets.par_iter())
                .find_any(|t| fs::file_id(&t.path()).as_ref() == Some(&id));
            if let Some(t) = input {
                return refuse(format!("the article {}", t.display));
            }
        }
        Ok(())
    }

    /// Stage 2: the result cache, unless `--no-cache`; a refused one (a
    /// symbolic link) is a warning and no cache.
    fn load_cache(&mut self) -> Option<Cache> {
        if self.args.no_cache {
            return None;
        }
        let mut cache = Cache::load(&self.loaded.root, &self.settings);
        if let Some(stamps) = commit_hook_index(&self.cwd, &self.loaded.root) {
            cache = cache.witnessed_by(stamps);
        }
        match cache.refused() {
            Some(why) => {
                self.warnings.push(why.to_owned());
                None
            }
            None => Some(cache),
        }
    }

    /// Stage 3a: lints (and fixes) the standard input, when it is named.
    fn lint_stdin(&self) -> Result<Stdin, String> {
        let Some(name) = &self.stdin_path else {
            return Ok(Stdin::default());
        };
        let t = self.discoverer().target(Path::new(name));
        let settings = &self.settings;
        let limit = settings.max_file_bytes;
        let Some(bytes) = copydesk_workspace::fs::read_stream_bounded(std::io::stdin(), limit)
            .map_err(|e| format!("cannot read stdin: {e}"))?
        else {
            // Like a file on disk: too large is a finding, not read further.
            return Ok(Stdin {
                report: Some(copydesk_lint::lint_oversized_stream(
                    settings,
                    &t.display,
                    &t.config_path,
                )),
                fixes: Fixes::default(),
            });
        };
        let mut fixes = Fixes::default();
        let mut report = match (self.fix, String::from_utf8(bytes)) {
            (Some(fix), Ok(text)) => {
                let report = copydesk_lint::lint_text(settings, &t.display, &t.config_path, text);
                let original = Arc::clone(&report.source.text);
                let out = fix::fix_report(settings, report, fix.mode);
                fixes.applied += out.applied;
                if fix.write {
                    // The findings are the fixed buffer's: it is what the
                    // editor shows next.
                    fixes.text = Some(out.text);
                    out.report
                } else {
                    fixes
                        .diffs
                        .extend(unified_diff(&t.display, &original, &out.text));
                    // A diff changes nothing: the findings are the input's.
                    let text = original.to_string();
                    copydesk_lint::lint_text(settings, &t.display, &t.config_path, text)
                }
            }
            (_, Ok(text)) => copydesk_lint::lint_text(settings, &t.display, &t.config_path, text),
            (_, Err(e)) => {
                copydesk_lint::lint_bytes(settings, &t.display, &t.config_path, e.into_bytes())
            }
        };
        if self.args.stdin_filename.is_none() {
            // An unnamed buffer (`-`) is most often a saved article piped
            // through an editor: compared with the corpus it would be a
            // duplicate of the very file it came from. Without a name it
            // takes no part in cross-file checks.
            report.index = None;
        }
        Ok(Stdin {
            report: Some(report),
            fixes,
        })
    }

    /// Stage 3b: lints (and fixes) the reported files and reads only the
    /// index entries of the rest, on all cores.
    fn lint_and_index(&self, files: &Files<'_>, cache: Option<&Cache>) -> LintedFiles {
        let (reported, context) = (&files.reported, &files.context);
        // The larger of the two entry vectors (reported files, context
        // files) gets room for all of them and the standard input's, so
        // that no 100k-entry vector is ever reallocated.
        let all = reported.len() + context.len() + 1;
        let room = |n: usize, other: usize| if n >= other { all } else { n };
        let mut entries = Vec::with_capacity(room(reported.len(), context.len()));
        let mut rests = Vec::with_capacity(reported.len());
        reported
            .par_iter()
            .map(|t| self.lint_one(t, cache))
            .unzip_into_vecs(&mut entries, &mut rests);
        // The rest of the corpus is only context for cross-file rules: parse
        // what the index needs, skip validation and the per-file rules.
        let mut context_entries = Vec::with_capacity(room(context.len(), reported.len() + 1));
        let mut context_meta = Vec::with_capacity(context.len());
        context
            .par_iter()
            .map(|t| match read_and_index(&self.settings, t, cache) {
                Some(i) => (i.entry, Some((i.meta, i.from_cache))),
                None => (None, None),
            })
            .unzip_into_vecs(&mut context_entries, &mut context_meta);
        LintedFiles {
            entries,
            rests,
            context_entries,
            context_meta,
        }
    }

    /// One reported file: linted (or from the cache), fixed when asked,
    /// its `--online` URLs collected; split for the memory budget.
    fn lint_one(&self, t: &Target, cache: Option<&Cache>) -> (Option<IndexEntry>, Rest) {
        // --online needs every reported file's text (its URLs), which a
        // cached clean report does not carry.
        let cache = if self.args.online { None } else { cache };
        let staged = self
            .scope
            .as_ref()
            .and_then(|s| s.staged_texts.get(&t.display));
        if let Some(bytes) = staged {
            // `--staged` lints what would be committed, not the work tree.
            let report = copydesk_lint::lint_bytes(
                &self.settings,
                &t.display,
                &t.config_path,
                bytes.clone(),
            );
            return copydesk_workspace::report::Processed {
                linted: Linted::Full(Box::new(report)),
                meta: None,
                from_cache: false,
                extra: None,
            }
            .split(t);
        }
        let guard = self.guard.as_ref();
        let mut p = match process(&self.settings, t, self.fix, guard, cache) {
            Ok(p) => p,
            Err(e) => return (None, Rest::Failed(e)),
        };
        if self.args.online {
            if let Linted::Full(report) = &p.linted {
                let online = online_target(&self.settings, report);
                if online.is_some() {
                    p.extra.get_or_insert_with(Default::default).online = online;
                }
            }
        }
        p.split(t)
    }

    /// Stage 4: records what this run learned in the cache.
    fn save_cache(&mut self, cache: Option<Cache>, files: &Files<'_>, linted: &LintedFiles) {
        let Some(cache) = cache else {
            return;
        };
        let reported = linted
            .rests
            .iter()
            .zip(&files.reported)
            .zip(&linted.entries)
            .filter_map(|((rest, t), entry)| {
                let (meta, lint) = rest.record()?;
                Some(record(t, entry, meta, Some(lint)))
            });
        let context = linted
            .context_meta
            .iter()
            .zip(&files.context)
            .zip(&linted.context_entries)
            .filter_map(|((m, t), entry)| Some(record(t, entry, (*m)?, None)));
        let records = reported.chain(context);
        let fresh = records.clone().all(|(from_cache, _)| from_cache);
        // A run over the configured roots (no paths named) saw the whole
        // corpus: deleted articles may leave the cache.
        let refused = cache.save(!self.explicit, fresh, records.map(|(_, r)| r));
        self.warnings.extend(refused);
    }

    /// Stage 5: gathers the reports to finish, the corpus index, the fixes
    /// and the tool errors of the lint stage.
    fn collect(&mut self, files: &Files<'_>, linted: LintedFiles, stdin: Stdin) -> Outcome {
        let LintedFiles {
            entries,
            rests,
            context_entries,
            context_meta,
        } = linted;
        drop(context_meta);
        let mut out = Outcome {
            reports: Vec::new(),
            context: Vec::new(),
            checked: Vec::with_capacity(rests.len() + 1),
            online: Vec::new(),
            fixes: stdin.fixes,
        };
        for (rest, t) in rests.into_iter().zip(&files.reported) {
            match rest {
                Rest::Clean { .. } => out.checked.push(Arc::clone(&t.display)),
                Rest::Full(full) => {
                    let Full { report, extra, .. } = *full;
                    out.fixes.applied += extra.fixed;
                    out.fixes.diffs.extend(extra.diff);
                    out.online.extend(extra.online);
                    // A fix not written: the file is still reported.
                    self.not_written.extend(extra.error);
                    out.checked.push(Arc::clone(&t.display));
                    out.reports.push(report);
                }
                Rest::Failed(e) => self.tool_errors.push(e),
            }
        }
        if let Some(r) = stdin.report {
            if self.args.online {
                out.online.extend(online_target(&self.settings, &r));
            }
            out.checked.push(r.source.path.as_str().into());
            out.reports.push(r);
        }
        out.context = one_vector(entries, context_entries);
        out
    }

    /// Stage 6: `--online`, and what the corpus pass completes (the
    /// cross-file rules and every file's suppressions, one pass in the
    /// lint crate, run as the findings are written).
    fn finish_input(
        &mut self,
        outcome: &mut Outcome,
        history: Vec<Diagnostic>,
        deleted: Vec<Diagnostic>,
    ) -> Finish {
        let mut extra = history;
        if self.args.online {
            // `--no-cache` neither reads nor writes the --online cache.
            let cache_root = (!self.args.no_cache).then_some(self.loaded.root.as_path());
            match online::check(&self.settings, cache_root, &outcome.online) {
                Ok(found) => {
                    extra.extend(found.diagnostics);
                    self.warnings.extend(found.warnings);
                    self.not_checked_online = (found.not_checked, found.urls);
                }
                Err(e) => self.tool_errors.push(e),
            }
        }
        outcome.online = Vec::new();
        let loader = copydesk_workspace::session::loader(
            self.cwd.clone(),
            Default::default(),
            self.settings.max_file_bytes,
        );
        Finish {
            reports: std::mem::take(&mut outcome.reports),
            context: std::mem::take(&mut outcome.context),
            loader: Some(loader),
            extra,
            detached: deleted,
        }
    }

    /// Stage 5b, with `--changed-since` or `--staged`: the `history/*`
    /// findings on the reported files, and on deleted articles.
    fn history(&mut self, found: &Found) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
        let Some(scope) = &self.scope else {
            return Default::default();
        };
        let discoverer = Discoverer::new(&self.cwd, &self.loaded.root, &self.settings)
            .reading_relative_to_process_cwd();
        let keep = |t: &Target| self.in_corpus(&t.config_path);
        match scope.findings(&discoverer, &self.settings, &found.reported, keep) {
            Ok(found) => found,
            Err(e) => {
                self.tool_errors.push(e);
                Default::default()
            }
        }
    }

    /// `--write-baseline`: records the findings instead of reporting them
    /// (their identities, taken a window of files at a time).
    fn write_baseline(&self, path: &Path, input: Finish) -> Result<u8, String> {
        let mut recorded = Vec::new();
        copydesk_lint::lint::finish_streaming(&self.settings, input, &mut |window| {
            recorded.extend(copydesk_lint::fingerprint::identities(&window));
        });
        let n = baseline::write(path, recorded)?;
        if !self.args.quiet {
            eprintln!(
                "Recorded {n} finding{} in {}.",
                if n == 1 { "" } else { "s" },
                path.display()
            );
        }
        let failed = !self.tool_errors.is_empty() || !self.not_written.is_empty();
        Ok(if failed { 2 } else { 0 })
    }

    /// Stages 7 and 8: runs the corpus pass and, as it hands over each
    /// window of files' findings, drops those `--baseline` records, counts
    /// them and writes them in the chosen format (or, at the end,
    /// `--statistics`): to `--output-file`, else to stdout, or to stderr
    /// when stdout carries a diff or a fixed standard input. Neither the
    /// findings of a large run nor their output are ever held at once.
    fn finish_and_write(
        &self,
        input: Finish,
        checked: &[Arc<str>],
        fixes: &Fixes,
    ) -> Result<Tally, String> {
        // A diff or a fixed standard input is what stdout carries then.
        let to_stderr = self.args.diff || fixes.text.is_some();
        let known = match &self.args.baseline {
            Some(path) => Some(baseline::load(path)?),
            None => None,
        };
        let mode = self.fix_mode();
        let mut tally = Tally::default();
        self.write_output(to_stderr, |out| {
            let mut stream = (!self.args.statistics).then(|| {
                render::Stream::new(self.args.format, &self.render_options(to_stderr), out)
            });
            copydesk_lint::lint::finish_streaming(&self.settings, input, &mut |mut window| {
                if let Some(known) = &known {
                    baseline::retain_new(known, &mut window);
                }
                tally.add(&window, mode);
                if let Some(stream) = &mut stream {
                    stream.write(&window);
                }
            });
            match stream {
                Some(stream) => stream.finish(checked),
                None => {
                    let json = self.args.format == Format::Json;
                    out.write_all(statistics(&tally, json).as_bytes())?;
                    out.flush()
                }
            }
        })?;
        Ok(tally)
    }

    /// Runs `write` on the report's destination: `--output-file`, stdout,
    /// or stderr when stdout carries a diff or a fixed standard input.
    fn write_output(
        &self,
        to_stderr: bool,
        write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<(), String> {
        if let Some(path) = &self.args.output_file {
            let cannot = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
            let file = std::fs::File::create(path).map_err(cannot)?;
            return write(&mut std::io::BufWriter::new(file)).map_err(cannot);
        }
        if to_stderr {
            // Nothing more useful to do when stderr is gone.
            let _ = write(&mut std::io::stderr().lock());
            return Ok(());
        }
        match write(&mut std::io::stdout().lock()) {
            // A closed pipe (`| head`) is not an error.
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                Err(format!("cannot write to stdout: {e}"))
            }
            _ => Ok(()),
        }
    }

    /// How the chosen format presents findings.
    fn render_options(&self, to_stderr: bool) -> render::Options {
        let args = self.args;
        // A file is never coloured, as ruff's --output-file is not.
        render::Options {
            color: args.output_file.is_none() && color::for_stream(args.color, !to_stderr),
            width: args.width.unwrap_or(100),
            base: Some(render::Base {
                cwd: self.cwd.clone(),
                root: self.loaded.root.clone(),
            }),
        }
    }

    /// Stage 7b: a diff or a fixed standard input is what goes to stdout
    /// (the findings then go to stderr).
    fn write_fixes(&self, fixes: &Fixes) -> Result<(), String> {
        if self.args.diff {
            crate::print(&fixes.diffs.concat())?;
        } else if let Some(text) = &fixes.text {
            // Editors fixing on save read the fixed buffer from stdout.
            crate::print(text)?;
        }
        Ok(())
    }

    /// Stage 10: tool errors, the summary line and the fix count, on
    /// stderr; with `--quiet`, only copydesk's own errors and why it fails.
    fn summarize(&self, tally: &Tally, outcome: &Outcome) {
        let quiet = self.args.quiet;
        let mut shown = std::collections::HashSet::new();
        for w in self.warnings.iter().filter(|w| shown.insert(w.as_str())) {
            if !quiet {
                eprintln!("copydesk: warning: {w}");
            }
        }
        for e in self.tool_errors.iter().chain(&self.not_written) {
            eprintln!("copydesk: error: {e}");
        }
        let (errors, warnings) = (tally.errors, tally.warnings);
        let summarized = self.args.format == Format::Full || self.args.format == Format::Concise;
        if summarized && !quiet {
            let color = color::for_stream(self.args.color, false);
            let checked = outcome.checked.len();
            let line = summary(errors, warnings, checked, self.tool_errors.len());
            let mut line = with_not_written(line, self.not_written.len());
            let (not_checked, urls) = self.not_checked_online;
            if not_checked > 0 {
                // "All clear" must not read as "every image loads".
                line.pop();
                line.push_str(&format!(
                    "; {not_checked} of {urls} cover image URL{} not checked online.",
                    if urls == 1 { "" } else { "s" }
                ));
            }
            let clear = line.starts_with("All clear");
            eprintln!(
                "{}",
                color::paint(&line, if clear { "1;32" } else { "1" }, color)
            );
            if self.fix.is_none() {
                if let Some(hint) = fixable_hint(tally, self.fix_mode()) {
                    let hint = match hint.strip_prefix("[*]") {
                        Some(rest) => format!("[{}]{rest}", color::paint("*", "36", color)),
                        None => hint,
                    };
                    eprintln!("{hint}");
                }
            }
        }
        // Said in every format, --quiet too: a run that fails on warnings
        // alone must say why, also when stdout is JSON or SARIF.
        if let Some(max) = self.args.max_warnings.filter(|max| warnings > *max) {
            if !self.args.exit_zero && !self.args.diff {
                eprintln!("copydesk: failed: {warnings} warnings, more than --max-warnings {max}");
            }
        }
        let fixed = outcome.fixes.applied;
        if self.fix.is_some() && fixed > 0 && !quiet {
            let verb = if self.args.diff { "Would fix" } else { "Fixed" };
            eprintln!(
                "{verb} {fixed} finding{}.",
                if fixed == 1 { "" } else { "s" }
            );
        }
    }

    /// Stage 11: 2 for a tool error; with `--diff`, 1 when there is
    /// something to fix (it answers "is everything fixed?", as ruff's
    /// does); else 1 for errors or too many warnings; else 0 (always 0
    /// with `--exit-zero`).
    fn exit_code(&self, tally: &Tally, fixes: &Fixes) -> u8 {
        if !self.tool_errors.is_empty() || !self.not_written.is_empty() {
            return 2;
        }
        if self.args.exit_zero {
            return 0;
        }
        if self.args.diff {
            return u8::from(!fixes.diffs.is_empty());
        }
        let (errors, warnings) = (tally.errors, tally.warnings);
        let too_many_warnings = self.args.max_warnings.is_some_and(|max| warnings > max);
        u8::from(errors > 0 || too_many_warnings)
    }

    /// The fixes `--fix` would apply with these flags: `--unsafe-fixes`
    /// counts on its own too (in `--statistics` and the summary's hint).
    fn fix_mode(&self) -> FixMode {
        if self.args.unsafe_fixes {
            FixMode::Unsafe
        } else {
            FixMode::Safe
        }
    }
}

/// Two vectors of entries in one, without copying the larger one (a full
/// run has no context; a partial run has almost nothing but context).
fn one_vector(a: Vec<Option<IndexEntry>>, b: Vec<Option<IndexEntry>>) -> Vec<IndexEntry> {
    let (mut all, smaller) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    all.extend(smaller);
    // `filter_map`, not `flatten`: only the former collects in place.
    #[allow(clippy::filter_map_identity)]
    all.into_iter().filter_map(|e| e).collect()
}

/// How many errors and warnings.
/// What the summary, `--statistics` and the exit code need of the
/// findings: counts, taken as the corpus pass hands them over.
#[derive(Default)]
struct Tally {
    errors: usize,
    warnings: usize,
    /// Per rule code.
    rules: std::collections::BTreeMap<&'static str, Stat>,
}

impl Tally {
    /// Counts `diagnostics`, their fixes as `--fix` with `mode` sees them.
    fn add(&mut self, diagnostics: &[Diagnostic], mode: FixMode) {
        for d in diagnostics {
            match d.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
            }
            let stat = self.rules.entry(d.code).or_default();
            stat.count += 1;
            match d.fix.as_ref().map(|f| mode.allows(f.applicability)) {
                Some(true) => stat.fixable += 1,
                Some(false) => stat.hidden += 1,
                None => {}
            }
        }
    }
}

/// What `--statistics` counts of one rule.
#[derive(Default, Clone, Copy)]
struct Stat {
    count: usize,
    /// Findings whose fix `--fix` applies with the flags given.
    fixable: usize,
    /// Findings with only an unsafe fix, not applicable with them.
    hidden: usize,
}

/// `--statistics`: how many findings each rule produced, most first; a
/// table, or with `--format json` an array of `{code, count, fixable}`.
fn statistics(tally: &Tally, json: bool) -> String {
    let mut rows: Vec<(&str, Stat)> = tally.rules.iter().map(|(c, s)| (*c, *s)).collect();
    rows.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.0.cmp(b.0)));
    if json {
        let rows: Vec<_> = rows
            .iter()
            .map(|(code, s)| serde_json::json!({ "code": code, "count": s.count, "fixable": s.fixable }))
            .collect();
        return serde_json::to_string_pretty(&rows).unwrap_or_default() + "\n";
    }
    let width = rows.iter().map(|(c, _)| c.len()).max().unwrap_or(0);
    rows.iter()
        .map(|(code, s)| {
            // Codes are padded only when a mark follows them, so no line
            // ends in blanks.
            if s.fixable > 0 {
                format!("{:>6}  {code:<width$}  [*] fixable\n", s.count)
            } else if s.hidden > 0 {
                format!(
                    "{:>6}  {code:<width$}  [-] fixable with --unsafe-fixes\n",
                    s.count
                )
            } else {
                format!("{:>6}  {code}\n", s.count)
            }
        })
        .collect()
}

/// The summary's second line when fixes are available, as ruff words it:
/// how many `--fix` would apply, and how many more `--unsafe-fixes` would.
fn fixable_hint(tally: &Tally, mode: FixMode) -> Option<String> {
    let fixable = tally.rules.values().map(|s| s.fixable).sum::<usize>();
    let hidden = tally.rules.values().map(|s| s.hidden).sum::<usize>();
    let command = match mode {
        FixMode::Safe => "--fix",
        FixMode::Unsafe => "--fix --unsafe-fixes",
    };
    match (fixable, hidden) {
        (0, 0) => None,
        (0, h) => Some(format!(
            "{h} hidden fix{} can be enabled with --unsafe-fixes.",
            if h == 1 { "" } else { "es" }
        )),
        (f, 0) => Some(format!("[*] {f} fixable with `copydesk check {command}`.")),
        (f, h) => Some(format!(
            "[*] {f} fixable with `copydesk check {command}` ({h} hidden fix{} can be enabled with --unsafe-fixes).",
            if h == 1 { "" } else { "es" }
        )),
    }
}

/// The summary line, which says how many fixes were not written (said
/// above it); never "All clear" then.
fn with_not_written(line: String, n: usize) -> String {
    if n == 0 {
        return line;
    }
    let line = match line.strip_prefix("All clear: ") {
        Some(rest) => format!(
            "Found 0 errors and 0 warnings in {}",
            rest.trim_end_matches(" checked.")
        ),
        None => line.trim_end_matches('.').to_owned(),
    };
    let s = if n == 1 { "" } else { "es" };
    format!("{line}; {n} fix{s} not written (see above).")
}

/// The summary line; never "All clear" when copydesk itself failed on
/// something (`failures`, said above it).
fn summary(errors: usize, warnings: usize, files: usize, failures: usize) -> String {
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    if failures > 0 {
        format!(
            "Found {} and {} in {}; {} of copydesk's own (see above).",
            plural(errors, "error"),
            plural(warnings, "warning"),
            plural(files, "file"),
            plural(failures, "error"),
        )
    } else if errors + warnings == 0 {
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
        source: Arc::clone(&report.source),
        config_path: report.config_path.clone(),
        urls,
    })
}

/// git's index when copydesk runs in a commit hook: git names it in
/// `GIT_INDEX_FILE` (relative to the top of the working tree, where hooks
/// run) for its hooks, and a pre-commit run then takes the articles it
/// does not name, when the index and the cache agree on them, without
/// stat-ing them (see `copydesk_workspace::git_index`).
fn commit_hook_index(cwd: &Path, root: &Path) -> Option<GitStamps> {
    let index = std::env::var_os("GIT_INDEX_FILE")?;
    let top = cwd.ancestors().find(|d| d.join(".git").exists())?;
    GitStamps::load(&top.join(index), top, root)
}
