// The JS protocol layer of a built package over a replaying HTTP server on 127.0.0.1: Cognito-shaped
// JSON (tests/fixtures/, shapes from the botocore model) for every challenge and branch, every error
// mapping, malformed responses, the retry policy and the exact requests. The kernel is the package's real
// wasm, and SRP is real: with `a` and the clock pinned to an amazon-cognito-identity-js vector
// (tests/vectors/srp.json), the signature sent must be the SDK's. The emulator suites (e2e/client/) cover
// the same API against a server; this file covers what a server rarely says (odd error shapes, missing
// members) and pins the exact requests.
//
// Run (Node 20, after building the web package, e.g. by `cargo xtask demo`):
//   COGNITO_PKG_DIR=www/pkg node --test js/test/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CLIENT_ID, DROP, SECRET, VECTORS, VERSION, assertNeverSent, client, cognitoError, err, fixture, lib, ok,
  passwordVerifier, pinned, rejects, replay, secretHash, signingIn, vector,
} from './support.mjs';

before(() => replay.start());
after(() => replay.server.close());

// ---- SRP sign-in ----------------------------------------------------------------------------------

test('an SRP sign-in sends exactly the requests Cognito expects, signed as the SDK signs', async () => {
  const { input, output } = vector('plain-ascii');
  const step = await signingIn(client(), ok(fixture('tokens')));
  assert.equal(step.type, 'done');
  assert.deepEqual(step.tokens, {
    accessToken: 'eyJ.access.sig', idToken: 'eyJ.id.sig', refreshToken: 'eyJ.refresh.sig', expiresIn: 3600, tokenType: 'Bearer',
  });
  assert.deepEqual(replay.ops(), ['InitiateAuth', 'RespondToAuthChallenge']);
  for (const r of replay.requests) {
    assert.equal(r.method, 'POST');
    assert.equal(r.url, '/');
    assert.equal(r.headers['content-type'], 'application/x-amz-json-1.1');
    assert.equal(r.headers['x-amz-target'], `AWSCognitoIdentityProviderService.${r.op}`);
    assert.equal(r.headers['x-amz-user-agent'], `cognito-totp/${VERSION}`);
    assert.equal(r.headers.cookie, undefined);
  }
  // Members exactly, absent optional ones left out (no null Session on InitiateAuth).
  assert.deepEqual(replay.bodies(), [
    { AuthFlow: 'USER_SRP_AUTH', AuthParameters: { SRP_A: output.A, USERNAME: 'alice' }, ClientId: CLIENT_ID },
    {
      ChallengeName: 'PASSWORD_VERIFIER', ClientId: CLIENT_ID, Session: 'session-verifier',
      ChallengeResponses: {
        PASSWORD_CLAIM_SECRET_BLOCK: input.secretBlock, PASSWORD_CLAIM_SIGNATURE: output.signature,
        TIMESTAMP: output.timestamp, USERNAME: 'alice',
      },
    },
  ]);
  assertNeverSent(input.password);
});

test('every vector signs like the SDK through the client, answering as USER_ID_FOR_SRP', async () => {
  for (const { name, input, output } of VECTORS) {
    const auth = client({ userPoolId: input.poolId });
    replay.script(passwordVerifier(input, 'typed-name'), ok(fixture('tokens')));
    const step = await pinned(input, () => auth.signIn('typed-name', input.password));
    assert.equal(step.type, 'done', name);
    const [initiate, answer] = replay.bodies();
    assert.equal(initiate.AuthParameters.SRP_A, output.A, name);
    assert.equal(answer.ChallengeResponses.PASSWORD_CLAIM_SIGNATURE, output.signature, name);
    assert.equal(answer.ChallengeResponses.TIMESTAMP, output.timestamp, name);
    assert.equal(answer.ChallengeResponses.USERNAME, input.userIdForSrp, name);
    assertNeverSent(input.password);
  }
});

