//! Property tests of the fix engine (`copydesk_lint::fix`), on generated
//! articles with seeded defects:
//! - the fixed text is exactly the article with each defect replaced by its
//!   fix, so no byte outside a fix's edit changes (comments, quoting, CRLF,
//!   a BOM, the body included);
//! - fixing twice equals fixing once;
//! - the fixed text re-lints without the fixed findings and with no new ones.
//!
//! And of `apply_once` on random text and edits: the result is always a
//! clean application of a set of non-overlapping fixes, never a mixture.

use std::collections::BTreeMap;
use std::sync::Arc;

use copydesk_lint::config::Config;
use copydesk_lint::fix::{apply_once, fix_text, FixMode};
use copydesk_lint::{
    Applicability, Diagnostic, Edit, Finding, Fix, Settings, Severity, SourceFile,
};
use jiff::tz::{Offset, TimeZone};
use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;

fn settings() -> Settings {
    let now = crate::support::NOW.parse().expect("timestamp");
    Settings::new(Config::default(), now).expect("default settings")
}

/// A piece of a generated article: text that no fix may touch, or a defect
/// with what the safe and the unsafe fixes must turn it into.
#[derive(Debug, Clone)]
enum Piece {
    Fixed(String),
    Defect {
        text: String,
        safe: String,
        unsafe_: String,
    },
}

impl Piece {
    fn fixed(s: impl Into<String>) -> Piece {
        Piece::Fixed(s.into())
    }

    fn safe(text: impl Into<String>, fixed: impl Into<String>) -> Piece {
        let fixed = fixed.into();
        Piece::Defect {
            text: text.into(),
            safe: fixed.clone(),
            unsafe_: fixed,
        }
    }

    fn unsafe_(text: impl Into<String>, fixed: impl Into<String>) -> Piece {
        let text = text.into();
        Piece::Defect {
            safe: text.clone(),
            text,
            unsafe_: fixed.into(),
        }
    }
}

/// A generated article: its pieces, and the codes its defects must produce.
#[derive(Debug, Clone)]
struct Article {
    pieces: Vec<Piece>,
}

impl Article {
    fn render(&self, pick: impl Fn(&Piece) -> Option<&str>) -> String {
        self.pieces
            .iter()
            .map(|p| match p {
                Piece::Fixed(s) => s.as_str(),
                d => pick(d).unwrap_or_default(),
            })
            .collect()
    }

    fn text(&self) -> String {
        self.render(|p| match p {
            Piece::Defect { text, .. } => Some(text),
            Piece::Fixed(_) => None,
        })
    }

    fn expected(&self, mode: FixMode) -> String {
        self.render(|p| match (p, mode) {
            (Piece::Defect { safe, .. }, FixMode::Safe) => Some(safe),
            (Piece::Defect { unsafe_, .. }, FixMode::Unsafe) => Some(unsafe_),
            (Piece::Fixed(_), _) => None,
        })
    }
}

/// How a timestamp is written.
#[derive(Debug, Clone)]
struct TsStyle {
    /// `None`: the contract's form. Otherwise a defect: an offset in
    /// minutes, "no seconds" (`i32::MIN`), or a lowercase `z` (`i32::MAX`).
    defect: Option<i32>,
    quote: &'static str,
    trailing_comment: bool,
}

fn ts_style() -> impl Strategy<Value = TsStyle> {
    let defect = prop_oneof![
        2 => Just(None),
        3 => (-48i32..=56).prop_map(|q| Some(q * 15)),
        1 => Just(Some(i32::MIN)),
        1 => Just(Some(i32::MAX)),
    ];
    (
        defect,
        prop::sample::select(vec!["'", "\"", ""]),
        any::<bool>(),
    )
        .prop_map(|(defect, quote, trailing_comment)| TsStyle {
            defect,
            quote,
            trailing_comment,
        })
}

/// `ts` written in the contract's form, with `digits` fraction digits.
fn utc(ts: Timestamp, digits: usize) -> String {
    written(ts, 0, digits, true)
}

