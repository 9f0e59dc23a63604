//! The duplicate queue: one pair at a time, side by side, each compared field marked with the
//! matcher's evidence (agrees, in green; differs, in red), and the three answers: the same
//! person (merge), not the same person, later.

use std::collections::HashSet;

use shared::Author;
use shared::Client;
use shared::ids::ClientId;
use shared::matching::linkage::{Evidence, Field};

use super::super::ViewCtx;
use super::super::home::describe_time;
use super::super::record_words::{community_name, gender_words};
use crate::gui::i18n::I18n;
use crate::gui::office::Decision;
use crate::gui::worker::Command;
use crate::storage::office::{DuplicatePair, DuplicateQueue};

#[derive(Default)]
pub(super) struct PairsTab {
    queue: DuplicateQueue,
    /// Pairs put off with "Later" (this session only: they come back next time).
    later: HashSet<(ClientId, ClientId)>,
    /// Pairs decided here: never shown again, even before the queue is read again.
    decided: HashSet<(ClientId, ClientId)>,
    received: bool,
}

impl PairsTab {
    pub(super) fn received(&mut self, queue: DuplicateQueue) {
        self.queue = queue;
        self.received = true;
    }

    /// A decision on `a` and `b` was taken back: the pair is shown again when the queue holds it.
    pub(super) fn taken_back(&mut self, a: ClientId, b: ClientId) {
        self.decided.remove(&(a, b));
        self.decided.remove(&(b, a));
    }

    fn hidden(&self, pair: (ClientId, ClientId)) -> bool {
        self.later.contains(&pair) || self.decided.contains(&pair)
    }

    fn current(&self) -> Option<(usize, &DuplicatePair)> {
        self.queue
            .pairs
            .iter()
            .enumerate()
            .find(|(_, p)| !self.hidden((p.first.id, p.second.id)))
    }

    pub(super) fn show(&mut self, ui: &mut egui::Ui, ctx: &mut ViewCtx<'_>, me: Author) {
        let i18n = ctx.i18n;
        if !self.received {
            ui.label(i18n.t("office-duplicates-searching"));
            return;
        }
        ui.label(i18n.t_args(
            "office-duplicates-count",
            &[
                ("count", self.queue.total.into()),
                ("records", self.queue.records.into()),
            ],
        ));
        let Some((at, pair)) = self.current() else {
            ui.label(i18n.t(if self.later.is_empty() {
                "office-duplicates-none"
            } else {
                "office-duplicates-only-later"
            }));
            if !self.later.is_empty() && ui.button(i18n.t("office-show-later")).clicked() {
                self.later.clear();
            }
            return;
        };
        ui.horizontal(|ui| {
            ui.strong(i18n.t_args(
                "office-pair-of",
                &[
                    ("number", (at + 1).into()),
                    ("count", self.queue.pairs.len().into()),
                    (
                        "likelihood",
                        // "100 %" would claim certainty the matcher does not have.
                        format!("{:.0}", (pair.probability * 100.0).min(99.0)).into(),
                    ),
                ],
            ));
        });
        if pair.swapped {
            ui.colored_label(ui.visuals().warn_fg_color, i18n.t("office-pair-swapped"));
        }
        let (first, second) = (pair.first.id, pair.second.id);
        let mut command = None;
        let mut later = false;
        ui.horizontal(|ui| {
            if ui.button(i18n.t("office-merge")).clicked() {
                command = Some(Command::Decide(Decision::Merge(first, second)));
            }
            if ui.button(i18n.t("office-not-same")).clicked() {
                command = Some(Command::Decide(Decision::NotSame(first, second)));
            }
            later = ui.button(i18n.t("office-later")).clicked();
        });
        ui.separator();
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                if let Some(open) = side_by_side(ui, ctx, me, pair) {
                    command = Some(Command::Open(open));
                }
            });
        if later {
            self.later.insert((first, second));
        }
        if command
            .as_ref()
            .is_some_and(|c| matches!(c, Command::Decide(_)))
        {
            self.decided.insert((first, second));
        }
        if let Some(command) = command {
            ctx.commands.push(command);
        }
    }
}

