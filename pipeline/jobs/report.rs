//! The typesetting job of a report: the report template's entry function
//! ([`Template::REPORT`] or [`Template::GROUP`]) applied to the report's JSON data
//! (`/data.json`), built by `crate::report`. Respondents' text reaches Typst only inside
//! that data.

use serde::Serialize;

use crate::typeset::{Job, Template};

/// The typesetting job of a report: `template`'s entry function applied to `data`.
pub fn report_job(template: Template, data: &impl Serialize, ident: &str) -> Job {
    Job::call(template).data("/data.json", data).ident(ident)
}
