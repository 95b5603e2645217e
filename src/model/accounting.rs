//! CO₂ and energy accounting under the scenario's options (MODEL.md §1), and the reductions
//! (wedges) of the energy-half measures.
//!
//! Rules (MODEL.md §1, the energy statistics method):
//! - Energy by carrier (gross) = fuels burnt in the territory (power-plant inputs included) +
//!   local wind, solar, hydro and biomass electricity at the year's coal-equivalent rate
//!   (发电煤耗法) + heat delivered by the biomass plants at [`TCE_PER_GJ_HEAT`] + net imported
//!   electricity at the same coal-equivalent rate. A net export (under
//!   `electricity_accounting = "net"`) is a negative import that takes its fuel mix pro rata
//!   from local generation: coal at the coal plants' actual coal rate, non-fossil and biomass
//!   electricity at the coal-equivalent rate. Under `"imports_only"` exports are ignored.
//! - Straw and briquettes burnt (`Fuel::Biomass`) are never energy consumption: a memo item.
//! - Non-fossil energy = local non-fossil and biomass electricity + biomass heat (as above) +
//!   the grid's non-fossil fraction of net imports, always over the gross total.
//! - `renewable_exemption = true` deducts from the total the increase over the base year of
//!   renewable electricity consumed (local wind, solar, hydro and biomass power net of their
//!   share of any export, plus the grid's non-fossil fraction of net imports), at the year's
//!   coal-equivalent rate (NDRC/NBS 发改运行〔2022〕1258号); biomass heat is not deducted.
//! - CO₂ = fossil fuels × factors by sector + net import × grid factor (negative for a net export
//!   under `"net"`, 0 under `"imports_only"`). Biomass CO₂ is a memo item (0).
//!
//! Wedges of the energy-half measures are computed by undoing the measures one after another
//! on the year's energy flows ([`Flows`]) and re-evaluating CO₂ each time, so that
//! frozen − Σ wedges = scenario holds exactly (telescoping), whatever the non-linearity of the
//! import rules.

use crate::scenario::{ElectricityAccounting, Options};

use super::{
    EnergySector, Fuel, Ledger, ModelError, N_ENERGY_SECTORS, N_FUELS, PathOr, Pollutant, Resolver,
    WedgeRegistry, YearPath,
};

/// GJ per tonne of standard coal equivalent (GB/T 2589).
pub const GJ_PER_TCE: f64 = 29.3076;
/// GJ per kWh.
pub const GJ_PER_KWH: f64 = 0.0036;
/// Standard coal equivalent of one GJ of heat delivered (GB/T 2589: 0.03412 tce/GJ; MODEL.md §1).
pub const TCE_PER_GJ_HEAT: f64 = 0.03412;

/// The energy-half measures, in the order they are undone to compute wedges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnergyMeasure {
    /// Retired boiler heat carried by the Fularji → central-city heat network (its share of the
    /// joint phase-out/network effect).
    HeatNetwork = 0,
    /// Retired boiler heat taken over by the other sources (the rest of the joint effect).
    BoilerPhaseout = 1,
    /// Building retrofits and green new buildings (lower specific heat demand).
    BuildingEfficiency = 2,
    /// The plan's biomass CHP plants.
    BiomassChp = 3,
    /// New (post-base-year) wind and solar.
    Renewables = 4,
    /// Rural scattered coal replaced by biomass briquettes and clean heating.
    CleanHeating = 5,
    /// Urban commercial scattered coal banned (replaced by gas).
    CommercialCoalBan = 6,
}
/// Number of [`EnergyMeasure`]s.
pub const N_ENERGY_MEASURES: usize = 7;

const MEASURE_LABELS: [(&str, &str, &str); N_ENERGY_MEASURES] = [
    (
        "heat_network",
        "Boilers replaced by the Fularji heat network",
        "富拉尔基热网替代燃煤锅炉",
    ),
    (
        "boiler_phaseout",
        "Boilers replaced by other sources",
        "燃煤锅炉淘汰(其他热源替代)",
    ),
    (
        "building_efficiency",
        "Building retrofits and green buildings",
        "建筑节能改造与绿色建筑",
    ),
    ("biomass_chp", "Biomass CHP plants", "生物质热电联产"),
    ("renewables", "New wind and solar", "新增风电光伏"),
    (
        "clean_heating",
        "Rural scattered-coal replacement",
        "农村散煤替代",
    ),
    (
        "commercial_coal_ban",
        "Urban commercial scattered coal banned",
        "城区经营性散煤禁用",
    ),
];

