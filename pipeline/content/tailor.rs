//! Tailoring: the Markdown convention that tags a block with audiences, stages and
//! knowledge levels, or marks it as a key takeaway or a use case.
//!
//! A tagged block is a fenced container (comrak's block directive):
//!
//! ```markdown
//! :::takeaway roles=senior-manager,legal-advisor stages=procure
//! Ask the supplier for the test results by demographic group.
//! :::
//! ```
//!
//! The first word names the kind (`tagged`, `takeaway` or `usecase`); then come
//! `roles=`, `stages=` and `levels=` with comma-separated ids declared in the manifest,
//! and for a use case an optional `title="..."`. An empty list means "everyone".

use crate::content::manifest::Manifest;

/// What a tagged block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BlockKind {
    /// Ordinary content that only some editions include.
    Tagged,
    /// A key takeaway; primers collect these.
    Takeaway,
    /// A sample use case; primers collect these.
    UseCase,
}

/// The audiences, stages and levels a block is for; empty lists mean "all".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tags {
    /// Role ids.
    pub roles: Vec<String>,
    /// Stage ids.
    pub stages: Vec<String>,
    /// Level ids.
    pub levels: Vec<String>,
}

/// A parsed block directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// The kind of block.
    pub kind: BlockKind,
    /// Who and when it is for.
    pub tags: Tags,
    /// A title (use cases).
    pub title: Option<String>,
}

/// Which blocks an edition keeps: `None` keeps blocks of every role, stage or level.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Filter {
    /// Keep only blocks for this role (or for everyone).
    pub role: Option<String>,
    /// Keep only blocks for this stage (or for every stage).
    pub stage: Option<String>,
    /// Keep only blocks for this level (or for every level).
    pub level: Option<String>,
}

impl Filter {
    /// Keeps everything.
    pub fn all() -> Self {
        Self::default()
    }

    /// Keeps the blocks for one knowledge level.
    pub fn level(level: &str) -> Self {
        Self {
            level: Some(level.to_owned()),
            ..Self::default()
        }
    }
}

impl Tags {
    /// Whether an edition with `filter` includes a block with these tags.
    pub fn matches(&self, filter: &Filter) -> bool {
        fn fits(list: &[String], wanted: &Option<String>) -> bool {
            match wanted {
                None => true,
                Some(w) => list.is_empty() || list.iter().any(|x| x == w),
            }
        }
        fits(&self.roles, &filter.role)
            && fits(&self.stages, &filter.stage)
            && fits(&self.levels, &filter.level)
    }

    /// Whether no list is set.
    pub fn is_empty(&self) -> bool {
        self.roles.is_empty() && self.stages.is_empty() && self.levels.is_empty()
    }

    /// A short reader-facing line such as "Legal officers and advisors · Deploy · Advanced".
    pub fn badge(&self, manifest: &Manifest) -> String {
        let mut parts = Vec::new();
        for list in [&self.roles, &self.stages, &self.levels] {
            if !list.is_empty() {
                let labels: Vec<&str> = list
                    .iter()
                    .map(|id| manifest.label_of(id).unwrap_or(id.as_str()))
                    .collect();
                parts.push(labels.join(", "));
            }
        }
        parts.join(" · ")
    }

    /// Problems with ids that the manifest does not declare.
    pub fn unknown_ids(&self, manifest: &Manifest) -> Vec<String> {
        let mut out = Vec::new();
        let checks: [(&str, &Vec<String>, Vec<&str>); 3] = [
            ("role", &self.roles, manifest.role_ids().collect()),
            ("stage", &self.stages, manifest.stage_ids().collect()),
            ("level", &self.levels, manifest.level_ids().collect()),
        ];
        for (what, list, known) in checks {
            for id in list {
                if !known.contains(&id.as_str()) {
                    out.push(format!(
                        "unknown {what} {id:?}; declared {what}s: {}",
                        known.join(", ")
                    ));
                }
            }
        }
        out
    }
}

