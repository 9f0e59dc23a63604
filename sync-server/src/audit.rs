//! `sync-server audit verify` and `sync-server audit access` (issue 12): whether every device's
//! audit trail the node holds is whole (and every break flagged when entries arrived), and one
//! client's access report across devices — every view, change, print and export of the record,
//! and every disclosure of it. Ids, actions and times only: no client values.

use std::io::Write as _;

use anyhow::bail;
use node::storage::{AuditQuery, DisclosureQuery, Store};
use shared::ids::ClientId;

/// What `audit` does.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum AuditCommand {
    /// Walk every device's trail the node holds and list the breaks found now and those flagged
    /// when entries arrived; exits with an error when any trail does not hold.
    Verify,
    /// One client's access report (CSV on standard output): every entry about the record from
    /// every device, and every disclosure of it, oldest first.
    Access {
        /// The record id.
        #[arg(long)]
        client: String,
    },
}

pub(crate) fn run(store: &dyn Store, command: &AuditCommand) -> anyhow::Result<()> {
    match command {
        AuditCommand::Verify => verify(store),
        AuditCommand::Access { client } => {
            let client = client
                .parse::<ClientId>()
                .map_err(|_| anyhow::anyhow!("--client: not a record id"))?;
            access(store, client)
        }
    }
}

fn verify(store: &dyn Store) -> anyhow::Result<()> {
    let checks = node::audit::verify(store)?;
    let mut stdout = std::io::stdout().lock();
    let mut broken = 0;
    for check in &checks {
        let head = check.anchor.map_or(0, |a| a.seq);
        if check.holds() {
            writeln!(
                stdout,
                "device {}: {} entries, head {head}: holds",
                check.device, check.entries
            )?;
            continue;
        }
        broken += 1;
        writeln!(
            stdout,
            "device {}: {} entries, head {head}: DOES NOT HOLD",
            check.device, check.entries
        )?;
        for found in &check.breaks {
            writeln!(stdout, "  found now: {found}")?;
        }
        for flag in &check.flags {
            writeln!(
                stdout,
                "  flagged at {}: {}",
                flag.at.to_rfc3339(),
                flag.found
            )?;
        }
    }
    writeln!(
        stdout,
        "{} device trail(s), {broken} not holding",
        checks.len()
    )?;
    if broken > 0 {
        bail!("{broken} device audit trail(s) do not hold");
    }
    Ok(())
}

fn access(store: &dyn Store, client: ClientId) -> anyhow::Result<()> {
    let mut rows: Vec<(i64, [String; 5])> = Vec::new();
    let mut query = AuditQuery {
        record: Some(client),
        ..AuditQuery::default()
    };
    loop {
        let page = store.audit_trail(&query, 10_000)?;
        let Some(last) = page.last() else { break };
        query.after = last.id;
        for stored in page {
            let e = stored.entry;
            rows.push((
                e.at.0,
                [
                    e.at.to_rfc3339(),
                    e.action.name().to_owned(),
                    e.agent.to_string(),
                    e.device.to_string(),
                    String::new(),
                ],
            ));
        }
    }
    let disclosures = store.disclosures(
        &DisclosureQuery {
            client: Some(client),
            ..DisclosureQuery::default()
        },
        u32::MAX,
    )?;
    for d in disclosures {
        rows.push((
            d.at.0,
            [
                d.at.to_rfc3339(),
                "disclosure".to_owned(),
                d.by.clone(),
                String::new(),
                format!(
                    "{} for {}: {}",
                    d.partner.as_str(),
                    d.purpose.as_str(),
                    d.fields.join(";")
                ),
            ],
        ));
    }
    rows.sort_by_key(|(at, _)| *at);
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "at,action,by,device,detail")?;
    for (_, fields) in &rows {
        let mut row = String::new();
        shared::disclosure::csv::push_row(&mut row, fields.iter().map(String::as_str));
        stdout.write_all(row.as_bytes())?;
    }
    writeln!(
        std::io::stderr().lock(),
        "{} access(es) of {client}",
        rows.len()
    )?;
    Ok(())
}
