//! Where a file's lint time goes, by rule group: `cargo run --release -p
//! copydesk_bench --example stage_costs`. Prints the cost per file of
//! parsing the body with pulldown-cmark, and of `lint_text` with every
//! rule on and with groups switched off.

fn main() {
    let (_, text) = copydesk_bench::article(42, 1, copydesk_bench::Defect::None);
    let fm = copydesk_schema::split(&text).expect("the generated article has front matter");
    let body = &text[fm.body.clone()];
    let n: u32 = 20_000;
    let started = std::time::Instant::now();
    for _ in 0..n {
        let events = pulldown_cmark::Parser::new(std::hint::black_box(body))
            .into_offset_iter()
            .count();
        std::hint::black_box(events);
    }
    println!(
        "pulldown-cmark over the body: {:?}/file",
        started.elapsed() / n
    );
    let now = "2026-11-22T00:00:00Z".parse().expect("a timestamp");
    let groups: [&[&str]; 4] = [
        &[],
        &["body"],
        &["image"],
        &[
            "body",
            "image",
            "editorial",
            "date",
            "corpus",
            "suppression",
        ],
    ];
    for off in groups {
        let mut config = copydesk_lint::config::Config::default();
        for m in copydesk_lint::registry::metas() {
            if off.contains(&m.group()) {
                config
                    .rules
                    .insert(m.code.to_owned(), copydesk_lint::config::RuleLevel::Off);
            }
        }
        let settings = copydesk_lint::Settings::new(config, now).expect("settings");
        let started = std::time::Instant::now();
        for _ in 0..n {
            let report = copydesk_lint::lint_text(&settings, "a.md", "a.md", text.clone());
            std::hint::black_box(report);
        }
        println!(
            "lint_text, groups off {off:?}: {:?}/file",
            started.elapsed() / n
        );
    }
}
