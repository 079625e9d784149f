//! `check` over any number of files in bounded memory, output byte for byte as when everything
//! was kept (ARCHITECTURE.md, "A batch").
//!
//! 1. Workers read, fix (as asked), analyse and render each input ([`ordered::run`]: at most a
//!    window of results in flight); the calling thread takes them in path order, prints their
//!    notes, and spills two records per file — its rendered output without the series pass (one
//!    piece per diagnostic, with the key the diagnostics are sorted by), and what comparing it
//!    with another year needs (the opening text's key, the carry-over rows, section 五). In
//!    memory stays a small [`Member`] per file: name, body, year.
//! 2. The series pass groups the members; each file's output is read back in order, a pair's
//!    two records are read to compare them, and a finding (rare) is rendered after reading the
//!    file again (and last year's, for the related place) — checked to be the text analysed.

use std::hash::{Hash, Hasher};
use std::io::{IsTerminal, Write};
use std::sync::Arc;

use nianbao::analysis::Config;
use nianbao::diagnostics::{Code, Diagnostic, Severity};
use nianbao::model::table3::COLUMNS;
use nianbao::report_json as json;
use nianbao::series::{self, CarryCell, CarryRow, Entry, Fact, Identity, Section5, Series, Source};
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

/// What a worker makes of one input.
enum Part {
    Checked {
        notes: Vec<String>,
        record: Vec<u8>,
        pair: Vec<u8>,
        member: Box<Member>,
    },
    Failed(InputError),
}

/// What stays in memory of a checked file until the end: what the series pass groups by, and
/// where the rest is.
pub struct Member {
    input: usize,
    name: String,
    body_key: Option<String>,
    /// The body and the year as read, and where (their ranges are not needed after the analysis).
    body: Option<(String, Source)>,
    year: Option<(u32, Source)>,
    problems: Vec<String>,
    /// Its suppression comments of series codes (`None`: none, the usual case).
    suppressions: Option<Box<CrossFile>>,
    template: &'static str,
    /// The year the model read (the CSV's year when the identity has none).
    report_year: Option<u32>,
    /// A hash of the text analysed: the text read again to render a series finding must be it.
    hash: u64,
    /// Where its pair record is.
    pair: u64,
    /// Standard input or a fetched page, which cannot be read again.
    kept: Option<Box<Loaded>>,
}

/// A member with the spill its pair record is in ([`series::Member`]).
struct Held<'a> {
    member: &'a Member,
    pairs: &'a Random,
}

impl series::Member for Held<'_> {
    fn name(&self) -> &str {
        &self.member.name
    }
    fn body_key(&self) -> Option<&str> {
        self.member.body_key.as_deref()
    }
    fn body(&self) -> Option<&str> {
        self.member.body.as_ref().map(|b| b.0.as_str())
    }
    fn year(&self) -> Option<u32> {
        self.member.year.as_ref().map(|y| y.0)
    }
    fn problems(&self) -> &[String] {
        &self.member.problems
    }
    fn mentions(&self, key: &str) -> bool {
        // Read only for bodies named two ways: the record's first field.
        self.pairs.record(self.member.pair).ok().is_some_and(|r| {
            Decoder(&r)
                .str()
                .is_ok_and(|m| nianbao::normalize::key(m).contains(key))
        })
    }
}

/// A diagnostic as rendered for the output, with what the output is ordered and counted by.
struct Piece {
    start: u64,
    code: Code,
    severity: Severity,
    /// JSON: the object (indented); human: its lines; CSV: nothing.
    text: String,
    /// `code: message` for an error (the CSV's and the summary table's first error).
    error: String,
}

/// Reads, fixes (as asked) and analyses one input.
pub type CheckOne<'a> = dyn Fn(&(Input, Arc<Config>)) -> Result<Checked, InputError> + Sync + 'a;

