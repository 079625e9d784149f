//! `check` over any number of files in bounded memory, output byte for byte as when everything
//! was kept (ARCHITECTURE.md, "A batch").
//!
//! 1. The inputs are found as they are needed (a directory search in path order, on a thread of
//!    its own); workers read, fix (as asked), analyse and render each ([`ordered::run`]: at most
//!    a window of results in flight); the calling thread takes them in path order, prints their
//!    notes, and spills two records per file — its rendered output without the series pass (one
//!    piece per diagnostic, with the key the diagnostics are sorted by), and its member: what
//!    the series pass reads of it (name, body, year, problems) and what comparing it with another
//!    year needs (the opening text's key, the carry-over rows, section 五). In memory stay a few
//!    bytes per file: its body's number and its year ([`series::Builder`]).
//! 2. The series pass groups the files ([`series::Index`]), reading a member back when it needs
//!    more than the body and the year; each file's output is read back in order, a pair's two
//!    members are read to compare them, and a finding (rare) is rendered after reading the file
//!    again (and last year's, for the related place) — checked to be the text analysed.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use nianbao::analysis::Config;
use nianbao::diagnostics::{Code, Diagnostic, Severity};
use nianbao::model::table3::COLUMNS;
use nianbao::report_json as json;
use nianbao::series::{self, CarryCell, CarryRow, Entry, Fact, Identity, Section5, Source};
use nianbao::suppress::CrossFile;

use super::check::Checked;
use super::csv;
use super::files::{self, Input, InputError, Loaded};
use super::human::{Counts, HumanRenderer};
use super::ordered::{self, Progress};
use super::spill::{Decoder, Encoder, Random, Sequential, Spill};
use super::{EXIT_ERRORS, EXIT_OK, EXIT_USAGE};

/// What `check` prints.
pub enum Output {
    Human(HumanRenderer),
    Json,
    Csv,
    /// `--diff`: the changes fix-all would make (no series pass).
    Diff,
}

/// The next thing a batch is given.
pub enum Next {
    /// An input to check, with its configuration.
    Check(Input, Arc<Config>),
    /// A path that could not be used.
    Unusable(InputError),
    /// The inputs cannot be listed (an invalid configuration file): the run stops.
    Stop(String),
}

/// What a worker makes of one input.
enum Part {
    Checked(Box<Prepared>),
    Failed(InputError),
    Stop(String),
}

/// One checked input, rendered and encoded in a worker.
struct Prepared {
    name: String,
    notes: Vec<String>,
    /// Its output without the series pass.
    record: Vec<u8>,
    /// Its member record, but for the numbers of its configuration and template.
    member: Vec<u8>,
    config: Arc<Config>,
    template: &'static str,
    body_key: Option<String>,
    year: Option<u32>,
    /// Its suppression comments of series codes (`None`: none, the usual case).
    suppressions: Option<CrossFile>,
    /// Standard input or a fetched page, which cannot be read again.
    kept: Option<Box<Loaded>>,
}

/// What the series pass reads of a checked file, read back from the spill.
struct Member {
    config: usize,
    template: &'static str,
    name: String,
    /// The file it was read from (to read it again), when it is one.
    path: Option<PathBuf>,
    /// A hash of the text analysed: the text read again to render a series finding must be it.
    hash: u64,
    body_key: Option<String>,
    /// The body and the year as read, and where (their ranges are not needed after the analysis).
    body: Option<(String, Source)>,
    year: Option<(u32, Source)>,
    problems: Vec<String>,
    /// The year the model read (the CSV's year when the identity has none).
    report_year: Option<u32>,
    /// What comparing it needs: the opening text's key, the carry-over rows, section 五.
    pair: Vec<u8>,
}

/// The spilled members, read by number (a [`series::Lookup`]); rarely-needed facts and those
/// of the files compared.
struct Stored<'a> {
    members: &'a Random,
    /// The offset of each member record: a record of eight bytes per file.
    offsets: &'a Random,
    templates: &'a [&'static str],
    /// The first failure to read a member back (the lookup cannot return it).
    failure: RefCell<Option<String>>,
}

/// The size of an offset's record in the offsets spill.
const OFFSET_RECORD: u64 = 16;

