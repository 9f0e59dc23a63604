//! A labelled population of intake records with realistic noise, for the matcher and search
//! quality benchmarks (issue 11). Deterministic for a seed.
//!
//! People live in households (shared family name and community, children's births spread over
//! years, now and then twins) in Inuit, Cree, French- and English-speaking communities; given
//! names follow a skewed distribution (many Annies and Marys). A person has one to four records;
//! each extra record carries one or two kinds of noise an intake desk produces: typing slips
//! (substitution of a neighbouring key, dropped or doubled letter, transposition), a nickname
//! or French/English form of the given name, given and family swapped, the name in syllabics
//! instead of roman letters or another roman spelling of an Inuktitut name, day and month
//! swapped, a year only, a missing date, a one-digit date slip, a missing sex or community.
//! The nickname table here is written independently of the matcher's, so names the matcher does
//! not know show up as misses rather than being hidden.
#![allow(
    dead_code,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::cast_possible_truncation,
    clippy::cast_precision_loss
)]

use rand::rngs::StdRng;
use rand::seq::IndexedRandom as _;
use rand::{Rng, SeedableRng as _};
use shared::ids::ClientId;
use shared::matching::Birth;
use shared::matching::linkage::PersonRecord;
use shared::text::syllabify;

#[path = "names.rs"]
mod names;
pub use names::*;

/// Communities by the language most names there are in.
pub const COMMUNITIES: &[(&str, Culture)] = &[
    ("nu.iqaluit", Culture::Inuit),
    ("nu.pangnirtung", Culture::Inuit),
    ("nu.arviat", Culture::Inuit),
    ("nu.igloolik", Culture::Inuit),
    ("nu.pond_inlet", Culture::Inuit),
    ("nu.cape_dorset", Culture::Inuit),
    ("qc.kuujjuaq", Culture::Inuit),
    ("qc.salluit", Culture::Inuit),
    ("qc.puvirnituq", Culture::Inuit),
    ("qc.chisasibi", Culture::Cree),
    ("qc.mistissini", Culture::Cree),
    ("qc.waskaganish", Culture::Cree),
    ("on.attawapiskat", Culture::Cree),
    ("on.moosonee", Culture::Cree),
    ("mb.norway_house", Culture::Cree),
    ("qc.chibougamau", Culture::French),
    ("qc.val_dor", Culture::French),
    ("qc.sept_iles", Culture::French),
    ("mb.churchill", Culture::English),
    ("nt.yellowknife", Culture::English),
    ("on.timmins", Culture::English),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Culture {
    Inuit,
    Cree,
    French,
    English,
}

/// One person as they are (before any desk writes them down).
#[derive(Clone, Debug)]
pub struct Person {
    pub index: usize,
    /// Spellings of the given name (first is how this person writes it) and whether it is an
    /// Inuktitut name (has a syllabic form).
    pub given: Vec<String>,
    pub given_inuktitut: bool,
    /// Known nicknames / other-language forms of the given name.
    pub given_forms: Vec<String>,
    pub family: Vec<String>,
    pub family_inuktitut: bool,
    pub year: i16,
    pub month: u8,
    pub day: u8,
    pub sex: &'static str,
    pub community: &'static str,
    pub culture: Culture,
    pub band_number: Option<String>,
    pub phone: Option<String>,
    pub household: usize,
}

/// Kinds of noise; each record after a person's first gets one (65 %) or two.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Noise {
    Typo,
    Transposition,
    DroppedLetter,
    Nickname,
    Swapped,
    Syllabics,
    SpellingVariant,
    DayMonthSwap,
    YearOnly,
    MissingDate,
    DateSlip,
    MissingFields,
    Moved,
}

const NOISES: &[Noise] = &[
    Noise::Typo,
    Noise::Transposition,
    Noise::DroppedLetter,
    Noise::Nickname,
    Noise::Swapped,
    Noise::Syllabics,
    Noise::SpellingVariant,
    Noise::DayMonthSwap,
    Noise::YearOnly,
    Noise::MissingDate,
    Noise::DateSlip,
    Noise::MissingFields,
    Noise::Moved,
];

