//! `body/language-mismatch`.

use whatlang::{Lang, Script};

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{FileContext, Rule, RuleMeta};

declare_rule! {
    /// The body is not written in the article's `lang`.
    ///
    /// ## Why is this bad?
    ///
    /// A translation pipeline that fails quietly publishes the original
    /// text under the translation's language: a `lang: uk` article with an
    /// English body. Readers of the Ukrainian edition get English, search
    /// engines index the page under the wrong language, and the missing
    /// translation goes unnoticed.
    ///
    /// The body's prose (headings, paragraphs and lists; not code, HTML or
    /// addresses) is read up to its first few hundred words. Bodies with
    /// fewer than 200 letters are too short to tell and are skipped. A body
    /// in another script than the language's (Latin under `uk`, Cyrillic
    /// under `en`) is reported; within one script the language is
    /// identified with the `whatlang` trigram model and reported only when
    /// the identification is reliable and the language is not a close
    /// relative of `lang` that the model confuses with it (Ukrainian and
    /// Russian, Spanish and Portuguese, the Scandinavian languages, …). A
    /// `lang` the model does not know is not checked.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// lang: uk
    /// ---
    /// The landscape of data centers is undergoing a significant transformation as
    /// former cryptocurrency miners pivot towards providing computing resources for
    /// artificial intelligence. This shift highlights how the infrastructure built
    /// for crypto mining is now becoming integral to AI operations.
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// lang: uk
    /// ---
    /// Ринок дата-центрів переживає значну трансформацію: колишні криптомайнери
    /// переходять до надання обчислювальних потужностей для штучного інтелекту. Цей
    /// зсув показує, як інфраструктура, побудована для майнінгу, стає невід'ємною
    /// частиною роботи ШІ.
    /// ```
    ///
    /// ## Fix
    ///
    /// Translate the body (or run the translation again), or correct `lang`
    /// if the body is right and the tag is wrong. There is no automatic fix.
    pub struct LanguageMismatch {
        code: "body/language-mismatch",
        severity: Warning,
        fix: None,
    }
}

/// Letters below which a body is too short to tell its language.
const MIN_LETTERS: usize = 200;

/// Bytes of prose read: enough for a reliable answer, bounded per file.
const SAMPLE_BYTES: usize = 1500;

/// Share of words that are the declared language's commonest function
/// words above which the body is taken to be in that language without
/// running the model (real prose: 15–35%; another language: under 5%).
const FUNCTION_WORD_SHARE: f64 = 0.08;

/// A language `lang` may name: its `whatlang` model, the scripts it is
/// written in, and its commonest function words (for the fast path).
struct Known {
    code: &'static str,
    lang: Lang,
    scripts: &'static [Script],
    function_words: &'static [&'static str],
}

const LATIN: &[Script] = &[Script::Latin];
const CYRILLIC: &[Script] = &[Script::Cyrillic];

macro_rules! known {
    ($($code:literal => $lang:ident, $scripts:expr, [$($w:literal),*]);* $(;)?) => {
        &[$(Known { code: $code, lang: Lang::$lang, scripts: $scripts, function_words: &[$($w),*] }),*]
    };
}

