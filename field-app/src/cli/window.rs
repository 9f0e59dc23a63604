//! No subcommand: open the window, on the agent's profile or (with `--demo`) on a demo.

use std::path::PathBuf;

use shared::crypto::KdfParams;

use super::CliError;
#[cfg(feature = "demo")]
use crate::gui::demo;
use crate::gui::i18n::Language;
use crate::gui::worker::ProfileConfig;
use crate::gui::{Launch, UiSettings, default_profile_dir};

// Without the demo the tour path is only checked for presence.
#[cfg_attr(not(feature = "demo"), allow(clippy::needless_pass_by_value))]
/// `demo`: `Some(office)` opens the demo, as the office when `office`.
pub(super) fn run(
    demo: Option<bool>,
    data_dir: Option<PathBuf>,
    language: Option<&str>,
    screenshot_tour: Option<PathBuf>,
) -> Result<(), CliError> {
    // The demo and the screenshot tour start from defaults and keep nothing.
    let settings_file = demo.is_none().then(UiSettings::default_path).flatten();
    let mut settings = settings_file
        .as_deref()
        .map(UiSettings::load)
        .unwrap_or_default();
    if let Some(code) = language {
        settings.language = Language::from_code(code).ok_or_else(|| {
            CliError::Rejected(format!("unknown UI language `{code}` (en, fr, iu, cr)"))
        })?;
    }
    let own_profile = move || -> Result<ProfileConfig, CliError> {
        let dir = data_dir.or_else(default_profile_dir).ok_or_else(|| {
            CliError::Rejected(
                "this system names no home directory; choose a profile with --data-dir".into(),
            )
        })?;
        Ok(ProfileConfig {
            dir,
            kdf: KdfParams::PRODUCTION,
            settings_file,
            open_slips: true,
        })
    };
    #[cfg(not(feature = "demo"))]
    if demo.is_some() || screenshot_tour.is_some() {
        return Err(CliError::Rejected(
            "this build has no demo (it was built without the `demo` feature)".into(),
        ));
    }
    #[cfg(not(feature = "demo"))]
    let profile = own_profile()?;
    #[cfg(feature = "demo")]
    let (demo, profile) = if let Some(office) = demo {
        let role = if office {
            shared::protocol::enroll::Role::Office
        } else {
            shared::protocol::enroll::Role::Agent
        };
        let (demo, profile) = demo::prepare_as(KdfParams::PRODUCTION, role)
            .map_err(|e| CliError::Failed(format!("the demo did not start: {e}")))?;
        (Some(demo), profile)
    } else {
        (None, own_profile()?)
    };
    crate::gui::run(Launch {
        profile,
        settings,
        #[cfg(feature = "demo")]
        demo,
        #[cfg(feature = "demo")]
        screenshot_tour,
    })
    .map_err(|e| CliError::Failed(e.to_string()))
}
