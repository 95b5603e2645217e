//! Heat supply and the coal-boiler phase-out (MODEL.md §3.2).
//!
//! Demand `Q[t] = A[t] · q[t]` (GJ): heated area grows by `heating.area_growth`, specific heat
//! demand falls by `heating.heat_demand_decline` (retrofits, green new buildings). Supply:
//! named coal-boiler groups (`heating.boiler_group.<id>`: size class, capacity in t/h, control
//! level, retirement date, completion fraction), gas boilers and electric heat taking over
//! retired boiler heat, the Fularji heat network (up to its connected area × q), and the
//! existing coal CHP as the balancing source (`Q` minus everything else, never negative).
//! This is the central city; the county towns are a market of their own ([`super::county_heat`]),
//! and the biomass CHP plants heat only their county town, never the central city (MODEL.md
//! §3.2): `biomass_chp` in `options.heat_replacement_order` has no capacity here.
//!
//! Heat of retired boilers goes to the sources of `options.heat_replacement_order`, each up to
//! its capacity; what none absorbs stays on the boilers (`Ledger::heat_shortfall_gj`). A boiler's heat at full operation
//! = capacity (t/h) × MW per t/h (≈0.7) × full-load hours × 3.6 GJ/MWh; fuel = heat ÷ efficiency;
//! NOx = raw coal (t) × factor of its control level (DATA.md §5). Coal CHP and network heat are
//! ultra-low emission plants.
//!
//! Wedges: the supply is computed three times per year — scenario; without retirements (and so
//! without network heat); also with base-year specific heat demand — and the differences are the
//! undo increments of the phase-out and network together and building efficiency. The phase-out/network increment is split between
//! the two by the share of retired boiler heat the network carries (the network exists to take
//! that heat; judged against the next replacement source instead, its own effect would only be
//! its losses).

use crate::scenario::{HeatSource, Options};

use super::accounting::{EnergyMeasure, Flows, GJ_PER_KWH, GJ_PER_TCE, Undos};
use super::county_heat::{CountyHeatInputs, CountyHeatState};
use super::fleet::month_after;
use super::reconcile::Component;
use super::{
    Cause, EnergySector, Fuel, Ledger, ModelError, PathOr, PollutantSector, Project, Resolver,
    WedgeRegistry, YearCtx, YearPath,
};

#[derive(Debug, Clone)]
struct BoilerGroup {
    class: usize,
    capacity_t_h: usize,
    control: usize,
    retire_year: Option<usize>,
    completion: Option<usize>,
}

/// Resolved inputs of this sector (draw indices).
#[derive(Debug, Clone)]
pub struct HeatingInputs {
    area_base: usize,
    area_growth: YearPath,
    q_base: usize,
    q_decline: PathOr,
    full_load_h: usize,
    mw_per_t_h: usize,
    efficiency: [usize; 3],
    nox_kg_t: [usize; 3],
    raw_coal_tce_per_t: usize,
    chp_efficiency: usize,
    network_area: Option<usize>,
    network_start: Option<usize>,
    network_ramp_years: PathOr,
    network_loss: PathOr,
    gas_efficiency: usize,
    gas_nox_kg_per_tce: usize,
    electric_cop: usize,
    repl_coal_chp: PathOr,
    repl_gas: PathOr,
    repl_electric: PathOr,
    groups: Vec<BoilerGroup>,
    county: CountyHeatInputs,
}

/// Per-draw state carried from year to year.
#[derive(Debug, Clone, Default)]
pub struct HeatingState {
    area_m2: f64,
    q_gj_m2: f64,
    /// Per boiler group, this year: (heat at full operation GJ, retired fraction, coal tce per
    /// GJ of heat, NOx t per GJ of heat). Sized once per draw set (no allocation per year);
    /// all but the retired fraction are set once per draw, in the base year.
    groups: Vec<[f64; 4]>,
    /// The draw's year-independent conversion factors, set in the base year.
    draw: DrawHeat,
    /// The base year's ledger quantities, set in the base year.
    base: HeatBook,
    /// The county towns' market.
    county: CountyHeatState,
}

/// The quantities of one heat-supply pass the key-project ledger needs (MODEL.md §4), all in
/// t of NOx except `chp_gj`.
#[derive(Debug, Clone, Copy, Default)]
struct HeatBook {
    /// NOx of the boiler heat closed (retired and not left on the boilers), at its 2020 factor.
    closed_nox_t: f64,
    /// Coal-CHP heat (GJ).
    chp_gj: f64,
    /// NOx of the replacement sources absent in 2020: network heat and gas boilers.
    replacement_nox_t: f64,
}