/// The languages checked, by ISO 639-1 code.
static KNOWN: &[Known] = known! {
    "en" => Eng, LATIN, ["the", "and", "of", "to", "in", "is", "that", "for", "it", "with", "as", "on", "are", "this", "by", "be", "from", "at", "an", "was", "has", "have", "its", "which", "their", "will"];
    "uk" => Ukr, CYRILLIC, ["і", "в", "на", "що", "з", "до", "у", "не", "для", "як", "та", "це", "за", "від", "про", "які", "але", "а", "й", "із", "його", "також"];
    "ru" => Rus, CYRILLIC, ["и", "в", "на", "что", "с", "не", "по", "для", "как", "это", "из", "к", "о", "от", "за", "а", "но", "его", "также"];
    "de" => Deu, LATIN, ["der", "die", "und", "in", "den", "von", "zu", "das", "mit", "sich", "des", "auf", "für", "ist", "im", "dem", "nicht", "ein", "eine", "als", "auch", "es", "werden", "aus", "hat", "dass"];
    "fr" => Fra, LATIN, ["de", "la", "le", "et", "les", "des", "en", "un", "du", "une", "que", "est", "pour", "qui", "dans", "par", "plus", "pas", "au", "sur", "ne", "se"];
    "es" => Spa, LATIN, ["de", "la", "que", "el", "en", "y", "a", "los", "del", "se", "las", "por", "un", "para", "con", "no", "una", "su", "al", "es", "lo", "como", "más"];
    "pt" => Por, LATIN, ["de", "a", "o", "que", "e", "do", "da", "em", "um", "para", "é", "com", "não", "uma", "os", "no", "se", "na", "por", "mais", "as", "dos"];
    "it" => Ita, LATIN, ["di", "e", "il", "la", "che", "a", "per", "in", "un", "è", "del", "non", "una", "le", "della", "si", "da", "i", "con", "sono", "al"];
    "nl" => Nld, LATIN, ["de", "het", "een", "en", "van", "in", "is", "dat", "op", "te", "voor", "met", "zijn", "niet", "die", "er", "aan", "ook", "als"];
    "pl" => Pol, LATIN, ["i", "w", "na", "z", "się", "nie", "do", "to", "że", "jest", "o", "jak", "po", "co", "a", "od", "za", "dla"];
    "tr" => Tur, LATIN, ["ve", "bir", "bu", "da", "de", "için", "ile", "olarak", "çok", "daha", "gibi", "olan"];
    "zh" => Cmn, &[Script::Mandarin], [];
    "ja" => Jpn, &[Script::Hiragana, Script::Katakana, Script::Mandarin], [];
    "ko" => Kor, &[Script::Hangul], [];
    "ar" => Ara, &[Script::Arabic], [];
    "fa" => Pes, &[Script::Arabic], [];
    "ur" => Urd, &[Script::Arabic], [];
    "he" => Heb, &[Script::Hebrew], [];
    "hi" => Hin, &[Script::Devanagari], [];
    "el" => Ell, &[Script::Greek], [];
    "bg" => Bul, CYRILLIC, [];
    "be" => Bel, CYRILLIC, [];
    "mk" => Mkd, CYRILLIC, [];
    "sr" => Srp, &[Script::Cyrillic, Script::Latin], [];
    "vi" => Vie, LATIN, [];
    "id" => Ind, LATIN, [];
    "th" => Tha, &[Script::Thai], [];
    "cs" => Ces, LATIN, [];
    "sk" => Slk, LATIN, [];
    "ro" => Ron, LATIN, [];
    "hu" => Hun, LATIN, [];
    "sv" => Swe, LATIN, [];
    "da" => Dan, LATIN, [];
    "nb" => Nob, LATIN, [];
    "no" => Nob, LATIN, [];
    "fi" => Fin, LATIN, [];
    "hr" => Hrv, LATIN, [];
    "sl" => Slv, LATIN, [];
    "lt" => Lit, LATIN, [];
    "lv" => Lav, LATIN, [];
    "et" => Est, LATIN, [];
    "ca" => Cat, LATIN, [];
    "ka" => Kat, &[Script::Georgian], [];
    "hy" => Hye, &[Script::Armenian], [];
    "az" => Aze, &[Script::Latin, Script::Cyrillic], [];
    "uz" => Uzb, &[Script::Latin, Script::Cyrillic], [];
};

/// Languages the model confuses with each other: a body identified as a
/// close relative of `lang` is not reported.
const RELATIVES: &[&[Lang]] = &[
    &[
        Lang::Ukr,
        Lang::Rus,
        Lang::Bel,
        Lang::Bul,
        Lang::Mkd,
        Lang::Srp,
    ],
    &[Lang::Spa, Lang::Por, Lang::Cat, Lang::Ita],
    &[Lang::Nob, Lang::Dan, Lang::Swe],
    &[Lang::Hrv, Lang::Srp, Lang::Slv],
    &[Lang::Ces, Lang::Slk],
    &[Lang::Hin, Lang::Mar, Lang::Nep],
    &[Lang::Urd, Lang::Pes, Lang::Ara],
    &[Lang::Cmn, Lang::Jpn],
    &[Lang::Ind, Lang::Jav, Lang::Tgl],
    &[Lang::Afr, Lang::Nld],
    &[Lang::Heb, Lang::Yid],
];

