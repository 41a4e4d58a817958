//! `corpus/duplicate-story`.

use crate::Severity;
use std::collections::HashMap;

use crate::corpus::{CorpusIndex, IndexEntry};
use crate::declare_rule;
use crate::diagnostic::{escape_controls, Diagnostic, Finding, Related};
use crate::rule::{Rule, RuleMeta};
use crate::settings::Settings;

declare_rule! {
    /// The same story was imported twice: same source, published minutes apart, near-identical headlines, different ids.
    ///
    /// ## Why is this bad?
    ///
    /// Feeds re-publish a story under a new id when its headline is edited
    /// ("Asset manager Grayscale Investments files for US IPO", then
    /// "Asset manager Grayscale files for US IPO"). The importer sees a new
    /// id and a new slug, so the site shows the story twice and later
    /// corrections reach only one copy. `corpus/duplicate-external-id`
    /// cannot see it: the ids differ.
    ///
    /// Two articles are reported when they have the same `source.key` and
    /// `lang`, their `publishedAt` are at most
    /// `corpus.reimport-window-seconds` apart (default 300), their
    /// `externalId`s differ, and their headlines share at least
    /// `corpus.reimport-similarity` (default 0.7) of their words, after
    /// letter case, punctuation and short function words (`the`, `for`, …)
    /// are set aside; acronyms (`US`, `IT`) always count. An edit may drop
    /// or add a name or a number, but headlines where each names something
    /// the other does not (a capitalised word, a number) are never one
    /// story: "Bitcoin tops $90k" and "Bitcoin tops $100k", "CoreWeave
    /// shows how…" and "Lambda shows how…". Two
    /// identical headlines are `corpus/duplicate-title`'s, which says when
    /// they look like one story imported twice. Every file is reported at
    /// its `title`, naming the others.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// title: Asset manager Grayscale Investments files for US IPO
    /// externalId: '1001'
    /// lang: en
    /// publishedAt: '2026-01-31T18:04:41.000Z'
    /// source:
    ///   key: cointelegraph
    /// ---
    /// ```
    ///
    /// ```markdown
    /// ---
    /// title: Asset manager Grayscale files for US IPO
    /// externalId: '1002'
    /// lang: en
    /// publishedAt: '2026-01-31T18:04:41.000Z'
    /// source:
    ///   key: cointelegraph
    /// ---
    /// ```
    ///
    /// Two stories of one feed batch are not one story.
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// title: Asset manager Grayscale files for US IPO
    /// externalId: '1001'
    /// lang: en
    /// publishedAt: '2026-01-31T18:04:41.000Z'
    /// source:
    ///   key: cointelegraph
    /// ---
    /// ```
    ///
    /// ```markdown
    /// ---
    /// title: Bitcoin miners pivot to AI compute as hashprice falls
    /// externalId: '1002'
    /// lang: en
    /// publishedAt: '2026-01-31T18:04:41.000Z'
    /// source:
    ///   key: cointelegraph
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Keep the copy with the final headline and delete the other (or
    /// redirect its address to the kept one). There is no automatic fix:
    /// only an editor can tell which copy is current.
    pub struct DuplicateStory {
        code: "corpus/duplicate-story",
        severity: Warning,
        fix: None,
    }
}

/// At most this many later articles of the same source and language are
/// compared with each article: a feed batch of 10,000 stories sharing one
/// `publishedAt` then costs 10,000 × this, not 10,000².
pub(crate) const MAX_COMPARED: usize = 64;

/// Headlines with fewer significant words than this are too short to call
/// alike.
const MIN_WORDS: usize = 3;

/// Function words that say nothing about which story a headline is
/// (English, the newsroom's main language; other languages' headlines keep
/// all their words, which only makes the rule stricter).
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "into",
    "is", "it", "its", "of", "on", "or", "over", "that", "the", "this", "to", "was", "were",
    "will", "with",
];

