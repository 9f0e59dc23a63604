//! One record: everything it holds in words (catalogue names, not codes), who changed what and
//! when, and a visible marker on every field with concurrent values — each value with who
//! entered it, on which device and when — for the office to resolve.

use std::path::PathBuf;

use shared::Client;
use shared::catalogue::localized;
use shared::model::{ConsentMethod, ConsentState, effective_consent};

use super::home::describe_time;
use super::intake::{program_status_id, referral_status_id, urgency_id};
use super::office::conflicts::conflict_choices;
use super::record_words::{
    People, community_name, disclosure_in_words, field_label, gender_words, is_bookkeeping,
    refusal_words,
};
use super::{Screen, ViewCtx};
use crate::gui::i18n::{I18n, Language};
use crate::gui::office::{Decision, RecordRegister};
use crate::gui::print::{Printout, SlipOptions};
use crate::gui::worker::{Command, Opened};

#[derive(Default)]
pub(crate) struct DetailScreen {
    opened: Option<Opened>,
    pub loading: bool,
    printed: Option<(PathBuf, bool)>,
    /// What was last asked to print (the message about the file names it).
    printing: Option<Printout>,
    /// What the node's registers hold about the record shown (office devices, on request).
    register: Option<RecordRegister>,
    /// The slip's languages, as chosen for this record (first: the client's).
    slip_languages: Option<(Language, Option<Language>)>,
    /// Where Back goes.
    pub came_from: Option<Screen>,
    /// Open the edit form at the next frame (the record was opened to be edited).
    pub edit_at_once: bool,
    /// Opened from the office's review queue: the record after this one there.
    pub next_to_review: Option<shared::ids::ClientId>,
    /// The right value an office device types for a field with concurrent values.
    typed: std::collections::HashMap<String, String>,
}

/// What the agent chose on the record.
pub(crate) enum DetailStep {
    /// Edit it; the fields with concurrent values, each with the values not shown in the form.
    Edit(Box<Client>, Vec<(String, Vec<String>)>),
    /// Back to where the record was opened from.
    Back(Screen),
}

impl DetailScreen {
    /// The slip's languages and the Print button: the client's language first, English or
    /// French beside it for the partner.
    fn slip_row(
        languages: &mut Option<(Language, Option<Language>)>,
        client: &Client,
        register: Option<&RecordRegister>,
        ui: &mut egui::Ui,
        ctx: &mut ViewCtx<'_>,
    ) -> Option<Printout> {
        let i18n = ctx.i18n;
        let (first, second) = languages.get_or_insert_with(|| {
            let first = client
                .languages
                .preferred
                .as_ref()
                .and_then(|l| Language::from_code(l.as_str()))
                .unwrap_or(i18n.language());
            let second = match first {
                Language::English | Language::French => None,
                _ => Some(Language::English),
            };
            (first, second)
        });
        egui::Grid::new("slip-grid").num_columns(2).show(ui, |ui| {
            let all: Vec<(Language, String)> = Language::ALL
                .iter()
                .map(|l| (*l, l.picker_name()))
                .collect();
            crate::gui::widgets::choice(ui, &i18n.t("slip-language"), first, &all);
            let beside = [
                (None, i18n.t("choice-none")),
                (Some(Language::English), Language::English.picker_name()),
                (Some(Language::French), Language::French.picker_name()),
            ];
            crate::gui::widgets::choice(ui, &i18n.t("slip-second-language"), second, &beside);
        });
        let options = SlipOptions {
            language: *first,
            second: *second,
            agent_name: ctx.settings.agent_name.clone(),
            office_contact: ctx.settings.office_contact.clone(),
        };
        let mut asked = None;
        ui.horizontal(|ui| {
            for (label, printout) in [
                ("detail-print", Printout::Slip),
                ("detail-print-access", Printout::AccessReport),
            ] {
                if ui.button(i18n.t(label)).clicked() {
                    ctx.commands.push(Command::Print {
                        id: client.id,
                        options: options.clone(),
                        printout,
                        // The node's view of the record, when the office asked for it: the
                        // access report then covers every device and every disclosure.
                        register: register
                            .filter(|r| r.client == client.id)
                            .map(|r| Box::new(r.clone())),
                    });
                    asked = Some(printout);
                }
            }
        });
        asked
    }

