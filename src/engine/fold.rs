//! The one Monte Carlo loop: a model mapped over fixed-size chunks of draws (or Sobol base
//! rows) in parallel, each chunk folded into a mergeable accumulator, and the chunk
//! accumulators merged along a fixed binary tree over chunk indices.
//!
//! **Why a tree.** Floating-point merges are not associative, so the merged result depends on
//! how chunks are grouped. Chunk `c`'s leaf and every node — chunks `[j·2^l, (j+1)·2^l)`,
//! merged as (left half) ⊕ (right half) — are fixed by the chunk indices alone, and the root
//! is the right fold of the maximal nodes of `[0, C)`. A process (or shard) that computes a
//! contiguous chunk range `[a, b)` keeps the maximal nodes inside it ([`ChunkTree`], at most
//! 2·log₂C of them); pushing the nodes of consecutive ranges into one tree rebuilds exactly
//! the nodes a single process builds, so merging shards in chunk order reproduces one process
//! bit for bit, whatever the shard layout or thread count.
//!
//! **Shards.** [`Shard`] `i/n` (1-based) takes chunks ⌊(i−1)C/n⌋ … ⌊iC/n⌋−1 of C.

use std::ops::Range;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// An accumulator of a contiguous range of chunks that can absorb the accumulator of the
/// range right after it. Adding a statistic to a run means adding a field to an accumulator
/// and one line to its `merge`.
pub trait Accumulator: Send + Sized {
    /// Merges `later`, the accumulator of the chunks that immediately follow `self`'s.
    fn merge(&mut self, later: Self);
}

impl Accumulator for () {
    fn merge(&mut self, _: ()) {}
}

/// Chunks processed in parallel before their accumulators enter the tree. Results do not
/// depend on it (the tree is fixed by chunk indices); larger batches mean fewer pauses of the
/// workers while the main thread merges.
pub const BATCH_CHUNKS: usize = 1024;

/// Errors of sharding and of rebuilding a tree from shards.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShardError {
    /// `--shard` that is not `i/n` with 1 ≤ i ≤ n.
    #[error("--shard must be i/n with 1 ≤ i ≤ n (e.g. 3/8), got '{0}'")]
    Malformed(String),
    /// A block that does not start where the previous range ended.
    #[error("chunks {start}..{end} do not follow chunk {expected} (a range is missing or doubled)")]
    NotContiguous {
        /// Chunk the next block had to start at.
        expected: usize,
        /// Its actual first chunk.
        start: usize,
        /// Its end.
        end: usize,
    },
    /// A block that is not a node of the merge tree (a corrupted shard).
    #[error("chunks {start}..{end} are not a node of the merge tree")]
    NotANode {
        /// First chunk.
        start: usize,
        /// End.
        end: usize,
    },
}

/// Part `index` of `count` (1-based) of a run's chunks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// 1-based index.
    pub index: u32,
    /// Number of shards.
    pub count: u32,
}

impl Shard {
    /// The whole run in one piece.
    pub const WHOLE: Shard = Shard { index: 1, count: 1 };

    /// Parses `i/n`.
    pub fn parse(s: &str) -> Result<Shard, ShardError> {
        let bad = || ShardError::Malformed(s.to_string());
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let index: u32 = i.trim().parse().map_err(|_| bad())?;
        let count: u32 = n.trim().parse().map_err(|_| bad())?;
        if index == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }

    /// This shard's chunks of `n_chunks`: ⌊(i−1)C/n⌋ … ⌊iC/n⌋−1.
    pub fn chunks(&self, n_chunks: usize) -> Range<usize> {
        let at = |k: u32| (n_chunks as u128 * u128::from(k) / u128::from(self.count)) as usize;
        at(self.index - 1)..at(self.index)
    }

    /// Whether this is the whole run.
    pub fn is_whole(&self) -> bool {
        self.count == 1
    }
}

/// Number of chunks of `chunk` items that hold `items`.
pub fn n_chunks(items: u64, chunk: usize) -> usize {
    (items as usize).div_ceil(chunk)
}

/// A node of the merge tree: chunks `start .. start + len` (`len` a power of two, `start` a
/// multiple of it) and their accumulator.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Block<A> {
    /// First chunk.
    pub start: usize,
    /// Number of chunks.
    pub len: usize,
    /// Accumulator of those chunks.
    pub acc: A,
}

