//! The office's work on its own device (issue 11), through the store and through the real egui
//! UI (egui_kittest): the review queue, duplicate pairs with evidence, merge and its undo, "not
//! the same person", settling a conflict; the office screens in English and French; an agent's
//! laptop never offers them and its store refuses the decisions.
//!
//! `store.rs`: the office's decisions through the store; `screens.rs`: the Office screen's
//! queues by label; `record.rs`: the same work from one record's screen.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../support/mod.rs"]
mod support;

mod record;
mod screens;
mod store;

use egui_kittest::kittest::Queryable as _;
use field_app::LocalStore;
use shared::ids::ClientId;
use support::edited_on_two_laptops;

/// The demo client's phone typed differently on two laptops.
pub(crate) fn make_conflict(store: &mut LocalStore, id: ClientId) {
    let _ = edited_on_two_laptops(
        store,
        id,
        |c| c.identity.contact.phone = Some("867-555-0102".into()),
        |c| c.identity.contact.phone = Some("867-555-0101".into()),
        0,
    );
}

pub(crate) fn click_first(
    h: &mut egui_kittest::Harness<'static, field_app::gui::OutreachApp>,
    label: &str,
) {
    h.get_all_by_label(label).next().unwrap().click();
    h.step();
    h.step();
}
