// The whole capability with amazon-cognito-identity-js: SRP sign-in, MFA challenges, TOTP enrollment
// (CognitoUser methods), plus `qrcode` for the QR an app must show. Bundled only to be weighed.
export { AuthenticationDetails, CognitoUser, CognitoUserPool } from 'amazon-cognito-identity-js';
export { toString as qrToString } from 'qrcode';
