//! Layer module `analysis`.
pub mod summary;
