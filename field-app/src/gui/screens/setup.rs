//! First run: choose a passphrase (with a strength meter and a clear policy) and create the
//! encrypted profile.

use shared::crypto::Passphrase;
use zeroize::Zeroize as _;

use crate::gui::i18n::I18n;
use crate::gui::widgets;
use crate::gui::worker::Command;

/// The fewest characters a passphrase may have.
pub(crate) const MIN_PASSPHRASE_CHARS: usize = 12;
/// The lowest zxcvbn score (0–4) accepted.
pub(crate) const MIN_STRENGTH: u8 = 3;

/// How strong a passphrase is, 0 (guessable) to 4 (very strong).
#[must_use]
pub(crate) fn strength(passphrase: &str) -> u8 {
    if passphrase.is_empty() {
        return 0;
    }
    zxcvbn::zxcvbn(passphrase, &[]).score() as u8
}

/// Whether a passphrase meets the policy.
#[must_use]
pub(crate) fn meets_policy(passphrase: &str) -> bool {
    passphrase.chars().count() >= MIN_PASSPHRASE_CHARS && strength(passphrase) >= MIN_STRENGTH
}

#[derive(Default)]
pub(crate) struct SetupScreen {
    passphrase: String,
    confirm: String,
    code: String,
    strength: Option<(String, u8)>,
    error: Option<String>,
    pub busy: bool,
}

impl Drop for SetupScreen {
    fn drop(&mut self) {
        self.passphrase.zeroize();
        self.confirm.zeroize();
    }
}

impl SetupScreen {
    pub(crate) fn failed(&mut self, message: String) {
        self.busy = false;
        self.error = Some(message);
    }

    pub(crate) fn show(&mut self, ui: &mut egui::Ui, i18n: &I18n, commands: &mut Vec<Command>) {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading(i18n.t("setup-title"));
            ui.label(i18n.t("setup-explain"));
            ui.add_space(8.0);
            egui::Grid::new("setup-grid").num_columns(2).show(ui, |ui| {
                widgets::secret_field(ui, &i18n.t("setup-passphrase"), &mut self.passphrase);
                widgets::secret_field(ui, &i18n.t("setup-confirm"), &mut self.confirm);
            });
            ui.add_space(4.0);
            ui.label(i18n.t("setup-enrol-optional"));
            egui::Grid::new("setup-enrol-grid")
                .num_columns(2)
                .show(ui, |ui| {
                    widgets::field(ui, &i18n.t("sync-code"), &mut self.code);
                });
            // zxcvbn takes a few milliseconds: score only when the text changed.
            if self.strength.as_ref().map(|(s, _)| s.as_str()) != Some(self.passphrase.as_str()) {
                if let Some((old, _)) = &mut self.strength {
                    old.zeroize();
                }
                self.strength = Some((self.passphrase.clone(), strength(&self.passphrase)));
            }
            let score = self.strength.as_ref().map_or(0, |(_, s)| *s);
            let words = [
                "strength-0",
                "strength-1",
                "strength-2",
                "strength-3",
                "strength-4",
            ];
            ui.add(
                egui::ProgressBar::new(f32::from(score + 1) / 5.0)
                    .desired_width(360.0)
                    .text(i18n.t(words[usize::from(score.min(4))])),
            );
            ui.label(i18n.t_args("setup-policy", &[("min", MIN_PASSPHRASE_CHARS.into())]));
            let matches = self.passphrase == self.confirm;
            let ok = meets_policy(&self.passphrase) && matches;
            if !matches && !self.confirm.is_empty() {
                ui.colored_label(ui.visuals().error_fg_color, i18n.t("setup-mismatch"));
            }
            if let Some(error) = &self.error {
                ui.colored_label(ui.visuals().error_fg_color, error);
            }
            ui.add_space(8.0);
            if self.busy {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(i18n.t("setup-creating"));
                });
            } else if ui
                .add_enabled(ok, egui::Button::new(i18n.t("setup-create")))
                .clicked()
            {
                self.busy = true;
                self.error = None;
                commands.push(Command::CreateProfile(Passphrase::new(
                    self.passphrase.clone(),
                )));
                // Runs once the profile exists; a failure shows on the sync screen.
                if !self.code.trim().is_empty() {
                    commands.push(Command::Enroll(self.code.trim().to_owned()));
                }
            }
        });
    }
}