test('an alias sign-in with a client secret hashes each username it sends', async () => {
  const { input, output } = vector('alias-uuid');
  const auth = client({ clientSecret: SECRET, userPoolId: input.poolId });
  replay.script(passwordVerifier(input, input.userIdForSrp), ok(fixture('tokens')));
  await pinned(input, () => auth.signIn('alias@example.com', input.password));
  const [initiate, answer] = replay.bodies();
  assert.equal(initiate.AuthParameters.USERNAME, 'alias@example.com');
  assert.equal(initiate.AuthParameters.SECRET_HASH, secretHash('alias@example.com'));
  assert.equal(answer.ChallengeResponses.USERNAME, input.userIdForSrp);
  assert.equal(answer.ChallengeResponses.SECRET_HASH, secretHash(input.userIdForSrp));
  assert.equal(answer.ChallengeResponses.PASSWORD_CLAIM_SIGNATURE, output.signature);
});

test('a prepared key serves the next sign-in only', async () => {
  const { input, output } = vector('plain-ascii');
  const auth = client();
  // prepare() draws `a` now (pinned to the vector's); the sign-in later must use that key.
  await pinned(input, () => auth.prepare());
  replay.script(passwordVerifier(input, 'alice'), ok(fixture('tokens')));
  const now = Date.now;
  Date.now = () => input.unixSeconds * 1000;
  try {
    await auth.signIn('alice', input.password);
  } finally {
    Date.now = now;
  }
  let [initiate, answer] = replay.bodies();
  assert.equal(initiate.AuthParameters.SRP_A, output.A, 'the sign-in used the prepared key');
  assert.equal(answer.ChallengeResponses.PASSWORD_CLAIM_SIGNATURE, output.signature);
  replay.script(passwordVerifier(input, 'alice'), cognitoError('NotAuthorizedException', 'Incorrect username or password.'));
  await rejects(auth.signIn('alice', input.password), 'NotAuthorizedException');
  [initiate] = replay.bodies();
  assert.notEqual(initiate.AuthParameters.SRP_A, output.A, 'a prepared key must never serve two sign-ins');
});

test('the random bytes behind a key are wiped on the JS side once the kernel has them', () => {
  const auth = client();
  const { getRandomValues } = crypto;
  /** @type {Uint8Array[]} */
  const drawn = [];
  crypto.getRandomValues = (array) => {
    drawn.push(array);
    return getRandomValues.call(crypto, array);
  };
  try {
    auth.prepare();
  } finally {
    crypto.getRandomValues = getRandomValues;
  }
  const keys = drawn.filter((array) => array.length === 128);
  assert.equal(keys.length, 1, 'one draw of a');
  assert.ok(keys[0].every((b) => b === 0), 'the drawn a is still readable in JS memory');
  auth.free();
});

// ---- challenges ------------------------------------------------------------------------------------

test('SOFTWARE_TOKEN_MFA is answered with the code and the Session, which the step never shows', async () => {
  const auth = client();
  const step = await signingIn(auth, ok(fixture('software_token_mfa')));
  assert.equal(step.type, 'totpCode');
  assert.equal(step.friendlyDeviceName, 'My phone');
  assert.deepEqual(JSON.parse(JSON.stringify(step)), { type: 'totpCode', friendlyDeviceName: 'My phone' });
  assert.deepEqual(Object.keys(step), ['type', 'friendlyDeviceName']);
  assert.ok(Object.isFrozen(step));
  // A mistyped code is refused by Cognito; the same step then takes the right one.
  replay.script(cognitoError('CodeMismatchException', 'Invalid code received for user'), ok(fixture('tokens')));
  await rejects(auth.confirmTotp(step, '000000'), 'CodeMismatchException');
  const done = await auth.confirmTotp(step, ' 123 456 ');
  assert.equal(done.type, 'done');
  assert.deepEqual(replay.bodies()[1], {
    ChallengeName: 'SOFTWARE_TOKEN_MFA', ClientId: CLIENT_ID, Session: 'session-totp',
    ChallengeResponses: { SOFTWARE_TOKEN_MFA_CODE: '123456', USERNAME: 'alice' },
  });
  await rejects(auth.confirmTotp(done, '123456'), 'InvalidParameterException');
});

