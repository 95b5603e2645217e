//! Road vehicles by segment × China standard (MODEL.md §3.5).
//!
//! Each year: survivors = stock × (1 − natural retirement − policy scrappage) by standard;
//! new = max(0, target − survivors) with the target stock growing at an uncertain rate; new
//! vehicles are NEVs at the scenario's share, the rest take the standard in force pro-rated by
//! date (sales spread evenly over the year). Emissions = stock × km × base factor (MEE 2014
//! guideline, DATA.md §5) × cold-climate correction; fuel = stock × km × fuel economy.
//!
//! Wedges (sequential attribution, in this order, so they telescope exactly to
//! frozen − scenario): four fleets are simulated side by side from the same 2020 stock and the
//! same target stock —
//! 0. frozen: new ICE vehicles keep the base-year (2020) standard mix, the NEV share of new
//!    vehicles stays at its base-year value, no policy scrappage;
//! 1. + China 6a/6b standards (the standard in force by date);
//! 2. + policy scrappage / early retirement;
//! 3. + the NEV share path = the scenario.
//!
//! `china6` = E0 − E1, `scrappage` = E1 − E2, `nev` = E2 − E3, per pollutant.
//!
//! Ledger fields written: `fuel_tce[Transport][Oil]` (gasoline and diesel of fleet 3), `fleet_gasoline_t`,
//! `electricity_demand_kwh` (+= NEV electricity of fleet 3 minus its base-year value, so 0 in
//! 2020: the power module treats what is already there as extra demand on top of its own
//! demand path, which already contains 2020 consumption), `nox_t[RoadTransport]`,
//! `vocs_t[RoadTransport]` (exhaust + evaporative), `frozen_t[1]` (+= fleet-0 NOx),
//! `frozen_t[2]` (+= fleet-0 VOCs). Nothing is written to `frozen_t[0]`: this module registers
//! no CO₂ wedge, so the energy half's accounting counts the transport CO₂ as-is.

use super::reconcile::Component;
use super::{
    Cause, EnergySector, Fuel, Ledger, ModelError, Pollutant, PollutantSector, Project, Resolver,
    WedgeRegistry, YearCtx, YearPath,
};
use crate::scenario::DistSpec;

/// Vehicle segments, in slot order.
pub const SEGMENTS: [&str; N_SEG] = [
    "private_car",
    "taxi",
    "bus",
    "light_truck",
    "heavy_truck",
    "motorcycle",
];
/// Emission standards, oldest first; `nev` last.
pub const STANDARDS: [&str; N_STD] = [
    "pre3", "china3", "china4", "china5", "china6a", "china6b", "nev",
];
/// Number of segments.
pub const N_SEG: usize = 6;
/// Number of standards (including NEV).
pub const N_STD: usize = 7;
/// Number of ICE standards (all but NEV).
pub const N_ICE: usize = 6;
const CH4: usize = 2;
const CH5: usize = 3;
const CH6A: usize = 4;
const CH6B: usize = 5;
/// Index of the NEV "standard".
pub const NEV: usize = 6;
/// Number of fleets simulated side by side (frozen, +standards, +scrappage, +NEV = scenario).
pub const N_VARIANTS: usize = 4;
/// Index of the scenario fleet.
pub const SCENARIO: usize = 3;

/// Gasoline density (t/L), typical 92# gasoline (~0.725–0.74 kg/L).
pub(crate) const GASOLINE_T_PER_L: f64 = 0.000_73;
/// Diesel density (t/L), typical 0# diesel (~0.83–0.85 kg/L).
const DIESEL_T_PER_L: f64 = 0.000_84;
/// GB/T 2589-2020 standard-coal coefficients: gasoline 1.4714, diesel 1.4571 tce/t.
pub(crate) const GASOLINE_TCE_PER_T: f64 = 1.4714;
const DIESEL_TCE_PER_T: f64 = 1.4571;

/// Regulatory class of a segment: decides which standard-implementation dates apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// GB 18352.6 light-duty (private car, taxi, light truck ≤ 3.5 t).
    Light,
    /// GB 17691-2018 heavy-duty (bus, heavy truck).
    Heavy,
    /// Motorcycles: GB 14622-2016 (China IV for motorcycles since 2018-07-01); no 5/6a/6b.
    Motorcycle,
}

/// Number of regulatory classes.
const N_CLASS: usize = 3;
/// The classes, in discriminant order (`class as usize` indexes per-class tables).
const CLASSES: [Class; N_CLASS] = [Class::Light, Class::Heavy, Class::Motorcycle];

const CLASS: [Class; N_SEG] = [
    Class::Light,
    Class::Light,
    Class::Heavy,
    Class::Light,
    Class::Heavy,
    Class::Motorcycle,
];
const GASOLINE: [bool; N_SEG] = [true, true, false, false, false, true];

// ---------------------------------------------------------------------------------------------
// Shared input helpers (also used by nonroad, industry and vocs).

/// A scalar input with its allowed range; the draw value is clamped to the range at use
/// (the range of the distribution was checked when the model was built).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Ranged {
    idx: usize,
    lo: f64,
    hi: f64,
}

impl Ranged {
    /// The value in this draw, clamped to the allowed range.
    #[inline]
    pub(crate) fn get(&self, draw: &[f64]) -> f64 {
        draw[self.idx].clamp(self.lo, self.hi)
    }
}

/// A year path with its allowed range (clamped at use).
#[derive(Debug, Clone)]
pub(crate) struct RPath {
    path: YearPath,
    lo: f64,
    hi: f64,
    /// One value for every year (no `name@YEAR` anchors): callers may compute it once per draw.
    constant: bool,
}

impl RPath {
    /// Value in year index `t`, clamped to the allowed range.
    #[inline]
    pub(crate) fn at(&self, t: usize, draw: &[f64]) -> f64 {
        self.path.at(t, draw).clamp(self.lo, self.hi)
    }
}

/// The values a distribution spec can take (support; central value for unbounded families).
pub(crate) fn spec_span(spec: &DistSpec) -> (f64, f64) {
    match spec {
        DistSpec::Constant(v) => (*v, *v),
        DistSpec::Normal { mean, .. } => (*mean, *mean),
        DistSpec::LogNormal { median, .. } => (*median, *median),
        DistSpec::LogNormal95 { low, high } => (*low, *high),
        DistSpec::Triangular { min, max, .. }
        | DistSpec::Pert { min, max, .. }
        | DistSpec::Uniform { min, max }
        | DistSpec::Beta { min, max, .. } => (*min, *max),
        DistSpec::Discrete { values, .. } => values
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                (a.min(v), b.max(v))
            }),
    }
}

/// Checks that parameter `name` (if present) can only take values in `[lo, hi]`.
fn check_span(r: &Resolver, name: &str, lo: f64, hi: f64) -> Result<(), ModelError> {
    if let Some(p) = r.scenario().param(name) {
        let (a, b) = spec_span(&p.spec);
        if !(a.is_finite() && b.is_finite()) || a < lo || b > hi {
            return Err(ModelError::BadInput {
                name: name.to_string(),
                reason: format!(
                    "values from {a} to {b} {unit}; allowed range is {lo} to {hi}",
                    unit = p.unit
                ),
            });
        }
    }
    Ok(())
}

/// A required scalar input whose values must lie in `[lo, hi]`.
pub(crate) fn scalar(r: &Resolver, name: &str, lo: f64, hi: f64) -> Result<Ranged, ModelError> {
    let idx = r.scalar(name)?;
    check_span(r, name, lo, hi)?;
    Ok(Ranged { idx, lo, hi })
}

/// An optional scalar input whose values must lie in `[lo, hi]`.
pub(crate) fn opt_scalar(
    r: &Resolver,
    name: &str,
    lo: f64,
    hi: f64,
) -> Result<Option<Ranged>, ModelError> {
    match r.optional(name) {
        Some(_) => scalar(r, name, lo, hi).map(Some),
        None => Ok(None),
    }
}

/// A required year path (`name` or `name@YEAR` anchors) whose values must lie in `[lo, hi]`.
pub(crate) fn path(r: &Resolver, name: &str, lo: f64, hi: f64) -> Result<RPath, ModelError> {
    let p = r.path(name)?;
    check_span(r, name, lo, hi)?;
    let prefix = format!("{name}@");
    let anchors: Vec<String> = r
        .scenario()
        .names_with_prefix(&prefix)
        .map(str::to_string)
        .collect();
    for a in &anchors {
        check_span(r, a, lo, hi)?;
    }
    // `Resolver::path` uses the plain `name` for every year when it is present.
    let constant = r.optional(name).is_some();
    Ok(RPath {
        path: p,
        lo,
        hi,
        constant,
    })
}