/// Conversion factors that depend on the draw only (computed once per draw, in the base year).
#[derive(Debug, Clone, Copy, Default)]
struct DrawHeat {
    chp_eff: f64,
    /// The coal fuel-intensity factor of the base-year reconciliation (MODEL.md §5).
    coal_factor: f64,
    chp_tce_per_gj: f64,
    ultra_t_per_tce: f64,
    gas_tce_per_gj: f64,
    gas_nox_t_per_tce: f64,
    kwh_per_gj_electric: f64,
}

/// Per-year quantities shared by all passes.
#[derive(Debug, Clone, Copy)]
struct YearHeat {
    network_area_m2: f64,
    repl_coal_chp: f64,
    repl_gas: f64,
    repl_electric: f64,
    chp_tce_per_gj: f64,
    network_tce_per_gj: f64,
    ultra_t_per_tce: f64,
    gas_tce_per_gj: f64,
    gas_nox_t_per_tce: f64,
    kwh_per_gj_electric: f64,
}

/// One evaluation of the heat supply.
#[derive(Debug, Clone, Copy, Default)]
struct HeatPass {
    flows: Flows,
    shortfall_gj: f64,
    released_gj: f64,
    network_gj: f64,
    clamped: bool,
    book: HeatBook,
    /// Heat delivered by source, `Ledger::central_heat_gj` order.
    by_source_gj: [f64; super::N_CENTRAL_HEAT_SOURCES],
}

/// Which measures a pass includes.
#[derive(Debug, Clone, Copy)]
struct PassCfg {
    q: f64,
    retire: bool,
    network: bool,
}

const CLASS_KEYS: [&str; 3] = ["le10", "10_35", "ge35"];
const CONTROL_KEYS: [&str; 3] = ["existing", "special", "ultra_low"];

#[inline]
fn code(x: f64, n: usize) -> usize {
    // Codes are small integers; out-of-range values are clamped (the registry rejects them).
    (x.round().max(0.0) as usize).min(n - 1)
}

impl HeatingInputs {
    /// Resolves this sector's inputs (its wedges are registered by accounting).
    pub fn resolve(r: &Resolver, _w: &mut WedgeRegistry) -> Result<Self, ModelError> {
        let mut groups = Vec::new();
        for id in r.items("heating.boiler_group") {
            let p = |k: &str| format!("heating.boiler_group.{id}.{k}");
            groups.push(BoilerGroup {
                class: r.scalar(&p("class"))?,
                capacity_t_h: r.scalar(&p("capacity_t_h"))?,
                control: r.scalar(&p("control"))?,
                retire_year: r.optional(&p("retire_year")),
                completion: r.optional(&p("completion")),
            });
        }
        let arr = |base: &str, keys: [&str; 3]| -> Result<[usize; 3], ModelError> {
            Ok([
                r.scalar(&format!("{base}.{}", keys[0]))?,
                r.scalar(&format!("{base}.{}", keys[1]))?,
                r.scalar(&format!("{base}.{}", keys[2]))?,
            ])
        };
        Ok(HeatingInputs {
            area_base: r.scalar("heating.area_base_m2")?,
            area_growth: r.path("heating.area_growth")?,
            q_base: r.scalar("heating.heat_demand_base_gj_per_m2")?,
            q_decline: PathOr::resolve(r, "heating.heat_demand_decline", 0.0)?,
            full_load_h: r.scalar("heating.boiler_full_load_h")?,
            mw_per_t_h: r.scalar("heating.mw_per_t_h")?,
            efficiency: arr("heating.boiler_efficiency", CLASS_KEYS)?,
            nox_kg_t: arr("heating.nox_kg_per_t_coal", CONTROL_KEYS)?,
            raw_coal_tce_per_t: r.scalar("heating.raw_coal_tce_per_t")?,
            chp_efficiency: r.scalar("heating.coal_chp_efficiency")?,
            network_area: r.optional("heating.network.max_area_m2"),
            network_start: r.optional("heating.network.commissioning"),
            network_ramp_years: PathOr::resolve(r, "heating.network.ramp_years", 0.0)?,
            network_loss: PathOr::resolve(r, "heating.network.loss_fraction", 0.0)?,
            gas_efficiency: r.scalar("heating.gas_boiler_efficiency")?,
            gas_nox_kg_per_tce: r.scalar("heating.gas_boiler_nox_kg_per_tce")?,
            electric_cop: r.scalar("heating.electric_heat_cop")?,
            repl_coal_chp: PathOr::resolve(r, "heating.replacement.coal_chp_gj", 0.0)?,
            repl_gas: PathOr::resolve(r, "heating.replacement.gas_boiler_gj", 0.0)?,
            repl_electric: PathOr::resolve(r, "heating.replacement.electric_heat_gj", 0.0)?,
            groups,
            county: CountyHeatInputs::resolve(r)?,
        })
    }