test('MFA_SETUP associates, verifies and answers, each with the Session the previous call gave', async () => {
  const auth = client();
  const step = await signingIn(auth, ok(fixture('mfa_setup')));
  assert.equal(step.type, 'mfaSetup');
  assert.deepEqual(step.canSetup, ['TOTP']);
  replay.script(ok(fixture('associate_session')), ok(fixture('verify_session')), ok(fixture('tokens')));
  const setup = await auth.associateTotp(step);
  assert.equal(setup.secret, 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
  assert.equal(JSON.stringify(setup), '{}');
  assert.equal(
    setup.uri({ issuer: 'My App & Co', account: 'alice@example.com' }),
    'otpauth://totp/My%20App%20%26%20Co:alice%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=My%20App%20%26%20Co',
  );
  assert.match(setup.qrSvg({ issuer: 'I', account: 'a', ecc: 'H', dark: '#123' }), /^<svg .*fill="#123".*<\/svg>$/s);
  const next = await auth.verifyTotp(setup, '654321', 'Pixel');
  assert.equal(next.type, 'done');
  assert.deepEqual(replay.ops(), ['AssociateSoftwareToken', 'VerifySoftwareToken', 'RespondToAuthChallenge']);
  assert.deepEqual(replay.bodies(), [
    { Session: 'session-setup-1' },
    { FriendlyDeviceName: 'Pixel', Session: 'session-setup-2', UserCode: '654321' },
    { ChallengeName: 'MFA_SETUP', ChallengeResponses: { USERNAME: 'alice' }, ClientId: CLIENT_ID, Session: 'session-setup-3' },
  ]);
});

test('associate and verify with an access token; Status ERROR is EnableSoftwareTokenMFAException', async () => {
  const auth = client();
  replay.script(ok('{"SecretCode":"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"}'), ok('{"Status":"SUCCESS"}'), ok('{"Status":"ERROR"}'));
  const setup = await auth.associateTotp('access-1');
  assert.equal(await auth.verifyTotp(setup, '111111'), undefined);
  await rejects(auth.verifyTotp(setup, '222222', ''), 'EnableSoftwareTokenMFAException');
  assert.deepEqual(replay.bodies(), [
    { AccessToken: 'access-1' },
    { AccessToken: 'access-1', UserCode: '111111' },
    { AccessToken: 'access-1', UserCode: '222222' },
  ]);
  await rejects(auth.verifyTotp({ secret: setup.secret }, '111111'), 'InvalidParameterException');
});

test('NEW_PASSWORD_REQUIRED lists the attributes and sends them back with the new password', async () => {
  const auth = client();
  const step = await signingIn(auth, ok(fixture('new_password_required')));
  assert.equal(step.type, 'newPassword');
  assert.deepEqual(step.requiredAttributes, ['name']);
  assert.deepEqual(step.userAttributes, { email_verified: 'true', email: 'alice@example.com' });
  replay.script(ok(fixture('tokens')));
  const done = await auth.completeNewPassword(step, 'N3w-pass!', { name: 'Alice A.' });
  assert.equal(done.type, 'done');
  assert.deepEqual(replay.bodies()[0], {
    ChallengeName: 'NEW_PASSWORD_REQUIRED', ClientId: CLIENT_ID, Session: 'session-newpw',
    ChallengeResponses: { NEW_PASSWORD: 'N3w-pass!', USERNAME: 'alice', 'userAttributes.name': 'Alice A.' },
  });
});

test('userAttributes keep string members only, a repeated name its last value', async () => {
  const userAttributes = '{"email":"a@example.com","n":1,"b":true,"z":null,"arr":[1],"obj":{"k":"v"},"dup":"x","dup":2,"dup2":1,"dup2":"s","esc":"\\u00e9\\n"}';
  const body = { ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: 's', ChallengeParameters: { USER_ID_FOR_SRP: 'alice', userAttributes } };
  const step = await signingIn(client(), ok(JSON.stringify(body)));
  assert.deepEqual(step.userAttributes, { email: 'a@example.com', dup2: 's', esc: 'é\n' });
  assert.deepEqual(step.requiredAttributes, []);
});

test('SELECT_MFA_TYPE, then an SMS code; the SMS step cannot be answered as TOTP', async () => {
  const auth = client();
  const step = await signingIn(auth, ok(fixture('select_mfa_type')));
  assert.equal(step.type, 'selectMfa');
  assert.deepEqual(step.options, ['SMS', 'TOTP']);
  replay.script(ok(fixture('sms_mfa')), ok(fixture('tokens')));
  await rejects(auth.selectMfa(step, 'PIGEON'), 'InvalidParameterException');
  const sms = await auth.selectMfa(step, 'SMS');
  assert.equal(sms.type, 'smsCode');
  assert.equal(sms.destination, '+*******0100');
  const wrong = await rejects(auth.confirmTotp(sms, '123456'), 'InvalidParameterException');
  assert.match(wrong.message, /SMS_MFA, not SOFTWARE_TOKEN_MFA/);
  assert.equal((await auth.confirmCode(sms, '246810')).type, 'done');
  assert.deepEqual(replay.bodies(), [
    { ChallengeName: 'SELECT_MFA_TYPE', ChallengeResponses: { ANSWER: 'SMS_MFA', USERNAME: 'alice' }, ClientId: CLIENT_ID, Session: 'session-select' },
    { ChallengeName: 'SMS_MFA', ChallengeResponses: { SMS_MFA_CODE: '246810', USERNAME: 'alice' }, ClientId: CLIENT_ID, Session: 'session-sms' },
  ]);
});

test('EMAIL_OTP is answered with EMAIL_OTP_CODE', async () => {
  const auth = client();
  const step = await signingIn(auth, ok(fixture('email_otp')));
  assert.equal(step.type, 'emailCode');
  assert.equal(step.destination, 'a***@e***');
  replay.script(ok(fixture('tokens')));
  assert.equal((await auth.confirmCode(step, '135791')).type, 'done');
  assert.equal(replay.bodies()[0].ChallengeResponses.EMAIL_OTP_CODE, '135791');
});

test('a client with a secret adds SECRET_HASH to every call that names the user', async () => {
  const auth = client({ clientSecret: SECRET });
  const step = await signingIn(auth, ok(fixture('software_token_mfa')));
  const signIn = replay.bodies();
  replay.script(ok(fixture('tokens')));
  await auth.confirmTotp(step, '123456');
  const [initiate, verifier, answer] = [...signIn, ...replay.bodies()];
  for (const params of [initiate.AuthParameters, verifier.ChallengeResponses, answer.ChallengeResponses]) {
    assert.equal(params.SECRET_HASH, secretHash('alice'));
  }
});

test('unsupported challenges, missing Sessions and empty answers are ProtocolErrors', async () => {
  for (const body of [
    '{"ChallengeName":"CUSTOM_CHALLENGE","Session":"x","ChallengeParameters":{}}',
    '{"ChallengeName":"SOFTWARE_TOKEN_MFA","ChallengeParameters":{}}',
    '{"ChallengeParameters":{}}',
    '{"ChallengeName":"SELECT_MFA_TYPE","Session":"x","ChallengeParameters":{"MFAS_CAN_CHOOSE":"[\\"PIGEON\\"]"}}',
  ]) {
    const e = await rejects(signingIn(client(), ok(body)), 'ProtocolError');
    assert.equal(e.retryable, false);
  }
});

// ---- signed-in operations ---------------------------------------------------------------------------

test('setMfaPreference, getUser, globalSignOut, revokeToken and refresh send their members', async () => {
  const auth = client();
  replay.script(ok('{}'), ok(fixture('get_user')), ok(''), ok('{}'), ok(fixture('refresh')));
  assert.equal(await auth.setMfaPreference('access-1', { totp: 'preferred', sms: 'disabled' }), undefined);
  assert.deepEqual(await auth.getUser('access-1'), {
    username: 'alice',
    attributes: { sub: '6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9', email: 'alice@example.com', email_verified: 'true' },
    mfa: { enabled: ['SMS', 'TOTP'], preferred: 'TOTP' },
  });
  assert.equal(await auth.globalSignOut('access-1'), undefined);
  assert.equal(await auth.revokeToken('refresh-1'), undefined);
  assert.deepEqual(await auth.refresh('refresh-1'), {
    accessToken: 'eyJ.access2.sig', idToken: 'eyJ.id2.sig', expiresIn: 3600, tokenType: 'Bearer',
  });
  assert.deepEqual(replay.ops(), ['SetUserMFAPreference', 'GetUser', 'GlobalSignOut', 'RevokeToken', 'InitiateAuth']);
  assert.deepEqual(replay.bodies(), [
    {
      AccessToken: 'access-1', SMSMfaSettings: { Enabled: false, PreferredMfa: false },
      SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
    },
    { AccessToken: 'access-1' },
    { AccessToken: 'access-1' },
    { ClientId: CLIENT_ID, Token: 'refresh-1' },
    { AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: 'refresh-1' }, ClientId: CLIENT_ID },
  ]);
});

