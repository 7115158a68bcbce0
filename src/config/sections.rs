//! Reading the file section by section: the document is parsed once (every syntax error is
//! collected), then each top-level section is deserialised on its own, so a wrong type in
//! `[feed]` does not hide one in `[orders]`. Each error names its field (`orders.max_open_orders`)
//! and line, and keeps toml's message.

use std::ops::Range;

use serde::de::DeserializeOwned;
use toml::{
    Spanned,
    de::{DeTable, DeValue, ValueDeserializer},
};

use super::engine_file::EngineFile;

/// The top-level sections, in the order they are read and reported.
pub const SECTIONS: [&str; 11] = [
    "exchange",
    "sim",
    "gateway",
    "feed",
    "metadata",
    "blackout",
    "orders",
    "strategy",
    "supervision",
    "metrics",
    "backtest",
];

/// What [`read`] found.
#[derive(Debug)]
pub struct Read {
    /// The file's sections; a section that failed to read holds its defaults.
    pub cfg: EngineFile,
    /// Every syntax, unknown-section, unknown-key and type error.
    pub errors: Vec<String>,
    /// Sections that failed to read (their values are not the file's).
    pub failed: Vec<&'static str>,
}

/// Reads the file's sections, each on its own. TOML syntax errors stop the reading (the values
/// after them are unreliable); every other error leaves the rest readable.
pub fn read(text: &str) -> Read {
    let (doc, syntax) = DeTable::parse_recoverable(text);
    if !syntax.is_empty() {
        let errors = syntax
            .iter()
            .map(|e| {
                let at = e.span().map(|s| s.start).unwrap_or(0);
                let field = key_at(text, at).map_or(String::new(), |k| format!("{k}: "));
                format!(
                    "{field}TOML syntax error: {}{}",
                    one_line(e.message()),
                    location(text, e.span())
                )
            })
            .collect();
        return Read {
            cfg: EngineFile::default(),
            errors,
            failed: SECTIONS.to_vec(),
        };
    }
    let mut errs = Vec::new();
    let mut values: Vec<Option<Spanned<DeValue<'_>>>> = SECTIONS.iter().map(|_| None).collect();
    for (key, value) in doc.into_inner() {
        let name: &str = key.get_ref();
        match SECTIONS.iter().position(|s| *s == name) {
            Some(i) => values[i] = Some(value),
            None => errs.push(format!(
                "{name}: unknown section, expected one of {}{}",
                SECTIONS.join(", "),
                location(text, Some(key.span()))
            )),
        }
    }
    let mut reader = Reader {
        text,
        values: values.into_iter(),
        names: SECTIONS.iter(),
        errors: errs,
        failed: Vec::new(),
    };
    let cfg = EngineFile {
        exchange: reader.next(),
        sim: reader.next(),
        gateway: reader.next(),
        feed: reader.next(),
        metadata: reader.next(),
        blackout: reader.next(),
        orders: reader.next(),
        strategy: reader.next(),
        supervision: reader.next(),
        metrics: reader.next(),
        backtest: reader.next(),
    };
    Read {
        cfg,
        errors: reader.errors,
        failed: reader.failed,
    }
}

/// Deserialises the sections in [`SECTIONS`] order.
struct Reader<'t, 'i> {
    text: &'t str,
    values: std::vec::IntoIter<Option<Spanned<DeValue<'i>>>>,
    names: std::slice::Iter<'static, &'static str>,
    errors: Vec<String>,
    failed: Vec<&'static str>,
}

impl Reader<'_, '_> {
    /// The next section: its value deserialised, or its default (absent, or wrong — then the
    /// error is recorded).
    fn next<T: DeserializeOwned + Default>(&mut self) -> T {
        let name = self.names.next().copied().unwrap_or("?");
        let Some(value) = self.values.next().flatten() else {
            return T::default();
        };
        T::deserialize(ValueDeserializer::from(value)).unwrap_or_else(|e| {
            self.errors.push(describe(self.text, name, &e));
            self.failed.push(name);
            T::default()
        })
    }
}

