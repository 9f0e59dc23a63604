//! The intake form: every field of the model, household members, programs (a life event
//! proposes its bundle), consent per partner, referrals, follow-ups, notes and satisfaction;
//! validation inline in the UI language; a "possible existing client" warning while typing.

mod draft;
mod keep;
mod sections;

use std::collections::BTreeMap;

use shared::Author;
use shared::ids::CommunityCode;
use shared::model::{ValidationCode, ValidationError, validate_client};
use shared::time::{CalendarDate, Timestamp};

pub(crate) use draft::Draft;
use draft::Gender;
pub(crate) use sections::{program_status_id, referral_status_id, urgency_id};

use super::{ViewCtx, Visit};
use crate::ClientSummary;
use crate::gui::widgets;
use crate::gui::worker::Command;
use crate::storage::{DraftId, StoredDraft};
pub(crate) use keep::Unreadable;

pub(crate) struct IntakeScreen {
    draft: Draft,
    forms: sections::Forms,
    /// The form's draft in the store: what was written, what waits.
    keeper: keep::Keeper,
    errors: BTreeMap<String, ValidationCode>,
    attempted: bool,
    pub saving: bool,
    match_text: String,
    match_generation: u64,
    matches: Vec<ClientSummary>,
    link_text: String,
    link_generation: u64,
    link_candidates: Vec<ClientSummary>,
    focus_first: bool,
    /// Sections with a sub-form filled in but not added, found at the last Save.
    unconfirmed: Vec<&'static str>,
    /// The section to scroll to this frame (chosen in the section list).
    jump: Option<&'static str>,
}

/// The form's sections, in order, by their message ids (the section list jumps to them).
const SECTIONS: [&str; 8] = [
    "section-identity",
    "section-languages",
    "section-household",
    "section-programs",
    "section-consent",
    "section-referrals",
    "section-follow-ups",
    "section-notes",
];

impl IntakeScreen {
    pub(crate) fn new(community: Option<CommunityCode>) -> Self {
        Self::with(Draft::new(community), sections::Forms::default(), None)
    }

    fn with(draft: Draft, forms: sections::Forms, stored: Option<&StoredDraft>) -> Self {
        let keeper = match stored {
            Some(stored) => keep::Keeper::opened(stored, &draft, &forms),
            None => keep::Keeper::new(DraftId::random(), &draft, &forms),
        };
        Self {
            match_text: if stored.is_some() {
                String::new()
            } else {
                draft.match_text()
            },
            draft,
            forms,
            keeper,
            errors: BTreeMap::new(),
            attempted: false,
            saving: false,
            match_generation: 0,
            matches: Vec::new(),
            link_text: String::new(),
            link_generation: LINK_GENERATIONS,
            link_candidates: Vec::new(),
            focus_first: true,
            unconfirmed: Vec::new(),
            jump: None,
        }
    }

    /// Whether the form edits a stored record (rather than a new intake).
    pub(crate) fn is_editing(&self) -> bool {
        self.draft.base.is_some()
    }

    /// A half-typed new intake, as the demo seeds it.
    #[cfg(feature = "demo")]
    pub(crate) fn demo_draft(community: CommunityCode) -> StoredDraft {
        let mut form = Self::new(Some(community));
        form.draft.given = "Leesee".into();
        form.draft.family = "Ishulutak (DEMO)".into();
        form.draft.birth_year = "1988".into();
        form.forms
            .set_demo_follow_up("Bring the record of employment");
        form.keeper.observe(&form.draft, &form.forms, 0.0);
        form.keeper
            .due(&form.draft, f64::INFINITY, true)
            .unwrap_or_else(|| unreachable!("a changed form is due when urgent"))
    }

    /// Whether the form holds typing not saved as a record (kept as a draft, or about to be).
    pub(crate) fn has_unsaved_typing(&self) -> bool {
        self.keeper.stored || self.keeper.is_dirty()
    }

    /// The draft to reopen after unlocking, when the form was showing at the lock.
    pub(crate) fn draft_to_reopen(&self) -> Option<DraftId> {
        self.has_unsaved_typing().then_some(self.keeper.id)
    }

    /// An empty form (new intake). The form it replaces is written first: it stays a draft.
    pub(crate) fn reset(&mut self, community: Option<CommunityCode>, commands: &mut Vec<Command>) {
        self.replace(Self::new(community), commands);
    }

