//! One record: what it holds, who changed what and when, and a visible marker on every field
//! with concurrent values (a conflict the office resolves).

use std::path::PathBuf;

use shared::catalogue::localized;
use shared::doc::ConflictValue;
use shared::model::{ConsentState, effective_consent};

use super::ViewCtx;
use super::home::describe_time;
use super::intake::referral_status_id;
use crate::gui::i18n::Language;
use crate::gui::worker::{Command, Opened};

#[derive(Default)]
pub(crate) struct DetailScreen {
    opened: Option<Opened>,
    pub loading: bool,
    printed: Option<PathBuf>,
}

impl DetailScreen {
    pub(crate) fn opened(&mut self, opened: Opened) {
        self.loading = false;
        self.printed = None;
        self.opened = Some(opened);
    }

    pub(crate) fn printed(&mut self, path: PathBuf) {
        self.printed = Some(path);
    }

    /// Draws the record; returns it when the agent chose to edit it.
    pub(crate) fn show(
        &mut self,
        ui: &mut egui::Ui,
        ctx: &mut ViewCtx<'_>,
    ) -> Option<shared::Client> {
        let i18n = ctx.i18n;
        let catalogue = ctx.catalogue;
        let language = i18n.language().code();
        let opened = self.opened.as_ref()?;
        let client = &opened.client;
        let identity = &client.identity;
        let mut edit = false;
        ui.horizontal(|ui| {
            ui.heading(format!("{} {}", identity.given_name, identity.family_name));
            if ui.button(i18n.t("detail-edit")).clicked() {
                edit = true;
            }
            if ui.button(i18n.t("detail-print")).clicked() {
                let slip_language = client
                    .languages
                    .preferred
                    .as_ref()
                    .and_then(|l| Language::from_code(l.as_str()))
                    .unwrap_or(i18n.language());
                ctx.commands.push(Command::Print {
                    id: client.id,
                    language: slip_language,
                });
            }
        });
        if let Some(path) = &self.printed {
            ui.label(i18n.t_args(
                "detail-printed",
                &[("path", path.display().to_string().into())],
            ));
        }
        if !opened.conflicts.is_empty() {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    format!(
                        "(!) {}",
                        i18n.t_args(
                            "detail-conflicts",
                            &[("count", opened.conflicts.len().into())]
                        )
                    ),
                );
                for conflict in &opened.conflicts {
                    let values: Vec<String> = conflict.values.iter().map(describe_value).collect();
                    ui.label(format!("(!) {}: {}", conflict.path, values.join(" | ")));
                }
            });
        }
        if opened.not_synced {
            ui.label(i18n.t("marker-not-synced"));
        }
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                egui::Grid::new("detail-grid")
                    .num_columns(2)
                    .striped(true)
                    .show(ui, |ui| {
                        let mut row = |label: String, value: String| {
                            ui.label(label);
                            ui.label(value);
                            ui.end_row();
                        };
                        row(
                            i18n.t("field-date-of-birth"),
                            identity
                                .date_of_birth
                                .map_or_else(|| "—".into(), |d| d.display()),
                        );
                        row(
                            i18n.t("field-community"),
                            catalogue.community(&identity.community).map_or_else(
                                || identity.community.to_string(),
                                |c| localized(&c.name, language).to_owned(),
                            ),
                        );
                        row(
                            i18n.t("field-preferred-language"),
                            client.languages.preferred.as_ref().map_or_else(
                                || "—".into(),
                                |code| language_name(i18n, code.as_str()),
                            ),
                        );
                        for (_, name) in &opened.household {
                            row(i18n.t("section-household"), name.clone());
                        }
                        for request in &client.programs {
                            let name = catalogue.program(&request.program).map_or_else(
                                || request.program.to_string(),
                                |p| localized(&p.name, language).to_owned(),
                            );
                            row(i18n.t("section-programs"), name);
                        }
                        for ((partner, purpose), state) in effective_consent(&client.consent) {
                            let partner = catalogue.partner(&partner).map_or_else(
                                || partner.to_string(),
                                |p| localized(&p.name, language).to_owned(),
                            );
                            let state = i18n.t(match state {
                                ConsentState::Granted => "consent-state-granted",
                                ConsentState::Withdrawn => "consent-state-withdrawn",
                            });
                            row(
                                i18n.t("section-consent"),
                                format!("{partner} · {purpose} · {state}"),
                            );
                        }
                        for referral in &client.referrals {
                            let partner = catalogue.partner(&referral.partner).map_or_else(
                                || referral.partner.to_string(),
                                |p| localized(&p.name, language).to_owned(),
                            );
                            row(
                                i18n.t("section-referrals"),
                                format!(
                                    "{partner} · {} · {}",
                                    referral.reason,
                                    i18n.t(referral_status_id(referral.status))
                                ),
                            );
                        }
                        for follow_up in &client.follow_ups {
                            row(
                                i18n.t("section-follow-ups"),
                                format!("{} · {}", follow_up.due, follow_up.description),
                            );
                        }
                        for note in &client.notes {
                            row(i18n.t("section-notes"), note.text.clone());
                        }
                    });
                ui.add_space(8.0);
                ui.strong(i18n.t("detail-history"));
                let first = opened.history.first().map(|e| e.change.clone());
                for entry in opened.history.iter().rev() {
                    let who = entry
                        .agent
                        .map_or_else(|| "?".into(), |a| short(&a.to_string()));
                    let device = entry
                        .device
                        .map_or_else(|| "?".into(), |d| short(&d.to_string()));
                    ui.label(
                        i18n.t_args(
                            "detail-history-entry",
                            &[
                                ("when", describe_time(entry.at).into()),
                                ("agent", who.into()),
                                ("device", device.into()),
                                (
                                    "fields",
                                    describe_change(
                                        i18n,
                                        &entry.fields,
                                        first.as_deref() == Some(entry.change.as_str()),
                                    )
                                    .into(),
                                ),
                            ],
                        ),
                    );
                }
            });
        edit.then(|| client.clone())
    }
}

