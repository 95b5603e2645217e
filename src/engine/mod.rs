//! Layer 4 — the Monte Carlo engine: draws in parallel (rayon), folded into mergeable
//! accumulators in a fixed order so results are identical for any thread count.

pub mod fold;
pub mod moments;
pub mod series;
pub mod shard_file;
pub mod sketch;

pub use fold::{Accumulator, Block, ChunkTree, Shard, ShardError, fold_chunks, n_chunks};

pub use moments::Moments;
pub use series::{N_SERIES, SERIES, SeriesDef};
pub use sketch::QuantileSketch;

use crate::model::reconcile::ReconStats;
use crate::model::{BookLine, IndicatorDef, Measure, Model, Workspace};
use crate::scenario::{Scenario, Target};
use crate::uncertainty::Sampler;

/// Draws per chunk: the unit of parallel work, of sharding and of the ordered merge.
pub const CHUNK: usize = 128;

/// Invalid accumulator parameters (sketch accuracy, bucket limits, mismatched merges).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AccumError {
    /// A parameter outside its allowed range.
    #[error("invalid {name} = {value}: allowed {allowed}")]
    InvalidParameter {
        /// Parameter name.
        name: &'static str,
        /// The value given.
        value: f64,
        /// Allowed range.
        allowed: &'static str,
    },
}

/// Errors of a run.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// `--draws 0` or more draws than can be stored.
    #[error("--draws must be between 1 and {max}, got {got}")]
    BadDrawCount {
        /// Requested.
        got: u64,
        /// Largest allowed.
        max: u64,
    },
    /// A target names an indicator the model does not report.
    #[error("target '{target}' names the indicator '{indicator}', which is not one of: {known}")]
    UnknownIndicator {
        /// Target id.
        target: String,
        /// Indicator named.
        indicator: String,
        /// Known indicators.
        known: String,
    },
    /// A target year outside the simulated years.
    #[error("target '{target}' is for {year}, outside the simulated years {first}–{last}")]
    TargetYear {
        /// Target id.
        target: String,
        /// Its year.
        year: i32,
        /// First simulated year.
        first: i32,
        /// Last simulated year.
        last: i32,
    },
}

/// How many draws, which seed, which part of the draw sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunConfig {
    /// Number of draws.
    pub draws: u64,
    /// Seed of every random stream.
    pub seed: u64,
    /// Offset added to every draw index (0 in every command; shards select chunks with
    /// [`Shard`] instead).
    pub first_draw: u64,
}

/// The largest draw count a run accepts (the per-draw store is bounded).
pub const MAX_DRAWS: u64 = 20_000_000;

/// Moments and quantile sketch of one series in one year.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cell {
    /// Mean, sd, count.
    pub moments: Moments,
    /// Quantiles.
    pub sketch: QuantileSketch,
}

/// A target resolved against the model: which indicator column and which year index.
#[derive(Debug, Clone)]
pub struct ResolvedTarget {
    /// The target as written.
    pub target: Target,
    /// Indicator index in [`Model::indicator_defs`].
    pub indicator: usize,
    /// Year index (0 = base year).
    pub t: usize,
}

/// Everything a run produces: per-year distributions, wedges, and the per-draw store of
/// horizon-year indicators and target values.
#[derive(Debug, Clone)]
pub struct RunResult {
    /// Scenario id.
    pub scenario_id: String,
    /// Configuration used.
    pub config: RunConfig,
    /// Simulated years.
    pub years: Vec<i32>,
    /// `cells[s * n_years + t]` for series `SERIES[s]`.
    pub cells: Vec<Cell>,
    /// Wedge moments and sketches: `wedges[m * n_years + t]` for measure `m`.
    pub wedges: Vec<Cell>,
    /// Measures, in wedge order.
    pub measures: Vec<Measure>,
    /// Lines of the key-project ledger (projects' 削减量, then 新增量 by cause; MODEL.md §4).
    pub book_lines: Vec<BookLine>,
    /// Ledger moments and quantile sketches: `book[l * n_years + t]` for line `l`.
    pub book: Vec<Cell>,
    /// Indicators, in column order.
    pub indicators: Vec<IndicatorDef>,
    /// Targets with their column and year.
    pub targets: Vec<ResolvedTarget>,
    /// Per draw: horizon indicators then one value per target (`n_cols()` values per draw).
    pub per_draw: Vec<f64>,
    /// Draws meeting each target.
    pub met: Vec<u64>,
    /// Draws with a base-year heat or power balance clamped at 0 (see `Ledger::clamps`; the
    /// energy reconciliation never clamps).
    pub calibration_clamped: u64,
    /// The base-year reconciliation factors over the draws: NOx, VOCs and energy by carrier
    /// (MODEL.md §5).
    pub reconciliation: ReconStats,
}

