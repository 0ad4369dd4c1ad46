//! The output layout: where every artifact lives inside an output folder, decided here and
//! nowhere else. Writers, the bundle, the web edition, the reports and the page scripts
//! (through data the pages carry) get their paths from [`Layout`] and [`ReportsLayout`],
//! and the link from one artifact to another from [`OutPath::link_to`].
//!
//! A build's output folder holds `guides/`, `primers/`, `questionnaires/`,
//! `working-templates/`, `site/`, the bundle and its `manifest.json`, and `reports/` (a
//! reports folder, laid out by [`ReportsLayout`]). The source language's edition sits at
//! the root; [`Layout::language`] is the room the other languages' editions take.

use std::fmt;

use serde::Serialize;

/// A file's path relative to an output folder, `/`-separated.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct OutPath(String);

impl OutPath {
    /// The path as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The path as an owned string.
    pub fn into_string(self) -> String {
        self.0
    }

    /// The relative link from this file to `to` (both relative to the same folder):
    /// `primers/a.pdf` to `guides/b.pdf` is `../guides/b.pdf`.
    pub fn link_to(&self, to: &OutPath) -> String {
        relative_path(&self.0, &to.0)
    }

    /// The relative link from this file to a section of `to` (`b.pdf#section`).
    pub fn link_to_section(&self, to: &OutPath, anchor: Option<&str>) -> String {
        let mut link = self.link_to(to);
        if let Some(anchor) = anchor {
            link.push('#');
            link.push_str(anchor);
        }
        link
    }

    /// The path from the site folder's root, for a file inside it (`primers/x.html` for
    /// `site/primers/x.html`); the whole path for any other file.
    pub fn in_site(&self) -> &str {
        let site_part = |path: &'_ str| -> Option<usize> {
            if path.starts_with("site/") {
                return Some(SITE.len() + 1);
            }
            // A language's edition: `<language>/site/...`.
            let (language, rest) = path.split_once('/')?;
            rest.starts_with("site/")
                .then(|| language.len() + 1 + SITE.len() + 1)
        };
        site_part(&self.0).map_or(&self.0, |start| &self.0[start..])
    }

    /// The relative link from this file back to the site folder's root (`""`, `"../"`).
    pub fn site_root(&self) -> String {
        "../".repeat(self.in_site().matches('/').count())
    }
}

impl fmt::Display for OutPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<OutPath> for String {
    fn from(path: OutPath) -> String {
        path.0
    }
}

/// The path of `to` relative to the folder of `from` (both `/`-separated paths given by
/// this module, relative to the same root), for paths kept as text.
pub fn relative_path(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> = from
        .split('/')
        .collect::<Vec<_>>()
        .split_last()
        .map(|(_, d)| d.to_vec())
        .unwrap_or_default();
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dir
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<&str> = vec![".."; from_dir.len() - common];
    parts.extend(&to_parts[common..]);
    parts.join("/")
}

const GUIDES: &str = "guides";
const PRIMERS: &str = "primers";
const QUESTIONNAIRES: &str = "questionnaires";
const WORKING_TEMPLATES: &str = "working-templates";
const SITE: &str = "site";
const REPORTS: &str = "reports";
const ASSETS: &str = "assets";
const MEDIA: &str = "media";

/// Where the artifacts of one edition go inside a build's output folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layout {
    /// The folder of a language's edition (`None`: the source language, at the root).
    prefix: Option<String>,
}

impl Layout {
    /// The layout of the source language's edition, at the root of the output folder.
    pub fn source() -> Layout {
        Layout::default()
    }

    /// The layout of a language's edition, under a folder named after its id.
    pub fn language(id: &str) -> Layout {
        Layout {
            prefix: Some(id.to_owned()),
        }
    }

    fn path(&self, parts: &[&str]) -> OutPath {
        let mut path = self.prefix.clone().map(|p| p + "/").unwrap_or_default();
        path.push_str(&parts.join("/"));
        OutPath(path)
    }

    /// A guide, or one of its level editions: `guides/<id>.pdf`, `guides/<id>-<level>.pdf`.
    pub fn guide(&self, doc: &str, level: Option<&str>) -> OutPath {
        match level {
            Some(level) => self.path(&[GUIDES, &format!("{doc}-{level}.pdf")]),
            None => self.path(&[GUIDES, &format!("{doc}.pdf")]),
        }
    }

