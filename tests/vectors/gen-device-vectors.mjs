// Generates tests/vectors/device.json: remembered-device known answers computed by amazon-cognito-identity-js, an
// implementation independent of this project. The SDK's own CognitoUser runs against a scripted client (no network):
//   1. authenticateUser → PASSWORD_VERIFIER → tokens with NewDeviceMetadata → the SDK draws its device secret
//      (generateHashDevice) and sends ConfirmDevice: captured as `output.confirmDevice` (what goes on the wire).
//   2. authenticateUser again → DEVICE_SRP_AUTH → the SDK sends SRP_A → DEVICE_PASSWORD_VERIFIER with B = k·v + g^b
//      (b fixed here) → the SDK sends its claim: captured as `output.devicePasswordVerifier`.
// Randomness is injected: the device password (generateRandomString), the salt bytes (crypto.getRandomValues while
// generateHashDevice runs), the client's `a` (generateRandomSmallA); the clock is pinned.
//
//   cd tests/vectors && npm ci && node gen-device-vectors.mjs
//
// Fields of each case (hex = BigInteger.toString(16), lowercase, no leading zeros, unless said otherwise):
//   input.deviceGroupKey, input.deviceKey   NewDeviceMetadata as the server sent it
//   input.username                           USER_ID_FOR_SRP / USERNAME of the sign-in
//   input.devicePassword                     the device password (identity-js: base64 of 40 random bytes)
//   input.saltBytesHex                       the 16 random bytes the SDK drew for the salt (hex, 32 digits);
//                                            the salt is this integer (leading zero bytes drop out in padHex)
//   input.aHex                               the client's secret a for the device SRP
//   input.bHex                               the server's secret b (used only to make B)
//   input.secretBlock                        SECRET_BLOCK of DEVICE_PASSWORD_VERIFIER (base64)
//   input.unixSeconds                        the pinned clock
//   output.saltHex                           padHex(salt): the SALT the server sends back in DEVICE_PASSWORD_VERIFIER
//   output.x                                 x = H(padHex(salt) ‖ H(deviceGroupKey ‖ deviceKey ‖ ":" ‖ devicePassword))
//   output.verifierHex                       padHex(g^x mod N) (may start with 00)
//   output.confirmDevice.PasswordVerifier    ConfirmDevice's DeviceSecretVerifierConfig.PasswordVerifier (base64 of
//                                            the verifierHex bytes)
//   output.confirmDevice.Salt                ... .Salt (base64 of the saltHex bytes)
//   output.A                                 SRP_A the SDK sent in DEVICE_SRP_AUTH
//   output.B                                 SRP_B given to the SDK: (k·v + g^b) mod N
//   output.u, output.S                       u = H(padHex(A) ‖ padHex(B)), S = (B − k·v)^(a + u·x) mod N
//   output.key                               HKDF key, 16 bytes hex (always 32 digits)
//   output.timestamp                         TIMESTAMP the SDK sent
//   output.signature                         PASSWORD_CLAIM_SIGNATURE the SDK sent: base64 HMAC-SHA256(key,
//                                            deviceGroupKey ‖ deviceKey ‖ SECRET_BLOCK bytes ‖ TIMESTAMP)
//   output.devicePasswordVerifier            all the ChallengeResponses of DEVICE_PASSWORD_VERIFIER as sent
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { atTime, bytes } from './deterministic.mjs';

const require = createRequire(import.meta.url);
const sdk = require('amazon-cognito-identity-js');
const AuthenticationHelper = require('amazon-cognito-identity-js/lib/AuthenticationHelper.js').default;
const BigInteger = require('amazon-cognito-identity-js/lib/BigInteger.js').default;
const sdkVersion = JSON.parse(readFileSync(new URL('./node_modules/amazon-cognito-identity-js/package.json', import.meta.url))).version;

