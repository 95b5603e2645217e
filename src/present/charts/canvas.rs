//! A plotters bitmap backend that paints palette indices instead of RGB bytes.
//!
//! Charts are flat colour: a few hundred colours at most. Building the palette while painting
//! (one lookup per drawing call or blended pixel) makes the palette PNG free of a colour-counting
//! pass over the finished image, and the canvas is one byte per pixel instead of three (two
//! bytes from the 257th colour on: the canvas widens in place and paints on).
//! Pixels follow plotters-bitmap 0.3's RGB rules exactly (opaque threshold, the two blending
//! roundings, clipping), so a chart painted here equals the same chart painted by
//! `BitMapBackend<RGBPixel>` pixel for pixel (tested in `charts::tests`).

use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, DrawingBackend, DrawingErrorKind,
};

use super::text::{GlyphSink, LevelAlphas, Span};

/// The canvas ran out of palette indices (more colours than its index type holds).
#[derive(Debug)]
pub(crate) struct PaletteFull(pub usize);

impl std::fmt::Display for PaletteFull {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "more than {} colours in one chart", self.0)
    }
}

impl std::error::Error for PaletteFull {}

/// Colours in order of first use, with an open-addressing colour → index table.
pub(crate) struct Palette {
    /// RGB of each index.
    colours: Vec<[u8; 3]>,
    /// 24-bit colours per slot; an empty slot holds u32::MAX (not a colour).
    keys: Vec<u32>,
    /// Index of each occupied slot.
    vals: Vec<u16>,
    /// The last colour looked up and its index (charts paint runs of one colour); key
    /// u32::MAX when none.
    last: (u32, u16),
}

impl Default for Palette {
    fn default() -> Self {
        Self::new()
    }
}

impl Palette {
    /// An empty palette.
    pub(crate) fn new() -> Self {
        Palette {
            colours: Vec::with_capacity(1024),
            keys: vec![u32::MAX; 4096],
            vals: vec![0; 4096],
            last: (u32::MAX, 0),
        }
    }

    /// Empties the palette, keeping its memory.
    pub(crate) fn clear(&mut self) {
        self.colours.clear();
        self.keys.fill(u32::MAX);
        self.last = (u32::MAX, 0);
    }

    /// Colours in index order.
    pub(crate) fn colours(&self) -> &[[u8; 3]] {
        &self.colours
    }

    /// Index of `rgb`, added on first use; None once `limit` colours are in use.
    #[inline]
    pub(crate) fn index(&mut self, rgb: [u8; 3], limit: usize) -> Option<usize> {
        let c = colour_key(rgb);
        if c == self.last.0 {
            return Some(usize::from(self.last.1));
        }
        let mask = self.keys.len() - 1;
        let mut slot = home_slot(c, mask);
        loop {
            let k = self.keys[slot];
            if k == c {
                self.last = (c, self.vals[slot]);
                return Some(usize::from(self.vals[slot]));
            }
            if k == u32::MAX {
                let i = self.insert(slot, c, rgb, limit)?;
                self.last = (c, i as u16);
                return Some(i);
            }
            slot = (slot + 1) & mask;
        }
    }

    /// Adds colour `c` at the empty `slot` (growing the table past half full).
    #[cold]
    fn insert(&mut self, slot: usize, c: u32, rgb: [u8; 3], limit: usize) -> Option<usize> {
        let n = self.colours.len();
        if n >= limit.min(1 << 16) {
            return None;
        }
        self.keys[slot] = c;
        self.vals[slot] = n as u16;
        self.colours.push(rgb);
        if 2 * (n + 1) > self.keys.len() {
            self.grow();
        }
        Some(n)
    }

