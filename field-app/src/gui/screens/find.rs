//! Find: search-as-you-type over every local record, with filters. The search runs on the
//! worker; the list draws only the rows in view, so typing stays smooth at 100,000 records.

use std::collections::{HashMap, HashSet};

use shared::ids::ClientId;

use super::ViewCtx;
use crate::ClientSummary;
use crate::gui::widgets;
use crate::gui::widgets::cell_at;
use crate::gui::worker::{Command, FindQuery};

use super::sorting::{self, Sort, SortBy};

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
    sort: Sort,
    /// Rows in the order shown (sorted once per answer or header click, not per frame).
    order: Vec<usize>,
}

/// Widths of the list's columns: name, date of birth, community, next follow-up, status.
const COLUMN_WIDTHS: [f32; 5] = [300.0, 110.0, 200.0, 120.0, 380.0];

impl FindScreen {
    /// The column headers; clicking one sorts by it.
    fn header(&mut self, ui: &mut egui::Ui, ctx: &ViewCtx<'_>) {
        let columns = [
            (SortBy::Name, "find-column-name"),
            (SortBy::DateOfBirth, "field-date-of-birth"),
            (SortBy::Community, "field-community"),
            (SortBy::FollowUp, "find-column-follow-up"),
            (SortBy::Answer, "find-column-status"),
        ];
        if sorting::header(ui, ctx.i18n, &columns, &COLUMN_WIDTHS, &mut self.sort) {
            self.resort();
        }
    }

    fn resort(&mut self) {
        self.order = (0..self.rows.len()).collect();
        self.sort.apply(&mut self.order, &self.rows);
    }

    /// One row's cells, in words.
    fn cells(&self, ctx: &ViewCtx<'_>, row: &ClientSummary) -> [String; 5] {
        let i18n = ctx.i18n;
        let community = super::record_words::community_name(i18n, ctx.catalogue, &row.community);
        let mut status: Vec<String> = Vec::new();
        if row.conflicts > 0 {
            status.push(format!("(!) {}", i18n.t("marker-conflict")));
        }
        if row.open_referrals > 0 {
            status.push(i18n.t_args("marker-referrals", &[("count", row.open_referrals.into())]));
        }
        if let Some(reason) = self.held.get(&row.id) {
            status.push(format!(
                "(!) {}",
                i18n.t_args(
                    "marker-held",
                    &[(
                        "reason",
                        i18n.t(super::record_words::refusal_words(*reason)).into()
                    )],
                )
            ));
        } else if self.not_synced.contains(&row.id) {
            status.push(i18n.t("marker-not-synced"));
        }
        [
            row.display_name(),
            row.date_of_birth.clone().unwrap_or_else(|| "—".into()),
            community,
            row.next_follow_up.clone().unwrap_or_else(|| "—".into()),
            status.join(" · "),
        ]
    }

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
            self.resort();
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
        self.header(ui, ctx);
        let row_height = ui.text_style_height(&egui::TextStyle::Button) + 8.0;
        let mut open = None;
        let order = &self.order;
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show_rows(ui, row_height, order.len(), |ui, range| {
                for &index in &order[range] {
                    let row = &self.rows[index];
                    let cells = self.cells(ctx, row);
                    ui.horizontal(|ui| {
                        // The first cell opens the record; a screen reader reads the whole row.
                        let whole = cells.join("  ·  ");
                        let name = cell_at(
                            ui,
                            COLUMN_WIDTHS[0],
                            row_height,
                            egui::Button::new(cells[0].clone()).frame(false),
                        );
                        name.widget_info(|| {
                            egui::WidgetInfo::labeled(egui::Role::Button, true, &whole)
                        });
                        let mut clicked = name.clicked();
                        for (cell, width) in cells.iter().zip(COLUMN_WIDTHS).skip(1) {
                            let response = cell_at(
                                ui,
                                width,
                                row_height,
                                egui::Label::new(cell.as_str())
                                    .truncate()
                                    .sense(egui::Sense::click()),
                            );
                            clicked |= response.clicked();
                        }
                        if clicked {
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
