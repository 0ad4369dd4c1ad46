//! The typesetting job of a guide edition: the document's metadata goes to the template as
//! JSON data (`/meta.json`), its body as generated, escaped markup. A companion guide also
//! gets its questionnaire's questions, from the definition, as `/questionnaire.json`.

use super::DocumentMeta;
use super::questionnaire::QuestionnaireData;
use crate::content::manifest::Paper;
use crate::content::{Edition, Site};
use crate::date::Date;
use crate::questionnaire::{Questionnaire, latest_version};
use crate::typeset::{Job, Template};

/// Builds the typesetting job of a guide edition. A companion guide gets its
/// questionnaire's questions, from the definition, in an appendix (the sources were
/// checked when they loaded: the questionnaire exists and every link resolves, so making
/// the job cannot fail).
pub fn guide_job(
    site: &Site,
    edition: &Edition,
    questionnaires: &[Questionnaire],
    date: Date,
    paper: Paper,
) -> Job {
    let doc = &site.documents[edition.doc];
    let body = site.render(edition);
    let manifest = &site.manifest;
    let meta = DocumentMeta {
        title: doc.front.title.clone(),
        subtitle: doc.front.subtitle.clone(),
        short_title: doc.short_title().to_owned(),
        summary: doc.front.summary.clone(),
        resource: doc.front.resource,
        layout: doc.front.layout,
        edition_label: edition.label.clone(),
        ..DocumentMeta::new((manifest, &site.words), date, paper)
    };
    let figures = translated_figures(site, doc);
    let mut job = Job::call(Template::GUIDE)
        .data("/meta.json", &meta)
        .body(body)
        .origin(&doc.display_path)
        .ident(format!("{}/{}", manifest.id.get_ref(), edition.output));
    for (path, svg) in figures {
        job = job.file(&path, svg);
    }
    if let Some(q) = doc
        .questionnaire
        .as_ref()
        .and_then(|id| latest_version(questionnaires, id))
    {
        let data = QuestionnaireData {
            words: Some(site.words.clone()),
            ..QuestionnaireData::new(q, manifest, &site.words)
        };
        job = job
            .then(Template::QUESTIONS_APPENDIX)
            .data("/questionnaire.json", &data);
    }
    job
}

/// The SVG figures a guide shows (the images its Markdown index resolved), read in the
/// site's language, as (virtual path, bytes) for the job to hold in place of the
/// source's: a translated edition's figures carry its labels. Nothing for the source
/// language.
fn translated_figures(site: &Site, doc: &crate::content::Doc) -> Vec<(String, Vec<u8>)> {
    if site.language.is_source() {
        return Vec::new();
    }
    let mut images: Vec<&String> = doc
        .index
        .images
        .values()
        .filter(|rel| rel.ends_with(".svg"))
        .collect();
    images.sort();
    images.dedup();
    images
        .into_iter()
        .filter_map(|rel| {
            let text = site
                .language
                .read(&site.sources_dir, &site.sources_dir.join(rel))
                .ok()?;
            Some((
                format!("{}/{rel}", crate::typeset::SOURCES_ROOT),
                text.into_bytes(),
            ))
        })
        .collect()
}
