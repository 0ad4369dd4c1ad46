//! The sheet layout of the questionnaire workbook, in one place: sheet names, header and
//! field rows, columns, the hidden lists, and the words and separators that the writer
//! puts in cells and the answer reader (`answers::sheet`) and the formulas look for.
//! Anything a writer and a reader must agree on is spelled here and nowhere else.
//!
//! Rows and columns are zero-based, as rust_xlsxwriter and calamine count them; the
//! helpers at the end turn them into the A1 references that formulas and messages use.

/// The answer that marks an option of a multiple-choice question as chosen.
pub const SELECTED: &str = "Yes";

/// Separator between a question id and an option value in option rows (`D-02/cctv`).
pub const OPTION_SEPARATOR: char = '/';

/// The first sheet: how to fill in the workbook.
pub mod instructions {
    /// Sheet name.
    pub const NAME: &str = "Instructions";
}

/// Who answers: field labels in one column, the respondent's inputs beside them.
pub mod respondent {
    use super::absolute_cell;

    /// Sheet name.
    pub const NAME: &str = "Respondent";
    /// Row of the column titles.
    pub const HEADER_ROW: u32 = 0;
    /// Column of the field labels (A).
    pub const LABEL_COL: u16 = 0;
    /// Column of the respondent's inputs (B).
    pub const VALUE_COL: u16 = 1;
    /// Column of the notes that explain each field (C).
    pub const NOTE_COL: u16 = 2;

    /// One field of the respondent sheet: its label and its row.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct Field {
        /// The label in the label column; also the name of the response field it fills.
        pub label: &'static str,
        /// Its row.
        pub row: u32,
    }

    impl Field {
        const fn new(label: &'static str, row: u32) -> Field {
            Field { label, row }
        }

        /// The absolute reference of the field's input cell, for formulas on other
        /// sheets: `Respondent!$B$5`.
        pub fn value_reference(self) -> String {
            format!("{NAME}!{}", absolute_cell(VALUE_COL, self.row))
        }
    }

    /// The response id given by the organiser.
    pub const RESPONSE_ID: Field = Field::new("Response ID", 1);
    /// The respondent's name.
    pub const RESPONDENT: Field = Field::new("Respondent", 2);
    /// The workshop or agency.
    pub const GROUP: Field = Field::new("Group", 3);
    /// The respondent's role (a dropdown of role labels).
    pub const ROLE: Field = Field::new("Role", 4);
    /// The stage of the system answered about (a dropdown of stage labels).
    pub const STAGE: Field = Field::new("Stage", 5);
    /// Every field of every workbook, top to bottom.
    pub const FIELDS: [Field; 5] = [RESPONSE_ID, RESPONDENT, GROUP, ROLE, STAGE];
    /// The name of the system assessed (SPEC §6 `system`): risk questionnaires only, on
    /// the row under [`FIELDS`], so a reader asks for it only where the questionnaire is
    /// a risk assessment (or reads it when its label is there).
    pub const SYSTEM: Field = Field::new("System", 6);
}

/// The hidden sheet of dropdown values.
pub mod lists {
    /// Sheet name.
    pub const NAME: &str = "Lists";
    /// Column of the role labels (A).
    pub const ROLES_COL: u16 = 0;
    /// Column of the stage labels (B).
    pub const STAGES_COL: u16 = 1;
    /// Column holding only [`super::SELECTED`], the dropdown of option rows (C).
    pub const SELECTED_COL: u16 = 2;
    /// The first column of option labels; each single-choice question takes the next (D).
    pub const FIRST_QUESTION_COL: u16 = 3;
}

/// The questions and the respondent's answers, with hidden scoring columns.
pub mod questions {
    use super::column_letter;

    /// Sheet name.
    pub const NAME: &str = "Questions";
    /// Row of the column titles.
    pub const HEADER_ROW: u32 = 0;
    /// The first question's row.
    pub const FIRST_ROW: u32 = 1;
    /// What the answer cell of a multiple-choice question says (its options are below).
    pub const MULTIPLE_PLACEHOLDER: &str = "select below";