test('refresh and revoke with a client secret', async () => {
  const auth = client({ clientSecret: SECRET });
  replay.script(ok(fixture('refresh')), ok('{}'));
  await rejects(auth.refresh('refresh-1'), 'InvalidParameterException');
  await auth.refresh('refresh-1', 'alice');
  await auth.revokeToken('refresh-1');
  const [refresh, revoke] = replay.bodies();
  assert.deepEqual(refresh.AuthParameters, { REFRESH_TOKEN: 'refresh-1', SECRET_HASH: secretHash('alice') });
  assert.deepEqual(revoke, { ClientId: CLIENT_ID, ClientSecret: SECRET, Token: 'refresh-1' });
});

test('GetUser keeps the last of a repeated attribute and skips nameless ones', async () => {
  replay.script(ok('{"Username":"alice","UserAttributes":[{"Name":"b","Value":"1"},{"Value":"orphan"},{"Name":"a"},{"Name":"b","Value":"2"}]}'));
  const user = await client().getUser('access-1');
  assert.deepEqual(user, { username: 'alice', attributes: { b: '2', a: '' }, mfa: { enabled: [] } });
});

test('GetUser with a UserMFASettingList that is not a list of names is a ProtocolError (fuzz)', async () => {
  for (const list of ['["SMS_MFA",0]', '[null]', '[{}]', '"SOFTWARE_TOKEN_MFA"', '{}']) {
    replay.script(ok(`{"Username":"alice","UserAttributes":[],"UserMFASettingList":${list}}`));
    const e = await rejects(client().getUser('access-1'), 'ProtocolError');
    assert.match(e.message, /UserMFASettingList/, list);
  }
  replay.script(ok('{"Username":"alice","UserAttributes":[],"UserMFASettingList":null}'));
  assert.deepEqual((await client().getUser('access-1')).mfa, { enabled: [] });
});