/// Parses the info string of a block directive (the text after `:::`).
pub fn parse_directive(info: &str) -> Result<Directive, String> {
    let tokens = tokenize(info)?;
    let mut tokens = tokens.into_iter();
    let kind = match tokens.next().as_deref() {
        Some("tagged") => BlockKind::Tagged,
        Some("takeaway") => BlockKind::Takeaway,
        Some("usecase") => BlockKind::UseCase,
        Some(other) => {
            return Err(format!(
                "unknown block kind {other:?}; expected tagged, takeaway or usecase"
            ));
        }
        None => {
            return Err("a ::: block needs a kind: tagged, takeaway or usecase (if this line should close a block, check its opening line: the Markdown parser does not accept ':' in a title)".to_owned());
        }
    };
    let mut directive = Directive {
        kind,
        tags: Tags::default(),
        title: None,
    };
    for token in tokens {
        let Some((key, value)) = token.split_once('=') else {
            return Err(format!(
                "expected key=value after the block kind, found {token:?}"
            ));
        };
        let list = || {
            value
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        };
        match key {
            "roles" => directive.tags.roles = list(),
            "stages" => directive.tags.stages = list(),
            "levels" => directive.tags.levels = list(),
            "title" if kind == BlockKind::UseCase => directive.title = Some(value.to_owned()),
            _ => {
                let allowed = if kind == BlockKind::UseCase {
                    "roles, stages, levels or title"
                } else {
                    "roles, stages or levels"
                };
                return Err(format!("unknown key {key:?}; expected {allowed}"));
            }
        }
    }
    if kind == BlockKind::Tagged && directive.tags.is_empty() {
        return Err("a tagged block needs at least one of roles=, stages= or levels=".to_owned());
    }
    Ok(directive)
}

/// Splits on whitespace, keeping `key="quoted value"` together.
fn tokenize(info: &str) -> Result<Vec<String>, String> {
    let mut tokens = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in info.trim().chars() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => {
                if !current.is_empty() {
                    tokens.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if quoted {
        return Err("unclosed quote in the block's options".to_owned());
    }
    if !current.is_empty() {
        tokens.push(current);
    }
    Ok(tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    // The documented syntax parses into kind, tag lists and title.
    #[test]
    fn parses_directive() {
        let d = parse_directive(r#"usecase roles=legal-advisor,senior-manager stages=deploy title="Live facial recognition""#).unwrap();
        assert_eq!(d.kind, BlockKind::UseCase);
        assert_eq!(d.tags.roles, ["legal-advisor", "senior-manager"]);
        assert_eq!(d.tags.stages, ["deploy"]);
        assert!(d.tags.levels.is_empty());
        assert_eq!(d.title.as_deref(), Some("Live facial recognition"));
    }

    // Misspelt kinds and keys are refused with what was expected.
    #[test]
    fn rejects_unknown_words() {
        assert!(
            parse_directive("takeway roles=x")
                .unwrap_err()
                .contains("expected tagged, takeaway or usecase")
        );
        assert!(
            parse_directive("tagged role=x")
                .unwrap_err()
                .contains("unknown key \"role\"")
        );
        assert!(
            parse_directive("tagged")
                .unwrap_err()
                .contains("at least one")
        );
        assert!(parse_directive("takeaway title=\"x\"").is_err());
    }

    // An empty tag list matches every edition; a set list matches only its ids.
    #[test]
    fn filter_matching() {
        let tags = Tags {
            roles: vec!["legal-advisor".into()],
            stages: vec![],
            levels: vec!["advanced".into()],
        };
        assert!(tags.matches(&Filter::all()));
        assert!(tags.matches(&Filter::level("advanced")));
        assert!(!tags.matches(&Filter::level("basic")));
        let legal_deploy = Filter {
            role: Some("legal-advisor".into()),
            stage: Some("deploy".into()),
            level: None,
        };
        assert!(tags.matches(&legal_deploy));
        let manager = Filter {
            role: Some("senior-manager".into()),
            ..Filter::all()
        };
        assert!(!tags.matches(&manager));
    }
}
