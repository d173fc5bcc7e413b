//! QR → SVG: golden files (regenerate with `UPDATE_GOLDEN=1`), structure checks, and a decode test that rasterises
//! the SVG (resvg) and reads it back with a real QR decoder (`zbarimg` from Debian's zbar-tools).
// Native only: the browser runs the same checks in tests/browser_unit.rs.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::process::Command;

use cognito_totp::core::otpauth::otpauth_uri;
use cognito_totp::core::qr::{Ecc, QrError, SvgOptions, qr_svg};

const SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

fn golden(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1 to create it)", path.display()));
    assert!(expected == actual, "{} differs from qr_svg output (UPDATE_GOLDEN=1 to accept):\n{actual}", path.display());
}

fn options_with_everything() -> SvgOptions {
    SvgOptions {
        ecc: Ecc::High,
        border: 6,
        dark: "#1a2b3c".into(),
        light: "white".into(),
        title: Some("Scan <me> & \"go\" 'now'".into()),
    }
}

#[test]
fn golden_default_options() {
    let uri = otpauth_uri(SECRET, "My App & Co", "alice@example.com").unwrap();
    golden("qr-otpauth-default.svg", &qr_svg(&uri, &SvgOptions::default()).unwrap());
}

#[test]
fn golden_all_options() {
    golden("qr-options.svg", &qr_svg("HELLO WORLD", &options_with_everything()).unwrap());
}

/// The module count of a QR symbol (21 + 4·(version − 1)) from the SVG's viewBox and the border.
fn view_extent(svg: &str) -> u32 {
    let start = svg.find("viewBox=\"0 0 ").unwrap() + "viewBox=\"0 0 ".len();
    let rest = &svg[start..];
    let w: u32 = rest[..rest.find(' ').unwrap()].parse().unwrap();
    let h: u32 = rest[rest.find(' ').unwrap() + 1..rest.find('"').unwrap()].parse().unwrap();
    assert_eq!(w, h);
    w
}

#[test]
fn structure_one_path_viewbox_background_and_accessible_title() {
    let svg = qr_svg("hello", &SvgOptions::default()).unwrap();
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.ends_with("</svg>"));
    assert_eq!(svg.matches("<path").count(), 1);
    assert_eq!(svg.matches("<rect").count(), 1);
    assert!(svg.contains("role=\"img\""));
    assert!(svg.contains("<title id=\""));
    let id_start = svg.find("aria-labelledby=\"").unwrap() + "aria-labelledby=\"".len();
    let id = &svg[id_start..id_start + svg[id_start..].find('"').unwrap()];
    assert!(svg.contains(&format!("<title id=\"{id}\">QR code</title>")), "{svg}");
    // Version 1 (21 modules) plus the 4-module quiet zone each side.
    assert_eq!(view_extent(&svg), 21 + 8);
    assert!(svg.contains("fill=\"#ffffff\"") && svg.contains("fill=\"#000000\""));
    // Nothing is drawn inside the quiet zone: every run starts at x ≥ 4 and y ≥ 4.
    let d = &svg[svg.find(" d=\"").unwrap() + 4..];
    for run in d[..d.find('"').unwrap()].split('M').skip(1) {
        let xy = run.split('h').next().unwrap();
        let (x, y) = xy.split_once(',').unwrap();
        let (x, y): (u32, u32) = (x.parse().unwrap(), y.parse().unwrap());
        assert!((4..25).contains(&x) && (4..25).contains(&y), "{run}");
    }
}

#[test]
fn border_below_four_is_raised_to_four_and_larger_borders_are_kept() {
    let with = |border| qr_svg("hello", &SvgOptions { border, ..SvgOptions::default() }).unwrap();
    assert_eq!(with(0), with(4));
    assert_eq!(with(3), with(4));
    assert_eq!(view_extent(&with(10)), 21 + 20);
}

#[test]
fn title_is_escaped_and_ids_follow_the_title() {
    let svg = qr_svg("x", &options_with_everything()).unwrap();
    assert!(
        svg.contains("<title id=\"") && svg.contains("\">Scan &lt;me&gt; &amp; &quot;go&quot; &apos;now&apos;</title>")
    );
    assert!(!svg.contains("<me>"));
    let a = qr_svg("x", &SvgOptions { title: Some("A".into()), ..SvgOptions::default() }).unwrap();
    let b = qr_svg("x", &SvgOptions { title: Some("B".into()), ..SvgOptions::default() }).unwrap();
    let id = |s: &str| {
        let start = s.find("<title id=\"").unwrap();
        s[start..start + s[start..].find("\">").unwrap()].to_owned()
    };
    assert_ne!(id(&a), id(&b));
    // The id must not depend on (and so not leak anything of) the encoded text.
    let a2 = qr_svg("another secret", &SvgOptions { title: Some("A".into()), ..SvgOptions::default() }).unwrap();
    assert_eq!(id(&a), id(&a2));
}

