//! Layer 3 — the pure, deterministic city model of MODEL.md:
//! `Model::new(&Scenario)` resolves names once, then `simulate(draw)` maps one draw of the
//! inputs (values indexed like `Scenario::params`) to yearly trajectories. No I/O, no
//! randomness, no globals, no allocation per year in the hot path.

pub mod accounting;
pub mod biomass_chp;
pub mod coking;
pub mod commercial_coal;
pub mod county_heat;
pub mod economy;
pub mod fleet;
pub mod gas_taxis;
pub mod heating;
pub mod indicators;
pub mod industry;
pub mod ledger;
pub mod nonroad;
pub mod power;
pub mod reconcile;
pub mod residential;
pub mod resolve;
pub mod vocs;

#[cfg(test)]
mod energy_tests;
#[cfg(test)]
pub(crate) mod testdata;

pub use indicators::{IndicatorDef, Indicators};
pub use ledger::*;
pub use resolve::{Resolver, YearPath};

use accounting::{EnergySlots, Flows, Undos};
use reconcile::{Component, Mark, N_COMPONENTS};

/// The two passes over the base year (MODEL.md §5; `reconcile` module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pass {
    /// Base year with every fuel factor 1: marks each component's fuel by carrier.
    Measure,
    /// The year as it stands (base year: with the reconciled fuel factors).
    Final,
}

use crate::scenario::{Options, Scenario};

/// Errors building a model from a scenario.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// A required input is not in the scenario.
    #[error("scenario '{scenario}' lacks the input '{name}'")]
    MissingInput {
        /// Full parameter name.
        name: String,
        /// Scenario id.
        scenario: String,
    },
    /// An input is present but unusable.
    #[error("input '{name}': {reason}")]
    BadInput {
        /// Full parameter name.
        name: String,
        /// What is wrong and what is allowed.
        reason: String,
    },
}

/// An input that is either a year path in the scenario or, when absent, a fixed default
/// (used for optional inputs whose absence means "no such activity", e.g. 0 MW of hydro).
#[derive(Debug, Clone)]
pub enum PathOr {
    /// Read from the draw.
    Path(YearPath),
    /// Absent from the scenario: this value in every year.
    Const(f64),
}

impl PathOr {
    /// Resolves `name` as a year path if present (plain or `name@YEAR` anchors), else `default`.
    pub fn resolve(r: &Resolver, name: &str, default: f64) -> Result<PathOr, ModelError> {
        let anchored = format!("{name}@");
        if r.optional(name).is_some() || r.scenario().names_with_prefix(&anchored).next().is_some()
        {
            Ok(PathOr::Path(r.path(name)?))
        } else {
            Ok(PathOr::Const(default))
        }
    }
    /// Value in year index `t`.
    #[inline]
    pub fn at(&self, t: usize, draw: &[f64]) -> f64 {
        match self {
            PathOr::Path(p) => p.at(t, draw),
            PathOr::Const(v) => *v,
        }
    }
}

/// What every sector sees of the year being simulated (computed by `economy`).
#[derive(Debug, Clone, Copy, Default)]
pub struct YearCtx {
    /// Calendar year.
    pub year: i32,
    /// Index of the year (0 = base year).
    pub t: usize,
    /// GDP (亿元, 2020 prices).
    pub gdp_yuan_1e8: f64,
    /// GDP growth this year (fraction; 0 in the base year).
    pub gdp_growth: f64,
    /// GDP relative to the base year.
    pub gdp_index: f64,
    /// Industrial value added relative to the base year.
    pub industry_va_index: f64,
    /// Resident population.
    pub population: f64,
    /// The draw's base-year fuel-intensity factors per component and carrier (MODEL.md §5):
    /// every module multiplies its fuel per unit of activity by its own (1 in the base year's
    /// measuring pass and in tests that build a context by hand).
    pub fuel: reconcile::FuelFactors,
    /// The draw's NOx and VOCs reconciliation factors per component (MODEL.md §5) after the
    /// base year: every module multiplies what it writes to emissions, NOx/VOCs wedges and
    /// undos by its own (1 in the base year, whose writes are scaled once balanced, and in tests
    /// that build a context by hand).
    pub emission: reconcile::EmissionFactors,
}

