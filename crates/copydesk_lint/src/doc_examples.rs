//! The examples in a rule's documentation, read and linted for tests.
//!
//! A rule's doc comment (printed by `copydesk explain`) has an `## Examples`
//! section: a line `Invalid:` followed by ```markdown blocks, then a line
//! `Valid:` followed by more, and optionally a ```toml block holding the
//! `copydesk.toml` the examples assume (for rules that act only on a
//! configured list). A line ``File: `name.md` `` before a block names its
//! file, for rules that read the file name (a language suffix). The unit tests of the rules, the doc-example test and
//! the fix-kind test all read the examples through [`parse`], so that the
//! format has one reader. Not part of the public API.

use std::collections::BTreeMap;

use crate::config::{Config, RuleLevel};
use crate::registry;
use crate::rule::RuleMeta;
use crate::{Diagnostic, Settings};

/// The fixed "now" of every example, so date rules are reproducible.
pub const NOW: &str = "2026-11-22T00:00:00Z";

/// Rules that only make sense with another rule on: a suppression is only
/// used when it silences another rule's finding.
pub const COMPANIONS: &[(&str, &[&str])] = &[("suppression/unused", &["schema/invalid-value"])];

/// The examples of one rule.
#[derive(Debug, Default, Clone)]
pub struct Examples {
    /// The ```markdown blocks under `Invalid:`.
    pub invalid: Vec<String>,
    /// The ```markdown blocks under `Valid:`.
    pub valid: Vec<String>,
    /// The text of the section's ```toml block, if any.
    pub config: Option<String>,
    /// The file names given to the `invalid` blocks (``File: `x.md` ``).
    pub invalid_names: Vec<Option<String>>,
    /// The file names given to the `valid` blocks.
    pub valid_names: Vec<Option<String>>,
}

/// An open fenced block and the text read into it so far.
enum Block {
    Markdown(String),
    Toml(String),
}

/// Reads the `## Examples` section of `meta`'s documentation. A malformed
/// section (a block before any label, outside the section, of another
/// language, or unclosed) is an error naming the problem.
pub fn parse(meta: &RuleMeta) -> Result<Examples, String> {
    let docs = meta.documentation();
    let mut out = Examples::default();
    let mut in_section = false;
    let mut label: Option<bool> = None; // Some(true) = invalid
    let mut block: Option<Block> = None;
    let mut name: Option<String> = None;
    for line in docs.lines() {
        if let Some(open) = block.as_mut() {
            let text = match open {
                Block::Markdown(text) | Block::Toml(text) => text,
            };
            if line.trim_end() != "```" {
                text.push_str(line);
                text.push('\n');
                continue;
            }
            match (block.take(), label) {
                (Some(Block::Toml(text)), _) if out.config.is_none() => out.config = Some(text),
                (Some(Block::Toml(_)), _) => return Err("two ```toml blocks".to_owned()),
                (Some(Block::Markdown(text)), Some(true)) => {
                    out.invalid.push(text);
                    out.invalid_names.push(name.take());
                }
                (Some(Block::Markdown(text)), Some(false)) => {
                    out.valid.push(text);
                    out.valid_names.push(name.take());
                }
                _ => return Err("a ```markdown block before `Invalid:`".to_owned()),
            }
            continue;
        }
        if line.starts_with("## ") {
            in_section = line.trim_end() == "## Examples";
            continue;
        }
        let trimmed = line.trim();
        if !in_section {
            if trimmed.starts_with("```markdown") || trimmed.starts_with("```toml") {
                return Err(format!("a {trimmed} block outside `## Examples`"));
            }
            continue;
        }
        if let Some(file) = trimmed
            .strip_prefix("File: `")
            .and_then(|rest| rest.split_once('`'))
        {
            name = Some(file.0.to_owned());
        } else if trimmed.starts_with("Invalid:") {
            label = Some(true);
        } else if trimmed.starts_with("Valid:") {
            label = Some(false);
        } else if trimmed == "```markdown" {
            block = Some(Block::Markdown(String::new()));
        } else if trimmed == "```toml" {
            block = Some(Block::Toml(String::new()));
        } else if trimmed.starts_with("```") {
            return Err(format!("a stray {trimmed} block in `## Examples`"));
        }
    }
    if block.is_some() {
        return Err("an unclosed block".to_owned());
    }
    Ok(out)
}

/// Settings from the examples' configuration (`config`, a `copydesk.toml`
/// text) at [`NOW`], with every rule off but `code` and its
/// [`COMPANIONS`].
pub fn settings_for(code: &str, config: Option<&str>) -> Result<Settings, String> {
    let base: Config = match config {
        Some(text) => {
            toml::from_str(text).map_err(|e| format!("the example configuration: {e}"))?
        }
        None => Config::default(),
    };
    let companions: &[&str] = COMPANIONS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(&[], |(_, with)| with);
    // A rule that is off by default is turned on by its example's own
    // `[rules]`, which is kept for it.
    let own: Vec<(String, RuleLevel)> = base
        .rules
        .iter()
        .filter(|(c, _)| c.as_str() == code || companions.contains(&c.as_str()))
        .map(|(c, l)| (c.clone(), *l))
        .collect();
    let config = Config {
        rules: registry::metas()
            .filter(|m| m.code != code && !companions.contains(&m.code))
            .map(|m| (m.code.to_owned(), RuleLevel::Off))
            .chain(own)
            .collect(),
        ..base
    };
    let now = NOW.parse().map_err(|e| format!("NOW: {e}"))?;
    Settings::new(config, now).map_err(|e| format!("the example settings: {e}"))
}

/// The name of the `i`th file of a corpus of examples: `a.md`, `b.md`, …
/// (`None` past `z.md`).
pub fn file_name(i: usize) -> Option<String> {
    let letter = u8::try_from(i).ok().filter(|i| *i < 26)?;
    Some(format!("{}.md", char::from(b'a' + letter)))
}

/// The name of the `i`th example: the one its ``File:`` line gives, or
/// [`file_name`].
pub fn example_name(i: usize, names: &[Option<String>]) -> Option<String> {
    names.get(i).cloned().flatten().or_else(|| file_name(i))
}

/// Lints `files` as one corpus named by `names` (or `a.md`, `b.md`, …),
/// as `copydesk check` does (cross-file rules and suppressions included);
/// returns the diagnostics by file name, every file present. Errors past
/// 26 files.
pub fn lint(
    settings: &Settings,
    files: &[String],
    names: &[Option<String>],
) -> Result<BTreeMap<String, Vec<Diagnostic>>, String> {
    let mut by_file: BTreeMap<String, Vec<Diagnostic>> = BTreeMap::new();
    let mut reports = Vec::new();
    for (i, text) in files.iter().enumerate() {
        let name = example_name(i, names).ok_or("more than 26 examples under one label")?;
        by_file.entry(name.clone()).or_default();
        reports.push(crate::lint_text(settings, &name, &name, text.clone()));
    }
    for d in crate::lint::finish(settings, reports, Vec::new()) {
        by_file.entry(d.source.path.clone()).or_default().push(d);
    }
    Ok(by_file)
}
