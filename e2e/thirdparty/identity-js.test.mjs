// amazon-cognito-identity-js (6.3.x, a client no one here wrote) against the emulator:
// every sign-in path it supports, with the tokens checked against the emulator's JWKS.
// Users come from emulator/seed/test.json; the ones whose state changes (enroll5, enroll6,
// newbie3, and a user this file creates) are used by this file only.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import identity from 'amazon-cognito-identity-js';

import {
  advanceClock,
  callApi,
  emulator,
  freshCode,
  memoryStorage,
  messages,
  nodeCall,
  requestsContaining,
  seedPool,
  seedUser,
  step,
  totp,
  verifyJwt,
} from './support.mjs';

const { AuthenticationDetails, CognitoUser, CognitoUserPool } = identity;

let env;
before(async () => {
  env = await emulator();
});
after(async () => {
  await env?.stop();
});

function pool(poolKey, clientKey = 'web') {
  const entry = env.config.pools[poolKey];
  assert.ok(entry, `config has no pool ${poolKey}`);
  return new CognitoUserPool({
    UserPoolId: entry.poolId,
    ClientId: entry.clients[clientKey].clientId,
    endpoint: env.url,
    Storage: memoryStorage(),
  });
}

function signIn(userPool, username, password) {
  const user = new CognitoUser({ Username: username, Pool: userPool, Storage: userPool.storage });
  const details = new AuthenticationDetails({ Username: username, Password: password });
  return { user, result: step((cb) => user.authenticateUser(details, cb)) };
}

async function expectSuccess(result) {
  const { event, args } = await result;
  assert.equal(event, 'onSuccess', `expected onSuccess, got ${event}: ${args[0]?.name ?? ''} ${args[0]?.message ?? ''}`);
  return args[0];
}

async function expectFailure(result, name) {
  const { event, args } = await result;
  assert.equal(event, 'onFailure', `expected onFailure ${name}, got ${event}`);
  assert.equal(args[0].name, name, `error ${args[0].name}: ${args[0].message}`);
  return args[0];
}

async function expectEvent(result, expected) {
  const { event, args } = await result;
  const detail = event === 'onFailure' ? `: ${args[0]?.name} ${args[0]?.message}` : '';
  assert.equal(event, expected, `expected ${expected}, got ${event}${detail}`);
  return args;
}

/** Checks both tokens of a session: signatures, and the claims clients rely on. */
async function checkSession(session, poolKey, username) {
  const { poolId, clients } = env.config.pools[poolKey];
  const clientId = clients.web.clientId;
  const access = await verifyJwt(env.url, poolId, session.getAccessToken().getJwtToken());
  const id = await verifyJwt(env.url, poolId, session.getIdToken().getJwtToken());

  assert.equal(access.token_use, 'access');
  assert.equal(access.client_id, clientId);
  assert.equal(access.username, username);
  assert.ok(access.scope.split(' ').includes('aws.cognito.signin.user.admin'), access.scope);
  assert.ok(access.iss.endsWith(`/${poolId}`), access.iss);
  assert.ok(access.jti && access.origin_jti, 'access token has jti and origin_jti');
  assert.ok(access.exp > access.iat, 'exp after iat');

  assert.equal(id.token_use, 'id');
  assert.equal(id.aud, clientId);
  assert.equal(id['cognito:username'], username);
  assert.equal(id.iss, access.iss);
  assert.equal(id.sub, access.sub);
  assert.ok(session.getRefreshToken().getToken(), 'a refresh token');
  return { access, id };
}

