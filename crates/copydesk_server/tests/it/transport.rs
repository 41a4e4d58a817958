//! The server over a byte stream, as `copydesk server` runs on stdio:
//! malformed frames are skipped (answered when their id can be read) and
//! the next message is served; only the end of the input ends it.

use std::io::{BufReader, Read, Write};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender};
use lsp_server::{Message, RequestId, Response};
use serde_json::{json, Value};

const TIMEOUT: Duration = Duration::from_secs(20);

/// JSON-RPC's parse error code.
const PARSE_ERROR: i32 = -32700;
/// The answer to a method the server does not handle.
const METHOD_NOT_FOUND: i32 = -32601;

struct Wire {
    /// The server's input: dropped, it ends.
    input: Option<Sender<Vec<u8>>>,
    output: Receiver<Message>,
    server: Option<JoinHandle<Result<(), String>>>,
    dir: tempfile::TempDir,
}

fn ignore(_: &str) {}

/// One end of an in-memory pipe: what is written in chunks on the other.
struct PipeReader {
    chunks: Receiver<Vec<u8>>,
    chunk: Vec<u8>,
    at: usize,
}

impl Read for PipeReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.at == self.chunk.len() {
            match self.chunks.recv() {
                Ok(chunk) => (self.chunk, self.at) = (chunk, 0),
                Err(_) => return Ok(0),
            }
        }
        let n = buf.len().min(self.chunk.len() - self.at);
        buf[..n].copy_from_slice(&self.chunk[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

struct PipeWriter(Sender<Vec<u8>>);

impl Write for PipeWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .send(buf.to_vec())
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::BrokenPipe))?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn pipe() -> (PipeReader, Sender<Vec<u8>>) {
    let (tx, chunks) = crossbeam_channel::unbounded();
    let reader = PipeReader {
        chunks,
        chunk: Vec::new(),
        at: 0,
    };
    (reader, tx)
}

