//! Correct glyph placement for bitmap output.
//!
//! plotters 0.3.7's `ab_glyph` text path places each glyph's bounding box at the pen position,
//! ignoring the glyph's left side bearing; narrow CJK glyphs (目, full-width brackets) then sit
//! visibly off-centre ("年目 标"). [`TextFix`] wraps a backend and lays text out with ab_glyph
//! itself (pen position + kerning, outlines placed by their own bounds). It also rasterises
//! sloped and wide lines, polygons and circles itself (plotters' algorithms, polygons via
//! [`super::polygon`]) so their antialiased edge pixels pass through its `draw_pixel`, which
//! rounds their opacity to a few levels (few colours: palette PNGs); everything else is
//! delegated. Upright glyphs go to the backend a glyph at a time ([`GlyphSink`]), so the palette
//! canvas clips each glyph once and blends each shade once. SVG output is unaffected (it
//! writes `<text>` elements).

use std::rc::Rc;
use std::sync::{Arc, LazyLock, Mutex};

use ab_glyph::{Font, FontRef, Glyph, PxScale, ScaleFont, point};
use plotters_backend::FontTransform;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};

use super::fonts::local_font;

/// Sub-pixel positions a glyph is rasterised at (quarter pixels).
const SUBPIXELS: u32 = 4;

/// A rasterised glyph: offset of its box from the pen position, width, per pixel its coverage
/// in 1/[`COVERAGE_LEVELS`] (0 = not covered), and its covered runs.
struct GlyphBitmap {
    x0: i32,
    y0: i32,
    w: usize,
    levels: Vec<u8>,
    spans: Vec<Span>,
}

/// A run of covered pixels in a glyph box: row, first column, column after the last.
pub(crate) type Span = [u16; 3];

/// The maximal runs of non-zero `levels` in each `w`-wide row, top to bottom.
fn spans_of(w: usize, levels: &[u8]) -> Vec<Span> {
    let mut out = Vec::new();
    for (y, row) in levels.chunks_exact(w.max(1)).enumerate() {
        let mut x = 0;
        while x < row.len() {
            if row[x] == 0 {
                x += 1;
                continue;
            }
            let start = x;
            while x < row.len() && row[x] != 0 {
                x += 1;
            }
            out.push([y as u16, start as u16, x as u16]);
        }
    }
    out
}

/// (glyph id, size in 1/16 px, sub-pixel offset) of a cached glyph.
type GlyphKey = (u16, u32, u8);

/// Cached bitmaps of one font (None: the glyph has no outline).
type GlyphMap = std::collections::HashMap<GlyphKey, Option<Arc<GlyphBitmap>>, KeyHash>;

/// Multiplicative hashing of small integer keys (a glyph is looked up for every character
/// drawn; SipHash's protection against chosen keys is not needed for glyph ids).
#[derive(Default, Clone, Copy)]
pub(crate) struct KeyHash;

impl std::hash::BuildHasher for KeyHash {
    type Hasher = KeyHasher;
    fn build_hasher(&self) -> KeyHasher {
        KeyHasher(0)
    }
}

/// The hasher of [`KeyHash`]: each word written is mixed in by a multiply and a rotation.
pub(crate) struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.write_u64(u64::from(i));
    }
    fn write_u16(&mut self, i: u16) {
        self.write_u64(u64::from(i));
    }
    fn write_u32(&mut self, i: u32) {
        self.write_u64(u64::from(i));
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(0x51_7C_C1_B7_27_22_0A_95);
    }
}

thread_local! {
    /// Glyph bitmaps by font family: charts repeat the same digits and words in a few sizes.
    static GLYPHS: std::cell::RefCell<Vec<(String, GlyphMap)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Glyph bitmaps by font family shared by all threads: every thread draws charts of both
/// languages, so without it each would rasterise the same glyphs (a sixth of the chart time of
/// a comparison went to rasterising). Looked up on a miss of the thread's own cache.
static SHARED_GLYPHS: LazyLock<Mutex<std::collections::HashMap<String, GlyphMap>>> =
    LazyLock::new(Default::default);

/// Calls `paint` with each glyph of `glyphs` that has an outline and its bitmap, from the
/// thread's cache of `family`, else the shared one, rasterised on first use at the
/// quarter-pixel offset of its key. The thread's cache is borrowed once per text.
fn with_glyph_bitmaps<E>(
    font: &FontRef<'static>,
    family: &str,
    glyphs: &[Glyph],
    mut paint: impl FnMut(&Glyph, &GlyphBitmap) -> Result<(), E>,
) -> Result<(), E> {
    GLYPHS.with_borrow_mut(|all| {
        let map = of_family(all, family);
        for g in glyphs {
            let key = glyph_key(g);
            let bitmap = map
                .entry(key)
                .or_insert_with(|| shared_glyph(font, family, key, g.clone()));
            if let Some(bm) = bitmap.as_deref() {
                paint(g, bm)?;
            }
        }
        Ok(())
    })
}

/// The entry of `family` in a per-family cache, made empty on first use. A thread draws one or
/// two families, so a short list searched by `&str` (no allocation on a hit) is enough.
fn of_family<'m, V: Default>(all: &'m mut Vec<(String, V)>, family: &str) -> &'m mut V {
    let i = match all.iter().position(|(f, _)| f == family) {
        Some(i) => i,
        None => {
            all.push((family.to_string(), V::default()));
            all.len() - 1
        }
    };
    &mut all[i].1
}

