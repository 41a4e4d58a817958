//! Finding, reading and reporting on `copydesk.toml`.

use std::ops::Range;
use std::path::{Path, PathBuf};

use copydesk_lint::config::Config;
use copydesk_lint::settings::SettingsError;
use jiff::Timestamp;
use toml::de::{DeTable, DeValue};

/// The configuration file's name.
pub const FILE_NAME: &str = "copydesk.toml";

/// A loaded configuration and where it applies from.
#[derive(Debug)]
pub struct Loaded {
    /// The configuration (defaults when there is no file).
    pub config: Config,
    /// The folder paths in the configuration are relative to: the config
    /// file's folder, or the working directory without one.
    pub root: PathBuf,
    /// The file, when there is one.
    pub path: Option<PathBuf>,
    /// Its text, for pointing at keys in errors.
    pub text: String,
}

/// Finds `copydesk.toml` by walking up from `start`.
pub fn discover(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|p| p.is_file())
}

/// Loads the configuration: `explicit` when given, else the nearest
/// `copydesk.toml` above `cwd`, else defaults rooted at `cwd`. Errors are
/// rendered reports pointing at the bad key.
pub fn load(explicit: Option<&Path>, cwd: &Path) -> Result<Loaded, String> {
    let path = match explicit {
        Some(p) => Some(cwd.join(p)),
        None => discover(cwd),
    };
    let Some(path) = path else {
        return Ok(Loaded {
            config: Config::default(),
            root: cwd.to_path_buf(),
            path: None,
            text: String::new(),
        });
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let config: Config = toml::from_str(&text).map_err(|e| {
        report(
            &path,
            &text,
            e.span().unwrap_or(0..0),
            e.message().trim_end(),
        )
    })?;
    let root = path
        .parent()
        .map_or_else(|| cwd.to_path_buf(), Path::to_path_buf);
    Ok(Loaded {
        config,
        root,
        path: Some(path),
        text,
    })
}

impl Loaded {
    /// Resolves the configuration into settings, reporting a bad value at
    /// its key in the file.
    pub fn settings(&self, now: Timestamp) -> Result<copydesk_lint::Settings, String> {
        copydesk_lint::Settings::new(self.config.clone(), now)
            .and_then(|s| s.with_contract_file(&self.root))
            .map_err(|e| self.settings_error(&e))
    }

    fn settings_error(&self, e: &SettingsError) -> String {
        match &self.path {
            Some(path) => report(
                path,
                &self.text,
                key_span(&self.text, &e.key_path),
                &e.message,
            ),
            None => e.to_string(),
        }
    }
}

/// The span of the key (or array element) at `key_path` in TOML `text`.
pub fn key_span(text: &str, key_path: &[String]) -> Range<usize> {
    let Ok(root) = DeTable::parse(text) else {
        return 0..0;
    };
    let mut span = 0..0;
    let mut table = Some(root.get_ref());
    let mut value: Option<&DeValue<'_>> = None;
    for seg in key_path {
        if let Some(t) = table.take() {
            let Some((k, v)) = t.iter().find(|(k, _)| k.get_ref().as_ref() == seg.as_str()) else {
                break;
            };
            span = k.span();
            value = Some(v.get_ref());
        } else if let Some(DeValue::Array(items)) = value {
            let Some(item) = seg.parse::<usize>().ok().and_then(|i| items.get(i)) else {
                break;
            };
            span = item.span();
            value = Some(item.get_ref());
        } else {
            break;
        }
        if let Some(DeValue::Table(t)) = value {
            table = Some(t);
        }
    }
    span
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

# Rule levels by code: "error", "warning" or "off". `copydesk rules` lists the codes.
[rules]
# "body/heading-level-skip" = "off"

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
# Where externalId must be unique: key paths whose values must also match
# (a translation shares its original's id in another language), "source"
# (per source.key) or "global".
duplicate-scope = ["source.key", "lang"]
# The same story imported twice: same source.key and lang, publishedAt at most
# this many seconds apart, headlines sharing this share of their words.
reimport-window-seconds = 300
reimport-similarity = 0.7

# `copydesk check --online`: how cover images are requested.
[online]
# Requests in flight at once, over all hosts and to one host.
concurrency = 16
per-host = 4
# Seconds one request may take.
timeout-seconds = 10
# Seconds a result is reused from .copydesk_cache/online.json.
cache-ttl-seconds = 86400
# Retries of a 429 or 5xx answer, with backoff honouring Retry-After.
retries = 2
# FOR TESTS ONLY: also request hosts resolving to loopback or private addresses.
allow-private-addresses = false
"#;

/// Writes [`DEFAULT_CONFIG`] to `copydesk.toml` in the working directory.
pub fn init(force: bool) -> Result<u8, String> {
    let path = Path::new(FILE_NAME);
    if path.exists() && !force {
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

    #[test]
    fn default_config_parses_to_the_defaults() {
        let parsed: Config = toml::from_str(DEFAULT_CONFIG).expect("default config parses");
        assert_eq!(parsed, Config::default());
    }

    #[test]
    fn key_span_points_at_nested_keys() {
        let text = "[rules]\n\"date/nope\" = \"off\"\n";
        let span = key_span(text, &["rules".into(), "date/nope".into()]);
        assert_eq!(&text[span], "\"date/nope\"");
    }
}
