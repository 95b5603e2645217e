//! Shared drawing machinery: atomic PNG+SVG output, page frame (title, legend, footer), text
//! fitting, dashed lines, markers and axis formatting.

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::drawing::DrawingAreaErrorKind;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::ChartError;
use super::style::{AxisUnit, ChartStyle, Dash, Lang, Marker, decimals_for_step, format_number};
use super::text::TextFix;

/// A drawing failure inside a painter (the backend's error as text).
#[derive(Debug)]
pub(crate) struct PaintError(pub String);

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for PaintError {
    fn from(e: DrawingAreaErrorKind<E>) -> Self {
        PaintError(e.to_string())
    }
}

/// Result of a painter.
pub(crate) type PResult<T = ()> = Result<T, PaintError>;

/// The cartesian chart type every chart uses (f64 on both axes).
pub(crate) type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// One chart type: checks its data, lists its text, paints itself on any backend.
pub(crate) trait Painter: Sync {
    /// Reason the data cannot be drawn, if any.
    fn validate(&self) -> Result<(), String>;
    /// All label text that will be drawn (for the glyph check).
    fn texts(&self, style: &ChartStyle) -> Vec<String>;
    /// Image size in pixels: the style's, unless the chart grows with its content (small
    /// multiples add height per panel; text and line sizes still follow the style).
    fn size(&self, style: &ChartStyle) -> (u32, u32) {
        (style.width, style.height)
    }
    /// Paints the chart on `root` (sized by [`Painter::size`]).
    fn paint<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        style: &ChartStyle,
    ) -> PResult;
}

fn with_ext(stem: &Path, ext: &str) -> PathBuf {
    let mut s = stem.as_os_str().to_owned();
    s.push(".");
    s.push(ext);
    PathBuf::from(s)
}

/// Writes `dest` through the one output writer ([`crate::present::io::NewFile`]): `draw`
/// writes into a temporary file with a random name, renamed over `dest` once complete.
fn write_chart(
    dest: &Path,
    draw: impl FnOnce(&std::fs::File) -> Result<(), String>,
) -> Result<(), ChartError> {
    let io = |e: crate::present::io::WriteError| match e {
        crate::present::io::WriteError::Io { source, .. } => ChartError::Io {
            path: dest.to_path_buf(),
            source,
        },
        other => ChartError::Draw {
            path: dest.to_path_buf(),
            message: other.to_string(),
        },
    };
    let file = crate::present::io::NewFile::create(dest).map_err(io)?;
    draw(file.file()).map_err(|message| ChartError::Draw {
        path: dest.to_path_buf(),
        message,
    })?;
    file.commit().map_err(io)
}

/// Validates, checks glyphs, and writes `stem.png` and `stem.svg` atomically.
pub(crate) fn render_both<P: Painter>(
    painter: &P,
    style: &ChartStyle,
    stem: &Path,
) -> Result<Vec<PathBuf>, ChartError> {
    let invalid = |reason: String| ChartError::InvalidData {
        path: stem.to_path_buf(),
        reason,
    };
    let size = painter.size(style);
    for (w, h) in [(style.width, style.height), size] {
        if !(200..=20_000).contains(&w) || !(150..=20_000).contains(&h) {
            return Err(invalid(format!(
                "image size {w}×{h} outside 200..=20000 × 150..=20000"
            )));
        }
    }
    if !(style.font_scale.is_finite() && (0.25..=4.0).contains(&style.font_scale)) {
        return Err(invalid(format!(
            "font_scale {} outside 0.25..=4",
            style.font_scale
        )));
    }
    painter.validate().map_err(invalid)?;
    let mut all = painter.texts(style).join(" ");
    all.push(' ');
    all.push_str(&style.footer);
    let missing = style.font.missing_glyphs(&all);
    if !missing.is_empty() {
        return Err(ChartError::MissingGlyphs {
            path: stem.to_path_buf(),
            family: style.font.family().to_string(),
            missing: missing.into_iter().collect(),
        });
    }
    let png = with_ext(stem, "png");
    let svg = with_ext(stem, "svg");
    // The two formats are independent: draw them on two pool threads.
    let (a, b) = rayon::join(
        || write_chart(&png, |file| paint_png(painter, style, size, file)),
        || {
            write_chart(&svg, |mut file| {
                let mut text = String::new();
                {
                    let root = TextFix {
                        inner: SVGBackend::with_string(&mut text, size),
                        font: style.font.outlines().clone(),
                        raster: false,
                        log: None,
                    }
                    .into_drawing_area();
                    painter
                        .paint(&root, style)
                        .map_err(|e| e.0)
                        .and_then(|()| root.present().map_err(|e| e.to_string()))?;
                }
                std::io::Write::write_all(&mut file, text.as_bytes()).map_err(|e| e.to_string())
            })
        },
    );
    a?;
    b?;
    Ok(vec![png, svg])
}

