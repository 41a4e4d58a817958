//! Suppression comments, end to end: `# copydesk: ignore[code, …]` on a
//! key's line or the line above it silences that key's findings; at the
//! top of the block (followed by a blank line) or as `ignore-file[…]` it
//! silences the whole file; a group name stands for all its rules; a
//! suppression that silences nothing is a `suppression/unused` warning;
//! and `--fix` leaves suppressed findings alone.

use crate::support::{self, article, copydesk, copydesk_stdin, replace, write, Run, NOW};

fn lint(text: &str) -> Run {
    // An empty folder: without a config the working directory is the
    // content root, and cross-file rules would read whatever lies there.
    let dir = support::tempdir();
    copydesk_stdin(
        dir.path(),
        &[
            "check",
            "--format",
            "concise",
            "--now",
            NOW,
            "--stdin-filename",
            "a.md",
        ],
        text,
    )
}

/// The codes reported, in order.
fn codes(run: &Run) -> Vec<String> {
    run.stdout
        .lines()
        .map(|l| {
            let start = l.find('[').expect("[code]") + 1;
            let end = l.find(']').expect("[code]");
            l[start..end].to_owned()
        })
        .collect()
}

/// The seed with two defects: an unquoted `externalId` (line 7) and
/// `draft: no` (line 18).
fn two_defects() -> String {
    let text = article("5001", "Two defects");
    let text = replace(&text, "externalId: '5001'", "externalId: 5001");
    replace(&text, "draft: false", "draft: no")
}

#[test]
fn the_unsuppressed_article_has_two_findings() {
    let run = lint(&two_defects());
    assert_eq!(
        codes(&run),
        ["schema/number-not-string", "schema/yaml11-boolean"],
        "{}",
        run.both()
    );
    assert_eq!(run.code, 1);
}

#[test]
fn on_the_key_line() {
    let text = replace(
        &two_defects(),
        "externalId: 5001\n",
        "externalId: 5001 # copydesk: ignore[schema/number-not-string]\n",
    );
    let run = lint(&text);
    assert_eq!(codes(&run), ["schema/yaml11-boolean"], "{}", run.both());
}

#[test]
fn on_the_line_before_the_key() {
    let text = replace(
        &two_defects(),
        "draft: no\n",
        "# copydesk: ignore[schema/yaml11-boolean]\ndraft: no\n",
    );
    let run = lint(&text);
    assert_eq!(codes(&run), ["schema/number-not-string"], "{}", run.both());

    // Several codes, one of which is for another key: that one is unused.
    let text = replace(
        &two_defects(),
        "draft: no\n",
        "# copydesk: ignore[schema/yaml11-boolean, schema/number-not-string]\ndraft: no\n",
    );
    let run = lint(&text);
    assert_eq!(
        codes(&run),
        ["schema/number-not-string", "suppression/unused"],
        "{}",
        run.both()
    );
}

#[test]
fn on_a_mapping_key_it_covers_the_nested_keys() {
    let text = replace(
        &article("5002", "A bad source key"),
        "  key: cointelegraph\n",
        "  key: Coin Telegraph\n",
    );
    let run = lint(&text);
    assert_eq!(
        codes(&run),
        ["editorial/invalid-source-key"],
        "{}",
        run.both()
    );
    let text = replace(
        &text,
        "source:\n",
        "source: # copydesk: ignore[editorial/invalid-source-key]\n",
    );
    let run = lint(&text);
    assert_eq!(run.stdout, "", "{}", run.both());
    assert_eq!(run.code, 0);
}

