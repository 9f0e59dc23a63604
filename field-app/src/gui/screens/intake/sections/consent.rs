use super::*;

pub(crate) fn consent(
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
    let date = egui::Grid::new("consent-grid")
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
            widgets::date_field(
                ui,
                i18n,
                &i18n.t("field-consent-date"),
                &mut forms.consent_date,
            )
            .and_then(Result::ok)
        })
        .inner;
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
