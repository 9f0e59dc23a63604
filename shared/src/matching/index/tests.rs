use super::*;

/// A record as the field app's projection row gives it.
struct Summary {
    id: ClientId,
    given_name: String,
    family_name: String,
    other_names: Vec<String>,
    date_of_birth: Option<String>,
    community: CommunityCode,
}

fn summary(given: &str, family: &str, dob: Option<&str>, community: &str) -> Summary {
    Summary {
        id: ClientId::random(),
        given_name: given.into(),
        family_name: family.into(),
        other_names: vec![],
        date_of_birth: dob.map(str::to_owned),
        community: CommunityCode::new(community),
    }
}

trait UpsertSummary {
    fn upsert_summary(&mut self, summary: &Summary);
}

impl UpsertSummary for SearchIndex {
    fn upsert_summary(&mut self, s: &Summary) {
        let names: Vec<&str> = [s.given_name.as_str(), s.family_name.as_str()]
            .into_iter()
            .chain(s.other_names.iter().map(String::as_str))
            .collect();
        self.upsert(&Person {
            id: s.id,
            names: &names,
            date_of_birth: s.date_of_birth.as_deref(),
            community: &s.community,
            last_changed: None,
        });
    }
}

/// The first ten hits for `text`, in every community.
fn hits(index: &SearchIndex, text: &str) -> Vec<Hit> {
    index.search(&SearchQuery {
        text: text.into(),
        community: None,
        limit: 10,
    })
}

fn find(index: &SearchIndex, text: &str) -> Vec<ClientId> {
    hits(index, text).into_iter().map(|h| h.id).collect()
}

#[test]
fn a_finished_word_means_a_variant_before_a_longer_name_and_the_word_being_typed_a_start() {
    let mut index = SearchIndex::default();
    let william = summary("William", "Kootoo", None, "nu.pangnirtung");
    let billy = summary("Billyboy", "Kootoo", None, "nu.pangnirtung");
    for s in [&william, &billy] {
        index.upsert_summary(s);
    }
    assert_eq!(
        find(&index, "Bill Kootoo")[0],
        william.id,
        "a nickname, complete"
    );
    assert_eq!(
        find(&index, "Kootoo Bill")[0],
        billy.id,
        "still being typed"
    );
    assert_eq!(
        find(&index, "Kootoo Bill ")[0],
        william.id,
        "a space ends the word"
    );
}

#[test]
fn how_well_a_name_matches_outranks_how_rare_it_is() {
    let mut index = SearchIndex::default();
    // Annie is common here; Anke is carried by one record.
    for _ in 0..30 {
        index.upsert_summary(&summary("Annie", "Nowdlak", None, "nu.pangnirtung"));
    }
    let annie = summary("Annie", "Kilabuq", None, "nu.pangnirtung");
    let anke = summary("Anke", "Kilabuq", None, "nu.pangnirtung");
    for s in [&annie, &anke] {
        index.upsert_summary(s);
    }
    // "Anne" is a known form of Annie and one slip from Anke.
    assert_eq!(find(&index, "Anne Kilabuq")[0], annie.id);
}

#[test]
fn an_english_nickname_from_the_public_list_finds_the_formal_name() {
    let mut index = SearchIndex::default();
    let jeremy = summary("Jeremy", "Matthews", None, "nu.iqaluit");
    let others = ["Arren", "Benjamin", "Evan", "Eliza", "Jez", "Jessica"]
        .map(|given| summary(given, "Matthews", None, "nu.iqaluit"));
    for s in others.iter().chain([&jeremy]) {
        index.upsert_summary(s);
    }
    // Neither spelling nor sound brings "Jezza" to Jeremy; the list does.
    assert_eq!(find(&index, "Jezza Matthews")[0], jeremy.id);
    let olivia = summary("Olivia", "Thorpe", None, "nu.iqaluit");
    index.upsert_summary(&olivia);
    assert_eq!(find(&index, "Nollie Thorpe")[0], olivia.id);
}

