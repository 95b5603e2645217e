//! Layer module `cli`.
