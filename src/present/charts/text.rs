//! Text measured and (on bitmaps) drawn with the chart's own font.
//!
//! plotters 0.3.7's `ab_glyph` text path places each glyph's bounding box at the pen position,
//! ignoring the glyph's left side bearing (narrow CJK glyphs such as 目 or full-width brackets
//! sit visibly off-centre, "年目 标"), and it finds fonts in a process-wide registry. [`TextFix`]
//! wraps a backend and lays text out with ab_glyph itself (pen position + kerning, outlines
//! placed by their own bounds) in the [`ChartFont`](super::fonts::ChartFont) the style carries.
//! On a bitmap it paints the glyph coverage through the backend's `draw_pixel`; on SVG it only
//! measures (the SVG backend writes `<text>` elements). Everything else is delegated.

use ab_glyph::{Font, FontArc, Glyph, PxScale, ScaleFont, point};
use plotters_backend::FontTransform;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};

/// A backend whose text is laid out by ab_glyph with side bearings respected.
pub(crate) struct TextFix<DB> {
    /// The wrapped backend.
    pub(crate) inner: DB,
    /// Font of every text on this chart.
    pub(crate) font: FontArc,
    /// Paint glyphs pixel by pixel (bitmaps) instead of handing the text to `inner` (SVG).
    pub(crate) raster: bool,
    /// Every text drawn and its size in pixels, when asked for (the print-size test).
    pub(crate) log: Option<TextLog>,
}

/// Texts drawn and their sizes in pixels, shared with the caller.
pub(crate) type TextLog = std::rc::Rc<std::cell::RefCell<Vec<(String, f64)>>>;

/// Glyphs positioned on a baseline at y = ascent (top of the layout box is y = 0), the advance
/// width and the box height (ascent − descent).
pub(crate) fn layout(font: &FontArc, size: f64, text: &str) -> (Vec<Glyph>, f32, f32) {
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

impl<DB: DrawingBackend> DrawingBackend for TextFix<DB> {
    type ErrorType = DB::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.fill_polygon(vert, style)
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.blit_bitmap(pos, size, src)
    }

    fn estimate_text_size<TStyle: BackendTextStyle>(
        &self,
        text: &str,
        style: &TStyle,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        let (_, w, h) = layout(&self.font, style.size(), text);
        Ok((w.ceil().max(0.0) as u32, h.ceil().max(0.0) as u32))
    }

    fn draw_text<TStyle: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &TStyle,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        if let Some(log) = &self.log {
            log.borrow_mut().push((text.to_string(), style.size()));
        }
        if !self.raster {
            return self.inner.draw_text(text, style, pos);
        }
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let (glyphs, w, h) = layout(&self.font, style.size(), text);
        let (w, h) = (w.round() as i32, h.round() as i32);
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
        let (cw, ch) = self.inner.get_size();
        for g in glyphs {
            let Some(og) = self.font.outline_glyph(g) else {
                continue;
            };
            let b = og.px_bounds();
            let (ox, oy) = (b.min.x as i32 + dx, b.min.y as i32 + dy);
            let mut pixels = Vec::new();
            og.draw(|x, y, c| pixels.push((x as i32, y as i32, c)));
            for (x, y, c) in pixels {
                if c <= 0.0 {
                    continue;
                }
                let (x, y) = transform(&trans, ox + x, oy + y);
                let (x, y) = (pos.0 + x, pos.1 + y);
                if x >= 0 && y >= 0 && (x as u32) < cw && (y as u32) < ch {
                    let alpha = color.alpha * f64::from(c.min(1.0));
                    self.inner
                        .draw_pixel((x, y), BackendColor { alpha, ..color })?;
                }
            }
        }
        Ok(())
    }
}

/// A point of an upright text box turned by `trans` (about the text's anchor).
fn transform(trans: &FontTransform, x: i32, y: i32) -> (i32, i32) {
    trans.transform(x, y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_advances_and_respects_kerning_order() {
        let Some(file) = super::super::fonts::find_latin_font_file() else {
            assert!(
                !super::super::fonts::fonts_required(),
                "no Latin font on CI"
            );
            return;
        };
        let Ok(font) = super::super::fonts::ChartFont::load(&file) else {
            panic!("cannot load {file:?}");
        };
        let f = font.outlines();
        let (g1, w1, h1) = layout(f, 20.0, "20");
        let (_, w2, h2) = layout(f, 40.0, "20");
        assert_eq!(g1.len(), 2);
        // Twice the size: twice the width and height.
        assert!((w2 - 2.0 * w1).abs() < 0.01, "{w1} {w2}");
        assert!((h2 - 2.0 * h1).abs() < 0.01, "{h1} {h2}");
        // The second glyph starts where the first one's advance ends.
        assert!(g1[1].position.x > g1[0].position.x);
        assert_eq!(layout(f, 20.0, "").1, 0.0);
    }
}
