//! Font discovery, registration and glyph-coverage checks.
//!
//! plotters is built with its `ab_glyph` feature (no fontconfig link): every font is loaded from
//! an explicit file and registered under its family name. That makes a user font file
//! (`--font PATH`) work exactly like a system font and means a missing font is an error, never a
//! silent substitution. System fonts are located with fontconfig's `fc-list` / `fc-match`
//! commands, with a few well-known Debian paths as a fallback. Font bytes are leaked once per
//! file (plotters needs `'static` data); a run registers at most a couple of fonts.
//! For a font collection (.ttc) the first face is used.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::rc::Rc;
use std::sync::{Mutex, OnceLock};

use ab_glyph::{Font, FontRef};
use plotters::style::FontStyle;

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

/// Fallback paths tried when fontconfig's commands are unavailable: (family, path).
const KNOWN_FONT_FILES: [(&str, &str); 5] = [
    (
        "WenQuanYi Micro Hei",
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    ),
    (
        "WenQuanYi Zen Hei",
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    ),
    (
        "Noto Sans CJK SC",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    ),
    (
        "DejaVu Sans",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    ),
    (
        "Liberation Sans",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    ),
];

/// A font file and the family name it is registered under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FontFile {
    /// Family name (used as `ChartStyle::font` and written into the SVG).
    pub family: String,
    /// Path of the font file.
    pub path: PathBuf,
}

type Registry = Mutex<HashMap<String, (PathBuf, FontRef<'static>)>>;

fn registry() -> &'static Registry {
    static R: OnceLock<Registry> = OnceLock::new();
    R.get_or_init(|| Mutex::new(HashMap::new()))
}

thread_local! {
    /// This thread's copies of registered fonts, so drawing a text takes no lock and copies no
    /// font tables. Registrations are never replaced, so a copy stays right; families not
    /// registered yet are not remembered.
    static LOCAL_FONTS: std::cell::RefCell<Vec<(String, Rc<FontRef<'static>>)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// The parsed font registered under `family`, if any, from this thread's copies.
pub(crate) fn local_font(family: &str) -> Option<Rc<FontRef<'static>>> {
    LOCAL_FONTS.with_borrow_mut(|local| {
        if let Some((_, font)) = local.iter().find(|(f, _)| f == family) {
            return Some(Rc::clone(font));
        }
        let font = Rc::new(font_ref(family)?);
        local.push((family.to_string(), Rc::clone(&font)));
        Some(font)
    })
}

/// The parsed font registered under `family`, if any.
pub(crate) fn font_ref(family: &str) -> Option<FontRef<'static>> {
    registry()
        .lock()
        .ok()
        .and_then(|r| r.get(family).map(|(_, f)| f.clone()))
}