/// Skewed pick: early entries much more common (a few names are everywhere).
fn skewed<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    let x: f64 = rng.random();
    let at = (x.powf(1.5) * items.len() as f64) as usize;
    &items[at.min(items.len() - 1)]
}

fn given_for(rng: &mut StdRng, culture: Culture) -> (Vec<String>, bool, Vec<String>) {
    let inuktitut = culture == Culture::Inuit && rng.random_bool(0.55);
    if inuktitut && rng.random_bool(0.4) {
        return (vec![inuktitut_name(rng)], true, Vec::new());
    }
    if inuktitut {
        let group = skewed(rng, INUIT_GIVEN);
        let mut spellings: Vec<String> = group.iter().map(|s| (*s).to_owned()).collect();
        let own = rng.random_range(0..spellings.len());
        spellings.swap(0, own);
        return (spellings, true, Vec::new());
    }
    let (name, forms) = skewed(rng, GIVEN);
    (
        vec![(*name).to_owned()],
        false,
        forms.iter().map(|s| (*s).to_owned()).collect(),
    )
}

const INUKTITUT_SYLLABLES: &[&str] = &[
    "a", "i", "u", "ka", "ki", "ku", "qa", "qi", "qu", "na", "ni", "nu", "pa", "pi", "pu", "ta",
    "ti", "tu", "ma", "mi", "mu", "sa", "si", "su", "la", "li", "lu", "ja", "ji", "ju", "va", "vi",
    "vu", "ra", "ri", "ru", "nga", "ngi", "ngu", "aa", "ii", "uu",
];
const INUKTITUT_FINALS: &[&str] = &["", "", "k", "q", "t", "p", "ng", "ll", "k", "q"];
const ENGLISH_STARTS: &[&str] = &[
    "Ash", "Black", "Brad", "Brook", "Cal", "Car", "Chad", "Cres", "Dal", "Dun", "Elling", "Fair",
    "Fern", "Glen", "Gold", "Hart", "Hay", "Hol", "Kings", "Lang", "Lock", "Mar", "Mid", "Mor",
    "North", "Oak", "Pem", "Red", "Ros", "Rad", "Sher", "Stan", "Thorn", "Wal", "West", "Whit",
    "Win", "Wood", "Yar", "Bar", "Ber", "Col", "Ed", "Mc", "Pres",
];
const ENGLISH_ENDS: &[&str] = &[
    "ford", "wood", "ley", "ton", "field", "son", "well", "by", "man", "worth", "more", "ridge",
    "land", "ham", "brook", "stone", "dale", "wick", "combe", "er",
];
const FRENCH_STARTS: &[&str] = &[
    "Beau", "Bel", "Bon", "Char", "Cha", "Des", "Du", "Fon", "Gau", "Gren", "La", "Le", "Mal",
    "Mar", "Mon", "Pa", "Per", "Ri", "Ro", "St-", "Tou", "Val", "Ver", "Vil", "Bou", "Cour",
];
const FRENCH_ENDS: &[&str] = &[
    "champ", "lieu", "mont", "court", "lard", "ville", "pré", "bois", "chêne", "fort", "neau",
    "reault", "rier", "tier", "vais", "mier", "lin", "don", "jean", "ault",
];

/// An Inuktitut-sounding name in standard roman spelling (two to four syllables).
fn inuktitut_name(rng: &mut StdRng) -> String {
    let syllables = rng.random_range(2..=4);
    let mut name = String::new();
    for _ in 0..syllables {
        name.push_str(INUKTITUT_SYLLABLES.choose(rng).unwrap());
    }
    name.push_str(INUKTITUT_FINALS.choose(rng).unwrap());
    capitalised(&name)
}

