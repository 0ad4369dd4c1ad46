//! Primers: one short brief per audience (role) and lifecycle stage, assembled from the
//! audience's introduction and the key takeaways and use cases tagged across the guides.
//!
//! Choosing is pure ([`primer_filter`], [`choose_blocks`]): a block is admitted when its
//! tags name the role and stage (or leave them open); of those, the most specific come
//! first up to the manifest's caps, shown in toolkit order. Rendering turns the chosen
//! blocks into escaped Typst markup, and [`PrimerData`] hands it with the labels and links
//! to the `primer` function of the guide template, which lays the primer out.

use comrak::Arena;
use serde::Serialize;

use super::markdown::{self, BlockInfo, RenderTarget, Renderer};
use super::tailor::{BlockKind, Filter, Tags};
use super::{Doc, Site, relative_path};

/// A primer as assembled: the data its template lays out, the prose a reader reads,
/// and its metadata.
#[derive(Debug, Clone)]
pub struct Primer {
    /// Role id.
    pub role: String,
    /// Stage id.
    pub stage: String,
    /// Output path, `primers/<role>-<stage>.pdf`.
    pub output: String,
    /// Title (from the introduction's front matter).
    pub title: String,
    /// Subtitle naming the stage.
    pub subtitle: String,
    /// What the template lays out.
    pub data: PrimerData,
    /// Prose, for readability.
    pub prose: String,
    /// Number of takeaways and use cases it gathered.
    pub blocks: (usize, usize),
}

/// The body of a primer, handed to the template as JSON. The markup fields hold Typst
/// markup the toolkit generated from its own sources (text escaped), which the template
/// evaluates; everything else is plain text.
#[derive(Debug, Clone, Serialize)]
pub struct PrimerData {
    /// Labels of the lifecycle stages, in order, for the "you are here" strip.
    pub stages: Vec<String>,
    /// Position of this primer's stage in `stages`.
    pub stage_index: usize,
    /// Label of the primer's stage.
    pub stage: String,
    /// Label of the primer's audience.
    pub role: String,
    /// The stage's mark in the visual key, if it has one.
    pub stage_mark: Option<super::manifest::Mark>,
    /// The audience's mark in the visual key, if it has one.
    pub role_mark: Option<super::manifest::Mark>,
    /// Markup of the audience introduction, keeping the blocks tagged for this stage.
    pub intro: String,
    /// Key takeaways, in toolkit order.
    pub takeaways: Vec<PrimerBlock>,
    /// Use cases, in toolkit order.
    pub use_cases: Vec<PrimerBlock>,
    /// Every guide of the toolkit, for "where to go next".
    pub guides: Vec<GuideLink>,
}

/// A key takeaway or use case gathered into a primer.
#[derive(Debug, Clone, Serialize)]
pub struct PrimerBlock {
    /// The block's markup.
    pub markup: String,
    /// Title of the guide it comes from.
    pub guide: String,
    /// Relative link from the primer to that guide.
    pub link: String,
    /// Its prose, for readability.
    #[serde(skip)]
    pub prose: String,
}

/// A guide a primer points to.
#[derive(Debug, Clone, Serialize)]
pub struct GuideLink {
    /// Title.
    pub title: String,
    /// Subtitle, if any.
    pub subtitle: Option<String>,
    /// Relative link from the primer.
    pub link: String,
}

/// The blocks a primer of this role and stage admits: those whose tags name both, or
/// leave them open. Levels do not narrow a primer.
pub fn primer_filter(role: &str, stage: &str) -> Filter {
    Filter {
        role: Some(role.to_owned()),
        stage: Some(stage.to_owned()),
        level: None,
    }
}

/// How specific a block's tags are: the roles it names plus the stages it names, a list
/// left empty counting as all `roles` or `stages`. Smaller is more specific.
pub fn specificity(tags: &Tags, roles: usize, stages: usize) -> usize {
    let width = |list: &[String], all: usize| if list.is_empty() { all } else { list.len() };
    width(&tags.roles, roles) + width(&tags.stages, stages)
}

/// Which admitted blocks (tags in toolkit order) a primer shows: the most specific
/// first, ties in toolkit order, at most `cap`; returned as indices in toolkit order.
/// `roles` and `stages` are how many the manifest declares.
pub fn choose_blocks(tags: &[&Tags], roles: usize, stages: usize, cap: usize) -> Vec<usize> {
    let mut chosen: Vec<usize> = (0..tags.len()).collect();
    chosen.sort_by_key(|&k| (specificity(tags[k], roles, stages), k));
    chosen.truncate(cap);
    chosen.sort_unstable();
    chosen
}

