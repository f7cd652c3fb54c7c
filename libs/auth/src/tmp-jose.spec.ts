import * as jose from 'jose';
it('jose works', async () => {
  const secret = new TextEncoder().encode('x'.repeat(40));
  const t = await new jose.SignJWT({ a: 1 }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(secret);
  const r = await jose.jwtVerify(t, secret);
  expect(r.payload.a).toBe(1);
  const k = await jose.generateKeyPair('RS256');
  const jwk = await jose.exportJWK(k.publicKey);
  expect(jwk.kty).toBe('RSA');
  const u8 = new Uint8Array(Buffer.from('y'.repeat(40)));
  await new jose.SignJWT({}).setProtectedHeader({ alg: 'HS256' }).sign(u8);
  await new jose.SignJWT({}).setProtectedHeader({ alg: 'HS256' }).sign(Buffer.from('y'.repeat(40)));
});
