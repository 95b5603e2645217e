//! Words, percentages and colours shared by the HTML and Word briefings.

use crate::model::indicators::Unit;
use crate::present::charts::Lang;
use crate::present::units::{format_indicator_in, format_value};

pub use crate::present::units::count;
use crate::present::units::group_digits;

/// Tonnes as the plan writes NOx and VOCs targets: whole tonnes with thousands separators
/// ("6,300 t", "6,300 吨"); signed when `signed`.
pub fn tonnes(x: f64, lang: Lang, signed: bool) -> String {
    if !x.is_finite() {
        return "—".to_string();
    }
    let r = x.round();
    let grouped = group_digits(&format!("{:.0}", r.abs()));
    let sign = if r < 0.0 {
        "−"
    } else if signed && r > 0.0 {
        "+"
    } else {
        ""
    };
    match lang {
        Lang::Zh => format!("{sign}{grouped} 吨"),
        Lang::En => format!("{sign}{grouped} t"),
    }
}

/// A value in `unit` for the briefing's text and tables: NOx and VOCs in whole tonnes as the
/// plan's targets state them (issue 20's unit convention), everything else as the charts write
/// it (the number alone when the unit is not known).
pub fn value(x: f64, unit: Option<Unit>, lang: Lang) -> String {
    match unit {
        Some(Unit::Tonnes) => tonnes(x, lang, false),
        u => format_value(x, u, lang),
    }
}

/// [`value`] of an indicator evaluated in `year`: the CO₂ peak year in words when emissions
/// have not peaked by then ([`format_indicator_in`]).
pub fn value_in(x: f64, unit: Unit, year: i32, lang: Lang) -> String {
    match unit {
        Unit::Tonnes => tonnes(x, lang, false),
        u => format_indicator_in(x, u, year, lang),
    }
}

/// Picks the text of `lang`.
pub fn tr<'a>(lang: Lang, zh: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// Escapes text for HTML element content and double-quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A probability as a whole percent ("37 %"): a Monte Carlo share of 10,000 draws has no
/// meaningful decimals for a planner. Never "0 %" or "100 %" for a probability that is not
/// exactly 0 or 1: those read "<1 %" and ">99 %".
pub fn pct(p: f64) -> String {
    if !p.is_finite() {
        return "—".to_string();
    }
    let r = (p * 100.0).round();
    if r >= 100.0 && p < 1.0 {
        ">99 %".to_string()
    } else if r <= 0.0 && p > 0.0 {
        "<1 %".to_string()
    } else {
        format!("{r:.0} %")
    }
}

/// A Wilson interval as "12–18 %" (whole percents, the bounds rounded outwards so the
/// interval never looks narrower than it is).
pub fn pct_range(lo: f64, hi: f64) -> String {
    if !(lo.is_finite() && hi.is_finite()) {
        return "—".to_string();
    }
    let l = (lo * 100.0).floor().max(0.0);
    let h = (hi * 100.0).ceil().min(100.0);
    format!("{l:.0}–{h:.0} %")
}

/// Likelihood class of a probability, in the calibrated words of the IPCC uncertainty
/// guidance (Mastrandrea et al. 2010): virtually certain ≥ 99 %, very likely ≥ 90 %, likely
/// ≥ 66 %, about as likely as not ≥ 33 %, unlikely ≥ 10 %, very unlikely ≥ 1 %, else
/// exceptionally unlikely.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Likelihood {
    /// < 1 %.
    ExceptionallyUnlikely,
    /// 1–10 %.
    VeryUnlikely,
    /// 10–33 %.
    Unlikely,
    /// 33–66 %.
    AboutAsLikelyAsNot,
    /// 66–90 %.
    Likely,
    /// 90–99 %.
    VeryLikely,
    /// ≥ 99 %.
    VirtuallyCertain,
}

impl Likelihood {
    /// The class of probability `p`.
    pub fn of(p: f64) -> Likelihood {
        match p {
            p if p >= 0.99 => Likelihood::VirtuallyCertain,
            p if p >= 0.90 => Likelihood::VeryLikely,
            p if p >= 0.66 => Likelihood::Likely,
            p if p >= 0.33 => Likelihood::AboutAsLikelyAsNot,
            p if p >= 0.10 => Likelihood::Unlikely,
            p if p >= 0.01 => Likelihood::VeryUnlikely,
            _ => Likelihood::ExceptionallyUnlikely,
        }
    }

    /// "met … " phrase: how likely the target is met.
    pub fn words(self, lang: Lang) -> &'static str {
        use Likelihood::*;
        match (self, lang) {
            (VirtuallyCertain, Lang::Zh) => "几乎确定达标",
            (VeryLikely, Lang::Zh) => "很可能达标",
            (Likely, Lang::Zh) => "可能达标",
            (AboutAsLikelyAsNot, Lang::Zh) => "达标与否可能性相当",
            (Unlikely, Lang::Zh) => "不太可能达标",
            (VeryUnlikely, Lang::Zh) => "很不可能达标",
            (ExceptionallyUnlikely, Lang::Zh) => "几乎不可能达标",
            (VirtuallyCertain, Lang::En) => "virtually certain to be met",
            (VeryLikely, Lang::En) => "very likely to be met",
            (Likely, Lang::En) => "likely to be met",
            (AboutAsLikelyAsNot, Lang::En) => "about as likely met as not",
            (Unlikely, Lang::En) => "unlikely to be met",
            (VeryUnlikely, Lang::En) => "very unlikely to be met",
            (ExceptionallyUnlikely, Lang::En) => "exceptionally unlikely to be met",
        }
    }
}

