//! End-to-end tests: the built `copydesk` binary run in temporary folders.
//!
//! Each test works in its own temp dir holding an empty `copydesk.toml`, so
//! the configuration is the defaults and the repository's own config is
//! never picked up.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

use crate::support::{self, code, seed_named, stderr, stdout, write_bytes, NOW};
use crate::tools;

/// A temp dir with an empty `copydesk.toml` (defaults).
fn workspace() -> tempfile::TempDir {
    support::defaults_dir()
}

/// Runs `copydesk` in `dir`, killing it if it outlives the timeout.
fn copydesk(dir: &Path, args: &[&str]) -> Output {
    run(dir, Command::new(env!("CARGO_BIN_EXE_copydesk")), args)
}

/// Runs `command` (copydesk, possibly behind a wrapper) with `args`.
fn run(dir: &Path, mut command: Command, args: &[&str]) -> Output {
    command
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("RUST_BACKTRACE", "0");
    support::output(command, None)
}

/// The findings of a `--format json` run.
fn findings(out: &Output) -> Vec<Value> {
    match serde_json::from_slice(&out.stdout) {
        Ok(Value::Array(items)) => items,
        other => panic!(
            "stdout is not a JSON array ({other:?}):\n{}\nstderr:\n{}",
            stdout(out),
            stderr(out)
        ),
    }
}

fn field<'a>(f: &'a Value, key: &str) -> &'a Value {
    f.get(key)
        .unwrap_or_else(|| panic!("finding lacks `{key}`: {f}"))
}

fn str_field<'a>(f: &'a Value, key: &str) -> &'a str {
    field(f, key)
        .as_str()
        .unwrap_or_else(|| panic!("`{key}` is not a string: {f}"))
}

fn num_field(f: &Value, key: &str) -> usize {
    field(f, key)
        .as_u64()
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or_else(|| panic!("`{key}` is not a number: {f}"))
}

fn in_file<'a>(all: &'a [Value], path: &str) -> Vec<&'a Value> {
    all.iter()
        .filter(|f| str_field(f, "path") == path)
        .collect()
}

/// The 1-based line and character column of byte `offset` in `text`,
/// computed independently of copydesk: lines end at `\n`, a BOM is not a
/// column.
fn expected_position(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..]
        .trim_start_matches('\u{feff}')
        .chars()
        .count()
        + 1;
    (line, column)
}

/// Asserts that `finding` spans exactly `value`, the `nth` (0-based)
/// occurrence of that text in `text`.
fn assert_spans(finding: &Value, text: &str, value: &str, nth: usize) {
    let start = text
        .match_indices(value)
        .nth(nth)
        .unwrap_or_else(|| panic!("{value:?} occurs fewer than {} times", nth + 1))
        .0;
    assert_span_at(finding, text, start, value);
}

/// Asserts that `finding` spans exactly `value`, found at byte `start`.
fn assert_span_at(finding: &Value, text: &str, start: usize, value: &str) {
    assert_eq!(&text[start..start + value.len()], value);
    let (line, column) = expected_position(text, start);
    let (end_line, end_column) = expected_position(text, start + value.len());
    let got = (
        num_field(finding, "line"),
        num_field(finding, "column"),
        num_field(finding, "end_line"),
        num_field(finding, "end_column"),
    );
    assert_eq!(
        got,
        (line, column, end_line, end_column),
        "span of {value:?} in {finding}"
    );
}

/// `^[^:]+:\d+:\d+: (error|warning)\[[a-z0-9-]+/[a-z0-9-]+\] .+$`, by hand.
fn is_concise_line(line: &str) -> bool {
    fn digits(s: &str) -> Option<&str> {
        let n = s.bytes().take_while(u8::is_ascii_digit).count();
        (n > 0).then(|| &s[n..])
    }
    fn slug(s: &str) -> Option<&str> {
        let n = s
            .bytes()
            .take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
            .count();
        (n > 0).then(|| &s[n..])
    }
    let parse = || -> Option<()> {
        let colon = line.find(':')?;
        if colon == 0 || line.contains('\n') || line.contains('\r') {
            return None;
        }
        let rest = digits(&line[colon + 1..])?.strip_prefix(':')?;
        let rest = digits(rest)?.strip_prefix(": ")?;
        let rest = rest
            .strip_prefix("error[")
            .or_else(|| rest.strip_prefix("warning["))?;
        let rest = slug(rest)?.strip_prefix('/')?;
        let message = slug(rest)?.strip_prefix("] ")?;
        (!message.is_empty()).then_some(())
    };
    parse().is_some()
}

