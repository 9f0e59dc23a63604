//! The review queue: records new or changed since this device marked them reviewed, oldest
//! first, filtered by community, agent and date; each can be opened and marked reviewed.

use shared::Author;
use shared::ids::{AgentId, ClientId, CommunityCode};
use shared::time::Timestamp;

use super::super::ViewCtx;
use super::super::home::describe_time;
use super::super::record_words::community_name;
use crate::ClientSummary;
use crate::gui::office::Decision;
use crate::gui::widgets;
use crate::gui::widgets::cell_at;
use crate::gui::worker::Command;

use super::super::sorting::{self, Sort, SortBy};
use crate::storage::office::{ReviewFilter, ReviewQueue};

/// How far back the queue looks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) enum Since {
    #[default]
    AnyTime,
    Today,
    Week,
    Month,
}

#[derive(Default)]
pub(super) struct ReviewTab {
    community: Option<CommunityCode>,
    agent: Option<AgentId>,
    since: Since,
    sent: Option<(Option<CommunityCode>, Option<AgentId>, Since)>,
    queue: ReviewQueue,
    /// Agents seen in the queue, numbered in the order they first appeared (never shown as ids).
    agents: Vec<AgentId>,
    sort: Sort,
    /// Rows in the order shown (sorted once per answer or header click, not per frame).
    order: Vec<usize>,
}

/// Widths of the queue's columns: name, date of birth, community, created.
const COLUMN_WIDTHS: [f32; 4] = [300.0, 110.0, 200.0, 440.0];

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// The office's community filter, as one row of a filters grid.
pub(super) fn community_choice(
    ui: &mut egui::Ui,
    ctx: &ViewCtx<'_>,
    community: &mut Option<CommunityCode>,
) {
    let i18n = ctx.i18n;
    let communities = widgets::catalogue_choices(
        ctx.catalogue.communities.iter().map(|c| (&c.code, &c.name)),
        i18n.language().code(),
        Some(i18n.t("find-all-communities")),
    );
    widgets::choice(ui, &i18n.t("find-community"), community, &communities);
}

/// The office's "since" filter, as one row of a filters grid, under the label `label` (a
/// message id: "Created", "Shared").
pub(super) fn period_choice(ui: &mut egui::Ui, ctx: &ViewCtx<'_>, label: &str, since: &mut Since) {
    let i18n = ctx.i18n;
    let periods = [
        (Since::AnyTime, i18n.t("office-since-any")),
        (Since::Today, i18n.t("office-since-today")),
        (Since::Week, i18n.t("office-since-week")),
        (Since::Month, i18n.t("office-since-month")),
    ];
    widgets::choice(ui, &i18n.t(label), since, &periods);
}

impl Since {
    /// When the period starts (`None`: any time).
    pub(super) fn start(self) -> Option<Timestamp> {
        let today = Timestamp::now().start_of_day_utc();
        match self {
            Self::AnyTime => None,
            Self::Today => Some(today),
            Self::Week => Some(Timestamp(today.0 - 6 * DAY_MS)),
            Self::Month => Some(Timestamp(today.0 - 29 * DAY_MS)),
        }
    }
}

impl ReviewTab {
    pub(super) fn filter(&mut self) -> ReviewFilter {
        self.sent = Some((self.community.clone(), self.agent, self.since));
        ReviewFilter {
            community: self.community.clone(),
            agent: self.agent,
            since: self.since.start(),
        }
    }

    pub(super) fn received(&mut self, queue: ReviewQueue) {
        for agent in queue.rows.iter().filter_map(|r| r.created_by) {
            if !self.agents.contains(&agent) {
                self.agents.push(agent);
            }
        }
        self.queue = queue;
        self.resort();
    }

    /// The record shown after `id` in the queue as it is sorted on screen.
    pub(super) fn next_after(&self, id: ClientId) -> Option<ClientId> {
        let rows = &self.queue.rows;
        let at = self.order.iter().position(|&i| rows[i].id == id)?;
        self.order.get(at + 1).map(|&i| rows[i].id)
    }

    fn resort(&mut self) {
        self.order = (0..self.queue.rows.len()).collect();
        self.sort.apply(&mut self.order, &self.queue.rows);
    }

