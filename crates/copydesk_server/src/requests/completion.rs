//! `textDocument/completion`: keys and values in the front matter, from
//! the article schema and the configuration.

use lsp_types as lsp;

use crate::front_matter;
use crate::main_loop::Server;
use crate::position::LineIndex;

impl Server {
    pub(crate) fn completion(&self, p: &lsp::CompletionParams) -> Option<lsp::CompletionResponse> {
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
                    self.workspace.settings().contract().schema(),
                    self.workspace.settings(),
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
                front_matter::keys_at(
                    self.workspace.settings().contract().schema(),
                    &place.parents,
                )
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
}
