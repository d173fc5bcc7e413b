//! QR code → SVG string, rendered locally (no canvas, no network).

use core::fmt;

use alloc::string::String;
use alloc::vec;

use qrcodegen_no_heap::{DataTooLong, QrCode, QrCodeEcc, QrSegment, QrSegmentMode, Version};
use zeroize::Zeroizing;

use crate::core::timestamp::push_decimal;

/// Why a QR SVG could not be produced.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum QrError {
    /// The text does not fit in a version-40 symbol at the chosen error-correction level.
    DataTooLong,
    /// A colour option (named: `"dark"` or `"light"`) is not `#rgb`, `#rrggbb` or a lowercase CSS colour name.
    InvalidColor(&'static str),
}

impl QrError {
    /// A fixed English sentence (no formatting in the wasm build).
    pub fn message(&self) -> &'static str {
        match self {
            QrError::DataTooLong => "text too long for a QR code at this error-correction level",
            QrError::InvalidColor("light") => "invalid light colour: use #rgb, #rrggbb or a lowercase CSS colour name",
            QrError::InvalidColor(_) => "invalid dark colour: use #rgb, #rrggbb or a lowercase CSS colour name",
        }
    }
}

impl fmt::Display for QrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl core::error::Error for QrError {}

/// Error-correction level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Ecc {
    Low,
    #[default]
    Medium,
    Quartile,
    High,
}

/// Minimum quiet zone the QR specification requires; smaller borders are raised to it.
pub const MIN_BORDER: u32 = 4;

/// How [`qr_svg`] draws the symbol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SvgOptions {
    pub ecc: Ecc,
    /// Quiet zone in modules. Values below [`MIN_BORDER`] are clamped up to it: scanners need the margin, and an
    /// app asking for less is better served by a scannable code than by an error.
    pub border: u32,
    pub dark: String,
    pub light: String,
    /// Accessible name (`<title>` + `aria-labelledby`). `None` uses "QR code".
    pub title: Option<String>,
}

impl Default for SvgOptions {
    fn default() -> Self {
        Self { ecc: Ecc::Medium, border: MIN_BORDER, dark: "#000000".into(), light: "#ffffff".into(), title: None }
    }
}

/// Encodes `text` (UTF-8, byte mode as needed) as a QR code and returns a standalone SVG document: a light
/// background `<rect>` and one `<path>` with all dark modules, `viewBox` in module units (no fixed size, so CSS
/// scales it), `role="img"` labelled by its `<title>`.
pub fn qr_svg(text: &str, opts: &SvgOptions) -> Result<String, QrError> {
    let dark = checked_color(&opts.dark, "dark")?;
    let light = checked_color(&opts.light, "light")?;
    let ecl = match opts.ecc {
        Ecc::Low => QrCodeEcc::Low,
        Ecc::Medium => QrCodeEcc::Medium,
        Ecc::Quartile => QrCodeEcc::Quartile,
        Ecc::High => QrCodeEcc::High,
    };
    // qrcodegen-no-heap works in two caller-owned buffers sized for the largest symbol: on the heap rather than
    // 8 KB of wasm stack, and wiped afterwards (the text is usually an otpauth URI holding the TOTP secret).
    let len = Version::MAX.buffer_len();
    let (mut temp, mut out) = (Zeroizing::new(vec![0u8; len]), Zeroizing::new(vec![0u8; len]));
    let qr = encode_text(text, &mut temp, &mut out, ecl).map_err(|_| QrError::DataTooLong)?;
    // 21..=177 modules.
    let size = qr.size();
    let border = u64::from(opts.border.max(MIN_BORDER));
    let extent = u64::from(size.unsigned_abs()) + 2 * border;
    let title = opts.title.as_deref().unwrap_or("QR code");
    // Derived from the title only (never the encoded text, which may hold a secret): two SVGs on one page with
    // different titles get different ids, and equal ids only ever point at equal text.
    let mut id = String::from("qr-title-");
    push_hex8(&mut id, fnv1a(title.as_bytes()));

    let mut svg = String::with_capacity(256 + (size.unsigned_abs() as usize).pow(2) * 4);
    svg.push_str("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ");
    push_decimal(&mut svg, extent, 1);
    svg.push(' ');
    push_decimal(&mut svg, extent, 1);
    svg.push_str("\" role=\"img\" aria-labelledby=\"");
    svg.push_str(&id);
    svg.push_str("\" shape-rendering=\"crispEdges\"><title id=\"");
    svg.push_str(&id);
    svg.push_str("\">");
    escape_xml_into(&mut svg, title);
    svg.push_str("</title><rect width=\"");
    push_decimal(&mut svg, extent, 1);
    svg.push_str("\" height=\"");
    push_decimal(&mut svg, extent, 1);
    svg.push_str("\" fill=\"");
    svg.push_str(light);
    svg.push_str("\"/><path fill=\"");
    svg.push_str(dark);
    svg.push_str("\" d=\"");
    // One horizontal run per stretch of dark modules keeps the path short (about a third of per-module squares);
    // `z` ends each subpath, so no separators are needed.
    for y in 0..size {
        let mut x = 0;
        while x < size {
            if !qr.get_module(x, y) {
                x += 1;
                continue;
            }
            let start = x;
            while x < size && qr.get_module(x, y) {
                x += 1;
            }
            let run = u64::from((x - start).unsigned_abs());
            svg.push('M');
            push_decimal(&mut svg, u64::from(start.unsigned_abs()) + border, 1);
            svg.push(',');
            push_decimal(&mut svg, u64::from(y.unsigned_abs()) + border, 1);
            svg.push('h');
            push_decimal(&mut svg, run, 1);
            svg.push_str("v1h-");
            push_decimal(&mut svg, run, 1);
            svg.push('z');
        }
    }
    svg.push_str("\"/></svg>");
    Ok(svg)
}