/// Paints the chart on plotters' RGB bitmap and writes it to `path` as PNG ([`write_png`]).
fn paint_png<P: Painter>(
    painter: &P,
    style: &ChartStyle,
    size: (u32, u32),
    file: &std::fs::File,
) -> Result<(), String> {
    let rgb = paint_rgb(painter, style, size)?;
    write_png(std::io::BufWriter::new(file), size, &rgb).map_err(|e| e.to_string())
}

/// Paints `painter` on plotters' RGB bitmap (white page, text by [`TextFix`]) and returns the
/// `w × h × 3` bytes.
pub(crate) fn paint_rgb<P: Painter>(
    painter: &P,
    style: &ChartStyle,
    (w, h): (u32, u32),
) -> Result<Vec<u8>, String> {
    let mut buf = vec![0xFF; w as usize * h as usize * 3];
    {
        let inner = BitMapBackend::with_buffer(&mut buf, (w, h));
        let root = TextFix {
            inner,
            font: style.font.outlines().clone(),
            raster: true,
            log: None,
        }
        .into_drawing_area();
        painter.paint(&root, style).map_err(|e| e.0)?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(buf)
}

/// Every text a chart draws with its size in pixels (painted on a bitmap and thrown away).
#[cfg(test)]
pub(crate) fn drawn_texts<P: Painter>(
    painter: &P,
    style: &ChartStyle,
) -> Result<Vec<(String, f64)>, String> {
    let (w, h) = painter.size(style);
    let mut buf = vec![0xFF; w as usize * h as usize * 3];
    let log = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    {
        let inner = BitMapBackend::with_buffer(&mut buf, (w, h));
        let root = TextFix {
            inner,
            font: style.font.outlines().clone(),
            raster: true,
            log: Some(log.clone()),
        }
        .into_drawing_area();
        painter.paint(&root, style).map_err(|e| e.0)?;
        root.present().map_err(|e| e.to_string())?;
    }
    let texts = log.borrow().clone();
    Ok(texts)
}

/// Most colours an image may have to be written as a palette PNG (the PNG limit at 8 bits).
const MAX_PALETTE: usize = 256;

/// The image as palette indices and the palette (RGB triples in first-use order), or `None`
/// when it has more than [`MAX_PALETTE`] colours.
pub(crate) fn to_palette(rgb: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let mut index: std::collections::HashMap<[u8; 3], u8> = std::collections::HashMap::new();
    let mut plte: Vec<u8> = Vec::with_capacity(3 * MAX_PALETTE);
    let mut px = Vec::with_capacity(rgb.len() / 3);
    // Charts are flat colour: most pixels repeat the one before.
    let mut last: Option<([u8; 3], u8)> = None;
    for c in rgb.chunks_exact(3) {
        let c = [c[0], c[1], c[2]];
        let i = match last {
            Some((lc, li)) if lc == c => li,
            _ => match index.get(&c) {
                Some(&i) => i,
                None => {
                    let n = index.len();
                    if n == MAX_PALETTE {
                        return None;
                    }
                    plte.extend_from_slice(&c);
                    index.insert(c, n as u8);
                    n as u8
                }
            },
        };
        last = Some((c, i));
        px.push(i);
    }
    Some((px, plte))
}

/// PNG of an RGB image (row-major, `w × h × 3` bytes) through the png crate: 8-bit indexed
/// colour when it has at most 256 colours, else 8-bit RGB.
pub(crate) fn write_png(
    out: impl std::io::Write,
    (w, h): (u32, u32),
    rgb: &[u8],
) -> Result<(), png::EncodingError> {
    let mut enc = png::Encoder::new(out, w, h);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Fast);
    match to_palette(rgb) {
        Some((px, plte)) => {
            enc.set_color(png::ColorType::Indexed);
            enc.set_palette(plte);
            let mut writer = enc.write_header()?;
            writer.write_image_data(&px)?;
            writer.finish()
        }
        None => {
            enc.set_color(png::ColorType::Rgb);
            let mut writer = enc.write_header()?;
            writer.write_image_data(rgb)?;
            writer.finish()
        }
    }
}

