//! The program and partner catalogue: data the app loads, not an enum in code.
//!
//! Governments change programs more often than we ship; a catalogue file (format version 1) lists
//! governments, communities, partners, consent purposes, documents, programs and **life-event
//! bundles** ("tell us once": one life event proposes the related programs of every government).
//! The built-in copy is `catalogue/catalogue-v1.json`; a node can ship a newer one.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use crate::ids::{CommunityCode, DocumentKind, PartnerCode, ProgramCode, PurposeCode};

/// The largest catalogue file accepted.
pub const MAX_CATALOGUE_BYTES: usize = 4 * 1024 * 1024;

/// Text in several languages, keyed by language code (`en`, `fr`, `iu`, `cr`, …).
pub type LocalizedText = BTreeMap<String, String>;

/// Picks the text for `language`, falling back to English, then to any text.
#[must_use]
pub fn localized<'a>(text: &'a LocalizedText, language: &str) -> &'a str {
    text.get(language)
        .or_else(|| text.get("en"))
        .or_else(|| text.values().next())
        .map_or("", String::as_str)
}

/// Which order of government runs something.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GovernmentLevel {
    /// Government of Canada.
    Federal,
    /// A province or territory.
    ProvincialTerritorial,
    /// A municipality.
    Municipal,
    /// A First Nation band or other Indigenous government.
    Band,
}

/// A government.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Government {
    /// Code, e.g. `ca`, `nu`.
    pub code: String,
    /// Order of government.
    pub level: GovernmentLevel,
    /// Name.
    pub name: LocalizedText,
}

/// A community served.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Community {
    /// Code.
    pub code: CommunityCode,
    /// Name, in local scripts too.
    pub name: LocalizedText,
    /// The province, territory or Inuit region it is in (`nu`, `nt`, `yt`, `nunavik`, …).
    #[serde(default)]
    pub region: Option<String>,
    /// Where the name (and its spelling in the community's language) was taken from.
    #[serde(default)]
    pub source: Option<String>,
}

/// A partner organisation: runs programs, receives referrals, may receive data with consent.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Partner {
    /// Code.
    pub code: PartnerCode,
    /// The government it belongs to; none for non-governmental partners.
    pub government: Option<String>,
    /// Name.
    pub name: LocalizedText,
    /// How a client reaches it (printed on referral slips); absent where the catalogue does
    /// not know it, and the slip leaves a line to write it by hand.
    #[serde(default)]
    pub contact: Option<PartnerContact>,
}

/// A partner's public contact details.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartnerContact {
    /// Public telephone number.
    #[serde(default)]
    pub phone: Option<String>,
    /// Mailing or street address.
    #[serde(default)]
    pub address: Option<LocalizedText>,
    /// Public web address.
    #[serde(default)]
    pub web: Option<String>,
    /// Where these details were taken from (a public page), for the office to re-check.
    pub source: String,
}

/// A consent purpose.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Purpose {
    /// Code.
    pub code: PurposeCode,
    /// Name.
    pub name: LocalizedText,
}

/// A kind of document an agent may see.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentType {
    /// Code.
    pub code: DocumentKind,
    /// Name.
    pub name: LocalizedText,
}

/// A program or service.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Program {
    /// Code.
    pub code: ProgramCode,
    /// The government that funds it; none for non-governmental programs.
    pub government: Option<String>,
    /// The partner that runs it.
    pub partner: PartnerCode,
    /// Name.
    pub name: LocalizedText,
    /// Documents usually needed.
    pub documents: Vec<DocumentKind>,
    /// The public page that describes it, for the office to re-check.
    #[serde(default)]
    pub source: Option<String>,
}

