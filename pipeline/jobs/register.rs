//! The typesetting job of a printable working template (`templates/register.typ`): a
//! register as one entry per page or a landscape table, a form as labelled boxes section
//! by section; the blank copy with its prefilled records, or the worked example filled
//! in. The checked model (`crate::register`) and the fixed words are handed over as JSON.

use serde::Serialize;

use super::DocumentMeta;
use crate::content::Site;
use crate::content::manifest::Paper;
use crate::date::Date;
use crate::register::{Variant, WorkingTemplate};
use crate::typeset::{Job, Template};
use crate::words::Words;

/// What the template prints besides the definition: which copy, and its fixed words.
#[derive(Debug, Serialize)]
struct PrintData<'a> {
    /// The blank copy or the worked example.
    variant: Variant,
    /// The fixed words, in the site's language.
    words: &'a Words,
}

/// The typesetting job of one variant of a working template's printable PDF, written to
/// `output`.
pub fn working_template_job(
    t: &WorkingTemplate,
    site: &Site,
    variant: Variant,
    (date, paper): (Date, Paper),
    output: &str,
) -> Job {
    let manifest = &site.manifest;
    let title = match variant {
        Variant::Blank => t.title.clone(),
        Variant::Example => site
            .words
            .fill("register.example-title", &[("title", &t.title)]),
    };
    let meta = DocumentMeta {
        title: title.clone(),
        short_title: title,
        summary: (!t.description.is_empty()).then(|| t.description.clone()),
        ..DocumentMeta::new((manifest, &site.words), date, paper)
    };
    let print = PrintData {
        variant,
        words: &site.words,
    };
    Job::call(Template::WORKING_TEMPLATE)
        .data("/meta.json", &meta)
        .data("/template.json", t)
        .data("/print.json", &print)
        .origin(&t.file)
        .ident(format!("{}/{output}", manifest.id.get_ref()))
}