impl RunResult {
    /// Values stored per draw.
    pub fn n_cols(&self) -> usize {
        self.indicators.len() + self.targets.len()
    }
    /// Number of draws.
    pub fn n_draws(&self) -> usize {
        self.per_draw.len() / self.n_cols().max(1)
    }
    /// The series cell of `SERIES[s]` in year index `t`.
    pub fn cell(&self, s: usize, t: usize) -> &Cell {
        &self.cells[s * self.years.len() + t]
    }
    /// The ledger cell of line `l` (in [`RunResult::book_lines`]) in year index `t`.
    pub fn book_cell(&self, l: usize, t: usize) -> &Cell {
        &self.book[l * self.years.len() + t]
    }
    /// Column of indicator `i` over all draws.
    pub fn indicator_column(&self, i: usize) -> Vec<f64> {
        self.per_draw
            .iter()
            .skip(i)
            .step_by(self.n_cols())
            .copied()
            .collect()
    }
    /// Value of target `k` for every draw.
    pub fn target_column(&self, k: usize) -> Vec<f64> {
        self.per_draw
            .iter()
            .skip(self.indicators.len() + k)
            .step_by(self.n_cols())
            .copied()
            .collect()
    }
}

/// Resolves targets against the model's indicators and years.
pub fn resolve_targets(
    model: &Model,
    targets: &[Target],
) -> Result<Vec<ResolvedTarget>, EngineError> {
    let defs = model.indicator_defs();
    let years = model.years();
    targets
        .iter()
        .map(|t| {
            let indicator = defs
                .iter()
                .position(|d| d.name == t.indicator)
                .ok_or_else(|| EngineError::UnknownIndicator {
                    target: t.id.clone(),
                    indicator: t.indicator.clone(),
                    known: defs.iter().map(|d| d.name).collect::<Vec<_>>().join(", "),
                })?;
            let ti = years
                .iter()
                .position(|&y| y == t.year)
                .ok_or(EngineError::TargetYear {
                    target: t.id.clone(),
                    year: t.year,
                    first: years[0],
                    last: years[years.len() - 1],
                })?;
            Ok(ResolvedTarget {
                target: t.clone(),
                indicator,
                t: ti,
            })
        })
        .collect()
}

/// Per-cell shifted sums over one chunk: one sequential pass per draw over a contiguous row,
/// no divisions (see [`Moments::from_shifted_sums`]).
struct ShiftedSums {
    /// Values counted by the general path, per cell.
    n: Vec<u64>,
    /// Rows taken by the fast path, which adds one value to every cell.
    fast_rows: u64,
    nan: Vec<u64>,
    k: Vec<f64>,
    s1: Vec<f64>,
    s2: Vec<f64>,
    min: Vec<f64>,
    max: Vec<f64>,
    /// Every cell has its shift `k` (a non-NaN value has been pushed to each).
    all_shifted: bool,
}

impl ShiftedSums {
    fn new(width: usize) -> Self {
        ShiftedSums {
            n: vec![0; width],
            fast_rows: 0,
            nan: vec![0; width],
            k: vec![f64::NAN; width],
            s1: vec![0.0; width],
            s2: vec![0.0; width],
            min: vec![f64::INFINITY; width],
            max: vec![f64::NEG_INFINITY; width],
            all_shifted: false,
        }
    }

    #[inline]
    fn push(&mut self, row: &[f64]) {
        // A branch-free OR over the row (vectorised), not `any()`, whose early exit keeps
        // the compiler from vectorising the check that runs for every draw.
        let has_nan = row.iter().fold(false, |a, x| a | x.is_nan());
        if self.all_shifted && !has_nan {
            self.push_fast(row);
            return;
        }
        for (c, &x) in row.iter().enumerate() {
            if x.is_nan() {
                self.nan[c] += 1;
                continue;
            }
            if self.n[c] == 0 {
                self.k[c] = x;
            }
            self.n[c] += 1;
            let y = x - self.k[c];
            self.s1[c] += y;
            self.s2[c] += y * y;
            self.min[c] = self.min[c].min(x);
            self.max[c] = self.max[c].max(x);
        }
        self.all_shifted = self.n.iter().all(|&n| n > 0);
    }

