//! `nianbao check https://…`: fetching the pages whose addresses the user gave — never any
//! other (links in a page are not followed). A small blocking client (ureq, rustls): redirects
//! followed (at most 5), a time limit per page, a size cap, an honest User-Agent, and at most
//! two requests at a time to one host, so that checking a portal's hundred reports does not
//! hammer it. Each address that fails gets its own error; the others are still checked.

use std::collections::HashMap;
use std::sync::{Condvar, Mutex};
use std::time::Duration;

/// The largest page fetched.
pub const MAX_PAGE_BYTES: u64 = nianbao::html::MAX_PAGE_BYTES as u64;
/// Requests at a time to one host.
const PER_HOST: usize = 2;
const MAX_REDIRECTS: u32 = 5;

/// Whether a command-line argument is a web address rather than a path.
pub fn is_address(arg: &str) -> bool {
    let lower = arg.get(..8).unwrap_or(arg).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// A fetched page: its bytes and the charset its server declared.
pub struct Fetched {
    pub bytes: Vec<u8>,
    pub charset: Option<String>,
}

/// The client, shared by the threads that check addresses.
pub struct Fetcher {
    agent: ureq::Agent,
    timeout: Duration,
    busy: Mutex<HashMap<String, usize>>,
    freed: Condvar,
}

impl Fetcher {
    pub fn new(timeout: Duration) -> Self {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .max_redirects(MAX_REDIRECTS)
            .http_status_as_error(false)
            // ASCII only: a header value may hold nothing else.
            .user_agent(concat!(
                "nianbao/",
                env!("CARGO_PKG_VERSION"),
                " (annual-report checker; fetches only the addresses its user gives)"
            ))
            .build()
            .into();
        Self {
            agent,
            timeout,
            busy: Mutex::new(HashMap::new()),
            freed: Condvar::new(),
        }
    }

    /// Fetches `url`, or says in Chinese why it could not.
    pub fn get(&self, url: &str) -> Result<Fetched, String> {
        let _slot = self.slot(host(url));
        let mut response = self.agent.get(url).call().map_err(|e| self.reason(&e))?;
        let status = response.status();
        if !status.is_success() {
            return Err(format!(
                "网页无法获取：服务器返回 HTTP {}{}",
                status.as_u16(),
                status
                    .canonical_reason()
                    .map(|r| format!(" {r}"))
                    .unwrap_or_default()
            ));
        }
        let charset = response.body().charset().map(str::to_owned);
        let bytes = response
            .body_mut()
            .with_config()
            .limit(MAX_PAGE_BYTES)
            .read_to_vec()
            .map_err(|e| self.reason(&e))?;
        Ok(Fetched { bytes, charset })
    }

    fn reason(&self, e: &ureq::Error) -> String {
        use ureq::Error;
        match e {
            Error::Timeout(_) => format!("网页无法获取：{} 秒内没有取完", self.timeout.as_secs()),
            Error::HostNotFound => "网页无法获取：找不到主机（域名无法解析）".to_owned(),
            Error::ConnectionFailed => "网页无法获取：无法连接服务器".to_owned(),
            Error::TooManyRedirects => {
                format!("网页无法获取：重定向超过 {MAX_REDIRECTS} 次")
            }
            Error::BodyExceedsLimit(_) => format!(
                "网页超过 {} MB，不像年报，未读取",
                MAX_PAGE_BYTES / (1024 * 1024)
            ),
            Error::BadUri(_) => "网址无效".to_owned(),
            other => format!("网页无法获取（{other}）"),
        }
    }

    /// Waits until fewer than [`PER_HOST`] requests to `host` are running; the slot is given
    /// back when the guard is dropped.
    fn slot(&self, host: String) -> Slot<'_> {
        let mut busy = self.busy.lock().unwrap_or_else(|e| e.into_inner());
        while busy.get(&host).copied().unwrap_or(0) >= PER_HOST {
            busy = self.freed.wait(busy).unwrap_or_else(|e| e.into_inner());
        }
        *busy.entry(host.clone()).or_insert(0) += 1;
        Slot {
            fetcher: self,
            host,
        }
    }
}

struct Slot<'a> {
    fetcher: &'a Fetcher,
    host: String,
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        let mut busy = self.fetcher.busy.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = busy.get_mut(&self.host) {
            *n = n.saturating_sub(1);
        }
        self.fetcher.freed.notify_all();
    }
}

/// The host (and port) of an address, lowercase.
fn host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    host.to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_hosts() {
        assert!(is_address("https://www.gov.cn/a.html") && is_address("HTTP://x"));
        assert!(!is_address("reports/http.txt") && !is_address("http:/x"));
        assert_eq!(
            host("http://WWW.Shuyang.gov.cn/a/b.shtml?x=1"),
            "www.shuyang.gov.cn"
        );
        assert_eq!(host("http://127.0.0.1:8080#x"), "127.0.0.1:8080");
        assert_eq!(host("https://u:p@h.cn/"), "h.cn");
    }
}
