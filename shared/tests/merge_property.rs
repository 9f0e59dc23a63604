//! Merges that sync like any change (issue 11): for any sequence of merges, unmerges, edits and
//! syncs on three replicas, every replica ends with the same live records, redirects never loop, and no
//! value is lost (every note written, and every name a record was created with, is reachable
//! from the live record its redirects lead to or from a record on the way).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a test failure

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use shared::ClientDoc;
use shared::doc::Author;
use shared::ids::{AgentId, ClientId, CommunityCode, DeviceId, NoteId};
use shared::model::merge::{merge, survivor_of, unmerge};
use shared::model::{Client, Identity, Note};
use shared::time::Timestamp;

const RECORDS: usize = 4;
const REPLICAS: usize = 3;

#[derive(Clone, Debug)]
enum Op {
    Note { replica: usize, record: usize },
    Merge { replica: usize, a: usize, b: usize },
    Unmerge { replica: usize, record: usize },
    Sync { from: usize, to: usize },
}

fn ops() -> impl Strategy<Value = Vec<Op>> {
    let op = prop_oneof![
        3 => (0..REPLICAS, 0..RECORDS).prop_map(|(replica, record)| Op::Note { replica, record }),
        2 => (0..REPLICAS, 0..RECORDS, 0..RECORDS).prop_map(|(replica, a, b)| Op::Merge { replica, a, b }),
        1 => (0..REPLICAS, 0..RECORDS).prop_map(|(replica, record)| Op::Unmerge { replica, record }),
        3 => (0..REPLICAS, 0..REPLICAS).prop_map(|(from, to)| Op::Sync { from, to }),
    ];
    proptest::collection::vec(op, 1..30)
}

struct Replica {
    device: DeviceId,
    docs: BTreeMap<ClientId, ClientDoc>,
}

impl Replica {
    fn author(&self) -> Author {
        Author {
            agent: AgentId::random(),
            device: self.device,
        }
    }

    fn read(&self, id: ClientId) -> Client {
        self.docs[&id].read().unwrap()
    }

    fn write(&mut self, client: &Client, tick: i64) {
        let author = self.author();
        self.docs
            .get_mut(&client.id)
            .unwrap()
            .write(client, author, Timestamp(tick))
            .unwrap();
    }

    /// Follows redirects to the live record (bounded: a loop is a failure).
    fn live(&self, mut id: ClientId) -> (ClientId, Vec<ClientId>) {
        let mut path = vec![id];
        for _ in 0..=RECORDS {
            match self.read(id).merged_into {
                Some(next) => {
                    id = next;
                    path.push(id);
                }
                None => return (id, path),
            }
        }
        panic!("redirects loop");
    }
}

/// Replica `to` receives every document of replica `from`.
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

fn names(client: &Client) -> BTreeSet<String> {
    let id = &client.identity;
    std::iter::once(format!("{} {}", id.given_name, id.family_name))
        .chain(id.other_names.iter().cloned())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn merges_edits_and_syncs_converge_and_lose_nothing(ops in ops()) {
        let origin = DeviceId::random();
        let mut originals = Vec::new();
        let mut first = BTreeMap::new();
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
            originals.push(client);
        }
        let mut replicas: Vec<Replica> = (0..REPLICAS)
            .map(|_| {
                let device = DeviceId::random();
                let docs = first
                    .iter_mut()
                    .map(|(id, doc)| (*id, doc.fork(device)))
                    .collect();
                Replica { device, docs }
            })
            .collect();
        let mut notes: Vec<(ClientId, String)> = Vec::new();
        for (tick, op) in ops.iter().enumerate() {
            let tick = 10_000 + tick as i64;
            match *op {
                Op::Note { replica, record } => {
                    let id = originals[record].id;
                    let r = &mut replicas[replica];
                    let mut client = r.read(id);
                    let text = format!("note {tick}");
                    client.notes.push(Note {
                        id: NoteId::random(),
                        text: text.clone(),
                        author: AgentId::random(),
                        written_at: Timestamp(tick),
                    });
                    r.write(&client, tick);
                    notes.push((id, text));
                }
                Op::Merge { replica, a, b } => {
                    let r = &mut replicas[replica];
                    let (a, _) = r.live(originals[a].id);
                    let (b, _) = r.live(originals[b].id);
                    if a == b {
                        continue;
                    }
                    let (ca, cb) = (r.read(a), r.read(b));
                    let (keep, other) = survivor_of(&ca, &cb);
                    let (kept, redirect) = merge(keep, other);
                    r.write(&kept, tick);
                    r.write(&redirect, tick);
                }
                Op::Unmerge { replica, record } => {
                    let r = &mut replicas[replica];
                    let redirect = r.read(originals[record].id);
                    let Some(survivor) = redirect.merged_into else { continue };
                    let survivor = r.read(survivor);
                    if survivor.merged_into.is_some() {
                        continue; // the later merge is undone first
                    }
                    let (kept, restored) = unmerge(&survivor, &redirect);
                    r.write(&kept, tick);
                    r.write(&restored, tick);
                }
                Op::Sync { from, to } => sync(&mut replicas, from, to),
            }
        }
        // Everyone syncs with everyone.
        for _ in 0..2 {
            for from in 0..REPLICAS {
                for to in 0..REPLICAS {
                    sync(&mut replicas, from, to);
                }
            }
        }
        let live_sets: Vec<BTreeSet<ClientId>> = replicas
            .iter()
            .map(|r| originals.iter().map(|c| r.live(c.id).0).collect())
            .collect();
        prop_assert!(live_sets.windows(2).all(|w| w[0] == w[1]), "replicas disagree on the live records");
        let r = &replicas[0];
        for original in &originals {
            let (_, path) = r.live(original.id);
            let reachable: BTreeSet<String> = path.iter().flat_map(|id| names(&r.read(*id))).collect();
            for name in names(original) {
                prop_assert!(reachable.contains(&name), "a name was lost");
            }
        }
        for (id, text) in &notes {
            let (_, path) = r.live(*id);
            prop_assert!(
                path.iter().any(|p| r.read(*p).notes.iter().any(|n| &n.text == text)),
                "a note was lost"
            );
        }
        // Every live record reads without repeated items (concurrent merges of one pair).
        for id in &live_sets[0] {
            let client = r.read(*id);
            let ids: BTreeSet<_> = client.notes.iter().map(|n| n.id).collect();
            prop_assert_eq!(ids.len(), client.notes.len());
        }
    }
}

