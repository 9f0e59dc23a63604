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
        prop_assert_eq!(&decode_changes(&encode_changes(&changes, 3, None).unwrap()).unwrap(), &changes);
        let with_dictionary = encode_changes(&changes, 3, Some(super::dictionary::CHANGES_V1)).unwrap();
        prop_assert_eq!(decode_changes(&with_dictionary).unwrap(), changes);
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
        changes: encode_changes(&changes, 3, None).unwrap(),
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
    body[3] = PROTOCOL_VERSION + 1;
    assert_eq!(
        RequestHead::decode(&body),
        Err(DecodeError::UnsupportedVersion(PROTOCOL_VERSION + 1))
    );
}

#[test]
fn an_old_version_request_is_read_by_a_newer_decoder() {
    let head = RequestHead {
        device: DeviceId::random(),
        cursor: 42,
        max_response_bytes: 1 << 20,
        upload: None,
    };
    let old = head.encode_as(MIN_PROTOCOL_VERSION, &Extensions::default());
    assert_eq!(old[3], 1, "version byte");
    let (decoded, len) = RequestHead::decode_versioned(&old).unwrap();
    assert_eq!(
        (decoded.message, decoded.version, len),
        (head, 1, old.len())
    );
    let response = SyncResponse {
        server_time: Timestamp(5),
        upload: UploadStatus::None,
        changes: Vec::new(),
        next_cursor: 9,
        more: false,
    };
    let old = response.encode_as(1, &Extensions::default());
    assert_eq!(SyncResponse::decode_versioned(&old).unwrap().version, 1);
    assert_eq!(SyncResponse::decode(&old).unwrap(), response);
}

#[test]
fn unknown_extensions_are_skipped() {
    let head = RequestHead {
        device: DeviceId::random(),
        cursor: 7,
        max_response_bytes: 4096,
        upload: Some(UploadHead {
            upload_id: [3; 32],
            total_len: 10,
            offset: 0,
        }),
    };
    let from_the_future = Extensions(vec![(9_999, vec![1, 2, 3]), (10_000, Vec::new())]);
    let mut body = head.encode_as(PROTOCOL_VERSION, &from_the_future);
    let head_len = body.len();
    body.extend_from_slice(b"upload");
    assert_eq!(RequestHead::decode(&body).unwrap(), (head, head_len));
    let (versioned, _) = RequestHead::decode_versioned(&body).unwrap();
    assert_eq!(versioned.extensions.get(9_999), Some(&[1u8, 2, 3][..]));

    let response = SyncResponse {
        server_time: Timestamp(1),
        upload: UploadStatus::None,
        changes: vec![1, 2],
        next_cursor: 3,
        more: true,
    };
    let bytes = response.encode_as(PROTOCOL_VERSION, &from_the_future);
    assert_eq!(SyncResponse::decode(&bytes).unwrap(), response);
}

#[test]
fn versions_outside_the_range_are_refused() {
    let head = RequestHead {
        device: DeviceId::random(),
        cursor: 0,
        max_response_bytes: 0,
        upload: None,
    };
    for version in [0, PROTOCOL_VERSION + 1] {
        let mut body = head.encode();
        body[3] = version;
        assert_eq!(
            RequestHead::decode(&body),
            Err(DecodeError::UnsupportedVersion(version))
        );
    }
}

#[test]
fn oversized_extensions_are_refused() {
    let head = RequestHead {
        device: DeviceId::random(),
        cursor: 0,
        max_response_bytes: 0,
        upload: None,
    };
    let huge = Extensions(vec![(1, vec![0; MAX_EXTENSION_BYTES + 1])]);
    assert_eq!(
        RequestHead::decode(&head.encode_as(PROTOCOL_VERSION, &huge)),
        Err(DecodeError::TooLarge)
    );
    let many = Extensions(
        (0..=MAX_EXTENSIONS as u64)
            .map(|t| (t, Vec::new()))
            .collect(),
    );
    assert_eq!(
        RequestHead::decode(&head.encode_as(PROTOCOL_VERSION, &many)),
        Err(DecodeError::TooLarge)
    );
}

fn upload_head() -> RequestHead {
    RequestHead {
        device: DeviceId::random(),
        cursor: 7,
        max_response_bytes: 1 << 20,
        upload: Some(UploadHead {
            upload_id: [3; 32],
            total_len: 1_000,
            offset: 0,
        }),
    }
}

#[test]
fn from_version_3_the_signature_covers_the_head_and_not_the_upload_bytes() {
    let head = upload_head().encode();
    let mut body = head.clone();
    body.extend_from_slice(&[9; 1_000]);
    assert!(is_head_signed(&body[..4]));
    assert_eq!(signed_part(&body), head.as_slice());
    assert_eq!(signed_digest(&body), upload_id(&head));
    // The upload bytes are bound by the upload id the signed head carries, not by the signature.
    let mut other_bytes = body.clone();
    other_bytes[head.len()] ^= 1;
    assert_eq!(signed_digest(&other_bytes), signed_digest(&body));
    // Any change to the head changes what is signed.
    let mut other_head = body.clone();
    other_head[10] ^= 1;
    assert_ne!(signed_digest(&other_head), signed_digest(&body));
}

#[test]
fn older_versions_sign_the_whole_body() {
    let mut body = upload_head().encode_as(2, &Extensions::default());
    body.extend_from_slice(&[9; 1_000]);
    assert!(!is_head_signed(&body));
    assert_eq!(signed_part(&body), body.as_slice());
    assert_eq!(signed_digest(&body), upload_id(&body));
    // Bytes that are no head at all are signed whole (and refused by a node either way).
    assert!(!is_head_signed(b"OK"));
    assert_eq!(signed_part(b"garbage"), b"garbage");
}

#[test]
fn the_fullest_head_fits_in_what_a_node_reads_before_checking_its_signature() {
    let per_entry = MAX_EXTENSION_BYTES / MAX_EXTENSIONS;
    let fullest = Extensions(
        (0..MAX_EXTENSIONS as u64)
            .map(|t| (u64::MAX - t, vec![0; per_entry]))
            .collect(),
    );
    let head = upload_head().encode_as(PROTOCOL_VERSION, &fullest);
    assert!(RequestHead::decode(&head).is_ok());
    assert!(
        head.len() <= MAX_HEAD_WITH_EXTENSIONS_BYTES,
        "{} > {MAX_HEAD_WITH_EXTENSIONS_BYTES}",
        head.len()
    );
}

#[test]
fn every_truncation_of_an_enrolment_answer_is_an_error() {
    let answer = super::enroll::EnrollResponse {
        node: crate::ids::DeviceId::random(),
        role: super::enroll::Role::Agent,
        scope: super::enroll::Scope {
            communities: vec![crate::ids::CommunityCode::new("nu.iqaluit")],
        },
        recovery_recipient: "age1xyz".into(),
        keeps_audit_trails: true,
        node_key: Some([3; 32]),
        dictionaries: vec![super::dictionary::CHANGES_V1],
    };
    let bytes = answer.encode();
    for cut in 0..bytes.len() {
        assert!(
            super::enroll::EnrollResponse::decode(&bytes[..cut]).is_err(),
            "cut at {cut} decoded"
        );
    }
    assert_eq!(
        super::enroll::EnrollResponse::decode(&bytes).unwrap(),
        answer
    );
}
