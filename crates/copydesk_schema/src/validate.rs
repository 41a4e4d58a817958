//! Validating a parsed block against the contract's JSON Schema.
//!
//! The `jsonschema` crate reports errors at JSON pointers; this module maps
//! each back to the span of the offending value in the file (the key for an
//! unknown key, the parent key for a missing one), gives it a plain-language
//! message, and folds several errors on one value into one issue, so that
//! every problem of a file is reported once, in one run.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::OnceLock;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::Validator;

use crate::contract::{article_schema, known_keys};
use crate::timestamp::{self, TimestampProblem};
use crate::yaml::{Node, NodeKind, ScalarValue, Style};

/// What is wrong, in terms a rule can name.
#[derive(Debug, Clone, PartialEq)]
pub enum SchemaIssueKind {
    /// A required key is absent.
    MissingKey {
        /// The missing key.
        key: String,
    },
    /// A key the contract does not define.
    UnknownKey {
        /// The key as written.
        key: String,
        /// A known key it is a near miss of.
        suggestion: Option<String>,
    },
    /// The value has the wrong type.
    WrongType {
        /// What the contract wants, e.g. "a string".
        expected: String,
        /// What YAML read, e.g. "the number 57619983".
        found: String,
    },
    /// An unquoted scalar that YAML read as a number where a string is wanted.
    NumberNotString {
        /// The scalar as written.
        raw: String,
    },
    /// A YAML 1.1 boolean spelling (`no`, `yes`, `on`, …) where a boolean is wanted.
    Yaml11Boolean {
        /// The scalar as written.
        raw: String,
        /// The boolean YAML 1.1 would have read.
        meant: bool,
    },
    /// A timestamp field that is not the contract's timestamp.
    Timestamp(TimestampProblem),
    /// A list item that repeats an earlier one.
    DuplicateItem {
        /// The earlier item's span.
        first: Range<usize>,
    },
    /// Any other broken constraint (pattern, length, range, enum).
    InvalidValue {
        /// What is wrong, as a sentence fragment after the key name.
        message: String,
    },
}

/// One schema problem at a span of the file.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemaIssue {
    /// The instance path (JSON pointer segments) of the value concerned.
    pub path: Vec<String>,
    /// The offending value (or key) in the file.
    pub span: Range<usize>,
    /// What is wrong.
    pub kind: SchemaIssueKind,
}

impl SchemaIssue {
    /// The path as a dotted key path, e.g. `source.key` or `tags[2]`.
    pub fn key_path(&self) -> String {
        dotted(&self.path)
    }
}

/// Renders JSON pointer segments as `a.b[2]`.
pub fn dotted(path: &[String]) -> String {
    let mut out = String::new();
    for seg in path {
        if seg.bytes().all(|b| b.is_ascii_digit()) && !seg.is_empty() {
            out.push('[');
            out.push_str(seg);
            out.push(']');
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(seg);
        }
    }
    out
}

/// A compiled contract: the built-in one, or a newsroom's own JSON Schema
/// (`[contract] schema` in copydesk.toml).
pub struct Contract {
    schema: serde_json::Value,
    /// Compiled when first needed for the built-in contract: a run that
    /// takes every article from the cache validates none, and compiling
    /// (with checking the schema against its meta-schema) was a sixth of
    /// a warm run's instructions at 2k articles. A newsroom's own schema
    /// is compiled at once, so that its errors are the configuration's.
    validator: OnceLock<Option<Validator>>,
    builtin: bool,
}

impl std::fmt::Debug for Contract {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Contract")
            .field("builtin", &self.builtin)
            .finish_non_exhaustive()
    }
}

