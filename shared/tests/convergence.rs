//! Replicas that edit offline and merge in any order end up agreeing, and lose nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a test failure

mod support;

use proptest::prelude::*;
use shared::ClientDoc;
use shared::doc::ConflictValue;
use shared::ids::{AgentId, DeviceId, PartnerCode, PurposeCode};
use shared::model::{ConsentAction, ConsentEvent, ConsentMethod, ConsentState, effective_consent};
use shared::time::{CalendarDate, Timestamp};

#[derive(Clone, Debug)]
enum Op {
    Record {
        replica: usize,
        partner: usize,
        withdraw: bool,
    },
    Merge {
        from: usize,
        into: usize,
    },
}

fn ops(replicas: usize) -> impl Strategy<Value = Vec<Op>> {
    let op = prop_oneof![
        3 => (0..replicas, 0..2usize, any::<bool>()).prop_map(|(replica, partner, withdraw)| Op::Record { replica, partner, withdraw }),
        1 => (0..replicas, 0..replicas).prop_map(|(from, into)| Op::Merge { from, into }),
    ];
    proptest::collection::vec(op, 1..24)
}

const PARTNERS: [&str; 2] = ["ca.esdc", "nu.health"];

fn record(doc: &mut ClientDoc, partner: usize, withdraw: bool, device: DeviceId, tick: i64) {
    let mut client = doc.read().unwrap();
    let key = (
        PartnerCode::new(PARTNERS[partner]),
        PurposeCode::new("referral"),
    );
    let action = if withdraw {
        ConsentAction::Withdraw
    } else {
        ConsentAction::Grant
    };
    let event = ConsentEvent::record(
        &client.consent,
        key,
        action,
        ConsentMethod::Signed,
        CalendarDate::new(2026, 11, 28).unwrap(),
        AgentId::random(),
        Timestamp(tick),
    );
    client.consent.push(event);
    doc.write(
        &client,
        shared::Author {
            agent: AgentId::random(),
            device,
        },
        Timestamp(tick),
    )
    .unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn consent_converges_and_withdrawals_are_never_lost(
        base in support::client(),
        ops in ops(3),
        merge_order in Just(vec![0usize, 1, 2]).prop_shuffle(),
    ) {
        let mut base = base;
        base.consent.clear();
        let mut origin = ClientDoc::create(&base, support::author(), Timestamp(0)).unwrap();
        let devices: Vec<DeviceId> = (0..3).map(|_| DeviceId::random()).collect();
        let mut replicas: Vec<ClientDoc> = devices.iter().map(|d| origin.fork(*d)).collect();
        for (tick, op) in ops.iter().enumerate() {
            match *op {
                Op::Record { replica, partner, withdraw } => {
                    record(&mut replicas[replica], partner, withdraw, devices[replica], i64::try_from(tick).unwrap());
                }
                Op::Merge { from, into } if from != into => {
                    let mut source = replicas[from].fork(devices[from]);
                    replicas[into].merge(&mut source).unwrap();
                }
                Op::Merge { .. } => {}
            }
        }
        // Every replica merges every other, each in its own order.
        let mut snapshots: Vec<ClientDoc> = replicas.iter_mut().zip(&devices).map(|(r, d)| r.fork(*d)).collect();
        for (i, replica) in replicas.iter_mut().enumerate() {
            for &j in merge_order.iter().cycle().skip(i).take(3) {
                let mut other = ClientDoc::load(&snapshots[j].fork(devices[j]).save(), devices[j]).unwrap();
                replica.merge(&mut other).unwrap();
            }
        }
        let states: Vec<_> = replicas.iter().map(|r| effective_consent(&r.read().unwrap().consent)).collect();
        prop_assert!(states.windows(2).all(|w| w[0] == w[1]), "replicas disagree: {:?}", states);

        let events = replicas[0].read().unwrap().consent;
        let superseded: std::collections::BTreeSet<_> = events.iter().flat_map(|e| e.supersedes.clone()).collect();
        for w in events.iter().filter(|e| e.action == ConsentAction::Withdraw && !superseded.contains(&e.id)) {
            prop_assert_eq!(
                states[0].get(&(w.partner.clone(), w.purpose.clone())),
                Some(&ConsentState::Withdrawn),
                "a withdrawal nobody saw before granting again was lost"
            );
        }
    }
}

