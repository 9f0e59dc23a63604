//! Real processes for cross-process tests: a `sync-server` node on port 0 in a temp dir, and
//! laptops driven through the real `field-app` command line.

#![allow(clippy::expect_used)] // test-harness code: a failed setup step is a test failure, with its reason

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::Once;

/// Passphrase of every test profile and node.
pub const PASSPHRASE: &str = "tundra lichen kayak ptarmigan";
const FAST_KDF: [&str; 2] = ["--kdf-profile", "insecure-fast-for-tests-only"];

/// Path of a workspace binary next to the test executable. Once per test process, the binaries
/// are (re)built with the same cargo and target dir — a no-op when they are fresh — so a test
/// never runs a stale `sync-server` or `field-app`.
#[must_use]
pub fn binary(name: &str) -> PathBuf {
    static BUILD: Once = Once::new();
    let dir = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent()?.parent().map(Path::to_path_buf))
        .unwrap_or_default();
    BUILD.call_once(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let target = dir.parent().map(Path::to_path_buf).unwrap_or_default();
        let release = dir.ends_with("release");
        let mut args = vec!["build", "--quiet", "--workspace", "--bins"];
        if release {
            args.push("--release");
        }
        let mut build = Command::new(cargo);
        build
            .args(&args)
            .env("CARGO_TARGET_DIR", &target)
            .current_dir(env!("CARGO_MANIFEST_DIR"));
        // Cargo gives a running test its package's variables (`CARGO_PKG_NAME`, ...). Build
        // scripts (ring's) rerun when such a variable differs from the outer build's, which
        // rebuilt ring, rustls and everything above them here (~ 45 s), and again in the next
        // `cargo test`.
        for (name, _) in std::env::vars_os() {
            if name.to_str().is_some_and(set_by_cargo_for_a_test) {
                build.env_remove(&name);
            }
        }
        let status = build.status();
        assert!(
            status.is_ok_and(|s| s.success()),
            "building the workspace binaries failed"
        );
    });
    let path = dir.join(name);
    assert!(
        path.exists(),
        "{} not found next to the test executable",
        path.display()
    );
    path
}

/// Variables cargo sets for the test process it runs (not for the cargo it was started from).
fn set_by_cargo_for_a_test(name: &str) -> bool {
    name.starts_with("CARGO_PKG_")
        || name.starts_with("CARGO_MANIFEST_")
        || name.starts_with("CARGO_BIN_")
        || matches!(
            name,
            "CARGO_CRATE_NAME"
                | "CARGO_PRIMARY_PACKAGE"
                | "CARGO_TARGET_TMPDIR"
                | "CARGO_RUSTC_CURRENT_DIR"
                | "OUT_DIR"
        )
}

/// A `sync-server serve` process on 127.0.0.1:0 with its own temp data dir; killed on drop.
pub struct TestNode {
    /// Its data directory.
    pub dir: tempfile::TempDir,
    /// `https://127.0.0.1:PORT`.
    pub url: String,
    /// SHA-256 fingerprint of its certificate, hex.
    pub fingerprint: String,
    child: Child,
}

impl TestNode {
    /// Starts a node.
    #[must_use]
    pub fn start() -> Self {
        Self::start_with(&[])
    }

    /// Starts a node with extra `serve` flags.
    #[must_use]
    pub fn start_with(extra: &[&str]) -> Self {
        Self::spawn(extra, None)
    }

    /// Starts a node that logs everything down to `info` into the file `log` (for a test that
    /// scans what a node writes to its log).
    #[must_use]
    pub fn start_logging_to(log: &Path) -> Self {
        Self::spawn(&[], Some(log))
    }

    fn spawn(extra: &[&str], log: Option<&Path>) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let (level, stderr) = match log {
            Some(path) => (
                "info".to_owned(),
                Stdio::from(std::fs::File::create(path).expect("node log file")),
            ),
            None => (
                std::env::var("TEST_NODE_LOG").unwrap_or_else(|_| "warn".into()),
                Stdio::inherit(),
            ),
        };
        let mut child = Command::new(binary("sync-server"))
            .args(["serve", "--data-dir"])
            .arg(dir.path())
            .args(["--listen", "127.0.0.1:0"])
            .args(FAST_KDF)
            .args(extra)
            .env("OUTREACH_PASSPHRASE", PASSPHRASE)
            .env("RUST_LOG", level)
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("start sync-server");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let url = lines
            .next()
            .and_then(Result::ok)
            .and_then(|l| l.strip_prefix("listening ").map(str::to_owned))
            .expect("listening line");
        let fingerprint = lines
            .next()
            .and_then(Result::ok)
            .and_then(|l| l.strip_prefix("fingerprint ").map(str::to_owned))
            .expect("fingerprint line");
        Self {
            dir,
            url,
            fingerprint,
            child,
        }
    }

    /// `sync-server SUBCOMMAND --data-dir D …` against this node's data dir.
    #[must_use]
    pub fn command(&self, subcommand: &str, args: &[&str]) -> Output {
        Command::new(binary("sync-server"))
            .arg(subcommand)
            .arg("--data-dir")
            .arg(self.dir.path())
            .args(FAST_KDF)
            .args(args)
            .env("OUTREACH_PASSPHRASE", PASSPHRASE)
            .env("RUST_LOG", "warn")
            .output()
            .expect("run sync-server")
    }

    /// A one-time enrolment code.
    #[must_use]
    pub fn enroll_code(&self, role: &str, communities: &[&str]) -> String {
        let mut args = vec!["--role", role];
        for c in communities {
            args.extend(["--community", c]);
        }
        let out = self.command("enroll", &args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }
}

