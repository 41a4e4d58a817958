//! What a corpus's front matter holds, key by key: the counts the learned
//! schema is made from.
//!
//! Every value seen at one place of the tree (a key of the front matter,
//! a key of a nested mapping, the items of a list) folds into one
//! [`Shape`]: how often each JSON type appeared, and for strings how long
//! they are, which distinct values they take (up to a bound) and how many
//! are dates in which layout.

use std::collections::{BTreeMap, HashMap};

use copydesk_schema::{Node, NodeKind, ScalarValue};

use super::dates::{classify, DateLayout};

/// Beyond this many distinct strings at one place, values are no longer
/// counted: such a key is never a small value set.
const MAX_DISTINCT: usize = 64;

/// Values kept as examples of strings that are not dates.
const MAX_UNDATED: usize = 3;

/// A JSON type, as a value of the front matter has it once converted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum JsonType {
    /// A string (TOML datetimes included: they are read as their text).
    String,
    /// An integer.
    Integer,
    /// A number with a fraction or exponent.
    Number,
    /// `true` or `false`.
    Boolean,
    /// A list.
    Array,
    /// A mapping.
    Object,
    /// `null`, `~` or an empty value (and infinities, which JSON lacks).
    Null,
}

impl JsonType {
    /// Its JSON Schema name.
    pub fn name(self) -> &'static str {
        match self {
            JsonType::String => "string",
            JsonType::Integer => "integer",
            JsonType::Number => "number",
            JsonType::Boolean => "boolean",
            JsonType::Array => "array",
            JsonType::Object => "object",
            JsonType::Null => "null",
        }
    }
}

/// Everything seen at one place of the tree.
#[derive(Debug, Default, Clone)]
pub struct Shape {
    /// Values seen here.
    pub seen: usize,
    /// How many had each type.
    pub types: BTreeMap<JsonType, usize>,
    /// The string values.
    pub strings: Strings,
    /// The mapping values, merged.
    pub object: Option<Box<Object>>,
    /// The items of the list values, merged.
    pub items: Option<Box<Shape>>,
}

/// What the string values at one place look like.
#[derive(Debug, Default, Clone)]
pub struct Strings {
    /// String values seen.
    pub count: usize,
    /// Of them, empty ones.
    pub empty: usize,
    /// Distinct values and how often each appeared, while there are at
    /// most [`MAX_DISTINCT`].
    pub distinct: HashMap<String, usize>,
    /// Whether there were more distinct values than that.
    pub overflow: bool,
    /// Values that are a real date, by layout.
    pub layouts: BTreeMap<DateLayout, usize>,
    /// A few values that are not dates, with the file they are in.
    pub undated: Vec<(usize, String)>,
    /// The longest value, in characters.
    pub max_chars: usize,
    /// The most words in a value.
    pub max_words: usize,
    /// Values that look like an address or an image: an `http(s)://` URL,
    /// a path (`/img/a.png`, `./a.png`), a file name ending in an image
    /// extension.
    pub urlish: usize,
}

/// Whether `s` looks like the address of an image.
fn is_urlish(s: &str) -> bool {
    const IMAGE: [&str; 8] = [
        ".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".avif", ".bmp",
    ];
    let lower = s.to_ascii_lowercase();
    !s.contains(char::is_whitespace)
        && (lower.starts_with("http://")
            || lower.starts_with("https://")
            || s.starts_with('/')
            || s.starts_with("./")
            || s.starts_with("../")
            || IMAGE.iter().any(|ext| lower.ends_with(ext)))
}

impl Strings {
    fn observe(&mut self, text: &str, file: usize) {
        self.count += 1;
        if text.is_empty() {
            self.empty += 1;
        }
        self.max_chars = self.max_chars.max(text.chars().count());
        self.max_words = self.max_words.max(text.split_whitespace().count());
        if is_urlish(text) {
            self.urlish += 1;
        }
        match classify(text) {
            Some(layout) => *self.layouts.entry(layout).or_default() += 1,
            None if self.undated.len() < MAX_UNDATED => self.undated.push((file, text.to_owned())),
            None => {}
        }
        if self.overflow {
            return;
        }
        if let Some(n) = self.distinct.get_mut(text) {
            *n += 1;
        } else if self.distinct.len() < MAX_DISTINCT {
            self.distinct.insert(text.to_owned(), 1);
        } else {
            self.overflow = true;
            self.distinct.clear();
        }
    }

    /// String values that are real dates.
    pub fn dated(&self) -> usize {
        self.layouts.values().sum()
    }
}

/// The mappings seen at one place, merged: their keys in the order they
/// were first seen.
#[derive(Debug, Default, Clone)]
pub struct Object {
    /// Mappings seen.
    pub count: usize,
    /// Each key, in first-seen order.
    pub keys: Vec<(String, Key)>,
    index: HashMap<String, usize>,
}

