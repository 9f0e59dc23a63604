use super::*;

pub(crate) fn urgency_id(urgency: Urgency) -> &'static str {
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

pub(crate) fn referrals(
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
    // Referring is sharing: say so when nothing on file lets this partner act on a referral.
    if let Some(partner) = &forms.referral_partner {
        let consented =
            effective_consent(&draft.consent)
                .into_iter()
                .any(|((p, purpose), state)| {
                    &p == partner
                        && purpose.as_str() == "referral"
                        && state == ConsentState::Granted
                });
        if !consented {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!("(!) {}", i18n.t("referral-no-consent")),
            );
        }
    }
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
