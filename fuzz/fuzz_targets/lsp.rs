//! The language server on arbitrary client input: its stdio framing, the JSON-RPC decoder, the
//! dispatcher, the documents thread and every handler (`nianbao::lsp::serve`, in process, as
//! `nianbao lsp` runs it). The server must never panic — libFuzzer's panic hook aborts on a
//! panic in any thread, including the ones the server catches and logs — and every session must
//! end when its input ends.
//!
//! Input: one flag byte, then messages separated by `0x1E` (each framed here with its exact
//! `Content-Length`, so mutations reach the JSON), or, with flag bit 2, raw bytes given to the
//! server as they are (framing included).
//! Flags: bit 0 — start with `initialize` + `initialized` + `didOpen` of `file:///f.txt`;
//! bit 1 — the client offers UTF-8 positions; bit 3 — the client pulls diagnostics.
//! Every session ends with a `textDocument/diagnostic` request for `file:///f.txt`, which waits
//! for the documents thread to take in every earlier message.
#![no_main]

use libfuzzer_sys::fuzz_target;

const REPORT: &str = "某某局2024年政府信息公开工作年度报告\n一、总体情况\n𠀀本年度……\n\
二、主动公开政府信息情况\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t0\t0\t0\n\
三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n";

thread_local! {
    static RUNTIME: tokio::runtime::Runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("tokio runtime: {e}"));
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let mut input = Vec::new();
    if flags & 1 != 0 {
        let mut caps = serde_json_caps(flags);
        caps.insert_str(
            0,
            r#"{"jsonrpc":"2.0","id":"init","method":"initialize","params":{"capabilities":"#,
        );
        caps.push_str("}}");
        frame(&mut input, caps.as_bytes());
        frame(
            &mut input,
            br#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
        );
        let open = format!(
            r#"{{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{{"textDocument":{{"uri":"file:///f.txt","languageId":"nianbao","version":1,"text":{}}}}}}}"#,
            quote(REPORT)
        );
        frame(&mut input, open.as_bytes());
    }
    if flags & 4 != 0 {
        input.extend_from_slice(rest);
    } else {
        for message in rest.split(|&b| b == 0x1E) {
            frame(&mut input, message);
        }
    }
    frame(
        &mut input,
        br#"{"jsonrpc":"2.0","id":"last","method":"textDocument/diagnostic","params":{"textDocument":{"uri":"file:///f.txt"}}}"#,
    );
    RUNTIME.with(|rt| {
        rt.block_on(nianbao::lsp::serve(&input[..], tokio::io::sink()));
    });
});

fn serde_json_caps(flags: u8) -> String {
    let encodings = if flags & 2 != 0 {
        r#"["utf-8","utf-16"]"#
    } else {
        r#"["utf-16"]"#
    };
    let pull = if flags & 8 != 0 {
        r#","textDocument":{"diagnostic":{}},"workspace":{"diagnostics":{"refreshSupport":true}}"#
    } else {
        ""
    };
    format!(r#"{{"general":{{"positionEncodings":{encodings}}}{pull}}}"#)
}

fn frame(out: &mut Vec<u8>, body: &[u8]) {
    out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
    out.extend_from_slice(body);
}

/// A JSON string literal.
fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
