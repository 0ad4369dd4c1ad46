//! The typesetting job of a guide edition: the document's metadata goes to the template as
//! JSON data (`/meta.json`), its body as generated, escaped markup. A companion guide also
//! gets its questionnaire's questions, from the definition, as `/questionnaire.json`.

use super::questionnaire::QuestionnaireData;
use super::{DocumentMeta, GUIDE_TEMPLATE};
use crate::content::manifest::Paper;
use crate::content::{Edition, Site};
use crate::date::Date;
use crate::problem::Problems;
use crate::questionnaire::{Questionnaire, latest_version};
use crate::typeset::{Job, escape_string};

/// Builds the typesetting job of a guide edition. A companion guide gets its
/// questionnaire's questions, from the definition, in an appendix.
pub fn guide_job(
    site: &Site,
    edition: &Edition,
    questionnaires: &[Questionnaire],
    date: Date,
    paper: Paper,
) -> Result<Job, Problems> {
    let doc = &site.documents[edition.doc];
    let mut body = site.render(edition);
    let mut files = Vec::new();
    if let Some(id) = &doc.questionnaire {
        let q = latest_version(questionnaires, id).ok_or_else(|| {
            let mut problems = Problems::default();
            problems.at(
                &doc.display_path,
                0,
                format!("unknown questionnaire {id:?} for this companion guide"),
            );
            problems
        })?;
        let data = QuestionnaireData::new(q, &site.manifest);
        files.push((
            "/questionnaire.json".to_owned(),
            serde_json::to_vec(&data).expect("serialises"),
        ));
        body.push_str("\n#questions-appendix(json(\"/questionnaire.json\"))\n");
    }
    let manifest = &site.manifest;
    let meta = DocumentMeta {
        title: doc.front.title.clone(),
        subtitle: doc.front.subtitle.clone(),
        short_title: doc.short_title().to_owned(),
        summary: doc.front.summary.clone(),
        resource: doc.front.resource,
        edition_label: edition.label.clone(),
        ..DocumentMeta::new(manifest, date, paper)
    };
    let meta_json = serde_json::to_vec(&meta).expect("metadata serialises");
    files.push(("/meta.json".to_owned(), meta_json));
    Ok(Job {
        origin: doc.display_path.clone(),
        main: guide_main(GUIDE_TEMPLATE, &body),
        files,
        ident: format!("{}/{}", manifest.id.get_ref(), edition.output),
    })
}

/// The main file of a guide: import the template, apply it with the metadata, then the body.
pub fn guide_main(template: &str, body: &str) -> String {
    format!(
        "#import \"{}\": *\n#show: guide.with(json(\"/meta.json\"))\n\n{body}",
        escape_string(template)
    )
}
