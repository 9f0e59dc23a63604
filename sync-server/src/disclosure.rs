//! `sync-server export`, `sync-server disclosures` and `sync-server report` (issue 12): consent-filtered exports to a
//! partner, sealed to it, with one disclosure record per client released; and the register of
//! those disclosures, by partner, client and period. Nothing printed holds a client's values.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use node::export::{Destination, ExportOptions, export};
use node::storage::{DisclosureQuery, Store};
use shared::disclosure::ExportProfile;
use shared::disclosure::profile::MAX_PROFILE_BYTES;
use shared::ids::{ClientId, PartnerCode, PurposeCode};
use shared::time::{CalendarDate, Timestamp};

/// What `export` was given.
#[derive(Debug, clap::Args)]
pub(crate) struct ExportArgs {
    /// The partner, by catalogue code (e.g. `nu.health`).
    #[arg(long)]
    partner: String,
    /// The purpose, by catalogue code (e.g. `referral`).
    #[arg(long)]
    purpose: String,
    /// The export profile (JSON, `docs/EXPORTS.md`); default: the minimal built-in one.
    #[arg(long, value_name = "FILE")]
    profile: Option<PathBuf>,
    /// Where the sealed CSV goes (created owner-only). Required unless `--dry-run`.
    #[arg(long, value_name = "FILE", required_unless_present = "dry_run")]
    out: Option<PathBuf>,
    /// The partner's age recipient (`age1…`); default: the profile's `recipient`.
    #[arg(long, value_name = "RECIPIENT")]
    seal_to: Option<String>,
    /// Who exports (recorded in every disclosure).
    #[arg(long, value_name = "NAME")]
    by: String,
    /// Count who would be released and who left out, and why; write and record nothing.
    #[arg(long)]
    dry_run: bool,
}

/// What `disclosures` was given.
#[derive(Debug, clap::Args)]
pub(crate) struct DisclosuresArgs {
    /// Only to this partner.
    #[arg(long)]
    partner: Option<String>,
    /// Only of this client (a record id).
    #[arg(long)]
    client: Option<String>,
    /// Only on or after this day (`YYYY-MM-DD`, UTC).
    #[arg(long)]
    from: Option<String>,
    /// Only before this day (`YYYY-MM-DD`, UTC).
    #[arg(long)]
    until: Option<String>,
}

fn read_profile(args: &ExportArgs, catalogue: &shared::Catalogue) -> anyhow::Result<ExportProfile> {
    let partner = PartnerCode::new(&args.partner);
    if catalogue.partner(&partner).is_none() {
        bail!("{} is not a partner in the catalogue", args.partner);
    }
    let Some(path) = &args.profile else {
        return Ok(ExportProfile::minimal(
            partner,
            vec![PurposeCode::new(&args.purpose)],
        ));
    };
    let bytes = vault::private_files::read_bounded(path, MAX_PROFILE_BYTES)
        .with_context(|| format!("reading {}", path.display()))?
        .with_context(|| format!("{} does not exist", path.display()))?;
    let profile = ExportProfile::parse(&bytes, catalogue)
        .with_context(|| format!("the export profile {}", path.display()))?;
    if profile.partner != partner {
        bail!(
            "the export profile is for partner {}, not {}",
            profile.partner.as_str(),
            args.partner
        );
    }
    Ok(profile)
}

pub(crate) fn run_export(store: &dyn Store, args: &ExportArgs) -> anyhow::Result<()> {
    let catalogue = shared::Catalogue::current()?;
    let purpose = PurposeCode::new(&args.purpose);
    if !catalogue.purposes.iter().any(|p| p.code == purpose) {
        bail!("{} is not a purpose in the catalogue", args.purpose);
    }
    let profile = read_profile(args, catalogue)?;
    let started = std::time::Instant::now();
    let out: Option<&Path> = if args.dry_run {
        None
    } else {
        args.out.as_deref()
    };
    let outcome = export(
        store,
        catalogue,
        ExportOptions {
            profile: &profile,
            purpose: &purpose,
            by: &args.by,
            now: Timestamp::now(),
            seal_to: args.seal_to.as_deref(),
            out: out.map(Destination::File),
        },
    )?;
    let record = &outcome.record;
    let left: Vec<String> = record
        .left_out
        .iter()
        .map(|(reason, n)| format!("{n} {reason}"))
        .collect();
    let mut stdout = std::io::stdout().lock();
    match out {
        None => writeln!(
            stdout,
            "dry run: {} client(s) would be released to {} for {} ({} column(s)); left out: {}; nothing written or recorded",
            record.released,
            record.partner.as_str(),
            record.purpose.as_str(),
            record.columns.len(),
            left.join(", ")
        )?,
        Some(path) => writeln!(
            stdout,
            "export {}: {} client(s) released to {} for {} ({}); left out: {}; sealed to {} and written to {} (sha256 {}); {} disclosure record(s) kept, in {:.1} s",
            record.id,
            record.released,
            record.partner.as_str(),
            record.purpose.as_str(),
            record.columns.join(","),
            left.join(", "),
            record.sealed_to.as_deref().unwrap_or_default(),
            path.display(),
            record.file_sha256,
            record.released,
            started.elapsed().as_secs_f64()
        )?,
    }
    if outcome.unreadable > 0 {
        writeln!(
            stdout,
            "{} document(s) did not read as a record and were not considered",
            outcome.unreadable
        )?;
    }
    Ok(())
}

