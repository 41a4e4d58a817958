//! `check --changed-since REF` and `--staged`: which articles a run
//! reports (those changed against REF's merge base with HEAD, or staged
//! against HEAD), their staged text, and the `history/*` findings that
//! compare each with its old version.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use copydesk_lint::rules::history::{self, Old};
use copydesk_lint::{Diagnostic, Settings, SourceFile};
use copydesk_workspace::discover::{Discovered, Discoverer, Target};
use copydesk_workspace::git::{Change, Repo};

use crate::cli::CheckArgs;

/// What the run compares with, and what changed.
pub(crate) struct Scope {
    repo: Repo,
    /// The commit compared with.
    base: String,
    /// How findings name it: the revision as given, or `HEAD`.
    rev: String,
    staged: bool,
    changes: Vec<Change>,
    /// With `--staged`: each reported file's text in the index, by display
    /// path (what is linted instead of the work tree's).
    pub staged_texts: HashMap<Arc<str>, Vec<u8>>,
}

impl Scope {
    /// The scope the arguments ask for, `None` without `--changed-since`
    /// or `--staged`; a git problem is an error (exit 2).
    pub(crate) fn open(args: &CheckArgs, cwd: &Path) -> Result<Option<Scope>, String> {
        let (rev, staged) = match (&args.changed_since, args.staged) {
            (Some(rev), false) => (rev.clone(), false),
            (None, true) => ("HEAD".to_owned(), true),
            (None, false) => return Ok(None),
            (Some(_), true) => {
                return Err("--changed-since and --staged cannot be used together".to_owned())
            }
        };
        let fail = |e: copydesk_workspace::git::GitError| {
            let flag = if staged {
                "--staged"
            } else {
                "--changed-since"
            };
            format!("{flag}: {e}")
        };
        let repo = Repo::open(cwd).map_err(fail)?;
        let base = if staged {
            repo.resolve("HEAD").map_err(fail)?
        } else {
            repo.merge_base(&rev).map_err(fail)?
        };
        let changes = repo.changes(&base, staged).map_err(fail)?;
        Ok(Some(Scope {
            repo,
            base,
            rev,
            staged,
            changes,
            staged_texts: HashMap::new(),
        }))
    }

    /// The changed articles the configuration lints (`keep`): the run's
    /// reported files. With `--staged`, their staged text is read too; one
    /// that cannot be read is an error.
    pub(crate) fn targets(
        &mut self,
        discoverer: &Discoverer<'_>,
        settings: &Settings,
        keep: impl Fn(&Target) -> bool,
    ) -> Discovered {
        let mut found = Discovered::default();
        for change in &self.changes {
            let path = match change {
                Change::Modified(p) | Change::Renamed { to: p, .. } => p,
                Change::Deleted(_) => continue,
            };
            let abs = self.repo.path(path);
            if !settings.has_article_extension(&abs) {
                continue;
            }
            let t = discoverer.target(&abs);
            if !keep(&t) {
                continue;
            }
            if self.staged {
                match self.repo.show("", path, limit(settings)) {
                    Ok(Some(bytes)) => {
                        self.staged_texts.insert(Arc::clone(&t.display), bytes);
                    }
                    // Staged as deleted in the index but listed: skip it.
                    Ok(None) => continue,
                    Err(e) => {
                        found.errors.push(format!("--staged: {e}"));
                        continue;
                    }
                }
            } else if !abs.exists() {
                // Deleted in the work tree, not yet committed.
                continue;
            }
            found.targets.push(t);
        }
        found
            .targets
            .sort_unstable_by(|a, b| a.display.cmp(&b.display));
        found.targets.dedup_by(|a, b| a.display == b.display);
        found
    }

    /// The `history/*` findings: on the reported files (`reported`), and
    /// on the published articles deleted since the base (`keep` says
    /// which the configuration lints). The first are for the corpus pass
    /// (suppressions apply); the second have no file left to suppress in.
    pub(crate) fn findings(
        &self,
        discoverer: &Discoverer<'_>,
        settings: &Settings,
        reported: &Discovered,
        keep: impl Fn(&Target) -> bool,
    ) -> Result<(Vec<Diagnostic>, Vec<Diagnostic>), String> {
        let (mut on_files, mut deleted) = (Vec::new(), Vec::new());
        let limit = limit(settings);
        for change in &self.changes {
            let (old_path, new_path) = match change {
                Change::Modified(p) => (p, Some(p)),
                Change::Renamed { from, to } => (from, Some(to)),
                Change::Deleted(p) => (p, None),
            };
            let old_abs = self.repo.path(old_path);
            if !settings.has_article_extension(&old_abs) {
                continue;
            }
            let old_target = discoverer.target(&old_abs);
            let new_target = new_path.map(|p| discoverer.target(&self.repo.path(p)));
            // Only articles the configuration lints, then and now: a file
            // moved in from an excluded folder is new to the corpus.
            let reported_now = new_target
                .as_ref()
                .is_none_or(|t| reported.contains(&t.display));
            if !reported_now || !keep(&old_target) {
                continue;
            }
            // Added since the base: nothing to compare with.
            let Some(old_bytes) = self
                .repo
                .show(&self.base, old_path, limit)
                .map_err(|e| e.to_string())?
            else {
                continue;
            };
            let old_text = String::from_utf8_lossy(&old_bytes);
            let old = Old {
                text: &old_text,
                config_path: &old_target.config_path,
                rev: &self.rev,
            };
            let Some(t) = new_target else {
                deleted.extend(history::removed(settings, &old, &old_target.display));
                continue;
            };
            let Some(text) = self.new_text(&t, new_path.map_or("", |p| p.as_str()), limit) else {
                continue;
            };
            let source = Arc::new(SourceFile::new(&*t.display, text));
            on_files.extend(history::compare(settings, &old, &source, &t.config_path));
        }
        Ok((on_files, deleted))
    }

    /// The new version's text: staged, or in the work tree.
    fn new_text(&self, t: &Target, repo_path: &str, limit: usize) -> Option<String> {
        if self.staged {
            let bytes = match self.staged_texts.get(&t.display) {
                Some(bytes) => bytes.clone(),
                None => self.repo.show("", repo_path, limit).ok()??,
            };
            return String::from_utf8(bytes).ok();
        }
        let bytes = copydesk_workspace::fs::read_small(&t.path(), limit as u64)?;
        String::from_utf8(bytes).ok()
    }
}

/// The largest version compared: the size limit of an article.
fn limit(settings: &Settings) -> usize {
    usize::try_from(settings.max_file_bytes).unwrap_or(usize::MAX)
}
