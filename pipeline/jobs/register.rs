//! The typesetting job of a printable working template (`templates/register.typ`): a
//! register as a landscape table of blank ruled rows, a form as labelled writing lines
//! and tick boxes. The checked model (`crate::register`) is handed over as JSON.

use super::DocumentMeta;
use crate::content::manifest::{Manifest, Paper};
use crate::date::Date;
use crate::register::WorkingTemplate;
use crate::typeset::{Job, Template};

/// The typesetting job of one working template's printable PDF, written to `output`.
pub fn working_template_job(
    t: &WorkingTemplate,
    manifest: &Manifest,
    date: Date,
    paper: Paper,
    output: &str,
) -> Job {
    let meta = DocumentMeta {
        title: t.title.clone(),
        short_title: t.title.clone(),
        summary: (!t.description.is_empty()).then(|| t.description.clone()),
        ..DocumentMeta::new(manifest, date, paper)
    };
    Job::call(Template::WORKING_TEMPLATE)
        .data("/meta.json", &meta)
        .data("/template.json", t)
        .origin(&t.file)
        .ident(format!("{}/{output}", manifest.id.get_ref()))
}
