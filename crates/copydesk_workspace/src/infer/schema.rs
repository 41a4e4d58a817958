//! The JSON Schema (draft 2020-12) learned from the merged front matter,
//! and what was decided for each key, for the report.
//!
//! Precision first: everything the corpus holds validates, so that
//! `copydesk check` right after reports only real outliers. A key takes
//! every type it was seen with; a key is required when at least the
//! required share of the mappings holding it have it; strings get a date
//! pattern only when (nearly) all of them are real dates, and an enum only
//! when a few values repeat across many files; a mapping is closed
//! (`additionalProperties: false`) at the top, where a misspelt key is the
//! commonest slip, and below only when it is a record seen often enough,
//! never a free-form container.

use serde_json::{json, Map, Value};

use super::dates::{self, DateLayout};
use super::stats::{JsonType, Object, Shape};

/// A small value set needs at least this many values…
const MIN_ENUM_VALUES: usize = 10;
/// …at most this many distinct ones…
const MAX_ENUM_DISTINCT: usize = 8;
/// …each value seen at least this many times on average…
const MIN_ENUM_REPEAT: usize = 4;
/// …and each at least twice: a value seen once says the set is open.
const MIN_EACH_VALUE: usize = 2;
/// Enum values are labels: short, few words.
const MAX_ENUM_CHARS: usize = 40;
const MAX_ENUM_WORDS: usize = 3;

/// A nested mapping is closed only when seen at least this often.
const MIN_CLOSED_COUNT: usize = 3;

/// Key names whose values are text, dates, ids, addresses or people:
/// never a value set, whatever the counts say (a newsroom hires; compared
/// lowercase, as a part of the name).
const NEVER_ENUM: [&str; 20] = [
    "title",
    "headline",
    "description",
    "summary",
    "excerpt",
    "subtitle",
    "date",
    "time",
    "url",
    "link",
    "slug",
    "path",
    "image",
    "cover",
    "thumbnail",
    "uuid",
    "permalink",
    "author",
    "name",
    "contributor",
];

/// Mappings whose keys are data, not a record: Hugo's `params`, `menu`
/// and `cascade`, Zola's `extra`, Eleventy's `eleventyComputed`.
const OPEN_MAPPINGS: [&str; 8] = [
    "extra",
    "params",
    "menu",
    "menus",
    "cascade",
    "data",
    "custom",
    "eleventycomputed",
];

/// How strict the learned schema is.
#[derive(Debug, Clone, Copy)]
pub struct Thresholds {
    /// The share of mappings a key must be in to be required.
    pub required_share: f64,
}

/// What was decided about one key (or the items of a list), for the report.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyReport {
    /// The dotted path: `taxonomies.tags`, `resources[].src`.
    pub path: String,
    /// How many mappings held it.
    pub present: usize,
    /// Out of how many mappings at its place (files, for top-level keys).
    pub of: usize,
    /// Its types and how often each was seen.
    pub types: Vec<(JsonType, usize)>,
    /// For lists: the types of their items.
    pub item_types: Vec<(JsonType, usize)>,
    /// Whether the schema requires it.
    pub required: bool,
    /// The allowed values, when it became a small value set, with counts.
    pub enum_values: Vec<(String, usize)>,
    /// When its strings are dates: the layouts, with counts.
    pub dates: Vec<(DateLayout, usize)>,
    /// When its strings are dates: a few that are not (with their file).
    pub undated: Vec<(usize, String)>,
    /// For a mapping: whether other keys are refused in it.
    pub closed: Option<bool>,
}

/// Builds the schema of the top-level mapping, filling `reports`.
pub fn top_level(top: &Object, t: Thresholds, reports: &mut Vec<KeyReport>) -> Value {
    let mut schema = object_schema(top, "", true, t, reports);
    let mut root = Map::new();
    root.insert(
        "$schema".into(),
        json!("https://json-schema.org/draft/2020-12/schema"),
    );
    root.insert("type".into(), json!("object"));
    root.append(&mut schema);
    Value::Object(root)
}

