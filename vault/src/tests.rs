use std::path::Path;

use test_support::{contains, snapshot};

use super::*;

const FAST: KdfParams = KdfParams::INSECURE_FAST_FOR_TESTS_ONLY;

fn pass(text: &str) -> Passphrase {
    Passphrase::new(text.to_owned())
}

fn profile_with_rows(dir: &Path) {
    let conn = create(dir, &pass("tundra lichen kayak ptarmigan"), FAST, None).unwrap();
    conn.execute_batch("CREATE TABLE t (x TEXT); ").unwrap();
    for i in 0..2000 {
        conn.execute(
            "INSERT INTO t VALUES (?1)",
            [format!("row {i} with some padding to fill pages")],
        )
        .unwrap();
    }
    drop(conn);
}

#[test]
fn created_profile_reopens_with_the_same_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    profile_with_rows(dir.path());
    let opened = open(dir.path(), &pass("tundra lichen kayak ptarmigan")).unwrap();
    let n: i64 = opened
        .connection
        .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 2000);
    assert!(opened.weak_kdf);
}

#[test]
fn database_file_is_not_plain_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    profile_with_rows(dir.path());
    let bytes = std::fs::read(ProfilePaths::new(dir.path()).database()).unwrap();
    assert!(!bytes.starts_with(b"SQLite format 3"));
    assert!(!contains(&bytes, b"row 100"));
}

#[test]
fn create_refuses_to_overwrite_an_existing_profile() {
    let dir = tempfile::tempdir().unwrap();
    profile_with_rows(dir.path());
    let before = snapshot(dir.path());
    assert!(matches!(
        create(dir.path(), &pass("another long passphrase"), FAST, None),
        Err(VaultError::AlreadyExists)
    ));
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn wrong_passphrase_fails_closed_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    profile_with_rows(dir.path());
    let before = snapshot(dir.path());
    assert!(matches!(
        open(dir.path(), &pass("tundra lichen kayak ptarmigans")),
        Err(VaultError::WrongPassphrase)
    ));
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn truncated_database_fails_closed_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    profile_with_rows(dir.path());
    let db = ProfilePaths::new(dir.path()).database();
    let len = std::fs::metadata(&db).unwrap().len();
    for cut in [len / 2, 4096 + 17, 100, 0] {
        let file = std::fs::OpenOptions::new().write(true).open(&db).unwrap();
        file.set_len(cut).unwrap();
        drop(file);
        let before = snapshot(dir.path());
        let result = open(dir.path(), &pass("tundra lichen kayak ptarmigan"));
        assert!(
            matches!(result, Err(VaultError::DamagedDatabase)),
            "cut at {cut}: {result:?}"
        );
        assert_eq!(
            snapshot(dir.path()),
            before,
            "cut at {cut} changed the directory"
        );
    }
}

#[test]
fn database_of_another_profile_fails_closed() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    profile_with_rows(a.path());
    profile_with_rows(b.path());
    std::fs::copy(
        ProfilePaths::new(b.path()).database(),
        ProfilePaths::new(a.path()).database(),
    )
    .unwrap();
    let before = snapshot(a.path());
    assert!(matches!(
        open(a.path(), &pass("tundra lichen kayak ptarmigan")),
        Err(VaultError::DamagedDatabase)
    ));
    assert_eq!(snapshot(a.path()), before);
}

#[test]
fn missing_keyfile_is_no_profile_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    assert!(matches!(
        open(dir.path(), &pass("whatever it is here")),
        Err(VaultError::NoProfile)
    ));
    assert!(snapshot(dir.path()).is_empty());
}

#[test]
fn passphrase_change_rewraps_only_the_keyfile() {
    let dir = tempfile::tempdir().unwrap();
    profile_with_rows(dir.path());
    let db_before = std::fs::read(ProfilePaths::new(dir.path()).database()).unwrap();
    change_passphrase(
        dir.path(),
        &pass("tundra lichen kayak ptarmigan"),
        &pass("new words for the lock"),
        FAST,
    )
    .unwrap();
    assert_eq!(
        std::fs::read(ProfilePaths::new(dir.path()).database()).unwrap(),
        db_before
    );
    assert!(open(dir.path(), &pass("new words for the lock")).is_ok());
    assert!(matches!(
        open(dir.path(), &pass("tundra lichen kayak ptarmigan")),
        Err(VaultError::WrongPassphrase)
    ));
}

#[test]
fn recovery_copy_opens_the_database_with_the_office_key() {
    let dir = tempfile::tempdir().unwrap();
    let (office_secret, recipient) = recovery::generate_office_keypair();
    drop(
        create(
            dir.path(),
            &pass("tundra lichen kayak ptarmigan"),
            FAST,
            Some(&recipient),
        )
        .unwrap(),
    );
    let sealed = std::fs::read(ProfilePaths::new(dir.path()).recovery()).unwrap();
    let key = recovery::open(&sealed, &office_secret).unwrap();
    verify_without_writing(&ProfilePaths::new(dir.path()).database(), &key).unwrap();
}

#[cfg(unix)]
#[test]
fn profile_files_are_private_to_the_user() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let conn = create(
        &dir.path().join("p"),
        &pass("tundra lichen kayak ptarmigan"),
        FAST,
        None,
    )
    .unwrap();
    conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    drop(conn);
    // Reopened: the WAL and shared-memory files are made anew and must inherit the mode.
    let opened = open(
        &dir.path().join("p"),
        &pass("tundra lichen kayak ptarmigan"),
    )
    .unwrap();
    opened
        .connection
        .execute_batch("INSERT INTO t VALUES (2);")
        .unwrap();
    let modes: Vec<(String, u32)> = std::fs::read_dir(dir.path().join("p"))
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                e.metadata().unwrap().permissions().mode() & 0o777,
            )
        })
        .collect();
    assert!(modes.len() >= 3, "{modes:?}");
    assert!(
        modes.iter().all(|(_, mode)| mode & 0o077 == 0),
        "readable by others: {modes:?} (modes in decimal)"
    );
    let mode = std::fs::metadata(dir.path().join("p"))
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o700);
}

/// Profiles created, written and reopened on several threads at once all open: keying is
/// per connection (the GUI, its sync worker and the drafts writer each key their own).
#[test]
fn profiles_created_and_reopened_on_many_threads_at_once_all_open() {
    let root = tempfile::tempdir().unwrap();
    std::thread::scope(|s| {
        for thread in 0..4 {
            let root = root.path();
            s.spawn(move || {
                for i in 0..40 {
                    let dir = root.join(format!("{thread}-{i}"));
                    let passphrase = pass("tundra lichen kayak ptarmigan");
                    let conn = create(&dir, &passphrase, FAST, None).unwrap();
                    conn.execute_batch("CREATE TABLE t (x TEXT); INSERT INTO t VALUES ('a');")
                        .unwrap();
                    drop(conn);
                    let opened = open(&dir, &passphrase).unwrap();
                    let n: i64 = opened
                        .connection
                        .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
                        .unwrap();
                    assert_eq!(n, 1);
                }
            });
        }
    });
}
