//! Loading and validating questionnaire definitions (one TOML file per questionnaire
//! version), per SPEC §4. Every problem names the file and the line of the item at fault,
//! or names only the file when it concerns the whole file (see [`Checker`]).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use crate::content::Site;
use crate::content::manifest::{Mark, is_valid_id};
use crate::problem::{Problems, line_of};

use super::model::{
    Check, Choice, Condition, Dimension, DimensionRole, Flag, FlagGuidance, Kind, Level,
    Mitigation, Ownership, Question, QuestionType, Questionnaire, Rule,
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
    #[serde(default)]
    checks: Vec<Spanned<RawCheck>>,
    #[serde(default)]
    rules: Vec<Spanned<RawRule>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    message: String,
    when: Vec<RawCondition>,
    #[serde(default)]
    min_level: Option<String>,
    #[serde(default)]
    max_level: Option<String>,
    #[serde(default)]
    stop: bool,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    must_do: Option<String>,
    #[serde(default)]
    owner: Option<String>,
    #[serde(default)]
    by: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCheck {
    id: String,
    message: String,
    when: Vec<RawCondition>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCondition {
    question: String,
    answer: Vec<String>,
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
    #[serde(default)]
    mark: Option<Mark>,
    #[serde(default)]
    owner: Option<String>,
    #[serde(default)]
    by: Option<String>,
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
    owner: Option<String>,
    #[serde(default)]
    by: Option<String>,
    #[serde(default)]
    flags: Vec<Spanned<RawFlag>>,
    #[serde(default)]
    relevant: Vec<RawCondition>,
    #[serde(default)]
    screening: bool,
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
    #[serde(default)]
    stop: bool,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    must_do: Option<String>,
    #[serde(default)]
    owner: Option<String>,
    #[serde(default)]
    by: Option<String>,
}

fn one() -> f64 {
    1.0
}

fn yes() -> bool {
    true
}

/// Parses and validates one definition. `site` resolves `links` and knows the declared
/// roles and stages. Returns `None` when the file has problems (all recorded).
///
/// The checks run part by part, in the order of the file: identity, levels, mitigation,
/// dimensions, scales, then questions with their options and flags.
pub fn load_definition(
    text: &str,
    file: &str,
    site: &Site,
    problems: &mut Problems,
) -> Option<Questionnaire> {
    let raw = parse_definition(text, file, problems)?;
    let mut checker = Checker::new(text, file, site, problems);
    checker.check_identity(&raw);
    let levels = checker.check_levels(&raw.levels);
    let mitigation = checker.check_mitigation(raw.mitigation.as_ref(), raw.kind);
    let dimensions = checker.check_dimensions(&raw.dimensions, raw.kind);
    checker.check_dimension_roles(raw.kind, &dimensions, mitigation.is_some());
    let known = Known {
        levels: &levels,
        dimensions: &dimensions,
        scales: checker.check_scales(&raw.scales),
        roles: site.manifest.role_ids().collect(),
        stages: site.manifest.stage_ids().collect(),
    };
    let mut questions = checker.check_questions(&raw.questions, &known);
    checker.check_relevance(&raw.questions, &mut questions);
    let checks = checker.check_checks(&raw.checks, &questions);
    let rules = checker.check_rules(&raw.rules, &questions, &levels);
    if checker.found_problems() {
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
        checksum: crate::output::sha256_hex(text.as_bytes()),
        mitigation,
        levels,
        dimensions,
        questions,
        checks,
        rules,
    })
}

/// Reads the TOML into the raw definition; a syntax error or an unknown field is recorded
/// at its line, and an error TOML places nowhere or over the whole text (a missing
/// top-level field) is recorded for the whole file.
fn parse_definition(text: &str, file: &str, problems: &mut Problems) -> Option<RawDefinition> {
    parse_toml(text, file, problems)
}

/// Reads a TOML definition into `T` (see [`parse_definition`]); shared with the working
/// templates' definitions (`crate::register`), which report problems the same way.
pub(crate) fn parse_toml<T: serde::de::DeserializeOwned>(
    text: &str,
    file: &str,
    problems: &mut Problems,
) -> Option<T> {
    match toml::from_str(text) {
        Ok(raw) => Some(raw),
        Err(e) => {
            let whole_text = |span: &Range<usize>| {
                span.start == 0
                    && text
                        .get(span.end..)
                        .is_none_or(|rest| rest.trim().is_empty())
            };
            let line = match e.span() {
                Some(span) if !whole_text(&span) => line_of(text, span.start),
                _ => WHOLE_FILE,
            };
            problems.at(file, line, crate::problem::toml_message(text, &e));
            None
        }
    }
}

/// The line recorded for a problem that concerns the whole file rather than one item:
/// 0, which [`crate::problem::Problem`] prints as `file: message`, without a line.
pub(crate) const WHOLE_FILE: usize = 0;

/// The line of the first `key = ...` within `span` of `text`, if the key is there.
pub(crate) fn line_of_key(text: &str, span: Range<usize>, key: &str) -> Option<usize> {
    let body = &text[span.start..span.end.min(text.len())];
    let mut offset = span.start;
    for line in body.split_inclusive('\n') {
        if let Some(rest) = line.trim_start().strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            return Some(line_of(text, offset));
        }
        offset += line.len();
    }
    None
}

