//! The CI output formats, end to end with the real binary: a small project
//! with several kinds of findings (fixable ones, ones with a related
//! location, a warning, a file without front matter) rendered in every
//! format, SARIF checked against the official OASIS schema, and the flags
//! that shape a CI run (`--output-file`, `--max-warnings`, `--statistics`,
//! `--exit-zero`).

use std::path::Path;

use crate::support::{self, article, copydesk, digest, replace, write, Run, NOW};
use serde_json::Value;

/// A project whose articles live in `articles/`, linted from its parent
/// so every path is shown relative to the working directory, with `/`:
/// - `a.md`: a non-UTC date and an unquoted id (safe fixes), `draft: no`
///   (an unsafe fix);
/// - `b.md`: a repeated tag (a fix and a related location), a duplicate key
///   (a related location), a misspelt key with no fix applied by default;
/// - `c.md`: clean;
/// - `nested/d.md`: a suppression that silences nothing (a warning);
/// - `nested/digest.md`: no front matter at all.
fn project() -> tempfile::TempDir {
    let dir = support::tempdir();
    let root = dir.path();
    let a = article("1001", "Miners turn to AI compute");
    let a = replace(
        &a,
        "publishedAt: '2026-01-31T18:04:41.000Z'",
        "publishedAt: '2026-01-31T20:04:41+02:00'",
    );
    let a = replace(&a, "externalId: '1001'", "externalId: 1001");
    let a = replace(&a, "draft: false", "draft: no");
    write(root, "articles/a.md", &a);

    let b = article("1002", "Data centres change hands");
    let b = replace(&b, "tags:\n  - MINING\n", "tags:\n  - MINING\n  - MINING\n");
    let b = replace(&b, "category: MINING\n", "category: MINING\ncategory: AI\n");
    let b = replace(&b, "lang: en\n", "langg: en\n");
    write(root, "articles/b.md", &b);

    write(
        root,
        "articles/c.md",
        &article("1003", "A clean article about GPUs"),
    );

    let d = article("1004", "A stale suppression");
    let d = replace(
        &d,
        "draft: false\n",
        "draft: false # copydesk: ignore[schema/yaml11-boolean]\n",
    );
    write(root, "articles/nested/d.md", &d);

    write(root, "articles/nested/digest.md", &digest());
    dir
}

fn check(dir: &Path, format: &str, extra: &[&str]) -> Run {
    let mut args = vec!["check", "--format", format, "--now", NOW];
    args.extend_from_slice(extra);
    args.push("articles");
    copydesk(dir, &args)
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

#[test]
fn sarif_is_valid_against_the_official_schema() {
    let dir = project();
    let run = check(dir.path(), "sarif", &[]);
    assert_eq!(run.code, 1, "{}", run.both());
    let log = json(&run.stdout);

    let schema = json(
        &std::fs::read_to_string(support::workspace().join("tests/data/sarif-schema-2.1.0.json"))
            .expect("SARIF schema"),
    );
    // The OASIS schema declares draft 4; formats (uri, date-time) are
    // checked too, so a malformed helpUri would fail here.
    let validator = jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF is not valid:\n{}",
        errors.join("\n")
    );

    // The schema allows much; check that what code scanning needs is there.
    let run0 = &log["runs"][0];
    let rules = run0["tool"]["driver"]["rules"].as_array().expect("rules");
    assert!(!rules.is_empty());
    for rule in rules {
        let id = rule["id"].as_str().expect("rule id");
        let uri = rule["helpUri"].as_str().expect("helpUri");
        assert!(
            uri.starts_with("https://") && uri.ends_with(&format!("{id}.md")),
            "{uri}"
        );
        assert!(
            !rule["help"]["text"].as_str().unwrap_or("").is_empty(),
            "{id}"
        );
        assert!(!rule["shortDescription"]["text"]
            .as_str()
            .unwrap_or("")
            .is_empty());
    }
    let results = run0["results"].as_array().expect("results");
    assert!(results.len() >= 8, "{results:#?}");
    let mut prints = std::collections::HashSet::new();
    for r in results {
        let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(
            rules[index]["id"], r["ruleId"],
            "ruleIndex points at its rule"
        );
        let print = r["partialFingerprints"]["copydesk/v1"]
            .as_str()
            .expect("fingerprint");
        assert!(prints.insert(print.to_owned()), "fingerprints are unique");
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .expect("uri");
        assert!(uri.starts_with("articles/") && !uri.contains('\\'), "{uri}");
    }
    assert!(results.iter().any(|r| r["fixes"].is_array()), "a fix");
    assert!(
        results.iter().any(|r| r["relatedLocations"].is_array()),
        "a related location"
    );
    assert!(results.iter().any(|r| r["level"] == "warning"), "a warning");
}