describe('USER_SRP_AUTH', () => {
  test('sign-in returns RS256 tokens that verify against the JWKS', async () => {
    const plain = seedUser('optional', 'plain');
    const { result } = signIn(pool('optional'), 'plain', plain.password);
    const session = await expectSuccess(result);
    const { id } = await checkSession(session, 'optional', 'plain');
    assert.equal(id.email, plain.attributes.email);
    const sent = await requestsContaining(env.url, plain.password);
    assert.equal(sent.count, 0, 'no request body carried the password');
    assert.ok(sent.total > 0, 'the request log is not empty');
  });

  test('a token with a changed payload does not verify', async () => {
    const plain = seedUser('optional', 'plain');
    const session = await expectSuccess(signIn(pool('optional'), 'plain', plain.password).result);
    const [header, payload, signature] = session.getAccessToken().getJwtToken().split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url'));
    claims.username = 'someone-else';
    const forged = [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
    await assert.rejects(verifyJwt(env.url, env.config.pools.optional.poolId, forged), /does not verify/);
    // The emulator must refuse it too.
    await assert.rejects(callApi(env.url, 'GetUser', { AccessToken: forged }), { name: 'NotAuthorizedException' });
  });

  test('non-ASCII username and password', async () => {
    const user = seedUser('optional', 'jörg');
    const session = await expectSuccess(signIn(pool('optional'), 'jörg', user.password).result);
    await checkSession(session, 'optional', 'jörg');
  });

  test('USER_PASSWORD_AUTH when the client allows it', async () => {
    // The nototp pool's user: its password is meant to travel in this request, no other's.
    const { password } = seedUser('nototp', 'plain');
    const userPool = pool('nototp');
    const user = new CognitoUser({ Username: 'plain', Pool: userPool, Storage: userPool.storage });
    user.setAuthenticationFlowType('USER_PASSWORD_AUTH');
    const details = new AuthenticationDetails({ Username: 'plain', Password: password });
    const session = await expectSuccess(step((cb) => user.authenticateUser(details, cb)));
    await checkSession(session, 'nototp', 'plain');
  });

  test('wrong password → NotAuthorizedException', async () => {
    const plain = seedUser('optional', 'plain');
    const error = await expectFailure(
      signIn(pool('optional'), 'plain', `${plain.password}x`).result,
      'NotAuthorizedException',
    );
    assert.equal(error.message, 'Incorrect username or password.');
  });

  test('unknown user → UserNotFoundException', async () => {
    await expectFailure(signIn(pool('optional'), `nobody-${randomUUID()}`, 'Whatever-1').result, 'UserNotFoundException');
  });

  test('email alias: sign in with the email, tokens name the real username', async () => {
    const [user] = seedPool('alias').users;
    const session = await expectSuccess(signIn(pool('alias'), user.attributes.email, user.password).result);
    await checkSession(session, 'alias', user.username);
  });

  test('a client with a secret refuses a request without SECRET_HASH', async () => {
    // identity-js cannot compute SECRET_HASH; Cognito refuses such a client's requests.
    const plain = seedUser('optional', 'plain');
    await expectFailure(signIn(pool('optional', 'secret'), 'plain', plain.password).result, 'NotAuthorizedException');
  });

  // identity-js sends AuthParameters.DEVICE_KEY: null once it has cached a user; AWS accepts that.
  test('refreshSession returns new, valid tokens', async () => {
    const plain = seedUser('optional', 'plain');
    const { user, result } = signIn(pool('optional'), 'plain', plain.password);
    const first = await expectSuccess(result);
    const second = await nodeCall((cb) => user.refreshSession(first.getRefreshToken(), cb));
    const { access } = await checkSession(second, 'optional', 'plain');
    assert.notEqual(second.getAccessToken().getJwtToken(), first.getAccessToken().getJwtToken());
    assert.equal(access.origin_jti, first.getAccessToken().decodePayload().origin_jti);
  });
});

describe('TOTP', () => {
  test('totpRequired: the code for the emulator clock signs in; wrong and reused codes are refused', async () => {
    const { password, totpSecret } = seedUser('optional', 'totp');
    const userPool = pool('optional');

    let attempt = signIn(userPool, 'totp', password);
    const [challengeName, parameters] = await expectEvent(attempt.result, 'totpRequired');
    assert.equal(challengeName, 'SOFTWARE_TOKEN_MFA');
    assert.ok('FRIENDLY_DEVICE_NAME' in parameters, 'SOFTWARE_TOKEN_MFA carries FRIENDLY_DEVICE_NAME');

    const code = await freshCode(env.url, totpSecret);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    await expectFailure(
      step((cb) => attempt.user.sendMFACode(wrong, cb, 'SOFTWARE_TOKEN_MFA')),
      'CodeMismatchException',
    );

    attempt = signIn(userPool, 'totp', password);
    await expectEvent(attempt.result, 'totpRequired');
    const session = await expectSuccess(step((cb) => attempt.user.sendMFACode(code, cb, 'SOFTWARE_TOKEN_MFA')));
    await checkSession(session, 'optional', 'totp');

    // The same code again, still inside its window: refused. Which name AWS gives this is not
    // settled here (ExpiredCodeException "Your software token has already been used once." has
    // been reported from real pools; the emulator answers CodeMismatchException), so either passes.
    attempt = signIn(userPool, 'totp', password);
    await expectEvent(attempt.result, 'totpRequired');
    const { event, args } = await step((cb) => attempt.user.sendMFACode(code, cb, 'SOFTWARE_TOKEN_MFA'));
    assert.equal(event, 'onFailure', 'a reused code must not sign in');
    assert.ok(['CodeMismatchException', 'ExpiredCodeException'].includes(args[0].name), args[0].name);

    // The next window's code works: the refusal was about reuse, not a lock-out.
    attempt = signIn(userPool, 'totp', password);
    await expectEvent(attempt.result, 'totpRequired');
    const next = await freshCode(env.url, totpSecret);
    assert.notEqual(next, code);
    await expectSuccess(step((cb) => attempt.user.sendMFACode(next, cb, 'SOFTWARE_TOKEN_MFA')));
  });

  test('mfaSetup through the Session (pool requires MFA): associate, verify, tokens, then TOTP sign-in', async () => {
    const { password } = seedUser('required', 'newbie3');
    const userPool = pool('required');

    let attempt = signIn(userPool, 'newbie3', password);
    const [challengeName, parameters] = await expectEvent(attempt.result, 'mfaSetup');
    assert.equal(challengeName, 'MFA_SETUP');
    assert.ok(JSON.parse(parameters.MFAS_CAN_SETUP).includes('SOFTWARE_TOKEN_MFA'), parameters.MFAS_CAN_SETUP);

    const [secret] = await expectEvent(step((cb) => attempt.user.associateSoftwareToken(cb)), 'associateSecretCode');
    assert.match(secret, /^[A-Z2-7]{32,}$/);

    const code = await freshCode(env.url, secret);
    const session = await expectSuccess(step((cb) => attempt.user.verifySoftwareToken(code, 'node-test', cb)));
    await checkSession(session, 'required', 'newbie3');

    // Enrolled: the next sign-in asks for the code of the secret just verified.
    attempt = signIn(userPool, 'newbie3', password);
    await expectEvent(attempt.result, 'totpRequired');
    const next = await freshCode(env.url, secret);
    await expectSuccess(step((cb) => attempt.user.sendMFACode(next, cb, 'SOFTWARE_TOKEN_MFA')));
  });

  test('enrollment with the access token: wrong code refused, then verify, prefer, and sign in with TOTP', async () => {
    const { password } = seedUser('optional', 'enroll5');
    const userPool = pool('optional');

    let attempt = signIn(userPool, 'enroll5', password);
    await expectSuccess(attempt.result);
    const { user } = attempt;

    const [secret] = await expectEvent(step((cb) => user.associateSoftwareToken(cb)), 'associateSecretCode');
    assert.match(secret, /^[A-Z2-7]{32,}$/);

    const code = await freshCode(env.url, secret);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    await expectFailure(
      step((cb) => user.verifySoftwareToken(wrong, 'node-test', cb)),
      'EnableSoftwareTokenMFAException',
    );
    const [verified] = await expectEvent(step((cb) => user.verifySoftwareToken(code, 'node-test', cb)), 'onSuccess');
    assert.equal(verified.Status, 'SUCCESS');

    assert.equal(
      await nodeCall((cb) => user.setUserMfaPreference(null, { Enabled: true, PreferredMfa: true }, cb)),
      'SUCCESS',
    );
    const data = await nodeCall((cb) => user.getUserData(cb, { bypassCache: true }));
    assert.deepEqual(data.UserMFASettingList, ['SOFTWARE_TOKEN_MFA']);
    assert.equal(data.PreferredMfaSetting, 'SOFTWARE_TOKEN_MFA');

    attempt = signIn(userPool, 'enroll5', password);
    await expectEvent(attempt.result, 'totpRequired');
    const next = await freshCode(env.url, secret);
    const session = await expectSuccess(step((cb) => attempt.user.sendMFACode(next, cb, 'SOFTWARE_TOKEN_MFA')));
    await checkSession(session, 'optional', 'enroll5');
  });

  test('selectMFAType: a user with TOTP and SMS and no preference chooses TOTP', async () => {
    const { password, totpSecret } = seedUser('optional', 'both');
    const attempt = signIn(pool('optional'), 'both', password);
    const [challengeName, parameters] = await expectEvent(attempt.result, 'selectMFAType');
    assert.equal(challengeName, 'SELECT_MFA_TYPE');
    const choices = JSON.parse(parameters.MFAS_CAN_CHOOSE);
    assert.ok(choices.includes('SOFTWARE_TOKEN_MFA') && choices.includes('SMS_MFA'), parameters.MFAS_CAN_CHOOSE);

    await expectEvent(step((cb) => attempt.user.sendMFASelectionAnswer('SOFTWARE_TOKEN_MFA', cb)), 'totpRequired');
    const code = await freshCode(env.url, totpSecret);
    const session = await expectSuccess(step((cb) => attempt.user.sendMFACode(code, cb, 'SOFTWARE_TOKEN_MFA')));
    await checkSession(session, 'optional', 'both');
  });

  test('selectMFAType: choosing SMS sends a code that signs in', async () => {
    const { password } = seedUser('optional', 'both');
    const attempt = signIn(pool('optional'), 'both', password);
    await expectEvent(attempt.result, 'selectMFAType');
    await expectEvent(step((cb) => attempt.user.sendMFASelectionAnswer('SMS_MFA', cb)), 'mfaRequired');
    const code = await lastCode('both', 'SMS');
    const session = await expectSuccess(step((cb) => attempt.user.sendMFACode(code, cb)));
    await checkSession(session, 'optional', 'both');
  });
});

/** A CONFIRMED user of the optional pool, made for one test; returns the username. */
async function createUser(prefix, password) {
  const { poolId } = env.config.pools.optional;
  const username = `${prefix}-${randomUUID().slice(0, 8)}`;
  await callApi(
    env.url,
    'AdminCreateUser',
    {
      UserPoolId: poolId,
      Username: username,
      MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }],
    },
    { admin: true },
  );
  await callApi(
    env.url,
    'AdminSetUserPassword',
    { UserPoolId: poolId, Username: username, Password: password, Permanent: true },
    { admin: true },
  );
  return username;
}