fn related(a: Lang, b: Lang) -> bool {
    a == b || RELATIVES.iter().any(|g| g.contains(&a) && g.contains(&b))
}

/// Bytes of prose read first: most bodies are confirmed in their language
/// by this much alone.
const QUICK_BYTES: usize = 400;

/// Words of the quick sample below which it cannot confirm anything.
const QUICK_WORDS: usize = 40;

/// The body's prose, up to `max` bytes: fenced code, indented code, HTML
/// lines, link targets and inline code left out.
fn prose(body: &str, max: usize) -> String {
    let mut out = String::new();
    let mut fence: Option<&str> = None;
    for line in body.lines() {
        let trimmed = line.trim_start();
        if let Some(f) = fence {
            if trimmed.starts_with(f) {
                fence = None;
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
            continue;
        }
        if line.starts_with("    ") || line.starts_with('\t') || trimmed.starts_with('<') {
            continue;
        }
        push_prose(&mut out, trimmed);
        out.push('\n');
        if out.len() >= max {
            break;
        }
    }
    out
}

/// Appends a line's words: without inline code, URLs or link targets.
fn push_prose(out: &mut String, line: &str) {
    let bytes = line.as_bytes();
    let end = bytes.len();
    // Where the next `` ` ``, `]` or `(`, and the next `http`, are (or
    // the end): each found once and kept until passed, so that a line of
    // many of one is still read once. ASCII bytes are never inside a
    // character: a byte search finds what a search for them would.
    let next_special =
        |from: usize| memchr::memchr3(b'`', b']', b'(', &bytes[from..]).map_or(end, |i| from + i);
    let next_http =
        |from: usize| memchr::memmem::find(&bytes[from..], b"http").map_or(end, |i| from + i);
    let (mut special, mut http) = (next_special(0), next_http(0));
    let mut at = 0;
    while at < end {
        if special < at {
            special = next_special(at);
        }
        if http < at {
            http = next_http(at);
        }
        let cut = special.min(http);
        out.push_str(&line[at..cut]);
        at = cut;
        let rest = &line[at..];
        let skip_to = |s: &str, end: char| s[1..].find(end).map_or(s.len(), |i| i + 2);
        if rest.starts_with('`') {
            at += skip_to(rest, '`');
        } else if rest.starts_with("](") || rest.starts_with("(http") {
            at += skip_to(rest, ')');
        } else if rest.starts_with("http://") || rest.starts_with("https://") {
            at += rest.find(char::is_whitespace).unwrap_or(rest.len());
        } else if let Some(c) = rest.chars().next() {
            out.push(c);
            at += c.len_utf8();
        }
    }
}

/// A language's function words (lowercase), with the table their short
/// ASCII ones are looked up in, built once per language.
struct FunctionWords<'a> {
    words: &'a [&'a str],
    packed: PackedSet,
}

impl<'a> FunctionWords<'a> {
    fn new(words: &'a [&'a str]) -> Self {
        FunctionWords {
            words,
            packed: PackedSet::of(words),
        }
    }
}

/// The function words of each of [`KNOWN`], in its order.
static FUNCTION_WORDS: std::sync::LazyLock<Vec<FunctionWords<'static>>> =
    std::sync::LazyLock::new(|| {
        KNOWN
            .iter()
            .map(|k| FunctionWords::new(k.function_words))
            .collect()
    });

