//! One module per request kind. A request that may need a lint (hover,
//! code actions) is answered from a worker thread, against a snapshot of
//! the document and the shared corpus index: the message loop never lints.

mod code_action;
mod completion;
mod hover;

use std::sync::Arc;

use copydesk_lint::Diagnostic;
use lsp_server::RequestId;
use serde_json::Value;

use crate::lint::{Job, Uris};
use crate::main_loop::{response, Server};

/// What answering a request about one document needs, owned.
pub(crate) struct Snapshot {
    job: Job,
    /// The document's last lint, when it is of its current text.
    last: Option<(Arc<str>, Vec<Diagnostic>)>,
    uris: Uris,
    schema: Arc<Value>,
}

impl Snapshot {
    /// The lint of the document's current text: the last one when it is
    /// current, else a fresh one (a request must answer for the text the
    /// client has).
    fn current_lint(&self) -> (Arc<str>, Vec<Diagnostic>) {
        if let Some(last) = &self.last {
            return last.clone();
        }
        let done = self.job.clone().run();
        (done.text, done.diagnostics)
    }
}

impl Server {
    /// A snapshot of the open article `key`; `None` for anything else.
    fn snapshot(&self, key: &str) -> Option<Snapshot> {
        let doc = self.docs.get(key).filter(|d| d.article)?;
        let last = self
            .last
            .get(key)
            .filter(|l| l.version == doc.version)
            .map(|l| (Arc::clone(&l.text), l.diagnostics.clone()));
        Some(Snapshot {
            job: self.job(key)?,
            last,
            uris: self.uris(),
            // The configured contract (a newsroom's own schema, or the built-in).
            schema: Arc::new(self.workspace.settings().contract().schema().clone()),
        })
    }

    /// Answers request `id` with what `work` computes, on a worker thread.
    fn answer_on_worker(&self, id: RequestId, work: impl FnOnce() -> Value + Send + 'static) {
        let sender = self.sender.clone();
        std::thread::spawn(move || {
            let _ = sender.send(response(id, Ok(work())).into());
        });
    }
}
