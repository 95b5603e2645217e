//! Label placement: a label goes to the first of its candidate positions whose box covers no
//! plotted data element and no label placed before it (issue 20: labels placed where they
//! cover no data).
//!
//! A painter registers the pixel boxes of what it plots (bars, line segments, target lines)
//! with a [`Placer`], then asks it to place each label among candidates in order of preference
//! (beside its line, in a free corner, …). Boxes are in absolute pixels of the drawing root.

/// An axis-aligned box in pixels: `x0 ≤ x1`, `y0 ≤ y1` (y grows downward).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left.
    pub x0: i32,
    /// Top.
    pub y0: i32,
    /// Right.
    pub x1: i32,
    /// Bottom.
    pub y1: i32,
}

impl Rect {
    /// The box spanning two corners in any order.
    pub fn span((ax, ay): (i32, i32), (bx, by): (i32, i32)) -> Self {
        Self {
            x0: ax.min(bx),
            y0: ay.min(by),
            x1: ax.max(bx),
            y1: ay.max(by),
        }
    }

    /// A `w × h` box centred vertically on `cy` whose left edge is `x`.
    pub fn left_at(x: i32, cy: i32, w: i32, h: i32) -> Self {
        Self::span((x, cy - h / 2), (x + w, cy - h / 2 + h))
    }

    /// A `w × h` box centred on `(cx, cy)`.
    pub fn centred(cx: i32, cy: i32, w: i32, h: i32) -> Self {
        Self::left_at(cx - w / 2, cy, w, h)
    }

    /// Whether the two boxes share interior (touching edges do not count).
    pub fn intersects(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }

    /// Whether `o` lies inside this box.
    pub fn contains(&self, o: &Rect) -> bool {
        o.x0 >= self.x0 && o.x1 <= self.x1 && o.y0 >= self.y0 && o.y1 <= self.y1
    }

    /// Centre pixel.
    pub fn centre(&self) -> (i32, i32) {
        ((self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2)
    }
}

/// Boxes of the segments of a polyline (pixels), each widened by `pad` on every side.
pub fn polyline_boxes(pts: &[(i32, i32)], pad: i32) -> Vec<Rect> {
    pts.windows(2)
        .map(|w| {
            let r = Rect::span(w[0], w[1]);
            Rect {
                x0: r.x0 - pad,
                y0: r.y0 - pad,
                x1: r.x1 + pad,
                y1: r.y1 + pad,
            }
        })
        .collect()
}

/// The data boxes of a chart, the labels placed on it so far, and where labels may go.
#[derive(Debug, Clone)]
pub struct Placer {
    /// Where labels may be (the plot area, or the whole image).
    pub bounds: Rect,
    /// Plotted data elements.
    pub data: Vec<Rect>,
    /// Labels placed so far.
    pub labels: Vec<Rect>,
}

impl Placer {
    /// A placer with no data inside `bounds`.
    pub fn new(bounds: Rect) -> Self {
        Self {
            bounds,
            data: Vec::new(),
            labels: Vec::new(),
        }
    }

    /// Registers plotted data elements.
    pub fn add_data(&mut self, boxes: impl IntoIterator<Item = Rect>) {
        self.data.extend(boxes);
    }

    /// Whether `r` is inside the bounds and covers no data and no placed label.
    pub fn is_free(&self, r: &Rect) -> bool {
        self.bounds.contains(r)
            && !self.data.iter().any(|d| d.intersects(r))
            && !self.labels.iter().any(|l| l.intersects(r))
    }

    /// Places a label at the first free candidate and returns it; None when every candidate
    /// covers something (the caller then leaves the label out or moves it outside the plot).
    pub fn place(&mut self, candidates: impl IntoIterator<Item = Rect>) -> Option<Rect> {
        let chosen = if placement_disabled() {
            candidates.into_iter().next()
        } else {
            candidates.into_iter().find(|r| self.is_free(r))
        };
        if let Some(r) = chosen {
            self.labels.push(r);
        }
        chosen
    }

