//! The process that holds decrypted client data must not write it anywhere by itself: a crash
//! must not leave a core file with names, notes and the passphrase in it.

/// Stops the kernel from writing a core dump of this process (`RLIMIT_CORE` = 0) and, on Linux,
/// marks it not dumpable (`PR_SET_DUMPABLE` 0: no core even if a limit is raised later, and no
/// `ptrace` attach by other processes of the same user). Call first thing in `main`.
///
/// # Errors
/// The system refused a setting; the caller decides whether to go on (say so on stderr).
pub fn forbid_core_dumps() -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use rustix::process::{Resource, Rlimit, setrlimit};
        setrlimit(
            Resource::Core,
            Rlimit {
                current: Some(0),
                maximum: Some(0),
            },
        )?;
    }
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use rustix::process::{DumpableBehavior, set_dumpable_behavior};
        set_dumpable_behavior(DumpableBehavior::NotDumpable)?;
    }
    Ok(())
}

/// Whether core dumps are off for this process (for tests and `--version` diagnostics).
#[must_use]
pub fn core_dumps_forbidden() -> bool {
    #[cfg(unix)]
    {
        let limit = rustix::process::getrlimit(rustix::process::Resource::Core);
        limit.current == Some(0)
    }
    #[cfg(not(unix))]
    {
        true
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn core_dumps_are_forbidden_after_the_call() {
        super::forbid_core_dumps().unwrap_or_else(|e| panic!("{e}"));
        assert!(super::core_dumps_forbidden());
    }
}
