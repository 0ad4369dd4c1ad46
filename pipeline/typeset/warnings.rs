//! Typst's warnings, returned beside the PDFs and gathered per run: a warning that every
//! report of a template raises is one entry, not one per report. The library never prints
//! them; the commands do.

use std::collections::HashSet;

use std::fmt;

use super::{Diagnostic, Template};

/// A warning Typst gave while typesetting a job.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Warning {
    /// The template the job called; `None` for a job of hand-written markup.
    pub template: Option<Template>,
    /// Whether Typst located it in the templates folder (then it is the template's,
    /// whatever the data), rather than in the document's own markup or files.
    pub in_templates: bool,
    /// What Typst said, and where.
    pub diagnostic: Diagnostic,
}

impl Warning {
    /// What makes two warnings the same: the template and the message, and the file for a
    /// warning about a document's own markup (each guide's is its own). One unknown font
    /// used on thirty lines of a template is one warning.
    fn key(&self) -> (Option<Template>, &str, Option<&str>) {
        let file = if self.in_templates {
            None
        } else {
            self.diagnostic.file.as_deref()
        };
        (self.template, &self.diagnostic.message, file)
    }
}

impl fmt::Display for Warning {
    /// `warning: <file>:<line>: <message>`, with Typst's hints after it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.diagnostic;
        write!(f, "warning: ")?;
        match (&d.file, d.line) {
            (Some(file), Some(line)) => write!(f, "{file}:{line}: ")?,
            (Some(file), None) => write!(f, "{file}: ")?,
            _ => {}
        }
        write!(f, "{}", d.message)?;
        for hint in &d.hints {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

/// The warnings of a run, each once per template and message (see [`Warning`]'s key):
/// the same warning raised by many jobs, or at many places of a template, is kept once,
/// as first seen.
#[derive(Debug, Clone, Default)]
pub struct Warnings {
    list: Vec<Warning>,
}

impl Warnings {
    /// Adds the warnings of one compile, skipping those already listed.
    pub fn add(&mut self, warnings: impl IntoIterator<Item = Warning>) {
        for warning in warnings {
            if !self.list.iter().any(|listed| listed.key() == warning.key()) {
                self.list.push(warning);
            }
        }
    }

    /// The warnings, in the order first seen.
    pub fn iter(&self) -> std::slice::Iter<'_, Warning> {
        self.list.iter()
    }

    /// The number of distinct warnings.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The lines to print, once each: `warning: <file>:<line>: <message>`. Two templates
    /// that raise the same warning in a file they share print one line.
    pub fn lines(&self) -> Vec<String> {
        let mut printed = HashSet::new();
        self.list
            .iter()
            .map(ToString::to_string)
            .filter(|line| printed.insert(line.clone()))
            .collect()
    }
}

impl<'a> IntoIterator for &'a Warnings {
    type Item = &'a Warning;
    type IntoIter = std::slice::Iter<'a, Warning>;

    fn into_iter(self) -> Self::IntoIter {
        self.list.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warning(template: Template, line: usize, message: &str) -> Warning {
        Warning {
            template: Some(template),
            in_templates: true,
            diagnostic: Diagnostic {
                is_error: false,
                file: Some("templates/style.typ".into()),
                line: Some(line),
                message: message.into(),
                hints: vec![],
            },
        }
    }

    // The same warning from many jobs of a template, or from many places in it, is listed
    // once; another template's is listed too, but prints as one line when it is the same
    // place and message.
    #[test]
    fn warnings_are_kept_once_per_template_and_printed_once() {
        let mut warnings = Warnings::default();
        for line in 0..80 {
            warnings.add([warning(Template::REPORT, 3 + line % 2, "unknown font")]);
        }
        warnings.add([warning(Template::GROUP, 3, "unknown font")]);
        warnings.add([warning(Template::GROUP, 9, "other")]);
        assert_eq!(warnings.len(), 3);
        assert_eq!(
            warnings.lines(),
            [
                "warning: templates/style.typ:3: unknown font",
                "warning: templates/style.typ:9: other"
            ]
        );
    }

    // A warning about a document's own markup is kept for each document, since each
    // guide's markup is its own.
    #[test]
    fn warnings_in_documents_are_kept_per_document() {
        let mut warnings = Warnings::default();
        for guide in ["a", "b", "a"] {
            let mut w = warning(Template::GUIDE, 7, "no text within stars");
            w.in_templates = false;
            w.diagnostic.file = Some(format!("sources/{guide}.md (generated Typst)"));
            warnings.add([w]);
        }
        assert_eq!(warnings.len(), 2);
        assert!(warnings.iter().all(|w| w.template == Some(Template::GUIDE)));
    }
}
