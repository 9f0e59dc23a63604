use super::*;

pub(crate) fn program_status_id(status: ProgramStatus) -> &'static str {
    match status {
        ProgramStatus::InfoGiven => "program-status-info-given",
        ProgramStatus::ApplicationHelped => "program-status-application-helped",
        ProgramStatus::Submitted => "program-status-submitted",
        ProgramStatus::Referred => "program-status-referred",
        ProgramStatus::Done => "program-status-done",
    }
}

pub(crate) fn programs(
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
