//! Learning a newsroom's contract from its existing corpus (`copydesk init
//! --infer`, SPEC §8).
//!
//! [`infer`] finds the articles (files with front matter in YAML, TOML or
//! JSON) and where they are ([`roots`]), folds every front matter into
//! per-key statistics ([`stats`]), and turns them into a JSON Schema
//! ([`schema`]) and a guess of `[fields]` ([`fields`]); it then lints the
//! articles with them and turns off the rules that describe the corpus's
//! conventions rather than outliers ([`calibrate`]). It returns data,
//! with the reasons for each decision, and writes nothing: the command
//! renders the files and the explanation.

pub mod calibrate;
pub mod dates;
pub mod fields;
pub mod roots;
pub mod schema;
pub mod stats;

use std::path::Path;

use copydesk_lint::Settings;
use copydesk_schema::frontmatter::{self, Format};
use copydesk_schema::Limits;

pub use calibrate::Convention;
pub use dates::DateLayout;
pub use fields::{Fields, IdScope};
pub use schema::KeyReport;
pub use stats::JsonType;

use crate::discover::{self, Discovered, Discoverer, Target};
use crate::fs;

/// The name Hugo and Zola give a section's own page, whose front matter
/// (sorting, pagination) is not an article's.
const SECTION_PAGE: &str = "_index.md";

/// How the corpus is read.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The share of files a key must be in to be required (0.95).
    pub required_share: f64,
    /// The current time, for the settings the articles are linted with
    /// (rules whose findings depend on it are never calibrated).
    pub now: jiff::Timestamp,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            required_share: 0.95,
            now: jiff::Timestamp::UNIX_EPOCH,
        }
    }
}

/// A file under the content roots that nothing was learned from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unusable {
    /// Its display path.
    pub path: String,
    /// Why, e.g. "has no front matter".
    pub reason: String,
}

/// What was learned, and from what.
#[derive(Debug, Clone)]
pub struct Inference {
    /// The articles learned from, by display path.
    pub files: Vec<String>,
    /// How many of them had each front-matter format (`YAML`, `TOML`, `JSON`).
    pub formats: Vec<(&'static str, usize)>,
    /// The content roots, relative to the working directory (`.` for it).
    pub content_roots: Vec<String>,
    /// Globs (relative to the working directory) `check` must skip.
    pub exclude: Vec<String>,
    /// Files with front matter outside the roots (pages, themes).
    pub outside: Vec<String>,
    /// Files under the roots nothing was learned from.
    pub unusable: Vec<Unusable>,
    /// Every key and what was decided about it.
    pub keys: Vec<KeyReport>,
    /// For each required top-level key some files lack: those files.
    pub missing: Vec<(String, Vec<String>)>,
    /// The guessed `[fields]`.
    pub fields: Fields,
    /// Rules that fire on so many articles that they describe the corpus:
    /// to be turned off.
    pub conventions: Vec<Convention>,
    /// The learned JSON Schema (draft 2020-12).
    pub schema: serde_json::Value,
    /// Problems finding the files (a missing path, a walk error).
    pub errors: Vec<String>,
}

/// One article read for learning.
#[derive(Debug, Clone, Copy)]
pub struct Sample<'a> {
    /// Its display path.
    pub path: &'a str,
    /// Its whole text.
    pub text: &'a str,
}