    /// Doubles the table and re-inserts every colour.
    fn grow(&mut self) {
        let size = 2 * self.keys.len();
        self.keys = vec![u32::MAX; size];
        self.vals = vec![0; size];
        let mask = size - 1;
        for (i, &rgb) in self.colours.iter().enumerate() {
            let c = colour_key(rgb);
            let mut slot = home_slot(c, mask);
            while self.keys[slot] != u32::MAX {
                slot = (slot + 1) & mask;
            }
            self.keys[slot] = c;
            self.vals[slot] = i as u16;
        }
    }
}

/// The 24-bit key of a colour in the palette's table.
#[inline]
fn colour_key(rgb: [u8; 3]) -> u32 {
    u32::from(rgb[0]) << 16 | u32::from(rgb[1]) << 8 | u32::from(rgb[2])
}

/// First slot probed for key `c` in a table of `mask + 1` slots (multiplicative hashing).
#[inline]
fn home_slot(c: u32, mask: usize) -> usize {
    (c.wrapping_mul(0x9E37_79B1) >> 12) as usize & mask
}

/// plotters-bitmap's per-pixel blend of one channel (`draw_pixel` and span remainders).
#[inline]
fn blend_channel(prev: u8, new: u8, a: u64) -> u8 {
    if new > prev {
        prev + (u64::from(new - prev) * a / 256) as u8
    } else {
        prev - (u64::from(prev - new) * a / 256) as u8
    }
}

/// plotters-bitmap's eight-pixels-at-a-time blend of one channel (`blend_rect_fast`).
#[inline]
fn blend_channel_wide(prev: u8, new: u8, a: u64) -> u8 {
    ((u64::from(prev) * (256 - a) + u64::from(new) * a) >> 8) as u8
}

/// The pixels of a palette canvas: one byte each while the palette has at most 256 colours,
/// two bytes each after it outgrows that.
enum Pixels<'a> {
    /// One byte per pixel, and the two-byte buffer to move into (grown as needed).
    Narrow(&'a mut [u8], &'a mut Vec<u16>),
    Wide(&'a mut [u16]),
}

impl Pixels<'_> {
    /// Index of pixel `at`.
    #[inline]
    fn get(&self, at: usize) -> usize {
        match self {
            Pixels::Narrow(px, _) => usize::from(px[at]),
            Pixels::Wide(px) => usize::from(px[at]),
        }
    }

    /// Sets pixel `at` to index `i` (< 256 while narrow).
    #[inline]
    fn set(&mut self, at: usize, i: usize) {
        match self {
            Pixels::Narrow(px, _) => px[at] = i as u8,
            Pixels::Wide(px) => px[at] = i as u16,
        }
    }

    /// Sets the pixels of `range` to index `i`.
    #[inline]
    fn fill(&mut self, range: std::ops::Range<usize>, i: usize) {
        match self {
            Pixels::Narrow(px, _) => px[range].fill(i as u8),
            Pixels::Wide(px) => px[range].fill(i as u16),
        }
    }

    /// Number of pixels from `from` (before `end`) equal to index `i`.
    #[inline]
    fn run(&self, from: usize, end: usize, i: usize) -> usize {
        match self {
            Pixels::Narrow(px, _) => px[from..end]
                .iter()
                .take_while(|&&p| p as usize == i)
                .count(),
            Pixels::Wide(px) => px[from..end]
                .iter()
                .take_while(|&&p| p as usize == i)
                .count(),
        }
    }
}

/// A `w × h` canvas of palette indices (row-major) with its palette. It paints one byte per
/// pixel; when the palette outgrows 256 colours it copies the pixels into its two-byte buffer
/// once and goes on there, so every chart is painted once whatever its colour count.
pub(crate) struct PaletteCanvas<'a> {
    size: (u32, u32),
    px: Pixels<'a>,
    palette: &'a mut Palette,
    /// The pixels are not written yet and stand for white (index 0); see
    /// [`PaletteCanvas::unblank`].
    blank: bool,
    /// The one-byte pixels hold index 0 already (the PNG encoder cleared them after the last
    /// chart), so making the canvas white writes nothing.
    zeroed: bool,
    /// Recent blends, direct-mapped: (index under, colour, ⌊256·alpha⌋) packed into a key, and
    /// the index painted. Antialiased edges blend the same few colour pairs over and over.
    blends: [(u64, u32); BLEND_SLOTS],
}