/// An article that may be a re-import, as one pass of the rule sees it.
struct Candidate<'a> {
    entry: &'a IndexEntry,
    /// What is derived from it once per index.
    d: &'a Derived,
    /// Whether its findings are built in this pass of the index (a pair of
    /// two files outside the window is not compared).
    in_window: bool,
}

/// What the rule derives from an article it compares, once per index
/// (shared by every pass of a run finished in windows).
struct Derived {
    /// The entry's position in the index.
    position: usize,
    /// Seconds since the epoch of `publishedAt`.
    time: i64,
    /// The headline's significant words, hashed, sorted and deduplicated.
    words: Vec<u64>,
    /// Those of them that name something: capitalised (`Grayscale`,
    /// `US`) or with a digit (`$90k`, `2026`, `Q3`).
    anchors: Vec<u64>,
    /// The headline as `corpus/duplicate-title` compares it, hashed.
    title_hash: Option<u64>,
}

/// The headline's words that name something (capitalised, or with a
/// digit), as sorted, unique hashes.
fn anchors(title: &str) -> Vec<u64> {
    let mut out: Vec<u64> = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| {
            w.chars().next().is_some_and(char::is_uppercase) || w.chars().any(char::is_numeric)
        })
        .filter(|w| {
            !STOP_WORDS.contains(&w.to_lowercase().as_str())
                || w.chars().count() > 1 && w.chars().all(|c| !c.is_lowercase())
        })
        .map(|w| super::hash_of(&w.to_lowercase()))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The headline's significant words as sorted, unique hashes.
fn words(title: &str) -> Vec<u64> {
    let mut out: Vec<u64> = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .filter(|w| {
            // An acronym (`US`, `IT`) is a name, not a function word.
            let acronym = w.chars().count() > 1 && w.chars().all(|c| !c.is_lowercase());
            acronym || !STOP_WORDS.contains(&w.to_lowercase().as_str())
        })
        .map(|w| super::hash_of(&w.to_lowercase()))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Whether every item of sorted `a` is in sorted `b`.
fn subset(a: &[u64], b: &[u64]) -> bool {
    a.iter().all(|x| b.binary_search(x).is_ok())
}

/// The share of words two headlines have in common (Jaccard index).
fn similarity(a: &[u64], b: &[u64]) -> f64 {
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        match x.cmp(y) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - common;
    if union == 0 {
        0.0
    } else {
        common as f64 / union as f64
    }
}

/// `publishedAt` in seconds since the epoch, when it is a timestamp.
pub(crate) fn published_seconds(settings: &Settings, e: &IndexEntry) -> Option<i64> {
    let value = &e.facts.published_at.as_ref()?.value;
    crate::rules::date::value::instant(settings, value).map(|t| t.as_second())
}

/// Whether two articles come from the same source with different ids and
/// were published within the re-import window: what makes alike headlines
/// one story imported twice.
pub(crate) fn same_source_and_time(settings: &Settings, a: &IndexEntry, b: &IndexEntry) -> bool {
    let (fa, fb) = (&a.facts, &b.facts);
    let ids_differ = match (&fa.external_id, &fb.external_id) {
        (Some(x), Some(y)) => x.value != y.value,
        _ => true,
    };
    let window = i64::try_from(settings.config.corpus.reimport_window_seconds).unwrap_or(i64::MAX);
    ids_differ
        && fa.source_key.is_some()
        && fa.source_key == fb.source_key
        && match (
            published_seconds(settings, a),
            published_seconds(settings, b),
        ) {
            (Some(x), Some(y)) => x.abs_diff(y) <= window.unsigned_abs(),
            _ => false,
        }
}

/// Where an article is among those this rule compares: its group (source
/// and language), its time and its headline's significant words; `None`
/// when it is not compared (no source, headline or time, or too few words).
fn slot<'a>(
    settings: &Settings,
    entry: &'a IndexEntry,
) -> Option<((&'a str, &'a str), i64, Vec<u64>)> {
    let f = &entry.facts;
    let (Some(source), Some(title)) = (f.source_key.as_deref(), f.title.as_ref()) else {
        return None;
    };
    let time = published_seconds(settings, entry)?;
    let words = words(&title.value);
    if words.len() < MIN_WORDS {
        return None;
    }
    let lang = f.lang.as_ref().map_or("", |l| &*l.value);
    Some(((source, lang), time, words))
}