    /// The form filled with a stored record, for editing (the form it replaces stays a draft);
    /// `marks` are its fields with concurrent values, each value in words.
    pub(crate) fn edit(
        &mut self,
        client: shared::Client,
        marks: Vec<(String, Vec<String>)>,
        commands: &mut Vec<Command>,
    ) {
        let mut draft = Draft::from_client(client);
        draft.conflict_marks = marks;
        self.replace(
            Self::with(draft, sections::Forms::default(), None),
            commands,
        );
    }

    /// The form as a stored draft left it (the form it replaces stays a draft).
    pub(crate) fn reopen(
        &mut self,
        stored: &StoredDraft,
        commands: &mut Vec<Command>,
    ) -> Result<(), Unreadable> {
        let (draft, forms) = keep::decode(&stored.body)?;
        self.replace(Self::with(draft, forms, Some(stored)), commands);
        Ok(())
    }

    fn replace(&mut self, next: Self, commands: &mut Vec<Command>) {
        commands.extend(self.write_now());
        *self = next;
    }

    /// A fresh form, dropping this one unwritten: after its records were saved (the draft
    /// ended in the same transaction), when it was discarded, or when nothing was typed.
    pub(crate) fn start_blank(&mut self, community: Option<CommunityCode>) {
        *self = Self::new(community);
    }

    /// Writes the draft now if anything waits (before the form goes away or the app locks).
    pub(crate) fn write_now(&mut self) -> Option<Command> {
        self.keep(f64::INFINITY, true, true)
    }

    /// The draft write due this frame, if any: `now` is UI time in seconds, `observe` whether
    /// the form may have changed (input reached it this frame: nothing else changes it),
    /// `urgent` whether to skip the debounce.
    pub(crate) fn keep(&mut self, now: f64, observe: bool, urgent: bool) -> Option<Command> {
        if self.saving {
            // The save ends this draft; a write now would bring it back.
            return None;
        }
        if observe {
            self.keeper.observe(&self.draft, &self.forms, now);
        }
        self.keeper
            .due(&self.draft, now, urgent)
            .map(Command::KeepDraft)
    }

    /// Whether the last Save attempt found problems still shown.
    pub(crate) fn shows_problems(&self) -> bool {
        self.attempted && (!self.errors.is_empty() || !self.unconfirmed.is_empty())
    }

    /// Whether a draft write waits for a pause in typing (the UI repaints to write it).
    pub(crate) fn write_pending(&self) -> bool {
        self.keeper.is_dirty()
    }

    pub(crate) fn refused(&mut self, errors: Vec<ValidationError>) {
        self.saving = false;
        self.attempted = true;
        self.errors = errors.into_iter().map(|e| (e.field, e.code)).collect();
    }

    pub(crate) fn matches(&mut self, generation: u64, rows: Vec<ClientSummary>) {
        if generation == self.match_generation {
            self.matches = rows;
        } else if generation == self.link_generation {
            self.link_candidates = rows;
        }
    }

    fn error_text(&self, ctx: &ViewCtx<'_>, field: &str) -> Option<String> {
        let code = self.errors.get(field)?;
        (self.attempted || *code != ValidationCode::Required).then(|| ctx.i18n.t(code.message_id()))
    }

    fn validate(
        &mut self,
        ctx: &ViewCtx<'_>,
        author: Author,
        site: &str,
    ) -> Option<Vec<shared::Client>> {
        let today = CalendarDate::today_utc();
        match self.draft.to_clients(author, Timestamp::now(), site) {
            Ok(clients) => {
                self.errors = clients
                    .iter()
                    .enumerate()
                    .filter_map(|(i, c)| {
                        validate_client(c, ctx.catalogue, today)
                            .err()
                            .map(|e| (i, e))
                    })
                    .flat_map(|(i, errors)| {
                        errors.into_iter().map(move |e| {
                            let field = if i == 0 {
                                e.field
                            } else {
                                format!("household.{}", e.field)
                            };
                            (field, e.code)
                        })
                    })
                    .collect();
                Some(clients)
            }
            Err(field) => {
                self.errors = BTreeMap::from([(field.to_owned(), ValidationCode::InvalidDate)]);
                None
            }
        }
    }