    /// The same arithmetic as the general path for a row without NaN once every shift is
    /// set: straight-line code over equal-length slices, which the compiler vectorises.
    #[inline]
    fn push_fast(&mut self, row: &[f64]) {
        let w = row.len();
        self.fast_rows += 1;
        let (k, s1, s2) = (&self.k[..w], &mut self.s1[..w], &mut self.s2[..w]);
        let (mn, mx) = (&mut self.min[..w], &mut self.max[..w]);
        for c in 0..w {
            let x = row[c];
            let y = x - k[c];
            s1[c] += y;
            s2[c] += y * y;
            mn[c] = if x < mn[c] { x } else { mn[c] };
            mx[c] = if x > mx[c] { x } else { mx[c] };
        }
    }

    fn reset(&mut self) {
        self.n.fill(0);
        self.fast_rows = 0;
        self.nan.fill(0);
        self.k.fill(f64::NAN);
        self.s1.fill(0.0);
        self.s2.fill(0.0);
        self.min.fill(f64::INFINITY);
        self.max.fill(f64::NEG_INFINITY);
        self.all_shifted = false;
    }

    fn moments(&self, c: usize) -> Moments {
        Moments::from_shifted_sums(
            self.n[c] + self.fast_rows,
            self.k[c],
            self.s1[c],
            self.s2[c],
            self.min[c],
            self.max[c],
            self.nan[c],
        )
    }
}

/// Per-worker state reused across chunks: scratch buffers (results never depend on them)
/// and the quantile sketches, whose integer bucket counts merge exactly in any order, so
/// they are kept per worker instead of per chunk.
struct Local {
    ws: Workspace,
    params: Vec<f64>,
    sums: ShiftedSums,
    row: Vec<f64>,
    ind: Vec<f64>,
    /// Sketches of the quantile series: `sketches[q * n_years + t]`.
    sketches: Vec<QuantileSketch>,
    /// The chunk's values for each sketch, `pending[(q * n_years + t) * CHUNK + d]`: pushed
    /// sketch by sketch after the chunk (same values, same order), which keeps each sketch's
    /// buckets in cache instead of visiting every sketch for every draw.
    pending: Vec<f64>,
}

/// Moments of a range of chunks (series cells, then wedge cells) and its target counts;
/// merged along the chunk tree ([`fold`]) so the floating-point results do not depend on the
/// thread count or the shard layout. A new per-draw statistic is a new field here plus one
/// line in `merge`.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct RunAcc {
    /// Series cells `s * n_years + t`, then wedge cells `m * n_years + t`.
    pub moments: Vec<Moments>,
    /// Draws meeting each target.
    pub met: Vec<u64>,
    /// Draws with a base-year heat or power balance clamped.
    pub clamped: u64,
    /// Reconciliation factors (MODEL.md §5).
    pub recon: ReconStats,
}

impl Accumulator for RunAcc {
    fn merge(&mut self, o: RunAcc) {
        self.moments
            .iter_mut()
            .zip(&o.moments)
            .for_each(|(a, b)| a.merge(b));
        self.met.iter_mut().zip(&o.met).for_each(|(a, b)| *a += b);
        self.clamped += o.clamped;
        self.recon.merge(&o.recon);
    }
}

fn merge_sketches(into: &mut [QuantileSketch], from: &[QuantileSketch]) {
    for (a, b) in into.iter_mut().zip(from) {
        // Both sketches come from the same constructor, so merging cannot fail.
        let _ = a.merge(b);
    }
}

/// What the draws of a range of chunks contribute to a run: the chunk tree of moments and
/// counts, the quantile sketches (order-free) and the per-draw rows of the range. A shard
/// file holds one per scenario; [`RunPart::append`] joins consecutive ones.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct RunPart {
    /// Moments and counts.
    pub tree: ChunkTree<RunAcc>,
    /// Sketches of the quantile series, `q * n_years + t`.
    pub sketches: Vec<QuantileSketch>,
    /// Per draw of the range: horizon indicators then one value per target.
    pub per_draw: Vec<f64>,
}

impl RunPart {
    /// Appends the part of the chunks right after this one.
    pub fn append(&mut self, later: RunPart) -> Result<(), ShardError> {
        self.tree.append(later.tree)?;
        merge_sketches(&mut self.sketches, &later.sketches);
        self.per_draw.extend(later.per_draw);
        Ok(())
    }
}