fn written(ts: Timestamp, offset_minutes: i32, digits: usize, seconds: bool) -> String {
    let offset = Offset::from_seconds(offset_minutes * 60).expect("offset");
    let dt = ts.to_zoned(TimeZone::fixed(offset)).datetime();
    let mut s = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute()
    );
    if seconds {
        s.push_str(&format!(":{:02}", dt.second()));
        if digits > 0 {
            let nanos = format!("{:09}", dt.subsec_nanosecond());
            s.push('.');
            s.push_str(&nanos[..digits]);
        }
    }
    s
}

/// A `key: timestamp` line's value (and trailing comment), as pieces.
fn timestamp(pieces: &mut Vec<Piece>, ts: Timestamp, style: &TsStyle) {
    let has_ms = ts.subsec_nanosecond() != 0;
    let digits = if has_ms { 3 } else { 0 };
    let q = style.quote;
    let canonical = format!("{q}{}Z{q}", utc(ts, digits));
    let whole_minute = ts.as_second() % 60 == 0 && !has_ms;
    let text = match style.defect {
        None => None,
        Some(i32::MIN) if whole_minute => Some(format!("{q}{}Z{q}", written(ts, 0, 0, false))),
        Some(i32::MAX) | Some(i32::MIN) => Some(format!("{q}{}z{q}", utc(ts, digits))),
        Some(minutes) => {
            let sign = if minutes < 0 { '-' } else { '+' };
            let a = minutes.abs();
            Some(format!(
                "{q}{}{sign}{:02}:{:02}{q}",
                written(ts, minutes, digits, true),
                a / 60,
                a % 60
            ))
        }
    };
    match text {
        Some(text) => pieces.push(Piece::safe(text, canonical)),
        None => pieces.push(Piece::fixed(canonical)),
    }
    if style.trailing_comment {
        pieces.push(Piece::fixed(" # as sent by the feed"));
    }
}

/// A boolean: `true`/`false`, or a YAML 1.1 spelling (an unsafe fix).
fn boolean(pieces: &mut Vec<Piece>, value: bool, spelling: Option<&str>) {
    match spelling {
        Some(s) => pieces.push(Piece::unsafe_(s, value.to_string())),
        None => pieces.push(Piece::fixed(value.to_string())),
    }
}

const YAML11: [(&str, bool); 12] = [
    ("yes", true),
    ("Yes", true),
    ("YES", true),
    ("on", true),
    ("On", true),
    ("y", true),
    ("no", false),
    ("No", false),
    ("NO", false),
    ("off", false),
    ("OFF", false),
    ("n", false),
];

const TAGS: [&str; 4] = ["MINING", "AI", "MARKETS", "POLICY"];

/// Near misses of optional keys and the key each must be renamed to.
const MISSPELT: [(&str, &str); 8] = [
    ("stickyweight", "stickyWeight"),
    ("StickyWeight", "stickyWeight"),
    ("stickyWieght", "stickyWeight"),
    ("Sentiment", "sentiment"),
    ("sentimnet", "sentiment"),
    ("SCORE", "score"),
    ("scroe", "score"),
    ("Score", "score"),
];

/// Everything the generator varies.
#[derive(Debug, Clone)]
struct Params {
    crlf: bool,
    bom: bool,
    published_offset_secs: i64,
    published_ms: Option<u16>,
    update_delay_secs: i64,
    published: TsStyle,
    updated: TsStyle,
    expanded: TsStyle,
    id: String,
    id_quote: Option<&'static str>,
    id_comment: bool,
    tags: Vec<(usize, bool)>,
    sticky: Option<usize>,
    sentiment: Option<usize>,
    score: Option<usize>,
    draft: (bool, Option<usize>),
    rewritten: (bool, Option<usize>),
    comment_lines: Vec<bool>,
    yaml_in_body: bool,
}