/** The newest SMS/email code the emulator "sent" to a user of the optional pool. */
async function lastCode(username, channel) {
  const poolId = env.config.pools.optional.poolId;
  const sent = (await messages(env.url)).filter(
    (m) => m.poolId === poolId && m.username === username && m.channel === channel,
  );
  assert.ok(sent.length > 0, `a ${channel} message to ${username}`);
  return sent[sent.length - 1].code;
}

describe('other challenges and sessions', () => {
  test('mfaRequired (SMS preferred): the code from the message log signs in, a wrong one does not', async () => {
    const { password } = seedUser('optional', 'sms');
    const userPool = pool('optional');
    let attempt = signIn(userPool, 'sms', password);
    const [challengeName, parameters] = await expectEvent(attempt.result, 'mfaRequired');
    assert.equal(challengeName, 'SMS_MFA');
    assert.ok(parameters.CODE_DELIVERY_DESTINATION, 'SMS_MFA names the (masked) destination');
    const code = await lastCode('sms', 'SMS');
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(code.length, '0');
    await expectFailure(step((cb) => attempt.user.sendMFACode(wrong, cb)), 'CodeMismatchException');

    attempt = signIn(userPool, 'sms', password);
    await expectEvent(attempt.result, 'mfaRequired');
    const fresh = await lastCode('sms', 'SMS');
    assert.notEqual(fresh, code, 'a new code for the new challenge');
    const session = await expectSuccess(step((cb) => attempt.user.sendMFACode(fresh, cb)));
    await checkSession(session, 'optional', 'sms');
  });

  test('newPasswordRequired for the seeded temp user', async () => {
    // Not completed here: `temp` is shared with the browser suite, which changes its password.
    const temp = seedUser('optional', 'temp');
    const [userAttributes, requiredAttributes] = await expectEvent(
      signIn(pool('optional'), 'temp', temp.temporaryPassword).result,
      'newPasswordRequired',
    );
    assert.equal(userAttributes.email, temp.attributes.email);
    assert.ok(Array.isArray(requiredAttributes));
  });

  test('completeNewPasswordChallenge for an admin-created user', async () => {
    const { poolId } = env.config.pools.optional;
    const username = `idjs-${randomUUID().slice(0, 8)}`;
    const temporary = 'Temp-Pass-1!';
    const chosen = 'Chosen-Pass-2!';
    await callApi(
      env.url,
      'AdminCreateUser',
      {
        UserPoolId: poolId,
        Username: username,
        TemporaryPassword: temporary,
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }],
      },
      { admin: true },
    );
    const userPool = pool('optional');
    const attempt = signIn(userPool, username, temporary);
    await expectEvent(attempt.result, 'newPasswordRequired');
    const session = await expectSuccess(step((cb) => attempt.user.completeNewPasswordChallenge(chosen, {}, cb)));
    await checkSession(session, 'optional', username);

    await expectSuccess(signIn(userPool, username, chosen).result);
    await expectFailure(signIn(userPool, username, temporary).result, 'NotAuthorizedException');
  });

  test('globalSignOut revokes the access token', async () => {
    const { password } = seedUser('optional', 'enroll6');
    const { user, result } = signIn(pool('optional'), 'enroll6', password);
    const session = await expectSuccess(result);
    const accessToken = session.getAccessToken().getJwtToken();
    await callApi(env.url, 'GetUser', { AccessToken: accessToken });
    await expectSuccess(step((cb) => user.globalSignOut(cb)));
    await assert.rejects(callApi(env.url, 'GetUser', { AccessToken: accessToken }), {
      name: 'NotAuthorizedException',
    });
  });

  test('an expired auth session is refused', async () => {
    const { password, totpSecret } = seedUser('optional', 'totp');
    const attempt = signIn(pool('optional'), 'totp', password);
    await expectEvent(attempt.result, 'totpRequired');
    const now = await advanceClock(env.url, 3 * 60 + 30);
    const error = await expectFailure(
      step((cb) => attempt.user.sendMFACode(totp(totpSecret, now), cb, 'SOFTWARE_TOKEN_MFA')),
      'NotAuthorizedException',
    );
    assert.match(error.message, /session/i);
  });
});