fn check_draws(config: &RunConfig) -> Result<(), EngineError> {
    if config.draws == 0 || config.draws > MAX_DRAWS {
        return Err(EngineError::BadDrawCount {
            got: config.draws,
            max: MAX_DRAWS,
        });
    }
    Ok(())
}

/// Quantile series: indices in [`SERIES`] of the series with per-year sketches.
fn quantile_series() -> Vec<usize> {
    (0..SERIES.len()).filter(|&s| SERIES[s].quantiles).collect()
}

/// Runs `config.draws` draws of one scenario. `progress` is called with the number of draws
/// finished so far (from worker threads). Deterministic for any rayon thread count, and the
/// same bits as merging the [`run_part`]s of any shard layout.
pub fn run(
    scenario: &Scenario,
    model: &Model,
    sampler: &Sampler,
    config: RunConfig,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<RunResult, EngineError> {
    let part = run_part(scenario, model, sampler, config, Shard::WHOLE, progress)?;
    finish(scenario, model, config, part)
}

/// Runs the chunks of `shard` (of the `config.draws` draws) of one scenario.
pub fn run_part(
    scenario: &Scenario,
    model: &Model,
    sampler: &Sampler,
    config: RunConfig,
    shard: Shard,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<RunPart, EngineError> {
    check_draws(&config)?;
    let targets = resolve_targets(model, &scenario.targets)?;
    let years = model.years().to_vec();
    let n_years = years.len();
    let n_ind = model.indicator_defs().len();
    let n_cols = n_ind + targets.len();
    let n_measures = model.measures().len();
    let book_lines = BookLine::all();
    let n_lines = book_lines.len();
    // Lines with quantile sketches come first (the projects); the rest have moments only.
    let n_qlines = book_lines.iter().take_while(|l| l.quantiles()).count();
    let n_params = sampler.n_params();
    let draws = config.draws as usize;
    let chunks = shard.chunks(n_chunks(config.draws, CHUNK));
    let range_draws = (chunks.end * CHUNK).min(draws) - (chunks.start * CHUNK).min(draws);
    let mut per_draw = Vec::with_capacity(range_draws * n_cols);

    let done = std::sync::atomic::AtomicU64::new(0);

    let n_cells = SERIES.len() * n_years;
    let n_wcells = n_measures * n_years;
    let n_bcells = n_lines * n_years;
    let width = n_cells + n_wcells + n_bcells;
    // Values per year in the year-major row, and a cell's position in that row.
    let stride = N_SERIES + n_measures + n_lines;
    let row_index = |c: usize| {
        if c < n_cells {
            (c % n_years) * stride + c / n_years
        } else if c < n_cells + n_wcells {
            let (m, t) = ((c - n_cells) / n_years, (c - n_cells) % n_years);
            t * stride + N_SERIES + m
        } else {
            let b = c - n_cells - n_wcells;
            let (l, t) = (b / n_years, b % n_years);
            t * stride + N_SERIES + n_measures + l
        }
    };
    // Quantile series: (slot among quantile series, series index); the ledger lines follow.
    let q_series = quantile_series();
    let n_q = q_series.len();
    let n_sketches = (n_q + n_qlines) * n_years;
    let new_local = || Local {
        ws: model.workspace(),
        params: {
            let mut p = vec![0.0; CHUNK * n_params];
            sampler.fill_constants(&mut p);
            p
        },
        sums: ShiftedSums::new(width),
        row: vec![0.0; width],
        ind: vec![0.0; n_ind],
        sketches: vec![QuantileSketch::default(); n_sketches],
        pending: vec![0.0; n_sketches * CHUNK],
    };
    let chunk_job = |local: &mut Local, chunk_index: usize| -> (RunAcc, Vec<f64>) {
        let first = chunk_index * CHUNK;
        let n = CHUNK.min(draws - first);
        let mut store = vec![0.0; n * n_cols];
        let mut acc = RunAcc {
            moments: Vec::with_capacity(width),
            met: vec![0; targets.len()],
            clamped: 0,
            recon: ReconStats::default(),
        };
        let Local {
            ws,
            params,
            sums,
            row: row_buf,
            ind,
            sketches,
            pending,
        } = local;
        let params = &mut params[..n * n_params];
        // Constants were written when the buffer was made.
        sampler.sample_uncertain_block(config.seed, config.first_draw + first as u64, n, params);
        sums.reset();
        for d in 0..n {
            let draw = &params[d * n_params..(d + 1) * n_params];
            model.simulate_into(draw, ws);
            let traj = &ws.trajectory;
            let base = &traj.years[0];
            acc.clamped += u64::from(base.clamps > 0);
            acc.recon.add(&traj.reconciled);
            // The row is year-major: year t holds its series, then its wedges.
            for ((t, l), out) in traj
                .years
                .iter()
                .enumerate()
                .zip(row_buf.chunks_exact_mut(stride))
            {
                let (vals, rest) = out.split_at_mut(N_SERIES);
                let (wedge, lines) = rest.split_at_mut(n_measures);
                let vals: &mut [f64; N_SERIES] = vals.try_into().expect("N_SERIES values");
                series::read_all(l, base, vals);
                wedge.copy_from_slice(traj.wedges_at(t));
                for (q, &s) in q_series.iter().enumerate() {
                    pending[(q * n_years + t) * CHUNK + d] = vals[s];
                }
                for (k, (line, v)) in book_lines.iter().zip(lines.iter_mut()).enumerate() {
                    *v = line.read(&l.book);
                    if k < n_qlines {
                        pending[((n_q + k) * n_years + t) * CHUNK + d] = *v;
                    }
                }
            }
            sums.push(row_buf);
            let row = &mut store[d * n_cols..(d + 1) * n_cols];
            model.indicators_into(traj, &mut row[..n_ind]);
            for (k, rt) in targets.iter().enumerate() {
                let v = if rt.t == n_years - 1 {
                    row[rt.indicator]
                } else {
                    model.indicators_at(traj, rt.t, ind);
                    ind[rt.indicator]
                };
                row[n_ind + k] = v;
                if rt.target.is_met(v) {
                    acc.met[k] += 1;
                }
            }
        }
        for (sk, xs) in sketches.iter_mut().zip(pending.chunks_exact(CHUNK)) {
            sk.push_all(&xs[..n]);
        }
        // Back to cell order: series cells `s * n_years + t`, then wedge cells.
        acc.moments
            .extend((0..width).map(|c| sums.moments(row_index(c))));
        let so_far = done.fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed) + n as u64;
        progress(so_far);
        (acc, store)
    };

    let mut sketches = vec![QuantileSketch::default(); n_sketches];
    let tree = fold::fold_chunks(
        chunks,
        new_local,
        chunk_job,
        |_, rows: Vec<f64>| per_draw.extend_from_slice(&rows),
        |local: Local| merge_sketches(&mut sketches, &local.sketches),
    );
    Ok(RunPart {
        tree,
        sketches,
        per_draw,
    })
}

/// The result of a run from the merged parts of all its chunks.
pub fn finish(
    scenario: &Scenario,
    model: &Model,
    config: RunConfig,
    part: RunPart,
) -> Result<RunResult, EngineError> {
    check_draws(&config)?;
    let targets = resolve_targets(model, &scenario.targets)?;
    let years = model.years().to_vec();
    let n_years = years.len();
    let n_cells = SERIES.len() * n_years;
    let book_lines = BookLine::all();
    let n_wcells = model.measures().len() * n_years;
    let n_bcells = book_lines.len() * n_years;
    let n_qlines = book_lines.iter().take_while(|l| l.quantiles()).count();
    let width = n_cells + n_wcells + n_bcells;
    let q_series = quantile_series();
    let n_q = q_series.len();
    let RunPart {
        tree,
        sketches,
        per_draw,
    } = part;
    let total = tree.finish().unwrap_or_else(|| RunAcc {
        moments: vec![Moments::default(); width],
        met: vec![0; targets.len()],
        clamped: 0,
        recon: ReconStats::default(),
    });
    let mut q_slot = vec![None; SERIES.len()];
    for (q, &s) in q_series.iter().enumerate() {
        q_slot[s] = Some(q);
    }
    let cells = (0..n_cells)
        .map(|c| {
            let (s, t) = (c / n_years, c % n_years);
            Cell {
                moments: total.moments[c],
                sketch: q_slot[s]
                    .and_then(|q| sketches.get(q * n_years + t).cloned())
                    .unwrap_or_default(),
            }
        })
        .collect();
    let book = (0..n_bcells)
        .map(|b| {
            let (l, t) = (b / n_years, b % n_years);
            Cell {
                moments: total.moments[n_cells + n_wcells + b],
                sketch: if l < n_qlines {
                    sketches[(n_q + l) * n_years + t].clone()
                } else {
                    QuantileSketch::default()
                },
            }
        })
        .collect();
    let wedges = total.moments[n_cells..n_cells + n_wcells]
        .iter()
        .map(|&moments| Cell {
            moments,
            sketch: QuantileSketch::default(),
        })
        .collect();
    Ok(RunResult {
        scenario_id: scenario.meta.id.clone(),
        config,
        years,
        cells,
        wedges,
        measures: model.measures().to_vec(),
        book_lines,
        book,
        indicators: model.indicator_defs().to_vec(),
        targets,
        per_draw,
        met: total.met,
        calibration_clamped: total.clamped,
        reconciliation: total.recon,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load_embedded;

    /// The engine's per-cell moments and sketches equal those computed directly from every
    /// draw's trajectory: counts (the fast path counts rows, not cells), exact min/max, means
    /// to rounding, and sketches identical to pushing the draws one by one in draw order.
    #[test]
    fn cells_match_a_direct_pass_over_the_draws() {
        let s = load_embedded("plan").expect("plan loads");
        let model = Model::new(&s).expect("model");
        let sampler = Sampler::new(&s).expect("sampler");
        // Not a multiple of CHUNK, so the last chunk is partial.
        let n = 3 * CHUNK + 37;
        let config = RunConfig {
            draws: n as u64,
            seed: 5,
            first_draw: 0,
        };
        let r = run(&s, &model, &sampler, config, &|_| {}).expect("run");
        let ny = r.years.len();
        let np = sampler.n_params();
        let mut params = vec![0.0; n * np];
        sampler.sample_block(config.seed, 0, n, &mut params);
        let trajs: Vec<_> = params.chunks_exact(np).map(|d| model.simulate(d)).collect();
        let mut checked_sketches = 0;
        for (si, def) in SERIES.iter().enumerate() {
            for t in 0..ny {
                let xs: Vec<f64> = trajs
                    .iter()
                    .map(|tr| (def.read)(&tr.years[t], &tr.years[0]))
                    .collect();
                assert!(xs.iter().all(|x| !x.is_nan()), "{} has NaN", def.name);
                let cell = r.cell(si, t);
                let m = &cell.moments;
                assert_eq!(m.count(), n as u64, "{} year {t}", def.name);
                let min = xs.iter().copied().fold(f64::INFINITY, f64::min);
                let max = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                assert_eq!((m.min(), m.max()), (min, max), "{} year {t}", def.name);
                let mean = xs.iter().sum::<f64>() / n as f64;
                let scale = min.abs().max(max.abs()).max(1e-300);
                assert!(
                    (m.mean() - mean).abs() <= 1e-12 * scale,
                    "{} year {t}: mean {} vs {mean}",
                    def.name,
                    m.mean()
                );
                if def.quantiles {
                    let mut direct = QuantileSketch::default();
                    for &x in &xs {
                        direct.push(x);
                    }
                    assert!(cell.sketch == direct, "{} year {t}: sketch", def.name);
                    checked_sketches += 1;
                }
            }
        }
        assert!(checked_sketches > 0, "no quantile series checked");
        // Ledger lines: counts, min/max, and the projects' sketches as pushed draw by draw.
        let mut sketched = 0;
        for (li, line) in r.book_lines.iter().enumerate() {
            for t in 0..ny {
                let xs: Vec<f64> = trajs
                    .iter()
                    .map(|tr| line.read(&tr.years[t].book))
                    .collect();
                let cell = r.book_cell(li, t);
                assert_eq!(cell.moments.count(), n as u64);
                let min = xs.iter().copied().fold(f64::INFINITY, f64::min);
                let max = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                assert_eq!((cell.moments.min(), cell.moments.max()), (min, max));
                if line.quantiles() {
                    let mut direct = QuantileSketch::default();
                    xs.iter().for_each(|&x| direct.push(x));
                    assert!(cell.sketch == direct, "ledger line {li} year {t}");
                    sketched += 1;
                }
            }
        }
        assert!(sketched > 0);
        for (m, _) in r.measures.iter().enumerate() {
            for t in 0..ny {
                let c = &r.wedges[m * ny + t].moments;
                assert_eq!(c.count(), n as u64);
                let xs: Vec<f64> = trajs.iter().map(|tr| tr.wedges_at(t)[m]).collect();
                let min = xs.iter().copied().fold(f64::INFINITY, f64::min);
                let max = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                assert_eq!((c.min(), c.max()), (min, max), "wedge {m} year {t}");
            }
        }
    }
}
