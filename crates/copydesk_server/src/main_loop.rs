//! The server's state, the message loop, dispatch and lint scheduling.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use crossbeam_channel::{select, Receiver, Sender};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types as lsp;
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use serde_json::Value;

use crate::documents::Doc;
use crate::lint::{LastLint, Linted};
use crate::workspace::Workspace;
use crate::{Options, FIX_ALL_KIND};

/// What the worker threads send back to the loop.
pub(crate) enum Event {
    /// A document was linted.
    Linted(Box<Linted>),
    /// The workspace's articles were indexed (for config generation `.0`);
    /// `None` when indexing failed.
    Indexed(u64, Option<Box<copydesk_workspace::session::Corpus>>),
}

/// Everything the loop owns.
pub(crate) struct Server {
    pub(crate) sender: Sender<Message>,
    pub(crate) options: Options,
    /// The configuration in force and the corpus index.
    pub(crate) workspace: Workspace,
    /// The open documents, by URI.
    pub(crate) docs: HashMap<String, Doc>,
    /// Documents waiting to be linted, and from when.
    pub(crate) pending: HashMap<String, Instant>,
    /// Documents being linted now (one job per document at a time).
    pub(crate) running: HashSet<String>,
    pub(crate) last: HashMap<String, LastLint>,
    pub(crate) published: HashMap<String, Vec<lsp::Diagnostic>>,
    pub(crate) events: (Sender<Event>, Receiver<Event>),
    pub(crate) next_id: i32,
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

impl Server {
    fn new(sender: Sender<Message>, options: Options, init: &lsp::InitializeParams) -> Self {
        let now = options.now.unwrap_or_else(jiff::Timestamp::now);
        let max_jobs = std::thread::available_parallelism().map_or(2, |n| n.get().max(2));
        let mut server = Server {
            sender,
            options,
            workspace: Workspace::new(init, now),
            docs: HashMap::new(),
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

    pub(crate) fn send(&self, message: Message) {
        // The client hanging up ends the loop through the receiver.
        let _ = self.sender.send(message);
    }

    pub(crate) fn notify<N: lsp::notification::Notification>(&self, params: N::Params) {
        self.send(Notification::new(N::METHOD.to_owned(), params).into());
    }

    /// Sends a request of our own to the client.
    pub(crate) fn request<R: lsp::request::Request>(&mut self, params: R::Params) {
        self.next_id += 1;
        let req = Request::new(
            RequestId::from(format!("copydesk-{}", self.next_id)),
            R::METHOD.to_owned(),
            params,
        );
        self.send(req.into());
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
            // Answered from a worker thread: they may need a lint.
            lsp::request::CodeActionRequest::METHOD => {
                match params::<lsp::CodeActionParams>(req.params) {
                    Ok(p) => return self.code_actions(id, p),
                    Err(e) => Err(e),
                }
            }
            lsp::request::HoverRequest::METHOD => match params::<lsp::HoverParams>(req.params) {
                Ok(p) => return self.hover(id, p),
                Err(e) => Err(e),
            },
            lsp::request::Completion::METHOD => {
                params::<lsp::CompletionParams>(req.params).map(|p| to_json(self.completion(&p)))
            }
            other => Err((
                ErrorCode::MethodNotFound,
                format!("copydesk does not handle {other}"),
            )),
        };
        self.respond(id, result);
    }

    fn respond(&self, id: RequestId, result: Result<Value, (ErrorCode, String)>) {
        self.send(response(id, result).into());
    }

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

    fn on_event(&mut self, event: Event) {
        match event {
            Event::Indexed(generation, entries) => self.on_indexed(generation, entries),
            Event::Linted(done) => self.on_linted(*done),
        }
    }

    // ---- scheduling -----------------------------------------------------

    fn next_deadline(&self) -> Option<Instant> {
        if let Some(until) = self.workspace.waiting(Instant::now()) {
            return Some(until);
        }
        self.pending
            .iter()
            .filter(|(uri, _)| !self.running.contains(*uri))
            .map(|(_, &at)| at)
            .min()
    }

    /// Schedules every open article (but `except`) for a lint soon.
    pub(crate) fn relint_open(&mut self, except: Option<&str>) {
        let soon = Instant::now() + Duration::from_millis(20);
        for (key, doc) in &self.docs {
            if doc.article && Some(key.as_str()) != except {
                let at = self.pending.entry(key.clone()).or_insert(soon);
                *at = (*at).min(soon);
            }
        }
    }

    /// Starts the lint jobs that are due, up to the number of cores; none
    /// while the first index is awaited (see `Workspace::waiting`).
    fn start_due_jobs(&mut self) {
        let now = Instant::now();
        if self.workspace.waiting(now).is_some() {
            return;
        }
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
                let done = job.run();
                let _ = events.send(Event::Linted(Box::new(done)));
            });
        }
    }

    /// Publishes diagnostics when they differ from the last published.
    pub(crate) fn publish_raw(
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
}

/// The response to request `id`.
pub(crate) fn response(id: RequestId, result: Result<Value, (ErrorCode, String)>) -> Response {
    match result {
        Ok(v) => Response::new_ok(id, v),
        Err((code, message)) => Response::new_err(id, code as i32, message),
    }
}

fn params<P: serde::de::DeserializeOwned>(value: Value) -> Result<P, (ErrorCode, String)> {
    serde_json::from_value(value).map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
}

pub(crate) fn to_json<T: serde::Serialize>(value: T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}
