//! The engine on generated reports: see `checks::tests` for the data-driven cases over every
//! layout; here, what the engine itself promises.