/// An optional year path (absent when neither `name` nor any `name@YEAR` is set).
pub(crate) fn opt_path(
    r: &Resolver,
    name: &str,
    lo: f64,
    hi: f64,
) -> Result<Option<RPath>, ModelError> {
    let prefix = format!("{name}@");
    let present =
        r.optional(name).is_some() || r.scenario().names_with_prefix(&prefix).next().is_some();
    if present {
        path(r, name, lo, hi).map(Some)
    } else {
        Ok(None)
    }
}

/// An implementation date (decimal year, 2023-07-01 → 2023.496) that must lie within the
/// simulated period, allowing up to two years past the horizon to express a delay beyond it.
pub(crate) fn date(r: &Resolver, name: &str) -> Result<Ranged, ModelError> {
    let m = &r.scenario().meta;
    scalar(r, name, f64::from(m.base_year), f64::from(m.horizon) + 2.0)
}

/// Fraction of calendar year `year` on or after decimal date `d` (activity spread evenly).
#[inline]
pub(crate) fn frac_after(year: i32, d: f64) -> f64 {
    (f64::from(year) + 1.0 - d).clamp(0.0, 1.0)
}

/// The first day of the month after the month containing decimal date `d` (months as twelfths
/// of the year): a project completed at `d` counts from then (MODEL.md §4).
#[inline]
pub(crate) fn month_after(d: f64) -> f64 {
    ((d * 12.0).floor() + 1.0) / 12.0
}

/// Cold-climate multiplier: `1 + f_cold · (m − 1)` for the fraction of the year below 10 °C.
#[inline]
fn cold(f_cold: f64, m: f64) -> f64 {
    1.0 + f_cold * (m - 1.0)
}

// ---------------------------------------------------------------------------------------------

/// Inputs of one segment.
#[derive(Debug, Clone)]
struct SegInputs {
    stock_2020: Ranged,
    share_2020: [Option<Ranged>; N_STD],
    growth: RPath,
    km: RPath,
    nev_share_new: RPath,
    retire: [Ranged; N_STD],
    scrap: [Option<RPath>; N_STD],
    /// g/km base factors by ICE standard (china6a/6b: via the class ratios).
    ef_nox: [Ranged; N_ICE],
    ef_vocs: [Ranged; N_ICE],
    evap_vocs_g_km: Option<Ranged>,
    cold_nox: Ranged,
    cold_vocs: Ranged,
    fuel_l_100km: Ranged,
    nev_kwh_100km: Ranged,
}

/// China 6 ratios to China 5 for one class: [6a, 6b] × [NOx, VOCs].
#[derive(Debug, Clone, Copy, Default)]
struct Ratios {
    nox: [Ranged; 2],
    vocs: [Ranged; 2],
}

/// Resolved inputs of this sector (draw indices).
#[derive(Debug, Clone)]
pub struct FleetInputs {
    seg: Vec<SegInputs>,
    light: Ratios,
    heavy: Ratios,
    cold_fraction: Ranged,
    light_6a: Ranged,
    heavy_6a: Ranged,
    light_6b: Ranged,
    heavy_6b: Ranged,
    base_year: i32,
    /// Wedge slots: china6, scrappage, nev × [NOx, VOCs].
    slots: [[usize; 2]; 3],
}

/// One quantity in the four fleet variants (frozen … scenario) side by side, so the turnover
/// and emission loops are lane-wise arithmetic the compiler vectorises (MODEL.md §3.5).
pub type Lanes = [f64; N_VARIANTS];

/// Per-draw state carried from year to year (preallocated; fixed size).
///
/// Stocks are stored segment × standard × variant (see [`Lanes`]); read them per variant with
/// [`FleetState::stock`]. The yearly flows (`retired`, `scrapped`, `new`) are only recorded by
/// [`FleetInputs::step_recording_flows`] (tests, diagnostics): the hot path does not need them.
#[derive(Debug, Clone, Default)]
pub struct FleetState {
    /// Stock (vehicles) by segment × standard × variant.
    stock: [[Lanes; N_STD]; N_SEG],
    /// Target stock by segment (same for every variant).
    pub target: [f64; N_SEG],
    /// Vehicles retired naturally this year, by segment × standard × variant (recorded only).
    retired: [[Lanes; N_STD]; N_SEG],
    /// Vehicles removed by policy scrappage this year (recorded only).
    scrapped: [[Lanes; N_STD]; N_SEG],
    /// New vehicles this year (recorded only).
    new: [[Lanes; N_STD]; N_SEG],
    /// NOx (t) this year by variant (0 frozen … 3 scenario).
    pub nox_t: Lanes,
    /// VOCs (t) this year by variant.
    pub vocs_t: Lanes,
    /// NEV electricity of the base year (kWh): only the growth above it is extra demand.
    pub nev_kwh_base: f64,
    /// The draw's year-independent factors, per segment (filled in year 0).
    cache: [SegCache; N_SEG],
    /// The draw's base-year (frozen) mix of new ICE vehicles by regulatory class (year 0).
    mix_base: [[f64; N_ICE]; N_CLASS],
    /// The ledger's view of the scenario fleet (MODEL.md §4).
    book: FleetBook,
    /// This year's sums over the segments, before the reconciliation factors.
    sums: FleetSums,
}

/// One year's sums over the segments, before the base year's reconciliation factors (which
/// only scale what is written from them): what [`FleetInputs::rewrite_base_year`] writes again.
#[derive(Debug, Clone, Copy, Default)]
struct FleetSums {
    /// Oil products of the scenario fleet (tce).
    oil_tce: f64,
    /// Gasoline of the scenario fleet (t).
    gasoline_t: f64,
    /// NEV electricity (kWh).
    nev_kwh: f64,
    /// 新增量 of new vehicles, [NOx, VOCs] (t).
    new: [f64; 2],
    /// 新增量 of the 2020 vehicles' activity change, [NOx, VOCs] (t).
    growth: [f64; 2],
}

/// The 2020 vehicles of the scenario fleet and what left it, for the key-project ledger.
#[derive(Debug, Clone, Default)]
struct FleetBook {
    /// 2020 ICE vehicles still in the scenario fleet, by segment × standard.
    cohort: [[f64; N_ICE]; N_SEG],
    /// Vehicle-km per vehicle in the base year and in the previous year, by segment.
    km: [[f64; 2]; N_SEG],
    /// Running sums over the years so far, [NOx, VOCs] (t) at each vehicle's last full year:
    /// policy scrappage of 2020 vehicles; natural retirement of pre-China IV 2020 vehicles;
    /// natural retirement of the other 2020 vehicles; and the activity change (km) of all
    /// 2020 vehicles that left, from 2020 to their last full year.
    scrapped: [f64; 2],
    retired_old: [f64; 2],
    retired_other: [f64; 2],
    left_growth: [f64; 2],
}

/// Column `v` of a segment's standard × variant table.
fn variant(table: &[Lanes; N_STD], v: usize) -> [f64; N_STD] {
    std::array::from_fn(|k| table[k][v])
}

impl FleetState {
    /// Stock (vehicles) of variant `v` (0 frozen … 3 scenario), segment `s`, by standard.
    pub fn stock(&self, v: usize, s: usize) -> [f64; N_STD] {
        variant(&self.stock[s], v)
    }
    /// Vehicles retired naturally in the last year stepped with
    /// [`FleetInputs::step_recording_flows`], variant `v`, segment `s`, by standard.
    pub fn retired(&self, v: usize, s: usize) -> [f64; N_STD] {
        variant(&self.retired[s], v)
    }
    /// Vehicles removed by policy scrappage (recorded like [`FleetState::retired`]).
    pub fn scrapped(&self, v: usize, s: usize) -> [f64; N_STD] {
        variant(&self.scrapped[s], v)
    }
    /// New vehicles (recorded like [`FleetState::retired`]).
    pub fn new_vehicles(&self, v: usize, s: usize) -> [f64; N_STD] {
        variant(&self.new[s], v)
    }
}

/// Adds one segment's NOx and VOCs (t) of every variant to `nox` and `vocs`: stock × km ×
/// cold-corrected factor, summed over ICE standards (MODEL.md §3.5); returns the scenario's ICE
/// stock. Lane-wise over variants; the sums start from the first standard's term, not from
/// 0.0, which differs at most in the sign of a zero that the totals (from +0.0) absorb.
// Index loops mirror the standard × variant table.
#[allow(clippy::needless_range_loop)]
#[inline(always)]
fn emissions(st: &[Lanes; N_STD], c: &SegCache, km: f64, nox: &mut Lanes, vocs: &mut Lanes) -> f64 {
    let mut n = [0.0; N_VARIANTS];
    let mut h = [0.0; N_VARIANTS];
    let mut ice = [0.0; N_VARIANTS];
    for v in 0..N_VARIANTS {
        n[v] = st[0][v] * c.efn[0];
        h[v] = st[0][v] * c.efv[0];
        ice[v] = st[0][v];
    }
    for k in 1..N_ICE {
        let (en, ev) = (c.efn[k], c.efv[k]);
        for v in 0..N_VARIANTS {
            n[v] += st[k][v] * en;
        }
        for v in 0..N_VARIANTS {
            h[v] += st[k][v] * ev;
        }
        for v in 0..N_VARIANTS {
            ice[v] += st[k][v];
        }
    }
    for v in 0..N_VARIANTS {
        nox[v] += n[v] * km;
        vocs[v] += (h[v] + ice[v] * c.evap) * km;
    }
    ice[SCENARIO]
}

