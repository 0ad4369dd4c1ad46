//! Guide editions as typesetting jobs: the document's metadata goes to the template as
//! JSON data (`/meta.json`), its body as generated, escaped markup.

use serde::Serialize;

use crate::content::manifest::Paper;
use crate::content::{Edition, Primer, Site};
use crate::problem::Problems;
use crate::questionnaire::Questionnaire;
use crate::questionnaire::printable::QuestionnaireData;
use crate::typeset::{Job, escape_string};

/// The template every guide is typeset with.
pub const GUIDE_TEMPLATE: &str = "/templates/guide.typ";

/// Metadata of one PDF, handed to the template as data.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentMeta {
    /// Title of the toolkit.
    pub toolkit: String,
    /// Edition of the toolkit.
    pub toolkit_edition: String,
    /// Notice printed on the cover.
    pub notice: String,
    /// Document title.
    pub title: String,
    /// Line under the title.
    pub subtitle: Option<String>,
    /// Title for the running header.
    pub short_title: String,
    /// Cover summary.
    pub summary: Option<String>,
    /// Number of the resource in the toolkit.
    pub resource: Option<u32>,
    /// Name of a partial edition ("Basic level edition").
    pub edition_label: Option<String>,
    /// Document date.
    pub date: DateParts,
    /// BCP 47 language.
    pub language: String,
    /// Typst paper name.
    pub paper: String,
}

impl DocumentMeta {
    /// The toolkit-wide metadata (title, edition, notice, language, date, paper), with the
    /// document's own fields empty.
    pub fn new(
        manifest: &crate::content::manifest::Manifest,
        date: (i32, u8, u8),
        paper: Paper,
    ) -> Self {
        DocumentMeta {
            toolkit: manifest.title.clone(),
            toolkit_edition: manifest.edition.get_ref().clone(),
            notice: manifest.notice.clone(),
            title: String::new(),
            subtitle: None,
            short_title: String::new(),
            summary: None,
            resource: None,
            edition_label: None,
            date: DateParts {
                year: date.0,
                month: date.1,
                day: date.2,
            },
            language: manifest.language.clone(),
            paper: paper.typst_name().to_owned(),
        }
    }
}

/// A calendar date for the template's `datetime(..)`.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct DateParts {
    /// Year.
    pub year: i32,
    /// Month, 1-12.
    pub month: u8,
    /// Day, 1-31.
    pub day: u8,
}

/// The latest version of a questionnaire (versions compare numerically, part by part).
pub fn latest_version<'q>(
    questionnaires: &'q [Questionnaire],
    id: &str,
) -> Option<&'q Questionnaire> {
    let key = |q: &Questionnaire| -> Vec<u64> {
        q.version
            .split(['.', '-'])
            .map(|p| p.parse().unwrap_or(0))
            .collect()
    };
    questionnaires
        .iter()
        .filter(|q| q.id == id)
        .max_by_key(|q| key(q))
}

/// Builds the typesetting job of a guide edition. A companion guide gets its
/// questionnaire's questions, from the definition, in an appendix.
pub fn guide_job(
    site: &Site,
    edition: &Edition,
    questionnaires: &[Questionnaire],
    date: (i32, u8, u8),
    paper: Paper,
) -> Result<Job, Problems> {
    let doc = &site.documents[edition.doc];
    let mut body = site.render(edition)?;
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

/// Builds the typesetting job of a primer: the metadata (`/meta.json`) and the primer's
/// body (`/primer.json`) go to the guide template's `primer` function as data.
pub fn primer_job(site: &Site, primer: &Primer, date: (i32, u8, u8), paper: Paper) -> Job {
    let manifest = &site.manifest;
    let meta = DocumentMeta {
        title: primer.title.clone(),
        subtitle: Some(primer.subtitle.clone()),
        short_title: format!("Primer · {} · {}", primer.data.role, primer.data.stage),
        summary: None,
        resource: Some(7),
        edition_label: None,
        ..DocumentMeta::new(manifest, date, paper)
    };
    Job {
        origin: format!("primer {}", primer.output),
        main: format!(
            "#import \"{}\": *\n#primer(json(\"/meta.json\"), json(\"/primer.json\"))\n",
            escape_string(GUIDE_TEMPLATE)
        ),
        files: vec![
            (
                "/meta.json".to_owned(),
                serde_json::to_vec(&meta).expect("metadata serialises"),
            ),
            (
                "/primer.json".to_owned(),
                serde_json::to_vec(&primer.data).expect("primer data serialises"),
            ),
        ],
        ident: format!("{}/{}", manifest.id.get_ref(), primer.output),
    }
}

/// The main file of a guide: import the template, apply it with the metadata, then the body.
pub fn guide_main(template: &str, body: &str) -> String {
    format!(
        "#import \"{}\": *\n#show: guide.with(json(\"/meta.json\"))\n\n{body}",
        escape_string(template)
    )
}
