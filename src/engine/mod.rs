//! Layer module `engine`.
