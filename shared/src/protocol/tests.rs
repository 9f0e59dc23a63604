use proptest::prelude::*;

use super::*;

fn head_strategy() -> impl Strategy<Value = RequestHead> {
    (
        any::<u128>(),
        any::<u64>(),
        any::<u32>(),
        proptest::option::of((any::<[u8; 32]>(), 0..=MAX_UPLOAD_BYTES, any::<u32>())),
    )
        .prop_map(|(device, cursor, max_response_bytes, upload)| RequestHead {
            device: DeviceId(uuid::Uuid::from_u128(device)),
            cursor,
            max_response_bytes,
            upload: upload.map(|(upload_id, total_len, offset)| UploadHead {
                upload_id,
                total_len,
                offset: if offset % 7 == 0 {
                    RESUME_PROBE
                } else {
                    offset % (total_len + 1)
                },
            }),
        })
}

fn changes_strategy() -> impl Strategy<Value = Vec<BatchChange>> {
    proptest::collection::vec(
        (
            any::<u128>(),
            any::<u32>(),
            proptest::collection::vec(any::<u8>(), 0..300),
        )
            .prop_map(|(c, epoch, change)| BatchChange {
                client: ClientId(uuid::Uuid::from_u128(c)),
                epoch,
                change,
            }),
        0..40,
    )
}

proptest! {
    #[test]
    fn request_head_round_trips(head in head_strategy(), tail in proptest::collection::vec(any::<u8>(), 0..50)) {
        let mut body = head.encode();
        prop_assert!(body.len() <= MAX_HEAD_BYTES);
        let head_len = body.len();
        body.extend_from_slice(&tail);
        prop_assert_eq!(RequestHead::decode(&body).unwrap(), (head, head_len));
    }

    #[test]
    fn change_batches_round_trip(changes in changes_strategy()) {
        prop_assert_eq!(decode_changes(&encode_changes(&changes, 3)).unwrap(), changes);
    }

    #[test]
    fn responses_round_trip(
        time in any::<i64>(), cursor in any::<u64>(), more in any::<bool>(),
        status in 0u8..3, id in any::<[u8; 32]>(), n in any::<u32>(),
        changes in proptest::collection::vec(any::<u8>(), 0..100),
    ) {
        let upload = match status {
            0 => UploadStatus::None,
            1 => UploadStatus::Partial { upload_id: id, received: n },
            _ => UploadStatus::Applied { upload_id: id, applied: n, duplicates: n / 2, refused: n / 3 },
        };
        let response = SyncResponse { server_time: Timestamp(time), upload, changes, next_cursor: cursor, more };
        prop_assert_eq!(SyncResponse::decode(&response.encode()).unwrap(), response);
    }

    #[test]
    fn arbitrary_bytes_are_an_error_never_a_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = RequestHead::decode(&bytes);
        let _ = SyncResponse::decode(&bytes);
        let _ = decode_changes(&bytes);
        let mut framed = b"OKS\x01".to_vec();
        framed.extend_from_slice(&bytes);
        let _ = RequestHead::decode(&framed);
        let mut framed = b"OKR\x01".to_vec();
        framed.extend_from_slice(&bytes);
        let _ = SyncResponse::decode(&framed);
        let _ = decode_changes(&zstd::bulk::compress(&bytes, 1).unwrap());
    }
}

#[test]
fn every_truncation_of_a_message_is_an_error() {
    let changes = vec![BatchChange {
        client: ClientId::random(),
        epoch: 1,
        change: vec![7; 50],
    }];
    let response = SyncResponse {
        server_time: Timestamp(5),
        upload: UploadStatus::Applied {
            upload_id: [1; 32],
            applied: 1,
            duplicates: 0,
            refused: 0,
        },
        changes: encode_changes(&changes, 3),
        next_cursor: 9,
        more: false,
    };
    let bytes = response.encode();
    for cut in 0..bytes.len() {
        assert!(
            SyncResponse::decode(&bytes[..cut]).is_err(),
            "cut at {cut} decoded"
        );
    }
}

#[test]
fn a_huge_declared_count_is_refused_before_allocating() {
    let mut w = Writer::default();
    w.u64(u64::MAX / 2);
    let compressed = zstd::bulk::compress(&w.bytes, 1).unwrap();
    assert_eq!(decode_changes(&compressed), Err(DecodeError::TooLarge));
}

#[test]
fn another_version_is_named_in_the_error() {
    let mut body = RequestHead {
        device: DeviceId::random(),
        cursor: 0,
        max_response_bytes: 0,
        upload: None,
    }
    .encode();
    body[3] = 2;
    assert_eq!(
        RequestHead::decode(&body),
        Err(DecodeError::UnsupportedVersion(2))
    );
}