/// Text sizes in printed points at the chart's paste width (issue 20: text ≥ 9 pt, footers
/// ≥ 7 pt). A title too long for the width shrinks to 11 pt, then wraps; a footer wraps.
pub(crate) const TITLE: f64 = 12.5;
pub(crate) const AXIS: f64 = 10.5;
pub(crate) const TICK: f64 = 9.5;
pub(crate) const LEGEND: f64 = 9.5;
pub(crate) const NOTE: f64 = 9.0;
pub(crate) const FOOTER: f64 = 7.5;

/// Grey for secondary text and grid lines.
pub(crate) const DARK_GREY: RGBColor = RGBColor(0x44, 0x44, 0x44);
pub(crate) const GRID: RGBColor = RGBColor(0xDD, 0xDD, 0xDD);

/// A text style of nominal size `nominal` in the chart font.
pub(crate) fn font(style: &ChartStyle, nominal: f64) -> TextStyle<'_> {
    TextStyle::from(FontDesc::new(
        FontFamily::Name(style.font.family()),
        style.text_px(nominal),
        FontStyle::Normal,
    ))
    .color(&BLACK)
}

/// Pixel width of `text` in `ts`.
pub(crate) fn text_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    ts: &TextStyle<'_>,
) -> PResult<i32> {
    Ok(area.estimate_text_size(text, ts)?.0 as i32)
}

/// Draws `text` at `(x, y)` (absolute pixels of `root`) with the given anchor.
pub(crate) fn text_at<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    (x, y): (i32, i32),
    ts: &TextStyle<'_>,
    h: HPos,
    v: VPos,
) -> PResult {
    let ts = ts.clone().pos(Pos::new(h, v));
    root.draw(&Text::new(text.to_string(), (x, y), ts))?;
    Ok(())
}

