//! The bodies of the fuzz targets in `fuzz/`, kept here so that ordinary
//! tests replay every saved crash input with exactly the same checks.

use std::sync::Arc;

use copydesk_lint::config::Config;
use copydesk_lint::corpus::CorpusIndex;
use copydesk_lint::fix::{fix_text, FixMode};
use copydesk_lint::{lint_bytes, lint_corpus, lint_text, Settings};

use crate::cli::Format;
use crate::render;

fn settings() -> Settings {
    Settings::with_defaults(
        jiff::Timestamp::from_second(1_795_305_600).unwrap_or(jiff::Timestamp::UNIX_EPOCH),
    )
}

/// Bytes through the whole pipeline and every output format.
pub fn pipeline(data: &[u8]) {
    let settings = settings();
    let mut report = lint_bytes(&settings, "fuzz.md", "fuzz.md", data.to_vec());
    let text = Arc::clone(&report.source.text);
    let index = CorpusIndex::new(report.index.take().into_iter().collect());
    let mut diagnostics = std::mem::take(&mut report.diagnostics);
    diagnostics.extend(lint_corpus(&settings, &index));
    copydesk_lint::lint::finalize(&settings, &report, &mut diagnostics);
    for d in &diagnostics {
        assert!(
            d.span.start <= d.span.end && d.span.end <= text.len(),
            "{} span {:?} outside a {}-byte file",
            d.code,
            d.span,
            text.len()
        );
        assert!(text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end));
    }
    let files: Vec<std::sync::Arc<str>> = vec!["fuzz.md".into()];
    let options = render::Options {
        color: false,
        width: 80,
        base: None,
    };
    for &format in <Format as clap::ValueEnum>::value_variants() {
        let out = render::render(format, &diagnostics, &files, &options);
        // Control characters from the input never reach the output raw.
        assert!(
            !out.chars()
                .any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r')),
            "{format:?} output carries a control character"
        );
    }
}

/// The fixer: output still parses, a second fix is a no-op, and edits stay
/// inside the front-matter block.
pub fn fixer(text: &str) {
    let settings = settings();
    let before = lint_text(&settings, "fuzz.md", "fuzz.md", text.to_owned());
    let once = fix_text(
        &settings,
        "fuzz.md",
        "fuzz.md",
        text.to_owned(),
        FixMode::Unsafe,
    );
    if !before.parsed {
        assert_eq!(once.text, text, "an unparsable file was changed");
        return;
    }
    assert!(once.report.parsed, "fixing made the file unparsable");
    if once.applied > 0 {
        let twice = fix_text(
            &settings,
            "fuzz.md",
            "fuzz.md",
            once.text.clone(),
            FixMode::Unsafe,
        );
        assert_eq!(twice.text, once.text, "a second fix changed the file again");
    }
    // The body after the block is never touched.
    if let (Ok(a), Ok(b)) = (
        copydesk_schema::split(text),
        copydesk_schema::split(&once.text),
    ) {
        assert_eq!(
            &text[a.body.clone()],
            &once.text[b.body],
            "a fix touched the body"
        );
        assert_eq!(
            &text[..a.yaml.start],
            &once.text[..b.yaml.start],
            "a fix touched the opening fence"
        );
    }
}

/// Text as copydesk.toml.
pub fn config(text: &str) {
    match toml::from_str::<Config>(text) {
        Err(e) => {
            if let Some(span) = e.span() {
                assert!(span.end <= text.len());
            }
        }
        Ok(config) => {
            if let Err(e) = Settings::new(config, jiff::Timestamp::UNIX_EPOCH) {
                let span = crate::config_file::key_span(text, &e.key_path);
                assert!(span.start <= span.end && span.end <= text.len());
            }
        }
    }
}

/// Bytes as git's index file (read in a commit hook): parsing never
/// panics, keeps no more entries than the bytes can hold, and a lookup
/// only answers.
pub fn git_index(data: &[u8]) {
    use copydesk_workspace::cache::Stamp;
    use copydesk_workspace::git_index::GitStamps;
    // The smallest entry: stat data, object name, flags, a one-byte path
    // and its NUL (version 4, no padding).
    const SMALLEST_ENTRY: usize = 40 + 20 + 2 + 1 + 1;
    for under in ["", "content/"] {
        let Some(stamps) = GitStamps::parse(data, under) else {
            continue;
        };
        assert!(stamps.len() * SMALLEST_ENTRY <= data.len());
        let stamp = Stamp {
            size: 0,
            mtime_ns: 0,
            ino: 0,
            ctime_ns: 0,
        };
        let _ = stamps.vouches("a.md", &stamp);
    }
}