/// A life event and the programs it proposes.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LifeEvent {
    /// Code, e.g. `new-baby`.
    pub code: String,
    /// Name.
    pub name: LocalizedText,
    /// Programs to propose, across governments.
    pub programs: Vec<ProgramCode>,
    /// Those of `programs` that belong to the household member the event is about (a new
    /// baby's birth registration, SIN and health card), not to the client being served.
    #[serde(default)]
    pub for_member: Vec<ProgramCode>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogueFile {
    format: String,
    format_version: u32,
    catalogue_version: String,
    governments: Vec<Government>,
    communities: Vec<Community>,
    partners: Vec<Partner>,
    purposes: Vec<Purpose>,
    documents: Vec<DocumentType>,
    programs: Vec<Program>,
    life_events: Vec<LifeEvent>,
}

/// Why a catalogue file was refused.
#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    /// Over [`MAX_CATALOGUE_BYTES`].
    #[error("catalogue file is larger than {MAX_CATALOGUE_BYTES} bytes")]
    TooLarge,
    /// Not valid JSON of the expected shape.
    #[error("catalogue file is malformed: {0}")]
    Malformed(#[from] serde_json::Error),
    /// Another format or a newer format version.
    #[error("unsupported catalogue format (expected outreach-catalogue version 1)")]
    UnsupportedFormat,
    /// An entry refers to a code that is not defined, or a code is defined twice.
    #[error("catalogue is inconsistent: {kind} `{code}`")]
    Inconsistent {
        /// What is wrong.
        kind: &'static str,
        /// The code concerned (catalogue data, never client data).
        code: String,
    },
    /// An update older than the catalogue built into this app.
    #[error("catalogue {found} is older than the built-in {built_in}")]
    Older {
        /// The update's version.
        found: String,
        /// This build's.
        built_in: String,
    },
    /// An update that drops a code records may use: they would stop passing validation.
    #[error("the catalogue update drops the {kind} `{code}` that records may use")]
    Drops {
        /// Which list.
        kind: &'static str,
        /// The code.
        code: String,
    },
}

/// A loaded, checked catalogue.
#[derive(Clone, Debug)]
pub struct Catalogue {
    /// The version of the catalogue's content, e.g. `2026.11.0`.
    pub version: String,
    /// Governments.
    pub governments: Vec<Government>,
    /// Communities.
    pub communities: Vec<Community>,
    /// Partners.
    pub partners: Vec<Partner>,
    /// Consent purposes.
    pub purposes: Vec<Purpose>,
    /// Document kinds.
    pub documents: Vec<DocumentType>,
    /// Programs.
    pub programs: Vec<Program>,
    /// Life events.
    pub life_events: Vec<LifeEvent>,
}

const BUILT_IN: &str = include_str!("../catalogue/catalogue-v1.json");

/// The catalogue in force in this process: an office update installed at start, or the
/// built-in one.
static CURRENT: std::sync::OnceLock<Catalogue> = std::sync::OnceLock::new();

