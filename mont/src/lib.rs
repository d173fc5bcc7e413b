//! Constant-time Montgomery exponentiation modulo one odd 3072-bit N, for cognito-totp's SRP.
//!
//! A crate of its own only so that the release profile can build it at `opt-level = 3` while the rest of the
//! package is built for size: these loops are the whole cost of a sign-in, and unrolling them is worth
//! ~10% of it in wasm for a few KB.
//!
//! Why not crypto-bigint's arithmetic: in wasm its 32-bit-limb multiplication spends most of each limb
//! product on carry handling. Here limbs are 28 bits in u32 words and products are summed column by column
//! (product scanning, with the Montgomery reduction interleaved: Koç's FIPS), so a product is one multiply
//! and one 64-bit add: up to 256 products of < 2^56 fit in a u64 before a carry must move, and a column
//! never has more than 221. R = 2^3080 > 4N, so operands and results stay in [0, 2N) without a
//! per-operation final subtraction (Walter); one constant-time subtraction at the end. Squaring computes
//! each cross product once. Every loop bound and memory access depends only on public sizes; window tables
//! are read whole and selected with masks.
//!
//! The window tables of bases that never change (SRP's powers of g) can be built once ([`Modulus::table`])
//! and reused by [`Modulus::fixed_multi_pow`]: with its tables free, a fixed base's exponent can be cut into
//! many short chunks that share a short chain of squarings, which is what makes g^a cheap.
//!
//! Integers cross the API as 384 little-endian bytes.
#![no_std]

extern crate alloc;

use alloc::vec;
use alloc::vec::Vec;
use zeroize::{Zeroize, Zeroizing};

const BITS: u32 = 28;
const MASK: u64 = (1 << BITS) - 1;
/// 110 × 28 = 3080 bits ≥ 3072.
const L: usize = 110;
/// Bytes of an integer at the API.
pub const BYTES: usize = 384;

/// An integer in [0, 2N) in Montgomery form, 28 bits per limb.
#[doc(hidden)]
pub type Limbs = [u32; L];

/// −N⁻¹ mod 2^28, by Newton's iteration (each step doubles the correct low bits).
fn neg_inv(n0: u32) -> u32 {
    let mut inv: u32 = 1;
    for _ in 0..5 {
        inv = inv.wrapping_mul(2u32.wrapping_sub(n0.wrapping_mul(inv)));
    }
    inv.wrapping_neg() & (MASK as u32)
}

fn to_limbs(le: &[u8; BYTES]) -> Limbs {
    let mut out = [0u32; L];
    for (k, limb) in out.iter_mut().enumerate() {
        let bit = k * BITS as usize;
        let mut v: u64 = 0;
        // Five bytes from the limb's first byte cover its 28 bits at any bit offset.
        for b in 0..5 {
            v |= u64::from(le.get(bit / 8 + b).copied().unwrap_or(0)) << (8 * b);
        }
        *limb = ((v >> (bit % 8)) & MASK) as u32;
    }
    out
}

/// Limbs of a value below 2^3072 back to bytes.
fn from_limbs(x: &Limbs) -> Zeroizing<[u8; BYTES]> {
    let mut bytes = Zeroizing::new([0u8; 3080 / 8]);
    let mut acc: u64 = 0;
    let mut have = 0;
    let mut at = 0;
    for limb in x {
        acc |= u64::from(*limb) << have;
        have += BITS;
        while have >= 8 {
            bytes[at] = acc as u8;
            at += 1;
            acc >>= 8;
            have -= 8;
        }
    }
    acc.zeroize();
    let mut out = Zeroizing::new([0u8; BYTES]);
    out.copy_from_slice(&bytes[..BYTES]);
    out
}

/// N with the constants its Montgomery arithmetic needs.
pub struct Modulus {
    n: Limbs,
    n_inv: u64,
    /// R² mod N, to enter the Montgomery domain.
    r2: Limbs,
}

// The column formulas index two arrays at j and i − j; iterator forms would hide that symmetry (and were
// slower in wasm when tried).
#[allow(clippy::needless_range_loop)]
impl Modulus {
    /// `n`: an odd modulus with 2^3070 < N < 2^3072 (so that R = 2^3080 > 4N); `r2` = 2^(2·3080) mod N. Both
    /// public.
    pub fn new(n: &[u8; BYTES], r2: &[u8; BYTES]) -> Modulus {
        let n = to_limbs(n);
        Modulus { n, n_inv: u64::from(neg_inv(n[0])), r2: to_limbs(r2) }
    }

