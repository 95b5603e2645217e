//! The per-year series the engine folds into distributions (MODEL.md §2 outputs).

use crate::model::indicators::Unit;
use crate::model::{EnergySector, Fuel, Ledger, PollutantSector};

/// One per-year output series read from a [`Ledger`].
#[derive(Debug, Clone, Copy)]
pub struct SeriesDef {
    /// Machine name with unit suffix, e.g. `co2_total_t`.
    pub name: &'static str,
    /// Unit.
    pub unit: Unit,
    /// English label.
    pub label_en: &'static str,
    /// Chinese label.
    pub label_zh: &'static str,
    /// Whether per-year quantiles are tracked (fan charts); otherwise moments only.
    pub quantiles: bool,
    /// Reads the value from a year's ledger (`base` is the base-year ledger).
    pub read: fn(&Ledger, &Ledger) -> f64,
}

fn ratio_change(num: f64, den: f64, num0: f64, den0: f64) -> f64 {
    if num0 > 0.0 && den0 > 0.0 && den > 0.0 {
        (num / den) / (num0 / den0) - 1.0
    } else {
        f64::NAN
    }
}

macro_rules! s {
    ($name:literal, $unit:expr, $en:literal, $zh:literal, $f:expr) => {
        SeriesDef {
            name: $name,
            unit: $unit,
            label_en: $en,
            label_zh: $zh,
            quantiles: false,
            read: $f,
        }
    };
    (q $name:literal, $unit:expr, $en:literal, $zh:literal, $f:expr) => {
        SeriesDef {
            name: $name,
            unit: $unit,
            label_en: $en,
            label_zh: $zh,
            quantiles: true,
            read: $f,
        }
    };
}

