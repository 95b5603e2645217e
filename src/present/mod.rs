//! Layer module `present`.

pub mod charts;
