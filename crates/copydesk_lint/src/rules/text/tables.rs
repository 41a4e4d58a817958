//! The character tables the text rules read: Windows-1252's upper half,
//! the HTML named entities feeds leave behind, and HTML element names.

/// Windows-1252 bytes 0x80–0x9F. The five bytes the code page leaves
/// undefined are read as the C1 control of the same value, as Windows'
/// own decoder and browsers do, so that `â€\u{9d}` still repairs to `”`.
const CP1252_80_9F: [char; 32] = [
    '\u{20AC}', '\u{0081}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{008D}', '\u{017D}', '\u{008F}',
    '\u{0090}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}', '\u{0153}', '\u{009D}', '\u{017E}', '\u{0178}',
];

/// The Windows-1252 byte that decodes to `c`, when there is one.
pub(crate) fn cp1252_byte(c: char) -> Option<u8> {
    let n = u32::from(c);
    if n < 0x80 || (0xA0..=0xFF).contains(&n) {
        return u8::try_from(n).ok();
    }
    CP1252_80_9F
        .iter()
        .position(|&x| x == c)
        .and_then(|i| u8::try_from(0x80 + i).ok())
}

/// The character Windows-1252 byte `b` (0x80–0x9F) stands for: HTML reads
/// numeric references in that range this way (`&#146;` is `’`).
pub(crate) fn cp1252_char(b: u32) -> Option<char> {
    let i = usize::try_from(b.checked_sub(0x80)?).ok()?;
    CP1252_80_9F.get(i).copied()
}

/// HTML named entities, with what they stand for. `&nbsp;` stands for a
/// plain space: in a headline it was never meant to glue words together.
pub(crate) const ENTITIES: &[(&str, &str)] = &[
    ("AElig", "Æ"),
    ("Aacute", "Á"),
    ("Agrave", "À"),
    ("Auml", "Ä"),
    ("Ccedil", "Ç"),
    ("Eacute", "É"),
    ("Egrave", "È"),
    ("Iacute", "Í"),
    ("Ntilde", "Ñ"),
    ("Oacute", "Ó"),
    ("Oslash", "Ø"),
    ("Ouml", "Ö"),
    ("Prime", "″"),
    ("Uacute", "Ú"),
    ("Uuml", "Ü"),
    ("aacute", "á"),
    ("acirc", "â"),
    ("aelig", "æ"),
    ("agrave", "à"),
    ("amp", "&"),
    ("apos", "'"),
    ("aring", "å"),
    ("atilde", "ã"),
    ("auml", "ä"),
    ("bdquo", "„"),
    ("bull", "•"),
    ("ccedil", "ç"),
    ("cent", "¢"),
    ("copy", "©"),
    ("darr", "↓"),
    ("deg", "°"),
    ("divide", "÷"),
    ("eacute", "é"),
    ("ecirc", "ê"),
    ("egrave", "è"),
    ("emsp", " "),
    ("ensp", " "),
    ("euml", "ë"),
    ("euro", "€"),
    ("frac12", "½"),
    ("frac14", "¼"),
    ("frac34", "¾"),
    ("gt", ">"),
    ("hellip", "…"),
    ("iacute", "í"),
    ("icirc", "î"),
    ("iexcl", "¡"),
    ("igrave", "ì"),
    ("iquest", "¿"),
    ("iuml", "ï"),
    ("laquo", "«"),
    ("larr", "←"),
    ("ldquo", "“"),
    ("lrm", ""),
    ("lsaquo", "‹"),
    ("lsquo", "‘"),
    ("lt", "<"),
    ("mdash", "—"),
    ("middot", "·"),
    ("nbsp", " "),
    ("ndash", "–"),
    ("ntilde", "ñ"),
    ("oacute", "ó"),
    ("ocirc", "ô"),
    ("ograve", "ò"),
    ("oslash", "ø"),
    ("otilde", "õ"),
    ("ouml", "ö"),
    ("para", "¶"),
    ("plusmn", "±"),
    ("pound", "£"),
    ("prime", "′"),
    ("quot", "\""),
    ("raquo", "»"),
    ("rarr", "→"),
    ("rdquo", "”"),
    ("reg", "®"),
    ("rlm", ""),
    ("rsaquo", "›"),
    ("rsquo", "’"),
    ("sbquo", "‚"),
    ("sect", "§"),
    ("shy", ""),
    ("sup2", "²"),
    ("sup3", "³"),
    ("szlig", "ß"),
    ("thinsp", " "),
    ("times", "×"),
    ("trade", "™"),
    ("uacute", "ú"),
    ("uarr", "↑"),
    ("ucirc", "û"),
    ("ugrave", "ù"),
    ("uuml", "ü"),
    ("yen", "¥"),
    ("zwj", ""),
    ("zwnj", ""),
];

/// What the named entity `name` stands for (names are case-sensitive).
pub(crate) fn entity(name: &str) -> Option<&'static str> {
    ENTITIES
        .binary_search_by(|(n, _)| n.cmp(&name))
        .ok()
        .map(|i| ENTITIES[i].1)
}

/// HTML elements a feed leaves in text. A name not here (`T`, `String`,
/// `u8`) is never read as a tag.
const ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "article",
    "aside",
    "audio",
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "button",
    "caption",
    "center",
    "cite",
    "code",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "i",
    "iframe",
    "img",
    "input",
    "ins",
    "kbd",
    "li",
    "link",
    "main",
    "mark",
    "meta",
    "nav",
    "noscript",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "script",
    "section",
    "small",
    "source",
    "span",
    "strike",
    "strong",
    "style",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "tt",
    "u",
    "ul",
    "video",
    "wbr",
];

/// Whether `lower` (a lowercase name) is an HTML element.
pub(crate) fn is_element(lower: &str) -> bool {
    ELEMENTS.binary_search(&lower).is_ok()
}

/// Elements that are HTML even glued to a word (`Hello<br>`), where a
/// generic's parameter (`Vec<T>`, `Array<object>`) is not.
pub(crate) fn is_glued_element(lower: &str) -> bool {
    matches!(
        lower,
        "br" | "hr" | "img" | "wbr" | "p" | "div" | "span" | "strong" | "em" | "sup" | "sub"
    )
}

/// What a tag is replaced by when its removal is unambiguous: nothing for
/// inline formatting (the words stay), a space for line and paragraph
/// breaks; `None` for elements whose removal would change the text
/// (`sup`, `del`, `img`, `script`…).
pub(crate) fn tag_replacement(lower: &str) -> Option<&'static str> {
    match lower {
        "a" | "abbr" | "b" | "big" | "cite" | "em" | "font" | "i" | "mark" | "small" | "span"
        | "strong" | "u" | "tt" | "code" | "kbd" => Some(""),
        "br" | "p" | "div" | "hr" | "wbr" => Some(" "),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_for_binary_search() {
        assert!(ENTITIES.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(ELEMENTS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn cp1252_round_trips() {
        for b in 0x80..=0xFFu32 {
            let c = if b < 0xA0 {
                cp1252_char(b).expect("mapped")
            } else {
                char::from_u32(b).expect("latin-1")
            };
            assert_eq!(cp1252_byte(c).map(u32::from), Some(b), "{c:?}");
        }
    }
}
