//! Chart style: language, font, size, the Okabe–Ito palette, and unit/number formatting.

use plotters::style::RGBColor;

use super::data::{Label, Unit};
use super::fonts::ChartFont;

/// Language of all chart text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Simplified Chinese (needs a CJK font).
    Zh,
    /// English.
    En,
}

/// Everything about a chart that is not data.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartStyle {
    /// Language of titles, axes, legends.
    pub lang: Lang,
    /// Font of every text (see [`super::fonts`]).
    pub font: ChartFont,
    /// Footer for traceability: scenario, seed, draws, program version (caller-provided).
    pub footer: String,
    /// Image width in pixels (PNG) / user units (SVG).
    pub width: u32,
    /// Image height in pixels.
    pub height: u32,
    /// Multiplier on all text sizes (1.0 = the sizes in points of `common`).
    pub font_scale: f64,
    /// Width the chart is pasted at (cm): text sizes are given in points at that width.
    pub paste_width_cm: f64,
    /// Tallest image a chart that grows with its panels may take (px): a page or a slide.
    pub max_height: u32,
}

/// Where a chart is pasted, which fixes its pixel size and the printed size of its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PrintSize {
    /// 16 cm wide on an A4 page (its text width), half a page high; 300 dpi. Small multiples
    /// grow up to a full page (24.7 cm).
    #[default]
    A4,
    /// 33.87 cm wide on a 16:9 slide, the slide's height; 150 dpi.
    Slide,
}

impl PrintSize {
    /// Pixel width and height, paste width (cm) and tallest height (px) of this size.
    pub fn geometry(self) -> (u32, u32, f64, u32) {
        match self {
            // 16 cm at 300 dpi = 1890 px; 11 cm high; a page of 24.7 cm at most.
            PrintSize::A4 => (1890, 1300, 16.0, 2917),
            // 33.867 cm × 19.05 cm (16:9) at 150 dpi.
            PrintSize::Slide => (2000, 1125, 33.867, 1125),
        }
    }
}

/// Default width: [`PrintSize::A4`].
pub const DEFAULT_WIDTH: u32 = 1890;
/// Default height.
pub const DEFAULT_HEIGHT: u32 = 1300;

/// Points per centimetre.
const PT_PER_CM: f64 = 72.0 / 2.54;

impl ChartStyle {
    /// A [`DEFAULT_WIDTH`]×[`DEFAULT_HEIGHT`] style with the given language, font and footer.
    pub fn new(lang: Lang, font: ChartFont, footer: impl Into<String>) -> Self {
        Self::sized(lang, font, footer, PrintSize::A4)
    }

    /// A style of the given print size.
    pub fn sized(lang: Lang, font: ChartFont, footer: impl Into<String>, size: PrintSize) -> Self {
        let (width, height, paste_width_cm, max_height) = size.geometry();
        Self {
            lang,
            font,
            footer: footer.into(),
            width,
            height,
            font_scale: 1.0,
            paste_width_cm,
            max_height,
        }
    }

    /// Pixels per printed point at the paste width.
    pub fn px_per_pt(&self) -> f64 {
        f64::from(self.width) / (self.paste_width_cm * PT_PER_CM)
    }

    /// Printed size (pt) of text `px` pixels high, at the paste width.
    pub fn printed_pt(&self, px: f64) -> f64 {
        px / self.px_per_pt()
    }

    /// Pixel size for a nominal size given at 1500 px height.
    pub(crate) fn px(&self, nominal: f64) -> f64 {
        nominal * f64::from(self.height.min(self.width)) / 1500.0
    }

    /// Text size in pixels of a size in printed points (at the paste width).
    pub(crate) fn text_px(&self, pt: f64) -> f64 {
        pt * self.px_per_pt() * self.font_scale
    }

    /// Picks the text for this style's language.
    pub fn t<'a>(&self, label: &'a Label) -> &'a str {
        label.get(self.lang)
    }

    /// Picks between a Chinese and an English literal.
    pub fn tr<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        match self.lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// Okabe & Ito (2008) colour-blind-safe palette, ordered so that neighbouring scenarios differ
