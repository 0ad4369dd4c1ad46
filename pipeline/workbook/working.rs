//! The workbook of a working template (see `crate::register`), in the questionnaire
//! workbook's family style: an `Instructions` sheet; a `Register` sheet (one column per
//! field, a frozen header, empty yellow rows to fill) or a `Form` sheet (sections of label,
//! answer and guidance rows); hidden `Lists` and `Metadata` sheets. Choice and yes-no
//! fields get dropdowns, dates a date check, numbers a number check, and every input cell
//! its field's help as input message. Sheets are protected without a password: only the
//! yellow cells can be edited (rows and columns can still be resized).

use std::collections::HashMap;

use rust_xlsxwriter::{
    DataValidation, DataValidationRule, DocProperties, ExcelDateTime, Format, FormatAlign, Formula,
    ProtectionOptions, Workbook, Worksheet, XlsxError,
};

use super::formulas::list_range;
use super::layout::{instructions, lists, metadata, working};
use super::styles::{Styles, input_message, row_height};
use crate::content::manifest::{Manifest, Paper};
use crate::date::Date;
use crate::register::{Field, FieldType, TemplateKind, WorkingTemplate};

/// Dropdown sources by field id: the formula of its options' range on the lists sheet.
type ListRanges = HashMap<String, String>;

/// Writes the workbook of a working template.
pub fn write_working_template(
    t: &WorkingTemplate,
    manifest: &Manifest,
    date: Date,
    paper: Paper,
) -> Result<Vec<u8>, XlsxError> {
    let styles = Styles::new();
    let mut workbook = Workbook::new();
    let created =
        ExcelDateTime::from_ymd(date.year.clamp(1900, 9999) as u16, date.month, date.day)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(t.title.as_str())
            .set_author(manifest.title.as_str())
            .set_comment(manifest.notice.as_str())
            .set_custom_property("Language", manifest.output_language())
            .set_creation_datetime(&created),
    );
    write_instructions(workbook.add_worksheet(), t, manifest, &styles)?;
    let main = workbook.add_worksheet();
    let ranges = {
        // The lists are written first (the main sheet's dropdowns point at them) but
        // placed after the main sheet, so the sheet order reads well.
        let mut ranges = ListRanges::new();
        for (col, field) in (0u16..).zip(t.fields().filter(|f| !f.options.is_empty())) {
            ranges.insert(field.id.clone(), list_range(col, field.options.len()));
        }
        ranges
    };
    match t.kind {
        TemplateKind::Register => write_register(main, t, &ranges, &styles)?,
        TemplateKind::Form => write_form(main, t, &ranges, &styles)?,
    }
    write_lists(workbook.add_worksheet(), t)?;
    write_metadata(workbook.add_worksheet(), t)?;
    super::styles::finish(&mut workbook, paper, manifest.direction)
}

/// The steps on the instructions sheet, by kind, before the list of fields.
fn steps(kind: TemplateKind) -> [&'static str; 3] {
    let first = match kind {
        TemplateKind::Register => {
            "1. On the Register sheet, use one row per entry and fill in the yellow cells. Select a cell to see what it asks for."
        }
        TemplateKind::Form => {
            "1. On the Form sheet, fill in the yellow Answer cells. Select a cell to see what it asks for; the Guidance column shows it in full."
        }
    };
    [
        first,
        "2. Choose from the dropdown where a cell has one. Type dates as year-month-day (2026-03-31).",
        "3. The sheets are protected without a password: only the yellow cells can be edited, which prevents accidental changes. This guides you; it does not secure the file. Keep the file where your agency keeps its records.",
    ]
}

