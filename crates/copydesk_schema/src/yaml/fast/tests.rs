//! Differential tests: whenever the fast path accepts a block, its outcome
//! must be exactly the full parser's. Inputs are every fixture, every case
//! of the YAML test suite, hand-picked edge cases and generated front
//! matter mixing shapes the fast path takes with shapes it must refuse.
//! Acceptance is asserted too, for the seed article and typical front
//! matter, so that a fast path which always bails cannot pass.

use std::path::{Path, PathBuf};

use proptest::prelude::*;

use crate::frontmatter::split;
use crate::fuzzing::{check, check_range};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn files_named(dir: &Path, pred: &dyn Fn(&Path) -> bool) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if pred(&p) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn fixtures_agree() {
    let files = files_named(&repo().join("fixtures"), &|p| {
        p.extension().is_some_and(|e| e == "md")
    });
    assert!(files.len() > 50, "fixtures missing: {}", files.len());
    let (mut blocks, mut accepted) = (0, 0);
    for path in &files {
        // Some fixtures are deliberately not UTF-8; they never reach a parser.
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        if let Ok(fm) = split(&text) {
            blocks += 1;
            if check_range(&text, fm.yaml.clone()) {
                accepted += 1;
            }
        }
    }
    // Most fixtures are articles with ordinary front matter; many others
    // exist to exercise YAML errors and are rightly refused.
    assert!(
        accepted * 2 > blocks,
        "fast path accepted only {accepted} of {blocks} fixture blocks"
    );
}

#[test]
fn seed_article_takes_the_fast_path() {
    let text = std::fs::read_to_string(repo().join("fixtures/seeds/article.md")).expect("seed");
    let fm = split(&text).expect("front matter");
    assert!(check_range(&text, fm.yaml.clone()), "seed refused");
    let crlf = text.replace('\n', "\r\n");
    let fm = split(&crlf).expect("front matter");
    assert!(check_range(&crlf, fm.yaml.clone()), "CRLF seed refused");
}

#[test]
fn yaml_test_suite_agrees() {
    let files = files_named(&repo().join("tests/data/yaml-test-suite"), &|p| {
        p.file_name().is_some_and(|n| n == "in.yaml")
    });
    assert!(files.len() > 300, "suite missing: {}", files.len());
    let mut accepted = 0;
    for path in &files {
        let yaml = std::fs::read_to_string(path).unwrap_or_default();
        if check_range(&yaml, 0..yaml.len()) {
            accepted += 1;
        }
        let mut yaml = yaml;
        if !yaml.ends_with('\n') {
            yaml.push('\n');
        }
        check(&yaml);
    }
    // The suite is mostly about what the fast path refuses, but its simple
    // mappings must get through.
    assert!(accepted > 10, "only {accepted} suite cases accepted");
}

/// Inputs the fast path must accept (and agree on).
const ACCEPTED: &[&str] = &[
    "",
    "# only a comment\n",
    "a: x\n",
    "a: x",
    "title: Café ünd AI’s backbone…\n",
    "a: x   \nb: 'y'  # c\n",
    "a: x # c\nb: x#y\nc: http://e.com/a?b=c&d=e:f\n",
    "a:\nb: x\n",
    "abc:\n\ndef:   \n",
    "a: # c\n  b: x\n",
    "a:\n- x\n- 'y'\nb: z\n",
    "a:\n  - x\n  - \"y\" # c\n",
    "a:\n  b:\n  - x\n  c: d\n",
    "a:\n   b:\n      c: d\n   e: f\ng: h\n",
    "draft: no\nn: 0x1F\no: 0o17\ni: .inf\nj: -.inf\nk: .nan\nl: ~\nm: null\nd: 2026-01-01\ne: -5\nf: +3\ng: 1e3\n",
    "1: one\ntrue: t\nnull: n\n",
    "q: 'it''s'\nr: ''\ns: \"\"\nt: \"é\"\n",
    "a: x\r\nb:\r\n  c: 'ü'\r\n  d:\r\ne:\r\n- f\r\n",
    "# c\n\na: x\n\n  # indented comment\nb:\n  # c\n  c: d\n",
    "a: x,y]{z}\n",
    "a: -x\n",
];

