//! `cargo xtask demo`: build the package for the web, start the emulator with the demo seed (or use
//! a real user pool), and serve www/ with `/config.json` until Ctrl-C.

use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use serde_json::{Value, json};

use crate::emulator::{self, Announcement};
use crate::process::port_is_free;
use crate::serve;
use crate::{Error, Result, install, root};

struct Options {
    port: u16,
    emulator_port: u16,
    build: bool,
}

fn parse_port(flag: &str, value: Option<&String>) -> Result<u16> {
    value.and_then(|v| v.parse().ok()).ok_or_else(|| Error::new(format!("{flag} needs a port number")))
}

fn parse(args: &[String]) -> Result<Options> {
    let mut o = Options { port: 8080, emulator_port: 9229, build: true };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--port" => o.port = parse_port("--port", it.next())?,
            "--emulator-port" => o.emulator_port = parse_port("--emulator-port", it.next())?,
            "--no-build" => o.build = false,
            other => return Err(Error::new(format!("unknown demo option `{other}`"))),
        }
    }
    Ok(o)
}

/// The web package (see `package::build_package`) into www/pkg, which the page imports
/// as `./pkg/cognito_totp.js` (shared with the e2e stage).
pub fn build_web_package() -> Result<()> {
    crate::package::build_package(&root().join("www/pkg"), crate::package::PkgTarget::Web, &[])
}

/// The label a person sees for a pool, from its MFA setting.
fn pool_label(pool: &Value) -> String {
    match pool.get("mfa").and_then(Value::as_str) {
        Some("ON") => "MFA required".into(),
        Some("OPTIONAL") => "MFA optional".into(),
        Some("OFF") => "No MFA".into(),
        _ => pool.get("name").and_then(Value::as_str).unwrap_or("user pool").to_string(),
    }
}

fn user_note(pool: &Value, user: &Value) -> String {
    if let Some(note) = user.get("note").and_then(Value::as_str) {
        return note.to_string();
    }
    if user.get("status").and_then(Value::as_str) == Some("FORCE_CHANGE_PASSWORD") {
        return "temporary password: you choose a new one".into();
    }
    if user.get("totpSecret").and_then(Value::as_str).is_some() {
        return "TOTP enrolled".into();
    }
    if pool.get("mfa").and_then(Value::as_str) == Some("ON") {
        return "must set up TOTP at first sign-in".into();
    }
    "no MFA yet".into()
}

/// The sign-in password a person types: the temporary one for FORCE_CHANGE_PASSWORD users.
fn user_password(user: &Value) -> Option<&str> {
    user.get("temporaryPassword").and_then(Value::as_str).or_else(|| user.get("password").and_then(Value::as_str))
}

/// The demo page's `/config.json` for the emulator (DEVELOPERS.md "Demo page configuration").
pub fn emulator_config(seed: &Value, announced: &Announcement) -> Value {
    let mut pools = Vec::new();
    let mut users = Vec::new();
    for pool in seed.get("pools").and_then(Value::as_array).into_iter().flatten() {
        let Some(key) = pool.get("key").and_then(Value::as_str) else {
            continue;
        };
        let mine: Vec<_> = announced.clients.iter().filter(|c| c.pool_key == key).collect();
        // The page is a public client: prefer the `web` client, never one with a secret.
        let client =
            mine.iter().find(|c| c.client_key == "web").or_else(|| mine.iter().find(|c| c.client_secret.is_none()));
        let Some(client) = client else { continue };
        pools.push(json!({
            "key": key, "label": pool_label(pool), "poolId": client.pool_id, "clientId": client.client_id,
        }));
        for user in pool.get("users").and_then(Value::as_array).into_iter().flatten() {
            let (Some(username), Some(password)) = (user.get("username").and_then(Value::as_str), user_password(user))
            else {
                continue;
            };
            users.push(
                json!({ "pool": key, "username": username, "password": password, "note": user_note(pool, user) }),
            );
        }
    }
    json!({ "endpoint": announced.endpoint, "emulator": true, "pools": pools, "users": users })
}

