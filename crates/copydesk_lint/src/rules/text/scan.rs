//! One pass over a string that notices every candidate problem (a control
//! character, an `&`, a `<`, a run of spaces, a Windows-1252 lead letter,
//! a sentence start) and confirms it on the spot with a cheap look ahead.
//! Plain ASCII words cost one comparison per byte.

use std::ops::Range;

use super::tables::{
    cp1252_byte, cp1252_char, entity, is_element, is_glued_element, tag_replacement,
};
use super::{Hit, Kind, ValueFix, What};
use crate::config::Text;
use crate::diagnostic::Applicability;
use crate::settings::first_byte_bit;

/// Characters that read as a space.
fn is_space_like(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
    )
}

/// C0 and C1 controls and DEL; a line break belongs to block scalars.
fn is_control(c: char) -> bool {
    (c.is_control() && c != '\n') || c == '\u{7f}'
}

/// Invisible format characters that never belong in a headline.
fn invisible_name(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{200b}' => "zero-width space (U+200B)",
        '\u{200c}' => "zero-width non-joiner (U+200C)",
        '\u{200d}' => "zero-width joiner (U+200D)",
        '\u{2060}' => "word joiner (U+2060)",
        '\u{2061}'..='\u{2064}' => "invisible operator",
        '\u{feff}' => "byte-order mark (U+FEFF)",
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => "bidirectional control character",
        _ => return None,
    })
}

/// Whether a joiner at a position is doing its job: between two
/// characters of a script or emoji sequence that uses it (👨‍👩‍👧, Persian
/// می‌خواهم, Devanagari), never next to ASCII, a space or the value's edge.
fn joiner_in_use(prev: Option<char>, next: Option<char>) -> bool {
    let joins = |c: Option<char>| c.is_some_and(|c| !c.is_ascii() && !is_space_like(c));
    joins(prev) && joins(next)
}

/// What a control character stands for when a feed dropped the high byte
/// of a typographic character (U+2019 → U+0019).
fn lost_high_byte(c: char) -> Option<(char, &'static str)> {
    Some(match c {
        '\u{13}' => ('–', "an en dash"),
        '\u{14}' => ('—', "an em dash"),
        '\u{18}' => ('‘', "an opening quote"),
        '\u{19}' => ('’', "an apostrophe"),
        '\u{1c}' => ('“', "an opening double quote"),
        '\u{1d}' => ('”', "a closing double quote"),
        _ => return None,
    })
}

/// The decoded character of a UTF-8 sequence that was read as Windows-1252
/// and starts at `s`, with the bytes it spans in `s`, when the sequence is
/// complete and decodes to a character such text really holds.
fn mojibake_at(s: &str) -> Option<(char, usize)> {
    let mut chars = s.char_indices();
    let (_, lead) = chars.next()?;
    let b0 = cp1252_byte(lead)?;
    let need = match b0 {
        0xC2..=0xDF => 1,
        0xE0..=0xEF => 2,
        0xF0..=0xF4 => 3,
        _ => return None,
    };
    let mut bytes = [b0, 0, 0, 0];
    let mut end = lead.len_utf8();
    for slot in bytes.iter_mut().skip(1).take(need) {
        let (i, c) = chars.next()?;
        let b = cp1252_byte(c).filter(|b| (0x80..=0xBF).contains(b))?;
        *slot = b;
        end = i + c.len_utf8();
    }
    let decoded = std::str::from_utf8(&bytes[..=need]).ok()?.chars().next()?;
    let n = u32::from(decoded);
    let plausible = match need {
        1 => matches!(n, 0xA0..=0x17F | 0x370..=0x3FF | 0x400..=0x4FF),
        2 => {
            matches!(n, 0x2000..=0x2BFF | 0x3000..=0x9FFF | 0xAC00..=0xD7AF | 0xFE00..=0xFE0F | 0xFF00..=0xFFEF)
        }
        _ => matches!(n, 0x1F000..=0x1FAFF),
    };
    plausible.then_some((decoded, end))
}

