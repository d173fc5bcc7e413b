// The whole capability with Amplify v6: configure, sign-in with every challenge, TOTP set-up and
// preference, plus `qrcode` for the QR an app must show. Bundled only to be weighed.
export { Amplify } from '@aws-amplify/core';
export { confirmSignIn, fetchMFAPreference, setUpTOTP, signIn, signOut, updateMFAPreference, verifyTOTPSetup } from '@aws-amplify/auth';
export { toString as qrToString } from 'qrcode';
