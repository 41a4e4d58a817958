//! Every rule's documented examples do what the documentation says.
//!
//! A rule's doc comment (printed by `copydesk explain`) has an `## Examples`
//! section: a line `Invalid:` followed by ```markdown blocks, then a line
//! `Valid:` followed by more. Each example is linted with only that rule
//! enabled and "now" fixed: every invalid example must yield exactly one
//! finding, every valid one none. The blocks under each label form one
//! corpus (files `a.md`, `b.md`, …), so cross-file rules are documented the
//! same way.

use std::collections::{BTreeMap, BTreeSet};

use copydesk_lint::config::{Config, RuleLevel};
use copydesk_lint::rule::RuleMeta;
use copydesk_lint::{registry, Diagnostic, Settings};

/// Rules whose examples cannot be markdown, with the reason. The test
/// asserts this is exactly the set of rules without example blocks.
const WITHOUT_EXAMPLES: &[(&str, &str)] = &[
    (
        "file/binary",
        "the example is bytes (a NUL), which a markdown block cannot hold",
    ),
    (
        "file/not-utf8",
        "the example is bytes that are not UTF-8, which a doc comment cannot hold",
    ),
    (
        "file/too-large",
        "the example is a file over 10 MiB, described in prose",
    ),
    (
        "image/unreachable",
        "needs the network: the examples are server answers, described in prose",
    ),
];

const NOW: &str = "2026-11-22T00:00:00Z";

/// The examples of one rule.
#[derive(Debug, Default)]
struct Examples {
    invalid: Vec<Example>,
    valid: Vec<Example>,
    /// A ```toml block in the section: the copydesk.toml the examples
    /// assume (for rules that act only on a configured list).
    config: Option<String>,
}

/// One ```markdown block, and the file name a line ``File: `name.md` ``
/// before it gives it (rules that read the file name, such as a language
/// suffix).
#[derive(Debug, Clone)]
struct Example {
    file: Option<String>,
    text: String,
}

/// The name of a ``File: `name.md` `` line.
fn block_file(line: &str) -> Option<String> {
    let rest = line.strip_prefix("File: `")?;
    Some(rest.split_once('`')?.0.to_owned())
}

/// Reads the ```markdown blocks under `Invalid:` and `Valid:` in the
/// `## Examples` section.
fn examples(meta: &RuleMeta) -> Result<Examples, String> {
    let docs = meta.documentation();
    let mut out = Examples::default();
    let mut in_section = false;
    let mut label: Option<bool> = None; // Some(true) = invalid
    let mut block: Option<String> = None;
    let mut block_name: Option<String> = None;
    let mut toml_block: Option<String> = None;
    for line in docs.lines() {
        if let Some(text) = toml_block.as_mut() {
            if line.trim_end() == "```" {
                out.config = toml_block.take();
            } else {
                text.push_str(line);
                text.push('\n');
            }
            continue;
        }
        if let Some(text) = block.as_mut() {
            if line.trim_end() == "```" {
                let text = Example {
                    file: block_name.take(),
                    text: std::mem::take(text),
                };
                block = None;
                match label {
                    Some(true) => out.invalid.push(text),
                    Some(false) => out.valid.push(text),
                    None => return Err("a ```markdown block before `Invalid:`".to_owned()),
                }
            } else {
                text.push_str(line);
                text.push('\n');
            }
            continue;
        }
        if line.starts_with("## ") {
            in_section = line.trim_end() == "## Examples";
            continue;
        }
        if !in_section {
            if line.trim_start().starts_with("```markdown") {
                return Err("a ```markdown block outside `## Examples`".to_owned());
            }
            continue;
        }
        let trimmed = line.trim();
        if trimmed.starts_with("Invalid:") {
            label = Some(true);
        } else if trimmed.starts_with("Valid:") {
            label = Some(false);
        } else if let Some(name) = block_file(trimmed) {
            block_name = Some(name);
        } else if trimmed == "```markdown" {
            block = Some(String::new());
        } else if trimmed == "```toml" {
            toml_block = Some(String::new());
        }
    }
    if block.is_some() {
        return Err("an unclosed ```markdown block".to_owned());
    }
    Ok(out)
}

/// Rules that only make sense with another rule on: a suppression is only
/// used when it silences another rule's finding.
const COMPANIONS: &[(&str, &[&str])] = &[("suppression/unused", &["schema/invalid-value"])];

