//! The list sections of the intake form: household, programs, consent, referrals, follow-ups,
//! notes and satisfaction. Each adds items through a small sub-form.

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

/// State of the sub-forms that add list items.
#[derive(Default)]
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

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum MethodChoice {
    #[default]
    Signed,
    VerbalWithWitness,
    VerbalInterpreted,
}

pub(super) fn household(
    ui: &mut egui::Ui,
    ctx: &mut ViewCtx<'_>,
    draft: &mut Draft,
    candidates: &[crate::ClientSummary],
    errors: &BTreeMap<String, ValidationCode>,
    attempted: bool,
) {
    let i18n = ctx.i18n;
    ui.strong(i18n.t("section-household"));
    if !draft.household.is_empty() {
        ui.label(i18n.t_args(
            "household-linked",
            &[("count", draft.household.len().into())],
        ));
    }
    let relationships: Vec<(Rel, String)> = Rel::ALL
        .iter()
        .map(|r| (*r, i18n.t(r.message_id())))
        .collect();
    let mut remove = None;
    for (index, member) in draft.members.iter_mut().enumerate() {
        ui.push_id(index, |ui| {
            ui.label(i18n.t_args("household-member", &[("number", (index + 1).into())]));
            egui::Grid::new("member-grid")
                .num_columns(2)
                .show(ui, |ui| {
                    widgets::field(
                        ui,
                        &i18n.t_args("member-given-name", &[("number", (index + 1).into())]),
                        &mut member.given,
                    );
                    widgets::field(
                        ui,
                        &i18n.t_args("member-family-name", &[("number", (index + 1).into())]),
                        &mut member.family,
                    );
                    widgets::field(
                        ui,
                        &i18n.t_args("member-birth-year", &[("number", (index + 1).into())]),
                        &mut member.birth_year,
                    );
                    widgets::choice(
                        ui,
                        &i18n.t_args("member-relationship", &[("number", (index + 1).into())]),
                        &mut member.relationship,
                        &relationships,
                    );
                });
            if ui
                .button(i18n.t_args("member-remove", &[("number", (index + 1).into())]))
                .clicked()
            {
                remove = Some(index);
            }
        });
    }
    if let Some(index) = remove {
        draft.members.remove(index);
    }
    if attempted && errors.keys().any(|k| k.starts_with("household")) {
        ui.colored_label(
            ui.visuals().error_fg_color,
            i18n.t("household-member-invalid"),
        );
    }
    if ui.button(i18n.t("household-add")).clicked() {
        draft.members.push(MemberDraft {
            family: draft.family.clone(),
            ..MemberDraft::default()
        });
    }
    for (_, name, relationship) in &draft.links {
        ui.label(format!("{name} · {}", i18n.t(relationship.message_id())));
    }
    egui::Grid::new("link-grid").num_columns(2).show(ui, |ui| {
        widgets::field(ui, &i18n.t("household-link-search"), &mut draft.link_search);
        widgets::choice(
            ui,
            &i18n.t("household-link-relationship"),
            &mut draft.link_relationship,
            &relationships,
        );
    });
    for candidate in candidates {
        let name = candidate.display_name();
        let already = draft.links.iter().any(|(id, _, _)| *id == candidate.id)
            || draft.household.iter().any(|l| l.member == candidate.id);
        if !already
            && ui
                .button(i18n.t_args(
                    "household-link",
                    &[
                        ("name", name.clone().into()),
                        (
                            "birth",
                            candidate.date_of_birth.clone().unwrap_or_default().into(),
                        ),
                    ],
                ))
                .clicked()
        {
            draft
                .links
                .push((candidate.id, name, draft.link_relationship));
        }
    }
}

fn partner_choices(
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

fn program_status_id(status: ProgramStatus) -> &'static str {
    match status {
        ProgramStatus::InfoGiven => "program-status-info-given",
        ProgramStatus::ApplicationHelped => "program-status-application-helped",
        ProgramStatus::Submitted => "program-status-submitted",
        ProgramStatus::Referred => "program-status-referred",
        ProgramStatus::Done => "program-status-done",
    }
}

