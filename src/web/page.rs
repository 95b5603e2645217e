//! The workbench page: one HTML file with its CSS and JS inline (no framework, no external
//! URL, works offline). Levers, groups and names come from `/api/levers`; the page only draws.

/// The page.
pub const PAGE: &str = include_str!("page.html");

#[cfg(test)]
mod tests {
    #[test]
    fn the_page_loads_nothing_from_outside() {
        for bad in ["http://", "https://", "//cdn", "@import"] {
            assert!(!super::PAGE.contains(bad), "page contains {bad}");
        }
    }
}