/// The rule list and each result's index into it change whenever a rule is
/// added anywhere, so the snapshot keeps them out; the SARIF test above
/// checks them instead.
fn stable_sarif(text: &str) -> String {
    let mut log = json(text);
    let run0 = &mut log["runs"][0];
    let rules = run0["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules")
        .len();
    assert!(rules > 0);
    run0["tool"]["driver"]["rules"] = Value::String("[every rule]".into());
    run0["tool"]["driver"]["version"] = Value::String("[version]".into());
    if run0["originalUriBaseIds"]["%SRCROOT%"]["uri"].is_string() {
        run0["originalUriBaseIds"]["%SRCROOT%"]["uri"] = Value::String("[root]".into());
    }
    for r in run0["results"].as_array_mut().expect("results") {
        r["ruleIndex"] = Value::String("[index]".into());
    }
    serde_json::to_string_pretty(&log).expect("JSON") + "\n"
}

#[test]
fn every_format_snapshot() {
    let dir = project();
    for format in [
        "full", "concise", "json", "sarif", "github", "junit", "gitlab",
    ] {
        let run = check(dir.path(), format, &["--width", "100"]);
        assert_eq!(run.code, 1, "{format}: {}", run.both());
        // SARIF names the root folder once, as `%SRCROOT%` (masked).
        let shown = if format == "sarif" {
            stable_sarif(&run.stdout)
        } else {
            run.stdout.clone()
        };
        assert!(
            !shown.contains(&*dir.path().to_string_lossy()),
            "{format}: paths are relative to the working directory"
        );
        assert!(!shown.contains("articles\\"), "{format}: `/` separators");
        support::snapshots()
            .bind(|| insta::assert_snapshot!(format!("formats__format_{format}"), shown));
    }
}

/// GitHub code scanning resolves `%SRCROOT%` to the checkout: run from a
/// subfolder, a URI relative to the working directory (or an absolute one
/// under `%SRCROOT%`) points nowhere, and `%` or `,` in a name must be
/// percent-encoded to survive as a URI.
#[test]
fn sarif_uris_are_relative_to_the_repository_root_from_any_folder() {
    let dir = support::tempdir();
    let root = dir.path();
    write(root, "copydesk.toml", "content-roots = [\"content\"]\n");
    let bad = replace(
        &article("2001", "Odd name"),
        "externalId: '2001'",
        "externalId: 2001",
    );
    write(root, "content/news/50%, up.md", &bad);
    write(root, "tools/README.txt", "not an article\n");
    let want = "content/news/50%25%2C%20up.md";
    for cwd in [
        root.to_path_buf(),
        root.join("content/news"),
        root.join("tools"),
    ] {
        let run = copydesk(&cwd, &["check", "--format", "sarif", "--now", NOW]);
        let log = json(&run.stdout);
        let run0 = &log["runs"][0];
        let base = run0["originalUriBaseIds"]["%SRCROOT%"]["uri"]
            .as_str()
            .expect("%SRCROOT% is defined");
        assert!(
            base.starts_with("file:///") && base.ends_with('/'),
            "{base}"
        );
        let results = run0["results"].as_array().expect("results");
        assert!(
            !results.is_empty(),
            "from {}: {}",
            cwd.display(),
            run.stdout
        );
        for r in results {
            let artifact = &r["locations"][0]["physicalLocation"]["artifactLocation"];
            assert_eq!(artifact["uri"], want, "from {}", cwd.display());
            assert_eq!(artifact["uriBaseId"], "%SRCROOT%");
        }
    }
}

