//! Problems found in user-editable input, each located by file and line, and the error
//! type that carries a list of them.

use std::fmt;

/// One thing a user can fix, at a place they can open.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// Path as the user would type it, for example `sources/guides/roadmap.md`.
    pub file: String,
    /// One-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// Lowercase description of what is wrong and what was expected.
    pub message: String,
}

impl Problem {
    /// A problem at a line of a file.
    pub fn new(file: impl Into<String>, line: usize, message: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        } else {
            write!(f, "{}: {}", self.file, self.message)
        }
    }
}

/// A list of problems that stops a command from going on.
#[derive(Debug, Clone, Default)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    /// Records a problem.
    pub fn push(&mut self, problem: Problem) {
        self.0.push(problem);
    }

    /// Records a problem at a line of a file.
    pub fn at(&mut self, file: &str, line: usize, message: impl Into<String>) {
        self.0.push(Problem::new(file, line, message));
    }

    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Sorts by file and line and drops exact repeats.
    pub fn sorted(mut self) -> Self {
        self.0.sort();
        self.0.dedup();
        self
    }

    /// Ok when empty, else the problems as an error.
    pub fn into_result(self) -> Result<(), Problems> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self.sorted())
        }
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Problems {}

/// The message of a TOML error in a user's words: serde's `invalid type: map, expected a
/// string` becomes `expected a string, found a date (2026-11-27); write it in quotes`, so
/// the message says which type was expected and which was found.
pub fn toml_message(text: &str, error: &toml::de::Error) -> String {
    let message = error.message().trim();
    let Some((found, expected)) = message
        .strip_prefix("invalid type: ")
        .and_then(|rest| rest.split_once(", expected "))
    else {
        return message.to_owned();
    };
    let value = error
        .span()
        .and_then(|span| text.get(span))
        .unwrap_or("")
        .trim();
    let is_date = value.len() >= 10
        && value.as_bytes()[..10].iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    let found = match found {
        "map" if is_date => format!("a date ({value})"),
        "map" => "a table".to_owned(),
        "sequence" => "a list".to_owned(),
        other => other.to_owned(),
    };
    let hint = if is_date && expected.contains("string") {
        format!("; write it in quotes: \"{value}\"")
    } else {
        String::new()
    };
    format!("expected {expected}, found {found}{hint}")
}

/// The one-based line of a byte offset in `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod toml_tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Dated {
        date: String,
        tags: Vec<String>,
    }

    // A date written without quotes, and a table or a string where another type belongs,
    // are named as what they are, beside what was expected.
    #[test]
    fn toml_type_errors_say_expected_and_found() {
        let text = "date = 2026-11-27\ntags = []\n";
        let error = toml::from_str::<Dated>(text).unwrap_err();
        let message = toml_message(text, &error);
        assert!(
            message.contains("expected a string, found a date (2026-11-27)")
                && message.contains("write it in quotes"),
            "{message}"
        );
        let text = "date = \"2026-11-27\"\ntags = \"a\"\n";
        let message = toml_message(text, &toml::from_str::<Dated>(text).unwrap_err());
        assert!(
            message.starts_with("expected a sequence, found string"),
            "{message}"
        );
    }
}
