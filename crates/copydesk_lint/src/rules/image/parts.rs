//! A cover URL's parts, read off the text when it is written the way the
//! URL standard would write it back.
//!
//! Six URLs per article go through `url::Url::parse` (host processing,
//! percent-encoding, path normalisation): about an eighth of a cold run's
//! work. Nearly all of them are plain `https://host/path?query` text that
//! the parser returns unchanged, so those are sliced instead; anything
//! else (a port, user info, a fragment, upper case, `%`, `xn--`, a dot
//! segment, a byte outside a short list) goes through the parser. A test
//! compares both ways on generated URLs.

use std::ops::Range;

use url::Url;

/// A parsed absolute URL: ranges into the text it was read from when the
/// parser would give that text back, else what the parser gave.
#[derive(Debug, Clone)]
pub(crate) enum ParsedUrl {
    /// `scheme://host/path?query`, each part as written.
    AsWritten {
        scheme: Range<usize>,
        host: Range<usize>,
        path: Range<usize>,
        query: Option<Range<usize>>,
    },
    /// What `Url::parse` made of it.
    Parsed(Url),
}

/// The parts of a URL the image rules read, as `Url` gives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct UrlParts<'a> {
    pub scheme: &'a str,
    /// `Url::host_str`: a domain, an IPv4 address or a bracketed IPv6 one.
    pub host: Option<&'a str>,
    pub path: &'a str,
    pub query: Option<&'a str>,
}

impl<'a> UrlParts<'a> {
    /// `Url::path_segments` of a URL with a host: the path after its
    /// leading `/`, split at each `/`.
    pub fn path_segments(self) -> std::str::Split<'a, char> {
        self.path.strip_prefix('/').unwrap_or(self.path).split('/')
    }
}

impl ParsedUrl {
    /// Its parts; `text` is the string it was parsed from.
    pub fn parts<'a>(&'a self, text: &'a str) -> UrlParts<'a> {
        let at = |r: &Range<usize>| text.get(r.clone()).unwrap_or_default();
        match self {
            Self::AsWritten {
                scheme,
                host,
                path,
                query,
            } => UrlParts {
                scheme: at(scheme),
                host: Some(at(host)),
                path: at(path),
                query: query.as_ref().map(at),
            },
            Self::Parsed(url) => UrlParts {
                scheme: url.scheme(),
                host: url.host_str(),
                path: url.path(),
                query: url.query(),
            },
        }
    }

    /// The `Url` itself (parsed now when it was sliced).
    pub fn into_url(self, text: &str) -> Option<Url> {
        match self {
            Self::AsWritten { .. } => Url::parse(text).ok(),
            Self::Parsed(url) => Some(url),
        }
    }
}

/// `text`'s parts when it is `http(s)://host/path[?query]` written as the
/// URL standard serialises it, so that `Url::parse` would succeed and give
/// exactly these parts; `None` when the parser must decide.
pub(crate) fn as_written(text: &str) -> Option<ParsedUrl> {
    let (scheme_len, rest_at) = if text.starts_with("https://") {
        (5, 8)
    } else if text.starts_with("http://") {
        (4, 7)
    } else {
        return None;
    };
    let bytes = text.as_bytes();
    let host_len = memchr::memchr(b'/', &bytes[rest_at..])?;
    let host = rest_at..rest_at + host_len;
    if !plain_domain(&bytes[host.clone()]) {
        return None;
    }
    let path_end = memchr::memchr(b'?', &bytes[host.end..]).map_or(bytes.len(), |i| host.end + i);
    let path = host.end..path_end;
    if !plain_path(&bytes[path.clone()]) {
        return None;
    }
    let query = if path_end < bytes.len() {
        let query = path_end + 1..bytes.len();
        if !all_in(&bytes[query.clone()], &QUERY) {
            return None;
        }
        Some(query)
    } else {
        None
    };
    Some(ParsedUrl::AsWritten {
        scheme: 0..scheme_len,
        host,
        path,
        query,
    })
}

/// A lower-case ASCII domain that host processing leaves as it is: labels
/// of `a-z`, `0-9` and `-`, none empty, none longer than DNS allows, none
/// an IDNA (`xn--`) label, and a last label starting with a letter (else
/// the standard reads the host as an IPv4 address).
fn plain_domain(host: &[u8]) -> bool {
    if host.is_empty() || host.len() > 253 {
        return false;
    }
    let mut last_first = 0u8;
    for label in host.split(|&b| b == b'.') {
        let ok = !label.is_empty()
            && label.len() <= 63
            && !label.starts_with(b"xn--")
            && label
                .iter()
                .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !ok {
            return false;
        }
        last_first = label[0];
    }
    last_first.is_ascii_lowercase()
}

/// A path the parser keeps byte for byte: a leading `/`, bytes that no
/// percent-encode set touches, and no empty, `.` or `..` segment.
fn plain_path(path: &[u8]) -> bool {
    path.first() == Some(&b'/')
        && all_in(path, &PATH)
        && path[1..]
            .split(|&b| b == b'/')
            .all(|s| !matches!(s, b"." | b".."))
        && !path.windows(2).any(|w| w == b"//")
}

/// Whether every byte of `bytes` is allowed by `table`: read to the end
/// without an early exit, a URL having no byte that is not, so that the
/// loop has no branch on the bytes.
fn all_in(bytes: &[u8], table: &[bool; 256]) -> bool {
    bytes.iter().fold(true, |ok, &b| ok & table[usize::from(b)])
}

/// Bytes allowed in a plain path: ASCII letters, digits and
/// `-._~!$&'()*+,;=:@/` (no `%`, which could spell a dot segment).
static PATH: [bool; 256] = table(b"-._~!$&'()*+,;=:@/");