/// How many of `text`'s words there are, and how many are function words.
fn function_words(text: &str, function: &FunctionWords<'_>) -> (usize, usize) {
    // Short ASCII words (most of them) compare as one integer each: this
    // runs on every article's opening words.
    let (words, packed) = (function.words, &function.packed);
    let (mut total, mut hits) = (0usize, 0usize);
    let mut lower = String::new();
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        total += 1;
        // Function words are short: longer words need no comparing.
        if word.len() > 12 {
            continue;
        }
        // The word is a slice of `text`: its eight bytes are read from there.
        let at = word.as_ptr() as usize - text.as_ptr() as usize;
        let tail = text.as_bytes().get(at..).unwrap_or_default();
        let hit = if let Some(p) = packed_lowercase(word, tail) {
            packed.contains(p)
        } else if word.is_ascii() {
            words.iter().any(|w| w.eq_ignore_ascii_case(word))
        } else {
            lower.clear();
            lower.extend(word.chars().flat_map(char::to_lowercase));
            words.contains(&lower.as_str())
        };
        hits += usize::from(hit);
    }
    (total, hits)
}

/// Packed function words (see [`packed_lowercase`]) in a small open
/// hash table: most words are not function words, and a lookup reads two
/// slots, without a branch on what they hold, instead of comparing with
/// each function word.
struct PackedSet {
    table: [u64; SLOTS],
    /// Whether a word sits further than the slot after its own (never,
    /// for the built-in lists: a test checks it): then lookups probe on.
    far: bool,
}

const SLOTS: usize = 128;

impl PackedSet {
    fn of(words: &[&str]) -> Self {
        let mut set = PackedSet {
            table: [0; SLOTS],
            far: false,
        };
        for p in words
            .iter()
            .filter_map(|w| packed_lowercase(w, w.as_bytes()))
        {
            // The first slot from its own that is free or holds it.
            let at = |k: usize| (Self::slot(p) + k) % SLOTS;
            let found =
                (0..SLOTS).find(|&k| matches!(set.table[at(k)], 0) || set.table[at(k)] == p);
            if let Some(k) = found {
                set.table[at(k)] = p;
                set.far |= k > 1;
            }
        }
        set
    }

    fn slot(p: u64) -> usize {
        (p.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 57) as usize
    }

    /// Whether `p` is in the set (a packed word is never 0, the empty
    /// slot).
    fn contains(&self, p: u64) -> bool {
        let h = Self::slot(p);
        let near = (self.table[h] == p) | (self.table[(h + 1) % SLOTS] == p);
        near || (self.far && self.table.contains(&p))
    }
}

/// An ASCII word of at most eight bytes, lowercased, as one integer (no
/// word holds a zero byte, so the padding tells lengths apart). `tail` is
/// what follows the word's start: when it holds eight bytes they are read
/// at once, and those past the word masked off.
fn packed_lowercase(word: &str, tail: &[u8]) -> Option<u64> {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    let len = word.len();
    if len == 0 || len > 8 {
        return None;
    }
    let v = match tail.get(..8).and_then(|b| <[u8; 8]>::try_from(b).ok()) {
        Some(eight) => u64::from_le_bytes(eight) & (u64::MAX >> (64 - 8 * len)),
        None => word.bytes().rev().fold(0, |v, b| v << 8 | u64::from(b)),
    };
    if v & (0x80 * ONES) != 0 {
        return None;
    }
    // All eight bytes lowercased at once: a byte's top bit after adding
    // 0x3f says it is at least `A`, after adding 0x25 that it is past `Z`
    // (bytes under 0x80 never carry into the next one).
    let upper = (v + 0x3f * ONES) & !(v + 0x25 * ONES) & (0x80 * ONES);
    Some(v | (upper >> 2))
}

/// The share of `text`'s words that are function words.
fn function_word_share(text: &str, function: &FunctionWords<'_>) -> f64 {
    match function_words(text, function) {
        (0, _) => 0.0,
        (total, hits) => hits as f64 / total as f64,
    }
}

/// Whether the start of the body is clearly in `known`'s language by its
/// function words alone (the common case, without reading further).
fn clearly_in(function: &FunctionWords<'_>, body: &str) -> bool {
    if function.words.is_empty() {
        return false;
    }
    let (total, hits) = function_words(&prose(body, QUICK_BYTES), function);
    total >= QUICK_WORDS && hits as f64 >= FUNCTION_WORD_SHARE * total as f64
}

