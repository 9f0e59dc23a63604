//! The screenshot tour (`field-app --demo --screenshot-tour DIR`, used by
//! `scripts/screenshots.sh`): visits each main screen in every UI language on the demo's
//! fictional records and saves what the window rendered as PNGs.

use std::path::PathBuf;
use std::sync::Arc;

use shared::ids::ClientId;

use super::i18n::Language;
use super::{OutreachApp, Screen};

/// The demo record the detail and intake shots show (fictional).
const DEMO_CLIENT: &str = "00000000-0000-4000-8000-00000000d001";
/// Frames to let a screen settle (fonts, layout, worker answers) before its shot.
const SETTLE_FRAMES: u32 = 12;

#[derive(Clone, Copy, Debug)]
enum Step {
    Show(Language, Screen),
    Lock(Language),
    Done,
}

/// Drives the app through the shots.
pub(crate) struct Tour {
    dir: PathBuf,
    steps: Vec<Step>,
    frames: u32,
    pending: Option<String>,
    saved: Arc<std::sync::Mutex<Vec<String>>>,
}

impl Tour {
    pub(crate) fn new(dir: PathBuf) -> Self {
        let mut steps = Vec::new();
        for language in Language::ALL {
            for screen in [
                Screen::Home,
                Screen::Find,
                Screen::Detail,
                Screen::Intake,
                Screen::Sync,
                Screen::Settings,
            ] {
                steps.push(Step::Show(language, screen));
            }
            steps.push(Step::Lock(language));
        }
        steps.push(Step::Done);
        steps.reverse();
        Self {
            dir,
            steps,
            frames: 0,
            pending: None,
            saved: Arc::default(),
        }
    }

    /// Called after every frame of the app.
    pub(crate) fn after_frame(&mut self, app: &mut OutreachApp, ctx: &egui::Context) {
        ctx.request_repaint();
        if let Some(name) = &self.pending {
            let saved = self.saved.lock().is_ok_and(|s| s.contains(name));
            if saved {
                self.pending = None;
                self.steps.pop();
                self.frames = 0;
            }
            return;
        }
        let Some(step) = self.steps.last().copied() else {
            return;
        };
        if app.screen().is_none() || (app.is_waiting() && self.frames < 400) {
            self.frames += 1;
            return;
        }
        if self.frames == 0 {
            match step {
                Step::Show(language, screen) => {
                    app.settings.language = language;
                    if app.screen() == Some(Screen::Unlock) {
                        app.unlock_demo();
                    }
                    match screen {
                        Screen::Detail => app.open_record(demo_client()),
                        Screen::Intake => app.edit_record(demo_client()),
                        Screen::Find => {
                            app.go(Screen::Find);
                            app.search("kilabuk");
                        }
                        other => app.go(other),
                    }
                }
                Step::Lock(_) => app.lock(),
                Step::Done => {
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                    return;
                }
            }
        }
        self.frames += 1;
        if self.frames < SETTLE_FRAMES {
            return;
        }
        let name = match step {
            Step::Show(language, screen) => format!("{}-{}", language.code(), screen_name(screen)),
            Step::Lock(language) => format!("{}-locked", language.code()),
            Step::Done => return,
        };
        let path = self.dir.join(format!("{name}.png"));
        let saved = self.saved.clone();
        let done_name = name.clone();
        ctx.request_screenshot(move |image| {
            if let Err(error) = save_png(&path, &image) {
                tracing_free_log(&format!("screenshot {}: {error}", path.display()));
            }
            if let Ok(mut saved) = saved.lock() {
                saved.push(done_name);
            }
        });
        self.pending = Some(name);
    }
}

fn demo_client() -> ClientId {
    DEMO_CLIENT.parse().unwrap_or_else(|_| ClientId::random())
}

fn screen_name(screen: Screen) -> &'static str {
    match screen {
        Screen::Setup => "setup",
        Screen::Unlock => "locked",
        Screen::Home => "home",
        Screen::Intake => "intake",
        Screen::Find => "find",
        Screen::Detail => "detail",
        Screen::Sync => "sync",
        Screen::Settings => "settings",
        Screen::Office => "office",
    }
}

fn tracing_free_log(message: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr(), "{message}");
}

fn save_png(path: &std::path::Path, image: &egui::ColorImage) -> Result<(), String> {
    let file = std::fs::File::create(path).map_err(|e| e.to_string())?;
    let [width, height] = image.size;
    let mut encoder = png::Encoder::new(
        std::io::BufWriter::new(file),
        u32::try_from(width).map_err(|e| e.to_string())?,
        u32::try_from(height).map_err(|e| e.to_string())?,
    );
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
    let bytes: Vec<u8> = image.pixels.iter().flat_map(|p| p.to_array()).collect();
    writer.write_image_data(&bytes).map_err(|e| e.to_string())
}
