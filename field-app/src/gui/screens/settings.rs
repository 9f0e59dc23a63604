//! Settings: UI language (switches at once), text size, idle lock time, bandwidth budget, and
//! what slips print about the agent (name, office contact).

use super::ViewCtx;
use crate::gui::i18n::Language;
use crate::gui::widgets;

pub(super) fn show(ui: &mut egui::Ui, ctx: &mut ViewCtx<'_>) {
    let i18n = ctx.i18n;
    ui.heading(i18n.t("settings-title"));
    ui.add_space(6.0);
    egui::Grid::new("settings-grid")
        .num_columns(2)
        .show(ui, |ui| {
            let languages: Vec<(Language, String)> = Language::ALL
                .iter()
                .map(|l| (*l, l.picker_name()))
                .collect();
            widgets::choice(
                ui,
                &i18n.t("settings-language"),
                &mut ctx.settings.language,
                &languages,
            );
            let name = ui.label(i18n.t("settings-text-size"));
            let mut percent = (ctx.settings.text_scale * 100.0).round() as u32;
            if ui
                .add(egui::Slider::new(&mut percent, 80..=200).suffix(" %"))
                .labelled_by(name.id)
                .changed()
            {
                ctx.settings.text_scale = percent as f32 / 100.0;
            }
            ui.end_row();
            let name = ui.label(i18n.t("settings-idle-lock"));
            ui.add(egui::Slider::new(
                &mut ctx.settings.idle_lock_minutes,
                0..=60,
            ))
            .labelled_by(name.id);
            ui.end_row();
            widgets::bandwidth(
                ui,
                &i18n.t("settings-bandwidth"),
                &mut ctx.settings.max_bytes_per_sec,
            );
            widgets::field(
                ui,
                &i18n.t("settings-agent-name"),
                &mut ctx.settings.agent_name,
            );
            widgets::field(
                ui,
                &i18n.t("settings-office-contact"),
                &mut ctx.settings.office_contact,
            );
        });
    ui.label(i18n.t("settings-idle-hint"));
    ui.label(i18n.t("settings-bandwidth-hint"));
    ui.add_space(10.0);
    ui.label(i18n.t("settings-shortcuts"));
    if i18n.language().awaiting_review() {
        ui.label(i18n.t("translation-awaiting-review"));
    }
}