    pub(crate) fn opened(&mut self, opened: Opened) {
        self.loading = false;
        self.printed = None;
        self.slip_languages = None;
        if self.opened.as_ref().map(|o| o.client.id) != Some(opened.client.id) {
            self.typed.clear();
        }
        self.opened = Some(opened);
    }

    /// The record shown, if any.
    pub(crate) fn record(&self) -> Option<shared::ids::ClientId> {
        self.opened.as_ref().map(|o| o.client.id)
    }

    /// The node's registers answered about a record (kept only if it is still the one shown).
    pub(crate) fn register_received(&mut self, register: RecordRegister) {
        self.loading = false;
        if self.record() == Some(register.client) {
            self.register = Some(register);
        }
    }

    /// The office's look into the node: every device's accesses and what was shared, asked on
    /// a click (it needs the link).
    fn register_section(&self, ui: &mut egui::Ui, ctx: &mut ViewCtx<'_>, opened: &Opened) {
        let i18n = ctx.i18n;
        ui.add_space(8.0);
        ui.strong(i18n.t("detail-register-title"));
        if ui.button(i18n.t("detail-register-ask")).clicked() {
            ctx.commands.push(Command::Office(
                crate::gui::office::OfficeRequest::Register(
                    shared::protocol::office::RegisterQuery {
                        client: Some(opened.client.id),
                        ..Default::default()
                    },
                ),
            ));
        }
        let Some(register) = self
            .register
            .as_ref()
            .filter(|r| r.client == opened.client.id)
        else {
            return;
        };
        let mut agents = Vec::new();
        let mut devices = Vec::new();
        for line in &register.accesses {
            let agent = if line.agent == opened.me.agent {
                i18n.t("who-you")
            } else {
                numbered(&mut agents, line.agent, |n| {
                    i18n.t_args("who-agent", &[("number", n.into())])
                })
            };
            let device = if line.device == opened.me.device {
                i18n.t("where-this-laptop")
            } else {
                numbered(&mut devices, line.device, |n| {
                    i18n.t_args("where-laptop", &[("number", n.into())])
                })
            };
            let what = shared::audit::AuditAction::from_name(&line.action)
                .map_or_else(|| i18n.t("access-other"), |a| i18n.t(access_words(a)));
            ui.label(i18n.t_args(
                "detail-register-access",
                &[
                    (
                        "when",
                        describe_time(shared::time::Timestamp(line.at_ms)).into(),
                    ),
                    ("agent", agent.into()),
                    ("device", device.into()),
                    ("what", what.into()),
                ],
            ));
        }
        if register.disclosures.is_empty() {
            ui.label(i18n.t("detail-register-nothing-shared"));
        }
        for d in &register.disclosures {
            ui.label(disclosure_in_words(i18n, ctx.catalogue, d));
        }
        if register.cut {
            ui.label(i18n.t("disclosures-cut"));
        }
    }

    pub(crate) fn printed(&mut self, path: PathBuf, opened: bool) {
        self.printed = Some((path, opened));
    }

