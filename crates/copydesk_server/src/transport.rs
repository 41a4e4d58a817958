//! The protocol's framing over a byte stream (stdio): `Content-Length`
//! headers, then a JSON body.
//!
//! lsp-server's own reader ends the connection on the first malformed
//! message and allocates whatever `Content-Length` says, so a client bug
//! (or a hostile peer) could stop or crash the server. This reader bounds
//! every read (a header line, the number of headers, the body), and on a
//! malformed message reports it through the log, answers it with a JSON-RPC
//! error when the request's id can be recovered, and picks up again at the
//! next `Content-Length:` header. Only the end of the input ends it.
//!
//! The messages themselves are lsp-server's, and so is the writing.

use std::io::{self, Read, Write};
use std::thread::JoinHandle;

use crossbeam_channel::bounded;
use lsp_server::{Connection, ErrorCode, Message, RequestId, Response};
use serde_json::Value;

/// The largest message body accepted, in bytes. A larger `Content-Length`
/// is refused before anything is allocated for it, and the body skipped.
pub const MAX_CONTENT_LENGTH: usize = 64 << 20;

/// The longest header line accepted, in bytes.
const MAX_HEADER_LINE: usize = 1024;

/// The most header lines one message may have.
const MAX_HEADERS: usize = 16;

/// How much is read from the input at a time.
const CHUNK: usize = 64 << 10;

/// How many bytes of a body that is skipped are read for the request's id
/// (a client writes `id` near the start).
const ID_LOOKAHEAD: usize = 4096;

/// Where log lines go: the front end decides (the library never prints).
pub type Log = fn(&str);

/// The reader and writer threads of a connection.
pub struct IoThreads {
    reader: JoinHandle<()>,
    writer: JoinHandle<io::Result<()>>,
}

impl IoThreads {
    /// Waits for both threads: the reader ends at the end of the input or
    /// after `exit`, the writer once every sender is dropped.
    pub fn join(self) -> io::Result<()> {
        self.reader
            .join()
            .map_err(|_| io::Error::other("the reader thread panicked"))?;
        self.writer
            .join()
            .map_err(|_| io::Error::other("the writer thread panicked"))?
    }
}

/// A connection reading messages from `input` and writing them to
/// `output`, each on a thread of its own.
pub fn connect<R, W>(input: R, output: W, log: Log) -> (Connection, IoThreads)
where
    R: Read + Send + 'static,
    W: Write + Send + 'static,
{
    let (to_writer, outgoing) = bounded::<Message>(0);
    let writer = std::thread::spawn(move || {
        let mut output = io::BufWriter::new(output);
        // `Message::write` flushes after each message.
        outgoing.into_iter().try_for_each(|m| m.write(&mut output))
    });
    let (incoming, from_reader) = bounded::<Message>(0);
    let errors = to_writer.clone();
    let reader = std::thread::spawn(move || {
        let mut frames = Frames::new(input);
        loop {
            let message = match frames.next() {
                Frame::Message(m) => m,
                Frame::Malformed(bad) => {
                    log(&format!("malformed message skipped: {}", bad.reason));
                    if let Some(id) = bad.id {
                        let answer = Response::new_err(id, bad.code as i32, bad.reason);
                        let _ = errors.send(answer.into());
                    }
                    continue;
                }
                Frame::End(Some(e)) => {
                    log(&format!("reading the input: {e}"));
                    return;
                }
                Frame::End(None) => return,
            };
            let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
            // The loop gone (or after `exit`): nothing more to read for.
            if incoming.send(message).is_err() || exit {
                return;
            }
        }
    });
    let connection = Connection {
        sender: to_writer,
        receiver: from_reader,
    };
    (connection, IoThreads { reader, writer })
}

/// What the reader found next.
enum Frame {
    Message(Message),
    Malformed(Malformed),
    /// The end of the input, or an error reading it.
    End(Option<io::Error>),
}

/// A message that could not be read.
struct Malformed {
    reason: String,
    /// The request's id, when it could be recovered: it is answered.
    id: Option<RequestId>,
    code: ErrorCode,
}

impl Malformed {
    fn frame(reason: impl Into<String>, id: Option<RequestId>) -> Frame {
        Frame::Malformed(Malformed {
            reason: reason.into(),
            id,
            code: ErrorCode::ParseError,
        })
    }
}

