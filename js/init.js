// `--target web`: the kernel's wasm must be fetched and instantiated before first use.
export { default, initSync } from './kernel.js';
