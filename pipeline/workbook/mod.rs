//! The fillable questionnaire workbook (.xlsx), written with rust_xlsxwriter from the
//! question model, with live scores that follow the published method.
//!
//! Sheets: `Instructions`; `Respondent` (labels in column A, inputs in column B, and a
//! `System` row in risk workbooks); `Questions` (`ID`, `Dimension`, `Question`, `Guidance`,
//! `Answer`, a dropdown on every answer cell and the guidance as its input message; a
//! question that does not apply to the role, stage or earlier answers greys out);
//! `Score` (live formulas that follow the published method, method 2 included: relevance,
//! screening unknowns, rules, flags once per id, the verdict); and two hidden sheets, `Lists` (dropdown values) and `Metadata`
//! (questionnaire id, version, definition checksum, tailoring). Every sheet is protected
//! without a password and only the input cells are unlocked: it guides, it does not secure.
//!
//! **Multiple-choice questions** take one row per option under the question row: the
//! option row's ID is `<question id>/<option value>` and its answer is `Yes` when the option
//! applies. Readers also accept the options joined with `;` in the question row's answer.
//!
//! [`layout`] holds everything the writer and the answer reader (`answers::sheet`) must
//! agree on; [`formulas`] and [`conditions`] build the live formulas as pure functions
//! (`conditions` those that read answers: relevance, rules, screening); `raisings` lists
//! every raising of a flag in the order the scorer clamps; `notes` says in words when a
//! question applies; the writer fills one sheet per function (`writer` for the small
//! sheets, `questions_sheet`, `score_sheet`).
//!
//! [`working`] writes the workbooks of the working templates (registers and forms, see
//! `crate::register`) in the same family style.

pub mod conditions;
pub mod formulas;
pub mod layout;
mod notes;
mod questions_sheet;
mod raisings;
mod score_sheet;
mod styles;
pub mod working;
mod writer;

pub use working::write_working_template;
pub use writer::{Tailoring, write_workbook};
