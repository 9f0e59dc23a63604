//! Comparing two prepared records field by field into levels.

use super::PersonRecord;
use super::address::{AddressWords, compare_addresses};
use crate::ids::ClientId;
use crate::matching::names::{NameLevel, NameWord, compare_sets};
use crate::matching::{Birth, BirthLevel};
use crate::text::{fold, fold_name_tokens};

/// The fields compared, in the order of a [`Comparison`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// Given name(s), preferred name, other spellings.
    GivenName,
    /// Family name(s), other spellings.
    FamilyName,
    /// Date of birth.
    Birth,
    /// Sex or gender.
    Sex,
    /// Community.
    Community,
    /// Band or registry number.
    BandNumber,
    /// Last digits of the SIN.
    SinLast3,
    /// Phone number.
    Phone,
    /// A household member in common.
    Household,
    /// Mailing address.
    Address,
}

impl Field {
    /// Every field, in comparison order.
    pub const ALL: [Self; 10] = [
        Self::GivenName,
        Self::FamilyName,
        Self::Birth,
        Self::Sex,
        Self::Community,
        Self::BandNumber,
        Self::SinLast3,
        Self::Phone,
        Self::Household,
        Self::Address,
    ];

    /// A stable name for reports and CSV.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::GivenName => "given_name",
            Self::FamilyName => "family_name",
            Self::Birth => "date_of_birth",
            Self::Sex => "sex",
            Self::Community => "community",
            Self::BandNumber => "band_number",
            Self::SinLast3 => "sin_last3",
            Self::Phone => "phone",
            Self::Household => "household",
            Self::Address => "mailing_address",
        }
    }

    /// Whether the field names the person (names, date of birth), rather than describing
    /// their circumstances (community, phone, household), which a person's records may differ
    /// on for good reasons.
    #[must_use]
    pub fn identifies(self) -> bool {
        matches!(self, Self::GivenName | Self::FamilyName | Self::Birth)
    }

    /// Names of this field's levels, best first.
    #[must_use]
    pub fn levels(self) -> &'static [&'static str] {
        match self {
            Self::GivenName | Self::FamilyName => {
                &["exact", "variant", "close", "similar", "different"]
            }
            Self::Birth => &["exact", "swapped", "slip", "partial", "near", "different"],
            Self::Household => &["shared_member", "none_shared"],
            Self::Address => &["exact", "mostly_same_words", "some_same_words", "different"],
            _ => &["agree", "different"],
        }
    }
}

/// A record prepared once for many comparisons.
pub struct Prepared {
    /// The record.
    pub id: ClientId,
    pub(crate) given: Vec<NameWord>,
    pub(crate) family: Vec<NameWord>,
    pub(crate) given_all: Vec<NameWord>,
    pub(crate) family_all: Vec<NameWord>,
    pub(crate) birth: Option<Birth>,
    pub(crate) sex: Option<String>,
    pub(crate) community: Option<String>,
    pub(crate) band_number: Option<String>,
    pub(crate) sin_last3: Option<String>,
    pub(crate) phone: Option<String>,
    pub(crate) household: Vec<ClientId>,
    pub(crate) address: AddressWords,
}

/// What registers write where a name is not known. Such a "name" says nothing about the
/// person: two records that both say "Unknown" do not agree, and "Unknown" does not disagree
/// with "Mary".
const NOT_A_NAME: [&str; 29] = [
    "unknown",
    "missing",
    "not recorded",
    "unspecified",
    "null",
    "none given",
    "no given name",
    "no first name",
    "unk",
    "unkn",
    "fnu",
    "lnu",
    "nfn",
    "nln",
    "n a",
    "na",
    "none",
    "no name",
    "noname",
    "not known",
    "not stated",
    "not given",
    "unnamed",
    "anonymous",
    "inconnu",
    "inconnue",
    "x",
    "xx",
    "xxx",
];

/// Whether `name` is a stand-in for a name nobody knew (see [`NOT_A_NAME`]).
#[must_use]
pub(crate) fn is_not_a_name(name: &str) -> bool {
    let folded = fold(name);
    folded.is_empty() || NOT_A_NAME.contains(&folded.as_str())
}

fn words(names: &[String]) -> Vec<NameWord> {
    let mut folded: Vec<String> = names
        .iter()
        .filter(|n| !is_not_a_name(n))
        .flat_map(|n| fold_name_tokens(n))
        .collect();
    folded.sort();
    folded.dedup();
    folded.iter().map(|w| NameWord::new(w)).collect()
}

fn clean(value: Option<&String>, keep: fn(char) -> bool) -> Option<String> {
    let kept: String = value?
        .chars()
        .filter(|c| keep(*c))
        .flat_map(char::to_lowercase)
        .collect();
    (!kept.is_empty()).then_some(kept)
}