impl Stored<'_> {
    fn member(&self, i: usize) -> Result<Member, String> {
        let at = self.offsets.record(i as u64 * OFFSET_RECORD)?;
        let at = Decoder(&at).u64()?;
        let record = self.members.record(at)?;
        let mut d = Decoder(&record);
        let config = d.usize()?;
        let template = *self
            .templates
            .get(d.usize()?)
            .ok_or_else(|| "临时文件已损坏".to_owned())?;
        let name = d.str()?.to_owned();
        let path = match d.u8()? {
            0 => None,
            _ => Some(path_from_bytes(d.bytes()?)?),
        };
        let hash = d.u64()?;
        let body_key = opt_str(&mut d)?;
        let body = match d.u8()? {
            0 => None,
            _ => Some((d.str()?.to_owned(), source(d.u8()?)?)),
        };
        let year = match d.u8()? {
            0 => None,
            _ => Some((u32_of(d.u64()?)?, source(d.u8()?)?)),
        };
        let mut problems = Vec::new();
        for _ in 0..d.usize()? {
            problems.push(d.str()?.to_owned());
        }
        let report_year = match d.u8()? {
            0 => None,
            _ => Some(u32_of(d.u64()?)?),
        };
        let pair = d.bytes()?.to_vec();
        Ok(Member {
            config,
            template,
            name,
            path,
            hash,
            body_key,
            body,
            year,
            problems,
            report_year,
            pair,
        })
    }

    /// `member(i)`, a failure remembered for [`Stored::failed`].
    fn read(&self, i: usize) -> Option<Member> {
        match self.member(i) {
            Ok(member) => Some(member),
            Err(reason) => {
                self.failure.borrow_mut().get_or_insert(reason);
                None
            }
        }
    }

    fn failed(&self) -> Result<(), String> {
        match self.failure.borrow_mut().take() {
            Some(reason) => Err(reason),
            None => Ok(()),
        }
    }
}

impl series::Lookup for Stored<'_> {
    fn name(&self, i: usize) -> String {
        self.read(i).map(|m| m.name).unwrap_or_default()
    }
    fn body(&self, i: usize) -> Option<String> {
        self.read(i)?.body.map(|b| b.0)
    }
    fn problems(&self, i: usize) -> Vec<String> {
        self.read(i).map(|m| m.problems).unwrap_or_default()
    }
    fn mentions(&self, i: usize, key: &str) -> bool {
        // Read only for bodies named two ways: the pair record's first field.
        self.read(i).is_some_and(|m| {
            Decoder(&m.pair)
                .str()
                .is_ok_and(|m| nianbao::normalize::key(m).contains(key))
        })
    }
}

/// A diagnostic as rendered for the output, with what the output is ordered and counted by.
/// Its texts are bytes borrowed from the spilled record they were read from (only copied out,
/// never validated again: that cost a twentieth of a batch) or owned (the series pass's).
struct Piece<'r> {
    start: u64,
    code: Code,
    severity: Severity,
    /// JSON: the object (indented); human: its lines; CSV: nothing.
    text: Cow<'r, [u8]>,
    /// `code: message` for an error (the CSV's and the summary table's first error).
    error: Cow<'r, [u8]>,
}

/// Reads, fixes (as asked) and analyses one input.
pub type CheckOne<'a> = dyn Fn(&Input, &Config) -> Result<Checked, InputError> + Sync + 'a;

/// What phase 1 leaves for phase 2 besides the spills.
struct Gathered {
    /// The configurations, by number (few: one per configuration file).
    configs: Vec<Arc<Config>>,
    /// The templates, by number.
    templates: Vec<&'static str>,
    /// The files' series-code suppressions, by file number (few).
    suppressions: HashMap<usize, CrossFile>,
    /// Standard input and fetched pages, by file number (few).
    kept: HashMap<usize, Box<Loaded>>,
}