/// Slots of [`PaletteCanvas::blends`].
const BLEND_SLOTS: usize = 64;

/// Most colours a palette canvas holds (two bytes per pixel).
pub(crate) const MAX_COLOURS: usize = 1 << 16;
/// Most colours of the one-byte stage.
pub(crate) const NARROW_COLOURS: usize = 1 << 8;

impl<'a> PaletteCanvas<'a> {
    /// A white canvas over `narrow` (at least `w × h` bytes; white is index 0) that moves into
    /// `wide` (grown as needed) if it needs more than 256 colours. Afterwards the image is in
    /// `narrow` if the palette has at most 256 colours, else in `wide`. `zeroed` says the first
    /// `w × h` bytes of `narrow` are all zero already (they are not cleared again).
    pub(crate) fn new(
        narrow: &'a mut [u8],
        wide: &'a mut Vec<u16>,
        palette: &'a mut Palette,
        (w, h): (u32, u32),
        zeroed: bool,
    ) -> Self {
        let n = w as usize * h as usize;
        palette.clear();
        // An empty palette has room: index 0 is white.
        let _ = palette.index([0xFF; 3], MAX_COLOURS);
        PaletteCanvas {
            size: (w, h),
            px: Pixels::Narrow(&mut narrow[..n], wide),
            palette,
            blank: true,
            zeroed,
            blends: [(u64::MAX, 0); BLEND_SLOTS],
        }
    }

    /// Writes white into every pixel if none is written yet. Charts start by filling the page,
    /// which writes every pixel anyway ([`PaletteCanvas::fill_rect`] skips this then); every
    /// other drawing call, and `present`, call this first.
    #[inline]
    fn unblank(&mut self) {
        if self.blank {
            if !self.zeroed {
                let n = self.size.0 as usize * self.size.1 as usize;
                self.px.fill(0..n, 0);
            }
            self.blank = false;
        }
    }

    /// Palette index of `rgb` (the canvas moves to two bytes per pixel at the 257th colour).
    #[inline]
    fn index(&mut self, rgb: [u8; 3]) -> Result<usize, DrawingErrorKind<PaletteFull>> {
        let i = self
            .palette
            .index(rgb, MAX_COLOURS)
            .ok_or(DrawingErrorKind::DrawingError(PaletteFull(MAX_COLOURS)))?;
        if i >= NARROW_COLOURS && matches!(self.px, Pixels::Narrow(..)) {
            self.widen();
        }
        Ok(i)
    }

    /// Copies the pixels into the two-byte buffer and paints there from now on.
    #[cold]
    fn widen(&mut self) {
        let n = self.size.0 as usize * self.size.1 as usize;
        let old = std::mem::replace(&mut self.px, Pixels::Wide(&mut []));
        let Pixels::Narrow(narrow, buf) = old else {
            // Already two bytes per pixel.
            self.px = old;
            return;
        };
        if buf.len() < n {
            buf.resize(n, 0);
        }
        let wide = &mut buf[..n];
        // The two-byte buffer holds an older chart: it is cleared or copied into.
        self.zeroed = false;
        if !self.blank {
            for (d, &s) in wide.iter_mut().zip(narrow.iter()) {
                *d = u16::from(s);
            }
        }
        self.px = Pixels::Wide(wide);
    }

    /// The colour of index `i` (white for an index not in the palette, which cannot occur).
    #[inline]
    fn colour(&self, i: usize) -> [u8; 3] {
        self.palette.colours.get(i).copied().unwrap_or([0xFF; 3])
    }

