//! Each rule's declared fix kind (`RuleMeta::fix`, shown by `copydesk
//! rules` and in SARIF) against the fixes its findings carry, over its
//! invalid fixtures and its documentation's invalid examples:
//! - `None`: no finding has a fix;
//! - `Safe`: every fix is safe, and at least one is seen;
//! - `Unsafe`: every fix is unsafe, and at least one is seen;
//! - `Sometimes`: fixes of either kind, at least one seen.

use std::collections::BTreeMap;
use std::path::PathBuf;

use copydesk_lint::rule::FixKind;
use copydesk_lint::{doc_examples, registry, Applicability, Diagnostic};

use crate::fixtures::{fixtures_dir, lint_case};

/// The fixes seen on one rule's findings.
#[derive(Debug, Default)]
struct Seen {
    findings: usize,
    safe: usize,
    unsafe_: usize,
}

impl Seen {
    fn add(&mut self, d: &Diagnostic) {
        self.findings += 1;
        match d.fix.as_ref().map(|f| f.applicability) {
            Some(Applicability::Safe) => self.safe += 1,
            Some(Applicability::Unsafe) => self.unsafe_ += 1,
            None => {}
        }
    }
}

/// The cases under `fixtures/rules/<group>/<rule>/invalid/`: `.md` files
/// and folders (a corpus each).
fn invalid_cases() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let entries = |dir: PathBuf| -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .map(|e| e.expect("fixture folder entry").path())
            .collect();
        v.sort();
        v
    };
    for group in entries(fixtures_dir()).into_iter().filter(|p| p.is_dir()) {
        for rule in entries(group).into_iter().filter(|p| p.is_dir()) {
            out.extend(
                entries(rule.join("invalid"))
                    .into_iter()
                    .filter(|p| p.is_dir() || p.extension().is_some_and(|e| e == "md")),
            );
        }
    }
    out
}

/// The fixes seen per rule code over every invalid fixture and invalid
/// doc example (each example linted with only its rule on).
fn seen_per_rule() -> BTreeMap<&'static str, Seen> {
    let mut seen: BTreeMap<&'static str, Seen> = BTreeMap::new();
    let cases = invalid_cases();
    assert!(
        cases.len() > 50,
        "invalid fixtures missing: {}",
        cases.len()
    );
    for case in &cases {
        for d in lint_case(case) {
            seen.entry(d.code).or_default().add(&d);
        }
    }
    for meta in registry::metas() {
        let ex = doc_examples::parse(meta).unwrap_or_else(|e| panic!("{}: {e}", meta.code));
        if ex.invalid.is_empty() {
            continue;
        }
        let settings = doc_examples::settings_for(meta.code, ex.config.as_deref())
            .unwrap_or_else(|e| panic!("{}: {e}", meta.code));
        let by_file = doc_examples::lint(&settings, &ex.invalid, &ex.invalid_names)
            .unwrap_or_else(|e| panic!("{}: {e}", meta.code));
        for d in by_file.values().flatten() {
            seen.entry(d.code).or_default().add(d);
        }
    }
    seen
}

#[test]
fn every_rule_declares_the_fix_kind_its_findings_show() {
    let seen = seen_per_rule();
    let mut problems = Vec::new();
    for meta in registry::metas() {
        let empty = Seen::default();
        let s = seen.get(meta.code).unwrap_or(&empty);
        let fixes = s.safe + s.unsafe_;
        let ok = match meta.fix {
            FixKind::None => fixes == 0,
            FixKind::Safe => s.unsafe_ == 0 && s.safe > 0,
            FixKind::Unsafe => s.safe == 0 && s.unsafe_ > 0,
            FixKind::Sometimes => fixes > 0,
        };
        if !ok {
            problems.push(format!(
                "{}: declares {:?}, but over {} findings saw {} safe and {} unsafe fixes",
                meta.code, meta.fix, s.findings, s.safe, s.unsafe_
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
