//! Arbitrary server values and user input into the synchronous SRP and TOTP functions: the password claim
//! (SALT, SRP_B, SECRET_BLOCK, names, password), TIMESTAMP, SECRET_HASH and TOTP.
//! Properties: never a panic; a claim is 44 characters of padded base64 (32 bytes) and depends only on its
//! inputs (the same inputs sign the same); SRP_B is refused as 0 mod N exactly when it is 0 or N;
//! a TOTP code is 6 ASCII digits.
#![no_main]

use std::sync::OnceLock;

use cognito_totp::core::secret::{Password, secret_hash};
use cognito_totp::core::srp::{N_HEX, SrpClient, SrpError};
use cognito_totp::core::timestamp::cognito_timestamp;
use cognito_totp::core::totp::totp_code;
use libfuzzer_sys::fuzz_target;

/// One fixed key for every run: A = g^a is the slow part and takes no input, the claim is what parses the
/// server's values.
fn key() -> &'static SrpClient {
    static KEY: OnceLock<SrpClient> = OnceLock::new();
    KEY.get_or_init(|| {
        let a: [u8; 128] = core::array::from_fn(|i| (i as u8).wrapping_mul(37).wrapping_add(11));
        SrpClient::new(&a).unwrap_or_else(|e| panic!("fixed a refused: {e}"))
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let text = String::from_utf8_lossy(rest);
    // Fields separated by 0x1f: pool name, user id, password, salt hex, B hex, SECRET_BLOCK.
    let mut f = text.split('\u{1f}');
    let mut next = || f.next().unwrap_or_default();
    let (pool, user, password, salt, b, block) = (next(), next(), next(), next(), next(), next());
    let unix = u64::from_le_bytes(core::array::from_fn(|i| rest.get(i).copied().unwrap_or(0))) >> (selector % 64);

    let timestamp = cognito_timestamp(unix);
    assert!(timestamp.contains(" UTC "), "{timestamp}");

    let pw = Password::new(password.to_owned());
    let claim = key().password_claim(pool, user, &pw, salt, b, block, &timestamp);
    match &claim {
        Ok(sig) => {
            assert_eq!(sig.len(), 44, "{sig}");
            assert!(sig.ends_with('=') && !sig.ends_with("=="));
            assert_eq!(key().password_claim(pool, user, &pw, salt, b, block, &timestamp).as_ref(), Ok(sig));
        }
        // B < 2^3072 < 2N, so the only multiples of N that parse are 0 and N itself.
        Err(SrpError::BadServerB) => {
            let digits = b.trim_start_matches('0');
            assert!(digits.is_empty() || digits.eq_ignore_ascii_case(N_HEX), "B refused: {b}");
        }
        Err(_) => {}
    }

    assert_eq!(secret_hash(password, user, pool).len(), 44);

    if let Ok(code) = totp_code(&text, unix) {
        assert!(code.len() == 6 && code.bytes().all(|c| c.is_ascii_digit()), "{code}");
    }
});
