//! The referral slip / visit receipt, as a PDF in the client's preferred language. The bundled
//! Noto fonts are embedded (Latin and syllabics), so the slip prints the same on any printer.
//! Text runs switch font by script; glyph widths come from the fonts themselves.

use std::collections::BTreeMap;
use std::path::Path;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Finish as _, Name, Pdf, Rect, Ref, Str};
use shared::catalogue::localized;
use shared::model::{ConsentState, effective_consent};
use shared::{Catalogue, Client};

use super::fonts::{LATIN_TTF, SYLLABICS_TTF};
use super::i18n::{I18n, Language};

/// Why a slip was not written.
#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    /// A bundled font did not parse (a build defect).
    #[error("a bundled font is unreadable")]
    Font,
    /// The translations (a build defect).
    #[error(transparent)]
    I18n(#[from] super::i18n::I18nError),
    /// Writing the file.
    #[error("writing the slip: {0}")]
    Io(#[from] std::io::Error),
}

const PAGE_WIDTH: f32 = 595.0;
const PAGE_HEIGHT: f32 = 842.0;
const MARGIN: f32 = 56.0;
const LINE_CHARS: usize = 84;

struct EmbeddedFont<'a> {
    face: ttf_parser::Face<'a>,
    resource: &'static [u8],
    used: BTreeMap<u16, char>,
}

impl<'a> EmbeddedFont<'a> {
    fn new(bytes: &'a [u8], resource: &'static [u8]) -> Result<Self, PrintError> {
        Ok(Self {
            face: ttf_parser::Face::parse(bytes, 0).map_err(|_| PrintError::Font)?,
            resource,
            used: BTreeMap::new(),
        })
    }

    /// The text as big-endian glyph ids (the Identity-H encoding), remembering what was used.
    fn encode(&mut self, text: &str) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(text.len() * 2);
        for c in text.chars() {
            let glyph = self.face.glyph_index(c).map_or(0, |g| g.0);
            self.used.entry(glyph).or_insert(c);
            bytes.extend_from_slice(&glyph.to_be_bytes());
        }
        bytes
    }

    fn scale(&self, units: f32) -> f32 {
        units * 1000.0 / f32::from(self.face.units_per_em())
    }

    fn write(&self, pdf: &mut Pdf, next: &mut Ref, name: &str) -> Ref {
        let type0 = next.bump();
        let cid = next.bump();
        let descriptor = next.bump();
        let file = next.bump();
        let cmap_ref = next.bump();
        let base = Name(name.as_bytes());
        let info = SystemInfo {
            registry: Str(b"Adobe"),
            ordering: Str(b"Identity"),
            supplement: 0,
        };
        pdf.type0_font(type0)
            .base_font(base)
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid)
            .to_unicode(cmap_ref);
        let mut cid_font = pdf.cid_font(cid);
        cid_font
            .subtype(CidFontType::Type2)
            .base_font(base)
            .system_info(info)
            .font_descriptor(descriptor)
            .default_width(0.0)
            .cid_to_gid_map_predefined(Name(b"Identity"));
        {
            let mut widths = cid_font.widths();
            for glyph in self.used.keys() {
                let advance = self
                    .face
                    .glyph_hor_advance(ttf_parser::GlyphId(*glyph))
                    .unwrap_or(0);
                widths.consecutive(*glyph, [self.scale(f32::from(advance))]);
            }
        }
        cid_font.finish();
        let bbox = self.face.global_bounding_box();
        pdf.font_descriptor(descriptor)
            .name(base)
            .flags(FontFlags::NON_SYMBOLIC)
            .bbox(Rect::new(
                self.scale(f32::from(bbox.x_min)),
                self.scale(f32::from(bbox.y_min)),
                self.scale(f32::from(bbox.x_max)),
                self.scale(f32::from(bbox.y_max)),
            ))
            .italic_angle(0.0)
            .ascent(self.scale(f32::from(self.face.ascender())))
            .descent(self.scale(f32::from(self.face.descender())))
            .cap_height(self.scale(f32::from(self.face.capital_height().unwrap_or(700))))
            .stem_v(80.0)
            .font_file2(file);
        let length = i32::try_from(self.resource.len()).unwrap_or(i32::MAX);
        pdf.stream(file, self.resource)
            .pair(Name(b"Length1"), length);
        let mut cmap = UnicodeCmap::new(Name(b"Custom"), info);
        for (glyph, c) in &self.used {
            cmap.pair(*glyph, *c);
        }
        pdf.cmap(cmap_ref, &cmap.finish());
        type0
    }
}

