//! Resource attacks on a real node process, on loopback, while a healthy laptop syncs: a
//! slowloris flood from another address, many slow large bodies signed by one device, uploads
//! of changes with a huge number of operations (each attacker's requests are cut off by its own
//! 12 s client timeout, so the run stays short). Prints the node's peak RSS and the healthy
//! sync's time (recorded in `docs/RELIABILITY.md`); fails if the node grows past 256 MiB or the
//! healthy sync fails.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)] // test code

use std::io::{Read, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use automerge::transaction::Transactable as _;
use base64::Engine as _;
use shared::crypto::{DeviceKey, SignedRequest};
use shared::ids::{ClientId, DeviceId};
use shared::protocol::{BatchChange, RequestHead, UploadHead, encode_changes, upload_id};
use shared::time::Timestamp;
use tests::processes::{Laptop, TestNode};

const RSS_LIMIT_KIB: u64 = 256 * 1024;

struct Attacker {
    device: DeviceId,
    key: DeviceKey,
    counter: AtomicU64,
    url: String,
    fingerprint: [u8; 32],
}

impl Attacker {
    fn enrolled(node: &TestNode) -> Self {
        let laptop = Laptop::new();
        let code = node.enroll_code("agent", &["nu.iqaluit"]);
        let _ = laptop.ok("enroll", &["--enroll-code", &code], b"");
        let store = laptop.store();
        let pkcs8 = store
            .link_value(field_app::storage::sync_state::key::DEVICE_KEY)
            .unwrap()
            .unwrap();
        Self {
            device: store.author().device,
            key: DeviceKey::from_pkcs8(&pkcs8).unwrap(),
            counter: AtomicU64::new(1_000),
            url: node.url.clone(),
            fingerprint: node.fingerprint_bytes(),
        }
    }

    fn headers(&self, body: &[u8]) -> Vec<(&'static str, String)> {
        let counter = self.counter.fetch_add(1, Ordering::SeqCst);
        let time_ms = Timestamp::now().0;
        let signature = self.key.sign(&SignedRequest {
            method: "POST",
            path: "/api/v1/sync",
            body_sha256: shared::protocol::signed_digest(body),
            device: self.device,
            counter,
            time_ms,
        });
        vec![
            ("x-outreach-device", self.device.to_string()),
            ("x-outreach-counter", counter.to_string()),
            ("x-outreach-time", time_ms.to_string()),
            (
                "x-outreach-signature",
                base64::engine::general_purpose::STANDARD.encode(signature),
            ),
        ]
    }

    /// Sends `body` at about `bytes_per_sec`; the answer's status (0: the link failed).
    fn send(&self, body: Vec<u8>, bytes_per_sec: Option<u64>) -> u16 {
        let http = field_app::sync::pinned_client(
            field_app::sync::Pin::Certificate(self.fingerprint),
            Duration::from_secs(12),
        )
        .unwrap();
        let headers = self.headers(&body);
        let length = body.len() as u64;
        let mut request = http.post(format!("{}/api/v1/sync", self.url));
        for (name, value) in headers {
            request = request.header(name, value);
        }
        let body = Slow {
            bytes: body,
            at: 0,
            bytes_per_sec,
        };
        request
            .body(reqwest::blocking::Body::sized(body, length))
            .send()
            .map_or(0, |r| r.status().as_u16())
    }

    /// An upload of one change that carries `ops` text insertions, signed.
    fn huge_upload(&self, ops: usize) -> Vec<u8> {
        let mut doc = automerge::AutoCommit::new().with_actor(automerge::ActorId::from(
            self.device.0.as_bytes().as_slice(),
        ));
        let text = doc
            .put_object(automerge::ROOT, "notes", automerge::ObjType::Text)
            .unwrap();
        doc.splice_text(&text, 0, 0, &"x".repeat(ops)).unwrap();
        doc.commit();
        let change = doc.get_changes(&[])[0].raw_bytes().to_vec();
        let blob = encode_changes(
            &[BatchChange {
                client: ClientId::random(),
                epoch: 0,
                change,
            }],
            3,
            None,
        )
        .unwrap();
        let mut body = RequestHead {
            device: self.device,
            cursor: 0,
            max_response_bytes: 65_536,
            upload: Some(UploadHead {
                upload_id: upload_id(&blob),
                total_len: u32::try_from(blob.len()).unwrap(),
                offset: 0,
            }),
        }
        .encode();
        body.extend_from_slice(&blob);
        body
    }
}

fn named<T: Send + 'static>(
    name: &str,
    run: impl FnOnce() -> T + Send + 'static,
) -> std::thread::JoinHandle<T> {
    std::thread::Builder::new()
        .name(name.into())
        .spawn(run)
        .unwrap()
}

/// A body that trickles out.
struct Slow {
    bytes: Vec<u8>,
    at: usize,
    bytes_per_sec: Option<u64>,
}

