//! The one list of rules, sorted by code.

use crate::rule::{Rule, RuleMeta};
use std::sync::LazyLock;

use crate::rules::GROUPS;

static RULES: LazyLock<Vec<&'static dyn Rule>> = LazyLock::new(|| {
    let mut all: Vec<&'static dyn Rule> =
        GROUPS.iter().flat_map(|(_, g)| g.iter().copied()).collect();
    all.sort_by_key(|r| r.meta().code);
    all
});

/// Every rule, sorted by code.
pub fn all() -> &'static [&'static dyn Rule] {
    &RULES
}

/// The rule with this code.
pub fn find(code: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| r.meta().code == code)
}

/// The rule groups (`date`, `corpus`, …): the first part of each code,
/// sorted.
pub fn groups() -> impl Iterator<Item = &'static str> {
    GROUPS.iter().map(|(name, _)| *name)
}

/// Whether `name` is a rule group.
pub fn is_group(name: &str) -> bool {
    groups().any(|g| g == name)
}

/// A rule code or group that `--select`, `--ignore` or `[rules]` may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selector {
    /// Every rule (`ALL`, on the command line).
    All,
    /// A group's rules (`date`).
    Group(&'static str),
    /// One rule (`date/not-utc`).
    Rule(&'static str),
}

impl Selector {
    /// The selector `name` names, `None` when it names nothing known.
    /// `ALL` is recognized only where `all` is allowed.
    pub fn parse(name: &str, all: bool) -> Option<Self> {
        if all && name == "ALL" {
            return Some(Selector::All);
        }
        if let Some(rule) = find(name) {
            return Some(Selector::Rule(rule.meta().code));
        }
        groups().find(|g| *g == name).map(Selector::Group)
    }

    /// The specificity of a rule's own code, the highest.
    pub const RULE_SPECIFICITY: u8 = 2;

    /// How specific it is: a rule beats its group, which beats `ALL`.
    pub fn specificity(self) -> u8 {
        match self {
            Selector::All => 0,
            Selector::Group(_) => 1,
            Selector::Rule(_) => Self::RULE_SPECIFICITY,
        }
    }

    /// Whether it names the rule `meta`.
    pub fn matches(self, meta: &RuleMeta) -> bool {
        match self {
            Selector::All => true,
            Selector::Group(g) => meta.group() == g,
            Selector::Rule(code) => meta.code == code,
        }
    }

    /// Why `name` is not a selector, with the nearest known name.
    pub fn unknown(name: &str) -> String {
        // A name with a slash is meant as a rule: suggest rules only.
        let (what, nearest) = if name.contains('/') {
            ("rule", suggest(name))
        } else {
            ("rule or group", suggest_selector(name))
        };
        let suggestion = nearest
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_default();
        format!("unknown {what} `{name}`{suggestion}")
    }
}

/// The metadata of every rule, sorted by code.
pub fn metas() -> impl Iterator<Item = &'static RuleMeta> {
    RULES.iter().map(|r| r.meta())
}

/// The generated documentation files under `docs/rules/`: each rule's
/// page at `<code>.md` and an index at `README.md`, as (relative path,
/// content) pairs.
pub fn doc_pages() -> Vec<(String, String)> {
    let mut index = String::from(
        "# Rules\n\n<!-- Generated from the rules' doc comments: `COPYDESK_UPDATE_DOCS=1 cargo test -p copydesk_lint --test it rule_pages` -->\n\n| Code | Default | Fix | Summary |\n|---|---|---|---|\n",
    );
    let mut pages = Vec::new();
    for m in metas() {
        let severity = if m.enabled_by_default {
            m.default_severity.to_string()
        } else {
            "off".to_owned()
        };
        index.push_str(&format!(
            "| [`{0}`]({0}.md) | {1} | {2} | {3} |\n",
            m.code,
            severity,
            m.fix.describe(),
            m.summary().replace('|', "\\|")
        ));
        pages.push((format!("{}.md", m.code), m.page()));
    }
    pages.push(("README.md".to_owned(), index));
    pages
}

/// The known code nearest to a misspelt one.
pub fn suggest(code: &str) -> Option<&'static str> {
    nearest(code, metas().map(|m| m.code))
}

/// The known code or group nearest to a misspelt one.
pub fn suggest_selector(name: &str) -> Option<&'static str> {
    nearest(name, metas().map(|m| m.code).chain(groups()))
}

fn nearest(name: &str, known: impl Iterator<Item = &'static str>) -> Option<&'static str> {
    known
        .map(|c| (strsim::jaro_winkler(name, c), c))
        .filter(|(s, _)| *s > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_sorted_unique_and_well_formed() {
        let codes: Vec<&str> = metas().map(|m| m.code).collect();
        let mut unique = codes.clone();
        unique.dedup();
        assert_eq!(codes, unique, "two rules share a code");
        for (group, rules) in GROUPS {
            for rule in *rules {
                assert_eq!(
                    rule.meta().group(),
                    *group,
                    "{} is listed in group {group}",
                    rule.meta().code
                );
            }
        }
        for code in codes {
            let (group, name) = code.split_once('/').expect("group/name");
            for part in [group, name] {
                assert!(
                    !part.is_empty()
                        && part.split('-').all(|w| !w.is_empty()
                            && w.bytes()
                                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())),
                    "{code} is not kebab-case"
                );
            }
        }
    }

    #[test]
    fn every_rule_is_documented() {
        for meta in metas() {
            let docs = meta.documentation();
            assert!(!meta.summary().is_empty(), "{}: no summary", meta.code);
            for section in ["## Why is this bad?", "## Examples", "## Fix"] {
                assert!(
                    docs.contains(section),
                    "{}: docs lack {section:?}",
                    meta.code
                );
            }
        }
    }
}