/// Year-independent factors of one segment for one draw.
#[derive(Debug, Clone, Copy, Default)]
struct SegCache {
    /// NOx t/km by ICE standard (cold-corrected, China 6 ratios applied).
    efn: [f64; N_ICE],
    /// Exhaust VOCs t/km by ICE standard (cold-corrected).
    efv: [f64; N_ICE],
    /// Evaporative VOCs t/km per ICE vehicle.
    evap: f64,
    /// Natural retirement by standard.
    ret: [f64; N_STD],
    /// Oil tce per ICE vehicle-km.
    oil_tce_per_km: f64,
    /// Gasoline t per ICE vehicle-km (0 for diesel segments).
    gasoline_t_per_km: f64,
    /// kWh per NEV-km.
    kwh_per_km: f64,
    /// Base-year NEV share of new vehicles (the frozen share).
    nev_base: f64,
    /// Vehicle-km per vehicle in year 0 (every year's when the input has no year anchors).
    km_const: f64,
    /// 1 + stock growth in year 0 (every year's when the input has no year anchors).
    g1_const: f64,
}

/// Measure ids this module registers (NOx then VOCs slot for each).
pub const MEASURES: [(&str, &str, &str); 3] = [
    (
        "fleet.china6",
        "China 6a/6b vehicle standards",
        "国六a/6b排放标准",
    ),
    (
        "fleet.scrappage",
        "Early retirement of old vehicles",
        "老旧车辆提前淘汰",
    ),
    ("fleet.nev", "New-energy vehicle uptake", "新能源汽车推广"),
];

// Index loops mirror the segment × standard × variant tables of MODEL.md §3.5.
#[allow(clippy::needless_range_loop)]
impl FleetInputs {
    /// Resolves this sector's inputs and registers its measures.
    pub fn resolve(r: &Resolver, w: &mut WedgeRegistry) -> Result<Self, ModelError> {
        let mut seg = Vec::with_capacity(N_SEG);
        for (s, name) in SEGMENTS.iter().enumerate() {
            let p = |k: &str| format!("fleet.{name}.{k}");
            let stock_2020 = scalar(r, &p("stock_2020"), 0.0, 1e8)?;
            let mut share_2020 = [None; N_STD];
            let mut any = false;
            for (k, st) in STANDARDS.iter().enumerate() {
                share_2020[k] = opt_scalar(r, &p(&format!("share_2020.{st}")), 0.0, 1.0)?;
                any |= share_2020[k].is_some();
            }
            if !any {
                return Err(ModelError::MissingInput {
                    name: p("share_2020.*"),
                    scenario: r.scenario().meta.id.clone(),
                });
            }
            let mut retire = [Ranged::default(); N_STD];
            let mut scrap: [Option<RPath>; N_STD] = Default::default();
            let moto = CLASS[s] == Class::Motorcycle;
            for (k, st) in STANDARDS.iter().enumerate() {
                // Motorcycles never carry China 5/6a/6b: their retirement inputs are not read.
                retire[k] = if moto && (CH5..=CH6B).contains(&k) {
                    retire[CH4]
                } else {
                    scalar(r, &p(&format!("retire.{st}")), 0.0, 1.0)?
                };
                scrap[k] = opt_path(r, &p(&format!("scrap.{st}")), 0.0, 1.0)?;
            }
            let mut ef_nox = [Ranged::default(); N_ICE];
            let mut ef_vocs = [Ranged::default(); N_ICE];
            for k in 0..=CH5 {
                // Motorcycles: the guideline has rows up to China III; `china4` is the
                // motorcycle China IV factor, and 5/6a/6b never occur (see `Class`).
                let k_in = if moto { k.min(CH4) } else { k };
                let st = STANDARDS[k_in];
                ef_nox[k] = scalar(r, &p(&format!("ef.{st}.nox_g_km")), 0.0, 100.0)?;
                ef_vocs[k] = scalar(r, &p(&format!("ef.{st}.vocs_g_km")), 0.0, 100.0)?;
            }
            for k in CH6A..N_ICE {
                ef_nox[k] = ef_nox[CH5];
                ef_vocs[k] = ef_vocs[CH5];
            }
            let evap_vocs_g_km = if GASOLINE[s] {
                opt_scalar(r, &p("evap_vocs_g_km"), 0.0, 10.0)?
            } else {
                None
            };
            seg.push(SegInputs {
                stock_2020,
                share_2020,
                growth: path(r, &p("growth"), -0.5, 0.5)?,
                km: path(r, &p("km"), 0.0, 500_000.0)?,
                nev_share_new: path(r, &p("nev_share_new"), 0.0, 1.0)?,
                retire,
                scrap,
                ef_nox,
                ef_vocs,
                evap_vocs_g_km,
                cold_nox: scalar(r, &p("cold_factor.nox"), 0.5, 3.0)?,
                cold_vocs: scalar(r, &p("cold_factor.vocs"), 0.5, 3.0)?,
                fuel_l_100km: scalar(r, &p("fuel_l_100km"), 0.0, 200.0)?,
                nev_kwh_100km: scalar(r, &p("nev_kwh_100km"), 0.0, 1000.0)?,
            });
        }
        let ratios = |class: &str| -> Result<Ratios, ModelError> {
            let q = |st: &str, pol: &str| format!("fleet.china6_ratio.{class}.{st}.{pol}");
            Ok(Ratios {
                nox: [
                    scalar(r, &q("china6a", "nox"), 0.0, 2.0)?,
                    scalar(r, &q("china6b", "nox"), 0.0, 2.0)?,
                ],
                vocs: [
                    scalar(r, &q("china6a", "vocs"), 0.0, 2.0)?,
                    scalar(r, &q("china6b", "vocs"), 0.0, 2.0)?,
                ],
            })
        };
        let light = ratios("light")?;
        let heavy = ratios("heavy")?;
        let mut slots = [[0usize; 2]; 3];
        for (m, (id, en, zh)) in MEASURES.iter().enumerate() {
            slots[m][0] = w.add(&format!("{id}.nox"), en, zh, Pollutant::Nox);
            slots[m][1] = w.add(&format!("{id}.vocs"), en, zh, Pollutant::Vocs);
        }
        Ok(FleetInputs {
            seg,
            light,
            heavy,
            cold_fraction: scalar(r, "fleet.cold_fraction", 0.0, 1.0)?,
            light_6a: date(r, "fleet.date.light_6a")?,
            heavy_6a: date(r, "fleet.date.heavy_6a")?,
            light_6b: date(r, "fleet.date.light_6b")?,
            heavy_6b: date(r, "fleet.date.heavy_6b")?,
            base_year: r.scenario().meta.base_year,
            slots,
        })
    }

    /// Fresh state for one draw.
    pub fn new_state(&self) -> FleetState {
        FleetState::default()
    }

    /// Shares of new ICE vehicles of regulatory class `class` sold in `year` by ICE standard:
    /// the standard in force, pro-rated by implementation date (MODEL.md §3.5).
    fn new_mix(&self, class: Class, year: i32, draw: &[f64]) -> [f64; N_ICE] {
        let mut mix = [0.0; N_ICE];
        let (d6a, d6b) = match class {
            Class::Motorcycle => {
                mix[CH4] = 1.0;
                return mix;
            }
            Class::Light => (self.light_6a.get(draw), self.light_6b.get(draw)),
            Class::Heavy => (self.heavy_6a.get(draw), self.heavy_6b.get(draw)),
        };
        let f_b = frac_after(year, d6b);
        let f_ab = frac_after(year, d6a).max(f_b);
        mix[CH6B] = f_b;
        mix[CH6A] = f_ab - f_b;
        mix[CH5] = 1.0 - f_ab;
        mix
    }

    /// Simulates year `ctx.t`, adding fuels and emissions to `ledger` and reductions to `wedges`
    /// (the hot path: the yearly flows are not recorded).
    ///
    /// Year 0 must come first for each draw: it caches the draw's year-independent factors
    /// in `state` (the draw does not change within a simulation).
    pub fn step(
        &self,
        ctx: &YearCtx,
        draw: &[f64],
        state: &mut FleetState,
        ledger: &mut Ledger,
        wedges: &mut [f64],
    ) {
        self.step_impl::<false>(ctx, draw, state, ledger, wedges);
    }

