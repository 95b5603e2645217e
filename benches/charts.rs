//! Criterion benchmark of the briefing charts against the Monte Carlo run they illustrate:
//! `tanfeng compare` on the five shipped scenarios at the default 10,000 draws, once without
//! charts and once with them (all comparison figures in Chinese and English, PNG + SVG, and the
//! briefing page). The difference of the two medians is the chart time (issue 5 asks that it
//! be well under the Monte Carlo time). Needs a CJK font for the Chinese set (CI installs one).

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use tanfeng::cli::{ChartLang, ChartOptions, DEFAULT_DRAWS, DEFAULT_SEED, Format, RunOptions};
use tanfeng::present::tables::CsvFlavor;

/// Options of `tanfeng compare` on the shipped scenarios (horizon: the latest of theirs).
fn options(out: &Path, charts: bool) -> RunOptions {
    let horizon = tanfeng::scenario::embedded::ids()
        .into_iter()
        .filter_map(|id| tanfeng::scenario::load_embedded(id).ok())
        .map(|s| s.meta.horizon)
        .max();
    RunOptions {
        scenario: String::new(),
        draws: DEFAULT_DRAWS,
        seed: DEFAULT_SEED,
        threads: None,
        horizon,
        out: out.to_path_buf(),
        csv: CsvFlavor::Plain,
        xlsx: false,
        format: Format::Table,
        quiet: true,
        charts: ChartOptions::new(ChartLang::Both, None, !charts),
    }
}

fn bench_compare(c: &mut Criterion) {
    let ids: Vec<String> = tanfeng::scenario::embedded::ids()
        .into_iter()
        .map(String::from)
        .collect();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temporary folder: {e}"));
    let mut g = c.benchmark_group("compare_shipped_default_draws");
    g.sample_size(10);
    for (name, charts) in [("draws_only", false), ("draws_and_charts", true)] {
        let o = options(dir.path(), charts);
        g.bench_function(name, |b| {
            b.iter(|| {
                let out = tanfeng::cli::compare(&ids, &o);
                assert!(out.is_ok(), "{:?}", out.err());
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench_compare);
criterion_main!(benches);
