//! Reading scenario files: TOML with spans → validated, flattened inputs; `extends` merging.
//!
//! Every error names the file, line, column and key, and for numbers the allowed range.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::embedded;
use super::error::{ScenarioError, suggest};
use super::schema::{self, Field};
use super::types::*;

/// Smallest and largest allowed base year.
const BASE_YEAR_RANGE: (i32, i32) = (2000, 2030);
/// Largest allowed horizon.
pub const MAX_HORIZON: i32 = 2035;
/// Ids a scenario may not take: they name tanfeng's own output folders (`<out>/compare/` of
/// a comparison, `charts/` beside the per-scenario folders inside it).
pub const RESERVED_IDS: [&str; 2] = ["compare", "charts"];

/// Where a scenario's text comes from.
#[derive(Debug, Clone)]
pub enum Origin {
    /// A shipped scenario embedded in the binary.
    Embedded(&'static str),
    /// A file on disk.
    File(PathBuf),
}

/// One file's content after parsing, before `extends` merging.
#[derive(Debug, Clone, Default)]
struct Layer {
    file: String,
    meta: BTreeMap<String, (MetaValue, SourcePos)>,
    extends: Option<(String, SourcePos)>,
    options: BTreeMap<String, (OptionValue, SourcePos)>,
    /// Inputs by base name (without `@year`): all the params that name produces.
    inputs: BTreeMap<String, Vec<Param>>,
    correlations: Option<Vec<Correlation>>,
    targets: Option<Vec<Target>>,
    target_pos: BTreeMap<String, TargetPos>,
}

#[derive(Debug, Clone)]
enum MetaValue {
    Text(String),
    Year(i32),
}

#[derive(Debug, Clone)]
enum OptionValue {
    Accounting(ElectricityAccounting),
    Bool(bool),
    Displacement(Displacement),
    Order(Vec<HeatSource>),
    KeyProjects(KeyProjectAccounting),
    NaturalRetirement(bool),
}

/// Loads a scenario file (or a shipped id) and everything it extends.
pub fn load_path(path: &Path) -> Result<Scenario, ScenarioError> {
    load(Origin::File(path.to_path_buf()))
}

/// Loads a shipped scenario by id (`plan`, `reference`, …).
pub fn load_embedded(id: &str) -> Result<Scenario, ScenarioError> {
    let file = embedded::find(id).ok_or_else(|| ScenarioError::MissingParent {
        pos: SourcePos::default(),
        parent: id.to_string(),
        known: embedded::ids().join(", "),
    })?;
    load(Origin::Embedded(file.id))
}

/// Loads a scenario from file text (tests, tools); `name` is used in error messages.
pub fn load_str(name: &str, text: &str) -> Result<Scenario, ScenarioError> {
    let layer = parse_layer(name, text)?;
    let mut hasher = Sha256::new();
    hasher.update(text.as_bytes());
    let base_dir = Path::new(name).parent().map(Path::to_path_buf);
    finish(vec![layer], hasher, vec![name.to_string()], base_dir)
}

/// Loads from an origin, following `extends`.
pub fn load(origin: Origin) -> Result<Scenario, ScenarioError> {
    let (name, text) = read_origin(&origin)?;
    if matches!(origin, Origin::File(_)) {
        check_is_scenario(&name, &text, None)?;
    }
    let layer = parse_layer(&name, &text)?;
    let mut hasher = Sha256::new();
    hasher.update(text.as_bytes());
    let base_dir = match &origin {
        Origin::File(p) => p.parent().map(Path::to_path_buf),
        Origin::Embedded(_) => None,
    };
    finish(vec![layer], hasher, vec![name], base_dir)
}

fn read_origin(origin: &Origin) -> Result<(String, String), ScenarioError> {
    match origin {
        Origin::Embedded(id) => {
            let f = embedded::find(id).ok_or_else(|| ScenarioError::MissingParent {
                pos: SourcePos::default(),
                parent: id.to_string(),
                known: embedded::ids().join(", "),
            })?;
            Ok((format!("embedded:{}", f.file), f.text.to_string()))
        }
        Origin::File(p) => {
            let text = std::fs::read_to_string(p).map_err(|source| ScenarioError::Io {
                file: p.display().to_string(),
                source,
            })?;
            Ok((p.display().to_string(), text))
        }
    }
}

/// Refuses a file that is not a tanfeng scenario before anything of it is parsed into a
/// message: it must be TOML with a `[scenario]` table, or (when its TOML is broken) have a
/// `[scenario]` header line. So an `extends` (or a command line) naming some other file never
/// shows its keys or values. `extends_at` is the position of the `extends` naming it.
fn check_is_scenario(
    name: &str,
    text: &str,
    extends_at: Option<&SourcePos>,
) -> Result<(), ScenarioError> {
    let is_scenario = match DeTable::parse(text) {
        Ok(doc) => doc
            .get_ref()
            .get("scenario")
            .is_some_and(|v| matches!(v.get_ref(), DeValue::Table(_))),
        Err(_) => text.lines().any(|l| {
            let l = l.split('#').next().unwrap_or("").trim();
            l.strip_prefix('[')
                .and_then(|r| r.strip_suffix(']'))
                .is_some_and(|h| h.trim() == "scenario")
        }),
    };
    if is_scenario {
        return Ok(());
    }
    Err(ScenarioError::NotScenario {
        at: extends_at
            .map(|p| format!("{p}: key 'scenario.extends': "))
            .unwrap_or_default(),
        file: name.to_string(),
    })
}

/// Follows the `extends` chain of the last layer, then merges parent-first.
fn finish(
    mut chain: Vec<Layer>,
    mut hasher: Sha256,
    mut files: Vec<String>,
    mut base_dir: Option<PathBuf>,
) -> Result<Scenario, ScenarioError> {
    let mut seen: Vec<String> = vec![chain[0].file.clone()];
    while let Some((parent, pos)) = chain.last().and_then(|l| l.extends.clone()) {
        let origin = resolve_parent(&parent, &pos, base_dir.as_deref())?;
        let (name, text) = read_origin(&origin)?;
        if seen.contains(&name) {
            seen.push(name);
            return Err(ScenarioError::Cycle {
                chain: seen.join(" → "),
            });
        }
        seen.push(name.clone());
        if matches!(origin, Origin::File(_)) {
            check_is_scenario(&name, &text, Some(&pos))?;
        }
        hasher.update(text.as_bytes());
        base_dir = match &origin {
            Origin::File(p) => p.parent().map(Path::to_path_buf),
            Origin::Embedded(_) => None,
        };
        chain.push(parse_layer(&name, &text)?);
        files.push(name);
    }
    let mut merged = Layer::default();
    for layer in chain.into_iter().rev() {
        merge(&mut merged, layer);
    }
    let mut scenario = build(merged)?;
    check_shares(&scenario, &files[0])?;
    scenario.content_hash = hex(&hasher.finalize());
    scenario.files = files;
    Ok(scenario)
}

/// Vectors of shares that must sum to 1: the segment `#` is the component (missing
/// components count 0), `*` any item (one vector per item).
pub const SHARE_VECTORS: [&str; 4] = [
    "fleet.*.share_2020.#",
    "nonroad.share_2020.#",
    "industry.share_2020.#",
    "vocs.solvent.#.fraction_2020",
];

/// How far from 1 the sum of a share vector may be.
pub const SHARE_SUM_TOLERANCE: f64 = 1e-6;

/// The vector (pattern with `*` filled in) and component of a parameter name, if it is a share.
fn share_vector(name: &str) -> Option<(String, String)> {
    let segs: Vec<&str> = name.split('.').collect();
    SHARE_VECTORS.iter().find_map(|pattern| {
        let pat: Vec<&str> = pattern.split('.').collect();
        if pat.len() != segs.len() {
            return None;
        }
        let mut vector = Vec::new();
        let mut component = None;
        for (p, s) in pat.iter().zip(&segs) {
            match *p {
                "#" => {
                    component = Some(s.to_string());
                    vector.push("#");
                }
                "*" => vector.push(s),
                lit if lit == *s => vector.push(s),
                _ => return None,
            }
        }
        Some((vector.join("."), component?))
    })
}

/// Every share vector sums to 1 within [`SHARE_SUM_TOLERANCE`] and holds fixed values (an
/// uncertain share would need rescaling in every draw). Errors point at a component in the
/// user's file when it sets one, else at the first component.
fn check_shares(s: &Scenario, user_file: &str) -> Result<(), ScenarioError> {
    let mut vectors: BTreeMap<String, Vec<&Param>> = BTreeMap::new();
    for p in &s.params {
        if let Some((v, _)) = share_vector(&p.name) {
            vectors.entry(v).or_default().push(p);
        }
    }
    for (vector, members) in vectors {
        let pos_of = |p: &Param| p.pos.clone().unwrap_or_default();
        for p in &members {
            if !matches!(p.spec, DistSpec::Constant(_)) {
                return Err(ScenarioError::Invalid {
                    pos: pos_of(p),
                    key: p.name.clone(),
                    message: format!(
                        "a share of {} must be a fixed value (the shares must sum to 1 in every draw)",
                        vector.replace('#', "*")
                    ),
                });
            }
        }
        let value = |p: &Param| match p.spec {
            DistSpec::Constant(x) => x,
            _ => f64::NAN,
        };
        let sum: f64 = members.iter().map(|p| value(p)).sum();
        if (sum - 1.0).abs() > SHARE_SUM_TOLERANCE {
            let at = members
                .iter()
                .rev()
                .find(|p| p.pos.as_ref().is_some_and(|q| q.file == user_file))
                .or(members.first())
                .copied();
            let parts: Vec<String> = members
                .iter()
                .map(|p| {
                    let c = share_vector(&p.name).map(|(_, c)| c).unwrap_or_default();
                    format!("{c} = {}", value(p))
                })
                .collect();
            return Err(ScenarioError::Invalid {
                pos: at.map(pos_of).unwrap_or_default(),
                key: at.map_or(vector.clone(), |p| p.name.clone()),
                message: format!(
                    "the shares of {} sum to {sum}, not 1 ({}); they must sum to 1 within {SHARE_SUM_TOLERANCE:e} (missing components count 0)",
                    vector.replace('#', "*"),
                    parts.join(", ")
                ),
            });
        }
    }
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn resolve_parent(
    parent: &str,
    pos: &SourcePos,
    base_dir: Option<&Path>,
) -> Result<Origin, ScenarioError> {
    let looks_like_path = parent.ends_with(".toml") || parent.contains('/');
    if looks_like_path {
        let p = match base_dir {
            Some(d) => d.join(parent),
            None => PathBuf::from(parent),
        };
        if p.is_file() {
            return Ok(Origin::File(p));
        }
        // A shipped scenario referred to by file name (e.g. "plan.toml").
        let id = parent.trim_end_matches(".toml");
        if let Some(f) = embedded::find(id) {
            return Ok(Origin::Embedded(f.id));
        }
    } else if let Some(f) = embedded::find(parent) {
        return Ok(Origin::Embedded(f.id));
    }
    Err(ScenarioError::MissingParent {
        pos: pos.clone(),
        parent: parent.to_string(),
        known: embedded::ids().join(", "),
    })
}

fn merge(into: &mut Layer, child: Layer) {
    into.file = child.file;
    for (k, v) in child.meta {
        into.meta.insert(k, v);
    }
    into.extends = child.extends;
    for (k, v) in child.options {
        into.options.insert(k, v);
    }
    for (k, v) in child.inputs {
        into.inputs.insert(k, v);
    }
    if let Some(cs) = child.correlations {
        let mut all = into.correlations.take().unwrap_or_default();
        for c in cs {
            all.retain(|o| !((o.a == c.a && o.b == c.b) || (o.a == c.b && o.b == c.a)));
            all.push(c);
        }
        into.correlations = Some(all);
    }
    into.target_pos.extend(child.target_pos);
    if let Some(ts) = child.targets {
        let mut all = into.targets.take().unwrap_or_default();
        for t in ts {
            all.retain(|o| o.id != t.id);
            all.push(t);
        }
        into.targets = Some(all);
    }
}

/// `description_zh` when the file that gives `description` gives it too (or no file gives
/// `description`): a child that rewrites its description in English only must not show its
/// parent's Chinese one.
fn description_zh(meta: &BTreeMap<String, (MetaValue, SourcePos)>) -> Option<String> {
    let (MetaValue::Text(zh), zh_at) = meta.get("description_zh")? else {
        return None;
    };
    match meta.get("description") {
        Some((_, at)) if at.file != zh_at.file => None,
        _ => Some(zh.clone()),
    }
}

fn build(l: Layer) -> Result<Scenario, ScenarioError> {
    let text = |k: &str| -> Result<String, ScenarioError> {
        match l.meta.get(k) {
            Some((MetaValue::Text(s), _)) => Ok(s.clone()),
            _ => Err(ScenarioError::Missing {
                at: l.file.clone(),
                key: format!("scenario.{k}"),
            }),
        }
    };
    let year = |k: &str| -> Result<(i32, SourcePos), ScenarioError> {
        match l.meta.get(k) {
            Some((MetaValue::Year(y), p)) => Ok((*y, p.clone())),
            _ => Err(ScenarioError::Missing {
                at: l.file.clone(),
                key: format!("scenario.{k}"),
            }),
        }
    };
    let id = text("id")?;
    let (base_year, _) = year("base_year")?;
    let (horizon, hpos) = year("horizon")?;
    if horizon <= base_year || horizon > MAX_HORIZON {
        return Err(ScenarioError::OutOfRange {
            pos: hpos,
            key: "scenario.horizon".into(),
            value: f64::from(horizon),
            min: f64::from(base_year + 1),
            max: f64::from(MAX_HORIZON),
            unit: "year (after the base year)".into(),
        });
    }
    let meta = Meta {
        id,
        title_zh: text("title_zh")?,
        title_en: text("title_en")?,
        description: text("description").unwrap_or_default(),
        description_zh: description_zh(&l.meta),
        base_year,
        horizon,
        extends: l.extends.as_ref().map(|e| e.0.clone()),
    };
    let mut options = Options::default();
    for (_, (v, _)) in l.options {
        match v {
            OptionValue::Accounting(a) => options.electricity_accounting = a,
            OptionValue::Bool(b) => options.renewable_exemption = b,
            OptionValue::Displacement(d) => options.displacement = d,
            OptionValue::Order(o) => options.heat_replacement_order = o,
            OptionValue::KeyProjects(k) => options.key_project_accounting = k,
            OptionValue::NaturalRetirement(b) => options.natural_retirement_in_key_projects = b,
        }
    }
    let params: Vec<Param> = l.inputs.into_values().flatten().collect();
    let targets = l.targets.unwrap_or_default();
    let mut s = Scenario::new(
        meta,
        options,
        params,
        l.correlations.unwrap_or_default(),
        targets,
    );
    s.target_pos = l.target_pos.into_iter().collect();
    Ok(s)
}

/// Line/column lookup for byte offsets of one file.
struct Positions<'a> {
    file: &'a str,
    line_starts: Vec<usize>,
    text: &'a str,
}

impl<'a> Positions<'a> {
    fn new(file: &'a str, text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Positions {
            file,
            line_starts,
            text,
        }
    }
    fn at(&self, offset: usize) -> SourcePos {
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts[line - 1];
        let column = self
            .text
            .get(start..offset.min(self.text.len()))
            .map_or(1, |s| s.chars().count() + 1);
        SourcePos {
            file: self.file.to_string(),
            line,
            column,
        }
    }
}