/// in lightness too: blue, orange, bluish green, sky blue, vermillion, reddish purple, yellow.
/// Black is kept for targets.
pub const OKABE_ITO: [RGBColor; 7] = [
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0xCC, 0x79, 0xA7),
    RGBColor(0xF0, 0xE4, 0x42),
];

/// Measure palette (Paul Tol's "muted" scheme, colour-blind safe), disjoint from the scenario
/// palette [`OKABE_ITO`]: a colour belongs either to a scenario or to a measure. Ordered so
/// that neighbouring slots differ in lightness.
pub const MEASURE_PALETTE: [RGBColor; 9] = [
    RGBColor(0xDD, 0xCC, 0x77),
    RGBColor(0x33, 0x22, 0x88),
    RGBColor(0x88, 0xCC, 0xEE),
    RGBColor(0x88, 0x22, 0x55),
    RGBColor(0x44, 0xAA, 0x99),
    RGBColor(0xCC, 0x66, 0x77),
    RGBColor(0x11, 0x77, 0x33),
    RGBColor(0x99, 0x99, 0x33),
    RGBColor(0xAA, 0x44, 0x99),
];

/// Colour of a group of small measures summed into one band (no slot of its own).
pub const OTHER_MEASURES_COLOR: RGBColor = RGBColor(0xBB, 0xBB, 0xBB);

/// Pattern drawn over a measure's fill so bands of similar grey still differ in greyscale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hatch {
    /// Plain fill.
    Solid,
    /// Vertical lines.
    Lines,
    /// A grid of dots.
    Dots,
}

/// Colour of the measure in palette `slot` (None: a group of small measures).
pub fn measure_color(slot: Option<usize>) -> RGBColor {
    slot.map_or(OTHER_MEASURES_COLOR, |k| {
        MEASURE_PALETTE[k % MEASURE_PALETTE.len()]
    })
}

/// Pattern of the measure in palette `slot`: it changes with every third slot and again when
/// the palette repeats, so two bands never share both colour and pattern within 27 slots.
pub fn measure_hatch(slot: Option<usize>) -> Hatch {
    let Some(k) = slot else {
        return Hatch::Solid;
    };
    let n = MEASURE_PALETTE.len();
    [Hatch::Solid, Hatch::Lines, Hatch::Dots][(k % n % 3 + k / n) % 3]
}

/// CSS hex form of a colour, "#RRGGBB" (the HTML briefing uses the charts' colours).
pub fn css_hex(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// Colour of targets and reference lines (dark in greyscale).
pub const TARGET_COLOR: RGBColor = RGBColor(0x11, 0x11, 0x11);

/// Line pattern of a scenario: dash and gap length in nominal pixels (0 = solid).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dash {
    /// Dash length (0 for a solid line).
    pub on: u32,
    /// Gap length.
    pub off: u32,
}

/// Dash patterns cycled by scenario order (solid, long, short, dotted, long-gap).
pub const DASHES: [Dash; 5] = [
    Dash { on: 0, off: 0 },
    Dash { on: 28, off: 12 },
    Dash { on: 12, off: 10 },
    Dash { on: 4, off: 8 },
    Dash { on: 28, off: 24 },
];

/// Marker shape of a scenario (exceedance and fan medians), cycled by scenario order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// Filled circle.
    Circle,
    /// Filled triangle.
    Triangle,
    /// Filled square.
    Square,
    /// Cross.
    Cross,
    /// Hollow circle.
    Ring,
}

const MARKERS: [Marker; 5] = [
    Marker::Circle,
    Marker::Triangle,
    Marker::Square,
    Marker::Cross,
    Marker::Ring,
];

/// Colour of the scenario in palette slot `order` (see [`super::data::ScenarioKey::order`]).
pub fn scenario_color(order: usize) -> RGBColor {
    OKABE_ITO[order % OKABE_ITO.len()]
}