describe('refusals', () => {
  test('a made-up or another user\'s Session is refused', async () => {
    const { password, totpSecret } = seedUser('optional', 'totp');
    const both = seedUser('optional', 'both');
    const userPool = pool('optional');

    const attempt = signIn(userPool, 'totp', password);
    await expectEvent(attempt.result, 'totpRequired');
    const genuine = attempt.user.Session;

    attempt.user.Session = Buffer.from(randomUUID()).toString('base64');
    let error = await expectFailure(
      step((cb) => attempt.user.sendMFACode(totp(totpSecret, Date.now() / 1000), cb, 'SOFTWARE_TOKEN_MFA')),
      'NotAuthorizedException',
    );
    assert.match(error.message, /session/i);

    // `both`'s Session presented for `totp`: bound to the user it was issued for.
    const other = signIn(userPool, 'both', both.password);
    await expectEvent(other.result, 'selectMFAType');
    attempt.user.Session = other.user.Session;
    error = await expectFailure(
      step((cb) => attempt.user.sendMFACode(totp(totpSecret, Date.now() / 1000), cb, 'SOFTWARE_TOKEN_MFA')),
      'NotAuthorizedException',
    );
    assert.match(error.message, /session/i);

    // The genuine Session still works afterwards.
    attempt.user.Session = genuine;
    const code = await freshCode(env.url, totpSecret);
    await expectSuccess(step((cb) => attempt.user.sendMFACode(code, cb, 'SOFTWARE_TOKEN_MFA')));
  });

  test('software token MFA disabled on the pool → SoftwareTokenMFANotFoundException', async () => {
    const { password } = seedUser('nototp', 'plain');
    const { user, result } = signIn(pool('nototp'), 'plain', password);
    await expectSuccess(result);
    await expectFailure(step((cb) => user.associateSoftwareToken(cb)), 'SoftwareTokenMFANotFoundException');
  });

  test('signOut with revocation: the refresh and access tokens stop working', async () => {
    const plain = seedUser('optional', 'plain');
    const userPool = pool('optional');
    const { user, result } = signIn(userPool, 'plain', plain.password);
    const session = await expectSuccess(result);
    const refreshToken = session.getRefreshToken().getToken();
    const accessToken = session.getAccessToken().getJwtToken();

    await nodeCall((cb) => user.signOut((err) => cb(err, null)));
    await assert.rejects(
      callApi(env.url, 'InitiateAuth', {
        ClientId: env.config.pools.optional.clients.web.clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: refreshToken },
      }),
      { name: 'NotAuthorizedException' },
    );
    await assert.rejects(callApi(env.url, 'GetUser', { AccessToken: accessToken }), {
      name: 'NotAuthorizedException',
    });
  });

  test('repeated wrong passwords → "Password attempts exceeded"', async () => {
    const password = 'Lock-Me-Out-1!';
    const username = await createUser('idjs-lock', password);
    const userPool = pool('optional');
    const messagesSeen = [];
    for (let i = 0; i < 10; i += 1) {
      const error = await expectFailure(signIn(userPool, username, `${password}-${i}`).result, 'NotAuthorizedException');
      messagesSeen.push(error.message);
      if (error.message === 'Password attempts exceeded') break;
    }
    assert.equal(messagesSeen.at(-1), 'Password attempts exceeded', messagesSeen.join(' | '));
    assert.equal(messagesSeen[0], 'Incorrect username or password.');
  });
});