/// Cache key of a positioned glyph: id, size and quarter-pixel offset of its x.
fn glyph_key(g: &Glyph) -> GlyphKey {
    let fx = g.position.x.floor();
    let sub = ((g.position.x - fx) * SUBPIXELS as f32).round() as u8;
    (g.id.0, (g.scale.y * 16.0).round() as u32, sub)
}

/// The bitmap of `key` from [`SHARED_GLYPHS`], rasterised (outside the lock) when missing. Two
/// threads may rasterise the same glyph at once; both get the same pixels, the first is kept.
fn shared_glyph(
    font: &FontRef<'static>,
    family: &str,
    key: GlyphKey,
    g: Glyph,
) -> Option<Arc<GlyphBitmap>> {
    // The maps are valid whatever a panicking thread was doing: ignore poisoning.
    let lock = || SHARED_GLYPHS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(hit) = lock().get(family).and_then(|m| m.get(&key)) {
        return hit.clone();
    }
    let bitmap = rasterise(font, key, g).map(Arc::new);
    lock()
        .entry(family.to_string())
        .or_default()
        .entry(key)
        .or_insert(bitmap)
        .clone()
}

/// Glyph `g` rasterised at the quarter-pixel offset of `key`, coverage rounded to levels; None
/// for glyphs without outline.
fn rasterise(font: &FontRef<'static>, key: GlyphKey, mut g: Glyph) -> Option<GlyphBitmap> {
    g.position.x = f32::from(key.2) / SUBPIXELS as f32;
    let og = font.outline_glyph(g)?;
    let b = og.px_bounds();
    // Spans hold u16 coordinates; no chart glyph comes near 65,535 px.
    let (w, h) = (b.width().max(0.0) as usize, b.height().max(0.0) as usize);
    let (w, h) = (w.min(usize::from(u16::MAX)), h.min(usize::from(u16::MAX)));
    let mut levels = vec![0u8; w * h];
    og.draw(|x, y, c| {
        let (x, y) = (x as usize, y as usize);
        if x < w && y < h {
            levels[y * w + x] = coverage_level(c);
        }
    });
    Some(GlyphBitmap {
        x0: b.min.x as i32,
        y0: b.min.y as i32,
        w,
        spans: spans_of(w, &levels),
        levels,
    })
}

/// A backend whose text is laid out by ab_glyph with side bearings respected.
pub(crate) struct TextFix<DB>(pub DB);

/// A laid-out text: its glyphs (see [`layout`]), advance width and box height.
pub(crate) struct Layout {
    pub(crate) glyphs: Vec<Glyph>,
    pub(crate) w: f32,
    pub(crate) h: f32,
}

/// Laid-out texts by family, size (bits of the f64) and text.
type LayoutMap = Vec<(String, std::collections::HashMap<u64, TextLayouts>)>;
type TextLayouts = std::collections::HashMap<String, Rc<Layout>>;

/// Most texts kept per family and size before that cache starts again.
const MAX_LAYOUTS: usize = 4096;

thread_local! {
    /// Every text is measured before it is drawn, and tick labels repeat across charts: each is
    /// laid out once per thread.
    static LAYOUTS: std::cell::RefCell<LayoutMap> = const { std::cell::RefCell::new(Vec::new()) };
}

/// [`layout`] of `text` from the thread's cache (`family` names `font`).
pub(crate) fn cached_layout(
    font: &FontRef<'static>,
    family: &str,
    size: f64,
    text: &str,
) -> Rc<Layout> {
    LAYOUTS.with_borrow_mut(|all| {
        let texts = of_family(all, family).entry(size.to_bits()).or_default();
        if let Some(hit) = texts.get(text) {
            return Rc::clone(hit);
        }
        if texts.len() >= MAX_LAYOUTS {
            texts.clear();
        }
        let lay = Rc::new(new_layout(font, size, text));
        texts.insert(text.to_string(), Rc::clone(&lay));
        lay
    })
}

