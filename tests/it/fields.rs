//! `[fields]` end to end (SPEC §8): a newsroom maps the values the semantic
//! rules read onto its own keys; a rule whose field is not mapped does not
//! run, and `copydesk rules` says why.

use std::path::Path;

use crate::support::{copydesk, tempdir, write, Run, NOW};

/// A Jekyll-shaped contract: no id, no language field, lowercase tags.
const SCHEMA: &str = r##"{
  "$schema": "http://json-schema.org/draft-07/schema#",
  "type": "object",
  "additionalProperties": false,
  "required": ["layout", "title", "date"],
  "properties": {
    "layout": { "enum": ["post"] },
    "title": { "type": "string", "minLength": 1 },
    "date": { "type": "string" },
    "last_modified_at": { "type": "string" },
    "lang": { "type": "string" },
    "image": { "type": "string" },
    "tags": { "type": "array", "items": { "type": "string", "pattern": "^[a-z0-9-]+$" } },
    "categories": { "type": "array", "items": { "type": "string" } }
  }
}"##;

const CONFIG: &str = r#"content-roots = ["_posts"]

[contract]
schema = "schema.json"

[fields]
description = ""
published = "date"
updated = "last_modified_at"
expanded = ""
date-formats = ["jekyll"]
id = ""
lang = ""
cover = ["image"]
translation = ""
"#;

const WELCOME: &str = "---
layout: post
title: Welcome to the new site
date: 2024-01-05 10:00:00 +0100
last_modified_at: 2024-01-06 09:00:00 +0100
image: /assets/img/welcome.jpg
tags: [release, jekyll]
categories: [news]
---
We moved the blog to a static site generator. Everything is faster now.
";

const NOTES: &str = "---
layout: post
title: Release notes for February
date: 2024-02-10 08:30
image: https://example.com/images/notes.png
tags: [release]
categories: [news, releases]
---
The February release fixes the search page and adds a dark theme.
";

/// `lang: de` over an English body: only a finding when `lang` is mapped.
const SPRING: &str = "---
layout: post
title: Spring meetup
date: 2024-03-01
lang: de
tags: [community]
categories: [events]
---
Join us for the spring meetup in the city library. There will be short talks
about building fast websites, a workshop for people who are new to static site
generators, coffee and cake, and a lot of good conversation about the web and
the people who build it. Bring a friend, and tell us what you would like to hear
about at the next meetup in the summer.
";

fn site(config: &str) -> tempfile::TempDir {
    let dir = tempdir();
    write(dir.path(), "copydesk.toml", config);
    write(dir.path(), "schema.json", SCHEMA);
    write(dir.path(), "_posts/2024-01-05-welcome.md", WELCOME);
    write(dir.path(), "_posts/2024-02-10-notes.md", NOTES);
    write(dir.path(), "_posts/2024-03-01-spring.md", SPRING);
    dir
}

fn check(dir: &Path) -> (Run, Vec<String>) {
    let run = copydesk(dir, &["check", "--now", NOW, "--format", "concise"]);
    let lines = run.stdout.lines().map(str::to_owned).collect();
    (run, lines)
}

#[test]
fn a_jekyll_site_with_its_fields_mapped_is_quiet() {
    let dir = site(CONFIG);
    let (run, lines) = check(dir.path());
    assert_eq!((run.code, lines.len()), (0, 0), "{}", run.both());
}

#[test]
fn injected_date_defects_are_caught_on_their_line() {
    let dir = site(CONFIG);
    let edit = |rel: &str, from: &str, to: &str| {
        let text = std::fs::read_to_string(dir.path().join(rel)).expect("read");
        assert!(text.contains(from), "{rel}: {from}");
        write(dir.path(), rel, &text.replace(from, to));
    };
    edit(
        "_posts/2024-01-05-welcome.md",
        "last_modified_at: 2024-01-06 09:00:00 +0100",
        "last_modified_at: 2024-01-04 10:00:00 +0100",
    );
    edit(
        "_posts/2024-02-10-notes.md",
        "date: 2024-02-10 08:30",
        "date: 2027-02-10 08:30",
    );
    edit(
        "_posts/2024-03-01-spring.md",
        "date: 2024-03-01",
        "date: March 1st, 2024",
    );
    let (run, lines) = check(dir.path());
    assert_eq!(run.code, 1, "{}", run.both());
    assert_eq!(
        lines,
        [
            "_posts/2024-01-05-welcome.md:5:19: error[date/updated-before-published] `last_modified_at` is before `date`",
            // Without an offset, the date is in the future once it is in
            // every time zone: 14 hours are set aside.
            "_posts/2024-02-10-notes.md:4:7: error[date/in-future] `date` is 79 days in the future (now is 2026-11-22T00:00:00Z)",
            "_posts/2024-03-01-spring.md:4:7: error[date/invalid-timestamp] `date` is not a date like `2024-01-05 10:00:00 +0100`",
        ],
        "{}",
        run.both()
    );
}

