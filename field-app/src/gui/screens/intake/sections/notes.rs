use super::*;

pub(crate) fn follow_ups(
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
    let due = egui::Grid::new("follow-up-add")
        .num_columns(2)
        .show(ui, |ui| {
            let due = widgets::date_field(
                ui,
                i18n,
                &i18n.t("field-follow-up-due"),
                &mut forms.follow_up_due,
            );
            widgets::field(
                ui,
                &i18n.t("field-follow-up-description"),
                &mut forms.follow_up_description,
            );
            due.and_then(Result::ok)
        })
        .inner;
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

pub(crate) fn notes_and_satisfaction(ui: &mut egui::Ui, ctx: &mut ViewCtx<'_>, draft: &mut Draft) {
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