    /// A column of the questions sheet: where it is and its title in the header row.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct Column {
        /// Zero-based column.
        pub index: u16,
        /// Title in the header row.
        pub title: &'static str,
    }

    impl Column {
        const fn new(index: u16, title: &'static str) -> Column {
            Column { index, title }
        }

        /// The column's letters (`E`).
        pub fn letter(self) -> String {
            column_letter(self.index)
        }
    }

    /// The question id, or `<question id>/<option value>` on option rows (A).
    pub const ID: Column = Column::new(0, "ID");
    /// The dimension's title (B).
    pub const DIMENSION: Column = Column::new(1, "Dimension");
    /// The question text, or an option's label on option rows (C).
    pub const QUESTION: Column = Column::new(2, "Question");
    /// The guidance (D).
    pub const GUIDANCE: Column = Column::new(3, "Guidance");
    /// The respondent's answer (E).
    pub const ANSWER: Column = Column::new(4, "Answer");
    /// Hidden: the dimension id the score sheet sums by (F).
    pub const DIMENSION_ID: Column = Column::new(5, "dimension id");
    /// Hidden: whether the question applies to the chosen role and stage (G).
    pub const APPLIES: Column = Column::new(6, "applies");
    /// Hidden: the points achieved (H).
    pub const ACHIEVED: Column = Column::new(7, "achieved");
    /// Hidden: the points possible (I).
    pub const MAX: Column = Column::new(8, "max");
    /// Hidden: whether the answer cells hold an answer, applicable or not (J).
    pub const ANSWERED: Column = Column::new(9, "answered");
    /// Hidden: whether an applicable screening question is left blank or `unsure` (K).
    pub const UNKNOWN: Column = Column::new(10, "unknown");
    /// Hidden: 1 for an applicable question that is scored (not text), else 0 (L).
    pub const COUNTED: Column = Column::new(11, "counted");
    /// Hidden: 1 for a counted question that is answered, else 0 (M).
    pub const COUNTED_ANSWERED: Column = Column::new(12, "counted answered");
    /// Hidden: 1 for an applicable required question left blank, else 0 (N).
    pub const MISSING: Column = Column::new(13, "missing");
    /// The columns a respondent sees, left to right.
    pub const VISIBLE: [Column; 5] = [ID, DIMENSION, QUESTION, GUIDANCE, ANSWER];
    /// The hidden scoring columns, left to right.
    pub const HIDDEN: [Column; 9] = [
        DIMENSION_ID,
        APPLIES,
        ACHIEVED,
        MAX,
        ANSWERED,
        UNKNOWN,
        COUNTED,
        COUNTED_ANSWERED,
        MISSING,
    ];
}

/// The live score: one row per dimension, then the overall score, the level from the
/// score, one row per raising of a flag (each question flag, then each rule) carrying the
/// level down, the final level, completion, the raised flags, the unknowns, the verdict
/// and the warnings.
pub mod score {
    use crate::questionnaire::DimensionRole;

    /// Sheet name.
    pub const NAME: &str = "Score";
    /// Row of the column titles.
    pub const HEADER_ROW: u32 = 0;
    /// The first dimension's row.
    pub const FIRST_DIMENSION_ROW: u32 = 1;
    /// Row labels: a dimension's title, "Risk", "Score", "Level"... (A).
    pub const LABEL_COL: u16 = 0;
    /// A dimension's weight (B).
    pub const WEIGHT_COL: u16 = 1;
    /// A dimension's points achieved (C).
    pub const POINTS_COL: u16 = 2;
    /// A dimension's points possible (D).
    pub const OF_COL: u16 = 3;
    /// The figure a reader looks at: a percent, the score, a level label, a flag's state (E).
    pub const VALUE_COL: u16 = 4;
    /// Hidden: a dimension's weighted percent (0 when not scored) (F).
    pub const WEIGHTED_COL: u16 = 5;
    /// Hidden: on level and flag rows, the level's position, 1 for the lowest (F).
    pub const LEVEL_INDEX_COL: u16 = 5;
    /// Hidden: a dimension's weight when it is scored, else 0 (G).
    pub const SCORED_WEIGHT_COL: u16 = 6;
    /// Hidden: on a flag's row, 1 when that raising is raised, else 0 (G).
    pub const RAISED_COL: u16 = 6;
    /// Hidden: a dimension's role, as [`role_key`] spells it (H).
    pub const ROLE_COL: u16 = 7;
    /// Hidden: on a flag's row, 1 when it is raised and stops the use, else 0 (H).
    pub const STOP_COL: u16 = 7;
    /// Labels of the rows under the flags, which tests and readers look for: the English
    /// words (`workbook.level`...), which an edition in another language translates.
    pub const LEVEL_LABEL: &str = "Level";
    /// The completion row's label.
    pub const COMPLETION_LABEL: &str = "Completion";
    /// The raised flags' row label (ids sorted, joined with [`LIST_SEPARATOR`]).
    pub const FLAGS_LABEL: &str = "Flags raised";
    /// The unknowns' row label (screening question ids, in question order).
    pub const UNKNOWNS_LABEL: &str = "Unknowns";
    /// The verdict's row label (risk questionnaires).
    pub const VERDICT_LABEL: &str = "Verdict";
    /// The warnings' row label (rules that contradict a screening answer of "no").
    pub const WARNINGS_LABEL: &str = "Warnings";
    /// Separator of the ids listed in one cell.
    pub const LIST_SEPARATOR: &str = "; ";
    /// Titles of the visible columns, left to right from [`LABEL_COL`], in English (the
    /// workbook writes the edition's words).
    pub const HEADERS: [&str; 5] = ["Dimension", "Weight", "Points", "Of", "Percent"];

    /// How the role column names a dimension's role (the means sum by it).
    pub fn role_key(role: DimensionRole) -> &'static str {
        match role {
            DimensionRole::Risk => "risk",
            DimensionRole::Mitigation => "mitigation",
            DimensionRole::Plain => "plain",
        }
    }
}

