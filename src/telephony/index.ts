export { telephonyRoutes, streamUrl, websocketBase, type TelephonyRouteOptions } from './routes.js';
export { MediaBridge } from './bridge.js';
export { CallScript, type CallDeps } from './script.js';
export { PROTOCOLS, twilio, exotel, plivo, type StreamProtocol, type ProviderName } from './protocols.js';
export { CallTokens, PhoneRoutes, AlertLedger, createTelephonyTables, telephonyMigration, phoneHashKey, type CallGrant } from './store.js';
export { phoneRouteListener, backfillPhoneRoutes } from './phone-index.js';
export { TwilioRest, callingSink } from './outbound.js';
export { toE164 } from './phone.js';
export * from './signatures.js';
