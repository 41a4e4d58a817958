//! JUnit XML for CI dashboards: a test suite per file, a failing test case
//! per finding, a passing one for a clean file.

use std::fmt::Write;

use copydesk_lint::Diagnostic;

/// Escapes text for XML attributes and content, dropping characters XML
/// 1.0 cannot carry.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// How much of the spooled suites is kept in memory before they go to a
/// temporary file.
const IN_MEMORY: usize = 8 << 20;

/// The test suites of the files with findings, rendered as their findings
/// come (a file's findings together, files in path order), and counted:
/// the report's header gives totals only known at the end, and holding
/// the findings until then would grow with them (545 MB for 100k). They
/// wait in a temporary file past [`IN_MEMORY`] bytes.
pub struct Spool {
    file: tempfile::SpooledTempFile,
    /// Each suite's file and length, in the order written.
    suites: Vec<(String, u64)>,
    failures: usize,
    error: Option<std::io::Error>,
}

impl Spool {
    /// An empty spool.
    pub fn new() -> Self {
        Self::keeping(IN_MEMORY)
    }

    /// An empty spool that keeps `bytes` in memory.
    fn keeping(bytes: usize) -> Self {
        Spool {
            file: tempfile::spooled_tempfile(bytes),
            suites: Vec::new(),
            failures: 0,
            error: None,
        }
    }

    /// Renders the suites of `diagnostics`, which come sorted by file.
    pub fn add<'d>(&mut self, diagnostics: impl IntoIterator<Item = &'d Diagnostic>) {
        let mut suite = String::new();
        let mut group: Vec<&Diagnostic> = Vec::new();
        for d in diagnostics {
            if group
                .first()
                .is_some_and(|g| g.source.path != d.source.path)
            {
                self.spool(&mut suite, &group);
                group.clear();
            }
            group.push(d);
        }
        if !group.is_empty() {
            self.spool(&mut suite, &group);
        }
    }

    fn spool(&mut self, suite: &mut String, diags: &[&Diagnostic]) {
        use std::io::Write as _;
        let Some(path) = diags.first().map(|d| d.source.path.as_str()) else {
            return;
        };
        suite.clear();
        failing_suite(suite, path, diags);
        self.failures += diags.len();
        self.suites.push((path.to_owned(), suite.len() as u64));
        if self.error.is_none() {
            self.error = self.file.write_all(suite.as_bytes()).err();
        }
    }

    /// Writes the report: the header with its totals, then every file's
    /// suite in path order, a passing one for each clean file of `files`.
    pub fn finish(mut self, files: &[std::sync::Arc<str>], out: &mut super::Sink<'_>) {
        let mut clean: Vec<&str> = files.iter().map(|f| &**f).collect();
        clean.sort_unstable();
        clean.dedup();
        // Files with findings have their suite; the others pass.
        let with_findings: std::collections::HashSet<&str> =
            self.suites.iter().map(|(p, _)| p.as_str()).collect();
        clean.retain(|f| !with_findings.contains(f));
        let tests = self.failures + clean.len();
        out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(
            out,
            "<testsuites name=\"copydesk\" tests=\"{tests}\" failures=\"{}\" errors=\"0\">",
            self.failures
        );
        if let Err(e) = std::io::Seek::rewind(&mut self.file) {
            self.error.get_or_insert(e);
        }
        let mut clean = clean.into_iter().peekable();
        let mut text = String::new();
        for (path, len) in &self.suites {
            while let Some(file) = clean.next_if(|f| *f < path.as_str()) {
                passing_suite(out, file);
            }
            text.clear();
            let read = std::io::Read::read_to_string(
                &mut std::io::Read::take(&mut self.file, *len),
                &mut text,
            );
            match read {
                Ok(n) if n as u64 == *len => out.push_str(&text),
                Ok(_) => {
                    self.error
                        .get_or_insert(std::io::ErrorKind::UnexpectedEof.into());
                }
                Err(e) => {
                    self.error.get_or_insert(e);
                }
            }
        }
        for file in clean {
            passing_suite(out, file);
        }
        out.push_str("</testsuites>\n");
        if let Some(e) = self.error {
            out.fail(e);
        }
    }
}

