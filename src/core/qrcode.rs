//! The QR Code Model 2 encoder (ISO/IEC 18004) behind [`crate::core::qr`]: one segment (numeric if all
//! digits, else alphanumeric if it can be, else bytes), the lowest version that holds it, the error correction
//! raised while that version allows, and the mask with the lowest penalty (the first on a tie) — the choices
//! the qrcodegen crate makes, so the symbols are the ones this package always drew (a native test compares the
//! two on every mode, level and version). Written here because the crate, even without its heap, was ~8 KB
//! of the wasm; this is about a third of that.

use alloc::vec;
use alloc::vec::Vec;

/// Error-correction level, in the order the level boost walks them.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum Level {
    Low = 0,
    Medium = 1,
    Quartile = 2,
    High = 3,
}

/// ECC codewords per block, by level then version − 1 (ISO/IEC 18004 table 9).
const ECC_PER_BLOCK: [[u8; 40]; 4] = [
    [
        7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30, 26, 28, 30, 30,
        30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
    ],
    [
        10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28,
        28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
    ],
    [
        13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30, 30, 30, 28, 30, 30,
        30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
    ],
    [
        17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24, 30, 30, 30, 30, 30, 30,
        30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
    ],
];

/// Error-correction blocks, by level then version − 1 (same table).
const BLOCKS: [[u8; 40]; 4] = [
    [
        1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18,
        19, 19, 20, 21, 22, 24, 25,
    ],
    [
        1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31,
        33, 35, 37, 38, 40, 43, 45, 47, 49,
    ],
    [
        1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29, 34, 34, 35, 38, 40,
        43, 45, 48, 51, 53, 56, 59, 62, 65, 68,
    ],
    [
        1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35, 37, 40, 42, 45, 48,
        51, 54, 57, 60, 63, 66, 70, 74, 77, 81,
    ],
];

/// A finished symbol: `size` × `size` modules, row-major, `true` = dark.
pub struct Symbol {
    pub size: usize,
    modules: Vec<bool>,
}

impl Symbol {
    pub fn dark(&self, x: usize, y: usize) -> bool {
        self.modules.get(y * self.size + x).copied().unwrap_or(false)
    }
}

/// Data modules of a version (all modules minus the function patterns and format/version areas).
fn raw_modules(ver: usize) -> usize {
    let mut n = (16 * ver + 128) * ver + 64;
    if ver >= 2 {
        let align = ver / 7 + 2;
        n -= (25 * align - 10) * align - 55;
        if ver >= 7 {
            n -= 36;
        }
    }
    n
}

fn table(t: &[[u8; 40]; 4], level: Level, ver: usize) -> usize {
    usize::from(t[level as usize][ver - 1])
}

fn data_codewords(ver: usize, level: Level) -> usize {
    raw_modules(ver) / 8 - table(&ECC_PER_BLOCK, level, ver) * table(&BLOCKS, level, ver)
}

/// Big-endian bit packing, the layout of the whole data stream.
struct Bits(Vec<u8>, usize);

impl Bits {
    fn push(&mut self, value: u32, count: usize) {
        for i in (0..count).rev() {
            if self.1.is_multiple_of(8) {
                self.0.push(0);
            }
            if let Some(last) = self.0.last_mut() {
                *last |= (((value >> i) & 1) as u8) << (7 - self.1 % 8);
            }
            self.1 += 1;
        }
    }
}

/// The index of a byte in the alphanumeric mode's 45-character set `0-9 A-Z space $ % * + - . / :`.
fn alphanumeric(b: u8) -> Option<u32> {
    let v = match b {
        b'0'..=b'9' => b - b'0',
        b'A'..=b'Z' => b - b'A' + 10,
        b' ' => 36,
        b'$' => 37,
        b'%' => 38,
        b'*' => 39,
        b'+' => 40,
        b'-' => 41,
        b'.' => 42,
        b'/' => 43,
        b':' => 44,
        _ => return None,
    };
    Some(u32::from(v))
}