/// The hidden sheet that says which questionnaire a workbook is: one key and value a row.
pub mod metadata {
    /// Sheet name.
    pub const NAME: &str = "Metadata";
    /// Column of the keys (A).
    pub const KEY_COL: u16 = 0;
    /// Column of the values (B).
    pub const VALUE_COL: u16 = 1;
    /// Key of the questionnaire id.
    pub const QUESTIONNAIRE: &str = "questionnaire";
    /// Key of the questionnaire version.
    pub const VERSION: &str = "version";
    /// Key of the definition's SHA-256.
    pub const CHECKSUM: &str = "checksum";
    /// Key of the role a tailored workbook is for.
    pub const ROLE: &str = "role";
    /// Key of the stage a tailored workbook is for.
    pub const STAGE: &str = "stage";
    /// Key of the language the workbook speaks (its respondents answer in it).
    pub const LANGUAGE: &str = "language";
    /// Key of the program that wrote the workbook.
    pub const GENERATOR: &str = "generator";
}

/// The workbook of a working template (a register or a form, see `crate::register`): an
/// instructions sheet, the table or form sheet, and hidden [`lists`] (one column per
/// field with options, from A) and [`metadata`] (key [`working::TEMPLATE`]) sheets.
pub mod working {
    /// Sheet name of a register's table.
    pub const REGISTER_NAME: &str = "Register";
    /// Sheet name of a form.
    pub const FORM_NAME: &str = "Form";
    /// Row of the column titles (register) or of `Field`, `Answer`, `Guidance` (form).
    pub const HEADER_ROW: u32 = 0;
    /// The first entry's row of a register, the first section's row of a form.
    pub const FIRST_ROW: u32 = 1;
    /// A form's field labels (A).
    pub const LABEL_COL: u16 = 0;
    /// A form's input cells (B).
    pub const ANSWER_COL: u16 = 1;
    /// A form's guidance (C).
    pub const HELP_COL: u16 = 2;
    /// Hidden: a form's field ids (D).
    pub const ID_COL: u16 = 3;
    /// A form's column titles, left to right from [`LABEL_COL`].
    pub const FORM_HEADERS: [&str; 4] = ["Field", "Answer", "Guidance", "ID"];
    /// Metadata key of the template id.
    pub const TEMPLATE: &str = "template";
}

/// Excel column letters for a zero-based column: 0 is `A`, 26 is `AA`.
pub fn column_letter(col: impl Into<u32>) -> String {
    let mut col = col.into();
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).expect("ASCII")
}

/// A relative A1 reference to a zero-based cell: column 4, row 11 is `E12`.
pub fn cell(col: u16, row: u32) -> String {
    format!("{}{}", column_letter(col), row + 1)
}

/// An absolute A1 reference to a zero-based cell: column 4, row 11 is `$E$12`.
pub fn absolute_cell(col: u16, row: u32) -> String {
    format!("${}${}", column_letter(col), row + 1)
}

/// A relative A1 range down one column, zero-based rows inclusive: `G2:G7`.
pub fn column_range(col: u16, first_row: u32, last_row: u32) -> String {
    format!("{}:{}", cell(col, first_row), cell(col, last_row))
}

/// An absolute A1 range down one column, zero-based rows inclusive: `$G$2:$G$7`.
pub fn absolute_column_range(col: u16, first_row: u32, last_row: u32) -> String {
    format!(
        "{}:{}",
        absolute_cell(col, first_row),
        absolute_cell(col, last_row)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    // Column letters follow Excel's scheme past Z.
    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0u32), "A");
        assert_eq!(column_letter(25u32), "Z");
        assert_eq!(column_letter(26u32), "AA");
        assert_eq!(column_letter(27u32), "AB");
        assert_eq!(column_letter(701u32), "ZZ");
        assert_eq!(column_letter(702u32), "AAA");
    }

    // References count rows from one and columns from A, relative or absolute.
    #[test]
    fn references() {
        assert_eq!(cell(questions::ANSWER.index, 11), "E12");
        assert_eq!(absolute_cell(questions::ANSWER.index, 11), "$E$12");
        assert_eq!(column_range(score::SCORED_WEIGHT_COL, 1, 6), "G2:G7");
        assert_eq!(
            absolute_column_range(lists::SELECTED_COL, 0, 0),
            "$C$1:$C$1"
        );
    }

    // The role and stage inputs that the applies formulas read are the fields' own cells.
    #[test]
    fn respondent_references() {
        assert_eq!(respondent::ROLE.value_reference(), "Respondent!$B$5");
        assert_eq!(respondent::STAGE.value_reference(), "Respondent!$B$6");
        let rows: Vec<u32> = respondent::FIELDS.iter().map(|f| f.row).collect();
        assert_eq!(rows, [1, 2, 3, 4, 5], "one field a row under the header");
    }

    // The visible and hidden columns of the questions sheet are contiguous and distinct.
    #[test]
    fn question_columns_in_order() {
        let all: Vec<u16> = questions::VISIBLE
            .iter()
            .chain(&questions::HIDDEN)
            .map(|c| c.index)
            .collect();
        assert_eq!(all, (0..14).collect::<Vec<u16>>());
    }
}
