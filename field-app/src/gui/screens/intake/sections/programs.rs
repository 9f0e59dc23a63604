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

fn propose(programs: &mut Vec<ProgramRequest>, program: &ProgramCode, event: &str) {
    if !programs.iter().any(|p| &p.program == program) {
        programs.push(ProgramRequest {
            id: ProgramRequestId::random(),
            program: program.clone(),
            status: ProgramStatus::InfoGiven,
            documents_seen: Vec::new(),
            life_event: Some(event.to_owned()),
        });
    }
}

/// The household member a life event is about: the last child added on this form, or a new
/// member row (a child, the client's family name) for the agent to fill in.
fn member_for_event(draft: &mut Draft) -> &mut MemberDraft {
    let existing = draft
        .members
        .iter()
        .rposition(|m| m.relationship == Rel::Child);
    let at = match existing {
        Some(at) => at,
        None => {
            draft.members.push(MemberDraft {
                family: draft.family.clone(),
                relationship: Rel::Child,
                ..MemberDraft::default()
            });
            draft.members.len() - 1
        }
    };
    &mut draft.members[at]
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
                // "Tell us once": the event proposes its programs across governments; those
                // of the member it is about (a new baby's) go to that member, not the client.
                let for_member = catalogue.life_event_member_programs(event);
                for program in catalogue.life_event_bundle(event) {
                    if for_member.iter().any(|p| p.code == program.code) {
                        continue;
                    }
                    propose(&mut draft.programs, &program.code, event);
                }
                if !for_member.is_empty() {
                    let member = member_for_event(draft);
                    for program in for_member {
                        propose(&mut member.programs, &program.code, event);
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