/// Splits `text` into lines no wider than `max_w` (spaces for English, characters for Chinese).
pub(crate) fn wrap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    ts: &TextStyle<'_>,
    max_w: i32,
) -> PResult<Vec<String>> {
    let ascii_words = text.contains(' ');
    let units: Vec<String> = if ascii_words {
        text.split(' ').map(str::to_string).collect()
    } else {
        text.chars().map(|c| c.to_string()).collect()
    };
    let joiner = if ascii_words { " " } else { "" };
    let mut lines = Vec::new();
    let mut cur = String::new();
    for u in units {
        let cand = if cur.is_empty() {
            u.clone()
        } else {
            format!("{cur}{joiner}{u}")
        };
        if !cur.is_empty() && text_width(area, &cand, ts)? > max_w {
            lines.push(std::mem::replace(&mut cur, u));
        } else {
            cur = cand;
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    Ok(lines)
}

/// Draws wrapped text centred on `x`, starting at `y_top`.
pub(crate) fn wrapped_centered<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    x: i32,
    y_top: i32,
    max_w: i32,
    ts: &TextStyle<'_>,
) -> PResult {
    let line_h = (ts.font.get_size() * 1.25) as i32;
    for (k, line) in wrap(root, text, ts, max_w)?.iter().enumerate() {
        text_at(
            root,
            line,
            (x, y_top + k as i32 * line_h),
            ts,
            HPos::Center,
            VPos::Top,
        )?;
    }
    Ok(())
}

/// What a legend entry shows.
#[derive(Debug, Clone)]
pub(crate) enum Key {
    /// A line of the given colour, width (nominal) and dash.
    Line(RGBColor, f64, Dash),
    /// A line with a marker on it.
    LineMarker(RGBColor, f64, Dash, Marker),
    /// A filled box.
    Fill(RGBAColor),
    /// A box filled with the first colour, outlined in the second, hatched vertically in the
    /// third (an increase band).
    Hatch(RGBColor, RGBColor, RGBColor),
    /// A filled box with a measure's pattern over it.
    Patterned(RGBColor, super::style::Hatch),
    /// A marker alone.
    Marker(RGBColor, Marker),
}

/// One legend entry.
#[derive(Debug, Clone)]
pub(crate) struct LegendItem {
    pub key: Key,
    pub label: String,
}

/// Horizontal page margin in pixels.
pub(crate) fn page_margin(style: &ChartStyle) -> i32 {
    style.px(40.0) as i32
}

/// Height (px) of a footer of `lines` lines at the bottom of a chart.
pub(crate) fn footer_height(style: &ChartStyle, lines: usize) -> i32 {
    (style.text_px(FOOTER) * (0.7 + 1.3 * lines.max(1) as f64)) as i32
}

/// Draws background, title (shrunk to fit), legend rows and footer; returns the plot area.
pub(crate) fn frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    style: &ChartStyle,
    title: &str,
    legend: &[LegendItem],
) -> PResult<DrawingArea<DB, Shift>> {
    root.fill(&WHITE)?;
    let (w, h) = root.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let m = page_margin(style);
    // Title: shrink until it fits the width (to 11 pt at most), else wrap it.
    let mut size = TITLE;
    let mut ts = font(style, size);
    while size > 11.0 && text_width(root, title, &ts)? > w - 2 * m {
        size -= 0.5;
        ts = font(style, size);
    }
    let title_top = style.px(22.0) as i32;
    let mut y = title_top;
    for line in wrap(root, title, &ts, w - 2 * m)? {
        text_at(root, &line, (m, y), &ts, HPos::Left, VPos::Top)?;
        y += (style.text_px(size) * 1.3) as i32;
    }
    y += (style.text_px(size) * 0.15) as i32;

    // Legend rows.
    if !legend.is_empty() {
        let lts = font(style, LEGEND);
        let key_w = style.px(70.0) as i32;
        let gap = style.px(14.0) as i32;
        let item_gap = style.px(44.0) as i32;
        let row_h = (style.text_px(LEGEND) * 1.55) as i32;
        let mut x = m;
        y += style.px(6.0) as i32;
        for item in legend {
            let tw = text_width(root, &item.label, &lts)?;
            let need = key_w + gap + tw;
            if x > m && x + need > w - m {
                x = m;
                y += row_h;
            }
            let cy = y + row_h / 2;
            draw_key(root, style, &item.key, (x, cy), key_w)?;
            text_at(
                root,
                &item.label,
                (x + key_w + gap, cy),
                &lts,
                HPos::Left,
                VPos::Center,
            )?;
            x += need + item_gap;
        }
        y += row_h;
    }
    y += style.px(8.0) as i32;

    // Footer: wrapped onto a second line rather than cut at the right edge.
    let fts = font(style, FOOTER).color(&DARK_GREY);
    let lines = wrap(root, &style.footer, &fts, w - 2 * m)?;
    let footer_h = footer_height(style, lines.len());
    let line_h = (style.text_px(FOOTER) * 1.3) as i32;
    let mut fy = h - footer_h + (style.text_px(FOOTER) * 0.5) as i32 + line_h / 2;
    for line in &lines {
        text_at(root, line, (m, fy), &fts, HPos::Left, VPos::Center)?;
        fy += line_h;
    }

    let area = root.margin(y, footer_h, 0, 0);
    Ok(area)
}

