//! SHA-256, SHA-1, HMAC and the one HKDF-SHA256 expansion the protocol needs, hand-written for size: the
//! RustCrypto stack (digest, block-buffer, hybrid-array, hmac, hkdf) was ~8 KB of the wasm for the few dozen
//! blocks a sign-in hashes. Rolled loops; nothing branches on the data, so the timing depends only on lengths.
//! The tests check the FIPS 180-4 / RFC 2202 / RFC 4231 / RFC 5869 vectors and agree with the RustCrypto crates
//! on random inputs of every length around the block boundaries.

use zeroize::{Zeroize, Zeroizing};

/// The two hashes: both Merkle–Damgård with 64-byte blocks and a big-endian bit length, so one buffer,
/// padding and HMAC serve both (one copy of that code in the wasm instead of one per hash).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Algo {
    /// FIPS 180-4 SHA-1 (TOTP's HMAC-SHA1 only).
    Sha1,
    /// FIPS 180-4 SHA-256.
    Sha256,
}

impl Algo {
    /// Digest bytes.
    pub const fn out(self) -> usize {
        match self {
            Algo::Sha1 => 20,
            Algo::Sha256 => 32,
        }
    }
}

/// A running hash. `update` any number of times, then `finish`.
pub struct Hasher {
    algo: Algo,
    state: [u32; 8],
    block: [u8; 64],
    /// Bytes hashed so far.
    len: u64,
}

impl Drop for Hasher {
    fn drop(&mut self) {
        // The buffered block can hold password or key bytes.
        self.block.zeroize();
        self.state.zeroize();
    }
}

impl Hasher {
    pub fn new(algo: Algo) -> Hasher {
        let state = match algo {
            Algo::Sha1 => [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0, 0, 0, 0],
            Algo::Sha256 => {
                [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
            }
        };
        Hasher { algo, state, block: [0; 64], len: 0 }
    }

    pub fn update(&mut self, mut data: &[u8]) -> &mut Self {
        while !data.is_empty() {
            let at = (self.len % 64) as usize;
            let take = (64 - at).min(data.len());
            let (head, rest) = data.split_at(take);
            self.block[at..at + take].copy_from_slice(head);
            self.len += take as u64;
            data = rest;
            if at + take == 64 {
                match self.algo {
                    Algo::Sha1 => sha1_compress(&mut self.state, &self.block),
                    Algo::Sha256 => sha256_compress(&mut self.state, &self.block),
                }
            }
        }
        self
    }

    /// The digest (`algo.out()` bytes at the front of the array; the rest is zero).
    pub fn finish(&mut self) -> [u8; 32] {
        let bits = self.len.wrapping_mul(8);
        self.update(&[0x80]);
        while self.len % 64 != 56 {
            self.update(&[0]);
        }
        self.update(&bits.to_be_bytes());
        let mut out = [0u8; 32];
        for (chunk, word) in out.chunks_mut(4).zip(self.state).take(self.algo.out() / 4) {
            chunk.copy_from_slice(&word.to_be_bytes());
        }
        out
    }
}

fn sha256_compress(state: &mut [u32; 8], block: &[u8; 64]) {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
        0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
        0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
        0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
        0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
        0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
        0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut w = schedule(block);
    for i in 16..64 {
        let (a, b) = (w[i - 15], w[i - 2]);
        let s0 = a.rotate_right(7) ^ a.rotate_right(18) ^ (a >> 3);
        let s1 = b.rotate_right(17) ^ b.rotate_right(19) ^ (b >> 10);
        w[i] = w[i - 16].wrapping_add(s0).wrapping_add(w[i - 7]).wrapping_add(s1);
    }
    let mut v = *state;
    for (&k, &wi) in K.iter().zip(&w) {
        let [a, b, c, d, e, f, g, h] = v;
        let t1 = h
            .wrapping_add(e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25))
            .wrapping_add((e & f) ^ (!e & g))
            .wrapping_add(k)
            .wrapping_add(wi);
        let t2 =
            (a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22)).wrapping_add((a & b) ^ (a & c) ^ (b & c));
        v = [t1.wrapping_add(t2), a, b, c, d.wrapping_add(t1), e, f, g];
    }
    for (s, x) in state.iter_mut().zip(v) {
        *s = s.wrapping_add(x);
    }
    w.zeroize();
}

fn sha1_compress(state: &mut [u32; 8], block: &[u8; 64]) {
    let mut w = schedule(block);
    for i in 16..80 {
        w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
    }
    let [mut a, mut b, mut c, mut d, mut e, ..] = *state;
    for (i, &wi) in w.iter().enumerate() {
        let (f, k) = match i / 20 {
            0 => ((b & c) | (!b & d), 0x5a827999),
            1 => (b ^ c ^ d, 0x6ed9eba1),
            2 => ((b & c) | (b & d) | (c & d), 0x8f1bbcdc),
            _ => (b ^ c ^ d, 0xca62c1d6),
        };
        let t = a.rotate_left(5).wrapping_add(f).wrapping_add(e).wrapping_add(k).wrapping_add(wi);
        (e, d, c, b, a) = (d, c, b.rotate_left(30), a, t);
    }
    for (s, x) in state.iter_mut().zip([a, b, c, d, e]) {
        *s = s.wrapping_add(x);
    }
    w.zeroize();
}

/// The message schedule's first 16 words (big-endian); 80 slots, SHA-256 uses 64.
fn schedule(block: &[u8; 64]) -> [u32; 80] {
    let mut w = [0u32; 80];
    for (wi, chunk) in w.iter_mut().zip(block.chunks_exact(4)) {
        *wi = u32::from_be_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
    }
    w
}