/// The headers of one message, once read.
enum Headers {
    Length(usize),
    /// Malformed; the reader stands where to resynchronise from.
    Bad(String),
    /// Well-formed but for the length: the body follows.
    NoLength(String),
    End(Option<io::Error>),
}

/// Reads frames off a byte stream through a buffer of its own (a frame
/// that is shorter than its `Content-Length` must give back what follows).
struct Frames<R> {
    input: R,
    buf: Vec<u8>,
    /// Where the unread bytes start in `buf`.
    pos: usize,
    /// Whether to skip to the next header before reading on.
    resync: bool,
}

impl<R: Read> Frames<R> {
    fn new(input: R) -> Self {
        Frames {
            input,
            buf: Vec::new(),
            pos: 0,
            resync: false,
        }
    }

    fn unread(&self) -> &[u8] {
        &self.buf[self.pos..]
    }

    /// Reads more input; `Ok(false)` at its end.
    fn fill(&mut self) -> io::Result<bool> {
        if self.pos > 0 && self.pos >= self.buf.len() / 2 {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        let old = self.buf.len();
        self.buf.resize(old + CHUNK, 0);
        loop {
            match self.input.read(&mut self.buf[old..]) {
                Ok(n) => {
                    self.buf.truncate(old + n);
                    return Ok(n > 0);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.buf.truncate(old);
                    return Err(e);
                }
            }
        }
    }

    /// The next message, malformed one or end.
    fn next(&mut self) -> Frame {
        if std::mem::take(&mut self.resync) {
            self.skip_to_header();
        }
        let length = match self.headers() {
            Headers::Length(n) => n,
            Headers::End(e) => return Frame::End(e),
            Headers::Bad(reason) => {
                self.resync = true;
                return Malformed::frame(reason, None);
            }
            Headers::NoLength(reason) => return self.skip_body(reason),
        };
        if length > MAX_CONTENT_LENGTH {
            return self.skip_body(format!(
                "Content-Length {length} is over the limit of {MAX_CONTENT_LENGTH} bytes"
            ));
        }
        let body = match self.body(length) {
            Ok(body) => body,
            Err(frame) => return frame,
        };
        parse(&body)
    }

    /// A malformed message whose body cannot be read: the request is
    /// answered when its id is in what has arrived of the body, and the
    /// body is skipped (before the next message is read, so the answer
    /// does not wait for it).
    fn skip_body(&mut self, reason: String) -> Frame {
        let unread = self.unread();
        let id = request_id(&unread[..unread.len().min(ID_LOOKAHEAD)]);
        self.resync = true;
        Malformed::frame(reason, id)
    }

    /// Reads header lines up to the blank line that ends them.
    fn headers(&mut self) -> Headers {
        let mut length = None;
        let mut count = 0;
        loop {
            let Some(newline) = self.unread().iter().position(|&b| b == b'\n') else {
                if self.unread().len() > MAX_HEADER_LINE {
                    self.pos += 1;
                    return Headers::Bad("a header line is too long".to_owned());
                }
                match self.fill() {
                    Ok(true) => continue,
                    Ok(false) => return Headers::End(None),
                    Err(e) => return Headers::End(Some(e)),
                }
            };
            let line_start = self.pos;
            let line = &self.unread()[..newline];
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.len() > MAX_HEADER_LINE {
                self.pos += 1;
                return Headers::Bad("a header line is too long".to_owned());
            }
            let parsed = header(line);
            self.pos += newline + 1;
            match parsed {
                // Blank lines between messages are let pass.
                Some(Header::End) if count == 0 => continue,
                Some(Header::End) => {
                    return match length {
                        Some(Ok(n)) => Headers::Length(n),
                        Some(Err(value)) => {
                            Headers::NoLength(format!("Content-Length {value:?} is not a number"))
                        }
                        None => Headers::NoLength("the message has no Content-Length".to_owned()),
                    };
                }
                Some(Header::Length(n)) => length = Some(n),
                Some(Header::Other) => {}
                None => {
                    // Resynchronise from this line: it may hold the next
                    // header after the tail of a too-short message.
                    self.pos = line_start + 1;
                    return Headers::Bad("a line that is not a header".to_owned());
                }
            }
            count += 1;
            if count > MAX_HEADERS {
                return Headers::Bad("too many header lines".to_owned());
            }
        }
    }

    /// Reads a body of `length` bytes. A body whose JSON value ends early
    /// and is followed by more (the next message) is cut there: its
    /// `Content-Length` was too long, and waiting for the rest would wait
    /// forever for a client waiting for an answer.
    fn body(&mut self, length: usize) -> Result<Vec<u8>, Frame> {
        let mut end = ValueEnd::default();
        loop {
            let available = self.unread().len().min(length);
            if let Some(at) = end.overrun(&self.unread()[..available]) {
                let body = self.unread()[..at].to_vec();
                self.pos += at;
                return Err(Malformed::frame(
                    format!("Content-Length {length} is longer than the message ({at} bytes)"),
                    request_id(&body),
                ));
            }
            if available == length {
                let body = self.unread()[..length].to_vec();
                self.pos += length;
                return Ok(body);
            }
            match self.fill() {
                Ok(true) => {}
                Ok(false) => {
                    let body = self.unread().to_vec();
                    self.pos = self.buf.len();
                    return Err(Malformed::frame(
                        format!(
                            "the input ended inside a message ({} of {length} bytes)",
                            body.len()
                        ),
                        request_id(&body),
                    ));
                }
                Err(e) => return Err(Frame::End(Some(e))),
            }
        }
    }

    /// Skips to the next `Content-Length:` header (or the end).
    fn skip_to_header(&mut self) {
        const NAME: &[u8] = b"content-length:";
        let mut from = 0;
        loop {
            let unread = self.unread();
            let found = (from..unread.len().saturating_sub(NAME.len() - 1))
                .find(|&i| unread[i..i + NAME.len()].eq_ignore_ascii_case(NAME));
            let (skip, header) = match found {
                Some(i) => match length_header_at(&unread[i + NAME.len()..]) {
                    Some(true) => (i, true),
                    // Not a header after all: search on past it.
                    Some(false) => {
                        from = i + 1;
                        continue;
                    }
                    // Not enough bytes yet to tell.
                    None => (i, false),
                },
                // Keep what could be the start of the name.
                None => (unread.len().saturating_sub(NAME.len() - 1), false),
            };
            self.pos += skip;
            from = 0;
            if header {
                return;
            }
            match self.fill() {
                Ok(true) => {}
                Ok(false) | Err(_) => {
                    self.pos = self.buf.len();
                    return;
                }
            }
        }
    }
}

/// Whether `rest`, what follows a `Content-Length:` found while
/// resynchronising, makes it a header: blanks, digits, a line end. `None`
/// when `rest` is too short to tell. A JSON string cannot hold a raw line
/// break, so text inside a message never passes.
fn length_header_at(rest: &[u8]) -> Option<bool> {
    let blanks = rest
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count();
    let digits = rest[blanks..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let after = blanks + digits;
    if after > 40 {
        return Some(false);
    }
    match rest.get(after) {
        None => None,
        Some(b'\n') => Some(digits > 0),
        Some(b'\r') => rest.get(after + 1).map(|&b| digits > 0 && b == b'\n'),
        Some(_) => Some(false),
    }
}

enum Header {
    /// The blank line after the headers.
    End,
    /// `Content-Length`: the number, or the text that is not one.
    Length(Result<usize, String>),
    /// Any other well-formed header (`Content-Type`), ignored.
    Other,
}

/// One header line (without its line end); `None` when it is not one.
fn header(line: &[u8]) -> Option<Header> {
    if line.is_empty() {
        return Some(Header::End);
    }
    let colon = line.iter().position(|&b| b == b':')?;
    let name = &line[..colon];
    let token = !name.is_empty()
        && name
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_');
    if !token {
        return None;
    }
    if !name.eq_ignore_ascii_case(b"content-length") {
        return Some(Header::Other);
    }
    let value = String::from_utf8_lossy(&line[colon + 1..])
        .trim()
        .to_owned();
    Some(Header::Length(value.parse::<usize>().map_err(|_| value)))
}

/// A body as a message. JSON with a lone surrogate escape (`"\ud800"`, as
/// JavaScript's `JSON.stringify` writes for half a pair) is read with
/// U+FFFD in its place instead of being refused.
fn parse(body: &[u8]) -> Frame {
    let error = match serde_json::from_slice::<Message>(body) {
        Ok(message) => return Frame::Message(message),
        Err(e) => e,
    };
    if let Some(repaired) = replace_lone_surrogates(body) {
        if let Ok(message) = serde_json::from_slice::<Message>(&repaired) {
            return Frame::Message(message);
        }
    }
    let code = match error.classify() {
        // Well-formed JSON that is not a request, response or notification.
        serde_json::error::Category::Data => ErrorCode::InvalidRequest,
        _ => ErrorCode::ParseError,
    };
    Frame::Malformed(Malformed {
        reason: format!("not a JSON-RPC message: {error}"),
        id: request_id(body),
        code,
    })
}

/// `body` with every `\u` escape of a lone surrogate replaced by `\ufffd`
/// (the same length); `None` when it has none.
pub(crate) fn replace_lone_surrogates(body: &[u8]) -> Option<Vec<u8>> {
    let escape_at = |i: usize| -> Option<u32> {
        let hex = body.get(i..i + 6)?;
        if hex[0] != b'\\' || hex[1] != b'u' {
            return None;
        }
        u32::from_str_radix(std::str::from_utf8(&hex[2..]).ok()?, 16).ok()
    };
    let mut out: Option<Vec<u8>> = None;
    let mut i = 0;
    while i < body.len() {
        if body[i] != b'\\' {
            i += 1;
            continue;
        }
        let Some(unit) = escape_at(i) else {
            // Any other escape, `\\` included: two bytes.
            i += 2;
            continue;
        };
        let high = (0xD800..0xDC00).contains(&unit);
        let low_next = escape_at(i + 6).is_some_and(|u| (0xDC00..0xE000).contains(&u));
        if high && low_next {
            i += 12;
            continue;
        }
        if (0xD800..0xE000).contains(&unit) {
            let out = out.get_or_insert_with(|| body.to_vec());
            out[i..i + 6].copy_from_slice(b"\\ufffd");
        }
        i += 6;
    }
    out
}

/// The id of the request `body` holds or starts with (a truncated body
/// included), when it has a top-level `id` and `method`. A response from
/// the client has no method and is never answered.
pub(crate) fn request_id(body: &[u8]) -> Option<RequestId> {
    if let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body) {
        map.get("method")?;
        return serde_json::from_value(map.get("id")?.clone()).ok();
    }
    let mut keys = TopLevelKeys {
        body,
        at: 0,
        depth: 0,
    };
    let mut id = None;
    let mut method = false;
    while let Some((key, value)) = keys.next() {
        match key {
            "id" => id = value,
            "method" => method = true,
            _ => {}
        }
        if method && id.is_some() {
            break;
        }
    }
    let id = id.filter(|_| method)?;
    serde_json::from_slice::<RequestId>(id).ok()
}

/// The keys of a JSON object's top level, each with the text of its value
/// when that is a number or a string, read from a possibly truncated body.
struct TopLevelKeys<'a> {
    body: &'a [u8],
    at: usize,
    depth: usize,
}

