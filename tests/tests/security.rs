//! Hand-made requests against a real node: every forged, replayed, revoked, mis-keyed or
//! tampered request is refused with a clear status and reason.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a test failure

use std::io::Read;
use std::time::Duration;

use base64::Engine as _;
use shared::crypto::{DeviceKey, SignedRequest};
use shared::ids::DeviceId;
use shared::protocol::{RESUME_PROBE, RequestHead, SyncResponse, UploadHead, UploadStatus};
use shared::time::Timestamp;
use tests::processes::{Laptop, TestNode};

struct Raw {
    http: reqwest::blocking::Client,
    url: String,
}

/// A body that delivers its bytes and then fails, as a dropped link does.
struct CutLink {
    bytes: Vec<u8>,
    at: usize,
}

impl Read for CutLink {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.at == self.bytes.len() {
            return Err(std::io::Error::other("link dropped"));
        }
        let n = buf.len().min(self.bytes.len() - self.at);
        buf[..n].copy_from_slice(&self.bytes[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

impl Raw {
    fn to(node: &TestNode) -> Self {
        Self {
            http: field_app::sync::pinned_client(
                field_app::sync::Pin::Certificate(node.fingerprint_bytes()),
                Duration::from_secs(30),
            )
            .unwrap(),
            url: node.url.clone(),
        }
    }

    fn sync_request(
        &self,
        body: reqwest::blocking::Body,
        headers: &[(&str, String)],
    ) -> reqwest::blocking::RequestBuilder {
        headers.iter().fold(
            self.http
                .post(format!("{}/api/v1/sync", self.url))
                .body(body),
            |request, (name, value)| request.header(*name, value),
        )
    }

    /// Sends `arrives` of a body announced as `announced` bytes long, then drops the link.
    fn post_cut(&self, arrives: Vec<u8>, announced: u64, headers: &[(&str, String)]) {
        let body = CutLink {
            bytes: arrives,
            at: 0,
        };
        // The node may answer before the cut (a forged head) or see the cut: either way the
        // request does not complete.
        let _ = self
            .sync_request(reqwest::blocking::Body::sized(body, announced), headers)
            .send();
    }

    fn post_answer(&self, body: &[u8], headers: &[(&str, String)]) -> SyncResponse {
        let response = self
            .sync_request(body.to_vec().into(), headers)
            .send()
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        SyncResponse::decode(&response.bytes().unwrap()).unwrap()
    }

    fn post(&self, body: &[u8], headers: &[(&str, String)]) -> (u16, String) {
        let response = self
            .sync_request(body.to_vec().into(), headers)
            .send()
            .unwrap();
        let reason = response
            .headers()
            .get("x-outreach-error")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        (response.status().as_u16(), reason)
    }
}

/// A laptop enrolled as an agent of Iqaluit, with its device id and key.
fn enrolled_agent(node: &TestNode) -> (Laptop, DeviceId, DeviceKey) {
    let laptop = Laptop::new();
    let code = node.enroll_code("agent", &["nu.iqaluit"]);
    let _ = laptop.ok("enroll", &["--enroll-code", &code], b"");
    let (device, key) = device_key(&laptop);
    (laptop, device, key)
}

/// The device id and key a laptop enrolled with.
fn device_key(laptop: &Laptop) -> (DeviceId, DeviceKey) {
    let store = laptop.store();
    let pkcs8 = store
        .link_value(field_app::storage::sync_state::key::DEVICE_KEY)
        .unwrap()
        .unwrap();
    (
        store.author().device,
        DeviceKey::from_pkcs8(&pkcs8).unwrap(),
    )
}

fn signed(
    key: &DeviceKey,
    device: DeviceId,
    counter: u64,
    time_ms: i64,
    signed_body: &[u8],
) -> Vec<(&'static str, String)> {
    let signature = key.sign(&SignedRequest {
        method: "POST",
        path: "/api/v1/sync",
        body_sha256: shared::protocol::signed_digest(signed_body),
        device,
        counter,
        time_ms,
    });
    vec![
        ("x-outreach-device", device.to_string()),
        ("x-outreach-counter", counter.to_string()),
        ("x-outreach-time", time_ms.to_string()),
        (
            "x-outreach-signature",
            base64::engine::general_purpose::STANDARD.encode(signature),
        ),
    ]
}

#[test]
fn forged_replayed_revoked_mis_keyed_and_tampered_requests_are_refused() {
    let node = TestNode::start();
    let (laptop, device, key) = enrolled_agent(&node);
    let raw = Raw::to(&node);
    let body = RequestHead {
        device,
        cursor: 0,
        max_response_bytes: 65_536,
        upload: None,
    }
    .encode();
    let now = Timestamp::now().0;

    assert_eq!(raw.post(&body, &[]), (401, "unsigned".into()));
    let good = signed(&key, device, 1_000, now, &body);
    assert_eq!(
        raw.post(&body, &good).0,
        200,
        "a correctly signed request is answered"
    );
    assert_eq!(raw.post(&body, &good), (409, "replay".into()));

    let mut tampered = body.clone();
    tampered[5] ^= 0x40;
    assert_eq!(
        raw.post(&tampered, &signed(&key, device, 1_001, now, &body)),
        (401, "bad-signature".into())
    );

    let stranger = DeviceKey::generate().unwrap();
    assert_eq!(
        raw.post(&body, &signed(&stranger, device, 1_002, now, &body)),
        (401, "bad-signature".into()),
        "wrong device key"
    );
    let unknown = DeviceId::random();
    let other_body = RequestHead {
        device: unknown,
        cursor: 0,
        max_response_bytes: 0,
        upload: None,
    }
    .encode();
    assert_eq!(
        raw.post(&other_body, &signed(&key, unknown, 1, now, &other_body)),
        (401, "unknown-device".into())
    );

    let three_days = 3 * 24 * 3600 * 1000;
    assert_eq!(
        raw.post(&body, &signed(&key, device, 1_003, now - three_days, &body)),
        (401, "clock-skew".into())
    );

    let other = RequestHead {
        device,
        cursor: 7,
        max_response_bytes: 65_536,
        upload: None,
    }
    .encode();
    assert_eq!(
        raw.post(&other, &signed(&key, device, 1_000, now, &other)),
        (409, "counter-fork".into()),
        "same counter, other content: a copied profile"
    );

    let out = node.command("revoke", &[&device.to_string()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        raw.post(&body, &signed(&key, device, 2_000, now, &body)),
        (403, "revoked".into())
    );
    let out = laptop.run("sync", &["--retries", "0"], b"");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("revoked"));

    let metrics = raw
        .http
        .get(format!("{}/metrics", node.url))
        .send()
        .unwrap()
        .text()
        .unwrap();
    let refused: u64 = metrics
        .lines()
        .find_map(|l| l.strip_prefix("outreach_auth_refused_total "))
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(refused, 9, "every refusal counted:\n{metrics}");
}

/// Issue 9: anyone who knew a device id could make the node keep the parts of cut requests
/// without signing anything. From protocol version 3 the head is signed and checked first.
#[test]
fn a_cut_request_whose_head_is_not_signed_by_its_device_leaves_nothing_at_the_node() {
    let node = TestNode::start();
    let (_laptop, device, key) = enrolled_agent(&node);
    let raw = Raw::to(&node);
    let upload = |offset| RequestHead {
        device,
        cursor: 0,
        max_response_bytes: 65_536,
        upload: Some(UploadHead {
            upload_id: [9; 32],
            total_len: 1 << 20,
            offset,
        }),
    };
    let head = upload(0).encode();
    let mut meant = head.clone();
    meant.resize(head.len() + (1 << 20), 7);
    let arrives = meant[..head.len() + 200_000].to_vec();
    let now = Timestamp::now().0;
    let held = |counter| {
        let probe = upload(RESUME_PROBE).encode();
        match raw
            .post_answer(
                &probe,
                &signed(&key, device, counter, Timestamp::now().0, &probe),
            )
            .upload
        {
            UploadStatus::Partial { received, .. } => received,
            other => panic!("probe answered {other:?}"),
        }
    };

    let stranger = DeviceKey::generate().unwrap();
    for counter in 1..=3 {
        raw.post_cut(
            arrives.clone(),
            meant.len() as u64,
            &signed(&stranger, device, counter, now, &meant),
        );
    }
    assert_eq!(held(10), 0, "forged cut requests left bytes at the node");

    raw.post_cut(
        arrives,
        meant.len() as u64,
        &signed(&key, device, 11, now, &meant),
    );
    assert!(
        held(12) > 0,
        "the device's own cut request is kept for it to resume"
    );
}
