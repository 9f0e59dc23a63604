use super::*;

pub(crate) fn household(
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
                    widgets::birth_field(
                        ui,
                        i18n,
                        &i18n.t_args("member-birth-year", &[("number", (index + 1).into())]),
                        &mut member.birth,
                    );
                    widgets::choice(
                        ui,
                        &i18n.t_args("member-relationship", &[("number", (index + 1).into())]),
                        &mut member.relationship,
                        &relationships,
                    );
                });
            if !member.programs.is_empty() {
                let names: Vec<String> = member
                    .programs
                    .iter()
                    .map(|p| {
                        ctx.catalogue.program(&p.program).map_or_else(
                            || i18n.t("value-unknown-code"),
                            |p| localized(&p.name, i18n.language().code()).to_owned(),
                        )
                    })
                    .collect();
                ui.label(i18n.t_args("member-programs", &[("programs", names.join(", ").into())]));
            }
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
