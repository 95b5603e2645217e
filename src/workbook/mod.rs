//! Excel workbooks for people who work in Excel or WPS (issue 23): the input template a climate
//! office fills from its yearbook ([`template`]) and reading it back into a child scenario
//! ([`import`]). The layout below is shared by both, so a template always imports.

pub mod import;
pub mod template;

use sha2::{Digest, Sha256};

use crate::scenario::{DistSpec, Scenario, Status};

/// The sheet of every resolved input, one row each (errors cite it as `'Inputs'!F23`).
pub const INPUTS_SHEET: &str = "Inputs";
/// The sheet of base-year statistics a city office has (Excel forbids `/` in sheet names).
pub const YEARBOOK_SHEET: &str = "基年统计 Yearbook";
/// The instructions.
pub const HOWTO_SHEET: &str = "说明 How to";
/// A hidden sheet marking the workbook as a tanfeng template, with the scenario it was made from.
pub const META_SHEET: &str = "tanfeng";
/// First cell of the meta sheet; its value is [`FORMAT`].
pub const META_MARK: &str = "tanfeng template";
/// Version of the template layout.
pub const FORMAT: &str = "1";

/// The columns of the Inputs sheet, in order: (key used in messages, header text).
pub const INPUT_COLUMNS: [(&str, &str); 24] = [
    ("id", "id"),
    ("name_zh", "中文名称"),
    ("name_en", "English name"),
    ("sector", "部门 sector"),
    ("unit", "单位 unit"),
    ("status", "状态 status"),
    ("source", "来源 source"),
    ("dist", "分布 distribution"),
    ("value", "value"),
    ("mean", "mean"),
    ("sd", "sd"),
    ("median", "median"),
    ("gsd", "gsd"),
    ("low95", "low95"),
    ("high95", "high95"),
    ("min", "min"),
    ("mode", "mode"),
    ("max", "max"),
    ("alpha", "alpha"),
    ("beta", "beta"),
    ("values", "values (a; b; c)"),
    ("probs", "probs (a; b; c)"),
    ("central", "中心值 central (not read)"),
    ("note", "备注 note"),
];

/// Index of an Inputs column by key.
pub fn col(key: &str) -> u16 {
    INPUT_COLUMNS
        .iter()
        .position(|(k, _)| *k == key)
        .map_or(u16::MAX, |i| i as u16)
}

/// The distribution keywords of the `dist` column (`constant` for a fixed value).
pub const DISTRIBUTIONS: [&str; 8] = [
    "constant",
    "normal",
    "lognormal",
    "triangular",
    "pert",
    "uniform",
    "beta",
    "discrete",
];

/// The columns of the Yearbook sheet: (key, header).
pub const YEARBOOK_COLUMNS: [(&str, &str); 8] = [
    ("item_zh", "项目"),
    ("item_en", "item"),
    ("id", "输入 input id"),
    ("unit", "单位 unit"),
    ("current", "当前值 current value"),
    ("yearbook", "年鉴值 yearbook value"),
    ("table_page", "表/页 table/page"),
    ("note", "说明 note"),
];

/// Index of a Yearbook column by key.
pub fn ycol(key: &str) -> u16 {
    YEARBOOK_COLUMNS
        .iter()
        .position(|(k, _)| *k == key)
        .map_or(u16::MAX, |i| i as u16)
}

/// What kind of statistic a yearbook figure is, which decides the uncertainty it gets
/// (DATA.md §7, IPCC 2006 Vol. 1 Ch. 3 unless noted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatKind {
    /// Activity data (energy, shares, area, vehicles, electricity, capacity): ±5 % (95 %).
    Activity,
    /// A NOx total: China NOx inventory −13 %/+37 % (Zhao et al. 2011, ACP 11:2295), lognormal.
    NoxTotal,
    /// A VOCs total: −51 %/+133 %, lognormal (China 2005 inventory).
    VocsTotal,
    /// A check value, not an input (DATA.md §3: the non-fossil share follows from the
    /// generation inputs); recorded in the child scenario's description only.
    Check,
}

