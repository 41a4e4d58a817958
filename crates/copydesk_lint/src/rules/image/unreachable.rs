//! `image/unreachable`.

use crate::declare_rule;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// A cover image URL that does not load (only with `copydesk check --online`).
    ///
    /// ## Why is this bad?
    ///
    /// A broken cover image is the most visible defect a published article
    /// can have, and no offline check can see it: the URL is well formed,
    /// on an allowed host, and still answers 404, 500, redirects somewhere
    /// it should not, or never answers at all.
    ///
    /// With `--online`, copydesk requests each distinct cover image URL of
    /// the run once (HEAD, or a one-byte GET when HEAD is refused), follows
    /// at most 5 redirects to allowed hosts, and reports the status or the
    /// cause on the URL. Only URLs on `editorial.image-hosts` /
    /// `editorial.s3-hosts` are requested, never an address on a private
    /// network; results are cached in `.copydesk_cache/online.json` for
    /// `online.cache-ttl-seconds`.
    ///
    /// ## Examples
    ///
    /// Invalid: a `coverImage.thumb` whose server answers `404 Not Found`.
    ///
    /// Valid: a `coverImage.thumb` whose server answers `200 OK`, directly
    /// or after redirects to allowed hosts.
    ///
    /// ## Fix
    ///
    /// Point the URL at an image that exists (re-fetch the photo's `urls`
    /// from Unsplash), or allow the host a redirect leads to.
    pub struct Unreachable {
        code: "image/unreachable",
        severity: Error,
        fix: None,
        on_request: true,
    }
}

/// Findings come from the CLI's `--online` pass, after linting: the lint
/// library itself never touches the network.
impl Rule for Unreachable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
}
