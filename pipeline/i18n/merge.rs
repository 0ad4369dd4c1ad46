//! A catalogue brought up to date with the messages of its source, as `msgmerge` does:
//!
//! - a message whose context and text are in the catalogue keeps its translation, flags
//!   and translator comments (an obsolete entry with them comes back);
//! - a message whose English changed becomes **fuzzy**, keeping the old translation and
//!   the old English as `#| msgid`: for a message with a context, the entry of the same
//!   context; for one without (document text), the entry whose English is the most
//!   similar, when the similarity reaches [`SIMILARITY_THRESHOLD`];
//! - a new message gets an empty translation;
//! - a translated entry whose message is gone is kept as an obsolete `#~` entry (an
//!   untranslated one is dropped, as `msgmerge` drops it); obsolete entries stay.
//!
//! Entries follow the order of the source; obsolete entries come last. References and
//! notes always come from the source.

use std::collections::{HashMap, HashSet};

use super::extract::Message;
use super::po::{Entry, PoFile};

/// The least similarity (0 to 1) of two English texts for a translation of one to be
/// offered, fuzzy, for the other: `2 * common words / (words of one + words of the
/// other)`, the common words counted in order (a longest common subsequence of words
/// and punctuation). At 0.6, as `msgmerge`'s own threshold, a paragraph with a sentence
/// rewritten or added keeps its translation as a draft, while a different paragraph of
/// the same length does not borrow one.
pub const SIMILARITY_THRESHOLD: f64 = 0.6;

/// How an entry came out of a merge.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MergeCounts {
    /// Entries whose English was unchanged.
    pub kept: usize,
    /// Entries that became fuzzy because their English changed.
    pub fuzzy: usize,
    /// New entries, untranslated.
    pub added: usize,
    /// Translated entries made obsolete.
    pub obsoleted: usize,
}

/// Merges the messages of a source into a catalogue; `header` makes the header entry
/// of a catalogue that has none.
pub fn merge(
    existing: &PoFile,
    messages: &[Message],
    header: impl FnOnce() -> Entry,
) -> (PoFile, MergeCounts) {
    let mut counts = MergeCounts::default();
    let old = &existing.entries;
    let mut used: HashSet<usize> = HashSet::new();
    let (mut entries, unmatched) = exact_matches(old, messages, &mut used);
    counts.kept = messages.len() - unmatched.len();
    let mut by_context: HashMap<&str, usize> = HashMap::new();
    for (i, entry) in old.iter().enumerate() {
        if let Some(ctxt) = entry.msgctxt.as_deref()
            && !entry.obsolete
        {
            by_context.entry(ctxt).or_insert(i);
        }
    }
    for n in unmatched {
        let message = &messages[n];
        let candidate = match message.msgctxt.as_deref() {
            Some(ctxt) => by_context
                .get(ctxt)
                .copied()
                .filter(|&i| !used.contains(&i) && !old[i].msgstr.is_empty()),
            None => most_similar(old, &used, &message.msgid),
        };
        entries[n] = Some(match candidate {
            Some(i) => {
                used.insert(i);
                counts.fuzzy += 1;
                fuzzy_from(&old[i], message)
            }
            None => {
                counts.added += 1;
                let entry = Entry::new(message.msgctxt.clone(), message.msgid.clone());
                with_source(entry, message)
            }
        });
    }
    let mut entries: Vec<Entry> = entries.into_iter().flatten().collect();
    counts.obsoleted = old
        .iter()
        .enumerate()
        .filter(|(i, e)| !e.obsolete && !used.contains(i) && !e.msgstr.is_empty())
        .count();
    entries.extend(obsolete_rest(old, &used));
    let header = existing.header.clone().unwrap_or_else(header);
    let file = PoFile {
        header: Some(header),
        entries,
    };
    (file, counts)
}

