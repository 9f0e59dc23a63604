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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    /// Rendered height of one glyph at 16 points, as egui draws it with these fonts.
    fn drawn_height(c: char) -> f32 {
        let ctx = egui::Context::default();
        ctx.set_fonts(super::definitions());
        let mut height = 0.0;
        let mut output = ctx.run_ui(egui::RawInput::default(), |ctx| {
            let galley = ctx.fonts_mut(|fonts| {
                fonts.layout_no_wrap(
                    c.to_string(),
                    egui::FontId::proportional(48.0),
                    egui::Color32::WHITE,
                )
            });
            height = galley.rows[0].glyphs[0].uv_rect.size.y;
        });
        output.textures_delta.clear();
        height
    }

    /// Syllabics are drawn at the size of the Latin text around them: full-height syllables
    /// (ᐊ, ᑲ) as tall as capitals, the short ones of this font (ᓄ, ᓇ) as tall as the x-height,
    /// so a name in both scripts reads as one line of one size. (Measured on the glyphs egui
    /// draws; a font tweak would show here.)
    #[test]
    fn syllabics_are_drawn_at_the_size_of_latin_text() {
        let capital = drawn_height('H');
        let x_height = drawn_height('x');
        for (syllabic, latin) in [
            ('ᐊ', capital),
            ('ᑲ', capital),
            ('ᐃ', capital),
            ('ᓄ', x_height),
            ('ᓇ', x_height),
        ] {
            let ratio = drawn_height(syllabic) / latin;
            assert!(
                (0.9..=1.15).contains(&ratio),
                "{syllabic} is drawn {ratio:.2} × the height of its Latin counterpart"
            );
        }
    }
}
