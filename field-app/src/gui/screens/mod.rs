//! The screens. Each owns its UI state, draws itself from that state and what the worker last
//! reported, and pushes [`Command`]s; none does I/O.

mod detail;
mod find;
mod home;
mod intake;
mod office;
mod record_words;
mod settings;
mod setup;
mod sorting;
mod sync;
mod unlock;

use shared::ids::CommunityCode;
use shared::time::Timestamp;
use shared::{Author, Catalogue};

pub(crate) use detail::access_words;
pub(crate) use find::FindScreen;
pub(crate) use home::describe_time;
pub(crate) use intake::IntakeScreen;
pub(crate) use intake::{program_status_id, urgency_id};
pub(crate) use record_words::disclosure_in_words;
pub(crate) use setup::SetupScreen;
pub(crate) use unlock::UnlockScreen;

use super::i18n::{I18n, Language};
use super::settings::UiSettings;
use super::worker::{Command, Reply, Status};
use crate::storage::DraftId;

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
    /// The office's queues (office devices only).
    Office,
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
    office: office::OfficeScreen,
    message: Option<Message>,
    /// The draft whose Discard was clicked once (a second click confirms).
    confirm_discard: Option<DraftId>,
}

/// The line at the bottom of the window.
enum Message {
    /// A record was saved.
    Saved,
    /// The form that was open was kept as a draft (listed on Home).
    KeptAsDraft,
    /// Held changes went back to the outbox.
    Resent(u64),
    /// An office decision was written.
    Decided(crate::gui::office::Decided),
    /// Something failed (plain words, no client data).
    Failed(String),
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
            office: office::OfficeScreen::default(),
            message: None,
            confirm_discard: None,
        }
    }

    /// First requests after unlocking; `reopen` is the draft that was in the form at the lock.
    pub(crate) fn start(&mut self, commands: &mut Vec<Command>, reopen: Option<DraftId>) {
        self.refresh(commands);
        if let Some(draft) = reopen {
            commands.push(Command::OpenDraft(draft));
        }
    }

    /// A new intake form. The one open, if anything was typed in it, stays a draft on Home.
    pub(crate) fn new_intake(&mut self, commands: &mut Vec<Command>) {
        self.message = self
            .intake
            .has_unsaved_typing()
            .then_some(Message::KeptAsDraft);
        self.intake.reset(self.visit.community.clone(), commands);
        self.go(Screen::Intake, commands);
    }

    /// The draft write due this frame (any screen: leaving the form writes at once). Runs
    /// after the screens drew, so the keystroke of this frame is observed in this frame.
    pub(crate) fn keep_draft(&mut self, ui: &egui::Ui, commands: &mut Vec<Command>) {
        let (now, had_input) = ui.input(|i| (i.time, !i.events.is_empty()));
        // A form not drawn this frame cannot have changed: the frame that left it observed it.
        let away = self.screen != Screen::Intake;
        commands.extend(self.intake.keep(now, had_input && !away, away));
        if self.intake.write_pending() {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_secs_f64(0.1));
        }
    }

    fn refresh(&self, commands: &mut Vec<Command>) {
        commands.push(Command::Refresh {
            visit_started: self.visit.started,
        });
    }

    pub(crate) fn is_waiting(&self) -> bool {
        self.intake.saving
            || self.find.searching
            || self.detail.loading
            || self.sync.running
            || self.office.loading
    }

    pub(crate) fn go(&mut self, screen: Screen, commands: &mut Vec<Command>) {
        if screen == Screen::Find && self.screen != Screen::Find {
            self.find.request(commands);
            // Whoever opens Find (menu, Back, Ctrl+F) types a name next: the cursor is there.
            self.find.focus_search = true;
        }
        if matches!(screen, Screen::Home | Screen::Sync) {
            self.refresh(commands);
        }
        if screen == Screen::Office {
            self.office.request(commands);
        }
        self.screen = screen;
    }

    pub(crate) fn on_reply(&mut self, reply: Reply, commands: &mut Vec<Command>) {
        match reply {
            Reply::Saved { id, .. } => {
                self.intake.start_blank(self.visit.community.clone());
                self.message = Some(Message::Saved);
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
                held,
                total,
            } => self.find.found(generation, rows, not_synced, held, total),
            Reply::Resent(count) => {
                self.message = Some(Message::Resent(count));
                self.refresh(commands);
                self.find.request(commands);
                if let Some(id) = self.detail.record() {
                    commands.push(Command::Open(id));
                }
            }
            Reply::Matches { generation, rows } => self.intake.matches(generation, rows),
            Reply::Opened(opened) => {
                if self.edit_when_opened.take() == Some(opened.client.id) {
                    // Through the record, so the form gets its conflict marks in words.
                    self.detail.opened(*opened);
                    self.detail.edit_at_once = true;
                    self.screen = Screen::Detail;
                } else {
                    if matches!(
                        self.screen,
                        Screen::Find | Screen::Home | Screen::Sync | Screen::Office
                    ) {
                        self.detail.came_from = Some(self.screen);
                    }
                    // Opened from the review queue, or on from a record opened from it: the
                    // queue's next record is offered, so the office reads one after another.
                    let reviewing = match self.screen {
                        Screen::Office => true,
                        Screen::Detail => self.detail.came_from == Some(Screen::Office),
                        _ => false,
                    };
                    self.detail.next_to_review = reviewing
                        .then(|| self.office.next_to_review(opened.client.id))
                        .flatten();
                    self.detail.opened(*opened);
                    self.screen = Screen::Detail;
                }
            }
            Reply::DraftOpened(draft) => match self.intake.reopen(&draft, commands) {
                Ok(()) => self.screen = Screen::Intake,
                Err(unreadable) => self.message = Some(Message::Failed(unreadable.to_string())),
            },
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
                self.message = Some(Message::Failed(message.clone()));
                self.sync.failed(message);
            }
            Reply::Printed { path, opened } => self.detail.printed(path, opened),
            Reply::Office(crate::gui::office::OfficeData::RecordRegister(register)) => {
                self.detail.register_received(*register);
            }
            Reply::Office(data) => self.office.received(data),
            Reply::Decided(done) => {
                self.message = Some(Message::Decided(done));
                self.refresh(commands);
                self.find.request(commands);
                match self.screen {
                    Screen::Office => self.office.decided(done, commands),
                    // An unmerge from a record's screen: show it as it is now.
                    Screen::Detail => {
                        if let Some(id) = self.detail.record() {
                            commands.push(Command::Open(id));
                        }
                    }
                    _ => {}
                }
            }
            Reply::Failed(message) => {
                self.intake.saving = false;
                self.detail.loading = false;
                self.office.failed();
                self.message = Some(Message::Failed(message));
            }
            Reply::Ready { .. } | Reply::Unlocked(_) | Reply::UnlockFailed(_) | Reply::Locked => {}
        }
    }

    pub(crate) fn show(&mut self, ui: &mut egui::Ui, ctx: &mut ViewCtx<'_>) {
        egui::Panel::top("navigation").show(ui, |ui| {
            ui.horizontal_wrapped(|ui| self.navigation(ui, ctx));
        });
        if let Some(message) = &self.message {
            let (text, is_error) = match message {
                Message::Failed(detail) => (
                    ctx.i18n
                        .t_args("error-generic", &[("detail", detail.clone().into())]),
                    true,
                ),
                Message::Saved => (ctx.i18n.t("intake-saved"), false),
                Message::KeptAsDraft => (ctx.i18n.t("draft-kept"), false),
                Message::Resent(count) => (
                    ctx.i18n
                        .t_args("held-resent", &[("count", (*count).into())]),
                    false,
                ),
                Message::Decided(done) => (decided_words(ctx.i18n, *done), false),
            };
            let mut dismiss = false;
            // "Not the same person" hides the pair for good: a wrong click is taken back here.
            let undoable = match message {
                Message::Decided(crate::gui::office::Decided::NotSame(a, b)) => Some((*a, *b)),
                _ => None,
            };
            egui::Panel::bottom("message").show(ui, |ui| {
                ui.horizontal(|ui| {
                    if is_error {
                        ui.colored_label(ui.visuals().error_fg_color, text);
                    } else {
                        ui.label(text);
                    }
                    if let Some((a, b)) = undoable
                        && ui.button(ctx.i18n.t("action-undo")).clicked()
                    {
                        ctx.commands.push(Command::Decide(
                            crate::gui::office::Decision::UndoNotSame(a, b),
                        ));
                    }
                    dismiss = ui.button(ctx.i18n.t("action-dismiss")).clicked();
                });
            });
            if dismiss {
                self.message = None;
            }
        }
        egui::CentralPanel::default().show(ui, |ui| match self.screen {
            Screen::Home => {
                let shown = home::Shown {
                    visit: &mut self.visit,
                    status: &self.status,
                    confirm_discard: &mut self.confirm_discard,
                    form_draft: self.intake.draft_to_reopen(),
                };
                if let Some(step) = home::show(ui, ctx, shown) {
                    self.home_step(step, ctx.commands);
                }
            }
            Screen::Intake => self.intake.show(ui, ctx, &self.visit, self.author),
            Screen::Find => self.find.show(ui, ctx),
            Screen::Detail => match self.detail.show(ui, ctx) {
                Some(detail::DetailStep::Edit(client, marks)) => {
                    self.intake.edit(*client, marks, ctx.commands);
                    self.screen = Screen::Intake;
                }
                Some(detail::DetailStep::Back(screen)) => self.go(screen, ctx.commands),
                None => {}
            },
            Screen::Sync => self.sync.show(ui, ctx, &self.status),
            Screen::Settings => settings::show(ui, ctx),
            Screen::Office => self.office.show(ui, ctx, self.author),
            Screen::Setup | Screen::Unlock => {}
        });
        // "Saved" is about the last save: it does not stand beside problems of the next one.
        if matches!(self.message, Some(Message::Saved))
            && self.screen == Screen::Intake
            && self.intake.shows_problems()
        {
            self.message = None;
        }
        // After drawing: this frame's keystrokes are in the form now.
        self.keep_draft(ui, ctx.commands);
    }

    fn home_step(&mut self, step: home::Step, commands: &mut Vec<Command>) {
        match step {
            home::Step::NewIntake => self.new_intake(commands),
            home::Step::CommunityChanged => {
                self.visit.started = Timestamp::now();
                // A form with typing keeps its community; an empty one takes the new visit's.
                if !self.intake.has_unsaved_typing() {
                    self.intake.start_blank(self.visit.community.clone());
                }
            }
            home::Step::DueFollowUps => {
                self.find.show_due_follow_ups();
                self.go(Screen::Find, commands);
            }
            home::Step::Resume(id) => {
                if self.intake.draft_to_reopen() == Some(id) {
                    self.screen = Screen::Intake;
                } else {
                    commands.push(Command::OpenDraft(id));
                }
            }
            home::Step::Discard(id) => {
                if self.intake.draft_to_reopen() == Some(id) {
                    self.intake.start_blank(self.visit.community.clone());
                }
                commands.push(Command::DiscardDraft(id));
                self.status.drafts.retain(|d| d.id != id);
                self.refresh(commands);
            }
        }
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
        let office = self.status.office.then_some((Screen::Office, "nav-office"));
        for (screen, id) in entries.into_iter().chain(office) {
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
                    self.new_intake(ctx.commands);
                } else {
                    self.go(screen, ctx.commands);
                }
            }
        }
        // The form left for another screen is one click away (it is also a draft on Home).
        if self.screen != Screen::Intake
            && self.intake.has_unsaved_typing()
            && ui.button(i18n.t("nav-back-to-form")).clicked()
        {
            self.screen = Screen::Intake;
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
        if self.status.held_changes > 0 {
            // Refused changes are not "synced": say so where the sync state is shown.
            ui.colored_label(
                ui.visuals().warn_fg_color,
                i18n.t_args("status-held", &[("count", self.status.held_changes.into())]),
            );
        }
    }
}

