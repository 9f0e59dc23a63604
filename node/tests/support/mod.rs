//! The in-process route fixture: a node on a fresh SQLCipher store with one enrolled agent
//! device, and requests signed by it.

#![allow(dead_code, clippy::unwrap_used)] // each test binary uses part of it

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use base64::Engine as _;
use node::storage::sqlite::SqliteStore;
use node::storage::{Enrollment, Store};
use node::{Node, NodeSettings, router};
use shared::crypto::{DeviceKey, KdfParams, Passphrase, SignedRequest};
use shared::ids::{CommunityCode, DeviceId};
use shared::protocol::RequestHead;
use shared::protocol::enroll::{Role, Scope};
use shared::protocol::wire::{Reason, header, path};
use shared::time::Timestamp;
use tower::ServiceExt as _;

pub(crate) struct Fixture {
    _dir: tempfile::TempDir,
    pub(crate) node: Arc<Node>,
    pub(crate) device: DeviceId,
    pub(crate) key: DeviceKey,
}

pub(crate) fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(
        SqliteStore::open_or_create(
            dir.path(),
            &Passphrase::new("route words kayak lichen".into()),
            KdfParams::INSECURE_FAST_FOR_TESTS_ONLY,
        )
        .unwrap(),
    );
    let (device, key) = enrol(store.as_ref(), 1);
    let node = Arc::new(Node::new(store, NodeSettings::default()).unwrap());
    Fixture {
        _dir: dir,
        node,
        device,
        key,
    }
}

/// A new agent device of Iqaluit enrolled in `store` (`n` tells enrolment secrets apart).
fn enrol(store: &dyn Store, n: u8) -> (DeviceId, DeviceKey) {
    let key = DeviceKey::generate().unwrap();
    let device = DeviceId::random();
    store
        .add_enrollment(&Enrollment {
            secret_hash: [n; 32],
            role: Role::Agent,
            scope: Scope {
                communities: vec![CommunityCode::new("nu.iqaluit")],
            },
            expires_at: Timestamp(i64::MAX),
        })
        .unwrap();
    store
        .redeem_enrollment([n; 32], device, key.public_key(), Timestamp::now())
        .unwrap()
        .unwrap();
    (device, key)
}

impl Fixture {
    /// Another device of the same node (`n` ≥ 2, one per device).
    pub(crate) fn another_device(&self, n: u8) -> (DeviceId, DeviceKey) {
        enrol(self.node.store.as_ref(), n)
    }

    pub(crate) fn head(&self) -> RequestHead {
        RequestHead {
            device: self.device,
            cursor: 0,
            max_response_bytes: 1 << 20,
            upload: None,
        }
    }

    /// A request body carrying the whole of the upload `blob` after the fixture's head.
    pub(crate) fn upload_body(&self, blob: &[u8]) -> Vec<u8> {
        let head = RequestHead {
            upload: Some(shared::protocol::UploadHead {
                upload_id: shared::protocol::upload_id(blob),
                total_len: u32::try_from(blob.len()).expect("an upload under 4 GiB"),
                offset: 0,
            }),
            ..self.head()
        };
        let mut body = head.encode();
        body.extend_from_slice(blob);
        body
    }

    /// A sync request signed by the fixture's device with `counter` at `time_ms`.
    pub(crate) fn signed(&self, body: Vec<u8>, counter: u64, time_ms: i64) -> Request<Body> {
        self.signed_by(&self.key, body, counter, time_ms)
    }

    pub(crate) fn signed_by(
        &self,
        key: &DeviceKey,
        body: Vec<u8>,
        counter: u64,
        time_ms: i64,
    ) -> Request<Body> {
        let signed = body.clone();
        self.streamed_as(
            self.device,
            key,
            &signed,
            Body::from(body),
            counter,
            time_ms,
        )
    }

    /// A sync request from `device` whose signature `key` made over `signed` (the body the
    /// device meant) while `body` is what actually arrives: a stream that may pause, end early
    /// or fail.
    pub(crate) fn streamed_as(
        &self,
        device: DeviceId,
        key: &DeviceKey,
        signed: &[u8],
        body: Body,
        counter: u64,
        time_ms: i64,
    ) -> Request<Body> {
        let signature = key.sign(&SignedRequest {
            method: "POST",
            path: path::SYNC,
            body_sha256: shared::protocol::signed_digest(signed),
            device,
            counter,
            time_ms,
        });
        Request::post(path::SYNC)
            .header(header::DEVICE, device.to_string())
            .header(header::COUNTER, counter.to_string())
            .header(header::TIME, time_ms.to_string())
            .header(
                header::SIGNATURE,
                base64::engine::general_purpose::STANDARD.encode(signature),
            )
            .body(body)
            .unwrap()
    }

    pub(crate) async fn send(
        &self,
        request: Request<Body>,
    ) -> (StatusCode, Option<String>, Vec<u8>) {
        let response = router(Arc::clone(&self.node))
            .oneshot(request)
            .await
            .unwrap();
        let status = response.status();
        let reason = response
            .headers()
            .get(header::ERROR)
            .map(|v| v.to_str().unwrap().to_owned());
        let body = axum::body::to_bytes(response.into_body(), 1 << 26)
            .await
            .unwrap()
            .to_vec();
        (status, reason, body)
    }
}

pub(crate) fn refused(reason: Reason) -> (StatusCode, Option<String>) {
    (
        StatusCode::from_u16(reason.status()).unwrap(),
        Some(reason.as_str().to_owned()),
    )
}

/// `client` written as one change by `device` (its actor), on top of `doc`.
pub(crate) fn change_by(
    doc: &mut shared::ClientDoc,
    client: &shared::Client,
    device: DeviceId,
) -> shared::protocol::BatchChange {
    let author = shared::Author {
        agent: shared::ids::AgentId::random(),
        device,
    };
    let change = doc
        .write(client, author, Timestamp::now())
        .unwrap()
        .unwrap();
    shared::protocol::BatchChange {
        client: client.id,
        epoch: 0,
        change: change.bytes,
    }
}
