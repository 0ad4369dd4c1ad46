//! The typesetting job of a report: the report template's entry function
//! ([`Template::REPORT`] or [`Template::GROUP`]) applied to the report's JSON data
//! (`/data.json`), built by `crate::report`. Respondents' text reaches Typst only inside
//! that data.

use serde::Serialize;
use serde_json::Value;

use crate::typeset::{Job, Template};

/// The fields of report data that hold a figure the toolkit computed (`56.0`, `1.5`):
/// they are written with the decimal mark of the report's language (its words'
/// `number.decimal`). Other fields, respondents' text among them, are left as they are.
const FIGURES: &[&str] = &[
    "score",
    "completion",
    "risk",
    "mitigation",
    "percent",
    "mean",
    "min",
    "max",
    "mean_score",
    "points",
    "max_points",
    "up_to",
    "up_to_points",
    "weight",
];

/// The typesetting job of a report: `template`'s entry function applied to `data`.
pub fn report_job(template: Template, data: &impl Serialize, ident: &str) -> Job {
    let mut value = serde_json::to_value(data).expect("report data serialises");
    let mark = value
        .get("words")
        .and_then(|w| w.get("number.decimal"))
        .and_then(Value::as_str)
        .filter(|mark| !mark.is_empty() && *mark != ".")
        .map(str::to_owned);
    if let Some(mark) = mark {
        localise_figures(&mut value, &mark);
    }
    Job::call(template).data("/data.json", &value).ident(ident)
}

/// Writes every figure field of `value` (see [`FIGURES`]) with `mark` as decimal mark.
fn localise_figures(value: &mut Value, mark: &str) {
    match value {
        Value::Object(map) => {
            for (key, field) in map.iter_mut() {
                if key == "words" {
                    continue;
                }
                match field {
                    Value::String(text) if FIGURES.contains(&key.as_str()) && is_figure(text) => {
                        *text = text.replace('.', mark);
                    }
                    _ => localise_figures(field, mark),
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| localise_figures(item, mark)),
        _ => {}
    }
}

/// Whether `text` is a figure as the toolkit writes one: digits with at most one point.
fn is_figure(text: &str) -> bool {
    let mut parts = text.strip_prefix('-').unwrap_or(text).split('.');
    let whole = parts.next().unwrap_or("");
    let fraction = parts.next();
    parts.next().is_none()
        && !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    // Figures take the language's decimal mark; respondents' words, versions and the
    // words themselves do not change.
    #[test]
    fn figures_take_the_decimal_mark() {
        let mut data = json!({
            "score": "56.0",
            "version": "2.0.0",
            "words": {"number.decimal": ","},
            "dimensions": [{"percent": "12.5", "title": "Data 2.5"}],
            "comments": [{"text": "3.5 cameras", "points": "1.5"}],
            "levels": [{"up_to": "2.0.1"}],
        });
        localise_figures(&mut data, ",");
        assert_eq!(data["score"], "56,0");
        assert_eq!(data["version"], "2.0.0");
        assert_eq!(data["dimensions"][0]["percent"], "12,5");
        assert_eq!(data["dimensions"][0]["title"], "Data 2.5");
        assert_eq!(data["comments"][0]["text"], "3.5 cameras");
        assert_eq!(data["comments"][0]["points"], "1,5");
        assert_eq!(data["levels"][0]["up_to"], "2.0.1");
        assert_eq!(data["words"]["number.decimal"], ",");
    }
}
