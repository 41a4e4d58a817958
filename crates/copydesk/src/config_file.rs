//! Finding, reading and reporting on `copydesk.toml`.

use std::ops::Range;
use std::path::Path;

pub use copydesk_workspace::config::{
    discover, key_span, ConfigError, ConfigErrorKind, Loaded, FILE_NAME,
};

/// Loads the configuration (see [`copydesk_workspace::config::load`]);
/// errors are rendered reports pointing at the bad key.
pub fn load(explicit: Option<&Path>, cwd: &Path) -> Result<Loaded, String> {
    copydesk_workspace::config::load(explicit, cwd).map_err(|e| render_error(&e))
}

/// Resolves a loaded configuration into settings, a bad value rendered as
/// a report at its key.
pub fn settings(loaded: &Loaded, now: jiff::Timestamp) -> Result<copydesk_lint::Settings, String> {
    loaded.settings(now).map_err(|e| render_error(&e))
}

/// A configuration error as the command shows it: a report pointing at
/// the bad key in the file.
pub fn render_error(e: &ConfigError) -> String {
    match (&e.path, e.kind) {
        (Some(path), ConfigErrorKind::Read) => {
            format!("cannot read {}: {}", path.display(), e.message)
        }
        (Some(path), _) => report(path, &e.text, e.span.clone(), &e.message),
        (None, _) => format!("{}: {}", e.key_path.join("."), e.message),
    }
}

fn report(path: &Path, text: &str, span: Range<usize>, message: &str) -> String {
    use miette::{
        GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource,
    };
    let span = span.start.min(text.len())..span.end.min(text.len());
    let diag = MietteDiagnostic::new(format!("invalid configuration: {message}"))
        .with_code("config")
        .with_label(LabeledSpan::at(span, message.to_owned()));
    let report = miette::Report::new(diag).with_source_code(NamedSource::new(
        path.display().to_string(),
        text.to_owned(),
    ));
    let mut out = String::new();
    let handler =
        GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor()).with_width(100);
    if handler.render_report(&mut out, report.as_ref()).is_err() {
        return format!("{}: {message}", path.display());
    }
    out
}

/// The commented default configuration `copydesk init` writes.
pub const DEFAULT_CONFIG: &str = r#"# copydesk configuration. Every key is optional; the values shown are the defaults.
# Schema: `copydesk schema --config`.

# Folders holding articles, relative to this file. `copydesk check` without
# paths lints them, and cross-file rules (duplicate externalId, duplicate
# title) always see all of them, even when only some files are named.
content-roots = ["."]

# File extensions treated as articles.
extensions = ["md", "markdown"]

# Globs (relative to this file) a file must match to be linted; empty means all.
include = []

# Globs (relative to this file) never linted.
exclude = []

# Rule levels by code or group: "error", "warning" or "off". `copydesk rules`
# lists the codes; a code wins over its group. A group's "error" or "warning"
# leaves its rules that are off by default off: turn those on by their code.
[rules]
# "body/heading-level-skip" = "off"
# text = "warning"

# Rule levels for some files; later overrides win.
# [[overrides]]
# files = ["archive/**"]
# rules = { "date/in-future" = "off" }

[editorial]
# Allowed categories; empty allows any uppercase token.
categories = []
# Allowed language tags; empty allows any well-formed BCP 47 tag.
languages = []
source-types = ["RSS", "API", "MANUAL"]
# Hosts of the five Unsplash variants; "*." matches subdomains.
image-hosts = ["images.unsplash.com"]
# Hosts of coverImage.small_s3.
s3-hosts = ["*.amazonaws.com"]
# Regular expression a whole externalId must match.
external-id-pattern = "^[0-9]+$"
# Regular expressions a whole tag, category or source.key must match. Unset,
# tags and categories are uppercase words (`BITCOIN NEWS`, `DOGE-BTC`,
# `TOKEN SALE`, any script) and source.key a lowercase slug (`the-block`).
# tag-pattern = "^[A-Z0-9]+([ -][A-Z0-9]+)*$"
# category-pattern = "^[A-Z]+( [A-Z]+)*$"
# source-key-pattern = "^[a-z0-9]+(-[a-z0-9]+)*$"

[dates]
# How far in the future (seconds) a date may be, for clock skew.
future-tolerance-seconds = 300
# How far (seconds) ai.expandedAt may be after updatedAt (the pipeline writes
# them milliseconds apart).
expanded-tolerance-seconds = 1

[corpus]
# The same story imported twice: same source.key and lang, publishedAt at most
# this many seconds apart, headlines sharing this share of their words.
reimport-window-seconds = 300
reimport-similarity = 0.7

