// Fuzzes the JS protocol layer of a built package with hostile server answers: every public method and
// every step type, each request answered by a seeded mutation of a valid answer (odd statuses, truncated
// or flipped bytes, missing members, members of the wrong type, unknown challenges, SRP garbage, error
// types in every shape, cut connections, answers that stall or come after the timeout). Whatever the server
// says, the promise must settle to the documented shape or to the package's error (never a JS engine error
// or a wasm trap), follow the retry policy (at most 3 tries, and only after a cut, a timeout, a 5xx or
// throttling), never sign a proof for B ≡ 0 mod N, never send the password, leave any step it returned
// answerable and the client able to sign in. The cargo-fuzz `flow` target does the same for the Rust state
// machine natively.
//
// Run (after building the web package, e.g. by `cargo xtask demo`):
//   COGNITO_PKG_DIR=www/pkg node --test js/test/fuzz.test.mjs
// FUZZ_SEED=<n> replays a run (the seed is printed), FUZZ_RUNS=<n> sets the number of cases, FUZZ_CASE=<n>
// runs one case of the run alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CLIENT_ID, POOL_ID, SECRET, client, fixture, lib, ok, replay, vector } from './support.mjs';

// Traps are seen where they surface: the protocol runs in wasm, so a trap rejects the call with a
// WebAssembly.RuntimeError (an engine error, refused by checkError) and leaves the module unusable (the
// sign-in after a failed case then fails too).
/** @type {unknown[]} */
const traps = [];
process.on('uncaughtException', (e) => {
  if (e instanceof WebAssembly.RuntimeError) traps.push(e);
  else throw e;
});

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) >>> 0 : crypto.getRandomValues(new Uint32Array(1))[0];
const RUNS = Number(process.env.FUZZ_RUNS ?? 600);
/** FUZZ_CASE=<n> runs case n of the run alone (a failure names its case). */
const ONLY = process.env.FUZZ_CASE ? Number(process.env.FUZZ_CASE) : undefined;
console.log(`fuzz: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS}`);

/**
 * Each client's timeout: short, so that answers slower than it cost little, yet long enough that a
 * busy machine does not time out prompt answers (a retry that comes this late is not held against the client).
 */
const TIMEOUT_MS = 600;
/** A method must settle within this: 3 operations × (3 timed-out tries + backoff), with room to spare. */
const SETTLE_MS = 10_000;
/** Cases in flight at once (their backoff pauses overlap). */
const PARALLEL = 8;

// ---- the seeded PRNG ------------------------------------------------------------------------------

/** mulberry32: small, fast and good enough to pick mutations. */
class Rng {
  /** @param {number} seed */
  constructor(seed) {
    this.state = seed >>> 0;
  }

  next() {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  }

  /** @param {number} n */
  int(n) {
    return Math.floor(this.next() * n);
  }

  /** @template T @param {readonly T[]} a @returns {T} */
  pick(a) {
    return a[this.int(a.length)];
  }

  /** @param {number} p */
  chance(p) {
    return this.next() < p;
  }
}

/** Case `n` of a run has its own stream, so a failing case replays alone whatever ran beside it. */
const caseSeed = (n) => (SEED ^ Math.imul(n + 1, 0x9e3779b1)) >>> 0;

// ---- hostile material -----------------------------------------------------------------------------