/// An office decision, said on the message line.
fn decided_words(i18n: &I18n, done: crate::gui::office::Decided) -> String {
    use crate::gui::office::Decided as D;
    match done {
        D::Merged(_) => i18n.t("office-merged"),
        D::NotSame(..) => i18n.t("office-marked-not-same"),
        D::NotSameUndone(..) => i18n.t("office-not-same-undone"),
        D::Unmerged => i18n.t("office-unmerged"),
        D::Reviewed(count) => i18n.t_args("office-reviewed", &[("count", count.into())]),
        D::Settled(true) => i18n.t("office-settled"),
        D::Settled(false) => i18n.t("office-settled-meanwhile"),
    }
}

/// An intake form left half-typed, for the demo (so Home shows an open draft).
#[cfg(feature = "demo")]
pub(crate) fn demo_draft(community: &str) -> crate::storage::StoredDraft {
    intake::IntakeScreen::demo_draft(CommunityCode::new(community))
}

/// A row with the UI language picker, for the screens before unlocking.
pub(crate) fn language_picker_row(ui: &mut egui::Ui, i18n: &I18n) -> Option<Language> {
    let mut chosen = None;
    egui::Panel::top("language-row").show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.label(i18n.t("settings-language"));
            for language in Language::ALL {
                if ui
                    .selectable_label(i18n.language() == language, language.picker_name())
                    .clicked()
                {
                    chosen = Some(language);
                }
            }
        });
    });
    chosen
}