/// Encodes `text`; `None` when it fits no version at `level`.
pub fn encode(text: &str, level: Level) -> Option<Symbol> {
    let bytes = text.as_bytes();
    let numeric = bytes.iter().all(u8::is_ascii_digit);
    let alnum = bytes.iter().all(|&b| alphanumeric(b).is_some());
    // (mode indicator, character count bits for versions 1–9, 10–26, 27–40, data bits)
    let (mode, count_bits, data_bits) = if numeric {
        (1, [10, 12, 14], (bytes.len() * 10).div_ceil(3))
    } else if alnum {
        (2, [9, 11, 13], (bytes.len() * 11).div_ceil(2))
    } else {
        (4, [8, 16, 16], bytes.len() * 8)
    };
    let count_bits_at = |ver: usize| count_bits[usize::from(ver > 9) + usize::from(ver > 26)];
    // Lowest version whose capacity holds the segment (an empty text has no segment at all).
    let used = |ver: usize| if bytes.is_empty() { 0 } else { 4 + count_bits_at(ver) + data_bits };
    let ver = (1..=40).find(|&v| bytes.len() < 1 << count_bits_at(v) && used(v) <= data_codewords(v, level) * 8)?;
    let mut level = level;
    for higher in [Level::Medium, Level::Quartile, Level::High] {
        if higher > level && used(ver) <= data_codewords(ver, higher) * 8 {
            level = higher;
        }
    }

    let capacity = data_codewords(ver, level) * 8;
    let mut bits = Bits(Vec::with_capacity(capacity / 8), 0);
    if !bytes.is_empty() {
        bits.push(mode, 4);
        bits.push(bytes.len() as u32, count_bits_at(ver));
        // Numeric: 3 digits in 10 bits (a final 1 or 2 in 4 or 7); alphanumeric: 2 characters in 11 bits (a final
        // one in 6); bytes: 8 bits each.
        let (group, radix, width) = if numeric {
            (3, 10, 10)
        } else if alnum {
            (2, 45, 11)
        } else {
            (1, 256, 8)
        };
        for chunk in bytes.chunks(group) {
            let value = chunk.iter().fold(0, |v, &b| {
                v * radix
                    + if numeric {
                        u32::from(b - b'0')
                    } else if alnum {
                        alphanumeric(b).unwrap_or(0)
                    } else {
                        u32::from(b)
                    }
            });
            let short = group - chunk.len();
            bits.push(value, width - short * if numeric { 3 } else { 5 });
        }
    }
    // Terminator (up to 4 zero bits), zeros to the byte boundary, then the alternating pad bytes.
    let terminator = (capacity - bits.1).min(4);
    bits.push(0, terminator);
    bits.push(0, (8 - bits.1 % 8) % 8);
    let mut pad = 0xec;
    while bits.1 < capacity {
        bits.push(pad, 8);
        pad ^= 0xec ^ 0x11;
    }

    let mut symbol = Canvas::new(ver);
    symbol.draw_codewords(&interleave(&bits.0, ver, level));
    // The mask with the lowest penalty; `<` keeps the first of equal ones.
    let mut best = (u32::MAX, 0);
    for mask in 0..8 {
        symbol.apply_mask(mask);
        symbol.draw_format(level, mask);
        best = best.min((symbol.penalty(), mask));
        symbol.apply_mask(mask);
    }
    symbol.apply_mask(best.1);
    symbol.draw_format(level, best.1);
    Some(Symbol { size: symbol.size, modules: symbol.modules })
}

/// Splits the data into the version's blocks (the short ones first, the long ones one data byte longer),
/// computes each block's Reed–Solomon ECC, and interleaves: data byte k of every block in turn, then the long
/// blocks' extra bytes, then ECC byte k of every block in turn. Written as target positions, without building
/// the blocks.
fn interleave(data: &[u8], ver: usize, level: Level) -> Vec<u8> {
    let blocks = table(&BLOCKS, level, ver);
    let ecc_len = table(&ECC_PER_BLOCK, level, ver);
    let raw = raw_modules(ver) / 8;
    let short = blocks - raw % blocks;
    let short_data = raw / blocks - ecc_len;
    let divisor = rs_divisor(ecc_len);
    let mut out = vec![0u8; raw];
    let mut at = 0;
    for i in 0..blocks {
        let len = short_data + usize::from(i >= short);
        let block = data.get(at..at + len).unwrap_or(&[]);
        at += len;
        for (k, &b) in block.iter().enumerate() {
            let pos = if k < short_data { k * blocks + i } else { short_data * blocks + i - short };
            out[pos] = b;
        }
        for (k, &e) in rs_remainder(block, &divisor[..ecc_len]).iter().take(ecc_len).enumerate() {
            out[data.len() + k * blocks + i] = e;
        }
    }
    out
}

/// x·y in GF(2^8) modulo x^8 + x^4 + x^3 + x^2 + 1.
fn gf_mul(x: u8, y: u8) -> u8 {
    let mut z: u8 = 0;
    for i in (0..8).rev() {
        z = (z << 1) ^ ((z >> 7) * 0x1d);
        z ^= ((y >> i) & 1) * x;
    }
    z
}

/// The generator polynomial (x − 2^0)(x − 2^1)…(x − 2^(degree−1)) of degree ≤ 30, highest coefficient (1) left
/// out.
fn rs_divisor(degree: usize) -> [u8; 30] {
    let mut poly = [0u8; 30];
    let degree = degree.min(30);
    poly[degree - 1] = 1;
    let mut root = 1u8;
    for _ in 0..degree {
        for j in 0..degree {
            poly[j] = gf_mul(poly[j], root) ^ if j + 1 < degree { poly[j + 1] } else { 0 };
        }
        root = gf_mul(root, 2);
    }
    poly
}

