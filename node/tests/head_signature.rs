//! Protocol version 3 signs a sync request's head: the node checks that signature before it
//! reads, buffers or keeps anything beyond the head (issue 9: cut parts were kept, and bodies
//! buffered, before any signature check). Version 2 requests, signed over the whole body, are
//! still answered, but nothing of a cut one is kept.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a test failure

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::StatusCode;
use futures_util::StreamExt as _;
use shared::crypto::DeviceKey;
use shared::protocol::wire::Reason;
use shared::protocol::{
    Extensions, RESUME_PROBE, RequestHead, SyncResponse, UploadHead, UploadStatus,
};
use shared::time::Timestamp;

mod support;

use support::{Fixture, fixture, refused};

const UPLOAD_LEN: u32 = 64 * 1024;
const UPLOAD_ID: [u8; 32] = [5; 32];

/// Long enough that a node waiting for the body would be noticed; far below its 60 s idle cut.
const PROMPT: Duration = Duration::from_secs(10);

fn upload_head(f: &Fixture, offset: u32) -> RequestHead {
    RequestHead {
        upload: Some(UploadHead {
            upload_id: UPLOAD_ID,
            total_len: UPLOAD_LEN,
            offset,
        }),
        ..f.head()
    }
}

/// `first` arrives, then the body never moves again (a link that stalls, or a slow attack).
fn stalls_after(first: Vec<u8>) -> Body {
    let chunks = futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from(first))])
        .chain(futures_util::stream::pending());
    Body::from_stream(chunks)
}

/// `first` arrives, then the link fails.
fn cut_after(first: Vec<u8>) -> Body {
    let chunks = futures_util::stream::iter([
        Ok(Bytes::from(first)),
        Err(std::io::Error::other("link dropped")),
    ]);
    Body::from_stream(chunks)
}

/// How many bytes of [`UPLOAD_ID`] the node holds, asked by a correctly signed probe.
async fn held(f: &Fixture, counter: u64) -> u32 {
    let probe = upload_head(f, RESUME_PROBE).encode();
    let (status, reason, body) = f.send(f.signed(probe, counter, Timestamp::now().0)).await;
    assert_eq!((status, reason), (StatusCode::OK, None));
    match SyncResponse::decode(&body).unwrap().upload {
        UploadStatus::Partial { received, .. } => received,
        other => panic!("a probe of an unfinished upload answered {other:?}"),
    }
}

#[tokio::test]
async fn a_head_signed_by_another_key_is_refused_before_the_body_is_read() {
    let f = fixture();
    let stranger = DeviceKey::generate().unwrap();
    let mut meant = upload_head(&f, 0).encode();
    let head = meant.clone();
    meant.resize(head.len() + UPLOAD_LEN as usize, 0);
    let mut first = head;
    first.extend_from_slice(&[0; 1024]);
    let request = f.streamed_as(
        f.device,
        &stranger,
        &meant,
        stalls_after(first),
        1,
        Timestamp::now().0,
    );
    let (status, reason, _) = tokio::time::timeout(PROMPT, f.send(request))
        .await
        .expect("answered without waiting for the rest of the body");
    assert_eq!((status, reason), refused(Reason::BadSignature));
}

#[tokio::test]
async fn bytes_past_what_the_signed_head_announces_are_refused_at_once() {
    let f = fixture();
    let head = f.head().encode();
    let mut first = head.clone();
    first.extend_from_slice(b"more than announced");
    let request = f.streamed_as(
        f.device,
        &f.key,
        &head,
        stalls_after(first),
        1,
        Timestamp::now().0,
    );
    let (status, reason, _) = tokio::time::timeout(PROMPT, f.send(request))
        .await
        .expect("answered without waiting for the rest of the body");
    assert_eq!((status, reason), refused(Reason::BadRequest));
}

#[tokio::test]
async fn a_cut_request_is_kept_only_when_its_head_signature_holds() {
    let f = fixture();
    let head = upload_head(&f, 0).encode();
    let mut meant = head.clone();
    meant.resize(head.len() + UPLOAD_LEN as usize, 0);
    let mut arrived = head;
    arrived.extend_from_slice(&[0; 1000]);

    // Someone who knows the device id but not its key: nothing is kept.
    let stranger = DeviceKey::generate().unwrap();
    let forged = f.streamed_as(
        f.device,
        &stranger,
        &meant,
        cut_after(arrived.clone()),
        1,
        Timestamp::now().0,
    );
    assert_eq!(f.send(forged).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(
        held(&f, 2).await,
        0,
        "a forged cut request left bytes at the node"
    );

    // The device itself: the 1,000 bytes that arrived are kept for it to resume from.
    let genuine = f.streamed_as(
        f.device,
        &f.key,
        &meant,
        cut_after(arrived),
        3,
        Timestamp::now().0,
    );
    assert_eq!(f.send(genuine).await.0, StatusCode::BAD_REQUEST);
    assert_eq!(held(&f, 4).await, 1000);
}

#[tokio::test]
async fn a_version_2_request_is_still_answered_and_nothing_of_a_cut_one_is_kept() {
    let f = fixture();
    let v2 = |head: RequestHead| head.encode_as(2, &Extensions::default());
    let (status, reason, body) = f.send(f.signed(v2(f.head()), 1, Timestamp::now().0)).await;
    assert_eq!((status, reason), (StatusCode::OK, None));
    assert_eq!(SyncResponse::decode_versioned(&body).unwrap().version, 2);

    let head = v2(upload_head(&f, 0));
    let mut meant = head.clone();
    meant.resize(head.len() + UPLOAD_LEN as usize, 0);
    let mut arrived = head;
    arrived.extend_from_slice(&[0; 1000]);
    let cut = f.streamed_as(
        f.device,
        &f.key,
        &meant,
        cut_after(arrived),
        2,
        Timestamp::now().0,
    );
    assert_eq!(f.send(cut).await.0, StatusCode::BAD_REQUEST);
    assert_eq!(
        held(&f, 3).await,
        0,
        "a cut version 2 body could not be checked"
    );
}

#[tokio::test]
async fn older_devices_bodies_are_read_only_a_few_at_a_time() {
    let f = fixture();
    let stalled_v2 = |device, key: &DeviceKey| {
        let head = RequestHead {
            device,
            ..upload_head(&f, 0)
        }
        .encode_as(2, &Extensions::default());
        let mut meant = head.clone();
        meant.resize(head.len() + UPLOAD_LEN as usize, 0);
        f.streamed_as(
            device,
            key,
            &meant,
            stalls_after(head),
            1,
            Timestamp::now().0,
        )
    };
    // Bodies that never end, from as many devices as the node reads at once.
    let mut waiting = Vec::new();
    for n in 0..node::state::UNCHECKED_BODIES {
        let (device, key) = f.another_device(2 + u8::try_from(n).unwrap());
        let request = stalled_v2(device, &key);
        let router = node::router(std::sync::Arc::clone(&f.node));
        waiting.push(tokio::spawn(async move {
            use tower::ServiceExt as _;
            router.oneshot(request).await
        }));
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (device, key) = f.another_device(100);
    let (status, reason, _) = tokio::time::timeout(PROMPT, f.send(stalled_v2(device, &key)))
        .await
        .expect("answered at once");
    assert_eq!((status, reason), refused(Reason::Unavailable));
    // A version 3 request is checked at its head and not held back by them.
    let (status, _, _) = f
        .send(f.signed(f.head().encode(), 1, Timestamp::now().0))
        .await;
    assert_eq!(status, StatusCode::OK);
    for task in waiting {
        task.abort();
    }
}