fn draw_key<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    style: &ChartStyle,
    key: &Key,
    (x, cy): (i32, i32),
    key_w: i32,
) -> PResult {
    let half = (style.text_px(LEGEND) * 0.4) as i32;
    match key {
        Key::Line(c, lw, dash) => {
            dashed_pixels(root, style, &[(x, cy), (x + key_w, cy)], *c, *lw, *dash)?;
        }
        Key::LineMarker(c, lw, dash, mk) => {
            dashed_pixels(root, style, &[(x, cy), (x + key_w, cy)], *c, *lw, *dash)?;
            marker_px(root, style, *mk, *c, (x + key_w / 2, cy))?;
        }
        Key::Fill(c) => {
            root.draw(&Rectangle::new(
                [(x, cy - half), (x + key_w, cy + half)],
                c.filled(),
            ))?;
            root.draw(&Rectangle::new(
                [(x, cy - half), (x + key_w, cy + half)],
                ShapeStyle::from(&DARK_GREY).stroke_width(1),
            ))?;
        }
        Key::Hatch(fill, line, ink) => {
            let r = [(x, cy - half), (x + key_w, cy + half)];
            root.draw(&Rectangle::new(r, fill.filled()))?;
            let step = style.px(14.0).max(3.0) as i32;
            let mut hx = x + step / 2;
            while hx < x + key_w {
                root.draw(&PathElement::new(
                    vec![(hx, cy - half), (hx, cy + half)],
                    stroke(style, ink, 2.0),
                ))?;
                hx += step;
            }
            root.draw(&Rectangle::new(r, stroke(style, line, 4.0)))?;
        }
        Key::Patterned(fill, hatch) => {
            let r = [(x, cy - half), (x + key_w, cy + half)];
            root.draw(&Rectangle::new(r, fill.filled()))?;
            let ink = over(BLACK, 0.45, *fill);
            let step = style.px(28.0).max(4.0) as i32;
            match hatch {
                super::style::Hatch::Solid => {}
                super::style::Hatch::Lines => {
                    let mut hx = x + step / 2;
                    while hx < x + key_w {
                        root.draw(&PathElement::new(
                            vec![(hx, cy - half), (hx, cy + half)],
                            stroke(style, &ink, 2.0),
                        ))?;
                        hx += step;
                    }
                }
                super::style::Hatch::Dots => {
                    let rad = style.px(3.0).max(1.0) as i32;
                    let mut hx = x + step / 4;
                    while hx < x + key_w {
                        root.draw(&Rectangle::new(
                            [(hx - rad, cy - rad), (hx + rad, cy + rad)],
                            ink.filled(),
                        ))?;
                        hx += step / 2;
                    }
                }
            }
            root.draw(&Rectangle::new(
                r,
                ShapeStyle::from(&DARK_GREY).stroke_width(1),
            ))?;
        }
        Key::Marker(c, mk) => marker_px(root, style, *mk, *c, (x + key_w / 2, cy))?,
    }
    Ok(())
}

/// `top` at opacity `alpha` over `base`, as one opaque colour. Areas that never overlap one
/// another (histogram bars, stacked wedge bands) are filled with it instead of a translucent
/// colour: the same look on white, and a plain fill is much cheaper than blending per pixel.
pub(crate) fn over(top: RGBColor, alpha: f64, base: RGBColor) -> RGBColor {
    let a = alpha.clamp(0.0, 1.0);
    let m = |t: u8, b: u8| (f64::from(t) * a + f64::from(b) * (1.0 - a)).round() as u8;
    RGBColor(m(top.0, base.0), m(top.1, base.1), m(top.2, base.2))
}

/// Stroke style of a nominal width.
pub(crate) fn stroke<C: Color>(style: &ChartStyle, c: &C, nominal_w: f64) -> ShapeStyle {
    ShapeStyle::from(c.to_rgba()).stroke_width(style.px(nominal_w).round().max(1.0) as u32)
}

/// Draws a polyline in absolute pixels with a dash pattern (scaled like the rest).
pub(crate) fn dashed_pixels<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    style: &ChartStyle,
    pts: &[(i32, i32)],
    color: RGBColor,
    nominal_w: f64,
    dash: Dash,
) -> PResult {
    let s = stroke(style, &color, nominal_w);
    if dash.on == 0 {
        root.draw(&PathElement::new(pts.to_vec(), s))?;
    } else {
        let on = style.px(f64::from(dash.on)).round().max(1.0) as i32;
        let off = style.px(f64::from(dash.off)).round().max(1.0) as i32;
        root.draw(&plotters::element::DashedPathElement::new(
            pts.iter().copied(),
            on,
            off,
            s,
        ))?;
    }
    Ok(())
}

/// Draws a polyline in chart coordinates with a dash pattern.
pub(crate) fn dashed_line<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &Chart<'_, DB>,
    style: &ChartStyle,
    pts: &[(f64, f64)],
    color: RGBColor,
    nominal_w: f64,
    dash: Dash,
) -> PResult {
    let px: Vec<(i32, i32)> = pts.iter().map(|p| chart.backend_coord(p)).collect();
    dashed_pixels(root, style, &px, color, nominal_w, dash)
}