/// The city model for one scenario, with every input name resolved to a draw index.
#[derive(Debug, Clone)]
pub struct Model {
    years: Vec<i32>,
    options: Options,
    economy: economy::EconomyInputs,
    industry: industry::IndustryInputs,
    coking: coking::CokingInputs,
    fleet: fleet::FleetInputs,
    gas_taxis: gas_taxis::GasTaxiInputs,
    nonroad: nonroad::NonRoadInputs,
    vocs: vocs::VocsInputs,
    heating: heating::HeatingInputs,
    biomass: biomass_chp::BiomassInputs,
    power: power::PowerInputs,
    residential: residential::ResidentialInputs,
    commercial_coal: commercial_coal::CommercialCoalInputs,
    accounting: accounting::AccountingInputs,
    reconcile: reconcile::ReconcileInputs,
    wedges: WedgeRegistry,
    indicators: indicators::IndicatorInputs,
}

/// Per-thread scratch space reused across draws (no allocation in the hot path).
#[derive(Debug, Clone)]
pub struct Workspace {
    /// The trajectory of the last simulated draw.
    pub trajectory: Trajectory,
    industry: industry::IndustryState,
    fleet: fleet::FleetState,
    nonroad: nonroad::NonRoadState,
    vocs: vocs::VocsState,
    heating: heating::HeatingState,
    biomass: biomass_chp::BiomassState,
    power: power::PowerState,
    residential: residential::ResidentialState,
    undo: Undos,
    /// Marks taken before each reconciled component and after the last (MODEL.md §5).
    marks: [Mark; N_COMPONENTS + 1],
    /// The wedge slice at each mark, `(N_COMPONENTS + 1) × n_measures`.
    wedge_marks: Vec<f64>,
}

impl Model {
    /// Resolves every input the model reads; fails naming the first missing or unusable one.
    pub fn new(scenario: &Scenario) -> Result<Model, ModelError> {
        let r = Resolver::new(scenario);
        let mut w = WedgeRegistry::default();
        let economy = economy::EconomyInputs::resolve(&r)?;
        let industry = industry::IndustryInputs::resolve(&r, &mut w)?;
        let fleet = fleet::FleetInputs::resolve(&r, &mut w)?;
        let nonroad = nonroad::NonRoadInputs::resolve(&r, &mut w)?;
        let vocs = vocs::VocsInputs::resolve(&r, &mut w)?;
        let heating = heating::HeatingInputs::resolve(&r, &mut w)?;
        let biomass = biomass_chp::BiomassInputs::resolve(&r, &mut w)?;
        let power = power::PowerInputs::resolve(&r, &mut w)?;
        let residential = residential::ResidentialInputs::resolve(&r, &mut w)?;
        let coking = coking::CokingInputs::resolve(&r, &mut w)?;
        let gas_taxis = gas_taxis::GasTaxiInputs::resolve(&r, &mut w)?;
        let commercial_coal = commercial_coal::CommercialCoalInputs::resolve(&r, &mut w)?;
        let slots = EnergySlots::register(&mut w);
        let accounting = accounting::AccountingInputs::resolve(&r, slots, w.measures())?;
        let indicators = indicators::IndicatorInputs::resolve(&r)?;
        let reconcile = reconcile::ReconcileInputs::resolve(&r, w.measures())?;
        Ok(Model {
            years: scenario.years().collect(),
            options: scenario.options.clone(),
            economy,
            industry,
            coking,
            fleet,
            gas_taxis,
            nonroad,
            vocs,
            heating,
            biomass,
            power,
            residential,
            commercial_coal,
            accounting,
            reconcile,
            wedges: w,
            indicators,
        })
    }

    /// Simulated years, base year first.
    pub fn years(&self) -> &[i32] {
        &self.years
    }

    /// Measures with a wedge slot, in slot order.
    pub fn measures(&self) -> &[Measure] {
        self.wedges.measures()
    }

    /// Horizon-year indicators this model reports, in order.
    pub fn indicator_defs(&self) -> &[IndicatorDef] {
        self.indicators.defs()
    }

    /// Scratch space for one thread.
    pub fn workspace(&self) -> Workspace {
        Workspace {
            trajectory: Trajectory::zeroed(self.years.len(), self.wedges.len()),
            industry: self.industry.new_state(),
            fleet: self.fleet.new_state(),
            nonroad: self.nonroad.new_state(),
            vocs: self.vocs.new_state(),
            heating: self.heating.new_state(),
            biomass: self.biomass.new_state(),
            power: self.power.new_state(),
            residential: self.residential.new_state(),
            undo: Undos::default(),
            marks: [Mark::default(); N_COMPONENTS + 1],
            wedge_marks: vec![0.0; (N_COMPONENTS + 1) * self.wedges.len()],
        }
    }