/// GitHub annotations and GitLab Code Quality resolve paths from the
/// checkout: run from a subfolder, they still name the file from the
/// repository root.
#[test]
fn github_and_gitlab_paths_are_from_the_repository_root_from_any_folder() {
    let dir = support::tempdir();
    let root = dir.path();
    write(root, "copydesk.toml", "content-roots = [\"content\"]\n");
    let bad = replace(
        &article("2002", "Annotated"),
        "externalId: '2002'",
        "externalId: 2002",
    );
    write(root, "content/news/a.md", &bad);
    for cwd in [root.to_path_buf(), root.join("content/news")] {
        let run = copydesk(&cwd, &["check", "--format", "github", "--now", NOW]);
        assert!(
            run.stdout
                .contains("::error file=content/news/a.md,line=7,"),
            "from {}: {}",
            cwd.display(),
            run.stdout
        );
        let run = copydesk(&cwd, &["check", "--format", "gitlab", "--now", NOW]);
        let report = json(&run.stdout);
        assert_eq!(
            report[0]["location"]["path"],
            "content/news/a.md",
            "from {}",
            cwd.display()
        );
    }
}

#[test]
fn machine_formats_parse_and_agree_on_the_findings() {
    let dir = project();
    let findings = json(&check(dir.path(), "json", &[]).stdout);
    let findings = findings.as_array().expect("array");
    let gitlab = json(&check(dir.path(), "gitlab", &[]).stdout);
    let gitlab = gitlab.as_array().expect("array");
    assert_eq!(findings.len(), gitlab.len());
    let mut prints = std::collections::HashSet::new();
    for (f, g) in findings.iter().zip(gitlab) {
        assert_eq!(f["path"], g["location"]["path"]);
        assert_eq!(f["line"], g["location"]["positions"]["begin"]["line"]);
        assert_eq!(f["code"], g["check_name"]);
        assert!(prints.insert(g["fingerprint"].as_str().expect("fingerprint").to_owned()));
    }
    // Fingerprints do not change from one run to the next.
    assert_eq!(
        check(dir.path(), "gitlab", &[]).stdout,
        check(dir.path(), "gitlab", &[]).stdout
    );

    let github = check(dir.path(), "github", &[]).stdout;
    let line = regex::Regex::new(
        r"^::(error|warning) file=[^,:]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=copydesk [a-z0-9-]+/[a-z0-9-]+::\S.*$",
    )
    .expect("regex");
    assert_eq!(github.lines().count(), findings.len());
    for l in github.lines() {
        assert!(line.is_match(l), "not a workflow command: {l}");
    }
}

#[test]
fn concise_lines_match_the_usual_errorformat() {
    // Vim's `%f:%l:%c: %m`, which VS Code's and Helix's set-ups in the
    // README use too.
    let errorformat =
        regex::Regex::new(r"^(?P<f>[^:]+):(?P<l>[0-9]+):(?P<c>[0-9]+): (?P<m>.+)$").expect("regex");
    let dir = project();
    let run = check(dir.path(), "concise", &[]);
    assert_eq!(run.code, 1, "{}", run.both());
    let findings = json(&check(dir.path(), "json", &[]).stdout);
    let findings = findings.as_array().expect("array");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), findings.len(), "{}", run.stdout);
    for (l, f) in lines.iter().zip(findings) {
        let m = errorformat
            .captures(l)
            .unwrap_or_else(|| panic!("{l:?} does not match %f:%l:%c: %m"));
        assert_eq!(&m["f"], f["path"].as_str().expect("path"));
        assert_eq!(m["l"].parse::<u64>().ok(), f["line"].as_u64());
        assert_eq!(m["c"].parse::<u64>().ok(), f["column"].as_u64());
        let severity = f["severity"].as_str().expect("severity");
        let code = f["code"].as_str().expect("code");
        assert!(m["m"].starts_with(&format!("{severity}[{code}] ")), "{l}");
    }
    // The summary goes to stderr, so stdout holds nothing but findings.
    assert!(run.stderr.contains("Found"), "{}", run.stderr);
}

