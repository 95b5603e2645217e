//! What a scenario assumes, from its file: its description, the scenario it extends, the
//! inputs it changes there, and how many of its inputs are plan figures, statistics, derived
//! or assumptions (their `status`, DATA.md).

use crate::present::charts::style::Lang;
use crate::scenario::{KeyProjectAccounting, Scenario, Status};

/// Inputs counted by provenance status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatusCounts {
    /// Stated in the city's plan.
    pub plan: usize,
    /// Official statistics.
    pub statistic: usize,
    /// Computed from statistics.
    pub derived: usize,
    /// No public figure: a defensible proxy with wide uncertainty.
    pub assumption: usize,
}

impl StatusCounts {
    /// All inputs.
    pub fn total(&self) -> usize {
        self.plan + self.statistic + self.derived + self.assumption
    }
}

/// A group of changed inputs that differ in one name component, e.g.
/// `biomass_chp.plant.*.delay_months` for eight plants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedInputs {
    /// Name pattern, `*` for the varying component.
    pub pattern: String,
    /// Inputs in the group.
    pub count: usize,
}

/// What a scenario assumes.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioFacts {
    /// Scenario id.
    pub id: String,
    /// The scenario's own description (as written in its file).
    pub description: String,
    /// Its Chinese description, when the same file gives one.
    pub description_zh: Option<String>,
    /// The scenario it extends, if any.
    pub extends: Option<String>,
    /// Inputs by status (year-path anchors count as separate inputs).
    pub statuses: StatusCounts,
    /// Inputs this scenario's own file sets (those a child changes from its parent), grouped.
    pub changed: Vec<ChangedInputs>,
    /// Statuses of the changed inputs alone.
    pub changed_statuses: StatusCounts,
    /// What the key-project indicators count (MODEL.md §4).
    pub key_project_accounting: KeyProjectAccounting,
    /// Whether old vehicles and machinery retiring naturally count as key projects.
    pub natural_retirement_in_key_projects: bool,
    /// Whether new renewable electricity is deducted from assessed energy consumption.
    pub renewable_exemption: bool,
}

impl ScenarioFacts {
    /// The description in `lang`, and whether it is in that language: a Chinese briefing
    /// falls back to the file's `description` when the file gives no `description_zh`.
    pub fn description_in(&self, lang: Lang) -> (&str, bool) {
        match (lang, &self.description_zh) {
            (Lang::Zh, Some(zh)) => (zh, true),
            (Lang::Zh, None) => (&self.description, false),
            (Lang::En, _) => (&self.description, true),
        }
    }
}

fn count(counts: &mut StatusCounts, s: Status) {
    match s {
        Status::Plan => counts.plan += 1,
        Status::Statistic => counts.statistic += 1,
        Status::Derived => counts.derived += 1,
        Status::Assumption => counts.assumption += 1,
    }
}

/// An input name without its year-path anchor (`fleet.taxi.nev_share_new@2025` →
/// `fleet.taxi.nev_share_new`).
fn base_name(name: &str) -> &str {
    name.split_once('@').map_or(name, |(b, _)| b)
}

/// Groups names that differ in exactly one dotted component, largest groups first found;
/// names that pair with nothing stay alone.
pub fn group_names(names: &[String]) -> Vec<ChangedInputs> {
    let parts: Vec<Vec<&str>> = names.iter().map(|n| n.split('.').collect()).collect();
    let mut used = vec![false; names.len()];
    let mut out = Vec::new();
    for i in 0..names.len() {
        if used[i] {
            continue;
        }
        // The wildcard position that pairs name i with the most other unused names.
        let mut best: Option<(usize, Vec<usize>)> = None;
        for pos in 0..parts[i].len() {
            let members: Vec<usize> = (0..names.len())
                .filter(|&j| {
                    !used[j]
                        && parts[j].len() == parts[i].len()
                        && parts[j]
                            .iter()
                            .zip(&parts[i])
                            .enumerate()
                            .all(|(k, (a, b))| k == pos || a == b)
                })
                .collect();
            if members.len() > 1 && best.as_ref().is_none_or(|(_, m)| members.len() > m.len()) {
                best = Some((pos, members));
            }
        }
        match best {
            Some((pos, members)) => {
                for &j in &members {
                    used[j] = true;
                }
                let pattern: Vec<&str> = parts[i]
                    .iter()
                    .enumerate()
                    .map(|(k, p)| if k == pos { "*" } else { p })
                    .collect();
                out.push(ChangedInputs {
                    pattern: pattern.join("."),
                    count: members.len(),
                });
            }
            None => {
                used[i] = true;
                out.push(ChangedInputs {
                    pattern: names[i].clone(),
                    count: 1,
                });
            }
        }
    }
    out
}

impl ScenarioFacts {
    /// The facts of a loaded scenario. An input counts as changed when it is set in the
    /// scenario's own file (the first of its files) and the scenario extends another.
    pub fn of(s: &Scenario) -> ScenarioFacts {
        let mut statuses = StatusCounts::default();
        let mut changed_statuses = StatusCounts::default();
        let own = s.files.first().map(String::as_str);
        let mut changed: Vec<String> = Vec::new();
        for p in &s.params {
            count(&mut statuses, p.provenance.status);
            let set_here = s.meta.extends.is_some()
                && own.is_some_and(|f| p.pos.as_ref().is_some_and(|pos| pos.file == f));
            if set_here {
                count(&mut changed_statuses, p.provenance.status);
                let b = base_name(&p.name).to_string();
                if !changed.contains(&b) {
                    changed.push(b);
                }
            }
        }
        ScenarioFacts {
            id: s.meta.id.clone(),
            description: s.meta.description.clone(),
            description_zh: s.meta.description_zh.clone(),
            extends: s.meta.extends.clone(),
            statuses,
            changed: group_names(&changed),
            changed_statuses,
            key_project_accounting: s.options.key_project_accounting,
            natural_retirement_in_key_projects: s.options.natural_retirement_in_key_projects,
            renewable_exemption: s.options.renewable_exemption,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_differing_in_one_component_are_grouped() {
        let names: Vec<String> = [
            "biomass_chp.plant.tailai.delay_months",
            "biomass_chp.plant.kedong.delay_months",
            "biomass_chp.plant.fuyu.delay_months",
            "fleet.taxi.nev_share_new",
            "fleet.private_car.nev_share_new",
            "power.wind_new_mw",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let g = group_names(&names);
        assert_eq!(
            g,
            vec![
                ChangedInputs {
                    pattern: "biomass_chp.plant.*.delay_months".into(),
                    count: 3
                },
                ChangedInputs {
                    pattern: "fleet.*.nev_share_new".into(),
                    count: 2
                },
                ChangedInputs {
                    pattern: "power.wind_new_mw".into(),
                    count: 1
                },
            ]
        );
        assert_eq!(
            base_name("fleet.taxi.nev_share_new@2025"),
            "fleet.taxi.nev_share_new"
        );
    }
}