    /// Like [`FleetInputs::step`] (same results), and also records the year's retired,
    /// scrapped and new vehicles in `state` (tests and diagnostics: conservation checks).
    pub fn step_recording_flows(
        &self,
        ctx: &YearCtx,
        draw: &[f64],
        state: &mut FleetState,
        ledger: &mut Ledger,
        wedges: &mut [f64],
    ) {
        self.step_impl::<true>(ctx, draw, state, ledger, wedges);
    }

    /// Writes the base year again after [`FleetInputs::step`] ran it for the same draw, with
    /// `ctx`'s reconciliation factors (MODEL.md §5): the vehicles, their km and emission
    /// factors do not depend on the factors, which only scale the fuel and emissions written,
    /// so the second pass over the base year need not turn the fleet over again.
    pub fn rewrite_base_year(
        &self,
        ctx: &YearCtx,
        state: &FleetState,
        ledger: &mut Ledger,
        wedges: &mut [f64],
    ) {
        debug_assert_eq!(ctx.t, 0, "only the base year is written twice");
        self.write(ctx, state, ledger, wedges);
    }

    /// One year of every segment in all four variants at once (lane-wise, MODEL.md §3.5);
    /// `FLOWS` also records the yearly flows.
    /// Every variant is computed (no copying of equal variants): lanes cost the same, and equal
    /// inputs give bit-identical lanes anyway.
    #[inline(always)]
    fn step_impl<const FLOWS: bool>(
        &self,
        ctx: &YearCtx,
        draw: &[f64],
        state: &mut FleetState,
        ledger: &mut Ledger,
        wedges: &mut [f64],
    ) {
        let t = ctx.t;
        let year = if t == 0 { self.base_year } else { ctx.year };
        let mix_now: [[f64; N_ICE]; N_CLASS] = [
            self.new_mix(CLASSES[0], year, draw),
            self.new_mix(CLASSES[1], year, draw),
            self.new_mix(CLASSES[2], year, draw),
        ];
        if t == 0 {
            state.mix_base = mix_now;
        }
        let mut oil_tce = 0.0;
        let mut gasoline_t = 0.0;
        let mut nev_kwh = 0.0;
        let mut nox = [0.0; N_VARIANTS];
        let mut vocs = [0.0; N_VARIANTS];
        let (mut new, mut growth) = ([0.0; 2], [0.0; 2]);
        if t == 0 {
            state.book = FleetBook::default();
        }
        for (s, si) in self.seg.iter().enumerate() {
            if t == 0 {
                state.cache[s] = self.cache_segment(s, si, draw);
                Self::init_segment::<FLOWS>(s, si, draw, state);
            } else {
                let scr = Self::turnover_segment::<FLOWS>(
                    s,
                    si,
                    t,
                    &mix_now[CLASS[s] as usize],
                    draw,
                    state,
                );
                Self::cohort_leaves(s, &scr, state);
            }
            let c = &state.cache[s];
            let km = if si.km.constant {
                c.km_const
            } else {
                si.km.at(t, draw)
            };
            if t == 0 {
                let st = &state.stock[s];
                state.book.cohort[s] = std::array::from_fn(|k| st[k][SCENARIO]);
                state.book.km[s] = [km; 2];
            }
            let (n, g) = Self::segment_increments(s, km, state);
            state.book.km[s][1] = km;
            for p in 0..2 {
                new[p] += n[p];
                growth[p] += g[p];
            }
            let c = &state.cache[s];
            let st = &state.stock[s];
            let ice = emissions(st, c, km, &mut nox, &mut vocs);
            oil_tce += ice * km * c.oil_tce_per_km;
            gasoline_t += ice * km * c.gasoline_t_per_km;
            nev_kwh += st[NEV][SCENARIO] * km * c.kwh_per_km;
        }
        state.nox_t = nox;
        state.vocs_t = vocs;
        if t == 0 {
            state.nev_kwh_base = nev_kwh;
        }
        state.sums = FleetSums {
            oil_tce,
            gasoline_t,
            nev_kwh,
            new,
            growth,
        };
        self.write(ctx, state, ledger, wedges);
    }

    /// Writes the year's sums in `state` to `ledger` and `wedges` with `ctx`'s factors.
    #[inline(always)]
    fn write(&self, ctx: &YearCtx, state: &FleetState, ledger: &mut Ledger, wedges: &mut [f64]) {
        let (nox, vocs) = (state.nox_t, state.vocs_t);
        let FleetSums {
            oil_tce,
            gasoline_t,
            nev_kwh,
            new,
            growth,
        } = state.sums;
        // Fuel per km at the base-year reconciliation's oil factor (MODEL.md §5); NOx and VOCs
        // per km do not move with it.
        let k = ctx.fuel.of(Component::Fleet)[Fuel::Oil as usize];
        ledger.burn(EnergySector::Transport, Fuel::Oil, oil_tce * k);
        ledger.fleet_gasoline_t += gasoline_t * k;
        ledger.electricity_demand_kwh += nev_kwh - state.nev_kwh_base;
        // After the base year at its NOx and VOCs reconciliation factors (MODEL.md §5; the
        // book scales itself).
        let [kn, kv] = ctx.emission.of(Component::Fleet);
        ledger.nox_t[PollutantSector::RoadTransport as usize] += nox[SCENARIO] * kn;
        ledger.vocs_t[PollutantSector::RoadTransport as usize] += vocs[SCENARIO] * kv;
        ledger.frozen_t[1] += nox[0];
        ledger.frozen_t[2] += vocs[0];
        let b = &state.book;
        let lb = &mut ledger.book;
        lb.cut(Project::VehicleScrappage, b.scrapped[0], b.scrapped[1]);
        lb.cut(
            Project::VehicleNaturalRetirement,
            b.retired_old[0],
            b.retired_old[1],
        );
        lb.add(
            Cause::FleetLeavers,
            -b.retired_other[0],
            -b.retired_other[1],
        );
        lb.add(Cause::NewVehicles, new[0], new[1]);
        lb.add(
            Cause::Growth,
            growth[0] + b.left_growth[0],
            growth[1] + b.left_growth[1],
        );
        for m in 0..3 {
            wedges[self.slots[m][0]] += (nox[m] - nox[m + 1]) * kn;
            wedges[self.slots[m][1]] += (vocs[m] - vocs[m + 1]) * kv;
        }
    }

    /// The draw's year-independent factors of segment `s` (t/km with cold correction, etc.).
    fn cache_segment(&self, s: usize, si: &SegInputs, draw: &[f64]) -> SegCache {
        let f_cold = self.cold_fraction.get(draw);
        let cn = cold(f_cold, si.cold_nox.get(draw)) * 1e-6;
        let cv = cold(f_cold, si.cold_vocs.get(draw)) * 1e-6;
        let mut c = SegCache {
            evap: si.evap_vocs_g_km.map_or(0.0, |e| e.get(draw)) * 1e-6,
            nev_base: si.nev_share_new.at(0, draw),
            km_const: si.km.at(0, draw),
            g1_const: 1.0 + si.growth.at(0, draw),
            ..SegCache::default()
        };
        for k in 0..N_ICE {
            c.efn[k] = si.ef_nox[k].get(draw) * cn;
            c.efv[k] = si.ef_vocs[k].get(draw) * cv;
        }
        if CLASS[s] != Class::Motorcycle {
            let ratios = if CLASS[s] == Class::Heavy {
                &self.heavy
            } else {
                &self.light
            };
            c.efn[CH6A] *= ratios.nox[0].get(draw);
            c.efn[CH6B] *= ratios.nox[1].get(draw);
            c.efv[CH6A] *= ratios.vocs[0].get(draw);
            c.efv[CH6B] *= ratios.vocs[1].get(draw);
        }
        for k in 0..N_STD {
            c.ret[k] = si.retire[k].get(draw);
        }
        let per_l = if GASOLINE[s] {
            GASOLINE_T_PER_L * GASOLINE_TCE_PER_T
        } else {
            DIESEL_T_PER_L * DIESEL_TCE_PER_T
        };
        c.oil_tce_per_km = si.fuel_l_100km.get(draw) / 100.0 * per_l;
        if GASOLINE[s] {
            c.gasoline_t_per_km = si.fuel_l_100km.get(draw) / 100.0 * GASOLINE_T_PER_L;
        }
        c.kwh_per_km = si.nev_kwh_100km.get(draw) / 100.0;
        c
    }

    /// Base year: every variant starts from the 2020 stock split by the 2020 shares
    /// (normalised to sum to 1).
    fn init_segment<const FLOWS: bool>(
        s: usize,
        si: &SegInputs,
        draw: &[f64],
        state: &mut FleetState,
    ) {
        let total = si.stock_2020.get(draw);
        let mut sh = [0.0; N_STD];
        // Absent shares add +0.0, which changes no sum that is > 0 (the only ones used).
        let mut sum = 0.0;
        for k in 0..N_STD {
            sh[k] = si.share_2020[k].map_or(0.0, |x| x.get(draw));
            sum += sh[k];
        }
        state.target[s] = total;
        for k in 0..N_STD {
            state.stock[s][k] = [if sum > 0.0 { total * sh[k] / sum } else { 0.0 }; N_VARIANTS];
        }
        if FLOWS {
            state.retired[s] = Default::default();
            state.scrapped[s] = Default::default();
            state.new[s] = Default::default();
        }
    }

