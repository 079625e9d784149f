//! Temporary storage of a batch: what `check` has worked out for each file and will only print
//! (or compare) once every file is read — a nameless temporary file (deleted by the system when
//! it is closed, also if nianbao is killed), or memory when no temporary file can be made.
//! Written once, front to back; then read back in order ([`Sequential`]) or by offset
//! ([`Random`]).

use std::fs::File;
use std::io::{BufReader, BufWriter, Cursor, Read, Seek, SeekFrom, Write};
use std::sync::Mutex;

/// The storage under a spill.
enum Backing {
    File(File),
    Memory(Cursor<Vec<u8>>),
}

impl Read for Backing {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Backing::File(f) => f.read(buf),
            Backing::Memory(m) => m.read(buf),
        }
    }
}

impl Write for Backing {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Backing::File(f) => f.write(buf),
            Backing::Memory(m) => m.write(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Backing::File(f) => f.flush(),
            Backing::Memory(m) => m.flush(),
        }
    }
}

impl Seek for Backing {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        match self {
            Backing::File(f) => f.seek(pos),
            Backing::Memory(m) => m.seek(pos),
        }
    }
}

/// Failing to use our own temporary file, in Chinese.
fn failed(err: &std::io::Error) -> String {
    format!("临时文件读写失败（{err}）")
}

/// A spill being written.
pub struct Spill {
    out: BufWriter<Backing>,
    len: u64,
    /// The first write error (later writes are skipped; it is reported when the spill is read).
    error: Option<String>,
}

impl Spill {
    pub fn new() -> Self {
        let backing = match tempfile::tempfile() {
            Ok(file) => Backing::File(file),
            Err(_) => Backing::Memory(Cursor::new(Vec::new())),
        };
        Spill {
            out: BufWriter::with_capacity(256 * 1024, backing),
            len: 0,
            error: None,
        }
    }

    /// Appends `bytes` as one record; returns its offset.
    pub fn push(&mut self, bytes: &[u8]) -> u64 {
        let at = self.len;
        if self.error.is_none() {
            let len = (bytes.len() as u64).to_le_bytes();
            if let Err(err) = self
                .out
                .write_all(&len)
                .and_then(|()| self.out.write_all(bytes))
            {
                self.error = Some(failed(&err));
            }
        }
        self.len += 8 + bytes.len() as u64;
        at
    }

    fn finish(self) -> Result<Backing, String> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let mut backing = self.out.into_inner().map_err(|e| failed(e.error()))?;
        backing.seek(SeekFrom::Start(0)).map_err(|e| failed(&e))?;
        Ok(backing)
    }

    /// The records, to be read back in the order they were written.
    pub fn sequential(self) -> Result<Sequential, String> {
        Ok(Sequential {
            input: BufReader::with_capacity(256 * 1024, self.finish()?),
        })
    }

    /// The records, to be read by offset.
    pub fn random(self) -> Result<Random, String> {
        let len = self.len;
        Ok(Random {
            input: self.finish()?,
            len,
            window: Mutex::new(Window::default()),
        })
    }
}

/// A spill read front to back.
pub struct Sequential {
    input: BufReader<Backing>,
}

impl Sequential {
    /// The next record.
    pub fn next_record(&mut self) -> Result<Vec<u8>, String> {
        read_record(&mut self.input)
    }
}

/// A spill read by offset (from several threads): positioned reads (`pread`) through a window
/// of the file kept in memory — the series pass reads the members nearly in the order they
/// were written, so most records come from the window (a batch made eleven such reads a file,
/// a tenth of its time in the kernel).
pub struct Random {
    input: Backing,
    /// How many bytes were written.
    len: u64,
    window: Mutex<Window>,
}

/// The bytes of the spill from `start` on that were read last.
#[derive(Default)]
struct Window {
    start: u64,
    bytes: Vec<u8>,
}

/// How much of the spill a read past the window brings in.
const WINDOW: usize = 128 * 1024;

impl Random {
    /// The record at `offset` (as [`Spill::push`] returned it).
    pub fn record(&self, offset: u64) -> Result<Vec<u8>, String> {
        let mut len = [0u8; 8];
        self.read_at(&mut len, offset)?;
        let len = u64::from_le_bytes(len);
        // A length past the end is damage, never an allocation.
        if offset.saturating_add(8).saturating_add(len) > self.len {
            return Err("临时文件已损坏".to_owned());
        }
        let mut bytes =
            vec![0u8; usize::try_from(len).map_err(|_| "临时文件已损坏".to_owned())?];
        self.read_at(&mut bytes, offset + 8)?;
        Ok(bytes)
    }

    fn read_at(&self, buf: &mut [u8], offset: u64) -> Result<(), String> {
        match &self.input {
            Backing::File(file) => {
                let end = offset.saturating_add(buf.len() as u64);
                if buf.len() > WINDOW || end > self.len {
                    return read_exact_at(file, buf, offset).map_err(|e| failed(&e));
                }
                let mut window = self
                    .window
                    .lock()
                    .map_err(|_| "临时文件读写失败".to_owned())?;
                let inside =
                    offset >= window.start && end <= window.start + window.bytes.len() as u64;
                if !inside {
                    // The window's end is at most `self.len`, which `end` does not pass.
                    let size = WINDOW.min(usize::try_from(self.len - offset).unwrap_or(WINDOW));
                    window.bytes.resize(size, 0);
                    window.start = offset;
                    if let Err(e) = read_exact_at(file, &mut window.bytes, offset) {
                        window.bytes.clear();
                        return Err(failed(&e));
                    }
                }
                let from = usize::try_from(offset - window.start)
                    .map_err(|_| "临时文件已损坏".to_owned())?;
                let bytes = window
                    .bytes
                    .get(from..from + buf.len())
                    .ok_or_else(|| "临时文件已损坏".to_owned())?;
                buf.copy_from_slice(bytes);
                Ok(())
            }
            Backing::Memory(memory) => {
                let memory = memory.get_ref();
                let start = usize::try_from(offset).map_err(|_| "临时文件已损坏".to_owned())?;
                let end = start.saturating_add(buf.len());
                buf.copy_from_slice(
                    memory
                        .get(start..end)
                        .ok_or_else(|| "临时文件已损坏".to_owned())?,
                );
                Ok(())
            }
        }
    }
}

