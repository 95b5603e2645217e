//! Counter-based random streams keyed by (seed, parameter name, draw index).
//!
//! The stable mapping (changing it changes every result, so it is pinned by tests):
//! - key   = SHA-256(`"tanfeng/uncertainty/v1\0"` ‖ UTF-8 bytes of the parameter name), used as
//!   the 32-byte key of ChaCha8 (`rand_chacha::ChaCha8Rng::from_seed`);
//! - stream = the run seed (`u64`), set as ChaCha's 64-bit stream id (nonce);
//! - draw i = the i-th `u64` of that stream (32-bit words 2i and 2i+1, little-endian), reached by
//!   `set_word_pos(2 i)`, mapped to the open interval by u = ((x >> 12) + ½) / 2⁵², i.e. the
//!   centre of one of 2⁵² equal cells. (With 53 bits, ((x >> 11) + ½) / 2⁵³ is not representable
//!   above ½ and rounds — for the largest x to exactly 1.0 — so 52 bits are used.)
//!
//! ChaCha is a pseudo-random function of (key, nonce, counter), so draws for different
//! (seed, name, i) are independent; draw i does not depend on how draws are chunked, which
//! thread computes them, or which other parameters exist. Hashing the name once (not per seed)
//! lets a [`StreamKey`] be computed when a sampler is built and reused for every seed.

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};
use sha2::{Digest, Sha256};

/// Domain-separation prefix of the key hash (version 1 of the stream mapping).
const DOMAIN: &[u8] = b"tanfeng/uncertainty/v1\0";

/// The ChaCha8 key of one parameter name: SHA-256 of the domain prefix and the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamKey([u8; 32]);

impl StreamKey {
    /// Key for a parameter name.
    pub fn new(name: &str) -> StreamKey {
        let digest = Sha256::new()
            .chain_update(DOMAIN)
            .chain_update(name.as_bytes())
            .finalize();
        StreamKey(digest.into())
    }

    /// Fills `out[j]` with draw `first_draw + j` of this name's stream for `seed`.
    #[inline]
    pub fn fill(&self, seed: u64, first_draw: u64, out: &mut [f64]) {
        let mut rng = ChaCha8Rng::from_seed(self.0);
        rng.set_stream(seed);
        rng.set_word_pos(2 * u128::from(first_draw));
        // The same words as `next_u64` (low word first; the position is u64-aligned), taken
        // as bytes in blocks so the conversion below is a straight vectorisable loop.
        let mut bytes = [0u8; 8 * FILL_BLOCK];
        for block in out.chunks_mut(FILL_BLOCK) {
            let bytes = &mut bytes[..8 * block.len()];
            rng.fill_bytes(bytes);
            for (v, b) in block.iter_mut().zip(bytes.chunks_exact(8)) {
                let x = u64::from_le_bytes(b.try_into().expect("8 bytes"));
                *v = to_open_unit(x);
            }
        }
    }
}

/// Draws converted per block in [`StreamKey::fill`].
const FILL_BLOCK: usize = 64;

/// Maps 64 random bits to the open interval (0, 1): ((x >> 12) + ½) / 2⁵², exact in f64, so
/// the result lies in [2⁻⁵³, 1 − 2⁻⁵³] and the cells are symmetric about ½.
#[inline(always)]
pub fn to_open_unit(x: u64) -> f64 {
    const SCALE: f64 = 1.0 / (1u64 << 52) as f64;
    // x >> 12 < 2⁵² converts exactly; through i64, which has a vector conversion.
    ((x >> 12) as i64 as f64 + 0.5) * SCALE
}

