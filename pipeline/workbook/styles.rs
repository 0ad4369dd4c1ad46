//! How the workbook looks: cell formats, row heights that show wrapped text in full, input
//! messages cut to what Excel allows, and the paper it prints on. Nothing here changes what
//! a cell means.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};

use crate::content::manifest::Paper;

/// The cell formats of every sheet.
pub(super) struct Styles {
    /// The title on the instructions sheet.
    pub title: Format,
    /// Column titles.
    pub header: Format,
    /// Wrapped text, top-aligned.
    pub wrap: Format,
    /// Smaller grey wrapped text: notes, guidance, option ids.
    pub muted_wrap: Format,
    /// An input cell (unlocked, yellow).
    pub input: Format,
    /// An input cell for free text.
    pub input_wrap: Format,
    /// An input cell for a date.
    pub input_date: Format,
    /// A section title of a form.
    pub section: Format,
    /// An option's label, indented under its question.
    pub option: Format,
    /// A cell that takes no input (the answer cell of a multiple-choice question).
    pub closed: Format,
    /// A figure with one decimal.
    pub percent: Format,
    /// Bold labels.
    pub bold: Format,
    /// The conditional format of a question's rows while it does not apply: greyed out.
    pub not_applicable: Format,
}

impl Styles {
    /// The toolkit's formats.
    pub fn new() -> Self {
        let border = |f: Format| f.set_border(FormatBorder::Thin).set_border_color("#B8BECC");
        let top_wrap = || Format::new().set_text_wrap().set_align(FormatAlign::Top);
        let input = || Format::new().set_unlocked().set_background_color("#FFF7D6");
        Styles {
            title: Format::new()
                .set_bold()
                .set_font_size(16)
                .set_font_color("#1B2A4A"),
            header: border(
                Format::new()
                    .set_bold()
                    .set_background_color("#1B2A4A")
                    .set_font_color("#FFFFFF")
                    .set_text_wrap(),
            ),
            wrap: border(top_wrap()),
            muted_wrap: border(top_wrap().set_font_color("#4A4A4A").set_font_size(10)),
            input: border(input().set_align(FormatAlign::Top)),
            input_wrap: border(input().set_text_wrap().set_align(FormatAlign::Top)),
            input_date: border(
                input()
                    .set_num_format("yyyy-mm-dd")
                    .set_align(FormatAlign::Top),
            ),
            section: border(
                Format::new()
                    .set_bold()
                    .set_background_color("#E6E9F0")
                    .set_font_color("#1B2A4A"),
            ),
            option: border(top_wrap().set_indent(2)),
            closed: border(
                Format::new()
                    .set_background_color("#E6E9F0")
                    .set_align(FormatAlign::Top)
                    .set_font_color("#4A4A4A")
                    .set_italic(),
            ),
            percent: border(Format::new().set_num_format("0.0")),
            bold: Format::new().set_bold(),
            not_applicable: Format::new()
                .set_background_color("#E3E3E3")
                .set_font_color("#8C8C8C"),
        }
    }
}

/// A row height (points) that shows wrapped text in full: one 15-point line per column
/// width's worth of characters, in the tallest cell.
pub(super) fn row_height(cells: &[(&str, f64)]) -> f64 {
    let lines = cells
        .iter()
        .map(|(text, width)| {
            text.split('\n')
                .map(|part| {
                    (part.chars().count() as f64 / (width * 1.05))
                        .ceil()
                        .max(1.0)
                })
                .sum::<f64>()
        })
        .fold(1.0, f64::max);
    15.0 * lines + 2.0
}

/// Truncates text to the 255 characters Excel allows in an input message.
pub(super) fn input_message(text: &str) -> String {
    if text.chars().count() <= 250 {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(245).collect();
        format!("{cut}…")
    }
}

/// Sets every sheet to print on the toolkit's `paper` (Excel's codes: 9 is A4, 1 is US
/// Letter) and, in a right-to-left language, to run right to left; opens the workbook on
/// its first sheet (the instructions) and returns its bytes.
pub(super) fn finish(
    workbook: &mut Workbook,
    paper: Paper,
    direction: crate::language::Direction,
) -> Result<Vec<u8>, XlsxError> {
    let paper_code = match paper {
        Paper::A4 => 9,
        Paper::UsLetter => 1,
    };
    for sheet in workbook.worksheets_mut() {
        sheet.set_paper_size(paper_code);
        sheet.set_right_to_left(direction == crate::language::Direction::Rtl);
    }
    workbook.worksheet_from_index(0)?.set_active(true);
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    // A long line wraps onto as many 15-point lines as its column needs; short text
    // takes one.
    #[test]
    fn row_heights() {
        assert_eq!(row_height(&[("short", 60.0)]), 17.0);
        let long = "x".repeat(130);
        assert_eq!(row_height(&[(&long, 60.0), ("short", 60.0)]), 47.0);
        assert_eq!(row_height(&[("a\nb\nc", 60.0)]), 47.0);
    }

    // Input messages longer than Excel allows are cut with an ellipsis.
    #[test]
    fn input_messages_are_cut() {
        assert_eq!(input_message("short"), "short");
        let cut = input_message(&"x".repeat(300));
        assert_eq!(cut.chars().count(), 246);
        assert!(cut.ends_with('…'));
    }
}
