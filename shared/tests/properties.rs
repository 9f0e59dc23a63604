//! Round trips and convergence, checked over generated records.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a test failure

mod support;

use proptest::prelude::*;
use shared::Catalogue;
use shared::ClientDoc;
use shared::ids::{AgentId, DeviceId};
use shared::intake_schema::{ImportContext, parse_line, to_line};
use shared::time::{CalendarDate, Timestamp};

fn context() -> ImportContext {
    ImportContext {
        agent: AgentId::random(),
        device: DeviceId::random(),
        site: None,
        visit: None,
        now: Timestamp(1_800_000_000_000),
        today: CalendarDate::new(2030, 1, 1).unwrap(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn model_to_document_to_model_is_identity(client in support::client()) {
        let mut doc = ClientDoc::create(&client, support::author(), Timestamp(1)).unwrap();
        let read = doc.read();
        prop_assert!(read.is_ok(), "{:?} for {}", read.err(), to_line(&client));
        prop_assert_eq!(&read.unwrap(), &client);
        let saved = doc.save();
        let loaded = ClientDoc::load(&saved, DeviceId::random()).unwrap();
        prop_assert_eq!(&loaded.read().unwrap(), &client);
    }

    #[test]
    fn editing_a_record_round_trips_and_writes_one_change(before in support::client(), after in support::client()) {
        let mut doc = ClientDoc::create(&before, support::author(), Timestamp(1)).unwrap();
        let change = doc.write(&after, support::author(), Timestamp(2)).unwrap();
        prop_assert_eq!(&doc.read().unwrap(), &after);
        prop_assert_eq!(change.is_some(), before != after);
    }

    #[test]
    fn json_line_to_model_to_json_line_is_identity(client in support::client()) {
        let catalogue = Catalogue::built_in().unwrap();
        let line = to_line(&client);
        let parsed = parse_line(&line, &context(), &catalogue).unwrap();
        prop_assert_eq!(&parsed, &client);
        prop_assert_eq!(to_line(&parsed), line);
    }
}