type Entry<'i> = (
    &'i Spanned<std::borrow::Cow<'i, str>>,
    &'i Spanned<DeValue<'i>>,
);

fn parse_layer(file: &str, text: &str) -> Result<Layer, ScenarioError> {
    let pos = Positions::new(file, text);
    let doc = DeTable::parse(text).map_err(|e| ScenarioError::Syntax {
        pos: pos.at(e.span().map_or(0, |s| s.start)),
        message: e.message().to_string(),
    })?;
    let mut layer = Layer {
        file: file.to_string(),
        ..Layer::default()
    };
    let fields: Vec<(&Field, Vec<Seg>)> = schema::fields()
        .map(|f| (f, parse_pattern(f.pattern)))
        .collect();
    for (k, v) in doc.get_ref().iter() {
        let key = k.get_ref().as_ref();
        match key {
            "scenario" => parse_meta(&pos, (k, v), &mut layer)?,
            "options" => parse_options(&pos, (k, v), &mut layer)?,
            "correlation" => layer.correlations = Some(parse_correlations(&pos, (k, v))?),
            "target" => {
                let (targets, at) = parse_targets(&pos, (k, v))?;
                layer.targets = Some(targets);
                layer.target_pos = at;
            }
            _ => walk_inputs(&pos, &fields, &[], (k, v), &mut layer)?,
        }
    }
    Ok(layer)
}

