//! A real HTTP/1.1 server on a loopback address, for tests that need a
//! publisher: exact status codes and headers, gzip, delays, bodies that
//! stall or never end, replies that change from one request to the next,
//! a log of every request, and a live count of requests in flight.
//!
//! ```ignore
//! let server = support::http::TestServer::start();
//! server.serve_static("/feed.xml", "application/rss+xml", rss_bytes); // ETag + 304
//! server.route_sequence("/flaky", vec![Reply::status(500), Reply::ok("text/plain", "fine")]);
//! let url = server.url("/feed.xml");
//! // ... run the code under test ...
//! let seen = server.requests_to("/feed.xml");
//! assert_eq!(seen[1].header("if-none-match"), Some("\"...\""));
//! ```
//!
//! The server runs on a tokio runtime of its own, so it keeps answering
//! while the test blocks (on a child process, say) and works from plain
//! `#[test]`s and `#[tokio::test]`s alike. Dropping it stops it.

// Each test binary uses a different part of this helper.
#![allow(dead_code)]

use std::collections::HashMap;
use std::convert::Infallible;
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::response::Response;
use futures_util::stream::{self, Stream, StreamExt};

/// The `Last-Modified` that [`TestServer::serve_static`] announces.
pub const STATIC_LAST_MODIFIED: &str = "Mon, 01 Apr 2024 10:00:00 GMT";

/// What to send back for one request.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: ReplyBody,
    /// Waited before the status line is sent.
    pub delay: Duration,
}

#[derive(Clone, Debug)]
pub enum ReplyBody {
    /// Sent whole, with a `Content-Length`.
    Bytes(Bytes),
    /// `len` zero bytes, streamed in 64 KiB chunks without `Content-Length`
    /// and without ever being held in memory.
    Zeros { len: u64 },
    /// `prefix`, then nothing more, for ever: a server that hangs mid-body.
    Stall { prefix: Bytes },
}

impl Reply {
    pub fn status(code: u16) -> Reply {
        Reply {
            status: code,
            headers: Vec::new(),
            body: ReplyBody::Bytes(Bytes::new()),
            delay: Duration::ZERO,
        }
    }

    pub fn ok(content_type: &str, body: impl Into<Bytes>) -> Reply {
        Reply::status(200)
            .header("content-type", content_type)
            .body(body)
    }

    pub fn redirect(code: u16, location: &str) -> Reply {
        Reply::status(code).header("location", location)
    }

    /// Adds a header; a name may be given more than once.
    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn body(mut self, body: impl Into<Bytes>) -> Reply {
        self.body = ReplyBody::Bytes(body.into());
        self
    }

    pub fn zeros(mut self, len: u64) -> Reply {
        self.body = ReplyBody::Zeros { len };
        self
    }

    pub fn stall_after(mut self, prefix: impl Into<Bytes>) -> Reply {
        self.body = ReplyBody::Stall {
            prefix: prefix.into(),
        };
        self
    }

    /// Compresses the (whole) body with gzip and says so in `Content-Encoding`.
    pub fn gzip(self) -> Reply {
        self.encoded("gzip", gzip)
    }

    /// Compresses the body with brotli (`Content-Encoding: br`).
    pub fn brotli(self) -> Reply {
        self.encoded("br", |plain| {
            let mut encoded = Vec::new();
            let mut encoder = brotli::CompressorWriter::new(&mut encoded, 4096, 5, 22);
            encoder.write_all(plain).expect("writing to memory");
            drop(encoder);
            encoded
        })
    }

    /// Compresses the body as HTTP's `deflate`: a zlib stream (RFC 1950).
    pub fn deflate(self) -> Reply {
        self.encoded("deflate", |plain| {
            let mut encoder =
                flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
            encoder.write_all(plain).expect("writing to memory");
            encoder.finish().expect("writing to memory")
        })
    }

    fn encoded(mut self, coding: &str, encode: impl Fn(&[u8]) -> Vec<u8>) -> Reply {
        if let ReplyBody::Bytes(plain) = &self.body {
            self.body = ReplyBody::Bytes(encode(plain).into());
            self.headers
                .push(("content-encoding".to_owned(), coding.to_owned()));
        }
        self
    }

    pub fn delay(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }
}

/// Gzip of `plain`.
pub fn gzip(plain: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(plain).expect("writing to memory");
    encoder.finish().expect("writing to memory")
}