    /// Runs one draw into `ws.trajectory` (the hot path).
    ///
    /// Order within a year: economy; the pollutant half (industry, coking, fleet, CNG taxis,
    /// non-road, VOCs), which adds its fuels, emissions, wedges and its extra electricity demand
    /// (EVs) to `Ledger::electricity_demand_kwh`, and the fleet's gasoline that VOCs read;
    /// biomass CHP (writes the heat of each county town); heating (central city and county
    /// towns; adds electric-heat demand to `electricity_demand_kwh`); power (adds the core
    /// demand and sets local generation); urban commercial scattered coal; residential; the
    /// "other" (fuel by carrier, NOx and VOCs, each from its own prior); then (base year) the
    /// GLS reconciliation of NOx and VOCs, whose factors scale every component's writes in the
    /// base year and, handed to the modules in `YearCtx::emission`, in every later year
    /// (MODEL.md §5); accounting. The base year runs twice: first with every fuel factor 1 to
    /// measure each component's fuel by carrier, then, after the energy reconciliation, with
    /// the components' fuel-intensity factors (`reconcile` module docs).
    pub fn simulate_into(&self, draw: &[f64], ws: &mut Workspace) {
        ws.trajectory.clear();
        let n_m = self.wedges.len();
        let mut prev = YearCtx::default();
        for t in 0..self.years.len() {
            let mut ctx = self.economy.step(self.years[t], t, &prev, draw);
            if t == 0 {
                // Energy by carrier (MODEL.md §5 step 1): measure the components with their own
                // fuel intensities, balance, then run the base year again with the factors.
                self.year(&ctx, draw, ws, Pass::Measure);
                let l = &ws.trajectory.years[0];
                let export = accounting::coal_export_share(&Flows::of(l), &self.options);
                let rec = &mut ws.trajectory.reconciled;
                self.reconcile
                    .reconcile_energy(draw, ctx.gdp_yuan_1e8, export, &ws.marks, rec);
                ctx.fuel = rec.fuel_factor;
                ws.trajectory.years[0] = Ledger::default();
                ws.trajectory.wedges[..n_m]
                    .iter_mut()
                    .for_each(|w| *w = 0.0);
            }
            self.year(&ctx, draw, ws, Pass::Final);
            if t == 0 {
                // Later years write with the base year's NOx and VOCs factors (MODEL.md §5).
                ctx.emission = ws.trajectory.reconciled.emission_factors();
            }
            prev = ctx;
        }
    }

