//! Where the cursor is in the front matter (which key, under which
//! parents) and what the schema says there: completion and hover.
//!
//! This reads lines rather than the YAML tree on purpose: while a key is
//! being typed the block usually does not parse.

use std::ops::Range;

use copydesk_lint::Settings;
use serde_json::Value;

use crate::position::LineIndex;

/// One front-matter line, as far as completion and hover need it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Line {
    /// Leading spaces.
    indent: usize,
    /// Whether it starts a sequence item (`- `).
    item: bool,
    /// Where its key starts, counting the `- ` of an item.
    key_indent: usize,
    /// Its key and the key's byte range in the line, when it has one.
    key: Option<(String, Range<usize>)>,
    /// Whether it is blank or only a comment.
    empty: bool,
}

fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

fn parse_line(line: &str) -> Line {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = &line[indent..];
    let (item, offset) = match rest.strip_prefix("- ") {
        Some(r) => (
            true,
            indent + 2 + (r.len() - r.trim_start_matches(' ').len()),
        ),
        None => (rest == "-", indent),
    };
    let content = &line[offset.min(line.len())..];
    let key_len = content.len() - content.trim_start_matches(is_key_char).len();
    let after = &content[key_len..];
    let key = (key_len > 0
        && after.starts_with(':')
        && (after.len() == 1 || after[1..].starts_with([' ', '\t'])))
    .then(|| (content[..key_len].to_owned(), offset..offset + key_len));
    let trimmed = rest.trim();
    Line {
        indent,
        item,
        key_indent: offset,
        key,
        empty: trimmed.is_empty() || trimmed.starts_with('#'),
    }
}

/// The cursor's place in the front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The keys of the enclosing mappings, outermost first.
    pub parents: Vec<String>,
    /// The key on the cursor's line and its byte range in the file.
    pub key: Option<(String, Range<usize>)>,
    /// The line's text before the cursor.
    pub before: String,
    /// Whether the line is a sequence item.
    pub item: bool,
}

/// Where byte `offset` is in the front matter of `text`, or `None` outside it.
pub fn place(text: &str, offset: usize) -> Option<Place> {
    let fm = copydesk_schema::frontmatter::split(text).ok()?;
    // Completions write YAML (`key: value`, `- item`).
    if fm.format != copydesk_schema::Format::Yaml {
        return None;
    }
    // The cursor may sit at the very end of the block's last line.
    if offset < fm.yaml.start || offset > fm.yaml.end.max(fm.yaml.start) {
        return None;
    }
    let index = LineIndex::new(text);
    let first_line = index.line_of(fm.yaml.start);
    let this = index.line_of(offset);
    let range = index.line_range(this);
    let line_text = text.get(range.clone())?;
    let line = parse_line(line_text);
    let before = text.get(range.start..offset.min(range.end))?.to_owned();
    // Parents sit left of the line's key (or of the dash of an item).
    let mut limit = if line.item {
        line.indent + 1
    } else {
        line.key_indent
    };
    let mut parents = Vec::new();
    for n in (first_line..this).rev() {
        if limit == 0 {
            break;
        }
        let Some(t) = text.get(index.line_range(n)) else {
            continue;
        };
        let l = parse_line(t);
        if l.empty {
            continue;
        }
        if l.item && l.key_indent == limit {
            // A sibling key in the same sequence item: the parent is the
            // sequence's key, at or left of the dash.
            limit = l.indent + 1;
            continue;
        }
        if l.key_indent < limit {
            if let Some((k, _)) = l.key {
                parents.push(k);
            }
            limit = if l.item { l.indent + 1 } else { l.indent };
        }
    }
    parents.reverse();
    Some(Place {
        parents,
        key: line
            .key
            .map(|(k, r)| (k, range.start + r.start..range.start + r.end)),
        before,
        item: line.item,
    })
}

/// The object schema a node describes, looking through arrays and unions.
fn object_of(node: &Value) -> Option<&Value> {
    if node.get("properties").is_some() {
        return Some(node);
    }
    if let Some(items) = node.get("items") {
        return object_of(items);
    }
    ["anyOf", "oneOf", "allOf"]
        .iter()
        .filter_map(|k| node.get(*k).and_then(Value::as_array))
        .flatten()
        .find_map(object_of)
}