fn capitalised(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn compound(rng: &mut StdRng, starts: &[&str], ends: &[&str]) -> String {
    format!(
        "{}{}",
        starts.choose(rng).unwrap(),
        ends.choose(rng).unwrap()
    )
}

fn family_for(rng: &mut StdRng, culture: Culture) -> (Vec<String>, bool) {
    // Most family names are not from the short hand-written lists (a region has thousands);
    // the lists keep the known spelling variants in play.
    if rng.random_bool(0.6) {
        return match culture {
            Culture::Inuit => (vec![inuktitut_name(rng)], true),
            Culture::Cree | Culture::English => {
                (vec![compound(rng, ENGLISH_STARTS, ENGLISH_ENDS)], false)
            }
            Culture::French => (vec![compound(rng, FRENCH_STARTS, FRENCH_ENDS)], false),
        };
    }
    let groups: Vec<Vec<String>> = match culture {
        Culture::Inuit => INUIT_FAMILY
            .iter()
            .map(|g| g.iter().map(|s| (*s).to_owned()).collect())
            .collect(),
        Culture::Cree => CREE_FAMILY
            .iter()
            .map(|g| g.iter().map(|s| (*s).to_owned()).collect())
            .collect(),
        Culture::French => FRENCH_FAMILY
            .iter()
            .map(|s| vec![(*s).to_owned()])
            .collect(),
        Culture::English => ENGLISH_FAMILY
            .iter()
            .map(|s| vec![(*s).to_owned()])
            .collect(),
    };
    let mut spellings = groups[rng.random_range(0..groups.len())].clone();
    let own = rng.random_range(0..spellings.len());
    spellings.swap(0, own);
    (spellings, culture == Culture::Inuit)
}

/// `people` people in households.
pub fn population(seed: u64, people: usize) -> Vec<Person> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut out = Vec::with_capacity(people);
    let mut household = 0;
    while out.len() < people {
        household += 1;
        let (community, culture) = *COMMUNITIES.choose(&mut rng).unwrap();
        let (family, family_inuktitut) = family_for(&mut rng, culture);
        let size = rng.random_range(1..=6).min(people - out.len());
        let parent_year: i16 = rng.random_range(1940..=1995);
        let mut last_birth: Option<(i16, u8, u8)> = None;
        let mut given_in_household: Vec<String> = Vec::new();
        for member in 0..size {
            // Brothers and sisters do not share a given name.
            let (given, given_inuktitut, given_forms) = loop {
                let drawn = given_for(&mut rng, culture);
                if !given_in_household.contains(&drawn.0[0]) {
                    given_in_household.push(drawn.0[0].clone());
                    break drawn;
                }
            };
            let twin = member >= 3 && rng.random_bool(0.03);
            let (year, month, day) = match (twin, last_birth) {
                (true, Some(birth)) => birth,
                _ => {
                    let year = if member < 2 {
                        parent_year + rng.random_range(-3..=3)
                    } else {
                        (parent_year + 18 + rng.random_range(0..20)).min(2026)
                    };
                    (year, rng.random_range(1..=12), rng.random_range(1..=28))
                }
            };
            last_birth = Some((year, month, day));
            out.push(Person {
                index: out.len(),
                given,
                given_inuktitut,
                given_forms,
                family: family.clone(),
                family_inuktitut,
                year,
                month,
                day,
                sex: if rng.random_bool(0.5) { "f" } else { "m" },
                community,
                culture,
                band_number: (culture == Culture::Cree && rng.random_bool(0.5))
                    .then(|| format!("{:010}", rng.random_range(0..10_000_000_000u64))),
                phone: rng
                    .random_bool(0.4)
                    .then(|| format!("867-555-{:04}", rng.random_range(0..10_000))),
                household,
            });
        }
    }
    out
}

const KEYBOARD: &[&str] = &["qwertyuiop", "asdfghjkl", "zxcvbnm"];

fn neighbour(rng: &mut StdRng, c: char) -> char {
    for row in KEYBOARD {
        if let Some(at) = row.find(c) {
            let row: Vec<char> = row.chars().collect();
            let options: Vec<char> = [at.checked_sub(1), Some(at + 1)]
                .into_iter()
                .flatten()
                .filter_map(|i| row.get(i).copied())
                .collect();
            return *options.choose(rng).unwrap_or(&c);
        }
    }
    c
}