/// [`layout`] as a [`Layout`].
fn new_layout(font: &FontRef<'static>, size: f64, text: &str) -> Layout {
    let (glyphs, w, h) = layout(font, size, text);
    Layout { glyphs, w, h }
}

/// Glyphs positioned on a baseline at y = ascent (top of the layout box is y = 0), the advance
/// width and the box height (ascent − descent).
pub(crate) fn layout(font: &FontRef<'static>, size: f64, text: &str) -> (Vec<Glyph>, f32, f32) {
    let scale = PxScale::from(size as f32);
    let sf = font.as_scaled(scale);
    let mut x = 0.0_f32;
    let mut prev = None;
    let mut glyphs = Vec::with_capacity(text.len());
    for c in text.chars() {
        let id = sf.glyph_id(c);
        if let Some(p) = prev {
            x += sf.kern(p, id);
        }
        glyphs.push(id.with_scale_and_position(scale, point(x, sf.ascent())));
        x += sf.h_advance(id);
        prev = Some(id);
    }
    (glyphs, x, sf.ascent() - sf.descent())
}

impl<DB: GlyphSink> DrawingBackend for TextFix<DB> {
    type ErrorType = DB::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        // Antialiased edges (polygons, wide and sloped lines, circles) arrive here with partial
        // opacity; rounding it keeps the image to few colours (see [`EDGE_LEVELS`]).
        let alpha = if color.alpha < 1.0 {
            (color.alpha * EDGE_LEVELS).round() / EDGE_LEVELS
        } else {
            color.alpha
        };
        if alpha == 0.0 {
            return Ok(());
        }
        self.0.draw_pixel(point, BackendColor { alpha, ..color })
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        if (from.0 == to.0 || from.1 == to.1) && style.stroke_width() == 1 {
            return self.0.draw_line(from, to, style);
        }
        // Sloped and wide lines are antialiased pixel by pixel: through this backend's
        // `draw_pixel` so their edge opacity is rounded.
        plotters_backend::rasterizer::draw_line(self, from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        // plotters' default: segments for thin paths, one polygon for wide ones; on this
        // backend so antialiased pixels pass through `draw_pixel`.
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        if style.stroke_width() == 1 {
            let mut begin: Option<BackendCoord> = None;
            for end in path {
                if let Some(begin) = begin {
                    self.draw_line(begin, end, style)?;
                }
                begin = Some(end);
            }
            return Ok(());
        }
        let p: Vec<BackendCoord> = path.into_iter().collect();
        let v = plotters_backend::rasterizer::polygonize(&p, style.stroke_width());
        self.fill_polygon(v, &style.color())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        plotters_backend::rasterizer::draw_circle(self, center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let vert: Vec<BackendCoord> = vert.into_iter().collect();
        super::polygon::fill_polygon(self, &vert, style)
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.blit_bitmap(pos, size, src)
    }

    fn estimate_text_size<TStyle: BackendTextStyle>(
        &self,
        text: &str,
        style: &TStyle,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        match local_font(style.family().as_str()) {
            Some(font) => {
                let lay = cached_layout(&font, style.family().as_str(), style.size(), text);
                Ok((lay.w.ceil().max(0.0) as u32, lay.h.ceil().max(0.0) as u32))
            }
            None => self.0.estimate_text_size(text, style),
        }
    }

    fn draw_text<TStyle: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &TStyle,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let Some(font) = local_font(style.family().as_str()) else {
            return self.0.draw_text(text, style, pos);
        };
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let family = style.family();
        let family = family.as_str();
        let lay = cached_layout(&font, family, style.size(), text);
        let (w, h) = (lay.w.round() as i32, lay.h.round() as i32);
        let dx = match style.anchor().h_pos {
            HPos::Left => 0,
            HPos::Right => -w,
            HPos::Center => -w / 2,
        };
        let dy = match style.anchor().v_pos {
            VPos::Top => 0,
            VPos::Center => -h / 2,
            VPos::Bottom => -h,
        };
        let trans = style.transform();
        let upright = matches!(trans, FontTransform::None);
        let alphas = level_alphas(color);
        // Rasterised once per process for each glyph, size and quarter-pixel offset.
        let sink = &mut self.0;
        with_glyph_bitmaps(&font, family, &lay.glyphs, |g, bm| {
            let ox = g.position.x.floor() as i32 + bm.x0 + dx;
            let oy = bm.y0 + dy;
            if upright {
                let at = (pos.0 + ox, pos.1 + oy);
                sink.paint_glyph(at, (bm.w, &bm.levels[..], &bm.spans[..]), color, &alphas)
            } else {
                let glyph = (bm.w, &bm.levels[..]);
                paint_levels(sink, &trans, pos, (ox, oy), glyph, color, &alphas)
            }
        })?;
        Ok(())
    }
}

