//! The share / embed dialog's text: a link that opens exactly what the learner sees, and a
//! ready `<iframe>` snippet for a documentation page. Pure string building, tested as tables.

use crate::ui::params::encode;

/// What a link should open.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShareTarget {
    /// A lesson id (`lesson=`).
    pub lesson: Option<String>,
    /// A challenge id (`challenge=`).
    pub challenge: Option<String>,
    /// A random challenge's seed (`seed=`), so a class gets the same one.
    pub seed: Option<u64>,
    /// A lesson whose solution is played (`play=`).
    pub play: Option<String>,
}

impl ShareTarget {
    /// The query string, with `embed=1` when `embed`.
    pub fn query(&self, embed: bool) -> String {
        let mut parts = Vec::new();
        if let Some(seed) = self.seed {
            parts.push(format!("seed={seed}"));
        } else if let Some(c) = &self.challenge {
            parts.push(format!("challenge={}", encode(c)));
        }
        if let Some(l) = &self.lesson {
            parts.push(format!("lesson={}", encode(l)));
        }
        if let Some(p) = &self.play {
            parts.push(format!("play={}", encode(p)));
        }
        if embed {
            parts.push("embed=1".into());
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }

    /// The full link: `page` is the app's address without its query or fragment.
    pub fn link(&self, page: &str, embed: bool) -> String {
        format!("{page}{}", self.query(embed))
    }
}

/// An `<iframe>` for `url`, sized for a terminal with a lesson beside it; `title` is read by
/// screen readers. Attribute values are escaped, so any lesson id is safe to paste.
pub fn iframe_snippet(url: &str, title: &str) -> String {
    format!(
        "<iframe src=\"{}\" title=\"{}\" width=\"900\" height=\"560\" style=\"border:0;max-width:100%\" loading=\"lazy\"></iframe>",
        attr(url),
        attr(title)
    )
}

fn attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn links_name_what_is_open() {
        let lesson = ShareTarget {
            lesson: Some("kb153119-basic".into()),
            ..ShareTarget::default()
        };
        let table: &[(ShareTarget, bool, &str)] = &[
            (ShareTarget::default(), false, "https://x/app/"),
            (ShareTarget::default(), true, "https://x/app/?embed=1"),
            (
                lesson.clone(),
                false,
                "https://x/app/?lesson=kb153119-basic",
            ),
            (
                ShareTarget {
                    play: Some("kb153119-basic".into()),
                    ..lesson.clone()
                },
                true,
                "https://x/app/?lesson=kb153119-basic&play=kb153119-basic&embed=1",
            ),
            (
                ShareTarget {
                    challenge: Some("dns down".into()),
                    ..ShareTarget::default()
                },
                false,
                "https://x/app/?challenge=dns%20down",
            ),
            (
                ShareTarget {
                    challenge: Some("dns-down".into()),
                    seed: Some(4711),
                    ..ShareTarget::default()
                },
                false,
                "https://x/app/?seed=4711",
            ),
        ];
        for (target, embed, want) in table {
            assert_eq!(target.link("https://x/app/", *embed), *want);
        }
    }

    #[wasm_bindgen_test]
    fn the_snippet_escapes_its_attributes() {
        let s = iframe_snippet("https://x/?a=1&b=\"2\"", "A <lesson>");
        assert!(s.starts_with("<iframe src=\"https://x/?a=1&amp;b=&quot;2&quot;\""));
        assert!(s.contains("title=\"A &lt;lesson&gt;\""));
        assert!(s.ends_with("></iframe>"));
    }
}
