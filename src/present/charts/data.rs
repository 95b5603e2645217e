//! Plain, prepared inputs of the chart functions.
//!
//! The lead fills these structs from analysis results; the charts only lay them out. Values are
//! in the base unit named by [`Unit`] (tonnes, tce, …); scaling to 万吨 / Mt happens when drawing.
//! The few helpers here ([`Density`], [`kde_silverman`], [`exceedance_curve`]) compute what a
//! chart shows from the draws, once, when the data is prepared.

use super::style::Lang;

/// A text given in both chart languages.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Label {
    /// Simplified Chinese text.
    pub zh: String,
    /// English text.
    pub en: String,
}

impl Label {
    /// Builds a label from its Chinese and English texts.
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The text for `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// Unit of the values handed to a chart (always the base unit; charts rescale for display).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Unit {
    /// Tonnes of CO₂ (shown as 万吨 CO₂ / Mt or kt CO₂ when large).
    TonnesCo2,
    /// Tonnes of a pollutant or other mass (万吨 / kt when large).
    Tonnes,
    /// Tonnes of coal equivalent (万吨标准煤 / Mtce when large).
    Tce,
    /// Percentage points (a value of 18.5 means 18.5 %).
    Percent,
    /// Energy intensity, tce per 10,000 yuan of GDP (吨标准煤/万元).
    TcePer10kYuan,
    /// Carbon intensity, t CO₂ per 10,000 yuan of GDP (吨 CO₂/万元).
    TCo2Per10kYuan,
    /// A dimensionless number (correlation, coefficient).
    Dimensionless,
    /// Any other unit, shown verbatim.
    Custom(Label),
}

/// Which side of a target counts as meeting it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Meeting the target means a value at or below it (emissions, intensity).
    LowerIsBetter,
    /// Meeting the target means a value at or above it (e.g. a renewable share).
    HigherIsBetter,
}

impl Direction {
    /// Whether `value` meets `target` in this direction.
    pub fn meets(self, value: f64, target: f64) -> bool {
        match self {
            Direction::LowerIsBetter => value <= target,
            Direction::HigherIsBetter => value >= target,
        }
    }
}

/// A target value of an indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// Target value in the indicator's base unit.
    pub value: f64,
    /// Which side meets the target.
    pub direction: Direction,
    /// Short name of the target, e.g. "十四五目标" / "14th FYP target".
    pub label: Label,
}

/// A scenario as charts see it: its position in the caller's fixed scenario order (which picks
/// its colour and dash pattern, the same in every chart) and its display name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioKey {
    /// Palette slot of the scenario (colour, dash, marker): the same in every chart of a run
    /// and of a comparison, and for a shipped scenario the same in `run` and `compare`.
    pub order: usize,
    /// Display name.
    pub label: Label,
}

/// Chart 1: distribution of one indicator in one year for one scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct DistributionData {
    /// Indicator name, e.g. "CO₂ 排放量" / "CO₂ emissions".
    pub indicator: Label,
    /// Unit of `draws` and the quantiles.
    pub unit: Unit,
    /// Scenario shown.
    pub scenario: ScenarioKey,
    /// Year shown (horizon year).
    pub year: i32,
    /// Monte Carlo values (may be a subsample).
    pub draws: Vec<f64>,
    /// Number of draws of the run (for the title; `draws` may be a subsample).
    pub n_draws: usize,
    /// Target, if the indicator has one.
    pub target: Option<Target>,
    /// P(target met) in 0..=1 from the analysis layer, printed next to the shaded region.
    pub p_target_met: Option<f64>,
    /// 5th percentile.
    pub p5: f64,
    /// Median.
    pub median: f64,
    /// 95th percentile.
    pub p95: f64,
    /// Histogram and density estimate of `draws` ([`Density::of`]).
    pub density: Density,
}

/// Chart 1b: distribution of a discrete (whole-number) indicator, such as the CO₂ peak year,
/// as bars: the share of draws at each value.
#[derive(Debug, Clone, PartialEq)]
pub struct DiscreteData {
    /// Indicator name, e.g. "二氧化碳排放达峰年份" / "Year of peak CO₂".
    pub indicator: Label,
    /// Scenario shown.
    pub scenario: ScenarioKey,
    /// Year the indicator is evaluated in (the horizon: a peak in this year means "not yet
    /// peaked by the horizon", MODEL.md §2, drawn as its own hatched category).
    pub year: i32,
    /// Base year of the run (a peak there means the emission never rose above its base-year
    /// level; the axis title says so).
    pub base_year: i32,
    /// Number of draws behind the shares.
    pub n_draws: usize,
    /// (value, share of draws in 0..=1), values ascending and distinct.
    pub shares: Vec<(i64, f64)>,
    /// Target, if the indicator has one (meeting values are drawn dark).
    pub target: Option<Target>,
    /// P(target met) in 0..=1 from the analysis layer.
    pub p_target_met: Option<f64>,
}

/// Small multiple of distribution charts: one panel per scenario, the same indicator and
/// year in every panel, stacked vertically on one shared x axis.
#[derive(Debug, Clone, PartialEq)]
pub struct DistributionPanelsData {
    /// One panel per scenario, in the caller's scenario order.
    pub panels: Vec<DistributionData>,
}

/// Small multiple of discrete bar charts (the CO₂ peak year): one panel per scenario, stacked
/// vertically on one shared x axis.
#[derive(Debug, Clone, PartialEq)]
pub struct DiscretePanelsData {
    /// One panel per scenario, in the caller's scenario order.
    pub panels: Vec<DiscreteData>,
}

/// Shares of draws at each whole value of `values` (non-finite values ignored), ascending.
pub fn discrete_shares(values: &[f64]) -> Vec<(i64, f64)> {
    let mut v: Vec<i64> = values
        .iter()
        .filter(|x| x.is_finite())
        .map(|x| x.round() as i64)
        .collect();
    let n = v.len();
    if n == 0 {
        return Vec::new();
    }
    v.sort_unstable();
    let mut out: Vec<(i64, f64)> = Vec::new();
    for x in v {
        match out.last_mut() {
            Some((y, c)) if *y == x => *c += 1.0,
            _ => out.push((x, 1.0)),
        }
    }
    out.iter_mut().for_each(|(_, c)| *c /= n as f64);
    out
}

/// Quantiles of one scenario's path over the years (all vectors as long as `years`).
#[derive(Debug, Clone, PartialEq)]
pub struct FanSeries {
    /// Scenario of this path.
    pub scenario: ScenarioKey,
    /// Years, ascending.
    pub years: Vec<i32>,
    /// 5th percentile per year.
    pub p5: Vec<f64>,
    /// 25th percentile per year.
    pub p25: Vec<f64>,
    /// Median per year.
    pub p50: Vec<f64>,
    /// 75th percentile per year.
    pub p75: Vec<f64>,
    /// 95th percentile per year.
    pub p95: Vec<f64>,
}

/// A target at a given year (a point on a time axis).
#[derive(Debug, Clone, PartialEq)]
pub struct TargetPoint {
    /// Target year.
    pub year: i32,
    /// Target value and direction.
    pub target: Target,
}

/// How several scenarios share a fan chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FanLayout {
    /// All scenarios in one plot, distinguished by colour and dash pattern.
    Overlay,
    /// One panel per scenario with a common y axis.
    Panels,
}

/// Chart 2: fan chart of one indicator over the years.
#[derive(Debug, Clone, PartialEq)]
pub struct FanData {
    /// Indicator name.
    pub indicator: Label,
    /// Unit of all values.
    pub unit: Unit,
    /// Base year (e.g. 2020).
    pub base_year: i32,
    /// Base-year value (statistic), drawn as a marker.
    pub base_value: f64,
    /// Target point, if any.
    pub target: Option<TargetPoint>,
    /// One path per scenario.
    pub series: Vec<FanSeries>,
    /// Draws per scenario (for the title).
    pub n_draws: usize,
    /// Overlay or one panel per scenario.
    pub layout: FanLayout,
}

/// Whisker-box statistics: whiskers at P5 and P95, box from P25 to P75, line at the median.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoxStats {
    /// 5th percentile (lower whisker end).
    pub p5: f64,
    /// 25th percentile (box bottom).
    pub p25: f64,
    /// Median (line in the box).
    pub median: f64,
    /// 75th percentile (box top).
    pub p75: f64,
    /// 95th percentile (upper whisker end).
    pub p95: f64,
}

/// One box of a scenario comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioBox {
    /// Scenario.
    pub scenario: ScenarioKey,
    /// Its quantiles.
    pub stats: BoxStats,
}

/// Chart 3a: box-and-whisker comparison of one indicator across scenarios.
#[derive(Debug, Clone, PartialEq)]
pub struct BoxCompareData {
    /// Indicator name.
    pub indicator: Label,
    /// Unit of the statistics.
    pub unit: Unit,
    /// Year compared.
    pub year: i32,
    /// Draws per scenario.
    pub n_draws: usize,
    /// Target drawn as a horizontal line.
    pub target: Option<Target>,
    /// One box per scenario, drawn in the given order.
    pub boxes: Vec<ScenarioBox>,
}

/// Chart 3b: table image of target-attainment probabilities.
#[derive(Debug, Clone, PartialEq)]
pub struct AttainmentTableData {
    /// Year the targets refer to.
    pub year: i32,
    /// Draws per scenario.
    pub n_draws: usize,
    /// Row names (targets).
    pub targets: Vec<Label>,
    /// Column scenarios.
    pub scenarios: Vec<ScenarioKey>,
    /// `probabilities[row][column]` in 0..=1; NaN prints "—" (not applicable).
    pub probabilities: Vec<Vec<f64>>,
}

/// One scenario's exceedance curve.
#[derive(Debug, Clone, PartialEq)]
pub struct ExceedanceSeries {
    /// Scenario.
    pub scenario: ScenarioKey,
    /// Points (x in the base unit, P(better than x) in 0..=1), x ascending; see [`exceedance_curve`].
    pub points: Vec<(f64, f64)>,
}

/// Chart 4: P(indicator better than x) against x, one line per scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct ExceedanceData {
    /// Indicator name.
    pub indicator: Label,
    /// Unit of x.
    pub unit: Unit,
    /// Year.
    pub year: i32,
    /// Draws per scenario.
    pub n_draws: usize,
    /// "Better" means lower or higher.
    pub direction: Direction,
    /// Target marked as a vertical line.
    pub target: Option<Target>,
    /// One curve per scenario.
    pub series: Vec<ExceedanceSeries>,
}

/// One measure's reduction per year (same length as the years); a negative value is an
/// increase of the emission, drawn as a band above the frozen-technology line.
#[derive(Debug, Clone, PartialEq)]
pub struct WedgeMeasure {
    /// Measure name.
    pub label: Label,
    /// Palette slot of the measure ([`super::style::measure_color`]), the same in every chart
    /// of a run or a comparison; None for a group of small measures (grey).
    pub slot: Option<usize>,
    /// Reduction against the frozen-technology line per year, base unit.
    pub reduction: Vec<f64>,
}

/// Chart 5: wedges of reduction by measure between the frozen-technology line and the
/// scenario's mean path.
///
/// Reductions are stacked downward from `frozen` and increases (negative reductions, hatched)
/// upward from it, each in the given order; the scenario's mean path is drawn on top (dashed).
/// With mean frozen line and mean wedges that add up draw by draw, the mean path is frozen +
/// increases − reductions: on the last band's lower edge when nothing increases, above it by
/// the height of the increase bands otherwise.
#[derive(Debug, Clone, PartialEq)]
pub struct WedgeData {
    /// Indicator name (CO₂, NOx, VOCs).
    pub indicator: Label,
    /// Unit.
    pub unit: Unit,
    /// Scenario.
    pub scenario: ScenarioKey,
    /// Draws behind the mean path.
    pub n_draws: usize,
    /// Years, ascending.
    pub years: Vec<i32>,
    /// Frozen-technology line per year.
    pub frozen: Vec<f64>,
    /// Scenario mean path per year (the field keeps its historical name).
    pub median: Vec<f64>,
    /// Measures, stacked from the top.
    pub measures: Vec<WedgeMeasure>,
}

/// Wedge charts of one pollutant for several scenarios, drawn as panels of one figure with a
/// shared y axis and one colour per measure.
#[derive(Debug, Clone, PartialEq)]
pub struct WedgePanelsData {
    /// One panel per scenario, in the caller's scenario order.
    pub panels: Vec<WedgeData>,
}

/// One bar of a ledger chart: a project's 削减量 or a cause's 新增量 in the ledger's year.
#[derive(Debug, Clone, PartialEq)]
pub struct LedgerBar {
    /// Project or cause name.
    pub label: Label,
    /// Palette slot of the measure the project belongs to (the colour it has in the wedge
    /// charts); None for causes of 新增量 and groups of small projects.
    pub slot: Option<usize>,
    /// Mean over the draws (base unit; 新增量 may be negative).
    pub mean: f64,
    /// 5–95 % interval over the draws, when tracked (projects; not causes).
    pub interval: Option<(f64, f64)>,
}

/// Chart 5b (the NOx / VOCs headline): the key projects' 削减量 in the target year as bars with
/// 5–95 % intervals, their total against the target, beside the 新增量 by cause, ending at the
/// net change of the emission since the base year (MODEL.md §4: E\[h\] − E\[2020\] = 新增量 − 削减量).
#[derive(Debug, Clone, PartialEq)]
pub struct LedgerData {
    /// Pollutant name, e.g. "氮氧化物" / "NOx".
    pub pollutant: Label,
    /// Unit of every value (tonnes).
    pub unit: Unit,
    /// Scenario shown.
    pub scenario: ScenarioKey,
    /// Draws of the run.
    pub n_draws: usize,
    /// Base year (2020).
    pub base_year: i32,
    /// Year of the ledger (the target's year).
    pub year: i32,
    /// Projects, largest first (mean ≥ 0).
    pub projects: Vec<LedgerBar>,
    /// Total 削减量: the target indicator (mean and its 5–95 % interval).
    pub total_cut: LedgerBar,
    /// Causes of 新增量 (signed means).
    pub increments: Vec<LedgerBar>,
    /// Total 新增量 (mean).
    pub total_increment: f64,
    /// Mean emission change since the base year, E\[year\] − E\[base_year\].
    pub net_change: f64,
    /// Target on the total 削减量 (≥), if any.
    pub target: Option<Target>,
    /// P(target met) in 0..=1.
    pub p_target_met: Option<f64>,
}

/// A named signed effect (sensitivity coefficient or decomposition term).
#[derive(Debug, Clone, PartialEq)]
pub struct Effect {
    /// Name of the input or factor.
    pub label: Label,
    /// Internal id of the input (printed as a small grey suffix under the name); empty for
    /// factors without one.
    pub id: String,
    /// Signed effect.
    pub value: f64,
}

/// Chart 6a: tornado chart of sensitivities; bars are sorted by |value| when drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct TornadoData {
    /// Indicator whose sensitivity is shown.
    pub indicator: Label,
    /// Scenario.
    pub scenario: ScenarioKey,
    /// Year.
    pub year: i32,
    /// Draws used.
    pub n_draws: usize,
    /// What the effect is, e.g. "标准化回归系数" / "Standardized regression coefficient".
    pub measure: Label,
    /// Unit of the effect values.
    pub unit: Unit,
    /// The effects (any order).
    pub effects: Vec<Effect>,
}

/// Chart 6b: waterfall of an LMDI decomposition from a start value to an end value.
#[derive(Debug, Clone, PartialEq)]
pub struct WaterfallData {
    /// Indicator decomposed.
    pub indicator: Label,
    /// Unit.
    pub unit: Unit,
    /// Scenario.
    pub scenario: ScenarioKey,
    /// Start bar label, e.g. "2020 年" / "2020".
    pub start_label: Label,
    /// Start value.
    pub start_value: f64,
    /// Signed effects in drawing order.
    pub effects: Vec<Effect>,
    /// End bar label.
    pub end_label: Label,
    /// End value (should equal start + Σ effects; a mismatch is drawn as it is).
    pub end_value: f64,
    /// Draws behind the decomposed values (for the title; 0 for a deterministic run).
    pub n_draws: usize,
}

/// Most bins of the binned estimate in [`kde_silverman`] (the bin width is h/4 unless the data
/// span more than this many quarter-bandwidths).
pub const KDE_MAX_BINS: usize = 8192;

/// Histogram and Gaussian kernel density estimate of a set of draws, in the draws' unit.
///
/// Prepared once with the chart data, because a figure is drawn four times (PNG and SVG, two
/// languages); [`Density::bins`] and [`Density::kde_on`] rescale it to the axis unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Density {
    /// Finite draws counted.
    pub n: usize,
    /// Lowest finite draw: the left edge of the first bin.
    pub lo: f64,
    /// Bin width (1 when all draws are equal).
    pub bin_width: f64,
    /// Draws per bin, √n bins clamped to 15..=60; the highest draw is in the last bin.
    pub counts: Vec<u32>,
    /// The binned estimate; None with fewer than two finite draws or no spread.
    kde: Option<BinnedKde>,
}

/// A kernel density estimate on an even grid: `dens[i]` at `a + i·step`.
#[derive(Debug, Clone, PartialEq)]
struct BinnedKde {
    a: f64,
    step: f64,
    dens: Vec<f64>,
}

impl Density {
    /// Histogram and density estimate of the finite `values` (see [`kde_silverman`]).
    pub fn of(values: &[f64]) -> Self {
        let xs: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        let n = xs.len();
        let bins = ((n as f64).sqrt() as usize).clamp(15, 60);
        let (vmin, vmax) = xs
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                (a.min(v), b.max(v))
            });
        let bin_width = if vmax > vmin {
            (vmax - vmin) / bins as f64
        } else {
            1.0
        };
        let mut counts = vec![0_u32; bins];
        for v in &xs {
            let k = (((v - vmin) / bin_width) as usize).min(bins - 1);
            counts[k] += 1;
        }
        Self {
            n,
            lo: vmin,
            bin_width,
            counts,
            kde: BinnedKde::of(xs),
        }
    }

    /// The histogram in an axis unit of `divisor` draw units: (left edge of the first bin, bin
    /// width, density of each bin in 1/axis unit).
    pub fn bins(&self, divisor: f64) -> (f64, f64, Vec<f64>) {
        let w = self.bin_width / divisor;
        let dens = self
            .counts
            .iter()
            .map(|&k| f64::from(k) / (self.n as f64 * w))
            .collect();
        (self.lo / divisor, w, dens)
    }

    /// The density estimate on `grid_n` points spanning `[lo, hi]` of an axis unit of `divisor`
    /// draw units, as (x, density in 1/axis unit); empty when there is no estimate.
    pub fn kde_on(&self, lo: f64, hi: f64, grid_n: usize, divisor: f64) -> Vec<(f64, f64)> {
        match &self.kde {
            Some(k) if grid_n >= 2 && hi.partial_cmp(&lo) == Some(std::cmp::Ordering::Greater) => {
                k.eval(lo, hi, grid_n, divisor)
            }
            _ => Vec::new(),
        }
    }
}

impl BinnedKde {
    /// Bandwidth by Silverman's rule, linear binning and the kernel sum; see [`kde_silverman`].
    fn of(mut xs: Vec<f64>) -> Option<Self> {
        if xs.len() < 2 {
            return None;
        }
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        let sd = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        // Quartiles by selection (type-7 interpolation between order statistics).
        let mut q = |p: f64| {
            let pos = p * (n - 1.0);
            let i = pos.floor() as usize;
            let (_, xi, rest) = xs.select_nth_unstable_by(i, f64::total_cmp);
            let xi = *xi;
            let xj = rest.iter().copied().fold(f64::INFINITY, f64::min);
            if xj.is_finite() {
                xi + (xj - xi) * (pos - i as f64)
            } else {
                xi
            }
        };
        let iqr = q(0.75) - q(0.25);
        let spread = if iqr > 0.0 { sd.min(iqr / 1.34) } else { sd };
        let h = 0.9 * spread * n.powf(-0.2);
        if h.is_nan() || h <= 0.0 {
            return None;
        }
        let (vmin, vmax) = xs
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                (a.min(v), b.max(v))
            });
        // Linear binning on [vmin − 4h, vmax + 4h].
        let (a, b) = (vmin - 4.0 * h, vmax + 4.0 * h);
        let bins = (((b - a) / (h / 4.0)).ceil() as usize + 1).clamp(64, KDE_MAX_BINS);
        let d = (b - a) / (bins - 1) as f64;
        let mut w = vec![0.0_f64; bins];
        for &v in &xs {
            let t = (v - a) / d;
            let i = (t.floor().max(0.0) as usize).min(bins - 2);
            let f = t - i as f64;
            w[i] += 1.0 - f;
            w[i + 1] += f;
        }
        // Kernel weights at bin offsets, cut at ±4h (the tail beyond holds 6e-5 of the mass).
        let taps = ((4.0 * h / d).ceil() as usize).min(bins - 1);
        let kern: Vec<f64> = (0..=taps)
            .map(|j| (-0.5 * (j as f64 * d / h).powi(2)).exp())
            .collect();
        let norm = 1.0 / (n * h * (2.0 * std::f64::consts::PI).sqrt());
        let dens: Vec<f64> = (0..bins)
            .map(|i| {
                let lo_j = i.saturating_sub(taps);
                let hi_j = (i + taps).min(bins - 1);
                let s: f64 = (lo_j..=hi_j).map(|j| w[j] * kern[i.abs_diff(j)]).sum();
                s * norm
            })
            .collect();
        Some(Self { a, step: d, dens })
    }

    /// Linear interpolation onto `grid_n` points spanning `[lo, hi]` in units of `divisor`.
    fn eval(&self, lo: f64, hi: f64, grid_n: usize, divisor: f64) -> Vec<(f64, f64)> {
        let last = (self.dens.len() - 1) as f64;
        (0..grid_n)
            .map(|k| {
                let x = lo + (hi - lo) * k as f64 / (grid_n - 1) as f64;
                let t = (x * divisor - self.a) / self.step;
                let y = if t < 0.0 || t > last {
                    0.0
                } else {
                    let i = (t.floor() as usize).min(self.dens.len() - 2);
                    let f = t - i as f64;
                    self.dens[i] * (1.0 - f) + self.dens[i + 1] * f
                };
                (x, y * divisor)
            })
            .collect()
    }
}

/// Gaussian kernel density estimate on `grid_n` points spanning `[lo, hi]`.
///
/// Bandwidth by Silverman's rule of thumb, h = 0.9·min(σ, IQR/1.34)·n^(−1/5) (Silverman 1986,
/// *Density Estimation*, eq. 3.31). Computed as a binned estimate (Wand 1994, *J. Comput. Graph.
/// Stat.* 3:433): the values are linearly binned on a grid of width h/4 (at most
/// [`KDE_MAX_BINS`] bins), convolved with the kernel cut at ±4 h, and interpolated onto the
/// output points; the cost is O(n + bins) instead of O(n · grid_n) exponentials. Returns an
/// empty vector when fewer than two finite values or zero spread.
pub fn kde_silverman(values: &[f64], lo: f64, hi: f64, grid_n: usize) -> Vec<(f64, f64)> {
    if grid_n < 2 || hi.partial_cmp(&lo) != Some(std::cmp::Ordering::Greater) {
        return Vec::new();
    }
    let xs: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    BinnedKde::of(xs).map_or_else(Vec::new, |k| k.eval(lo, hi, grid_n, 1.0))
}

/// Empirical P(value better than x) on at most `max_points` x values, x ascending.
///
/// "Better" is strictly below x for [`Direction::LowerIsBetter`] and strictly above for
/// [`Direction::HigherIsBetter`]. Non-finite values are ignored.
pub fn exceedance_curve(
    values: &[f64],
    direction: Direction,
    max_points: usize,
) -> Vec<(f64, f64)> {
    let mut xs: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if xs.is_empty() || max_points < 2 {
        return Vec::new();
    }
    xs.sort_unstable_by(f64::total_cmp);
    let n = xs.len();
    let m = max_points.min(n);
    (0..m)
        .map(|k| {
            let i = if m == 1 { 0 } else { k * (n - 1) / (m - 1) };
            let x = xs[i];
            let below = xs.partition_point(|v| *v < x);
            let above = n - xs.partition_point(|v| *v <= x);
            let count = match direction {
                Direction::LowerIsBetter => below,
                Direction::HigherIsBetter => above,
            };
            (x, count as f64 / n as f64)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kde_integrates_to_one_and_peaks_at_centre() {
        // Symmetric triangular sample on [9, 11] around 10 (stratified inverse CDF).
        let vals: Vec<f64> = (0..2001)
            .map(|i| {
                let u = (f64::from(i) + 0.5) / 2001.0;
                if u < 0.5 {
                    9.0 + (2.0 * u).sqrt()
                } else {
                    11.0 - (2.0 * (1.0 - u)).sqrt()
                }
            })
            .collect();
        let grid = kde_silverman(&vals, 7.0, 13.0, 601);
        let dx = 6.0 / 600.0;
        let area: f64 = grid.iter().map(|(_, y)| y * dx).sum();
        assert!((area - 1.0).abs() < 0.01, "area {area}");
        let (xmax, _) = grid
            .iter()
            .copied()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap_or((0.0, 0.0));
        assert!((xmax - 10.0).abs() < 0.2, "peak at {xmax}");
        assert!(kde_silverman(&[1.0, 1.0, 1.0], 0.0, 2.0, 10).is_empty());
    }

    #[test]
    fn binned_kde_matches_the_exact_sum_of_kernels() {
        // Right-skewed deterministic sample (like emissions): exp of a stratified normal-ish.
        let vals: Vec<f64> = (0..5000)
            .map(|i| {
                let u = (f64::from(i) + 0.5) / 5000.0;
                (3.0 * (u - 0.5) + 2.0 * (u - 0.5).powi(3)).exp()
            })
            .collect();
        let (lo, hi) = (-0.5, 6.0);
        let grid = kde_silverman(&vals, lo, hi, 300);
        // Exact estimate with the same bandwidth rule.
        let mut s = vals.clone();
        s.sort_by(f64::total_cmp);
        let n = s.len() as f64;
        let mean = s.iter().sum::<f64>() / n;
        let sd = (s.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        let q = |p: f64| {
            let pos = p * (n - 1.0);
            let i = pos.floor() as usize;
            s[i] + (s[i + 1] - s[i]) * (pos - i as f64)
        };
        let h = 0.9 * sd.min((q(0.75) - q(0.25)) / 1.34) * n.powf(-0.2);
        let norm = 1.0 / (n * h * (2.0 * std::f64::consts::PI).sqrt());
        let peak = grid.iter().map(|p| p.1).fold(0.0, f64::max);
        assert!(peak > 0.1, "peak {peak}");
        for &(x, y) in &grid {
            let exact: f64 = s
                .iter()
                .map(|v| (-0.5 * ((x - v) / h).powi(2)).exp())
                .sum::<f64>()
                * norm;
            assert!(
                (y - exact).abs() < 0.01 * peak,
                "x {x}: binned {y} vs exact {exact}"
            );
        }
    }

    #[test]
    fn density_in_another_unit_is_the_same_estimate_rescaled() {
        // Skewed sample in tonnes, shown in kt (divisor 1000).
        let vals: Vec<f64> = (0..3000)
            .map(|i| 6300.0 * (1.0 + 0.4 * ((f64::from(i) + 0.5) / 3000.0).powi(3)))
            .chain([f64::NAN, f64::INFINITY])
            .collect();
        let d = Density::of(&vals);
        assert_eq!(d.n, 3000);
        assert_eq!(d.counts.len(), 54); // ⌊√3000⌋
        assert_eq!(d.counts.iter().sum::<u32>(), 3000);
        let (lo, w, dens) = d.bins(1000.0);
        let (min, max) = (vals[0], vals[2999]);
        assert_eq!(lo, min / 1000.0);
        assert!((w * 54.0 - (max - min) / 1000.0).abs() < 1e-12, "{lo} {w}");
        let area: f64 = dens.iter().map(|y| y * w).sum();
        assert!((area - 1.0).abs() < 1e-12, "histogram area {area}");
        let kt: Vec<f64> = vals.iter().map(|v| v / 1000.0).collect();
        let direct = kde_silverman(&kt, 5.0, 10.0, 200);
        let rescaled = d.kde_on(5.0, 10.0, 200, 1000.0);
        assert_eq!(direct.len(), rescaled.len());
        let peak = direct.iter().map(|p| p.1).fold(0.0, f64::max);
        assert!(peak > 0.1);
        for (a, b) in direct.iter().zip(&rescaled) {
            assert_eq!(a.0, b.0);
            assert!((a.1 - b.1).abs() < 1e-9 * peak, "{a:?} vs {b:?}");
        }
        // In the draws' own unit it is kde_silverman itself, to the bit.
        assert_eq!(
            d.kde_on(6000.0, 9000.0, 50, 1.0),
            kde_silverman(&vals, 6000.0, 9000.0, 50)
        );
        assert!(d.kde_on(9.0, 5.0, 200, 1000.0).is_empty());
        assert!(
            Density::of(&[2.0, 2.0, 2.0])
                .kde_on(0.0, 4.0, 10, 1.0)
                .is_empty()
        );
    }

    #[test]
    fn exceedance_is_monotone_in_the_right_direction() {
        let vals: Vec<f64> = (0..100).map(f64::from).collect();
        let lower = exceedance_curve(&vals, Direction::LowerIsBetter, 11);
        assert_eq!(lower.len(), 11);
        assert!(lower.windows(2).all(|w| w[1].1 >= w[0].1));
        assert_eq!(lower[0].1, 0.0);
        let higher = exceedance_curve(&vals, Direction::HigherIsBetter, 11);
        assert!(higher.windows(2).all(|w| w[1].1 <= w[0].1));
        assert!((higher[0].1 - 0.99).abs() < 1e-12);
    }
}