/// Inputs the fast path must refuse (the full parser reads them or reports
/// them).
const REFUSED: &[&str] = &[
    "a: [x\n",
    "a: x\n  y\n",
    "a:\n  b: x\n   y\n",
    "a: 'two\n  lines'\n",
    "a: \"esc\\n\"\n",
    "a: [x, y]\n",
    "a: {b: c}\n",
    "a: &x y\nb: *x\n",
    "a: !!str 1\n",
    "a: |\n  x\n",
    "a: >\n  x\n",
    "a: b: c\n",
    "a: b:\n",
    "? a\n: b\n",
    "a: 1\na: 2\n",
    "---\na: 1\n",
    "a: 1\n...\n",
    "%YAML 1.2\n---\na: 1\n",
    "\u{feff}a: 1\n",
    "a:\tx\n",
    "a: x\u{85}y\n",
    "  a: 1\n",
    "a:\n  - x\n  b: y\n",
    "a:\n  - x\n - y\n",
    "a:\n  -\n",
    "a:\n  - # c\n",
    "- x\n",
    "a: x\rb: y\n",
    "'a': x\n",
    "a b: x\n",
    "a :x\n",
    "a: 'x' y\n",
    "a: 'x'# c\n",
    "a: - x\n",
    "a: -\n",
    "a: :x\n",
];

#[test]
fn hand_picked_cases() {
    for src in ACCEPTED {
        assert!(check(src), "refused {src:?}");
    }
    for src in REFUSED {
        assert!(!check(src), "accepted {src:?}");
    }
}

/// SplitMix64, for deterministic typical front matter.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        (z ^ (z >> 31)) % n
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

/// Front matter shaped like real articles (and `copydesk_bench`'s corpus):
/// the fast path must take every one.
fn typical(i: u64) -> String {
    let mut r = Rng(i);
    let mut s = String::new();
    let title = r.pick(&[
        "CoreWeave shows how crypto-era infrastructure quietly became AI’s backbone",
        "Bitcoin miners bet that data centers are the new mines (#12)",
        "Régulateurs: une semaine chargée",
        "Solana validators warn that hashrate is moving…",
    ]);
    if title.contains(": ") {
        s.push_str(&format!("title: '{}'\n", title.replace('\'', "''")));
    } else {
        s.push_str(&format!("title: {title}\n"));
    }
    s.push_str(
        "description: The landscape of data centers is undergoing a significant transformation…\n",
    );
    let day = 1 + r.below(28);
    s.push_str(&format!("publishedAt: '2026-01-{day:02}T18:04:41.000Z'\n"));
    s.push_str(&format!("updatedAt: \"2026-01-{day:02}T18:29:36.979Z\"\n"));
    s.push_str(r.pick(&["lang: en\n", "lang: fr # French desk\n", ""]));
    s.push_str(&format!("externalId: '{}'\n", 57_619_983 + r.below(1000)));
    s.push_str("source:\n  name: Cointelegraph\n  key: cointelegraph\n  type: RSS\n");
    s.push_str(r.pick(&["category: MINING\n", "category: AI\n"]));
    let indent = r.pick(&["  ", "", "    "]);
    s.push_str("tags:\n");
    for _ in 0..=r.below(3) {
        s.push_str(&format!(
            "{indent}- {}\n",
            r.pick(&["MINING", "AI", "'DEFI'", "NFT"])
        ));
    }
    s.push_str(&format!("stickyWeight: {}\n", r.below(3)));
    s.push_str(r.pick(&["draft: false\n", "draft: no\n", "draft: true\n"]));
    s.push_str("coverImage:\n");
    s.push_str("  raw: 'https://images.unsplash.com/photo-1647485938389-91df46750f1b?ixid=M3w4&ixlib=rb-4.1.0'\n");
    s.push_str(
        "  small_s3: https://s3.us-west-2.amazonaws.com/images.unsplash.com/small/photo-1\n",
    );
    if r.below(2) == 0 {
        s.push_str("\n# generated\n");
    }
    s.push_str("ai:\n  rewritten: true\n  expandedAt: '2026-01-31T18:29:36.979Z'\n  version: 1\n");
    if r.below(3) == 0 {
        s = s.replace('\n', "\r\n");
    }
    s
}

#[test]
fn typical_front_matter_takes_the_fast_path() {
    for i in 0..500 {
        let yaml = typical(i);
        assert!(check(&yaml), "refused typical front matter {yaml:?}");
    }
}