/// The maximal merge-tree nodes of a contiguous chunk range, in chunk order.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChunkTree<A> {
    start: usize,
    end: usize,
    blocks: Vec<Block<A>>,
}

impl<A: Accumulator> ChunkTree<A> {
    /// An empty range starting at chunk `start`.
    pub fn starting_at(start: usize) -> Self {
        ChunkTree {
            start,
            end: start,
            blocks: Vec::new(),
        }
    }

    /// The chunks covered.
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }

    /// The nodes kept, in chunk order.
    pub fn blocks(&self) -> &[Block<A>] {
        &self.blocks
    }

    /// Adds the accumulator of chunk `self.range().end`.
    pub fn push_chunk(&mut self, acc: A) {
        let start = self.end;
        self.push_node(Block { start, len: 1, acc });
    }

    fn push_node(&mut self, block: Block<A>) {
        self.end = block.start + block.len;
        self.blocks.push(block);
        while let [.., left, right] = self.blocks.as_slice() {
            let siblings = left.len == right.len && left.start % (2 * left.len) == 0;
            if !siblings {
                break;
            }
            let right = self.blocks.pop().expect("two blocks");
            let left = self.blocks.last_mut().expect("two blocks");
            left.acc.merge(right.acc);
            left.len *= 2;
        }
    }

    /// Appends the nodes of the range right after this one (another shard).
    pub fn append(&mut self, later: ChunkTree<A>) -> Result<(), ShardError> {
        if later.start != self.end {
            return Err(ShardError::NotContiguous {
                expected: self.end,
                start: later.start,
                end: later.end,
            });
        }
        let mut at = later.start;
        for b in later.blocks {
            let node = b.len.is_power_of_two() && b.start % b.len == 0;
            if !node || b.start != at {
                return Err(ShardError::NotANode {
                    start: b.start,
                    end: b.start + b.len,
                });
            }
            at += b.len;
            self.push_node(b);
        }
        if at != later.end {
            return Err(ShardError::NotANode {
                start: at,
                end: later.end,
            });
        }
        self.end = later.end;
        Ok(())
    }

    /// The accumulator of the whole range: the right fold of the kept nodes (for the range
    /// `[0, C)`, the root of the tree). `None` when the range is empty.
    pub fn finish(self) -> Option<A> {
        let mut it = self.blocks.into_iter().rev();
        let mut acc = it.next()?.acc;
        for b in it {
            let mut left = b.acc;
            left.merge(acc);
            acc = left;
        }
        Some(acc)
    }
}

/// Maps `chunk` over the chunks `range` in parallel and folds the results.
///
/// `chunk(worker, c)` computes chunk `c` with a per-thread `worker` state made by
/// `new_worker` (scratch buffers, and order-free accumulators such as integer sketch counts)
/// and returns its accumulator and its per-item rows. The accumulators enter a
/// [`ChunkTree`]; `rows(c, r)` receives each chunk's rows on the calling thread in chunk
/// order; `retire(worker)` receives every worker state when its thread is done with it.
pub fn fold_chunks<A, R, W>(
    range: Range<usize>,
    new_worker: impl Fn() -> W + Sync,
    chunk: impl Fn(&mut W, usize) -> (A, R) + Sync,
    rows: impl FnMut(usize, R),
    retire: impl FnMut(W),
) -> ChunkTree<A>
where
    A: Accumulator,
    R: Send,
    W: Send,
{
    fold_chunks_batched(range, BATCH_CHUNKS, new_worker, chunk, rows, retire)
}