#[test]
fn a_rule_whose_field_is_unmapped_does_not_run_and_rules_says_why() {
    // Mapped, `lang: de` over an English body is a finding...
    let mapped = site(&CONFIG.replace("lang = \"\"", "lang = \"lang\""));
    let (run, lines) = check(mapped.path());
    assert_eq!(
        lines,
        ["_posts/2024-03-01-spring.md:5:7: warning[body/language-mismatch] `lang` is `de` (German), but the body is written in English"],
        "{}",
        run.both()
    );
    // ...unmapped, the rule is inactive: no finding.
    let dir = site(CONFIG);
    let (run, lines) = check(dir.path());
    assert!(lines.is_empty(), "{}", run.both());

    let table = copydesk(dir.path(), &["rules"]);
    assert_eq!(table.code, 0, "{}", table.both());
    let row = table
        .stdout
        .lines()
        .find(|l| l.starts_with("body/language-mismatch "))
        .expect("a row");
    assert!(row.contains(" inactive "), "{row}");
    assert!(
        table
            .stdout
            .contains("\n  body/language-mismatch: [fields] lang is not mapped\n"),
        "{}",
        table.stdout
    );
    // A mapped key the schema does not define is named too.
    let unmapped = copydesk(dir.path(), &["rules", "--json"]);
    let rules: Vec<serde_json::Value> = serde_json::from_str(&unmapped.stdout).expect("json");
    let rule = |code: &str| {
        rules
            .iter()
            .find(|r| r["code"] == code)
            .cloned()
            .expect("listed")
    };
    assert_eq!(rule("date/in-future")["active"], true);
    assert_eq!(rule("corpus/duplicate-external-id")["active"], false);
    assert_eq!(
        rule("corpus/duplicate-external-id")["inactive_reason"],
        "[fields] id is not mapped"
    );
    let other = site(&CONFIG.replace("expanded = \"\"", "expanded = \"ai.expandedAt\""));
    let json = copydesk(other.path(), &["rules", "--json"]);
    let rules: Vec<serde_json::Value> = serde_json::from_str(&json.stdout).expect("json");
    let expanded = rules
        .iter()
        .find(|r| r["code"] == "date/expanded-out-of-range")
        .expect("listed");
    assert_eq!(
        expanded["inactive_reason"],
        "the schema does not define `ai.expandedAt` ([fields] expanded)"
    );
}