    /// What a pixel of index `under` becomes when `rgb` is painted on it at opacity `alpha`
    /// (plotters-bitmap's `draw_pixel`: opaque from 1 − 1/256, else blended at ⌊256·alpha⌋).
    #[inline]
    fn painted(
        &mut self,
        under: usize,
        (r, g, b): (u8, u8, u8),
        alpha: f64,
    ) -> Result<usize, DrawingErrorKind<PaletteFull>> {
        if alpha >= 1.0 - 1.0 / 256.0 {
            self.index([r, g, b])
        } else if alpha > 0.0 {
            let a = (alpha * 256.0).floor() as u64;
            // under < 2^16, a ≤ 256: no key collides with another or with u64::MAX.
            let key = under as u64
                | u64::from(r) << 16
                | u64::from(g) << 24
                | u64::from(b) << 32
                | a << 40;
            let slot = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58) as usize % BLEND_SLOTS;
            if self.blends[slot].0 == key {
                return Ok(self.blends[slot].1 as usize);
            }
            let c = self.colour(under);
            let out = self.index([
                blend_channel(c[0], r, a),
                blend_channel(c[1], g, a),
                blend_channel(c[2], b, a),
            ])?;
            self.blends[slot] = (key, out as u32);
            Ok(out)
        } else {
            Ok(under)
        }
    }

    /// The rectangle spanned by two corners, clipped to the canvas (end exclusive), as
    /// plotters-bitmap's `fill_rect_fast`/`blend_rect_fast` clip it; None when empty.
    fn clip(&self, a: BackendCoord, b: BackendCoord) -> Option<(usize, usize, usize, usize)> {
        let (w, h) = (self.size.0 as i32, self.size.1 as i32);
        let (x0, y0) = (a.0.min(b.0).max(0), a.1.min(b.1).max(0));
        let (x1, y1) = (a.0.max(b.0).min(w), a.1.max(b.1).min(h));
        if x0 >= x1 || y0 >= y1 {
            return None;
        }
        Some((x0 as usize, y0 as usize, x1 as usize, y1 as usize))
    }

    /// Opaque fill of the rectangle between two corners (plotters' `fill_rect_fast`).
    fn fill_rect(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        rgb: [u8; 3],
    ) -> Result<(), DrawingErrorKind<PaletteFull>> {
        let Some((x0, y0, x1, y1)) = self.clip(a, b) else {
            return Ok(());
        };
        let (w, h) = (self.size.0 as usize, self.size.1 as usize);
        if self.blank && (x0, y0, x1, y1) == (0, 0, w, h) {
            // Every pixel is written below, or holds white already.
            let i = self.index(rgb)?;
            let white = i == 0 && self.zeroed;
            self.blank = false;
            if !white {
                self.px.fill(0..w * h, i);
            }
            return Ok(());
        }
        self.unblank();
        let i = self.index(rgb)?;
        for y in y0..y1 {
            self.px.fill(y * w + x0..y * w + x1, i);
        }
        Ok(())
    }

    /// Blended fill at opacity `alpha` (plotters' `blend_rect_fast`: each row's first
    /// ⌊(n − 1)/8⌋·8 pixels with the wide rounding, the rest with the per-pixel one).
    fn blend_rect(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        rgb: [u8; 3],
        alpha: f64,
    ) -> Result<(), DrawingErrorKind<PaletteFull>> {
        let alpha = alpha.clamp(0.0, 1.0);
        if alpha == 0.0 {
            return Ok(());
        }
        let Some((x0, y0, x1, y1)) = self.clip(a, b) else {
            return Ok(());
        };
        self.unblank();
        let a = (256.0 * alpha).floor() as u64;
        let w = self.size.0 as usize;
        let wide = (x1 - x0 - 1) / 8 * 8;
        // Spans cross few colours: each run of one colour is blended once, and the last
        // (under → blended) pair of each rounding is remembered across runs and rows.
        let mut memo: [Option<(usize, usize)>; 2] = [None; 2];
        for y in y0..y1 {
            let row = y * w + x0;
            let mut x = 0;
            while x < x1 - x0 {
                let k = usize::from(x >= wide);
                let end = if k == 0 { wide } else { x1 - x0 };
                let under = self.px.get(row + x);
                let run = self.px.run(row + x, row + end, under);
                let blended = match memo[k] {
                    Some((u, m)) if u == under => m,
                    _ => {
                        let c = self.colour(under);
                        let f = if k == 0 {
                            blend_channel_wide
                        } else {
                            blend_channel
                        };
                        let mixed = [f(c[0], rgb[0], a), f(c[1], rgb[1], a), f(c[2], rgb[2], a)];
                        let m = self.index(mixed)?;
                        memo[k] = Some((under, m));
                        m
                    }
                };
                self.px.fill(row + x..row + x + run, blended);
                x += run;
            }
        }
        Ok(())
    }
}

