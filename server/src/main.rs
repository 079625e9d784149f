//! The `nianbao` command line.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [cmd, path] if cmd == "parse" => match std::fs::read_to_string(path) {
            Ok(text) => {
                let tree = nianbao::syntax::parse(&text);
                println!("{}", nianbao::syntax::to_sexp(&tree));
                ExitCode::SUCCESS
            }
            Err(err) => {
                eprintln!("nianbao: {path}: {err}");
                ExitCode::from(2)
            }
        },
        _ => {
            eprintln!("usage: nianbao parse FILE");
            ExitCode::from(2)
        }
    }
}
