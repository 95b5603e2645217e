//! Criterion benchmarks: one `simulate` call, sampling a block of draws as the engine does
//! (per draw), and a full run of 100,000 draws per shipped scenario (engine only, no files).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

use tanfeng::engine::{self, RunConfig};
use tanfeng::model::fleet::FleetInputs;
use tanfeng::model::{Ledger, Model, Resolver, WedgeRegistry, YearCtx};
use tanfeng::scenario::{embedded, load_embedded};
use tanfeng::uncertainty::Sampler;

fn bench_simulate(c: &mut Criterion) {
    let scenario = load_embedded("plan").expect("the shipped plan scenario loads");
    let model = Model::new(&scenario).expect("the model builds");
    let sampler = Sampler::new(&scenario).expect("the sampler builds");
    let draw = sampler.central();
    let mut ws = model.workspace();
    c.bench_function("simulate_one_draw_plan", |b| {
        b.iter(|| {
            model.simulate_into(black_box(&draw), &mut ws);
            black_box(ws.trajectory.years.last().map(|l| l.co2_total_t))
        })
    });
    // The engine's sampling: one block of CHUNK draws of every input (per-draw throughput).
    let n = engine::CHUNK;
    let mut block = vec![0.0; n * sampler.n_params()];
    let mut first = 0u64;
    let mut g = c.benchmark_group("sample_block_plan");
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function("chunk_of_draws", |b| {
        b.iter(|| {
            sampler.sample_block(1, first, n, &mut block);
            first += n as u64;
            black_box(block[0])
        })
    });
    g.finish();
}

fn bench_runs(c: &mut Criterion) {
    let mut g = c.benchmark_group("full_run");
    g.sample_size(10);
    for f in embedded::SHIPPED {
        let scenario = load_embedded(f.id).expect("shipped scenario loads");
        let model = Model::new(&scenario).expect("the model builds");
        let sampler = Sampler::new(&scenario).expect("the sampler builds");
        let config = RunConfig {
            draws: 100_000,
            seed: 1,
            first_draw: 0,
        };
        g.bench_function(format!("{}_100k_draws", f.id), |b| {
            b.iter(|| {
                let r = engine::run(&scenario, &model, &sampler, config, &|_| {})
                    .expect("the run succeeds");
                black_box(r.met.first().copied())
            })
        });
    }
    g.finish();
}

/// The road fleet alone (MODEL.md §3.5) over 2020–2025, cycling through 64 sampled draws of
/// the plan scenario so its variant-copy shortcuts see realistic inputs (per draw).
fn bench_fleet(c: &mut Criterion) {
    let scenario = load_embedded("plan").expect("the shipped plan scenario loads");
    let sampler = Sampler::new(&scenario).expect("the sampler builds");
    let mut registry = WedgeRegistry::default();
    let fleet =
        FleetInputs::resolve(&Resolver::new(&scenario), &mut registry).expect("fleet resolves");
    let (n_draws, np) = (64, sampler.n_params());
    let mut block = vec![0.0; n_draws * np];
    sampler.sample_block(1, 0, n_draws, &mut block);
    let first = scenario.meta.base_year;
    let years = (scenario.meta.horizon - first + 1) as usize;
    let mut state = fleet.new_state();
    let mut ledgers = vec![Ledger::default(); years];
    let mut wedges = vec![0.0; years * registry.len()];
    let mut d = 0;
    c.bench_function("fleet_step_plan_2020_2025", |b| {
        b.iter(|| {
            let draw = &block[d * np..(d + 1) * np];
            d = (d + 1) % n_draws;
            for (t, (l, w)) in ledgers
                .iter_mut()
                .zip(wedges.chunks_mut(registry.len()))
                .enumerate()
            {
                let ctx = YearCtx {
                    year: first + t as i32,
                    t,
                    ..YearCtx::default()
                };
                fleet.step(&ctx, black_box(draw), &mut state, l, w);
            }
            black_box(ledgers[years - 1].nox_t[0])
        })
    });
}

criterion_group! {
    name = benches;
    // No plots: the crate builds plotters without system font lookup.
    config = Criterion::default().without_plots();
    targets = bench_simulate, bench_runs, bench_fleet
}
criterion_main!(benches);
