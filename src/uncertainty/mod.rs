//! Layer module `uncertainty`.
