//! The unit convention: one display unit per indicator, as the plan states its targets
//! (NOx and VOCs in 吨 / t, CO₂ in 万吨, energy in 万吨标准煤, intensities and shares in %),
//! with the number of digits that go with it. Every chart and table formatter of `present/`
//! goes through [`convention`] and [`format()`], so a quantity reads the same in every chart,
//! table and language (the English text shows the same numbers, "10⁴ t CO₂" for 万吨 CO₂).

use super::charts::style::format_number;
use super::charts::{Label, Lang, Unit};

/// How the values of one unit are shown.
#[derive(Debug, Clone, PartialEq)]
pub struct Convention {
    /// Base-unit values are divided by this before they are shown.
    pub divisor: f64,
    /// Unit text in Chinese.
    pub zh: String,
    /// Unit text in English.
    pub en: String,
    /// Decimals of a shown value of this magnitude.
    pub digits: Digits,
}

/// How many decimals a shown value gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Digits {
    /// Whole numbers (tonnes of NOx and VOCs: the plan's "6300 吨").
    Whole,
    /// Fixed decimals (percent: one).
    Fixed(usize),
    /// At least three significant digits, no decimals from 100 up (万吨: "2400", "63.5", "1.27").
    Significant3,
}

impl Digits {
    /// Decimals for a shown value `v`.
    pub fn decimals(self, v: f64) -> usize {
        match self {
            Digits::Whole => 0,
            Digits::Fixed(d) => d,
            Digits::Significant3 => match v.abs() {
                a if a >= 100.0 || a == 0.0 => 0,
                a if a >= 10.0 => 1,
                a if a >= 1.0 => 2,
                _ => 3,
            },
        }
    }
}

impl Convention {
    fn new(divisor: f64, zh: &str, en: &str, digits: Digits) -> Self {
        Self {
            divisor,
            zh: zh.to_string(),
            en: en.to_string(),
            digits,
        }
    }

