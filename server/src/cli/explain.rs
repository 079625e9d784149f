//! `nianbao explain TOPIC`: the documentation of a diagnostic code, or of a statute article / item
//! (the text is [`nianbao::explain::topic`]'s, shared with the web page).

use super::files::print_stdout;
use super::{EXIT_OK, EXIT_USAGE};

pub fn run(topic: &str) -> u8 {
    match nianbao::explain::topic(topic) {
        Ok(markdown) => {
            print_stdout(&markdown);
            EXIT_OK
        }
        Err(reason) => {
            eprintln!("nianbao: {reason}");
            EXIT_USAGE
        }
    }
}