impl Prepared {
    /// Folds and keys a record's values.
    #[must_use]
    pub fn new(record: &PersonRecord) -> Self {
        let given = words(&record.given);
        let family = words(&record.family);
        let other = words(&record.other);
        let with_other = |own: &[NameWord]| {
            let mut all = own.to_vec();
            all.extend(other.iter().cloned());
            all
        };
        let phone = clean(record.phone.as_ref(), |c| c.is_ascii_digit()).map(|digits| {
            let start = digits.len().saturating_sub(7);
            digits[start..].to_owned()
        });
        Self {
            id: record.id,
            given_all: with_other(&given),
            family_all: with_other(&family),
            given,
            family,
            birth: record.birth,
            sex: clean(record.sex.as_ref(), char::is_alphanumeric),
            community: clean(record.community.as_ref(), |c| !c.is_whitespace()),
            band_number: clean(record.band_number.as_ref(), char::is_alphanumeric),
            sin_last3: clean(record.sin_last3.as_ref(), |c| c.is_ascii_digit()),
            phone: phone.filter(|p| p.len() >= 7),
            household: record.household.clone(),
            address: AddressWords::new(record.address.as_deref()),
        }
    }
}

/// A pair's level per field (index into [`Field::levels`]; `None` when a side has no value),
/// and whether given and family names matched the other way round.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Comparison {
    /// Level per field, in [`Field::ALL`] order.
    pub levels: [Option<u8>; 10],
    /// Given and family names matched crosswise.
    pub swapped: bool,
}

fn name_index(level: NameLevel) -> u8 {
    match level {
        NameLevel::Exact => 0,
        NameLevel::Variant => 1,
        NameLevel::Close => 2,
        NameLevel::Similar => 3,
        NameLevel::Different => 4,
    }
}

fn birth_index(level: BirthLevel) -> u8 {
    match level {
        BirthLevel::Exact => 0,
        BirthLevel::Swapped => 1,
        BirthLevel::Slip => 2,
        BirthLevel::Partial => 3,
        BirthLevel::Near => 4,
        BirthLevel::Different => 5,
    }
}

fn agree(a: Option<&String>, b: Option<&String>) -> Option<u8> {
    Some(u8::from(a? != b?))
}

/// Compares two prepared records.
#[must_use]
pub fn compare(a: &Prepared, b: &Prepared) -> Comparison {
    let direct = (
        compare_sets(&a.given_all, &b.given_all),
        compare_sets(&a.family_all, &b.family_all),
    );
    let crossed = (
        compare_sets(&a.given, &b.family),
        compare_sets(&a.family, &b.given),
    );
    let rank = |(g, f): (Option<NameLevel>, Option<NameLevel>)| {
        g.map_or(5, name_index) + f.map_or(5, name_index)
    };
    let swapped = rank(crossed) + 1 < rank(direct);
    let (given, family) = if swapped { crossed } else { direct };
    let household = (!a.household.is_empty() && !b.household.is_empty()).then(|| {
        let shared = a.household.iter().any(|m| b.household.contains(m))
            || a.household.contains(&b.id)
            || b.household.contains(&a.id);
        u8::from(!shared)
    });
    Comparison {
        levels: [
            given.map(name_index),
            family.map(name_index),
            a.birth.zip(b.birth).map(|(x, y)| birth_index(x.compare(y))),
            agree(a.sex.as_ref(), b.sex.as_ref()),
            agree(a.community.as_ref(), b.community.as_ref()),
            agree(a.band_number.as_ref(), b.band_number.as_ref()),
            agree(a.sin_last3.as_ref(), b.sin_last3.as_ref()),
            agree(a.phone.as_ref(), b.phone.as_ref()),
            household,
            compare_addresses(&a.address, &b.address),
        ],
        swapped,
    }
}

#[cfg(test)]
mod tests {
    use super::{Field, PersonRecord, Prepared, compare};
    use crate::ids::ClientId;

    fn person(given: &str, family: &str) -> Prepared {
        Prepared::new(&PersonRecord {
            given: vec![given.to_owned()],
            family: vec![family.to_owned()],
            ..PersonRecord::new(ClientId::random())
        })
    }

    #[test]
    fn a_name_split_by_a_space_on_one_record_is_the_same_name() {
        let (given, family) = (0, 1);
        let split = compare(
            &person("Isabe lla", "Satte rley"),
            &person("Isabella", "Satterley"),
        );
        assert_eq!(
            (split.levels[given], split.levels[family]),
            (Some(0), Some(0))
        );
        let two_words = compare(&person("Mary Ann", "Kootoo"), &person("Maryann", "Kootoo"));
        assert_eq!(two_words.levels[given], Some(0));
    }

    #[test]
    fn a_stand_in_for_an_unknown_name_neither_agrees_nor_disagrees() {
        let given = Field::ALL
            .iter()
            .position(|f| *f == Field::GivenName)
            .unwrap();
        let unknown = person("Unknown", "Kilabuk");
        assert_eq!(
            compare(&unknown, &person("Annie", "Kilabuk")).levels[given],
            None
        );
        assert_eq!(
            compare(&unknown, &person("UNKNOWN", "Kilabuk")).levels[given],
            None
        );
        assert_eq!(
            compare(&person("N/A", "Kilabuk"), &person("Annie", "Kilabuk")).levels[given],
            None
        );
        assert_eq!(
            compare(&person("(missing)", "Kilabuk"), &person("Annie", "Kilabuk")).levels[given],
            None
        );
        assert_eq!(
            compare(&person("?", "Kilabuk"), &person("-", "Kilabuk")).levels[given],
            None
        );
        // A real name that merely starts like one is still a name.
        assert_eq!(
            compare(&person("Nala", "Kilabuk"), &person("Nala", "Kilabuk")).levels[given],
            Some(0)
        );
    }
}