/// What the questions of a definition may refer to, resolved before they are checked.
struct Known<'a> {
    /// The levels, lowest first (flags name them).
    levels: &'a [Level],
    /// The dimensions, in file order (questions name them).
    dimensions: &'a [Dimension],
    /// The shared scales by name, their options already checked.
    scales: BTreeMap<&'a str, Vec<Choice>>,
    /// Role ids declared in the manifest.
    roles: Vec<&'a str>,
    /// Stage ids declared in the manifest.
    stages: Vec<&'a str>,
}

/// Records the problems of one definition file (a questionnaire or a working template)
/// where a user can find them.
///
/// Where problems go in [`Problems`]: a problem with one item (a level, a dimension, an
/// option, a question, a flag, a column) is recorded at the line of the item's `key = ...`
/// when there is one, else at the item's first line; a problem that concerns the whole
/// file rather than a line (a missing section, a rule across items, a list with no
/// options) is recorded at line 0 ([`WHOLE_FILE`]) through
/// [`DefinitionChecker::whole_file`], and printed without a line.
pub(crate) struct DefinitionChecker<'t> {
    pub(crate) text: &'t str,
    pub(crate) file: &'t str,
    pub(crate) site: &'t Site,
    problems: &'t mut Problems,
    /// How many problems were recorded before this file, to tell whether it has any.
    problems_before: usize,
}

/// The questionnaire checker: the shared checker plus one method per part of a
/// questionnaire definition (below).
type Checker<'t> = DefinitionChecker<'t>;

impl<'t> DefinitionChecker<'t> {
    pub(crate) fn new(
        text: &'t str,
        file: &'t str,
        site: &'t Site,
        problems: &'t mut Problems,
    ) -> Self {
        let problems_before = problems.0.len();
        Self {
            text,
            file,
            site,
            problems,
            problems_before,
        }
    }

    /// Whether this file has any problem.
    pub(crate) fn found_problems(&self) -> bool {
        self.problems.0.len() > self.problems_before
    }

    /// Records a problem at the first line of an item.
    pub(crate) fn at<T>(&mut self, item: &Spanned<T>, message: impl Into<String>) {
        let line = self.line(item);
        self.problems.at(self.file, line, message);
    }

    /// Records a problem that concerns the whole file rather than a line (line 0).
    pub(crate) fn whole_file(&mut self, message: impl Into<String>) {
        self.problems.at(self.file, WHOLE_FILE, message);
    }

    /// The first line of an item.
    pub(crate) fn line<T>(&self, item: &Spanned<T>) -> usize {
        line_of(self.text, item.span().start)
    }

    /// Records a problem at the line of `key = ...` inside an item (or the item's first line).
    pub(crate) fn at_key<T>(&mut self, item: &Spanned<T>, key: &str, message: impl Into<String>) {
        let line = line_of_key(self.text, item.span(), key).unwrap_or_else(|| self.line(item));
        self.problems.at(self.file, line, message);
    }
}