/// [`fold_chunks`] with at most `batch` chunk accumulators in flight (for large ones).
pub fn fold_chunks_batched<A, R, W>(
    range: Range<usize>,
    batch: usize,
    new_worker: impl Fn() -> W + Sync,
    chunk: impl Fn(&mut W, usize) -> (A, R) + Sync,
    mut rows: impl FnMut(usize, R),
    mut retire: impl FnMut(W),
) -> ChunkTree<A>
where
    A: Accumulator,
    R: Send,
    W: Send,
{
    let mut tree = ChunkTree::starting_at(range.start);
    let mut first = range.start;
    while first < range.end {
        let last = (first + batch.max(1)).min(range.end);
        type Done<W, A, R> = Vec<(W, Vec<(usize, A, R)>)>;
        let done: Done<W, A, R> = (first..last)
            .into_par_iter()
            .fold(
                || (new_worker(), Vec::new()),
                |(mut w, mut out), c| {
                    let (a, r) = chunk(&mut w, c);
                    out.push((c, a, r));
                    (w, out)
                },
            )
            .collect();
        let mut results = Vec::with_capacity(last - first);
        for (w, out) in done {
            retire(w);
            results.extend(out);
        }
        results.sort_unstable_by_key(|(c, _, _)| *c);
        for (c, a, r) in results {
            tree.push_chunk(a);
            rows(c, r);
        }
        first = last;
    }
    tree
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A float sum: merges round, so the grouping shows in the bits.
    #[derive(Debug, Clone, PartialEq)]
    struct Sum(f64);
    impl Accumulator for Sum {
        fn merge(&mut self, later: Sum) {
            self.0 += later.0;
        }
    }

    fn leaf(c: usize) -> Sum {
        Sum(1.0 / (c as f64 + 3.0) * if c.is_multiple_of(3) { 1e8 } else { 1.0 })
    }

    fn whole(n: usize) -> f64 {
        let mut t = ChunkTree::starting_at(0);
        for c in 0..n {
            t.push_chunk(leaf(c));
        }
        t.finish().expect("non-empty").0
    }

    #[test]
    fn shard_ranges_partition_the_chunks() {
        for n_chunks in [0, 1, 5, 7, 100] {
            for count in 1..=9u32 {
                let mut at = 0;
                for index in 1..=count {
                    let r = Shard { index, count }.chunks(n_chunks);
                    assert_eq!(r.start, at);
                    at = r.end;
                }
                assert_eq!(at, n_chunks);
            }
        }
        assert_eq!(Shard::parse("2/3"), Ok(Shard { index: 2, count: 3 }));
        for bad in ["0/3", "4/3", "2", "a/b", "1/0", "-1/2"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }

    /// Every split of the chunks into consecutive shards, merged in order, gives the bits of
    /// one pass; a plain left fold of the shard totals would not (checked below).
    #[test]
    fn any_shard_layout_merges_to_the_same_bits() {
        for n in [1, 2, 3, 7, 13, 64, 100] {
            let one = whole(n);
            for count in 1..=8u32 {
                let mut merged = ChunkTree::starting_at(0);
                for index in 1..=count {
                    let r = Shard { index, count }.chunks(n);
                    let mut part = ChunkTree::starting_at(r.start);
                    for c in r {
                        part.push_chunk(leaf(c));
                    }
                    assert!(part.blocks().len() <= 2 * (usize::BITS as usize));
                    merged.append(part).expect("contiguous");
                }
                let got = merged.finish().map_or(f64::NAN, |s| s.0);
                assert_eq!(got.to_bits(), one.to_bits(), "n {n}, {count} shards");
            }
        }
        // The grouping matters for these leaves: a left fold differs from the tree.
        let left: f64 = (0..100).map(|c| leaf(c).0).fold(0.0, |a, b| a + b);
        assert_ne!(left.to_bits(), whole(100).to_bits());
    }

    #[test]
    fn gaps_and_doubles_are_refused() {
        let part = |r: Range<usize>| {
            let mut t = ChunkTree::starting_at(r.start);
            for c in r {
                t.push_chunk(leaf(c));
            }
            t
        };
        let mut t = part(0..3);
        assert!(matches!(
            t.append(part(4..6)),
            Err(ShardError::NotContiguous { expected: 3, .. })
        ));
        assert!(t.append(part(2..6)).is_err());
        assert!(t.append(part(3..6)).is_ok());
    }

    #[test]
    fn fold_chunks_matches_the_tree_for_any_thread_count() {
        let run = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("pool");
            let mut order = Vec::new();
            let mut retired = 0;
            let tree = pool.install(|| {
                fold_chunks(
                    0..3000,
                    || 0usize,
                    |w, c| {
                        *w += 1;
                        (leaf(c), c)
                    },
                    |c, r| {
                        assert_eq!(c, r);
                        order.push(c);
                    },
                    |w| retired += w,
                )
            });
            assert_eq!(order, (0..3000).collect::<Vec<_>>());
            assert_eq!(retired, 3000);
            tree.finish().expect("non-empty").0
        };
        assert_eq!(run(1).to_bits(), whole(3000).to_bits());
        assert_eq!(run(3).to_bits(), whole(3000).to_bits());
    }
}
