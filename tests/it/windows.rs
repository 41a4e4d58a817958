//! A run with more cross-file findings than one pass of the corpus rules
//! builds (`copydesk_lint::lint::WINDOW_FINDINGS`, 2,048) is finished a
//! window of files at a time: every output still has every finding once,
//! in path order, and counts, baselines and statistics see them all.

use crate::support::{article, copydesk, tempdir, write};

/// More files sharing one title than one window holds.
const FILES: usize = 4_500;

fn corpus() -> tempfile::TempDir {
    let dir = tempdir();
    write(
        dir.path(),
        "copydesk.toml",
        "content-roots = [\"content\"]\n",
    );
    for i in 0..FILES {
        let text = article(&format!("{}", 900_000 + i), "Daily market update");
        // The front matter and a line of body: the body rules are not what
        // this is about, and a debug build is slow at 4,500 long bodies.
        let end = text[4..].find("\n---\n").map_or(text.len(), |i| i + 9);
        let text = format!("{}Markets moved today.\n", &text[..end]);
        write(
            dir.path(),
            &format!("content/{:02}/{i:05}.md", i % 37),
            &text,
        );
    }
    dir
}

#[test]
fn findings_of_many_windows_are_each_reported_once_in_path_order() {
    let dir = corpus();
    let now = "--now=2026-02-01T00:00:00Z";
    let json = copydesk(dir.path(), &["check", "--format", "json", now]);
    // Warnings only.
    assert_eq!(json.code, 0, "{}", json.stderr);
    let findings: Vec<serde_json::Value> = serde_json::from_str(&json.stdout).expect("JSON");
    let titles: Vec<&str> = findings
        .iter()
        .filter(|f| f["code"] == "corpus/duplicate-title")
        .filter_map(|f| f["path"].as_str())
        .collect();
    assert_eq!(titles.len(), FILES);
    let mut sorted = titles.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted, titles, "each file once, in path order");

    let stats = copydesk(dir.path(), &["check", "--statistics", now]);
    assert!(
        stats
            .stdout
            .contains(&format!("{FILES:>6}  corpus/duplicate-title")),
        "{}",
        stats.stdout
    );

    // A baseline records every window's findings and silences them all.
    let recorded = copydesk(dir.path(), &["check", "--write-baseline", "base.json", now]);
    assert_eq!(recorded.code, 0, "{}", recorded.stderr);
    let silenced = copydesk(dir.path(), &["check", "--baseline", "base.json", now]);
    assert_eq!(silenced.code, 0, "{}", silenced.both());
    assert!(silenced.stdout.is_empty(), "{}", silenced.stdout);
}
