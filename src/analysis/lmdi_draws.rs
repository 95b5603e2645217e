//! LMDI over Monte Carlo draws in bounded memory: every draw's CO₂ change from the base year
//! to each later year is decomposed ([`super::decomposition`]) and folded into per-year
//! mergeable summaries — moments (mean) and quantile sketches (median, P5, P95, within the
//! sketch's relative accuracy α = 0.2 %) — through the engine's one loop, so memory grows
//! with years, not draws, and shards merge to the bits of one process.

use serde::{Deserialize, Serialize};

use super::AnalysisError;
use super::decomposition::{N_EFFECTS, decompose};
use crate::engine::{
    Accumulator, CHUNK, ChunkTree, Moments, QuantileSketch, Shard, ShardError, fold_chunks,
    n_chunks,
};
use crate::model::Model;
use crate::uncertainty::Sampler;

/// Quantities summarised per year: the effects, then total change, base CO₂ and CO₂.
pub const N_QUANTITIES: usize = N_EFFECTS + 3;

/// Distribution of the effects per year.
#[derive(Debug, Clone)]
pub struct LmdiSummary {
    /// Years after the base year.
    pub years: Vec<i32>,
    /// `stats[t][e]` = (median, P5, P95, mean) of effect e (then total change, base CO₂, CO₂)
    /// in year `years[t]`.
    pub stats: Vec<Vec<[f64; 4]>>,
    /// Draws.
    pub n_draws: usize,
    /// Largest |Σ effects − ΔC| / max(C⁰, Cᵀ) over all draws and years.
    pub max_relative_residual: f64,
}

/// Chunk-ordered part of the LMDI summaries: moments per (year, quantity) and the largest
/// relative residual.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LmdiAcc {
    /// `moments[t * N_QUANTITIES + q]`.
    pub moments: Vec<Moments>,
    /// Largest relative residual.
    pub max_relative_residual: f64,
}

impl Accumulator for LmdiAcc {
    fn merge(&mut self, later: LmdiAcc) {
        for (a, b) in self.moments.iter_mut().zip(&later.moments) {
            a.merge(b);
        }
        self.max_relative_residual = self.max_relative_residual.max(later.max_relative_residual);
    }
}

/// What a range of chunks contributes (one shard's payload).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LmdiPart {
    /// Moments and residual, chunk-ordered.
    pub tree: ChunkTree<LmdiAcc>,
    /// Sketches `t * N_QUANTITIES + q` (order-free).
    pub sketches: Vec<QuantileSketch>,
    /// Years after the base year.
    pub years: Vec<i32>,
    /// Draws of the whole run.
    pub draws: u64,
}

impl LmdiPart {
    /// Appends the part of the chunks right after this one.
    pub fn append(&mut self, later: LmdiPart) -> Result<(), ShardError> {
        self.tree.append(later.tree)?;
        for (a, b) in self.sketches.iter_mut().zip(&later.sketches) {
            // Same constructor on both sides: cannot fail.
            let _ = a.merge(b);
        }
        Ok(())
    }

    /// The per-year summary of the merged parts.
    pub fn summary(self) -> LmdiSummary {
        let ny = self.years.len();
        let acc = self.tree.finish().unwrap_or(LmdiAcc {
            moments: vec![Moments::default(); ny * N_QUANTITIES],
            max_relative_residual: 0.0,
        });
        let stats = (0..ny)
            .map(|t| {
                (0..N_QUANTITIES)
                    .map(|q| {
                        let c = t * N_QUANTITIES + q;
                        let sk = &self.sketches[c];
                        [
                            sk.quantile(0.5),
                            sk.quantile(0.05),
                            sk.quantile(0.95),
                            acc.moments[c].mean(),
                        ]
                    })
                    .collect()
            })
            .collect();
        LmdiSummary {
            years: self.years,
            stats,
            n_draws: self.draws as usize,
            max_relative_residual: acc.max_relative_residual,
        }
    }
}

