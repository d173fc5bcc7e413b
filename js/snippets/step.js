// The prototype of every step object the package returns (src/wasm/steps.rs builds them): the one thing
// wasm-bindgen cannot express, a method that reads `this`. A step's own properties are its public fields;
// its Session stays in wasm memory.
export class Step {
  /** The public fields as a plain object. */
  toJSON() {
    return { ...this };
  }
}