/// The group (source, language) and time of an article this rule
/// compares: a live index keeps them to find an article's neighbours
/// (the [`MAX_COMPARED`] before and after it within the window) without
/// grouping the corpus.
pub(crate) fn story_slot<'a>(
    settings: &Settings,
    entry: &'a IndexEntry,
) -> Option<((&'a str, &'a str), i64)> {
    slot(settings, entry).map(|(group, time, _)| (group, time))
}

/// The articles that can be compared, grouped by source and language and
/// sorted by time within each group, as positions in the index with what
/// the rule compares of each.
fn derive(settings: &Settings, index: &CorpusIndex) -> Vec<Vec<Derived>> {
    let mut groups: HashMap<(&str, &str), Vec<Derived>> = HashMap::new();
    for (position, entry) in index.entries.iter().enumerate() {
        let Some((group, time, words)) = slot(settings, entry) else {
            continue;
        };
        let title = entry.facts.title.as_ref().map_or("", |t| &*t.value);
        groups.entry(group).or_default().push(Derived {
            position,
            time,
            words,
            anchors: anchors(title),
            title_hash: super::duplicate_title::hash_normalized(title),
        });
    }
    let path = |d: &Derived| index.entries.get(d.position).map(|e| &e.path);
    let mut out: Vec<Vec<Derived>> = groups.into_values().collect();
    for group in &mut out {
        group.sort_by(|a, b| a.time.cmp(&b.time).then(path(a).cmp(&path(b))));
    }
    out
}

/// The candidates of this pass of `index`, group by group.
fn candidates<'a>(index: &'a CorpusIndex, derived: &'a [Vec<Derived>]) -> Vec<Vec<Candidate<'a>>> {
    derived
        .iter()
        .map(|group| {
            group
                .iter()
                .filter_map(|d| {
                    Some(Candidate {
                        entry: index.entries.get(d.position)?,
                        d,
                        in_window: index.window_contains(d.position),
                    })
                })
                .collect()
        })
        .collect()
}

/// Whether two candidates are one story: different ids, different (but
/// alike) headlines.
fn alike(settings: &Settings, a: &Candidate<'_>, b: &Candidate<'_>) -> bool {
    let (fa, fb) = (&a.entry.facts, &b.entry.facts);
    let ids_differ = match (&fa.external_id, &fb.external_id) {
        (Some(x), Some(y)) => x.value != y.value,
        _ => true,
    };
    // Identical headlines are corpus/duplicate-title's. Compared for real
    // only when the hashes agree, so most pairs allocate nothing.
    let identical = a.d.title_hash == b.d.title_hash
        && match (&fa.title, &fb.title) {
            (Some(x), Some(y)) => {
                super::duplicate_title::normalize(&x.value)
                    == super::duplicate_title::normalize(&y.value)
            }
            _ => false,
        };
    ids_differ
        && !identical
        && (subset(&a.d.anchors, &b.d.anchors) || subset(&b.d.anchors, &a.d.anchors))
        && similarity(&a.d.words, &b.d.words) >= settings.config.corpus.reimport_similarity
}

