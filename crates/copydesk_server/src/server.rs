//! The state, the message loop and the protocol handlers.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use copydesk::discover::{self, Discovered, Discoverer};
use copydesk_lint::config::Config;
use copydesk_lint::corpus::IndexEntry;
use copydesk_lint::fix::{self, FixMode};
use copydesk_lint::{Applicability, Settings, Severity, SourceFile};
use crossbeam_channel::{select, Receiver, Sender};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types as lsp;
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use serde_json::Value;

use crate::front_matter;
use crate::position::LineIndex;
use crate::{Options, DEBOUNCE, FIX_ALL_KIND};

/// What the worker threads send back to the loop.
enum Event {
    /// A document was linted.
    Linted(Box<Linted>),
    /// The workspace's articles were indexed (for config generation `.0`).
    Indexed(u64, Vec<IndexEntry>),
}

/// The outcome of linting one version of one document.
struct Linted {
    uri: String,
    version: i32,
    text: Arc<str>,
    diagnostics: Vec<copydesk_lint::Diagnostic>,
    entry: Option<IndexEntry>,
}

/// An open document.
struct Doc {
    uri: lsp::Uri,
    version: i32,
    text: Arc<str>,
    /// Where it is on disk, for `file:` URIs.
    path: Option<PathBuf>,
    /// Whether it is an article (markdown) the server lints.
    article: bool,
}

/// The configuration in force.
struct ConfigState {
    settings: Arc<Settings>,
    /// The folder config paths are relative to.
    root: PathBuf,
    /// The config file, when there is one.
    file: Option<PathBuf>,
    /// Bumped on every reload, so a stale workspace index is dropped.
    generation: u64,
}

/// The last lint of a document, for code actions and hover.
struct LastLint {
    version: i32,
    text: Arc<str>,
    diagnostics: Vec<copydesk_lint::Diagnostic>,
}

/// What a lint job needs, owned, so it can run on another thread.
struct Job {
    uri: String,
    version: i32,
    display: String,
    config_path: String,
    text: Arc<str>,
    settings: Arc<Settings>,
    now: Option<jiff::Timestamp>,
    context: Vec<IndexEntry>,
    open: HashMap<String, Arc<str>>,
    root: PathBuf,
}

struct Server {
    sender: Sender<Message>,
    options: Options,
    /// The workspace folder: display paths are relative to it.
    workspace: PathBuf,
    config: ConfigState,
    docs: HashMap<String, Doc>,
    /// Every article's cross-file facts, by display path: from disk, or
    /// from the editor's text for open documents.
    corpus: BTreeMap<String, IndexEntry>,
    /// Documents waiting to be linted, and from when.
    pending: HashMap<String, Instant>,
    /// Documents being linted now (one job per document at a time).
    running: HashSet<String>,
    last: HashMap<String, LastLint>,
    published: HashMap<String, Vec<lsp::Diagnostic>>,
    events: (Sender<Event>, Receiver<Event>),
    next_id: i32,
    shutting_down: bool,
    max_jobs: usize,
}

/// Runs the server on `connection` (stdio, or in memory for tests) until
/// the client sends `exit`.
pub fn serve(connection: Connection, options: Options) -> Result<(), String> {
    let (id, params) = connection
        .initialize_start()
        .map_err(|e| format!("language server: initialize: {e}"))?;
    let init: lsp::InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let result = lsp::InitializeResult {
        capabilities: capabilities(),
        server_info: Some(lsp::ServerInfo {
            name: "copydesk".to_owned(),
            version: Some(env!("CARGO_PKG_VERSION").to_owned()),
        }),
    };
    let result = serde_json::to_value(result).map_err(|e| e.to_string())?;
    connection
        .initialize_finish(id, result)
        .map_err(|e| format!("language server: initialize: {e}"))?;
    let mut server = Server::new(connection.sender.clone(), options, &init);
    server.main_loop(&connection.receiver);
    Ok(())
}

fn capabilities() -> lsp::ServerCapabilities {
    lsp::ServerCapabilities {
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
            lsp::TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(lsp::TextDocumentSyncKind::FULL),
                save: Some(lsp::TextDocumentSyncSaveOptions::SaveOptions(
                    lsp::SaveOptions {
                        include_text: Some(false),
                    },
                )),
                ..Default::default()
            },
        )),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
            lsp::CodeActionOptions {
                code_action_kinds: Some(vec![
                    lsp::CodeActionKind::QUICKFIX,
                    lsp::CodeActionKind::new(FIX_ALL_KIND),
                ]),
                ..Default::default()
            },
        )),
        completion_provider: Some(lsp::CompletionOptions {
            trigger_characters: Some(vec![":".to_owned(), " ".to_owned()]),
            ..Default::default()
        }),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        ..Default::default()
    }
}

