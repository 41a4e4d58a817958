//! Finding and loading `copydesk.toml`, with errors that point at the bad
//! key: the CLI renders them as a report, the server as a diagnostic.

use std::ops::Range;
use std::path::{Path, PathBuf};

use copydesk_lint::config::Config;
use copydesk_lint::settings::SettingsError;
use copydesk_lint::Settings;
use jiff::Timestamp;
use toml::de::{DeTable, DeValue};

/// The configuration file's name.
pub const FILE_NAME: &str = "copydesk.toml";

/// The largest configuration file read: the commented default is ~10 KB.
pub const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// The largest `[contract] schema` file read.
pub const MAX_SCHEMA_BYTES: u64 = 16 << 20;

/// Reads a file the configuration needs as text: a regular file of at
/// most `limit` bytes (never blocking on a FIFO or reading a device).
fn read_text(path: &Path, limit: u64) -> Result<String, String> {
    match crate::fs::read_bounded(path, limit).map_err(|e| e.to_string())? {
        crate::fs::Bounded::Read(bytes, _) => {
            String::from_utf8(bytes).map_err(|_| "stream did not contain valid UTF-8".to_owned())
        }
        crate::fs::Bounded::TooLarge(_) => Err(format!(
            "it is larger than {limit} bytes, the most copydesk reads"
        )),
    }
}

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

/// What kind of problem a [`ConfigError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigErrorKind {
    /// The file could not be read (`message` is the I/O error).
    Read,
    /// It is not TOML, or not the configuration's shape.
    Syntax,
    /// A value is not acceptable (an unknown rule, a bad glob…).
    Value,
}

/// A configuration that cannot be used, and where the problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The kind of problem.
    pub kind: ConfigErrorKind,
    /// The file, when there is one.
    pub path: Option<PathBuf>,
    /// Its text (empty when it could not be read).
    pub text: String,
    /// The bad bytes in `text`.
    pub span: Range<usize>,
    /// The key path of a bad value (`["rules", "date/nope"]`).
    pub key_path: Vec<String>,
    /// What is wrong.
    pub message: String,
}

/// Finds `copydesk.toml` by walking up from `start`.
pub fn discover(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|p| p.is_file())
}

/// The repository `cwd` is in: the nearest folder at or above it holding
/// `.git` (a folder, or a file in a worktree or submodule).
pub fn repository_root(cwd: &Path) -> Option<&Path> {
    cwd.ancestors()
        .find(|dir| std::fs::symlink_metadata(dir.join(".git")).is_ok())
}

/// Loads the configuration: `explicit` when given, else the nearest
/// `copydesk.toml` above `cwd`, else defaults rooted at the repository
/// root (so that cross-file checks run from a subfolder still see the
/// whole corpus), or at `cwd` outside a repository.
pub fn load(explicit: Option<&Path>, cwd: &Path) -> Result<Loaded, ConfigError> {
    let path = match explicit {
        Some(p) => Some(cwd.join(p)),
        None => discover(cwd),
    };
    match path {
        Some(path) => load_file(&path, cwd),
        None => Ok(Loaded {
            config: Config::default(),
            root: repository_root(cwd).unwrap_or(cwd).to_path_buf(),
            path: None,
            text: String::new(),
        }),
    }
}

/// Loads the configuration file at `path` (`fallback_root` is the root of
/// a path without a parent).
pub fn load_file(path: &Path, fallback_root: &Path) -> Result<Loaded, ConfigError> {
    let error = |kind, text: &str, span, message: String| ConfigError {
        kind,
        path: Some(path.to_path_buf()),
        text: text.to_owned(),
        span,
        key_path: Vec::new(),
        message,
    };
    let text =
        read_text(path, MAX_CONFIG_BYTES).map_err(|e| error(ConfigErrorKind::Read, "", 0..0, e))?;
    let config: Config = toml::from_str(&text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        error(
            ConfigErrorKind::Syntax,
            &text,
            span,
            e.message().trim_end().to_owned(),
        )
    })?;
    let root = path
        .parent()
        .map_or_else(|| fallback_root.to_path_buf(), Path::to_path_buf);
    Ok(Loaded {
        config,
        root,
        path: Some(path.to_path_buf()),
        text,
    })
}

impl Loaded {
    /// Resolves the configuration into settings, pointing a bad value at
    /// its key in the file.
    pub fn settings(&self, now: Timestamp) -> Result<Settings, ConfigError> {
        Settings::new(self.config.clone(), now)
            .and_then(|s| with_contract_file(s, &self.root))
            .and_then(|s| with_redirects_file(s, &self.root))
            .map_err(|e| ConfigError {
                kind: ConfigErrorKind::Value,
                path: self.path.clone(),
                text: self.text.clone(),
                span: key_span(&self.text, &e.key_path),
                key_path: e.key_path,
                message: e.message,
            })
    }
}

/// Reads `[contract] schema` like `Settings::with_contract_file`, but
/// bounded and never blocking (see [`read_text`]).
fn with_contract_file(settings: Settings, root: &Path) -> Result<Settings, SettingsError> {
    let Some(rel) = settings.config.contract.schema.clone() else {
        return Ok(settings);
    };
    let error = |message: String| SettingsError {
        key_path: vec!["contract".into(), "schema".into()],
        message,
    };
    let text = read_text(&root.join(&rel), MAX_SCHEMA_BYTES)
        .map_err(|e| error(format!("cannot read the schema `{rel}`: {e}")))?;
    let schema: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        error(format!(
            "the schema `{rel}` is not JSON: {e} (line {}, column {})",
            e.line(),
            e.column()
        ))
    })?;
    settings
        .with_contract(schema)
        .map_err(|e| error(format!("`{rel}`: {}", e.message)))
}

/// Reads `[history] redirects-file`, bounded and never blocking, into the
/// settings; a missing or unreadable file is an error at that key.
fn with_redirects_file(settings: Settings, root: &Path) -> Result<Settings, SettingsError> {
    let Some(rel) = settings.config.history.redirects_file.clone() else {
        return Ok(settings);
    };
    let text = read_text(&root.join(&rel), MAX_SCHEMA_BYTES).map_err(|e| SettingsError {
        key_path: vec!["history".into(), "redirects-file".into()],
        message: format!("cannot read the redirects file `{rel}`: {e}"),
    })?;
    Ok(settings.with_redirects(&text))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_span_points_at_nested_keys() {
        let text = "[rules]\n\"date/nope\" = \"off\"\n";
        let span = key_span(text, &["rules".into(), "date/nope".into()]);
        assert_eq!(&text[span], "\"date/nope\"");
    }
}