/// Checks `configured` (`check_one` reads, fixes and analyses one) and prints the result;
/// `errors`: the inputs that could not be collected. Returns the exit status.
pub fn check(
    configured: &[(Input, Arc<Config>)],
    check_one: &CheckOne<'_>,
    output: Output,
    mut errors: Vec<InputError>,
) -> u8 {
    let total = configured.len();
    let threads = ordered::threads();
    let mut records = Spill::new();
    let mut pairs = Spill::new();
    // Sized once: growing by doubling would hold the old and the new buffer at once (≈ 90 MB
    // for 100,000 files).
    let mut members: Vec<Member> = Vec::with_capacity(total);
    let mut progress = Progress::new(
        total > 1 && std::io::stderr().is_terminal(),
        "已检查",
        total,
    );
    let mut changes = false;
    ordered::run(
        total,
        threads,
        (threads * 4).max(16),
        |i| match check_one(&configured[i]) {
            Ok(checked) => {
                let is_file = matches!(configured[i].0, Input::File(_));
                prepare(i, is_file, checked, &output)
            }
            Err(error) => Part::Failed(error),
        },
        |i, part| {
            match part {
                Part::Failed(error) => errors.push(error),
                Part::Checked {
                    notes,
                    record,
                    pair,
                    mut member,
                } => {
                    if !notes.is_empty() {
                        progress.clear();
                    }
                    for note in &notes {
                        eprintln!("nianbao: {}: {note}", member.name);
                    }
                    changes |= matches!(output, Output::Diff)
                        && Decoder(&record).str().is_ok_and(|diff| !diff.is_empty());
                    records.push(&record);
                    member.pair = pairs.push(&pair);
                    members.push(*member);
                }
            }
            progress.update(i + 1);
        },
    );
    progress.clear();
    errors.sort_by(|a, b| a.name.cmp(&b.name));
    for error in &errors {
        eprintln!("nianbao: {}: {}", error.name, error.reason);
    }
    if members.is_empty() && errors.is_empty() {
        eprintln!(
            "nianbao: 没有找到要检查的文件（目录中查找 {}）",
            files::patterns(files::CHECK_EXTENSIONS)
        );
    }
    let records = records.sequential();
    let pairs = pairs.random();
    let (mut records, pairs) = match (records, pairs) {
        (Ok(records), Ok(pairs)) => (records, pairs),
        (Err(reason), _) | (_, Err(reason)) => {
            eprintln!("nianbao: {reason}");
            return EXIT_USAGE;
        }
    };
    let mut out = Stdout::new();
    if let Output::Diff = output {
        for _ in &members {
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
    let unread = errors.len();
    let status = match finish(
        configured,
        &output,
        &members,
        &pairs,
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
    configured: &[(Input, Arc<Config>)],
    output: &Output,
    members: &[Member],
    pairs: &Random,
    records: &mut Sequential,
    out: &mut Stdout,
    unread: usize,
) -> Result<(Counts, bool), String> {
    let held: Vec<Held> = members
        .iter()
        .map(|member| Held { member, pairs })
        .collect();
    let series = Series::new(held.iter().collect());
    let mut counts = Counts::default();
    let mut unreadable = false;
    let mut table = csv::Table::default();
    let mut rows = Spill::new();
    match output {
        Output::Json => out.write("{\n  \"version\": 1,\n  \"files\": ["),
        Output::Csv => out.write(&csv::header()),
        _ => {}
    }
    for (k, member) in members.iter().enumerate() {
        let record = records.next_record()?;
        let mut d = Decoder(&record);
        let header = d.str()?;
        let mut pieces = Vec::new();
        for _ in 0..d.usize()? {
            pieces.push(Piece {
                start: d.u64()?,
                code: code(d.usize()?)?,
                severity: severity(d.u8()?)?,
                text: d.str()?.to_owned(),
                error: d.str()?.to_owned(),
            });
        }
        let mut outcome = series.link(k);
        if let Some(p) = outcome.previous {
            let (found, notes) =
                series::compare(&entry(&members[p], pairs)?, &entry(member, pairs)?);
            outcome.diagnostics = found;
            outcome.notes.extend(notes);
        }
        let found = configured[member.input]
            .1
            .apply_severity(std::mem::take(&mut outcome.diagnostics));
        if let (false, Some(p)) = (found.is_empty(), outcome.previous) {
            match render_series(configured, output, member, &members[p], &found) {
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
                .map(|p| p.error.clone()),
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
                        out.write(&piece.text);
                    }
                    out.write("\n      ]");
                }
                let name = |i: usize| members.get(i).map(|m| m.name.clone());
                let fields = json::Series {
                    body_source: member.body.as_ref().map(|b| b.1.as_str()),
                    year_source: member.year.as_ref().map(|y| y.1.as_str()),
                    previous: outcome.previous.and_then(name),
                    next: outcome.next.and_then(name),
                    notes: outcome.notes,
                };
                out.write(",\n      \"series\": ");
                out.write(&indent(&pretty(&fields), 6));
                out.write("\n    }");
            }
            Output::Csv => out.write(&csv::line(&row())),
            Output::Human(_) => {
                out.write(header);
                for piece in &pieces {
                    out.write(&piece.text);
                }
                if members.len() > 1 {
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
        Output::Json => out.write(if members.is_empty() {
            "]\n}\n"
        } else {
            "\n  ]\n}\n"
        }),
        Output::Human(renderer) => {
            if members.len() > 1 {
                out.write(&table.header());
                let mut rows = rows.sequential()?;
                for _ in members {
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
            out.write(&renderer.summary_of(members.len(), &counts, unread));
        }
        _ => {}
    }
    Ok((counts, unreadable))
}

/// Phase 1, in a worker: what is printed of one file without the series pass, what comparing it
/// needs, and its member.
fn prepare(input: usize, is_file: bool, c: Checked, output: &Output) -> Part {
    let text = c.loaded.text();
    let map = c.loaded.map();
    let diagnostics = &c.analysis.diagnostics;
    let mut record = Encoder::default();
    let identity = &c.entry.identity;
    let pieces: Vec<String> = match output {
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
            let pieces = file
                .diagnostics
                .iter()
                .map(|d| indent(&pretty(d), 8))
                .collect();
            file.diagnostics = Vec::new();
            let head = indent(&pretty(&file), 4);
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
            renderer.render_each(&c.name, text, diagnostics, &|_| None, map)
        }
        Output::Csv => {
            record.str("");
            vec![String::new(); diagnostics.len()]
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
    let hash = if is_file && !diff { text_hash(text) } else { 0 };
    // Standard input and a fetched page cannot be read again: kept (few).
    let kept = (!is_file && !diff).then(|| Box::new(c.loaded));
    let member = Member {
        input,
        hash,
        name: c.name,
        body_key: entry.body_key,
        body: entry.identity.body.map(|b| (b.value, b.source)),
        year: entry.identity.year.map(|y| (y.value, y.source)),
        problems: entry.identity.problems,
        suppressions: (entry.suppressions != CrossFile::default())
            .then(|| Box::new(entry.suppressions)),
        template: c.analysis.template,
        report_year: c.analysis.report.year.as_ref().map(|y| y.year),
        pair: 0,
        kept,
    };
    Part::Checked {
        notes: c.notes,
        record: record.0,
        pair: pair.0,
        member: Box::new(member),
    }
}

fn first_error(d: &Diagnostic) -> String {
    if d.severity == Severity::Error {
        format!("{}: {}", d.code, d.message)
    } else {
        String::new()
    }
}

fn put_piece(e: &mut Encoder, d: &Diagnostic, text: &str) {
    e.usize(d.range.start);
    e.usize(Code::ALL.iter().position(|c| *c == d.code).unwrap_or(0));
    e.u8(match d.severity {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Information => 2,
        Severity::Hint => 3,
    });
    e.str(text);
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
fn entry(member: &Member, pairs: &Random) -> Result<Entry, String> {
    let record = pairs.record(member.pair)?;
    let mut d = Decoder(&record);
    let _mentions = d.str()?;
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
        suppressions: member.suppressions.as_deref().cloned().unwrap_or_default(),
        text: Arc::from(""),
    })
}

/// The text of `member` as analysed: kept, or read again and checked to be the same.
fn reload(configured: &[(Input, Arc<Config>)], member: &Member) -> Result<Loaded, String> {
    if let Some(kept) = &member.kept {
        return Ok((**kept).clone());
    }
    let loaded = match &configured[member.input].0 {
        Input::File(path) => files::load_file(path)?,
        _ => return Err("无法再次读取".to_owned()),
    };
    if text_hash(loaded.text()) != member.hash {
        return Err("检查期间文件被改动，未给出与上年比对的结果".to_owned());
    }
    Ok(loaded)
}

/// The series findings on `member` (compared with `previous`), rendered for the output.
fn render_series(
    configured: &[(Input, Arc<Config>)],
    output: &Output,
    member: &Member,
    previous: &Member,
    found: &[Diagnostic],
) -> Result<Vec<Piece>, String> {
    let current = reload(configured, member)?;
    let before = reload(configured, previous)?;
    let others = |name: &str| (name == previous.name).then_some(before.text());
    let (text, map) = (current.text(), current.map());
    let texts: Vec<String> = match output {
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
        .map(|d| indent(&pretty(d), 8))
        .collect(),
        Output::Human(renderer) => renderer.render_each(&member.name, text, found, &others, map),
        Output::Csv | Output::Diff => vec![String::new(); found.len()],
    };
    Ok(found
        .iter()
        .zip(texts)
        .map(|(d, text)| Piece {
            start: d.range.start as u64,
            code: d.code,
            severity: d.severity,
            text,
            error: first_error(d),
        })
        .collect())
}

pub fn text_hash(text: &str) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// A value as `serde_json::to_string_pretty` writes it.
fn pretty(value: &impl serde::Serialize) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| "{}".to_owned())
}

/// `text` (pretty JSON) as nested `by` spaces deeper: each line after the first indented (a JSON
/// string never holds a raw line break).
fn indent(text: &str, by: usize) -> String {
    text.replace('\n', &format!("\n{}", " ".repeat(by)))
}

/// Standard output, buffered; a closed pipe (`nianbao check … | head`) ends the writing, not
/// the run.
struct Stdout {
    out: std::io::BufWriter<std::io::Stdout>,
    broken: bool,
}

impl Stdout {
    fn new() -> Self {
        Stdout {
            out: std::io::BufWriter::with_capacity(256 * 1024, std::io::stdout()),
            broken: false,
        }
    }

    fn write(&mut self, text: &str) {
        if !self.broken && self.out.write_all(text.as_bytes()).is_err() {
            self.broken = true;
        }
    }

    fn flush(&mut self) {
        if !self.broken && self.out.flush().is_err() {
            self.broken = true;
        }
    }
}