/// Energy flows of one year: what CO₂ and energy are computed from. Used both for the year's
/// totals and, as increments, for "undoing" a measure (frozen − scenario flows).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Flows {
    /// Fuel burnt by sector and fuel (tce).
    pub fuel_tce: [[f64; N_FUELS]; N_ENERGY_SECTORS],
    /// Electricity demand (kWh).
    pub electricity_demand_kwh: f64,
    /// Local coal generation (kWh).
    pub coal_power_kwh: f64,
    /// Local biomass generation (kWh).
    pub biomass_power_kwh: f64,
    /// Local wind, solar and hydro generation (kWh).
    pub nonfossil_power_kwh: f64,
    /// Heat delivered by the biomass plants to their towns (GJ; wasted heat excluded).
    pub biomass_heat_gj: f64,
    /// NOx (t) — linear, so only used for the increments of an undo.
    pub nox_t: f64,
}

impl Flows {
    /// The flows recorded in a ledger.
    pub fn of(l: &Ledger) -> Flows {
        Flows {
            fuel_tce: l.fuel_tce,
            electricity_demand_kwh: l.electricity_demand_kwh,
            coal_power_kwh: l.coal_power_kwh,
            biomass_power_kwh: l.biomass_power_kwh,
            nonfossil_power_kwh: l.nonfossil_power_kwh,
            biomass_heat_gj: l.county.biomass_placed_gj.iter().sum(),
            nox_t: l.nox_total_t(),
        }
    }
    /// Adds fuel.
    #[inline]
    pub fn burn(&mut self, s: EnergySector, f: Fuel, tce: f64) {
        self.fuel_tce[s as usize][f as usize] += tce;
    }
    /// Adds another set of flows (or increments).
    #[inline]
    pub fn add(&mut self, o: &Flows) {
        for (a, b) in self.fuel_tce.iter_mut().zip(o.fuel_tce.iter()) {
            for (x, y) in a.iter_mut().zip(b.iter()) {
                *x += y;
            }
        }
        self.electricity_demand_kwh += o.electricity_demand_kwh;
        self.coal_power_kwh += o.coal_power_kwh;
        self.biomass_power_kwh += o.biomass_power_kwh;
        self.nonfossil_power_kwh += o.nonfossil_power_kwh;
        self.biomass_heat_gj += o.biomass_heat_gj;
        self.nox_t += o.nox_t;
    }
    /// `self − o`, field by field.
    pub fn minus(&self, o: &Flows) -> Flows {
        let mut neg = *o;
        neg.fuel_tce.iter_mut().flatten().for_each(|x| *x = -*x);
        neg.electricity_demand_kwh = -neg.electricity_demand_kwh;
        neg.coal_power_kwh = -neg.coal_power_kwh;
        neg.biomass_power_kwh = -neg.biomass_power_kwh;
        neg.nonfossil_power_kwh = -neg.nonfossil_power_kwh;
        neg.biomass_heat_gj = -neg.biomass_heat_gj;
        neg.nox_t = -neg.nox_t;
        let mut out = *self;
        out.add(&neg);
        out
    }
    /// Multiplies every field by `k`.
    pub fn scale(&mut self, k: f64) {
        self.fuel_tce.iter_mut().flatten().for_each(|x| *x *= k);
        self.electricity_demand_kwh *= k;
        self.coal_power_kwh *= k;
        self.biomass_power_kwh *= k;
        self.nonfossil_power_kwh *= k;
        self.biomass_heat_gj *= k;
        self.nox_t *= k;
    }
    /// Total fuel of one kind over sectors (tce).
    pub fn fuel_total(&self, f: Fuel) -> f64 {
        self.fuel_tce.iter().map(|s| s[f as usize]).sum()
    }
}