/// Classes of the attainment colour scale: 10 % each, as in the PNG attainment table.
pub const PROB_CLASSES: u32 = 10;

/// Background of an attainment cell: the blue of the 10 % class `p` falls in (100 % is in the
/// top class), on the same ramp as the PNG attainment table (ColorBrewer "Blues" ends
/// #F7FBFF → #08306B, class k of 10 at k/9 along it), so the HTML, Word and PNG tables agree.
pub fn prob_class_rgb(p: f64) -> (u8, u8, u8) {
    let k = (p.clamp(0.0, 1.0) * f64::from(PROB_CLASSES))
        .floor()
        .min(f64::from(PROB_CLASSES - 1));
    let t = k / f64::from(PROB_CLASSES - 1);
    let (a, b) = ((0xF7, 0xFB, 0xFF), (0x08, 0x30, 0x6B));
    let m = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * t).round() as u8;
    (m(a.0, b.0), m(a.1, b.1), m(a.2, b.2))
}

/// `RRGGBB` of a colour.
pub fn hex(c: (u8, u8, u8)) -> String {
    format!("{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// Text colour readable on background `c`: white on the dark half of the ramp.
pub fn text_on(c: (u8, u8, u8)) -> (u8, u8, u8) {
    // Relative luminance (ITU-R BT.709 weights on gamma-encoded values; enough to pick black
    // or white).
    let y = 0.2126 * f64::from(c.0) + 0.7152 * f64::from(c.1) + 0.0722 * f64::from(c.2);
    if y < 128.0 {
        (255, 255, 255)
    } else {
        (0, 0, 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tonnes_are_whole_and_grouped() {
        assert_eq!(tonnes(6300.0, Lang::En, false), "6,300 t");
        assert_eq!(tonnes(1_234_567.4, Lang::Zh, false), "1,234,567 吨");
        assert_eq!(tonnes(-2000.0, Lang::En, true), "−2,000 t");
        assert_eq!(tonnes(15.0, Lang::En, true), "+15 t");
        assert_eq!(tonnes(999.6, Lang::En, false), "1,000 t");
        assert_eq!(tonnes(-0.2, Lang::En, true), "0 t");
        assert_eq!(count(10_000u64), "10,000");
        assert_eq!(count(400u64), "400");
        assert_eq!(count(1_234_567u64), "1,234,567");
        assert_eq!(value(6300.0, Some(Unit::Tonnes), Lang::Zh), "6,300 吨");
    }

    #[test]
    fn percentages_are_whole_and_never_claim_certainty_falsely() {
        assert_eq!(pct(0.374), "37 %");
        assert_eq!(pct(0.9996), ">99 %");
        assert_eq!(pct(0.995), ">99 %");
        assert_eq!(pct(0.994), "99 %");
        assert_eq!(pct(1.0), "100 %");
        assert_eq!(pct(0.004), "<1 %");
        assert_eq!(pct(0.0), "0 %");
        assert_eq!(pct(f64::NAN), "—");
        assert_eq!(pct_range(0.121, 0.179), "12–18 %");
        assert_eq!(pct_range(0.0, 0.0004), "0–1 %");
    }

    #[test]
    fn likelihood_classes_follow_the_ipcc_bounds() {
        assert_eq!(Likelihood::of(0.995), Likelihood::VirtuallyCertain);
        assert_eq!(Likelihood::of(0.9), Likelihood::VeryLikely);
        assert_eq!(Likelihood::of(0.8999), Likelihood::Likely);
        assert_eq!(Likelihood::of(0.5), Likelihood::AboutAsLikelyAsNot);
        assert_eq!(Likelihood::of(0.2), Likelihood::Unlikely);
        assert_eq!(Likelihood::of(0.05), Likelihood::VeryUnlikely);
        assert_eq!(Likelihood::of(0.0), Likelihood::ExceptionallyUnlikely);
        assert!(Likelihood::of(0.7) > Likelihood::of(0.3));
    }

    #[test]
    fn attainment_colours_are_ten_blue_classes_from_light_to_dark() {
        // Ends of the ramp, hand-computed: class 0 is #F7FBFF, class 9 (90–100 %) #08306B.
        assert_eq!(hex(prob_class_rgb(0.0)), "F7FBFF");
        assert_eq!(hex(prob_class_rgb(0.95)), "08306B");
        assert_eq!(prob_class_rgb(1.0), prob_class_rgb(0.9));
        assert_ne!(prob_class_rgb(0.0999), prob_class_rgb(0.1));
        assert_eq!(prob_class_rgb(0.1), prob_class_rgb(0.1999));
        // Darker with every class (the scale reads in greyscale).
        let lum = |c: (u8, u8, u8)| u32::from(c.0) + u32::from(c.1) + u32::from(c.2);
        for k in 1..10 {
            let (a, b) = (f64::from(k - 1) / 10.0, f64::from(k) / 10.0);
            assert!(lum(prob_class_rgb(b)) < lum(prob_class_rgb(a)), "class {k}");
        }
        assert_eq!(text_on(prob_class_rgb(0.95)), (255, 255, 255));
        assert_eq!(text_on(prob_class_rgb(0.05)), (0, 0, 0));
    }
}