/// Checks the inputs `source` gives (`check_one` reads, fixes and analyses one) and prints the
/// result. Returns the exit status.
pub fn check(
    source: impl Iterator<Item = Next> + Send,
    check_one: &CheckOne<'_>,
    output: Output,
) -> u8 {
    let threads = ordered::threads();
    let mut records = Spill::new();
    let mut members = Spill::new();
    let mut offsets = Spill::new();
    let mut builder = series::Builder::default();
    let mut gathered = Gathered {
        configs: Vec::new(),
        templates: Vec::new(),
        suppressions: HashMap::new(),
        kept: HashMap::new(),
    };
    let mut config_numbers: HashMap<*const Config, usize> = HashMap::new();
    let mut errors = Vec::new();
    let mut stop = None;
    // How many inputs the source gave, and whether it is through (for the progress line).
    let (found, listed) = (AtomicUsize::new(0), AtomicBool::new(false));
    let counted = source
        .inspect(|_| {
            found.fetch_add(1, Ordering::Relaxed);
        })
        .chain(std::iter::from_fn(|| {
            listed.store(true, Ordering::Relaxed);
            None
        }));
    let mut progress = Progress::new(std::io::stderr().is_terminal(), "已检查");
    let mut changes = false;
    ordered::run(
        counted,
        threads,
        (threads * 4).max(16),
        |_, next| match next {
            Next::Check(input, config) => match check_one(&input, &config) {
                Ok(checked) => prepare(&input, config, checked, &output),
                Err(error) => Part::Failed(error),
            },
            Next::Unusable(error) => Part::Failed(error),
            Next::Stop(reason) => Part::Stop(reason),
        },
        |i, part| {
            match part {
                Part::Failed(error) => errors.push(error),
                Part::Stop(reason) => {
                    stop.get_or_insert(reason);
                }
                Part::Checked(p) if stop.is_none() => {
                    let p = *p;
                    if !p.notes.is_empty() {
                        progress.clear();
                    }
                    for note in &p.notes {
                        eprintln!("nianbao: {}: {note}", p.name);
                    }
                    changes |= matches!(output, Output::Diff)
                        && Decoder(&p.record).str().is_ok_and(|diff| !diff.is_empty());
                    records.push(&p.record);
                    let k = builder.len();
                    let config =
                        *config_numbers
                            .entry(Arc::as_ptr(&p.config))
                            .or_insert_with(|| {
                                gathered.configs.push(p.config.clone());
                                gathered.configs.len() - 1
                            });
                    let template = match gathered.templates.iter().position(|t| *t == p.template) {
                        Some(t) => t,
                        None => {
                            gathered.templates.push(p.template);
                            gathered.templates.len() - 1
                        }
                    };
                    let mut e = Encoder::default();
                    e.usize(config);
                    e.usize(template);
                    e.0.extend_from_slice(&p.member);
                    let at = members.push(&e.0);
                    offsets.push(&at.to_le_bytes());
                    builder.push(p.body_key.as_deref(), p.year);
                    if let Some(s) = p.suppressions {
                        gathered.suppressions.insert(k, s);
                    }
                    if let Some(kept) = p.kept {
                        gathered.kept.insert(k, kept);
                    }
                }
                Part::Checked(_) => {}
            }
            let total = listed
                .load(Ordering::Relaxed)
                .then(|| found.load(Ordering::Relaxed));
            if total.is_none_or(|n| n > 1) {
                progress.update(i + 1, total);
            }
        },
    );
    progress.clear();
    if let Some(reason) = stop {
        eprintln!("nianbao: {reason}");
        return EXIT_USAGE;
    }
    errors.sort_by(|a, b| a.name.cmp(&b.name));
    for error in &errors {
        eprintln!("nianbao: {}: {}", error.name, error.reason);
    }
    let count = builder.len();
    if count == 0 && errors.is_empty() {
        eprintln!(
            "nianbao: 没有找到要检查的文件（目录中查找 {}）",
            files::patterns(files::CHECK_EXTENSIONS)
        );
    }
    let spilled =
        (|| Ok::<_, String>((records.sequential()?, members.random()?, offsets.random()?)))();
    let (mut records, members, offsets) = match spilled {
        Ok(spilled) => spilled,
        Err(reason) => {
            eprintln!("nianbao: {reason}");
            return EXIT_USAGE;
        }
    };
    let mut out = Stdout::new();
    if let Output::Diff = output {
        for _ in 0..count {
            match records.next_record() {
                Ok(record) => {
                    let header = Decoder(&record).str().unwrap_or_default().to_owned();
                    out.write(&header);
                }
                Err(reason) => {
                    eprintln!("nianbao: {reason}");
                    return EXIT_USAGE;
                }
            }
        }
        out.flush();
        return if !errors.is_empty() {
            EXIT_USAGE
        } else if changes {
            EXIT_ERRORS
        } else {
            EXIT_OK
        };
    }
    let stored = Stored {
        members: &members,
        offsets: &offsets,
        templates: &gathered.templates,
        failure: RefCell::new(None),
    };
    let unread = errors.len();
    let status = match finish(
        builder,
        &gathered,
        &output,
        &stored,
        &mut records,
        &mut out,
        unread,
    ) {
        Ok((counts, unreadable)) => {
            if !errors.is_empty() || unreadable {
                EXIT_USAGE
            } else if counts.of(Severity::Error) > 0 {
                EXIT_ERRORS
            } else {
                EXIT_OK
            }
        }
        Err(reason) => {
            eprintln!("nianbao: {reason}");
            EXIT_USAGE
        }
    };
    out.flush();
    status
}