/// Gzip of `len` zero bytes, built a chunk at a time: a decompression bomb
/// of about a thousandth of its unpacked size.
pub fn gzip_bomb(len: usize) -> Vec<u8> {
    let chunk = vec![0u8; 1 << 20];
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let mut left = len;
    while left > 0 {
        let n = left.min(chunk.len());
        encoder.write_all(&chunk[..n]).expect("writing to memory");
        left -= n;
    }
    encoder.finish().expect("writing to memory")
}

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct SeenRequest {
    pub method: String,
    /// Path and query.
    pub path: String,
    /// Names lower-cased, in arrival order.
    pub headers: Vec<(String, String)>,
    pub at: Instant,
    /// The client's address: one port per connection, so the number of
    /// distinct peers shows whether connections were reused.
    pub peer: SocketAddr,
}

impl SeenRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether this was a conditional GET (validators sent).
    pub fn is_conditional(&self) -> bool {
        self.header("if-none-match").is_some() || self.header("if-modified-since").is_some()
    }
}

type Handler = dyn Fn(&SeenRequest, usize) -> Reply + Send + Sync;

#[derive(Default)]
struct Shared {
    routes: Mutex<HashMap<String, Arc<Handler>>>,
    hits: Mutex<HashMap<String, usize>>,
    log: Mutex<Vec<SeenRequest>>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

/// A running server; see the module doc.
pub struct TestServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    runtime: Option<tokio::runtime::Runtime>,
}

impl TestServer {
    /// Listens on 127.0.0.1, on a free port.
    pub fn start() -> TestServer {
        TestServer::start_on(IpAddr::V4(Ipv4Addr::LOCALHOST))
    }

    /// Listens on `ip` (any of 127.0.0.0/8 works on Linux, so several
    /// servers can play several hosts), on a free port.
    pub fn start_on(ip: IpAddr) -> TestServer {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("test-http")
            .enable_all()
            .build()
            .expect("start the test server's runtime");
        let mut server = TestServer {
            addr: SocketAddr::new(ip, 0),
            shared: Arc::new(Shared::default()),
            runtime: Some(runtime),
        };
        server.addr = server.also_listen_on(ip);
        server
    }