/// The file path of a `file:` URI.
fn uri_path(uri: &str) -> Option<PathBuf> {
    url::Url::parse(uri).ok()?.to_file_path().ok()
}

/// The `file:` URI of a path.
fn path_uri(path: &Path) -> Option<lsp::Uri> {
    url::Url::from_file_path(path).ok()?.as_str().parse().ok()
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

impl Server {
    fn new(sender: Sender<Message>, options: Options, init: &lsp::InitializeParams) -> Self {
        let workspace = workspace_folder(init)
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_else(|| PathBuf::from("."));
        let now = options.now.unwrap_or_else(jiff::Timestamp::now);
        let defaults = ConfigState {
            settings: Arc::new(Settings::with_defaults(now)),
            root: workspace.clone(),
            file: None,
            generation: 0,
        };
        let max_jobs = std::thread::available_parallelism().map_or(2, |n| n.get().max(2));
        let mut server = Server {
            sender,
            options,
            workspace,
            config: defaults,
            docs: HashMap::new(),
            corpus: BTreeMap::new(),
            pending: HashMap::new(),
            running: HashSet::new(),
            last: HashMap::new(),
            published: HashMap::new(),
            events: crossbeam_channel::unbounded(),
            next_id: 0,
            shutting_down: false,
            max_jobs,
        };
        server.reload_config();
        let dynamic = init
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        if dynamic {
            server.register_watchers();
        }
        server
    }

    fn register_watchers(&mut self) {
        let watchers = vec![
            lsp::FileSystemWatcher {
                glob_pattern: lsp::GlobPattern::String(watch_glob(&self.config.settings)),
                kind: None,
            },
            lsp::FileSystemWatcher {
                glob_pattern: lsp::GlobPattern::String(format!(
                    "**/{}",
                    copydesk::config_file::FILE_NAME
                )),
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
        self.next_id += 1;
        let req = Request::new(
            RequestId::from(format!("copydesk-{}", self.next_id)),
            lsp::request::RegisterCapability::METHOD.to_owned(),
            params,
        );
        self.send(req.into());
    }

    fn send(&self, message: Message) {
        // The client hanging up ends the loop through the receiver.
        let _ = self.sender.send(message);
    }

    fn notify<N: lsp::notification::Notification>(&self, params: N::Params) {
        self.send(Notification::new(N::METHOD.to_owned(), params).into());
    }

    fn main_loop(&mut self, receiver: &Receiver<Message>) {
        let events = self.events.1.clone();
        loop {
            let wait = self
                .next_deadline()
                .map(|d| d.saturating_duration_since(Instant::now()))
                .unwrap_or(Duration::from_secs(3600));
            select! {
                recv(receiver) -> msg => match msg {
                    Ok(Message::Request(req)) => self.on_request(req),
                    Ok(Message::Notification(n)) => {
                        if n.method == lsp::notification::Exit::METHOD {
                            return;
                        }
                        self.on_notification(n);
                    }
                    // Answers to our registration request: nothing to do.
                    Ok(Message::Response(_)) => {}
                    Err(_) => return,
                },
                recv(events) -> event => if let Ok(event) = event {
                    self.on_event(event);
                },
                default(wait) => {}
            }
            self.start_due_jobs();
        }
    }

    fn next_deadline(&self) -> Option<Instant> {
        self.pending
            .iter()
            .filter(|(uri, _)| !self.running.contains(*uri))
            .map(|(_, &at)| at)
            .min()
    }

    // ---- requests -------------------------------------------------------

    fn on_request(&mut self, req: Request) {
        if self.shutting_down {
            let resp = Response::new_err(
                req.id,
                ErrorCode::InvalidRequest as i32,
                "the server is shutting down".to_owned(),
            );
            self.send(resp.into());
            return;
        }
        let id = req.id.clone();
        let result: Result<Value, (ErrorCode, String)> = match req.method.as_str() {
            lsp::request::Shutdown::METHOD => {
                self.shutting_down = true;
                Ok(Value::Null)
            }
            lsp::request::CodeActionRequest::METHOD => {
                params::<lsp::CodeActionParams>(req.params).map(|p| to_json(self.code_actions(&p)))
            }
            lsp::request::Completion::METHOD => {
                params::<lsp::CompletionParams>(req.params).map(|p| to_json(self.completion(&p)))
            }
            lsp::request::HoverRequest::METHOD => {
                params::<lsp::HoverParams>(req.params).map(|p| to_json(self.hover(&p)))
            }
            other => Err((
                ErrorCode::MethodNotFound,
                format!("copydesk does not handle {other}"),
            )),
        };
        let resp = match result {
            Ok(v) => Response::new_ok(id, v),
            Err((code, message)) => Response::new_err(id, code as i32, message),
        };
        self.send(resp.into());
    }

    // ---- notifications --------------------------------------------------

    fn on_notification(&mut self, n: Notification) {
        use lsp::notification as note;
        match n.method.as_str() {
            note::DidOpenTextDocument::METHOD => {
                if let Ok(p) = params::<lsp::DidOpenTextDocumentParams>(n.params) {
                    self.open(p.text_document);
                }
            }
            note::DidChangeTextDocument::METHOD => {
                if let Ok(p) = params::<lsp::DidChangeTextDocumentParams>(n.params) {
                    self.change(p);
                }
            }
            note::DidSaveTextDocument::METHOD => {
                if let Ok(p) = params::<lsp::DidSaveTextDocumentParams>(n.params) {
                    self.saved(&p.text_document.uri);
                }
            }
            note::DidCloseTextDocument::METHOD => {
                if let Ok(p) = params::<lsp::DidCloseTextDocumentParams>(n.params) {
                    self.close(&p.text_document.uri);
                }
            }
            note::DidChangeWatchedFiles::METHOD => {
                if let Ok(p) = params::<lsp::DidChangeWatchedFilesParams>(n.params) {
                    self.watched(p.changes);
                }
            }
            // `initialized`, `$/cancelRequest`, settings changes: nothing to do.
            _ => {}
        }
    }

    fn open(&mut self, item: lsp::TextDocumentItem) {
        let key = item.uri.as_str().to_owned();
        let path = uri_path(&key);
        if path.as_deref().is_some_and(is_config_file) {
            return;
        }
        let article = item.language_id == "markdown"
            || path
                .as_deref()
                .is_some_and(|p| self.config.settings.has_article_extension(p));
        self.docs.insert(
            key.clone(),
            Doc {
                uri: item.uri,
                version: item.version,
                text: item.text.into(),
                path,
                article,
            },
        );
        if article {
            self.pending.insert(key, Instant::now());
        }
    }

    fn change(&mut self, p: lsp::DidChangeTextDocumentParams) {
        let key = p.text_document.uri.as_str().to_owned();
        let Some(doc) = self.docs.get_mut(&key) else {
            return;
        };
        // Full sync: the last change holds the whole text. A ranged change
        // from a client ignoring our sync kind is applied as well.
        for change in p.content_changes {
            match change.range {
                None => doc.text = change.text.into(),
                Some(range) => {
                    let index = LineIndex::new(&doc.text);
                    let start = index.offset(range.start);
                    let end = index.offset(range.end).max(start);
                    let mut text = String::with_capacity(doc.text.len() + change.text.len());
                    text.push_str(&doc.text[..start]);
                    text.push_str(&change.text);
                    text.push_str(&doc.text[end..]);
                    doc.text = text.into();
                }
            }
        }
        doc.version = p.text_document.version;
        if doc.article {
            self.pending.insert(key, Instant::now() + DEBOUNCE);
        }
    }

    fn saved(&mut self, uri: &lsp::Uri) {
        let key = uri.as_str();
        if uri_path(key).as_deref().is_some_and(is_config_file) {
            self.config_changed();
            return;
        }
        if self.docs.get(key).is_some_and(|d| d.article) {
            self.pending.insert(key.to_owned(), Instant::now());
        }
    }

    fn close(&mut self, uri: &lsp::Uri) {
        let key = uri.as_str();
        let Some(doc) = self.docs.remove(key) else {
            return;
        };
        self.pending.remove(key);
        self.last.remove(key);
        // The editor's text no longer counts: the file on disk does again.
        if let Some(path) = &doc.path {
            let display = self.display(path);
            let entry = self.index_file(path);
            self.set_entry(&display, entry);
        }
        if self.published.remove(key).is_some() {
            self.notify::<lsp::notification::PublishDiagnostics>(lsp::PublishDiagnosticsParams {
                uri: doc.uri,
                diagnostics: Vec::new(),
                version: None,
            });
        }
    }

    fn watched(&mut self, changes: Vec<lsp::FileEvent>) {
        let mut changed = false;
        for change in changes {
            let Some(path) = uri_path(change.uri.as_str()) else {
                continue;
            };
            if is_config_file(&path) {
                self.config_changed();
                continue;
            }
            if !self.config.settings.has_article_extension(&path) {
                continue;
            }
            let display = self.display(&path);
            let open = self
                .docs
                .values()
                .any(|d| d.path.as_deref() == Some(path.as_path()));
            if open {
                continue;
            }
            let entry = if change.typ == lsp::FileChangeType::DELETED {
                None
            } else {
                self.index_file(&path)
            };
            changed |= self.set_entry_quiet(&display, entry);
        }
        if changed {
            self.relint_open(None);
        }
    }

    // ---- configuration and the workspace index -----------------------------

    fn config_changed(&mut self) {
        self.reload_config();
        self.relint_open(None);
    }

    /// Loads `copydesk.toml` (the nearest at or above the workspace). A bad
    /// file is reported on itself and the last good configuration stays.
    fn reload_config(&mut self) {
        let now = self.options.now.unwrap_or_else(jiff::Timestamp::now);
        let file = copydesk::config_file::discover(&self.workspace);
        let loaded = match &file {
            None => Ok((
                Settings::with_defaults(now),
                self.workspace.clone(),
                String::new(),
            )),
            Some(path) => load_config(path, now),
        };
        let (diagnostics, uri) = match loaded {
            Ok((settings, root, _)) => {
                self.config.settings = Arc::new(settings);
                self.config.root = root;
                (Vec::new(), file.as_deref().and_then(path_uri))
            }
            Err((text, span, message)) => {
                let index = LineIndex::new(&text);
                let d = lsp::Diagnostic {
                    range: index.range(&span),
                    severity: Some(lsp::DiagnosticSeverity::ERROR),
                    code: Some(lsp::NumberOrString::String("config".to_owned())),
                    source: Some("copydesk".to_owned()),
                    message: format!(
                        "invalid configuration: {message} (using the last valid configuration)"
                    ),
                    ..Default::default()
                };
                (vec![d], file.as_deref().and_then(path_uri))
            }
        };
        // The previous file may have been deleted: clear its diagnostics too.
        if let Some(old) = self
            .config
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
        self.config.file = file;
        self.config.generation += 1;
        self.index_workspace();
    }

    /// Indexes the content roots on a worker thread.
    fn index_workspace(&mut self) {
        let settings = Arc::clone(&self.config.settings);
        let root = self.config.root.clone();
        let workspace = self.workspace.clone();
        let generation = self.config.generation;
        let events = self.events.0.clone();
        std::thread::spawn(move || {
            let discoverer = Discoverer::new(&workspace, &root, &settings);
            let mut found = Discovered::default();
            for dir in &settings.config.content_roots {
                let dir = root.join(dir);
                if dir.is_dir() {
                    discoverer.walk(&dir, &mut found);
                }
            }
            // The result cache `copydesk check` leaves behind gives the
            // index entries of unchanged files without reading them.
            let cache = copydesk::cache::Cache::load(&root, &settings);
            let entries = found
                .targets
                .iter()
                .filter_map(|t| {
                    if let Some(entry) = cache.index(t) {
                        return entry.0;
                    }
                    let bytes = read_limited(&t.path(), settings.max_file_bytes)?;
                    IndexEntry::from_bytes(&settings, &t.display, &t.config_path, bytes)
                })
                .collect();
            let _ = events.send(Event::Indexed(generation, entries));
        });
    }

    fn display(&self, path: &Path) -> String {
        discover::relative(&discover::normalize(path), &self.workspace)
    }

    fn config_path(&self, path: &Path) -> String {
        discover::relative(&discover::normalize(path), &self.config.root)
    }

    fn index_file(&self, path: &Path) -> Option<IndexEntry> {
        let settings = &self.config.settings;
        let config_path = self.config_path(path);
        if !settings.is_selected(&config_path) {
            return None;
        }
        let bytes = read_limited(path, settings.max_file_bytes)?;
        IndexEntry::from_bytes(settings, &self.display(path), &config_path, bytes)
    }

    /// Sets an article's facts; re-lints the open documents when the
    /// facts cross-file rules read changed.
    fn set_entry(&mut self, display: &str, entry: Option<IndexEntry>) {
        if self.set_entry_quiet(display, entry) {
            self.relint_open(None);
        }
    }

    /// Sets an article's facts; returns whether they changed.
    fn set_entry_quiet(&mut self, display: &str, entry: Option<IndexEntry>) -> bool {
        let old = match entry {
            Some(mut e) => {
                e.reported = false;
                e.shed_text();
                self.corpus.insert(display.to_owned(), e)
            }
            None => self.corpus.remove(display),
        };
        let now = self.corpus.get(display);
        facts_differ(old.as_ref(), now)
    }

    fn relint_open(&mut self, except: Option<&str>) {
        let soon = Instant::now() + Duration::from_millis(20);
        for (key, doc) in &self.docs {
            if doc.article && Some(key.as_str()) != except {
                let at = self.pending.entry(key.clone()).or_insert(soon);
                *at = (*at).min(soon);
            }
        }
    }

    // ---- linting ------------------------------------------------------------

    fn on_event(&mut self, event: Event) {
        match event {
            Event::Indexed(generation, entries) => {
                if generation != self.config.generation {
                    return;
                }
                let open: HashSet<String> = self
                    .docs
                    .values()
                    .filter_map(|d| d.path.as_deref().map(|p| self.display(p)))
                    .collect();
                // Open documents keep the editor's facts.
                self.corpus.retain(|k, _| open.contains(k));
                for e in entries {
                    if !open.contains(&*e.path) {
                        self.corpus.insert(e.path.to_string(), e);
                    }
                }
                self.relint_open(None);
            }
            Event::Linted(done) => self.on_linted(*done),
        }
    }

    fn job(&self, key: &str) -> Option<Job> {
        let doc = self.docs.get(key)?;
        let (display, config_path) = match &doc.path {
            Some(p) => (self.display(p), self.config_path(p)),
            None => (key.to_owned(), key.to_owned()),
        };
        let context = self
            .corpus
            .iter()
            .filter(|(k, _)| **k != display)
            .map(|(_, e)| e.clone())
            .collect();
        let open = self
            .docs
            .values()
            .filter_map(|d| Some((self.display(d.path.as_deref()?), Arc::clone(&d.text))))
            .collect();
        Some(Job {
            uri: key.to_owned(),
            version: doc.version,
            display,
            config_path,
            text: Arc::clone(&doc.text),
            settings: Arc::clone(&self.config.settings),
            now: self.options.now,
            context,
            open,
            root: self.workspace.clone(),
        })
    }

    fn start_due_jobs(&mut self) {
        let now = Instant::now();
        let mut due: Vec<(Instant, String)> = self
            .pending
            .iter()
            .filter(|(k, &at)| at <= now && !self.running.contains(*k))
            .map(|(k, &at)| (at, k.clone()))
            .collect();
        due.sort();
        for (_, key) in due {
            if self.running.len() >= self.max_jobs {
                break;
            }
            self.pending.remove(&key);
            let Some(job) = self.job(&key) else {
                continue;
            };
            self.running.insert(key);
            let events = self.events.0.clone();
            std::thread::spawn(move || {
                let done = run_job(job);
                let _ = events.send(Event::Linted(Box::new(done)));
            });
        }
    }

    fn on_linted(&mut self, done: Linted) {
        self.running.remove(&done.uri);
        let Some(doc) = self.docs.get(&done.uri) else {
            return;
        };
        if doc.version != done.version || self.pending.contains_key(&done.uri) {
            // A newer text is waiting; its lint will publish.
            return;
        }
        let uri = doc.uri.clone();
        let path = doc.path.clone();
        let diagnostics = self.to_lsp_all(&uri, &done.text, &done.diagnostics);
        self.publish_raw(uri, diagnostics, Some(done.version));
        self.last.insert(
            done.uri.clone(),
            LastLint {
                version: done.version,
                text: done.text,
                diagnostics: done.diagnostics,
            },
        );
        if let Some(path) = path {
            let display = self.display(&path);
            if self.set_entry_quiet(&display, done.entry) {
                // This file's facts changed: other files' duplicates may have.
                self.relint_open(Some(&done.uri));
            }
        }
    }

    /// Publishes diagnostics when they differ from the last published.
    fn publish_raw(
        &mut self,
        uri: lsp::Uri,
        diagnostics: Vec<lsp::Diagnostic>,
        version: Option<i32>,
    ) {
        let key = uri.as_str().to_owned();
        if self.published.get(&key) == Some(&diagnostics) {
            return;
        }
        self.published.insert(key, diagnostics.clone());
        self.notify::<lsp::notification::PublishDiagnostics>(lsp::PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        });
    }

    fn uri_of(&self, display: &str) -> Option<lsp::Uri> {
        let path = self.workspace.join(display);
        self.docs
            .values()
            .find(|d| d.path.as_deref() == Some(path.as_path()))
            .map(|d| d.uri.clone())
            .or_else(|| path_uri(&path))
    }

    fn to_lsp_all(
        &self,
        uri: &lsp::Uri,
        text: &str,
        diagnostics: &[copydesk_lint::Diagnostic],
    ) -> Vec<lsp::Diagnostic> {
        let index = LineIndex::new(text);
        diagnostics
            .iter()
            .map(|d| self.to_lsp(uri, &index, d))
            .collect()
    }

    fn to_lsp(
        &self,
        uri: &lsp::Uri,
        index: &LineIndex<'_>,
        d: &copydesk_lint::Diagnostic,
    ) -> lsp::Diagnostic {
        let related: Vec<lsp::DiagnosticRelatedInformation> = d
            .related
            .iter()
            .filter_map(|r| {
                let (uri, range) = if r.source.path == d.source.path {
                    (uri.clone(), index.range(&r.span))
                } else {
                    let other = LineIndex::new(&r.source.text);
                    (self.uri_of(&r.source.path)?, other.range(&r.span))
                };
                Some(lsp::DiagnosticRelatedInformation {
                    location: lsp::Location { uri, range },
                    message: r.message.clone(),
                })
            })
            .collect();
        let message = match &d.help {
            Some(help) => format!("{}\nhelp: {help}", d.message),
            None => d.message.clone(),
        };
        lsp::Diagnostic {
            range: index.range(&d.span),
            severity: Some(match d.severity {
                Severity::Error => lsp::DiagnosticSeverity::ERROR,
                Severity::Warning => lsp::DiagnosticSeverity::WARNING,
            }),
            code: Some(lsp::NumberOrString::String(d.code.to_owned())),
            code_description: copydesk::render::sarif::help_uri(d.code)
                .parse()
                .ok()
                .map(|href| lsp::CodeDescription { href }),
            source: Some("copydesk".to_owned()),
            message,
            related_information: (!related.is_empty()).then_some(related),
            ..Default::default()
        }
    }

    /// The lint of the document's current text: the last one when it is
    /// current, else a fresh one (a request must answer for the text the
    /// client has).
    fn current_lint(&mut self, key: &str) -> Option<(Arc<str>, Vec<copydesk_lint::Diagnostic>)> {
        let doc = self.docs.get(key)?;
        if !doc.article {
            return None;
        }
        if let Some(last) = self.last.get(key).filter(|l| l.version == doc.version) {
            return Some((Arc::clone(&last.text), last.diagnostics.clone()));
        }
        let job = self.job(key)?;
        let done = run_job(job);
        Some((done.text, done.diagnostics))
    }

    // ---- code actions ---------------------------------------------------------

    fn code_actions(&mut self, p: &lsp::CodeActionParams) -> Vec<lsp::CodeActionOrCommand> {
        let key = p.text_document.uri.as_str().to_owned();
        let Some((text, diagnostics)) = self.current_lint(&key) else {
            return Vec::new();
        };
        let uri = p.text_document.uri.clone();
        let wants = |kind: &str| {
            p.context.only.as_ref().is_none_or(|only| {
                only.iter()
                    .any(|o| kind == o.as_str() || kind.starts_with(&format!("{}.", o.as_str())))
            })
        };
        let index = LineIndex::new(&text);
        let mut actions = Vec::new();
        if wants(lsp::CodeActionKind::QUICKFIX.as_str()) {
            for d in &diagnostics {
                let lsp_d = self.to_lsp(&uri, &index, d);
                if !overlaps(&lsp_d.range, &p.range) {
                    continue;
                }
                if let Some(fix) = &d.fix {
                    let edits = fix
                        .edits
                        .iter()
                        .map(|e| lsp::TextEdit {
                            range: index.range(&e.range),
                            new_text: e.replacement.clone(),
                        })
                        .collect();
                    let unsafe_note = match fix.applicability {
                        Applicability::Safe => "",
                        Applicability::Unsafe => " (unsafe: check the result)",
                    };
                    actions.push(action(
                        format!("{}{unsafe_note}", fix.message),
                        lsp::CodeActionKind::QUICKFIX,
                        vec![lsp_d.clone()],
                        &uri,
                        edits,
                        fix.applicability == Applicability::Safe,
                    ));
                }
                if let Some(edit) = self.suppression_edit(&key, &text, &diagnostics, d) {
                    actions.push(action(
                        format!("Ignore `{}` here (copydesk: ignore)", d.code),
                        lsp::CodeActionKind::QUICKFIX,
                        vec![lsp_d],
                        &uri,
                        vec![lsp::TextEdit {
                            range: index.range(&edit.range),
                            new_text: edit.replacement,
                        }],
                        false,
                    ));
                }
            }
        }
        if wants(FIX_ALL_KIND) {
            if let Some(job) = self.job(&key) {
                let out = fix::fix_text(
                    &job.settings,
                    &job.display,
                    &job.config_path,
                    text.to_string(),
                    FixMode::Safe,
                );
                if out.applied > 0 && out.text != *text {
                    let edit = lsp::TextEdit {
                        range: lsp::Range::new(lsp::Position::new(0, 0), index.end()),
                        new_text: out.text,
                    };
                    actions.push(action(
                        "Apply every safe copydesk fix".to_owned(),
                        lsp::CodeActionKind::new(FIX_ALL_KIND),
                        Vec::new(),
                        &uri,
                        vec![edit],
                        false,
                    ));
                }
            }
        }
        actions
    }

    /// The edit inserting `# copydesk: ignore[code]` that silences `d`:
    /// at the end of the finding's line, or of an enclosing key's line,
    /// whichever is the first that, once linted, really silences it.
    fn suppression_edit(
        &self,
        key: &str,
        text: &str,
        diagnostics: &[copydesk_lint::Diagnostic],
        d: &copydesk_lint::Diagnostic,
    ) -> Option<copydesk_lint::Edit> {
        let fm = copydesk_schema::frontmatter::split(text).ok()?;
        // JSON has no comments to hold a suppression.
        if fm.format == copydesk_schema::Format::Json
            || d.span.start < fm.yaml.start
            || d.span.start > fm.yaml.end
        {
            return None;
        }
        let index = LineIndex::new(text);
        let count = |ds: &[copydesk_lint::Diagnostic]| {
            (
                ds.iter().filter(|x| x.code == d.code).count(),
                ds.iter().filter(|x| x.code == "suppression/unused").count(),
            )
        };
        let (before, unused_before) = count(diagnostics);
        let mut line = index.line_of(d.span.start);
        let mut indent = usize::MAX;
        let first = index.line_of(fm.yaml.start);
        let mut tries = 0;
        while line >= first && tries < 4 {
            let range = index.line_range(line);
            let t = &text[range.clone()];
            let this_indent = t.len() - t.trim_start().len();
            let is_key = !t.trim().is_empty() && !t.trim_start().starts_with('#');
            if is_key && this_indent < indent {
                indent = this_indent;
                tries += 1;
                let edit = insertion(t, range.clone(), d.code);
                let mut candidate = String::with_capacity(text.len() + 40);
                candidate.push_str(&text[..edit.range.start]);
                candidate.push_str(&edit.replacement);
                candidate.push_str(&text[edit.range.end..]);
                let mut job = self.job(key)?;
                job.text = candidate.into();
                let after = run_job(job).diagnostics;
                let (n, unused) = count(&after);
                if n < before && unused <= unused_before {
                    return Some(edit);
                }
            }
            if line == 0 {
                break;
            }
            line -= 1;
        }
        None
    }

    // ---- completion and hover ---------------------------------------------------

    fn completion(&self, p: &lsp::CompletionParams) -> Option<lsp::CompletionResponse> {
        let doc = self
            .docs
            .get(p.text_document_position.text_document.uri.as_str())?;
        if !doc.article {
            return None;
        }
        let offset = LineIndex::new(&doc.text).offset(p.text_document_position.position);
        let place = front_matter::place(&doc.text, offset)?;
        let before = place.before.trim_start();
        let before = before.strip_prefix("- ").unwrap_or(before).trim_start();
        let items: Vec<lsp::CompletionItem> = match before.split_once(':') {
            // A value after `key:`.
            Some((k, _)) => {
                let mut path = place.parents.clone();
                path.push(k.trim().to_owned());
                front_matter::values_for(
                    self.config.settings.contract().schema(),
                    &self.config.settings,
                    &path,
                )
                .into_iter()
                .map(|v| lsp::CompletionItem {
                    label: v,
                    kind: Some(lsp::CompletionItemKind::ENUM_MEMBER),
                    ..Default::default()
                })
                .collect()
            }
            // A key being typed.
            None if before
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_') =>
            {
                front_matter::keys_at(self.config.settings.contract().schema(), &place.parents)
                    .into_iter()
                    .map(|(k, node)| lsp::CompletionItem {
                        label: k.to_owned(),
                        kind: Some(lsp::CompletionItemKind::PROPERTY),
                        detail: node
                            .get("type")
                            .map(|t| t.to_string().trim_matches('"').to_owned()),
                        documentation: front_matter::description(node).map(|d| {
                            lsp::Documentation::MarkupContent(lsp::MarkupContent {
                                kind: lsp::MarkupKind::Markdown,
                                value: d.to_owned(),
                            })
                        }),
                        insert_text: Some(format!("{k}: ")),
                        ..Default::default()
                    })
                    .collect()
            }
            None => Vec::new(),
        };
        Some(lsp::CompletionResponse::Array(items))
    }

    fn hover(&mut self, p: &lsp::HoverParams) -> Option<lsp::Hover> {
        let key = p
            .text_document_position_params
            .text_document
            .uri
            .as_str()
            .to_owned();
        let position = p.text_document_position_params.position;
        let (text, diagnostics) = self.current_lint(&key)?;
        let index = LineIndex::new(&text);
        let offset = index.offset(position);
        // A finding under the cursor: its rule's documentation.
        let mut docs = Vec::new();
        let mut range = None;
        for d in &diagnostics {
            if d.span.start <= offset && offset <= d.span.end && !docs.contains(&d.code) {
                docs.push(d.code);
                range.get_or_insert_with(|| index.range(&d.span));
            }
        }
        if !docs.is_empty() {
            let value = docs
                .iter()
                .filter_map(|code| copydesk_lint::registry::find(code))
                .map(|rule| {
                    let m = rule.meta();
                    format!(
                        "### {} ({})\n\n{}",
                        m.code,
                        m.default_severity,
                        m.documentation()
                    )
                })
                .collect::<Vec<_>>()
                .join("\n\n---\n\n");
            return Some(markdown_hover(value, range));
        }
        // A key: its description in the schema.
        let place = front_matter::place(&text, offset)?;
        let (name, span) = place.key?;
        if offset < span.start || offset > span.end {
            return None;
        }
        let mut path = place.parents;
        path.push(name);
        let node = front_matter::schema_at(self.config.settings.contract().schema(), &path)?;
        let description = front_matter::description(node)?;
        Some(markdown_hover(
            format!("`{}`\n\n{description}", path.join(".")),
            Some(index.range(&span)),
        ))
    }
}

fn markdown_hover(value: String, range: Option<lsp::Range>) -> lsp::Hover {
    lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value,
        }),
        range,
    }
}

