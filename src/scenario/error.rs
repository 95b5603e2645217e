//! Errors of the scenario layer; each names the file position and the key.

use super::types::SourcePos;

/// What is wrong with a scenario file.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file is not valid TOML.
    #[error("{pos}: TOML syntax error: {message}")]
    Syntax {
        /// Where.
        pos: SourcePos,
        /// The parser's message.
        message: String,
    },
    /// A key the program does not know.
    #[error("{pos}: unknown key '{key}'{}; allowed here: {allowed}", .suggestion.as_ref().map(|s| format!(" (did you mean '{s}'?)")).unwrap_or_default())]
    UnknownKey {
        /// Where.
        pos: SourcePos,
        /// Full dotted key.
        key: String,
        /// The closest allowed key, if one is close.
        suggestion: Option<String>,
        /// The keys allowed at this place.
        allowed: String,
    },
    /// A value of the wrong TOML type.
    #[error("{pos}: key '{key}': expected {expected}, found {found}")]
    WrongType {
        /// Where.
        pos: SourcePos,
        /// Full dotted key.
        key: String,
        /// What is allowed.
        expected: String,
        /// What was found.
        found: String,
    },
    /// A number outside its allowed range.
    #[error("{pos}: key '{key}': {value} is outside the allowed range [{min}, {max}] {unit}")]
    OutOfRange {
        /// Where.
        pos: SourcePos,
        /// Full dotted key.
        key: String,
        /// The value given.
        value: f64,
        /// Smallest allowed.
        min: f64,
        /// Largest allowed.
        max: f64,
        /// Unit of the range.
        unit: String,
    },
    /// A required key is missing.
    #[error("{at}: missing key '{key}'")]
    Missing {
        /// Where (file, or file:line:column of the table).
        at: String,
        /// The missing key.
        key: String,
    },
    /// A value that is the right type but not allowed.
    #[error("{pos}: key '{key}': {message}")]
    Invalid {
        /// Where.
        pos: SourcePos,
        /// Full dotted key.
        key: String,
        /// What is wrong and what is allowed.
        message: String,
    },
    /// `extends` names something that is neither shipped nor a file.
    #[error(
        "{pos}: key 'scenario.extends': '{parent}' is neither a shipped scenario ({known}) nor a readable file"
    )]
    MissingParent {
        /// Where.
        pos: SourcePos,
        /// The parent named.
        parent: String,
        /// Shipped ids.
        known: String,
    },
    /// A file that is not a tanfeng scenario (no `[scenario]` table): named, never quoted.
    #[error(
        "{at}{file} is not a tanfeng scenario (a scenario file has a [scenario] table); nothing of its content is shown"
    )]
    NotScenario {
        /// The `extends` naming it (`file:line:column: key 'scenario.extends': `), or empty.
        at: String,
        /// The file.
        file: String,
    },
    /// `extends` loops back on itself.
    #[error("key 'scenario.extends' forms a cycle: {chain}")]
    Cycle {
        /// The files in the loop.
        chain: String,
    },
    /// The file cannot be read.
    #[error("cannot read scenario file {file}: {source}")]
    Io {
        /// The path.
        file: String,
        /// The OS error.
        source: std::io::Error,
    },
}

/// The closest candidate to `word` by edit distance, if it is close enough to be a likely typo.
pub fn suggest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = levenshtein(word, c);
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.filter(|(d, c)| *d <= (c.chars().count().max(word.chars().count()) / 3).max(2))
        .map(|(_, c)| c.to_string())
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let c = ["capacity_mw", "delay_months", "capacity_factor"];
        assert_eq!(
            suggest("capacty_mw", c.iter().copied()).as_deref(),
            Some("capacity_mw")
        );
        assert_eq!(suggest("zzzzzzzz", c.iter().copied()), None);
    }
}