/// qrcodegen-no-heap's `QrCode::encode_text` (one segment: numeric if all digits, else alphanumeric if it can be,
/// else bytes; the lowest version that holds it; error correction raised while that version allows; the mask with
/// the lowest penalty), through the crate's own segment makers and encoder, with the mode chosen on bytes:
/// `QrSegment::is_alphanumeric` searches a `&str` per character, which links core's substring search and str's
/// Debug formatting into the wasm.
fn encode_text<'a>(text: &str, temp: &mut [u8], out: &'a mut [u8], ecl: QrCodeEcc) -> Result<QrCode<'a>, DataTooLong> {
    let bytes = text.as_bytes();
    let mode = if bytes.iter().all(u8::is_ascii_digit) {
        QrSegmentMode::Numeric
    } else if bytes
        .iter()
        .all(|&b| matches!(b, b'0'..=b'9' | b'A'..=b'Z' | b' ' | b'$' | b'%' | b'*' | b'+' | b'-' | b'.' | b'/' | b':'))
    {
        QrSegmentMode::Alphanumeric
    } else {
        QrSegmentMode::Byte
    };
    // The segment makers write into `temp` without checking its length.
    if QrSegment::calc_buffer_size(mode, bytes.len()).is_none_or(|n| n > out.len().min(temp.len())) {
        return Err(DataTooLong::SegmentTooLong);
    }
    let segment = match mode {
        QrSegmentMode::Numeric => QrSegment::make_numeric(text, temp),
        QrSegmentMode::Alphanumeric => QrSegment::make_alphanumeric(text, temp),
        _ => QrSegment::make_bytes(bytes),
    };
    let segments = if bytes.is_empty() { &[][..] } else { &[segment][..] };
    let (data_len, ecl, version) =
        QrCode::encode_segments_to_codewords(segments, out, ecl, Version::MIN, Version::MAX, true)?;
    Ok(QrCode::encode_codewords(out, data_len, temp, ecl, version, None))
}

/// Accepts only shapes that cannot break out of an attribute value: `#rgb`, `#rrggbb`, or 1–32 lowercase letters
/// (CSS named colours such as `black`, `rebeccapurple`, `transparent`).
fn checked_color<'a>(c: &'a str, which: &'static str) -> Result<&'a str, QrError> {
    let ok = match c.strip_prefix('#') {
        Some(hex) => (hex.len() == 3 || hex.len() == 6) && hex.bytes().all(|b| b.is_ascii_hexdigit()),
        None => (1..=32).contains(&c.len()) && c.bytes().all(|b| b.is_ascii_lowercase()),
    };
    if ok { Ok(c) } else { Err(QrError::InvalidColor(which)) }
}

fn escape_xml_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters other than tab/newline are not allowed in XML 1.0 at all.
            c if c.is_control() && c != '\t' && c != '\n' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
}

/// `{:08x}` by hand.
fn push_hex8(out: &mut String, n: u32) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for shift in (0..8).rev() {
        out.push(char::from(HEX[((n >> (shift * 4)) & 0xf) as usize]));
    }
}

fn fnv1a(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for &b in bytes {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

#[cfg(test)]
mod tests {
    #![allow(clippy::panic)]

    use super::*;
    use alloc::string::ToString;
    use alloc::vec::Vec;

    /// The dark modules of a symbol, row by row, and its version.
    fn modules(qr: &QrCode<'_>) -> (u8, Vec<bool>) {
        let n = qr.size();
        (
            qr.version().value(),
            (0..n).flat_map(|y| (0..n).map(move |x| (x, y))).map(|(x, y)| qr.get_module(x, y)).collect(),
        )
    }

    #[test]
    fn the_mode_chosen_on_bytes_gives_the_crates_encode_text_symbols() {
        let mut texts: Vec<String> =
            ["", "0", "0123456789", "HELLO WORLD $%*+-./:", "hello", "Bäckerei ☕", "A1b", "1 2"]
                .iter()
                .map(|t| t.to_string())
                .collect();
        // Every mode around its capacity edges (version 40-L: 7089 digits, 4296 alphanumeric, 2953 bytes), and
        // lengths that step through the versions.
        for n in (1..3000).step_by(97).chain([2953, 2954]) {
            texts.push("é".repeat(n / 2 + 1));
            texts.push("a".repeat(n));
        }
        for n in (1..7100).step_by(211).chain([4296, 4297, 7089, 7090]) {
            texts.push("31415926535".repeat(n / 11 + 1)[..n].to_string());
            texts.push("HTTPS://EXAMPLE.COM/".repeat(n / 20 + 1)[..n].to_string());
        }
        let len = Version::MAX.buffer_len();
        for text in &texts {
            for ecl in [QrCodeEcc::Low, QrCodeEcc::Medium, QrCodeEcc::Quartile, QrCodeEcc::High] {
                let (mut t1, mut o1, mut t2, mut o2) = (vec![0u8; len], vec![0u8; len], vec![0u8; len], vec![0u8; len]);
                let ours = encode_text(text, &mut t1, &mut o1, ecl).map(|qr| modules(&qr));
                let theirs = QrCode::encode_text(text, &mut t2, &mut o2, ecl, Version::MIN, Version::MAX, None, true)
                    .map(|qr| modules(&qr));
                match (ours, theirs) {
                    (Ok(a), Ok(b)) => assert!(a == b, "{} chars {ecl:?}", text.len()),
                    (Err(_), Err(_)) => {}
                    (a, b) => {
                        panic!("{} chars {ecl:?}: ours ok {}, the crate's ok {}", text.len(), a.is_ok(), b.is_ok())
                    }
                }
            }
        }
    }
}
