//! What the agent sets in the settings screen.

use super::i18n::Language;

/// UI settings. Not personal information.
#[derive(Clone, Debug, PartialEq)]
pub struct UiSettings {
    /// UI language.
    pub language: Language,
    /// Text and widget scale, 1.0 = 100%.
    pub text_scale: f32,
    /// Lock after this many idle minutes (0 = never).
    pub idle_lock_minutes: u32,
    /// Upload bandwidth budget in bytes per second (`None` = as fast as the link allows).
    pub max_bytes_per_sec: Option<u64>,
}

impl Default for UiSettings {
    fn default() -> Self {
        Self {
            language: Language::English,
            text_scale: 1.0,
            idle_lock_minutes: 5,
            max_bytes_per_sec: None,
        }
    }
}