fn params() -> impl Strategy<Value = Params> {
    let misspelt = |range: std::ops::Range<usize>| prop::option::weighted(0.3, range);
    let yaml11 = prop::option::weighted(0.4, 0..YAML11.len());
    (
        (
            any::<bool>(),
            any::<bool>(),
            0i64..86_400,
            prop::option::of(1u16..1000),
        ),
        (0i64..86_400, ts_style(), ts_style(), ts_style()),
        (
            "[1-9][0-9]{0,11}",
            prop::option::weighted(0.6, prop::sample::select(vec!["'", "\""])),
            any::<bool>(),
        ),
        (
            prop::collection::vec((0..TAGS.len(), prop::bool::weighted(0.2)), 1..7),
            misspelt(0..3),
            misspelt(3..5),
            misspelt(5..8),
        ),
        (
            (any::<bool>(), yaml11.clone()),
            (any::<bool>(), yaml11),
            prop::collection::vec(prop::bool::weighted(0.2), 20),
            any::<bool>(),
        ),
    )
        .prop_map(
            |(
                (crlf, bom, published_offset_secs, published_ms),
                (update_delay_secs, published, updated, expanded),
                (id, id_quote, id_comment),
                (tags, sticky, sentiment, score),
                (draft, rewritten, comment_lines, yaml_in_body),
            )| Params {
                crlf,
                bom,
                published_offset_secs,
                published_ms,
                update_delay_secs,
                published,
                updated,
                expanded,
                id,
                id_quote,
                id_comment,
                tags,
                sticky,
                sentiment,
                score,
                draft,
                rewritten,
                comment_lines,
                yaml_in_body,
            },
        )
}

const COVER: &str = "coverImage:
  raw: 'https://images.unsplash.com/photo-1647485938389-91df46750f1b?ixid=M3w4MjQzNjB8MHwxfHJhbmRvbXx8fHx8fHx8fDE3Njk4ODQwMjF8&ixlib=rb-4.1.0'
  full: 'https://images.unsplash.com/photo-1647485938389-91df46750f1b?crop=entropy&cs=srgb&fm=jpg&ixid=M3w4MjQzNjB8MHwxfHJhbmRvbXx8fHx8fHx8fDE3Njk4ODQwMjF8&ixlib=rb-4.1.0&q=85'
  regular: 'https://images.unsplash.com/photo-1647485938389-91df46750f1b?crop=entropy&cs=tinysrgb&fit=max&fm=jpg&ixid=M3w4MjQzNjB8MHwxfHJhbmRvbXx8fHx8fHx8fDE3Njk4ODQwMjF8&ixlib=rb-4.1.0&q=80&w=1080'
  small: 'https://images.unsplash.com/photo-1647485938389-91df46750f1b?crop=entropy&cs=tinysrgb&fit=max&fm=jpg&ixid=M3w4MjQzNjB8MHwxfHJhbmRvbXx8fHx8fHx8fDE3Njk4ODQwMjF8&ixlib=rb-4.1.0&q=80&w=400'
  thumb: 'https://images.unsplash.com/photo-1647485938389-91df46750f1b?crop=entropy&cs=tinysrgb&fit=max&fm=jpg&ixid=M3w4MjQzNjB8MHwxfHJhbmRvbXx8fHx8fHx8fDE3Njk4ODQwMjF8&ixlib=rb-4.1.0&q=80&w=200'
  small_s3: 'https://s3.us-west-2.amazonaws.com/images.unsplash.com/small/photo-1647485938389-91df46750f1b'
";

const BODY: &str = "## Overview

Former cryptocurrency miners now rent their data centres to AI labs.

## What it means

- Mining hardware is repurposed.
- Power contracts move to compute.
";