/// SHA-256 of the concatenation of `parts`.
pub fn sha256(parts: &[&[u8]]) -> [u8; 32] {
    let mut h = Hasher::new(Algo::Sha256);
    for p in parts {
        h.update(p);
    }
    h.finish()
}

/// HMAC (RFC 2104) of the concatenation of `parts` under `key` (any length), `algo.out()` bytes at the front.
pub fn hmac(algo: Algo, key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut block = Zeroizing::new([0u8; 64]);
    if key.len() > 64 {
        // The digest, zero-padded to 32 bytes: for SHA-1 its last 12 are the block's zeros anyway.
        block[..32].copy_from_slice(&Hasher::new(algo).update(key).finish());
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let mut pad = Zeroizing::new([0u8; 64]);
    let mut inner = Hasher::new(algo);
    pad.iter_mut().zip(block.iter()).for_each(|(p, k)| *p = k ^ 0x36);
    inner.update(&*pad);
    for p in parts {
        inner.update(p);
    }
    let inner = Zeroizing::new(inner.finish());
    let mut outer = Hasher::new(algo);
    pad.iter_mut().zip(block.iter()).for_each(|(p, k)| *p = k ^ 0x5c);
    outer.update(&*pad).update(&inner[..algo.out()]);
    outer.finish()
}

/// HKDF-SHA256 (RFC 5869) for an output of at most 32 bytes: one block, T(1) = HMAC(PRK, info ‖ 0x01).
pub fn hkdf_sha256_32(salt: &[u8], ikm: &[u8], info: &[u8]) -> Zeroizing<[u8; 32]> {
    let prk = Zeroizing::new(hmac(Algo::Sha256, salt, &[ikm]));
    Zeroizing::new(hmac(Algo::Sha256, &*prk, &[info, &[1]]))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use ::hmac::{KeyInit, Mac};
    use ::sha2::Digest;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn fips_180_vectors() {
        let two_blocks = b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        assert_eq!(hex(&sha256(&[b"abc"])), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(hex(&sha256(&[])), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert_eq!(hex(&sha256(&[two_blocks])), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
        let sha1 = |m: &[u8]| hex(&Hasher::new(Algo::Sha1).update(m).finish()[..20]);
        assert_eq!(sha1(b"abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
        assert_eq!(sha1(two_blocks), "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
        let million = vec![b'a'; 1_000_000];
        assert_eq!(hex(&sha256(&[&million])), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
        assert_eq!(sha1(&million), "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
    }

    #[test]
    fn hmac_and_hkdf_rfc_vectors() {
        // RFC 4231 test cases 1 and 6 (a key longer than the block).
        assert_eq!(
            hex(&hmac(Algo::Sha256, &[0x0b; 20], &[b"Hi There"])),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
        assert_eq!(
            hex(&hmac(Algo::Sha256, &[0xaa; 131], &[b"Test Using Larger Than Block-Size Key - Hash Key First"])),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
        // RFC 2202 test cases 2 and 6.
        assert_eq!(
            hex(&hmac(Algo::Sha1, b"Jefe", &[b"what do ya want ", b"for nothing?"])[..20]),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"
        );
        assert_eq!(
            hex(&hmac(Algo::Sha1, &[0xaa; 80], &[b"Test Using Larger Than Block-Size Key - Hash Key First"])[..20]),
            "aa4ae5e15272d00e95705637ce8a3b55ed402112"
        );
        // RFC 5869 test case 1: the first 32 bytes of its 42-byte OKM.
        let ikm = [0x0b; 22];
        let salt: Vec<u8> = (0..=0x0c).collect();
        let info: Vec<u8> = (0xf0..=0xf9).collect();
        assert_eq!(
            hex(&*hkdf_sha256_32(&salt, &ikm, &info)),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
        );
    }

    #[test]
    fn agrees_with_rustcrypto_at_every_length_around_the_blocks() {
        let data: Vec<u8> = (0..300u32).map(|i| (i * 131 + 7) as u8).collect();
        for len in (0..=200).chain([255, 256, 257, 300]) {
            let m = &data[..len];
            // Split the message at an arbitrary point: streaming must not depend on how it is cut.
            let (a, b) = m.split_at(len / 3);
            assert_eq!(sha256(&[a, b]).as_slice(), ::sha2::Sha256::digest(m).as_slice(), "sha256 {len}");
            let ours = Hasher::new(Algo::Sha1).update(a).update(b).finish();
            assert_eq!(&ours[..20], ::sha1::Sha1::digest(m).as_slice(), "sha1 {len}");
            assert_eq!(ours[20..], [0; 12]);
            let key = &data[len / 2..len];
            let mut mac = <::hmac::Hmac<::sha2::Sha256> as KeyInit>::new_from_slice(key).unwrap();
            mac.update(m);
            assert_eq!(
                hmac(Algo::Sha256, key, &[a, b]).as_slice(),
                mac.finalize().into_bytes().as_slice(),
                "hmac {len}"
            );
            let mut mac = <::hmac::Hmac<::sha1::Sha1> as KeyInit>::new_from_slice(key).unwrap();
            mac.update(m);
            assert_eq!(&hmac(Algo::Sha1, key, &[m])[..20], mac.finalize().into_bytes().as_slice(), "hmac-sha1 {len}");
            let mut okm = [0u8; 32];
            ::hkdf::Hkdf::<::sha2::Sha256>::new(Some(key), m).expand(a, &mut okm).unwrap();
            assert_eq!(*hkdf_sha256_32(key, m, a), okm, "hkdf {len}");
        }
    }
}
