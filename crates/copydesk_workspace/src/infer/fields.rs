//! Guessing `[fields]`: which keys of the corpus hold what the semantic
//! rules read (dates, title, description, language, id, cover image).
//!
//! A guess is by name (`pubDate` is a publication date) and must be borne
//! out by the values: a date field's values must be dates in a layout the
//! date rules read, an id must be unique where the id rules will look, a
//! language must look like a language tag. A field left unmapped keeps its
//! rules inactive, which is always better than a noisy one, and the report
//! says why.

use std::collections::HashMap;

use super::dates::DateLayout;
use super::stats::{JsonType, Key, Object, Shape};

/// Where a field's candidates are looked for, in order of preference.
const PUBLISHED: [&str; 12] = [
    "publishedAt",
    "published_at",
    "pubDate",
    "date",
    "published",
    "publishDate",
    "publish_date",
    "datePublished",
    "date_published",
    "created",
    "createdAt",
    "created_at",
];
const UPDATED: [&str; 12] = [
    "updatedAt",
    "updated_at",
    "lastmod",
    "updated",
    "updatedDate",
    "updated_date",
    "modified",
    "modifiedAt",
    "lastModified",
    "last_modified_at",
    "dateModified",
    "date_modified",
];
const EXPANDED: [&str; 2] = ["ai.expandedAt", "expandedAt"];
const TITLE: [&str; 2] = ["title", "headline"];
const DESCRIPTION: [&str; 3] = ["description", "summary", "excerpt"];
const LANG: [&str; 3] = ["lang", "language", "locale"];
/// Id candidates; also the keys whose values [`facts`] keeps.
pub const ID: [&str; 6] = ["externalId", "external_id", "id", "uuid", "guid", "slug"];
const COVER: [&str; 13] = [
    "coverImage",
    "cover_image",
    "cover",
    "heroImage",
    "hero_image",
    "image",
    "images",
    "featuredImage",
    "featured_image",
    "featureImage",
    "feature_image",
    "thumbnail",
    "banner",
];
const TRANSLATION: [&str; 3] = ["ai.translatedFrom", "translatedFrom", "translationOf"];

/// Where an id must be unique.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdScope {
    /// Across the whole corpus.
    Global,
    /// Among the articles that share the values of these keys.
    Keys(Vec<String>),
}

/// The guessed `[fields]`: a key path, or empty for a field not present.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fields {
    /// The headline.
    pub title: String,
    /// The standfirst.
    pub description: String,
    /// The publication date.
    pub published: String,
    /// The last update.
    pub updated: String,
    /// When an AI pipeline expanded the article.
    pub expanded: String,
    /// Which of `rfc3339`, `date` and `jekyll` the dates are written in.
    pub date_formats: Vec<&'static str>,
    /// The article's id.
    pub id: String,
    /// Where it is unique.
    pub id_scope: IdScope,
    /// The language.
    pub lang: String,
    /// The cover-image URL keys.
    pub cover: Vec<String>,
    /// The id of the original a translation was made from.
    pub translation: String,
    /// Why each field was or was not mapped, one sentence each.
    pub notes: Vec<String>,
}

/// The values of the keys that need checking across files (ids, their
/// scopes), for one file: key path to value.
pub type Facts = HashMap<String, String>;

/// The string values of the keys [`guess`] compares across files.
pub fn facts(root: &copydesk_schema::Node) -> Facts {
    let mut out = Facts::new();
    for path in ID.iter().chain(LANG.iter()).chain(["source.key"].iter()) {
        if let Some(v) = root.pointer(path.split('.')).and_then(|n| n.as_str()) {
            out.insert((*path).to_owned(), v.to_owned());
        }
    }
    out
}