fn article(p: &Params) -> Article {
    let mut pieces: Vec<Piece> = Vec::new();
    let mut comments = p.comment_lines.iter().copied().cycle();
    let mut comment_line = |pieces: &mut Vec<Piece>| {
        if comments.next().unwrap_or(false) {
            pieces.push(Piece::fixed("# copy desk: checked by hand\n"));
        }
    };
    if p.bom {
        pieces.push(Piece::fixed("\u{feff}"));
    }
    pieces.push(Piece::fixed("---\n"));
    comment_line(&mut pieces);
    pieces.push(Piece::fixed(
        "title: \"Miners turn to AI: a \\\"quiet\\\" shift\"\ndescription: Former miners rent out their data centres.\n",
    ));

    let base: Timestamp = "2026-01-02T00:00:00Z".parse().expect("timestamp");
    let mut published = base + SignedDuration::from_secs(p.published_offset_secs);
    if let Some(ms) = p.published_ms {
        published += SignedDuration::from_millis(i64::from(ms));
    }
    let updated = published + SignedDuration::from_secs(p.update_delay_secs);
    comment_line(&mut pieces);
    pieces.push(Piece::fixed("publishedAt: "));
    timestamp(&mut pieces, published, &p.published);
    pieces.push(Piece::fixed("\n"));
    comment_line(&mut pieces);
    pieces.push(Piece::fixed("updatedAt: "));
    timestamp(&mut pieces, updated, &p.updated);
    pieces.push(Piece::fixed("\nlang: en\n"));

    comment_line(&mut pieces);
    pieces.push(Piece::fixed("externalId: "));
    match p.id_quote {
        Some(q) => pieces.push(Piece::fixed(format!("{q}{}{q}", p.id))),
        None => pieces.push(Piece::safe(p.id.clone(), format!("'{}'", p.id))),
    }
    if p.id_comment {
        pieces.push(Piece::fixed(" # the feed's id"));
    }
    pieces.push(Piece::fixed(
        "\nsource:\n  name: Cointelegraph\n  key: cointelegraph\n  type: RSS\ncategory: MINING\n",
    ));

    comment_line(&mut pieces);
    pieces.push(Piece::fixed("tags:\n"));
    let mut seen = Vec::new();
    for &(tag, comment) in &p.tags {
        let line = format!(
            "  - {}{}\n",
            TAGS[tag],
            if comment { " # again" } else { "" }
        );
        // A repeat on a line of its own is removed; one with a comment
        // after it is reported without a fix.
        if seen.contains(&tag) && !comment {
            pieces.push(Piece::safe(line, ""));
        } else {
            pieces.push(Piece::fixed(line));
        }
        seen.push(tag);
    }

    for (choice, key, value) in [
        (p.sticky, "stickyWeight", "0"),
        (p.sentiment, "sentiment", "POSITIVE"),
        (p.score, "score", "0.5"),
    ] {
        comment_line(&mut pieces);
        match choice {
            Some(i) => {
                let (wrong, right) = MISSPELT[i];
                assert_eq!(right, key);
                pieces.push(Piece::unsafe_(wrong, right));
            }
            None => pieces.push(Piece::fixed(key)),
        }
        pieces.push(Piece::fixed(format!(": {value}\n")));
    }

    comment_line(&mut pieces);
    pieces.push(Piece::fixed("draft: "));
    let spelling = |choice: Option<usize>, value: bool| {
        // The spelling means what the generated value says.
        choice.map(|i| {
            let same: Vec<&str> = YAML11
                .iter()
                .filter(|(_, v)| *v == value)
                .map(|(s, _)| *s)
                .collect();
            same[i % same.len()]
        })
    };
    boolean(&mut pieces, p.draft.0, spelling(p.draft.1, p.draft.0));
    pieces.push(Piece::fixed("\n"));
    comment_line(&mut pieces);
    pieces.push(Piece::fixed(COVER));
    pieces.push(Piece::fixed("ai:\n  rewritten: "));
    boolean(
        &mut pieces,
        p.rewritten.0,
        spelling(p.rewritten.1, p.rewritten.0),
    );
    pieces.push(Piece::fixed("\n  expandedAt: "));
    timestamp(&mut pieces, updated, &p.expanded);
    pieces.push(Piece::fixed("\n  version: 1\n---\n"));
    if p.yaml_in_body {
        pieces.push(Piece::fixed("```yaml\ndraft: no\nexternalId: 1\n```\n\n"));
    }
    pieces.push(Piece::fixed(BODY));

    if p.crlf {
        for piece in &mut pieces {
            let crlf = |s: &mut String| *s = s.replace('\n', "\r\n");
            match piece {
                Piece::Fixed(s) => crlf(s),
                Piece::Defect {
                    text,
                    safe,
                    unsafe_,
                } => {
                    crlf(text);
                    crlf(safe);
                    crlf(unsafe_);
                }
            }
        }
    }
    Article { pieces }
}

fn allowed(d: &Diagnostic, mode: FixMode) -> bool {
    d.fix.as_ref().is_some_and(|f| match mode {
        FixMode::Safe => f.applicability == Applicability::Safe,
        FixMode::Unsafe => true,
    })
}