#[test]
fn a_name_typed_with_letters_left_out_is_still_told_from_its_namesakes() {
    let mut index = SearchIndex::default();
    let others = [
        "Caitlin", "Kazuki", "Alicia", "Zachary", "Hayley", "Tim", "Sam",
    ]
    .map(|given| summary(given, "White", None, "nu.iqaluit"));
    let thomas = summary("Thomas", "White", None, "nu.iqaluit");
    let crouch = summary("Ella", "Crouch", None, "nu.iqaluit");
    let ellas = ["Blunden", "Wisby", "Ryan", "Blake", "Couch"]
        .map(|family| summary("Ella", family, None, "nu.iqaluit"));
    for s in others.iter().chain(&ellas).chain([&thomas, &crouch]) {
        index.upsert_summary(s);
    }
    // "Thms" is three letters short of Thomas, more slips than a name is matched within; the
    // family name found the Whites, and the closest of their given names decides among them.
    let found = hits(&index, "Thms White");
    assert_eq!(found[0].id, thomas.id);
    assert!(found[0].score > found[1].score);
    // A far match never outranks a name that is matched (Couch is one slip from "Ouch").
    let found = hits(&index, "Ella Ouch");
    let couch = ellas
        .iter()
        .find(|e| e.family_name == "Couch")
        .map(|e| e.id);
    assert_eq!(Some(found[0].id), couch);
    assert_eq!(found[1].id, crouch.id);
    assert!(found[1].score > found[2].score);
}

#[test]
fn a_pasted_page_is_read_as_its_first_words() {
    let mut index = SearchIndex::default();
    let thomas = summary("Thomas", "White", Some("1984-02-15"), "nu.iqaluit");
    index.upsert_summary(&thomas);
    // 5,000 different made-up words after the name, as a pasted page would bring.
    let junk: Vec<String> = (0..5_000u32)
        .map(|n| {
            (0..4)
                .map(|place| char::from(b'a' + u8::try_from(n / 26u32.pow(place) % 26).unwrap()))
                .collect()
        })
        .collect();
    let page = format!("Thomas White 1984-02-15 {}", junk.join(" "));
    let hits = hits(&index, &page);
    assert_eq!(hits[0].id, thomas.id);
    assert_eq!(hits[0].words_matched, 2);
    assert!(hits[0].words as usize <= query::MAX_QUERY_WORDS);
}

#[test]
fn among_spellings_that_sound_alike_the_closest_comes_first() {
    let mut index = SearchIndex::default();
    // Kilabuk is the commoner spelling; both sound like "Killabuk".
    for _ in 0..5 {
        index.upsert_summary(&summary("John", "Kilabuk", None, "nu.pangnirtung"));
    }
    let one_letter = summary("Mary", "Kilabuk", None, "nu.pangnirtung");
    let two_letters = summary("Mary", "Kilabuq", None, "nu.pangnirtung");
    for s in [&one_letter, &two_letters] {
        index.upsert_summary(s);
    }
    let hits = hits(&index, "Mary Killabuk");
    assert_eq!(hits[0].id, one_letter.id);
    assert!(hits[0].score > hits[1].score, "not a tie: {hits:?}");
}

#[test]
fn one_name_of_a_record_answers_one_query_word() {
    let mut index = SearchIndex::default();
    // Mary is common, so the query's "Mary" is weak evidence and "Mar" carries the search.
    for _ in 0..40 {
        index.upsert_summary(&summary("Mary", "Kilabuk", None, "nu.pangnirtung"));
    }
    // Marlard is a family name of several, Mardon of one.
    for _ in 0..5 {
        index.upsert_summary(&summary("John", "Marlard", None, "nu.pangnirtung"));
    }
    let tyler = summary("Tyler", "Mardon", None, "nu.pangnirtung");
    let mary = summary("Mary", "Marlard", None, "nu.pangnirtung");
    for s in [&tyler, &mary] {
        index.upsert_summary(s);
    }
    // "Mary" is one slip from Mardon's start and "Mar" its start: one name, not two answers.
    assert_eq!(find(&index, "Mary Mar")[0], mary.id);
    assert_eq!(find(&index, "Mar Mary ")[0], mary.id);
}

