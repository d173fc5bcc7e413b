//! The sign-in and enrollment state machine (src/core/flow.rs) against a transport that answers every request
//! with fuzzer-chosen bytes. The input is split at 0xFF bytes (never part of UTF-8, so JSON in between survives
//! mutation): the first piece is a list of choices, each further piece one HTTP answer (its first byte: a status,
//! a cut connection or a timeout; the rest: the body). The driver follows whatever step comes back, or answers the
//! wrong one on purpose, for a few rounds, and calls the signed-in operations.
//!
//! Properties: never a panic; every call ends in a documented step or a typed error with a name and a message
//! that never shows the password; at most 3 tries per operation; the password in no request body.
#![no_main]

#[path = "../../tests/common/scripted.rs"]
mod scripted;

use cognito_totp::core::Error;
use cognito_totp::core::flow::{
    AssociateWith, Client, Config, Device, MfaKind, MfaPreference, Preference, RememberedStatus, Step,
};
use cognito_totp::core::input::ConfigInput;
use cognito_totp::core::secret::Password;
use cognito_totp::core::transport::MAX_ATTEMPTS;
use cognito_totp::core::wire::Loose;
use libfuzzer_sys::fuzz_target;
use scripted::{FixedClock, FixedRandom, Reply, Scripted, run};
use serde_json::Value;

const PASSWORD: &str = "Fuzz-Passw0rd!sign-in";
const NEW_PASSWORD: &str = "Fuzz-New-Passw0rd!";
const DEVICE_PASSWORD: &str = "RnV6ei1kZXZpY2UtcGFzc3dvcmQtb2YtZm9ydHktYnl0ZXMh";

/// The members each step type may show (`type` aside).
fn documented(step: &Step) {
    let Value::Object(fields) = serde_json::to_value(step).unwrap_or_else(|e| panic!("a step did not serialise: {e}"))
    else {
        panic!("a step is not an object")
    };
    let kind = fields.get("type").and_then(Value::as_str).unwrap_or_else(|| panic!("no type: {fields:?}"));
    let allowed: &[&str] = match kind {
        "done" => &["tokens", "newDevice"],
        "totpCode" => &["friendlyDeviceName"],
        "mfaSetup" => &["canSetup"],
        "newPassword" => &["requiredAttributes", "userAttributes"],
        "selectMfa" => &["options"],
        "smsCode" | "emailCode" => &["destination"],
        other => panic!("undocumented step type {other}"),
    };
    for key in fields.keys() {
        assert!(key == "type" || allowed.contains(&key.as_str()), "{kind} shows {key}");
    }
    if let Step::SelectMfa { options, .. } = step {
        assert!(!options.is_empty(), "selectMfa without options");
    }
    let text = format!("{step:?}");
    assert!(!text.contains(PASSWORD), "Debug of a step shows the password");
    assert!(!text.contains(DEVICE_PASSWORD), "Debug of a step shows the device password");
}

fn check_error(e: &Error) {
    assert!(!e.name().is_empty(), "error without a name: {e:?}");
    assert!(!e.message().is_empty(), "error without a message: {e:?}");
    assert!(!e.message().contains(PASSWORD) && !e.message().contains(NEW_PASSWORD), "a password in a message");
    assert!(!e.message().contains(DEVICE_PASSWORD), "the device password in a message");
    if e.name() == "NetworkError" {
        assert!(e.retryable());
    }
}

struct Choices<'a> {
    bytes: &'a [u8],
    next: usize,
}

impl Choices<'_> {
    fn pick(&mut self) -> u8 {
        let b = self.bytes.get(self.next % self.bytes.len().max(1)).copied().unwrap_or(0);
        self.next += 1;
        b
    }
}

fn answer(piece: &[u8]) -> Reply {
    let Some((&kind, body)) = piece.split_first() else { return Reply::Timeout };
    let body = String::from_utf8_lossy(body).into_owned();
    match kind % 16 {
        0..=8 => Reply::Http(200, None, body),
        9 => Reply::Http(400, None, body),
        10 => Reply::Http(400, Some("TooManyRequestsException".into()), body),
        11 => Reply::Http(500, None, body),
        12 => Reply::Http(502, Some("x#ServiceUnavailable:y".into()), body),
        13 => Reply::Http(u16::from(kind), None, body),
        14 => Reply::Network,
        _ => Reply::Timeout,
    }
}

/// One client call: it ends, sends at most `ops` operations' worth of tries, and fails only with a typed error.
fn call<T>(script: &Scripted, ops: usize, f: impl Future<Output = Result<T, Error>>) -> Option<T> {
    let before = script.requests().len();
    let result = run(f);
    let sent = script.requests().len() - before;
    assert!(sent <= ops * MAX_ATTEMPTS as usize, "{sent} requests for {ops} operation(s)");
    result.map_err(|e| check_error(&e)).ok()
}

fn preference(c: u8) -> Option<Preference> {
    match c % 4 {
        0 => None,
        1 => Some(Preference::Preferred),
        2 => Some(Preference::Enabled),
        _ => Some(Preference::Disabled),
    }
}

