//! Benchmark: the time to build every guide of the shipped toolkit (the whole `build`
//! batch), the time of one warm compile of the largest guide, and the share of the build
//! the web edition takes, with the size of each of its pages.
//!
//! Run with `cargo bench --bench build_guides`. Prints medians over several runs.

use std::path::PathBuf;
use std::time::Instant;

use toolkit::build::{BuildOptions, run_build};
use toolkit::jobs::guide::guide_job;
use toolkit::project::{Project, ProjectOptions};

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let project_options = ProjectOptions::at(&root);
    let out = tempfile::tempdir().expect("temporary folder");
    // Every run a cold build: nothing taken from the previous run's files (see the
    // build_incremental bench for rebuilds).
    let options = BuildOptions {
        out: out.path().to_path_buf(),
        answers: None,
        reuse: false,
    };

    let runs = 7;
    let mut builds = Vec::new();
    let mut files = 0;
    for _ in 0..runs {
        let start = Instant::now();
        // The whole build, as `toolkit build` runs it: open the project, then build.
        let project = Project::open(&project_options).expect("the shipped sources open");
        let report = run_build(&project, &options).expect("the shipped sources build");
        builds.push(start.elapsed().as_secs_f64());
        files = report.written.len();
    }

    let project = Project::open(&project_options).expect("the shipped sources open");
    let Project {
        site,
        questionnaires,
        typesetter,
        ..
    } = &project;
    let date = project.date;
    let editions = site.editions();
    let jobs: Vec<_> = editions
        .iter()
        .map(|e| guide_job(site, e, questionnaires, date, project.paper))
        .collect();
    let (largest, _) = jobs
        .iter()
        .enumerate()
        .max_by_key(|(_, job)| job.markup_text().len())
        .expect("at least one guide");
    let job = &jobs[largest];
    typesetter.compile(job).expect("warm-up compile");
    let mut warm = Vec::new();
    let mut cold = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        typesetter.compile(job).expect("compile");
        warm.push(start.elapsed().as_secs_f64());
        typst::comemo::evict(0);
        let start = Instant::now();
        typesetter.compile(job).expect("compile");
        cold.push(start.elapsed().as_secs_f64());
        typst::comemo::evict(0);
    }
    let pdf = typesetter.compile(job).expect("compile").pdf;
    println!(
        "whole build ({files} files, {} guide editions): median {:.3} s over {runs} runs",
        editions.len(),
        median(builds.clone())
    );
    println!(
        "one compile of {} ({} KB PDF): warm {:.1} ms, after cache eviction {:.1} ms",
        editions[largest].output,
        pdf.len() / 1024,
        median(warm) * 1000.0,
        median(cold) * 1000.0
    );
    report_site(&project, median(builds), runs);
}

/// Prints the web edition's render and pack time against the rest of the build, and the
/// size of each page, script and stylesheet.
fn report_site(project: &Project, whole: f64, runs: usize) {
    let (site, questionnaires, templates) =
        (&project.site, &project.questionnaires, &project.templates);
    let mut site_runs = Vec::new();
    let mut site_files = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        site_files =
            toolkit::site::build_site(site, questionnaires, &project.working_templates, templates)
                .expect("site");
        site_runs.push(start.elapsed().as_secs_f64());
    }
    // Packing the site into the bundle is part of its cost too.
    let mut pack_runs = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        toolkit::bundle::build_bundle(
            site_files.clone(),
            "bench",
            "bench",
            "1",
            project.date,
            None,
        )
        .expect("bundle");
        pack_runs.push(start.elapsed().as_secs_f64());
    }
    let site_time = median(site_runs) + median(pack_runs);
    println!(
        "web edition ({} files, {} KB): median {:.3} s to render and pack; it adds {:.1} % to the rest of the build ({:.3} s)",
        site_files.len(),
        site_files.iter().map(|(_, b)| b.len()).sum::<usize>() / 1024,
        site_time,
        100.0 * site_time / (whole - site_time),
        whole - site_time
    );
    for (path, bytes) in site_files
        .iter()
        .filter(|(p, _)| p.ends_with(".html") || p.ends_with(".js") || p.ends_with(".css"))
    {
        println!("  {path}: {:.1} KB", bytes.len() as f64 / 1024.0);
    }
}
