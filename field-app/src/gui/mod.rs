//! The egui desktop app (issue 4): first run, unlock, home, intake, find, record detail, sync,
//! settings. Screens own their UI state and emit [`worker::Command`]s; the [`worker`] thread does
//! disk, KDF and network work and answers with [`worker::Reply`]s. Views never do I/O.

pub mod access_report;
#[cfg(feature = "demo")]
pub mod demo;
pub mod demo_info;
pub mod fonts;
pub mod i18n;
#[cfg(test)]
mod i18n_tests;
pub mod office;
pub mod print;
mod screens;
mod settings;
mod slips;
#[cfg(feature = "demo")]
mod tour;
mod widgets;
pub mod worker;

use std::sync::Arc;

use egui::{Key, KeyboardShortcut, Modifiers};
use shared::Catalogue;

pub use screens::Screen;
pub use settings::UiSettings;

use crate::storage;
use i18n::I18n;
use screens::{Session, SetupScreen, UnlockScreen};
use worker::{Command, ProfileConfig, Reply, Worker};

/// Ctrl+N: a new intake.
pub const SHORTCUT_NEW: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::N);
/// Ctrl+S: save the intake.
pub const SHORTCUT_SAVE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::S);
/// Ctrl+F: find.
pub const SHORTCUT_FIND: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::F);
/// Ctrl+L: lock now.
pub const SHORTCUT_LOCK: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::L);

/// Why the app did not start.
#[derive(Debug, thiserror::Error)]
pub enum GuiError {
    /// A translation file is broken (a build defect).
    #[error(transparent)]
    I18n(#[from] i18n::I18nError),
    /// The catalogue is broken (a build defect).
    #[error(transparent)]
    Catalogue(#[from] shared::catalogue::CatalogueError),
    /// The worker thread did not start.
    #[error("starting the worker thread: {0}")]
    Io(#[from] std::io::Error),
    /// The window could not be opened.
    #[error("opening the window: {0}")]
    Window(String),
}

/// Where the app is in its life.
enum Phase {
    /// Waiting for the worker to say whether a profile exists.
    Starting,
    /// No profile yet: create one.
    Setup(SetupScreen),
    /// A profile exists and is locked.
    Locked(UnlockScreen),
    /// Unlocked: the working screens.
    Unlocked(Box<Session>),
}

/// The whole app: one per window (and one per kittest harness).
pub struct OutreachApp {
    i18n: I18n,
    catalogue: Arc<Catalogue>,
    worker: Worker,
    settings: UiSettings,
    saved_settings: UiSettings,
    phase: Phase,
    demo: Option<demo_info::DemoInfo>,
    last_activity: f64,
    applied_zoom: Option<f32>,
    fonts_installed: bool,
    commands: Vec<Command>,
    /// The draft the form held when the profile locked: reopened after unlocking (its text
    /// is in the encrypted store, not here).
    reopen_after_unlock: Option<storage::DraftId>,
}

impl std::fmt::Debug for OutreachApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutreachApp").finish_non_exhaustive()
    }
}

impl OutreachApp {
    /// An app over the profile in `config.dir`; `wake` repaints the UI (the egui context's
    /// `request_repaint`, or nothing in tests that step the UI themselves).
    pub fn new(
        config: ProfileConfig,
        settings: UiSettings,
        wake: Arc<dyn Fn() + Send + Sync>,
    ) -> Result<Self, GuiError> {
        let worker = Worker::start(config, wake)?;
        Ok(Self {
            i18n: I18n::new(settings.language)?,
            catalogue: Arc::new(Catalogue::current()?.clone()),
            worker,
            saved_settings: settings.clone(),
            settings,
            phase: Phase::Starting,
            demo: None,
            last_activity: 0.0,
            applied_zoom: None,
            fonts_installed: false,
            commands: Vec::new(),
            reopen_after_unlock: None,
        })
    }

    /// Shows a "demo" banner with the demo passphrase.
    pub fn set_demo(&mut self, info: demo_info::DemoInfo) {
        self.demo = Some(info);
    }

    /// The UI settings in force.
    #[must_use]
    pub fn settings(&self) -> &UiSettings {
        &self.settings
    }

