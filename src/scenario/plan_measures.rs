//! Every measure of the plan text that bears on energy, CO₂, NOx or VOCs, in the plan's own
//! words, with whether the model counts it (MODEL.md §3.8), so a planner sees what the numbers
//! leave out. Quotes are verbatim from 《齐齐哈尔市生态环境保护"十四五"规划》 (2022-05-09);
//! `scripts/check-plan-quotes.sh` checks them against the plan text.

/// Whether and how the model counts a measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeasureStatus {
    /// Counted: the model's measures or inputs that carry it.
    Modelled {
        /// Measure ids or id prefixes (e.g. `fleet.china6`), or input names (e.g.
        /// `industry.efficiency_gain`) where an input rather than a measure carries it.
        carried_by: &'static [&'static str],
    },
    /// Not counted, with the reason.
    NotModelled {
        /// Reason in Chinese.
        reason_zh: &'static str,
        /// Reason in English.
        reason_en: &'static str,
    },
    /// Outside the key-project ledger; reported as a memo item or check only.
    Memo {
        /// What is reported, in Chinese.
        reason_zh: &'static str,
        /// What is reported, in English.
        reason_en: &'static str,
    },
}

impl MeasureStatus {
    /// Short label: `modelled`, `not modelled`, `memo`.
    pub fn label_en(&self) -> &'static str {
        match self {
            MeasureStatus::Modelled { .. } => "modelled",
            MeasureStatus::NotModelled { .. } => "not modelled",
            MeasureStatus::Memo { .. } => "memo",
        }
    }
    /// Short label in Chinese.
    pub fn label_zh(&self) -> &'static str {
        match self {
            MeasureStatus::Modelled { .. } => "已建模",
            MeasureStatus::NotModelled { .. } => "未建模",
            MeasureStatus::Memo { .. } => "备忘项",
        }
    }
}

/// One measure as the plan states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanMeasure {
    /// Where in the plan (chapter and section, or the box).
    pub section: &'static str,
    /// The plan's words, verbatim (a substring of the plan text).
    pub quote_zh: &'static str,
    /// English gloss.
    pub gloss_en: &'static str,
    /// Whether the model counts it.
    pub status: MeasureStatus,
}

const fn modelled(carried_by: &'static [&'static str]) -> MeasureStatus {
    MeasureStatus::Modelled { carried_by }
}

const fn not_modelled(reason_zh: &'static str, reason_en: &'static str) -> MeasureStatus {
    MeasureStatus::NotModelled {
        reason_zh,
        reason_en,
    }
}

const fn memo(reason_zh: &'static str, reason_en: &'static str) -> MeasureStatus {
    MeasureStatus::Memo {
        reason_zh,
        reason_en,
    }
}

const NO_ACTIVITY_ZH: &str = "规划未给出规模或活动水平数据，无法核算";
const NO_ACTIVITY_EN: &str = "the plan gives no size or activity data to count it by";
const OUTSIDE_ZH: &str = "不涉及二氧化碳、氮氧化物或挥发性有机物排放量";
const OUTSIDE_EN: &str = "does not change CO₂, NOx or VOCs emissions";
const ENFORCEMENT_ZH: &str = "执法监管类措施，缺少超标排放比例数据";
const ENFORCEMENT_EN: &str = "enforcement; no data on the share of non-compliant sources";

