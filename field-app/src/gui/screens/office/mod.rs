//! The office screen (issue 11), offered only on a device enrolled with the office role: the
//! review queue, duplicate pairs side by side with the matcher's evidence, the conflicts queue,
//! the referrals and follow-ups due in every community, the partnership's reports and exports to
//! partners (issue 12). Each tab asks the worker for its
//! queue when it opens and again after every decision; decisions are [`Decision`] commands.

pub(super) mod conflicts;
mod due;
mod exports;
mod pairs;
mod reports;
mod review;

use shared::Author;

use super::ViewCtx;
use crate::gui::office::{Decided, OfficeData, OfficeRequest};
use crate::gui::worker::Command;

/// The office screen's tabs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Tab {
    #[default]
    Review,
    Duplicates,
    Conflicts,
    Due,
    Reports,
    Exports,
}

impl Tab {
    const ALL: [(Self, &'static str); 6] = [
        (Self::Review, "office-tab-review"),
        (Self::Duplicates, "office-tab-duplicates"),
        (Self::Conflicts, "office-tab-conflicts"),
        (Self::Due, "office-tab-due"),
        (Self::Reports, "office-tab-reports"),
        (Self::Exports, "office-tab-exports"),
    ];
}

#[derive(Default)]
pub(crate) struct OfficeScreen {
    tab: Tab,
    review: review::ReviewTab,
    pairs: pairs::PairsTab,
    conflicts: conflicts::ConflictsTab,
    due: due::DueTab,
    reports: reports::ReportsTab,
    exports: exports::ExportsTab,
    /// A queue or a decision is on its way.
    pub loading: bool,
}

impl OfficeScreen {
    /// Asks for the open tab's queue (when the screen opens, and after each decision).
    pub(crate) fn request(&mut self, commands: &mut Vec<Command>) {
        if self.tab == Tab::Exports {
            // Nothing to read: the node is asked only when the office clicks.
            self.loading = false;
            return;
        }
        self.loading = true;
        commands.push(Command::Office(match self.tab {
            Tab::Review => OfficeRequest::Review(self.review.filter()),
            Tab::Duplicates => OfficeRequest::Duplicates,
            Tab::Conflicts => OfficeRequest::Conflicts,
            Tab::Due => OfficeRequest::Due(self.due.community()),
            Tab::Reports | Tab::Exports => OfficeRequest::Report(self.reports.filter()),
        }));
    }

    pub(crate) fn received(&mut self, data: OfficeData) {
        self.loading = false;
        match data {
            OfficeData::Review(queue) => self.review.received(queue),
            OfficeData::Duplicates(queue) => self.pairs.received(queue),
            OfficeData::Conflicts(queue) => self.conflicts.received(queue),
            OfficeData::Due { work, today } => self.due.received(work, today),
            OfficeData::Report(figures) => self.reports.received(figures),
            OfficeData::Exported(exported) => self.exports.received(exported),
            OfficeData::Disclosures { rows, cut } => self.exports.disclosures_received(rows, cut),
            // Shown on the record's own screen.
            OfficeData::RecordRegister(_) => {}
        }
    }

    /// While the review queue is the tab shown: the record after `id` in it, as sorted on screen
    /// (the record's screen offers it as the next to review).
    pub(crate) fn next_to_review(
        &self,
        id: shared::ids::ClientId,
    ) -> Option<shared::ids::ClientId> {
        (self.tab == Tab::Review)
            .then(|| self.review.next_after(id))
            .flatten()
    }

    /// A decision was written: the queue is read again (it changed).
    pub(crate) fn decided(&mut self, done: Decided, commands: &mut Vec<Command>) {
        if let Decided::NotSameUndone(a, b) = done {
            self.pairs.taken_back(a, b);
        }
        self.request(commands);
    }

    /// A decision failed: stop waiting (the message line says why).
    pub(crate) fn failed(&mut self) {
        self.loading = false;
    }

    pub(crate) fn show(&mut self, ui: &mut egui::Ui, ctx: &mut ViewCtx<'_>, me: Author) {
        let i18n = ctx.i18n;
        ui.horizontal(|ui| {
            ui.heading(i18n.t("office-title"));
            if self.loading {
                ui.spinner();
            }
        });
        ui.horizontal(|ui| {
            for (tab, id) in Tab::ALL {
                if ui.selectable_label(self.tab == tab, i18n.t(id)).clicked() && self.tab != tab {
                    self.tab = tab;
                    self.request(ctx.commands);
                }
            }
        });
        ui.separator();
        let changed_filter = match self.tab {
            Tab::Review => self.review.show(ui, ctx, me),
            Tab::Duplicates => {
                self.pairs.show(ui, ctx, me);
                false
            }
            Tab::Conflicts => {
                self.conflicts.show(ui, ctx, me);
                false
            }
            Tab::Due => self.due.show(ui, ctx),
            Tab::Reports => self.reports.show(ui, ctx),
            Tab::Exports => {
                let before = ctx.commands.len();
                self.exports.show(ui, ctx);
                // An export was asked: wait for the node's answer.
                self.loading |= ctx.commands.len() > before;
                false
            }
        };
        if changed_filter {
            self.request(ctx.commands);
        }
    }
}
