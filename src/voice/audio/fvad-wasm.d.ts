// @echogarden/fvad-wasm ships no types: an Emscripten module factory (see vad.ts for its exports).
declare module '@echogarden/fvad-wasm' {
  const createModule: (moduleArg?: Record<string, unknown>) => Promise<unknown>;
  export default createModule;
}
