//! What the agent sets in the settings screen, kept between runs in a small JSON file in the
//! user's config directory (no client data: language, text size, idle lock, bandwidth, and
//! the agent's own name and office contact, printed on referral slips).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::i18n::Language;

/// The largest settings file read; anything bigger is ignored (defaults apply).
const MAX_SETTINGS_BYTES: u64 = 64 * 1024;

/// The longest agent name or office contact kept (one printed line).
pub(crate) const MAX_SLIP_LINE_CHARS: usize = 160;

/// UI settings. Not client information.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UiSettings {
    /// UI language.
    pub language: Language,
    /// Text and widget scale, 1.0 = 100%.
    pub text_scale: f32,
    /// Lock after this many idle minutes (0 = never).
    pub idle_lock_minutes: u32,
    /// Upload bandwidth budget in bytes per second (`None` = as fast as the link allows).
    pub max_bytes_per_sec: Option<u64>,
    /// The agent's name as printed on slips (the agent's own, not a client's).
    pub agent_name: String,
    /// The office a partner or client calls back (phone, address), printed on slips.
    pub office_contact: String,
}

impl Default for UiSettings {
    fn default() -> Self {
        Self {
            language: Language::English,
            text_scale: 1.0,
            idle_lock_minutes: 5,
            max_bytes_per_sec: None,
            agent_name: String::new(),
            office_contact: String::new(),
        }
    }
}

impl UiSettings {
    /// The platform's config directory for the app (`$XDG_CONFIG_HOME/outreach-kit/` or
    /// `~/.config/outreach-kit/` on Linux) + `ui-settings.json`; `None` without a home directory.
    #[must_use]
    pub fn default_path() -> Option<PathBuf> {
        super::project_dirs().map(|dirs| dirs.config_dir().join("ui-settings.json"))
    }

    /// The saved settings; defaults when the file is missing, too big or not valid (a broken
    /// settings file never stops the app from starting). Values are clamped to their ranges.
    #[must_use]
    pub fn load(path: &Path) -> Self {
        let readable = std::fs::metadata(path).is_ok_and(|m| m.len() <= MAX_SETTINGS_BYTES);
        let mut settings: Self = readable
            .then(|| std::fs::read(path).ok())
            .flatten()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        settings.text_scale = settings.text_scale.clamp(0.8, 2.0);
        settings.idle_lock_minutes = settings.idle_lock_minutes.min(60);
        for text in [&mut settings.agent_name, &mut settings.office_contact] {
            if text.chars().count() > MAX_SLIP_LINE_CHARS {
                *text = text.chars().take(MAX_SLIP_LINE_CHARS).collect();
            }
        }
        settings
    }

    /// Writes the settings (atomically: a temp file renamed over the old one).
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let bytes = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        let temp = path.with_extension("json.tmp");
        std::fs::write(&temp, bytes)?;
        std::fs::rename(temp, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_survive_a_restart_and_a_broken_file_gives_defaults() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("ui-settings.json");
        assert_eq!(UiSettings::load(&path), UiSettings::default());
        let chosen = UiSettings {
            language: Language::Cree,
            text_scale: 1.5,
            idle_lock_minutes: 2,
            max_bytes_per_sec: Some(300),
            agent_name: "Agent Example".into(),
            office_contact: "Iqaluit office, 867-555-0100".into(),
        };
        chosen.save(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(UiSettings::load(&path), chosen);
        std::fs::write(&path, b"{ not json").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(UiSettings::load(&path), UiSettings::default());
        std::fs::write(&path, br#"{"text_scale": 40.0}"#).unwrap_or_else(|e| panic!("{e}"));
        assert!((UiSettings::load(&path).text_scale - 2.0).abs() < f32::EPSILON);
    }
}
