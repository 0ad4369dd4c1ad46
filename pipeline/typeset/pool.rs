//! The compile pool: a few OS threads with large stacks pulling jobs from a shared counter.
//!
//! Typst parallelises layout on rayon's global pool, so compiles must not run inside a
//! rayon `par_iter` (a waiting worker steals other compiles onto its own stack). Each
//! worker evicts Typst's memo cache after every compile so memory stays flat.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Stack size of a compile thread; deep documents recurse deeply in layout.
const STACK_SIZE: usize = 32 * 1024 * 1024;

/// The number of compile threads to use: one per available core, at least one.
pub fn compile_pool_threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}

/// Runs `work` over every item on `threads` OS threads and returns the results in the
/// items' order. `on_done` is called after each item (for progress).
pub fn run_pool<T, R, F, P>(items: &[T], threads: usize, work: F, on_done: P) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
    P: Fn() + Sync,
{
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    let threads = threads.clamp(1, items.len().max(1));
    std::thread::scope(|scope| {
        for index in 0..threads {
            std::thread::Builder::new()
                .name(format!("typeset-{index}"))
                .stack_size(STACK_SIZE)
                .spawn_scoped(scope, || {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        let result = work(item);
                        typst::comemo::evict(0);
                        results.lock().expect("results lock")[i] = Some(result);
                        on_done();
                    }
                })
                .expect("failed to start a compile thread");
        }
    });
    results
        .into_inner()
        .expect("results lock")
        .into_iter()
        .map(|r| r.expect("every item was processed"))
        .collect()
}