/// Per-measure undo increments of one year (frozen − scenario flows), filled by the sectors.
pub type Undos = [Flows; N_ENERGY_MEASURES];

/// Conversion and emission factors of one year.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct YearFactors {
    /// CO₂ per tce by fuel (t/tce); biomass 0.
    pub co2_t_per_tce: [f64; N_FUELS],
    /// Grid CO₂ factor (t/kWh).
    pub grid_t_per_kwh: f64,
    /// Non-fossil fraction of imported grid electricity.
    pub grid_nonfossil: f64,
    /// Coal-equivalent rate for electricity (tce/kWh).
    pub coal_equiv_tce_per_kwh: f64,
}

/// Energy and CO₂ of a set of flows under the accounting options.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Balance {
    /// Energy by carrier (tce), gross (before the renewable exemption): coal, oil, gas, local
    /// non-fossil electricity, biomass (power and heat), net imported electricity.
    pub carriers: [f64; 6],
    /// Total energy as counted (gross − the renewable exemption).
    pub total_tce: f64,
    /// Total energy before the renewable exemption (Σ `carriers`).
    pub gross_tce: f64,
    /// Non-fossil primary energy (tce).
    pub nonfossil_tce: f64,
    /// Renewable electricity consumed (kWh): local wind, solar, hydro and biomass power net of
    /// their share of any export + the grid's non-fossil fraction of net imports.
    pub renewable_kwh: f64,
    /// CO₂ by sector (t): heat, power, industry, transport, residential/other, imported electricity.
    pub co2_t: [f64; 6],
    /// Total CO₂ (t).
    pub co2_total_t: f64,
    /// CO₂ by carrier (t): coal, oil, gas, non-fossil electricity (0), biomass (0), net imports.
    pub co2_by_carrier_t: [f64; 6],
    /// Net import (kWh; negative = net export).
    pub net_import_kwh: f64,
}

/// Share of the power plants' coal that [`evaluate`] takes out of the coal carrier because a
/// net export carries it out of the territory (`"net"` accounting only; 0 otherwise): the
/// exported share of local generation when there is coal generation, as `evaluate` computes it.
/// The base-year energy reconciliation measures the coal component of the power plants with it.
pub fn coal_export_share(s: &Flows, opt: &Options) -> f64 {
    let import =
        s.electricity_demand_kwh - s.coal_power_kwh - s.biomass_power_kwh - s.nonfossil_power_kwh;
    let local = s.coal_power_kwh + s.biomass_power_kwh + s.nonfossil_power_kwh;
    if import < 0.0
        && opt.electricity_accounting == ElectricityAccounting::Net
        && local > 0.0
        && s.coal_power_kwh > 0.0
    {
        -import / local
    } else {
        0.0
    }
}

