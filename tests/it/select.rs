//! Which rules run: `--select`, `--extend-select` and `--ignore` on the
//! command line (codes, groups, `ALL`, as ruff's flags), and group names
//! under `[rules]` and `[[overrides]]` in copydesk.toml.

use std::collections::BTreeSet;
use std::path::Path;

use crate::support::{self, article, replace, write, NOW};

/// A project whose findings span four groups: `date/not-utc` (utc.md),
/// `schema/unknown-key` (key.md), `corpus/duplicate-title` (a.md, b.md)
/// and `corpus/duplicate-external-id` (c.md, d.md). utc.md's title is too
/// short for the opinionated `text/title-length` (off by default).
fn project(config: &str) -> tempfile::TempDir {
    let dir = support::tempdir();
    write(dir.path(), "copydesk.toml", config);
    let utc = article("1", "Not UTC").replacen("18:04:41.000Z", "20:04:41.000+02:00", 1);
    write(dir.path(), "content/utc.md", &utc);
    let key = replace(
        &article("2", "Unknown key in this one article of the corpus"),
        "\nlang: en\n",
        "\nlang: en\nwordCount: 3\n",
    );
    write(dir.path(), "content/key.md", &key);
    let same = "The same headline on two different stories";
    write(dir.path(), "content/a.md", &article("3", same));
    write(dir.path(), "content/b.md", &article("4", same));
    write(
        dir.path(),
        "content/c.md",
        &article("5", "One id on two articles, first"),
    );
    write(
        dir.path(),
        "content/d.md",
        &article("5", "One id on two articles, second"),
    );
    dir
}