impl Checker<'_> {
    /// The questionnaire's id and version: characters that are safe in file names.
    fn check_identity(&mut self, raw: &RawDefinition) {
        if !is_valid_id(raw.id.get_ref()) {
            self.at(
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
            self.at(
                &raw.version,
                format!("version {version:?} must use only letters, digits, '.' and '-'"),
            );
        }
    }

    /// Levels: valid and unique ids, ordered from lowest to highest, the last at 100.
    fn check_levels(&mut self, raw: &[Spanned<RawLevel>]) -> Vec<Level> {
        let mut ids = HashSet::new();
        let mut previous: Option<f64> = None;
        let mut levels = Vec::new();
        for item in raw {
            levels.push(self.check_level(item, &mut ids, previous));
            previous = Some(item.get_ref().up_to);
        }
        match raw.last() {
            None => self.whole_file("a questionnaire needs [[levels]], the last with up_to = 100"),
            Some(last) if last.get_ref().up_to != 100.0 => {
                self.at_key(
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
        levels
    }

    /// One level, given the ids seen so far and the bound of the level before it.
    fn check_level(
        &mut self,
        item: &Spanned<RawLevel>,
        ids: &mut HashSet<String>,
        previous: Option<f64>,
    ) -> Level {
        let l = item.get_ref();
        if !is_valid_id(&l.id) {
            self.at_key(
                item,
                "id",
                format!("level id {:?} must use only a-z, 0-9 and -", l.id),
            );
        } else if !ids.insert(l.id.clone()) {
            self.at_key(item, "id", format!("duplicate level id {:?}", l.id));
        }
        if !(0.0..=100.0).contains(&l.up_to) {
            self.at_key(
                item,
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
            self.at_key(item, "up_to", format!("levels out of order: {:?} has up_to {} after a level with up_to {p}; list levels from lowest to highest", l.id, l.up_to));
        }
        Level {
            id: l.id.clone(),
            label: l.label.clone(),
            up_to: l.up_to,
            description: l.description.clone(),
        }
    }

    /// The mitigation rule: risk questionnaires only, both numbers percents.
    fn check_mitigation(
        &mut self,
        raw: Option<&Spanned<RawMitigation>>,
        kind: Kind,
    ) -> Option<Mitigation> {
        let item = raw?;
        if kind != Kind::Risk {
            self.at(item, "[mitigation] applies only to kind = \"risk\"");
            return None;
        }
        let r = item.get_ref();
        if !(0.0..=100.0).contains(&r.threshold) || !(0.0..=100.0).contains(&r.reduction) {
            self.at(
                item,
                "mitigation threshold and reduction are percents between 0 and 100",
            );
        }
        Some(Mitigation {
            threshold: r.threshold,
            reduction: r.reduction,
        })
    }

    /// Dimensions: valid and unique ids, positive weights, roles that fit the kind, known
    /// links; at least one dimension.
    fn check_dimensions(&mut self, raw: &[Spanned<RawDimension>], kind: Kind) -> Vec<Dimension> {
        let mut ids = HashSet::new();
        let dimensions: Vec<Dimension> = raw
            .iter()
            .map(|item| self.check_dimension(item, kind, &mut ids))
            .collect();
        if dimensions.is_empty() {
            self.whole_file("a questionnaire needs at least one [[dimensions]]");
        }
        dimensions
    }

    /// One dimension, given the ids seen so far.
    fn check_dimension(
        &mut self,
        item: &Spanned<RawDimension>,
        kind: Kind,
        ids: &mut HashSet<String>,
    ) -> Dimension {
        let d = item.get_ref();
        if !is_valid_id(&d.id) {
            self.at_key(
                item,
                "id",
                format!("dimension id {:?} must use only a-z, 0-9 and -", d.id),
            );
        } else if !ids.insert(d.id.clone()) {
            self.at_key(item, "id", format!("duplicate dimension id {:?}", d.id));
        }
        if !(d.weight > 0.0 && d.weight.is_finite()) {
            self.at_key(
                item,
                "weight",
                format!("dimension {:?}: weight must be a number above 0", d.id),
            );
        }
        let role = self.check_dimension_role(item, kind);
        if let Some(problem) = d.mark.as_ref().and_then(Mark::problem) {
            self.at_key(item, "mark", format!("dimension {:?}: {problem}", d.id));
        }
        for link in &d.links {
            if let Err(message) = self.site.check_reference(link) {
                self.at_key(item, "links", format!("dimension {:?}: {message}", d.id));
            }
        }
        let what = format!("dimension {:?}", d.id);
        let ownership = self.check_ownership(item, &what, d.owner.as_deref(), d.by.as_deref());
        Dimension {
            id: d.id.clone(),
            title: d.title.clone(),
            weight: d.weight,
            role,
            description: d.description.clone(),
            links: d.links.clone(),
            mark: d.mark.clone(),
            ownership,
        }
    }

    /// A dimension's role: `risk` or `mitigation` in a risk questionnaire, none elsewhere.
    fn check_dimension_role(&mut self, item: &Spanned<RawDimension>, kind: Kind) -> DimensionRole {
        let d = item.get_ref();
        match (kind, d.role.as_deref()) {
            (Kind::Risk, Some("risk")) => DimensionRole::Risk,
            (Kind::Risk, Some("mitigation")) => DimensionRole::Mitigation,
            (Kind::Risk, other) => {
                self.at_key(
                    item,
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
                self.at_key(
                    item,
                    "role",
                    format!("dimension {:?}: role applies only to kind = \"risk\"", d.id),
                );
                DimensionRole::Plain
            }
        }
    }

    /// Across dimensions of a risk questionnaire: at least one raises risk, and
    /// mitigation dimensions come with a mitigation rule.
    fn check_dimension_roles(&mut self, kind: Kind, dimensions: &[Dimension], has_rule: bool) {
        if kind != Kind::Risk {
            return;
        }
        let has_role = |role| dimensions.iter().any(|d| d.role == role);
        if !has_role(DimensionRole::Risk) {
            self.whole_file(
                "a risk questionnaire needs at least one dimension with role = \"risk\"",
            );
        }
        if has_role(DimensionRole::Mitigation) && !has_rule {
            self.whole_file(
                "mitigation dimensions need a [mitigation] section with threshold and reduction",
            );
        }
    }

    /// The shared scales, each a checked list of options.
    fn check_scales<'r>(
        &mut self,
        raw: &'r BTreeMap<String, Spanned<RawScale>>,
    ) -> BTreeMap<&'r str, Vec<Choice>> {
        raw.iter()
            .map(|(name, scale)| {
                let owner = format!("scale {name:?}");
                (
                    name.as_str(),
                    self.check_options(&scale.get_ref().options, &owner),
                )
            })
            .collect()
    }

    /// Options of a scale or a question: each valid, no two matching the same answer, at
    /// least one scored.
    fn check_options(&mut self, options: &[Spanned<RawOption>], owner: &str) -> Vec<Choice> {
        if options.is_empty() {
            self.whole_file(format!("{owner}: no options"));
        }
        // Answers match by value or label, case-insensitively: no two options may share one.
        let mut names: HashMap<String, String> = HashMap::new();
        let choices: Vec<Choice> = options
            .iter()
            .map(|option| self.check_option(option, owner, &mut names))
            .collect();
        if !options.is_empty() && choices.iter().all(|ch| ch.not_applicable) {
            self.whole_file(format!("{owner}: needs at least one scored option"));
        }
        choices
    }

    /// One option, given the names (lowercase value or label -> value) of those before it.
    fn check_option(
        &mut self,
        option: &Spanned<RawOption>,
        owner: &str,
        names: &mut HashMap<String, String>,
    ) -> Choice {
        let o = option.get_ref();
        if o.value.trim().is_empty() || o.label.trim().is_empty() {
            self.at(
                option,
                format!("{owner}: every option needs a value and a label"),
            );
        }
        if o.value.contains(';') || o.label.contains(';') {
            self.at(
                option,
                format!(
                    "{owner}: option {:?} must not contain ';' (it separates multiple answers)",
                    o.value
                ),
            );
        }
        for name in [&o.value, &o.label] {
            let key = name.trim().to_lowercase();
            if let Some(other) = names.get(&key)
                && *other != o.value
            {
                self.at(
                    option,
                    format!(
                        "{owner}: {:?} would match both option {other:?} and option {:?}",
                        name, o.value
                    ),
                );
            }
            names.insert(key, o.value.clone());
        }
        Choice {
            value: o.value.clone(),
            label: o.label.clone(),
            score: self.check_option_score(option, owner),
            not_applicable: o.not_applicable,
        }
    }

    /// An option's score: 0 or more, or none for a not-applicable option (which scores 0).
    fn check_option_score(&mut self, option: &Spanned<RawOption>, owner: &str) -> f64 {
        let o = option.get_ref();
        let message = match (o.score, o.not_applicable) {
            (Some(score), false) if score >= 0.0 && score.is_finite() => return score,
            (None, true) => return 0.0,
            (Some(score), false) => format!(
                "{owner}: option {:?} has score {score}; scores must be 0 or more",
                o.value
            ),
            (None, false) => format!(
                "{owner}: option {:?} needs a score (or not_applicable = true)",
                o.value
            ),
            (Some(_), true) => format!(
                "{owner}: not-applicable option {:?} takes no score",
                o.value
            ),
        };
        self.at(option, message);
        0.0
    }

    /// Questions: valid and unique ids, each checked against what it may refer to; at
    /// least one question.
    fn check_questions(&mut self, raw: &[Spanned<RawQuestion>], known: &Known) -> Vec<Question> {
        let mut ids = HashSet::new();
        let questions: Vec<Question> = raw
            .iter()
            .map(|item| self.check_question(item, known, &mut ids))
            .collect();
        if questions.is_empty() {
            self.whole_file("a questionnaire needs at least one [[questions]]");
        }
        questions
    }

    /// The consistency checks: unique ids, a message, and conditions that name choice
    /// questions and their options.
    fn check_checks(&mut self, raw: &[Spanned<RawCheck>], questions: &[Question]) -> Vec<Check> {
        let mut ids = HashSet::new();
        raw.iter()
            .filter_map(|item| {
                let c = item.get_ref();
                if !is_valid_id(&c.id) || !ids.insert(c.id.clone()) {
                    let why = format!(
                        "check id {:?} must be unique and use only a-z, 0-9 and -",
                        c.id
                    );
                    self.at_key(item, "id", why);
                }
                let owner = format!("check {:?}", c.id);
                let conditions =
                    self.check_message_and_when(item, &owner, &c.message, &c.when, questions)?;
                Some(Check {
                    id: c.id.clone(),
                    message: c.message.clone(),
                    conditions,
                })
            })
            .collect()
    }

    /// The message and `when` of a check or rule (`owner` names it in messages): a message
    /// that is not blank, and at least one condition, each on a choice question of this
    /// questionnaire and its options. `None` when a condition is wrong (each reported).
    fn check_message_and_when<T>(
        &mut self,
        item: &Spanned<T>,
        owner: &str,
        message: &str,
        when: &[RawCondition],
        questions: &[Question],
    ) -> Option<Vec<Condition>> {
        if message.trim().is_empty() {
            self.at_key(item, "message", format!("{owner} needs a message"));
        }
        if when.is_empty() {
            self.at_key(item, "when", format!("{owner}: `when` has no condition"));
        }
        let conditions: Vec<Condition> = when
            .iter()
            .filter_map(|c| self.check_condition(item, "when", owner, c, questions))
            .collect();
        (conditions.len() == when.len()).then_some(conditions)
    }

    /// One item of a condition (of a check, a rule or a question's `relevant`, under
    /// `key` of `item`, written by `owner`): a choice question of this questionnaire and
    /// its options.
    fn check_condition<T>(
        &mut self,
        item: &Spanned<T>,
        key: &str,
        owner: &str,
        condition: &RawCondition,
        questions: &[Question],
    ) -> Option<Condition> {
        let id = owner;
        let Some(index) = questions.iter().position(|q| q.id == condition.question) else {
            let why = format!("{id}: unknown question {:?}", condition.question);
            self.at_key(item, key, why);
            return None;
        };
        let question = &questions[index];
        if question.kind == QuestionType::Text {
            let why = format!(
                "{id}: question {} is free text; name a choice question",
                question.id
            );
            self.at_key(item, key, why);
            return None;
        }
        let mut options = Vec::new();
        for value in &condition.answer {
            match question.options.iter().position(|o| o.value == *value) {
                Some(i) => options.push(i),
                None => {
                    let known: Vec<&str> =
                        question.options.iter().map(|o| o.value.as_str()).collect();
                    let why = format!(
                        "{id}: unknown option {value:?} of question {}; options: {}",
                        question.id,
                        known.join(", ")
                    );
                    self.at_key(item, key, why);
                    return None;
                }
            }
        }
        if options.is_empty() {
            self.at_key(item, key, format!("{id}: a condition names no answer"));
            return None;
        }
        Some(Condition {
            question: index,
            options,
        })
    }

    /// One question, given the ids seen so far.
    fn check_question(
        &mut self,
        item: &Spanned<RawQuestion>,
        known: &Known,
        ids: &mut HashSet<String>,
    ) -> Question {
        let q = item.get_ref();
        self.check_question_id(item, ids);
        let dimension = self.check_question_dimension(item, known.dimensions);
        let options = self.check_question_options(item, &known.scales);
        self.check_question_max(item);
        self.check_question_audience(item, known);
        self.check_question_guidance(item);
        let flags = q
            .flags
            .iter()
            .filter_map(|flag| self.check_flag(flag, q, &options, known.levels))
            .collect();
        let what = format!("question {}", q.id);
        let ownership = self.check_ownership(item, &what, q.owner.as_deref(), q.by.as_deref());
        Question {
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
            ownership,
            flags,
            relevant: Vec::new(),
            screening: q.screening,
            line: self.line(item),
        }
    }

    /// A question id: letters, digits, `-` and `_`, unique in the questionnaire.
    fn check_question_id(&mut self, item: &Spanned<RawQuestion>, ids: &mut HashSet<String>) {
        let q = item.get_ref();
        if q.id.is_empty()
            || !q
                .id
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_')
        {
            self.at_key(
                item,
                "id",
                format!(
                    "question id {:?} must use only letters, digits, - and _",
                    q.id
                ),
            );
        } else if !ids.insert(q.id.clone()) {
            self.at_key(item, "id", format!("duplicate question id {:?}", q.id));
        }
    }

    /// The index of the question's dimension (0 when it names an unknown one).
    fn check_question_dimension(
        &mut self,
        item: &Spanned<RawQuestion>,
        dimensions: &[Dimension],
    ) -> usize {
        let q = item.get_ref();
        match dimensions.iter().position(|d| d.id == q.dimension) {
            Some(i) => i,
            None => {
                self.at_key(
                    item,
                    "dimension",
                    format!("question {}: unknown dimension {:?}", q.id, q.dimension),
                );
                0
            }
        }
    }

    /// A question's options: none for text, else a known scale or its own list, not both.
    fn check_question_options(
        &mut self,
        item: &Spanned<RawQuestion>,
        scales: &BTreeMap<&str, Vec<Choice>>,
    ) -> Vec<Choice> {
        let q = item.get_ref();
        let (key, message) = match (q.kind, &q.scale, &q.options) {
            (QuestionType::Text, None, None) => return Vec::new(),
            (QuestionType::Text, _, _) => (
                "type",
                format!("question {}: a text question has no scale or options", q.id),
            ),
            (_, Some(_), Some(_)) => (
                "scale",
                format!("question {}: give either scale or options, not both", q.id),
            ),
            (_, Some(scale), None) => match scales.get(scale.as_str()) {
                Some(choices) => return choices.clone(),
                None => {
                    let known: Vec<&str> = scales.keys().copied().collect();
                    (
                        "scale",
                        format!(
                            "question {}: unknown scale {scale:?}; scales: {}",
                            q.id,
                            known.join(", ")
                        ),
                    )
                }
            },
            (_, None, Some(options)) => {
                return self.check_options(options, &format!("question {}", q.id));
            }
            (_, None, None) => (
                "type",
                format!(
                    "question {}: a {} question needs a scale or options",
                    q.id,
                    q.kind.name()
                ),
            ),
        };
        self.at_key(item, key, message);
        Vec::new()
    }

    /// `max`: only on multiple questions, 0 or more.
    fn check_question_max(&mut self, item: &Spanned<RawQuestion>) {
        let q = item.get_ref();
        match (q.kind, q.max) {
            (QuestionType::Multiple, Some(max)) if !(max >= 0.0 && max.is_finite()) => {
                self.at_key(
                    item,
                    "max",
                    format!("question {}: max must be 0 or more", q.id),
                );
            }
            (QuestionType::Multiple, _) | (_, None) => {}
            (_, Some(_)) => self.at_key(
                item,
                "max",
                format!("question {}: max applies only to multiple questions", q.id),
            ),
        }
    }

    /// The roles and stages a question is for: declared in the manifest.
    fn check_question_audience(&mut self, item: &Spanned<RawQuestion>, known: &Known) {
        let q = item.get_ref();
        for role in &q.roles {
            if !known.roles.contains(&role.as_str()) {
                self.at_key(
                    item,
                    "roles",
                    format!(
                        "question {}: unknown role {role:?}; roles: {}",
                        q.id,
                        known.roles.join(", ")
                    ),
                );
            }
        }
        for stage in &q.stages {
            if !known.stages.contains(&stage.as_str()) {
                self.at_key(
                    item,
                    "stages",
                    format!(
                        "question {}: unknown stage {stage:?}; stages: {}",
                        q.id,
                        known.stages.join(", ")
                    ),
                );
            }
        }
    }

    /// Where a question sends the reader: links to toolkit sections that exist, and a
    /// recommendation that is a valid template.
    fn check_question_guidance(&mut self, item: &Spanned<RawQuestion>) {
        let q = item.get_ref();
        for link in &q.links {
            if let Err(message) = self.site.check_reference(link) {
                self.at_key(item, "links", format!("question {}: {message}", q.id));
            }
        }
        if let Some(template) = &q.recommendation
            && let Err(e) = handlebars::Template::compile(template)
        {
            self.at_key(
                item,
                "recommendation",
                format!(
                    "question {}: recommendation is not a valid template: {e}",
                    q.id
                ),
            );
        }
    }

    /// One flag of a question: a valid id, options of the question, known levels in order.
    /// `None` for a flag on a text question, which cannot raise any.
    fn check_flag(
        &mut self,
        item: &Spanned<RawFlag>,
        question: &RawQuestion,
        options: &[Choice],
        levels: &[Level],
    ) -> Option<Flag> {
        let f = item.get_ref();
        if question.kind == QuestionType::Text {
            self.at_key(
                item,
                "when",
                format!(
                    "question {}: a text question cannot raise flags",
                    question.id
                ),
            );
            return None;
        }
        if !is_valid_id(&f.id) || f.id == "incomplete" {
            self.at_key(
                item,
                "id",
                format!(
                    "flag id {:?} must use only a-z, 0-9 and - (and \"incomplete\" is reserved)",
                    f.id
                ),
            );
        }
        let when = self.check_flag_options(item, &question.id, options);
        let min_level = self.check_flag_level(item, f.min_level.as_deref(), "min_level", levels);
        let max_level = self.check_flag_level(item, f.max_level.as_deref(), "max_level", levels);
        if let (Some(lo), Some(hi)) = (min_level, max_level)
            && lo > hi
        {
            self.at_key(
                item,
                "min_level",
                format!("flag {:?}: min_level is above max_level", f.id),
            );
        }
        if f.min_level.is_none() && f.max_level.is_none() && !f.stop {
            self.at(
                item,
                format!("flag {:?}: give min_level, max_level or stop = true", f.id),
            );
        }
        let what = format!("flag {:?}", f.id);
        let guidance = self.check_guidance(item, &what, [&f.title, &f.must_do, &f.owner, &f.by]);
        Some(Flag {
            id: f.id.clone(),
            message: f.message.clone(),
            when,
            min_level,
            max_level,
            stop: f.stop,
            guidance,
        })
    }

    /// The indices of the options in a flag's `when`, which must name at least one.
    fn check_flag_options(
        &mut self,
        item: &Spanned<RawFlag>,
        question: &str,
        options: &[Choice],
    ) -> Vec<usize> {
        let f = item.get_ref();
        let mut when = Vec::new();
        for value in &f.when {
            match options.iter().position(|o| o.value == *value) {
                Some(i) => when.push(i),
                None => {
                    let known: Vec<&str> = options.iter().map(|o| o.value.as_str()).collect();
                    self.at_key(
                        item,
                        "when",
                        format!(
                            "flag {:?}: unknown option {value:?} of question {question}; options: {}",
                            f.id,
                            known.join(", ")
                        ),
                    );
                }
            }
        }
        if when.is_empty() && f.when.is_empty() {
            self.at_key(
                item,
                "when",
                format!("flag {:?}: `when` names no option", f.id),
            );
        }
        when
    }

    /// The index of the level a flag's or rule's `key` (`min_level` or `max_level`)
    /// names, if any.
    fn check_flag_level<T: Named>(
        &mut self,
        item: &Spanned<T>,
        name: Option<&str>,
        key: &str,
        levels: &[Level],
    ) -> Option<usize> {
        let id = name?;
        let found = levels.iter().position(|l| l.id == id);
        if found.is_none() {
            let known: Vec<&str> = levels.iter().map(|l| l.id.as_str()).collect();
            self.at_key(
                item,
                key,
                format!(
                    "{} {:?}: unknown {key} {id:?}; levels: {}",
                    T::KIND,
                    item.get_ref().id(),
                    known.join(", ")
                ),
            );
        }
        found
    }

    /// Every question's `relevant` condition, once all questions are known (a condition
    /// may name a later question), then the cycles among them.
    fn check_relevance(&mut self, raw: &[Spanned<RawQuestion>], questions: &mut [Question]) {
        for (i, item) in raw.iter().enumerate() {
            let q = item.get_ref();
            if q.screening && q.kind == QuestionType::Text {
                self.at_key(
                    item,
                    "screening",
                    format!(
                        "question {}: a text question cannot be a screening question",
                        q.id
                    ),
                );
            }
            let owner = format!("question {} relevant", q.id);
            let relevant: Vec<Condition> = q
                .relevant
                .iter()
                .filter_map(|c| self.check_condition(item, "relevant", &owner, c, questions))
                .collect();
            if relevant.iter().any(|c| c.question == i) {
                self.at_key(
                    item,
                    "relevant",
                    format!("question {}: relevant names the question itself", q.id),
                );
            } else if let Some(question) = questions.get_mut(i) {
                question.relevant = relevant;
            }
        }
        if let Some(cycle) = relevance_cycle(questions) {
            let names: Vec<&str> = cycle.iter().map(|&i| questions[i].id.as_str()).collect();
            self.at_key(
                &raw[cycle[0]],
                "relevant",
                format!(
                    "relevant conditions go round in a circle: {} -> {}",
                    names.join(" -> "),
                    names[0]
                ),
            );
        }
    }

    /// The rules: a valid id, a message, conditions on choice questions, known levels in
    /// order, and a level bound or `stop`.
    fn check_rules(
        &mut self,
        raw: &[Spanned<RawRule>],
        questions: &[Question],
        levels: &[Level],
    ) -> Vec<Rule> {
        raw.iter()
            .filter_map(|item| {
                let r = item.get_ref();
                if !is_valid_id(&r.id) || r.id == "incomplete" {
                    let why = format!(
                        "rule id {:?} must use only a-z, 0-9 and - (and \"incomplete\" is reserved)",
                        r.id
                    );
                    self.at_key(item, "id", why);
                }
                let owner = format!("rule {:?}", r.id);
                let conditions =
                    self.check_message_and_when(item, &owner, &r.message, &r.when, questions);
                let min_level =
                    self.check_flag_level(item, r.min_level.as_deref(), "min_level", levels);
                let max_level =
                    self.check_flag_level(item, r.max_level.as_deref(), "max_level", levels);
                if let (Some(lo), Some(hi)) = (min_level, max_level)
                    && lo > hi
                {
                    let why = format!("rule {:?}: min_level is above max_level", r.id);
                    self.at_key(item, "min_level", why);
                }
                if r.min_level.is_none() && r.max_level.is_none() && !r.stop {
                    let why = format!("rule {:?}: give min_level, max_level or stop = true", r.id);
                    self.at(item, why);
                }
                let guidance =
                    self.check_guidance(item, &owner, [&r.title, &r.must_do, &r.owner, &r.by]);
                conditions.map(|conditions| Rule {
                    id: r.id.clone(),
                    message: r.message.clone(),
                    conditions,
                    min_level,
                    max_level,
                    stop: r.stop,
                    guidance,
                    line: self.line(item),
                })
            })
            .collect()
    }
}

impl Checker<'_> {
    /// Who owns an action and by when: a role and a stage declared in the manifest.
    fn check_ownership<T>(
        &mut self,
        item: &Spanned<T>,
        what: &str,
        owner: Option<&str>,
        by: Option<&str>,
    ) -> Ownership {
        let roles: Vec<&str> = self.site.manifest.role_ids().collect();
        let stages: Vec<&str> = self.site.manifest.stage_ids().collect();
        let mut known = |key: &str, value: Option<&str>, ids: &[&str], kind: &str| {
            let value = value?;
            if ids.contains(&value) {
                return Some(value.to_owned());
            }
            let why = format!(
                "{what}: unknown {kind} {value:?} in {key}; {kind}s: {}",
                ids.join(", ")
            );
            self.at_key(item, key, why);
            None
        };
        Ownership {
            owner: known("owner", owner, &roles, "role"),
            by: known("by", by, &stages, "stage"),
        }
    }

    /// A flag's or a rule's title and must-do (`[title, must_do, owner, by]`): an owner
    /// and a stage belong to a must-do, and none of the texts is blank.
    fn check_guidance<T>(
        &mut self,
        item: &Spanned<T>,
        what: &str,
        [title, must_do, owner, by]: [&Option<String>; 4],
    ) -> FlagGuidance {
        for (key, text) in [("title", title), ("must_do", must_do)] {
            if text.as_deref().is_some_and(|t| t.trim().is_empty()) {
                self.at_key(item, key, format!("{what}: {key} is blank"));
            }
        }
        if must_do.is_none() && (owner.is_some() || by.is_some()) {
            let key = if owner.is_some() { "owner" } else { "by" };
            self.at_key(
                item,
                key,
                format!("{what}: owner and by belong to a must_do; give one"),
            );
        }
        FlagGuidance {
            title: title.clone(),
            must_do: must_do.clone(),
            ownership: self.check_ownership(item, what, owner.as_deref(), by.as_deref()),
        }
    }
}

/// Items that have an id in messages (flags and rules), and what they are called.
trait Named {
    /// `flag` or `rule`.
    const KIND: &'static str;
    /// The id.
    fn id(&self) -> &str;
}

impl Named for RawFlag {
    const KIND: &'static str = "flag";
    fn id(&self) -> &str {
        &self.id
    }
}

impl Named for RawRule {
    const KIND: &'static str = "rule";
    fn id(&self) -> &str {
        &self.id
    }
}

/// A cycle among the questions' `relevant` conditions (question indices in order), if any.
fn relevance_cycle(questions: &[Question]) -> Option<Vec<usize>> {
    // 0 = not visited, 1 = on the current path, 2 = done.
    fn visit(
        i: usize,
        questions: &[Question],
        state: &mut [u8],
        path: &mut Vec<usize>,
    ) -> Option<Vec<usize>> {
        state[i] = 1;
        path.push(i);
        for next in questions[i].relevant.iter().map(|c| c.question) {
            match state[next] {
                1 => {
                    let start = path.iter().position(|&p| p == next).unwrap_or(0);
                    return Some(path[start..].to_vec());
                }
                0 => {
                    if let Some(cycle) = visit(next, questions, state, path) {
                        return Some(cycle);
                    }
                }
                _ => {}
            }
        }
        path.pop();
        state[i] = 2;
        None
    }
    let mut state = vec![0u8; questions.len()];
    (0..questions.len()).find_map(|i| {
        if state[i] == 0 {
            visit(i, questions, &mut state, &mut Vec::new())
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // A key's line is found inside the item's span, not before it or in a later item.
    #[test]
    fn finds_the_line_of_a_key_within_an_item() {
        let text = "id = \"a\"\n[[levels]]\nid = \"low\"\n  up_to = 5\n[[levels]]\nup_to = 9\n";
        let start = text.find("[[levels]]").unwrap();
        let end = text.rfind("[[levels]]").unwrap();
        assert_eq!(line_of_key(text, start..end, "up_to"), Some(4));
        assert_eq!(line_of_key(text, start..end, "id"), Some(3));
        assert_eq!(line_of_key(text, start..end, "label"), None);
        // `up_toe = 1` is another key, not `up_to`.
        assert_eq!(line_of_key("up_toe = 1\n", 0..11, "up_to"), None);
    }

    // A TOML error is reported at its line; an error TOML cannot place is for the whole file.
    #[test]
    fn parse_errors_name_their_line() {
        let mut problems = Problems::default();
        let text = "id = \"x\"\nversion = \"1\"\ntitle = \"T\"\nkind = \"risk\"\nwieght = 2\n";
        assert!(parse_definition(text, "q.toml", &mut problems).is_none());
        assert_eq!(problems.0.len(), 1);
        assert_eq!(problems.0[0].line, 5, "{problems}");
        assert!(problems.0[0].message.contains("unknown field `wieght`"));
        let mut problems = Problems::default();
        assert!(parse_definition("id = \"x\"\n", "q.toml", &mut problems).is_none());
        assert!(
            problems.0[0].message.contains("missing field"),
            "{problems}"
        );
        assert_eq!(problems.0[0].line, WHOLE_FILE, "{problems}");
    }
}
