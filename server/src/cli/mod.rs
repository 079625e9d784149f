//! The command line: argument parsing and the subcommands. An edge, like the language server:
//! it reads files, calls [`nianbao::analysis::analyze`], converts byte ranges to positions and
//! prints. It never computes a rule.

pub mod alloc;
mod atomic;
mod batch;
mod check;
mod config;
mod csv;
mod diff;
mod explain;
mod fetch;
mod files;
mod fmt;
mod human;
mod ordered;
mod spill;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Exit status: no error-severity diagnostic.
pub const EXIT_OK: u8 = 0;
/// Exit status: at least one diagnostic of severity error.
pub const EXIT_ERRORS: u8 = 1;
/// Exit status: usage error, or a file that could not be read / is not UTF-8.
pub const EXIT_USAGE: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "nianbao",
    version,
    about = "政府信息公开工作年度报告的检查工具（nianbao: linter for Chinese government information-disclosure annual reports）",
    arg_required_else_help = true
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// 检查年报并输出诊断（退出码：0 无错误，1 有错误，2 用法错误或文件无法读取）
    Check(CheckArgs),
    /// 把年报整理为统一版式（只改空白；退出码：0 完成/无需改动，1 --check 发现需要格式化的文件，2 用法错误或文件无法读取）
    Fmt(FmtArgs),
    /// 打印对某个文件或目录生效的配置（nianbao.toml）及每一项的来源（退出码：0，配置文件有误为 2）
    Config {
        /// 文件或目录（默认当前目录）
        path: Option<PathBuf>,
        /// 指定配置文件，不再向上查找 nianbao.toml
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// 说明一个诊断代码（如 sum-mismatch）或条例条款（如 第二十条第（五）项）
    Explain {
        /// 诊断代码或条例条款
        topic: String,
    },
    /// 打印 nianbao 从文件中读出的文本（Word 文档、网页、文本文件）：诊断的行号、列号指的就是这段文本（退出码：0，文件无法读取为 2）
    Convert {
        /// 文件（Word .docx、网页或文本）或网址；`-` 读标准输入
        file: PathBuf,
    },
    /// 打印语法树（调试用）
    Parse {
        /// 年报文件（UTF-8）
        file: PathBuf,
    },
    /// 启动语言服务器（在标准输入输出上通信；退出码：shutdown 后 exit 为 0）
    Lsp {
        /// 在标准输入输出上通信（默认即如此；编辑器会传入此参数）
        #[arg(long)]
        stdio: bool,
    },
}

#[derive(Debug, Args)]
struct CheckArgs {
    /// 输出格式（默认 human，即使输出不是终端）
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// 按哪一版官方格式检查（auto、2019、2021）：auto 按报告年度与表格自动判断；不给则按
    /// nianbao.toml，再不然 auto
    #[arg(long, value_parser = template_choice)]
    template: Option<nianbao::analysis::TemplateChoice>,
    /// 指定配置文件，不再从各文件所在目录向上查找 nianbao.toml
    #[arg(long)]
    config: Option<PathBuf>,
    /// 彩色输出（human 格式）：auto 仅在终端且未设置 NO_COLOR 时着色
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    color: ColorArg,
    /// 应用所有安全的自动改正并写回文件（原子替换；Word 文档只改动相关单元格的文字），再报告余下的问题
    #[arg(long)]
    fix: bool,
    /// 只显示 --fix 会做的改动（统一差异格式），不写文件（退出码：0 无改动，1 有改动）
    #[arg(long)]
    diff: bool,
    /// 从文件中读取要检查的路径和网址，每行一个（`-` 为标准输入；空行和 # 开头的行忽略）
    #[arg(long, value_name = "FILE")]
    from: Option<PathBuf>,
    /// 获取一个网页最多等待的秒数
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    timeout: u64,
    /// 文件、目录或网址（目录递归查找 *.txt、*.md、*.nianbao、*.docx、*.doc、*.wps、*.html、*.htm、*.shtml）；`-` 或不给则读标准输入
    paths: Vec<PathBuf>,
}

#[derive(Debug, Args)]
struct FmtArgs {
    /// 不改动文件，只列出需要格式化的文件（有则退出码为 1）
    #[arg(long)]
    check: bool,
    /// 读表格时按哪一版官方格式（用于核对格式化前后诊断一致）：auto 自动判断；不给则按
    /// nianbao.toml，再不然 auto
    #[arg(long, value_parser = template_choice)]
    template: Option<nianbao::analysis::TemplateChoice>,
    /// 指定配置文件，不再从各文件所在目录向上查找 nianbao.toml
    #[arg(long)]
    config: Option<PathBuf>,
    /// 文件或目录（目录递归查找 *.txt、*.md、*.nianbao）；`-` 或不给则从标准输入读、向标准输出写
    paths: Vec<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    /// rustc/ruff 风格：位置、严重程度、代码、消息、标出问题的原文
    Human,
    /// 一个 JSON 文档（见 interface.md）
    Json,
    /// 每个报告一行的 CSV（带 BOM 的 UTF-8）：path,body,year,template,errors,warnings,first_error
    Csv,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

/// `--template`: `auto` or the id of a format the data holds (`2019`, `2021`).
fn template_choice(s: &str) -> Result<nianbao::analysis::TemplateChoice, String> {
    nianbao::analysis::TemplateChoice::parse(s).ok_or_else(|| {
        let ids: Vec<&str> = nianbao::template::TemplateId::all()
            .map(|t| t.as_str())
            .collect();
        format!("应为 auto 或 {}", ids.join("、"))
    })
}

/// Parses the process arguments and runs the subcommand.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Check(args) => {
            alloc::for_batch();
            check::run(&args)
        }
        Command::Fmt(args) => fmt::run(&args),
        Command::Config { path, config } => config::run(path.as_deref(), config.as_deref()),
        Command::Explain { topic } => explain::run(&topic),
        Command::Convert { file } => convert(&file),
        Command::Parse { file } => parse(&file),
        Command::Lsp { stdio: _ } => return nianbao::lsp::run_stdio(),
    };
    ExitCode::from(code)
}

/// `nianbao convert FILE`: the text the checks read.
fn convert(path: &std::path::Path) -> u8 {
    let address = path.to_str().filter(|p| fetch::is_address(p));
    let loaded = if path.as_os_str() == "-" {
        files::load_stdin()
    } else if let Some(url) = address {
        fetch::Fetcher::new(std::time::Duration::from_secs(30))
            .get(url)
            .and_then(|page| files::load_with_charset(page.bytes, url, page.charset.as_deref()))
    } else {
        files::load_file(path)
    };
    let shown = if path.as_os_str() == "-" {
        files::STDIN_NAME.to_owned()
    } else {
        path.display().to_string()
    };
    match loaded {
        Ok(loaded) => {
            for note in loaded.notes() {
                eprintln!("nianbao: {shown}: {note}");
            }
            files::print_stdout(loaded.text());
            EXIT_OK
        }
        Err(reason) => {
            eprintln!("nianbao: {shown}: {reason}");
            EXIT_USAGE
        }
    }
}

fn parse(path: &std::path::Path) -> u8 {
    let shown = path.display().to_string();
    match files::read_text_only(path) {
        Ok(text) => {
            let tree = nianbao::syntax::parse(&text);
            files::print_stdout(&format!("{}\n", nianbao::syntax::to_sexp(&tree)));
            EXIT_OK
        }
        Err(reason) => {
            eprintln!("nianbao: {shown}: {reason}");
            EXIT_USAGE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
