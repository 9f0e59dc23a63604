//! The matcher's unsupervised fit when the pairs blocking brings together are mostly relatives:
//! siblings share a family name and a community, so in a large batch they outnumber the
//! duplicates, and the fit must not take them for one person (`docs/PERFORMANCE.md`, the
//! matcher at 100,000 records).

#![allow(clippy::unwrap_used)] // test code: a panic is a test failure

use shared::matching::linkage::{Comparison, Field, Model, probability};

/// Birth levels: see `Field::Birth.levels()`.
const SAME_DATE: u8 = 0;
const DATE_MONTHS_OFF: u8 = 4;
const OTHER_DATE: u8 = 5;

/// Levels in [`Field::ALL`] order: given, family, birth, sex, community, band, SIN, phone,
/// household, address (`None`: not known on one side).
fn pattern(given: u8, family: u8, birth: u8, sex: u8) -> Comparison {
    Comparison {
        levels: [
            Some(given),
            Some(family),
            Some(birth),
            Some(sex),
            Some(0),
            None,
            None,
            None,
            None,
            None,
        ],
        swapped: false,
    }
}

#[test]
fn siblings_who_outnumber_duplicates_are_not_taken_for_one_person() {
    let mut comparisons = Vec::new();
    // 600 duplicates: most agree on everything, some with a slip in a name or the date.
    comparisons.extend(std::iter::repeat_n(pattern(0, 0, 0, 0), 450));
    comparisons.extend(std::iter::repeat_n(pattern(2, 0, 0, 0), 80));
    comparisons.extend(std::iter::repeat_n(pattern(0, 0, 2, 0), 40));
    comparisons.extend(std::iter::repeat_n(pattern(0, 0, 1, 0), 30));
    // 30,000 pairs of siblings and cousins: same family name and community, other given names,
    // other dates (a few of them a day/month swap of each other), either sex.
    for n in 0..30_000u32 {
        let birth = if n % 1_000 == 0 { 1 } else { OTHER_DATE };
        comparisons.push(pattern(4, 0, birth, u8::from(n % 2 == 0)));
    }
    let model = Model::fit(&[], &comparisons, 7);
    let birth = Field::ALL.iter().position(|f| *f == Field::Birth).unwrap();
    let m = &model.m[birth];
    assert!(
        m[0] >= m[m.len() - 1],
        "the fit says a person's records disagree on the date of birth more often than they agree: {m:?}"
    );
    let chance = |c: &Comparison| {
        let (weight, _) = model.weigh(c, &empty(), &empty());
        probability(weight)
    };
    assert!(chance(&pattern(0, 0, 0, 0)) > 0.5, "a duplicate is found");
    assert!(
        chance(&pattern(2, 0, 0, 0)) > 0.5,
        "a duplicate with a slip is found"
    );
    for sibling in [pattern(4, 0, OTHER_DATE, 0), pattern(4, 0, OTHER_DATE, 1)] {
        assert!(
            chance(&sibling) < 0.5,
            "siblings taken for one person: {:?}, m = {:?}",
            sibling.levels,
            model.m
        );
    }
}

fn empty() -> shared::matching::linkage::Prepared {
    shared::matching::linkage::Prepared::new(&shared::matching::linkage::PersonRecord::new(
        shared::ids::ClientId::random(),
    ))
}

fn at_address(mut comparison: Comparison, level: Option<u8>, birth: Option<u8>) -> Comparison {
    let address = Field::ALL
        .iter()
        .position(|f| *f == Field::Address)
        .unwrap();
    let field_birth = Field::ALL.iter().position(|f| *f == Field::Birth).unwrap();
    comparison.levels[address] = level;
    comparison.levels[field_birth] = birth;
    comparison
}