impl Contract {
    /// The built-in contract, compiled once per process.
    pub fn builtin() -> &'static Contract {
        static CELL: OnceLock<Contract> = OnceLock::new();
        CELL.get_or_init(|| Contract {
            schema: article_schema(),
            validator: OnceLock::new(),
            builtin: true,
        })
    }

    /// The compiled validator; `None` only if the built-in schema did not
    /// compile, which a test rules out.
    fn validator(&self) -> Option<&Validator> {
        self.validator
            .get_or_init(|| {
                jsonschema::options()
                    .with_draft(jsonschema::Draft::Draft202012)
                    .should_validate_formats(true)
                    .build(&self.schema)
                    .ok()
            })
            .as_ref()
    }

    /// Compiles a newsroom's schema. Its `$schema` picks the draft
    /// (2020-12 when absent; draft-07 and the others `jsonschema` knows
    /// work too); references must be local (`#/$defs/…`), as nothing is
    /// fetched. The error is a sentence saying what is wrong.
    pub fn from_schema(schema: serde_json::Value) -> Result<Contract, String> {
        if !schema.is_object() {
            return Err("the schema must be a JSON object".to_owned());
        }
        let validator = jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
            .map_err(|e| format!("not a usable JSON Schema: {e}"))?;
        Ok(Contract {
            schema,
            validator: OnceLock::from(Some(validator)),
            builtin: false,
        })
    }

    /// Whether this is the built-in contract.
    pub fn is_builtin(&self) -> bool {
        self.builtin
    }

    /// The schema as JSON.
    pub fn schema(&self) -> &serde_json::Value {
        &self.schema
    }

    /// Whether the contract defines the key at `path` (JSON pointer
    /// segments, e.g. `["source", "key"]`): rules about a key the
    /// newsroom's schema does not have stay silent.
    pub fn defines(&self, path: &[&str]) -> bool {
        let Some((last, parent)) = path.split_last() else {
            return true;
        };
        known_keys(&self.schema, parent).iter().any(|k| k == last)
    }

    /// Validates a parsed front-matter root. A missing top-level key is
    /// reported at `root_anchor` (the opening fence).
    pub fn validate(&self, root: &Node, root_anchor: Range<usize>) -> Vec<SchemaIssue> {
        validate_with(self, root, root_anchor)
    }
}

/// Whether the generated schema compiles; a test asserts it, so that
/// [`validate`] never silently validates nothing.
pub fn schema_compiles() -> bool {
    Contract::builtin().validator().is_some()
}

const TIMESTAMP_FIELDS: [&[&str]; 3] = [&["publishedAt"], &["updatedAt"], &["ai", "expandedAt"]];

fn is_timestamp_path(path: &[String]) -> bool {
    TIMESTAMP_FIELDS
        .iter()
        .any(|f| f.len() == path.len() && f.iter().zip(path).all(|(a, b)| a == b))
}

fn describe(node: &Node) -> String {
    match &node.kind {
        NodeKind::Scalar(s) => match s.value {
            ScalarValue::Null => "nothing (null)".to_owned(),
            ScalarValue::Bool(b) => format!("the boolean {b}"),
            ScalarValue::Int(_) | ScalarValue::Float(_) => format!("the number {}", s.text),
            ScalarValue::Str => format!("the string {:?}", truncate(&s.text, 60)),
        },
        NodeKind::Sequence(_) => "a list".to_owned(),
        NodeKind::Mapping(_) => "a mapping".to_owned(),
    }
}

/// Shortens `s` to at most `max` characters, marking the cut with `…`.
pub fn truncate(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_owned(),
    }
}

fn type_name(kind: &TypeKind) -> String {
    let one = |t: jsonschema::JsonType| match t.to_string().as_str() {
        "string" => "a string".to_owned(),
        "integer" => "an integer".to_owned(),
        "number" => "a number".to_owned(),
        "boolean" => "a boolean (`true` or `false`)".to_owned(),
        "array" => "a list".to_owned(),
        "object" => "a mapping".to_owned(),
        "null" => "null".to_owned(),
        other => other.to_owned(),
    };
    match kind {
        TypeKind::Single(t) => one(*t),
        TypeKind::Multiple(set) => set.iter().map(one).collect::<Vec<_>>().join(" or "),
    }
}

