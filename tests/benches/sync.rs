//! Sync benchmark through the counting proxy, TLS included:
//! `CARGO_TARGET_DIR=$HOME/.cache/outreach-bench cargo bench -p tests --bench sync`.
//! Real `sync-server` and `field-app` processes (release builds) on loopback. "Ideal" is zstd
//! level 19 of the JSON lines of exactly what changed. Figures go in `docs/PERFORMANCE.md`.

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)] // a benchmark prints and stops on setup errors

use std::net::SocketAddr;
use std::time::Instant;

use serde_json::Value;
use tests::fixtures::intake_lines;
use tests::processes::{Laptop, TestNode};
use tests::proxy::{Proxy, Shape};

fn laptop_through(node: &TestNode, proxy: &Proxy) -> Laptop {
    Laptop::enrolled_via(node, &["nu.iqaluit"], proxy.address)
}

fn ideal(lines: &[String]) -> usize {
    zstd::bulk::compress(lines.join("\n").as_bytes(), 19)
        .unwrap()
        .len()
}

/// A link shaped like Iridium: 300 B/s each way, 750 ms each way.
fn iridium() -> Shape {
    Shape {
        bytes_per_sec: Some(300),
        one_way_delay: std::time::Duration::from_millis(750),
        cut_after_upstream_bytes: None,
    }
}

struct Measure {
    bytes: u64,
    upstream: u64,
    downstream: u64,
    output: String,
    round_trips: u64,
    connections: u64,
    seconds: f64,
}

fn measured_sync(proxy: &Proxy, laptop: &Laptop) -> Measure {
    proxy.reset();
    let started = Instant::now();
    let output = laptop.ok("sync", &["--retries", "0"], b"");
    Measure {
        bytes: proxy.upstream() + proxy.downstream(),
        upstream: proxy.upstream(),
        downstream: proxy.downstream(),
        output,
        round_trips: proxy.round_trips(),
        connections: proxy
            .counters
            .connections
            .load(std::sync::atomic::Ordering::Relaxed),
        seconds: started.elapsed().as_secs_f64(),
    }
}

/// Edits the first `one` records in one field and the next `three` in three fields.
fn edit(laptop: &Laptop, one: usize, three: usize) -> Vec<String> {
    let lines = laptop.ok("list", &["--json", "--limit", "100000"], b"");
    let mut changed = Vec::new();
    for (i, line) in lines.lines().enumerate().take(one + three) {
        let mut record: Value = serde_json::from_str(line).unwrap();
        record["identity"]["contact"]["phone"] = format!("867-555-{i:04}").into();
        if i >= one {
            record["identity"]["preferred_name"] = "Ani".into();
            record["satisfaction"] = 4.into();
        }
        changed.push(record.to_string());
    }
    let _ = laptop.ok("add", &[], changed.join("\n").as_bytes());
    changed
}

/// Sets a new phone number on `count` listed records from the `skip`th: one field each.
fn edit_phones(laptop: &Laptop, skip: usize, count: usize, prefix: &str) {
    let lines = laptop.ok("list", &["--json", "--limit", "100000"], b"");
    let mut changed = Vec::new();
    for (i, line) in lines.lines().enumerate().skip(skip).take(count) {
        let mut record: Value = serde_json::from_str(line).unwrap();
        record["identity"]["contact"]["phone"] = format!("{prefix}-{i:04}").into();
        changed.push(record.to_string());
    }
    let _ = laptop.ok("add", &[], changed.join("\n").as_bytes());
}

