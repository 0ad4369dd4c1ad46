//! Typesetting jobs, one file per template: guide editions, primers, printable
//! questionnaires, printable working templates and reports. Each builds a
//! [`crate::typeset::Job`] that calls its template's entry function
//! ([`crate::typeset::Template`]) on the JSON data files the template reads (document
//! metadata, questionnaire, primer or report data); the typesetter writes the main file.
//! Untrusted text travels only in those data files.

pub mod guide;
pub mod primer;
pub mod questionnaire;
pub mod register;
pub mod report;

use serde::Serialize;

use crate::content::manifest::{Manifest, Paper};
use crate::date::Date;
use crate::words::Words;

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
    /// How the document is laid out.
    pub layout: crate::content::document::Layout,
    /// Name of a partial edition ("Basic level edition").
    pub edition_label: Option<String>,
    /// Document date.
    pub date: Date,
    /// BCP 47 language.
    pub language: String,
    /// `ltr` or `rtl`.
    pub direction: &'static str,
    /// Typst paper name.
    pub paper: String,
    /// The date the law is stated as of: the edition date in the manifest.
    pub law_as_of: Date,
    /// The fixed words of the document's language (covers, footers, dates, callouts).
    pub words: Words,
}

impl DocumentMeta {
    /// The toolkit-wide metadata (title, edition, notice, language, date, paper), with the
    /// document's own fields empty.
    pub fn new((manifest, words): (&Manifest, &Words), date: Date, paper: Paper) -> Self {
        DocumentMeta {
            toolkit: manifest.title.clone(),
            toolkit_edition: manifest.edition.get_ref().clone(),
            notice: manifest.notice.clone(),
            title: String::new(),
            subtitle: None,
            short_title: String::new(),
            summary: None,
            resource: None,
            layout: Default::default(),
            edition_label: None,
            date,
            language: manifest.output_language().to_owned(),
            direction: manifest.direction.name(),
            paper: paper.typst_name().to_owned(),
            law_as_of: manifest.edition_date(),
            words: words.clone(),
        }
    }
}