/// The entry of each message whose context and text the catalogue has (a live entry
/// before an obsolete one), in message order (`None` where there is none), and the
/// indices of the messages without one.
fn exact_matches(
    old: &[Entry],
    messages: &[Message],
    used: &mut HashSet<usize>,
) -> (Vec<Option<Entry>>, Vec<usize>) {
    let mut exact: HashMap<(Option<&str>, &str), usize> = HashMap::new();
    for (i, entry) in old.iter().enumerate() {
        let key = (entry.msgctxt.as_deref(), entry.msgid.as_str());
        if !entry.obsolete || !exact.contains_key(&key) {
            exact.insert(key, i);
        }
    }
    let mut entries = Vec::with_capacity(messages.len());
    let mut unmatched = Vec::new();
    for (n, message) in messages.iter().enumerate() {
        let key = (message.msgctxt.as_deref(), message.msgid.as_str());
        match exact.get(&key) {
            Some(&i) if used.insert(i) => {
                let mut entry = old[i].clone();
                entry.obsolete = false;
                if !entry.is_fuzzy() {
                    entry.previous_msgctxt = None;
                    entry.previous_msgid = None;
                }
                entries.push(Some(with_source(entry, message)));
            }
            _ => {
                entries.push(None);
                unmatched.push(n);
            }
        }
    }
    (entries, unmatched)
}

/// The translated entries no message used, as obsolete entries (already obsolete ones
/// included); untranslated ones are dropped.
fn obsolete_rest(old: &[Entry], used: &HashSet<usize>) -> Vec<Entry> {
    old.iter()
        .enumerate()
        .filter(|(i, entry)| !used.contains(i) && !entry.msgstr.is_empty())
        .map(|(_, entry)| {
            let mut entry = entry.clone();
            entry.obsolete = true;
            entry.references.clear();
            entry.extracted.clear();
            entry.line = 0;
            entry
        })
        .collect()
}

/// An entry with the references and notes of its message.
fn with_source(mut entry: Entry, message: &Message) -> Entry {
    entry.references = message.references.clone();
    entry.extracted = message.notes.clone();
    entry.line = 0;
    entry
}

/// The entry for a message whose English changed: the old translation, fuzzy, with the
/// English it was made for as the previous string.
fn fuzzy_from(old: &Entry, message: &Message) -> Entry {
    let mut entry = Entry::new(message.msgctxt.clone(), message.msgid.clone());
    entry.msgstr = old.msgstr.clone();
    entry.comments = old.comments.clone();
    entry.flags = old.flags.clone();
    entry.set_fuzzy(true);
    let (previous_ctxt, previous_id) = if old.is_fuzzy() && old.previous_msgid.is_some() {
        (old.previous_msgctxt.clone(), old.previous_msgid.clone())
    } else {
        (old.msgctxt.clone(), Some(old.msgid.clone()))
    };
    entry.previous_msgctxt = previous_ctxt.filter(|c| Some(c) != message.msgctxt.as_ref());
    entry.previous_msgid = previous_id;
    with_source(entry, message)
}

/// The unused translated entry without context whose English is the most similar to
/// `msgid`, if it reaches the threshold (the first of equals, for a stable answer).
fn most_similar(old: &[Entry], used: &HashSet<usize>, msgid: &str) -> Option<usize> {
    let words = tokens(msgid);
    let mut best: Option<(usize, f64)> = None;
    for (i, entry) in old.iter().enumerate() {
        if used.contains(&i) || entry.msgctxt.is_some() || entry.msgstr.is_empty() {
            continue;
        }
        let other = tokens(&entry.msgid);
        let total = (words.len() + other.len()) as f64;
        let bound = 2.0 * words.len().min(other.len()) as f64 / total;
        if total == 0.0 || bound < SIMILARITY_THRESHOLD || best.is_some_and(|(_, b)| bound <= b) {
            continue;
        }
        let score = 2.0 * common(&words, &other) as f64 / total;
        if score >= SIMILARITY_THRESHOLD && best.is_none_or(|(_, b)| score > b) {
            best = Some((i, score));
        }
    }
    best.map(|(i, _)| i)
}

/// Similarity of two texts as [`SIMILARITY_THRESHOLD`] defines it.
pub fn similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (tokens(a), tokens(b));
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    2.0 * common(&a, &b) as f64 / (a.len() + b.len()) as f64
}