/// Keys: mostly valid, often from a small pool (so duplicates happen),
/// some the fast path refuses.
fn key(bad: u32) -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "title", "tags", "a", "b", "source", "name", "x-y", "k.v", "_z", "small_s3",
        ])
        .prop_map(str::to_owned),
        20 => "[a-z_][a-zA-Z0-9_.-]{0,7}",
        bad => prop::sample::select(vec![
            "1", "true", "null", "No", "0x1F", "é", "a b", "-k", "?k", ".k", "k ", "'k'", "\"k\"",
            "k:", "~", "&a k", "[k]",
        ])
        .prop_map(str::to_owned),
    ]
}

/// Scalars as written after `key: ` or `- `: accepted and refused shapes.
fn scalar(bad: u32) -> impl Strategy<Value = String> {
    prop_oneof![
        30 => prop::sample::select(vec![
            "hello", "hello world", "a#b", "a  # b", "no", "yes", "0x1F", "0o17", "0x", ".inf",
            "-.inf", ".nan", "~", "null", "NULL", "2026-01-01", "12", "-5", "+3", "1e3", "1.5",
            "007", "123456789012345678901234567890", "café ünd", "AI’s backbone…",
            "http://x.y/z?a=b&c", "-x", "'q'", "\"q\"", "'it''s'", "\"é\"", "''", "\"\"",
            "'a' # c", "\"a\" # c", "\u{a0}x\u{a0}", "a,b", "a]", "x   ", "x # c", "...",
            "x ---", "'# not a comment'", "\"a: b\"", "'a: b'", "😀 emoji", "'\u{a0}'", "=",
            "<<", "a'b", "a\"b", "x :y",
        ])
        .prop_map(str::to_owned),
        2 * bad => prop::sample::select(vec![
            "x: y", "x:", "- x", "[a, b]", "{a: 1}", "&a x", "*a", "!str x", "!!str 1", "|", ">",
            "@x", "`x`", "%x", "'it''", "'unterminated", "\"a\\\"b\"", "'a'#c", "'a' b",
            "x\ty", "x\u{85}y", "x\u{2028}y", "\u{feff}x", "?", ":", "-", "#", "---",
            "x\u{7f}", "x\u{1}",
        ])
        .prop_map(str::to_owned),
        bad => "[a-zé :#'\"\\-.0-9]{0,8}",
        1 => Just(String::new()),
    ]
}

#[derive(Debug, Clone)]
enum Value {
    Scalar(String),
    Map(Vec<(String, Value)>),
    Seq(Vec<String>, bool),
}

fn value(bad: u32) -> impl Strategy<Value = Value> {
    scalar(bad)
        .prop_map(Value::Scalar)
        .prop_recursive(3, 20, 4, move |inner| {
            prop_oneof![
                prop::collection::vec((key(bad), inner), 1..5).prop_map(Value::Map),
                (prop::collection::vec(scalar(bad), 1..4), any::<bool>())
                    .prop_map(|(items, indentless)| Value::Seq(items, indentless)),
            ]
        })
}

fn render(entries: &[(String, Value)], indent: usize, step: usize, out: &mut Vec<String>) {
    let pad = " ".repeat(indent);
    for (k, v) in entries {
        match v {
            Value::Scalar(s) if s.is_empty() => out.push(format!("{pad}{k}:")),
            Value::Scalar(s) => out.push(format!("{pad}{k}: {s}")),
            Value::Map(inner) => {
                out.push(format!("{pad}{k}:"));
                render(inner, indent + step, step, out);
            }
            Value::Seq(items, indentless) => {
                out.push(format!("{pad}{k}:"));
                let ipad = if *indentless {
                    pad.clone()
                } else {
                    " ".repeat(indent + step)
                };
                for item in items {
                    if item.is_empty() {
                        out.push(format!("{ipad}-"));
                    } else {
                        out.push(format!("{ipad}- {item}"));
                    }
                }
            }
        }
    }
}

/// A change to one rendered line.
#[derive(Debug, Clone)]
enum Mutation {
    Insert(String),
    Indent(usize),
    Dedent(usize),
    Append(String),
}

