//! The conflicts queue: every record with concurrent values; for each field, every value with
//! who entered it, on which device and when; keep one, or type the right one. The choice is an
//! ordinary change that syncs and clears the conflict everywhere.

use std::collections::HashMap;

use shared::doc::settle::Choice;
use shared::doc::{Conflict, ConflictValue};
use shared::ids::ClientId;
use shared::{Author, Catalogue};

use super::super::ViewCtx;
use super::super::record_words::{People, field_label};
use crate::gui::i18n::I18n;
use crate::gui::office::Decision;
use crate::gui::worker::Command;
use crate::storage::office::ConflictsQueue;

#[derive(Default)]
pub(super) struct ConflictsTab {
    queue: ConflictsQueue,
    /// Text typed as the right value, per record and field.
    typed: HashMap<(ClientId, String), String>,
}

impl ConflictsTab {
    pub(super) fn received(&mut self, queue: ConflictsQueue) {
        self.queue = queue;
    }

    pub(super) fn show(&mut self, ui: &mut egui::Ui, ctx: &mut ViewCtx<'_>, me: Author) {
        let i18n = ctx.i18n;
        let catalogue = ctx.catalogue;
        let items = &self.queue.items;
        let fields: usize = items.iter().map(|i| i.conflicts.len()).sum();
        ui.label(i18n.t_args(
            "office-conflicts-count",
            &[("records", items.len().into()), ("fields", fields.into())],
        ));
        if self.queue.records_in_all > items.len() as u64 {
            ui.label(i18n.t_args(
                "office-conflicts-shown",
                &[
                    ("shown", items.len().into()),
                    ("total", self.queue.records_in_all.into()),
                ],
            ));
        }
        let mut command = None;
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for item in items {
                    let id = item.summary.id;
                    let people = People::of(me, &item.history);
                    egui::Frame::group(ui.style()).show(ui, |ui| {
                        if ui
                            .button(egui::RichText::new(item.summary.display_name()).strong())
                            .clicked()
                        {
                            command = Some(Command::Open(id));
                        }
                        for conflict in &item.conflicts {
                            let typed = self.typed.entry((id, conflict.path.clone())).or_default();
                            if let Some(chosen) =
                                conflict_choices(ui, i18n, catalogue, &people, id, conflict, typed)
                            {
                                command = Some(chosen);
                            }
                        }
                    });
                }
            });
        if let Some(command) = command {
            ctx.commands.push(command);
        }
    }
}

/// One field's concurrent values, each with who entered it and a button to keep it; where every
/// value is text, the right one may be typed instead (`typed` holds it between frames). The
/// queue and the record's screen both draw it; the choice comes back as the command to send.
pub(crate) fn conflict_choices(
    ui: &mut egui::Ui,
    i18n: &I18n,
    catalogue: &Catalogue,
    people: &People,
    id: ClientId,
    conflict: &Conflict,
    typed: &mut String,
) -> Option<Command> {
    let mut command = None;
    ui.label(format!("(!) {}:", field_label(i18n, &conflict.path)));
    for (n, (value, origin)) in conflict.values.iter().zip(&conflict.origins).enumerate() {
        ui.horizontal(|ui| {
            ui.label(format!(
                "    • {}",
                people.conflict_value(i18n, catalogue, &conflict.path, value, origin)
            ));
            if ui.button(i18n.t("office-keep-value")).clicked() {
                command = Some(settle(id, &conflict.path, Choice::Keep(n)));
            }
        });
    }
    let all_text = conflict
        .values
        .iter()
        .all(|v| matches!(v, ConflictValue::Text(_)));
    if all_text {
        ui.horizontal(|ui| {
            let label = ui.label(i18n.t("office-type-value"));
            ui.text_edit_singleline(typed).labelled_by(label.id);
            if ui
                .add_enabled(
                    !typed.trim().is_empty(),
                    egui::Button::new(i18n.t("office-use-typed")),
                )
                .clicked()
            {
                command = Some(settle(
                    id,
                    &conflict.path,
                    Choice::Text(typed.trim().to_owned()),
                ));
            }
        });
    }
    command
}

fn settle(id: ClientId, path: &str, choice: Choice) -> Command {
    Command::Decide(Decision::Settle {
        id,
        path: path.to_owned(),
        choice,
    })
}
