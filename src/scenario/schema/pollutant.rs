//! Inputs of the pollutant half of the model: fleet, non-road machinery, industry, VOCs
//! sources (MODEL.md §3.4–3.6). Ranges here are the ones the model checks when it is built
//! (`model::fleet`, `nonroad`, `industry`, `vocs`); dates are decimal years (unit `year`), and
//! the model narrows them further to [base year, horizon + 2].

use super::Field;

const fn f(
    pattern: &'static str,
    unit: &'static str,
    min: f64,
    max: f64,
    path: bool,
    doc: &'static str,
) -> Field {
    Field {
        pattern,
        unit,
        min,
        max,
        path,
        doc,
    }
}

/// Pollutant-half fields.
pub const FIELDS: &[Field] = &[
    // ---- operating CNG taxis (营运燃气车辆, DATA.md §3c)
    f(
        "fleet.gas_taxi.stock_2020",
        "vehicles",
        0.0,
        1e6,
        false,
        "Operating CNG taxis in the base year",
    ),
    f(
        "fleet.gas_taxi.km",
        "km/yr",
        0.0,
        300_000.0,
        false,
        "Annual distance per CNG taxi",
    ),
    f(
        "fleet.gas_taxi.nox_g_km",
        "g/km",
        0.0,
        20.0,
        false,
        "NOx of a CNG taxi before replacement",
    ),
    f(
        "fleet.gas_taxi.replaced_share",
        "fraction",
        0.0,
        1.0,
        true,
        "Share of the 2020 CNG taxis retired and replaced (营运燃气车辆淘汰更新)",
    ),
    f(
        "fleet.gas_taxi.gas_m3_per_100km",
        "m³/100km",
        0.0,
        100.0,
        false,
        "Natural gas per 100 km of a CNG taxi",
    ),
    f(
        "fleet.gas_taxi.gas_kgce_per_m3",
        "kgce/m³",
        0.5,
        2.0,
        false,
        "Standard coal equivalent of one m³ of natural gas",
    ),
    f(
        "fleet.gas_taxi.replacement_nox_g_km",
        "g/km",
        0.0,
        20.0,
        false,
        "NOx of the gasoline taxis that replace them",
    ),
    // ---- coking (焦化整治, DATA.md §3c): a NOx source only, no energy
    f(
        "industry.coking.coke_t",
        "t/yr",
        0.0,
        1e8,
        true,
        "Coke output",
    ),
    f(
        "industry.coking.flue_nm3_t",
        "Nm³/t",
        0.0,
        10_000.0,
        false,
        "Coke-oven flue gas per tonne of coke",
    ),
    f(
        "industry.coking.nox_before_mg_m3",
        "mg/m³",
        0.0,
        5000.0,
        false,
        "Coke-oven flue-gas NOx before treatment",
    ),
    f(
        "industry.coking.nox_after_mg_m3",
        "mg/m³",
        0.0,
        5000.0,
        false,
        "Coke-oven flue-gas NOx after treatment",
    ),
    f(
        "industry.coking.completion",
        "year",
        2015.0,
        2040.0,
        false,
        "Completion date of the coking treatment (decimal year)",
    ),
    f(
        "industry.coking.treated_share",
        "fraction",
        0.0,
        1.0,
        false,
        "Share of the coke-oven flue gas the treatment covers (0 = no treatment)",
    ),
    // ---- road fleet (MODEL.md §3.5)
    f(
        "fleet.cold_fraction",
        "fraction",
        0.0,
        1.0,
        false,
        "Fraction of the year below 10 °C (cold-climate correction weight)",
    ),
    f(
        "fleet.date.{light_6a,heavy_6a,light_6b,heavy_6b}",
        "year",
        2015.0,
        2040.0,
        false,
        "Date from which new vehicles of the class must meet China 6a/6b (decimal year)",
    ),
    f(
        "fleet.china6_ratio.{light,heavy}.{china6a,china6b}.{nox,vocs}",
        "ratio",
        0.0,
        2.0,
        false,
        "China 6a/6b emission factor as a ratio to the China 5 factor",
    ),
    f(
        "fleet.{private_car,taxi,bus,light_truck,heavy_truck,motorcycle}.stock_2020",
        "vehicles",
        0.0,
        1e8,
        false,
        "Vehicle stock of the segment in 2020",
    ),
    f(
        "fleet.{private_car,taxi,bus,light_truck,heavy_truck,motorcycle}.growth",
        "fraction/yr",
        -0.5,
        0.5,
        true,
        "Growth rate of the segment's target stock",
    ),
    f(
        "fleet.{private_car,taxi,bus,light_truck,heavy_truck,motorcycle}.km",
        "km/yr",
        0.0,
        500_000.0,
        true,
        "Annual distance per vehicle",
    ),
    f(
        "fleet.{private_car,taxi,bus,light_truck,heavy_truck,motorcycle}.nev_share_new",
        "fraction",
        0.0,
        1.0,
        true,
        "New-energy share of new vehicles",
    ),
    f(
        "fleet.{private_car,taxi,bus,light_truck,heavy_truck,motorcycle}.fuel_l_100km",
        "L/100km",
        0.0,
        200.0,
        false,
        "Fuel economy of ICE vehicles (gasoline or diesel)",
    ),
    f(
        "fleet.{private_car,taxi,bus,light_truck,heavy_truck,motorcycle}.nev_kwh_100km",
        "kWh/100km",
        0.0,
        1000.0,
        false,
        "Electricity use of new-energy vehicles",
    ),
    f(
        "fleet.{private_car,taxi,motorcycle}.evap_vocs_g_km",
        "g/km",
        0.0,
        10.0,
        false,
        "Evaporative VOCs of gasoline vehicles (optional)",
    ),
    f(
        "fleet.{private_car,taxi,bus,light_truck,heavy_truck,motorcycle}.cold_factor.{nox,vocs}",
        "multiplier",
        0.5,
        3.0,
        false,
        "Emission-factor multiplier below 10 °C",
    ),
    f(
        "fleet.{private_car,taxi,bus,light_truck,heavy_truck,motorcycle}.share_2020.{pre3,china3,china4,china5,china6a,china6b,nev}",
        "fraction",
        0.0,
        1.0,
        false,
        "Share of the 2020 stock by standard (normalised; missing = 0)",
    ),
    f(
        "fleet.{private_car,taxi,bus,light_truck,heavy_truck,motorcycle}.retire.{pre3,china3,china4,china5,china6a,china6b,nev}",
        "fraction/yr",
        0.0,
        1.0,
        false,
        "Natural retirement rate by standard (motorcycles: pre3, china3, china4, nev)",
    ),
    f(
        "fleet.{private_car,taxi,bus,light_truck,heavy_truck,motorcycle}.scrap.{pre3,china3,china4,china5,china6a,china6b,nev}",
        "fraction/yr",
        0.0,
        1.0,
        true,
        "Policy scrappage / early retirement rate by standard (optional; 1 = eliminated)",
    ),
    f(
        "fleet.{private_car,taxi,bus,light_truck,heavy_truck,motorcycle}.ef.{pre3,china3,china4,china5}.{nox_g_km,vocs_g_km}",
        "g/km",
        0.0,
        100.0,
        false,
        "Base emission factor by standard (motorcycles: pre3, china3, china4)",
    ),
    // ---- non-road machinery (MODEL.md §3.5)
    f(
        "nonroad.power_2020_kw",
        "kW",
        0.0,
        1e9,
        false,
        "Installed power of non-road diesel machinery in 2020",
    ),
    f(
        "nonroad.growth",
        "fraction/yr",
        -0.5,
        0.5,
        true,
        "Growth of the target installed power",
    ),
    f(
        "nonroad.retire",
        "fraction/yr",
        0.0,
        1.0,
        false,
        "Retirement rate of installed power",
    ),
    f(
        "nonroad.hours",
        "h/yr",
        0.0,
        8760.0,
        true,
        "Operating hours per year",
    ),
    f(
        "nonroad.load_factor",
        "fraction",
        0.0,
        1.0,
        false,
        "Average load factor",
    ),
    f(
        "nonroad.sfc_g_kwh",
        "g/kWh",
        0.0,
        1000.0,
        false,
        "Specific diesel consumption",
    ),
    f(
        "nonroad.date.stage4",
        "year",
        2015.0,
        2040.0,
        false,
        "Date from which new machinery is Stage IV (decimal year)",
    ),
    f(
        "nonroad.share_2020.{stage1,stage2,stage3,stage4}",
        "fraction",
        0.0,
        1.0,
        false,
        "Share of 2020 installed power by stage (normalised; missing = 0)",
    ),
    f(
        "nonroad.in_use_factor.{nox,vocs}",
        "multiplier",
        0.1,
        10.0,
        false,
        "Real-world emission ÷ type-approval limit",
    ),
    f(
        "nonroad.limit.{stage1,stage2,stage3,stage4}.{nox_g_kwh,vocs_g_kwh}",
        "g/kWh",
        0.0,
        50.0,
        false,
        "Type-approval limit by stage",
    ),
    // ---- industry (MODEL.md §3.4)
    f(
        "industry.energy_2020_tce",
        "tce",
        0.0,
        1e9,
        false,
        "Industrial energy use other than heat supply, 2020",
    ),
    f(
        "industry.efficiency_gain",
        "fraction/yr",
        -0.2,
        0.5,
        true,
        "Annual decline of industrial energy per value added",
    ),
    f(
        "industry.shift_to_gas",
        "fraction",
        0.0,
        1.0,
        true,
        "Share of industrial energy moved from coal to gas since 2020",
    ),
    f(
        "industry.shift_to_electricity",
        "fraction",
        0.0,
        1.0,
        true,
        "Share of industrial energy moved from coal to electricity since 2020",
    ),
    f(
        "industry.share_2020.{coal,oil,gas,electricity}",
        "fraction",
        0.0,
        1.0,
        false,
        "Carrier share of industrial energy in 2020",
    ),
    f(
        "industry.nox_kg_tce.{coal,oil,gas}",
        "kg/tce",
        0.0,
        50.0,
        false,
        "Industrial combustion NOx factor",
    ),
    f(
        "industry.sinter.output_t",
        "t/yr",
        0.0,
        1e8,
        true,
        "Jianlong Beiman sinter output",
    ),
    f(
        "industry.sinter.flue_nm3_t",
        "Nm³/t",
        0.0,
        10_000.0,
        false,
        "Sintering flue gas per tonne of sinter",
    ),
    f(
        "industry.sinter.nox_before_mg_m3",
        "mg/m³",
        0.0,
        2000.0,
        false,
        "Sintering NOx concentration before denitrification",
    ),
    f(
        "industry.sinter.nox_after_mg_m3",
        "mg/m³",
        0.0,
        2000.0,
        false,
        "Sintering NOx concentration after denitrification",
    ),
    f(
        "industry.sinter.retrofit_share",
        "fraction",
        0.0,
        1.0,
        false,
        "Share of the sintering flue gas the denitrification treats (0 = no retrofit)",
    ),
    f(
        "industry.sinter.completion",
        "year",
        2015.0,
        2040.0,
        false,
        "Completion date of the sintering denitrification (decimal year)",
    ),
    f(
        "industry.kiln.nox_2020_t",
        "t/yr",
        0.0,
        1e6,
        false,
        "NOx of cement and brick kilns in 2020",
    ),
    f(
        "industry.kiln.reduction",
        "fraction",
        0.0,
        1.0,
        false,
        "NOx cut by a kiln upgrade",
    ),
    f(
        "industry.kiln.upgraded_share",
        "fraction",
        0.0,
        1.0,
        true,
        "Share of kiln capacity upgraded",
    ),
    // ---- VOCs sources (MODEL.md §3.6)
    f(
        "vocs.solvent.total_2020_t",
        "t/yr",
        0.0,
        1e6,
        false,
        "VOCs from solvent use in 2020",
    ),
    f(
        "vocs.solvent.{coatings,inks,adhesives}.fraction_2020",
        "fraction",
        0.0,
        1.0,
        false,
        "Category share of 2020 solvent-use VOCs (normalised)",
    ),
    f(
        "vocs.solvent.{coatings,inks,adhesives}.solvent_share_2020",
        "fraction",
        0.0,
        1.0,
        false,
        "Solvent-based share of product use in 2020",
    ),
    f(
        "vocs.solvent.{coatings,inks,adhesives}.share_cut",
        "fraction",
        0.0,
        1.0,
        true,
        "Cut of the solvent-based share since 2020 (coatings, inks: percentage points; adhesives: relative)",
    ),
    f(
        "vocs.solvent.{coatings,inks,adhesives}.voc_content_solvent",
        "kg/kg",
        0.0,
        1.0,
        false,
        "VOCs emitted per kg of solvent-based product",
    ),
    f(
        "vocs.solvent.{coatings,inks,adhesives}.voc_content_low",
        "kg/kg",
        0.0,
        1.0,
        false,
        "VOCs emitted per kg of low-VOC product",
    ),
    f(
        "vocs.solvent.{coatings,inks,adhesives}.removal",
        "fraction",
        0.0,
        0.99,
        true,
        "Overall removal efficiency (capture × treatment)",
    ),
    f(
        "vocs.process.{petrochemical,chemical}.vocs_2020_t",
        "t/yr",
        0.0,
        1e6,
        false,
        "Process VOCs emitted in 2020",
    ),
    f(
        "vocs.process.{petrochemical,chemical}.removal",
        "fraction",
        0.0,
        0.99,
        true,
        "Overall removal efficiency of process VOCs",
    ),
    f(
        "vocs.fuel.non_fleet_share",
        "fraction",
        0.0,
        0.95,
        true,
        "Share of gasoline sold that goes to non-road use and vehicles registered elsewhere (throughput = fleet gasoline ÷ (1 − share))",
    ),
    f(
        "vocs.fuel.evaporation_kg_t",
        "kg/t",
        0.0,
        20.0,
        false,
        "VOCs evaporated per tonne of gasoline without recovery",
    ),
    f(
        "vocs.fuel.recovery_coverage",
        "fraction",
        0.0,
        1.0,
        true,
        "Share of throughput at stations, depots and tank trucks with vapour recovery",
    ),
    f(
        "vocs.fuel.recovery_efficiency",
        "fraction",
        0.0,
        1.0,
        true,
        "Efficiency of installed vapour recovery",
    ),
];

