//! What a compile is asked to make: a [`Job`] calls a [`Template`]'s entry function on
//! named JSON data files, and the typesetter writes the main file from that call. Jobs
//! never carry hand-written `#import` text, so the typesetter knows from the value which
//! template a job uses (and whether it was evaluated once for the run), and untrusted text
//! reaches Typst only inside the data files.

use std::collections::HashMap;

use serde::Serialize;

use super::escape_string;

/// An entry point of a template: the file under the templates folder and the function a
/// job calls. The toolkit's entry points are the associated constants; a test can name one
/// of its own templates with [`Template::new`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Template {
    /// The template file as Typst sees it, under [`super::TEMPLATES_ROOT`]
    /// (`/templates/report.typ`).
    pub path: &'static str,
    /// The function a job calls (`report`).
    pub function: &'static str,
}

impl Template {
    /// A guide edition: `guide(meta, body)` applied to the document's markup.
    pub const GUIDE: Template = Template::new("/templates/guide.typ", "guide");
    /// The appendix of a companion guide: `questions-appendix(questionnaire)`.
    pub const QUESTIONS_APPENDIX: Template =
        Template::new("/templates/guide.typ", "questions-appendix");
    /// A primer: `primer(meta, primer)`.
    pub const PRIMER: Template = Template::new("/templates/guide.typ", "primer");
    /// A printable questionnaire: `printable(meta, questionnaire)`.
    pub const QUESTIONNAIRE: Template = Template::new("/templates/questionnaire.typ", "printable");
    /// A printable working template: `working-template(meta, template, print)`.
    pub const WORKING_TEMPLATE: Template =
        Template::new("/templates/register.typ", "working-template");
    /// A per-response report: `report(data)`.
    pub const REPORT: Template = Template::new("/templates/report.typ", "report");
    /// A per-group report: `group-report(data)`.
    pub const GROUP: Template = Template::new("/templates/group.typ", "group-report");

    /// Every entry point the toolkit's jobs call.
    pub const ALL: [Template; 7] = [
        Template::GUIDE,
        Template::QUESTIONS_APPENDIX,
        Template::PRIMER,
        Template::QUESTIONNAIRE,
        Template::WORKING_TEMPLATE,
        Template::REPORT,
        Template::GROUP,
    ];

    /// The entry point `function` of the template file at `path` (under `/templates`).
    pub const fn new(path: &'static str, function: &'static str) -> Template {
        Template { path, function }
    }
}

/// The JSON bytes of a job's data file: the one serialiser every job uses.
pub fn json_bytes(value: &impl Serialize) -> Vec<u8> {
    serde_json::to_vec(value).expect("job data serialises to JSON")
}

/// One call in a job's main file: a template's function applied to data files, each
/// argument `json("<path>")`.
#[derive(Debug, Clone)]
struct Call {
    template: Template,
    data: Vec<String>,
}

/// What the main file holds.
#[derive(Debug, Clone)]
enum Main {
    /// Calls of template functions: the first is the job's template (applied to `body` as
    /// a show rule when there is a body), the others follow the body.
    Calls {
        calls: Vec<Call>,
        body: Option<String>,
    },
    /// Markup written by hand, for tests and checks that need no template.
    Markup(String),
}

/// One document to typeset: a template's function called on JSON data files (and, for a
/// guide, the document's generated markup), made with [`Job::call`].
#[derive(Debug, Clone)]
pub struct Job {
    /// Where the document came from, for diagnostics (for example
    /// `sources/guides/intro.md`); the ident unless set.
    pub origin: String,
    /// A stable identifier of the document; with the fixed date it makes PDFs reproducible.
    pub ident: String,
    main: Main,
    files: Vec<(String, Vec<u8>)>,
}