const HUGE = 'A'.repeat(300_000);
const HOSTILE = [
  null, 0, -1, 1.5, 2 ** 53 + 2, 1e308, true, false, [], ['a'], [null, 7, {}], {}, { a: 1 }, '', ' ', HUGE,
  'ünïcødé ✓ 🔐', '\ud800', 'a\udfffb', '\u0000', '<script>alert(1)</script>', '__proto__', 'constructor',
  'SOFTWARE_TOKEN_MFA', '[]', '{}', 'null',
];
/** A fresh copy: the arrays and objects above must not end up shared (or inside themselves) across answers. @param {Rng} rng */
const hostileValue = (rng) => structuredClone(rng.pick(HOSTILE));
const CHALLENGES = [
  'PASSWORD_VERIFIER', 'SOFTWARE_TOKEN_MFA', 'MFA_SETUP', 'NEW_PASSWORD_REQUIRED', 'SELECT_MFA_TYPE', 'SMS_MFA',
  'SMS_OTP', 'EMAIL_OTP', 'CUSTOM_CHALLENGE', 'DEVICE_SRP_AUTH', 'PASSWORD', 'WEB_AUTHN', 'software_token_mfa',
];
/** The SRP group's N (RFC 5054, 3072 bits): B ≡ 0 mod N must be refused, B above N reduced. */
const N = BigInt(`0x${
  'ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74020bbea63b139b22514a08798e3404dd' +
  'ef9519b3cd3a431b302b0a6df25f14374fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7ed' +
  'ee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf0598da48361c55d39a69163fa8fd24cf5f' +
  '83655d23dca3ad961c62f356208552bb9ed529077096966d670c354e4abc9804f1746c08ca18217c32905e462e36ce3b' +
  'e39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf6955817183995497cea956ae515d2261898fa0510' +
  '15728e5a8aaac42dad33170d04507a33a85521abdf1cba64ecfb850458dbef0a8aea71575d060c7db3970f85a6e1e4c7' +
  'abf5ae8cdb0933d71e8c94e04a25619dcee3d2261ad2ee6bf12ffa06d98a0864d87602733ec86a64521f2b18177b200c' +
  'bbe117577a615d6c770988c0bad946e208e24fa074e5ab3143db5bfce0fd108e4b82d120a93ad2caffffffffffffffff'
}`);
const SRP_GARBAGE = [
  N.toString(16), (2n * N).toString(16), (N + 1n).toString(16), (N - 1n).toString(16), `${'0'.repeat(800)}1`,
  '0', '0'.repeat(768), '00', 'zz', 'g1', '-1', '0x1f', ' ab', 'ab ', '1', 'ff', 'f'.repeat(200_000), '!!', 'a', '====',
  'YQ', 'YQ==', 'A'.repeat(400_001), 'ü',
];
const JSON_TEXTS = [
  '[1,null,{}]', '{"a":1}', '["SMS_MFA",7]', 'not json', '[]', '["EMAIL_OTP","SMS_OTP","SOFTWARE_TOKEN_MFA"]',
  '["PIGEON"]', '{"__proto__":"x","name":5,"email":"e"}', `[${'"a",'.repeat(10_000)}"a"]`, '"text"', 'null', '[[]]',
  '["userAttributes.__proto__","userAttributes."]', '{"constructor":"c","toString":"t"}',
];
const MEMBERS = [
  '__type', 'message', 'Message', 'ChallengeName', 'Session', 'AuthenticationResult', 'ChallengeParameters', 'Status',
  'SecretCode', 'Username', 'UserAttributes', 'UserMFASettingList', 'PreferredMfaSetting', 'extra', '__proto__',
];
const TYPES = [
  'NotAuthorizedException', 'CodeMismatchException', 'TooManyRequestsException', 'InternalErrorException',
  'ThrottlingException', 'InvalidParameterException', 'ExpiredCodeException',
  'com.amazonaws.cognito.identity.idp.model#UserNotFoundException',
  'aws#LimitExceededException:http://internal.amazon.com/coral/', 'ResourceNotFoundException:', '#', ':', '', ' ',
  '##::', 'Weird Exception', 'ÜnicodeException', '\ud800Exception', `${'A'.repeat(5000)}Exception`, 7, null, {},
];
/** The header is latin-1 by HTTP's rules (Node refuses anything else). */
const HEADER_TYPES = [
  'UserNotConfirmedException:http://internal.amazon.com/coral/com.amazonaws.cognito/', 'aws.cognito#ForbiddenException',
  'ThrottlingException', 'ServiceUnavailable', '', ':', '#', 'x#y:z', 'InternalErrorException',
];
const STATUSES = [201, 204, 299, 300, 301, 304, 400, 401, 403, 404, 409, 413, 429, 500, 502, 503, 504];
const BODIES = [
  '', '   ', 'null', '[]', '0', '"x"', 'true', '<html><body>503 Service Unavailable</body></html>', '{', '}', '{}',
  '{"__type":', 'garbage', '\ufeff{}', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0xc3, 0x22, 0x7d]),
];
const FLIPS = ['"', '{', '}', '[', ']', ',', ':', '\\', 'x', '0', '\u0000', 'é', '\ud800', ' '];

/**
 * Sets an own member, `__proto__` included (a plain assignment would set the prototype instead and
 * JSON.stringify would not show it).
 * @param {any} o @param {string | number} k @param {unknown} v
 */
const put = (o, k, v) => Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });

/** Every (container, key) in a JSON value. @param {unknown} v @param {[any, string][]} out */
const slots = (v, out = []) => {
  if (v && typeof v == 'object') {
    for (const k of Object.keys(v)) {
      out.push([v, k]);
      slots(/** @type {any} */ (v)[k], out);
    }
  }
  return out;
};

/** @param {unknown} v */
const isObject = (v) => v !== null && typeof v == 'object' && !Array.isArray(v);

/**
 * One of `keys`, mostly one the answer already has (changing what the client reads finds more than
 * adding what it ignores). @param {Rng} rng @param {object} o @param {string[]} keys
 */
const member = (rng, o, keys) => {
  const present = keys.filter((k) => Object.hasOwn(o, k));
  return present.length && rng.chance(0.8) ? rng.pick(present) : rng.pick(keys);
};

