//! Starting `cognito-emulator` and turning its stdout contract (DEVELOPERS.md) into the JSON the
//! browser tests and the demo page read.

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};

use crate::process::{ServerGuard, logs_dir, tail};
use crate::{Error, Result, root, target_dir};

/// One `pool KEY POOL_ID client CLIENT_KEY CLIENT_ID [secret]` line.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientLine {
    pub pool_key: String,
    pub pool_id: String,
    pub client_key: String,
    pub client_id: String,
    pub client_secret: Option<String>,
}

// Hand-written so a client secret never reaches a log through `{:?}`.
impl std::fmt::Debug for ClientLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientLine")
            .field("pool_key", &self.pool_key)
            .field("pool_id", &self.pool_id)
            .field("client_key", &self.client_key)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// What the emulator announced before `ready`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Announcement {
    pub endpoint: String,
    pub clients: Vec<ClientLine>,
}

impl Announcement {
    /// Feeds one stdout line; returns true on `ready`.
    pub fn feed(&mut self, line: &str) -> Result<bool> {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["endpoint", url] => {
                self.endpoint = (*url).to_string();
                Ok(false)
            }
            ["pool", pool_key, pool_id, "client", client_key, client_id, rest @ ..] if rest.len() <= 1 => {
                self.clients.push(ClientLine {
                    pool_key: (*pool_key).to_string(),
                    pool_id: (*pool_id).to_string(),
                    client_key: (*client_key).to_string(),
                    client_id: (*client_id).to_string(),
                    client_secret: rest.first().map(|s| (*s).to_string()),
                });
                Ok(false)
            }
            ["ready"] if self.endpoint.is_empty() => {
                Err(Error::new("the emulator said `ready` before printing its endpoint"))
            }
            ["ready"] => Ok(true),
            // Anything else (a log line that slipped onto stdout) is not part of the contract.
            _ => Ok(false),
        }
    }

    /// `COGNITO_TEST_CONFIG` as DEVELOPERS.md specifies it.
    pub fn test_config(&self, backend: &str) -> Value {
        let mut pools = Map::new();
        for c in &self.clients {
            let pool = pools.entry(c.pool_key.clone()).or_insert_with(|| json!({ "poolId": c.pool_id, "clients": {} }));
            let mut client = json!({ "clientId": c.client_id });
            if let (Some(secret), Some(obj)) = (&c.client_secret, client.as_object_mut()) {
                obj.insert("clientSecret".into(), json!(secret));
            }
            if let Some(clients) = pool.get_mut("clients").and_then(Value::as_object_mut) {
                clients.insert(c.client_key.clone(), client);
            }
        }
        json!({ "backend": backend, "endpoint": self.endpoint, "pools": pools })
    }
}

/// A running emulator; dropping it stops the process.
pub struct Emulator {
    pub guard: ServerGuard,
    pub announced: Announcement,
    pub log: std::path::PathBuf,
}

/// `cargo build -p cognito-emulator`, shown to the user.
pub fn build() -> Result<()> {
    println!("$ cargo build -p cognito-emulator");
    let status = Command::new("cargo")
        .args(["build", "-p", "cognito-emulator", "--bin", "cognito-emulator"])
        .current_dir(root())
        .status()?;
    if status.success() {
        Ok(())
    } else {
        Err(Error::new(format!("cargo build -p cognito-emulator failed ({status})")))
    }
}

/// Starts the (already built) emulator and waits for `ready`. `port` 0 lets it choose.
pub fn start(seed: &Path, port: u16, log_name: &str) -> Result<Emulator> {
    if !seed.exists() {
        return Err(Error::new(format!("seed file {} does not exist yet", seed.display())));
    }
    let binary = target_dir().join("debug/cognito-emulator");
    let log = logs_dir()?.join(format!("{log_name}.log"));
    let stderr = File::create(&log)?;
    let mut child = Command::new(&binary)
        .arg("--port")
        .arg(port.to_string())
        .arg("--seed")
        .arg(seed)
        .current_dir(root())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(stderr.try_clone()?)
        .spawn()
        .map_err(|e| Error::new(format!("cannot start {}: {e}", binary.display())))?;
    let stdout = child.stdout.take();
    let mut guard = ServerGuard::new(format!("cognito-emulator ({log_name})"), child);
    let Some(stdout) = stdout else {
        return Err(Error::new("emulator stdout was not captured"));
    };

    // A thread reads stdout for good: the startup lines go to us, the rest to the log, so the
    // pipe never fills up and blocks the emulator.
    let (tx, rx) = mpsc::channel::<String>();
    std::thread::spawn(move || {
        let mut log = stderr;
        let mut to_caller = Some(tx);
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            match &to_caller {
                Some(tx) if line.trim() == "ready" => {
                    let _ = tx.send(line);
                    to_caller = None;
                }
                Some(tx) => {
                    let _ = tx.send(line);
                }
                None => {
                    let _ = writeln!(log, "{line}");
                }
            }
        }
    });

    let mut announced = Announcement::default();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left.min(Duration::from_millis(200))) {
            Ok(line) => {
                if announced.feed(&line)? {
                    break;
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if let Some(status) = guard.exited() {
                    return Err(Error::new(format!(
                        "the emulator exited before `ready` ({status}); {}:\n{}",
                        log.display(),
                        tail(&log, 20)
                    )));
                }
                if left.is_zero() {
                    return Err(Error::new(format!(
                        "the emulator printed no `ready` within 30 s; see {}",
                        log.display()
                    )));
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                let _ = guard.exited();
                return Err(Error::new(format!(
                    "the emulator closed stdout before `ready`; {}:\n{}",
                    log.display(),
                    tail(&log, 20)
                )));
            }
        }
    }
    Ok(Emulator { guard, announced, log })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn sample() -> Announcement {
        let mut a = Announcement::default();
        for line in [
            "endpoint http://127.0.0.1:41234/",
            "pool optional us-east-1_TestOpt01 client web abcdefghijklmnopqrstuvwxyz",
            "pool optional us-east-1_TestOpt01 client secret bcdefghijklmnopqrstuvwxyza s3cr3t",
            "pool required us-east-1_TestReq01 client web cdefghijklmnopqrstuvwxyzab",
        ] {
            assert!(!a.feed(line).unwrap());
        }
        assert!(a.feed("ready").unwrap());
        a
    }

    #[test]
    fn parses_the_startup_contract() {
        let a = sample();
        assert_eq!(a.clients.len(), 3);
        assert_eq!(a.clients[1].client_secret.as_deref(), Some("s3cr3t"));
        assert_eq!(a.clients[0].client_secret, None);
    }

    #[test]
    fn builds_the_browser_test_config() {
        let config = sample().test_config("emulator");
        assert_eq!(
            config,
            json!({
                "backend": "emulator",
                "endpoint": "http://127.0.0.1:41234/",
                "pools": {
                    "optional": { "poolId": "us-east-1_TestOpt01", "clients": {
                        "web": { "clientId": "abcdefghijklmnopqrstuvwxyz" },
                        "secret": { "clientId": "bcdefghijklmnopqrstuvwxyza", "clientSecret": "s3cr3t" } } },
                    "required": { "poolId": "us-east-1_TestReq01", "clients": {
                        "web": { "clientId": "cdefghijklmnopqrstuvwxyzab" } } }
                }
            })
        );
    }

    #[test]
    fn ready_without_endpoint_is_an_error() {
        assert!(Announcement::default().feed("ready").is_err());
    }

    #[test]
    fn debug_hides_the_client_secret() {
        let shown = format!("{:?}", sample());
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert!(shown.contains("<redacted>"));
    }
}