/// Whether a decoded character is a CJK or Hangul ideogram, which a Latin
/// word with an accent and two quotes can also spell: such a repair needs a
/// run of at least two.
fn is_ideogram(c: char) -> bool {
    matches!(u32::from(c), 0x3000..=0x9FFF | 0xAC00..=0xD7AF | 0xFF00..=0xFFEF)
}

/// An HTML character reference at the start of `s` (`&amp;`, `&#8217;`,
/// `&#x2019;`): its length and what it stands for. Text without the `;`
/// (`AT&T`, `R&D`) is never one.
fn entity_at(s: &str) -> Option<(usize, String)> {
    let b = s.as_bytes();
    let semi = b.iter().take(12).position(|&c| c == b';')?;
    let body = s.get(1..semi)?;
    let decoded = if let Some(num) = body.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) if !hex.is_empty() && hex.len() <= 6 => u32::from_str_radix(hex, 16).ok()?,
            None if !num.is_empty()
                && num.len() <= 7
                && num.bytes().all(|c| c.is_ascii_digit()) =>
            {
                num.parse().ok()?
            }
            _ => return None,
        };
        let c = match code {
            0x80..=0x9F => cp1252_char(code)?,
            0xA0 => ' ',
            0 => return None,
            _ => char::from_u32(code)?,
        };
        if is_control(c) || invisible_name(c).is_some() {
            String::new()
        } else {
            c.to_string()
        }
    } else {
        if body.len() < 2 || !body.bytes().all(|c| c.is_ascii_alphanumeric()) {
            return None;
        }
        entity(body)?.to_owned()
    };
    Some((semi + 1, decoded))
}

/// An HTML tag at the start of `s` (`<p>`, `</a>`, `<br/>`,
/// `<a href="…">`, `<!-- … -->`): its length and lowercase name. `prev` is
/// the character before it: a tag glued to a word (`Vec<T>`,
/// `Array<object>`) is a generic unless it is a tag nothing else spells
/// (`<br>`).
fn tag_at(s: &str, prev: Option<char>) -> Option<(usize, String)> {
    if let Some(rest) = s.strip_prefix("<!--") {
        let end = rest.get(..rest.len().min(300))?.find("-->")?;
        return Some((4 + end + 3, "!--".to_owned()));
    }
    let b = s.as_bytes();
    let closing = b.get(1) == Some(&b'/');
    let name_start = if closing { 2 } else { 1 };
    let name_len = b[name_start..]
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric())
        .count();
    let name = s.get(name_start..name_start + name_len)?;
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let lower = name.to_ascii_lowercase();
    let upper_ok = name_len >= 2 && name.bytes().all(|c| !c.is_ascii_lowercase());
    if !is_element(&lower) || (name != lower && !upper_ok) {
        return None;
    }
    let glued = prev.is_some_and(|c| c.is_alphanumeric() || c == '_');
    if glued && !closing && !is_glued_element(&lower) {
        return None;
    }
    let rest = &s[name_start + name_len..];
    let end = if let Some(after) = rest.strip_prefix('>') {
        // "the <p> tag" is about HTML, not HTML.
        let next_word = after
            .trim_start()
            .split(|c: char| !c.is_alphanumeric())
            .next();
        if matches!(next_word, Some("tag" | "tags" | "element" | "elements")) {
            return None;
        }
        1
    } else if rest.starts_with("/>") && !closing {
        2
    } else if rest.starts_with([' ', '\t']) {
        let close = rest.get(..rest.len().min(300))?.find('>')?;
        let attrs = rest[..close].trim();
        let attrs = attrs.strip_suffix('/').unwrap_or(attrs).trim_end();
        let ok = if closing {
            attrs.is_empty()
        } else {
            (attrs.is_empty() || attrs.contains('=')) && !attrs.contains(['<', '\n'])
        };
        if !ok {
            return None;
        }
        close + 1
    } else {
        return None;
    };
    Some((name_start + name_len + end, lower))
}

