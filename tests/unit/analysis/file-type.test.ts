import { describe, expect, it } from 'vitest';
import { detectType } from '../../../electron/analysis/file-type.js';
import { syntheticImage } from '../../fixtures/synthetic-images.js';

describe('type by content', () => {
  it('a JPEG named .txt is a JPEG, and the mismatch is flagged', async () => {
    const jpeg = await syntheticImage(11, { width: 64, height: 64 });
    expect(await detectType(jpeg, 'factura.txt')).toEqual({ mime: 'image/jpeg', ext: 'jpg', extensionMismatch: true });
    expect(await detectType(jpeg, 'IMG_0001.JPEG')).toMatchObject({ extensionMismatch: false });
    expect(await detectType(jpeg, 'no-extension')).toMatchObject({ mime: 'image/jpeg', extensionMismatch: false });
  });

  it('PNG and WebP by their magic, whatever the name', async () => {
    expect(await detectType(await syntheticImage(12, { format: 'png', width: 32, height: 32 }), 'x.jpg')).toMatchObject({ mime: 'image/png', extensionMismatch: true });
    expect(await detectType(await syntheticImage(13, { format: 'webp', width: 32, height: 32 }), 'x.webp')).toMatchObject({ mime: 'image/webp', extensionMismatch: false });
  });

  it('text, empty and unknown bytes', async () => {
    expect((await detectType(Buffer.from('Acta de incautación\nsello 1234\n'), 'a.txt')).mime).toBe('text/plain');
    expect((await detectType(Buffer.alloc(0), 'empty.bin')).mime).toBe('application/x-empty');
    expect((await detectType(Buffer.from([0, 1, 2, 3, 0xfe, 0xff, 0x00, 0x10]), 'blob')).mime).toBe('application/octet-stream');
  });
});