fn type_name(v: &DeValue) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a number",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

fn table<'i>(
    pos: &Positions,
    key: &str,
    v: &'i Spanned<DeValue<'i>>,
) -> Result<&'i DeTable<'i>, ScenarioError> {
    match v.get_ref() {
        DeValue::Table(t) => Ok(t),
        other => Err(ScenarioError::WrongType {
            pos: pos.at(v.span().start),
            key: key.to_string(),
            expected: "a table".into(),
            found: type_name(other).into(),
        }),
    }
}

fn string(pos: &Positions, key: &str, v: &Spanned<DeValue>) -> Result<String, ScenarioError> {
    match v.get_ref() {
        DeValue::String(s) => Ok(s.to_string()),
        other => Err(ScenarioError::WrongType {
            pos: pos.at(v.span().start),
            key: key.to_string(),
            expected: "a string".into(),
            found: type_name(other).into(),
        }),
    }
}

/// A finite number; TOML dates become decimal years.
fn number(pos: &Positions, key: &str, v: &Spanned<DeValue>) -> Result<f64, ScenarioError> {
    let at = pos.at(v.span().start);
    let bad = |found: &str| ScenarioError::WrongType {
        pos: at.clone(),
        key: key.to_string(),
        expected: "a finite number".into(),
        found: found.into(),
    };
    let x = match v.get_ref() {
        DeValue::Integer(i) => {
            let s = i.as_str().replace('_', "");
            i64::from_str_radix(&s, i.radix()).map_err(|_| bad("an integer out of range"))? as f64
        }
        DeValue::Float(f) => f
            .as_str()
            .replace('_', "")
            .parse::<f64>()
            .map_err(|_| bad("an unreadable number"))?,
        DeValue::Datetime(d) => match (d.date, d.time) {
            (Some(date), None) => {
                decimal_year(date.year.into(), date.month.into(), date.day.into())
                    .ok_or_else(|| bad("an invalid date"))?
            }
            _ => return Err(bad("a date-time (give a plain date such as 2023-07-01)")),
        },
        other => return Err(bad(type_name(other))),
    };
    if x.is_finite() {
        Ok(x)
    } else {
        Err(bad("a non-finite number (NaN or infinity)"))
    }
}

/// `year + (day of year − 1) / days in year`: 2023-07-01 → 2023.496.
pub fn decimal_year(year: i32, month: u32, day: u32) -> Option<f64> {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days_in = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&month) || day == 0 || day > days_in[month as usize - 1] {
        return None;
    }
    let before: u32 = days_in[..month as usize - 1].iter().sum();
    let total = if leap { 366.0 } else { 365.0 };
    Some(f64::from(year) + f64::from(before + day - 1) / total)
}

fn integer_year(pos: &Positions, key: &str, v: &Spanned<DeValue>) -> Result<i32, ScenarioError> {
    let x = number(pos, key, v)?;
    if x.fract() != 0.0 || !(1900.0..=2100.0).contains(&x) {
        return Err(ScenarioError::OutOfRange {
            pos: pos.at(v.span().start),
            key: key.to_string(),
            value: x,
            min: 1900.0,
            max: 2100.0,
            unit: "whole year".into(),
        });
    }
    Ok(x as i32)
}

fn unknown(
    pos: &Positions,
    full: &str,
    k: &Spanned<std::borrow::Cow<str>>,
    allowed: &[&str],
) -> ScenarioError {
    ScenarioError::UnknownKey {
        pos: pos.at(k.span().start),
        key: full.to_string(),
        suggestion: suggest(k.get_ref(), allowed.iter().copied()),
        allowed: allowed.join(", "),
    }
}

const META_KEYS: [&str; 8] = [
    "id",
    "title_zh",
    "title_en",
    "description",
    "description_zh",
    "base_year",
    "horizon",
    "extends",
];

