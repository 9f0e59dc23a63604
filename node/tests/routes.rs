//! The routes in process (`router(node).oneshot`), beside the cross-process tests in `tests/`:
//! every status and reason `docs/CLI.md` lists, and the protocol version range.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a test failure

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use node::router;
use node::storage::Enrollment;
use shared::crypto::DeviceKey;
use shared::ids::{CommunityCode, DeviceId};
use shared::protocol::enroll::{EnrollRequest, EnrollResponse, Role, Scope};
use shared::protocol::wire::{MAX_ENROLL_REQUEST_BYTES, Reason, header, path};
use shared::protocol::{Extensions, MIN_PROTOCOL_VERSION, SyncResponse};
use shared::time::Timestamp;
use tower::ServiceExt as _;

mod support;

use support::{fixture, refused};

#[tokio::test]
async fn a_signed_sync_answers_200_with_a_response() {
    let f = fixture();
    let (status, reason, body) = f
        .send(f.signed(f.head().encode(), 1, Timestamp::now().0))
        .await;
    assert_eq!((status, reason), (StatusCode::OK, None));
    let answer = SyncResponse::decode_versioned(&body).unwrap();
    assert_eq!(answer.version, shared::protocol::PROTOCOL_VERSION);
}

#[tokio::test]
async fn an_old_version_request_is_accepted_and_answered_in_its_version() {
    let f = fixture();
    let body = f
        .head()
        .encode_as(MIN_PROTOCOL_VERSION, &Extensions::default());
    let (status, _, body) = f.send(f.signed(body, 1, Timestamp::now().0)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        SyncResponse::decode_versioned(&body).unwrap().version,
        MIN_PROTOCOL_VERSION
    );
}

#[tokio::test]
async fn an_unknown_extension_is_skipped_by_the_node() {
    let f = fixture();
    let body = f.head().encode_as(
        shared::protocol::PROTOCOL_VERSION,
        &Extensions(vec![(77_777, b"from a newer laptop".to_vec())]),
    );
    let (status, reason, _) = f.send(f.signed(body, 1, Timestamp::now().0)).await;
    assert_eq!((status, reason), (StatusCode::OK, None));
}

#[tokio::test]
async fn a_body_that_is_not_a_message_is_400_bad_request() {
    let f = fixture();
    let (status, reason, _) = f
        .send(f.signed(b"not a sync message".to_vec(), 1, Timestamp::now().0))
        .await;
    assert_eq!((status, reason), refused(Reason::BadRequest));
}

#[tokio::test]
async fn missing_signature_headers_are_401_unsigned() {
    let f = fixture();
    let request = Request::post(path::SYNC)
        .body(Body::from(f.head().encode()))
        .unwrap();
    let (status, reason, _) = f.send(request).await;
    assert_eq!((status, reason), refused(Reason::Unsigned));
}

#[tokio::test]
async fn an_unknown_device_is_401_unknown_device() {
    let mut f = fixture();
    f.device = DeviceId::random();
    let (status, reason, _) = f
        .send(f.signed(f.head().encode(), 1, Timestamp::now().0))
        .await;
    assert_eq!((status, reason), refused(Reason::UnknownDevice));
}

#[tokio::test]
async fn a_wrong_key_is_401_bad_signature() {
    let f = fixture();
    let other = DeviceKey::generate().unwrap();
    let (status, reason, _) = f
        .send(f.signed_by(&other, f.head().encode(), 1, Timestamp::now().0))
        .await;
    assert_eq!((status, reason), refused(Reason::BadSignature));
}

/// A sync request carrying its signature in the one compact header.
fn compactly_signed(
    f: &support::Fixture,
    key: &DeviceKey,
    counter: u64,
    time_ms: i64,
) -> Request<Body> {
    let body = f.head().encode();
    let signature = key.sign(&shared::crypto::SignedRequest {
        method: "POST",
        path: path::SYNC,
        body_sha256: shared::protocol::signed_digest(&body),
        device: f.device,
        counter,
        time_ms,
    });
    let auth = shared::protocol::wire::CompactAuth {
        device: f.device,
        counter,
        time_ms,
        signature,
    };
    Request::post(path::SYNC)
        .header(header::AUTH, auth.to_header_value())
        .body(Body::from(body))
        .unwrap()
}

