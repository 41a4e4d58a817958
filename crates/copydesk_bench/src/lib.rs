//! Benchmark support for copydesk: a deterministic generator of realistic
//! articles (shaped like the seed fixture: ~5 KB, one Unsplash photo each,
//! varied titles, dates, ids, sources, categories and tags, optionally
//! with seeded defects), used by the criterion benches and by
//! `scripts/bench.sh`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// SplitMix64: a tiny generator whose sequence never changes between
/// versions or platforms, so a corpus is the same for a given seed forever.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// One of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[usize::try_from(self.below(items.len() as u64)).unwrap_or(0)]
    }
}

const SOURCES: &[(&str, &str, &str)] = &[
    ("Cointelegraph", "cointelegraph", "RSS"),
    ("The Block", "the-block", "RSS"),
    ("Decrypt", "decrypt", "API"),
    ("CoinDesk", "coindesk", "RSS"),
    ("Newsroom", "newsroom", "MANUAL"),
];
const CATEGORIES: &[&str] = &[
    "MINING",
    "MARKETS",
    "REGULATION",
    "DEFI",
    "AI",
    "SECURITY",
    "NFT",
];
const SUBJECTS: &[&str] = &[
    "CoreWeave",
    "Bitcoin miners",
    "Ethereum developers",
    "Regulators",
    "A stablecoin issuer",
    "Solana validators",
    "Exchange operators",
    "An AI start-up",
    "Central banks",
    "Hackers",
];
const VERBS: &[&str] = &[
    "shows how",
    "explains why",
    "bets that",
    "warns that",
    "doubts that",
    "confirms that",
];
const OBJECTS: &[&str] = &[
    "crypto-era infrastructure became AI’s backbone",
    "data centers are the new mines",
    "on-chain markets need clearer rules",
    "hashrate is moving to cheaper power",
    "tokenised funds are going mainstream",
    "custody is the next battleground",
];
const PARAGRAPH: &str = "The landscape of data centers is undergoing a significant transformation as former cryptocurrency miners pivot towards providing computing resources for artificial intelligence. This shift highlights how infrastructure initially built for one boom is being repurposed for the next, and what that means for power, capital and competition across the sector.";

/// Which defect, if any, an article carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Defect {
    /// A clean article.
    None,
    /// `externalId` unquoted.
    UnquotedId,
    /// `updatedAt` before `publishedAt`.
    UpdatedBeforePublished,
    /// `draft: no`.
    Yaml11Boolean,
    /// A misspelt key.
    TypoKey,
    /// The same id as the previous article of its source.
    DuplicateId,
}

