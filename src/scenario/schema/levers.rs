//! The planner's levers: which scenario inputs the `serve` workbench puts on the page, grouped
//! as the plan is. Data, not page code: a lever names a pattern of inputs (see the module docs
//! of [`super`]: `*` matches one item id), a group, human names and how it is edited.

/// The plan's groups of measures, in the order the page shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LeverGroup {
    /// Heat supply and coal boilers.
    HeatBoilers,
    /// Biomass combined heat and power.
    BiomassChp,
    /// Power and renewables.
    PowerRenewables,
    /// Industry.
    Industry,
    /// Vehicles and non-road machinery.
    VehiclesMachinery,
    /// Volatile organic compounds.
    Vocs,
    /// Economy.
    Economy,
}

impl LeverGroup {
    /// All groups in page order.
    pub const ALL: [LeverGroup; 7] = [
        LeverGroup::HeatBoilers,
        LeverGroup::BiomassChp,
        LeverGroup::PowerRenewables,
        LeverGroup::Industry,
        LeverGroup::VehiclesMachinery,
        LeverGroup::Vocs,
        LeverGroup::Economy,
    ];
    /// (Chinese, English) heading.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            LeverGroup::HeatBoilers => ("供热与燃煤锅炉", "Heat and boilers"),
            LeverGroup::BiomassChp => ("生物质热电联产", "Biomass CHP"),
            LeverGroup::PowerRenewables => ("电力与可再生能源", "Power and renewables"),
            LeverGroup::Industry => ("工业", "Industry"),
            LeverGroup::VehiclesMachinery => ("机动车与非道路机械", "Vehicles and machinery"),
            LeverGroup::Vocs => ("挥发性有机物", "VOCs"),
            LeverGroup::Economy => ("经济", "Economy"),
        }
    }
}

/// How a lever moves its inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LeverKind {
    /// One input: its distribution's own parameters are edited (family kept), or the whole
    /// distribution shifted.
    Value,
    /// A completion or commissioning date (or delay) of one or more inputs, shifted by whole
    /// months; inputs in years move by months / 12.
    DateShiftMonths,
}

/// One lever.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Lever {
    /// Short id used by the page and in saved scenarios' sources.
    pub id: &'static str,
    /// Group.
    pub group: LeverGroup,
    /// Input name pattern (`*` = any item id); a `Value` lever must match exactly one input.
    pub pattern: &'static str,
    /// Chinese name.
    pub name_zh: &'static str,
    /// English name.
    pub name_en: &'static str,
    /// How it is edited.
    pub kind: LeverKind,
}