    /// Serves the same routes, log and in-flight count on one more address,
    /// which to a client is another host; returns it.
    pub fn also_listen_on(&self, ip: IpAddr) -> SocketAddr {
        let listener = std::net::TcpListener::bind((ip, 0)).expect("bind a loopback port");
        listener
            .set_nonblocking(true)
            .expect("make the listener non-blocking");
        let addr = listener.local_addr().expect("bound address");
        let router = axum::Router::new()
            .fallback(answer)
            .with_state(Arc::clone(&self.shared))
            .into_make_service_with_connect_info::<SocketAddr>();
        let runtime = self.runtime.as_ref().expect("server is running");
        runtime.spawn(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("adopt the listener");
            axum::serve(listener, router)
                .await
                .expect("serve test requests");
        });
        addr
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://IP:PORT` with no trailing slash.
    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The absolute URL of `path` (which starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base(), path)
    }

    /// Every request to `path` gets `reply`.
    pub fn route(&self, path: &str, reply: Reply) {
        self.route_fn(path, move |_, _| reply.clone());
    }

    /// The n-th request to `path` gets `replies[n]`; once they run out the
    /// last one repeats.
    pub fn route_sequence(&self, path: &str, replies: Vec<Reply>) {
        assert!(!replies.is_empty(), "a sequence needs at least one reply");
        self.route_fn(path, move |_, n| replies[n.min(replies.len() - 1)].clone());
    }

    /// Requests to `path` are answered by `handler(request, n)`, where n
    /// counts earlier requests to the same path (from 0).
    pub fn route_fn(
        &self,
        path: &str,
        handler: impl Fn(&SeenRequest, usize) -> Reply + Send + Sync + 'static,
    ) {
        lock(&self.shared.routes).insert(path.to_owned(), Arc::new(handler));
    }

    /// Serves `body` like a well-behaved static file server: a strong ETag
    /// derived from the content, `Last-Modified:` [`STATIC_LAST_MODIFIED`],
    /// and a bodiless 304 to a request whose `If-None-Match` names the
    /// current ETag (or, without one, whose `If-Modified-Since` is not
    /// older than the content). Calling it again changes the content and
    /// so the ETag.
    pub fn serve_static(&self, path: &str, content_type: &str, body: impl Into<Bytes>) {
        let body: Bytes = body.into();
        let etag = format!("\"{:x}-{:016x}\"", body.len(), fnv1a(&body));
        let content_type = content_type.to_owned();
        self.route_fn(path, move |request, _| {
            let fresh = match request.header("if-none-match") {
                Some(tags) => tags
                    .split(',')
                    .map(|t| t.trim().trim_start_matches("W/"))
                    .any(|t| t == etag || t == "*"),
                None => request
                    .header("if-modified-since")
                    .and_then(|since| httpdate::parse_http_date(since).ok())
                    .zip(httpdate::parse_http_date(STATIC_LAST_MODIFIED).ok())
                    .is_some_and(|(since, modified)| since >= modified),
            };
            let reply = if fresh {
                Reply::status(304)
            } else {
                Reply::ok(&content_type, body.clone())
            };
            reply
                .header("etag", &etag)
                .header("last-modified", STATIC_LAST_MODIFIED)
        });
    }

    /// Every request so far, in arrival order.
    pub fn requests(&self) -> Vec<SeenRequest> {
        lock(&self.shared.log).clone()
    }

    /// The requests whose path (query included) is `path`.
    pub fn requests_to(&self, path: &str) -> Vec<SeenRequest> {
        lock(&self.shared.log)
            .iter()
            .filter(|r| r.path == path)
            .cloned()
            .collect()
    }

    pub fn clear_log(&self) {
        lock(&self.shared.log).clear();
    }

    /// Requests being answered right now (until their body is sent or dropped).
    pub fn in_flight(&self) -> usize {
        self.shared.in_flight.load(Ordering::SeqCst)
    }

    /// The most requests ever in flight at once.
    pub fn max_in_flight(&self) -> usize {
        self.shared.max_in_flight.load(Ordering::SeqCst)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

async fn answer(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let guard = InFlight::enter(Arc::clone(&shared));
    let path = uri
        .path_and_query()
        .map_or_else(|| uri.path().to_owned(), |pq| pq.as_str().to_owned());
    let request = SeenRequest {
        method: method.to_string(),
        path: path.clone(),
        headers: headers
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        at: Instant::now(),
        peer,
    };
    lock(&shared.log).push(request.clone());
    let handler = {
        let routes = lock(&shared.routes);
        routes
            .get(&path)
            .or_else(|| routes.get(uri.path()))
            .cloned()
    };
    let reply = match handler {
        Some(handler) => {
            let n = {
                let mut hits = lock(&shared.hits);
                let count = hits.entry(path).or_insert(0);
                *count += 1;
                *count - 1
            };
            handler(&request, n)
        }
        None => Reply::status(404).body("no such test route"),
    };
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    build(reply, guard)
}

/// Builds the response; `guard` lives as long as the body is being sent.
fn build(reply: Reply, guard: InFlight) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() =
        StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    for (name, value) in &reply.headers {
        let name = HeaderName::from_bytes(name.as_bytes()).expect("test header name");
        let value = HeaderValue::from_str(value).expect("test header value");
        headers.append(name, value);
    }
    let chunks: Box<dyn Stream<Item = Bytes> + Send + Unpin> = match reply.body {
        ReplyBody::Bytes(bytes) => {
            if reply.status != 204 && reply.status != 304 {
                headers.insert("content-length", HeaderValue::from(bytes.len()));
            }
            Box::new(stream::iter([bytes]))
        }
        ReplyBody::Zeros { len } => {
            let chunk = Bytes::from(vec![0u8; 64 * 1024]);
            let mut left = len;
            Box::new(stream::iter(std::iter::from_fn(move || {
                let n = left.min(chunk.len() as u64) as usize;
                left -= n as u64;
                (n > 0).then(|| chunk.slice(..n))
            })))
        }
        ReplyBody::Stall { prefix } => Box::new(stream::iter([prefix]).chain(stream::pending())),
    };
    let body = chunks.map(move |chunk| {
        let _sending = &guard;
        Ok::<_, Infallible>(chunk)
    });
    *response.body_mut() = Body::from_stream(body);
    response
}

/// Counts a request as in flight from its arrival until its body is sent
/// or abandoned.
struct InFlight(Arc<Shared>);

impl InFlight {
    fn enter(shared: Arc<Shared>) -> InFlight {
        let now = shared.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        shared.max_in_flight.fetch_max(now, Ordering::SeqCst);
        InFlight(shared)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A panicking test thread must not take the server down with it.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
