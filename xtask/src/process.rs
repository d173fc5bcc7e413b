//! Child processes: commands whose output is shown, logged and kept for parsing, and servers that
//! are killed when their guard drops (so a failing stage never leaves one behind).

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::{Error, Result, target_dir};

/// target/logs/, created on first use.
pub fn logs_dir() -> Result<PathBuf> {
    let dir = target_dir().join("logs");
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// A loopback port nothing listens on right now.
pub fn free_port() -> Result<u16> {
    let listener = TcpListener::bind(("127.0.0.1", 0))?;
    Ok(listener.local_addr()?.port())
}

pub fn port_is_free(port: u16) -> bool {
    TcpListener::bind(("127.0.0.1", port)).is_ok()
}

/// True when `GET http://127.0.0.1:port{path}` answers 2xx; enough for readiness probes without an
/// HTTP client dependency.
pub fn http_ok(port: u16, path: &str) -> bool {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 12];
    if stream.read_exact(&mut head).is_err() {
        return false;
    }
    head.starts_with(b"HTTP/1.") && head.get(9) == Some(&b'2')
}

/// The outcome of a command run by [`run_logged`].
pub struct Outcome {
    pub success: bool,
    /// stdout and stderr, interleaved as they arrived.
    pub output: String,
    pub summary: String,
}

/// Runs `cmd`, echoing its output live, writing it to `log`, and returning it for parsing.
/// The command is killed after `timeout`.
pub fn run_logged(cmd: &mut Command, log: &Path, timeout: Duration) -> Result<Outcome> {
    let shown = describe(cmd);
    println!("$ {shown}");
    let file = Arc::new(Mutex::new(File::create(log)?));
    let collected = Arc::new(Mutex::new(String::new()));
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Error::new(format!("cannot start `{shown}`: {e}")))?;
    let (done_tx, done_rx) = mpsc::channel::<()>();
    let mut readers = 0;
    if let Some(out) = child.stdout.take() {
        readers += 1;
        pump(out, false, Arc::clone(&file), Arc::clone(&collected), done_tx.clone());
    }
    if let Some(err) = child.stderr.take() {
        readers += 1;
        pump(err, true, Arc::clone(&file), Arc::clone(&collected), done_tx.clone());
    }
    drop(done_tx);
    let started = Instant::now();
    let (status, timed_out) = loop {
        if let Some(status) = child.try_wait()? {
            break (Some(status), false);
        }
        if started.elapsed() > timeout {
            let _ = child.kill();
            break (child.wait().ok(), true);
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    // A grandchild (a browser, a test worker) may still hold the pipes open; don't wait forever.
    for _ in 0..readers {
        if done_rx.recv_timeout(Duration::from_secs(10)).is_err() {
            break;
        }
    }
    let output = collected.lock().map(|s| s.clone()).unwrap_or_else(|e| e.into_inner().clone());
    let summary = match (&status, timed_out) {
        (_, true) => format!("timed out after {}s", timeout.as_secs()),
        (Some(s), false) => s.to_string(),
        (None, false) => "unknown exit status".to_string(),
    };
    let success = !timed_out && status.is_some_and(|s| s.success());
    Ok(Outcome { success, output, summary })
}

fn describe(cmd: &Command) -> String {
    let mut parts = vec![cmd.get_program().to_string_lossy().into_owned()];
    parts.extend(cmd.get_args().map(|a| a.to_string_lossy().into_owned()));
    parts.join(" ")
}

fn pump<R: Read + Send + 'static>(
    source: R,
    is_stderr: bool,
    file: Arc<Mutex<File>>,
    collected: Arc<Mutex<String>>,
    done: mpsc::Sender<()>,
) {
    std::thread::spawn(move || {
        let mut reader = BufReader::new(source);
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match reader.read_until(b'\n', &mut buf) {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
            let line = String::from_utf8_lossy(&buf);
            if is_stderr {
                eprint!("{line}");
            } else {
                print!("{line}");
            }
            if let Ok(mut f) = file.lock() {
                let _ = f.write_all(&buf);
            }
            if let Ok(mut c) = collected.lock() {
                c.push_str(&line);
            }
        }
        let _ = done.send(());
    });
}

