//! The note a question's guidance starts with when the question can stop applying: the
//! roles and stages it is for (in a workbook for every role and stage) and the earlier
//! answers it depends on (its `relevant` condition), in words.

use crate::content::manifest::Manifest;
use crate::questionnaire::{Question, QuestionType, Questionnaire};

/// "A", "A or B", "A, B or C".
fn either(items: &[String]) -> String {
    joined(items, "or")
}

/// "A", "A and B", "A, B and C".
fn both(items: &[String]) -> String {
    joined(items, "and")
}

fn joined(items: &[String], word: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {word} {last}", init.join(", ")),
    }
}

/// When the question applies, as "Answer only if ...", or `None` when it always applies
/// (roles and stages left out when the workbook is `tailored` to one of each).
pub fn applies_note(
    q: &Questionnaire,
    question: &Question,
    manifest: &Manifest,
    tailored: bool,
) -> Option<String> {
    let labels = |ids: &[String]| -> Vec<String> {
        ids.iter()
            .map(|id| manifest.label_of(id).unwrap_or(id).to_owned())
            .collect()
    };
    let mut parts = Vec::new();
    if !tailored && !question.roles.is_empty() {
        parts.push(format!("your role is {}", either(&labels(&question.roles))));
    }
    if !tailored && !question.stages.is_empty() {
        parts.push(format!(
            "the stage is {}",
            either(&labels(&question.stages))
        ));
    }
    for item in &question.relevant {
        let other = &q.questions[item.question];
        let verb = match other.kind {
            QuestionType::Multiple => "includes",
            QuestionType::Single | QuestionType::Text => "is",
        };
        let options: Vec<String> = item
            .options
            .iter()
            .filter_map(|&o| other.options.get(o))
            .map(|o| format!("\u{201c}{}\u{201d}", o.label))
            .collect();
        parts.push(format!("{} {verb} {}", other.id, either(&options)));
    }
    (!parts.is_empty()).then(|| {
        format!(
            "Answer only if {}; otherwise this question is greyed out and not scored.",
            both(&parts)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // Lists read as a person writes them.
    #[test]
    fn lists_in_words() {
        let items = |n: usize| -> Vec<String> {
            ["A", "B", "C"][..n].iter().map(|s| s.to_string()).collect()
        };
        assert_eq!(either(&items(1)), "A");
        assert_eq!(either(&items(2)), "A or B");
        assert_eq!(both(&items(3)), "A, B and C");
    }
}