/// Evaluates energy and CO₂ of `s` (MODEL.md §1; rules in the module docs).
/// `base_renewable_kwh` is the base year's renewable electricity consumed (`None` in the base
/// year itself, where nothing is deducted).
pub fn evaluate(
    s: &Flows,
    f: &YearFactors,
    opt: &Options,
    base_renewable_kwh: Option<f64>,
) -> Balance {
    let ce = f.coal_equiv_tce_per_kwh;
    let import =
        s.electricity_demand_kwh - s.coal_power_kwh - s.biomass_power_kwh - s.nonfossil_power_kwh;
    // Straw burnt (`Fuel::Biomass`) is a memo item: biomass counts by its electricity and heat.
    let mut c = [
        s.fuel_total(Fuel::Coal),
        s.fuel_total(Fuel::Oil),
        s.fuel_total(Fuel::Gas),
        s.nonfossil_power_kwh * ce,
        s.biomass_power_kwh * ce + s.biomass_heat_gj * TCE_PER_GJ_HEAT,
        0.0,
    ];
    let net = opt.electricity_accounting == ElectricityAccounting::Net;
    // Fraction of local generation exported (net accounting only).
    let mut export_frac = 0.0;
    if import >= 0.0 {
        c[5] = import * ce;
    } else if net {
        let export = -import;
        let local = s.coal_power_kwh + s.biomass_power_kwh + s.nonfossil_power_kwh;
        if local > 0.0 {
            let coal_rate = if s.coal_power_kwh > 0.0 {
                s.fuel_tce[EnergySector::Power as usize][Fuel::Coal as usize] / s.coal_power_kwh
            } else {
                0.0
            };
            export_frac = export / local;
            c[0] -= export_frac * s.coal_power_kwh * coal_rate;
            c[3] -= export_frac * s.nonfossil_power_kwh * ce;
            c[4] -= export_frac * s.biomass_power_kwh * ce;
        }
    }
    let renewable_kwh = (s.nonfossil_power_kwh + s.biomass_power_kwh) * (1.0 - export_frac)
        + f.grid_nonfossil * import.max(0.0);
    let gross: f64 = c.iter().sum();
    let exempt = match base_renewable_kwh {
        Some(base) if opt.renewable_exemption => (renewable_kwh - base).max(0.0) * ce,
        _ => 0.0,
    };
    let nonfossil = c[3] + c[4] + f.grid_nonfossil * c[5];
    let mut co2 = [0.0; 6];
    for (k, sec) in s.fuel_tce.iter().enumerate() {
        co2[k] = sec
            .iter()
            .zip(f.co2_t_per_tce.iter())
            .map(|(a, b)| a * b)
            .sum();
    }
    co2[5] = if import >= 0.0 || net {
        import * f.grid_t_per_kwh
    } else {
        0.0
    };
    let mut by_carrier = [0.0; 6];
    for (k, fuel) in [Fuel::Coal, Fuel::Oil, Fuel::Gas].into_iter().enumerate() {
        by_carrier[k] = s.fuel_total(fuel) * f.co2_t_per_tce[fuel as usize];
    }
    by_carrier[4] = s.fuel_total(Fuel::Biomass) * f.co2_t_per_tce[Fuel::Biomass as usize];
    by_carrier[5] = co2[5];
    Balance {
        co2_by_carrier_t: by_carrier,
        carriers: c,
        total_tce: gross - exempt,
        gross_tce: gross,
        nonfossil_tce: nonfossil,
        renewable_kwh,
        co2_t: co2,
        co2_total_t: co2.iter().sum(),
        net_import_kwh: import,
    }
}

/// Wedge slots of the energy-half measures: `(co2 slot, nox slot)` per [`EnergyMeasure`].
#[derive(Debug, Clone, Copy, Default)]
pub struct EnergySlots {
    slots: [(usize, usize); N_ENERGY_MEASURES],
}

impl EnergySlots {
    /// Registers a CO₂ and a NOx wedge for every energy-half measure (ids `<measure>.co2`,
    /// `<measure>.nox`).
    pub fn register(w: &mut WedgeRegistry) -> EnergySlots {
        let mut slots = [(0, 0); N_ENERGY_MEASURES];
        for (s, (id, en, zh)) in slots.iter_mut().zip(MEASURE_LABELS.iter()) {
            let a = w.add(
                &format!("{id}.co2"),
                &format!("{en} (CO₂)"),
                zh,
                Pollutant::Co2,
            );
            let b = w.add(
                &format!("{id}.nox"),
                &format!("{en} (NOx)"),
                zh,
                Pollutant::Nox,
            );
            *s = (a, b);
        }
        EnergySlots { slots }
    }
}

/// Index of a pollutant in `Ledger::frozen_t` (CO₂, NOx, VOCs).
fn pollutant_index(p: Pollutant) -> usize {
    match p {
        Pollutant::Co2 => 0,
        Pollutant::Nox => 1,
        Pollutant::Vocs => 2,
    }
}

/// Resolved emission factors and conversion inputs.
#[derive(Debug, Clone)]
pub struct AccountingInputs {
    coal_co2: usize,
    oil_co2: usize,
    gas_co2: usize,
    grid: YearPath,
    grid_nonfossil: PathOr,
    coal_equiv_base: usize,
    coal_equiv_decline: PathOr,
    slots: EnergySlots,
    /// Wedge slots of every registered measure grouped by pollutant (CO₂, NOx, VOCs), each in
    /// slot order: the frozen totals add them in the same order as a scan over all measures,
    /// without a per-measure branch or a dependency through memory.
    frozen_slots: [Vec<usize>; 3],
}