/// Where to insert a suppression for `code` on the line `range` (text `t`):
/// into an existing `# copydesk: ignore[...]` list, else at the line's end.
fn insertion(t: &str, range: std::ops::Range<usize>, code: &str) -> copydesk_lint::Edit {
    if let Some(at) = t.find("# copydesk: ignore[") {
        if let Some(close) = t[at..].find(']') {
            let pos = range.start + at + close;
            return copydesk_lint::Edit {
                range: pos..pos,
                replacement: format!(", {code}"),
            };
        }
    }
    let end = range.start + t.trim_end().len();
    copydesk_lint::Edit {
        range: end..end,
        replacement: format!(" # copydesk: ignore[{code}]"),
    }
}

// lsp-types keys WorkspaceEdit changes by Uri, whose cached parse data
// trips clippy; the key is never mutated.
#[allow(clippy::mutable_key_type)]
fn action(
    title: String,
    kind: lsp::CodeActionKind,
    diagnostics: Vec<lsp::Diagnostic>,
    uri: &lsp::Uri,
    edits: Vec<lsp::TextEdit>,
    preferred: bool,
) -> lsp::CodeActionOrCommand {
    let mut changes = HashMap::new();
    changes.insert(uri.clone(), edits);
    lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
        title,
        kind: Some(kind),
        diagnostics: (!diagnostics.is_empty()).then_some(diagnostics),
        edit: Some(lsp::WorkspaceEdit {
            changes: Some(changes),
            ..Default::default()
        }),
        is_preferred: preferred.then_some(true),
        ..Default::default()
    })
}

