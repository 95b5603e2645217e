//! Layer 1 — scenario files: TOML schema, `extends` inheritance, embedded defaults, validation
//! with file/line/key errors and the provenance of every number.

pub mod embedded;
mod error;
pub mod load;
pub mod names;
pub mod plan_measures;
pub mod schema;
pub mod toml_out;
mod types;

pub use error::{ScenarioError, suggest};
pub use load::{load_embedded, load_path, load_str};
pub use types::*;