fn parse_meta(pos: &Positions, (_, v): Entry, layer: &mut Layer) -> Result<(), ScenarioError> {
    for (k, v) in table(pos, "scenario", v)?.iter() {
        let key = k.get_ref().as_ref();
        let full = format!("scenario.{key}");
        let at = pos.at(k.span().start);
        match key {
            "id" => {
                let s = string(pos, &full, v)?;
                let ok = !s.is_empty()
                    && s.chars().all(|c| {
                        c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_'
                    });
                if !ok {
                    return Err(ScenarioError::Invalid {
                        pos: at,
                        key: full,
                        message: format!(
                            "'{s}' must be lowercase letters, digits, '-' or '_' (it names the output folder)"
                        ),
                    });
                }
                if RESERVED_IDS.contains(&s.as_str()) {
                    return Err(ScenarioError::Invalid {
                        pos: at,
                        key: full,
                        message: format!(
                            "'{s}' is reserved for tanfeng's own output folders (reserved: {}); choose another id",
                            RESERVED_IDS.join(", ")
                        ),
                    });
                }
                layer.meta.insert(key.into(), (MetaValue::Text(s), at));
            }
            "title_zh" | "title_en" | "description" | "description_zh" => {
                let s = string(pos, &full, v)?;
                layer.meta.insert(key.into(), (MetaValue::Text(s), at));
            }
            "base_year" => {
                let y = integer_year(pos, &full, v)?;
                if !(BASE_YEAR_RANGE.0..=BASE_YEAR_RANGE.1).contains(&y) {
                    return Err(ScenarioError::OutOfRange {
                        pos: at,
                        key: full,
                        value: f64::from(y),
                        min: f64::from(BASE_YEAR_RANGE.0),
                        max: f64::from(BASE_YEAR_RANGE.1),
                        unit: "year".into(),
                    });
                }
                layer.meta.insert(key.into(), (MetaValue::Year(y), at));
            }
            "horizon" => {
                let y = integer_year(pos, &full, v)?;
                layer
                    .meta
                    .insert(key.into(), (MetaValue::Year(y), pos.at(v.span().start)));
            }
            "extends" => layer.extends = Some((string(pos, &full, v)?, pos.at(v.span().start))),
            _ => return Err(unknown(pos, &full, k, &META_KEYS)),
        }
    }
    Ok(())
}

const OPTION_KEYS: [&str; 6] = [
    "electricity_accounting",
    "renewable_exemption",
    "displacement",
    "heat_replacement_order",
    "key_project_accounting",
    "natural_retirement_in_key_projects",
];

fn parse_options(pos: &Positions, (_, v): Entry, layer: &mut Layer) -> Result<(), ScenarioError> {
    for (k, v) in table(pos, "options", v)?.iter() {
        let key = k.get_ref().as_ref();
        let full = format!("options.{key}");
        let vpos = pos.at(v.span().start);
        let choice = |allowed: &[&str]| -> Result<String, ScenarioError> {
            let s = string(pos, &full, v)?;
            if allowed.contains(&s.as_str()) {
                Ok(s)
            } else {
                Err(ScenarioError::Invalid {
                    pos: vpos.clone(),
                    key: full.clone(),
                    message: format!(
                        "'{s}' is not allowed; use one of: {}{}",
                        allowed.join(", "),
                        suggest(&s, allowed.iter().copied())
                            .map(|x| format!(" (did you mean '{x}'?)"))
                            .unwrap_or_default()
                    ),
                })
            }
        };
        let value = match key {
            "electricity_accounting" => match choice(&["net", "imports_only"])?.as_str() {
                "net" => OptionValue::Accounting(ElectricityAccounting::Net),
                _ => OptionValue::Accounting(ElectricityAccounting::ImportsOnly),
            },
            "renewable_exemption" => match v.get_ref() {
                DeValue::Boolean(b) => OptionValue::Bool(*b),
                other => {
                    return Err(ScenarioError::WrongType {
                        pos: vpos,
                        key: full,
                        expected: "true or false".into(),
                        found: type_name(other).into(),
                    });
                }
            },
            "key_project_accounting" => match choice(&["ledger", "net"])?.as_str() {
                "ledger" => OptionValue::KeyProjects(KeyProjectAccounting::Ledger),
                _ => OptionValue::KeyProjects(KeyProjectAccounting::Net),
            },
            "natural_retirement_in_key_projects" => match v.get_ref() {
                DeValue::Boolean(b) => OptionValue::NaturalRetirement(*b),
                other => {
                    return Err(ScenarioError::WrongType {
                        pos: vpos,
                        key: full,
                        expected: "true or false".into(),
                        found: type_name(other).into(),
                    });
                }
            },
            "displacement" => match choice(&["imports", "local_coal"])?.as_str() {
                "imports" => OptionValue::Displacement(Displacement::Imports),
                _ => OptionValue::Displacement(Displacement::LocalCoal),
            },
            "heat_replacement_order" => {
                let DeValue::Array(items) = v.get_ref() else {
                    return Err(ScenarioError::WrongType {
                        pos: vpos,
                        key: full,
                        expected: "an array of heat sources".into(),
                        found: type_name(v.get_ref()).into(),
                    });
                };
                let names: Vec<&str> = HeatSource::ALL.iter().map(|h| h.as_str()).collect();
                let mut order = Vec::new();
                for item in items.iter() {
                    let s = string(pos, &full, item)?;
                    let Some(h) = HeatSource::ALL.iter().find(|h| h.as_str() == s) else {
                        return Err(ScenarioError::Invalid {
                            pos: pos.at(item.span().start),
                            key: full,
                            message: format!(
                                "'{s}' is not a heat source; use: {}",
                                names.join(", ")
                            ),
                        });
                    };
                    if order.contains(h) {
                        return Err(ScenarioError::Invalid {
                            pos: pos.at(item.span().start),
                            key: full,
                            message: format!("'{s}' appears twice"),
                        });
                    }
                    order.push(*h);
                }
                OptionValue::Order(order)
            }
            _ => return Err(unknown(pos, &full, k, &OPTION_KEYS)),
        };
        layer.options.insert(key.into(), (value, vpos));
    }
    Ok(())
}

fn array_of_tables<'i>(
    pos: &Positions,
    key: &str,
    v: &'i Spanned<DeValue<'i>>,
) -> Result<Vec<&'i Spanned<DeValue<'i>>>, ScenarioError> {
    match v.get_ref() {
        DeValue::Array(a) => Ok(a.iter().collect()),
        other => Err(ScenarioError::WrongType {
            pos: pos.at(v.span().start),
            key: key.to_string(),
            expected: format!("an array of tables ([[{key}]])"),
            found: type_name(other).into(),
        }),
    }
}

