//! Shipped scenario files, embedded in the binary so the default run needs no files on disk.

/// One shipped scenario file.
#[derive(Debug, Clone, Copy)]
pub struct EmbeddedFile {
    /// Scenario id.
    pub id: &'static str,
    /// File name under `scenarios/`.
    pub file: &'static str,
    /// File text.
    pub text: &'static str,
}

/// All shipped scenarios, in presentation order (the first is the comparison baseline).
pub const SHIPPED: &[EmbeddedFile] = &[EmbeddedFile {
    id: "plan",
    file: "plan.toml",
    text: include_str!("../../scenarios/plan.toml"),
}];

/// A shipped scenario by id.
pub fn find(id: &str) -> Option<&'static EmbeddedFile> {
    SHIPPED.iter().find(|f| f.id == id)
}

/// Ids of all shipped scenarios.
pub fn ids() -> Vec<&'static str> {
    SHIPPED.iter().map(|f| f.id).collect()
}
