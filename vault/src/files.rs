//! File-system steps that must be crash-safe and private. [`private`] is the one place in the
//! workspace that writes owner-only files (profiles here, printed slips in the field app).

use std::fs;
use std::io::{Read as _, Write as _};
use std::path::Path;

use super::VaultError;

/// Owner-only directories and files.
pub mod private {
    use std::fs;
    use std::path::Path;

    /// Creates `dir` (and its parents) and makes it readable by its owner only.
    pub fn create_dir(dir: &Path) -> std::io::Result<()> {
        fs::create_dir_all(dir)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
        }
        Ok(())
    }

    /// Opens `path` for writing, created owner-only from its first byte (truncated if it
    /// exists; with `create_new`, refused if it exists).
    pub fn open_for_writing(path: &Path, create_new: bool) -> std::io::Result<fs::File> {
        let mut options = fs::OpenOptions::new();
        options.write(true);
        if create_new {
            options.create_new(true);
        } else {
            options.create(true).truncate(true);
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            options.mode(0o600);
        }
        options.open(path)
    }

    /// Writes `bytes` to `path`, owner-only.
    pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        std::io::Write::write_all(&mut open_for_writing(path, false)?, bytes)
    }

    /// The bytes of `path` when it exists, refused when larger than `max` bytes (read no
    /// further than that, so an outsized file costs nothing).
    pub fn read_bounded(path: &Path, max: usize) -> std::io::Result<Option<Vec<u8>>> {
        let file = match fs::File::open(path) {
            Ok(file) => file,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(error),
        };
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(
            &mut std::io::Read::take(file, u64::try_from(max).unwrap_or(u64::MAX) + 1),
            &mut bytes,
        )?;
        if bytes.len() > max {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("{} is larger than {max} bytes", path.display()),
            ));
        }
        Ok(Some(bytes))
    }
}

pub(crate) fn create_private_dir(dir: &Path) -> Result<(), VaultError> {
    private::create_dir(dir).map_err(|e| VaultError::Io("creating the profile directory", e))
}

pub(crate) fn restrict_permissions(path: &Path) -> Result<(), VaultError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        fs::set_permissions(path, fs::Permissions::from_mode(0o600))
            .map_err(|e| VaultError::Io("restricting a profile file", e))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Reads a whole file, refusing one larger than `limit` bytes before reading it.
pub(crate) fn read_limited(path: &Path, limit: usize) -> Result<Vec<u8>, VaultError> {
    let file = fs::File::open(path).map_err(|e| VaultError::Io("reading the keyfile", e))?;
    let mut bytes = Vec::new();
    file.take(u64::try_from(limit).unwrap_or(u64::MAX) + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| VaultError::Io("reading the keyfile", e))?;
    if bytes.len() > limit {
        return Err(VaultError::DamagedKeyfile("too large".into()));
    }
    Ok(bytes)
}

/// Writes to a temporary file, syncs it, renames it over `path` and syncs the directory, so a
/// crash leaves either the old or the new content, never a mix.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), VaultError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.tmp"));
    let io = |e| VaultError::Io("writing a profile file", e);
    {
        let mut file = private::open_for_writing(&temp, true).map_err(io)?;
        restrict_permissions(&temp)?;
        file.write_all(bytes).map_err(io)?;
        file.sync_all().map_err(io)?;
    }
    fs::rename(&temp, path).map_err(io)?;
    sync_dir(dir)
}

fn sync_dir(dir: &Path) -> Result<(), VaultError> {
    #[cfg(unix)]
    fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| VaultError::Io("syncing the profile directory", e))?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// `file:` URI for a read-only, immutable open (percent-encoding the characters URIs reserve).
pub(crate) fn immutable_uri(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut uri = String::from("file:");
    for c in absolute.to_string_lossy().chars() {
        match c {
            '%' | '?' | '#' | ' ' | '"' | '<' | '>' => {
                uri.push_str(&format!("%{:02X}", u32::from(c)));
            }
            other => uri.push(other),
        }
    }
    uri.push_str("?mode=ro&immutable=1");
    uri
}