    fn agent_words(&self, ctx: &ViewCtx<'_>, me: Author, agent: Option<AgentId>) -> String {
        let i18n = ctx.i18n;
        match agent {
            Some(a) if a == me.agent => i18n.t("who-you"),
            Some(a) => self
                .agents
                .iter()
                .filter(|x| **x != me.agent)
                .position(|x| *x == a)
                .map_or_else(
                    || i18n.t("who-another-agent"),
                    |at| i18n.t_args("who-agent", &[("number", (at + 1).into())]),
                ),
            None => i18n.t("who-unknown"),
        }
    }

    /// Draws the tab; `true` when a filter changed (the queue is asked for again).
    pub(super) fn show(&mut self, ui: &mut egui::Ui, ctx: &mut ViewCtx<'_>, me: Author) -> bool {
        let i18n = ctx.i18n;
        egui::Grid::new("review-filters")
            .num_columns(2)
            .show(ui, |ui| {
                community_choice(ui, ctx, &mut self.community);
                let mut agents = vec![(None, i18n.t("office-all-agents"))];
                agents.extend(
                    self.agents
                        .iter()
                        .map(|a| (Some(*a), self.agent_words(ctx, me, Some(*a)))),
                );
                widgets::choice(ui, &i18n.t("office-agent"), &mut self.agent, &agents);
                period_choice(ui, ctx, "office-created", &mut self.since);
            });
        let rows = &self.queue.rows;
        ui.horizontal(|ui| {
            ui.label(i18n.t_args(
                "office-review-count",
                &[
                    ("count", self.queue.total.into()),
                    ("shown", rows.len().into()),
                ],
            ));
            if !rows.is_empty() && ui.button(i18n.t("office-mark-all-reviewed")).clicked() {
                ctx.commands.push(Command::Decide(Decision::Reviewed(
                    rows.iter().map(|r| (r.id, r.updated_at)).collect(),
                )));
            }
        });
        ui.separator();
        let columns = [
            (SortBy::Name, "find-column-name"),
            (SortBy::DateOfBirth, "field-date-of-birth"),
            (SortBy::Community, "field-community"),
            (SortBy::Created, "office-created"),
        ];
        if sorting::header(ui, i18n, &columns, &COLUMN_WIDTHS, &mut self.sort) {
            self.resort();
        }
        let rows = &self.queue.rows;
        let row_height = ui.text_style_height(&egui::TextStyle::Button) + 8.0;
        let mut decision = None;
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show_rows(ui, row_height, self.order.len(), |ui, range| {
                for row in self.order[range].iter().map(|&i| &rows[i]) {
                    ui.horizontal(|ui| {
                        decision = decision.take().or(self.row(ui, ctx, me, row));
                    });
                }
            });
        if let Some(command) = decision {
            ctx.commands.push(command);
        }
        self.sent.as_ref() != Some(&(self.community.clone(), self.agent, self.since))
    }

    fn row(
        &self,
        ui: &mut egui::Ui,
        ctx: &ViewCtx<'_>,
        me: Author,
        row: &ClientSummary,
    ) -> Option<Command> {
        let i18n = ctx.i18n;
        let mut when = i18n.t_args(
            "office-review-created",
            &[
                ("when", describe_time(row.created_at).into()),
                ("agent", self.agent_words(ctx, me, row.created_by).into()),
            ],
        );
        // Changed later than the minute it was created: say so (a review is of the change).
        if row.updated_at.0 - row.created_at.0 > 60_000 {
            when.push_str(" · ");
            when.push_str(&i18n.t_args(
                "office-review-changed",
                &[("when", describe_time(row.updated_at).into())],
            ));
        }
        let words = [
            row.display_name(),
            row.date_of_birth.clone().unwrap_or_else(|| "—".into()),
            community_name(i18n, ctx.catalogue, &row.community),
            when,
        ];
        let height = ui.text_style_height(&egui::TextStyle::Button) + 8.0;
        let mut command = None;
        let whole = words.join("  ·  ");
        let open = cell_at(
            ui,
            COLUMN_WIDTHS[0],
            height,
            egui::Button::new(words[0].clone()).frame(false),
        );
        open.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &whole));
        if open.clicked() {
            command = Some(Command::Open(row.id));
        }
        for (text, width) in words.iter().zip(COLUMN_WIDTHS).skip(1) {
            cell_at(
                ui,
                width,
                height,
                egui::Label::new(text.as_str()).truncate(),
            );
        }
        if ui.button(i18n.t("office-mark-reviewed")).clicked() {
            command = Some(Command::Decide(Decision::Reviewed(vec![(
                row.id,
                row.updated_at,
            )])));
        }
        command
    }
}
