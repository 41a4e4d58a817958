//! A newsroom's own contract end to end (SPEC §8): `[contract] schema`
//! replacing the built-in one, and TOML/JSON front matter. Every test runs
//! the real binary in a temporary project.

use std::path::Path;
use std::process::{Command, Output};

const NOW: &str = "2026-11-22T00:00:00Z";

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

fn copydesk(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .current_dir(cwd)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run copydesk")
}

/// `check --now NOW --format concise` plus `args`; (exit code, stdout lines, stderr).
fn check(cwd: &Path, args: &[&str]) -> (i32, Vec<String>, String) {
    let mut all = vec!["check", "--now", NOW, "--format", "concise"];
    all.extend_from_slice(args);
    let out = copydesk(cwd, &all);
    (
        out.status.code().expect("exit code"),
        String::from_utf8(out.stdout)
            .expect("utf-8 stdout")
            .lines()
            .map(str::to_owned)
            .collect(),
        String::from_utf8(out.stderr).expect("utf-8 stderr"),
    )
}

/// A Jekyll-shaped contract in draft-07, with its author in `definitions`
/// reached through `$ref`.
const JEKYLL_SCHEMA: &str = r##"{
  "$schema": "http://json-schema.org/draft-07/schema#",
  "type": "object",
  "additionalProperties": false,
  "required": ["layout", "title", "date", "author"],
  "properties": {
    "layout": { "enum": ["post", "page"] },
    "title": { "type": "string", "minLength": 1 },
    "date": {
      "type": "string",
      "pattern": "^\\d{4}-\\d{2}-\\d{2}( \\d{2}:\\d{2}:\\d{2} [+-]\\d{4})?$"
    },
    "author": { "$ref": "#/definitions/author" },
    "tags": { "type": "array", "items": { "type": "string" } }
  },
  "definitions": {
    "author": {
      "type": "object",
      "additionalProperties": false,
      "required": ["name"],
      "properties": {
        "name": { "type": "string" },
        "twitter": { "type": "string" }
      }
    }
  }
}"##;

const JEKYLL_POST: &str = "---
layout: post
title: Jekyll 4.3.0 released
date: 2022-10-20 10:00:00 +0000
author:
  name: Ashwin Maroli
  twitter: ashmaroli
tags: [release, jekyll]
---
## What is new

Jekyll 4.3.0 brings support for Ruby 3.2 and a faster incremental build.
";

fn jekyll_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "copydesk.toml",
        "content-roots = [\"_posts\"]\n\n[contract]\nschema = \"schemas/post.schema.json\"\n",
    );
    write(dir.path(), "schemas/post.schema.json", JEKYLL_SCHEMA);
    write(
        dir.path(),
        "_posts/2022-10-20-jekyll-4-3-0-released.md",
        JEKYLL_POST,
    );
    dir
}

#[test]
fn a_jekyll_post_lints_clean_against_its_own_schema() {
    let dir = jekyll_site();
    let (code, lines, stderr) = check(dir.path(), &[]);
    assert_eq!((code, lines.len()), (0, 0), "{lines:#?}\n{stderr}");
}

#[test]
fn the_newsroom_schema_reports_on_the_right_line() {
    let dir = jekyll_site();
    let post = JEKYLL_POST
        .replace(
            "author:\n  name: Ashwin Maroli\n",
            "author:\n  nmae: Ashwin Maroli\n",
        )
        .replace("layout: post\n", "layout: 42\nsubtitle: x\n")
        .replace("date: 2022-10-20 10:00:00 +0000\n", "date: 20 Oct 2022\n");
    write(
        dir.path(),
        "_posts/2022-10-20-jekyll-4-3-0-released.md",
        &post,
    );
    let (code, lines, stderr) = check(dir.path(), &[]);
    assert_eq!(code, 1, "{lines:#?}\n{stderr}");
    let got: Vec<String> = lines
        .iter()
        .map(|l| {
            l.split_once(':')
                .map_or(l.as_str(), |(_, rest)| rest)
                .to_owned()
        })
        .collect();
    let has = |needle: &str| got.iter().any(|l| l.starts_with(needle));
    // `layout: 42`: not one of the allowed values.
    assert!(has("2:9: error[schema/invalid-value]"), "{got:#?}");
    assert!(has("3:1: error[schema/unknown-key]"), "{got:#?}");
    assert!(has("5:7: error[schema/invalid-value]"), "{got:#?}");
    // The misspelt `name`, inside the `$ref`'d author (the unit tests
    // check its "did you mean `name`?").
    assert!(has("7:3: error[schema/unknown-key]"), "{got:#?}");
    assert!(has("6:1: error[schema/missing-key]"), "{got:#?}");
    // The built-in contract's own rules stay quiet: no cover image, no
    // publishedAt, no uppercase tags are asked of a Jekyll post.
    assert!(
        !got.iter()
            .any(|l| l.contains("image/") || l.contains("editorial/") || l.contains("date/")),
        "{got:#?}"
    );
}

