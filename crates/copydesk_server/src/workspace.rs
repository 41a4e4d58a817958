//! The configuration in force and the workspace's corpus index: loaded at
//! start, reloaded when `copydesk.toml` changes, updated as articles change
//! on disk or in the editor.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use copydesk_lint::corpus::IndexEntry;
use copydesk_lint::Settings;
use copydesk_workspace::config::{self, ConfigError, ConfigErrorKind};
use copydesk_workspace::session::{Corpus, Session, SharedCorpus};
use lsp_types as lsp;
use lsp_types::notification::Notification as _;

use crate::documents::{path_uri, uri_path};
use crate::main_loop::{Event, Server};
use crate::position::LineIndex;

/// The editor's workspace as copydesk sees it.
pub(crate) struct Workspace {
    /// Its folder (display paths are relative to it), the configuration
    /// root and the settings.
    pub(crate) session: Session,
    /// The config file, when there is one.
    file: Option<PathBuf>,
    /// Bumped on every reload, so a stale workspace index is dropped.
    generation: u64,
    /// Every article's cross-file facts: from disk, or from the editor's
    /// text for open documents. Lint jobs share it; an update changes one
    /// entry and its groups in place.
    pub(crate) corpus: Arc<SharedCorpus>,
    /// Whether an index of the disk has arrived: until then a document's
    /// first diagnostics would lack the cross-file findings.
    pub(crate) indexed: bool,
    /// Until when lints wait for that first index (see [`WAIT_WITH_CACHE`]).
    pub(crate) wait_until: Option<Instant>,
}

/// How long lints wait for the first index when a result cache is there:
/// indexing from it takes one to two seconds at 100k articles, and a document
/// published without its cross-file findings and again with them is worse
/// than one published a second later. Only a runaway index hits this.
const WAIT_WITH_CACHE: Duration = Duration::from_secs(30);

/// How long lints wait for the first index without a cache: a small
/// workspace is indexed by then; a large one is not, and its documents are
/// published first without cross-file findings.
const WAIT_WITHOUT_CACHE: Duration = Duration::from_millis(500);

impl Workspace {
    /// The workspace of the client's first folder (or root, or the working
    /// directory), with the default configuration until it is loaded.
    pub(crate) fn new(init: &lsp::InitializeParams, now: jiff::Timestamp) -> Self {
        let folder = workspace_folder(init)
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_else(|| PathBuf::from("."));
        Workspace {
            session: Session {
                root: folder.clone(),
                cwd: folder,
                settings: Arc::new(Settings::with_defaults(now)),
            },
            file: None,
            generation: 0,
            corpus: Arc::new(SharedCorpus::default()),
            indexed: false,
            wait_until: None,
        }
    }

    /// The settings in force.
    pub(crate) fn settings(&self) -> &Arc<Settings> {
        &self.session.settings
    }

    /// Sets an article's facts; returns whether the facts cross-file rules
    /// read changed.
    pub(crate) fn set_entry(&mut self, display: &str, entry: Option<IndexEntry>) -> bool {
        self.corpus.write().update(display, entry)
    }

    /// Whether lints wait for the first index of the disk at `now`.
    pub(crate) fn waiting(&self, now: Instant) -> Option<Instant> {
        self.wait_until
            .filter(|&until| !self.indexed && now < until)
    }
}

fn workspace_folder(init: &lsp::InitializeParams) -> Option<PathBuf> {
    if let Some(folder) = init.workspace_folders.as_ref().and_then(|f| f.first()) {
        return uri_path(folder.uri.as_str());
    }
    #[allow(deprecated)]
    init.root_uri.as_ref().and_then(|u| uri_path(u.as_str()))
}

/// Extensions from the configuration, for the file watcher's glob.
fn watch_glob(settings: &Settings) -> String {
    let exts: Vec<&str> = settings
        .config
        .extensions
        .iter()
        .map(|e| e.trim_start_matches('.'))
        .collect();
    match exts.as_slice() {
        [one] => format!("**/*.{one}"),
        _ => format!("**/*.{{{}}}", exts.join(",")),
    }
}

/// Whether `path` is a configuration file.
pub(crate) fn is_config_file(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == config::FILE_NAME)
}

/// A configuration error as a diagnostic on the configuration file.
fn config_diagnostic(e: &ConfigError) -> lsp::Diagnostic {
    let message = match e.kind {
        ConfigErrorKind::Read => format!("cannot read it: {}", e.message),
        ConfigErrorKind::Syntax | ConfigErrorKind::Value => e.message.clone(),
    };
    lsp::Diagnostic {
        range: LineIndex::new(&e.text).range(&e.span),
        severity: Some(lsp::DiagnosticSeverity::ERROR),
        code: Some(lsp::NumberOrString::String("config".to_owned())),
        source: Some("copydesk".to_owned()),
        message: format!("invalid configuration: {message} (using the last valid configuration)"),
        ..Default::default()
    }
}

