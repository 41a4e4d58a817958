//! The configuration resolved once per run: globs and patterns compiled,
//! rule codes checked, "now" fixed.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use copydesk_schema::yaml::Limits;
use copydesk_schema::Contract;
use globset::{Glob, GlobSet, GlobSetBuilder};
use jiff::Timestamp;
use regex::Regex;

use crate::config::{Config, RuleLevel};
use crate::diagnostic::Severity;
use crate::fields::{Field, KeyPath, ResolvedFields};
use crate::registry::{self, Selector};
use crate::rule::RuleMeta;

/// A configuration value that cannot be used, with the key path that holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsError {
    /// The TOML key path, e.g. `["rules", "date/in-futur"]` or `["overrides", "0", "files", "1"]`.
    pub key_path: Vec<String>,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for SettingsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.key_path.join("."), self.message)
    }
}

impl std::error::Error for SettingsError {}

/// The resolved configuration every rule reads.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The configuration as written (after defaults).
    pub config: Config,
    /// "Now" for date rules (the clock, or `--now`).
    pub now: Timestamp,
    /// Bounds on the YAML parse.
    pub limits: Limits,
    /// Files larger than this are not read.
    pub max_file_bytes: u64,
    external_id: Regex,
    tag_pattern: Option<Regex>,
    category_pattern: Option<Regex>,
    source_key_pattern: Option<Regex>,
    fields: ResolvedFields,
    include: Option<GlobSet>,
    exclude: GlobSet,
    overrides: Vec<(GlobSet, BTreeMap<String, RuleLevel>)>,
    earliest_date: Timestamp,
    phrase_firsts: u128,
    contract: Option<Arc<Contract>>,
    /// The URL paths a redirects file (`[history] redirects-file`) sends on.
    redirected_from: Arc<Vec<String>>,
    /// Each field's key paths that are mapped and that the contract
    /// defines: where the rules read.
    usable: [Vec<KeyPath>; 9],
    /// Whether the cover is the built-in `coverImage` mapping of Unsplash
    /// URLs: read per file by the image rules, so worked out once.
    builtin_cover: bool,
    /// Why each rule that does not run with this configuration does not,
    /// by code: worked out once rather than per rule and file.
    inactive: BTreeMap<&'static str, String>,
    /// What `--select`, `--extend-select` and `--ignore` decide, by code.
    decided: BTreeMap<&'static str, Decided>,
    /// The rules those flags turn on by their own code.
    named: Vec<&'static str>,
    /// Each rule's level before `[[overrides]]`, by code: worked out once
    /// rather than per rule and file.
    base: BTreeMap<&'static str, Base>,
    /// Each rule's level (`None`: off or inactive), in the registry's
    /// order, where no `[[overrides]]` applies: what linting a file asks
    /// of every rule, 100k times a run.
    running: Vec<Option<Severity>>,
}

/// A rule's level before `[[overrides]]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Base {
    /// At this level (`None`: off), which an override may change.
    Level(Option<Severity>),
    /// Off from the command line, whatever the overrides say.
    Off,
}

fn glob_set(globs: &[String], key: &[&str]) -> Result<GlobSet, SettingsError> {
    let mut b = GlobSetBuilder::new();
    for (i, g) in globs.iter().enumerate() {
        let glob = Glob::new(g.trim_start_matches("./")).map_err(|e| SettingsError {
            key_path: key
                .iter()
                .map(|s| (*s).to_owned())
                .chain([i.to_string()])
                .collect(),
            message: format!("bad glob {g:?}: {}", e.kind()),
        })?;
        b.add(glob);
    }
    b.build().map_err(|e| SettingsError {
        key_path: key.iter().map(|s| (*s).to_owned()).collect(),
        message: e.to_string(),
    })
}

/// Checks that every key of a `[rules]` table names a rule or a group.
fn check_codes(rules: &BTreeMap<String, RuleLevel>, key: &[String]) -> Result<(), SettingsError> {
    for code in rules.keys() {
        if Selector::parse(code, false).is_none() {
            return Err(SettingsError {
                key_path: key.iter().cloned().chain([code.clone()]).collect(),
                message: Selector::unknown(code),
            });
        }
    }
    Ok(())
}