/// Phase 2: the series pass over the members, then every file's output in order, and the end of
/// the document. Returns the diagnostics counted by severity and whether a file could not be
/// read again.
fn finish(
    builder: series::Builder,
    gathered: &Gathered,
    output: &Output,
    stored: &Stored,
    records: &mut Sequential,
    out: &mut Stdout,
    unread: usize,
) -> Result<(Counts, bool), String> {
    let count = builder.len();
    let series = builder.finish(stored);
    stored.failed()?;
    let mut counts = Counts::default();
    let mut unreadable = false;
    let mut table = csv::Table::default();
    let mut rows = Spill::new();
    match output {
        Output::Json => out.write("{\n  \"version\": 1,\n  \"files\": ["),
        Output::Csv => out.write(&csv::header()),
        _ => {}
    }
    for k in 0..count {
        let record = records.next_record()?;
        let mut d = Decoder(&record);
        let header = d.str()?;
        let mut pieces = Vec::new();
        for _ in 0..d.usize()? {
            pieces.push(Piece {
                start: d.u64()?,
                code: code(d.usize()?)?,
                severity: severity(d.u8()?)?,
                text: Cow::Borrowed(d.bytes()?),
                error: Cow::Borrowed(d.bytes()?),
            });
        }
        let member = stored.member(k)?;
        let mut outcome = series.link(k, stored);
        stored.failed()?;
        let previous = match outcome.previous {
            Some(p) => Some((p, stored.member(p)?)),
            None => None,
        };
        if let Some((p, before)) = &previous {
            let (found, notes) = series::compare(
                &entry(before, gathered.suppressions.get(p))?,
                &entry(&member, gathered.suppressions.get(&k))?,
            );
            outcome.diagnostics = found;
            outcome.notes.extend(notes);
        }
        let config = gathered
            .configs
            .get(member.config)
            .ok_or_else(|| "临时文件已损坏".to_owned())?;
        let found = config.apply_severity(std::mem::take(&mut outcome.diagnostics));
        if let (false, Some((p, before))) = (found.is_empty(), &previous) {
            match render_series(gathered, output, (k, &member), (*p, before), &found) {
                Ok(more) => {
                    pieces.extend(more);
                    pieces.sort_by(|a, b| a.start.cmp(&b.start).then(a.code.cmp(&b.code)));
                }
                Err(reason) => {
                    eprintln!("nianbao: {}: {reason}", member.name);
                    unreadable = true;
                }
            }
        }
        let mut mine = Counts::default();
        for piece in &pieces {
            mine.add(piece.severity);
            counts.add(piece.severity);
        }
        let row = || csv::Row {
            path: member.name.clone(),
            body: member.body.as_ref().map(|b| b.0.clone()),
            year: member.year.as_ref().map(|y| y.0).or(member.report_year),
            template: member.template,
            errors: mine.of(Severity::Error),
            warnings: mine.of(Severity::Warning),
            first_error: pieces
                .iter()
                .find(|p| p.severity == Severity::Error)
                .map(|p| String::from_utf8_lossy(&p.error).into_owned()),
        };
        match output {
            Output::Json => {
                out.write(if k == 0 { "\n    " } else { ",\n    " });
                out.write(header);
                if pieces.is_empty() {
                    out.write("[]");
                } else {
                    out.write("[\n");
                    for (j, piece) in pieces.iter().enumerate() {
                        out.write(if j == 0 { "        " } else { ",\n        " });
                        out.write_bytes(&piece.text);
                    }
                    out.write("\n      ]");
                }
                let name = |i: usize| -> Result<String, String> {
                    if Some(i) == previous.as_ref().map(|p| p.0) {
                        return Ok(previous
                            .as_ref()
                            .map(|p| p.1.name.clone())
                            .unwrap_or_default());
                    }
                    Ok(stored.member(i)?.name)
                };
                let fields = json::Series {
                    body_source: member.body.as_ref().map(|b| b.1.as_str()),
                    year_source: member.year.as_ref().map(|y| y.1.as_str()),
                    previous: outcome.previous.map(name).transpose()?,
                    next: outcome.next.map(name).transpose()?,
                    notes: outcome.notes,
                };
                out.write(",\n      \"series\": ");
                out.write_bytes(&pretty(&fields, 6));
                out.write("\n    }");
            }
            Output::Csv => out.write(&csv::line(&row())),
            Output::Human(_) => {
                out.write(header);
                for piece in &pieces {
                    out.write_bytes(&piece.text);
                }
                if count > 1 {
                    let cells = csv::table_cells(&row(), 60);
                    table.widen(&cells);
                    let mut e = Encoder::default();
                    for cell in &cells {
                        e.str(cell);
                    }
                    rows.push(&e.0);
                }
            }
            Output::Diff => {}
        }
    }
    match output {
        Output::Json => out.write(if count == 0 { "]\n}\n" } else { "\n  ]\n}\n" }),
        Output::Human(renderer) => {
            if count > 1 {
                out.write(&table.header());
                let mut rows = rows.sequential()?;
                for _ in 0..count {
                    let record = rows.next_record()?;
                    let mut d = Decoder(&record);
                    let mut cells: [String; 7] = Default::default();
                    for cell in &mut cells {
                        *cell = d.str()?.to_owned();
                    }
                    out.write(&table.line(&cells));
                }
                out.write("\n");
            }
            out.write(&renderer.summary_of(count, &counts, unread));
        }
        _ => {}
    }
    Ok((counts, unreadable))
}

