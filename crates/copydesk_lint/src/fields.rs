//! `[fields]` resolved: where the semantic rules find the values they read.
//!
//! The built-in contract's keys are the defaults; a newsroom maps its own
//! (`published = "date"`) or unmaps a field it does not have (`""`), which
//! makes the rules that need it inactive rather than noisy.

use crate::config::{Config, DateFormat, DuplicateScope};
use crate::settings::SettingsError;

/// A value the semantic rules read, found through `[fields]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// `title`: the headline.
    Title,
    /// `description`: the summary.
    Description,
    /// `published`: the publication date.
    Published,
    /// `updated`: the date of the last update.
    Updated,
    /// `expanded`: when a pipeline expanded the article.
    Expanded,
    /// `id`: the article's id at its source.
    Id,
    /// `lang`: the language tag.
    Lang,
    /// `cover`: the cover image's URL values.
    Cover,
    /// `translation`: the id of the original a translation was made from.
    Translation,
}

impl Field {
    /// Every field, in `[fields]` order.
    pub const ALL: [Field; 9] = [
        Field::Title,
        Field::Description,
        Field::Published,
        Field::Updated,
        Field::Expanded,
        Field::Id,
        Field::Lang,
        Field::Cover,
        Field::Translation,
    ];

    /// Its key in `[fields]`.
    pub fn name(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Description => "description",
            Field::Published => "published",
            Field::Updated => "updated",
            Field::Expanded => "expanded",
            Field::Id => "id",
            Field::Lang => "lang",
            Field::Cover => "cover",
            Field::Translation => "translation",
        }
    }

    /// The configured dotted key paths of this field (at most one, except
    /// for `cover`); empty when unmapped.
    fn configured(self, config: &Config) -> Vec<&str> {
        let f = &config.fields;
        let one = match self {
            Field::Title => &f.title,
            Field::Description => &f.description,
            Field::Published => &f.published,
            Field::Updated => &f.updated,
            Field::Expanded => &f.expanded,
            Field::Id => &f.id,
            Field::Lang => &f.lang,
            Field::Translation => &f.translation,
            Field::Cover => return f.cover.iter().map(String::as_str).collect(),
        };
        if one.is_empty() {
            Vec::new()
        } else {
            vec![one.as_str()]
        }
    }
}

/// A front-matter key path: `ai.expandedAt` and its segments.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KeyPath {
    dotted: String,
    segments: Vec<String>,
}

impl KeyPath {
    /// Splits a dotted path; `None` when a segment is empty (`a..b`, `.a`, ``).
    pub fn parse(dotted: &str) -> Option<KeyPath> {
        let segments: Vec<String> = dotted.split('.').map(str::to_owned).collect();
        if segments.iter().any(String::is_empty) {
            return None;
        }
        Some(KeyPath {
            dotted: dotted.to_owned(),
            segments,
        })
    }

    /// As written, `ai.expandedAt`.
    pub fn dotted(&self) -> &str {
        &self.dotted
    }

    /// The segments, `["ai", "expandedAt"]`.
    pub fn segments(&self) -> &[String] {
        &self.segments
    }

    /// The segments as `&str`s, for [`copydesk_schema::yaml::Node::pointer`].
    pub fn iter(&self) -> impl Iterator<Item = &str> + Clone {
        self.segments.iter().map(String::as_str)
    }

    /// The last segment, the key that holds the value (`expandedAt`).
    pub fn leaf(&self) -> &str {
        self.segments.last().map_or("", String::as_str)
    }
}

impl std::fmt::Display for KeyPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.dotted)
    }
}

/// `[fields]` checked and split into key paths.
#[derive(Debug, Clone)]
pub struct ResolvedFields {
    paths: [Vec<KeyPath>; 9],
    date_formats: Vec<DateFormat>,
    id_scope: Vec<Vec<String>>,
    id_scope_key: &'static [&'static str],
}

