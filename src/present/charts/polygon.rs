//! Polygon filling for the bitmap charts: plotters-backend 0.3's scan-line algorithm
//! (`rasterizer::fill_polygon`) with the same arithmetic in the same order, so the pixels are
//! identical, without its per-line allocations and repeated edge evaluations. Wide lines are
//! filled as polygons, so this is most of the cost of density curves, fans and dashed lines.

use plotters_backend::{BackendCoord, BackendStyle, DrawingBackend, DrawingErrorKind};

/// An edge crossing the sweep line: plotters' `Edge` with its position on the current line
/// cached (computed once per line instead of once per comparison).
#[derive(Clone, Copy)]
struct Edge {
    epoch: u32,
    total_epoch: u32,
    slave_begin: i32,
    slave_end: i32,
    /// `slave_pos()` at the current epoch.
    pos: f64,
}

impl Edge {
    /// The edge from `from` to `to` in (master, slave) coordinates; None when it does not
    /// advance along the sweep.
    fn new(mut from: BackendCoord, mut to: BackendCoord) -> Option<Edge> {
        if from.0 == to.0 {
            return None;
        }
        if from.0 > to.0 {
            std::mem::swap(&mut from, &mut to);
        }
        let mut e = Edge {
            epoch: 0,
            total_epoch: (to.0 - from.0) as u32,
            slave_begin: from.1,
            slave_end: to.1,
            pos: 0.0,
        };
        e.pos = e.slave_pos();
        Some(e)
    }

    fn master_pos(&self) -> i32 {
        (self.total_epoch - self.epoch) as i32
    }

    fn slave_pos(&self) -> f64 {
        f64::from(self.slave_begin)
            + (i64::from(self.slave_end - self.slave_begin) * i64::from(self.epoch)) as f64
                / f64::from(self.total_epoch)
    }
}

/// Fills the polygon `vertices` on `back` exactly as plotters-backend's
/// `rasterizer::fill_polygon` does (same spans, same antialiased end pixels, same calls).
pub(crate) fn fill_polygon<DB: DrawingBackend, S: BackendStyle>(
    back: &mut DB,
    vertices: &[BackendCoord],
    style: &S,
) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
    let Some((&first, rest)) = vertices.split_first() else {
        return Ok(());
    };
    let (mut x_span, mut y_span) = ((first.0, first.0), (first.1, first.1));
    for &(x, y) in rest {
        x_span = (x_span.0.min(x), x_span.1.max(x));
        y_span = (y_span.0.min(y), y_span.1.max(y));
    }
    // All points on one vertical or horizontal line.
    if x_span.0 == x_span.1 || y_span.0 == y_span.1 {
        return back.draw_line((x_span.0, y_span.0), (x_span.1, y_span.1), style);
    }
    let horizontal_sweep = x_span.1 - x_span.0 > y_span.1 - y_span.0;
    // Edges in (master, slave) coordinates: master along the sweep.
    let flip = |(x, y): BackendCoord| if horizontal_sweep { (x, y) } else { (y, x) };
    let mut edges: Vec<(BackendCoord, BackendCoord)> = vertices
        .iter()
        .zip(vertices.iter().skip(1))
        .map(|(a, b)| (flip(*a), flip(*b)))
        .collect();
    edges.push((flip(vertices[vertices.len() - 1]), flip(vertices[0])));
    edges.sort_by_key(|(a, b)| a.0.min(b.0));
    for e in &mut edges {
        if e.0.0 > e.1.0 {
            std::mem::swap(&mut e.0, &mut e.1);
        }
    }
    let (low, high) = if horizontal_sweep { x_span } else { y_span };
    let color = style.color();
    let mut idx = 0;
    let mut active: Vec<Edge> = Vec::with_capacity(16);
    for sweep_line in low..=high {
        active.retain_mut(|e| {
            if e.master_pos() > 0 {
                e.epoch += 1;
                e.pos = e.slave_pos();
                true
            } else {
                false
            }
        });
        while idx < edges.len() && edges[idx].0.0 <= sweep_line {
            if let Some(e) = Edge::new(edges[idx].0, edges[idx].1) {
                active.push(e);
            }
            idx += 1;
        }
        // Stable, like plotters' `sort` on its `Ord` (positions are never NaN).
        active.sort_by(|a, b| {
            a.pos
                .partial_cmp(&b.pos)
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        let mut first: Option<Edge> = None;
        let mut second: Option<Edge> = None;
        for &edge in &active {
            if first.is_none() {
                first = Some(edge);
            } else if second.is_none() {
                second = Some(edge);
            }
            let (Some(a), Some(b)) = (first, second) else {
                continue;
            };
            if a.master_pos() == 0 && b.master_pos() != 0 {
                first = Some(b);
                second = None;
                continue;
            }
            if a.master_pos() != 0 && b.master_pos() == 0 {
                first = Some(a);
                second = None;
                continue;
            }
            let (from, to) = (a.pos, b.pos);
            if a.master_pos() == 0 && b.master_pos() == 0 && to - from > 1.0 {
                first = None;
                second = None;
                continue;
            }
            if horizontal_sweep {
                back.draw_line(
                    (sweep_line, from.ceil() as i32),
                    (sweep_line, to.floor() as i32),
                    &color,
                )?;
                back.draw_pixel(
                    (sweep_line, from.floor() as i32),
                    color.mix(from.ceil() - from),
                )?;
                back.draw_pixel((sweep_line, to.ceil() as i32), color.mix(to - to.floor()))?;
            } else {
                back.draw_line(
                    (from.ceil() as i32, sweep_line),
                    (to.floor() as i32, sweep_line),
                    &color,
                )?;
                back.draw_pixel(
                    (from.floor() as i32, sweep_line),
                    color.mix(from.ceil() - from),
                )?;
                // plotters' sign (never positive, so the pixel is skipped), kept for identity.
                back.draw_pixel((to.ceil() as i32, sweep_line), color.mix(to.floor() - to))?;
            }
            first = None;
            second = None;
        }
    }
    Ok(())
}
