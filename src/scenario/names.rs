//! Human names (Chinese and English) of input ids such as `economy.industry_va_growth` or
//! `power.wind_new_mw@2025`, for charts and tables that rank inputs (tornado charts). A name is
//! composed from the id's dotted parts with the table below; a part the table lacks is shown
//! as written (underscores as spaces), so every id gets a name and the id itself stays
//! available for the small grey suffix the charts print.

/// Chinese and English words of the parts of input ids.
const PARTS: &[(&str, &str, &str)] = &[
    (
        "coal_equiv_decline_gce_per_kwh_yr",
        "发电煤耗年降幅",
        "yearly fall of the coal-equivalent rate",
    ),
    (
        "coal_equiv_gce_per_kwh_base",
        "基年发电煤耗",
        "base-year coal-equivalent rate",
    ),
    (
        "heating_season_fraction",
        "采暖期占全年比例",
        "heating-season share of the year",
    ),
    ("fuyu", "富裕县", "Fuyu"),
    ("kedong", "克东县", "Kedong"),
    ("longjiang", "龙江县", "Longjiang"),
    ("nehe", "讷河市", "Nehe"),
    ("nianzishan", "碾子山区", "Nianzishan"),
    ("tailai", "泰来县", "Tailai"),
    ("yian_1", "依安县一期", "Yi'an plant 1"),
    ("yian_2", "依安县二期", "Yi'an plant 2"),
    ("yian", "依安县", "Yi'an"),
    ("baiquan", "拜泉县", "Baiquan"),
    ("gannan", "甘南县", "Gannan"),
    ("keshan", "克山县", "Keshan"),
    ("meilisi", "梅里斯区", "Meilisi"),
    ("town", "县城", "county town"),
    ("county", "县城供热", "county heat"),
    ("heavy_6a", "重型车国六a", "heavy China 6a"),
    ("heavy_6b", "重型车国六b", "heavy China 6b"),
    ("light_6a", "轻型车国六a", "light China 6a"),
    ("light_6b", "轻型车国六b", "light China 6b"),
    ("gas_taxi", "燃气出租车", "gas taxis"),
    (
        "gas_kgce_per_m3",
        "天然气折标系数",
        "natural gas kgce per m³",
    ),
    ("gas_m3_per_100km", "百公里耗气量", "gas use per 100 km"),
    ("replaced_share", "更新比例", "share replaced"),
    (
        "replacement_nox_g_km",
        "更新车辆 NOx 排放因子",
        "NOx factor of replacements",
    ),
    ("10_35", "10–35 蒸吨锅炉", "10–35 t/h boilers"),
    ("ge35", "35 蒸吨及以上锅炉", "boilers ≥ 35 t/h"),
    ("le10", "10 蒸吨及以下锅炉", "boilers ≤ 10 t/h"),
    (
        "boiler_full_load_h",
        "锅炉满负荷小时数",
        "boiler full-load hours",
    ),
    (
        "city_10_35_a",
        "城区 10–35 蒸吨锅炉 A 组",
        "city 10–35 t/h boilers, group A",
    ),
    (
        "city_10_35_b",
        "城区 10–35 蒸吨锅炉 B 组",
        "city 10–35 t/h boilers, group B",
    ),
    ("capacity_t_h", "容量（蒸吨）", "capacity (t/h)"),
    ("class", "类别", "class"),
    ("control", "治理措施", "control"),
    ("retire_year", "淘汰年份", "retirement year"),
    (
        "large_ge35",
        "35 蒸吨及以上大型锅炉",
        "large boilers ≥ 35 t/h",
    ),
    ("coal_chp_efficiency", "燃煤热电效率", "coal CHP efficiency"),
    (
        "nox_kg_per_t_coal",
        "吨煤 NOx 排放因子",
        "NOx per tonne of coal",
    ),
    ("area_weight", "面积权重", "area weight"),
    ("electric_heat_cop", "电供暖能效比", "electric heating COP"),
    (
        "gas_boiler_efficiency",
        "燃气锅炉效率",
        "gas boiler efficiency",
    ),
    (
        "gas_boiler_nox_kg_per_tce",
        "燃气锅炉 NOx 排放因子",
        "gas boiler NOx per tce",
    ),
    (
        "heat_demand_base_gj_per_m2",
        "基年单位面积热负荷",
        "base-year heat demand per m²",
    ),
    ("mw_per_t_h", "每蒸吨兆瓦数", "MW per t/h"),
    ("loss_fraction", "管网损失率", "network loss"),
    ("max_area_m2", "最大供热面积", "largest heated area"),
    ("ramp_years", "爬坡年数", "ramp-up years"),
    ("existing", "现有", "existing"),
    ("special", "特别排放限值", "special limit"),
    ("ultra_low", "超低排放", "ultra-low emission"),
    (
        "raw_coal_tce_per_t",
        "原煤折标系数",
        "raw coal tce per tonne",
    ),
    ("replacement", "替代热源", "replacement"),
    ("coal_chp_gj", "燃煤热电供热量", "coal CHP heat"),
    ("electric_heat_gj", "电供暖供热量", "electric heat"),
    ("gas_boiler_gj", "燃气锅炉供热量", "gas boiler heat"),
    ("coking", "焦化", "coking"),
    ("coke_t", "焦炭产量", "coke output"),
    ("flue_nm3_t", "吨焦烟气量", "flue gas per tonne of coke"),
    ("nox_after_mg_m3", "治理后 NOx 浓度", "NOx after treatment"),
    (
        "nox_before_mg_m3",
        "治理前 NOx 浓度",
        "NOx before treatment",
    ),
    ("treated_share", "治理比例", "share treated"),
    ("energy_2020_tce", "2020年能源消费量", "2020 energy use"),
    ("reduction", "削减", "reduction"),
    ("nox_kg_tce", "NOx 排放因子（每吨标煤）", "NOx per tce"),
    ("shift_to_electricity", "电能替代", "shift to electricity"),
    ("shift_to_gas", "天然气替代", "shift to gas"),
    ("retrofit_share", "改造比例", "share retrofitted"),
    ("limit", "限值", "limit"),
    ("nox_g_kwh", "NOx 排放因子（每千瓦时）", "NOx per kWh"),
    ("vocs_g_kwh", "VOCs 排放因子（每千瓦时）", "VOCs per kWh"),
    ("sfc_g_kwh", "单位油耗", "specific fuel use"),
    (
        "coal_gen_base_kwh",
        "基年煤电发电量",
        "base-year coal generation",
    ),
    (
        "coal_must_run_fraction",
        "煤电必开比例",
        "coal must-run share",
    ),
    ("coal_rate_gce_per_kwh", "供电煤耗", "coal rate per kWh"),
    (
        "demand_base_kwh",
        "基年用电量",
        "base-year electricity demand",
    ),
    ("gdp_elasticity", "GDP 弹性", "GDP elasticity"),
    (
        "biomass_nox_kg_per_tce",
        "生物质 NOx 排放因子",
        "biomass NOx per tce",
    ),
    (
        "briquette_tce_per_coal_tce",
        "秸秆压块替代比",
        "briquettes per tce of coal",
    ),
    (
        "coal_nox_kg_per_tce",
        "燃煤 NOx 排放因子",
        "coal NOx per tce",
    ),
    (
        "commercial_coal",
        "城区商业散煤",
        "urban commercial scattered coal",
    ),
    ("base_tce", "基年用量", "base-year use"),
    (
        "gas_tce_per_coal_tce",
        "天然气替代比",
        "gas per tce of coal",
    ),
    ("phaseout", "淘汰", "phase-out"),
    (
        "vocs_kg_per_t_coal",
        "吨煤 VOCs 排放因子",
        "VOCs per tonne of coal",
    ),
    ("fuel", "燃料", "fuel"),
    (
        "evaporation_kg_t",
        "油品蒸发排放因子",
        "evaporation per tonne",
    ),
    (
        "non_fleet_share",
        "非车队用油比例",
        "non-fleet share of gasoline",
    ),
    ("process", "工艺过程", "process"),
    ("fraction_2020", "2020年比例", "2020 share"),
    ("solvent_share_2020", "2020年溶剂占比", "2020 solvent share"),
    ("total_2020_t", "2020年总量", "2020 total"),
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
    (
        "other_nox_t",
        "基年其他源 NOx（先验）",
        "base-year other NOx (prior)",
    ),
    (
        "other_vocs_t",
        "基年其他源 VOCs（先验）",
        "base-year other VOCs (prior)",
    ),
    (
        "other_coal_tce",
        "基年其他煤炭消费（先验）",
        "base-year other coal (prior)",
    ),
    (
        "other_oil_tce",
        "基年其他油品消费（先验）",
        "base-year other oil products (prior)",
    ),
    (
        "other_gas_tce",
        "基年其他天然气消费（先验）",
        "base-year other natural gas (prior)",
    ),
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
    ("fuel_kgce_per_t", "单位产品燃料", "fuel per t"),
    ("fuel_2020_tce", "2020年燃料量", "2020 fuel"),
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
        if part == "*" {
            // A group of inputs that differ in this part (the briefing's changed inputs).
            zh.push("各".to_string());
            en.push("each".to_string());
            continue;
        }
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
        // A group pattern names its varying part.
        assert_eq!(
            input_name("biomass_chp.plant.*.capacity_mw").1,
            "biomass CHP · plant · each · capacity"
        );
        // A part the table lacks is shown as written.
        assert_eq!(input_name("x.some_part").1, "x · some part");
        // No part of the table is listed twice.
        for (k, (a, _, _)) in PARTS.iter().enumerate() {
            assert!(!PARTS[k + 1..].iter().any(|(b, _, _)| a == b), "{a} twice");
        }
    }

    /// Parts of the inputs of every shipped scenario that the table lacks.
    fn missing_parts() -> Vec<String> {
        let mut out = Vec::new();
        for id in crate::scenario::embedded::ids() {
            let sc = crate::scenario::load::load_embedded(id).expect("shipped scenario loads");
            for p in &sc.params {
                let path = p.name.split_once('@').map_or(p.name.as_str(), |(a, _)| a);
                for part in path.split('.') {
                    let known = PARTS.iter().any(|(k, _, _)| *k == part);
                    if !known && !out.contains(&part.to_string()) {
                        out.push(part.to_string());
                    }
                }
            }
        }
        out
    }

    #[test]
    fn every_input_of_every_shipped_scenario_has_a_name_for_each_part() {
        let missing = missing_parts();
        assert!(missing.is_empty(), "parts without a name: {missing:?}");
    }
}
