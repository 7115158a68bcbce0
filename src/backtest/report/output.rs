//! The report as files: [`Report::to_json`] and [`Report::write`] (`report.json` and
//! `report.html` in one directory).

use std::{fs, io, path::Path};

use super::model::Report;

impl Report {
    /// The report as pretty-printed JSON with a final newline. Field order is fixed and every
    /// list is sorted, so the same report always prints the same bytes.
    pub fn to_json(&self) -> String {
        // unwrap: every field is a string, integer, list or struct with string keys — nothing
        // serde_json can refuse.
        let mut json = serde_json::to_string_pretty(self).unwrap();
        json.push('\n');
        json
    }

    /// Writes `report.json` and `report.html` into `dir`, creating it if needed.
    pub fn write(&self, dir: &Path) -> io::Result<()> {
        fs::create_dir_all(dir)?;
        fs::write(dir.join("report.json"), self.to_json())?;
        fs::write(dir.join("report.html"), self.to_html())
    }
}