#[test]
fn colours_that_could_inject_markup_are_refused() {
    for bad in
        ["", "red\" onload=\"alert(1)", "#12345", "#1234567", "#ggg", "url(#x)", "RED", "rgb(0,0,0)", "red;", "a b"]
    {
        let dark = SvgOptions { dark: bad.into(), ..SvgOptions::default() };
        assert_eq!(qr_svg("x", &dark), Err(QrError::InvalidColor("dark")), "{bad:?}");
        let light = SvgOptions { light: bad.into(), ..SvgOptions::default() };
        assert_eq!(qr_svg("x", &light), Err(QrError::InvalidColor("light")), "{bad:?}");
    }
    for good in ["#abc", "#A0B1C2", "black", "rebeccapurple", "transparent"] {
        assert!(qr_svg("x", &SvgOptions { dark: good.into(), ..SvgOptions::default() }).is_ok(), "{good}");
    }
}

#[test]
fn too_much_text_is_an_error() {
    // Version 40-H holds 1273 bytes; 1274 arbitrary bytes (not alphanumeric) do not fit.
    let text = "é".repeat(700);
    assert_eq!(qr_svg(&text, &SvgOptions { ecc: Ecc::High, ..SvgOptions::default() }), Err(QrError::DataTooLong));
    assert!(qr_svg(&"é".repeat(600), &SvgOptions { ecc: Ecc::High, ..SvgOptions::default() }).is_ok());
}

#[test]
fn error_correction_level_changes_the_symbol() {
    let at =
        |ecc| qr_svg("https://example.com/some/longer/text", &SvgOptions { ecc, ..SvgOptions::default() }).unwrap();
    let (l, h) = (at(Ecc::Low), at(Ecc::High));
    assert!(view_extent(&h) > view_extent(&l), "High needs a larger version than Low for the same text");
}