/// Where a phrase of `phrases` starts at `pos`: its end, when the text
/// there reads as the phrase (ASCII case ignored, `’` as `'`) and the
/// phrase ends at a word boundary.
fn phrase_at<'p>(value: &str, pos: usize, phrases: &'p [String]) -> Option<(usize, &'p str)> {
    let rest = value.get(pos..)?;
    let first = *rest.as_bytes().first()?;
    phrases.iter().find_map(|phrase| {
        // Most phrases differ at the first letter: no decoding for them.
        if !phrase.as_bytes().first()?.eq_ignore_ascii_case(&first) {
            return None;
        }
        let mut text = rest.char_indices();
        let mut end = 0;
        for p in phrase.chars() {
            let (i, c) = text.next()?;
            let same =
                c.eq_ignore_ascii_case(&p) || (matches!(c, '\'' | '’') && matches!(p, '\'' | '’'));
            if !same {
                return None;
            }
            end = i + c.len_utf8();
        }
        let boundary = !phrase.ends_with(char::is_alphanumeric)
            || !rest[end..].starts_with(char::is_alphanumeric);
        (boundary && !phrase.is_empty()).then_some((pos + end, phrase.as_str()))
    })
}

/// The range of the run of characters from `start` for which `keep` holds.
fn run_end(value: &str, start: usize, keep: impl Fn(char) -> bool) -> usize {
    value[start..]
        .char_indices()
        .find(|(_, c)| !keep(*c))
        .map_or(value.len(), |(i, _)| start + i)
}

fn plural(n: usize, one: &str) -> String {
    if n == 1 {
        format!("a {one}")
    } else {
        format!("{n} {one}s")
    }
}

fn fix(
    applicability: Applicability,
    message: &str,
    replacement: impl Into<String>,
) -> Option<ValueFix> {
    Some(ValueFix {
        applicability,
        message: message.to_owned(),
        replacement: replacement.into(),
    })
}

/// Bytes that need no look: ASCII letters and digits.
static BORING: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    table
};

/// Whether `lorem` (any case) starts at byte `i`.
fn starts_lorem(bytes: &[u8], i: usize) -> bool {
    bytes
        .get(i..i + 5)
        .is_some_and(|w| w.eq_ignore_ascii_case(b"lorem"))
}

/// Scans `value`, pushing what it finds to `out`. `what` names the value
/// in messages ("the title", "tag `MINING`").
///
/// The loop walks bytes: an ASCII letter, digit or single inner space costs
/// one comparison; the character before or after a candidate is decoded
/// only when a candidate is looked at.
pub(crate) fn scan(
    value: &str,
    what: &What<'_>,
    cfg: &Text,
    phrase_firsts: u128,
    out: &mut Vec<Hit>,
) {
    placeholder(value, what, cfg, out);
    let bytes = value.as_bytes();
    let blank = value.trim().is_empty();
    let mut in_code = false;
    let mut sentence_start = true;
    let mut phrase_found = false;
    if starts_lorem(bytes, 0) {
        lorem(value, 0, what, out);
    }
    let mut i = 0;
    while i < bytes.len() {
        if !sentence_start {
            // The hot loop: letters and digits of ordinary words.
            match bytes[i..].iter().position(|&b| !BORING[usize::from(b)]) {
                Some(skip) => i += skip,
                None => break,
            }
        }
        let b = bytes[i];
        if sentence_start && b != b' ' {
            sentence_start = false;
            // A quoted sentence is someone's words, never the model's aside.
            let quoted = matches!(b, b'"' | b'\'') || value[i..].starts_with(['“', '‘', '«', '„']);
            let may_start_phrase = phrase_firsts & first_byte_bit(b) != 0;
            if !phrase_found
                && !quoted
                && may_start_phrase
                && !is_space_like(value[i..].chars().next().unwrap_or(' '))
            {
                if let Some((end, phrase)) = phrase_at(value, i, &cfg.model_phrases) {
                    phrase_found = true;
                    out.push(Hit::new(
                        Kind::ModelPhrase,
                        i..end,
                        format!(
                            "{what} reads like a language model talking about itself (\"{phrase}\")"
                        ),
                        "write the text itself; the model's reply around it was published by mistake",
                    ));
                }
            } else if is_space_like(value[i..].chars().next().unwrap_or(' ')) {
                sentence_start = true;
            }
            if BORING[usize::from(b)] {
                i += 1;
                continue;
            }
        }
        if b == b' '
            && i > 0
            && bytes.get(i + 1).is_some_and(|&n| n.is_ascii_graphic())
            && bytes[i - 1] != b' '
            && bytes[i - 1] != b'\n'
        {
            // An ordinary space between words; a word may open lorem ipsum.
            if starts_lorem(bytes, i + 1) {
                if let Some(end) = lorem(value, i + 1, what, out) {
                    i = end;
                    continue;
                }
            }
            i += 1;
            continue;
        }
        let Some(c) = value[i..].chars().next() else {
            break;
        };
        let prev = || value[..i].chars().next_back();
        let next = || value[i + c.len_utf8()..].chars().next();
        let end = match c {
            '`' => {
                // Only a closed pair of backticks is code; a stray one is text.
                in_code = !in_code && value[i + 1..].contains('`');
                None
            }
            '.' | '!' | '?' | '…' | ':' => {
                sentence_start = next().is_some_and(|n| n == ' ' || n == '\n');
                None
            }
            '\n' => {
                sentence_start = true;
                None
            }
            '{' | '$' => template(value, i, what, out),
            '&' if !in_code => entity_hit(value, i, what, out),
            '<' if !in_code => tag_hit(value, i, prev(), what, out),
            c if is_space_like(c) && !blank => whitespace(value, i, prev(), what, out),
            c if is_control(c) => control(value, i, c, what, out),
            c if invisible_name(c).is_some() => invisible(value, i, c, prev(), next(), what, out),
            c if !c.is_ascii() => mojibake(value, i, what, out),
            _ => None,
        };
        i = end.unwrap_or(i + c.len_utf8()).max(i + 1);
        while !value.is_char_boundary(i) {
            i += 1;
        }
    }
}