/// A background server; dropping the guard stops it (SIGTERM, then SIGKILL after a grace period).
pub struct ServerGuard {
    name: String,
    child: Child,
}

impl ServerGuard {
    pub fn new(name: impl Into<String>, child: Child) -> Self {
        Self { name: name.into(), child }
    }

    /// `Some(status text)` once the server has exited on its own.
    pub fn exited(&mut self) -> Option<String> {
        self.child.try_wait().ok().flatten().map(|s| s.to_string())
    }
}

impl Drop for ServerGuard {
    fn drop(&mut self) {
        if self.exited().is_some() {
            return;
        }
        // SIGTERM first so servers can flush their logs and remove temporary state.
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).stderr(Stdio::null()).status();
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        eprintln!("[xtask] {} did not stop on SIGTERM; killing it", self.name);
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Last `n` lines of a log file, for error messages.
pub fn tail(path: &Path, n: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// Polls `ready` until it holds or `timeout` passes, failing early if the server exits.
pub fn wait_until(guard: &mut ServerGuard, timeout: Duration, mut ready: impl FnMut() -> bool) -> Result<()> {
    let deadline = Instant::now() + timeout;
    loop {
        if ready() {
            return Ok(());
        }
        if let Some(status) = guard.exited() {
            return Err(Error::new(format!("{} exited before it was ready ({status})", guard.name)));
        }
        if Instant::now() > deadline {
            return Err(Error::new(format!("{} was not ready after {}s", guard.name, timeout.as_secs())));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn run_logged_keeps_both_streams_and_the_exit_status() {
        let dir = std::env::temp_dir().join(format!("xtask-run-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let log = dir.join("out.log");
        let outcome = run_logged(
            Command::new("sh").args(["-c", "echo to-out; echo to-err >&2; exit 3"]),
            &log,
            Duration::from_secs(10),
        )
        .unwrap();
        assert!(!outcome.success);
        assert!(outcome.summary.contains('3'), "{}", outcome.summary);
        assert!(outcome.output.contains("to-out") && outcome.output.contains("to-err"));
        let logged = std::fs::read_to_string(&log).unwrap();
        assert!(logged.contains("to-out") && logged.contains("to-err"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn run_logged_kills_a_command_that_overruns() {
        let log = std::env::temp_dir().join(format!("xtask-timeout-{}.log", std::process::id()));
        let started = Instant::now();
        let outcome = run_logged(Command::new("sleep").arg("30"), &log, Duration::from_millis(300)).unwrap();
        assert!(!outcome.success);
        assert!(outcome.summary.contains("timed out"));
        assert!(started.elapsed() < Duration::from_secs(10));
        std::fs::remove_file(&log).unwrap();
    }

    #[test]
    fn dropping_the_guard_stops_the_server() {
        let child = Command::new("sleep").arg("60").spawn().unwrap();
        let pid = child.id();
        drop(ServerGuard::new("sleep", child));
        let alive = Command::new("kill").args(["-0", &pid.to_string()]).stderr(Stdio::null()).status().unwrap();
        assert!(!alive.success(), "process {pid} still running");
    }

    #[test]
    fn http_ok_sees_a_real_listener_and_not_a_closed_port() {
        let listener = TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = std::thread::spawn(move || {
            let (mut s, _) = listener.accept().unwrap();
            let mut buf = [0u8; 256];
            let _ = s.read(&mut buf).unwrap();
            s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").unwrap();
        });
        assert!(http_ok(port, "/health"));
        server.join().unwrap();
        assert!(!http_ok(free_port().unwrap(), "/"));
    }
}