impl DrawingBackend for PaletteCanvas<'_> {
    type ErrorType = PaletteFull;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<PaletteFull>> {
        Ok(())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<PaletteFull>> {
        self.unblank();
        Ok(())
    }

    fn draw_pixel(
        &mut self,
        (x, y): BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<PaletteFull>> {
        if x < 0 || y < 0 || x as u32 >= self.size.0 || y as u32 >= self.size.1 {
            return Ok(());
        }
        self.unblank();
        let at = y as usize * self.size.0 as usize + x as usize;
        let i = self.painted(self.px.get(at), color.rgb, color.alpha)?;
        self.px.set(at, i);
        Ok(())
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<PaletteFull>> {
        let color = style.color();
        let (r, g, b) = color.rgb;
        if (from.0 == to.0 || from.1 == to.1) && style.stroke_width() == 1 {
            if color.alpha >= 1.0 {
                if from.1 == to.1 {
                    return self.fill_rect(from, (to.0 + 1, to.1 + 1), [r, g, b]);
                }
                // plotters' `fill_vertical_line_fast`: both ends included.
                let (w, h) = (self.size.0 as i32, self.size.1 as i32);
                let x = from.0;
                if x < 0 || x >= w {
                    return Ok(());
                }
                let (y0, y1) = (from.1.min(to.1).max(0), from.1.max(to.1).min(h - 1));
                if y0 > y1 {
                    return Ok(());
                }
                self.unblank();
                let i = self.index([r, g, b])?;
                for y in y0..=y1 {
                    self.px.set(y as usize * w as usize + x as usize, i);
                }
                return Ok(());
            }
            return self.blend_rect(from, (to.0 + 1, to.1 + 1), [r, g, b], color.alpha);
        }
        plotters_backend::rasterizer::draw_line(self, from, to, style)
    }

    /// Wide lines arrive here from plotters' line rasteriser: filled by our copy of its
    /// scan-line algorithm (same pixels, without its per-line allocations).
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<PaletteFull>> {
        let vert: Vec<BackendCoord> = vert.into_iter().collect();
        super::polygon::fill_polygon(self, &vert, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<PaletteFull>> {
        let color = style.color();
        let (r, g, b) = color.rgb;
        if fill {
            if color.alpha >= 1.0 {
                return self.fill_rect(upper_left, bottom_right, [r, g, b]);
            }
            return self.blend_rect(upper_left, bottom_right, [r, g, b], color.alpha);
        }
        plotters_backend::rasterizer::draw_rect(self, upper_left, bottom_right, style, fill)
    }

    fn blit_bitmap(
        &mut self,
        (x0, y0): BackendCoord,
        (sw, sh): (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<PaletteFull>> {
        // plotters-bitmap's clipping: the source's bottom-right part lands at the clipped box.
        let (dw, dh) = (self.size.0 as i32, self.size.1 as i32);
        let (x1, y1) = (x0 + sw as i32, y0 + sh as i32);
        let (cx0, cy0, cx1, cy1) = (x0.max(0), y0.max(0), x1.min(dw), y1.min(dh));
        if cx0 >= cx1 || cy0 >= cy1 {
            return Ok(());
        }
        self.unblank();
        let (sx0, sy0) = (sw as i32 + cx0 - cx1, sh as i32 + cy0 - cy1);
        for dy in 0..cy1 - cy0 {
            for dx in 0..cx1 - cx0 {
                let s = 3 * ((sy0 + dy) as usize * sw as usize + (sx0 + dx) as usize);
                let Some(p) = src.get(s..s + 3) else {
                    return Ok(());
                };
                let i = self.index([p[0], p[1], p[2]])?;
                self.px
                    .set((cy0 + dy) as usize * dw as usize + (cx0 + dx) as usize, i);
            }
        }
        Ok(())
    }
}

impl GlyphSink for PaletteCanvas<'_> {
    /// The glyph's covered runs clipped to the canvas; each (level, index under) pair is
    /// blended once per glyph (glyphs lie on one or two background colours), the same pixels as
    /// `draw_pixel` each.
    fn paint_glyph(
        &mut self,
        (x0, y0): BackendCoord,
        (w, levels, spans): (usize, &[u8], &[Span]),
        color: BackendColor,
        alphas: &LevelAlphas,
    ) -> Result<(), DrawingErrorKind<PaletteFull>> {
        let (cw, ch) = (i64::from(self.size.0), i64::from(self.size.1));
        let (x0, y0) = (i64::from(x0), i64::from(y0));
        // Per coverage level, the last (index under, index painted) pair; no pixel is under
        // index usize::MAX.
        let mut memo = [(usize::MAX, 0usize); COVERAGE_STEPS];
        let stride = self.size.0 as usize;
        self.unblank();
        for &[gy, a, b] in spans {
            let y = y0 + i64::from(gy);
            let (xa, xb) = ((x0 + i64::from(a)).max(0), (x0 + i64::from(b)).min(cw));
            if y < 0 || y >= ch || xa >= xb {
                continue;
            }
            // The span's canvas pixels from `xa` and its glyph pixels from `xa − x0`.
            let row = &levels[usize::from(gy) * w + (xa - x0) as usize..];
            let level = |i: usize| usize::from(row[i]).min(COVERAGE_STEPS - 1);
            let (at, n) = (y as usize * stride + xa as usize, (xb - xa) as usize);
            let mut i = 0;
            while i < n {
                // Paint through memo hits on the pixel buffer itself, one match per stretch;
                // a miss is blended below (which may widen the canvas).
                let miss = match &mut self.px {
                    // Memo entries made while narrow are below 256.
                    Pixels::Narrow(px, _) => {
                        paint_hits(&mut px[at..at + n], &mut i, level, &memo, |v| v as u8)
                    }
                    Pixels::Wide(px) => {
                        paint_hits(&mut px[at..at + n], &mut i, level, &memo, |v| v as u16)
                    }
                };
                if let Some((k, under)) = miss {
                    let out = self.painted(under, color.rgb, alphas[k])?;
                    memo[k] = (under, out);
                    self.px.set(at + i, out);
                    i += 1;
                }
            }
        }
        Ok(())
    }
}

/// Paints pixels `*i..` of `px` (one glyph span) through memo hits: a pixel whose coverage
/// level `k` has the memo entry (index under, index painted) for its index takes the painted
/// index. Returns the first miss as (level, index under), `*i` at it; None at the span's end.
#[inline(always)]
fn paint_hits<T: Copy + Into<usize>>(
    px: &mut [T],
    i: &mut usize,
    level: impl Fn(usize) -> usize,
    memo: &[(usize, usize)],
    index: impl Fn(usize) -> T,
) -> Option<(usize, usize)> {
    while *i < px.len() {
        let k = level(*i);
        let under: usize = px[*i].into();
        if memo[k].0 != under {
            return Some((k, under));
        }
        px[*i] = index(memo[k].1);
        *i += 1;
    }
    None
}

/// Entries of a [`LevelAlphas`] table.
const COVERAGE_STEPS: usize = std::mem::size_of::<LevelAlphas>() / std::mem::size_of::<f64>();
