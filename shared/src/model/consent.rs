//! Consent as an append-only set of events, and the one rule that turns it into "may we share?".
//!
//! Each event names the events (for the same partner and purpose) that the recording agent could
//! see — the ones it supersedes. After any merge, the *current* events are those no other event
//! supersedes. If any current event is a withdrawal, consent is withdrawn; otherwise a current
//! grant means granted. So:
//! - the result depends only on the set of events, never on merge order or clocks;
//! - a withdrawal made concurrently with a grant wins (and so does a withdrawal that ties);
//! - consent can be granted again only by someone who saw the withdrawal.

use std::collections::{BTreeMap, BTreeSet};

use autosurgeon::{Hydrate, Reconcile};
use serde::{Deserialize, Serialize};

use crate::ids::{AgentId, ConsentEventId, PartnerCode, PurposeCode};
use crate::time::{CalendarDate, Timestamp};

/// One grant or withdrawal of consent to share with a partner for a purpose.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Reconcile, Hydrate)]
#[serde(deny_unknown_fields)]
pub struct ConsentEvent {
    /// Stable id.
    #[key]
    pub id: ConsentEventId,
    /// With whom data may (not) be shared.
    pub partner: PartnerCode,
    /// For what.
    pub purpose: PurposeCode,
    /// Grant or withdraw.
    pub action: ConsentAction,
    /// How the client gave or withdrew it.
    pub method: ConsentMethod,
    /// The date the client said so.
    pub date: CalendarDate,
    /// The events for the same partner and purpose that were current when this was recorded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub supersedes: Vec<ConsentEventId>,
    /// Who recorded it.
    pub recorded_by: AgentId,
    /// When it was recorded.
    pub recorded_at: Timestamp,
}

impl std::fmt::Debug for ConsentEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConsentEvent")
            .field("id", &self.id)
            .field("partner", &self.partner)
            .field("purpose", &self.purpose)
            .field("action", &self.action)
            .field("date", &self.date)
            .finish_non_exhaustive()
    }
}

/// Grant or withdraw.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize, Reconcile, Hydrate)]
#[serde(rename_all = "snake_case")]
pub enum ConsentAction {
    /// The client agrees to sharing.
    Grant,
    /// The client no longer agrees.
    Withdraw,
}

/// How consent was given or withdrawn.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Reconcile, Hydrate)]
#[serde(rename_all = "snake_case")]
pub enum ConsentMethod {
    /// On a signed form.
    Signed,
    /// Verbally, with a named witness.
    VerbalWithWitness(String),
    /// Verbally through an interpreter, with a named witness.
    VerbalInterpreted(String),
}

impl std::fmt::Debug for ConsentMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Signed => "Signed",
            Self::VerbalWithWitness(_) => "VerbalWithWitness(<redacted>)",
            Self::VerbalInterpreted(_) => "VerbalInterpreted(<redacted>)",
        })
    }
}

/// Partner and purpose: what one consent decision is about.
pub type ConsentKey = (PartnerCode, PurposeCode);

/// The effective consent for one partner and purpose.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentState {
    /// Sharing allowed.
    Granted,
    /// Sharing not allowed: withdrawn (and not granted again by someone who saw the withdrawal).
    Withdrawn,
}

/// Effective consent per partner and purpose. Keys with no events are absent (never asked =
/// no consent). Deterministic: depends only on the set of events.
#[must_use]
pub fn effective_consent(events: &[ConsentEvent]) -> BTreeMap<ConsentKey, ConsentState> {
    let superseded: BTreeSet<ConsentEventId> = events
        .iter()
        .flat_map(|e| e.supersedes.iter().copied())
        .collect();
    let mut state: BTreeMap<ConsentKey, ConsentState> = BTreeMap::new();
    for event in events.iter().filter(|e| !superseded.contains(&e.id)) {
        let key = (event.partner.clone(), event.purpose.clone());
        let this = match event.action {
            ConsentAction::Grant => ConsentState::Granted,
            ConsentAction::Withdraw => ConsentState::Withdrawn,
        };
        state
            .entry(key)
            .and_modify(|s| {
                if this == ConsentState::Withdrawn {
                    *s = ConsentState::Withdrawn;
                }
            })
            .or_insert(this);
    }
    state
}

/// The ids a new event for `key` must supersede: the events for that key that are current now.
#[must_use]
pub fn current_event_ids(events: &[ConsentEvent], key: &ConsentKey) -> Vec<ConsentEventId> {
    let superseded: BTreeSet<ConsentEventId> = events
        .iter()
        .flat_map(|e| e.supersedes.iter().copied())
        .collect();
    events
        .iter()
        .filter(|e| e.partner == key.0 && e.purpose == key.1 && !superseded.contains(&e.id))
        .map(|e| e.id)
        .collect()
}

impl ConsentEvent {
    /// A new event that supersedes everything currently recorded for the same partner and purpose.
    #[must_use]
    pub fn record(
        existing: &[ConsentEvent],
        key: ConsentKey,
        action: ConsentAction,
        method: ConsentMethod,
        date: CalendarDate,
        recorded_by: AgentId,
        recorded_at: Timestamp,
    ) -> Self {
        let supersedes = current_event_ids(existing, &key);
        Self {
            id: ConsentEventId::random(),
            partner: key.0,
            purpose: key.1,
            action,
            method,
            date,
            supersedes,
            recorded_by,
            recorded_at,
        }
    }
}
