//! Loading and checking working-template definitions (one TOML file per template in
//! `sources/templates/`). Every problem names the file and the line of the item at
//! fault, or only the file when it concerns the whole file, as questionnaire definitions
//! do (`crate::questionnaire::definition`).

use std::collections::{BTreeMap, HashSet};

use serde::Deserialize;
use toml::Spanned;

use super::model::{
    EXAMPLE_SUFFIX, Example, Field, FieldType, PrintLayout, Record, Section, TemplateKind,
    WorkingTemplate, YES_NO,
};
use crate::content::Site;
use crate::content::manifest::is_valid_id;
use crate::date::Date;
use crate::problem::Problems;
use crate::questionnaire::definition::{DefinitionChecker, parse_toml};

/// Empty rows a register's workbook offers when the definition does not say.
pub const DEFAULT_ROWS: u32 = 200;
/// The most empty rows a register may ask for.
pub const MAX_ROWS: u32 = 5000;
/// Column width of a field that does not set one, by type.
fn default_width(kind: FieldType) -> f64 {
    match kind {
        FieldType::LongText => 40.0,
        FieldType::Date | FieldType::Number | FieldType::YesNo => 12.0,
        FieldType::Text | FieldType::Choice => 22.0,
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTemplate {
    id: Spanned<String>,
    title: Spanned<String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    instructions: String,
    kind: TemplateKind,
    #[serde(default)]
    rows: Option<Spanned<u32>>,
    #[serde(default)]
    print: Option<Spanned<PrintLayout>>,
    #[serde(default)]
    links: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    columns: Vec<Spanned<RawField>>,
    #[serde(default)]
    sections: Vec<Spanned<RawSection>>,
    #[serde(default)]
    prefill: Vec<Spanned<RawRecord>>,
    #[serde(default)]
    example: Option<Spanned<RawExample>>,
}

/// A record as written: values by field id, each remembering where it was written.
type RawRecord = BTreeMap<String, Spanned<toml::Value>>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExample {
    #[serde(default)]
    note: String,
    #[serde(default)]
    records: Vec<Spanned<RawRecord>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    title: String,
    #[serde(default)]
    fields: Vec<Spanned<RawField>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawField {
    id: String,
    label: String,
    #[serde(default)]
    help: String,
    #[serde(rename = "type")]
    kind: FieldType,
    #[serde(default)]
    options: Option<Vec<String>>,
    #[serde(default)]
    width: Option<f64>,
}

/// Parses and checks one definition; `site` resolves `links`. Returns `None` when the
/// file has problems (all recorded).
pub fn load_definition(
    text: &str,
    file: &str,
    site: &Site,
    problems: &mut Problems,
) -> Option<WorkingTemplate> {
    let raw: RawTemplate = parse_toml(text, file, problems)?;
    let mut checker = Checker(DefinitionChecker::new(text, file, site, problems));
    checker.check_identity(&raw);
    if let Some(links) = &raw.links {
        checker.check_links(links);
    }
    let rows = checker.check_rows(&raw);
    let print = checker.check_print(&raw);
    let mut ids = HashSet::new();
    let columns = checker.check_columns(&raw, &mut ids);
    let sections = checker.check_sections(&raw, &mut ids);
    let fields: Vec<&Field> = columns
        .iter()
        .chain(sections.iter().flat_map(|s| &s.fields))
        .collect();
    let prefill = checker.check_prefill(&raw, &fields, rows);
    let example = checker.check_example(&raw, &fields, rows);
    if checker.found_problems() {
        return None;
    }
    Some(WorkingTemplate {
        id: raw.id.into_inner(),
        title: raw.title.into_inner(),
        description: raw.description,
        instructions: raw.instructions,
        kind: raw.kind,
        columns,
        sections,
        rows,
        print,
        prefill,
        example,
        links: raw.links.map(Spanned::into_inner).unwrap_or_default(),
        file: file.to_owned(),
        checksum: crate::output::sha256_hex(text.as_bytes()),
    })
}

/// Checks one working-template definition part by part: the shared definition checker
/// (problems at the line of an item's `key = ...`, its first line, or the whole file)
/// plus one method per part of a template (below).
struct Checker<'t>(DefinitionChecker<'t>);

impl<'t> std::ops::Deref for Checker<'t> {
    type Target = DefinitionChecker<'t>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl std::ops::DerefMut for Checker<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl Checker<'_> {
    /// The id is safe in file names and leaves the worked example's name free; the title
    /// is not empty.
    fn check_identity(&mut self, raw: &RawTemplate) {
        if !is_valid_id(raw.id.get_ref()) {
            let message = format!(
                "template id {:?} must use only a-z, 0-9 and -",
                raw.id.get_ref()
            );
            self.at(&raw.id, message);
        } else if raw.id.get_ref().ends_with(EXAMPLE_SUFFIX) {
            let message = format!(
                "template id {:?} must not end in {EXAMPLE_SUFFIX:?}: worked examples are named so",
                raw.id.get_ref()
            );
            self.at(&raw.id, message);
        }
        if raw.title.get_ref().trim().is_empty() {
            self.at(&raw.title, "a template needs a title");
        }
    }

    /// Every link names a toolkit section that exists (`roadmap#ai-strategy`).
    fn check_links(&mut self, links: &Spanned<Vec<String>>) {
        for link in links.get_ref() {
            if let Err(message) = self.site.check_reference(link) {
                self.at(links, message);
            }
        }
    }

    /// `rows`: registers only, between 1 and [`MAX_ROWS`].
    fn check_rows(&mut self, raw: &RawTemplate) -> u32 {
        let Some(rows) = &raw.rows else {
            return DEFAULT_ROWS;
        };
        if raw.kind != TemplateKind::Register {
            self.at(rows, "rows applies only to kind = \"register\"");
        } else if !(1..=MAX_ROWS).contains(rows.get_ref()) {
            let message = format!("rows must be between 1 and {MAX_ROWS}");
            self.at(rows, message);
        }
        *rows.get_ref()
    }

    /// `print`: registers only; records (one entry per page) unless it says table.
    fn check_print(&mut self, raw: &RawTemplate) -> PrintLayout {
        let Some(print) = &raw.print else {
            return PrintLayout::Records;
        };
        if raw.kind != TemplateKind::Register {
            self.at(print, "print applies only to kind = \"register\"");
        }
        *print.get_ref()
    }

    /// `[[prefill]]`: records a standard answer exists for, written into the blank copy.
    /// A form takes one at most; a register no more than its `rows`.
    fn check_prefill(&mut self, raw: &RawTemplate, fields: &[&Field], rows: u32) -> Vec<Record> {
        if let Some(extra) = self.beyond_limit(raw.kind, &raw.prefill, rows) {
            let message = match raw.kind {
                TemplateKind::Form => "a form has one record: one [[prefill]] at most".to_owned(),
                TemplateKind::Register => format!(
                    "{} [[prefill]] rows do not fit in rows = {rows}: raise rows",
                    raw.prefill.len()
                ),
            };
            self.at(extra, message);
        }
        (1..)
            .zip(&raw.prefill)
            .map(|(n, item)| self.check_record(item, fields, &format!("prefill row {n}")))
            .collect()
    }

    /// `[example]`: a note and its records, at least one (exactly one for a form).
    fn check_example(
        &mut self,
        raw: &RawTemplate,
        fields: &[&Field],
        rows: u32,
    ) -> Option<Example> {
        let item = raw.example.as_ref()?;
        let example = item.get_ref();
        if example.records.is_empty() {
            self.at(item, "an [example] needs its [[example.records]]");
        } else if let Some(extra) = self.beyond_limit(raw.kind, &example.records, rows) {
            let message = match raw.kind {
                TemplateKind::Form => {
                    "a form has one record: one [[example.records]] at most".to_owned()
                }
                TemplateKind::Register => format!(
                    "{} [[example.records]] do not fit in rows = {rows}: raise rows",
                    example.records.len()
                ),
            };
            self.at(extra, message);
        }
        if example.note.trim().is_empty() {
            self.at(item, "an [example] needs a note saying what it shows");
        }
        let records = (1..)
            .zip(&example.records)
            .map(|(n, r)| self.check_record(r, fields, &format!("example record {n}")))
            .collect();
        Some(Example {
            note: example.note.clone(),
            records,
        })
    }

    /// The first record past what the template holds: a form's second, or a register's
    /// row past `rows`.
    fn beyond_limit<'r>(
        &self,
        kind: TemplateKind,
        records: &'r [Spanned<RawRecord>],
        rows: u32,
    ) -> Option<&'r Spanned<RawRecord>> {
        let limit = match kind {
            TemplateKind::Form => 1,
            TemplateKind::Register => rows as usize,
        };
        records.get(limit)
    }

    /// One record: at least one value; each keyed by a field id of the template and
    /// fitting its field (see [`field_value`]). Problems are at the value's line.
    fn check_record(&mut self, item: &Spanned<RawRecord>, fields: &[&Field], what: &str) -> Record {
        if item.get_ref().is_empty() {
            self.at(item, format!("{what} has no values"));
        }
        let mut record = Record::default();
        for (id, value) in item.get_ref() {
            let Some(field) = fields.iter().find(|f| f.id == *id) else {
                let known: Vec<&str> = fields.iter().map(|f| f.id.as_str()).collect();
                let message = format!(
                    "{what}: no field {id:?} in this template; fields: {}",
                    known.join(", ")
                );
                self.at(value, message);
                continue;
            };
            // A translated edition's options and values are translated one by one: they
            // were checked against each other in the source language's edition.
            let options_checked = self.site.language.is_source();
            match field_value(field, value.get_ref(), options_checked) {
                Ok(text) => {
                    record.0.insert(id.clone(), text);
                }
                Err(message) => self.at(value, format!("{what}, field {id:?}: {message}")),
            }
        }
        record
    }

    /// A register's columns: at least one; none in a form.
    fn check_columns(&mut self, raw: &RawTemplate, ids: &mut HashSet<String>) -> Vec<Field> {
        match raw.kind {
            TemplateKind::Register if raw.columns.is_empty() => {
                self.whole_file("a register needs at least one [[columns]]");
            }
            TemplateKind::Form if !raw.columns.is_empty() => {
                self.at(&raw.columns[0], "a form has [[sections]], not [[columns]]");
            }
            _ => {}
        }
        raw.columns
            .iter()
            .map(|item| self.check_field(item, ids))
            .collect()
    }

    /// A form's sections, each with at least one field; none in a register.
    fn check_sections(&mut self, raw: &RawTemplate, ids: &mut HashSet<String>) -> Vec<Section> {
        match raw.kind {
            TemplateKind::Form if raw.sections.is_empty() => {
                self.whole_file("a form needs at least one [[sections]]");
            }
            TemplateKind::Register if !raw.sections.is_empty() => {
                self.at(
                    &raw.sections[0],
                    "a register has [[columns]], not [[sections]]",
                );
            }
            _ => {}
        }
        let mut sections = Vec::new();
        for item in &raw.sections {
            let s = item.get_ref();
            if s.fields.is_empty() {
                self.at(
                    item,
                    format!("section {:?} has no [[sections.fields]]", s.title),
                );
            }
            let fields = s.fields.iter().map(|f| self.check_field(f, ids)).collect();
            sections.push(Section {
                title: s.title.clone(),
                fields,
            });
        }
        sections
    }

    /// One field: a valid id unique in the template, a label, options exactly when it is
    /// a choice (distinct, not empty), a sensible width.
    fn check_field(&mut self, item: &Spanned<RawField>, ids: &mut HashSet<String>) -> Field {
        let f = item.get_ref();
        if !is_valid_id(&f.id) {
            let message = format!("field id {:?} must use only a-z, 0-9 and -", f.id);
            self.at_key(item, "id", message);
        } else if !ids.insert(f.id.clone()) {
            self.at_key(item, "id", format!("duplicate field id {:?}", f.id));
        }
        if f.label.trim().is_empty() {
            self.at_key(item, "label", format!("field {:?}: label is empty", f.id));
        }
        let options = self.check_options(item);
        let width = f.width.unwrap_or_else(|| default_width(f.kind));
        if !(4.0..=100.0).contains(&width) {
            let message = format!("field {:?}: width must be between 4 and 100", f.id);
            self.at_key(item, "width", message);
        }
        Field {
            id: f.id.clone(),
            label: f.label.clone(),
            help: f.help.clone(),
            kind: f.kind,
            options,
            width,
        }
    }

    /// A field's options: required for a choice, refused elsewhere; Yes and No for yes-no.
    fn check_options(&mut self, item: &Spanned<RawField>) -> Vec<String> {
        let f = item.get_ref();
        match (f.kind, &f.options) {
            (FieldType::Choice, Some(options)) if !options.is_empty() => {
                let mut seen = HashSet::new();
                for option in options {
                    if option.trim().is_empty() {
                        let message = format!("field {:?}: an option is empty", f.id);
                        self.at_key(item, "options", message);
                    } else if !seen.insert(option.trim().to_lowercase()) {
                        let message = format!("field {:?}: duplicate option {option:?}", f.id);
                        self.at_key(item, "options", message);
                    }
                }
                options.clone()
            }
            (FieldType::Choice, _) => {
                let message = format!("field {:?}: a choice field needs options", f.id);
                self.at_key(item, "type", message);
                Vec::new()
            }
            (kind, Some(_)) => {
                let message = format!(
                    "field {:?}: a {} field takes no options (use type = \"choice\")",
                    f.id,
                    kind.name()
                );
                self.at_key(item, "options", message);
                Vec::new()
            }
            // Yes and No in the edition's language (the English ones where untranslated).
            (FieldType::YesNo, None) => YES_NO
                .map(|word| match word {
                    "Yes" => self.site.words.get("register.yes").to_owned(),
                    _ => self.site.words.get("register.no").to_owned(),
                })
                .to_vec(),
            (_, None) => Vec::new(),
        }
    }
}

/// A record's value as text, checked against its field: text for text fields (not
/// empty), one of the options for a choice (as written; unless `options_checked` is
/// false, in a translated edition), Yes or No, a date (a TOML date or year-month-day
/// text), a number.
fn field_value(
    field: &Field,
    value: &toml::Value,
    options_checked: bool,
) -> Result<String, String> {
    use toml::Value;
    match (field.kind, value) {
        (_, Value::String(text)) if text.trim().is_empty() => {
            Err("the value is empty: leave the key out instead".to_owned())
        }
        (FieldType::Text | FieldType::LongText, Value::String(text)) => Ok(text.clone()),
        (FieldType::Choice | FieldType::YesNo, Value::String(text)) => {
            if field.options.contains(text) || !options_checked {
                Ok(text.clone())
            } else {
                Err(format!(
                    "{text:?} is not an option; expected one of {}",
                    field.options.join(", ")
                ))
            }
        }
        (FieldType::Date, Value::Datetime(datetime)) => match (datetime.date, datetime.time) {
            (Some(date), None) => date_text(&date.to_string()),
            _ => Err(format!("{datetime} is not a date; write year-month-day")),
        },
        (FieldType::Date, Value::String(text)) => date_text(text),
        (FieldType::Number, Value::Integer(n)) => Ok(n.to_string()),
        (FieldType::Number, Value::Float(n)) if n.is_finite() => Ok(n.to_string()),
        (kind, other) => Err(format!(
            "a {} field takes {}, not {}",
            kind.name(),
            match kind {
                FieldType::Date => "a date (year-month-day)",
                FieldType::Number => "a number",
                _ => "text in quotes",
            },
            other.type_str()
        )),
    }
}

/// A date written year-month-day, if it is a day of the calendar (no 31 April).
fn date_text(text: &str) -> Result<String, String> {
    let real = |d: &Date| {
        let leap = d.year % 4 == 0 && (d.year % 100 != 0 || d.year % 400 == 0);
        let days = match d.month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        d.day <= days && (1900..=9999).contains(&d.year)
    };
    match Date::parse(text.trim()).filter(real) {
        Some(date) => Ok(date.to_string()),
        None => Err(format!(
            "{text:?} is not a date; write year-month-day, for example 2026-03-31"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::definition::WHOLE_FILE;

    fn fixture_site() -> Site {
        let sources =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/toolkit/sources");
        Site::load(&sources).expect("the fixture loads")
    }

    fn load(text: &str) -> (Option<WorkingTemplate>, Problems) {
        let mut problems = Problems::default();
        let t = load_definition(text, "t.toml", &fixture_site(), &mut problems);
        (t, problems)
    }

    // A yes-no field gets Yes and No as its options, a field without width its type's
    // width, and a register without `rows` the default number of rows.
    #[test]
    fn defaults_fill_what_a_definition_leaves_out() {
        let text = "id = \"r\"\ntitle = \"R\"\nkind = \"register\"\n\n[[columns]]\nid = \"done\"\nlabel = \"Done\"\ntype = \"yes-no\"\n\n[[columns]]\nid = \"what\"\nlabel = \"What\"\ntype = \"long-text\"\n";
        let (t, problems) = load(text);
        let t = t.unwrap_or_else(|| panic!("{problems}"));
        assert_eq!(t.columns[0].options, ["Yes", "No"]);
        assert_eq!(t.columns[0].width, default_width(FieldType::YesNo));
        assert_eq!(t.columns[1].width, default_width(FieldType::LongText));
        assert_eq!(t.rows, DEFAULT_ROWS);
    }

    // A form with columns and rows, and no sections, is told what a form takes: each
    // misplaced part at its line, the missing sections for the whole file.
    #[test]
    fn a_form_takes_sections_not_columns() {
        let text = "id = \"f\"\ntitle = \"F\"\nkind = \"form\"\nrows = 5\n\n[[columns]]\nid = \"a\"\nlabel = \"A\"\ntype = \"text\"\n";
        let (t, problems) = load(text);
        assert!(t.is_none());
        let found: Vec<(usize, &str)> = problems
            .0
            .iter()
            .map(|p| (p.line, p.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (4, "rows applies only to kind = \"register\""),
                (6, "a form has [[sections]], not [[columns]]"),
                (WHOLE_FILE, "a form needs at least one [[sections]]"),
            ],
            "{problems}"
        );
    }
}
