//! A span-keeping YAML parse of the front-matter block.
//!
//! saphyr's own loader recurses without bound and drops spans of values, so
//! this module drives its event parser directly, builds a small tree whose
//! every node carries a byte span into the *file*, and bounds nesting depth,
//! alias expansion and node count so that hostile input yields an issue
//! instead of a stack overflow or a hang. Scalars are resolved with the YAML
//! 1.2 core schema; the raw text and quoting style are kept so that rules can
//! tell `draft: no` (a YAML 1.1 boolean read as a string) from `"no"`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

mod fast;

// For the differential check in `crate::fuzzing`.
pub(crate) use fast::parse_simple;

/// Bounds on what the parser accepts before giving up on a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Maximum nesting depth of mappings and sequences.
    pub max_depth: usize,
    /// Maximum number of nodes, counting every alias expansion.
    pub max_nodes: usize,
    /// Maximum size of the YAML block in bytes.
    pub max_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 32,
            max_nodes: 100_000,
            max_bytes: 1 << 20,
        }
    }
}

/// The quoting style of a scalar as written in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Unquoted.
    Plain,
    /// `'single quoted'`.
    SingleQuoted,
    /// `"double quoted"`.
    DoubleQuoted,
    /// A `|` or `>` block scalar.
    Block,
}

/// What a scalar resolves to under the YAML 1.2 core schema.
#[derive(Debug, Clone, PartialEq)]
pub enum ScalarValue {
    /// `~`, `null` or an empty plain scalar.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// An integer that fits in 64 bits.
    Int(i64),
    /// Any other number (including integers too large for 64 bits).
    Float(f64),
    /// A string; the text is [`Scalar::text`].
    Str,
}

/// A scalar node.
#[derive(Debug, Clone, PartialEq)]
pub struct Scalar {
    /// The scalar's content after unquoting and folding.
    pub text: String,
    /// How it was written.
    pub style: Style,
    /// The resolved value.
    pub value: ScalarValue,
}

/// A key/value pair of a mapping.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The key node (a scalar in any valid front matter).
    pub key: Node,
    /// The value node.
    pub value: Node,
}

impl Entry {
    /// The key's text when the key is a scalar.
    pub fn key_str(&self) -> Option<&str> {
        match &self.key.kind {
            NodeKind::Scalar(s) => Some(&s.text),
            _ => None,
        }
    }
}

/// The content of a node.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// A scalar.
    Scalar(Scalar),
    /// A sequence.
    Sequence(Vec<Node>),
    /// A mapping, in file order; a duplicated key keeps its first value.
    Mapping(Vec<Entry>),
}

/// A YAML node with its byte span in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Byte range in the file.
    pub span: Range<usize>,
    /// The node's content.
    pub kind: NodeKind,
}

impl Node {
    /// The entry for `key` when this node is a mapping that has it.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        match &self.kind {
            NodeKind::Mapping(entries) => entries.iter().find(|e| e.key_str() == Some(key)),
            _ => None,
        }
    }

    /// The value for `key` when this node is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// The scalar, when this node is one.
    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.kind {
            NodeKind::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The text when this node is a scalar that resolved to a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar(s) if s.value == ScalarValue::Str => Some(&s.text),
            _ => None,
        }
    }

    /// The mapping entries, when this node is a mapping.
    pub fn as_mapping(&self) -> Option<&[Entry]> {
        match &self.kind {
            NodeKind::Mapping(e) => Some(e),
            _ => None,
        }
    }

    /// The items, when this node is a sequence.
    pub fn as_sequence(&self) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::Sequence(items) => Some(items),
            _ => None,
        }
    }

    /// Follows a path of mapping keys and sequence indexes (as decimal
    /// strings), the segments of a JSON pointer.
    pub fn pointer<'a, I: IntoIterator<Item = &'a str>>(&self, path: I) -> Option<&Node> {
        let mut node = self;
        for seg in path {
            node = match &node.kind {
                NodeKind::Mapping(_) => node.get(seg)?,
                NodeKind::Sequence(items) => items.get(seg.parse::<usize>().ok()?)?,
                NodeKind::Scalar(_) => return None,
            };
        }
        Some(node)
    }

    /// Converts the tree to JSON for schema validation. Non-finite floats
    /// become null, which no type of the contract accepts.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match &self.kind {
            NodeKind::Scalar(s) => match s.value {
                ScalarValue::Null => Value::Null,
                ScalarValue::Bool(b) => Value::Bool(b),
                ScalarValue::Int(i) => Value::from(i),
                // JSON has no infinity or NaN (nor numbers too large for
                // f64): null fails every type the contract uses, so the
                // value is still reported, as the number it was written as.
                ScalarValue::Float(f) => {
                    serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
                }
                ScalarValue::Str => Value::String(s.text.clone()),
            },
            NodeKind::Sequence(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            NodeKind::Mapping(entries) => Value::Object(
                entries
                    .iter()
                    .filter_map(|e| Some((e.key_str()?.to_owned(), e.value.to_json())))
                    .collect(),
            ),
        }
    }
}

