//! An office profile and the people in it, for the office and accountability tests.

use field_app::LocalStore;
use field_app::storage::sync_state::key;
use shared::Client;
use shared::ids::{ClientId, CommunityCode};
use shared::model::{DateOfBirth, Identity};
use shared::time::Timestamp;

use super::new_profile;

/// Unlocks the office device's window and opens the Office screen.
pub(crate) fn open_office(h: &mut egui_kittest::Harness<'static, field_app::gui::OutreachApp>) {
    use egui_kittest::kittest::Queryable as _;
    super::unlock(h);
    // Exactly the entry: Home's "Office recovery copy of the key" also holds the word.
    super::step_until(h, "the Office entry", |h| {
        h.query_by_label("Office").is_some()
    });
    super::click(h, "Office");
    super::wait_screen(h, field_app::gui::Screen::Office);
}

pub(crate) fn office_profile(dir: &std::path::Path) -> LocalStore {
    let mut store = new_profile(dir);
    store.set_link(&[(key::ROLE, b"office")]).unwrap();
    store
}

pub(crate) fn person(
    store: &LocalStore,
    given: &str,
    family: &str,
    dob: (i16, u8, u8),
    community: &str,
) -> Client {
    let identity = Identity {
        given_name: given.into(),
        family_name: family.into(),
        date_of_birth: Some(DateOfBirth {
            year: dob.0,
            month: Some(dob.1),
            day: Some(dob.2),
            approximate: false,
        }),
        community: CommunityCode::new(community),
        ..Identity::default()
    };
    let me = store.author();
    Client::new(identity, me.agent, me.device, Timestamp::now())
}

/// An office profile holding 40 fictional people and one person registered twice at two desks
/// ("Elisapee Kootoo 1958-03-04" and "Ilisapi Kootoo 1958-04-03", same phone); returns the pair.
pub(crate) fn office_with_a_duplicate(dir: &std::path::Path) -> (LocalStore, ClientId, ClientId) {
    let mut store = office_profile(dir);
    store
        .import_lines(&field_app::fixtures::intake_lines(40, 11, "nu.pangnirtung"))
        .unwrap();
    let mut first = person(&store, "Elisapee", "Kootoo", (1958, 3, 4), "nu.pangnirtung");
    first.identity.contact.phone = Some("867-555-0142".into());
    let mut second = person(&store, "Ilisapi", "Kootoo", (1958, 4, 3), "nu.pangnirtung");
    second.identity.contact.phone = Some("867-555-0142".into());
    second.provenance.created_at = Timestamp(first.provenance.created_at.0 + 1);
    store.save_all(&[first.clone(), second.clone()]).unwrap();
    (store, first.id, second.id)
}