fn day(text: Option<&str>, what: &str) -> anyhow::Result<Option<Timestamp>> {
    text.map(|t| {
        let date = CalendarDate::parse(t).map_err(|_| anyhow::anyhow!("{what}: not YYYY-MM-DD"))?;
        Timestamp::parse_rfc3339(&format!("{date}T00:00:00Z"))
            .map_err(|_| anyhow::anyhow!("{what}: not a day"))
    })
    .transpose()
}

pub(crate) fn run_disclosures(store: &dyn Store, args: &DisclosuresArgs) -> anyhow::Result<()> {
    let query = DisclosureQuery {
        partner: args.partner.as_deref().map(PartnerCode::new),
        client: args
            .client
            .as_deref()
            .map(str::parse::<ClientId>)
            .transpose()
            .map_err(|_| anyhow::anyhow!("--client: not a record id"))?,
        from: day(args.from.as_deref(), "--from")?,
        until: day(args.until.as_deref(), "--until")?,
    };
    let mut stdout = std::io::stdout().lock();
    writeln!(
        stdout,
        "at,export,client,partner,purpose,fields,consent_events,by"
    )?;
    let found = store.disclosures(&query, u32::MAX)?;
    for d in &found {
        let consent: Vec<String> = d.consent_events.iter().map(ToString::to_string).collect();
        let mut row = String::new();
        shared::disclosure::csv::push_row(
            &mut row,
            [
                d.at.to_rfc3339().as_str(),
                d.export.to_string().as_str(),
                d.client.to_string().as_str(),
                d.partner.as_str(),
                d.purpose.as_str(),
                d.fields.join(";").as_str(),
                consent.join(";").as_str(),
                d.by.as_str(),
            ],
        );
        stdout.write_all(row.as_bytes())?;
    }
    writeln!(std::io::stderr().lock(), "{} disclosure(s)", found.len())?;
    Ok(())
}

/// What `report` was given.
#[derive(Debug, clap::Args)]
pub(crate) struct ReportArgs {
    /// Only records created on or after this day (`YYYY-MM-DD`, UTC).
    #[arg(long)]
    from: Option<String>,
    /// Only records created before this day (`YYYY-MM-DD`, UTC).
    #[arg(long)]
    until: Option<String>,
    /// Only this community (catalogue code).
    #[arg(long)]
    community: Option<String>,
    /// Output format (CSV: `table,key,detail,count`).
    #[arg(long, value_enum, default_value_t = ReportFormat::Csv)]
    format: ReportFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ReportFormat {
    Csv,
}

pub(crate) fn run_report(store: &dyn Store, args: &ReportArgs) -> anyhow::Result<()> {
    let date = |text: Option<&str>, what: &str| -> anyhow::Result<Option<CalendarDate>> {
        text.map(|t| CalendarDate::parse(t).map_err(|_| anyhow::anyhow!("{what}: not YYYY-MM-DD")))
            .transpose()
    };
    let filter = shared::report::ReportFilter {
        from: date(args.from.as_deref(), "--from")?,
        until: date(args.until.as_deref(), "--until")?,
        community: args
            .community
            .as_deref()
            .map(shared::ids::CommunityCode::new),
    };
    let all = node::office::all_records(store)?;
    let catalogue = shared::Catalogue::current()?;
    let figures =
        shared::report::figures(&all.clients, catalogue, &filter, CalendarDate::today_utc());
    let ReportFormat::Csv = args.format;
    std::io::stdout()
        .lock()
        .write_all(shared::report::csv(&figures).as_bytes())?;
    Ok(())
}