/// The `i`th article of the corpus for `seed`, and its relative path.
pub fn article(seed: u64, i: u64, defect: Defect) -> (PathBuf, String) {
    let mut rng = Rng::new(seed ^ i.wrapping_mul(0x2545_f491_4f6c_dd1d));
    let (name, key, kind) = *rng.pick(SOURCES);
    let id = if defect == Defect::DuplicateId {
        1_000_000 + i.saturating_sub(1)
    } else {
        1_000_000 + i
    };
    let day = 1 + rng.below(28);
    let month = 1 + rng.below(10);
    let (h, m, s) = (rng.below(24), rng.below(60), rng.below(60));
    let published = format!("2026-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}.000Z");
    let updated = if defect == Defect::UpdatedBeforePublished {
        format!("2026-{month:02}-{day:02}T00:00:00.000Z")
    } else {
        format!("2026-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}.500Z")
    };
    let photo = format!(
        "{}-{:012x}",
        1_600_000_000_000 + rng.below(100_000_000_000),
        rng.next_u64() >> 16
    );
    let title = format!(
        "{} {} {} (#{i})",
        rng.pick(SUBJECTS),
        rng.pick(VERBS),
        rng.pick(OBJECTS)
    );
    let category = *rng.pick(CATEGORIES);
    let mut tags = vec![category];
    for _ in 0..rng.below(3) {
        let t = *rng.pick(CATEGORIES);
        if !tags.contains(&t) {
            tags.push(t);
        }
    }
    let base = format!("https://images.unsplash.com/photo-{photo}");
    let ixid = "M3w4MjQzNjB8MHwxfHJhbmRvbXx8fHx8fHx8fDE3Njk4ODQwMjF8";
    let mut out = String::with_capacity(5200);
    out.push_str("---\n");
    let _ = writeln!(out, "title: {title}");
    let _ = writeln!(out, "description: {}…", &PARAGRAPH[..160]);
    let _ = writeln!(out, "publishedAt: '{published}'");
    let _ = writeln!(out, "updatedAt: '{updated}'");
    out.push_str("lang: en\n");
    if defect == Defect::UnquotedId {
        let _ = writeln!(out, "externalId: {id}");
    } else {
        let _ = writeln!(out, "externalId: '{id}'");
    }
    let _ = writeln!(out, "source:\n  name: {name}\n  key: {key}\n  type: {kind}");
    let _ = writeln!(out, "category: {category}");
    out.push_str("tags:\n");
    for t in &tags {
        let _ = writeln!(out, "  - {t}");
    }
    let _ = writeln!(out, "stickyWeight: {}", rng.below(3));
    let _ = writeln!(
        out,
        "sentiment: {}",
        rng.pick(&["POSITIVE", "NEGATIVE", "NEUTRAL"])
    );
    let _ = writeln!(out, "score: {}", rng.below(100));
    out.push_str(if defect == Defect::Yaml11Boolean {
        "draft: no\n"
    } else {
        "draft: false\n"
    });
    out.push_str(if defect == Defect::TypoKey {
        "coverimage_:\n"
    } else {
        "coverImage:\n"
    });
    let _ = writeln!(out, "  raw: '{base}?ixid={ixid}&ixlib=rb-4.1.0'");
    let _ = writeln!(
        out,
        "  full: '{base}?crop=entropy&cs=srgb&fm=jpg&ixid={ixid}&ixlib=rb-4.1.0&q=85'"
    );
    for (variant, w) in [("regular", 1080), ("small", 400), ("thumb", 200)] {
        let _ = writeln!(
            out,
            "  {variant}: '{base}?crop=entropy&cs=tinysrgb&fit=max&fm=jpg&ixid={ixid}&ixlib=rb-4.1.0&q=80&w={w}'"
        );
    }
    let _ = writeln!(
        out,
        "  small_s3: 'https://s3.us-west-2.amazonaws.com/images.unsplash.com/small/photo-{photo}'"
    );
    let _ = writeln!(
        out,
        "ai:\n  rewritten: true\n  expandedAt: '{updated}'\n  version: 1"
    );
    out.push_str("---\n## Overview\n\n");
    for section in ["Background", "What changes", "From the author"] {
        for _ in 0..3 {
            out.push_str(PARAGRAPH);
            out.push_str("\n\n");
        }
        let _ = write!(out, "## {section}\n\n");
    }
    out.push_str("- One point.\n- Another point.\n");
    let path = PathBuf::from(format!("content/{key}/2026/{month:02}/{id}-{i}.md"));
    (path, out)
}

/// Writes `n` articles under `dir`; `defects_per_mille` of them carry a
/// defect. Returns the number of files written.
pub fn generate(dir: &Path, n: u64, seed: u64, defects_per_mille: u64) -> std::io::Result<u64> {
    const DEFECTS: [Defect; 5] = [
        Defect::UnquotedId,
        Defect::UpdatedBeforePublished,
        Defect::Yaml11Boolean,
        Defect::TypoKey,
        Defect::DuplicateId,
    ];
    let mut rng = Rng::new(seed);
    for i in 0..n {
        let defect = if rng.below(1000) < defects_per_mille {
            *rng.pick(&DEFECTS)
        } else {
            Defect::None
        };
        let (rel, text) = article(seed, i, defect);
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, text)?;
    }
    Ok(n)
}

/// Every `.md` file under `dir`, sorted.
pub fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = ignore::WalkBuilder::new(dir)
        .build()
        .flatten()
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .map(ignore::DirEntry::into_path)
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_articles_lint_clean_and_defects_are_found() {
        let now = "2026-11-22T00:00:00Z".parse().expect("now");
        let settings = copydesk_lint::Settings::with_defaults(now);
        for i in 0..50 {
            let (path, text) = article(7, i, Defect::None);
            let report = copydesk_lint::lint_text(&settings, "a.md", "a.md", text.clone());
            assert!(
                report.diagnostics.is_empty(),
                "{}: {:?}\n{text}",
                path.display(),
                report.diagnostics
            );
            assert!((4000..6500).contains(&text.len()), "{} bytes", text.len());
        }
        for defect in [
            Defect::UnquotedId,
            Defect::UpdatedBeforePublished,
            Defect::Yaml11Boolean,
            Defect::TypoKey,
        ] {
            let (_, text) = article(7, 3, defect);
            let report = copydesk_lint::lint_text(&settings, "a.md", "a.md", text);
            assert!(!report.diagnostics.is_empty(), "{defect:?} not found");
        }
        assert_eq!(article(7, 3, Defect::None), article(7, 3, Defect::None));
    }
}
