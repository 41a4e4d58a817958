//! The baseline copydesk is measured against: read every article, split
//! off the front matter, parse it and validate it against the schema, on
//! all cores — nothing else (no rules, no corpus pass, no output). It
//! parses with the general YAML parser (`parse_full`, saphyr), as the
//! issue's baseline does with a general one (serde_yaml): copydesk's own
//! fast path for plain front matter is part of what is measured against it.
//! `bare-loop DIR` prints the number of files and of schema-invalid ones.

use rayon::prelude::*;

fn main() -> std::process::ExitCode {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: bare-loop DIR");
        return std::process::ExitCode::from(2);
    };
    let files = copydesk_bench::markdown_files(std::path::Path::new(&dir));
    let limits = copydesk_schema::yaml::Limits::default();
    let invalid: usize = files
        .par_iter()
        .map(|path| {
            let Ok(text) = std::fs::read_to_string(path) else {
                return 1;
            };
            let Ok(fm) = copydesk_schema::split(&text) else {
                return 1;
            };
            let parsed = copydesk_schema::parse_full(&text, fm.yaml.clone(), &limits);
            match parsed.root {
                Some(root) => {
                    usize::from(!copydesk_schema::validate(&root, fm.open_fence).is_empty())
                }
                None => 1,
            }
        })
        .sum();
    println!("{} files, {invalid} invalid", files.len());
    std::process::ExitCode::SUCCESS
}
