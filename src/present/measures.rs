//! The plan's measures as a text table (`tanfeng explain --measures`): the plan's words in
//! 「」, an English gloss, and whether the model counts them (MODEL.md §3.8).

use crate::scenario::plan_measures::{MeasureStatus, PLAN_MEASURES};

/// One block per measure: section and status, the quote, the gloss, then what carries it or
/// why it is left out; counts by status at the end.
pub fn measures_text() -> String {
    let mut out = String::from(
        "Measures of the plan text (《齐齐哈尔市生态环境保护\"十四五\"规划》) and whether tanfeng counts them\n\n",
    );
    for m in PLAN_MEASURES {
        out.push_str(&format!(
            "{} · {} / {}\n  「{}」\n  {}\n",
            m.section,
            m.status.label_zh(),
            m.status.label_en(),
            m.quote_zh,
            m.gloss_en
        ));
        match m.status {
            MeasureStatus::Modelled { carried_by } => {
                out.push_str(&format!("  counted by: {}\n", carried_by.join(", ")));
            }
            MeasureStatus::NotModelled {
                reason_zh,
                reason_en,
            }
            | MeasureStatus::Memo {
                reason_zh,
                reason_en,
            } => out.push_str(&format!("  {reason_zh} / {reason_en}\n")),
        }
    }
    let count =
        |f: fn(&MeasureStatus) -> bool| PLAN_MEASURES.iter().filter(|m| f(&m.status)).count();
    out.push_str(&format!(
        "\n{} measures: {} modelled, {} not modelled, {} memo\n",
        PLAN_MEASURES.len(),
        count(|s| matches!(s, MeasureStatus::Modelled { .. })),
        count(|s| matches!(s, MeasureStatus::NotModelled { .. })),
        count(|s| matches!(s, MeasureStatus::Memo { .. })),
    ));
    out
}