#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, buf, offset) {
            Ok(0) => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

fn read_record(input: &mut impl Read) -> Result<Vec<u8>, String> {
    let mut len = [0u8; 8];
    input.read_exact(&mut len).map_err(|e| failed(&e))?;
    let len = usize::try_from(u64::from_le_bytes(len)).map_err(|_| "临时文件已损坏".to_owned())?;
    // Sized up front (a record is read in one go), but never by a length that a damaged file
    // could make absurd.
    let mut bytes = Vec::with_capacity(len.min(1 << 20));
    input
        .take(len as u64)
        .read_to_end(&mut bytes)
        .map_err(|e| failed(&e))?;
    if bytes.len() != len {
        return Err("临时文件已损坏".to_owned());
    }
    Ok(bytes)
}

/// Writes the fields of a record.
#[derive(Default)]
pub struct Encoder(pub Vec<u8>);

impl Encoder {
    pub fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    pub fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub fn usize(&mut self, v: usize) {
        self.u64(v as u64);
    }
    pub fn i64(&mut self, v: i64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub fn bytes(&mut self, v: &[u8]) {
        self.usize(v.len());
        self.0.extend_from_slice(v);
    }
    pub fn str(&mut self, v: &str) {
        self.bytes(v.as_bytes());
    }
}

/// Reads the fields of a record, in the order they were written.
pub struct Decoder<'a>(pub &'a [u8]);

/// A record that does not read back (our own temporary file changed under us).
fn corrupt() -> String {
    "临时文件已损坏".to_owned()
}

impl<'a> Decoder<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        if self.0.len() < n {
            return Err(corrupt());
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }
    pub fn u8(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }
    pub fn u64(&mut self) -> Result<u64, String> {
        let bytes: [u8; 8] = self.take(8)?.try_into().map_err(|_| corrupt())?;
        Ok(u64::from_le_bytes(bytes))
    }
    pub fn usize(&mut self) -> Result<usize, String> {
        usize::try_from(self.u64()?).map_err(|_| corrupt())
    }
    pub fn i64(&mut self) -> Result<i64, String> {
        let bytes: [u8; 8] = self.take(8)?.try_into().map_err(|_| corrupt())?;
        Ok(i64::from_le_bytes(bytes))
    }
    pub fn bytes(&mut self) -> Result<&'a [u8], String> {
        let n = self.usize()?;
        self.take(n)
    }
    pub fn str(&mut self) -> Result<&'a str, String> {
        std::str::from_utf8(self.bytes()?).map_err(|_| corrupt())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_read_back_in_order_and_by_offset() {
        let mut spill = Spill::new();
        let a = spill.push(b"first");
        let b = spill.push(b"");
        let c = spill.push("第三".as_bytes());
        let Ok(random) = spill.random() else {
            panic!("not read back");
        };
        assert_eq!(random.record(c), Ok("第三".as_bytes().to_vec()));
        assert_eq!(random.record(a), Ok(b"first".to_vec()));
        assert_eq!(random.record(b), Ok(Vec::new()));

        let mut spill = Spill::new();
        spill.push(b"x");
        spill.push(b"yz");
        let Ok(mut seq) = spill.sequential() else {
            panic!("not read back");
        };
        assert_eq!(seq.next_record(), Ok(b"x".to_vec()));
        assert_eq!(seq.next_record(), Ok(b"yz".to_vec()));
        assert!(seq.next_record().is_err());
    }

    #[test]
    fn records_read_by_offset_across_the_window_in_any_order() {
        let mut spill = Spill::new();
        // Sizes around and past the window, so that records straddle its edges.
        let records: Vec<Vec<u8>> = (0..400u32)
            .map(|i| {
                let len = match i % 7 {
                    0 => WINDOW + 3,
                    1 => WINDOW - 8,
                    _ => (i as usize * 37) % 5000,
                };
                (0..len).map(|j| (i as usize + j) as u8).collect()
            })
            .collect();
        let offsets: Vec<u64> = records.iter().map(|r| spill.push(r)).collect();
        let Ok(random) = spill.random() else {
            panic!("not read back");
        };
        let order = (0..records.len())
            .chain((0..records.len()).rev())
            .chain((0..records.len()).map(|i| i * 13 % 400));
        for i in order {
            assert_eq!(
                random.record(offsets[i]).as_ref(),
                Ok(&records[i]),
                "record {i}"
            );
        }
    }

    #[test]
    fn fields_round_trip() {
        let mut e = Encoder::default();
        e.u8(7);
        e.u64(u64::MAX);
        e.i64(-3);
        e.str("表三");
        e.bytes(b"");
        let mut d = Decoder(&e.0);
        assert_eq!(d.u8(), Ok(7));
        assert_eq!(d.u64(), Ok(u64::MAX));
        assert_eq!(d.i64(), Ok(-3));
        assert_eq!(d.str(), Ok("表三"));
        assert_eq!(d.bytes(), Ok(&b""[..]));
        assert!(d.u8().is_err());
    }
}