    /// Fresh state for one draw.
    pub fn new_state(&self) -> HeatingState {
        HeatingState {
            groups: vec![[0.0; 4]; self.groups.len()],
            ..HeatingState::default()
        }
    }

    /// Area connected to the heat network in year index `t` (m²).
    #[inline]
    fn network_area(&self, year: f64, t: usize, draw: &[f64]) -> f64 {
        let (Some(a), Some(s)) = (self.network_area, self.network_start) else {
            return 0.0;
        };
        let ramp = self.network_ramp_years.at(t, draw);
        let since = year + 1.0 - draw[s];
        let frac = if ramp > 0.0 {
            (since / ramp).clamp(0.0, 1.0)
        } else if since > 0.0 {
            1.0
        } else {
            0.0
        };
        draw[a].max(0.0) * frac
    }

    /// Retired fraction of a group in `year`: its completion fraction, from the month after
    /// its retirement date (MODEL.md §4: a closure counts from the month after it), pro-rated.
    #[inline]
    fn retired_fraction(g: &BoilerGroup, year: f64, draw: &[f64]) -> f64 {
        let Some(ry) = g.retire_year else {
            return 0.0;
        };
        let c = g.completion.map_or(1.0, |i| draw[i].clamp(0.0, 1.0));
        c * (year + 1.0 - month_after(draw[ry])).clamp(0.0, 1.0)
    }