/// The plan's measures, in the plan's order.
pub const PLAN_MEASURES: &[PlanMeasure] = &[
    PlanMeasure {
        section: "第三章第一节",
        quote_zh: "推广应用高效锅炉、变频电机等高能效设备",
        gloss_en: "efficient boilers, variable-frequency motors and other efficient equipment",
        status: modelled(&["industry.efficiency_gain"]),
    },
    PlanMeasure {
        section: "第三章第一节",
        quote_zh: "加大既有建筑节能改造力度",
        gloss_en: "more energy retrofits of existing buildings",
        status: modelled(&["building_efficiency"]),
    },
    PlanMeasure {
        section: "第三章第三节",
        quote_zh: "大力发展风电、太阳能、生物质等可再生能源",
        gloss_en: "develop wind, solar, biomass and other renewables",
        status: modelled(&["renewables"]),
    },
    PlanMeasure {
        section: "第三章第三节",
        quote_zh: "因地制宜建设一批“光伏+屋顶”分布式发电项目",
        gloss_en: "rooftop distributed PV projects",
        status: modelled(&["renewables"]),
    },
    PlanMeasure {
        section: "第三章第三节",
        quote_zh: "推广“太阳能+”多能互补热利用模式供热",
        gloss_en: "solar-plus multi-energy heat supply",
        status: not_modelled(NO_ACTIVITY_ZH, NO_ACTIVITY_EN),
    },
    PlanMeasure {
        section: "第三章第三节",
        quote_zh: "统筹规划建设生物质热电联产作为县城及周边乡镇的集中热源",
        gloss_en: "biomass CHP as the central heat source of county towns and nearby townships",
        status: modelled(&["biomass_chp", "heating.county"]),
    },
    PlanMeasure {
        section: "第三章第三节",
        quote_zh: "采用生物质锅炉和生物质节能环保炉具为农户分散供暖",
        gloss_en: "biomass boilers and clean biomass stoves for rural households",
        status: modelled(&["clean_heating"]),
    },
    PlanMeasure {
        section: "第三章第三节",
        quote_zh: "建设垃圾发电项目",
        gloss_en: "waste-to-energy plants",
        status: not_modelled(NO_ACTIVITY_ZH, NO_ACTIVITY_EN),
    },
    PlanMeasure {
        section: "第三章第三节",
        quote_zh: "积极推广生物质成型燃料规模化、产业化发展",
        gloss_en: "scale up biomass briquette fuel",
        status: modelled(&["clean_heating"]),
    },
    PlanMeasure {
        section: "第三章第三节",
        quote_zh: "加快推进工业燃料和交通燃油替代",
        gloss_en: "replace industrial fuel and transport fuel oil (with gas)",
        status: modelled(&["industry.fuel_switch"]),
    },
    PlanMeasure {
        section: "专栏1（一）",
        quote_zh: "计划开展火电、供暖、焦化等重点项目整治工程",
        gloss_en: "treatment projects for thermal power, heat supply and coking (coking modelled; power and heat plants already met their limits in 2020)",
        status: modelled(&["industry.coking_treatment"]),
    },
    PlanMeasure {
        section: "专栏1（一）",
        quote_zh: "计划开展水泥、砖瓦窑、粮食深加工等工业窑炉淘汰改造项目",
        gloss_en: "phase out or upgrade cement, brick and grain-processing kilns",
        status: modelled(&["industry.kiln_upgrade"]),
    },
    PlanMeasure {
        section: "专栏1（二）",
        quote_zh: "泰来县、克东县建成投用2座生物质热电联产电站",
        gloss_en: "biomass CHP plants: Tailai, Kedong, Fuyu, Longjiang, Nianzishan, Yi'an ×2, Nehe (455 MW)",
        status: modelled(&["biomass_chp"]),
    },
    PlanMeasure {
        section: "第四章第二节",
        quote_zh: "开展水泥生产原料替代技术",
        gloss_en: "alternative raw materials for cement",
        status: not_modelled(
            "工业过程排放不在能源活动二氧化碳核算边界内",
            "process emissions are outside the energy-related CO₂ boundary",
        ),
    },
    PlanMeasure {
        section: "第四章第二节",
        quote_zh: "推动有条件的行业开展二氧化碳捕集、利用与封存全流程示范工程",
        gloss_en: "CCUS demonstration projects",
        status: not_modelled(NO_ACTIVITY_ZH, NO_ACTIVITY_EN),
    },
    PlanMeasure {
        section: "第四章第二节",
        quote_zh: "推广节能和新能源车辆",
        gloss_en: "efficient and new-energy vehicles",
        status: modelled(&["fleet.nev"]),
    },
    PlanMeasure {
        section: "第四章第二节",
        quote_zh: "城镇新建建筑中绿色建筑面积占比达到70%",
        gloss_en: "70 % of new urban buildings green",
        status: modelled(&["building_efficiency"]),
    },
    PlanMeasure {
        section: "第五章第二节",
        quote_zh: "推进《齐齐哈尔市关于散煤污染治理“三重一改”攻坚行动实施方案（2020—2022年）》",
        gloss_en: "the city's scattered-coal action plan (2020–2022)",
        status: modelled(&["clean_heating"]),
    },
    PlanMeasure {
        section: "第五章第二节",
        quote_zh: "制定煤炭消费总量控制和煤质种类控制方案",
        gloss_en: "caps on coal consumption and coal quality",
        status: not_modelled("规划未给出煤炭消费总量上限", "the plan states no coal cap"),
    },
    PlanMeasure {
        section: "第五章第二节",
        quote_zh: "坚决杜绝建成区内使用10蒸吨及以下燃煤锅炉",
        gloss_en: "no coal boilers of 10 t/h or less in built-up areas",
        status: modelled(&["boiler_phaseout"]),
    },
    PlanMeasure {
        section: "第五章第二节",
        quote_zh: "超过600公里运距、燃用低质煤炭的锅炉全部改造成使用标准煤炭的锅炉",
        gloss_en: "boilers burning low-quality coal hauled over 600 km switched to standard coal",
        status: not_modelled(
            "缺少煤质和相关锅炉数据",
            "no data on coal quality or the boilers concerned",
        ),
    },
    PlanMeasure {
        section: "第五章第二节",
        quote_zh: "2025年，城区集中供热普及率达到87%以上",
        gloss_en: "urban central-heating coverage ≥ 87 % by 2025",
        status: not_modelled(
            "普及率是热网与锅炉替代的结果，未单独核对",
            "coverage follows from the heat network and boiler replacement; not checked separately",
        ),
    },
    PlanMeasure {
        section: "第五章第二节",
        quote_zh: "20蒸吨及以上燃煤锅炉确保全面稳定达标排放",
        gloss_en: "coal boilers of 20 t/h and more meet their limits stably",
        status: not_modelled(
            "维持2020年已有的达标水平，相对2020年无减排量",
            "keeps the 2020 compliance; no reduction against 2020",
        ),
    },
    PlanMeasure {
        section: "第五章第二节",
        quote_zh: "逐步淘汰城市建成区内10蒸吨以上、35蒸吨以下燃煤锅炉",
        gloss_en: "phase out 10–35 t/h coal boilers in built-up areas",
        status: modelled(&["boiler_phaseout"]),
    },
    PlanMeasure {
        section: "第五章第二节",
        quote_zh: "推进小型燃煤锅炉全部实施清洁能源改造",
        gloss_en: "convert all small coal boilers to clean energy",
        status: modelled(&["boiler_phaseout"]),
    },
    PlanMeasure {
        section: "第五章第三节",
        quote_zh: "2025年完成建龙北满烧结机脱硝项目",
        gloss_en: "Jianlong Beiman sintering-machine denitrification by 2025",
        status: modelled(&["industry.sinter_denox"]),
    },
    PlanMeasure {
        section: "第五章第三节",
        quote_zh: "开展挥发性有机物摸底调查",
        gloss_en: "survey of VOCs sources",
        status: not_modelled(
            "调查与清单编制，本身不减排",
            "a survey and inventory; reduces nothing by itself",
        ),
    },
    PlanMeasure {
        section: "第五章第三节",
        quote_zh: "实施低挥发性有机物含量涂料替代",
        gloss_en: "substitute low-VOC coatings",
        status: modelled(&["vocs.substitution.coatings"]),
    },
    PlanMeasure {
        section: "第五章第三节",
        quote_zh: "全部完成加油站、储油库、油罐车油气回收治理",
        gloss_en: "vapour recovery at all filling stations, depots and tank trucks",
        status: modelled(&["vocs.vapour_recovery"]),
    },
    PlanMeasure {
        section: "第五章第三节",
        quote_zh: "推广使用水性涂料",
        gloss_en: "water-based coatings",
        status: modelled(&["vocs.substitution.coatings"]),
    },
    PlanMeasure {
        section: "第五章第四节",
        quote_zh: "常态化开展联合路检路查，严厉打击超标排放等违法行为",
        gloss_en: "routine joint roadside checks against excess emissions",
        status: not_modelled(ENFORCEMENT_ZH, ENFORCEMENT_EN),
    },
    PlanMeasure {
        section: "第五章第四节",
        quote_zh: "营运老旧柴油货车",
        gloss_en: "replacement targets for old commercial diesel trucks",
        status: modelled(&["fleet.scrappage"]),
    },
    PlanMeasure {
        section: "第五章第四节",
        quote_zh: "营运燃气车辆淘汰更新",
        gloss_en: "replacement of commercial gas vehicles (the CNG taxis)",
        status: modelled(&["fleet.gas_taxi_replacement"]),
    },
    PlanMeasure {
        section: "第五章第四节",
        quote_zh: "未经编码登记的非道路移动机械不得开展施工作业",
        gloss_en: "unregistered non-road machinery may not work on construction sites",
        status: not_modelled(ENFORCEMENT_ZH, ENFORCEMENT_EN),
    },
    PlanMeasure {
        section: "第五章第四节",
        quote_zh: "在划定的重点区域禁止使用高排放非道路移动机械",
        gloss_en: "high-emission non-road machinery banned in designated zones",
        status: not_modelled(
            "禁用区范围和受影响机械数量未知",
            "the zones and the machinery affected are not known",
        ),
    },
    PlanMeasure {
        section: "第五章第四节",
        quote_zh: "严厉打击生产、销售、储存和使用不合格油品行为",
        gloss_en: "crack down on substandard fuel",
        status: not_modelled(ENFORCEMENT_ZH, ENFORCEMENT_EN),
    },
    PlanMeasure {
        section: "第五章第四节",
        quote_zh: "加强对加油站油气回收治理设施运行状况的管理",
        gloss_en: "keep filling-station vapour recovery running",
        status: modelled(&["vocs.vapour_recovery"]),
    },
    PlanMeasure {
        section: "第五章第五节",
        quote_zh: "综合整治城市扬尘",
        gloss_en: "urban dust control",
        status: not_modelled(OUTSIDE_ZH, OUTSIDE_EN),
    },
    PlanMeasure {
        section: "第五章第五节",
        quote_zh: "加强餐饮油烟污染治理",
        gloss_en: "restaurant cooking-fume control",
        status: not_modelled(NO_ACTIVITY_ZH, NO_ACTIVITY_EN),
    },
    PlanMeasure {
        section: "第五章第五节",
        quote_zh: "严格禁止露天焚烧落叶、生活垃圾、杂物等污染环境行为",
        gloss_en: "ban on open burning of leaves and refuse",
        status: not_modelled(NO_ACTIVITY_ZH, NO_ACTIVITY_EN),
    },
    PlanMeasure {
        section: "第五章第五节",
        quote_zh: "禁止农贸市场、餐饮、洗浴、建筑工地使用散煤",
        gloss_en: "no scattered coal in markets, restaurants, bathhouses and construction sites",
        status: modelled(&["commercial_coal_ban"]),
    },
    PlanMeasure {
        section: "第五章第五节",
        quote_zh: "取缔使用以燃煤、板材为燃料的手烧炉、快壶及经营性炉灶",
        gloss_en: "ban hand-fired stoves, kettles and commercial stoves burning coal or board",
        status: modelled(&["commercial_coal_ban"]),
    },
    PlanMeasure {
        section: "第五章第五节",
        quote_zh: "逐步禁止在敏感区域内燃放烟花爆竹、祭祀烧纸",
        gloss_en: "fireworks and ritual paper burning banned in sensitive areas",
        status: not_modelled(OUTSIDE_ZH, OUTSIDE_EN),
    },
    PlanMeasure {
        section: "第五章第六节",
        quote_zh: "贯彻“全域、全时段、全面禁烧”工作要求",
        gloss_en: "straw open-burning ban everywhere, all year",
        status: memo(
            "不属于重点工程减排量；露天焚烧比例无数据来源，未报告备忘项",
            "outside the key-project ledger; no source for the burnt share, so no memo figure yet",
        ),
    },
    PlanMeasure {
        section: "第五章第六节",
        quote_zh: "全市计划新建60个秸秆压块站",
        gloss_en: "60 new straw briquetting stations",
        status: memo("用于秸秆供应核查", "used in the straw-supply check"),
    },
    PlanMeasure {
        section: "第五章第六节",
        quote_zh: "全市秸秆综合利用率达到90%",
        gloss_en: "90 % straw utilisation",
        status: memo("用于秸秆供应核查", "used in the straw-supply check"),
    },
    PlanMeasure {
        section: "第五章第七节",
        quote_zh: "完善PM2.5和臭氧重污染天气预警应急的启动、响应、解除机制",
        gloss_en: "heavy-pollution warnings and emergency response",
        status: not_modelled(
            "应急减排为临时措施，不计入年度排放量",
            "emergency curbs are temporary and do not change annual emissions",
        ),
    },
    PlanMeasure {
        section: "专栏3（一）",
        quote_zh: "实施超低排放改造工程",
        gloss_en: "ultra-low emission retrofits",
        status: modelled(&["industry.sinter_denox"]),
    },
    PlanMeasure {
        section: "专栏3（一）",
        quote_zh: "完成华电能源富拉尔基发电厂向中心城区供热热网项目建设工程",
        gloss_en: "Huadian Fularji plant heat network to the central city (24 million m²)",
        status: modelled(&["heat_network"]),
    },
    PlanMeasure {
        section: "专栏3（一）",
        quote_zh: "完成百悦居热源新扩建项目等",
        gloss_en: "Baiyueju heat source extension",
        status: not_modelled(NO_ACTIVITY_ZH, NO_ACTIVITY_EN),
    },
    PlanMeasure {
        section: "专栏3（一）",
        quote_zh: "2021年7月1日，全面实施重型车国6a排放标准",
        gloss_en: "heavy-duty China 6a from 1 July 2021",
        status: modelled(&["fleet.china6"]),
    },
    PlanMeasure {
        section: "专栏3（一）",
        quote_zh: "2023年7月1日，实施轻型车和重型车国6b排放标准",
        gloss_en: "light and heavy China 6b from 1 July 2023",
        status: modelled(&["fleet.china6"]),
    },
    PlanMeasure {
        section: "专栏3（一）",
        quote_zh: "全面实施非道路移动柴油机械第四阶段、船舶第二阶段排放标准",
        gloss_en: "non-road diesel Stage IV (ships Stage II not modelled)",
        status: modelled(&["nonroad.stage4"]),
    },
    PlanMeasure {
        section: "专栏3（一）",
        quote_zh: "大力推进老旧车船提前淘汰更新",
        gloss_en: "early retirement of old vehicles and vessels (vessels not modelled)",
        status: modelled(&["fleet.scrappage"]),
    },
    PlanMeasure {
        section: "专栏3（二）",
        quote_zh: "溶剂型工业涂料、溶剂型油墨使用比例分别降低20、15个百分点",
        gloss_en: "solvent-based coatings −20 and inks −15 percentage points",
        status: modelled(&["vocs.substitution.coatings", "vocs.substitution.inks"]),
    },
    PlanMeasure {
        section: "专栏3（二）",
        quote_zh: "溶剂型胶粘剂使用量下降20%",
        gloss_en: "solvent adhesives −20 %",
        status: modelled(&["vocs.substitution.adhesives"]),
    },
    PlanMeasure {
        section: "专栏3（二）",
        quote_zh: "石化、化工、工业涂装、包装印刷行业综合去除效率分别达到70%、60%、60%、60%以上",
        gloss_en: "overall VOCs removal: petrochemical 70 %, chemical, coating, printing 60 %",
        status: modelled(&["vocs.removal"]),
    },
];