#[test]
fn a_shared_mailing_address_lifts_a_pair_whose_names_and_date_say_little() {
    let mut comparisons = Vec::new();
    // 800 duplicates: mostly the same address (some written differently, some moved).
    for n in 0..800u32 {
        let address = match n % 10 {
            0..=6 => 0,
            7 | 8 => 1,
            _ => 3,
        };
        comparisons.push(at_address(pattern(0, 0, 0, 0), Some(address), Some(0)));
    }
    // 20,000 other people blocked with them: same family name, other given names and dates,
    // other addresses but for a few neighbours in one house.
    for n in 0..20_000u32 {
        let address = if n % 200 == 0 { 0 } else { 3 };
        comparisons.push(at_address(
            pattern(4, 0, OTHER_DATE, 0),
            Some(address),
            Some(OTHER_DATE),
        ));
    }
    let model = Model::fit(&[], &comparisons, 11);
    let chance = |c: &Comparison| probability(model.weigh(c, &empty(), &empty()).0);
    // A second record with a slip in the given name and no date of birth.
    let slipped = |address| at_address(pattern(2, 0, 0, 0), address, None);
    assert!(
        chance(&slipped(Some(0))) > 0.5,
        "same address: {}",
        chance(&slipped(Some(0)))
    );
    assert!(
        chance(&slipped(Some(3))) < chance(&slipped(None)),
        "another address counts against"
    );
    assert!(chance(&slipped(Some(0))) > chance(&slipped(None)));
}

#[test]
fn how_often_a_persons_records_disagree_on_a_name_is_learnt_from_pairs_that_share_a_date() {
    let mut comparisons = Vec::new();
    // 1,000 duplicates: 15 % with another given name (a nickname not in the table, a name
    // written in another language), some slips, a few with another date.
    for n in 0..1_000u32 {
        comparisons.push(match n % 20 {
            0..=2 => pattern(4, 0, 0, 0),
            3..=5 => pattern(2, 0, 0, 0),
            6 => pattern(0, 0, OTHER_DATE, 0),
            _ => pattern(0, 0, 0, 0),
        });
    }
    // Blocking also pairs strangers born the same day and relatives with one family name.
    for n in 0..4_000u32 {
        comparisons.push(pattern(4, 4, 0, u8::from(n % 2 == 0)));
        comparisons.push(pattern(4, 0, OTHER_DATE, u8::from(n % 2 == 0)));
    }
    let model = Model::fit(&[], &comparisons, 5);
    let given = &model.m[0];
    let different = given[given.len() - 1];
    assert!(
        (0.08..0.3).contains(&different),
        "one person's records with different given names: fitted {different:.4}, generated 0.15 ({given:?})"
    );
}

#[test]
fn a_date_some_months_off_is_weaker_than_the_same_date_and_stronger_than_another() {
    let birth = Field::ALL.iter().position(|f| *f == Field::Birth).unwrap();
    assert_eq!(Field::Birth.levels()[usize::from(DATE_MONTHS_OFF)], "near");
    assert_eq!(Field::Birth.levels()[usize::from(OTHER_DATE)], "different");
    let mut comparisons = Vec::new();
    // 1,000 duplicates, a tenth of them with a date remembered some months off; 20,000
    // relatives with one family name, other given names and dates, a few of them near.
    for n in 0..1_000u32 {
        let date = if n % 10 == 0 {
            DATE_MONTHS_OFF
        } else {
            SAME_DATE
        };
        comparisons.push(pattern(0, 0, date, 0));
    }
    for n in 0..20_000u32 {
        let date = if n % 20 == 0 {
            DATE_MONTHS_OFF
        } else {
            OTHER_DATE
        };
        comparisons.push(pattern(4, 0, date, u8::from(n % 2 == 0)));
    }
    for model in [Model::default(), Model::fit(&[], &comparisons, 3)] {
        let weight = |date| model.weigh(&pattern(0, 0, date, 0), &empty(), &empty()).0;
        assert!(
            weight(SAME_DATE) > weight(DATE_MONTHS_OFF)
                && weight(DATE_MONTHS_OFF) > weight(OTHER_DATE) + 2.0,
            "same {:.1}, months off {:.1}, other {:.1} (m {:?})",
            weight(SAME_DATE),
            weight(DATE_MONTHS_OFF),
            weight(OTHER_DATE),
            model.m[birth]
        );
    }
    let fitted = Model::fit(&[], &comparisons, 3);
    assert!(
        probability(
            fitted
                .weigh(&pattern(0, 0, DATE_MONTHS_OFF, 0), &empty(), &empty())
                .0
        ) > 0.5,
        "both names the same and a date months off: one person"
    );
}
