import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeIssues, issuePath } from './zod-issues.js';

const Form = z.strictObject({ name: z.string().min(1), address: z.object({ street: z.string() }), tags: z.array(z.string()) });

describe('zod issues as text', () => {
  const issues = Form.safeParse({ name: '', address: { street: 5 }, tags: ['ok', 7], secret: 'Jan Peeters' }).error?.issues ?? [];

  it('names each path and rule, never the value given', () => {
    const text = describeIssues(issues);
    expect(text).toContain('name: ');
    expect(text).toContain('address.street: ');
    expect(text).toContain('tags.1: ');
    expect(text.split('; ')).toHaveLength(issues.length);
    expect(text).not.toContain('Jan Peeters');
  });

  it('keeps the first issues only when asked, and names the whole value as the caller says', () => {
    expect(describeIssues(issues, { limit: 1 })).toBe(`name: ${issues[0]?.message}`);
    const whole = z.string().safeParse(1).error?.issues ?? [];
    expect(describeIssues(whole)).toMatch(/^\(root\): /);
    expect(describeIssues(whole, { root: '(item)' })).toMatch(/^\(item\): /);
    expect(issuePath(whole[0]!)).toBe('(root)');
    expect(describeIssues([])).toBe('invalid');
  });
});