    /// The UI settings, to change (as the settings screen does).
    pub fn settings_mut(&mut self) -> &mut UiSettings {
        &mut self.settings
    }

    /// Which screen is showing (for tests and the screenshot tour).
    #[must_use]
    pub fn screen(&self) -> Option<Screen> {
        match &self.phase {
            Phase::Starting => None,
            Phase::Setup(_) => Some(Screen::Setup),
            Phase::Locked(_) => Some(Screen::Unlock),
            Phase::Unlocked(session) => Some(session.screen),
        }
    }

    /// Whether the worker is busy with something the UI is waiting for (tests wait on it).
    #[must_use]
    pub fn is_waiting(&self) -> bool {
        match &self.phase {
            Phase::Starting => true,
            Phase::Setup(s) => s.busy,
            Phase::Locked(s) => s.busy,
            Phase::Unlocked(s) => s.is_waiting(),
        }
    }

    /// Goes to a working screen (the screenshot tour uses it; people use the buttons).
    pub fn go(&mut self, screen: Screen) {
        if let Phase::Unlocked(session) = &mut self.phase {
            session.go(screen, &mut self.commands);
        }
        self.flush();
    }

    /// Opens a record's detail screen.
    pub fn open_record(&mut self, id: shared::ids::ClientId) {
        self.commands.push(Command::Open(id));
        self.flush();
    }

    /// Opens a record straight into the intake form, for editing.
    pub fn edit_record(&mut self, id: shared::ids::ClientId) {
        if let Phase::Unlocked(session) = &mut self.phase {
            session.edit_when_opened = Some(id);
        }
        self.open_record(id);
    }

    /// Types a search on the find screen.
    pub fn search(&mut self, text: &str) {
        if let Phase::Unlocked(session) = &mut self.phase {
            session.find.set_text(text);
        }
    }

    /// Locks now, as Ctrl+L does.
    pub fn lock(&mut self) {
        self.commands.push(Command::Lock);
        self.flush();
    }

    /// Writes the form's draft and closes the store before the window goes: waits (a few
    /// seconds at most) for the worker to confirm, so quitting loses nothing typed.
    pub fn close(&mut self) {
        if !matches!(self.phase, Phase::Unlocked(_)) {
            return;
        }
        self.lock();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
            match self.worker.recv_timeout(left) {
                Some(Reply::Locked) | None => return,
                Some(_) => {}
            }
        }
    }

    /// Unlocks the demo profile with its published passphrase.
    pub fn unlock_demo(&mut self) {
        if let (Some(demo), Phase::Locked(screen)) = (&self.demo, &mut self.phase) {
            screen.busy = true;
            self.commands
                .push(Command::Unlock(shared::crypto::Passphrase::new(
                    demo.passphrase.clone(),
                )));
        }
        self.flush();
    }

