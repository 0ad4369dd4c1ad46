//! Plain-language figures for `toolkit check`: word counts and the Flesch reading ease of
//! body text (206.835 − 1.015 × words per sentence − 84.6 × syllables per word).

/// Counts over a text.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Readability {
    /// Words.
    pub words: usize,
    /// Sentences (each line ends at least one).
    pub sentences: usize,
    /// Syllables (estimated from vowel groups).
    pub syllables: usize,
}

impl Readability {
    /// Measures prose given one paragraph or list item per line.
    pub fn of(text: &str) -> Self {
        let mut r = Readability::default();
        for line in text.lines() {
            let mut words_in_line = 0;
            let mut open_sentence = false;
            for token in line.split_whitespace() {
                let word: String = token
                    .chars()
                    .filter(|c| c.is_alphanumeric() || *c == '\'' || *c == '’')
                    .collect();
                if word.chars().any(char::is_alphabetic) {
                    r.words += 1;
                    words_in_line += 1;
                    r.syllables += syllables(&word);
                    open_sentence = true;
                }
                let ends_sentence = token
                    .trim_end_matches(['"', '”', '’', ')', '*', '_'])
                    .ends_with(['.', '!', '?', ':']);
                if ends_sentence && open_sentence {
                    r.sentences += 1;
                    open_sentence = false;
                }
            }
            if open_sentence && words_in_line > 0 {
                r.sentences += 1;
            }
        }
        r
    }

    /// Flesch reading ease; higher is easier (60-70 is plain English).
    pub fn flesch(&self) -> f64 {
        if self.words == 0 || self.sentences == 0 {
            return 100.0;
        }
        206.835
            - 1.015 * (self.words as f64 / self.sentences as f64)
            - 84.6 * (self.syllables as f64 / self.words as f64)
    }
}

/// Estimated syllables of an English word: vowel groups, less a silent final "e", at least one.
pub fn syllables(word: &str) -> usize {
    let lower: Vec<char> = word
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphabetic())
        .collect();
    if lower.is_empty() {
        return 0;
    }
    if lower.len() <= 3 {
        return 1;
    }
    let is_vowel = |c: char| "aeiouy".contains(c);
    let mut count = 0;
    let mut previous = false;
    for &c in &lower {
        let vowel = is_vowel(c);
        if vowel && !previous {
            count += 1;
        }
        previous = vowel;
    }
    let n = lower.len();
    // A final "e" is silent, except in "-le" after a consonant (table, simple).
    let consonant_le = lower[n - 2] == 'l' && !is_vowel(lower[n - 3]);
    if lower[n - 1] == 'e' && !consonant_le && count > 1 {
        count -= 1;
    }
    if n > 2
        && lower[n - 2] == 'e'
        && (lower[n - 1] == 's' || lower[n - 1] == 'd')
        && !"aeiouytd".contains(lower[n - 3])
        && count > 1
    {
        count -= 1;
    }
    // "-ism", "-thm": the final consonants carry a syllable of their own.
    if lower.ends_with(&['s', 'm']) || lower.ends_with(&['t', 'h', 'm']) {
        count += 1;
    }
    count.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Syllable estimates match a dictionary on common words.
    #[test]
    fn syllable_estimates() {
        for (word, expected) in [
            ("police", 2),
            ("data", 2),
            ("algorithm", 4),
            ("the", 1),
            ("table", 2),
            ("used", 1),
            ("officers", 3),
            ("make", 1),
        ] {
            assert_eq!(syllables(word), expected, "{word}");
        }
    }

    // Short plain sentences score as easy; long complex ones as hard.
    #[test]
    fn reading_ease() {
        let easy = Readability::of("The dog ran. The cat sat on the mat.\nWe test it.");
        assert_eq!((easy.words, easy.sentences), (12, 3));
        assert!(easy.flesch() > 90.0);
        let hard = Readability::of(
            "Notwithstanding organisational heterogeneity, institutional accountability mechanisms necessitate comprehensive documentation.",
        );
        assert!(hard.flesch() < 0.0);
    }
}
