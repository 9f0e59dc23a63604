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
    egui::ComboBox::from_id_salt(label)
        .selected_text(selected)
        .width(260.0)
        .show_ui(ui, |ui| {
            for (option, text) in choices {
                ui.selectable_value(value, option.clone(), text);
            }
        })
        .response
        .labelled_by(name.id);
    ui.end_row();
    *value != before
}

/// A validation message under a field, in the error colour.
pub(crate) fn problem(ui: &mut Ui, text: &str) {
    ui.label("");
    ui.colored_label(ui.visuals().error_fg_color, text);
    ui.end_row();
}