/// Coverage levels a glyph pixel is rounded to. 16 levels (error at most 1/32, eight grey
/// levels; the 17 shades of Windows' grey-scale glyph bitmaps) keep antialiased text to 17
/// shades per text and background colour, so nearly every chart has at most 256 colours and is
/// painted and written one palette byte per pixel (`canvas`, `common::write_png`): with full
/// 8-bit coverage, black text on white alone used 256.
const COVERAGE_LEVELS: f32 = 16.0;

/// Opacity levels of antialiased edge pixels (polygons, wide and sloped lines, circles):
/// an error of at most 1/8 of one edge pixel's coverage (indistinguishable from 1/16 at six
/// times magnification of curves, dashes and markers) keeps a line crossing bands and other
/// lines to a few shades per pair of colours, so nearly every chart stays within 256 colours.
const EDGE_LEVELS: f64 = 4.0;

/// `c` rounded to a multiple of 1/[`COVERAGE_LEVELS`], in those units.
fn coverage_level(c: f32) -> u8 {
    (c.clamp(0.0, 1.0) * COVERAGE_LEVELS).round() as u8
}

/// Opacity of each coverage level 0…[`COVERAGE_LEVELS`].
pub(crate) type LevelAlphas = [f64; COVERAGE_LEVELS as usize + 1];

/// The opacity text of colour `color` paints at each coverage level (level 0 is never painted).
pub(crate) fn level_alphas(color: BackendColor) -> LevelAlphas {
    std::array::from_fn(|k| color.alpha * f64::from(k as f32 / COVERAGE_LEVELS))
}

/// A bitmap backend text can be painted on a glyph at a time. The default paints pixel by
/// pixel; the palette canvas overrides it with a row loop that blends each (colour under,
/// level) pair once (see `canvas`).
pub(crate) trait GlyphSink: DrawingBackend {
    /// Paints `color` at opacity `alphas[level]` over each pixel of the `w`-wide glyph box at
    /// `(x0, y0)` whose `levels` entry is not 0 (those in `spans`, [`spans_of`] the levels),
    /// clipped to the canvas.
    fn paint_glyph(
        &mut self,
        (x0, y0): BackendCoord,
        (w, levels, _spans): (usize, &[u8], &[Span]),
        color: BackendColor,
        alphas: &LevelAlphas,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let upright = FontTransform::None;
        paint_levels(self, &upright, (0, 0), (x0, y0), (w, levels), color, alphas)
    }
}

/// Paints glyph coverage pixel by pixel: `color` at opacity `alphas[level]` on each pixel of
/// the `w`-wide box of `levels` whose level is not 0, the box at `(ox, oy)` turned by `trans`
/// and then moved to `pos`, clipped to the canvas.
fn paint_levels<DB: DrawingBackend>(
    db: &mut DB,
    trans: &FontTransform,
    pos: BackendCoord,
    (ox, oy): BackendCoord,
    (w, levels): (usize, &[u8]),
    color: BackendColor,
    alphas: &LevelAlphas,
) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
    let (cw, ch) = db.get_size();
    for (gy, row) in levels.chunks_exact(w.max(1)).enumerate() {
        for (gx, &k) in row.iter().enumerate() {
            if k == 0 {
                continue;
            }
            let (x, y) = trans.transform(ox + gx as i32, oy + gy as i32);
            let (x, y) = (pos.0 + x, pos.1 + y);
            if x >= 0 && y >= 0 && (x as u32) < cw && (y as u32) < ch {
                let alpha = alphas[usize::from(k.min(COVERAGE_LEVELS as u8))];
                db.draw_pixel((x, y), BackendColor { alpha, ..color })?;
            }
        }
    }
    Ok(())
}

impl<P: plotters::backend::PixelFormat> GlyphSink for plotters::backend::BitMapBackend<'_, P> {}

#[cfg(test)]
mod tests {
    use super::spans_of;

    #[test]
    fn spans_are_the_maximal_covered_runs_of_each_row() {
        let levels = [0, 1, 1, 0, 2, 0, 0, 3, 0, 0, 0, 0, 5, 16, 0, 9];
        assert_eq!(
            spans_of(4, &levels),
            vec![[0, 1, 3], [1, 0, 1], [1, 3, 4], [3, 0, 2], [3, 3, 4]]
        );
        assert!(spans_of(3, &[0; 6]).is_empty());
    }
}
