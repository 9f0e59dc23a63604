//! Disclosure (issue 12): which clients may be shared with a partner for a purpose, and the
//! record of every release. Pure functions over records, so every node and office tool applies
//! one rule.
//!
//! A client is released to partner P for purpose U only when its **effective consent** for
//! (P, U) — over every consent event it holds, merged records included (a merge joins the
//! events, so a withdrawal recorded on either record wins) — is granted, and, when the export
//! profile bounds how old consent may be, one of the grants relied on was given within that
//! many days. Every released row gets exactly one [`Disclosure`]: the partner, the purpose,
//! the columns released, the consent events relied on, who exported, when — never a value.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::ids::{ClientId, ConsentEventId, PartnerCode, PurposeCode};
use crate::model::{
    Client, ConsentAction, ConsentEvent, ConsentState, current_event_ids, effective_consent,
};

use crate::time::{CalendarDate, Timestamp};

pub mod csv;
pub mod profile;

pub use profile::{Column, ExportProfile, ProfileError};

/// Why a client was left out of an export.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LeftOut {
    /// No consent was ever recorded for this partner and purpose.
    NoConsent,
    /// Consent was withdrawn.
    Withdrawn,
    /// Consent was granted longer ago than the export profile accepts.
    Expired,
}

impl LeftOut {
    /// A stable name for reports.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::NoConsent => "no_consent",
            Self::Withdrawn => "withdrawn",
            Self::Expired => "expired",
        }
    }
}

/// Whether a client whose consent events are `events` may be released to `partner` for
/// `purpose` on `today`: the grant events relied on, or why not.
pub fn may_release(
    events: &[ConsentEvent],
    partner: &PartnerCode,
    purpose: &PurposeCode,
    today: CalendarDate,
    valid_days: Option<u32>,
) -> Result<Vec<ConsentEventId>, LeftOut> {
    let key = (partner.clone(), purpose.clone());
    match effective_consent(events).get(&key) {
        None => Err(LeftOut::NoConsent),
        Some(ConsentState::Withdrawn) => Err(LeftOut::Withdrawn),
        Some(ConsentState::Granted) => {
            let current = current_event_ids(events, &key);
            let grants: Vec<_> = events
                .iter()
                .filter(|e| current.contains(&e.id) && e.action == ConsentAction::Grant)
                .collect();
            let fresh = |date: CalendarDate| {
                valid_days.is_none_or(|days| date.days_until(today) <= i64::from(days))
            };
            let relied: Vec<ConsentEventId> = grants
                .iter()
                .filter(|e| fresh(e.date))
                .map(|e| e.id)
                .collect();
            if relied.is_empty() {
                Err(LeftOut::Expired)
            } else {
                Ok(relied)
            }
        }
    }
}

/// One release of one client's record to a partner: what was released, why, on whose consent,
/// by whom, when. Holds ids and column names, never a value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Disclosure {
    /// The export it was part of.
    pub export: uuid::Uuid,
    /// The client.
    pub client: ClientId,
    /// To whom.
    pub partner: PartnerCode,
    /// For what.
    pub purpose: PurposeCode,
    /// The columns released.
    pub fields: Vec<String>,
    /// The consent events relied on.
    pub consent_events: Vec<ConsentEventId>,
    /// Who exported (as the operator named themself).
    pub by: String,
    /// When.
    pub at: Timestamp,
}

/// What one export is asked to do.
#[derive(Clone, Copy, Debug)]
pub struct ExportRequest<'a> {
    /// The partner's profile.
    pub profile: &'a ExportProfile,
    /// The purpose (one the profile covers).
    pub purpose: &'a PurposeCode,
    /// The catalogue (for the programs column).
    pub catalogue: &'a crate::Catalogue,
    /// The day consent is judged on.
    pub today: CalendarDate,
    /// Who exports.
    pub by: &'a str,
    /// When.
    pub at: Timestamp,
    /// This export's id.
    pub export: uuid::Uuid,
}

