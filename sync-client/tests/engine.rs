//! The engine away from the laptop: over a state kept in memory and a transport that calls the
//! real node's router in process (what a hub's uplink or a bundle would plug in), and against a
//! node that lies or never finishes.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a test failure

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use node::storage::sqlite::SqliteStore;
use node::storage::{Enrollment, Store};
use node::{Node, NodeSettings, router};
use shared::crypto::{DeviceKey, KdfParams, Passphrase};
use shared::ids::{AgentId, ClientId, CommunityCode, DeviceId};
use shared::model::{Client, Identity};
use shared::protocol::enroll::{Role, Scope};
use shared::protocol::wire::{Reason, header};
use shared::protocol::{BatchChange, SyncResponse, UploadStatus, encode_changes, upload_id};
use shared::time::Timestamp;
use shared::{Author, ClientDoc, DocError};
use sync_client::{
    Acknowledged, Answer, Delivery, Link, PendingUpload, Request, SyncError, SyncOptions,
    SyncState, Transport, TransportError, sync,
};
use tower::ServiceExt as _;

/// A device's sync state kept in memory: the shape a hub's or a bundle's state takes.
struct MemoryState {
    device: DeviceId,
    key: Vec<u8>,
    cursor: u64,
    counter: u64,
    offset: i64,
    outbox: Vec<BatchChange>,
    upload: Option<PendingUpload>,
    upload_len: usize,
    docs: HashMap<ClientId, ClientDoc>,
    acknowledged: Vec<Acknowledged>,
    finished: u32,
    dictionaries: Option<Vec<u32>>,
    sent_blobs: Vec<Vec<u8>>,
}

impl MemoryState {
    fn new(device: DeviceId, key: &DeviceKey) -> Self {
        Self {
            device,
            key: key.pkcs8().to_vec(),
            cursor: 0,
            counter: 0,
            offset: 0,
            outbox: Vec::new(),
            upload: None,
            upload_len: 0,
            docs: HashMap::new(),
            acknowledged: Vec::new(),
            finished: 0,
            dictionaries: None,
            sent_blobs: Vec::new(),
        }
    }

    fn capture(&mut self, given_name: &str) -> ClientId {
        let identity = Identity {
            given_name: given_name.into(),
            family_name: "Engine".into(),
            community: CommunityCode::new("nu.iqaluit"),
            ..Identity::default()
        };
        let agent = AgentId::random();
        let client = Client::new(identity, agent, self.device, Timestamp::now());
        let mut doc = ClientDoc::empty(self.device);
        let author = Author {
            agent,
            device: self.device,
        };
        let change = doc
            .write(&client, author, Timestamp::now())
            .unwrap()
            .unwrap();
        self.outbox.push(BatchChange {
            client: client.id,
            epoch: 0,
            change: change.bytes,
        });
        self.docs.insert(client.id, doc);
        client.id
    }

    fn given_name(&self, id: ClientId) -> Option<String> {
        self.docs
            .get(&id)
            .map(|d| d.read().unwrap().identity.given_name)
    }
}

impl SyncState for MemoryState {
    type Error = DocError;