    /// One year of turnover for segment `s` in every variant, lane-wise (MODEL.md §3.5):
    /// natural retirement, then policy scrappage (variants 2 and 3) on what it leaves, then new
    /// vehicles up to the target — the frozen mix and NEV share in variant 0, the standards in
    /// force (`mix_now`) from variant 1, the scenario's NEV share in variant 3.
    #[inline(always)]
    fn turnover_segment<const FLOWS: bool>(
        s: usize,
        si: &SegInputs,
        t: usize,
        mix_now: &[f64; N_ICE],
        draw: &[f64],
        state: &mut FleetState,
    ) -> [f64; N_STD] {
        let c = &state.cache[s];
        let g1 = if si.growth.constant {
            c.g1_const
        } else {
            1.0 + si.growth.at(t, draw)
        };
        state.target[s] *= g1;
        let target = state.target[s];
        let nev_now = si.nev_share_new.at(t, draw);
        let mut scr = [0.0; N_STD];
        for k in 0..N_STD {
            // Policy scrappage acts on what natural retirement leaves.
            if let Some(p) = &si.scrap[k] {
                scr[k] = p.at(t, draw).min(1.0 - c.ret[k]);
            }
        }
        let ret = c.ret;
        let nev_base = c.nev_base;
        let mix_base = &state.mix_base[CLASS[s] as usize];
        let st = &mut state.stock[s];
        let mut surv = [0.0; N_VARIANTS];
        for k in 0..N_STD {
            // No policy scrappage in the frozen and +standards variants.
            let scr_l = [0.0, 0.0, scr[k], scr[k]];
            for v in 0..N_VARIANTS {
                let x = st[k][v];
                let r = x * ret[k];
                let sc = x * scr_l[v];
                if FLOWS {
                    state.retired[s][k][v] = r;
                    state.scrapped[s][k][v] = sc;
                }
                st[k][v] = x - (r + sc);
                surv[v] += st[k][v];
            }
        }
        let nev = [nev_base, nev_base, nev_base, nev_now];
        let mut new = [0.0; N_VARIANTS];
        let mut ice = [0.0; N_VARIANTS];
        for v in 0..N_VARIANTS {
            new[v] = (target - surv[v]).max(0.0);
            ice[v] = new[v] * (1.0 - nev[v]);
        }
        for k in 0..N_ICE {
            let m = [mix_base[k], mix_now[k], mix_now[k], mix_now[k]];
            for v in 0..N_VARIANTS {
                let a = ice[v] * m[v];
                if FLOWS {
                    state.new[s][k][v] = a;
                }
                st[k][v] += a;
            }
        }
        for v in 0..N_VARIANTS {
            let a = new[v] * nev[v];
            if FLOWS {
                state.new[s][NEV][v] = a;
            }
            st[NEV][v] += a;
        }
        scr
    }

    /// The 2020 vehicles of segment `s` leaving the scenario fleet this year (the same rates
    /// as the turnover): their last full-year emission goes to the running sums of scrappage,
    /// pre-China IV natural retirement and other natural retirement (MODEL.md §4).
    #[inline(always)]
    fn cohort_leaves(s: usize, scr: &[f64; N_STD], state: &mut FleetState) {
        let c = &state.cache[s];
        let b = &mut state.book;
        let [km0, km_prev] = b.km[s];
        for k in 0..N_ICE {
            let x = b.cohort[s][k];
            let (r, sc) = (x * c.ret[k], x * scr[k]);
            b.cohort[s][k] = x - (r + sc);
            let ef = [c.efn[k], c.efv[k] + c.evap];
            for p in 0..2 {
                b.scrapped[p] += sc * km_prev * ef[p];
                if k < CH4 {
                    b.retired_old[p] += r * km_prev * ef[p];
                } else {
                    b.retired_other[p] += r * km_prev * ef[p];
                }
                b.left_growth[p] += (r + sc) * (km_prev - km0) * ef[p];
            }
        }
    }

    /// Segment `s`'s year-`t` 新增量 at `km` vehicle-km per vehicle, [NOx, VOCs]: vehicles
    /// registered after 2020 at their own factors (a) and the 2020 vehicles' km change (b),
    /// without the running sums.
    #[inline(always)]
    fn segment_increments(s: usize, km: f64, state: &FleetState) -> ([f64; 2], [f64; 2]) {
        let c = &state.cache[s];
        let b = &state.book;
        let st = &state.stock[s];
        let km0 = b.km[s][0];
        let (mut new, mut growth) = ([0.0; 2], [0.0; 2]);
        for k in 0..N_ICE {
            let ef = [c.efn[k], c.efv[k] + c.evap];
            let (x, old) = (st[k][SCENARIO], b.cohort[s][k]);
            for p in 0..2 {
                new[p] += (x - old) * km * ef[p];
                growth[p] += old * (km - km0) * ef[p];
            }
        }
        (new, growth)
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Builds the pollutant half's central inputs from `scenarios/plan.toml`
    //! (central value of every distribution, per FORMAT.md), while the TOML loader is written.

    use crate::model::{Ledger, Model, Resolver, WedgeRegistry, YearCtx};
    use crate::scenario::{DistSpec, Meta, Options, Param, Scenario};

    /// The pollutant half of the `plan` scenario data.
    pub const DATA: &str = include_str!("../../scenarios/plan.toml");

    fn num(v: &toml::Value) -> Option<f64> {
        match v {
            toml::Value::Float(f) => Some(*f),
            toml::Value::Integer(i) => Some(*i as f64),
            toml::Value::Datetime(d) => {
                let dt = d.date?;
                let y = i32::from(dt.year);
                let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
                let cum = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
                let mut doy = cum[usize::from(dt.month) - 1] + u32::from(dt.day) - 1;
                if leap && dt.month > 2 {
                    doy += 1;
                }
                let days = if leap { 366.0 } else { 365.0 };
                Some(f64::from(y) + f64::from(doy) / days)
            }
            _ => None,
        }
    }

    /// Central value of a value/dist table.
    fn central(t: &toml::Table) -> f64 {
        let g = |k: &str| t.get(k).and_then(num).unwrap_or(f64::NAN);
        if let Some(v) = t.get("value") {
            return num(v).unwrap_or(f64::NAN);
        }
        match t.get("dist").and_then(|d| d.as_str()).unwrap_or("") {
            "normal" => g("mean"),
            "lognormal" => {
                if t.contains_key("median") {
                    g("median")
                } else {
                    (g("low95") * g("high95")).sqrt()
                }
            }
            "triangular" | "pert" => g("mode"),
            "uniform" => 0.5 * (g("min") + g("max")),
            "beta" => {
                let (a, b) = (g("alpha"), g("beta"));
                let lo = t.get("min").and_then(num).unwrap_or(0.0);
                let hi = t.get("max").and_then(num).unwrap_or(1.0);
                lo + (hi - lo) * a / (a + b)
            }
            other => panic!("unknown dist {other:?} in test data"),
        }
    }

    fn walk(prefix: &str, t: &toml::Table, out: &mut Vec<Param>) {
        if t.contains_key("unit") {
            let unit = t.get("unit").and_then(|u| u.as_str()).unwrap_or("");
            if let Some(by) = t.get("by_year").and_then(|b| b.as_table()) {
                for (y, a) in by {
                    let v = match a {
                        toml::Value::Table(at) => central(at),
                        other => num(other).unwrap_or(f64::NAN),
                    };
                    out.push(Param::built(
                        &format!("{prefix}@{y}"),
                        DistSpec::Constant(v),
                        unit,
                    ));
                }
            } else {
                out.push(Param::built(prefix, DistSpec::Constant(central(t)), unit));
            }
            return;
        }
        for (k, v) in t {
            if let toml::Value::Table(sub) = v {
                let name = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                walk(&name, sub, out);
            }
        }
    }

    /// Central-value parameters of the pollutant half (plan scenario).
    pub fn central_params() -> Vec<Param> {
        let mut t: toml::Table = DATA.parse().expect("plan.toml parses");
        t.retain(|k, _| matches!(k, "fleet" | "nonroad" | "industry" | "vocs"));
        let mut out = Vec::new();
        walk("", &t, &mut out);
        assert!(
            out.iter().all(|p| match p.spec {
                DistSpec::Constant(v) => v.is_finite(),
                _ => false,
            }),
            "every test input has a finite central value"
        );
        out
    }

    /// A scenario from parameters, base 2020, horizon 2025.
    pub fn scenario(params: Vec<Param>) -> Scenario {
        Scenario::new(
            Meta::built("t", 2020, 2025),
            Options::default(),
            params,
            vec![],
            vec![],
        )
    }

    /// Central params with some values replaced (or added).
    pub fn with(mut params: Vec<Param>, changes: &[(&str, f64)]) -> Vec<Param> {
        for (name, v) in changes {
            params.retain(|p| p.name != *name);
            params.push(Param::built(name, DistSpec::Constant(*v), "test"));
        }
        params
    }

    /// The draw of a scenario whose parameters are all constants.
    pub fn draw_of(s: &Scenario) -> Vec<f64> {
        s.params
            .iter()
            .map(|p| match p.spec {
                DistSpec::Constant(v) => v,
                _ => f64::NAN,
            })
            .collect()
    }

    /// Year context: industrial value added grows 6 %/yr (test assumption).
    pub fn ctx(t: usize) -> YearCtx {
        YearCtx {
            year: 2020 + t as i32,
            t,
            industry_va_index: 1.06f64.powi(t as i32),
            gdp_index: 1.05f64.powi(t as i32),
            ..YearCtx::default()
        }
    }

    /// Runs a sector with per-draw state over the years 2020–2025 of `params` (central values):
    /// `resolve` builds the sector, `new_state` its fresh state, `step` runs one year; returns
    /// ledgers and wedges per year.
    pub fn run_with_state<S, St>(
        params: Vec<Param>,
        resolve: impl Fn(&Resolver, &mut WedgeRegistry) -> S,
        new_state: impl Fn(&S) -> St,
        step: impl Fn(&S, &YearCtx, &[f64], &mut St, &mut Ledger, &mut [f64]),
    ) -> (Vec<Ledger>, Vec<Vec<f64>>) {
        let s = scenario(params);
        let mut w = WedgeRegistry::default();
        let m = resolve(&Resolver::new(&s), &mut w);
        let d = draw_of(&s);
        let mut st = new_state(&m);
        let (mut ls, mut ws) = (vec![], vec![]);
        for t in 0..6 {
            let mut l = Ledger::default();
            let mut wv = vec![0.0; w.len()];
            step(&m, &ctx(t), &d, &mut st, &mut l, &mut wv);
            ls.push(l);
            ws.push(wv);
        }
        (ls, ws)
    }

    /// The four pollutant sectors resolved against one scenario.
    pub struct Half {
        /// Industry.
        pub industry: crate::model::industry::IndustryInputs,
        /// Fleet.
        pub fleet: super::FleetInputs,
        /// Non-road.
        pub nonroad: crate::model::nonroad::NonRoadInputs,
        /// VOCs.
        pub vocs: crate::model::vocs::VocsInputs,
        /// Registered measures.
        pub wedges: WedgeRegistry,
    }

    /// Resolves the four sectors in the orchestration order.
    pub fn half(s: &Scenario) -> Result<Half, crate::model::ModelError> {
        let r = Resolver::new(s);
        let mut w = WedgeRegistry::default();
        Ok(Half {
            industry: crate::model::industry::IndustryInputs::resolve(&r, &mut w)?,
            fleet: super::FleetInputs::resolve(&r, &mut w)?,
            nonroad: crate::model::nonroad::NonRoadInputs::resolve(&r, &mut w)?,
            vocs: crate::model::vocs::VocsInputs::resolve(&r, &mut w)?,
            wedges: w,
        })
    }

    /// Runs the four sectors 2020–2025; returns (ledgers, wedges per year).
    pub fn run(h: &Half, draw: &[f64]) -> (Vec<Ledger>, Vec<Vec<f64>>) {
        let mut is = h.industry.new_state();
        let mut fs = h.fleet.new_state();
        let mut ns = h.nonroad.new_state();
        let mut vs = h.vocs.new_state();
        let mut ledgers = Vec::new();
        let mut wedges = Vec::new();
        for t in 0..6 {
            let c = ctx(t);
            let mut l = Ledger {
                year: c.year,
                ..Ledger::default()
            };
            let mut w = vec![0.0; h.wedges.len()];
            h.industry.step(&c, draw, &mut is, &mut l, &mut w);
            h.fleet.step(&c, draw, &mut fs, &mut l, &mut w);
            h.nonroad.step(&c, draw, &mut ns, &mut l, &mut w);
            h.vocs.step(&c, draw, &mut vs, &mut l, &mut w);
            ledgers.push(l);
            wedges.push(w);
        }
        (ledgers, wedges)
    }

    /// Keeps `Model` referenced so the helper stays next to the real orchestration.
    #[allow(dead_code)]
    fn _uses(_: &Model) {}
}

#[cfg(test)]
#[allow(clippy::needless_range_loop)] // index loops mirror the segment × standard tables
mod tests {
    use super::test_support::*;
    use super::*;
    use crate::model::ModelError;

