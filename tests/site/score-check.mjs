// Runs the web edition's scorer (site/assets/scoring.js) under node on the questionnaire
// data embedded in the built pages, for the answer sets tests/site_scorer.rs generated,
// and prints every figure as text (numbers in JavaScript's shortest round-trip form, which
// Rust's `{:?}` also writes) for the Rust test to compare with score_response, method 2
// included (flags with their rule, unknown and stop marks, verdict, unknowns,
// contradictions, the applicable questions).
// Usage: node score-check.mjs <site folder> <request.json>
import { readFileSync } from "node:fs";
import { join } from "node:path";
import vm from "node:vm";

const [site, requestPath] = process.argv.slice(2);
const context = vm.createContext({});
vm.runInContext(readFileSync(join(site, "assets/scoring.js"), "utf8"), context);
const scoring = context.toolkitScoring;
const request = JSON.parse(readFileSync(requestPath, "utf8"));

// The questionnaire data of a page, as the page's script reads it.
function pageData(page) {
  const html = readFileSync(join(site, page), "utf8");
  const match = html.match(/<script type="application\/json" id="questionnaire-data">([\s\S]*?)<\/script>/);
  if (!match) throw new Error(`${page} has no questionnaire data`);
  return JSON.parse(match[1]);
}

// Rust's `{:?}` of an f64 prints a whole number with ".0".
function num(v) {
  if (v == null) return "null";
  const text = String(v);
  return /^-?\d+$/.test(text) ? text + ".0" : text;
}

function option(v) {
  return v == null ? "None" : `Some(${v})`;
}

function figures(q, r, answers) {
  const out = {};
  for (const [k, v] of Object.entries(scoring.resultValues(q, r))) out[`value ${k}`] = v;
  out.score = num(r.score);
  out.risk = num(r.risk);
  out.mitigation = num(r.mitigation);
  out.completion = num(r.completion);
  out.level = option(r.level);
  out.level_before_flags = option(r.level_before_flags);
  out.flags = r.flags.map((f) => `${f.id}@${option(f.question)}/${option(f.rule)}${f.unknown ? "?" : ""}${f.stop ? "!" : ""}`).join(",");
  out.verdict = r.verdict == null ? "none" : r.verdict;
  out.unknowns = `[${r.unknowns.join(", ")}]`;
  out.contradictions = r.contradictions.map((c) => `${q.rules[c.rule].id}/${q.questions[c.question].id}`).join(",");
  out.applicable_questions = r.applicable_questions.map((a) => (a ? "1" : "0")).join("");
  out.warnings = scoring
    .consistencyWarnings(q, answers)
    .map((check) => check.id)
    .join(",");
  out.answered = String(r.answered);
  out.applicable = String(r.applicable);
  out.unanswered = `[${r.unanswered.join(", ")}]`;
  q.dimensions.forEach((d, i) => {
    out[`dim ${d.id} achieved`] = num(r.dimensions[i].achieved);
    out[`dim ${d.id} max`] = num(r.dimensions[i].max);
    out[`dim ${d.id} percent`] = num(r.dimensions[i].percent);
  });
  return out;
}

const questionnaires = request.questionnaires.map(({ page, cases }) => {
  const q = pageData(page);
  return cases.map((c) => figures(q, scoring.scoreResponse(q, c), c.answers));
});
const numbers = request.numbers.map((text) => scoring.formatPercent(Number(text)));
process.stdout.write(JSON.stringify({ questionnaires, numbers }));