/// Phase 1, in a worker: what is printed of one file without the series pass, and its member
/// (what the series pass reads of it, and what comparing it needs).
fn prepare(input: &Input, config: Arc<Config>, c: Checked, output: &Output) -> Part {
    let text = c.loaded.text();
    let map = c.loaded.map();
    let diagnostics = &c.analysis.diagnostics;
    let mut record = Encoder::default();
    let identity = &c.entry.identity;
    let pieces: Vec<Vec<u8>> = match output {
        Output::Json => {
            let mut file = json::located(
                c.name.clone(),
                c.analysis.template,
                text,
                diagnostics,
                &|_| None,
                map,
            );
            file.encoding = c.loaded.encoding().map(|e| e.name());
            file.body = identity.body.as_ref().map(|b| b.value.clone());
            file.year = identity.year.as_ref().map(|y| y.value);
            let pieces = file.diagnostics.iter().map(|d| pretty(d, 8)).collect();
            file.diagnostics = Vec::new();
            let head = String::from_utf8_lossy(&pretty(&file, 4)).into_owned();
            let marker = "\"diagnostics\": ";
            let cut = head
                .rfind("\"diagnostics\": []")
                .map_or(head.len(), |at| at + marker.len());
            record.str(&head[..cut]);
            pieces
        }
        Output::Human(renderer) => {
            // Text not in UTF-8 says how it was read (GB18030, UTF-16).
            let read_as = match c.loaded.encoding() {
                Some(e) if e != nianbao::encoding::TextEncoding::Utf8 => {
                    format!("{}: 按 {} 编码读取\n", c.name, e.name())
                }
                _ => String::new(),
            };
            record.str(&read_as);
            bytes(renderer.render_each(&c.name, text, diagnostics, &|_| None, map))
        }
        Output::Csv => {
            record.str("");
            vec![Vec::new(); diagnostics.len()]
        }
        Output::Diff => {
            record.str(&c.diff);
            Vec::new()
        }
    };
    record.usize(pieces.len());
    for (d, piece) in diagnostics.iter().zip(&pieces) {
        put_piece(&mut record, d, piece);
    }
    let entry = c.entry;
    let mut pair = Encoder::default();
    pair.str(entry.mentions_text());
    put_row(&mut pair, entry.carried.as_ref());
    put_row(&mut pair, entry.carry_next.as_ref());
    match &entry.section5 {
        None => pair.u8(0),
        Some(s) => {
            pair.u8(1);
            for at in [s.heading.start, s.heading.end, s.range.start, s.range.end] {
                pair.usize(at);
            }
            pair.str(&s.chars.iter().collect::<String>());
        }
    }
    let diff = matches!(output, Output::Diff);
    let path = match input {
        Input::File(path) => Some(path),
        _ => None,
    };
    let hash = if path.is_some() && !diff {
        text_hash(text)
    } else {
        0
    };
    let mut member = Encoder::default();
    member.str(&c.name);
    match path {
        None => member.u8(0),
        Some(path) => {
            member.u8(1);
            member.bytes(&path_bytes(path));
        }
    }
    member.u64(hash);
    match &entry.body_key {
        None => member.u8(0),
        Some(key) => {
            member.u8(1);
            member.str(key);
        }
    }
    match &entry.identity.body {
        None => member.u8(0),
        Some(body) => {
            member.u8(1);
            member.str(&body.value);
            member.u8(source_number(body.source));
        }
    }
    match &entry.identity.year {
        None => member.u8(0),
        Some(year) => {
            member.u8(1);
            member.u64(u64::from(year.value));
            member.u8(source_number(year.source));
        }
    }
    member.usize(entry.identity.problems.len());
    for problem in &entry.identity.problems {
        member.str(problem);
    }
    match c.analysis.report.year.as_ref() {
        None => member.u8(0),
        Some(year) => {
            member.u8(1);
            member.u64(u64::from(year.year));
        }
    }
    member.bytes(&pair.0);
    // Standard input and a fetched page cannot be read again: kept (few).
    let kept = (path.is_none() && !diff).then(|| Box::new(c.loaded));
    Part::Checked(Box::new(Prepared {
        name: c.name,
        notes: c.notes,
        record: record.0,
        member: member.0,
        config,
        template: c.analysis.template,
        body_key: entry.body_key,
        year: entry.identity.year.map(|y| y.value),
        suppressions: (entry.suppressions != CrossFile::default()).then_some(entry.suppressions),
        kept,
    }))
}