fn run(cmd: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(cmd).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Parses `fc-list -f '%{index}\t%{file}\t%{family}\n'` output into (index, file, families).
fn parse_fc_list(out: &str) -> Vec<(u32, PathBuf, Vec<String>)> {
    out.lines()
        .filter_map(|line| {
            let mut parts = line.splitn(3, '\t');
            let index = parts.next()?.trim().parse().ok()?;
            let file = PathBuf::from(parts.next()?.trim());
            let fams = parts
                .next()?
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            Some((index, file, fams))
        })
        .collect()
}

/// Picks the preferred CJK font from fontconfig entries (index-0 faces first).
fn pick_cjk(entries: &[(u32, PathBuf, Vec<String>)]) -> Option<FontFile> {
    for first_face_only in [true, false] {
        for want in CJK_PREFERENCE {
            if let Some((_, file, _)) = entries.iter().find(|(idx, _, fams)| {
                (!first_face_only || *idx == 0) && fams.iter().any(|f| f.eq_ignore_ascii_case(want))
            }) {
                return Some(FontFile {
                    family: want.to_string(),
                    path: file.clone(),
                });
            }
        }
    }
    // Any other CJK face, first family name.
    entries
        .iter()
        .find(|(idx, _, fams)| *idx == 0 && !fams.is_empty())
        .map(|(_, file, fams)| FontFile {
            family: fams[0].clone(),
            path: file.clone(),
        })
}

/// Finds the preferred installed CJK font file (fontconfig `fc-list :lang=zh`, then known paths).
pub fn find_cjk_font_file() -> Option<FontFile> {
    if let Some(out) = run(
        "fc-list",
        &[":lang=zh", "-f", "%{index}\t%{file}\t%{family}\n"],
    ) && let Some(f) = pick_cjk(&parse_fc_list(&out))
    {
        return Some(f);
    }
    KNOWN_FONT_FILES[..3]
        .iter()
        .find(|(_, p)| Path::new(p).is_file())
        .map(|(fam, p)| FontFile {
            family: fam.to_string(),
            path: PathBuf::from(p),
        })
}

/// Family name of the preferred installed CJK font (Noto Sans CJK SC, Source Han Sans,
/// WenQuanYi Micro Hei / Zen Hei, Microsoft YaHei, SimHei, …), or `None`.
pub fn find_cjk_font() -> Option<String> {
    find_cjk_font_file().map(|f| f.family)
}

/// Finds a Latin sans-serif font file for English charts (`fc-match sans-serif`).
pub fn find_latin_font_file() -> Option<FontFile> {
    if let Some(out) = run(
        "fc-match",
        &["-f", "%{file}\t%{family[0]}", "sans-serif:lang=en"],
    ) && let Some((file, fam)) = out.split_once('\t')
        && Path::new(file).is_file()
        && !fam.trim().is_empty()
    {
        return Some(FontFile {
            family: fam.trim().to_string(),
            path: PathBuf::from(file),
        });
    }
    KNOWN_FONT_FILES[3..]
        .iter()
        .find(|(_, p)| Path::new(p).is_file())
        .map(|(fam, p)| FontFile {
            family: fam.to_string(),
            path: PathBuf::from(p),
        })
}

/// Family name fontconfig reports for a font file (`fc-query`), else the file stem.
fn family_of_file(path: &Path) -> String {
    let p = path.to_string_lossy();
    run("fc-query", &["-i", "0", "-f", "%{family[0]}", &p])
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .or_else(|| path.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "user-font".to_string())
}

/// Registers a font under `family` (idempotent per family).
pub fn register_font_as(family: &str, path: &Path) -> Result<(), ChartError> {
    let mut reg = registry().lock().map_err(|_| ChartError::Font {
        path: path.to_path_buf(),
        reason: "font registry lock poisoned".to_string(),
    })?;
    if reg.contains_key(family) {
        return Ok(());
    }
    let bytes = std::fs::read(path).map_err(|e| ChartError::Font {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    let bad = || ChartError::Font {
        path: path.to_path_buf(),
        reason: "not a TrueType/OpenType font".to_string(),
    };
    // Parse before leaking so a bad file costs nothing.
    FontRef::try_from_slice(&bytes).map_err(|_| bad())?;
    let leaked: &'static [u8] = Box::leak(bytes.into_boxed_slice());
    let parsed = FontRef::try_from_slice(leaked).map_err(|_| bad())?;
    plotters::style::register_font(family, FontStyle::Normal, leaked).map_err(|_| bad())?;
    reg.insert(family.to_string(), (path.to_path_buf(), parsed));
    Ok(())
}

/// Registers a user-given font file (`--font PATH`) and returns the family name to put in
/// [`super::ChartStyle::font`].
pub fn register_font_file(path: &Path) -> Result<String, ChartError> {
    if !path.is_file() {
        return Err(ChartError::Font {
            path: path.to_path_buf(),
            reason: "no such font file".to_string(),
        });
    }
    let family = family_of_file(path);
    register_font_as(&family, path)?;
    Ok(family)
}

/// Makes sure `family` is registered, looking it up with fontconfig (`fc-match`) if needed;
/// a lookup that lands on another family is an error, not a substitution.
pub fn ensure_font(family: &str) -> Result<(), ChartError> {
    if registry()
        .lock()
        .map(|r| r.contains_key(family))
        .unwrap_or(false)
    {
        return Ok(());
    }
    let not_found = || ChartError::FontNotFound {
        family: family.to_string(),
    };
    let known = KNOWN_FONT_FILES
        .iter()
        .find(|(f, p)| *f == family && Path::new(p).is_file())
        .map(|(_, p)| PathBuf::from(p));
    let path = match known {
        Some(p) => p,
        None => {
            let out =
                run("fc-match", &["-f", "%{file}\t%{family}", family]).ok_or_else(not_found)?;
            let (file, fams) = out.split_once('\t').ok_or_else(not_found)?;
            if !fams
                .split(',')
                .any(|f| f.trim().eq_ignore_ascii_case(family))
            {
                return Err(not_found());
            }
            PathBuf::from(file)
        }
    };
    register_font_as(family, &path)
}

/// Characters of `text` that `family` has no glyph for (they would render as .notdef "tofu").
///
/// Looks each non-whitespace character up in the font's character map (glyph id 0 = .notdef,
/// OpenType `cmap` semantics). The tests additionally compare rasterised pixels against a
/// font without CJK to prove the rendered glyphs are real.
pub fn missing_glyphs(family: &str, text: &str) -> Result<Vec<char>, ChartError> {
    ensure_font(family)?;
    let font = font_ref(family).ok_or_else(|| ChartError::FontNotFound {
        family: family.to_string(),
    })?;
    let mut seen = HashSet::new();
    Ok(text
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .filter(|c| seen.insert(*c))
        .filter(|c| font.glyph_id(*c).0 == 0)
        .collect())
}

/// Outcome of choosing fonts for a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FontSetup {
    /// Language the charts will actually be written in.
    pub lang: Lang,
    /// Registered family to use as [`super::ChartStyle::font`].
    pub family: String,
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

/// Chooses and registers the font for `requested`: a user font file if given (used for both
/// languages; Chinese requires it to cover CJK), else a system CJK font for Chinese, else a
/// Latin sans-serif (the CJK font also serves English when no Latin one is found).
pub fn setup_fonts(requested: Lang, user_font: Option<&Path>) -> Result<FontSetup, ChartError> {
    if let Some(path) = user_font {
        let family = register_font_file(path)?;
        let cjk = missing_glyphs(&family, "碳排放达标万吨")?.is_empty();
        let (lang, warning) = language_decision(requested, cjk);
        return Ok(FontSetup {
            lang,
            family,
            warning,
        });
    }
    let cjk = if requested == Lang::Zh {
        match find_cjk_font_file() {
            Some(f) => {
                register_font_as(&f.family, &f.path)?;
                missing_glyphs(&f.family, "碳排放达标万吨")?
                    .is_empty()
                    .then_some(f.family)
            }
            None => None,
        }
    } else {
        None
    };
    let (lang, warning) = language_decision(requested, cjk.is_some());
    if let (Lang::Zh, Some(family)) = (lang, cjk) {
        return Ok(FontSetup {
            lang,
            family,
            warning,
        });
    }
    let latin = find_latin_font_file()
        .or_else(find_cjk_font_file)
        .ok_or_else(|| ChartError::FontNotFound {
            family: "sans-serif".to_string(),
        })?;
    register_font_as(&latin.family, &latin.path)?;
    Ok(FontSetup {
        lang,
        family: latin.family,
        warning,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fc_list_parsing_prefers_listed_families_and_first_faces() {
        let out = "2\t/f/noto.ttc\tNoto Sans CJK SC,Noto Sans CJK SC Regular\n\
                   0\t/f/noto.ttc\tNoto Sans CJK JP\n\
                   0\t/f/wqy.ttc\tWenQuanYi Micro Hei,文泉驿微米黑\n";
        let e = parse_fc_list(out);
        assert_eq!(e.len(), 3);
        let f = pick_cjk(&e);
        assert_eq!(
            f,
            Some(FontFile {
                family: "WenQuanYi Micro Hei".into(),
                path: "/f/wqy.ttc".into()
            })
        );
        let only_noto = parse_fc_list("2\t/f/noto.ttc\tNoto Sans CJK SC\n");
        assert_eq!(
            pick_cjk(&only_noto).map(|f| f.family),
            Some("Noto Sans CJK SC".into())
        );
        assert_eq!(pick_cjk(&[]), None);
    }

    #[test]
    fn language_decision_names_the_package() {
        let (lang, w) = language_decision(Lang::Zh, false);
        assert_eq!(lang, Lang::En);
        assert!(w.unwrap_or_default().contains("fonts-wqy-microhei"));
        assert_eq!(language_decision(Lang::Zh, true), (Lang::Zh, None));
        assert_eq!(language_decision(Lang::En, false), (Lang::En, None));
    }

    #[test]
    fn unknown_family_and_bad_file_are_errors() {
        assert!(matches!(
            ensure_font("No Such Family 12345"),
            Err(ChartError::FontNotFound { .. })
        ));
        let dir = tempfile::tempdir().ok();
        if let Some(dir) = dir {
            let p = dir.path().join("bad.ttf");
            assert!(std::fs::write(&p, b"not a font").is_ok());
            assert!(matches!(
                register_font_file(&p),
                Err(ChartError::Font { .. })
            ));
            assert!(matches!(
                register_font_file(&dir.path().join("none.ttf")),
                Err(ChartError::Font { .. })
            ));
        }
    }
}
