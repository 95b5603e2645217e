//! Layer module `present`.
