//! Plain data types of a resolved scenario: metadata, options, parameters with provenance,
//! correlations and targets. Everything here is data; validation of distribution parameters is
//! done by `uncertainty::Distribution::from_spec`, sampling never happens here.

use std::collections::HashMap;

/// Where a value was written: file, line and column (1-based). `None` for values built in code.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SourcePos {
    /// File name as the user gave it, or `embedded:<id>.toml` for shipped scenarios.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

impl std::fmt::Display for SourcePos {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// Status of a number, exactly as DATA.md uses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// Stated in the city's plan.
    Plan,
    /// An official statistic.
    Statistic,
    /// Computed from statistics (arithmetic given in the note).
    Derived,
    /// No public figure found: a defensible proxy with wide uncertainty.
    Assumption,
}

impl Status {
    /// The keyword used in scenario files.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Plan => "plan",
            Status::Statistic => "statistic",
            Status::Derived => "derived",
            Status::Assumption => "assumption",
        }
    }
    /// All keywords, for error messages.
    pub const ALL: [&'static str; 4] = ["plan", "statistic", "derived", "assumption"];
}

/// Where a number comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Provenance {
    /// Source (document, table, page) — free text.
    pub source: String,
    /// Status of the number.
    pub status: Status,
    /// Optional note (arithmetic, basis of an assumption).
    pub note: Option<String>,
}

/// A distribution as written in a scenario file (plain numbers, not yet validated).
#[derive(Debug, Clone, PartialEq)]
pub enum DistSpec {
    /// A fixed value.
    Constant(f64),
    /// Normal(mean, sd).
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation (> 0).
        sd: f64,
    },
    /// Lognormal by median and geometric standard deviation (> 1).
    LogNormal {
        /// Median (> 0).
        median: f64,
        /// Geometric standard deviation (> 1).
        gsd: f64,
    },
    /// Lognormal by its central 95 % interval.
    LogNormal95 {
        /// 2.5th percentile (> 0).
        low: f64,
        /// 97.5th percentile (> low).
        high: f64,
    },
    /// Triangular(min, mode, max).
    Triangular {
        /// Minimum.
        min: f64,
        /// Mode.
        mode: f64,
        /// Maximum.
        max: f64,
    },
    /// PERT(min, mode, max), the usual beta with shape weight 4.
    Pert {
        /// Minimum.
        min: f64,
        /// Mode.
        mode: f64,
        /// Maximum.
        max: f64,
    },
    /// Uniform(min, max).
    Uniform {
        /// Minimum.
        min: f64,
        /// Maximum.
        max: f64,
    },
    /// Beta(alpha, beta) scaled to [min, max] (default [0, 1]).
    Beta {
        /// Shape alpha (> 0).
        alpha: f64,
        /// Shape beta (> 0).
        beta: f64,
        /// Lower end of the support.
        min: f64,
        /// Upper end of the support.
        max: f64,
    },
    /// Discrete values with probabilities (summing to 1).
    Discrete {
        /// The values.
        values: Vec<f64>,
        /// Their probabilities.
        probs: Vec<f64>,
    },
}

impl DistSpec {
    /// True for a fixed value.
    pub fn is_constant(&self) -> bool {
        matches!(self, DistSpec::Constant(_))
    }
}

/// One scalar model input: a constant or a distribution, with unit and provenance.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Full dotted name, e.g. `economy.gdp_growth@2023` or `biomass_chp.plant.tailai.capacity_mw`.
    pub name: String,
    /// Value or distribution.
    pub spec: DistSpec,
    /// Unit as written (e.g. `MW`, `t/h`, `fraction`).
    pub unit: String,
    /// Where the number comes from.
    pub provenance: Provenance,
    /// Where it was written.
    pub pos: Option<SourcePos>,
}

/// A declared correlation between two uncertain inputs (Gaussian-copula correlation).
#[derive(Debug, Clone, PartialEq)]
pub struct Correlation {
    /// First input's full name.
    pub a: String,
    /// Second input's full name.
    pub b: String,
    /// Correlation coefficient in (−1, 1).
    pub rho: f64,
    /// Where it was written.
    pub pos: Option<SourcePos>,
}

/// Comparison of an indicator with its threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    /// Met when indicator ≤ threshold.
    AtMost,
    /// Met when indicator ≥ threshold.
    AtLeast,
}