/// The levers of the Qiqihar plan model, in page order.
pub const LEVERS: &[Lever] = &[
    Lever {
        id: "boiler_phaseout_completion",
        group: LeverGroup::HeatBoilers,
        pattern: "heating.boiler_group.city_10_35_a.completion",
        name_zh: "10–35 蒸吨锅炉淘汰完成率（城区 A 组）",
        name_en: "10–35 t/h boiler phase-out completion (city group A)",
        kind: LeverKind::Value,
    },
    Lever {
        id: "biomass_delay",
        group: LeverGroup::BiomassChp,
        pattern: "biomass_chp.plant.*.delay_months",
        name_zh: "生物质热电项目投产延迟（全部电厂）",
        name_en: "Biomass commissioning delay (all plants)",
        kind: LeverKind::DateShiftMonths,
    },
    Lever {
        id: "biomass_capacity_factor",
        group: LeverGroup::BiomassChp,
        pattern: "biomass_chp.capacity_factor",
        name_zh: "生物质电厂容量系数",
        name_en: "Biomass plant capacity factor",
        kind: LeverKind::Value,
    },
    Lever {
        id: "solar_new_2025",
        group: LeverGroup::PowerRenewables,
        pattern: "power.solar_new_mw@2025",
        name_zh: "2025 年新增光伏装机",
        name_en: "Solar capacity added by 2025",
        kind: LeverKind::Value,
    },
    Lever {
        id: "wind_new_2025",
        group: LeverGroup::PowerRenewables,
        pattern: "power.wind_new_mw@2025",
        name_zh: "2025 年新增风电装机",
        name_en: "Wind capacity added by 2025",
        kind: LeverKind::Value,
    },
    Lever {
        id: "industry_electrification_2025",
        group: LeverGroup::Industry,
        pattern: "industry.shift_to_electricity@2025",
        name_zh: "2025 年工业用能电气化转移",
        name_en: "Industrial energy shifted to electricity by 2025",
        kind: LeverKind::Value,
    },
    Lever {
        id: "kiln_upgrade_2025",
        group: LeverGroup::Industry,
        pattern: "industry.kiln.upgraded_share@2025",
        name_zh: "2025 年窑炉改造比例",
        name_en: "Kilns upgraded by 2025",
        kind: LeverKind::Value,
    },
    Lever {
        id: "sinter_completion",
        group: LeverGroup::Industry,
        pattern: "industry.sinter.completion",
        name_zh: "烧结机超低排放改造完成时间",
        name_en: "Sinter ultra-low-emission retrofit completion",
        kind: LeverKind::DateShiftMonths,
    },
    Lever {
        id: "car_nev_share_2025",
        group: LeverGroup::VehiclesMachinery,
        pattern: "fleet.private_car.nev_share_new@2025",
        name_zh: "2025 年新购私家车新能源占比",
        name_en: "New-energy share of new private cars in 2025",
        kind: LeverKind::Value,
    },
    Lever {
        id: "nonroad_stage4_date",
        group: LeverGroup::VehiclesMachinery,
        pattern: "nonroad.date.stage4",
        name_zh: "非道路机械国四标准实施时间",
        name_en: "Non-road machinery Stage IV start",
        kind: LeverKind::DateShiftMonths,
    },
    Lever {
        id: "petrochemical_removal_2025",
        group: LeverGroup::Vocs,
        pattern: "vocs.process.petrochemical.removal@2025",
        name_zh: "2025 年石化行业 VOCs 去除率",
        name_en: "Petrochemical VOCs removal in 2025",
        kind: LeverKind::Value,
    },
    Lever {
        id: "industry_va_growth",
        group: LeverGroup::Economy,
        pattern: "economy.industry_va_growth",
        name_zh: "工业增加值增速",
        name_en: "Industrial value-added growth",
        kind: LeverKind::Value,
    },
    Lever {
        id: "gdp_growth_2025",
        group: LeverGroup::Economy,
        pattern: "economy.gdp_growth@2025",
        name_zh: "2025 年 GDP 增速",
        name_en: "GDP growth in 2025",
        kind: LeverKind::Value,
    },
];

/// A lever by id.
pub fn lever(id: &str) -> Option<&'static Lever> {
    LEVERS.iter().find(|l| l.id == id)
}

/// Whether a full input name matches a lever pattern: segments compared one by one, `*`
/// matching any one segment (the `@YEAR` suffix belongs to the last segment).
pub fn matches(pattern: &str, name: &str) -> bool {
    let (mut p, mut n) = (pattern.split('.'), name.split('.'));
    loop {
        match (p.next(), n.next()) {
            (None, None) => return true,
            (Some("*"), Some(s)) if !s.is_empty() && !s.contains('@') => {}
            (Some(a), Some(b)) if a == b => {}
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_whole_segments() {
        assert!(matches(
            "biomass_chp.plant.*.delay_months",
            "biomass_chp.plant.tailai.delay_months"
        ));
        assert!(!matches(
            "biomass_chp.plant.*.delay_months",
            "biomass_chp.plant.tailai.capacity_mw"
        ));
        assert!(!matches(
            "power.solar_new_mw@2025",
            "power.solar_new_mw@2020"
        ));
        assert!(matches(
            "power.solar_new_mw@2025",
            "power.solar_new_mw@2025"
        ));
        assert!(!matches("economy.gdp", "economy.gdp.x"));
    }

    #[test]
    fn every_lever_names_inputs_of_the_plan() {
        let plan = crate::scenario::load_embedded("plan").expect("plan loads");
        let mut ids: Vec<&str> = LEVERS.iter().map(|l| l.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), LEVERS.len(), "lever ids are unique");
        for l in LEVERS {
            let n = plan
                .params
                .iter()
                .filter(|p| matches(l.pattern, &p.name))
                .count();
            assert!(n >= 1, "lever {} matches no input of plan", l.id);
            if l.kind == LeverKind::Value {
                assert_eq!(n, 1, "value lever {} must match one input", l.id);
            }
        }
    }
}
