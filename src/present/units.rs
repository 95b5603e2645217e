//! The unit convention: one display unit per indicator, as the plan states its targets
//! (NOx and VOCs in 吨 / t, CO₂ in 万吨, energy in 万吨标准煤, intensities and shares in %),
//! with the number of digits that go with it. Every chart and table formatter of `present/`
//! goes through [`convention`] and [`format()`], so a quantity reads the same in every chart,
//! table and language (the English text shows the same numbers, "10⁴ t CO₂" for 万吨 CO₂).

use super::charts::style::format_number;
use super::charts::{Label, Lang, Unit};
use crate::model::indicators::Unit as ModelUnit;

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

/// Digits of a whole number with a comma every three ("1234567" → "1,234,567").
pub(crate) fn group_digits(digits: &str) -> String {
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    grouped
}

/// A count (draws, inputs) in both languages: thousands separated by commas ("10,000 draws",
/// "10,000 次抽样"), as the briefing writes it and chart footers print it.
pub fn count(n: u64) -> String {
    group_digits(&n.to_string())
}

/// Chart unit of a model output's unit and the factor from the model's value to the chart's
/// base unit (fractions become percent).
pub fn of_model(unit: ModelUnit) -> (Unit, f64) {
    match unit {
        ModelUnit::Fraction => (Unit::Percent, 100.0),
        ModelUnit::TonnesCo2 => (Unit::TonnesCo2, 1.0),
        ModelUnit::Tonnes => (Unit::Tonnes, 1.0),
        ModelUnit::Tce => (Unit::Tce, 1.0),
        ModelUnit::Yuan1e8 => (Unit::Custom(Label::new("亿元", "100 million yuan")), 1.0),
        ModelUnit::Year => (Unit::Custom(Label::new("年", "year")), 1.0),
        ModelUnit::MWh => (Unit::Custom(Label::new("MWh", "MWh")), 1.0),
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

/// A model value in `unit` (fractions, t, tce, 亿元, year, MWh) in the convention; years as
/// plain integers.
pub fn format_indicator(x: f64, unit: ModelUnit, lang: Lang) -> String {
    if !x.is_finite() {
        return "—".to_string();
    }
    if unit == ModelUnit::Year {
        return format!("{x:.0}");
    }
    let (u, f) = of_model(unit);
    format(x * f, &u, lang)
}

/// What a table prints for a CO₂ peak year in the year the indicator is evaluated in (the
/// horizon): the maximum is in the last year, so emissions have "not yet peaked" (MODEL.md §2;
/// the peak-year chart's hatched category, counted as not met).
pub fn not_yet_peaked(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "未达峰",
        Lang::En => "not yet peaked",
    }
}

/// [`format_indicator`] of an indicator evaluated in `year`: a peak year at or after `year`
/// (the maximum in the horizon) in words, [`not_yet_peaked`], instead of the horizon's number.
pub fn format_indicator_in(x: f64, unit: ModelUnit, year: i32, lang: Lang) -> String {
    if unit == ModelUnit::Year && x.is_finite() && x >= f64::from(year) {
        return not_yet_peaked(lang).to_string();
    }
    format_indicator(x, unit, lang)
}

/// [`format_indicator`] when the unit is known, else the number alone with three significant
/// digits (a target on an indicator the summary does not list).
pub fn format_value(x: f64, unit: Option<ModelUnit>, lang: Lang) -> String {
    match unit {
        Some(u) => format_indicator(x, u, lang),
        None => format(x, &Unit::Custom(Label::new("", "")), lang),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::SERIES;
    use crate::model::indicators::all_defs;

    /// What the plan states each quantity in: (name prefix, zh unit, en unit).
    fn expected(name: &str, unit: &str) -> (&'static str, &'static str) {
        // By the quantity's name and the unit written in files, independently of the type.
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
        let all = all_defs()
            .iter()
            .map(|d| (d.name, d.unit))
            .chain(SERIES.iter().map(|d| (d.name, d.unit)));
        let mut n = 0;
        for (name, unit) in all {
            n += 1;
            let (zh, en) = expected(name, unit.as_str());
            let (u, _) = of_model(unit);
            if unit != ModelUnit::Year {
                let c = convention(&u);
                assert_eq!((c.zh.as_str(), c.en.as_str()), (zh, en), "{name}");
                // The same number in both languages (only the grouping differs).
                let v = 12_345.678;
                let strip = |s: String| s.replace(',', "");
                let (a, b) = (
                    format_indicator(v, unit, Lang::Zh),
                    format_indicator(v, unit, Lang::En),
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
        let t = |x: f64, u: ModelUnit, l: Lang| format_indicator(x, u, l);
        // NOx and VOCs: whole tonnes, as the plan's 6300 吨 / 700 吨.
        assert_eq!(t(6300.0, ModelUnit::Tonnes, Lang::Zh), "6300 吨");
        assert_eq!(t(6300.4, ModelUnit::Tonnes, Lang::En), "6,300 t");
        assert_eq!(t(699.6, ModelUnit::Tonnes, Lang::Zh), "700 吨");
        // CO₂ and energy in 万吨 with three significant digits.
        assert_eq!(t(2.4e7, ModelUnit::TonnesCo2, Lang::Zh), "2400 万吨 CO₂");
        assert_eq!(t(2.4e7, ModelUnit::TonnesCo2, Lang::En), "2,400 10⁴ t CO₂");
        assert_eq!(t(635_000.0, ModelUnit::Tce, Lang::Zh), "63.5 万吨标准煤");
        assert_eq!(t(12_700.0, ModelUnit::Tce, Lang::Zh), "1.27 万吨标准煤");
        // Shares and intensity changes in percent with one decimal.
        assert_eq!(t(-0.18, ModelUnit::Fraction, Lang::En), "−18.0 %");
        assert_eq!(t(0.1534, ModelUnit::Fraction, Lang::Zh), "15.3 %");
        assert_eq!(t(2028.0, ModelUnit::Year, Lang::Zh), "2028");
        assert_eq!(t(f64::NAN, ModelUnit::Tonnes, Lang::Zh), "—");
        assert_eq!(t(1234.4, ModelUnit::Yuan1e8, Lang::Zh), "1234 亿元");
    }

    #[test]
    fn a_peak_in_the_horizon_reads_not_yet_peaked() {
        let t = |x: f64, l: Lang| format_indicator_in(x, ModelUnit::Year, 2030, l);
        assert_eq!(t(2030.0, Lang::Zh), "未达峰");
        assert_eq!(t(2030.0, Lang::En), "not yet peaked");
        assert_eq!(t(2029.0, Lang::Zh), "2029");
        assert_eq!(t(2020.0, Lang::En), "2020");
        assert_eq!(t(f64::NAN, Lang::En), "—");
        // Other units are untouched by the year.
        assert_eq!(
            format_indicator_in(6300.0, ModelUnit::Tonnes, 2025, Lang::Zh),
            "6300 吨"
        );
    }
}