    /// Draws the record; returns what the agent chose.
    pub(crate) fn show(&mut self, ui: &mut egui::Ui, ctx: &mut ViewCtx<'_>) -> Option<DetailStep> {
        let i18n = ctx.i18n;
        let catalogue = ctx.catalogue;
        let opened = self.opened.as_ref()?;
        let client = &opened.client;
        let identity = &client.identity;
        let people = People::of(opened.me, &opened.history);
        let mut step = None;
        ui.horizontal(|ui| {
            if ui.button(i18n.t("action-back")).clicked() {
                step = Some(DetailStep::Back(self.came_from.unwrap_or(Screen::Find)));
            }
            // The office reads a record from its review queue here, and marks it read here.
            // Both buttons stand before the name, "Next" first: the next click lands where it
            // did on the record before, whatever the name's length, and marking (which takes
            // its button away) moves nothing under the mouse.
            if let Some(next) = self.next_to_review
                && ui.button(i18n.t("detail-next-to-review")).clicked()
            {
                ctx.commands.push(Command::Open(next));
            }
            if let Some(up_to) = opened.awaiting_review
                && ui.button(i18n.t("detail-mark-reviewed")).clicked()
            {
                ctx.commands.push(Command::Decide(Decision::Reviewed(vec![(
                    client.id, up_to,
                )])));
            }
            ui.heading(format!("{} {}", identity.given_name, identity.family_name));
            if ui.button(i18n.t("detail-edit")).clicked() || std::mem::take(&mut self.edit_at_once)
            {
                let marks = opened
                    .conflicts
                    .iter()
                    .map(|c| {
                        let others = c
                            .values
                            .iter()
                            .zip(&c.origins)
                            .map(|(v, o)| people.conflict_value(i18n, catalogue, &c.path, v, o))
                            .collect();
                        (c.path.clone(), others)
                    })
                    .collect();
                step = Some(DetailStep::Edit(Box::new(client.clone()), marks));
            }
        });
        if let Some(asked) = Self::slip_row(
            &mut self.slip_languages,
            client,
            self.register.as_ref(),
            ui,
            ctx,
        ) {
            self.printing = Some(asked);
        }
        if let Some((path, viewer)) = &self.printed {
            let report = self.printing == Some(Printout::AccessReport);
            ui.label(i18n.t_args(
                match (report, *viewer) {
                    (false, true) => "detail-printed-opened",
                    (false, false) => "detail-printed",
                    (true, true) => "detail-printed-report-opened",
                    (true, false) => "detail-printed-report",
                },
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
                            // The office is who chooses: it is offered the choice here.
                            if opened.office {
                                "detail-conflicts-choose"
                            } else {
                                "detail-conflicts"
                            },
                            &[("count", opened.conflicts.len().into())]
                        )
                    ),
                );
                for conflict in &opened.conflicts {
                    if opened.office {
                        let typed = self.typed.entry(conflict.path.clone()).or_default();
                        if let Some(chosen) = conflict_choices(
                            ui, i18n, catalogue, &people, client.id, conflict, typed,
                        ) {
                            ctx.commands.push(chosen);
                        }
                        continue;
                    }
                    ui.label(format!("(!) {}:", field_label(i18n, &conflict.path)));
                    for (value, origin) in conflict.values.iter().zip(&conflict.origins) {
                        ui.label(format!(
                            "    • {}",
                            people.conflict_value(i18n, catalogue, &conflict.path, value, origin)
                        ));
                    }
                }
            });
        }
        if !opened.merged_here.is_empty() {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                for (id, name) in &opened.merged_here {
                    ui.horizontal(|ui| {
                        ui.label(
                            i18n.t_args("detail-merged-here", &[("name", name.clone().into())]),
                        );
                        if opened.office && ui.button(i18n.t("detail-unmerge")).clicked() {
                            ctx.commands.push(Command::Decide(Decision::Unmerge(*id)));
                        }
                    });
                }
            });
        }
        if let Some(reason) = opened.held {
            // A refused change stays on this laptop, visibly, until it is resent.
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    format!(
                        "(!) {}",
                        i18n.t_args(
                            "detail-held",
                            &[("reason", i18n.t(refusal_words(reason)).into())]
                        )
                    ),
                );
                ui.label(i18n.t("detail-held-hint"));
                if ui.button(i18n.t("held-resend")).clicked() {
                    ctx.commands.push(Command::ResendHeld);
                }
            });
        } else if opened.not_synced {
            ui.label(i18n.t("marker-not-synced"));
        }
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                egui::Grid::new("detail-grid")
                    .num_columns(2)
                    .striped(true)
                    .show(ui, |ui| record_rows(ui, ctx, opened));
                ui.add_space(8.0);
                ui.strong(i18n.t("detail-access"));
                for entry in opened.access.iter().rev() {
                    ui.label(i18n.t_args(
                        "detail-access-entry",
                        &[
                            ("when", describe_time(entry.at).into()),
                            ("agent", people.agent(i18n, Some(entry.agent)).into()),
                            ("what", i18n.t(access_words(entry.action)).into()),
                        ],
                    ));
                }
                if opened.office {
                    self.register_section(ui, ctx, opened);
                }
                ui.add_space(8.0);
                ui.strong(i18n.t("detail-history"));
                let first = opened.history.first().map(|e| e.change.clone());
                for entry in opened.history.iter().rev() {
                    ui.label(
                        i18n.t_args(
                            "detail-history-entry",
                            &[
                                ("when", describe_time(entry.at).into()),
                                ("agent", people.agent(i18n, entry.agent).into()),
                                ("device", people.device(i18n, entry.device).into()),
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
        step
    }
}

/// What an audit entry about a record says was done, as a message id.
pub(crate) fn access_words(action: shared::audit::AuditAction) -> &'static str {
    use shared::audit::AuditAction as A;
    match action {
        A::View => "access-view",
        A::Create => "access-create",
        A::Edit => "access-edit",
        A::ConsentChange => "access-consent-change",
        A::Merge => "access-merge",
        A::Unmerge => "access-unmerge",
        A::NotSame => "access-not-same",
        A::Settle => "access-settle",
        A::Export => "access-export",
        A::Print => "access-print",
        A::Unlock | A::FailedUnlock => "access-other",
    }
}

/// Every field the record holds, one row each, in the order of the form.
fn record_rows(ui: &mut egui::Ui, ctx: &ViewCtx<'_>, opened: &Opened) {
    let i18n = ctx.i18n;
    let catalogue = ctx.catalogue;
    let language = i18n.language().code();
    let client = &opened.client;
    let identity = &client.identity;
    let mut row = |label: String, value: String| {
        ui.label(label);
        ui.label(value);
        ui.end_row();
    };
    let or_dash = |value: Option<&String>| value.cloned().unwrap_or_else(|| "—".into());
    if let Some(preferred) = &identity.preferred_name {
        row(i18n.t("field-preferred-name"), preferred.clone());
    }
    if !identity.other_names.is_empty() {
        row(i18n.t("field-other-names"), identity.other_names.join(", "));
    }
    row(
        i18n.t("field-date-of-birth"),
        identity
            .date_of_birth
            .map_or_else(|| "—".into(), |d| d.display()),
    );
    row(
        i18n.t("field-gender"),
        gender_words(i18n, identity.sex_or_gender.as_ref()),
    );
    row(
        i18n.t("field-community"),
        community_name(i18n, catalogue, &identity.community),
    );
    let ids = &identity.identifiers;
    row(
        i18n.t("field-band-number"),
        or_dash(ids.band_number.as_ref()),
    );
    row(i18n.t("field-sin-last3"), or_dash(ids.sin_last3.as_ref()));
    row(
        i18n.t("field-health-card-province"),
        or_dash(ids.health_card_province.as_ref()),
    );
    if let Some(reference) = &ids.external_reference {
        row(i18n.t("field-external-reference"), reference.clone());
    }
    let contact = &identity.contact;
    row(i18n.t("field-phone"), or_dash(contact.phone.as_ref()));
    row(
        i18n.t("field-address"),
        or_dash(contact.mailing_address.as_ref()),
    );
    if contact.through_band_office {
        row(i18n.t("field-through-band-office"), i18n.t("value-yes"));
    }
    let languages = &client.languages;
    row(
        i18n.t("field-spoken-list"),
        if languages.spoken.is_empty() {
            "—".into()
        } else {
            languages
                .spoken
                .iter()
                .map(|l| language_name(i18n, l.as_str()))
                .collect::<Vec<_>>()
                .join(", ")
        },
    );
    row(
        i18n.t("field-preferred-language"),
        languages
            .preferred
            .as_ref()
            .map_or_else(|| "—".into(), |code| language_name(i18n, code.as_str())),
    );
    if languages.interpreter_needed {
        row(
            i18n.t("field-interpreter-needed"),
            languages
                .interpreted_by
                .clone()
                .unwrap_or_else(|| i18n.t("value-yes")),
        );
    }
    for (_, name) in &opened.household {
        row(i18n.t("section-household"), name.clone());
    }
    for request in &client.programs {
        let name = catalogue.program(&request.program).map_or_else(
            || i18n.t("value-unknown-code"),
            |p| localized(&p.name, language).to_owned(),
        );
        let mut text = format!("{name} · {}", i18n.t(program_status_id(request.status)));
        let documents: Vec<String> = request
            .documents_seen
            .iter()
            .map(|kind| {
                catalogue
                    .documents
                    .iter()
                    .find(|d| &d.code == kind)
                    .map_or_else(
                        || i18n.t("value-unknown-code"),
                        |d| localized(&d.name, language).to_owned(),
                    )
            })
            .collect();
        if !documents.is_empty() {
            text.push_str(&format!(
                " · {}",
                i18n.t_args(
                    "detail-documents-seen",
                    &[("documents", documents.join(", ").into())]
                )
            ));
        }
        row(i18n.t("section-programs"), text);
    }
    let partner_name = |code: &shared::ids::PartnerCode| {
        catalogue.partner(code).map_or_else(
            || i18n.t("value-unknown-code"),
            |p| localized(&p.name, language).to_owned(),
        )
    };
    for ((partner, purpose), state) in effective_consent(&client.consent) {
        let purpose_name = catalogue
            .purposes
            .iter()
            .find(|p| p.code == purpose)
            .map_or_else(
                || i18n.t("value-unknown-code"),
                |p| localized(&p.name, language).to_owned(),
            );
        let state = i18n.t(match state {
            ConsentState::Granted => "consent-state-granted",
            ConsentState::Withdrawn => "consent-state-withdrawn",
        });
        // How the latest word on this partner and purpose was given.
        let how = client
            .consent
            .iter()
            .rev()
            .find(|e| e.partner == partner && e.purpose == purpose)
            .map(|e| {
                let method = match &e.method {
                    ConsentMethod::Signed => i18n.t("consent-method-signed"),
                    ConsentMethod::VerbalWithWitness(witness) => {
                        format!("{} ({witness})", i18n.t("consent-method-verbal-witness"))
                    }
                    ConsentMethod::VerbalInterpreted(witness) => format!(
                        "{} ({witness})",
                        i18n.t("consent-method-verbal-interpreted")
                    ),
                };
                format!("{method}, {}", e.date)
            })
            .unwrap_or_default();
        row(
            i18n.t("section-consent"),
            format!(
                "{} · {purpose_name} · {state} · {how}",
                partner_name(&partner)
            ),
        );
    }
    for referral in &client.referrals {
        row(
            i18n.t("section-referrals"),
            format!(
                "{} · {} · {} · {}",
                partner_name(&referral.partner),
                referral.reason,
                i18n.t(urgency_id(referral.urgency)),
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
    if let Some(satisfaction) = client.satisfaction {
        row(i18n.t("field-satisfaction"), satisfaction.to_string());
    }
}

/// A language code as the UI names it.
pub(crate) fn language_name(i18n: &I18n, code: &str) -> String {
    super::intake::SPOKEN_LANGUAGES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or_else(|| i18n.t("value-unknown-code"), |(_, id)| i18n.t(id))
}

/// What a change touched, in words: "created the record" for the first change; the fields'
/// names when a few fields changed; otherwise the sections of the form.
fn describe_change(i18n: &I18n, fields: &[String], first: bool) -> String {
    if first {
        return i18n.t("detail-history-created");
    }
    let mut names: Vec<String> = Vec::new();
    for field in fields.iter().filter(|f| !is_bookkeeping(f)) {
        let name = field_label(i18n, field);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    if names.len() > 4 {
        let mut sections: Vec<String> = Vec::new();
        for field in fields.iter().filter(|f| !is_bookkeeping(f)) {
            let top = field.split(['.', '[']).next().unwrap_or_default();
            let name = field_label(i18n, top);
            if !sections.contains(&name) {
                sections.push(name);
            }
        }
        return sections.join(", ");
    }
    names.join(", ")
}

/// The number of `id` among those seen so far (1-based, in order of appearance), named.
fn numbered<T: PartialEq + Copy>(
    seen: &mut Vec<T>,
    id: T,
    name: impl Fn(usize) -> String,
) -> String {
    let at = seen.iter().position(|x| *x == id).unwrap_or_else(|| {
        seen.push(id);
        seen.len() - 1
    });
    name(at + 1)
}
