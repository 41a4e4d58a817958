//! `corpus/duplicate-story`.

use crate::Severity;
use std::collections::HashMap;
use std::ops::Range;

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
/// all their words, which only makes the rule stricter). Sorted, and none
/// longer than four bytes (see [`is_stop_word`]).
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "into",
    "is", "it", "its", "of", "on", "or", "over", "that", "the", "this", "to", "was", "were",
    "will", "with",
];

/// Whether `lower` (lowercase) is one of the [`STOP_WORDS`]: a 100k
/// corpus asks for every word of every headline.
fn is_stop_word(lower: &str) -> bool {
    lower.len() <= 4 && STOP_WORDS.binary_search(&lower).is_ok()
}

/// An article that may be a re-import, as one pass of the rule sees it.
struct Candidate<'a> {
    entry: &'a IndexEntry,
    /// What is derived from it once per index.
    d: &'a Derived,
    /// Whether its findings are built in this pass of the index (a pair of
    /// two files outside the window is not compared).
    in_window: bool,
}

/// What the rule derives from an index once (shared by every pass of a
/// run finished in windows): the articles it compares, grouped by source
/// and language and sorted by time within each group.
struct Derivation {
    /// `None` for an article placed but not compared (too few words).
    all: Vec<Option<Derived>>,
    /// Each group's range of `all`.
    groups: Vec<Range<usize>>,
}

/// What the rule derives from an article it compares (at 100k articles,
/// held for each: kept small).
struct Derived {
    /// The entry's position in the index.
    position: u32,
    /// Seconds since the epoch of `publishedAt`.
    time: i64,
}

/// A headline's significant words, hashed, sorted and deduplicated, and
/// those of them that name something: capitalised (`Grayscale`, `US`) or
/// with a digit (`$90k`, `2026`, `Q3`). One allocation: at 100k articles
/// the index holds one of these per headline, in its facts
/// (`Facts::title_words`), taken once per file and cached.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Words {
    /// The anchors, then all the words. Cached as bytes: hashes are
    /// random, and a variable-length integer of one takes ten bytes and a
    /// loop to read back (a warm run reads 100k headlines' worth).
    #[serde(with = "hash_bytes")]
    hashes: Box<[u64]>,
    /// How many of `hashes` are anchors.
    anchors: u32,
}

/// Hashes (de)serialised as their little-endian bytes, one after another.
mod hash_bytes {
    use serde::de::{Error, SeqAccess, Visitor};
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(hashes: &[u64], s: S) -> Result<S::Ok, S::Error> {
        let bytes: Vec<u8> = hashes.iter().flat_map(|h| h.to_le_bytes()).collect();
        s.serialize_bytes(&bytes)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Box<[u64]>, D::Error> {
        d.deserialize_bytes(Hashes)
    }

    struct Hashes;

    impl<'de> Visitor<'de> for Hashes {
        type Value = Box<[u64]>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("eight bytes per hash")
        }

        fn visit_bytes<E: Error>(self, bytes: &[u8]) -> Result<Self::Value, E> {
            if bytes.len() % 8 != 0 {
                return Err(E::invalid_length(bytes.len(), &self));
            }
            let hash = |c: &[u8]| {
                let mut b = [0u8; 8];
                b.copy_from_slice(c);
                u64::from_le_bytes(b)
            };
            Ok(bytes.chunks_exact(8).map(hash).collect())
        }

        // Formats without bytes write them as a sequence of numbers.
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut bytes = Vec::new();
            while let Some(b) = seq.next_element::<u8>()? {
                bytes.push(b);
            }
            self.visit_bytes(&bytes)
        }
    }
}

impl Words {
    /// The words of `title` when there are enough of them to compare.
    pub(crate) fn compared(title: &str) -> Option<Self> {
        let words = Self::of(title);
        (words.words().len() >= MIN_WORDS).then_some(words)
    }

