/**
 * The AudioWorkletGlobalScope, which TypeScript's DOM library does not describe.
 * Only the worklet module sees these names.
 */
declare const sampleRate: number;
declare function registerProcessor(name: string, ctor: new (options: AudioWorkletNodeOptions) => AudioWorkletProcessorBase): void;

interface AudioWorkletProcessorBase {
  readonly port: MessagePort;
}

declare const AudioWorkletProcessor: {
  prototype: AudioWorkletProcessorBase;
  new (options?: AudioWorkletNodeOptions): AudioWorkletProcessorBase;
};