impl Job {
    /// A job that calls `template`'s function; its arguments are the data files added
    /// next with [`Job::data`], in order.
    pub fn call(template: Template) -> Job {
        Job {
            origin: String::new(),
            ident: String::new(),
            main: Main::Calls {
                calls: vec![Call {
                    template,
                    data: Vec::new(),
                }],
                body: None,
            },
            files: Vec::new(),
        }
    }

    /// A job whose main file is `markup` as written, calling no template: for tests and
    /// checks. Such a job is never given a preloaded template.
    pub fn markup(markup: impl Into<String>) -> Job {
        Job {
            origin: String::new(),
            ident: String::new(),
            main: Main::Markup(markup.into()),
            files: Vec::new(),
        }
    }

    /// Adds a file the job's markup reads by `path` (a translated figure in place of the
    /// source's), passed to no call.
    pub fn file(mut self, path: &str, bytes: Vec<u8>) -> Job {
        self.files.push((path.to_owned(), bytes));
        self
    }

    /// Adds the data file `path` (`/data.json`) holding `value` as JSON, and passes it as
    /// the next argument of the latest call.
    pub fn data(self, path: &str, value: &impl Serialize) -> Job {
        self.data_bytes(path, json_bytes(value))
    }

    /// As [`Job::data`], for data already serialised by [`json_bytes`].
    pub fn data_bytes(mut self, path: &str, json: Vec<u8>) -> Job {
        if let Main::Calls { calls, .. } = &mut self.main
            && let Some(call) = calls.last_mut()
        {
            call.data.push(path.to_owned());
        }
        self.files.push((path.to_owned(), json));
        self
    }

    /// The document's markup, generated by the toolkit from its own sources (text escaped):
    /// the job's template function is applied to it as a show rule, and the template's
    /// functions are in scope in it.
    pub fn body(mut self, markup: String) -> Job {
        if let Main::Calls { body, .. } = &mut self.main {
            *body = Some(markup);
        }
        self
    }

    /// Calls `template`'s function after the body (a companion guide's appendix); the data
    /// files added next are its arguments.
    pub fn then(mut self, template: Template) -> Job {
        if let Main::Calls { calls, .. } = &mut self.main {
            calls.push(Call {
                template,
                data: Vec::new(),
            });
        }
        self
    }

    /// Sets the identifier (and the origin, unless one was set).
    pub fn ident(mut self, ident: impl Into<String>) -> Job {
        self.ident = ident.into();
        if self.origin.is_empty() {
            self.origin = self.ident.clone();
        }
        self
    }

    /// Sets where the document came from, for diagnostics.
    pub fn origin(mut self, origin: impl Into<String>) -> Job {
        self.origin = origin.into();
        self
    }

    /// The template whose function the job calls; `None` for hand-written markup.
    pub fn template(&self) -> Option<Template> {
        match &self.main {
            Main::Calls { calls, .. } => calls.first().map(|call| call.template),
            Main::Markup(_) => None,
        }
    }

    /// The data files (absolute virtual path, bytes), in the order they were added.
    pub fn files(&self) -> &[(String, Vec<u8>)] {
        &self.files
    }

    /// The document's markup: a guide's body, or the hand-written main file.
    pub fn markup_text(&self) -> &str {
        match &self.main {
            Main::Calls { body, .. } => body.as_deref().unwrap_or(""),
            Main::Markup(markup) => markup,
        }
    }