    /// The words of `title`.
    fn of(title: &str) -> Self {
        let mut found = Vec::new();
        if title.is_ascii() {
            ascii_words(title, &mut found);
        } else {
            unicode_words(title, &mut found);
        }
        Self::from_found(found)
    }

    /// The words from (hash, whether this occurrence names something)
    /// pairs: one hash per word, an anchor when any occurrence names.
    fn from_found(mut found: Vec<(u64, bool)>) -> Self {
        found.sort_unstable();
        found.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            kept.1 |= same && later.1;
            same
        });
        let anchors = found.iter().filter(|f| f.1).count();
        let mut hashes = Vec::with_capacity(anchors + found.len());
        hashes.extend(found.iter().filter(|f| f.1).map(|f| f.0));
        hashes.extend(found.iter().map(|f| f.0));
        // A headline of four billion words has no anchors to speak of.
        let n = u32::try_from(anchors).unwrap_or(0);
        if n == 0 {
            hashes.drain(..anchors);
        }
        Words {
            hashes: hashes.into_boxed_slice(),
            anchors: n,
        }
    }

    /// All the significant words.
    fn words(&self) -> &[u64] {
        self.hashes.get(self.anchors as usize..).unwrap_or_default()
    }

    /// The words that name something.
    fn anchors(&self) -> &[u64] {
        self.hashes.get(..self.anchors as usize).unwrap_or_default()
    }
}

/// The significant words of a headline as (hash of the lowercase word,
/// whether it names something) pairs, for any text.
fn unicode_words(title: &str, found: &mut Vec<(u64, bool)>) {
    let mut lower = String::new();
    for w in title.split(|c: char| !c.is_alphanumeric()) {
        if w.is_empty() {
            continue;
        }
        // Most words of a headline with a typographic quote or dash are
        // still ASCII: those go the byte way, which finds the same.
        if w.is_ascii() {
            ascii_word(w.as_bytes(), &mut lower, found);
            continue;
        }
        lower.clear();
        // Char by char, both sigmas as one: `str::to_lowercase` would
        // allocate per word, and differs only in the final sigma.
        for c in w.chars().flat_map(char::to_lowercase) {
            lower.push(if c == 'ς' { 'σ' } else { c });
        }
        // An acronym (`US`, `IT`) is a name, not a function word.
        let acronym = w.chars().nth(1).is_some() && w.chars().all(|c| !c.is_lowercase());
        if !acronym && is_stop_word(&lower) {
            continue;
        }
        let names =
            w.chars().next().is_some_and(char::is_uppercase) || w.chars().any(char::is_numeric);
        found.push((super::hash_of(lower.as_str()), names));
    }
}

/// [`unicode_words`] for an ASCII headline (most of them), a byte at a
/// time: every corpus run derives 100k of them.
fn ascii_words(title: &str, found: &mut Vec<(u64, bool)>) {
    let mut lower = String::new();
    for w in title.as_bytes().split(|b| !b.is_ascii_alphanumeric()) {
        if !w.is_empty() {
            ascii_word(w, &mut lower, found);
        }
    }
}

/// One ASCII word's entry, as [`unicode_words`] makes it (`lower` is
/// scratch space).
fn ascii_word(w: &[u8], lower: &mut String, found: &mut Vec<(u64, bool)>) {
    lower.clear();
    lower.extend(w.iter().map(|b| char::from(b.to_ascii_lowercase())));
    let acronym = w.len() > 1 && !w.iter().any(u8::is_ascii_lowercase);
    if !acronym && is_stop_word(lower) {
        return;
    }
    let names = w.first().is_some_and(u8::is_ascii_uppercase) || w.iter().any(u8::is_ascii_digit);
    found.push((super::hash_of(lower.as_str()), names));
}

