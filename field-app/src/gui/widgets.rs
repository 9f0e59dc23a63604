//! Small building blocks every screen uses: a labelled text field (the label is tied to the
//! field for screen readers and tests), a labelled combo box, and the validation message.

use egui::{Response, Ui};

/// A text field with its label on the left; the label names the field for AccessKit.
pub(crate) fn field(ui: &mut Ui, label: &str, value: &mut String) -> Response {
    let name = ui.label(label);
    let response = ui
        .add(egui::TextEdit::singleline(value).desired_width(260.0))
        .labelled_by(name.id);
    ui.end_row();
    response
}

/// A password field.
pub(crate) fn secret_field(ui: &mut Ui, label: &str, value: &mut String) -> Response {
    let name = ui.label(label);
    let response = ui
        .add(
            egui::TextEdit::singleline(value)
                .password(true)
                .desired_width(260.0),
        )
        .labelled_by(name.id);
    ui.end_row();
    response
}

/// A multi-line text field.
pub(crate) fn multiline(ui: &mut Ui, label: &str, value: &mut String) -> Response {
    let name = ui.label(label);
    let response = ui
        .add(
            egui::TextEdit::multiline(value)
                .desired_rows(3)
                .desired_width(420.0),
        )
        .labelled_by(name.id);
    ui.end_row();
    response
}

/// A combo box over `choices`, labelled for AccessKit. Returns true when the choice changed.
pub(crate) fn choice<T: Clone + PartialEq>(
    ui: &mut Ui,
    label: &str,
    value: &mut T,
    choices: &[(T, String)],
) -> bool {
    let name = ui.label(label);
    let selected = choices
        .iter()
        .find(|(v, _)| v == value)
        .map(|(_, text)| text.clone())
        .unwrap_or_default();
    let before = value.clone();
    // The combo's own id, as `ComboBox::from_id_salt` makes it (checked below).
    let button_id = ui.make_persistent_id(egui::IdSalt::new(label));
    let typed_id = button_id.with("typed-in-list");
    let narrows = choices.len() > NARROW_FROM;
    // Where egui's ComboBox keeps its list open (`ComboBox::widget_to_popup_id`).
    let popup_id = button_id.with("popup");
    if narrows && egui::Popup::is_id_open(ui.ctx(), popup_id) {
        // Enter takes the first option left, as a list that narrows while typing does. Read
        // before the combo is drawn: a combo with the focus (opened from the keyboard) takes
        // Enter as a click that closes the list.
        let typed: String = ui.data(|d| d.get_temp(typed_id)).unwrap_or_default();
        // A space between two words typed is a letter, not a click (its text still arrives).
        if !typed.is_empty() {
            ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Space));
        }
        if !typed.is_empty()
            && ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Enter))
        {
            let typed = Typed::new(&typed);
            if let Some((first, _)) = choices
                .iter()
                .find(|(_, text)| typed.starts_a_word_of(text))
            {
                *value = first.clone();
            }
            egui::Popup::close_id(ui.ctx(), popup_id);
        }
    }
    let shown = egui::ComboBox::from_id_salt(label)
        .selected_text(selected)
        .width(260.0)
        .show_ui(ui, |ui| {
            let typed = if narrows {
                typed_in_list(ui, typed_id)
            } else {
                String::new()
            };
            if !typed.is_empty() {
                ui.label(egui::RichText::new(format!("{typed}…")).strong());
            }
            let typed = Typed::new(&typed);
            for (option, text) in choices
                .iter()
                .filter(|(_, text)| typed.starts_a_word_of(text))
            {
                ui.selectable_value(value, option.clone(), text);
            }
        });
    debug_assert_eq!(
        shown.response.id, button_id,
        "egui changed how a combo's id is made"
    );
    if shown.inner.is_none() {
        ui.data_mut(|d| d.remove::<String>(typed_id));
    }
    let button = shown.response.labelled_by(name.id);
    // When its list closes (Escape, or a choice), the focus stays on this field: egui would
    // drop it, and the next Tab would start again at the top menu.
    let was_open_id = button.id.with("list-was-open");
    let open = shown.inner.is_some();
    let was_open = ui.data(|d| d.get_temp::<bool>(was_open_id).unwrap_or(false));
    ui.data_mut(|d| d.insert_temp(was_open_id, open));
    if was_open && !open {
        button.request_focus();
    }
    ui.end_row();
    *value != before
}