impl AccountingInputs {
    /// Resolves the accounting inputs; `slots` are the energy-half wedge slots and `measures`
    /// every registered measure in slot order (their wedges make up the frozen totals).
    pub fn resolve(
        r: &Resolver,
        slots: EnergySlots,
        measures: &[super::Measure],
    ) -> Result<Self, ModelError> {
        let mut frozen_slots: [Vec<usize>; 3] = Default::default();
        for (i, m) in measures.iter().enumerate() {
            frozen_slots[pollutant_index(m.pollutant)].push(i);
        }
        Ok(AccountingInputs {
            coal_co2: r.scalar("accounting.co2_t_per_tce.coal")?,
            oil_co2: r.scalar("accounting.co2_t_per_tce.oil")?,
            gas_co2: r.scalar("accounting.co2_t_per_tce.gas")?,
            grid: r.path("accounting.grid_co2_kg_per_kwh")?,
            grid_nonfossil: PathOr::resolve(r, "accounting.grid_nonfossil_fraction", 0.0)?,
            coal_equiv_base: r.scalar("accounting.coal_equiv_gce_per_kwh_base")?,
            coal_equiv_decline: PathOr::resolve(
                r,
                "accounting.coal_equiv_decline_gce_per_kwh_yr",
                0.0,
            )?,
            slots,
            frozen_slots,
        })
    }

    /// The factors of year index `t`.
    #[inline]
    pub fn factors(&self, t: usize, draw: &[f64]) -> YearFactors {
        let gce = draw[self.coal_equiv_base] - self.coal_equiv_decline.at(t, draw) * t as f64;
        YearFactors {
            co2_t_per_tce: [
                draw[self.coal_co2],
                draw[self.oil_co2],
                draw[self.gas_co2],
                0.0,
            ],
            grid_t_per_kwh: self.grid.at(t, draw).max(0.0) * 1e-3,
            grid_nonfossil: self.grid_nonfossil.at(t, draw).clamp(0.0, 1.0),
            coal_equiv_tce_per_kwh: gce.max(0.0) * 1e-6,
        }
    }