#[test]
fn concurrent_withdrawal_beats_concurrent_grant() {
    let client = {
        let mut c = shared::model::Client::new(
            Default::default(),
            AgentId::random(),
            DeviceId::random(),
            Timestamp(0),
        );
        c.identity.given_name = "Test".into();
        c
    };
    let mut origin = ClientDoc::create(&client, support::author(), Timestamp(0)).unwrap();
    record(&mut origin, 0, false, DeviceId::random(), 1);
    let (a, b) = (DeviceId::random(), DeviceId::random());
    let mut laptop_a = origin.fork(a);
    let mut laptop_b = origin.fork(b);
    record(&mut laptop_a, 0, true, a, 2); // withdraws
    record(&mut laptop_b, 0, false, b, 3); // grants again, without having seen the withdrawal
    laptop_a.merge(&mut laptop_b).unwrap();
    let state = effective_consent(&laptop_a.read().unwrap().consent);
    assert_eq!(
        state.values().copied().collect::<Vec<_>>(),
        vec![ConsentState::Withdrawn]
    );

    // A grant recorded *after* seeing the withdrawal does re-grant.
    record(&mut laptop_a, 0, false, a, 4);
    let state = effective_consent(&laptop_a.read().unwrap().consent);
    assert_eq!(
        state.values().copied().collect::<Vec<_>>(),
        vec![ConsentState::Granted]
    );
}

#[test]
fn concurrent_edits_of_one_field_are_kept_as_a_conflict() {
    let mut client = shared::model::Client::new(
        Default::default(),
        AgentId::random(),
        DeviceId::random(),
        Timestamp(0),
    );
    client.identity.given_name = "Annie".into();
    client.identity.family_name = "Kilabuk".into();
    let mut origin = ClientDoc::create(&client, support::author(), Timestamp(0)).unwrap();
    let (a, b) = (DeviceId::random(), DeviceId::random());
    let mut laptop_a = origin.fork(a);
    let mut laptop_b = origin.fork(b);

    let (agent_a, agent_b) = (AgentId::random(), AgentId::random());
    let mut on_a = client.clone();
    on_a.identity.family_name = "Qillabuk".into();
    laptop_a
        .write(
            &on_a,
            shared::Author {
                agent: agent_a,
                device: a,
            },
            Timestamp(1),
        )
        .unwrap();
    let mut on_b = client;
    on_b.identity.family_name = "Killabuk".into();
    laptop_b
        .write(
            &on_b,
            shared::Author {
                agent: agent_b,
                device: b,
            },
            Timestamp(2),
        )
        .unwrap();

    laptop_a.merge(&mut laptop_b).unwrap();
    laptop_b.merge(&mut laptop_a.fork(a)).unwrap();
    let conflicts = laptop_a.conflicts();
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert_eq!(conflicts[0].path, "identity.family_name");
    let mut values = conflicts[0].values.clone();
    values.sort_by_key(|v| format!("{v:?}"));
    assert_eq!(
        values,
        vec![
            ConflictValue::Text("Killabuk".into()),
            ConflictValue::Text("Qillabuk".into())
        ]
    );
    // Each value says who typed it, on which device, when.
    for (value, origin) in conflicts[0].values.iter().zip(&conflicts[0].origins) {
        let expected = if *value == ConflictValue::Text("Qillabuk".into()) {
            (Some(agent_a), Some(a), Some(Timestamp(1)))
        } else {
            (Some(agent_b), Some(b), Some(Timestamp(2)))
        };
        assert_eq!((origin.agent, origin.device, origin.at), expected);
    }
    // Both replicas read the same winner.
    assert_eq!(
        laptop_a.read().unwrap().identity.family_name,
        laptop_b.read().unwrap().identity.family_name
    );
    assert_eq!(laptop_b.conflicts(), conflicts);
}

#[test]
fn history_says_who_changed_what_and_when() {
    let mut client = shared::model::Client::new(
        Default::default(),
        AgentId::random(),
        DeviceId::random(),
        Timestamp(0),
    );
    client.identity.given_name = "Annie".into();
    let creator = support::author();
    let mut doc = ClientDoc::create(&client, creator, Timestamp(1_000)).unwrap();
    let editor = support::author();
    client.identity.family_name = "Kilabuk".into();
    doc.write(&client, editor, Timestamp(2_000)).unwrap();
    let history = doc.history();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].agent, Some(creator.agent));
    assert_eq!(history[1].agent, Some(editor.agent));
    assert_eq!(history[1].device, Some(editor.device));
    assert_eq!(history[1].at, Timestamp(2_000));
    assert_eq!(history[1].fields, vec!["identity.family_name".to_owned()]);
}