/// The region part of a pool id such as `eu-west-1_AbCdEf123`.
fn region_of(pool_id: &str) -> Option<&str> {
    pool_id.split_once('_').map(|(r, _)| r).filter(|r| !r.is_empty())
}

pub fn real_pool_config(pool_id: &str, client_id: &str, endpoint: Option<&str>) -> Result<Value> {
    let endpoint = match endpoint {
        Some(e) if !e.is_empty() => {
            if e.ends_with('/') {
                e.to_string()
            } else {
                format!("{e}/")
            }
        }
        _ => {
            let region = region_of(pool_id).ok_or_else(|| {
                Error::new(format!("COGNITO_USER_POOL_ID {pool_id:?} is not REGION_ID; set COGNITO_ENDPOINT"))
            })?;
            format!("https://cognito-idp.{region}.amazonaws.com/")
        }
    };
    Ok(json!({
        "endpoint": endpoint, "emulator": false,
        "pools": [{ "key": "real", "label": "Your user pool", "poolId": pool_id, "clientId": client_id }],
    }))
}

fn grouped(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join(" ")
}

fn print_users(seed: &Value, config: &Value) {
    println!("Demo users:");
    for user in config.get("users").and_then(Value::as_array).into_iter().flatten() {
        let field = |k: &str| user.get(k).and_then(Value::as_str).unwrap_or("");
        println!(
            "  pool {:<9} user {:<10} password {:<22} {}",
            field("pool"),
            field("username"),
            field("password"),
            field("note")
        );
    }
    for pool in seed.get("pools").and_then(Value::as_array).into_iter().flatten() {
        for user in pool.get("users").and_then(Value::as_array).into_iter().flatten() {
            if let (Some(name), Some(secret)) =
                (user.get("username").and_then(Value::as_str), user.get("totpSecret").and_then(Value::as_str))
            {
                println!("TOTP secret of {name} (add it to an authenticator app): {}", grouped(secret));
            }
        }
    }
}

pub fn run(args: &[String]) -> Result<ExitCode> {
    let options = parse(args)?;
    if !port_is_free(options.port) {
        return Err(Error::new(format!("port {} is busy (another demo?); stop it or pass --port N", options.port)));
    }
    if options.build {
        install::for_demo()?;
        build_web_package()?;
    } else if !root().join("www/pkg/cognito_totp.js").exists() {
        return Err(Error::new("www/pkg is not built; run without --no-build"));
    }

    let real = (std::env::var("COGNITO_USER_POOL_ID"), std::env::var("COGNITO_CLIENT_ID"));
    let (config, emulator) = if let (Ok(pool_id), Ok(client_id)) = real {
        let endpoint = std::env::var("COGNITO_ENDPOINT").ok();
        (real_pool_config(&pool_id, &client_id, endpoint.as_deref())?, None)
    } else {
        // A fixed port keeps the URL people paste into tools stable, so a busy one is an error.
        if options.emulator_port != 0 && !port_is_free(options.emulator_port) {
            return Err(Error::new(format!(
                "emulator port {} is busy (another demo?); stop it or pass --emulator-port 0",
                options.emulator_port
            )));
        }
        let seed_path = root().join("emulator/seed/demo.json");
        let seed = read_seed(&seed_path)?;
        emulator::build()?;
        let emu = emulator::start(&seed_path, options.emulator_port, "demo-emulator")?;
        let config = emulator_config(&seed, &emu.announced);
        print_users(&seed, &config);
        println!("Emulator log: {}", emu.log.display());
        (config, Some(emu))
    };
    let endpoint = config.get("endpoint").and_then(Value::as_str).unwrap_or("").to_string();
    let app = serve::app(root().join("www"), config.to_string(), &endpoint)?;
    println!("Cognito endpoint: {endpoint}");
    println!("Demo page: http://127.0.0.1:{}/  (Ctrl-C stops everything)", options.port);
    serve_until_ctrl_c(app, options.port, emulator)
}

