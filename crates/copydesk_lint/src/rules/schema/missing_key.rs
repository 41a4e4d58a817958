//! `schema/missing-key`.

use copydesk_schema::{Format, SchemaIssueKind};

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{FileContext, Rule, RuleMeta};

declare_rule! {
    /// A required key is missing from the front matter.
    ///
    /// ## Why is this bad?
    ///
    /// Every article needs its title, description, dates, language,
    /// externalId, source, category, tags, draft flag and cover image: the
    /// site's listings, feeds and deduplication read them. A missing key is
    /// a page that breaks or an article that silently disappears.
    ///
    /// ## Examples
    ///
    /// Invalid: the article has no `description`.
    ///
    /// ```markdown
    /// ---
    /// title: Bitcoin miners pivot to AI
    /// publishedAt: '2026-01-31T18:04:41.000Z'
    /// updatedAt: '2026-01-31T18:29:36.979Z'
    /// lang: en
    /// externalId: '57619983'
    /// source:
    ///   name: Cointelegraph
    ///   key: cointelegraph
    ///   type: RSS
    /// category: MINING
    /// tags: [MINING]
    /// draft: false
    /// coverImage:
    ///   raw: 'https://images.unsplash.com/photo-1647485938389-91df46750f1b?ixid=M3w&ixlib=rb-4.1.0'
    ///   full: 'https://images.unsplash.com/photo-1647485938389-91df46750f1b?fm=jpg&q=85'
    ///   regular: 'https://images.unsplash.com/photo-1647485938389-91df46750f1b?fm=jpg&q=80&w=1080'
    ///   small: 'https://images.unsplash.com/photo-1647485938389-91df46750f1b?fm=jpg&q=80&w=400'
    ///   thumb: 'https://images.unsplash.com/photo-1647485938389-91df46750f1b?fm=jpg&q=80&w=200'
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// title: Bitcoin miners pivot to AI
    /// description: Former crypto miners now rent their data centers to AI labs.
    /// publishedAt: '2026-01-31T18:04:41.000Z'
    /// updatedAt: '2026-01-31T18:29:36.979Z'
    /// lang: en
    /// externalId: '57619983'
    /// source:
    ///   name: Cointelegraph
    ///   key: cointelegraph
    ///   type: RSS
    /// category: MINING
    /// tags: [MINING]
    /// draft: false
    /// coverImage:
    ///   raw: 'https://images.unsplash.com/photo-1647485938389-91df46750f1b?ixid=M3w&ixlib=rb-4.1.0'
    ///   full: 'https://images.unsplash.com/photo-1647485938389-91df46750f1b?fm=jpg&q=85'
    ///   regular: 'https://images.unsplash.com/photo-1647485938389-91df46750f1b?fm=jpg&q=80&w=1080'
    ///   small: 'https://images.unsplash.com/photo-1647485938389-91df46750f1b?fm=jpg&q=80&w=400'
    ///   thumb: 'https://images.unsplash.com/photo-1647485938389-91df46750f1b?fm=jpg&q=80&w=200'
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Add the key with its value; `copydesk schema` lists every key.
    pub struct MissingKey {
        code: "schema/missing-key",
        severity: Error,
        fix: None,
    }
}

impl Rule for MissingKey {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        for issue in &ctx.schema_issues {
            let SchemaIssueKind::MissingKey { key } = &issue.kind else {
                continue;
            };
            let parent = copydesk_schema::validate::dotted(
                &issue.path[..issue.path.len().saturating_sub(1)],
            );
            let message = if parent.is_empty() {
                format!("missing required key `{key}`")
            } else {
                format!("`{parent}` is missing required key `{key}`")
            };
            let example = match ctx.front_matter().map(|fm| fm.format) {
                Some(Format::Toml) => format!("{key} = …"),
                Some(Format::Json) => format!("\"{key}\": …"),
                _ => format!("{key}: …"),
            };
            out.push(Finding::new(issue.span.clone(), message).help(format!("add `{example}`")));
        }
    }
}