#[tokio::test]
async fn the_compact_auth_header_is_checked_like_the_four_headers() {
    let f = fixture();
    let now = Timestamp::now().0;
    let (status, reason, _) = f.send(compactly_signed(&f, &f.key, 1, now)).await;
    assert_eq!((status, reason), (StatusCode::OK, None));
    let (status, reason, _) = f.send(compactly_signed(&f, &f.key, 1, now)).await;
    assert_eq!((status, reason), refused(Reason::Replay));
    // Counter 1 again, signed at another moment: another request under a used counter.
    let (status, reason, _) = f.send(compactly_signed(&f, &f.key, 1, now + 1)).await;
    assert_eq!((status, reason), refused(Reason::CounterFork));
    let other = DeviceKey::generate().unwrap();
    let (status, reason, _) = f.send(compactly_signed(&f, &other, 2, now)).await;
    assert_eq!((status, reason), refused(Reason::BadSignature));
    let garbled = Request::post(path::SYNC)
        .header(header::AUTH, "AAAA")
        .body(Body::from(f.head().encode()))
        .unwrap();
    let (status, reason, _) = f.send(garbled).await;
    assert_eq!((status, reason), refused(Reason::Unsigned));
}

#[tokio::test]
async fn a_far_clock_is_401_clock_skew_with_the_node_time() {
    let f = fixture();
    let request = f.signed(f.head().encode(), 1, Timestamp::now().0 - 3 * 86_400_000);
    let response = router(Arc::clone(&f.node)).oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        response.headers().get(header::ERROR).unwrap(),
        Reason::ClockSkew.as_str()
    );
    let server_time: i64 = response
        .headers()
        .get(header::SERVER_TIME)
        .unwrap()
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((server_time - Timestamp::now().0).abs() < 60_000);
}

#[tokio::test]
async fn a_revoked_device_is_403_revoked() {
    let f = fixture();
    assert!(f.node.store.revoke(f.device).unwrap());
    let (status, reason, _) = f
        .send(f.signed(f.head().encode(), 1, Timestamp::now().0))
        .await;
    assert_eq!((status, reason), refused(Reason::Revoked));
}

#[tokio::test]
async fn the_same_request_again_is_409_replay_and_another_with_its_counter_a_fork() {
    let f = fixture();
    let now = Timestamp::now().0;
    let body = f.head().encode();
    assert_eq!(
        f.send(f.signed(body.clone(), 5, now)).await.0,
        StatusCode::OK
    );
    let (status, reason, _) = f.send(f.signed(body, 5, now)).await;
    assert_eq!((status, reason), refused(Reason::Replay));
    let mut other = f.head();
    other.cursor = 3;
    let (status, reason, _) = f.send(f.signed(other.encode(), 5, now)).await;
    assert_eq!((status, reason), refused(Reason::CounterFork));
    assert!(
        f.node
            .store
            .device(f.device)
            .unwrap()
            .unwrap()
            .suspected_clone
    );
}

#[tokio::test]
async fn trailing_bytes_after_a_head_without_an_upload_are_400_bad_request() {
    let f = fixture();
    let mut body = f.head().encode();
    body.extend_from_slice(b"smuggled");
    let (status, reason, _) = f.send(f.signed(body, 1, Timestamp::now().0)).await;
    assert_eq!((status, reason), refused(Reason::BadRequest));
}

