//! Font discovery, loading and glyph-coverage checks.
//!
//! System fonts are found with `fontdb` (it reads the font directories and the fonts' own name
//! tables; no fontconfig commands are run). The chosen face is loaded into a [`ChartFont`] that
//! travels with the chart style: no process-wide font registry. A user font file
//! (`--font PATH`) works exactly like a system font, and a missing font is an error, never a
//! silent substitution. For a font collection (.ttc) the first face is used.

use std::path::{Path, PathBuf};

use ab_glyph::{Font, FontArc, FontVec};

use super::ChartError;
use super::style::Lang;

/// Debian package that provides a CJK font suitable for the Chinese charts.
pub const CJK_FONT_PACKAGE: &str = "fonts-wqy-microhei";

/// CJK families in order of preference.
pub const CJK_PREFERENCE: [&str; 9] = [
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "SimHei",
    "Noto Sans SC",
    "Droid Sans Fallback",
];

/// Latin sans-serif families in order of preference (English charts).
pub const LATIN_PREFERENCE: [&str; 6] = [
    "DejaVu Sans",
    "Liberation Sans",
    "Noto Sans",
    "Arial",
    "Helvetica",
    "Open Sans",
];

/// Text every Chinese chart font must cover.
const CJK_PROBE: &str = "碳排放达标万吨";

/// A font file, the face in it and its family name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FontFile {
    /// Family name (written into the SVG).
    pub family: String,
    /// Path of the font file.
    pub path: PathBuf,
    /// Face index in a collection (0 for a plain font file).
    pub index: u32,
}

/// A loaded font for the charts: its family name, file and parsed outlines (shared cheaply
/// between threads and styles).
#[derive(Clone)]
pub struct ChartFont {
    file: FontFile,
    font: FontArc,
}

impl std::fmt::Debug for ChartFont {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChartFont")
            .field("family", &self.file.family)
            .field("path", &self.file.path)
            .finish()
    }
}

impl PartialEq for ChartFont {
    fn eq(&self, other: &Self) -> bool {
        self.file == other.file
    }
}

impl ChartFont {
    /// Reads and parses the face `file` names.
    pub fn load(file: &FontFile) -> Result<Self, ChartError> {
        let err = |reason: String| ChartError::Font {
            path: file.path.clone(),
            reason,
        };
        let bytes = std::fs::read(&file.path).map_err(|e| err(e.to_string()))?;
        let font = FontVec::try_from_vec_and_index(bytes, file.index)
            .map_err(|_| err("not a TrueType/OpenType font".to_string()))?;
        Ok(ChartFont {
            file: file.clone(),
            font: FontArc::new(font),
        })
    }

