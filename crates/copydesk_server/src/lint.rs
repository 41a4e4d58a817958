//! Lint jobs (a document against a snapshot of the corpus index, on a
//! worker thread) and their findings as protocol diagnostics.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use copydesk_lint::corpus::IndexEntry;
use copydesk_lint::{Diagnostic, Severity};
use copydesk_workspace::session::{Session, SharedCorpus};
use lsp_types as lsp;

use crate::documents::path_uri;
use crate::main_loop::Server;
use crate::position::LineIndex;

/// The outcome of linting one version of one document.
pub(crate) struct Linted {
    pub(crate) uri: String,
    pub(crate) version: i32,
    pub(crate) text: Arc<str>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) entry: Option<IndexEntry>,
}

/// The last lint of a document, for code actions and hover.
pub(crate) struct LastLint {
    pub(crate) version: i32,
    pub(crate) text: Arc<str>,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// What a lint of one document needs, owned, so it can run on another
/// thread: the corpus index is shared, not copied.
#[derive(Clone)]
pub(crate) struct Job {
    pub(crate) uri: String,
    pub(crate) version: i32,
    pub(crate) display: String,
    pub(crate) config_path: String,
    pub(crate) text: Arc<str>,
    pub(crate) session: Session,
    /// Whether "now" is the clock (no `--now`).
    pub(crate) clock: bool,
    pub(crate) corpus: Arc<SharedCorpus>,
    pub(crate) open: HashMap<String, Arc<str>>,
}

impl Job {
    /// The session to lint in: a long-running server must not freeze "now"
    /// at start-up.
    pub(crate) fn session(&self) -> Session {
        if !self.clock {
            return self.session.clone();
        }
        let mut settings = (*self.session.settings).clone();
        settings.now = jiff::Timestamp::now();
        Session {
            settings: Arc::new(settings),
            ..self.session.clone()
        }
    }

    /// Lints the document.
    pub(crate) fn run(self) -> Linted {
        let (diagnostics, entry) = self.session().lint(
            &self.display,
            &self.config_path,
            &self.text,
            &self.corpus,
            self.open,
        );
        Linted {
            uri: self.uri,
            version: self.version,
            text: self.text,
            diagnostics,
            entry,
        }
    }
}

/// Where the files findings point at are, for related locations.
#[derive(Clone)]
pub(crate) struct Uris {
    folder: PathBuf,
    open: Vec<(PathBuf, lsp::Uri)>,
}

impl Uris {
    /// The URI of the file shown as `display`: the open document's, else
    /// its `file:` URI.
    fn uri_of(&self, display: &str) -> Option<lsp::Uri> {
        let path = self.folder.join(display);
        self.open
            .iter()
            .find(|(p, _)| *p == path)
            .map(|(_, uri)| uri.clone())
            .or_else(|| path_uri(&path))
    }

    /// `diagnostics` of the document `uri` (whose text is `text`).
    pub(crate) fn to_lsp_all(
        &self,
        uri: &lsp::Uri,
        text: &str,
        diagnostics: &[Diagnostic],
    ) -> Vec<lsp::Diagnostic> {
        let index = LineIndex::new(text);
        diagnostics
            .iter()
            .map(|d| self.to_lsp(uri, &index, d))
            .collect()
    }

    /// One finding of the document `uri` as a protocol diagnostic.
    pub(crate) fn to_lsp(
        &self,
        uri: &lsp::Uri,
        index: &LineIndex<'_>,
        d: &Diagnostic,
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
        let href = copydesk_lint::registry::find(d.code).map(|rule| rule.meta().docs_url());
        lsp::Diagnostic {
            range: index.range(&d.span),
            severity: Some(match d.severity {
                Severity::Error => lsp::DiagnosticSeverity::ERROR,
                Severity::Warning => lsp::DiagnosticSeverity::WARNING,
            }),
            code: Some(lsp::NumberOrString::String(d.code.to_owned())),
            code_description: href
                .and_then(|href| href.parse().ok())
                .map(|href| lsp::CodeDescription { href }),
            source: Some("copydesk".to_owned()),
            message,
            related_information: (!related.is_empty()).then_some(related),
            ..Default::default()
        }
    }
}

impl Server {
    /// The lint job of an open document.
    pub(crate) fn job(&self, key: &str) -> Option<Job> {
        let doc = self.docs.get(key)?;
        let session = &self.workspace.session;
        let (display, config_path) = match &doc.path {
            Some(p) => (session.display(p), session.config_path(p)),
            None => (key.to_owned(), key.to_owned()),
        };
        Some(Job {
            uri: key.to_owned(),
            version: doc.version,
            display,
            config_path,
            text: Arc::clone(&doc.text),
            session: session.clone(),
            clock: self.options.now.is_none(),
            corpus: Arc::clone(&self.workspace.corpus),
            open: self.open_texts(),
        })
    }

    /// Where the open documents are.
    pub(crate) fn uris(&self) -> Uris {
        Uris {
            folder: self.workspace.session.cwd.clone(),
            open: self
                .docs
                .values()
                .filter_map(|d| Some((d.path.clone()?, d.uri.clone())))
                .collect(),
        }
    }

    pub(crate) fn on_linted(&mut self, done: Linted) {
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
        let diagnostics = self.uris().to_lsp_all(&uri, &done.text, &done.diagnostics);
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
            let display = self.workspace.session.display(&path);
            if self.workspace.set_entry(&display, done.entry) {
                // This file's facts changed: other files' duplicates may have.
                self.relint_open(Some(&done.uri));
            }
        }
    }
}
