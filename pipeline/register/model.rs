//! The model of a working template: a register (a table, one row per entry) or a form
//! (one record, label and answer rows grouped in sections), with typed fields. The
//! workbook writer and the printable template both read it, so they cannot drift apart.

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
    /// How many empty rows a register's workbook offers.
    pub rows: u32,
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
}