#[test]
fn prefix_fuzzy_accent_and_syllabics_queries_find_the_person() {
    let mut index = SearchIndex::default();
    let annie = summary("Annie", "Kilabuk", Some("1957-03-14"), "nu.pangnirtung");
    let elise = summary("Élise", "Tremblay", Some("~1980"), "mb.churchill");
    let mut syllabic = summary("ᐊᓂ", "ᑭᓚᐳᒃ", None, "nu.pangnirtung");
    syllabic.other_names = vec!["Ani Kilapuk".into()];
    for s in [&annie, &elise, &syllabic] {
        index.upsert_summary(s);
    }
    assert_eq!(find(&index, "kil ann")[0], annie.id, "as typed so far");
    assert_eq!(find(&index, "Kilabk")[0], annie.id, "one typo");
    assert_eq!(find(&index, "elise"), vec![elise.id], "accent folded");
    assert_eq!(find(&index, "ᑭᓚ")[0], syllabic.id, "syllabics prefix");
    assert!(
        find(&index, "ᑭᓚ").contains(&annie.id),
        "a syllabics query finds the roman spelling"
    );
    assert!(
        find(&index, "kilapuk").contains(&syllabic.id),
        "roman spelling of a syllabics name"
    );
    assert_eq!(
        find(&index, "annie 1957-03")[0],
        annie.id,
        "name and date of birth"
    );
    assert_eq!(find(&index, "1980"), vec![elise.id], "approximate year");
    assert_eq!(
        find(&index, "kilabuk 1957-14-03")[0],
        annie.id,
        "day and month swapped still finds the person"
    );
    assert_eq!(
        find(&index, "kilabuk 14/03/1957")[0],
        annie.id,
        "a date as people type it"
    );
    assert_eq!(find(&index, "Kilbauk")[0], annie.id, "transposition");
    let shared_family = hits(&index, "Samuel Kilabuk");
    let hit = shared_family.iter().find(|h| h.id == annie.id).unwrap();
    assert_eq!(
        (hit.words_matched, hit.words),
        (1, 2),
        "a shared family name alone is one word of two"
    );
    assert!(find(&index, "zzzz").is_empty());
}

#[test]
fn updating_a_record_replaces_its_tokens() {
    let mut index = SearchIndex::default();
    let mut person = summary("Annie", "Kilabuk", None, "nu.iqaluit");
    index.upsert_summary(&person);
    person.family_name = "Nowdlak".into();
    index.upsert_summary(&person);
    assert!(find(&index, "kilabuk").is_empty());
    assert_eq!(find(&index, "nowdlak"), vec![person.id]);
    index.remove(person.id);
    assert!(find(&index, "nowdlak").is_empty());
    assert_eq!(index.len(), 0);
}

#[test]
fn community_filter_applies() {
    let mut index = SearchIndex::default();
    let a = summary("Annie", "Kilabuk", None, "nu.iqaluit");
    let b = summary("Annie", "Kilabuk", None, "nu.arviat");
    index.upsert_summary(&a);
    index.upsert_summary(&b);
    let hits = index.search(&SearchQuery {
        text: "annie".into(),
        community: Some(CommunityCode::new("nu.arviat")),
        limit: 10,
    });
    assert_eq!(hits.iter().map(|h| h.id).collect::<Vec<_>>(), vec![b.id]);
}

#[test]
fn a_name_split_by_a_stray_space_is_read_as_one_name() {
    let mut index = SearchIndex::default();
    let isabella = summary("Isabella", "Morrison", None, "nu.iqaluit");
    // What the two pieces reach as typed: a given name that starts like the first piece.
    let isabel = summary("Isabel", "Morrison", None, "nu.iqaluit");
    let everton = summary("Benjamin", "Everton", None, "nu.iqaluit");
    let everett = summary("Benjamin", "Everett", None, "nu.iqaluit");
    for s in [&isabella, &isabel, &everton, &everett] {
        index.upsert_summary(s);
    }
    assert_eq!(find(&index, "isabe lla morrison")[0], isabella.id);
    assert_eq!(find(&index, "morrison isabe lla")[0], isabella.id);
    assert_eq!(find(&index, "benjamin ever ett")[0], everett.id);
    let hit = hits(&index, "benjamin ever ett")[0];
    assert_eq!(
        (hit.words_matched, hit.words),
        (3, 3),
        "the joined name answers both its pieces"
    );
}