/// Uniforms on the open interval (0, 1) for parameter `name` under `seed`: `out[j]` is draw
/// `first_draw + j` and depends only on (seed, name, first_draw + j).
pub fn uniforms(seed: u64, name: &str, first_draw: u64, out: &mut [f64]) {
    StreamKey::new(name).fill(seed, first_draw, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_pinned() {
        // Value-stability: any change of hash, generator, seeking or conversion shows here.
        let mut u = [0.0; 4];
        uniforms(42, "economy.gdp_growth@2023", 0, &mut u);
        let want = [PIN0, PIN1, PIN2, PIN3];
        assert_eq!(u, want, "stream for seed 42 changed: {u:?}");
        let mut v = [0.0; 1];
        uniforms(42, "economy.gdp_growth@2023", 1_000_000_007, &mut v);
        assert_eq!(v[0], PIN_FAR, "far draw changed: {v:?}");
    }

    const PIN0: f64 = 0.4430978831444924;
    const PIN1: f64 = 0.25999532286323157;
    const PIN2: f64 = 0.06857926895353816;
    const PIN3: f64 = 0.7513416014207072;
    const PIN_FAR: f64 = 0.7784446532260988;

    #[test]
    fn key_is_sha256_of_prefix_and_name() {
        // Reference digest computed independently (Python hashlib).
        let key = StreamKey::new("economy.gdp_growth@2023");
        let hex: String = key.0.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, KEY_HEX);
    }

    const KEY_HEX: &str = "1941d63775d2a8cefec55a19a5b56666197e76a193357ee5c7e2429b31f66da0";

    #[test]
    fn chunking_does_not_change_draws() {
        let mut whole = vec![0.0; 1000];
        uniforms(7, "x", 0, &mut whole);
        let mut parts = vec![0.0; 1000];
        let (a, b) = parts.split_at_mut(333);
        uniforms(7, "x", 0, a);
        uniforms(7, "x", 333, b);
        assert_eq!(whole, parts);
        // Odd starting draws too (word position 2i stays u64-aligned).
        let mut one = [0.0];
        uniforms(7, "x", 777, &mut one);
        assert_eq!(one[0], whole[777]);
    }

    #[test]
    fn block_fill_equals_one_u64_at_a_time() {
        // `fill` reads the stream as bytes in blocks; the mapping is defined by `next_u64`.
        let key = StreamKey::new("heating.area_growth");
        for (first, len) in [
            (0u64, 1usize),
            (5, 63),
            (31, 64),
            (32, 65),
            (1001, 200),
            (7, 0),
        ] {
            let mut got = vec![0.0; len];
            key.fill(99, first, &mut got);
            let mut rng = ChaCha8Rng::from_seed(key.0);
            rng.set_stream(99);
            rng.set_word_pos(2 * u128::from(first));
            for (j, g) in got.iter().enumerate() {
                let x = rng.next_u64();
                let want = ((x >> 12) as f64 + 0.5) / (1u64 << 52) as f64;
                assert_eq!(g.to_bits(), want.to_bits(), "first {first}, j {j}");
            }
        }
    }

    #[test]
    fn seeds_and_names_give_different_streams() {
        let mut a = [0.0; 8];
        let mut b = [0.0; 8];
        let mut c = [0.0; 8];
        uniforms(1, "x", 0, &mut a);
        uniforms(2, "x", 0, &mut b);
        uniforms(1, "y", 0, &mut c);
        assert_ne!(a, b);
        assert_ne!(a, c);
        assert!(a.iter().chain(&b).chain(&c).all(|&u| u > 0.0 && u < 1.0));
    }

    #[test]
    fn open_unit_conversion_hits_neither_end() {
        assert!(to_open_unit(0) > 0.0);
        assert!(to_open_unit(u64::MAX) < 1.0);
        let half_cell = 0.5 / (1u64 << 52) as f64;
        assert_eq!(to_open_unit(0), half_cell);
        assert_eq!(to_open_unit(u64::MAX), 1.0 - half_cell);
        assert_eq!(to_open_unit(1u64 << 63), 0.5 + half_cell);
        assert_eq!(to_open_unit((1u64 << 63) - 1), 0.5 - half_cell);
    }
}
