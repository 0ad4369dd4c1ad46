//! The publishing pipeline of the Responsible AI Toolkit for law enforcement.
//!
//! Every command starts from [`project`]: `Sources::load` reads and checks the manifest,
//! the Markdown documents ([`content`]), the questionnaire definitions
//! ([`questionnaire`]) and the working templates' definitions ([`register`]); [`i18n`]
//! holds their translation catalogues (gettext PO files, `toolkit translate`);
//! `Project::open` adds the document [`date`], the paper and the
//! [`typeset`]ter (fonts and templates loaded once). [`build`] then runs the batch as named
//! stages: [`jobs`] turns guide editions, primers, printable questionnaires and printable
//! working templates into typesetting jobs, [`workbook`] writes the fillable workbooks
//! (questionnaires and working templates), the compile pool typesets, [`site`] renders
//! the offline web edition from the same sources and question model, and [`bundle`] packs
//! everything with SHA-256 checksums. [`batch`] drives a
//! scoring run: [`answers`] reads and validates returned answers, [`scoring`] applies the
//! published method (pure functions), [`report`] shapes each report's data for
//! [`jobs::report`], [`summary`] writes the tables, and [`transaction`] makes the output
//! folder change in one step. [`cli`] is the only module that knows about arguments and
//! exit codes. Lower modules never import higher ones, in this order from the bottom:
//! `problem`, `date`, `layout`, `output`, `output_mark`, `typeset`, `content`, `questionnaire`, `register`, `i18n`, `scoring`,
//! `workbook`, `answers`, `report`, `jobs`, `summary`, `bundle`, `transaction`, `site`, `project`,
//! `batch`, `build_record`, `build`, `cli`.

pub mod answers;
pub mod batch;
pub mod build;
pub mod build_record;
pub mod bundle;
pub mod cli;
pub mod content;
pub mod date;
pub mod i18n;
pub mod jobs;
pub mod language;
pub mod layout;
pub mod output;
pub mod output_mark;
pub mod problem;
pub mod project;
pub mod questionnaire;
pub mod register;
pub mod report;
pub mod scoring;
pub mod site;
pub mod summary;
pub mod synthetic;
pub mod transaction;
pub mod typeset;
pub mod words;
pub mod workbook;
