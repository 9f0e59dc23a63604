//! The screens. Each owns its UI state, draws itself from that state and what the worker last
//! reported, and pushes [`Command`]s; none does I/O.

mod detail;
mod find;
mod home;
mod intake;
mod settings;
mod setup;
mod sync;
mod unlock;

use shared::ids::CommunityCode;
use shared::time::Timestamp;
use shared::{Author, Catalogue};

pub(crate) use find::FindScreen;
pub(crate) use intake::IntakeScreen;
pub(crate) use setup::SetupScreen;
pub(crate) use unlock::UnlockScreen;

use super::i18n::{I18n, Language};
use super::settings::UiSettings;
use super::worker::{Command, Reply, Status};

/// The screens, as tests and the screenshot tour name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Screen {
    /// First run: create the profile.
    Setup,
    /// Locked: enter the passphrase.
    Unlock,
    /// Home / visit.
    Home,
    /// New or edited intake.
    Intake,
    /// Find records.
    Find,
    /// One record with its history.
    Detail,
    /// Sync with the node.
    Sync,
    /// Settings.
    Settings,
}

/// What every working screen gets each frame.
pub(crate) struct ViewCtx<'a> {
    pub i18n: &'a I18n,
    pub catalogue: &'a Catalogue,
    pub settings: &'a mut UiSettings,
    pub commands: &'a mut Vec<Command>,
}

/// The agent's current visit: where, and since when.
#[derive(Clone, Debug)]
pub(crate) struct Visit {
    pub community: Option<CommunityCode>,
    pub site: String,
    pub started: Timestamp,
}

/// The unlocked app: the working screens and what they share.
pub(crate) struct Session {
    pub author: Author,
    pub screen: Screen,
    pub visit: Visit,
    pub status: Status,
    pub intake: IntakeScreen,
    pub find: FindScreen,
    /// Go straight to editing this record when it opens.
    pub edit_when_opened: Option<shared::ids::ClientId>,
    detail: detail::DetailScreen,
    sync: sync::SyncScreen,
    message: Option<(String, bool)>,
}

impl Session {
    pub(crate) fn new(
        author: Author,
        catalogue: &Catalogue,
        demo: Option<&super::demo_info::DemoInfo>,
    ) -> Self {
        let community = demo
            .map(|d| d.community.clone())
            .or_else(|| catalogue.communities.first().map(|c| c.code.clone()));
        Self {
            author,
            screen: Screen::Home,
            visit: Visit {
                community: community.clone(),
                site: String::new(),
                started: Timestamp::now(),
            },
            status: Status::default(),
            intake: IntakeScreen::new(community),
            find: FindScreen::default(),
            edit_when_opened: None,
            detail: detail::DetailScreen::default(),
            sync: sync::SyncScreen::default(),
            message: None,
        }
    }

    /// First requests after unlocking.
    pub(crate) fn start(&mut self, commands: &mut Vec<Command>) {
        self.refresh(commands);
    }

    fn refresh(&self, commands: &mut Vec<Command>) {
        commands.push(Command::Refresh {
            visit_started: self.visit.started,
        });
    }

    pub(crate) fn is_waiting(&self) -> bool {
        self.intake.saving || self.find.searching || self.detail.loading || self.sync.running
    }

    pub(crate) fn go(&mut self, screen: Screen, commands: &mut Vec<Command>) {
        if screen == Screen::Find && self.screen != Screen::Find {
            self.find.request(commands);
        }
        if matches!(screen, Screen::Home | Screen::Sync) {
            self.refresh(commands);
        }
        self.screen = screen;
    }