/// Reads the corpus under `paths` (relative to `cwd`; `cwd` itself when
/// empty) and learns its contract.
pub fn infer(cwd: &Path, paths: &[String], options: &Options) -> Inference {
    let settings = Settings::with_defaults(jiff::Timestamp::UNIX_EPOCH);
    let discoverer = Discoverer::new(cwd, cwd, &settings);
    let mut found = Discovered::default();
    if paths.is_empty() {
        discoverer.walk(cwd, &mut found);
    } else {
        for arg in paths {
            discoverer.add_arg(arg, &mut found);
        }
    }
    let read = |t: &Target| -> Option<String> {
        let bytes = fs::read_small(&t.path(), settings.max_file_bytes)?;
        String::from_utf8(bytes).ok()
    };
    // First pass: which files have front matter, to place the roots.
    let mut with_front_matter: Vec<&str> = Vec::new();
    let mut without: Vec<&str> = Vec::new();
    for t in &found.targets {
        if paths.is_empty() && roots::is_not_content(&t.display) {
            continue;
        }
        match read(t) {
            Some(text) if frontmatter::split(&text).is_ok() => with_front_matter.push(&t.display),
            _ => without.push(&t.display),
        }
    }
    let is_section = |p: &str| p.rsplit('/').next() == Some(SECTION_PAGE);
    let content_roots = if paths.is_empty() {
        let articles: Vec<&str> = with_front_matter
            .iter()
            .copied()
            .filter(|p| !is_section(p))
            .collect();
        roots::choose(&articles)
    } else {
        given_roots(cwd, paths, &found)
    };
    let under = |p: &str| content_roots.iter().any(|r| is_under(p, r));
    let mut exclude = Vec::new();
    if with_front_matter.iter().any(|p| under(p) && is_section(p)) {
        exclude.push(format!("**/{SECTION_PAGE}"));
    }
    // Loose documents at the top (README.md) when the whole tree is linted.
    if content_roots.iter().any(|r| r == ".") {
        exclude.extend(
            without
                .iter()
                .filter(|p| !p.contains('/'))
                .map(|p| (*p).to_owned()),
        );
    }
    let outside: Vec<String> = with_front_matter
        .iter()
        .filter(|p| !under(p))
        .map(|p| (*p).to_owned())
        .collect();
    let mut unusable: Vec<Unusable> = without
        .iter()
        .filter(|p| under(p) && !exclude.iter().any(|e| e == *p))
        .map(|p| Unusable {
            path: (*p).to_owned(),
            reason: "has no front matter (or cannot be read as UTF-8)".to_owned(),
        })
        .collect();
    let texts: Vec<(String, String)> = found
        .targets
        .iter()
        .filter(|t| under(&t.display) && !is_section(&t.display))
        .filter(|t| with_front_matter.binary_search(&&*t.display).is_ok())
        .filter_map(|t| read(t).map(|text| (t.display.to_string(), text)))
        .collect();
    let samples: Vec<Sample<'_>> = texts
        .iter()
        .map(|(path, text)| Sample { path, text })
        .collect();
    let mut inference = learn(&samples, options);
    unusable.append(&mut inference.unusable);
    unusable.sort_by(|a, b| a.path.cmp(&b.path));
    Inference {
        content_roots,
        exclude,
        outside,
        unusable,
        errors: found.errors,
        ..inference
    }
}

/// Whether the display path `p` is under the root `root`.
fn is_under(p: &str, root: &str) -> bool {
    root == "." || p == root || p.strip_prefix(root).is_some_and(|r| r.starts_with('/'))
}