/// Words and punctuation marks of a text, lowercased.
fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            if !c.is_whitespace() {
                out.push(c.to_string());
            }
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// Length of the longest common subsequence of two token lists.
fn common(a: &[String], b: &[String]) -> usize {
    let mut row = vec![0usize; b.len() + 1];
    for x in a {
        let mut diagonal = 0;
        for (j, y) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if x == y {
                diagonal + 1
            } else {
                above.max(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(ctxt: Option<&str>, id: &str) -> Message {
        Message {
            msgctxt: ctxt.map(str::to_owned),
            msgid: id.to_owned(),
            references: vec!["x.md:1".into()],
            notes: vec![],
        }
    }

    fn translated(ctxt: Option<&str>, id: &str, str_: &str) -> Entry {
        let mut e = Entry::new(ctxt.map(str::to_owned), id.to_owned());
        e.msgstr = str_.to_owned();
        e
    }

    fn header() -> Entry {
        let mut e = Entry::new(None, String::new());
        e.msgstr = "Language: fr\n".into();
        e
    }

    // New, changed, removed and unchanged messages, with and without context.
    #[test]
    fn msgmerge_semantics() {
        let mut kept = translated(Some("a.text"), "Same", "Pareil");
        kept.comments = vec!["checked by Ana".into()];
        let old = PoFile {
            header: None,
            entries: vec![
                kept,
                translated(Some("b.text"), "Old question?", "Ancienne question ?"),
                translated(
                    None,
                    "The agency keeps a register of every AI system it uses.",
                    "L'agence tient un registre.",
                ),
                translated(
                    None,
                    "A paragraph that was removed.",
                    "Un paragraphe retiré.",
                ),
                Entry::new(None, "Untranslated and removed.".into()),
            ],
        };
        let messages = [
            message(None, "Brand new."),
            message(Some("a.text"), "Same"),
            message(Some("b.text"), "New question?"),
            message(
                None,
                "The agency keeps a register of every AI system that it uses or buys.",
            ),
        ];
        let (po, counts) = merge(&old, &messages, header);
        assert_eq!(
            counts,
            MergeCounts {
                kept: 1,
                fuzzy: 2,
                added: 1,
                obsoleted: 1
            }
        );
        let e = &po.entries;
        assert_eq!(e.len(), 5);
        assert_eq!(
            (e[0].msgid.as_str(), e[0].msgstr.as_str()),
            ("Brand new.", "")
        );
        assert!(e[1].is_translated() && e[1].comments == ["checked by Ana"]);
        assert!(e[2].is_fuzzy() && e[2].msgstr == "Ancienne question ?");
        assert_eq!(e[2].previous_msgid.as_deref(), Some("Old question?"));
        assert_eq!(e[2].previous_msgctxt, None);
        assert!(e[3].is_fuzzy() && e[3].msgstr == "L'agence tient un registre.");
        assert!(e[4].obsolete && e[4].msgstr == "Un paragraphe retiré.");
        assert!(e.iter().all(|x| x.msgid != "Untranslated and removed."));
        assert_eq!(e[0].references, ["x.md:1"]);
        assert_eq!(po.header.unwrap().msgstr, "Language: fr\n");
    }

    // Merging again with the same messages changes nothing; an obsolete entry whose
    // message comes back is revived with its translation.
    #[test]
    fn stable_and_revives() {
        let messages = [message(Some("k"), "Text"), message(None, "Other")];
        let (first, _) = merge(&PoFile::default(), &messages, header);
        let (second, counts) = merge(&first, &messages, header);
        assert_eq!(second, first);
        assert_eq!(counts.kept, 2);
        let mut gone = translated(Some("k"), "Text", "Texte");
        gone.obsolete = true;
        let old = PoFile {
            header: Some(header()),
            entries: vec![gone],
        };
        let (back, _) = merge(&old, &messages[..1], header);
        assert!(back.entries[0].is_translated() && !back.entries[0].obsolete);
        assert_eq!(back.entries.len(), 1);
    }

    // A fuzzy entry changed again keeps the English its translation was made for; a
    // different text of the same length does not borrow a translation.
    #[test]
    fn fuzzy_keeps_first_previous() {
        let mut fuzzy = translated(Some("k"), "Second wording", "Traduction");
        fuzzy.set_fuzzy(true);
        fuzzy.previous_msgid = Some("First wording".into());
        let old = PoFile {
            header: None,
            entries: vec![fuzzy],
        };
        let (po, _) = merge(&old, &[message(Some("k"), "Third wording")], header);
        assert_eq!(
            po.entries[0].previous_msgid.as_deref(),
            Some("First wording")
        );
        assert!(similarity("Use a register.", "Train every officer now.") < SIMILARITY_THRESHOLD);
        let old = PoFile {
            header: None,
            entries: vec![translated(None, "Train every officer now.", "Formez.")],
        };
        let (po, counts) = merge(&old, &[message(None, "Use a register today.")], header);
        assert_eq!((counts.added, counts.obsoleted), (1, 1));
        assert!(po.entries[0].msgstr.is_empty());
    }
}