/** One structural change to a parsed answer; returns the (possibly new) root. @param {Rng} rng @param {any} root */
function mutateOnce(rng, root) {
  const all = slots(root);
  const params = () => {
    if (!isObject(root)) return undefined;
    if (!isObject(root.ChallengeParameters)) root.ChallengeParameters = {};
    return root.ChallengeParameters;
  };
  // Weighted towards retyping what is there: that is where a shape check is most easily forgotten.
  switch (rng.pick([0, 0, 1, 1, 1, 1, 2, 3, 4, 5, 5, 6, 6, 7, 8])) {
    case 0: {
      if (!all.length) return root;
      const [o, k] = rng.pick(all);
      if (Array.isArray(o)) o.splice(Number(k), 1);
      else delete o[k];
      return root;
    }
    case 1: {
      if (!all.length) return hostileValue(rng);
      const [o, k] = rng.pick(all);
      put(o, k, hostileValue(rng));
      return root;
    }
    case 2: {
      const holders = [root, ...all.map(([o, k]) => o[k])].filter(isObject);
      if (holders.length) put(rng.pick(holders), rng.pick(MEMBERS), rng.chance(0.5) ? hostileValue(rng) : rng.pick(TYPES));
      return root;
    }
    case 3:
      if (isObject(root)) root.ChallengeName = rng.chance(0.7) ? rng.pick(CHALLENGES) : hostileValue(rng);
      return root;
    case 4:
      if (isObject(root)) root.ChallengeParameters = hostileValue(rng);
      return root;
    case 5: {
      const p = params();
      if (p) put(p, member(rng, p, ['SRP_B', 'SALT', 'SECRET_BLOCK', 'USER_ID_FOR_SRP', 'USERNAME']), rng.chance(0.7) ? rng.pick(SRP_GARBAGE) : hostileValue(rng));
      return root;
    }
    case 6: {
      const p = params();
      const key = p && member(rng, p, ['MFAS_CAN_SETUP', 'MFAS_CAN_CHOOSE', 'requiredAttributes', 'userAttributes', 'CODE_DELIVERY_DESTINATION', 'FRIENDLY_DEVICE_NAME']);
      if (p) put(p, key, rng.chance(0.7) ? rng.pick(JSON_TEXTS) : hostileValue(rng));
      return root;
    }
    case 7: {
      if (!isObject(root)) return root;
      if (!isObject(root.AuthenticationResult) || rng.chance(0.2)) {
        root.AuthenticationResult = rng.chance(0.5) ? hostileValue(rng) : {};
      } else {
        put(root.AuthenticationResult, rng.pick(['AccessToken', 'IdToken', 'RefreshToken', 'ExpiresIn', 'TokenType']), hostileValue(rng));
      }
      return root;
    }
    default:
      return hostileValue(rng);
  }
}

/** The answer's bytes, changed: cut short, or a few characters replaced. @param {Rng} rng @param {string} text */
function mutateText(rng, text) {
  if (rng.chance(0.5)) return text.slice(0, rng.int(text.length + 1));
  const chars = [...text];
  for (let n = 1 + rng.int(4); n > 0 && chars.length; n--) chars[rng.int(chars.length)] = rng.pick(FLIPS);
  return chars.join('');
}

/** An answer the retry policy must try again after: a server error, throttling or a cut connection. @param {Rng} rng */
const retryable = (rng) => rng.pick([
  { drop: true }, { status: 200, body: '{"SecretCode":"JBSWY3DPEHPK3PXP"}', cutBody: true }, { status: 500, body: '' }, { status: 503, body: '<html>down</html>' }, { status: 502, body: '{}', errorType: 'ServiceUnavailable' },
  { status: 400, body: '{"__type":"TooManyRequestsException","message":"Rate exceeded"}' },
  { status: 400, body: '{}', errorType: 'TooManyRequestsException:http://internal.amazon.com/coral/' },
]);

/**
 * A hostile variant of a valid answer.
 * @param {Rng} rng @param {string} base the valid body
 * @returns {{ status?: number, body?: string | Buffer, errorType?: string, drop?: boolean, delayMs?: number }}
 */
function hostile(rng, base) {
  const r = rng.next();
  if (r < 0.03) return { drop: true };
  if (r < 0.05) return { status: 200, body: base, delayMs: TIMEOUT_MS + 200 };
  if (r < 0.06) return { status: 200, body: base, stallMs: TIMEOUT_MS + 200 };
  if (r < 0.07) return { status: 200, body: base, cutBody: true };
  const status = rng.chance(0.6) ? 200 : rng.pick(STATUSES);
  if (base.includes('"SRP_B"') && rng.chance(0.3)) {
    // The SRP values alone, the rest intact, so that the kernel gets to judge them.
    const root = JSON.parse(base);
    root.ChallengeParameters[rng.pick(['SRP_B', 'SRP_B', 'SALT', 'SECRET_BLOCK'])] = rng.pick(SRP_GARBAGE);
    return { status: 200, body: JSON.stringify(root) };
  }
  const k = rng.next();
  let body;
  if (k < 0.55) {
    let root = JSON.parse(base.trim() || '{}');
    for (let n = 1 + rng.int(3); n > 0; n--) root = mutateOnce(rng, root);
    body = JSON.stringify(root);
  } else if (k < 0.7) {
    body = mutateText(rng, base);
  } else if (k < 0.8) {
    body = rng.pick(BODIES);
  } else {
    /** @type {Record<string, unknown>} */
    const e = { __type: rng.pick(TYPES) };
    if (rng.chance(0.8)) e[rng.pick(['message', 'Message'])] = rng.pick([...HOSTILE, 'Rate exceeded']);
    if (rng.chance(0.3)) e.message = rng.pick(['', '  ', null]);
    body = JSON.stringify(e);
  }
  return { status, body, ...(rng.chance(0.2) && { errorType: rng.pick(HEADER_TYPES) }) };
}

