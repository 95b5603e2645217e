//! TEMPORARY STUB of the mergeable accumulators (replaced by the real implementation).
#![allow(missing_docs)]

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Moments {
    n: u64,
    mean: f64,
    m2: f64,
}
impl Moments {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn push(&mut self, x: f64) {
        self.n += 1;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
    }
    pub fn merge(&mut self, o: &Moments) {
        if o.n == 0 {
            return;
        }
        let n = self.n + o.n;
        let d = o.mean - self.mean;
        self.mean += d * o.n as f64 / n as f64;
        self.m2 += o.m2 + d * d * (self.n as f64) * (o.n as f64) / n as f64;
        self.n = n;
    }
    pub fn mean(&self) -> f64 {
        self.mean
    }
    pub fn sd(&self) -> f64 {
        (self.m2 / (self.n.max(2) - 1) as f64).sqrt()
    }
    pub fn count(&self) -> u64 {
        self.n
    }
}
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QuantileSketch {
    v: Vec<f64>,
}
impl QuantileSketch {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn push(&mut self, x: f64) {
        self.v.push(x)
    }
    pub fn merge(&mut self, o: &QuantileSketch) -> Result<(), std::convert::Infallible> {
        self.v.extend_from_slice(&o.v);
        Ok(())
    }
    pub fn quantile(&self, q: f64) -> f64 {
        let mut v = self.v.clone();
        v.sort_by(f64::total_cmp);
        if v.is_empty() {
            return f64::NAN;
        }
        v[((v.len() - 1) as f64 * q).round() as usize]
    }
}
