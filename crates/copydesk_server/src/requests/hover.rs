//! `textDocument/hover`: a finding's rule documentation, or a key's
//! description in the article schema.

use lsp_server::RequestId;
use lsp_types as lsp;

use super::Snapshot;
use crate::front_matter;
use crate::main_loop::{to_json, Server};
use crate::position::LineIndex;

impl Server {
    /// Answers a hover request: at once when the document's last lint is
    /// current, else from a worker that lints it.
    pub(crate) fn hover(&mut self, id: RequestId, p: lsp::HoverParams) {
        let key = p.text_document_position_params.text_document.uri.as_str();
        let position = p.text_document_position_params.position;
        let Some(snapshot) = self.snapshot(key) else {
            return self
                .send(crate::main_loop::response(id, Ok(to_json(None::<lsp::Hover>))).into());
        };
        if snapshot.last.is_some() {
            let hover = snapshot.hover(position);
            return self.send(crate::main_loop::response(id, Ok(to_json(hover))).into());
        }
        self.answer_on_worker(id, move || to_json(snapshot.hover(position)));
    }
}

impl Snapshot {
    fn hover(&self, position: lsp::Position) -> Option<lsp::Hover> {
        let (text, diagnostics) = self.current_lint();
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
        let node = front_matter::schema_at(&self.schema, &path)?;
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
