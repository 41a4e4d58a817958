//! Baselines, end to end: a legacy corpus records its findings with
//! `--write-baseline`, and `--baseline` then fails only on new ones. A
//! finding is matched by path, code, key path and a hash of its value, so
//! reordering keys or inserting lines does not bring old findings back.

use std::path::Path;

use crate::support::{self, article, copydesk, replace, write, Run, NOW};

const BASELINE: &str = "copydesk-baseline.json";

/// A legacy folder: `a.md` has an unquoted id and a non-UTC date, `b.md`
/// a repeated tag, `c.md` is clean.
fn legacy() -> tempfile::TempDir {
    let dir = support::tempdir();
    let a = article("6001", "Legacy one");
    let a = replace(&a, "externalId: '6001'", "externalId: 6001");
    let a = replace(
        &a,
        "publishedAt: '2026-01-31T18:04:41.000Z'",
        "publishedAt: '2026-01-31T20:04:41+02:00'",
    );
    write(dir.path(), "articles/a.md", &a);
    let b = article("6002", "Legacy two");
    let b = replace(&b, "  - MINING\n", "  - MINING\n  - MINING\n");
    write(dir.path(), "articles/b.md", &b);
    write(
        dir.path(),
        "articles/c.md",
        &article("6003", "Legacy three"),
    );
    dir
}

fn check(dir: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["check", "--format", "concise", "--now", NOW];
    args.extend_from_slice(extra);
    args.push("articles");
    copydesk(dir, &args)
}

fn edit(dir: &Path, rel: &str, from: &str, to: &str) {
    let path = dir.join(rel);
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, replace(&text, from, to)).expect("write");
}

#[test]
fn a_baseline_silences_old_findings_and_reports_only_new_ones() {
    let dir = legacy();
    let run = check(dir.path(), &[]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout.lines().count(), 3, "{}", run.both());

    let run = check(dir.path(), &["--write-baseline", BASELINE]);
    assert_eq!(run.code, 0, "writing a baseline succeeds: {}", run.both());
    assert!(run.stderr.contains("Recorded 3 findings"), "{}", run.stderr);

    let run = check(dir.path(), &["--baseline", BASELINE]);
    assert_eq!(run.code, 0, "{}", run.both());
    assert_eq!(run.stdout, "");

    // A new defect fails the run, and it is the only finding shown.
    edit(dir.path(), "articles/b.md", "draft: false", "draft: no");
    let run = check(dir.path(), &["--baseline", BASELINE]);
    assert_eq!(run.code, 1, "{}", run.both());
    assert_eq!(
        run.stdout,
        "articles/b.md:19:8: error[schema/yaml11-boolean] `draft: no` is a YAML 1.1 boolean: \
         YAML 1.2 reads it as the string \"no\", a YAML 1.1 loader as false\n"
    );

    // Another copy of an old defect, in a clean file, is new too.
    edit(
        dir.path(),
        "articles/c.md",
        "externalId: '6003'",
        "externalId: 6003",
    );
    let run = check(dir.path(), &["--baseline", BASELINE]);
    assert_eq!(run.stdout.lines().count(), 2, "{}", run.both());
    assert!(run
        .stdout
        .contains("articles/c.md:7:13: error[schema/number-not-string]"));
}