fn parse_correlations(pos: &Positions, (_, v): Entry) -> Result<Vec<Correlation>, ScenarioError> {
    let mut out = Vec::new();
    for item in array_of_tables(pos, "correlation", v)? {
        let t = table(pos, "correlation", item)?;
        let (mut a, mut b, mut rho) = (None, None, None);
        for (k, v) in t.iter() {
            let key = k.get_ref().as_ref();
            let full = format!("correlation.{key}");
            match key {
                "a" => a = Some(string(pos, &full, v)?),
                "b" => b = Some(string(pos, &full, v)?),
                "rho" => {
                    let r = number(pos, &full, v)?;
                    if r.abs() >= 1.0 {
                        return Err(ScenarioError::OutOfRange {
                            pos: pos.at(v.span().start),
                            key: full,
                            value: r,
                            min: -1.0,
                            max: 1.0,
                            unit: "(exclusive)".into(),
                        });
                    }
                    rho = Some(r);
                }
                _ => return Err(unknown(pos, &full, k, &["a", "b", "rho"])),
            }
        }
        let at = pos.at(item.span().start);
        let missing = |k: &str| ScenarioError::Missing {
            at: format!("{at}"),
            key: format!("correlation.{k}"),
        };
        let c = Correlation {
            a: a.ok_or_else(|| missing("a"))?,
            b: b.ok_or_else(|| missing("b"))?,
            rho: rho.ok_or_else(|| missing("rho"))?,
            pos: Some(at.clone()),
        };
        let same = |o: &&Correlation| (o.a == c.a && o.b == c.b) || (o.a == c.b && o.b == c.a);
        if let Some(first) = out.iter().find(same) {
            return Err(ScenarioError::Invalid {
                pos: at,
                key: "correlation".into(),
                message: format!(
                    "the pair {} ~ {} is already declared at {} (in either order); declare each pair once",
                    c.a,
                    c.b,
                    first.pos.as_ref().map_or(String::new(), |p| p.to_string())
                ),
            });
        }
        out.push(c);
    }
    Ok(out)
}

const TARGET_KEYS: [&str; 7] = [
    "id",
    "indicator",
    "comparison",
    "threshold",
    "year",
    "kind",
    "source",
];

type TargetsAt = (Vec<Target>, BTreeMap<String, TargetPos>);

fn parse_targets(pos: &Positions, (_, v): Entry) -> Result<TargetsAt, ScenarioError> {
    let mut out: Vec<Target> = Vec::new();
    let mut positions = BTreeMap::new();
    for item in array_of_tables(pos, "target", v)? {
        let t = table(pos, "target", item)?;
        let at = pos.at(item.span().start);
        let mut target = Target {
            id: String::new(),
            indicator: String::new(),
            comparison: Comparison::AtMost,
            threshold: f64::NAN,
            year: 0,
            kind: TargetKind::Binding,
            source: String::new(),
        };
        let mut tpos = TargetPos {
            table: at.clone(),
            indicator: None,
            year: None,
        };
        for (k, v) in t.iter() {
            let key = k.get_ref().as_ref();
            let full = format!("target.{key}");
            let vpos = pos.at(v.span().start);
            match key {
                "id" => target.id = string(pos, &full, v)?,
                "indicator" => {
                    target.indicator = string(pos, &full, v)?;
                    tpos.indicator = Some(vpos.clone());
                }
                "comparison" => {
                    target.comparison = match string(pos, &full, v)?.as_str() {
                        "at_most" => Comparison::AtMost,
                        "at_least" => Comparison::AtLeast,
                        s => {
                            return Err(ScenarioError::Invalid {
                                pos: vpos,
                                key: full,
                                message: format!("'{s}' is not allowed; use at_most or at_least"),
                            });
                        }
                    }
                }
                "threshold" => target.threshold = number(pos, &full, v)?,
                "year" => {
                    target.year = integer_year(pos, &full, v)?;
                    tpos.year = Some(vpos.clone());
                }
                "kind" => {
                    target.kind = match string(pos, &full, v)?.as_str() {
                        "binding" => TargetKind::Binding,
                        "expected" => TargetKind::Expected,
                        "carbon_peak" => TargetKind::CarbonPeak,
                        s => {
                            return Err(ScenarioError::Invalid {
                                pos: vpos,
                                key: full,
                                message: format!(
                                    "'{s}' is not allowed; use binding, expected or carbon_peak"
                                ),
                            });
                        }
                    }
                }
                "source" => target.source = string(pos, &full, v)?,
                _ => return Err(unknown(pos, &full, k, &TARGET_KEYS)),
            }
        }
        for (name, missing) in [
            ("id", target.id.is_empty()),
            ("indicator", target.indicator.is_empty()),
            ("threshold", target.threshold.is_nan()),
            ("year", target.year == 0),
            ("source", target.source.is_empty()),
        ] {
            if missing {
                return Err(ScenarioError::Missing {
                    at: format!("{at}"),
                    key: format!("target.{name}"),
                });
            }
        }
        if out.iter().any(|o| o.id == target.id) {
            return Err(ScenarioError::Invalid {
                pos: at,
                key: "target.id".into(),
                message: format!("target id '{}' is used twice", target.id),
            });
        }
        positions.insert(target.id.clone(), tpos);
        out.push(target);
    }
    Ok((out, positions))
}

