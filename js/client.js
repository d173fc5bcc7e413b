// The public API: the sign-in / enrollment state machine over Cognito's JSON API, with the SRP,
// TOTP, otpauth and QR work done by the wasm kernel.
import * as kernel from './kernel.js';
import { fail, invalid, protocol } from './errors.js';
import { call, parseObject } from './http.js';

/** @typedef {import('./cognito_totp.js').Tokens} Tokens */
/** @typedef {{ name: string, session: string, username: string }} Challenge */
/**
 * @typedef {object} ClientState
 * @property {string} poolName  the pool id after `_`, as SRP hashes it
 * @property {string} clientId
 * @property {string} endpoint
 * @property {string | undefined} secret
 * @property {number | undefined} timeoutMs
 * @property {kernel.SrpKey | null} key  computed ahead by `prepare()`, taken by the next sign-in
 */

/**
 * What the app must not see or log stays here, keyed by the objects handed out: a client's
 * configuration (the client secret) and prepared SRP key, a step's challenge (Cognito's name, the
 * Session, the username Cognito wants back), a setup's Session or access token. Neither
 * JSON.stringify, console.log nor devtools shows a WeakMap's entries through the object.
 * @type {WeakMap<object, any>}
 */
const hidden = new WeakMap();

/**
 * The JS-facing name of each factor → Cognito's (MFAS_CAN_CHOOSE, ANSWER, UserMFASettingList).
 * @type {Record<string, string>}
 */
const FACTORS = { TOTP: 'SOFTWARE_TOKEN_MFA', SMS: 'SMS_MFA', EMAIL: 'EMAIL_OTP' };
const NAMES = Object.keys(FACTORS);
/** @param {string} name Cognito's factor name */
const factor = (name) => name == 'SMS_OTP' ? 'SMS' : NAMES.find((k) => FACTORS[k] == name);

/** A non-empty string, else undefined. @param {unknown} v @returns {string | undefined} */
const text = (v) => typeof v == 'string' && v ? v : undefined;

/** @param {unknown} obj @param {string} key @returns {unknown} */
const member = (obj, key) => obj !== null && typeof obj == 'object' ? /** @type {any} */ (obj)[key] : undefined;

/** `undefined`/`null` → undefined; a string → itself; anything else is refused. @param {unknown} obj @param {string} key */
const optString = (obj, key) => {
  const v = member(obj, key);
  if (v == null) return undefined;
  if (typeof v == 'string') return v;
  throw invalid(`${key} must be a string`);
};

/** @param {unknown} obj @param {string} key */
const optUint = (obj, key) => {
  const v = member(obj, key);
  if (v == null) return undefined;
  if (typeof v == 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff) return v;
  throw invalid(`${key} must be a non-negative integer`);
};

/** @param {unknown} v @param {string} what @returns {string} */
const required = (v, what) => {
  if (typeof v != 'string') throw invalid(`${what} must be a string`);
  if (!v) throw invalid(`${what} must not be empty`);
  return v;
};

/** A one-time code: whitespace dropped (users type `123 456`), then exactly six ASCII digits. @param {unknown} code */
const sixDigits = (code) => {
  const digits = String(code).replace(/\s/g, '');
  if (!/^[0-9]{6}$/.test(digits)) throw invalid('the code must be exactly 6 digits');
  return digits;
};

/** Runs a kernel function; its failures are bad input. @template T @param {() => T} f @returns {T} */
const checked = (f) => {
  try {
    return f();
  } catch (e) {
    throw invalid(/** @type {Error} */ (e).message);
  }
};

/** Challenge parameters carry lists as JSON text. @param {unknown} t @returns {string[]} */
const jsonList = (t) => {
  try {
    const v = JSON.parse(/** @type {string} */ (t));
    if (Array.isArray(v) && v.every((s) => typeof s == 'string')) return v;
  } catch {}
  return [];
};