/// Settings from the examples' configuration with every rule off but
/// `code` (and its companions).
fn only(code: &str, config: Option<&str>) -> Settings {
    let base: Config = match config {
        Some(text) => toml::from_str(text).expect("the example configuration parses"),
        None => Config::default(),
    };
    let companions: &[&str] = COMPANIONS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(&[], |(_, with)| with);
    let config = Config {
        rules: registry::metas()
            .filter(|m| m.code != code && !companions.contains(&m.code))
            .map(|m| (m.code.to_owned(), RuleLevel::Off))
            .collect(),
        ..base
    };
    Settings::new(config, NOW.parse().expect("NOW is a timestamp")).expect("settings resolve")
}

/// The name of the `i`th file of a corpus: its own, or `a.md`, `b.md`, …
fn file_name(i: usize, examples: &[Example]) -> String {
    if let Some(name) = examples.get(i).and_then(|e| e.file.clone()) {
        return name;
    }
    assert!(i < 26, "more than 26 examples under one label");
    format!("{}.md", char::from(b'a' + u8::try_from(i).expect("i < 26")))
}

/// Lints `files` as one corpus, as `copydesk check` does (cross-file rules
/// and suppressions included); returns the diagnostics by file name.
fn lint(settings: &Settings, files: &[Example]) -> BTreeMap<String, Vec<Diagnostic>> {
    let mut by_file: BTreeMap<String, Vec<Diagnostic>> = BTreeMap::new();
    let mut reports = Vec::new();
    for (i, Example { text, .. }) in files.iter().enumerate() {
        let name = file_name(i, files);
        by_file.entry(name.clone()).or_default();
        reports.push(copydesk_lint::lint_text(
            settings,
            &name,
            &name,
            text.clone(),
        ));
    }
    for d in copydesk_lint::lint::finish(settings, reports, Vec::new()) {
        by_file.entry(d.source.path.clone()).or_default().push(d);
    }
    by_file
}

fn describe(ds: &[Diagnostic]) -> String {
    ds.iter()
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect::<Vec<_>>()
        .join("; ")
}

#[test]
fn every_rule_documents_examples_that_hold() {
    let exceptions: BTreeSet<&str> = WITHOUT_EXAMPLES.iter().map(|(c, _)| *c).collect();
    let mut without_blocks = BTreeSet::new();
    let mut problems = Vec::new();
    for meta in registry::metas() {
        let code = meta.code;
        let ex = match examples(meta) {
            Ok(ex) => ex,
            Err(e) => {
                problems.push(format!("{code}: {e}"));
                continue;
            }
        };
        if ex.invalid.is_empty() && ex.valid.is_empty() {
            without_blocks.insert(code);
            continue;
        }
        if ex.invalid.is_empty() || ex.valid.is_empty() {
            problems.push(format!(
                "{code}: needs at least one ```markdown block under both `Invalid:` and `Valid:`"
            ));
        }
        let settings = only(code, ex.config.as_deref());
        let invalid = lint(&settings, &ex.invalid);
        for (i, Example { text, .. }) in ex.invalid.iter().enumerate() {
            let name = file_name(i, &ex.invalid);
            let found = invalid.get(&name).map_or(&[][..], Vec::as_slice);
            let own = found.iter().filter(|d| d.code == code).count();
            if own != 1 || found.len() != 1 {
                problems.push(format!(
                    "{code}: invalid example {} should yield exactly one finding, got {}: [{}]\n{text}",
                    i + 1,
                    found.len(),
                    describe(found)
                ));
            }
        }
        for (name, found) in lint(&settings, &ex.valid) {
            if !found.is_empty() {
                problems.push(format!(
                    "{code}: valid example {name} should yield no finding, got [{}]",
                    describe(&found)
                ));
            }
        }
    }
    assert_eq!(
        without_blocks, exceptions,
        "WITHOUT_EXAMPLES must list exactly the rules whose docs have no ```markdown example"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn the_parser_reads_labels_and_blocks() {
    let meta = registry::find("frontmatter/missing")
        .expect("frontmatter/missing is registered")
        .meta();
    let ex = examples(meta).expect("examples parse");
    assert_eq!(ex.invalid.len(), 1);
    assert_eq!(ex.valid.len(), 1);
    assert!(ex.valid[0].text.starts_with("---\ntitle: "));
}