impl Catalogue {
    /// An office's catalogue update (a file it ships without a new build), verified: it parses
    /// and is consistent, is not older than the built-in catalogue, and keeps every code the
    /// built-in one has (records may use them).
    pub fn from_update(bytes: &[u8]) -> Result<Self, CatalogueError> {
        let update = Self::from_json(bytes)?;
        let built_in = Self::built_in()?;
        if version_key(&update.version) < version_key(&built_in.version) {
            return Err(CatalogueError::Older {
                found: update.version,
                built_in: built_in.version,
            });
        }
        let kept = |kind: &'static str, old: Vec<&str>, new: Vec<&str>| {
            let new: BTreeSet<&str> = new.into_iter().collect();
            match old.into_iter().find(|code| !new.contains(code)) {
                Some(code) => Err(CatalogueError::Drops {
                    kind,
                    code: code.to_owned(),
                }),
                None => Ok(()),
            }
        };
        kept(
            "community",
            built_in
                .communities
                .iter()
                .map(|c| c.code.as_str())
                .collect(),
            update.communities.iter().map(|c| c.code.as_str()).collect(),
        )?;
        kept(
            "partner",
            built_in.partners.iter().map(|p| p.code.as_str()).collect(),
            update.partners.iter().map(|p| p.code.as_str()).collect(),
        )?;
        kept(
            "program",
            built_in.programs.iter().map(|p| p.code.as_str()).collect(),
            update.programs.iter().map(|p| p.code.as_str()).collect(),
        )?;
        kept(
            "purpose",
            built_in.purposes.iter().map(|p| p.code.as_str()).collect(),
            update.purposes.iter().map(|p| p.code.as_str()).collect(),
        )?;
        kept(
            "document",
            built_in.documents.iter().map(|d| d.code.as_str()).collect(),
            update.documents.iter().map(|d| d.code.as_str()).collect(),
        )?;
        Ok(update)
    }

    /// Makes `catalogue` the one this process uses (once, at start, before any is read).
    /// `false` when another was installed or read first (this one is then not used).
    #[must_use]
    pub fn install(catalogue: Self) -> bool {
        CURRENT.set(catalogue).is_ok()
    }

    /// The catalogue in force: the installed update, or the built-in one.
    pub fn current() -> Result<&'static Self, CatalogueError> {
        if let Some(catalogue) = CURRENT.get() {
            return Ok(catalogue);
        }
        let built_in = Self::built_in()?;
        Ok(CURRENT.get_or_init(|| built_in))
    }

    /// The catalogue shipped with this build.
    pub fn built_in() -> Result<Self, CatalogueError> {
        Self::from_json(BUILT_IN.as_bytes())
    }

    /// Parses and checks a catalogue file.
    pub fn from_json(bytes: &[u8]) -> Result<Self, CatalogueError> {
        if bytes.len() > MAX_CATALOGUE_BYTES {
            return Err(CatalogueError::TooLarge);
        }
        let file: CatalogueFile = serde_json::from_slice(bytes)?;
        if file.format != "outreach-catalogue" || file.format_version != 1 {
            return Err(CatalogueError::UnsupportedFormat);
        }
        let catalogue = Self {
            version: file.catalogue_version,
            governments: file.governments,
            communities: file.communities,
            partners: file.partners,
            purposes: file.purposes,
            documents: file.documents,
            programs: file.programs,
            life_events: file.life_events,
        };
        catalogue.check()?;
        Ok(catalogue)
    }

    fn check(&self) -> Result<(), CatalogueError> {
        let bad = |kind, code: &str| {
            Err(CatalogueError::Inconsistent {
                kind,
                code: code.to_owned(),
            })
        };
        let governments = unique(
            self.governments.iter().map(|g| g.code.as_str()),
            "government",
        )?;
        unique(
            self.communities.iter().map(|c| c.code.as_str()),
            "community",
        )?;
        let partners = unique(self.partners.iter().map(|p| p.code.as_str()), "partner")?;
        unique(self.purposes.iter().map(|p| p.code.as_str()), "purpose")?;
        let documents = unique(self.documents.iter().map(|d| d.code.as_str()), "document")?;
        let programs = unique(self.programs.iter().map(|p| p.code.as_str()), "program")?;
        unique(
            self.life_events.iter().map(|e| e.code.as_str()),
            "life event",
        )?;
        for partner in &self.partners {
            if let Some(g) = &partner.government
                && !governments.contains(g.as_str())
            {
                return bad("partner names an unknown government", g);
            }
        }
        for program in &self.programs {
            if let Some(g) = &program.government
                && !governments.contains(g.as_str())
            {
                return bad("program names an unknown government", g);
            }
            if !partners.contains(program.partner.as_str()) {
                return bad("program names an unknown partner", program.partner.as_str());
            }
            if let Some(d) = program
                .documents
                .iter()
                .find(|d| !documents.contains(d.as_str()))
            {
                return bad("program names an unknown document", d.as_str());
            }
        }
        for event in &self.life_events {
            if let Some(p) = event
                .programs
                .iter()
                .find(|p| !programs.contains(p.as_str()))
            {
                return bad("life event names an unknown program", p.as_str());
            }
            if let Some(p) = event
                .for_member
                .iter()
                .find(|p| !event.programs.contains(p))
            {
                return bad(
                    "life event gives a member a program it does not propose",
                    p.as_str(),
                );
            }
        }
        Ok(())
    }

    /// A program by code.
    #[must_use]
    pub fn program(&self, code: &ProgramCode) -> Option<&Program> {
        self.programs.iter().find(|p| &p.code == code)
    }

    /// A partner by code.
    #[must_use]
    pub fn partner(&self, code: &PartnerCode) -> Option<&Partner> {
        self.partners.iter().find(|p| &p.code == code)
    }

    /// A community by code.
    #[must_use]
    pub fn community(&self, code: &CommunityCode) -> Option<&Community> {
        self.communities.iter().find(|c| &c.code == code)
    }

    /// A government by code.
    #[must_use]
    pub fn government(&self, code: &str) -> Option<&Government> {
        self.governments.iter().find(|g| g.code == code)
    }

    /// The programs of a life event's bundle that belong to the member it is about.
    #[must_use]
    pub fn life_event_member_programs(&self, event_code: &str) -> Vec<&Program> {
        self.life_events
            .iter()
            .find(|e| e.code == event_code)
            .map(|e| {
                e.for_member
                    .iter()
                    .filter_map(|p| self.program(p))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The programs a life event proposes, in catalogue order of the event ("tell us once").
    #[must_use]
    pub fn life_event_bundle(&self, event_code: &str) -> Vec<&Program> {
        self.life_events
            .iter()
            .find(|e| e.code == event_code)
            .map(|e| e.programs.iter().filter_map(|p| self.program(p)).collect())
            .unwrap_or_default()
    }
}

/// `2026.12.1` as numbers, so `2026.12.10` sorts after `2026.12.9`.
fn version_key(version: &str) -> Vec<u64> {
    version
        .split('.')
        .map(|part| part.parse().unwrap_or(0))
        .collect()
}

fn unique<'a>(
    codes: impl Iterator<Item = &'a str>,
    kind: &'static str,
) -> Result<BTreeSet<&'a str>, CatalogueError> {
    let mut seen = BTreeSet::new();
    for code in codes {
        if code.is_empty() || !seen.insert(code) {
            return Err(CatalogueError::Inconsistent {
                kind,
                code: code.to_owned(),
            });
        }
    }
    Ok(seen)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_catalogue_loads_and_is_consistent() {
        let catalogue = Catalogue::built_in().unwrap();
        assert!(catalogue.programs.len() >= 15);
        let levels: BTreeSet<_> = catalogue
            .governments
            .iter()
            .map(|g| format!("{:?}", g.level))
            .collect();
        assert_eq!(
            levels.len(),
            4,
            "federal, provincial/territorial, municipal and band examples"
        );
    }

    /// The communities an agent meets: every community of Nunavut, the Northwest Territories,
    /// Nunavik and Nunatsiavut, Yukon's, and the fly-in First Nations of northern Manitoba and
    /// Ontario; the federal programs an integrated agent handles; each with its public source.
    #[test]
    fn the_catalogue_covers_the_north_and_says_where_each_entry_came_from() {
        let catalogue = Catalogue::built_in().unwrap();
        let in_region = |region: &str| {
            catalogue
                .communities
                .iter()
                .filter(|c| c.region.as_deref() == Some(region))
                .count()
        };
        assert_eq!(in_region("nu"), 25, "Nunavut's 25 communities");
        assert_eq!(in_region("nt"), 33, "the NWT's 33 communities");
        assert_eq!(in_region("nunavik"), 14, "Nunavik's 14 villages");
        assert_eq!(in_region("nunatsiavut"), 5, "Nunatsiavut's 5 communities");
        assert!(in_region("yt") >= 14);
        assert!(in_region("mb") >= 12 && in_region("on") >= 25);
        for community in catalogue
            .communities
            .iter()
            .filter(|c| matches!(c.region.as_deref(), Some("nu" | "nunavik")))
        {
            let syllabics = community
                .name
                .get("iu")
                .map(String::as_str)
                .unwrap_or_default();
            assert!(
                syllabics.chars().any(crate::text::is_syllabic),
                "{} has its name in syllabics",
                community.code.as_str()
            );
        }
        for code in [
            "ca.ei",
            "ca.cpp",
            "ca.cpp-disability",
            "ca.oas",
            "ca.gis",
            "ca.sin",
            "ca.ccb",
            "ca.passport",
            "ca.status-card",
            "ca.veterans-disability",
            "ca.student-aid",
            "nu.health-card",
            "nt.health-card",
            "yt.health-card",
        ] {
            assert!(
                catalogue.program(&ProgramCode::new(code)).is_some(),
                "{code} is in the catalogue"
            );
        }
        assert!(catalogue.programs.iter().all(|p| p.source.is_some()));
        assert!(
            catalogue
                .communities
                .iter()
                .filter(|c| c.region.is_some())
                .all(|c| c.source.is_some())
        );
    }

    /// An office update is taken only when it is whole, not older, and drops nothing records use.
    #[test]
    fn a_catalogue_update_is_verified_before_it_is_used() {
        let built_in = include_str!("../catalogue/catalogue-v1.json");
        let version = Catalogue::built_in().unwrap().version;
        let newer = built_in.replacen(&version, "2099.1.0", 1);
        let update = Catalogue::from_update(newer.as_bytes()).unwrap();
        assert_eq!(update.version, "2099.1.0");
        let older = built_in.replacen(&version, "2000.1.0", 1);
        assert!(matches!(
            Catalogue::from_update(older.as_bytes()),
            Err(CatalogueError::Older { .. })
        ));
        let dropped = newer.replacen("\"nu.iqaluit\"", "\"nu.iqaluit-renamed\"", 1);
        assert!(matches!(
            Catalogue::from_update(dropped.as_bytes()),
            Err(CatalogueError::Drops {
                kind: "community",
                ..
            })
        ));
        assert!(matches!(
            Catalogue::from_update(&newer.as_bytes()[..newer.len() / 2]),
            Err(CatalogueError::Malformed(_))
        ));
    }

    #[test]
    fn life_event_bundle_spans_several_governments() {
        let catalogue = Catalogue::built_in().unwrap();
        for event in [
            "new-baby",
            "death-in-family",
            "evacuation",
            "job-loss",
            "turning-65",
        ] {
            let bundle = catalogue.life_event_bundle(event);
            let governments: BTreeSet<_> = bundle.iter().map(|p| p.government.clone()).collect();
            assert!(
                governments.len() >= 2,
                "{event} proposes programs of one government only"
            );
        }
    }

    #[test]
    fn catalogue_naming_an_unknown_program_is_refused() {
        let text = BUILT_IN.replacen("\"ca.oas\", \"ca.gis\"", "\"ca.oas\", \"ca.nope\"", 1);
        assert!(matches!(
            Catalogue::from_json(text.as_bytes()),
            Err(CatalogueError::Inconsistent { .. })
        ));
    }

    #[test]
    fn oversized_or_foreign_catalogue_is_refused() {
        let huge = vec![b' '; MAX_CATALOGUE_BYTES + 1];
        assert!(matches!(
            Catalogue::from_json(&huge),
            Err(CatalogueError::TooLarge)
        ));
        let other = BUILT_IN.replacen("\"format_version\": 1", "\"format_version\": 2", 1);
        assert!(matches!(
            Catalogue::from_json(other.as_bytes()),
            Err(CatalogueError::UnsupportedFormat)
        ));
    }
}
