//! Conditions in words, as the workbook's guidance and the printable questionnaire print
//! them: question ids and option labels from the definition, so a reader of either finds
//! the same question by the same id. The joining words ("and", "or", "includes", "is"),
//! the quotes and the sentence around a condition come from the words of the output's
//! language (`condition.*` in templates/words.toml).

use serde::Serialize;

use super::{Condition, Question, QuestionType, Questionnaire};
use crate::words::Words as Dictionary;

/// "A", "A or B", "A, B or C", in the words' language.
pub fn either(items: &[String], words: &Dictionary) -> String {
    joined(items, words.get("condition.or"), words)
}

/// "A", "A and B", "A, B and C", in the words' language.
pub fn both(items: &[String], words: &Dictionary) -> String {
    joined(items, words.get("condition.and"), words)
}

fn joined(items: &[String], word: &str, words: &Dictionary) -> String {
    let mut text = String::new();
    for (k, item) in items.iter().enumerate() {
        text.push_str(&separator(k, items.len(), word, words));
        text.push_str(item);
    }
    text
}

/// What goes before item `k` of `n` in a list joined with `word`: nothing, the list comma
/// and a space, or ` <word> ` before the last.
fn separator(k: usize, n: usize, word: &str, words: &Dictionary) -> String {
    match k {
        0 => String::new(),
        k if k + 1 == n => format!(" {} ", word.trim()),
        _ => format!("{} ", words.get("condition.comma").trim_end()),
    }
}

/// A label in the quotes of the words' language (“A” in English, « A » in French).
pub fn quoted(label: &str, words: &Dictionary) -> String {
    words.fill("condition.quoted", &[("label", label)])
}

/// Each item of a condition in words: the id of the question it names and what its
/// answer must be (`includes “A” or “B”`: a multiple-choice question includes, another
/// is), in the condition's order.
pub fn condition_items(
    q: &Questionnaire,
    condition: &[Condition],
    words: &Dictionary,
) -> Vec<(String, String)> {
    condition
        .iter()
        .map(|item| {
            let other = &q.questions[item.question];
            let verb = match other.kind {
                QuestionType::Multiple => words.get("condition.includes"),
                QuestionType::Single | QuestionType::Text => words.get("condition.is"),
            };
            let labels: Vec<String> = item
                .options
                .iter()
                .filter_map(|&o| other.options.get(o))
                .map(|o| quoted(&o.label, words))
                .collect();
            (
                other.id.clone(),
                format!("{verb} {}", either(&labels, words)),
            )
        })
        .collect()
}

/// Each item of a condition as a phrase: `RA-TEC-02 includes “A” or “B”`.
pub fn condition_phrases(
    q: &Questionnaire,
    condition: &[Condition],
    words: &Dictionary,
) -> Vec<String> {
    condition_items(q, condition, words)
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
/// with the question ids apart; empty when it has no such condition. The sentence is
/// `condition.answer-only-if`, its `{conditions}` the items joined with "and".
pub fn answer_only_if(q: &Questionnaire, question: &Question, words: &Dictionary) -> Vec<Words> {
    let items = condition_items(q, &question.relevant, words);
    if items.is_empty() {
        return Vec::new();
    }
    let piece = |text: &str, id: bool| Words {
        text: text.to_owned(),
        id,
    };
    let sentence = words.get("condition.answer-only-if");
    let (before, after) = sentence
        .split_once("{conditions}")
        .unwrap_or((sentence, ""));
    let mut pieces = vec![piece(before, false)];
    let and = words.get("condition.and");
    for (k, (id, answer)) in items.iter().enumerate() {
        let between = separator(k, items.len(), and, words);
        if !between.is_empty() {
            pieces.push(piece(&between, false));
        }
        pieces.push(piece(id, true));
        pieces.push(piece(&format!(" {answer}"), false));
    }
    pieces.push(piece(after, false));
    pieces.retain(|p| !p.text.is_empty());
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
        let words = Dictionary::default();
        assert_eq!(either(&items(1), &words), "A");
        assert_eq!(either(&items(2), &words), "A or B");
        assert_eq!(both(&items(3), &words), "A, B and C");
        assert_eq!(both(&items(2), &words), "A and B");
        assert_eq!(either(&items(3), &words), "A, B or C");
        assert_eq!(both(&items(0), &words), "");
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
        let words = Dictionary::default();
        let pieces = answer_only_if(&q, &q.questions[2], &words);
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
        assert!(answer_only_if(&q, &q.questions[1], &words).is_empty());
        // In another language, every word around the ids and labels is that language's.
        let mut french = Dictionary::default();
        for (key, text) in [
            ("condition.and", "et"),
            ("condition.or", "ou"),
            ("condition.includes", "comprend"),
            ("condition.is", "est"),
            ("condition.quoted", "«\u{a0}{label}\u{a0}»"),
            (
                "condition.answer-only-if",
                "Répondez seulement si {conditions}\u{a0}; sinon, laissez vide.",
            ),
        ] {
            french.set(key, text);
        }
        let text: String = answer_only_if(&q, &q.questions[2], &french)
            .iter()
            .map(|w| w.text.as_str())
            .collect();
        assert_eq!(
            text,
            "Répondez seulement si T-02 comprend «\u{a0}Face recognition\u{a0}» ou «\u{a0}Other biometrics\u{a0}» et T-03 est «\u{a0}People\u{a0}»\u{a0}; sinon, laissez vide."
        );
    }
}
