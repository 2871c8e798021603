import { type CryptoKey, importJWK, type JWK } from 'jose';

export async function importPrivateKeyForTest(jwk: JWK): Promise<CryptoKey> {
  return (await importJWK(jwk, 'EdDSA')) as CryptoKey;
}