fn pattern_message(path: &[String]) -> String {
    let last = path.last().map(String::as_str).unwrap_or("");
    let parent = path
        .len()
        .checked_sub(2)
        .and_then(|i| path.get(i))
        .map(String::as_str);
    match (parent, last) {
        (None, "title") => "must be one line without leading or trailing whitespace".to_owned(),
        (None, "lang") => {
            "must be a BCP 47 language tag with a lowercase primary subtag, like `en` or `pt-BR`"
                .to_owned()
        }
        (Some("source"), "type") => {
            "must be an uppercase token like `RSS` (`A-Z`, digits and `_`)".to_owned()
        }
        _ => "does not match the contract's pattern (`copydesk schema` shows it)".to_owned(),
    }
}

/// The known key `key` is a near miss of: a few edits away (case
/// ignored), or a prefix of at least four letters (`lang` for `language`).
/// Jaro-Winkler alone called `subtitle` a near miss of `title`.
fn suggest(key: &str, known: &[String]) -> Option<String> {
    let lower = key.to_lowercase();
    known
        .iter()
        .filter_map(|k| {
            let k_lower = k.to_lowercase();
            let distance = strsim::osa_distance(&lower, &k_lower);
            let (short, long) = if lower.len() <= k_lower.len() {
                (&lower, &k_lower)
            } else {
                (&k_lower, &lower)
            };
            let near = distance <= 1 + k_lower.chars().count() / 4
                || (short.chars().count() >= 4 && long.starts_with(short.as_str()));
            near.then_some((distance, k))
        })
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, k)| k.clone())
}

/// Validates a parsed front-matter root against the built-in contract. A
/// missing top-level key is reported at `root_anchor` (the opening fence).
pub fn validate(root: &Node, root_anchor: Range<usize>) -> Vec<SchemaIssue> {
    validate_with(Contract::builtin(), root, root_anchor)
}

/// Validates `root` against `compiled`, one issue per value.
fn validate_with(compiled: &Contract, root: &Node, root_anchor: Range<usize>) -> Vec<SchemaIssue> {
    let Some(validator) = compiled.validator() else {
        return Vec::new();
    };
    let instance = root.to_json();
    // One issue per value: a value breaking several constraints (an empty
    // title is both too short and off-pattern) gets the first, most basic one.
    let mut by_value: BTreeMap<Vec<String>, SchemaIssue> = BTreeMap::new();
    let mut others: Vec<SchemaIssue> = Vec::new();
    for error in validator.iter_errors(&instance) {
        let path = instance_path(&error);
        let Some(node) = root.pointer(path.iter().map(String::as_str)) else {
            continue;
        };
        let at = Located {
            root,
            root_anchor: &root_anchor,
            path: &path,
            node,
        };
        if let Some(issues) = structural_issues(compiled, &at, error.kind()) {
            others.extend(issues);
            continue;
        }
        let Some(kind) = value_issue(compiled, &error, &path, node) else {
            continue;
        };
        let issue = SchemaIssue {
            path: path.clone(),
            span: node.span.clone(),
            kind,
        };
        let replace = by_value
            .get(&path)
            .is_some_and(|prev| rank(&issue.kind) < rank(&prev.kind));
        if replace || !by_value.contains_key(&path) {
            by_value.insert(path, issue);
        }
    }
    others.extend(by_value.into_values());
    others.sort_by(|a, b| a.span.start.cmp(&b.span.start).then(a.path.cmp(&b.path)));
    others
}

/// The key path of an error's value.
fn instance_path(error: &jsonschema::ValidationError<'_>) -> Vec<String> {
    error
        .instance_path()
        .iter()
        .map(|seg| match seg {
            jsonschema::paths::LocationSegment::Property(p) => p.to_string(),
            jsonschema::paths::LocationSegment::Index(i) => i.to_string(),
        })
        .collect()
}