    /// a·b·R⁻¹ mod N, in [0, 2N) for a, b in [0, 2N).
    #[doc(hidden)]
    pub fn mul(&self, a: &Limbs, b: &Limbs) -> Limbs {
        let mut m = [0u32; L];
        let mut out = [0u32; L];
        let mut t: u64 = 0;
        for i in 0..L {
            for j in 0..i {
                t += u64::from(a[j]) * u64::from(b[i - j]) + u64::from(m[j]) * u64::from(self.n[i - j]);
            }
            t += u64::from(a[i]) * u64::from(b[0]);
            let mi = (t.wrapping_mul(self.n_inv)) & MASK;
            m[i] = mi as u32;
            t += mi * u64::from(self.n[0]);
            t >>= BITS;
        }
        for i in L..2 * L {
            for j in i - L + 1..L {
                t += u64::from(a[j]) * u64::from(b[i - j]) + u64::from(m[j]) * u64::from(self.n[i - j]);
            }
            out[i - L] = (t & MASK) as u32;
            t >>= BITS;
        }
        m.zeroize();
        out
    }

    /// a²·R⁻¹ mod N: each cross product once, doubled.
    #[doc(hidden)]
    pub fn square(&self, a: &Limbs) -> Limbs {
        let mut m = [0u32; L];
        let mut out = [0u32; L];
        let mut t: u64 = 0;
        for i in 0..L {
            let mut cross: u64 = 0;
            for j in 0..i.div_ceil(2) {
                cross += u64::from(a[j]) * u64::from(a[i - j]);
            }
            let mut red: u64 = 0;
            for j in 0..i {
                red += u64::from(m[j]) * u64::from(self.n[i - j]);
            }
            let diag = if i % 2 == 0 { u64::from(a[i / 2]) * u64::from(a[i / 2]) } else { 0 };
            t += 2 * cross + diag + red;
            let mi = (t.wrapping_mul(self.n_inv)) & MASK;
            m[i] = mi as u32;
            t += mi * u64::from(self.n[0]);
            t >>= BITS;
        }
        for i in L..2 * L {
            let lo = i - L + 1;
            let mut cross: u64 = 0;
            for j in lo..i.div_ceil(2) {
                cross += u64::from(a[j]) * u64::from(a[i - j]);
            }
            let mut red: u64 = 0;
            for j in lo..L {
                red += u64::from(m[j]) * u64::from(self.n[i - j]);
            }
            let diag = if i % 2 == 0 && i / 2 < L { u64::from(a[i / 2]) * u64::from(a[i / 2]) } else { 0 };
            t += 2 * cross + diag + red;
            out[i - L] = (t & MASK) as u32;
            t >>= BITS;
        }
        m.zeroize();
        out
    }

    /// x (< N) into Montgomery form.
    #[doc(hidden)]
    pub fn to_montgomery(&self, x: &[u8; BYTES]) -> Limbs {
        let mut plain = to_limbs(x);
        let out = self.mul(&plain, &self.r2);
        plain.zeroize();
        out
    }

    /// Leaves the Montgomery domain and reduces fully into [0, N).
    #[doc(hidden)]
    pub fn retrieve(&self, x: &Limbs) -> Zeroizing<[u8; BYTES]> {
        let mut one = [0u32; L];
        one[0] = 1;
        let mut y = self.mul(x, &one);
        // y ≤ N here; subtract N once, without a branch, when y ≥ N.
        let mut diff = [0u32; L];
        let mut borrow: u32 = 0;
        for i in 0..L {
            let d = y[i].wrapping_sub(self.n[i]).wrapping_sub(borrow);
            borrow = d >> 31;
            diff[i] = d & (MASK as u32);
        }
        let keep = borrow.wrapping_sub(1);
        for i in 0..L {
            y[i] = (diff[i] & keep) | (y[i] & !keep);
        }
        diff.zeroize();
        let out = from_limbs(&y);
        y.zeroize();
        out
    }

    /// The window table of `base` (in Montgomery form, below 2N): base^0 … base^(2^window − 1), `window`
    /// from 1 to 8. Built with public work only when `base` is public; [`Table`] does not wipe itself, so
    /// tables of secret bases stay inside [`Modulus::multi_pow`].
    pub fn table(&self, base: &Limbs, window: u32) -> Table {
        let size = 1usize << window.clamp(1, 8);
        let mut entries = vec![self.one(); size];
        entries[1] = *base;
        for i in 2..size {
            entries[i] = self.mul(&entries[i - 1], base);
        }
        Table { entries }
    }

