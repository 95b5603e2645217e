//! GDP, industrial value added and population (MODEL.md §3.1).
//!
//! `GDP[t] = GDP[t-1] · (1 + g[t])` with `g` the year path `economy.gdp_growth` (the base-year
//! value of the path is not used); the industrial value-added index grows by
//! `economy.industry_va_growth`; population by `economy.population_growth`.

use super::{ModelError, PathOr, Resolver, YearCtx, YearPath};

/// Resolved inputs of the economy.
#[derive(Debug, Clone)]
pub struct EconomyInputs {
    gdp_base: usize,
    gdp_growth: YearPath,
    industry_growth: PathOr,
    population_base: usize,
    population_growth: PathOr,
}

impl EconomyInputs {
    /// Resolves the economy's inputs.
    pub fn resolve(r: &Resolver) -> Result<Self, ModelError> {
        Ok(EconomyInputs {
            gdp_base: r.scalar("economy.gdp_base_yuan_1e8")?,
            gdp_growth: r.path("economy.gdp_growth")?,
            industry_growth: PathOr::resolve(r, "economy.industry_va_growth", 0.0)?,
            population_base: r.scalar("economy.population_base")?,
            population_growth: PathOr::resolve(r, "economy.population_growth", 0.0)?,
        })
    }

    /// The context of year `year` (index `t`) given the previous year's.
    #[inline]
    pub fn step(&self, year: i32, t: usize, prev: &YearCtx, draw: &[f64]) -> YearCtx {
        if t == 0 {
            return YearCtx {
                year,
                t,
                gdp_yuan_1e8: draw[self.gdp_base],
                gdp_growth: 0.0,
                gdp_index: 1.0,
                industry_va_index: 1.0,
                population: draw[self.population_base],
                fuel: Default::default(),
                emission: Default::default(),
            };
        }
        // Growth below −100 % is meaningless; keep the index positive.
        let g = self.gdp_growth.at(t, draw).max(-0.99);
        let gi = self.industry_growth.at(t, draw).max(-0.99);
        let gp = self.population_growth.at(t, draw).max(-0.99);
        YearCtx {
            year,
            t,
            gdp_yuan_1e8: prev.gdp_yuan_1e8 * (1.0 + g),
            gdp_growth: g,
            gdp_index: prev.gdp_index * (1.0 + g),
            industry_va_index: prev.industry_va_index * (1.0 + gi),
            population: prev.population * (1.0 + gp),
            fuel: prev.fuel,
            emission: prev.emission,
        }
    }
}