impl<'a> TopLevelKeys<'a> {
    fn next(&mut self) -> Option<(&'a str, Option<&'a [u8]>)> {
        let b = self.body;
        while self.at < b.len() {
            match b[self.at] {
                b'"' => {
                    let end = string_end(b, self.at)?;
                    let text = &b[self.at..end];
                    self.at = end;
                    let after = skip_blanks(b, end);
                    if self.depth == 1 && b.get(after) == Some(&b':') {
                        let key = std::str::from_utf8(&text[1..text.len() - 1]).ok()?;
                        self.at = skip_blanks(b, after + 1);
                        return Some((key, self.scalar()));
                    }
                }
                b'{' | b'[' => {
                    self.depth += 1;
                    self.at += 1;
                }
                b'}' | b']' => {
                    self.depth = self.depth.checked_sub(1)?;
                    if self.depth == 0 {
                        // The end of the top-level object.
                        return None;
                    }
                    self.at += 1;
                }
                _ => self.at += 1,
            }
        }
        None
    }

    /// The value at the cursor when it is a string or a number; the
    /// cursor moves past it, or stays before a collection.
    fn scalar(&mut self) -> Option<&'a [u8]> {
        let b = self.body;
        let start = self.at;
        match b.get(start)? {
            b'"' => {
                let end = string_end(b, start)?;
                self.at = end;
                Some(&b[start..end])
            }
            c if *c == b'-' || c.is_ascii_digit() => {
                let len = b[start..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit() || b"-+.eE".contains(c))
                    .count();
                self.at = start + len;
                // A number cut short by the end of the body is not known.
                (self.at < b.len()).then(|| &b[start..self.at])
            }
            _ => None,
        }
    }
}