#[cfg(test)]
mod tests {
    use super::FIELDS;

    fn seg_match(pat: &str, seg: &str) -> bool {
        if pat == "*" {
            return !seg.is_empty()
                && seg
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        }
        if let Some(list) = pat.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
            return list.split(',').any(|x| x == seg);
        }
        pat == seg
    }

    fn matches(pattern: &str, name: &str) -> bool {
        let (p, n): (Vec<&str>, Vec<&str>) =
            (pattern.split('.').collect(), name.split('.').collect());
        p.len() == n.len() && p.iter().zip(&n).all(|(a, b)| seg_match(a, b))
    }

    /// Numbers a value or distribution table can take (its support, or central value for
    /// unbounded families), with TOML dates as decimal years.
    fn span(t: &toml::Table) -> Vec<f64> {
        let num = |v: &toml::Value| match v {
            toml::Value::Float(f) => *f,
            toml::Value::Integer(i) => *i as f64,
            toml::Value::Datetime(d) => d.date.map_or(f64::NAN, |x| f64::from(x.year) + 0.5),
            _ => f64::NAN,
        };
        [
            "value", "min", "mode", "max", "mean", "median", "low95", "high95",
        ]
        .iter()
        .filter_map(|k| t.get(*k).map(num))
        .collect()
    }

    fn walk(prefix: &str, t: &toml::Table, out: &mut Vec<(String, bool, String, Vec<f64>)>) {
        if let Some(unit) = t.get("unit").and_then(|u| u.as_str()) {
            let mut vals = span(t);
            let by = t.get("by_year").and_then(|b| b.as_table());
            if let Some(by) = by {
                for a in by.values() {
                    match a {
                        toml::Value::Table(at) => vals.extend(span(at)),
                        other => vals.extend(span(&toml::Table::from_iter([(
                            "value".to_string(),
                            other.clone(),
                        )]))),
                    }
                }
            }
            out.push((prefix.to_string(), by.is_some(), unit.to_string(), vals));
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

    #[test]
    fn every_pollutant_input_is_registered_with_its_unit_and_range() {
        let mut t: toml::Table = include_str!("../../../scenarios/plan.toml")
            .parse()
            .expect("plan.toml parses");
        t.retain(|k, _| matches!(k, "fleet" | "nonroad" | "industry" | "vocs"));
        let mut inputs = Vec::new();
        walk("", &t, &mut inputs);
        assert!(inputs.len() > 200);
        for (name, by_year, unit, vals) in &inputs {
            let hits: Vec<_> = FIELDS.iter().filter(|f| matches(f.pattern, name)).collect();
            assert_eq!(hits.len(), 1, "{name} matches {} fields", hits.len());
            let f = hits[0];
            assert_eq!(f.unit, unit, "{name}");
            assert!(
                !by_year || f.path,
                "{name} is given by year but is not a path"
            );
            assert!(!vals.is_empty(), "{name} has no value");
            for v in vals {
                assert!(
                    (f.min..=f.max).contains(v),
                    "{name} = {v} outside {}..{}",
                    f.min,
                    f.max
                );
            }
        }
    }

    #[test]
    fn patterns_are_well_formed() {
        for f in FIELDS {
            assert!(f.min <= f.max, "{}", f.pattern);
            assert!(!f.doc.is_empty() && !f.unit.is_empty());
            assert!(f.pattern.split('.').all(|s| !s.is_empty()));
        }
        assert!(matches("fleet.{taxi,bus}.km", "fleet.bus.km"));
        assert!(!matches("fleet.{taxi,bus}.km", "fleet.car.km"));
    }
}