/// `properties`, `required` and `additionalProperties` of a mapping.
fn object_schema(
    obj: &Object,
    path: &str,
    top: bool,
    t: Thresholds,
    reports: &mut Vec<KeyReport>,
) -> Map<String, Value> {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for (name, key) in &obj.keys {
        let key_path = if path.is_empty() {
            name.clone()
        } else {
            format!("{path}.{name}")
        };
        let is_required = key.present as f64 >= t.required_share * obj.count as f64;
        if is_required {
            required.push(json!(name));
        }
        let at = reports.len();
        reports.push(KeyReport {
            path: key_path.clone(),
            present: key.present,
            of: obj.count,
            types: types(&key.shape),
            item_types: key.shape.items.as_deref().map(types).unwrap_or_default(),
            required: is_required,
            enum_values: Vec::new(),
            dates: Vec::new(),
            undated: Vec::new(),
            closed: None,
        });
        let value = shape_schema(&key.shape, Some(name), &key_path, t, reports, at);
        properties.insert(name.clone(), value);
    }
    let mut out = Map::new();
    out.insert("properties".into(), Value::Object(properties));
    if !required.is_empty() {
        out.insert("required".into(), Value::Array(required));
    }
    if top || closes(obj, path) {
        out.insert("additionalProperties".into(), json!(false));
    }
    out
}

/// Whether a nested mapping refuses keys it was never seen with: a record
/// seen often enough whose every key recurs, not a free-form container
/// nor anything inside one (`menu.main`).
fn closes(obj: &Object, path: &str) -> bool {
    let open = path
        .split('.')
        .map(|seg| seg.trim_end_matches("[]").to_ascii_lowercase())
        .any(|seg| OPEN_MAPPINGS.contains(&seg.as_str()));
    !open && obj.count >= MIN_CLOSED_COUNT && obj.keys.iter().all(|(_, k)| k.present >= 2)
}