// ---- valid answers and the scenarios --------------------------------------------------------------

const SRP = vector('plain-ascii').input;
const PASSWORD_VERIFIER = JSON.stringify({
  ChallengeName: 'PASSWORD_VERIFIER', Session: 'session-verifier',
  ChallengeParameters: { SALT: SRP.saltHex, SECRET_BLOCK: SRP.secretBlock, SRP_B: SRP.bHex, USERNAME: 'alice', USER_ID_FOR_SRP: 'alice' },
});
const SMS_OTP = fixture('sms_mfa').replace('"SMS_MFA"', '"SMS_OTP"');
/** Every answer that continues a sign-in. */
const NEXT = ['tokens', 'software_token_mfa', 'mfa_setup', 'new_password_required', 'select_mfa_type', 'sms_mfa', 'email_otp'].map(fixture);
NEXT.push(SMS_OTP);

/** What a well-behaved server answers after the fuzzed call (RespondToAuthChallenge: tokens). */
const VALID = /** @type {Record<string, string>} */ ({
  InitiateAuth: PASSWORD_VERIFIER, AssociateSoftwareToken: fixture('associate_session'), VerifySoftwareToken: fixture('verify_session'),
});

/** Steps and setups made once with valid answers; a step can be answered again and again. */
const made = /** @type {Record<string, any>} */ ({});

before(async () => {
  await replay.start();
  const auth = client();
  for (const [name, answer] of [
    ['totpCode', fixture('software_token_mfa')], ['smsCode', fixture('sms_mfa')], ['smsOtp', SMS_OTP],
    ['emailCode', fixture('email_otp')], ['selectMfa', fixture('select_mfa_type')],
    ['newPassword', fixture('new_password_required')], ['mfaSetup', fixture('mfa_setup')],
  ]) {
    replay.script(ok(PASSWORD_VERIFIER), ok(answer));
    made[name] = await auth.signIn('alice', 'setup-password');
  }
  replay.script(ok(fixture('associate_session')), ok('{"SecretCode":"JBSWY3DPEHPK3PXP"}'));
  made.sessionSetup = await auth.associateTotp(made.mfaSetup);
  made.accessSetup = await auth.associateTotp('access-token');
});
after(() => replay.server.close());

/**
 * @typedef {object} Scenario
 * @property {string} name
 * @property {Record<string, string | string[]>} answers  the valid answer per operation (a list: one is picked per case)
 * @property {string} kind  what the method resolves to: step, setup, user, tokens, void
 * @property {(auth: any, password: string, rng: Rng, secret: boolean) => Promise<unknown>} run
 */

/** @type {Scenario[]} */
const SCENARIOS = [
  { name: 'signIn', kind: 'step', answers: { InitiateAuth: PASSWORD_VERIFIER, RespondToAuthChallenge: NEXT }, run: (a, pw) => a.signIn('alice', pw) },
  { name: 'confirmTotp', kind: 'step', answers: { RespondToAuthChallenge: NEXT }, run: (a) => a.confirmTotp(made.totpCode, '123456') },
  { name: 'confirmCode (SMS_MFA)', kind: 'step', answers: { RespondToAuthChallenge: NEXT }, run: (a) => a.confirmCode(made.smsCode, '123 456') },
  { name: 'confirmCode (SMS_OTP)', kind: 'step', answers: { RespondToAuthChallenge: NEXT }, run: (a) => a.confirmCode(made.smsOtp, '654321') },
  { name: 'confirmCode (EMAIL_OTP)', kind: 'step', answers: { RespondToAuthChallenge: NEXT }, run: (a) => a.confirmCode(made.emailCode, '135791') },
  {
    name: 'selectMfa', kind: 'step', answers: { RespondToAuthChallenge: NEXT },
    run: (a, _, rng) => a.selectMfa(made.selectMfa, rng.pick(['TOTP', 'SMS', 'EMAIL'])),
  },
  {
    name: 'completeNewPassword', kind: 'step', answers: { RespondToAuthChallenge: NEXT },
    run: (a, _, rng) => a.completeNewPassword(made.newPassword, 'N3w-Fuzz-passw0rd!', rng.chance(0.5) ? { name: 'Fuzz' } : undefined),
  },
  { name: 'associateTotp (Session)', kind: 'setup', answers: { AssociateSoftwareToken: fixture('associate_session') }, run: (a) => a.associateTotp(made.mfaSetup) },
  { name: 'associateTotp (access token)', kind: 'setup', answers: { AssociateSoftwareToken: '{"SecretCode":"JBSWY3DPEHPK3PXP"}' }, run: (a) => a.associateTotp('access-token') },
  {
    name: 'verifyTotp (Session)', kind: 'step', answers: { VerifySoftwareToken: fixture('verify_session'), RespondToAuthChallenge: NEXT },
    run: (a, _, rng) => a.verifyTotp(made.sessionSetup, '123456', rng.pick([undefined, null, 'My phone', ''])),
  },
  { name: 'verifyTotp (access token)', kind: 'void', answers: { VerifySoftwareToken: '{"Status":"SUCCESS"}' }, run: (a) => a.verifyTotp(made.accessSetup, '123456') },
  { name: 'setMfaPreference', kind: 'void', answers: { SetUserMFAPreference: ['{}', ''] }, run: (a) => a.setMfaPreference('access-token', { totp: 'preferred', sms: 'disabled' }) },
  { name: 'getUser', kind: 'user', answers: { GetUser: fixture('get_user') }, run: (a) => a.getUser('access-token') },
  {
    name: 'disableTotp', kind: 'void',
    answers: { InitiateAuth: PASSWORD_VERIFIER, RespondToAuthChallenge: NEXT, SetUserMFAPreference: ['{}', ''] },
    run: (a, pw) => a.disableTotp('alice', pw, 'access-token'),
  },
  { name: 'refresh', kind: 'tokens', answers: { InitiateAuth: fixture('refresh') }, run: (a, _, __, secret) => a.refresh('refresh-token', secret ? 'alice' : undefined) },
  { name: 'globalSignOut', kind: 'void', answers: { GlobalSignOut: ['', '{}'] }, run: (a) => a.globalSignOut('access-token') },
  { name: 'revokeToken', kind: 'void', answers: { RevokeToken: ['{}', ''] }, run: (a) => a.revokeToken('refresh-token') },
];

