//! The API key id as shown: [`mask_key_id`] cuts it to its first characters wherever the config
//! is shown (`ExchangeConfig`'s `Debug`, `check-config`'s rendering). Key material is never in
//! the config (only the key file's path), so nothing else needs hiding.

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
}
