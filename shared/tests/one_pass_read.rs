//! The one-pass reader (`ClientDoc::read`, `check_and_read`: each object's entries read once and
//! kept) gives exactly what hydrating the document field by field gives, on documents with
//! concurrent edits of every kind of field.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a test failure

mod support;

use proptest::prelude::*;
use shared::ClientDoc;
use shared::model::Client;
use shared::time::Timestamp;

/// The record as autosurgeon reads it straight from an Automerge document holding the same
/// changes — the way `read` worked before the one-pass reader.
fn hydrated_field_by_field(doc: &mut ClientDoc) -> Client {
    let mut raw = automerge::AutoCommit::new();
    raw.apply_changes(
        doc.changes_since(&[])
            .into_iter()
            .map(|bytes| automerge::Change::from_bytes(bytes).unwrap()),
    )
    .unwrap();
    let mut client: Client = autosurgeon::hydrate(&raw).unwrap();
    shared::model::merge::dedup_by_id(&mut client);
    client
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn the_one_pass_read_is_the_field_by_field_read(
        base in support::client(),
        mut left in support::client(),
        mut right in support::client(),
    ) {
        left.id = base.id;
        right.id = base.id;
        let mut doc = ClientDoc::create(&base, support::author(), Timestamp(1)).unwrap();
        let mut other = doc.fork(support::author().device);
        doc.write(&left, support::author(), Timestamp(2)).unwrap();
        other.write(&right, support::author(), Timestamp(3)).unwrap();
        doc.merge(&mut other).unwrap();

        let expected = hydrated_field_by_field(&mut doc);
        prop_assert_eq!(&doc.read().unwrap(), &expected);
        let (record, marks) = doc.check_and_read().unwrap();
        prop_assert_eq!(&record, &expected);
        prop_assert_eq!(marks, doc.office_marks());
    }
}