/// Dash pattern of the scenario at `order`.
pub fn scenario_dash(order: usize) -> Dash {
    DASHES[order % DASHES.len()]
}

/// Marker of the scenario at `order`.
pub fn scenario_marker(order: usize) -> Marker {
    MARKERS[order % MARKERS.len()]
}

/// How values of a unit are shown on an axis: divide by `divisor`, label with `text`.
#[derive(Debug, Clone, PartialEq)]
pub struct AxisUnit {
    /// Divide base-unit values by this before drawing.
    pub divisor: f64,
    /// Unit text for the axis title, e.g. "万吨 CO₂" or "10⁴ t CO₂".
    pub text: String,
    /// Digits of a shown value (the unit convention's).
    pub digits: crate::present::units::Digits,
}

impl AxisUnit {
    /// Decimals of shown value `v` (already divided by [`AxisUnit::divisor`]).
    pub fn decimals(&self, v: f64) -> usize {
        self.digits.decimals(v)
    }
}

/// Display unit of `unit` from the unit convention ([`crate::present::units`]): the same for
/// every magnitude and language (`_max_abs` is kept for callers that pass the data's range).
pub fn axis_unit(unit: &Unit, lang: Lang, _max_abs: f64) -> AxisUnit {
    let c = crate::present::units::convention(unit);
    AxisUnit {
        divisor: c.divisor,
        text: c.text(lang).to_string(),
        digits: c.digits,
    }
}

/// Axis title "name（unit）" (full-width parentheses in Chinese) or "name (unit)".
pub fn axis_title(name: &str, unit: &AxisUnit, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{name}（{}）", unit.text),
        Lang::En => format!("{name} ({})", unit.text),
    }
}

/// Decimals that resolve steps of `step` (0 to 4).
pub fn decimals_for_step(step: f64) -> usize {
    if !(step.is_finite() && step > 0.0) {
        return 0;
    }
    let d = -step.log10().floor();
    d.clamp(0.0, 4.0) as usize
}

/// Formats a number: English groups thousands with commas; Chinese does not group.
pub fn format_number(v: f64, decimals: usize, lang: Lang) -> String {
    if !v.is_finite() {
        return "—".to_string();
    }
    let s = format!("{:.*}", decimals, v.abs());
    let neg = v < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0');
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (s.clone(), None),
    };
    let int = match lang {
        Lang::Zh => int,
        Lang::En => {
            let b = int.as_bytes();
            let mut out = String::with_capacity(int.len() + int.len() / 3);
            for (k, ch) in b.iter().enumerate() {
                if k > 0 && (b.len() - k) % 3 == 0 {
                    out.push(',');
                }
                out.push(char::from(*ch));
            }
            out
        }
    };
    let mut out = String::new();
    if neg {
        out.push('−');
    }
    out.push_str(&int);
    if let Some(f) = frac {
        out.push('.');
        out.push_str(&f);
    }
    out
}

/// Formats a base-unit value in the unit convention, e.g. "4512 万吨 CO₂" / "6,300 t".
pub fn format_value(v: f64, unit: &Unit, lang: Lang) -> String {
    crate::present::units::format(v, unit, lang)
}

/// A probability after its name: "= 72 %", but "> 99 %" and "< 1 %" without an equals sign
/// (never "= >99 %").
pub fn probability_relation(p: f64) -> String {
    let f = format_probability(p);
    if f.starts_with('>') || f.starts_with('<') {
        f
    } else {
        format!("= {f}")
    }
}

/// Formats a signed number with an explicit sign ("+1.2", "−0.4").
pub fn format_signed(v: f64, decimals: usize, lang: Lang) -> String {
    let s = format_number(v, decimals, lang);
    if v > 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        format!("+{s}")
    } else {
        s
    }
}

