//! The answers of a validated response, stored compactly: a run holds every response
//! until its summaries are written (100,000 responses of 60 questions and more), so one
//! `Option<Answer>` per question with a heap vector per choice would cost kilobytes a
//! response. Here a response's answers are one byte string, one entry per question in
//! question order: a blank is one byte, a single choice two, about 130 bytes for a
//! 60-question response.

use crate::scoring::Answer;

/// No answer.
const BLANK: u8 = 0;
/// One chosen option whose index fits in a byte: the index follows.
const ONE_CHOICE: u8 = 1;
/// Chosen options: their count, then each index as two bytes (little-endian).
const CHOICES: u8 = 2;
/// Free text: its length in bytes, then its UTF-8.
const TEXT: u8 = 3;

/// One optional answer per question, in question order.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct AnswerSet {
    /// The entries, one per question (see the tags above); counts and lengths are LEB128.
    bytes: Box<[u8]>,
}

/// Appends `n` as LEB128.
fn push_number(bytes: &mut Vec<u8>, mut n: usize) {
    loop {
        let low = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            bytes.push(low);
            return;
        }
        bytes.push(low | 0x80);
    }
}

/// Reads a LEB128 number at `*at`, moving past it.
fn read_number(bytes: &[u8], at: &mut usize) -> usize {
    let (mut n, mut shift) = (0usize, 0);
    loop {
        let byte = bytes[*at];
        *at += 1;
        n |= usize::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return n;
        }
        shift += 7;
    }
}

impl AnswerSet {
    /// Stores `answers` (one per question).
    ///
    /// # Panics
    ///
    /// When an option index does not fit in 16 bits: a question has a few options.
    pub fn new(answers: &[Option<Answer>]) -> AnswerSet {
        let mut bytes = Vec::with_capacity(answers.len() * 2);
        for answer in answers {
            match answer {
                None => bytes.push(BLANK),
                Some(Answer::Choices(chosen)) => match chosen.as_slice() {
                    [one] if *one <= usize::from(u8::MAX) => {
                        bytes.extend([ONE_CHOICE, *one as u8]);
                    }
                    _ => {
                        bytes.push(CHOICES);
                        push_number(&mut bytes, chosen.len());
                        for &option in chosen {
                            let option = u16::try_from(option).expect("fewer than 65,536 options");
                            bytes.extend(option.to_le_bytes());
                        }
                    }
                },
                Some(Answer::Text(text)) => {
                    bytes.push(TEXT);
                    push_number(&mut bytes, text.len());
                    bytes.extend(text.as_bytes());
                }
            }
        }
        AnswerSet {
            bytes: bytes.into_boxed_slice(),
        }
    }

    /// Every answer in question order.
    pub fn iter(&self) -> impl Iterator<Item = Option<Answer>> + '_ {
        let mut at = 0;
        std::iter::from_fn(move || {
            let tag = *self.bytes.get(at)?;
            at += 1;
            Some(match tag {
                BLANK => None,
                ONE_CHOICE => {
                    at += 1;
                    Some(Answer::Choices(vec![usize::from(self.bytes[at - 1])]))
                }
                CHOICES => {
                    let count = read_number(&self.bytes, &mut at);
                    let indices = &self.bytes[at..at + 2 * count];
                    at += 2 * count;
                    Some(Answer::Choices(
                        indices
                            .chunks_exact(2)
                            .map(|pair| usize::from(u16::from_le_bytes([pair[0], pair[1]])))
                            .collect(),
                    ))
                }
                _ => {
                    let length = read_number(&self.bytes, &mut at);
                    let text = &self.bytes[at..at + length];
                    at += length;
                    Some(Answer::Text(
                        std::str::from_utf8(text)
                            .expect("stored from a string")
                            .to_owned(),
                    ))
                }
            })
        })
    }

    /// The number of questions.
    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// Whether the set holds no questions at all.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The answer to question `index` (`None` when blank or out of range).
    pub fn get(&self, index: usize) -> Option<Answer> {
        self.iter().nth(index).flatten()
    }

    /// Every answer, one per question, as scoring and reports take them.
    pub fn to_vec(&self) -> Vec<Option<Answer>> {
        self.iter().collect()
    }
}

impl From<Vec<Option<Answer>>> for AnswerSet {
    fn from(answers: Vec<Option<Answer>>) -> AnswerSet {
        AnswerSet::new(&answers)
    }
}

impl std::fmt::Debug for AnswerSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Every kind of answer comes back as it was stored, blanks, large option indices and
    // long text included; a 60-question response takes about two bytes a question.
    #[test]
    fn round_trips_every_answer() {
        let answers = vec![
            None,
            Some(Answer::Choices(vec![3])),
            Some(Answer::Choices(vec![0, 2, 7])),
            Some(Answer::Choices(vec![300])),
            Some(Answer::Text("Déjà vu; \u{202E} kept".into())),
            Some(Answer::Text("long ".repeat(20_000))),
            Some(Answer::Text(String::new())),
            Some(Answer::Choices(vec![])),
            None,
        ];
        let set = AnswerSet::new(&answers);
        assert_eq!(set.to_vec(), answers);
        assert_eq!(set.len(), 9);
        assert_eq!(set.get(1), Some(Answer::Choices(vec![3])));
        assert_eq!(set.get(9), None);
        assert_eq!(AnswerSet::default().to_vec(), vec![]);

        let typical: Vec<Option<Answer>> = (0..60)
            .map(|i| (i % 9 != 0).then(|| Answer::Choices(vec![i % 5])))
            .collect();
        let set = AnswerSet::new(&typical);
        assert_eq!(set.to_vec(), typical);
        assert!(set.bytes.len() <= 120, "{} bytes", set.bytes.len());
    }
}