/// One key of a merged mapping.
#[derive(Debug, Default, Clone)]
pub struct Key {
    /// In how many of the mappings it was present (a null value counts).
    pub present: usize,
    /// Its values.
    pub shape: Shape,
}

impl Object {
    /// Folds one mapping in; `file` identifies the file it is in.
    pub fn observe(&mut self, entries: &[copydesk_schema::yaml::Entry], file: usize) {
        self.count += 1;
        let mut here: Vec<&str> = Vec::with_capacity(entries.len());
        for entry in entries {
            let Some(name) = entry.key_str() else {
                continue;
            };
            // A duplicated key counts once per mapping.
            if here.contains(&name) {
                continue;
            }
            here.push(name);
            let i = match self.index.get(name) {
                Some(&i) => i,
                None => {
                    self.keys.push((name.to_owned(), Key::default()));
                    self.index.insert(name.to_owned(), self.keys.len() - 1);
                    self.keys.len() - 1
                }
            };
            let key = &mut self.keys[i].1;
            key.present += 1;
            key.shape.observe(&entry.value, file);
        }
    }

    /// The key named `name`.
    pub fn get(&self, name: &str) -> Option<&Key> {
        self.index.get(name).map(|&i| &self.keys[i].1)
    }

    /// The key at a dotted path of nested mappings (`ai.expandedAt`).
    pub fn lookup(&self, path: &str) -> Option<&Key> {
        let mut parts = path.split('.');
        let mut key = self.get(parts.next()?)?;
        for part in parts {
            key = key.shape.object.as_deref()?.get(part)?;
        }
        Some(key)
    }
}

impl Shape {
    /// Folds one value in.
    pub fn observe(&mut self, node: &Node, file: usize) {
        self.seen += 1;
        let ty = match &node.kind {
            NodeKind::Scalar(s) => match s.value {
                ScalarValue::Null => JsonType::Null,
                ScalarValue::Bool(_) => JsonType::Boolean,
                ScalarValue::Int(_) => JsonType::Integer,
                // JSON has no infinity: the value is checked as null.
                ScalarValue::Float(f) if !f.is_finite() => JsonType::Null,
                ScalarValue::Float(_) => JsonType::Number,
                ScalarValue::Str => {
                    self.strings.observe(&s.text, file);
                    JsonType::String
                }
            },
            NodeKind::Sequence(items) => {
                let shape = self.items.get_or_insert_with(Box::default);
                for item in items {
                    shape.observe(item, file);
                }
                JsonType::Array
            }
            NodeKind::Mapping(entries) => {
                self.object
                    .get_or_insert_with(Box::default)
                    .observe(entries, file);
                JsonType::Object
            }
        };
        *self.types.entry(ty).or_default() += 1;
    }

    /// How many values had type `ty`.
    pub fn count(&self, ty: JsonType) -> usize {
        self.types.get(&ty).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(yaml: &str) -> Node {
        copydesk_schema::parse(yaml, 0..yaml.len(), &Default::default())
            .root
            .expect("root")
    }

    #[test]
    fn counts_types_keys_and_values() {
        let mut top = Object::default();
        for (i, yaml) in [
            "title: A\ntags: [a, b]\nn: 1\nextra:\n  x: 1\n",
            "title: B\ntags: []\nn: 1.5\ndraft: false\n",
            "title: A\nn: .inf\ntitle: dup\n",
        ]
        .iter()
        .enumerate()
        {
            let r = root(yaml);
            top.observe(r.as_mapping().expect("mapping"), i);
        }
        assert_eq!(top.count, 3);
        let names: Vec<&str> = top.keys.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["title", "tags", "n", "extra", "draft"]);
        let title = top.get("title").expect("title");
        assert_eq!(title.present, 3);
        assert_eq!(title.shape.strings.distinct.get("A"), Some(&2));
        let n = &top.get("n").expect("n").shape;
        assert_eq!(
            (
                n.count(JsonType::Integer),
                n.count(JsonType::Number),
                n.count(JsonType::Null)
            ),
            (1, 1, 1)
        );
        let tags = &top.get("tags").expect("tags").shape;
        assert_eq!(tags.count(JsonType::Array), 2);
        assert_eq!(tags.items.as_ref().expect("items").strings.count, 2);
        assert_eq!(top.lookup("extra.x").map(|k| k.present), Some(1));
        assert!(top.lookup("extra.y").is_none());
    }

    #[test]
    fn many_distinct_values_are_not_counted() {
        let mut s = Strings::default();
        for i in 0..100 {
            s.observe(&format!("v{i}"), 0);
        }
        assert!(s.overflow && s.distinct.is_empty());
        assert_eq!(s.count, 100);
        assert_eq!(s.undated.len(), MAX_UNDATED);
        for url in [
            "https://a.example/x?y=1",
            "/img/a.png",
            "./a.png",
            "photo.JPG",
        ] {
            assert!(is_urlish(url), "{url}");
        }
        for text in ["A picture of a cat", "cover", "a b.png"] {
            assert!(!is_urlish(text), "{text}");
        }
    }
}