    fn link(&self) -> Result<Option<Link>, DocError> {
        Ok(Some(Link {
            url: "memory://node".into(),
            pin: sync_client::Pin::Certificate([0; 32]),
            key: DeviceKey::from_pkcs8(&self.key).unwrap(),
            device: self.device,
        }))
    }
    fn cursor(&self) -> Result<u64, DocError> {
        Ok(self.cursor)
    }
    fn next_counter(&mut self) -> Result<u64, DocError> {
        self.counter += 1;
        Ok(self.counter)
    }
    fn clock_offset(&self) -> Result<i64, DocError> {
        Ok(self.offset)
    }
    fn node_dictionaries(&self) -> Result<Option<Vec<u32>>, DocError> {
        Ok(self.dictionaries.clone())
    }
    fn node_dictionaries_said(&mut self, ids: &[u32]) -> Result<(), DocError> {
        self.dictionaries = Some(ids.to_vec());
        Ok(())
    }
    fn set_clock_offset(&mut self, offset_ms: i64) -> Result<(), DocError> {
        self.offset = offset_ms;
        Ok(())
    }
    fn pending_upload(&mut self, _max: usize) -> Result<Option<PendingUpload>, DocError> {
        if self.upload.is_none() && !self.outbox.is_empty() {
            let dictionary = self
                .dictionaries
                .as_deref()
                .and_then(shared::protocol::dictionary::shared_with);
            let blob = encode_changes(&self.outbox, 3, dictionary).unwrap();
            self.sent_blobs.push(blob.clone());
            self.upload_len = self.outbox.len();
            self.upload = Some(PendingUpload {
                id: upload_id(&blob),
                blob,
                changes: u32::try_from(self.outbox.len()).unwrap(),
                attempts: 0,
            });
        }
        Ok(self.upload.clone())
    }
    fn upload_attempted(&mut self, id: [u8; 32]) -> Result<(), DocError> {
        if let Some(upload) = self.upload.as_mut().filter(|u| u.id == id) {
            upload.attempts += 1;
        }
        Ok(())
    }
    fn upload_acknowledged(&mut self, id: [u8; 32], outcome: Acknowledged) -> Result<(), DocError> {
        if self.upload.as_ref().is_some_and(|u| u.id == id) {
            self.outbox.drain(..self.upload_len);
            self.upload = None;
            self.acknowledged.push(outcome);
        }
        Ok(())
    }
    fn pending_changes(&self) -> Result<u64, DocError> {
        Ok(self.outbox.len() as u64)
    }
    fn apply_pulled(
        &mut self,
        changes: Vec<BatchChange>,
        next_cursor: u64,
    ) -> Result<Vec<ClientId>, DocError> {
        let mut changed = Vec::new();
        for change in changes {
            let device = self.device;
            let doc = self
                .docs
                .entry(change.client)
                .or_insert_with(|| ClientDoc::empty(device));
            doc.apply_changes(vec![change.change])?;
            changed.push(change.client);
        }
        self.cursor = next_cursor;
        Ok(changed)
    }
    fn sync_finished(&mut self, _at: Timestamp) -> Result<(), DocError> {
        self.finished += 1;
        Ok(())
    }
}

/// The real node's router, called in process: no TLS, everything else as deployed.
struct InProcess {
    runtime: tokio::runtime::Runtime,
    node: Arc<Node>,
    /// Drop the answer of this many upcoming requests after the node handled them.
    lose_answers: u32,
}

impl Transport for InProcess {
    fn send(&mut self, request: &Request<'_>) -> Delivery {
        let mut builder = axum::http::Request::post(request.path);
        for (name, value) in request.headers {
            builder = builder.header(*name, value);
        }
        let http = builder.body(Body::from(request.body.to_vec())).unwrap();
        let node = Arc::clone(&self.node);
        let limit = usize::try_from(request.response_limit).unwrap();
        let answer = self.runtime.block_on(async move {
            let response = router(node).oneshot(http).await.unwrap();
            let status = response.status().as_u16();
            let text = |name: &str| {
                response
                    .headers()
                    .get(name)
                    .map(|v| v.to_str().unwrap().to_owned())
            };
            let reason = text(header::ERROR).as_deref().and_then(Reason::parse);
            let server_time = text(header::SERVER_TIME).and_then(|v| v.parse().ok());
            let body = axum::body::to_bytes(response.into_body(), limit)
                .await
                .unwrap()
                .to_vec();
            Answer {
                status,
                reason,
                server_time,
                body,
            }
        });
        let outcome = if self.lose_answers > 0 {
            self.lose_answers -= 1;
            Err(TransportError::Link("answer lost on the way back".into()))
        } else {
            Ok(answer)
        };
        Delivery {
            bytes_sent: request.body.len() as u64,
            outcome,
        }
    }
}

struct Network {
    _dir: tempfile::TempDir,
    node: Arc<Node>,
    store: Arc<SqliteStore>,
    next_secret: u8,
}

