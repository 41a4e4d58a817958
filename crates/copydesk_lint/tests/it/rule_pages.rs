//! `docs/rules/` holds one page per rule, generated from its doc comment,
//! because diagnostics (SARIF `helpUri`, the server's code links) link to
//! them: a stale or missing page is a dead link. Regenerate with
//! `COPYDESK_UPDATE_DOCS=1 cargo test -p copydesk_lint --test it rule_pages`.

use std::path::{Path, PathBuf};

fn docs_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules")
}

/// Every `.md` file under `dir`, relative to it, with `/` separators.
fn markdown_files(dir: &Path, prefix: &str, out: &mut Vec<String>) {
    let Ok(read) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in read.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if path.is_dir() {
            markdown_files(&path, &format!("{prefix}{name}/"), out);
        } else if name.ends_with(".md") {
            out.push(format!("{prefix}{name}"));
        }
    }
}

#[test]
fn rule_pages_are_current() {
    let dir = docs_dir();
    let pages = copydesk_lint::registry::doc_pages();
    if std::env::var_os("COPYDESK_UPDATE_DOCS").is_some() {
        let _ = std::fs::remove_dir_all(&dir);
        for (rel, text) in &pages {
            let path = dir.join(rel);
            std::fs::create_dir_all(path.parent().expect("page folder")).expect("create folder");
            std::fs::write(&path, text).expect("write page");
        }
    }
    let hint = "run `COPYDESK_UPDATE_DOCS=1 cargo test -p copydesk_lint --test it rule_pages`";
    for (rel, text) in &pages {
        let committed = std::fs::read_to_string(dir.join(rel)).unwrap_or_default();
        assert!(committed == *text, "docs/rules/{rel} is stale: {hint}");
    }
    let mut on_disk = Vec::new();
    markdown_files(&dir, "", &mut on_disk);
    on_disk.sort();
    let mut expected: Vec<String> = pages.into_iter().map(|(rel, _)| rel).collect();
    expected.sort();
    assert_eq!(
        on_disk, expected,
        "docs/rules holds pages of no rule: {hint}"
    );
}

#[test]
fn every_docs_url_names_a_generated_page() {
    if std::env::var_os("COPYDESK_UPDATE_DOCS").is_some() {
        // The other test is rewriting the folder meanwhile.
        return;
    }
    let base = copydesk_lint::rule::DOCS_BASE;
    for m in copydesk_lint::registry::metas() {
        let url = m.docs_url();
        let rel = url
            .strip_prefix(base)
            .and_then(|r| r.strip_prefix('/'))
            .unwrap_or_else(|| panic!("{url} is not under {base}"));
        assert!(
            docs_dir().join(rel).is_file(),
            "{} links to {url}, which has no page in docs/rules",
            m.code
        );
    }
}
