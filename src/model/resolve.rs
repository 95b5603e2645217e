//! Name → index resolution done once per scenario, so `simulate` reads draws by index only.

use crate::scenario::Scenario;

use super::ModelError;

/// Looks up scenario parameters by name and turns them into indices into a draw.
pub struct Resolver<'a> {
    scenario: &'a Scenario,
}

/// A year path: a parameter that is either one value for all years (`name`) or anchors per
/// year (`name@2020`, `name@2025`, …) linearly interpolated and held flat outside the anchors.
#[derive(Debug, Clone)]
pub struct YearPath {
    /// Per simulated year (index 0 = base year): (index a, index b, weight of b).
    per_year: Vec<(usize, usize, f64)>,
}

impl YearPath {
    /// Value in year index `t` (0 = base year) for this draw.
    #[inline]
    pub fn at(&self, t: usize, draw: &[f64]) -> f64 {
        let (a, b, w) = self.per_year[t];
        if w == 0.0 {
            draw[a]
        } else {
            draw[a] * (1.0 - w) + draw[b] * w
        }
    }
}

impl<'a> Resolver<'a> {
    /// A resolver over one scenario.
    pub fn new(scenario: &'a Scenario) -> Self {
        Resolver { scenario }
    }

    /// The scenario being resolved.
    pub fn scenario(&self) -> &'a Scenario {
        self.scenario
    }

    /// Index of a required scalar parameter.
    pub fn scalar(&self, name: &str) -> Result<usize, ModelError> {
        self.scenario
            .index_of(name)
            .ok_or_else(|| ModelError::MissingInput {
                name: name.to_string(),
                scenario: self.scenario.meta.id.clone(),
            })
    }

    /// Index of an optional scalar parameter.
    pub fn optional(&self, name: &str) -> Option<usize> {
        self.scenario.index_of(name)
    }

    /// A year path named `name` (see [`YearPath`]).
    pub fn path(&self, name: &str) -> Result<YearPath, ModelError> {
        let years: Vec<i32> = self.scenario.years().collect();
        if let Some(i) = self.scenario.index_of(name) {
            return Ok(YearPath {
                per_year: years.iter().map(|_| (i, i, 0.0)).collect(),
            });
        }
        let prefix = format!("{name}@");
        let mut anchors: Vec<(i32, usize)> = Vec::new();
        for n in self.scenario.names_with_prefix(&prefix) {
            let year: i32 = n[prefix.len()..]
                .parse()
                .map_err(|_| ModelError::BadInput {
                    name: n.to_string(),
                    reason: "the part after '@' must be a year".into(),
                })?;
            anchors.push((year, self.scalar(n)?));
        }
        if anchors.is_empty() {
            return Err(ModelError::MissingInput {
                name: name.to_string(),
                scenario: self.scenario.meta.id.clone(),
            });
        }
        anchors.sort_by_key(|a| a.0);
        let per_year = years
            .iter()
            .map(|&y| {
                let first = anchors[0];
                let last = anchors[anchors.len() - 1];
                if y <= first.0 {
                    (first.1, first.1, 0.0)
                } else if y >= last.0 {
                    (last.1, last.1, 0.0)
                } else {
                    let k = anchors
                        .iter()
                        .position(|a| a.0 > y)
                        .unwrap_or(anchors.len() - 1);
                    let (ya, ia) = anchors[k - 1];
                    let (yb, ib) = anchors[k];
                    let w = f64::from(y - ya) / f64::from(yb - ya);
                    (ia, ib, w)
                }
            })
            .collect();
        Ok(YearPath { per_year })
    }

    /// Item names under `prefix.` — e.g. `items("biomass_chp.plant")` → `["fuyu", "kedong", …]`.
    pub fn items(&self, prefix: &str) -> Vec<String> {
        let p = format!("{prefix}.");
        let mut out: Vec<String> = self
            .scenario
            .names_with_prefix(&p)
            .filter_map(|n| n[p.len()..].split('.').next().map(str::to_string))
            .collect();
        out.sort();
        out.dedup();
        out
    }
}