pub(super) fn programs(
    ui: &mut egui::Ui,
    ctx: &mut ViewCtx<'_>,
    draft: &mut Draft,
    forms: &mut Forms,
) {
    let i18n = ctx.i18n;
    let catalogue = ctx.catalogue;
    let language = i18n.language().code();
    ui.strong(i18n.t("section-programs"));
    egui::Grid::new("programs-add")
        .num_columns(2)
        .show(ui, |ui| {
            let events = widgets::catalogue_choices(
                catalogue.life_events.iter().map(|e| (&e.code, &e.name)),
                language,
                Some(i18n.t("choice-none")),
            );
            if widgets::choice(
                ui,
                &i18n.t("field-life-event"),
                &mut forms.life_event,
                &events,
            ) && let Some(event) = &forms.life_event
            {
                // "Tell us once": the event proposes its programs across governments.
                for program in catalogue.life_event_bundle(event) {
                    if !draft.programs.iter().any(|p| p.program == program.code) {
                        draft.programs.push(ProgramRequest {
                            id: ProgramRequestId::random(),
                            program: program.code.clone(),
                            status: ProgramStatus::InfoGiven,
                            documents_seen: Vec::new(),
                            life_event: Some(event.clone()),
                        });
                    }
                }
            }
            let programs = widgets::catalogue_choices(
                catalogue.programs.iter().map(|e| (&e.code, &e.name)),
                language,
                Some(i18n.t("choice-none")),
            );
            widgets::choice(ui, &i18n.t("field-program"), &mut forms.program, &programs);
        });
    if ui
        .add_enabled(
            forms.program.is_some(),
            egui::Button::new(i18n.t("program-add")),
        )
        .clicked()
        && let Some(code) = forms.program.take()
        && !draft.programs.iter().any(|p| p.program == code)
    {
        draft.programs.push(ProgramRequest {
            id: ProgramRequestId::random(),
            program: code,
            status: ProgramStatus::InfoGiven,
            documents_seen: Vec::new(),
            life_event: None,
        });
    }
    let statuses: Vec<(ProgramStatus, String)> = [
        ProgramStatus::InfoGiven,
        ProgramStatus::ApplicationHelped,
        ProgramStatus::Submitted,
        ProgramStatus::Referred,
        ProgramStatus::Done,
    ]
    .into_iter()
    .map(|s| (s, i18n.t(program_status_id(s))))
    .collect();
    let mut remove = None;
    for (index, request) in draft.programs.iter_mut().enumerate() {
        let Some(program) = catalogue.program(&request.program) else {
            continue;
        };
        let name = localized(&program.name, language).to_owned();
        ui.push_id(("program", index), |ui| {
            egui::Grid::new("program-row")
                .num_columns(2)
                .show(ui, |ui| {
                    widgets::choice(
                        ui,
                        &i18n.t_args("program-status-of", &[("program", name.clone().into())]),
                        &mut request.status,
                        &statuses,
                    );
                });
            ui.horizontal_wrapped(|ui| {
                ui.label(i18n.t("program-documents-seen"));
                for kind in &program.documents {
                    let document_name = catalogue
                        .documents
                        .iter()
                        .find(|d| &d.code == kind)
                        .map_or_else(
                            || kind.as_str().to_owned(),
                            |d| localized(&d.name, language).to_owned(),
                        );
                    let mut seen = request.documents_seen.contains(kind);
                    if ui.checkbox(&mut seen, document_name).changed() {
                        toggle(&mut request.documents_seen, kind, seen);
                    }
                }
                if ui
                    .button(i18n.t_args("program-remove", &[("program", name.into())]))
                    .clicked()
                {
                    remove = Some(index);
                }
            });
        });
    }
    if let Some(index) = remove {
        draft.programs.remove(index);
    }
}

fn toggle(list: &mut Vec<DocumentKind>, kind: &DocumentKind, on: bool) {
    if on {
        list.push(kind.clone());
    } else {
        list.retain(|k| k != kind);
    }
}

