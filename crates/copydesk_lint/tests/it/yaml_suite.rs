//! Every case of the YAML test suite, wrapped as a front-matter block, runs
//! through the whole pipeline (split, parse, schema, every rule, suppression
//! and fix): it must give a clean parse or findings — never a panic, a hang
//! or a finding without a valid span. Valid cases whose document is a
//! mapping must parse (exceptions are listed with their reason).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use copydesk_lint::config::Config;
use copydesk_lint::fix::{fix_text, FixMode};
use copydesk_lint::{lint_text, Settings};

/// Valid mapping cases the pipeline is allowed not to parse, and why.
const EXCEPTIONS: &[(&str, &str)] = &[];

struct Case {
    id: String,
    yaml: String,
    error: bool,
    mapping: bool,
}

fn suite_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/yaml-test-suite")
}

fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    let mut stack = vec![suite_dir()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().is_some_and(|n| n == "in.yaml") {
                let case_dir = p.parent().unwrap_or(Path::new("."));
                let id = case_dir
                    .strip_prefix(suite_dir())
                    .unwrap_or(case_dir)
                    .to_string_lossy()
                    .into_owned();
                let yaml = std::fs::read_to_string(&p).unwrap_or_default();
                let json = std::fs::read_to_string(case_dir.join("in.json")).unwrap_or_default();
                out.push(Case {
                    id,
                    yaml,
                    error: case_dir.join("error").exists(),
                    mapping: json.trim_start().starts_with('{'),
                });
            }
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

fn settings() -> Settings {
    let now = "2026-11-22T00:00:00Z".parse().expect("timestamp");
    Settings::new(Config::default(), now).expect("defaults")
}

/// Whether the suite's YAML would close our block early or holds more
/// than one document: our fence is a `---`/`...` line, so such a case is a
/// different (shorter) block, not the suite's document.
fn has_fence_line(yaml: &str) -> bool {
    yaml.lines().any(|l| {
        let t = l.trim_end();
        t == "---" || t == "..." || t.starts_with("--- ") || t.starts_with("---\t")
    })
}

#[test]
fn every_case_runs_the_whole_pipeline_safely() {
    let settings = settings();
    let cases = cases();
    assert!(
        cases.len() > 300,
        "the suite is missing: found {} cases",
        cases.len()
    );
    let exceptions: BTreeMap<&str, &str> = EXCEPTIONS.iter().copied().collect();
    let mut unparsed_mappings = Vec::new();
    for case in &cases {
        let mut text = String::from("---\n");
        text.push_str(&case.yaml);
        if !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str("---\nBody.\n");
        let started = Instant::now();
        let report = lint_text(&settings, "case.md", "case.md", text.clone());
        for d in &report.diagnostics {
            assert!(
                d.span.start <= d.span.end
                    && d.span.end <= text.len()
                    && text.is_char_boundary(d.span.start)
                    && text.is_char_boundary(d.span.end),
                "{}: {} has a bad span {:?}",
                case.id,
                d.code,
                d.span
            );
            assert!(
                !d.message.is_empty(),
                "{}: {} has no message",
                case.id,
                d.code
            );
        }
        let fixed = fix_text(
            &settings,
            "case.md",
            "case.md",
            text.clone(),
            FixMode::Unsafe,
        );
        if !report.parsed {
            assert_eq!(
                fixed.text, text,
                "{}: an unparsable file was changed by a fix",
                case.id
            );
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{}: took {:?}",
            case.id,
            started.elapsed()
        );
        let parse_failed = report.diagnostics.iter().any(|d| {
            (d.code.starts_with("yaml/") && d.code != "yaml/duplicate-key")
                || d.code.starts_with("frontmatter/")
        });
        if !case.error && case.mapping && !has_fence_line(&case.yaml) && parse_failed {
            unparsed_mappings.push(case.id.clone());
        }
    }
    let unexpected: Vec<_> = unparsed_mappings
        .iter()
        .filter(|id| !exceptions.contains_key(id.as_str()))
        .collect();
    assert!(
        unexpected.is_empty(),
        "valid mapping cases that did not parse: {unexpected:?}"
    );
    let stale: Vec<_> = exceptions
        .keys()
        .filter(|id| !unparsed_mappings.iter().any(|u| u == *id))
        .collect();
    assert!(stale.is_empty(), "exceptions that now parse: {stale:?}");
}

#[test]
fn the_mapping_assertion_covers_many_cases() {
    let checked = cases()
        .iter()
        .filter(|c| !c.error && c.mapping && !has_fence_line(&c.yaml))
        .count();
    // Guards against a filter that silently excludes everything.
    assert!(
        checked > 80,
        "only {checked} valid mapping cases are checked"
    );
}
