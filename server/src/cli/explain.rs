//! `nianbao explain TOPIC`: the documentation of a diagnostic code, or of a statute article / item.

use nianbao::diagnostics::{Code, Severity};

use super::files::print_stdout;
use super::{EXIT_OK, EXIT_USAGE};

pub fn run(topic: &str) -> u8 {
    let topic = topic.trim();
    if let Some(code) = Code::parse(topic) {
        print_stdout(&code_doc(code));
        return EXIT_OK;
    }
    if let Some(reference) = nianbao::statute::parse_reference(topic) {
        return match nianbao::statute::explain_markdown(&reference) {
            Some(markdown) => {
                print_stdout(&format!("{markdown}\n"));
                EXIT_OK
            }
            None => {
                eprintln!(
                    "nianbao: 《中华人民共和国政府信息公开条例》中没有「{topic}」，或它不在年度报告引用的条款之内"
                );
                EXIT_USAGE
            }
        };
    }
    eprintln!("nianbao: 未知主题「{topic}」。可说明的诊断代码：");
    for code in Code::ALL {
        eprintln!("  {:<20} {}", code.as_str(), code.doc().summary);
    }
    eprintln!("或条例条款，如「第二十条」「第二十条第（五）项」。");
    EXIT_USAGE
}

fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "错误",
        Severity::Warning => "警告",
        Severity::Information => "信息",
        Severity::Hint => "提示",
    }
}

/// The text printed for a code (Markdown).
pub fn code_doc(code: Code) -> String {
    let doc = code.doc();
    let severity = code.default_severity();
    let example: String = doc
        .example
        .lines()
        .map(|line| format!("    {line}\n"))
        .collect();
    format!(
        "# {code}（默认级别：{}，{}）\n\n{}\n\n## 为什么\n\n{}\n\n## 示例\n\n{example}\n## 修复\n\n{}\n",
        severity_name(severity),
        severity.as_str(),
        doc.summary,
        doc.why,
        doc.fix,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_doc_has_every_part() {
        for &code in Code::ALL {
            let text = code_doc(code);
            for part in ["## 为什么", "## 示例", "## 修复"] {
                assert!(text.contains(part), "{code}: {part}");
            }
        }
    }
}
