export * from './cognito_totp';
/** A no-op in the bundler build (the bundler instantiates the wasm on import); kept so web-build code runs. */
export default function init(module_or_path?: unknown): Promise<void>;
/** A no-op in the bundler build. */
export function initSync(module?: unknown): void;