/// A `[rules]` table's entry for `rule`: its code's, else its group's
/// (a code wins over its group wherever each is written), and whether
/// it came from the code.
fn entry(rules: &BTreeMap<String, RuleLevel>, rule: &RuleMeta) -> Option<(RuleLevel, bool)> {
    match rules.get(rule.code) {
        Some(level) => Some((*level, true)),
        None => rules.get(rule.group()).map(|level| (*level, false)),
    }
}

/// `rule`'s level after one `[rules]` table (the file's, or an
/// override's) on its level so far. A group's `error` or `warning` sets
/// the level of its rules that are on by default or already turned on,
/// but turns on none of the opinionated ones (off by default): those are
/// turned on by their own code.
fn apply_entry(
    level: Option<Severity>,
    entry: Option<(RuleLevel, bool)>,
    rule: &RuleMeta,
) -> Option<Severity> {
    let severity = match entry {
        None => return level,
        Some((RuleLevel::Off, _)) => return None,
        Some((RuleLevel::Error, _)) => Severity::Error,
        Some((RuleLevel::Warning, _)) => Severity::Warning,
    };
    let by_code = entry.is_some_and(|(_, by_code)| by_code);
    if by_code || rule.enabled_by_default || level.is_some() {
        Some(severity)
    } else {
        level
    }
}

/// `--select`, `--extend-select` and `--ignore`: rule codes, groups or
/// `ALL`, applied over the configuration as ruff applies its flags.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleSelection {
    /// Replaces the rules the configuration turns on (`None`: keep them).
    pub select: Option<Vec<String>>,
    /// Turned on in addition.
    pub extend_select: Vec<String>,
    /// Turned off.
    pub ignore: Vec<String>,
}

/// What the command line decides for one rule; a rule it does not
/// decide runs as the configuration says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Decided {
    /// As configured: a group or `ALL` selecting an opinionated rule
    /// (off by default) does not turn it on.
    Configured,
    /// On, at its configured severity (its default one where the
    /// configuration turns it off).
    On,
    /// Off.
    Off,
}

impl RuleSelection {
    /// Whether the flags say anything.
    pub fn is_empty(&self) -> bool {
        self.select.is_none() && self.extend_select.is_empty() && self.ignore.is_empty()
    }

    /// The decision for every rule the flags decide, and the rules turned
    /// on by their own code. For each rule the most specific selector
    /// naming it wins (a code over its group over `ALL`); at the same
    /// specificity `--ignore` wins. Without any, `--select` turns it off.
    fn resolve(
        &self,
    ) -> Result<(BTreeMap<&'static str, Decided>, Vec<&'static str>), SettingsError> {
        let mut selectors = Vec::new();
        let lists = [
            ("--select", self.select.as_deref().unwrap_or_default(), true),
            ("--extend-select", &self.extend_select[..], true),
            ("--ignore", &self.ignore[..], false),
        ];
        for (flag, names, on) in lists {
            for name in names {
                let selector = Selector::parse(name, true).ok_or_else(|| SettingsError {
                    key_path: vec![flag.to_owned()],
                    message: Selector::unknown(name),
                })?;
                selectors.push((selector, on));
            }
        }
        let mut decided = BTreeMap::new();
        let mut named = Vec::new();
        for meta in registry::metas() {
            let best = selectors
                .iter()
                .filter(|(s, _)| s.matches(meta))
                .map(|&(s, on)| {
                    let decision = match (on, s) {
                        (false, _) => Decided::Off,
                        (true, Selector::Rule(_)) => Decided::On,
                        (true, _) if meta.enabled_by_default => Decided::On,
                        (true, _) => Decided::Configured,
                    };
                    (s.specificity(), decision)
                })
                .max();
            match best {
                Some((_, Decided::Configured)) => {}
                Some((specificity, decision)) => {
                    if decision == Decided::On && specificity == Selector::RULE_SPECIFICITY {
                        named.push(meta.code);
                    }
                    decided.insert(meta.code, decision);
                }
                None if self.select.is_some() => {
                    decided.insert(meta.code, Decided::Off);
                }
                None => {}
            }
        }
        Ok((decided, named))
    }
}

