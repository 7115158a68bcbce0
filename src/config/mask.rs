//! Showing a config without its secrets: [`render_masked`] prints the effective config as
//! TOML with the API key id cut to its first characters. Key material is never in the config
//! (only the key file's path), so nothing else needs hiding.

use super::EngineFile;

/// The effective config as TOML, `exchange.api_key_id` masked.
pub fn render_masked(cfg: &EngineFile) -> String {
    let mut shown = cfg.clone();
    shown.exchange.api_key_id = mask_key_id(&cfg.exchange.api_key_id);
    toml::to_string_pretty(&shown).unwrap_or_else(|e| format!("# cannot render the config: {e}\n"))
}

/// A key id reduced to its first four characters and `…`; short ids are hidden entirely, an
/// unexpanded `${VAR}` reference is shown as written.
pub fn mask_key_id(id: &str) -> String {
    if id.is_empty() || (id.starts_with("${") && id.ends_with('}')) {
        id.to_owned()
    } else if id.chars().count() > 8 {
        let head: String = id.chars().take(4).collect();
        format!("{head}…")
    } else {
        "…".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ids_are_masked() {
        assert_eq!(mask_key_id("a952bcbe-ec3b-4b5b-b8f9-11dae589608c"), "a952…");
        assert_eq!(mask_key_id("short"), "…");
        assert_eq!(mask_key_id(""), "");
        assert_eq!(mask_key_id("${KALSHI_API_KEY_ID}"), "${KALSHI_API_KEY_ID}");
        assert_eq!(mask_key_id("ééééééééé"), "éééé…");
    }

    #[test]
    fn the_rendered_config_hides_the_key_id_and_reads_back() {
        let mut cfg = EngineFile::default();
        cfg.exchange.api_key_id = "a952bcbe-ec3b-4b5b-b8f9-11dae589608c".into();
        let text = render_masked(&cfg);
        assert!(!text.contains("a952bcbe-ec3b"), "{text}");
        assert!(text.contains("api_key_id = \"a952…\""), "{text}");
        let back = crate::config::parse_unvalidated(&text, "rendered").unwrap();
        assert_eq!(back.gateway, cfg.gateway);
        assert_eq!(back.strategy, cfg.strategy);
        assert_eq!(back.orders, cfg.orders);
    }
}
