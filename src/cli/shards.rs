//! `--shard i/n` (write what one shard computed to `<out>/<id>.<i>-of-<n>.tfshard`) and
//! `tanfeng merge` (check that shard files belong together, join them in chunk order and
//! write exactly the outputs one process writes). Format: `docs/shards.md`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::compare::{expand_specs, load_batch, present_compare};
use super::load::{Loaded, load};
use super::run::{ChartOptions, RunOptions, chart_fonts, present_run, thread_pool};
use super::why::{DecomposeOptions, SensitivityOptions, present_decompose, present_sobol};
use super::{Format, Method};
use crate::analysis::lmdi_draws::LmdiPart;
use crate::analysis::sensitivity::{indicator_index, sobol_groups};
use crate::analysis::sobol::{SOBOL_CHUNK, SobolPart};
use crate::engine::shard_file::{self, ShardHeader};
use crate::engine::{self, CHUNK, RunConfig, RunPart, Shard, n_chunks};
use crate::present::io::{create_dirs, write_file};
use crate::present::tables::CsvFlavor;

/// What a shard file carries, by command.
#[derive(Debug, Serialize, Deserialize)]
enum Payload {
    /// `run` (one scenario) or `compare` (one per scenario, in order).
    Runs(Vec<RunPart>),
    /// `sensitivity --method sobol`.
    Sobol(SobolPart),
    /// `decompose`.
    Lmdi(LmdiPart),
}

/// The options a merge needs to redo the command's outputs (stored in the header).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Args {
    /// Scenario files (absolute paths) or shipped ids.
    scenarios: Vec<String>,
    /// `--horizon`.
    horizon: Option<i32>,
    /// `--indicator` (Sobol).
    indicator: Option<String>,
    /// `--group` (Sobol).
    groups: Vec<String>,
    /// `--ungrouped` (Sobol).
    ungrouped: bool,
    /// `--boot` (Sobol).
    boot: usize,
}

impl Args {
    fn scenarios(specs: &[String]) -> Result<Args> {
        let scenarios = expand_specs(specs)?
            .into_iter()
            .map(|s| {
                let p = Path::new(&s);
                if p.is_file() {
                    p.canonicalize()
                        .map(|a| a.to_string_lossy().into_owned())
                        .with_context(|| format!("resolving {s}"))
                } else {
                    Ok(s)
                }
            })
            .collect::<Result<_>>()?;
        Ok(Args {
            scenarios,
            horizon: None,
            indicator: None,
            groups: Vec::new(),
            ungrouped: false,
            boot: 0,
        })
    }
}