test('disableTotp re-checks the password whatever challenge follows, and changes nothing when it is wrong', async () => {
  const { input } = vector('plain-ascii');
  const auth = client();
  replay.script(passwordVerifier(input, 'alice'), ok(fixture('software_token_mfa')), ok('{}'));
  await pinned(input, () => auth.disableTotp('alice', input.password, 'access-1'));
  assert.deepEqual(replay.ops(), ['InitiateAuth', 'RespondToAuthChallenge', 'SetUserMFAPreference']);
  assert.deepEqual(replay.bodies()[2], { AccessToken: 'access-1', SoftwareTokenMfaSettings: { Enabled: false, PreferredMfa: false } });
  assertNeverSent(input.password);

  replay.script(passwordVerifier(input, 'alice'), cognitoError('NotAuthorizedException', 'Incorrect username or password.'));
  await rejects(auth.disableTotp('alice', 'wrong', 'access-1'), 'NotAuthorizedException');
  assert.deepEqual(replay.ops(), ['InitiateAuth', 'RespondToAuthChallenge']);
});

// ---- errors ------------------------------------------------------------------------------------------

test('Cognito error types map to names with messages, and are not retried', async () => {
  const cases = [
    [cognitoError('NotAuthorizedException', 'Incorrect username or password.'), 'NotAuthorizedException', 'Incorrect username or password.'],
    [cognitoError('CodeMismatchException', 'Invalid code received for user'), 'CodeMismatchException', 'Invalid code received for user'],
    [cognitoError('SoftwareTokenMFANotFoundException', 'Software Token MFA has not been enabled by the userPool'), 'SoftwareTokenMFANotFoundException', 'Software Token MFA has not been enabled by the userPool'],
    // Namespaced `__type`, capitalised `Message`.
    [err(400, '{"__type":"com.amazonaws.cognito.identity.idp.model#PasswordResetRequiredException","Message":"Password reset required for the user"}'), 'PasswordResetRequiredException', 'Password reset required for the user'],
    // A blank `message` does not win over `Message`.
    [err(400, '{"__type":"LimitExceededException","message":"  ","Message":"Attempt limit exceeded"}'), 'LimitExceededException', 'Attempt limit exceeded'],
    // Only the header names the type.
    [err(400, '{}', 'UserNotConfirmedException:http://internal.amazon.com/coral/com.amazonaws.cognito/'), 'UserNotConfirmedException', 'GetUser failed with HTTP 400'],
    [err(403, '', 'aws.cognito#ForbiddenException'), 'ForbiddenException', 'GetUser failed with HTTP 403'],
    // The body's type wins over the header's.
    [err(400, '{"__type":"BodyException","message":"m"}', 'HeaderException'), 'BodyException', 'm'],
  ];
  const auth = client();
  for (const [reply, name, message] of cases) {
    replay.script(reply);
    const e = await rejects(auth.getUser('access'), name);
    assert.equal(e.message, message, name);
    assert.equal(e.retryable, false, name);
    assert.equal(replay.requests.length, 1, `${name} must not be retried`);
  }
});