/// One row of the Yearbook sheet.
#[derive(Debug, Clone, Copy)]
pub struct YearbookItem {
    /// Chinese item name as a yearbook has it.
    pub zh: &'static str,
    /// English item name.
    pub en: &'static str,
    /// The input it sets (empty for a check value).
    pub input: &'static str,
    /// Kind of statistic.
    pub kind: StatKind,
    /// Inputs subtracted from the yearbook figure to give the input (civil vehicles less the
    /// segments counted separately give private cars), at their central values.
    pub less: &'static [&'static str],
    /// Unit and meaning, for the note column.
    pub note: &'static str,
}

/// The base-year statistics a city office has (issue 23; DATA.md §3).
pub const YEARBOOK: &[YearbookItem] = &[
    YearbookItem {
        zh: "万元GDP能耗",
        en: "energy use per 10,000 yuan of GDP",
        input: "calibration.energy_intensity_tce_per_1e4_yuan",
        kind: StatKind::Activity,
        less: &[],
        note: "tce per 万元 at base-year prices; total energy = this × GDP",
    },
    YearbookItem {
        zh: "煤炭占能源消费比重",
        en: "coal share of energy use",
        input: "calibration.coal_share",
        kind: StatKind::Activity,
        less: &[],
        note: "fraction: 0.65 for 65 %",
    },
    YearbookItem {
        zh: "石油占能源消费比重",
        en: "oil share of energy use",
        input: "calibration.oil_share",
        kind: StatKind::Activity,
        less: &[],
        note: "fraction",
    },
    YearbookItem {
        zh: "天然气占能源消费比重",
        en: "natural gas share of energy use",
        input: "calibration.gas_share",
        kind: StatKind::Activity,
        less: &[],
        note: "fraction",
    },
    YearbookItem {
        zh: "非化石能源占比",
        en: "non-fossil share of energy use",
        input: "",
        kind: StatKind::Check,
        less: &[],
        note: "check value, not an input (DATA.md §3): it follows from wind, solar, hydro and imports; recorded in the scenario's description",
    },
    YearbookItem {
        zh: "氮氧化物排放总量",
        en: "NOx emissions",
        input: "calibration.nox_base_t",
        kind: StatKind::NoxTotal,
        less: &[],
        note: "t (环境统计)",
    },
    YearbookItem {
        zh: "挥发性有机物排放总量",
        en: "VOCs emissions",
        input: "calibration.vocs_base_t",
        kind: StatKind::VocsTotal,
        less: &[],
        note: "t",
    },
    YearbookItem {
        zh: "城区集中供热面积",
        en: "district-heated floor area, central city",
        input: "heating.area_base_m2",
        kind: StatKind::Activity,
        less: &[],
        note: "m² (not 万m²)",
    },
    YearbookItem {
        zh: "县城集中供热面积",
        en: "district-heated floor area, county towns",
        input: "heating.county.area_base_m2",
        kind: StatKind::Activity,
        less: &[],
        note: "m², the 11 county towns together",
    },
    YearbookItem {
        zh: "民用汽车拥有量",
        en: "civil vehicles",
        input: "fleet.private_car.stock_2020",
        kind: StatKind::Activity,
        less: &[
            "fleet.taxi.stock_2020",
            "fleet.bus.stock_2020",
            "fleet.light_truck.stock_2020",
            "fleet.heavy_truck.stock_2020",
        ],
        note: "vehicles; private cars = this − taxis − buses − light and heavy trucks (their central values)",
    },
    YearbookItem {
        zh: "全社会用电量",
        en: "electricity consumption",
        input: "power.demand_base_kwh",
        kind: StatKind::Activity,
        less: &[],
        note: "kWh (1亿kWh = 1e8 kWh)",
    },
    YearbookItem {
        zh: "风电装机容量",
        en: "wind capacity",
        input: "power.wind_base_mw",
        kind: StatKind::Activity,
        less: &[],
        note: "MW",
    },
    YearbookItem {
        zh: "光伏装机容量",
        en: "solar capacity",
        input: "power.solar_base_mw",
        kind: StatKind::Activity,
        less: &[],
        note: "MW",
    },
];