/// A problem found while parsing the block.
#[derive(Debug, Clone, PartialEq)]
pub enum YamlIssue {
    /// The YAML is not well-formed.
    Syntax {
        /// Where the parser stopped.
        span: Range<usize>,
        /// What kind of mistake it is, for the advice given.
        kind: SyntaxKind,
        /// The parser's message.
        message: String,
    },
    /// A key appears twice in one mapping.
    DuplicateKey {
        /// The key.
        key: String,
        /// The first occurrence's key span.
        first: Range<usize>,
        /// The repeated key's span.
        second: Range<usize>,
    },
    /// A mapping key that is not a scalar.
    ComplexKey {
        /// The key's span.
        span: Range<usize>,
    },
    /// Nesting deeper than [`Limits::max_depth`].
    TooDeep {
        /// Where the limit was crossed.
        span: Range<usize>,
        /// The limit.
        limit: usize,
    },
    /// More nodes than [`Limits::max_nodes`], usually an alias bomb.
    TooManyNodes {
        /// Where the limit was crossed.
        span: Range<usize>,
        /// The limit.
        limit: usize,
    },
    /// The block is larger than [`Limits::max_bytes`].
    TooLarge {
        /// The whole block.
        span: Range<usize>,
        /// The limit.
        limit: usize,
    },
    /// More than one YAML document in the block.
    MultipleDocuments {
        /// Where the second document starts.
        span: Range<usize>,
    },
}

/// The kind of a YAML syntax error, classified once from the parser's
/// message so that no rule reads the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyntaxKind {
    /// A tab where YAML wants spaces (indentation).
    Tab,
    /// A quoted value that does not close where it should (runs into the
    /// next line's indentation, a document marker or the end).
    UnclosedQuote,
    /// A bad `\` escape in double quotes.
    Escape,
    /// An alias (`*name`) to an anchor defined nowhere before it.
    UnknownAnchor,
    /// A line read as a key that never gets its `:` (`lang:en`, with no
    /// blank after the colon, is one plain value).
    NoColon,
    /// Anything else.
    Other,
}

impl SyntaxKind {
    /// The kind of saphyr's error `message` (its wording is saphyr's: this
    /// is the one place that reads it).
    pub fn of(message: &str) -> Self {
        if message.contains("tab") {
            SyntaxKind::Tab
        } else if message.contains("quoted scalar")
            && ["indentation", "end of stream", "document indicator"]
                .iter()
                .any(|w| message.contains(w))
        {
            SyntaxKind::UnclosedQuote
        } else if message.contains("escape") {
            SyntaxKind::Escape
        } else if message.contains("unknown anchor") {
            SyntaxKind::UnknownAnchor
        } else if message.contains("simple key expect ':'") {
            SyntaxKind::NoColon
        } else {
            SyntaxKind::Other
        }
    }
}

/// The result of parsing a block: the tree (when there is a document and no
/// fatal error) and every issue found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParseOutcome {
    /// The document's root node; `None` when the block holds no document
    /// (empty or only comments) or parsing stopped on an error.
    pub root: Option<Node>,
    /// Problems found, in file order of discovery.
    pub issues: Vec<YamlIssue>,
}

/// Converts saphyr's character offsets (relative to the block) into byte
/// offsets in the file.
struct Offsets {
    base: usize,
    /// Byte offset of each char of the block, plus the end; empty when the
    /// block is ASCII and char index equals byte index.
    table: Vec<usize>,
    len: usize,
}