/** `userAttributes` (a JSON object as text); members that are not strings are dropped. @param {unknown} t */
const jsonStringMap = (t) => {
  /** @type {Record<string, string>} */
  const out = {};
  for (const [k, v] of Object.entries((typeof t == 'string' && parseObject(t)) || {})) {
    if (typeof v == 'string') out[k] = v;
  }
  return out;
};

/** @param {any} result AuthenticationResult @returns {Tokens} */
const tokens = (result) => {
  const accessToken = text(result.AccessToken);
  const idToken = text(result.IdToken);
  const expiresIn = result.ExpiresIn;
  /** @param {string} name */
  const absent = (name) => protocol(`AuthenticationResult has no ${name}`);
  if (!accessToken) throw absent('AccessToken');
  if (!idToken) throw absent('IdToken');
  // A lifetime in seconds, as Cognito's unsigned 64-bit integer (1e308 is not one).
  if (!(Number.isInteger(expiresIn) && expiresIn >= 0 && expiresIn < 2 ** 64)) throw absent('ExpiresIn');
  const refreshToken = text(result.RefreshToken);
  return /** @type {Tokens} */ ({
    accessToken, idToken, ...(refreshToken && { refreshToken }), expiresIn, tokenType: text(result.TokenType) ?? 'Bearer',
  });
};

/** A fresh SRP key: `a` from 128 random bytes, A = g^a computed now. The JS copy of the bytes is wiped at once. */
const srpKey = () => {
  const random = crypto.getRandomValues(new Uint8Array(128));
  try {
    return new kernel.SrpKey(random);
  } finally {
    random.fill(0);
  }
};

/** Where a sign-in stands: its own properties are the public fields; its challenge is in `hidden`. */
class Step {
  /** The public fields as a plain object. */
  toJSON() {
    return { ...this };
  }
}

/** @param {string} type @param {object} fields @param {Challenge | null} challenge */
const step = (type, fields, challenge) => {
  const s = Object.freeze(Object.assign(new Step(), { type }, fields));
  hidden.set(s, challenge);
  return /** @type {import('./cognito_totp.js').Step} */ (/** @type {unknown} */ (s));
};

/** The challenge behind a step this library returned. @param {unknown} s @returns {Challenge} */
const challengeOf = (s) => {
  const ch = s instanceof Step ? hidden.get(s) : undefined;
  if (ch === null) throw invalid('this step is done: there is nothing to answer');
  if (!ch) throw invalid('expected a step object returned by this library');
  return ch;
};

/** @param {Challenge} ch @param {string} name */
const expect = (ch, name) => {
  if (ch.name != name) throw invalid(`this step is ${ch.name}, not ${name}`);
};

/** One factor of setMfaPreference as Cognito's settings. @param {unknown} pref @param {string} name */
const preference = (pref, name) => {
  const value = optString(pref, name);
  if (value === undefined) return undefined;
  if (!['preferred', 'enabled', 'disabled'].includes(value)) {
    throw invalid(`${name} must be "preferred", "enabled" or "disabled"`);
  }
  return { Enabled: value != 'disabled', PreferredMfa: value == 'preferred' };
};

/** `{ ecc?, border?, dark?, light?, title? }` as the kernel's arguments; absent members keep the defaults. @param {unknown} o */
const svgArgs = (o) => {
  if (o != null && typeof o != 'object') throw invalid('SVG options must be an object');
  return /** @type {const} */ ([optString(o, 'ecc'), optUint(o, 'border'), optString(o, 'dark'), optString(o, 'light'), optString(o, 'title')]);
};

/** @param {string} secret @param {unknown} label */
const uri = (secret, label) =>
  checked(() => kernel.otpauthUri(secret, optString(label, 'issuer') ?? '', optString(label, 'account') ?? ''));