    /// Unit text in `lang`.
    pub fn text(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// The convention of a chart unit (the table of this module).
pub fn convention(unit: &Unit) -> Convention {
    use Digits::*;
    match unit {
        Unit::Tonnes => Convention::new(1.0, "吨", "t", Whole),
        Unit::TonnesCo2 => Convention::new(1e4, "万吨 CO₂", "10⁴ t CO₂", Significant3),
        Unit::Tce => Convention::new(1e4, "万吨标准煤", "10⁴ tce", Significant3),
        Unit::Percent => Convention::new(1.0, "%", "%", Fixed(1)),
        Unit::TcePer10kYuan => {
            Convention::new(1.0, "吨标准煤/万元", "tce per 10,000 yuan", Significant3)
        }
        Unit::TCo2Per10kYuan => {
            Convention::new(1.0, "吨 CO₂/万元", "t CO₂ per 10,000 yuan", Significant3)
        }
        Unit::Dimensionless => Convention::new(1.0, "无量纲", "dimensionless", Fixed(2)),
        Unit::Custom(l) => Convention::new(1.0, &l.zh, &l.en, Significant3),
    }
}

/// Chart unit of an indicator or series (`name`, base `unit` as the model states it) and the
/// factor from the model's value to the chart's base unit (fractions become percent).
pub fn of_indicator(name: &str, unit: &str) -> (Unit, f64) {
    match unit {
        "fraction" => (Unit::Percent, 100.0),
        "t" if name.starts_with("co2") => (Unit::TonnesCo2, 1.0),
        "t" => (Unit::Tonnes, 1.0),
        "tce" => (Unit::Tce, 1.0),
        "亿元" => (Unit::Custom(Label::new("亿元", "100 million yuan")), 1.0),
        "year" => (Unit::Custom(Label::new("年", "year")), 1.0),
        other => (Unit::Custom(Label::new(other, other)), 1.0),
    }
}

/// A base-unit value in its convention: number and unit text ("6300 吨", "6,300 t",
/// "2400 万吨 CO₂", "−18.0 %"); "—" when not finite.
pub fn format(v: f64, unit: &Unit, lang: Lang) -> String {
    if !v.is_finite() {
        return "—".to_string();
    }
    let c = convention(unit);
    let x = v / c.divisor;
    let n = format_number(x, c.digits.decimals(x), lang);
    match (unit, c.text(lang)) {
        (Unit::Dimensionless, _) | (_, "") => n,
        (_, t) => format!("{n} {t}"),
    }
}

/// The number alone of a base-unit value in its convention ("6,300").
pub fn format_number_in(v: f64, unit: &Unit, lang: Lang) -> String {
    let c = convention(unit);
    let x = v / c.divisor;
    format_number(x, c.digits.decimals(x), lang)
}

/// A model value of indicator `name` in model unit `unit` (fractions, t, tce, 亿元, year) in
/// the convention; years as plain integers.
pub fn format_indicator(x: f64, name: &str, unit: &str, lang: Lang) -> String {
    if !x.is_finite() {
        return "—".to_string();
    }
    if unit == "year" {
        return format!("{x:.0}");
    }
    let (u, f) = of_indicator(name, unit);
    format(x * f, &u, lang)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::SERIES;

    /// The indicators of MODEL.md §2 with their model units (the model's list is private to
    /// it; `tests/it/units.rs` checks a real run's indicators against the same table).
    pub(crate) const INDICATORS: [(&str, &str); 9] = [
        ("co2_intensity_change", "fraction"),
        ("energy_intensity_change", "fraction"),
        ("energy_intensity_change_gross", "fraction"),
        ("nonfossil_share", "fraction"),
        ("nox_key_project_reduction_t", "t"),
        ("vocs_key_project_reduction_t", "t"),
        ("nox_new_increment_t", "t"),
        ("vocs_new_increment_t", "t"),
        ("co2_peak_year", "year"),
    ];

    /// What the plan states each quantity in: (name prefix, zh unit, en unit).
    fn expected(name: &str, unit: &str) -> (&'static str, &'static str) {
        match unit {
            "fraction" => ("%", "%"),
            "year" => ("", ""),
            "亿元" => ("亿元", "100 million yuan"),
            // Heat the biomass plants cannot place (issue 18's planner warning), as reported.
            "MWh" => ("MWh", "MWh"),
            "tce" => ("万吨标准煤", "10⁴ tce"),
            "t" if name.starts_with("co2") => ("万吨 CO₂", "10⁴ t CO₂"),
            "t" if name.starts_with("nox") || name.starts_with("vocs") => ("吨", "t"),
            other => panic!("{name}: no convention for unit {other:?}"),
        }
    }

    #[test]
    fn every_indicator_and_series_is_shown_in_the_plans_unit() {
        let all = INDICATORS
            .iter()
            .copied()
            .chain(SERIES.iter().map(|d| (d.name, d.unit)));
        let mut n = 0;
        for (name, unit) in all {
            n += 1;
            let (zh, en) = expected(name, unit);
            let (u, _) = of_indicator(name, unit);
            if unit != "year" {
                let c = convention(&u);
                assert_eq!((c.zh.as_str(), c.en.as_str()), (zh, en), "{name}");
                // The same number in both languages (only the grouping differs).
                let v = 12_345.678;
                let strip = |s: String| s.replace(',', "");
                let (a, b) = (
                    format_indicator(v, name, unit, Lang::Zh),
                    format_indicator(v, name, unit, Lang::En),
                );
                assert_eq!(
                    strip(a.split(' ').next().unwrap_or("").to_string()),
                    strip(b.split(' ').next().unwrap_or("").to_string()),
                    "{name}: {a} vs {b}"
                );
            }
        }
        assert!(n >= 9 + 30, "{n} quantities checked");
    }

    #[test]
    fn digits_follow_the_convention() {
        let t = |x: f64, n: &str, u: &str, l: Lang| format_indicator(x, n, u, l);
        // NOx and VOCs: whole tonnes, as the plan's 6300 吨 / 700 吨.
        assert_eq!(
            t(6300.0, "nox_key_project_reduction_t", "t", Lang::Zh),
            "6300 吨"
        );
        assert_eq!(
            t(6300.4, "nox_key_project_reduction_t", "t", Lang::En),
            "6,300 t"
        );
        assert_eq!(
            t(699.6, "vocs_key_project_reduction_t", "t", Lang::Zh),
            "700 吨"
        );
        // CO₂ and energy in 万吨 with three significant digits.
        assert_eq!(t(2.4e7, "co2_total_t", "t", Lang::Zh), "2400 万吨 CO₂");
        assert_eq!(t(2.4e7, "co2_total_t", "t", Lang::En), "2,400 10⁴ t CO₂");
        assert_eq!(
            t(635_000.0, "energy_total_tce", "tce", Lang::Zh),
            "63.5 万吨标准煤"
        );
        assert_eq!(
            t(12_700.0, "energy_total_tce", "tce", Lang::Zh),
            "1.27 万吨标准煤"
        );
        // Shares and intensity changes in percent with one decimal.
        assert_eq!(
            t(-0.18, "co2_intensity_change", "fraction", Lang::En),
            "−18.0 %"
        );
        assert_eq!(t(0.1534, "nonfossil_share", "fraction", Lang::Zh), "15.3 %");
        assert_eq!(t(2028.0, "co2_peak_year", "year", Lang::Zh), "2028");
        assert_eq!(t(f64::NAN, "x", "t", Lang::Zh), "—");
        assert_eq!(t(1234.4, "gdp_yuan_1e8", "亿元", Lang::Zh), "1234 亿元");
    }
}