// ---- the properties -------------------------------------------------------------------------------

const ENGINE_ERRORS = ['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError', 'AggregateError', 'RuntimeError', 'CompileError', 'LinkError'];
/** How a trap or a misused wasm-bindgen object reads once the client has wrapped it in its own error. */
const TRAP = /unreachable|out of bounds|divide by zero|integer overflow|RuntimeError|null pointer passed|recursive use|unsafe aliasing/i;
const STEP_FIELDS = /** @type {Record<string, string[]>} */ ({
  done: ['tokens'], totpCode: ['friendlyDeviceName'], mfaSetup: ['canSetup'], newPassword: ['requiredAttributes', 'userAttributes'],
  selectMfa: ['options'], smsCode: ['destination'], emailCode: ['destination'],
});
const MFA_TYPES = ['TOTP', 'SMS', 'EMAIL'];

/** @param {unknown} v @param {string} what */
const nonEmptyString = (v, what) => assert.ok(typeof v == 'string' && v.length > 0, `${what} is not a non-empty string: ${typeof v}`);
/** @param {unknown} v @param {string} what */
const optionalString = (v, what) => v === undefined || nonEmptyString(v, what);
/** @param {unknown} v @param {string} what */
const stringArray = (v, what) => assert.ok(Array.isArray(v) && v.every((s) => typeof s == 'string'), `${what} is not a string[]`);
/** @param {unknown} v @param {string} what */
const stringMap = (v, what) => {
  assert.ok(isObject(v) && Object.getPrototypeOf(v) === Object.prototype, `${what} is not a plain object`);
  for (const [k, s] of Object.entries(/** @type {object} */ (v))) assert.equal(typeof s, 'string', `${what}.${k}`);
};
/** @param {object} o @param {string[]} keys @param {string} what */
const onlyKeys = (o, keys, what) => {
  for (const k of Object.keys(o)) assert.ok(keys.includes(k), `${what} has an undocumented member ${k}`);
};

/** @param {any} t */
function checkTokens(t) {
  assert.ok(isObject(t), 'tokens is not an object');
  onlyKeys(t, ['accessToken', 'idToken', 'refreshToken', 'expiresIn', 'tokenType'], 'tokens');
  nonEmptyString(t.accessToken, 'accessToken');
  nonEmptyString(t.idToken, 'idToken');
  optionalString(t.refreshToken, 'refreshToken');
  // Seconds as Cognito's u64: what JSON can say of it, nothing beyond (1e308 is no lifetime).
  assert.ok(Number.isInteger(t.expiresIn) && t.expiresIn >= 0 && t.expiresIn < 2 ** 64, `expiresIn ${t.expiresIn}`);
  nonEmptyString(t.tokenType, 'tokenType');
}

/** @param {any} s */
function checkStep(s) {
  assert.ok(s !== null && typeof s == 'object', 'the step is not an object');
  const fields = STEP_FIELDS[s.type];
  assert.ok(fields, `unknown step type ${String(s.type)}`);
  onlyKeys(s, ['type', ...fields], `step ${s.type}`);
  assert.deepEqual(s.toJSON(), { ...s }, 'toJSON() is not the public fields');
  switch (s.type) {
    case 'done': return checkTokens(s.tokens);
    case 'totpCode': return optionalString(s.friendlyDeviceName, 'friendlyDeviceName');
    case 'mfaSetup': return stringArray(s.canSetup, 'canSetup');
    case 'newPassword':
      stringArray(s.requiredAttributes, 'requiredAttributes');
      return stringMap(s.userAttributes, 'userAttributes');
    case 'selectMfa':
      assert.ok(Array.isArray(s.options) && s.options.length > 0 && s.options.every((o) => MFA_TYPES.includes(o)), 'options');
      return;
    default: return optionalString(s.destination, 'destination');
  }
}

