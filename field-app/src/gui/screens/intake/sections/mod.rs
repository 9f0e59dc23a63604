//! The list sections of the intake form: household, programs, consent, referrals, follow-ups,
//! notes and satisfaction. Each adds items through a small sub-form.
//!
//! One file per section; `mod.rs` holds the sub-forms' state and what they share.

mod consent;
mod household;
mod notes;
mod programs;
mod referrals;

pub(super) use consent::consent;
pub(super) use household::household;
pub(super) use notes::{follow_ups, notes_and_satisfaction};
pub(crate) use programs::program_status_id;
pub(super) use programs::programs;
pub(super) use referrals::referrals;
pub(crate) use referrals::{referral_status_id, urgency_id};

use std::collections::BTreeMap;

use shared::Author;
use shared::catalogue::localized;
use shared::ids::{
    ConsentEventId, DocumentKind, FollowUpId, PartnerCode, ProgramCode, ProgramRequestId,
    PurposeCode, ReferralId,
};
use shared::model::{
    ConsentAction, ConsentEvent, ConsentMethod, ConsentState, FollowUp, ProgramRequest,
    ProgramStatus, Referral, ReferralStatus, Urgency, ValidationCode, effective_consent,
};
use shared::time::{CalendarDate, Timestamp};

use super::draft::{Draft, MemberDraft, Rel};
use crate::gui::screens::ViewCtx;
use crate::gui::widgets;

/// State of the sub-forms that add list items (kept with the draft: a half-filled sub-form is
/// typed text too).
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub(crate) struct Forms {
    life_event: Option<String>,
    program: Option<ProgramCode>,
    consent_partner: Option<PartnerCode>,
    consent_purpose: Option<PurposeCode>,
    consent_method: MethodChoice,
    consent_witness: String,
    consent_date: String,
    referral_partner: Option<PartnerCode>,
    referral_reason: String,
    referral_urgency: Option<Urgency>,
    follow_up_due: String,
    follow_up_description: String,
}

impl Default for Forms {
    fn default() -> Self {
        Self {
            life_event: None,
            program: None,
            consent_partner: None,
            consent_purpose: None,
            consent_method: MethodChoice::default(),
            consent_witness: String::new(),
            // Set when the form starts, never while drawing: drawing changes nothing, so an
            // untouched form is never kept as a draft.
            consent_date: CalendarDate::today_utc().to_string(),
            referral_partner: None,
            referral_reason: String::new(),
            referral_urgency: None,
            follow_up_due: String::new(),
            follow_up_description: String::new(),
        }
    }
}

impl Forms {
    /// A follow-up typed but not added yet (the demo's open draft).
    #[cfg(feature = "demo")]
    pub(crate) fn set_demo_follow_up(&mut self, description: &str) {
        description.clone_into(&mut self.follow_up_description);
    }

    /// The sections whose sub-form is filled in but was not confirmed with its Add button
    /// (message ids): saving then would silently drop what the agent typed.
    pub(crate) fn unconfirmed(&self) -> Vec<&'static str> {
        let mut open = Vec::new();
        if self.program.is_some() {
            open.push("section-programs");
        }
        if self.referral_partner.is_some() || !self.referral_reason.trim().is_empty() {
            open.push("section-referrals");
        }
        if !self.follow_up_due.trim().is_empty() || !self.follow_up_description.trim().is_empty() {
            open.push("section-follow-ups");
        }
        open
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(super) enum MethodChoice {
    #[default]
    Signed,
    VerbalWithWitness,
    VerbalInterpreted,
}

pub(super) fn partner_choices(
    catalogue: &shared::Catalogue,
    language: &str,
    none: String,
) -> Vec<(Option<PartnerCode>, String)> {
    widgets::catalogue_choices(
        catalogue.partners.iter().map(|p| (&p.code, &p.name)),
        language,
        Some(none),
    )
}