/// The headline's significant words as sorted, unique hashes.
#[cfg(test)]
fn words(title: &str) -> Vec<u64> {
    Words::of(title).words().to_vec()
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

/// How far apart (seconds) two articles may be published to be one story
/// imported twice (`corpus.reimport-window-seconds`).
pub(crate) fn reimport_window(settings: &Settings) -> i64 {
    i64::try_from(settings.config.corpus.reimport_window_seconds).unwrap_or(i64::MAX)
}

/// `publishedAt` in seconds since the epoch, when it is a timestamp.
pub(crate) fn published_seconds(e: &IndexEntry) -> Option<i64> {
    e.facts.published_seconds
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
    let window = reimport_window(settings);
    ids_differ
        && fa.source_key.is_some()
        && fa.source_key == fb.source_key
        && match (published_seconds(a), published_seconds(b)) {
            (Some(x), Some(y)) => x.abs_diff(y) <= window.unsigned_abs(),
            _ => false,
        }
}

/// Where an article is among those this rule compares: its group (source
/// and language) and its time; `None` when it is not compared (no source,
/// headline or time). Whether its headline has enough words is
/// [`compared_words`]'s.
fn place(entry: &IndexEntry) -> Option<((&str, &str), i64)> {
    let f = &entry.facts;
    let source = f.source_key.as_deref()?;
    f.title.as_ref()?;
    let time = published_seconds(entry)?;
    let lang = f.lang.as_ref().map_or("", |l| &*l.value);
    Some(((source, lang), time))
}

/// The significant words of `entry`'s headline, when there are enough of
/// them to compare.
fn compared_words(entry: &IndexEntry) -> Option<&Words> {
    entry.facts.title_words.as_ref()
}

/// The group (source, language) and time of an article this rule
/// compares: a live index keeps them to find an article's neighbours
/// (the [`MAX_COMPARED`] before and after it within the window) without
/// grouping the corpus.
pub(crate) fn story_slot(entry: &IndexEntry) -> Option<((&str, &str), i64)> {
    let place = place(entry)?;
    compared_words(entry).map(|_| place)
}

/// An article with a place among those compared, before its headline's
/// words are looked at.
struct Placed {
    position: u32,
    group: u32,
    time: i64,
}

/// A run that reports this few files in so many (one in this many or
/// fewer) looks only at the headlines near them.
const FEW_REPORTED: usize = 256;

/// The articles that can be compared, grouped by source and language and
/// sorted by time within each group, as positions in the index with what
/// the rule compares of each. A run that reports few files (pre-commit's,
/// an editor's) derives only what their pairs can involve.
fn derive(settings: &Settings, index: &CorpusIndex) -> Derivation {
    let placed = placed(index);
    let entry = |p: &Placed| index.entries.get(p.position as usize);
    // Only an article whose headline has enough words is compared.
    let derived = |p: &Placed| {
        let e = entry(p)?;
        compared_words(e)?;
        Some(Derived {
            position: p.position,
            time: p.time,
        })
    };
    let reported = index.entries.iter().filter(|e| e.reported).count();
    if reported.saturating_mul(FEW_REPORTED) >= index.entries.len() {
        // Every article, on all cores, each into its own slot: at the end
        // of a cold run this is the longest stretch on one thread.
        use rayon::prelude::*;
        let mut all = Vec::with_capacity(placed.len());
        placed.par_iter().map(derived).collect_into_vec(&mut all);
        let groups = group_spans(&placed);
        return Derivation { all, groups };
    }
    let mut words_at = |k: usize| {
        placed
            .get(k)
            .and_then(entry)
            .and_then(compared_words)
            .is_some()
    };
    let spans = near_reported(
        settings,
        &placed,
        |p| entry(p).is_some_and(|e| e.reported),
        &mut words_at,
    );
    let mut all = Vec::new();
    let mut groups = Vec::with_capacity(spans.len());
    for span in spans {
        let start = all.len();
        for k in span {
            if let Some(d) = placed.get(k).and_then(derived) {
                all.push(Some(d));
            }
        }
        if all.len() > start {
            groups.push(start..all.len());
        }
    }
    Derivation { all, groups }
}

/// Every article with a place among those compared, sorted by group, time
/// and path.
fn placed(index: &CorpusIndex) -> Vec<Placed> {
    let mut numbers: HashMap<(&str, &str), u32> = HashMap::new();
    let mut placed = Vec::with_capacity(index.entries.len());
    for (position, entry) in index.entries.iter().enumerate() {
        let Some((key, time)) = place(entry) else {
            continue;
        };
        let (Ok(position), Ok(next)) = (u32::try_from(position), u32::try_from(numbers.len()))
        else {
            break;
        };
        let group = *numbers.entry(key).or_insert(next);
        placed.push(Placed {
            position,
            group,
            time,
        });
    }
    let path = |p: &Placed| index.entries.get(p.position as usize).map(|e| &e.path);
    placed.sort_unstable_by(|a, b| {
        a.group
            .cmp(&b.group)
            .then(a.time.cmp(&b.time))
            .then_with(|| path(a).cmp(&path(b)))
            .then(a.position.cmp(&b.position))
    });
    placed
}

/// The ranges of `placed` (sorted) that hold one group each.
fn group_spans(placed: &[Placed]) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    let mut start = 0;
    for (i, pair) in placed.windows(2).enumerate() {
        if pair.first().map(|p| p.group) != pair.get(1).map(|p| p.group) {
            spans.push(start..i + 1);
            start = i + 1;
        }
    }
    if start < placed.len() {
        spans.push(start..placed.len());
    }
    spans
}