fn placeholder(value: &str, what: &What<'_>, cfg: &Text, out: &mut Vec<Hit>) {
    let trimmed = value.trim();
    let start = value.len() - value.trim_start().len();
    // A writer's note left in the text: `TODO: headline`, `TBD: …`.
    if let Some(note) = ["TODO:", "TBD:", "FIXME:", "TK:"]
        .iter()
        .find(|n| trimmed.starts_with(**n))
    {
        let end = start + note.len() - 1;
        out.push(Hit::new(
            Kind::Placeholder,
            start..end,
            format!("{what} starts with the writer's note `{note}`: it is a placeholder"),
            "write the real text and remove the note",
        ));
        return;
    }
    if trimmed.is_empty() || trimmed.len() > 40 {
        return;
    }
    let Some(p) = cfg.placeholders.iter().find(|p| {
        p.eq_ignore_ascii_case(trimmed)
            || (!p.is_ascii() && p.to_lowercase() == trimmed.to_lowercase())
    }) else {
        return;
    };
    out.push(Hit::new(
        Kind::Placeholder,
        start..start + trimmed.len(),
        format!("{what} is the placeholder `{trimmed}`, not text"),
        format!(
            "write the real text (`{p}` is in `text.placeholders`); the feed or the pipeline left it empty"
        ),
    ));
}

fn lorem(value: &str, i: usize, what: &What<'_>, out: &mut Vec<Hit>) -> Option<usize> {
    let candidate = value.get(i..i + 11)?;
    if !candidate.eq_ignore_ascii_case("lorem ipsum")
        || out.iter().any(|h| h.kind == Kind::Placeholder)
    {
        return None;
    }
    out.push(Hit::new(
        Kind::Placeholder,
        i..i + 11,
        format!("{what} holds placeholder text (`{candidate}`)"),
        "write the real text; lorem ipsum is a layout filler",
    ));
    Some(i + 11)
}

