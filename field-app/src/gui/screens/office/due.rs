//! Work due across every community, or in one: open referrals (to whom, where they stand, how
//! urgent) and follow-ups due today or overdue, the earliest first.

use shared::catalogue::localized;
use shared::ids::CommunityCode;
use shared::time::CalendarDate;

use super::super::ViewCtx;
use super::super::intake::{referral_status_id, urgency_id};
use super::super::record_words::community_name;
use super::review::community_choice;
use crate::gui::worker::Command;
use crate::storage::office::DueWork;

#[derive(Default)]
pub(super) struct DueTab {
    community: Option<CommunityCode>,
    work: DueWork,
    today: Option<CalendarDate>,
}

impl DueTab {
    pub(super) fn received(&mut self, work: DueWork, today: CalendarDate) {
        self.work = work;
        self.today = Some(today);
    }

    /// The community the office filters on (`None`: every community).
    pub(super) fn community(&self) -> Option<CommunityCode> {
        self.community.clone()
    }

    /// Draws the tab; `true` when the filter changed (the work is asked for again).
    pub(super) fn show(&mut self, ui: &mut egui::Ui, ctx: &mut ViewCtx<'_>) -> bool {
        let i18n = ctx.i18n;
        let language = i18n.language().code();
        let before = self.community.clone();
        egui::Grid::new("due-filters")
            .num_columns(2)
            .show(ui, |ui| {
                community_choice(ui, ctx, &mut self.community);
            });
        let changed = self.community != before;
        let Some(today) = self.today else {
            return changed;
        };
        let clients = &self.work.clients;
        ui.label(i18n.t_args("office-due-count", &[("count", self.work.total.into())]));
        if self.work.total > clients.len() as u64 {
            ui.label(i18n.t_args("office-due-shown", &[("shown", clients.len().into())]));
        }
        let mut open = None;
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for client in clients {
                    egui::Frame::group(ui.style()).show(ui, |ui| {
                        ui.horizontal(|ui| {
                            let name = format!(
                                "{} {}",
                                client.identity.given_name, client.identity.family_name
                            );
                            if ui.button(egui::RichText::new(name).strong()).clicked() {
                                open = Some(client.id);
                            }
                            // Namesakes are told apart by their dates of birth.
                            ui.label(
                                client
                                    .identity
                                    .date_of_birth
                                    .map_or_else(|| "—".into(), |d| d.display()),
                            );
                            ui.label(community_name(
                                i18n,
                                ctx.catalogue,
                                &client.identity.community,
                            ));
                        });
                        for follow_up in client
                            .follow_ups
                            .iter()
                            .filter(|f| !f.done && f.due <= today)
                        {
                            let id = if follow_up.due < today {
                                "office-follow-up-overdue"
                            } else {
                                "office-follow-up-today"
                            };
                            let text = i18n.t_args(
                                id,
                                &[
                                    ("due", follow_up.due.to_string().into()),
                                    ("what", follow_up.description.clone().into()),
                                ],
                            );
                            if follow_up.due < today {
                                ui.colored_label(ui.visuals().warn_fg_color, format!("(!) {text}"));
                            } else {
                                ui.label(text);
                            }
                        }
                        for referral in client.open_referrals() {
                            let partner = ctx.catalogue.partner(&referral.partner).map_or_else(
                                || i18n.t("value-unknown-code"),
                                |p| localized(&p.name, language).to_owned(),
                            );
                            ui.label(i18n.t_args(
                                "office-referral-open",
                                &[
                                    ("partner", partner.into()),
                                    ("status", i18n.t(referral_status_id(referral.status)).into()),
                                    ("urgency", i18n.t(urgency_id(referral.urgency)).into()),
                                    ("since", referral.created_at.to_minute_text().into()),
                                ],
                            ));
                        }
                    });
                }
            });
        if let Some(id) = open {
            ctx.commands.push(Command::Open(id));
        }
        changed
    }
}
