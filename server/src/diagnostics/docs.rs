//! The texts `nianbao explain CODE` prints, one entry per code, in Chinese.
//!
//! Rule ids (T3-BAL, T3-RES, T3-COL, T4-SUM) and section numbers refer to `rules.md` and
//! `templates.md` of the project specification; which codes have an automatic fix follows
//! `interface.md` (sum-mismatch, balance-mismatch, section-missing, number-format) plus the deletion of
//! an unused suppression comment.

use super::{Code, CodeDoc};

pub(super) fn doc(code: Code) -> CodeDoc {
    match code {
        Code::SectionMissing => CodeDoc {
            summary: "缺少六个一级部分之一（一、总体情况 … 六、其他需要报告的事项）。",
            why: "《条例》第五十条规定了年度报告必须包括的内容，国办公开办函〔2019〕60号、〔2021〕30号印发的年度报告格式据此固定为六个部分，顺序一→六（templates.md §1），2021 年格式要求“不能遗漏”。缺少第二、三、四部分时，相应的表格也无从检查。诊断位置指向该部分应在之处：下一部分标题的开头，或文末。",
            example: "三、收到和处理政府信息公开申请情况\n（表三）\n五、存在的主要问题及改进情况\n（缺少“四、政府信息公开行政复议、行政诉讼情况”）",
            fix: "补上该部分。有自动修复：在应在之处插入标题；缺的是第二、三、四部分时，一并插入按所判定格式（2019 或 2021）的空表骨架，数值留待填写。",
        },
        Code::SectionOrder => CodeDoc {
            summary: "一级部分的顺序与官方格式不符。",
            why: "官方格式规定六个部分按一→六排列（templates.md §1）。顺序错乱通常意味着复制粘贴时段落错位，读者和上级主管部门也难以按格式核对。诊断位置指向位置不对的标题。",
            example: "一、总体情况\n三、收到和处理政府信息公开申请情况\n二、主动公开政府信息情况",
            fix: "把该部分（标题连同正文、表格）移到正确位置。nianbao 不提供自动修复。",
        },
        Code::SectionDuplicate => CodeDoc {
            summary: "同一个一级部分编号出现了两次。",
            why: "官方格式中每个部分只出现一次（templates.md §1）。重复的编号多来自编号笔误，或把“（一）主要问题 /（二）改进情况”之类的小节写成了一级标题。部分地方的部门报告在表格前重新从“一、”编号（如上海市科委 2024 年报），也会触发本诊断。诊断位置指向第二个标题。",
            example: "五、存在的主要问题及改进情况\n……\n五、其他需要报告的事项",
            fix: "改正编号，或把两处内容合并到同一部分下。nianbao 不提供自动修复。",
        },
        Code::SectionEmpty => CodeDoc {
            summary: "某一部分只有标题，下面没有正文或表格。",
            why: "《条例》第五十条列出的每项内容都应当报告；2021 年格式要求报告内容“不能遗漏，也不宜泛化”（templates.md §5）。只有标题的部分多半是漏贴了内容。",
            example: "四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况",
            fix: "补写该部分的内容；确实没有需要报告的事项时，写明“无”。nianbao 不提供自动修复。",
        },
        Code::TableMissing => CodeDoc {
            summary: "第二、三或四部分里没有可识别的表格。",
            why: "第二、三、四部分各有一张固定的表（表二 主动公开、表三 收到和处理申请、表四 行政复议和行政诉讼；templates.md §2–§4）。读不出来的表不能当作全是 0：nianbao 不会对它做任何算术检查，所以必须明确指出。诊断位置指向该部分的标题。",
            example: "三、收到和处理政府信息公开申请情况\n本年度共收到政府信息公开申请 12 件，均已按时办结。\n四、政府信息公开行政复议、行政诉讼情况",
            fix: "按官方格式补上表格（表头和全部行），数值照实填写，没有的填 0。nianbao 不提供自动修复。",
        },
        Code::RowMissing => CodeDoc {
            summary: "表格缺少官方格式中的某一行。",
            why: "表格的行由官方格式规定，按顺序逐行对应（templates.md §2、§3b：表三在 2019 年格式中有 23 个数据行，2021 年格式中有 25 个）。缺行时，依赖该行的勾稽关系（T3-BAL、T3-RES）无法核对。诊断位置指向该行应在之处。",
            example: "\t（四）无法提供\t1.本机关不掌握相关政府信息\t3\t0\t0\t0\t0\t0\t3\n\t\t2.没有现成信息需要另行制作\t0\t0\t0\t0\t0\t0\t0\n\t（五）不予处理\t1.信访举报投诉类申请\t1\t0\t0\t0\t0\t0\t1\n（缺少“3.补正后申请内容仍不明确”）",
            fix: "补上该行，数值照实填写，没有的填 0。nianbao 不提供自动修复。",
        },
        Code::RowUnknown => CodeDoc {
            summary: "表格中的一行对不上官方格式的任何一行。",
            why: "表格的行应当与官方格式逐一对应（templates.md §2–§4）。多出来的行可能是自行添加的统计项，也可能是标签错得认不出来；这一行的数值不计入任何合计。部分地方格式的扩展行（如表二“其他对外管理服务事项”下的“行政检查”“行政确认”）会被容忍。诊断位置指向该行的标签。",
            example: "\t（六）其他处理\t\t0\t0\t0\t0\t0\t0\t0\n\t（八）转办\t\t2\t0\t0\t0\t0\t0\t2",
            fix: "删去该行，或把它的数值并入官方格式中对应的行。nianbao 不提供自动修复。",
        },
        Code::LabelMismatch => CodeDoc {
            summary: "表格行已按位置和关键词认出，但标签文字与官方格式不一致（错字、漏字）。",
            why: "标签应当与官方格式一致（templates.md §3b）。已发布的年报中确有错字，例如淮安市洪泽区 2023 年报把“2.其他法律行政法规禁止公开”写成“2.其他法律行政止公开”。nianbao 按位置和关键词仍把这一行算进合计，但提醒改正。空格、全角半角括号的差异不算不一致。",
            example: "\t\t2.其他法律行政止公开\t0\t0\t0\t0\t0\t0\t0",
            fix: "把标签改成官方写法（诊断消息中给出）。nianbao 不提供自动修复。",
        },
        Code::ColumnMissing => CodeDoc {
            summary: "表格缺少官方格式中的某一列（例如表三没有“总计”列）；每张表只报一次。",
            why: "表三有 7 个数值列（自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他、总计），表四有 15 列（templates.md §3a、§4）。导出时丢列很常见：北京市密云区卫健委 2020 年报的表三没有“总计”列，各小项行只剩 5 个数值。缺列时按表头对齐各值；对不齐的关系（如 T3-COL）跳过，其余仍照常检查（rules.md §4）。诊断位置指向表头或首行。",
            example: "\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\n一、本年新收政府信息公开申请数量\t\t0\t0\t0\t0\t0\t0",
            fix: "补上缺少的列并填写数值。nianbao 不提供自动修复。",
        },
        Code::HeaderUnreadable => CodeDoc {
            summary: "认出了表格，但读不懂它的表头，只能按数值个数对齐各列。",
            why: "从 PDF 提取的文字常把窄表头竖排成一字一行，几列的字交错在一起（layouts.md §1d），无法可靠还原。nianbao 这时按表格所在的部分和数值个数认表，而不是报“缺列”；按个数对齐是推断，请核对。",
            example: "结 结 其 尚\n果 果 他 未\n维 纠 结 审\n持 正 果 结\n0 0 0 0 0 0 0 0 0 0 0 0 0 0 0",
            fix: "把表头改成一行一个单元格的正常写法（如“结果维持\t结果纠正\t其他结果\t尚未审结\t总计”）。nianbao 不提供自动修复。",
        },
        Code::CellInvalid => CodeDoc {
            summary: "数值单元格里写的不是数字。",
            why: "表三、表四的每个值都是件数，只能是非负整数（rules.md §1“Consequences and domain constraints”、§3）；表二中只有“本年增/减”可以带符号，金额可以有小数（rules.md §2）。既不是数字也不是占位符（/、-、—、无、不适用）的文字无法计算，依赖它的勾稽关系不做判断。诊断位置指向该单元格。",
            example: "\t（一）予以公开\t\t12件\t0\t0\t0\t0\t0\t12",
            fix: "改成数字（去掉“件”等单位和说明文字，说明可写在表后）。nianbao 不提供自动修复。",
        },
        Code::CellEmpty => CodeDoc {
            summary: "官方格式要求填数字的单元格是空的。",
            why: "有的报告把 0 留空（如上海市人民政府办公厅 2019 年报表三大量留空）。核对时空的“分项”按 0 计，空的“合计”不能按 0 计：分项不全为 0 而合计为空时，报 sum-mismatch（“总计应为 272（各项之和），实为空”），只有分项也全为 0 或空时才只报本诊断（rules.md §4）。为免空白单元格淹没真正的错误，每张表只报一条本诊断，指向第一个空白单元格，其余空白单元格列在相关位置中（共几处写在消息里）。",
            example: "\t（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t\t3\t\t\t\t\t",
            fix: "填上数字，没有的填 0。nianbao 不提供自动修复。它不会替你把空格当作 0 填上。",
        },
        Code::SumMismatch => CodeDoc {
            summary: "合计与各分项之和不符。",
            why: "官方格式隐含的算术关系（rules.md）：T3-RES 表三（七）总计 = （一）到（六）全部结果行之和（2019 年格式 19 项，2021 年格式 21 项）；T3-COL 表三每一行的“总计”列 = 六个申请人列之和；T4-SUM 表四行政复议、未经复议直接起诉、复议后起诉三组，每组总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结。容差为 0。合计为空而分项不全为 0 时也报本诊断。诊断位置指向合计单元格，相关位置列出各分项。",
            example: "表四（淮安市洪泽区 2023 年报，已发布的真实错误）：\n10\t1\t0\t0\t0\t0\t0\t0\t0\t0\t5\t0\t0\t0\t0\n行政复议：10 + 1 + 0 + 0 = 11，总计却为 0；复议后起诉：5 + 0 + 0 + 0 = 5，总计却为 0。",
            fix: "核对原始台账：若分项正确，把合计改为各项之和；若合计正确，找出写错的分项。有自动修复：把合计改为各项之和（只在确认分项无误时使用）。",
        },
        Code::BalanceMismatch => CodeDoc {
            summary: "表三某一列的勾稽关系不成立：一 + 二 ≠ 三（七）总计 + 四。",
            why: "T3-BAL（rules.md §1）：表三左上角印有“本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和”，即本年新收 + 上年结转 = 本年办理结果总计 + 结转下年度继续办理，7 列（含总计列）逐列成立。诊断位置指向该列“四、结转下年度继续办理”的单元格。",
            example: "一、本年新收政府信息公开申请数量\t\t\t21\t0\t0\t0\t0\t0\t21\n二、上年结转政府信息公开申请数量\t\t\t2\t0\t0\t0\t0\t0\t2\n\t（七）总计\t\t20\t0\t0\t0\t0\t0\t20\n四、结转下年度继续办理\t\t\t1\t0\t0\t0\t0\t0\t1\n（自然人列：21 + 2 = 23，20 + 1 = 21）",
            fix: "核对本年新收、上年结转、办理结果和结转数。有自动修复：把“四”改为 一 + 二 − （七）总计（结果为负时不提供）。",
        },
        Code::TextTableMismatch => CodeDoc {
            summary: "正文中的数字与表格不一致。",
            why: "第一部分“总体情况”（有时第三、四部分）常复述表格数字，两处不一致时至少有一处是错的（rules.md §5）。只在句子与表格中的某个数值一一对应、没有歧义时才报：例如“收到申请 N 件”对表三第一项总计，“行政复议 N 件”对表四行政复议总计；汇总多项的说法（如“予以公开及部分公开 258 件”）不比对。",
            example: "本年度共收到政府信息公开申请 5 件……\n一、本年新收政府信息公开申请数量\t\t\t7\t0\t0\t0\t0\t0\t7",
            fix: "核对后改正正文或表格中错误的一处。nianbao 不提供自动修复。",
        },
        Code::TemplateMismatch => CodeDoc {
            summary: "表格用的格式与报告年度不符（或混用了 2019、2021 两版格式）。",
            why: "报告年度决定格式（templates.md 开头、§2c、§3c）：2019、2020 年度用 2019 年格式（国办公开办函〔2019〕60号），2021 年度起用 2021 年格式（国办公开办函〔2021〕30号）。2021 年格式的表二第（一）项改为“本年制发件数 / 本年废止件数 / 现行有效件数”，删去第（九）项政府集中采购；表三“（六）其他处理”分为 3 个小项。诊断位置指向第一个不符的表头或行。",
            example: "洪泽区人民政府 2023 年政府信息公开工作年度报告\n……\n\t（六）其他处理\t\t0\t0\t0\t0\t0\t0\t0\n（2023 年度应分为“1.申请人无正当理由逾期不补正……”等 3 项）",
            fix: "按报告年度对应的官方格式重排表格；若是年度写错，改正年度。用 --template 2019|2021 可强制按某一版检查。nianbao 不提供自动修复。",
        },
        Code::YearMismatch => CodeDoc {
            summary: "标题中的报告年度与正文所述的统计期限年份不一致。",
            why: "年度报告的数据统计期限是报告年度的 1 月 1 日至 12 月 31 日（templates.md §6），统计期限的年份与标题年份不同是错误；报告年度还决定用哪一版格式（rules.md §5）。",
            example: "2022年政府信息公开工作年度报告\n本报告中所列数据统计期限为2021年1月1日至12月31日。",
            fix: "改正标题年度或统计期限中写错的一处。nianbao 不提供自动修复。",
        },
        Code::FeeNotReported => CodeDoc {
            summary: "2021 年格式的报告在“六、其他需要报告的事项”中没有提到信息处理费。",
            why: "2021 年格式要求第六部分报告依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）收取信息处理费的情况（《条例》第四十二条；templates.md §5）；实践中普遍写明，如“全年收取政府信息公开信息处理费 0 元”。只对 2021 年格式的报告提示。",
            example: "六、其他需要报告的事项\n无。",
            fix: "在第六部分写明信息处理费的收取情况，如“本年度未收取政府信息公开信息处理费。”。nianbao 不提供自动修复。",
        },
        Code::NumberFormat => CodeDoc {
            summary: "数字的写法不规范（如“减47”、全角数字、千分位分隔符、数字中间有空格）。",
            why: "这些写法能读懂（rules.md §4：“减47”读作 −47，“１２”读作 12，“1,234”读作 1234），但不便比对和汇总，也容易被其他工具读错。只是提示，不影响退出码。",
            example: "\t行政处罚\n\t102\n\t减47\n\t55",
            fix: "改成规范写法：阿拉伯半角数字，不加分隔符，负数用“-”（如 -47）。有自动修复：改写为规范形式。",
        },
        Code::SuppressionInvalid => CodeDoc {
            summary: "抑制注释写得不对：没有写理由，或其中的诊断代码不存在；这样的注释不抑制任何诊断。",
            why: "核对过原件的审阅者可以用抑制注释关闭个别诊断（例如已发布的数据原件如此、不能改动），理由留在文中备查：`<!-- nianbao-disable-next-line 代码: 理由 -->` 作用于下一个非空行，`<!-- nianbao-disable 代码, 代码: 理由 -->` 作用于整个文件。没有理由或代码拼错的注释不生效，原本想关闭的诊断照样出现，所以要指出来，而不是默默忽略。",
            example: "<!-- nianbao-disable-next-line sum-mismach: 原件如此 -->\n（代码拼错：应为 sum-mismatch）\n<!-- nianbao-disable cell-empty -->\n（没有写理由）",
            fix: "改正诊断代码（nianbao explain 可列出全部代码），并在冒号后写明理由。nianbao 不提供自动修复。",
        },
        Code::SuppressionUnused => CodeDoc {
            summary: "抑制注释没有抑制任何诊断。",
            why: "注释所针对的问题已经改正、或注释写在了不相干的位置时，它已无用，还可能在今后掩盖真正的新错误。",
            example: "<!-- nianbao-disable-next-line sum-mismatch: 原件如此 -->\n10\t1\t0\t0\t11\t0\t0\t0\t0\t0\t5\t0\t0\t0\t5\n（各组总计都正确，这条注释不起作用）",
            fix: "删除这条注释。有自动修复：删除此抑制注释。",
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Codes without an automatic fix say so in their `fix` text.
    const NO_AUTOFIX: &str = "nianbao 不提供自动修复。";

    #[test]
    fn every_code_has_a_complete_doc() {
        for &code in Code::ALL {
            let doc = code.doc();
            for (part, text) in [
                ("summary", doc.summary),
                ("why", doc.why),
                ("example", doc.example),
                ("fix", doc.fix),
            ] {
                assert!(!text.trim().is_empty(), "{code}: empty {part}");
            }
        }
    }

    #[test]
    fn fix_texts_agree_with_the_interface_on_automatic_fixes() {
        let autofix = [
            Code::SumMismatch,
            Code::BalanceMismatch,
            Code::SectionMissing,
            Code::NumberFormat,
            Code::SuppressionUnused,
        ];
        for &code in Code::ALL {
            let fix = code.doc().fix;
            if autofix.contains(&code) {
                assert!(fix.contains("有自动修复"), "{code}: {fix}");
            } else {
                assert!(fix.contains(NO_AUTOFIX), "{code}: {fix}");
            }
        }
    }
}
