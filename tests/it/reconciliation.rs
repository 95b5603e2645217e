//! Base-year energy reconciliation by carrier (MODEL.md §5 step 1) through the engine's draws of
//! every shipped scenario: the base year's coal, oil and gas equal the reconciled statistics in
//! every draw, no component falls below its floor or is moved when it has no fuel, and no draw
//! holds every component at its floor.

use tanfeng::model::Model;
use tanfeng::model::reconcile::{CARRIER_IDS, COMPONENT_IDS, FLOOR_SHARE, N_CARRIERS};
use tanfeng::scenario::load_embedded;
use tanfeng::uncertainty::Sampler;

const SHIPPED: [&str; 5] = ["reference", "plan", "accelerated", "delayed", "peak-2030"];
const SEED: u64 = 20_220_509;
const DRAWS: usize = 2000;

#[test]
fn base_year_carriers_equal_the_reconciled_statistics_in_every_draw() {
    for id in SHIPPED {
        let s = load_embedded(id).unwrap_or_else(|e| panic!("{id}: {e}"));
        let sampler = Sampler::new(&s).expect("samples");
        let model = Model::new(&s).expect("builds");
        let np = sampler.n_params();
        let mut params = vec![0.0; DRAWS * np];
        sampler.sample_block(SEED, 0, DRAWS, &mut params);
        let mut ws = model.workspace();
        let mut moved = [false; N_CARRIERS];
        for (d, draw) in params.chunks_exact(np).enumerate() {
            model.simulate_into(draw, &mut ws);
            let (b, r) = (&ws.trajectory.years[0], &ws.trajectory.reconciled);
            assert!(!r.all_held.iter().any(|&h| h), "{id} draw {d}: all held");
            for c in 0..N_CARRIERS {
                let (got, want) = (b.energy_by_carrier_tce[c], r.fuel_statistic_tce[c]);
                assert!(
                    (got - want).abs() <= 1e-9 * want.abs(),
                    "{id} draw {d}: {} {got} vs reconciled {want}",
                    CARRIER_IDS[c]
                );
                for (k, comp) in COMPONENT_IDS.into_iter().enumerate() {
                    let f = r.fuel_factor.0[k][c];
                    assert!(
                        f >= FLOOR_SHARE * (1.0 - 1e-12),
                        "{id} draw {d}: {} {comp} factor {f}",
                        CARRIER_IDS[c]
                    );
                    if r.fuel_before_tce[c][k] == 0.0 {
                        assert_eq!(f, 1.0, "{id}: {} {comp}", CARRIER_IDS[c]);
                    } else {
                        moved[c] |= f != 1.0;
                    }
                }
            }
        }
        assert_eq!(
            moved, [true; N_CARRIERS],
            "{id}: the balance moves components"
        );
    }
}