const SOURCES: [Source; 5] = [
    Source::Title,
    Source::Opening,
    Source::Period,
    Source::Signature,
    Source::FileName,
];

fn source_number(source: Source) -> u8 {
    SOURCES.iter().position(|s| *s == source).unwrap_or(0) as u8
}

fn source(n: u8) -> Result<Source, String> {
    SOURCES
        .get(usize::from(n))
        .copied()
        .ok_or_else(|| "临时文件已损坏".to_owned())
}

fn u32_of(v: u64) -> Result<u32, String> {
    u32::try_from(v).map_err(|_| "临时文件已损坏".to_owned())
}

fn opt_str(d: &mut Decoder) -> Result<Option<String>, String> {
    Ok(match d.u8()? {
        0 => None,
        _ => Some(d.str()?.to_owned()),
    })
}

/// A path's bytes as the system has them (a name that is not UTF-8 is read again as it is).
#[cfg(unix)]
fn path_bytes(path: &std::path::Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    path.as_os_str().as_bytes().to_vec()
}

#[cfg(unix)]
fn path_from_bytes(bytes: &[u8]) -> Result<PathBuf, String> {
    use std::os::unix::ffi::OsStrExt;
    Ok(PathBuf::from(std::ffi::OsStr::from_bytes(bytes)))
}

#[cfg(not(unix))]
fn path_bytes(path: &std::path::Path) -> Vec<u8> {
    path.to_string_lossy().into_owned().into_bytes()
}

#[cfg(not(unix))]
fn path_from_bytes(bytes: &[u8]) -> Result<PathBuf, String> {
    std::str::from_utf8(bytes)
        .map(PathBuf::from)
        .map_err(|_| "临时文件已损坏".to_owned())
}

fn first_error(d: &Diagnostic) -> String {
    if d.severity == Severity::Error {
        format!("{}: {}", d.code, d.message)
    } else {
        String::new()
    }
}

