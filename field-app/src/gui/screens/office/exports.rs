//! Exports (issue 12): the office asks its node for a consent-filtered export to a partner, for
//! a purpose — first a dry run that counts who would be released and why the others are left
//! out, then the file itself, sealed to the partner's age recipient. The node holds every
//! record and the disclosure register, so it decides and records (one disclosure per client
//! released) exactly as `sync-server export` does; this device keeps only the sealed file.

use shared::catalogue::localized;
use shared::ids::{PartnerCode, PurposeCode};
use shared::protocol::office::ExportOrder;

use super::super::ViewCtx;
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
}

impl ExportsTab {
    pub(super) fn received(&mut self, exported: Exported) {
        self.last = Some(exported);
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