/** @param {string} endpoint */
const checkEndpoint = (endpoint) => {
  // https anywhere; plain http only to the loopback interface (a local emulator), since tokens and the
  // SRP exchange must not cross a network in clear text.
  const m = /^(https?):\/\/([^/?#]*)/.exec(endpoint);
  const authority = m?.[2] ?? '';
  const host = authority[0] == '[' ? /^\[([^\]]*)\]/.exec(authority)?.[1] : authority.split(':')[0];
  const ok = m?.[1] == 'https'
    ? authority && !/\s/.test(authority)
    : m && !authority.includes('@') && ['127.0.0.1', 'localhost', '::1'].includes(host ?? '');
  if (!ok) throw invalid('endpoint must be an https:// URL, or http:// to 127.0.0.1, localhost or [::1]');
};

// ---- requests ---------------------------------------------------------------------------------

/** @param {ClientState} c @param {string} op @param {object} body @param {boolean} [allowEmpty] */
const send = (c, op, body, allowEmpty) => call(c.endpoint, c.timeoutMs, op, body, allowEmpty);

/** Adds SECRET_HASH for app clients with a secret. @param {ClientState} c @param {Record<string, string>} params @param {string} username */
const addSecretHash = (c, params, username) => {
  if (c.secret) params.SECRET_HASH = kernel.secretHash(c.secret, username, c.clientId);
  return params;
};

/**
 * @param {ClientState} c @param {string} ChallengeName @param {string | undefined} Session
 * @param {string} username @param {Record<string, string>} responses
 */
const respondRaw = (c, ChallengeName, Session, username, responses) =>
  send(c, 'RespondToAuthChallenge', {
    ChallengeName, ClientId: c.clientId, ChallengeResponses: addSecretHash(c, { ...responses, USERNAME: username }, username), Session,
  });

/** @param {ClientState} c @param {Challenge} ch @param {Record<string, string>} responses */
const respond = async (c, ch, responses) => next(await respondRaw(c, ch.name, ch.session, ch.username, responses), ch.username);

/**
 * InitiateAuth(USER_SRP_AUTH) + RespondToAuthChallenge(PASSWORD_VERIFIER). The password goes to the
 * kernel only; A and the claim signature are what is sent. Resolves to the answer and USER_ID_FOR_SRP.
 * @param {ClientState} c @param {unknown} username @param {unknown} password
 * @returns {Promise<[Record<string, any>, string]>}
 */
const passwordVerifier = async (c, username, password) => {
  const user = required(username, 'username');
  const pw = required(password, 'password');
  // Taken, not borrowed: a prepared `a` must never serve a second sign-in.
  const key = c.key ?? srpKey();
  c.key = null;
  let r, p, srpUser;
  try {
    const AuthParameters = addSecretHash(c, { USERNAME: user, SRP_A: key.srpA }, user);
    r = await send(c, 'InitiateAuth', { AuthFlow: 'USER_SRP_AUTH', ClientId: c.clientId, AuthParameters });
    if (r.ChallengeName != 'PASSWORD_VERIFIER') {
      throw protocol(`InitiateAuth(USER_SRP_AUTH) answered ${text(r.ChallengeName) ?? 'no challenge'} instead of PASSWORD_VERIFIER`);
    }
    p = r.ChallengeParameters ?? {};
    srpUser = text(p.USER_ID_FOR_SRP);
    for (const name of ['SALT', 'SRP_B', 'SECRET_BLOCK', ...(srpUser ? [] : ['USERNAME'])]) {
      if (!text(p[name])) throw protocol(`PASSWORD_VERIFIER: ChallengeParameters has no ${name}`);
    }
    srpUser = srpUser ?? p.USERNAME;
  } catch (e) {
    // An unused key is wiped now rather than whenever the garbage collector gets to it.
    key.free();
    throw e;
  }
  const TIMESTAMP = kernel.srpTimestamp(Math.floor(Date.now() / 1000));
  let PASSWORD_CLAIM_SIGNATURE;
  try {
    PASSWORD_CLAIM_SIGNATURE = key.passwordClaim(c.poolName, srpUser, pw, p.SALT, p.SRP_B, p.SECRET_BLOCK, TIMESTAMP);
  } catch (e) {
    throw protocol(`SRP: ${/** @type {Error} */ (e).message}`);
  }
  const answer = await respondRaw(c, 'PASSWORD_VERIFIER', text(r.Session), srpUser, {
    PASSWORD_CLAIM_SECRET_BLOCK: p.SECRET_BLOCK, PASSWORD_CLAIM_SIGNATURE, TIMESTAMP,
  });
  return [answer, srpUser];
};

/**
 * An InitiateAuth / RespondToAuthChallenge answer as the next step.
 * @param {Record<string, any>} r @param {string} username
 */
const next = (r, username) => {
  if (r.AuthenticationResult) return step('done', { tokens: tokens(r.AuthenticationResult) }, null);
  const name = text(r.ChallengeName);
  if (!name) throw protocol('the response has neither AuthenticationResult nor ChallengeName');
  const session = text(r.Session);
  if (!session) throw protocol(`challenge ${name} came without a Session`);
  const p = r.ChallengeParameters ?? {};
  const ch = { name, session, username: text(p.USER_ID_FOR_SRP) ?? text(p.USERNAME) ?? username };
  /** @param {string} key @param {unknown} value */
  const optional = (key, value) => text(value) ? { [key]: value } : {};
  switch (name) {
    case 'SOFTWARE_TOKEN_MFA':
      return step('totpCode', optional('friendlyDeviceName', p.FRIENDLY_DEVICE_NAME), ch);
    case 'MFA_SETUP':
      return step('mfaSetup', { canSetup: jsonList(p.MFAS_CAN_SETUP).map((n) => factor(n) ?? n) }, ch);
    case 'NEW_PASSWORD_REQUIRED':
      return step('newPassword', {
        requiredAttributes: jsonList(p.requiredAttributes).map((a) => a.replace(/^userAttributes\./, '')),
        userAttributes: jsonStringMap(p.userAttributes),
      }, ch);
    case 'SELECT_MFA_TYPE': {
      const options = jsonList(p.MFAS_CAN_CHOOSE).map(factor).filter(Boolean);
      if (!options.length) throw protocol('SELECT_MFA_TYPE: MFAS_CAN_CHOOSE lists no known factor');
      return step('selectMfa', { options }, ch);
    }
    case 'SMS_MFA':
    case 'SMS_OTP':
    case 'EMAIL_OTP':
      return step(name == 'EMAIL_OTP' ? 'emailCode' : 'smsCode', optional('destination', p.CODE_DELIVERY_DESTINATION), ch);
  }
  throw protocol(`unsupported challenge ${name}`);
};

// ---- the public classes and functions ---------------------------------------------------------

/** A software token waiting for its first code. */
export class TotpSetup {
  /** The base32 shared secret, for manual entry. @returns {string} */
  get secret() {
    return hidden.get(this).secret;
  }

  /** The `otpauth://totp/...` URI for authenticator apps. @param {import('./cognito_totp.js').TotpLabel} label */
  uri(label) {
    return uri(this.secret, label);
  }

  /**
   * The URI as an SVG QR code: `{ issuer, account, ...SvgOptions }`.
   * @param {import('./cognito_totp.js').TotpLabel & import('./cognito_totp.js').SvgOptions} options
   */
  qrSvg(options) {
    const u = uri(this.secret, options);
    const args = svgArgs(options);
    return checked(() => kernel.qrSvg(u, ...args));
  }

  /** Forgets the secret and the Session or access token behind this setup. */
  free() {
    hidden.delete(this);
  }
}

/** Sign-in, MFA and TOTP enrollment against one Cognito app client. */
export class CognitoTotp {
  /** @param {import('./cognito_totp.js').CognitoTotpConfig} config */
  constructor(config) {
    if (config === null || typeof config != 'object') throw invalid('new CognitoTotp(config) needs a config object');
    /** @param {string} key */
    const need = (key) => {
      const v = optString(config, key);
      if (v === undefined) throw invalid(`config.${key} is required`);
      return v;
    };
    const poolId = need('userPoolId');
    const clientId = need('clientId');
    let endpoint = optString(config, 'endpoint');
    const secret = optString(config, 'clientSecret');
    const timeoutMs = optUint(config, 'timeoutMs');
    if (typeof globalThis.crypto?.getRandomValues != 'function') {
      throw invalid('no global crypto.getRandomValues (a secure context is required)');
    }
    const pool = /^([a-z]{2}-[a-z]+-[0-9])_([A-Za-z0-9]+)$/.exec(poolId);
    if (!pool) throw invalid('userPoolId must look like us-east-1_AbC123');
    required(clientId, 'clientId');
    if (endpoint === undefined) endpoint = `https://cognito-idp.${pool[1]}.amazonaws.com/`;
    else checkEndpoint(endpoint);
    if (secret !== undefined) required(secret, 'clientSecret');
    if (timeoutMs === 0) throw invalid('timeoutMs must be positive');
    /** @type {ClientState} */
    const state = { poolName: pool[2], clientId, endpoint, secret, timeoutMs, key: null };
    hidden.set(this, state);
  }

  /** Wipes an unused prepared SRP key now instead of when the garbage collector runs. */
  free() {
    /** @type {ClientState} */
    const c = hidden.get(this);
    c.key?.free();
    c.key = null;
  }

  /** The Cognito endpoint requests go to. @returns {string} */
  get endpoint() {
    return hidden.get(this).endpoint;
  }

  /**
   * Computes the next sign-in's SRP key pair now, so `signIn` only pays for the password proof. A
   * key serves one sign-in only; calling again replaces (and wipes) an unused one.
   */
  prepare() {
    /** @type {ClientState} */
    const c = hidden.get(this);
    const key = srpKey();
    c.key?.free();
    c.key = key;
  }

  /** USER_SRP_AUTH. @param {string} username @param {string} password */
  async signIn(username, password) {
    const [answer, srpUser] = await passwordVerifier(hidden.get(this), username, password);
    return next(answer, srpUser);
  }

  /** @param {import('./cognito_totp.js').TotpCodeStep} s @param {string} code */
  async confirmTotp(s, code) {
    const ch = challengeOf(s);
    const SOFTWARE_TOKEN_MFA_CODE = sixDigits(code);
    expect(ch, 'SOFTWARE_TOKEN_MFA');
    return respond(hidden.get(this), ch, { SOFTWARE_TOKEN_MFA_CODE });
  }

  /** @param {import('./cognito_totp.js').SmsCodeStep | import('./cognito_totp.js').EmailCodeStep} s @param {string} code */
  async confirmCode(s, code) {
    const ch = challengeOf(s);
    const digits = sixDigits(code);
    if (!['SMS_MFA', 'SMS_OTP', 'EMAIL_OTP'].includes(ch.name)) {
      throw invalid(`confirmCode answers an SMS or email code step, not ${ch.name}`);
    }
    return respond(hidden.get(this), ch, { [`${ch.name}_CODE`]: digits });
  }

  /** @param {import('./cognito_totp.js').SelectMfaStep} s @param {import('./cognito_totp.js').MfaType} mfa */
  async selectMfa(s, mfa) {
    if (!NAMES.includes(mfa)) throw invalid('selectMfa takes "TOTP", "SMS" or "EMAIL"');
    const ch = challengeOf(s);
    expect(ch, 'SELECT_MFA_TYPE');
    return respond(hidden.get(this), ch, { ANSWER: FACTORS[mfa] });
  }

  /**
   * @param {import('./cognito_totp.js').NewPasswordStep} s
   * @param {string} newPassword
   * @param {Record<string, string>} [attributes]
   */
  async completeNewPassword(s, newPassword, attributes) {
    const ch = challengeOf(s);
    if (attributes != null && typeof attributes != 'object') throw invalid('attributes must be an object');
    const NEW_PASSWORD = required(newPassword, 'the new password');
    expect(ch, 'NEW_PASSWORD_REQUIRED');
    /** @type {Record<string, string>} */
    const responses = {};
    for (const [name, value] of Object.entries(attributes ?? {})) {
      if (typeof value != 'string') throw invalid(`attributes.${name} must be a string`);
      responses[`userAttributes.${required(name, 'an attribute name')}`] = value;
    }
    // The one place a password is sent as such: Cognito stores a new verifier from it (the SRP
    // exchange only proves knowledge of an existing one).
    return respond(hidden.get(this), ch, { ...responses, NEW_PASSWORD });
  }

  /** @param {import('./cognito_totp.js').MfaSetupStep | string} stepOrAccessToken */
  async associateTotp(stepOrAccessToken) {
    /** @type {{ AccessToken?: string, Session?: string }} */
    let auth;
    /** @type {Challenge | undefined} */
    let ch;
    if (typeof stepOrAccessToken == 'string') {
      auth = { AccessToken: required(stepOrAccessToken, 'the access token') };
    } else {
      ch = challengeOf(stepOrAccessToken);
      expect(ch, 'MFA_SETUP');
      auth = { Session: ch.session };
    }
    const r = await send(hidden.get(this), 'AssociateSoftwareToken', auth);
    const secret = text(r.SecretCode);
    if (!secret) throw protocol('AssociateSoftwareToken: the response has no SecretCode');
    if (ch) {
      // Cognito issues a new Session here; the old one would be refused by VerifySoftwareToken.
      const Session = text(r.Session);
      if (!Session) throw protocol('AssociateSoftwareToken: the response has no Session');
      auth = { Session };
    }
    const setup = new TotpSetup();
    hidden.set(setup, { secret, auth, username: ch?.username });
    return setup;
  }

  /**
   * VerifySoftwareToken. For a sign-in's setup it resolves to the next step; for an access-token
   * setup to `undefined`.
   * @param {TotpSetup} setup @param {string} code @param {string | null} [friendlyDeviceName]
   */
  async verifyTotp(setup, code, friendlyDeviceName) {
    const s = setup instanceof TotpSetup && hidden.get(setup);
    if (!s) throw invalid('expected the TotpSetup returned by associateTotp');
    const c = hidden.get(this);
    const r = await send(c, 'VerifySoftwareToken', {
      ...s.auth, UserCode: sixDigits(code), FriendlyDeviceName: text(friendlyDeviceName),
    });
    if (typeof r.Status != 'string') throw protocol('VerifySoftwareToken: the response has no Status');
    if (r.Status != 'SUCCESS') throw fail('EnableSoftwareTokenMFAException', 'VerifySoftwareToken answered Status ERROR');
    if (!s.auth.Session) return undefined;
    const session = text(r.Session);
    if (!session) throw protocol('VerifySoftwareToken: the response has no Session');
    return respond(c, { name: 'MFA_SETUP', session, username: s.username }, {});
  }

  /** SetUserMFAPreference. @param {string} accessToken @param {import('./cognito_totp.js').MfaPreference} pref */
  async setMfaPreference(accessToken, pref) {
    if (pref === null || typeof pref != 'object') throw invalid('setMfaPreference needs { totp, sms?, email? }');
    const SoftwareTokenMfaSettings = preference(pref, 'totp');
    const SMSMfaSettings = preference(pref, 'sms');
    const EmailMfaSettings = preference(pref, 'email');
    const AccessToken = required(accessToken, 'the access token');
    if (!SoftwareTokenMfaSettings && !SMSMfaSettings && !EmailMfaSettings) {
      throw invalid('setMfaPreference needs at least one of totp, sms, email');
    }
    const body = { AccessToken, SoftwareTokenMfaSettings, SMSMfaSettings, EmailMfaSettings };
    await send(hidden.get(this), 'SetUserMFAPreference', body, true);
  }

  /** GetUser. @param {string} accessToken @returns {Promise<import('./cognito_totp.js').User>} */
  async getUser(accessToken) {
    const r = await send(hidden.get(this), 'GetUser', { AccessToken: required(accessToken, 'the access token') });
    if (typeof r.Username != 'string') throw protocol('GetUser: the response has no Username');
    if (!Array.isArray(r.UserAttributes)) throw protocol('GetUser: the response has no UserAttributes');
    const enabled = r.UserMFASettingList ?? [];
    if (!Array.isArray(enabled) || enabled.some((n) => typeof n != 'string')) throw protocol('GetUser: UserMFASettingList is not a list of names');
    /** @type {Record<string, string>} */
    const attributes = {};
    for (const a of r.UserAttributes) {
      if (typeof a?.Name == 'string') attributes[a.Name] = typeof a.Value == 'string' ? a.Value : '';
    }
    /** @param {string} n */
    const name = (n) => factor(n) ?? n;
    const preferred = text(r.PreferredMfaSetting);
    return /** @type {import('./cognito_totp.js').User} */ ({
      username: r.Username,
      attributes,
      mfa: {
        enabled: enabled.map(name),
        ...(preferred && { preferred: name(preferred) }),
      },
    });
  }

  /**
   * Re-checks the password with SRP, then turns TOTP off. The check passes once Cognito accepts
   * PASSWORD_VERIFIER, whatever challenge follows (no code is asked).
   * @param {string} username @param {string} password @param {string} accessToken
   */
  async disableTotp(username, password, accessToken) {
    required(accessToken, 'the access token');
    await passwordVerifier(hidden.get(this), username, password);
    await this.setMfaPreference(accessToken, { totp: 'disabled' });
  }

  /** REFRESH_TOKEN_AUTH. @param {string} refreshToken @param {string | null} [username] */
  async refresh(refreshToken, username) {
    /** @type {ClientState} */
    const c = hidden.get(this);
    const AuthParameters = { REFRESH_TOKEN: required(refreshToken, 'the refresh token') };
    // With a client secret, SECRET_HASH is keyed on the username (for alias pools: the `sub`).
    if (c.secret && !text(username)) {
      throw invalid('refresh with a client secret needs the username (SECRET_HASH is keyed on it)');
    }
    const r = await send(c, 'InitiateAuth', {
      AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: c.clientId, AuthParameters: addSecretHash(c, AuthParameters, /** @type {string} */ (username)),
    });
    if (!r.AuthenticationResult) throw protocol('InitiateAuth (refresh): the response has no AuthenticationResult');
    return tokens(r.AuthenticationResult);
  }

  /** GlobalSignOut. @param {string} accessToken */
  async globalSignOut(accessToken) {
    await send(hidden.get(this), 'GlobalSignOut', { AccessToken: required(accessToken, 'the access token') }, true);
  }

  /** RevokeToken (a refresh token). @param {string} refreshToken */
  async revokeToken(refreshToken) {
    /** @type {ClientState} */
    const c = hidden.get(this);
    const Token = required(refreshToken, 'the refresh token');
    await send(c, 'RevokeToken', { ClientId: c.clientId, ClientSecret: c.secret, Token }, true);
  }
}

// `using auth = new CognitoTotp(...)` where explicit resource management exists.
if (Symbol.dispose) for (const C of [CognitoTotp, TotpSetup]) /** @type {any} */ (C.prototype)[Symbol.dispose] = C.prototype.free;

/** Renders `text` as a standalone SVG QR code. @param {string} text @param {import('./cognito_totp.js').SvgOptions} [options] */
export function qrSvg(text, options) {
  const args = svgArgs(options);
  return checked(() => kernel.qrSvg(text, ...args));
}

/** `otpauth://totp/{issuer}:{account}?secret=…&issuer=…`, percent-encoded. @param {import('./cognito_totp.js').OtpauthParams} params */
export function otpauthUri(params) {
  return uri(optString(params, 'secret') ?? '', params);
}

/**
 * RFC 6238 code (SHA-1, 6 digits, 30 s) for `unixSeconds` (default: now).
 * @param {string} secret @param {number | null} [unixSeconds]
 */
export function totpCode(secret, unixSeconds) {
  // The kernel refuses a negative or non-finite time and drops the fraction.
  return checked(() => kernel.totpCode(secret, unixSeconds ?? Date.now() / 1000));
}