fn template(value: &str, i: usize, what: &What<'_>, out: &mut Vec<Hit>) -> Option<usize> {
    let rest = &value[i..];
    let (open, close) = if rest.starts_with("{{") {
        ("{{", "}}")
    } else if rest.starts_with("${") {
        ("${", "}")
    } else if rest.starts_with("{%") {
        ("{%", "%}")
    } else {
        return None;
    };
    let inner_end = rest[open.len()..]
        .get(..rest.len().min(80) - open.len())?
        .find(close)?;
    let inner = &rest[open.len()..open.len() + inner_end];
    let ident = inner.trim();
    if ident.is_empty()
        || !ident
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | ' ' | '|' | '-'))
    {
        return None;
    }
    let end = i + open.len() + inner_end + close.len();
    if out
        .iter()
        .any(|h| h.kind == Kind::Placeholder && h.range.start <= i)
    {
        return Some(end);
    }
    out.push(Hit::new(
        Kind::Placeholder,
        i..end,
        format!(
            "{what} holds an unfilled template field `{}`",
            &value[i..end]
        ),
        "the template was published before it was filled in: write the real text",
    ));
    Some(end)
}

fn entity_hit(value: &str, i: usize, what: &What<'_>, out: &mut Vec<Hit>) -> Option<usize> {
    let (len, decoded) = entity_at(&value[i..])?;
    let raw = &value[i..i + len];
    let shown = match decoded.as_str() {
        "" => "nothing (an invisible character)".to_owned(),
        " " => "a space".to_owned(),
        d => format!("`{d}`"),
    };
    out.push(
        Hit::new(
            Kind::HtmlEntity,
            i..i + len,
            format!("{what} holds the HTML entity `{raw}`, shown to readers as is"),
            format!("write the character it stands for: {shown}"),
        )
        .with_fix(fix(
            Applicability::Safe,
            &format!("Decode `{raw}`"),
            decoded,
        )),
    );
    Some(i + len)
}

fn tag_hit(
    value: &str,
    i: usize,
    prev: Option<char>,
    what: &What<'_>,
    out: &mut Vec<Hit>,
) -> Option<usize> {
    let (len, name) = tag_at(&value[i..], prev)?;
    let end = i + len;
    let raw = &value[i..end];
    let replacement = if name == "!--" {
        Some("")
    } else {
        tag_replacement(&name)
    };
    let mut hit = Hit::new(
        Kind::HtmlTag,
        i..end,
        format!("{what} holds the HTML tag `{raw}`, shown to readers as is"),
        "remove the markup; titles, descriptions and tags are plain text",
    );
    if let Some(r) = replacement {
        // A break becomes a space only between two words.
        let next = value[end..].chars().next();
        let spaced = |c: Option<char>| c.is_none_or(char::is_whitespace);
        let r = if r == " " && (spaced(prev) || spaced(next)) {
            ""
        } else {
            r
        };
        hit = hit.with_fix(fix(Applicability::Unsafe, &format!("Remove `{raw}`"), r));
    }
    out.push(hit);
    Some(end)
}

fn whitespace(
    value: &str,
    i: usize,
    prev: Option<char>,
    what: &What<'_>,
    out: &mut Vec<Hit>,
) -> Option<usize> {
    let end = run_end(value, i, is_space_like);
    let run = &value[i..end];
    let n = run.chars().count();
    let after = value[end..].chars().next();
    if prev == Some('\n') || after == Some('\n') {
        // Inside a block scalar the line's own layout is YAML's business.
        return Some(end);
    }
    let (message, help, replacement, fix_message) = if prev.is_none() {
        (
            "leading",
            "remove the whitespace at the start",
            "",
            "Remove the leading whitespace",
        )
    } else if after.is_none() {
        (
            "trailing",
            "remove the whitespace at the end",
            "",
            "Remove the trailing whitespace",
        )
    } else if n >= 2 && !run.chars().all(|c| c == '\u{3000}') {
        ("doubled", "write one space", " ", "Write one space")
    } else {
        if run == "\u{a0}"
            && prev.is_some_and(char::is_alphabetic)
            && after.is_some_and(char::is_alphanumeric)
        {
            out.push(
                Hit::new(
                    Kind::NonBreakingSpace,
                    i..end,
                    format!("{what} has a non-breaking space (U+00A0) between two words"),
                    "write a plain space; a non-breaking space glues the words and breaks search and wrapping",
                )
                .with_fix(fix(Applicability::Safe, "Write a plain space", " ")),
            );
        }
        return Some(end);
    };
    let chars = if run.chars().all(|c| c == ' ') {
        plural(n, "space")
    } else {
        plural(n, "whitespace character")
    };
    out.push(
        Hit::new(
            Kind::Whitespace,
            i..end,
            format!("{what} has {message} whitespace ({chars})"),
            help,
        )
        .with_fix(fix(Applicability::Safe, fix_message, replacement)),
    );
    Some(end)
}