    /// Fills energy by carrier, totals, non-fossil energy, CO₂ by sector, the energy-half
    /// wedges (undoing the measures one by one) and the frozen-technology emissions
    /// (scenario + Σ wedges, per pollutant, over all measures registered at resolve time).
    /// `base_renewable_kwh`: the base year's renewable electricity consumed (`None` in the base
    /// year), from which the renewable exemption counts the increase.
    pub fn finish(
        &self,
        f: &YearFactors,
        opt: &Options,
        undo: &Undos,
        ledger: &mut Ledger,
        wedges: &mut [f64],
        base_renewable_kwh: Option<f64>,
    ) {
        let b = evaluate(&Flows::of(ledger), f, opt, base_renewable_kwh);
        ledger.energy_by_carrier_tce = b.carriers;
        ledger.energy_total_tce = b.total_tce;
        ledger.energy_gross_tce = b.gross_tce;
        ledger.nonfossil_primary_tce = b.nonfossil_tce;
        ledger.renewable_electricity_kwh = b.renewable_kwh;
        ledger.co2_t = b.co2_t;
        ledger.co2_total_t = b.co2_total_t;
        ledger.co2_by_carrier_t = b.co2_by_carrier_t;
        ledger.net_import_kwh = b.net_import_kwh;
        // Undo the measures one after another. CO₂ is linear in fuels; only the import term
        // is not, so it is recomputed from the running net import at each step.
        let net = opt.electricity_accounting == ElectricityAccounting::Net;
        let import_co2 = |import: f64| {
            if import >= 0.0 || net {
                import * f.grid_t_per_kwh
            } else {
                0.0
            }
        };
        let mut fuel_co2 = b.co2_total_t - b.co2_t[5];
        let mut import = b.net_import_kwh;
        let mut prev = b.co2_total_t;
        for (u, &(co2_slot, nox_slot)) in undo.iter().zip(self.slots.slots.iter()) {
            // Independent accumulators per fuel (short dependency chains), then the factors.
            let mut by_fuel = [0.0; N_FUELS];
            for sec in &u.fuel_tce {
                for (a, x) in by_fuel.iter_mut().zip(sec.iter()) {
                    *a += x;
                }
            }
            fuel_co2 += by_fuel[0] * f.co2_t_per_tce[0]
                + by_fuel[1] * f.co2_t_per_tce[1]
                + by_fuel[2] * f.co2_t_per_tce[2]
                + by_fuel[3] * f.co2_t_per_tce[3];
            import += u.electricity_demand_kwh
                - u.coal_power_kwh
                - u.biomass_power_kwh
                - u.nonfossil_power_kwh;
            let now = fuel_co2 + import_co2(import);
            wedges[co2_slot] = now - prev;
            wedges[nox_slot] = u.nox_t;
            prev = now;
        }
        let mut frozen = [
            ledger.co2_total_t,
            ledger.nox_total_t(),
            ledger.vocs_total_t(),
        ];
        for (acc, slots) in frozen.iter_mut().zip(self.frozen_slots.iter()) {
            // Same additions in the same order as a scan over all measures by pollutant.
            let mut sum = *acc;
            for &i in slots {
                sum += wedges[i];
            }
            *acc = sum;
        }
        ledger.frozen_t = frozen;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn factors() -> YearFactors {
        YearFactors {
            co2_t_per_tce: [2.7, 2.15, 1.63, 0.0],
            grid_t_per_kwh: 0.5e-3,
            grid_nonfossil: 0.2,
            coal_equiv_tce_per_kwh: 300e-6,
        }
    }

    fn flows(demand: f64) -> Flows {
        let mut s = Flows {
            electricity_demand_kwh: demand,
            coal_power_kwh: 100.0,
            nonfossil_power_kwh: 100.0,
            ..Flows::default()
        };
        s.burn(EnergySector::Power, Fuel::Coal, 100.0 * 320e-6);
        s.burn(EnergySector::Industry, Fuel::Oil, 1.0);
        s
    }

    fn exempting() -> Options {
        Options {
            renewable_exemption: true,
            ..Options::default()
        }
    }

    #[test]
    fn imports_count_at_coal_equivalent_and_grid_factor() {
        let b = evaluate(&flows(300.0), &factors(), &Options::default(), None);
        assert!((b.net_import_kwh - 100.0).abs() < 1e-12);
        assert!((b.carriers[5] - 100.0 * 300e-6).abs() < 1e-15);
        assert!((b.co2_t[5] - 100.0 * 0.5e-3).abs() < 1e-15);
        assert!((b.nonfossil_tce - (100.0 * 300e-6 + 0.2 * 100.0 * 300e-6)).abs() < 1e-15);
        let c: f64 = b.carriers.iter().sum();
        assert!((c - b.total_tce).abs() < 1e-15);
        let by: f64 = b.co2_by_carrier_t.iter().sum();
        assert!((by - b.co2_total_t).abs() < 1e-12 * b.co2_total_t);
        assert!((b.co2_by_carrier_t[1] - 2.15).abs() < 1e-15);
        assert!((b.co2_by_carrier_t[0] - 100.0 * 320e-6 * 2.7).abs() < 1e-15);
    }

    #[test]
    fn net_export_takes_local_mix_only_under_net() {
        // Demand 100, local 200: export 100, half of it coal, half non-fossil.
        let s = flows(100.0);
        let net = evaluate(&s, &factors(), &Options::default(), None);
        let only = evaluate(
            &s,
            &factors(),
            &Options {
                electricity_accounting: ElectricityAccounting::ImportsOnly,
                ..Options::default()
            },
            None,
        );
        assert!((only.carriers[0] - 100.0 * 320e-6).abs() < 1e-15);
        assert!((net.carriers[0] - 50.0 * 320e-6).abs() < 1e-15);
        assert!((net.carriers[3] - 50.0 * 300e-6).abs() < 1e-15);
        assert_eq!(net.carriers[5], 0.0);
        assert_eq!(only.co2_t[5], 0.0);
        assert!((net.co2_t[5] + 100.0 * 0.5e-3).abs() < 1e-15);
        // Half the local renewable power is exported: half of it is consumed here.
        assert!((net.renewable_kwh - 50.0).abs() < 1e-12);
        assert!((only.renewable_kwh - 100.0).abs() < 1e-12);
    }

    /// One kWh of biomass power consumed in the city adds exactly the year's coal-equivalent
    /// rate to energy and to non-fossil energy; the straw burnt for it adds nothing.
    #[test]
    fn one_kwh_of_biomass_power_adds_the_coal_equivalent_rate() {
        for gce in [305.0, 300.0, 296.5] {
            let f = YearFactors {
                coal_equiv_tce_per_kwh: gce * 1e-6,
                ..factors()
            };
            let s = flows(300.0);
            let mut more = s;
            more.biomass_power_kwh += 1.0;
            more.electricity_demand_kwh += 1.0;
            // The straw it burns (≈ 1.2 kg × 0.5 tce/t) is a memo item.
            more.burn(EnergySector::Power, Fuel::Biomass, 1.2e-3 * 0.5);
            let (a, b) = (
                evaluate(&s, &f, &Options::default(), None),
                evaluate(&more, &f, &Options::default(), None),
            );
            assert_eq!(a.net_import_kwh, b.net_import_kwh);
            assert!((b.total_tce - a.total_tce - gce * 1e-6).abs() < 1e-15);
            assert!((b.gross_tce - a.gross_tce - gce * 1e-6).abs() < 1e-15);
            assert!((b.nonfossil_tce - a.nonfossil_tce - gce * 1e-6).abs() < 1e-15);
            assert!((b.carriers[4] - a.carriers[4] - gce * 1e-6).abs() < 1e-15);
            assert_eq!(a.co2_total_t, b.co2_total_t);
        }
    }

    #[test]
    fn biomass_heat_counts_at_its_heat_value_and_straw_never() {
        let s = flows(300.0);
        let mut more = s;
        more.biomass_heat_gj += 1000.0;
        more.burn(EnergySector::Residential, Fuel::Biomass, 7.0);
        let (a, b) = (
            evaluate(&s, &factors(), &exempting(), Some(0.0)),
            evaluate(&more, &factors(), &exempting(), Some(0.0)),
        );
        assert!((b.gross_tce - a.gross_tce - 34.12).abs() < 1e-12);
        assert!((b.nonfossil_tce - a.nonfossil_tce - 34.12).abs() < 1e-12);
        // Heat is not renewable electricity: the exemption does not take it.
        assert!((b.total_tce - a.total_tce - 34.12).abs() < 1e-12);
        assert_eq!(a.renewable_kwh, b.renewable_kwh);
    }

    #[test]
    fn exemption_deducts_the_increase_of_renewable_electricity_consumed() {
        let f = factors();
        let base = evaluate(&flows(300.0), &f, &exempting(), None);
        // Base year: local 100 kWh + 0.2 × 100 kWh imported.
        assert!((base.renewable_kwh - 120.0).abs() < 1e-12);
        assert_eq!(base.total_tce, base.gross_tce);
        // Later: +50 kWh wind, +30 kWh biomass; imports fall by 80 kWh.
        let mut s = flows(300.0);
        s.nonfossil_power_kwh += 50.0;
        s.biomass_power_kwh += 30.0;
        let ex = evaluate(&s, &f, &exempting(), Some(base.renewable_kwh));
        let plain = evaluate(&s, &f, &Options::default(), Some(base.renewable_kwh));
        let increase = 180.0 + 0.2 * 20.0 - 120.0;
        assert!((ex.renewable_kwh - 184.0).abs() < 1e-12);
        assert!((plain.total_tce - ex.total_tce - increase * 300e-6).abs() < 1e-15);
        assert_eq!(plain.gross_tce, ex.gross_tce);
        assert_eq!(plain.total_tce, plain.gross_tce);
        // The non-fossil share does not depend on the exemption.
        assert_eq!(plain.nonfossil_tce, ex.nonfossil_tce);
        // A fall of renewable electricity is not added back.
        let less = evaluate(&flows(300.0), &f, &exempting(), Some(500.0));
        assert_eq!(less.total_tce, less.gross_tce);
    }
}