/// The lines of the instructions sheet, under its title.
fn instruction_lines(t: &WorkingTemplate, manifest: &Manifest) -> Vec<(String, bool)> {
    let mut lines = vec![(format!("{} · working template", manifest.title), false)];
    lines.push((String::new(), false));
    for paragraph in [&t.description, &t.instructions] {
        if !paragraph.is_empty() {
            lines.push((paragraph.clone(), false));
            lines.push((String::new(), false));
        }
    }
    lines.push(("How to fill in this workbook".to_owned(), true));
    lines.extend(steps(t.kind).map(|s| (s.to_owned(), false)));
    lines.push((String::new(), false));
    let heading = match t.kind {
        TemplateKind::Register => "The columns",
        TemplateKind::Form => "The fields",
    };
    lines.push((heading.to_owned(), true));
    for field in t.fields() {
        let help = if field.help.is_empty() {
            String::new()
        } else {
            format!(": {}", field.help)
        };
        lines.push((format!("{}{help}", field.label), false));
    }
    lines.push((String::new(), false));
    lines.push((manifest.notice.clone(), false));
    lines
}

fn write_instructions(
    sheet: &mut Worksheet,
    t: &WorkingTemplate,
    manifest: &Manifest,
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name(instructions::NAME)?;
    sheet.set_column_width(0, 90)?;
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    sheet.write_with_format(0, 0, &t.title, &styles.title)?;
    for (i, (line, bold)) in instruction_lines(t, manifest).iter().enumerate() {
        let format = if *bold { &styles.bold } else { &wrap };
        let row = i as u32 + 2;
        sheet.write_with_format(row, 0, line.as_str(), format)?;
        sheet.set_row_height(row, row_height(&[(line, 90.0)]))?;
    }
    sheet.set_print_fit_to_pages(1, 0);
    sheet.protect();
    Ok(())
}

/// The register sheet: the header, then `rows` empty entries with their checks.
fn write_register(
    sheet: &mut Worksheet,
    t: &WorkingTemplate,
    ranges: &ListRanges,
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name(working::REGISTER_NAME)?;
    let first = working::FIRST_ROW;
    let last = first + t.rows - 1;
    let tall = t.columns.iter().any(|c| c.kind == FieldType::LongText);
    let mut header_height: f64 = 17.0;
    for (col, field) in (0u16..).zip(&t.columns) {
        sheet.set_column_width(col, field.width)?;
        sheet.write_with_format(
            working::HEADER_ROW,
            col,
            field.label.as_str(),
            &styles.header,
        )?;
        header_height = header_height.max(row_height(&[(&field.label, field.width)]));
        for row in first..=last {
            sheet.write_with_format(row, col, "", input_format(field, styles))?;
        }
        sheet.add_data_validation(first, col, last, col, &validation(field, ranges)?)?;
    }
    sheet.set_row_height(working::HEADER_ROW, header_height)?;
    if tall {
        for row in first..=last {
            sheet.set_row_height(row, 32)?;
        }
    }
    sheet.set_freeze_panes(first, 0)?;
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(working::HEADER_ROW, working::HEADER_ROW)?;
    sheet.protect_with_options(&resizable());
    Ok(())
}

/// The form sheet: the header, then each section's title row and one row per field.
fn write_form(
    sheet: &mut Worksheet,
    t: &WorkingTemplate,
    ranges: &ListRanges,
    styles: &Styles,
) -> Result<(), XlsxError> {
    use working::{ANSWER_COL, HELP_COL, ID_COL, LABEL_COL};
    sheet.set_name(working::FORM_NAME)?;
    for (col, width) in [(LABEL_COL, 34.0), (ANSWER_COL, 48.0), (HELP_COL, 52.0)] {
        sheet.set_column_width(col, width)?;
    }
    sheet.set_column_hidden(ID_COL)?;
    for (col, title) in (0u16..).zip(working::FORM_HEADERS) {
        sheet.write_with_format(working::HEADER_ROW, col, title, &styles.header)?;
    }
    let mut row = working::FIRST_ROW;
    for section in &t.sections {
        sheet.write_with_format(row, LABEL_COL, section.title.as_str(), &styles.section)?;
        sheet.write_with_format(row, ANSWER_COL, "", &styles.section)?;
        sheet.write_with_format(row, HELP_COL, "", &styles.section)?;
        row += 1;
        for field in &section.fields {
            sheet.write_with_format(row, LABEL_COL, field.label.as_str(), &styles.wrap)?;
            sheet.write_with_format(row, ANSWER_COL, "", input_format(field, styles))?;
            sheet.write_with_format(row, HELP_COL, field.help.as_str(), &styles.muted_wrap)?;
            sheet.write(row, ID_COL, field.id.as_str())?;
            sheet.add_data_validation(
                row,
                ANSWER_COL,
                row,
                ANSWER_COL,
                &validation(field, ranges)?,
            )?;
            let minimum = if field.kind == FieldType::LongText {
                60.0
            } else {
                17.0
            };
            let height = row_height(&[(&field.label, 34.0), (&field.help, 52.0)]);
            sheet.set_row_height(row, height.max(minimum))?;
            row += 1;
        }
    }
    sheet.set_freeze_panes(working::FIRST_ROW, 0)?;
    sheet.set_portrait();
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(working::HEADER_ROW, working::HEADER_ROW)?;
    sheet.protect_with_options(&resizable());
    Ok(())
}