[fields]
# Key paths (dots for nesting) of the values the semantic rules read.
# "" means the newsroom has no such field: the rules that need it are inactive.
title = "title"
description = "description"
published = "publishedAt"
updated = "updatedAt"
expanded = "ai.expandedAt"
# Date formats the date rules accept: "rfc3339", "date" (YYYY-MM-DD),
# "jekyll" (YYYY-MM-DD HH:MM:SS +ZZZZ, also without seconds / offset as Jekyll allows).
date-formats = ["rfc3339"]
id = "externalId"
# Where the id must be unique: key paths whose values must also match, "source"
# or "global". Unset, ["source.key", "lang"]: a translation shares its
# original's id in another language. (`[corpus] duplicate-scope` is its former name.)
# id-scope = ["source.key", "lang"]
lang = "lang"
# Cover image: key paths of URL values (a string, or a mapping/list of strings).
cover = ["coverImage"]
translation = "ai.translatedFrom"

# `copydesk check --online`: how cover images are requested.
[online]
# Requests in flight at once, over all hosts and to one host.
concurrency = 16
per-host = 4
# Seconds one request may take.
timeout-seconds = 10
# Seconds the whole check may take, retries included; URLs not checked by
# then are reported once as not checked (not as unreachable).
budget-seconds = 60
# Seconds a result is reused from .copydesk_cache/online.json.
cache-ttl-seconds = 86400
# Retries of a 429 or 5xx answer, with backoff honouring Retry-After (up to
# 5 s: a server asking for longer is not waited for, its URL not checked).
retries = 2
# FOR TESTS ONLY: also request hosts resolving to loopback or private addresses.
allow-private-addresses = false

# Text checks of title, description and tags (the text/* rules).
[text]
# Whole values that are a placeholder, not text (case ignored). "lorem ipsum"
# anywhere and template fields ({{title}}, ${title}) are always placeholders.
placeholders = ["undefined", "null", "nil", "none", "NaN", "TODO", "TBD", "TBC", "FIXME", "[object Object]", "placeholder", "untitled", "N/A"]
# A language model talking about itself, matched (case ignored) at the start
# of the value or of one of its sentences.
model-phrases = [
  "Sure! Here", "Sure, here", "Sure thing", "Certainly! Here", "Certainly, here",
  "Absolutely! Here", "Of course! Here", "Sure! Below", "Sure, below", "Certainly! Below",
  "Certainly, below", "Below is a rewritten", "Below is the rewritten", "Here is a rewritten", "Here's a rewritten",
  "Here is the rewritten", "Here's the rewritten", "Here is a revised", "Here's a revised",
  "Here is the revised", "Here's the revised", "Here is a rephrased", "Here's a rephrased",
  "As an AI language model", "As an AI model", "As an AI assistant", "As an AI,", "As a language model",
  "As a large language model", "I hope this helps", "I hope this meets", "Let me know if you",
  "I'm sorry, but I", "I cannot fulfill", "I can't fulfill", "Rewritten title:",
  "Rewritten description:", "Rewritten version:",
]
# Dates before this day are sentinels (date/sentinel), e.g. 1970-01-01.
earliest-date = "1995-01-01"
# SEO bounds in characters, used only when "text/title-length" and
# "text/description-length" are turned on under [rules] (off by default).
title-min-length = 20
title-max-length = 70
description-min-length = 50
description-max-length = 160

# The history/* rules (`check --changed-since REF` or `--staged`): redirects
# the site serves, old article path (relative to this file) = new path. A
# published article deleted or moved from a path listed here is not reported.
[history]
redirects = {}
# The site's redirects file (`_redirects` of Netlify or Cloudflare Pages):
# an article whose old slug it redirects from is not reported as removed.
# redirects-file = "static/_redirects"
"#;

/// `copydesk init`: writes [`DEFAULT_CONFIG`] to `copydesk.toml` in the
/// working directory, or with `--infer` a configuration and schema learned
/// from the corpus ([`crate::init_infer`]).
pub fn init(args: &crate::cli::InitArgs) -> Result<u8, String> {
    if args.infer {
        return crate::init_infer::run(args);
    }
    let path = Path::new(FILE_NAME);
    if path.exists() && !args.force {
        return Err(format!(
            "{FILE_NAME} already exists (use --force to overwrite it)"
        ));
    }
    std::fs::write(path, DEFAULT_CONFIG).map_err(|e| format!("cannot write {FILE_NAME}: {e}"))?;
    eprintln!("wrote {FILE_NAME}");
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use copydesk_lint::config::Config;

    #[test]
    fn default_config_parses_to_the_defaults() {
        let parsed: Config = toml::from_str(DEFAULT_CONFIG).expect("default config parses");
        assert_eq!(parsed, Config::default());
    }
}
