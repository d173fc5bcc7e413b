// RFC 6238 TOTP (SHA-1, 30 s steps), written here so the Node-side tests never trust the code under test for the
// codes they type. Shared by demo.test.mjs, client/ and thirdparty/; demo.test.mjs checks it against the RFC's
// published values.
import { createHmac } from "node:crypto";

/** Base32 (RFC 4648) text, spaces and padding ignored, as bytes. */
function base32Decode(text) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const bytes = [];
  let bits = 0;
  let value = 0;
  for (const ch of text.replace(/[\s=]/g, "").toUpperCase()) {
    const index = alphabet.indexOf(ch);
    if (index < 0) throw new Error(`not base32: ${ch}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
      value &= (1 << bits) - 1;
    }
  }
  return Buffer.from(bytes);
}

/** The code for `unixSeconds` (6 digits unless told). */
export function totp(secret, unixSeconds, digits = 6) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30)));
  const mac = createHmac("sha1", base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const number = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return String(number).padStart(digits, "0");
}