/// Draws a marker centred at absolute pixel `c`.
pub(crate) fn marker_px<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    style: &ChartStyle,
    mk: Marker,
    color: RGBColor,
    (x, y): (i32, i32),
) -> PResult {
    let r = style.px(11.0) as i32;
    let fill = color.filled();
    match mk {
        Marker::Circle => {
            root.draw(&Circle::new((x, y), r, fill))?;
        }
        Marker::Ring => {
            root.draw(&Circle::new((x, y), r, WHITE.filled()))?;
            root.draw(&Circle::new((x, y), r, stroke(style, &color, 4.0)))?;
        }
        Marker::Square => {
            root.draw(&Rectangle::new([(x - r, y - r), (x + r, y + r)], fill))?;
        }
        Marker::Triangle => {
            let pts = vec![(x, y - r - 2), (x - r - 2, y + r), (x + r + 2, y + r)];
            root.draw(&Polygon::new(pts, fill))?;
        }
        Marker::Cross => {
            let s = stroke(style, &color, 5.0);
            root.draw(&PathElement::new(vec![(x - r, y - r), (x + r, y + r)], s))?;
            root.draw(&PathElement::new(vec![(x - r, y + r), (x + r, y - r)], s))?;
        }
    }
    Ok(())
}

/// Fills the band between two lines over the same x values (`top` ≥ `bottom` in data
/// units), e.g. a wedge or a fan band, as one polygon.
pub(crate) fn fill_between<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &Chart<'_, DB>,
    xs: &[f64],
    top: &[f64],
    bottom: &[f64],
    color: RGBAColor,
) -> PResult {
    let n = xs.len().min(top.len()).min(bottom.len());
    if n < 2 {
        return Ok(());
    }
    let c = |(x, y): (&f64, &f64)| chart.backend_coord(&(*x, *y));
    let mut poly: Vec<(i32, i32)> = xs.iter().zip(top).take(n).map(c).collect();
    poly.extend(xs.iter().zip(bottom).take(n).rev().map(c));
    root.draw(&Polygon::new(poly, color.filled()))?;
    Ok(())
}

/// Pads `[lo, hi]` by `frac` of its span (or ±1 / ±10 % when degenerate).
pub(crate) fn padded(lo: f64, hi: f64, frac: f64) -> (f64, f64) {
    let span = hi - lo;
    if span > 0.0 && span.is_finite() {
        (lo - frac * span, hi + frac * span)
    } else {
        let d = if lo.abs() > 0.0 { lo.abs() * 0.1 } else { 1.0 };
        (lo - d, hi + d)
    }
}

/// Formatter for axis ticks over `[lo, hi]` (about `n` ticks).
pub(crate) fn tick_fmt(lo: f64, hi: f64, n: usize, lang: Lang) -> impl Fn(&f64) -> String {
    let step = (hi - lo).abs() / n.max(1) as f64;
    // Plotters picks 1-2-5 steps; one more decimal than the raw step suggests covers 2.5 etc.
    let nice = 10f64.powf(step.log10().floor());
    let dec = decimals_for_step(nice);
    move |v: &f64| format_number(*v, dec, lang)
}

/// Configures and draws the mesh with the style's fonts and the given axis titles.
pub(crate) fn mesh<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    style: &ChartStyle,
    x_desc: &str,
    y_desc: &str,
    x_fmt: &dyn Fn(&f64) -> String,
    y_fmt: &dyn Fn(&f64) -> String,
    x_labels: usize,
) -> PResult {
    // As many y ticks as fit the plot's height (small panels get fewer), at most 8.
    let plot_h = chart.plotting_area().dim_in_pixel().1 as f64;
    let y_labels = ((plot_h / (style.text_px(TICK) * 2.6)) as usize).clamp(2, 8);
    let mut m = chart.configure_mesh();
    // An empty title is left out (panels of a small-multiple figure share one title).
    if !x_desc.is_empty() {
        m.x_desc(x_desc);
    }
    if !y_desc.is_empty() {
        m.y_desc(y_desc);
    }
    m.label_style(font(style, TICK))
        .axis_desc_style(font(style, AXIS))
        .x_label_formatter(x_fmt)
        .y_label_formatter(y_fmt)
        .x_labels(x_labels)
        .y_labels(y_labels)
        .light_line_style(WHITE.mix(0.0))
        .bold_line_style(ShapeStyle::from(&GRID).stroke_width(style.px(1.5).max(1.0) as u32))
        .axis_style(ShapeStyle::from(&DARK_GREY).stroke_width(style.px(2.0).max(1.0) as u32))
        .set_all_tick_mark_size(style.px(8.0) as i32)
        .draw()?;
    Ok(())
}

