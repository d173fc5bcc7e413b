// amazon-cognito-identity-js: the SRP client work of one sign-in, as CognitoUser.authenticateUser does
// it (A at construction, then the HKDF key and the PASSWORD_CLAIM_SIGNATURE), for a fixed `a`.
import { Buffer } from 'buffer';
import { Sha256 } from '@aws-crypto/sha256-js';
import AuthenticationHelper from 'amazon-cognito-identity-js/es/AuthenticationHelper';
import BigInteger from 'amazon-cognito-identity-js/es/BigInteger';

let fixedA = null;
// The SDK draws `a` in its constructor; the benchmark needs the same `a` in every implementation.
AuthenticationHelper.prototype.generateRandomSmallA = function () {
  return fixedA;
};

export function srpPasswordClaim(p) {
  fixedA = new BigInteger(p.aHex, 16);
  const poolName = p.poolId.split('_')[1];
  const helper = new AuthenticationHelper(poolName);
  let srpA = null;
  helper.getLargeAValue((err, A) => {
    if (err) throw err;
    srpA = A.toString(16);
  });
  let signature = null;
  helper.getPasswordAuthenticationKey(p.userIdForSrp, p.password, new BigInteger(p.srpBHex, 16),
    new BigInteger(p.saltHex, 16), (err, hkdf) => {
      if (err) throw err;
      const message = Buffer.concat([Buffer.from(poolName, 'utf8'), Buffer.from(p.userIdForSrp, 'utf8'),
        Buffer.from(p.secretBlock, 'base64'), Buffer.from(p.timestamp, 'utf8')]);
      const mac = new Sha256(hkdf);
      mac.update(message);
      signature = Buffer.from(mac.digestSync()).toString('base64');
    });
  if (signature === null) throw new Error('identity-js did not call back synchronously');
  return { srpA, signature };
}
