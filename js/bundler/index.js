// The entry of the `--target bundler` build: the bundler instantiates the wasm when ./cognito_totp.js is
// imported, so there is nothing to wait for; `init` and `initSync` exist so code written for the web build
// (`await init()`) runs unchanged.
export * from './cognito_totp.js';
export default async function init() {}
export function initSync() {}
