//! Human names (Chinese and English) of input ids such as `economy.industry_va_growth` or
//! `power.wind_new_mw@2025`, for charts and tables that rank inputs (tornado charts). A name is
//! composed from the id's dotted parts with the table below; a part the table lacks is shown
//! as written (underscores as spaces), so every id gets a name and the id itself stays
//! available for the small grey suffix the charts print.

/// Chinese and English words of the parts of input ids.
const PARTS: &[(&str, &str, &str)] = &[
    ("accounting", "核算", "accounting"),
    ("biomass_chp", "生物质热电联产", "biomass CHP"),
    ("calibration", "基年校准", "base-year calibration"),
    ("economy", "经济", "economy"),
    ("fleet", "机动车", "road vehicles"),
    ("heating", "供热", "heat supply"),
    ("industry", "工业", "industry"),
    ("nonroad", "非道路机械", "non-road machinery"),
    ("power", "电力", "power"),
    ("residential", "居民生活", "residential"),
    ("vocs", "VOCs", "VOCs"),
    ("nox", "NOx", "NOx"),
    ("co2", "CO₂", "CO₂"),
    ("bus", "公交车", "buses"),
    ("taxi", "出租车", "taxis"),
    ("private_car", "私家车", "private cars"),
    ("light_truck", "轻型货车", "light trucks"),
    ("heavy_truck", "重型货车", "heavy trucks"),
    ("motorcycle", "摩托车", "motorcycles"),
    ("light", "轻型车", "light vehicles"),
    ("heavy", "重型车", "heavy vehicles"),
    ("ef", "排放因子", "emission factor"),
    ("retire", "淘汰率", "retirement rate"),
    ("scrap", "提前淘汰", "early scrappage"),
    ("share_2020", "2020年占比", "2020 share"),
    ("stock_2020", "2020年保有量", "2020 stock"),
    ("growth", "增长率", "growth"),
    ("km", "年行驶里程", "annual distance"),
    ("nev", "新能源车", "NEV"),
    (
        "nev_share_new",
        "新车中新能源占比",
        "NEV share of new vehicles",
    ),
    ("nev_kwh_100km", "新能源车电耗", "NEV electricity use"),
    ("fuel_l_100km", "油耗", "fuel use"),
    ("cold_factor", "低温修正", "cold-start factor"),
    ("cold_fraction", "低温行驶比例", "cold-weather share"),
    ("china6_ratio", "国六排放比值", "China 6 emission ratio"),
    ("date", "实施日期", "start date"),
    ("pre3", "国三以前", "pre-China 3"),
    ("china3", "国三", "China 3"),
    ("china4", "国四", "China 4"),
    ("china5", "国五", "China 5"),
    ("china6a", "国六a", "China 6a"),
    ("china6b", "国六b", "China 6b"),
    ("nox_g_km", "NOx 排放因子", "NOx factor"),
    ("vocs_g_km", "VOCs 排放因子", "VOCs factor"),
    ("evap_vocs_g_km", "蒸发 VOCs", "evaporative VOCs"),
    ("plant", "电厂", "plant"),
    ("capacity_mw", "装机容量", "capacity"),
    ("commissioning", "投产时间", "commissioning"),
    ("delay_months", "投产延迟（月）", "delay (months)"),
    ("capacity_factor", "利用率", "capacity factor"),
    ("heat_to_power_ratio", "热电比", "heat-to-power ratio"),
    ("nox_mg_per_m3", "NOx 排放浓度", "NOx concentration"),
    ("straw_collectable_t", "可收集秸秆量", "collectable straw"),
    ("straw_kg_per_kwh", "秸秆单耗", "straw per kWh"),
    ("straw_tce_per_t", "秸秆折标系数", "straw energy content"),
    (
        "straw_energy_fraction",
        "秸秆能量占比",
        "straw energy share",
    ),
    (
        "flue_gas_nm3_per_t_straw",
        "单位秸秆烟气量",
        "flue gas per t straw",
    ),
    ("gdp_growth", "地区生产总值增速", "GDP growth"),
    (
        "industry_va_growth",
        "工业增加值增速",
        "industrial value-added growth",
    ),
    ("gdp_base_yuan_1e8", "基年地区生产总值", "base-year GDP"),
    ("population_base", "基年人口", "base-year population"),
    ("population_growth", "人口增长率", "population growth"),
    ("nox_base_t", "基年 NOx 排放量", "base-year NOx"),
    ("vocs_base_t", "基年 VOCs 排放量", "base-year VOCs"),
    ("coal_share", "煤炭占比", "coal share"),
    ("gas_share", "天然气占比", "gas share"),
    ("oil_share", "油品占比", "oil share"),
    (
        "energy_intensity_tce_per_1e4_yuan",
        "基年能耗强度",
        "base-year energy intensity",
    ),
    (
        "residual_intensity_decline",
        "其他部门能耗强度下降",
        "residual intensity decline",
    ),
    ("wind_new_mw", "新增风电装机", "new wind capacity"),
    ("solar_new_mw", "新增光伏装机", "new solar capacity"),
    ("wind_base_mw", "基年风电装机", "base-year wind capacity"),
    ("solar_base_mw", "基年光伏装机", "base-year solar capacity"),
    ("wind_full_load_h", "风电利用小时", "wind full-load hours"),
    ("solar_full_load_h", "光伏利用小时", "solar full-load hours"),
    (
        "grid_co2_kg_per_kwh",
        "电网排放因子",
        "grid emission factor",
    ),
    (
        "grid_nonfossil_fraction",
        "电网非化石电力占比",
        "grid non-fossil share",
    ),
    ("co2_t_per_tce", "CO₂ 排放因子", "CO₂ factor"),
    ("coal", "煤炭", "coal"),
    ("oil", "油品", "oil"),
    ("gas", "天然气", "gas"),
    ("electricity", "电力", "electricity"),
    ("boiler_group", "燃煤锅炉组", "boiler group"),
    ("network", "热网", "heat network"),
    ("sinter", "烧结", "sintering"),
    ("kiln", "窑炉", "kilns"),
    ("solvent", "溶剂使用", "solvent use"),
    ("coatings", "涂装", "coatings"),
    ("inks", "印刷油墨", "printing inks"),
    ("adhesives", "胶粘剂", "adhesives"),
    ("removal", "末端治理", "treatment"),
    ("petrochemical", "石化", "petrochemical"),
    ("chemical", "化工", "chemical"),
    ("stage1", "第一阶段", "Stage I"),
    ("stage2", "第二阶段", "Stage II"),
    ("stage3", "第三阶段", "Stage III"),
    ("stage4", "第四阶段", "Stage IV"),
    ("completion", "完工时间", "completion"),
    ("heat_demand_decline", "供热需求下降", "heat demand decline"),
    ("area_growth", "供热面积增长", "heated area growth"),
    ("area_base_m2", "基年供热面积", "base-year heated area"),
    (
        "scattered_coal_reduction",
        "散煤削减",
        "scattered coal reduction",
    ),
    ("recovery_efficiency", "回收效率", "recovery efficiency"),
    ("recovery_coverage", "回收覆盖率", "recovery coverage"),
    ("efficiency_gain", "能效提升", "efficiency gain"),
    ("boiler_efficiency", "锅炉效率", "boiler efficiency"),
    ("share_cut", "削减比例", "share cut"),
    ("upgraded_share", "改造比例", "upgraded share"),
    ("voc_content_low", "低VOCs产品含量", "low-VOC content"),
    (
        "voc_content_solvent",
        "溶剂型产品含量",
        "solvent-based content",
    ),
    ("power_2020_kw", "2020年总功率", "2020 rated power"),
    ("hours", "年使用小时", "annual hours"),
    ("in_use_factor", "在用修正系数", "in-use factor"),
    ("load_factor", "负荷系数", "load factor"),
    (
        "scattered_coal_base_tce",
        "基年散煤量",
        "base-year scattered coal",
    ),
    ("nox_2020_t", "2020年 NOx 排放量", "2020 NOx"),
    ("vocs_2020_t", "2020年 VOCs 排放量", "2020 VOCs"),
    ("output_t", "产量", "output"),
];