/// What to print about a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Printout {
    /// The referral slip / visit receipt.
    Slip,
    /// Who opened or changed the record on this device ("who looked at my file").
    AccessReport,
}

/// What a slip is printed with besides the record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlipOptions {
    /// The slip's first language (the client's).
    pub language: Language,
    /// A second language printed beside the first (English or French for the partner), if any.
    pub second: Option<Language>,
    /// The agent's name, as set in Settings (a line to sign when empty).
    pub agent_name: String,
    /// The office to call back, as set in Settings.
    pub office_contact: String,
}

impl SlipOptions {
    /// A slip in one language with no agent details (tests, the CLI).
    #[must_use]
    pub fn in_language(language: Language) -> Self {
        Self {
            language,
            second: None,
            agent_name: String::new(),
            office_contact: String::new(),
        }
    }
}

/// A blank to fill in by hand.
const BLANK: &str = "______________________________";

/// Lines of the slip: (text, size).
fn slip_lines(
    client: &Client,
    catalogue: &Catalogue,
    i18n: &I18n,
    options: &SlipOptions,
) -> Vec<(String, f32)> {
    let language = options.language;
    let second = options.second.filter(|s| *s != language);
    let code = language.code();
    // Labels in both languages: the client reads the first, the partner the second.
    let t = |id: &str| match second {
        Some(other) => format!("{} / {}", i18n.t_in(language, id), i18n.t_in(other, id)),
        None => i18n.t_in(language, id),
    };
    let name = |text: &shared::catalogue::LocalizedText| {
        let first = localized(text, code);
        match second.map(|s| localized(text, s.code())) {
            Some(other) if other != first => format!("{first} ({other})"),
            _ => first.to_owned(),
        }
    };
    let identity = &client.identity;
    let mut lines = vec![
        (t("slip-title"), 16.0),
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
    ];
    if let Some(birth) = identity.date_of_birth {
        lines.push((
            format!("{}: {}", t("field-date-of-birth"), birth.display()),
            11.0,
        ));
    }
    let community = catalogue
        .community(&identity.community)
        .map_or_else(|| t("value-unknown-code"), |c| name(&c.name));
    lines.push((format!("{}: {}", t("field-community"), community), 11.0));
    lines.push((
        format!(
            "{}: {}",
            t("slip-date"),
            shared::time::CalendarDate::today_utc()
        ),
        11.0,
    ));
    let agent = if options.agent_name.trim().is_empty() {
        BLANK.to_owned()
    } else {
        options.agent_name.trim().to_owned()
    };
    lines.push((format!("{}: {agent}", t("slip-agent")), 11.0));
    let office = if options.office_contact.trim().is_empty() {
        BLANK.to_owned()
    } else {
        options.office_contact.trim().to_owned()
    };
    lines.push((format!("{}: {office}", t("slip-office")), 11.0));

    let partner_name = |partner: &shared::ids::PartnerCode| {
        catalogue
            .partner(partner)
            .map_or_else(|| t("value-unknown-code"), |p| name(&p.name))
    };
    for referral in client.open_referrals() {
        lines.push((String::new(), 11.0));
        lines.push((
            format!(
                "{}: {}",
                t("slip-referral-to"),
                partner_name(&referral.partner)
            ),
            13.0,
        ));
        let contact = catalogue
            .partner(&referral.partner)
            .and_then(|p| p.contact.clone())
            .unwrap_or_default();
        let phone = contact.phone.unwrap_or_else(|| BLANK.to_owned());
        lines.push((format!("{}: {phone}", t("slip-phone")), 11.0));
        let address = contact
            .address
            .as_ref()
            .map_or_else(|| BLANK.to_owned(), |a| localized(a, code).to_owned());
        lines.push((format!("{}: {address}", t("slip-address")), 11.0));
        if let Some(web) = contact.web {
            lines.push((format!("{}: {web}", t("slip-web")), 11.0));
        }
        lines.push((
            format!("{}: {}", t("field-referral-reason"), referral.reason),
            11.0,
        ));
        lines.push((
            format!(
                "{}: {}",
                t("field-referral-urgency"),
                t(super::screens::urgency_id(referral.urgency))
            ),
            11.0,
        ));
    }
    let mut section = |title: String, items: Vec<String>| {
        if items.is_empty() {
            return;
        }
        lines.push((String::new(), 11.0));
        lines.push((title, 13.0));
        for item in items {
            lines.push((format!("• {item}"), 11.0));
        }
    };
    section(
        t("section-programs"),
        client
            .programs
            .iter()
            .map(|request| {
                let program = catalogue
                    .program(&request.program)
                    .map_or_else(|| t("value-unknown-code"), |p| name(&p.name));
                format!(
                    "{program} — {}",
                    t(super::screens::program_status_id(request.status))
                )
            })
            .collect(),
    );
    section(
        t("section-follow-ups"),
        client
            .follow_ups
            .iter()
            .filter(|f| !f.done)
            .map(|f| format!("{} — {}", f.due, f.description))
            .collect(),
    );
    section(
        t("section-consent"),
        effective_consent(&client.consent)
            .into_iter()
            .map(|((partner, purpose), state)| {
                let state = t(match state {
                    ConsentState::Granted => "consent-state-granted",
                    ConsentState::Withdrawn => "consent-state-withdrawn",
                });
                let purpose = catalogue
                    .purposes
                    .iter()
                    .find(|p| p.code == purpose)
                    .map_or_else(|| t("value-unknown-code"), |p| name(&p.name));
                format!("{} — {purpose}: {state}", partner_name(&partner))
            })
            .collect(),
    );
    lines.push((String::new(), 11.0));
    lines.push((format!("{}: {BLANK}", t("slip-client-signature")), 11.0));
    lines.push((String::new(), 11.0));
    lines.push((format!("{}: {BLANK}", t("slip-agent-signature")), 11.0));
    lines.push((String::new(), 11.0));
    lines.push((t("slip-footer"), 10.0));
    lines
}