/// `body` framed with its right `Content-Length`.
fn frame(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

fn request(id: i32, method: &str) -> String {
    json!({"jsonrpc": "2.0", "id": id, "method": method, "params": {}}).to_string()
}

impl Wire {
    fn start() -> Wire {
        let dir = tempfile::tempdir().expect("temp dir");
        let (server_in, input) = pipe();
        let (client_in, server_out) = pipe();
        let server_out = PipeWriter(server_out);
        let (connection, io) = copydesk_server::transport::connect(server_in, server_out, ignore);
        let options = copydesk_server::Options {
            now: Some("2026-11-22T00:00:00Z".parse().expect("now")),
        };
        let server = std::thread::spawn(move || {
            copydesk_server::serve(connection, options)?;
            io.join().map_err(|e| e.to_string())
        });
        let (tx, output) = crossbeam_channel::unbounded();
        std::thread::spawn(move || {
            let mut client_in = BufReader::new(client_in);
            while let Ok(Some(m)) = Message::read(&mut client_in) {
                if tx.send(m).is_err() {
                    break;
                }
            }
        });
        let mut wire = Wire {
            input: Some(input),
            output,
            server: Some(server),
            dir,
        };
        let root = url::Url::from_file_path(wire.dir.path()).expect("absolute");
        let init = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"processId": null, "rootUri": root.as_str(), "capabilities": {}}});
        wire.send(&frame(&init.to_string()));
        assert!(wire.answer(1).response_result.is_ok());
        wire.send(&frame(
            r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
        ));
        wire
    }

    fn send(&mut self, bytes: &[u8]) {
        let input = self.input.as_ref().expect("open");
        input.send(bytes.to_vec()).expect("server reading");
    }

    /// The next message satisfying `want`, skipping others.
    fn wait(&self, what: &str, want: impl Fn(&Message) -> bool) -> Message {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.output.recv_timeout(left) {
                Ok(m) if want(&m) => return m,
                Ok(_) => {}
                Err(e) => panic!("no {what}: {e}"),
            }
        }
    }

    fn answer(&self, id: i32) -> Response {
        let id = RequestId::from(id);
        match self.wait(
            "answer",
            |m| matches!(m, Message::Response(r) if r.id == id),
        ) {
            Message::Response(r) => r,
            _ => unreachable!(),
        }
    }

    /// Sends a request the server answers at once, and checks the answer:
    /// the connection still works.
    fn ping(&mut self, id: i32) {
        self.send(&frame(&request(id, "copydesk/ping")));
        let answer = self.answer(id);
        assert_eq!(
            error_code(&answer),
            Some(METHOD_NOT_FOUND),
            "the server still answers after a malformed message"
        );
    }

    /// Shuts down as a client does, and checks the server ended cleanly.
    fn shutdown(mut self) {
        self.send(&frame(&request(999, "shutdown")));
        assert_eq!(self.answer(999).response_result.ok(), Some(Value::Null));
        self.send(&frame(r#"{"jsonrpc":"2.0","method":"exit"}"#));
        self.finish();
    }

    /// Waits for the server thread to end, which must be cleanly.
    fn finish(mut self) {
        let server = self.server.take().expect("server");
        let deadline = Instant::now() + TIMEOUT;
        while !server.is_finished() {
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
        server
            .join()
            .expect("server thread")
            .expect("the server ended cleanly");
    }
}

fn error_code(r: &Response) -> Option<i32> {
    r.response_result.as_ref().err().map(|e| e.code)
}

#[test]
fn truncated_json_is_answered_with_a_parse_error() {
    let mut wire = Wire::start();
    let whole = request(2, "textDocument/completion");
    let cut = &whole[..whole.len() - 6];
    wire.send(&frame(cut));
    assert_eq!(error_code(&wire.answer(2)), Some(PARSE_ERROR));
    wire.ping(3);
    // Not JSON at all, with no id to answer.
    wire.send(&frame("hello"));
    wire.ping(4);
    wire.shutdown();
}

#[test]
fn a_content_length_too_short_resynchronises_on_the_next_header() {
    let mut wire = Wire::start();
    let body = request(2, "copydesk/ping");
    let mut bytes = format!("Content-Length: {}\r\n\r\n{body}", body.len() - 10).into_bytes();
    bytes.extend(frame(&request(3, "copydesk/ping")));
    wire.send(&bytes);
    assert_eq!(error_code(&wire.answer(2)), Some(PARSE_ERROR));
    assert_eq!(error_code(&wire.answer(3)), Some(METHOD_NOT_FOUND));
    wire.ping(4);
    wire.shutdown();
}

#[test]
fn a_content_length_too_long_does_not_swallow_the_next_message() {
    let mut wire = Wire::start();
    let body = request(2, "copydesk/ping");
    // Sent alone first: the server must not answer anything yet, nor wait
    // for the missing bytes once the next message comes.
    wire.send(format!("Content-Length: {}\r\n\r\n{body}", body.len() + 40).as_bytes());
    std::thread::sleep(Duration::from_millis(50));
    wire.send(&frame(&request(3, "copydesk/ping")));
    assert_eq!(error_code(&wire.answer(2)), Some(PARSE_ERROR));
    assert_eq!(error_code(&wire.answer(3)), Some(METHOD_NOT_FOUND));
    wire.shutdown();
}

#[test]
fn a_missing_or_bad_content_length_is_skipped() {
    let mut wire = Wire::start();
    let body = request(2, "copydesk/ping");
    wire.send(format!("Content-Type: application/json\r\n\r\n{body}").as_bytes());
    assert_eq!(error_code(&wire.answer(2)), Some(PARSE_ERROR));
    wire.ping(3);
    wire.send(format!("Content-Length: twelve\r\n\r\n{body}").as_bytes());
    wire.ping(4);
    wire.send(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    wire.ping(5);
    // A header line longer than any real one, without a line end.
    wire.send(&vec![b'x'; 100_000]);
    wire.ping(6);
    wire.shutdown();
}

#[test]
fn a_huge_content_length_is_refused_without_allocating_it() {
    let mut wire = Wire::start();
    let body = request(2, "copydesk/ping");
    wire.send(format!("Content-Length: 3000000000\r\n\r\n{body}").as_bytes());
    assert_eq!(error_code(&wire.answer(2)), Some(PARSE_ERROR));
    wire.ping(3);
    wire.send(b"Content-Length: 99999999999999999999999999\r\n\r\n{}");
    wire.ping(4);
    wire.shutdown();
}

#[test]
fn a_lone_surrogate_is_read_as_a_replacement_character() {
    let mut wire = Wire::start();
    // As JavaScript's JSON.stringify writes half a surrogate pair.
    let body = r#"{"jsonrpc":"2.0","id":2,"method":"copydesk/ping","params":{"s":"a\ud800b"}}"#;
    wire.send(&frame(body));
    assert_eq!(error_code(&wire.answer(2)), Some(METHOD_NOT_FOUND));
    // A document holding one is opened and linted.
    let uri = url::Url::from_file_path(wire.dir.path().join("a.md")).expect("uri");
    let open = format!(
        r#"{{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{{"textDocument":{{"uri":"{uri}","languageId":"markdown","version":1,"text":"---\ntitle: \udc00\n---\n"}}}}}}"#
    );
    wire.send(&frame(&open));
    let published = wire.wait("diagnostics", |m| {
        matches!(m, Message::Notification(n) if n.method == "textDocument/publishDiagnostics"
            && n.params["uri"] == uri.as_str())
    });
    assert!(matches!(published, Message::Notification(_)));
    wire.shutdown();
}

#[test]
fn the_end_of_the_input_ends_the_server_cleanly() {
    let mut wire = Wire::start();
    wire.ping(2);
    // Half a message, then the client goes away.
    wire.send(b"Content-Length: 100\r\n\r\n{\"jsonrpc\"");
    wire.input = None;
    wire.finish();
}