fn counts<'a>(ds: impl Iterator<Item = &'a Diagnostic>) -> BTreeMap<&'static str, usize> {
    let mut out = BTreeMap::new();
    for d in ds {
        *out.entry(d.code).or_default() += 1;
    }
    out
}

/// The codes a generated article can produce: a finding of any other
/// code means the generator made something it did not mean to.
const SEEDED: [&str; 5] = [
    "date/not-utc",
    "schema/duplicate-item",
    "schema/number-not-string",
    "schema/unknown-key",
    "schema/yaml11-boolean",
];

/// Where two texts first differ, for readable failures.
fn first_difference(a: &str, b: &str) -> String {
    let at = a
        .bytes()
        .zip(b.bytes())
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    let start = at.saturating_sub(40);
    let window = |s: &str| {
        let s = s.get(start..).unwrap_or("");
        s.chars().take(80).collect::<String>()
    };
    format!(
        "byte {at}:\n  actual:   {:?}\n  expected: {:?}",
        window(a),
        window(b)
    )
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn fixes_are_exact_idempotent_and_leave_no_fixable_finding(p in params()) {
        let settings = settings();
        let article = article(&p);
        let text = article.text();
        let before = copydesk_lint::lint_text(&settings, "a.md", "a.md", text.clone());
        prop_assert!(before.parsed, "the generated article parses");
        for d in &before.diagnostics {
            prop_assert!(SEEDED.contains(&d.code), "unexpected finding {} {}", d.code, d.message);
        }

        for mode in [FixMode::Safe, FixMode::Unsafe] {
            let out = fix_text(&settings, "a.md", "a.md", text.clone(), mode);
            let expected = article.expected(mode);
            // Exactly the defects changed, each into its fix: every other
            // byte is where it was.
            prop_assert!(
                out.text == expected,
                "{mode:?}: {}",
                first_difference(&out.text, &expected)
            );

            // Fixing again changes nothing.
            let again = fix_text(&settings, "a.md", "a.md", out.text.clone(), mode);
            prop_assert_eq!(&again.text, &out.text, "{:?}: not idempotent", mode);
            prop_assert_eq!(again.applied, 0);

            // The report is the fixed text's, it has no finding left that
            // this mode would fix, and nothing new: per code, exactly the
            // fixed findings are gone.
            let after = copydesk_lint::lint_text(&settings, "a.md", "a.md", out.text.clone());
            prop_assert_eq!(counts(after.diagnostics.iter()), counts(out.report.diagnostics.iter()));
            prop_assert!(
                after.diagnostics.iter().all(|d| !allowed(d, mode)),
                "{:?}: a fixable finding is left", mode
            );
            let fixable = before.diagnostics.iter().filter(|d| allowed(d, mode)).count();
            prop_assert_eq!(out.applied, fixable, "{:?}: every fixable finding was fixed", mode);
            let mut expected_counts = counts(before.diagnostics.iter());
            for (code, n) in counts(before.diagnostics.iter().filter(|d| allowed(d, mode))) {
                let left = expected_counts.entry(code).or_default();
                *left -= n;
                if *left == 0 {
                    expected_counts.remove(code);
                }
            }
            prop_assert_eq!(counts(after.diagnostics.iter()), expected_counts, "{:?}", mode);
        }
    }
}

/// The generator is not vacuous: over a few hundred articles every seeded
/// defect shows up, and so do CRLF, a BOM, comments and clean articles.
#[test]
fn the_generator_seeds_every_kind_of_defect() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]),
    );
    let settings = settings();
    let strategy = params();
    let mut seen: BTreeMap<&'static str, usize> = BTreeMap::new();
    let (mut crlf, mut bom, mut clean) = (0, 0, 0);
    for _ in 0..300 {
        let p = strategy.new_tree(&mut runner).expect("value").current();
        crlf += usize::from(p.crlf);
        bom += usize::from(p.bom);
        let report = copydesk_lint::lint_text(&settings, "a.md", "a.md", article(&p).text());
        clean += usize::from(report.diagnostics.is_empty());
        for (code, n) in counts(report.diagnostics.iter()) {
            *seen.entry(code).or_default() += n;
        }
    }
    for code in SEEDED {
        assert!(
            seen.get(code).copied().unwrap_or(0) >= 20,
            "{code}: {seen:?}"
        );
    }
    eprintln!("seeded findings over 300 articles: {seen:?}");
    assert!(
        crlf > 50 && bom > 50 && clean > 0,
        "crlf {crlf}, bom {bom}, clean {clean}"
    );
}