/** @param {any} u */
function checkUser(u) {
  assert.ok(isObject(u), 'the user is not an object');
  onlyKeys(u, ['username', 'attributes', 'mfa'], 'user');
  assert.equal(typeof u.username, 'string', 'username');
  stringMap(u.attributes, 'attributes');
  assert.ok(isObject(u.mfa), 'mfa');
  onlyKeys(u.mfa, ['enabled', 'preferred'], 'mfa');
  stringArray(u.mfa.enabled, 'mfa.enabled');
  optionalString(u.mfa.preferred, 'mfa.preferred');
}

/** A setup's secret reaches the kernel through uri() and qrSvg(): a string, or bad input refused. @param {any} setup */
function checkSetup(setup) {
  assert.ok(setup instanceof lib.TotpSetup, 'not a TotpSetup');
  nonEmptyString(setup.secret, 'secret');
  for (const f of [() => setup.uri({ issuer: 'Fuzz', account: 'alice' }), () => setup.qrSvg({ issuer: 'Fuzz', account: 'alice' })]) {
    try {
      assert.equal(typeof f(), 'string');
    } catch (e) {
      if (e instanceof assert.AssertionError) throw e;
      checkError(e, new Set());
      assert.equal(/** @type {Error} */ (e).name, 'InvalidParameterException', 'uri()/qrSvg() failed otherwise than refusing the secret');
    }
  }
}

/**
 * The package's error: an Error, a name that is ours or one the server's answers carried, a
 * non-empty message, a boolean `retryable`, and no trace of a trap.
 * @param {any} e @param {Set<string>} answered the error types the non-2xx answers carried, raw
 * @param {string} [password]
 */
function checkError(e, answered, password) {
  assert.ok(e instanceof Error, `rejected with a non-Error: ${typeof e}`);
  assert.ok(typeof e.name == 'string' && e.name.length > 0, 'the error has no name');
  assert.ok(!ENGINE_ERRORS.includes(e.name), `an engine error escaped: ${e.name}: ${e.message}`);
  const ours = ['InvalidParameterException', 'NetworkError', 'ProtocolError', 'EnableSoftwareTokenMFAException'];
  assert.ok(ours.includes(e.name) || [...answered].some((t) => t.includes(e.name)), `name ${e.name.slice(0, 80)} came from nowhere`);
  assert.ok(typeof e.message == 'string' && e.message.length > 0, `${e.name} without a message`);
  assert.equal(typeof e.retryable, 'boolean', 'retryable');
  // A server's InvalidParameterException may come with a 5xx (retryable); ours never are.
  // A ProtocolError is retryable only when it stands for a 5xx without a Cognito type (checked below).
  if (e.name == 'NetworkError') assert.equal(e.retryable, true, 'NetworkError not retryable');
  assert.ok(!TRAP.test(e.message), `a trap: ${e.message}`);
  assert.ok(!password || !e.message.includes(password), 'the message shows the password');
}

/** `com.amazonaws...#Name:http://...` → `Name`, as Cognito's clients read it. @param {unknown} raw */
const typeName = (raw) => typeof raw == 'string' ? raw.split('#').pop()?.split(':')[0].trim() || undefined : undefined;

/**
 * The error type a non-2xx answer names (the body's `__type`, else the header). Node sends no body
 * with a 204 or 304.
 * @param {any} reply
 */
const replyType = (reply) => {
  let type;
  try {
    const v = [204, 304].includes(reply.status) ? undefined : JSON.parse(String(reply.body));
    if (isObject(v)) type = typeName(v.__type);
  } catch {}
  return type ?? typeName(reply.errorType);
};

/**
 * The retry policy: a cut, a timeout, a 5xx or throttling is tried again; nothing else. A late answer counts as a
 * timeout when the client had hung up before it went out (`late == 'unheard'`); one that went out to a client
 * still listening (a loaded machine delays timers) may be used or retried, so it is not judged here.
 * @param {any} reply
 */
const mustRetry = (reply) =>
  reply.delayMs || reply.stallMs
    ? reply.late === 'unheard'
    : reply.drop || reply.cutBody || reply.status >= 500 || (reply.status >= 300 && replyType(reply) == 'TooManyRequestsException');

/** What the client may try again: what it must, and any late answer (it may have timed out first). @param {any} reply */
const mayRetry = (reply) => Boolean(reply.delayMs || reply.stallMs) || mustRetry(reply);

/** SRP_B of an answer, when it is hex. @param {unknown} body @returns {bigint | undefined} */
const srpB = (body) => {
  try {
    const b = JSON.parse(String(body)).ChallengeParameters.SRP_B;
    return /^[0-9a-f]+$/i.test(b) ? BigInt(`0x${b}`) : undefined;
  } catch {}
};

/** Answers a step as an app would. @param {any} auth @param {any} s */
const answer = (auth, s) => {
  switch (s.type) {
    case 'totpCode': return auth.confirmTotp(s, '123456');
    case 'smsCode':
    case 'emailCode': return auth.confirmCode(s, '123456');
    case 'selectMfa': return auth.selectMfa(s, s.options[0]);
    case 'newPassword': return auth.completeNewPassword(s, 'N3w-Fuzz-passw0rd!');
    case 'mfaSetup': return auth.associateTotp(s);
  }
};

