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
fn capacity_ends_where_the_standard_puts_it() {
    // ISO/IEC 18004 table 7, version 40-L: 7089 digits, 4296 alphanumeric characters, 2953 bytes.
    let low = SvgOptions { ecc: Ecc::Low, ..SvgOptions::default() };
    for (unit, limit) in [("9", 7089), ("Z", 4296), ("z", 2953)] {
        let svg = qr_svg(&unit.repeat(limit), &low).unwrap_or_else(|e| panic!("{limit} × {unit}: {e}"));
        assert_eq!(view_extent(&svg), 177 + 8, "{limit} × {unit} needs version 40");
        assert_eq!(qr_svg(&unit.repeat(limit + 1), &low), Err(QrError::DataTooLong), "{} × {unit}", limit + 1);
    }
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