/// Chinese and English name of input `id` (e.g. `power.wind_new_mw@2025` → "电力 · 新增风电装机
/// （2025 年）" / "power · new wind capacity (2025)").
pub fn input_name(id: &str) -> (String, String) {
    let (path, year) = match id.split_once('@') {
        Some((p, y)) => (p, Some(y)),
        None => (id, None),
    };
    let (mut zh, mut en) = (Vec::new(), Vec::new());
    for part in path.split('.') {
        match PARTS.iter().find(|(k, _, _)| *k == part) {
            Some((_, z, e)) => {
                zh.push((*z).to_string());
                en.push((*e).to_string());
            }
            None => {
                let plain = part.replace('_', " ");
                zh.push(plain.clone());
                en.push(plain);
            }
        }
    }
    let (mut zh, mut en) = (zh.join(" · "), en.join(" · "));
    if let Some(y) = year {
        zh.push_str(&format!("（{y} 年）"));
        en.push_str(&format!(" ({y})"));
    }
    (zh, en)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_get_human_names_with_their_year() {
        assert_eq!(
            input_name("economy.industry_va_growth"),
            (
                "经济 · 工业增加值增速".to_string(),
                "economy · industrial value-added growth".to_string()
            )
        );
        let (zh, en) = input_name("power.wind_new_mw@2025");
        assert_eq!(zh, "电力 · 新增风电装机（2025 年）");
        assert_eq!(en, "power · new wind capacity (2025)");
        // A part the table lacks is shown as written.
        assert_eq!(input_name("x.some_part").1, "x · some part");
        // No part of the table is listed twice.
        for (k, (a, _, _)) in PARTS.iter().enumerate() {
            assert!(!PARTS[k + 1..].iter().any(|(b, _, _)| a == b), "{a} twice");
        }
    }
}
