//! Loading and validating questionnaire definitions (one TOML file per questionnaire
//! version), per SPEC §4. Every problem names the file and the line of the item at fault.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Deserialize;
use toml::Spanned;

use crate::content::Site;
use crate::content::manifest::is_valid_id;
use crate::problem::{Problems, line_of};

use super::model::{
    Choice, Dimension, DimensionRole, Flag, Kind, Level, Mitigation, Question, QuestionType,
    Questionnaire,
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDefinition {
    id: Spanned<String>,
    version: Spanned<String>,
    title: String,
    kind: Kind,
    #[serde(default)]
    description: String,
    #[serde(default)]
    instructions: String,
    mitigation: Option<Spanned<RawMitigation>>,
    #[serde(default)]
    levels: Vec<Spanned<RawLevel>>,
    #[serde(default)]
    dimensions: Vec<Spanned<RawDimension>>,
    #[serde(default)]
    scales: BTreeMap<String, Spanned<RawScale>>,
    #[serde(default)]
    questions: Vec<Spanned<RawQuestion>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMitigation {
    threshold: f64,
    reduction: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLevel {
    id: String,
    label: String,
    up_to: f64,
    #[serde(default)]
    description: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDimension {
    id: String,
    title: String,
    #[serde(default = "one")]
    weight: f64,
    #[serde(default)]
    role: Option<String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    links: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScale {
    options: Vec<Spanned<RawOption>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOption {
    value: String,
    label: String,
    score: Option<f64>,
    #[serde(default)]
    not_applicable: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: String,
    dimension: String,
    #[serde(rename = "type")]
    kind: QuestionType,
    text: String,
    #[serde(default)]
    help: Option<String>,
    #[serde(default)]
    scale: Option<String>,
    #[serde(default)]
    options: Option<Vec<Spanned<RawOption>>>,
    #[serde(default = "yes")]
    required: bool,
    #[serde(default)]
    roles: Vec<String>,
    #[serde(default)]
    stages: Vec<String>,
    #[serde(default)]
    max: Option<f64>,
    #[serde(default)]
    links: Vec<String>,
    #[serde(default)]
    recommendation: Option<String>,
    #[serde(default)]
    flags: Vec<Spanned<RawFlag>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFlag {
    when: Vec<String>,
    id: String,
    message: String,
    #[serde(default)]
    min_level: Option<String>,
    #[serde(default)]
    max_level: Option<String>,
}

fn one() -> f64 {
    1.0
}

fn yes() -> bool {
    true
}

/// Collects problems of one definition file.
struct Checker<'t> {
    text: &'t str,
    file: &'t str,
    problems: &'t mut Problems,
}

impl Checker<'_> {
    fn at<T>(&mut self, item: &Spanned<T>, message: impl Into<String>) {
        let line = line_of(self.text, item.span().start);
        self.problems.at(self.file, line, message);
    }

    fn line<T>(&self, item: &Spanned<T>) -> usize {
        line_of(self.text, item.span().start)
    }

    /// Records a problem at the line of `key = ...` inside an item (or the item's first line).
    fn at_key<T>(&mut self, item: &Spanned<T>, key: &str, message: impl Into<String>) {
        let span = item.span();
        let body = &self.text[span.start..span.end.min(self.text.len())];
        let mut offset = span.start;
        for line in body.split_inclusive('\n') {
            let trimmed = line.trim_start();
            if let Some(rest) = trimmed.strip_prefix(key)
                && rest.trim_start().starts_with('=')
            {
                self.problems
                    .at(self.file, line_of(self.text, offset), message);
                return;
            }
            offset += line.len();
        }
        self.at(item, message);
    }
}

/// Parses and validates one definition. `site` resolves `links` and knows the declared
/// roles and stages. Returns `None` when the file has problems (all recorded).
pub fn load_definition(
    text: &str,
    file: &str,
    site: &Site,
    problems: &mut Problems,
) -> Option<Questionnaire> {
    let raw: RawDefinition = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(0);
            problems.at(file, line, e.message().trim().to_owned());
            return None;
        }
    };
    let before = problems.0.len();
    let mut c = Checker {
        text,
        file,
        problems,
    };

    if !is_valid_id(raw.id.get_ref()) {
        c.at(
            &raw.id,
            format!(
                "questionnaire id {:?} must use only a-z, 0-9 and -",
                raw.id.get_ref()
            ),
        );
    }
    let version = raw.version.get_ref();
    if version.is_empty()
        || !version
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == '.' || ch == '-')
    {
        c.at(
            &raw.version,
            format!("version {version:?} must use only letters, digits, '.' and '-'"),
        );
    }

    // Levels: ordered, unique, the last at 100.
    let mut levels = Vec::new();
    let mut level_ids = HashSet::new();
    let mut previous: Option<f64> = None;
    for level in &raw.levels {
        let l = level.get_ref();
        if !is_valid_id(&l.id) {
            c.at_key(
                level,
                "id",
                format!("level id {:?} must use only a-z, 0-9 and -", l.id),
            );
        } else if !level_ids.insert(l.id.clone()) {
            c.at_key(level, "id", format!("duplicate level id {:?}", l.id));
        }
        if !(0.0..=100.0).contains(&l.up_to) {
            c.at_key(
                level,
                "up_to",
                format!(
                    "level {:?}: up_to {} must be between 0 and 100",
                    l.id, l.up_to
                ),
            );
        }
        if let Some(p) = previous
            && l.up_to <= p
        {
            c.at_key(level, "up_to", format!("levels out of order: {:?} has up_to {} after a level with up_to {p}; list levels from lowest to highest", l.id, l.up_to));
        }
        previous = Some(l.up_to);
        levels.push(Level {
            id: l.id.clone(),
            label: l.label.clone(),
            up_to: l.up_to,
            description: l.description.clone(),
        });
    }
    match raw.levels.last() {
        None => c.problems.at(
            file,
            1,
            "a questionnaire needs [[levels]], the last with up_to = 100",
        ),
        Some(last) if last.get_ref().up_to != 100.0 => {
            c.at_key(
                last,
                "up_to",
                format!(
                    "the last level must have up_to = 100, found {}",
                    last.get_ref().up_to
                ),
            );
        }
        _ => {}
    }
    let level_index = |id: &str| levels.iter().position(|l| l.id == id);

    // Mitigation rule: risk questionnaires only.
    let mitigation = match (&raw.mitigation, raw.kind) {
        (Some(m), Kind::Risk) => {
            let r = m.get_ref();
            if !(0.0..=100.0).contains(&r.threshold) || !(0.0..=100.0).contains(&r.reduction) {
                c.at(
                    m,
                    "mitigation threshold and reduction are percents between 0 and 100",
                );
            }
            Some(Mitigation {
                threshold: r.threshold,
                reduction: r.reduction,
            })
        }
        (Some(m), _) => {
            c.at(m, "[mitigation] applies only to kind = \"risk\"");
            None
        }
        (None, _) => None,
    };

    // Dimensions.
    let mut dimensions = Vec::new();
    let mut dimension_ids = HashSet::new();
    for dim in &raw.dimensions {
        let d = dim.get_ref();
        if !is_valid_id(&d.id) {
            c.at_key(
                dim,
                "id",
                format!("dimension id {:?} must use only a-z, 0-9 and -", d.id),
            );
        } else if !dimension_ids.insert(d.id.clone()) {
            c.at_key(dim, "id", format!("duplicate dimension id {:?}", d.id));
        }
        if !(d.weight > 0.0 && d.weight.is_finite()) {
            c.at_key(
                dim,
                "weight",
                format!("dimension {:?}: weight must be a number above 0", d.id),
            );
        }
        let role = match (raw.kind, d.role.as_deref()) {
            (Kind::Risk, Some("risk")) => DimensionRole::Risk,
            (Kind::Risk, Some("mitigation")) => DimensionRole::Mitigation,
            (Kind::Risk, other) => {
                c.at_key(
                    dim,
                    "role",
                    format!(
                        "dimension {:?}: role must be \"risk\" or \"mitigation\", found {other:?}",
                        d.id
                    ),
                );
                DimensionRole::Risk
            }
            (_, None) => DimensionRole::Plain,
            (_, Some(_)) => {
                c.at_key(
                    dim,
                    "role",
                    format!("dimension {:?}: role applies only to kind = \"risk\"", d.id),
                );
                DimensionRole::Plain
            }
        };
        for link in &d.links {
            if let Err(message) = site.check_reference(link) {
                c.at_key(dim, "links", format!("dimension {:?}: {message}", d.id));
            }
        }
        dimensions.push(Dimension {
            id: d.id.clone(),
            title: d.title.clone(),
            weight: d.weight,
            role,
            description: d.description.clone(),
            links: d.links.clone(),
        });
    }
    if dimensions.is_empty() {
        c.problems
            .at(file, 1, "a questionnaire needs at least one [[dimensions]]");
    }
    if raw.kind == Kind::Risk {
        if !dimensions.iter().any(|d| d.role == DimensionRole::Risk) {
            c.problems.at(
                file,
                1,
                "a risk questionnaire needs at least one dimension with role = \"risk\"",
            );
        }
        if dimensions
            .iter()
            .any(|d| d.role == DimensionRole::Mitigation)
            && mitigation.is_none()
        {
            c.problems.at(
                file,
                1,
                "mitigation dimensions need a [mitigation] section with threshold and reduction",
            );
        }
    }

    // Scales.
    let mut scales: HashMap<&str, Vec<Choice>> = HashMap::new();
    for (name, scale) in &raw.scales {
        let choices = check_options(&mut c, &scale.get_ref().options, &format!("scale {name:?}"));
        scales.insert(name.as_str(), choices);
    }

    // Questions.
    let roles: Vec<&str> = site.manifest.role_ids().collect();
    let stages: Vec<&str> = site.manifest.stage_ids().collect();
    let mut questions = Vec::new();
    let mut question_ids = HashSet::new();
    for question in &raw.questions {
        let q = question.get_ref();
        let line = c.line(question);
        if q.id.is_empty()
            || !q
                .id
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_')
        {
            c.at_key(
                question,
                "id",
                format!(
                    "question id {:?} must use only letters, digits, - and _",
                    q.id
                ),
            );
        } else if !question_ids.insert(q.id.clone()) {
            c.at_key(question, "id", format!("duplicate question id {:?}", q.id));
        }
        let dimension = match raw
            .dimensions
            .iter()
            .position(|d| d.get_ref().id == q.dimension)
        {
            Some(i) => i,
            None => {
                c.at_key(
                    question,
                    "dimension",
                    format!("question {}: unknown dimension {:?}", q.id, q.dimension),
                );
                0
            }
        };
        let options = match (q.kind, &q.scale, &q.options) {
            (QuestionType::Text, None, None) => Vec::new(),
            (QuestionType::Text, _, _) => {
                c.at_key(
                    question,
                    "type",
                    format!("question {}: a text question has no scale or options", q.id),
                );
                Vec::new()
            }
            (_, Some(_), Some(_)) => {
                c.at_key(
                    question,
                    "scale",
                    format!("question {}: give either scale or options, not both", q.id),
                );
                Vec::new()
            }
            (_, Some(scale), None) => match scales.get(scale.as_str()) {
                Some(choices) => choices.clone(),
                None => {
                    let known: Vec<&str> = scales.keys().copied().collect();
                    c.at_key(
                        question,
                        "scale",
                        format!(
                            "question {}: unknown scale {scale:?}; scales: {}",
                            q.id,
                            known.join(", ")
                        ),
                    );
                    Vec::new()
                }
            },
            (_, None, Some(options)) => {
                check_options(&mut c, options, &format!("question {}", q.id))
            }
            (_, None, None) => {
                c.at_key(
                    question,
                    "type",
                    format!(
                        "question {}: a {} question needs a scale or options",
                        q.id,
                        q.kind.name()
                    ),
                );
                Vec::new()
            }
        };
        match (q.kind, q.max) {
            (QuestionType::Multiple, Some(max)) if !(max >= 0.0 && max.is_finite()) => {
                c.at_key(
                    question,
                    "max",
                    format!("question {}: max must be 0 or more", q.id),
                );
            }
            (QuestionType::Multiple, _) | (_, None) => {}
            (_, Some(_)) => c.at_key(
                question,
                "max",
                format!("question {}: max applies only to multiple questions", q.id),
            ),
        }
        for role in &q.roles {
            if !roles.contains(&role.as_str()) {
                c.at_key(
                    question,
                    "roles",
                    format!(
                        "question {}: unknown role {role:?}; roles: {}",
                        q.id,
                        roles.join(", ")
                    ),
                );
            }
        }
        for stage in &q.stages {
            if !stages.contains(&stage.as_str()) {
                c.at_key(
                    question,
                    "stages",
                    format!(
                        "question {}: unknown stage {stage:?}; stages: {}",
                        q.id,
                        stages.join(", ")
                    ),
                );
            }
        }
        for link in &q.links {
            if let Err(message) = site.check_reference(link) {
                c.at_key(question, "links", format!("question {}: {message}", q.id));
            }
        }
        if let Some(template) = &q.recommendation
            && let Err(e) = handlebars::Template::compile(template)
        {
            c.at_key(
                question,
                "recommendation",
                format!(
                    "question {}: recommendation is not a valid template: {e}",
                    q.id
                ),
            );
        }
        let mut flags = Vec::new();
        for flag in &q.flags {
            let f = flag.get_ref();
            if q.kind == QuestionType::Text {
                c.at_key(
                    flag,
                    "when",
                    format!("question {}: a text question cannot raise flags", q.id),
                );
                continue;
            }
            if !is_valid_id(&f.id) || f.id == "incomplete" {
                c.at_key(flag, "id", format!("flag id {:?} must use only a-z, 0-9 and - (and \"incomplete\" is reserved)", f.id));
            }
            let mut when = Vec::new();
            for value in &f.when {
                match options.iter().position(|o| o.value == *value) {
                    Some(i) => when.push(i),
                    None => {
                        let known: Vec<&str> = options.iter().map(|o| o.value.as_str()).collect();
                        c.at_key(
                            flag,
                            "when",
                            format!(
                                "flag {:?}: unknown option {value:?} of question {}; options: {}",
                                f.id,
                                q.id,
                                known.join(", ")
                            ),
                        );
                    }
                }
            }
            if when.is_empty() && f.when.is_empty() {
                c.at_key(
                    flag,
                    "when",
                    format!("flag {:?}: `when` names no option", f.id),
                );
            }
            let mut level_of = |name: &Option<String>, key: &str| -> Option<usize> {
                let id = name.as_deref()?;
                let found = level_index(id);
                if found.is_none() {
                    let known: Vec<&str> = levels.iter().map(|l| l.id.as_str()).collect();
                    c.at_key(
                        flag,
                        key,
                        format!(
                            "flag {:?}: unknown {key} {id:?}; levels: {}",
                            f.id,
                            known.join(", ")
                        ),
                    );
                }
                found
            };
            let min_level = level_of(&f.min_level, "min_level");
            let max_level = level_of(&f.max_level, "max_level");
            if let (Some(lo), Some(hi)) = (min_level, max_level)
                && lo > hi
            {
                c.at_key(
                    flag,
                    "min_level",
                    format!("flag {:?}: min_level is above max_level", f.id),
                );
            }
            if f.min_level.is_none() && f.max_level.is_none() {
                c.at(
                    flag,
                    format!("flag {:?}: give min_level or max_level (or both)", f.id),
                );
            }
            flags.push(Flag {
                id: f.id.clone(),
                message: f.message.clone(),
                when,
                min_level,
                max_level,
            });
        }
        questions.push(Question {
            id: q.id.clone(),
            dimension,
            kind: q.kind,
            text: q.text.clone(),
            help: q.help.clone(),
            options,
            required: q.required,
            roles: q.roles.clone(),
            stages: q.stages.clone(),
            max: q.max,
            links: q.links.clone(),
            recommendation: q.recommendation.clone(),
            flags,
            line,
        });
    }
    if questions.is_empty() {
        c.problems
            .at(file, 1, "a questionnaire needs at least one [[questions]]");
    }
    if problems.0.len() > before {
        return None;
    }
    Some(Questionnaire {
        id: raw.id.into_inner(),
        version: raw.version.into_inner(),
        title: raw.title,
        kind: raw.kind,
        description: raw.description,
        instructions: raw.instructions,
        file: file.to_owned(),
        checksum: crate::bundle::sha256_hex(text.as_bytes()),
        mitigation,
        levels,
        dimensions,
        questions,
    })
}

/// Validates a list of options (of a scale or a question).
fn check_options(c: &mut Checker, options: &[Spanned<RawOption>], owner: &str) -> Vec<Choice> {
    let mut choices = Vec::new();
    let mut names: HashMap<String, String> = HashMap::new();
    if options.is_empty() {
        c.problems.at(c.file, 0, format!("{owner}: no options"));
    }
    for option in options {
        let o = option.get_ref();
        if o.value.trim().is_empty() || o.label.trim().is_empty() {
            c.at(
                option,
                format!("{owner}: every option needs a value and a label"),
            );
        }
        if o.value.contains(';') || o.label.contains(';') {
            c.at(
                option,
                format!(
                    "{owner}: option {:?} must not contain ';' (it separates multiple answers)",
                    o.value
                ),
            );
        }
        // Answers match by value or label, case-insensitively: no two options may share one.
        for name in [&o.value, &o.label] {
            let key = name.trim().to_lowercase();
            if let Some(other) = names.get(&key)
                && *other != o.value
            {
                c.at(
                    option,
                    format!(
                        "{owner}: {:?} would match both option {other:?} and option {:?}",
                        name, o.value
                    ),
                );
            }
            names.insert(key, o.value.clone());
        }
        let score = match (o.score, o.not_applicable) {
            (Some(score), false) if score >= 0.0 && score.is_finite() => score,
            (Some(score), false) => {
                c.at(
                    option,
                    format!(
                        "{owner}: option {:?} has score {score}; scores must be 0 or more",
                        o.value
                    ),
                );
                0.0
            }
            (None, false) => {
                c.at(
                    option,
                    format!(
                        "{owner}: option {:?} needs a score (or not_applicable = true)",
                        o.value
                    ),
                );
                0.0
            }
            (Some(_), true) => {
                c.at(
                    option,
                    format!(
                        "{owner}: not-applicable option {:?} takes no score",
                        o.value
                    ),
                );
                0.0
            }
            (None, true) => 0.0,
        };
        choices.push(Choice {
            value: o.value.clone(),
            label: o.label.clone(),
            score,
            not_applicable: o.not_applicable,
        });
    }
    if !options.is_empty() && choices.iter().all(|ch| ch.not_applicable) {
        c.problems.at(
            c.file,
            0,
            format!("{owner}: needs at least one scored option"),
        );
    }
    choices
}