/// Guesses the fields from the merged top-level mapping and each file's
/// [`facts`]; `share` is the share of values that must agree.
pub fn guess(top: &Object, facts: &[(String, Facts)], share: f64) -> Fields {
    let mut notes = Vec::new();
    let title = text_field("title", &TITLE, top, share, &mut notes);
    let description = text_field("description", &DESCRIPTION, top, share, &mut notes);
    let mut layouts: Vec<DateLayout> = Vec::new();
    let published = date_field(
        "published",
        &PUBLISHED,
        top,
        share,
        &mut layouts,
        &mut notes,
    );
    let updated = date_field("updated", &UPDATED, top, share, &mut layouts, &mut notes);
    let expanded = date_field("expanded", &EXPANDED, top, share, &mut layouts, &mut notes);
    let mut date_formats: Vec<&'static str> = Vec::new();
    for layout in DateLayout::ALL {
        if layouts.contains(&layout) {
            date_formats.extend(layout.fields_format());
        }
    }
    if date_formats.is_empty() {
        date_formats.push("rfc3339");
    }
    let lang = lang_field(top, share, &mut notes);
    let (id, id_scope) = id_field(top, facts, &lang, &mut notes);
    let cover = cover_fields(top, share, &mut notes);
    let translation = text_field("translation", &TRANSLATION, top, share, &mut notes);
    Fields {
        title,
        description,
        published,
        updated,
        expanded,
        date_formats,
        id,
        id_scope,
        lang,
        cover,
        translation,
        notes,
    }
}

/// The candidates present in the corpus, in order of preference.
fn present<'a>(top: &'a Object, names: &[&'static str]) -> Vec<(&'static str, &'a Key)> {
    names
        .iter()
        .filter_map(|n| top.lookup(n).map(|k| (*n, k)))
        .collect()
}

/// Whether at least `share` of the values at `shape` are strings.
fn mostly_strings(shape: &Shape, share: f64) -> bool {
    shape.seen > 0 && shape.strings.count as f64 >= share * shape.seen as f64
}

