//! Criterion benchmarks: one `simulate` call, sampling a block of draws as the engine does
//! (per draw), and a full run of 100,000 draws per shipped scenario (engine only, no files).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

use tanfeng::engine::{self, RunConfig};
use tanfeng::model::Model;
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

criterion_group! {
    name = benches;
    // No plots: the crate builds plotters without system font lookup.
    config = Criterion::default().without_plots();
    targets = bench_simulate, bench_runs
}
criterion_main!(benches);