impl Server {
    pub(crate) fn register_watchers(&mut self) {
        let watchers = vec![
            lsp::FileSystemWatcher {
                glob_pattern: lsp::GlobPattern::String(watch_glob(self.workspace.settings())),
                kind: None,
            },
            lsp::FileSystemWatcher {
                glob_pattern: lsp::GlobPattern::String(format!("**/{}", config::FILE_NAME)),
                kind: None,
            },
        ];
        let options = lsp::DidChangeWatchedFilesRegistrationOptions { watchers };
        let params = lsp::RegistrationParams {
            registrations: vec![lsp::Registration {
                id: "copydesk-watch".to_owned(),
                method: lsp::notification::DidChangeWatchedFiles::METHOD.to_owned(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        self.request::<lsp::request::RegisterCapability>(params);
    }

    pub(crate) fn watched(&mut self, changes: Vec<lsp::FileEvent>) {
        let mut changed = false;
        for change in changes {
            let Some(path) = uri_path(change.uri.as_str()) else {
                continue;
            };
            if is_config_file(&path) {
                self.config_changed();
                continue;
            }
            if !self.workspace.settings().has_article_extension(&path) || self.is_open(&path) {
                continue;
            }
            let display = self.workspace.session.display(&path);
            let entry = if change.typ == lsp::FileChangeType::DELETED {
                None
            } else {
                self.workspace.session.index_file(&path)
            };
            changed |= self.workspace.set_entry(&display, entry);
        }
        if changed {
            self.relint_open(None);
        }
    }

    pub(crate) fn config_changed(&mut self) {
        self.reload_config();
        self.relint_open(None);
    }

    /// Loads `copydesk.toml` (the nearest at or above the workspace). A bad
    /// file is reported on itself and the last good configuration stays.
    pub(crate) fn reload_config(&mut self) {
        let now = self.options.now.unwrap_or_else(jiff::Timestamp::now);
        let folder = self.workspace.session.cwd.clone();
        let file = config::discover(&folder);
        let loaded = match &file {
            None => Ok((Settings::with_defaults(now), folder.clone())),
            Some(path) => {
                config::load_file(path, Path::new(".")).and_then(|l| Ok((l.settings(now)?, l.root)))
            }
        };
        let diagnostics = match loaded {
            Ok((settings, root)) => {
                self.workspace.session.settings = Arc::new(settings);
                self.workspace.session.root = root;
                Vec::new()
            }
            Err(e) => vec![config_diagnostic(&e)],
        };
        let uri = file.as_deref().and_then(path_uri);
        // The previous file may have been deleted: clear its diagnostics too.
        if let Some(old) = self
            .workspace
            .file
            .take()
            .filter(|old| Some(old) != file.as_ref())
        {
            if let Some(uri) = path_uri(&old) {
                self.publish_raw(uri, Vec::new(), None);
            }
        }
        if let Some(uri) = uri {
            self.publish_raw(uri, diagnostics, None);
        }
        self.workspace.file = file;
        self.workspace.generation += 1;
        self.index_workspace();
    }

    /// Indexes the content roots on a worker thread, on all cores, and
    /// groups the entries there too: the loop only swaps the result in.
    fn index_workspace(&mut self) {
        let session = self.workspace.session.clone();
        let generation = self.workspace.generation;
        if !self.workspace.indexed {
            let wait = if session.has_cache() {
                WAIT_WITH_CACHE
            } else {
                WAIT_WITHOUT_CACHE
            };
            self.workspace.wait_until = Some(Instant::now() + wait);
        }
        let events = self.events.0.clone();
        std::thread::spawn(move || {
            // A panic must not leave lints waiting for an index.
            let corpus = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                Corpus::new(session.index_corpus())
            }));
            let _ = events.send(Event::Indexed(generation, corpus.ok().map(Box::new)));
        });
    }

    /// Takes a fresh index of the disk; open documents already linted keep
    /// the editor's facts (the others take the disk's until they are).
    pub(crate) fn on_indexed(&mut self, generation: u64, fresh: Option<Box<Corpus>>) {
        if generation != self.workspace.generation {
            return;
        }
        self.workspace.indexed = true;
        if let Some(mut fresh) = fresh.map(|c| *c) {
            let old = {
                let mut corpus = self.workspace.corpus.write();
                for display in self.linted_displays() {
                    fresh.update(&display, corpus.get(&display).cloned());
                }
                std::mem::replace(&mut *corpus, fresh)
            };
            // Freeing 100k entries is not the loop's work either.
            std::thread::spawn(move || drop(old));
        }
        self.relint_open(None);
    }
}