// --- hooks ------------------------------------------------------------------------------------------------
let injectedA = null;
let injectedPassword = null;
let captured = {};
AuthenticationHelper.prototype.generateRandomSmallA = function () {
  return injectedA ?? BigInteger.ONE;
};
AuthenticationHelper.prototype.generateRandomString = function () {
  return injectedPassword;
};
const origHashDevice = AuthenticationHelper.prototype.generateHashDevice;
AuthenticationHelper.prototype.generateHashDevice = function (groupKey, deviceKey, callback) {
  // The salt is drawn with crypto.getRandomValues, one 32-bit word at a time, each word written big-endian into
  // the salt: feed each 4-byte group reversed (little-endian words) so the salt is exactly the case's bytes.
  const feed = [];
  for (let i = 0; i < captured.saltBytes.length; i += 4) feed.push(...[...captured.saltBytes.subarray(i, i + 4)].reverse());
  const original = globalThis.crypto.getRandomValues;
  globalThis.crypto.getRandomValues = array => {
    const view = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
    for (let i = 0; i < view.length; i++) view[i] = feed.shift();
    return array;
  };
  try {
    return origHashDevice.call(this, groupKey, deviceKey, callback);
  } finally {
    globalThis.crypto.getRandomValues = original;
  }
};
const origCalculateS = AuthenticationHelper.prototype.calculateS;
AuthenticationHelper.prototype.calculateS = function (xValue, serverBValue, callback) {
  const mine = this.poolName === captured.groupKey;
  if (mine) {
    captured.x = xValue.toString(16);
    captured.u = this.UValue.toString(16);
  }
  return origCalculateS.call(this, xValue, serverBValue, (err, s) => {
    if (mine && s) captured.S = s.toString(16);
    callback(err, s);
  });
};
const origHkdf = AuthenticationHelper.prototype.computehkdf;
AuthenticationHelper.prototype.computehkdf = function (ikm, salt) {
  const key = origHkdf.call(this, ikm, salt);
  if (this.poolName === captured.groupKey) captured.key = Buffer.from(key).toString('hex');
  return key;
};

function fakeJwt(claims) {
  const part = o => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none' })}.${part(claims)}.sig`;
}

const helper = new AuthenticationHelper('probe');
const { N, g, k } = helper;

function runCase(c) {
  captured = { groupKey: c.deviceGroupKey, saltBytes: Buffer.from(c.saltBytesHex, 'hex') };
  injectedPassword = c.devicePassword;
  injectedA = new BigInteger(c.aHex, 16);
  atTime(c.unixSeconds, () => {
    const pool = new sdk.CognitoUserPool({ UserPoolId: c.poolId, ClientId: '1example23456789abcdefghij' });
    const user = new sdk.CognitoUser({ Username: c.username, Pool: pool });
    const now = c.unixSeconds;
    const tokens = {
      AccessToken: fakeJwt({ username: c.username, iat: now, exp: now + 3600 }),
      IdToken: fakeJwt({ 'cognito:username': c.username, iat: now, exp: now + 3600 }),
      RefreshToken: 'refresh', ExpiresIn: 3600, TokenType: 'Bearer',
    };
    const passwordChallenge = {
      ChallengeName: 'PASSWORD_VERIFIER', Session: 'session-1',
      ChallengeParameters: {
        SALT: '5a3e1c9f7b2d4e6a8c0b1d3f5e7a9c2b', SECRET_BLOCK: 'AAAA', SRP_B: '2',
        USERNAME: c.username, USER_ID_FOR_SRP: c.username,
      },
    };
    let step = 'first';
    let done = false;
    user.client.request = (op, params, cb) => {
      if (op === 'InitiateAuth') return cb(null, passwordChallenge);
      if (op === 'ConfirmDevice') {
        captured.confirmDevice = params.DeviceSecretVerifierConfig;
        captured.confirmDeviceKey = params.DeviceKey;
        return cb(null, { UserConfirmationNecessary: false });
      }
      if (op !== 'RespondToAuthChallenge') return cb(new Error(`unexpected ${op}`));
      const name = params.ChallengeName;
      if (name === 'PASSWORD_VERIFIER' && step === 'first') {
        return cb(null, { AuthenticationResult: { ...tokens, NewDeviceMetadata: {
          DeviceKey: c.deviceKey, DeviceGroupKey: c.deviceGroupKey } } });
      }
      if (name === 'PASSWORD_VERIFIER') {
        captured.passwordVerifierDeviceKey = params.ChallengeResponses.DEVICE_KEY;
        return cb(null, { ChallengeName: 'DEVICE_SRP_AUTH', Session: 'session-2', ChallengeParameters: {} });
      }
      if (name === 'DEVICE_SRP_AUTH') {
        captured.deviceSrpAuth = params.ChallengeResponses;
        const v = new BigInteger(Buffer.from(captured.confirmDevice.PasswordVerifier, 'base64').toString('hex'), 16);
        const b = new BigInteger(c.bHex, 16);
        let gb;
        g.modPow(b, N, (err, r) => { gb = r; });
        captured.B = k.multiply(v).add(gb).mod(N).toString(16);
        const salt = Buffer.from(captured.confirmDevice.Salt, 'base64').toString('hex');
        return cb(null, {
          ChallengeName: 'DEVICE_PASSWORD_VERIFIER', Session: 'session-3',
          ChallengeParameters: { SRP_B: captured.B, SALT: salt, SECRET_BLOCK: c.secretBlock },
        });
      }
      if (name === 'DEVICE_PASSWORD_VERIFIER') {
        captured.devicePasswordVerifier = params.ChallengeResponses;
        done = true;
        return cb(null, { AuthenticationResult: tokens });
      }
      return cb(new Error(`unexpected challenge ${name}`));
    };
    const details = new sdk.AuthenticationDetails({ Username: c.username, Password: 'Any-Passw0rd!' });
    const fail = e => { throw e; };
    user.authenticateUser(details, { onSuccess() {}, onFailure: fail });
    if (!captured.confirmDevice) throw new Error(`${c.name}: no ConfirmDevice`);
    step = 'second';
    user.authenticateUser(details, { onSuccess() {}, onFailure: fail });
    if (!done) throw new Error(`${c.name}: the SDK did not finish the device sign-in`);
  });
  const saltHex = Buffer.from(captured.confirmDevice.Salt, 'base64').toString('hex');
  const verifierHex = Buffer.from(captured.confirmDevice.PasswordVerifier, 'base64').toString('hex');
  // Sanity: the SDK computed with the names it was given.
  if (captured.passwordVerifierDeviceKey !== c.deviceKey || captured.confirmDeviceKey !== c.deviceKey) {
    throw new Error(`${c.name}: device key not echoed`);
  }
  return {
    name: c.name,
    input: {
      deviceGroupKey: c.deviceGroupKey, deviceKey: c.deviceKey, username: c.username,
      devicePassword: c.devicePassword, saltBytesHex: c.saltBytesHex, aHex: c.aHex, bHex: c.bHex,
      secretBlock: c.secretBlock, unixSeconds: c.unixSeconds,
    },
    output: {
      saltHex, x: captured.x, verifierHex, confirmDevice: captured.confirmDevice,
      A: captured.deviceSrpAuth.SRP_A, B: captured.B, u: captured.u, S: captured.S, key: captured.key,
      timestamp: captured.devicePasswordVerifier.TIMESTAMP,
      signature: captured.devicePasswordVerifier.PASSWORD_CLAIM_SIGNATURE,
      devicePasswordVerifier: captured.devicePasswordVerifier,
    },
  };
}