fn put_piece(e: &mut Encoder, d: &Diagnostic, text: &[u8]) {
    e.usize(d.range.start);
    e.usize(Code::ALL.iter().position(|c| *c == d.code).unwrap_or(0));
    e.u8(match d.severity {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Information => 2,
        Severity::Hint => 3,
    });
    e.bytes(text);
    e.str(&first_error(d));
}

fn code(i: usize) -> Result<Code, String> {
    Code::ALL
        .get(i)
        .copied()
        .ok_or_else(|| "临时文件已损坏".to_owned())
}

fn severity(v: u8) -> Result<Severity, String> {
    Ok(match v {
        0 => Severity::Error,
        1 => Severity::Warning,
        2 => Severity::Information,
        3 => Severity::Hint,
        _ => return Err("临时文件已损坏".to_owned()),
    })
}

fn put_row(e: &mut Encoder, row: Option<&CarryRow>) {
    let Some(row) = row else {
        e.u8(0);
        return;
    };
    e.u8(1);
    for cell in row {
        match cell {
            None => e.u8(0),
            Some(cell) => {
                e.u8(1);
                e.usize(cell.range.start);
                e.usize(cell.range.end);
                match cell.count {
                    None => e.u8(0),
                    Some(n) => {
                        e.u8(1);
                        e.i64(n);
                    }
                }
                e.u8(u8::from(cell.blank));
            }
        }
    }
}

fn get_row(d: &mut Decoder) -> Result<Option<CarryRow>, String> {
    if d.u8()? == 0 {
        return Ok(None);
    }
    let mut row: CarryRow = Default::default();
    for slot in row.iter_mut().take(COLUMNS) {
        if d.u8()? == 0 {
            continue;
        }
        let range = d.usize()?..d.usize()?;
        let count = match d.u8()? {
            0 => None,
            _ => Some(d.i64()?),
        };
        *slot = Some(CarryCell {
            range,
            count,
            blank: d.u8()? != 0,
        });
    }
    Ok(Some(row))
}

/// The series entry of a member, with its pair record read back (what [`series::compare`] reads).
fn entry(member: &Member, suppressions: Option<&CrossFile>) -> Result<Entry, String> {
    let mut d = Decoder(&member.pair);
    // Skipped unread: the series pass's entry needs no mentions.
    let _mentions = d.bytes()?;
    let carried = get_row(&mut d)?;
    let carry_next = get_row(&mut d)?;
    let section5 = match d.u8()? {
        0 => None,
        _ => {
            let heading = d.usize()?..d.usize()?;
            let range = d.usize()?..d.usize()?;
            Some(Section5 {
                heading,
                range,
                chars: d.str()?.chars().collect(),
            })
        }
    };
    Ok(Entry {
        name: member.name.clone(),
        identity: Identity {
            body: member.body.as_ref().map(|(value, source)| Fact {
                value: value.clone(),
                source: *source,
                range: None,
            }),
            year: member.year.map(|(value, source)| Fact {
                value,
                source,
                range: None,
            }),
            readings: Vec::new(),
            problems: member.problems.clone(),
        },
        body_key: member.body_key.clone(),
        carried,
        carry_next,
        section5,
        mentions_end: 0,
        mentions_key: Default::default(),
        suppressions: suppressions.cloned().unwrap_or_default(),
        text: Arc::from(""),
    })
}

/// The text of member `k` as analysed: kept, or read again and checked to be the same.
fn reload(gathered: &Gathered, (k, member): (usize, &Member)) -> Result<Loaded, String> {
    if let Some(kept) = gathered.kept.get(&k) {
        return Ok((**kept).clone());
    }
    let loaded = match &member.path {
        Some(path) => files::load_file(path)?,
        None => return Err("无法再次读取".to_owned()),
    };
    if text_hash(loaded.text()) != member.hash {
        return Err("检查期间文件被改动，未给出与上年比对的结果".to_owned());
    }
    Ok(loaded)
}

