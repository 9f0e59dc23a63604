//! UI text from Project Fluent files (`field-app/i18n/*.ftl`, built in). English and French are
//! complete; Inuktitut and Cree (syllabics) cover the core screens and await community review.
//! A message missing from the chosen language falls back to English, message by message.

use std::collections::HashMap;

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};

/// A UI language (saved by its code).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub enum Language {
    /// English.
    #[default]
    #[serde(rename = "en")]
    English,
    /// French.
    #[serde(rename = "fr")]
    French,
    /// Inuktitut (syllabics).
    #[serde(rename = "iu")]
    Inuktitut,
    /// Cree (syllabics).
    #[serde(rename = "cr")]
    Cree,
}

impl Language {
    /// Every UI language, in the order the settings list them.
    pub const ALL: [Self; 4] = [Self::English, Self::French, Self::Inuktitut, Self::Cree];

    /// The language code (`en`, `fr`, `iu`, `cr`), as the catalogue and the model use it.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::English => "en",
            Self::French => "fr",
            Self::Inuktitut => "iu",
            Self::Cree => "cr",
        }
    }

    /// The language's own name for itself.
    #[must_use]
    pub fn endonym(self) -> &'static str {
        match self {
            Self::English => "English",
            Self::French => "Français",
            Self::Inuktitut => "ᐃᓄᒃᑎᑐᑦ",
            Self::Cree => "ᓀᐦᐃᔭᐍᐏᐣ",
        }
    }

    /// The language's name in English letters, shown beside its own name in pickers (a person
    /// who cannot read syllabics still finds Inuktitut).
    #[must_use]
    pub fn roman_name(self) -> &'static str {
        match self {
            Self::English => "English",
            Self::French => "French",
            Self::Inuktitut => "Inuktitut",
            Self::Cree => "Cree (Nēhiyawēwin)",
        }
    }

    /// "ᐃᓄᒃᑎᑐᑦ · Inuktitut": the own name, and the roman one when it differs.
    #[must_use]
    pub fn picker_name(self) -> String {
        if self.endonym() == self.roman_name() {
            self.endonym().to_owned()
        } else {
            format!("{} · {}", self.endonym(), self.roman_name())
        }
    }

    /// The language for a code, if the UI has it.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }

    /// Whether this translation still awaits review by speakers from the communities.
    #[must_use]
    pub fn awaiting_review(self) -> bool {
        matches!(self, Self::Inuktitut | Self::Cree)
    }

    fn source(self) -> &'static str {
        match self {
            Self::English => include_str!("../../i18n/en.ftl"),
            Self::French => include_str!("../../i18n/fr.ftl"),
            Self::Inuktitut => include_str!("../../i18n/iu.ftl"),
            Self::Cree => include_str!("../../i18n/cr.ftl"),
        }
    }
}

/// Why a translation file did not load (a build defect: the files are built in).
#[derive(Debug, thiserror::Error)]
#[error("translation file for {language} has errors: {detail}")]
pub struct I18nError {
    language: &'static str,
    detail: String,
}

/// Every UI language's messages.
pub struct I18n {
    bundles: HashMap<Language, FluentBundle<FluentResource>>,
    current: Language,
}

impl std::fmt::Debug for I18n {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("I18n")
            .field("current", &self.current)
            .finish_non_exhaustive()
    }
}

impl I18n {
    /// Loads the built-in files.
    pub fn new(current: Language) -> Result<Self, I18nError> {
        let mut bundles = HashMap::new();
        for language in Language::ALL {
            let error = |detail: String| I18nError {
                language: language.code(),
                detail,
            };
            let resource = FluentResource::try_new(language.source().to_owned())
                .map_err(|(_, errors)| error(format!("{errors:?}")))?;
            let id: unic_langid::LanguageIdentifier =
                language.code().parse().map_err(|e| error(format!("{e}")))?;
            let mut bundle = FluentBundle::new(vec![id]);
            // Isolation marks render as boxes in some fonts and confuse screen readers.
            bundle.set_use_isolating(false);
            bundle
                .add_resource(resource)
                .map_err(|errors| error(format!("{errors:?}")))?;
            bundles.insert(language, bundle);
        }
        Ok(Self { bundles, current })
    }

    /// The UI language.
    #[must_use]
    pub fn language(&self) -> Language {
        self.current
    }

    /// Switches the UI language.
    pub fn set_language(&mut self, language: Language) {
        self.current = language;
    }

    /// A message in the UI language (English when that language lacks it; the id itself when
    /// no file has it, so a missing message is visible rather than blank).
    #[must_use]
    pub fn t(&self, id: &str) -> String {
        self.format_in(self.current, id, None)
    }

    /// A message with arguments, e.g. `t_args("status-pending", &[("count", 3.into())])`.
    #[must_use]
    pub fn t_args(&self, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, value.clone());
        }
        self.format_in(self.current, id, Some(&fluent_args))
    }

    /// A message in a given language (for a slip printed in the client's language).
    #[must_use]
    pub fn t_in(&self, language: Language, id: &str) -> String {
        self.format_in(language, id, None)
    }

    /// Whether `language`'s own file has the message (no fallback).
    #[must_use]
    pub fn has(&self, language: Language, id: &str) -> bool {
        self.bundles
            .get(&language)
            .is_some_and(|b| b.has_message(id))
    }

    /// The ids of every message in `language`'s own file.
    #[must_use]
    pub fn message_ids(language: Language) -> Vec<String> {
        language
            .source()
            .lines()
            .filter_map(|line| {
                let (id, _) = line.split_once(" =")?;
                let first = id.chars().next()?;
                (first.is_ascii_lowercase() && !id.contains(' ')).then(|| id.to_owned())
            })
            .collect()
    }

    fn format_in(&self, language: Language, id: &str, args: Option<&FluentArgs<'_>>) -> String {
        for candidate in [language, Language::English] {
            let Some(bundle) = self.bundles.get(&candidate) else {
                continue;
            };
            let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
                continue;
            };
            let mut errors = Vec::new();
            return bundle
                .format_pattern(pattern, args, &mut errors)
                .into_owned();
        }
        id.to_owned()
    }
}