fuzz_target!(|data: &[u8]| {
    let mut pieces = data.split(|&b| b == 0xff);
    let mut choices = Choices { bytes: pieces.next().unwrap_or_default(), next: 0 };
    let answers: Vec<Reply> = pieces.map(answer).collect();
    // More requests than answers: the rest are cut connections.
    let script = Scripted::new(answers.into_iter().chain(std::iter::repeat_n(Reply::Network, 256)).collect());

    let s = |v: &str| Loose::Str(v.into());
    let input = ConfigInput {
        user_pool_id: s("us-east-1_Fuzz01"),
        client_id: s("fuzzclient"),
        endpoint: s("http://127.0.0.1:9229/"),
        client_secret: if choices.pick() & 1 == 1 { s("fuzz-client-secret") } else { Loose::Missing },
        timeout_ms: Loose::Missing,
    };
    let config = Config::from_input(&input).unwrap_or_else(|e| panic!("a valid configuration was refused: {e}"));
    let clock = FixedClock { now: 1_748_934_306, log: script.clone() };
    let client = Client::new(config, script.clone(), clock, FixedRandom::new(Vec::new()));
    let password = Password::new(PASSWORD.into());
    let new_password = Password::new(NEW_PASSWORD.into());
    if choices.pick() & 1 == 1 {
        client.prepare().unwrap_or_else(|e| panic!("prepare failed: {e}"));
    }

    let device = Device::new("us-east-1_fuzz-device".into(), "-fuzzGroup".into(), Password::new(DEVICE_PASSWORD.into()))
        .unwrap_or_else(|e| panic!("a valid device was refused: {e}"));
    let mut step = if choices.pick() & 1 == 1 {
        // Through a device: at most one proof per sign-in and one fresh sign-in after a forgotten device.
        call(&script, 6, client.sign_in_on_device(Some("fuzz-user"), Some(&password), &device)).map(|(step, notice)| {
            if let Some(notice) = notice {
                check_error(&notice);
                assert_eq!(notice.name(), "ResourceNotFoundException");
            }
            step
        })
    } else {
        call(&script, 2, client.sign_in(Some("fuzz-user"), Some(&password)))
    };
    for _ in 0..4 {
        let Some(current) = step.take() else { break };
        documented(&current);
        if let Step::Done { new_device: Some(new_device), .. } = &current {
            let remember = choices.pick() & 1 == 1;
            if let Some(kept) = call(&script, 2, client.remember_device(Some("t"), new_device, Some("fuzz"), remember)) {
                assert_eq!((kept.key(), kept.group_key()), (new_device.key.as_str(), new_device.group_key.as_str()));
                assert!(!format!("{kept:?}").contains(kept.password().as_str()), "Debug shows a device password");
            }
        }
        let Some(challenge) = current.challenge().cloned() else { break };
        let code = if choices.pick() & 3 == 0 { "12345" } else { "123456" };
        step = match (choices.pick() % 8, &current) {
            // Now and then the wrong answer for the step: refused locally, nothing sent.
            (0, _) => call(&script, 1, client.confirm_totp(&challenge, code)),
            (1, _) => call(&script, 1, client.confirm_code(&challenge, code)),
            (_, Step::TotpCode { .. }) => call(&script, 1, client.confirm_totp(&challenge, code)),
            (_, Step::SmsCode { .. } | Step::EmailCode { .. }) => call(&script, 1, client.confirm_code(&challenge, code)),
            (_, Step::SelectMfa { options, .. }) => {
                let kind = options.get(usize::from(choices.pick()) % options.len()).copied().unwrap_or(MfaKind::Totp);
                call(&script, 1, client.select_mfa(&challenge, kind))
            }
            (_, Step::NewPassword { required_attributes, .. }) => {
                let attributes: Vec<(String, String)> =
                    required_attributes.iter().map(|a| (a.clone(), "fuzz".to_string())).collect();
                call(&script, 1, client.complete_new_password(&challenge, Some(&new_password), &attributes))
            }
            (_, Step::MfaSetup { .. }) => {
                let setup = call(&script, 1, client.associate_totp(AssociateWith::Challenge(&challenge)));
                setup.and_then(|setup| {
                    assert!(!setup.secret().is_empty(), "an empty secret accepted");
                    call(&script, 2, client.verify_totp(&setup, "123456", Some("fuzz"))).flatten()
                })
            }
            _ => None,
        };
    }

    let token = "fuzz-access-token";
    if let Some(setup) = call(&script, 1, client.associate_totp(AssociateWith::AccessToken(token))) {
        let verified = call(&script, 1, client.verify_totp(&setup, "123456", None));
        assert!(verified.is_none_or(|next| next.is_none()), "an access-token setup continued a sign-in");
    }
    let preference = MfaPreference {
        totp: preference(choices.pick()),
        sms: preference(choices.pick()),
        email: preference(choices.pick()),
    };
    call(&script, 1, client.set_mfa_preference(Some(token), preference));
    if let Some(user) = call(&script, 1, client.get_user(Some(token))) {
        assert!(user.mfa.preferred.as_deref() != Some(""), "an empty preferred factor");
    }
    call(&script, 1, client.refresh(Some("fuzz-refresh-token"), Some("fuzz-user")));
    call(&script, 3, client.disable_totp(Some("fuzz-user"), Some(&password), Some(token)));
    call(&script, 1, client.global_sign_out(Some(token)));
    if let Some(page) = call(&script, 1, client.list_devices(Some(token), Some(60), Some("fuzz-page"))) {
        assert!(page.devices.iter().all(|d| !d.key.is_empty()), "a listed device without a key");
        assert!(page.pagination_token.as_deref() != Some(""), "an empty pagination token");
    }
    call(&script, 1, client.get_device(Some(token), Some(device.key())));
    call(&script, 1, client.update_device_status(Some(token), Some(device.key()), RememberedStatus::NotRemembered));
    call(&script, 1, client.forget_device(Some(token), Some(device.key())));
    call(&script, 1, client.revoke_token(Some("fuzz-refresh-token")));

    for request in script.requests() {
        assert!(!request.body.contains(PASSWORD), "{} carried the password", request.operation);
    }
});
