//! What the demo banner shows, and the demo's fixed passphrase and community: compiled in every
//! build (the banner is part of the UI); the demo itself (`demo.rs`, with its embedded node)
//! only with the `demo` feature.

use shared::ids::CommunityCode;

/// The demo's passphrase, shown in the demo banner.
pub const DEMO_PASSPHRASE: &str = "demo only kayak lichen tundra";
/// The demo's community.
pub const DEMO_COMMUNITY: &str = "nu.pangnirtung";

/// What the banner shows.
#[derive(Clone, Debug)]
pub struct DemoInfo {
    /// The passphrase (fictional profile).
    pub passphrase: String,
    /// The community the visit starts in.
    pub community: CommunityCode,
}