test('malformed answers are ProtocolErrors that name the kind of body without echoing it', async () => {
  for (const [reply, says] of [
    [ok(''), 'empty body'],
    [ok('{"ChallengeName":"PASSWORD_VERIFIER","ChallengeParameters":{"SALT":"ab'), 'malformed or incomplete JSON'],
    [ok('<html><body>captive portal</body></html>'), 'HTML body'],
    [ok('[1,2,3]'), 'not JSON'],
    [err(400, '<html>Bad Request</html>'), 'HTML body'],
  ]) {
    replay.script(reply);
    const e = await rejects(client().signIn('alice', 'pw'), 'ProtocolError');
    assert.ok(e.message.includes(says), e.message);
    assert.ok(!e.message.includes('captive') && !e.message.includes('Bad Request'), e.message);
    assert.equal(e.retryable, false);
    assert.equal(replay.requests.length, 1, says);
  }
});

test('missing members are ProtocolErrors naming the member', async () => {
  const { input } = vector('plain-ascii');
  const params = { SALT: input.saltHex, SECRET_BLOCK: input.secretBlock, SRP_B: input.bHex, USER_ID_FOR_SRP: 'alice' };
  for (const m of ['SALT', 'SECRET_BLOCK', 'SRP_B']) {
    const { [m]: _, ...rest } = params;
    replay.script(ok(JSON.stringify({ ChallengeName: 'PASSWORD_VERIFIER', Session: 's', ChallengeParameters: rest })));
    const e = await rejects(client().signIn('alice', 'pw'), 'ProtocolError');
    assert.ok(e.message.includes(m), e.message);
    assert.equal(replay.requests.length, 1, 'nothing answered');
  }
  for (const [m, result] of [
    ['AccessToken', { IdToken: 'i', ExpiresIn: 3600 }],
    ['IdToken', { AccessToken: 'a', ExpiresIn: 3600 }],
    ['ExpiresIn', { AccessToken: 'a', IdToken: 'i' }],
    // Cognito's ExpiresIn is an integer (a u64 before the split): 1e308 is refused, not passed on.
    ['ExpiresIn', { AccessToken: 'a', IdToken: 'i', ExpiresIn: 1e308 }],
    ['ExpiresIn', { AccessToken: 'a', IdToken: 'i', ExpiresIn: 2 ** 64 }],
    ['ExpiresIn', { AccessToken: 'a', IdToken: 'i', ExpiresIn: 3600.5 }],
  ]) {
    const e = await rejects(signingIn(client(), ok(JSON.stringify({ AuthenticationResult: result }))), 'ProtocolError');
    assert.ok(e.message.includes(m), e.message);
  }
  replay.script(ok('{}'), ok('{"Username":"alice"}'), ok('{}'));
  await rejects(client().associateTotp('a'), 'ProtocolError');
  await rejects(client().getUser('a'), 'ProtocolError');
  await rejects(client().refresh('r'), 'ProtocolError');
});

