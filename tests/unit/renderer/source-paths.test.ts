import { describe, expect, it } from 'vitest';
import { parseSourcePaths, sourcePathsProblem } from '../../../renderer/views/ingest/source-paths';

describe('source paths typed in the ingest dialog', () => {
  it('takes one path per line, trims, unquotes and drops blanks and duplicates', () => {
    expect(parseSourcePaths('  /media/evidencia/EXH-01 \n\n"/media/evidencia/respaldo teléfono.zip"\r\n/media/evidencia/EXH-01\n')).toEqual([
      '/media/evidencia/EXH-01',
      '/media/evidencia/respaldo teléfono.zip',
    ]);
  });

  it('accepts only absolute POSIX or Windows paths', () => {
    expect(sourcePathsProblem(['/media/a', 'E:\\evidencia', '\\\\servidor\\recurso'])).toBeNull();
    expect(sourcePathsProblem([])?.key).toBe('validation.pathsRequired');
    const relative = sourcePathsProblem(['/media/a', 'evidencia/EXH-01']);
    expect(relative?.key).toBe('validation.pathAbsolute');
    expect(relative?.values).toEqual({ path: 'evidencia/EXH-01' });
  });
});
