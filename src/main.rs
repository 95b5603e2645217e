//! The `tanfeng` command line; all logic lives in the library (`tanfeng::cli`).
fn main() {}
