//! Home / visit: where the agent is working today, the next step (a new intake, the open
//! drafts), the counts, and whether the work is synced.

use shared::time::Timestamp;

use super::{ViewCtx, Visit};
use crate::gui::widgets;
use crate::gui::worker::Status;
use crate::storage::DraftId;

/// What Home shows and may change.
pub(super) struct Shown<'a> {
    pub visit: &'a mut Visit,
    pub status: &'a Status,
    /// The draft whose Discard was clicked once.
    pub confirm_discard: &'a mut Option<DraftId>,
    /// The draft the intake form holds now, if any.
    pub form_draft: Option<DraftId>,
}

/// What the agent chose on Home.
#[derive(Clone, Copy)]
pub(super) enum Step {
    /// Start a new intake.
    NewIntake,
    /// The visit's community changed.
    CommunityChanged,
    /// Continue a draft.
    Resume(DraftId),
    /// Throw a draft away (confirmed).
    Discard(DraftId),
    /// List the records with a follow-up due.
    DueFollowUps,
}

pub(super) fn show(ui: &mut egui::Ui, ctx: &mut ViewCtx<'_>, shown: Shown<'_>) -> Option<Step> {
    let Shown {
        visit,
        status,
        confirm_discard,
        form_draft,
    } = shown;
    let i18n = ctx.i18n;
    let language = i18n.language().code();
    let mut step = None;
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
            step = Some(Step::CommunityChanged);
        }
        widgets::field(ui, &i18n.t("home-site"), &mut visit.site);
    });
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        if ui.button(i18n.t("home-new-intake")).clicked() {
            step = Some(Step::NewIntake);
        }
        if status.follow_ups_due > 0
            && ui
                .button(i18n.t_args(
                    "home-follow-ups-due",
                    &[("count", status.follow_ups_due.into())],
                ))
                .clicked()
        {
            step = Some(Step::DueFollowUps);
        }
    });
    ui.add_space(8.0);
    if !status.drafts.is_empty() {
        ui.strong(i18n.t_args("home-drafts", &[("count", status.drafts.len().into())]));
        egui::Grid::new("drafts-grid")
            .num_columns(3)
            .striped(true)
            .show(ui, |ui| {
                for draft in &status.drafts {
                    let name = if draft.label.is_empty() {
                        i18n.t("draft-no-name")
                    } else {
                        draft.label.clone()
                    };
                    let kind = i18n.t(if draft.record.is_some() {
                        "draft-kind-edit"
                    } else {
                        "draft-kind-new"
                    });
                    ui.label(format!("{name} · {kind}"));
                    ui.label(i18n.t_args(
                        "draft-updated",
                        &[("time", describe_time(draft.updated_at).into())],
                    ));
                    ui.horizontal(|ui| {
                        // The form's own draft gets no second button: the navigation has one.
                        if form_draft != Some(draft.id)
                            && ui.button(i18n.t("draft-resume")).clicked()
                        {
                            step = Some(Step::Resume(draft.id));
                        }
                        if *confirm_discard == Some(draft.id) {
                            if ui
                                .button(
                                    egui::RichText::new(i18n.t("draft-discard-confirm"))
                                        .color(ui.visuals().error_fg_color),
                                )
                                .clicked()
                            {
                                *confirm_discard = None;
                                step = Some(Step::Discard(draft.id));
                            }
                            if ui.button(i18n.t("draft-discard-cancel")).clicked() {
                                *confirm_discard = None;
                            }
                        } else if ui.button(i18n.t("draft-discard")).clicked() {
                            *confirm_discard = Some(draft.id);
                        }
                    });
                    ui.end_row();
                }
            });
        ui.add_space(8.0);
    }
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
    step
}

/// A timestamp as `YYYY-MM-DD HH:MM UTC`.
pub(crate) fn describe_time(at: Timestamp) -> String {
    at.to_minute_text()
}