/// What the body is written in, when it is clearly not `known`: the
/// message's description of it.
fn mismatch(known: &Known, function: &FunctionWords<'_>, text: &str) -> Option<String> {
    if text
        .chars()
        .filter(|c| c.is_alphabetic())
        .take(MIN_LETTERS)
        .count()
        < MIN_LETTERS
    {
        return None;
    }
    if !function.words.is_empty() && function_word_share(text, function) >= FUNCTION_WORD_SHARE {
        return None;
    }
    let script = whatlang::detect_script(text)?;
    let info = whatlang::detect(text);
    if !known.scripts.contains(&script) {
        return Some(match info.filter(whatlang::Info::is_reliable) {
            Some(info) => format!("{} ({} script)", info.lang().eng_name(), script.name()),
            None => format!("{} script", script.name()),
        });
    }
    let info = info?;
    if !info.is_reliable() || related(info.lang(), known.lang) {
        return None;
    }
    Some(info.lang().eng_name().to_owned())
}

impl Rule for LanguageMismatch {
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
        let primary = lang.trim().split(['-', '_']).next().unwrap_or_default();
        let Some(i) = KNOWN
            .iter()
            .position(|k| k.code.eq_ignore_ascii_case(primary))
        else {
            return;
        };
        let (known, function) = (&KNOWN[i], &FUNCTION_WORDS[i]);
        let Some(body) = ctx.body().and_then(|b| ctx.text().get(b)) else {
            return;
        };
        if clearly_in(function, body) {
            return;
        }
        let Some(found) = mismatch(known, function, &prose(body, SAMPLE_BYTES)) else {
            return;
        };
        out.push(
            Finding::new(
                node.span.clone(),
                format!(
                    "`{path}` is `{lang}` ({}), but the body is written in {found}",
                    known.lang.eng_name()
                ),
            )
            .help(format!(
                "translate the body, or correct `{path}` if the body is in the right language"
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::date::testing::*;

    const CODE: &str = LanguageMismatch::META.code;

    #[test]
    fn function_words_are_counted_whatever_their_case_and_script() {
        let count = |text: &str, words: &[&str]| function_words(text, &FunctionWords::new(words));
        let en = ["the", "and", "of", "which"];
        assert_eq!(count("The cat AND the dog, which Of", &en), (7, 5));
        // Longer than eight bytes, ASCII: compared as before.
        assert_eq!(count("Whichever", &["whichever"]), (1, 1));
        let uk = ["і", "в", "що", "також"];
        assert_eq!(count("ТАКОЖ в місті, що І", &uk), (5, 4));
        assert_eq!(count("für Für FÜR fur", &["für"]), (4, 3));
    }

    #[test]
    fn examples() {
        check_examples(&LanguageMismatch::META);
    }

    #[test]
    fn fixtures() {
        check_fixtures(CODE);
    }

    #[test]
    fn the_seed_and_short_bodies_are_fine() {
        assert!(lint_only(CODE, SEED).is_empty());
        assert!(lint_only(CODE, "---\nlang: uk\n---\nShort English note.\n").is_empty());
    }

    /// `push_prose` as first written: a stop at every `h`, `` ` ``, `]`
    /// and `(`, one character at a time past what is not a pattern.
    fn push_prose_by_chars(out: &mut String, line: &str) {
        let mut rest = line;
        while !rest.is_empty() {
            let cut = rest.find(['`', ']', '(', 'h']).unwrap_or(rest.len());
            out.push_str(&rest[..cut]);
            rest = &rest[cut..];
            let skip_to = |s: &str, end: char| s[1..].find(end).map_or(s.len(), |i| i + 2);
            if rest.starts_with('`') {
                rest = &rest[skip_to(rest, '`')..];
            } else if rest.starts_with("](") || rest.starts_with("(http") {
                rest = &rest[skip_to(rest, ')')..];
            } else if rest.starts_with("http://") || rest.starts_with("https://") {
                let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                rest = &rest[end..];
            } else if let Some(c) = rest.chars().next() {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }

    #[test]
    fn every_function_word_list_fits_its_table() {
        for (known, function) in KNOWN.iter().zip(FUNCTION_WORDS.iter()) {
            let set = &function.packed;
            assert!(!set.far, "{}", known.code);
            for w in known.function_words {
                let p = packed_lowercase(w, w.as_bytes());
                assert_eq!(p.map(|p| set.contains(p)), p.map(|_| true), "{w}");
            }
            for other in ["zzz", "q", "thee", "an"] {
                let p = packed_lowercase(other, other.as_bytes()).expect("short ASCII");
                assert_eq!(
                    set.contains(p),
                    known.function_words.contains(&other),
                    "{other}"
                );
            }
        }
        // A list too full for two slots a word still finds every word.
        let many: Vec<String> = (0..100).map(|i| format!("w{i}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        let set = PackedSet::of(&many);
        assert!(set.far);
        for w in many.iter().chain(&["zzz", "w100"]) {
            let p = packed_lowercase(w, w.as_bytes()).expect("short ASCII");
            assert_eq!(set.contains(p), many.contains(w), "{w}");
        }
    }

    #[test]
    fn a_packed_word_is_its_lowercase_bytes() {
        for b in 0..0x80u8 {
            let word = String::from(char::from(b)).repeat(3);
            let want = word.to_ascii_lowercase();
            let mut bytes = [0u8; 8];
            bytes[..3].copy_from_slice(want.as_bytes());
            let packed = Some(u64::from_le_bytes(bytes));
            assert_eq!(packed_lowercase(&word, word.as_bytes()), packed, "{b:#x}");
            // Read eight at a time from a longer text: the same.
            let text = format!("{word}Zé\u{80}xyz");
            assert_eq!(packed_lowercase(&word, text.as_bytes()), packed, "{b:#x}");
        }
        let p = |w: &str| packed_lowercase(w, w.as_bytes());
        assert_eq!(p("AbCdEfGh"), p("abcdefgh"));
        assert_eq!(p("AbCdEfGhI"), None);
        assert_eq!(p("Für"), None);
        assert_eq!(packed_lowercase("Fü", "Für alle".as_bytes()), None);
    }

    #[test]
    fn prose_skips_what_a_search_at_every_h_skipped() {
        const PIECES: &[&str] = &[
            "`",
            "](",
            "(",
            ")",
            "]",
            "h",
            "ht",
            "http",
            "https",
            "://",
            "http://a",
            "https://b",
            "(http",
            " ",
            "\u{a0}",
            "word",
            "é",
            "ħ",
            "Ґ",
            "x",
        ];
        let mut next = crate::rules::date::testing::random(0x2545_f491_4f6c_dd1d_u64);
        for _ in 0..50_000 {
            let line: String = (0..next(16)).map(|_| PIECES[next(PIECES.len())]).collect();
            let (mut want, mut got) = (String::new(), String::new());
            push_prose_by_chars(&mut want, &line);
            push_prose(&mut got, &line);
            assert_eq!(got, want, "{line:?}");
        }
    }

    #[test]
    fn code_links_and_addresses_are_not_prose() {
        let text = prose(
            "Текст [посилання](https://example.com/the-and-of) і `the code`\n```\nthe and of\n```\n    indented the code\n<div>the html</div>\nhttps://example.com/x кінець\n",
            SAMPLE_BYTES,
        );
        assert!(!text.contains("example"), "{text}");
        assert!(!text.contains("the"), "{text}");
        assert!(text.contains("посилання"), "{text}");
        assert!(text.contains("кінець"), "{text}");
    }

    #[test]
    fn an_english_body_under_uk_is_reported_at_lang() {
        let body = SEED.split("\n---\n").nth(1).expect("a body");
        let text = format!("---\nlang: uk\n---\n{body}");
        let found = lint_only(CODE, &text);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(span_text(&found[0]), "uk");
        assert!(
            found[0].message.ends_with("English (Latin script)"),
            "{}",
            found[0].message
        );
        // Under German, the same body is English by the model.
        let text = format!("---\nlang: de\n---\n{body}");
        let found = lint_only(CODE, &text);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(
            found[0].message.ends_with("English"),
            "{}",
            found[0].message
        );
    }
}