    /// Books the heat supply's 削减量 and 新增量 of year `t` (MODEL.md §4) relative to the base
    /// year, from the same factors as its emission: boiler closures (split between the heat
    /// network and other replacement sources by the network's share of the retired heat, as
    /// the wedges are), growth of the coal CHP and the replacement sources' own NOx.
    fn book(&self, y: &YearHeat, p: &HeatPass, t: usize, state: &mut HeatingState, l: &mut Ledger) {
        if t == 0 {
            state.base = p.book;
        }
        let (b, b0) = (&p.book, &state.base);
        let closed = b.closed_nox_t - b0.closed_nox_t;
        let share = if p.released_gj > 0.0 {
            (p.network_gj / p.released_gj).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let via_network = closed * share;
        l.book.cut(Project::HeatNetwork, via_network, 0.0);
        l.book
            .cut(Project::BoilerPhaseout, closed - via_network, 0.0);
        let chp_factor = y.chp_tce_per_gj * y.ultra_t_per_tce;
        l.book
            .add(Cause::Growth, (b.chp_gj - b0.chp_gj) * chp_factor, 0.0);
        l.book.add(
            Cause::ReplacementHeatFuels,
            b.replacement_nox_t - b0.replacement_nox_t,
            0.0,
        );
    }

    /// The draw's year-independent values: per-group heat at full operation, coal and NOx per
    /// GJ (into `groups`), and the conversion factors; once per draw, in the base year.
    /// `ff`: the heat supply's fuel-intensity factors (coal, oil, gas; MODEL.md §5), which
    /// multiply the fuel per GJ of every coal and gas source and so their NOx per GJ.
    fn prepare_draw(&self, draw: &[f64], ff: [f64; 3], groups: &mut [[f64; 4]]) -> DrawHeat {
        let [kc, _, kg] = ff;
        let gj_per_t_h = draw[self.mw_per_t_h].max(0.0) * draw[self.full_load_h].max(0.0) * 3.6;
        let raw = draw[self.raw_coal_tce_per_t];
        let per_raw = if raw > 0.0 { 1e-3 / raw } else { 0.0 };
        for (g, out) in self.groups.iter().zip(groups.iter_mut()) {
            let eff = draw[self.efficiency[code(draw[g.class] - 1.0, 3)]].max(1e-3);
            let coal_per_gj = kc / (eff * GJ_PER_TCE);
            let nox = draw[self.nox_kg_t[code(draw[g.control], 3)]] * per_raw;
            *out = [
                draw[g.capacity_t_h].max(0.0) * gj_per_t_h,
                0.0,
                coal_per_gj,
                coal_per_gj * nox,
            ];
        }
        let chp_eff = draw[self.chp_efficiency].max(1e-3);
        DrawHeat {
            chp_eff,
            coal_factor: kc,
            chp_tce_per_gj: kc / (chp_eff * GJ_PER_TCE),
            ultra_t_per_tce: draw[self.nox_kg_t[2]] * per_raw,
            gas_tce_per_gj: kg / (draw[self.gas_efficiency].max(1e-3) * GJ_PER_TCE),
            gas_nox_t_per_tce: draw[self.gas_nox_kg_per_tce] * 1e-3,
            kwh_per_gj_electric: 1.0 / (draw[self.electric_cop].max(0.1) * GJ_PER_KWH),
        }
    }

    /// Per-year quantities and the groups' retired fractions, computed once before the passes
    /// (the draw's constant values come from [`HeatingInputs::prepare_draw`], run at `t == 0`).
    fn prepare(
        &self,
        year: f64,
        t: usize,
        draw: &[f64],
        ff: [f64; 3],
        state: &mut HeatingState,
    ) -> YearHeat {
        if t == 0 {
            state.draw = self.prepare_draw(draw, ff, &mut state.groups);
        }
        for (g, out) in self.groups.iter().zip(state.groups.iter_mut()) {
            out[1] = Self::retired_fraction(g, year, draw);
        }
        let d = &state.draw;
        let loss = self.network_loss.at(t, draw).clamp(0.0, 0.99);
        YearHeat {
            network_area_m2: self.network_area(year, t, draw),
            repl_coal_chp: self.repl_coal_chp.at(t, draw).max(0.0),
            repl_gas: self.repl_gas.at(t, draw).max(0.0),
            repl_electric: self.repl_electric.at(t, draw).max(0.0),
            chp_tce_per_gj: d.chp_tce_per_gj,
            network_tce_per_gj: d.coal_factor / (d.chp_eff * (1.0 - loss) * GJ_PER_TCE),
            ultra_t_per_tce: d.ultra_t_per_tce,
            gas_tce_per_gj: d.gas_tce_per_gj,
            gas_nox_t_per_tce: d.gas_nox_t_per_tce,
            kwh_per_gj_electric: d.kwh_per_gj_electric,
        }
    }

    /// Heat supply of one year under `cfg`.
    fn pass(opt: &Options, y: &YearHeat, groups: &[[f64; 4]], area: f64, cfg: PassCfg) -> HeatPass {
        let demand = area * cfg.q;
        let mut released = 0.0;
        if cfg.retire {
            for g in groups {
                released += g[0] * g[1];
            }
        }
        let mut remaining = released;
        let (mut net, mut gas, mut elec) = (0.0, 0.0, 0.0);
        for src in &opt.heat_replacement_order {
            if remaining <= 0.0 {
                break;
            }
            let cap = match src {
                HeatSource::HeatNetwork if cfg.network => y.network_area_m2 * cfg.q,
                HeatSource::HeatNetwork => 0.0,
                // The biomass plants heat their county towns only (MODEL.md §3.2).
                HeatSource::BiomassChp => 0.0,
                HeatSource::CoalChp => y.repl_coal_chp,
                HeatSource::GasBoiler => y.repl_gas,
                HeatSource::ElectricHeat => y.repl_electric,
            }
            .max(0.0);
            let take = remaining.min(cap);
            remaining -= take;
            match src {
                HeatSource::HeatNetwork => net += take,
                HeatSource::BiomassChp | HeatSource::CoalChp => {}
                HeatSource::GasBoiler => gas += take,
                HeatSource::ElectricHeat => elec += take,
            }
        }
        let shortfall = remaining.max(0.0);
        let mut p = HeatPass {
            shortfall_gj: shortfall,
            released_gj: released,
            network_gj: net,
            ..HeatPass::default()
        };
        let back_per = if released > 0.0 {
            shortfall / released
        } else {
            0.0
        };
        let (mut boiler_heat, mut coal, mut nox, mut closed) = (0.0, 0.0, 0.0, 0.0);
        for g in groups {
            let ret = if cfg.retire { g[1] } else { 0.0 };
            let heat = g[0] * (1.0 - ret) + back_per * g[0] * ret;
            boiler_heat += heat;
            coal += heat * g[2];
            nox += heat * g[3];
            closed += g[0] * ret * (1.0 - back_per) * g[3];
        }
        let mut chp = demand - boiler_heat - net - gas - elec;
        if chp < 0.0 {
            chp = 0.0;
            p.clamped = true;
        }
        let coal_chp = chp * y.chp_tce_per_gj + net * y.network_tce_per_gj;
        let gas_tce = gas * y.gas_tce_per_gj;
        p.flows
            .burn(EnergySector::Heat, Fuel::Coal, coal + coal_chp);
        p.flows.burn(EnergySector::Heat, Fuel::Gas, gas_tce);
        let gas_nox = gas_tce * y.gas_nox_t_per_tce;
        p.flows.nox_t = nox + coal_chp * y.ultra_t_per_tce + gas_nox;
        p.flows.electricity_demand_kwh = elec * y.kwh_per_gj_electric;
        p.by_source_gj = [boiler_heat, chp, net, gas, elec];
        p.book = HeatBook {
            closed_nox_t: closed,
            chp_gj: chp,
            replacement_nox_t: net * y.network_tce_per_gj * y.ultra_t_per_tce + gas_nox,
        };
        p
    }

    /// Simulates year `ctx.t` of both heat markets: adds heat-supply fuels, NOx and
    /// electric-heat demand to `ledger`, and the undo increments of the heat measures to `undo`.
    /// The county towns read the biomass heat `biomass_chp` booked to them this year.
    pub fn step(
        &self,
        ctx: &YearCtx,
        draw: &[f64],
        opt: &Options,
        state: &mut HeatingState,
        ledger: &mut Ledger,
        undo: &mut Undos,
    ) {
        let t = ctx.t;
        let q0 = draw[self.q_base].max(0.0);
        let growth = if t == 0 {
            0.0
        } else {
            self.area_growth.at(t, draw)
        };
        if t == 0 {
            state.area_m2 = draw[self.area_base].max(0.0);
            state.q_gj_m2 = q0;
        } else {
            state.area_m2 *= 1.0 + growth.max(-1.0);
            state.q_gj_m2 *= 1.0 - self.q_decline.at(t, draw).min(1.0);
        }
        let ff = ctx.fuel.of(Component::Heating);
        // After the base year at its NOx reconciliation factor (MODEL.md §5; the book scales
        // itself).
        let kn = ctx.emission.of(Component::Heating)[0];
        self.county.step(
            t,
            ff[Fuel::Coal as usize],
            kn,
            growth,
            state.q_gj_m2,
            q0,
            draw,
            &mut state.county,
            ledger,
            undo,
        );
        let year = f64::from(ctx.year);
        let area = state.area_m2;
        let y = self.prepare(year, t, draw, ff, state);
        let groups = &state.groups;
        let cfg = PassCfg {
            q: state.q_gj_m2,
            retire: true,
            network: true,
        };
        let p3 = Self::pass(opt, &y, groups, area, cfg);
        let p1 = Self::pass(
            opt,
            &y,
            groups,
            area,
            PassCfg {
                network: false,
                retire: false,
                ..cfg
            },
        );
        // Undoing the demand decline only adds heat to the balancing coal CHP; when that pass was not clamped the increment is exact without a new pass.
        let more_chp = |p: &HeatPass, heat_gj: f64| -> HeatPass {
            let mut out = *p;
            let coal = heat_gj * y.chp_tce_per_gj;
            out.flows.burn(EnergySector::Heat, Fuel::Coal, coal);
            out.flows.nox_t += coal * y.ultra_t_per_tce;
            out
        };
        let cfg0 = PassCfg {
            network: false,
            retire: false,
            q: q0,
        };
        let p0 = if !p1.clamped && q0 >= cfg.q {
            more_chp(&p1, area * (q0 - cfg.q))
        } else {
            Self::pass(opt, &y, groups, area, cfg0)
        };
        let f = &p3.flows;
        for (k, v) in f.fuel_tce[EnergySector::Heat as usize].iter().enumerate() {
            ledger.fuel_tce[EnergySector::Heat as usize][k] += v;
        }
        ledger.electricity_demand_kwh += f.electricity_demand_kwh;
        ledger.nox_t[PollutantSector::Heat as usize] += f.nox_t * kn;
        ledger.heat_demand_gj = area * state.q_gj_m2;
        ledger.central_heat_gj = p3.by_source_gj;
        ledger.heat_shortfall_gj += p3.shortfall_gj;
        ledger.clamps += u32::from(p3.clamped);
        self.book(&y, &p3, t, state, ledger);
        // The boiler phase-out and the network act together (the network carries retired
        // boiler heat): their joint effect is split by the share of the retired heat the
        // network carries.
        let mut joint = p1.flows.minus(&p3.flows);
        joint.nox_t *= kn;
        let share = if p3.released_gj > 0.0 {
            (p3.network_gj / p3.released_gj).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let mut net_part = joint;
        net_part.scale(share);
        undo[EnergyMeasure::HeatNetwork as usize].add(&net_part);
        undo[EnergyMeasure::BoilerPhaseout as usize].add(&joint.minus(&net_part));
        let mut demand_decline = p0.flows.minus(&p1.flows);
        demand_decline.nox_t *= kn;
        undo[EnergyMeasure::BuildingEfficiency as usize].add(&demand_decline);
    }
}