    pub(crate) fn show(
        &mut self,
        ui: &mut egui::Ui,
        ctx: &mut ViewCtx<'_>,
        visit: &Visit,
        author: Author,
    ) {
        let clients = self.validate(ctx, author, &visit.site);
        let wants_save = ui.input_mut(|i| i.consume_shortcut(&crate::gui::SHORTCUT_SAVE));
        let i18n = ctx.i18n;
        ui.horizontal(|ui| {
            ui.heading(i18n.t(if self.draft.base.is_some() {
                "intake-edit-title"
            } else {
                "intake-title"
            }));
            ui.add_space(16.0);
            let save = ui.add_enabled(!self.saving, egui::Button::new(i18n.t("intake-save")));
            if save.clicked() || wants_save {
                self.attempted = true;
                self.unconfirmed = self.forms.unconfirmed();
                if let Some(clients) = &clients
                    && self.errors.is_empty()
                    && self.unconfirmed.is_empty()
                {
                    let reciprocal = clients
                        .first()
                        .map(|c| self.draft.reciprocal_links(c.id))
                        .unwrap_or_default();
                    // What the save stores is what the form shows: the draft ends with it.
                    ctx.commands.extend(self.write_now());
                    self.saving = true;
                    ctx.commands.push(Command::Save {
                        clients: clients.clone(),
                        reciprocal,
                        draft: self.keeper.id,
                    });
                }
            }
            if self.saving {
                ui.spinner();
            }
            if !self.unconfirmed.is_empty() {
                let sections: Vec<String> = self.unconfirmed.iter().map(|id| i18n.t(id)).collect();
                ui.colored_label(
                    ui.visuals().error_fg_color,
                    i18n.t_args(
                        "intake-unconfirmed",
                        &[("sections", sections.join(", ").into())],
                    ),
                );
            }
            if self.attempted && !self.errors.is_empty() {
                ui.colored_label(
                    ui.visuals().error_fg_color,
                    i18n.t_args("intake-problems", &[("count", self.errors.len().into())]),
                );
            }
        });
        // At 150 % only a part of the form fits: the section list jumps to each part.
        ui.horizontal_wrapped(|ui| {
            ui.label(i18n.t("intake-sections"));
            for id in SECTIONS {
                if ui.small_button(i18n.t(id)).clicked() {
                    self.jump = Some(id);
                }
            }
        });
        ui.separator();
        let jump = self.jump.take();
        let anchor = |ui: &mut egui::Ui, id: &str| {
            let here = ui.allocate_response(egui::Vec2::ZERO, egui::Sense::hover());
            if jump == Some(id) {
                here.scroll_to_me(Some(egui::Align::TOP));
            }
        };
        egui::ScrollArea::vertical()
            .id_salt("intake_form_scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                self.conflict_marks(ui, ctx);
                anchor(ui, "section-identity");
                self.identity(ui, ctx);
                // Below the identity block, never above it: a panel that appears while a name
                // is typed must not move (or re-number) the field being typed in.
                self.possible_matches(ui, ctx);
                ui.separator();
                anchor(ui, "section-languages");
                self.languages(ui, ctx);
                ui.separator();
                anchor(ui, "section-household");
                sections::household(
                    ui,
                    ctx,
                    &mut self.draft,
                    &self.link_candidates,
                    &self.errors,
                    self.attempted,
                );
                ui.separator();
                anchor(ui, "section-programs");
                sections::programs(ui, ctx, &mut self.draft, &mut self.forms);
                ui.separator();
                anchor(ui, "section-consent");
                sections::consent(ui, ctx, &mut self.draft, &mut self.forms, author);
                ui.separator();
                anchor(ui, "section-referrals");
                sections::referrals(ui, ctx, &mut self.draft, &mut self.forms);
                ui.separator();
                anchor(ui, "section-follow-ups");
                sections::follow_ups(ui, ctx, &mut self.draft, &mut self.forms);
                ui.separator();
                anchor(ui, "section-notes");
                sections::notes_and_satisfaction(ui, ctx, &mut self.draft);
                let leftovers: Vec<String> = self
                    .errors
                    .keys()
                    .filter(|f| !f.starts_with("identity.") && !f.starts_with("household"))
                    .filter_map(|f| self.error_text(ctx, f).map(|t| format!("{f}: {t}")))
                    .collect();
                for line in leftovers {
                    ui.colored_label(ui.visuals().error_fg_color, line);
                }
            });
        if self.draft.link_search != self.link_text {
            self.link_text.clone_from(&self.draft.link_search);
            self.link_generation += 1;
            self.link_candidates.clear();
            if self.link_text.chars().count() >= 2 {
                ctx.commands.push(Command::Matches {
                    generation: self.link_generation,
                    text: self.link_text.clone(),
                    exclude: self.draft.base.as_ref().map(|b| b.id),
                });
            }
        }
        let text = self.draft.match_text();
        if text != self.match_text {
            self.match_text.clone_from(&text);
            self.match_generation += 1;
            if text.chars().count() >= 3 {
                ctx.commands.push(Command::Matches {
                    generation: self.match_generation,
                    text,
                    exclude: self.draft.base.as_ref().map(|b| b.id),
                });
            } else {
                self.matches.clear();
            }
        }
    }

    /// Every field with concurrent values, with all of them: the form shows one, the office
    /// chooses (an edit here adds a value; it does not silently drop the others).
    fn conflict_marks(&self, ui: &mut egui::Ui, ctx: &ViewCtx<'_>) {
        if self.draft.conflict_marks.is_empty() {
            return;
        }
        let i18n = ctx.i18n;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.colored_label(ui.visuals().warn_fg_color, i18n.t("intake-conflicts"));
            for (path, values) in &self.draft.conflict_marks {
                ui.label(format!(
                    "(!) {}:",
                    super::record_words::field_label(i18n, path)
                ));
                for value in values {
                    ui.label(format!("    • {value}"));
                }
            }
        });
    }

    fn possible_matches(&mut self, ui: &mut egui::Ui, ctx: &mut ViewCtx<'_>) {
        if self.matches.is_empty() {
            return;
        }
        let i18n = ctx.i18n;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.colored_label(ui.visuals().warn_fg_color, i18n.t("intake-possible-match"));
            for row in &self.matches {
                ui.horizontal(|ui| {
                    ui.label(format!(
                        "{} · {} · {}",
                        row.display_name(),
                        row.date_of_birth.as_deref().unwrap_or("—"),
                        super::record_words::community_name(i18n, ctx.catalogue, &row.community)
                    ));
                    if ui.button(i18n.t("intake-open-match")).clicked() {
                        ctx.commands.push(Command::Open(row.id));
                    }
                });
            }
        });
    }

    fn identity(&mut self, ui: &mut egui::Ui, ctx: &mut ViewCtx<'_>) {
        let i18n = ctx.i18n;
        ui.strong(i18n.t("section-identity"));
        let errors: BTreeMap<&str, String> = [
            "identity.given_name",
            "identity.family_name",
            "identity.preferred_name",
            "identity.date_of_birth",
            "identity.community",
            "identity.identifiers.band_number",
            "identity.identifiers.sin_last3",
            "identity.identifiers.health_card_province",
        ]
        .into_iter()
        .filter_map(|f| self.error_text(ctx, f).map(|t| (f, t)))
        .collect();
        let marked: Vec<String> = self
            .draft
            .conflict_marks
            .iter()
            .map(|(path, _)| path.clone())
            .collect();
        let mark_text = i18n.t("intake-conflict-mark");
        let mark = |ui: &mut egui::Ui, path: &str| {
            if marked
                .iter()
                .any(|m| m == path || m.starts_with(&format!("{path}.")))
            {
                ui.label("");
                ui.colored_label(ui.visuals().warn_fg_color, format!("(!) {mark_text}"));
                ui.end_row();
            }
        };
        let draft = &mut self.draft;
        let focus_first = std::mem::take(&mut self.focus_first);
        egui::Grid::new("identity-grid")
            .num_columns(2)
            .show(ui, |ui| {
                let given = widgets::field(ui, &i18n.t("field-given-name"), &mut draft.given);
                if focus_first && draft.base.is_none() {
                    given.request_focus();
                }
                mark(ui, "identity.given_name");
                if let Some(e) = errors.get("identity.given_name") {
                    widgets::problem(ui, e);
                }
                widgets::field(ui, &i18n.t("field-family-name"), &mut draft.family);
                mark(ui, "identity.family_name");
                if let Some(e) = errors.get("identity.family_name") {
                    widgets::problem(ui, e);
                }
                widgets::field(ui, &i18n.t("field-preferred-name"), &mut draft.preferred);
                mark(ui, "identity.preferred_name");
                widgets::field(ui, &i18n.t("field-other-names"), &mut draft.other_names);
                mark(ui, "identity.other_names");
                widgets::field(ui, &i18n.t("field-birth-year"), &mut draft.birth_year);
                widgets::field(ui, &i18n.t("field-birth-month"), &mut draft.birth_month);
                widgets::field(ui, &i18n.t("field-birth-day"), &mut draft.birth_day);
                ui.label("");
                ui.checkbox(
                    &mut draft.birth_approximate,
                    i18n.t("field-birth-approximate"),
                );
                ui.end_row();
                mark(ui, "identity.date_of_birth");
                if let Some(e) = errors.get("identity.date_of_birth") {
                    widgets::problem(ui, e);
                }
                let genders = [
                    (Gender::Unset, i18n.t("gender-unset")),
                    (Gender::Female, i18n.t("gender-female")),
                    (Gender::Male, i18n.t("gender-male")),
                    (Gender::TwoSpirit, i18n.t("gender-two-spirit")),
                    (Gender::Another, i18n.t("gender-another")),
                    (Gender::PreferNotToSay, i18n.t("gender-prefer-not")),
                ];
                widgets::choice(ui, &i18n.t("field-gender"), &mut draft.gender, &genders);
                if draft.gender == Gender::Another {
                    widgets::field(ui, &i18n.t("field-gender-words"), &mut draft.gender_other);
                }
                let language = i18n.language().code();
                let communities = widgets::catalogue_choices(
                    ctx.catalogue.communities.iter().map(|c| (&c.code, &c.name)),
                    language,
                    None,
                );
                widgets::choice(
                    ui,
                    &i18n.t("field-community"),
                    &mut draft.community,
                    &communities,
                );
                mark(ui, "identity.community");
                if let Some(e) = errors.get("identity.community") {
                    widgets::problem(ui, e);
                }
                widgets::field(ui, &i18n.t("field-band-number"), &mut draft.band_number);
                mark(ui, "identity.identifiers.band_number");
                if let Some(e) = errors.get("identity.identifiers.band_number") {
                    widgets::problem(ui, e);
                }
                widgets::field(ui, &i18n.t("field-sin-last3"), &mut draft.sin_last3);
                mark(ui, "identity.identifiers.sin_last3");
                if let Some(e) = errors.get("identity.identifiers.sin_last3") {
                    widgets::problem(ui, e);
                }
                widgets::field(
                    ui,
                    &i18n.t("field-health-card-province"),
                    &mut draft.health_card_province,
                );
                if let Some(e) = errors.get("identity.identifiers.health_card_province") {
                    widgets::problem(ui, e);
                }
                widgets::field(ui, &i18n.t("field-phone"), &mut draft.phone);
                mark(ui, "identity.contact.phone");
                widgets::field(ui, &i18n.t("field-address"), &mut draft.address);
                mark(ui, "identity.contact.mailing_address");
                ui.label("");
                ui.checkbox(
                    &mut draft.through_band_office,
                    i18n.t("field-through-band-office"),
                );
                ui.end_row();
            });
    }

    fn languages(&mut self, ui: &mut egui::Ui, ctx: &mut ViewCtx<'_>) {
        let i18n = ctx.i18n;
        let draft = &mut self.draft;
        ui.strong(i18n.t("section-languages"));
        ui.horizontal_wrapped(|ui| {
            ui.label(i18n.t("field-spoken"));
            for (code, id) in SPOKEN_LANGUAGES {
                let mut on = draft.spoken.iter().any(|s| s == code);
                if ui.checkbox(&mut on, i18n.t(id)).changed() {
                    if on {
                        draft.spoken.push(code.to_owned());
                    } else {
                        draft.spoken.retain(|s| s != code);
                    }
                }
            }
        });
        egui::Grid::new("languages-grid")
            .num_columns(2)
            .show(ui, |ui| {
                let mut choices = vec![(None, i18n.t("choice-none"))];
                choices.extend(
                    SPOKEN_LANGUAGES
                        .iter()
                        .map(|(code, id)| (Some((*code).to_owned()), i18n.t(id))),
                );
                widgets::choice(
                    ui,
                    &i18n.t("field-preferred-language"),
                    &mut draft.preferred_language,
                    &choices,
                );
                ui.label("");
                ui.checkbox(
                    &mut draft.interpreter_needed,
                    i18n.t("field-interpreter-needed"),
                );
                ui.end_row();
                if draft.interpreter_needed {
                    widgets::field(
                        ui,
                        &i18n.t("field-interpreted-by"),
                        &mut draft.interpreted_by,
                    );
                }
            });
    }
}

/// Link searches count from here, so their answers are never taken for duplicate checks.
const LINK_GENERATIONS: u64 = 1 << 40;

/// Languages the form offers, with their message ids.
pub(crate) const SPOKEN_LANGUAGES: [(&str, &str); 6] = [
    ("en", "language-en"),
    ("fr", "language-fr"),
    ("iu", "language-iu"),
    ("cr", "language-cr"),
    ("oj", "language-oj"),
    ("den", "language-den"),
];
