//! Layer module `analysis`.
