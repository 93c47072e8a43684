//! Which world a lesson or challenge runs in: a built-in world (or the file's own `[world]`)
//! plus the few overrides exercises need (Windows version, DNS suffix, persona, Telnet Client,
//! faults).
//!
//! Most exercises differ from the KB articles' default network in one or two lines, so they
//! name only those; a file that needs a different network writes its own `[world]` and points
//! at it with `base = "file"`.

use crate::scenario::{Fault, WindowsVersion, World};
use serde::{Deserialize, Deserializer, Serialize};

/// The names `base` accepts besides `file`.
pub const BUILTIN_WORLDS: [&str; 1] = ["default"];

/// A world described as a base and overrides.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct WorldSpec {
    /// `default` (the network of the KB articles, the default) or `file` (the `[world]` table
    /// of the same file).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
    /// The workstation's Windows version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub os: Option<WindowsVersion>,
    /// The persona of the main mail server (`exchange55`, `iis5`, `iis6`, `exchange2003`,
    /// `exchange2016`, `msmail3`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub persona: Option<String>,
    /// The workstation's primary DNS suffix (`fabrikam.com`), as the world file's
    /// `workstation.domain`: short names such as `mail` resolve under it; `""` for none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// Whether Telnet Client is installed; omitted, it follows the Windows version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub telnet_installed: Option<bool>,
    /// Faults added to the base world's, in the world file's notation: bare names or tables.
    #[serde(
        deserialize_with = "de_faults",
        serialize_with = "crate::scenario::tagged::serialize_vec",
        skip_serializing_if = "Vec::is_empty"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Vec<crate::scenario::file::FaultEntry>")
    )]
    pub faults: Vec<Fault>,
}

/// Reads faults exactly as a world file does (bare names or tables): one notation, one set of
/// error messages.
fn de_faults<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Fault>, D::Error> {
    use serde::de::Error;
    let values = Vec::<serde_json::Value>::deserialize(d)?;
    crate::scenario::faults_from_values(values).map_err(D::Error::custom)
}

impl WorldSpec {
    /// The world this spec describes. `file_world` is the file's own `[world]`, if it has one.
    /// Errors name the field at fault (`base`, `persona`).
    pub fn resolve(&self, file_world: Option<&World>) -> Result<World, (String, String)> {
        let mut world = match self.base.as_deref().map(str::trim) {
            None | Some("default") => World::default(),
            Some("file") => file_world.cloned().ok_or_else(|| {
                (
                    "base".to_string(),
                    "`file` names the file's [world] table and this file has none".to_string(),
                )
            })?,
            Some(other) => {
                return Err((
                    "base".into(),
                    format!(
                        "unknown world `{other}`; expected file or one of {}",
                        BUILTIN_WORLDS.join(", ")
                    ),
                ))
            }
        };
        if let Some(os) = self.os {
            world.workstation.os = os;
        }
        if let Some(t) = self.telnet_installed {
            world.workstation.telnet_installed = Some(t);
        }
        if let Some(d) = &self.domain {
            world.set_domain(d).map_err(|e| ("domain".to_string(), e))?;
        }
        if let Some(p) = &self.persona {
            world
                .set_mail_persona(p)
                .map_err(|e| ("persona".to_string(), e))?;
        }
        world.faults.extend(self.faults.iter().cloned());
        if let Some(why) = world
            .faults
            .iter()
            .find_map(|f| world.fault_without_effect(f))
        {
            return Err(("faults".into(), why));
        }
        Ok(world)
    }

    /// The fault names this spec adds, for challenge options and checks.
    pub fn fault_names(&self) -> Vec<&'static str> {
        self.faults.iter().map(Fault::name).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(text: &str) -> WorldSpec {
        match toml::from_str(text) {
            Ok(s) => s,
            Err(e) => panic!("{text}: {e}"),
        }
    }

    #[test]
    fn overrides_apply_to_the_default_world() {
        let s = spec("os = \"win2000\"\npersona = \"exchange55\"\nfaults = [\"dns-down\", { fault = \"wrong-mask\", mask = \"255.255.0.0\" }]");
        let w = s.resolve(None).expect("resolves");
        assert_eq!(w.workstation.os, WindowsVersion::Win2000);
        assert_eq!(w.hosts[2].persona.as_deref(), Some("exchange55"));
        assert_eq!(s.fault_names(), ["dns-down", "wrong-mask"]);
        assert_eq!(w.effective_mask(), "255.255.0.0");
        let s = spec("domain = \"Fabrikam.com.\"");
        let w = s.resolve(None).expect("resolves");
        assert_eq!(w.dns_suffix().as_deref(), Some("Fabrikam.com"));
        assert_eq!(
            spec("domain = \"\"").resolve(None).map(|w| w.dns_suffix()),
            Ok(None)
        );
    }

    #[test]
    fn bad_specs_name_their_field() {
        let table = [
            ("base = \"moon\"", None, "base"),
            ("base = \"file\"", None, "base"),
            ("persona = \"sendmail\"", None, "persona"),
            (
                "persona = \"iis5\"\nfaults = [\"recipient-unknown\"]",
                None,
                "faults",
            ),
            ("domain = \"contoso com\"", None, "domain"),
            ("domain = \"[10.0.0.1]\"", None, "domain"),
        ];
        for (text, file, field) in table {
            let err = spec(text).resolve(file).expect_err(text);
            assert_eq!(err.0, field, "{text}: {}", err.1);
        }
        let file = World::default();
        assert!(spec("base = \"file\"").resolve(Some(&file)).is_ok());
        assert!(toml::from_str::<WorldSpec>("faults = [\"cable-cut\"]").is_err());
        // A version with mailboxes makes the fault real.
        let spec_ok = spec("persona = \"exchange2016\"\nfaults = [\"recipient-unknown\"]");
        assert!(spec_ok.resolve(None).is_ok());
    }
}
