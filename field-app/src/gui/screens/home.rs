//! Home / visit: where the agent is working today, the counts, and whether the work is synced.

use shared::time::Timestamp;

use super::{IntakeScreen, ViewCtx, Visit};
use crate::gui::widgets;
use crate::gui::worker::Status;

pub(super) fn show(
    ui: &mut egui::Ui,
    ctx: &mut ViewCtx<'_>,
    visit: &mut Visit,
    status: &Status,
    intake: &mut IntakeScreen,
) {
    let i18n = ctx.i18n;
    let language = i18n.language().code();
    ui.heading(i18n.t("home-title"));
    ui.add_space(6.0);
    egui::Grid::new("visit-grid").num_columns(2).show(ui, |ui| {
        let choices = widgets::catalogue_choices(
            ctx.catalogue.communities.iter().map(|c| (&c.code, &c.name)),
            language,
            None,
        );
        if widgets::choice(
            ui,
            &i18n.t("home-community"),
            &mut visit.community,
            &choices,
        ) {
            visit.started = Timestamp::now();
            intake.reset(visit.community.clone());
        }
        widgets::field(ui, &i18n.t("home-site"), &mut visit.site);
    });
    ui.add_space(10.0);
    egui::Grid::new("counts-grid")
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            let mut row = |label: String, value: String| {
                ui.label(label);
                ui.strong(value);
                ui.end_row();
            };
            row(i18n.t("home-count-today"), status.today.to_string());
            row(i18n.t("home-count-visit"), status.this_visit.to_string());
            row(i18n.t("home-count-records"), status.records.to_string());
            row(
                i18n.t("home-count-not-synced"),
                status.pending_changes.to_string(),
            );
            row(
                i18n.t("home-last-sync"),
                status
                    .last_sync
                    .map_or_else(|| i18n.t("home-never"), describe_time),
            );
            row(
                i18n.t("home-link"),
                status
                    .node_url
                    .clone()
                    .unwrap_or_else(|| i18n.t("home-not-enrolled")),
            );
            row(
                i18n.t("home-recovery"),
                i18n.t(if status.recovery_copy {
                    "home-recovery-yes"
                } else {
                    "home-recovery-no"
                }),
            );
        });
}

/// A timestamp as `YYYY-MM-DD HH:MM UTC`.
pub(crate) fn describe_time(at: Timestamp) -> String {
    at.to_minute_text()
}