/// The roots of explicitly named paths: each folder named, and the folder
/// of each file found otherwise.
fn given_roots(cwd: &Path, paths: &[String], found: &Discovered) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for arg in paths {
        let abs = discover::normalize(&cwd.join(arg));
        if abs.is_dir() {
            out.push(discover::relative(&abs, cwd));
        }
    }
    for t in &found.targets {
        if !out.iter().any(|r| is_under(&t.display, r)) {
            let parent = t.display.rsplit_once('/').map_or(".", |(dir, _)| dir);
            out.push(parent.to_owned());
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Learns the contract of `samples` (the roots and exclusions are left
/// empty: they are [`infer`]'s).
pub fn learn(samples: &[Sample<'_>], options: &Options) -> Inference {
    let share = options.required_share;
    let limits = Limits::default();
    let mut top = stats::Object::default();
    let mut files = Vec::new();
    let mut facts = Vec::new();
    let mut keys_by_file: Vec<Vec<String>> = Vec::new();
    let mut formats = [(Format::Yaml, 0usize), (Format::Toml, 0), (Format::Json, 0)];
    let mut unusable = Vec::new();
    let mut learned: Vec<Sample<'_>> = Vec::new();
    for sample in samples {
        let skip = |reason: &str| Unusable {
            path: sample.path.to_owned(),
            reason: reason.to_owned(),
        };
        let Ok(fm) = frontmatter::split(sample.text) else {
            unusable.push(skip("has no front matter"));
            continue;
        };
        let parsed = frontmatter::parse(sample.text, &fm, &limits);
        let root = parsed.root.filter(|_| {
            !parsed
                .issues
                .iter()
                .any(|i| matches!(i, copydesk_schema::YamlIssue::Syntax { .. }))
        });
        let Some(entries) = root.as_ref().and_then(|r| r.as_mapping()) else {
            unusable.push(skip(&format!(
                "its {} front matter does not parse to a mapping",
                fm.format.name()
            )));
            continue;
        };
        if let Some(slot) = formats.iter_mut().find(|(f, _)| *f == fm.format) {
            slot.1 += 1;
        }
        top.observe(entries, files.len());
        keys_by_file.push(
            entries
                .iter()
                .filter_map(|e| e.key_str().map(str::to_owned))
                .collect(),
        );
        if let Some(root) = &root {
            facts.push((sample.path.to_owned(), fields::facts(root)));
        }
        files.push(sample.path.to_owned());
        learned.push(*sample);
    }
    let mut keys = Vec::new();
    let schema = schema::top_level(
        &top,
        schema::Thresholds {
            required_share: share,
        },
        &mut keys,
    );
    let missing = keys
        .iter()
        .filter(|k| k.required && !k.path.contains(['.', '[']) && k.present < k.of)
        .map(|k| {
            let lacking = files
                .iter()
                .zip(&keys_by_file)
                .filter(|(_, names)| !names.contains(&k.path))
                .map(|(f, _)| f.clone())
                .collect();
            (k.path.clone(), lacking)
        })
        .collect();
    let fields = fields::guess(&top, &facts, share);
    let conventions =
        calibrate::conventions(&learned, &fields, &schema, options.now).unwrap_or_default();
    Inference {
        files,
        formats: formats
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(f, n)| (f.name(), *n))
            .collect(),
        content_roots: Vec::new(),
        exclude: Vec::new(),
        outside: Vec::new(),
        unusable,
        keys,
        missing,
        fields,
        conventions,
        schema,
        errors: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_from_every_format_and_skips_the_broken() {
        let texts = [
            ("a.md", "---\ntitle: A\ndraft: false\n---\nbody\n"),
            ("b.md", "+++\ntitle = \"B\"\ndraft = true\n+++\nbody\n"),
            ("c.md", "{\n  \"title\": \"C\"\n}\nbody\n"),
            ("d.md", "---\ntitle: [unclosed\n---\n"),
            ("e.md", "no front matter\n"),
        ];
        let samples: Vec<Sample<'_>> = texts
            .iter()
            .map(|(path, text)| Sample { path, text })
            .collect();
        let inf = learn(&samples, &Options::default());
        assert_eq!(inf.files, ["a.md", "b.md", "c.md"]);
        assert_eq!(inf.formats, [("YAML", 1), ("TOML", 1), ("JSON", 1)]);
        let unusable: Vec<&str> = inf.unusable.iter().map(|u| u.path.as_str()).collect();
        assert_eq!(unusable, ["d.md", "e.md"]);
        assert_eq!(inf.schema["required"], serde_json::json!(["title"]));
        assert_eq!(inf.missing, Vec::<(String, Vec<String>)>::new());
        let draft = inf.keys.iter().find(|k| k.path == "draft").expect("draft");
        assert_eq!((draft.present, draft.of, draft.required), (2, 3, false));
    }

    #[test]
    fn files_lacking_a_required_key_are_named() {
        let texts: Vec<(String, String)> = (0..20)
            .map(|i| {
                let extra = if i == 7 { "" } else { "layout: post\n" };
                (
                    format!("p{i}.md"),
                    format!("---\ntitle: T{i}\n{extra}---\n"),
                )
            })
            .collect();
        let samples: Vec<Sample<'_>> = texts
            .iter()
            .map(|(path, text)| Sample { path, text })
            .collect();
        let inf = learn(&samples, &Options::default());
        assert_eq!(
            inf.missing,
            [("layout".to_owned(), vec!["p7.md".to_owned()])]
        );
        let strict = learn(
            &samples,
            &Options {
                required_share: 1.0,
                ..Options::default()
            },
        );
        assert!(strict.missing.is_empty());
        assert_eq!(strict.schema["required"], serde_json::json!(["title"]));
    }
}
