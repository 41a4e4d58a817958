//! `copydesk init --infer`: the files written from what
//! [`copydesk_workspace::infer`] learned, and the explanation printed.

use std::fmt::Write as _;
use std::path::Path;

use copydesk_workspace::infer::{self, DateLayout, IdScope, Inference, JsonType, KeyReport};

use crate::cli::InitArgs;
use crate::config_file::FILE_NAME;

/// Where the learned schema is written, relative to the working directory.
pub const SCHEMA_PATH: &str = "schemas/front-matter.schema.json";

/// Files lacking a required key that the report names, per key.
const NAMED_FILES: usize = 3;

/// Learns the contract of the corpus, writes `copydesk.toml` and the
/// schema, and prints what was inferred and why.
pub fn run(args: &InitArgs) -> Result<u8, String> {
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the working directory: {e}"))?;
    let existing: Vec<&str> = [FILE_NAME, SCHEMA_PATH]
        .into_iter()
        .filter(|p| cwd.join(p).exists())
        .collect();
    if !existing.is_empty() && !args.force {
        return Err(format!(
            "{} already exist{}: not overwritten (use --force to replace {})",
            existing.join(" and "),
            if existing.len() == 1 { "s" } else { "" },
            if existing.len() == 1 { "it" } else { "them" },
        ));
    }
    let options = infer::Options {
        required_share: args.required_share,
        now: jiff::Timestamp::now(),
    };
    let inference = infer::infer(&cwd, &args.paths, &options);
    for e in &inference.errors {
        eprintln!("copydesk: warning: {e}");
    }
    if inference.files.is_empty() {
        let place = if args.paths.is_empty() {
            "in the working directory".to_owned()
        } else {
            format!("under {}", args.paths.join(", "))
        };
        return Err(format!(
            "no article with front matter (YAML `---`, TOML `+++` or JSON) found {place}: nothing to learn from"
        ));
    }
    let schema = serde_json::to_string_pretty(&inference.schema)
        .map_err(|e| format!("cannot render the schema: {e}"))?;
    write(&cwd.join(SCHEMA_PATH), &(schema + "\n"))?;
    write(&cwd.join(FILE_NAME), &config_text(&inference))?;
    // The explanation ends by naming what was written.
    crate::print(&explain(&inference, args.required_share))?;
    Ok(0)
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// A TOML string literal.
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

fn quoted_list<S: AsRef<str>>(items: &[S]) -> String {
    let items: Vec<String> = items.iter().map(|s| quoted(s.as_ref())).collect();
    format!("[{}]", items.join(", "))
}

/// The `copydesk.toml` written: content roots, the schema, `[fields]`.
pub fn config_text(inf: &Inference) -> String {
    let f = &inf.fields;
    let mut out = format!(
        "# copydesk configuration learned by `copydesk init --infer` from {} articles.\n\
         # Edit it freely; `copydesk init` (without --infer) shows every other key\n\
         # with its default.\n\n",
        inf.files.len()
    );
    out.push_str("# Folders holding the articles, relative to this file.\n");
    let _ = writeln!(out, "content-roots = {}", quoted_list(&inf.content_roots));
    if !inf.exclude.is_empty() {
        out.push_str("# Section pages (Hugo, Zola) and loose documents are not articles.\n");
        let _ = writeln!(out, "exclude = {}", quoted_list(&inf.exclude));
    }
    out.push_str(
        "\n[contract]\n\
         # The front matter these articles share (keys, types, required keys, date\n\
         # formats, small value sets), learned from them: edit it as the contract evolves.\n",
    );
    let _ = writeln!(out, "schema = {}", quoted(SCHEMA_PATH));
    out.push_str(
        "\n[fields]\n\
         # Where the semantic rules find what they read; \"\" means not present,\n\
         # and the rules that need it are inactive.\n",
    );
    for (name, value) in [
        ("title", &f.title),
        ("description", &f.description),
        ("published", &f.published),
        ("updated", &f.updated),
        ("expanded", &f.expanded),
    ] {
        let _ = writeln!(out, "{name} = {}", quoted(value));
    }
    let _ = writeln!(out, "date-formats = {}", quoted_list(&f.date_formats));
    let _ = writeln!(out, "id = {}", quoted(&f.id));
    let scope = match &f.id_scope {
        IdScope::Global => quoted("global"),
        IdScope::Keys(keys) => quoted_list(keys),
    };
    let _ = writeln!(out, "id-scope = {scope}");
    let _ = writeln!(out, "lang = {}", quoted(&f.lang));
    let _ = writeln!(out, "cover = {}", quoted_list(&f.cover));
    let _ = writeln!(out, "translation = {}", quoted(&f.translation));
    if !inf.conventions.is_empty() {
        out.push_str(
            "\n[rules]\n\
             # Conventions of this corpus, not outliers: each of these rules fires on a\n\
             # tenth of the articles or more. Delete a line to turn the rule back on.\n",
        );
        for c in &inf.conventions {
            let _ = writeln!(
                out,
                "{} = \"off\"  # {} of {} articles, e.g. {}",
                quoted(c.code),
                c.files,
                c.of,
                c.example
            );
        }
    }
    out
}

/// How a key's types read: `string`, `list of string`, `integer or null`.
fn type_text(k: &KeyReport) -> String {
    let one = |t: JsonType| -> String {
        match t {
            JsonType::Array if !k.item_types.is_empty() => {
                let items: Vec<&str> = k.item_types.iter().map(|(t, _)| t.name()).collect();
                format!("list of {}", items.join("/"))
            }
            JsonType::Array => "list".to_owned(),
            JsonType::Object => "mapping".to_owned(),
            other => other.name().to_owned(),
        }
    };
    let parts: Vec<String> = k.types.iter().map(|(t, _)| one(*t)).collect();
    parts.join(" or ")
}

fn percent(n: usize, of: usize) -> String {
    if of == 0 {
        return "-".to_owned();
    }
    format!("{:.0}%", 100.0 * n as f64 / of as f64)
}

fn layouts_text(dates: &[(DateLayout, usize)]) -> String {
    let parts: Vec<String> = dates
        .iter()
        .map(|(l, n)| format!("{} ×{n}", l.describe()))
        .collect();
    parts.join(", ")
}

/// What was inferred and why, as printed.
pub fn explain(inf: &Inference, share: f64) -> String {
    let mut out = String::new();
    let formats: Vec<String> = inf
        .formats
        .iter()
        .map(|(f, n)| format!("{f} {n}"))
        .collect();
    let _ = writeln!(
        out,
        "Learned from {} articles ({}).",
        inf.files.len(),
        formats.join(", ")
    );
    sources(inf, &mut out);
    keys_table(inf, &mut out);
    decisions(inf, share, &mut out);
    out.push_str("\nFields (what the semantic rules read):\n");
    for note in &inf.fields.notes {
        let _ = writeln!(out, "  {note}");
    }
    let unmapped: Vec<&str> = [
        ("title", &inf.fields.title),
        ("description", &inf.fields.description),
        ("published", &inf.fields.published),
        ("updated", &inf.fields.updated),
        ("id", &inf.fields.id),
        ("lang", &inf.fields.lang),
    ]
    .into_iter()
    .filter(|(_, v)| v.is_empty())
    .map(|(n, _)| n)
    .collect();
    if !unmapped.is_empty() {
        let _ = writeln!(
            out,
            "  unmapped: {} (the rules that need them are inactive)",
            unmapped.join(", ")
        );
    }
    if !inf.conventions.is_empty() {
        out.push_str(
            "\nRules turned off (they fire on a tenth of the articles or more: how this corpus is written, not outliers):\n",
        );
        for c in &inf.conventions {
            let _ = writeln!(
                out,
                "  {}: {} of {} articles, e.g. {}",
                c.code, c.files, c.of, c.example
            );
        }
    }
    let _ = writeln!(
        out,
        "\nWrote {FILE_NAME} and {SCHEMA_PATH}. `copydesk check` now reports what departs from them."
    );
    out
}

/// Where the articles are, and what was left out.
fn sources(inf: &Inference, out: &mut String) {
    let _ = writeln!(
        out,
        "Content roots: {} (the folders holding the articles).",
        inf.content_roots.join(", ")
    );
    if !inf.exclude.is_empty() {
        let _ = writeln!(out, "Excluded: {}.", inf.exclude.join(", "));
    }
    if !inf.outside.is_empty() {
        let _ = writeln!(
            out,
            "Left out: {} with front matter outside the roots (pages, themes): {}.",
            files(inf.outside.len()),
            few(&inf.outside)
        );
    }
    for u in &inf.unusable {
        let _ = writeln!(out, "Not learned from: {} {}.", u.path, u.reason);
    }
}

/// `1 file`, `2 files`.
fn files(n: usize) -> String {
    format!("{n} file{}", if n == 1 { "" } else { "s" })
}

/// Up to [`NAMED_FILES`] names, and how many more.
fn few(names: &[String]) -> String {
    let mut s = names
        .iter()
        .take(NAMED_FILES)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > NAMED_FILES {
        let _ = write!(s, " and {} more", names.len() - NAMED_FILES);
    }
    s
}

/// One line per key: where it is, how often, its types, what it became.
fn keys_table(inf: &Inference, out: &mut String) {
    out.push_str("\nKeys (files or mappings that have them, types):\n");
    let width = inf
        .keys
        .iter()
        .map(|k| k.path.chars().count())
        .max()
        .unwrap_or(0);
    for k in &inf.keys {
        let mut notes: Vec<String> = Vec::new();
        if k.required {
            notes.push("required".to_owned());
        }
        if !k.enum_values.is_empty() {
            let values: Vec<String> = k.enum_values.iter().map(|(v, _)| v.clone()).collect();
            notes.push(format!("one of {}", values.join(", ")));
        }
        if !k.dates.is_empty() {
            notes.push(format!("dates: {}", layouts_text(&k.dates)));
        }
        match k.closed {
            Some(true) => notes.push("no other keys".to_owned()),
            Some(false) => notes.push("other keys allowed".to_owned()),
            None => {}
        }
        let _ = writeln!(
            out,
            "  {:<width$}  {:>4}/{:<4} {:>4}  {}{}",
            k.path,
            k.present,
            k.of,
            percent(k.present, k.of),
            type_text(k),
            if notes.is_empty() {
                String::new()
            } else {
                format!("  ({})", notes.join("; "))
            }
        );
    }
}

/// Required keys, value sets and dates, with the files that will be
/// reported.
fn decisions(inf: &Inference, share: f64, out: &mut String) {
    let top_required: Vec<&str> = inf
        .keys
        .iter()
        .filter(|k| k.required && !k.path.contains(['.', '[']))
        .map(|k| k.path.as_str())
        .collect();
    let _ = writeln!(
        out,
        "\nRequired (in at least {} of the files): {}.",
        percent_share(share),
        if top_required.is_empty() {
            "none".to_owned()
        } else {
            top_required.join(", ")
        }
    );
    for (key, files) in &inf.missing {
        let _ = writeln!(
            out,
            "  `{key}` is missing in {}: `copydesk check` reports it there.",
            few(files)
        );
    }
    let enums: Vec<String> = inf
        .keys
        .iter()
        .filter(|k| !k.enum_values.is_empty())
        .map(|k| {
            let values: Vec<String> = k
                .enum_values
                .iter()
                .map(|(v, n)| format!("{v} ×{n}"))
                .collect();
            format!("{} ({})", k.path, values.join(", "))
        })
        .collect();
    let _ = writeln!(
        out,
        "Small value sets (few values, each repeated, in many files): {}.",
        if enums.is_empty() {
            "none".to_owned()
        } else {
            enums.join("; ")
        }
    );
    for k in inf.keys.iter().filter(|k| !k.dates.is_empty()) {
        let _ = writeln!(
            out,
            "Dates: {} is written {}.",
            k.path,
            layouts_text(&k.dates)
        );
        for (file, value) in &k.undated {
            let path = inf.files.get(*file).map_or("?", String::as_str);
            let _ = writeln!(
                out,
                "  {path}: {value:?} is not a date: `copydesk check` reports it."
            );
        }
    }
}

fn percent_share(share: f64) -> String {
    format!("{}%", (share * 1000.0).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use copydesk_lint::config::Config;

    #[test]
    fn the_written_config_is_valid() {
        let texts = [
            (
                "_posts/a.md",
                "---\ntitle: A\ndate: 2024-01-05 10:00:00 +0100\nslug: a\nlang: en\n---\n",
            ),
            (
                "_posts/b.md",
                "---\ntitle: \"B \\\" q\"\ndate: 2024-01-06\nslug: b\nlang: en\n---\n",
            ),
        ];
        let samples: Vec<infer::Sample<'_>> = texts
            .iter()
            .map(|(path, text)| infer::Sample { path, text })
            .collect();
        let mut inf = infer::learn(&samples, &infer::Options::default());
        inf.content_roots = vec!["_posts".into()];
        inf.exclude = vec!["**/_index.md".into()];
        inf.conventions = vec![infer::Convention {
            code: "body/level-one-heading",
            files: 2,
            of: 2,
            example: "_posts/a.md".into(),
        }];
        let text = config_text(&inf);
        let config: Config = toml::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        // What the text says is what calibration linted with.
        assert_eq!(
            config.fields,
            infer::calibrate::fields_config(&inf.fields),
            "{text}"
        );
        assert_eq!(
            config.rules.get("body/level-one-heading"),
            Some(&copydesk_lint::config::RuleLevel::Off)
        );
        assert_eq!(config.content_roots, ["_posts"]);
        assert_eq!(config.fields.published, "date");
        assert_eq!(config.fields.id, "slug");
        assert_eq!(config.contract.schema.as_deref(), Some(SCHEMA_PATH));
        copydesk_lint::Settings::new(config, jiff::Timestamp::UNIX_EPOCH)
            .unwrap_or_else(|e| panic!("{e:?}\n{text}"));
        let explained = explain(&inf, 0.95);
        assert!(
            explained.contains("Required (in at least 95% of the files): title, date, slug, lang."),
            "{explained}"
        );
    }
}
