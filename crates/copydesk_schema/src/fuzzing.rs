//! The differential check of the YAML fast path against the general
//! parser, shared by the fast path's tests, the `yaml_fast_path` fuzz
//! target in `fuzz/` and the replay of its saved inputs in ordinary tests.
//! Not part of the public API: it panics on a difference, by design.

use std::ops::Range;

use crate::frontmatter::split;
use crate::yaml::{parse_full, parse_simple, Limits};

/// Limits to run every input under: the defaults, and tight ones so that
/// the node, depth and size limits are crossed.
pub fn limit_sets() -> [Limits; 4] {
    let d = Limits::default();
    [
        d,
        Limits { max_nodes: 7, ..d },
        Limits { max_depth: 1, ..d },
        Limits {
            max_depth: 2,
            max_bytes: 40,
            ..d
        },
    ]
}

/// Runs both paths on `file[range]`; panics when the fast path accepts
/// with a different outcome (tree, spans, text, styles, values, issues).
/// Returns whether it accepted with the default limits. Outcomes are
/// compared through `Debug` because `.nan` is not equal to itself.
pub fn check_range(file: &str, range: Range<usize>) -> bool {
    let mut accepted = false;
    for (i, limits) in limit_sets().iter().enumerate() {
        if let Some(fast) = parse_simple(file, range.clone(), limits) {
            let full = parse_full(file, range.clone(), limits);
            assert_eq!(
                format!("{fast:#?}"),
                format!("{full:#?}"),
                "fast path differs on {:?} with {limits:?}",
                file.get(range.clone())
            );
            accepted |= i == 0;
        }
    }
    accepted
}

/// Checks `yaml` as a whole string and embedded in a front-matter file
/// (so that spans must be offset), with LF and with CRLF line endings.
/// Returns whether the fast path accepted it (with the default limits).
pub fn check(yaml: &str) -> bool {
    let accepted = check_range(yaml, 0..yaml.len());
    let file = format!("---\n{yaml}---\nBody.\n");
    assert_eq!(
        check_range(&file, 4..4 + yaml.len()),
        accepted,
        "accepted alone but not in a file, or the reverse: {yaml:?}"
    );
    if !yaml.contains('\r') {
        let crlf = yaml.replace('\n', "\r\n");
        check_range(&crlf, 0..crlf.len());
    }
    accepted
}

/// The fuzz target's body: `data` (invalid UTF-8 replaced) as a bare YAML
/// block through [`check`], and as a whole file through the front-matter
/// split and [`check_range`].
pub fn yaml_fast_path(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    check(&text);
    if let Ok(fm) = split(&text) {
        check_range(&text, fm.yaml);
    }
}
