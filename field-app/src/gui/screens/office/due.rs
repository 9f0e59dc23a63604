//! Work due across every community: open referrals (to whom, where they stand, how urgent) and
//! follow-ups due today or overdue, the earliest first.

use shared::Client;
use shared::catalogue::localized;
use shared::time::CalendarDate;

use super::super::ViewCtx;
use super::super::intake::{referral_status_id, urgency_id};
use super::super::record_words::community_name;
use crate::gui::worker::Command;

#[derive(Default)]
pub(super) struct DueTab {
    clients: Vec<Client>,
    today: Option<CalendarDate>,
}

impl DueTab {
    pub(super) fn received(&mut self, clients: Vec<Client>, today: CalendarDate) {
        self.clients = clients;
        self.today = Some(today);
    }

    pub(super) fn show(&mut self, ui: &mut egui::Ui, ctx: &mut ViewCtx<'_>) {
        let i18n = ctx.i18n;
        let language = i18n.language().code();
        let Some(today) = self.today else {
            return;
        };
        ui.label(i18n.t_args("office-due-count", &[("count", self.clients.len().into())]));
        let mut open = None;
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for client in &self.clients {
                    egui::Frame::group(ui.style()).show(ui, |ui| {
                        ui.horizontal(|ui| {
                            let name = format!(
                                "{} {}",
                                client.identity.given_name, client.identity.family_name
                            );
                            if ui.button(egui::RichText::new(name).strong()).clicked() {
                                open = Some(client.id);
                            }
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
    }
}
