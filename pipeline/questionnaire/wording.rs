//! Conditions in words, as the workbook's guidance and the printable questionnaire print
//! them: question ids and option labels from the definition, so a reader of either finds
//! the same question by the same id.

use serde::Serialize;

use super::{Condition, Question, QuestionType, Questionnaire};

/// "A", "A or B", "A, B or C".
pub fn either(items: &[String]) -> String {
    joined(items, "or")
}

/// "A", "A and B", "A, B and C".
pub fn both(items: &[String]) -> String {
    joined(items, "and")
}

fn joined(items: &[String], word: &str) -> String {
    let mut text = String::new();
    for (k, item) in items.iter().enumerate() {
        text.push_str(separator(k, items.len(), word));
        text.push_str(item);
    }
    text
}

/// What goes before item `k` of `n` in a list joined with `word`: nothing, ", " or
/// " and " (" or ") before the last.
fn separator(k: usize, n: usize, word: &str) -> &'static str {
    match (k, word) {
        (0, _) => "",
        (k, "and") if k + 1 == n => " and ",
        (k, "or") if k + 1 == n => " or ",
        _ => ", ",
    }
}

/// A label in curly quotes.
pub fn quoted(label: &str) -> String {
    format!("\u{201c}{label}\u{201d}")
}

/// Each item of a condition in words: the id of the question it names and what its
/// answer must be (`includes “A” or “B”`: a multiple-choice question includes, another
/// is), in the condition's order.
pub fn condition_items(q: &Questionnaire, condition: &[Condition]) -> Vec<(String, String)> {
    condition
        .iter()
        .map(|item| {
            let other = &q.questions[item.question];
            let verb = match other.kind {
                QuestionType::Multiple => "includes",
                QuestionType::Single | QuestionType::Text => "is",
            };
            let labels: Vec<String> = item
                .options
                .iter()
                .filter_map(|&o| other.options.get(o))
                .map(|o| quoted(&o.label))
                .collect();
            (other.id.clone(), format!("{verb} {}", either(&labels)))
        })
        .collect()
}

/// Each item of a condition as a phrase: `RA-TEC-02 includes “A” or “B”`.
pub fn condition_phrases(q: &Questionnaire, condition: &[Condition]) -> Vec<String> {
    condition_items(q, condition)
        .into_iter()
        .map(|(id, answer)| format!("{id} {answer}"))
        .collect()
}

/// A piece of a sentence: words, or a question id (which a printed page may set apart).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Words {
    /// The text.
    pub text: String,
    /// Whether the text is a question id.
    pub id: bool,
}

/// When a question with a `relevant` condition is to be answered, for paper: "Answer only
/// if RA-TEC-02 includes “A” and RA-TEC-03 is “B”; otherwise leave it blank.", in pieces
/// with the question ids apart; empty when it has no such condition.
pub fn answer_only_if(q: &Questionnaire, question: &Question) -> Vec<Words> {
    let items = condition_items(q, &question.relevant);
    if items.is_empty() {
        return Vec::new();
    }
    let words = |text: &str, id: bool| Words {
        text: text.to_owned(),
        id,
    };
    let mut pieces = vec![words("Answer only if ", false)];
    for (k, (id, answer)) in items.iter().enumerate() {
        let before = separator(k, items.len(), "and");
        if !before.is_empty() {
            pieces.push(words(before, false));
        }
        pieces.push(words(id, true));
        pieces.push(words(&format!(" {answer}"), false));
    }
    pieces.push(words("; otherwise leave it blank.", false));
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::Choice;

    fn option(value: &str, label: &str) -> Choice {
        Choice {
            value: value.into(),
            label: label.into(),
            score: 1.0,
            not_applicable: false,
        }
    }

    // Lists read as a person writes them.
    #[test]
    fn lists_in_words() {
        let items = |n: usize| -> Vec<String> {
            ["A", "B", "C"][..n].iter().map(|s| s.to_string()).collect()
        };
        assert_eq!(either(&items(1)), "A");
        assert_eq!(either(&items(2)), "A or B");
        assert_eq!(both(&items(3)), "A, B and C");
        assert_eq!(both(&items(2)), "A and B");
        assert_eq!(either(&items(3)), "A, B or C");
        assert_eq!(both(&items(0)), "");
    }

    // A condition names each question by its id and each option by its label; a
    // multiple-choice question "includes", a single-choice one "is".
    #[test]
    fn conditions_in_words() {
        let techniques = vec![
            option("face", "Face recognition"),
            option("voice", "Other biometrics"),
            option("none", "None"),
        ];
        let subject = vec![option("people", "People"), option("places", "Places")];
        let mut q = crate::report::fixtures::readiness(1, 0);
        q.questions = vec![
            Question::new("T-02", 0, QuestionType::Multiple, techniques),
            Question::new("T-03", 0, QuestionType::Single, subject),
            Question::new("T-04", 0, QuestionType::Single, vec![]),
        ];
        q.questions[2].relevant = vec![
            Condition {
                question: 0,
                options: vec![0, 1],
            },
            Condition {
                question: 1,
                options: vec![0],
            },
        ];
        let pieces = answer_only_if(&q, &q.questions[2]);
        let text: String = pieces.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(
            text,
            "Answer only if T-02 includes \u{201c}Face recognition\u{201d} or \u{201c}Other biometrics\u{201d} and T-03 is \u{201c}People\u{201d}; otherwise leave it blank."
        );
        let ids: Vec<&str> = pieces
            .iter()
            .filter(|w| w.id)
            .map(|w| w.text.as_str())
            .collect();
        assert_eq!(ids, ["T-02", "T-03"]);
        assert!(answer_only_if(&q, &q.questions[1]).is_empty());
    }
}