/// The two records' fields in two columns and the matcher's word on each; returns a record to
/// open.
fn side_by_side(
    ui: &mut egui::Ui,
    ctx: &ViewCtx<'_>,
    me: Author,
    pair: &DuplicatePair,
) -> Option<shared::ids::ClientId> {
    let i18n = ctx.i18n;
    let mut open = None;
    egui::Grid::new("pair-grid")
        .num_columns(4)
        .striped(true)
        .min_col_width(120.0)
        .show(ui, |ui| {
            ui.label("");
            for (record, name) in [
                (&pair.first, "office-record-a"),
                (&pair.second, "office-record-b"),
            ] {
                if ui.button(i18n.t(name)).clicked() {
                    open = Some(record.id);
                }
            }
            ui.strong(i18n.t("office-evidence"));
            ui.end_row();
            for (label, field, value) in rows(ctx, me) {
                ui.label(i18n.t(label));
                let a = value(&pair.first);
                let b = value(&pair.second);
                let evidence = field.and_then(|f| pair.evidence.iter().find(|e| e.field == f));
                let colour = evidence.map(|e| {
                    if e.weight > 0.0 {
                        agree_colour(ui)
                    } else {
                        ui.visuals().error_fg_color
                    }
                });
                for text in [a, b] {
                    match colour {
                        Some(colour) => ui.colored_label(colour, text),
                        None => ui.label(text),
                    };
                }
                match evidence {
                    Some(e) => {
                        ui.colored_label(colour.unwrap_or_default(), evidence_words(i18n, e))
                    }
                    None => ui.label(if field.is_some() {
                        i18n.t("office-evidence-not-compared")
                    } else {
                        String::new()
                    }),
                };
                ui.end_row();
            }
        });
    open
}

type Value<'a> = Box<dyn Fn(&Client) -> String + 'a>;

/// The rows of the comparison: label, the matcher's field (if it compares one), the value.
fn rows<'a>(ctx: &'a ViewCtx<'_>, me: Author) -> Vec<(&'static str, Option<Field>, Value<'a>)> {
    let i18n = ctx.i18n;
    let catalogue = ctx.catalogue;
    let dash = |v: Option<&String>| v.cloned().unwrap_or_else(|| "—".into());
    vec![
        (
            "field-given-name",
            Some(Field::GivenName),
            Box::new(|c: &Client| match &c.identity.preferred_name {
                Some(p) => format!("{} ({p})", c.identity.given_name),
                None => c.identity.given_name.clone(),
            }),
        ),
        (
            "field-family-name",
            Some(Field::FamilyName),
            Box::new(|c: &Client| c.identity.family_name.clone()),
        ),
        (
            "office-other-names",
            None,
            Box::new(|c: &Client| {
                if c.identity.other_names.is_empty() {
                    "—".into()
                } else {
                    c.identity.other_names.join(", ")
                }
            }),
        ),
        (
            "field-date-of-birth",
            Some(Field::Birth),
            Box::new(|c: &Client| {
                c.identity
                    .date_of_birth
                    .map_or_else(|| "—".into(), |d| d.display())
            }),
        ),
        (
            "field-gender",
            Some(Field::Sex),
            Box::new(move |c: &Client| gender_words(i18n, c.identity.sex_or_gender.as_ref())),
        ),
        (
            "field-community",
            Some(Field::Community),
            Box::new(move |c: &Client| community_name(i18n, catalogue, &c.identity.community)),
        ),
        (
            "field-band-number",
            Some(Field::BandNumber),
            Box::new(move |c: &Client| dash(c.identity.identifiers.band_number.as_ref())),
        ),
        (
            "field-sin-last3",
            Some(Field::SinLast3),
            Box::new(move |c: &Client| dash(c.identity.identifiers.sin_last3.as_ref())),
        ),
        (
            "field-phone",
            Some(Field::Phone),
            Box::new(move |c: &Client| dash(c.identity.contact.phone.as_ref())),
        ),
        (
            "field-address",
            Some(Field::Address),
            Box::new(move |c: &Client| dash(c.identity.contact.mailing_address.as_ref())),
        ),
        (
            "section-household",
            Some(Field::Household),
            Box::new(move |c: &Client| {
                i18n.t_args(
                    "office-household-members",
                    &[("count", c.household.len().into())],
                )
            }),
        ),
        (
            "office-created",
            None,
            Box::new(move |c: &Client| {
                let by = if c.provenance.created_by == me.agent {
                    i18n.t("who-you")
                } else {
                    i18n.t("who-another-agent")
                };
                format!("{} · {by}", describe_time(c.provenance.created_at))
            }),
        ),
    ]
}

/// "agrees: a known variant (+3.1)" in words.
fn evidence_words(i18n: &I18n, evidence: &Evidence) -> String {
    let level = i18n.t(&format!("evidence-{}", evidence.level.replace('_', "-")));
    i18n.t_args(
        if evidence.weight > 0.0 {
            "office-evidence-agrees"
        } else {
            "office-evidence-differs"
        },
        &[
            ("level", level.into()),
            ("weight", format!("{:+.1}", evidence.weight).into()),
        ],
    )
}

/// Green that reads on the light and the dark theme.
fn agree_colour(ui: &egui::Ui) -> egui::Color32 {
    if ui.visuals().dark_mode {
        egui::Color32::from_rgb(120, 210, 130)
    } else {
        egui::Color32::from_rgb(0, 110, 50)
    }
}
