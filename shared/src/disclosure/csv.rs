//! CSV as partners' spreadsheets read it (RFC 4180): a cell with a comma, quote or line break is
//! quoted, and a cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, carriage
//! return first) is prefixed with an apostrophe, so a typed name cannot become a command.

/// One cell, escaped.
#[must_use]
pub fn cell(text: &str) -> String {
    let guarded = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// Appends one row (cells escaped, CRLF-terminated) to `out`.
pub fn push_row<'a>(out: &mut String, cells: impl IntoIterator<Item = &'a str>) {
    let mut first = true;
    for text in cells {
        if !first {
            out.push(',');
        }
        first = false;
        out.push_str(&cell(text));
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_formula_is_defused_and_separators_are_quoted() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("Kootoo, Elisapee"), "\"Kootoo, Elisapee\"");
        assert_eq!(cell("ᐃᓕᓴᐱ"), "ᐃᓕᓴᐱ");
        assert_eq!(cell("-5"), "'-5");
        let mut row = String::new();
        push_row(&mut row, ["a", "b\nc"]);
        assert_eq!(row, "a,\"b\nc\"\r\n");
    }
}
