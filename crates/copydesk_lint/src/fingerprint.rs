//! Stable identities for findings, for baselines, SARIF and GitLab.
//!
//! A fingerprint is built from the file's path, the rule's code, the YAML
//! key path of the offending value and a hash of the value's text — never
//! line numbers — so moving lines around or editing other keys does not
//! turn an old finding into a new one. Two identical findings in one file
//! get an occurrence number to stay distinct.

use std::collections::HashMap;
use std::ops::Range;

use copydesk_schema::yaml::{Node, NodeKind};
use copydesk_schema::{frontmatter, yaml};

use crate::diagnostic::Diagnostic;

/// FNV-1a, 64 bits: tiny, and its output never changes between Rust
/// versions or platforms, unlike `std`'s hasher.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The dotted key path of the innermost node whose span contains `span`
/// (`coverImage.thumb`, `tags[1]`); empty outside the front matter.
pub fn key_path_at(root: &Node, span: &Range<usize>) -> String {
    let mut path = String::new();
    let mut node = root;
    'descend: loop {
        match &node.kind {
            NodeKind::Mapping(entries) => {
                let covers = |n: &Node| {
                    n.span.start <= span.start && span.end <= n.span.end.max(n.span.start)
                };
                let found = first_covering(
                    entries,
                    span,
                    |e| e.key.span.start,
                    |e| e.key.span.end.max(e.value.span.end),
                    |e| covers(&e.key) || covers(&e.value),
                );
                let Some(e) = found.map(|i| &entries[i]) else {
                    break;
                };
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(e.key_str().unwrap_or("?"));
                if covers(&e.key) {
                    break 'descend;
                }
                node = &e.value;
            }
            NodeKind::Sequence(items) => {
                let found = first_covering(
                    items,
                    span,
                    |n| n.span.start,
                    |n| n.span.end,
                    |n| n.span.start <= span.start && span.end <= n.span.end,
                );
                let Some(i) = found else {
                    break;
                };
                path.push_str(&format!("[{i}]"));
                node = &items[i];
            }
            NodeKind::Scalar(_) => break,
        }
    }
    path
}

/// The index of the first of `siblings` (in file order, each starting
/// at `start` and ending at `end`) that `covers` `span`. Only those that
/// start at or before the span can, and going back from the last of them
/// the search stops at one that ends before the span: a list of thousands
/// of items with a finding on each stays linear, not quadratic.
fn first_covering<T>(
    siblings: &[T],
    span: &Range<usize>,
    start: impl Fn(&T) -> usize,
    end: impl Fn(&T) -> usize,
    covers: impl Fn(&T) -> bool,
) -> Option<usize> {
    let before = siblings.partition_point(|s| start(s) <= span.start);
    let mut found = None;
    for i in (0..before).rev() {
        #[cfg(test)]
        tests::EXAMINED.with(|n| n.set(n.get() + 1));
        if covers(&siblings[i]) {
            found = Some(i);
        }
        if end(&siblings[i]) < span.start {
            break;
        }
    }
    found
}

/// What identifies a finding across edits of its file.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Identity {
    /// The file's display path.
    pub path: String,
    /// The rule's code.
    pub code: String,
    /// The dotted key path of the offending value (empty outside the front matter).
    pub key: String,
    /// FNV-1a of the offending value's text, in hex.
    pub value: String,
    /// 1 for the first finding with these fields in the file, 2 for the next, ….
    pub occurrence: usize,
}

impl Identity {
    /// The identity as one opaque string (SARIF, GitLab).
    pub fn fingerprint(&self) -> String {
        let mut material = Vec::new();
        for part in [self.path.as_str(), &self.code, &self.key, &self.value] {
            material.extend_from_slice(part.as_bytes());
            material.push(0);
        }
        format!("{:016x}-{}", fnv1a(&material), self.occurrence)
    }
}

/// The identity of every diagnostic, in order. Files are parsed once each.
pub fn identities(diagnostics: &[Diagnostic]) -> Vec<Identity> {
    // Only the last file's tree is kept: diagnostics come in path order,
    // and 20,000 files with findings must not keep 20,000 trees.
    let mut last: Option<(&str, Option<Node>)> = None;
    let mut seen: HashMap<(String, &str, String, String), usize> = HashMap::new();
    diagnostics
        .iter()
        .map(|d| {
            let path = d.source.path.as_str();
            if last.as_ref().is_none_or(|(p, _)| *p != path) {
                let text = &d.source.text;
                let root = frontmatter::split(text)
                    .ok()
                    .and_then(|fm| frontmatter::parse(text, &fm, &yaml::Limits::default()).root);
                last = Some((path, root));
            }
            let root = last.as_ref().and_then(|(_, root)| root.as_ref());
            let key = root.map(|r| key_path_at(r, &d.span)).unwrap_or_default();
            let text = d.source.text.get(d.span.clone()).unwrap_or_default();
            let value = format!("{:016x}", fnv1a(text.as_bytes()));
            let n = seen
                .entry((d.source.path.clone(), d.code, key.clone(), value.clone()))
                .or_insert(0);
            *n += 1;
            Identity {
                path: d.source.path.clone(),
                code: d.code.to_owned(),
                key,
                value,
                occurrence: *n,
            }
        })
        .collect()
}

/// The fingerprint string of every diagnostic, in order.
pub fn fingerprints(diagnostics: &[Diagnostic]) -> Vec<String> {
    identities(diagnostics)
        .iter()
        .map(Identity::fingerprint)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        pub(super) static EXAMINED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    /// A finding on each of 20,000 tags: each key path looks at a few
    /// siblings, not at every tag before it.
    #[test]
    fn key_paths_of_many_siblings_are_linear() {
        let n = 20_000;
        let mut text = String::from("a: 1\ntags:\n");
        let mut items = Vec::new();
        for i in 0..n {
            text.push_str("  - '");
            let at = text.len();
            text.push_str(&format!("t{i}"));
            items.push(at..text.len());
            text.push_str("'\n");
        }
        text.push_str("z: [1, 2]\n");
        let root = yaml::parse(&text, 0..text.len(), &yaml::Limits::default())
            .root
            .expect("root");
        EXAMINED.with(|e| e.set(0));
        for (i, span) in items.iter().enumerate().step_by(997) {
            assert_eq!(key_path_at(&root, span), format!("tags[{i}]"));
        }
        for span in &items {
            key_path_at(&root, span);
        }
        let examined = EXAMINED.with(std::cell::Cell::get);
        assert!(
            examined <= 4 * (n + n / 997 + 1),
            "{examined} siblings examined"
        );
    }

    #[test]
    fn key_paths() {
        let text = "a: 1\nb:\n  c: [x, 'y']\n";
        let root = yaml::parse(text, 0..text.len(), &yaml::Limits::default())
            .root
            .expect("root");
        let y = text.find("'y'").expect("y");
        assert_eq!(key_path_at(&root, &(y..y + 3)), "b.c[1]");
        assert_eq!(key_path_at(&root, &(0..1)), "a");
        let c = text.find("c:").expect("c");
        assert_eq!(key_path_at(&root, &(c..c + 1)), "b.c");
        let x = text.find('x').expect("x");
        assert_eq!(key_path_at(&root, &(x..x + 1)), "b.c[0]");
        assert_eq!(key_path_at(&root, &(text.len()..text.len())), "");
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
    }
}