    /// One year of one draw (see [`Model::simulate_into`] for the order).
    fn year(&self, ctx: &YearCtx, draw: &[f64], ws: &mut Workspace, pass: Pass) {
        let ctx = *ctx;
        let t = ctx.t;
        let n_m = self.wedges.len();
        let measure = pass == Pass::Measure;
        let (ledgers, wedges) = (&mut ws.trajectory.years, &mut ws.trajectory.wedges);
        // The renewable exemption counts the increase over the base year (MODEL.md §1).
        let base_renewable = (t > 0).then(|| ledgers[0].renewable_electricity_kwh);
        let ledger = &mut ledgers[t];
        let wedge = &mut wedges[t * n_m..(t + 1) * n_m];
        ledger.year = ctx.year;
        ledger.gdp_yuan_1e8 = ctx.gdp_yuan_1e8;
        ledger.population = ctx.population;
        let f = self.accounting.factors(t, draw);
        let (undo, marks, wm) = (&mut ws.undo, &mut ws.marks, &mut ws.wedge_marks);
        *undo = Undos::default();
        // Base year: marks each component's writes so that its reconciliation factor can
        // scale them (the measuring pass: its fuel only); later years: the modules write with
        // their factors (`ctx.emission`) and the book takes the writing component's
        // (MODEL.md §5).
        let mut mark = |k: Component, l: &mut Ledger, w: &mut [f64], u: &mut Undos| {
            if measure {
                marks[k as usize] = Mark::fuel_only(l);
            } else if t == 0 {
                marks[k as usize] = Mark::take(l, u);
                wm[k as usize * n_m..(k as usize + 1) * n_m].copy_from_slice(w);
            } else {
                l.book.scale = ctx.emission.of(k);
            }
        };
        mark(Component::Industry, ledger, wedge, undo);
        self.industry
            .step(&ctx, draw, &mut ws.industry, ledger, wedge);
        mark(Component::Coking, ledger, wedge, undo);
        self.coking.step(&ctx, draw, ledger, wedge);
        mark(Component::Fleet, ledger, wedge, undo);
        if t == 0 && !measure {
            // The measuring pass turned this draw's fleet over; the factors only scale what
            // the fleet writes.
            self.fleet.rewrite_base_year(&ctx, &ws.fleet, ledger, wedge);
        } else {
            self.fleet.step(&ctx, draw, &mut ws.fleet, ledger, wedge);
        }
        mark(Component::GasTaxis, ledger, wedge, undo);
        self.gas_taxis.step(&ctx, draw, ledger, wedge);
        mark(Component::NonRoad, ledger, wedge, undo);
        self.nonroad
            .step(&ctx, draw, &mut ws.nonroad, ledger, wedge);
        mark(Component::Vocs, ledger, wedge, undo);
        self.vocs.step(&ctx, draw, &mut ws.vocs, ledger, wedge);
        mark(Component::BiomassChp, ledger, wedge, undo);
        self.biomass.step(&ctx, draw, &mut ws.biomass, ledger, undo);
        mark(Component::Heating, ledger, wedge, undo);
        self.heating
            .step(&ctx, draw, &self.options, &mut ws.heating, ledger, undo);
        mark(Component::Power, ledger, wedge, undo);
        self.power
            .step(&ctx, draw, &self.options, &mut ws.power, ledger, undo);
        mark(Component::CommercialCoal, ledger, wedge, undo);
        self.commercial_coal.step(&ctx, draw, ledger, undo, wedge);
        mark(Component::Residential, ledger, wedge, undo);
        self.residential
            .step(&ctx, draw, &mut ws.residential, ledger, undo);
        mark(Component::Other, ledger, wedge, undo);
        let prior = self.reconcile.other_prior(draw);
        self.residential
            .other(&ctx, &prior, &ws.residential, ledger);
        if measure {
            marks[N_COMPONENTS] = Mark::fuel_only(ledger);
            return;
        }
        if t == 0 {
            marks[N_COMPONENTS] = Mark::take(ledger, undo);
            wm[N_COMPONENTS * n_m..].copy_from_slice(wedge);
            let rec = &mut ws.trajectory.reconciled;
            self.reconcile.reconcile(draw, &marks[..], rec);
            self.reconcile
                .apply(rec, &marks[..], wm, ledger, wedge, undo);
        } else {
            ledger.book.scale = [1.0; 2];
        }
        self.accounting
            .finish(&f, &self.options, undo, ledger, wedge, base_renewable);
        self.close_book(t, ledgers);
    }

    /// Completes year `t`'s key-project ledger (MODEL.md §4) after every sector has booked its
    /// own: the "other" component's change as 新增量 (b) (a 2020 source whose factor does not
    /// change), and natural retirement moved to the fleet leavers (c) when the scenario does
    /// not count it as a project.
    fn close_book(&self, t: usize, ledgers: &mut [Ledger]) {
        let other = PollutantSector::Other as usize;
        let (nox0, vocs0) = (ledgers[0].nox_t[other], ledgers[0].vocs_t[other]);
        let l = &mut ledgers[t];
        l.book.add(
            Cause::Growth,
            l.nox_t[other] - nox0,
            l.vocs_t[other] - vocs0,
        );
        if !self.options.natural_retirement_in_key_projects {
            l.book.to_leavers(Project::VehicleNaturalRetirement);
            l.book.to_leavers(Project::MachineryNaturalRetirement);
        }
    }

    /// Runs one draw and returns its trajectory (allocates; tests and tools).
    pub fn simulate(&self, draw: &[f64]) -> Trajectory {
        let mut ws = self.workspace();
        self.simulate_into(draw, &mut ws);
        ws.trajectory
    }

    /// Horizon-year indicators of a trajectory, in [`Model::indicator_defs`] order.
    pub fn indicators_into(&self, traj: &Trajectory, out: &mut [f64]) {
        self.indicators.compute(traj, self.wedges.measures(), out);
    }

    /// Indicators as of year index `t` (0 = base year), in [`Model::indicator_defs`] order.
    pub fn indicators_at(&self, traj: &Trajectory, t: usize, out: &mut [f64]) {
        self.indicators
            .compute_at(traj, self.wedges.measures(), t, out);
    }
}