/// The bit of an ASCII byte (case folded) in a 128-bit set; every
/// non-ASCII byte shares the top bit.
pub(crate) fn first_byte_bit(b: u8) -> u128 {
    1u128 << u32::from(b.to_ascii_lowercase().min(127))
}

/// `text.earliest-date` as an instant: a day (`1995-01-01`, midnight UTC)
/// or an RFC 3339 timestamp.
fn parse_earliest(text: &str) -> Result<Timestamp, SettingsError> {
    let day = text
        .parse::<jiff::civil::Date>()
        .ok()
        .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok())
        .map(|z| z.timestamp());
    day.or_else(|| text.parse::<Timestamp>().ok())
        .ok_or_else(|| SettingsError {
            key_path: vec!["text".into(), "earliest-date".into()],
            message: format!("{text:?} is not a date like `1995-01-01` or a timestamp"),
        })
}

/// Each `text.*-min-length` is at most its `*-max-length`.
fn check_lengths(text: &crate::config::Text) -> Result<(), SettingsError> {
    for (field, min, max) in [
        ("title", text.title_min_length, text.title_max_length),
        (
            "description",
            text.description_min_length,
            text.description_max_length,
        ),
    ] {
        if min > max {
            return Err(SettingsError {
                key_path: vec!["text".into(), format!("{field}-min-length")],
                message: format!("{min} is more than `{field}-max-length` ({max})"),
            });
        }
    }
    Ok(())
}

/// `pattern` compiled so that `is_match` means the whole value matches,
/// anchored or not as written; an error names `editorial.<key>`.
fn whole_match(pattern: &str, key: &str) -> Result<Regex, SettingsError> {
    let bad_pattern = |e: regex::Error| SettingsError {
        key_path: vec!["editorial".into(), key.into()],
        message: format!("not a regular expression: {e}"),
    };
    // The pattern is checked alone first so that the wrapper cannot pair
    // with a stray parenthesis of it.
    Regex::new(pattern).map_err(bad_pattern)?;
    Regex::new(&format!("^(?:{pattern})$")).map_err(bad_pattern)
}

impl Settings {
    /// Resolves `config` with "now" fixed at `now`.
    pub fn new(config: Config, now: Timestamp) -> Result<Self, SettingsError> {
        check_codes(&config.rules, &["rules".to_owned()])?;
        let editorial = &config.editorial;
        let external_id = whole_match(&editorial.external_id_pattern, "external-id-pattern")?;
        let optional =
            |p: &Option<String>, key: &str| p.as_deref().map(|p| whole_match(p, key)).transpose();
        let tag_pattern = optional(&editorial.tag_pattern, "tag-pattern")?;
        let category_pattern = optional(&editorial.category_pattern, "category-pattern")?;
        let source_key_pattern = optional(&editorial.source_key_pattern, "source-key-pattern")?;
        let fields = ResolvedFields::new(&config)?;
        let similarity = config.corpus.reimport_similarity;
        if !(similarity > 0.0 && similarity <= 1.0) {
            return Err(SettingsError {
                key_path: vec!["corpus".into(), "reimport-similarity".into()],
                message: format!("must be more than 0 and at most 1, not {similarity}"),
            });
        }
        let include = if config.include.is_empty() {
            None
        } else {
            Some(glob_set(&config.include, &["include"])?)
        };
        let exclude = glob_set(&config.exclude, &["exclude"])?;
        for (key, value) in [
            ("concurrency", config.online.concurrency),
            ("per-host", config.online.per_host),
            (
                "budget-seconds",
                usize::try_from(config.online.budget_seconds).unwrap_or(usize::MAX),
            ),
        ] {
            if value == 0 {
                return Err(SettingsError {
                    key_path: vec!["online".into(), key.into()],
                    message: "must be at least 1".into(),
                });
            }
        }
        let earliest_date = parse_earliest(&config.text.earliest_date)?;
        let phrase_firsts = config
            .text
            .model_phrases
            .iter()
            .filter_map(|p| p.bytes().next())
            .fold(0, |mask, b| mask | first_byte_bit(b));
        check_lengths(&config.text)?;
        let mut overrides = Vec::new();
        for (i, o) in config.overrides.iter().enumerate() {
            let idx = i.to_string();
            let set = glob_set(&o.files, &["overrides", &idx, "files"])?;
            check_codes(
                &o.rules,
                &["overrides".to_owned(), idx.clone(), "rules".to_owned()],
            )?;
            overrides.push((set, o.rules.clone()));
        }
        let mut settings = Settings {
            config,
            now,
            limits: Limits::default(),
            max_file_bytes: 10 << 20,
            external_id,
            tag_pattern,
            category_pattern,
            source_key_pattern,
            fields,
            include,
            exclude,
            overrides,
            earliest_date,
            phrase_firsts,
            contract: None,
            redirected_from: Arc::default(),
            usable: Default::default(),
            builtin_cover: true,
            inactive: BTreeMap::new(),
            decided: BTreeMap::new(),
            named: Vec::new(),
            base: BTreeMap::new(),
            running: Vec::new(),
        };
        settings.refresh();
        Ok(settings)
    }

