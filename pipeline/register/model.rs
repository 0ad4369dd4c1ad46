//! The model of a working template: a register (a table, one row per entry) or a form
//! (one record, label and answer rows grouped in sections), with typed fields, the
//! records it comes prefilled with and a worked example. The workbook writer and the
//! printable template both read it, so they cannot drift apart.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// What shape a working template takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TemplateKind {
    /// A table: one row per entry (AI register, incident log).
    Register,
    /// One record: label and answer rows in sections (system file, supplier questionnaire).
    Form,
}

/// What a field takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FieldType {
    /// A short line of text.
    Text,
    /// Several lines of text.
    LongText,
    /// A date.
    Date,
    /// A number.
    Number,
    /// One of the field's options.
    Choice,
    /// Yes or No.
    YesNo,
}

impl FieldType {
    /// The name used in definitions.
    pub fn name(self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::LongText => "long-text",
            FieldType::Date => "date",
            FieldType::Number => "number",
            FieldType::Choice => "choice",
            FieldType::YesNo => "yes-no",
        }
    }
}

/// How a register prints (a form always prints as one record).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PrintLayout {
    /// One entry per page, each field a labelled box (wide registers: the AI register,
    /// the incident log).
    Records,
    /// A landscape table, one row per entry (narrow registers: a responsibility matrix).
    Table,
}

/// The answers of a yes-no field, in dropdown order.
pub const YES_NO: [&str; 2] = ["Yes", "No"];

/// One column of a register or one row of a form.
#[derive(Debug, Clone, Serialize)]
pub struct Field {
    /// Id, unique in the template.
    pub id: String,
    /// What the column or row is called.
    pub label: String,
    /// How to fill it in (the input message; printed small).
    pub help: String,
    /// What it takes.
    #[serde(rename = "type")]
    pub kind: FieldType,
    /// The options of a choice field (Yes and No for a yes-no field); empty otherwise.
    pub options: Vec<String>,
    /// Column width in characters.
    pub width: f64,
}

/// A titled group of fields of a form.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// Title.
    pub title: String,
    /// Fields, top to bottom.
    pub fields: Vec<Field>,
}

/// One filled-in record (a register's row, or a form's answers): values by field id, as
/// text. Dates are written year-month-day, numbers as typed; every value was checked
/// against its field (an option of a choice, Yes or No, a real date, a number).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Record(pub BTreeMap<String, String>);

impl Record {
    /// The value of a field, if the record has one.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }
}

/// A worked example: the template filled in for one fictional system.
#[derive(Debug, Clone, Serialize)]
pub struct Example {
    /// What the example shows, printed above it.
    pub note: String,
    /// The filled-in records: a register's rows, or a form's one record.
    pub records: Vec<Record>,
}

/// Which copy of a working template is written: the blank one (with its prefilled
/// records) or the worked example.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Variant {
    /// The copy to fill in, with the records a standard answer exists for.
    Blank,
    /// The worked example.
    Example,
}

/// One working template, checked.
#[derive(Debug, Clone, Serialize)]
pub struct WorkingTemplate {
    /// Id (also the output file name).
    pub id: String,
    /// Title.
    pub title: String,
    /// What it is for.
    pub description: String,
    /// How to fill it in.
    pub instructions: String,
    /// Register or form.
    pub kind: TemplateKind,
    /// A register's columns, left to right (empty for a form).
    pub columns: Vec<Field>,
    /// A form's sections, top to bottom (empty for a register).
    pub sections: Vec<Section>,
    /// How many rows a register's workbook offers (prefilled ones included).
    pub rows: u32,
    /// How a register prints.
    pub print: PrintLayout,
    /// The records the blank copy comes with, where a standard answer exists (a
    /// responsibility matrix's tasks, a monitoring plan's measures); at most one for a form.
    pub prefill: Vec<Record>,
    /// The worked example, if the definition has one.
    pub example: Option<Example>,
    /// Toolkit sections that ask for it (`roadmap#ai-strategy`).
    pub links: Vec<String>,
    /// The definition file.
    #[serde(skip)]
    pub file: String,
    /// SHA-256 of the definition.
    #[serde(skip)]
    pub checksum: String,
}

impl WorkingTemplate {
    /// Every field: a register's columns, or a form's fields section by section.
    pub fn fields(&self) -> impl Iterator<Item = &Field> {
        self.columns
            .iter()
            .chain(self.sections.iter().flat_map(|s| &s.fields))
    }

    /// The records a copy is written with: the prefilled ones of the blank copy, or the
    /// worked example's (none when there is no example).
    pub fn records(&self, variant: Variant) -> &[Record] {
        match variant {
            Variant::Blank => &self.prefill,
            Variant::Example => self.example.as_ref().map_or(&[], |e| &e.records),
        }
    }

    /// The copies a build writes: the blank one, and the worked example if there is one.
    pub fn copies(&self) -> Vec<Variant> {
        let mut copies = vec![Variant::Blank];
        if self.example.is_some() {
            copies.push(Variant::Example);
        }
        copies
    }

    /// The file name stem of a variant: the id, or `<id>-example`.
    pub fn stem(&self, variant: Variant) -> String {
        match variant {
            Variant::Blank => self.id.clone(),
            Variant::Example => format!("{}{EXAMPLE_SUFFIX}", self.id),
        }
    }
}

/// What a worked example's file names add to the template id (`incident-log-example.pdf`);
/// no template id may end with it.
pub const EXAMPLE_SUFFIX: &str = "-example";
