//! Replays every saved fuzz input (and every fixture) through the fuzz
//! targets' checks, so a crash found once stays fixed on stable Rust.

use std::path::{Path, PathBuf};

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().is_some_and(|n| n != "README.md") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn saved_inputs_pass_their_targets() {
    let dir = root().join("fuzz/regressions");
    let mut n = 0;
    for (target, run) in [
        ("pipeline", copydesk::fuzzing::pipeline as fn(&[u8])),
        ("fixer", |d: &[u8]| {
            if let Ok(t) = std::str::from_utf8(d) {
                copydesk::fuzzing::fixer(t);
            }
        }),
        ("config", |d: &[u8]| {
            if let Ok(t) = std::str::from_utf8(d) {
                copydesk::fuzzing::config(t);
            }
        }),
        ("yaml_fast_path", copydesk_schema::fuzzing::yaml_fast_path),
        ("git_index", copydesk::fuzzing::git_index),
    ] {
        for file in files(&dir.join(target)) {
            let data = std::fs::read(&file).expect("regression input is readable");
            run(&data);
            n += 1;
        }
    }
    assert!(n >= 6, "the regression inputs are missing ({n} found)");
}

#[test]
fn every_fixture_passes_the_pipeline_fixer_and_yaml_fast_path_targets() {
    let mut n = 0;
    for file in files(&root().join("fixtures")) {
        let data = std::fs::read(&file).expect("fixture is readable");
        copydesk::fuzzing::pipeline(&data);
        copydesk_schema::fuzzing::yaml_fast_path(&data);
        if let Ok(text) = std::str::from_utf8(&data) {
            copydesk::fuzzing::fixer(text);
        }
        n += 1;
    }
    assert!(n > 100, "fixtures are missing ({n} found)");
}