/// The distribution a yearbook value `x` gets: the uncertainty DATA.md §7 gives a statistic of
/// its kind, never zero. `scale` is the figure the relative uncertainty applies to (the
/// yearbook total when the input is a remainder of it).
pub fn statistic_spec(kind: StatKind, x: f64, scale: f64) -> DistSpec {
    match kind {
        StatKind::Activity | StatKind::Check => DistSpec::Normal {
            mean: x,
            sd: 0.05 * scale.abs() / 1.96,
        },
        StatKind::NoxTotal => DistSpec::LogNormal95 {
            low: 0.87 * x,
            high: 1.37 * x,
        },
        StatKind::VocsTotal => DistSpec::LogNormal95 {
            low: 0.49 * x,
            high: 2.33 * x,
        },
    }
}

/// Where the uncertainty of [`statistic_spec`] comes from, for the note of the input.
pub fn statistic_basis(kind: StatKind) -> &'static str {
    match kind {
        StatKind::Activity | StatKind::Check => {
            "uncertainty ±5 % (95 %), activity data, DATA.md §7 (IPCC 2006 Vol. 1 Ch. 3)"
        }
        StatKind::NoxTotal => {
            "uncertainty −13 %/+37 % (95 %, lognormal), China NOx inventory, DATA.md §7 (Zhao et al. 2011)"
        }
        StatKind::VocsTotal => {
            "uncertainty −51 %/+133 % (95 %, lognormal), China VOCs inventory, DATA.md §7"
        }
    }
}

/// Chinese and English name of a sector (the first part of an input id).
pub fn sector_name(sector: &str) -> (&str, &str) {
    match sector {
        "economy" => ("经济", "economy"),
        "heating" => ("供热", "heating"),
        "biomass_chp" => ("生物质热电联产", "biomass CHP"),
        "power" => ("电力", "power"),
        "residential" => ("居民与商业", "residential and commercial"),
        "accounting" => ("核算", "accounting"),
        "calibration" => ("基年校准", "base-year calibration"),
        "fleet" => ("机动车", "road vehicles"),
        "nonroad" => ("非道路机械", "non-road machinery"),
        "industry" => ("工业", "industry"),
        "vocs" => ("挥发性有机物", "VOCs"),
        other => (other, other),
    }
}

/// SHA-256 of a scenario's resolved inputs (name, distribution, unit, status, source, note of
/// every input), ids and titles excluded: equal for a template's scenario and its import.
pub fn inputs_sha256(s: &Scenario) -> String {
    let mut h = Sha256::new();
    for p in &s.params {
        let pr = &p.provenance;
        h.update(
            format!(
                "{}\u{1f}{:?}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{:?}\u{1e}",
                p.name,
                p.spec,
                p.unit,
                pr.status.as_str(),
                pr.source,
                pr.note
            )
            .as_bytes(),
        );
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The status keyword of a cell, if it is one.
pub fn parse_status(s: &str) -> Option<Status> {
    [
        Status::Plan,
        Status::Statistic,
        Status::Derived,
        Status::Assumption,
    ]
    .into_iter()
    .find(|st| st.as_str() == s)
}

/// A1-style reference of a 0-based cell on a sheet: `'Inputs'!F23`.
pub fn cell_ref(sheet: &str, row: u32, col: u16) -> String {
    format!("'{sheet}'!{}{}", col_letters(col), row + 1)
}

/// Column letters of a 0-based column (0 → A, 26 → AA).
pub fn col_letters(col: u16) -> String {
    let mut n = u32::from(col) + 1;
    let mut s = Vec::new();
    while n > 0 {
        let r = ((n - 1) % 26) as u8;
        s.push(char::from(b'A' + r));
        n = (n - 1) / 26;
    }
    s.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references_are_excel_s() {
        assert_eq!(cell_ref(INPUTS_SHEET, 22, 5), "'Inputs'!F23");
        assert_eq!(col_letters(25), "Z");
        assert_eq!(col_letters(26), "AA");
        assert_eq!(col_letters(27), "AB");
    }

    #[test]
    fn every_yearbook_item_is_an_input_of_every_shipped_scenario() {
        for id in crate::scenario::embedded::ids() {
            let s = crate::scenario::load_embedded(id).expect("shipped loads");
            for y in YEARBOOK {
                for name in std::iter::once(&y.input).chain(y.less) {
                    if !name.is_empty() {
                        assert!(s.param(name).is_some(), "{id}: {name}");
                    }
                }
            }
        }
    }
}
