//! Intake lines for sync tests and benchmarks: the field app's generator, shared.

pub use field_app::fixtures::intake_lines;
