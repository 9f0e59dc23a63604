//! "Who looked at my file" (issue 12): one record's access report as the client can take it
//! home — every view, change, print and export of the record on this device (and, when an
//! office asked its node, on every device, with every disclosure of it), by whom and when,
//! in the client's language (the same words as the record screen), as a PDF of as many pages as
//! it takes. Agents and devices are numbered in the order they appear ("agent 2 on laptop 1"),
//! never named by id, and never "you" (the client holds the paper); the record's values are not
//! repeated beyond the client's name.

use shared::audit::AuditEntry;
use shared::ids::{AgentId, DeviceId};
use shared::{Catalogue, Client};

use super::i18n::{I18n, Language};
use super::office::RecordRegister;
use super::print::{PrintError, lines_pdf};
use super::screens::{access_words, describe_time, disclosure_in_words};

/// What the report is drawn from.
pub struct AccessReport<'a> {
    /// The record.
    pub client: &'a Client,
    /// Its audit entries on this device, oldest first.
    pub entries: &'a [AuditEntry],
    /// What the node's registers hold about it (every device's entries, every disclosure),
    /// when an office asked for them.
    pub register: Option<&'a RecordRegister>,
    /// For partner and purpose names.
    pub catalogue: &'a Catalogue,
}

/// One line of the report before it is put in words.
struct Access {
    at_ms: i64,
    agent: AgentId,
    device: DeviceId,
    action: shared::audit::AuditAction,
}

/// Numbers things in the order they first appear.
struct Numbering<T>(Vec<T>);

impl<T: PartialEq + Copy> Numbering<T> {
    fn of(&mut self, id: T) -> usize {
        self.0.iter().position(|x| *x == id).unwrap_or_else(|| {
            self.0.push(id);
            self.0.len() - 1
        }) + 1
    }
}

/// The report's lines `(text, size)` in `i18n`'s language.
#[must_use]
pub fn access_lines(report: &AccessReport<'_>, i18n: &I18n) -> Vec<(String, f32)> {
    let t = |id: &str| i18n.t(id);
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
    // This device's entries, and every device's the node holds (the same entry once).
    let mut accesses: Vec<Access> = report
        .entries
        .iter()
        .map(|e| Access {
            at_ms: e.at.0,
            agent: e.agent,
            device: e.device,
            action: e.action,
        })
        .collect();
    for line in report.register.map_or(&[][..], |r| r.accesses.as_slice()) {
        let Some(action) = shared::audit::AuditAction::from_name(&line.action) else {
            continue;
        };
        let seen = accesses
            .iter()
            .any(|a| a.at_ms == line.at_ms && a.device == line.device && a.action == action);
        if !seen {
            accesses.push(Access {
                at_ms: line.at_ms,
                agent: line.agent,
                device: line.device,
                action,
            });
        }
    }
    accesses.sort_by_key(|a| a.at_ms);
    // Handed to the client, so no "you" and no "this laptop": agents and devices are numbered
    // in the order they first appear.
    let (mut agents, mut devices) = (Numbering(Vec::new()), Numbering(Vec::new()));
    for access in &accesses {
        let agent = i18n.t_args("who-agent", &[("number", agents.of(access.agent).into())]);
        let device = i18n.t_args(
            "where-laptop",
            &[("number", devices.of(access.device).into())],
        );
        lines.push((
            i18n.t_args(
                "detail-register-access",
                &[
                    (
                        "when",
                        describe_time(shared::time::Timestamp(access.at_ms)).into(),
                    ),
                    ("agent", agent.into()),
                    ("device", device.into()),
                    ("what", t(access_words(access.action)).into()),
                ],
            ),
            11.0,
        ));
    }
    lines.push((String::new(), 11.0));
    lines.push((
        i18n.t_args("access-report-count", &[("count", accesses.len().into())]),
        10.0,
    ));
    let Some(register) = report.register else {
        lines.push((t("access-report-footer"), 10.0));
        return lines;
    };
    lines.push((String::new(), 11.0));
    lines.push((t("access-report-shared"), 12.0));
    if register.disclosures.is_empty() {
        lines.push((t("detail-register-nothing-shared"), 11.0));
    }
    for d in &register.disclosures {
        lines.push((disclosure_in_words(i18n, report.catalogue, d), 11.0));
    }
    lines.push((String::new(), 11.0));
    lines.push((t("access-report-footer-complete"), 10.0));
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
        let catalogue = Catalogue::built_in().unwrap();
        let report = AccessReport {
            client: &client,
            entries: &entries,
            register: None,
            catalogue: &catalogue,
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
        let catalogue = Catalogue::built_in().unwrap();
        let report = AccessReport {
            client: &client,
            entries: &entries,
            register: None,
            catalogue: &catalogue,
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

    #[test]
    fn with_the_nodes_registers_the_report_covers_every_device_and_every_disclosure() {
        let me = Author {
            agent: AgentId::random(),
            device: DeviceId::random(),
        };
        let client = client();
        let entries = entries(me, AgentId::random(), 2);
        let elsewhere = shared::protocol::office::AccessLine {
            at_ms: 1_780_000_500_000,
            action: "view".into(),
            agent: AgentId::random(),
            device: DeviceId::random(),
        };
        // This device's own entries come back from the node too: listed once.
        let mine_again = shared::protocol::office::AccessLine {
            at_ms: entries[0].at.0,
            action: entries[0].action.name().into(),
            agent: entries[0].agent,
            device: entries[0].device,
        };
        let register = RecordRegister {
            client: client.id,
            accesses: vec![mine_again, elsewhere],
            disclosures: vec![shared::disclosure::Disclosure {
                export: uuid::Uuid::new_v4(),
                client: client.id,
                partner: shared::ids::PartnerCode::new("ca.cra"),
                purpose: shared::ids::PurposeCode::new("application"),
                fields: vec!["given_name".into(), "family_name".into()],
                consent_events: Vec::new(),
                by: "Mary Office".into(),
                at: Timestamp(1_780_000_900_000),
            }],
            cut: false,
        };
        let catalogue = Catalogue::built_in().unwrap();
        let report = AccessReport {
            client: &client,
            entries: &entries,
            register: Some(&register),
            catalogue: &catalogue,
        };
        let text: Vec<String> = access_lines(&report, &I18n::new(Language::English).unwrap())
            .into_iter()
            .map(|(t, _)| t)
            .collect();
        assert_eq!(
            text.iter().filter(|l| l.contains(" on laptop ")).count(),
            3,
            "two entries here, one elsewhere: {text:?}"
        );
        assert!(text.iter().any(|l| l.contains("on laptop 2")));
        assert!(text.iter().any(|l| l.contains(
            "shared with Canada Revenue Agency for Processing an application: given_name, family_name (by Mary Office)"
        )));
        assert!(
            text.iter()
                .any(|l| l.contains("every disclosure the office recorded"))
        );
    }
}