const base = {
  poolId: 'us-east-1_AbC123xyz',
  username: 'alice',
  deviceGroupKey: '-Zq7Lm2Xw',
  deviceKey: 'us-east-1_6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9',
  unixSeconds: 1748934306, // Tue Jun 3 07:05:06 UTC 2025
};
const specs = [
  { name: 'plain' },
  { name: 'salt-top-bit', salt: 'f3a1c2d4e5f60718293a4b5c6d7e8f90' },
  { name: 'salt-leading-zero-byte', salt: '00a1b2c3d4e5f60718293a4b5c6d7e8f' },
  { name: 'eu-west-2-leap-day', poolId: 'eu-west-2_Zz9Yy8Xx7', deviceKey: 'eu-west-2_0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
    deviceGroupKey: '-K3mN8pQr', username: '6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9', unixSeconds: 1709164800 },
];

const cases = specs.map(spec => {
  const c = { ...base, ...spec };
  c.saltBytesHex = spec.salt ?? bytes(`salt/${c.name}`, 16).toString('hex');
  c.devicePassword = bytes(`password/${c.name}`, 40).toString('base64');
  c.aHex = bytes(`a/${c.name}`, 128).toString('hex');
  c.bHex = bytes(`b/${c.name}`, 256).toString('hex');
  c.secretBlock = bytes(`secret-block/${c.name}`, 724).toString('base64');
  return runCase(c);
});

const doc = {
  generator: 'tests/vectors/gen-device-vectors.mjs',
  implementation: `amazon-cognito-identity-js ${sdkVersion}`,
  note: 'field meanings at the top of the generator; hex is BigInteger.toString(16) except saltBytesHex, saltHex, verifierHex (padHex bytes) and key (16 bytes)',
  cases,
};
writeFileSync(new URL('./device.json', import.meta.url), JSON.stringify(doc, null, 2) + '\n');
console.log(`wrote ${cases.length} cases:`, cases.map(c => c.name).join(' '));
