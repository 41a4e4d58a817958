//! The default formats of tags, categories and `source.key`, and the
//! signs of a tag mangled on its way from a feed.
//!
//! The defaults are hand-written rather than regular expressions so that
//! "uppercase" means what it means in every script: a letter that is not
//! lowercase (Latin and Cyrillic capitals, and the letters of scripts
//! without case, such as CJK). A newsroom's own pattern
//! (`editorial.tag-pattern`, …) replaces them.

/// A character of an uppercase word: a digit, or a letter (or mark) of
/// any script that is not lowercase.
fn upper_char(c: char) -> bool {
    c.is_alphanumeric() && !c.is_lowercase()
}

/// One uppercase word: uppercase characters, with `&`, `.`, `'` or `’`
/// between two of them (`S&P`, `WEB3.0`, `MCDONALD'S`), or an
/// abbreviation with dots (`U.S.`).
fn is_upper_word(word: &str) -> bool {
    let chars: Vec<char> = word.chars().collect();
    let Some((&last, _)) = chars.split_last() else {
        return false;
    };
    if !chars.first().is_some_and(|&c| upper_char(c)) {
        return false;
    }
    // `U.S.`: a final dot after letters separated by dots.
    let body = if last == '.' && chars.iter().filter(|&&c| c == '.').count() > 1 {
        &chars[..chars.len() - 1]
    } else {
        &chars[..]
    };
    body.iter().enumerate().all(|(i, &c)| {
        upper_char(c)
            || (matches!(c, '&' | '.' | '\'' | '’')
                && i + 1 < body.len()
                && body.get(i + 1).is_some_and(|&n| upper_char(n))
                && i > 0)
    })
}

/// Whether `s` is uppercase words joined by single spaces or hyphens
/// (`BITCOIN NEWS`, `DOGE-BTC`), or underscores (`DATA_CENTERS`, version
/// 1's form).
pub(crate) fn is_uppercase_words(s: &str) -> bool {
    !s.is_empty() && s.split([' ', '-', '_']).all(is_upper_word)
}

/// Whether `s` is a lowercase slug: runs of lowercase ASCII letters and
/// digits joined by single `-`, `_` or `.` (`cointelegraph`, `the-block`,
/// `bitcoin_com`).
pub(crate) fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.split(['-', '_', '.']).all(|run| {
            !run.is_empty()
                && run
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Characters that a feed or a slugifier leaves at a tag's edges: `-`
/// from a dropped word, `@`/`#` from a social handle or hashtag, stray
/// quotes, brackets and list punctuation. `+` (`C++`) and a trailing `#`
/// (`C#`) are names, not debris.
fn edge_debris(c: char, leading: bool) -> bool {
    matches!(
        c,
        '-' | '_'
            | '@'
            | ','
            | ';'
            | ':'
            | '/'
            | '\\'
            | '|'
            | '"'
            | '“'
            | '”'
            | '«'
            | '»'
            | '('
            | ')'
            | '['
            | ']'
            | '{'
            | '}'
            | '*'
            | '!'
            | '?'
            | '~'
            | '='
    ) || (leading && matches!(c, '#' | '\'' | '‘'))
        || (!leading && c == '\'')
}

/// How a tag was mangled on its way from the feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Mangling {
    /// Debris at the start or end (`-DIGITAL-ASSETS`, `@handle`, `#BTC`);
    /// the tag without it.
    Edges(String),
    /// Single letters joined by hyphens: punctuation a slugifier turned
    /// into hyphens (`M-A` from `M&A`, `U-S` from `U.S.`).
    Letters,
}

/// How `tag` (as written, whitespace already trimmed) was mangled, if it
/// clearly was.
pub(crate) fn mangling(tag: &str) -> Option<Mangling> {
    let trimmed = tag
        .trim_start_matches(|c| edge_debris(c, true))
        .trim_end_matches(|c| edge_debris(c, false));
    if trimmed.len() != tag.len() {
        return Some(Mangling::Edges(trimmed.trim().to_owned()));
    }
    let parts: Vec<&str> = tag.split('-').collect();
    let single_letters = parts.len() > 1
        && parts.iter().all(|p| {
            let mut chars = p.chars();
            chars.next().is_some_and(char::is_alphabetic) && chars.next().is_none()
        });
    single_letters.then_some(Mangling::Letters)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_tags_are_uppercase_words() {
        for tag in [
            "MINING",
            "BITCOIN NEWS",
            "SHIBA INU",
            "NIGEL FARAGE",
            "DOGE-BTC",
            "S&P 500",
            "WEB3.0",
            "U.S.",
            "MCDONALD'S",
            "1INCH",
            "COVID-19",
            "K-POP",
            "БІТКОЇН",
            "ЕФІР НОВИНИ",
            "比特币",
            "ΕΛΛΑΔΑ",
        ] {
            assert!(is_uppercase_words(tag), "{tag}");
        }
        for tag in [
            "Bitcoin",
            "bitcoin news",
            "BITCOIN  NEWS",
            "BITCOIN--NEWS",
            " BITCOIN",
            "-DIGITAL-ASSETS",
            "@handle",
            "",
            "біткоїн",
            "S&",
            "&P",
        ] {
            assert!(!is_uppercase_words(tag), "{tag}");
        }
        assert!(is_uppercase_words("TOKEN_SALE"));
        assert!(is_uppercase_words("DATA_CENTERS"));
    }

    #[test]
    fn slugs() {
        for key in [
            "cointelegraph",
            "the-block",
            "bitcoin_com",
            "decrypt.co",
            "site2",
        ] {
            assert!(is_slug(key), "{key}");
        }
        for key in ["CoinDesk", "the--block", "-x", "a b", "", "café"] {
            assert!(!is_slug(key), "{key}");
        }
    }

    #[test]
    fn mangled_tags() {
        let edges = |s: &str| Some(Mangling::Edges(s.to_owned()));
        assert_eq!(mangling("-DIGITAL-ASSETS"), edges("DIGITAL-ASSETS"));
        assert_eq!(mangling("@vitalikbuterin"), edges("vitalikbuterin"));
        assert_eq!(mangling("#BTC"), edges("BTC"));
        assert_eq!(mangling("BITCOIN-"), edges("BITCOIN"));
        assert_eq!(mangling("\"ETF\""), edges("ETF"));
        assert_eq!(mangling("M-A"), Some(Mangling::Letters));
        assert_eq!(mangling("U-S"), Some(Mangling::Letters));
        for fine in [
            "DOGE-BTC",
            "K-POP",
            "X-RAY",
            "COVID-19",
            "C++",
            "C#",
            "S&P 500",
            "U.S.",
            "B-2",
            "BITCOIN NEWS",
            "Bitcoin",
        ] {
            assert_eq!(mangling(fine), None, "{fine}");
        }
    }
}
