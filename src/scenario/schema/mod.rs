//! The registry of every input name a scenario may set, with unit and allowed range.
//!
//! A pattern is a dotted name whose segments are literal, `*` (any item id such as a plant or
//! boiler-group name: lowercase letters, digits and `_`) or `{a,b,c}` (one of a fixed list, e.g.
//! vehicle segments). `path = true` marks inputs that may be given per year (`by_year`), stored
//! as `name@YEAR` anchors and linearly interpolated by the model.

mod energy;
pub mod levers;
mod pollutant;

/// One allowed input.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Field {
    /// Dotted name pattern (see module docs).
    pub pattern: &'static str,
    /// Unit the value must be given in.
    pub unit: &'static str,
    /// Smallest allowed value (inclusive).
    pub min: f64,
    /// Largest allowed value (inclusive).
    pub max: f64,
    /// Whether the input may be given per year (`by_year`).
    pub path: bool,
    /// One line saying what it is.
    pub doc: &'static str,
}

/// All fields, energy half then pollutant half.
pub fn fields() -> impl Iterator<Item = &'static Field> {
    energy::FIELDS
        .iter()
        .chain(pollutant::FIELDS.iter())
        .chain(TEST_FIELDS.iter())
}

/// Fields that exist only in unit tests of the loader (`testonly.*`).
#[cfg(test)]
const TEST_FIELDS: &[Field] = &[
    Field {
        pattern: "testonly.scalar_mw",
        unit: "MW",
        min: 0.0,
        max: 1000.0,
        path: false,
        doc: "a test scalar",
    },
    Field {
        pattern: "testonly.growth",
        unit: "fraction/yr",
        min: -0.5,
        max: 0.5,
        path: true,
        doc: "a test path",
    },
    Field {
        pattern: "testonly.plant.*.capacity_mw",
        unit: "MW",
        min: 0.0,
        max: 2000.0,
        path: false,
        doc: "a test item",
    },
    Field {
        pattern: "testonly.fleet.{car,bus}.share",
        unit: "fraction",
        min: 0.0,
        max: 1.0,
        path: false,
        doc: "a test fixed list",
    },
];
#[cfg(not(test))]
const TEST_FIELDS: &[Field] = &[];

/// The field of a full input name (`power.wind_new_mw@2025` → `power.{wind_new_mw,…}`), for
/// checks made outside scenario files (workbook import); the loader matches the same way.
pub fn field_of(name: &str) -> Option<&'static Field> {
    let path = name.split('@').next().unwrap_or(name);
    let segs: Vec<&str> = path.split('.').collect();
    fields().find(|f| {
        let pat: Vec<&str> = f.pattern.split('.').collect();
        pat.len() == segs.len()
            && pat.iter().zip(&segs).all(|(p, s)| {
                if *p == "*" {
                    !s.is_empty()
                        && s.chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                } else if let Some(inner) = p.strip_prefix('{').and_then(|x| x.strip_suffix('}')) {
                    inner.split(',').any(|o| o == *s)
                } else {
                    p == s
                }
            })
    })
}