/// Lists longer than this (the catalogue's 142 communities) narrow as the person types while
/// the list is open: scrolling to Churchill is no way to choose it.
const NARROW_FROM: usize = 12;

/// Bytes kept of what is typed into an open list.
const MAX_TYPED_IN_LIST: usize = 64;

/// What was typed while a long list was open (Backspace takes a letter back), kept under `id`
/// until the list closes.
fn typed_in_list(ui: &Ui, id: egui::Id) -> String {
    let mut typed: String = ui.data(|d| d.get_temp(id)).unwrap_or_default();
    ui.input(|i| {
        for event in &i.events {
            match event {
                // A name is short; a key held down is not.
                egui::Event::Text(text) if typed.len() < MAX_TYPED_IN_LIST => typed.push_str(text),
                egui::Event::Key {
                    key: egui::Key::Backspace,
                    pressed: true,
                    ..
                } => {
                    typed.pop();
                }
                _ => {}
            }
        }
    });
    ui.data_mut(|d| d.insert_temp(id, typed.clone()));
    typed
}

/// A text read both ways: folded, and transliterated when it is in syllabics. Folding also turns
/// punctuation into single spaces: every word starts the text or follows a space.
fn readings(text: &str) -> impl Iterator<Item = String> {
    let folded = shared::text::fold(text);
    let roman = shared::text::transliterate_syllabics(&folded);
    std::iter::once(folded).chain(roman)
}

/// What was typed into an open list, read once for all its options (each frame the list is
/// open), each reading with the space that must come before it inside an option.
struct Typed(Vec<(String, String)>);

impl Typed {
    fn new(typed: &str) -> Self {
        Self(
            readings(typed)
                .filter(|reading| !reading.is_empty())
                .map(|reading| (format!(" {reading}"), reading))
                .collect(),
        )
    }

    /// Whether one of the words of `option` starts with what was typed (folded: "rankin" finds
    /// "Rankin Inlet", "inlet" finds it too, "gods" finds "God's Lake" and "Manto Sipi (God's
    /// River)"), in either script: "iqal" finds ᐃᖃᓗᐃᑦ where the list is in Inuktitut, typed on a
    /// roman keyboard. Nothing typed keeps every option.
    fn starts_a_word_of(&self, option: &str) -> bool {
        self.0.is_empty()
            || readings(option).any(|option| {
                self.0.iter().any(|(after_space, typed)| {
                    option.starts_with(typed.as_str()) || option.contains(after_space.as_str())
                })
            })
    }
}

/// [`Typed::starts_a_word_of`] for one option.
#[cfg(test)]
fn starts_a_word(option: &str, typed: &str) -> bool {
    Typed::new(typed).starts_a_word_of(option)
}

/// A validation message under a field, in the error colour.
pub(crate) fn problem(ui: &mut Ui, text: &str) {
    ui.label("");
    ui.colored_label(ui.visuals().error_fg_color, text);
    ui.end_row();
}

/// An upload budget in kB/s (0 = no limit), labelled for AccessKit. Powers of 1,000, like every
/// byte count the app shows ([`human_bytes`]) and like links are sold.
pub(crate) fn bandwidth(ui: &mut Ui, label: &str, budget: &mut Option<u64>) {
    let name = ui.label(label);
    let mut kilobytes = budget.map_or(0, |b| b / 1_000);
    if ui
        .add(
            egui::DragValue::new(&mut kilobytes)
                .range(0..=100_000)
                .suffix(" kB/s"),
        )
        .labelled_by(name.id)
        .changed()
    {
        *budget = (kilobytes > 0).then_some(kilobytes * 1_000);
    }
    ui.end_row();
}

/// Catalogue entries as combo choices, names in the UI language, led by `first` when given
/// (e.g. "(none)" or "all communities").
pub(crate) fn catalogue_choices<'a, T: Clone + 'a>(
    entries: impl IntoIterator<Item = (&'a T, &'a shared::catalogue::LocalizedText)>,
    language: &str,
    first: Option<String>,
) -> Vec<(Option<T>, String)> {
    first
        .map(|text| (None, text))
        .into_iter()
        .chain(entries.into_iter().map(|(code, name)| {
            (
                Some(code.clone()),
                shared::catalogue::localized(name, language).to_owned(),
            )
        }))
        .collect()
}

