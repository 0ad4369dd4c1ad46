//! The typesetting job of a primer: metadata and the primer's data (labels, chosen blocks
//! as the project's own escaped markup, links) go to the template as JSON.

use super::DocumentMeta;
use crate::content::manifest::Paper;
use crate::content::{Primer, Site};
use crate::date::Date;
use crate::typeset::{Job, Template};

/// Builds the typesetting job of a primer: the metadata (`/meta.json`) and the primer's
/// body (`/primer.json`) go to the guide template's `primer` function as data.
pub fn primer_job(site: &Site, primer: &Primer, date: Date, paper: Paper) -> Job {
    let manifest = &site.manifest;
    let meta = DocumentMeta {
        title: primer.title.clone(),
        subtitle: Some(primer.subtitle.clone()),
        short_title: site.words.fill(
            "primer.short-title",
            &[("role", &primer.data.role), ("stage", &primer.data.stage)],
        ),
        summary: None,
        resource: Some(7),
        edition_label: None,
        ..DocumentMeta::new((manifest, &site.words), date, paper)
    };
    Job::call(Template::PRIMER)
        .data("/meta.json", &meta)
        .data("/primer.json", &primer.data)
        .origin(format!("primer {}", primer.output))
        .ident(format!("{}/{}", manifest.id.get_ref(), primer.output))
}