/// Rasterises the SVG the way a browser would (resvg), then decodes the PNG with zbarimg and returns the raw bytes.
fn rasterise_and_decode(svg: &str, name: &str) -> Vec<u8> {
    let tree = resvg::usvg::Tree::from_str(svg, &resvg::usvg::Options::default()).unwrap();
    let scale = 6.0;
    let size = tree.size();
    let (w, h) = ((size.width() * scale).ceil() as u32, (size.height() * scale).ceil() as u32);
    let mut pixmap = resvg::tiny_skia::Pixmap::new(w, h).unwrap();
    resvg::render(&tree, resvg::tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    let dir = std::env::temp_dir().join(format!("cognito-totp-qr-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let png = dir.join(format!("{name}.png"));
    pixmap.save_png(&png).unwrap();

    // `-Sbinary` keeps the bytes as encoded (no charset guessing), so UTF-8 must come back byte for byte.
    let out = Command::new("zbarimg").args(["--quiet", "--raw", "-Sbinary"]).arg(&png).output().unwrap_or_else(|e| {
        panic!(
            "cannot run `zbarimg` ({e}). The QR decode test needs the real decoder: `apt-get install zbar-tools` \
             (the test harness installs it; this test fails rather than skips so a missing tool is noticed)"
        )
    });
    assert!(
        out.status.success(),
        "zbarimg found no QR code in {}: {}",
        png.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_file(&png).ok();
    let mut data = out.stdout;
    // --raw ends the symbol's data with one newline.
    if data.last() == Some(&b'\n') {
        data.pop();
    }
    data
}

#[test]
fn rasterised_svg_decodes_to_the_exact_otpauth_uri() {
    let cases = [("My App & Co", "alice@example.com"), ("Bäckerei Müller ☕", "jörg@example.com"), ("", "plain")];
    for (n, (issuer, account)) in cases.into_iter().enumerate() {
        let uri = otpauth_uri(SECRET, issuer, account).unwrap();
        let svg = qr_svg(&uri, &SvgOptions::default()).unwrap();
        assert_eq!(rasterise_and_decode(&svg, &format!("uri{n}")), uri.as_bytes(), "{uri}");
    }
}

#[test]
fn rasterised_svg_decodes_with_every_option_set() {
    // Raw UTF-8 (not percent-encoded), custom colours, High ECC, a wider border.
    let text = "otpauth://totp/Bäckerei & Co:jörg?secret=JBSWY3DPEHPK3PXP&issuer=Bäckerei";
    for (n, ecc) in [Ecc::Low, Ecc::Medium, Ecc::Quartile, Ecc::High].into_iter().enumerate() {
        let svg = qr_svg(text, &SvgOptions { ecc, ..options_with_everything() }).unwrap();
        assert_eq!(String::from_utf8(rasterise_and_decode(&svg, &format!("opt{n}"))).unwrap(), text);
    }
}

/// The dark modules of a qrcodegen (heap crate, the encoder this package used to ship) symbol, as the SVG
/// path our writer draws: one `M x,y h n v1 h-n z` run per horizontal stretch, offset by the border.
fn reference_path(text: &str, ecc: Ecc) -> Option<(i32, String)> {
    use qrcodegen::{QrCode, QrCodeEcc};
    let ecl = match ecc {
        Ecc::Low => QrCodeEcc::Low,
        Ecc::Medium => QrCodeEcc::Medium,
        Ecc::Quartile => QrCodeEcc::Quartile,
        Ecc::High => QrCodeEcc::High,
    };
    let qr = QrCode::encode_text(text, ecl).ok()?;
    let mut d = String::new();
    for y in 0..qr.size() {
        let mut x = 0;
        while x < qr.size() {
            if !qr.get_module(x, y) {
                x += 1;
                continue;
            }
            let start = x;
            while x < qr.size() && qr.get_module(x, y) {
                x += 1;
            }
            d += &format!("M{},{}h{}v1h-{}z", start + 4, y + 4, x - start, x - start);
        }
    }
    Some((qr.size(), d))
}

#[test]
fn symbols_equal_the_reference_encoder_in_every_mode_level_and_version() {
    let mut texts: Vec<String> = vec![
        String::new(),
        "0".into(),
        "01234567890123456789".into(),
        "HELLO WORLD $%*+-./:".into(),
        "hello world".into(),
        "otpauth://totp/My%20App:alice%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=My%20App".into(),
        "Bäckerei ☕".into(),
    ];
    // Lengths around version and mode-capacity boundaries, for each mode.
    for n in [1usize, 2, 3, 4, 17, 25, 26, 41, 47, 48, 77, 120, 500, 1000, 2000] {
        texts.push("7".repeat(n));
        texts.push("A1".repeat(n).chars().take(n).collect());
        texts.push("a".repeat(n));
    }
    // Every version at every level: lengths stepped through each mode's whole capacity (past a level's limit
    // both must refuse).
    for n in 1..30 {
        texts.push("é".repeat(n));
        texts.push("2".repeat(3 * n));
        texts.push("Z9".repeat(n));
    }
    for n in (30..1400).step_by(11).chain((1400..2953).step_by(29)) {
        texts.push("é".repeat(n / 2));
    }
    for n in (30..7089).step_by(131) {
        texts.push("31415926535".repeat(n / 11 + 1)[..n].to_string());
    }
    for n in (30..4296).step_by(89) {
        texts.push("HTTPS://EXAMPLE.COM/".repeat(n / 20 + 1)[..n].to_string());
    }
    texts.push("9".repeat(7089));
    texts.push("9".repeat(7090));
    texts.push("Z".repeat(4296));
    texts.push("Z".repeat(4297));
    let mut versions = std::collections::BTreeSet::new();
    for text in &texts {
        for ecc in [Ecc::Low, Ecc::Medium, Ecc::Quartile, Ecc::High] {
            let ours = qr_svg(text, &SvgOptions { ecc, ..SvgOptions::default() });
            match reference_path(text, ecc) {
                Some((size, d)) => {
                    versions.insert((format!("{ecc:?}"), (size - 17) / 4));
                    let svg = ours.unwrap_or_else(|e| panic!("{} chars {ecc:?}: {e}", text.len()));
                    let start = svg.find(" d=\"").unwrap() + 4;
                    assert_eq!(&svg[start..svg.len() - "\"/></svg>".len()], d, "{} chars {ecc:?}", text.len());
                }
                None => assert_eq!(ours, Err(QrError::DataTooLong), "{} chars {ecc:?}", text.len()),
            }
        }
    }
    let missing: Vec<_> = ["Low", "Medium", "Quartile", "High"]
        .iter()
        .flat_map(|l| (1..=40).map(move |v| (l.to_string(), v)))
        .filter(|k| !versions.contains(k))
        .collect();
    assert!(missing.is_empty(), "versions never compared: {missing:?}");
}
