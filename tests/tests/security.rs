//! Hand-made requests against a real node: every forged, replayed, revoked, mis-keyed or
//! tampered request is refused with a clear status and reason.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a test failure

use std::time::Duration;

use base64::Engine as _;
use shared::crypto::{DeviceKey, SignedRequest, body_digest};
use shared::ids::DeviceId;
use shared::protocol::RequestHead;
use shared::time::Timestamp;
use tests::processes::{Laptop, TestNode};

struct Raw {
    http: reqwest::blocking::Client,
    url: String,
}

impl Raw {
    fn post(&self, body: &[u8], headers: &[(&str, String)]) -> (u16, String) {
        let mut request = self
            .http
            .post(format!("{}/api/v1/sync", self.url))
            .body(body.to_vec());
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        let response = request.send().unwrap();
        let reason = response
            .headers()
            .get("x-outreach-error")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        (response.status().as_u16(), reason)
    }
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
        body_sha256: body_digest(signed_body),
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
    let laptop = Laptop::new();
    let code = node.enroll_code("agent", &["nu.iqaluit"]);
    let _ = laptop.ok("enroll", &["--enroll-code", &code], b"");
    let (device, key) = {
        let store = laptop.store();
        let pkcs8 = store
            .link_value(field_app::storage::sync_state::key::DEVICE_KEY)
            .unwrap()
            .unwrap();
        (
            store.author().device,
            DeviceKey::from_pkcs8(&pkcs8).unwrap(),
        )
    };
    let raw = Raw {
        http: field_app::sync::pinned_client(node.fingerprint_bytes(), Duration::from_secs(30))
            .unwrap(),
        url: node.url.clone(),
    };
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