/// An error's value in the document.
struct Located<'n> {
    root: &'n Node,
    root_anchor: &'n Range<usize>,
    path: &'n [String],
    node: &'n Node,
}

impl Located<'_> {
    /// The span of the key holding the value (the root's anchor for the
    /// root).
    fn parent_key_span(&self) -> Range<usize> {
        let path = self.path;
        if path.is_empty() {
            return self.root_anchor.clone();
        }
        let (parent, last) = path.split_at(path.len() - 1);
        self.root
            .pointer(parent.iter().map(String::as_str))
            .and_then(|p| p.entry(&last[0]))
            .map_or_else(|| self.root_anchor.clone(), |e| e.key.span.clone())
    }
}

/// Missing and unknown keys, repeated items: issues about a mapping's keys
/// or a sequence's items, each where it is (`None` for other errors).
fn structural_issues(
    compiled: &Contract,
    at: &Located<'_>,
    kind: &ValidationErrorKind,
) -> Option<Vec<SchemaIssue>> {
    let (path, node) = (at.path, at.node);
    let mut out = Vec::new();
    match kind {
        ValidationErrorKind::Required { property } => {
            let key = property.as_str().unwrap_or_default().to_owned();
            out.push(SchemaIssue {
                span: at.parent_key_span(),
                path: path.iter().cloned().chain([key.clone()]).collect(),
                kind: SchemaIssueKind::MissingKey { key },
            });
        }
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            let segs: Vec<&str> = path.iter().map(String::as_str).collect();
            let known = known_keys(&compiled.schema, &segs);
            for key in unexpected {
                let span = node
                    .entry(key)
                    .map_or_else(|| node.span.clone(), |e| e.key.span.clone());
                out.push(SchemaIssue {
                    span,
                    path: path.iter().cloned().chain([key.clone()]).collect(),
                    kind: SchemaIssueKind::UnknownKey {
                        key: key.clone(),
                        suggestion: suggest(key, &known),
                    },
                });
            }
        }
        ValidationErrorKind::UniqueItems => {
            if let NodeKind::Sequence(items) = &node.kind {
                let mut seen: Vec<(serde_json::Value, Range<usize>)> = Vec::new();
                for item in items {
                    let v = item.to_json();
                    if let Some((_, first)) = seen.iter().find(|(s, _)| *s == v) {
                        out.push(SchemaIssue {
                            span: item.span.clone(),
                            path: path.to_vec(),
                            kind: SchemaIssueKind::DuplicateItem {
                                first: first.clone(),
                            },
                        });
                    } else {
                        seen.push((v, item.span.clone()));
                    }
                }
            }
        }
        _ => return None,
    }
    Some(out)
}

