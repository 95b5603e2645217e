//! Criterion benchmarks of the engine's per-value folding: one push into a quantile sketch
//! (eight series × six years per draw go through it in a default run).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

use tanfeng::engine::QuantileSketch;

fn bench_sketch(c: &mut Criterion) {
    // Values spread over four orders of magnitude, like the emission series.
    let xs: Vec<f64> = (0..4096u32)
        .map(|i| 10f64.powf(2.0 + 4.0 * f64::from(i) / 4096.0))
        .collect();
    let mut g = c.benchmark_group("quantile_sketch");
    g.throughput(Throughput::Elements(xs.len() as u64));
    g.bench_function("push_4096_values", |b| {
        let mut s = QuantileSketch::new();
        b.iter(|| {
            for &x in &xs {
                s.push(black_box(x));
            }
            black_box(s.count())
        })
    });
    g.finish();
}

criterion_group!(benches, bench_sketch);
criterion_main!(benches);