    fn fleet_run(
        params: Vec<crate::scenario::Param>,
    ) -> (FleetInputs, Vec<FleetState>, Vec<Ledger>) {
        let s = scenario(params);
        let r = Resolver::new(&s);
        let mut w = WedgeRegistry::default();
        let f = FleetInputs::resolve(&r, &mut w).expect("resolves");
        let d = draw_of(&s);
        let mut st = f.new_state();
        let mut states = Vec::new();
        let mut ledgers = Vec::new();
        for t in 0..6 {
            let mut l = Ledger::default();
            let mut wv = vec![0.0; w.len()];
            f.step_recording_flows(&ctx(t), &d, &mut st, &mut l, &mut wv);
            states.push(st.clone());
            ledgers.push(l);
        }
        (f, states, ledgers)
    }

    #[test]
    fn conservation_every_segment_and_year() {
        let (_, states, _) = fleet_run(central_params());
        for t in 1..states.len() {
            for v in 0..N_VARIANTS {
                for s in 0..N_SEG {
                    let prev: f64 = states[t - 1].stock(v, s).iter().sum();
                    let now: f64 = states[t].stock(v, s).iter().sum();
                    let r: f64 = states[t].retired(v, s).iter().sum();
                    let sc: f64 = states[t].scrapped(v, s).iter().sum();
                    let n: f64 = states[t].new_vehicles(v, s).iter().sum();
                    assert!(
                        (now - (prev - r - sc + n)).abs() <= 1e-9 * prev.max(1.0),
                        "segment {} variant {v} year {t}",
                        SEGMENTS[s]
                    );
                    // Per standard too.
                    for k in 0..N_STD {
                        let p = states[t - 1].stock(v, s)[k];
                        let x = states[t].stock(v, s)[k];
                        let e = p - states[t].retired(v, s)[k] - states[t].scrapped(v, s)[k]
                            + states[t].new_vehicles(v, s)[k];
                        assert!((x - e).abs() <= 1e-9 * p.max(1.0));
                    }
                }
            }
        }
        // Scrappage is active in the plan (heavy trucks), so it is really exercised.
        let sc: f64 = states[3].scrapped(SCENARIO, 4).iter().sum();
        assert!(sc > 0.0);
    }

    /// Every year of `params` through `step` (hot path): ledgers, wedges and the end state.
    fn hot_run(params: Vec<crate::scenario::Param>) -> (Vec<Ledger>, Vec<Vec<f64>>, FleetState) {
        let s = scenario(params);
        let mut w = WedgeRegistry::default();
        let f = FleetInputs::resolve(&Resolver::new(&s), &mut w).expect("resolves");
        let d = draw_of(&s);
        let mut st = f.new_state();
        let (mut ls, mut ws) = (vec![], vec![]);
        for t in 0..6 {
            let mut l = Ledger::default();
            let mut wv = vec![0.0; w.len()];
            f.step(&ctx(t), &d, &mut st, &mut l, &mut wv);
            ls.push(l);
            ws.push(wv);
        }
        (ls, ws, st)
    }

    #[test]
    fn hot_path_matches_recording_path_and_anchored_constants() {
        let (ls, ws, st) = hot_run(central_params());
        let (_, states, ledgers) = fleet_run(central_params());
        let end = &states[5];
        for (a, b) in ls.iter().zip(&ledgers) {
            assert_eq!(a.nox_t, b.nox_t);
            assert_eq!(a.vocs_t, b.vocs_t);
            assert_eq!(a.fuel_tce, b.fuel_tce);
            assert_eq!(a.electricity_demand_kwh, b.electricity_demand_kwh);
        }
        for v in 0..N_VARIANTS {
            for s in 0..N_SEG {
                assert_eq!(st.stock(v, s), end.stock(v, s));
            }
        }
        // km and growth written as equal year anchors instead of one value: the per-draw
        // shortcut for one-value paths must give the same bits as the per-year lookup.
        let p = central_params();
        let val = |n: &str| match p.iter().find(|q| q.name == n).map(|q| &q.spec) {
            Some(crate::scenario::DistSpec::Constant(v)) => *v,
            other => panic!("{n}: {other:?}"),
        };
        let (km, g) = (val("fleet.bus.km"), val("fleet.taxi.growth"));
        let mut q = with(
            p.clone(),
            &[
                ("fleet.bus.km@2020", km),
                ("fleet.bus.km@2025", km),
                ("fleet.taxi.growth@2020", g),
                ("fleet.taxi.growth@2025", g),
            ],
        );
        q.retain(|x| x.name != "fleet.bus.km" && x.name != "fleet.taxi.growth");
        let (la, wa, sa) = hot_run(q);
        assert_eq!(wa, ws);
        for (a, b) in la.iter().zip(&ls) {
            assert_eq!(a.nox_t, b.nox_t);
            assert_eq!(a.vocs_t, b.vocs_t);
        }
        assert_eq!(sa.target, st.target);
        // A growth path that really changes must change the target (the path is read).
        let mut q = with(
            p,
            &[
                ("fleet.taxi.growth@2020", g),
                ("fleet.taxi.growth@2025", g + 0.05),
            ],
        );
        q.retain(|x| x.name != "fleet.taxi.growth");
        let (_, _, sb) = hot_run(q);
        assert!(sb.target[1] > st.target[1]);
    }