fn mutation() -> impl Strategy<Value = (prop::sample::Index, Mutation)> {
    let m = prop_oneof![
        3 => prop::sample::select(vec![
            "", "# comment", "  # indented comment", "   ", "  continued", "    more",
            "- stray", "-", "\t", "---", "...", "%TAG ! x", "? k", ": v", "a: 1", "title: dup",
        ])
        .prop_map(|s| Mutation::Insert(s.to_owned())),
        1 => (1..4usize).prop_map(Mutation::Indent),
        1 => (1..4usize).prop_map(Mutation::Dedent),
        2 => prop::sample::select(vec!["   ", " # c", "#c", "\t", " x", ":", "\r", "'"])
            .prop_map(|s| Mutation::Append(s.to_owned())),
    ];
    (any::<prop::sample::Index>(), m)
}

/// Generated front matter: a rendered tree with a random indent step, line
/// ending and a few mutations; half of it hostile (many refused shapes),
/// half mostly clean so that the fast path's accepted subset is exercised.
fn front_matter() -> impl Strategy<Value = String> {
    prop_oneof![document(1, 2), document(8, 5)]
}

/// A document whose keys and scalars are refused shapes with weight
/// `bad`, with up to `mutations - 1` line mutations.
fn document(bad: u32, mutations: usize) -> impl Strategy<Value = String> {
    (
        prop::collection::vec((key(bad), value(bad)), 0..7),
        1..5usize,
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(mutation(), 0..mutations),
    )
        .prop_map(|(entries, step, crlf, final_eol, mutations)| {
            let mut lines = Vec::new();
            render(&entries, 0, step, &mut lines);
            for (at, m) in mutations {
                let i = at.index(lines.len() + 1);
                match m {
                    Mutation::Insert(s) => lines.insert(i, s),
                    Mutation::Indent(n) if i < lines.len() => {
                        lines[i].insert_str(0, &" ".repeat(n));
                    }
                    Mutation::Dedent(n) if i < lines.len() => {
                        let spaces = lines[i].len() - lines[i].trim_start_matches(' ').len();
                        lines[i].drain(..n.min(spaces));
                    }
                    Mutation::Append(s) if i < lines.len() => lines[i].push_str(&s),
                    _ => {}
                }
            }
            let eol = if crlf { "\r\n" } else { "\n" };
            let mut s = lines.join(eol);
            if final_eol && !lines.is_empty() {
                s.push_str(eol);
            }
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn generated_front_matter_agrees(yaml in front_matter()) {
        check_range(&yaml, 0..yaml.len());
        let file = format!("---\n{yaml}\n---\nBody.\n");
        check_range(&file, 4..5 + yaml.len());
    }
}

#[test]
fn generated_front_matter_is_often_accepted() {
    // Guards against a generator (or fast path) that refuses everything, in
    // which case the differential test above would prove nothing.
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = front_matter();
    let (mut accepted, mut nested) = (0, 0);
    for _ in 0..2000 {
        let yaml = strategy.new_tree(&mut runner).expect("generated").current();
        if check_range(&yaml, 0..yaml.len()) {
            accepted += 1;
            if yaml.contains(":\n ") || yaml.contains(":\r\n ") || yaml.contains(":\n-") {
                nested += 1;
            }
        }
    }
    eprintln!("accepted {accepted} of 2000, {nested} with nesting");
    assert!(accepted > 300, "only {accepted} of 2000 accepted");
    assert!(nested > 100, "only {nested} accepted with nesting");
}

#[test]
fn word_at_a_time_scans_find_every_position() {
    for len in 0..40 {
        let plain = "a".repeat(len);
        assert!(super::clean(plain.as_bytes()));
        assert_eq!(super::find2(plain.as_bytes(), 0, len, b'#', b':'), len);
        for at in 0..len {
            let mut s = plain.clone().into_bytes();
            s[at] = b':';
            assert_eq!(super::find2(&s, 0, len, b'#', b':'), at);
            assert_eq!(super::find2(&s, at.min(3), len, b':', b':'), at);
            assert_eq!(super::find(&s, at.min(3), len, b':'), at);
            s[at] = b'\t';
            assert!(!super::clean(&s), "tab at {at} of {len}");
            s[at] = b'\r';
            assert!(!super::clean(&s), "lone CR at {at} of {len}");
            if at + 1 < len {
                s[at + 1] = b'\n';
                assert!(super::clean(&s), "CRLF at {at} of {len}");
            }
        }
    }
}