/// Breaks a long line at spaces so it fits the page.
fn wrap(text: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    for word in text.split(' ') {
        let current = out.last_mut().map_or(0, |l| l.chars().count());
        if current > 0 && current + 1 + word.chars().count() > LINE_CHARS {
            out.push(String::new());
        }
        if let Some(line) = out.last_mut() {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    out
}

/// The slip as PDF bytes.
pub fn slip_pdf(
    client: &Client,
    catalogue: &Catalogue,
    options: &SlipOptions,
) -> Result<Vec<u8>, PrintError> {
    let i18n = I18n::new(options.language)?;
    // A slip is one page: what does not fit is left off rather than split from its signatures.
    lines_pdf(&slip_lines(client, catalogue, &i18n, options), Some(1))
}

/// Lines of text `(text, size)` as a PDF on A4 pages, long lines wrapped, a new page when one is
/// full (at most `max_pages`; the rest is left off), with the bundled fonts embedded and the
/// script switched per run of text.
pub(super) fn lines_pdf(
    lines: &[(String, f32)],
    max_pages: Option<usize>,
) -> Result<Vec<u8>, PrintError> {
    let mut latin = EmbeddedFont::new(LATIN_TTF, LATIN_TTF)?;
    let mut syllabics = EmbeddedFont::new(SYLLABICS_TTF, SYLLABICS_TTF)?;
    let mut pages_content = vec![Content::new()];
    let mut y = PAGE_HEIGHT - MARGIN;
    'lines: for (text, size) in lines {
        let size = *size;
        for line in wrap(text) {
            y -= size * 1.4;
            if y < MARGIN {
                if max_pages.is_some_and(|max| pages_content.len() >= max) {
                    break 'lines;
                }
                pages_content.push(Content::new());
                y = PAGE_HEIGHT - MARGIN - size * 1.4;
            }
            let Some(content) = pages_content.last_mut() else {
                break 'lines;
            };
            content.begin_text();
            content.next_line(MARGIN, y);
            let mut run = String::new();
            let mut run_is_syllabic = false;
            let mut flush = |run: &mut String, syllabic: bool, content: &mut Content| {
                if run.is_empty() {
                    return;
                }
                let (font, name) = if syllabic {
                    (&mut syllabics, Name(b"F2"))
                } else {
                    (&mut latin, Name(b"F1"))
                };
                content.set_font(name, size);
                content.show(Str(&font.encode(run)));
                run.clear();
            };
            for c in line.chars() {
                let syllabic = shared::text::is_syllabic(c);
                if syllabic != run_is_syllabic && !c.is_whitespace() {
                    flush(&mut run, run_is_syllabic, content);
                    run_is_syllabic = syllabic;
                }
                run.push(c);
            }
            flush(&mut run, run_is_syllabic, content);
            content.end_text();
        }
    }
    let mut next = Ref::new(1);
    let catalog = next.bump();
    let pages = next.bump();
    let page_refs: Vec<(Ref, Ref)> = pages_content
        .iter()
        .map(|_| (next.bump(), next.bump()))
        .collect();
    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(pages);
    pdf.pages(pages)
        .kids(page_refs.iter().map(|(page, _)| *page))
        .count(i32::try_from(page_refs.len()).unwrap_or(i32::MAX));
    let latin_ref = latin.write(&mut pdf, &mut next, "NotoSans-Regular");
    let syllabics_ref = syllabics.write(&mut pdf, &mut next, "NotoSansCanadianAboriginal-Regular");
    for ((page, content_ref), content) in page_refs.into_iter().zip(pages_content) {
        let mut page_writer = pdf.page(page);
        page_writer
            .media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
            .parent(pages)
            .contents(content_ref);
        page_writer
            .resources()
            .fonts()
            .pair(Name(b"F1"), latin_ref)
            .pair(Name(b"F2"), syllabics_ref);
        page_writer.finish();
        pdf.stream(content_ref, &content.finish());
    }
    Ok(pdf.finish())
}

/// Writes the slip to `path` (owner-only permissions).
pub fn write_slip(
    client: &Client,
    catalogue: &Catalogue,
    options: &SlipOptions,
    path: &Path,
) -> Result<(), PrintError> {
    write_private(path, &slip_pdf(client, catalogue, options)?)
}

/// Writes a printout to `path` (owner-only permissions, its directory created owner-only).
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<(), PrintError> {
    if let Some(parent) = path.parent() {
        vault::private_files::create_dir(parent)?;
    }
    vault::private_files::write(path, bytes)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use shared::Client;
    use shared::ids::{AgentId, CommunityCode, DeviceId, PartnerCode, ReferralId};
    use shared::model::{Identity, Referral, ReferralStatus, Urgency};
    use shared::time::Timestamp;

    use super::*;

    fn client() -> Client {
        let mut client = Client::new(
            Identity {
                given_name: "ᔪᐊᓇᓯ".into(),
                family_name: "Kilabuk".into(),
                preferred_name: None,
                other_names: Vec::new(),
                date_of_birth: None,
                sex_or_gender: None,
                community: CommunityCode::new("nu.pangnirtung"),
                identifiers: shared::model::Identifiers::default(),
                contact: shared::model::Contact::default(),
            },
            AgentId::random(),
            DeviceId::random(),
            Timestamp::now(),
        );
        client.referrals.push(Referral {
            id: ReferralId::random(),
            partner: PartnerCode::new("nu.health"),
            reason: "hearing test".into(),
            urgency: Urgency::Soon,
            status: ReferralStatus::Open,
            outcome: None,
            created_at: Timestamp::now(),
        });
        client
    }

    #[test]
    fn slip_embeds_both_fonts_and_maps_syllabics_back_to_text() {
        let catalogue = Catalogue::built_in().unwrap();
        for language in Language::ALL {
            let pdf = slip_pdf(&client(), &catalogue, &SlipOptions::in_language(language)).unwrap();
            let text = String::from_utf8_lossy(&pdf);
            assert!(pdf.starts_with(b"%PDF-"));
            assert_eq!(text.matches("/FontFile2").count(), 2, "{language:?}");
            assert!(text.contains("NotoSansCanadianAboriginal-Regular"));
            // The ToUnicode map lets a reader copy the syllabic name: ᔪ is U+152A.
            assert!(text.contains("<152A>"), "{language:?}");
        }
    }

    /// What the receiving partner needs is on the slip, in words: their phone (or a line to
    /// write it), the urgency, the agent and office, signature lines, and names (not codes) in
    /// both languages chosen.
    #[test]
    fn slip_says_what_the_partner_needs_in_both_languages_and_no_codes() {
        use shared::ids::PurposeCode;
        use shared::model::{ConsentAction, ConsentEvent, ConsentMethod};
        let catalogue = Catalogue::built_in().unwrap();
        let mut client = client();
        client.referrals.push(Referral {
            id: ReferralId::random(),
            partner: PartnerCode::new("ca.esdc"),
            reason: "EI application".into(),
            urgency: Urgency::Urgent,
            status: ReferralStatus::Open,
            outcome: None,
            created_at: Timestamp::now(),
        });
        client.consent.push(ConsentEvent {
            id: shared::ids::ConsentEventId::random(),
            partner: PartnerCode::new("ca.esdc"),
            purpose: PurposeCode::new("application"),
            action: ConsentAction::Grant,
            method: ConsentMethod::Signed,
            date: shared::time::CalendarDate::today_utc(),
            supersedes: Vec::new(),
            recorded_by: AgentId::random(),
            recorded_at: Timestamp::now(),
        });
        let i18n = I18n::new(Language::Inuktitut).unwrap();
        let options = SlipOptions {
            language: Language::Inuktitut,
            second: Some(Language::English),
            agent_name: "Agent Example".into(),
            office_contact: "Iqaluit office, 867-555-0100".into(),
        };
        let text: Vec<String> = slip_lines(&client, &catalogue, &i18n, &options)
            .into_iter()
            .map(|(line, _)| line)
            .collect();
        let all = text.join("\n");
        for expected in [
            "1-800-622-6232",
            "Urgent",
            "Agent Example",
            "Iqaluit office, 867-555-0100",
            "Client signature and date",
            "Agent signature and date",
            "Processing an application",
            "ᐸᓐᓂᖅᑐᖅ (Pangnirtung)",
        ] {
            assert!(all.contains(expected), "{expected:?} missing from:\n{all}");
        }
        // Nunavut Health has no phone in the catalogue: a line to write it by hand.
        assert!(all.contains(&format!(": {BLANK}")));
        for code in ["(application)", "ca.esdc", "nu.health", "nu.pangnirtung"] {
            assert!(!all.contains(code), "raw code {code:?} on the slip:\n{all}");
        }
    }
}