impl Comparison {
    /// ASCII operator used in output files: `<=` or `>=`.
    pub fn symbol(self) -> &'static str {
        match self {
            Comparison::AtMost => "<=",
            Comparison::AtLeast => ">=",
        }
    }
    /// Mathematical sign for tables and charts: `≤` or `≥`.
    pub fn sign(self) -> &'static str {
        match self {
            Comparison::AtMost => "≤",
            Comparison::AtLeast => "≥",
        }
    }
}

impl serde::Serialize for Comparison {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.symbol())
    }
}

/// Kind of target, as the plan states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetKind {
    /// 约束性 binding.
    Binding,
    /// 预期性 expected.
    Expected,
    /// From the carbon-peak action plan.
    CarbonPeak,
}

impl TargetKind {
    /// Keyword used in scenario and output files.
    pub fn as_str(self) -> &'static str {
        match self {
            TargetKind::Binding => "binding",
            TargetKind::Expected => "expected",
            TargetKind::CarbonPeak => "carbon_peak",
        }
    }
}

impl serde::Serialize for TargetKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A target the engine checks per draw.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// Short id (e.g. `co2_intensity`).
    pub id: String,
    /// Indicator name (e.g. `co2_intensity_change`).
    pub indicator: String,
    /// Comparison.
    pub comparison: Comparison,
    /// Threshold in the indicator's unit.
    pub threshold: f64,
    /// Year at which it is checked.
    pub year: i32,
    /// Binding, expected or carbon peak.
    pub kind: TargetKind,
    /// Where the target comes from.
    pub source: String,
}

impl Target {
    /// Whether a value meets the target.
    pub fn is_met(&self, value: f64) -> bool {
        match self.comparison {
            Comparison::AtMost => value <= self.threshold,
            Comparison::AtLeast => value >= self.threshold,
        }
    }
}

/// How electricity crossing the city boundary is counted (MODEL.md §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ElectricityAccounting {
    /// Net imports × grid factor; net exports subtracted (default).
    #[default]
    Net,
    /// Only net imports count; exports are ignored.
    ImportsOnly,
}

/// Which source new biomass and renewable generation displaces first (MODEL.md §3.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Displacement {
    /// Imported electricity (default: local coal plants are heat-led CHP).
    #[default]
    Imports,
    /// Local coal generation first, then imports.
    LocalCoal,
}

/// What the key-project indicators count (MODEL.md §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KeyProjectAccounting {
    /// The projects' 削减量 by the total-emission accounting rules (default).
    #[default]
    Ledger,
    /// The sum of the net wedges of every measure (the earlier definition, for comparison).
    Net,
}

impl KeyProjectAccounting {
    /// Keyword used in scenario files and run notes.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyProjectAccounting::Ledger => "ledger",
            KeyProjectAccounting::Net => "net",
        }
    }
}

/// Heat sources that can absorb heat lost by boiler retirement, in the scenario's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HeatSource {
    /// The Fularji heat-network extension.
    HeatNetwork,
    /// Biomass CHP heat. The plants heat their own county towns only (MODEL.md §3.2), so this
    /// source takes no retired central-city boiler heat; kept so scenario files stay valid.
    BiomassChp,
    /// Existing coal CHP spare capacity.
    CoalChp,
    /// Gas boilers.
    GasBoiler,
    /// Electric heat.
    ElectricHeat,
}

impl HeatSource {
    /// Keyword used in scenario files.
    pub fn as_str(self) -> &'static str {
        match self {
            HeatSource::HeatNetwork => "heat_network",
            HeatSource::BiomassChp => "biomass_chp",
            HeatSource::CoalChp => "coal_chp",
            HeatSource::GasBoiler => "gas_boiler",
            HeatSource::ElectricHeat => "electric_heat",
        }
    }
    /// All sources in their default order.
    pub const ALL: [HeatSource; 5] = [
        HeatSource::HeatNetwork,
        HeatSource::BiomassChp,
        HeatSource::CoalChp,
        HeatSource::GasBoiler,
        HeatSource::ElectricHeat,
    ];
}

