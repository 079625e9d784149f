//! Settings of the `nianbao` section (interface.md): `template` (`auto` / `2019` / `2021`) and
//! per-code `severity` overrides (`"number-format": "off"`), from `initializationOptions` or
//! `workspace/didChangeConfiguration` (either the section itself or an object holding it under
//! `nianbao`).

use serde_json::Value;

use crate::analysis::TemplateChoice;
use crate::config::Overrides;
use crate::diagnostics::{Code, Severity};

/// What the settings set over each document's `nianbao.toml`, and what in them was not
/// understood (Chinese notes for the log; the rest of the settings still apply).
pub fn parse(value: &Value) -> (Overrides, Vec<String>) {
    let mut config = Overrides::default();
    let mut notes = Vec::new();
    let section = match value.get("nianbao") {
        Some(inner) => inner,
        None => value,
    };
    let Some(section) = section.as_object() else {
        if !section.is_null() {
            notes.push(format!("设置应为对象，收到 {section}，使用默认设置"));
        }
        return (config, notes);
    };
    match section.get("template") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) => match TemplateChoice::parse(s) {
            Some(choice) => config.template = Some(choice),
            None => notes.push(format!(
                "template 应为 auto、2019 或 2021，收到“{s}”，按 auto 处理"
            )),
        },
        Some(other) => notes.push(format!("template 应为字符串，收到 {other}")),
    }
    match section.get("severity") {
        None | Some(Value::Null) => {}
        Some(Value::Object(map)) => {
            for (name, level) in map {
                let Some(code) = Code::parse(name) else {
                    notes.push(format!("severity 中的“{name}”不是诊断代码，忽略"));
                    continue;
                };
                let level = match level.as_str() {
                    Some("off" | "none" | "ignore") => None,
                    Some(s) => match Severity::parse(s) {
                        Some(sev) => Some(sev),
                        None => {
                            notes.push(format!(
                                "severity.{name} 应为 error、warning、information、hint 或 off，收到“{s}”，忽略"
                            ));
                            continue;
                        }
                    },
                    None => {
                        notes.push(format!("severity.{name} 应为字符串，忽略"));
                        continue;
                    }
                };
                config.severity.insert(code, level);
            }
        }
        Some(other) => notes.push(format!("severity 应为对象，收到 {other}")),
    }
    (config, notes)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn reads_the_section_directly_or_nested() {
        for value in [
            json!({"template": "2019", "severity": {"number-format": "off", "cell-empty": "hint"}}),
            json!({"nianbao": {"template": "2019", "severity": {"number-format": "off", "cell-empty": "hint"}}}),
        ] {
            let (config, notes) = parse(&value);
            assert!(notes.is_empty(), "{notes:?}");
            assert_eq!(
                config.template,
                Some(TemplateChoice::Forced(crate::template::TemplateId::F2019))
            );
            assert_eq!(config.severity.get(&Code::NumberFormat), Some(&None));
            assert_eq!(
                config.severity.get(&Code::CellEmpty),
                Some(&Some(Severity::Hint))
            );
        }
    }

    #[test]
    fn notes_what_it_does_not_understand() {
        let (config, notes) = parse(
            &json!({"template": "2020", "severity": {"nope": "off", "sum-mismatch": "loud"}}),
        );
        assert_eq!(config.template, None, "unset: the file or auto decides");
        assert!(config.severity.is_empty());
        assert_eq!(notes.len(), 3, "{notes:?}");
        assert!(parse(&Value::Null).1.is_empty());
    }
}