impl Read for Slow {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = buf.len().min(self.bytes.len() - self.at).min(64 * 1024);
        if let Some(rate) = self.bytes_per_sec {
            std::thread::sleep(Duration::from_secs_f64(n as f64 / rate as f64));
        }
        buf[..n].copy_from_slice(&self.bytes[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// Opens connections from 127.0.0.2 that send a few bytes of a TLS hello and then nothing.
fn slowloris(target: SocketAddr, connections: usize) -> Vec<TcpStream> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    (0..connections)
        .filter_map(|_| {
            runtime.block_on(async {
                let socket = tokio::net::TcpSocket::new_v4().ok()?;
                socket.bind("127.0.0.2:0".parse().unwrap()).ok()?;
                let stream = socket.connect(target).await.ok()?;
                let mut stream = stream.into_std().ok()?;
                stream.set_nonblocking(false).ok()?;
                let _ = stream.write_all(&[0x16, 0x03, 0x01, 0x02]);
                Some(stream)
            })
        })
        .collect()
}

#[test]
fn the_node_stays_small_and_serves_healthy_devices_under_attack() {
    let node = TestNode::start();
    let attacker = Arc::new(Attacker::enrolled(&node));
    let spender = Arc::new(Attacker::enrolled(&node));
    let healthy = Laptop::new();
    let code = node.enroll_code("agent", &["nu.iqaluit"]);
    let _ = healthy.ok("enroll", &["--enroll-code", &code], b"");
    let _ = healthy.ok(
        "add",
        &[],
        br#"{"schema":1,"identity":{"given_name":"Healthy","family_name":"Device","community":"nu.iqaluit"}}"#,
    );
    let target: SocketAddr = node.url.trim_start_matches("https://").parse().unwrap();

    let stop = Arc::new(AtomicBool::new(false));
    let peak = Arc::new(AtomicU64::new(0));
    let pid = node.pid();
    let sampler = {
        let (stop, peak) = (Arc::clone(&stop), Arc::clone(&peak));
        named("rss-sampler", move || {
            while !stop.load(Ordering::SeqCst) {
                let rss = std::fs::read_to_string(format!("/proc/{pid}/status"))
                    .ok()
                    .and_then(|s| {
                        s.lines()
                            .find(|l| l.starts_with("VmRSS:"))?
                            .split_whitespace()
                            .nth(1)?
                            .parse()
                            .ok()
                    })
                    .unwrap_or(0);
                peak.fetch_max(rss, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(50));
            }
        })
    };

    // 1. Slowloris: 300 half-open TLS connections from another address.
    let held = slowloris(target, 300);
    println!("stage: {} slowloris connections open", held.len());
    // 2. Sixteen 16 MiB bodies trickling in at 2 MiB/s, all signed by one device.
    let bodies: Vec<_> = (0..16)
        .map(|_| {
            let attacker = Arc::clone(&attacker);
            named("slow-body", move || {
                let mut body = RequestHead {
                    device: attacker.device,
                    cursor: 0,
                    max_response_bytes: 65_536,
                    upload: None,
                }
                .encode();
                body.resize(16 * 1024 * 1024 - 64, 0);
                attacker.send(body, Some(2 << 20))
            })
        })
        .collect();
    // 3. Uploads whose one change carries 300,000 operations (past the per-change bound).
    let huge = spender.huge_upload(300_000);
    println!("stage: huge upload built ({} bytes)", huge.len());
    let expensive: Vec<_> = (0..8)
        .map(|_| {
            let (spender, body) = (Arc::clone(&spender), huge.clone());
            named("huge-upload", move || spender.send(body, None))
        })
        .collect();

    std::thread::sleep(Duration::from_secs(2));
    let started = Instant::now();
    let synced = healthy.run("sync", &[], b"");
    let healthy_secs = started.elapsed().as_secs_f64();
    println!("stage: healthy sync done in {healthy_secs:.2} s");

    let statuses: Vec<u16> = expensive.into_iter().map(|t| t.join().unwrap()).collect();
    println!("stage: huge uploads answered");
    let body_statuses: Vec<u16> = bodies.into_iter().map(|t| t.join().unwrap()).collect();
    drop(held);
    stop.store(true, Ordering::SeqCst);
    sampler.join().unwrap();
    let peak_kib = peak.load(Ordering::SeqCst);
    println!(
        "attack figures: node peak RSS {:.1} MiB; healthy sync {healthy_secs:.2} s; \
         {} half-open connections held; huge-op uploads answered {statuses:?}; \
         slow 16 MiB bodies answered {body_statuses:?}",
        peak_kib as f64 / 1024.0,
        300,
    );

    assert!(
        synced.status.success(),
        "the healthy device's sync failed under attack: {}",
        String::from_utf8_lossy(&synced.stderr)
    );
    assert!(
        String::from_utf8_lossy(&synced.stdout).contains("1 change(s) acknowledged"),
        "{}",
        String::from_utf8_lossy(&synced.stdout)
    );
    assert!(
        peak_kib <= RSS_LIMIT_KIB,
        "the node grew to {peak_kib} KiB under attack"
    );
    assert!(
        statuses.iter().all(|s| [200, 409, 503].contains(s)),
        "huge-op uploads are answered: refused per change (200), out of counter order (409) or \
         waiting their device's turn (503): {statuses:?}"
    );
}
