export { CodecConfigError, PayloadDecryptionError, UnknownEncryptionKeyError } from './errors';
export { CODEC_ENV, KEY_BYTES, generateKeyEntry, keyRingFromEnv, parseKeyRing, type KeyRing } from './key-ring';
export { EncryptionCodec, ENCRYPTED_ENCODING, METADATA_KEY_ID, isEncrypted } from './encryption-codec';
export { dataConverterFor, dataConverterFromEnv, encryptionStatusLine } from './data-converter';
export { REDACTED, knownSecretValues, redactError, redactSecrets } from './redact';
export { DEFAULT_CODEC_SERVER_PORT, DEFAULT_UI_ORIGINS, startCodecServer, type CodecServer, type CodecServerOptions } from './server';
export { CODEC_SERVER_ENV, accessTokenSettingsFromEnv, codecServerOptionsFromEnv } from './server-env';