    /// Applies `--select`, `--extend-select` and `--ignore` over the
    /// configuration (defaults, then the file, then these flags). An
    /// unknown code or group is an error at the flag that names it.
    pub fn with_selection(mut self, selection: &RuleSelection) -> Result<Self, SettingsError> {
        let (decided, named) = selection.resolve()?;
        self.decided = decided;
        self.named = named;
        self.refresh();
        Ok(self)
    }

    /// What the command-line selection decided, as text that changes
    /// whenever a decision does (the result cache keys on it).
    pub fn selection_key(&self) -> String {
        format!("{:?}", self.decided)
    }

    /// Whether the rule `code` is asked for by its own code: at `error` or
    /// `warning` under `[rules]`, or by `--select`/`--extend-select`. A
    /// rule that is the built-in contract's convention runs with a
    /// newsroom's own schema only then.
    pub fn requested(&self, code: &str) -> bool {
        matches!(
            self.config.rules.get(code),
            Some(RuleLevel::Error | RuleLevel::Warning)
        ) || self.named.contains(&code)
    }

    /// Works out again what depends on the rule levels and the contract:
    /// each rule's level, the usable field paths, then which rules run.
    fn refresh(&mut self) {
        // First: a rule's `inactive_reason` may ask for a level.
        self.base = registry::metas()
            .map(|m| (m.code, self.base_level(m)))
            .collect();
        for (slot, field) in self.usable.iter_mut().zip(Field::ALL) {
            *slot = self
                .fields
                .paths(field)
                .iter()
                .filter(|p| match &self.contract {
                    None => true,
                    Some(c) => c.defines(&p.iter().collect::<Vec<_>>()),
                })
                .cloned()
                .collect();
        }
        self.builtin_cover = matches!(self.field_paths(Field::Cover), [p] if p.dotted() == "coverImage")
            && self.defines("coverImage.raw");
        let mut inactive = BTreeMap::new();
        for rule in registry::all() {
            if let Some(reason) = rule.inactive_reason(self) {
                inactive.insert(rule.meta().code, reason);
            }
        }
        self.inactive = inactive;
        self.running = registry::all()
            .iter()
            .map(|rule| self.level_if_active(rule.meta(), None))
            .collect();
    }

    /// [`Settings::level`], or `None` when the rule does not run
    /// ([`Settings::is_active`]); `config_path` `None` leaves
    /// `[[overrides]]` aside.
    fn level_if_active(&self, rule: &RuleMeta, config_path: Option<&str>) -> Option<Severity> {
        if !self.is_active(rule.code) {
            return None;
        }
        self.level_at(rule, config_path)
    }

