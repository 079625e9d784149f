//! The `nianbao` command line (see `cli`).

mod cli;

#[global_allocator]
static ALLOCATOR: cli::alloc::Allocator = cli::alloc::Allocator;

fn main() -> std::process::ExitCode {
    cli::run()
}