/// The ranges of `placed` (sorted) that a reported article's pairs can
/// involve: from each reported article with enough words (`compared(k)`,
/// which also derives them), out to the [`MAX_COMPARED`]th compared
/// article on each side within its group and the re-import window, as
/// [`pairs`] would reach. Overlapping ranges are merged: within a range
/// every article is looked at, so [`pairs`] counts its neighbours as over
/// the whole group; a pair across two ranges is one it would not form.
fn near_reported(
    settings: &Settings,
    placed: &[Placed],
    reported: impl Fn(&Placed) -> bool,
    compared: &mut impl FnMut(usize) -> bool,
) -> Vec<Range<usize>> {
    let window = reimport_window(settings);
    let near = |a: &Placed, b: &Placed| {
        a.group == b.group && a.time.abs_diff(b.time) <= window.unsigned_abs()
    };
    let mut spans: Vec<(u32, Range<usize>)> = Vec::new();
    for (k, p) in placed.iter().enumerate() {
        if !reported(p) || !compared(k) {
            continue;
        }
        let reach = |steps: &mut dyn Iterator<Item = usize>,
                     compared: &mut dyn FnMut(usize) -> bool| {
            let mut last = k;
            let mut seen = 0;
            for j in steps {
                if seen == MAX_COMPARED || !placed.get(j).is_some_and(|q| near(p, q)) {
                    break;
                }
                last = j;
                seen += usize::from(compared(j));
            }
            last
        };
        let lo = reach(&mut (0..k).rev(), compared);
        let hi = reach(&mut (k + 1..placed.len()), compared);
        // Ranges never span two groups: the next group's first article
        // is no neighbour of the last one's.
        match spans.last_mut() {
            Some((group, last)) if *group == p.group && lo <= last.end => {
                last.start = last.start.min(lo);
                last.end = last.end.max(hi + 1);
            }
            _ => spans.push((p.group, lo..hi + 1)),
        }
    }
    spans.into_iter().map(|(_, span)| span).collect()
}