/// Every pair of alike articles, as (earlier, later) indices into `group`.
fn pairs(settings: &Settings, group: &[Candidate<'_>]) -> Vec<(usize, usize)> {
    let window = i64::try_from(settings.config.corpus.reimport_window_seconds).unwrap_or(i64::MAX);
    let mut out = Vec::new();
    for (i, a) in group.iter().enumerate() {
        for (j, b) in group.iter().enumerate().skip(i + 1).take(MAX_COMPARED) {
            if b.d.time.saturating_sub(a.d.time) > window {
                break;
            }
            if (a.in_window || b.in_window) && alike(settings, a, b) {
                out.push((i, j));
            }
        }
    }
    out
}

impl Rule for DuplicateStory {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn keys(&self) -> &'static [&'static str] {
        &["source.key"]
    }

    fn fields(&self) -> &'static [crate::rule::Field] {
        &[crate::rule::Field::Title, crate::rule::Field::Published]
    }

    fn check_corpus(&self, index: &CorpusIndex, settings: &Settings, out: &mut Vec<Diagnostic>) {
        // Derived once, also when a large run is finished in windows.
        let derived = index.memo(Self::META.code, || derive(settings, index));
        for group in candidates(index, &derived) {
            let mut matches: HashMap<usize, Vec<usize>> = HashMap::new();
            for (i, j) in pairs(settings, &group) {
                matches.entry(i).or_default().push(j);
                matches.entry(j).or_default().push(i);
            }
            for (i, mut others) in matches {
                let Some(c) = group.get(i) else { continue };
                let Some(severity) = super::level(index, settings, &Self::META, c.entry) else {
                    continue;
                };
                others.sort_by(|a, b| group[*a].entry.path.cmp(&group[*b].entry.path));
                out.push(diagnostic(settings, index, (c, severity), &others, &group));
            }
        }
    }
}

