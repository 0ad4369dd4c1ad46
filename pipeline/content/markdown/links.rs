//! What a link or image URL written in a document points to: a web address, a section of
//! a toolkit document, or an image file inside the sources folder.

use crate::content::document::Document;

/// Resolves an image URL (relative to the document) to its file, as a path relative to the
/// sources folder (`guides/figures/x.svg`).
pub fn resolve_image(
    doc: &Document,
    url: &str,
    sources: &std::path::Path,
) -> Result<String, String> {
    if url.contains("://") || url.starts_with('/') {
        return Err(format!(
            "image {url:?} must be a file in the sources folder, given relative to the document"
        ));
    }
    let ext = url.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    if !matches!(ext.as_str(), "svg" | "png" | "jpg" | "jpeg") {
        return Err(format!("image {url:?} must be SVG, PNG or JPEG"));
    }
    let base = doc
        .rel_path
        .rsplit_once('/')
        .map(|(dir, _)| dir)
        .unwrap_or("");
    let joined = normalize_path(&format!("{base}/{url}"))
        .ok_or_else(|| format!("image {url:?} points outside the sources folder"))?;
    if !sources.join(&joined).is_file() {
        return Err(format!(
            "image {url:?} not found (looked for {})",
            sources.join(&joined).display()
        ));
    }
    Ok(joined)
}

/// Normalises a `/`-separated relative path, resolving `.` and `..`; `None` if it leaves the root.
pub fn normalize_path(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// Where a link leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// A web or mail address.
    External(String),
    /// A working template, by id (`template:incident-log`): its printable copy in a PDF,
    /// its entry on the web edition's home page.
    WorkingTemplate(String),
    /// A document of the toolkit (by its path relative to `sources/`), optionally a section.
    Section {
        /// The target document's path relative to the sources folder.
        doc_path: String,
        /// The section anchor, if any.
        anchor: Option<String>,
    },
}

/// Classifies a link written in `doc`.
pub fn parse_link(doc_rel_path: &str, url: &str) -> Result<LinkTarget, String> {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:")
    {
        return Ok(LinkTarget::External(url.to_owned()));
    }
    if let Some(id) = crate::register::referenced_id(url) {
        return Ok(LinkTarget::WorkingTemplate(id.to_owned()));
    }
    if let Some(anchor) = url.strip_prefix('#') {
        return Ok(LinkTarget::Section {
            doc_path: doc_rel_path.to_owned(),
            anchor: Some(anchor.to_owned()),
        });
    }
    let (path, anchor) = match url.split_once('#') {
        Some((p, a)) => (p, Some(a.to_owned())),
        None => (url, None),
    };
    if path.ends_with(".md") && !path.contains(':') {
        let base = doc_rel_path
            .rsplit_once('/')
            .map(|(dir, _)| dir)
            .unwrap_or("");
        let doc_path = normalize_path(&format!("{base}/{path}"))
            .ok_or_else(|| format!("link {url:?} points outside the sources folder"))?;
        return Ok(LinkTarget::Section { doc_path, anchor });
    }
    Err(format!(
        "cannot resolve link {url:?}: link to a section (#anchor), another document (file.md#anchor), a working template (template:<id>) or an http(s)/mailto address"
    ))
}

/// How the renderers resolve links: implemented by the site, which knows every document.
/// Every link was checked when the sources loaded, so resolving cannot fail.
pub trait LinkResolver {
    /// The URL, relative to the output file `from_output` (for example
    /// `guides/principles-basic.pdf`), of a link to a document or section published
    /// elsewhere.
    fn resolve(&self, target: &LinkTarget, from_output: &str) -> String;
}
