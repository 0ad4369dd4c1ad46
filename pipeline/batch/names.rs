//! Output file names of a scoring run, decided in one place and unique by construction:
//! safe characters only, never a Windows reserved name, and distinct even where the file
//! system ignores case (macOS, Windows), so the folder survives a copy to a shared drive.

use std::collections::HashSet;

use crate::output::sha256_hex;

/// Longest file name stem kept from an id (a hash and a counter may follow).
const MAX_STEM_CHARS: usize = 80;

/// Names Windows reserves for devices, whatever the extension.
const RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// A file name made safe: letters, digits, `.`, `-` and `_` only, no leading or trailing
/// dot, at most 80 characters, not a Windows reserved name; when anything had to change, a
/// short hash of the original keeps distinct ids apart.
pub fn safe_file_name(name: &str) -> String {
    let mut safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    safe = safe
        .trim_start_matches('.')
        .chars()
        .take(MAX_STEM_CHARS)
        .collect();
    safe = safe.trim_end_matches('.').to_owned();
    let stem = safe.split('.').next().unwrap_or("").to_ascii_uppercase();
    let reserved = RESERVED.contains(&stem.as_str());
    if reserved {
        // Windows reads `aux.pdf` as the device AUX too: change the part before the dot.
        safe.insert(0, '_');
    }
    if safe != name || safe.is_empty() {
        let hash = &sha256_hex(name.as_bytes())[..8];
        safe = if safe.is_empty() {
            hash.to_owned()
        } else {
            format!("{safe}-{hash}")
        };
    }
    safe
}

/// Hands out file names in one folder, each unique ignoring case.
#[derive(Debug, Default)]
pub struct NameSet {
    taken: HashSet<String>,
}

impl NameSet {
    /// A unique name for `id` in `folder`: its safe name, or that name with `-2`, `-3`, ...
    /// appended until no earlier name of the folder equals it ignoring case. Returns the
    /// path `folder/<name>.<extension>`.
    pub fn claim(&mut self, folder: &str, id: &str, extension: &str) -> String {
        let base = safe_file_name(id);
        let mut name = base.clone();
        let mut counter = 1;
        while !self.taken.insert(format!("{folder}/{name}").to_lowercase()) {
            counter += 1;
            name = format!("{base}-{counter}");
        }
        format!("{folder}/{name}.{extension}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // File names never leave the output folder and distinct ids stay distinct.
    #[test]
    fn safe_names() {
        assert_eq!(safe_file_name("ws-1_a.b"), "ws-1_a.b");
        let tricky = safe_file_name("../../etc/passwd");
        assert!(
            !tricky.contains('/') && !tricky.starts_with('.'),
            "{tricky}"
        );
        assert_ne!(safe_file_name("a/b"), safe_file_name("a?b"));
        assert!(safe_file_name("").len() == 8);
        assert!(safe_file_name(&"x".repeat(500)).len() <= 89);
        assert!(!safe_file_name("C:\\Windows\\x").contains('\\'));
        assert!(!safe_file_name("x.").ends_with('.'));
    }

    // Windows device names get a hash, in any case and with any extension.
    #[test]
    fn reserved_names_are_avoided() {
        for name in ["CON", "nul", "Com1", "lpt9.txt", "aux.pdf"] {
            let safe = safe_file_name(name);
            assert_ne!(safe, name);
            let stem = safe.split('.').next().unwrap().to_ascii_uppercase();
            assert!(!RESERVED.contains(&stem.as_str()), "{safe}");
        }
        assert_eq!(safe_file_name("console"), "console");
    }

    // Names that collide after sanitising, by a counter suffix or by case stay distinct.
    #[test]
    fn claimed_names_are_unique_ignoring_case() {
        let mut names = NameSet::default();
        let hashed = safe_file_name("a/b");
        let ids = [
            "a/b".to_owned(),
            hashed.clone(),
            format!("{hashed}-2"),
            "Group".to_owned(),
            "group".to_owned(),
            "GROUP".to_owned(),
            "no-group".to_owned(),
            String::new(),
        ];
        let claimed: Vec<String> = ids.iter().map(|id| names.claim("g", id, "pdf")).collect();
        let lower: HashSet<String> = claimed.iter().map(|n| n.to_lowercase()).collect();
        assert_eq!(lower.len(), ids.len(), "{claimed:?}");
        // Another folder has names of its own.
        assert_eq!(names.claim("h", "Group", "pdf"), "h/Group.pdf");
    }
}
