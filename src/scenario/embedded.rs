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

/// All shipped scenarios, in presentation order (the first is the comparison baseline):
/// `reference` (no new local measures), `plan`, `accelerated`, `delayed`, `peak-2030`
/// (horizon 2030; the others end in 2025).
pub const SHIPPED: &[EmbeddedFile] = &[
    EmbeddedFile {
        id: "reference",
        file: "reference.toml",
        text: include_str!("../../scenarios/reference.toml"),
    },
    EmbeddedFile {
        id: "plan",
        file: "plan.toml",
        text: include_str!("../../scenarios/plan.toml"),
    },
    EmbeddedFile {
        id: "accelerated",
        file: "accelerated.toml",
        text: include_str!("../../scenarios/accelerated.toml"),
    },
    EmbeddedFile {
        id: "delayed",
        file: "delayed.toml",
        text: include_str!("../../scenarios/delayed.toml"),
    },
    EmbeddedFile {
        id: "peak-2030",
        file: "peak-2030.toml",
        text: include_str!("../../scenarios/peak-2030.toml"),
    },
];

/// A shipped scenario by id.
pub fn find(id: &str) -> Option<&'static EmbeddedFile> {
    SHIPPED.iter().find(|f| f.id == id)
}

/// Ids of all shipped scenarios.
pub fn ids() -> Vec<&'static str> {
    SHIPPED.iter().map(|f| f.id).collect()
}
