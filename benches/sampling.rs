//! Sampling micro-benchmarks: one draw and a 1024-draw block of a ~100-parameter scenario
//! (mixed families, one correlated group of three), and each family's inverse CDF alone.
//! Target: < 30 ns per uncertain parameter per draw in blocks.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use tanfeng::scenario::{Correlation, DistSpec, Meta, Options, Param, Scenario};
use tanfeng::uncertainty::{Distribution, Sampler, uniforms};

/// Parameter `i` of the benchmark scenario: a realistic mix dominated by PERT and triangular.
fn spec(i: usize) -> DistSpec {
    let f = 1.0 + i as f64 * 0.01;
    match i % 10 {
        0..=2 => DistSpec::Pert {
            min: 0.8 * f,
            mode: f,
            max: 1.5 * f,
        },
        3 | 4 => DistSpec::Triangular {
            min: 0.9 * f,
            mode: f,
            max: 1.2 * f,
        },
        5 | 6 => DistSpec::Normal {
            mean: f,
            sd: 0.1 * f,
        },
        7 => DistSpec::LogNormal {
            median: f,
            gsd: 1.3,
        },
        8 => DistSpec::Uniform {
            min: 0.5 * f,
            max: f,
        },
        _ => DistSpec::Beta {
            alpha: 2.0,
            beta: 3.0 + (i % 7) as f64,
            min: 0.0,
            max: f,
        },
    }
}

/// 100 uncertain parameters plus 20 constants; optionally one correlated group of three.
fn scenario(correlated: bool) -> Scenario {
    let mut params: Vec<Param> = (0..100)
        .map(|i| Param::built(&format!("sector.param_{i:03}"), spec(i), "1"))
        .collect();
    params.extend((0..20).map(|i| {
        Param::built(
            &format!("fixed.c_{i:02}"),
            DistSpec::Constant(i as f64),
            "1",
        )
    }));
    let correlations = if correlated {
        let c = |a: usize, b: usize, rho: f64| Correlation {
            a: format!("sector.param_{a:03}"),
            b: format!("sector.param_{b:03}"),
            rho,
            pos: None,
        };
        vec![c(5, 6, 0.5), c(6, 15, 0.3), c(5, 15, 0.2)]
    } else {
        vec![]
    };
    Scenario::new(
        Meta::built("bench", 2020, 2025),
        Options::default(),
        params,
        correlations,
        vec![],
    )
}

fn sampler(correlated: bool) -> Sampler {
    match Sampler::new(&scenario(correlated)) {
        Ok(s) => s,
        Err(e) => panic!("benchmark scenario invalid: {e}"),
    }
}

fn bench_sampler(c: &mut Criterion) {
    for (label, correlated) in [("independent", false), ("with_copula", true)] {
        let s = sampler(correlated);
        let np = s.n_params();
        let mut g = c.benchmark_group(format!("sampler_{label}"));
        g.measurement_time(Duration::from_secs(4));

        let mut one = vec![0.0; np];
        let mut draw = 0u64;
        g.throughput(Throughput::Elements(s.uncertain().len() as u64));
        g.bench_function("one_draw_100_params", |b| {
            b.iter(|| {
                draw += 1;
                s.sample_block(black_box(42), draw, 1, &mut one);
                black_box(&one);
            })
        });

        let n = 1024;
        let mut out = vec![0.0; n * np];
        let mut first = 0u64;
        g.throughput(Throughput::Elements((n * s.uncertain().len()) as u64));
        g.bench_function("block_1024_draws_100_params", |b| {
            b.iter(|| {
                first += n as u64;
                s.sample_block(black_box(42), first, n, &mut out);
                black_box(&out);
            })
        });
        g.finish();
    }
}

fn bench_families(c: &mut Criterion) {
    let mut u = vec![0.0; 1024];
    uniforms(1, "bench", 0, &mut u);
    let specs = [
        ("normal", DistSpec::Normal { mean: 1.0, sd: 0.1 }),
        (
            "lognormal",
            DistSpec::LogNormal {
                median: 1.0,
                gsd: 1.5,
            },
        ),
        (
            "triangular",
            DistSpec::Triangular {
                min: 0.0,
                mode: 0.3,
                max: 1.0,
            },
        ),
        (
            "pert",
            DistSpec::Pert {
                min: 0.0,
                mode: 0.3,
                max: 1.0,
            },
        ),
        ("uniform", DistSpec::Uniform { min: 0.0, max: 1.0 }),
        (
            "beta_0.5_0.5",
            DistSpec::Beta {
                alpha: 0.5,
                beta: 0.5,
                min: 0.0,
                max: 1.0,
            },
        ),
        (
            "discrete_5",
            DistSpec::Discrete {
                values: vec![1.0, 2.0, 3.0, 4.0, 5.0],
                probs: vec![0.1, 0.2, 0.4, 0.2, 0.1],
            },
        ),
    ];
    let mut g = c.benchmark_group("inverse_cdf_1024");
    g.throughput(Throughput::Elements(1024));
    g.measurement_time(Duration::from_secs(2));
    for (name, spec) in specs {
        let d = match Distribution::from_spec(&spec) {
            Ok(d) => d,
            Err(e) => panic!("{name}: {e}"),
        };
        g.bench_function(name, |b| {
            b.iter(|| {
                let mut acc = 0.0;
                for &x in &u {
                    acc += d.inverse_cdf(black_box(x));
                }
                black_box(acc)
            })
        });
    }
    g.bench_function("uniforms_stream", |b| {
        let mut out = vec![0.0; 1024];
        let mut first = 0u64;
        b.iter(|| {
            first += 1024;
            uniforms(black_box(7), "sector.param_000", first, &mut out);
            black_box(&out);
        })
    });
    g.finish();

    let mut g = c.benchmark_group("construction");
    g.bench_function("sampler_new_100_params", |b| {
        let sc = scenario(true);
        b.iter(|| black_box(Sampler::new(black_box(&sc)).is_ok()))
    });
    g.bench_function("pert_from_spec", |b| {
        let spec = DistSpec::Pert {
            min: 0.0,
            mode: 0.3,
            max: 1.0,
        };
        b.iter(|| black_box(Distribution::from_spec(black_box(&spec)).is_ok()))
    });
    g.finish();
}

criterion_group! {
    name = benches;
    // No plots: the crate builds plotters without system font lookup.
    config = Criterion::default().without_plots();
    targets = bench_sampler, bench_families
}
criterion_main!(benches);
