//! Consent-filtered exports (issue 12): for any interleaving of consent grants and withdrawals,
//! merges and syncs on three replicas, no export holds a client whose effective consent for the
//! partner and purpose is withdrawn or absent at export time — counting the events recorded on
//! records merged into it, also those a laptop wrote there before it learned of the merge — and
//! every exported row has exactly one disclosure record.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a test failure

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use shared::ClientDoc;
use shared::disclosure::{Column, ExportProfile, ExportRequest, export};
use shared::doc::Author;
use shared::ids::{
    AgentId, ClientId, CommunityCode, ConsentEventId, DeviceId, PartnerCode, PurposeCode,
};
use shared::model::merge::{merge, survivor_of};
use shared::model::{Client, ConsentAction, ConsentEvent, ConsentMethod, Identity};
use shared::time::{CalendarDate, Timestamp};

const RECORDS: usize = 5;
const REPLICAS: usize = 3;

#[derive(Clone, Debug)]
enum Op {
    /// Record a grant (or a withdrawal) on a record as this replica sees it — on the record
    /// itself, even when it was merged away (a laptop that has not synced the merge).
    Consent {
        replica: usize,
        record: usize,
        grant: bool,
        other_purpose: bool,
    },
    Merge {
        replica: usize,
        a: usize,
        b: usize,
    },
    Sync {
        from: usize,
        to: usize,
    },
    Export {
        replica: usize,
    },
}

fn ops() -> impl Strategy<Value = Vec<Op>> {
    let op = prop_oneof![
        4 => (0..REPLICAS, 0..RECORDS, any::<bool>(), prop::bool::weighted(0.2))
            .prop_map(|(replica, record, grant, other_purpose)| Op::Consent { replica, record, grant, other_purpose }),
        2 => (0..REPLICAS, 0..RECORDS, 0..RECORDS).prop_map(|(replica, a, b)| Op::Merge { replica, a, b }),
        3 => (0..REPLICAS, 0..REPLICAS).prop_map(|(from, to)| Op::Sync { from, to }),
        2 => (0..REPLICAS).prop_map(|replica| Op::Export { replica }),
    ];
    proptest::collection::vec(op, 1..40)
}

struct Replica {
    device: DeviceId,
    docs: BTreeMap<ClientId, ClientDoc>,
}

impl Replica {
    fn read(&self, id: ClientId) -> Client {
        self.docs[&id].read().unwrap()
    }

    fn write(&mut self, client: &Client, tick: i64) {
        let author = Author {
            agent: AgentId::random(),
            device: self.device,
        };
        self.docs
            .get_mut(&client.id)
            .unwrap()
            .write(client, author, Timestamp(tick))
            .unwrap();
    }

    fn live(&self, mut id: ClientId) -> ClientId {
        for _ in 0..=RECORDS {
            match self.read(id).merged_into {
                Some(next) => id = next,
                None => return id,
            }
        }
        panic!("redirects loop");
    }
}

fn sync(replicas: &mut [Replica], from: usize, to: usize) {
    if from == to {
        return;
    }
    let (source, target) = if from < to {
        let (left, right) = replicas.split_at_mut(to);
        (&mut left[from], &mut right[0])
    } else {
        let (left, right) = replicas.split_at_mut(from);
        (&mut right[0], &mut left[to])
    };
    for (id, doc) in &mut source.docs {
        target.docs.get_mut(id).unwrap().merge(doc).unwrap();
    }
}

/// The oracle, written apart from the library: among the events for (partner, purpose) that no
/// event supersedes, sharing is allowed only if there is a grant and no withdrawal.
fn consent_allows(events: &[&ConsentEvent], partner: &PartnerCode, purpose: &PurposeCode) -> bool {
    let superseded: BTreeSet<ConsentEventId> =
        events.iter().flat_map(|e| e.supersedes.clone()).collect();
    let current: Vec<_> = events
        .iter()
        .filter(|e| &e.partner == partner && &e.purpose == purpose && !superseded.contains(&e.id))
        .collect();
    current.iter().any(|e| e.action == ConsentAction::Grant)
        && !current.iter().any(|e| e.action == ConsentAction::Withdraw)
}

