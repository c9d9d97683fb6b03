import type { z } from 'zod';

/** A failed schema check in words: the first issue's field path (`(root)` for the whole value), its message, and how many issues there were. */
export function zodIssue(error: z.ZodError): { field: string; detail: string; issues: number } {
  const issue = error.issues[0]!;
  return { field: issue.path.join('.') || '(root)', detail: issue.message, issues: error.issues.length };
}