/// An export worked out: the CSV, one disclosure per row, and who was left out and why.
#[derive(Clone, Debug, Default)]
pub struct Export {
    /// The file's text: a header of column names, then one row per released client.
    pub csv: String,
    /// One per row, in row order.
    pub disclosures: Vec<Disclosure>,
    /// Clients left out, by reason.
    pub left_out: BTreeMap<LeftOut, usize>,
    /// Records skipped because they were merged into another (released through it).
    pub redirects: usize,
}

impl Export {
    /// Rows released.
    #[must_use]
    pub fn released(&self) -> usize {
        self.disclosures.len()
    }
}

/// Works out an export of `clients` (every record the office holds, redirects included): only
/// live records whose consent — their own events and those of every record merged into them —
/// allows it, the profile's columns, one disclosure per row.
#[must_use]
pub fn export(clients: &[Client], request: &ExportRequest<'_>) -> Export {
    let profile = request.profile;
    let mut out = Export::default();
    // A record merged away still holds the consent events recorded on it — also those a laptop
    // recorded there before it learned of the merge: they count for the record it leads to.
    let by_id: HashMap<ClientId, &Client> = clients.iter().map(|c| (c.id, c)).collect();
    let mut merged_in: HashMap<ClientId, Vec<&Client>> = HashMap::new();
    for client in clients.iter().filter(|c| c.merged_into.is_some()) {
        out.redirects += 1;
        if let Some(live) = live_record(&by_id, client) {
            merged_in.entry(live).or_default().push(client);
        }
    }
    let mut rows: Vec<(&Client, Vec<ConsentEventId>)> = Vec::new();
    for client in clients.iter().filter(|c| c.merged_into.is_none()) {
        let events: Cow<'_, [ConsentEvent]> = match merged_in.get(&client.id) {
            None => Cow::Borrowed(&client.consent),
            Some(others) => {
                let mut all = client.consent.clone();
                for event in others.iter().flat_map(|o| &o.consent) {
                    if !all.iter().any(|e| e.id == event.id) {
                        all.push(event.clone());
                    }
                }
                Cow::Owned(all)
            }
        };
        match may_release(
            &events,
            &profile.partner,
            request.purpose,
            request.today,
            profile.consent_valid_days,
        ) {
            Ok(relied) => rows.push((client, relied)),
            Err(reason) => *out.left_out.entry(reason).or_default() += 1,
        }
    }
    rows.sort_by(|(a, _), (b, _)| {
        (&a.identity.family_name, &a.identity.given_name, a.id).cmp(&(
            &b.identity.family_name,
            &b.identity.given_name,
            b.id,
        ))
    });
    let fields: Vec<String> = profile
        .columns
        .iter()
        .map(|c| c.name().to_owned())
        .collect();
    csv::push_row(&mut out.csv, fields.iter().map(String::as_str));
    let mut cells: Vec<String> = Vec::with_capacity(fields.len());
    for (client, relied) in rows {
        let consent_date = client
            .consent
            .iter()
            .chain(
                merged_in
                    .get(&client.id)
                    .into_iter()
                    .flatten()
                    .flat_map(|o| &o.consent),
            )
            .filter(|e| relied.contains(&e.id))
            .map(|e| e.date)
            .max();
        cells.clear();
        cells.extend(
            profile.columns.iter().map(|column| {
                column.value(client, &profile.partner, request.catalogue, consent_date)
            }),
        );
        csv::push_row(&mut out.csv, cells.iter().map(String::as_str));
        out.disclosures.push(Disclosure {
            export: request.export,
            client: client.id,
            partner: profile.partner.clone(),
            purpose: request.purpose.clone(),
            fields: fields.clone(),
            consent_events: relied,
            by: request.by.to_owned(),
            at: request.at,
        });
    }
    out
}

/// The live record a merged-away record leads to (redirects followed, a few hops at most);
/// `None` when the chain leaves the records given or loops.
fn live_record(by_id: &HashMap<ClientId, &Client>, client: &Client) -> Option<ClientId> {
    let mut current = client;
    for _ in 0..16 {
        match current.merged_into {
            None => return Some(current.id),
            Some(next) => current = by_id.get(&next)?,
        }
    }
    None
}
