//! Every rule's documented examples do what the documentation says.
//!
//! A rule's doc comment (printed by `copydesk explain`) has an `## Examples`
//! section: a line `Invalid:` followed by ```markdown blocks, then a line
//! `Valid:` followed by more. Each example is linted with only that rule
//! enabled and "now" fixed: every invalid example must yield exactly one
//! finding, every valid one none. The blocks under each label form one
//! corpus (files `a.md`, `b.md`, …), so cross-file rules are documented the
//! same way. The format is read by `copydesk_lint::doc_examples`, which the
//! rules' unit tests and the fix-kind test share.

use std::collections::BTreeSet;

use copydesk_lint::doc_examples::{self, example_name};
use copydesk_lint::{registry, Diagnostic};

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
        "history/article-removed",
        "compares two versions from git, which one markdown block cannot hold: described in prose, run by crates/copydesk/tests/it/history.rs",
    ),
    (
        "history/external-id-changed",
        "compares two versions from git, which one markdown block cannot hold: described in prose, run by crates/copydesk/tests/it/history.rs",
    ),
    (
        "history/published-at-changed",
        "compares two versions from git, which one markdown block cannot hold: described in prose, run by crates/copydesk/tests/it/history.rs",
    ),
    (
        "history/unpublished",
        "compares two versions from git, which one markdown block cannot hold: described in prose, run by crates/copydesk/tests/it/history.rs",
    ),
    (
        "image/unreachable",
        "needs the network: the examples are server answers, described in prose",
    ),
];

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
        let ex = match doc_examples::parse(meta) {
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
        let settings = doc_examples::settings_for(code, ex.config.as_deref())
            .unwrap_or_else(|e| panic!("{code}: {e}"));
        let lint = |files: &[String], names: &[Option<String>]| {
            doc_examples::lint(&settings, files, names).unwrap_or_else(|e| panic!("{code}: {e}"))
        };
        let invalid = lint(&ex.invalid, &ex.invalid_names);
        for (i, text) in ex.invalid.iter().enumerate() {
            let name = example_name(i, &ex.invalid_names).expect("lint checked the count");
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
        for (name, found) in lint(&ex.valid, &ex.valid_names) {
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
    let ex = doc_examples::parse(meta).expect("examples parse");
    assert_eq!(ex.invalid.len(), 1);
    assert_eq!(ex.valid.len(), 1);
    assert!(ex.valid[0].starts_with("---\ntitle: "));
}

#[test]
fn the_parser_refuses_malformed_sections() {
    use copydesk_lint::rule::{FixKind, RuleMeta};
    let meta = |docs: &'static str| RuleMeta {
        code: "test/rule",
        default_severity: copydesk_lint::Severity::Error,
        fix: FixKind::None,
        docs,
        time_dependent: false,
        on_request: false,
        enabled_by_default: true,
    };
    for (docs, problem) in [
        (
            " S.\n\n ## Examples\n\n ```markdown\n ---\n ```\n",
            "before `Invalid:`",
        ),
        (
            " S.\n\n ## Examples\n\n Invalid:\n\n ```yaml\n a: 1\n ```\n",
            "stray",
        ),
        (" S.\n\n ```markdown\n ---\n ```\n", "outside"),
        (
            " S.\n\n ## Examples\n\n Invalid:\n\n ```markdown\n ---\n",
            "unclosed",
        ),
        (
            " S.\n\n ## Examples\n\n ```toml\n a = 1\n ```\n ```toml\n b = 1\n ```\n",
            "two",
        ),
    ] {
        let err = doc_examples::parse(&meta(docs)).expect_err(docs);
        assert!(err.contains(problem), "{docs:?}: {err}");
    }
    let ok = doc_examples::parse(&meta(
        " S.\n\n ## Examples\n\n ```toml\n a = 1\n ```\n\n Invalid:\n\n ```markdown\n x\n ```\n\n Valid:\n\n ```markdown\n y\n ```\n\n ## Fix\n\n ```markdown\n z\n",
    ));
    let ok = ok.expect_err("a block after the section is refused");
    assert!(ok.contains("outside"), "{ok}");
    let ex = doc_examples::parse(&meta(
        " S.\n\n ## Examples\n\n ```toml\n a = 1\n ```\n\n Invalid:\n\n ```markdown\n x\n ```\n\n Valid:\n\n ```markdown\n y\n ```\n",
    ))
    .expect("a well-formed section");
    assert_eq!(ex.config.as_deref(), Some("a = 1\n"));
    assert_eq!(ex.invalid, ["x\n"]);
    assert_eq!(ex.valid, ["y\n"]);
}