    /// The hot path and the recording path give
    /// the same bits on inputs scattered around the central values (dates included).
    #[test]
    fn hot_path_matches_recording_path_random_inputs() {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..24 {
            let mut params = central_params();
            for p in &mut params {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let u = (x >> 11) as f64 / (1u64 << 53) as f64;
                if let crate::scenario::DistSpec::Constant(v) = &mut p.spec {
                    *v = if p.unit == "year" {
                        (*v + 2.0 * u - 1.0).max(2020.0)
                    } else {
                        *v * (0.6 + 0.4 * u)
                    };
                }
            }
            let (ls, ws, st) = hot_run(params.clone());
            let (_, states, ledgers) = fleet_run(params);
            for (a, b) in ls.iter().zip(&ledgers) {
                assert_eq!(a.nox_t, b.nox_t);
                assert_eq!(a.vocs_t, b.vocs_t);
                assert_eq!(a.fuel_tce, b.fuel_tce);
                assert_eq!(a.frozen_t, b.frozen_t);
                assert_eq!(a.electricity_demand_kwh, b.electricity_demand_kwh);
            }
            assert!(ws.iter().flatten().all(|w| w.is_finite()));
            for v in 0..N_VARIANTS {
                for s in 0..N_SEG {
                    assert_eq!(st.stock(v, s), states[5].stock(v, s));
                }
            }
        }
    }

    #[test]
    fn new_vehicles_carry_only_standards_in_force() {
        let (_, states, _) = fleet_run(central_params());
        // 2021 (t=1): light 6a in force all year (from 2020-07-01); heavy 6a from 2021-07-01,
        // so about half of the heavy trucks are 6a and half China 5; nothing older, no 6b.
        let light = states[1].new_vehicles(SCENARIO, 0);
        let heavy = states[1].new_vehicles(SCENARIO, 4);
        for k in [0, 1, 2, 3, CH6B] {
            assert_eq!(light[k], 0.0, "light {} in 2021", STANDARDS[k]);
        }
        assert!(light[CH6A] > 0.0);
        for k in [0, 1, 2, CH6B] {
            assert_eq!(heavy[k], 0.0, "heavy {} in 2021", STANDARDS[k]);
        }
        let ice_h = heavy[CH5] + heavy[CH6A];
        let f6a = 2022.0 - 2021.0 - 181.0 / 365.0;
        assert!((heavy[CH6A] / ice_h - f6a).abs() < 1e-9);
        // 2023 (t=3): 6b from 2023-07-01 for both; light: 6a + 6b, heavy: 6a + 6b, no China 5.
        for s in [0, 1, 3, 2, 4] {
            let n = states[3].new_vehicles(SCENARIO, s);
            let ice: f64 = n[..N_ICE].iter().sum();
            if ice == 0.0 {
                continue;
            }
            for k in 0..=CH5 {
                assert_eq!(n[k], 0.0, "{} {} in 2023", SEGMENTS[s], STANDARDS[k]);
            }
            assert!((n[CH6B] / ice - (1.0 - 181.0 / 365.0)).abs() < 1e-9);
        }
        // 2024 onwards: only 6b (or NEV).
        for t in 4..6 {
            for s in [0, 1, 3, 4] {
                let n = states[t].new_vehicles(SCENARIO, s);
                for k in 0..CH6B {
                    assert_eq!(n[k], 0.0);
                }
            }
        }
        // 2020 base year mix for light: 6a share = fraction of 2020 after 2020-07-01.
        let f = FleetInputs::resolve(
            &Resolver::new(&scenario(central_params())),
            &mut WedgeRegistry::default(),
        )
        .expect("resolves");
        let s = scenario(central_params());
        let m = f.new_mix(CLASS[0], 2020, &draw_of(&s));
        assert!((m[CH6A] - (1.0 - 182.0 / 366.0)).abs() < 1e-9);
        assert!((m[CH5] + m[CH6A] - 1.0).abs() < 1e-12);
        // Motorcycles: only the motorcycle China IV.
        for t in 1..6 {
            let n = states[t].new_vehicles(SCENARIO, 5);
            for k in 0..N_ICE {
                if k != CH4 {
                    assert_eq!(n[k], 0.0);
                }
            }
        }
    }

    #[test]
    fn buses_new_are_all_nev_and_nev_draws_electricity() {
        let (_, states, ledgers) = fleet_run(central_params());
        for st in states.iter().skip(1) {
            let n = st.new_vehicles(SCENARIO, 2);
            assert!(n[..N_ICE].iter().all(|&x| x == 0.0));
        }
        assert_eq!(ledgers[0].electricity_demand_kwh, 0.0);
        assert!(ledgers[5].electricity_demand_kwh > 0.0);
        assert!(ledgers[0].fuel_tce[EnergySector::Transport as usize][Fuel::Oil as usize] > 0.0);
    }

    #[test]
    fn wedge_identity_per_pollutant() {
        let (f, states, ledgers) = fleet_run(central_params());
        let _ = f;
        for (st, l) in states.iter().zip(&ledgers) {
            let e = l.nox_t[PollutantSector::RoadTransport as usize];
            let wn: f64 = (0..3).map(|m| st.nox_t[m] - st.nox_t[m + 1]).sum();
            assert!((l.frozen_t[1] - wn - e).abs() <= 1e-9 * e);
            let e = l.vocs_t[PollutantSector::RoadTransport as usize];
            let wv: f64 = (0..3).map(|m| st.vocs_t[m] - st.vocs_t[m + 1]).sum();
            assert!((l.frozen_t[2] - wv - e).abs() <= 1e-9 * e);
        }
        // The base year has no reductions; the horizon has some.
        assert_eq!(ledgers[0].frozen_t[1], ledgers[0].nox_t[3]);
        assert!(ledgers[5].frozen_t[1] > ledgers[5].nox_t[3]);
    }

    #[test]
    fn bad_inputs_name_the_key() {
        let bad = [
            ("fleet.bus.share_2020.nev", 1.5),
            ("fleet.date.heavy_6b", 2040.0),
            ("fleet.date.light_6a", 2015.0),
            ("fleet.taxi.stock_2020", -3.0),
            ("fleet.heavy_truck.nev_share_new@2025", 1.2),
        ];
        for (name, v) in bad {
            let s = scenario(with(central_params(), &[(name, v)]));
            match FleetInputs::resolve(&Resolver::new(&s), &mut WedgeRegistry::default()) {
                Err(ModelError::BadInput { name: n, .. }) => assert_eq!(n, name),
                other => panic!("{name}: expected BadInput, got {other:?}"),
            }
        }
        let mut p = central_params();
        p.retain(|p| p.name != "fleet.bus.km");
        let s = scenario(p);
        assert!(matches!(
            FleetInputs::resolve(&Resolver::new(&s), &mut WedgeRegistry::default()),
            Err(ModelError::MissingInput { name, .. }) if name == "fleet.bus.km"
        ));
    }

    #[test]
    fn frac_after_prorates() {
        assert_eq!(frac_after(2022, 2023.5), 0.0);
        assert_eq!(frac_after(2024, 2023.5), 1.0);
        assert!((frac_after(2023, 2023.25) - 0.75).abs() < 1e-12);
    }
}

#[cfg(test)]
mod half_tests {
    //! The four pollutant sectors together, as the orchestration calls them.
    use super::test_support::*;
    use crate::model::{Ledger, Pollutant};
    use proptest::prelude::*;

    fn run_with(changes: &[(&str, f64)]) -> (Vec<Ledger>, Vec<Vec<f64>>, Half) {
        let s = scenario(with(central_params(), changes));
        let h = half(&s).expect("resolves");
        let (l, w) = run(&h, &draw_of(&s));
        (l, w, h)
    }