/// Measures the model does not count (not modelled or memo), for "what these numbers leave out".
pub fn left_out() -> impl Iterator<Item = &'static PlanMeasure> {
    PLAN_MEASURES
        .iter()
        .filter(|m| !matches!(m.status, MeasureStatus::Modelled { .. }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_unique_and_none_contains_another() {
        for (i, a) in PLAN_MEASURES.iter().enumerate() {
            assert!(!a.quote_zh.trim().is_empty(), "empty quote at {i}");
            assert_eq!(
                a.quote_zh.trim(),
                a.quote_zh,
                "stray blanks in {}",
                a.quote_zh
            );
            for b in &PLAN_MEASURES[i + 1..] {
                assert!(
                    !a.quote_zh.contains(b.quote_zh) && !b.quote_zh.contains(a.quote_zh),
                    "quotes overlap: 「{}」 and 「{}」",
                    a.quote_zh,
                    b.quote_zh
                );
            }
        }
    }

    #[test]
    fn every_measure_has_a_gloss_and_a_reason_where_it_is_not_counted() {
        for m in PLAN_MEASURES {
            assert!(
                !m.gloss_en.is_empty() && !m.section.is_empty(),
                "{}",
                m.quote_zh
            );
            if let MeasureStatus::NotModelled {
                reason_zh,
                reason_en,
            }
            | MeasureStatus::Memo {
                reason_zh,
                reason_en,
            } = m.status
            {
                assert!(
                    !reason_zh.is_empty() && !reason_en.is_empty(),
                    "{}",
                    m.quote_zh
                );
            }
        }
        assert!(left_out().count() > 0);
        assert!(left_out().count() < PLAN_MEASURES.len());
    }
}