/// `section.field.path: message (line L, column C)`.
fn describe(text: &str, section: &str, e: &toml::de::Error) -> String {
    let mut field = section.to_owned();
    // Without the input attached, toml's Display names the keys below the section as
    // "in `a.b`"; the keys themselves are not public.
    let shown = e.to_string();
    if let Some(keys) = shown
        .lines()
        .find_map(|l| l.strip_prefix("in `").and_then(|r| r.strip_suffix('`')))
    {
        field = format!("{field}.{keys}");
    }
    // An unknown key's span is the key itself.
    if e.message().starts_with("unknown field")
        && let Some(key) = e.span().and_then(|s| text.get(s))
    {
        field = format!("{field}.{}", key.trim().trim_matches(['"', '\'']));
    }
    format!(
        "{field}: {}{}",
        one_line(e.message()),
        location(text, e.span())
    )
}

fn one_line(message: &str) -> String {
    message.trim().replace('\n', "; ")
}

/// ` (line L, column C)` of a span's start (1-based), or nothing.
fn location(text: &str, span: Option<Range<usize>>) -> String {
    match span {
        Some(s) => {
            let (line, column) = line_col(text, s.start);
            format!(" (line {line}, column {column})")
        }
        None => String::new(),
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Best guess at the dotted key on the line holding `offset` (for syntax errors, which have
/// no keys): the last `[table]` header above it plus the key before `=`.
fn key_at(text: &str, offset: usize) -> Option<String> {
    let before = text.get(..offset.min(text.len()))?;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = text.get(line_start..)?.lines().next().unwrap_or("");
    let header = |l: &str| {
        let l = l.trim();
        l.starts_with('[')
            .then(|| l.trim_matches(['[', ']']).trim().to_owned())
    };
    if let Some(h) = header(line) {
        return Some(h);
    }
    let key = line.split_once('=')?.0.trim();
    if key.is_empty() || key.starts_with('#') {
        return None;
    }
    let table = text.get(..line_start)?.lines().rev().find_map(header);
    Some(match table {
        Some(t) => format!("{t}.{key}"),
        None => key.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<String> {
        let read = read(text);
        assert!(!read.errors.is_empty(), "should fail");
        read.errors
    }

    #[test]
    fn a_wrong_type_names_the_field_and_line() {
        let errs = errors("[gateway]\nmax_in_flight = \"many\"\n");
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(errs[0].starts_with("gateway.max_in_flight: "), "{errs:?}");
        assert!(errs[0].contains("(line 2, column 17)"), "{errs:?}");
    }

    #[test]
    fn an_unknown_key_is_named_with_its_section() {
        let errs = errors("[strategy.forecast]\nbase_ulr = \"x\"\n");
        assert!(
            errs[0].starts_with("strategy.forecast.base_ulr: unknown field"),
            "{errs:?}"
        );
        let errs = errors("[gatway]\nmax_in_flight = 1\n");
        assert!(errs[0].starts_with("gatway: unknown section"), "{errs:?}");
    }

    #[test]
    fn one_bad_section_does_not_hide_another() {
        let read = read("[feed]\nidle_timeout_ms = -1\n[orders]\nmax_open_orders = \"x\"\n");
        let errs = read.errors;
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert_eq!(read.failed, ["feed", "orders"]);
        assert!(errs[0].starts_with("feed.idle_timeout_ms:"), "{errs:?}");
        assert!(errs[1].starts_with("orders.max_open_orders:"), "{errs:?}");
    }

    #[test]
    fn syntax_errors_are_located() {
        let errs = errors("[feed]\nidle_timeout_ms = = 3\n");
        assert!(
            errs[0].starts_with("feed.idle_timeout_ms: TOML syntax error"),
            "{errs:?}"
        );
        assert!(errs[0].contains("line 2"), "{errs:?}");
    }

    #[test]
    fn line_and_column_are_one_based() {
        assert_eq!(line_col("ab\ncd", 0), (1, 1));
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
    }
}
