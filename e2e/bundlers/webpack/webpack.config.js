import { fileURLToPath } from "node:url";

export default {
  mode: "production",
  context: fileURLToPath(new URL(".", import.meta.url)),
  entry: "../app/main.js",
  output: { path: fileURLToPath(new URL("dist", import.meta.url)) },
  // cognito-totp's bundler build imports its .wasm as an ES module. webpack 5.112 enables this by itself when no
  // rule claims .wasm files; older webpack 5 releases refuse the import without it.
  experiments: { asyncWebAssembly: true },
  // The package's wasm is about 280 KiB (122 KB gzip), over webpack's default 244 KiB hint.
  performance: { maxAssetSize: 400 * 1024 },
};
