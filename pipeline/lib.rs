//! The publishing pipeline of the Responsible AI Toolkit for law enforcement.
//!
//! `content` reads the toolkit manifest and the Markdown documents under `sources/`,
//! checks them (front matter, tailoring tags, images, links) and turns each edition into
//! escaped Typst markup; `typeset` compiles that markup with the templates in process,
//! with fonts and templates loaded once and a compile pool of OS threads; `build` runs
//! the whole batch and `bundle` packs it with SHA-256 checksums. `questionnaire` owns the
//! question model (definitions, workbooks, CSV templates, printable questionnaires);
//! `answers` reads returned answers, `scoring` applies the published method, `report`
//! and `summary` shape the results, and `batch` drives a scoring run. `cli` is the only
//! module that knows about arguments and exit codes.

pub mod answers;
pub mod batch;
pub mod build;
pub mod bundle;
pub mod cli;
pub mod content;
pub mod guides;
pub mod output;
pub mod problem;
pub mod questionnaire;
pub mod report;
pub mod scoring;
pub mod site;
pub mod summary;
pub mod synthetic;
pub mod typeset;