#[test]
fn two_names_written_as_one_word_are_read_as_both() {
    let mut index = SearchIndex::default();
    let mary_ann = summary("Mary Ann", "Kootoo", None, "nu.iqaluit");
    let mary = summary("Mary", "Kootoo", None, "nu.iqaluit");
    let maryanne = summary("Maryanne", "Kootoo", None, "nu.iqaluit");
    let maryann = summary("Maryann", "Kootoo", None, "nu.iqaluit");
    for s in [&mary_ann, &mary, &maryanne] {
        index.upsert_summary(s);
    }
    assert_eq!(find(&index, "maryann kootoo")[0], mary_ann.id);
    // As typed so far, "maryann" is as much the start of Maryanne as it is Mary Ann: they tie.
    let typing = find(&index, "maryann");
    assert_eq!(
        typing.len(),
        2,
        "a record with one of the two names is not an answer"
    );
    assert!(typing.contains(&mary_ann.id) && typing.contains(&maryanne.id));
    assert_eq!(
        find(&index, "kootoo maryan")[..2],
        [maryanne.id, mary_ann.id],
        "as typed so far: the start of one name, then two names"
    );
    index.upsert_summary(&maryann);
    assert_eq!(
        find(&index, "maryann kootoo")[..2],
        [maryann.id, mary_ann.id],
        "the name as written first, then the two names it may be"
    );
}

#[test]
fn words_typed_apart_that_each_match_are_not_read_as_one_name() {
    let mut index = SearchIndex::default();
    let al = summary("Al", "Exley", None, "nu.iqaluit");
    let alex = summary("Alex", "Smith", None, "nu.iqaluit");
    let jo = summary("Jo", "Anderson", None, "nu.iqaluit");
    let joan = summary("Joan", "Smith", None, "nu.iqaluit");
    for s in [&al, &alex, &jo, &joan] {
        index.upsert_summary(s);
    }
    assert_eq!(find(&index, "al ex")[0], al.id);
    assert_eq!(find(&index, "jo an")[0], jo.id);
    assert_eq!(find(&index, "jo and")[0], jo.id);
}

#[test]
fn of_namesakes_that_match_equally_the_one_changed_last_comes_first() {
    let community = CommunityCode::new("nu.arviat");
    let mut index = SearchIndex::default();
    let namesakes: Vec<ClientId> = (0..6).map(|_| ClientId::random()).collect();
    for (n, id) in namesakes.iter().enumerate() {
        index.upsert(&Person {
            id: *id,
            names: &["Mary", "Kilabuk"],
            date_of_birth: None,
            community: &community,
            last_changed: Some(crate::time::Timestamp(1_000 + i64::try_from(n).unwrap())),
        });
    }
    let newest_first: Vec<ClientId> = namesakes.iter().rev().copied().collect();
    assert_eq!(find(&index, "mary kilabuk"), newest_first);
    // A change moves a record to the front of its namesakes.
    index.upsert(&Person {
        id: namesakes[0],
        names: &["Mary", "Kilabuk"],
        date_of_birth: None,
        community: &community,
        last_changed: Some(crate::time::Timestamp(9_000)),
    });
    assert_eq!(find(&index, "mary kilabuk")[0], namesakes[0]);
}

#[test]
fn a_date_near_the_typed_one_or_an_approximate_year_ranks_a_namesake_first() {
    let mut index = SearchIndex::default();
    let elder = summary("Annie", "Kilabuk", Some("~1940"), "nu.pangnirtung");
    let months_off = summary("Annie", "Kilabuk", Some("1983-10-10"), "nu.pangnirtung");
    let other = summary("Annie", "Kilabuk", Some("1966-02-01"), "nu.pangnirtung");
    for s in [&other, &elder, &months_off] {
        index.upsert_summary(s);
    }
    // Remembered some months off.
    assert_eq!(find(&index, "annie kilabuk 1983-07-01")[0], months_off.id);
    // "About 1940" on the record, a document's date typed now.
    assert_eq!(find(&index, "annie kilabuk 1941-06-12")[0], elder.id);
    assert_eq!(find(&index, "annie kilabuk 1942")[0], elder.id);
}