/// Server ingest: `devices` enrolled devices each send one signed upload of `records` new
/// records, all at once, straight to the node (no proxy), asking for nothing back (cursor past
/// the end). Devices are in-process clients speaking the real protocol over TLS; the node is the
/// real process. The fan-out of pulls is left out on purpose: that is the devices' work.
fn ingest(node: &TestNode, round: u64, devices: usize, records: usize) {
    use base64::Engine as _;
    use shared::crypto::{DeviceKey, SignedRequest};
    use shared::protocol::enroll::{EnrollRequest, EnrollmentCode};
    use shared::protocol::{
        RequestHead, SyncResponse, UploadHead, UploadStatus, encode_changes, upload_id,
    };

    let http = field_app::sync::pinned_client(
        field_app::sync::Pin::Certificate(node.fingerprint_bytes()),
        std::time::Duration::from_secs(300),
    )
    .unwrap();
    let mut prepared = Vec::new();
    for d in 0..devices {
        let code = EnrollmentCode::parse(&node.enroll_code("agent", &["nu.iqaluit"])).unwrap();
        let key = DeviceKey::generate().unwrap();
        let device = shared::ids::DeviceId::random();
        let enroll = EnrollRequest {
            secret: code.secret,
            device,
            public_key: key.public_key(),
        }
        .encode();
        assert!(
            http.post(format!("{}/api/v1/enroll", node.url))
                .body(enroll)
                .send()
                .unwrap()
                .status()
                .is_success()
        );
        let changes = tests::fixtures::new_record_changes(
            device,
            1_000 * round + d as u64,
            records,
            "nu.iqaluit",
        );
        let blob = encode_changes(&changes, 19, None).expect("compress");
        let head = RequestHead {
            device,
            cursor: u64::MAX / 2,
            max_response_bytes: 0,
            upload: Some(UploadHead {
                upload_id: upload_id(&blob),
                total_len: u32::try_from(blob.len()).unwrap(),
                offset: 0,
            }),
        };
        let mut body = head.encode();
        body.extend_from_slice(&blob);
        let time_ms = shared::time::Timestamp::now().0;
        let signature = key.sign(&SignedRequest {
            method: "POST",
            path: "/api/v1/sync",
            body_sha256: shared::protocol::signed_digest(&body),
            device,
            counter: 1,
            time_ms,
        });
        prepared.push((
            device,
            time_ms,
            base64::engine::general_purpose::STANDARD.encode(signature),
            body,
        ));
    }
    let rss_before = node.rss_kib().unwrap_or(0);
    let started = Instant::now();
    let applied: u32 = std::thread::scope(|scope| {
        let handles: Vec<_> = prepared
            .iter()
            .map(|(device, time_ms, signature, body)| {
                let (http, url) = (&http, &node.url);
                scope.spawn(move || {
                    let response = http
                        .post(format!("{url}/api/v1/sync"))
                        .header("x-outreach-device", device.to_string())
                        .header("x-outreach-counter", "1")
                        .header("x-outreach-time", time_ms.to_string())
                        .header("x-outreach-signature", signature.as_str())
                        .body(body.clone())
                        .send()
                        .unwrap();
                    assert!(response.status().is_success(), "{}", response.status());
                    match SyncResponse::decode(&response.bytes().unwrap())
                        .unwrap()
                        .upload
                    {
                        UploadStatus::Applied { applied, .. } => applied,
                        other => panic!("upload not applied: {other:?}"),
                    }
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    });
    let seconds = started.elapsed().as_secs_f64();
    let rss_after = node.rss_kib().unwrap_or(0);
    println!(
        "ingest round {round}: {devices} devices x {records} new records, one signed upload each, all at once: {applied} record changes applied in {seconds:.2} s = {:.0} record changes/s (goal >= 5,000/s); node RSS {} MiB before, {} MiB after",
        f64::from(applied) / seconds,
        rss_before / 1024,
        rss_after / 1024
    );
}

fn main() {
    // `SYNC_BENCH=ingest` runs only the ingest rounds (`SYNC_BENCH_ROUNDS`, default 2).
    if std::env::var("SYNC_BENCH").as_deref() != Ok("ingest") {
        scenarios();
    }
    // Ingest, round after round on the same node: each round stores 10,000 more records, so the
    // node's RSS after each shows whether memory grows with what is stored.
    let rounds: u64 = std::env::var("SYNC_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(2);
    let node = TestNode::start();
    for round in 1..=rounds {
        ingest(&node, round, 50, 200);
    }
}

fn scenarios() {
    let node = TestNode::start();
    let target: SocketAddr = node.url.trim_start_matches("https://").parse().unwrap();
    let proxy = Proxy::start(target, Shape::default());
    println!(
        "sync benchmark (release processes on loopback through the counting proxy; TLS included)"
    );

    // S1: initial upload of 1,000 realistic records.
    let a = laptop_through(&node, &proxy);
    let lines = intake_lines(1_000, 11, "nu.iqaluit");
    let _ = a.ok("add", &[], lines.join("\n").as_bytes());
    let listed: Vec<String> = a
        .ok("list", &["--json", "--limit", "100000"], b"")
        .lines()
        .map(str::to_owned)
        .collect();
    let s1 = measured_sync(&proxy, &a);
    let s1_ideal = ideal(&listed);
    println!(
        "S1 initial upload, 1,000 records: {} B on the wire, ideal {} B -> {:.2}x (goal <= 1.5x); {} round trip(s) incl. the TLS handshake, {:.2} s",
        s1.bytes,
        s1_ideal,
        s1.bytes as f64 / s1_ideal as f64,
        s1.round_trips,
        s1.seconds
    );

    // S3: no-change sync at 1,000 records against 10.
    let small = laptop_through(&node, &proxy);
    let _ = small.ok(
        "add",
        &[],
        intake_lines(10, 12, "nu.iqaluit").join("\n").as_bytes(),
    );
    let _ = measured_sync(&proxy, &small);
    let _ = measured_sync(&proxy, &a);
    let s3_10 = measured_sync(&proxy, &small);
    let s3_1000 = measured_sync(&proxy, &a);
    println!(
        "S3 no-change sync: {} B at 1,000 records vs {} B at 10 -> {:.2}x (goal <= 1.2x); {} round trip(s) on a new connection: TLS handshake + 1 request",
        s3_1000.bytes,
        s3_10.bytes,
        s3_1000.bytes as f64 / s3_10.bytes as f64,
        s3_1000.round_trips
    );

    // S2: edits — 10% of the records one field, 5% three fields.
    let changed = edit(&a, 100, 50);
    let raw = a.store().pending_change_bytes().unwrap();
    let s2 = measured_sync(&proxy, &a);
    let goal = 1.5 * raw as f64 + 300.0;
    println!(
        "S2 edits (100 records x 1 field, 50 x 3 fields): {} B on the wire; raw Automerge changes {} B; goal <= 1.5 x raw + 300 B = {:.0} B -> {:.2}x of raw; ideal (zstd-19 of the {} changed JSON lines) {} B",
        s2.bytes,
        raw,
        goal,
        s2.bytes as f64 / raw as f64,
        changed.len(),
        ideal(&changed)
    );

    // S4: push 10 new records and 20 edits, pull 5 changes.
    let b = laptop_through(&node, &proxy);
    let _ = measured_sync(&proxy, &b);
    let _ = a.ok(
        "add",
        &[],
        intake_lines(5, 13, "nu.iqaluit").join("\n").as_bytes(),
    );
    let _ = measured_sync(&proxy, &a);
    let _ = b.ok(
        "add",
        &[],
        intake_lines(10, 14, "nu.iqaluit").join("\n").as_bytes(),
    );
    let _ = edit(&b, 20, 0);
    let s4 = measured_sync(&proxy, &b);
    println!(
        "S4 push 10 new + 20 edits, pull 5 new: {} B, {} round trip(s) on {} new connection(s) (one of them is the TLS 1.3 handshake), {:.2} s",
        s4.bytes, s4.round_trips, s4.connections, s4.seconds
    );
    // S6: the S4 session on a link shaped like Iridium (300 B/s each way, 1.5 s round trip).
    let c = laptop_through(&node, &proxy);
    let _ = measured_sync(&proxy, &c);
    let _ = a.ok(
        "add",
        &[],
        intake_lines(5, 15, "nu.iqaluit").join("\n").as_bytes(),
    );
    let _ = measured_sync(&proxy, &a);
    let pulled = intake_lines(5, 15, "nu.iqaluit");
    let new_lines = intake_lines(10, 16, "nu.iqaluit");
    let _ = c.ok("add", &[], new_lines.join("\n").as_bytes());
    let edited = edit(&c, 20, 0);
    let mut changed = new_lines;
    changed.extend(edited);
    changed.extend(pulled);
    let rate = 300.0;
    let round_trip = 1.5;
    proxy.reshape(iridium());
    let s6 = measured_sync(&proxy, &c);
    proxy.reshape(Shape::default());
    let ideal_bytes = ideal(&changed) as f64;
    let goal = 1.5 * ideal_bytes / rate + round_trip;
    println!(
        "S6 S4 on Iridium (300 B/s, 1.5 s RTT): {:.1} s wall, {} B, {} round trip(s) incl. a cold TLS handshake; ideal {:.0} B -> goal <= 1.5 x ideal / rate + 1 RTT = {:.1} s",
        s6.seconds, s6.bytes, s6.round_trips, ideal_bytes, goal
    );

    // S7: the independent harness's Iridium session (issue 8): 2 new records and 4 edits up, 1
    // edit down, on the same link.
    let d = laptop_through(&node, &proxy);
    let _ = measured_sync(&proxy, &d);
    edit_phones(&a, 400, 1, "867-979");
    let _ = measured_sync(&proxy, &a);
    let _ = d.ok(
        "add",
        &[],
        intake_lines(2, 17, "nu.iqaluit").join("\n").as_bytes(),
    );
    edit_phones(&d, 500, 4, "867-222");
    proxy.reshape(iridium());
    let s7 = measured_sync(&proxy, &d);
    proxy.reshape(Shape::default());
    assert!(
        s7.output.contains("6 change(s) acknowledged") && s7.output.contains("1 record(s) updated"),
        "{}",
        s7.output
    );
    println!(
        "S7 2 new + 4 edits up, 1 edit down, on Iridium: {:.1} s wall, {} B up, {} B down, {} round trip(s) incl. a cold TLS handshake (goal <= 10 s)",
        s7.seconds, s7.upstream, s7.downstream, s7.round_trips
    );
}