/// Standard label-area sizes: (bottom, left).
pub(crate) fn label_areas(style: &ChartStyle) -> (u32, u32) {
    (
        (style.text_px(TICK) + style.text_px(AXIS) * 1.9 + style.px(16.0)) as u32,
        (style.text_px(TICK) * 4.2 + style.text_px(AXIS) * 1.8) as u32,
    )
}

/// A chart over years on `area` with its mesh (year ticks without separators): with a y title
/// when `y_title` is given, else a narrow left margin (a panel sharing the first column's title).
pub(crate) fn year_chart<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    style: &ChartStyle,
    x: (f64, f64),
    (y0, y1): (f64, f64),
    y_title: Option<&str>,
    x_ticks: usize,
) -> PResult<Chart<'a, DB>> {
    let (bottom, left) = label_areas(style);
    let left = match y_title {
        Some(_) => left,
        None => (style.text_px(TICK) * 4.0) as u32,
    };
    let mut chart = build(area, style, x, (y0, y1), bottom, left)?;
    let xf = |v: &f64| format!("{v:.0}");
    let yf = tick_fmt(y0, y1, 8, style.lang);
    let ticks = year_ticks(area, style, chart.plotting_area().dim_in_pixel().0, x_ticks)?;
    mesh(
        &mut chart,
        style,
        style.tr("年份", "Year"),
        y_title.unwrap_or(""),
        &xf,
        &yf,
        ticks,
    )?;
    Ok(chart)
}

/// How many year ticks fit `plot_w` pixels without their labels running together (each
/// label "2030" gets its width again as a gap), at most `wanted`, at least 2.
pub(crate) fn year_ticks<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    style: &ChartStyle,
    plot_w: u32,
    wanted: usize,
) -> PResult<usize> {
    let label_w = text_width(area, "2030", &font(style, TICK))?.max(1);
    let fit = (plot_w as i32 / (2 * label_w)).max(2) as usize;
    Ok(wanted.min(fit))
}

/// Builds the standard f64×f64 chart on `area`.
pub(crate) fn build<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    style: &ChartStyle,
    x: (f64, f64),
    y: (f64, f64),
    bottom: u32,
    left: u32,
) -> PResult<Chart<'a, DB>> {
    let m = page_margin(style) as u32;
    let chart = ChartBuilder::on(area)
        .margin_left(m)
        .margin_right(m + style.px(20.0) as u32)
        .margin_top(style.px(24.0) as u32)
        .margin_bottom(style.px(6.0) as u32)
        .x_label_area_size(bottom)
        .y_label_area_size(left)
        .build_cartesian_2d(x.0..x.1, y.0..y.1)?;
    Ok(chart)
}

/// Axis title with unit.
pub(crate) fn with_unit(style: &ChartStyle, name: &str, unit: &AxisUnit) -> String {
    super::style::axis_title(name, unit, style.lang)
}

/// Formats a draw count ("10,000 次抽样" / "10,000 draws").
pub(crate) fn draws_text(style: &ChartStyle, n: usize) -> String {
    let num = crate::present::units::count(n as u64);
    match style.lang {
        Lang::Zh => format!("{num} 次抽样"),
        Lang::En => format!("{num} draws"),
    }
}

/// Checks that all values are finite.
pub(crate) fn all_finite<'a>(
    what: &str,
    vals: impl IntoIterator<Item = &'a f64>,
) -> Result<(), String> {
    match vals.into_iter().find(|v| !v.is_finite()) {
        Some(v) => Err(format!("{what} contains a non-finite value ({v})")),
        None => Ok(()),
    }
}
