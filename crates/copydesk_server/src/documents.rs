//! The open documents: opened, edited, saved and closed by the client.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use lsp_types as lsp;

use crate::main_loop::Server;
use crate::position::LineIndex;
use crate::workspace::is_config_file;
use crate::DEBOUNCE;

/// An open document.
pub(crate) struct Doc {
    pub(crate) uri: lsp::Uri,
    pub(crate) version: i32,
    pub(crate) text: Arc<str>,
    /// Where it is on disk, for `file:` URIs.
    pub(crate) path: Option<PathBuf>,
    /// Whether it is an article (markdown) the server lints.
    pub(crate) article: bool,
}

/// The file path of a `file:` URI.
pub(crate) fn uri_path(uri: &str) -> Option<PathBuf> {
    url::Url::parse(uri).ok()?.to_file_path().ok()
}

/// The `file:` URI of a path.
pub(crate) fn path_uri(path: &Path) -> Option<lsp::Uri> {
    url::Url::from_file_path(path).ok()?.as_str().parse().ok()
}

impl Server {
    pub(crate) fn open(&mut self, item: lsp::TextDocumentItem) {
        let key = item.uri.as_str().to_owned();
        let path = uri_path(&key);
        if path.as_deref().is_some_and(is_config_file) {
            return;
        }
        let article = item.language_id == "markdown"
            || path
                .as_deref()
                .is_some_and(|p| self.workspace.settings().has_article_extension(p));
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

    pub(crate) fn change(&mut self, p: lsp::DidChangeTextDocumentParams) {
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

    pub(crate) fn saved(&mut self, uri: &lsp::Uri) {
        let key = uri.as_str();
        if uri_path(key).as_deref().is_some_and(is_config_file) {
            self.config_changed();
            return;
        }
        if self.docs.get(key).is_some_and(|d| d.article) {
            self.pending.insert(key.to_owned(), Instant::now());
        }
    }

    pub(crate) fn close(&mut self, uri: &lsp::Uri) {
        let key = uri.as_str();
        let Some(doc) = self.docs.remove(key) else {
            return;
        };
        self.pending.remove(key);
        self.last.remove(key);
        // The editor's text no longer counts: the file on disk does again.
        if let Some(path) = &doc.path {
            let display = self.workspace.session.display(path);
            let entry = self.workspace.session.index_file(path);
            if self.workspace.set_entry(&display, entry) {
                self.relint_open(None);
            }
        }
        if self.published.remove(key).is_some() {
            self.notify::<lsp::notification::PublishDiagnostics>(lsp::PublishDiagnosticsParams {
                uri: doc.uri,
                diagnostics: Vec::new(),
                version: None,
            });
        }
    }

    /// Whether an open document is the file at `path`.
    pub(crate) fn is_open(&self, path: &Path) -> bool {
        self.docs.values().any(|d| d.path.as_deref() == Some(path))
    }

    /// The display paths of the open documents on disk whose facts in the
    /// index are the editor's: those linted since they were opened.
    pub(crate) fn linted_displays(&self) -> Vec<String> {
        self.docs
            .iter()
            .filter(|(key, _)| self.last.contains_key(*key))
            .filter_map(|(_, d)| d.path.as_deref().map(|p| self.workspace.session.display(p)))
            .collect()
    }

    /// The editor's texts of the open documents on disk, by display path:
    /// what a cross-file finding quoting them shows.
    pub(crate) fn open_texts(&self) -> std::collections::HashMap<String, Arc<str>> {
        self.docs
            .values()
            .filter_map(|d| {
                let display = self.workspace.session.display(d.path.as_deref()?);
                Some((display, Arc::clone(&d.text)))
            })
            .collect()
    }
}
