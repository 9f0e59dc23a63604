//! Find: search-as-you-type over every local record, with filters. The search runs on the
//! worker; the list draws only the rows in view, so typing stays smooth at 100,000 records.

use std::collections::{HashMap, HashSet};

use shared::catalogue::localized;
use shared::ids::ClientId;

use super::ViewCtx;
use crate::ClientSummary;
use crate::gui::widgets;
use crate::gui::worker::{Command, FindQuery};

#[derive(Default)]
pub(crate) struct FindScreen {
    query: FindQuery,
    sent: Option<FindQuery>,
    generation: u64,
    rows: Vec<ClientSummary>,
    not_synced: HashSet<ClientId>,
    held: HashMap<ClientId, shared::protocol::RefusalReason>,
    total: usize,
    pub searching: bool,
    pub focus_search: bool,
}

impl FindScreen {
    /// Asks the worker for the current query's results.
    pub(crate) fn request(&mut self, commands: &mut Vec<Command>) {
        self.generation += 1;
        self.searching = true;
        self.sent = Some(self.query.clone());
        commands.push(Command::Find {
            generation: self.generation,
            query: self.query.clone(),
        });
    }

    /// Lists the records with a follow-up due today or earlier (from Home).
    pub(crate) fn show_due_follow_ups(&mut self) {
        self.query = FindQuery {
            follow_up_due: true,
            ..FindQuery::default()
        };
    }

    /// Sets the search text (the next frame sends the query).
    pub(crate) fn set_text(&mut self, text: &str) {
        text.clone_into(&mut self.query.text);
    }

    pub(crate) fn found(
        &mut self,
        generation: u64,
        rows: Vec<ClientSummary>,
        not_synced: HashSet<ClientId>,
        held: HashMap<ClientId, shared::protocol::RefusalReason>,
        total: usize,
    ) {
        // Answers to queries typed over are dropped; only the latest counts.
        if generation == self.generation {
            self.rows = rows;
            self.not_synced = not_synced;
            self.held = held;
            self.total = total;
            self.searching = false;
        }
    }

    pub(crate) fn show(&mut self, ui: &mut egui::Ui, ctx: &mut ViewCtx<'_>) {
        let i18n = ctx.i18n;
        let language = i18n.language().code();
        ui.heading(i18n.t("find-title"));
        egui::Grid::new("find-grid").num_columns(2).show(ui, |ui| {
            let search = widgets::field(ui, &i18n.t("find-search"), &mut self.query.text);
            if std::mem::take(&mut self.focus_search) {
                search.request_focus();
            }
            let communities = widgets::catalogue_choices(
                ctx.catalogue.communities.iter().map(|c| (&c.code, &c.name)),
                language,
                Some(i18n.t("find-all-communities")),
            );
            widgets::choice(
                ui,
                &i18n.t("find-community"),
                &mut self.query.community,
                &communities,
            );
        });
        ui.horizontal_wrapped(|ui| {
            ui.checkbox(&mut self.query.follow_up_due, i18n.t("find-follow-up-due"));
            ui.checkbox(
                &mut self.query.open_referrals,
                i18n.t("find-open-referrals"),
            );
            ui.checkbox(&mut self.query.not_synced, i18n.t("find-not-synced"));
            ui.checkbox(&mut self.query.held, i18n.t("find-held"));
        });
        if self.sent.as_ref() != Some(&self.query) {
            self.request(ctx.commands);
        }
        ui.horizontal(|ui| {
            ui.label(i18n.t_args(
                "find-count",
                &[
                    ("shown", self.rows.len().into()),
                    ("total", self.total.into()),
                ],
            ));
            if self.searching {
                ui.spinner();
            }
        });
        ui.separator();
        let row_height = ui.text_style_height(&egui::TextStyle::Button) + 8.0;
        let mut open = None;
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show_rows(ui, row_height, self.rows.len(), |ui, range| {
                for row in &self.rows[range] {
                    ui.horizontal(|ui| {
                        let community = ctx.catalogue.community(&row.community).map_or_else(
                            || row.community.to_string(),
                            |c| localized(&c.name, language).to_owned(),
                        );
                        let mut text = format!(
                            "{}  ·  {}  ·  {community}",
                            row.display_name(),
                            row.date_of_birth.as_deref().unwrap_or("—"),
                        );
                        if row.conflicts > 0 {
                            text.push_str("  (!) ");
                            text.push_str(&i18n.t("marker-conflict"));
                        }
                        if row.open_referrals > 0 {
                            text.push_str("  · ");
                            text.push_str(&i18n.t_args(
                                "marker-referrals",
                                &[("count", row.open_referrals.into())],
                            ));
                        }
                        if let Some(reason) = self.held.get(&row.id) {
                            text.push_str("  (!) ");
                            text.push_str(&i18n.t_args(
                                "marker-held",
                                &[(
                                    "reason",
                                    i18n.t(super::record_words::refusal_words(*reason)).into(),
                                )],
                            ));
                        } else if self.not_synced.contains(&row.id) {
                            text.push_str("  · ");
                            text.push_str(&i18n.t("marker-not-synced"));
                        }
                        if ui.button(text).clicked() {
                            open = Some(row.id);
                        }
                    });
                }
            });
        if let Some(id) = open {
            ctx.commands.push(Command::Open(id));
        }
    }
}