/// Accounting and model options (MODEL.md §1, §3.3).
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Electricity accounting rule.
    pub electricity_accounting: ElectricityAccounting,
    /// Deduct the increase over the base year of renewable electricity consumed from the energy
    /// total (2022 NDRC/NBS rule; MODEL.md §1).
    pub renewable_exemption: bool,
    /// What new biomass/renewable generation displaces first.
    pub displacement: Displacement,
    /// Order in which replacement sources absorb heat from retired boilers.
    pub heat_replacement_order: Vec<HeatSource>,
    /// What `nox/vocs_key_project_reduction_t` count (MODEL.md §4).
    pub key_project_accounting: KeyProjectAccounting,
    /// Whether pre-China IV vehicles and pre-Stage III machinery retiring naturally count as
    /// closures (projects) or as fleet leavers in 新增量 (MODEL.md §4).
    pub natural_retirement_in_key_projects: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            electricity_accounting: ElectricityAccounting::Net,
            renewable_exemption: false,
            displacement: Displacement::Imports,
            heat_replacement_order: HeatSource::ALL.to_vec(),
            key_project_accounting: KeyProjectAccounting::Ledger,
            natural_retirement_in_key_projects: true,
        }
    }
}

/// Scenario metadata.
#[derive(Debug, Clone, PartialEq)]
pub struct Meta {
    /// Short id (`plan`, `reference`…), also the output folder name.
    pub id: String,
    /// Chinese title.
    pub title_zh: String,
    /// English title.
    pub title_en: String,
    /// What the scenario assumes.
    pub description: String,
    /// The same in Chinese, for the Chinese briefing; only when the file that gives
    /// `description` gives it too (a child's own description is never paired with its
    /// parent's Chinese one).
    pub description_zh: Option<String>,
    /// Base year (2020).
    pub base_year: i32,
    /// Last simulated year (2025 by default; 2030 or 2035 allowed).
    pub horizon: i32,
    /// Parent scenario id, if any.
    pub extends: Option<String>,
}

/// A fully resolved scenario (after `extends` merging): what the model and sampler consume.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Metadata.
    pub meta: Meta,
    /// Options.
    pub options: Options,
    /// All scalar inputs, in a stable order (sorted by name).
    pub params: Vec<Param>,
    /// Declared correlations.
    pub correlations: Vec<Correlation>,
    /// Targets checked per draw.
    pub targets: Vec<Target>,
    /// Content hash of the files this scenario was built from (hex SHA-256).
    pub content_hash: String,
    /// Files it was built from, child first.
    pub files: Vec<String>,
    /// Where each target (by id) was written, for messages of checks made against the model.
    pub target_pos: HashMap<String, TargetPos>,
    index: HashMap<String, usize>,
}

/// Where a target and its keys were written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetPos {
    /// The `[[target]]` table.
    pub table: SourcePos,
    /// Its `indicator` value.
    pub indicator: Option<SourcePos>,
    /// Its `year` value.
    pub year: Option<SourcePos>,
}

impl Scenario {
    /// Builds a scenario from parts; parameters are sorted by name so indices are stable.
    pub fn new(
        meta: Meta,
        options: Options,
        mut params: Vec<Param>,
        correlations: Vec<Correlation>,
        targets: Vec<Target>,
    ) -> Scenario {
        params.sort_by(|a, b| a.name.cmp(&b.name));
        params.dedup_by(|later, earlier| later.name == earlier.name);
        let index = params
            .iter()
            .enumerate()
            .map(|(i, p)| (p.name.clone(), i))
            .collect();
        Scenario {
            meta,
            options,
            params,
            correlations,
            targets,
            content_hash: String::new(),
            files: Vec::new(),
            target_pos: HashMap::new(),
            index,
        }
    }

    /// Index of a parameter by full name.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }

    /// A parameter by full name.
    pub fn param(&self, name: &str) -> Option<&Param> {
        self.index_of(name).map(|i| &self.params[i])
    }

    /// Names of all parameters that start with `prefix` (sorted).
    pub fn names_with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.params
            .iter()
            .map(|p| p.name.as_str())
            .filter(move |n| n.starts_with(prefix))
    }

    /// Years simulated, base year first.
    pub fn years(&self) -> std::ops::RangeInclusive<i32> {
        self.meta.base_year..=self.meta.horizon
    }
}

impl Param {
    /// A parameter built in code (tests, tools): status `assumption`, source `built in code`.
    pub fn built(name: &str, spec: DistSpec, unit: &str) -> Param {
        Param {
            name: name.to_string(),
            spec,
            unit: unit.to_string(),
            provenance: Provenance {
                source: "built in code".to_string(),
                status: Status::Assumption,
                note: None,
            },
            pos: None,
        }
    }
}

impl Meta {
    /// Metadata for a scenario built in code.
    pub fn built(id: &str, base_year: i32, horizon: i32) -> Meta {
        Meta {
            id: id.to_string(),
            title_zh: id.to_string(),
            title_en: id.to_string(),
            description: String::new(),
            description_zh: None,
            base_year,
            horizon,
            extends: None,
        }
    }
}
