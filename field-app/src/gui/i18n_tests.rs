//! Every message the code asks for exists: in English and French (complete), and for the core
//! screens in Inuktitut and Cree. Ids are read from the GUI's own source, so a new `t("…")`
//! without a translation fails here.

use std::collections::BTreeSet;
use std::path::Path;

use super::i18n::{I18n, Language};

fn source_files(dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            source_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(std::fs::read_to_string(path).unwrap());
        }
    }
}

/// Quoted kebab-case strings that follow `t(`, `t_args(` or `t_in(…, ` — the message ids.
fn ids_used() -> BTreeSet<String> {
    let mut sources = Vec::new();
    source_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src/gui"),
        &mut sources,
    );
    let mut ids = BTreeSet::new();
    for source in &sources {
        for (start, _) in source.match_indices('"') {
            let rest = &source[start + 1..];
            let Some(end) = rest.find('"') else { continue };
            let candidate = &rest[..end];
            let before = source[..start].trim_end();
            let is_call = before.ends_with("t(")
                || before.ends_with("t_args(")
                || (before.ends_with(',')
                    && source[..start]
                        .rfind("t_in(")
                        .is_some_and(|i| start - i < 40));
            let looks_like_id = candidate.len() > 3
                && candidate.contains('-')
                && candidate
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if is_call && looks_like_id {
                ids.insert(candidate.to_owned());
            }
        }
    }
    ids
}

#[test]
fn every_message_the_code_uses_exists_in_english_and_french() {
    let i18n = I18n::new(Language::English).unwrap();
    let used = ids_used();
    assert!(used.len() > 100, "found only {} ids", used.len());
    for language in [Language::English, Language::French] {
        let missing: Vec<_> = used.iter().filter(|id| !i18n.has(language, id)).collect();
        assert!(missing.is_empty(), "{language:?} lacks {missing:?}");
    }
}

#[test]
fn french_is_complete() {
    let english: BTreeSet<String> = I18n::message_ids(Language::English).into_iter().collect();
    let french: BTreeSet<String> = I18n::message_ids(Language::French).into_iter().collect();
    assert_eq!(english, french);
}

/// The pair view words each level of the matcher's evidence (`evidence-<level>`).
#[test]
fn every_level_of_the_matchers_evidence_has_words() {
    use shared::matching::linkage::Field;
    let i18n = I18n::new(Language::English).unwrap();
    for field in Field::ALL {
        for level in field.levels() {
            let id = format!("evidence-{}", level.replace('_', "-"));
            for language in [Language::English, Language::French] {
                assert!(i18n.has(language, &id), "{language:?} lacks {id}");
            }
        }
    }
}

#[test]
fn every_validation_code_has_a_message() {
    use shared::model::ValidationCode::*;
    let i18n = I18n::new(Language::English).unwrap();
    for code in [
        Required,
        TooLong,
        InvalidDate,
        DateInFuture,
        OutOfRange,
        UnknownProgram,
        UnknownPartner,
        UnknownCommunity,
        SinLastThreeDigitsOnly,
        UnknownProvince,
        DuplicateId,
        LinksToSelf,
        UnknownSupersededEvent,
    ] {
        for language in [Language::English, Language::French] {
            assert!(
                i18n.has(language, code.message_id()),
                "{language:?} {code:?}"
            );
        }
    }
}

#[test]
fn syllabic_translations_cover_the_core_screens_and_fall_back_to_english() {
    const CORE: &[&str] = &[
        "nav-home",
        "nav-new-intake",
        "nav-find",
        "nav-sync",
        "nav-settings",
        "action-lock",
        "setup-title",
        "setup-passphrase",
        "setup-confirm",
        "setup-create",
        "unlock-title",
        "unlock-passphrase",
        "unlock-button",
        "unlock-wrong",
        "home-title",
        "home-community",
        "intake-title",
        "intake-save",
        "field-given-name",
        "field-family-name",
        "field-birth-year",
        "find-title",
        "find-search",
        "sync-title",
        "sync-start",
        "sync-synced",
        "settings-title",
        "settings-language",
        "translation-awaiting-review",
    ];
    let mut i18n = I18n::new(Language::Inuktitut).unwrap();
    for language in [Language::Inuktitut, Language::Cree] {
        assert!(language.awaiting_review());
        for id in CORE {
            assert!(i18n.has(language, id), "{language:?} lacks {id}");
        }
        i18n.set_language(language);
        // A message the file lacks comes out in English, not blank and not as its id.
        assert!(!i18n.has(language, "validation-too-long"));
        assert_eq!(i18n.t("validation-too-long"), "This text is too long.");
        // Core text is in syllabics.
        assert!(
            i18n.t("nav-find")
                .chars()
                .any(|c| ('\u{1400}'..='\u{167F}').contains(&c))
        );
    }
}