impl Offsets {
    fn new(block: &str, base: usize) -> Self {
        let table = if block.is_ascii() {
            Vec::new()
        } else {
            block
                .char_indices()
                .map(|(i, _)| i)
                .chain(std::iter::once(block.len()))
                .collect()
        };
        Offsets {
            base,
            table,
            len: block.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        let local = if self.table.is_empty() {
            char_index.min(self.len)
        } else {
            self.table.get(char_index).copied().unwrap_or(self.len)
        };
        self.base + local
    }

    fn span(&self, span: &Span) -> Range<usize> {
        let start = self.byte(span.start.index());
        let end = self.byte(span.end.index()).max(start);
        start..end
    }
}

enum Frame {
    Seq {
        start: usize,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        start: usize,
        anchor: usize,
        entries: Vec<Entry>,
        seen: HashMap<String, Range<usize>>,
        key: Option<Node>,
    },
}

fn node_count(node: &Node) -> usize {
    match &node.kind {
        NodeKind::Scalar(_) => 1,
        NodeKind::Sequence(items) => 1 + items.iter().map(node_count).sum::<usize>(),
        NodeKind::Mapping(entries) => {
            1 + entries
                .iter()
                .map(|e| node_count(&e.key) + node_count(&e.value))
                .sum::<usize>()
        }
    }
}

/// Resolves a plain scalar with the YAML 1.2 core schema.
pub fn resolve_plain(text: &str) -> ScalarValue {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return ScalarValue::Null,
        "true" | "True" | "TRUE" => return ScalarValue::Bool(true),
        "false" | "False" | "FALSE" => return ScalarValue::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return ScalarValue::Float(f64::INFINITY)
        }
        "-.inf" | "-.Inf" | "-.INF" => return ScalarValue::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return ScalarValue::Float(f64::NAN),
        _ => {}
    }
    if let Some(hex) = text.strip_prefix("0x") {
        if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return i64::from_str_radix(hex, 16)
                .map(ScalarValue::Int)
                .unwrap_or(ScalarValue::Float(f64::INFINITY));
        }
        return ScalarValue::Str;
    }
    if let Some(oct) = text.strip_prefix("0o") {
        if !oct.is_empty() && oct.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
            return i64::from_str_radix(oct, 8)
                .map(ScalarValue::Int)
                .unwrap_or(ScalarValue::Float(f64::INFINITY));
        }
        return ScalarValue::Str;
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return match text.parse::<i64>() {
            Ok(i) => ScalarValue::Int(i),
            Err(_) => ScalarValue::Float(text.parse::<f64>().unwrap_or(f64::INFINITY)),
        };
    }
    if is_core_float(digits) {
        if let Ok(f) = text.parse::<f64>() {
            return ScalarValue::Float(f);
        }
    }
    ScalarValue::Str
}

/// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` without the sign.
fn is_core_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let int_digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    i += int_digits;
    let mut frac_digits = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        i += frac_digits;
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let exp = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if exp == 0 {
            return false;
        }
        i += exp;
    }
    i == b.len()
}

/// The end of a quoted scalar starting at `span.start`: just after its
/// closing quote. saphyr's span runs on over the blanks and the comment
/// that follow the quote, and a fix replacing that span would delete the
/// comment.
fn quoted_end(file: &str, span: &Range<usize>) -> usize {
    let b = file.as_bytes();
    let Some(&quote @ (b'\'' | b'"')) = b.get(span.start) else {
        return span.end;
    };
    let mut i = span.start + 1;
    while i < span.end {
        match b[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && b.get(i + 1) == Some(&b'\'') => i += 2,
            c if c == quote => return i + 1,
            _ => i += 1,
        }
    }
    span.end
}

fn make_scalar(text: Cow<'_, str>, style: ScalarStyle, tag: Option<&str>) -> Scalar {
    let style = match style {
        ScalarStyle::Plain => Style::Plain,
        ScalarStyle::SingleQuoted => Style::SingleQuoted,
        ScalarStyle::DoubleQuoted => Style::DoubleQuoted,
        _ => Style::Block,
    };
    let value = match (tag, style) {
        (Some("str"), _) => ScalarValue::Str,
        (Some(_), _) | (None, Style::Plain) => resolve_plain(&text),
        _ => ScalarValue::Str,
    };
    Scalar {
        text: text.into_owned(),
        style,
        value,
    }
}

