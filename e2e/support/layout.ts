// "Nothing cut or hidden", measured in the page: every control and text of the screen lies inside
// the window's width and inside every box that clips it; what is below the fold sits in a box that
// scrolls; and the screen's main answer (its `.primary` button, or its two equal answers) is whole
// on screen without scrolling, where a customer exploring by touch finds it.
import { expect, type Page } from '@playwright/test';

const MEASURE = `((opts) => {
  const problems = [];
  const vw = innerWidth, vh = innerHeight;
  const name = (el) => (el.getAttribute('aria-label') || el.textContent || el.tagName).trim().replace(/\\s+/g, ' ').slice(0, 40);
  const visible = (el) => el.checkVisibility() && el.getBoundingClientRect().width > 0 && el.getBoundingClientRect().height > 0;
  const items = '.app button, .app input, .app [role="switch"], .app h1, .app h2, .app h3, .app p, .app dt, .app dd, .app li, [role="alertdialog"] button, [role="alertdialog"] p';
  for (const el of document.querySelectorAll(items)) {
    if (!visible(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.left < -1 || r.right > vw + 1) problems.push('wider than the window: ' + name(el));
    let scrolls = false;
    for (let a = el.parentElement; a !== null && a !== document.documentElement; a = a.parentElement) {
      const s = getComputedStyle(a);
      const box = a.getBoundingClientRect();
      if (s.overflowX !== 'visible' && (r.left < box.left - 1 || r.right > box.right + 1)) problems.push('cut at the side: ' + name(el));
      if (s.overflowY === 'auto' || s.overflowY === 'scroll') { scrolls = true; continue; }
      if (s.overflowY !== 'visible' && !scrolls && (r.top < box.top - 1 || r.bottom > box.bottom + 1)) problems.push('cut: ' + name(el));
    }
    if (!scrolls && r.bottom > vh + 1) problems.push('below the window: ' + name(el));
  }
  for (const el of document.querySelectorAll('.screen, .topbar, [role="alertdialog"]')) {
    const r = el.getBoundingClientRect();
    if (visible(el) && (r.bottom > vh + 1 || r.right > vw + 1)) problems.push('the frame overflows the window: ' + el.className);
  }
  const dialog = document.querySelector('[role="alertdialog"]');
  if (!opts.mainAnswerScrolls) for (const el of (dialog ?? document).querySelectorAll(dialog ? '.primary' : 'main.screen .primary, main.screen section:not(.attract) > .equal-choice .choice')) {
    if (!visible(el)) continue;
    const r = el.getBoundingClientRect();
    const top = document.elementFromPoint(r.left + r.width / 2, r.bottom - 4);
    if (r.top < 0 || r.bottom > vh + 1 || top === null || !el.contains(top))
      problems.push('main answer not whole on screen (' + Math.round(r.bottom - vh) + ' px below): ' + name(el));
  }
  return [...new Set(problems)];
})`;

export interface LayoutRules {
  /** The main answer may be scrolled to (the staff check: the assistant's, who knows where it is). */
  mainAnswerScrolls?: boolean;
}

/** Fails with what is cut, naming it, in the window's present size. */
export async function nothingCut(page: Page, where: string, rules: LayoutRules = {}): Promise<void> {
  const problems = (await page.evaluate(`${MEASURE}(${JSON.stringify(rules)})`)) as string[];
  // Soft: one run lists every screen and size that is cut, not the first alone.
  expect.soft(problems, `layout of ${where}`).toEqual([]);
}