fn serve_until_ctrl_c(app: axum::Router, port: u16, mut emulator: Option<emulator::Emulator>) -> Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let code = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        let emulator_died = async {
            loop {
                tokio::time::sleep(Duration::from_millis(500)).await;
                if let Some(status) = emulator.as_mut().and_then(|e| e.guard.exited()) {
                    return status;
                }
            }
        };
        tokio::select! {
            r = serve::serve(listener, app) => r.map(|()| ExitCode::SUCCESS),
            _ = tokio::signal::ctrl_c() => {
                println!("\nstopping");
                Ok(ExitCode::SUCCESS)
            }
            status = emulator_died => {
                eprintln!("the emulator stopped ({status}); see target/logs/demo-emulator.log");
                Ok(ExitCode::FAILURE)
            }
        }
    });
    // Dropping the guard kills the emulator whether we stop on Ctrl-C or on an error.
    drop(emulator);
    code
}

/// Shared with the e2e stage: the seed as JSON.
pub fn read_seed(path: &Path) -> Result<Value> {
    crate::package::read_json(path)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn emulator_config_follows_the_contract() {
        let seed = json!({ "pools": [
            { "key": "optional", "mfa": "OPTIONAL", "users": [
                { "username": "alice", "password": "Alice-pass-1", "status": "CONFIRMED" },
                { "username": "bob", "password": "Bob-pass-1", "totpSecret": "JBSWY3DPEHPK3PXP" },
                { "username": "carol", "password": "ignored", "status": "FORCE_CHANGE_PASSWORD", "temporaryPassword": "Temp-pass-1" } ] },
            { "key": "required", "mfa": "ON", "users": [ { "username": "dave", "password": "Dave-pass-1" } ] } ] });
        let mut a = Announcement::default();
        for line in [
            "endpoint http://127.0.0.1:9229/",
            "pool optional eu-west-1_Opt client secret aaaaaaaaaaaaaaaaaaaaaaaaaa s3cr3t",
            "pool optional eu-west-1_Opt client web bbbbbbbbbbbbbbbbbbbbbbbbbb",
            "pool required eu-west-1_Req client web cccccccccccccccccccccccccc",
            "ready",
        ] {
            a.feed(line).unwrap();
        }
        let config = emulator_config(&seed, &a);
        assert_eq!(config["endpoint"], "http://127.0.0.1:9229/");
        assert_eq!(config["emulator"], true);
        assert_eq!(
            config["pools"],
            json!([
                { "key": "optional", "label": "MFA optional", "poolId": "eu-west-1_Opt", "clientId": "bbbbbbbbbbbbbbbbbbbbbbbbbb" },
                { "key": "required", "label": "MFA required", "poolId": "eu-west-1_Req", "clientId": "cccccccccccccccccccccccccc" },
            ])
        );
        let users = config["users"].as_array().unwrap();
        assert_eq!(users.len(), 4);
        assert_eq!(
            users[0],
            json!({ "pool": "optional", "username": "alice", "password": "Alice-pass-1", "note": "no MFA yet" })
        );
        assert_eq!(users[1]["note"], "TOTP enrolled");
        assert_eq!(users[2]["password"], "Temp-pass-1");
        assert_eq!(users[3]["note"], "must set up TOTP at first sign-in");
        assert!(!config.to_string().contains("s3cr3t"));
    }

    #[test]
    fn real_pool_endpoint_comes_from_the_region_unless_given() {
        let c = real_pool_config("eu-west-1_AbC123", "client", None).unwrap();
        assert_eq!(c["endpoint"], "https://cognito-idp.eu-west-1.amazonaws.com/");
        assert_eq!(c["emulator"], false);
        assert!(c.get("users").is_none());
        assert_eq!(c["pools"][0]["poolId"], "eu-west-1_AbC123");
        let c = real_pool_config("eu-west-1_AbC123", "client", Some("http://127.0.0.1:4566")).unwrap();
        assert_eq!(c["endpoint"], "http://127.0.0.1:4566/");
        assert!(real_pool_config("nounderscore", "client", None).is_err());
    }

    #[test]
    fn secrets_print_in_groups_of_four() {
        assert_eq!(grouped("JBSWY3DPEHPK3PXP"), "JBSW Y3DP EHPK 3PXP");
    }
}