#[test]
fn moving_lines_around_does_not_resurrect_old_findings() {
    let dir = legacy();
    assert_eq!(check(dir.path(), &["--write-baseline", BASELINE]).code, 0);

    // Reorder keys: the unquoted id moves from line 7 to the end of the block.
    edit(dir.path(), "articles/a.md", "externalId: 6001\n", "");
    edit(
        dir.path(),
        "articles/a.md",
        "  version: 1\n",
        "  version: 1\nexternalId: 6001\n",
    );
    // Insert lines above every finding, and in the body.
    edit(
        dir.path(),
        "articles/a.md",
        "---\ntitle:",
        "---\n# Imported from the legacy CMS.\n\ntitle:",
    );
    edit(
        dir.path(),
        "articles/b.md",
        "title: Legacy two\n",
        "title: Legacy two\n# reviewed\n",
    );
    edit(
        dir.path(),
        "articles/b.md",
        "## Overview\n",
        "## Overview\n\nA new first paragraph.\n",
    );
    // Indent the repeated tag differently: the same value, elsewhere.
    edit(
        dir.path(),
        "articles/b.md",
        "tags:\n  - MINING\n  - MINING\n",
        "tags:\n    - MINING\n    - MINING\n",
    );
    let run = check(dir.path(), &[]);
    assert_eq!(
        run.stdout.lines().count(),
        3,
        "still three findings: {}",
        run.both()
    );
    assert!(
        run.stdout
            .contains("articles/a.md:31:13: error[schema/number-not-string]"),
        "{}",
        run.stdout
    );
    let run = check(dir.path(), &["--baseline", BASELINE]);
    assert_eq!(run.code, 0, "{}", run.both());
    assert_eq!(run.stdout, "");

    // Changing the offending value is a new finding.
    edit(
        dir.path(),
        "articles/a.md",
        "externalId: 6001\n",
        "externalId: 6011\n",
    );
    let run = check(dir.path(), &["--baseline", BASELINE]);
    assert_eq!(run.code, 1, "{}", run.both());
    assert_eq!(run.stdout.lines().count(), 1, "{}", run.stdout);
}

#[test]
fn the_file_is_sorted_pretty_json_with_stable_bytes() {
    let dir = legacy();
    assert_eq!(check(dir.path(), &["--write-baseline", BASELINE]).code, 0);
    let first = std::fs::read(dir.path().join(BASELINE)).expect("baseline");
    // Files named in another order, from another run: the same bytes.
    let run = copydesk(
        dir.path(),
        &[
            "check",
            "--now",
            NOW,
            "--write-baseline",
            BASELINE,
            "articles/c.md",
            "articles/b.md",
            "articles/a.md",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.both());
    let second = std::fs::read(dir.path().join(BASELINE)).expect("baseline");
    assert_eq!(first, second, "the baseline is byte-for-byte stable");

    let text = String::from_utf8(first).expect("UTF-8");
    assert!(text.ends_with("}\n"), "ends with a newline");
    assert!(
        text.contains("\n  \"findings\": [\n    {\n"),
        "pretty: {text}"
    );
    let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(value["version"], 1);
    let findings = value["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 3);
    let keys: Vec<(String, String, String, String, u64)> = findings
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().expect(k).to_owned();
            (
                s("path"),
                s("code"),
                s("key"),
                s("value"),
                f["occurrence"].as_u64().expect("occurrence"),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "findings are sorted");
    assert_eq!(
        keys.iter()
            .map(|k| (k.0.as_str(), k.1.as_str(), k.2.as_str()))
            .collect::<Vec<_>>(),
        [
            ("articles/a.md", "date/not-utc", "publishedAt"),
            ("articles/a.md", "schema/number-not-string", "externalId"),
            ("articles/b.md", "schema/duplicate-item", "tags[1]"),
        ]
    );
    // No line numbers: they are what must not matter.
    assert!(!text.contains("\"line\""), "{text}");
}

#[test]
fn a_missing_or_broken_baseline_is_an_error() {
    let dir = legacy();
    let run = check(dir.path(), &["--baseline", "nope.json"]);
    assert_eq!(run.code, 2, "{}", run.both());
    assert!(run.stderr.contains("nope.json"), "{}", run.stderr);
    write(
        dir.path(),
        "broken.json",
        "{\"version\": 1, \"findings\": [{}]}",
    );
    let run = check(dir.path(), &["--baseline", "broken.json"]);
    assert_eq!(run.code, 2, "{}", run.both());
    assert!(run.stderr.contains("broken.json"), "{}", run.stderr);
}