    /// The Montgomery form of 1.
    fn one(&self) -> Limbs {
        let mut one = [0u8; BYTES];
        one[0] = 1;
        self.to_montgomery(&one)
    }

    /// ∏ baseᵢ^eᵢ mod N for secret exponents given as little-endian 32-bit words, over `bits` (public) bits
    /// each, with `window`-bit windows (1 to 8) sharing one chain of squarings: always `bits` squarings and
    /// one table multiplication per window and base, every table read whole. Bases must be below N.
    pub fn multi_pow(&self, terms: &[(&[u8; BYTES], &[u32])], bits: u32, window: u32) -> Zeroizing<[u8; BYTES]> {
        let mut tables: Vec<Table> = terms
            .iter()
            .map(|(base, _)| {
                let mut b = self.to_montgomery(base);
                let table = self.table(&b, window);
                b.zeroize();
                table
            })
            .collect();
        let out = self.fixed_multi_pow(&tables.iter().zip(terms).map(|(t, (_, e))| (t, *e)).collect::<Vec<_>>(), bits);
        for t in &mut tables {
            t.entries.zeroize();
        }
        out
    }

    /// [`Modulus::multi_pow`] over tables built ahead (for bases that do not change, such as powers of the
    /// generator, whose tables would otherwise be rebuilt for every exponent). All tables must have the same
    /// window. Constant time in the exponents.
    pub fn fixed_multi_pow(&self, terms: &[(&Table, &[u32])], bits: u32) -> Zeroizing<[u8; BYTES]> {
        let size = terms.first().map_or(2, |(t, _)| t.entries.len());
        let window = size.trailing_zeros();
        let windows = bits.div_ceil(window);
        let mut acc = self.one();
        let mut entry = [0u32; L];
        for w in (0..windows).rev() {
            for _ in 0..window {
                acc = self.square(&acc);
            }
            for (table, e) in terms {
                let idx = window_bits(e, w * window, window);
                // Exactly one entry matches idx (< size), so OR-ing every masked entry selects it.
                entry = [0u32; L];
                for (i, candidate) in table.entries.iter().enumerate() {
                    // All ones when i == idx, else 0, without a comparison branch.
                    let mask = ((u64::from((i as u32) ^ idx).wrapping_sub(1)) >> 32) as u32;
                    for k in 0..L {
                        entry[k] |= candidate[k] & mask;
                    }
                }
                acc = self.mul(&acc, &entry);
            }
        }
        entry.zeroize();
        let out = self.retrieve(&acc);
        acc.zeroize();
        out
    }
}

/// base^0 … base^(2^w − 1) in Montgomery form, for [`Modulus::fixed_multi_pow`].
pub struct Table {
    entries: Vec<Limbs>,
}

/// `width` bits of `e` starting at bit `at` (public position; bits past the end read as 0).
fn window_bits(e: &[u32], at: u32, width: u32) -> u32 {
    let word = (at / 32) as usize;
    let shift = at % 32;
    let lo = e.get(word).copied().unwrap_or(0) >> shift;
    let hi = if shift == 0 { 0 } else { e.get(word + 1).copied().unwrap_or(0) << (32 - shift) };
    (lo | hi) & ((1 << width) - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limbs_round_trip_bytes() {
        let mut x = [0u8; BYTES];
        for (i, b) in x.iter_mut().enumerate() {
            *b = (i as u8).wrapping_mul(151).wrapping_add(7);
        }
        assert_eq!(*from_limbs(&to_limbs(&x)), x);
    }

    #[test]
    fn window_bits_cross_word_boundaries() {
        let e = [0x8000_0001u32, 0x0000_0003];
        assert_eq!(window_bits(&e, 0, 5), 1);
        assert_eq!(window_bits(&e, 31, 5), 0b111);
        assert_eq!(window_bits(&e, 60, 5), 0);
    }

    #[test]
    fn newton_gives_the_negated_inverse() {
        for n0 in [1u32, 3, 0x0fff_ffff, 0x0123_4567] {
            assert_eq!(n0.wrapping_mul(neg_inv(n0)) & (MASK as u32), MASK as u32, "{n0:#x}");
        }
    }
}
