//! A fast PNG encoder for chart bitmaps (8-bit RGB, no filter, fixed-Huffman deflate).
//!
//! Charts are mostly flat colour: rows repeat the row above, and runs of one colour repeat
//! the pixel before. The encoder looks only for those two matches (distance = one row, and
//! distance = one pixel) with word-wise comparison and writes them with the fixed Huffman code
//! of deflate (RFC 1951 §3.2.6), so one pass over the pixels does the work that a general
//! encoder (filter pass, hash chains, two-pass Huffman) spreads over several. Files are about
//! as large as `png`'s fast level and far smaller than stored data. Format: PNG (ISO/IEC
//! 15948) with one IDAT holding a zlib stream (RFC 1950).

use std::io::Write;

/// Length-code base values and extra bits for symbols 257..=285 (RFC 1951 §3.2.5).
const LEN_BASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LEN_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
/// Distance-code base values and extra bits for codes 0..=29.
const DIST_BASE: [u32; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];
/// Longest deflate match and largest distance.
const MAX_MATCH: usize = 258;
const MAX_DIST: usize = 32_768;

/// `code` of `len` bits reversed (Huffman codes are sent most-significant bit first).
fn reverse(code: u32, len: u32) -> u32 {
    code.reverse_bits() >> (32 - len)
}

/// Fixed-Huffman code of a literal/length symbol: (bits ready to send, length).
fn fixed_code(sym: u32) -> (u32, u32) {
    let (code, len) = match sym {
        0..=143 => (0x30 + sym, 8),
        144..=255 => (0x190 + sym - 144, 9),
        256..=279 => (sym - 256, 7),
        _ => (0xC0 + sym - 280, 8),
    };
    (reverse(code, len), len)
}

/// Bits of a match length (3..=258): symbol code followed by its extra bits.
fn length_bits(len: usize) -> (u32, u32) {
    let k = LEN_BASE
        .iter()
        .rposition(|&b| usize::from(b) <= len)
        .unwrap_or(0);
    let (code, n) = fixed_code(257 + k as u32);
    let extra = u32::from(LEN_EXTRA[k]);
    let v = (len - usize::from(LEN_BASE[k])) as u32;
    (code | (v << n), n + extra)
}

/// Bits of a distance (1..=32768): 5-bit fixed code followed by its extra bits.
fn distance_bits(dist: usize) -> (u32, u32) {
    let k = DIST_BASE
        .iter()
        .rposition(|&b| b as usize <= dist)
        .unwrap_or(0);
    let code = reverse(k as u32, 5);
    let extra = u32::from(DIST_EXTRA[k]);
    let v = (dist - DIST_BASE[k] as usize) as u32;
    (code | (v << 5), 5 + extra)
}

/// Adler-32 modulus (RFC 1950 §9).
const ADLER_MOD: u64 = 65_521;

/// Adler-32 of the stream built segment by segment. Appending n bytes d₁…dₙ to the state
/// (a, b) gives a + Σd and b + n·a + Σ(n − k + 1)·d_k (mod 65521), so a segment enters by its
/// two sums alone and a repeated row costs nothing to add.
struct Adler {
    a: u64,
    b: u64,
}

impl Default for Adler {
    fn default() -> Self {
        Adler { a: 1, b: 0 }
    }
}

impl Adler {
    fn append(&mut self, (sum, wsum): (u64, u64), n: usize) {
        let n = n as u64 % ADLER_MOD;
        self.b = (self.b + n * self.a + wsum) % ADLER_MOD;
        self.a = (self.a + sum) % ADLER_MOD;
    }

    fn value(&self) -> u32 {
        ((self.b << 16) | self.a) as u32
    }
}

/// (Σd, Σ(n − k + 1)·d_k) mod 65521 of the segment filter byte 0 + `row` (n = row length + 1),
/// read off the SIMD Adler-32 of the segment from the initial state (1, 0): a = 1 + Σd and
/// b = n + Σ(n − k + 1)·d_k.
fn segment_sums(row: &[u8]) -> (u64, u64) {
    let mut h = simd_adler32::Adler32::new();
    h.write(&[0]);
    h.write(row);
    let v = h.finish();
    let (a, b) = (u64::from(v & 0xFFFF), u64::from(v >> 16));
    let n = (row.len() as u64 + 1) % ADLER_MOD;
    (
        (a + ADLER_MOD - 1) % ADLER_MOD,
        (b + ADLER_MOD - n) % ADLER_MOD,
    )
}

