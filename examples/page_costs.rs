//! Where a build's time goes: loads and resolves a dossier, then renders every page on
//! the calling thread (nothing is written) and prints the time per kind of page, the
//! best of several runs. Run it on one thread for a profile that adds up:
//!
//! ```sh
//! cargo run --release --example corpus -- 10000 /dev/shm/c10k
//! RAYON_NUM_THREADS=1 cargo run --release --example page_costs -- /dev/shm/c10k 3
//! ```

use std::collections::BTreeMap;
use std::time::Instant;

use dossier::render::Renderer;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(root) = args.next() else {
        eprintln!("usage: page_costs SITE [RUNS]");
        std::process::exit(2);
    };
    let runs: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(3);
    let root = std::path::PathBuf::from(root);
    let mut best: BTreeMap<String, f64> = BTreeMap::new();
    let mut keep = |name: &str, seconds: f64| {
        let b = best.entry(name.to_string()).or_insert(f64::MAX);
        *b = b.min(seconds);
    };
    for _ in 0..runs {
        let diags = dossier::base::diagnostics::Diagnostics::default();
        let started = Instant::now();
        let Some(site) = dossier::build::load_sites(&root, &Default::default(), &diags, None)
            .and_then(|sites| sites.into_iter().next())
        else {
            eprintln!("the site cannot be loaded: run `dossier check` on it");
            std::process::exit(1);
        };
        keep("load and resolve", started.elapsed().as_secs_f64());
        let renderer = Renderer::new(&site.dossier, &site.theme, &site.settings);
        let started = Instant::now();
        renderer.prepare_lists();
        keep("list views", started.elapsed().as_secs_f64());
        let mut kinds: BTreeMap<String, f64> = BTreeMap::new();
        for page in dossier::resolve::pages::all_pages(&site.dossier) {
            let started = Instant::now();
            if let Err(d) = renderer.render(page) {
                eprintln!("{d:?}");
                std::process::exit(1);
            }
            let name = page.spec().name.to_string();
            *kinds.entry(name).or_default() += started.elapsed().as_secs_f64();
        }
        for (name, seconds) in kinds {
            keep(&format!("pages: {name}"), seconds);
        }
    }
    let total: f64 = best.values().sum();
    for (name, seconds) in &best {
        println!("{name:24} {seconds:8.3} s {:5.1}%", 100.0 * seconds / total);
    }
    println!("{:24} {total:8.3} s", "total");
}
