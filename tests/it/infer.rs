//! `copydesk init --infer` end to end (SPEC §8, issue #17): on a small
//! corpus of each shape (`fixtures/shapes/<shape>/`, copied to a temporary
//! folder), learn the contract, check that the corpus is then quiet, and
//! that a defect injected into one file is caught on its line and column.

use std::path::Path;

use crate::support::{self, copydesk, Run, NOW};

/// A copy of `fixtures/shapes/<shape>` in a temporary folder.
fn site(shape: &str) -> tempfile::TempDir {
    let dir = support::tempdir();
    copy(
        &support::workspace().join("fixtures/shapes").join(shape),
        dir.path(),
    );
    dir
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).expect("fixture folder") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

fn infer(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["init", "--infer"];
    all.extend_from_slice(args);
    copydesk(dir, &all)
}

/// `check --now NOW --format concise`: the run and its finding lines.
fn check(dir: &Path) -> (Run, Vec<String>) {
    let run = copydesk(dir, &["check", "--now", NOW, "--format", "concise"]);
    let lines = run.stdout.lines().map(str::to_owned).collect();
    (run, lines)
}

/// Replaces the one occurrence of `from` in `dir/rel`.
fn edit(dir: &Path, rel: &str, from: &str, to: &str) {
    let path = dir.join(rel);
    let text = std::fs::read_to_string(&path).expect("read");
    assert_eq!(text.matches(from).count(), 1, "{from:?} in {rel}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

/// Learns `shape`'s contract and checks that the corpus is then clean;
/// returns the site and what `init --infer` printed.
fn learned(shape: &str) -> (tempfile::TempDir, Run) {
    let dir = site(shape);
    let run = infer(dir.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.both());
    assert!(dir.path().join("copydesk.toml").is_file());
    assert!(dir
        .path()
        .join("schemas/front-matter.schema.json")
        .is_file());
    let (clean, lines) = check(dir.path());
    assert_eq!(
        (clean.code, lines.len()),
        (0, 0),
        "{shape} is not quiet after init --infer:\n{}\n--- init said\n{}",
        clean.both(),
        run.stdout
    );
    (dir, run)
}

/// Injects `edits` (file, from, to) and asserts that `check` fails with
/// every finding of `expected` (`path:line:col: severity[code]`
/// prefixes) and nothing else.
fn caught(dir: &Path, edits: &[(&str, &str, &str)], expected: &[&str]) {
    for (rel, from, to) in edits {
        edit(dir, rel, from, to);
    }
    let (run, lines) = check(dir);
    assert_eq!(run.code, 1, "{}", run.both());
    for want in expected {
        assert!(
            lines.iter().any(|l| l.starts_with(want)),
            "no {want:?} in\n{}",
            lines.join("\n")
        );
    }
    assert_eq!(lines.len(), expected.len(), "{}", lines.join("\n"));
}

#[test]
fn jekyll() {
    let (dir, run) = learned("jekyll");
    assert!(
        run.stdout.contains(
            "Required (in at least 95% of the files): layout, title, date, categories, tags."
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("published = \"date\""),
        "{}",
        run.stdout
    );
    let toml = std::fs::read_to_string(dir.path().join("copydesk.toml")).expect("config");
    assert!(toml.contains("content-roots = [\"_posts\"]"), "{toml}");
    assert!(toml.contains("date-formats = [\"jekyll\"]"), "{toml}");
    let post = "_posts/2024-02-02-collections.md";
    caught(
        dir.path(),
        &[
            (post, "title: \"Collections", "tilte: \"Collections"),
            (post, "tags: [collections]", "tags: collections"),
            (post, "date: 2024-02-02 09:15:00 +0100", "date: 02/02/2024"),
            ("_posts/2024-04-01-deploying.md", "layout: post\n", ""),
        ],
        &[
            "_posts/2024-02-02-collections.md:1:1: error[schema/missing-key]",
            "_posts/2024-02-02-collections.md:3:1: error[schema/unknown-key]",
            "_posts/2024-02-02-collections.md:4:7: error[schema/invalid-value]",
            "_posts/2024-02-02-collections.md:6:7: error[schema/wrong-type]",
            "_posts/2024-04-01-deploying.md:1:1: error[schema/missing-key]",
        ],
    );
}

#[test]
fn hugo_yaml() {
    let (dir, run) = learned("hugo-yaml");
    // One post is dated at +01:00: RFC 3339 too.
    config_has(
        dir.path(),
        &[
            "content-roots = [\"content/posts\"]",
            "published = \"date\"",
            "updated = \"lastmod\"",
            "date-formats = [\"rfc3339\"]",
        ],
    );
    assert!(
        run.stdout.contains(
            "Required (in at least 95% of the files): title, date, draft, description, tags, categories."
        ),
        "{}",
        run.stdout
    );
    let post = "content/posts/deploying.md";
    caught(
        dir.path(),
        &[
            (post, "draft: false", "draft: \"false\""),
            (post, "categories:", "categoires:"),
            (
                "content/posts/taxonomies.md",
                "description: \"Теги и категории в Hugo: как их объявить и вывести.\"\n",
                "",
            ),
        ],
        &[
            "content/posts/deploying.md:1:1: error[schema/missing-key]",
            "content/posts/deploying.md:4:8: error[schema/wrong-type]",
            "content/posts/deploying.md:7:1: error[schema/unknown-key]",
            "content/posts/taxonomies.md:1:1: error[schema/missing-key]",
        ],
    );
}

/// `copydesk.toml` as written, which must hold each of `lines`.
fn config_has(dir: &Path, lines: &[&str]) {
    let toml = std::fs::read_to_string(dir.join("copydesk.toml")).expect("config");
    for line in lines {
        assert!(toml.lines().any(|l| l == *line), "no {line:?} in\n{toml}");
    }
}

#[test]
fn hugo_toml() {
    let (dir, _) = learned("hugo-toml");
    config_has(
        dir.path(),
        &[
            "content-roots = [\"content/posts\"]",
            "exclude = [\"**/_index.md\"]",
            "published = \"date\"",
            "updated = \"lastmod\"",
            "date-formats = [\"rfc3339\"]",
            "cover = [\"images\"]",
        ],
    );
    let post = "content/posts/getting-started.md";
    caught(
        dir.path(),
        &[
            (post, "draft = false", "draft = \"false\""),
            (post, "tags = [", "tgas = ["),
            (
                "content/posts/shortcodes.md",
                "date = 2024-02-10T17:45:00Z\n",
                "",
            ),
        ],
        &[
            "content/posts/getting-started.md:1:1: error[schema/missing-key]",
            "content/posts/getting-started.md:5:9: error[schema/wrong-type]",
            "content/posts/getting-started.md:7:1: error[schema/unknown-key]",
            "content/posts/shortcodes.md:1:1: error[schema/missing-key]",
        ],
    );
}

#[test]
fn hugo_json() {
    let (dir, _) = learned("hugo-json");
    let post = "content/posts/deploying.md";
    caught(
        dir.path(),
        &[
            (post, "\"draft\": false", "\"draft\": \"false\""),
            (post, "\"description\":", "\"descripton\":"),
            (
                "content/posts/shortcodes.md",
                "  \"date\": \"2024-02-10T17:45:00Z\",\n",
                "",
            ),
        ],
        &[
            "content/posts/deploying.md:1:1: error[schema/missing-key]",
            "content/posts/deploying.md:4:12: error[schema/wrong-type]",
            "content/posts/deploying.md:5:3: error[schema/unknown-key]",
            "content/posts/shortcodes.md:1:1: error[schema/missing-key]",
        ],
    );
}

#[test]
fn zola() {
    let (dir, run) = learned("zola");
    assert!(
        run.stdout.contains(
            "Required (in at least 95% of the files): title, description, date, taxonomies."
        ),
        "{}",
        run.stdout
    );
    config_has(
        dir.path(),
        &[
            "content-roots = [\"content/blog\"]",
            "exclude = [\"**/_index.md\"]",
            "published = \"date\"",
            "updated = \"updated\"",
            "date-formats = [\"date\"]",
        ],
    );
    let schema = std::fs::read_to_string(dir.path().join("schemas/front-matter.schema.json"))
        .expect("schema");
    let schema: serde_json::Value = serde_json::from_str(&schema).expect("JSON");
    assert_eq!(
        schema["properties"]["taxonomies"]["additionalProperties"],
        serde_json::json!(false)
    );
    assert!(schema["properties"]["extra"]
        .get("additionalProperties")
        .is_none());
    let post = "content/blog/search.md";
    caught(
        dir.path(),
        &[
            (post, "title = \"Adding search\"", "title = 42"),
            (post, "date = 2024-04-02", "date = \"April 2nd\""),
            (post, "tags = [\"search\"]", "tag = [\"search\"]"),
        ],
        &[
            "content/blog/search.md:2:9: error[schema/",
            "content/blog/search.md:4:8: error[schema/invalid-value]",
            // `taxonomies` is a closed record: the misspelt key, and the
            // one it replaced, at `[taxonomies]`.
            "content/blog/search.md:7:2: error[schema/missing-key]",
            "content/blog/search.md:8:1: error[schema/unknown-key]",
        ],
    );
}

#[test]
fn astro() {
    let (dir, run) = learned("astro");
    // Astro's `pubDate: 'Jul 08 2022'` is learned as a date, but the date
    // rules do not read that layout: they stay inactive, and say why.
    assert!(
        run.stdout
            .contains("not \"pubDate\": its dates are written month first"),
        "{}",
        run.stdout
    );
    config_has(
        dir.path(),
        &[
            "content-roots = [\"src/content/blog\"]",
            "published = \"\"",
            "updated = \"\"",
            "cover = [\"heroImage\"]",
        ],
    );
    let post = "src/content/blog/second-post.md";
    caught(
        dir.path(),
        &[
            (post, "title: 'Second post'", "title: 2022"),
            (post, "pubDate: 'Jul 15 2022'", "pubDate: 'someday'"),
            (post, "heroImage:", "heroimage:"),
            (
                "src/content/blog/using-mdx.md",
                "description: 'Components inside Markdown, when a post needs them.'\n",
                "",
            ),
        ],
        &[
            "src/content/blog/second-post.md:1:1: error[schema/missing-key]",
            "src/content/blog/second-post.md:2:8: error[schema/number-not-string]",
            "src/content/blog/second-post.md:4:10: error[schema/invalid-value]",
            "src/content/blog/second-post.md:5:1: error[schema/unknown-key]",
            "src/content/blog/using-mdx.md:1:1: error[schema/missing-key]",
        ],
    );
}

#[test]
fn eleventy() {
    let (dir, _) = learned("eleventy");
    config_has(
        dir.path(),
        &[
            "content-roots = [\"content/blog\"]",
            "published = \"date\"",
            "date-formats = [\"date\"]",
        ],
    );
    caught(
        dir.path(),
        &[(
            "content/blog/thirdpost.md",
            "tags: [\"second tag\", \"posts with two tags\"]",
            "tags: \"second tag\"",
        )],
        &["content/blog/thirdpost.md:5:7: error[schema/wrong-type]"],
    );
}

#[test]
fn refuses_to_overwrite_without_force() {
    let dir = site("jekyll");
    std::fs::write(dir.path().join("copydesk.toml"), "# mine\n").expect("write");
    let run = infer(dir.path(), &[]);
    assert_eq!(run.code, 2, "{}", run.both());
    assert!(
        run.stderr.contains("copydesk.toml already exists") && run.stderr.contains("--force"),
        "{}",
        run.both()
    );
    let kept = std::fs::read_to_string(dir.path().join("copydesk.toml")).expect("read");
    assert_eq!(kept, "# mine\n");
    assert!(!dir.path().join("schemas").exists());
    // The schema alone is protected too.
    std::fs::remove_file(dir.path().join("copydesk.toml")).expect("remove");
    support::write(dir.path(), "schemas/front-matter.schema.json", "{}");
    let run = infer(dir.path(), &[]);
    assert_eq!(run.code, 2, "{}", run.both());
    assert!(
        run.stderr
            .contains("schemas/front-matter.schema.json already exists"),
        "{}",
        run.both()
    );
    let run = infer(dir.path(), &["--force"]);
    assert_eq!(run.code, 0, "{}", run.both());
    let schema = std::fs::read_to_string(dir.path().join("schemas/front-matter.schema.json"))
        .expect("schema");
    assert!(schema.contains("\"layout\""), "{schema}");
}

#[test]
fn an_empty_folder_has_nothing_to_learn() {
    let dir = support::tempdir();
    support::write(dir.path(), "notes/readme.md", "# No front matter\n");
    let run = infer(dir.path(), &[]);
    assert_eq!(run.code, 2, "{}", run.both());
    assert!(
        run.stderr.contains("no article with front matter"),
        "{}",
        run.both()
    );
    assert!(!dir.path().join("copydesk.toml").exists());
}

#[test]
fn named_paths_and_the_required_share() {
    let dir = site("hugo-yaml");
    let run = infer(dir.path(), &["content/posts", "--required-share", "0.5"]);
    assert_eq!(run.code, 0, "{}", run.both());
    // `lastmod` and `images` are in 3 of the 6 posts.
    assert!(
        run.stdout.contains(
            "Required (in at least 50% of the files): title, date, draft, description, tags, categories, lastmod, images."
        ),
        "{}",
        run.stdout
    );
    let toml = std::fs::read_to_string(dir.path().join("copydesk.toml")).expect("config");
    assert!(
        toml.contains("content-roots = [\"content/posts\"]"),
        "{toml}"
    );
    // The posts without them are reported: real outliers at that share.
    let (run, lines) = check(dir.path());
    assert_eq!(run.code, 1, "{}", run.both());
    assert!(
        lines.iter().all(|l| l
            .contains("error[schema/missing-key] missing required key `lastmod`")
            || l.contains("missing required key `images`")),
        "{}",
        lines.join("\n")
    );
    let bad = copydesk(
        dir.path(),
        &["init", "--infer", "--force", "--required-share", "1.5"],
    );
    assert_eq!(bad.code, 2, "{}", bad.both());
    assert!(bad.stderr.contains("is not a share"), "{}", bad.both());
}

/// Many posts sharing a few `layout` values: a small value set, and a
/// misspelt value is caught; titles and dates do not become one.
#[test]
fn small_value_sets_from_many_files() {
    let dir = support::tempdir();
    let layouts = ["post", "post", "post", "note"];
    for i in 0..24 {
        let day = i % 28 + 1;
        support::write(
            dir.path(),
            &format!("_posts/2024-03-{day:02}-post-{i}.md"),
            &format!(
                "---\nlayout: {}\ntitle: Weekly notes, part {i}\ndate: 2024-03-{day:02}\n---\nText {i}.\n",
                layouts[i % 4]
            ),
        );
    }
    let run = infer(dir.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.both());
    assert!(
        run.stdout.contains("layout (post ×18, note ×6)"),
        "{}",
        run.stdout
    );
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("schemas/front-matter.schema.json"))
            .expect("schema"),
    )
    .expect("JSON");
    let props = &schema["properties"];
    assert_eq!(props["layout"]["enum"], serde_json::json!(["post", "note"]));
    assert!(props["title"].get("enum").is_none(), "{schema:#}");
    assert!(props["date"].get("enum").is_none(), "{schema:#}");
    let (clean, lines) = check(dir.path());
    assert_eq!((clean.code, lines.len()), (0, 0), "{}", clean.both());
    caught(
        dir.path(),
        &[(
            "_posts/2024-03-05-post-4.md",
            "layout: post",
            "layout: psot",
        )],
        &["_posts/2024-03-05-post-4.md:2:9: error[schema/invalid-value]"],
    );
}

/// A rule that fires on much of the corpus (a level-1 heading opening
/// every post, as many themes expect) describes how the site writes: it is
/// turned off, and said so. One that fires on a single post (a placeholder
/// title) is an outlier: it stays, and is reported.
#[test]
fn conventions_are_turned_off_outliers_stay() {
    let dir = site("jekyll");
    let posts = dir.path().join("_posts");
    for entry in std::fs::read_dir(&posts).expect("posts") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("read");
        let body = text.find("\n---\n").expect("front matter") + 5;
        let text = format!("{}# Overview\n\n{}", &text[..body], &text[body..]);
        std::fs::write(&path, text).expect("write");
    }
    edit(
        dir.path(),
        "_posts/2024-01-19-themes-and-layouts.md",
        "title: Themes and layouts",
        "title: TODO",
    );
    let run = infer(dir.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.both());
    assert!(
        run.stdout
            .contains("body/level-one-heading: 6 of 6 articles"),
        "{}",
        run.stdout
    );
    let toml = std::fs::read_to_string(dir.path().join("copydesk.toml")).expect("config");
    assert!(
        toml.contains("\"body/level-one-heading\" = \"off\""),
        "{toml}"
    );
    assert!(!toml.contains("text/placeholder"), "{toml}");
    let (run, lines) = check(dir.path());
    assert_eq!(run.code, 1, "{}", run.both());
    assert_eq!(
        lines,
        [
            "_posts/2024-01-19-themes-and-layouts.md:3:8: error[text/placeholder] the title is the placeholder `TODO`, not text"
        ],
        "{}",
        run.both()
    );
}