/// A byte count for people: `812 B`, `14.2 kB`, `3.1 MB` (SI: powers of 1,000, as links are
/// sold; the bandwidth budget uses the same units).
pub(crate) fn human_bytes(bytes: u64) -> String {
    #[allow(clippy::cast_precision_loss)] // display only
    let value = bytes as f64;
    if bytes < 1_000 {
        format!("{bytes} B")
    } else if bytes < 1_000_000 {
        format!("{:.1} kB", value / 1e3)
    } else {
        format!("{:.1} MB", value / 1e6)
    }
}

/// A date field that reads the formats people type (see `shared::typed_date`) and says below
/// it which date it understood, in words, or why it understood none. `None` while blank.
pub(crate) fn date_field(
    ui: &mut Ui,
    i18n: &crate::gui::i18n::I18n,
    label: &str,
    value: &mut String,
) -> Option<Result<shared::time::CalendarDate, shared::typed_date::TypedDateError>> {
    use shared::typed_date::{TypedDateError, parse_typed_date};
    field(ui, label, value);
    let read = match parse_typed_date(value) {
        Err(TypedDateError::Empty) => return None,
        read => read,
    };
    ui.label("");
    match &read {
        Ok(typed) => {
            ui.label(i18n.t_args(
                "date-understood",
                &[("date", date_in_words(i18n, typed.date).into())],
            ));
        }
        Err(TypedDateError::Ambiguous {
            day_first,
            month_first,
        }) => {
            ui.colored_label(
                ui.visuals().error_fg_color,
                i18n.t_args(
                    "date-ambiguous",
                    &[
                        ("first", date_in_words(i18n, *day_first).into()),
                        ("second", date_in_words(i18n, *month_first).into()),
                    ],
                ),
            );
        }
        Err(TypedDateError::ShortYear) => {
            ui.colored_label(ui.visuals().error_fg_color, i18n.t("date-short-year"));
        }
        Err(_) => {
            ui.colored_label(ui.visuals().error_fg_color, i18n.t("date-not-a-date"));
        }
    }
    ui.end_row();
    Some(read.map(|typed| typed.date))
}

/// "15 December 2026" in the UI language.
pub(crate) fn date_in_words(
    i18n: &crate::gui::i18n::I18n,
    date: shared::time::CalendarDate,
) -> String {
    i18n.t_args(
        "date-in-words",
        &[
            ("day", date.day().to_string().into()),
            ("month", i18n.t(&format!("month-{}", date.month())).into()),
            ("year", date.year().to_string().into()),
        ],
    )
}

/// A date-of-birth field that also takes the year alone (when that is all the person knows).
pub(crate) fn birth_field(
    ui: &mut Ui,
    i18n: &crate::gui::i18n::I18n,
    label: &str,
    value: &mut String,
) {
    let typed = value.trim();
    if typed.len() == 4 && typed.chars().all(|c| c.is_ascii_digit()) {
        let year = typed.to_owned();
        field(ui, label, value);
        ui.label("");
        ui.label(i18n.t_args("date-year-only", &[("year", year.into())]));
        ui.end_row();
    } else {
        date_field(ui, i18n, label, value);
    }
}

/// A widget in a column of fixed width, left-aligned (a table reads down its left edges).
pub(crate) fn cell_at(
    ui: &mut egui::Ui,
    width: f32,
    height: f32,
    widget: impl egui::Widget,
) -> egui::Response {
    ui.allocate_ui_with_layout(
        egui::vec2(width, height - 4.0),
        egui::Layout::left_to_right(egui::Align::Center),
        |ui| {
            ui.set_min_width(width);
            ui.add(widget)
        },
    )
    .inner
}

#[cfg(test)]
mod tests {
    use super::starts_a_word;

    #[test]
    fn a_long_list_narrows_to_the_options_a_word_of_which_starts_as_typed() {
        assert!(starts_a_word("Rankin Inlet", "rank"));
        assert!(starts_a_word("Rankin Inlet", "inl"));
        assert!(starts_a_word("Manto Sipi (God's River)", "gods"));
        assert!(starts_a_word("Lutsël K'é", "lutsel k"));
        assert!(starts_a_word("Churchill", ""));
        assert!(!starts_a_word("Rankin Inlet", "nlet"), "inside a word");
        assert!(!starts_a_word("Arviat", "pang"));
        assert!(
            starts_a_word("ᐃᖃᓗᐃᑦ", "iqal"),
            "a roman keyboard, a list in syllabics"
        );
        assert!(starts_a_word("ᐃᖃᓗᐃᑦ", "ᐃᖃ"));
        assert!(!starts_a_word("ᐃᖃᓗᐃᑦ", "pang"));
    }
}