/// A takeaway or use case chosen for a primer: which document, and the line its block
/// opens on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlannedBlock {
    /// Index of the document in `Site::documents`.
    pub doc: usize,
    /// Line of the block's `:::` opening.
    pub line: usize,
}

/// What the primer of a role and stage holds, decided once: the PDF primer and the web
/// page both render this plan, so they cannot choose differently.
#[derive(Debug, Clone)]
pub struct PrimerPlan<'s> {
    /// Role id.
    pub role: String,
    /// Stage id.
    pub stage: String,
    /// The role's label.
    pub role_label: String,
    /// The stage's label.
    pub stage_label: String,
    /// The role's introduction.
    pub intro: &'s Doc,
    /// The blocks the primer admits (its role and stage).
    pub filter: Filter,
    /// Title (from the introduction's front matter).
    pub title: String,
    /// Subtitle: the introduction's, or one naming the audience and stage.
    pub subtitle: String,
    /// The key takeaways, in toolkit order.
    pub takeaways: Vec<PlannedBlock>,
    /// The use cases, in toolkit order.
    pub use_cases: Vec<PlannedBlock>,
}

impl Site {
    /// The plan of the primer of a role and stage (`None` when the role has no
    /// introduction, so no primer).
    pub fn primer_plan(&self, role: &str, stage: &str) -> Option<PrimerPlan<'_>> {
        let (_, intro) = self.primer_intros.iter().find(|(r, _)| r == role)?;
        let label = |id: &str| self.manifest.label_of(id).unwrap_or(id).to_owned();
        let (role_label, stage_label) = (label(role), label(stage));
        let filter = primer_filter(role, stage);
        let caps = self.manifest.primers;
        Some(PrimerPlan {
            subtitle: intro
                .front
                .subtitle
                .clone()
                .unwrap_or_else(|| format!("For {role_label} · stage: {stage_label}")),
            title: intro.front.title.clone(),
            takeaways: self.chosen_blocks(BlockKind::Takeaway, caps.takeaways, &filter),
            use_cases: self.chosen_blocks(BlockKind::UseCase, caps.use_cases, &filter),
            role: role.to_owned(),
            stage: stage.to_owned(),
            role_label,
            stage_label,
            intro,
            filter,
        })
    }

    /// The blocks of one kind a primer with this filter shows: every admitted block of
    /// the toolkit, the most specific first up to `cap`, in toolkit order.
    fn chosen_blocks(&self, kind: BlockKind, cap: usize, filter: &Filter) -> Vec<PlannedBlock> {
        let found: Vec<(usize, &BlockInfo)> = self
            .documents
            .iter()
            .enumerate()
            .flat_map(|(d, doc)| doc.index.blocks.iter().map(move |b| (d, b)))
            .filter(|(_, block)| block.kind == kind && block.admitted(filter))
            .collect();
        let tags: Vec<&Tags> = found.iter().map(|(_, block)| &block.tags).collect();
        let (roles, stages) = (self.manifest.roles.len(), self.manifest.stages.len());
        choose_blocks(&tags, roles, stages, cap)
            .into_iter()
            .map(|k| PlannedBlock {
                doc: found[k].0,
                line: found[k].1.line,
            })
            .collect()
    }

    /// Assembles the PDF primer of a role and stage from its plan: the audience
    /// introduction (filtered for the stage), then the chosen key takeaways and use cases,
    /// then where to go next.
    pub fn render_primer(&self, plan: &PrimerPlan) -> Primer {
        let output = self
            .language
            .layout
            .primer(&plan.role, &plan.stage)
            .into_string();
        let target = RenderTarget {
            filter: &plan.filter,
            output: &output,
        };
        let arena = Arena::new();
        let root = markdown::parse(&arena, &plan.intro.text);
        let renderer = Renderer::new(
            plan.intro,
            &plan.intro.index,
            &self.manifest,
            self,
            target.clone(),
            root,
        );
        let mut prose = renderer.kept_prose(root);
        let intro = renderer.render_children(root);
        let takeaways = self.primer_blocks(&plan.takeaways, &target);
        let use_cases = self.primer_blocks(&plan.use_cases, &target);
        for block in takeaways.iter().chain(&use_cases) {
            prose.push_str(&block.prose);
        }
        Primer {
            role: plan.role.clone(),
            stage: plan.stage.clone(),
            blocks: (takeaways.len(), use_cases.len()),
            data: PrimerData {
                stages: self
                    .manifest
                    .stages
                    .iter()
                    .map(|f| f.label.clone())
                    .collect(),
                stage_index: self
                    .manifest
                    .stage_ids()
                    .position(|s| s == plan.stage)
                    .unwrap_or(0),
                stage: plan.stage_label.clone(),
                role: plan.role_label.clone(),
                stage_mark: self.manifest.mark_of(&plan.stage).cloned(),
                role_mark: self.manifest.mark_of(&plan.role).cloned(),
                intro,
                takeaways,
                use_cases,
                guides: self.guide_links(&output),
            },
            output,
            title: plan.title.clone(),
            subtitle: plan.subtitle.clone(),
            prose,
        }
    }

    /// The planned blocks rendered as excerpts, with the guide each comes from.
    fn primer_blocks(&self, planned: &[PlannedBlock], target: &RenderTarget) -> Vec<PrimerBlock> {
        planned
            .iter()
            .map(|block| {
                let doc = &self.documents[block.doc];
                let arena = Arena::new();
                let root = markdown::parse(&arena, &doc.text);
                let node = markdown::block_at(root, block.line);
                let renderer =
                    Renderer::new(doc, &doc.index, &self.manifest, self, target.clone(), root)
                        .excerpt();
                PrimerBlock {
                    markup: renderer.render_block_at(root, block.line),
                    guide: doc.front.title.clone(),
                    link: relative_path(target.output, &self.guide_output(doc, None)),
                    prose: node.map(markdown::prose_text).unwrap_or_default(),
                }
            })
            .collect()
    }

    /// Every guide of the toolkit, linked from `output`.
    fn guide_links(&self, output: &str) -> Vec<GuideLink> {
        self.documents
            .iter()
            .map(|doc| GuideLink {
                title: doc.front.title.clone(),
                subtitle: doc.front.subtitle.clone(),
                link: relative_path(output, &self.guide_output(doc, None)),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(roles: &[&str], stages: &[&str]) -> Tags {
        Tags {
            roles: roles.iter().map(|s| s.to_string()).collect(),
            stages: stages.iter().map(|s| s.to_string()).collect(),
            levels: vec![],
        }
    }

    // A primer admits blocks naming its role and stage or leaving them open, and no other.
    #[test]
    fn primer_admits_its_role_and_stage() {
        let filter = primer_filter("legal", "procure");
        assert!(tags(&[], &[]).matches(&filter));
        assert!(tags(&["legal"], &[]).matches(&filter));
        assert!(tags(&["legal", "manager"], &["procure"]).matches(&filter));
        assert!(!tags(&["manager"], &[]).matches(&filter));
        assert!(!tags(&["legal"], &["deploy"]).matches(&filter));
        let level_only = Tags {
            levels: vec!["basic".into()],
            ..tags(&[], &[])
        };
        assert!(level_only.matches(&filter), "levels do not narrow a primer");
    }

    // Naming fewer roles and stages makes a block more specific; an open list counts all.
    #[test]
    fn specificity_counts_named_roles_and_stages() {
        assert_eq!(specificity(&tags(&["legal"], &["procure"]), 4, 3), 2);
        assert_eq!(specificity(&tags(&["legal", "manager"], &[]), 4, 3), 5);
        assert_eq!(specificity(&tags(&[], &[]), 4, 3), 7);
    }

    // Over the cap, the most specific blocks win; they come back in toolkit order.
    #[test]
    fn most_specific_first_then_toolkit_order() {
        let found = [
            tags(&[], &[]),
            tags(&["legal"], &["procure"]),
            tags(&["legal"], &[]),
            tags(&[], &["procure"]),
            tags(&["legal"], &["procure"]),
        ];
        let refs: Vec<&Tags> = found.iter().collect();
        assert_eq!(choose_blocks(&refs, 4, 3, 3), vec![1, 2, 4]);
        assert_eq!(choose_blocks(&refs, 4, 3, 10), vec![0, 1, 2, 3, 4]);
        assert_eq!(choose_blocks(&refs, 4, 3, 0), Vec::<usize>::new());
    }

    // Equally specific blocks are kept in toolkit order up to the cap.
    #[test]
    fn ties_keep_toolkit_order() {
        let found = [tags(&[], &[]), tags(&[], &[]), tags(&[], &[])];
        let refs: Vec<&Tags> = found.iter().collect();
        assert_eq!(choose_blocks(&refs, 4, 3, 2), vec![0, 1]);
    }
}
