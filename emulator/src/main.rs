//! `cognito-emulator`: parses flags, seeds or loads the state, binds, prints the contract lines, serves.

use clap::Parser;
use cognito_emulator::{AppState, Config, SystemClock, app, persist, seed, tokens};
use rand::SeedableRng;
use rand::rngs::StdRng;
use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

/// A local Amazon Cognito user-pool emulator (sign-in, every MFA challenge, TOTP enrollment).
///
/// On start it prints `endpoint URL`, then one `pool KEY POOL_ID client CLIENT_KEY CLIENT_ID [SECRET]` line
/// per app client, then `ready`. Dev endpoints for tests live under /_emulator/ (see emulator/README.md).
#[derive(Parser)]
#[command(name = "cognito-emulator", version)]
struct Cli {
    /// TCP port to listen on; 0 picks a free port (read the `endpoint` line to learn which).
    #[arg(long, default_value_t = 9229)]
    port: u16,
    /// Address to bind. Loopback only unless --allow-remote: the emulator has no real authentication,
    /// its dev endpoints expose one-time codes, and SigV4 is not checked.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// Permit a non-loopback --host (understand the above first).
    #[arg(long)]
    allow_remote: bool,
    /// Seed file (pools, app clients, users) applied when the state is empty, e.g. emulator/seed/demo.json.
    /// Without a seed the emulator starts with no pools; create them through the API (aws CLI, boto3).
    #[arg(long)]
    seed: Option<PathBuf>,
    /// Persist state to this JSON file (atomic temp-file + rename after every call) and reload it on
    /// restart, signing key included, so issued tokens stay valid. When the file exists the seed is ignored.
    #[arg(long)]
    state: Option<PathBuf>,
    /// Lifetime of an auth Session (challenge to response), in seconds.
    #[arg(long, default_value_t = 180)]
    session_ttl: i64,
    /// Consecutive wrong passwords before "Password attempts exceeded".
    #[arg(long, default_value_t = 5)]
    max_password_attempts: u32,
    /// Seed for the random number generator (SRP b, sessions, secrets, ids); random when absent.
    #[arg(long)]
    rng_seed: Option<u64>,
}

#[tokio::main]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("cognito-emulator: {e}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), String> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()))
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    if !cli.host.is_loopback() && !cli.allow_remote {
        return Err(format!("refusing to bind {} without --allow-remote (see --help)", cli.host));
    }
    if cli.session_ttl <= 0 || cli.max_password_attempts == 0 {
        return Err("--session-ttl and --max-password-attempts must be positive".into());
    }
    let listener = tokio::net::TcpListener::bind(SocketAddr::new(cli.host, cli.port))
        .await
        .map_err(|e| format!("cannot bind {}:{}: {e}", cli.host, cli.port))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let endpoint = format!("http://{addr}/");

    let mut rng = match cli.rng_seed {
        Some(s) => StdRng::seed_from_u64(s),
        None => StdRng::from_entropy(),
    };
    let loaded = match &cli.state {
        Some(path) => persist::load(path).map_err(|e| format!("cannot read state {}: {e}", path.display()))?,
        None => None,
    };
    let fresh = loaded.is_none();
    let db = loaded.unwrap_or_default();
    let key = match tokens::key_from_string(&db.signing_key) {
        Some(k) => k,
        None => rsa::RsaPrivateKey::new(&mut rng, 2048).map_err(|e| format!("cannot generate RSA key: {e}"))?,
    };
    let config = Config {
        session_ttl: cli.session_ttl,
        max_password_attempts: cli.max_password_attempts,
        issuer_base: endpoint.trim_end_matches('/').to_owned(),
        state_file: cli.state.clone(),
        ..Config::default()
    };
    let state = AppState::new(db, key, Arc::new(SystemClock), rng, config);
    state.store_key().map_err(|e| e.to_string())?;
    if fresh && let Some(path) = &cli.seed {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read seed {}: {e}", path.display()))?;
        let parsed = seed::parse(&text)?;
        seed::build(&state, &parsed)?;
    }
    if let Some(path) = &cli.state {
        state.save_to(path).map_err(|e| format!("cannot write state {}: {e}", path.display()))?;
    }

    let mut out = std::io::stdout().lock();
    let mut lines = vec![format!("endpoint {endpoint}")];
    lines.extend(state.pool_lines());
    lines.push("ready".into());
    for line in lines {
        writeln!(out, "{line}").map_err(|e| e.to_string())?;
    }
    out.flush().map_err(|e| e.to_string())?;
    drop(out);

    axum::serve(listener, app(state).into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown())
        .await
        .map_err(|e| e.to_string())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
