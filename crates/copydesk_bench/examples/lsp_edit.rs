//! What one edit costs the language server at 100k articles, the code it
//! ran before and the live index it runs now, measured in the same run:
//! `cargo run --release -p copydesk_bench --example lsp_edit [N] [EDITS] [DIR]`.
//!
//! Writes N articles (default 100,000) with the bench generator to a
//! temporary folder (or to DIR, reused when it already holds them),
//! indexes them as the server does (on one thread, as before, then on all
//! cores, as now; from disk, then from a result cache), and times EDITS
//! edits (default 40)
//! of one open document each, its headline made another article's (so
//! each has a `corpus/duplicate-title` finding):
//! - before: the entry set in a map of every entry, the lint job's context
//!   copied from it (every other entry), and the document linted against
//!   the whole corpus (the index sorted, every cross-file rule over it);
//!   and, separately, the copy of that map an update made while a job
//!   held it (`Arc::make_mut`);
//! - after: the entry set in the shared live index and `Session::lint`,
//!   which takes the document's neighbours only.
//!
//! Each edit's findings are checked to be the same both ways.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use copydesk_lint::corpus::IndexEntry;
use copydesk_workspace::session::{Corpus, Session, SharedCorpus};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number =
        |i: usize, default: u64| args.get(i).and_then(|a| a.parse().ok()).unwrap_or(default);
    let (n, edits) = (number(0, 100_000), number(1, 40));
    let temp = tempfile::tempdir().expect("a temporary folder");
    let dir = args.get(2).map_or(temp.path().to_path_buf(), PathBuf::from);
    if !dir.join("content").is_dir() {
        copydesk_bench::generate(&dir, n, 42, 0).expect("the corpus is written");
    }
    let config = copydesk_lint::config::Config {
        content_roots: vec!["content".into()],
        ..Default::default()
    };
    let now = "2026-11-22T00:00:00Z".parse().expect("a timestamp");
    let settings = copydesk_lint::Settings::new(config, now).expect("settings");
    let session = Session {
        cwd: dir.clone(),
        root: dir.clone(),
        settings: Arc::new(settings),
    };
    println!("{n} articles, {} cores", rayon::current_num_threads());
    let entries = index(&session);
    let started = Instant::now();
    let corpus = Corpus::new(entries.clone());
    println!(
        "grouping the index (on the indexing thread): {:.2?}",
        started.elapsed()
    );
    time_edits(&session, &entries, SharedCorpus::new(corpus), edits);
}

/// Times indexing on one thread and on all cores, from disk and then from
/// a result cache; returns the entries.
fn index(session: &Session) -> Vec<IndexEntry> {
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a pool");
    let cache = session.root.join(copydesk_workspace::cache::DIR);
    let _ = std::fs::remove_dir_all(&cache);
    let mut entries = Vec::new();
    for from in ["disk", "cache"] {
        if from == "cache" {
            write_cache(session);
        }
        let started = Instant::now();
        entries = one.install(|| session.index_corpus());
        let serial = started.elapsed();
        let started = Instant::now();
        let parallel = session.index_corpus().len();
        let parallel_time = started.elapsed();
        assert_eq!(entries.len(), parallel);
        println!(
            "index from {from}: one thread {serial:.2?}, all cores {parallel_time:.2?} ({:.2}x)",
            ratio(serial, parallel_time)
        );
    }
    let _ = std::fs::remove_dir_all(&cache);
    entries
}

/// Writes the result cache of the session's corpus, as `copydesk check`
/// leaves it.
fn write_cache(session: &Session) {
    use copydesk_workspace::{cache, discover, process};
    let settings = &*session.settings;
    let discoverer = discover::Discoverer::new(&session.cwd, &session.root, settings);
    let mut found = discover::Discovered::default();
    discoverer.walk(&session.root.join("content"), &mut found);
    let indexed: Vec<_> = found
        .targets
        .iter()
        .filter_map(|t| process::read_and_index(settings, t, None))
        .collect();
    let records = found
        .targets
        .iter()
        .zip(&indexed)
        .map(|(target, i)| cache::Record {
            target,
            meta: i.meta,
            index: i.entry.as_ref(),
            lint: None,
        });
    let refused = cache::Cache::load(&session.root, settings).save(true, false, records);
    assert!(refused.is_none(), "{refused:?}");
}

/// Times `edits` edits the old way and the new, checking they find the same.
fn time_edits(session: &Session, entries: &[IndexEntry], shared: SharedCorpus, edits: u64) {
    let mut old: BTreeMap<String, IndexEntry> = entries
        .iter()
        .map(|e| {
            let mut e = e.clone();
            e.reported = false;
            e.shed_text();
            (e.path.to_string(), e)
        })
        .collect();
    let (mut before, mut after, mut cow) = (Vec::new(), Vec::new(), Vec::new());
    let mut copies = Vec::new();
    for k in 0..edits {
        let (display, text) = edit(&session.root, entries, k);
        let config_path = display.clone();

        let started = Instant::now();
        let copy = old.clone();
        cow.push(started.elapsed());
        drop(copy);

        // Before: the server's old update and lint job.
        let started = Instant::now();
        let report =
            copydesk_lint::lint_text(&session.settings, &display, &config_path, text.clone());
        if let Some(mut e) = report.index.clone() {
            e.reported = false;
            e.shed_text();
            old.insert(display.clone(), e);
        }
        let copying = Instant::now();
        let context: Vec<IndexEntry> = old
            .iter()
            .filter(|(k, _)| **k != display)
            .map(|(_, e)| e.clone())
            .collect();
        copies.push(copying.elapsed());
        let loader = copydesk_workspace::session::loader(
            session.cwd.clone(),
            HashMap::new(),
            session.settings.max_file_bytes,
        );
        let found_before = copydesk_lint::lint::finish_with_loader(
            &session.settings,
            vec![report],
            context,
            Some(loader),
        );
        before.push(started.elapsed());

        // After: the live index.
        let started = Instant::now();
        let (found_after, entry) =
            session.lint(&display, &config_path, &text, &shared, HashMap::new());
        shared.write().update(&display, entry);
        after.push(started.elapsed());

        assert_eq!(found_before, found_after, "{display}");
        assert!(
            found_after
                .iter()
                .any(|d| d.code == "corpus/duplicate-title"),
            "{display}: the edit makes a duplicate headline"
        );
    }
    let (b, a, c) = (median(&mut before), median(&mut after), median(&mut cow));
    println!("per edit (median of {edits}), update + lint of one document:");
    println!(
        "  before: {b:.2?}, of which {:.2?} copying the context (plus {c:.2?} copying the index when a job held it)",
        median(&mut copies)
    );
    println!("  after:  {a:.2?}");
    println!("  before/after: {:.1}x", ratio(b, a));
}

/// The `k`th edit: one article's text with another's headline.
fn edit(dir: &std::path::Path, entries: &[IndexEntry], k: u64) -> (String, String) {
    let len = entries.len() as u64;
    let pick = |i: u64| &entries[usize::try_from(i % len).unwrap_or(0)];
    let me = pick(k.wrapping_mul(7919).wrapping_add(13));
    let other = pick(k.wrapping_mul(104_729).wrapping_add(len / 2));
    let text = std::fs::read_to_string(dir.join(&*me.path)).expect("the article");
    let mine = me.facts.title.as_ref().expect("a title");
    let theirs = other.facts.title.as_ref().expect("a title");
    let text = format!(
        "{}{}{}",
        &text[..mine.span().start],
        theirs.value,
        &text[mine.span().end..]
    );
    (me.path.to_string(), text)
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(1e-9)
}