    /// One frame: take the worker's answers, then draw.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if !self.fonts_installed {
            ctx.set_fonts(fonts::definitions());
            self.fonts_installed = true;
        }
        if self.applied_zoom != Some(self.settings.text_scale) {
            ctx.set_zoom_factor(self.settings.text_scale);
            self.applied_zoom = Some(self.settings.text_scale);
        }
        while let Some(reply) = self.worker.try_recv() {
            self.on_reply(reply);
        }
        self.idle_lock(ui);
        self.shortcuts(ui);

        if let Some(demo) = &self.demo {
            egui::Panel::top("demo-banner").show(ui, |ui| {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    self.i18n.t_args(
                        "demo-banner",
                        &[("passphrase", demo.passphrase.clone().into())],
                    ),
                );
            });
        }
        if self.i18n.language().awaiting_review() {
            egui::Panel::bottom("review-banner").show(ui, |ui| {
                ui.label(self.i18n.t("translation-awaiting-review"));
            });
        }
        let mut language_change = None;
        match &mut self.phase {
            Phase::Starting => {
                egui::CentralPanel::default().show(ui, |ui| {
                    ui.spinner();
                });
            }
            Phase::Setup(screen) => {
                language_change = screens::language_picker_row(ui, &self.i18n);
                screen.show(ui, &self.i18n, &mut self.commands);
            }
            Phase::Locked(screen) => {
                language_change = screens::language_picker_row(ui, &self.i18n);
                screen.show(ui, &self.i18n, &mut self.commands);
            }
            Phase::Unlocked(session) => {
                let mut ctx = screens::ViewCtx {
                    i18n: &self.i18n,
                    catalogue: &self.catalogue,
                    settings: &mut self.settings,
                    commands: &mut self.commands,
                };
                session.show(ui, &mut ctx);
            }
        }
        if let Some(language) = language_change {
            self.settings.language = language;
        }
        if self.i18n.language() != self.settings.language {
            self.i18n.set_language(self.settings.language);
        }
        // Settings are kept once a change is finished (not at every step of a slider drag).
        if self.settings != self.saved_settings && !ui.input(|i| i.pointer.any_down()) {
            self.saved_settings = self.settings.clone();
            self.commands
                .push(Command::SaveSettings(self.settings.clone()));
        }
        if let Phase::Unlocked(_) = self.phase {
            // Keep the idle timer running even when nothing else repaints.
            ctx.request_repaint_after(std::time::Duration::from_secs(1));
        }
        self.flush();
    }

    fn flush(&mut self) {
        let mut batch = std::mem::take(&mut self.commands);
        // A draft write pushed later in the same frame as a lock still goes first: the worker
        // ignores everything but unlocking once locked.
        if let Some(lock) = batch.iter().position(|c| matches!(c, Command::Lock)) {
            let mut keeps = Vec::new();
            let mut rest = Vec::new();
            for (index, command) in batch.into_iter().enumerate() {
                if index > lock && matches!(command, Command::KeepDraft(_)) {
                    keeps.push(command);
                } else {
                    rest.push(command);
                }
            }
            batch = rest;
            batch.splice(lock..lock, keeps);
        }
        for command in batch {
            if matches!(command, Command::Lock) {
                if let Phase::Unlocked(session) = &mut self.phase {
                    // The form is written before the store closes: locking loses nothing.
                    if let Some(keep) = session.intake.write_now() {
                        self.worker.send(keep);
                    }
                    self.reopen_after_unlock = (session.screen == Screen::Intake)
                        .then(|| session.intake.draft_to_reopen())
                        .flatten();
                }
                self.phase = Phase::Locked(UnlockScreen::default());
            }
            self.worker.send(command);
        }
    }

    fn on_reply(&mut self, reply: Reply) {
        match reply {
            Reply::Ready { profile_exists } => {
                self.phase = if profile_exists {
                    Phase::Locked(UnlockScreen::default())
                } else {
                    Phase::Setup(SetupScreen::default())
                };
                // The demo opens straight onto its fictional records.
                if let Some(demo) = &self.demo
                    && let Phase::Locked(screen) = &mut self.phase
                {
                    screen.busy = true;
                    self.commands
                        .push(Command::Unlock(shared::crypto::Passphrase::new(
                            demo.passphrase.clone(),
                        )));
                }
            }
            Reply::Unlocked(author) => {
                let mut session = Session::new(author, &self.catalogue, self.demo.as_ref());
                session.start(&mut self.commands, self.reopen_after_unlock.take());
                self.phase = Phase::Unlocked(Box::new(session));
            }
            Reply::UnlockFailed(failure) => {
                if let Phase::Locked(screen) = &mut self.phase {
                    screen.failed(failure);
                }
            }
            Reply::Locked => {
                if !matches!(self.phase, Phase::Locked(_)) {
                    self.phase = Phase::Locked(UnlockScreen::default());
                }
            }
            Reply::Failed(message) => match &mut self.phase {
                Phase::Setup(screen) => screen.failed(message),
                Phase::Unlocked(session) => {
                    session.on_reply(Reply::Failed(message), &mut self.commands);
                }
                _ => {}
            },
            reply => {
                if let Phase::Unlocked(session) = &mut self.phase {
                    session.on_reply(reply, &mut self.commands);
                }
            }
        }
    }

    fn idle_lock(&mut self, ui: &egui::Ui) {
        let (now, active) = ui.input(|i| {
            (
                i.time,
                !i.events.is_empty() || i.pointer.is_moving() || i.pointer.any_down(),
            )
        });
        if active || self.last_activity == 0.0 {
            self.last_activity = now;
        }
        let idle_limit = f64::from(self.settings.idle_lock_minutes) * 60.0;
        if matches!(self.phase, Phase::Unlocked(_))
            && self.settings.idle_lock_minutes > 0
            && now - self.last_activity > idle_limit
        {
            self.commands.push(Command::Lock);
        }
    }

    fn shortcuts(&mut self, ui: &egui::Ui) {
        let Phase::Unlocked(session) = &mut self.phase else {
            return;
        };
        let pressed = |shortcut: &KeyboardShortcut| ui.input_mut(|i| i.consume_shortcut(shortcut));
        if pressed(&SHORTCUT_LOCK) {
            self.commands.push(Command::Lock);
        } else if pressed(&SHORTCUT_NEW) {
            session.new_intake(&mut self.commands);
        } else if pressed(&SHORTCUT_FIND) {
            session.go(Screen::Find, &mut self.commands);
            session.find.focus_search = true;
        }
    }
}