/// An edit as `(start, end, replacement)`.
type RawEdit = (usize, usize, String);

/// A fix as its edits and whether it is safe.
type RawFix = (Vec<RawEdit>, bool);

/// Random text and random fixes (possibly overlapping) at char boundaries.
fn text_and_fixes() -> impl Strategy<Value = (String, Vec<RawFix>)> {
    "[a-z é€\n]{0,60}".prop_flat_map(|text| {
        let bounds: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(text.len()))
            .collect();
        let edit = (
            prop::sample::select(bounds.clone()),
            prop::sample::select(bounds),
            "[A-Z€]{0,3}",
        )
            .prop_map(|(a, b, r)| (a.min(b), a.max(b), r));
        let fix = (prop::collection::vec(edit, 1..3), any::<bool>());
        (Just(text), prop::collection::vec(fix, 0..6))
    })
}

fn splice(text: &str, edits: &mut [RawEdit]) -> String {
    edits.sort_by_key(|e| (e.0, e.1));
    let mut out = String::new();
    let mut pos = 0;
    for (start, end, r) in edits.iter() {
        out.push_str(&text[pos..*start]);
        out.push_str(r);
        pos = *end;
    }
    out.push_str(&text[pos..]);
    out
}

/// Whether a set of edits can be applied together unambiguously: no two
/// share a byte, and none touches another at the same point.
fn compatible(edits: &[&RawEdit]) -> bool {
    edits.iter().enumerate().all(|(i, a)| {
        edits[i + 1..].iter().all(|b| {
            let disjoint = a.1 <= b.0 || b.1 <= a.0;
            let same_point = a.0 == b.0 || (a.0 == a.1 && a.0 == b.1) || (b.0 == b.1 && b.0 == a.1);
            disjoint && !same_point
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn apply_once_applies_a_compatible_set_of_whole_fixes((text, fixes) in text_and_fixes()) {
        let source = Arc::new(SourceFile::new("a.md", text.clone()));
        let diagnostics: Vec<Diagnostic> = fixes
            .iter()
            .map(|(edits, safe)| {
                let fix = Fix {
                    applicability: if *safe { Applicability::Safe } else { Applicability::Unsafe },
                    message: "f".into(),
                    edits: edits
                        .iter()
                        .map(|(s, e, r)| Edit { range: *s..*e, replacement: r.clone() })
                        .collect(),
                };
                Diagnostic::from_finding("x/y", Severity::Error, &source, Finding::new(0..0, "m").fix(fix))
            })
            .collect();
        for mode in [FixMode::Safe, FixMode::Unsafe] {
            let (out, applied) = apply_once(&text, &diagnostics, mode);
            let candidates: Vec<usize> = fixes
                .iter()
                .enumerate()
                .filter(|(_, (edits, safe))| {
                    (*safe || mode == FixMode::Unsafe)
                        && compatible(&edits.iter().collect::<Vec<_>>())
                })
                .map(|(i, _)| i)
                .collect();
            // Some subset of `applied` whole, compatible fixes gives exactly
            // this text: no fix is half applied and no byte is mangled.
            let mut found = false;
            for mask in 0u32..(1 << candidates.len()) {
                if mask.count_ones() as usize != applied {
                    continue;
                }
                let chosen: Vec<&RawEdit> = candidates
                    .iter()
                    .enumerate()
                    .filter(|(bit, _)| mask & (1 << bit) != 0)
                    .flat_map(|(_, &i)| fixes[i].0.iter())
                    .collect();
                if !compatible(&chosen) {
                    continue;
                }
                let mut edits: Vec<RawEdit> = chosen.into_iter().cloned().collect();
                if splice(&text, &mut edits) == out {
                    found = true;
                    break;
                }
            }
            prop_assert!(found, "{:?}: {:?} is no clean application of the fixes", mode, out);
            if candidates.len() == 1 {
                prop_assert_eq!(applied, 1, "a lone fix is applied");
            }
        }
    }
}
