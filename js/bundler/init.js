// `--target bundler`: the bundler instantiates the kernel's wasm when kernel.js is imported, so there
// is nothing to wait for; these exist so code written for the web build runs unchanged.
export default async function init() {}
export function initSync() {}
