//! The locked screen: no client data, only the passphrase field. The worker holds no key
//! while this shows.

use shared::crypto::Passphrase;
use zeroize::Zeroize as _;

use crate::gui::i18n::I18n;
use crate::gui::widgets;
use crate::gui::worker::{Command, UnlockFailure};

#[derive(Default)]
pub(crate) struct UnlockScreen {
    passphrase: String,
    failure: Option<UnlockFailure>,
    pub busy: bool,
    focused: bool,
    /// Show the passphrase as typed (the agent chose to, e.g. to check a long one).
    reveal: bool,
    /// Letters arrive upper case without Shift: Caps Lock is probably on.
    caps_lock: bool,
}

impl Drop for UnlockScreen {
    fn drop(&mut self) {
        self.passphrase.zeroize();
    }
}

impl UnlockScreen {
    pub(crate) fn failed(&mut self, failure: UnlockFailure) {
        self.busy = false;
        self.failure = Some(failure);
        self.passphrase.zeroize();
        self.passphrase.clear();
        self.focused = false;
    }

    pub(crate) fn show(&mut self, ui: &mut egui::Ui, i18n: &I18n, commands: &mut Vec<Command>) {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading(i18n.t("unlock-title"));
            ui.label(i18n.t("unlock-explain"));
            ui.add_space(8.0);
            let mut submitted = false;
            egui::Grid::new("unlock-grid")
                .num_columns(2)
                .show(ui, |ui| {
                    let label = i18n.t("unlock-passphrase");
                    let field = if self.reveal {
                        widgets::field(ui, &label, &mut self.passphrase)
                    } else {
                        widgets::secret_field(ui, &label, &mut self.passphrase)
                    };
                    if field.has_focus() {
                        self.caps_lock = caps_lock_guess(ui, self.caps_lock);
                    }
                    if !self.focused {
                        field.request_focus();
                        self.focused = true;
                    }
                    submitted = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    ui.label("");
                    ui.checkbox(&mut self.reveal, i18n.t("unlock-show-passphrase"));
                    ui.end_row();
                });
            if self.caps_lock {
                ui.colored_label(ui.visuals().warn_fg_color, i18n.t("unlock-caps-lock"));
            }
            if let Some(failure) = self.failure {
                let id = match failure {
                    UnlockFailure::WrongPassphrase => "unlock-wrong",
                    UnlockFailure::Damaged => "unlock-damaged",
                    UnlockFailure::Other => "unlock-other",
                };
                ui.colored_label(ui.visuals().error_fg_color, i18n.t(id));
            }
            ui.add_space(8.0);
            if self.busy {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(i18n.t("unlock-busy"));
                });
            } else {
                let clicked = ui
                    .add_enabled(
                        !self.passphrase.is_empty(),
                        egui::Button::new(i18n.t("unlock-button")),
                    )
                    .clicked();
                if (clicked || submitted) && !self.passphrase.is_empty() {
                    self.busy = true;
                    self.failure = None;
                    commands.push(Command::Unlock(Passphrase::new(std::mem::take(
                        &mut self.passphrase,
                    ))));
                }
            }
        });
    }
}

/// Whether Caps Lock looks on, from this frame's typing: a letter typed upper case without
/// Shift says on, lower case without Shift says off, anything else keeps the last guess
/// (egui reports no lock-key state).
pub(crate) fn caps_lock_guess(ui: &egui::Ui, last: bool) -> bool {
    ui.input(|i| {
        let mut guess = last;
        for event in &i.events {
            if let egui::Event::Text(text) = event
                && let Some(c) = text.chars().find(|c| c.is_alphabetic())
                && !i.modifiers.shift
                && c.is_uppercase() != c.is_lowercase()
            {
                guess = c.is_uppercase();
            }
        }
        guess
    })
}