/// Bytes allowed in a plain query: the path's, less `'` (encoded in the
/// query of an `http(s)` URL), plus `?` and `%`, which the parser keeps.
static QUERY: [bool; 256] = table(b"-._~!$&()*+,;=:@/?%");

const fn table(punctuation: &[u8]) -> [bool; 256] {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric();
        b += 1;
    }
    let mut i = 0;
    while i < punctuation.len() {
        t[punctuation[i] as usize] = true;
        i += 1;
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `Url::parse` gives, as parts.
    fn parsed(text: &str) -> Option<(String, Option<String>, String, Option<String>)> {
        let u = Url::parse(text).ok()?;
        Some((
            u.scheme().to_owned(),
            u.host_str().map(str::to_owned),
            u.path().to_owned(),
            u.query().map(str::to_owned),
        ))
    }

    fn sliced(text: &str) -> Option<(String, Option<String>, String, Option<String>)> {
        let p = as_written(text)?;
        let parts = p.parts(text);
        Some((
            parts.scheme.to_owned(),
            parts.host.map(str::to_owned),
            parts.path.to_owned(),
            parts.query.map(str::to_owned),
        ))
    }

    fn agrees(text: &str) {
        if let Some(got) = sliced(text) {
            let u = Url::parse(text).unwrap_or_else(|e| panic!("{text:?} sliced, not parsed: {e}"));
            assert!(!u.cannot_be_a_base(), "{text:?}");
            assert_eq!(Some(got), parsed(text), "{text:?}");
            assert_eq!(u.as_str(), text, "{text:?} is not as the parser writes it");
        }
    }

    #[test]
    fn unsplash_urls_are_sliced_as_the_parser_gives_them() {
        for text in [
            "https://images.unsplash.com/photo-1647485938389-91df46750f1b?crop=entropy&cs=tinysrgb&fit=max&fm=jpg&ixid=M3w4MjQzNjB8MHwxfHJhbmRvbXx8fHx8fHx8fDE3Njk4ODQwMjF8&ixlib=rb-4.1.0&q=80&w=400",
            "https://s3.us-west-2.amazonaws.com/images.unsplash.com/small/photo-1647485938389-91df46750f1b",
            "http://cdn.example.org/a/b.jpg?",
            "https://example.com/",
            "https://a-b.c0m/x;y=1/@:~!$&'()*+,=",
        ] {
            assert!(as_written(text).is_some(), "{text:?}");
            agrees(text);
        }
    }

    #[test]
    fn what_the_parser_would_change_is_left_to_it() {
        for text in [
            "HTTPS://example.com/",
            "https://Example.com/",
            "https://example.com",
            "https://example.com:443/",
            "https://user@example.com/",
            "https://example.com/a#b",
            "https://example.com/a/../b",
            "https://example.com/a/./b",
            "https://example.com/%2e%2e/b",
            "https://example.com/a b",
            "https://example.com/é",
            "https://xn--nxasmq6b.com/",
            "https://1.2.3.4/",
            "https://example.0x1f/",
            "https://example.com./",
            "https://a..b/",
            "https://example.com/?a='b'",
            "https://example.com/a//b",
            "https://example.com\\a",
            "ftp://example.com/",
        ] {
            assert!(as_written(text).is_none(), "{text:?}");
        }
    }

    /// Random URLs, from pieces that touch every rule of the parser the
    /// slicing relies on: whatever is sliced parses to the same parts.
    /// Plain pieces come first and are drawn more often, so that a good
    /// share of the URLs is sliced.
    #[test]
    fn generated_urls_are_sliced_only_as_the_parser_gives_them() {
        const HOST: &[&str] = &[
            "a", "cdn", "z9", "0", "-", "a-b", "1", // plain
            "xn--", "X", "0x", "é", "_", "%41", "[", ":", "@", "", ".", "\\", "?",
        ];
        const PIECE: &[&str] = &[
            "a", "Z", "0", "photo-1", "~", "(", ";", "=", ":", "@", "!", "$", "*", ",", "+", "&",
            "-", "_", // plain
            ".", "..", "%", "%2e", "'", "\\", " ", "\t", "é", "|", "^", "`", "{", "\"", "<", "#",
            "?", "/", "\u{7f}", "\u{1}", "[", "]",
        ];
        let mut next = crate::rules::date::testing::random(0x9e37_79b9_7f4a_7c15_u64);
        // An entry of `list`, each of its first `plain` ten times as often.
        let mut pick = |list: &[&'static str], plain: usize| -> &'static str {
            let i = next(plain * 10 + list.len() - plain);
            list[if i < plain * 10 {
                i % plain
            } else {
                i - plain * 9
            }]
        };
        let mut sliced_count = 0;
        for _ in 0..100_000 {
            let mut text = String::from(pick(&["https://", "http://", "HTTP://", "https:/"], 2));
            for label in 0..1 + pick(&["0", "1", "2"], 3).len() % 3 {
                if label > 0 {
                    text.push('.');
                }
                for _ in 0..1 + pick(&["0", "1"], 2).len() {
                    text.push_str(pick(HOST, 7));
                }
            }
            for _ in 0..pick(&["a", "b", "cc", "ddd"], 4).len() {
                text.push('/');
                for _ in 0..pick(&["a", "b", "cc"], 3).len() {
                    text.push_str(pick(PIECE, 18));
                }
            }
            if pick(&["?", ""], 2).is_empty() {
                text.push('?');
                for _ in 0..pick(&["a", "bb", "ccc", "dddd"], 4).len() {
                    text.push_str(pick(PIECE, 18));
                }
            }
            agrees(&text);
            sliced_count += usize::from(as_written(&text).is_some());
        }
        // The generator must reach the sliced case often enough to test it.
        assert!(sliced_count > 20_000, "{sliced_count}");
    }
}
