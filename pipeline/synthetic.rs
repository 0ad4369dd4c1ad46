//! Synthetic answers for benchmarks and the sample answer files: plausible, reproducible
//! responses to a questionnaire, written as a wide CSV (SPEC §6).
//!
//! Each response leans towards a maturity between 0 and 1 (better practice for
//! readiness and principles, more risk for risk dimensions), with per-question noise,
//! the odd blank and the odd "not applicable", and rarely an answer that raises a flag,
//! from a seeded generator.

use crate::answers::validate::{Response, Validator};
use crate::content::manifest::Manifest;
use crate::questionnaire::template::METADATA_COLUMNS;
use crate::questionnaire::{DimensionRole, QuestionType, Questionnaire};
use crate::scoring::ScoreResult;

/// A small, fast, seeded generator (xorshift64*), so the same seed gives the same answers.
#[derive(Debug, Clone)]
pub struct Seeded(u64);

impl Seeded {
    /// A generator from a seed (0 is replaced by a fixed odd constant).
    pub fn new(seed: u64) -> Self {
        Seeded(if seed == 0 {
            0x9e37_79b9_7f4a_7c15
        } else {
            seed
        })
    }

    /// The next number in 0..1.
    pub fn unit(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A number in 0..n.
    pub fn below(&mut self, n: usize) -> usize {
        ((self.unit() * n as f64) as usize).min(n.saturating_sub(1))
    }
}

/// Who answers: identity fields of one synthetic response.
#[derive(Debug, Clone)]
pub struct Respondent {
    /// Response id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Group.
    pub group: String,
    /// Role id (empty for none).
    pub role: String,
    /// Stage id (empty for none).
    pub stage: String,
    /// Leaning between 0 (weak practice, low risk) and 1 (strong practice, high risk).
    pub maturity: f64,
}

/// The answer a respondent with this leaning gives to one question, as a CSV cell.
fn answer_cell(
    q: &Questionnaire,
    index: usize,
    maturity: f64,
    comments: &[&str],
    rng: &mut Seeded,
) -> String {
    let question = &q.questions[index];
    if question.kind != QuestionType::Text && rng.unit() < 0.008 {
        return String::new();
    }
    let scored: Vec<usize> = (0..question.options.len())
        .filter(|&i| !question.options[i].not_applicable)
        .collect();
    let not_applicable = question.options.iter().position(|o| o.not_applicable);
    let risky = q.dimensions[question.dimension].role == DimensionRole::Risk;
    match question.kind {
        QuestionType::Text => {
            if comments.is_empty() || rng.unit() < 0.5 {
                String::new()
            } else {
                comments[rng.below(comments.len())].to_owned()
            }
        }
        QuestionType::Single => {
            if let Some(na) = not_applicable
                && rng.unit() < 0.05
            {
                return question.options[na].label.clone();
            }
            // Answers that raise a flag (a prohibited or high-risk practice, a missing owner)
            // are rare in real workshops: keep them to about one answer in a hundred.
            let flagged = |o: usize| question.flags.iter().any(|f| f.when.contains(&o));
            let scored: Vec<usize> = if rng.unit() < 0.01 {
                scored
            } else {
                scored.into_iter().filter(|&o| !flagged(o)).collect()
            };
            if scored.is_empty() {
                // Screening questions whose only scored answers raise flags: the usual
                // answer is the one that takes the question out ("No").
                return not_applicable
                    .map_or(String::new(), |na| question.options[na].label.clone());
            }
            // Order options from the worst practice to the best (or least to most risk).
            let mut ordered = scored.clone();
            ordered.sort_by(|&a, &b| {
                question.options[a]
                    .score
                    .total_cmp(&question.options[b].score)
            });
            if risky {
                ordered.reverse();
            }
            let target = if risky { 1.0 - maturity } else { maturity };
            let noisy = (target + (rng.unit() - 0.5) * 0.6).clamp(0.0, 0.999);
            let pick = ordered[(noisy * ordered.len() as f64) as usize];
            question.options[pick].label.clone()
        }
        QuestionType::Multiple => {
            let chosen: Vec<&str> = scored
                .iter()
                .filter(|_| rng.unit() < 0.2 + 0.5 * maturity)
                .map(|&i| question.options[i].value.as_str())
                .collect();
            match (chosen.is_empty(), not_applicable) {
                (true, Some(na)) => question.options[na].value.clone(),
                _ => chosen.join(";"),
            }
        }
    }
}

/// A wide CSV with one row per respondent; only the questions that apply to each
/// respondent's role and stage are answered.
pub fn wide_csv(
    q: &Questionnaire,
    respondents: &[Respondent],
    comments: &[&str],
    seed: u64,
) -> Vec<u8> {
    let mut rng = Seeded::new(seed);
    let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
    let header: Vec<&str> = METADATA_COLUMNS
        .iter()
        .copied()
        .chain(q.questions.iter().map(|x| x.id.as_str()))
        .collect();
    writer.write_record(&header).expect("writing to memory");
    for r in respondents {
        let mut row = vec![
            q.id.clone(),
            q.version.clone(),
            r.id.clone(),
            r.name.clone(),
            r.group.clone(),
            r.role.clone(),
            r.stage.clone(),
        ];
        let role = (!r.role.is_empty()).then_some(r.role.as_str());
        let stage = (!r.stage.is_empty()).then_some(r.stage.as_str());
        for (i, question) in q.questions.iter().enumerate() {
            row.push(if question.applies_to(role, stage) {
                answer_cell(q, i, r.maturity, comments, &mut rng)
            } else {
                String::new()
            });
        }
        writer.write_record(&row).expect("writing to memory");
    }
    writer.into_inner().expect("writing to memory")
}

/// `n` respondents spread over `groups`, roles and stages, for benchmarks.
pub fn respondents(manifest: &Manifest, n: usize, groups: &[&str], seed: u64) -> Vec<Respondent> {
    let mut rng = Seeded::new(seed);
    let roles: Vec<&str> = manifest.role_ids().collect();
    let stages: Vec<&str> = manifest.stage_ids().collect();
    (0..n)
        .map(|i| {
            let group = groups[i % groups.len().max(1)];
            Respondent {
                id: format!("bench-{i:06}"),
                name: format!("Respondent {i}"),
                group: group.to_owned(),
                role: roles
                    .get(rng.below(roles.len().max(1)))
                    .map_or(String::new(), |r| (*r).to_owned()),
                stage: stages
                    .get(rng.below(stages.len().max(1)))
                    .map_or(String::new(), |s| (*s).to_owned()),
                maturity: rng.unit(),
            }
        })
        .collect()
}

/// `n` synthetic responses to `q`, as `toolkit score` would read them: written as a wide
/// CSV (one comment each), read, validated against `questionnaires` and scored.
pub fn scored(
    manifest: &Manifest,
    questionnaires: &[Questionnaire],
    q: &Questionnaire,
    n: usize,
    groups: &[&str],
    seed: u64,
) -> (Vec<Response>, Vec<ScoreResult>) {
    let people = respondents(manifest, n, groups, seed);
    let csv = wide_csv(q, &people, &["A comment."], seed + 1);
    let raw = crate::answers::csv_file::read_csv(&csv, "synthetic.csv", "synthetic")
        .expect("a synthetic CSV reads");
    let validator = Validator::new(questionnaires, manifest);
    let responses: Vec<Response> = raw
        .iter()
        .map(|r| validator.validate(r).expect("synthetic answers are valid"))
        .collect();
    let results = responses.iter().map(|r| r.score(q)).collect();
    (responses, results)
}

#[cfg(test)]
mod tests {
    use super::*;

    // The same seed gives the same numbers; they stay in range.
    #[test]
    fn seeded_is_reproducible() {
        let mut a = Seeded::new(7);
        let mut b = Seeded::new(7);
        for _ in 0..1000 {
            let x = a.unit();
            assert_eq!(x, b.unit());
            assert!((0.0..1.0).contains(&x));
            assert!(a.below(5) < 5 && b.below(5) < 5);
        }
    }
}