/// `span`, or when it is empty the one character at its start (if the
/// block has one there), so that a finding always underlines something.
fn at_least_one_char(file: &str, block: &Range<usize>, span: Range<usize>) -> Range<usize> {
    if !span.is_empty() {
        return span;
    }
    let end = file
        .get(span.start..block.end)
        .and_then(|rest| rest.chars().next())
        .map_or(span.start, |c| span.start + c.len_utf8());
    span.start..end
}

/// The content (no indentation, comment or trailing blanks) of the last
/// line of `text[from..at]` that has any. saphyr reports a key missing its
/// `:` at the token after it, often on the next line or the closing fence.
fn last_content_before(text: &str, from: usize, at: usize) -> Option<Range<usize>> {
    let mut end = at.min(text.len());
    loop {
        let start = text[from..end].rfind('\n').map_or(from, |i| from + i + 1);
        let line = &text[start..end];
        let line = match line.find('#') {
            Some(0) => "",
            Some(i) if line[..i].ends_with([' ', '\t']) => &line[..i],
            _ => line,
        };
        let content = line.trim_end();
        let indent = content.len() - content.trim_start().len();
        if indent < content.len() {
            return Some(start + indent..start + content.len());
        }
        if start == from {
            return None;
        }
        end = start - 1;
    }
}

/// The last line with content before the one holding `at`, when it is a
/// lone `key:value` with no blank after the colon (one plain value that
/// ran on into the line of the error).
fn glued_key_before(file: &str, block: &Range<usize>, at: usize) -> Option<Range<usize>> {
    let text = &file[..block.end];
    let at = at.min(text.len());
    let line_start = text[block.start..at]
        .rfind('\n')
        .map_or(block.start, |i| block.start + i + 1);
    if line_start == block.start {
        return None;
    }
    let span = last_content_before(text, block.start, line_start - 1)?;
    let (key, value) = text[span.clone()].split_once(':')?;
    let word = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '.')
    };
    let glued =
        // Not a URL (`https://…`), which is a value on its own.
        word(key) && !value.is_empty() && !value.starts_with([' ', '\t', '/']) && !value.contains(": ");
    glued.then_some(span)
}

/// Where a parse error really is. saphyr reports some errors away from
/// their cause: a tab in indentation at the start of the scalar before it,
/// an unknown alias at its `*` alone.
fn error_span(file: &str, block: &Range<usize>, at: usize, kind: SyntaxKind) -> Range<usize> {
    let text = &file[..block.end];
    if kind == SyntaxKind::Tab {
        // The first tab in the indentation of a line, from the line the
        // parser stopped on: everything before that line was accepted.
        let mut line_start = text[block.start..at.min(text.len())]
            .rfind('\n')
            .map_or(block.start, |i| block.start + i + 1);
        while line_start < text.len() {
            let line_end = text[line_start..]
                .find('\n')
                .map_or(text.len(), |i| line_start + i);
            let indent = text[line_start..line_end]
                .bytes()
                .take_while(|b| *b == b' ' || *b == b'\t')
                .position(|b| b == b'\t');
            if let Some(i) = indent {
                return line_start + i..line_start + i + 1;
            }
            line_start = line_end + 1;
        }
    }
    if kind == SyntaxKind::NoColon {
        if let Some(key) = last_content_before(text, block.start, at) {
            return key;
        }
    }
    if kind == SyntaxKind::UnknownAnchor && text.as_bytes().get(at) == Some(&b'*') {
        let name = text[at + 1..]
            .find(|c: char| c.is_whitespace() || ",[]{}".contains(c))
            .map_or(text.len(), |i| at + 1 + i);
        return at..name;
    }
    at_least_one_char(file, block, at..at)
}

/// Parses the YAML block `file[range]`; spans in the result are byte
/// offsets into `file`.
///
/// Most front matter is a plain block mapping of one-line scalars, which a
/// small hand-written scanner reads several times faster than the general
/// parser; anything outside that subset goes to [`parse_full`]. Both give
/// the same outcome for every input the scanner accepts.
pub fn parse(file: &str, range: Range<usize>, limits: &Limits) -> ParseOutcome {
    match fast::parse_simple(file, range.clone(), limits) {
        Some(out) => out,
        None => parse_full(file, range, limits),
    }
}