describe('passwords', () => {
  test('changePassword: the old password must be right, then only the new one signs in', async () => {
    const old = 'Old-Password-1!';
    const chosen = 'New-Password-2!';
    const username = await createUser('idjs-change', old);
    const userPool = pool('optional');
    const { user, result } = signIn(userPool, username, old);
    await expectSuccess(result);
    await assert.rejects(
      nodeCall((cb) => user.changePassword(`${old}x`, chosen, cb)),
      { name: 'NotAuthorizedException' },
    );
    assert.equal(await nodeCall((cb) => user.changePassword(old, chosen, cb)), 'SUCCESS');
    await expectSuccess(signIn(userPool, username, chosen).result);
    await expectFailure(signIn(userPool, username, old).result, 'NotAuthorizedException');
  });

  test('forgotPassword + confirmPassword with the emailed code', async () => {
    const old = 'Forgotten-1!';
    const chosen = 'Remembered-2!';
    const username = await createUser('idjs-forgot', old);
    const userPool = pool('optional');
    const user = new CognitoUser({ Username: username, Pool: userPool, Storage: userPool.storage });
    const [delivery] = await expectEvent(step((cb) => user.forgotPassword(cb)), 'inputVerificationCode');
    assert.equal(delivery.CodeDeliveryDetails.DeliveryMedium, 'EMAIL');
    const code = await lastCode(username, 'EMAIL');
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(code.length, '0');
    await expectFailure(step((cb) => user.confirmPassword(wrong, chosen, cb)), 'CodeMismatchException');
    await expectSuccess(step((cb) => user.confirmPassword(code, chosen, cb)));
    await expectSuccess(signIn(userPool, username, chosen).result);
    await expectFailure(signIn(userPool, username, old).result, 'NotAuthorizedException');
  });
});