impl eframe::App for OutreachApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.close();
    }
}

/// How the window starts.
#[derive(Debug)]
pub struct Launch {
    /// The profile.
    pub profile: ProfileConfig,
    /// UI settings.
    pub settings: UiSettings,
    /// Demo mode: the banner, and the embedded node kept alive while the window is open.
    #[cfg(feature = "demo")]
    pub demo: Option<demo::Demo>,
    /// Save screenshots of each main screen to this directory, then close (demo only).
    #[cfg(feature = "demo")]
    pub screenshot_tour: Option<std::path::PathBuf>,
}

/// Opens the window and runs until it is closed.
pub fn run(launch: Launch) -> Result<(), GuiError> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Outreach Kit")
            .with_inner_size([1366.0, 768.0])
            .with_min_inner_size([800.0, 560.0]),
        ..Default::default()
    };
    let Launch {
        profile,
        settings,
        #[cfg(feature = "demo")]
        demo,
        #[cfg(feature = "demo")]
        screenshot_tour,
    } = launch;
    eframe::run_native(
        "Outreach Kit",
        options,
        Box::new(move |creation| {
            let context = creation.egui_ctx.clone();
            let wake: Arc<dyn Fn() + Send + Sync> = Arc::new(move || context.request_repaint());
            #[cfg_attr(not(feature = "demo"), allow(unused_mut))]
            let mut app = OutreachApp::new(profile, settings, wake)
                .map_err(|e| Box::new(e) as Box<dyn std::error::Error + Send + Sync>)?;
            #[cfg(feature = "demo")]
            if let Some(demo) = demo {
                app.set_demo(demo.info.clone());
                // The node lives as long as the window.
                return Ok(Box::new(DemoApp {
                    app,
                    _demo: demo,
                    tour: screenshot_tour.map(tour::Tour::new),
                }));
            }
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| GuiError::Window(e.to_string()))
}

#[cfg(feature = "demo")]
struct DemoApp {
    app: OutreachApp,
    _demo: demo::Demo,
    tour: Option<tour::Tour>,
}

#[cfg(feature = "demo")]
impl eframe::App for DemoApp {
    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        self.app.ui(ui, frame);
        if let Some(tour) = &mut self.tour {
            tour.after_frame(&mut self.app, ui.ctx());
        }
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.app.close();
    }
}

/// The app's platform directories (XDG on Linux, Known Folders on Windows, the standard ones on
/// macOS); `None` when the system names no home directory.
pub(crate) fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "outreach-kit")
}

/// The default profile directory: the platform's data directory for the app + `profile`
/// (`$XDG_DATA_HOME/outreach-kit/profile` or `~/.local/share/outreach-kit/profile` on Linux).
/// `None` without a home directory: there is deliberately no fallback to a temp dir.
#[must_use]
pub fn default_profile_dir() -> Option<std::path::PathBuf> {
    project_dirs().map(|dirs| dirs.data_dir().join("profile"))
}