/// The issue of one value breaking a constraint; `None` when a rule
/// checks it better (URLs) or it is not a problem after all.
fn value_issue(
    compiled: &Contract,
    error: &jsonschema::ValidationError<'_>,
    path: &[String],
    node: &Node,
) -> Option<SchemaIssueKind> {
    if let Some(kind) = bound_issue(error.kind()) {
        return Some(kind);
    }
    Some(match error.kind() {
        ValidationErrorKind::Type { kind } => type_issue(kind, node),
        ValidationErrorKind::Pattern { .. } | ValidationErrorKind::Format { .. }
            if compiled.builtin && is_timestamp_path(path) =>
        {
            match node.as_str().map(timestamp::parse) {
                Some(Err(problem)) => SchemaIssueKind::Timestamp(problem),
                _ => return None,
            }
        }
        // URLs are checked by the cover-image rules with a real URL parser.
        ValidationErrorKind::Format { .. } if compiled.builtin => return None,
        ValidationErrorKind::Format { format } => SchemaIssueKind::InvalidValue {
            message: format!("is not a valid `{format}` value"),
        },
        ValidationErrorKind::Pattern { .. } if compiled.builtin => SchemaIssueKind::InvalidValue {
            message: pattern_message(path),
        },
        ValidationErrorKind::Pattern { pattern } => SchemaIssueKind::InvalidValue {
            message: format!("does not match the pattern `{}`", truncate(pattern, 80)),
        },
        ValidationErrorKind::MinLength { limit } => SchemaIssueKind::InvalidValue {
            message: if *limit == 1 {
                "must not be empty".to_owned()
            } else {
                format!("must be at least {limit} characters")
            },
        },
        ValidationErrorKind::MaxLength { limit } => SchemaIssueKind::InvalidValue {
            message: format!(
                "is {} characters long; at most {limit} are allowed",
                node.as_str().map_or(0, |s| s.chars().count())
            ),
        },
        ValidationErrorKind::Minimum { limit } => SchemaIssueKind::InvalidValue {
            message: format!("must be at least {limit}"),
        },
        ValidationErrorKind::Enum { options } => SchemaIssueKind::InvalidValue {
            message: format!(
                "must be one of {}",
                options
                    .as_array()
                    .map(|a| a
                        .iter()
                        .filter_map(|v| v.as_str())
                        .map(|s| format!("`{s}`"))
                        .collect::<Vec<_>>()
                        .join(", "))
                    .unwrap_or_default()
            ),
        },
        // schemars writes an enum whose variants have docs as `oneOf`
        // of `const`s (`sentiment`): name the allowed values.
        ValidationErrorKind::OneOfNotValid { context } => {
            let allowed: Option<Vec<String>> = context
                .iter()
                .flatten()
                .map(|e| match e.kind() {
                    ValidationErrorKind::Constant { expected_value } => {
                        expected_value.as_str().map(|s| format!("`{s}`"))
                    }
                    _ => None,
                })
                .collect();
            SchemaIssueKind::InvalidValue {
                message: match allowed {
                    Some(values) if !values.is_empty() => {
                        format!("must be one of {}", values.join(", "))
                    }
                    _ => "does not match any of the allowed forms".to_owned(),
                },
            }
        }
        // Not reachable with the current contract; jsonschema's own
        // sentence beats a debug dump if the contract grows.
        _ => SchemaIssueKind::InvalidValue {
            message: format!("is invalid: {error}"),
        },
    })
}

/// The issue of a value outside a numeric bound, an item count or a
/// constant (constraints a newsroom's own schema may use).
fn bound_issue(kind: &ValidationErrorKind) -> Option<SchemaIssueKind> {
    let items = |n: &u64| if *n == 1 { "" } else { "s" };
    let message = match kind {
        ValidationErrorKind::Maximum { limit } => format!("must be at most {limit}"),
        ValidationErrorKind::ExclusiveMinimum { limit } => format!("must be more than {limit}"),
        ValidationErrorKind::ExclusiveMaximum { limit } => format!("must be less than {limit}"),
        ValidationErrorKind::MinItems { limit } => {
            format!("must list at least {limit} item{}", items(limit))
        }
        ValidationErrorKind::MaxItems { limit } => {
            format!("must list at most {limit} item{}", items(limit))
        }
        ValidationErrorKind::Constant { expected_value } => format!("must be {expected_value}"),
        _ => return None,
    };
    Some(SchemaIssueKind::InvalidValue { message })
}

