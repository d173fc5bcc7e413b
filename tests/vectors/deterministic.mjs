// Shared by the vector generators: a deterministic byte stream and a pinned clock, so re-running a generator
// writes the same file.
import { createHash } from 'node:crypto';

/** n bytes of SHA-256 in counter mode over `label`. */
export function bytes(label, n) {
  const out = [];
  for (let i = 0; out.length < n; i++) out.push(...createHash('sha256').update(`${label}/${i}`).digest());
  return Buffer.from(out.slice(0, n));
}

const RealDate = Date;

/** Runs `fn` with `new Date()` and `Date.now()` fixed at `unixSeconds`. */
export function atTime(unixSeconds, fn) {
  globalThis.Date = class extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(unixSeconds * 1000);
      else super(...args);
    }
    static now() { return unixSeconds * 1000; }
  };
  try {
    return fn();
  } finally {
    globalThis.Date = RealDate;
  }
}