pub(super) fn consent(
    ui: &mut egui::Ui,
    ctx: &mut ViewCtx<'_>,
    draft: &mut Draft,
    forms: &mut Forms,
    author: Author,
) {
    let i18n = ctx.i18n;
    let catalogue = ctx.catalogue;
    let language = i18n.language().code();
    ui.strong(i18n.t("section-consent"));
    let partner_name = |code: &PartnerCode| {
        catalogue.partner(code).map_or_else(
            || code.as_str().to_owned(),
            |p| localized(&p.name, language).to_owned(),
        )
    };
    let purpose_name = |code: &PurposeCode| {
        catalogue
            .purposes
            .iter()
            .find(|p| &p.code == code)
            .map_or_else(
                || code.as_str().to_owned(),
                |p| localized(&p.name, language).to_owned(),
            )
    };
    for ((partner, purpose), state) in effective_consent(&draft.consent) {
        let id = match state {
            ConsentState::Granted => "consent-state-granted",
            ConsentState::Withdrawn => "consent-state-withdrawn",
        };
        ui.label(format!(
            "{} · {} · {}",
            partner_name(&partner),
            purpose_name(&purpose),
            i18n.t(id)
        ));
    }
    if forms.consent_date.is_empty() {
        forms.consent_date = CalendarDate::today_utc().to_string();
    }
    egui::Grid::new("consent-grid")
        .num_columns(2)
        .show(ui, |ui| {
            let partners = partner_choices(catalogue, language, i18n.t("choice-none"));
            widgets::choice(
                ui,
                &i18n.t("field-consent-partner"),
                &mut forms.consent_partner,
                &partners,
            );
            let purposes = widgets::catalogue_choices(
                catalogue.purposes.iter().map(|e| (&e.code, &e.name)),
                language,
                Some(i18n.t("choice-none")),
            );
            widgets::choice(
                ui,
                &i18n.t("field-consent-purpose"),
                &mut forms.consent_purpose,
                &purposes,
            );
            let methods = [
                (MethodChoice::Signed, i18n.t("consent-method-signed")),
                (
                    MethodChoice::VerbalWithWitness,
                    i18n.t("consent-method-verbal-witness"),
                ),
                (
                    MethodChoice::VerbalInterpreted,
                    i18n.t("consent-method-verbal-interpreted"),
                ),
            ];
            widgets::choice(
                ui,
                &i18n.t("field-consent-method"),
                &mut forms.consent_method,
                &methods,
            );
            if forms.consent_method != MethodChoice::Signed {
                widgets::field(
                    ui,
                    &i18n.t("field-consent-witness"),
                    &mut forms.consent_witness,
                );
            }
            widgets::field(ui, &i18n.t("field-consent-date"), &mut forms.consent_date);
        });
    let date = CalendarDate::parse(forms.consent_date.trim()).ok();
    if date.is_none() {
        ui.colored_label(
            ui.visuals().error_fg_color,
            i18n.t("validation-invalid-date"),
        );
    }
    let witness_ok =
        forms.consent_method == MethodChoice::Signed || !forms.consent_witness.trim().is_empty();
    let ready = forms.consent_partner.is_some()
        && forms.consent_purpose.is_some()
        && date.is_some()
        && witness_ok;
    let mut action = None;
    ui.horizontal(|ui| {
        if ui
            .add_enabled(ready, egui::Button::new(i18n.t("consent-grant")))
            .clicked()
        {
            action = Some(ConsentAction::Grant);
        }
        if ui
            .add_enabled(ready, egui::Button::new(i18n.t("consent-withdraw")))
            .clicked()
        {
            action = Some(ConsentAction::Withdraw);
        }
    });
    if let (Some(action), Some(partner), Some(purpose), Some(date)) = (
        action,
        forms.consent_partner.clone(),
        forms.consent_purpose.clone(),
        date,
    ) {
        // A new decision supersedes every decision on the same question this form has seen.
        let superseded: std::collections::BTreeSet<ConsentEventId> = draft
            .consent
            .iter()
            .flat_map(|e| e.supersedes.iter().copied())
            .collect();
        let supersedes = draft
            .consent
            .iter()
            .filter(|e| e.partner == partner && e.purpose == purpose && !superseded.contains(&e.id))
            .map(|e| e.id)
            .collect();
        let witness = forms.consent_witness.trim().to_owned();
        draft.consent.push(ConsentEvent {
            id: ConsentEventId::random(),
            partner,
            purpose,
            action,
            method: match forms.consent_method {
                MethodChoice::Signed => ConsentMethod::Signed,
                MethodChoice::VerbalWithWitness => ConsentMethod::VerbalWithWitness(witness),
                MethodChoice::VerbalInterpreted => ConsentMethod::VerbalInterpreted(witness),
            },
            date,
            supersedes,
            recorded_by: author.agent,
            recorded_at: Timestamp::now(),
        });
    }
}

fn urgency_id(urgency: Urgency) -> &'static str {
    match urgency {
        Urgency::Routine => "urgency-routine",
        Urgency::Soon => "urgency-soon",
        Urgency::Urgent => "urgency-urgent",
    }
}

pub(crate) fn referral_status_id(status: ReferralStatus) -> &'static str {
    match status {
        ReferralStatus::Open => "referral-status-open",
        ReferralStatus::Sent => "referral-status-sent",
        ReferralStatus::Accepted => "referral-status-accepted",
        ReferralStatus::Closed => "referral-status-closed",
        ReferralStatus::Declined => "referral-status-declined",
    }
}

