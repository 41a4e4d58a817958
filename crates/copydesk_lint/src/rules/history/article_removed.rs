//! `history/article-removed`.

use crate::declare_rule;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// A published article deleted or renamed with no redirect from its old URL (with `--changed-since` or `--staged`).
    ///
    /// ## Why is this bad?
    ///
    /// Moving or deleting a published article changes or removes its URL:
    /// every link to it, every search result and every share now leads to a
    /// 404, unless the site redirects the old URL.
    ///
    /// Renames are detected as `git diff -M` does. A rename is redirected
    /// when the new version's `aliases` (Hugo's key) lists a URL path
    /// whose last segment is the old slug (the old `slug`, else the old file
    /// name, or the folder of a page bundle's `index.md`), when both
    /// versions have the same `slug` (the URL does not come from the path),
    /// or when `[history] redirects` in `copydesk.toml` maps the old path
    /// (relative to the configuration file). A deletion is redirected by
    /// `[history] redirects`, or, for both, when the site's redirects file
    /// (`[history] redirects-file`, Netlify's and Cloudflare's `_redirects`
    /// format) sends on a URL path whose last segment is the old slug. Only articles published at REF count
    /// (`draft` absent or `false`), and only paths the configuration lints
    /// (a file moved in from an excluded folder is new).
    ///
    /// ## Examples
    ///
    /// Invalid: `news/old-title.md` (published at REF) is renamed to
    /// `news/new-title.md`, whose front matter has no `aliases`.
    ///
    /// Valid: the renamed file has `aliases: ["/news/old-title/"]`, or
    /// `copydesk.toml` has `[history] redirects = { "news/old-title.md" =
    /// "news/new-title.md" }`, or the old file was a draft.
    ///
    /// ## Fix
    ///
    /// Add the old URL path to `aliases` in the moved article, or map the
    /// old path in `[history] redirects` (and configure the redirect on the
    /// site), or restore the file.
    pub struct ArticleRemoved {
        code: "history/article-removed",
        severity: Error,
        fix: None,
        on_request: true,
    }
}

/// Findings come from `copydesk check --changed-since` / `--staged`,
/// which fetch the old version from git and call [`super::compare`] or
/// [`super::removed`]: a rule sees one file, this compares two versions.
impl Rule for ArticleRemoved {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
}