impl Network {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(
            SqliteStore::open_or_create(
                dir.path(),
                &Passphrase::new("engine words kayak lichen".into()),
                KdfParams::INSECURE_FAST_FOR_TESTS_ONLY,
            )
            .unwrap(),
        );
        let node = Arc::new(
            Node::new(
                Arc::clone(&store) as Arc<dyn Store>,
                NodeSettings::default(),
            )
            .unwrap(),
        );
        Self {
            _dir: dir,
            node,
            store,
            next_secret: 1,
        }
    }

    fn device(&mut self) -> MemoryState {
        self.device_as(Role::Agent)
    }

    fn device_as(&mut self, role: Role) -> MemoryState {
        let secret = [self.next_secret; 32];
        self.next_secret += 1;
        let key = DeviceKey::generate().unwrap();
        let device = DeviceId::random();
        self.store
            .add_enrollment(&Enrollment {
                secret_hash: secret,
                role,
                scope: Scope {
                    communities: vec![CommunityCode::new("nu.iqaluit")],
                },
                expires_at: Timestamp(i64::MAX),
            })
            .unwrap();
        self.store
            .redeem_enrollment(secret, device, key.public_key(), Timestamp::now())
            .unwrap()
            .unwrap();
        MemoryState::new(device, &key)
    }

    fn transport(&self, lose_answers: u32) -> InProcess {
        InProcess {
            runtime: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap(),
            node: Arc::clone(&self.node),
            lose_answers,
        }
    }
}

fn quick() -> SyncOptions {
    SyncOptions {
        backoff: Duration::from_millis(1),
        ..SyncOptions::default()
    }
}

#[test]
fn the_engine_syncs_a_state_kept_outside_the_laptop_store() {
    let mut network = Network::new();
    let mut first = network.device();
    let mut second = network.device();
    let id = first.capture("Annie");

    let sent = sync(&mut first, &mut network.transport(0), &quick(), &mut |_| {}).unwrap();
    assert_eq!((sent.changes_sent, sent.changes_refused), (1, 0));
    assert!(
        first.outbox.is_empty(),
        "acknowledged changes leave the outbox"
    );
    let received = sync(
        &mut second,
        &mut network.transport(0),
        &quick(),
        &mut |_| {},
    )
    .unwrap();

    assert_eq!(received.changed, vec![id]);
    assert_eq!(second.given_name(id).as_deref(), Some("Annie"));
    assert_eq!((first.finished, second.finished), (1, 1));
}