#[test]
fn output_file_holds_the_report_and_stdout_stays_empty() {
    let dir = project();
    let printed = check(dir.path(), "sarif", &[]);
    let run = check(
        dir.path(),
        "sarif",
        &["--output-file", "out/copydesk.sarif"],
    );
    // The folder does not exist: copydesk cannot do its job.
    assert_eq!(run.code, 2, "{}", run.both());
    assert!(run.stderr.contains("out/copydesk.sarif"), "{}", run.stderr);

    let run = check(dir.path(), "sarif", &["-o", "copydesk.sarif"]);
    assert_eq!(run.code, 1, "the exit code still reflects the findings");
    assert_eq!(run.stdout, "");
    let written = std::fs::read_to_string(dir.path().join("copydesk.sarif")).expect("report");
    assert_eq!(written, printed.stdout);

    // The full format written to a file carries no colour codes.
    let run = check(dir.path(), "full", &["--output-file", "report.txt"]);
    assert_eq!(run.code, 1);
    let written = std::fs::read_to_string(dir.path().join("report.txt")).expect("report");
    assert!(written.contains("schema/duplicate-item"), "{written}");
    assert!(!written.contains('\u{1b}'));
}

#[test]
fn statistics_count_findings_per_code() {
    let dir = project();
    let run = check(dir.path(), "concise", &["--statistics"]);
    assert_eq!(run.code, 1, "{}", run.both());
    for line in run.stdout.lines() {
        assert_eq!(line, line.trim_end(), "no trailing blanks: {line:?}");
    }
    support::snapshots().bind(|| insta::assert_snapshot!("formats__statistics", run.stdout));
    // Only fixes `--fix` would apply are marked fixable: `draft: no` has an
    // unsafe fix, which `--unsafe-fixes` (alone, without --fix) counts.
    assert!(
        run.stdout
            .contains("schema/yaml11-boolean     [-] fixable with --unsafe-fixes"),
        "{}",
        run.stdout
    );
    let unsafe_run = check(dir.path(), "concise", &["--statistics", "--unsafe-fixes"]);
    assert!(
        unsafe_run
            .stdout
            .contains("schema/yaml11-boolean     [*] fixable"),
        "{}",
        unsafe_run.stdout
    );
    // `--format json` is honoured, not silently ignored.
    let run = check(dir.path(), "json", &["--statistics"]);
    assert_eq!(run.code, 1, "{}", run.both());
    let rows = json(&run.stdout);
    let rows = rows.as_array().expect("array");
    let boolean = rows
        .iter()
        .find(|r| r["code"] == "schema/yaml11-boolean")
        .expect("a yaml11-boolean row");
    assert_eq!(boolean["count"], 1);
    assert_eq!(boolean["fixable"], 0);
    let total: u64 = rows.iter().filter_map(|r| r["count"].as_u64()).sum();
    let findings = json(&check(dir.path(), "json", &[]).stdout);
    assert_eq!(total as usize, findings.as_array().expect("array").len());
}

/// The summary says how many findings `--fix` would fix, and how many more
/// `--unsafe-fixes` would: so `--unsafe-fixes` alone is not ignored.
#[test]
fn the_summary_counts_what_fix_would_fix() {
    let dir = project();
    let run = check(dir.path(), "concise", &[]);
    assert!(
        run.stderr.contains("fixable with `copydesk check --fix` (")
            && run
                .stderr
                .contains("hidden fixes can be enabled with --unsafe-fixes"),
        "{}",
        run.stderr
    );
    let run = check(dir.path(), "concise", &["--unsafe-fixes"]);
    assert!(
        run.stderr
            .contains("fixable with `copydesk check --fix --unsafe-fixes`."),
        "{}",
        run.stderr
    );
}

