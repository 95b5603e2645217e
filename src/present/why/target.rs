//! `target`: what was searched and what the back-cast found, as one statement for the terminal.

use crate::analysis::backcast::{Backcast, Direction};
use crate::analysis::target_search::Search;
use crate::scenario::{Comparison, Target};

/// What `target` says: a finding to print, or the reason the target cannot be reached in the
/// lever's range (an error of the command, exit code 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetReport {
    /// Met inside the range, or already at its least helpful end.
    Finding(String),
    /// Missed even at the most helpful end of the range.
    Unreachable(String),
}

/// The target searched, with its comparison and the required probability.
pub fn statement(t: &Target, probability: f64) -> String {
    format!(
        "target {} ({} {} {} in {}) with probability ≥ {}",
        t.id,
        t.indicator,
        match t.comparison {
            Comparison::AtMost => "<=",
            Comparison::AtLeast => ">=",
        },
        t.threshold,
        t.year,
        probability
    )
}

/// The report of a search on `lever` (as the user wrote it) that took `seconds`.
pub fn report(
    t: &Target,
    probability: f64,
    lever: &str,
    search: &Search,
    seconds: f64,
) -> TargetReport {
    let what = statement(t, probability);
    let range = search.range;
    match &search.outcome {
        Backcast::Unreachable {
            best_probability,
            at,
            n_draws,
        } => TargetReport::Unreachable(format!(
            "unreachable: {what} is not met anywhere in the lever range {}..{} of {}: at the most \
             helpful end ({at}) the probability is {:.3} ({n_draws} draws); widen --range or choose \
             another lever",
            range.0, range.1, lever, best_probability
        )),
        Backcast::AlreadyMet {
            at,
            probability,
            n_draws,
        } => TargetReport::Finding(format!(
            "already met: {what} holds at the least helpful end of the range, {lever} = {at} \
             (probability {probability:.3}, {n_draws} draws)"
        )),
        Backcast::Found(r) => TargetReport::Finding(format!(
            "{what}:\n  {} = {:.6}  (Monte Carlo 95 % interval {:.6} … {:.6})\n  \
             probability there {:.3}; {} draws (same draws at every value), {} model \
             evaluations, {seconds:.2} s; {} lever values help",
            lever,
            r.value,
            r.low,
            r.high,
            r.probability_at_value,
            r.n_draws,
            r.evaluations,
            match search.direction {
                Direction::Increasing => "larger",
                Direction::Decreasing => "smaller",
            }
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::backcast::BackcastResult;
    use crate::scenario::TargetKind;

    fn nox() -> Target {
        Target {
            id: "nox_reduction".into(),
            indicator: "nox_key_project_reduction_t".into(),
            comparison: Comparison::AtLeast,
            threshold: 6300.0,
            year: 2025,
            kind: TargetKind::Binding,
            source: String::new(),
        }
    }

    fn search(outcome: Backcast) -> Search {
        Search {
            outcome,
            direction: Direction::Decreasing,
            range: (0.0, 3.0),
        }
    }

    #[test]
    fn each_outcome_in_words() {
        let t = nox();
        assert_eq!(
            statement(&t, 0.9),
            "target nox_reduction (nox_key_project_reduction_t >= 6300 in 2025) with probability ≥ 0.9"
        );
        let found = search(Backcast::Found(BackcastResult {
            value: 1.5,
            low: 1.25,
            high: 1.75,
            probability_at_value: 0.9012,
            n_draws: 200,
            iterations: 12,
            evaluations: 30,
        }));
        let TargetReport::Finding(f) = report(&t, 0.9, "scale:x", &found, 0.5) else {
            panic!("a found value is a finding");
        };
        assert!(f.contains("scale:x = 1.500000  (Monte Carlo 95 % interval 1.250000 … 1.750000)"));
        assert!(f.contains("probability there 0.901; 200 draws"));
        assert!(f.ends_with("smaller lever values help"), "{f}");
        let met = search(Backcast::AlreadyMet {
            at: 3.0,
            probability: 0.95,
            n_draws: 200,
        });
        assert!(matches!(report(&t, 0.9, "scale:x", &met, 0.5),
            TargetReport::Finding(f) if f.starts_with("already met:") && f.contains("scale:x = 3 ")));
        let missed = search(Backcast::Unreachable {
            best_probability: 0.5,
            at: 0.0,
            n_draws: 200,
        });
        assert!(matches!(report(&t, 0.9, "scale:x", &missed, 0.5),
            TargetReport::Unreachable(f) if f.contains("lever range 0..3 of scale:x") && f.contains("probability is 0.500")));
    }
}
