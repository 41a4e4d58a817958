//! The rule fixtures under `fixtures/rules`, each linted as a corpus of its
//! own through the library and snapshotted in the `full` and `json` formats.
//!
//! A case is `fixtures/rules/<group>/<rule>/{valid,invalid}/<case>.md`, or,
//! for cross-file rules, a folder `…/{valid,invalid}/<case>/` whose `.md`
//! files form the corpus. A valid case must yield no finding from any rule;
//! an invalid case at least one, all of its folder's rule.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use copydesk::cli::Format;
use copydesk::render::{self, Options};
use copydesk_lint::{registry, Diagnostic, Settings};

/// Rules without fixture folders, each with the reason. The test below
/// asserts this is exactly the set of registered rules lacking fixtures.
const WITHOUT_FIXTURES: &[(&str, &str)] = &[
    (
        "file/too-large",
        "a fixture over the 10 MiB limit does not belong in git; tests/it/cli.rs writes one in a temp dir",
    ),
    (
        "history/article-removed",
        "needs a git repository with the old version: tests/it/history.rs builds them with the git executable",
    ),
    (
        "history/external-id-changed",
        "needs a git repository with the old version: tests/it/history.rs builds them with the git executable",
    ),
    (
        "history/published-at-changed",
        "needs a git repository with the old version: tests/it/history.rs builds them with the git executable",
    ),
    (
        "history/unpublished",
        "needs a git repository with the old version: tests/it/history.rs builds them with the git executable",
    ),
    (
        "image/unreachable",
        "its findings come from `check --online` against a server; tests/it/online.rs runs one on 127.0.0.1",
    ),
];

/// `fixtures/rules`, relative to this file (for `insta::glob!`).
const RULES: &str = "../../../../fixtures/rules";

/// "Now" for every fixture, so date rules are reproducible.
const NOW: &str = "2026-11-22T00:00:00Z";

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the repository root exists")
}

pub(crate) fn fixtures_dir() -> PathBuf {
    repo_root().join("fixtures/rules")
}

/// `path` relative to the repository root, `/`-separated: what the CLI
/// would show when run from the root.
fn display_path(path: &Path) -> String {
    let rel = path
        .strip_prefix(repo_root())
        .expect("fixtures live in the repository");
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// The default settings, or those of the rule folder's `copydesk.toml`
/// for rules that only act on a configured list.
fn settings(case: &Path) -> Settings {
    let now = NOW.parse().expect("NOW is a timestamp");
    let config_file = case
        .ancestors()
        .nth(2)
        .map(|rule_dir| rule_dir.join("copydesk.toml"))
        .filter(|p| p.is_file());
    let config = match &config_file {
        Some(path) => toml::from_str(&std::fs::read_to_string(path).expect("config is readable"))
            .expect("fixture config parses"),
        None => copydesk_lint::config::Config::default(),
    };
    let config_dir = config_file.as_deref().and_then(Path::parent);
    Settings::new(config, now)
        .and_then(|s| s.with_contract_file(config_dir.unwrap_or(Path::new("."))))
        .expect("fixture settings resolve")
}

/// The files of a case: the file itself, or a folder's `.md` files sorted.
fn case_files(case: &Path) -> Vec<PathBuf> {
    if case.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(case)
            .expect("case folder is readable")
            .map(|e| e.expect("case folder entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect();
        files.sort();
        files
    } else {
        vec![case.to_path_buf()]
    }
}

/// Lints a case as a corpus of its own, the way `copydesk check` does.
pub(crate) fn lint_case(case: &Path) -> Vec<Diagnostic> {
    let settings = settings(case);
    let reports = case_files(case)
        .iter()
        .map(|file| {
            let bytes = std::fs::read(file).expect("fixture is readable");
            let path = display_path(file);
            copydesk_lint::lint_bytes(&settings, &path, &path, bytes)
        })
        .collect();
    copydesk_lint::lint::finish(&settings, reports, Vec::new())
}

/// The rule code and kind (`valid`/`invalid`) a case's path names.
fn case_code_and_kind(case: &Path) -> (String, String) {
    let rel = case
        .strip_prefix(fixtures_dir())
        .expect("case is under fixtures/rules");
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    assert!(
        parts.len() == 4,
        "{}: a case is <group>/<rule>/<valid|invalid>/<case>",
        rel.display()
    );
    (format!("{}/{}", parts[0], parts[1]), parts[2].clone())
}

#[test]
fn fixtures() {
    let mut problems: Vec<String> = Vec::new();
    let mut cases = 0usize;
    // The snapshots keep the paths and names they had when this file was a
    // test binary of its own (`tests/snapshots/fixtures__fixtures@….snap`).
    let mut snapshots = insta::Settings::clone_current();
    snapshots.set_snapshot_path("../snapshots");
    snapshots.set_prepend_module_to_snapshot(false);
    let _bound = snapshots.bind_to_scope();
    insta::glob!(RULES, "*/*/{valid,invalid}/*", |case| {
        let is_case = case.is_dir() || case.extension().is_some_and(|e| e == "md");
        if !is_case {
            return;
        }
        cases += 1;
        let (code, kind) = case_code_and_kind(case);
        let diagnostics = lint_case(case);
        let name = display_path(case);
        match kind.as_str() {
            "valid" if !diagnostics.is_empty() => problems.push(format!(
                "{name}: a valid case has findings: {:?}",
                diagnostics.iter().map(|d| d.code).collect::<Vec<_>>()
            )),
            "invalid" if diagnostics.is_empty() => {
                problems.push(format!("{name}: an invalid case has no finding"));
            }
            "invalid" => {
                let others: Vec<&str> = diagnostics
                    .iter()
                    .map(|d| d.code)
                    .filter(|c| *c != code)
                    .collect();
                if !others.is_empty() {
                    problems.push(format!(
                        "{name}: findings of other rules than {code}: {others:?}"
                    ));
                }
            }
            "valid" => {}
            other => problems.push(format!("{name}: `{other}` is neither valid nor invalid")),
        }
        let options = Options {
            color: false,
            width: 100,
            base: None,
        };
        let full = render::render(Format::Full, &diagnostics, &[], &options);
        let json = render::render(Format::Json, &diagnostics, &[], &options);
        let shown = format!("--- full ---\n{full}--- json ---\n{json}");
        insta::assert_snapshot!("fixtures__fixtures", shown);
    });
    assert!(cases > 0, "no fixture found");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The `<group>/<rule>` folders under fixtures/rules.
fn fixture_rule_dirs() -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for group in std::fs::read_dir(fixtures_dir()).expect("fixtures/rules exists") {
        let group = group.expect("entry").path();
        if !group.is_dir() {
            continue;
        }
        for rule in std::fs::read_dir(&group).expect("group folder") {
            let rule = rule.expect("entry").path();
            if rule.is_dir() {
                out.insert(display_path(&rule)["fixtures/rules/".len()..].to_owned());
            }
        }
    }
    out
}

fn count_cases(dir: &Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_dir() || p.extension().is_some_and(|e| e == "md"))
            .count()
    })
}