/// Series with per-year quantiles (fan charts) and means.
pub const SERIES: &[SeriesDef] = &[
    s!(q "gdp_yuan_1e8", Unit::Yuan1e8, "GDP (2020 prices)", "地区生产总值（2020年价）", |l, _| l.gdp_yuan_1e8),
    s!(q "energy_total_tce", Unit::Tce, "Energy consumption", "能源消费总量", |l, _| l.energy_total_tce),
    s!("energy_coal_tce", Unit::Tce, "Coal", "煤炭", |l, _| l
        .energy_by_carrier_tce[0]),
    s!(
        "energy_oil_tce",
        Unit::Tce,
        "Oil products",
        "油品",
        |l, _| l.energy_by_carrier_tce[1]
    ),
    s!(
        "energy_gas_tce",
        Unit::Tce,
        "Natural gas",
        "天然气",
        |l, _| l.energy_by_carrier_tce[2]
    ),
    s!(
        "energy_nonfossil_electricity_tce",
        Unit::Tce,
        "Local non-fossil electricity",
        "本地非化石电力",
        |l, _| l.energy_by_carrier_tce[3]
    ),
    s!(
        "energy_biomass_tce",
        Unit::Tce,
        "Biomass",
        "生物质",
        |l, _| l.energy_by_carrier_tce[4]
    ),
    s!(
        "energy_net_import_electricity_tce",
        Unit::Tce,
        "Net imported electricity",
        "净调入电力",
        |l, _| l.energy_by_carrier_tce[5]
    ),
    s!(
        "energy_gross_tce",
        Unit::Tce,
        "Energy consumption before the renewable deduction",
        "能源消费总量（不扣除新增可再生能源）",
        |l, _| l.energy_gross_tce
    ),
    s!(
        "energy_renewable_deduction_tce",
        Unit::Tce,
        "Renewable electricity deducted (increase over the base year)",
        "扣除的新增可再生能源电力",
        |l, _| l.energy_gross_tce - l.energy_total_tce
    ),
    // Memo item: straw and briquettes burnt, never energy consumption (MODEL.md §1).
    s!(
        "memo_biomass_burnt_tce",
        Unit::Tce,
        "Memo: straw and briquettes burnt (not counted in energy)",
        "备忘：秸秆及成型燃料消耗（不计入能耗）",
        |l, _| l.fuel_tce.iter().map(|s| s[Fuel::Biomass as usize]).sum()
    ),
    // On gross consumption, like the indicator (the renewable deduction is not applied to it).
    s!(q "nonfossil_share", Unit::Fraction, "Non-fossil share of energy", "非化石能源占比", |l, _| {
        if l.energy_gross_tce > 0.0 { l.nonfossil_primary_tce / l.energy_gross_tce } else { f64::NAN }
    }),
    s!(q "energy_intensity_change", Unit::Fraction, "Energy per GDP vs base year", "单位GDP能耗较基年变化", |l, b| {
        ratio_change(l.energy_total_tce, l.gdp_yuan_1e8, b.energy_total_tce, b.gdp_yuan_1e8)
    }),
    s!(q "co2_total_t", Unit::TonnesCo2, "Energy-related CO₂", "能源活动二氧化碳排放", |l, _| l.co2_total_t),
    s!(
        "co2_heat_t",
        Unit::TonnesCo2,
        "CO₂, heat supply",
        "二氧化碳：供热",
        |l, _| l.co2_t[EnergySector::Heat as usize]
    ),
    s!(
        "co2_power_t",
        Unit::TonnesCo2,
        "CO₂, power",
        "二氧化碳：电力",
        |l, _| l.co2_t[EnergySector::Power as usize]
    ),
    s!(
        "co2_industry_t",
        Unit::TonnesCo2,
        "CO₂, industry",
        "二氧化碳：工业",
        |l, _| l.co2_t[EnergySector::Industry as usize]
    ),
    s!(
        "co2_transport_t",
        Unit::TonnesCo2,
        "CO₂, transport",
        "二氧化碳：交通",
        |l, _| l.co2_t[EnergySector::Transport as usize]
    ),
    s!(
        "co2_residential_other_t",
        Unit::TonnesCo2,
        "CO₂, residential and other",
        "二氧化碳：居民及其他",
        |l, _| l.co2_t[EnergySector::Residential as usize]
    ),
    s!(
        "co2_imported_electricity_t",
        Unit::TonnesCo2,
        "CO₂, net imported electricity",
        "二氧化碳：净调入电力",
        |l, _| l.co2_t[5]
    ),
    s!(q "co2_intensity_change", Unit::Fraction, "CO₂ per GDP vs base year", "单位GDP二氧化碳排放较基年变化", |l, b| {
        ratio_change(l.co2_total_t, l.gdp_yuan_1e8, b.co2_total_t, b.gdp_yuan_1e8)
    }),
    s!(q "nox_total_t", Unit::Tonnes, "NOx emissions", "氮氧化物排放量", |l, _| l.nox_total_t()),
    s!(
        "nox_heat_t",
        Unit::Tonnes,
        "NOx, heat supply",
        "氮氧化物：供热",
        |l, _| l.nox_t[PollutantSector::Heat as usize]
    ),
    s!(
        "nox_power_t",
        Unit::Tonnes,
        "NOx, power",
        "氮氧化物：电力",
        |l, _| l.nox_t[PollutantSector::Power as usize]
    ),
    s!(
        "nox_industry_t",
        Unit::Tonnes,
        "NOx, industry",
        "氮氧化物：工业",
        |l, _| l.nox_t[PollutantSector::Industry as usize]
    ),
    s!(
        "nox_road_t",
        Unit::Tonnes,
        "NOx, road vehicles",
        "氮氧化物：道路机动车",
        |l, _| l.nox_t[PollutantSector::RoadTransport as usize]
    ),
    s!(
        "nox_nonroad_t",
        Unit::Tonnes,
        "NOx, non-road machinery",
        "氮氧化物：非道路机械",
        |l, _| l.nox_t[PollutantSector::NonRoad as usize]
    ),
    s!(
        "nox_residential_t",
        Unit::Tonnes,
        "NOx, residential",
        "氮氧化物：居民",
        |l, _| l.nox_t[PollutantSector::Residential as usize]
    ),
    s!(
        "nox_other_t",
        Unit::Tonnes,
        "NOx, other (residual)",
        "氮氧化物：其他（余项）",
        |l, _| l.nox_t[PollutantSector::Other as usize]
    ),
    s!(q "vocs_total_t", Unit::Tonnes, "VOCs emissions", "挥发性有机物排放量", |l, _| l.vocs_total_t()),
    s!(
        "vocs_solvent_t",
        Unit::Tonnes,
        "VOCs, solvent use",
        "VOCs：溶剂使用",
        |l, _| l.vocs_t[PollutantSector::SolventUse as usize]
    ),
    s!(
        "vocs_process_t",
        Unit::Tonnes,
        "VOCs, industrial processes",
        "VOCs：工业过程",
        |l, _| l.vocs_t[PollutantSector::Process as usize]
    ),
    s!(
        "vocs_fuel_distribution_t",
        Unit::Tonnes,
        "VOCs, fuel distribution",
        "VOCs：油品储运销",
        |l, _| l.vocs_t[PollutantSector::FuelDistribution as usize]
    ),
    s!(
        "vocs_road_t",
        Unit::Tonnes,
        "VOCs, road vehicles",
        "VOCs：道路机动车",
        |l, _| l.vocs_t[PollutantSector::RoadTransport as usize]
    ),
    s!(
        "vocs_other_t",
        Unit::Tonnes,
        "VOCs, other (residual)",
        "VOCs：其他（余项）",
        |l, _| {
            l.vocs_t[PollutantSector::Other as usize]
                + l.vocs_t[PollutantSector::Heat as usize]
                + l.vocs_t[PollutantSector::Power as usize]
                + l.vocs_t[PollutantSector::Industry as usize]
                + l.vocs_t[PollutantSector::NonRoad as usize]
                + l.vocs_t[PollutantSector::Residential as usize]
        }
    ),
    // A planner's warning (MODEL.md §3.2): biomass CHP heat its county town cannot take.
    s!(
        "biomass_heat_wasted_mwh",
        Unit::MWh,
        "Biomass CHP heat wasted (more than its town needs)",
        "生物质热电联产弃热（超出所在县城需求）",
        |l, _| l.county.wasted_gj() / 3.6
    ),
    s!(
        "co2_frozen_t",
        Unit::TonnesCo2,
        "CO₂ with 2020 technology",
        "二氧化碳（冻结2020年技术）",
        |l, _| l.frozen_t[0]
    ),
    s!(
        "nox_frozen_t",
        Unit::Tonnes,
        "NOx with 2020 technology and controls",
        "氮氧化物（冻结2020年技术）",
        |l, _| l.frozen_t[1]
    ),
    s!(
        "vocs_frozen_t",
        Unit::Tonnes,
        "VOCs with 2020 technology and controls",
        "VOCs（冻结2020年技术）",
        |l, _| l.frozen_t[2]
    ),
];

/// Number of series.
pub const N_SERIES: usize = SERIES.len();

/// Every series' value in one year, in [`SERIES`] order: the same functions as `read`,
/// called through the constant table so the compiler can inline them (no indirect calls in
/// the engine's per-draw loop).
#[inline]
pub fn read_all(l: &Ledger, base: &Ledger, out: &mut [f64; N_SERIES]) {
    const READS: [fn(&Ledger, &Ledger) -> f64; N_SERIES] = {
        let mut r: [fn(&Ledger, &Ledger) -> f64; N_SERIES] = [|_, _| 0.0; N_SERIES];
        let mut i = 0;
        while i < N_SERIES {
            r[i] = SERIES[i].read;
            i += 1;
        }
        r
    };
    for (o, f) in out.iter_mut().zip(READS) {
        *o = f(l, base);
    }
}