    /// The main file: an import of each template the job calls (the evaluated module named
    /// in `preloaded` for a template evaluated once, by its path), then the calls. A job
    /// with a body imports everything from its template, since the body calls the
    /// template's block functions; otherwise only the functions it calls.
    pub(crate) fn main_text(&self, preloaded: &HashMap<String, String>) -> String {
        let (calls, body) = match &self.main {
            Main::Markup(markup) => return markup.clone(),
            Main::Calls { calls, body } => (calls, body),
        };
        let mut out = String::new();
        let mut paths: Vec<&str> = Vec::new();
        for call in calls {
            if !paths.contains(&call.template.path) {
                paths.push(call.template.path);
            }
        }
        for (i, path) in paths.iter().enumerate() {
            let names = if i == 0 && body.is_some() {
                "*".to_owned()
            } else {
                let mut names: Vec<&str> = Vec::new();
                for call in calls.iter().filter(|c| c.template.path == *path) {
                    if !names.contains(&call.template.function) {
                        names.push(call.template.function);
                    }
                }
                names.join(", ")
            };
            let module = match preloaded.get(*path) {
                Some(global) => global.clone(),
                None => format!("\"{}\"", escape_string(path)),
            };
            out.push_str(&format!("#import {module}: {names}\n"));
        }
        let Some((entry, rest)) = calls.split_first() else {
            return out;
        };
        match body {
            Some(body) => {
                let args = entry.arguments();
                out.push_str(&format!(
                    "#show: {}.with({args})\n\n{body}",
                    entry.function()
                ));
            }
            None => out.push_str(&format!("#{}({})\n", entry.function(), entry.arguments())),
        }
        for call in rest {
            out.push_str(&format!("\n#{}({})\n", call.function(), call.arguments()));
        }
        out
    }
}

impl Call {
    fn function(&self) -> &str {
        self.template.function
    }

    /// `json("/meta.json"), json("/primer.json")`.
    fn arguments(&self) -> String {
        self.data
            .iter()
            .map(|path| format!("json(\"{}\")", escape_string(path)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A report's main file imports only its function and calls it on its data file.
    #[test]
    fn a_call_imports_its_function_and_passes_its_data() {
        let job = Job::call(Template::REPORT)
            .data("/data.json", &serde_json::json!({"a": 1}))
            .ident("r");
        assert_eq!(
            job.main_text(&HashMap::new()),
            "#import \"/templates/report.typ\": report\n#report(json(\"/data.json\"))\n"
        );
        assert_eq!(
            job.files(),
            &[("/data.json".to_owned(), b"{\"a\":1}".to_vec())]
        );
        assert_eq!(job.origin, "r");
        assert_eq!(job.template(), Some(Template::REPORT));
    }

    // A preloaded template is imported by its global name, found by the template's path.
    #[test]
    fn a_preloaded_template_is_imported_by_name() {
        let preloaded = HashMap::from([(
            "/templates/questionnaire.typ".to_owned(),
            "toolkit-template-questionnaire".to_owned(),
        )]);
        let job = Job::call(Template::QUESTIONNAIRE)
            .data("/meta.json", &1)
            .data("/questionnaire.json", &2);
        assert_eq!(
            job.main_text(&preloaded),
            "#import toolkit-template-questionnaire: printable\n\
             #printable(json(\"/meta.json\"), json(\"/questionnaire.json\"))\n"
        );
    }

    // A guide applies its template to the body as a show rule, with every template
    // function in scope, and calls the appendix after the body.
    #[test]
    fn a_body_is_shown_through_the_template_and_followed_by_later_calls() {
        let job = Job::call(Template::GUIDE)
            .data("/meta.json", &1)
            .body("= Title\n".to_owned())
            .then(Template::QUESTIONS_APPENDIX)
            .data("/questionnaire.json", &2);
        assert_eq!(
            job.main_text(&HashMap::new()),
            "#import \"/templates/guide.typ\": *\n#show: guide.with(json(\"/meta.json\"))\n\n\
             = Title\n\n#questions-appendix(json(\"/questionnaire.json\"))\n"
        );
    }

    // Every entry point names a function its template file defines, so Rust and Typst
    // cannot spell a template differently.
    #[test]
    fn every_entry_point_is_defined_by_its_template() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for template in Template::ALL {
            let path = root.join(template.path.trim_start_matches('/'));
            let text = std::fs::read_to_string(&path).unwrap();
            let definition = format!("\n#let {}(", template.function);
            assert!(
                text.contains(&definition),
                "{} does not define {}",
                path.display(),
                template.function
            );
        }
    }
}