#[test]
fn a_state_learns_the_nodes_dictionaries_in_its_first_sync_and_uses_them_after() {
    use shared::protocol::dictionary::{CHANGES_V1, READABLE, named_by};
    let mut network = Network::new();
    let mut first = network.device();
    let mut second = network.device();
    first.capture("Annie");
    sync(&mut first, &mut network.transport(0), &quick(), &mut |_| {}).unwrap();
    assert_eq!(first.dictionaries.as_deref(), Some(READABLE));
    assert_eq!(named_by(&first.sent_blobs[0]), None, "before the node said");
    let id = first.capture("Meeka");
    sync(&mut first, &mut network.transport(0), &quick(), &mut |_| {}).unwrap();
    assert_eq!(named_by(&first.sent_blobs[1]), Some(CHANGES_V1));
    assert!(first.outbox.is_empty(), "the node read the upload");
    sync(
        &mut second,
        &mut network.transport(0),
        &quick(),
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(second.given_name(id).as_deref(), Some("Meeka"));
}

#[test]
fn an_answer_lost_after_the_node_applied_is_settled_without_a_resend() {
    let mut network = Network::new();
    let mut device = network.device();
    device.capture("Kuuk");
    device.capture("Elisapee");

    let report = sync(
        &mut device,
        &mut network.transport(1),
        &quick(),
        &mut |_| {},
    )
    .unwrap();

    // The lost answer's upload was applied; the retry asks first and learns it is done.
    assert_eq!(
        device.acknowledged,
        vec![Acknowledged {
            applied: 2,
            duplicates: 0,
            refused: 0,
            refusals: Vec::new(),
        }]
    );
    assert!(device.outbox.is_empty());
    assert!(report.requests >= 2);
    assert_eq!(network.store.stats().unwrap().documents, 2);
}

/// A node that answers every request with the same crafted response.
struct Lying(SyncResponse);

impl Transport for Lying {
    fn send(&mut self, request: &Request<'_>) -> Delivery {
        Delivery {
            bytes_sent: request.body.len() as u64,
            outcome: Ok(Answer {
                status: 200,
                reason: None,
                server_time: None,
                body: self.0.encode(),
            }),
        }
    }
}

#[test]
fn a_node_claiming_more_of_an_upload_than_was_sent_is_refused_without_a_panic() {
    let mut network = Network::new();
    let mut device = network.device();
    device.capture("Annie");
    let id = device.pending_upload(usize::MAX).unwrap().unwrap().id;
    device.upload_attempted(id).unwrap();
    let mut node = Lying(SyncResponse {
        server_time: Timestamp::now(),
        upload: UploadStatus::Partial {
            upload_id: id,
            received: u32::MAX,
        },
        changes: Vec::new(),
        next_cursor: 0,
        more: false,
    });

    let error = sync(&mut device, &mut node, &quick(), &mut |_| {}).unwrap_err();

    assert!(matches!(error, SyncError::Protocol(_)), "{error}");
    assert_eq!(device.outbox.len(), 1, "nothing is dropped");
}

#[test]
fn a_node_that_always_says_more_stops_at_the_session_budget() {
    let mut network = Network::new();
    let mut device = network.device();
    let mut node = Lying(SyncResponse {
        server_time: Timestamp::now(),
        upload: UploadStatus::None,
        changes: Vec::new(),
        next_cursor: 0,
        more: true,
    });
    let options = SyncOptions {
        max_requests: 25,
        ..quick()
    };

    let error = sync(&mut device, &mut node, &options, &mut |_| {}).unwrap_err();

    assert!(
        matches!(error, SyncError::BudgetSpent { requests: 25 }),
        "{error}"
    );
}

#[test]
fn a_node_that_never_acknowledges_stops_at_the_session_budget() {
    let mut network = Network::new();
    let mut device = network.device();
    device.capture("Annie");
    let mut node = Lying(SyncResponse {
        server_time: Timestamp::now(),
        upload: UploadStatus::None,
        changes: Vec::new(),
        next_cursor: 0,
        more: false,
    });
    let options = SyncOptions {
        max_requests: 10,
        ..quick()
    };

    let error = sync(&mut device, &mut node, &options, &mut |_| {}).unwrap_err();

    assert!(matches!(error, SyncError::BudgetSpent { .. }), "{error}");
    assert_eq!(device.outbox.len(), 1, "the unacknowledged change stays");
}

#[test]
fn only_an_office_device_gets_an_export_and_a_dry_run_records_nothing() {
    use shared::protocol::office::ExportOrder;
    let mut network = Network::new();
    let mut agent = network.device();
    let _ = agent.capture("Unconsenting");
    sync(&mut agent, &mut network.transport(0), &quick(), &mut |_| {}).unwrap();
    let mut order = ExportOrder {
        partner: "nu.health".into(),
        purpose: "referral".into(),
        recipient: None,
        by: "Office tester".into(),
        dry_run: true,
    };
    let refused = sync_client::office::export(&mut agent, &mut network.transport(0), &order)
        .expect_err("an agent's laptop gets no export");
    assert!(
        matches!(
            refused,
            SyncError::Refused {
                status: 403,
                reason: Some(Reason::OfficeOnly)
            }
        ),
        "{refused:?}"
    );
    let mut office = network.device_as(Role::Office);
    let counted =
        sync_client::office::export(&mut office, &mut network.transport(0), &order).unwrap();
    assert_eq!(counted.released, 0);
    assert_eq!(counted.left_out.get("no_consent"), Some(&1));
    assert_eq!(counted.sealed_file, None);
    // Not a dry run, but no recipient to seal to: refused, nothing recorded.
    order.dry_run = false;
    let unsealed = sync_client::office::export(&mut office, &mut network.transport(0), &order)
        .expect_err("an export leaves sealed or not at all");
    assert!(
        matches!(unsealed, SyncError::Refused { status: 400, .. }),
        "{unsealed:?}"
    );
    assert!(
        network
            .store
            .disclosures(&node::storage::DisclosureQuery::default(), 10)
            .unwrap()
            .is_empty()
    );
}