pub(super) fn referrals(
    ui: &mut egui::Ui,
    ctx: &mut ViewCtx<'_>,
    draft: &mut Draft,
    forms: &mut Forms,
) {
    let i18n = ctx.i18n;
    let catalogue = ctx.catalogue;
    let language = i18n.language().code();
    ui.strong(i18n.t("section-referrals"));
    let statuses: Vec<(ReferralStatus, String)> = [
        ReferralStatus::Open,
        ReferralStatus::Sent,
        ReferralStatus::Accepted,
        ReferralStatus::Closed,
        ReferralStatus::Declined,
    ]
    .into_iter()
    .map(|s| (s, i18n.t(referral_status_id(s))))
    .collect();
    for (index, referral) in draft.referrals.iter_mut().enumerate() {
        let partner = catalogue.partner(&referral.partner).map_or_else(
            || referral.partner.as_str().to_owned(),
            |p| localized(&p.name, language).to_owned(),
        );
        ui.push_id(("referral", index), |ui| {
            ui.label(format!(
                "{partner} · {} · {}",
                referral.reason,
                i18n.t(urgency_id(referral.urgency))
            ));
            egui::Grid::new("referral-row")
                .num_columns(2)
                .show(ui, |ui| {
                    widgets::choice(
                        ui,
                        &i18n.t_args("referral-status-of", &[("partner", partner.clone().into())]),
                        &mut referral.status,
                        &statuses,
                    );
                });
        });
    }
    egui::Grid::new("referral-add")
        .num_columns(2)
        .show(ui, |ui| {
            let partners = partner_choices(catalogue, language, i18n.t("choice-none"));
            widgets::choice(
                ui,
                &i18n.t("field-referral-partner"),
                &mut forms.referral_partner,
                &partners,
            );
            widgets::field(
                ui,
                &i18n.t("field-referral-reason"),
                &mut forms.referral_reason,
            );
            let urgencies = [
                (None, i18n.t("choice-none")),
                (Some(Urgency::Routine), i18n.t("urgency-routine")),
                (Some(Urgency::Soon), i18n.t("urgency-soon")),
                (Some(Urgency::Urgent), i18n.t("urgency-urgent")),
            ];
            widgets::choice(
                ui,
                &i18n.t("field-referral-urgency"),
                &mut forms.referral_urgency,
                &urgencies,
            );
        });
    let ready = forms.referral_partner.is_some() && !forms.referral_reason.trim().is_empty();
    if ui
        .add_enabled(ready, egui::Button::new(i18n.t("referral-add")))
        .clicked()
        && let Some(partner) = forms.referral_partner.take()
    {
        draft.referrals.push(Referral {
            id: ReferralId::random(),
            partner,
            reason: std::mem::take(&mut forms.referral_reason).trim().to_owned(),
            urgency: forms.referral_urgency.take().unwrap_or(Urgency::Routine),
            status: ReferralStatus::Open,
            outcome: None,
            created_at: Timestamp::now(),
        });
    }
}

pub(super) fn follow_ups(
    ui: &mut egui::Ui,
    ctx: &mut ViewCtx<'_>,
    draft: &mut Draft,
    forms: &mut Forms,
) {
    let i18n = ctx.i18n;
    ui.strong(i18n.t("section-follow-ups"));
    for (index, follow_up) in draft.follow_ups.iter_mut().enumerate() {
        ui.push_id(("follow-up", index), |ui| {
            ui.checkbox(
                &mut follow_up.done,
                format!("{} · {}", follow_up.due, follow_up.description),
            );
        });
    }
    egui::Grid::new("follow-up-add")
        .num_columns(2)
        .show(ui, |ui| {
            widgets::field(ui, &i18n.t("field-follow-up-due"), &mut forms.follow_up_due);
            widgets::field(
                ui,
                &i18n.t("field-follow-up-description"),
                &mut forms.follow_up_description,
            );
        });
    let due = CalendarDate::parse(forms.follow_up_due.trim()).ok();
    if due.is_none() && !forms.follow_up_due.trim().is_empty() {
        ui.colored_label(
            ui.visuals().error_fg_color,
            i18n.t("validation-invalid-date"),
        );
    }
    let ready = due.is_some() && !forms.follow_up_description.trim().is_empty();
    if ui
        .add_enabled(ready, egui::Button::new(i18n.t("follow-up-add")))
        .clicked()
        && let Some(due) = due
    {
        draft.follow_ups.push(FollowUp {
            id: FollowUpId::random(),
            due,
            description: std::mem::take(&mut forms.follow_up_description)
                .trim()
                .to_owned(),
            done: false,
        });
        forms.follow_up_due.clear();
    }
}

pub(super) fn notes_and_satisfaction(ui: &mut egui::Ui, ctx: &mut ViewCtx<'_>, draft: &mut Draft) {
    let i18n = ctx.i18n;
    ui.strong(i18n.t("section-notes"));
    for note in &draft.notes {
        ui.label(format!(
            "{} — {}",
            crate::gui::screens::home::describe_time(note.written_at),
            note.text
        ));
    }
    egui::Grid::new("notes-grid").num_columns(2).show(ui, |ui| {
        widgets::multiline(ui, &i18n.t("field-new-note"), &mut draft.new_note);
    });
    ui.horizontal(|ui| {
        ui.label(i18n.t("field-satisfaction"));
        ui.radio_value(&mut draft.satisfaction, None, i18n.t("choice-none"));
        for score in 1..=5u8 {
            ui.radio_value(&mut draft.satisfaction, Some(score), score.to_string());
        }
    });
}