/// Whether two ranges share a position (touching counts: a cursor just
/// after a finding is on it).
fn overlaps(a: &lsp::Range, b: &lsp::Range) -> bool {
    let key = |p: &lsp::Position| (p.line, p.character);
    key(&a.start) <= key(&b.end) && key(&b.start) <= key(&a.end)
}

/// The facts cross-file rules compare, to tell whether re-linting others
/// can change anything.
/// Whether two entries of one file differ in what cross-file rules compare.
fn facts_differ(old: Option<&IndexEntry>, new: Option<&IndexEntry>) -> bool {
    match (old, new) {
        (Some(a), Some(b)) => !a.facts.same_values(&b.facts),
        (None, None) => false,
        _ => true,
    }
}

fn run_job(job: Job) -> Linted {
    let settings = match job.now {
        Some(_) => job.settings,
        None => {
            // A long-running server must not freeze "now" at start-up.
            let mut s = (*job.settings).clone();
            s.now = jiff::Timestamp::now();
            Arc::new(s)
        }
    };
    let report = copydesk_lint::lint_text(
        &settings,
        &job.display,
        &job.config_path,
        job.text.to_string(),
    );
    let entry = report.index.clone();
    let open = job.open;
    let root = job.root;
    let loader: Box<copydesk_lint::corpus::SourceLoader> = Box::new(move |display: &str| {
        let text: Arc<str> = match open.get(display) {
            Some(t) => Arc::clone(t),
            None => std::fs::read_to_string(root.join(display)).ok()?.into(),
        };
        Some(Arc::new(SourceFile::new(display, text)))
    });
    let diagnostics =
        copydesk_lint::lint::finish_with_loader(&settings, vec![report], job.context, Some(loader));
    Linted {
        uri: job.uri,
        version: job.version,
        text: job.text,
        diagnostics,
        entry,
    }
}

