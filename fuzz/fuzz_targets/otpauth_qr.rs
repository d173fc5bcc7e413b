//! Arbitrary strings and options into `otpauth_uri` and `qr_svg`.
//! Properties: never a panic; a URI starts with `otpauth://totp/`, carries the normalised secret and
//! no raw separator from the label; an SVG is one document — starts with `<svg`, ends with `</svg>`,
//! exactly one `<path`, one `<title>`, every `<` opens a known tag (so the title cannot inject markup),
//! and quotes balance inside tags.
#![no_main]

use cognito_totp::core::otpauth::otpauth_uri;
use cognito_totp::core::qr::{Ecc, QrError, SvgOptions, qr_svg};
use libfuzzer_sys::fuzz_target;

const TAGS: &[&str] = &["<svg ", "<title ", "</title>", "<rect ", "<path ", "</svg>"];

fn check_svg(svg: &str, title: &str) {
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""), "does not start with <svg");
    assert!(svg.ends_with("</svg>"));
    assert_eq!(svg.matches("<path").count(), 1, "not exactly one <path>");
    assert_eq!(svg.matches("<title").count(), 1);
    for (i, _) in svg.match_indices('<') {
        let rest = svg.get(i..).unwrap_or_default();
        assert!(TAGS.iter().any(|t| rest.starts_with(t)), "unexpected markup at byte {i}");
    }
    // Inside each tag the attribute quotes pair up; `>` never appears inside a value.
    let mut in_tag = false;
    let mut quotes = 0usize;
    for c in svg.chars() {
        match c {
            '<' => {
                assert!(!in_tag, "nested <");
                in_tag = true;
                quotes = 0;
            }
            '"' if in_tag => quotes += 1,
            '>' if in_tag => {
                assert_eq!(quotes % 2, 0, "unbalanced quotes in a tag");
                in_tag = false;
            }
            _ => {}
        }
    }
    assert!(!in_tag);
    // The title text is escaped: the raw title only appears verbatim when it has nothing to escape.
    let needs_escape =
        title.chars().any(|c| matches!(c, '<' | '>' | '&' | '"' | '\'') || (c.is_control() && c != '\t' && c != '\n'));
    if needs_escape {
        assert!(!svg.contains(&format!(">{title}</title>")), "title not escaped");
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&opts, rest)) = data.split_first() else { return };
    let text = String::from_utf8_lossy(rest);
    // Fields separated by 0x1f (unit separator): secret, issuer, account, dark, light, title.
    let mut fields = text.split('\u{1f}');
    let secret = fields.next().unwrap_or_default();
    let issuer = fields.next().unwrap_or_default();
    let account = fields.next().unwrap_or_default();
    let dark = fields.next();
    let light = fields.next();
    let title = fields.next();

    let uri = otpauth_uri(secret, issuer, account);
    if let Ok(uri) = &uri {
        assert!(uri.starts_with("otpauth://totp/"));
        let (label, query) = uri.trim_start_matches("otpauth://totp/").split_once('?').unwrap_or(("", ""));
        assert!(!label.is_empty());
        assert!(!label.contains(['?', '#', '&', '/', ' ']), "unencoded separator in the label");
        assert!(query.starts_with("secret="));
        assert!(uri.is_ascii(), "the URI must be percent-encoded ASCII");
        let secret_param = query.trim_start_matches("secret=").split('&').next().unwrap_or_default();
        assert!(
            !secret_param.is_empty()
                && secret_param.bytes().all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b))
        );
        assert_eq!(query.contains("&issuer="), !issuer.is_empty());
    }

    let options = SvgOptions {
        ecc: match opts % 4 {
            0 => Ecc::Low,
            1 => Ecc::Medium,
            2 => Ecc::Quartile,
            _ => Ecc::High,
        },
        // Mostly small borders, sometimes extreme ones (the viewBox arithmetic must not overflow).
        border: match (opts >> 2) % 4 {
            0 => u32::from(opts >> 4),
            1 => u32::MAX - u32::from(opts >> 4),
            _ => 4,
        },
        dark: dark.unwrap_or("#000").to_owned(),
        light: light.unwrap_or("white").to_owned(),
        title: title.map(str::to_owned),
    };
    // Encode the URI when there is one (the real use), otherwise the raw text.
    let input = uri.as_deref().unwrap_or(&text);
    match qr_svg(input, &options) {
        Ok(svg) => check_svg(&svg, options.title.as_deref().unwrap_or("QR code")),
        Err(QrError::DataTooLong) => assert!(input.len() > 1000, "{} bytes refused as too long", input.len()),
        Err(QrError::InvalidColor(which)) => assert!(which == "dark" || which == "light"),
        Err(_) => {}
    }
});