impl TestNode {
    /// Stops the process and hands back its data directory for inspection.
    #[must_use]
    pub fn stop(mut self) -> tempfile::TempDir {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let dir = tempfile::tempdir().expect("temp dir");
        std::mem::replace(&mut self.dir, dir)
    }

    /// The node process's id.
    #[must_use]
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The node process's resident memory, in KiB (Linux).
    #[must_use]
    pub fn rss_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        status
            .lines()
            .find(|l| l.starts_with("VmRSS:"))?
            .split_whitespace()
            .nth(1)?
            .parse()
            .ok()
    }

    /// The certificate fingerprint as bytes.
    #[must_use]
    pub fn fingerprint_bytes(&self) -> [u8; 32] {
        let mut out = [0u8; 32];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&self.fingerprint[2 * i..2 * i + 2], 16)
                .expect("hex fingerprint");
        }
        out
    }
}

impl Drop for TestNode {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A laptop profile driven through the `field-app` command line.
pub struct Laptop {
    /// Its profile directory.
    pub dir: tempfile::TempDir,
}

impl Laptop {
    /// `field-app init` on a fresh temp dir.
    #[must_use]
    pub fn new() -> Self {
        let laptop = Self {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        let out = laptop.run("init", &FAST_KDF, b"");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        laptop
    }

    /// A new laptop enrolled as an agent of `communities` with `node`, reaching it at `address`
    /// (e.g. a proxy in front of the node) instead of the URL in the code.
    #[must_use]
    pub fn enrolled_via(
        node: &TestNode,
        communities: &[&str],
        address: std::net::SocketAddr,
    ) -> Self {
        let laptop = Self::new();
        let code = node.enroll_code("agent", communities);
        let _ = laptop.ok(
            "enroll",
            &[
                "--enroll-code",
                &code,
                "--server",
                &format!("https://{address}"),
            ],
            b"",
        );
        laptop
    }

    /// `field-app SUBCOMMAND --data-dir D ARGS` with `stdin`.
    #[must_use]
    pub fn run(&self, subcommand: &str, args: &[&str], stdin: &[u8]) -> Output {
        let mut child = Command::new(binary("field-app"))
            .arg(subcommand)
            .arg("--data-dir")
            .arg(self.dir.path())
            .args(args)
            .env("OUTREACH_PASSPHRASE", PASSPHRASE)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run field-app");
        let _ = child.stdin.take().expect("stdin").write_all(stdin);
        child.wait_with_output().expect("field-app output")
    }

    /// Runs and asserts success; returns stdout.
    #[must_use]
    pub fn ok(&self, subcommand: &str, args: &[&str], stdin: &[u8]) -> String {
        let out = self.run(subcommand, args, stdin);
        assert!(
            out.status.success(),
            "field-app {subcommand} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Opens the profile in this process (after the CLI processes exited) to inspect it.
    #[must_use]
    pub fn store(&self) -> field_app::LocalStore {
        field_app::LocalStore::open(
            self.dir.path(),
            &shared::crypto::Passphrase::new(PASSPHRASE.into()),
        )
        .expect("open laptop profile")
    }
}

impl Default for Laptop {
    fn default() -> Self {
        Self::new()
    }
}

/// A new laptop enrolled with `node` as `role` for `communities`.
#[must_use]
pub fn enrolled(node: &TestNode, role: &str, communities: &[&str]) -> Laptop {
    let laptop = Laptop::new();
    let code = node.enroll_code(role, communities);
    let _ = laptop.ok("enroll", &["--enroll-code", &code], b"");
    laptop
}

/// One `field-app sync` with no retries; its output.
#[must_use]
pub fn sync(laptop: &Laptop) -> String {
    laptop.ok("sync", &["--retries", "0"], b"")
}