#[tokio::test]
async fn a_counter_beyond_what_is_stored_is_400_not_a_damaged_store() {
    let f = fixture();
    let counter = u64::try_from(i64::MAX).unwrap() + 1;
    let (status, reason, _) = f
        .send(f.signed(f.head().encode(), counter, Timestamp::now().0))
        .await;
    assert_eq!((status, reason), refused(Reason::BadRequest));
    // The device is not flagged and keeps syncing.
    let (status, _, _) = f
        .send(f.signed(f.head().encode(), 2, Timestamp::now().0))
        .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn an_oversized_body_is_413_too_large() {
    let f = fixture();
    let mut body = f.head().encode();
    body.resize(shared::protocol::MAX_REQUEST_BYTES + 1, 0);
    let (status, reason, _) = f.send(f.signed(body, 1, Timestamp::now().0)).await;
    assert_eq!((status, reason), refused(Reason::TooLarge));
    let enroll = Request::post(path::ENROLL)
        .body(Body::from(vec![0u8; MAX_ENROLL_REQUEST_BYTES + 1]))
        .unwrap();
    let (status, reason, _) = f.send(enroll).await;
    assert_eq!((status, reason), refused(Reason::TooLarge));
}

#[tokio::test]
async fn enrolment_answers_200_once_then_403_enrollment_refused() {
    let f = fixture();
    let secret = [9u8; 16];
    f.node
        .store
        .add_enrollment(&Enrollment {
            secret_hash: shared::protocol::upload_id(&secret),
            role: Role::Agent,
            scope: Scope {
                communities: vec![CommunityCode::new("nu.iqaluit")],
            },
            expires_at: Timestamp(i64::MAX),
        })
        .unwrap();
    let request = || {
        Request::post(path::ENROLL)
            .body(Body::from(
                EnrollRequest {
                    secret,
                    device: DeviceId::random(),
                    public_key: [3; 32],
                }
                .encode(),
            ))
            .unwrap()
    };
    let (status, _, body) = f.send(request()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(EnrollResponse::decode(&body).unwrap().node, f.node.id);
    let (status, reason, _) = f.send(request()).await;
    assert_eq!((status, reason), refused(Reason::EnrollmentRefused));
}

#[tokio::test]
async fn healthz_and_metrics_answer_200() {
    let f = fixture();
    let (status, _, body) = f
        .send(Request::get(path::HEALTHZ).body(Body::empty()).unwrap())
        .await;
    assert_eq!((status, body.as_slice()), (StatusCode::OK, &b"ok\n"[..]));
    let (status, _, body) = f
        .send(Request::get(path::METRICS).body(Body::empty()).unwrap())
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(String::from_utf8(body).unwrap().contains("outreach_"));
}

/// A hostile enrolled device: properly signed requests whose head and upload bytes are mutated
/// at random. Every answer is a refusal or a success — never a 500 — and the node keeps serving.
#[tokio::test]
async fn mutated_signed_requests_are_refused_and_the_node_keeps_serving() {
    let f = fixture();
    let mut head = f.head();
    head.upload = Some(shared::protocol::UploadHead {
        upload_id: [7; 32],
        total_len: 64,
        offset: 0,
    });
    let mut valid = head.encode();
    valid.extend_from_slice(&[0x28, 0xb5, 0x2f, 0xfd]); // a zstd frame that never ends
    valid.resize(valid.len() + 60, 0xAA);
    // A fixed-seed xorshift: the same mutations every run, so a failure reproduces.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for counter in 1..=300u64 {
        let mut body = valid.clone();
        for _ in 0..=(next() % 4) {
            let at = usize::try_from(next() % body.len() as u64).unwrap();
            body[at] = u8::try_from(next() % 256).unwrap();
        }
        if next() % 5 == 0 {
            body.truncate(usize::try_from(next() % body.len() as u64).unwrap());
        }
        let (status, reason, _) = f.send(f.signed(body, counter, Timestamp::now().0)).await;
        assert!(
            status.is_success() || status.is_client_error(),
            "mutation {counter} answered {status} {reason:?}"
        );
    }
    let (status, _, _) = f
        .send(Request::get(path::HEALTHZ).body(Body::empty()).unwrap())
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = f
        .send(f.signed(f.head().encode(), 10_000, Timestamp::now().0))
        .await;
    assert_eq!(status, StatusCode::OK, "a genuine request still syncs");
}

#[tokio::test]
async fn an_office_request_from_an_agent_device_is_403_office_only() {
    use base64::Engine as _;
    let f = fixture();
    let body =
        br#"{"partner":"nu.health","purpose":"referral","recipient":null,"by":"x","dry_run":true}"#;
    let time_ms = Timestamp::now().0;
    let signature = f.key.sign(&shared::crypto::SignedRequest {
        method: "POST",
        path: path::OFFICE_EXPORT,
        body_sha256: shared::crypto::body_digest(body),
        device: f.device,
        counter: 1,
        time_ms,
    });
    let request = Request::post(path::OFFICE_EXPORT)
        .header(header::DEVICE, f.device.to_string())
        .header(header::COUNTER, "1")
        .header(header::TIME, time_ms.to_string())
        .header(
            header::SIGNATURE,
            base64::engine::general_purpose::STANDARD.encode(signature),
        )
        .body(Body::from(body.to_vec()))
        .unwrap();
    let (status, reason, _) = f.send(request).await;
    assert_eq!((status, reason), refused(Reason::OfficeOnly));
}
