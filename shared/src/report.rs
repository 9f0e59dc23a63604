//! The partnership's figures (issue 12): intakes per week by community, programs requested by
//! government, languages served and interpreters used, referrals by partner and status,
//! follow-ups due and overdue, satisfaction — counted over live records (a record merged into
//! another is not counted again), for a period and a community. One function, so the
//! node's `report` command and the office's charts show the same numbers. Counts only: no row
//! names a client.

use std::collections::BTreeMap;

use crate::catalogue::Catalogue;
use crate::ids::{CommunityCode, LanguageCode, PartnerCode, ProgramCode};
use crate::model::Client;
use crate::time::CalendarDate;

/// Which records a report counts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReportFilter {
    /// Created on or after this day.
    pub from: Option<CalendarDate>,
    /// Created before this day.
    pub until: Option<CalendarDate>,
    /// Only this community.
    pub community: Option<CommunityCode>,
}

/// The tables of a report, in the order they are printed.
pub const TABLES: [&str; 7] = [
    "intakes_per_week",
    "programs_by_government",
    "languages_served",
    "interpreters",
    "referrals",
    "follow_ups",
    "satisfaction",
];

/// One figure: a table, its key (one or two parts) and a count.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Figure {
    /// Which table.
    pub table: &'static str,
    /// The key within it (e.g. the week and the community).
    pub key: Vec<String>,
    /// How many.
    pub count: u64,
}

/// What a report needs of one record, and nothing more: kept beside each record on a laptop
/// (a few dozen bytes, so 100,000 of them read in a fraction of a second) and made from the
/// record wherever it is not.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ReportFacts {
    /// Merged into another record (not counted again).
    #[serde(rename = "m", default, skip_serializing_if = "std::ops::Not::not")]
    pub merged: bool,
    /// When it was created (ms since the epoch).
    #[serde(rename = "c")]
    pub created_ms: i64,
    /// Its community.
    #[serde(rename = "k")]
    pub community: CommunityCode,
    /// The programs requested.
    #[serde(rename = "p", default)]
    pub programs: Vec<ProgramCode>,
    /// The preferred language.
    #[serde(rename = "l", default)]
    pub language: Option<LanguageCode>,
    /// An interpreter is needed.
    #[serde(rename = "i", default)]
    pub interpreter: bool,
    /// Referrals: partner and status (the status's code).
    #[serde(rename = "r", default)]
    pub referrals: Vec<(PartnerCode, String)>,
    /// Due dates of the open follow-ups.
    #[serde(rename = "f", default)]
    pub follow_ups: Vec<CalendarDate>,
    /// The satisfaction score.
    #[serde(rename = "s", default)]
    pub satisfaction: Option<u8>,
}

impl ReportFacts {
    /// The facts of a record.
    #[must_use]
    pub fn of(client: &Client) -> Self {
        Self {
            merged: client.merged_into.is_some(),
            created_ms: client.provenance.created_at.0,
            community: client.identity.community.clone(),
            programs: client.programs.iter().map(|p| p.program.clone()).collect(),
            language: client.languages.preferred.clone(),
            interpreter: client.languages.interpreter_needed,
            referrals: client
                .referrals
                .iter()
                .map(|r| {
                    let status = serde_json::to_value(r.status)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default();
                    (r.partner.clone(), status)
                })
                .collect(),
            follow_ups: client
                .follow_ups
                .iter()
                .filter(|f| !f.done)
                .map(|f| f.due)
                .collect(),
            satisfaction: client.satisfaction,
        }
    }
}

/// Every figure for the records `filter` selects, table by table, keys in order.
#[must_use]
pub fn figures(
    clients: &[Client],
    catalogue: &Catalogue,
    filter: &ReportFilter,
    today: CalendarDate,
) -> Vec<Figure> {
    let facts: Vec<ReportFacts> = clients.iter().map(ReportFacts::of).collect();
    figures_of(&facts, catalogue, filter, today)
}

/// [`figures`] over the records' [`ReportFacts`].
#[must_use]
pub fn figures_of(
    records: &[ReportFacts],
    catalogue: &Catalogue,
    filter: &ReportFilter,
    today: CalendarDate,
) -> Vec<Figure> {
    let mut counts: BTreeMap<(usize, Vec<String>), u64> = BTreeMap::new();
    let mut add = |table: usize, key: Vec<String>| *counts.entry((table, key)).or_default() += 1;
    for record in records.iter().filter(|r| !r.merged) {
        let Some(created) = crate::time::Timestamp(record.created_ms).date_utc() else {
            continue;
        };
        let community = &record.community;
        if filter.from.is_some_and(|from| created < from)
            || filter.until.is_some_and(|until| created >= until)
            || filter.community.as_ref().is_some_and(|c| c != community)
        {
            continue;
        }
        add(
            0,
            vec![
                created.week_start().to_string(),
                community.as_str().to_owned(),
            ],
        );
        for program in &record.programs {
            let government = catalogue
                .program(program)
                .and_then(|p| p.government.clone())
                .unwrap_or_else(|| "none".to_owned());
            add(1, vec![government, program.as_str().to_owned()]);
        }
        let language = record
            .language
            .as_ref()
            .map_or_else(|| "unknown".to_owned(), |l| l.as_str().to_owned());
        add(2, vec![language]);
        let interpreter = if record.interpreter {
            "needed"
        } else {
            "not_needed"
        };
        add(3, vec![interpreter.to_owned()]);
        for (partner, status) in &record.referrals {
            add(4, vec![partner.as_str().to_owned(), status.clone()]);
        }
        for due in &record.follow_ups {
            let when = match due.cmp(&today) {
                std::cmp::Ordering::Less => "overdue",
                std::cmp::Ordering::Equal => "due_today",
                std::cmp::Ordering::Greater => "upcoming",
            };
            add(5, vec![when.to_owned()]);
        }
        if let Some(score) = record.satisfaction {
            add(6, vec![score.to_string()]);
        }
    }
    counts
        .into_iter()
        .map(|((table, key), count)| Figure {
            table: TABLES[table],
            key,
            count,
        })
        .collect()
}