#[test]
fn concise_matcher_matches_the_format() {
    assert!(is_concise_line(
        "a/b.md:3:14: error[date/not-utc] `publishedAt` is at offset +02:00, not UTC"
    ));
    assert!(is_concise_line("x.md:1:1: warning[body/heading-skip] h"));
    assert!(!is_concise_line("x.md:1: error[date/not-utc] m"));
    assert!(!is_concise_line("x.md:1:1: error[Date/not-utc] m"));
    assert!(!is_concise_line("x.md:1:1: fatal[date/not-utc] m"));
    assert!(!is_concise_line("x.md:1:1: error[date/not-utc] "));
}

// ------------------------------------------------------------------ seeds

#[test]
fn seeds_folder_has_one_error_for_the_digest_and_exits_1() {
    let dir = workspace();
    write_bytes(dir.path(), "seeds/article.md", seed_named("article.md"));
    write_bytes(dir.path(), "seeds/digest.md", seed_named("digest.md"));

    let out = copydesk(
        dir.path(),
        &["check", "seeds", "--now", NOW, "--format", "json"],
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let all = findings(&out);
    assert_eq!(all.len(), 1, "exactly one finding: {all:#?}");
    let f = &all[0];
    assert_eq!(str_field(f, "path"), "seeds/digest.md");
    assert_eq!(str_field(f, "code"), "frontmatter/missing");
    assert_eq!(str_field(f, "severity"), "error");
    assert!(
        str_field(f, "help").contains("`---`"),
        "the help says what to add: {f}"
    );
    assert_spans(f, &seed_named("digest.md"), "AI Funding Pulse", 0);

    // The default (full) format shows the same error with its help line.
    let out = copydesk(dir.path(), &["check", "seeds", "--now", NOW]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert_eq!(text.matches("frontmatter/missing").count(), 1, "{text}");
    assert!(text.contains("seeds/digest.md:1:1"), "{text}");
    assert!(
        text.contains("help: add a block at the top of the file"),
        "{text}"
    );
    assert!(!text.contains('\u{1b}'), "no colour when not a terminal");
    assert!(
        stderr(&out).contains("Found 1 error and 0 warnings in 2 files."),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_article_alone_is_clean() {
    let dir = workspace();
    write_bytes(dir.path(), "seeds/article.md", seed_named("article.md"));
    for format in ["json", "full", "concise"] {
        let out = copydesk(
            dir.path(),
            &[
                "check",
                "seeds/article.md",
                "--now",
                NOW,
                "--format",
                format,
            ],
        );
        assert_eq!(code(&out), 0, "{format}: {}{}", stdout(&out), stderr(&out));
        if format == "json" {
            assert!(findings(&out).is_empty());
        } else {
            assert_eq!(stdout(&out), "", "{format}");
        }
    }
    // The folder too, with the content root as the default target.
    let out = copydesk(dir.path(), &["check", "--now", NOW]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("All clear: 1 file checked."));
}

// ------------------------------------------------------------------ positions

#[test]
fn crlf_positions_are_those_of_the_value() {
    let dir = workspace();
    let text = seed_named("article.md")
        .replace("stickyWeight: 0", "stickyWeight: 1.5")
        .replace("draft: false", "draft: 'no'")
        .replace('\n', "\r\n");
    write_bytes(dir.path(), "crlf.md", &text);
    let out = copydesk(
        dir.path(),
        &["check", "crlf.md", "--now", NOW, "--format", "json"],
    );
    assert_eq!(code(&out), 1);
    let all = findings(&out);
    assert_eq!(all.len(), 2, "{all:#?}");
    assert_eq!(str_field(&all[0], "code"), "schema/wrong-type");
    assert_spans(&all[0], &text, "1.5", 0);
    assert_eq!(str_field(&all[1], "code"), "schema/wrong-type");
    assert_spans(&all[1], &text, "'no'", 0);
}

#[test]
fn bom_positions_are_those_of_the_value() {
    let dir = workspace();
    let description = seed_named("article.md")
        .lines()
        .nth(2)
        .expect("line 3")
        .to_owned();
    let text = format!(
        "\u{feff}{}",
        seed_named("article.md")
            .replace(&format!("{description}\n"), "")
            .replace(
                "title: CoreWeave shows",
                "title: 2026\nsubtitle: CoreWeave shows"
            )
    );
    write_bytes(dir.path(), "bom.md", &text);
    let out = copydesk(
        dir.path(),
        &["check", "bom.md", "--now", NOW, "--format", "json"],
    );
    assert_eq!(code(&out), 1);
    let all = findings(&out);
    let by_code = |c: &str| {
        all.iter()
            .find(|f| str_field(f, "code") == c)
            .unwrap_or_else(|| panic!("no {c} in {all:#?}"))
    };
    // The missing key is reported at the opening fence: line 1, column 1
    // although three bytes of BOM come first.
    let missing = by_code("schema/missing-key");
    assert_spans(missing, &text, "---", 0);
    assert_eq!(num_field(missing, "column"), 1);
    assert_spans(by_code("schema/number-not-string"), &text, "2026", 0);
    assert_spans(by_code("schema/unknown-key"), &text, "subtitle", 0);
    assert_eq!(all.len(), 3, "{all:#?}");
}

#[test]
fn columns_count_characters_after_multibyte_text() {
    let dir = workspace();
    let title = "比特币矿工转向人工智能 🚀 — Café";
    let text = seed_named("article.md")
        .replace(
            "title: CoreWeave shows how crypto-era infrastructure quietly became AI’s backbone",
            &format!("title: {title}: 2026"),
        )
        .replace("tags:\n  - MINING\n", "tags: ['比特币🚀', 2026]\n");
    write_bytes(dir.path(), "multibyte.md", &text);
    let out = copydesk(
        dir.path(),
        &["check", "multibyte.md", "--now", NOW, "--format", "json"],
    );
    assert_eq!(code(&out), 1);
    let all = findings(&out);
    // The unquoted `: ` after the title is a syntax error at that colon,
    // column 7 + 21 characters (not 7 + its 45 bytes).
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!(str_field(&all[0], "code"), "yaml/syntax-error");
    let colon = format!("{title}:");
    let at = text.find(&colon).expect("title") + title.len();
    assert_eq!(
        (num_field(&all[0], "line"), num_field(&all[0], "column")),
        expected_position(&text, at)
    );
    assert_eq!(num_field(&all[0], "column"), 8 + title.chars().count());

    // With the title quoted, the wrong value after multi-byte text in the
    // tag list is found at its character column.
    let text = text.replace(
        &format!("title: {title}: 2026"),
        &format!("title: '{title}'"),
    );
    write_bytes(dir.path(), "multibyte.md", &text);
    let out = copydesk(
        dir.path(),
        &["check", "multibyte.md", "--now", NOW, "--format", "json"],
    );
    let all = findings(&out);
    let number = all
        .iter()
        .find(|f| str_field(f, "code") == "schema/number-not-string")
        .unwrap_or_else(|| panic!("no number-not-string: {all:#?}"));
    let at = text.find("2026]").expect("the number in the tags");
    assert_span_at(number, &text, at, "2026");
    assert_eq!(
        num_field(number, "column"),
        "tags: ['比特币🚀', ".chars().count() + 1
    );
    let pattern = all
        .iter()
        .find(|f| str_field(f, "code") == "editorial/invalid-tag")
        .unwrap_or_else(|| panic!("no invalid-tag: {all:#?}"));
    assert_spans(pattern, &text, "'比特币🚀'", 0);

    // A wrong-type value on the title's own line (a flow mapping).
    let flow = format!("---\n{{title: '{title}', draft: 'no'}}\n---\nBody.\n");
    write_bytes(dir.path(), "flow.md", &flow);
    let out = copydesk(
        dir.path(),
        &["check", "flow.md", "--now", NOW, "--format", "json"],
    );
    let all = findings(&out);
    let wrong = all
        .iter()
        .find(|f| str_field(f, "code") == "schema/wrong-type")
        .unwrap_or_else(|| panic!("no wrong-type: {all:#?}"));
    assert_spans(wrong, &flow, "'no'", 0);
    assert_eq!(
        num_field(wrong, "column"),
        format!("{{title: '{title}', draft: ").chars().count() + 1
    );

    // The full format's header agrees with json.
    let out = copydesk(dir.path(), &["check", "multibyte.md", "--now", NOW]);
    let full = stdout(&out);
    let (line, column) = expected_position(&text, text.find("2026]").expect("2026"));
    assert!(
        full.contains(&format!("multibyte.md:{line}:{column}]")),
        "{full}"
    );
}

// ------------------------------------------------------------------ bad input

/// One file of the bad-input folder and what it must yield.
struct Bad {
    name: &'static str,
    bytes: Vec<u8>,
    code: &'static str,
}

fn bad_inputs() -> Vec<Bad> {
    let article = seed_named("article.md");
    let mut bomb =
        String::from("---\ntitle: x\nlol: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 0..9 {
        let prev = if i == 0 {
            "a".to_owned()
        } else {
            format!("b{}", i - 1)
        };
        bomb.push_str(&format!(
            "lol{i}: &b{i} [{}]\n",
            vec![format!("*{prev}"); 10].join(", ")
        ));
    }
    bomb.push_str("---\nbody\n");
    let mut not_utf8 = article.clone().into_bytes();
    let at = not_utf8
        .windows(4)
        .position(|w| w == b"## O")
        .expect("a heading");
    not_utf8.insert(at + 3, 0xE9);
    let mut binary = b"\x89PNG\r\n\x1a\n".to_vec();
    binary.extend([0u8; 64]);
    // 1 MB of nested `- ` (under the 1 MiB block limit: it is the depth
    // that must stop the parser).
    let deep = format!("---\n{}x\n---\nbody\n", "- ".repeat(500_000));
    // A front-matter block over 1 MiB.
    let huge = format!(
        "---\ntitle: x\ndescription: '{}'\n---\nbody\n",
        "a".repeat(1_100_000)
    );
    // Over the 10 MiB file limit: not even read.
    let mut too_large = article.clone().into_bytes();
    too_large.resize(10 * 1024 * 1024 + 1, b'a');
    vec![
        Bad {
            name: "alias-bomb.md",
            bytes: bomb.into_bytes(),
            code: "yaml/limit-exceeded",
        },
        Bad {
            name: "binary.md",
            bytes: binary,
            code: "file/binary",
        },
        Bad {
            name: "deep-nesting.md",
            bytes: deep.into_bytes(),
            code: "yaml/limit-exceeded",
        },
        Bad {
            name: "huge-block.md",
            bytes: huge.into_bytes(),
            code: "yaml/limit-exceeded",
        },
        Bad {
            name: "not-utf8.md",
            bytes: not_utf8,
            code: "file/not-utf8",
        },
        Bad {
            name: "tabs.md",
            bytes: article
                .replace("  key: cointelegraph", "\tkey: cointelegraph")
                .into_bytes(),
            code: "yaml/syntax-error",
        },
        Bad {
            name: "too-large.md",
            bytes: too_large,
            code: "file/too-large",
        },
        Bad {
            name: "unterminated.md",
            bytes: article.replacen("\n---\n", "\n\n", 1).into_bytes(),
            code: "frontmatter/unterminated",
        },
    ]
}

#[test]
fn each_bad_input_is_a_finding_with_a_span_and_the_run_goes_on() {
    let dir = workspace();
    let bad = bad_inputs();
    for b in &bad {
        write_bytes(dir.path(), &format!("in/{}", b.name), &b.bytes);
    }
    // Good and bad files sorted before, between and after the bad ones.
    write_bytes(dir.path(), "in/aa-good.md", seed_named("article.md"));
    write_bytes(
        dir.path(),
        "in/mm-good.md",
        seed_named("article.md")
            .replace("57619983", "57619984")
            .replace("CoreWeave", "Lambda"),
    );
    let last = seed_named("article.md")
        .replace("externalId: '57619983'", "externalId: 57619985")
        .replace("CoreWeave", "Crusoe");
    write_bytes(dir.path(), "in/zz-last.md", &last);

    let out = copydesk(
        dir.path(),
        &["check", "in", "--now", NOW, "--format", "json"],
    );
    assert_eq!(
        code(&out),
        1,
        "findings, not a tool error:\n{}",
        stderr(&out)
    );
    let all = findings(&out);
    for b in &bad {
        let path = format!("in/{}", b.name);
        let mine = in_file(&all, &path);
        assert!(
            !mine.is_empty() && mine.iter().all(|f| str_field(f, "code") == b.code),
            "{path}: want findings of {} only, got {mine:#?}",
            b.code
        );
        for f in mine {
            let (line, column) = (num_field(f, "line"), num_field(f, "column"));
            let (end_line, end_column) = (num_field(f, "end_line"), num_field(f, "end_column"));
            assert!(line >= 1 && column >= 1, "{path}: a position: {f}");
            assert!(
                (end_line, end_column) >= (line, column),
                "{path}: the span ends after it starts: {f}"
            );
            assert!(!str_field(f, "message").is_empty());
            assert!(field(f, "help").is_string(), "{path}: a help line: {f}");
        }
    }
    assert!(in_file(&all, "in/aa-good.md").is_empty());
    assert!(in_file(&all, "in/mm-good.md").is_empty());
    let last = in_file(&all, "in/zz-last.md");
    assert_eq!(last.len(), 1, "the file after all the bad ones was linted");
    assert_eq!(str_field(last[0], "code"), "schema/number-not-string");

    // Where the spans are, for the inputs where it is exact.
    let text_of = |name: &str| {
        String::from_utf8_lossy(&bad.iter().find(|b| b.name == name).expect(name).bytes)
            .into_owned()
    };
    let tabs = in_file(&all, "in/tabs.md");
    assert_spans(tabs[0], &text_of("tabs.md"), "\t", 0);
    let unterminated = in_file(&all, "in/unterminated.md");
    assert_spans(unterminated[0], &text_of("unterminated.md"), "---", 0);
    let not_utf8 = in_file(&all, "in/not-utf8.md");
    let heading = text_of("not-utf8.md")
        .find("## \u{fffd}")
        .expect("bad byte")
        + 3;
    assert_eq!(
        (
            num_field(not_utf8[0], "line"),
            num_field(not_utf8[0], "column")
        ),
        expected_position(&text_of("not-utf8.md"), heading)
    );
    let too_large = in_file(&all, "in/too-large.md");
    assert!(str_field(too_large[0], "message").contains("10485761 bytes"));

    // Concise output of the same run: one well-formed line per finding.
    let out = copydesk(
        dir.path(),
        &["check", "in", "--now", NOW, "--format", "concise"],
    );
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), all.len(), "{text}");
    for line in lines {
        assert!(is_concise_line(line), "not a concise line: {line:?}");
    }
    assert!(
        stderr(&out).contains(&format!("in {} files", bad.len() + 3)),
        "{}",
        stderr(&out)
    );
}

#[test]
fn concise_lines_have_the_documented_shape() {
    let dir = workspace();
    let fixtures = support::workspace().join("fixtures/rules");
    let out = copydesk(
        dir.path(),
        &[
            "check",
            fixtures.to_str().expect("UTF-8 path"),
            "--now",
            NOW,
            "--format",
            "concise",
        ],
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.lines().count() > 50, "{text}");
    for line in text.lines() {
        assert!(is_concise_line(line), "not a concise line: {line:?}");
    }
}

// ------------------------------------------------------------------ exit code 2

#[test]
fn unknown_flag_exits_2() {
    let dir = workspace();
    let out = copydesk(dir.path(), &["check", "--bogus"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("--bogus"), "{}", stderr(&out));
}

#[test]
fn bad_now_exits_2() {
    let dir = workspace();
    write_bytes(dir.path(), "a.md", seed_named("article.md"));
    for now in ["yesterday", "2026-11-22", "2026-11-22T25:00:00Z"] {
        let out = copydesk(dir.path(), &["check", "a.md", "--now", now]);
        assert_eq!(code(&out), 2, "--now {now}");
        assert!(stderr(&out).contains("--now"), "{}", stderr(&out));
        assert!(out.stdout.is_empty(), "nothing linted with a bad --now");
    }
}

#[test]
fn missing_path_exits_2_and_the_others_are_still_linted() {
    let dir = workspace();
    write_bytes(dir.path(), "a.md", seed_named("digest.md"));
    let out = copydesk(
        dir.path(),
        &[
            "check", "nope.md", "a.md", "--now", NOW, "--format", "concise",
        ],
    );
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("nope.md: no such file or directory"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).contains("a.md:1:1: error[frontmatter/missing]"));
}

#[test]
fn bad_config_exits_2_and_points_at_the_key() {
    let dir = workspace();
    write_bytes(dir.path(), "a.md", seed_named("article.md"));
    write_bytes(
        dir.path(),
        "copydesk.toml",
        "# settings\n[editorial]\ncategories = []\nbogus-key = 1\n",
    );
    let out = copydesk(dir.path(), &["check", "a.md", "--now", NOW]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("copydesk.toml:4:1"), "{err}");
    assert!(err.contains("bogus-key"), "{err}");

    // An unknown rule code is a bad config too, with a suggestion.
    write_bytes(
        dir.path(),
        "copydesk.toml",
        "[rules]\n\"date/nope\" = \"off\"\n",
    );
    let out = copydesk(dir.path(), &["check", "a.md", "--now", NOW]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("copydesk.toml:2:1"), "{err}");
    assert!(err.contains("did you mean `date/not-utc`?"), "{err}");
}

#[cfg(unix)]
#[test]
#[cfg_attr(
    copydesk_no_setpriv,
    ignore = "running as root without setpriv on PATH: file permissions do not bind root"
)]
fn unreadable_file_exits_2_and_the_others_are_still_linted() {
    use std::os::unix::fs::PermissionsExt;
    let dir = workspace();
    write_bytes(dir.path(), "a.md", seed_named("digest.md"));
    let locked = write_bytes(dir.path(), "locked.md", seed_named("article.md"));
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod 000");
    let args = ["check", ".", "--now", NOW, "--format", "concise"];
    let out = if std::fs::File::open(&locked).is_ok() {
        // Permissions do not bind this user (root): the run drops to
        // `nobody`. Without setpriv, build.rs marks this test ignored.
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755))
            .expect("chmod the temp dir");
        let as_nobody = || {
            let mut cmd = Command::new(tools::SETPRIV.require(&support::workspace()));
            cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(env!("CARGO_BIN_EXE_copydesk"));
            cmd
        };
        let usable = as_nobody()
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        assert!(
            usable,
            "running as root, where chmod 000 does not make a file unreadable, and \
             `setpriv` cannot run copydesk as nobody"
        );
        let setpriv = as_nobody();
        run(dir.path(), setpriv, &args)
    } else {
        copydesk(dir.path(), &args)
    };
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("locked.md: Permission denied"),
        "the error names the file: {err}"
    );
    // The other file is linted all the same.
    assert!(stdout(&out).contains("a.md:1:1: error[frontmatter/missing]"));
}

#[cfg(unix)]
#[test]
fn broken_and_looping_symlinks_exit_2_and_the_others_are_still_linted() {
    let dir = workspace();
    write_bytes(dir.path(), "a.md", seed_named("digest.md"));
    std::os::unix::fs::symlink("nowhere.md", dir.path().join("broken.md")).expect("symlink");
    std::os::unix::fs::symlink("loop.md", dir.path().join("loop.md")).expect("symlink");
    let out = copydesk(
        dir.path(),
        &["check", ".", "--now", NOW, "--format", "concise"],
    );
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("broken.md"), "{err}");
    assert!(err.contains("loop.md"), "{err}");
    assert!(stdout(&out).contains("a.md:1:1: error[frontmatter/missing]"));
}
