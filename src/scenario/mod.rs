//! Layer 1 — scenario files: TOML schema, `extends` inheritance, embedded defaults, validation
//! with file/line/key errors and the provenance of every number.

pub mod schema;
mod types;

pub use types::*;