/// The candidates of this pass of `index`, group by group.
fn candidates<'a>(index: &'a CorpusIndex, derived: &'a Derivation) -> Vec<Vec<Candidate<'a>>> {
    derived
        .groups
        .iter()
        .filter_map(|range| derived.all.get(range.clone()))
        .map(|group| {
            group
                .iter()
                .filter_map(|d| {
                    let d = d.as_ref()?;
                    Some(Candidate {
                        entry: index.entries.get(d.position as usize)?,
                        d,
                        in_window: index.window_contains(d.position as usize),
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
    let identical = fa.title_key == fb.title_key
        && match (&fa.title, &fb.title) {
            (Some(x), Some(y)) => {
                super::duplicate_title::normalize(&x.value)
                    == super::duplicate_title::normalize(&y.value)
            }
            _ => false,
        };
    let (Some(wa), Some(wb)) = (&fa.title_words, &fb.title_words) else {
        return false;
    };
    ids_differ
        && !identical
        && (subset(wa.anchors(), wb.anchors()) || subset(wb.anchors(), wa.anchors()))
        && similarity(wa.words(), wb.words()) >= settings.config.corpus.reimport_similarity
}

/// Every pair of alike articles, as (earlier, later) indices into `group`,
/// in order. A large group is compared a chunk of earlier articles at a
/// time, on all cores.
fn pairs(settings: &Settings, group: &[Candidate<'_>]) -> Vec<(usize, usize)> {
    use rayon::prelude::*;
    const CHUNK: usize = 1024;
    let found: Vec<Vec<(usize, usize)>> = (0..group.len().div_ceil(CHUNK))
        .into_par_iter()
        .map(|k| {
            let start = k * CHUNK;
            pairs_from(settings, group, start..group.len().min(start + CHUNK))
        })
        .collect();
    found.concat()
}

/// The pairs of [`pairs`] whose earlier article is one of `earlier`.
fn pairs_from(
    settings: &Settings,
    group: &[Candidate<'_>],
    earlier: Range<usize>,
) -> Vec<(usize, usize)> {
    let window = reimport_window(settings);
    let mut out = Vec::new();
    for (i, a) in group
        .iter()
        .enumerate()
        .skip(earlier.start)
        .take(earlier.len())
    {
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
        let groups = candidates(index, &derived);
        let found: Vec<Vec<(usize, usize)>> = {
            use rayon::prelude::*;
            groups.par_iter().map(|g| pairs(settings, g)).collect()
        };
        for (group, found) in groups.iter().zip(found) {
            let mut matches: HashMap<usize, Vec<usize>> = HashMap::new();
            for (i, j) in found {
                matches.entry(i).or_default().push(j);
                matches.entry(j).or_default().push(i);
            }
            for (i, mut others) in matches {
                let Some(c) = group.get(i) else { continue };
                let Some(severity) = super::level(index, settings, &Self::META, c.entry) else {
                    continue;
                };
                others.sort_by(|a, b| group[*a].entry.path.cmp(&group[*b].entry.path));
                out.push(diagnostic(settings, index, (c, severity), &others, group));
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

    /// A group larger than a chunk is compared a chunk at a time: the pairs
    /// are the ones (and in the order) one pass over it finds, also across
    /// chunk boundaries.
    #[test]
    fn pairs_of_a_large_group_are_the_pairs_of_one_pass() {
        use crate::corpus::{CorpusIndex, IndexEntry};
        let settings = crate::Settings::with_defaults(jiff::Timestamp::UNIX_EPOCH);
        let entries: Vec<IndexEntry> = (0..3000)
            .map(|i| {
                // Every seventh headline is an edit of the one before it,
                // a minute later, and so are the first of the second and
                // third chunks; the others differ.
                let edit = (i % 7 == 1 && i != 1023) || i == 1024 || i == 2048;
                let (title, minute) = if edit {
                    (
                        format!("Grayscale files papers for IPO number {}", i - 1),
                        i,
                    )
                } else {
                    (format!("Grayscale files for IPO number {i}"), i)
                };
                let at = format!(
                    "2026-01-{:02}T{:02}:{:02}:00Z",
                    1 + minute / 1440,
                    minute / 60 % 24,
                    minute % 60
                );
                let text = story(&i.to_string(), &title, &at);
                let path = format!("{i:05}.md");
                let mut e = crate::lint_text(&settings, &path, &path, text)
                    .index
                    .expect("an entry");
                e.reported = true;
                e
            })
            .collect();
        let index = CorpusIndex::new(entries);
        let derived = super::derive(&settings, &index);
        let groups = super::candidates(&index, &derived);
        let group = groups.iter().max_by_key(|g| g.len()).expect("a group");
        assert!(group.len() > 2048, "{}", group.len());
        let one_pass = super::pairs_from(&settings, group, 0..group.len());
        assert!(one_pass.len() > 300, "{}", one_pass.len());
        assert!(one_pass.contains(&(1023, 1024)) && one_pass.contains(&(2047, 2048)));
        assert_eq!(super::pairs(&settings, group), one_pass);
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
        // Both sigmas are one letter, as in `corpus/duplicate-title`.
        assert!(s("ΝΕΟΣ ΝΟΜΟΣ ΨΗΦΙΣΤΗΚΕ", "νεος νομος ψηφιστηκε") >= 0.99);
    }

    #[test]
    fn a_run_reporting_few_files_finds_what_a_whole_run_finds_in_them() {
        // A batch of 150 stories at one second (past MAX_COMPARED), then a
        // story a minute, in two feeds; headlines alike by pairs (the base
        // and one variant: 4 of 5 words), identical (duplicate-title's) or
        // too short to compare.
        let variants = ["today", "again", "now", "anyway", "officially"];
        let texts: Vec<(String, String)> = (0..4000)
            .map(|i: usize| {
                let feed = if i % 7 == 3 { "wire-b" } else { "wire-a" };
                let title = match i % 11 {
                    0 => "Markets up".to_owned(),
                    n if n % 2 == 0 => "Grayscale files for US IPO".to_owned(),
                    n => format!("Grayscale files for US IPO {}", variants[n % 5]),
                };
                let published = if i < 150 {
                    "2026-01-31T18:00:00Z".to_owned()
                } else {
                    let (day, minute) = ((i - 150) / 1440, (i - 150) % 1440);
                    format!(
                        "2026-02-{:02}T{:02}:{:02}:00Z",
                        day + 1,
                        minute / 60,
                        minute % 60
                    )
                };
                let text = story(&format!("id-{i}"), &title, &published)
                    .replace("key: feed", &format!("key: {feed}"));
                (format!("f{i:04}.md"), text)
            })
            .collect();
        // Few enough for the run to look only near them (FEW_REPORTED).
        let picked = [0, 3, 74, 75, 149, 150, 151, 152, 600, 605, 3999];
        assert!(picked.len() * super::FEW_REPORTED < texts.len());
        let whole: Vec<(&str, &str)> = texts
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        let marked: Vec<String> = texts
            .iter()
            .enumerate()
            .map(|(i, (p, _))| {
                if picked.contains(&i) {
                    p.clone()
                } else {
                    format!("~{p}")
                }
            })
            .collect();
        let few: Vec<(&str, &str)> = marked
            .iter()
            .zip(&texts)
            .map(|(p, (_, t))| (p.as_str(), t.as_str()))
            .collect();
        let in_picked =
            |d: &crate::Diagnostic| picked.iter().any(|&i| *d.source.path == texts[i].0);
        let sorted = |mut v: Vec<crate::Diagnostic>| {
            v.sort_by(|a, b| (&*a.source.path, a.span.start).cmp(&(&*b.source.path, b.span.start)));
            v
        };
        let expected = sorted(
            corpus_only(CODE, Config::default(), &whole)
                .into_iter()
                .filter(in_picked)
                .collect(),
        );
        let found = sorted(corpus_only(CODE, Config::default(), &few));
        assert!(expected.len() >= 6, "{} findings", expected.len());
        assert!(expected.iter().any(|d| d.related.len() >= 5));
        assert_eq!(found, expected);
    }

    #[test]
    fn stop_words_are_sorted_and_short() {
        assert!(super::STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(super::STOP_WORDS.iter().all(|w| w.len() <= 4));
        assert!(super::STOP_WORDS.iter().all(|w| super::is_stop_word(w)));
        assert!(!super::is_stop_word("thesis"));
    }

    /// `unicode_words` as first written, character by character for
    /// every word.
    fn words_by_chars(title: &str) -> Vec<(u64, bool)> {
        let mut found = Vec::new();
        for w in title.split(|c: char| !c.is_alphanumeric()) {
            if w.is_empty() {
                continue;
            }
            let lower: String = w
                .chars()
                .flat_map(char::to_lowercase)
                .map(|c| if c == 'ς' { 'σ' } else { c })
                .collect();
            let acronym = w.chars().nth(1).is_some() && w.chars().all(|c| !c.is_lowercase());
            if !acronym && super::is_stop_word(&lower) {
                continue;
            }
            let names =
                w.chars().next().is_some_and(char::is_uppercase) || w.chars().any(char::is_numeric);
            found.push((super::super::hash_of(lower.as_str()), names));
        }
        found
    }

    #[test]
    fn headline_words_come_back_from_the_cache_as_they_went_in() {
        let words = super::Words::of("Grayscale files for US IPO as Q3 2026 nears");
        let cached = postcard::to_allocvec(&words).expect("encoded");
        // Eight bytes a hash, a length and the anchor count: no more.
        assert!(
            cached.len() <= 8 * words.hashes.len() + 4,
            "{}",
            cached.len()
        );
        let back: super::Words = postcard::from_bytes(&cached).expect("decoded");
        assert_eq!(back, words);
        let json = serde_json::to_string(&words).expect("json");
        assert_eq!(
            serde_json::from_str::<super::Words>(&json).expect("json back"),
            words
        );
        let cut = &cached[..cached.len() - 2];
        assert!(postcard::from_bytes::<super::Words>(cut).is_err());
    }

    #[test]
    fn headlines_with_typographic_characters_have_the_words_chars_give() {
        for title in [
            "Grayscale’s ETF — the SEC’s “last word” on it",
            "Ціна біткоїна: SEC and the ETF’s 2026 Q3",
            "ΟΔΥΣΣΕΑΣ and the US’ IT",
            "«Bitcoin» tops $90k… again",
            "Straße, STRASSE, ǅemal and İstanbul",
        ] {
            let mut got = Vec::new();
            super::unicode_words(title, &mut got);
            assert_eq!(got, words_by_chars(title), "{title}");
        }
    }

    #[test]
    fn ascii_headlines_have_the_words_any_headline_has() {
        let titles = [
            "Grayscale files for US IPO",
            "grayscale FILES for us IPO!",
            "Bitcoin tops $90k as the SEC waits; the SEC, again",
            "IT and it: THE It of it",
            "Q3 2026 results: A a AN an, X",
            "  -- ",
            "",
            "Fed's 0.25pt cut—no, a 50bp cut",
            "Word word WORD wOrD 7Eleven eleven7",
        ];
        for title in titles {
            let mut general = Vec::new();
            super::unicode_words(title, &mut general);
            let general = super::Words::from_found(general);
            let fast = super::Words::of(title);
            assert_eq!(fast.hashes, general.hashes, "{title:?}");
            assert_eq!(fast.anchors, general.anchors, "{title:?}");
        }
    }

    #[test]
    fn anchors_are_the_words_that_name_something() {
        let w = super::Words::of("Bitcoin tops $90k as the SEC waits");
        let hashes = |ws: &[&str]| {
            let mut h: Vec<u64> = ws.iter().map(|w| super::super::hash_of(*w)).collect();
            h.sort_unstable();
            h
        };
        assert_eq!(w.anchors(), hashes(&["bitcoin", "90k", "sec"]));
        assert_eq!(
            w.words(),
            hashes(&["bitcoin", "tops", "90k", "sec", "waits"])
        );
    }
}
