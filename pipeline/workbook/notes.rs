//! The note a question's guidance starts with when the question can stop applying: the
//! roles and stages it is for (in a workbook for every role and stage) and the earlier
//! answers it depends on (its `relevant` condition), in words.

use crate::content::manifest::Manifest;
use crate::questionnaire::wording::{both, condition_phrases, either};
use crate::questionnaire::{Question, Questionnaire};
use crate::words::Words;

/// When the question applies, as "Answer only if ...", or `None` when it always applies
/// (roles and stages left out when the workbook is `tailored` to one of each).
pub fn applies_note(
    q: &Questionnaire,
    question: &Question,
    (manifest, words): (&Manifest, &Words),
    tailored: bool,
) -> Option<String> {
    let labels = |ids: &[String]| -> Vec<String> {
        ids.iter()
            .map(|id| manifest.label_of(id).unwrap_or(id).to_owned())
            .collect()
    };
    let mut parts = Vec::new();
    if !tailored && !question.roles.is_empty() {
        let roles = either(&labels(&question.roles), words);
        parts.push(words.fill("workbook.applies-role", &[("roles", &roles)]));
    }
    if !tailored && !question.stages.is_empty() {
        let stages = either(&labels(&question.stages), words);
        parts.push(words.fill("workbook.applies-stage", &[("stages", &stages)]));
    }
    parts.extend(condition_phrases(q, &question.relevant, words));
    (!parts.is_empty()).then(|| {
        words.fill(
            "workbook.applies-only-if",
            &[("conditions", &both(&parts, words))],
        )
    })
}