fn control(value: &str, i: usize, c: char, what: &What<'_>, out: &mut Vec<Hit>) -> Option<usize> {
    if c == '\r' && value[i + 1..].starts_with('\n') {
        return None;
    }
    if let Some((meant, name)) = lost_high_byte(c) {
        let end = i + c.len_utf8();
        out.push(
            Hit::new(
                Kind::Control,
                i..end,
                format!(
                    "{what} has the control character U+{:04X} where {name} (`{meant}`) was: the feed dropped its high byte",
                    u32::from(c)
                ),
                format!("write `{meant}`"),
            )
            .with_fix(fix(Applicability::Safe, &format!("Write `{meant}`"), meant.to_string())),
        );
        return Some(end);
    }
    let end = run_end(value, i, |c| {
        is_control(c) && lost_high_byte(c).is_none() && c != '\r'
    });
    let end = end.max(i + c.len_utf8());
    let run = &value[i..end];
    let n = run.chars().count();
    let (message, replacement) = if run.chars().all(|c| c == '\t') {
        (plural(n, "tab"), " ")
    } else {
        let code = format!("U+{:04X}", u32::from(c));
        (
            if n == 1 {
                format!("the control character {code}")
            } else {
                format!("{n} control characters from {code} on")
            },
            "",
        )
    };
    out.push(
        Hit::new(
            Kind::Control,
            i..end,
            format!("{what} has {message}, invisible or garbled for readers"),
            if replacement.is_empty() {
                "remove it"
            } else {
                "write a space"
            },
        )
        .with_fix(fix(
            Applicability::Safe,
            "Remove the control characters",
            replacement,
        )),
    );
    Some(end)
}

fn invisible(
    value: &str,
    i: usize,
    c: char,
    prev: Option<char>,
    next: Option<char>,
    what: &What<'_>,
    out: &mut Vec<Hit>,
) -> Option<usize> {
    if matches!(c, '\u{200c}' | '\u{200d}') && joiner_in_use(prev, next) {
        return None;
    }
    let name = invisible_name(c)?;
    let end = run_end(value, i, |x| x == c);
    let n = value[i..end].chars().count();
    let message = if n == 1 {
        format!("{what} has an invisible {name}")
    } else {
        format!("{what} has {n} invisible characters: {name}")
    };
    out.push(
        Hit::new(
            Kind::Invisible,
            i..end,
            message,
            "remove it: readers cannot see it, but search, sorting and comparisons do",
        )
        .with_fix(fix(
            Applicability::Safe,
            "Remove the invisible characters",
            "",
        )),
    );
    Some(end)
}

fn mojibake(value: &str, i: usize, what: &What<'_>, out: &mut Vec<Hit>) -> Option<usize> {
    let mut end = i;
    let mut repaired = String::new();
    while let Some((c, len)) = mojibake_at(&value[end..]) {
        repaired.push(c);
        end += len;
    }
    if repaired.is_empty() {
        // `â€` then no third byte: a curly quote whose last byte was lost.
        let rest = &value[i..];
        if rest.starts_with("â€")
            && !rest["â€".len()..]
                .starts_with(|c: char| cp1252_byte(c).is_some_and(|b| (0x80..=0xBF).contains(&b)))
        {
            let end = i + "â€".len();
            out.push(Hit::new(
                Kind::Mojibake,
                i..end,
                format!("{what} has `â€`, a quote or dash garbled by a wrong encoding (UTF-8 read as Windows-1252) whose last byte was lost"),
                "write the quote or dash that was meant",
            ));
            return Some(end);
        }
        return None;
    }
    let ideograms = repaired.chars().filter(|c| is_ideogram(*c)).count();
    if ideograms > 0 && repaired.chars().count() < 2 {
        return None;
    }
    let raw = &value[i..end];
    out.push(
        Hit::new(
            Kind::Mojibake,
            i..end,
            format!("{what} has `{raw}`, `{repaired}` garbled by a wrong encoding (UTF-8 read as Windows-1252)"),
            format!("write `{repaired}`"),
        )
        .with_fix(fix(Applicability::Unsafe, &format!("Write `{repaired}`"), repaired.clone())),
    );
    Some(end)
}