/** @template T @param {Promise<T>} p @returns {Promise<{ value?: T, error?: unknown, hung?: true }>} */
async function settle(p) {
  let timer;
  const hung = new Promise((resolve) => { timer = setTimeout(() => resolve({ hung: true }), SETTLE_MS); });
  try {
    return await Promise.race([p.then((value) => ({ value }), (error) => ({ error })), hung]);
  } finally {
    clearTimeout(timer);
  }
}

/** Text that shows what went wrong without megabytes of answer. @param {unknown} v */
const brief = (v) => {
  const s = Buffer.isBuffer(v) ? `<bytes ${v.toString('hex')}>` : String(v);
  return s.length > 300 ? `${s.slice(0, 300)}…(${s.length} chars)` : s;
};

/**
 * One case: a fresh client answered with mutations of `scenario`'s valid answers, then, when it
 * failed, a normal sign-in on the same client.
 * @param {Scenario} scenario @param {number} n
 */
async function runCase(scenario, n) {
  const rng = new Rng(caseSeed(n));
  const secret = rng.chance(0.3);
  const password = `Fuzz-pässword-${n}-"quoted"`;
  /** @type {Record<string, string>} */
  const valid = {};
  for (const [op, a] of Object.entries(scenario.answers)) valid[op] = Array.isArray(a) ? rng.pick(a) : a;
  const forced = rng.int(Object.keys(valid).length + 1);
  // Now and then the server is down for the whole call, so that every operation runs out of tries.
  const storm = rng.chance(0.08);
  /** @type {{ op: string, body: string, reply: any, at: number }[]} */
  const log = [];
  /** @type {Set<string>} */
  const answered = new Set();
  let phase = 'fuzz';
  const route = `/fuzz-${n}/`;
  replay.routes.set(route, (/** @type {any} */ req) => {
    let reply;
    if (phase == 'fuzz') {
      const base = valid[req.op];
      if (base === undefined) reply = { status: 599, body: `no answer for ${req.op}` };
      else if (storm) reply = retryable(rng);
      else reply = log.length == forced || rng.chance(0.35) ? hostile(rng, base) : ok(base);
    } else {
      reply = ok(VALID[req.op] ?? fixture('tokens'));
    }
    if (reply.status && (reply.status < 200 || reply.status >= 300)) {
      if (reply.errorType) answered.add(reply.errorType);
      try {
        const t = JSON.parse(String(reply.body)).__type;
        if (typeof t == 'string') answered.add(t);
      } catch {}
    }
    log.push({ op: req.op, body: req.body, reply, at: performance.now() });
    return reply;
  });
  const where = () => `FUZZ_SEED=${SEED} case ${n} (${scenario.name}${secret ? ', client secret' : ''}):\n${log
    .map((l) => `  ${l.op} ← ${l.reply.drop ? 'connection cut' : `${l.reply.status}${l.reply.delayMs ? ` after ${l.reply.delayMs} ms` : ''}${l.reply.stallMs ? ` stalled ${l.reply.stallMs} ms` : ''}${l.reply.cutBody ? ' cut mid-body' : ''}${l.reply.errorType !== undefined ? ` [${l.reply.errorType}]` : ''} ${brief(l.reply.body)}`}`)
    .join('\n')}`;
  try {
    const auth = new lib.CognitoTotp({
      userPoolId: POOL_ID, clientId: CLIENT_ID, endpoint: `${replay.endpoint}${route.slice(1)}`, timeoutMs: TIMEOUT_MS,
      ...(secret && { clientSecret: SECRET }),
    });
    if (rng.chance(0.3)) auth.prepare();
    const trapsBefore = traps.length;
    const outcome = await settle(scenario.run(auth, password, rng, secret));
    try {
      assert.ok(!outcome.hung, `did not settle within ${SETTLE_MS} ms`);
      assert.equal(traps.length, trapsBefore, `the wasm trapped: ${traps.at(-1)}`);
      if ('error' in outcome) {
        checkError(outcome.error, answered, password);
      } else if (scenario.kind == 'step') {
        checkStep(outcome.value);
      } else if (scenario.kind == 'setup') {
        checkSetup(outcome.value);
      } else if (scenario.kind == 'user') {
        checkUser(outcome.value);
      } else if (scenario.kind == 'tokens') {
        checkTokens(outcome.value);
      } else {
        assert.equal(outcome.value, undefined, 'a void method resolved to a value');
      }
      // A retry repeats its request byte for byte, so a run of equal requests is one operation's tries:
      // at most 3, each after an answer the policy retries, and no such answer left unretried before the third.
      const fuzzed = log.length;
      const same = (/** @type {number} */ i) => i > 0 && i < fuzzed && log[i].op == log[i - 1].op && log[i].body == log[i - 1].body;
      for (let i = 0, run = 1; i < fuzzed; i++, run++) {
        if (!same(i)) run = 1;
        assert.ok(run <= 3, `${log[i].op} tried ${run} times`);
        if (same(i) && log[i].at - log[i - 1].at < TIMEOUT_MS) {
          assert.ok(mayRetry(log[i - 1].reply), `${log[i].op} retried after an answer that is final`);
        }
        if (run < 3 && mustRetry(log[i].reply)) {
          assert.ok(same(i + 1), `${log[i].op} not retried after try ${run}`);
        }
      }
      const last = log[fuzzed - 1]?.reply;
      if ('error' in outcome && /** @type {any} */ (outcome.error).name == 'ProtocolError') {
        const e = /** @type {any} */ (outcome.error);
        const gateway = last?.status >= 500 && !replyType(last) && e.message.includes(`HTTP ${last.status} without`);
        assert.equal(e.retryable, gateway, `ProtocolError (${e.message}): retryable only for a 5xx without a type`);
      }
      if ('error' in outcome && last?.status && replyType(last) == /** @type {any} */ (outcome.error).name) {
        const name = /** @type {any} */ (outcome.error).name;
        const expected = last.status >= 500 || ['TooManyRequestsException', 'InternalErrorException', 'ThrottlingException'].includes(name);
        assert.equal(/** @type {any} */ (outcome.error).retryable, expected, `${name} after HTTP ${last.status}: retryable`);
      }
      // SRP's one check on the server's value: with B ≡ 0 mod N anyone could pass as the user.
      for (const [i, l] of log.entries()) {
        const b = l.op == 'InitiateAuth' && l.reply.status < 300 && srpB(l.reply.body);
        if (b !== false && b !== undefined && b % N == 0n) {
          assert.ok(!log[i + 1] || JSON.parse(log[i + 1].body).ChallengeName != 'PASSWORD_VERIFIER', 'signed a proof for B ≡ 0 mod N');
        }
      }
      if ('value' in outcome && scenario.answers.VerifySoftwareToken) {
        const verify = log.findLast((l) => l.op == 'VerifySoftwareToken')?.reply;
        assert.ok(verify?.status < 300 && JSON.parse(verify.body).Status == 'SUCCESS', 'resolved without VerifySoftwareToken answering SUCCESS');
      }
      // A step or setup the client accepted, however odd what it was made of, can be answered.
      const value = /** @type {any} */ (outcome.value);
      const further = !('value' in outcome) ? undefined
        : scenario.kind == 'step' ? answer(auth, value)
        : scenario.kind == 'setup' ? auth.verifyTotp(value, '123456') : undefined;
      if (further) {
        phase = 'valid';
        const done = await settle(further);
        assert.ok('value' in done, `answering ${value.type ?? 'the setup'} failed: ${brief(/** @type {any} */ (done.error)?.message ?? 'hung')}`);
        if (value.type == 'mfaSetup') checkSetup(done.value);
        else if (scenario.name == 'associateTotp (access token)') assert.equal(done.value, undefined);
        else assert.equal(/** @type {any} */ (done.value).type, 'done');
      }
      if ('error' in outcome) {
        phase = 'valid';
        if (rng.chance(0.5)) auth.prepare();
        const again = await settle(auth.signIn('alice', password));
        assert.ok('value' in again, `the client no longer signs in: ${brief(/** @type {any} */ (again.error)?.message ?? 'hung')}`);
        assert.equal(/** @type {any} */ (again.value).type, 'done');
        assert.equal(/** @type {any} */ (again.value).tokens.accessToken, 'eyJ.access.sig');
        // (A busy machine may time out a prompt answer here too: a retry is no failure.)
        assert.deepEqual([...new Set(log.slice(fuzzed).map((l) => l.op))], ['InitiateAuth', 'RespondToAuthChallenge']);
      }
      const escaped = JSON.stringify(password).slice(1, -1);
      for (const l of log) assert.ok(!l.body.includes(password) && !l.body.includes(escaped), `${l.op} carried the password`);
      return 'error' in outcome ? /** @type {any} */ (outcome.error).name : 'ok';
    } catch (e) {
      if (e instanceof assert.AssertionError) e.message = `${e.message}\n${where()}\n  outcome: ${brief(outcome.hung ? 'hung' : 'error' in outcome ? `${/** @type {any} */ (outcome.error)?.name}: ${/** @type {any} */ (outcome.error)?.message}` : JSON.stringify(outcome.value))}`;
      throw e;
    }
  } finally {
    replay.routes.delete(route);
  }
}

for (const [i, scenario] of SCENARIOS.entries()) {
  test(`fuzz: ${scenario.name} under hostile answers`, async (t) => {
    const cases = [];
    for (let n = i; n < RUNS; n += SCENARIOS.length) if (ONLY === undefined || n == ONLY) cases.push(n);
    /** @type {Map<string, number>} */
    const outcomes = new Map();
    const failures = [];
    const started = performance.now();
    const worker = async () => {
      for (let n = cases.shift(); n !== undefined; n = cases.shift()) {
        try {
          const o = brief(await runCase(scenario, n)).slice(0, 40);
          outcomes.set(o, (outcomes.get(o) ?? 0) + 1);
        } catch (e) {
          failures.push(e);
        }
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    t.diagnostic(`${[...outcomes].map(([k, v]) => `${k}: ${v}`).join(', ')} in ${Math.round(performance.now() - started)} ms`);
    if (failures.length) {
      assert.fail(`${failures.length} failing case(s); the first:\n${/** @type {Error} */ (failures[0]).message}`);
    }
  });
}
