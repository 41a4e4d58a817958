//! `textDocument/codeAction`: each finding's fix, a suppression comment
//! for it, and every safe fix of the file at once.

use std::collections::HashMap;

use copydesk_lint::fix::{self, FixMode};
use copydesk_lint::Applicability;
use lsp_server::RequestId;
use lsp_types as lsp;

use super::Snapshot;
use crate::main_loop::{response, to_json, Server};
use crate::position::LineIndex;
use crate::FIX_ALL_KIND;

impl Server {
    /// Answers a code action request from a worker (placing a suppression
    /// and fixing the whole file parse and lint).
    pub(crate) fn code_actions(&mut self, id: RequestId, p: lsp::CodeActionParams) {
        let Some(snapshot) = self.snapshot(p.text_document.uri.as_str()) else {
            let none: Vec<lsp::CodeActionOrCommand> = Vec::new();
            return self.send(response(id, Ok(to_json(none))).into());
        };
        self.answer_on_worker(id, move || to_json(snapshot.code_actions(&p)));
    }
}

impl Snapshot {
    fn code_actions(&self, p: &lsp::CodeActionParams) -> Vec<lsp::CodeActionOrCommand> {
        let (text, diagnostics) = self.current_lint();
        let uri = &p.text_document.uri;
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
                let lsp_d = self.uris.to_lsp(uri, &index, d);
                if overlaps(&lsp_d.range, &p.range) {
                    actions.extend(self.quick_fixes(uri, &index, &text, d, lsp_d));
                }
            }
        }
        if wants(FIX_ALL_KIND) {
            actions.extend(self.fix_all(uri, &index, &text));
        }
        actions
    }

    /// The finding's own fix and the comment silencing it.
    fn quick_fixes(
        &self,
        uri: &lsp::Uri,
        index: &LineIndex<'_>,
        text: &str,
        d: &copydesk_lint::Diagnostic,
        lsp_d: lsp::Diagnostic,
    ) -> Vec<lsp::CodeActionOrCommand> {
        let mut actions = Vec::new();
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
                uri,
                edits,
                fix.applicability == Applicability::Safe,
            ));
        }
        let limits = &self.job.session.settings.limits;
        if let Some(edit) = copydesk_lint::suppress::suppression_edit(text, d, limits) {
            actions.push(action(
                format!("Ignore `{}` here (copydesk: ignore)", d.code),
                lsp::CodeActionKind::QUICKFIX,
                vec![lsp_d],
                uri,
                vec![lsp::TextEdit {
                    range: index.range(&edit.range),
                    new_text: edit.replacement,
                }],
                false,
            ));
        }
        actions
    }

    /// Every safe fix of the file, as one edit.
    fn fix_all(
        &self,
        uri: &lsp::Uri,
        index: &LineIndex<'_>,
        text: &str,
    ) -> Option<lsp::CodeActionOrCommand> {
        let job = &self.job;
        let out = fix::fix_text(
            &job.session().settings,
            &job.display,
            &job.config_path,
            text.to_owned(),
            FixMode::Safe,
        );
        if out.applied == 0 || out.text == *text {
            return None;
        }
        let edit = lsp::TextEdit {
            range: lsp::Range::new(lsp::Position::new(0, 0), index.end()),
            new_text: out.text,
        };
        Some(action(
            "Apply every safe copydesk fix".to_owned(),
            lsp::CodeActionKind::new(FIX_ALL_KIND),
            Vec::new(),
            uri,
            vec![edit],
            false,
        ))
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