/// The schema of the value at `path`.
pub fn schema_at<'s>(schema: &'s Value, path: &[String]) -> Option<&'s Value> {
    let mut node = schema;
    for seg in path {
        node = object_of(node)?.get("properties")?.get(seg)?;
    }
    Some(node)
}

/// The properties allowed in the mapping at `path`: name and schema.
pub fn keys_at<'s>(schema: &'s Value, path: &[String]) -> Vec<(&'s str, &'s Value)> {
    schema_at(schema, path)
        .and_then(object_of)
        .and_then(|o| o.get("properties"))
        .and_then(Value::as_object)
        .map(|p| p.iter().map(|(k, v)| (k.as_str(), v)).collect())
        .unwrap_or_default()
}

/// A node's description.
pub fn description(node: &Value) -> Option<&str> {
    node.get("description").and_then(Value::as_str)
}

fn has_type(node: &Value, ty: &str) -> bool {
    match node.get("type") {
        Some(Value::String(s)) => s == ty,
        Some(Value::Array(a)) => a.iter().any(|t| t == ty),
        _ => ["anyOf", "oneOf"]
            .iter()
            .filter_map(|k| node.get(*k).and_then(Value::as_array))
            .flatten()
            .any(|n| has_type(n, ty)),
    }
}

fn enum_values(node: &Value) -> Vec<String> {
    let mut out: Vec<String> = node
        .get("enum")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    if let Some(c) = node.get("const").and_then(Value::as_str) {
        out.push(c.to_owned());
    }
    for k in ["anyOf", "oneOf"] {
        for alt in node.get(k).and_then(Value::as_array).into_iter().flatten() {
            out.extend(enum_values(alt));
        }
    }
    out
}

/// The values offered for the key at `path`: the configured lists for
/// category, language and source type, the schema's enums, and booleans.
pub fn values_for(schema: &Value, settings: &Settings, path: &[String]) -> Vec<String> {
    let editorial = &settings.config.editorial;
    let names: Vec<&str> = path.iter().map(String::as_str).collect();
    match names.as_slice() {
        ["category"] => return editorial.categories.clone(),
        ["lang"] => return editorial.languages.clone(),
        ["source", "type"] => return editorial.source_types.clone(),
        _ => {}
    }
    let Some(node) = schema_at(schema, path) else {
        return Vec::new();
    };
    let values = enum_values(node);
    if !values.is_empty() {
        return values;
    }
    if has_type(node, "boolean") {
        return vec!["true".to_owned(), "false".to_owned()];
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str =
        "---\ntitle: x\nsource:\n  name: y\n  ty\nai:\n  rewritten: true\n---\nbody\n";

    #[test]
    fn nested_key_has_its_parent() {
        let at = DOC.find("  ty").expect("ty") + 4;
        let p = place(DOC, at).expect("in front matter");
        assert_eq!(p.parents, vec!["source".to_owned()]);
        assert_eq!(p.before, "  ty");
        let at = DOC.find("rewritten").expect("rewritten") + 2;
        let p = place(DOC, at).expect("in front matter");
        assert_eq!(p.parents, vec!["ai".to_owned()]);
        assert_eq!(p.key.map(|k| k.0), Some("rewritten".to_owned()));
        assert!(place(DOC, DOC.find("body").expect("body")).is_none());
    }

    #[test]
    fn schema_walk() {
        let schema = copydesk_schema::article_schema();
        let keys: Vec<&str> = keys_at(&schema, &["source".to_owned()])
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        assert!(keys.contains(&"type"), "{keys:?}");
        let settings = Settings::with_defaults(jiff::Timestamp::UNIX_EPOCH);
        assert_eq!(
            values_for(&schema, &settings, &["draft".to_owned()]),
            vec!["true", "false"]
        );
        assert!(!values_for(&schema, &settings, &["sentiment".to_owned()]).is_empty());
    }
}
