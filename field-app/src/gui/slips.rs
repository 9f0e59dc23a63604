//! Printed slips: written to memory-backed storage only (a slip is plaintext by nature: it is
//! handed to the client), opened in the system's viewer when asked, deleted at lock and exit.
//! The GUI worker calls these; nothing here runs on the UI thread.

use std::path::{Path, PathBuf};

use shared::ids::ClientId;

use super::print::Printout;
use super::worker::Reply;
use crate::{LocalStore, StoreError};

/// One printout to write.
#[derive(Clone, Copy)]
pub(super) struct Printing<'a> {
    /// The record.
    pub id: ClientId,
    /// The session's count (the file's name).
    pub number: usize,
    /// Languages and the agent's details.
    pub options: &'a super::print::SlipOptions,
    /// What to print.
    pub printout: Printout,
    /// The node's registers about the record, when the office asked for them.
    pub register: Option<&'a super::office::RecordRegister>,
    /// Open it in the system's viewer.
    pub open: bool,
}

/// Writes a slip or an access report to memory-backed storage and, when asked, opens it in the
/// system's viewer.
pub(super) fn print(store: &LocalStore, printing: Printing<'_>) -> Result<Reply, StoreError> {
    let Printing {
        id,
        number,
        options,
        printout,
        register,
        open,
    } = printing;
    let Some(client) = store.client(id)? else {
        return Ok(Reply::Failed(
            "the record is no longer in this profile".into(),
        ));
    };
    let Some(path) = slip_path(number, printout) else {
        return Ok(Reply::Failed(NO_MEMORY_DIR.into()));
    };
    let written = match printout {
        Printout::Slip => super::print::write_slip(&client, store.catalogue(), options, &path),
        Printout::AccessReport => {
            let entries = store.audit_of(id)?;
            let report = super::access_report::AccessReport {
                client: &client,
                entries: &entries,
                register,
                catalogue: store.catalogue(),
            };
            super::access_report::access_pdf(&report, options.language)
                .and_then(|bytes| super::print::write_private(&path, &bytes))
        }
    };
    Ok(match written {
        Ok(()) => Reply::Printed {
            opened: open && open_in_viewer(&path),
            path,
        },
        Err(error) => Reply::Failed(error.to_string()),
    })
}

/// Hands a file to the system's viewer, which offers printing; false when none started. The
/// viewer is waited on from a thread of its own, so no zombie stays behind.
fn open_in_viewer(path: &Path) -> bool {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut start = std::process::Command::new("cmd");
        start.args(["/C", "start", ""]);
        start
    } else {
        std::process::Command::new("xdg-open")
    };
    command
        .arg(path)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    match command.spawn() {
        Ok(mut child) => {
            let _ = std::thread::Builder::new()
                .name("slip-viewer".into())
                .spawn(move || child.wait());
            true
        }
        Err(_) => false,
    }
}

/// Said when no memory-backed directory exists: the slip is not written at all.
const NO_MEMORY_DIR: &str = "this system has no memory-backed storage ($XDG_RUNTIME_DIR or /dev/shm) for the slip; it was not written, so that no client data lands on the disk";

/// A memory-backed per-user directory for plaintext that must never reach the disk:
/// `$XDG_RUNTIME_DIR` (tmpfs by the XDG spec), else `shm`. `None` when neither exists; there is
/// deliberately no fallback to the system temp dir, which may be a disk.
fn memory_backed_dir(xdg_runtime_dir: Option<std::ffi::OsString>, shm: &Path) -> Option<PathBuf> {
    xdg_runtime_dir
        .map(PathBuf::from)
        .filter(|p| p.is_dir())
        .or_else(|| Some(shm.to_path_buf()).filter(|p| p.is_dir()))
}

/// Where a printed slip goes. A slip is plaintext by nature (it is handed to the client), so it
/// is written to memory-backed storage only, and deleted when the profile locks or the app ends.
/// Named by its number in this session and the process: the agent may have to find it by name,
/// and a name shows nothing of the client (no name, no id) in a file list or on the screen.
fn slip_path(number: usize, printout: Printout) -> Option<PathBuf> {
    let base = memory_backed_dir(std::env::var_os("XDG_RUNTIME_DIR"), Path::new("/dev/shm"))?
        .join("outreach-kit-slips");
    let kind = match printout {
        Printout::Slip => "referral-slip",
        Printout::AccessReport => "access-report",
    };
    Some(base.join(format!("{kind}-{}-{number}.pdf", std::process::id())))
}

/// Deletes every slip written this session.
pub(super) fn remove_slips(printed: &mut Vec<PathBuf>) {
    for path in printed.drain(..) {
        let _ = std::fs::remove_file(path);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn slip_is_refused_when_only_a_disk_temp_dir_exists() {
        let missing = Path::new("/nonexistent/outreach-kit-test-shm");
        assert_eq!(memory_backed_dir(None, missing), None);
        assert_eq!(
            memory_backed_dir(Some("/nonexistent/runtime".into()), missing),
            None,
            "a runtime dir that does not exist is not used either"
        );
    }

    #[test]
    fn slip_goes_to_the_runtime_dir_then_shm() {
        let runtime = tempfile::tempdir().unwrap();
        let shm = tempfile::tempdir().unwrap();
        assert_eq!(
            memory_backed_dir(Some(runtime.path().into()), shm.path()),
            Some(runtime.path().to_path_buf())
        );
        assert_eq!(
            memory_backed_dir(None, shm.path()),
            Some(shm.path().to_path_buf())
        );
    }
}