/// The finding in `c`'s file, naming the `others` (indices into `group`).
fn diagnostic(
    settings: &Settings,
    index: &CorpusIndex,
    (c, severity): (&Candidate<'_>, Severity),
    others: &[usize],
    group: &[Candidate<'_>],
) -> Diagnostic {
    let named: Vec<&Candidate<'_>> = others
        .iter()
        .filter_map(|&o| group.get(o))
        .take(super::MAX_NAMED)
        .collect();
    let listed = super::named_list(
        named.iter().map(|o| {
            let line = o.entry.facts.title.as_ref().map_or(1, |t| t.line);
            format!("{}:{line}", o.entry.path)
        }),
        others.len(),
    );
    let source = c.entry.facts.source_key.as_deref().unwrap_or_default();
    let message = format!(
        "probably the same story imported twice: {listed} has a near-identical headline, the same source `{}` and a `{}` minutes apart, under another `{}`",
        escape_controls(source),
        settings.field_name(crate::rule::Field::Published),
        settings.field_name(crate::rule::Field::Id)
    );
    let file = index.source(c.entry);
    let span = c.entry.facts.title.as_ref().map_or(0..0, |t| t.span());
    let finding = Finding::new(span, message).help(
        "keep the copy with the final headline and delete the other, or redirect its address to the kept one",
    );
    let mut d = Diagnostic::from_finding(DuplicateStory::META.code, severity, &file, finding);
    d.related = named
        .iter()
        .filter_map(|o| {
            let title = o.entry.facts.title.as_ref()?;
            let minutes = (o.d.time - c.d.time).unsigned_abs() / 60;
            Some(Related {
                source: index.source(o.entry),
                span: title.span(),
                message: escape_controls(&format!(
                    "the same story in {}, published {}",
                    o.entry.path,
                    match minutes {
                        0 => "within the same minute".to_owned(),
                        1 => "1 minute apart".to_owned(),
                        m => format!("{m} minutes apart"),
                    }
                ))
                .into_owned(),
            })
        })
        .collect();
    d
}

#[cfg(test)]
mod tests {
    use super::super::tests::corpus_only;
    use crate::config::Config;

    const CODE: &str = "corpus/duplicate-story";

    fn story(id: &str, title: &str, published: &str) -> String {
        format!(
            "---\ntitle: {title}\nexternalId: '{id}'\nlang: en\npublishedAt: '{published}'\nsource:\n  key: feed\n---\nText.\n"
        )
    }

    #[test]
    fn an_edited_headline_under_a_new_id_is_found_in_both_files() {
        let a = story(
            "1",
            "Asset manager Grayscale Investments files for US IPO",
            "2026-01-31T18:04:41.000Z",
        );
        let b = story(
            "2",
            "Asset manager Grayscale files for US IPO",
            "2026-01-31T18:06:00.000Z",
        );
        let found = corpus_only(CODE, Config::default(), &[("a.md", &a), ("b.md", &b)]);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!(found[0].source.path, "a.md");
        assert!(found[0].message.contains("b.md:2"), "{}", found[0].message);
        assert_eq!(
            &a[found[0].span.clone()],
            "Asset manager Grayscale Investments files for US IPO"
        );
        assert_eq!(found[1].related[0].source.path, "a.md");
        assert!(found[1].related[0].message.ends_with("1 minute apart"));
    }

    #[test]
    fn other_stories_times_sources_and_numbers_are_not_one_story() {
        let base = story(
            "1",
            "Bitcoin tops $90k as ETF inflows return",
            "2026-01-31T18:00:00Z",
        );
        let cases = [
            // Another number: another story.
            story(
                "2",
                "Bitcoin tops $100k as ETF inflows return",
                "2026-01-31T18:00:00Z",
            ),
            // Hours apart.
            story(
                "2",
                "Bitcoin tops $90k as ETF inflows return again",
                "2026-01-31T23:00:00Z",
            ),
            // Another company, same template.
            story(
                "2",
                "Ethereum tops $90k as ETF inflows return",
                "2026-01-31T18:00:00Z",
            ),
            // Another story of the same batch.
            story(
                "2",
                "Ethereum developers schedule the next upgrade",
                "2026-01-31T18:00:00Z",
            ),
            // The same id is corpus/duplicate-external-id's.
            story(
                "1",
                "Bitcoin tops $90k as ETF inflows return again",
                "2026-01-31T18:00:00Z",
            ),
            // The same headline is corpus/duplicate-title's.
            story(
                "2",
                "Bitcoin tops $90k as ETF inflows return",
                "2026-01-31T18:00:00Z",
            ),
        ];
        for other in &cases {
            let found = corpus_only(CODE, Config::default(), &[("a.md", &base), ("b.md", other)]);
            assert!(found.is_empty(), "{other}\n{found:#?}");
        }
        // Another source.
        let other = story(
            "2",
            "Bitcoin tops $90k as ETF inflows return again",
            "2026-01-31T18:00:00Z",
        )
        .replace("key: feed", "key: other");
        assert!(corpus_only(
            CODE,
            Config::default(),
            &[("a.md", &base), ("b.md", &other)]
        )
        .is_empty());
    }

    #[test]
    fn a_large_batch_at_one_time_stays_linear() {
        // 3,000 different stories published at the same second.
        let texts: Vec<(String, String)> = (0..3000)
            .map(|i| {
                (
                    format!("f{i:04}.md"),
                    story(
                        &i.to_string(),
                        &format!("Story number {i} of the batch"),
                        "2026-01-31T18:00:00Z",
                    ),
                )
            })
            .collect();
        let files: Vec<(&str, &str)> = texts
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        // "story number N of the batch": {story, number, N, batch} share 3 of 5.
        assert!(corpus_only(CODE, Config::default(), &files).is_empty());
    }

    #[test]
    fn similarity_sets_aside_case_punctuation_and_function_words() {
        let s = |a: &str, b: &str| super::similarity(&super::words(a), &super::words(b));
        assert!(s("Grayscale files for US IPO", "grayscale FILES for us IPO!") >= 0.99);
        assert!(s("The SEC sues Binance", "SEC sues Binance") >= 0.99);
        // `US` is an acronym, not the word "us".
        assert_eq!(super::words("Fed and US").len(), 2);
    }
}