    /// The level of every rule of the registry, in its order, for a file
    /// at `config_path`: `None` for a rule that is off or does not run.
    pub fn rule_levels(&self, config_path: &str) -> std::borrow::Cow<'_, [Option<Severity>]> {
        if !self
            .overrides
            .iter()
            .any(|(set, _)| set.is_match(config_path))
        {
            return std::borrow::Cow::Borrowed(&self.running);
        }
        registry::all()
            .iter()
            .map(|rule| self.level_if_active(rule.meta(), Some(config_path)))
            .collect()
    }

    /// Why a rule with these `keys` and `fields` cannot run, or `None`: a
    /// field not mapped, or (with a newsroom's own schema) a key the
    /// schema does not define.
    pub fn unmet(&self, keys: &[&str], fields: &[Field]) -> Option<String> {
        for &field in fields {
            let paths = self.fields.paths(field);
            if paths.is_empty() {
                return Some(format!("[fields] {} is not mapped", field.name()));
            }
            if self.field_paths(field).is_empty() {
                let names: Vec<String> = paths.iter().map(|p| format!("`{p}`")).collect();
                return Some(format!(
                    "the schema does not define {} ([fields] {})",
                    names.join(" or "),
                    field.name()
                ));
            }
        }
        keys.iter()
            .find(|k| !self.defines(k))
            .map(|k| format!("the schema does not define `{k}`"))
    }

    /// Whether the rule `code` runs with this configuration (its fields
    /// mapped, its keys defined); whether it is on is [`Settings::level`].
    pub fn is_active(&self, code: &str) -> bool {
        !self.inactive.contains_key(code)
    }

    /// Why the rule `code` does not run with this configuration, or `None`
    /// when it does.
    pub fn inactive_reason(&self, code: &str) -> Option<&str> {
        self.inactive.get(code).map(String::as_str)
    }

    /// The key path a single-valued field reads, when it is mapped and the
    /// contract defines it.
    pub fn field(&self, field: Field) -> Option<&KeyPath> {
        self.usable[field as usize].first()
    }

    /// Every key path of `field` that is mapped and that the contract
    /// defines (several for `cover`).
    pub fn field_paths(&self, field: Field) -> &[KeyPath] {
        &self.usable[field as usize]
    }

    /// Whether the cover image is the built-in contract's: one
    /// `coverImage` mapping of an Unsplash photo's `urls` (`[fields] cover`
    /// is `["coverImage"]` and the contract defines `coverImage.raw`).
    pub fn builtin_cover(&self) -> bool {
        self.builtin_cover
    }

    /// How messages name a field: its mapped key path (`publishedAt`), or
    /// the field's own name when it is not mapped.
    pub fn field_name(&self, field: Field) -> &str {
        self.fields
            .paths(field)
            .first()
            .map_or(field.name(), KeyPath::dotted)
    }

    /// The first bytes of `text.model-phrases` (ASCII case folded), as
    /// [`first_byte_bit`]s: a sentence whose first byte is not among them
    /// cannot start a phrase.
    pub(crate) fn phrase_firsts(&self) -> u128 {
        self.phrase_firsts
    }

    /// `text.earliest-date`: dates before it are sentinels.
    pub fn earliest_date(&self) -> Timestamp {
        self.earliest_date
    }

    /// Replaces the built-in contract with the JSON Schema `schema`
    /// (`[contract] schema` in copydesk.toml); an unusable schema is an
    /// error at that key.
    pub fn with_contract(mut self, schema: serde_json::Value) -> Result<Self, SettingsError> {
        let contract = Contract::from_schema(schema).map_err(|message| SettingsError {
            key_path: vec!["contract".into(), "schema".into()],
            message,
        })?;
        self.contract = Some(Arc::new(contract));
        self.refresh();
        Ok(self)
    }

    /// Takes the redirects a site serves from the text of its `_redirects`
    /// file: the first field of each line that is not blank or a comment.
    #[must_use]
    pub fn with_redirects(mut self, text: &str) -> Self {
        let froms = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .filter_map(|l| l.split_whitespace().next())
            .map(str::to_owned)
            .collect();
        self.redirected_from = Arc::new(froms);
        self
    }

    /// The URL paths the site's redirects file sends on (none without one).
    pub fn redirected_from(&self) -> &[String] {
        &self.redirected_from
    }

    /// Reads `[contract] schema` when the configuration names one,
    /// relative to `config_dir` (the config file's folder), and uses it;
    /// settings without one are returned as they are. A missing, unreadable
    /// or invalid file is an error at that key.
    pub fn with_contract_file(self, config_dir: &Path) -> Result<Self, SettingsError> {
        let Some(rel) = self.config.contract.schema.clone() else {
            return Ok(self);
        };
        let error = |message: String| SettingsError {
            key_path: vec!["contract".into(), "schema".into()],
            message,
        };
        let path = config_dir.join(&rel);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| error(format!("cannot read the schema `{rel}`: {e}")))?;
        let schema: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
            error(format!(
                "the schema `{rel}` is not JSON: {e} (line {}, column {})",
                e.line(),
                e.column()
            ))
        })?;
        self.with_contract(schema)
            .map_err(|e| error(format!("`{rel}`: {}", e.message)))
    }

    /// The front-matter contract articles are validated against.
    pub fn contract(&self) -> &Contract {
        self.contract
            .as_deref()
            .unwrap_or_else(|| Contract::builtin())
    }

    /// Whether the contract defines the key at the dotted `path` (always,
    /// for the built-in contract). A rule whose keys a newsroom's schema
    /// does not define is not run.
    pub fn defines(&self, path: &str) -> bool {
        match &self.contract {
            None => true,
            Some(c) => c.defines(&path.split('.').collect::<Vec<_>>()),
        }
    }

    /// Default configuration at `now`.
    pub fn with_defaults(now: Timestamp) -> Self {
        // Not user data: the built-in defaults are constant, and the
        // `defaults_are_valid` test proves they resolve.
        Self::new(Config::default(), now).expect("built-in defaults are valid")
    }

    /// The effective severity of `rule` for a file at `config_path`
    /// (relative to the config root); `None` when the rule is off.
    pub fn level(&self, rule: &RuleMeta, config_path: &str) -> Option<Severity> {
        self.level_at(rule, Some(config_path))
    }

    /// [`Settings::level`] for a file at `config_path`; `None` leaves
    /// `[[overrides]]` aside.
    fn level_at(&self, rule: &RuleMeta, config_path: Option<&str>) -> Option<Severity> {
        let base = match self.base.get(rule.code) {
            Some(base) => *base,
            // A rule outside the registry (a test's).
            None => self.base_level(rule),
        };
        let Base::Level(mut level) = base else {
            return None;
        };
        let Some(config_path) = config_path else {
            return level;
        };
        // Overrides still apply per path, as ruff's per-file ignores do
        // under `--select`.
        for (set, rules) in &self.overrides {
            if let Some(e) = entry(rules, rule) {
                if set.is_match(config_path) {
                    level = apply_entry(level, Some(e), rule);
                }
            }
        }
        level
    }

    /// `rule`'s level before `[[overrides]]`: its default, then `[rules]`,
    /// then the command line.
    fn base_level(&self, rule: &RuleMeta) -> Base {
        let decided = self.decided.get(rule.code).copied();
        if decided == Some(Decided::Off) {
            return Base::Off;
        }
        let start = rule.enabled_by_default.then_some(rule.default_severity);
        let level = apply_entry(start, entry(&self.config.rules, rule), rule);
        if decided == Some(Decided::On) {
            // Turned on from the command line: over the file's `[rules]`,
            // as ruff's `--select` over its `ignore`.
            return Base::Level(level.or(Some(rule.default_severity)));
        }
        Base::Level(level)
    }

    /// The compiled `editorial.external-id-pattern`, anchored so that
    /// `is_match` means the whole id matches.
    pub fn external_id_pattern(&self) -> &Regex {
        &self.external_id
    }

    /// The configured `editorial.tag-pattern`, when there is one (anchored).
    pub fn tag_pattern(&self) -> Option<&Regex> {
        self.tag_pattern.as_ref()
    }

    /// The configured `editorial.category-pattern`, when there is one (anchored).
    pub fn category_pattern(&self) -> Option<&Regex> {
        self.category_pattern.as_ref()
    }

    /// The configured `editorial.source-key-pattern`, when there is one (anchored).
    pub fn source_key_pattern(&self) -> Option<&Regex> {
        self.source_key_pattern.as_ref()
    }

    /// The key paths of `[fields] id-scope` (or its former name
    /// `[corpus] duplicate-scope`), split into segments (empty: the id is
    /// unique across the corpus).
    pub fn duplicate_scope(&self) -> &[Vec<String>] {
        self.fields.id_scope()
    }

    /// `[fields]`: where the semantic rules find their values.
    pub fn fields(&self) -> &ResolvedFields {
        &self.fields
    }

    /// Whether a file at `config_path` (relative to the config root) is
    /// selected by the include and exclude globs.
    pub fn is_selected(&self, config_path: &str) -> bool {
        // Not `trim_start_matches`, which sets up a substring search first.
        let mut path = config_path;
        while let Some(rest) = path.strip_prefix("./") {
            path = rest;
        }
        // An empty set matches nothing, but would first prepare the path
        // for matching (for each of 100k walked files).
        let excluded = !self.exclude.is_empty() && self.exclude.is_match(path);
        self.include.as_ref().is_none_or(|s| s.is_match(path)) && !excluded
    }

    /// Whether `path` has one of the configured markdown extensions.
    pub fn has_article_extension(&self, path: &std::path::Path) -> bool {
        extension(path).is_some_and(|e| {
            self.config
                .extensions
                .iter()
                .any(|x| x.eq_ignore_ascii_case(e))
        })
    }
}