/// Parses the YAML block `file[range]` with the general parser (driving
/// saphyr-parser's events); spans in the result are byte offsets into
/// `file`. [`parse`] falls back to it for anything its fast path does not
/// handle, and benchmarks use it as the baseline.
pub fn parse_full(file: &str, range: Range<usize>, limits: &Limits) -> ParseOutcome {
    let block = &file[range.clone()];
    if block.len() > limits.max_bytes {
        let mut out = ParseOutcome::default();
        out.issues.push(YamlIssue::TooLarge {
            span: range,
            limit: limits.max_bytes,
        });
        return out;
    }
    let offsets = Offsets::new(block, range.start);
    let mut tree = Tree {
        file,
        range,
        limits,
        stack: Vec::new(),
        anchors: HashMap::new(),
        nodes: 0,
        documents: 0,
        root: None,
        issues: Vec::new(),
    };
    for item in Parser::new_from_str(block) {
        let step = match item {
            Ok((event, span)) => tree.event(event, offsets.span(&span)),
            Err(e) => Err(tree.syntax_error(offsets.byte(e.marker().index()), e.info())),
        };
        match step {
            Ok(()) => {}
            Err(Halt::Abort) => return tree.aborted(),
            Err(Halt::Finish) => break,
        }
    }
    tree.finished()
}

/// Why [`parse_full`] stops early (the issue is recorded).
enum Halt {
    /// A fatal problem: no tree.
    Abort,
    /// A second document: the first one's tree stands.
    Finish,
}

/// The tree [`parse_full`] builds from the parser's events.
struct Tree<'f> {
    file: &'f str,
    range: Range<usize>,
    limits: &'f Limits,
    /// The collections being read, innermost last.
    stack: Vec<Frame>,
    /// Anchored nodes, by saphyr's anchor id.
    anchors: HashMap<usize, Node>,
    /// Nodes so far, aliases counted in full (an alias bomb is bounded).
    nodes: usize,
    documents: usize,
    root: Option<Node>,
    issues: Vec<YamlIssue>,
}