/// The remainder of data·x^degree divided by the generator: the block's ECC bytes.
fn rs_remainder(data: &[u8], divisor: &[u8]) -> [u8; 30] {
    let mut rem = [0u8; 30];
    let n = divisor.len();
    for &b in data {
        let factor = b ^ rem[0];
        for k in 0..n {
            rem[k] = if k + 1 < n { rem[k + 1] } else { 0 } ^ gf_mul(divisor[k], factor);
        }
    }
    rem
}

/// The symbol being built: modules and which of them are function patterns (never data, never masked).
struct Canvas {
    size: usize,
    modules: Vec<bool>,
    function: Vec<bool>,
}

impl Canvas {
    /// A blank symbol with every function pattern drawn (format bits with mask 0, redrawn per mask later).
    fn new(ver: usize) -> Canvas {
        let size = ver * 4 + 17;
        let mut c = Canvas { size, modules: vec![false; size * size], function: vec![false; size * size] };
        for i in 0..size {
            c.set(6, i, i % 2 == 0);
            c.set(i, 6, i % 2 == 0);
        }
        // Finders (7×7 rings) with their light separators, clipped at the edges.
        for (x, y) in [(3, 3), (size - 4, 3), (3, size - 4)] {
            c.rings(x, y, 4, 2);
        }
        let align = alignment_positions(ver, size);
        let last = align.len().saturating_sub(1);
        for (i, &ax) in align.iter().enumerate() {
            for (j, &ay) in align.iter().enumerate() {
                // Not where a finder already is.
                if (i, j) != (0, 0) && (i, j) != (0, last) && (i, j) != (last, 0) {
                    c.rings(ax, ay, 2, 1);
                }
            }
        }
        c.draw_format(Level::Medium, 0);
        if ver >= 7 {
            // 6 data bits + a (18, 6) Golay remainder, in two 3×6 blocks.
            let mut rem = ver as u32;
            for _ in 0..12 {
                rem = (rem << 1) ^ ((rem >> 11) * 0x1f25);
            }
            let bits = (ver as u32) << 12 | rem;
            for i in 0..18 {
                let dark = (bits >> i) & 1 == 1;
                let (a, b) = (size - 11 + i % 3, i / 3);
                c.set(a, b, dark);
                c.set(b, a, dark);
            }
        }
        c
    }

    /// Square rings around (cx, cy) out to `radius`, light at distance `light` (and 4), dark elsewhere; clipped
    /// at the symbol's edges.
    fn rings(&mut self, cx: usize, cy: usize, radius: usize, light: usize) {
        for y in cy.saturating_sub(radius)..(cy + radius + 1).min(self.size) {
            for x in cx.saturating_sub(radius)..(cx + radius + 1).min(self.size) {
                let dist = x.abs_diff(cx).max(y.abs_diff(cy));
                self.set(x, y, dist != light && dist != 4);
            }
        }
    }

    fn set(&mut self, x: usize, y: usize, dark: bool) {
        let i = y * self.size + x;
        if let (Some(m), Some(f)) = (self.modules.get_mut(i), self.function.get_mut(i)) {
            *m = dark;
            *f = true;
        }
    }

    fn get(&self, x: usize, y: usize) -> bool {
        self.modules.get(y * self.size + x).copied().unwrap_or(false)
    }

    /// The 15 format bits (level, mask, BCH remainder, XOR 0x5412), both copies, and the always-dark module.
    fn draw_format(&mut self, level: Level, mask: u32) {
        // The format's level code is not the level's order: L = 01, M = 00, Q = 11, H = 10.
        let data = [1, 0, 3, 2][level as usize] << 3 | mask;
        let mut rem = data;
        for _ in 0..10 {
            rem = (rem << 1) ^ ((rem >> 9) * 0x537);
        }
        let bits = (data << 10 | rem) ^ 0x5412;
        let bit = |i: usize| (bits >> i) & 1 == 1;
        let size = self.size;
        for i in 0..6 {
            self.set(8, i, bit(i));
        }
        self.set(8, 7, bit(6));
        self.set(8, 8, bit(7));
        self.set(7, 8, bit(8));
        for i in 9..15 {
            self.set(14 - i, 8, bit(i));
        }
        for i in 0..8 {
            self.set(size - 1 - i, 8, bit(i));
        }
        for i in 8..15 {
            self.set(8, size - 15 + i, bit(i));
        }
        self.set(8, size - 8, true);
    }