    /// Loads a user-given font file (`--font PATH`), its family read from the file's name table.
    pub fn from_path(path: &Path) -> Result<Self, ChartError> {
        let err = |reason: &str| ChartError::Font {
            path: path.to_path_buf(),
            reason: reason.to_string(),
        };
        if !path.is_file() {
            return Err(err("no such font file"));
        }
        let mut db = fontdb::Database::new();
        db.load_font_file(path)
            .map_err(|e| err(&format!("cannot read: {e}")))?;
        let face = db
            .faces()
            .min_by_key(|f| f.index)
            .ok_or_else(|| err("not a TrueType/OpenType font"))?;
        let family = face
            .families
            .first()
            .map(|(name, _)| name.clone())
            .or_else(|| path.file_stem().map(|s| s.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "user-font".to_string());
        Self::load(&FontFile {
            family,
            path: path.to_path_buf(),
            index: face.index,
        })
    }

    /// Family name (written into SVG text elements).
    pub fn family(&self) -> &str {
        &self.file.family
    }

    /// The file and face this font was loaded from.
    pub fn file(&self) -> &FontFile {
        &self.file
    }

    /// The parsed font.
    pub(crate) fn outlines(&self) -> &FontArc {
        &self.font
    }

    /// Characters of `text` this font has no glyph for (they would render as .notdef "tofu"):
    /// each non-whitespace character looked up in the character map (glyph id 0 = .notdef,
    /// OpenType `cmap` semantics).
    pub fn missing_glyphs(&self, text: &str) -> Vec<char> {
        let mut missing: Vec<char> = text
            .chars()
            .filter(|c| !c.is_whitespace() && !c.is_control())
            .filter(|c| self.font.glyph_id(*c).0 == 0)
            .collect();
        missing.sort_unstable();
        missing.dedup();
        missing
    }

    /// Whether the font covers the Chinese chart text.
    pub fn covers_cjk(&self) -> bool {
        self.missing_glyphs(CJK_PROBE).is_empty()
    }
}

/// The system's fonts (the usual font directories, scanned by fontdb).
fn system_fonts() -> fontdb::Database {
    let mut db = fontdb::Database::new();
    db.load_system_fonts();
    db
}

/// The regular face of `family` in `db`, if installed.
fn regular_face(db: &fontdb::Database, family: &str) -> Option<FontFile> {
    let id = db.query(&fontdb::Query {
        families: &[fontdb::Family::Name(family)],
        ..Default::default()
    })?;
    let face = db.face(id)?;
    // fontdb matches names case-insensitively and may fall back within a family; insist on it.
    if !face
        .families
        .iter()
        .any(|(f, _)| f.eq_ignore_ascii_case(family))
    {
        return None;
    }
    match &face.source {
        fontdb::Source::File(path) => Some(FontFile {
            family: family.to_string(),
            path: path.clone(),
            index: face.index,
        }),
        _ => None,
    }
}

/// Finds the preferred installed CJK font ([`CJK_PREFERENCE`], then any face with a Chinese
/// family name).
pub fn find_cjk_font_file() -> Option<FontFile> {
    let db = system_fonts();
    if let Some(f) = CJK_PREFERENCE.iter().find_map(|f| regular_face(&db, f)) {
        return Some(f);
    }
    let chinese = |l: &fontdb::Language| format!("{l:?}").starts_with("Chinese");
    db.faces()
        .filter(|f| f.index == 0 && f.families.iter().any(|(_, l)| chinese(l)))
        .find_map(|f| match &f.source {
            fontdb::Source::File(path) => Some(FontFile {
                family: f.families.first()?.0.clone(),
                path: path.clone(),
                index: 0,
            }),
            _ => None,
        })
}

/// Family name of the preferred installed CJK font (Noto Sans CJK SC, Source Han Sans,
/// WenQuanYi Micro Hei / Zen Hei, Microsoft YaHei, SimHei, …), or `None`.
pub fn find_cjk_font() -> Option<String> {
    find_cjk_font_file().map(|f| f.family)
}

/// Finds a Latin sans-serif font file for English charts ([`LATIN_PREFERENCE`]).
pub fn find_latin_font_file() -> Option<FontFile> {
    let db = system_fonts();
    LATIN_PREFERENCE.iter().find_map(|f| regular_face(&db, f))
}

/// Outcome of choosing fonts for a run.
#[derive(Debug, Clone, PartialEq)]
pub struct FontSetup {
    /// Language the charts will actually be written in.
    pub lang: Lang,
    /// The font to use as [`super::ChartStyle::font`].
    pub font: ChartFont,
    /// One warning to print, when Chinese was asked for but could not be honoured.
    pub warning: Option<String>,
}

/// Decides the chart language: Chinese needs a CJK font; without one the English set is
/// written and the returned warning (naming the Debian package) should be printed once.
pub fn language_decision(requested: Lang, cjk_available: bool) -> (Lang, Option<String>) {
    match (requested, cjk_available) {
        (Lang::Zh, false) => (
            Lang::En,
            Some(format!(
                "warning: no CJK font found, writing English charts instead; install one \
                 (Debian/Ubuntu: apt-get install {CJK_FONT_PACKAGE}) or pass --font PATH"
            )),
        ),
        (lang, _) => (lang, None),
    }
}

/// Chooses and loads the font for `requested`: a user font file if given (used for both
/// languages; Chinese requires it to cover CJK), else a system CJK font for Chinese, else a
/// Latin sans-serif (the CJK font also serves English when no Latin one is found).
pub fn setup_fonts(requested: Lang, user_font: Option<&Path>) -> Result<FontSetup, ChartError> {
    if let Some(path) = user_font {
        let font = ChartFont::from_path(path)?;
        let (lang, warning) = language_decision(requested, font.covers_cjk());
        return Ok(FontSetup {
            lang,
            font,
            warning,
        });
    }
    let cjk = match requested {
        Lang::Zh => match find_cjk_font_file() {
            Some(f) => Some(ChartFont::load(&f)?).filter(ChartFont::covers_cjk),
            None => None,
        },
        Lang::En => None,
    };
    let (lang, warning) = language_decision(requested, cjk.is_some());
    if let (Lang::Zh, Some(font)) = (lang, cjk) {
        return Ok(FontSetup {
            lang,
            font,
            warning,
        });
    }
    let latin = find_latin_font_file()
        .or_else(find_cjk_font_file)
        .ok_or_else(|| ChartError::FontNotFound {
            family: "sans-serif".to_string(),
        })?;
    Ok(FontSetup {
        lang,
        font: ChartFont::load(&latin)?,
        warning,
    })
}

/// Whether the tests must fail rather than skip when a font they need is missing: on CI
/// (`CI` set to anything but empty, "0" or "false"), where `.ci/run` installs
/// [`CJK_FONT_PACKAGE`].
pub fn fonts_required() -> bool {
    std::env::var("CI")
        .map(|v| !matches!(v.trim().to_ascii_lowercase().as_str(), "" | "0" | "false"))
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_decision_names_the_package() {
        let (lang, w) = language_decision(Lang::Zh, false);
        assert_eq!(lang, Lang::En);
        assert!(w.unwrap_or_default().contains("fonts-wqy-microhei"));
        assert_eq!(language_decision(Lang::Zh, true), (Lang::Zh, None));
        assert_eq!(language_decision(Lang::En, false), (Lang::En, None));
    }

    #[test]
    fn bad_and_missing_font_files_are_errors() {
        let Ok(dir) = tempfile::tempdir() else {
            panic!("no temporary directory");
        };
        let p = dir.path().join("bad.ttf");
        assert!(std::fs::write(&p, b"not a font").is_ok());
        assert!(matches!(
            ChartFont::from_path(&p),
            Err(ChartError::Font { .. })
        ));
        assert!(matches!(
            ChartFont::from_path(&dir.path().join("none.ttf")),
            Err(ChartError::Font { .. })
        ));
        let file = FontFile {
            family: "Bad".into(),
            path: p,
            index: 0,
        };
        assert!(matches!(
            ChartFont::load(&file),
            Err(ChartError::Font { .. })
        ));
    }

    #[test]
    fn system_fonts_are_found_by_family_and_loaded() {
        let Some(latin) = find_latin_font_file() else {
            assert!(!fonts_required(), "CI=true but no Latin sans-serif font");
            println!("SKIPPED: no Latin font");
            return;
        };
        assert!(LATIN_PREFERENCE.contains(&latin.family.as_str()));
        let font = ChartFont::load(&latin);
        assert!(font.is_ok(), "{font:?}");
        if let Ok(font) = font {
            assert_eq!(font.family(), latin.family);
            assert!(font.missing_glyphs("Year 2025 (%)").is_empty());
            // The same file read back by name gives the same family.
            let again = ChartFont::from_path(&latin.path).map(|f| f.family().to_string());
            assert_eq!(again.ok().as_deref(), Some(latin.family.as_str()));
        }
    }
}