/// A language code as the UI names it (the code itself for languages the form does not list).
fn language_name(i18n: &crate::gui::i18n::I18n, code: &str) -> String {
    super::intake::SPOKEN_LANGUAGES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or_else(|| code.to_owned(), |(_, id)| i18n.t(id))
}

/// What a change touched, in words: "created the record" for the first change; the field paths
/// when a few fields changed; otherwise the sections of the form.
fn describe_change(i18n: &crate::gui::i18n::I18n, fields: &[String], first: bool) -> String {
    if first {
        return i18n.t("detail-history-created");
    }
    let meaningful: Vec<&String> = fields
        .iter()
        .filter(|f| !f.starts_with("provenance") && f.as_str() != "epoch")
        .collect();
    // Leaf paths only: `identity.family_name`, not also `identity`.
    let leaves: Vec<&String> = meaningful
        .iter()
        .filter(|f| {
            !meaningful
                .iter()
                .any(|g| g.len() > f.len() && g.starts_with(f.as_str()))
        })
        .copied()
        .collect();
    if !leaves.is_empty() && leaves.len() <= 3 {
        return leaves
            .iter()
            .map(|f| f.as_str())
            .collect::<Vec<_>>()
            .join(", ");
    }
    let mut sections: Vec<String> = Vec::new();
    for field in meaningful {
        let top = field.split(['.', '[']).next().unwrap_or_default();
        let id = match top {
            "identity" => "section-identity",
            "languages" => "section-languages",
            "household" => "section-household",
            "programs" => "section-programs",
            "consent" => "section-consent",
            "referrals" => "section-referrals",
            "follow_ups" => "section-follow-ups",
            "notes" => "section-notes",
            "satisfaction" => "field-satisfaction",
            _ => continue,
        };
        let name = i18n.t(id);
        if !sections.contains(&name) {
            sections.push(name);
        }
    }
    sections.join(", ")
}

fn short(id: &str) -> String {
    id.chars().take(8).collect()
}

fn describe_value(value: &ConflictValue) -> String {
    match value {
        ConflictValue::Text(text) | ConflictValue::Other(text) => text.clone(),
        ConflictValue::Number(n) => n.to_string(),
        ConflictValue::Bool(b) => b.to_string(),
        ConflictValue::Empty => "—".into(),
        ConflictValue::Object => "{…}".into(),
    }
}