fn is_config_file(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n == copydesk::config_file::FILE_NAME)
}

fn read_limited(path: &Path, limit: u64) -> Option<Vec<u8>> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > limit {
        return None;
    }
    std::fs::read(path).ok()
}

/// A configuration file's text, the bad span in it, and what is wrong.
type ConfigError = (String, std::ops::Range<usize>, String);

/// A config file's settings and root, or what is wrong with it.
fn load_config(
    path: &Path,
    now: jiff::Timestamp,
) -> Result<(Settings, PathBuf, String), ConfigError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| (String::new(), 0..0, format!("cannot read it: {e}")))?;
    let config: Config = match toml::from_str(&text) {
        Ok(c) => c,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            let message = e.message().trim_end().to_owned();
            return Err((text, span, message));
        }
    };
    let root = path
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    match Settings::new(config, now).and_then(|s| s.with_contract_file(&root)) {
        Ok(settings) => Ok((settings, root, text)),
        Err(e) => {
            let span = copydesk::config_file::key_span(&text, &e.key_path);
            Err((text, span, e.message))
        }
    }
}

fn params<P: serde::de::DeserializeOwned>(value: Value) -> Result<P, (ErrorCode, String)> {
    serde_json::from_value(value).map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
}

fn to_json<T: serde::Serialize>(value: T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}
