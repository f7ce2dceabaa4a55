//! One SARIF result, written straight from its finding: keys in sorted order
//! at every level (as `serde_json::Map` writes them), optional keys left out
//! as the log always has, no `serde_json::Value` built.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::{fingerprint, level, uri, SarifLog, SARIF_FINGERPRINT_KEY};
use crate::policy::Finding;

/// A finding as a SARIF result of `log`.
pub(super) struct ResultJson<'a, 'b> {
    pub(super) log: &'a SarifLog<'b>,
    pub(super) finding: &'a Finding,
}

impl Serialize for ResultJson<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let f = self.finding;
        let l = &f.location;
        let artifact = uri::artifact(&l.file, self.log.working_folder);
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("level", level(f.severity))?;
        if !l.file.as_os_str().is_empty() {
            let line = l.line.filter(|n| *n >= 1);
            let location = LocationJson {
                logical_locations: l.entry.as_deref().map(|name| {
                    [LogicalJson {
                        fully_qualified_name: name,
                    }]
                }),
                physical_location: PhysicalJson {
                    artifact_location: ArtifactJson {
                        uri: &artifact.uri,
                        uri_base_id: artifact.relative.then_some(uri::SRCROOT),
                    },
                    // The field's key, when the location knows where it is written.
                    region: line.map(|start_line| RegionJson {
                        start_column: l.column.filter(|c| *c >= 1),
                        start_line,
                    }),
                },
            };
            map.serialize_entry("locations", &[location])?;
        }
        let message = format!("{} Fix: {}", f.message, f.remediation);
        map.serialize_entry("message", &TextJson { text: &message })?;
        let fingerprints = Fingerprints(fingerprint(f, &artifact.uri));
        map.serialize_entry("partialFingerprints", &fingerprints)?;
        let properties = PropertiesJson {
            cluster: l.cluster.as_deref(),
            context: l.context.as_deref(),
            field: l.field.as_deref(),
            kind: f.kind.map(|k| k.name()),
            name: f.name(),
            platform: f.platform.name(),
            remediation: &f.remediation,
            user: l.user.as_deref(),
        };
        map.serialize_entry("properties", &properties)?;
        map.serialize_entry("ruleId", &f.code)?;
        let index = self.log.codes.binary_search_by(|c| c.0.cmp(&f.code));
        map.serialize_entry("ruleIndex", &index.unwrap_or(0))?;
        if let Some(s) = &f.suppressed {
            let suppression = SuppressionJson {
                justification: &s.reason,
                kind: "external",
            };
            map.serialize_entry("suppressions", &[suppression])?;
        }
        map.end()
    }
}

/// `{"text": …}`.
#[derive(Serialize)]
struct TextJson<'a> {
    text: &'a str,
}

/// `{"kcredFinding/v1": …}`.
struct Fingerprints(String);

impl Serialize for Fingerprints {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(SARIF_FINGERPRINT_KEY, &self.0)?;
        map.end()
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LocationJson<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    logical_locations: Option<[LogicalJson<'a>; 1]>,
    physical_location: PhysicalJson<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalJson<'a> {
    fully_qualified_name: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalJson<'a> {
    artifact_location: ArtifactJson<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<RegionJson>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactJson<'a> {
    uri: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RegionJson {
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<u32>,
    start_line: u32,
}

#[derive(Serialize)]
struct PropertiesJson<'a> {
    cluster: Option<&'a str>,
    context: Option<&'a str>,
    field: Option<&'a str>,
    kind: Option<&'static str>,
    name: &'static str,
    platform: &'static str,
    remediation: &'a str,
    user: Option<&'a str>,
}

#[derive(Serialize)]
struct SuppressionJson<'a> {
    justification: &'a str,
    kind: &'static str,
}
