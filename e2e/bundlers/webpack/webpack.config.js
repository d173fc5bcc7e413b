import { fileURLToPath } from "node:url";

// cognito-totp's bundler build imports its .wasm as an ES module, which webpack 5 loads with asyncWebAssembly.
export default {
  mode: "production",
  context: fileURLToPath(new URL(".", import.meta.url)),
  entry: "../app/main.js",
  output: { path: fileURLToPath(new URL("dist", import.meta.url)) },
  experiments: { asyncWebAssembly: true },
};
