import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { zodIssue } from '../../src/util/zod-issue.js';

describe('zodIssue', () => {
  it('gives the first issue\'s dotted path, its message and the issue count', () => {
    const schema = z.object({ a: z.object({ b: z.array(z.number()) }), c: z.string() });
    const r = schema.safeParse({ a: { b: [1, 'x'] }, c: 3 });
    const issue = zodIssue(r.error!);
    expect(issue.field).toBe('a.b.1');
    expect(issue.detail).toBe(r.error!.issues[0]!.message);
    expect(issue.issues).toBe(2);
  });

  it('names the whole value (root)', () => {
    expect(zodIssue(z.number().safeParse('x').error!).field).toBe('(root)');
  });
});
