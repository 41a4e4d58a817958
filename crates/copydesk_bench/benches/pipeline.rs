//! Per-stage costs of linting one seed-shaped article: split, YAML parse
//! (the fast path, and the general parser it falls back to),
//! schema validation, all per-file rules, the corpus pass over 1,000
//! index entries, and line:column for 20,000 findings on one line.
#![allow(missing_docs)] // criterion_group! generates an undocumented fn.

use copydesk_bench::{article, Defect};
use criterion::{black_box, criterion_group, criterion_main, Criterion};

fn stages(c: &mut Criterion) {
    let (_, text) = article(42, 1, Defect::None);
    let now = "2026-11-22T00:00:00Z".parse().expect("now");
    let settings = copydesk_lint::Settings::with_defaults(now);
    let limits = copydesk_schema::yaml::Limits::default();
    let fm = copydesk_schema::split(&text).expect("front matter");
    let root = copydesk_schema::parse(&text, fm.yaml.clone(), &limits)
        .root
        .expect("root");

    c.bench_function("split", |b| {
        b.iter(|| copydesk_schema::split(black_box(&text)))
    });
    c.bench_function("parse", |b| {
        b.iter(|| copydesk_schema::parse(black_box(&text), fm.yaml.clone(), &limits))
    });
    c.bench_function("parse_full (saphyr path, baseline)", |b| {
        b.iter(|| copydesk_schema::parse_full(black_box(&text), fm.yaml.clone(), &limits))
    });
    c.bench_function("validate", |b| {
        b.iter(|| copydesk_schema::validate(black_box(&root), fm.open_fence.clone()))
    });
    c.bench_function("lint_text (all per-file rules)", |b| {
        b.iter(|| copydesk_lint::lint_text(&settings, "a.md", "a.md", black_box(text.clone())))
    });
    let reports: Vec<_> = (0..1000)
        .map(|i| {
            let (_, t) = article(42, i, Defect::None);
            copydesk_lint::lint_text(&settings, &format!("{i}.md"), "a.md", t)
        })
        .collect();
    c.bench_function("finish (corpus pass, 1000 files)", |b| {
        b.iter(|| copydesk_lint::lint::finish(&settings, black_box(reports.clone()), Vec::new()))
    });
    // A flow mapping of 20,000 duplicate keys on one line: each finding's
    // column is looked up (linear since the line index keeps checkpoints).
    let mut long = String::from("---\nx: {");
    let keys: Vec<usize> = (0..20_000)
        .map(|_| {
            let at = long.len();
            long.push_str("a: 1, ");
            at
        })
        .collect();
    long.push_str("}\n---\n");
    c.bench_function("line_col (20,000 findings on one line)", |b| {
        b.iter(|| {
            let file = copydesk_lint::SourceFile::new("a.md", long.as_str());
            keys.iter()
                .map(|&k| file.line_col(black_box(k)).column)
                .sum::<usize>()
        })
    });
}

criterion_group!(benches, stages);
criterion_main!(benches);