/// The figures as CSV: `table,key,detail,count`.
#[must_use]
pub fn csv(figures: &[Figure]) -> String {
    let mut out = String::new();
    crate::disclosure::csv::push_row(&mut out, ["table", "key", "detail", "count"]);
    for figure in figures {
        let count = figure.count.to_string();
        let key = figure.key.first().map_or("", String::as_str);
        let detail = figure.key.get(1).map_or("", String::as_str);
        crate::disclosure::csv::push_row(&mut out, [figure.table, key, detail, count.as_str()]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{AgentId, DeviceId, LanguageCode, PartnerCode, ProgramCode};
    use crate::model::{
        FollowUp, Identity, ProgramRequest, ProgramStatus, Referral, ReferralStatus, Urgency,
    };
    use crate::time::Timestamp;

    fn client(community: &str, created: &str) -> Client {
        let identity = Identity {
            given_name: "Annie".into(),
            community: CommunityCode::new(community),
            ..Identity::default()
        };
        let at = Timestamp::parse_rfc3339(created).unwrap();
        Client::new(identity, AgentId::random(), DeviceId::random(), at)
    }

    #[test]
    fn each_table_counts_live_records_in_the_period_and_community() {
        let catalogue = Catalogue::current().unwrap();
        let today = CalendarDate::new(2026, 12, 2).unwrap();
        let mut a = client("nu.pangnirtung", "2026-12-01T10:00:00Z");
        a.languages.preferred = Some(LanguageCode::new("iu"));
        a.languages.interpreter_needed = true;
        a.programs.push(ProgramRequest {
            id: crate::ids::ProgramRequestId::random(),
            program: ProgramCode::new("fed.cpp"),
            status: ProgramStatus::InfoGiven,
            documents_seen: vec![],
            life_event: None,
        });
        a.referrals.push(Referral {
            id: crate::ids::ReferralId::random(),
            partner: PartnerCode::new("nu.health"),
            reason: "nurse".into(),
            urgency: Urgency::Routine,
            status: ReferralStatus::Open,
            outcome: None,
            created_at: Timestamp(0),
        });
        a.follow_ups.push(FollowUp {
            id: crate::ids::FollowUpId::random(),
            due: CalendarDate::new(2026, 11, 30).unwrap(),
            description: "call".into(),
            done: false,
        });
        a.satisfaction = Some(5);
        let b = client("nu.pangnirtung", "2026-12-03T10:00:00Z");
        let mut merged = client("nu.pangnirtung", "2026-12-01T11:00:00Z");
        merged.merged_into = Some(a.id);
        let elsewhere = client("nu.arviat", "2026-11-20T10:00:00Z");
        let all = [a, b, merged, elsewhere];
        let figures = figures(&all, catalogue, &ReportFilter::default(), today);
        let count = |table: &str, key: &[&str]| {
            figures
                .iter()
                .find(|f| f.table == table && f.key == key)
                .map_or(0, |f| f.count)
        };
        assert_eq!(
            count("intakes_per_week", &["2026-11-30", "nu.pangnirtung"]),
            2,
            "a redirect is not an intake"
        );
        assert_eq!(count("intakes_per_week", &["2026-11-16", "nu.arviat"]), 1);
        assert_eq!(count("languages_served", &["iu"]), 1);
        assert_eq!(count("interpreters", &["needed"]), 1);
        assert_eq!(count("referrals", &["nu.health", "open"]), 1);
        assert_eq!(count("follow_ups", &["overdue"]), 1);
        assert_eq!(count("satisfaction", &["5"]), 1);
        assert!(
            figures
                .iter()
                .any(|f| f.table == "programs_by_government" && f.key[1] == "fed.cpp")
        );
        let only_arviat = ReportFilter {
            community: Some(CommunityCode::new("nu.arviat")),
            ..ReportFilter::default()
        };
        let arviat = super::figures(&all, catalogue, &only_arviat, today);
        assert!(
            arviat
                .iter()
                .all(|f| f.table != "intakes_per_week" || f.key[1] == "nu.arviat")
        );
        let december = ReportFilter {
            from: Some(CalendarDate::new(2026, 12, 2).unwrap()),
            ..ReportFilter::default()
        };
        let later = super::figures(&all, catalogue, &december, today);
        assert_eq!(
            later
                .iter()
                .filter(|f| f.table == "intakes_per_week")
                .map(|f| f.count)
                .sum::<u64>(),
            1
        );
        assert!(csv(&figures).starts_with("table,key,detail,count\r\n"));
    }
}
