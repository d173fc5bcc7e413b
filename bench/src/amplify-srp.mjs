// Amplify v6: the SRP client work of one sign-in with @aws-amplify/auth's own helpers, loaded by file path
// (they are internal): A, then the HKDF key, then the PASSWORD_CLAIM_SIGNATURE, for a fixed `a`.
import AuthenticationHelper from '../node_modules/@aws-amplify/auth/dist/esm/providers/cognito/utils/srp/AuthenticationHelper/AuthenticationHelper.mjs';
import BigInteger from '../node_modules/@aws-amplify/auth/dist/esm/providers/cognito/utils/srp/BigInteger/BigInteger.mjs';
import { calculateA } from '../node_modules/@aws-amplify/auth/dist/esm/providers/cognito/utils/srp/calculate/calculateA.mjs';
import { INIT_N } from '../node_modules/@aws-amplify/auth/dist/esm/providers/cognito/utils/srp/constants.mjs';
import { getSignatureString } from '../node_modules/@aws-amplify/auth/dist/esm/providers/cognito/utils/srp/getSignatureString.mjs';

export async function srpPasswordClaim(p) {
  const poolName = p.poolId.split('_')[1];
  // As getAuthenticationHelper does, with the random `a` replaced by the fixed one.
  const N = new BigInteger(INIT_N, 16);
  const g = new BigInteger('2', 16);
  const a = new BigInteger(p.aHex, 16);
  const A = await calculateA({ a, g, N });
  const helper = new AuthenticationHelper({ userPoolName: poolName, a, g, A, N });
  const hkdf = await helper.getPasswordAuthenticationKey({
    username: p.userIdForSrp, password: p.password,
    serverBValue: new BigInteger(p.srpBHex, 16), salt: new BigInteger(p.saltHex, 16),
  });
  const signature = getSignatureString({
    userPoolName: poolName, username: p.userIdForSrp,
    challengeParameters: { SECRET_BLOCK: p.secretBlock }, dateNow: p.timestamp, hkdf,
  });
  return { srpA: A.toString(16), signature };
}