#[test]
fn at_the_top_of_the_block_followed_by_a_blank_line_for_the_whole_file() {
    let header = "---\n# Imported from the legacy CMS.\n# copydesk: ignore[schema/number-not-string, schema/yaml11-boolean]\n\n";
    let text = two_defects().replacen("---\n", header, 1);
    let run = lint(&text);
    assert_eq!(run.stdout, "", "{}", run.both());
    assert_eq!(run.code, 0);

    // Without the blank line it belongs to the first key (`title`), which
    // has neither finding: both are reported, and both codes are unused.
    let header = "---\n# copydesk: ignore[schema/number-not-string, schema/yaml11-boolean]\n";
    let text = two_defects().replacen("---\n", header, 1);
    let run = lint(&text);
    assert_eq!(
        codes(&run),
        [
            "suppression/unused",
            "suppression/unused",
            "schema/number-not-string",
            "schema/yaml11-boolean"
        ],
        "{}",
        run.both()
    );
}

#[test]
fn ignore_file_anywhere_in_the_block() {
    let text = replace(
        &two_defects(),
        "  version: 1\n",
        "  version: 1\n# copydesk: ignore-file[schema/yaml11-boolean]\n",
    );
    let run = lint(&text);
    assert_eq!(codes(&run), ["schema/number-not-string"], "{}", run.both());
}

#[test]
fn a_group_name_covers_its_rules() {
    let text = two_defects().replacen("---\n", "---\n# copydesk: ignore-file[schema]\n", 1);
    let run = lint(&text);
    assert_eq!(run.stdout, "", "{}", run.both());
    assert_eq!(run.code, 0);
}

#[test]
fn an_unused_suppression_is_a_warning() {
    let text = replace(
        &article("5003", "Clean, with a stale comment"),
        "draft: false\n",
        "draft: false # copydesk: ignore[schema/yaml11-boolean, date/no-such-rule]\n",
    );
    let run = lint(&text);
    assert_eq!(run.code, 0, "warnings do not fail the run: {}", run.both());
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "a.md:18:33: warning[suppression/unused] the suppression of `schema/yaml11-boolean` silences nothing",
            "a.md:18:56: warning[suppression/unused] the suppression names an unknown rule `date/no-such-rule`",
        ],
        "{}",
        run.both()
    );

    // A comment that only looks like one, inside a quoted value, is text.
    let text = replace(
        &article("5004", "Quoted"),
        "score: 0\n",
        "score: 0\nsentiment2: '# copydesk: ignore[schema/unknown-key]'\n",
    );
    let run = lint(&text);
    assert_eq!(codes(&run), ["schema/unknown-key"], "{}", run.both());
}

#[test]
fn a_suppressed_finding_is_not_fixed() {
    let dir = support::tempdir();
    let text = replace(
        &two_defects(),
        "externalId: 5001\n",
        "externalId: 5001 # copydesk: ignore[schema/number-not-string]\n",
    );
    let text = replace(
        &text,
        "publishedAt: '2026-01-31T18:04:41.000Z'",
        "publishedAt: '2026-01-31T20:04:41+02:00'",
    );
    write(dir.path(), "a.md", &text);
    let run = copydesk(
        dir.path(),
        &[
            "check",
            "--format",
            "concise",
            "--now",
            NOW,
            "--fix",
            "--unsafe-fixes",
            "a.md",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.both());
    let fixed = std::fs::read_to_string(dir.path().join("a.md")).expect("read");
    let expected = replace(
        &replace(
            &text,
            "publishedAt: '2026-01-31T20:04:41+02:00'",
            "publishedAt: '2026-01-31T18:04:41Z'",
        ),
        "draft: no",
        "draft: false",
    );
    assert_eq!(fixed, expected, "only the unsuppressed findings are fixed");
}

/// `image/unreachable` is found only with `--online`: a newsroom that
/// silences a known-broken image must not be told, on every run without
/// `--online`, that the suppression silences nothing.
#[test]
fn a_suppression_of_an_online_finding_is_not_unused_offline() {
    let text = article("4242", "A known broken image");
    let line = text
        .lines()
        .find(|l| l.starts_with("  full: "))
        .expect("the full variant")
        .to_owned();
    let text = replace(
        &text,
        &line,
        &format!("{line} # copydesk: ignore[image/unreachable]"),
    );
    let run = lint(&text);
    assert_eq!(codes(&run), Vec::<String>::new(), "{}", run.both());
}