#[test]
fn two_offices_merging_one_pair_offline_write_the_same_result() {
    let origin = DeviceId::random();
    let make = |given: &str, t: i64| {
        let identity = Identity {
            given_name: given.into(),
            family_name: "Kootoo".into(),
            community: CommunityCode::new("nu.pangnirtung"),
            ..Identity::default()
        };
        Client::new(identity, AgentId::random(), origin, Timestamp(t))
    };
    let older = make("Elisapee", 1);
    let newer = make("ᐃᓕᓴᐱ", 2);
    let (keep_1, other_1) = survivor_of(&older, &newer);
    let (keep_2, other_2) = survivor_of(&newer, &older);
    assert_eq!((keep_1.id, other_1.id), (keep_2.id, other_2.id));
    let (kept, redirect) = merge(keep_1, other_1);
    assert_eq!(kept.id, older.id);
    assert_eq!(redirect.merged_into, Some(older.id));
    assert!(kept.identity.other_names.iter().any(|n| n.contains("ᐃᓕᓴᐱ")));
}

#[test]
fn unmerge_gives_back_exactly_what_the_merge_took() {
    use shared::ids::{LanguageCode, ProgramRequestId};
    let origin = DeviceId::random();
    let make = |given: &str, t: i64| {
        let identity = Identity {
            given_name: given.into(),
            family_name: "Kootoo".into(),
            community: CommunityCode::new("nu.pangnirtung"),
            ..Identity::default()
        };
        Client::new(identity, AgentId::random(), origin, Timestamp(t))
    };
    let mut older = make("Elisapee", 1);
    older.identity.contact.phone = Some("867-555-0101".into());
    older.notes.push(Note {
        id: NoteId::random(),
        text: "older note".into(),
        author: AgentId::random(),
        written_at: Timestamp(5),
    });
    let mut newer = make("Ilisapi", 2);
    newer.identity.contact.phone = Some("867-555-0199".into());
    newer.identity.identifiers.band_number = Some("1234".into());
    newer.languages.spoken.push(LanguageCode::new("iu"));
    newer.languages.interpreter_needed = true;
    newer.notes.push(Note {
        id: NoteId::random(),
        text: "newer note".into(),
        author: AgentId::random(),
        written_at: Timestamp(6),
    });
    newer.programs.push(shared::model::ProgramRequest {
        id: ProgramRequestId::random(),
        program: shared::ids::ProgramCode::new("fed.cpp"),
        status: shared::model::ProgramStatus::InfoGiven,
        documents_seen: Vec::new(),
        life_event: None,
    });
    let (kept, redirect) = merge(&older, &newer);
    assert_eq!(
        kept.identity.identifiers.band_number.as_deref(),
        Some("1234")
    );
    assert_eq!(kept.notes.len(), 2);
    assert_eq!(kept.absorbed.len(), 1);
    let (back, restored) = unmerge(&kept, &redirect);
    let mut expected_older = older.clone();
    expected_older.not_same_person.push(newer.id);
    let mut expected_newer = newer.clone();
    expected_newer.not_same_person.push(older.id);
    assert!(
        back == expected_older,
        "the survivor is as it was, with a mark for the other"
    );
    assert!(
        restored == expected_newer,
        "the other is as it was, with a mark for the survivor"
    );
}
