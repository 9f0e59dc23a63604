//! Sync: enrol with a node, start a sync, watch bytes and time left, read the outcome in plain
//! words. Capture keeps working meanwhile: the sync runs on its own thread and connection.

use super::ViewCtx;
use super::home::describe_time;
use crate::gui::widgets;
use crate::gui::worker::{Command, Status};
use crate::sync::{SyncProgress, SyncReport};

#[derive(Default)]
pub(crate) struct SyncScreen {
    code: String,
    enrolling: bool,
    pub running: bool,
    progress: Option<SyncProgress>,
    total_upload: u64,
    outcome: Option<Result<SyncReport, String>>,
}

impl SyncScreen {
    pub(crate) fn enrolled(&mut self) {
        self.enrolling = false;
        self.code.clear();
        self.outcome = None;
    }

    pub(crate) fn progress(&mut self, progress: SyncProgress) {
        self.total_upload = self
            .total_upload
            .max(progress.bytes_sent + progress.upload_bytes_left);
        self.progress = Some(progress);
    }

    pub(crate) fn done(&mut self, report: SyncReport) {
        self.running = false;
        self.outcome = Some(Ok(report));
    }

    pub(crate) fn failed(&mut self, message: String) {
        self.running = false;
        self.enrolling = false;
        self.outcome = Some(Err(message));
    }

    pub(crate) fn show(&mut self, ui: &mut egui::Ui, ctx: &mut ViewCtx<'_>, status: &Status) {
        let i18n = ctx.i18n;
        ui.heading(i18n.t("sync-title"));
        ui.add_space(6.0);
        match &status.node_url {
            Some(url) => {
                ui.label(i18n.t_args("sync-node", &[("url", url.clone().into())]));
            }
            None => {
                ui.label(i18n.t("sync-not-enrolled"));
                egui::Grid::new("enrol-grid").num_columns(2).show(ui, |ui| {
                    widgets::field(ui, &i18n.t("sync-code"), &mut self.code);
                });
                if ui
                    .add_enabled(
                        !self.enrolling && !self.code.trim().is_empty(),
                        egui::Button::new(i18n.t("sync-enrol")),
                    )
                    .clicked()
                {
                    self.enrolling = true;
                    self.outcome = None;
                    ctx.commands
                        .push(Command::Enroll(self.code.trim().to_owned()));
                }
                if self.enrolling {
                    ui.spinner();
                }
            }
        }
        ui.label(i18n.t_args(
            "sync-pending",
            &[
                ("count", status.pending_changes.into()),
                ("bytes", widgets::human_bytes(status.pending_bytes).into()),
            ],
        ));
        if status.held_changes > 0 {
            // Held changes are not "waiting": they stay until the agent resends them.
            ui.colored_label(
                ui.visuals().warn_fg_color,
                i18n.t_args("sync-held", &[("count", status.held_changes.into())]),
            );
            if ui.button(i18n.t("held-resend")).clicked() {
                ctx.commands.push(Command::ResendHeld);
            }
        }
        if let Some(last) = status.last_sync {
            ui.label(i18n.t_args("sync-last", &[("when", describe_time(last).into())]));
        }
        ui.add_space(6.0);
        egui::Grid::new("budget-grid")
            .num_columns(2)
            .show(ui, |ui| {
                widgets::bandwidth(
                    ui,
                    &i18n.t("settings-bandwidth"),
                    &mut ctx.settings.max_bytes_per_sec,
                );
            });
        ui.label(i18n.t("settings-bandwidth-hint"));
        ui.add_space(6.0);
        let can_sync = status.node_url.is_some() && !self.running;
        if ui
            .add_enabled(can_sync, egui::Button::new(i18n.t("sync-start")))
            .clicked()
        {
            self.running = true;
            self.progress = None;
            self.total_upload = 0;
            self.outcome = None;
            ctx.commands.push(Command::Sync {
                max_bytes_per_sec: ctx.settings.max_bytes_per_sec,
            });
        }
        if self.running || self.progress.is_some() {
            let progress = self.progress.clone().unwrap_or_default();
            let fraction = if self.total_upload == 0 {
                if self.running { 0.0 } else { 1.0 }
            } else {
                (progress.bytes_sent as f32 / self.total_upload as f32).min(1.0)
            };
            // Once the sync is over, "about 0 s left" says nothing: the bar shows what moved.
            let time_left = if self.running {
                progress.time_left.map_or_else(
                    || i18n.t("sync-time-unknown"),
                    |t| i18n.t_args("sync-seconds", &[("seconds", t.as_secs().into())]),
                )
            } else {
                i18n.t("sync-finished")
            };
            ui.add(
                egui::ProgressBar::new(if self.running { fraction } else { 1.0 })
                    .desired_width(420.0)
                    .text(i18n.t_args(
                        "sync-progress",
                        &[
                            ("sent", widgets::human_bytes(progress.bytes_sent).into()),
                            (
                                "received",
                                widgets::human_bytes(progress.bytes_received).into(),
                            ),
                            ("left", time_left.into()),
                        ],
                    )),
            );
        }
        match &self.outcome {
            Some(Ok(report)) => {
                // Not "synced" while the node refused changes this laptop still holds.
                if status.held_changes > 0 {
                    ui.colored_label(
                        ui.visuals().warn_fg_color,
                        i18n.t_args(
                            "sync-synced-but-held",
                            &[("count", status.held_changes.into())],
                        ),
                    );
                } else {
                    ui.label(i18n.t("sync-synced"));
                }
                ui.label(i18n.t_args(
                    "sync-report",
                    &[
                        ("sent", report.changes_sent.into()),
                        ("received", report.records_received().into()),
                        ("refused", report.changes_refused.into()),
                    ],
                ));
            }
            Some(Err(message)) => {
                ui.colored_label(ui.visuals().error_fg_color, i18n.t("sync-failed"));
                ui.label(message);
            }
            None => {}
        }
    }
}
