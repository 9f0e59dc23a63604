//! Exports (issue 12): the office asks its node for a consent-filtered export to a partner, for
//! a purpose — first a dry run that counts who would be released and why the others are left
//! out, then the file itself, sealed to the partner's age recipient. The node holds every
//! record and the disclosure register, so it decides and records (one disclosure per client
//! released) exactly as `sync-server export` does; this device keeps only the sealed file.

use shared::catalogue::localized;
use shared::disclosure::Disclosure;
use shared::ids::{PartnerCode, PurposeCode};
use shared::protocol::office::{ExportOrder, RegisterQuery};

use super::super::ViewCtx;
use super::super::record_words::disclosure_names;
use super::review::{Since, period_choice};
use crate::gui::office::{Exported, OfficeRequest};
use crate::gui::worker::Command;

#[derive(Default)]
pub(super) struct ExportsTab {
    partner: Option<PartnerCode>,
    purpose: Option<PurposeCode>,
    recipient: String,
    by: String,
    /// The last answer, and whether it was a dry run.
    last: Option<Exported>,
    /// The disclosure register as last listed (with clients' names), and whether it was cut.
    register: Option<(Vec<(Disclosure, String)>, bool)>,
    /// The register's period.
    since: Since,
}

impl ExportsTab {
    pub(super) fn received(&mut self, exported: Exported) {
        self.last = Some(exported);
    }

    pub(super) fn disclosures_received(&mut self, rows: Vec<(Disclosure, String)>, cut: bool) {
        self.register = Some((rows, cut));
    }

    /// The register section: what was shared with the chosen partner (or everyone), newest last.
    fn register_section(&mut self, ui: &mut egui::Ui, ctx: &mut ViewCtx<'_>) {
        let i18n = ctx.i18n;
        let language = i18n.language().code();
        ui.separator();
        ui.strong(i18n.t("disclosures-title"));
        egui::Grid::new("disclosures-grid")
            .num_columns(2)
            .show(ui, |ui| {
                period_choice(ui, ctx, "disclosures-when", &mut self.since);
            });
        if ui.button(i18n.t("disclosures-list")).clicked() {
            ctx.commands
                .push(Command::Office(OfficeRequest::Register(RegisterQuery {
                    partner: self.partner.as_ref().map(|p| p.as_str().to_owned()),
                    from_ms: self.since.start().map(|t| t.0),
                    ..RegisterQuery::default()
                })));
        }
        let Some((rows, cut)) = &self.register else {
            return;
        };
        ui.label(i18n.t_args("disclosures-count", &[("count", rows.len().into())]));
        if *cut {
            ui.label(i18n.t("disclosures-cut"));
        }
        egui::ScrollArea::vertical()
            .max_height(260.0)
            .auto_shrink([false, true])
            .show_rows(ui, 18.0, rows.len(), |ui, range| {
                for (d, name) in &rows[range] {
                    let (partner, purpose) = disclosure_names(ctx.catalogue, d, language);
                    ui.label(i18n.t_args(
                        "disclosures-row",
                        &[
                            ("when", d.at.to_minute_text().into()),
                            ("client", name.clone().into()),
                            ("partner", partner.into()),
                            ("purpose", purpose.into()),
                            ("by", d.by.clone().into()),
                        ],
                    ));
                }
            });
    }

    pub(super) fn show(&mut self, ui: &mut egui::Ui, ctx: &mut ViewCtx<'_>) {
        let i18n = ctx.i18n;
        let language = i18n.language().code();
        let catalogue = ctx.catalogue;
        ui.label(i18n.t("export-intro"));
        ui.add_space(6.0);
        if self.by.is_empty() {
            self.by.clone_from(&ctx.settings.agent_name);
        }
        egui::Grid::new("export-grid")
            .num_columns(2)
            .show(ui, |ui| {
                let mut partners: Vec<(Option<PartnerCode>, String)> =
                    vec![(None, i18n.t("choice-none"))];
                partners.extend(catalogue.partners.iter().map(|p| {
                    (
                        Some(p.code.clone()),
                        localized(&p.name, language).to_owned(),
                    )
                }));
                crate::gui::widgets::choice(
                    ui,
                    &i18n.t("export-partner"),
                    &mut self.partner,
                    &partners,
                );
                let mut purposes: Vec<(Option<PurposeCode>, String)> =
                    vec![(None, i18n.t("choice-none"))];
                purposes.extend(catalogue.purposes.iter().map(|p| {
                    (
                        Some(p.code.clone()),
                        localized(&p.name, language).to_owned(),
                    )
                }));
                crate::gui::widgets::choice(
                    ui,
                    &i18n.t("export-purpose"),
                    &mut self.purpose,
                    &purposes,
                );
                let label = ui.label(i18n.t("export-recipient"));
                ui.add(egui::TextEdit::singleline(&mut self.recipient).desired_width(420.0))
                    .labelled_by(label.id);
                ui.end_row();
                let label = ui.label(i18n.t("export-by"));
                ui.add(egui::TextEdit::singleline(&mut self.by).desired_width(260.0))
                    .labelled_by(label.id);
                ui.end_row();
            });
        let ready = self.partner.is_some() && self.purpose.is_some() && !self.by.trim().is_empty();
        ui.horizontal(|ui| {
            let count = ui.add_enabled(ready, egui::Button::new(i18n.t("export-dry-run")));
            let sealed_ready = ready && self.recipient.trim().starts_with("age1");
            let export = ui.add_enabled(sealed_ready, egui::Button::new(i18n.t("export-run")));
            for (clicked, dry_run) in [(count.clicked(), true), (export.clicked(), false)] {
                if let (true, Some(partner), Some(purpose)) =
                    (clicked, &self.partner, &self.purpose)
                {
                    ctx.commands
                        .push(Command::Office(OfficeRequest::Export(ExportOrder {
                            partner: partner.as_str().to_owned(),
                            purpose: purpose.as_str().to_owned(),
                            recipient: (!dry_run).then(|| self.recipient.trim().to_owned()),
                            by: self.by.trim().to_owned(),
                            dry_run,
                        })));
                }
            }
        });
        if ready && !self.recipient.trim().starts_with("age1") {
            ui.label(i18n.t("export-needs-recipient"));
        }
        self.outcome(ui, ctx);
        self.register_section(ui, ctx);
    }

    /// What the last count or export did.
    fn outcome(&self, ui: &mut egui::Ui, ctx: &ViewCtx<'_>) {
        let i18n = ctx.i18n;
        let Some(last) = &self.last else { return };
        ui.add_space(8.0);
        let count = |reason: &str| last.left_out.get(reason).copied().unwrap_or(0);
        ui.label(i18n.t_args(
            if last.file.is_some() {
                "export-done"
            } else {
                "export-counted"
            },
            &[
                ("released", last.released.into()),
                ("no_consent", count("no_consent").into()),
                ("withdrawn", count("withdrawn").into()),
                ("expired", count("expired").into()),
            ],
        ));
        ui.label(i18n.t_args(
            "export-columns",
            &[("columns", last.columns.join(", ").into())],
        ));
        if let Some(path) = &last.file {
            ui.label(i18n.t_args(
                "export-file",
                &[("path", path.display().to_string().into())],
            ));
        }
    }
}