/// SHA-256 of the command, its options and the resolved scenario files.
fn input_hash(command: &str, args: &Args, loaded: &[&Loaded]) -> String {
    let mut h = Sha256::new();
    h.update(command.as_bytes());
    h.update(serde_json::to_vec(args).unwrap_or_default());
    for l in loaded {
        h.update(l.scenario.meta.id.as_bytes());
        h.update(l.scenario.content_hash.as_bytes());
        h.update(l.scenario.meta.horizon.to_le_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

#[allow(clippy::too_many_arguments)]
fn write_shard(
    out: &Path,
    command: &str,
    id: &str,
    args: &Args,
    loaded: &[&Loaded],
    seed: u64,
    draws: u64,
    shard: Shard,
    total_chunks: usize,
    payload: &Payload,
) -> Result<PathBuf> {
    let chunks = shard.chunks(total_chunks);
    let header = ShardHeader {
        tanfeng_version: env!("CARGO_PKG_VERSION").to_string(),
        command: command.to_string(),
        id: id.to_string(),
        input_hash: input_hash(command, args, loaded),
        seed,
        draws,
        shard,
        n_chunks: total_chunks,
        chunks: [chunks.start, chunks.end],
        args: serde_json::to_value(args)?,
        payload_bytes: 0,
        payload_crc32: 0,
    };
    let path = out.join(header.file_name());
    let bytes = shard_file::encode(header, payload).map_err(|e| anyhow!("encoding shard: {e}"))?;
    create_dirs(out).with_context(|| format!("cannot create {}", out.display()))?;
    write_file(&path, &bytes.into())?;
    Ok(path)
}

/// `run --shard i/n`: the shard's draws of one scenario into its shard file.
pub fn write_run_shard(o: &RunOptions, shard: Shard) -> Result<PathBuf> {
    runs_shard(std::slice::from_ref(&o.scenario), o, shard, "run")
}

/// `compare --shard i/n`: the shard's draws of every scenario into one shard file.
pub fn write_compare_shard(specs: &[String], o: &RunOptions, shard: Shard) -> Result<PathBuf> {
    runs_shard(specs, o, shard, "compare")
}

fn runs_shard(specs: &[String], o: &RunOptions, shard: Shard, command: &str) -> Result<PathBuf> {
    let loaded = if command == "run" {
        vec![load(&specs[0], o.horizon)?]
    } else {
        load_batch(specs, o.horizon)?
    };
    let mut args = Args::scenarios(specs)?;
    args.horizon = o.horizon;
    let config = RunConfig {
        draws: o.draws,
        seed: o.seed,
        first_draw: 0,
    };
    let pool = thread_pool(o.threads)?;
    let mut parts = Vec::new();
    for l in &loaded {
        let part = pool.install(|| {
            engine::run_part(&l.scenario, &l.model, &l.sampler, config, shard, &|_| {})
        })?;
        parts.push(part);
    }
    let id = if command == "run" {
        loaded[0].scenario.meta.id.clone()
    } else {
        "compare".to_string()
    };
    let refs: Vec<&Loaded> = loaded.iter().collect();
    let path = write_shard(
        &o.out,
        command,
        &id,
        &args,
        &refs,
        o.seed,
        o.draws,
        shard,
        n_chunks(o.draws, CHUNK),
        &Payload::Runs(parts),
    )?;
    if !o.quiet {
        outln!("shard written: {}", path.display());
    }
    Ok(path)
}

/// `sensitivity --method sobol --shard i/n`.
pub fn write_sobol_shard(
    o: &SensitivityOptions,
    l: &Loaded,
    shard: Shard,
    part: SobolPart,
) -> Result<PathBuf> {
    let mut args = Args::scenarios(std::slice::from_ref(&o.scenario))?;
    args.indicator = o.indicator.clone();
    args.groups = o.groups.clone();
    args.ungrouped = o.ungrouped;
    args.boot = o.boot;
    let n = part.n as u64;
    write_shard(
        &o.out,
        "sensitivity-sobol",
        &format!("{}-sobol", l.scenario.meta.id),
        &args,
        &[l],
        o.seed,
        n,
        shard,
        n_chunks(n, SOBOL_CHUNK),
        &Payload::Sobol(part),
    )
}

/// `decompose --shard i/n`.
pub fn write_decompose_shard(
    o: &DecomposeOptions,
    l: &Loaded,
    shard: Shard,
    part: LmdiPart,
) -> Result<PathBuf> {
    let args = Args::scenarios(std::slice::from_ref(&o.scenario))?;
    write_shard(
        &o.out,
        "decompose",
        &format!("{}-lmdi", l.scenario.meta.id),
        &args,
        &[l],
        o.seed,
        o.draws,
        shard,
        n_chunks(o.draws, CHUNK),
        &Payload::Lmdi(part),
    )
}

/// Options of `tanfeng merge`.
#[derive(Debug, Clone)]
pub struct MergeOptions {
    /// Shard files, in any order.
    pub shards: Vec<PathBuf>,
    /// Output root (as `--out` of the command).
    pub out: PathBuf,
    /// CSV flavour.
    pub csv: CsvFlavor,
    /// Also write `results.xlsx`.
    pub xlsx: bool,
    /// Table format on stdout.
    pub format: Format,
    /// Charts.
    pub charts: ChartOptions,
    /// Worker threads (charts, Sobol intervals).
    pub threads: Option<usize>,
    /// Print nothing.
    pub quiet: bool,
}

fn name(p: &Path) -> String {
    p.display().to_string()
}

/// Checks that the headers belong to one run and that every shard is there once; returns
/// the files in shard order.
fn check_set(files: &[(PathBuf, ShardHeader)]) -> Result<Vec<usize>> {
    let Some((first_path, first)) = files.first() else {
        bail!("merge needs at least one shard file");
    };
    let ours = env!("CARGO_PKG_VERSION");
    for (p, h) in files {
        if h.tanfeng_version != ours {
            bail!(
                "{}: written by tanfeng {}, this is tanfeng {ours}; results of different \
                 versions may differ, so rerun that shard with this version",
                name(p),
                h.tanfeng_version
            );
        }
        let differs = |what: &str, a: String, b: String| -> Result<()> {
            if a != b {
                bail!(
                    "{}: {what} {a} differs from {b} in {}; it belongs to another run",
                    name(p),
                    name(first_path)
                );
            }
            Ok(())
        };
        differs("command", h.command.clone(), first.command.clone())?;
        differs("id", h.id.clone(), first.id.clone())?;
        differs("seed", h.seed.to_string(), first.seed.to_string())?;
        differs("draws", h.draws.to_string(), first.draws.to_string())?;
        differs("input hash", h.input_hash.clone(), first.input_hash.clone())?;
        differs(
            "shard count",
            h.shard.count.to_string(),
            first.shard.count.to_string(),
        )?;
        let want = h.shard.chunks(h.n_chunks);
        if h.n_chunks != first.n_chunks || [want.start, want.end] != h.chunks {
            bail!(
                "{}: its chunks {}..{} are not those of shard {}/{}",
                name(p),
                h.chunks[0],
                h.chunks[1],
                h.shard.index,
                h.shard.count
            );
        }
    }
    let n = first.shard.count as usize;
    let mut slot: Vec<Option<usize>> = vec![None; n];
    for (k, (p, h)) in files.iter().enumerate() {
        let s = &mut slot[h.shard.index as usize - 1];
        if let Some(other) = s {
            bail!(
                "shard {}/{n} given twice: {} and {}",
                h.shard.index,
                name(&files[*other].0),
                name(p)
            );
        }
        *s = Some(k);
    }
    let missing: Vec<String> = (0..n)
        .filter(|&i| slot[i].is_none())
        .map(|i| format!("{}.{}-of-{n}.tfshard", first.id, i + 1))
        .collect();
    if !missing.is_empty() {
        bail!(
            "shard(s) missing: {} (given: {})",
            missing.join(", "),
            files
                .iter()
                .map(|(p, _)| name(p))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok(slot.into_iter().flatten().collect())
}

/// `tanfeng merge`: joins shard files and writes the outputs of the sharded command.
pub fn merge(o: &MergeOptions) -> Result<()> {
    let mut files = Vec::new();
    for p in &o.shards {
        files.push((p.clone(), shard_file::read_header(p)?));
    }
    let order = check_set(&files)?;
    let first = files[order[0]].1.clone();
    let args: Args = serde_json::from_value(first.args.clone())
        .map_err(|e| anyhow!("{}: damaged shard arguments: {e}", name(&files[order[0]].0)))?;
    let mut merged: Option<Payload> = None;
    for &k in &order {
        let (p, _) = &files[k];
        let (_, payload): (ShardHeader, Payload) = shard_file::read(p)?;
        merged = Some(match (merged, payload) {
            (None, x) => x,
            (Some(Payload::Runs(mut a)), Payload::Runs(b)) if a.len() == b.len() => {
                for (x, y) in a.iter_mut().zip(b) {
                    x.append(y).with_context(|| name(p))?;
                }
                Payload::Runs(a)
            }
            (Some(Payload::Sobol(mut a)), Payload::Sobol(b)) => {
                a.append(b).with_context(|| name(p))?;
                Payload::Sobol(a)
            }
            (Some(Payload::Lmdi(mut a)), Payload::Lmdi(b)) => {
                a.append(b).with_context(|| name(p))?;
                Payload::Lmdi(a)
            }
            _ => bail!("{}: its payload does not match the other shards", name(p)),
        });
    }
    let payload = merged.ok_or_else(|| anyhow!("merge needs at least one shard file"))?;
    let loaded: Vec<Loaded> = args
        .scenarios
        .iter()
        .map(|s| load(s, args.horizon))
        .collect::<Result<_>>()?;
    let refs: Vec<&Loaded> = loaded.iter().collect();
    if input_hash(&first.command, &args, &refs) != first.input_hash {
        bail!(
            "the scenario files ({}) changed since the shards were written; rerun the shards",
            args.scenarios.join(", ")
        );
    }
    let pool = thread_pool(o.threads)?;
    let config = RunConfig {
        draws: first.draws,
        seed: first.seed,
        first_draw: 0,
    };
    let run_options = |scenario: &str| RunOptions {
        scenario: scenario.to_string(),
        draws: first.draws,
        seed: first.seed,
        threads: o.threads,
        horizon: args.horizon,
        out: o.out.clone(),
        csv: o.csv,
        xlsx: o.xlsx,
        format: o.format,
        quiet: o.quiet,
        charts: o.charts.clone(),
    };
    match (first.command.as_str(), payload) {
        ("run", Payload::Runs(parts)) => {
            let ro = run_options(&args.scenarios[0]);
            let fonts = chart_fonts(&ro.charts)?;
            let l = loaded
                .into_iter()
                .next()
                .ok_or_else(|| anyhow!("no scenario"))?;
            let part = parts.into_iter().next().ok_or_else(|| anyhow!("no part"))?;
            let result = engine::finish(&l.scenario, &l.model, config, part)?;
            present_run(&ro, l, result, 0.0, &pool, fonts.as_ref())?;
        }
        ("compare", Payload::Runs(parts)) => {
            let ro = run_options("");
            let fonts = chart_fonts(&ro.charts)?;
            let runs = loaded
                .iter()
                .zip(parts)
                .map(|(l, p)| Ok((engine::finish(&l.scenario, &l.model, config, p)?, 0.0)))
                .collect::<Result<Vec<_>>>()?;
            present_compare(&ro, loaded, runs, &pool, fonts.as_ref())?;
        }
        ("sensitivity-sobol", Payload::Sobol(part)) => {
            let l = &loaded[0];
            let so = SensitivityOptions {
                scenario: args.scenarios[0].clone(),
                indicator: args.indicator.clone(),
                method: Method::Sobol,
                draws: Some(first.draws),
                seed: first.seed,
                groups: args.groups.clone(),
                ungrouped: args.ungrouped,
                boot: args.boot,
                out: o.out.clone(),
                threads: o.threads,
                charts: o.charts.enabled,
                csv: o.csv,
                quiet: o.quiet,
                shard: None,
            };
            let names: Vec<&str> = l.model.indicator_defs().iter().map(|d| d.name).collect();
            let only = so
                .indicator
                .as_deref()
                .map(|n| indicator_index(&names, n))
                .transpose()?;
            let groups = sobol_groups(&l.scenario, &l.sampler, &so.groups, so.ungrouped)?;
            let results = pool.install(|| part.finish());
            pool.install(|| present_sobol(&so, l, only, &groups, &results, 0.0))?;
        }
        ("decompose", Payload::Lmdi(part)) => {
            let dopt = DecomposeOptions {
                scenario: args.scenarios[0].clone(),
                draws: first.draws,
                seed: first.seed,
                out: o.out.clone(),
                threads: o.threads,
                charts: o.charts.enabled,
                csv: o.csv,
                quiet: o.quiet,
                shard: None,
            };
            present_decompose(&dopt, &loaded[0], part.summary(), 0.0)?;
        }
        (c, _) => bail!("{}: unknown shard command '{c}'", name(&files[order[0]].0)),
    }
    Ok(())
}