fn check_export(
    replica: &Replica,
    profile: &ExportProfile,
    purpose: &PurposeCode,
) -> Result<(), TestCaseError> {
    let clients: Vec<Client> = replica.docs.keys().map(|id| replica.read(*id)).collect();
    let catalogue = shared::Catalogue::current().unwrap();
    let done = export(
        &clients,
        &ExportRequest {
            profile,
            purpose,
            catalogue,
            today: CalendarDate::new(2026, 12, 1).unwrap(),
            by: "office test",
            at: Timestamp(1),
            export: uuid::Uuid::new_v4(),
        },
    );
    let rows: Vec<&str> = done
        .csv
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .skip(1)
        .collect();
    prop_assert_eq!(rows.len(), done.disclosures.len(), "one disclosure per row");
    let mut seen = BTreeSet::new();
    for (row, disclosure) in rows.iter().zip(&done.disclosures) {
        prop_assert!(seen.insert(disclosure.client), "a client released twice");
        prop_assert!(
            row.starts_with(&disclosure.client.to_string()),
            "the row is the disclosed client"
        );
        let client = replica.read(disclosure.client);
        prop_assert!(client.merged_into.is_none(), "a redirect was exported");
        // Its events and those of every record that leads to it.
        let events: Vec<&ConsentEvent> = clients
            .iter()
            .filter(|c| replica.live(c.id) == client.id)
            .flat_map(|c| &c.consent)
            .collect();
        prop_assert!(
            consent_allows(&events, &profile.partner, purpose),
            "released without consent"
        );
        for id in &disclosure.consent_events {
            prop_assert!(
                events
                    .iter()
                    .any(|e| &e.id == id && e.action == ConsentAction::Grant)
            );
        }
    }
    // And nobody whose consent allows it is left out.
    let live: BTreeSet<ClientId> = clients.iter().map(|c| replica.live(c.id)).collect();
    for id in live {
        let events: Vec<&ConsentEvent> = clients
            .iter()
            .filter(|c| replica.live(c.id) == id)
            .flat_map(|c| &c.consent)
            .collect();
        if consent_allows(&events, &profile.partner, purpose) {
            prop_assert!(seen.contains(&id), "a consenting client was left out");
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn no_export_holds_a_client_without_consent_and_every_row_has_one_disclosure(ops in ops()) {
        let partner = PartnerCode::new("nu.health");
        let purpose = PurposeCode::new("referral");
        let other_purpose = PurposeCode::new("application");
        let profile = ExportProfile {
            columns: vec![Column::RecordId, Column::GivenName, Column::ConsentDate],
            ..ExportProfile::minimal(partner.clone(), vec![purpose.clone()])
        };
        let origin = DeviceId::random();
        let mut first = BTreeMap::new();
        let mut ids = Vec::new();
        for n in 0..RECORDS {
            let identity = Identity {
                given_name: format!("Given{n}"),
                family_name: "Kootoo".into(),
                community: CommunityCode::new("nu.pangnirtung"),
                ..Identity::default()
            };
            let client = Client::new(identity, AgentId::random(), origin, Timestamp(1_000 + n as i64));
            let author = Author { agent: AgentId::random(), device: origin };
            first.insert(client.id, ClientDoc::create(&client, author, Timestamp(1)).unwrap());
            ids.push(client.id);
        }
        let mut replicas: Vec<Replica> = (0..REPLICAS)
            .map(|_| {
                let device = DeviceId::random();
                let docs = first.iter_mut().map(|(id, doc)| (*id, doc.fork(device))).collect();
                Replica { device, docs }
            })
            .collect();
        let mut exports = 0;
        for (tick, op) in ops.iter().enumerate() {
            let tick = 10_000 + tick as i64;
            match *op {
                Op::Consent { replica, record, grant, other_purpose: other } => {
                    let r = &mut replicas[replica];
                    let mut client = r.read(ids[record]);
                    let key = (partner.clone(), if other { other_purpose.clone() } else { purpose.clone() });
                    let action = if grant { ConsentAction::Grant } else { ConsentAction::Withdraw };
                    let event = ConsentEvent::record(
                        &client.consent, key, action, ConsentMethod::Signed,
                        CalendarDate::new(2026, 11, 20).unwrap(), AgentId::random(), Timestamp(tick),
                    );
                    client.consent.push(event);
                    r.write(&client, tick);
                }
                Op::Merge { replica, a, b } => {
                    let r = &mut replicas[replica];
                    let (a, b) = (r.live(ids[a]), r.live(ids[b]));
                    if a == b {
                        continue;
                    }
                    let (ca, cb) = (r.read(a), r.read(b));
                    let (keep, other) = survivor_of(&ca, &cb);
                    let (kept, redirect) = merge(keep, other);
                    r.write(&kept, tick);
                    r.write(&redirect, tick);
                }
                Op::Sync { from, to } => sync(&mut replicas, from, to),
                Op::Export { replica } => {
                    exports += 1;
                    check_export(&replicas[replica], &profile, &purpose)?;
                }
            }
        }
        for from in 0..REPLICAS {
            for to in 0..REPLICAS {
                sync(&mut replicas, from, to);
            }
        }
        for replica in &replicas {
            check_export(replica, &profile, &purpose)?;
        }
        let _ = exports;
    }
}
