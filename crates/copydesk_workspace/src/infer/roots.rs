//! Where the articles are: the content roots `copydesk check` lints.
//!
//! A site keeps its articles together (`_posts/`, `content/`,
//! `src/content/blog/`) and its pages, templates and documentation
//! elsewhere. The roots are the top-level folders holding articles (files
//! with front matter), minus folders known to hold templates or build
//! output and folders with only a stray file or two, each narrowed to the
//! sub-folder holding nearly all of its articles; loose files at the top
//! (`index.md`, `about.md`, `README.md`) are pages, unless they are most
//! of the corpus.

use std::collections::BTreeMap;

/// Folders that hold templates, theme files or build output, never the
/// site's own articles.
const NOT_CONTENT: [&str; 16] = [
    "node_modules",
    "themes",
    "archetypes",
    "layouts",
    "_layouts",
    "_includes",
    "_data",
    "_sass",
    "_site",
    "public",
    "dist",
    "build",
    "vendor",
    "static",
    "resources",
    "target",
];

/// A folder is narrowed to one of its sub-folders holding this share of
/// its articles.
const NARROW_SHARE: f64 = 0.9;

/// A top-level folder is a root when it holds at least this share of the
/// largest one's articles (and at least two).
const MIN_GROUP_SHARE: f64 = 0.1;

/// Whether the display path `path` is in a top-level folder of templates
/// or build output (not read at all when looking for articles).
pub fn is_not_content(path: &str) -> bool {
    path.split_once('/')
        .is_some_and(|(dir, _)| NOT_CONTENT.contains(&dir))
}

/// The content roots (`/`-separated, relative; `.` for the whole tree)
/// for articles at these paths (relative, `/`-separated).
pub fn choose(articles: &[&str]) -> Vec<String> {
    let mut groups: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut loose = 0usize;
    for path in articles {
        match path.split_once('/') {
            Some((dir, rest)) if !NOT_CONTENT.contains(&dir) => {
                groups.entry(dir).or_default().push(rest);
            }
            Some(_) => {}
            None => loose += 1,
        }
    }
    let largest = groups.values().map(Vec::len).max().unwrap_or(0);
    let threshold = if largest >= 2 {
        2usize.max((largest as f64 * MIN_GROUP_SHARE).ceil() as usize)
    } else {
        1
    };
    let kept: Vec<(&str, &Vec<&str>)> = groups
        .iter()
        .filter(|(_, files)| files.len() >= threshold)
        .map(|(dir, files)| (*dir, files))
        .collect();
    let in_kept: usize = kept.iter().map(|(_, f)| f.len()).sum();
    if kept.is_empty() || loose > in_kept {
        return vec![".".to_owned()];
    }
    kept.into_iter()
        .map(|(dir, files)| narrow(dir.to_owned(), files))
        .collect()
}

/// `dir`, or the sub-folder of it holding nearly all of `files` (paths
/// relative to `dir`), recursively.
fn narrow(dir: String, files: &[&str]) -> String {
    let mut children: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for path in files {
        if let Some((child, rest)) = path.split_once('/') {
            children.entry(child).or_default().push(rest);
        }
    }
    let best = children.into_iter().max_by_key(|(_, f)| f.len());
    match best {
        Some((child, inner)) if inner.len() as f64 >= NARROW_SHARE * files.len() as f64 => {
            narrow(format!("{dir}/{child}"), &inner)
        }
        _ => dir,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roots(paths: &[&str]) -> Vec<String> {
        choose(paths)
    }

    #[test]
    fn jekyll_posts_not_pages() {
        let mut paths: Vec<String> = (1..=12)
            .map(|i| format!("_posts/2024-01-{i:02}-post.md"))
            .collect();
        paths.extend(["index.md", "about.md", "_drafts/wip.md"].map(String::from));
        let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
        assert_eq!(roots(&refs), ["_posts"]);
    }

    #[test]
    fn narrowed_to_the_collection() {
        let mut paths: Vec<String> = (0..10)
            .map(|i| format!("src/content/blog/post-{i}.md"))
            .collect();
        paths.push("src/pages/about.md".into());
        let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
        assert_eq!(roots(&refs), ["src/content/blog"]);
    }

    #[test]
    fn hugo_sections_and_themes() {
        let mut paths: Vec<String> = (0..6).map(|i| format!("content/posts/p{i}.md")).collect();
        paths.extend((0..5).map(|i| format!("content/notes/n{i}.md")));
        paths.extend((0..30).map(|i| format!("themes/t/exampleSite/content/{i}.md")));
        paths.push("archetypes/default.md".into());
        let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
        assert_eq!(roots(&refs), ["content"]);
    }

    #[test]
    fn flat_corpora_and_several_folders() {
        assert_eq!(roots(&["a.md", "b.md", "c.md", "x/d.md"]), ["."]);
        assert_eq!(roots(&["a.md"]), ["."]);
        assert_eq!(roots(&[]), ["."]);
        assert_eq!(roots(&["posts/a.md"]), ["posts"]);
        let mut paths: Vec<String> = (0..8).map(|i| format!("blog/{i}.md")).collect();
        paths.extend((0..4).map(|i| format!("docs/{i}.md")));
        let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
        assert_eq!(roots(&refs), ["blog", "docs"]);
    }
}