#[test]
fn with_the_builtin_contract_every_rule_is_active() {
    let dir = tempdir();
    write(dir.path(), "copydesk.toml", "");
    let run = copydesk(dir.path(), &["rules"]);
    assert!(!run.stdout.contains("inactive"), "{}", run.stdout);
    // Unmapping a field of the built-in contract turns its rules off.
    write(dir.path(), "copydesk.toml", "[fields]\npublished = \"\"\n");
    let run = copydesk(dir.path(), &["rules"]);
    assert!(
        run.stdout
            .contains("\n  date/in-future: [fields] published is not mapped\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_site_relative_cover_path_is_legitimate_and_a_broken_one_is_not() {
    let dir = site(CONFIG);
    let notes = NOTES.replace(
        "image: https://example.com/images/notes.png",
        "image: http://example.com/images/notes.png",
    );
    write(dir.path(), "_posts/2024-02-10-notes.md", &notes);
    let spring = SPRING.replace("lang: de\n", "image: '/images/spring 2024.jpg'\n");
    write(dir.path(), "_posts/2024-03-01-spring.md", &spring);
    let (run, lines) = check(dir.path());
    assert_eq!(
        lines,
        [
            "_posts/2024-02-10-notes.md:5:8: error[image/insecure-url] `image` uses `http://`, not `https://`",
            "_posts/2024-03-01-spring.md:5:8: error[image/invalid-url] `image` contains whitespace",
        ],
        "{}",
        run.both()
    );
    // An unlisted host is not known to serve the image over https: no fix.
    let json = copydesk(dir.path(), &["check", "--now", NOW, "--format", "json"]);
    let found: Vec<serde_json::Value> = serde_json::from_str(&json.stdout).expect("json");
    let insecure = found
        .iter()
        .find(|d| d["code"] == "image/insecure-url")
        .expect("reported");
    assert!(insecure["fix"].is_null(), "{insecure:#}");
}

#[test]
fn toml_datetimes_and_bare_days_are_dates() {
    let dir = tempdir();
    write(
        dir.path(),
        "copydesk.toml",
        "[contract]\nschema = \"schema.json\"\n\n[fields]\npublished = \"date\"\nupdated = \"updated\"\ndate-formats = [\"date\"]\n",
    );
    write(
        dir.path(),
        "schema.json",
        r#"{"type": "object", "properties": {"title": {"type": "string"}, "date": {}, "updated": {}}}"#,
    );
    // Zola: TOML datetimes, with an offset (not a UTC finding there) or a day.
    write(
        dir.path(),
        "content/a.md",
        "+++\ntitle = \"A\"\ndate = 2024-01-05T10:00:00+01:00\nupdated = 2024-01-06\n+++\nText.\n",
    );
    // Today, by the calendar of some zone, is not the future...
    write(
        dir.path(),
        "content/b.md",
        "---\ntitle: B\ndate: '2026-11-22'\n---\nText.\n",
    );
    let (run, lines) = check(dir.path());
    assert!(lines.is_empty(), "{}", run.both());
    // ...a day no zone has reached yet is; an update the day before is
    // before the publication.
    write(
        dir.path(),
        "content/a.md",
        "+++\ntitle = \"A\"\ndate = 2024-01-05T10:00:00+01:00\nupdated = 2024-01-03\n+++\nText.\n",
    );
    write(
        dir.path(),
        "content/b.md",
        "---\ntitle: B\ndate: '2026-11-23'\n---\nText.\n",
    );
    let (run, lines) = check(dir.path());
    assert_eq!(
        lines,
        [
            "content/a.md:4:11: error[date/updated-before-published] `updated` is before `date`",
            "content/b.md:3:7: error[date/in-future] `date` is 10 hours in the future (now is 2026-11-22T00:00:00Z)",
        ],
        "{}",
        run.both()
    );
}

#[test]
fn id_scope_and_its_former_name_are_one_setting() {
    let dir = tempdir();
    write(
        dir.path(),
        "copydesk.toml",
        "[corpus]\nduplicate-scope = \"global\"\n\n[fields]\nid-scope = [\"lang\"]\n",
    );
    let run = copydesk(dir.path(), &["check", "--now", NOW, "--format", "concise"]);
    assert_eq!(run.code, 2, "{}", run.both());
    assert!(
        run.stderr.contains("duplicate-scope") && run.stderr.contains("keep only"),
        "{}",
        run.stderr
    );
    write(
        dir.path(),
        "copydesk.toml",
        "[fields]\npublished = \"a..b\"\n",
    );
    let run = copydesk(dir.path(), &["rules"]);
    assert_eq!(run.code, 2, "{}", run.both());
    assert!(run.stderr.contains("not a key path"), "{}", run.stderr);
}

#[test]
fn offsets_are_a_newsrooms_own_choice_unless_it_asks_for_utc() {
    let dir = tempdir();
    let config = "[contract]\nschema = \"schema.json\"\n\n[fields]\npublished = \"date\"\nupdated = \"lastmod\"\n";
    write(dir.path(), "copydesk.toml", config);
    write(
        dir.path(),
        "schema.json",
        r#"{"type": "object", "properties": {"title": {"type": "string"}, "date": {"type": "string"}, "lastmod": {"type": "string"}}}"#,
    );
    // Hugo writes offsets; 09:30Z is after 09:00Z, though 10:00 > 09:30 as written.
    write(
        dir.path(),
        "content/post.md",
        "---\ntitle: Post\ndate: 2024-01-05T10:00:00+01:00\nlastmod: 2024-01-05T09:30:00Z\n---\nText.\n",
    );
    let (run, lines) = check(dir.path());
    assert!(lines.is_empty(), "{}", run.both());
    write(
        dir.path(),
        "copydesk.toml",
        &format!("{config}\n[rules]\n\"date/not-utc\" = \"warning\"\n"),
    );
    let (run, lines) = check(dir.path());
    assert_eq!(
        lines,
        ["content/post.md:3:7: warning[date/not-utc] `date` is at offset +01:00, not UTC"],
        "{}",
        run.both()
    );
}

#[test]
fn a_themes_cover_mapping_is_read_for_its_urls_not_its_alt_text() {
    let dir = tempdir();
    write(
        dir.path(),
        "copydesk.toml",
        "[contract]\nschema = \"schema.json\"\n\n[fields]\npublished = \"date\"\ncover = [\"cover\", \"images\"]\n",
    );
    write(
        dir.path(),
        "schema.json",
        r#"{"type": "object", "properties": {"title": {"type": "string"}, "date": {"type": "string"}, "cover": {"type": "object"}, "images": {"type": "array"}}}"#,
    );
    // Hugo's PaperMod theme: the image, its alt text and caption.
    let post = "---\ntitle: Bridges\ndate: '2024-01-05T10:00:00Z'\ncover:\n  image: /img/bridge.jpg\n  alt: A red bridge at dusk\n  caption: Photo by the author\n  relative: false\nimages: [img/a.jpg, 'http://cdn.example.com/b.jpg']\n---\nText.\n";
    write(dir.path(), "content/bridges.md", post);
    let (run, lines) = check(dir.path());
    assert_eq!(
        lines,
        ["content/bridges.md:9:21: error[image/insecure-url] `images.1` uses `http://`, not `https://`"],
        "{}",
        run.both()
    );
}
