//! Settling a conflict (issue 11) is an ordinary change: it clears the conflict on every
//! replica that receives it, also when the value kept is the one already shown; two people
//! settling differently offline see the conflict again, between their two choices.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a test failure

use shared::ClientDoc;
use shared::doc::settle::Choice;
use shared::doc::{Author, ConflictValue};
use shared::ids::{AgentId, CommunityCode, DeviceId};
use shared::model::{Client, Identity};
use shared::time::Timestamp;

fn author(device: DeviceId) -> Author {
    Author {
        agent: AgentId::random(),
        device,
    }
}

/// Two replicas that set the family name differently while apart.
fn conflicted() -> (ClientDoc, ClientDoc, DeviceId, DeviceId) {
    let (a, b) = (DeviceId::random(), DeviceId::random());
    let client = Client::new(
        Identity {
            given_name: "Elisapee".into(),
            family_name: "Kootoo".into(),
            community: CommunityCode::new("nu.pangnirtung"),
            ..Identity::default()
        },
        AgentId::random(),
        a,
        Timestamp(1),
    );
    let mut left = ClientDoc::create(&client, author(a), Timestamp(1)).unwrap();
    let mut right = left.fork(b);
    for (doc, device, name) in [(&mut left, a, "Kuutu"), (&mut right, b, "Kutu")] {
        let mut edited = doc.read().unwrap();
        edited.identity.family_name = name.into();
        doc.write(&edited, author(device), Timestamp(2)).unwrap();
    }
    left.merge(&mut right).unwrap();
    right.merge(&mut left).unwrap();
    assert_eq!(left.conflicts().len(), 1);
    (left, right, a, b)
}

fn text(value: &ConflictValue) -> &str {
    match value {
        ConflictValue::Text(t) => t,
        other => panic!("{other:?}"),
    }
}

#[test]
fn keeping_the_value_already_shown_clears_the_conflict_everywhere() {
    let (mut left, mut right, a, _) = conflicted();
    let shown = left.read().unwrap().identity.family_name;
    let conflict = left.conflicts().remove(0);
    let index = conflict
        .values
        .iter()
        .position(|v| text(v) == shown)
        .unwrap();
    let change = left
        .settle(
            &conflict.path,
            &Choice::Keep(index),
            author(a),
            Timestamp(3),
        )
        .unwrap();
    assert!(
        change.is_some(),
        "a change is written even though the value does not change"
    );
    assert!(left.conflicts().is_empty());
    right.merge(&mut left).unwrap();
    assert!(
        right.conflicts().is_empty(),
        "cleared on the other replica too"
    );
    assert_eq!(right.read().unwrap().identity.family_name, shown);
    assert!(
        left.settle(&conflict.path, &Choice::Keep(0), author(a), Timestamp(4))
            .unwrap()
            .is_none(),
        "nothing left to settle"
    );
}

#[test]
fn a_typed_value_settles_and_two_different_settlements_conflict_again() {
    let (mut left, mut right, a, b) = conflicted();
    let path = left.conflicts()[0].path.clone();
    assert_eq!(path, "identity.family_name");
    left.settle(
        &path,
        &Choice::Text("Kootoo".into()),
        author(a),
        Timestamp(3),
    )
    .unwrap();
    right
        .settle(
            &path,
            &Choice::Text("Qootoo".into()),
            author(b),
            Timestamp(3),
        )
        .unwrap();
    left.merge(&mut right).unwrap();
    right.merge(&mut left).unwrap();
    for doc in [&mut left, &mut right] {
        let conflicts = doc.conflicts();
        assert_eq!(conflicts.len(), 1, "shown again, not dropped");
        let mut values: Vec<&str> = conflicts[0].values.iter().map(text).collect();
        values.sort_unstable();
        assert_eq!(values, ["Kootoo", "Qootoo"]);
    }
}

#[test]
fn a_path_that_names_nothing_is_an_error_not_a_panic() {
    let (mut left, _, a, _) = conflicted();
    for path in [
        "",
        "identity.",
        "nope.family_name",
        "identity.family_name[x]",
        "referrals[99].status",
    ] {
        assert!(
            left.settle(path, &Choice::Keep(0), author(a), Timestamp(3))
                .is_err(),
            "{path:?}"
        );
    }
}