impl ResolvedFields {
    /// Resolves `config.fields` (and the `[corpus] duplicate-scope`
    /// alias); an error names the key path that holds the bad value.
    pub fn new(config: &Config) -> Result<ResolvedFields, SettingsError> {
        let error = |path: &[&str], message: String| SettingsError {
            key_path: path.iter().map(|s| (*s).to_owned()).collect(),
            message,
        };
        let mut paths: [Vec<KeyPath>; 9] = Default::default();
        for (slot, field) in paths.iter_mut().zip(Field::ALL) {
            let list = field == Field::Cover;
            for (i, dotted) in field.configured(config).into_iter().enumerate() {
                let idx = i.to_string();
                let at: Vec<&str> = if list {
                    vec!["fields", field.name(), &idx]
                } else {
                    vec!["fields", field.name()]
                };
                let path = KeyPath::parse(dotted).ok_or_else(|| {
                    error(
                        &at,
                        format!(
                            "{dotted:?} is not a key path: write dotted keys such as `ai.expandedAt`, or \"\" for none"
                        ),
                    )
                })?;
                slot.push(path);
            }
        }
        let mut date_formats = config.fields.date_formats.clone();
        if date_formats.is_empty() {
            return Err(error(
                &["fields", "date-formats"],
                "name at least one format: \"rfc3339\", \"date\" or \"jekyll\"".into(),
            ));
        }
        date_formats.dedup();
        let (scope, id_scope_key): (DuplicateScope, &'static [&'static str]) = match (
            &config.fields.id_scope,
            &config.corpus.duplicate_scope,
        ) {
            (Some(_), Some(_)) => {
                return Err(error(
                    &["corpus", "duplicate-scope"],
                    "`[fields] id-scope` is set too: `duplicate-scope` is its former name, keep only `[fields] id-scope`".into(),
                ))
            }
            (Some(s), None) => (s.clone(), &["fields", "id-scope"]),
            (None, Some(s)) => (s.clone(), &["corpus", "duplicate-scope"]),
            (None, None) => (DuplicateScope::default(), &["fields", "id-scope"]),
        };
        let id_scope = scope.key_paths();
        for (i, path) in id_scope.iter().enumerate() {
            if path.iter().any(String::is_empty) {
                let idx = i.to_string();
                let mut at = id_scope_key.to_vec();
                at.push(&idx);
                return Err(error(
                    &at,
                    "not a key path: write dotted keys such as `source.key`".into(),
                ));
            }
        }
        Ok(ResolvedFields {
            paths,
            date_formats,
            id_scope,
            id_scope_key,
        })
    }

    /// The key path of a single-valued field, when mapped.
    pub fn get(&self, field: Field) -> Option<&KeyPath> {
        self.paths[field as usize].first()
    }

    /// Every key path of `field` (several for `cover`); empty when unmapped.
    pub fn paths(&self, field: Field) -> &[KeyPath] {
        &self.paths[field as usize]
    }

    /// Whether `field` is mapped (not `""`).
    pub fn is_mapped(&self, field: Field) -> bool {
        !self.paths(field).is_empty()
    }

    /// The accepted date formats, in the configured order, at least one.
    pub fn date_formats(&self) -> &[DateFormat] {
        &self.date_formats
    }

    /// The id's uniqueness scope, as key paths split into segments (empty:
    /// unique across the corpus).
    pub fn id_scope(&self) -> &[Vec<String>] {
        &self.id_scope
    }

    /// Where the scope was configured: `fields.id-scope`, or its former
    /// name `corpus.duplicate-scope`.
    pub fn id_scope_key(&self) -> String {
        self.id_scope_key.join(".")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(edit: impl FnOnce(&mut Config)) -> Result<ResolvedFields, SettingsError> {
        let mut config = Config::default();
        edit(&mut config);
        ResolvedFields::new(&config)
    }

    #[test]
    fn defaults_are_the_builtin_keys() {
        let f = resolve(|_| {}).expect("defaults resolve");
        assert_eq!(
            f.get(Field::Published).map(KeyPath::dotted),
            Some("publishedAt")
        );
        assert_eq!(
            f.get(Field::Expanded).map(KeyPath::segments),
            Some(&["ai".to_owned(), "expandedAt".to_owned()][..])
        );
        assert_eq!(f.paths(Field::Cover).len(), 1);
        assert_eq!(f.id_scope(), [vec!["source", "key"], vec!["lang"]]);
        assert_eq!(f.date_formats(), [DateFormat::Rfc3339]);
    }

    #[test]
    fn empty_unmaps_and_bad_paths_point_at_their_key() {
        let f = resolve(|c| c.fields.id = String::new()).expect("unmapped");
        assert!(!f.is_mapped(Field::Id));
        let err = resolve(|c| c.fields.published = "a..b".into()).expect_err("bad path");
        assert_eq!(err.key_path, ["fields", "published"]);
        let err = resolve(|c| c.fields.cover = vec!["ok".into(), ".x".into()]).expect_err("bad");
        assert_eq!(err.key_path, ["fields", "cover", "1"]);
        let err = resolve(|c| c.fields.date_formats.clear()).expect_err("no format");
        assert_eq!(err.key_path, ["fields", "date-formats"]);
    }

    #[test]
    fn duplicate_scope_is_an_alias_of_id_scope() {
        use crate::config::ScopeName;
        let global = DuplicateScope::Named(ScopeName::Global);
        let f = resolve(|c| c.corpus.duplicate_scope = Some(global.clone())).expect("alias");
        assert!(f.id_scope().is_empty());
        assert_eq!(f.id_scope_key(), "corpus.duplicate-scope");
        let err = resolve(|c| {
            c.corpus.duplicate_scope = Some(global.clone());
            c.fields.id_scope = Some(global.clone());
        })
        .expect_err("both");
        assert_eq!(err.key_path, ["corpus", "duplicate-scope"]);
        let err = resolve(|c| c.fields.id_scope = Some(DuplicateScope::Keys(vec!["a.".into()])))
            .expect_err("bad scope");
        assert_eq!(err.key_path, ["fields", "id-scope", "0"]);
    }
}