/// The series findings on `member` (compared with `previous`), rendered for the output.
fn render_series(
    gathered: &Gathered,
    output: &Output,
    member: (usize, &Member),
    previous: (usize, &Member),
    found: &[Diagnostic],
) -> Result<Vec<Piece<'static>>, String> {
    let current = reload(gathered, member)?;
    let before = reload(gathered, previous)?;
    let (member, previous) = (member.1, previous.1);
    let others = |name: &str| (name == previous.name).then_some(before.text());
    let (text, map) = (current.text(), current.map());
    let texts: Vec<Vec<u8>> = match output {
        Output::Json => json::located(
            member.name.clone(),
            member.template,
            text,
            found,
            &others,
            map,
        )
        .diagnostics
        .iter()
        .map(|d| pretty(d, 8))
        .collect(),
        Output::Human(renderer) => {
            bytes(renderer.render_each(&member.name, text, found, &others, map))
        }
        Output::Csv | Output::Diff => vec![Vec::new(); found.len()],
    };
    Ok(found
        .iter()
        .zip(texts)
        .map(|(d, text)| Piece {
            start: d.range.start as u64,
            code: d.code,
            severity: d.severity,
            text: Cow::Owned(text),
            error: Cow::Owned(first_error(d).into_bytes()),
        })
        .collect())
}

/// A fingerprint of a text, to tell whether a file read again is the text analysed. Not
/// cryptographic (nobody is expected to rewrite a report during a run to fool it), and quick:
/// foldhash reads 16 bytes a step where SipHash (`DefaultHasher`) took a hundredth of a batch.
pub fn text_hash(text: &str) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(0x006e_6961_6e62_616f).hash_one(text)
}

/// A value as `serde_json::to_string_pretty` writes it.
/// `value` as pretty JSON (two spaces a level) nested `by` spaces deep: each line after the
/// first is indented by `by` more. Written in one pass (indenting a finished string afterwards
/// cost a fifth of the output's time).
fn pretty(value: &impl serde::Serialize, by: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(1024);
    let formatter = Nested {
        base: by,
        depth: 0,
        has_value: false,
    };
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    match value.serialize(&mut serializer) {
        Ok(()) => out,
        Err(_) => b"{}".to_vec(),
    }
}

/// The strings of a renderer as bytes.
fn bytes(texts: Vec<String>) -> Vec<Vec<u8>> {
    texts.into_iter().map(String::into_bytes).collect()
}

/// serde_json's `PrettyFormatter` (two spaces) starting `base` spaces in.
struct Nested {
    base: usize,
    depth: usize,
    has_value: bool,
}

impl Nested {
    fn newline<W: ?Sized + Write>(&self, w: &mut W) -> std::io::Result<()> {
        const SPACES: &[u8] = &[b' '; 64];
        w.write_all(b"\n")?;
        let mut n = self.base + 2 * self.depth;
        while n > 0 {
            let k = n.min(SPACES.len());
            w.write_all(&SPACES[..k])?;
            n -= k;
        }
        Ok(())
    }

    fn open<W: ?Sized + Write>(&mut self, w: &mut W, mark: &[u8]) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(mark)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, mark: &[u8]) -> std::io::Result<()> {
        self.depth = self.depth.saturating_sub(1);
        if self.has_value {
            self.newline(w)?;
        }
        w.write_all(mark)
    }

    fn item<W: ?Sized + Write>(&self, w: &mut W, first: bool) -> std::io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        self.newline(w)
    }
}

impl serde_json::ser::Formatter for Nested {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }
    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }
    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Standard output, buffered; a closed pipe (`nianbao check … | head`) ends the writing, not
/// the run.
struct Stdout {
    out: std::io::BufWriter<std::io::Stdout>,
    broken: bool,
}

impl Stdout {
    fn new() -> Self {
        // Thousands of reports' JSON through a pipe (`| jq`, `| sha256sum`): the writer need not
        // wait for the reader every 64 KB.
        nianbao::pipe::enlarge_stdout();
        Stdout {
            out: std::io::BufWriter::with_capacity(256 * 1024, std::io::stdout()),
            broken: false,
        }
    }

    fn write(&mut self, text: &str) {
        self.write_bytes(text.as_bytes());
    }

    fn write_bytes(&mut self, bytes: &[u8]) {
        if !self.broken && self.out.write_all(bytes).is_err() {
            self.broken = true;
        }
    }

    fn flush(&mut self) {
        if !self.broken && self.out.flush().is_err() {
            self.broken = true;
        }
    }
}