/// The types seen, most frequent first.
fn types(shape: &Shape) -> Vec<(JsonType, usize)> {
    let mut v: Vec<(JsonType, usize)> = shape.types.iter().map(|(t, n)| (*t, *n)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

/// The schema of the values at one place. `name` is the key's name (none
/// for list items); `report` the index of the key's report, completed
/// with the decisions taken here.
fn shape_schema(
    shape: &Shape,
    name: Option<&str>,
    path: &str,
    t: Thresholds,
    reports: &mut Vec<KeyReport>,
    report: usize,
) -> Value {
    let mut out = Map::new();
    let mut names: Vec<&str> = Vec::new();
    for ty in [
        JsonType::String,
        JsonType::Integer,
        JsonType::Number,
        JsonType::Boolean,
        JsonType::Array,
        JsonType::Object,
        JsonType::Null,
    ] {
        // An integer is a number: a key seen with both is a number.
        let both = ty == JsonType::Integer && shape.count(JsonType::Number) > 0;
        if shape.count(ty) > 0 && !both {
            names.push(ty.name());
        }
    }
    match names[..] {
        [] => {}
        [one] => {
            out.insert("type".into(), json!(one));
        }
        _ => {
            out.insert("type".into(), json!(names));
        }
    }
    let strings = &shape.strings;
    if strings.count > 0 {
        string_constraints(shape, name, t, &mut out, &mut reports[report]);
    }
    if let Some(obj) = shape.object.as_deref() {
        reports[report].closed = Some(closes(obj, path));
        out.append(&mut object_schema(obj, path, false, t, reports));
    }
    if let Some(items) = shape.items.as_deref() {
        if items.seen > 0 {
            let item_path = format!("{path}[]");
            // Only mapping items get reports of their own (their keys).
            let value = shape_schema(items, None, &item_path, t, reports, report);
            out.insert("items".into(), value);
        }
    }
    Value::Object(out)
}

/// A date pattern, a small value set or `minLength` for the strings.
fn string_constraints(
    shape: &Shape,
    name: Option<&str>,
    t: Thresholds,
    out: &mut Map<String, Value>,
    report: &mut KeyReport,
) {
    let strings = &shape.strings;
    let dated = strings.dated();
    if dated > 0 && dated as f64 >= t.required_share * strings.count as f64 {
        let layouts: Vec<DateLayout> = strings.layouts.keys().copied().collect();
        out.insert("pattern".into(), json!(dates::pattern(&layouts)));
        report.dates = strings.layouts.iter().map(|(l, n)| (*l, *n)).collect();
        report.undated = strings.undated.clone();
        return;
    }
    // Lists of strings (tags, categories) are open sets: new posts bring
    // new values.
    if let Some(name) = name {
        if let Some(values) = small_value_set(shape, name) {
            report.enum_values = values;
            out.insert(
                "enum".into(),
                Value::Array(
                    report
                        .enum_values
                        .iter()
                        .map(|(v, _)| json!(v))
                        .chain(
                            // The other types the key was seen with stay valid.
                            shape
                                .types
                                .keys()
                                .filter(|t| **t == JsonType::Null)
                                .map(|_| Value::Null),
                        )
                        .collect(),
                ),
            );
            return;
        }
    }
    if strings.count >= 3 && strings.empty == 0 {
        out.insert("minLength".into(), json!(1));
    }
}

/// The values of a key that is a small value set: few distinct short
/// labels, each repeated, over many files; never a text, date, id or
/// address key. Most frequent first.
fn small_value_set(shape: &Shape, name: &str) -> Option<Vec<(String, usize)>> {
    let strings = &shape.strings;
    let lower = name.to_ascii_lowercase();
    let excluded = NEVER_ENUM.iter().any(|n| lower.contains(n))
        || lower == "id"
        || lower.ends_with("_id")
        || name.ends_with("Id");
    // Only a key that is a string (or absent as null): an enum would
    // refuse its other types.
    let only_strings = shape
        .types
        .keys()
        .all(|t| matches!(t, JsonType::String | JsonType::Null));
    let distinct = strings.distinct.len();
    let ok = !excluded
        && only_strings
        && !strings.overflow
        && strings.count >= MIN_ENUM_VALUES
        && (1..=MAX_ENUM_DISTINCT).contains(&distinct)
        && distinct * MIN_ENUM_REPEAT <= strings.count
        && strings.max_chars <= MAX_ENUM_CHARS
        && strings.max_words <= MAX_ENUM_WORDS
        && strings.dated() == 0
        && strings.distinct.values().all(|n| *n >= MIN_EACH_VALUE)
        && strings
            .distinct
            .keys()
            .all(|v| !v.is_empty() && !v.contains('/') && !v.contains("://"));
    if !ok {
        return None;
    }
    let mut values: Vec<(String, usize)> = strings
        .distinct
        .iter()
        .map(|(v, n)| (v.clone(), *n))
        .collect();
    values.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Some(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn learn(files: &[String]) -> (Value, Vec<KeyReport>) {
        let mut top = Object::default();
        for (i, text) in files.iter().enumerate() {
            let root = copydesk_schema::parse(text, 0..text.len(), &Default::default())
                .root
                .expect("root");
            top.observe(root.as_mapping().expect("mapping"), i);
        }
        let mut reports = Vec::new();
        let schema = top_level(
            &top,
            Thresholds {
                required_share: 0.95,
            },
            &mut reports,
        );
        (schema, reports)
    }

    fn report<'a>(reports: &'a [KeyReport], path: &str) -> &'a KeyReport {
        reports
            .iter()
            .find(|r| r.path == path)
            .unwrap_or_else(|| panic!("no report for {path}"))
    }

    #[test]
    fn types_required_and_closed_mappings() {
        let files: Vec<String> = (0..20)
            .map(|i| {
                let mut f = format!(
                    "title: Post {i}\ndate: 2024-01-{:02}\nweight: {}\nauthor:\n  name: A\n  x: {i}\n",
                    i + 1,
                    if i % 2 == 0 { "1".into() } else { format!("{i}.5") },
                );
                if i < 19 {
                    f.push_str("draft: false\n");
                }
                if i == 3 {
                    f.push_str("extra:\n  once: 1\n");
                }
                f
            })
            .collect();
        let (schema, reports) = learn(&files);
        assert_eq!(
            schema["required"],
            json!(["title", "date", "weight", "author", "draft"])
        );
        assert_eq!(schema["additionalProperties"], json!(false));
        assert_eq!(schema["properties"]["weight"]["type"], json!("number"));
        assert_eq!(
            schema["properties"]["date"]["pattern"],
            json!(r"^\d{4}-\d{2}-\d{2}$")
        );
        assert_eq!(schema["properties"]["title"]["minLength"], json!(1));
        assert!(schema["properties"]["title"].get("enum").is_none());
        assert_eq!(
            schema["properties"]["author"]["additionalProperties"],
            json!(false)
        );
        // Nor anything inside a free-form container.
        let menus: Vec<String> = (0..5)
            .map(|i| format!("menu:\n  main:\n    weight: {i}\n"))
            .collect();
        let (menu_schema, _) = learn(&menus);
        let main = &menu_schema["properties"]["menu"]["properties"]["main"];
        assert_eq!(main["required"], json!(["weight"]));
        assert!(main.get("additionalProperties").is_none(), "{main}");
        // A mapping seen once is not closed.
        assert!(schema["properties"]["extra"]
            .get("additionalProperties")
            .is_none());
        assert!(report(&reports, "author.name").required);
        assert!(!report(&reports, "extra").required);
        assert_eq!(report(&reports, "draft").present, 19);
    }

    #[test]
    fn small_value_sets_need_many_files_and_repeats() {
        let layouts = ["post", "post", "post", "page"];
        let many: Vec<String> = (0..20)
            .map(|i| {
                format!(
                    "title: Same\nlayout: {}\nkind: {}\nauthor: {}\n",
                    layouts[i % 4],
                    if i == 7 { "solo" } else { "team" },
                    ["Ana Lima", "Bo Chen"][i % 2]
                )
            })
            .collect();
        let (schema, reports) = learn(&many);
        assert_eq!(
            schema["properties"]["layout"]["enum"],
            json!(["post", "page"])
        );
        assert_eq!(
            report(&reports, "layout").enum_values,
            [("post".to_owned(), 15), ("page".to_owned(), 5)]
        );
        // One value seen once: an open set.
        assert!(schema["properties"]["kind"].get("enum").is_none());
        // People are never a closed set.
        assert!(schema["properties"]["author"].get("enum").is_none());
        // A title, however repetitive, is never a value set.
        assert!(schema["properties"]["title"].get("enum").is_none());
        // Three files never freeze values.
        let (schema, _) = learn(&many[..3]);
        assert!(schema["properties"]["layout"].get("enum").is_none());
    }

    #[test]
    fn date_keys_get_the_layouts_they_use() {
        let files: Vec<String> = (1..=5)
            .map(|d| {
                if d == 5 {
                    format!("date: 2024-01-0{d}\n")
                } else {
                    format!("date: 2024-01-0{d} 10:00:00 +0100\n")
                }
            })
            .collect();
        let (schema, reports) = learn(&files);
        assert_eq!(
            schema["properties"]["date"]["pattern"],
            json!(dates::pattern(&[DateLayout::Date, DateLayout::Jekyll]))
        );
        assert_eq!(
            report(&reports, "date").dates,
            [(DateLayout::Date, 1), (DateLayout::Jekyll, 4)]
        );
    }

    #[test]
    fn list_items_of_mappings_are_learned() {
        let files: Vec<String> = (0..4)
            .map(|i| format!("resources:\n  - src: a{i}.png\n    name: n\n  - src: b.png\n"))
            .collect();
        let (schema, reports) = learn(&files);
        let items = &schema["properties"]["resources"]["items"];
        assert_eq!(items["type"], json!("object"));
        assert_eq!(items["required"], json!(["src"]));
        assert_eq!(items["additionalProperties"], json!(false));
        assert_eq!(report(&reports, "resources[].name").present, 4);
        assert_eq!(report(&reports, "resources[].name").of, 8);
    }
}