    /// The primer of a role and stage: `primers/<role>-<stage>.pdf`.
    pub fn primer(&self, role: &str, stage: &str) -> OutPath {
        self.path(&[PRIMERS, &format!("{role}-{stage}.pdf")])
    }

    /// A questionnaire's workbook, or its workbook tailored to a role and stage:
    /// `questionnaires/<id>-<version>.xlsx`, `questionnaires/<id>-<version>-<role>-<stage>.xlsx`.
    pub fn workbook(&self, slug: &str, tailoring: Option<(&str, &str)>) -> OutPath {
        match tailoring {
            Some((role, stage)) => {
                self.path(&[QUESTIONNAIRES, &format!("{slug}-{role}-{stage}.xlsx")])
            }
            None => self.path(&[QUESTIONNAIRES, &format!("{slug}.xlsx")]),
        }
    }

    /// A questionnaire's blank answer template: `questionnaires/<id>-<version>.csv`.
    pub fn answer_template(&self, slug: &str) -> OutPath {
        self.path(&[QUESTIONNAIRES, &format!("{slug}.csv")])
    }

    /// A questionnaire's printable copy: `questionnaires/<id>-<version>.pdf`.
    pub fn printable_questionnaire(&self, slug: &str) -> OutPath {
        self.path(&[QUESTIONNAIRES, &format!("{slug}.pdf")])
    }

    /// The printable questionnaire of a translated edition with the source language's
    /// text beside each question: `questionnaires/<slug>-bilingual.pdf`.
    pub fn bilingual_questionnaire(&self, slug: &str) -> OutPath {
        self.path(&[QUESTIONNAIRES, &format!("{slug}-bilingual.pdf")])
    }

    /// A working template's workbook (`xlsx`) or printable copy (`pdf`):
    /// `working-templates/<id>.<extension>`.
    pub fn working_template(&self, id: &str, extension: &str) -> OutPath {
        self.path(&[WORKING_TEMPLATES, &format!("{id}.{extension}")])
    }

    /// A file of the web edition, by its path inside the site folder (`primers/x.html`).
    pub fn site_file(&self, in_site: &str) -> OutPath {
        self.path(&[SITE, in_site])
    }

    /// The web edition's home page: `site/index.html`.
    pub fn site_index(&self) -> OutPath {
        self.path(&[SITE, "index.html"])
    }

    /// The web edition's search page: `site/search.html`.
    pub fn site_search(&self) -> OutPath {
        self.path(&[SITE, "search.html"])
    }

    /// A guide's page: `site/<id>.html`.
    pub fn site_document(&self, doc: &str) -> OutPath {
        self.path(&[SITE, &format!("{doc}.html")])
    }

    /// The primer chooser: `site/primers/index.html`.
    pub fn site_primers(&self) -> OutPath {
        self.path(&[SITE, PRIMERS, "index.html"])
    }

    /// A primer's page: `site/primers/<role>-<stage>.html`.
    pub fn site_primer(&self, role: &str, stage: &str) -> OutPath {
        self.path(&[SITE, PRIMERS, &format!("{role}-{stage}.html")])
    }

    /// A questionnaire's page: `site/questionnaires/<id>-<version>.html`.
    pub fn site_questionnaire(&self, slug: &str) -> OutPath {
        self.path(&[SITE, QUESTIONNAIRES, &format!("{slug}.html")])
    }

    /// A stylesheet, script or font of the site: `site/assets/<name>`.
    pub fn site_asset(&self, name: &str) -> OutPath {
        self.path(&[SITE, ASSETS, name])
    }

    /// An image a document shows, by its path inside the sources folder:
    /// `site/media/<path>`.
    pub fn site_media(&self, source_path: &str) -> OutPath {
        self.path(&[SITE, MEDIA, source_path])
    }

    /// The bundle's manifest: `manifest.json`.
    pub fn manifest(&self) -> OutPath {
        self.path(&["manifest.json"])
    }

    /// The distribution bundle: `<toolkit id>-<edition>.zip`.
    pub fn bundle(&self, toolkit: &str, edition: &str) -> OutPath {
        self.path(&[&format!("{toolkit}-{edition}.zip")])
    }

    /// The folder of the scored sample answers inside a build: `reports`.
    pub fn reports(&self) -> OutPath {
        OutPath(REPORTS.to_owned())
    }
}

/// Where the files of a reports folder (a scoring run's `--out`) go, relative to it.
pub struct ReportsLayout;

impl ReportsLayout {
    /// The folder of a questionnaire version's per-response reports: `responses/<id>-<version>`.
    pub fn responses(slug: &str) -> String {
        format!("responses/{slug}")
    }

