//! No subcommand: open the window, on the agent's profile or (with `--demo`) on a demo.

use std::path::PathBuf;

use shared::crypto::KdfParams;

use super::CliError;
use crate::gui::i18n::Language;
use crate::gui::worker::ProfileConfig;
use crate::gui::{Launch, UiSettings, default_profile_dir, demo};

pub(super) fn run(
    demo: bool,
    data_dir: Option<PathBuf>,
    language: Option<&str>,
    screenshot_tour: Option<PathBuf>,
) -> Result<(), CliError> {
    // The demo and the screenshot tour start from defaults and keep nothing.
    let settings_file = (!demo).then(UiSettings::default_path).flatten();
    let mut settings = settings_file
        .as_deref()
        .map(UiSettings::load)
        .unwrap_or_default();
    if let Some(code) = language {
        settings.language = Language::from_code(code).ok_or_else(|| {
            CliError::Rejected(format!("unknown UI language `{code}` (en, fr, iu, cr)"))
        })?;
    }
    let (demo, profile) = if demo {
        let (demo, profile) = demo::prepare(KdfParams::PRODUCTION)
            .map_err(|e| CliError::Failed(format!("the demo did not start: {e}")))?;
        (Some(demo), profile)
    } else {
        (
            None,
            ProfileConfig {
                dir: data_dir.unwrap_or_else(default_profile_dir),
                kdf: KdfParams::PRODUCTION,
                settings_file,
            },
        )
    };
    crate::gui::run(Launch {
        profile,
        settings,
        demo,
        screenshot_tour,
    })
    .map_err(|e| CliError::Failed(e.to_string()))
}