impl Tree<'_> {
    /// Takes one event: a finished node joins its parent.
    fn event(&mut self, event: Event<'_>, sp: Range<usize>) -> Result<(), Halt> {
        let finished = match event {
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    let span = self.extra_document(sp);
                    self.issues.push(YamlIssue::MultipleDocuments { span });
                    return Err(Halt::Finish);
                }
                None
            }
            Event::Scalar(text, style, anchor, tag) => {
                let tag_suffix = tag
                    .as_ref()
                    .and_then(|t| t.is_yaml_core_schema().then_some(t.suffix.as_str()));
                Some((self.scalar(text, style, tag_suffix, sp), anchor))
            }
            Event::Alias(id) => Some((self.alias(id, sp)?, 0)),
            Event::SequenceStart(anchor, _) => {
                self.open(sp, anchor, true)?;
                None
            }
            Event::MappingStart(anchor, _) => {
                self.open(sp, anchor, false)?;
                None
            }
            Event::SequenceEnd | Event::MappingEnd => self.close(sp),
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => None,
        };
        match finished {
            Some((node, anchor)) => self.add(node, anchor),
            None => Ok(()),
        }
    }

    /// Where a second document is: its `---` marker when written, else
    /// (after `...`, saphyr's start event is empty) its content up to the
    /// end of the block.
    fn extra_document(&self, sp: Range<usize>) -> Range<usize> {
        if !sp.is_empty() {
            return sp;
        }
        let rest = &self.file[sp.start..self.range.end];
        let end = sp.start + rest.trim_end().len();
        at_least_one_char(self.file, &self.range, sp.start..end)
    }

    /// Records a syntax error at byte `at` with saphyr's `message`.
    fn syntax_error(&mut self, at: usize, message: &str) -> Halt {
        let kind = SyntaxKind::of(message);
        let glued = (kind == SyntaxKind::Other
            && message.contains("mapping values are not allowed"))
        .then(|| glued_key_before(self.file, &self.range, at))
        .flatten();
        let (span, kind) = match glued {
            // `lang:en` on the line before `title: x`: the two lines are
            // one plain value, which the `:` of the second cannot follow.
            Some(span) => (span, SyntaxKind::NoColon),
            None => (error_span(self.file, &self.range, at, kind), kind),
        };
        self.issues.push(YamlIssue::Syntax {
            span,
            kind,
            message: message.to_owned(),
        });
        Halt::Abort
    }

    /// A scalar node; a quoted one spans its quotes.
    fn scalar(
        &self,
        text: Cow<'_, str>,
        style: ScalarStyle,
        tag: Option<&str>,
        sp: Range<usize>,
    ) -> Node {
        let quoted = matches!(style, ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted);
        let scalar = make_scalar(text, style, tag);
        let span = if quoted {
            sp.start..quoted_end(self.file, &sp)
        } else {
            sp
        };
        Node {
            span,
            kind: NodeKind::Scalar(scalar),
        }
    }

    /// A copy of the anchored node, pointing where the alias is written.
    fn alias(&mut self, id: usize, sp: Range<usize>) -> Result<Node, Halt> {
        let Some(node) = self.anchors.get(&id) else {
            self.issues.push(YamlIssue::Syntax {
                span: sp,
                kind: SyntaxKind::UnknownAnchor,
                message: "alias to an unknown anchor".to_owned(),
            });
            return Err(Halt::Abort);
        };
        self.nodes += node_count(node);
        if self.nodes > self.limits.max_nodes {
            self.issues.push(YamlIssue::TooManyNodes {
                span: sp,
                limit: self.limits.max_nodes,
            });
            return Err(Halt::Abort);
        }
        // An alias points where it is written; its content lives at the
        // anchor.
        let mut copy = node.clone();
        copy.span = sp;
        Ok(copy)
    }

    /// Starts a sequence or mapping, within the depth limit.
    fn open(&mut self, sp: Range<usize>, anchor: usize, sequence: bool) -> Result<(), Halt> {
        if self.stack.len() >= self.limits.max_depth {
            self.issues.push(YamlIssue::TooDeep {
                // A block collection starts with an empty marker: point at
                // its first character (the `-`) instead.
                span: at_least_one_char(self.file, &self.range, sp),
                limit: self.limits.max_depth,
            });
            return Err(Halt::Abort);
        }
        self.stack.push(if sequence {
            Frame::Seq {
                start: sp.start,
                anchor,
                items: Vec::new(),
            }
        } else {
            Frame::Map {
                start: sp.start,
                anchor,
                entries: Vec::new(),
                seen: HashMap::new(),
                key: None,
            }
        });
        Ok(())
    }

    /// Ends the innermost collection: its node and anchor.
    fn close(&mut self, sp: Range<usize>) -> Option<(Node, usize)> {
        let file = self.file.as_bytes();
        let (start, anchor, end, kind) = match self.stack.pop()? {
            Frame::Seq {
                start,
                anchor,
                items,
            } => {
                // A flow list ends at its `]` (the end event's span); a
                // block list's end event sits on the next token, so it
                // ends with its last item.
                let end = if file.get(start) == Some(&b'[') {
                    sp.end
                } else {
                    items.last().map_or(sp.end, |n| n.span.end)
                };
                (start, anchor, end, NodeKind::Sequence(items))
            }
            Frame::Map {
                start,
                anchor,
                entries,
                ..
            } => {
                let end = if file.get(start) == Some(&b'{') {
                    sp.end
                } else {
                    entries
                        .last()
                        .map_or(sp.end, |e| e.value.span.end.max(e.key.span.end))
                };
                (start, anchor, end, NodeKind::Mapping(entries))
            }
        };
        let node = Node {
            span: start..end.max(start),
            kind,
        };
        Some((node, anchor))
    }

    /// Counts a finished node, remembers it under its anchor and hands it
    /// to its parent (or makes it the root).
    fn add(&mut self, node: Node, anchor: usize) -> Result<(), Halt> {
        self.nodes += 1;
        if self.nodes > self.limits.max_nodes {
            self.issues.push(YamlIssue::TooManyNodes {
                span: node.span,
                limit: self.limits.max_nodes,
            });
            return Err(Halt::Abort);
        }
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                entries, seen, key, ..
            }) => match key.take() {
                None => *key = Some(node),
                Some(k) => add_entry(&mut self.issues, entries, seen, k, node),
            },
        }
        Ok(())
    }

    /// The outcome without a tree.
    fn aborted(self) -> ParseOutcome {
        ParseOutcome {
            root: None,
            issues: self.issues,
        }
    }

    /// The outcome with the tree read.
    fn finished(self) -> ParseOutcome {
        ParseOutcome {
            root: self.root,
            issues: self.issues,
        }
    }
}

