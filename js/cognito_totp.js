// cognito-totp: Amazon Cognito USER_SRP_AUTH sign-in, every MFA challenge and TOTP enrollment (QR as
// SVG) for the browser. `await init()` (the default export) loads the wasm kernel before first use.
export { default, initSync } from './init.js';
export { CognitoTotp, TotpSetup, qrSvg, otpauthUri, totpCode } from './client.js';