/// Protection without a password that still lets people resize rows and columns.
fn resizable() -> ProtectionOptions {
    ProtectionOptions {
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::new()
    }
}

/// The yellow input format of a field's cells.
fn input_format<'s>(field: &Field, styles: &'s Styles) -> &'s Format {
    match field.kind {
        FieldType::LongText => &styles.input_wrap,
        FieldType::Date => &styles.input_date,
        _ => &styles.input,
    }
}

/// A field's check: a dropdown of its options, a date, a number or any text; with its
/// help as input message.
fn validation(field: &Field, ranges: &ListRanges) -> Result<DataValidation, XlsxError> {
    let checked = match field.kind {
        FieldType::Choice | FieldType::YesNo => DataValidation::new()
            .allow_list_formula(Formula::new(ranges[&field.id].as_str()))
            .set_error_title("Choose from the list")?
            .set_error_message("Choose one of the values in the dropdown.")?,
        FieldType::Date => DataValidation::new()
            .allow_date(DataValidationRule::Between(
                ExcelDateTime::from_ymd(1900, 1, 1)?,
                ExcelDateTime::from_ymd(9999, 12, 31)?,
            ))
            .set_error_title("Type a date")?
            .set_error_message("Type a date as year-month-day, for example 2026-03-31.")?,
        FieldType::Number => DataValidation::new()
            .allow_decimal_number(DataValidationRule::Between(-1e15, 1e15))
            .set_error_title("Type a number")?
            .set_error_message("Type a number, without units.")?,
        FieldType::Text | FieldType::LongText => DataValidation::new().allow_any_value(),
    };
    let title: String = field.label.chars().take(32).collect();
    let message = if field.help.is_empty() {
        field.label.clone()
    } else {
        field.help.clone()
    };
    checked
        .set_input_title(title)?
        .set_input_message(input_message(&message))
}

/// The dropdown values: one column per field with options, in field order from A.
fn write_lists(sheet: &mut Worksheet, t: &WorkingTemplate) -> Result<(), XlsxError> {
    sheet.set_name(lists::NAME)?;
    for (col, field) in (0u16..).zip(t.fields().filter(|f| !f.options.is_empty())) {
        for (i, option) in field.options.iter().enumerate() {
            sheet.write(i as u32, col, option.as_str())?;
        }
    }
    sheet.set_hidden(true);
    sheet.protect();
    Ok(())
}

fn write_metadata(sheet: &mut Worksheet, t: &WorkingTemplate) -> Result<(), XlsxError> {
    sheet.set_name(metadata::NAME)?;
    let rows = [
        (working::TEMPLATE, t.id.as_str()),
        (metadata::CHECKSUM, t.checksum.as_str()),
        (
            metadata::GENERATOR,
            concat!("toolkit ", env!("CARGO_PKG_VERSION")),
        ),
    ];
    for (i, (key, value)) in (0u32..).zip(rows) {
        sheet.write(i, metadata::KEY_COL, key)?;
        sheet.write(i, metadata::VALUE_COL, value)?;
    }
    sheet.set_hidden(true);
    sheet.protect();
    Ok(())
}