impl Default for Spool {
    fn default() -> Self {
        Self::new()
    }
}

/// A clean file's suite: one passing test case.
fn passing_suite(out: &mut impl Write, path: &str) {
    let _ = writeln!(
        out,
        "  <testsuite name=\"{}\" tests=\"1\" failures=\"0\" errors=\"0\">",
        xml(path)
    );
    let _ = writeln!(
        out,
        "    <testcase name=\"front matter\" classname=\"{}\"/>",
        xml(path)
    );
    let _ = writeln!(out, "  </testsuite>");
}

/// A file's suite: a failing test case per finding.
fn failing_suite(out: &mut String, path: &str, diags: &[&Diagnostic]) {
    let _ = writeln!(
        out,
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\">",
        xml(path),
        diags.len(),
        diags.len()
    );
    for d in diags {
        let (s, _) = d.line_cols();
        let _ = writeln!(
            out,
            "    <testcase name=\"{}:{}:{} {}\" classname=\"{}\">",
            xml(path),
            s.line,
            s.column,
            xml(d.code),
            xml(path)
        );
        let mut body = format!("{}:{}:{}: {}", path, s.line, s.column, d.message);
        if let Some(help) = &d.help {
            body.push_str("\nhelp: ");
            body.push_str(help);
        }
        let _ = writeln!(
            out,
            "      <failure message=\"{}\" type=\"{}\">{}</failure>",
            xml(&d.message),
            xml(d.code),
            xml(&body)
        );
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use copydesk_lint::{Finding, Severity, SourceFile};
    use std::sync::Arc;

    fn report(spool: Spool, windows: &[&[Diagnostic]], files: &[Arc<str>]) -> String {
        let mut spool = spool;
        for window in windows {
            spool.add(window.iter());
        }
        let mut bytes = Vec::new();
        let mut sink = crate::render::Sink::new(&mut bytes);
        spool.finish(files, &mut sink);
        sink.finish().expect("written to memory");
        String::from_utf8(bytes).expect("UTF-8")
    }

    /// Suites spooled across windows, in memory or in a file, come out in
    /// path order between the clean files', with the totals first; a
    /// finding's file that is not among the files checked (an article
    /// removed) still gets its suite.
    #[test]
    fn spooled_suites_are_merged_with_the_clean_files_in_path_order() {
        let finding = |path: &str, n: usize| {
            let source = Arc::new(SourceFile::new(path, "---\ntitle: x\n---\n"));
            Diagnostic::from_finding(
                "schema/missing-key",
                Severity::Error,
                &source,
                Finding::new(4..9, format!("finding {n}")),
            )
        };
        let first = [finding("b.md", 1), finding("b.md", 2), finding("d.md", 3)];
        let second = [finding("e-removed.md", 4), finding("f.md", 5)];
        let files: Vec<Arc<str>> = ["g.md", "a.md", "b.md", "c.md", "d.md", "f.md"]
            .into_iter()
            .map(Arc::from)
            .collect();
        let in_memory = report(Spool::new(), &[&first, &second], &files);
        assert_eq!(
            report(Spool::keeping(0), &[&first, &second], &files),
            in_memory
        );
        let all: Vec<Diagnostic> = first.iter().chain(&second).cloned().collect();
        let options = crate::render::Options {
            color: false,
            width: 80,
            base: None,
        };
        let whole = crate::render::render(crate::cli::Format::Junit, &all, &files, &options);
        assert_eq!(whole, in_memory);
        let suites: Vec<&str> = in_memory
            .lines()
            .filter_map(|l| l.trim().strip_prefix("<testsuite name=\""))
            .map(|l| l.split('"').next().unwrap_or_default())
            .collect();
        assert_eq!(
            suites,
            [
                "a.md",
                "b.md",
                "c.md",
                "d.md",
                "e-removed.md",
                "f.md",
                "g.md"
            ]
        );
        assert!(
            in_memory
                .contains("<testsuites name=\"copydesk\" tests=\"8\" failures=\"5\" errors=\"0\">"),
            "{in_memory}"
        );
    }
}