/// The value with every safe whitespace and invisible-character repair
/// applied, to ask whether those were all that is wrong with it.
pub(crate) fn cleaned(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if is_control(c) || invisible_name(c).is_some() {
            continue;
        }
        let c = if is_space_like(c) { ' ' } else { c };
        if c == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(c);
    }
    let len = out.trim_end().len();
    out.truncate(len);
    out
}

/// Whether `r` is a byte range of whitespace at either edge of `value`.
pub(crate) fn at_edge(value: &str, r: &Range<usize>) -> bool {
    r.start == 0 || r.end == value.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(value: &str) -> Vec<(Kind, String)> {
        let mut out = Vec::new();
        let cfg = Text::default();
        let firsts = cfg
            .model_phrases
            .iter()
            .filter_map(|p| p.bytes().next())
            .fold(0, |m, b| m | first_byte_bit(b));
        scan(
            value,
            &What(super::super::Field::Title, value),
            &cfg,
            firsts,
            &mut out,
        );
        out.into_iter()
            .map(|h| (h.kind, value[h.range].to_owned()))
            .collect()
    }

    #[test]
    fn legitimate_text_is_clean() {
        for v in [
            "CoreWeave shows how crypto-era infrastructure quietly became AI’s backbone",
            "Україна запускає пілот цифрової гривні — що це означає для ринку",
            "比特币突破十万美元大关",
            "비트코인 가격 급등",
            "Family 👨‍👩‍👧 crypto night ❤️ and 🏳️‍🌈 flags",
            "می‌خواهم بیت‌کوین بخرم",
            "क्रिप्टो बाज़ार में तेज़ी",
            "Why Rust’s Vec<T> and Option<String> matter for Array<object> wallets",
            "Is a < b? Fans <3 the #1 coin",
            "AT&T, R&D and M&A: telecoms buy miners",
            "“Quoted” — and ‘single’ quotes… fine",
            "Bitcoin ETF sees $1.2B inflows in Q3 2026",
            "Café owners in São Paulo accept Dogecoin",
            "ÉTÉ: «Les mineurs» déménagent",
            "DOGE-BTC pair hits 10 000 sats",
            "Null and void: court rules crypto contract unenforceable",
            "How the <p> tag broke our feed",
            "Straße Ökonomie Ærø Ñandú ÎLE",
            "10\u{a0}km from the mine, 5\u{a0}% down",
            "Keycap 1\u{fe0f}\u{20e3}, 🇺🇦 flag and 👍🏽 from the miners",
            "М’ясо, пам'ять і сім’я: біткоїн у селі",
            "البيتكوين\u{200e} 2026 يرتفع",
            "Option<&str>, HashMap<K, V> and Box<dyn Fn()> in C++ <vector> style",
            "Price <= $100 or a <-> swap, x<y and y>z",
            "R&D; costs, Tom & Jerry & co. and &copy without a semicolon",
            "Mail <john@example.com> for the TODO list",
            "Bitcoin falls 5% — analysts say ‘no panic’ at 3 p.m.",
            "Here’s what to know about the halving",
            "As AI demand grows, miners sure are happy",
            "“Let me know if you see a bottom,” a trader says. “I hope this helps.”",
        ] {
            assert_eq!(kinds(v), vec![], "{v}");
        }
    }

    #[test]
    fn defects_are_found_on_their_characters() {
        let cases: &[(&str, Kind, &str)] = &[
            ("ETHâ€™s rally", Kind::Mojibake, "â€™"),
            ("CafÃ© owners", Kind::Mojibake, "Ã©"),
            ("Rocket ðŸš€ launch", Kind::Mojibake, "ðŸš€"),
            ("Ð‘Ð¸Ñ‚ÐºÐ¾Ð¸Ð½ rally", Kind::Mojibake, "Ð‘Ð¸Ñ‚ÐºÐ¾Ð¸Ð½"),
            ("ETH&#8217;s rally", Kind::HtmlEntity, "&#8217;"),
            ("Q&amp;A with miners", Kind::HtmlEntity, "&amp;"),
            ("Miners&nbsp;pivot", Kind::HtmlEntity, "&nbsp;"),
            ("<p>Miners pivot", Kind::HtmlTag, "<p>"),
            ("Miners pivot</a>", Kind::HtmlTag, "</a>"),
            ("Miners<br>pivot", Kind::HtmlTag, "<br>"),
            (
                "Miners <a href=\"https://x.y\">pivot",
                Kind::HtmlTag,
                "<a href=\"https://x.y\">",
            ),
            ("ETH\u{19}s rally", Kind::Control, "\u{19}"),
            ("ETH\u{7}s rally", Kind::Control, "\u{7}"),
            (
                "\u{200b}\u{200b}Miners pivot",
                Kind::Invisible,
                "\u{200b}\u{200b}",
            ),
            ("Miners\u{200d} pivot", Kind::Invisible, "\u{200d}"),
            ("Miners \u{202e}pivot", Kind::Invisible, "\u{202e}"),
            ("Miners\u{a0}pivot", Kind::NonBreakingSpace, "\u{a0}"),
            ("Miners  pivot", Kind::Whitespace, "  "),
            (" Miners pivot", Kind::Whitespace, " "),
            ("Miners pivot ", Kind::Whitespace, " "),
            ("undefined", Kind::Placeholder, "undefined"),
            ("[object Object]", Kind::Placeholder, "[object Object]"),
            ("Miners Lorem ipsum dolor", Kind::Placeholder, "Lorem ipsum"),
            ("{{title}}", Kind::Placeholder, "{{title}}"),
            (
                "Sure! Here is a rewritten title",
                Kind::ModelPhrase,
                "Sure! Here",
            ),
            (
                "Miners pivot. I hope this helps!",
                Kind::ModelPhrase,
                "I hope this helps",
            ),
            (
                "As an AI language model, I can't",
                Kind::ModelPhrase,
                "As an AI language model",
            ),
            (
                "Certainly! Here’s a rewritten title",
                Kind::ModelPhrase,
                "Certainly! Here",
            ),
            ("Miners pivot\u{a0}", Kind::Whitespace, "\u{a0}"),
            ("\u{feff}Miners pivot", Kind::Invisible, "\u{feff}"),
            ("Bitcoin\u{200b}news", Kind::Invisible, "\u{200b}"),
            (
                "Miners <img src=\"x.jpg\"/> pivot",
                Kind::HtmlTag,
                "<img src=\"x.jpg\"/>",
            ),
            ("Miners <strong>pivot", Kind::HtmlTag, "<strong>"),
            ("AT&amp;T buys miners", Kind::HtmlEntity, "&amp;"),
            ("ETH&#x2019;s rally", Kind::HtmlEntity, "&#x2019;"),
            ("ETH&#146;s rally", Kind::HtmlEntity, "&#146;"),
            ("â€œQuoted miners", Kind::Mojibake, "â€œ"),
            ("Quoted miners â€\u{fffd}", Kind::Mojibake, "â€"),
            ("NaN", Kind::Placeholder, "NaN"),
            ("TODO: write the headline", Kind::Placeholder, "TODO"),
            ("Bitcoin`s rally &amp; more", Kind::HtmlEntity, "&amp;"),
        ];
        for (value, kind, span) in cases {
            let found = kinds(value);
            assert_eq!(found, vec![(*kind, (*span).to_owned())], "{value:?}");
        }
    }
}