/// What zod-to-json-schema 3.25 writes for the Astro blog template's
/// collection (`zodToJsonSchema(blog.strict(), 'blog')`, README recipe).
const ASTRO_ZOD_SCHEMA: &str = r##"{
  "$ref": "#/definitions/blog",
  "definitions": {
    "blog": {
      "type": "object",
      "properties": {
        "title": { "type": "string" },
        "description": { "type": "string" },
        "pubDate": { "type": "string", "format": "date-time" },
        "updatedDate": { "type": "string", "format": "date-time" },
        "heroImage": { "type": "string" }
      },
      "required": ["title", "description", "pubDate"],
      "additionalProperties": false
    }
  },
  "$schema": "http://json-schema.org/draft-07/schema#"
}"##;

/// The README's Astro recipe with the zod schema: quiet on RFC 3339
/// dates, the date rules on, a misspelt key caught with its suggestion.
#[test]
fn astro_with_its_zod_schema() {
    let dir = site("astro");
    let blog = dir.path().join("src/content/blog");
    for entry in std::fs::read_dir(&blog).expect("posts") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("read");
        let text = text
            .replace("'Jul 08 2022'", "'2022-07-08T00:00:00Z'")
            .replace("'Jul 15 2022'", "'2022-07-15T00:00:00Z'")
            .replace("'Jul 22 2022'", "'2022-07-22T00:00:00Z'")
            .replace("'Aug 01 2022'", "'2022-08-01T00:00:00Z'")
            .replace("'Jun 19 2024'", "'2024-06-19T00:00:00Z'")
            .replace("'Jun 01 2024'", "'2024-06-01T00:00:00Z'")
            .replace("'Sep 03 2024'", "'2024-09-03T00:00:00Z'")
            .replace("'Sep 10 2024'", "'2024-09-10T00:00:00Z'");
        assert!(!text.contains(" 20"), "an undated post: {text}");
        std::fs::write(&path, text).expect("write");
    }
    support::write(dir.path(), "schemas/blog.schema.json", ASTRO_ZOD_SCHEMA);
    support::write(
        dir.path(),
        "copydesk.toml",
        "content-roots = [\"src/content/blog\"]\n\n[contract]\nschema = \"schemas/blog.schema.json\"\n\n\
         [fields]\ntitle = \"title\"\ndescription = \"description\"\npublished = \"pubDate\"\n\
         updated = \"updatedDate\"\nexpanded = \"\"\ndate-formats = [\"rfc3339\"]\nid = \"\"\n\
         id-scope = \"global\"\nlang = \"\"\ncover = [\"heroImage\"]\ntranslation = \"\"\n",
    );
    let (run, lines) = check(dir.path());
    assert_eq!((run.code, lines.len()), (0, 0), "{}", run.both());
    let post = "src/content/blog/third-post.md";
    edit(dir.path(), post, "heroImage:", "heroimage:");
    edit(
        dir.path(),
        post,
        "updatedDate: '2022-08-01T00:00:00Z'",
        "updatedDate: '2022-07-01T00:00:00Z'",
    );
    let (run, lines) = check(dir.path());
    assert_eq!(run.code, 1, "{}", run.both());
    assert_eq!(
        lines,
        [
            "src/content/blog/third-post.md:5:14: error[date/updated-before-published] `updatedDate` is before `pubDate`",
            "src/content/blog/third-post.md:6:1: error[schema/unknown-key] unknown key `heroimage`",
        ],
        "{}",
        run.both()
    );
    // Found through the schema's `$ref` into `definitions`.
    let json = copydesk(dir.path(), &["check", "--now", NOW, "--format", "json"]);
    assert!(
        json.stdout.contains("did you mean `heroImage`?"),
        "{}",
        json.both()
    );
}

/// The seed's own shape (the built-in contract's keys) is learned back:
/// every field mapped, `coverImage`'s mapping of URLs included.
#[test]
fn the_seed_shape_is_learned_back() {
    let dir = support::tempdir();
    for i in 1..=5 {
        support::write(
            dir.path(),
            &format!("articles/a{i}.md"),
            &support::numbered(&format!("5761998{i}"), i),
        );
    }
    let run = infer(dir.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.both());
    config_has(
        dir.path(),
        &[
            "content-roots = [\"articles\"]",
            "published = \"publishedAt\"",
            "updated = \"updatedAt\"",
            "expanded = \"ai.expandedAt\"",
            "date-formats = [\"rfc3339\"]",
            "id = \"externalId\"",
            "lang = \"lang\"",
            "cover = [\"coverImage\"]",
        ],
    );
    let (run, lines) = check(dir.path());
    assert_eq!((run.code, lines.len()), (0, 0), "{}", run.both());
}
