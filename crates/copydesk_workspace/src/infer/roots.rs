//! Where the articles are: the content roots `copydesk check` lints.
//!
//! A site keeps its articles together (`_posts/`, `content/`,
//! `src/content/blog/`) and its pages, templates and documentation
//! elsewhere. The roots are the top-level folders holding articles (files
//! with front matter), minus folders known to hold templates or build
//! output and folders with only a stray file or two; each is narrowed to
//! its one sub-folder holding articles in number, the same way. Loose
//! files beside such folders (`index.md`, `about.md`, `content/about.md`)
//! are pages, unless they are most of the corpus.

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
    let kept = kept(&groups);
    let in_kept: usize = kept.iter().map(|(_, f)| f.len()).sum();
    if kept.is_empty() || loose > in_kept {
        return vec![".".to_owned()];
    }
    kept.into_iter()
        .map(|(dir, files)| narrow(dir.to_owned(), files))
        .collect()
}

/// `dir`, or the one sub-folder of it that holds articles in number
/// (see [`kept`]) when it has more than `dir`'s loose files (pages such as
/// `content/about.md` beside `content/posts/`), recursively. `files` are
/// relative to `dir`.
fn narrow(dir: String, files: &[&str]) -> String {
    let mut children: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut loose = 0usize;
    for path in files {
        match path.split_once('/') {
            Some((child, rest)) => children.entry(child).or_default().push(rest),
            None => loose += 1,
        }
    }
    match kept(&children)[..] {
        [(child, inner)] if inner.len() > loose => narrow(format!("{dir}/{child}"), inner),
        _ => dir,
    }
}

/// The folders holding articles in number: at least two, and at least a
/// tenth of the largest folder's (a stray file or two beside a collection
/// is a page, not a folder of articles).
fn kept<'a, 'b>(groups: &'a BTreeMap<&'b str, Vec<&'b str>>) -> Vec<(&'b str, &'a [&'b str])> {
    let largest = groups.values().map(Vec::len).max().unwrap_or(0);
    let threshold = if largest >= 2 {
        2usize.max((largest as f64 * MIN_GROUP_SHARE).ceil() as usize)
    } else {
        1
    };
    groups
        .iter()
        .filter(|(_, files)| files.len() >= threshold)
        .map(|(dir, files)| (*dir, files.as_slice()))
        .collect()
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
        let mut paths: Vec<String> = (0..6)
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
        // A few pages beside the posts' folder: the posts.
        let mut paths: Vec<String> = (0..5).map(|i| format!("content/blog/{i}.md")).collect();
        paths.extend(["content/about.md", "content/404.md"].map(String::from));
        let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
        assert_eq!(roots(&refs), ["content/blog"]);
        // Posts loose in their folder, a few more in a sub-folder: all.
        let mut paths: Vec<String> = (0..9).map(|i| format!("posts/{i}.md")).collect();
        paths.extend(["posts/old/a.md", "posts/old/b.md"].map(String::from));
        let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
        assert_eq!(roots(&refs), ["posts"]);
        let mut paths: Vec<String> = (0..8).map(|i| format!("blog/{i}.md")).collect();
        paths.extend((0..4).map(|i| format!("docs/{i}.md")));
        let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
        assert_eq!(roots(&refs), ["blog", "docs"]);
    }
}