    /// Data bits in the zigzag order: two-module columns from the right, alternately upwards and downwards,
    /// skipping the vertical timing column and the function modules.
    fn draw_codewords(&mut self, data: &[u8]) {
        let size = self.size;
        let mut i = 0;
        let mut right = size - 1;
        while right >= 1 {
            if right == 6 {
                right = 5;
            }
            for vert in 0..size {
                for j in 0..2 {
                    let x = right - j;
                    let y = if (right + 1) & 2 == 0 { size - 1 - vert } else { vert };
                    let at = y * size + x;
                    if !self.function[at] && i < data.len() * 8 {
                        self.modules[at] = (data[i >> 3] >> (7 - (i & 7))) & 1 == 1;
                        i += 1;
                    }
                }
            }
            if right < 2 {
                break;
            }
            right -= 2;
        }
    }

    /// XORs mask pattern `mask` over the data modules (applying it twice undoes it).
    fn apply_mask(&mut self, mask: u32) {
        let size = self.size;
        for y in 0..size {
            for x in 0..size {
                let flip = match mask {
                    0 => (x + y) % 2 == 0,
                    1 => y % 2 == 0,
                    2 => x % 3 == 0,
                    3 => (x + y) % 3 == 0,
                    4 => (x / 3 + y / 2) % 2 == 0,
                    5 => x * y % 2 + x * y % 3 == 0,
                    6 => (x * y % 2 + x * y % 3) % 2 == 0,
                    _ => ((x + y) % 2 + x * y % 3) % 2 == 0,
                };
                let at = y * size + x;
                self.modules[at] ^= flip & !self.function[at];
            }
        }
    }

    /// The specification's penalty: runs of 5+ in a line (N1 = 3, +1 per extra module), 2×2 blocks (N2 = 3),
    /// finder-like 1:1:3:1:1 patterns with 4 light modules on a side (N3 = 40; the quiet zone counts as light),
    /// and the distance of the dark share from 50% (N4 = 10 per 5%).
    fn penalty(&self) -> u32 {
        let size = self.size;
        let mut score = 0;
        for transpose in [false, true] {
            for a in 0..size {
                let mut run_dark = false;
                let mut run = 0;
                let mut history = [0usize; 7];
                for b in 0..size {
                    let dark = if transpose { self.get(a, b) } else { self.get(b, a) };
                    if dark == run_dark {
                        run += 1;
                        if run == 5 {
                            score += 3;
                        } else if run > 5 {
                            score += 1;
                        }
                    } else {
                        push_run(&mut history, run, size);
                        if !run_dark {
                            score += finder_like(&history) * 40;
                        }
                        run_dark = dark;
                        run = 1;
                    }
                }
                if run_dark {
                    push_run(&mut history, run, size);
                    run = 0;
                }
                push_run(&mut history, run + size, size);
                score += finder_like(&history) * 40;
            }
        }
        for y in 0..size - 1 {
            for x in 0..size - 1 {
                let c = self.get(x, y);
                if c == self.get(x + 1, y) && c == self.get(x, y + 1) && c == self.get(x + 1, y + 1) {
                    score += 3;
                }
            }
        }
        let dark = self.modules.iter().filter(|&&m| m).count() as i64;
        let total = (size * size) as i64;
        // The smallest k with |dark share − 50%| ≤ 5(k + 1)%.
        let k = ((dark * 20 - total * 10).abs() + total - 1) / total - 1;
        score + k as u32 * 10
    }
}

/// Records a finished run, newest first; the first run of a line also counts the light quiet zone before it.
fn push_run(history: &mut [usize; 7], run: usize, size: usize) {
    let run = if history[0] == 0 { run + size } else { run };
    history.copy_within(0..6, 1);
    history[0] = run;
}

/// Finder-like patterns ending at the newest light run: dark:light:dark:light:dark = 1:1:3:1:1 with at least
/// 4 light units before or after (0, 1 or 2 of them).
fn finder_like(h: &[usize; 7]) -> u32 {
    let n = h[1];
    let core = n > 0 && h[2] == n && h[3] == n * 3 && h[4] == n && h[5] == n;
    u32::from(core && h[0] >= n * 4 && h[6] >= n) + u32::from(core && h[6] >= n * 4 && h[0] >= n)
}

/// Centres of the alignment patterns along one axis: 6, then evenly spaced (an even step) up to size − 7.
fn alignment_positions(ver: usize, size: usize) -> Vec<usize> {
    if ver == 1 {
        return Vec::new();
    }
    let count = ver / 7 + 2;
    let step = if ver == 32 { 26 } else { (ver * 4 + count * 2 + 1) / (count * 2 - 2) * 2 };
    let mut out: Vec<usize> = (0..count - 1).map(|i| size - 7 - i * step).collect();
    out.push(6);
    out.reverse();
    out
}