    pub(crate) fn on_reply(&mut self, reply: Reply, commands: &mut Vec<Command>) {
        match reply {
            Reply::Saved { id, outcome } => {
                self.intake.saved(id, outcome);
                self.message = Some((String::from("saved"), false));
                self.refresh(commands);
                self.find.request(commands);
                // Show what was stored, from the store.
                commands.push(Command::Open(id));
            }
            Reply::SaveRefused(errors) => self.intake.refused(errors),
            Reply::Found {
                generation,
                rows,
                not_synced,
                total,
            } => self.find.found(generation, rows, not_synced, total),
            Reply::Matches { generation, rows } => self.intake.matches(generation, rows),
            Reply::Opened(opened) => {
                if self.edit_when_opened.take() == Some(opened.client.id) {
                    self.intake.edit(opened.client);
                    self.screen = Screen::Intake;
                } else {
                    self.detail.opened(*opened);
                    self.screen = Screen::Detail;
                }
            }
            Reply::Status(status) => self.status = status,
            Reply::Enrolled => {
                self.sync.enrolled();
                self.refresh(commands);
            }
            Reply::SyncProgress(progress) => self.sync.progress(progress),
            Reply::SyncDone(report) => {
                self.sync.done(report);
                self.refresh(commands);
                self.find.request(commands);
            }
            Reply::NetworkFailed(message) => {
                self.message = Some((message.clone(), true));
                self.sync.failed(message);
            }
            Reply::Printed(path) => self.detail.printed(path),
            Reply::Failed(message) => {
                self.intake.saving = false;
                self.detail.loading = false;
                self.message = Some((message, true));
            }
            Reply::Ready { .. } | Reply::Unlocked(_) | Reply::UnlockFailed(_) | Reply::Locked => {}
        }
    }

    pub(crate) fn show(&mut self, ui: &mut egui::Ui, ctx: &mut ViewCtx<'_>) {
        egui::Panel::top("navigation").show(ui, |ui| {
            ui.horizontal_wrapped(|ui| self.navigation(ui, ctx));
        });
        if let Some((message, is_error)) = &self.message {
            let text = if *is_error {
                ctx.i18n
                    .t_args("error-generic", &[("detail", message.clone().into())])
            } else {
                ctx.i18n.t("intake-saved")
            };
            let mut dismiss = false;
            egui::Panel::bottom("message").show(ui, |ui| {
                ui.horizontal(|ui| {
                    if *is_error {
                        ui.colored_label(ui.visuals().error_fg_color, text);
                    } else {
                        ui.label(text);
                    }
                    dismiss = ui.button(ctx.i18n.t("action-dismiss")).clicked();
                });
            });
            if dismiss {
                self.message = None;
            }
        }
        egui::CentralPanel::default().show(ui, |ui| match self.screen {
            Screen::Home => home::show(ui, ctx, &mut self.visit, &self.status, &mut self.intake),
            Screen::Intake => self.intake.show(ui, ctx, &self.visit, self.author),
            Screen::Find => self.find.show(ui, ctx),
            Screen::Detail => {
                if let Some(edit) = self.detail.show(ui, ctx) {
                    self.intake.edit(edit);
                    self.screen = Screen::Intake;
                }
            }
            Screen::Sync => self.sync.show(ui, ctx, &self.status),
            Screen::Settings => settings::show(ui, ctx),
            Screen::Setup | Screen::Unlock => {}
        });
    }

    fn navigation(&mut self, ui: &mut egui::Ui, ctx: &mut ViewCtx<'_>) {
        let i18n = ctx.i18n;
        ui.strong(i18n.t("app-title"));
        ui.separator();
        let entries = [
            (Screen::Home, "nav-home"),
            (Screen::Intake, "nav-new-intake"),
            (Screen::Find, "nav-find"),
            (Screen::Sync, "nav-sync"),
            (Screen::Settings, "nav-settings"),
        ];
        for (screen, id) in entries {
            if ui
                .selectable_label(
                    // Editing a record is not "New intake".
                    self.screen == screen
                        && !(screen == Screen::Intake && self.intake.is_editing()),
                    i18n.t(id),
                )
                .clicked()
            {
                if screen == Screen::Intake {
                    self.intake.reset(self.visit.community.clone());
                }
                self.go(screen, ctx.commands);
            }
        }
        ui.separator();
        if ui.button(i18n.t("action-lock")).clicked() {
            ctx.commands.push(Command::Lock);
        }
        ui.separator();
        ui.label(i18n.t_args(
            "status-pending",
            &[("count", self.status.pending_changes.into())],
        ));
    }
}

/// A row with the UI language picker, for the screens before unlocking.
pub(crate) fn language_picker_row(ui: &mut egui::Ui, i18n: &I18n) -> Option<Language> {
    let mut chosen = None;
    egui::Panel::top("language-row").show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.label(i18n.t("settings-language"));
            for language in Language::ALL {
                if ui
                    .selectable_label(i18n.language() == language, language.endonym())
                    .clicked()
                {
                    chosen = Some(language);
                }
            }
        });
    });
    chosen
}