describe('remembered devices', () => {
  test("identity-js's own device flow: ConfirmDevice after MFA, then DEVICE_SRP_AUTH instead of TOTP once remembered", async () => {
    const { password, totpSecret } = seedUser('devices', 'devtotp');
    const userPool = pool('devices'); // one storage: identity-js caches the device key and password there
    const { poolId } = env.config.pools.devices;

    let code;
    // A new device: TOTP, then identity-js confirms the NewDeviceMetadata itself; the pool asks the user first.
    let attempt = signIn(userPool, 'devtotp', password);
    await expectEvent(attempt.result, 'totpRequired');
    code = await freshCode(env.url, totpSecret);
    let done = await step((cb) => attempt.user.sendMFACode(code, cb, 'SOFTWARE_TOKEN_MFA'));
    assert.equal(done.event, 'onSuccess', `${done.args[0]?.name} ${done.args[0]?.message}`);
    assert.equal(done.args[1], true, 'UserConfirmationNecessary');
    const deviceKey = attempt.user.deviceKey;
    assert.match(deviceKey, /^us-east-1_[0-9a-f-]{36}$/);

    // Confirmed, not remembered: TOTP is still asked, and no new device is handed out.
    attempt = signIn(userPool, 'devtotp', password);
    await expectEvent(attempt.result, 'totpRequired');
    code = await freshCode(env.url, totpSecret);
    const session = await expectSuccess(step((cb) => attempt.user.sendMFACode(code, cb, 'SOFTWARE_TOKEN_MFA')));
    await checkSession(session, 'devices', 'devtotp');
    assert.equal(attempt.user.deviceKey, deviceKey);
    const listed = await callApi(env.url, 'AdminListDevices', { UserPoolId: poolId, Username: 'devtotp' }, { admin: true });
    assert.deepEqual(listed.Devices.map((d) => d.DeviceKey), [deviceKey]);

    // The user says "remember this device": the next sign-in needs no code at all.
    await expectSuccess(step((cb) => attempt.user.setDeviceStatusRemembered(cb)));
    const device = await expectSuccess(step((cb) => attempt.user.getDevice(cb)));
    const status = device.Device.DeviceAttributes.find((a) => a.Name === 'dev:device_remembered_status');
    assert.equal(status.Value, 'remembered');
    attempt = signIn(userPool, 'devtotp', password);
    const remembered = await expectSuccess(attempt.result);
    await checkSession(remembered, 'devices', 'devtotp');
    assert.equal(attempt.user.deviceKey, deviceKey, 'the same device, no new one');

    // The admin forgets the device while identity-js still holds it: PASSWORD_VERIFIER says "Device does not
    // exist.", identity-js drops its device and answers the same session again, and TOTP is back.
    await callApi(env.url, 'AdminForgetDevice', { UserPoolId: poolId, Username: 'devtotp', DeviceKey: deviceKey }, { admin: true });
    attempt = signIn(userPool, 'devtotp', password);
    await expectEvent(attempt.result, 'totpRequired');
    code = await freshCode(env.url, totpSecret);
    done = await step((cb) => attempt.user.sendMFACode(code, cb, 'SOFTWARE_TOKEN_MFA'));
    assert.equal(done.event, 'onSuccess', `${done.args[0]?.name} ${done.args[0]?.message}`);
    assert.notEqual(attempt.user.deviceKey, deviceKey, 'a new device was handed out and confirmed');
  });
});