/// Adds the entry `key: value` to a mapping, unless the key is not a
/// scalar or repeats an earlier one (both issues).
fn add_entry(
    issues: &mut Vec<YamlIssue>,
    entries: &mut Vec<Entry>,
    seen: &mut HashMap<String, Range<usize>>,
    key: Node,
    value: Node,
) {
    let NodeKind::Scalar(s) = &key.kind else {
        issues.push(YamlIssue::ComplexKey {
            span: key.span.clone(),
        });
        return;
    };
    let name = s.text.clone();
    if let Some(first) = seen.get(&name) {
        issues.push(YamlIssue::DuplicateKey {
            key: name,
            first: first.clone(),
            second: key.span.clone(),
        });
    } else {
        seen.insert(name, key.span.clone());
        entries.push(Entry { key, value });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(src: &str) -> ParseOutcome {
        parse(src, 0..src.len(), &Limits::default())
    }

    #[test]
    fn spans_are_bytes_in_the_file() {
        let src = "title: 'Café ünd'\nn: 5\nlist:\n  - A\n  - \"B\"\n";
        let out = p(src);
        assert!(out.issues.is_empty(), "{:?}", out.issues);
        let root = out.root.expect("root");
        let title = root.get("title").expect("title");
        assert_eq!(&src[title.span.clone()], "'Café ünd'");
        let n = root.get("n").expect("n");
        assert_eq!(&src[n.span.clone()], "5");
        assert_eq!(n.as_scalar().map(|s| &s.value), Some(&ScalarValue::Int(5)));
        let b = root.pointer(["list", "1"]).expect("list/1");
        assert_eq!(&src[b.span.clone()], "\"B\"");
    }

    #[test]
    fn quoted_spans_stop_at_the_closing_quote() {
        let src = "a: 'x' # c\nb: \"y \\\" z\"   # d\nc: 'it''s'\t# e\nd:\n  - 'p' # f\n  - \"q\"\ne: 'two\n  lines' # g\n";
        let root = p(src).root.expect("root");
        let text = |n: &Node| src[n.span.clone()].to_owned();
        assert_eq!(text(root.get("a").expect("a")), "'x'");
        assert_eq!(text(root.get("b").expect("b")), "\"y \\\" z\"");
        assert_eq!(text(root.get("c").expect("c")), "'it''s'");
        assert_eq!(text(root.pointer(["d", "0"]).expect("d/0")), "'p'");
        assert_eq!(text(root.pointer(["d", "1"]).expect("d/1")), "\"q\"");
        assert_eq!(text(root.get("e").expect("e")), "'two\n  lines'");
    }

    #[test]
    fn a_key_without_its_colon_is_where_the_error_is() {
        for src in [
            "title: x\nlang:en\n",
            "title: x\nlang:en   # c\ndescription: y\n",
            "title: x\r\nlang:en\r\n\r\n",
            "lang:en\ntitle: x\n",
        ] {
            let out = p(src);
            let Some(YamlIssue::Syntax { span, kind, .. }) = out.issues.first() else {
                panic!("{src:?}: {:?}", out.issues);
            };
            assert_eq!(*kind, SyntaxKind::NoColon, "{src:?}");
            assert_eq!(&src[span.clone()], "lang:en", "{src:?}");
        }
    }

    #[test]
    fn a_colon_on_a_continued_line_is_not_taken_for_a_missing_blank() {
        let src = "description: some text\n  goes: on\n";
        let out = p(src);
        let url = "image:\n  https://x.com/a.jpg\n  alt: a\n";
        let Some(YamlIssue::Syntax { kind, .. }) = p(url).issues.first().cloned() else {
            panic!("{url:?}");
        };
        assert_eq!(kind, SyntaxKind::Other);
        let Some(YamlIssue::Syntax { span, kind, .. }) = out.issues.first() else {
            panic!("{:?}", out.issues);
        };
        assert_eq!(*kind, SyntaxKind::Other);
        assert!(span.start > src.find("goes").expect("goes") - 1, "{span:?}");
    }

    #[test]
    fn a_document_after_an_end_marker_spans_its_content() {
        let src = "title: x\n... # end\nmore: y\nand: z\n\n";
        let out = p(src);
        let Some(YamlIssue::MultipleDocuments { span }) = out.issues.first() else {
            panic!("{:?}", out.issues);
        };
        assert_eq!(&src[span.clone()], "more: y\nand: z");
    }

    #[test]
    fn crlf_spans() {
        let src = "a: x\r\nb: 'ü'\r\n";
        let root = p(src).root.expect("root");
        assert_eq!(&src[root.get("b").expect("b").span.clone()], "'ü'");
    }

    #[test]
    fn offsets_with_base() {
        let file = "---\nkey: 'é'\n---\n";
        let out = parse(file, 4..13, &Limits::default());
        let v = out.root.expect("root");
        assert_eq!(&file[v.get("key").expect("key").span.clone()], "'é'");
    }

    #[test]
    fn duplicate_keys() {
        let out = p("a: 1\nb: 2\na: 3\n");
        assert_eq!(
            out.issues,
            vec![YamlIssue::DuplicateKey {
                key: "a".into(),
                first: 0..1,
                second: 10..11
            }]
        );
    }

    #[test]
    fn core_schema_resolution() {
        assert_eq!(resolve_plain("no"), ScalarValue::Str);
        assert_eq!(resolve_plain("True"), ScalarValue::Bool(true));
        assert_eq!(resolve_plain("007"), ScalarValue::Int(7));
        assert_eq!(resolve_plain("1.5e3"), ScalarValue::Float(1500.0));
        assert_eq!(resolve_plain("1e"), ScalarValue::Str);
        assert_eq!(resolve_plain("2026-01-01"), ScalarValue::Str);
        assert!(matches!(
            resolve_plain("123456789012345678901234567890"),
            ScalarValue::Float(_)
        ));
    }

    #[test]
    fn depth_and_alias_limits() {
        let deep = "- ".repeat(10_000) + "x\n";
        let out = p(&deep);
        assert!(matches!(out.issues[..], [YamlIssue::TooDeep { .. }]));
        let flow = "[".repeat(10_000);
        let out = p(&flow);
        assert!(!out.issues.is_empty());
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..12 {
            let prev = if i == 0 {
                "a".to_string()
            } else {
                format!("b{}", i - 1)
            };
            bomb.push_str(&format!(
                "b{i}: &b{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        let out = p(&bomb);
        assert!(matches!(out.issues[..], [YamlIssue::TooManyNodes { .. }]));
    }

    #[test]
    fn flow_collections_span_their_brackets() {
        let src = "a: [x, y]\nb: {c: d}\ne: []\nf:\n  - g\n";
        let root = p(src).root.expect("root");
        let text = |k: &str| &src[root.get(k).expect("key").span.clone()];
        assert_eq!(text("a"), "[x, y]");
        assert_eq!(text("b"), "{c: d}");
        assert_eq!(text("e"), "[]");
        assert_eq!(text("f"), "- g");
    }

    #[test]
    fn tab_errors_point_at_the_tab() {
        for src in ["a:\n  b: x\n\tc: y\n", "a:\n\tb: x\n", "t: x\n\td: y\n"] {
            let out = p(src);
            match &out.issues[..] {
                [YamlIssue::Syntax { span, .. }] => assert_eq!(&src[span.clone()], "\t", "{src:?}"),
                other => panic!("{src:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn unknown_alias_spans_the_alias() {
        let src = "a: 1\nb: *nope\n";
        match &p(src).issues[..] {
            [YamlIssue::Syntax { span, .. }] => assert_eq!(&src[span.clone()], "*nope"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn too_deep_block_list_underlines_its_dash() {
        let src = "- ".repeat(40) + "x\n";
        match &p(&src).issues[..] {
            [YamlIssue::TooDeep { span, .. }] => assert_eq!(&src[span.clone()], "-"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn syntax_error_has_span() {
        let src = "a: 1\n\tb: 2\n";
        let out = p(src);
        assert!(
            matches!(out.issues[..], [YamlIssue::Syntax { .. }]),
            "{out:?}"
        );
    }
}