/// `path.extension()` as text. On Unix it is read off the bytes after the
/// last `/` when they are a plain file name (what a walk yields):
/// `Path::extension` parses the path's components first, for each of 100k
/// walked files.
fn extension(path: &std::path::Path) -> Option<&str> {
    #[cfg(unix)]
    {
        let bytes = path.as_os_str().as_encoded_bytes();
        let name = bytes.rsplit(|&b| b == b'/').next().unwrap_or(bytes);
        if !matches!(name, b"" | b"." | b"..") {
            // As `Path::extension`: after the last dot, unless nothing is
            // before it.
            let dot = name.iter().rposition(|&b| b == b'.').filter(|&i| i > 0)?;
            return std::str::from_utf8(name.get(dot + 1..)?).ok();
        }
    }
    path.extension().and_then(|e| e.to_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_extension_is_what_path_extension_says() {
        let parts = [
            "", ".", "..", "a", ".md", "a.md", "a.", "..md", "a.b.MD", "é.md", "a.é",
        ];
        for dir in ["", "/", "/srv/", "x/", "./", "../", "a.md/"] {
            for a in parts {
                for b in parts {
                    for tail in ["", "/", "/.", "/.."] {
                        let s = format!("{dir}{a}{b}{tail}");
                        let path = std::path::Path::new(&s);
                        let want = path.extension().and_then(|e| e.to_str());
                        assert_eq!(extension(path), want, "{s:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn defaults_are_valid() {
        assert!(Settings::new(Config::default(), Timestamp::UNIX_EPOCH).is_ok());
    }

    fn levels(config: &str, selection: &RuleSelection, path: &str) -> Vec<String> {
        let config: Config = toml::from_str(config).expect("config");
        let settings = Settings::new(config, Timestamp::UNIX_EPOCH)
            .and_then(|s| s.with_selection(selection))
            .expect("valid");
        [
            "date/not-utc",
            "date/in-future",
            "text/title-length",
            "corpus/duplicate-title",
        ]
        .iter()
        .map(|code| {
            let meta = registry::find(code).expect("rule").meta();
            match settings.level(meta, path) {
                Some(s) => format!("{code}={s}"),
                None => format!("{code}=off"),
            }
        })
        .collect()
    }

    #[test]
    fn every_rules_level_for_a_file_is_its_level_when_it_runs() {
        let config: Config = toml::from_str(
            r#"
            [rules]
            "date/not-utc" = "error"
            text = "off"

            [[overrides]]
            files = ["old/**"]
            rules = { "date/not-utc" = "off", "text/title-length" = "warning", corpus = "error" }
            "#,
        )
        .expect("config");
        let selection = RuleSelection {
            select: None,
            extend_select: vec!["image".to_owned()],
            ignore: vec!["corpus/duplicate-external-id".to_owned()],
        };
        let settings = Settings::new(config, Timestamp::UNIX_EPOCH)
            .and_then(|s| s.with_selection(&selection))
            .expect("valid");
        for path in ["a.md", "old/a.md", "old/deep/b.md"] {
            let expected: Vec<Option<Severity>> = registry::all()
                .iter()
                .map(|r| {
                    let meta = r.meta();
                    settings
                        .level(meta, path)
                        .filter(|_| settings.is_active(meta.code))
                })
                .collect();
            assert_eq!(*settings.rule_levels(path), *expected, "{path}");
        }
        let old = settings.rule_levels("old/a.md");
        assert_ne!(*old, *settings.rule_levels("a.md"));
    }

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn a_code_wins_over_its_group_and_a_group_turns_on_no_opinionated_rule() {
        let none = RuleSelection::default();
        let config =
            "[rules]\ndate = \"warning\"\n\"date/in-future\" = \"off\"\ntext = \"error\"\n";
        assert_eq!(
            levels(config, &none, "a.md"),
            [
                "date/not-utc=warning",
                "date/in-future=off",
                "text/title-length=off",
                "corpus/duplicate-title=warning"
            ]
        );
        let config = "[rules]\n\"text/title-length\" = \"warning\"\n[[overrides]]\nfiles = [\"old/**\"]\nrules = { text = \"error\", date = \"off\" }\n";
        assert_eq!(
            levels(config, &none, "old/a.md"),
            [
                "date/not-utc=off",
                "date/in-future=off",
                "text/title-length=error",
                "corpus/duplicate-title=warning"
            ]
        );
        let err = Settings::new(
            toml::from_str("[rules]\ndatee = \"off\"\n").expect("config"),
            Timestamp::UNIX_EPOCH,
        )
        .expect_err("unknown group");
        assert_eq!(err.key_path, ["rules", "datee"]);
        assert_eq!(
            err.message,
            "unknown rule or group `datee`; did you mean `date`?"
        );
    }

    #[test]
    fn the_command_line_selects_over_the_file_most_specific_first() {
        let config =
            "[rules]\n\"date/not-utc\" = \"off\"\n\"corpus/duplicate-title\" = \"error\"\n";
        let select = |select: Option<&[&str]>, extend: &[&str], ignore: &[&str]| RuleSelection {
            select: select.map(names),
            extend_select: names(extend),
            ignore: names(ignore),
        };
        assert_eq!(
            levels(
                config,
                &select(Some(&["date", "corpus"]), &[], &["date/in-future"]),
                "a.md"
            ),
            [
                "date/not-utc=error",
                "date/in-future=off",
                "text/title-length=off",
                "corpus/duplicate-title=error"
            ]
        );
        assert_eq!(
            levels(
                config,
                &select(Some(&["ALL"]), &["text/title-length"], &["corpus"]),
                "a.md"
            ),
            [
                "date/not-utc=error",
                "date/in-future=error",
                "text/title-length=warning",
                "corpus/duplicate-title=off"
            ]
        );
        assert_eq!(
            levels(
                "",
                &select(None, &["corpus/duplicate-title"], &["ALL"]),
                "a.md"
            ),
            [
                "date/not-utc=off",
                "date/in-future=off",
                "text/title-length=off",
                "corpus/duplicate-title=warning"
            ]
        );
        let err = Settings::with_defaults(Timestamp::UNIX_EPOCH)
            .with_selection(&select(None, &[], &["corpuss"]))
            .expect_err("unknown");
        assert_eq!(
            err.to_string(),
            "--ignore: unknown rule or group `corpuss`; did you mean `corpus`?"
        );
    }

    #[test]
    fn text_bounds_are_checked_and_point_at_their_key() {
        let mut config = Config::default();
        config.text.earliest_date = "2001-09-09T01:46:40Z".into();
        let settings = Settings::new(config.clone(), Timestamp::UNIX_EPOCH).expect("valid");
        assert_eq!(settings.earliest_date().as_second(), 1_000_000_000);
        config.text.earliest_date = "last year".into();
        let err = Settings::new(config.clone(), Timestamp::UNIX_EPOCH).expect_err("bad date");
        assert_eq!(err.key_path, ["text", "earliest-date"]);
        config.text.earliest_date = "1995-01-01".into();
        config.text.title_min_length = 100;
        let err = Settings::new(config, Timestamp::UNIX_EPOCH).expect_err("min > max");
        assert_eq!(err.key_path, ["text", "title-min-length"]);
    }
}
