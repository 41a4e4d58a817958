//! Git access for `check --changed-since` and `--staged`: which files
//! changed against a revision or in the index, and a file's content at a
//! revision or in the index.
//!
//! Through the `git` executable (see docs/decisions.md): every call has a
//! timeout and bounded output, and every failure is a typed [`GitError`]
//! the front end words and exits 2 on.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long one git call may take: listing the changes of a large
/// repository takes well under a second.
const TIMEOUT: Duration = Duration::from_secs(60);

/// The most a listing (`git diff -z`) may print: 64 MiB is over a million
/// changed paths.
const LIST_LIMIT: usize = 64 << 20;

/// Why git could not answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GitError {
    /// `git` could not be run at all.
    NotInstalled(String),
    /// The working directory is not inside a git work tree.
    NotARepository,
    /// The repository has no commit yet (nothing to compare with).
    NoCommits,
    /// The revision does not resolve; `shallow` when the clone is shallow,
    /// the usual cause in CI.
    UnknownRevision {
        /// The revision as named.
        rev: String,
        /// Whether the clone is shallow.
        shallow: bool,
    },
    /// Git ran and failed.
    Failed {
        /// The command line.
        command: String,
        /// What git said.
        stderr: String,
    },
    /// Git did not answer within the timeout.
    TimedOut {
        /// The command line.
        command: String,
    },
    /// Git printed more than the limit.
    TooLarge {
        /// The command line.
        command: String,
    },
}

impl std::fmt::Display for GitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GitError::NotInstalled(e) => write!(f, "cannot run git: {e}"),
            GitError::NotARepository => {
                write!(
                    f,
                    "not inside a git repository (--changed-since and --staged need one)"
                )
            }
            GitError::NoCommits => write!(
                f,
                "the repository has no commit yet: there is nothing to compare with"
            ),
            GitError::UnknownRevision { rev, shallow: true } => write!(
                f,
                "revision {rev:?} is not in this shallow clone: fetch the history \
                 (`git fetch --unshallow`, or `fetch-depth: 0` in actions/checkout)"
            ),
            GitError::UnknownRevision {
                rev,
                shallow: false,
            } => {
                write!(f, "unknown revision {rev:?}")
            }
            GitError::Failed { command, stderr } => {
                write!(f, "`{command}` failed: {}", stderr.trim())
            }
            GitError::TimedOut { command } => {
                write!(f, "`{command}` did not finish in {}s", TIMEOUT.as_secs())
            }
            GitError::TooLarge { command } => write!(f, "`{command}` printed too much"),
        }
    }
}

impl std::error::Error for GitError {}

/// How a file changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Added, modified or of another kind (type change): the path now.
    Modified(String),
    /// Renamed (or moved) as git detects it: the old and new paths.
    Renamed {
        /// The path at the base revision.
        from: String,
        /// The path now.
        to: String,
    },
    /// Deleted: the old path.
    Deleted(String),
}

/// A repository, seen from a working directory.
#[derive(Debug, Clone)]
pub struct Repo {
    /// The directory git runs in.
    cwd: PathBuf,
    /// The work tree's top, as the working directory joined with
    /// `--show-cdup`, so that paths keep the working directory's form.
    top: PathBuf,
}

impl Repo {
    /// The repository containing `cwd`, which must have a commit.
    pub fn open(cwd: &Path) -> Result<Repo, GitError> {
        let probe = Repo {
            cwd: cwd.to_path_buf(),
            top: cwd.to_path_buf(),
        };
        let cdup = match probe.run(&["rev-parse", "--show-cdup"], 1 << 16) {
            Ok(out) => out,
            Err(GitError::Failed { stderr, .. }) if stderr.contains("not a git repository") => {
                return Err(GitError::NotARepository)
            }
            Err(e) => return Err(e),
        };
        let cdup = String::from_utf8_lossy(&cdup)
            .trim_end_matches('\n')
            .to_owned();
        let repo = Repo {
            top: cwd.join(cdup),
            ..probe
        };
        if repo.resolve("HEAD").is_err() {
            return Err(GitError::NoCommits);
        }
        Ok(repo)
    }

    /// The absolute path of a repository-relative path.
    pub fn path(&self, repo_path: &str) -> PathBuf {
        self.top.join(repo_path)
    }

    /// The commit `rev` names.
    pub fn resolve(&self, rev: &str) -> Result<String, GitError> {
        let spec = format!("{rev}^{{commit}}");
        match self.run(
            &[
                "rev-parse",
                "--verify",
                "--quiet",
                "--end-of-options",
                &spec,
            ],
            4096,
        ) {
            Ok(out) => Ok(String::from_utf8_lossy(&out).trim().to_owned()),
            Err(GitError::Failed { .. }) => {
                let shallow = self
                    .run(&["rev-parse", "--is-shallow-repository"], 64)
                    .is_ok_and(|o| o.starts_with(b"true"));
                Err(GitError::UnknownRevision {
                    rev: rev.to_owned(),
                    shallow,
                })
            }
            Err(e) => Err(e),
        }
    }

