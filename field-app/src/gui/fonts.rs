//! Bundled fonts (SIL OFL 1.1, `field-app/assets/fonts/OFL.txt`): Noto Sans for Latin text and
//! Noto Sans Canadian Aboriginal for syllabics, so Inuktitut and Cree render on every laptop
//! whatever fonts it has installed. egui's own fonts stay as the last fallback (symbols).

use std::sync::Arc;

use egui::{FontData, FontDefinitions, FontFamily};

const NOTO_SANS: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular.ttf");
const NOTO_SANS_BOLD: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Bold.ttf");
const NOTO_SYLLABICS: &[u8] =
    include_bytes!("../../assets/fonts/NotoSansCanadianAboriginal-Regular.ttf");

/// The Latin font, for the PDF writer.
pub const LATIN_TTF: &[u8] = NOTO_SANS;
/// The syllabics font, for the PDF writer.
pub const SYLLABICS_TTF: &[u8] = NOTO_SYLLABICS;
/// The bold Latin font, for the PDF writer.
pub const LATIN_BOLD_TTF: &[u8] = NOTO_SANS_BOLD;

/// egui's font definitions with the bundled fonts first.
#[must_use]
pub fn definitions() -> FontDefinitions {
    let mut fonts = FontDefinitions::default();
    for (name, bytes) in [("noto-sans", NOTO_SANS), ("noto-syllabics", NOTO_SYLLABICS)] {
        fonts
            .font_data
            .insert(name.into(), Arc::new(FontData::from_static(bytes)));
    }
    for family in [FontFamily::Proportional, FontFamily::Monospace] {
        let list = fonts.families.entry(family.clone()).or_default();
        let position = usize::from(family == FontFamily::Monospace);
        list.insert(position.min(list.len()), "noto-syllabics".into());
        if family == FontFamily::Proportional {
            list.insert(0, "noto-sans".into());
        }
    }
    fonts
}