/// A segment of a schema pattern.
#[derive(Debug, Clone)]
enum Seg {
    Lit(&'static str),
    Any,
    OneOf(Vec<&'static str>),
}

fn parse_pattern(p: &'static str) -> Vec<Seg> {
    p.split('.')
        .map(|s| {
            if s == "*" {
                Seg::Any
            } else if let Some(inner) = s.strip_prefix('{').and_then(|x| x.strip_suffix('}')) {
                Seg::OneOf(inner.split(',').collect())
            } else {
                Seg::Lit(s)
            }
        })
        .collect()
}

fn seg_matches(seg: &Seg, s: &str) -> bool {
    match seg {
        Seg::Lit(l) => *l == s,
        Seg::OneOf(v) => v.contains(&s),
        Seg::Any => {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        }
    }
}

fn prefix_matches(pattern: &[Seg], path: &[&str]) -> bool {
    pattern.len() >= path.len() && pattern.iter().zip(path).all(|(s, p)| seg_matches(s, p))
}

/// Names allowed at depth `path.len()` after `path`, for suggestions.
fn allowed_next(fields: &[(&Field, Vec<Seg>)], path: &[&str]) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for (_, segs) in fields {
        if segs.len() > path.len() && prefix_matches(segs, path) {
            match &segs[path.len()] {
                Seg::Lit(l) => out.push(l),
                Seg::OneOf(v) => out.extend(v.iter().copied()),
                Seg::Any => out.push("<name>"),
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

const PARAM_KEYS: [&str; 20] = [
    "value", "dist", "unit", "status", "source", "note", "by_year", "mean", "sd", "median", "gsd",
    "low95", "high95", "min", "mode", "max", "alpha", "beta", "values", "probs",
];

fn is_param_table(t: &DeTable) -> bool {
    t.contains_key("value") || t.contains_key("dist") || t.contains_key("by_year")
}

fn walk_inputs(
    pos: &Positions,
    fields: &[(&Field, Vec<Seg>)],
    parent: &[&str],
    (k, v): Entry,
    layer: &mut Layer,
) -> Result<(), ScenarioError> {
    let key = k.get_ref().as_ref();
    let mut path: Vec<&str> = parent.to_vec();
    path.push(key);
    let full = path.join(".");
    let candidates: Vec<&(&Field, Vec<Seg>)> = fields
        .iter()
        .filter(|(_, segs)| prefix_matches(segs, &path))
        .collect();
    if candidates.is_empty() {
        let mut allowed = allowed_next(fields, parent);
        if parent.is_empty() {
            allowed.extend(["scenario", "options", "correlation", "target"]);
        }
        return Err(unknown(pos, &full, k, &allowed));
    }
    let DeValue::Table(t) = v.get_ref() else {
        return Err(ScenarioError::WrongType {
            pos: pos.at(v.span().start),
            key: full,
            expected: "a table with value or dist, unit, status and source".into(),
            found: type_name(v.get_ref()).into(),
        });
    };
    let leaf = candidates.iter().any(|(_, segs)| segs.len() == path.len());
    let group = candidates.iter().any(|(_, segs)| segs.len() > path.len());
    if leaf && !group && !is_param_table(t) {
        // One input without value, dist or by_year: a misspelled key is named where it is.
        for (k2, _) in t.iter() {
            if !PARAM_KEYS.contains(&k2.get_ref().as_ref()) {
                return Err(unknown(
                    pos,
                    &format!("{full}.{}", k2.get_ref()),
                    k2,
                    &PARAM_KEYS,
                ));
            }
        }
        return Err(ScenarioError::Missing {
            at: pos.at(k.span().start).to_string(),
            key: format!(
                "{full}.value, {full}.dist or {full}.by_year (an input needs a fixed value, a distribution or values by year, with unit, status and source)"
            ),
        });
    }
    if is_param_table(t) {
        let Some((field, _)) = candidates.iter().find(|(_, segs)| segs.len() == path.len()) else {
            return Err(ScenarioError::Invalid {
                pos: pos.at(k.span().start),
                key: full,
                message: format!(
                    "this is a group of inputs, not one input; inside it use: {}",
                    allowed_next(fields, &path).join(", ")
                ),
            });
        };
        let params = parse_param(pos, field, &full, v, t)?;
        layer.inputs.insert(full, params);
        return Ok(());
    }
    for entry in t.iter() {
        walk_inputs(pos, fields, &path, entry, layer)?;
    }
    Ok(())
}

fn parse_status(pos: &Positions, key: &str, v: &Spanned<DeValue>) -> Result<Status, ScenarioError> {
    let s = string(pos, key, v)?;
    match s.as_str() {
        "plan" => Ok(Status::Plan),
        "statistic" => Ok(Status::Statistic),
        "derived" => Ok(Status::Derived),
        "assumption" => Ok(Status::Assumption),
        _ => Err(ScenarioError::Invalid {
            pos: pos.at(v.span().start),
            key: key.to_string(),
            message: format!(
                "'{s}' is not a status; use one of: {}{}",
                Status::ALL.join(", "),
                suggest(&s, Status::ALL.iter().copied())
                    .map(|x| format!(" (did you mean '{x}'?)"))
                    .unwrap_or_default()
            ),
        }),
    }
}

/// Provenance fields found in a table (any may be missing at this level).
#[derive(Default, Clone)]
struct ProvParts {
    source: Option<String>,
    status: Option<Status>,
    note: Option<String>,
}

fn parse_param(
    pos: &Positions,
    field: &Field,
    full: &str,
    v: &Spanned<DeValue>,
    t: &DeTable,
) -> Result<Vec<Param>, ScenarioError> {
    let at = pos.at(v.span().start);
    let mut unit: Option<String> = None;
    let mut prov = ProvParts::default();
    for (k, val) in t.iter() {
        let key = k.get_ref().as_ref();
        let kf = format!("{full}.{key}");
        match key {
            "unit" => {
                let u = string(pos, &kf, val)?;
                if u != field.unit {
                    return Err(ScenarioError::Invalid {
                        pos: pos.at(val.span().start),
                        key: kf,
                        message: format!(
                            "unit '{u}' does not match; this input is in '{}'",
                            field.unit
                        ),
                    });
                }
                unit = Some(u);
            }
            "status" => prov.status = Some(parse_status(pos, &kf, val)?),
            "source" => prov.source = Some(string(pos, &kf, val)?),
            "note" => prov.note = Some(string(pos, &kf, val)?),
            _ if PARAM_KEYS.contains(&key) => {}
            _ => return Err(unknown(pos, &kf, k, &PARAM_KEYS)),
        }
    }
    let unit = unit.ok_or_else(|| ScenarioError::Missing {
        at: format!("{at}"),
        key: format!("{full}.unit (expected '{}')", field.unit),
    })?;
    if let Some(by_year) = t.get("by_year") {
        if !field.path {
            return Err(ScenarioError::Invalid {
                pos: pos.at(by_year.span().start),
                key: format!("{full}.by_year"),
                message: "this input is one value for all years; by_year is not allowed".into(),
            });
        }
        if t.contains_key("value") || t.contains_key("dist") {
            return Err(ScenarioError::Invalid {
                pos: at,
                key: full.to_string(),
                message: "give either by_year or value/dist, not both".into(),
            });
        }
        let anchors = table(pos, &format!("{full}.by_year"), by_year)?;
        let mut out = Vec::new();
        for (yk, yv) in anchors.iter() {
            let ykey = format!("{full}.by_year.{}", yk.get_ref());
            let year: i32 = yk.get_ref().parse().map_err(|_| ScenarioError::Invalid {
                pos: pos.at(yk.span().start),
                key: ykey.clone(),
                message: "by_year keys must be years such as 2025".into(),
            })?;
            if !(1990..=2100).contains(&year) {
                return Err(ScenarioError::OutOfRange {
                    pos: pos.at(yk.span().start),
                    key: ykey,
                    value: f64::from(year),
                    min: 1990.0,
                    max: 2100.0,
                    unit: "year".into(),
                });
            }
            let (spec, anchor_prov) = match yv.get_ref() {
                DeValue::Table(at_t) => {
                    let mut p = prov.clone();
                    for (k, val) in at_t.iter() {
                        let key = k.get_ref().as_ref();
                        let kf = format!("{ykey}.{key}");
                        match key {
                            "status" => p.status = Some(parse_status(pos, &kf, val)?),
                            "source" => p.source = Some(string(pos, &kf, val)?),
                            "note" => p.note = Some(string(pos, &kf, val)?),
                            _ if PARAM_KEYS.contains(&key) && key != "unit" && key != "by_year" => {
                            }
                            _ => return Err(unknown(pos, &kf, k, &PARAM_KEYS)),
                        }
                    }
                    (parse_spec(pos, field, &ykey, yv, at_t)?, p)
                }
                _ => {
                    let x = number(pos, &ykey, yv)?;
                    check_range(pos.at(yv.span().start), &ykey, x, field)?;
                    (DistSpec::Constant(x), prov.clone())
                }
            };
            out.push(Param {
                name: format!("{full}@{year}"),
                spec,
                unit: unit.clone(),
                provenance: finish_prov(anchor_prov, &pos.at(yv.span().start), &ykey)?,
                pos: Some(pos.at(yv.span().start)),
            });
        }
        if out.is_empty() {
            return Err(ScenarioError::Invalid {
                pos: pos.at(by_year.span().start),
                key: format!("{full}.by_year"),
                message: "needs at least one year".into(),
            });
        }
        return Ok(out);
    }
    let spec = parse_spec(pos, field, full, v, t)?;
    Ok(vec![Param {
        name: full.to_string(),
        spec,
        unit,
        provenance: finish_prov(prov, &at, full)?,
        pos: Some(at),
    }])
}

fn finish_prov(p: ProvParts, at: &SourcePos, key: &str) -> Result<Provenance, ScenarioError> {
    let missing = |what: &str| ScenarioError::Missing {
        at: format!("{at}"),
        key: format!("{key}.{what}"),
    };
    Ok(Provenance {
        source: p.source.ok_or_else(|| missing("source"))?,
        status: p.status.ok_or_else(|| missing("status"))?,
        note: p.note,
    })
}

fn check_range(at: SourcePos, key: &str, x: f64, field: &Field) -> Result<(), ScenarioError> {
    if x < field.min || x > field.max {
        return Err(ScenarioError::OutOfRange {
            pos: at,
            key: key.to_string(),
            value: x,
            min: field.min,
            max: field.max,
            unit: field.unit.to_string(),
        });
    }
    Ok(())
}

fn parse_spec(
    pos: &Positions,
    field: &Field,
    full: &str,
    v: &Spanned<DeValue>,
    t: &DeTable,
) -> Result<DistSpec, ScenarioError> {
    let at = pos.at(v.span().start);
    let num = |k: &str| -> Result<f64, ScenarioError> {
        let kf = format!("{full}.{k}");
        let val = t.get(k).ok_or_else(|| ScenarioError::Missing {
            at: format!("{at}"),
            key: kf.clone(),
        })?;
        number(pos, &kf, val)
    };
    let num_in_range = |k: &str| -> Result<f64, ScenarioError> {
        let x = num(k)?;
        let kf = format!("{full}.{k}");
        let p = t.get(k).map_or(at.clone(), |val| pos.at(val.span().start));
        check_range(p, &kf, x, field)?;
        Ok(x)
    };
    let opt = |k: &str, default: f64| -> Result<f64, ScenarioError> {
        if t.contains_key(k) {
            num_in_range(k)
        } else {
            Ok(default)
        }
    };
    if let Some(val) = t.get("value") {
        if t.contains_key("dist") {
            return Err(ScenarioError::Invalid {
                pos: at,
                key: full.to_string(),
                message: "give either value or dist, not both".into(),
            });
        }
        let x = number(pos, &format!("{full}.value"), val)?;
        check_range(pos.at(val.span().start), &format!("{full}.value"), x, field)?;
        return Ok(DistSpec::Constant(x));
    }
    let Some(dist_v) = t.get("dist") else {
        return Err(ScenarioError::Missing {
            at: format!("{at}"),
            key: format!("{full}.value or {full}.dist"),
        });
    };
    let dist = string(pos, &format!("{full}.dist"), dist_v)?;
    const FAMILIES: [&str; 7] = [
        "normal",
        "lognormal",
        "triangular",
        "pert",
        "uniform",
        "beta",
        "discrete",
    ];
    let spec = match dist.as_str() {
        "normal" => {
            let mean = num_in_range("mean")?;
            DistSpec::Normal {
                mean,
                sd: num("sd")?,
            }
        }
        "lognormal" => {
            if t.contains_key("median") {
                DistSpec::LogNormal {
                    median: num_in_range("median")?,
                    gsd: num("gsd")?,
                }
            } else {
                DistSpec::LogNormal95 {
                    low: num_in_range("low95")?,
                    high: num_in_range("high95")?,
                }
            }
        }
        "triangular" => DistSpec::Triangular {
            min: num_in_range("min")?,
            mode: num_in_range("mode")?,
            max: num_in_range("max")?,
        },
        "pert" => DistSpec::Pert {
            min: num_in_range("min")?,
            mode: num_in_range("mode")?,
            max: num_in_range("max")?,
        },
        "uniform" => DistSpec::Uniform {
            min: num_in_range("min")?,
            max: num_in_range("max")?,
        },
        "beta" => DistSpec::Beta {
            alpha: num("alpha")?,
            beta: num("beta")?,
            min: opt("min", 0.0_f64.max(field.min))?,
            max: opt("max", 1.0_f64.min(field.max))?,
        },
        "discrete" => {
            let arr = |k: &str| -> Result<Vec<f64>, ScenarioError> {
                let kf = format!("{full}.{k}");
                let val = t.get(k).ok_or_else(|| ScenarioError::Missing {
                    at: format!("{at}"),
                    key: kf.clone(),
                })?;
                let DeValue::Array(a) = val.get_ref() else {
                    return Err(ScenarioError::WrongType {
                        pos: pos.at(val.span().start),
                        key: kf,
                        expected: "an array of numbers".into(),
                        found: type_name(val.get_ref()).into(),
                    });
                };
                a.iter().map(|x| number(pos, &kf, x)).collect()
            };
            let values = arr("values")?;
            for (i, x) in values.iter().enumerate() {
                let p = t
                    .get("values")
                    .map_or(at.clone(), |val| pos.at(val.span().start));
                check_range(p, &format!("{full}.values[{i}]"), *x, field)?;
            }
            DistSpec::Discrete {
                values,
                probs: arr("probs")?,
            }
        }
        _ => {
            return Err(ScenarioError::Invalid {
                pos: pos.at(dist_v.span().start),
                key: format!("{full}.dist"),
                message: format!(
                    "'{dist}' is not a distribution; use one of: {}{}",
                    FAMILIES.join(", "),
                    suggest(&dist, FAMILIES.iter().copied())
                        .map(|x| format!(" (did you mean '{x}'?)"))
                        .unwrap_or_default()
                ),
            });
        }
    };
    Ok(spec)
}

/// Collects the names a scenario must not lack: used by `validate` to list unset inputs.
pub fn unset_fields(s: &Scenario) -> Vec<&'static str> {
    let names: HashSet<&str> = s
        .params
        .iter()
        .map(|p| p.name.split('@').next().unwrap_or(&p.name))
        .collect();
    schema::fields()
        .filter(|f| !f.pattern.contains('*') && !f.pattern.contains('{'))
        .filter(|f| !names.contains(f.pattern))
        .map(|f| f.pattern)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "[scenario]\nid = \"t\"\ntitle_zh = \"测试\"\ntitle_en = \"Test\"\nbase_year = 2020\nhorizon = 2025\n";

    fn load(body: &str) -> Result<Scenario, ScenarioError> {
        load_str("test.toml", &format!("{HEAD}{body}"))
    }

    fn err(body: &str) -> String {
        match load(body) {
            Ok(_) => panic!("expected an error for:\n{body}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn reads_constants_distributions_paths_and_items() {
        let s = load(
            r#"
[testonly.scalar_mw]
value = 12.5
unit = "MW"
status = "assumption"
source = "DATA.md"
[testonly.growth]
unit = "fraction/yr"
status = "statistic"
source = "bulletin"
by_year = { 2021 = 0.061, 2023 = { dist = "normal", mean = 0.05, sd = 0.015, status = "assumption" } }
[testonly.plant.fuyu]
capacity_mw = { dist = "triangular", min = 30, mode = 50.6, max = 60, unit = "MW", status = "assumption", source = "DATA.md §6" }
[testonly.fleet.bus.share]
value = 1.0
unit = "fraction"
status = "plan"
source = "plan"
"#,
        )
        .unwrap();
        assert_eq!(
            s.param("testonly.scalar_mw").unwrap().spec,
            DistSpec::Constant(12.5)
        );
        assert_eq!(
            s.param("testonly.growth@2021").unwrap().provenance.status,
            Status::Statistic
        );
        let p = s.param("testonly.growth@2023").unwrap();
        assert_eq!(p.provenance.status, Status::Assumption);
        assert_eq!(p.provenance.source, "bulletin");
        assert_eq!(
            p.spec,
            DistSpec::Normal {
                mean: 0.05,
                sd: 0.015
            }
        );
        assert!(matches!(
            s.param("testonly.plant.fuyu.capacity_mw").unwrap().spec,
            DistSpec::Triangular { .. }
        ));
        let pos = s.param("testonly.scalar_mw").unwrap().pos.clone().unwrap();
        assert_eq!((pos.line, pos.file.as_str()), (8, "test.toml"));
    }

    #[test]
    fn dates_become_decimal_years() {
        assert_eq!(decimal_year(2023, 1, 1), Some(2023.0));
        let d = decimal_year(2023, 7, 1).unwrap();
        assert!((d - (2023.0 + 181.0 / 365.0)).abs() < 1e-12);
        assert_eq!(decimal_year(2023, 2, 29), None);
    }

    #[test]
    fn unknown_key_names_position_and_suggests() {
        let e = err(
            "[testonly.scalar_mv]\nvalue = 1\nunit = \"MW\"\nstatus = \"plan\"\nsource = \"x\"\n",
        );
        assert!(e.contains("test.toml:7:"), "{e}");
        assert!(
            e.contains("testonly.scalar_mv") && e.contains("did you mean 'scalar_mw'"),
            "{e}"
        );
        let e = err(
            "[testonly.fleet.buss.share]\nvalue = 1\nunit = \"fraction\"\nstatus = \"plan\"\nsource = \"x\"\n",
        );
        assert!(e.contains("did you mean 'bus'"), "{e}");
        let e = err(
            "[testonly.scalar_mw]\nvalue = 1\nunits = \"MW\"\nstatus = \"plan\"\nsource = \"x\"\n",
        );
        assert!(
            e.contains("did you mean 'unit'") && e.contains(":9:"),
            "{e}"
        );
    }

    #[test]
    fn wrong_type_and_range_and_provenance_errors() {
        let e = err(
            "[testonly.scalar_mw]\nvalue = \"big\"\nunit = \"MW\"\nstatus = \"plan\"\nsource = \"x\"\n",
        );
        assert!(
            e.contains("test.toml:8:9") && e.contains("expected a finite number"),
            "{e}"
        );
        let e = err(
            "[testonly.scalar_mw]\nvalue = -5\nunit = \"MW\"\nstatus = \"plan\"\nsource = \"x\"\n",
        );
        assert!(
            e.contains("test.toml:8") && e.contains("[0, 1000] MW"),
            "{e}"
        );
        let e = err("[testonly.scalar_mw]\nvalue = 5\nunit = \"MW\"\nsource = \"x\"\n");
        assert!(e.contains("testonly.scalar_mw.status"), "{e}");
        let e = err(
            "[testonly.scalar_mw]\nvalue = 5\nunit = \"kW\"\nstatus = \"plan\"\nsource = \"x\"\n",
        );
        assert!(e.contains("this input is in 'MW'"), "{e}");
        let e = err(
            "[testonly.scalar_mw]\nvalue = 5\nunit = \"MW\"\nstatus = \"guess\"\nsource = \"x\"\n",
        );
        assert!(e.contains("not a status"), "{e}");
    }

    #[test]
    fn horizon_before_base_year_is_rejected() {
        let e = load_str(
            "h.toml",
            "[scenario]\nid = \"t\"\ntitle_zh = \"t\"\ntitle_en = \"t\"\nbase_year = 2020\nhorizon = 2019\n",
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("h.toml:6:11") && e.contains("scenario.horizon"),
            "{e}"
        );
    }

    #[test]
    fn syntax_errors_have_positions() {
        let e = err("[testonly\nvalue = 1\n");
        assert!(e.contains("test.toml:7:") && e.contains("syntax"), "{e}");
    }

    #[test]
    fn extends_merges_and_detects_cycles_and_missing_parents() {
        let dir = std::env::temp_dir().join(format!("tanfeng-load-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let prov = "unit = \"MW\"\nstatus = \"plan\"\nsource = \"x\"\n";
        std::fs::write(
            dir.join("parent.toml"),
            format!("{HEAD}[testonly.scalar_mw]\nvalue = 1\n{prov}[testonly.plant.a]\ncapacity_mw = {{ value = 3, {} }}\n", prov.replace('\n', ", ").trim_end_matches(", ")),
        )
        .unwrap();
        std::fs::write(
            dir.join("child.toml"),
            format!("[scenario]\nid = \"c\"\ntitle_zh = \"c\"\ntitle_en = \"c\"\nextends = \"parent.toml\"\nhorizon = 2030\n[testonly.scalar_mw]\nvalue = 2\n{prov}"),
        )
        .unwrap();
        let s = load_path(&dir.join("child.toml")).unwrap();
        assert_eq!(s.meta.id, "c");
        assert_eq!((s.meta.base_year, s.meta.horizon), (2020, 2030));
        assert_eq!(
            s.param("testonly.scalar_mw").unwrap().spec,
            DistSpec::Constant(2.0)
        );
        assert_eq!(
            s.param("testonly.plant.a.capacity_mw").unwrap().spec,
            DistSpec::Constant(3.0)
        );
        assert_eq!(s.files.len(), 2);
        std::fs::write(
            dir.join("x.toml"),
            HEAD.replace("[scenario]\n", "[scenario]\nextends = \"y.toml\"\n"),
        )
        .unwrap();
        std::fs::write(
            dir.join("y.toml"),
            HEAD.replace("[scenario]\n", "[scenario]\nextends = \"x.toml\"\n"),
        )
        .unwrap();
        let e = load_path(&dir.join("x.toml")).unwrap_err().to_string();
        assert!(
            e.contains("cycle") && e.contains("x.toml") && e.contains("y.toml"),
            "{e}"
        );
        std::fs::write(
            dir.join("m.toml"),
            HEAD.replace("[scenario]\n", "[scenario]\nextends = \"nowhere\"\n"),
        )
        .unwrap();
        let e = load_path(&dir.join("m.toml")).unwrap_err().to_string();
        assert!(e.contains("m.toml:2:11") && e.contains("'nowhere'"), "{e}");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn targets_and_correlations_parse() {
        let s = load(
            "[[target]]\nid = \"co2\"\nindicator = \"co2_intensity_change\"\ncomparison = \"at_most\"\nthreshold = -0.18\nyear = 2025\nkind = \"binding\"\nsource = \"plan\"\n[[correlation]]\na = \"x\"\nb = \"y\"\nrho = 0.5\n",
        )
        .unwrap();
        assert_eq!(s.targets.len(), 1);
        assert!(s.targets[0].is_met(-0.2) && !s.targets[0].is_met(-0.1));
        assert_eq!(s.correlations[0].rho, 0.5);
        let e = err("[[correlation]]\na = \"x\"\nb = \"y\"\nrho = 1.5\n");
        assert!(e.contains("correlation.rho") && e.contains(":10:"), "{e}");
    }
}