/// A value of the wrong type, naming YAML 1.1 booleans and unquoted
/// numbers where a string belongs.
fn type_issue(kind: &TypeKind, node: &Node) -> SchemaIssueKind {
    let expected = type_name(kind);
    let scalar = node.as_scalar();
    match scalar {
        Some(s)
            if s.style == Style::Plain
                && s.value == ScalarValue::Str
                && expected.starts_with("a boolean") =>
        {
            match yaml11_bool(&s.text) {
                Some(meant) => SchemaIssueKind::Yaml11Boolean {
                    raw: s.text.clone(),
                    meant,
                },
                None => SchemaIssueKind::WrongType {
                    expected,
                    found: describe(node),
                },
            }
        }
        Some(s)
            if s.style == Style::Plain
                && matches!(s.value, ScalarValue::Int(_) | ScalarValue::Float(_))
                && expected == "a string" =>
        {
            SchemaIssueKind::NumberNotString {
                raw: s.text.clone(),
            }
        }
        _ => SchemaIssueKind::WrongType {
            expected,
            found: describe(node),
        },
    }
}

fn rank(kind: &SchemaIssueKind) -> u8 {
    match kind {
        SchemaIssueKind::WrongType { .. }
        | SchemaIssueKind::NumberNotString { .. }
        | SchemaIssueKind::Yaml11Boolean { .. } => 0,
        SchemaIssueKind::Timestamp(_) => 1,
        _ => 2,
    }
}