/// The byte after the closing quote of the string opening at `start`.
fn string_end(b: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

fn skip_blanks(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    i
}

/// Finds where the first JSON object or array of a body ends, as its bytes
/// arrive, and whether anything but blanks follows it.
#[derive(Default)]
struct ValueEnd {
    scanned: usize,
    depth: usize,
    in_string: bool,
    escaped: bool,
    end: Option<usize>,
    /// The body is not an object or array: nothing to find.
    other: bool,
}

impl ValueEnd {
    /// Scans what `body` (a growing prefix of the body) adds since the last
    /// call; the end of the value when something follows it.
    fn overrun(&mut self, body: &[u8]) -> Option<usize> {
        if self.other {
            return None;
        }
        while self.scanned < body.len() {
            let b = body[self.scanned];
            self.scanned += 1;
            if let Some(end) = self.end {
                if !b.is_ascii_whitespace() {
                    return Some(end);
                }
                continue;
            }
            if self.in_string {
                match b {
                    _ if self.escaped => self.escaped = false,
                    b'\\' => self.escaped = true,
                    b'"' => self.in_string = false,
                    _ => {}
                }
                continue;
            }
            match b {
                b'"' => self.in_string = true,
                b'{' | b'[' => self.depth += 1,
                b'}' | b']' => {
                    self.depth = self.depth.saturating_sub(1);
                    if self.depth == 0 {
                        self.end = Some(self.scanned);
                    }
                }
                _ if self.depth == 0 && !b.is_ascii_whitespace() => {
                    self.other = true;
                    return None;
                }
                _ => {}
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lone_surrogates_become_replacement_characters() {
        let fixed = |s: &str| {
            replace_lone_surrogates(s.as_bytes()).map(|v| String::from_utf8(v).expect("utf-8"))
        };
        assert_eq!(fixed(r#""\ud800""#).as_deref(), Some(r#""\ufffd""#));
        assert_eq!(
            fixed(r#""\udc00x\uD800""#).as_deref(),
            Some(r#""\ufffdx\ufffd""#)
        );
        // A pair, an escaped backslash before `u`, plain escapes: untouched.
        assert_eq!(fixed(r#""\ud83c\udf89 \\ud800 \n \u00e9""#), None);
        // A high surrogate followed by a high one: both lone.
        assert_eq!(
            fixed(r#""\ud800\ud800""#).as_deref(),
            Some(r#""\ufffd\ufffd""#)
        );
    }

    #[test]
    fn ids_from_truncated_requests() {
        let id = |s: &str| request_id(s.as_bytes());
        assert_eq!(
            id(r#"{"jsonrpc":"2.0","id":7,"method":"textDocument/hov"#),
            Some(RequestId::from(7))
        );
        assert_eq!(
            id(r#"{"method":"x","params":{"id":3},"id":"a-1","#),
            Some(RequestId::from("a-1".to_owned()))
        );
        // The id's digits may go on past the cut.
        assert_eq!(id(r#"{"method":"x","id":12"#), None);
        // A nested id is not the request's; a response has no method.
        assert_eq!(id(r#"{"method":"x","params":{"id":3,"#), None);
        assert_eq!(id(r#"{"id":4,"result":nul"#), None);
        assert_eq!(id("garbage"), None);
    }

    #[test]
    fn header_lines() {
        assert!(matches!(
            header(b"Content-Length: 12"),
            Some(Header::Length(Ok(12)))
        ));
        assert!(matches!(
            header(b"content-length:7"),
            Some(Header::Length(Ok(7)))
        ));
        assert!(matches!(
            header(b"Content-Length: -1"),
            Some(Header::Length(Err(_)))
        ));
        assert!(matches!(header(b"Content-Type: x"), Some(Header::Other)));
        assert!(header(b"}}Content-Length: 5").is_none());
        assert!(header(b"no colon").is_none());
        assert_eq!(length_header_at(b" 12\r\n"), Some(true));
        assert_eq!(length_header_at(b" 12\r"), None);
        assert_eq!(length_header_at(b" 12 and more"), Some(false));
        assert_eq!(length_header_at(b"\\r\\n"), Some(false));
    }
}
