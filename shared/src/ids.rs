//! Identifier newtypes. Each kind of id is its own type so a `ClientId` can never be passed where a
//! `DeviceId` is expected. UUID-based ids are random (v4); code-based ids name catalogue entries.

use std::fmt;

use autosurgeon::{Hydrate, HydrateError, Reconcile, Reconciler};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! new_uuid_id {
    ($(#[$doc:meta] $name:ident),+ $(,)?) => {$(
        #[$doc]
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh random id.
            #[must_use]
            pub fn random() -> Self {
                Self(Uuid::new_v4())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }

        impl Reconcile for $name {
            type Key<'a> = Uuid;
            fn reconcile<R: Reconciler>(&self, reconciler: R) -> Result<(), R::Error> {
                self.0.reconcile(reconciler)
            }
            fn key(&self) -> autosurgeon::reconcile::LoadKey<Self::Key<'_>> {
                autosurgeon::reconcile::LoadKey::Found(self.0)
            }
        }

        impl Hydrate for $name {
            fn hydrate_bytes(bytes: &[u8]) -> Result<Self, HydrateError> {
                Uuid::hydrate_bytes(bytes).map(Self)
            }
        }
    )+};
}

new_uuid_id! {
    /// One client (person) served; also the id of that client's Automerge document.
    ClientId,
    /// One laptop or server node.
    DeviceId,
    /// One outreach agent or office worker.
    AgentId,
    /// One visit of a team to a site.
    VisitId,
    /// One consent event (grant or withdrawal).
    ConsentEventId,
    /// One program or service request within a client record.
    ProgramRequestId,
    /// One referral.
    ReferralId,
    /// One follow-up.
    FollowUpId,
    /// One free-text note.
    NoteId,
}

macro_rules! new_code {
    ($(#[$doc:meta] $name:ident),+ $(,)?) => {$(
        #[$doc]
        #[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        // By hand: the derived newtype impl has no `hydrate_string`, so `Option<$name>` fails.
        impl Reconcile for $name {
            type Key<'a> = autosurgeon::reconcile::NoKey;
            fn reconcile<R: Reconciler>(&self, mut reconciler: R) -> Result<(), R::Error> {
                reconciler.str(&self.0)
            }
        }

        impl Hydrate for $name {
            fn hydrate_string(s: &str) -> Result<Self, HydrateError> {
                Ok(Self(s.to_owned()))
            }
        }

        impl $name {
            /// Wraps a code as written in the catalogue.
            #[must_use]
            pub fn new(code: impl Into<String>) -> Self {
                Self(code.into())
            }

            /// The code as text.
            #[must_use]
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.0)
            }
        }
    )+};
}

new_code! {
    /// A program or service in the catalogue, e.g. `ca.oas`.
    ProgramCode,
    /// A partner organisation that may receive data with consent, e.g. `ca.esdc`.
    PartnerCode,
    /// A community served, e.g. `nu.pangnirtung`.
    CommunityCode,
    /// A site within a community (band office, hall, evacuation centre).
    SiteCode,
    /// A language, BCP 47 (`en`, `fr`, `iu`, `cr`, `oj`, …).
    LanguageCode,
    /// A purpose for which data may be shared, e.g. `application`, `referral`.
    PurposeCode,
    /// A kind of document seen, e.g. `birth-certificate`.
    DocumentKind,
}