/// The boolean a YAML 1.1 loader reads for `text`, when it is one of the
/// spellings YAML 1.2 reads as a string.
pub fn yaml11_bool(text: &str) -> Option<bool> {
    match text.to_ascii_lowercase().as_str() {
        "y" | "yes" | "on" => Some(true),
        "n" | "no" | "off" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{parse, Limits};

    fn issues(yaml: &str) -> Vec<SchemaIssue> {
        let out = parse(yaml, 0..yaml.len(), &Limits::default());
        validate(&out.root.expect("root"), 0..0)
    }

    #[test]
    fn nested_missing_key_points_at_the_parent_key() {
        let src = "source:\n  name: Cointelegraph\n  type: RSS\n";
        let found = issues(src);
        let issue = found
            .iter()
            .find(|i| matches!(&i.kind, SchemaIssueKind::MissingKey { key } if key == "key"))
            .expect("source.key is missing");
        assert_eq!(&src[issue.span.clone()], "source");
        assert_eq!(issue.key_path(), "source.key");
    }

    #[test]
    fn one_of_constants_name_the_allowed_values() {
        let found = issues("sentiment: HAPPY\n");
        let issue = found
            .iter()
            .find(|i| i.key_path() == "sentiment")
            .expect("sentiment issue");
        assert_eq!(
            issue.kind,
            SchemaIssueKind::InvalidValue {
                message: "must be one of `POSITIVE`, `NEGATIVE`, `NEUTRAL`".into()
            }
        );
    }

    #[test]
    fn suggestions_are_near_misses_only() {
        let known: Vec<String> = ["title", "publishedAt", "lang", "coverImage", "tags"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        let s = |k: &str| suggest(k, &known);
        assert_eq!(s("publishedat").as_deref(), Some("publishedAt"));
        assert_eq!(s("published_at").as_deref(), Some("publishedAt"));
        assert_eq!(s("cover_image").as_deref(), Some("coverImage"));
        assert_eq!(s("titel").as_deref(), Some("title"));
        assert_eq!(s("tag").as_deref(), Some("tags"));
        assert_eq!(s("language").as_deref(), Some("lang"));
        assert_eq!(s("subtitle"), None);
        assert_eq!(s("author"), None);
    }

    #[test]
    fn compiles() {
        assert!(schema_compiles());
    }

    #[test]
    fn reports_every_problem() {
        let found = issues(
            "title: ' x'\npublishedat: '2026-01-01T00:00:00Z'\ndraft: no\nexternalId: 0042\n",
        );
        let kinds: Vec<_> = found.iter().map(|i| &i.kind).collect();
        assert!(kinds.contains(&&SchemaIssueKind::UnknownKey {
            key: "publishedat".into(),
            suggestion: Some("publishedAt".into())
        }));
        assert!(kinds.contains(&&SchemaIssueKind::Yaml11Boolean {
            raw: "no".into(),
            meant: false
        }));
        assert!(kinds.contains(&&SchemaIssueKind::NumberNotString { raw: "0042".into() }));
        assert!(kinds
            .iter()
            .any(|k| matches!(k, SchemaIssueKind::MissingKey { key } if key == "description")));
        assert!(kinds
            .iter()
            .any(|k| matches!(k, SchemaIssueKind::InvalidValue { .. })));
    }

    #[test]
    fn nested_missing_key_points_at_its_parent_key() {
        let yaml = "ai:\n  rewritten: true\ncoverImage:\n  raw: x\n";
        let found = issues(yaml);
        let missing: Vec<_> = found
            .iter()
            .filter_map(|i| match &i.kind {
                SchemaIssueKind::MissingKey { key } if i.path[0] == "coverImage" => {
                    Some((key.as_str(), &yaml[i.span.clone()]))
                }
                _ => None,
            })
            .collect();
        assert_eq!(
            missing,
            [
                ("full", "coverImage"),
                ("regular", "coverImage"),
                ("small", "coverImage"),
                ("thumb", "coverImage")
            ]
        );
    }

    #[test]
    fn missing_nested_key_points_at_its_parent_key() {
        let yaml = "title: x\nsource:\n  key: feed\n";
        let found = issues(yaml);
        let missing = found
            .iter()
            .find(|i| i.kind == SchemaIssueKind::MissingKey { key: "name".into() })
            .expect("source.name is missing");
        assert_eq!(&yaml[missing.span.clone()], "source");
    }

    fn custom() -> Contract {
        let schema = serde_json::json!({
            "$schema": "http://json-schema.org/draft-07/schema#",
            "type": "object",
            "additionalProperties": false,
            "required": ["title", "date", "author"],
            "properties": {
                "title": { "type": "string" },
                "date": { "type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}" },
                "draft": { "type": "boolean" },
                "author": { "$ref": "#/definitions/author" }
            },
            "definitions": {
                "author": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["name"],
                    "properties": { "name": { "type": "string" }, "email": { "type": "string" } }
                }
            }
        });
        Contract::from_schema(schema).expect("compiles")
    }

    #[test]
    fn a_newsroom_schema_maps_onto_the_same_issues() {
        let contract = custom();
        assert!(!contract.is_builtin());
        assert!(contract.defines(&["author", "email"]));
        assert!(!contract.defines(&["coverImage"]));
        let yaml = "title: 12
date: 'October 20'
author:
  nmae: A
extra: 1
";
        let out = parse(yaml, 0..yaml.len(), &Limits::default());
        let found = contract.validate(&out.root.expect("root"), 0..0);
        let at = |i: &SchemaIssue| &yaml[i.span.clone()];
        let by_path = |p: &str| {
            found
                .iter()
                .filter(|i| i.key_path() == p)
                .map(|i| (at(i), i.kind.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            by_path("title"),
            [("12", SchemaIssueKind::NumberNotString { raw: "12".into() })]
        );
        assert_eq!(
            by_path("date"),
            [(
                "'October 20'",
                SchemaIssueKind::InvalidValue {
                    message: "does not match the pattern `^\\d{4}-\\d{2}-\\d{2}`".into()
                }
            )]
        );
        assert_eq!(
            by_path("author.nmae"),
            [(
                "nmae",
                SchemaIssueKind::UnknownKey {
                    key: "nmae".into(),
                    suggestion: Some("name".into())
                }
            )]
        );
        assert_eq!(
            by_path("author.name"),
            [("author", SchemaIssueKind::MissingKey { key: "name".into() })]
        );
        assert!(matches!(
            &by_path("extra")[..],
            [("extra", SchemaIssueKind::UnknownKey { .. })]
        ));
        assert!(Contract::from_schema(serde_json::json!({"type": 12})).is_err());
        assert!(Contract::from_schema(serde_json::json!([])).is_err());
    }
}
