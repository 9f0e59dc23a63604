//! Compression dictionaries on the wire (`docs/PROTOCOL.md`, "Dictionaries"): an upload that
//! names one is read, a page is compressed with one only for a device that says it reads it, and
//! a device that asks is told which ones the node reads.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a test failure

use axum::http::StatusCode;
use shared::ids::{AgentId, DeviceId};
use shared::intake_schema::{ImportContext, parse_line};
use shared::protocol::dictionary::{
    ASK_DICTIONARIES_TAG, CHANGES_V1, DICTIONARIES_TAG, READABLE, decode_ids, encode_ids, named_by,
};
use shared::protocol::{
    BatchChange, Extensions, PROTOCOL_VERSION, RequestHead, SyncResponse, UploadStatus,
    decode_changes, encode_changes,
};
use shared::time::Timestamp;
use shared::{Author, Catalogue, ClientDoc};

mod support;

fn new_records(device: DeviceId, count: usize) -> Vec<BatchChange> {
    let author = Author {
        agent: AgentId::random(),
        device,
    };
    let catalogue = Catalogue::built_in().unwrap();
    (0..count)
        .map(|n| {
            let line = format!(
                r#"{{"schema":1,"identity":{{"given_name":"Ani{n}","family_name":"Dictionary","community":"nu.iqaluit","contact":{{"phone":"867-555-01{n:02}"}}}},"languages":{{"spoken":["iu","en"]}}}}"#
            );
            let client = parse_line(&line, &ImportContext::now_by(author), &catalogue).unwrap();
            support::change_by(&mut ClientDoc::empty(device), &client, device)
        })
        .collect()
}

#[tokio::test]
async fn an_upload_names_its_dictionary_and_a_page_uses_one_only_for_a_device_that_reads_it() {
    let f = support::fixture();
    let changes = new_records(f.device, 2);
    let blob = encode_changes(&changes, 19, Some(CHANGES_V1)).unwrap();
    assert_eq!(named_by(&blob), Some(CHANGES_V1));
    let body = f.upload_body(&blob);
    let (status, _, answer) = f.send(f.signed(body, 1, Timestamp::now().0)).await;
    assert_eq!(status, StatusCode::OK);
    let answer = SyncResponse::decode_versioned(&answer).unwrap();
    assert!(
        matches!(
            answer.message.upload,
            UploadStatus::Applied { applied: 2, .. }
        ),
        "{:?}",
        answer.message.upload
    );
    // Nobody asked: the node does not say which dictionaries it reads.
    assert!(answer.extensions.get(DICTIONARIES_TAG).is_none());

    let (other, key) = f.another_device(2);
    let pull = |extensions: Extensions, counter: u64| {
        let body = RequestHead {
            device: other,
            ..f.head()
        }
        .encode_as(PROTOCOL_VERSION, &extensions);
        f.streamed_as(
            other,
            &key,
            &body.clone(),
            axum::body::Body::from(body),
            counter,
            Timestamp::now().0,
        )
    };
    let reads_and_asks = Extensions(vec![
        (DICTIONARIES_TAG, encode_ids(READABLE)),
        (ASK_DICTIONARIES_TAG, Vec::new()),
    ]);
    let (status, _, with) = f.send(pull(reads_and_asks, 1)).await;
    assert_eq!(status, StatusCode::OK);
    let with = SyncResponse::decode_versioned(&with).unwrap();
    assert_eq!(
        decode_ids(with.extensions.get(DICTIONARIES_TAG).unwrap()).unwrap(),
        READABLE
    );
    assert_eq!(named_by(&with.message.changes), Some(CHANGES_V1));
    assert_eq!(decode_changes(&with.message.changes).unwrap(), changes);

    // An older device (no tag) gets a page any build reads; a list naming only unknown
    // dictionaries, or not a list at all, is taken as none.
    for (n, extensions) in [
        Extensions::default(),
        Extensions(vec![(DICTIONARIES_TAG, encode_ids(&[70_000]))]),
        Extensions(vec![(DICTIONARIES_TAG, vec![0xff; 3])]),
    ]
    .into_iter()
    .enumerate()
    {
        let (status, _, without) = f.send(pull(extensions, 2 + n as u64)).await;
        assert_eq!(status, StatusCode::OK);
        let without = SyncResponse::decode_versioned(&without).unwrap();
        assert_eq!(named_by(&without.message.changes), None);
        assert!(zstd::bulk::decompress(&without.message.changes, 1 << 24).is_ok());
        assert_eq!(decode_changes(&without.message.changes).unwrap(), changes);
        assert!(with.message.changes.len() < without.message.changes.len());
    }
}

#[tokio::test]
async fn an_upload_naming_a_dictionary_the_node_lacks_is_refused_and_the_node_keeps_serving() {
    let f = support::fixture();
    let changes = new_records(f.device, 1);
    // What a hostile or newer device might send: a frame naming dictionary 999.
    let mut foreign = shared::protocol::dictionary::bytes(CHANGES_V1)
        .unwrap()
        .to_vec();
    foreign[4..8].copy_from_slice(&999u32.to_le_bytes());
    let plain =
        zstd::bulk::decompress(&encode_changes(&changes, 3, None).unwrap(), 1 << 20).unwrap();
    let blob = zstd::bulk::Compressor::with_dictionary(3, &foreign)
        .unwrap()
        .compress(&plain)
        .unwrap();
    assert_eq!(named_by(&blob), Some(999));
    let body = f.upload_body(&blob);
    let (status, reason, _) = f.send(f.signed(body, 1, Timestamp::now().0)).await;
    assert!(status.is_client_error(), "{status} {reason:?}");

    let (status, _, answer) = f
        .send(f.signed(f.head().encode(), 2, Timestamp::now().0))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(SyncResponse::decode_versioned(&answer).is_ok());
}