test('a server B of zero mod N is refused before anything is signed', async () => {
  const { input } = vector('plain-ascii');
  replay.script(passwordVerifier({ ...input, bHex: '0' }, 'alice'));
  const e = await rejects(client().signIn('alice', input.password), 'ProtocolError');
  assert.match(e.message, /SRP/);
  assert.deepEqual(replay.ops(), ['InitiateAuth']);
});

// ---- retries -----------------------------------------------------------------------------------------

const throttle = () => cognitoError('TooManyRequestsException', 'Rate exceeded');

test('throttling is retried after a jittered pause, and given up after 3 tries', async () => {
  const auth = client();
  replay.script(throttle(), ok(fixture('get_user')));
  let started = performance.now();
  await auth.getUser('access');
  assert.ok(performance.now() - started >= 50, 'no backoff before the retry');
  assert.equal(replay.requests.length, 2);
  assert.equal(replay.requests[0].body, replay.requests[1].body, 'the retry repeats the request');

  replay.script(throttle(), throttle(), throttle(), ok(fixture('get_user')));
  started = performance.now();
  const e = await rejects(auth.getUser('access'), 'TooManyRequestsException');
  assert.equal(e.retryable, true);
  assert.equal(replay.requests.length, 3);
  const took = performance.now() - started;
  assert.ok(took >= 150 && took < 2000, `pauses of 50–100 ms then 100–200 ms, took ${took} ms`);
});

test('auth failures are never retried', async () => {
  for (const name of ['NotAuthorizedException', 'UserNotFoundException', 'CodeMismatchException', 'InvalidParameterException']) {
    replay.script(cognitoError(name, 'no'), ok('{}'));
    await rejects(client().getUser('access'), name);
    assert.equal(replay.requests.length, 1, name);
  }
});

test('5xx and cut connections are retried; 3 of them are reported, retryable', async () => {
  const auth = client();
  replay.script(err(500, '{"__type":"InternalErrorException","message":"boom"}'), DROP, ok(fixture('get_user')));
  assert.equal((await auth.getUser('access')).username, 'alice');
  assert.equal(replay.requests.length, 3);

  replay.script(DROP, DROP, DROP);
  const e = await rejects(auth.getUser('access'), 'NetworkError');
  assert.equal(e.retryable, true);
  assert.match(e.message, /^GetUser: TypeError: /);
  assert.equal(replay.requests.length, 3);

  replay.script(err(502, '<html><title>502 Bad Gateway</title></html>'), err(502, '<html/>'), err(502, '<html/>'));
  const html = await rejects(auth.getUser('access'), 'ProtocolError');
  assert.ok(html.message.includes('502') && html.message.includes('HTML'), html.message);
  // A gateway's 5xx page is transient like any 5xx; a 4xx without a type is not.
  assert.equal(html.retryable, true);

  replay.script(err(500, '{"__type":"InternalErrorException","message":"boom"}'), err(500, ''), err(503, '', 'ServiceUnavailable'));
  const last = await rejects(auth.getUser('access'), 'ServiceUnavailable');
  assert.equal(last.retryable, true);
});