    /// The folder of a questionnaire version's group reports: `groups/<id>-<version>`.
    pub fn groups(slug: &str) -> String {
        format!("groups/{slug}")
    }

    /// Whether `path`, read from a record, is a path a report is written at:
    /// `responses/<questionnaire>/<name>.pdf` or `groups/<questionnaire>/<name>.pdf`,
    /// relative, `/`-separated, each part made of letters, digits, `.`, `-` and `_` and not
    /// starting with a dot (so no `..`, no absolute path, no drive, no hidden file).
    pub fn is_report(path: &str) -> bool {
        let parts: Vec<&str> = path.split('/').collect();
        let plain = |part: &str| {
            !part.is_empty()
                && !part.starts_with('.')
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        };
        parts.len() == 3
            && matches!(parts[0], "responses" | "groups")
            && parts.iter().all(|p| plain(p))
            && parts[2].ends_with(".pdf")
    }

    /// The link from a report (at its path inside a reports folder) to the guides of the
    /// build around it: the reports folder sits at `reports_in_build` inside the build's
    /// output folder (`reports`), where the build lays its guides out with `layout`.
    pub fn guides_link(layout: &Layout, reports_in_build: &str) -> String {
        let report = OutPath(format!("{reports_in_build}/responses/q/report.pdf"));
        let guide = layout.guide("guide", None);
        let link = report.link_to(&guide);
        link.trim_end_matches("/guide.pdf").to_owned()
    }

    /// The link from a report to the working templates of the build around it, as
    /// [`ReportsLayout::guides_link`] finds the guides.
    pub fn working_templates_link(layout: &Layout, reports_in_build: &str) -> String {
        let report = OutPath(format!("{reports_in_build}/responses/q/report.pdf"));
        let template = layout.working_template("template", "pdf");
        let link = report.link_to(&template);
        link.trim_end_matches("/template.pdf").to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Links between outputs in different folders climb out and back in.
    #[test]
    fn links_between_outputs() {
        let layout = Layout::source();
        let guide = layout.guide("b", None);
        assert_eq!(layout.guide("a", None).link_to(&guide), "b.pdf");
        assert_eq!(layout.primer("r", "s").link_to(&guide), "../guides/b.pdf");
        assert_eq!(
            layout
                .site_primer("r", "s")
                .link_to_section(&layout.site_document("b"), Some("x")),
            "../b.html#x"
        );
        assert_eq!(layout.manifest().link_to(&guide), "guides/b.pdf");
        assert_eq!(layout.site_primer("r", "s").site_root(), "../");
        assert_eq!(layout.site_index().in_site(), "index.html");
    }

    // A language's edition lives in its own folder; its links stay inside it.
    #[test]
    fn languages_have_their_own_folder() {
        let fr = Layout::language("fr");
        assert_eq!(fr.guide("intro", None).as_str(), "fr/guides/intro.pdf");
        assert_eq!(
            fr.primer("r", "s").link_to(&fr.guide("intro", None)),
            "../guides/intro.pdf"
        );
    }

    // Reports reach the build's guides from two folders down.
    #[test]
    fn reports_link_to_the_guides() {
        assert_eq!(
            ReportsLayout::guides_link(&Layout::source(), "reports"),
            "../../../guides"
        );
        assert_eq!(
            ReportsLayout::guides_link(&Layout::source(), "a/reports"),
            "../../../../guides"
        );
        assert_eq!(
            ReportsLayout::working_templates_link(&Layout::source(), "reports"),
            "../../../working-templates"
        );
    }

    // Only the paths reports are written at pass; anything that could leave the folder,
    // hide a file or name another kind of file does not.
    #[test]
    fn report_paths() {
        for good in [
            "responses/risk-1.0.0/R-1.pdf",
            "groups/readiness-1.0.0/no-group.pdf",
        ] {
            assert!(ReportsLayout::is_report(good), "{good}");
        }
        for bad in [
            "../x.pdf",
            "responses/../../etc/passwd.pdf",
            "/etc/x.pdf",
            "responses/q/x.txt",
            "summary.csv",
            "responses/q/.x.pdf",
            "responses/q/a/b.pdf",
            "responses\\q\\x.pdf",
            "responses/q/C:x.pdf",
            "other/q/x.pdf",
        ] {
            assert!(!ReportsLayout::is_report(bad), "{bad}");
        }
    }
}
