//! A source document: TOML front matter between `+++` lines, then Markdown.

use crate::language::Language;
use std::path::Path;

use serde::Deserialize;

use crate::content::manifest::{DocumentEntry, Editions};
use crate::problem::{Problems, line_of};

/// Reader-facing metadata of a document, from its front matter.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// Title on the cover and in the PDF metadata.
    pub title: String,
    /// Line under the title.
    #[serde(default)]
    pub subtitle: Option<String>,
    /// Short title for the running header (defaults to the title).
    #[serde(default)]
    pub short_title: Option<String>,
    /// Two or three sentences on the cover: what the document is for and who should read it.
    #[serde(default)]
    pub summary: Option<String>,
    /// Number of the resource in the toolkit (1-7), printed on the cover.
    #[serde(default)]
    pub resource: Option<u32>,
    /// How the PDF is laid out: a guide (the default), checklist cards or a two-sided brief.
    #[serde(default)]
    pub layout: Layout,
}

/// How a document's PDF is laid out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Layout {
    /// A guide: cover, contents (beyond seven pages), chapters.
    #[default]
    Guide,
    /// Checklist cards on A5 pages, one card (a top-level heading) a page, each with a
    /// sign-off block.
    Cards,
    /// One sheet printed front and back: a compact head instead of a cover, no contents.
    Brief,
}

/// A loaded document.
#[derive(Debug, Clone)]
pub struct Document {
    /// Stable id from the manifest.
    pub id: String,
    /// Path relative to the sources folder, with `/` separators.
    pub rel_path: String,
    /// Path for messages, for example `sources/guides/introduction.md`.
    pub display_path: String,
    /// Front matter.
    pub front: FrontMatter,
    /// The whole file, front matter included, so that Markdown line numbers are file lines.
    pub text: String,
    /// Which editions to publish.
    pub editions: Editions,
    /// Questionnaire whose questions the document prints in an appendix.
    pub questionnaire: Option<String>,
    /// Heading level the body starts under (0 for guides; 1 for primer introductions,
    /// which the pipeline places under a generated chapter heading).
    pub heading_base: u8,
}

/// The delimiter line of TOML front matter.
pub const FRONT_MATTER_DELIMITER: &str = "+++";

impl Document {
    /// Reads a document listed in the manifest.
    pub fn load(
        sources: &Path,
        entry: &DocumentEntry,
        language: &Language,
        problems: &mut Problems,
    ) -> Option<Document> {
        let mut doc = Self::load_file(
            sources,
            entry.id.get_ref(),
            entry.file.get_ref(),
            language,
            problems,
        )?;
        doc.editions = entry.editions;
        doc.questionnaire = entry.questionnaire.as_ref().map(|q| q.get_ref().clone());
        Some(doc)
    }

    /// Reads a Markdown file under the sources folder as a document with this id.
    pub fn load_file(
        sources: &Path,
        id: &str,
        file: &str,
        language: &Language,
        problems: &mut Problems,
    ) -> Option<Document> {
        let rel_path = file.replace('\\', "/");
        let path = sources.join(&rel_path);
        let display_path = path.display().to_string();
        let text = match language.read(sources, &path) {
            Ok(text) => text,
            Err(e) => {
                problems.at(&display_path, 0, format!("cannot read document: {e}"));
                return None;
            }
        };
        let front = parse_front_matter(&text, &display_path, problems)?;
        Some(Document {
            id: id.to_owned(),
            rel_path,
            display_path,
            front,
            text,
            editions: Editions::Single,
            questionnaire: None,
            heading_base: 0,
        })
    }

    /// The title for the running header.
    pub fn short_title(&self) -> &str {
        self.front
            .short_title
            .as_deref()
            .unwrap_or(&self.front.title)
    }
}

/// Parses the TOML front matter at the top of `text`; reports problems with file lines.
pub fn parse_front_matter(text: &str, file: &str, problems: &mut Problems) -> Option<FrontMatter> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(rest) = body
        .strip_prefix(FRONT_MATTER_DELIMITER)
        .and_then(|r| r.strip_prefix('\n').or_else(|| r.strip_prefix("\r\n")))
    else {
        problems.at(
            file,
            1,
            "expected TOML front matter between +++ lines at the top (title = \"...\")",
        );
        return None;
    };
    let start = text.len() - rest.len();
    let Some(end) = find_closing_delimiter(rest) else {
        problems.at(file, 1, "front matter is not closed by a +++ line");
        return None;
    };
    let toml_text = &rest[..end];
    match toml::from_str::<FrontMatter>(toml_text) {
        Ok(front) => {
            if front.title.trim().is_empty() {
                problems.at(file, 2, "front matter title is empty");
            }
            Some(front)
        }
        Err(e) => {
            let line = e
                .span()
                .map(|s| line_of(text, start + s.start))
                .unwrap_or(1);
            problems.at(
                file,
                line,
                format!(
                    "front matter: {}",
                    crate::problem::toml_message(toml_text, &e)
                ),
            );
            None
        }
    }
}

/// Byte offset of the line `+++` that closes the front matter within `rest`.
fn find_closing_delimiter(rest: &str) -> Option<usize> {
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == FRONT_MATTER_DELIMITER {
            return Some(offset);
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    // Front matter errors point at the line of the file, not of the TOML snippet.
    #[test]
    fn front_matter_error_has_file_line() {
        let mut problems = Problems::default();
        let text = "+++\ntitle = \"A\"\nresource = \"one\"\n+++\n# Body\n";
        assert!(parse_front_matter(text, "x.md", &mut problems).is_none());
        assert_eq!(problems.0[0].line, 3, "{}", problems);
    }

    // A document without front matter is refused with a hint at the expected form.
    #[test]
    fn missing_front_matter() {
        let mut problems = Problems::default();
        assert!(parse_front_matter("# Title\n", "x.md", &mut problems).is_none());
        assert!(problems.0[0].message.contains("+++"));
    }
}