fn position(rng: &mut StdRng, len: usize) -> usize {
    if len <= 2 || rng.random_bool(0.1) {
        rng.random_range(0..len)
    } else {
        rng.random_range(1..len)
    }
}

/// One typing slip in `word`.
pub fn slip(rng: &mut StdRng, word: &str, kind: Noise) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    if chars.len() < 3 {
        return word.to_owned();
    }
    let at = position(rng, chars.len());
    match kind {
        Noise::Transposition => {
            let at = at.min(chars.len() - 2);
            chars.swap(at, at + 1);
        }
        Noise::DroppedLetter => {
            chars.remove(at);
        }
        _ => match rng.random_range(0..3) {
            0 => {
                let lower = chars[at].to_ascii_lowercase();
                let replaced = neighbour(rng, lower);
                chars[at] = if chars[at].is_uppercase() {
                    replaced.to_ascii_uppercase()
                } else {
                    replaced
                };
            }
            1 => chars.insert(at, chars[at].to_ascii_lowercase()),
            _ => {
                let lower = chars[at].to_ascii_lowercase();
                chars.insert(at, neighbour(rng, lower));
            }
        },
    }
    chars.into_iter().collect()
}

/// The name in syllabics, when it has a standard roman spelling to syllabify.
pub fn in_syllabics(standard: &str) -> Option<String> {
    syllabify(&shared::text::fold(standard))
}

/// How one desk wrote one person down.
#[derive(Clone, Debug)]
pub struct Written {
    pub given: String,
    pub family: String,
    pub other: Vec<String>,
    pub birth: Option<Birth>,
    pub sex: Option<&'static str>,
    pub community: Option<&'static str>,
}

fn standard_given(person: &Person) -> &str {
    if person.given_inuktitut {
        INUIT_GIVEN
            .iter()
            .find(|g| g.iter().any(|s| *s == person.given[0]))
            .map_or(&person.given[0], |g| g[0])
    } else {
        &person.given[0]
    }
}

fn standard_family(person: &Person) -> &str {
    INUIT_FAMILY
        .iter()
        .find(|g| g.iter().any(|s| *s == person.family[0]))
        .map_or(&person.family[0], |g| g[0])
}

/// The person as written without noise (the first record).
pub fn clean(person: &Person) -> Written {
    Written {
        given: person.given[0].clone(),
        family: person.family[0].clone(),
        other: Vec::new(),
        birth: Some(Birth {
            year: person.year,
            month: Some(person.month),
            day: Some(person.day),
            approximate: false,
        }),
        sex: Some(person.sex),
        community: Some(person.community),
    }
}

