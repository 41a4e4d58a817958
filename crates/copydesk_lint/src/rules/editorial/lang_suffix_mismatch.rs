//! `editorial/lang-suffix-mismatch`.

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{FileContext, Rule, RuleMeta};

declare_rule! {
    /// The file name's language suffix (`slug.uk.md`) and `lang` disagree.
    ///
    /// ## Why is this bad?
    ///
    /// Translations live beside their originals as `slug.en.md` and
    /// `slug.uk.md`, and the site (like Hugo's multilingual mode) routes a
    /// file by that suffix. When `lang` says otherwise, the article is
    /// served under one language and labelled with another: readers get an
    /// English page in the Ukrainian edition, with the wrong hreflang.
    ///
    /// A suffix counts when it is an ISO 639-1 language code, optionally
    /// with a region (`pt-br`), or a tag on `editorial.languages`; other
    /// dotted names (`notes.v2.md`, `post.draft.md`) are left alone. Letter
    /// case is ignored, and `slug.pt.md` agrees with `lang: pt-BR`.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// File: `grayscale-ipo.uk.md`
    ///
    /// ```markdown
    /// ---
    /// lang: en
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// File: `grayscale-ipo.uk.md`
    ///
    /// ```markdown
    /// ---
    /// lang: uk
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Correct `lang`, or rename the file, whichever is wrong. There is no
    /// automatic fix: only the text tells which.
    pub struct LangSuffixMismatch {
        code: "editorial/lang-suffix-mismatch",
        severity: Error,
        fix: None,
    }
}

/// ISO 639-1 codes: the two-letter language suffixes a file name may carry.
const ISO_639_1: &[&str] = &[
    "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bh",
    "bi", "bm", "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", "da",
    "de", "dv", "dz", "ee", "el", "en", "eo", "es", "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr",
    "fy", "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi", "ho", "hr", "ht", "hu", "hy", "hz",
    "ia", "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja", "jv", "ka", "kg", "ki", "kj",
    "kk", "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li", "ln",
    "lo", "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb",
    "nd", "ne", "ng", "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os", "pa", "pi",
    "pl", "ps", "pt", "qu", "rm", "rn", "ro", "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk",
    "sl", "sm", "sn", "so", "sq", "sr", "ss", "st", "su", "sv", "sw", "ta", "te", "tg", "th", "ti",
    "tk", "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo",
    "wa", "wo", "xh", "yi", "yo", "za", "zh", "zu",
];

/// The language suffix of a display path (`a/slug.uk.md` → `uk`), when the
/// name has one that reads as a language tag.
fn suffix<'a>(path: &'a str, configured: &[String]) -> Option<&'a str> {
    let name = path.rsplit(['/', '\\']).next()?;
    let (stem, _extension) = name.rsplit_once('.')?;
    let (_, suffix) = stem.rsplit_once('.')?;
    let primary = suffix.split(['-', '_']).next()?;
    let tag_like = suffix
        .split(['-', '_'])
        .skip(1)
        .all(|s| (2..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric()));
    let known = ISO_639_1.contains(&primary.to_ascii_lowercase().as_str())
        || configured.iter().any(|l| l.eq_ignore_ascii_case(suffix));
    (tag_like && known).then_some(suffix)
}

/// Whether a suffix and a `lang` name the same language: equal ignoring
/// case and `_`/`-`, or the same primary language where one of them names
/// no region.
fn agree(suffix: &str, lang: &str) -> bool {
    let norm = |s: &str| s.to_ascii_lowercase().replace('_', "-");
    let (s, l) = (norm(suffix), norm(lang));
    if s == l {
        return true;
    }
    let primary = |t: &str| t.split('-').next().unwrap_or_default().to_owned();
    primary(&s) == primary(&l) && (!s.contains('-') || !l.contains('-'))
}

impl Rule for LangSuffixMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn fields(&self) -> &'static [crate::rule::Field] {
        &[crate::rule::Field::Lang]
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        let Some(path) = ctx.settings.field(crate::rule::Field::Lang) else {
            return;
        };
        let Some(node) = ctx.root().and_then(|r| r.pointer(path.iter())) else {
            return;
        };
        let Some(lang) = node.as_str() else { return };
        let lang = lang.trim();
        let configured = &ctx.settings.config.editorial.languages;
        let Some(suffix) = suffix(&ctx.source.path, configured) else {
            return;
        };
        if lang.is_empty() || agree(suffix, lang) {
            return;
        }
        out.push(
            Finding::new(
                node.span.clone(),
                format!(
                    "`{path}` is `{lang}`, but the file name says `{suffix}` (`.{suffix}.` before the extension)"
                ),
            )
            .help(format!(
                "correct `{path}` to `{suffix}`, or rename the file to end in `.{lang}.<extension>`"
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::date::testing::*;

    #[test]
    fn suffixes_that_read_as_languages() {
        let none: &[String] = &[];
        assert_eq!(suffix("a/slug.uk.md", none), Some("uk"));
        assert_eq!(suffix("slug.pt-br.markdown", none), Some("pt-br"));
        assert_eq!(suffix("slug.md", none), None);
        assert_eq!(suffix("notes.v2.md", none), None);
        assert_eq!(suffix("post.draft.md", none), None);
        assert_eq!(suffix("a.b/slug.md", none), None);
        assert_eq!(suffix("slug.fil.md", none), None);
        assert_eq!(suffix("slug.fil.md", &["fil".to_owned()]), Some("fil"));
    }

    #[test]
    fn agreement() {
        assert!(agree("uk", "uk"));
        assert!(agree("pt", "pt-BR"));
        assert!(agree("pt-br", "pt-BR"));
        assert!(agree("zh_hant", "zh-Hant"));
        assert!(!agree("uk", "en"));
        assert!(!agree("pt-br", "pt-PT"));
    }

    #[test]
    fn mismatch_points_at_lang() {
        let settings = settings(only(LangSuffixMismatch::META.code, Default::default()));
        let text = "---\nlang: en\n---\n".to_owned();
        let found = crate::lint_text(&settings, "news/ipo.uk.md", "news/ipo.uk.md", text.clone())
            .diagnostics;
        assert_eq!(found.len(), 1);
        assert_eq!(span_text(&found[0]), "en");
        assert!(
            crate::lint_text(&settings, "news/ipo.en.md", "news/ipo.en.md", text.clone())
                .diagnostics
                .is_empty()
        );
        assert!(
            crate::lint_text(&settings, "news/ipo.md", "news/ipo.md", text)
                .diagnostics
                .is_empty()
        );
    }
}