fn text_field(
    field: &str,
    names: &[&'static str],
    top: &Object,
    share: f64,
    notes: &mut Vec<String>,
) -> String {
    for (name, key) in present(top, names) {
        if mostly_strings(&key.shape, share) {
            notes.push(format!(
                "{field} = \"{name}\": a string in {} of {} files that have it",
                key.shape.strings.count, key.present
            ));
            return name.to_owned();
        }
        notes.push(format!(
            "{field}: not \"{name}\", which is not a string often enough"
        ));
    }
    String::new()
}

fn date_field(
    field: &str,
    names: &[&'static str],
    top: &Object,
    share: f64,
    layouts: &mut Vec<DateLayout>,
    notes: &mut Vec<String>,
) -> String {
    for (name, key) in present(top, names) {
        let strings = &key.shape.strings;
        let dated = strings.dated();
        if !mostly_strings(&key.shape, share) || (dated as f64) < share * strings.count as f64 {
            notes.push(format!(
                "{field}: not \"{name}\", whose values are not dates often enough"
            ));
            continue;
        }
        let unread: Vec<&str> = strings
            .layouts
            .keys()
            .filter(|l| !l.rules_read())
            .map(|l| l.describe())
            .collect();
        if !unread.is_empty() {
            notes.push(format!(
                "{field}: not \"{name}\": its dates are written {}, which the date rules do not read, so they stay inactive",
                unread.join(" and ")
            ));
            continue;
        }
        let used: Vec<&str> = strings.layouts.keys().map(|l| l.describe()).collect();
        notes.push(format!(
            "{field} = \"{name}\": {dated} dates, written {}",
            used.join(" or ")
        ));
        layouts.extend(strings.layouts.keys().copied());
        return name.to_owned();
    }
    String::new()
}

/// Whether `s` looks like a BCP 47 language tag (`en`, `pt-BR`, `zh_Hans`).
fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split(['-', '_']);
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

fn lang_field(top: &Object, share: f64, notes: &mut Vec<String>) -> String {
    for (name, key) in present(top, &LANG) {
        let strings = &key.shape.strings;
        let tags = strings
            .distinct
            .iter()
            .filter(|(v, _)| is_language_tag(v))
            .map(|(_, n)| n)
            .sum::<usize>();
        if mostly_strings(&key.shape, share)
            && !strings.overflow
            && tags as f64 >= share * strings.count as f64
        {
            notes.push(format!("lang = \"{name}\": language tags in {tags} files"));
            return name.to_owned();
        }
        notes.push(format!(
            "lang: not \"{name}\", whose values are not language tags often enough"
        ));
    }
    String::new()
}

/// The first id candidate that is always a string and unique in some
/// scope: the whole corpus, else per language (translations share their
/// original's id), else per source and language.
fn id_field(
    top: &Object,
    facts: &[(String, Facts)],
    lang: &str,
    notes: &mut Vec<String>,
) -> (String, IdScope) {
    let mut scopes: Vec<Vec<String>> = vec![Vec::new()];
    if !lang.is_empty() {
        scopes.push(vec![lang.to_owned()]);
        if top.lookup("source.key").is_some() {
            scopes.push(vec!["source.key".to_owned(), lang.to_owned()]);
        }
    }
    for (name, key) in present(top, &ID) {
        let only_strings = key.shape.types.keys().all(|t| *t == JsonType::String);
        if !only_strings {
            notes.push(format!("id: not \"{name}\", which is not always a string"));
            continue;
        }
        let mut clash = None;
        for scope in &scopes {
            match duplicate(name, scope, facts) {
                None => {
                    let scope_text = if scope.is_empty() {
                        "across all files".to_owned()
                    } else {
                        format!("per {}", scope.join(" and "))
                    };
                    notes.push(format!(
                        "id = \"{name}\": unique {scope_text} in the {} files that have it",
                        key.present
                    ));
                    let scope = if scope.is_empty() {
                        IdScope::Global
                    } else {
                        IdScope::Keys(scope.clone())
                    };
                    return (name.to_owned(), scope);
                }
                Some(found) => clash = clash.or(Some(found)),
            }
        }
        if let Some((value, a, b)) = clash {
            notes.push(format!(
                "id: not \"{name}\": `{value}` is in both {a} and {b}, so the duplicate-id rules stay inactive"
            ));
        }
    }
    (String::new(), IdScope::Global)
}

/// Two files with the same value of `key` and of the `scope` keys: the
/// value and both paths.
fn duplicate(
    key: &str,
    scope: &[String],
    facts: &[(String, Facts)],
) -> Option<(String, String, String)> {
    let mut seen: HashMap<Vec<&str>, &str> = HashMap::new();
    for (path, f) in facts {
        let Some(value) = f.get(key) else {
            continue;
        };
        let mut k = vec![value.as_str()];
        for s in scope {
            k.push(f.get(s).map_or("", String::as_str));
        }
        if let Some(first) = seen.insert(k, path) {
            return Some((value.clone(), first.to_owned(), path.clone()));
        }
    }
    None
}

/// Every cover-image candidate whose values are strings, lists of strings
/// or mappings of image addresses (the built-in `coverImage`'s variants);
/// a mapping holding other text, as `image: {path, alt}`, is not read.
fn cover_fields(top: &Object, share: f64, notes: &mut Vec<String>) -> Vec<String> {
    let mut out = Vec::new();
    for (name, key) in present(top, &COVER) {
        let shape = &key.shape;
        let listed = shape
            .items
            .as_deref()
            .is_some_and(|items| items.seen == items.strings.count);
        let addresses = |s: &Shape| {
            s.seen == s.strings.count && s.strings.urlish as f64 >= share * s.seen as f64
        };
        let mapped = shape
            .object
            .as_deref()
            .is_some_and(|o| o.keys.iter().all(|(_, k)| addresses(&k.shape)));
        let urls = shape.count(JsonType::String)
            + if listed {
                shape.count(JsonType::Array)
            } else {
                0
            }
            + if mapped {
                shape.count(JsonType::Object)
            } else {
                0
            };
        if (urls as f64) < share * shape.seen as f64 || shape.seen == 0 {
            notes.push(format!(
                "cover: not \"{name}\", whose values are not URLs, lists of URLs or mappings of URLs"
            ));
            continue;
        }
        let files = if key.present == 1 { "file" } else { "files" };
        notes.push(format!("cover: \"{name}\", in {} {files}", key.present));
        out.push(name.to_owned());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus(files: &[&str]) -> (Object, Vec<(String, Facts)>) {
        let mut top = Object::default();
        let mut all = Vec::new();
        for (i, text) in files.iter().enumerate() {
            let root = copydesk_schema::parse(text, 0..text.len(), &Default::default())
                .root
                .expect("root");
            top.observe(root.as_mapping().expect("mapping"), i);
            all.push((format!("f{i}.md"), facts(&root)));
        }
        (top, all)
    }

    #[test]
    fn jekyll_names_and_dates() {
        let (top, facts) = corpus(&[
            "title: A\ndate: 2024-01-05 10:00:00 +0100\nexcerpt: x\nimage: /a.png\nslug: a\n",
            "title: B\ndate: 2024-01-06\nslug: b\n",
        ]);
        let f = guess(&top, &facts, 0.95);
        assert_eq!(f.title, "title");
        assert_eq!(f.description, "excerpt");
        assert_eq!(f.published, "date");
        assert_eq!(f.updated, "");
        assert_eq!(f.date_formats, ["date", "jekyll"]);
        assert_eq!((f.id.as_str(), &f.id_scope), ("slug", &IdScope::Global));
        assert_eq!(f.cover, ["image"]);
    }

    #[test]
    fn unread_date_layouts_and_repeated_ids_stay_unmapped() {
        let (top, facts) = corpus(&[
            "pubDate: 'Jul 08 2022'\nslug: same\nlang: en\n",
            "pubDate: 'Jul 15 2022'\nslug: same\nlang: en\n",
        ]);
        let f = guess(&top, &facts, 0.95);
        assert_eq!(f.published, "");
        assert_eq!(f.date_formats, ["rfc3339"]);
        assert_eq!(f.id, "");
        assert_eq!(f.lang, "lang");
        assert!(
            f.notes.iter().any(|n| n.contains("month first")),
            "{:?}",
            f.notes
        );
        assert!(
            f.notes
                .iter()
                .any(|n| n.contains("`same` is in both f0.md and f1.md")),
            "{:?}",
            f.notes
        );
    }

    #[test]
    fn covers_are_addresses() {
        let (top, facts) = corpus(&[
            "coverImage:\n  raw: 'https://images.example/a'\n  thumb: 'https://images.example/a?w=200'\nimage:\n  path: /a.png\n  alt: A cat\n",
            "coverImage:\n  raw: 'https://images.example/b'\nimage: /b.png\n",
        ]);
        let f = guess(&top, &facts, 0.95);
        assert_eq!(f.cover, ["coverImage"]);
    }

    #[test]
    fn eleventy_keywords_keep_the_date_field() {
        let (top, facts) = corpus(&["date: 2024-01-05\n", "date: git Last Modified\n"]);
        let f = guess(&top, &facts, 0.95);
        assert_eq!(f.published, "date");
        assert_eq!(f.date_formats, ["date"]);
    }

    #[test]
    fn translations_share_ids_per_language() {
        let (top, facts) = corpus(&[
            "externalId: '1'\nlang: en\nsource:\n  key: a\n",
            "externalId: '1'\nlang: uk\nsource:\n  key: a\n",
            "externalId: '2'\nlang: en\nsource:\n  key: a\n",
        ]);
        let f = guess(&top, &facts, 0.95);
        assert_eq!(f.id, "externalId");
        assert_eq!(f.id_scope, IdScope::Keys(vec!["lang".into()]));
    }

    #[test]
    fn language_tags() {
        for ok in ["en", "pt-BR", "zh_Hans", "es-419"] {
            assert!(is_language_tag(ok), "{ok}");
        }
        for bad in ["English", "e", "en-", "12", ""] {
            assert!(!is_language_tag(bad), "{bad}");
        }
    }
}