#[test]
fn max_warnings_fails_only_past_the_limit() {
    let dir = support::tempdir();
    // Two stale suppressions: two warnings, no error.
    let text = article("2001", "Only warnings here");
    let text = replace(
        &text,
        "draft: false\n",
        "draft: false # copydesk: ignore[schema/yaml11-boolean, date/not-utc]\n",
    );
    write(dir.path(), "articles/w.md", &text);
    let run = check(dir.path(), "concise", &[]);
    assert_eq!(run.code, 0, "warnings alone never fail: {}", run.both());
    assert_eq!(run.stdout.matches("warning[suppression/unused]").count(), 2);
    assert_eq!(
        check(dir.path(), "concise", &["--max-warnings", "2"]).code,
        0
    );
    let run = check(dir.path(), "concise", &["--max-warnings", "1"]);
    assert_eq!(run.code, 1, "{}", run.both());
    // A run failing on warnings says so, in machine formats too.
    for format in ["concise", "json", "sarif"] {
        let run = check(dir.path(), format, &["--max-warnings", "1"]);
        assert_eq!(run.code, 1, "{}", run.both());
        assert!(
            run.stderr
                .contains("copydesk: failed: 2 warnings, more than --max-warnings 1"),
            "{format}: {}",
            run.stderr
        );
    }
    assert_eq!(
        check(dir.path(), "concise", &["--max-warnings", "0"]).code,
        1
    );
    assert_eq!(
        check(
            dir.path(),
            "concise",
            &["--max-warnings", "0", "--exit-zero"]
        )
        .code,
        0
    );
}

#[test]
fn exit_zero_keeps_findings_but_not_tool_errors() {
    let dir = project();
    let run = check(dir.path(), "concise", &["--exit-zero"]);
    assert_eq!(run.code, 0, "{}", run.both());
    assert!(run.stdout.contains("error[schema/duplicate-item]"));

    // copydesk failing to do its job is never hidden.
    let run = copydesk(
        dir.path(),
        &[
            "check",
            "--exit-zero",
            "--now",
            NOW,
            "articles",
            "missing.md",
        ],
    );
    assert_eq!(run.code, 2, "{}", run.both());
    assert!(run.stderr.contains("missing.md"), "{}", run.stderr);
}

#[test]
fn the_readme_editor_set_ups_read_the_concise_format() {
    let readme = std::fs::read_to_string(support::workspace().join("README.md")).expect("README");
    // Vim's errorformat: the shape the errorformat test above checks,
    // severity kept; `conventions::the_readme_vim_setup_…` runs it in Neovim.
    assert!(
        readme.contains("setlocal errorformat=%f:%l:%c:\\ %trror%m,%f:%l:%c:\\ %tarning%m,%-G%.%#"),
        "the README's Vim set-up"
    );
    // VS Code's problem matcher: the README's own regexp, as JSON text.
    let line = readme
        .lines()
        .find(|l| l.trim_start().starts_with("\"regexp\":"))
        .expect("a problem matcher regexp in the README");
    let json_string = line
        .trim()
        .trim_start_matches("\"regexp\":")
        .trim()
        .trim_end_matches(',');
    let pattern: String = serde_json::from_str(json_string).expect("a JSON string");
    let matcher = regex::Regex::new(&pattern).expect("the README's regexp compiles");

    let dir = project();
    let run = check(dir.path(), "concise", &[]);
    let findings = json(&check(dir.path(), "json", &[]).stdout);
    let findings = findings.as_array().expect("array");
    assert_eq!(run.stdout.lines().count(), findings.len());
    for (l, f) in run.stdout.lines().zip(findings) {
        let m = matcher
            .captures(l)
            .unwrap_or_else(|| panic!("the README's problem matcher misses {l:?}"));
        assert_eq!(&m[1], f["path"].as_str().expect("path"));
        assert_eq!(m[2].parse::<u64>().ok(), f["line"].as_u64());
        assert_eq!(m[3].parse::<u64>().ok(), f["column"].as_u64());
        assert_eq!(&m[4], f["severity"].as_str().expect("severity"));
        assert_eq!(&m[5], f["code"].as_str().expect("code"));
        assert_eq!(&m[6], f["message"].as_str().expect("message"));
    }
}