test('timeoutMs aborts a slow answer: a NetworkError after the tries', async () => {
  const auth = client({ timeoutMs: 100 });
  const slow = { ...ok(fixture('get_user')), delayMs: 1000 };
  replay.script(slow, ok(fixture('get_user')));
  assert.equal((await auth.getUser('access')).username, 'alice', 'one slow answer is retried away');
  replay.script(slow, slow, slow);
  const started = performance.now();
  const e = await rejects(auth.getUser('access'), 'NetworkError');
  assert.equal(e.message, 'GetUser: the request timed out after 100 ms');
  assert.equal(e.retryable, true);
  assert.ok(performance.now() - started < 900, 'the timeout did not cut the wait');
});

// ---- local validation ----------------------------------------------------------------------------------

test('the configuration is checked before any request', () => {
  const config = { userPoolId: 'eu-central-1_AbC123', clientId: 'c' };
  assert.equal(new lib.CognitoTotp(config).endpoint, 'https://cognito-idp.eu-central-1.amazonaws.com/');
  for (const endpoint of ['http://127.0.0.1:9229/', 'http://localhost/', 'http://[::1]:1/', 'https://example.com']) {
    assert.equal(new lib.CognitoTotp({ ...config, endpoint }).endpoint, endpoint);
  }
  for (const [key, value, says] of [
    ['userPoolId', 'us-east-1_ab_c', 'userPoolId'],
    ['userPoolId', 'us-gov-west-1_abc', 'userPoolId'],
    ['endpoint', 'http://[::2]/', 'https'],
    ['endpoint', 'https://exa mple.com/', 'https'],
    ['clientSecret', '', 'clientSecret'],
    ['timeoutMs', 2 ** 32, 'timeoutMs'],
  ]) {
    assert.throws(() => new lib.CognitoTotp({ ...config, [key]: value }), (e) =>
      e.name === 'InvalidParameterException' && e.message.includes(says) && e.retryable === false, `${key} = ${value}`);
  }
  assert.throws(() => new lib.CognitoTotp('us-east-1_A'), /config object/);
});

test('the free functions validate their input like the kernel', () => {
  assert.equal(lib.totpCode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 59), '287082');
  assert.match(lib.totpCode('JBSWY3DPEHPK3PXP'), /^[0-9]{6}$/);
  assert.equal(lib.otpauthUri({ secret: 'jbsw y3dp', issuer: '', account: 'a b' }), 'otpauth://totp/a%20b?secret=JBSWY3DP');
  for (const [f, what] of [
    [() => lib.totpCode('JBSWY3DPEHPK3PXP', -1), 'negative time'],
    [() => lib.totpCode('!!', 1), 'bad base32'],
    [() => lib.otpauthUri({ secret: 'JBSWY3DP', issuer: 'a:b', account: 'x' }), 'colon in the issuer'],
    [() => lib.otpauthUri({ secret: 'JBSWY3DP', issuer: 'a', account: 7 }), 'account not a string'],
    [() => lib.qrSvg('x', { ecc: 'Z' }), 'bad ecc'],
    [() => lib.qrSvg('x', { border: 1.5 }), 'fractional border'],
    [() => lib.qrSvg('x', { border: '4' }), 'border as a string'],
    [() => lib.qrSvg('x', { dark: 'url(#x)' }), 'bad colour'],
    [() => lib.qrSvg('x', 'big'), 'options not an object'],
    [() => lib.qrSvg('x'.repeat(8000)), 'too long'],
  ]) {
    assert.throws(f, (e) => e.name === 'InvalidParameterException' && e.retryable === false && e.message.length > 0, what);
  }
  const svg = lib.qrSvg('hello', { border: 1, title: 'Scan <me>' });
  assert.match(svg, /viewBox="0 0 29 29"/, 'a border below 4 is raised to 4');
  assert.match(svg, /<title id="[^"]+">Scan &lt;me&gt;<\/title>/);
});