/// Least-significant-bit-first bit writer (deflate's bit order).
struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    #[inline]
    fn put(&mut self, bits: u32, n: u32) {
        self.acc |= u64::from(bits) << self.n;
        self.n += n;
        if self.n >= 32 {
            self.out.extend_from_slice(&(self.acc as u32).to_le_bytes());
            self.acc >>= 32;
            self.n -= 32;
        }
    }

    fn finish(mut self) -> Vec<u8> {
        while self.n > 0 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n = self.n.saturating_sub(8);
        }
        self.out
    }
}

/// Number of equal leading bytes of `a` and `b`, at most `max`.
#[inline]
fn common_prefix(a: &[u8], b: &[u8], max: usize) -> usize {
    let n = a.len().min(b.len()).min(max);
    let (a, b) = (&a[..n], &b[..n]);
    let mut i = 0;
    // 32 bytes per step while they are equal (the common case), then 8, then 1.
    let word = |c: &[u8], k: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&c[8 * k..8 * k + 8]);
        u64::from_le_bytes(w)
    };
    for (x, y) in a.chunks_exact(32).zip(b.chunks_exact(32)) {
        let d = (word(x, 0) ^ word(y, 0))
            | (word(x, 1) ^ word(y, 1))
            | (word(x, 2) ^ word(y, 2))
            | (word(x, 3) ^ word(y, 3));
        if d != 0 {
            break;
        }
        i += 32;
    }
    while i + 8 <= n {
        let (Some((x, _)), Some((y, _))) = (
            a[i..].split_first_chunk::<8>(),
            b[i..].split_first_chunk::<8>(),
        ) else {
            break;
        };
        let d = u64::from_le_bytes(*x) ^ u64::from_le_bytes(*y);
        if d != 0 {
            return i + (d.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < n && a[i] == b[i] {
        i += 1;
    }
    i
}

/// The zlib stream of the unfiltered scanlines (filter byte 0 + row) of an RGB image.
fn zlib_rows(rgb: &[u8], w: usize, h: usize) -> Vec<u8> {
    let row_len = 3 * w;
    let stride = row_len + 1;
    let lit: Vec<(u32, u32)> = (0..256).map(fixed_code).collect();
    let len_tab: Vec<(u32, u32)> = (0..=MAX_MATCH)
        .map(|l| if l >= 3 { length_bits(l) } else { (0, 0) })
        .collect();
    let d_row = (stride <= MAX_DIST).then(|| distance_bits(stride));
    let d_px = distance_bits(3);
    let mut bits = Bits {
        out: Vec::with_capacity(rgb.len() / 16 + 1024),
        acc: 0,
        n: 0,
    };
    // zlib header (deflate, 32 KiB window, no dictionary, check bits) and one final
    // fixed-Huffman block.
    bits.out.extend_from_slice(&[0x78, 0x01]);
    bits.put(0b011, 3);
    // A row equal to the row above is one run of matches at the row distance covering the
    // whole segment (filter byte + row); its codes are the same every time.
    let whole_row: Vec<(u32, u32)> = match d_row {
        Some(dr) => {
            let mut v = Vec::new();
            let mut rem = stride;
            while rem > 0 {
                // Every match is 3..=258 long: leave at least 3 for the last one.
                let l = if rem <= MAX_MATCH {
                    rem
                } else if rem - MAX_MATCH >= 3 {
                    MAX_MATCH
                } else {
                    rem - 3
                };
                v.push(len_tab[l]);
                v.push(dr);
                rem -= l;
            }
            v
        }
        None => Vec::new(),
    };
    let mut check = Adler::default();
    let mut row_sums = (0, 0);
    for r in 0..h {
        let row = &rgb[r * row_len..(r + 1) * row_len];
        let prev = (r > 0).then(|| &rgb[(r - 1) * row_len..r * row_len]);
        if d_row.is_some() && prev == Some(row) {
            for &(c, n) in &whole_row {
                bits.put(c, n);
            }
            check.append(row_sums, stride);
            continue;
        }
        // Sums of this segment: from the row above plus the change over the bytes not
        // covered by a row match (the rest equals the row above), or computed afresh.
        let incremental = prev.is_some() && d_row.is_some();
        let (mut dsum, mut dwsum) = (0_i64, 0_i64);
        let mut note = |row: &[u8], p: &[u8], j: usize, len: usize| {
            for t in j..j + len {
                let d = i64::from(row[t]) - i64::from(p[t]);
                dsum += d;
                // Byte row[t] is number t + 2 of the segment: weight n − (t + 2) + 1.
                dwsum += d * (stride - t - 1) as i64;
            }
        };
        // Segment index i: 0 is the filter byte, i ≥ 1 is row[i − 1].
        let mut i = 0;
        if let (Some(p), Some(dr)) = (prev, d_row) {
            // Filter bytes are equal, so a row match may start with it.
            let l = 1 + common_prefix(row, p, MAX_MATCH - 1);
            if l >= 3 {
                let (c, n) = len_tab[l];
                bits.put(c, n);
                bits.put(dr.0, dr.1);
                i = l;
            }
        }
        if i == 0 {
            bits.put(lit[0].0, lit[0].1);
            i = 1;
        }
        while i <= row_len {
            let j = i - 1;
            let mut best = (0, false);
            // A match needs three equal bytes: check those inline before scanning (most
            // positions in changed parts of a row match neither way).
            let eq3 = |a: &[u8], k: usize| {
                j + 3 <= row_len
                    && row[j] == a[k]
                    && row[j + 1] == a[k + 1]
                    && row[j + 2] == a[k + 2]
            };
            if let Some(p) = prev.filter(|_| d_row.is_some())
                && eq3(p, j)
            {
                best = (common_prefix(&row[j..], &p[j..], MAX_MATCH), true);
            }
            if best.0 < 32 && j >= 3 && eq3(row, j - 3) {
                let l = common_prefix(&row[j..], &row[j - 3..], MAX_MATCH);
                if l > best.0 {
                    best = (l, false);
                }
            }
            let row_match = best.0 >= 3 && best.1;
            let len = if best.0 >= 3 {
                let (c, n) = len_tab[best.0];
                bits.put(c, n);
                let (dc, dn) = match (best.1, d_row) {
                    (true, Some(dr)) => dr,
                    _ => d_px,
                };
                bits.put(dc, dn);
                best.0
            } else {
                let (c, n) = lit[usize::from(row[j])];
                bits.put(c, n);
                1
            };
            if incremental
                && !row_match
                && let Some(p) = prev
            {
                note(row, p, j, len);
            }
            i += len;
        }
        row_sums = if incremental {
            let m = ADLER_MOD as i64;
            (
                (row_sums.0 as i64 + dsum).rem_euclid(m) as u64,
                (row_sums.1 as i64 + dwsum).rem_euclid(m) as u64,
            )
        } else {
            segment_sums(row)
        };
        check.append(row_sums, stride);
    }
    let (c, n) = fixed_code(256);
    bits.put(c, n);
    let mut out = bits.finish();
    out.extend_from_slice(&check.value().to_be_bytes());
    out
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(data);
    out.extend_from_slice(&crc.finalize().to_be_bytes());
}

/// Encodes an 8-bit RGB image (`rgb.len() == 3·w·h`, rows top to bottom) as PNG into `out`.
pub(crate) fn write_png(mut out: impl Write, w: u32, h: u32, rgb: &[u8]) -> std::io::Result<()> {
    let (wu, hu) = (w as usize, h as usize);
    if w == 0 || h == 0 || rgb.len() != 3 * wu * hu {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("RGB buffer of {} bytes for {w}×{h}", rgb.len()),
        ));
    }
    let mut png = Vec::new();
    png.extend_from_slice(b"\x89PNG\r\n\x1a\n");
    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    // 8 bits, colour type 2 (RGB), deflate, adaptive filtering method 0, no interlace.
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut png, b"IHDR", &ihdr);
    // pHYs: 300 dpi (11811 px/m), so word processors size the image at print resolution.
    let mut phys = Vec::with_capacity(9);
    phys.extend_from_slice(&11_811u32.to_be_bytes());
    phys.extend_from_slice(&11_811u32.to_be_bytes());
    phys.push(1);
    chunk(&mut png, b"pHYs", &phys);
    chunk(&mut png, b"IDAT", &zlib_rows(rgb, wu, hu));
    chunk(&mut png, b"IEND", &[]);
    out.write_all(&png)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(w: u32, h: u32, rgb: &[u8]) -> usize {
        let mut buf = Vec::new();
        write_png(&mut buf, w, h, rgb).expect("encode");
        let img = image::load_from_memory_with_format(&buf, image::ImageFormat::Png)
            .expect("decodes")
            .to_rgb8();
        assert_eq!((img.width(), img.height()), (w, h));
        assert!(img.as_raw() == rgb, "pixels differ after decoding");
        buf.len()
    }

    #[test]
    fn decodes_to_the_same_pixels_flat_noisy_and_repeated() {
        let (w, h) = (301u32, 97u32);
        let mut rgb = vec![255u8; (3 * w * h) as usize];
        // Noise (pseudo-random), a flat block, a gradient and repeated rows.
        let mut s: u32 = 12345;
        for r in 0..h as usize {
            for c in 0..w as usize {
                let k = 3 * (r * w as usize + c);
                if r < 20 {
                    s = s.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    rgb[k..k + 3].copy_from_slice(&s.to_le_bytes()[1..4]);
                } else if (30..50).contains(&r) && (40..200).contains(&c) {
                    rgb[k..k + 3].copy_from_slice(&[0x00, 0x72, 0xB2]);
                } else if r >= 60 {
                    rgb[k] = (c % 256) as u8;
                    rgb[k + 1] = ((c * 7 + r) % 256) as u8;
                }
            }
        }
        roundtrip(w, h, &rgb);
        // A chart-like page (white with a flat block) compresses to a small part of its size.
        let mut page = vec![255u8; (3 * w * h) as usize];
        for r in 30..50 {
            let k = 3 * (r * w as usize + 40);
            page[k..k + 3 * 160].fill(0x72);
        }
        let size = roundtrip(w, h, &page);
        assert!(size < page.len() / 50, "{size} of {}", page.len());
        // One pixel, one row, and a width whose row distance exceeds the deflate window.
        roundtrip(1, 1, &[1, 2, 3]);
        roundtrip(5, 1, &[9; 15]);
        let wide = 11_000u32;
        let mut big = vec![200u8; (3 * wide * 3) as usize];
        big[100] = 7;
        roundtrip(wide, 3, &big);
        assert!(write_png(Vec::new(), 2, 2, &[0; 5]).is_err());
    }

    #[test]
    fn zlib_trailer_is_the_adler32_of_the_scanlines() {
        // Decoders may skip the check, so compare with a direct Adler-32 of the stream.
        let (w, h) = (700usize, 40usize);
        let mut rgb = vec![255u8; 3 * w * h];
        for r in 0..h {
            if r % 7 < 3 {
                for c in 0..3 * w {
                    rgb[r * 3 * w + c] = ((c * 31 + r * 17) % 251) as u8;
                }
            }
        }
        let z = zlib_rows(&rgb, w, h);
        let mut stream = Vec::new();
        for row in rgb.chunks(3 * w) {
            stream.push(0);
            stream.extend_from_slice(row);
        }
        let mut a = simd_adler32::Adler32::new();
        a.write(&stream);
        let tail: [u8; 4] = z[z.len() - 4..].try_into().expect("4 bytes");
        assert_eq!(u32::from_be_bytes(tail), a.finish());
    }

    #[test]
    fn fixed_codes_follow_rfc_1951() {
        // Literal 0 is 00110000 (sent reversed), end of block is seven zeros.
        assert_eq!(fixed_code(0), (0b0000_1100, 8));
        assert_eq!(fixed_code(256), (0, 7));
        // Length 258 is symbol 285 with no extra bits; length 10 is symbol 264.
        assert_eq!(length_bits(258).1, 8);
        assert_eq!(length_bits(10), fixed_code(264));
        // Distance 1 is code 0; distance 7201 is code 25 with 11 extra bits.
        assert_eq!(distance_bits(1), (0, 5));
        assert_eq!(distance_bits(7201).1, 16);
    }
}
