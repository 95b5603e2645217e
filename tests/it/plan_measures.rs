//! The plan's measures table (`explain --measures`, MODEL.md §3.8): what it claims the model
//! counts exists in the shipped plan, and the command prints every quote in 「」.

use assert_cmd::Command;
use tanfeng::model::Model;
use tanfeng::scenario::load_embedded;
use tanfeng::scenario::plan_measures::{MeasureStatus, PLAN_MEASURES, left_out};

/// Every id a modelled measure names is a measure of the plan model (or a prefix of one) or
/// an input of the plan scenario (or a prefix of inputs).
#[test]
fn modelled_measures_name_what_the_plan_model_has() {
    let plan = load_embedded("plan").expect("plan loads");
    let model = Model::new(&plan).expect("plan builds");
    let ids: Vec<&str> = model.measures().iter().map(|m| m.id.as_str()).collect();
    let mut n = 0;
    for m in PLAN_MEASURES {
        if let MeasureStatus::Modelled { carried_by } = m.status {
            assert!(!carried_by.is_empty(), "「{}」 names nothing", m.quote_zh);
            for c in carried_by {
                let is_measure = ids.iter().any(|id| id.starts_with(c));
                let is_input = plan.names_with_prefix(c).next().is_some();
                assert!(
                    is_measure || is_input,
                    "「{}」 is said to be counted by '{c}', which the plan model does not have",
                    m.quote_zh
                );
                n += 1;
            }
        }
    }
    assert!(n > 20, "only {n} links checked");
}

#[test]
fn explain_measures_prints_every_quote_with_its_status() {
    let out = Command::cargo_bin("tanfeng")
        .expect("binary")
        .args(["explain", "plan", "--measures"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf-8");
    for m in PLAN_MEASURES {
        assert!(
            text.contains(&format!("「{}」", m.quote_zh)),
            "missing 「{}」",
            m.quote_zh
        );
    }
    for m in left_out() {
        let line = text
            .lines()
            .skip_while(|l| !l.contains(m.quote_zh))
            .nth(2)
            .unwrap_or_default();
        if let MeasureStatus::NotModelled { reason_en, .. }
        | MeasureStatus::Memo { reason_en, .. } = m.status
        {
            assert!(
                line.contains(reason_en),
                "reason of 「{}」 not printed: {line}",
                m.quote_zh
            );
        }
    }
    assert!(text.contains("not modelled"), "{text}");
    let bad = Command::cargo_bin("tanfeng")
        .expect("binary")
        .args(["explain", "no-such-scenario", "--measures"])
        .output()
        .expect("runs");
    assert_eq!(bad.status.code(), Some(1));
}
