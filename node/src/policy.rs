//! Who may do what on a node: the role and scope rules, in one place for every backend, every
//! route and every way a node is started (`sync-server`, the embedded node).
//!
//! - An **agent** device holds a list of communities; it sends and receives records of those
//!   communities only, and can never be granted `*`.
//! - An **office** device holds communities or `*` (every community of the node).
//! - A record belongs to the community its document names; a change is judged by the community
//!   of the record before *and* after it (a device cannot move a record out of, or into, a
//!   community it does not serve).
//! - Only an office device that serves both communities may move a record from one to another.
//! - A change made against an older epoch than the stored document's is refused (erasure and
//!   correction rebuild a document under a new epoch, decisions D1).

use shared::ids::CommunityCode;
use shared::protocol::enroll::{Role, Scope};

use crate::storage::{DeviceRecord, LogFilter, StoreError};

/// Why an enrolment grant was refused.
#[derive(Debug, thiserror::Error)]
pub enum EnrollmentError {
    /// An agent's scope names `*`.
    #[error("an agent's scope lists communities; `*` is for office devices")]
    AgentEverywhere,
    /// The scope names nothing.
    #[error("a scope names at least one community")]
    EmptyScope,
    /// The system's random generator failed.
    #[error("the system random generator failed")]
    Random,
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Checks the scope an enrolment would grant to a device of `role`.
pub fn check_grant(role: Role, scope: &Scope) -> Result<(), EnrollmentError> {
    if scope.communities.is_empty() {
        return Err(EnrollmentError::EmptyScope);
    }
    if role == Role::Agent && scope.is_everything() {
        return Err(EnrollmentError::AgentEverywhere);
    }
    Ok(())
}

/// Whether `device` may write records of `community`.
#[must_use]
pub fn may_write(device: &DeviceRecord, community: &CommunityCode) -> bool {
    match device.role {
        Role::Agent => {
            !community
                .as_str()
                .eq(shared::protocol::enroll::EVERY_COMMUNITY)
                && device.scope.communities.iter().any(|c| c == community)
        }
        Role::Office => device.scope.includes(community),
    }
}

/// Whether `device` may move a record from community `from` to `to`: a deliberate office
/// operation, for an office device that serves both; an agent never moves records (a wrong
/// community at intake is corrected by the office).
#[must_use]
pub fn may_move(device: &DeviceRecord, from: &CommunityCode, to: &CommunityCode) -> bool {
    device.role == Role::Office && may_write(device, from) && may_write(device, to)
}

/// Whether `device` may merge records or mark them as different people (issue 11): office
/// devices only, within their write scope (checked with the record's community as usual).
#[must_use]
pub fn may_decide_identity(device: &DeviceRecord) -> bool {
    device.role == Role::Office
}

/// The communities a scope names, without `*`.
fn named_communities(scope: &Scope) -> impl Iterator<Item = &CommunityCode> {
    scope
        .communities
        .iter()
        .filter(|c| c.as_str() != shared::protocol::enroll::EVERY_COMMUNITY)
}

/// Whether a change made against `change_epoch` may join a document stored at `stored_epoch`.
#[must_use]
pub fn epoch_accepts(stored_epoch: u32, change_epoch: u32) -> bool {
    change_epoch >= stored_epoch
}

/// Which log entries `device` may pull: its communities (every one for an office with `*`),
/// never its own uploads.
#[must_use]
pub fn pull_filter(device: &DeviceRecord) -> LogFilter {
    let everything = device.role == Role::Office && device.scope.is_everything();
    LogFilter {
        exclude_origin: device.id,
        communities: (!everything).then(|| named_communities(&device.scope).cloned().collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::ids::DeviceId;

    fn device(role: Role, communities: &[&str]) -> DeviceRecord {
        DeviceRecord {
            id: DeviceId::random(),
            public_key: [0; 32],
            role,
            scope: Scope {
                communities: communities.iter().map(|c| CommunityCode::new(*c)).collect(),
            },
            revoked: false,
            suspected_clone: false,
        }
    }

    #[test]
    fn an_agent_is_never_granted_every_community() {
        let everything = Scope {
            communities: vec![CommunityCode::new("*")],
        };
        assert!(matches!(
            check_grant(Role::Agent, &everything),
            Err(EnrollmentError::AgentEverywhere)
        ));
        assert!(check_grant(Role::Office, &everything).is_ok());
        assert!(matches!(
            check_grant(Role::Office, &Scope::default()),
            Err(EnrollmentError::EmptyScope)
        ));
    }

    #[test]
    fn an_agent_with_a_star_in_its_scope_still_sees_only_its_communities() {
        // A registry written before the grant rule: `*` means nothing for an agent.
        let agent = device(Role::Agent, &["*", "nu.iqaluit"]);
        assert!(!may_write(&agent, &CommunityCode::new("nu.arviat")));
        assert!(may_write(&agent, &CommunityCode::new("nu.iqaluit")));
        assert_eq!(
            pull_filter(&agent).communities,
            Some(vec![CommunityCode::new("nu.iqaluit")])
        );
        let office = device(Role::Office, &["*"]);
        assert!(may_write(&office, &CommunityCode::new("nu.arviat")));
        assert_eq!(pull_filter(&office).communities, None);
    }

    #[test]
    fn changes_against_an_older_epoch_are_refused() {
        assert!(epoch_accepts(2, 2));
        assert!(epoch_accepts(2, 3));
        assert!(!epoch_accepts(2, 1));
    }
}