#[test]
fn a_wrong_type_in_the_newsroom_schema_is_reported() {
    let dir = jekyll_site();
    let post = JEKYLL_POST.replace("title: Jekyll 4.3.0 released\n", "title: 4.3\n");
    write(
        dir.path(),
        "_posts/2022-10-20-jekyll-4-3-0-released.md",
        &post,
    );
    let (code, lines, stderr) = check(dir.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains(":3:8: error[schema/number-not-string]")),
        "{lines:#?}"
    );
}

#[test]
fn a_post_without_front_matter_is_told_the_newsroom_keys() {
    let dir = jekyll_site();
    write(
        dir.path(),
        "_posts/2022-10-21-notes.md",
        "## Notes\n\nNo front matter.\n",
    );
    let out = copydesk(dir.path(), &["check", "--now", NOW]);
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    assert!(stdout.contains("frontmatter/missing"), "{stdout}");
    assert!(stdout.contains("keys (layout, title, date,"), "{stdout}");
}

#[test]
fn editing_the_schema_invalidates_the_cache() {
    let dir = jekyll_site();
    assert_eq!(check(dir.path(), &[]).0, 0);
    assert!(dir.path().join(".copydesk_cache").exists());
    // Now every post must have a `permalink`: the cached clean result of
    // the unchanged post must not be reused.
    write(
        dir.path(),
        "schemas/post.schema.json",
        &JEKYLL_SCHEMA.replace(
            "\"required\": [\"layout\", \"title\", \"date\", \"author\"]",
            "\"required\": [\"layout\", \"title\", \"date\", \"author\", \"permalink\"]",
        ),
    );
    let (code, lines, stderr) = check(dir.path(), &[]);
    assert_eq!(code, 1, "{lines:#?}\n{stderr}");
    assert!(
        lines.iter().any(|l| l.contains("schema/missing-key")),
        "{lines:#?}"
    );
}

#[test]
fn a_missing_or_invalid_schema_is_a_config_error_at_the_key() {
    let dir = jekyll_site();
    write(
        dir.path(),
        "copydesk.toml",
        "[contract]\nschema = \"schemas/nope.json\"\n",
    );
    let (code, _, stderr) = check(dir.path(), &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("cannot read the schema"), "{stderr}");
    assert!(
        stderr.contains("schema = \"schemas/nope.json\""),
        "{stderr}"
    );
    write(dir.path(), "schemas/nope.json", "{\"type\": 12}");
    let (code, _, stderr) = check(dir.path(), &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("not a usable JSON Schema"), "{stderr}");
    write(dir.path(), "schemas/nope.json", "{\"type\": ");
    let (code, _, stderr) = check(dir.path(), &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("is not JSON"), "{stderr}");
}

#[test]
fn a_zola_post_is_not_missing_front_matter() {
    let dir = tempfile::tempdir().expect("tempdir");
    let post = "+++\ntitle = \"Hello\"\ndate = 2024-05-01\n\n[taxonomies]\ntags = [\"rust\"]\n+++\n## Hi\n\nA Zola post.\n";
    write(dir.path(), "content/hello.md", post);
    let (code, lines, stderr) = check(dir.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        !lines.iter().any(|l| l.contains("frontmatter/missing")),
        "{lines:#?}"
    );
    // Judged against the built-in contract: `date` is not one of its keys,
    // reported where it is written.
    assert!(
        lines
            .iter()
            .any(|l| l.contains("hello.md:3:1: error[schema/unknown-key]")),
        "{lines:#?}"
    );
}

#[test]
fn fix_keeps_toml_and_json_front_matter_valid() {
    let dir = tempfile::tempdir().expect("tempdir");
    let toml = "+++\ntitle = \"Hello\"\nexternalId = 42\n+++\n## Hi\n\nBody.\n";
    let json = "{\n  \"title\": \"Hello\",\n  \"externalId\": 42\n}\n## Hi\n\nBody.\n";
    write(dir.path(), "content/a.md", toml);
    write(dir.path(), "content/b.md", json);
    let out = copydesk(dir.path(), &["check", "--now", NOW, "--fix", "content"]);
    assert!(out.status.code().is_some(), "{out:?}");
    let a = std::fs::read_to_string(dir.path().join("content/a.md")).expect("a");
    let b = std::fs::read_to_string(dir.path().join("content/b.md")).expect("b");
    assert!(a.contains("externalId = \"42\"\n"), "{a}");
    assert!(b.contains("\"externalId\": \"42\"\n"), "{b}");
}