/// `check --format concise ARGS`: the exit code and each finding as
/// `file severity[code]`.
fn run(dir: &Path, args: &[&str]) -> (i32, BTreeSet<String>, String) {
    let mut all = vec!["check", "--now", NOW, "--format", "concise"];
    all.extend_from_slice(args);
    let run = support::copydesk(dir, &all);
    let found = run
        .stdout
        .lines()
        .map(|l| {
            let (path, rest) = l.split_once(':').expect("path:");
            let file = path.rsplit('/').next().unwrap_or(path);
            let severity = rest.split_whitespace().nth(1).expect("severity[code]");
            format!("{file} {severity}")
        })
        .collect();
    (run.code, found, run.both())
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

const NOT_UTC: &str = "utc.md error[date/not-utc]";
const UNKNOWN_KEY: &str = "key.md error[schema/unknown-key]";
const TITLE_A: &str = "a.md warning[corpus/duplicate-title]";
const TITLE_B: &str = "b.md warning[corpus/duplicate-title]";
const ID_C: &str = "c.md error[corpus/duplicate-external-id]";
const ID_D: &str = "d.md error[corpus/duplicate-external-id]";
const SHORT_TITLE: &str = "utc.md warning[text/title-length]";

fn everything() -> BTreeSet<String> {
    set(&[NOT_UTC, UNKNOWN_KEY, TITLE_A, TITLE_B, ID_C, ID_D])
}

#[test]
fn without_flags_every_rule_on_by_default_runs() {
    let dir = project("");
    let (code, found, all) = run(dir.path(), &[]);
    assert_eq!(code, 1, "{all}");
    assert_eq!(found, everything(), "{all}");
}

#[test]
fn select_replaces_the_enabled_rules_by_code_or_group_comma_separated_and_repeated() {
    let dir = project("");
    let (code, found, all) = run(dir.path(), &["--select", "date"]);
    assert_eq!((code, found), (1, set(&[NOT_UTC])), "{all}");
    let (_, found, all) = run(
        dir.path(),
        &[
            "--select",
            "date,corpus/duplicate-title",
            "--select",
            "schema",
        ],
    );
    assert_eq!(
        found,
        set(&[NOT_UTC, UNKNOWN_KEY, TITLE_A, TITLE_B]),
        "{all}"
    );
    // Warnings alone do not fail the run.
    let (code, found, all) = run(dir.path(), &["--select=corpus/duplicate-title"]);
    assert_eq!((code, found), (0, set(&[TITLE_A, TITLE_B])), "{all}");
}

#[test]
fn ignore_turns_rules_off_and_the_most_specific_name_wins() {
    let dir = project("");
    let (_, found, all) = run(dir.path(), &["--ignore", "corpus,date/not-utc"]);
    assert_eq!(found, set(&[UNKNOWN_KEY]), "{all}");
    // A code is more specific than its group, whichever flag names which.
    let expected = set(&[NOT_UTC, UNKNOWN_KEY, TITLE_A, TITLE_B]);
    let code_over_group: [&[&str]; 2] = [
        &[
            "--ignore",
            "corpus",
            "--extend-select",
            "corpus/duplicate-title",
        ],
        &[
            "--select",
            "ALL",
            "--ignore",
            "corpus",
            "--select",
            "corpus/duplicate-title",
        ],
    ];
    for flags in code_over_group {
        let (_, found, all) = run(dir.path(), flags);
        assert_eq!(found, expected, "{flags:?}: {all}");
    }
    let (_, found, all) = run(
        dir.path(),
        &[
            "--select",
            "corpus",
            "--ignore",
            "corpus/duplicate-external-id",
        ],
    );
    assert_eq!(found, set(&[TITLE_A, TITLE_B]), "{all}");
    // At the same specificity, --ignore wins.
    let (_, found, all) = run(dir.path(), &["--select", "date", "--ignore", "date"]);
    assert!(found.is_empty(), "{all}");
}

#[test]
fn all_leaves_the_opinionated_rules_off_unless_named_by_code() {
    let dir = project("");
    let (_, found, all) = run(dir.path(), &["--select", "ALL"]);
    assert_eq!(found, everything(), "{all}");
    let (_, found, all) = run(dir.path(), &["--extend-select", "text"]);
    assert_eq!(found, everything(), "{all}");
    let (_, found, all) = run(dir.path(), &["--select", "text/title-length"]);
    assert!(found.contains(SHORT_TITLE), "{all}");
    assert!(!found.contains(NOT_UTC), "{all}");
    // Turned on in the file, a group selects it.
    let dir = project("[rules]\n\"text/title-length\" = \"error\"\n");
    let (_, found, all) = run(dir.path(), &["--select", "text"]);
    assert!(found.contains("utc.md error[text/title-length]"), "{all}");
    assert!(!found.contains(NOT_UTC), "{all}");
}

#[test]
fn the_flags_win_over_the_file_at_its_severity() {
    let config = "[rules]\n\"corpus/duplicate-title\" = \"off\"\n\"date/not-utc\" = \"warning\"\n";
    let dir = project(config);
    let (_, found, all) = run(dir.path(), &[]);
    assert!(!found.contains(TITLE_A), "{all}");
    assert!(found.contains("utc.md warning[date/not-utc]"), "{all}");
    let (_, found, all) = run(dir.path(), &["--extend-select", "corpus/duplicate-title"]);
    assert!(found.contains(TITLE_A), "{all}");
    let (_, found, all) = run(dir.path(), &["--select", "date"]);
    assert_eq!(found, set(&["utc.md warning[date/not-utc]"]), "{all}");
    // Overrides still apply per path, as ruff's per-file ignores do.
    let dir = project("[[overrides]]\nfiles = [\"content/utc.md\"]\nrules = { date = \"off\" }\n");
    let (_, found, all) = run(dir.path(), &["--select", "date"]);
    assert!(found.is_empty(), "{all}");
}

#[test]
fn an_unknown_code_or_group_exits_2_with_a_suggestion() {
    let dir = project("");
    for (args, message) in [
        (
            &["--select", "corpuss"][..],
            "--select: unknown rule or group `corpuss`; did you mean `corpus`?",
        ),
        (
            &["--ignore", "date/not-utcc"][..],
            "--ignore: unknown rule `date/not-utcc`; did you mean `date/not-utc`?",
        ),
        (
            &["--extend-select", "all"][..],
            "--extend-select: unknown rule or group `all`",
        ),
    ] {
        let (code, found, all) = run(dir.path(), args);
        assert_eq!(code, 2, "{all}");
        assert!(found.is_empty(), "{all}");
        assert!(
            all.contains(&format!("copydesk: error: {message}")),
            "{all}"
        );
    }
}

#[test]
fn the_cache_keeps_the_findings_of_each_selection_apart() {
    let dir = project("");
    let (_, found, all) = run(dir.path(), &["--select", "date"]);
    assert_eq!(found, set(&[NOT_UTC]), "{all}");
    assert!(dir.path().join(".copydesk_cache").is_dir(), "{all}");
    // The same files, from the cache where it may: nothing lost.
    let (_, found, all) = run(dir.path(), &[]);
    assert_eq!(found, everything(), "{all}");
    let (_, found, all) = run(dir.path(), &["--ignore", "schema"]);
    assert!(!found.contains(UNKNOWN_KEY), "{all}");
}

#[test]
fn groups_set_levels_in_the_file_and_a_code_wins_over_its_group() {
    // Written before or after its group, the code wins.
    for config in [
        "[rules]\ncorpus = \"off\"\n\"corpus/duplicate-title\" = \"error\"\nschema = \"warning\"\n",
        "[rules]\n\"corpus/duplicate-title\" = \"error\"\nschema = \"warning\"\ncorpus = \"off\"\n",
    ] {
        let dir = project(config);
        let (_, found, all) = run(dir.path(), &[]);
        let expected = set(&[
            NOT_UTC,
            "key.md warning[schema/unknown-key]",
            "a.md error[corpus/duplicate-title]",
            "b.md error[corpus/duplicate-title]",
        ]);
        assert_eq!(found, expected, "{config}\n{all}");
    }
    // A group's level does not turn its opinionated rules on.
    let dir = project("[rules]\ntext = \"error\"\n");
    let (_, found, all) = run(dir.path(), &[]);
    assert_eq!(found, everything(), "{all}");
    // Overrides take groups too, and turn a group back on per path.
    let config = "[rules]\ndate = \"off\"\n\n[[overrides]]\nfiles = [\"content/utc.md\"]\nrules = { date = \"warning\" }\n";
    let dir = project(config);
    let (_, found, all) = run(dir.path(), &["--select", "date"]);
    assert_eq!(found, set(&["utc.md warning[date/not-utc]"]), "{all}");
}

#[test]
fn an_unknown_group_in_the_file_points_at_its_line_and_suggests() {
    for (config, at) in [
        (
            "[rules]\ndate = \"off\"\ncorpuss = \"off\"\n",
            "copydesk.toml:3:1",
        ),
        (
            "[[overrides]]\nfiles = [\"x/**\"]\nrules = { dates = \"off\" }\n",
            "copydesk.toml:3:",
        ),
    ] {
        let dir = project(config);
        let (code, found, all) = run(dir.path(), &[]);
        assert_eq!(code, 2, "{all}");
        assert!(found.is_empty(), "{all}");
        assert!(all.contains(at), "{at} in {all}");
        assert!(all.contains("unknown rule or group"), "{all}");
        assert!(all.contains("did you mean"), "{all}");
    }
}

#[test]
fn the_rules_command_shows_the_levels_groups_set() {
    let dir = project("[rules]\ndate = \"warning\"\ncorpus = \"off\"\n");
    let text = support::copydesk(dir.path(), &["rules"]).stdout;
    let line = |code: &str| {
        text.lines()
            .find(|l| l.starts_with(&format!("{code} ")))
            .unwrap_or_default()
            .to_owned()
    };
    assert!(line("date/not-utc").contains(" warning "), "{text}");
    assert!(line("corpus/duplicate-title").contains(" off "), "{text}");
    let run = support::copydesk(dir.path(), &["rules", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.both());
    // `--json` is the same, and `check`'s spelling of it works too.
    assert_eq!(
        run.stdout,
        support::copydesk(dir.path(), &["rules", "--json"]).stdout
    );
    let rules: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let level = |code: &str| {
        rules
            .as_array()
            .and_then(|all| all.iter().find(|r| r["code"] == code))
            .map(|r| r["level"].clone())
    };
    assert_eq!(
        level("date/not-utc"),
        Some("warning".into()),
        "{}",
        run.stdout
    );
    assert_eq!(level("corpus/duplicate-title"), Some("off".into()));
    assert_eq!(level("text/title-length"), Some("off".into()));
    assert_eq!(level("schema/unknown-key"), Some("error".into()));
}