#[test]
fn every_rule_has_valid_and_invalid_fixtures() {
    let dirs = fixture_rule_dirs();
    let exceptions: BTreeSet<&str> = WITHOUT_FIXTURES.iter().map(|(c, _)| *c).collect();
    let mut problems = Vec::new();
    for meta in registry::metas() {
        if exceptions.contains(meta.code) {
            continue;
        }
        for kind in ["valid", "invalid"] {
            let dir = fixtures_dir().join(meta.code).join(kind);
            if count_cases(&dir) == 0 {
                problems.push(format!(
                    "{}: no case in fixtures/rules/{}/{kind}/",
                    meta.code, meta.code
                ));
            }
        }
    }
    let without: BTreeSet<&str> = registry::metas()
        .map(|m| m.code)
        .filter(|c| !dirs.contains(*c))
        .collect();
    assert_eq!(
        without, exceptions,
        "WITHOUT_FIXTURES must list exactly the rules that have no fixture folder"
    );
    for dir in &dirs {
        if registry::find(dir).is_none() {
            problems.push(format!(
                "fixtures/rules/{dir}: no registered rule has this code"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Fixtures whose point is their raw bytes: a checkout that converted line
/// endings or re-encoded them would make their cases prove nothing.
#[test]
fn byte_level_fixtures_keep_their_bytes() {
    let read = |rel: &str| std::fs::read(fixtures_dir().join(rel)).expect(rel);
    let crlf = read("frontmatter/missing/valid/crlf.md");
    let lf = crlf.iter().filter(|b| **b == b'\n').count();
    let crlf_count = crlf.windows(2).filter(|w| w == b"\r\n").count();
    assert!(
        lf > 0 && lf == crlf_count,
        "crlf.md lost its CRLF line endings"
    );
    assert!(read("frontmatter/missing/valid/bom.md").starts_with("\u{feff}---\n".as_bytes()));
    assert!(read("file/binary/invalid/png-bytes.md").contains(&0));
    assert!(read("file/binary/invalid/nul-in-body.md").contains(&0));
    assert!(read("file/not-utf8/invalid/latin1-title.md").contains(&0xE9));
    assert!(read("file/not-utf8/invalid/utf16.md").starts_with(&[0xFF, 0xFE]));
    for rel in [
        "file/not-utf8/invalid/latin1-title.md",
        "file/not-utf8/invalid/truncated-character.md",
    ] {
        assert!(
            std::str::from_utf8(&read(rel)).is_err(),
            "{rel} is valid UTF-8"
        );
    }
}