/// Applies one kind of noise to a written record; `false` when it does not apply to this
/// person (no nickname known, not an Inuktitut name, …).
pub fn apply(rng: &mut StdRng, person: &Person, written: &mut Written, noise: Noise) -> bool {
    match noise {
        Noise::Typo | Noise::Transposition | Noise::DroppedLetter => {
            if rng.random_bool(0.5) {
                written.given = slip(rng, &written.given, noise);
            } else {
                written.family = slip(rng, &written.family, noise);
            }
        }
        Noise::Nickname => match person.given_forms.choose(rng) {
            Some(form) => written.given.clone_from(form),
            None => return false,
        },
        Noise::Swapped => std::mem::swap(&mut written.given, &mut written.family),
        Noise::Syllabics => {
            if !person.given_inuktitut && !person.family_inuktitut {
                return false;
            }
            if person.given_inuktitut
                && let Some(s) = in_syllabics(standard_given(person))
            {
                written.given = s;
            }
            if person.family_inuktitut
                && let Some(s) = in_syllabics(standard_family(person))
            {
                written.family = s;
            }
        }
        Noise::SpellingVariant => {
            let given = person.given.len() > 1;
            let family = person.family.len() > 1;
            if !given && !family {
                return false;
            }
            if given && (!family || rng.random_bool(0.5)) {
                written
                    .given
                    .clone_from(&person.given[rng.random_range(1..person.given.len())]);
            } else {
                written
                    .family
                    .clone_from(&person.family[rng.random_range(1..person.family.len())]);
            }
        }
        Noise::DayMonthSwap => match written.birth {
            Some(Birth {
                year,
                month: Some(m),
                day: Some(d),
                ..
            }) if d <= 12 && d != m => {
                written.birth = Some(Birth {
                    year,
                    month: Some(d),
                    day: Some(m),
                    approximate: false,
                });
            }
            _ => return false,
        },
        Noise::YearOnly => match written.birth {
            Some(birth) => {
                written.birth = Some(Birth {
                    year: birth.year,
                    month: None,
                    day: None,
                    approximate: false,
                });
            }
            None => return false,
        },
        Noise::MissingDate => written.birth = None,
        Noise::DateSlip => match written.birth {
            Some(Birth {
                year,
                month: Some(m),
                day: Some(d),
                ..
            }) => {
                written.birth = Some(match rng.random_range(0..3) {
                    0 => Birth {
                        year: year + if rng.random_bool(0.5) { 1 } else { -1 },
                        month: Some(m),
                        day: Some(d),
                        approximate: false,
                    },
                    1 => Birth {
                        year,
                        month: Some(m),
                        day: Some(if d >= 10 { d - 10 + 1 } else { d + 10 }),
                        approximate: false,
                    },
                    _ => Birth {
                        year,
                        month: Some(m),
                        day: Some(if d == 28 { 27 } else { d + 1 }),
                        approximate: false,
                    },
                });
            }
            _ => return false,
        },
        Noise::MissingFields => {
            written.sex = None;
            if rng.random_bool(0.3) {
                written.community = None;
            }
        }
        Noise::Moved => {
            written.community = Some(COMMUNITIES.choose(rng).unwrap().0);
        }
    }
    true
}

/// A labelled batch: records, and the person each belongs to.
pub struct Batch {
    pub records: Vec<PersonRecord>,
    pub person_of: Vec<usize>,
}

/// `people` people, each with one to four records; extra records carry noise.
pub fn noisy_batch(seed: u64, people: usize) -> Batch {
    let population = population(seed, people);
    let mut rng = StdRng::seed_from_u64(seed ^ 0x00d1_ce00);
    let mut records = Vec::new();
    let mut person_of = Vec::new();
    for person in &population {
        let copies = match rng.random_range(0..100) {
            0..55 => 1,
            55..80 => 2,
            80..92 => 3,
            _ => 4,
        };
        for copy in 0..copies {
            let mut written = clean(person);
            if rng.random_bool(0.04) {
                written.birth = None;
            } else if rng.random_bool(0.05) {
                written.birth = written.birth.map(|b| Birth {
                    year: b.year,
                    month: None,
                    day: None,
                    approximate: false,
                });
            }
            if copy > 0 {
                let wanted = if rng.random_bool(0.65) { 1 } else { 2 };
                let mut applied = 0;
                let mut tries = 0;
                while applied < wanted && tries < 20 {
                    tries += 1;
                    let noise = *NOISES.choose(&mut rng).unwrap();
                    if apply(&mut rng, person, &mut written, noise) {
                        applied += 1;
                    }
                }
            }
            records.push(record_of(person, &written, &mut rng));
            person_of.push(person.index);
        }
    }
    Batch { records, person_of }
}

/// The matcher's view of a written record.
pub fn record_of(person: &Person, written: &Written, rng: &mut StdRng) -> PersonRecord {
    let mut record = PersonRecord::new(ClientId::random());
    record.given = vec![written.given.clone()];
    record.family = vec![written.family.clone()];
    record.other.clone_from(&written.other);
    record.birth = written.birth;
    record.sex = written.sex.map(str::to_owned);
    record.community = written.community.map(str::to_owned);
    record.band_number = person.band_number.clone().filter(|_| rng.random_bool(0.6));
    record.phone = person.phone.clone().filter(|_| rng.random_bool(0.5));
    record
}