    /// The commit where HEAD's history met `rev`'s: what a pull request
    /// changes is compared with it, not with later commits on `rev`.
    pub fn merge_base(&self, rev: &str) -> Result<String, GitError> {
        let commit = self.resolve(rev)?;
        match self.run(&["merge-base", &commit, "HEAD"], 4096) {
            Ok(out) => Ok(String::from_utf8_lossy(&out).trim().to_owned()),
            // No common history (or it was cut by a shallow fetch).
            Err(GitError::Failed { .. }) => {
                let shallow = self
                    .run(&["rev-parse", "--is-shallow-repository"], 64)
                    .is_ok_and(|o| o.starts_with(b"true"));
                Err(GitError::UnknownRevision {
                    rev: format!("{rev} (no common history with HEAD)"),
                    shallow,
                })
            }
            Err(e) => Err(e),
        }
    }

    /// The files changed since `base` (a commit): in the index when
    /// `staged`, else in the work tree (committed or not). Renames are
    /// detected as `git diff -M` does.
    pub fn changes(&self, base: &str, staged: bool) -> Result<Vec<Change>, GitError> {
        let mut args = vec!["diff", "--name-status", "-z", "-M", "--no-ext-diff"];
        if staged {
            args.push("--cached");
        }
        args.extend([base, "--"]);
        let out = self.run(&args, LIST_LIMIT)?;
        Ok(parse_name_status(&out))
    }

    /// The file at `path` (repository-relative) in `rev` (a commit, or ""
    /// for the index); `None` when it is not there or over `limit` bytes.
    pub fn show(&self, rev: &str, path: &str, limit: usize) -> Result<Option<Vec<u8>>, GitError> {
        let object = format!("{rev}:{path}");
        match self.run(&["cat-file", "blob", &object], limit) {
            Ok(out) => Ok(Some(out)),
            Err(GitError::Failed { .. } | GitError::TooLarge { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Runs git with `args`, its stdout bounded to `limit` bytes.
    fn run(&self, args: &[&str], limit: usize) -> Result<Vec<u8>, GitError> {
        let command = format!("git {}", args.join(" "));
        let mut child = Command::new("git")
            // Paths always from the top (whatever `diff.relative` says);
            // never take the index lock to refresh it (a concurrent git
            // command must not fail because copydesk ran).
            .args(["--no-optional-locks", "--no-pager"])
            .args(["-c", "core.quotepath=off", "-c", "diff.relative=false"])
            .args(args)
            .current_dir(&self.cwd)
            // Messages in English, which `open` recognises.
            .env("LC_ALL", "C")
            .env("LANGUAGE", "C")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| GitError::NotInstalled(e.to_string()))?;
        let (Some(stdout), Some(stderr)) = (child.stdout.take(), child.stderr.take()) else {
            let _ = child.kill();
            return Err(GitError::NotInstalled("no pipes".to_owned()));
        };
        // Read on threads so that a full pipe never blocks git while we
        // wait for it; one byte over the limit tells "too large".
        let out = std::thread::spawn(move || read_bounded(stdout, limit + 1));
        let err = std::thread::spawn(move || read_bounded(stderr, 1 << 16));
        let deadline = Instant::now() + TIMEOUT;
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break Some(status),
                Ok(None) if Instant::now() >= deadline => break None,
                Ok(None) => std::thread::sleep(Duration::from_millis(2)),
                Err(_) => break None,
            }
        };
        let Some(status) = status else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(GitError::TimedOut { command });
        };
        let out = out.join().unwrap_or_default();
        let err = err.join().unwrap_or_default();
        if out.len() > limit {
            return Err(GitError::TooLarge { command });
        }
        if !status.success() {
            let stderr = String::from_utf8_lossy(&err).into_owned();
            return Err(GitError::Failed { command, stderr });
        }
        Ok(out)
    }
}

/// Reads at most `limit` bytes, then drains the rest so the writer ends.
fn read_bounded(pipe: impl Read, limit: usize) -> Vec<u8> {
    let mut buf = Vec::new();
    let mut pipe = pipe;
    let _ = (&mut pipe).take(limit as u64).read_to_end(&mut buf);
    let _ = std::io::copy(&mut pipe, &mut std::io::sink());
    buf
}

/// Parses `git diff --name-status -z`: a status, then one path (two for a
/// rename or copy), each NUL-terminated.
fn parse_name_status(out: &[u8]) -> Vec<Change> {
    let mut fields = out
        .split(|b| *b == 0)
        .map(|f| String::from_utf8_lossy(f).into_owned());
    let mut changes = Vec::new();
    while let Some(status) = fields.next() {
        let Some(first) = fields.next() else { break };
        match status.as_bytes().first() {
            Some(b'R') => {
                let Some(to) = fields.next() else { break };
                changes.push(Change::Renamed { from: first, to });
            }
            // A copy leaves the source where it was: the copy is new.
            Some(b'C') => {
                let Some(to) = fields.next() else { break };
                changes.push(Change::Modified(to));
            }
            Some(b'D') => changes.push(Change::Deleted(first)),
            Some(_) => changes.push(Change::Modified(first)),
            None => break,
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_name_status() {
        let out = b"M\0a.md\0R087\0old.md\0new.md\0D\0gone.md\0A\0b c.md\0";
        assert_eq!(
            parse_name_status(out),
            vec![
                Change::Modified("a.md".into()),
                Change::Renamed {
                    from: "old.md".into(),
                    to: "new.md".into()
                },
                Change::Deleted("gone.md".into()),
                Change::Modified("b c.md".into()),
            ]
        );
    }
}