    fn assert_identity(ls: &[Ledger], ws: &[Vec<f64>], h: &Half) {
        for (l, w) in ls.iter().zip(ws) {
            for (p, k, total) in [
                (Pollutant::Nox, 1, l.nox_total_t()),
                (Pollutant::Vocs, 2, l.vocs_total_t()),
            ] {
                let sw: f64 = h
                    .wedges
                    .measures()
                    .iter()
                    .zip(w)
                    .filter(|(m, _)| m.pollutant == p)
                    .map(|(_, x)| x)
                    .sum();
                assert!(
                    (l.frozen_t[k] - sw - total).abs() <= 1e-9 * total,
                    "{p:?} {}: frozen {} − wedges {sw} ≠ {total}",
                    l.year,
                    l.frozen_t[k]
                );
            }
        }
    }

    #[test]
    fn wedge_identity_whole_half_central() {
        let (ls, ws, h) = run_with(&[]);
        assert_identity(&ls, &ws, &h);
        // Measures are registered once each, with unique ids.
        let mut ids: Vec<_> = h.wedges.measures().iter().map(|m| m.id.clone()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), h.wedges.len());
    }

    /// NOx and VOCs totals of every year of `b` are not above those of `a`.
    fn not_higher(a: &[Ledger], b: &[Ledger]) -> Result<(), TestCaseError> {
        for (x, y) in a.iter().zip(b) {
            prop_assert!(
                y.nox_total_t() <= x.nox_total_t() * (1.0 + 1e-12),
                "NOx {}",
                x.year
            );
            prop_assert!(
                y.vocs_total_t() <= x.vocs_total_t() * (1.0 + 1e-12),
                "VOCs {}",
                x.year
            );
        }
        Ok(())
    }

    const NEV_SEGS: [&str; 5] = [
        "private_car",
        "taxi",
        "light_truck",
        "heavy_truck",
        "motorcycle",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        #[test]
        fn earlier_6b_never_raises(d in 2021.0f64..2026.9, early in 0.0f64..3.0) {
            let d2 = (d - early).max(2020.0);
            let (a, wa, h) = run_with(&[("fleet.date.light_6b", d), ("fleet.date.heavy_6b", d)]);
            let (b, wb, _) = run_with(&[("fleet.date.light_6b", d2), ("fleet.date.heavy_6b", d2)]);
            assert_identity(&a, &wa, &h);
            assert_identity(&b, &wb, &h);
            not_higher(&a, &b)?;
        }

        #[test]
        fn higher_nev_share_never_raises(x in 0.0f64..0.9, more in 0.0f64..0.1, seg in 0usize..5) {
            let name = format!("fleet.{}.nev_share_new@2025", NEV_SEGS[seg]);
            let (a, _, _) = run_with(&[(&name, x)]);
            let (b, wb, h) = run_with(&[(&name, x + more)]);
            assert_identity(&b, &wb, &h);
            not_higher(&a, &b)?;
        }

        /// Holds once the standards in force stop changing (6b from 2023-07-01): scrappage
        /// from 2024 on. Earlier scrappage can pull purchases into years of dirtier new
        /// vehicles — see `scrappage_pull_forward`.
        #[test]
        fn higher_scrappage_never_raises(x in 0.0f64..0.6, more in 0.0f64..0.4, seg in 0usize..6, k in 0usize..4) {
            let n = |y: i32| format!("fleet.{}.scrap.{}@{y}", super::SEGMENTS[seg], super::STANDARDS[k]);
            let (n20, n21, n23, n24) = (n(2020), n(2021), n(2023), n(2024));
            let base = [(n20.as_str(), 0.0), (n21.as_str(), 0.0), (n23.as_str(), 0.0)];
            let (a, _, _) = run_with(&[base[0], base[1], base[2], (&n24, x)]);
            let (b, wb, h) = run_with(&[base[0], base[1], base[2], (&n24, x + more)]);
            assert_identity(&b, &wb, &h);
            not_higher(&a, &b)?;
        }

        #[test]
        fn higher_vapour_recovery_efficiency_never_raises(x in 0.0f64..0.9, more in 0.0f64..0.1) {
            let (a, _, _) = run_with(&[("vocs.fuel.recovery_efficiency", x)]);
            let (b, wb, h) = run_with(&[("vocs.fuel.recovery_efficiency", x + more)]);
            assert_identity(&b, &wb, &h);
            not_higher(&a, &b)?;
        }

        #[test]
        fn earlier_sinter_retrofit_never_raises(d in 2020.0f64..2027.0, early in 0.0f64..3.0) {
            let d2 = (d - early).max(2020.0);
            let (a, _, _) = run_with(&[("industry.sinter.completion", d)]);
            let (b, wb, h) = run_with(&[("industry.sinter.completion", d2)]);
            assert_identity(&b, &wb, &h);
            not_higher(&a, &b)?;
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

        /// Identity and non-negativity across the input space: every input (dates excepted)
        /// scaled by its own factor in [0.6, 1.0] (keeps fractions within their ranges).
        #[test]
        fn wedge_identity_random_inputs(seed in any::<u64>()) {
            let mut x = seed | 1;
            let mut params = central_params();
            for p in &mut params {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let f = 0.6 + 0.4 * (x >> 11) as f64 / (1u64 << 53) as f64;
                if let crate::scenario::DistSpec::Constant(v) = &mut p.spec
                    && p.unit != "year"
                {
                    *v *= f;
                }
            }
            let s = scenario(params);
            let h = half(&s).expect("resolves");
            let (ls, ws) = run(&h, &draw_of(&s));
            assert_identity(&ls, &ws, &h);
            for l in &ls {
                prop_assert!(l.nox_t.iter().chain(&l.vocs_t).all(|e| e.is_finite() && *e >= 0.0));
                prop_assert!(l.fuel_tce.iter().flatten().all(|e| e.is_finite() && *e >= 0.0));
            }
        }
    }

    /// A real property of the turnover model, documented rather than hidden: scrapping more
    /// old vehicles in 2021 pulls replacement purchases forward into years when new light
    /// vehicles are China 6a (NOx ratio 1.0) instead of 6b (0.58); once the old vehicles are
    /// gone in both cases anyway, the horizon year can show slightly *more* NOx with more
    /// scrappage, although earlier years show less.
    #[test]
    fn scrappage_pull_forward() {
        let z = ("fleet.light_truck.scrap.pre3@2020", 0.0);
        let (a, _, _) = run_with(&[z, ("fleet.light_truck.scrap.pre3@2021", 0.4775)]);
        let (b, _, _) = run_with(&[z, ("fleet.light_truck.scrap.pre3@2021", 0.4977)]);
        assert!(b[1].nox_total_t() < a[1].nox_total_t());
        assert!(b[5].nox_total_t() > a[5].nox_total_t());
        let cum = |l: &[Ledger]| l.iter().map(Ledger::nox_total_t).sum::<f64>();
        assert!(cum(&b) < cum(&a), "cumulative NOx still falls");
    }

    /// Prints the central-value table used in the report (`--nocapture`); asserts the base
    /// year has no reductions and the horizon has some.
    #[test]
    fn central_values_table() {
        let (ls, ws, h) = run_with(&[]);
        let names = [
            "Industry",
            "RoadTransport",
            "NonRoad",
            "SolventUse",
            "Process",
            "FuelDistribution",
        ];
        let idx = [2usize, 3, 4, 5, 6, 7];
        for (t, l) in [(0usize, &ls[0]), (5, &ls[5])] {
            println!("{}: NOx by sector (t)", l.year);
            for (n, &i) in names.iter().zip(&idx) {
                println!("  {n:18} NOx {:9.1}  VOCs {:9.1}", l.nox_t[i], l.vocs_t[i]);
            }
            println!(
                "  total              NOx {:9.1}  VOCs {:9.1}   frozen NOx {:9.1} VOCs {:9.1}",
                l.nox_total_t(),
                l.vocs_total_t(),
                l.frozen_t[1],
                l.frozen_t[2]
            );
            println!(
                "  transport oil {:.0} tce, industry fuel {:?} tce, extra electricity {:.3e} kWh",
                l.fuel_tce[3][1], l.fuel_tce[2], l.electricity_demand_kwh
            );
            for (m, w) in h.wedges.measures().iter().zip(&ws[t]) {
                println!("    wedge {:28} {:?} {:8.1}", m.id, m.pollutant, w);
            }
        }
        assert!(ws[0].iter().all(|w| w.abs() <= 1e-9 * 1e5));
        let key = |p: Pollutant| -> f64 {
            h.wedges
                .measures()
                .iter()
                .zip(&ws[5])
                .filter(|(m, _)| m.pollutant == p)
                .map(|(_, w)| w)
                .sum()
        };
        println!(
            "key-project reductions 2025: NOx {:.0} t, VOCs {:.0} t",
            key(Pollutant::Nox),
            key(Pollutant::Vocs)
        );
        assert!(key(Pollutant::Nox) > 0.0 && key(Pollutant::Vocs) > 0.0);
    }
}