/// Decomposes the draws of `shard` (of `draws` draws with `seed`: the draws of
/// `tanfeng run`). An LMDI failure is reported for the first failing draw in draw order.
pub fn lmdi_part(
    model: &Model,
    sampler: &Sampler,
    draws: u64,
    seed: u64,
    shard: Shard,
) -> Result<LmdiPart, AnalysisError> {
    let n = draws as usize;
    let np = sampler.n_params();
    let years = model.years()[1..].to_vec();
    let ny = years.len();
    let cells = ny * N_QUANTITIES;
    struct Worker {
        ws: crate::model::Workspace,
        params: Vec<f64>,
        sketches: Vec<QuantileSketch>,
    }
    let mut sketches = vec![QuantileSketch::default(); cells];
    let mut failure: Option<AnalysisError> = None;
    let tree = fold_chunks(
        shard.chunks(n_chunks(draws, CHUNK)),
        || Worker {
            ws: model.workspace(),
            params: vec![0.0; CHUNK * np],
            sketches: vec![QuantileSketch::default(); cells],
        },
        |w: &mut Worker, c: usize| {
            let m = CHUNK.min(n - c * CHUNK);
            let params = &mut w.params[..m * np];
            sampler.sample_block(seed, (c * CHUNK) as u64, m, params);
            let mut cols = vec![Vec::with_capacity(m); cells];
            let mut max_res: f64 = 0.0;
            let mut err = None;
            for row in params.chunks_exact(np) {
                model.simulate_into(row, &mut w.ws);
                let y = &w.ws.trajectory.years;
                for (t, later) in y[1..].iter().enumerate() {
                    let d = match decompose(&y[0], later) {
                        Ok(d) => d,
                        Err(e) => {
                            err.get_or_insert(e);
                            continue;
                        }
                    };
                    let col = &mut cols[t * N_QUANTITIES..(t + 1) * N_QUANTITIES];
                    for (e, v) in d.effects.iter().enumerate() {
                        col[e].push(*v);
                    }
                    col[N_EFFECTS].push(d.total_change());
                    col[N_EFFECTS + 1].push(d.co2_base_t);
                    col[N_EFFECTS + 2].push(d.co2_t);
                    let scale = d.co2_base_t.abs().max(d.co2_t.abs()).max(1e-300);
                    max_res = max_res.max(d.residual().abs() / scale);
                }
            }
            for (sk, xs) in w.sketches.iter_mut().zip(&cols) {
                sk.push_all(xs);
            }
            let acc = LmdiAcc {
                moments: cols.iter().map(|xs| Moments::from_slice(xs)).collect(),
                max_relative_residual: max_res,
            };
            (acc, err)
        },
        |_, err| {
            if let (None, Some(e)) = (&failure, err) {
                failure = Some(e);
            }
        },
        |w: Worker| {
            for (a, b) in sketches.iter_mut().zip(&w.sketches) {
                let _ = a.merge(b);
            }
        },
    );
    if let Some(e) = failure {
        return Err(e);
    }
    Ok(LmdiPart {
        tree,
        sketches,
        years,
        draws,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load_embedded;

    /// Medians within the sketch's α of the exact medians, means to rounding, and the
    /// summary of two shards equal (bits) to one pass.
    #[test]
    fn summaries_match_exact_statistics_and_shards_merge_exactly() {
        let s = load_embedded("plan").expect("plan");
        let model = Model::new(&s).expect("model");
        let sampler = Sampler::new(&s).expect("sampler");
        let draws = 3 * CHUNK as u64 + 11;
        let one = lmdi_part(&model, &sampler, draws, 9, Shard::WHOLE)
            .expect("lmdi")
            .summary();
        let mut merged =
            lmdi_part(&model, &sampler, draws, 9, Shard { index: 1, count: 2 }).expect("1/2");
        merged
            .append(
                lmdi_part(&model, &sampler, draws, 9, Shard { index: 2, count: 2 }).expect("2/2"),
            )
            .expect("append");
        let two = merged.summary();
        let bits = |s: &LmdiSummary| -> Vec<u64> {
            s.stats
                .iter()
                .flatten()
                .flatten()
                .map(|x| x.to_bits())
                .collect()
        };
        assert_eq!(bits(&one), bits(&two));
        // Exact statistics of the horizon year's total change from every draw.
        let np = sampler.n_params();
        let mut params = vec![0.0; draws as usize * np];
        sampler.sample_block(9, 0, draws as usize, &mut params);
        let mut xs: Vec<f64> = params
            .chunks_exact(np)
            .map(|p| {
                let tr = model.simulate(p);
                let y = &tr.years;
                decompose(&y[0], &y[y.len() - 1])
                    .expect("lmdi")
                    .total_change()
            })
            .collect();
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        xs.sort_by(f64::total_cmp);
        let median = xs[(xs.len() - 1) / 2];
        let last = one.stats.last().expect("years")[N_EFFECTS];
        assert!(
            (last[0] - median).abs() <= 0.0021 * median.abs(),
            "{last:?} vs {median}"
        );
        assert!(
            (last[3] - mean).abs() <= 1e-9 * mean.abs(),
            "{last:?} vs {mean}"
        );
        assert!(one.max_relative_residual < 1e-9);
    }
}