    /// Registers a label placed by other means (it still blocks later labels).
    pub fn add_label(&mut self, r: Rect) {
        self.labels.push(r);
    }

    /// Candidate boxes of a `w × h` label on a grid over the bounds, nearest to `(x, y)` first
    /// (a fallback when the preferred positions are all taken).
    pub fn grid_near(&self, (x, y): (i32, i32), w: i32, h: i32) -> Vec<Rect> {
        let b = self.bounds;
        let step_x = (w / 3).max(4);
        let step_y = (h / 2).max(4);
        let mut out = Vec::new();
        let mut cy = b.y0 + h / 2 + 1;
        while cy + h / 2 < b.y1 {
            let mut cx = b.x0 + w / 2 + 1;
            while cx + w / 2 < b.x1 {
                out.push(Rect::centred(cx, cy, w, h));
                cx += step_x;
            }
            cy += step_y;
        }
        out.sort_by_key(|r| {
            let (cx, cy) = r.centre();
            i64::from(cx - x).pow(2) + i64::from(cy - y).pow(2)
        });
        out
    }

    /// Pairs (label, data box) that intersect, and pairs of labels that intersect.
    pub fn collisions(&self) -> Vec<(Rect, Rect)> {
        let mut out = Vec::new();
        for (k, l) in self.labels.iter().enumerate() {
            out.extend(
                self.data
                    .iter()
                    .filter(|d| d.intersects(l))
                    .map(|d| (*l, *d)),
            );
            out.extend(
                self.labels[k + 1..]
                    .iter()
                    .filter(|o| o.intersects(l))
                    .map(|o| (*l, *o)),
            );
        }
        out
    }

    /// Hands the final layout to a test capturing it (no-op outside tests).
    pub fn finish(self) {
        #[cfg(test)]
        CAPTURED.with(|c| c.borrow_mut().push(self));
    }
}

#[cfg(test)]
thread_local! {
    /// Layouts of the charts painted on this thread while a test captures them.
    static CAPTURED: std::cell::RefCell<Vec<Placer>> = const { std::cell::RefCell::new(Vec::new()) };
    /// Set by a test to check that the no-overlap test fails without placement.
    static DISABLED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

#[cfg(test)]
fn placement_disabled() -> bool {
    DISABLED.with(std::cell::Cell::get)
}

#[cfg(not(test))]
fn placement_disabled() -> bool {
    false
}

/// Runs `f` and returns the layouts of the charts it painted on this thread; with `disable`,
/// every label takes its first candidate (placement off).
#[cfg(test)]
pub(crate) fn capture<T>(disable: bool, f: impl FnOnce() -> T) -> (T, Vec<Placer>) {
    CAPTURED.with(|c| c.borrow_mut().clear());
    DISABLED.with(|d| d.set(disable));
    let out = f();
    DISABLED.with(|d| d.set(false));
    let got = CAPTURED.with(|c| std::mem::take(&mut *c.borrow_mut()));
    (out, got)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_skips_candidates_over_data_and_over_earlier_labels() {
        let mut p = Placer::new(Rect::span((0, 0), (100, 100)));
        p.add_data([Rect::span((0, 50), (100, 100))]);
        let over_data = Rect::span((10, 40), (30, 60));
        let free = Rect::span((10, 10), (30, 20));
        assert_eq!(p.place([over_data, free]), Some(free));
        // The same free spot is now taken by the first label.
        let outside = Rect::span((90, 10), (120, 20));
        assert_eq!(p.place([free, outside]), None);
        assert!(p.collisions().is_empty());
        // Touching edges are not an overlap.
        assert!(!Rect::span((0, 0), (10, 10)).intersects(&Rect::span((10, 0), (20, 10))));
    }

    #[test]
    fn the_grid_fallback_finds_the_free_spot_nearest_the_wish() {
        let mut p = Placer::new(Rect::span((0, 0), (200, 100)));
        p.add_data([Rect::span((0, 0), (150, 100))]);
        let r = p
            .place(p.grid_near((0, 50), 40, 20))
            .expect("room on the right");
        assert!(r.x0 >= 150, "{r:?}");
    }
}