/// Formats a probability in 0..=1 as a whole percentage, "72 %"; NaN gives "—".
pub fn format_probability(p: f64) -> String {
    if !p.is_finite() {
        return "—".to_string();
    }
    let pct = (p * 100.0).clamp(0.0, 100.0);
    // Never print 100 % or 0 % for a probability that is not exactly 1 or 0.
    let r = if pct > 99.0 && p < 1.0 {
        "> 99".to_string()
    } else if pct < 1.0 && p > 0.0 {
        "< 1".to_string()
    } else {
        format!("{:.0}", pct)
    };
    format!("{r} %")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_units_follow_the_unit_convention() {
        let u = axis_unit(&Unit::TonnesCo2, Lang::Zh, 4.5e7);
        assert_eq!((u.divisor, u.text.as_str()), (1e4, "万吨 CO₂"));
        let u = axis_unit(&Unit::TonnesCo2, Lang::En, 4.5e7);
        assert_eq!((u.divisor, u.text.as_str()), (1e4, "10⁴ t CO₂"));
        assert_eq!(axis_unit(&Unit::Tce, Lang::Zh, 9.0e6).text, "万吨标准煤");
        // NOx and VOCs stay in tonnes at every magnitude (the plan's 6300 吨).
        assert_eq!(axis_unit(&Unit::Tonnes, Lang::Zh, 9.0e4).text, "吨");
        assert_eq!(axis_unit(&Unit::Tonnes, Lang::En, 9.0e4).divisor, 1.0);
        assert_eq!(
            format_value(4.5123e7, &Unit::TonnesCo2, Lang::Zh),
            "4512 万吨 CO₂"
        );
        assert_eq!(format_value(6300.0, &Unit::Tonnes, Lang::En), "6,300 t");
    }

    #[test]
    fn numbers_and_probabilities() {
        assert_eq!(format_number(1234567.891, 1, Lang::En), "1,234,567.9");
        assert_eq!(format_number(1234567.891, 1, Lang::Zh), "1234567.9");
        assert_eq!(format_number(-0.0001, 2, Lang::En), "0.00");
        assert_eq!(format_signed(-1.5, 1, Lang::En), "−1.5");
        assert_eq!(format_signed(1.5, 1, Lang::En), "+1.5");
        assert_eq!(format_probability(0.724), "72 %");
        assert_eq!(format_probability(0.996), "> 99 %");
        assert_eq!(format_probability(1.0), "100 %");
        assert_eq!(format_probability(0.001), "< 1 %");
        assert_eq!(probability_relation(0.724), "= 72 %");
        assert_eq!(probability_relation(0.996), "> 99 %");
        assert_eq!(probability_relation(0.0001), "< 1 %");
        assert_eq!(format_probability(f64::NAN), "—");
        assert_eq!(decimals_for_step(0.25), 1);
        assert_eq!(decimals_for_step(50.0), 0);
    }

    #[test]
    fn palette_is_distinct_in_greyscale_for_neighbours() {
        let lum =
            |c: RGBColor| 0.299 * f64::from(c.0) + 0.587 * f64::from(c.1) + 0.114 * f64::from(c.2);
        for w in OKABE_ITO.windows(2) {
            assert!(
                (lum(w[0]) - lum(w[1])).abs() > 20.0,
                "{:?} vs {:?}",
                w[0],
                w[1]
            );
        }
        assert_ne!(scenario_dash(0), scenario_dash(1));
    }

    #[test]
    fn measure_palette_is_disjoint_from_scenarios_and_slots_differ() {
        for m in MEASURE_PALETTE.iter().chain([&OTHER_MEASURES_COLOR]) {
            assert!(!OKABE_ITO.contains(m), "{m:?} is a scenario colour");
            assert!(*m != TARGET_COLOR && *m != RGBColor(0, 0, 0));
        }
        let mut looks = std::collections::HashSet::new();
        for k in 0..27 {
            let c = measure_color(Some(k));
            assert!(
                looks.insert((c.0, c.1, c.2, measure_hatch(Some(k)) as u8)),
                "slot {k} looks like an earlier one"
            );
        }
        assert_eq!(measure_color(None), OTHER_MEASURES_COLOR);
        assert_eq!(css_hex(RGBColor(0x33, 0x22, 0x88)), "#332288");
    }
}
