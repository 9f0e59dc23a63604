//! "Who looked at my file" (issue 12): one record's access report as the client can take it
//! home — every view, change, print and export of the record on this device, by whom and when,
//! in the client's language (the same words as the record screen), as a PDF of as many pages as
//! it takes. Agents are numbered in the order they appear ("agent 2"), never named by id, and
//! never "you" (the client holds the paper); the record's values are not repeated beyond the
//! client's name.

use shared::Client;
use shared::audit::AuditEntry;

use super::i18n::{I18n, Language};
use super::print::{PrintError, lines_pdf};
use super::screens::{access_words, describe_time};

/// What the report is drawn from.
pub struct AccessReport<'a> {
    /// The record.
    pub client: &'a Client,
    /// Its audit entries on this device, oldest first.
    pub entries: &'a [AuditEntry],
}

/// The report's lines `(text, size)` in `i18n`'s language.
#[must_use]
pub fn access_lines(report: &AccessReport<'_>, i18n: &I18n) -> Vec<(String, f32)> {
    let t = |id: &str| i18n.t(id);
    // Handed to the client, so no "you": every agent is numbered in the order they first
    // appear in the report.
    let mut agents: Vec<shared::ids::AgentId> = Vec::new();
    for entry in report.entries {
        if !agents.contains(&entry.agent) {
            agents.push(entry.agent);
        }
    }
    let agent = |id: shared::ids::AgentId| {
        let number = agents.iter().position(|a| *a == id).map_or(0, |at| at + 1);
        i18n.t_args("who-agent", &[("number", number.into())])
    };
    let identity = &report.client.identity;
    let mut lines = vec![
        (t("access-report-title"), 16.0),
        (String::new(), 11.0),
        (
            format!(
                "{}: {} {}",
                t("slip-client"),
                identity.given_name,
                identity.family_name
            ),
            12.0,
        ),
        (
            i18n.t_args(
                "access-report-printed",
                &[("when", describe_time(shared::time::Timestamp::now()).into())],
            ),
            10.0,
        ),
        (String::new(), 11.0),
    ];
    for entry in report.entries {
        lines.push((
            i18n.t_args(
                "detail-access-entry",
                &[
                    ("when", describe_time(entry.at).into()),
                    ("agent", agent(entry.agent).into()),
                    ("what", t(access_words(entry.action)).into()),
                ],
            ),
            11.0,
        ));
    }
    lines.push((String::new(), 11.0));
    lines.push((
        i18n.t_args(
            "access-report-count",
            &[("count", report.entries.len().into())],
        ),
        10.0,
    ));
    lines.push((t("access-report-footer"), 10.0));
    lines
}

/// The report as PDF bytes in `language`.
pub fn access_pdf(report: &AccessReport<'_>, language: Language) -> Result<Vec<u8>, PrintError> {
    let i18n = I18n::new(language)?;
    lines_pdf(&access_lines(report, &i18n), None)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use shared::Author;
    use shared::audit::AuditAction;
    use shared::ids::{AgentId, CommunityCode, DeviceId};
    use shared::model::Identity;
    use shared::time::Timestamp;

    use super::*;

    fn client() -> Client {
        Client::new(
            Identity {
                given_name: "ᐃᓕᓴᐱ".into(),
                family_name: "Kootoo".into(),
                community: CommunityCode::new("nu.pangnirtung"),
                ..Identity::default()
            },
            AgentId::random(),
            DeviceId::random(),
            Timestamp::now(),
        )
    }

    fn entries(me: Author, other: AgentId, n: usize) -> Vec<AuditEntry> {
        let mut chain: Vec<AuditEntry> = Vec::new();
        for i in 0..n {
            let (agent, action) = if i % 3 == 0 {
                (other, AuditAction::Edit)
            } else {
                (me.agent, AuditAction::View)
            };
            let next = AuditEntry::next(
                chain.last(),
                me.device,
                agent,
                action,
                Some(shared::ids::ClientId::random()),
                Timestamp(1_780_000_000_000),
            );
            chain.push(next);
        }
        chain
    }

    #[test]
    fn the_access_report_speaks_the_clients_language_and_names_no_ids() {
        let me = Author {
            agent: AgentId::random(),
            device: DeviceId::random(),
        };
        let other = AgentId::random();
        let client = client();
        let entries = entries(me, other, 4);
        let report = AccessReport {
            client: &client,
            entries: &entries,
        };
        let english = access_lines(&report, &I18n::new(Language::English).unwrap());
        let french = access_lines(&report, &I18n::new(Language::French).unwrap());
        assert_eq!(english[0].0, "Who opened or changed this file");
        assert_eq!(french[0].0, "Qui a ouvert ou modifié ce dossier");
        let text: Vec<String> = french.iter().map(|(t, _)| t.clone()).collect();
        assert!(text.iter().any(|l| l.contains("ᐃᓕᓴᐱ Kootoo")));
        assert_eq!(
            text.iter().filter(|l| l.contains(" — ")).count(),
            4,
            "one line per entry: {text:?}"
        );
        assert!(text.iter().any(|l| l.contains("4 entrées")));
        assert!(
            text.iter().all(|l| !l.contains("vous")),
            "handed to the client: no \"you\" for the agent: {text:?}"
        );
        for id in [
            me.agent.to_string(),
            me.device.to_string(),
            other.to_string(),
        ] {
            let fragment = &id[..8];
            assert!(
                text.iter().all(|l| !l.contains(fragment)),
                "an id shows: {text:?}"
            );
        }
    }

    #[test]
    fn a_long_access_report_runs_onto_more_pages_with_both_scripts_embedded() {
        let me = Author {
            agent: AgentId::random(),
            device: DeviceId::random(),
        };
        let client = client();
        let entries = entries(me, AgentId::random(), 120);
        let report = AccessReport {
            client: &client,
            entries: &entries,
        };
        for language in Language::ALL {
            let pdf = access_pdf(&report, language).unwrap();
            let text = String::from_utf8_lossy(&pdf);
            assert!(pdf.starts_with(b"%PDF-"));
            assert!(
                text.contains("/Count 3"),
                "{language:?}: 120 entries take 3 pages"
            );
            assert!(text.contains("NotoSansCanadianAboriginal-Regular"));
        }
    }
}
