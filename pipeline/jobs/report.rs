//! The typesetting job of a report: the report template's entry function applied to the
//! report's JSON data (`/data.json`), built by `crate::report`. Respondents' text reaches
//! Typst only inside that data.

use crate::typeset::Job;

/// Template of per-response reports.
pub const REPORT_TEMPLATE: &str = "/templates/report.typ";
/// Template of per-group reports.
pub const GROUP_TEMPLATE: &str = "/templates/group.typ";

/// The typesetting job of a report: `template`'s function `call` applied to JSON `data`.
pub fn report_job(template: &str, call: &str, data: Vec<u8>, ident: &str) -> Job {
    Job {
        origin: ident.to_owned(),
        main: format!("#import \"{template}\": {call}\n#{call}(json(\"/data.json\"))\n"),
        files: vec![("/data.json".to_owned(), data)],
        ident: ident.to_owned(),
    }
}
